/* capture: the viewer's schema tree -> the flat raw_capture.json document.
 *
 * Inputs that contradict themselves get one rule, whichever script path
 * produced the tree: a method given twice in one node's info keeps the last
 * (as JavaScript does for a repeated key); a path given by several tree
 * nodes becomes one endpoint whose methods are the union, a later node
 * winning for a method both give. Both are recorded (duplicate_methods,
 * duplicate_paths) so the run can warn. A method outside the one list of
 * HTTP methods is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/capture.h"
#include "pvecg/httpmethod.h"
#include "pvecg/product.h"
#include "pvecg/json.h"

#define MAX_TREE_DEPTH 64

struct endpoint {
	const char *path;
	cJSON *node; /* {"path","text","leaf","methods"} being built */
	size_t order;
};

struct walk {
	struct endpoint *eps;
	size_t n, cap;
	char **dup_methods; /* "GET /path" of every overridden method */
	size_t n_dup, cap_dup;
	const char *where; /* the source, for messages */
	pvecg_error *err;
};

/* Records "METHOD path" once. */
PVECG_NODISCARD static int
note_dup_method(struct walk *w, const char *method, const char *path)
{
	size_t i, len = strlen(method) + strlen(path) + 2;
	char *s;

	if (w->n_dup == w->cap_dup) {
		size_t cap = w->cap_dup ? w->cap_dup * 2 : 8;
		char **p = realloc(w->dup_methods, cap * sizeof(*p));

		if (p == NULL)
			return PVECG_ENOMEM;
		w->dup_methods = p;
		w->cap_dup = cap;
	}
	if ((s = malloc(len)) == NULL)
		return PVECG_ENOMEM;
	snprintf(s, len, "%s %s", method, path);
	for (i = 0; i < w->n_dup; i++) {
		if (strcmp(w->dup_methods[i], s) == 0) {
			free(s);
			return 0;
		}
	}
	w->dup_methods[w->n_dup++] = s;
	return 0;
}

/* Puts m into methods under its name; one already there is replaced. */
static int
put_method(struct walk *w, cJSON *methods, cJSON *m, const char *path)
{
	cJSON *old = pvecg_json_get(methods, m->string);

	if (old == NULL) {
		cJSON_AddItemToObject(methods, m->string, m);
		return 0;
	}
	cJSON_ReplaceItemViaPointer(methods, old, m);
	return note_dup_method(w, m->string, path);
}

PVECG_NODISCARD static int
push_endpoint(struct walk *w, const char *path, cJSON *node)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 512;
		struct endpoint *p = realloc(w->eps, cap * sizeof(*p));

		if (p == NULL)
			return PVECG_ENOMEM;
		w->eps = p;
		w->cap = cap;
	}
	w->eps[w->n].path = path;
	w->eps[w->n].node = node;
	w->eps[w->n].order = w->n;
	w->n++;
	return 0;
}

/* Moves every info.<METHOD> object into the "methods" object; of a method
 * given twice the last is kept. */
PVECG_NODISCARD static int
take_methods(struct walk *w, cJSON *methods, cJSON *info, const char *jpath, const char *path)
{
	cJSON *m;

	if (info == NULL)
		return 0;
	if (!cJSON_IsObject(info))
		return pvecg_error_set(
		    w->err, PVECG_EINPUT, w->where, "%s.info: expected an object", jpath);
	while ((m = info->child) != NULL) {
		if (!cJSON_IsObject(m) || m->string == NULL)
			return pvecg_error_set(w->err, PVECG_EINPUT, w->where,
			    "%s.info.%s: expected a method object", jpath,
			    m->string ? m->string : "?");
		if (pvecg_httpmethod_find_upper(m->string) < 0)
			return pvecg_error_set(w->err, PVECG_EINPUT, w->where,
			    "%s: unsupported HTTP method %s at %s.info (supported: %s)", path,
			    m->string, jpath, pvecg_httpmethods_text);
		cJSON_DetachItemViaPointer(info, m);
		if (put_method(w, methods, m, path) != 0)
			return pvecg_error_set(w->err, PVECG_ENOMEM, w->where, "out of memory");
	}
	return 0;
}

static int walk_nodes(struct walk *w, cJSON *arr, const char *jpath, int depth);

PVECG_NODISCARD static int
walk_node(struct walk *w, cJSON *n, const char *jpath, int depth)
{
	cJSON *path = pvecg_json_get(n, "path");
	cJSON *text = pvecg_json_get(n, "text");
	cJSON *leaf = pvecg_json_get(n, "leaf");
	cJSON *children = pvecg_json_get(n, "children");
	cJSON *ep, *methods;
	int rc;

	if (!cJSON_IsObject(n))
		return pvecg_error_set(
		    w->err, PVECG_EINPUT, w->where, "%s: expected an object", jpath);
	if (!cJSON_IsString(path) || path->valuestring[0] != '/')
		return pvecg_error_set(w->err, PVECG_EINPUT, w->where,
		    "%s.path: expected a string starting with '/'", jpath);
	ep = cJSON_CreateObject();
	methods = ep ? cJSON_AddObjectToObject(ep, "methods") : NULL;
	if (methods == NULL || cJSON_AddStringToObject(ep, "path", path->valuestring) == NULL ||
	    cJSON_AddStringToObject(ep, "text", cJSON_IsString(text) ? text->valuestring : "") ==
	        NULL ||
	    cJSON_AddNumberToObject(ep, "leaf", pvecg_json_truthy(leaf)) == NULL) {
		cJSON_Delete(ep);
		return pvecg_error_set(w->err, PVECG_ENOMEM, w->where, "out of memory");
	}
	rc = push_endpoint(w, pvecg_json_str(ep, "path"), ep);
	if (rc != 0) {
		cJSON_Delete(ep);
		return pvecg_error_set(w->err, rc, w->where, "out of memory");
	}
	rc = take_methods(w, methods, pvecg_json_get(n, "info"), jpath, path->valuestring);
	if (rc != 0)
		return rc;
	if (children == NULL || cJSON_IsNull(children))
		return 0;
	if (!cJSON_IsArray(children))
		return pvecg_error_set(
		    w->err, PVECG_EINPUT, w->where, "%s.children: expected an array", jpath);
	return walk_nodes(w, children, jpath, depth + 1);
}

PVECG_NODISCARD static int
walk_nodes(struct walk *w, cJSON *arr, const char *jpath, int depth)
{
	char sub[512];
	cJSON *c;
	int i = 0, rc;

	if (depth > MAX_TREE_DEPTH)
		return pvecg_error_set(w->err, PVECG_EINPUT, w->where,
		    "%s: tree deeper than %d levels", jpath, MAX_TREE_DEPTH);
	cJSON_ArrayForEach(c, arr) {
		snprintf(sub, sizeof(sub), depth ? "%s.children[%d]" : "%s[%d]", jpath, i++);
		rc = walk_node(w, c, sub, depth);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
endpoint_cmp(const void *a, const void *b)
{
	const struct endpoint *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Moves the methods of a later node of the same path into the first. */
PVECG_NODISCARD static int
merge_endpoint(struct walk *w, cJSON *into, cJSON *later)
{
	cJSON *dst = pvecg_json_get(into, "methods");
	cJSON *src = pvecg_json_get(later, "methods");
	const char *path = pvecg_json_str(into, "path");
	cJSON *m;
	int rc = 0;

	while (rc == 0 && (m = src->child) != NULL) {
		cJSON_DetachItemViaPointer(src, m);
		rc = put_method(w, dst, m, path);
	}
	cJSON_Delete(later);
	return rc;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

PVECG_NODISCARD static int
add_dup_methods(cJSON *doc, cJSON *counts, struct walk *w)
{
	cJSON *arr = cJSON_AddArrayToObject(doc, "duplicate_methods");
	size_t i;

	if (arr == NULL ||
	    cJSON_AddNumberToObject(counts, "duplicate_methods", (double)w->n_dup) == NULL)
		return PVECG_ENOMEM;
	if (w->n_dup > 0)
		qsort(w->dup_methods, w->n_dup, sizeof(w->dup_methods[0]), str_cmp);
	for (i = 0; i < w->n_dup; i++)
		if (!cJSON_AddItemToArray(arr, cJSON_CreateString(w->dup_methods[i])))
			return PVECG_ENOMEM;
	return 0;
}

/* Adds endpoints (one per path), counts and the path lists to doc; takes
 * w->eps nodes. */
PVECG_NODISCARD static int
add_endpoints(cJSON *doc, struct walk *w)
{
	cJSON *eps = cJSON_AddArrayToObject(doc, "endpoints");
	cJSON *dups = cJSON_AddArrayToObject(doc, "duplicate_paths");
	cJSON *empty = cJSON_AddArrayToObject(doc, "endpoints_without_methods");
	cJSON *counts = cJSON_AddObjectToObject(doc, "counts");
	cJSON *per = counts ? cJSON_AddObjectToObject(counts, "per_method") : NULL;
	size_t i, methods = 0, ndup = 0, nempty = 0, nep = 0;
	const cJSON *m;

	if (eps == NULL || dups == NULL || empty == NULL || per == NULL)
		return PVECG_ENOMEM;
	qsort(w->eps, w->n, sizeof(w->eps[0]), endpoint_cmp);
	for (i = 0; i < w->n; i++) {
		cJSON *ep = w->eps[i].node, *ms;
		size_t k;

		w->eps[i].node = NULL;
		for (k = i + 1; k < w->n && strcmp(w->eps[k].path, w->eps[i].path) == 0; k++) {
			cJSON *later = w->eps[k].node;

			w->eps[k].node = NULL;
			if (merge_endpoint(w, ep, later) != 0) {
				cJSON_Delete(ep);
				return PVECG_ENOMEM;
			}
		}
		cJSON_AddItemToArray(eps, ep);
		nep++;
		if (k > i + 1) {
			ndup++;
			cJSON_AddItemToArray(dups, cJSON_CreateString(pvecg_json_str(ep, "path")));
		}
		i = k - 1;
		ms = pvecg_json_get(ep, "methods");
		if (ms->child == NULL) {
			nempty++;
			cJSON_AddItemToArray(empty, cJSON_CreateString(pvecg_json_str(ep, "path")));
		}
		cJSON_ArrayForEach(m, ms) {
			cJSON *cnt = pvecg_json_get(per, m->string);

			methods++;
			if (cnt != NULL)
				cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
			else
				cJSON_AddNumberToObject(per, m->string, 1);
		}
	}
	cJSON_AddNumberToObject(counts, "endpoints", (double)nep);
	cJSON_AddNumberToObject(counts, "methods", (double)methods);
	cJSON_AddNumberToObject(counts, "duplicate_paths", (double)ndup);
	cJSON_AddNumberToObject(counts, "endpoints_without_methods", (double)nempty);
	return add_dup_methods(doc, counts, w);
}

PVECG_NODISCARD static int
add_meta(cJSON *doc, const cJSON *schema, const pvecg_capture_meta *meta)
{
	cJSON *scripts = cJSON_AddObjectToObject(doc, "scripts");
	const char *product = meta->product ? meta->product
	                                    : pvecg_capture_detect_product(schema, meta->page_title,
	                                          meta->schema_variable, NULL, 0);

	if (scripts == NULL || cJSON_AddNumberToObject(doc, "capture_version", 1) == NULL ||
	    cJSON_AddStringToObject(doc, "product", product) == NULL ||
	    cJSON_AddStringToObject(doc, "schema_variable",
	        meta->schema_variable ? meta->schema_variable : "") == NULL ||
	    cJSON_AddStringToObject(
	        doc, "source_sha256", meta->source_sha256 ? meta->source_sha256 : "") == NULL ||
	    cJSON_AddStringToObject(doc, "source_url", meta->source_url ? meta->source_url : "") ==
	        NULL ||
	    cJSON_AddNumberToObject(scripts, "statements", (double)meta->statements) == NULL ||
	    cJSON_AddNumberToObject(scripts, "skipped", (double)meta->skipped) == NULL)
		return PVECG_ENOMEM;
	return 0;
}

int
pvecg_capture_build(cJSON **out, cJSON *schema, const pvecg_capture_meta *meta, pvecg_error *err)
{
	const char *where = meta->source_url ? meta->source_url : "schema";
	const char *var = meta->schema_variable ? meta->schema_variable : "schema";
	struct walk w = { NULL, 0, 0, NULL, 0, 0, where, err };
	cJSON *doc = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if (!cJSON_IsArray(schema) || schema->child == NULL)
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "%s: schema is not a non-empty array", var);
	/* Product detection reads paths, so it runs before the tree is taken apart. */
	doc = cJSON_CreateObject();
	if (doc == NULL || add_meta(doc, schema, meta) != 0) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		goto out;
	}
	rc = walk_nodes(&w, schema, var, 0);
	if (rc != 0)
		goto out;
	if (add_endpoints(doc, &w) != 0) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	for (i = 0; i < w.n; i++)
		cJSON_Delete(w.eps[i].node);
	free(w.eps);
	for (i = 0; i < w.n_dup; i++)
		free(w.dup_methods[i]);
	free(w.dup_methods);
	cJSON_Delete(doc);
	return rc;
}

/* The methods of a loaded endpoint: known, each once (the same rules a
 * capture made here follows). */
PVECG_NODISCARD static int
check_loaded_methods(const cJSON *ms, int i, const char *path, pvecg_error *err)
{
	const cJSON *m;

	if (!cJSON_IsObject(ms))
		return pvecg_error_set(
		    err, PVECG_EINPUT, path, "endpoints[%d].methods: expected an object", i);
	cJSON_ArrayForEach(m, ms) {
		if (pvecg_httpmethod_find_upper(m->string) < 0)
			return pvecg_error_set(err, PVECG_EINPUT, path,
			    "endpoints[%d].methods: unsupported HTTP method %s (supported: %s)", i,
			    m->string ? m->string : "?", pvecg_httpmethods_text);
		if (pvecg_json_get(ms, m->string) != m)
			return pvecg_error_set(err, PVECG_EINPUT, path,
			    "endpoints[%d].methods: %s given twice", i, m->string);
	}
	return 0;
}

PVECG_NODISCARD static int
check_loaded(const cJSON *doc, const char *path, pvecg_error *err)
{
	const cJSON *v = pvecg_json_get(doc, "capture_version");
	const cJSON *eps = pvecg_json_get(doc, "endpoints");
	const cJSON *ep;
	const char *prev = NULL;
	int i = 0, rc;

	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return pvecg_error_set(
		    err, PVECG_EINPUT, path, "not a raw capture (capture_version 1 expected)");
	if (pvecg_capture_product_dir(pvecg_json_str(doc, "product")) == NULL) {
		char names[64];

		pvecg_product_list(names, sizeof(names));
		return pvecg_error_set(
		    err, PVECG_EINPUT, path, "product: expected one of %s", names);
	}
	if (!cJSON_IsArray(eps))
		return pvecg_error_set(err, PVECG_EINPUT, path, "endpoints: expected an array");
	cJSON_ArrayForEach(ep, eps) {
		const char *p = pvecg_json_str(ep, "path");

		if (p == NULL || p[0] != '/')
			return pvecg_error_set(err, PVECG_EINPUT, path,
			    "endpoints[%d].path: expected a string starting with '/'", i);
		if (prev != NULL && strcmp(prev, p) >= 0)
			return pvecg_error_set(err, PVECG_EINPUT, path,
			    "endpoints[%d].path %s: endpoints must be sorted by path, each path "
			    "once",
			    i, p);
		rc = check_loaded_methods(pvecg_json_get(ep, "methods"), i, path, err);
		if (rc != 0)
			return rc;
		prev = p;
		i++;
	}
	return 0;
}

int
pvecg_capture_load(cJSON **out, const char *path, pvecg_error *err)
{
	cJSON *doc = NULL;
	int rc;

	*out = NULL;
	rc = pvecg_json_read_file(&doc, path, 0, err);
	if (rc != 0)
		return rc;
	rc = check_loaded(doc, path, err);
	if (rc != 0) {
		cJSON_Delete(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

const char *
pvecg_capture_product_dir(const char *product)
{
	const pvecg_product *p = pvecg_product_find(product);

	return p ? p->dir : NULL;
}
