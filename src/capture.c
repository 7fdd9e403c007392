#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/capture.h"
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
	const char *where; /* the source, for messages */
	pvecg_error *err;
};

static int
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

/* Moves every info.<METHOD> object into a new "methods" object. */
static int
take_methods(cJSON *methods, cJSON *info, const char *jpath, const char *where,
    pvecg_error *err)
{
	cJSON *m;

	if (info == NULL)
		return 0;
	if (!cJSON_IsObject(info))
		return pvecg_error_set(err, PVECG_EINPUT, where, "%s.info: expected an object", jpath);
	while ((m = info->child) != NULL) {
		if (!cJSON_IsObject(m) || m->string == NULL)
			return pvecg_error_set(err, PVECG_EINPUT, where,
			    "%s.info.%s: expected a method object", jpath, m->string ? m->string : "?");
		cJSON_DetachItemViaPointer(info, m);
		cJSON_AddItemToObject(methods, m->string, m);
	}
	return 0;
}

static int walk_nodes(struct walk *w, cJSON *arr, const char *jpath, int depth);

static int
walk_node(struct walk *w, cJSON *n, const char *jpath, int depth)
{
	cJSON *path = cJSON_GetObjectItemCaseSensitive(n, "path");
	cJSON *text = cJSON_GetObjectItemCaseSensitive(n, "text");
	cJSON *leaf = cJSON_GetObjectItemCaseSensitive(n, "leaf");
	cJSON *children = cJSON_GetObjectItemCaseSensitive(n, "children");
	cJSON *ep, *methods;
	int rc;

	if (!cJSON_IsObject(n))
		return pvecg_error_set(w->err, PVECG_EINPUT, w->where, "%s: expected an object", jpath);
	if (!cJSON_IsString(path) || path->valuestring[0] != '/')
		return pvecg_error_set(w->err, PVECG_EINPUT, w->where,
		    "%s.path: expected a string starting with '/'", jpath);
	ep = cJSON_CreateObject();
	methods = ep ? cJSON_AddObjectToObject(ep, "methods") : NULL;
	if (methods == NULL || cJSON_AddStringToObject(ep, "path", path->valuestring) == NULL ||
	    cJSON_AddStringToObject(ep, "text", cJSON_IsString(text) ? text->valuestring : "") == NULL ||
	    cJSON_AddNumberToObject(ep, "leaf", pvecg_json_truthy(leaf)) == NULL) {
		cJSON_Delete(ep);
		return pvecg_error_set(w->err, PVECG_ENOMEM, w->where, "out of memory");
	}
	rc = push_endpoint(w, pvecg_json_str(ep, "path"), ep);
	if (rc != 0) {
		cJSON_Delete(ep);
		return pvecg_error_set(w->err, rc, w->where, "out of memory");
	}
	rc = take_methods(methods, cJSON_GetObjectItemCaseSensitive(n, "info"), jpath,
	    w->where, w->err);
	if (rc != 0)
		return rc;
	if (children == NULL || cJSON_IsNull(children))
		return 0;
	if (!cJSON_IsArray(children))
		return pvecg_error_set(w->err, PVECG_EINPUT, w->where, "%s.children: expected an array", jpath);
	return walk_nodes(w, children, jpath, depth + 1);
}

static int
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

/* Adds endpoints, counts and the two path lists to doc; takes w->eps nodes. */
static int
add_endpoints(cJSON *doc, struct walk *w)
{
	cJSON *eps = cJSON_AddArrayToObject(doc, "endpoints");
	cJSON *dups = cJSON_AddArrayToObject(doc, "duplicate_paths");
	cJSON *empty = cJSON_AddArrayToObject(doc, "endpoints_without_methods");
	cJSON *counts = cJSON_AddObjectToObject(doc, "counts");
	cJSON *per = counts ? cJSON_AddObjectToObject(counts, "per_method") : NULL;
	size_t i, methods = 0, ndup = 0, nempty = 0;
	const cJSON *m;

	if (eps == NULL || dups == NULL || empty == NULL || per == NULL)
		return PVECG_ENOMEM;
	qsort(w->eps, w->n, sizeof(w->eps[0]), endpoint_cmp);
	for (i = 0; i < w->n; i++) {
		cJSON *ep = w->eps[i].node, *ms = cJSON_GetObjectItemCaseSensitive(ep, "methods");

		w->eps[i].node = NULL;
		cJSON_AddItemToArray(eps, ep);
		if (i > 0 && strcmp(w->eps[i - 1].path, w->eps[i].path) == 0) {
			ndup++;
			cJSON_AddItemToArray(dups, cJSON_CreateString(w->eps[i].path));
		}
		if (ms->child == NULL) {
			nempty++;
			cJSON_AddItemToArray(empty, cJSON_CreateString(w->eps[i].path));
		}
		cJSON_ArrayForEach(m, ms) {
			cJSON *cnt = cJSON_GetObjectItemCaseSensitive(per, m->string);

			methods++;
			if (cnt != NULL)
				cJSON_SetNumberValue(cnt, cnt->valuedouble + 1);
			else
				cJSON_AddNumberToObject(per, m->string, 1);
		}
	}
	cJSON_AddNumberToObject(counts, "endpoints", (double)w->n);
	cJSON_AddNumberToObject(counts, "methods", (double)methods);
	cJSON_AddNumberToObject(counts, "duplicate_paths", (double)ndup);
	cJSON_AddNumberToObject(counts, "endpoints_without_methods", (double)nempty);
	return 0;
}

static int
add_meta(cJSON *doc, const cJSON *schema, const pvecg_capture_meta *meta)
{
	cJSON *scripts = cJSON_AddObjectToObject(doc, "scripts");
	const char *product = meta->product ? meta->product :
	    pvecg_capture_detect_product(schema, meta->page_title);

	if (scripts == NULL ||
	    cJSON_AddNumberToObject(doc, "capture_version", 1) == NULL ||
	    cJSON_AddStringToObject(doc, "product", product) == NULL ||
	    cJSON_AddStringToObject(doc, "schema_variable", meta->schema_variable ? meta->schema_variable : "") == NULL ||
	    cJSON_AddStringToObject(doc, "source_sha256", meta->source_sha256 ? meta->source_sha256 : "") == NULL ||
	    cJSON_AddStringToObject(doc, "source_url", meta->source_url ? meta->source_url : "") == NULL ||
	    cJSON_AddNumberToObject(scripts, "statements", (double)meta->statements) == NULL ||
	    cJSON_AddNumberToObject(scripts, "skipped", (double)meta->skipped) == NULL)
		return PVECG_ENOMEM;
	return 0;
}

int
pvecg_capture_build(cJSON **out, cJSON *schema, const pvecg_capture_meta *meta,
    pvecg_error *err)
{
	const char *where = meta->source_url ? meta->source_url : "schema";
	const char *var = meta->schema_variable ? meta->schema_variable : "schema";
	struct walk w = { NULL, 0, 0, where, err };
	cJSON *doc = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if (!cJSON_IsArray(schema) || schema->child == NULL)
		return pvecg_error_set(err, PVECG_EINPUT, where, "%s: schema is not a non-empty array", var);
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
	cJSON_Delete(doc);
	return rc;
}

static int
check_loaded(const cJSON *doc, const char *path, pvecg_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "capture_version");
	const cJSON *eps = cJSON_GetObjectItemCaseSensitive(doc, "endpoints");
	const cJSON *ep;
	int i = 0;

	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return pvecg_error_set(err, PVECG_EINPUT, path, "not a raw capture (capture_version 1 expected)");
	if (pvecg_capture_product_dir(pvecg_json_str(doc, "product")) == NULL)
		return pvecg_error_set(err, PVECG_EINPUT, path, "product: expected pve, pbs, pmg or pdm");
	if (!cJSON_IsArray(eps))
		return pvecg_error_set(err, PVECG_EINPUT, path, "endpoints: expected an array");
	cJSON_ArrayForEach(ep, eps) {
		const char *p = pvecg_json_str(ep, "path");

		if (p == NULL || p[0] != '/')
			return pvecg_error_set(err, PVECG_EINPUT, path, "endpoints[%d].path: expected a string starting with '/'", i);
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ep, "methods")))
			return pvecg_error_set(err, PVECG_EINPUT, path, "endpoints[%d].methods: expected an object", i);
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

/* True when some node's path starts with prefix; PBS nests all under "/". */
static int
has_path(const cJSON *nodes, const char *prefix, int depth)
{
	const cJSON *n;
	size_t len = strlen(prefix);

	if (depth > MAX_TREE_DEPTH)
		return 0;
	cJSON_ArrayForEach(n, nodes) {
		const char *p = pvecg_json_str(n, "path");

		if (p != NULL && strncmp(p, prefix, len) == 0)
			return 1;
		if (has_path(cJSON_GetObjectItemCaseSensitive(n, "children"), prefix, depth + 1))
			return 1;
	}
	return 0;
}

const char *
pvecg_capture_detect_product(const cJSON *schema, const char *title)
{
	if (title != NULL) {
		if (strstr(title, "Backup Server"))
			return "pbs";
		if (strstr(title, "Mail Gateway"))
			return "pmg";
		if (strstr(title, "Datacenter Manager"))
			return "pdm";
		if (strstr(title, "Proxmox VE") || strstr(title, "Virtual Environment"))
			return "pve";
	}
	if (has_path(schema, "/admin/datastore", 0))
		return "pbs";
	if (has_path(schema, "/quarantine", 0))
		return "pmg";
	if (has_path(schema, "/remotes", 0))
		return "pdm";
	return "pve";
}
