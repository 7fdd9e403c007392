/* Unit tests for the openapi stage: small hand-written captures, one quirk each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/json.h"
#include "pvecg/openapi.h"
#include "pvecg/regex.h"

/* A capture with one endpoint; `methods` is the JSON text of its methods. */
static cJSON *
build_doc(const char *product, const char *endpoints_json, pvecg_error *err, int *rc)
{
	char text[16384];
	cJSON *cap, *doc = NULL;

	snprintf(text, sizeof(text), "{\"capture_version\":1,\"product\":\"%s\",\"endpoints\":%s}",
	    product, endpoints_json);
	cap = cJSON_Parse(text);
	assert_non_null(cap);
	memset(err, 0, sizeof(*err));
	*rc = pvecg_openapi_build(&doc, cap, "9.1", err);
	cJSON_Delete(cap);
	return doc;
}

static cJSON *
build_ok(const char *endpoints_json)
{
	pvecg_error err;
	int rc;
	cJSON *doc = build_doc("pve", endpoints_json, &err, &rc);

	if (rc != 0)
		fail_msg("build failed: %s: %s", err.where, err.message);
	return doc;
}

/* get(doc, "paths", "/x", "get", NULL): NULL-safe walk through objects. */
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

static const char *
str(const cJSON *node)
{
	assert_true(cJSON_IsString(node));
	return node->valuestring;
}

static int
array_has(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

static char *
canonical(const cJSON *node)
{
	pvecg_buf b = PVECG_BUF_INIT;

	assert_int_equal(pvecg_json_write(&b, node), 0);
	return pvecg_buf_steal(&b, NULL);
}

static void
assert_json(const cJSON *node, const char *expected)
{
	cJSON *want = cJSON_Parse(expected);
	char *a, *b;

	assert_non_null(want);
	a = canonical(node);
	b = canonical(want);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cJSON_Delete(want);
}

/* ---- patterns ---- */

static void
assert_translates(const char *perl, const char *ecma)
{
	char *out = NULL;

	assert_int_equal(pvecg_regex_to_ecma(&out, perl), 0);
	assert_string_equal(out, ecma);
	free(out);
}

static void
assert_refused(const char *perl)
{
	char *out = (char *)1;

	assert_int_equal(pvecg_regex_to_ecma(&out, perl), PVECG_EINPUT);
	assert_null(out);
}

static void
test_pattern_perl_wrapper_is_unwrapped(void **state)
{
	(void)state;
	assert_translates("(?^:^\\d+$)", "^\\d+$");
	/* Proxmox matches m/^PATTERN$/: bare patterns get the anchors */
	assert_translates("[a-z]+\\-\\d", "^(?:[a-z]+-\\d)$");
	assert_translates("a|b", "^(?:a|b)$");
	/* Rust products print JS literals and match unanchored */
	assert_translates("/^[a-f0-9]{64}$/", "^[0-9a-f]{64}$");
	assert_translates("/^(?P<node>[a-z]+):x$/", "^([a-z]+):x$");
	assert_translates("/^(?<a>x)\\/(?<b>y)$/", "^(x)/(y)$");
	assert_translates("\\A\\w+\\z", "^\\w+$");
	assert_translates("/^[[:^cntrl:]]*$/", "^[^\\x00-\\x1F\\x7F]*$");
	assert_translates("/^[^\\s:/[:cntrl:]]+$/", "^[^\\s\\x00-\\x1F/:\\x7F]+$");
	assert_translates("(?^i:ab[c-d])", "^(?:(?:[Aa][Bb][CDcd]))$");
	assert_translates("[\\w\\-_.]{1,3}", "^(?:[\\w\\-\\._]{1,3})$");
}

static void
test_pattern_without_safe_translation_is_refused(void **state)
{
	(void)state;
	assert_refused("(?^:^((?>[+-]?\\w+,?)+)$)"); /* atomic group */
	assert_refused("a++");                       /* possessive */
	assert_refused("/(?m)^x$/");                 /* inline flags */
	assert_refused("[A-Z\\s]{,16}");             /* {,n}: meaning depends on the Perl version */
	assert_refused("(a)\\1");                    /* backreference */
	assert_refused("[[:^cntrl:]a]");             /* negated POSIX class inside a class */
	assert_refused("(unbalanced");
	assert_refused("*x");
}

/* ---- schema mapping ---- */

static const char *const qemu_post =
    "[{\"path\":\"/nodes/{node}/qemu/{vmid}/config\",\"text\":\"config\",\"leaf\":1,"
    "\"methods\":{\"POST\":{\"method\":\"POST\",\"allowtoken\":1,\"protected\":1,"
    "\"proxyto\":\"node\",\"description\":\"Set "
    "options.\",\"permissions\":{\"check\":[\"perm\",\"/vms/{vmid}\",[\"VM.Config\"]]},"
    "\"parameters\":{\"additionalProperties\":0,\"properties\":{"
    "\"node\":{\"type\":\"string\",\"format\":\"pve-node\",\"description\":\"The node.\"},"
    "\"vmid\":{\"type\":\"integer\",\"minimum\":100,\"maximum\":999999999,\"format\":\"pve-vmid\"},"
    "\"acpi\":{\"type\":\"boolean\",\"optional\":\"1\",\"default\":1,\"typetext\":\"<boolean>\"},"
    "\"kvm\":{\"type\":\"boolean\",\"enum\":[0,1]},"
    "\"name\":{\"type\":\"string\",\"optional\":1,\"pattern\":\"(?^:^\\\\d+$)\"},"
    "\"args\":{\"type\":\"string\",\"optional\":1,\"pattern\":\"(?^:^((?>a)+)$)\"},"
    "\"blob\":{\"type\":\"any\",\"optional\":1,\"typetext\":\"<anything>\"},"
    "\"net[n]\":{\"type\":\"string\",\"optional\":1,\"format\":{\"model\":{\"type\":\"string\","
    "\"default_key\":1}}}"
    "}},\"returns\":{\"type\":\"null\"}}}}]";

static void
test_optional_string_one_is_not_required(void **state)
{
	cJSON *doc = build_ok(qemu_post);
	cJSON *req = get(doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest", NULL);

	(void)state;
	assert_non_null(req);
	assert_json(get(req, "required", NULL), "[\"kvm\"]");
	assert_false(array_has(get(req, "required", NULL), "acpi"));
	/* the indexed members are enumerated, no patternProperties remain: false stays */
	assert_json(get(req, "additionalProperties", NULL), "false");
	assert_null(get(req, "patternProperties", NULL));
	cJSON_Delete(doc);
}

static void
test_boolean_default_one_becomes_true(void **state)
{
	cJSON *doc = build_ok(qemu_post);
	cJSON *props = get(
	    doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest", "properties", NULL);

	(void)state;
	/* a request accepts what PVE::JSONSchema::check_type accepts */
	assert_json(get(props, "acpi", NULL),
	    "{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"integer\",\"enum\":[0,1]},"
	    "{\"type\":\"string\",\"enum\":[\"0\",\"1\"]}],\"default\":true,"
	    "\"x-proxmox-type\":\"boolean\","
	    "\"x-proxmox-typetext\":\"<boolean>\"}");
	/* the declared enum [0,1] stays, as booleans, in the boolean branch */
	assert_json(get(props, "kvm", "anyOf", NULL),
	    "[{\"type\":\"boolean\",\"enum\":[false,true]},"
	    "{\"type\":\"integer\",\"enum\":[0,1]},{\"type\":\"string\",\"enum\":[\"0\",\"1\"]}]");
	cJSON_Delete(doc);
}

static void
test_schema_pattern_is_translated_or_kept_aside(void **state)
{
	cJSON *doc = build_ok(qemu_post);
	cJSON *props = get(
	    doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest", "properties", NULL);

	(void)state;
	assert_string_equal(str(get(props, "name", "pattern", NULL)), "^\\d+$");
	assert_string_equal(str(get(props, "name", "x-proxmox-pattern", NULL)), "(?^:^\\d+$)");
	assert_null(get(props, "args", "pattern", NULL));
	assert_string_equal(str(get(props, "args", "x-proxmox-pattern", NULL)), "(?^:^((?>a)+)$)");
	cJSON_Delete(doc);
}

static void
test_type_any_has_no_type(void **state)
{
	cJSON *doc = build_ok(qemu_post);

	(void)state;
	assert_json(get(doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest",
	                "properties", "blob", NULL),
	    "{\"x-proxmox-type\":\"any\",\"x-proxmox-typetext\":\"<anything>\"}");
	cJSON_Delete(doc);
}

static void
test_indexed_param_is_enumerated_to_its_maximum(void **state)
{
	cJSON *doc = build_ok(qemu_post);
	cJSON *req = get(doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest", NULL);

	(void)state;
	assert_null(get(req, "properties", "net[n]", NULL));
	assert_null(get(req, "patternProperties", NULL));
	assert_json(get(req, "properties", "net0", NULL),
	    "{\"$ref\":\"#/components/schemas/PveQemuNetMember\"}");
	assert_json(get(req, "properties", "net31", NULL),
	    "{\"$ref\":\"#/components/schemas/PveQemuNetMember\"}");
	assert_null(get(req, "properties", "net32", NULL));
	assert_json(get(doc, "components", "schemas", "PveQemuNetMember", NULL),
	    "{\"type\":\"string\",\"x-proxmox-indexed\":\"net[n]\","
	    "\"x-proxmox-property-string\":{\"$ref\":\"#/components/schemas/PveQemuNet\"},"
	    "\"x-proxmox-index-max\":31}");
	assert_json(get(doc, "components", "schemas", "PveQemuNet", NULL),
	    "{\"type\":\"object\",\"required\":[\"model\"],"
	    "\"properties\":{\"model\":{\"type\":\"string\"}},"
	    "\"x-proxmox-default-key\":\"model\",\"x-proxmox-property-string-dialect\":\"perl\"}");
	cJSON_Delete(doc);
}

static void
test_path_params_keep_bounds_and_leave_the_body(void **state)
{
	cJSON *doc = build_ok(qemu_post);
	cJSON *op = get(doc, "paths", "/nodes/{node}/qemu/{vmid}/config", "post", NULL);
	cJSON *req = get(doc, "components", "schemas", "PostNodesNodeQemuVmidConfigRequest", NULL);

	(void)state;
	assert_non_null(op);
	assert_int_equal(cJSON_GetArraySize(get(op, "parameters", NULL)), 2);
	assert_json(cJSON_GetArrayItem(get(op, "parameters", NULL), 1),
	    "{\"name\":\"vmid\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":["
	    "\"integer\",\"string\"],"
	    "\"minimum\":100,\"maximum\":999999999,\"format\":\"pve-vmid\",\"pattern\":\"^[+-]?"
	    "\\\\d+$\","
	    "\"x-proxmox-type\":\"integer\"}}");
	assert_null(get(req, "properties", "vmid", NULL));
	assert_null(get(req, "properties", "node", NULL));
	assert_json(get(op, "requestBody", NULL),
	    "{\"required\":true,\"content\":{"
	    "\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"
	    "PostNodesNodeQemuVmidConfigRequest\"}},"
	    "\"application/x-www-form-urlencoded\":{\"schema\":{\"$ref\":\"#/components/schemas/"
	    "PostNodesNodeQemuVmidConfigRequest\"}}}}");
	assert_string_equal(str(get(op, "operationId", NULL)), "post_nodes_node_qemu_vmid_config");
	assert_json(get(op, "tags", NULL), "[\"nodes\"]");
	assert_string_equal(str(get(op, "summary", NULL)), "Set options");
	assert_true(cJSON_IsTrue(get(op, "x-proxmox-protected", NULL)));
	assert_string_equal(str(get(op, "x-proxmox-proxyto", NULL)), "node");
	assert_non_null(get(op, "x-proxmox-permissions", "check", NULL));
	cJSON_Delete(doc);
}

static void
test_null_returns_are_explicit_in_the_envelope(void **state)
{
	cJSON *doc = build_ok(qemu_post);

	(void)state;
	assert_json(get(doc, "components", "schemas", "PostNodesNodeQemuVmidConfigResponse", NULL),
	    "{\"type\":\"null\"}");
	assert_json(get(doc, "paths", "/nodes/{node}/qemu/{vmid}/config", "post", "responses",
	                "200", "content", "application/json", "schema", NULL),
	    "{\"type\":\"object\",\"required\":[\"data\"],\"properties\":{\"data\":"
	    "{\"$ref\":\"#/components/schemas/PostNodesNodeQemuVmidConfigResponse\"}}}");
	cJSON_Delete(doc);
}

static void
test_write_security_needs_csrf_token(void **state)
{
	cJSON *doc = build_ok(qemu_post);

	(void)state;
	assert_json(get(doc, "paths", "/nodes/{node}/qemu/{vmid}/config", "post", "security", NULL),
	    "[{\"PVEAuthCookie\":[],\"CSRFPreventionToken\":[]},{\"PVEAPIToken\":[]}]");
	assert_string_equal(
	    str(get(doc, "components", "securitySchemes", "PVEAPIToken", "name", NULL)),
	    "Authorization");
	assert_non_null(strstr(
	    str(get(doc, "components", "securitySchemes", "PVEAPIToken", "description", NULL)),
	    "PVEAPIToken=USER@REALM!TOKENID=SECRET"));
	assert_string_equal(
	    str(get(doc, "components", "securitySchemes", "PVEAuthCookie", "in", NULL)), "cookie");
	cJSON_Delete(doc);
}

static const char *const get_endpoints =
    "[{\"path\":\"/"
    "\",\"methods\":{\"GET\":{\"description\":\"Root.\",\"permissions\":{\"user\":\"all\"},"
    "\"returns\":{\"type\":\"array\",\"items\":{\"properties\":{\"subdir\":{\"type\":\"string\"}}}}"
    "}}},"
    "{\"path\":\"/access/"
    "ticket\",\"methods\":{\"GET\":{\"description\":\"Dummy.\",\"allowtoken\":0,"
    "\"permissions\":{\"user\":\"world\"},\"returns\":{\"type\":\"null\"}}}},"
    "{\"path\":\"/version\",\"methods\":{\"GET\":{\"description\":\"Version.\",\"allowtoken\":0,"
    "\"parameters\":{\"properties\":{\"full\":{\"type\":\"boolean\",\"optional\":0},"
    "\"x\":{\"type\":\"integer\",\"optional\":1,\"default\":\"5\"}}},"
    "\"returns\":{\"additionalProperties\":1,\"properties\":{\"release\":{\"type\":\"string\"}}}}}}"
    "]";

static void
test_world_permission_has_no_security(void **state)
{
	cJSON *doc = build_ok(get_endpoints);

	(void)state;
	assert_json(get(doc, "paths", "/access/ticket", "get", "security", NULL), "[]");
	/* "all" is any authenticated user; GET needs no CSRF token */
	assert_json(get(doc, "paths", "/", "get", "security", NULL),
	    "[{\"PVEAuthCookie\":[]},{\"PVEAPIToken\":[]}]");
	/* allowtoken 0: tickets only */
	assert_json(
	    get(doc, "paths", "/version", "get", "security", NULL), "[{\"PVEAuthCookie\":[]}]");
	cJSON_Delete(doc);
}

static void
test_get_params_go_to_the_query(void **state)
{
	cJSON *doc = build_ok(get_endpoints);
	cJSON *op = get(doc, "paths", "/version", "get", NULL);

	(void)state;
	assert_null(get(op, "requestBody", NULL));
	assert_null(get(doc, "components", "schemas", "GetVersionRequest", NULL));
	assert_json(get(op, "parameters", NULL),
	    "[{\"name\":\"full\",\"in\":\"query\",\"required\":true,\"schema\":{"
	    "\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"integer\",\"enum\":[0,1]},"
	    "{\"type\":\"string\",\"enum\":[\"0\",\"1\"]}],"
	    "\"x-proxmox-type\":\"boolean\"}},"
	    "{\"name\":\"x\",\"in\":\"query\",\"schema\":{\"type\":[\"integer\",\"string\"],"
	    "\"default\":5,"
	    "\"pattern\":\"^[+-]?\\\\d+$\",\"x-proxmox-type\":\"integer\"}}]");
	cJSON_Delete(doc);
}

static void
test_missing_type_is_inferred_from_properties_and_items(void **state)
{
	cJSON *doc = build_ok(get_endpoints);

	(void)state;
	/* responses: the wire forms; without a child link nothing is
	 * always sent, so the declared required list is only kept aside */
	assert_json(get(doc, "components", "schemas", "GetRootResponse", NULL),
	    "{\"type\":\"array\",\"items\":{\"type\":\"object\","
	    "\"x-proxmox-declared-required\":[\"subdir\"],"
	    "\"properties\":{\"subdir\":{\"type\":[\"string\",\"number\",\"null\"],"
	    "\"x-proxmox-type\":\"string\"}}}}");
	assert_json(get(doc, "components", "schemas", "GetVersionResponse", NULL),
	    "{\"type\":\"object\",\"additionalProperties\":true,"
	    "\"x-proxmox-declared-required\":[\"release\"],"
	    "\"properties\":{\"release\":{\"type\":[\"string\",\"number\",\"null\"],"
	    "\"x-proxmox-type\":\"string\"}}}");
	assert_json(get(doc, "paths", "/", "get", "tags", NULL), "[\"root\"]");
	cJSON_Delete(doc);
}

static void
test_document_header_per_product(void **state)
{
	pvecg_error err;
	int rc;
	cJSON *doc = build_doc("pbs", get_endpoints, &err, &rc);

	(void)state;
	assert_int_equal(rc, 0);
	assert_string_equal(str(get(doc, "openapi", NULL)), "3.1.0");
	assert_string_equal(str(get(doc, "info", "title", NULL)), "Proxmox Backup Server API");
	assert_string_equal(str(get(doc, "info", "version", NULL)), "9.1");
	assert_string_equal(
	    str(get(doc, "info", "license", "identifier", NULL)), "AGPL-3.0-or-later");
	assert_string_equal(str(get(cJSON_GetArrayItem(get(doc, "servers", NULL), 0), "url", NULL)),
	    "https://{host}:{port}/api2/json");
	assert_string_equal(str(get(cJSON_GetArrayItem(get(doc, "servers", NULL), 0), "variables",
	                        "port", "default", NULL)),
	    "8007");
	assert_non_null(get(doc, "components", "securitySchemes", "PBSAPIToken", NULL));
	assert_json(get(doc, "tags", NULL),
	    "[{\"name\":\"access\",\"description\":\"Proxmox Backup Server API: endpoints under "
	    "/access\"},"
	    "{\"name\":\"root\",\"description\":\"Proxmox Backup Server API: the API root (/)\"},"
	    "{\"name\":\"version\",\"description\":\"Proxmox Backup Server API: endpoints under "
	    "/version\"}]");
	/* PBS has no allowtoken key: tokens are accepted */
	assert_json(get(doc, "paths", "/", "get", "security", NULL),
	    "[{\"PBSAuthCookie\":[]},{\"PBSAPIToken\":[]}]");
	cJSON_Delete(doc);
}

/* ---- normalizer ---- */

static void
test_operation_id_collision_is_reported(void **state)
{
	pvecg_error err;
	int rc;
	cJSON *doc = build_doc("pve",
	    "[{\"path\":\"/a-b\",\"methods\":{\"GET\":{\"returns\":{}}}},"
	    "{\"path\":\"/a_b\",\"methods\":{\"GET\":{\"returns\":{}}}}]",
	    &err, &rc);

	(void)state;
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	assert_string_equal(
	    err.message, "operationId collision: GET /a-b and GET /a_b both become get_a_b");
}

static void
test_duplicate_path_keeps_last_and_is_reported(void **state)
{
	cJSON *doc = build_ok(
	    "[{\"path\":\"/x\",\"methods\":{\"GET\":{\"description\":\"first\"}}},"
	    "{\"path\":\"/x\",\"methods\":{\"GET\":{\"description\":\"second\"},\"PUT\":{}}}]");

	(void)state;
	assert_string_equal(str(get(doc, "paths", "/x", "get", "description", NULL)), "second");
	assert_non_null(get(doc, "paths", "/x", "put", NULL));
	assert_json(get(doc, "x-proxmox-duplicate-paths", NULL), "[\"/x\"]");
	assert_json(get(doc, "x-proxmox-counts", NULL), "{\"operations\":2,\"paths\":1}");
	/* absent returns: any value, said so */
	assert_non_null(
	    get(doc, "components", "schemas", "GetXResponse", "x-proxmox-returns", NULL));
	assert_null(get(doc, "components", "schemas", "GetXResponse", "type", NULL));
	cJSON_Delete(doc);
}

static void
test_bad_input_is_an_error_not_a_crash(void **state)
{
	pvecg_error err;
	int rc, i;
	cJSON *doc;
	char deep[8192];
	size_t n = 0;

	(void)state;
	doc = build_doc("pve", "{}", &err, &rc);
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	doc = build_doc("pve", "[{\"path\":\"/x\",\"methods\":{\"FETCH\":{}}}]", &err, &rc);
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	doc = build_doc("pve", "[{\"methods\":{\"GET\":{}}}]", &err, &rc);
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	doc = build_doc("nope", "[]", &err, &rc);
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	/* 100 nested items: refused with a message, no stack exhaustion */
	n += (size_t)snprintf(
	    deep + n, sizeof(deep) - n, "[{\"path\":\"/d\",\"methods\":{\"GET\":{\"returns\":");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"items\":");
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{}");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "}");
	snprintf(deep + n, sizeof(deep) - n, "}}}]");
	doc = build_doc("pve", deep, &err, &rc);
	assert_null(doc);
	assert_int_equal(rc, PVECG_EINPUT);
	assert_string_equal(err.where, "raw_capture.json: GET /d");
}

static void
test_same_capture_gives_same_bytes(void **state)
{
	cJSON *a = build_ok(qemu_post), *b = build_ok(qemu_post);
	char *x = canonical(a), *y = canonical(b);

	(void)state;
	assert_string_equal(x, y);
	free(x);
	free(y);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_perl_wrapper_is_unwrapped),
		cmocka_unit_test(test_pattern_without_safe_translation_is_refused),
		cmocka_unit_test(test_optional_string_one_is_not_required),
		cmocka_unit_test(test_boolean_default_one_becomes_true),
		cmocka_unit_test(test_schema_pattern_is_translated_or_kept_aside),
		cmocka_unit_test(test_type_any_has_no_type),
		cmocka_unit_test(test_indexed_param_is_enumerated_to_its_maximum),
		cmocka_unit_test(test_path_params_keep_bounds_and_leave_the_body),
		cmocka_unit_test(test_null_returns_are_explicit_in_the_envelope),
		cmocka_unit_test(test_write_security_needs_csrf_token),
		cmocka_unit_test(test_world_permission_has_no_security),
		cmocka_unit_test(test_get_params_go_to_the_query),
		cmocka_unit_test(test_missing_type_is_inferred_from_properties_and_items),
		cmocka_unit_test(test_document_header_per_product),
		cmocka_unit_test(test_operation_id_collision_is_reported),
		cmocka_unit_test(test_duplicate_path_keeps_last_and_is_reported),
		cmocka_unit_test(test_bad_input_is_an_error_not_a_crash),
		cmocka_unit_test(test_same_capture_gives_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
