/* Unit tests for the JSON Schema subset validator used by verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

/* JSON written with ' for " so the cases stay readable. */
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

struct seen {
	char lines[16][256];
	size_t n;
};

static void
record(void *ctx, const char *path, const char *message)
{
	struct seen *s = ctx;

	if (s->n < 16)
		snprintf(s->lines[s->n++], sizeof(s->lines[0]), "%s: %s", path, message);
}

/* Runs one validation; returns the violation count, lines in *seen. */
static size_t
run(const char *schema_q, const char *inst_q, struct seen *seen)
{
	cJSON *schema = parse_q(schema_q), *inst = parse_q(inst_q);
	pvecg_error err;
	size_t n = 99;

	memset(seen, 0, sizeof(*seen));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_jschema_validate(&n, schema, inst, 0, record, seen, &err), 0);
	cJSON_Delete(schema);
	cJSON_Delete(inst);
	return n;
}

static const char *const obj_schema =
    "{'type':'object','required':['a','sha'],'additionalProperties':false,"
    "'properties':{'a':{'type':'integer','minimum':1,'maximum':9},"
    "'sha':{'type':'string','pattern':'^[0-9a-f]{4}$'},"
    "'kind':{'enum':['array','object']},'tags':{'type':'array','items':{'type':'string','minLength'"
    ":2}},"
    "'v':{'const':1},'n':{'type':['string','null']}},"
    "'patternProperties':{'^net\\\\d+$':{'type':'string'}}}";

static void
test_jschema_accepts_valid_instance(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run(obj_schema,
	                     "{'a':3,'sha':'00af','kind':'array','tags':['ab'],"
	                     "'v':1,'n':null,'net0':'x','net12':'y'}",
	                     &s),
	    0);
	assert_int_equal(s.n, 0);
}

static void
test_jschema_reports_every_violation_with_path(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run(obj_schema,
	                     "{'a':0,'kind':'list','tags':['ok','x'],'zzz':1,"
	                     "'v':2,'n':5,'net1':3}",
	                     &s),
	    8);
	assert_string_equal(s.lines[0], "$: missing required member \"sha\"");
	assert_string_equal(s.lines[1], "$.a: 0 violates minimum 1");
	assert_string_equal(s.lines[2], "$.kind: value is not one of the enum values");
	assert_string_equal(s.lines[3], "$.tags[1]: 1 violates minLength 2");
	assert_string_equal(s.lines[4], "$.zzz: unexpected member");
	assert_string_equal(s.lines[5], "$.v: value is not the required constant");
	assert_string_equal(s.lines[6], "$.n: expected string|null, got number");
	assert_string_equal(s.lines[7], "$.net1: expected string, got number");
}

static void
test_jschema_integer_rejects_fraction(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run("{'type':'integer'}", "1.5", &s), 1);
	assert_string_equal(s.lines[0], "$: expected integer, got number");
	assert_int_equal(run("{'type':'integer'}", "7", &s), 0);
}

static void
test_jschema_pattern_translates_digit_class(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run("{'pattern':'^a\\\\d+$'}", "'a12'", &s), 0);
	assert_int_equal(run("{'pattern':'^a\\\\d+$'}", "'ab'", &s), 1);
	assert_string_equal(s.lines[0], "$: does not match pattern ^a\\d+$");
	/* non-strings are not the pattern's business */
	assert_int_equal(run("{'pattern':'^a$'}", "5", &s), 0);
}

static void
test_jschema_resolves_defs_ref(void **state)
{
	struct seen s;
	const char *schema = "{'type':'array','items':{'$ref':'#/$defs/r'},"
	                     "'$defs':{'r':{'type':'object','required':['x'],'properties':{'x':{'$"
	                     "ref':'#/$defs/p'}}},"
	                     "'p':{'type':'string','pattern':'^/'}}}";

	(void)state;
	assert_int_equal(run(schema, "[{'x':'/a'},{'x':'b'},{}]", &s), 2);
	assert_string_equal(s.lines[0], "$[1].x: does not match pattern ^/");
	assert_string_equal(s.lines[1], "$[2]: missing required member \"x\"");
}

static void
test_jschema_anyof_and_oneof(void **state)
{
	struct seen s;
	const char *any = "{'anyOf':[{'type':'string'},{'type':'null'}]}";
	const char *one = "{'oneOf':[{'type':'integer'},{'type':'number'}]}";

	(void)state;
	assert_int_equal(run(any, "null", &s), 0);
	assert_int_equal(run(any, "3", &s), 1);
	assert_string_equal(s.lines[0], "$: matches none of the anyOf schemas");
	assert_int_equal(run(one, "1.5", &s), 0);
	assert_int_equal(run(one, "2", &s), 1);
	assert_string_equal(s.lines[0], "$: matches more than one of the oneOf schemas");
}

static void
test_jschema_prefix_items_then_items(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run("{'prefixItems':[{'type':'string'}],'items':{'type':'integer'},"
	                     "'minItems':2,'maxItems':3}",
	                     "['a',1,'b']", &s),
	    1);
	assert_string_equal(s.lines[0], "$[2]: expected integer, got string");
	assert_int_equal(run("{'minItems':2}", "[1]", &s), 1);
}

static void
test_jschema_false_schema_rejects_everything(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(run("{'properties':{'x':false}}", "{'x':1}", &s), 1);
	assert_string_equal(s.lines[0], "$.x: no value is allowed here");
	assert_int_equal(run("{'properties':{'x':false}}", "{'y':1}", &s), 0);
}

static void
test_jschema_odd_keys_use_bracket_path(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(
	    run("{'additionalProperties':{'type':'integer'}}", "{'/nodes/{node}':'x'}", &s), 1);
	assert_string_equal(s.lines[0], "$[\"/nodes/{node}\"]: expected integer, got string");
}

static void
test_jschema_caps_reports_but_counts_all(void **state)
{
	cJSON *schema = parse_q("{'items':{'type':'string'}}"), *inst = parse_q("[1,2,3,4]");
	struct seen s;
	pvecg_error err;
	size_t n = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(pvecg_jschema_validate(&n, schema, inst, 2, record, &s, &err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(s.n, 2);
	cJSON_Delete(schema);
	cJSON_Delete(inst);
}

static int
schema_error(const char *schema_q, const char *needle)
{
	cJSON *schema = parse_q(schema_q), *inst = parse_q("{'a':1}");
	pvecg_error err;
	size_t n = 0;
	int rc;

	pvecg_error_clear(&err);
	rc = pvecg_jschema_validate(&n, schema, inst, 0, NULL, NULL, &err);
	if (rc != 0 && strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	cJSON_Delete(schema);
	cJSON_Delete(inst);
	return rc;
}

static void
test_jschema_refuses_unsupported_keyword(void **state)
{
	(void)state;
	assert_int_equal(
	    schema_error("{'dependentRequired':{'a':['b']}}", "dependentRequired"), PVECG_EINPUT);
	assert_int_equal(
	    schema_error("{'properties':{'a':{'multipleOf':2}}}", "multipleOf"), PVECG_EINPUT);
}

static void
test_jschema_refuses_bad_ref_and_pattern(void **state)
{
	(void)state;
	assert_int_equal(schema_error("{'$ref':'#/$defs/none'}", "does not resolve"), PVECG_EINPUT);
	assert_int_equal(schema_error("{'$ref':'other.json#/x'}", "only local"), PVECG_EINPUT);
	assert_int_equal(schema_error("{'properties':{'a':{'type':'integer'}},"
	                              "'patternProperties':{'(':{}}}",
	                     "does not compile"),
	    PVECG_EINPUT);
}

static void
test_jschema_stops_on_ref_loop(void **state)
{
	(void)state;
	assert_int_equal(
	    schema_error("{'$defs':{'a':{'$ref':'#/$defs/a'}},'$ref':'#/$defs/a'}", "too deep"),
	    PVECG_EINPUT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jschema_accepts_valid_instance),
		cmocka_unit_test(test_jschema_reports_every_violation_with_path),
		cmocka_unit_test(test_jschema_integer_rejects_fraction),
		cmocka_unit_test(test_jschema_pattern_translates_digit_class),
		cmocka_unit_test(test_jschema_resolves_defs_ref),
		cmocka_unit_test(test_jschema_anyof_and_oneof),
		cmocka_unit_test(test_jschema_prefix_items_then_items),
		cmocka_unit_test(test_jschema_false_schema_rejects_everything),
		cmocka_unit_test(test_jschema_odd_keys_use_bracket_path),
		cmocka_unit_test(test_jschema_caps_reports_but_counts_all),
		cmocka_unit_test(test_jschema_refuses_unsupported_keyword),
		cmocka_unit_test(test_jschema_refuses_bad_ref_and_pattern),
		cmocka_unit_test(test_jschema_stops_on_ref_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
