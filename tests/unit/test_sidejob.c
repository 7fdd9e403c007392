/* sidejob: documents made in order on a second thread, each hashed there;
 * a wait for one of them; the files added in order; a failure stops the
 * rest and is the one reported; nothing made is leaked (ASan checks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/util.h"
#include "../../src/sidejob.h"

/* The document is its tag; "fail" fails; sha, when set, is appended. */
static int
make_text(const pvecg_side_doc *d, pvecg_buf *out, pvecg_error *err)
{
	if (strcmp(d->tag, "fail") == 0)
		return pvecg_error_set(err, PVECG_EINPUT, d->name, "made to fail");
	if (pvecg_buf_puts(out, d->tag) != 0 ||
	    (d->sha != NULL && pvecg_buf_puts(out, d->sha) != 0))
		return PVECG_ENOMEM;
	return 0;
}

static void
test_sidejob_makes_hashes_and_adds_in_order(void **state)
{
	pvecg_side_doc docs[3] = {
		{ .make = make_text, .name = "a.json", .tag = "first" },
		{ .make = make_text, .name = "b.json", .tag = "second", .sha = docs[0].sha256 },
		{ .make = make_text, .name = "c.json", .tag = "third" },
	};
	pvecg_files files = { NULL, 0, 0 };
	pvecg_side side;
	pvecg_error err;
	char hex[65], want[128];

	(void)state;
	pvecg_error_clear(&err);
	pvecg_side_start(&side, docs, 3);
	assert_int_equal(pvecg_side_wait(&side, 0), 0);
	pvecg_sha256_hex(hex, "first", 5);
	assert_string_equal(docs[0].sha256, hex);
	assert_int_equal(pvecg_side_finish(&side, &files, 0, &err), 0);
	assert_int_equal(files.n, 3);
	assert_string_equal(files.items[0].path, "a.json");
	assert_string_equal(files.items[1].path, "b.json");
	assert_string_equal(files.items[2].path, "c.json");
	/* the second document was made after the first's hash was known */
	snprintf(want, sizeof(want), "second%s", hex);
	assert_int_equal(files.items[1].len, strlen(want));
	assert_memory_equal(files.items[1].data, want, strlen(want));
	/* the hash each file carries is the hash of its bytes */
	pvecg_sha256_hex(hex, want, strlen(want));
	assert_string_equal(pvecg_file_sha256(&files.items[1]), hex);
	pvecg_files_free(&files);
}

static void
test_sidejob_failure_stops_the_rest_and_is_reported(void **state)
{
	pvecg_side_doc docs[3] = {
		{ .make = make_text, .name = "a.json", .tag = "first" },
		{ .make = make_text, .name = "b.json", .tag = "fail" },
		{ .make = make_text, .name = "c.json", .tag = "third" },
	};
	pvecg_files files = { NULL, 0, 0 };
	pvecg_side side;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	pvecg_side_start(&side, docs, 3);
	assert_int_equal(pvecg_side_wait(&side, 0), 0);
	assert_int_equal(pvecg_side_wait(&side, 2), PVECG_EINPUT);
	assert_int_equal(pvecg_side_finish(&side, &files, 0, &err), PVECG_EINPUT);
	assert_string_equal(err.where, "b.json");
	assert_non_null(strstr(err.message, "made to fail"));
	assert_false(docs[2].made);
	assert_int_equal(files.n, 0); /* nothing of a failed set is kept */
	pvecg_files_free(&files);
}

static void
test_sidejob_earlier_error_of_the_caller_wins(void **state)
{
	pvecg_side_doc doc = { .make = make_text, .name = "a.json", .tag = "fail" };
	pvecg_files files = { NULL, 0, 0 };
	pvecg_side side;
	pvecg_error err;

	(void)state;
	pvecg_error_set(&err, PVECG_EIO, "caller", "its own failure");
	pvecg_side_start(&side, &doc, 1);
	assert_int_equal(pvecg_side_finish(&side, &files, PVECG_EIO, &err), PVECG_EIO);
	assert_string_equal(err.where, "caller");
	assert_int_equal(files.n, 0);
	pvecg_files_free(&files);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sidejob_makes_hashes_and_adds_in_order),
		cmocka_unit_test(test_sidejob_failure_stops_the_rest_and_is_reported),
		cmocka_unit_test(test_sidejob_earlier_error_of_the_caller_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
