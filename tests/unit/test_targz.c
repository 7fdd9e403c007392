/* targz: archives read back by real tar (GNU tar -xzf) and by Python's
 * tarfile, with exact names, types, modes and bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/output.h"
#include "pvecg/targz.h"
#include "pvecg/util.h"

static char root[PATH_MAX];

/* A name of 130 bytes: ustar keeps it as prefix "/" name. */
#define LONG_DIR \
	"m/" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaa/"
#define LONG_FILE LONG_DIR "long-file-name.c"
#define BIG_LEN 200000

static unsigned char big[BIG_LEN];

static int
setup(void **state)
{
	uint32_t x = 12345;

	(void)state;
	/* half text (compressible), half pseudo-random bytes including NUL */
	for (size_t k = 0; k < BIG_LEN; k++) {
		x = x * 1103515245u + 12345u;
		big[k] = k < BIG_LEN / 2 ? (unsigned char)"static int x;\n"[k % 14]
		                         : (unsigned char)(x >> 16);
	}
	snprintf(root, sizeof(root), "/tmp/pvecg-targz-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return pvecg_output_remove(root, NULL);
}

/* The archive every test reads: a directory, an empty file, a file of
 * exactly one block, a long name, and 200 kB of mixed bytes. */
static void
build(pvecg_buf *out)
{
	static char block[512];
	pvecg_targz *t = NULL;
	pvecg_error err;

	memset(block, 'b', sizeof(block));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_targz_new(&t, &err), 0);
	assert_int_equal(pvecg_targz_add_dir(t, "m/", 1700000000, &err), 0);
	assert_int_equal(pvecg_targz_add_file(t, "m/empty.h", "", 0, 1700000001, &err), 0);
	assert_int_equal(
	    pvecg_targz_add_file(t, "m/block.c", block, sizeof(block), 1700000002, &err), 0);
	assert_int_equal(pvecg_targz_add_dir(t, LONG_DIR, 1700000003, &err), 0);
	assert_int_equal(pvecg_targz_add_file(t, LONG_FILE, "int y;\n", 7, 1700000004, &err), 0);
	assert_int_equal(
	    pvecg_targz_add_file(t, "m/big.bin", big, sizeof(big), 1700000005, &err), 0);
	assert_int_equal(pvecg_targz_finish(t, out, &err), 0);
	pvecg_targz_free(t);
}

static void
write_archive(const char *path, const pvecg_buf *b)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(b->data, 1, b->len, fp), b->len);
	assert_int_equal(fclose(fp), 0);
}

static void
assert_file(const char *dir, const char *rel, const void *want, size_t len)
{
	char path[PATH_MAX];
	pvecg_buf got = PVECG_BUF_INIT;

	assert_int_equal(pvecg_path(path, sizeof(path), "%s/%s", dir, rel), 0);
	assert_int_equal(pvecg_read_file(&got, path, 0, NULL), 0);
	assert_int_equal(got.len, len);
	if (len > 0)
		assert_memory_equal(got.data, want, len);
	pvecg_buf_free(&got);
}

/* Output of a shell command, whole. */
static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	pvecg_buf b = PVECG_BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(pvecg_buf_append(&b, chunk, n), 0);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(pvecg_buf_append(&b, "", 0), 0);
	return pvecg_buf_steal(&b, NULL);
}

static void
test_targz_extracts_with_tar(void **state)
{
	pvecg_buf gz = PVECG_BUF_INIT;
	char arc[PATH_MAX], cmd[3 * PATH_MAX], x[PATH_MAX], *list;

	(void)state;
	build(&gz);
	assert_memory_equal(gz.data, "\x1f\x8b\x08", 3); /* a gzip member, deflate */
	assert_int_equal(pvecg_path(arc, sizeof(arc), "%s/a.tar.gz", root), 0);
	assert_int_equal(pvecg_path(x, sizeof(x), "%s/x", root), 0);
	write_archive(arc, &gz);
	assert_int_equal(mkdir(x, 0700), 0);
	snprintf(cmd, sizeof(cmd), "tar -xzf '%s' -C '%s' 2>&1", arc, x);
	list = run(cmd);
	assert_string_equal(list, ""); /* no warning either */
	free(list);
	snprintf(
	    cmd, sizeof(cmd), "tar -tzvf '%s' --numeric-owner | awk '{print $1, $2, $3, $6}'", arc);
	list = run(cmd);
	assert_string_equal(list,
	    "drwxr-xr-x 0/0 0 m/\n"
	    "-rw-r--r-- 0/0 0 m/empty.h\n"
	    "-rw-r--r-- 0/0 512 m/block.c\n"
	    "drwxr-xr-x 0/0 0 " LONG_DIR "\n"
	    "-rw-r--r-- 0/0 7 " LONG_FILE "\n"
	    "-rw-r--r-- 0/0 200000 m/big.bin\n");
	free(list);
	assert_file(x, "m/empty.h", "", 0);
	assert_file(x, LONG_FILE, "int y;\n", 7);
	assert_file(x, "m/big.bin", big, sizeof(big));
	/* text halves compress: well under the input size */
	assert_true(gz.len < BIG_LEN * 3 / 4);
	pvecg_buf_free(&gz);
}

static void
test_targz_reads_back_with_python_tarfile(void **state)
{
	pvecg_buf gz = PVECG_BUF_INIT;
	char arc[PATH_MAX], cmd[2 * PATH_MAX + 1024], *out;

	(void)state;
	build(&gz);
	assert_int_equal(pvecg_path(arc, sizeof(arc), "%s/p.tar.gz", root), 0);
	write_archive(arc, &gz);
	/* strict: errorlevel 2, every member's header fields and content hash */
	snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 -c '"
	    "import hashlib, sys, tarfile\n"
	    "t = tarfile.open(sys.argv[1], \"r:gz\", errorlevel=2)\n"
	    "for m in t.getmembers():\n"
	    "    d = t.extractfile(m).read() if m.isfile() else b\"\"\n"
	    "    print(m.name, m.type.decode(), oct(m.mode), m.uname, m.gname, m.mtime, m.size,"
	    " hashlib.sha256(d).hexdigest()[:16])\n"
	    "' '%s'",
	    arc);
	out = run(cmd);
	char want[4096];
	char hbig[65];
	pvecg_sha256_hex(hbig, (const char *)big, sizeof(big));
	snprintf(want, sizeof(want),
	    "m 5 0o755 root root 1700000000 0 e3b0c44298fc1c14\n"
	    "m/empty.h 0 0o644 root root 1700000001 0 e3b0c44298fc1c14\n"
	    "m/block.c 0 0o644 root root 1700000002 512 %.16s\n"
	    "%.*s 5 0o755 root root 1700000003 0 e3b0c44298fc1c14\n"
	    "%s 0 0o644 root root 1700000004 7 %.16s\n"
	    "m/big.bin 0 0o644 root root 1700000005 200000 %.16s\n",
	    "0a7aaaf5d4f94087", (int)strlen(LONG_DIR) - 1, LONG_DIR, LONG_FILE, "4b9804fdbd1e6361",
	    hbig);
	assert_string_equal(out, want);
	free(out);
	pvecg_buf_free(&gz);
}

static void
test_targz_same_input_same_bytes(void **state)
{
	pvecg_buf a = PVECG_BUF_INIT, b = PVECG_BUF_INIT;

	(void)state;
	build(&a);
	build(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	pvecg_buf_free(&a);
	pvecg_buf_free(&b);
}

static void
test_targz_refuses_a_name_ustar_cannot_hold(void **state)
{
	char name[300];
	pvecg_targz *t = NULL;
	pvecg_buf out = PVECG_BUF_INIT;
	pvecg_error err;

	(void)state;
	/* 120 bytes without a '/': no prefix/name split exists */
	memset(name, 'n', 120);
	name[120] = '\0';
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_targz_new(&t, &err), 0);
	assert_int_equal(pvecg_targz_add_file(t, name, "x", 1, 0, &err), PVECG_ELIMIT);
	assert_string_equal(err.message, "path too long for ustar");
	assert_int_equal(pvecg_targz_finish(t, &out, &err), 0);
	/* finished: nothing more goes in */
	assert_int_equal(pvecg_targz_add_file(t, "late", "x", 1, 0, &err), PVECG_EINTERNAL);
	pvecg_targz_free(t);
	pvecg_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targz_extracts_with_tar),
		cmocka_unit_test(test_targz_reads_back_with_python_tarfile),
		cmocka_unit_test(test_targz_same_input_same_bytes),
		cmocka_unit_test(test_targz_refuses_a_name_ustar_cannot_hold),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
