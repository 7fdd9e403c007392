/* util: the path helpers verify and the version listing share, on the
 * real filesystem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/util.h"

static void
test_path_join_refuses_what_does_not_fit(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(pvecg_path_join(out, sizeof(out), "gen", "9.1"), 0);
	assert_string_equal(out, "gen/9.1");
	assert_int_equal(pvecg_path_join(out, sizeof(out), "gen", "9.1x"), -1);
	assert_int_equal(pvecg_path_join(out, sizeof(out), "", ""), 0);
	assert_string_equal(out, "/");
}

static void
test_path_exists_follows_the_filesystem(void **state)
{
	char dir[] = "/tmp/pvecg-util-XXXXXX", file[PATH_MAX];
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(pvecg_path_join(file, sizeof(file), dir, "openapi.json"), 0);
	assert_int_equal(pvecg_path_exists(dir), 1);
	assert_int_equal(pvecg_path_exists(file), 0);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(pvecg_path_exists(file), 1);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(pvecg_path_exists(dir), 0);
}

static void
test_path_base_name_is_the_last_segment(void **state)
{
	const char *p = "generated/proxmox/9.1";

	(void)state;
	assert_ptr_equal(pvecg_path_base_name(p), p + 18);
	assert_string_equal(pvecg_path_base_name("9.1"), "9.1");
	assert_string_equal(pvecg_path_base_name("generated/"), "");
	assert_string_equal(pvecg_path_base_name("/latest"), "latest");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join_refuses_what_does_not_fit),
		cmocka_unit_test(test_path_exists_follows_the_filesystem),
		cmocka_unit_test(test_path_base_name_is_the_last_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
