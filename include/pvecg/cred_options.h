/* cred_options: checks of the credential options at parse time, so a bad
 * origin or pin is a usage error before any request. */
#ifndef PVECG_CRED_OPTIONS_H
#define PVECG_CRED_OPTIONS_H

#include "pvecg/error.h"

/* --api-token-origin: an absolute URL with a scheme and a host. */
PVECG_NODISCARD int pvecg_cred_option_origin(const char **out, const char *arg, pvecg_error *err);
/* --pinned-pubkey: "sha256//" + 44 base64 characters, ';' between several. */
PVECG_NODISCARD int pvecg_cred_option_pin(const char **out, const char *arg, pvecg_error *err);
/* serve without --api-token-origin: $PROXMOX_URL, when set (checked). */
PVECG_NODISCARD int pvecg_cred_serve_origin(const char **out, pvecg_error *err);

#endif
