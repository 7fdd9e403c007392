/* strmap: string -> int map with owned keys, across table growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/strmap.h"

static void
test_strmap_empty_map_finds_nothing(void **state)
{
	pvecg_strmap m = { 0 };

	(void)state;
	assert_null(pvecg_strmap_get(&m, "nodes"));
	pvecg_strmap_free(&m);
	assert_null(pvecg_strmap_get(&m, ""));
}

static void
test_strmap_put_replaces_and_copies_key(void **state)
{
	pvecg_strmap m = { 0 };
	char key[] = "GetClusterStatusResponse";

	(void)state;
	assert_int_equal(pvecg_strmap_put(&m, key, 2), 0);
	key[0] = 'X'; /* the map has its own copy */
	assert_int_equal(*pvecg_strmap_get(&m, "GetClusterStatusResponse"), 2);
	assert_null(pvecg_strmap_get(&m, key));
	assert_int_equal(pvecg_strmap_put(&m, "GetClusterStatusResponse", 1), 0);
	assert_int_equal(*pvecg_strmap_get(&m, "GetClusterStatusResponse"), 1);
	assert_int_equal(m.n, 1);
	assert_int_equal(pvecg_strmap_put(&m, "", -7), 0);
	assert_int_equal(*pvecg_strmap_get(&m, ""), -7);
	assert_int_equal(m.n, 2);
	pvecg_strmap_free(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, 0);
}

static void
test_strmap_keeps_every_key_across_growth(void **state)
{
	pvecg_strmap m = { 0 };
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "net%d", i);
		assert_int_equal(pvecg_strmap_put(&m, key, i), 0);
	}
	assert_int_equal(m.n, 5000);
	assert_true(m.cap >= 10000); /* at most half full */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "net%d", i);
		assert_non_null(pvecg_strmap_get(&m, key));
		assert_int_equal(*pvecg_strmap_get(&m, key), i);
	}
	assert_null(pvecg_strmap_get(&m, "net5000"));
	pvecg_strmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_empty_map_finds_nothing),
		cmocka_unit_test(test_strmap_put_replaces_and_copies_key),
		cmocka_unit_test(test_strmap_keeps_every_key_across_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
