/* httpmethod: the one list of methods, its by-name order, the counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/httpmethod.h"

static void
test_methods_are_the_four_of_the_viewer(void **state)
{
	int i, seen = 0;

	(void)state;
	assert_string_equal(pvecg_httpmethods_text, "GET, POST, PUT, DELETE");
	for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
		assert_int_equal(pvecg_httpmethod_find_upper(pvecg_httpmethods[i].upper), i);
		assert_int_equal(pvecg_httpmethod_find_lower(pvecg_httpmethods[i].lower), i);
	}
	assert_int_equal(pvecg_httpmethod_find_upper("PATCH"), -1);
	assert_int_equal(pvecg_httpmethod_find_upper("get"), -1);
	assert_int_equal(pvecg_httpmethod_find_lower("GET"), -1);
	assert_int_equal(pvecg_httpmethod_find_lower("parameters"), -1);
	assert_int_equal(pvecg_httpmethod_find_upper(NULL), -1);
	/* by_name: a permutation, in strcmp order */
	for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
		seen |= 1 << pvecg_httpmethods_by_name[i];
		if (i > 0)
			assert_true(
			    strcmp(pvecg_httpmethods[pvecg_httpmethods_by_name[i - 1]].upper,
			        pvecg_httpmethods[pvecg_httpmethods_by_name[i]].upper) < 0);
	}
	assert_int_equal(seen, (1 << PVECG_HTTP_NMETHODS) - 1);
}

static void
test_count_operations_counts_method_objects_only(void **state)
{
	cJSON *doc = cJSON_Parse(
	    "{\"paths\":{"
	    "\"/a\":{\"get\":{},\"post\":{},\"parameters\":[],\"summary\":\"s\"},"
	    "\"/b\":{\"delete\":{},\"patch\":{},\"put\":\"not an object\"},"
	    "\"/c\":{}}}");
	long paths, per[PVECG_HTTP_NMETHODS];

	(void)state;
	assert_non_null(doc);
	assert_int_equal(pvecg_httpmethod_count_operations(doc, &paths, per), 3);
	assert_int_equal(paths, 3);
	assert_int_equal(per[pvecg_httpmethod_find_upper("GET")], 1);
	assert_int_equal(per[pvecg_httpmethod_find_upper("POST")], 1);
	assert_int_equal(per[pvecg_httpmethod_find_upper("PUT")], 0);
	assert_int_equal(per[pvecg_httpmethod_find_upper("DELETE")], 1);
	assert_int_equal(pvecg_httpmethod_count_operations(NULL, &paths, NULL), 0);
	assert_int_equal(paths, 0);
	cJSON_Delete(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_are_the_four_of_the_viewer),
		cmocka_unit_test(test_count_operations_counts_method_objects_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
