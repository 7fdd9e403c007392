/* checksums: SHA256SUMS as sha256sum writes it, and what the parser refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/checksums.h"

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_SHA "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/* sha256 of ABC_SHA "  models/b.h\n" */
#define SUMS_B_SHA "3117fa60a3cc2bbdf56048250534f7b28c1055d4d92eb48179a687c52070709b"

static void
test_checksums_lists_every_other_file_sorted(void **state)
{
	pvecg_files fs = { NULL, 0, 0 };
	const pvecg_file *f;

	(void)state;
	assert_int_equal(pvecg_files_add_copy(&fs, "models/b.h", "abc", 3), 0);
	assert_int_equal(pvecg_files_add_copy(&fs, "a.json", "", 0), 0);
	assert_int_equal(pvecg_checksums_add(&fs, NULL), 0);
	f = pvecg_files_get(&fs, "SHA256SUMS");
	assert_non_null(f);
	assert_int_equal(f->len, strlen(EMPTY_SHA "  a.json\n" ABC_SHA "  models/b.h\n"));
	assert_memory_equal(f->data, EMPTY_SHA "  a.json\n" ABC_SHA "  models/b.h\n", f->len);
	/* again: the old list is replaced, never listed */
	assert_int_equal(pvecg_checksums_add(&fs, NULL), 0);
	assert_int_equal(fs.n, 3);
	assert_string_equal(fs.items[0].path, "SHA256SUMS");
	f = pvecg_files_get(&fs, "SHA256SUMS");
	assert_memory_equal(f->data, EMPTY_SHA "  a.json\n" ABC_SHA "  models/b.h\n", f->len);
	pvecg_files_free(&fs);
}

/* Each file's hash is kept with it for the openapi pin and the self-check;
 * a replaced SHA256SUMS does not keep the hash of its old bytes. */
static void
test_checksums_keep_each_file_hash_with_the_file(void **state)
{
	pvecg_files fs = { NULL, 0, 0 };
	pvecg_file *f;

	(void)state;
	assert_int_equal(pvecg_files_add_copy(&fs, "models/b.h", "abc", 3), 0);
	f = pvecg_files_find(&fs, "models/b.h");
	assert_string_equal(f->sha256, "");
	assert_int_equal(pvecg_checksums_add(&fs, NULL), 0);
	assert_string_equal(pvecg_files_find(&fs, "models/b.h")->sha256, ABC_SHA);
	f = pvecg_files_find(&fs, "SHA256SUMS");
	assert_string_equal(pvecg_file_sha256(f), SUMS_B_SHA);
	assert_int_equal(pvecg_files_add_copy(&fs, "c.json", "", 0), 0);
	assert_int_equal(pvecg_checksums_add(&fs, NULL), 0);
	f = pvecg_files_find(&fs, "SHA256SUMS");
	assert_string_equal(f->sha256, "");
	assert_string_not_equal(pvecg_file_sha256(f), SUMS_B_SHA);
	pvecg_files_free(&fs);
}

static void
test_checksums_parse_reads_and_refuses(void **state)
{
	static const char *const bad[][2] = {
		{ EMPTY_SHA "  b\n" EMPTY_SHA "  a\n",
		    "line 2: a is not after b (paths are sorted, each once)" },
		{ EMPTY_SHA "  a\n" EMPTY_SHA "  a\n",
		    "line 2: a is not after a (paths are sorted, each once)" },
		{ EMPTY_SHA " a\n", "line 1: expected \"<sha256 hex>  <relative path>\"" },
		{ EMPTY_SHA "  ../a\n", "line 1: expected \"<sha256 hex>  <relative path>\"" },
		{ EMPTY_SHA "  /etc/passwd\n",
		    "line 1: expected \"<sha256 hex>  <relative path>\"" },
		{ "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855  a\n",
		    "line 1: expected \"<sha256 hex>  <relative path>\"" },
		{ EMPTY_SHA "  a", "last line does not end with a newline" },
	};
	pvecg_checksum *sums;
	pvecg_error err;
	static const char good[] = EMPTY_SHA "  a b\n" ABC_SHA "  m/c\n";
	size_t n, i;

	(void)state;
	assert_int_equal(pvecg_checksums_parse(&sums, &n, good, sizeof(good) - 1, "S", &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(sums[0].path, "a b");
	assert_string_equal(sums[1].hex, ABC_SHA);
	pvecg_checksums_free(sums, n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pvecg_error_clear(&err);
		assert_int_equal(
		    pvecg_checksums_parse(&sums, &n, bad[i][0], strlen(bad[i][0]), "S", &err),
		    PVECG_EINPUT);
		assert_null(sums);
		assert_string_equal(err.where, "S");
		assert_string_equal(err.message, bad[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksums_lists_every_other_file_sorted),
		cmocka_unit_test(test_checksums_keep_each_file_hash_with_the_file),
		cmocka_unit_test(test_checksums_parse_reads_and_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
