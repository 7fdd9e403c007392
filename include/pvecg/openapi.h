/* openapi: raw capture -> OpenAPI 3.1.0 document (parser, normalizer, builder). */
#ifndef PVECG_OPENAPI_H
#define PVECG_OPENAPI_H

#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* operationId: "<method>_<path>" lower-case, braces removed,
 * runs of non-alphanumerics -> '_', trimmed; "/" -> "root". Writes at most
 * cap bytes (NUL included); returns the length or -1 if it did not fit. */
int pvecg_openapi_operation_id(char *out, size_t cap, const char *method,
    const char *path);

/* Builds the document from a capture (borrowed). */
int pvecg_openapi_build(cJSON **out, const cJSON *capture, const char *version_tag,
    pvecg_error *err);

/* Added by the openapi stage (helpers other stages and tests may share). */

/* Model name: PascalCase(operation_id) + suffix ("get_cluster_status",
 * "Response" -> "GetClusterStatusResponse"). Same return rules as above. */
int pvecg_openapi_model_name(char *out, size_t cap, const char *operation_id,
    const char *suffix);

/* Translates a Proxmox pattern (Perl `(?^:...)`/bare, or a `/.../` literal
 * from the Rust products) into an ECMA-262 regex that compiles with the 'u'
 * flag. Bare and `(?^:...)` patterns are anchored the way Proxmox applies
 * them (m/^PATTERN$/); `/.../` literals are kept unanchored. *out is a new
 * string the caller frees. Returns PVECG_EINPUT when no safe translation
 * exists (the caller keeps the original as x-proxmox-pattern only). */
int pvecg_openapi_translate_pattern(char **out, const char *pattern);

#endif
