/* models: openapi.json -> C models (descriptor tables + shared runtime),
 * route-group shards, aggregate unit, model_index.json. */
#ifndef PVECG_MODELS_H
#define PVECG_MODELS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"
#include "pvecg/files.h"

typedef struct pvecg_models_input {
	const cJSON *openapi;
	const char *openapi_sha256; /* pinned in headers and model_index.json */
	const char *version_tag;
	const char *product;
} pvecg_models_input;

/* Adds models/..., <aggregate>.h/.c and model_index.json to files. */
PVECG_NODISCARD int
pvecg_models_emit(pvecg_files *files, const pvecg_models_input *in, pvecg_error *err);

/* The same in two steps, for a caller that makes openapi.json's bytes
 * meanwhile: the plan needs only the tree (in->openapi_sha256 is not read),
 * the emission the SHA-256 too. The plan reads in->openapi until it is
 * freed. */
typedef struct pvecg_models_plan pvecg_models_plan;
PVECG_NODISCARD int
pvecg_models_plan_make(pvecg_models_plan **out, const pvecg_models_input *in, pvecg_error *err);
PVECG_NODISCARD int pvecg_models_plan_emit(
    pvecg_models_plan *p, pvecg_files *files, const char *openapi_sha256, pvecg_error *err);
void pvecg_models_plan_free(pvecg_models_plan *p);

/* The model runtime's sources (src/runtime/), embedded at build time and
 * copied into every models/ directory. */

#endif
