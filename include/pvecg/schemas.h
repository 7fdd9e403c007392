/* schemas: the JSON Schemas of the artifacts, from a folder or from the
 * copies built into the binary (every schemas/NAME.schema.json at build time). */
#ifndef PVECG_SCHEMAS_H
#define PVECG_SCHEMAS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Loads "<artifact>.schema.json" from dir, or the built-in copy when dir
 * is NULL. */
PVECG_NODISCARD int
pvecg_schemas_load(cJSON **out, const char *dir, const char *artifact, pvecg_error *err);

#endif
