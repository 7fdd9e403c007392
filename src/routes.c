/* routes: openapi.json -> route_metadata.json.
 *
 * One record per operation, sorted by path then method, with everything a
 * request dispatcher or a mock CRUD server needs at start-up: the mounted
 * path, parameters by location, the request/response schema names, the
 * kind of the same path's GET data and the collection/item topology.
 * Request and response schemas are stored once under "schemas" (copied
 * from components.schemas, $refs rewritten to "#/schemas/<name>"); routes
 * name them, and body parameters point into them with a JSON pointer
 * instead of carrying a second copy. Format: schemas/route_metadata.schema.json. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/json_arena.h"
#include "pvecg/routes.h"
#include "pvecg/util.h"

#define COMP_PREFIX "#/components/schemas/"
#define META_PREFIX "#/schemas/"
#define MOUNT_PREFIX "/api2/json"
#define MAX_REF_DEPTH 512

/* Routes of one path are listed in byte order of the method name. */
#define NMETHODS PVECG_HTTP_NMETHODS
#define METHOD_LOWER(i) (pvecg_httpmethods[pvecg_httpmethods_by_name[i]].lower)
#define METHOD_UPPER(i) (pvecg_httpmethods[pvecg_httpmethods_by_name[i]].upper)

/* components.schemas by name, for binary search: the objects are linear
 * lists and a thousand look-ups each would cost a quadratic walk. */
struct comp {
	const char *name;
	const cJSON *src;
	int added; /* already copied into "schemas" */
};

struct rctx {
	const cJSON *openapi;
	const cJSON *paths;
	const cJSON *comps; /* components.schemas (may be NULL) */
	struct comp *index; /* comps sorted by name */
	size_t ncomps;
	cJSON *schemas;     /* output "schemas" */
	const char **names; /* sorted path templates */
	size_t npaths;
	pvecg_error *err;
};

PVECG_NODISCARD static int
oom(struct rctx *c)
{
	return pvecg_error_set(c->err, PVECG_ENOMEM, "openapi.json", "out of memory");
}

/* "X" for {"$ref": "#/components/schemas/X"}, else NULL. */
static const char *
component_name(const cJSON *schema)
{
	const char *ref = pvecg_json_str(schema, "$ref");

	if (ref == NULL || strncmp(ref, COMP_PREFIX, strlen(COMP_PREFIX)) != 0)
		return NULL;
	ref += strlen(COMP_PREFIX);
	return *ref != '\0' && strchr(ref, '/') == NULL ? ref : NULL;
}

static int add_schema(struct rctx *c, const char *name, int depth);

/* Pulls every component node $refs into "schemas", so the output needs no
 * openapi.json. The $refs themselves are rewritten to point into
 * "schemas" when the document is written. */
PVECG_NODISCARD static int
pull_refs(struct rctx *c, const cJSON *node, int depth)
{
	const cJSON *ch;
	int rc;

	if (depth > MAX_REF_DEPTH)
		return pvecg_error_set(c->err, PVECG_ELIMIT, "openapi.json",
		    "schemas nest deeper than %d levels", MAX_REF_DEPTH);
	for (ch = node->child; ch != NULL; ch = ch->next) {
		if (ch->string != NULL && strcmp(ch->string, "$ref") == 0 && cJSON_IsString(ch) &&
		    strncmp(ch->valuestring, COMP_PREFIX, strlen(COMP_PREFIX)) == 0) {
			const char *rest = ch->valuestring + strlen(COMP_PREFIX);
			char *name = pvecg_strndup(rest, strcspn(rest, "/"));

			if (name == NULL)
				return oom(c);
			rc = add_schema(c, name, depth + 1);
			free(name);
			if (rc != 0)
				return rc;
		} else if (cJSON_IsObject(ch) || cJSON_IsArray(ch)) {
			rc = pull_refs(c, ch, depth + 1);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

/* The output's view of an openapi.json schema: containers are borrowed
 * (cJSON references, not freed with the output), scalars copied. */
static cJSON *
borrow(const cJSON *s)
{
	if (cJSON_IsObject(s))
		return cJSON_CreateObjectReference(s->child);
	if (cJSON_IsArray(s))
		return cJSON_CreateArrayReference(s->child);
	return cJSON_Duplicate(s, 1);
}

static int
comp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct comp *)a)->name, ((const struct comp *)b)->name);
}

static int
index_comps(struct rctx *c)
{
	const cJSON *s;
	size_t n = 0;

	c->ncomps = (size_t)cJSON_GetArraySize(c->comps);
	c->index = calloc(c->ncomps ? c->ncomps : 1, sizeof(*c->index));
	if (c->index == NULL)
		return oom(c);
	cJSON_ArrayForEach(s, c->comps)
		if (s->string != NULL)
			c->index[n++] = (struct comp){ s->string, s, 0 };
	c->ncomps = n;
	qsort(c->index, n, sizeof(*c->index), comp_cmp);
	return 0;
}

static struct comp *
find_comp(const struct rctx *c, const char *name)
{
	struct comp key = { name, NULL, 0 };

	return bsearch(&key, c->index, c->ncomps, sizeof(*c->index), comp_cmp);
}

PVECG_NODISCARD static int
add_schema(struct rctx *c, const char *name, int depth)
{
	struct comp *e = find_comp(c, name);
	cJSON *copy;

	if (e == NULL)
		return pvecg_error_set(c->err, PVECG_EINPUT, "openapi.json",
		    "$ref to missing components.schemas.%s", name);
	if (e->added)
		return 0;
	e->added = 1;
	copy = borrow(e->src);
	if (copy == NULL || !cJSON_AddItemToObject(c->schemas, name, copy)) {
		cJSON_Delete(copy);
		return oom(c);
	}
	/* Marked added first, so a cycle of $refs ends here. */
	return pull_refs(c, e->src, depth);
}

/* The component name of an operation's `data` payload schema. */
static const cJSON *
response_data_schema(const cJSON *op)
{
	const cJSON *r = pvecg_json_get(op, "responses");
	const cJSON *ok = pvecg_json_get(r, "200");
	const cJSON *s;

	if (ok == NULL)
		ok = pvecg_json_get(r, "default");
	s = pvecg_json_get(ok, "content");
	s = pvecg_json_get(s, "application/json");
	s = pvecg_json_get(s, "schema");
	s = pvecg_json_get(s, "properties");
	return pvecg_json_get(s, "data");
}

static const char *
request_name(const cJSON *op)
{
	const cJSON *b = pvecg_json_get(op, "requestBody");
	const cJSON *ct = pvecg_json_get(b, "content");
	const cJSON *m = pvecg_json_get(ct, "application/json");

	if (m == NULL)
		m = pvecg_json_get(ct, "application/x-www-form-urlencoded");
	return component_name(pvecg_json_get(m, "schema"));
}

/* Follows one component $ref so kinds can be read from the real schema. */
static const cJSON *
deref(const struct rctx *c, const cJSON *s)
{
	const char *name = component_name(s);
	const struct comp *e = name != NULL ? find_comp(c, name) : NULL;

	return name == NULL ? s : e != NULL ? e->src : NULL;
}

/* array|object|scalar|none: "none" when there is no GET or it returns null. */
static const char *
get_kind(const struct rctx *c, const cJSON *path_item)
{
	const cJSON *get = pvecg_json_get(path_item, "get");
	const cJSON *s, *t;
	const char *type = NULL;

	if (get == NULL)
		return "none";
	s = deref(c, response_data_schema(get));
	t = pvecg_json_get(s, "type");
	if (cJSON_IsString(t)) {
		type = t->valuestring;
	} else if (cJSON_IsArray(t)) {
		const cJSON *e;

		cJSON_ArrayForEach(e, t)
			if (cJSON_IsString(e) && strcmp(e->valuestring, "null") != 0) {
				type = e->valuestring;
				break;
			}
		if (type == NULL)
			type = "null";
	}
	if (type == NULL) /* untyped: judge by shape */
		type = cJSON_HasObjectItem(s, "items") ? "array"
		    : cJSON_HasObjectItem(s, "properties") ||
		        cJSON_HasObjectItem(s, "patternProperties")
		    ? "object"
		    : "scalar";
	if (strcmp(type, "array") == 0 || strcmp(type, "object") == 0)
		return type;
	return strcmp(type, "null") == 0 ? "none" : "scalar";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
has_path(const struct rctx *c, const char *p)
{
	return bsearch(&p, c->names, c->npaths, sizeof(*c->names), cmp_str) != NULL;
}

/* The parameter name when the last segment of p is "{name}", else NULL
 * (then *plen is left alone). *plen gets the parent's length. */
static char *
last_param(const char *p, size_t *plen)
{
	const char *slash = strrchr(p, '/');
	size_t n;

	if (slash == NULL || slash[1] != '{')
		return NULL;
	n = strlen(slash + 1);
	if (n < 3 || slash[n] != '}' || memchr(slash + 2, '}', n - 2) != NULL)
		return NULL;
	*plen = (size_t)(slash - p);
	return pvecg_strndup(slash + 2, n - 2);
}

PVECG_NODISCARD static int
add_name_or_null(cJSON *obj, const char *key, const char *name)
{
	cJSON *v = name != NULL ? cJSON_CreateString(name) : cJSON_CreateNull();

	if (v == NULL || !cJSON_AddItemToObject(obj, key, v)) {
		cJSON_Delete(v);
		return PVECG_ENOMEM;
	}
	return 0;
}

/* {"template": "/nodes/{node}", "parameter": "node"} or null. */
static int
add_child(struct rctx *c, cJSON *route, const char *path)
{
	size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path), i, ppl;
	cJSON *child = NULL;

	for (i = 0; i < c->npaths && child == NULL; i++) {
		const char *q = c->names[i];
		char *param;

		if (strncmp(q, path, plen) != 0 || q[plen] != '/')
			continue;
		param = last_param(q, &ppl);
		if (param == NULL || ppl != plen) {
			free(param);
			continue;
		}
		child = cJSON_CreateObject();
		if (child == NULL || cJSON_AddStringToObject(child, "template", q) == NULL ||
		    cJSON_AddStringToObject(child, "parameter", param) == NULL) {
			free(param);
			cJSON_Delete(child);
			return oom(c);
		}
		free(param);
	}
	if (child == NULL)
		child = cJSON_CreateNull();
	if (child == NULL || !cJSON_AddItemToObject(route, "child", child)) {
		cJSON_Delete(child);
		return oom(c);
	}
	return 0;
}

/* The parent collection's GET item schema: a component name when the
 * items are a $ref, else a pointer into the stored response schema. */
static cJSON *
item_schema(struct rctx *c, const char *parent)
{
	const cJSON *pi = pvecg_json_get(c->paths, parent);
	const cJSON *get = pvecg_json_get(pi, "get");
	const cJSON *data = response_data_schema(get);
	const char *name = component_name(data);
	const cJSON *s = deref(c, data), *items;
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *ref;

	items = pvecg_json_get(s, "items");
	if (get == NULL || name == NULL || !cJSON_IsObject(items))
		return cJSON_CreateNull();
	if (component_name(items) != NULL)
		return cJSON_CreateString(component_name(items));
	if (pvecg_buf_printf(&b, META_PREFIX "%s/items", name) != 0)
		return NULL;
	ref = cJSON_CreateObject();
	if (ref != NULL && cJSON_AddStringToObject(ref, "$ref", b.data) == NULL) {
		cJSON_Delete(ref);
		ref = NULL;
	}
	pvecg_buf_free(&b);
	return ref;
}

PVECG_NODISCARD static int
add_parent(struct rctx *c, cJSON *route, const char *path)
{
	size_t plen = 0;
	char *param = last_param(path, &plen);
	char *parent = NULL;
	cJSON *obj = NULL, *item;
	int rc = 0;

	if (param != NULL) {
		parent = plen == 0 ? pvecg_strdup("/") : pvecg_strndup(path, plen);
		if (parent == NULL) {
			rc = oom(c);
			goto out;
		}
	}
	if (parent == NULL || !has_path(c, parent)) {
		if (add_name_or_null(route, "parent", NULL) != 0)
			rc = oom(c);
		goto out;
	}
	obj = cJSON_CreateObject();
	item = item_schema(c, parent);
	if (obj == NULL || item == NULL || !cJSON_AddItemToObject(obj, "item_schema", item) ||
	    cJSON_AddStringToObject(obj, "template", parent) == NULL ||
	    cJSON_AddStringToObject(obj, "parameter", param) == NULL ||
	    !cJSON_AddItemToObject(route, "parent", obj)) {
		if (obj == NULL || !cJSON_HasObjectItem(obj, "item_schema"))
			cJSON_Delete(item);
		cJSON_Delete(obj);
		rc = oom(c);
	}
out:
	free(param);
	free(parent);
	return rc;
}

PVECG_NODISCARD static int
add_param(cJSON *list, const char *name, int required, cJSON *schema, const char *name_pattern)
{
	cJSON *p = cJSON_CreateObject();

	if (p == NULL || schema == NULL || cJSON_AddStringToObject(p, "name", name) == NULL ||
	    cJSON_AddBoolToObject(p, "required", required) == NULL ||
	    !cJSON_AddItemToObject(p, "schema", schema)) {
		if (p == NULL || !cJSON_HasObjectItem(p, "schema"))
			cJSON_Delete(schema);
		cJSON_Delete(p);
		return PVECG_ENOMEM;
	}
	if (name_pattern != NULL &&
	    cJSON_AddStringToObject(p, "name_pattern", name_pattern) == NULL) {
		cJSON_Delete(p);
		return PVECG_ENOMEM;
	}
	if (!cJSON_AddItemToArray(list, p)) {
		cJSON_Delete(p);
		return PVECG_ENOMEM;
	}
	return 0;
}

/* Path and query parameters from the path item and the operation. */
PVECG_NODISCARD static int
add_located_params(struct rctx *c, cJSON *path_l, cJSON *query_l, const cJSON *params)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, params) {
		const char *in = pvecg_json_str(p, "in");
		const char *name = pvecg_json_str(p, "name");
		const cJSON *s = pvecg_json_get(p, "schema");
		cJSON *list = NULL, *copy;
		int required, rc;

		if (in != NULL && strcmp(in, "path") == 0)
			list = path_l;
		else if (in != NULL && strcmp(in, "query") == 0)
			list = query_l;
		if (list == NULL || name == NULL)
			continue; /* header/cookie parameters are not Proxmox's */
		required = strcmp(in, "path") == 0 || cJSON_IsTrue(pvecg_json_get(p, "required"));
		copy = s != NULL ? borrow(s) : cJSON_CreateObject();
		if (copy == NULL)
			return oom(c);
		rc = s != NULL ? pull_refs(c, s, 0) : 0;
		if (rc != 0) {
			cJSON_Delete(copy);
			return rc;
		}
		if (add_param(list, name, required, copy, NULL) != 0)
			return oom(c);
	}
	return 0;
}

/* JSON pointer segment inside a URI fragment: ~0 ~1, then %XX for
 * everything that is not a plain URI fragment character. */
PVECG_NODISCARD static int
pointer_segment(pvecg_buf *b, const char *s)
{
	static const char ok[] = "-._!$&'()*+,;=:@";
	int rc = 0;

	for (; *s && rc == 0; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '~')
			rc = pvecg_buf_puts(b, "~0");
		else if (ch == '/')
			rc = pvecg_buf_puts(b, "~1");
		else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || (ch != 0 && strchr(ok, ch) != NULL))
			rc = pvecg_buf_append(b, s, 1);
		else
			rc = pvecg_buf_printf(b, "%%%02X", ch);
	}
	return rc;
}

static cJSON *
pointer_ref(const char *schema, const char *kw, const char *key)
{
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *ref = NULL;

	if (pvecg_buf_printf(&b, META_PREFIX "%s/%s/", schema, kw) == 0 &&
	    pointer_segment(&b, key) == 0) {
		ref = cJSON_CreateObject();
		if (ref != NULL && cJSON_AddStringToObject(ref, "$ref", b.data) == NULL) {
			cJSON_Delete(ref);
			ref = NULL;
		}
	}
	pvecg_buf_free(&b);
	return ref;
}

/* "^net\d+$" -> "net[n]", the way the viewer spells indexed parameters. */
static char *
indexed_name(const char *pattern)
{
	size_t n = strlen(pattern);

	if (n > 5 && pattern[0] == '^' && strcmp(pattern + n - 4, "\\d+$") == 0) {
		char *s = malloc(n - 5 + 4);

		if (s != NULL) {
			memcpy(s, pattern + 1, n - 5);
			memcpy(s + n - 5, "[n]", 4);
		}
		return s;
	}
	return pvecg_strdup(pattern);
}

static int
name_in(const cJSON *arr, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && strcmp(e->valuestring, name) == 0)
			return 1;
	return 0;
}

/* "net[n]" when property p is a member of an enumerated indexed family
 * (net0..net31, each a $ref to one member schema), else NULL. */
static const char *
indexed_family(const struct rctx *c, const cJSON *p)
{
	const char *ref = pvecg_json_str(p, "$ref");
	const struct comp *m;
	const char *fam;
	size_t n;

	if (ref == NULL || strncmp(ref, COMP_PREFIX, strlen(COMP_PREFIX)) != 0 ||
	    (m = find_comp(c, ref + strlen(COMP_PREFIX))) == NULL ||
	    (fam = pvecg_json_str(m->src, "x-proxmox-indexed")) == NULL || (n = strlen(fam)) < 4 ||
	    strncmp(p->string, fam, n - 3) != 0)
		return NULL;
	return fam;
}

/* One body parameter per indexed family, as "net[n]" with its name
 * pattern, pointing at the first member (all share one schema). */
PVECG_NODISCARD static int
add_family_param(cJSON *body, const char *req, const cJSON *p, const char *fam)
{
	pvecg_buf pat = PVECG_BUF_INIT;
	const cJSON *q;
	int rc;

	cJSON_ArrayForEach(q, body)
		if (strcmp(pvecg_json_str(q, "name"), fam) == 0)
			return 0;
	if (pvecg_buf_printf(&pat, "^%.*s\\d+$", (int)(strlen(fam) - 3), fam) != 0)
		return PVECG_ENOMEM;
	rc = add_param(body, fam, 0, pointer_ref(req, "properties", p->string), pat.data);
	pvecg_buf_free(&pat);
	return rc;
}

/* Body parameters point into schemas[<request>] instead of copying it. */
PVECG_NODISCARD static int
add_body_params(struct rctx *c, cJSON *body, const char *req)
{
	const struct comp *e = find_comp(c, req);
	const cJSON *s = e != NULL ? e->src : NULL;
	const cJSON *required = pvecg_json_get(s, "required");
	const cJSON *p;

	cJSON_ArrayForEach(p, pvecg_json_get(s, "properties")) {
		const char *fam = indexed_family(c, p);

		if (fam != NULL ? add_family_param(body, req, p, fam) != 0
		                : add_param(body, p->string, name_in(required, p->string),
		                      pointer_ref(req, "properties", p->string), NULL) != 0)
			return oom(c);
	}
	cJSON_ArrayForEach(p, pvecg_json_get(s, "patternProperties")) {
		char *name = indexed_name(p->string);
		int rc = name == NULL
		    ? PVECG_ENOMEM
		    : add_param(body, name, 0, pointer_ref(req, "patternProperties", p->string),
		          p->string);

		free(name);
		if (rc != 0)
			return oom(c);
	}
	return 0;
}

static int
cmp_param_name(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

	return strcmp(pvecg_json_str(x, "name"), pvecg_json_str(y, "name"));
}

/* Query and body lists sorted by name, so the bytes do not depend on the
 * key order of the in-memory document; path parameters keep path order. */
PVECG_NODISCARD static int
sort_params(cJSON *list)
{
	size_t n = (size_t)cJSON_GetArraySize(list), i;
	cJSON **v;

	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return PVECG_ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(list, 0);
	qsort(v, n, sizeof(*v), cmp_param_name);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, v[i]);
	free(v);
	return 0;
}

PVECG_NODISCARD static int
build_params(struct rctx *c, cJSON *route, const cJSON *path_item, const cJSON *op, const char *req)
{
	cJSON *params = cJSON_AddObjectToObject(route, "parameters");
	cJSON *path_l = params ? cJSON_AddArrayToObject(params, "path") : NULL;
	cJSON *query_l = params ? cJSON_AddArrayToObject(params, "query") : NULL;
	cJSON *body_l = params ? cJSON_AddArrayToObject(params, "body") : NULL;
	int rc;

	if (body_l == NULL)
		return oom(c);
	rc = add_located_params(c, path_l, query_l, pvecg_json_get(path_item, "parameters"));
	if (rc == 0)
		rc = add_located_params(c, path_l, query_l, pvecg_json_get(op, "parameters"));
	if (rc == 0 && req != NULL)
		rc = add_body_params(c, body_l, req);
	if (rc == 0 && (sort_params(query_l) != 0 || sort_params(body_l) != 0))
		rc = oom(c);
	return rc;
}

PVECG_NODISCARD static int
build_route(struct rctx *c, cJSON *routes, const char *path, const cJSON *path_item,
    const char *method, const cJSON *op)
{
	const char *opid = pvecg_json_str(op, "operationId");
	const char *resp = component_name(response_data_schema(op));
	const char *req = request_name(op);
	char upper[8];
	pvecg_buf mounted = PVECG_BUF_INIT;
	cJSON *r;
	size_t i;
	int rc = 0;

	if (opid == NULL)
		return pvecg_error_set(c->err, PVECG_EINPUT, "openapi.json",
		    "paths.%s.%s: no operationId", path, method);
	for (i = 0; method[i] != '\0' && i + 1 < sizeof(upper); i++)
		upper[i] = (char)(method[i] - 'a' + 'A');
	upper[i] = '\0';
	r = cJSON_CreateObject();
	if (r == NULL || !cJSON_AddItemToArray(routes, r)) {
		cJSON_Delete(r);
		return oom(c);
	}
	if (pvecg_buf_printf(&mounted, MOUNT_PREFIX "%s", path) != 0 ||
	    cJSON_AddStringToObject(r, "mounted_path", mounted.data) == NULL ||
	    cJSON_AddStringToObject(r, "path", path) == NULL ||
	    cJSON_AddStringToObject(r, "method", upper) == NULL ||
	    cJSON_AddStringToObject(r, "operation_id", opid) == NULL ||
	    cJSON_AddStringToObject(r, "summary",
	        pvecg_json_str(op, "summary") ? pvecg_json_str(op, "summary") : "") == NULL ||
	    cJSON_AddStringToObject(r, "description",
	        pvecg_json_str(op, "description") ? pvecg_json_str(op, "description") : "") ==
	        NULL ||
	    cJSON_AddStringToObject(r, "get_kind", get_kind(c, path_item)) == NULL ||
	    add_name_or_null(r, "request_schema", req) != 0 ||
	    add_name_or_null(r, "response_schema", resp) != 0) {
		pvecg_buf_free(&mounted);
		return oom(c);
	}
	pvecg_buf_free(&mounted);
	if ((req != NULL && (rc = add_schema(c, req, 0)) != 0) ||
	    (resp != NULL && (rc = add_schema(c, resp, 0)) != 0))
		return rc;
	rc = build_params(c, r, path_item, op, req);
	if (rc == 0)
		rc = add_child(c, r, path);
	if (rc == 0)
		rc = add_parent(c, r, path);
	return rc;
}

static int
add_counts(struct rctx *c, cJSON *doc, const size_t per[NMETHODS], size_t routes)
{
	cJSON *cpm = cJSON_AddObjectToObject(doc, "counts_per_method");
	size_t i;

	if (cpm == NULL)
		return oom(c);
	for (i = 0; i < NMETHODS; i++)
		if (cJSON_AddNumberToObject(cpm, METHOD_UPPER(i), (double)per[i]) == NULL)
			return oom(c);
	if (cJSON_AddNumberToObject(doc, "path_count", (double)c->npaths) == NULL ||
	    cJSON_AddNumberToObject(doc, "route_count", (double)routes) == NULL)
		return oom(c);
	return 0;
}

PVECG_NODISCARD static int
build_routes(struct rctx *c, cJSON *doc)
{
	cJSON *routes = cJSON_AddArrayToObject(doc, "routes");
	size_t per[NMETHODS] = { 0 }, total = 0, i, m;
	int rc;

	if (routes == NULL)
		return oom(c);
	for (i = 0; i < c->npaths; i++) {
		const cJSON *item = pvecg_json_get(c->paths, c->names[i]);

		for (m = 0; m < NMETHODS; m++) {
			const cJSON *op = pvecg_json_get(item, METHOD_LOWER(m));

			if (!cJSON_IsObject(op))
				continue;
			rc = build_route(c, routes, c->names[i], item, METHOD_LOWER(m), op);
			if (rc != 0)
				return rc;
			per[m]++;
			total++;
		}
	}
	return add_counts(c, doc, per, total);
}

PVECG_NODISCARD static int
collect_paths(struct rctx *c)
{
	const cJSON *p;
	size_t n = 0;

	c->npaths = (size_t)cJSON_GetArraySize(c->paths);
	c->names = calloc(c->npaths ? c->npaths : 1, sizeof(*c->names));
	if (c->names == NULL)
		return oom(c);
	cJSON_ArrayForEach(p, c->paths) {
		if (p->string == NULL || p->string[0] != '/')
			return pvecg_error_set(c->err, PVECG_EINPUT, "openapi.json",
			    "paths: key \"%s\" does not start with '/'",
			    p->string ? p->string : "");
		c->names[n++] = p->string;
	}
	qsort(c->names, n, sizeof(*c->names), cmp_str);
	for (n = 1; n < c->npaths; n++)
		if (strcmp(c->names[n - 1], c->names[n]) == 0)
			return pvecg_error_set(c->err, PVECG_EINPUT, "openapi.json",
			    "paths: duplicate key \"%s\"", c->names[n]);
	return 0;
}

static int
add_header(struct rctx *c, cJSON *doc, const char *sha, const char *tag)
{
	const cJSON *info = pvecg_json_get(c->openapi, "info");
	const char *product = pvecg_json_str(info, "x-proxmox-product");

	if (cJSON_AddNumberToObject(doc, "schema_version", 1) == NULL ||
	    cJSON_AddStringToObject(doc, "version_tag", tag) == NULL ||
	    cJSON_AddStringToObject(doc, "openapi_sha256", sha) == NULL ||
	    add_name_or_null(doc, "product", product) != 0)
		return oom(c);
	return 0;
}

/* The document is built in an arena of this thread (its nodes borrow
 * openapi's schemas), written, and dropped with the arena. */
int
pvecg_routes_write(pvecg_buf *out, const cJSON *openapi, const char *openapi_sha256,
    const char *version_tag, pvecg_error *err)
{
	pvecg_json_arena *arena, *saved;
	struct rctx c;
	cJSON *doc;
	int rc;

	memset(&c, 0, sizeof(c));
	c.openapi = openapi;
	c.err = err;
	c.paths = pvecg_json_get(openapi, "paths");
	c.comps = pvecg_json_get(pvecg_json_get(openapi, "components"), "schemas");
	if (!cJSON_IsObject(c.paths))
		return pvecg_error_set(err, PVECG_EINPUT, "openapi.json", "no \"paths\" object");
	if (openapi_sha256 == NULL || version_tag == NULL)
		return pvecg_error_set(
		    err, PVECG_EINTERNAL, "routes", "openapi_sha256 and version_tag are required");
	if (pvecg_json_arena_new(&arena) != 0)
		return oom(&c);
	saved = pvecg_json_arena_enter(arena);
	doc = cJSON_CreateObject();
	c.schemas = doc ? cJSON_AddObjectToObject(doc, "schemas") : NULL;
	rc = c.schemas != NULL ? collect_paths(&c) : oom(&c);
	if (rc == 0)
		rc = index_comps(&c);
	if (rc == 0)
		rc = add_header(&c, doc, openapi_sha256, version_tag);
	if (rc == 0)
		rc = build_routes(&c, doc);
	pvecg_json_arena_enter(saved);
	if (rc == 0 && (rc = pvecg_json_write_rebased(out, doc, COMP_PREFIX, META_PREFIX)) != 0)
		rc = pvecg_json_write_error(err, rc, "route_metadata.json");
	free(c.names);
	free(c.index);
	pvecg_json_arena_free(arena);
	return rc;
}
