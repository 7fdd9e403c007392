/* openapi: raw capture -> OpenAPI 3.1.0 document (parser, normalizer, builder). */
#ifndef PVECG_OPENAPI_H
#define PVECG_OPENAPI_H

#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Builds the document from a capture (borrowed). */
PVECG_NODISCARD int
pvecg_openapi_build(cJSON **out, const cJSON *capture, const char *version_tag, pvecg_error *err);

#endif
