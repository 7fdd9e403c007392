/* naming: operationIds, model names and route groups of real API paths
 * (the values model_index.json and openapi.json carry for them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/naming.h"

static void
assert_op_id(const char *method, const char *path, const char *want)
{
	char id[128];

	assert_int_equal(
	    pvecg_naming_operation_id(id, sizeof(id), method, path), (int)strlen(want));
	assert_string_equal(id, want);
}

static void
test_operation_id_of_real_paths(void **state)
{
	(void)state;
	assert_op_id("GET", "/nodes/{node}/qemu/{vmid}/config", "get_nodes_node_qemu_vmid_config");
	assert_op_id("GET", "/", "get_root");
	assert_op_id("POST", "/nodes/{node}/qemu/{vmid}/agent/fsfreeze-freeze",
	    "post_nodes_node_qemu_vmid_agent_fsfreeze_freeze");
	assert_op_id("DELETE", "/access/tfa/{userid}/{id}", "delete_access_tfa_userid_id");
	assert_op_id(
	    "GET", "/cluster/ha/status/manager_status", "get_cluster_ha_status_manager_status");
	assert_op_id("POST", "/backup/_upgrade_/fixed_chunk", "post_backup_upgrade_fixed_chunk");
	assert_op_id(
	    "GET", "/admin/datastore/{store}/snapshots", "get_admin_datastore_store_snapshots");
}

static void
test_operation_id_that_does_not_fit_is_refused(void **state)
{
	char id[9];

	(void)state;
	/* 9 bytes: 8 characters and the NUL */
	assert_int_equal(pvecg_naming_operation_id(id, 8, "GET", "/"), -1);
	assert_int_equal(pvecg_naming_operation_id(id, sizeof(id), "PUT", "/nodes"), -1);
	assert_int_equal(pvecg_naming_operation_id(id, sizeof(id), "GET", "/node"), 8);
	assert_string_equal(id, "get_node");
}

static void
assert_model(const char *name, const char *suffix, const char *want)
{
	char out[128];

	assert_int_equal(
	    pvecg_naming_model_name(out, sizeof(out), name, suffix), (int)strlen(want));
	assert_string_equal(out, want);
}

static void
test_model_name_is_pascal_case(void **state)
{
	char out[10];

	(void)state;
	assert_model("get_cluster_status", "Response", "GetClusterStatusResponse");
	assert_model(
	    "get_nodes_node_qemu_vmid_config", "Request", "GetNodesNodeQemuVmidConfigRequest");
	assert_model("post_nodes_node_qemu_vmid_agent_fsfreeze_freeze", "Response",
	    "PostNodesNodeQemuVmidAgentFsfreezeFreezeResponse");
	assert_model("get_root", "", "GetRoot");
	/* member names of nested structs: any non-alphanumeric run splits */
	assert_model("ha-state", NULL, "HaState");
	assert_model("__x.y__z9", "Item", "XYZ9Item");
	assert_int_equal(
	    pvecg_naming_model_name(out, sizeof(out), "get_cluster_status", "Response"), -1);
	assert_int_equal(pvecg_naming_model_name(out, sizeof(out), "get_root", "Response"), -1);
	assert_int_equal(pvecg_naming_model_name(out, sizeof(out), "get_root", "X"), 8);
	assert_string_equal(out, "GetRootX");
}

static void
assert_pascal(const char *s, size_t n, const char *want)
{
	pvecg_buf b = PVECG_BUF_INIT;

	assert_int_equal(pvecg_buf_puts(&b, "Pve"), 0);
	assert_int_equal(pvecg_naming_pascal_append(&b, s, n), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	pvecg_buf_free(&b);
}

/* Property-string component names: path segments and member names, read
 * up to a length, appended to a prefix. */
static void
test_pascal_append_takes_a_length(void **state)
{
	(void)state;
	assert_pascal("qemu/{vmid}", 4, "PveQemu");
	assert_pascal("net[n]", 3, "PveNet");
	assert_pascal("ha-state", 8, "PveHaState");
	assert_pascal("__x.y__z9", 9, "PveXYZ9");
	assert_pascal("acme-domain", 0, "Pve");
	assert_pascal("r\xc3\xa9seau", 7, "PveRSeau");
}

static void
assert_group(const char *path, const char *want)
{
	size_t len = 99;
	const char *g = pvecg_naming_route_group(path, &len);

	assert_int_equal(len, strlen(want));
	assert_memory_equal(g, want, len);
}

static void
test_route_group_is_first_segment(void **state)
{
	(void)state;
	assert_group("/nodes/{node}/qemu/{vmid}/config", "nodes");
	assert_group("/cluster/status", "cluster");
	assert_group("/access/tfa/{userid}/{id}", "access");
	assert_group("/version", "version");
	assert_group("/admin/datastore/{store}/snapshots", "admin");
	assert_group("/", "root");
	assert_group("//x", "root");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operation_id_of_real_paths),
		cmocka_unit_test(test_operation_id_that_does_not_fit_is_refused),
		cmocka_unit_test(test_model_name_is_pascal_case),
		cmocka_unit_test(test_pascal_append_takes_a_length),
		cmocka_unit_test(test_route_group_is_first_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
