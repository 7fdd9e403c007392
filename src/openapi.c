/* openapi: raw capture -> OpenAPI 3.1.0 document.
 *
 * Three steps in one pass over the capture:
 *   parse      every endpoint method becomes an `struct op` (path, verb, info);
 *   normalize  duplicates (same path and verb): the last one is kept, as
 *              capture and JavaScript do, and the path is reported;
 *              operationIds and model names are made and checked for collisions;
 *   build      Proxmox schemas are mapped to JSON Schema 2020-12 (openapi_schema.c) and put into
 *              paths / components of the document.
 *
 * Proxmox-only information never gets lost: any schema key without a JSON
 * Schema meaning is kept as "x-proxmox-<key>" with its value verbatim.
 *
 * Decisions worth knowing (the unit tests pin each one):
 *  - optional 0/1/"1" -> "required" arrays; booleans' 0/1 defaults and enums
 *    -> true/false; numeric strings -> numbers; a value that does not fit its
 *    type stays only as x-proxmox-default / x-proxmox-enum.
 *  - type "any" (or one contradicted by the schema's own keywords, like an
 *    "array" with properties): no "type", the original kept as x-proxmox-type.
 *  - a validation keyword that does not apply to the type (minimum on a
 *    string, ...) moves to x-proxmox-<key>.
 *  - patterns: see regex.c; the original is in x-proxmox-pattern
 *    whenever "pattern" differs from it or is missing.
 *  - security: permissions.user == "world" -> security []; otherwise the
 *    ticket cookie (plus the CSRFPreventionToken header on non-GET), or an
 *    API token unless allowtoken is present and false. PBS has no allowtoken
 *    key and accepts tokens everywhere, so absent means allowed. Scheme names
 *    follow the product (PVEAuthCookie/PVEAPIToken, PBSAuthCookie/PBSAPIToken,
 *    PMG has no tokens).
 *  - every operation: responses "200" {"data": $ref <Model>Response} and one
 *    $ref per error status (openapi_responses.c); file transfers get their
 *    content types there too. openapi_fixup.c finishes the document. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/naming.h"
#include "pvecg/openapi.h"
#include "pvecg/product.h"
#include "pvecg/regex.h"
#include "pvecg/propstr.h"
#include "pvecg/util.h"
#include "pvecg/wire.h"
#include "openapi_int.h"

#define ID_MAX 512

struct op {
	const char *path;
	const char *verb; /* as captured: GET, POST, ... */
	const cJSON *info;
	size_t seq; /* capture order, to keep the last of duplicates */
	char id[ID_MAX];
	char model[ID_MAX]; /* PascalCase(id) */
};

/* ---- operations -------------------------------------------------------- */

static int
verb_rank(const char *v)
{
	return pvecg_httpmethod_find_upper(v);
}

static int
op_cmp_path(const void *a, const void *b)
{
	const struct op *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	if (r)
		return r;
	r = verb_rank(x->verb) - verb_rank(y->verb);
	if (r)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
ptr_cmp_id(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a, *y = *(const struct op *const *)b;

	return strcmp(x->id, y->id);
}

static int
ptr_cmp_model(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a, *y = *(const struct op *const *)b;

	return strcmp(x->model, y->model);
}

struct oplist {
	struct op *ops;
	size_t n;
	cJSON *duplicates; /* paths seen twice in the capture */
};

static int
note_duplicate(struct oplist *l, const char *path)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, l->duplicates)
		if (strcmp(d->valuestring, path) == 0)
			return 0;
	return pvecg_json_push(l->duplicates, cJSON_CreateString(path));
}

/* parse: every (path, verb) of the capture once, sorted by path then verb. */
PVECG_NODISCARD static int
collect_ops(struct oplist *l, const cJSON *endpoints, pvecg_error *err)
{
	const cJSON *ep, *m;
	size_t cap = 0, i, j;
	int rc;

	cJSON_ArrayForEach(ep, endpoints)
		cap += (size_t)cJSON_GetArraySize(pvecg_json_get(ep, "methods"));
	l->ops = calloc(cap + 1, sizeof(*l->ops));
	if (!l->ops)
		return pvecg_error_set(err, PVECG_ENOMEM, "raw_capture.json", "out of memory");
	i = 0;
	cJSON_ArrayForEach(ep, endpoints) {
		const char *path = pvecg_json_str(ep, "path");

		if (!path || path[0] != '/')
			return pvecg_error_set(err, PVECG_EINPUT, "raw_capture.json: endpoints[]",
			    "endpoint without a path starting with '/'");
		cJSON_ArrayForEach(m, pvecg_json_get(ep, "methods")) {
			if (!cJSON_IsObject(m) || verb_rank(m->string) < 0)
				return pvecg_error_set(err, PVECG_EINPUT, "raw_capture.json",
				    "%s: method %s is not an HTTP verb with an info object", path,
				    m->string ? m->string : "?");
			l->ops[i].path = path;
			l->ops[i].verb = m->string;
			l->ops[i].info = m;
			l->ops[i].seq = i;
			i++;
		}
	}
	qsort(l->ops, i, sizeof(*l->ops), op_cmp_path);
	/* normalize: the last of a duplicated (path, verb) wins */
	for (j = 0, l->n = 0; j < i; j++) {
		if (l->n > 0 && strcmp(l->ops[l->n - 1].path, l->ops[j].path) == 0 &&
		    strcmp(l->ops[l->n - 1].verb, l->ops[j].verb) == 0) {
			if ((rc = note_duplicate(l, l->ops[j].path)) != 0)
				return pvecg_error_set(
				    err, rc, "raw_capture.json", "out of memory");
			l->ops[l->n - 1] = l->ops[j];
			continue;
		}
		l->ops[l->n++] = l->ops[j];
	}
	return 0;
}

PVECG_NODISCARD static int
name_ops(struct oplist *l, pvecg_error *err)
{
	struct op **by = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < l->n; i++) {
		struct op *o = &l->ops[i];

		if (pvecg_naming_operation_id(o->id, sizeof(o->id), o->verb, o->path) < 0 ||
		    pvecg_naming_model_name(o->model, sizeof(o->model), o->id, "") < 0)
			return pvecg_error_set(err, PVECG_EINPUT, "raw_capture.json",
			    "%s %s: path too long for an operationId", o->verb, o->path);
	}
	if (l->n == 0)
		return 0;
	if (!(by = calloc(l->n, sizeof(*by))))
		return pvecg_error_set(err, PVECG_ENOMEM, "raw_capture.json", "out of memory");
	for (i = 0; i < l->n; i++)
		by[i] = &l->ops[i];
	qsort(by, l->n, sizeof(*by), ptr_cmp_id);
	for (i = 1; i < l->n && rc == 0; i++)
		if (strcmp(by[i - 1]->id, by[i]->id) == 0)
			rc = pvecg_error_set(err, PVECG_EINPUT, "raw_capture.json",
			    "operationId collision: %s %s and %s %s both become %s",
			    by[i - 1]->verb, by[i - 1]->path, by[i]->verb, by[i]->path, by[i]->id);
	qsort(by, l->n, sizeof(*by), ptr_cmp_model);
	for (i = 1; i < l->n && rc == 0; i++)
		if (strcmp(by[i - 1]->model, by[i]->model) == 0)
			rc = pvecg_error_set(err, PVECG_EINPUT, "raw_capture.json",
			    "model name collision: %s (%s %s) and %s (%s %s) both become %s",
			    by[i - 1]->id, by[i - 1]->verb, by[i - 1]->path, by[i]->id, by[i]->verb,
			    by[i]->path, by[i]->model);
	free(by);
	return rc;
}

/* "Get the VM config. More text" -> "Get the VM config" (<= 160 bytes). */
static int
put_summary(cJSON *op, const char *desc, const char *verb, const char *path)
{
	char buf[200];
	size_t n = 0;

	if (desc) {
		while (desc[n] && desc[n] != '\n' && n < 160 &&
		    !(desc[n] == '.' && (desc[n + 1] == ' ' || desc[n + 1] == '\0')))
			n++;
		/* do not cut inside a UTF-8 sequence */
		while (n > 0 && desc[n] && ((unsigned char)desc[n] & 0xC0) == 0x80)
			n--;
		while (n > 0 && isspace((unsigned char)desc[n - 1]))
			n--;
	}
	if (n == 0)
		snprintf(buf, sizeof(buf), "%s %.180s", verb, path);
	else
		snprintf(buf, sizeof(buf), "%.*s%s", (int)n, desc,
		    desc[n] && desc[n] != '.' && desc[n] != '\n' ? "..." : "");
	return put_str(op, "summary", buf);
}

static int
remove_required(cJSON *schema, const char *name, int *was_required)
{
	cJSON *req = pvecg_json_get(schema, "required");
	cJSON *it;
	int i = 0;

	*was_required = 0;
	cJSON_ArrayForEach(it, req) {
		if (cJSON_IsString(it) && strcmp(it->valuestring, name) == 0) {
			cJSON_DeleteItemFromArray(req, i);
			*was_required = 1;
			break;
		}
		i++;
	}
	if (req && cJSON_GetArraySize(req) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(schema, "required");
	return 0;
}

static int
is_required(const cJSON *schema, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, pvecg_json_get(schema, "required"))
		if (cJSON_IsString(it) && strcmp(it->valuestring, name) == 0)
			return 1;
	return 0;
}

/* A parameter object; takes ownership of schema. */
PVECG_NODISCARD static int
push_param(cJSON *params, const char *name, const char *in, int required, cJSON *schema)
{
	cJSON *p = cJSON_CreateObject();
	const cJSON *d = pvecg_json_get(schema, "description");
	int rc;

	if (!p) {
		cJSON_Delete(schema);
		return PVECG_ENOMEM;
	}
	/* name may be schema->string, which adding schema below replaces */
	if ((rc = put_str(p, "name", name)) != 0 || (rc = put_str(p, "in", in)) != 0 ||
	    (required && (rc = pvecg_json_put_cs(p, "required", cJSON_CreateTrue())) != 0) ||
	    (cJSON_IsString(d) && (rc = put_dup(p, "description", d)) != 0)) {
		cJSON_Delete(p);
		cJSON_Delete(schema);
		return rc;
	}
	if ((rc = pvecg_json_put_cs(p, "schema", schema)) != 0) {
		cJSON_Delete(p);
		return rc;
	}
	return pvecg_json_push(params, p);
}

/* Path parameters in the order of the template; their schemas leave `ps`. */
PVECG_NODISCARD static int
path_params(struct ctx *c, cJSON *params, cJSON *ps, const char *path)
{
	cJSON *props = pvecg_json_get(ps, "properties");
	const char *s = path, *open, *close;
	char name[256];
	int rc, was;

	while ((open = strchr(s, '{')) != NULL) {
		cJSON *sch;

		if (!(close = strchr(open, '}')) || close == open + 1 ||
		    (size_t)(close - open) >= sizeof(name))
			return fail(c, PVECG_EINPUT, "bad path template%s", "");
		memcpy(name, open + 1, (size_t)(close - open - 1));
		name[close - open - 1] = '\0';
		s = close + 1;
		sch = cJSON_DetachItemFromObjectCaseSensitive(props, name);
		if ((rc = remove_required(ps, name, &was)) != 0)
			return rc;
		if (!sch) {
			/* PBS leaves some path parameters undescribed; the wire says string */
			sch = cJSON_CreateObject();
			if (!sch || (rc = put_str(sch, "type", "string")) != 0 ||
			    (rc = pvecg_json_put_cs(
			         sch, "x-proxmox-undocumented", cJSON_CreateTrue())) != 0) {
				cJSON_Delete(sch);
				return PVECG_ENOMEM;
			}
		} else if (!was &&
		    (rc = pvecg_json_put_cs(sch, "x-proxmox-optional", cJSON_CreateTrue())) != 0) {
			cJSON_Delete(sch);
			return rc;
		}
		if ((rc = push_param(params, name, "path", 1, sch)) != 0)
			return rc;
	}
	return 0;
}

/* GET/DELETE: what is left of the parameters goes into the query. */
PVECG_NODISCARD static int
query_params(cJSON *params, cJSON *ps)
{
	cJSON *props = pvecg_json_get(ps, "properties");
	cJSON *pat = pvecg_json_get(ps, "patternProperties");
	cJSON *p;
	int rc;

	while (props && props->child) {
		p = cJSON_DetachItemViaPointer(props, props->child);
		rc = push_param(params, p->string, "query", is_required(ps, p->string), p);
		if (rc != 0)
			return rc;
	}
	while (pat && pat->child) {
		/* net[n] in a query: an exploded object (net0=..&net1=..) */
		cJSON *obj = cJSON_CreateObject(), *pp = cJSON_CreateObject(), *param;
		const char *name;

		p = cJSON_DetachItemViaPointer(pat, pat->child);
		name = pvecg_json_str(p, "x-proxmox-indexed");
		if (!obj || !pp || (rc = put_str(obj, "type", "object")) != 0 ||
		    (rc = pvecg_json_put_cs(obj, "additionalProperties", cJSON_CreateFalse())) !=
		        0 ||
		    (rc = pvecg_json_put(pp, p->string, p)) != 0) {
			cJSON_Delete(obj);
			cJSON_Delete(pp);
			return PVECG_ENOMEM;
		}
		p = NULL;
		if ((rc = pvecg_json_put_cs(obj, "patternProperties", pp)) != 0) {
			cJSON_Delete(obj);
			return rc;
		}
		if ((rc = push_param(params, name ? name : "indexed", "query", 0, obj)) != 0)
			return rc;
		param = cJSON_GetArrayItem(params, cJSON_GetArraySize(params) - 1);
		if ((rc = put_str(param, "style", "form")) != 0 ||
		    (rc = pvecg_json_put_cs(param, "explode", cJSON_CreateTrue())) != 0)
			return rc;
	}
	return 0;
}

static cJSON *
ref_to(const char *model)
{
	char ref[ID_MAX + 32];
	size_t n = strlen(model);
	cJSON *o = cJSON_CreateObject();

	if (n + 22 > sizeof(ref)) {
		cJSON_Delete(o);
		return NULL;
	}
	memcpy(ref, "#/components/schemas/", 21);
	memcpy(ref + 21, model, n + 1);
	if (o && put_str(o, "$ref", ref) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* POST/PUT: the parameters object (minus path ones) is the request model.
 * Takes *ps when it becomes the component. */
PVECG_NODISCARD static int
request_body(cJSON *opj, cJSON *schemas, cJSON **psp, const struct op *o)
{
	cJSON *ps = *psp;
	cJSON *props = pvecg_json_get(ps, "properties");
	cJSON *pat = pvecg_json_get(ps, "patternProperties");
	cJSON *body, *content, *mt;
	char name[ID_MAX + 16];
	int rc;

	if ((!props || !props->child) && (!pat || !pat->child))
		return 0;
	snprintf(name, sizeof(name), "%sRequest", o->model);
	if (!(body = cJSON_CreateObject()))
		return PVECG_ENOMEM;
	if ((rc = pvecg_json_put_cs(opj, "requestBody", body)) != 0)
		return rc;
	if (pvecg_json_get(ps, "required") &&
	    (rc = pvecg_json_put_cs(body, "required", cJSON_CreateTrue())) != 0)
		return rc;
	if (!(content = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(body, "content", content)) != 0)
		return PVECG_ENOMEM;
	if (!(mt = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(content, "application/json", mt)) != 0 ||
	    (rc = pvecg_json_put_cs(mt, "schema", ref_to(name))) != 0)
		return PVECG_ENOMEM;
	if (!(mt = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(content, "application/x-www-form-urlencoded", mt)) != 0 ||
	    (rc = pvecg_json_put_cs(mt, "schema", ref_to(name))) != 0)
		return PVECG_ENOMEM;
	*psp = NULL;
	return pvecg_json_put(schemas, name, ps);
}

PVECG_NODISCARD static int
responses(struct ctx *c, cJSON *opj, cJSON *schemas, const struct op *o)
{
	const cJSON *ret = pvecg_json_get(o->info, "returns");
	cJSON *schema = NULL, *resp, *ok, *content, *mt, *env, *props;
	char name[ID_MAX + 16];
	int rc;

	snprintf(name, sizeof(name), "%sResponse", o->model);
	if (ret) {
		if ((rc = openapi_convert_schema(c, &schema, ret, 0)) != 0)
			return rc;
		if (pvecg_json_truthy(pvecg_json_get(ret, "optional")) &&
		    (rc = pvecg_json_put_cs(schema, "x-proxmox-optional", cJSON_CreateTrue())) !=
		        0) {
			cJSON_Delete(schema);
			return rc;
		}
	} else {
		schema = cJSON_CreateObject();
		if (!schema ||
		    (rc = put_str(schema, "x-proxmox-returns",
		         "absent: the API schema does not describe the result")) != 0) {
			cJSON_Delete(schema);
			return PVECG_ENOMEM;
		}
	}
	if ((rc = pvecg_json_put(schemas, name, schema)) != 0)
		return rc;
	if (!(resp = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(opj, "responses", resp)) != 0 || !(ok = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(resp, "200", ok)) != 0 ||
	    (rc = put_str(ok, "description", "Success; the result is in `data`.")) != 0 ||
	    !(content = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(ok, "content", content)) != 0 || !(mt = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(content, "application/json", mt)) != 0 ||
	    !(env = cJSON_CreateObject()) || (rc = pvecg_json_put_cs(mt, "schema", env)) != 0 ||
	    (rc = put_str(env, "type", "object")) != 0 || !(props = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(env, "properties", props)) != 0 ||
	    (rc = pvecg_json_put_cs(props, "data", ref_to(name))) != 0 ||
	    (rc = pvecg_json_put_cs(env, "required",
	         cJSON_CreateStringArray((const char *const[]){ "data" }, 1))) != 0 ||
	    (rc = pvecg_openapi_error_refs(resp)) != 0)
		return PVECG_ENOMEM;
	return 0;
}

/* world -> none; else ticket (+ CSRF token on writes) or, when allowed, API token. */
PVECG_NODISCARD static int
security(cJSON *opj, const struct op *o, const pvecg_product *pr)
{
	const cJSON *perm = pvecg_json_get(o->info, "permissions");
	const cJSON *allow = pvecg_json_get(o->info, "allowtoken");
	const char *user = pvecg_json_str(perm, "user");
	cJSON *sec = cJSON_CreateArray(), *req;
	char name[64];
	int rc;

	if (!sec || (rc = pvecg_json_put_cs(opj, "security", sec)) != 0)
		return PVECG_ENOMEM;
	if (user && strcmp(user, "world") == 0)
		return 0;
	snprintf(name, sizeof(name), "%sAuthCookie", pr->prefix);
	if (!(req = cJSON_CreateObject()) || (rc = pvecg_json_push(sec, req)) != 0 ||
	    (rc = pvecg_json_put(req, name, cJSON_CreateArray())) != 0)
		return PVECG_ENOMEM;
	if (strcmp(o->verb, "GET") != 0 && strcmp(o->verb, "HEAD") != 0 &&
	    (rc = pvecg_json_put_cs(req, "CSRFPreventionToken", cJSON_CreateArray())) != 0)
		return rc;
	/* PVE defaults allowtoken to 1; PBS has no such key and accepts tokens */
	if (!pr->token_prefix || (allow && !pvecg_json_truthy(allow)))
		return 0;
	snprintf(name, sizeof(name), "%sAPIToken", pr->prefix);
	if (!(req = cJSON_CreateObject()) || (rc = pvecg_json_push(sec, req)) != 0 ||
	    (rc = pvecg_json_put(req, name, cJSON_CreateArray())) != 0)
		return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
op_extensions(cJSON *opj, const cJSON *info)
{
	const cJSON *v;
	int rc;

	cJSON_ArrayForEach(v, info) {
		const char *k = v->string;

		if (!k || !strcmp(k, "method") || !strcmp(k, "description") ||
		    !strcmp(k, "parameters") || !strcmp(k, "returns"))
			continue;
		if (!strcmp(k, "protected") || !strcmp(k, "allowtoken") || !strcmp(k, "unstable") ||
		    !strcmp(k, "download") || !strcmp(k, "upload")) {
			char name[64];

			snprintf(name, sizeof(name), "x-proxmox-%s", k);
			rc = pvecg_json_put(opj, name, cJSON_CreateBool(pvecg_json_truthy(v)));
		} else {
			rc = put_x(opj, k, v);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

PVECG_NODISCARD static int
build_op(struct ctx *c, cJSON *opj, cJSON *schemas, const struct op *o, const pvecg_product *pr)
{
	const cJSON *params_src = pvecg_json_get(o->info, "parameters");
	const char *desc = pvecg_json_str(o->info, "description");
	cJSON *ps = NULL, *params = NULL, *tags;
	char group[128];
	const char *g;
	size_t glen;
	int rc,
	    query = !strcmp(o->verb, "GET") || !strcmp(o->verb, "DELETE") ||
	    !strcmp(o->verb, "HEAD");

	g = pvecg_naming_route_group(o->path, &glen);
	snprintf(group, sizeof(group), "%.*s", (int)glen, g);
	if ((rc = put_str(opj, "operationId", o->id)) != 0 ||
	    (rc = put_summary(opj, desc, o->verb, o->path)) != 0 ||
	    (desc && *desc && (rc = put_str(opj, "description", desc)) != 0) ||
	    !(tags = cJSON_CreateArray()) || (rc = pvecg_json_put_cs(opj, "tags", tags)) != 0 ||
	    (rc = pvecg_json_push(tags, cJSON_CreateString(group))) != 0)
		goto out;
	if (params_src) {
		if ((rc = openapi_convert_schema(c, &ps, params_src, 0)) != 0)
			return rc;
	} else if (!(ps = cJSON_CreateObject())) {
		rc = PVECG_ENOMEM;
		goto out;
	}
	if (!(params = cJSON_CreateArray())) {
		rc = PVECG_ENOMEM;
		goto out;
	}
	if ((rc = path_params(c, params, ps, o->path)) != 0)
		goto out;
	if (query)
		rc = query_params(params, ps);
	else
		rc = request_body(opj, schemas, &ps, o);
	if (rc != 0)
		goto out;
	if (cJSON_GetArraySize(params) > 0) {
		rc = pvecg_json_put_cs(opj, "parameters", params);
		params = NULL;
		if (rc != 0)
			goto out;
	}
	if ((rc = responses(c, opj, schemas, o)) != 0 ||
	    (rc = pvecg_openapi_file_transfer(opj, o->info, pr->name, o->path, o->verb)) != 0 ||
	    (rc = security(opj, o, pr)) != 0 || (rc = op_extensions(opj, o->info)) != 0)
		goto out;
out:
	cJSON_Delete(ps);
	cJSON_Delete(params);
	if (rc != 0 && !c->reported)
		return fail(c, rc, "cannot build the operation (a schema key is too long)%s", "");
	return rc;
}

/* ---- document ------------------------------------------------------------ */

PVECG_NODISCARD static int
build_info(
    cJSON *doc, const cJSON *capture, const char *tag, const pvecg_product *pr, const char *product)
{
	cJSON *info = cJSON_CreateObject(), *lic;
	const char *sha = pvecg_json_str(capture, "source_sha256");
	char desc[512];
	int rc;

	if (!info || (rc = pvecg_json_put_cs(doc, "info", info)) != 0)
		return PVECG_ENOMEM;
	snprintf(desc, sizeof(desc),
	    "The %s as described by its API viewer, converted to OpenAPI 3.1 by "
	    "proxmox-sdk-codegen. Every response wraps its result as {\"data\": ...}. "
	    "Proxmox-only details are kept under x-proxmox-* keys.",
	    pr->title);
	if ((rc = put_str(info, "title", pr->title)) != 0 ||
	    (rc = put_str(info, "version", tag)) != 0 ||
	    (rc = put_str(info, "description", desc)) != 0 ||
	    (rc = put_str(info, "x-proxmox-product", product)) != 0 ||
	    (sha && (rc = put_str(info, "x-proxmox-source-sha256", sha)) != 0) ||
	    !(lic = cJSON_CreateObject()) || (rc = pvecg_json_put_cs(info, "license", lic)) != 0 ||
	    (rc = put_str(lic, "name", "AGPL-3.0-or-later")) != 0 ||
	    (rc = put_str(lic, "identifier", "AGPL-3.0-or-later")) != 0)
		return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
build_servers(cJSON *doc, const pvecg_product *pr)
{
	cJSON *servers = cJSON_CreateArray(), *s, *vars, *v;
	char port[8];
	int rc;

	snprintf(port, sizeof(port), "%d", pr->port);

	if (!servers || (rc = pvecg_json_put_cs(doc, "servers", servers)) != 0 ||
	    !(s = cJSON_CreateObject()) || (rc = pvecg_json_push(servers, s)) != 0 ||
	    (rc = put_str(s, "url", "https://{host}:{port}/api2/json")) != 0 ||
	    /* described on the server: swagger-parser's schema refuses a
	     * server variable's "description" */
	    (rc = put_str(s, "description",
	         "host: host name or address of a node; "
	         "port: API port")) != 0 ||
	    !(vars = cJSON_CreateObject()) || (rc = pvecg_json_put_cs(s, "variables", vars)) != 0 ||
	    !(v = cJSON_CreateObject()) || (rc = pvecg_json_put_cs(vars, "host", v)) != 0 ||
	    (rc = put_str(v, "default", "localhost")) != 0 || !(v = cJSON_CreateObject()) ||
	    (rc = pvecg_json_put_cs(vars, "port", v)) != 0 ||
	    (rc = put_str(v, "default", port)) != 0)
		return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
add_scheme(cJSON *schemes, const char *key, const char *in, const char *name, const char *desc)
{
	cJSON *s = cJSON_CreateObject();
	int rc;

	if (!s || (rc = pvecg_json_put(schemes, key, s)) != 0 ||
	    (rc = put_str(s, "type", "apiKey")) != 0 || (rc = put_str(s, "in", in)) != 0 ||
	    (rc = put_str(s, "name", name)) != 0 || (rc = put_str(s, "description", desc)) != 0)
		return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
build_schemes(cJSON *components, const pvecg_product *pr)
{
	cJSON *schemes = cJSON_CreateObject();
	char key[64], desc[512];
	int rc;

	if (!schemes || (rc = pvecg_json_put_cs(components, "securitySchemes", schemes)) != 0)
		return PVECG_ENOMEM;
	snprintf(key, sizeof(key), "%sAuthCookie", pr->prefix);
	snprintf(desc, sizeof(desc),
	    "Ticket from POST /access/ticket, sent as the %s "
	    "cookie. Writes (POST, PUT, DELETE) also need the CSRFPreventionToken header.",
	    key);
	if ((rc = add_scheme(schemes, key, "cookie", key, desc)) != 0)
		return rc;
	if ((rc = add_scheme(schemes, "CSRFPreventionToken", "header", "CSRFPreventionToken",
	         "CSRFPreventionToken returned by POST /access/ticket; required with the "
	         "ticket cookie on POST, PUT and DELETE.")) != 0)
		return rc;
	if (!pr->token_prefix)
		return 0;
	snprintf(key, sizeof(key), "%sAPIToken", pr->prefix);
	snprintf(desc, sizeof(desc), "API token: `Authorization: %s`. No CSRF token needed.",
	    pr->token_format);
	return add_scheme(schemes, key, "header", "Authorization", desc);
}

static int
group_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* One tag per route group, sorted by name. */
PVECG_NODISCARD static int
build_tags(cJSON *doc, const struct oplist *l, const pvecg_product *pr)
{
	cJSON *tags = cJSON_CreateArray(), *t;
	char(*groups)[128] = NULL, desc[512];
	const char *g;
	size_t glen;
	size_t i, n = 0;
	int rc = 0;

	if (!tags || (rc = pvecg_json_put_cs(doc, "tags", tags)) != 0)
		return PVECG_ENOMEM;
	if (!(groups = calloc(l->n + 1, sizeof(*groups))))
		return PVECG_ENOMEM;
	for (i = 0; i < l->n; i++) {
		g = pvecg_naming_route_group(l->ops[i].path, &glen);
		snprintf(groups[n], sizeof(groups[n]), "%.*s", (int)glen, g);
		if (n == 0 || strcmp(groups[n], groups[n - 1]) != 0) /* ops are sorted by path */
			n++;
	}
	qsort(groups, n, sizeof(*groups), group_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0 && strcmp(groups[i], groups[i - 1]) == 0)
			continue;
		if (strcmp(groups[i], "root") == 0)
			snprintf(desc, sizeof(desc), "%s: the API root (/)", pr->title);
		else
			snprintf(
			    desc, sizeof(desc), "%s: endpoints under /%s", pr->title, groups[i]);
		if (!(t = cJSON_CreateObject()) || (rc = pvecg_json_push(tags, t)) != 0 ||
		    (rc = put_str(t, "name", groups[i])) != 0 ||
		    (rc = put_str(t, "description", desc)) != 0)
			rc = PVECG_ENOMEM;
	}
	free(groups);
	return rc;
}

PVECG_NODISCARD static int
build_paths(
    struct ctx *c, cJSON *doc, cJSON *schemas, const struct oplist *l, const pvecg_product *pr)
{
	cJSON *paths = cJSON_CreateObject(), *item = NULL, *opj;
	const char *cur = NULL;
	char verb[16];
	size_t i, k;
	int rc;

	if (!paths || (rc = pvecg_json_put_cs(doc, "paths", paths)) != 0)
		return fail(c, PVECG_ENOMEM, NULL, NULL);
	for (i = 0; i < l->n; i++) {
		const struct op *o = &l->ops[i];

		snprintf(c->where, sizeof(c->where), "raw_capture.json: %s %s", o->verb, o->path);
		if (!cur || strcmp(cur, o->path) != 0) {
			if (!(item = cJSON_CreateObject()) ||
			    pvecg_json_put(paths, o->path, item) != 0)
				return fail(c, PVECG_ENOMEM, NULL, NULL);
			cur = o->path;
		}
		for (k = 0; o->verb[k] && k + 1 < sizeof(verb); k++)
			verb[k] = (char)tolower((unsigned char)o->verb[k]);
		verb[k] = '\0';
		if (!(opj = cJSON_CreateObject()) || pvecg_json_put(item, verb, opj) != 0)
			return fail(c, PVECG_ENOMEM, NULL, NULL);
		if ((rc = build_op(c, opj, schemas, o, pr)) != 0)
			return rc;
	}
	return 0;
}

PVECG_NODISCARD static int
build_doc(struct ctx *c, cJSON *doc, const cJSON *capture, const char *tag, struct oplist *l)
{
	const char *product = pvecg_json_str(capture, "product");
	const pvecg_product *pr;
	const cJSON *cdups = pvecg_json_get(capture, "duplicate_paths");
	const cJSON *d;
	cJSON *components, *schemas, *counts;
	size_t i, n_paths = 0;
	int rc;

	if (!product)
		product = "pve";
	if (!(pr = pvecg_product_find(product))) {
		char names[64];

		pvecg_product_list(names, sizeof(names));
		return pvecg_error_set(c->err, PVECG_EINPUT, "raw_capture.json",
		    "unknown product \"%s\" (expected one of %s)", product, names);
	}
	for (i = 0; i < l->n; i++)
		n_paths += i == 0 || strcmp(l->ops[i - 1].path, l->ops[i].path) != 0;
	if (put_str(doc, "openapi", "3.1.0") != 0 ||
	    build_info(doc, capture, tag, pr, product) != 0 || build_servers(doc, pr) != 0 ||
	    build_tags(doc, l, pr) != 0 || !(components = cJSON_CreateObject()) ||
	    pvecg_json_put_cs(doc, "components", components) != 0 ||
	    build_schemes(components, pr) != 0 || !(schemas = cJSON_CreateObject()) ||
	    pvecg_json_put_cs(components, "schemas", schemas) != 0 ||
	    pvecg_openapi_error_components(components, schemas, product) != 0 ||
	    !(counts = cJSON_CreateObject()) ||
	    pvecg_json_put_cs(doc, "x-proxmox-counts", counts) != 0 ||
	    pvecg_json_put_cs(counts, "operations", cJSON_CreateNumber((double)l->n)) != 0 ||
	    pvecg_json_put_cs(counts, "paths", cJSON_CreateNumber((double)n_paths)) != 0)
		return pvecg_error_set(c->err, PVECG_ENOMEM, "openapi", "out of memory");
	cJSON_ArrayForEach(d, cdups) {
		if (cJSON_IsString(d) && note_duplicate(l, d->valuestring) != 0)
			return pvecg_error_set(c->err, PVECG_ENOMEM, "openapi", "out of memory");
	}
	if (cJSON_GetArraySize(l->duplicates) > 0) {
		rc = pvecg_json_put_cs(doc, "x-proxmox-duplicate-paths", l->duplicates);
		l->duplicates = NULL;
		if (rc != 0)
			return pvecg_error_set(c->err, PVECG_ENOMEM, "openapi", "out of memory");
	}
	return build_paths(c, doc, schemas, l, pr);
}

int
pvecg_openapi_build(cJSON **out, const cJSON *capture, const char *version_tag, pvecg_error *err)
{
	struct oplist l = { NULL, 0, NULL };
	struct ctx c;
	const cJSON *endpoints = pvecg_json_get(capture, "endpoints");
	cJSON *doc = NULL;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.err = err;
	snprintf(c.where, sizeof(c.where), "raw_capture.json");
	if (!version_tag || !*version_tag)
		return pvecg_error_set(err, PVECG_EINTERNAL, "openapi", "no version tag");
	if (!cJSON_IsArray(endpoints))
		return pvecg_error_set(
		    err, PVECG_EINPUT, "raw_capture.json", "no \"endpoints\" array");
	if (!(l.duplicates = cJSON_CreateArray()) || !(doc = cJSON_CreateObject())) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, "openapi", "out of memory");
		goto out;
	}
	if ((rc = collect_ops(&l, endpoints, err)) != 0 || (rc = name_ops(&l, err)) != 0 ||
	    (rc = build_doc(&c, doc, capture, version_tag, &l)) != 0 ||
	    (rc = pvecg_openapi_propstr_apply(
	         doc, pvecg_json_str(capture, "product"), version_tag, err)) != 0 ||
	    (rc = pvecg_wire_apply(doc, err)) != 0)
		goto out;
	if ((rc = pvecg_openapi_fixup(doc)) != 0) {
		rc = pvecg_error_set(err, rc, "openapi", "cannot finish the document (%s)",
		    rc == PVECG_ENOMEM ? "out of memory" : "schemas nested too deeply");
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	cJSON_Delete(doc);
	cJSON_Delete(l.duplicates);
	free(l.ops);
	return rc;
}
