/* Unit tests of the property-string runtime (src/runtime/pvecg_rt_propstr.c)
 * on a hand-made shard: a qemu-like "net" format in both dialects, and a
 * config model holding net[4] as an indexed family with typed access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg_rt.h"

typedef struct Net {
	char *bridge;
	bool has_firewall;
	bool firewall;
	char *macaddr;
	char *model;
	bool has_mtu;
	int64_t mtu;
	bool has_rate;
	double rate;
	cJSON *extra;
} Net;

typedef struct Config {
	char *name;
	char *net[4];
	Net *net_parsed[4];
	char *vga;
	Net *vga_parsed;
	cJSON *extra;
} Config;

enum {
	M_CONFIG = 0,
	M_NET = 1
};
enum {
	PS_PERL = 0,
	PS_RUST = 1
};

static char pool[2048];
static size_t pool_len;
static pvecg_rt_field fields[16];
static pvecg_rt_model models[2];
static pvecg_rt_cons cons[3];
static uint32_t enums[2];
static pvecg_rt_propstr_alias aliases[2];
static pvecg_rt_propstr propstrs[2];
static pvecg_rt_shard shard;

static uint32_t
str(const char *s)
{
	uint32_t off = (uint32_t)pool_len;

	memcpy(pool + pool_len, s, strlen(s) + 1);
	pool_len += strlen(s) + 1;
	return off;
}

#define NO PVECG_RT_NONE
#define F(i, name, st, m, pres, ty, fl, sub, c) \
	fields[i] = (pvecg_rt_field) \
	{ \
		str(name), (uint16_t)offsetof(st, m), (uint16_t)(pres), ty, fl, sub, c \
	}

static int
setup(void **state)
{
	(void)state;
	pool_len = 0;
	/* fields of a model sorted by name */
	F(0, "name", Config, name, NO, PVECG_RT_STR, 0, NO, NO);
	F(1, "net[n]", Config, net, offsetof(Config, net_parsed), PVECG_RT_STR,
	    PVECG_RT_F_INDEXED | PVECG_RT_F_PROPSTR, PS_PERL, 4);
	F(2, "vga", Config, vga, offsetof(Config, vga_parsed), PVECG_RT_STR, PVECG_RT_F_PROPSTR,
	    PS_PERL, NO);
	F(3, "bridge", Net, bridge, NO, PVECG_RT_STR, 0, NO, NO);
	F(4, "firewall", Net, firewall, offsetof(Net, has_firewall), PVECG_RT_BOOL, 0, NO, NO);
	F(5, "macaddr", Net, macaddr, NO, PVECG_RT_STR, 0, NO, NO);
	F(6, "model", Net, model, NO, PVECG_RT_STR, PVECG_RT_F_REQUIRED, NO, 0);
	F(7, "mtu", Net, mtu, offsetof(Net, has_mtu), PVECG_RT_INT, 0, NO, 1);
	F(8, "rate", Net, rate, offsetof(Net, has_rate), PVECG_RT_NUM, 0, NO, 2);
	models[M_CONFIG] = (pvecg_rt_model){ &shard, str("Config"), sizeof(Config), 0, 3,
		offsetof(Config, extra), PVECG_RT_K_OBJECT };
	models[M_NET] = (pvecg_rt_model){ &shard, str("Net"), sizeof(Net), 3, 6,
		offsetof(Net, extra), PVECG_RT_K_OBJECT };
	enums[0] = str("e1000");
	enums[1] = str("virtio");
	cons[0] = (pvecg_rt_cons){ 0, 0, 0, 0, 0, 2, PVECG_RT_C_ENUM, 0 };
	cons[1] = (pvecg_rt_cons){ 1, 65520, 0, 0, 0, 0, PVECG_RT_C_MIN | PVECG_RT_C_MAX, 0 };
	cons[2] = (pvecg_rt_cons){ 0, 0, 0, 0, 0, 0, PVECG_RT_C_MIN, 0 };
	aliases[0] = (pvecg_rt_propstr_alias){ str("e1000"), str("macaddr"), str("model") };
	aliases[1] = (pvecg_rt_propstr_alias){ str("virtio"), str("macaddr"), str("model") };
	propstrs[PS_PERL] = (pvecg_rt_propstr){ &models[M_NET], str("PveQemuNet"), str("model"),
		aliases, 2, PVECG_RT_PS_PERL, PVECG_RT_PS_OBJECT };
	propstrs[PS_RUST] = (pvecg_rt_propstr){ &models[M_NET], str("PbsNet"), str("model"),
		aliases, 2, PVECG_RT_PS_RUST, PVECG_RT_PS_OBJECT };
	shard = (pvecg_rt_shard){ PVECG_RT_ABI, "test", "00", "test", pool, models, 2, fields, cons,
		enums, NULL, 0, propstrs, 2 };
	return 0;
}

static Net *
parse_ok(int which, const char *text, unsigned flags)
{
	void *out = NULL;
	pvecg_rt_error err;
	int rc = pvecg_rt_propstr_parse(&out, &propstrs[which], text, flags, &err);

	if (rc != 0)
		fail_msg("%s: %s: %s", text, err.path, err.message);
	return out;
}

static void
expect_error(int which, const char *text, const char *key, const char *reason)
{
	void *out = (void *)&out;
	pvecg_rt_error err;

	assert_int_equal(
	    pvecg_rt_propstr_parse(&out, &propstrs[which], text, 0, &err), PVECG_RT_EINVAL);
	assert_null(out);
	assert_string_equal(err.path, key);
	if (!strstr(err.message, reason))
		fail_msg("%s: message \"%s\" lacks \"%s\"", text, err.message, reason);
}

static char *
format_ok(int which, const Net *n)
{
	char *out = NULL;
	pvecg_rt_error err;

	if (pvecg_rt_propstr_format(&out, &propstrs[which], n, &err) != 0)
		fail_msg("format: %s: %s", err.path, err.message);
	return out;
}

static void
test_key_alias_sets_model_and_mac(void **state)
{
	Net *n = parse_ok(PS_PERL, "virtio=BC:24:11:2E:3F:4A,bridge=vmbr0,firewall=yes", 0);

	(void)state;
	assert_string_equal(n->model, "virtio");
	assert_string_equal(n->macaddr, "BC:24:11:2E:3F:4A");
	assert_string_equal(n->bridge, "vmbr0");
	assert_true(n->has_firewall && n->firewall);
	assert_false(n->has_mtu);
	assert_null(n->extra);
	pvecg_rt_free(&models[M_NET], n);
}

static void
test_default_key_needs_no_name(void **state)
{
	Net *n = parse_ok(PS_PERL, "e1000,mtu=1500,rate=12.5,firewall=OFF", 0);

	(void)state;
	assert_string_equal(n->model, "e1000");
	assert_true(n->has_mtu && n->mtu == 1500);
	assert_true(n->has_rate && n->rate == 12.5);
	assert_true(n->has_firewall && !n->firewall);
	pvecg_rt_free(&models[M_NET], n);
}

static void
test_booleans_in_every_spelling(void **state)
{
	static const char *const yes[] = { "1", "yes", "on", "true", "TRUE", "Yes" };
	static const char *const no[] = { "0", "no", "off", "false", "FALSE", "Off" };
	char text[64];

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		Net *a, *b;

		snprintf(text, sizeof(text), "virtio,firewall=%s", yes[i]);
		a = parse_ok(PS_PERL, text, 0);
		snprintf(text, sizeof(text), "virtio,firewall=%s", no[i]);
		b = parse_ok(PS_RUST, text, 0);
		assert_true(a->firewall);
		assert_false(b->firewall);
		pvecg_rt_free(&models[M_NET], a);
		pvecg_rt_free(&models[M_NET], b);
	}
}

static void
test_invalid_strings_name_key_and_reason(void **state)
{
	(void)state;
	expect_error(PS_PERL, "virtio,mtu=0", "mtu", "below minimum");
	expect_error(PS_PERL, "virtio,mtu=12x", "mtu", "expected an integer");
	expect_error(PS_PERL, "virtio,firewall=maybe", "firewall", "expected a boolean");
	expect_error(PS_PERL, "rtl8139", "model", "not one of the allowed values");
	expect_error(PS_PERL, "bridge=vmbr0", "model", "missing required member");
	expect_error(PS_PERL, "virtio=AA:BB:CC:DD:EE:FF,e1000=AA:BB:CC:DD:EE:00", "model",
	    "key alias \"model\" is already defined");
	expect_error(PS_PERL, "virtio,model=e1000", "model", "duplicate key");
	expect_error(PS_PERL, "virtio,e1000", "model", "duplicate key");
	expect_error(PS_PERL, "virtio,=vmbr0", "", "missing key or value");
	expect_error(PS_PERL, "virtio,bridge=", "bridge", "missing key or value");
	expect_error(PS_PERL, "virtio,rate=-1", "rate", "below minimum");
	expect_error(PS_RUST, "virtio,bridge=\"vmbr0", "bridge", "unterminated quoted value");
	expect_error(PS_RUST, "virtio,bridge=\"a\"b", "bridge", "garbage after quoted value");
	expect_error(PS_RUST, "virtio,bridge=\"a\\qb\"", "bridge", "invalid escape");
}

static void
test_unknown_keys_are_kept_and_reported(void **state)
{
	void *out = NULL;
	pvecg_rt_error err;
	Net *n;

	(void)state;
	assert_int_equal(pvecg_rt_propstr_parse(
	                     &out, &propstrs[PS_PERL], "virtio,queues=4,link_down=1", 0, &err),
	    0);
	n = out;
	assert_int_equal(err.code, 0);
	assert_string_equal(err.path, "queues");
	assert_string_equal(err.message, "2 unknown keys kept in extra");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(n->extra, "queues")), "4");
	{
		char *text = format_ok(PS_PERL, n);

		assert_string_equal(text, "virtio,link_down=1,queues=4");
		free(text);
	}
	pvecg_rt_free(&models[M_NET], n);
	assert_int_equal(pvecg_rt_propstr_parse(&out, &propstrs[PS_PERL], "virtio,queues=4",
	                     PVECG_RT_PS_STRICT_KEYS, &err),
	    PVECG_RT_EINVAL);
	assert_string_equal(err.path, "queues");
	assert_string_equal(err.message, "unknown key");
}

static void
test_perl_format_puts_default_key_first_then_sorted(void **state)
{
	Net *n = parse_ok(PS_PERL, "virtio=BC:24:11:2E:3F:4A,mtu=9000,bridge=vmbr0,firewall=on", 0);
	char *text = format_ok(PS_PERL, n);
	Net *again = parse_ok(PS_PERL, text, 0);
	char *text2 = format_ok(PS_PERL, again);

	(void)state;
	assert_string_equal(
	    text, "virtio,bridge=vmbr0,firewall=1,macaddr=BC:24:11:2E:3F:4A,mtu=9000");
	assert_string_equal(text2, text);
	assert_string_equal(again->macaddr, "BC:24:11:2E:3F:4A");
	free(text);
	free(text2);
	pvecg_rt_free(&models[M_NET], n);
	pvecg_rt_free(&models[M_NET], again);
}

static void
test_perl_format_refuses_what_perl_cannot_read(void **state)
{
	Net n;
	char *out = NULL;
	pvecg_rt_error err;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.model = "virtio";
	n.bridge = "vmbr0,vmbr1";
	assert_int_equal(
	    pvecg_rt_propstr_format(&out, &propstrs[PS_PERL], &n, &err), PVECG_RT_EINVAL);
	assert_null(out);
	assert_string_equal(err.path, "bridge");
	assert_non_null(strstr(err.message, "comma"));
	n.bridge = "";
	assert_int_equal(
	    pvecg_rt_propstr_format(&out, &propstrs[PS_PERL], &n, &err), PVECG_RT_EINVAL);
	assert_string_equal(err.path, "bridge");
	assert_non_null(strstr(err.message, "empty value"));
	n.bridge = "vmbr0\nx";
	assert_int_equal(
	    pvecg_rt_propstr_format(&out, &propstrs[PS_PERL], &n, &err), PVECG_RT_EINVAL);
	assert_string_equal(err.path, "bridge");
	assert_non_null(strstr(err.message, "line break"));
	n.bridge = NULL;
	n.has_mtu = true;
	n.mtu = 70000;
	assert_int_equal(
	    pvecg_rt_propstr_format(&out, &propstrs[PS_PERL], &n, &err), PVECG_RT_EINVAL);
	assert_string_equal(err.path, "mtu");
	n.has_mtu = false;
	n.model = NULL;
	assert_int_equal(
	    pvecg_rt_propstr_format(&out, &propstrs[PS_PERL], &n, &err), PVECG_RT_EINVAL);
	assert_string_equal(err.path, "model");
}

/* Both parsers read a default-key value holding '=' as key=value (Rust even
 * inside quotes), and Perl skips blank parts: such a value is written with
 * its key, so it reads back the same. */
static void
test_default_key_written_with_key_when_needed(void **state)
{
	static const char *const cases[][2] = {
		{ "model=  ,bridge=x", "model=  ,bridge=x" },
		{ "model=a=b", "model=a=b" },
		{ "model=virtio,bridge=x", "virtio,bridge=x" },
	};
	static const char *const rust[][2] = {
		{ "model=\"a=b\"", "model=\"a=b\"" },
		{ "\"a,b\"", "\"a,b\"" },
		{ "model=\"\"", "\"\"" },
	};

	(void)state;
	fields[6].cons = NO; /* the default key "model" as free text */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Net *n = parse_ok(PS_PERL, cases[i][0], 0), *back;
		char *text = format_ok(PS_PERL, n);

		assert_string_equal(text, cases[i][1]);
		back = parse_ok(PS_PERL, text, 0);
		assert_string_equal(back->model, n->model);
		free(text);
		pvecg_rt_free(&models[M_NET], n);
		pvecg_rt_free(&models[M_NET], back);
	}
	for (size_t i = 0; i < sizeof(rust) / sizeof(rust[0]); i++) {
		Net *n = parse_ok(PS_RUST, rust[i][0], 0), *back;
		char *text = format_ok(PS_RUST, n);

		assert_string_equal(text, rust[i][1]);
		back = parse_ok(PS_RUST, text, 0);
		assert_string_equal(back->model, n->model);
		free(text);
		pvecg_rt_free(&models[M_NET], n);
		pvecg_rt_free(&models[M_NET], back);
	}
}

static void
test_rust_dialect_quotes_and_unquotes(void **state)
{
	Net n, *back;
	char *text;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.model = "virtio";
	n.bridge = "a,b \"c\" \\d";
	text = format_ok(PS_RUST, &n);
	assert_string_equal(text, "virtio,bridge=\"a,b \\\"c\\\" \\\\d\"");
	back = parse_ok(PS_RUST, text, 0);
	assert_string_equal(back->bridge, "a,b \"c\" \\d");
	assert_string_equal(back->model, "virtio");
	free(text);
	pvecg_rt_free(&models[M_NET], back);
}

static void
test_indexed_family_is_an_array_with_typed_members(void **state)
{
	const char *json = "{\"name\":\"vm\",\"net0\":\"virtio=BC:24:11:2E:3F:4A,bridge=vmbr0\","
	                   "\"net3\":\"e1000,firewall=1\",\"net9\":\"virtio\",\"vga\":\"virtio\"}";
	void *out = NULL;
	pvecg_rt_error err;
	Config *c;
	char *text = NULL;

	(void)state;
	assert_int_equal(pvecg_rt_parse_text(
	                     &out, &models[M_CONFIG], json, strlen(json), PVECG_RT_PROPSTR, &err),
	    0);
	c = out;
	assert_string_equal(c->net[0], "virtio=BC:24:11:2E:3F:4A,bridge=vmbr0");
	assert_null(c->net[1]);
	assert_string_equal(c->net[3], "e1000,firewall=1");
	assert_non_null(c->net_parsed[0]);
	assert_string_equal(c->net_parsed[0]->macaddr, "BC:24:11:2E:3F:4A");
	assert_string_equal(c->net_parsed[3]->model, "e1000");
	assert_true(c->net_parsed[3]->firewall);
	assert_null(c->net_parsed[1]);
	assert_string_equal(c->vga_parsed->model, "virtio");
	/* past the maximum: kept as an unknown member */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(c->extra, "net9")), "virtio");
	assert_int_equal(pvecg_rt_to_text(&text, &models[M_CONFIG], c, &err), 0);
	assert_string_equal(text,
	    "{\"name\":\"vm\",\"net0\":\"virtio=BC:24:11:2E:3F:4A,bridge=vmbr0\","
	    "\"net3\":\"e1000,firewall=1\",\"vga\":\"virtio\",\"net9\":\"virtio\"}");
	cJSON_free(text);
	pvecg_rt_free(&models[M_CONFIG], c);
}

static void
test_typed_access_is_only_on_request(void **state)
{
	const char *json = "{\"net1\":\"virtio\",\"net1\":\"e1000\"}";
	void *out = NULL;
	pvecg_rt_error err;
	Config *c;

	(void)state;
	assert_int_equal(
	    pvecg_rt_parse_text(&out, &models[M_CONFIG], json, strlen(json), 0, &err), 0);
	c = out;
	assert_string_equal(c->net[1], "e1000"); /* the last of a repeated key */
	assert_null(c->net_parsed[1]);
	pvecg_rt_free(&models[M_CONFIG], c);
}

static void
test_bad_member_property_string_fails_the_parse_with_its_path(void **state)
{
	const char *json = "{\"net2\":\"virtio,mtu=0\"}";
	void *out = NULL;
	pvecg_rt_error err;

	(void)state;
	assert_int_equal(pvecg_rt_parse_text(
	                     &out, &models[M_CONFIG], json, strlen(json), PVECG_RT_PROPSTR, &err),
	    PVECG_RT_EINVAL);
	assert_null(out);
	assert_string_equal(err.path, "data.net2");
	assert_string_equal(err.message, "property string: mtu: below minimum 1");
}

static void
test_not_indexed_names_stay_unknown(void **state)
{
	const char *json = "{\"net01\":\"virtio\",\"net\":\"x\",\"net[n]\":\"y\",\"netx1\":\"z\"}";
	void *out = NULL;
	pvecg_rt_error err;
	Config *c;

	(void)state;
	assert_int_equal(
	    pvecg_rt_parse_text(&out, &models[M_CONFIG], json, strlen(json), 0, &err), 0);
	c = out;
	for (size_t i = 0; i < 4; i++)
		assert_null(c->net[i]);
	assert_int_equal(cJSON_GetArraySize(c->extra), 4);
	pvecg_rt_free(&models[M_CONFIG], c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_key_alias_sets_model_and_mac, setup),
		cmocka_unit_test_setup(test_default_key_needs_no_name, setup),
		cmocka_unit_test_setup(test_booleans_in_every_spelling, setup),
		cmocka_unit_test_setup(test_invalid_strings_name_key_and_reason, setup),
		cmocka_unit_test_setup(test_unknown_keys_are_kept_and_reported, setup),
		cmocka_unit_test_setup(test_perl_format_puts_default_key_first_then_sorted, setup),
		cmocka_unit_test_setup(test_perl_format_refuses_what_perl_cannot_read, setup),
		cmocka_unit_test_setup(test_default_key_written_with_key_when_needed, setup),
		cmocka_unit_test_setup(test_rust_dialect_quotes_and_unquotes, setup),
		cmocka_unit_test_setup(test_indexed_family_is_an_array_with_typed_members, setup),
		cmocka_unit_test_setup(test_typed_access_is_only_on_request, setup),
		cmocka_unit_test_setup(
		    test_bad_member_property_string_fails_the_parse_with_its_path, setup),
		cmocka_unit_test_setup(test_not_indexed_names_stay_unknown, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
