/* mock_api: route_metadata.json as a route table for the mock (templates
 * split into segments, parameters and schemas resolved, path matching). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_int.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

#define MOCK_METADATA_MAX ((size_t)256 << 20)

/* One JSON-pointer token, %XX- and ~-decoded, into out. */
static void
pointer_token(char *out, size_t cap, const char *s, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 1 < cap; i++) {
		if (s[i] == '%' && i + 2 < n) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else if (s[i] == '~' && i + 1 < n) {
			out[o++] = s[i + 1] == '1' ? '/' : '~';
			i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

static const cJSON *
follow_ref(const mock_api *api, const char *ref)
{
	const cJSON *cur = api->schemas;
	const char *p;
	char tok[512];

	if (strncmp(ref, "#/schemas/", 10) != 0)
		return NULL;
	p = ref + 10;
	while (cur != NULL && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		pointer_token(tok, sizeof(tok), p, n);
		if (cJSON_IsArray(cur))
			cur = cJSON_GetArrayItem(cur, atoi(tok));
		else
			cur = pvecg_json_get(cur, tok);
		p += n + (slash ? 1 : 0);
	}
	return cur;
}

const cJSON *
mock_resolve(const mock_api *api, const cJSON *schema)
{
	int hops = 0;

	while (schema != NULL && hops++ < 32) {
		const cJSON *ref = pvecg_json_get(schema, "$ref");

		if (!cJSON_IsString(ref))
			return schema;
		schema = follow_ref(api, ref->valuestring);
	}
	return schema;
}

bool
mock_type_has(const cJSON *schema, const char *type)
{
	const cJSON *t = pvecg_json_get(schema, "type"), *e;

	if (cJSON_IsString(t))
		return strcmp(t->valuestring, type) == 0;
	cJSON_ArrayForEach(e, t)
		if (cJSON_IsString(e) && strcmp(e->valuestring, type) == 0)
			return true;
	return false;
}

const char *
mock_declared_type(const cJSON *schema)
{
	const cJSON *t = pvecg_json_get(schema, "x-proxmox-type"), *e;

	if (cJSON_IsString(t))
		return t->valuestring;
	t = pvecg_json_get(schema, "type");
	if (cJSON_IsString(t))
		return t->valuestring;
	cJSON_ArrayForEach(e, t)
		if (cJSON_IsString(e) && strcmp(e->valuestring, "null") != 0)
			return e->valuestring;
	return NULL;
}

PVECG_NODISCARD static int
split_template(mock_route *r)
{
	const char *p = r->path;
	size_t n = 0;

	for (const char *q = p; *q; q++)
		n += *q == '/';
	r->seg = calloc(n + 1, sizeof(char *));
	if (r->seg == NULL)
		return -1;
	while (*p == '/') {
		const char *s = p + 1, *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == 0)
			break;
		if ((r->seg[r->nseg] = pvecg_strndup(s, len)) == NULL)
			return -1;
		if (s[0] != '{')
			r->literal++;
		r->nseg++;
		p = s + len;
	}
	return 0;
}

PVECG_NODISCARD static int
load_params(mock_api *api, mock_route *r, const cJSON *params)
{
	static const char *const kinds[] = { "path", "query", "body" };
	size_t n = 0, k;
	const cJSON *p;

	for (k = 0; k < 3; k++)
		n += (size_t)cJSON_GetArraySize(pvecg_json_get(params, kinds[k]));
	r->params = calloc(n ? n : 1, sizeof(*r->params));
	if (r->params == NULL)
		return -1;
	for (k = 0; k < 3; k++) {
		cJSON_ArrayForEach(p, pvecg_json_get(params, kinds[k])) {
			mock_param *mp = &r->params[r->n_params];
			const char *name = pvecg_json_str(p, "name");

			if (name == NULL)
				continue;
			mp->name = name;
			mp->kind = (int)k;
			mp->required = cJSON_IsTrue(pvecg_json_get(p, "required"));
			mp->schema = mock_resolve(api, pvecg_json_get(p, "schema"));
			/* compiled now: requests then only read the table */
			if (pvecg_json_str(mp->schema, "pattern") != NULL)
				(void)mock_regex_match(
				    &mp->pattern, pvecg_json_str(mp->schema, "pattern"), NULL);
			if (pvecg_json_str(p, "name_pattern") != NULL) {
				mp->indexed = true;
				(void)mock_regex_match(
				    &mp->name_re, pvecg_json_str(p, "name_pattern"), NULL);
			}
			r->n_params++;
		}
	}
	return 0;
}

static int
get_kind_of(const char *s)
{
	if (s == NULL)
		return MOCK_GET_NONE;
	if (strcmp(s, "array") == 0)
		return MOCK_GET_ARRAY;
	if (strcmp(s, "object") == 0)
		return MOCK_GET_OBJECT;
	return strcmp(s, "scalar") == 0 ? MOCK_GET_SCALAR : MOCK_GET_NONE;
}

PVECG_NODISCARD static int
load_route(mock_api *api, mock_route *r, const cJSON *j)
{
	const cJSON *child = pvecg_json_get(j, "child");
	const cJSON *parent = pvecg_json_get(j, "parent");
	const char *resp = pvecg_json_str(j, "response_schema");

	r->method = pvecg_json_str(j, "method");
	r->path = pvecg_json_str(j, "path");
	if (r->method == NULL || r->path == NULL || r->path[0] != '/')
		return 1;
	if (split_template(r) != 0 || load_params(api, r, pvecg_json_get(j, "parameters")) != 0)
		return -1;
	if (resp != NULL)
		r->response = pvecg_json_get(api->schemas, resp);
	r->get_kind = get_kind_of(pvecg_json_str(j, "get_kind"));
	if (cJSON_IsObject(child)) {
		r->child_tpl = pvecg_json_str(child, "template");
		r->child_param = pvecg_json_str(child, "parameter");
	}
	if (cJSON_IsObject(parent)) {
		const cJSON *is = pvecg_json_get(parent, "item_schema");

		r->parent_tpl = pvecg_json_str(parent, "template");
		r->parent_param = pvecg_json_str(parent, "parameter");
		if (cJSON_IsString(is))
			r->item_schema = pvecg_json_get(api->schemas, is->valuestring);
		else
			r->item_schema = mock_resolve(api, is);
	}
	return 0;
}

int
mock_api_load(mock_api *api, const char *version_dir, pvecg_error *err)
{
	char path[4096];
	const cJSON *routes, *j;
	int rc;

	memset(api, 0, sizeof(*api));
	if (pvecg_path(path, sizeof(path), "%s/route_metadata.json", version_dir) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, version_dir, "path too long");
	if ((rc = pvecg_json_read_file(&api->doc, path, MOCK_METADATA_MAX, err)) != 0)
		return rc;
	api->schemas = pvecg_json_get(api->doc, "schemas");
	routes = pvecg_json_get(api->doc, "routes");
	if (!cJSON_IsObject(api->schemas) || !cJSON_IsArray(routes) ||
	    cJSON_GetArraySize(routes) == 0) {
		mock_api_free(api);
		return pvecg_error_set(
		    err, PVECG_EINPUT, path, "not a route_metadata.json (no schemas or routes)");
	}
	snprintf(api->product, sizeof(api->product), "%s",
	    pvecg_json_str(api->doc, "product") ? pvecg_json_str(api->doc, "product") : "pve");
	snprintf(api->version, sizeof(api->version), "%s",
	    pvecg_json_str(api->doc, "version_tag") ? pvecg_json_str(api->doc, "version_tag")
	                                            : "?");
	api->routes = calloc((size_t)cJSON_GetArraySize(routes), sizeof(*api->routes));
	if (api->routes == NULL) {
		mock_api_free(api);
		return pvecg_error_set(err, PVECG_ENOMEM, path, "out of memory");
	}
	cJSON_ArrayForEach(j, routes) {
		rc = load_route(api, &api->routes[api->n_routes], j);
		if (rc < 0) {
			api->n_routes++;
			mock_api_free(api);
			return pvecg_error_set(err, PVECG_ENOMEM, path, "out of memory");
		}
		if (rc == 0)
			api->n_routes++;
	}
	mock_rules_apply(api);
	return 0;
}

void
mock_api_free(mock_api *api)
{
	size_t i, k;

	for (i = 0; api->routes != NULL && i < api->n_routes; i++) {
		mock_route *r = &api->routes[i];

		for (k = 0; k < r->nseg; k++)
			free(r->seg[k]);
		free(r->seg);
		for (k = 0; k < r->n_params; k++) {
			mock_regex_free(&r->params[k].pattern);
			mock_regex_free(&r->params[k].name_re);
		}
		free(r->params);
	}
	free(api->routes);
	cJSON_Delete(api->doc);
	memset(api, 0, sizeof(*api));
}

/* Splits a concrete path into at most cap segments; -1 when longer. */
PVECG_NODISCARD static int
split_path(const char *path, const char **seg, size_t *len, size_t cap)
{
	int n = 0;
	const char *p = path;

	while (*p == '/') {
		const char *s = p + 1, *e = strchr(s, '/');
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (l == 0) {
			if (e != NULL)
				return -1;
			p = s; /* one trailing slash is fine */
			break;
		}
		if ((size_t)n == cap)
			return -1;
		seg[n] = s;
		len[n++] = l;
		p = s + l;
	}
	return *p ? -1 : n;
}

static bool
route_fits(const mock_route *r, const char **seg, const size_t *len, size_t n)
{
	size_t i;

	if (r->nseg != n)
		return false;
	for (i = 0; i < n; i++)
		if (r->seg[i][0] != '{' &&
		    (strlen(r->seg[i]) != len[i] || memcmp(r->seg[i], seg[i], len[i]) != 0))
			return false;
	return true;
}

const mock_route *
mock_route_match(
    const mock_api *api, const char *method, const char *path, cJSON **path_vals, bool *any_method)
{
	const char *seg[32];
	size_t len[32], i;
	int n = split_path(path, seg, len, 32);
	const mock_route *best = NULL;

	*any_method = false;
	*path_vals = NULL;
	if (n < 0)
		return NULL;
	for (i = 0; i < api->n_routes; i++) {
		const mock_route *r = &api->routes[i];

		if (!route_fits(r, seg, len, (size_t)n))
			continue;
		if (strcmp(r->method, method) != 0) {
			*any_method = true;
			continue;
		}
		if (best == NULL || r->literal > best->literal)
			best = r;
	}
	if (best == NULL || (*path_vals = cJSON_CreateObject()) == NULL)
		return NULL;
	for (i = 0; i < best->nseg; i++) {
		char name[128], *val;

		if (best->seg[i][0] != '{')
			continue;
		snprintf(
		    name, sizeof(name), "%.*s", (int)strlen(best->seg[i]) - 2, best->seg[i] + 1);
		val = pvecg_strndup(seg[i], len[i]);
		if (val == NULL || cJSON_AddStringToObject(*path_vals, name, val) == NULL) {
			free(val);
			cJSON_Delete(*path_vals);
			*path_vals = NULL;
			return NULL;
		}
		free(val);
	}
	return best;
}

const mock_route *
mock_route_find(const mock_api *api, const char *method, const char *tpl)
{
	size_t i;

	for (i = 0; i < api->n_routes; i++)
		if (strcmp(api->routes[i].path, tpl) == 0 &&
		    strcmp(api->routes[i].method, method) == 0)
			return &api->routes[i];
	return NULL;
}
