/* Canonical JSON output: sorted keys, 2-space indent, stable numbers, final newline.
 * Every artifact goes through this writer so the same tree gives the same bytes. */
#ifndef PVECG_JSON_H
#define PVECG_JSON_H

#include <string.h>
#include <cjson/cJSON.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

/* Appends the canonical text of node to out. */
PVECG_NODISCARD int pvecg_json_write(pvecg_buf *out, const cJSON *node);
/* The same, with every "$ref" string member that starts with from written
 * with to in its place: for a document that borrows another's subtrees
 * (cJSON references) and points into its own copy of them. */
PVECG_NODISCARD int
pvecg_json_write_rebased(pvecg_buf *out, const cJSON *node, const char *from, const char *to);
/* The error of a failed pvecg_json_write* (rc) of the document name, set
 * in err: too deep for the writer, or out of memory. Returns its code. */
int pvecg_json_write_error(pvecg_error *err, int rc, const char *name);
/* Appends one number the way pvecg_json_write formats it. */
int pvecg_json_number(pvecg_buf *out, double v);
/* cJSON strings end at NUL, so a JSON "\u0000" is held as the bytes C0 80
 * (as in Java's modified UTF-8: never valid UTF-8, so unambiguous) and
 * pvecg_json_write turns them back into "\u0000". Parse through this. */
cJSON *pvecg_json_parse(const char *text, size_t len, const char **end);
/* Parses a file into a cJSON tree; err names the file. */
PVECG_NODISCARD int
pvecg_json_read_file(cJSON **out, const char *path, size_t max, pvecg_error *err);
/* cJSON_GetObjectItemCaseSensitive, the first byte compared before the
 * rest: lookups are most of the time spent reading schemas, and most
 * members differ in their first byte. NULL when obj is NULL or no object. */
static inline cJSON *
pvecg_json_get(const cJSON *obj, const char *key)
{
	cJSON *c;

	if (obj == NULL || key == NULL)
		return NULL;
	for (c = obj->child; c != NULL && c->string != NULL; c = c->next)
		if (c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	return NULL;
}
/* Small accessors that tolerate NULL and wrong types. */
const char *pvecg_json_str(const cJSON *obj, const char *key);
/* 1 when the array arr (may be NULL) holds the string s: "required". */
int pvecg_json_has_string(const cJSON *arr, const char *s);
/* Proxmox truthiness: true, 1, "1" (and "yes"/"on"/"true"). */
int pvecg_json_truthy(const cJSON *v);
/* Adding a new item that the container then owns: 0, or PVECG_ENOMEM
 * (item NULL or not added; item freed). _cs takes a string-literal key
 * that is not copied. */
PVECG_NODISCARD int pvecg_json_put(cJSON *obj, const char *key, cJSON *item);
PVECG_NODISCARD int pvecg_json_put_cs(cJSON *obj, const char *literal_key, cJSON *item);
PVECG_NODISCARD int pvecg_json_push(cJSON *arr, cJSON *item);

#endif
