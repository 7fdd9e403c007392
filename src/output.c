/* output: writes a file set into DIR/TAG atomically (temporary directory,
 * fsync, rename, lock), maintains the latest link, and compares a file set
 * with a directory for --check. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pvecg/checksums.h"
#include "pvecg/json_arena.h"
#include "pvecg/output.h"
#include "pvecg/util.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* Splits "a/b/TAG" into parent "a/b" and name "TAG". */
PVECG_NODISCARD static int
split_target(char parent[PATH_MAX], char name[NAME_MAX + 1], const char *target, pvecg_error *err)
{
	const char *slash;
	size_t len = strlen(target);

	while (len > 1 && target[len - 1] == '/')
		len--;
	if (len == 0 || len >= PATH_MAX)
		return pvecg_error_set(err, PVECG_EUSAGE, target, "invalid output path");
	slash = memrchr(target, '/', len);
	if (slash == NULL) {
		strcpy(parent, ".");
		slash = target - 1;
	} else if (slash == target) {
		strcpy(parent, "/");
	} else {
		memcpy(parent, target, (size_t)(slash - target));
		parent[slash - target] = '\0';
	}
	if ((size_t)(target + len - slash - 1) > NAME_MAX)
		return pvecg_error_set(err, PVECG_EUSAGE, target, "name too long");
	memcpy(name, slash + 1, (size_t)(target + len - slash - 1));
	name[target + len - slash - 1] = '\0';
	return 0;
}

int
pvecg_output_mkdirs(const char *path, pvecg_error *err)
{
	char tmp[PATH_MAX];
	char *p;

	if (pvecg_path(tmp, sizeof(tmp), "%s", path) != 0)
		return pvecg_error_set(err, PVECG_EIO, path, "path too long");
	for (p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return pvecg_error_set(
			    err, PVECG_EIO, tmp, "cannot create directory: %s", strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT ? -1 : 0;
}

int
pvecg_output_remove(const char *path, pvecg_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT
		    ? 0
		    : pvecg_error_set(err, PVECG_EIO, path, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0
		    ? 0
		    : pvecg_error_set(err, PVECG_EIO, path, "cannot remove: %s", strerror(errno));
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return pvecg_error_set(err, PVECG_EIO, path, "cannot remove: %s", strerror(errno));
	return 0;
}

PVECG_NODISCARD static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* True when path, with every link resolved, still lies under dir (itself
 * resolved): a link inside the previous version must not lead elsewhere. */
static int
resolves_under(const char *path, const char *dir)
{
	char real[PATH_MAX];
	size_t n = strlen(dir);

	return realpath(path, real) != NULL && strncmp(real, dir, n) == 0 && real[n] == '/';
}

/* True when prev/<f->path> holds exactly f's bytes (prev is resolved). */
static int
same_as_previous(const char *prev, const pvecg_file *f)
{
	char path[PATH_MAX];
	struct stat st;
	void *map;
	int fd, same;

	if (prev == NULL || pvecg_path(path, sizeof(path), "%s/%s", prev, f->path) != 0 ||
	    !resolves_under(path, prev))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    (size_t)st.st_size != f->len || f->len == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	same = memcmp(map, f->data, f->len) == 0;
	munmap(map, f->len);
	return same;
}

/* An unchanged file is hard-linked from the previous version: it is already
 * on disk, and the old directory is removed after the swap, so nothing stays
 * shared. Regenerating an unchanged tree then writes almost nothing. */
PVECG_NODISCARD static int
write_one(const char *dir, const char *prev, const pvecg_file *f, pvecg_error *err)
{
	char path[PATH_MAX], old[PATH_MAX];
	int fd, rc = 0;

	if (pvecg_path(path, sizeof(path), "%s/%s", dir, f->path) != 0)
		return pvecg_error_set(err, PVECG_EIO, f->path, "path too long");
	if (same_as_previous(prev, f) &&
	    pvecg_path(old, sizeof(old), "%s/%s", prev, f->path) == 0 && link(old, path) == 0)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return pvecg_error_set(err, PVECG_EIO, path, "cannot create: %s", strerror(errno));
	/* fsync before the rename: the new directory must never name empty files. */
	if (write_all(fd, f->data, f->len) != 0 || fsync(fd) != 0)
		rc = pvecg_error_set(err, PVECG_EIO, path, "write failed: %s", strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = pvecg_error_set(err, PVECG_EIO, path, "close failed: %s", strerror(errno));
	return rc;
}

/* Creates every subdirectory the file set names, in order. */
PVECG_NODISCARD static int
make_subdirs(const char *dir, const pvecg_files *files, pvecg_error *err)
{
	char path[PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < files->n; i++) {
		const char *slash = strrchr(files->items[i].path, '/');

		if (slash == NULL)
			continue;
		if (pvecg_path(path, sizeof(path), "%s/%.*s", dir,
		        (int)(slash - files->items[i].path), files->items[i].path) != 0)
			return pvecg_error_set(
			    err, PVECG_EIO, files->items[i].path, "path too long");
		rc = pvecg_output_mkdirs(path, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

struct writer {
	const char *dir;
	const char *prev; /* the version being replaced, or NULL */
	const pvecg_files *files;
	size_t first, step;
	int rc;
	pvecg_error err;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	size_t i;

	for (i = w->first; i < w->files->n && w->rc == 0; i += w->step)
		w->rc = write_one(w->dir, w->prev, &w->files->items[i], &w->err);
	return NULL;
}

/* Writes the files over up to `workers` threads; the first failure wins. */
PVECG_NODISCARD static int
write_files(
    const char *dir, const char *prev, const pvecg_files *files, int workers, pvecg_error *err)
{
	struct writer w[16];
	pthread_t tid[16];
	int n = workers < 1 ? 1 : workers > 16 ? 16 : workers, started = 0, i, rc;

	if ((size_t)n > files->n)
		n = files->n ? (int)files->n : 1;
	for (i = 0; i < n; i++) {
		w[i] = (struct writer){ dir, prev, files, (size_t)i, (size_t)n, 0, { 0, "", "" } };
		if (i > 0 && pthread_create(&tid[i], NULL, writer_main, &w[i]) == 0)
			started++;
		else if (i > 0)
			w[i].rc = pvecg_error_set(
			    &w[i].err, PVECG_ENOMEM, dir, "cannot start a writer thread");
	}
	writer_main(&w[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < n; i++) {
		if (w[i].rc != 0) {
			rc = w[i].rc;
			if (err != NULL)
				*err = w[i].err;
			return rc;
		}
	}
	return 0;
}

PVECG_NODISCARD static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Removes ".<name>.tmp-*" left by runs that were killed; the lock is held. */
/* What fails after the result is settled (removing a temporary directory,
 * which the next run removes anyway; the fsync after the rename) is a
 * warning, never a different result. */
static void
warn_on_log(FILE *log, const pvecg_error *e)
{
	if (log != NULL)
		fprintf(log, "warning: %s: %s\n", e->where, e->message);
}

static void
remove_stale(const char *parent, const char *name, FILE *log)
{
	char prefix[NAME_MAX + 16], path[PATH_MAX];
	struct dirent *de;
	pvecg_error e;
	DIR *d;

	if (pvecg_path(prefix, sizeof(prefix), ".%s.tmp-", name) != 0 ||
	    (d = opendir(parent)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		if (pvecg_path(path, sizeof(path), "%s/%s", parent, de->d_name) == 0 &&
		    pvecg_output_remove(path, &e) != 0)
			warn_on_log(log, &e);
	}
	closedir(d);
}

PVECG_NODISCARD static int
lock_target(int *fd, const char *parent, const char *name, FILE *log, pvecg_error *err)
{
	char path[PATH_MAX];

	if (pvecg_path(path, sizeof(path), "%s/.%s.lock", parent, name) != 0)
		return pvecg_error_set(err, PVECG_EIO, parent, "path too long");
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return pvecg_error_set(
		    err, PVECG_EIO, path, "cannot open lock: %s", strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	fprintf(
	    log, "proxmox-sdk-codegen: %s/%s: waiting for another run to finish\n", parent, name);
	fflush(log);
	if (flock(*fd, LOCK_EX) == 0)
		return 0;
	close(*fd);
	*fd = -1;
	return pvecg_error_set(err, PVECG_EIO, path, "cannot lock: %s", strerror(errno));
}

/* Puts tmp at target: an atomic exchange when target exists, so readers
 * always see a complete directory; the old one ends at tmp and is removed. */
PVECG_NODISCARD static int
swap_into_place(const char *tmp, const char *target, pvecg_error *err)
{
	if (rename(tmp, target) == 0)
		return 0;
	if (errno != EEXIST && errno != ENOTEMPTY && errno != EISDIR && errno != ENOTDIR)
		return pvecg_error_set(
		    err, PVECG_EIO, target, "cannot rename into place: %s", strerror(errno));
	if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) != 0)
		return pvecg_error_set(err, PVECG_EIO, target,
		    "cannot exchange with the previous output: %s", strerror(errno));
	return pvecg_output_remove(tmp, err);
}

/* The version being replaced, resolved, as the source of hard links; NULL
 * unless target is a real directory (a link to a folder elsewhere must not
 * lend its files to the new version). */
static const char *
previous_version(char real[PATH_MAX], const char *target)
{
	struct stat st;

	if (lstat(target, &st) != 0 || !S_ISDIR(st.st_mode) || realpath(target, real) == NULL)
		return NULL;
	return real;
}

struct gate_run {
	pvecg_output_gate_fn fn;
	void *ctx;
	int rc;
	int running; /* tid is a thread to join */
	pthread_t tid;
	pvecg_error err;
};

static void *
gate_main(void *arg)
{
	struct gate_run *g = arg;

	g->rc = g->fn(g->ctx, &g->err);
	return NULL;
}

/* Runs the gate beside the writers (in place when no thread starts). */
static void
gate_start(struct gate_run *g)
{
	if (g->fn == NULL)
		return;
	pvecg_json_arena_init(); /* cJSON's hooks are set before the thread uses them */
	if (pthread_create(&g->tid, NULL, gate_main, g) != 0) {
		gate_main(g);
		return;
	}
	g->running = 1;
}

/* Waits for the gate; its failure replaces rc. */
PVECG_NODISCARD static int
gate_finish(struct gate_run *g, int rc, pvecg_error *err)
{
	if (g->running) {
		pthread_join(g->tid, NULL);
		g->running = 0;
	}
	if (g->fn == NULL || g->rc == 0)
		return rc;
	if (err != NULL)
		*err = g->err;
	return g->rc;
}

int
pvecg_output_commit(
    const char *target, const pvecg_files *files, int workers, FILE *log, pvecg_error *err)
{
	return pvecg_output_commit_gated(target, files, workers, NULL, NULL, log, err);
}

int
pvecg_output_commit_gated(const char *target, const pvecg_files *files, int workers,
    pvecg_output_gate_fn gate, void *gate_ctx, FILE *log, pvecg_error *err)
{
	char parent[PATH_MAX], name[NAME_MAX + 1], tmp[PATH_MAX], prev_real[PATH_MAX];
	struct gate_run g;
	const char *prev;
	int lock = -1, rc;

	memset(&g, 0, sizeof(g));
	g.fn = gate;
	g.ctx = gate_ctx;
	gate_start(&g);
	tmp[0] = '\0';
	rc = split_target(parent, name, target, err);
	if (rc == 0)
		rc = pvecg_output_mkdirs(parent, err);
	if (rc == 0)
		rc = lock_target(&lock, parent, name, log, err);
	if (rc != 0)
		goto out;
	remove_stale(parent, name, log);
	prev = previous_version(prev_real, target);
	if (pvecg_path(tmp, sizeof(tmp), "%s/.%s.tmp-XXXXXX", parent, name) != 0 ||
	    mkdtemp(tmp) == NULL) {
		rc = pvecg_error_set(err, PVECG_EIO, tmp, "cannot create: %s", strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (chmod(tmp, 0755) != 0)
		rc = pvecg_error_set(err, PVECG_EIO, tmp, "cannot chmod: %s", strerror(errno));
	if (rc == 0)
		rc = make_subdirs(tmp, files, err);
	if (rc == 0)
		rc = write_files(tmp, prev, files, workers, err);
	if (rc == 0 && fsync_dir(tmp) != 0)
		rc = pvecg_error_set(err, PVECG_EIO, tmp, "fsync failed: %s", strerror(errno));
	rc = gate_finish(&g, rc, err);
	if (rc == 0)
		rc = swap_into_place(tmp, target, err);
	if (rc == 0) {
		pvecg_error e;

		tmp[0] = '\0';
		if (fsync_dir(parent) != 0) {
			pvecg_error_set(&e, PVECG_EIO, parent, "fsync failed after the rename: %s",
			    strerror(errno));
			warn_on_log(log, &e);
		}
	}
out:
	rc = gate_finish(&g, rc, err);
	if (tmp[0] != '\0') {
		pvecg_error e;

		if (pvecg_output_remove(tmp, &e) != 0)
			warn_on_log(log, &e);
	}
	if (lock >= 0)
		close(lock);
	return rc;
}

/* Top-level names a version directory of this tool holds. */
static int
tool_name(const char *name, int isdir)
{
	static const char *const files[] = { "raw_capture.json", "openapi.json",
		"route_metadata.json", "model_index.json", PVECG_CHECKSUMS_FILE, NULL };
	const char *dot = strrchr(name, '.');
	size_t i;

	if (isdir)
		return strcmp(name, "models") == 0;
	for (i = 0; files[i] != NULL; i++)
		if (strcmp(name, files[i]) == 0)
			return 1;
	return dot != NULL && (strcmp(dot, ".h") == 0 || strcmp(dot, ".c") == 0);
}

int
pvecg_output_check_replaceable(const char *path, pvecg_error *err)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int rc = 0, marker = 0, entries = 0;
	DIR *d;

	if (lstat(path, &st) != 0)
		return errno == ENOENT
		    ? 0
		    : pvecg_error_set(err, PVECG_EIO, path, "%s", strerror(errno));
	if (S_ISLNK(st.st_mode))
		return 0;
	if (!S_ISDIR(st.st_mode))
		return pvecg_error_set(err, PVECG_EINPUT, path,
		    "is not a directory or link this tool wrote; refusing to replace it");
	if ((d = opendir(path)) == NULL)
		return pvecg_error_set(err, PVECG_EIO, path, "%s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		entries++;
		marker |= strcmp(de->d_name, "openapi.json") == 0;
		if (pvecg_path(sub, sizeof(sub), "%s/%s", path, de->d_name) != 0 ||
		    lstat(sub, &st) != 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) ||
		    !tool_name(de->d_name, S_ISDIR(st.st_mode)))
			rc = pvecg_error_set(err, PVECG_EINPUT, path,
			    "is a directory holding \"%.80s\", which this tool did not write; "
			    "refusing to replace it (move it away first)",
			    de->d_name);
	}
	closedir(d);
	if (rc == 0 && entries > 0 && !marker)
		rc = pvecg_error_set(err, PVECG_EINPUT, path,
		    "is a directory without openapi.json, not a tree this tool wrote; "
		    "refusing to replace it (move it away first)");
	return rc;
}

int
pvecg_output_latest_link(const char *target, pvecg_error *err)
{
	char parent[PATH_MAX], name[NAME_MAX + 1], link[PATH_MAX], tmp[PATH_MAX];
	int rc = split_target(parent, name, target, err);

	if (rc != 0)
		return rc;
	if (pvecg_path(link, sizeof(link), "%s/latest", parent) != 0 ||
	    pvecg_path(tmp, sizeof(tmp), "%s/.latest.tmp-%ld", parent, (long)getpid()) != 0)
		return pvecg_error_set(err, PVECG_EIO, parent, "path too long");
	unlink(tmp);
	if (symlink(name, tmp) != 0)
		return pvecg_error_set(
		    err, PVECG_EIO, tmp, "cannot create symlink: %s", strerror(errno));
	rc = swap_into_place(tmp, link, err);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* Reports one difference; returns 1 so callers can count. */
static int
drift(FILE *log, const char *target, const char *path, const char *what)
{
	fprintf(log, "proxmox-sdk-codegen: %s/%s: %s\n", target, path, what);
	return 1;
}

static int
compare_file(FILE *log, const char *target, const pvecg_file *f)
{
	char path[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_error e;
	int diff;

	if (pvecg_path(path, sizeof(path), "%s/%s", target, f->path) != 0 ||
	    pvecg_read_file(&b, path, 0, &e) != 0) {
		pvecg_buf_free(&b);
		return drift(log, target, f->path, "missing");
	}
	diff = b.len != f->len || memcmp(b.data, f->data, f->len) != 0;
	pvecg_buf_free(&b);
	return diff ? drift(log, target, f->path, "differs from what the current code generates")
	            : 0;
}

/* Counts files under dir/rel that the set does not name. */
static int
count_extra(FILE *log, const char *target, const char *rel, const pvecg_files *files)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int extra = 0;
	DIR *d;

	if (pvecg_path(path, sizeof(path), "%s%s%s", target, rel[0] ? "/" : "", rel) != 0)
		return drift(log, target, rel, "path too long");
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (pvecg_path(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) !=
		        0 ||
		    pvecg_path(path, sizeof(path), "%s/%s", target, sub) != 0)
			extra += drift(log, target, de->d_name, "path too long");
		else if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			extra += count_extra(log, target, sub, files);
		else if (pvecg_files_get(files, sub) == NULL)
			extra += drift(
			    log, target, sub, "not generated by the current code (extra file)");
	}
	closedir(d);
	return extra;
}

int
pvecg_output_compare(const char *target, const pvecg_files *files, FILE *log, pvecg_error *err)
{
	struct stat st;
	size_t i;
	int n = 0;

	if (stat(target, &st) != 0 || !S_ISDIR(st.st_mode))
		return pvecg_error_set(
		    err, PVECG_EDRIFT, target, "no generated output to check against");
	for (i = 0; i < files->n; i++)
		n += compare_file(log, target, &files->items[i]);
	n += count_extra(log, target, "", files);
	if (n > 0)
		return pvecg_error_set(err, PVECG_EDRIFT, target,
		    "%d file(s) differ from what the current code generates; regenerate and commit",
		    n);
	return 0;
}
