/* The canonical JSON writer: every artifact's bytes depend on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/json.h"

static char *
canon(const char *text)
{
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *n = pvecg_json_parse(text, strlen(text), NULL);

	assert_non_null(n);
	assert_int_equal(pvecg_json_write(&b, n), 0);
	cJSON_Delete(n);
	return pvecg_buf_steal(&b, NULL);
}

static void
test_json_sorts_keys_and_indents_two_spaces(void **state)
{
	char *s = canon("{\"b\":1,\"a\":{\"d\":[],\"c\":{}},\"A\":[1,2]}");

	(void)state;
	assert_string_equal(s,
	    "{\n  \"A\": [\n    1,\n    2\n  ],\n  \"a\": {\n    \"c\": {},\n    \"d\": []\n  },\n "
	    " \"b\": 1\n}\n");
	free(s);
}

static void
test_json_numbers_are_stable(void **state)
{
	char *s = canon("[0, -0, 1, -7, 1e3, 0.1, 2.5, 1e300, 123456789012, 9007199254740993]");

	(void)state;
	assert_string_equal(s,
	    "[\n  0,\n  0,\n  1,\n  -7,\n  1000,\n  0.1,\n  2.5,\n  1e+300,\n  123456789012,\n  "
	    "9007199254740992\n]\n");
	free(s);
}

static void
test_json_escapes_control_characters(void **state)
{
	char *s = canon("\"a\\\"b\\\\c\\n\\u0001\\u00e9\"");

	(void)state;
	assert_string_equal(s, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"\n");
	free(s);
}

static void
test_json_keeps_duplicate_keys_in_input_order(void **state)
{
	char *s = canon("{\"k\":2,\"a\":0,\"k\":1}");

	(void)state;
	assert_string_equal(s, "{\n  \"a\": 0,\n  \"k\": 2,\n  \"k\": 1\n}\n");
	free(s);
}

static void
test_json_keeps_nul_characters_through_a_round_trip(void **state)
{
	char *s = canon("[\"[^\\u0000-\\u001f]\", \"\\\\u0000\", \"x\\u0000\"]");

	(void)state;
	/* a real NUL comes back escaped; an escaped backslash stays one */
	assert_string_equal(
	    s, "[\n  \"[^\\u0000-\\u001f]\",\n  \"\\\\u0000\",\n  \"x\\u0000\"\n]\n");
	free(s);
}

static void
test_json_copies_a_lone_c0_byte(void **state)
{
	char *s = canon("\"a\xc0\\\"\"");

	(void)state;
	assert_string_equal(s, "\"a\xc0\\\"\"\n");
	free(s);
}

static void
test_json_truthy_follows_proxmox(void **state)
{
	cJSON *v = cJSON_Parse("[1, 0, \"1\", \"0\", true, false, \"yes\", null]");
	int expect[] = { 1, 0, 1, 0, 1, 0, 1, 0 };
	int i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(pvecg_json_truthy(cJSON_GetArrayItem(v, i)), expect[i]);
	cJSON_Delete(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_sorts_keys_and_indents_two_spaces),
		cmocka_unit_test(test_json_numbers_are_stable),
		cmocka_unit_test(test_json_escapes_control_characters),
		cmocka_unit_test(test_json_keeps_duplicate_keys_in_input_order),
		cmocka_unit_test(test_json_keeps_nul_characters_through_a_round_trip),
		cmocka_unit_test(test_json_copies_a_lone_c0_byte),
		cmocka_unit_test(test_json_truthy_follows_proxmox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
