/* jsrun sandbox: hostile scripts end with a clean error inside the time
 * and memory limits, and leave no child process or descriptor behind. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "pvecg/jsrun.h"
#include "pvecg/util.h"

static size_t
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void
assert_no_child_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

typedef struct run {
	int rc;
	double seconds;
	pvecg_jsrun_result r;
	pvecg_error err;
} run;

static void
run_js(run *out, const char *js, double timeout_s, size_t memory_mib)
{
	pvecg_script s = { "hostile.js", js, strlen(js) };
	pvecg_jsrun_limits lim;
	size_t fds = open_fds();
	double t0;

	pvecg_jsrun_limits_init(&lim);
	lim.timeout_s = timeout_s;
	lim.memory = memory_mib << 20;
	pvecg_error_clear(&out->err);
	t0 = pvecg_now();
	out->rc = pvecg_jsrun_run(&out->r, &s, 1, &lim, &out->err);
	out->seconds = pvecg_now() - t0;
	assert_no_child_left();
	assert_int_equal(open_fds(), fds);
}

static void
test_sandbox_stops_endless_loop_at_timeout(void **state)
{
	run x;

	(void)state;
	run_js(&x, "var apiSchema = [];\nwhile (true) {}\n", 1, 64);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script ran longer than the --js-timeout of 1 s");
	assert_string_equal(x.err.where, "hostile.js");
	assert_true(x.seconds >= 1.0);
	assert_true(x.seconds < 3.0);
	assert_null(x.r.schema);
}

static void
test_sandbox_stops_memory_bomb_at_limit(void **state)
{
	run x;

	(void)state;
	/* distinct 1 MB strings (duktape interns equal ones; repeat() is much
	 * faster than Array.join() in duktape) */
	run_js(&x, "var a = []; while (1) a.push('x'.repeat(1e6) + a.length);", 60, 64);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script exceeded the --js-memory limit of 64 MiB");
	assert_null(x.r.schema);
}

static void
test_sandbox_stops_equal_string_bomb(void **state)
{
	run x;

	(void)state;
	/* Every join gives the same interned string: this bomb only burns
	 * time, and the time limit ends it. */
	run_js(&x, "var a = []; while (1) a.push(new Array(1e6).join('x'));", 2, 64);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script ran longer than the --js-timeout of 2 s");
	assert_true(x.seconds < 4.0);
}

static void
test_sandbox_stops_doubling_string_at_limit(void **state)
{
	run x;

	(void)state;
	run_js(&x, "var s = 'x'; while (true) s += s;", 60, 64);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script exceeded the --js-memory limit of 64 MiB");
}

/* The statement splitter's own arrays count against the limit too: 20 MiB
 * of '[' nest 20 Mi levels, more than a 16 MiB budget holds. */
static void
test_sandbox_counts_splitter_memory_against_limit(void **state)
{
	size_t n = (size_t)20 << 20;
	char *js = malloc(n + 1);
	run x;

	(void)state;
	assert_non_null(js);
	memset(js, '[', n);
	js[n] = '\0';
	run_js(&x, js, 20, 16);
	free(js);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script exceeded the --js-memory limit of 16 MiB");
	assert_null(x.r.schema);
}

static void
test_sandbox_skips_deep_recursion(void **state)
{
	run x;

	(void)state;
	run_js(&x,
	    "function g(n) { return 1 + g(n + 1); }\ng(0);\n"
	    "var apiSchema = [{\"path\": \"/\", \"children\": []}];\n",
	    10, 64);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.r.statements, 3);
	assert_int_equal(x.r.skipped, 1); /* g(0): RangeError, not a crash */
	assert_int_equal(cJSON_GetArraySize(x.r.schema), 1);
	pvecg_jsrun_result_free(&x.r);
}

static void
test_sandbox_stops_endless_tail_recursion(void **state)
{
	run x;

	(void)state;
	/* duktape turns `return f()` into a tail call: an endless loop */
	run_js(&x, "function f() { return f(); } f();", 1, 64);
	assert_int_equal(x.rc, PVECG_ELIMIT);
	assert_string_equal(x.err.message, "script ran longer than the --js-timeout of 1 s");
}

static void
test_sandbox_rejects_invalid_limits(void **state)
{
	pvecg_script s = { "x.js", "var a;", 6 };
	pvecg_jsrun_limits lim = { 0, 1 << 20 };
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_jsrun_run(&r, &s, 1, &lim, &err), PVECG_EUSAGE);
	assert_no_child_left();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox_stops_endless_loop_at_timeout),
		cmocka_unit_test(test_sandbox_stops_memory_bomb_at_limit),
		cmocka_unit_test(test_sandbox_stops_equal_string_bomb),
		cmocka_unit_test(test_sandbox_stops_doubling_string_at_limit),
		cmocka_unit_test(test_sandbox_counts_splitter_memory_against_limit),
		cmocka_unit_test(test_sandbox_skips_deep_recursion),
		cmocka_unit_test(test_sandbox_stops_endless_tail_recursion),
		cmocka_unit_test(test_sandbox_rejects_invalid_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
