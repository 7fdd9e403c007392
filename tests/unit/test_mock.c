/* Unit tests of the mock through its header: requests handed to
 * pvecg_mock_handle() against a 20-route subset of the PVE 9.1 metadata
 * (tests/fixtures/mock/route_metadata.json), no HTTP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvecg/json.h"
#include "pvecg/mock.h"

static char fixture_dir[4096];

static void
find_fixture(void)
{
	const char *src = getenv("PVECG_SOURCE_DIR");

	snprintf(fixture_dir, sizeof(fixture_dir), "%s/tests/fixtures/mock", src ? src : ".");
}

static pvecg_mock *
open_mock(bool no_auth, const char *state)
{
	pvecg_mock *m = NULL;
	pvecg_error err;

	pvecg_error_clear(&err);
	if (pvecg_mock_open(&m, fixture_dir, NULL, state, no_auth, &err) != 0)
		fail_msg("open: %s: %s", err.where, err.message);
	return m;
}

/* One request; body and query are JSON text (or NULL). */
static unsigned
call(pvecg_mock_response *res, pvecg_mock *m, const char *method, const char *path,
    const char *query, const char *body, const char *ticket, const char *csrf, const char *auth)
{
	pvecg_mock_request rq;
	cJSON *q = query ? cJSON_Parse(query) : NULL, *b = body ? cJSON_Parse(body) : NULL;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = path;
	rq.query = q;
	rq.body = b;
	rq.ticket = ticket;
	rq.csrf = csrf;
	rq.authorization = auth;
	assert_int_equal(pvecg_mock_handle(res, m, &rq), 0);
	cJSON_Delete(q);
	cJSON_Delete(b);
	return res->status;
}

static const char *
str_at(const pvecg_mock_response *res, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(res->body, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_mock_booleans_as_proxmox_spells_them(void **state)
{
	static const char *const yes[] = { "1", "yes", "on", "true", "True", "TRUE", "On", "YES" };
	static const char *const no[] = { "0", "no", "off", "false", "False", "OFF" };
	static const char *const bad[] = { "", "2", "maybe", "tru", "y", "-1" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_int_equal(pvecg_mock_parse_bool(yes[i]), 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(pvecg_mock_parse_bool(no[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pvecg_mock_parse_bool(bad[i]), -1);
}

static void
test_mock_bad_parameters_get_400_naming_each(void **state)
{
	pvecg_mock *m = open_mock(true, NULL);
	pvecg_mock_response res;

	(void)state;
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL,
	        "{\"vmid\":\"abc\",\"onboot\":\"maybe\",\"bogus\":\"1\",\"ostype\":\"beos\","
	        "\"net0\":\"virtio,colour=red\"}",
	        NULL, NULL, NULL),
	    400);
	assert_string_equal(
	    str_at(&res, "errors", "vmid"), "type check ('integer') failed - got 'abc'");
	assert_string_equal(
	    str_at(&res, "errors", "onboot"), "type check ('boolean') failed - got 'maybe'");
	assert_string_equal(str_at(&res, "errors", "bogus"),
	    "property is not defined in schema and the schema does not allow additional "
	    "properties");
	assert_non_null(
	    strstr(str_at(&res, "errors", "ostype"), "does not have a value in the enumeration"));
	assert_non_null(
	    strstr(str_at(&res, "errors", "net0"), "colour: property is not defined in schema"));
	assert_null(cJSON_GetObjectItemCaseSensitive(res.body, "data")->valuestring);
	pvecg_mock_response_free(&res);
	/* Perl patterns, translated: \d, (?:...), {n}, alternatives */
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL,
	        "{\"vmid\":\"300\",\"bootdisk\":\"floppy0\",\"startdate\":\"2026-1-2T3:4:5x\","
	        "\"vmgenid\":\"0123456-0000-0000-0000-000000000000\"}",
	        NULL, NULL, NULL),
	    400);
	assert_string_equal(
	    str_at(&res, "errors", "bootdisk"), "value does not match the regex pattern");
	assert_string_equal(
	    str_at(&res, "errors", "startdate"), "value does not match the regex pattern");
	assert_string_equal(
	    str_at(&res, "errors", "vmgenid"), "value does not match the regex pattern");
	assert_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(res.body, "errors"), "vmid"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL,
	        "{\"vmid\":\"300\",\"bootdisk\":\"virtio12\",\"startdate\":\"2026-1-2T3:4:5\","
	        "\"vmgenid\":\"01234567-89ab-CDEF-0000-000000000000\"}",
	        NULL, NULL, NULL),
	    200);
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL, "{}", NULL, NULL, NULL), 400);
	assert_string_equal(
	    str_at(&res, "errors", "vmid"), "property is missing and it is not optional");
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "GET", "/nodes/pve/qemu/99/config", NULL, NULL, NULL, NULL, NULL), 400);
	assert_string_equal(
	    str_at(&res, "errors", "vmid"), "value must have a minimum value of 100");
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "GET", "/nodes/pve/nothing", NULL, NULL, NULL, NULL, NULL), 501);
	assert_string_equal(
	    str_at(&res, "message", NULL), "Method 'GET /nodes/pve/nothing' not implemented");
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
}

static void
test_mock_crud_from_topology(void **state)
{
	pvecg_mock *m = open_mock(true, NULL);
	pvecg_mock_response res;
	const cJSON *list;

	(void)state;
	assert_int_equal(
	    call(&res, m, "GET", "/cluster/nextid", NULL, NULL, NULL, NULL, NULL), 200);
	assert_int_equal((int)cJSON_GetObjectItemCaseSensitive(res.body, "data")->valuedouble,
	    101); /* the subset has no containers: 101 is free */
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL,
	        "{\"vmid\":\"101\",\"name\":\"unit\",\"memory\":\"1024\",\"onboot\":\"Yes\"}", NULL,
	        NULL, NULL),
	    200);
	assert_non_null(strstr(str_at(&res, "data", NULL), ":qmcreate:101:root@pam:"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "GET", "/nodes/pve/qemu", NULL, NULL, NULL, NULL, NULL), 200);
	list = cJSON_GetObjectItemCaseSensitive(res.body, "data");
	assert_int_equal(cJSON_GetArraySize(list), 2);
	assert_string_equal(pvecg_json_str(cJSON_GetArrayItem(list, 1), "name"), "unit");
	assert_int_equal(
	    (long)cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, 1), "maxmem")
	        ->valuedouble,
	    1024L * 1048576L);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "PUT", "/nodes/pve/qemu/101/config", NULL,
	                     "{\"memory\":\"2048\",\"delete\":\"onboot\"}", NULL, NULL, NULL),
	    200);
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "GET", "/nodes/pve/qemu/101/config", NULL, NULL, NULL, NULL, NULL), 200);
	assert_string_equal(str_at(&res, "data", "memory"), "2048");
	assert_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(res.body, "data"), "onboot"));
	assert_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(res.body, "data"), "status"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu", NULL, "{\"vmid\":100}", NULL, NULL, NULL),
	    500);
	assert_non_null(strstr(str_at(&res, "message", NULL), "VM 100 already exists"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "DELETE", "/nodes/pve/qemu/101", NULL, NULL, NULL, NULL, NULL), 200);
	assert_non_null(strstr(str_at(&res, "data", NULL), ":qmdestroy:101:"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "GET", "/nodes/pve/qemu/101/config", NULL, NULL, NULL, NULL, NULL), 500);
	assert_string_equal(str_at(&res, "message", NULL),
	    "Configuration file 'nodes/pve/qemu-server/101.conf' does not exist");
	pvecg_mock_response_free(&res);
	/* pools: no handler of their own */
	assert_int_equal(call(&res, m, "POST", "/pools", NULL,
	                     "{\"poolid\":\"ci\",\"comment\":\"c\"}", NULL, NULL, NULL),
	    200);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", "/pools/ci", NULL, NULL, NULL, NULL, NULL), 200);
	assert_string_equal(str_at(&res, "data", "comment"), "c");
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "DELETE", "/pools/ci", NULL, NULL, NULL, NULL, NULL), 200);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", "/pools/ci", NULL, NULL, NULL, NULL, NULL), 500);
	assert_string_equal(str_at(&res, "message", NULL), "pool 'ci' does not exist");
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
}

static void
test_mock_task_runs_then_stops_ok(void **state)
{
	pvecg_mock *m = open_mock(true, NULL);
	pvecg_mock_response res;
	char upid[256], path[512];

	(void)state;
	assert_int_equal(
	    call(&res, m, "POST", "/nodes/pve/qemu/100/status/start", NULL, NULL, NULL, NULL, NULL),
	    200);
	snprintf(upid, sizeof(upid), "%s", str_at(&res, "data", NULL));
	assert_int_equal(strncmp(upid, "UPID:pve:", 9), 0);
	assert_non_null(strstr(upid, ":qmstart:100:root@pam:"));
	pvecg_mock_response_free(&res);
	snprintf(path, sizeof(path), "/nodes/pve/tasks/%s/status", upid);
	assert_int_equal(call(&res, m, "GET", path, NULL, NULL, NULL, NULL, NULL), 200);
	assert_string_equal(str_at(&res, "data", "status"), "running");
	assert_null(str_at(&res, "data", "exitstatus"));
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", path, NULL, NULL, NULL, NULL, NULL), 200);
	assert_string_equal(str_at(&res, "data", "status"), "stopped");
	assert_string_equal(str_at(&res, "data", "exitstatus"), "OK");
	assert_string_equal(str_at(&res, "data", "upid"), upid);
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
}

static void
test_mock_ticket_csrf_and_token(void **state)
{
	pvecg_mock *m = open_mock(false, NULL);
	pvecg_mock_response res;
	char ticket[512], csrf[128];
	const char *token = "PVEAPIToken=root@pam!mock=00000000-0000-4000-8000-000000000000";

	(void)state;
	assert_int_equal(call(&res, m, "GET", "/nodes", NULL, NULL, NULL, NULL, NULL), 401);
	assert_string_equal(str_at(&res, "message", NULL), "No ticket");
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/access/ticket", NULL,
	        "{\"username\":\"root@pam\",\"password\":\"wrong\"}", NULL, NULL, NULL),
	    401);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "POST", "/access/ticket", NULL,
	                     "{\"username\":\"root\",\"realm\":\"pam\",\"password\":\"proxmox\"}",
	                     NULL, NULL, NULL),
	    200);
	assert_string_equal(str_at(&res, "data", "username"), "root@pam");
	snprintf(ticket, sizeof(ticket), "%s", str_at(&res, "data", "ticket"));
	snprintf(csrf, sizeof(csrf), "%s", str_at(&res, "data", "CSRFPreventionToken"));
	assert_int_equal(strncmp(ticket, "PVE:root@pam:", 13), 0);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", "/nodes", NULL, NULL, ticket, NULL, NULL), 200);
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/pools", NULL, "{\"poolid\":\"a\"}", ticket, NULL, NULL), 401);
	assert_string_equal(
	    str_at(&res, "message", NULL), "Permission check failed (invalid csrf token)");
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/pools", NULL, "{\"poolid\":\"a\"}", ticket, csrf, NULL), 200);
	pvecg_mock_response_free(&res);
	ticket[strlen(ticket) - 1] = ticket[strlen(ticket) - 1] == '0' ? '1' : '0';
	assert_int_equal(call(&res, m, "GET", "/nodes", NULL, NULL, ticket, NULL, NULL), 401);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "DELETE", "/pools/a", NULL, NULL, NULL, NULL, token), 200);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", "/nodes", NULL, NULL, NULL, NULL,
	                     "PVEAPIToken=root@pam!mock=00000000-0000-4000-8000-000000000001"),
	    401);
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
}

static void
test_mock_state_file_survives_reopen(void **state)
{
	char dir[] = "/tmp/pvecg-mock-unit.XXXXXX", file[256], tmp[300];
	pvecg_mock *m;
	pvecg_mock_response res;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/state.json", dir);
	m = open_mock(true, file);
	assert_int_equal(
	    call(&res, m, "POST", "/pools", NULL, "{\"poolid\":\"kept\"}", NULL, NULL, NULL), 200);
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
	m = open_mock(true, file);
	assert_int_equal(call(&res, m, "GET", "/pools/kept", NULL, NULL, NULL, NULL, NULL), 200);
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	assert_int_not_equal(access(tmp, F_OK), 0);
	unlink(file);
	rmdir(dir);
}

static void
test_mock_rejects_bad_seed(void **state)
{
	char dir[] = "/tmp/pvecg-mock-seed.XXXXXX", file[256];
	pvecg_mock *m = NULL;
	pvecg_error err;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/seed.json", dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("{\"objects\":{\"/nodes/pve/qemu\":{}}}", fp);
	fclose(fp);
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_mock_open(&m, fixture_dir, file, NULL, false, &err), PVECG_EINPUT);
	assert_null(m);
	assert_string_equal(err.where, file);
	assert_non_null(strstr(err.message, "'/nodes/pve/qemu' is not an item path"));
	unlink(file);
	rmdir(dir);
}

/* Wider schemas (the wire dialect: type arrays, x-proxmox-type, boolean
 * enums; property strings as x-proxmox-property-string objects) are read
 * by their declared type. */
static const char wide_metadata[] =
    "{\"schema_version\":1,\"version_tag\":\"t\",\"product\":\"pve\",\"schemas\":{"
    "\"Item\":{\"type\":\"object\",\"properties\":{"
    "  "
    "\"id\":{\"type\":[\"integer\",\"string\"],\"pattern\":\"^[+-]?\\\\d+$\",\"x-proxmox-type\":"
    "\"integer\"},"
    "  "
    "\"flag\":{\"type\":[\"boolean\",\"integer\",\"string\"],\"enum\":[false,0,\"0\",true,1,\"1\"],"
    "\"x-proxmox-type\":\"boolean\"},"
    "  \"size\":{\"type\":[\"integer\",\"string\"],\"x-proxmox-type\":\"integer\"},"
    "  \"net\":{\"type\":\"string\"}},\"required\":[\"id\",\"size\"]},"
    "\"List\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/schemas/Item\"}},"
    "\"Net\":{\"type\":\"object\",\"required\":[\"model\"],\"x-proxmox-default-key\":\"model\","
    "  \"x-proxmox-alias\":{\"virtio\":\"macaddr\"},\"x-proxmox-key-alias\":{\"virtio\":\"model\"},"
    "  \"properties\":{\"model\":{\"type\":\"string\",\"enum\":[\"virtio\",\"e1000\"]},"
    "  "
    "\"macaddr\":{\"type\":\"string\"},\"mtu\":{\"type\":[\"integer\",\"string\"],\"x-proxmox-"
    "type\":\"integer\",\"maximum\":9000}}},"
    "\"Req\":{\"type\":\"object\",\"properties\":{"
    "  \"id\":{\"type\":[\"integer\",\"string\"],\"x-proxmox-type\":\"integer\",\"minimum\":1},"
    "  "
    "\"flag\":{\"type\":[\"boolean\",\"integer\",\"string\"],\"enum\":[false,0,\"0\",true,1,\"1\"],"
    "\"x-proxmox-type\":\"boolean\"},"
    "  \"net\":{\"type\":\"string\",\"x-proxmox-property-string\":{\"$ref\":\"#/schemas/Net\"}}}}},"
    "\"routes\":["
    "{\"path\":\"/"
    "things\",\"method\":\"GET\",\"parameters\":{\"path\":[],\"query\":[],\"body\":[]},"
    "  "
    "\"response_schema\":\"List\",\"get_kind\":\"array\",\"child\":{\"template\":\"/things/"
    "{id}\",\"parameter\":\"id\"},\"parent\":null},"
    "{\"path\":\"/things\",\"method\":\"POST\",\"parameters\":{\"path\":[],\"query\":[],\"body\":["
    "  {\"name\":\"id\",\"required\":true,\"schema\":{\"$ref\":\"#/schemas/Req/properties/id\"}},"
    "  "
    "{\"name\":\"flag\",\"required\":false,\"schema\":{\"$ref\":\"#/schemas/Req/properties/"
    "flag\"}},"
    "  "
    "{\"name\":\"net\",\"required\":false,\"schema\":{\"$ref\":\"#/schemas/Req/properties/"
    "net\"}}]},"
    "  "
    "\"response_schema\":null,\"get_kind\":\"array\",\"child\":{\"template\":\"/things/"
    "{id}\",\"parameter\":\"id\"},\"parent\":null},"
    "{\"path\":\"/things/{id}\",\"method\":\"GET\",\"parameters\":{\"path\":["
    "  "
    "{\"name\":\"id\",\"required\":true,\"schema\":{\"$ref\":\"#/schemas/Req/properties/"
    "id\"}}],\"query\":[],\"body\":[]},"
    "  \"response_schema\":\"Item\",\"get_kind\":\"object\",\"child\":null,"
    "  "
    "\"parent\":{\"template\":\"/things\",\"parameter\":\"id\",\"item_schema\":{\"$ref\":\"#/"
    "schemas/List/items\"}}}]}";

static void
test_mock_reads_wider_schemas_by_declared_type(void **state)
{
	char dir[] = "/tmp/pvecg-mock-wide.XXXXXX", file[256];
	pvecg_mock *m = NULL;
	pvecg_mock_response res;
	pvecg_error err;
	const cJSON *d;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/route_metadata.json", dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fputs(wide_metadata, fp);
	fclose(fp);
	pvecg_error_clear(&err);
	if (pvecg_mock_open(&m, dir, NULL, NULL, true, &err) != 0)
		fail_msg("open: %s: %s", err.where, err.message);
	assert_int_equal(call(&res, m, "POST", "/things", NULL,
	                     "{\"id\":\"0\",\"flag\":\"perhaps\",\"net\":\"e1000,mtu=90000\"}",
	                     NULL, NULL, NULL),
	    400);
	assert_string_equal(str_at(&res, "errors", "id"), "value must have a minimum value of 1");
	assert_string_equal(
	    str_at(&res, "errors", "flag"), "type check ('boolean') failed - got 'perhaps'");
	assert_non_null(
	    strstr(str_at(&res, "errors", "net"), "mtu: value must have a maximum value of 9000"));
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "POST", "/things", NULL,
	                     "{\"id\":\"7\",\"net\":\"bridge=vmbr0\"}", NULL, NULL, NULL),
	    400);
	assert_non_null(strstr(str_at(&res, "errors", "net"), "bridge: property is not defined"));
	pvecg_mock_response_free(&res);
	assert_int_equal(
	    call(&res, m, "POST", "/things", NULL,
	        "{\"id\":\"7\",\"flag\":\"On\",\"net\":\"virtio=AA:BB:CC:DD:EE:FF,mtu=1500\"}",
	        NULL, NULL, NULL),
	    200);
	pvecg_mock_response_free(&res);
	assert_int_equal(call(&res, m, "GET", "/things/7", NULL, NULL, NULL, NULL, NULL), 200);
	d = cJSON_GetObjectItemCaseSensitive(res.body, "data");
	/* declared integer sent as a number, boolean as 0/1, required size made up */
	assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "id")));
	assert_int_equal((int)cJSON_GetObjectItemCaseSensitive(d, "id")->valuedouble, 7);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "flag")));
	assert_int_equal((int)cJSON_GetObjectItemCaseSensitive(d, "flag")->valuedouble, 1);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "size")));
	assert_string_equal(pvecg_json_str(d, "net"), "virtio=AA:BB:CC:DD:EE:FF,mtu=1500");
	pvecg_mock_response_free(&res);
	pvecg_mock_free(m);
	unlink(file);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mock_booleans_as_proxmox_spells_them),
		cmocka_unit_test(test_mock_bad_parameters_get_400_naming_each),
		cmocka_unit_test(test_mock_crud_from_topology),
		cmocka_unit_test(test_mock_task_runs_then_stops_ok),
		cmocka_unit_test(test_mock_ticket_csrf_and_token),
		cmocka_unit_test(test_mock_state_file_survives_reopen),
		cmocka_unit_test(test_mock_rejects_bad_seed),
		cmocka_unit_test(test_mock_reads_wider_schemas_by_declared_type),
	};

	find_fixture();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
