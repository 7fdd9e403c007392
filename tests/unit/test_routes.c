/* Unit tests for the route-metadata builder, on a small hand-made OpenAPI
 * document shaped the way src/openapi.c writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/routes.h"
#include "pvecg/util.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* JSON written with ' for " so the fixture stays readable. */
static cJSON *
parse_q(const char *text)
{
	char *s = pvecg_strdup(text), *p;
	cJSON *j;

	assert_non_null(s);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = cJSON_Parse(s);
	free(s);
	assert_non_null(j);
	return j;
}

/* clang-format off */
#define RESP(name) "{'200':{'content':{'application/json':{'schema':" \
	"{'type':'object','properties':{'data':{'$ref':'#/components/schemas/" name "'}}," \
	"'required':['data']}}}}}"
#define PATHP(n) "{'in':'path','name':'" n "','required':true,'schema':{'type':'string'}}"

static const char *const doc_text =
"{'openapi':'3.1.0','info':{'title':'t','version':'9.1','x-proxmox-product':'pve'},"
"'paths':{"
" '/storage/{storage}':{'get':{'operationId':'get_storage_storage',"
"   'parameters':[" PATHP("storage") "],"
"   'responses':{'200':{'content':{'application/json':{'schema':{'type':'object',"
"   'properties':{'data':{'$ref':'#/components/schemas/GetStorageStorageResponse'}}}}}}}},"
"  'put':{'operationId':'put_storage_storage','parameters':[" PATHP("storage") "],"
"   'requestBody':{'content':{'application/json':{'schema':{'$ref':'#/components/schemas/PutStorageStorageRequest'}},"
"    'application/x-www-form-urlencoded':{'schema':{'$ref':'#/components/schemas/PutStorageStorageRequest'}}}},"
"   'responses':{'200':{'content':{'application/json':{'schema':{'type':'object',"
"   'properties':{'data':{'$ref':'#/components/schemas/PutStorageStorageResponse'}}}}}}}}},"
" '/storage':{'get':{'operationId':'get_storage',"
"   'parameters':[{'in':'query','name':'type','required':false,'schema':{'type':'string'}},"
"                 {'in':'query','name':'enabled','schema':{'type':'boolean'}}],"
"   'responses':{'200':{'content':{'application/json':{'schema':{'type':'object',"
"   'properties':{'data':{'$ref':'#/components/schemas/GetStorageResponse'}}}}}}}}},"
" '/':{'get':{'operationId':'get_root','responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetRootResponse'}}}}}}}}},"
" '/nodes':{'get':{'operationId':'get_nodes','responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetNodesResponse'}}}}}}}}},"
" '/nodes/{node}':{'get':{'operationId':'get_nodes_node','parameters':[" PATHP("node") "],"
"   'responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetNodesNodeResponse'}}}}}}}}},"
" '/nodes/{node}/qemu':{'get':{'operationId':'get_nodes_node_qemu','parameters':[" PATHP("node") "],"
"   'responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetNodesNodeQemuResponse'}}}}}}}}},"
" '/nodes/{node}/qemu/{vmid}':{'delete':{'operationId':'delete_nodes_node_qemu_vmid',"
"   'parameters':[" PATHP("node") ",{'in':'path','name':'vmid','required':true,'schema':{'type':'integer','minimum':100}}],"
"   'responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/DeleteNodesNodeQemuVmidResponse'}}}}}}}}},"
" '/cluster/firewall/groups/{group}':{'get':{'operationId':'get_cluster_firewall_groups_group',"
"   'parameters':[" PATHP("group") "],'responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetClusterFirewallGroupsGroupResponse'}}}}}}}}},"
" '/cluster/firewall/groups/{group}/{pos}':{'get':{'operationId':'get_cluster_firewall_groups_group_pos',"
"   'parameters':[" PATHP("group") "," PATHP("pos") "],'responses':{'200':{'content':{'application/json':{'schema':"
"   {'type':'object','properties':{'data':{'$ref':'#/components/schemas/GetClusterFirewallGroupsGroupPosResponse'}}}}}}}}}"
"},"
"'components':{'schemas':{"
" 'GetRootResponse':{'type':'array','items':{'type':'object'}},"
" 'GetNodesResponse':{'type':'array','items':{'type':'object','properties':{'node':{'type':'string'}}}},"
" 'GetNodesNodeResponse':{'type':'array','items':{'type':'object'}},"
" 'GetNodesNodeQemuResponse':{'type':'array','items':{'$ref':'#/components/schemas/VmItem'}},"
" 'VmItem':{'type':'object','properties':{'vmid':{'type':'integer'}}},"
" 'DeleteNodesNodeQemuVmidResponse':{'type':'string'},"
" 'GetStorageResponse':{'type':'array','items':{'type':'object'}},"
" 'GetStorageStorageResponse':{'type':'object'},"
" 'PutStorageStorageResponse':{'type':'null'},"
" 'PutStorageStorageRequest':{'type':'object','required':['digest'],"
"   'properties':{'digest':{'type':'string'},'comment':{'type':'string'}},"
"   'patternProperties':{'^net\\\\d+$':{'type':'string'}}},"
" 'GetClusterFirewallGroupsGroupResponse':{'type':'array','items':{'type':'object','properties':{'pos':{'type':'integer'}}}},"
" 'GetClusterFirewallGroupsGroupPosResponse':{'type':'object'},"
" 'Unused':{'type':'object'}"
"}}}";
/* clang-format on */

struct fx {
	cJSON *openapi;
	cJSON *meta;
};

/* route_metadata.json of openapi, parsed back; NULL (and the error code
 * returned) when it was refused. */
static int
build(cJSON **meta, const cJSON *openapi, pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	int rc = pvecg_routes_write(&b, openapi, SHA, "9.1", err);

	*meta = rc == 0 ? pvecg_json_parse(b.data, b.len, NULL) : NULL;
	if (rc == 0)
		assert_non_null(*meta);
	pvecg_buf_free(&b);
	return rc;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	pvecg_error err;

	assert_non_null(f);
	f->openapi = parse_q(doc_text);
	pvecg_error_clear(&err);
	assert_int_equal(build(&f->meta, f->openapi, &err), 0);
	assert_non_null(f->meta);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	cJSON_Delete(f->openapi);
	cJSON_Delete(f->meta);
	free(f);
	return 0;
}

static const cJSON *
route(const cJSON *meta, const char *path, const char *method)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(meta, "routes"))
		if (strcmp(pvecg_json_str(r, "path"), path) == 0 &&
		    strcmp(pvecg_json_str(r, "method"), method) == 0)
			return r;
	fail_msg("no route %s %s", method, path);
	return NULL;
}

static const char *
child_template(const cJSON *r)
{
	return pvecg_json_str(cJSON_GetObjectItem(r, "child"), "template");
}

static const char *
parent_template(const cJSON *r)
{
	return pvecg_json_str(cJSON_GetObjectItem(r, "parent"), "template");
}

static double
num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void
test_routes_header_counts_and_pins(void **state)
{
	struct fx *f = *state;
	const cJSON *cpm = cJSON_GetObjectItem(f->meta, "counts_per_method");

	assert_int_equal((int)num(f->meta, "schema_version"), 1);
	assert_string_equal(pvecg_json_str(f->meta, "version_tag"), "9.1");
	assert_string_equal(pvecg_json_str(f->meta, "openapi_sha256"), SHA);
	assert_string_equal(pvecg_json_str(f->meta, "product"), "pve");
	assert_int_equal((int)num(f->meta, "path_count"), 9);
	assert_int_equal((int)num(f->meta, "route_count"), 10);
	assert_int_equal((int)num(cpm, "GET"), 8);
	assert_int_equal((int)num(cpm, "PUT"), 1);
	assert_int_equal((int)num(cpm, "DELETE"), 1);
	assert_int_equal((int)num(cpm, "POST"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->meta, "routes")), 10);
}

static void
test_routes_sorted_by_path_then_method(void **state)
{
	struct fx *f = *state;
	const cJSON *routes = cJSON_GetObjectItem(f->meta, "routes");
	const cJSON *a = cJSON_GetArrayItem(routes, 0), *b;

	assert_string_equal(pvecg_json_str(a, "path"), "/");
	for (b = a->next; b != NULL; a = b, b = b->next) {
		int c = strcmp(pvecg_json_str(a, "path"), pvecg_json_str(b, "path"));

		assert_true(c < 0 ||
		    (c == 0 &&
		        strcmp(pvecg_json_str(a, "method"), pvecg_json_str(b, "method")) < 0));
	}
	a = route(f->meta, "/storage/{storage}", "GET");
	b = a->next;
	assert_string_equal(pvecg_json_str(b, "method"), "PUT");
}

static void
test_routes_topology_collection_and_item(void **state)
{
	struct fx *f = *state;
	const cJSON *r;

	r = route(f->meta, "/nodes", "GET");
	assert_string_equal(child_template(r), "/nodes/{node}");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(r, "child"), "parameter"), "node");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "parent")));
	r = route(f->meta, "/nodes/{node}", "GET");
	assert_string_equal(parent_template(r), "/nodes");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(r, "parent"), "parameter"), "node");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "child")));
	r = route(f->meta, "/nodes/{node}/qemu", "GET");
	assert_string_equal(child_template(r), "/nodes/{node}/qemu/{vmid}");
	assert_null(parent_template(r));
	r = route(f->meta, "/nodes/{node}/qemu/{vmid}", "DELETE");
	assert_string_equal(parent_template(r), "/nodes/{node}/qemu");
	r = route(f->meta, "/storage", "GET");
	assert_string_equal(child_template(r), "/storage/{storage}");
	r = route(f->meta, "/storage/{storage}", "PUT");
	assert_string_equal(parent_template(r), "/storage");
	r = route(f->meta, "/cluster/firewall/groups/{group}", "GET");
	assert_string_equal(child_template(r), "/cluster/firewall/groups/{group}/{pos}");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(r, "child"), "parameter"), "pos");
	/* its parent /cluster/firewall/groups is not in this document */
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "parent")));
	r = route(f->meta, "/cluster/firewall/groups/{group}/{pos}", "GET");
	assert_string_equal(parent_template(r), "/cluster/firewall/groups/{group}");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(r, "parent"), "parameter"), "pos");
}

static void
test_routes_parent_item_schema_is_name_or_pointer(void **state)
{
	struct fx *f = *state;
	const cJSON *p;

	p = cJSON_GetObjectItem(route(f->meta, "/nodes/{node}", "GET"), "parent");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(p, "item_schema"), "$ref"),
	    "#/schemas/GetNodesResponse/items");
	p = cJSON_GetObjectItem(route(f->meta, "/nodes/{node}/qemu/{vmid}", "DELETE"), "parent");
	assert_string_equal(cJSON_GetObjectItem(p, "item_schema")->valuestring, "VmItem");
	p = cJSON_GetObjectItem(
	    route(f->meta, "/cluster/firewall/groups/{group}/{pos}", "GET"), "parent");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(p, "item_schema"), "$ref"),
	    "#/schemas/GetClusterFirewallGroupsGroupResponse/items");
}

static void
test_routes_get_kind_of_same_path(void **state)
{
	struct fx *f = *state;

	assert_string_equal(pvecg_json_str(route(f->meta, "/nodes", "GET"), "get_kind"), "array");
	assert_string_equal(
	    pvecg_json_str(route(f->meta, "/storage/{storage}", "PUT"), "get_kind"), "object");
	/* no GET on the path */
	assert_string_equal(
	    pvecg_json_str(route(f->meta, "/nodes/{node}/qemu/{vmid}", "DELETE"), "get_kind"),
	    "none");
}

static void
test_routes_mounted_path_and_names(void **state)
{
	struct fx *f = *state;
	const cJSON *r = route(f->meta, "/storage/{storage}", "PUT");

	assert_string_equal(pvecg_json_str(r, "mounted_path"), "/api2/json/storage/{storage}");
	assert_string_equal(pvecg_json_str(r, "operation_id"), "put_storage_storage");
	assert_string_equal(pvecg_json_str(r, "request_schema"), "PutStorageStorageRequest");
	assert_string_equal(pvecg_json_str(r, "response_schema"), "PutStorageStorageResponse");
	assert_true(
	    cJSON_IsNull(cJSON_GetObjectItem(route(f->meta, "/nodes", "GET"), "request_schema")));
	assert_string_equal(
	    pvecg_json_str(route(f->meta, "/", "GET"), "mounted_path"), "/api2/json/");
}

static void
test_routes_parameters_by_location(void **state)
{
	struct fx *f = *state;
	const cJSON *params = cJSON_GetObjectItem(
	    route(f->meta, "/storage/{storage}", "PUT"), "parameters");
	const cJSON *body = cJSON_GetObjectItem(params, "body");
	const cJSON *path = cJSON_GetObjectItem(params, "path");
	const cJSON *q, *b;

	assert_int_equal(cJSON_GetArraySize(path), 1);
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(path, 0), "name"), "storage");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(path, 0), "required")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(params, "query")), 0);
	/* body sorted by name; schemas point into the stored request schema */
	assert_int_equal(cJSON_GetArraySize(body), 3);
	b = cJSON_GetArrayItem(body, 0);
	assert_string_equal(pvecg_json_str(b, "name"), "comment");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(b, "required")));
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(b, "schema"), "$ref"),
	    "#/schemas/PutStorageStorageRequest/properties/comment");
	b = cJSON_GetArrayItem(body, 1);
	assert_string_equal(pvecg_json_str(b, "name"), "digest");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "required")));
	b = cJSON_GetArrayItem(body, 2);
	assert_string_equal(pvecg_json_str(b, "name"), "net[n]");
	assert_string_equal(pvecg_json_str(b, "name_pattern"), "^net\\d+$");
	assert_string_equal(pvecg_json_str(cJSON_GetObjectItem(b, "schema"), "$ref"),
	    "#/schemas/PutStorageStorageRequest/patternProperties/%5Enet%5Cd+$");
	params = cJSON_GetObjectItem(route(f->meta, "/storage", "GET"), "parameters");
	q = cJSON_GetObjectItem(params, "query");
	assert_int_equal(cJSON_GetArraySize(q), 2);
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(q, 0), "name"), "enabled");
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(q, 1), "name"), "type");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(q, 1), "required")));
	path = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(
	        route(f->meta, "/nodes/{node}/qemu/{vmid}", "DELETE"), "parameters"),
	    "path");
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(path, 1), "name"), "vmid");
	assert_int_equal(
	    (int)num(cJSON_GetObjectItem(cJSON_GetArrayItem(path, 1), "schema"), "minimum"), 100);
}

static void
test_routes_schemas_stored_once_with_refs_rewritten(void **state)
{
	struct fx *f = *state;
	const cJSON *s = cJSON_GetObjectItem(f->meta, "schemas");
	const cJSON *items;

	/* 11 named by the 10 routes + VmItem reached by $ref; Unused left out */
	assert_int_equal(cJSON_GetArraySize(s), 12);
	assert_non_null(cJSON_GetObjectItem(s, "VmItem"));
	assert_non_null(cJSON_GetObjectItem(s, "PutStorageStorageRequest"));
	assert_null(cJSON_GetObjectItem(s, "Unused"));
	items = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "GetNodesNodeQemuResponse"), "items");
	assert_string_equal(pvecg_json_str(items, "$ref"), "#/schemas/VmItem");
	/* the output borrowed openapi's schemas: they are left as they were */
	s = cJSON_GetObjectItem(cJSON_GetObjectItem(f->openapi, "components"), "schemas");
	items = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "GetNodesNodeQemuResponse"), "items");
	assert_string_equal(pvecg_json_str(items, "$ref"), "#/components/schemas/VmItem");
}

static void
test_routes_output_is_deterministic(void **state)
{
	struct fx *f = *state;
	pvecg_buf a = PVECG_BUF_INIT, b = PVECG_BUF_INIT;
	pvecg_error err;

	assert_int_equal(pvecg_routes_write(&a, f->openapi, SHA, "9.1", &err), 0);
	assert_int_equal(pvecg_routes_write(&b, f->openapi, SHA, "9.1", &err), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	pvecg_buf_free(&a);
	pvecg_buf_free(&b);
}

static void
test_routes_rejects_dangling_schema_ref(void **state)
{
	cJSON *doc = parse_q("{'paths':{'/x':{'get':{'operationId':'get_x',"
	                     "'responses':" RESP("Missing") "}}},'components':{'schemas':{}}}");
	cJSON *out = (cJSON *)1;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(build(&out, doc, &err), PVECG_EINPUT);
	assert_null(out);
	assert_non_null(strstr(err.message, "components.schemas.Missing"));
	cJSON_Delete(doc);
}

static void
test_routes_rejects_missing_operation_id(void **state)
{
	cJSON *doc = parse_q("{'paths':{'/x':{'post':{'responses':{}}}}}");
	cJSON *out = NULL;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(build(&out, doc, &err), PVECG_EINPUT);
	assert_null(out);
	assert_non_null(strstr(err.message, "no operationId"));
	cJSON_Delete(doc);
}

static void
test_routes_rejects_document_without_paths(void **state)
{
	cJSON *doc = parse_q("{'openapi':'3.1.0'}");
	cJSON *out = NULL;
	pvecg_error err;

	(void)state;
	assert_int_equal(build(&out, doc, &err), PVECG_EINPUT);
	assert_null(out);
	cJSON_Delete(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_routes_header_counts_and_pins, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_sorted_by_path_then_method, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_topology_collection_and_item, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_parent_item_schema_is_name_or_pointer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes_get_kind_of_same_path, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_mounted_path_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_parameters_by_location, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_schemas_stored_once_with_refs_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_output_is_deterministic, setup, teardown),
		cmocka_unit_test(test_routes_rejects_dangling_schema_ref),
		cmocka_unit_test(test_routes_rejects_missing_operation_id),
		cmocka_unit_test(test_routes_rejects_document_without_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
