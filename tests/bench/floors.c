/* bench_floors: the cost of the work no pipeline over this input can skip,
 * timed in one process (no start-up) with the project's own primitives:
 * parsing the schema slice, writing each output document canonically,
 * hashing every output file, parsing the documents again (the self-check)
 * and writing the files to disk. tests/bench/bench.py --floors prints these
 * beside the pipeline's stages.
 *
 * usage: bench_floors INPUT.js VERSION_DIR [RUNS] */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/json_arena.h"
#include "pvecg/output.h"
#include "pvecg/util.h"

#define MAX_FILES 256
#define MAX_RUNS 200

static const char *const documents[] = { "raw_capture.json", "openapi.json", "route_metadata.json",
	"model_index.json" };
#define NDOCS (sizeof(documents) / sizeof(documents[0]))

struct file {
	char *rel;
	char *data;
	size_t len;
};

struct input {
	char *js;
	size_t js_len;
	const char *slice; /* the JSON value Python's yardstick parses */
	size_t slice_len;
	struct file files[MAX_FILES];
	size_t nfiles;
	size_t out_bytes;
	const char *dir;
	cJSON *docs[NDOCS]; /* parsed once, for the write floor */
	char scratch[64];   /* fresh directories for the file-writing floor */
	int nscratch;
};

__attribute__((noreturn)) static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "bench_floors: %s: %s\n", what, detail);
	exit(1);
}

/* a "/" b into out[PATH_MAX]. */
static void
join(char *out, const char *a, const char *b)
{
	if (pvecg_path_join(out, PATH_MAX, a, b) != 0)
		die(b, "path too long");
}

static char *
slurp(const char *path, size_t *len)
{
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_error err;

	if (pvecg_read_file(&b, path, 0, &err) != 0)
		die(err.where, err.message);
	return pvecg_buf_steal(&b, len);
}

/* Every regular file under dir/rel, depth first. */
static void
collect(struct input *in, const char *rel)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (*rel)
		join(path, in->dir, rel);
	else
		snprintf(path, sizeof(path), "%s", in->dir);
	if ((d = opendir(path)) == NULL)
		die(path, "cannot open directory");
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*rel)
			join(sub, rel, e->d_name);
		else
			snprintf(sub, sizeof(sub), "%s", e->d_name);
		join(path, in->dir, sub);
		if (lstat(path, &st) != 0)
			die(path, "cannot stat");
		if (S_ISDIR(st.st_mode)) {
			collect(in, sub);
		} else if (S_ISREG(st.st_mode)) {
			struct file *f = &in->files[in->nfiles];

			if (in->nfiles == MAX_FILES)
				die(in->dir, "too many files");
			f->rel = pvecg_strdup(sub);
			f->data = slurp(path, &f->len);
			in->out_bytes += f->len;
			in->nfiles++;
		}
	}
	closedir(d);
}

static const struct file *
find(const struct input *in, const char *rel)
{
	size_t i;

	for (i = 0; i < in->nfiles; i++)
		if (strcmp(in->files[i].rel, rel) == 0)
			return &in->files[i];
	die(in->dir, rel);
}

/* One timed operation: returns the bytes it handled. */
typedef size_t (*op_fn)(struct input *in);

/* Parsed as the self-check parses: into an arena, dropped whole. */
static size_t
parse_dropped(const char *what, const char *text, size_t len)
{
	pvecg_json_arena *arena;
	cJSON *tree;

	if (pvecg_json_arena_parse(&tree, &arena, text, len) != 0 || tree == NULL)
		die(what, "does not parse");
	pvecg_json_arena_free(arena);
	return len;
}

static size_t
op_parse_slice(struct input *in)
{
	return parse_dropped("the schema slice", in->slice, in->slice_len);
}

static size_t
op_parse_documents(struct input *in)
{
	size_t i, bytes = 0;

	for (i = 0; i < NDOCS; i++) {
		const struct file *f = find(in, documents[i]);

		bytes += parse_dropped(documents[i], f->data, f->len);
	}
	return bytes;
}

static size_t
op_write_documents(struct input *in)
{
	size_t i, bytes = 0;

	for (i = 0; i < NDOCS; i++) {
		pvecg_buf b = PVECG_BUF_INIT;

		if (pvecg_json_write(&b, in->docs[i]) != 0)
			die(documents[i], "cannot be written");
		bytes += b.len;
		pvecg_buf_free(&b);
	}
	return bytes;
}

static size_t
op_hash_files(struct input *in)
{
	char hex[65];
	size_t i;

	for (i = 0; i < in->nfiles; i++)
		pvecg_sha256_hex(hex, in->files[i].data, in->files[i].len);
	return in->out_bytes;
}

static void
write_all(int fd, const char *data, size_t len, const char *path)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n <= 0)
			die(path, "write failed");
		data += n;
		len -= (size_t)n;
	}
}

/* Every file into a fresh directory tree, each synced, as the output stage
 * does (the trees are removed after the measurement). */
static size_t
op_write_files(struct input *in)
{
	char root[PATH_MAX], path[PATH_MAX], name[16];
	size_t i;

	snprintf(name, sizeof(name), "%d", in->nscratch++);
	join(root, in->scratch, name);
	for (i = 0; i < in->nfiles; i++) {
		const struct file *f = &in->files[i];
		pvecg_error err;
		int fd;

		join(path, root, f->rel);
		*strrchr(path, '/') = '\0';
		if (pvecg_output_mkdirs(path, &err) != 0)
			die(err.where, err.message);
		join(path, root, f->rel);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
			die(path, "cannot create");
		write_all(fd, f->data, f->len, path);
		if (fsync(fd) != 0 || close(fd) != 0)
			die(path, "fsync/close failed");
	}
	return in->out_bytes;
}

/* The schema slice (from the first '[', as bench.py's Python reads it) and
 * the documents, parsed once; each written again must give its bytes. */
static void
prepare(struct input *in)
{
	const char *at = memchr(in->js, '[', in->js_len), *end = NULL;
	cJSON *tree;
	size_t i;

	if (at == NULL ||
	    (tree = cJSON_ParseWithLengthOpts(at, in->js_len - (size_t)(at - in->js), &end, 0)) ==
	        NULL)
		die("input", "no JSON array to parse in the viewer script");
	cJSON_Delete(tree);
	in->slice = at;
	in->slice_len = (size_t)(end - at);
	for (i = 0; i < NDOCS; i++) {
		const struct file *f = find(in, documents[i]);
		pvecg_buf b = PVECG_BUF_INIT;

		in->docs[i] = pvecg_json_parse(f->data, f->len, NULL);
		if (in->docs[i] == NULL || pvecg_json_write(&b, in->docs[i]) != 0)
			die(documents[i], "does not parse or cannot be written");
		if (b.len != f->len || memcmp(b.data, f->data, b.len) != 0)
			die(documents[i], "written again, the bytes differ");
		pvecg_buf_free(&b);
	}
	snprintf(in->scratch, sizeof(in->scratch), "/tmp/bench_floors.XXXXXX");
	if (mkdtemp(in->scratch) == NULL)
		die("/tmp", "mkdtemp failed");
}

static void
release(struct input *in)
{
	pvecg_error err;
	size_t i;

	if (pvecg_output_remove(in->scratch, &err) != 0)
		die(err.where, err.message);
	for (i = 0; i < NDOCS; i++)
		cJSON_Delete(in->docs[i]);
	for (i = 0; i < in->nfiles; i++) {
		free(in->files[i].rel);
		free(in->files[i].data);
	}
	free(in->js);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
measure(struct input *in, const char *name, op_fn fn, int runs)
{
	double t[MAX_RUNS];
	size_t bytes = 0;
	int i;

	for (i = 0; i < runs; i++) {
		double t0 = pvecg_now();

		bytes = fn(in);
		t[i] = (pvecg_now() - t0) * 1e3;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	printf("  %-40s %9.2f %9.1f %9.1f\n", name, (double)bytes / (1 << 20), t[0], t[runs / 2]);
}

int
main(int argc, char **argv)
{
	struct input in;
	int runs = argc > 3 ? atoi(argv[3]) : 9;

	if (argc < 3 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench_floors INPUT.js VERSION_DIR [RUNS 1-%d]\n", MAX_RUNS);
		return 2;
	}
	memset(&in, 0, sizeof(in));
	in.js = slurp(argv[1], &in.js_len);
	in.dir = argv[2];
	collect(&in, "");
	prepare(&in);
	printf("%-42s %9s %9s %9s\n", "floor (one process, no start-up)", "MiB", "min ms",
	    "median ms");
	measure(&in, "parse the schema slice (cJSON)", op_parse_slice, runs);
	measure(&in, "write the JSON documents (canonical)", op_write_documents, runs);
	measure(&in, "SHA-256 of every output file", op_hash_files, runs);
	measure(&in, "parse the JSON documents (self-check)", op_parse_documents, runs);
	measure(&in, "write the files to a fresh dir + fsync", op_write_files, runs);
	release(&in);
	return 0;
}
