/* Unit tests of the model runtime (src/runtime/pvecg_rt.c) through its
 * header, with a small hand-built shard shaped like generated ones, and of
 * the emitter (src/models.c) that writes the real shards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg_rt.h"
#include "pvecg/files.h"
#include "pvecg/models.h"

typedef struct Disk {
	char *id; /* required */
	bool has_size;
	int64_t size; /* >= 0 */
	cJSON *extra;
} Disk;

typedef struct Vm {
	bool has_cpu;
	double cpu; /* 0..128 */
	size_t n_disks;
	Disk *disks;
	bool has_maxmem;
	int64_t maxmem;
	cJSON *meta; /* any */
	char *name;  /* required, length 1..8, ^([a-z][a-z0-9-]*)$ */
	Disk *root;
	bool has_running;
	bool running;
	char *status; /* required, running|stopped */
	size_t n_tags;
	char **tags;
	int64_t vmid; /* required, 100..999999999 */
	cJSON *extra;
} Vm;

typedef struct VmList {
	size_t n_items;
	Vm *items;
} VmList;

/* Built at setup so the offsets into the pool are computed, not typed. */
static char pool[512];
static size_t pool_len;
static pvecg_rt_field fields[16];
static pvecg_rt_cons cons[5];
static uint32_t enums[2];
static pvecg_rt_model models[3];
static pvecg_rt_op ops[2];
static pvecg_rt_shard shard;

enum {
	M_DISK = 0,
	M_LIST = 1,
	M_VM = 2
}; /* sorted by name */

static uint32_t
str(const char *s)
{
	uint32_t off = (uint32_t)pool_len;

	memcpy(pool + pool_len, s, strlen(s) + 1);
	pool_len += strlen(s) + 1;
	return off;
}

#define NO PVECG_RT_NONE
#define F(i, st, m, pres, ty, fl, sub, c) \
	fields[i] = (pvecg_rt_field) \
	{ \
		str(#m), (uint16_t)offsetof(st, m), (uint16_t)(pres), ty, fl, sub, c \
	}

static int
setup(void **state)
{
	(void)state;
	pool_len = 0;
	models[M_DISK] = (pvecg_rt_model){ &shard, str("Disk"), sizeof(Disk), 0, 2,
		offsetof(Disk, extra), PVECG_RT_K_OBJECT };
	models[M_LIST] = (pvecg_rt_model){ &shard, str("GetVmsResponse"), sizeof(VmList), 12, 1, NO,
		PVECG_RT_K_VALUE };
	models[M_VM] = (pvecg_rt_model){ &shard, str("GetVmsResponseItem"), sizeof(Vm), 2, 10,
		offsetof(Vm, extra), PVECG_RT_K_OBJECT };
	F(0, Disk, id, NO, PVECG_RT_STR, PVECG_RT_F_REQUIRED, NO, NO);
	F(1, Disk, size, offsetof(Disk, has_size), PVECG_RT_INT, 0, NO, 2);
	F(2, Vm, cpu, offsetof(Vm, has_cpu), PVECG_RT_NUM, 0, NO, 0);
	F(3, Vm, disks, offsetof(Vm, n_disks), PVECG_RT_OBJ, PVECG_RT_F_ARRAY, M_DISK, NO);
	F(4, Vm, maxmem, offsetof(Vm, has_maxmem), PVECG_RT_INT, PVECG_RT_F_DECLARED, NO, NO);
	F(5, Vm, meta, NO, PVECG_RT_ANY, 0, NO, NO);
	F(6, Vm, name, NO, PVECG_RT_STR, PVECG_RT_F_REQUIRED, NO, 1);
	F(7, Vm, root, NO, PVECG_RT_OBJ, 0, M_DISK, NO);
	F(8, Vm, running, offsetof(Vm, has_running), PVECG_RT_BOOL, 0, NO, NO);
	F(9, Vm, status, NO, PVECG_RT_STR, PVECG_RT_F_REQUIRED, NO, 3);
	F(10, Vm, tags, offsetof(Vm, n_tags), PVECG_RT_STR, PVECG_RT_F_ARRAY, NO, NO);
	F(11, Vm, vmid, NO, PVECG_RT_INT, PVECG_RT_F_REQUIRED, NO, 2 + 2);
	fields[12] = (pvecg_rt_field){ str("items"), offsetof(VmList, items),
		offsetof(VmList, n_items), PVECG_RT_OBJ, PVECG_RT_F_ARRAY | PVECG_RT_F_NULLABLE,
		M_VM, NO };
	enums[0] = str("running");
	enums[1] = str("stopped");
	cons[0] = (pvecg_rt_cons){ 0, 128, 0, 0, 0, 0, PVECG_RT_C_MIN | PVECG_RT_C_MAX, 0 };
	cons[1] = (pvecg_rt_cons){ 0, 0, 1, 8, 0, 0,
		PVECG_RT_C_MINLEN | PVECG_RT_C_MAXLEN | PVECG_RT_C_PATTERN,
		str("^([a-z][a-z0-9-]*)$") };
	cons[2] = (pvecg_rt_cons){ 0, 0, 0, 0, 0, 0, PVECG_RT_C_MIN, 0 };
	cons[3] = (pvecg_rt_cons){ 0, 0, 0, 0, 0, 2, PVECG_RT_C_ENUM, 0 };
	cons[4] = (pvecg_rt_cons){ 100, 999999999, 0, 0, 0, 0, PVECG_RT_C_MIN | PVECG_RT_C_MAX, 0 };
	ops[0] = (pvecg_rt_op){ str("get_vms"), str("GET"), str("/vms"), NO, M_LIST };
	ops[1] = (pvecg_rt_op){ str("post_vms"), str("POST"), str("/vms"), M_VM, M_VM };
	shard = (pvecg_rt_shard){ PVECG_RT_ABI, "vms", "00", "test", pool, models, 3, fields, cons,
		enums, ops, 2, NULL, 0 };
	return 0;
}

static const pvecg_rt_model *
vm_model(void)
{
	return &models[M_VM];
}

static const pvecg_rt_model *
list_model(void)
{
	return &models[M_LIST];
}

/* Parses text as the model; returns the error code, fills err. */
static int
parse(void **out, const pvecg_rt_model *m, const char *text, unsigned flags, pvecg_rt_error *err)
{
	return pvecg_rt_parse_text(out, m, text, strlen(text), flags, err);
}

static char *
err_text(const pvecg_rt_error *err)
{
	static char buf[600];

	return (char *)pvecg_rt_error_text(err, buf, sizeof(buf));
}

#define GOOD_VM \
	"{\"cpu\":0.25,\"disks\":[{\"id\":\"scsi0\",\"size\":34359738368}]," \
	"\"maxmem\":2147483648,\"meta\":{\"a\":[1,2]},\"name\":\"web-1\"," \
	"\"root\":{\"id\":\"rootfs\"},\"running\":true,\"status\":\"running\"," \
	"\"tags\":[\"a\",\"b\"],\"vmid\":100}"

static void
test_runtime_parses_every_member_kind(void **state)
{
	pvecg_rt_error err;
	Vm *vm = NULL;

	(void)state;
	assert_int_equal(parse((void **)&vm, vm_model(), GOOD_VM, 0, &err), 0);
	assert_true(vm->has_cpu);
	assert_true(vm->cpu == 0.25);
	assert_int_equal(vm->n_disks, 1);
	assert_string_equal(vm->disks[0].id, "scsi0");
	assert_true(vm->disks[0].has_size);
	assert_true(vm->disks[0].size == INT64_C(34359738368));
	assert_true(vm->has_maxmem);
	assert_true(vm->maxmem == INT64_C(2147483648));
	assert_non_null(cJSON_GetObjectItem(vm->meta, "a"));
	assert_string_equal(vm->name, "web-1");
	assert_string_equal(vm->root->id, "rootfs");
	assert_false(vm->root->has_size);
	assert_true(vm->has_running && vm->running);
	assert_string_equal(vm->status, "running");
	assert_int_equal(vm->n_tags, 2);
	assert_string_equal(vm->tags[1], "b");
	assert_true(vm->vmid == 100);
	assert_null(vm->extra);
	pvecg_rt_free(vm_model(), vm);
}

static void
test_runtime_round_trips_to_equal_json(void **state)
{
	pvecg_rt_error err;
	VmList *l = NULL;
	cJSON *in = cJSON_Parse("[" GOOD_VM "," GOOD_VM "]"), *out = NULL;

	(void)state;
	assert_int_equal(pvecg_rt_parse((void **)&l, list_model(), in, 0, &err), 0);
	assert_int_equal(l->n_items, 2);
	assert_int_equal(pvecg_rt_to_json(&out, list_model(), l, &err), 0);
	assert_true(cJSON_Compare(in, out, 1));
	cJSON_Delete(out);
	cJSON_Delete(in);
	pvecg_rt_free(list_model(), l);
}

static void
test_runtime_keeps_unknown_members_and_writes_them_back(void **state)
{
	pvecg_rt_error err;
	Vm *vm = NULL;
	char *text = NULL;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"stopped\",\"vmid\":101,"
	        "\"net0\":\"virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0\",\"x\":{\"y\":null}}",
	        0, &err),
	    0);
	assert_non_null(vm->extra);
	assert_string_equal(cJSON_GetObjectItem(vm->extra, "net0")->valuestring,
	    "virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0");
	assert_int_equal(pvecg_rt_to_text(&text, vm_model(), vm, &err), 0);
	assert_string_equal(text,
	    "{\"name\":\"a\",\"status\":\"stopped\",\"vmid\":101,"
	    "\"net0\":\"virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0\",\"x\":{\"y\":null}}");
	cJSON_free(text);
	pvecg_rt_free(vm_model(), vm);
}

static void
test_runtime_accepts_proxmox_boolean_forms(void **state)
{
	static const char *const yes[] = { "1", "\"1\"", "\"yes\"", "\"on\"", "true", "\"true\"" };
	static const char *const no[] = { "0", "\"0\"", "\"no\"", "\"off\"", "false", "\"false\"" };
	char text[200];
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		snprintf(text, sizeof(text),
		    "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"running\":%s}", yes[i]);
		assert_int_equal(parse((void **)&vm, vm_model(), text, 0, &err), 0);
		assert_true(vm->has_running && vm->running);
		pvecg_rt_free(vm_model(), vm);
		snprintf(text, sizeof(text),
		    "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"running\":%s}", no[i]);
		assert_int_equal(parse((void **)&vm, vm_model(), text, 0, &err), 0);
		assert_true(vm->has_running && !vm->running);
		pvecg_rt_free(vm_model(), vm);
	}
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"running\":2}", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.running: expected boolean");
	assert_null(vm);
}

static void
test_runtime_accepts_numeric_strings(void **state)
{
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"running\",\"vmid\":\"105\",\"cpu\":\"0.5\","
	        "\"maxmem\":\"-3\"}",
	        0, &err),
	    0);
	assert_true(vm->vmid == 105);
	assert_true(vm->cpu == 0.5);
	assert_true(vm->maxmem == -3);
	pvecg_rt_free(vm_model(), vm);
	assert_int_equal(parse((void **)&vm, vm_model(),
	                     "{\"name\":\"a\",\"status\":\"running\",\"vmid\":\"10x\"}", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.vmid: expected integer");
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"cpu\":\"0x10\"}", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.cpu: expected number");
}

static void
test_runtime_strict_flag_refuses_tolerant_forms(void **state)
{
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"running\",\"vmid\":\"105\"}", PVECG_RT_STRICT, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.vmid: expected integer");
}

static void
test_runtime_reads_64bit_integers_exactly(void **state)
{
	pvecg_rt_error err;
	Vm *vm;
	char *text = NULL;

	(void)state;
	assert_int_equal(parse((void **)&vm, vm_model(),
	                     "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	                     "\"maxmem\":\"9223372036854775807\"}",
	                     0, &err),
	    0);
	assert_true(vm->maxmem == INT64_MAX);
	assert_int_equal(pvecg_rt_to_text(&text, vm_model(), vm, &err), 0);
	assert_non_null(strstr(text, "\"maxmem\":9223372036854775807,"));
	cJSON_free(text);
	pvecg_rt_free(vm_model(), vm);
	/* one past int64: refused, not wrapped */
	assert_int_equal(parse((void **)&vm, vm_model(),
	                     "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	                     "\"maxmem\":\"9223372036854775808\"}",
	                     0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.maxmem: expected integer");
}

static void
test_runtime_refuses_inexact_json_integers(void **state)
{
	pvecg_rt_error err;
	VmList *l;

	(void)state;
	assert_int_equal(parse((void **)&l, list_model(),
	                     "[" GOOD_VM ",{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	                     "\"maxmem\":9007199254740993}]",
	                     0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err),
	    "data[1].maxmem: integer beyond 2^53 is not exact as a JSON number (send it as a "
	    "string)");
	assert_null(l);
}

static void
test_runtime_reports_wrong_type_with_path(void **state)
{
	pvecg_rt_error err;
	VmList *l;

	(void)state;
	assert_int_equal(parse((void **)&l, list_model(),
	                     "[" GOOD_VM ",{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	                     "\"disks\":[{\"id\":\"a\"},{\"id\":\"b\",\"size\":\"big\"}]}]",
	                     0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[1].disks[1].size: expected integer");
	assert_null(l);
	assert_int_equal(parse((void **)&l, list_model(), "{\"a\":1}", 0, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data: expected array");
	assert_int_equal(
	    parse((void **)&l, list_model(), "[" GOOD_VM ",[]]", 0, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[1]: expected object");
	assert_int_equal(parse((void **)&l, list_model(),
	                     "[{\"name\":true,\"status\":\"running\",\"vmid\":100}]", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[0].name: expected string");
	assert_int_equal(
	    parse((void **)&l, list_model(), "[{\"name\":7,\"status\":\"running\",\"vmid\":100}]",
	        PVECG_RT_STRICT, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[0].name: expected string");
}

static void
test_runtime_reports_missing_required_member(void **state)
{
	pvecg_rt_error err;
	VmList *l;

	(void)state;
	assert_int_equal(
	    parse((void **)&l, list_model(), "[{\"name\":\"a\",\"status\":\"running\"}]", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[0].vmid: missing required member");
	assert_int_equal(
	    parse((void **)&l, list_model(),
	        "[{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"root\":{}}]", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data[0].root.id: missing required member");
}

static void
test_runtime_rejects_constraint_violations(void **state)
{
	static const struct {
		const char *member, *error;
	} cases[] = {
		{ "\"status\":\"paused\",\"vmid\":100,\"name\":\"a\"",
		    "data.status: \"paused\" is not one of the allowed values" },
		{ "\"status\":\"running\",\"vmid\":99,\"name\":\"a\"",
		    "data.vmid: below minimum 100" },
		{ "\"status\":\"running\",\"vmid\":1000000000,\"name\":\"a\"",
		    "data.vmid: above maximum 999999999" },
		{ "\"status\":\"running\",\"vmid\":100,\"name\":\"abcdefghi\"",
		    "data.name: longer than 8 characters" },
		{ "\"status\":\"running\",\"vmid\":100,\"name\":\"\"",
		    "data.name: shorter than 1 characters" },
		{ "\"status\":\"running\",\"vmid\":100,\"name\":\"Web\"",
		    "data.name: does not match pattern ^([a-z][a-z0-9-]*)$" },
		{ "\"status\":\"running\",\"vmid\":100,\"name\":\"a\",\"cpu\":128.5",
		    "data.cpu: above maximum 128" },
		{ "\"status\":\"running\",\"vmid\":100,\"name\":\"a\",\"disks\":[{\"id\":\"x\","
		  "\"size\":-1}]",
		    "data.disks[0].size: below minimum 0" },
	};
	char text[300];
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{%s}", cases[i].member);
		assert_int_equal(parse((void **)&vm, vm_model(), text, 0, &err), PVECG_RT_EINVAL);
		assert_string_equal(err_text(&err), cases[i].error);
		/* the same text passes with validation off */
		assert_int_equal(
		    parse((void **)&vm, vm_model(), text, PVECG_RT_NO_VALIDATE, &err), 0);
		pvecg_rt_free(vm_model(), vm);
	}
}

static void
test_runtime_counts_characters_not_bytes(void **state)
{
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	/* 8 two-byte characters: within maxLength 8 (the pattern fails later) */
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"status\":\"running\",\"vmid\":100,\"name\":"
	        "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}",
	        0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err.message, "does not match pattern ^([a-z][a-z0-9-]*)$");
}

static void
test_runtime_validates_caller_filled_struct(void **state)
{
	pvecg_rt_error err;
	Disk disks[2] = { { "scsi0", true, 1, NULL }, { NULL, false, 0, NULL } };
	Vm vm;

	(void)state;
	memset(&vm, 0, sizeof(vm));
	vm.name = "web";
	vm.status = "running";
	vm.vmid = 100;
	assert_int_equal(pvecg_rt_validate(vm_model(), &vm, &err), 0);
	vm.n_disks = 2;
	vm.disks = disks;
	assert_int_equal(pvecg_rt_validate(vm_model(), &vm, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.disks[1].id: missing required member");
	vm.disks = NULL;
	assert_int_equal(pvecg_rt_validate(vm_model(), &vm, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.disks: count without items");
	vm.n_disks = 0;
	vm.status = NULL;
	assert_int_equal(pvecg_rt_validate(vm_model(), &vm, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.status: missing required member");
}

static void
test_runtime_treats_null_as_absent(void **state)
{
	pvecg_rt_error err;
	Vm *vm;
	VmList *l;
	char *text;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,\"cpu\":null,\"root\":null}",
	        0, &err),
	    0);
	assert_false(vm->has_cpu);
	assert_null(vm->root);
	pvecg_rt_free(vm_model(), vm);
	assert_int_equal(parse((void **)&vm, vm_model(),
	                     "{\"name\":null,\"status\":\"running\",\"vmid\":100}", 0, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.name: expected string");
	assert_int_equal(parse((void **)&l, list_model(), "null", 0, &err), 0);
	assert_null(l->items);
	assert_int_equal(pvecg_rt_to_text(&text, list_model(), l, &err), 0);
	assert_string_equal(text, "null");
	cJSON_free(text);
	pvecg_rt_free(list_model(), l);
}

/* Every member of the input comes back from to_json: a null (or "" for an
 * optional number) is absent in the struct but not dropped. */
static void
test_runtime_keeps_explicit_null_and_empty_through_to_json(void **state)
{
	pvecg_rt_error err;
	Vm *vm;
	char *text;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"cpu\":null,\"maxmem\":\"\",\"name\":\"a\",\"root\":null,\"status\":\"running\","
	        "\"vmid\":100}",
	        0, &err),
	    0);
	assert_false(vm->has_cpu);
	assert_false(vm->has_maxmem);
	assert_null(vm->root);
	assert_int_equal(pvecg_rt_to_text(&text, vm_model(), vm, &err), 0);
	assert_string_equal(text,
	    "{\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	    "\"cpu\":null,\"maxmem\":\"\",\"root\":null}");
	cJSON_free(text);
	/* a value the caller sets later replaces the kept null */
	vm->has_cpu = true;
	vm->cpu = 0.5;
	assert_int_equal(pvecg_rt_to_text(&text, vm_model(), vm, &err), 0);
	assert_string_equal(text,
	    "{\"cpu\":0.5,\"name\":\"a\",\"status\":\"running\",\"vmid\":100,"
	    "\"maxmem\":\"\",\"root\":null}");
	cJSON_free(text);
	pvecg_rt_free(vm_model(), vm);
	/* strict: "" is not an integer */
	assert_int_equal(parse((void **)&vm, vm_model(),
	                     "{\"maxmem\":\"\",\"name\":\"a\",\"status\":\"running\",\"vmid\":100}",
	                     PVECG_RT_STRICT, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.maxmem: expected integer");
}

static void
test_runtime_reports_each_tolerated_form(void **state)
{
	pvecg_rt_diags d = PVECG_RT_DIAGS_INIT;
	pvecg_rt_error err;
	const char *text =
	    "{\"data\":{\"cpu\":\"0.5\",\"disks\":[{\"id\":7,\"size\":\"\"}],"
	    "\"name\":\"a\",\"root\":null,\"running\":1,\"status\":\"running\",\"vmid\":\"100\"}}";
	static const char *const want[][2] = {
		{ "numeric-text", "data.cpu" },
		{ "number-as-text", "data.disks[0].id" },
		{ "empty", "data.disks[0].size" },
		{ "null", "data.root" },
		{ "bool-form", "data.running" },
		{ "numeric-text", "data.vmid" },
		{ "missing", "data.maxmem" },
	};
	Vm *vm;

	(void)state;
	assert_int_equal(
	    pvecg_rt_parse_response_diag((void **)&vm, vm_model(), text, strlen(text), 0, &d, &err),
	    0);
	assert_int_equal(d.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(pvecg_rt_diag_kind(d.items[i].kind), want[i][0]);
		assert_string_equal(d.items[i].path, want[i][1]);
	}
	assert_string_equal(vm->disks[0].id, "7");
	assert_true(vm->running);
	assert_int_equal(vm->vmid, 100);
	pvecg_rt_free(vm_model(), vm);
	pvecg_rt_diags_free(&d);
	assert_int_equal(d.n, 0);
	/* the same input is refused when strict, at the first deviation */
	assert_int_equal(pvecg_rt_parse_response_diag((void **)&vm, vm_model(), text, strlen(text),
	                     PVECG_RT_STRICT, &d, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.cpu: expected number");
	assert_null(vm);
	pvecg_rt_diags_free(&d);
	/* strict: a declared-required member must be there */
	text = "{\"data\":{\"name\":\"a\",\"status\":\"running\",\"vmid\":100}}";
	assert_int_equal(pvecg_rt_parse_response_diag((void **)&vm, vm_model(), text, strlen(text),
	                     PVECG_RT_STRICT, NULL, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "data.maxmem: missing required member");
}

static void
test_runtime_repeated_key_keeps_the_last(void **state)
{
	pvecg_rt_error err;
	Vm *vm;

	(void)state;
	assert_int_equal(
	    parse((void **)&vm, vm_model(),
	        "{\"name\":\"a\",\"name\":\"b\",\"status\":\"running\",\"vmid\":100,"
	        "\"root\":{\"id\":\"x\"},\"root\":{\"id\":\"y\"},\"tags\":[\"1\"],\"tags\":[],"
	        "\"u\":1,\"u\":2}",
	        0, &err),
	    0);
	assert_string_equal(vm->name, "b");
	assert_string_equal(vm->root->id, "y");
	assert_int_equal(vm->n_tags, 0);
	assert_int_equal(cJSON_GetArraySize(vm->extra), 1);
	assert_true(cJSON_GetObjectItem(vm->extra, "u")->valuedouble == 2);
	pvecg_rt_free(vm_model(), vm);
}

static void
test_runtime_reports_text_that_is_not_json(void **state)
{
	pvecg_rt_error err;
	Vm *vm = (Vm *)1;

	(void)state;
	assert_int_equal(parse((void **)&vm, vm_model(), "{\"name\":", 0, &err), PVECG_RT_ESYNTAX);
	assert_null(vm);
	assert_string_equal(err_text(&err), "data: not valid JSON");
}

static void
test_runtime_parses_response_envelope(void **state)
{
	static const char body[] =
	    "{\"data\":[{\"name\":\"a\",\"status\":\"stopped\",\"vmid\":\"100\"}]}";
	pvecg_rt_error err;
	VmList *l;

	(void)state;
	assert_int_equal(
	    pvecg_rt_parse_response((void **)&l, list_model(), body, sizeof(body) - 1, 0, &err), 0);
	assert_int_equal(l->n_items, 1);
	assert_true(l->items[0].vmid == 100);
	pvecg_rt_free(list_model(), l);
	assert_int_equal(
	    pvecg_rt_parse_response((void **)&l, list_model(), "[1]", 3, 0, &err), PVECG_RT_EINVAL);
	assert_string_equal(err_text(&err), "(body): expected an object with member data");
}

static void
test_runtime_finds_models_and_operations(void **state)
{
	const pvecg_rt_op *op;
	pvecg_rt_error err;

	(void)state;
	assert_ptr_equal(pvecg_rt_shard_model(&shard, "GetVmsResponseItem"), vm_model());
	assert_ptr_equal(pvecg_rt_shard_model(&shard, "Disk"), &models[M_DISK]);
	assert_null(pvecg_rt_shard_model(&shard, "Nope"));
	op = pvecg_rt_shard_op(&shard, "get_vms");
	assert_non_null(op);
	assert_null(pvecg_rt_op_request(&shard, op));
	assert_ptr_equal(pvecg_rt_op_response(&shard, op), list_model());
	op = pvecg_rt_shard_op(&shard, "post_vms");
	assert_ptr_equal(pvecg_rt_op_request(&shard, op), vm_model());
	assert_null(pvecg_rt_shard_op(&shard, "delete_vms"));
	assert_string_equal(pvecg_rt_model_name(list_model()), "GetVmsResponse");
	assert_int_equal(pvecg_rt_shard_check(&shard, &err), 0);
}

static void
test_runtime_refuses_shard_of_other_abi(void **state)
{
	pvecg_rt_shard other = shard;
	pvecg_rt_error err;

	(void)state;
	other.abi = PVECG_RT_ABI + 1;
	assert_int_equal(pvecg_rt_shard_check(&other, &err), PVECG_RT_EABI);
	assert_string_equal(err.path, "vms");
}

static void
test_runtime_lazy_reports_missing_index(void **state)
{
	pvecg_rt_lazy *lz = (pvecg_rt_lazy *)1;
	pvecg_rt_error err;

	(void)state;
	assert_int_equal(
	    pvecg_rt_lazy_open(&lz, "/nonexistent/model_index.json", NULL, &err), PVECG_RT_EIO);
	assert_null(lz);
	assert_string_equal(err_text(&err), "/nonexistent/model_index.json: cannot read");
}

static void
test_runtime_clear_resets_caller_storage(void **state)
{
	pvecg_rt_error err;
	Vm *vm;
	Vm zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(parse((void **)&vm, vm_model(), GOOD_VM, 0, &err), 0);
	pvecg_rt_clear(vm_model(), vm);
	assert_memory_equal(vm, &zero, sizeof(zero));
	free(vm);
}

/* ---- the emitter (src/models.c) that writes shards for this runtime ---- */

static const char emit_doc[] =
    "{\"openapi\":\"3.1.0\",\"paths\":{"
    "\"/things\":{"
    " \"get\":{\"operationId\":\"get_things\",\"tags\":[\"things\"],\"summary\":\"List */ things\","
    "  "
    "\"parameters\":[{\"name\":\"full\",\"in\":\"query\",\"required\":true,\"schema\":{\"type\":"
    "\"boolean\"}},"
    "   {\"name\":\"node\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}]},"
    " \"post\":{\"operationId\":\"post_things\",\"tags\":[\"things\"],"
    "  "
    "\"requestBody\":{\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/"
    "schemas/PostThingsRequest\"}}}}}},"
    "\"/\":{\"get\":{\"operationId\":\"get_root\",\"tags\":[\"root\"]}}},"
    "\"components\":{\"schemas\":{"
    "\"GetThingsResponse\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
    "\"default\"],"
    " \"patternProperties\":{\"^net\\\\d+$\":{\"type\":\"string\"}},\"properties\":{"
    "  \"default\":{\"type\":\"string\",\"description\":\"Ends */ here /* and ?\?/\\nsecond "
    "line\"},"
    "  \"ha-state\":{\"type\":\"string\",\"enum\":[\"started\",\"stopped\"]},"
    "  \"1st\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":4094},"
    "  \"extra\":{\"type\":\"number\"},"
    "  \"x\":{\"type\":\"integer\"},\"has_x\":{\"type\":\"boolean\"},"
    "  \"name\":{\"type\":\"string\",\"pattern\":\"^[a-z\\\\d\\\\-]+$\",\"maxLength\":8},"
    "  \"lookahead\":{\"type\":\"string\",\"pattern\":\"^(?!root)\\\\w+$\"},"
    "  \"sub\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\"}}},"
    "  \"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}},"
    "\"PostThingsResponse\":{\"type\":\"null\"},"
    "\"PostThingsRequest\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"}}},"
    "\"GetRootResponse\":{\"type\":\"string\"}}}}";

#define EMIT_SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int
emit(pvecg_files *fs, const char *text, pvecg_error *err)
{
	cJSON *doc = cJSON_Parse(text);
	pvecg_models_input in = { doc, EMIT_SHA, "t1", "pve" };
	int rc;

	memset(fs, 0, sizeof(*fs));
	assert_non_null(doc);
	rc = pvecg_models_emit(fs, &in, err);
	cJSON_Delete(doc);
	return rc;
}

static const char *
file_text(const pvecg_files *fs, const char *path)
{
	const pvecg_file *f = pvecg_files_get(fs, path);

	assert_non_null(f);
	return f->data;
}

static void
test_models_emit_writes_the_file_set(void **state)
{
	static const char *const want[] = { "model_index.json", "models/CMakeLists.txt",
		"models/pvecg_rt.c", "models/pvecg_rt.h", "models/pvecg_rt_lazy.c",
		"models/pvecg_rt_propstr.c", "models/pvecg_rt_propstr.h", "models/root.c",
		"models/root.h", "models/things.c", "models/things.h", "pve_models.c",
		"pve_models.h" };
	pvecg_files fs;
	pvecg_error err;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	assert_int_equal(fs.n, sizeof(want) / sizeof(want[0]));
	pvecg_files_sort(&fs);
	for (size_t i = 0; i < fs.n; i++)
		assert_string_equal(fs.items[i].path, want[i]);
	assert_non_null(strstr(file_text(&fs, "models/things.h"),
	    "#define PVE_MODELS_OPENAPI_SHA256 \"" EMIT_SHA "\"\n"));
	assert_non_null(
	    strstr(file_text(&fs, "models/things.h"), "#define PVE_MODELS_VERSION_TAG \"t1\"\n"));
	assert_non_null(strstr(file_text(&fs, "models/things.h"), "#if PVECG_RT_ABI != 3\n#error"));
	pvecg_files_free(&fs);
}

static void
test_models_emit_names_structs_and_mangles_members(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	const char *h;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	h = file_text(&fs, "models/things.h");
	assert_non_null(strstr(h, "struct PveGetThingsResponse {\n"));
	assert_non_null(strstr(h, "\tsize_t n_items;\n\tPveGetThingsResponseItem *items;\n"));
	assert_non_null(strstr(h, "struct PveGetThingsResponseItemSub {\n"));
	assert_non_null(strstr(h, "\tPveGetThingsResponseItemSub *sub;\n"));
	assert_non_null(strstr(h, "\tbool has_f_1st;\n\tint64_t f_1st;\n"));
	assert_non_null(strstr(h, "\tchar *default_;\n"));
	assert_non_null(strstr(h, "\tbool has_extra_;\n\tdouble extra_;\n"));
	assert_non_null(strstr(h, "\tchar *ha_state;\n"));
	/* "has_x" the member and has_x the presence flag of "x" cannot clash */
	assert_non_null(strstr(h, "\tbool has_has_x;\n\tbool has_x;\n"));
	assert_non_null(strstr(h, "\tbool has_x_;\n\tint64_t x_;\n"));
	assert_non_null(strstr(h, "\tsize_t n_tags;\n\tchar **tags;\n"));
	assert_non_null(strstr(h, "\tcJSON *extra;\n"));
	assert_non_null(strstr(h, "patternProperties ^net\\d+$, kept and written back"));
	/* GET query parameters become a request model, path ones do not */
	assert_non_null(strstr(
	    h, "struct PveGetThingsRequest {\n\t/* full; required */\n\tbool full;\n\t/* unknown"));
	assert_non_null(strstr(h, "struct PvePostThingsRequest {\n"));
	assert_non_null(
	    strstr(h, "struct PvePostThingsResponse {\n\t/* value */\n\tcJSON *value;\n};"));
	assert_non_null(strstr(file_text(&fs, "models/root.h"),
	    "struct PveGetRootResponse {\n\t/* value */\n\tchar *value;\n};"));
	pvecg_files_free(&fs);
}

static void
test_models_emit_keeps_comments_closed(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	const char *h;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	h = file_text(&fs, "models/things.h");
	assert_non_null(strstr(h, "/* default: Ends * / here / * and ? ?/; required */\n"));
	assert_null(strstr(h, "??"));
	assert_null(strstr(h, "second line"));
	assert_non_null(strstr(h, "(get_things).\n * List * / things */"));
	pvecg_files_free(&fs);
}

static void
test_models_emit_translates_portable_patterns_only(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	const char *h, *c;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	h = file_text(&fs, "models/things.h");
	c = file_text(&fs, "models/things.c");
	assert_non_null(strstr(h, "/* name; length <= 8; pattern checked */"));
	/* the pattern anchors itself: one anchor pair, not "^(^...$)$" */
	assert_non_null(strstr(c, "\t\"^[0-9a-z-]+$\\0\"\n"));
	assert_null(strstr(c, "^(^"));
	assert_non_null(strstr(
	    h, "/* lookahead; pattern not checked: lookaround, named group or inline flag */"));
	assert_non_null(strstr(h, "/* 1st; >= 1; <= 4094 */"));
	assert_non_null(strstr(h, "/* ha-state; one of: started stopped */"));
	assert_non_null(strstr(file_text(&fs, "model_index.json"), "\"patterns_not_checked\": 1,"));
	pvecg_files_free(&fs);
}

static void
test_models_emit_writes_symbolic_descriptor_rows(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	const char *c, *h, *agg;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	c = file_text(&fs, "models/things.c");
	h = file_text(&fs, "models/things.h");
	agg = file_text(&fs, "pve_models.h");
	assert_non_null(strstr(c,
	    "O(PveGetThingsResponseItem, default_), NO, PVECG_RT_STR, "
	    "PVECG_RT_F_REQUIRED, NO, NO },\n"));
	assert_non_null(strstr(c,
	    "O(PveGetThingsResponse, items), O(PveGetThingsResponse, n_items), "
	    "PVECG_RT_OBJ, PVECG_RT_F_ARRAY | PVECG_RT_F_NULLABLE, 2 /* GetThingsResponseItem */, "
	    "NO },\n"));
	assert_non_null(strstr(c,
	    "O(PveGetThingsResponseItem, sub), NO, PVECG_RT_OBJ, 0, "
	    "3 /* GetThingsResponseItemSub */, NO },\n"));
	assert_non_null(
	    strstr(c, "\t{ 1, 4094, 0, 0, 0, 0, PVECG_RT_C_MIN | PVECG_RT_C_MAX, 0 },\n"));
	assert_non_null(strstr(c, "O(PveGetThingsResponseItem, extra), PVECG_RT_K_OBJECT },\n"));
	assert_non_null(strstr(c, "NO, PVECG_RT_K_VALUE },\n"));
	assert_non_null(strstr(c, ", 0 /* GetThingsRequest */, 1 /* GetThingsResponse */ },\n"));
	assert_non_null(strstr(c,
	    "PVECG_RT_EXPORT const pvecg_rt_shard pve_shard_things = {\n"
	    "\tPVECG_RT_ABI, \"things\", PVE_MODELS_OPENAPI_SHA256, PVE_MODELS_VERSION_TAG,\n"));
	/* the string pool has no line of its own for a chunk separator */
	assert_null(strstr(c, "\n,\n"));
	assert_null(strstr(c, "\n\n\n"));
	assert_non_null(strstr(h, "#ifndef PVE_MODELS_THINGS_H\n#define PVE_MODELS_THINGS_H\n"));
	assert_non_null(
	    strstr(h, "extern PVECG_RT_EXPORT const pvecg_rt_shard pve_shard_things;\n"));
	assert_non_null(strstr(h, "#define PVE_MODEL_GetThingsResponse (&pve_things_models[1])\n"));
	assert_non_null(strstr(agg, "#ifndef PVE_MODELS_H\n#define PVE_MODELS_H\n"));
	assert_non_null(strstr(agg, "#define PVE_MODELS_N_OPS 3\n"));
	assert_non_null(
	    strstr(agg, "extern const pve_models_op pve_models_ops[PVE_MODELS_N_OPS];\n"));
	pvecg_files_free(&fs);
}

/* Every C identifier of another product carries that product's prefix. */
static void
test_models_emit_prefixes_every_name_with_the_product(void **state)
{
	cJSON *doc = cJSON_Parse(emit_doc);
	pvecg_models_input in = { doc, EMIT_SHA, "t1", "pbs" };
	pvecg_files fs;
	pvecg_error err;

	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(pvecg_models_emit(&fs, &in, &err), 0);
	for (size_t i = 0; i < fs.n; i++) {
		const char *d = fs.items[i].data;

		if (strncmp(fs.items[i].path, "models/pvecg_rt", 15) == 0)
			continue;
		assert_null(strstr(d, "pve_"));
		assert_null(strstr(d, "PveGet"));
		assert_null(strstr(d, "PveModels"));
		assert_null(strstr(d, "PVE_"));
		assert_null(strstr(d, "PVECG_MODEL_Get"));
		assert_null(strstr(d, "PVECG_MODELS_"));
		assert_null(strstr(d, "pvecg_shard"));
	}
	assert_non_null(strstr(file_text(&fs, "models/things.h"),
	    "typedef struct PbsGetThingsResponse PbsGetThingsResponse;\n"));
	assert_non_null(strstr(file_text(&fs, "models/things.h"),
	    "#define PBS_MODEL_GetThingsResponse (&pbs_things_models[1])\n"));
	assert_non_null(strstr(file_text(&fs, "pbs_models.h"), "#ifndef PBS_MODELS_H\n"));
	assert_non_null(strstr(
	    file_text(&fs, "pbs_models.c"), "&pbs_things_models[0], &pbs_things_models[1] },\n"));
	assert_non_null(strstr(file_text(&fs, "models/CMakeLists.txt"),
	    "install(EXPORT PbsModelsTargets NAMESPACE PbsModels::\n"));
	pvecg_files_free(&fs);
	cJSON_Delete(doc);
}

static const char anchor_doc[] =
    "{\"openapi\":\"3.1.0\",\"paths\":{\"/a\":{\"get\":{\"operationId\":\"get_a\"}}},"
    "\"components\":{\"schemas\":{\"GetAResponse\":{\"type\":\"object\",\"properties\":{"
    "\"alt\":{\"type\":\"string\",\"pattern\":\"^a+$|^b$\"},"
    "\"group\":{\"type\":\"string\",\"pattern\":\"^(\\\\d+)$\"},"
    "\"dollar\":{\"type\":\"string\",\"pattern\":\"^c\\\\$$\"},"
    "\"empty\":{\"type\":\"string\",\"pattern\":\"^$\"},"
    "\"open\":{\"type\":\"string\",\"pattern\":\"x.*\"}}}}}}";

/* Patterns that anchor themselves get one anchor pair, same matches. */
static void
test_models_emit_writes_one_anchor_pair(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	const char *c;

	(void)state;
	assert_int_equal(emit(&fs, anchor_doc, &err), 0);
	c = file_text(&fs, "models/a.c");
	assert_non_null(strstr(c, "\t\"^(a+|b)$\\0\"\n"));
	assert_non_null(strstr(c, "\t\"^[0-9]+$\\0\"\n"));
	assert_non_null(strstr(c, "\t\"^c\\\\$$\\0\"\n"));
	assert_non_null(strstr(c, "\t\"^$\\0\"\n"));
	assert_non_null(strstr(c, "\t\"^x.*$\\0\"\n"));
	assert_null(strstr(c, "^(^"));
	pvecg_files_free(&fs);
}

static void
test_models_emit_indexes_every_operation(void **state)
{
	pvecg_files fs;
	pvecg_error err;
	cJSON *idx, *ops, *op;

	(void)state;
	assert_int_equal(emit(&fs, emit_doc, &err), 0);
	idx = cJSON_Parse(file_text(&fs, "model_index.json"));
	ops = cJSON_GetObjectItem(idx, "operations");
	assert_int_equal(cJSON_GetArraySize(ops), 3);
	op = cJSON_GetObjectItem(ops, "get_things");
	assert_string_equal(cJSON_GetObjectItem(op, "group")->valuestring, "things");
	assert_string_equal(cJSON_GetObjectItem(op, "method")->valuestring, "GET");
	assert_string_equal(
	    cJSON_GetObjectItem(op, "response_model")->valuestring, "GetThingsResponse");
	assert_string_equal(
	    cJSON_GetObjectItem(op, "request_model")->valuestring, "GetThingsRequest");
	assert_string_equal(
	    cJSON_GetObjectItem(op, "shard_library")->valuestring, "libpve_models_things.so");
	assert_string_equal(
	    cJSON_GetObjectItem(op, "shard_symbol")->valuestring, "pve_shard_things");
	op = cJSON_GetObjectItem(ops, "get_root");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(op, "request_model")));
	assert_string_equal(cJSON_GetObjectItem(op, "shard_header")->valuestring, "models/root.h");
	assert_string_equal(cJSON_GetObjectItem(idx, "openapi_sha256")->valuestring, EMIT_SHA);
	assert_int_equal(cJSON_GetObjectItem(idx, "abi")->valueint, PVECG_RT_ABI);
	cJSON_Delete(idx);
	pvecg_files_free(&fs);
}

static void
test_models_emit_is_deterministic(void **state)
{
	pvecg_files a, b;
	pvecg_error err;

	(void)state;
	assert_int_equal(emit(&a, emit_doc, &err), 0);
	assert_int_equal(emit(&b, emit_doc, &err), 0);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.items[i].path, b.items[i].path);
		assert_int_equal(a.items[i].len, b.items[i].len);
		assert_memory_equal(a.items[i].data, b.items[i].data, a.items[i].len);
	}
	pvecg_files_free(&a);
	pvecg_files_free(&b);
}

static void
test_models_emit_rejects_document_without_paths(void **state)
{
	pvecg_files fs;
	pvecg_error err;

	(void)state;
	assert_int_equal(emit(&fs, "{\"openapi\":\"3.1.0\"}", &err), PVECG_EINPUT);
	assert_string_equal(err.where, "openapi.json");
	assert_string_equal(err.message, "no paths object");
	assert_int_equal(fs.n, 0);
	pvecg_files_free(&fs);
	assert_int_equal(
	    emit(&fs, "{\"paths\":{\"/a\":{\"get\":{\"tags\":[\"a\"]}}}}", &err), PVECG_EINPUT);
	assert_string_equal(err.message, "paths./a.get: no operationId");
	pvecg_files_free(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtime_parses_every_member_kind),
		cmocka_unit_test(test_runtime_round_trips_to_equal_json),
		cmocka_unit_test(test_runtime_keeps_unknown_members_and_writes_them_back),
		cmocka_unit_test(test_runtime_accepts_proxmox_boolean_forms),
		cmocka_unit_test(test_runtime_accepts_numeric_strings),
		cmocka_unit_test(test_runtime_strict_flag_refuses_tolerant_forms),
		cmocka_unit_test(test_runtime_reads_64bit_integers_exactly),
		cmocka_unit_test(test_runtime_refuses_inexact_json_integers),
		cmocka_unit_test(test_runtime_reports_wrong_type_with_path),
		cmocka_unit_test(test_runtime_reports_missing_required_member),
		cmocka_unit_test(test_runtime_rejects_constraint_violations),
		cmocka_unit_test(test_runtime_counts_characters_not_bytes),
		cmocka_unit_test(test_runtime_validates_caller_filled_struct),
		cmocka_unit_test(test_runtime_treats_null_as_absent),
		cmocka_unit_test(test_runtime_keeps_explicit_null_and_empty_through_to_json),
		cmocka_unit_test(test_runtime_reports_each_tolerated_form),
		cmocka_unit_test(test_runtime_repeated_key_keeps_the_last),
		cmocka_unit_test(test_runtime_reports_text_that_is_not_json),
		cmocka_unit_test(test_runtime_parses_response_envelope),
		cmocka_unit_test(test_runtime_finds_models_and_operations),
		cmocka_unit_test(test_runtime_refuses_shard_of_other_abi),
		cmocka_unit_test(test_runtime_lazy_reports_missing_index),
		cmocka_unit_test(test_runtime_clear_resets_caller_storage),
		cmocka_unit_test(test_models_emit_writes_the_file_set),
		cmocka_unit_test(test_models_emit_names_structs_and_mangles_members),
		cmocka_unit_test(test_models_emit_keeps_comments_closed),
		cmocka_unit_test(test_models_emit_translates_portable_patterns_only),
		cmocka_unit_test(test_models_emit_writes_symbolic_descriptor_rows),
		cmocka_unit_test(test_models_emit_prefixes_every_name_with_the_product),
		cmocka_unit_test(test_models_emit_writes_one_anchor_pair),
		cmocka_unit_test(test_models_emit_indexes_every_operation),
		cmocka_unit_test(test_models_emit_is_deterministic),
		cmocka_unit_test(test_models_emit_rejects_document_without_paths),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
