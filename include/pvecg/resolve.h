/* resolve: what one job really reads before the pipeline starts: a host
 * URL mapped to its product's API viewer (probing the products in a fixed
 * order when none is given), the credentials bound to their origin (API
 * token, or a ticket from a login), and the version tag (given, the
 * release the host reports, or "latest"), with the reason for it. */
#ifndef PVECG_RESOLVE_H
#define PVECG_RESOLVE_H

#include "pvecg/error.h"
#include "pvecg/fetch.h"
#include "pvecg/genconfig.h"
#include "pvecg/options.h"

typedef struct pvecg_resolved {
	char *source;             /* URL or path the pipeline reads */
	char *version_tag;        /* validated */
	const char *product;      /* NULL: detected from the page */
	char tag_reason[512];     /* why this tag */
	pvecg_fetch_policy fetch; /* o->fetch with the credentials bound */
	char *cred_origin;        /* owned strings fetch points at */
	char *cookie, *csrf;
} pvecg_resolved;

/* Login data from FILE (user=, realm=, password=, totp= lines; the file
 * must not be readable by group or others) or, without a file, from
 * $PROXMOX_USER, $PROXMOX_REALM, $PROXMOX_PASSWORD, $PROXMOX_TOTP. */
typedef struct pvecg_login {
	char *user, *realm, *password, *totp;
} pvecg_login;

PVECG_NODISCARD int pvecg_login_load(pvecg_login *out, const char *file, pvecg_error *err);
void pvecg_login_free(pvecg_login *l);

PVECG_NODISCARD int pvecg_resolve(
    pvecg_resolved *out, const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err);
void pvecg_resolved_free(pvecg_resolved *r);

#endif
