/* capture: flattening, counts, product detection, loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/capture.h"
#include "pvecg/json.h"

static const char *TREE =
    "[{\"path\":\"/nodes\",\"text\":\"nodes\",\"info\":{\"GET\":{\"method\":\"GET\",\"x\":1}},"
    "  \"children\":[{\"path\":\"/nodes/{node}\",\"text\":\"{node}\",\"leaf\":1,"
    "     \"info\":{\"GET\":{\"method\":\"GET\"},\"POST\":{\"method\":\"POST\"}}}]},"
    " {\"path\":\"/access\",\"text\":\"access\",\"leaf\":0},"
    " {\"path\":\"/nodes\",\"text\":\"again\",\"info\":{\"DELETE\":{\"method\":\"DELETE\"}}}]";

static cJSON *
build(const char *tree, const char *product, pvecg_error *err, int *rc)
{
	pvecg_capture_meta meta = { "src.js", "00", "apiSchema", product, NULL, 10, 2 };
	cJSON *schema = cJSON_Parse(tree), *out = NULL;

	assert_non_null(schema);
	*rc = pvecg_capture_build(&out, schema, &meta, err);
	cJSON_Delete(schema);
	return out;
}

static double
num(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void
test_capture_flattens_sorted_with_counts(void **state)
{
	pvecg_error err;
	int rc;
	cJSON *c = build(TREE, NULL, &err, &rc);
	cJSON *eps = cJSON_GetObjectItemCaseSensitive(c, "endpoints");
	cJSON *counts = cJSON_GetObjectItemCaseSensitive(c, "counts");

	(void)state;
	assert_int_equal(rc, 0);
	assert_int_equal(cJSON_GetArraySize(eps), 3);
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(eps, 0), "path"), "/access");
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(eps, 1), "text"), "nodes");
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(eps, 2), "path"), "/nodes/{node}");
	assert_true(num(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(eps, 1), "methods"),
	                "GET", "x") == 1);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(eps, 1), "methods"), "DELETE"));
	assert_true(num(counts, "endpoints", NULL) == 3);
	assert_true(num(counts, "methods", NULL) == 4);
	assert_true(num(counts, "per_method", "GET") == 2);
	assert_true(num(counts, "per_method", "POST") == 1);
	assert_true(num(counts, "per_method", "DELETE") == 1);
	assert_true(num(counts, "duplicate_paths", NULL) == 1);
	assert_true(num(counts, "endpoints_without_methods", NULL) == 1);
	assert_string_equal(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "duplicate_paths"), 0)
	        ->valuestring,
	    "/nodes");
	assert_string_equal(pvecg_json_str(c, "product"), "pve");
	assert_string_equal(pvecg_json_str(c, "schema_variable"), "apiSchema");
	assert_true(num(c, "scripts", "skipped") == 2);
	cJSON_Delete(c);
}

static void
test_capture_keeps_last_of_a_repeated_method(void **state)
{
	/* cJSON keeps both keys of {"GET":..,"GET":..}; JavaScript keeps the last. */
	static const char tree[] =
	    "[{\"path\":\"/a\",\"info\":{\"GET\":{\"n\":1},\"POST\":{},\"GET\":{\"n\":2}}},"
	    " {\"path\":\"/a\",\"info\":{\"POST\":{\"n\":3},\"PUT\":{}}}]";
	pvecg_error err;
	int rc;
	cJSON *c = build(tree, NULL, &err, &rc);
	cJSON *ms;

	(void)state;
	assert_int_equal(rc, 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "endpoints")), 1);
	ms = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "endpoints"), 0), "methods");
	assert_int_equal(cJSON_GetArraySize(ms), 3);
	assert_true(num(ms, "GET", "n") == 2);
	assert_true(num(ms, "POST", "n") == 3);
	assert_true(num(cJSON_GetObjectItemCaseSensitive(c, "counts"), "methods", NULL) == 3);
	assert_true(
	    num(cJSON_GetObjectItemCaseSensitive(c, "counts"), "duplicate_methods", NULL) == 2);
	assert_true(
	    num(cJSON_GetObjectItemCaseSensitive(c, "counts"), "duplicate_paths", NULL) == 1);
	assert_string_equal(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "duplicate_methods"), 0)
	        ->valuestring,
	    "GET /a");
	assert_string_equal(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "duplicate_methods"), 1)
	        ->valuestring,
	    "POST /a");
	cJSON_Delete(c);
}

static void
test_capture_rejects_unknown_method(void **state)
{
	pvecg_error err;
	int rc;

	(void)state;
	assert_null(
	    build("[{\"path\":\"/a\",\"children\":[{\"path\":\"/a/b\",\"info\":{\"PATCH\":{}}}]}]",
	        NULL, &err, &rc));
	assert_int_equal(rc, PVECG_EINPUT);
	assert_string_equal(err.message,
	    "/a/b: unsupported HTTP method PATCH at "
	    "apiSchema[0].children[0].info (supported: GET, POST, PUT, DELETE)");
}

static void
test_capture_rejects_node_without_path_with_json_path(void **state)
{
	pvecg_error err;
	int rc;
	cJSON *c = build("[{\"path\":\"/a\",\"children\":[{\"text\":\"x\"}]}]", NULL, &err, &rc);

	(void)state;
	assert_null(c);
	assert_int_equal(rc, PVECG_EINPUT);
	assert_string_equal(err.where, "src.js");
	assert_string_equal(
	    err.message, "apiSchema[0].children[0].path: expected a string starting with '/'");
}

static void
test_capture_rejects_empty_schema(void **state)
{
	pvecg_error err;
	int rc;

	(void)state;
	assert_null(build("[]", NULL, &err, &rc));
	assert_int_equal(rc, PVECG_EINPUT);
}

static void
test_capture_detects_products(void **state)
{
	cJSON *pbs = cJSON_Parse(
	    "[{\"path\":\"/\",\"children\":[{\"path\":\"/admin/datastore\"}]}]");
	cJSON *pmg = cJSON_Parse("[{\"path\":\"/quarantine\"}]");
	cJSON *plain = cJSON_Parse("[{\"path\":\"/nodes\"}]");
	char why[160];

	(void)state;
	assert_string_equal(
	    pvecg_capture_detect_product(pbs, NULL, "apiSchema", why, sizeof(why)), "pbs");
	assert_string_equal(why, "path /admin/datastore");
	assert_string_equal(pvecg_capture_detect_product(pmg, NULL, NULL, why, sizeof(why)), "pmg");
	assert_string_equal(why, "path /quarantine");
	assert_string_equal(
	    pvecg_capture_detect_product(pmg, "Proxmox Backup Server API", NULL, why, sizeof(why)),
	    "pbs");
	assert_string_equal(why, "page title Proxmox Backup Server API");
	/* an old PMG viewer: no /quarantine, but the variable says so */
	assert_string_equal(
	    pvecg_capture_detect_product(plain, NULL, "pmgapi", why, sizeof(why)), "pmg");
	assert_string_equal(why, "schema variable pmgapi");
	assert_string_equal(
	    pvecg_capture_detect_product(NULL, NULL, "apiSchema", why, sizeof(why)), "pve");
	assert_string_equal(why, "no signal (the default)");
	assert_string_equal(pvecg_capture_detect_product(pmg, NULL, NULL, NULL, 0), "pmg");
	assert_string_equal(pvecg_capture_product_dir("pve"), "proxmox");
	assert_null(pvecg_capture_product_dir("pxe"));
	cJSON_Delete(pbs);
	cJSON_Delete(pmg);
	cJSON_Delete(plain);
}

static void
test_capture_load_round_trips_and_rejects_other_json(void **state)
{
	char path[] = "/tmp/pvecg-capture-XXXXXX";
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_error err;
	cJSON *c, *back = NULL;
	int rc, fd = mkstemp(path);
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	c = build(TREE, "pbs", &err, &rc);
	assert_int_equal(pvecg_json_write(&b, c), 0);
	fp = fopen(path, "w");
	fwrite(b.data, 1, b.len, fp);
	fclose(fp);
	assert_int_equal(pvecg_capture_load(&back, path, &err), 0);
	assert_true(cJSON_Compare(c, back, 1));
	cJSON_Delete(back);
	fp = fopen(path, "w");
	fputs("{\"openapi\":\"3.1.0\"}", fp);
	fclose(fp);
	assert_int_equal(pvecg_capture_load(&back, path, &err), PVECG_EINPUT);
	assert_string_equal(err.message, "not a raw capture (capture_version 1 expected)");
	fp = fopen(path, "w");
	fputs("{\"capture_version\": 1,\n \"endpoints\": [", fp);
	fclose(fp);
	assert_int_equal(pvecg_capture_load(&back, path, &err), PVECG_EINPUT);
	assert_non_null(strstr(err.message, "invalid JSON at line 2"));
	unlink(path);
	pvecg_buf_free(&b);
	cJSON_Delete(c);
}

/* A capture loaded from disk follows the rules a capture made here does. */
static void
test_capture_load_refuses_what_capture_would_not_write(void **state)
{
	static const char *const bad[][2] = {
		{ "{\"capture_version\":1,\"product\":\"pve\",\"endpoints\":[{\"path\":\"/a\","
		  "\"methods\":{\"PATCH\":{}}}]}",
		    "endpoints[0].methods: unsupported HTTP method PATCH (supported: GET, POST, "
		    "PUT, DELETE)" },
		{ "{\"capture_version\":1,\"product\":\"pve\",\"endpoints\":[{\"path\":\"/a\","
		  "\"methods\":{\"GET\":{},\"GET\":{}}}]}",
		    "endpoints[0].methods: GET given twice" },
		{ "{\"capture_version\":1,\"product\":\"pve\",\"endpoints\":[{\"path\":\"/a\","
		  "\"methods\":{}},{\"path\":\"/a\",\"methods\":{}}]}",
		    "endpoints[1].path /a: endpoints must be sorted by path, each path once" },
	};
	char path[] = "/tmp/pvecg-capture-XXXXXX";
	pvecg_error err;
	cJSON *back = NULL;
	int fd = mkstemp(path);
	size_t i;
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(bad[i][0], fp);
		fclose(fp);
		pvecg_error_clear(&err);
		assert_int_equal(pvecg_capture_load(&back, path, &err), PVECG_EINPUT);
		assert_null(back);
		assert_string_equal(err.message, bad[i][1]);
	}
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_load_refuses_what_capture_would_not_write),
		cmocka_unit_test(test_capture_flattens_sorted_with_counts),
		cmocka_unit_test(test_capture_keeps_last_of_a_repeated_method),
		cmocka_unit_test(test_capture_rejects_unknown_method),
		cmocka_unit_test(test_capture_rejects_node_without_path_with_json_path),
		cmocka_unit_test(test_capture_rejects_empty_schema),
		cmocka_unit_test(test_capture_detects_products),
		cmocka_unit_test(test_capture_load_round_trips_and_rejects_other_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
