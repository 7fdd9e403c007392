/* openapi (part): error responses and file transfers of an operation.
 *
 * Error bodies follow the products' HTTP servers. PVE (pve-http-server,
 * JSON formatter) answers {"data": null} plus "errors" {param: message}
 * when parameter verification failed; the message itself travels in the
 * HTTP status line (the "message"/"success" members exist only in the ExtJS
 * format). The Rust products (proxmox-rest-server) answer with the message
 * as the raw body, labelled application/json but not JSON, so the document
 * declares it as text/plain. 401 (authentication refused by the proxy) and
 * 596 (pveproxy could not reach the node) may come with an empty body. */
#include <string.h>

#include "openapi_int.h"
#include "pvecg/error.h"
#include "pvecg/json.h"
#include "pvecg/product.h"

#define ERROR_SCHEMA "ProxmoxError"
#define ERROR_REF "#/components/schemas/" ERROR_SCHEMA

static const struct {
	const char *status, *name, *desc;
} error_statuses[] = {
	{ "400", "BadRequest",
	    "Parameter verification failed or the request is "
	    "invalid. Parameter errors are listed in `errors` (PVE); the reason is "
	    "in the HTTP status line." },
	{ "401", "Unauthorized",
	    "No valid ticket or API token. The reason is in "
	    "the HTTP status line; the body may be empty." },
	{ "403", "Forbidden",
	    "Permission check failed. The reason is in the HTTP "
	    "status line." },
	{ "500", "InternalServerError",
	    "The handler failed. The reason is in the "
	    "HTTP status line." },
	{ "501", "NotImplemented", "Method not implemented for this path." },
	{ "596", "ProxyError",
	    "The proxy could not forward the request to the "
	    "node that handles it (connection refused, timed out, ...). The reason "
	    "is in the HTTP status line; the body may be empty." },
};

static const char pve_error_schema[] =
    "{\"type\":\"object\",\"description\":\"Error body of the JSON API: `data` is "
    "null; `errors` maps parameter names to messages when parameter "
    "verification failed. The message is in the HTTP status line.\","
    "\"properties\":{\"data\":{\"type\":\"null\"},"
    "\"errors\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
    "\"message\":{\"type\":\"string\"}},\"required\":[\"data\"]}";

static const char rust_error_schema[] =
    "{\"type\":\"string\",\"description\":\"Error message as the raw body (the "
    "server labels it application/json, but it is plain text).\"}";

static int
put_string(cJSON *obj, const char *key, const char *s)
{
	return pvecg_json_put(obj, key, cJSON_CreateString(s));
}

PVECG_NODISCARD static int
error_response(cJSON *responses, const char *name, const char *desc, const char *media)
{
	cJSON *r = cJSON_CreateObject(), *content, *mt, *schema;

	if (pvecg_json_put(responses, name, r) != 0 || put_string(r, "description", desc) != 0 ||
	    pvecg_json_put(r, "content", content = cJSON_CreateObject()) != 0 ||
	    pvecg_json_put(content, media, mt = cJSON_CreateObject()) != 0 ||
	    pvecg_json_put(mt, "schema", schema = cJSON_CreateObject()) != 0 ||
	    put_string(schema, "$ref", ERROR_REF) != 0)
		return PVECG_ENOMEM;
	return 0;
}

int
pvecg_openapi_error_components(cJSON *components, cJSON *schemas, const char *product)
{
	int perl = pvecg_product_find(product) != NULL && !pvecg_product_is_rust(product);
	const char *media = perl ? "application/json" : "text/plain";
	cJSON *responses = cJSON_CreateObject();
	size_t i;

	if (pvecg_json_put(components, "responses", responses) != 0 ||
	    pvecg_json_put(schemas, ERROR_SCHEMA,
	        cJSON_Parse(perl ? pve_error_schema : rust_error_schema)) != 0)
		return PVECG_ENOMEM;
	for (i = 0; i < sizeof(error_statuses) / sizeof(error_statuses[0]); i++)
		if (error_response(
		        responses, error_statuses[i].name, error_statuses[i].desc, media) != 0)
			return PVECG_ENOMEM;
	return 0;
}

int
pvecg_openapi_error_refs(cJSON *responses)
{
	char ref[64];
	cJSON *r;
	size_t i;

	for (i = 0; i < sizeof(error_statuses) / sizeof(error_statuses[0]); i++) {
		snprintf(ref, sizeof(ref), "#/components/responses/%s", error_statuses[i].name);
		if (pvecg_json_put(responses, error_statuses[i].status, r = cJSON_CreateObject()) !=
		        0 ||
		    put_string(r, "$ref", ref) != 0)
			return PVECG_ENOMEM;
	}
	return 0;
}

/* 200 answers with the file itself: instead of the JSON envelope (always a
 * download), or beside it (a handler that may answer either way). */
PVECG_NODISCARD static int
download_content(cJSON *opj, int beside_json)
{
	cJSON *ok = pvecg_json_get(pvecg_json_get(opj, "responses"), "200");
	cJSON *content, *mt, *schema;

	if (!ok)
		return 0;
	content = pvecg_json_get(ok, "content");
	if (!beside_json || content == NULL) {
		if ((content = cJSON_CreateObject()) == NULL ||
		    !cJSON_ReplaceItemInObjectCaseSensitive(ok, "content", content)) {
			cJSON_Delete(content);
			return PVECG_ENOMEM;
		}
	}
	if (pvecg_json_put(content, "application/octet-stream", mt = cJSON_CreateObject()) != 0 ||
	    pvecg_json_put(mt, "schema", schema = cJSON_CreateObject()) != 0 ||
	    put_string(schema, "type", "string") != 0 ||
	    put_string(schema, "contentMediaType", "application/octet-stream") != 0)
		return PVECG_ENOMEM;
	return cJSON_ReplaceItemInObjectCaseSensitive(ok, "description",
	           cJSON_CreateString(beside_json ? "Success; the JSON envelope, or the file "
	                                            "itself when the request asks for a download."
	                                          : "Success; the response body is the file."))
	    ? 0
	    : PVECG_ENOMEM;
}

/* The HTTP server stores a multipart upload's file part ("filename") in a
 * temporary file and passes its path as "tmpfilename". */
PVECG_NODISCARD static int
upload_content(cJSON *opj)
{
	cJSON *content = pvecg_json_get(pvecg_json_get(opj, "requestBody"), "content");
	const cJSON *json = pvecg_json_get(content, "application/json");
	cJSON *mt, *enc, *part;

	if (!json)
		return 0;
	if (pvecg_json_put(content, "multipart/form-data", mt = cJSON_CreateObject()) != 0 ||
	    pvecg_json_put(mt, "schema", cJSON_Duplicate(pvecg_json_get(json, "schema"), 1)) != 0 ||
	    pvecg_json_put(mt, "encoding", enc = cJSON_CreateObject()) != 0 ||
	    pvecg_json_put(enc, "filename", part = cJSON_CreateObject()) != 0 ||
	    put_string(part, "contentType", "application/octet-stream") != 0)
		return PVECG_ENOMEM;
	return 0;
}

static int
takes_upload(const cJSON *info)
{
	const cJSON *props = pvecg_json_get(pvecg_json_get(info, "parameters"), "properties");

	return pvecg_json_truthy(pvecg_json_get(info, "upload")) ||
	    pvecg_json_get(props, "tmpfilename") != NULL;
}

/* The Rust products' viewers carry no download flag. These handlers are
 * ApiHandler::AsyncHttp methods in proxmox-backup's
 * src/api2/admin/datastore.rs that answer with Content-Type
 * application/octet-stream and the file as the body. */
static const struct {
	const char *product, *path;
} rust_downloads[] = {
	{ "pbs", "/admin/datastore/{store}/download" },
	{ "pbs", "/admin/datastore/{store}/download-decoded" },
	{ "pbs", "/admin/datastore/{store}/pxar-file-download" },
};

/* DOWNLOAD_ALWAYS: the answer is the file; DOWNLOAD_MAY: the handler may
 * return a file instead of data (pve-http-server streams a result that
 * carries a "download" member when the method is download_allowed, e.g. a
 * task log with download=1), so both forms are declared. */
enum {
	DOWNLOAD_NO,
	DOWNLOAD_ALWAYS,
	DOWNLOAD_MAY
};

static int
is_download(const cJSON *info, const char *product, const char *path, const char *verb)
{
	size_t i;

	if (pvecg_json_truthy(pvecg_json_get(info, "download")))
		return DOWNLOAD_ALWAYS;
	if (pvecg_json_truthy(pvecg_json_get(info, "download_allowed")))
		return DOWNLOAD_MAY;
	if (strcmp(verb, "GET") != 0)
		return 0;
	for (i = 0; i < sizeof(rust_downloads) / sizeof(rust_downloads[0]); i++)
		if (!strcmp(product, rust_downloads[i].product) &&
		    !strcmp(path, rust_downloads[i].path))
			return DOWNLOAD_ALWAYS;
	return DOWNLOAD_NO;
}

int
pvecg_openapi_file_transfer(
    cJSON *opj, const cJSON *info, const char *product, const char *path, const char *verb)
{
	int rc = 0, dl = is_download(info, product, path, verb);

	if (dl != DOWNLOAD_NO)
		rc = download_content(opj, dl == DOWNLOAD_MAY);
	if (rc == 0 && takes_upload(info))
		rc = upload_content(opj);
	return rc;
}
