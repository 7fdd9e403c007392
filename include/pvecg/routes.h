/* routes: openapi.json -> route_metadata.json for dispatchers and mock servers. */
#ifndef PVECG_ROUTES_H
#define PVECG_ROUTES_H

#include <cjson/cJSON.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

/* Appends the bytes of route_metadata.json to out. Only reads openapi (the
 * output borrows its schemas while it is written), so other threads may
 * read openapi at the same time. On failure out may hold a partial text. */
PVECG_NODISCARD int pvecg_routes_write(pvecg_buf *out, const cJSON *openapi,
    const char *openapi_sha256, const char *version_tag, pvecg_error *err);

#endif
