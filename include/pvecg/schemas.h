/* schemas: the JSON Schemas of the artifacts, from a folder or from the
 * copies built into the binary (every schemas/NAME.schema.json at build time). */
#ifndef PVECG_SCHEMAS_H
#define PVECG_SCHEMAS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

typedef struct pvecg_schema_text {
	const char *name;   /* "raw_capture.schema.json" */
	const char *text;   /* NUL-terminated */
	size_t len;
} pvecg_schema_text;

extern const pvecg_schema_text pvecg_schemas_embedded[];
extern const size_t pvecg_schemas_embedded_count;

/* Loads "<artifact>.schema.json" from dir, or the built-in copy when dir
 * is NULL. */
int pvecg_schemas_load(cJSON **out, const char *dir, const char *artifact, pvecg_error *err);

#endif
