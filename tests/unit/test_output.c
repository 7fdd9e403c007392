/* output: atomic commit, drift comparison, latest link — on the real filesystem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/output.h"
#include "pvecg/util.h"

static char root[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pvecg-output-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return pvecg_output_remove(root, NULL);
}

static void
make_set(pvecg_files *fs, const char *a, const char *b)
{
	memset(fs, 0, sizeof(*fs));
	assert_int_equal(pvecg_files_add_copy(fs, "openapi.json", a, strlen(a)), 0);
	assert_int_equal(pvecg_files_add_copy(fs, "models/nodes.h", b, strlen(b)), 0);
}

static char *
slurp(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;

	assert_int_equal(pvecg_path(path, sizeof(path), "%s/%s", dir, rel), 0);
	if (pvecg_read_file(&b, path, 0, NULL) != 0) {
		pvecg_buf_free(&b);
		return NULL;
	}
	return pvecg_buf_steal(&b, NULL);
}

/* Entries of root other than the named ones: temporary leftovers. */
static int
count_hidden_tmp(void)
{
	struct dirent *de;
	DIR *d = opendir(root);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

static void
test_output_commit_replaces_whole_directory(void **state)
{
	char target[PATH_MAX];
	pvecg_files one, two;
	char *s;

	(void)state;
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/proxmox/9.1", root), 0);
	make_set(&one, "first", "h1");
	assert_int_equal(pvecg_output_commit(target, &one, 2, stderr, NULL), 0);
	make_set(&two, "second", "h2");
	two.n = 1; /* the second run no longer makes models/nodes.h */
	assert_int_equal(pvecg_output_commit(target, &two, 1, stderr, NULL), 0);
	s = slurp(target, "openapi.json");
	assert_string_equal(s, "second");
	free(s);
	assert_null(slurp(target, "models/nodes.h"));
	assert_int_equal(count_hidden_tmp(), 0);
	two.n = 2;
	pvecg_files_free(&one);
	pvecg_files_free(&two);
}

/* A gate that reads what will be written, as the self-check does. */
static int
gate_wants_good(void *ctx, pvecg_error *err)
{
	const pvecg_file *f = pvecg_files_get(ctx, "openapi.json");

	if (f != NULL && f->len == 4 && memcmp(f->data, "good", 4) == 0)
		return 0;
	return pvecg_error_set(err, PVECG_EINTERNAL, "gate", "rejected");
}

static void
test_output_gate_decides_whether_staged_set_is_put_in_place(void **state)
{
	char target[PATH_MAX];
	pvecg_files one, two;
	pvecg_error err;
	char *s;

	(void)state;
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/g/9.1", root), 0);
	make_set(&one, "good", "h1");
	assert_int_equal(
	    pvecg_output_commit_gated(target, &one, 2, gate_wants_good, &one, stderr, NULL), 0);
	make_set(&two, "worse", "h2");
	pvecg_error_clear(&err);
	assert_int_equal(
	    pvecg_output_commit_gated(target, &two, 2, gate_wants_good, &two, stderr, &err),
	    PVECG_EINTERNAL);
	assert_string_equal(err.message, "rejected");
	s = slurp(target, "openapi.json");
	assert_string_equal(s, "good");
	free(s);
	s = slurp(target, "models/nodes.h");
	assert_string_equal(s, "h1");
	free(s);
	assert_int_equal(count_hidden_tmp(), 0);
	pvecg_files_free(&one);
	pvecg_files_free(&two);
}

static void
test_output_gate_error_wins_over_write_error(void **state)
{
	char target[PATH_MAX];
	pvecg_files bad;
	pvecg_error err;

	(void)state;
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/w", root), 0);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(pvecg_files_add_copy(&bad, "openapi.json", "x", 1), 0);
	assert_int_equal(pvecg_files_add_copy(&bad, "openapi.json", "y", 1), 0); /* EEXIST */
	pvecg_error_clear(&err);
	assert_int_equal(
	    pvecg_output_commit_gated(target, &bad, 1, gate_wants_good, &bad, stderr, &err),
	    PVECG_EINTERNAL);
	assert_string_equal(err.message, "rejected");
	assert_null(slurp(target, "openapi.json"));
	assert_int_equal(count_hidden_tmp(), 0);
	pvecg_files_free(&bad);
}

static void
test_output_failed_commit_leaves_previous_untouched(void **state)
{
	char target[PATH_MAX];
	pvecg_files one, bad;
	pvecg_error err;
	char *s;

	(void)state;
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/v", root), 0);
	make_set(&one, "good", "h");
	assert_int_equal(pvecg_output_commit(target, &one, 1, stderr, NULL), 0);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(pvecg_files_add_copy(&bad, "a", "x", 1), 0);
	assert_int_equal(pvecg_files_add_copy(&bad, "a", "y", 1), 0); /* same path twice: EEXIST */
	assert_int_equal(pvecg_output_commit(target, &bad, 1, stderr, &err), PVECG_EIO);
	s = slurp(target, "openapi.json");
	assert_string_equal(s, "good");
	free(s);
	assert_int_equal(count_hidden_tmp(), 0);
	pvecg_files_free(&one);
	pvecg_files_free(&bad);
}

/* What the log stream received since the last call (it is emptied). */
static void
assert_log(FILE *log, const char *want)
{
	char seen[1024];
	size_t n;

	rewind(log);
	n = fread(seen, 1, sizeof(seen) - 1, log);
	seen[n] = '\0';
	assert_string_equal(seen, want);
	rewind(log);
	assert_int_equal(ftruncate(fileno(log), 0), 0);
}

static void
test_output_compare_reports_each_kind_of_drift(void **state)
{
	char target[PATH_MAX], extra[PATH_MAX], want[PATH_MAX + 128];
	pvecg_files one, other;
	pvecg_error err;
	FILE *fp, *log = tmpfile();

	(void)state;
	assert_non_null(log);
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/c", root), 0);
	make_set(&one, "x", "y");
	assert_int_equal(pvecg_output_commit(target, &one, 1, log, NULL), 0);
	assert_log(log, "");
	assert_int_equal(pvecg_output_compare(target, &one, log, &err), 0);
	assert_log(log, "");
	make_set(&other, "changed", "y");
	assert_int_equal(pvecg_output_compare(target, &other, log, &err), PVECG_EDRIFT);
	assert_non_null(strstr(err.message, "1 file(s) differ"));
	snprintf(want, sizeof(want),
	    "proxmox-sdk-codegen: %s/openapi.json: "
	    "differs from what the current code generates\n",
	    target);
	assert_log(log, want);
	assert_int_equal(pvecg_path(extra, sizeof(extra), "%s/stray.txt", target), 0);
	fp = fopen(extra, "w");
	fclose(fp);
	assert_int_equal(pvecg_output_compare(target, &one, log, &err), PVECG_EDRIFT);
	assert_non_null(strstr(err.message, "1 file(s) differ"));
	snprintf(want, sizeof(want),
	    "proxmox-sdk-codegen: %s/stray.txt: "
	    "not generated by the current code (extra file)\n",
	    target);
	assert_log(log, want);
	fclose(log);
	pvecg_files_free(&one);
	pvecg_files_free(&other);
}

/* Another run's lock: waits until the log has the waiting line (at most
 * 10 s), then lets the commit go on. */
struct lock_holder {
	int fd;
	FILE *log;
};

static void *
release_when_logged(void *arg)
{
	struct lock_holder *h = arg;
	struct stat st;
	int i;

	for (i = 0; i < 1000; i++) {
		if (fstat(fileno(h->log), &st) == 0 && st.st_size > 0)
			break;
		usleep(10000);
	}
	close(h->fd);
	return NULL;
}

static void
test_output_commit_says_on_log_that_it_waits_for_a_lock(void **state)
{
	char target[PATH_MAX], lock[PATH_MAX], want[PATH_MAX + 128];
	struct lock_holder h;
	pthread_t t;
	pvecg_files one;
	char *s;

	(void)state;
	h.log = tmpfile();
	assert_non_null(h.log);
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/w", root), 0);
	assert_int_equal(pvecg_path(lock, sizeof(lock), "%s/.w.lock", root), 0);
	h.fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	assert_true(h.fd >= 0);
	assert_int_equal(flock(h.fd, LOCK_EX), 0);
	assert_int_equal(pthread_create(&t, NULL, release_when_logged, &h), 0);
	make_set(&one, "x", "y");
	assert_int_equal(pvecg_output_commit(target, &one, 1, h.log, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	snprintf(want, sizeof(want),
	    "proxmox-sdk-codegen: %s/w: waiting for another run to finish\n", root);
	assert_log(h.log, want);
	fclose(h.log);
	s = slurp(target, "openapi.json");
	assert_string_equal(s, "x");
	free(s);
	pvecg_files_free(&one);
}

static void
test_output_latest_is_relative_symlink(void **state)
{
	char target[PATH_MAX], link[PATH_MAX], dest[64];
	pvecg_files one;
	ssize_t n;

	(void)state;
	assert_int_equal(pvecg_path(target, sizeof(target), "%s/p/9.1", root), 0);
	assert_int_equal(pvecg_path(link, sizeof(link), "%s/p/latest", root), 0);
	make_set(&one, "x", "y");
	assert_int_equal(pvecg_output_commit(target, &one, 1, stderr, NULL), 0);
	assert_int_equal(pvecg_output_latest_link(target, NULL), 0);
	assert_int_equal(pvecg_output_latest_link(target, NULL), 0); /* replacing works too */
	n = readlink(link, dest, sizeof(dest) - 1);
	assert_true(n > 0);
	dest[n] = '\0';
	assert_string_equal(dest, "9.1");
	pvecg_files_free(&one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_commit_replaces_whole_directory),
		cmocka_unit_test(test_output_failed_commit_leaves_previous_untouched),
		cmocka_unit_test(test_output_gate_decides_whether_staged_set_is_put_in_place),
		cmocka_unit_test(test_output_gate_error_wins_over_write_error),
		cmocka_unit_test(test_output_compare_reports_each_kind_of_drift),
		cmocka_unit_test(test_output_commit_says_on_log_that_it_waits_for_a_lock),
		cmocka_unit_test(test_output_latest_is_relative_symlink),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
