/* serve helpers through their private header: rate-limit table (eviction,
 * failed-authentication waits) and error details without server paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/serve_int.h"

static void
test_serve_rate_full_table_evicts_the_longest_idle(void **state)
{
	serve_rate *t;
	long retry = 0;
	char c[32];

	(void)state;
	assert_int_equal(serve_rate_new(&t, 4), 0);
	/* four clients, each with a drained bucket of 1 per hour */
	for (int k = 0; k < 4; k++) {
		snprintf(c, sizeof(c), "10.0.0.%d", k);
		assert_int_equal(serve_rate_take(t, c, SERVE_RC_READ, 1, 100.0 + k, &retry), 0);
	}
	assert_int_equal(serve_rate_count(t), 4);
	/* a fifth client is served, not refused: 10.0.0.0 (idle longest) made room */
	assert_int_equal(serve_rate_take(t, "10.0.0.9", SERVE_RC_READ, 1, 110.0, &retry), 0);
	assert_int_equal(serve_rate_count(t), 4);
	/* the others kept their drained buckets */
	assert_int_equal(serve_rate_take(t, "10.0.0.3", SERVE_RC_READ, 1, 111.0, &retry), 1);
	assert_int_equal(retry, 3600 - 8);
	/* the evicted one starts afresh */
	assert_int_equal(serve_rate_take(t, "10.0.0.0", SERVE_RC_READ, 1, 112.0, &retry), 0);
	serve_rate_free(t);
}

static void
test_serve_rate_auth_waits_grow_and_are_forgotten(void **state)
{
	static const long want[] = { 1, 2, 4, 8, 16, 32, 60, 60 };
	serve_rate *t;
	long retry = 0;
	double now = 1000.0;

	(void)state;
	assert_int_equal(serve_rate_new(&t, 16), 0);
	for (int k = 0; k < SERVE_AUTH_FREE - 1; k++) {
		serve_rate_auth_failed(t, "192.0.2.1", now);
		assert_int_equal(serve_rate_auth_blocked(t, "192.0.2.1", now, &retry), 0);
	}
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		serve_rate_auth_failed(t, "192.0.2.1", now);
		assert_int_equal(serve_rate_auth_blocked(t, "192.0.2.1", now, &retry), 1);
		assert_int_equal(retry, want[k]);
		/* another client is not affected */
		assert_int_equal(serve_rate_auth_blocked(t, "192.0.2.2", now, &retry), 0);
		now += (double)want[k];
		assert_int_equal(serve_rate_auth_blocked(t, "192.0.2.1", now, &retry), 0);
	}
	/* after a quiet SERVE_AUTH_FORGET_S the count starts over */
	now += SERVE_AUTH_FORGET_S + 1;
	serve_rate_auth_failed(t, "192.0.2.1", now);
	assert_int_equal(serve_rate_auth_blocked(t, "192.0.2.1", now, &retry), 0);
	serve_rate_free(t);
}

static void
test_serve_rate_refund_gives_the_token_back(void **state)
{
	serve_rate *t;
	long retry = 0;

	(void)state;
	assert_int_equal(serve_rate_new(&t, 8), 0);
	assert_int_equal(serve_rate_take(t, "a", SERVE_RC_GENERATE, 1, 50.0, &retry), 0);
	assert_int_equal(serve_rate_take(t, "a", SERVE_RC_GENERATE, 1, 50.0, &retry), 1);
	serve_rate_refund(t, "a", SERVE_RC_GENERATE, 1);
	assert_int_equal(serve_rate_take(t, "a", SERVE_RC_GENERATE, 1, 50.0, &retry), 0);
	/* classes are separate */
	assert_int_equal(serve_rate_take(t, "a", SERVE_RC_READ, 1, 50.0, &retry), 0);
	serve_rate_free(t);
}

static void
detail_is(
    const char *where, const char *message, const char *root, const char *tag, const char *want)
{
	pvecg_error e;
	char out[1200];

	memset(&e, 0, sizeof(e));
	snprintf(e.where, sizeof(e.where), "%s", where);
	snprintf(e.message, sizeof(e.message), "%s", message);
	serve_http_detail(out, sizeof(out), &e, root, tag);
	assert_string_equal(out, want);
}

static void
test_serve_http_detail_hides_server_paths(void **state)
{
	(void)state;
	detail_is("/srv/gen/proxmox/.9.1.lock", "cannot open lock: Is a directory", "/srv/gen",
	    "9.1", "proxmox/.9.1.lock: cannot open lock: Is a directory");
	detail_is("/var/tmp/x", "cannot create: No space left on device", "/srv/gen", "9.1",
	    "version 9.1: cannot create: No space left on device");
	detail_is("generated/proxmox/latest", "points at '/srv/other/8.4', not at '9.1'",
	    "generated", "9.1", "proxmox/latest: points at '<server path>', not at '9.1'");
	detail_is("https://pve.example:8006/pve-docs/api-viewer/", "HTTP 404", "/srv/gen", "9.1",
	    "https://pve.example:8006/pve-docs/api-viewer/: HTTP 404");
	detail_is("", "no schema array found", "/srv/gen", NULL, "no schema array found");
	detail_is("/etc/passwd", "x", "/srv/gen", NULL, "version (server): x");
	assert_string_equal(serve_http_under("/srv/gen/proxmox/9.1", "/srv/gen"), "proxmox/9.1");
	assert_string_equal(serve_http_under("/srv/general/x/9.1", "/srv/gen"), "9.1");
	assert_string_equal(serve_http_under("generated/pbs/4", "generated"), "pbs/4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve_rate_full_table_evicts_the_longest_idle),
		cmocka_unit_test(test_serve_rate_auth_waits_grow_and_are_forgotten),
		cmocka_unit_test(test_serve_rate_refund_gives_the_token_back),
		cmocka_unit_test(test_serve_http_detail_hides_server_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
