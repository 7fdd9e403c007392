/* openapi stage, internal: what the builder (openapi.c) shares with the
 * files that finish the document (openapi_responses.c, openapi_fixup.c). */
#ifndef PVECG_OPENAPI_INT_H
#define PVECG_OPENAPI_INT_H

#include <string.h>
#include <cjson/cJSON.h>

#include "pvecg/error.h"
#include "pvecg/json.h"

/* What building one document carries: where errors are reported and the
 * operation being built (openapi.c, openapi_schema.c). */
struct ctx {
	pvecg_error *err;
	char where[600]; /* "GET /path" of the operation being built */
	const char *product;
	int reported; /* err already holds the message */
};

/* ---- small cJSON helpers: every one returns 0 or PVECG_ENOMEM --------
 * (a literal key is not copied: a third of all allocations otherwise) */

static inline int
put_str(cJSON *obj, const char *literal_key, const char *s)
{
	return pvecg_json_put_cs(obj, literal_key, cJSON_CreateString(s));
}

static inline int
put_dup(cJSON *obj, const char *key, const cJSON *v)
{
	return pvecg_json_put(obj, key, cJSON_Duplicate(v, 1));
}

/* "x-proxmox-<key>": <verbatim value> */
static inline int
put_x(cJSON *obj, const char *key, const cJSON *v)
{
	char name[256];
	size_t n = strlen(key);

	if (n + 11 > sizeof(name))
		return PVECG_EINPUT;
	memcpy(name, "x-proxmox-", 10);
	memcpy(name + 10, key, n + 1);
	return put_dup(obj, name, v);
}

static inline int
fail(struct ctx *c, int code, const char *fmt, const char *arg)
{
	c->reported = 1;
	if (code == PVECG_ENOMEM)
		return pvecg_error_set(c->err, code, c->where, "out of memory");
	return pvecg_error_set(c->err, code, c->where, fmt, arg ? arg : "");
}

/* One Proxmox schema -> one JSON Schema 2020-12 object (new, *out);
 * openapi_schema.c. */
PVECG_NODISCARD int openapi_convert_schema(struct ctx *c, cJSON **out, const cJSON *src, int depth);

/* Adds components.responses (one per error status) and the error body
 * schema to components.schemas, in the shape the product's HTTP server
 * sends. product: "pve", "pbs", ... Returns 0 or PVECG_ENOMEM. */
PVECG_NODISCARD int
pvecg_openapi_error_components(cJSON *components, cJSON *schemas, const char *product);

/* Adds a $ref to each of those error responses to an operation's
 * "responses" object. Returns 0 or PVECG_ENOMEM. */
PVECG_NODISCARD int pvecg_openapi_error_refs(cJSON *responses);

/* File transfers: an operation that streams a file back (the method's
 * "download"/"download_allowed" flag) answers 200 with
 * application/octet-stream; one whose file the HTTP server receives
 * (the "upload" flag, or the "tmpfilename" parameter the server fills in
 * from a multipart upload) also accepts multipart/form-data. The Rust
 * products' viewers have no such flags; their downloads are listed by path.
 * opj is the finished operation object. Returns 0 or PVECG_ENOMEM. */
PVECG_NODISCARD int pvecg_openapi_file_transfer(
    cJSON *opj, const cJSON *info, const char *product, const char *path, const char *verb);

/* Post-pass over the finished document, for the tools that consume it:
 * a default that fails its own schema moves to x-proxmox-default (in every
 * schema, sub-schemas and extension copies included), an array without
 * "items" gets "items": {}, and an object whose named properties would
 * conflict with its patternProperties index signature gets the signature
 * widened (see openapi_fixup.c). Returns 0 or a negative code. */
PVECG_NODISCARD int pvecg_openapi_fixup(cJSON *doc);

/* 1 when t names a JSON Schema type ("string" ... "null"); NULL is not. */
int openapi_is_json_type(const char *t);

#endif
