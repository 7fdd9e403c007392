/* routes: openapi.json -> route_metadata.json for dispatchers and mock servers. */
#ifndef PVECG_ROUTES_H
#define PVECG_ROUTES_H

#include <cjson/cJSON.h>
#include "pvecg/error.h"

PVECG_NODISCARD int pvecg_routes_build(cJSON **out, const cJSON *openapi,
    const char *openapi_sha256, const char *version_tag, pvecg_error *err);

#endif
