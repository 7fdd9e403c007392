/* openapi stage, internal: what the builder (openapi.c) shares with the
 * files that finish the document (openapi_responses.c, openapi_fixup.c). */
#ifndef PVECG_OPENAPI_INT_H
#define PVECG_OPENAPI_INT_H

#include <cjson/cJSON.h>

/* Adds components.responses (one per error status) and the error body
 * schema to components.schemas, in the shape the product's HTTP server
 * sends. product: "pve", "pbs", ... Returns 0 or PVECG_ENOMEM. */
int pvecg_openapi_error_components(cJSON *components, cJSON *schemas, const char *product);

/* Adds a $ref to each of those error responses to an operation's
 * "responses" object. Returns 0 or PVECG_ENOMEM. */
int pvecg_openapi_error_refs(cJSON *responses);

/* File transfers: an operation that streams a file back (the method's
 * "download"/"download_allowed" flag) answers 200 with
 * application/octet-stream; one whose file the HTTP server receives
 * (the "upload" flag, or the "tmpfilename" parameter the server fills in
 * from a multipart upload) also accepts multipart/form-data. The Rust
 * products' viewers have no such flags; their downloads are listed by path.
 * opj is the finished operation object. Returns 0 or PVECG_ENOMEM. */
int pvecg_openapi_file_transfer(cJSON *opj, const cJSON *info, const char *product,
    const char *path, const char *verb);

/* Post-pass over the finished document, for the tools that consume it:
 * a default that fails its own schema moves to x-proxmox-default (in every
 * schema, sub-schemas and extension copies included), an array without
 * "items" gets "items": {}, and an object whose named properties would
 * conflict with its patternProperties index signature gets the signature
 * widened (see openapi_fixup.c). Returns 0 or a negative code. */
int pvecg_openapi_fixup(cJSON *doc);

#endif
