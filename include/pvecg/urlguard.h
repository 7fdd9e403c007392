/* urlguard: decides whether a URL, a resolved address, or a connected
 * address may be used, before any byte is sent. */
#ifndef PVECG_URLGUARD_H
#define PVECG_URLGUARD_H

#include <stdbool.h>
#include <sys/socket.h>
#include "pvecg/error.h"
#include "pvecg/fetch.h"

/* Allowed domains when --allow-any-domain is not given. */
extern const char *const pvecg_urlguard_domains[];

/* Scheme, userinfo, host syntax (numeric tricks included), domain list,
 * literal addresses. Names resolved later are checked by _addr. */
PVECG_NODISCARD int
pvecg_urlguard_check_url(const char *url, const pvecg_fetch_policy *p, pvecg_error *err);
/* Refuses loopback, private, link-local, ... unless allow_private. */
PVECG_NODISCARD int pvecg_urlguard_check_addr(
    const struct sockaddr *sa, bool allow_private, const char *where, pvecg_error *err);
/* Longest version tag accepted. */
#define PVECG_TAG_MAX 127
/* Validates a version tag in place (the one rule for the CLI and serve):
 * trims surrounding space, then [A-Za-z0-9][A-Za-z0-9._-]*, at most
 * PVECG_TAG_MAX characters, no "..", nothing containing ".lock" or ".tmp-"
 * (the lock and temporary names the output stage keeps beside versions).
 * "latest" passes: whether it may be written is the caller's decision. */
PVECG_NODISCARD int pvecg_urlguard_check_tag(char *tag, pvecg_error *err);

/* Added by the net stage: copies url into out for error messages, with any
 * userinfo replaced by "***" and the query/fragment by "?..." (they may
 * hold secrets). */
void pvecg_urlguard_redact(char *out, size_t n, const char *url);

#endif
