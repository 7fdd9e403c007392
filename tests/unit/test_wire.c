/* Unit tests for the wire rewrite (src/wire.c) and the schema errata
 * (src/errata.c), through pvecg_openapi_build on small captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/json.h"
#include "pvecg/openapi.h"
#include "pvecg/wire.h"

static const char *const endpoints =
    "[{\"path\":\"/nodes/{node}/ceph/mon\",\"methods\":{\"GET\":{\"method\":\"GET\","
    "\"parameters\":{\"properties\":{\"node\":{\"type\":\"string\"}}},"
    "\"returns\":{\"type\":\"array\",\"links\":[{\"rel\":\"child\",\"href\":\"{name}\"}],"
    "\"items\":{\"type\":\"object\",\"properties\":{"
    "\"name\":{\"type\":\"string\"},"
    "\"host\":{\"type\":\"boolean\",\"optional\":1},"
    "\"rank\":{\"type\":\"integer\",\"optional\":1,\"minimum\":0},"
    "\"addr\":{\"type\":\"string\",\"optional\":1,\"pattern\":\"[a-z]+\"},"
    "\"state\":{\"type\":\"string\",\"enum\":[\"running\",\"stopped\"]}}}}}}},"
    "{\"path\":\"/thing\",\"methods\":{\"PUT\":{\"method\":\"PUT\","
    "\"parameters\":{\"properties\":{\"flag\":{\"type\":\"boolean\"},"
    "\"n\":{\"type\":\"integer\",\"optional\":1,\"maximum\":5},"
    "\"step\":{\"type\":\"integer\",\"optional\":1,\"enum\":[1,16]},"
    "\"ratio\":{\"type\":\"number\",\"optional\":1,\"enum\":[0.1,-2]}}},"
    "\"returns\":{\"type\":\"object\",\"additionalProperties\":0,\"properties\":{"
    "\"done\":{\"type\":\"boolean\"}}}}}}]";

static cJSON *
build(const char *product)
{
	char text[8192];
	cJSON *cap, *doc = NULL;
	pvecg_error err;
	int rc;

	snprintf(text, sizeof(text), "{\"capture_version\":1,\"product\":\"%s\",\"endpoints\":%s}",
	    product, endpoints);
	cap = cJSON_Parse(text);
	assert_non_null(cap);
	memset(&err, 0, sizeof(err));
	rc = pvecg_openapi_build(&doc, cap, "9.1", &err);
	cJSON_Delete(cap);
	if (rc != 0)
		fail_msg("build failed: %s: %s", err.where, err.message);
	return doc;
}

static cJSON *
get(const cJSON *node, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, node);
	while (node && (k = va_arg(ap, const char *)) != NULL)
		node = cJSON_GetObjectItemCaseSensitive(node, k);
	va_end(ap);
	return (cJSON *)node;
}

static void
assert_json(const cJSON *node, const char *expected)
{
	cJSON *want = cJSON_Parse(expected);
	pvecg_buf a = PVECG_BUF_INIT, b = PVECG_BUF_INIT;

	assert_non_null(want);
	assert_non_null(node);
	assert_int_equal(pvecg_json_write(&a, node), 0);
	assert_int_equal(pvecg_json_write(&b, want), 0);
	assert_string_equal(a.data, b.data);
	pvecg_buf_free(&a);
	pvecg_buf_free(&b);
	cJSON_Delete(want);
}

static cJSON *
mon_item(cJSON *doc)
{
	return get(doc, "components", "schemas", "GetNodesNodeCephMonResponse", "items", NULL);
}

static void
test_wire_list_item_requires_only_its_child_key(void **state)
{
	cJSON *doc = build("pve");

	(void)state;
	assert_json(get(mon_item(doc), "required", NULL), "[\"name\"]");
	assert_json(
	    get(mon_item(doc), "x-proxmox-declared-required", NULL), "[\"name\",\"state\"]");
	/* the key is never null; the other members may be */
	assert_json(get(mon_item(doc), "properties", "name", NULL),
	    "{\"type\":[\"string\",\"number\"],\"x-proxmox-type\":\"string\"}");
	assert_json(get(mon_item(doc), "properties", "state", NULL),
	    "{\"anyOf\":[{\"type\":\"string\",\"enum\":[\"running\",\"stopped\"]},"
	    "{\"type\":\"null\"}],\"x-proxmox-type\":\"string\"}");
	cJSON_Delete(doc);
}

static void
test_wire_response_forms_keep_the_declared_type(void **state)
{
	cJSON *doc = build("pve");

	(void)state;
	assert_json(get(mon_item(doc), "properties", "rank", NULL),
	    "{\"type\":[\"integer\",\"string\",\"null\"],\"pattern\":\"^(?:[+-]?\\\\d+)?$\","
	    "\"x-proxmox-input-checks\":{\"minimum\":0},\"x-proxmox-type\":\"integer\"}");
	assert_json(get(mon_item(doc), "properties", "addr", "x-proxmox-input-checks", NULL),
	    "{\"pattern\":\"^(?:[a-z]+)$\",\"x-proxmox-pattern\":\"[a-z]+\"}");
	assert_null(get(mon_item(doc), "properties", "addr", "pattern", NULL));
	/* additionalProperties 0 is an input check too */
	assert_json(get(doc, "components", "schemas", "PutThingResponse", NULL),
	    "{\"type\":\"object\",\"x-proxmox-input-checks\":{\"additionalProperties\":false},"
	    "\"x-proxmox-declared-required\":[\"done\"],\"properties\":{\"done\":{"
	    "\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"integer\",\"enum\":[0,1]},"
	    "{\"type\":\"string\",\"enum\":[\"0\",\"1\",\"\"]},{\"type\":\"null\"}],"
	    "\"x-proxmox-type\":\"boolean\"}}}");
	cJSON_Delete(doc);
}

static void
test_wire_request_keeps_required_and_checks(void **state)
{
	cJSON *doc = build("pve");
	cJSON *req = get(doc, "components", "schemas", "PutThingRequest", NULL);

	(void)state;
	assert_json(get(req, "required", NULL), "[\"flag\"]");
	assert_json(get(req, "properties", "flag", NULL),
	    "{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"integer\",\"enum\":[0,1]},"
	    "{\"type\":\"string\",\"enum\":[\"0\",\"1\"]}],\"x-proxmox-type\":\"boolean\"}");
	assert_json(get(req, "properties", "n", NULL),
	    "{\"type\":[\"integer\",\"string\"],\"maximum\":5,\"pattern\":\"^[+-]?\\\\d+$\","
	    "\"x-proxmox-type\":\"integer\"}");
	/* an enum's text forms are a pattern: 1 and "1" are not two enum members */
	assert_json(get(req, "properties", "step", NULL),
	    "{\"anyOf\":[{\"type\":\"integer\",\"enum\":[1,16]},"
	    "{\"type\":\"string\",\"pattern\":\"^(?:1|16)$\"}],\"x-proxmox-type\":\"integer\"}");
	/* the shortest text of each number, '.' escaped */
	assert_json(get(req, "properties", "ratio", "anyOf", NULL),
	    "[{\"type\":\"number\",\"enum\":[0.1,-2]},"
	    "{\"type\":\"string\",\"pattern\":\"^(?:0\\\\.1|-2)$\"}]");
	assert_ptr_equal(pvecg_wire_declared_branch(get(req, "properties", "step", NULL)),
	    cJSON_GetArrayItem(get(req, "properties", "step", "anyOf", NULL), 0));
	cJSON_Delete(doc);
}

static void
test_wire_rust_products_keep_declared_required(void **state)
{
	cJSON *doc = build("pbs");

	(void)state;
	assert_json(get(mon_item(doc), "required", NULL), "[\"name\",\"state\"]");
	assert_null(get(mon_item(doc), "x-proxmox-declared-required", NULL));
	/* not nullable: a plain string enum */
	assert_json(get(mon_item(doc), "properties", "state", NULL),
	    "{\"type\":\"string\",\"enum\":[\"running\",\"stopped\"],\"x-proxmox-type\":"
	    "\"string\"}");
	/* no errata file for PBS */
	assert_null(get(doc, "x-proxmox-errata", NULL));
	cJSON_Delete(doc);
}

static void
test_errata_embedded_pve_file_corrects_ceph_mon_host(void **state)
{
	cJSON *doc = build("pve");
	cJSON *e = get(doc, "x-proxmox-errata", NULL);

	(void)state;
	assert_int_equal(cJSON_GetArraySize(e), 1);
	assert_string_equal(cJSON_GetStringValue(get(cJSON_GetArrayItem(e, 0), "operation", NULL)),
	    "GET /nodes/{node}/ceph/mon");
	assert_true(cJSON_GetArraySize(get(cJSON_GetArrayItem(e, 0), "evidence", NULL)) > 0);
	assert_json(get(mon_item(doc), "properties", "host", NULL),
	    "{\"type\":[\"string\",\"number\",\"null\"],\"x-proxmox-declared\":{\"type\":"
	    "\"boolean\"},"
	    "\"x-proxmox-type\":\"string\"}");
	cJSON_Delete(doc);
}

static int
apply(cJSON *doc, const char *entry, pvecg_error *err)
{
	char text[2048];

	snprintf(text, sizeof(text), "{\"errata\":[%s]}", entry);
	memset(err, 0, sizeof(*err));
	return pvecg_errata_apply_text(doc, text, "test.json", err);
}

static void
test_errata_refuses_entry_without_evidence(void **state)
{
	cJSON *doc = build("pbs");
	pvecg_error err;

	(void)state;
	assert_int_equal(
	    apply(doc,
	        "{\"operation\":\"PUT /thing\",\"pointer\":\"/properties/done\","
	        "\"correction\":{\"type\":\"string\"},\"reason\":\"r\",\"evidence\":[]}",
	        &err),
	    PVECG_EINPUT);
	assert_string_equal(err.where, "test.json");
	assert_non_null(strstr(err.message, "evidence"));
	assert_null(get(doc, "x-proxmox-errata", NULL));
	cJSON_Delete(doc);
}

static void
test_errata_pointer_must_name_a_schema(void **state)
{
	cJSON *doc = build("pbs");
	pvecg_error err;

	(void)state;
	assert_int_equal(
	    apply(doc,
	        "{\"operation\":\"PUT /thing\",\"pointer\":\"/properties/nope\","
	        "\"correction\":{\"type\":\"string\"},\"reason\":\"r\",\"evidence\":[\"x\"]}",
	        &err),
	    PVECG_EINPUT);
	assert_string_equal(
	    err.message, "PUT /thing: pointer /properties/nope does not name a schema");
	cJSON_Delete(doc);
}

static void
test_errata_skip_operations_of_other_releases(void **state)
{
	cJSON *doc = build("pbs");
	pvecg_error err;

	(void)state;
	assert_int_equal(
	    apply(doc,
	        "{\"operation\":\"GET /elsewhere\",\"pointer\":\"/properties/a\","
	        "\"correction\":{\"type\":\"string\"},\"reason\":\"r\",\"evidence\":[\"x\"]},"
	        "{\"operation\":\"PUT /thing\",\"pointer\":\"/properties/done\","
	        "\"correction\":{\"type\":\"string\"},\"reason\":\"r\",\"evidence\":[\"x\"]}",
	        &err),
	    0);
	assert_int_equal(cJSON_GetArraySize(get(doc, "x-proxmox-errata", NULL)), 1);
	assert_json(get(doc, "components", "schemas", "PutThingResponse", "properties", "done",
	                "x-proxmox-declared", NULL),
	    "{\"type\":null}"); /* a wire union has no "type" */
	cJSON_Delete(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_list_item_requires_only_its_child_key),
		cmocka_unit_test(test_wire_response_forms_keep_the_declared_type),
		cmocka_unit_test(test_wire_request_keeps_required_and_checks),
		cmocka_unit_test(test_wire_rust_products_keep_declared_required),
		cmocka_unit_test(test_errata_embedded_pve_file_corrects_ceph_mon_host),
		cmocka_unit_test(test_errata_refuses_entry_without_evidence),
		cmocka_unit_test(test_errata_pointer_must_name_a_schema),
		cmocka_unit_test(test_errata_skip_operations_of_other_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
