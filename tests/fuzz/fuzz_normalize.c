/* libFuzzer: JSON in (a schema array or a raw capture), every downstream
 * artifact out: capture, OpenAPI, C models, route metadata. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "pvecg/capture.h"
#include "pvecg/files.h"
#include "pvecg/models.h"
#include "pvecg/openapi.h"
#include "pvecg/routes.h"
#include "pvecg/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
downstream(const cJSON *capture)
{
	pvecg_files files = { NULL, 0, 0 };
	pvecg_buf routes = PVECG_BUF_INIT;
	cJSON *openapi = NULL;
	pvecg_error err;
	char sha[65];

	if (pvecg_openapi_build(&openapi, capture, "fuzz", &err) != 0)
		return;
	if (pvecg_files_add_json(&files, "openapi.json", openapi) == 0) {
		pvecg_sha256_hex(sha, files.items[0].data, files.items[0].len);
		(void)pvecg_models_emit(
		    &files, &(pvecg_models_input){ openapi, sha, "fuzz", "pve" }, &err);
		(void)pvecg_routes_write(&routes, openapi, sha, "fuzz", &err);
		pvecg_buf_free(&routes);
	}
	pvecg_files_free(&files);
	cJSON_Delete(openapi);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_capture_meta meta = { "fuzz.js", "0", "apiSchema", NULL, NULL, 1, 0 };
	cJSON *in = cJSON_ParseWithLength((const char *)data, size), *capture = NULL;
	pvecg_error err;

	if (in == NULL)
		return 0;
	if (cJSON_IsArray(in) && pvecg_capture_build(&capture, in, &meta, &err) == 0) {
		downstream(capture);
		cJSON_Delete(capture);
	} else if (cJSON_IsObject(in) &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(in, "endpoints"))) {
		downstream(in);
	}
	cJSON_Delete(in);
	return 0;
}
