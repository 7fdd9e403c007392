/* source: the one "URL or local path" decision, the exact URL form the
 * guard demands, origins. Every parser-differential spelling found is a
 * row here: classified as a URL (so never opened as a file) and refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pvecg/source.h"

static pvecg_fetch_policy
open_policy(void)
{
	pvecg_fetch_policy p;

	pvecg_fetch_policy_init(&p);
	p.allow_any_domain = true;
	return p;
}

/* Spellings libcurl (or a browser) reads as a URL that a "contains ://"
 * test would have taken for a relative path. */
static const char *const differential[] = {
	"https:/host/path",     /* one slash: libcurl accepts it */
	"https:host/path",      /* no slash */
	"https:///host/path",   /* three slashes */
	"https:\\\\host\\path", /* backslashes (browsers: slashes) */
	"https:/\\host/path",
	"HTTPS:/host/path",
	" https://host/path",    /* leading space */
	"\thttps://host/path",   /* leading tab */
	"\x01https://host/path", /* leading control character */
	"ht\ttps://host/path",   /* tab inside the scheme (browsers drop it) */
	"ht\ntps:/host/path",
	"file:/etc/passwd", /* file scheme, one slash */
	"file:etc/passwd",
	"javascript:alert(1)",
	"c:/windows",
};

static void
test_source_differentials_are_urls_and_refused(void **state)
{
	pvecg_fetch_policy p = open_policy();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(differential) / sizeof(differential[0]); i++) {
		pvecg_error e;

		if (pvecg_source_classify(differential[i]) != PVECG_SOURCE_URL)
			fail_msg("row %zu (%s) not classified as a URL", i, differential[i]);
		pvecg_error_clear(&e);
		if (pvecg_source_check_url(differential[i], &p, &e) != PVECG_EPOLICY)
			fail_msg("row %zu (%s) accepted by the guard", i, differential[i]);
		assert_null(strchr(e.message, '\n'));
	}
}

static void
test_source_paths(void **state)
{
	static const char *const paths[] = {
		"apidoc.js",
		"./https://host/x",
		"dir/https:/host",
		"/abs/path.json",
		"../x.html",
		"1http://host/",
		"-x:y",
		":x",
		"",
		"+a:b",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (pvecg_source_classify(paths[i]) != PVECG_SOURCE_PATH)
			fail_msg("%s: not classified as a path", paths[i]);
	assert_int_equal(pvecg_source_classify(NULL), PVECG_SOURCE_PATH);
	assert_int_equal(pvecg_source_classify("file:///tmp/x.js"), PVECG_SOURCE_FILE_URL);
	assert_int_equal(pvecg_source_classify("file://x.js"), PVECG_SOURCE_FILE_URL);
}

static void
test_source_exact_urls_pass(void **state)
{
	pvecg_fetch_policy p = open_policy();
	pvecg_error e;

	(void)state;
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_source_check_url("https://pve.example.com:8006", &p, &e), 0);
	assert_int_equal(
	    pvecg_source_check_url("https://pve.example.com/pve-docs/api-viewer/", &p, &e), 0);
	assert_int_equal(pvecg_source_check_url("https:/pve.example.com/", &p, &e), PVECG_EPOLICY);
	assert_non_null(strstr(e.message, "exactly two slashes"));
	assert_int_equal(pvecg_source_check_url("", &p, &e), PVECG_EPOLICY);
}

static void
test_source_host_urls(void **state)
{
	(void)state;
	assert_true(pvecg_source_is_host_url("https://pve1.lan:8006"));
	assert_true(pvecg_source_is_host_url("https://pve1.lan:8006/"));
	assert_true(pvecg_source_is_host_url("https://[::1]:8006/"));
	assert_false(pvecg_source_is_host_url("https://pve1.lan:8006//"));
	assert_false(pvecg_source_is_host_url("https://pve1.lan:8006/x"));
	assert_false(pvecg_source_is_host_url("https://pve1.lan:8006?a"));
	assert_false(pvecg_source_is_host_url("https:/pve1.lan"));
	assert_false(pvecg_source_is_host_url("pve1.lan:8006"));
}

static void
test_source_origins(void **state)
{
	char *o = NULL;

	(void)state;
	assert_int_equal(pvecg_source_origin(&o, "HTTPS://PVE1.Lan/x/y?q#f", NULL), 0);
	assert_string_equal(o, "https://pve1.lan:443");
	free(o);
	assert_true(pvecg_source_same_origin("https://a.lan/x", "https://A.lan:443/y"));
	assert_false(pvecg_source_same_origin("https://a.lan:8006/", "https://a.lan:8007/"));
	assert_false(pvecg_source_same_origin("https://a.lan/", "http://a.lan:443/"));
	assert_false(pvecg_source_same_origin("https://a.lan/", "https://a.lan.evil/"));
	assert_false(pvecg_source_same_origin("https://a.lan/", "https://evil@a.lan.x/"));
	assert_false(pvecg_source_same_origin(NULL, "https://a.lan/"));
	/* Spellings libcurl normalizes compare as the host it connects to;
	 * a trailing dot is another name and gets no credentials. */
	assert_true(pvecg_source_same_origin("https://%70ve.lan:8006/", "https://pve.lan:8006"));
	assert_true(pvecg_source_same_origin("https://pve.lan:08006/", "https://pve.lan:8006"));
	assert_true(
	    pvecg_source_same_origin("https://pve.lan:8006#x@evil/", "https://pve.lan:8006"));
	assert_false(pvecg_source_same_origin("https://pve.lan.:8006/", "https://pve.lan:8006"));
	assert_false(pvecg_source_same_origin("https://pve.lan/", "https://pve.lan:8006"));
	assert_false(pvecg_source_same_origin("https://a.lan/", "relative/path"));
	assert_int_equal(pvecg_source_origin(&o, "no-url", NULL), PVECG_EUSAGE);
	assert_null(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_differentials_are_urls_and_refused),
		cmocka_unit_test(test_source_paths),
		cmocka_unit_test(test_source_exact_urls_pass),
		cmocka_unit_test(test_source_host_urls),
		cmocka_unit_test(test_source_origins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
