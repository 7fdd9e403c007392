/* verify: the counts of route_metadata.json and raw_capture.json against
 * openapi.json and against their own lists. */
#include <string.h>

#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/util.h"
#include "verify_int.h"

void
verify_routes(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	const cJSON *routes, *r, *cpm;
	pvecg_json_arena *arena;
	cJSON *doc;
	size_t i, nroutes = 0;
	int ok;
	long rc_count;

	if (pvecg_path_join(file, sizeof(file), v->dir, "route_metadata.json") != 0)
		return;
	doc = verify_load_doc(s, v->dir, "route_metadata.json", &arena);
	if (doc == NULL)
		return;
	verify_check_sha(s, v, file, pvecg_json_str(doc, "openapi_sha256"));
	verify_check_tag(s, v, file, "version_tag", pvecg_json_str(doc, "version_tag"));
	routes = pvecg_json_get(doc, "routes");
	nroutes = (size_t)cJSON_GetArraySize(routes);
	rc_count = verify_get_long(doc, "route_count", &ok);
	if (ok && (size_t)rc_count != nroutes)
		verify_failure(s, file, "route_count is %ld but \"routes\" has %zu entries",
		    rc_count, nroutes);
	if (v->have_openapi) {
		verify_check_count(s, file, doc, "path_count", v->npaths, "paths");
		verify_check_count(s, file, doc, "route_count", (long)v->nops, "operations");
		cpm = pvecg_json_get(doc, "counts_per_method");
		for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
			const char *name = pvecg_httpmethods[pvecg_httpmethods_by_name[i]].upper;
			long want = v->per_method[pvecg_httpmethods_by_name[i]];

			if (verify_get_long(cpm, name, &ok) != want || !ok)
				verify_failure(s, file,
				    "counts_per_method.%s is %ld but openapi.json has %ld", name,
				    verify_get_long(cpm, name, &ok), want);
		}
		cJSON_ArrayForEach(r, routes) {
			struct op *o = verify_find_op(
			    v, pvecg_json_str(r, "method"), pvecg_json_str(r, "path"));

			if (o == NULL)
				verify_failure(s, file,
				    "route %s %s is not an operation of openapi.json",
				    pvecg_json_str(r, "method") ? pvecg_json_str(r, "method") : "?",
				    pvecg_json_str(r, "path") ? pvecg_json_str(r, "path") : "?");
			else if (o->id == NULL || pvecg_json_str(r, "operation_id") == NULL ||
			    strcmp(o->id, pvecg_json_str(r, "operation_id")) != 0)
				verify_failure(s, file,
				    "route %s %s has operation_id \"%s\", openapi.json says \"%s\"",
				    o->method, o->path,
				    pvecg_json_str(r, "operation_id")
				        ? pvecg_json_str(r, "operation_id")
				        : "",
				    o->id ? o->id : "");
			else
				o->in_routes = 1;
		}
		for (i = 0; i < v->nops; i++)
			if (!v->ops[i].in_routes)
				verify_failure(s, file, "operation %s (%s %s) is missing",
				    v->ops[i].id ? v->ops[i].id : "?", v->ops[i].method,
				    v->ops[i].path);
	}
	verify_validate(s, 1, file, doc);
	pvecg_json_arena_free(arena);
}

/* ------------------------------------------------------------------ */
/* raw_capture.json                                                     */

/* One count of raw_capture.json against what it holds (absent: not checked,
 * the schema says what is required). */
static void
check_own_count(struct vstate *s, const char *file, const cJSON *counts, const char *key, long want,
    const char *what)
{
	int ok;
	long got = verify_get_long(counts, key, &ok);

	if (ok && got != want)
		verify_failure(
		    s, file, "counts.%s is %ld but the file holds %ld %s", key, got, want, what);
}

/* The capture's counts agree with its own lists and endpoints. */
static void
check_capture_counts(struct vstate *s, const char *file, const cJSON *doc)
{
	const cJSON *counts = pvecg_json_get(doc, "counts");
	const cJSON *per = pvecg_json_get(counts, "per_method");
	const cJSON *eps = pvecg_json_get(doc, "endpoints");
	const cJSON *ep, *m;
	long methods = 0, n[PVECG_HTTP_NMETHODS] = { 0 };
	int i, ok;

	cJSON_ArrayForEach(ep, eps) {
		cJSON_ArrayForEach(m, pvecg_json_get(ep, "methods")) {
			methods++;
			if ((i = pvecg_httpmethod_find_upper(m->string)) >= 0)
				n[i]++;
		}
	}
	check_own_count(s, file, counts, "endpoints", cJSON_GetArraySize(eps), "endpoints");
	check_own_count(s, file, counts, "methods", methods, "methods");
	for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
		long got = verify_get_long(per, pvecg_httpmethods[i].upper, &ok);

		if ((ok ? got : 0) != n[i])
			verify_failure(s, file,
			    "counts.per_method.%s is %ld but the file holds %ld",
			    pvecg_httpmethods[i].upper, ok ? got : 0, n[i]);
	}
	check_own_count(s, file, counts, "duplicate_paths",
	    cJSON_GetArraySize(pvecg_json_get(doc, "duplicate_paths")), "duplicate paths");
	if (cJSON_HasObjectItem(doc, "duplicate_methods"))
		check_own_count(s, file, counts, "duplicate_methods",
		    cJSON_GetArraySize(pvecg_json_get(doc, "duplicate_methods")),
		    "duplicate methods");
	check_own_count(s, file, counts, "endpoints_without_methods",
	    cJSON_GetArraySize(pvecg_json_get(doc, "endpoints_without_methods")),
	    "endpoints without methods");
}

void
verify_capture(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	pvecg_json_arena *arena;
	cJSON *doc;

	if (pvecg_path_join(file, sizeof(file), v->dir, "raw_capture.json") != 0)
		return;
	doc = verify_load_doc(s, v->dir, "raw_capture.json", &arena);
	if (doc == NULL)
		return;
	if (v->have_openapi)
		verify_check_count(s, file, doc, "counts.methods", (long)v->nops, "operations");
	check_capture_counts(s, file, doc);
	verify_validate(s, 0, file, doc);
	pvecg_json_arena_free(arena);
}
