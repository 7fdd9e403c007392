/* openapi: raw capture -> OpenAPI 3.1.0 document (parser, normalizer, builder). */
#ifndef PVECG_OPENAPI_H
#define PVECG_OPENAPI_H

#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Builds the document from a capture (borrowed). */
int pvecg_openapi_build(cJSON **out, const cJSON *capture, const char *version_tag,
    pvecg_error *err);

/* Added by the openapi stage (helpers other stages and tests may share). */

/* Translates a Proxmox pattern (Perl `(?^:...)`/bare, or a `/.../` literal
 * from the Rust products) into an ECMA-262 regex that compiles with the 'u'
 * flag. Bare and `(?^:...)` patterns are anchored the way Proxmox applies
 * them (m/^PATTERN$/); `/.../` literals are kept unanchored. *out is a new
 * string the caller frees. Returns PVECG_EINPUT when no safe translation
 * exists (the caller keeps the original as x-proxmox-pattern only). */
int pvecg_openapi_translate_pattern(char **out, const char *pattern);

#endif
