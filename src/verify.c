/* verify: integrity of a generated/ tree.
 *
 * A version directory is one holding any of openapi.json, route_metadata.json,
 * model_index.json or raw_capture.json. ROOT may be one version directory, a
 * product directory (version directories below it) or generated/ (product
 * directories below it); hidden entries (".9.1.tmp-...") are skipped.
 *
 * Per version directory:
 *  - openapi.json's SHA-256 equals the pin in route_metadata.json,
 *    model_index.json and every C header below the directory
 *    (`OPENAPI_SHA256 "<hex>"`), and the version tag in those files and in
 *    openapi.json's info.version equals the expected tag;
 *  - route_metadata.json's path/route/per-method counts match openapi.json,
 *    every operation is in route_metadata.json and model_index.json (and
 *    nothing else is), raw_capture.json counts as many methods, and its
 *    counts agree with its own endpoints and lists;
 *  - model_index.json is read as the emitter writes it, no other layout: every
 *    shard file it names exists and its header declares the operation's
 *    models and shard symbol; an operation's group and library are its
 *    shard's, and the shards' and top-level counts add up;
 *  - raw_capture.json, route_metadata.json and model_index.json validate
 *    against schemas_dir/<name>.schema.json (the schemas built into the
 *    binary when schemas_dir is NULL);
 *  - SHA256SUMS lists every other file of the directory, sorted, each with
 *    the SHA-256 of its bytes.
 *
 * The same checks run over a file set still in memory (pvecg_verify_files):
 * a run checks what it is about to write before it renames it into place.
 *
 * Expected tag: the directory name; for `latest` as a symlink, the name of
 * the directory it points to (the link must be relative); for `latest` as a
 * copy, either "latest" (made with --version-tag latest) or the tag of a
 * sibling version directory whose openapi.json has the same SHA-256 (made
 * with --also-latest --latest-mode copy), because that is what it copies.
 *
 * Every failure is printed as "<file>: <what>"; schema violations are
 * capped per file (the total is printed). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvecg/buf.h"
#include "pvecg/checksums.h"
#include "pvecg/httpmethod.h"
#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/json_arena.h"
#include "pvecg/schemas.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"
#include "pvecg/versions.h"
#include "verify_int.h"

static const char *const artifact_names[] = { "raw_capture", "route_metadata", "model_index" };

void
verify_failure(struct vstate *s, const char *file, const char *fmt, ...)
{
	char msg[2048];
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = file; *p; p++)
		fputc((unsigned char)*p < 0x20 ? '?' : *p, s->fp);
	fputs(": ", s->fp);
	for (p = msg; *p; p++)
		fputc((unsigned char)*p < 0x20 ? '?' : *p, s->fp);
	fputc('\n', s->fp);
	s->failures++;
}

int
verify_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

/* The bytes of DIR/REL: borrowed from the file set of a self-check, else
 * read into *owned. 1 when there, 0 when missing, -1 when unreadable
 * (reported here). */
int
verify_bytes(struct vstate *s, const char *dir, const char *rel, size_t max, pvecg_buf *owned,
    const char **data, size_t *len)
{
	char path[PATH_MAX];
	const pvecg_file *f;
	pvecg_error e;

	*data = "";
	*len = 0;
	if (s->mem != NULL) {
		if ((f = pvecg_files_get(s->mem, rel)) == NULL)
			return 0;
		*data = f->data ? f->data : "";
		*len = f->len;
		return 1;
	}
	if (pvecg_path_join(path, sizeof(path), dir, rel) != 0) {
		verify_failure(s, dir, "path too long");
		return -1;
	}
	if (!pvecg_path_exists(path))
		return 0;
	pvecg_error_clear(&e);
	if (pvecg_read_file(owned, path, max, &e) != 0) {
		verify_failure(s, path, "%s", e.message);
		return -1;
	}
	*data = owned->data ? owned->data : "";
	*len = owned->len;
	return 1;
}

/* Reads and parses DIR/NAME, into its own arena when arena is not NULL
 * (*arena is NULL when no tree is returned); a missing or broken file is
 * one failure. With sha, the SHA-256 of the bytes is taken even when they
 * do not parse. */
static cJSON *
load_json(
    struct vstate *s, const char *dir, const char *name, char sha[65], pvecg_json_arena **arena)
{
	char path[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	const char *data;
	size_t len;
	cJSON *j = NULL;
	int got;

	if (pvecg_path_join(path, sizeof(path), dir, name) != 0) {
		verify_failure(s, dir, "path too long");
		return NULL;
	}
	got = verify_bytes(s, dir, name, MAX_JSON, &b, &data, &len);
	if (got == 0)
		verify_failure(s, path, "missing");
	if (got <= 0)
		goto out;
	if (sha != NULL)
		pvecg_sha256_hex(sha, data, len);
	if (arena == NULL) {
		j = pvecg_json_parse(data, len, NULL);
	} else if (pvecg_json_arena_parse(&j, arena, data, len) != 0) {
		s->fatal = 1;
		goto out;
	}
	if (j == NULL) {
		verify_failure(s, path, "not valid JSON");
	} else if (!cJSON_IsObject(j)) {
		verify_failure(s, path, "top level is not a JSON object");
		if (arena == NULL)
			cJSON_Delete(j);
		j = NULL;
	}
out:
	if (arena != NULL && j == NULL) {
		pvecg_json_arena_free(*arena);
		*arena = NULL;
	}
	pvecg_buf_free(&b);
	return j;
}

cJSON *
verify_load_json(struct vstate *s, const char *dir, const char *name, char sha[65])
{
	return load_json(s, dir, name, sha, NULL);
}

cJSON *
verify_load_doc(struct vstate *s, const char *dir, const char *name, pvecg_json_arena **arena)
{
	*arena = NULL;
	return load_json(s, dir, name, NULL, arena);
}

PVECG_NODISCARD static int
collect_ops(struct vstate *s, struct vdir *v, const char *file, const cJSON *openapi)
{
	const cJSON *paths = pvecg_json_get(openapi, "paths");
	const cJSON *p, *m;
	size_t cap = 0;

	if (!cJSON_IsObject(paths)) {
		verify_failure(s, file, "no \"paths\" object");
		return 0;
	}
	cJSON_ArrayForEach(p, paths) {
		v->npaths++;
		cJSON_ArrayForEach(m, p) {
			int mi = pvecg_httpmethod_find_lower(m->string);
			const char *upper, *id;
			struct op *o;

			if (mi < 0 || !cJSON_IsObject(m))
				continue; /* "parameters", "summary", x-... */
			upper = pvecg_httpmethods[mi].upper;
			if (v->nops == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct op *n = realloc(v->ops, nc * sizeof(*n));

				if (n == NULL)
					return PVECG_ENOMEM;
				v->ops = n;
				cap = nc;
			}
			o = &v->ops[v->nops++];
			memset(o, 0, sizeof(*o));
			snprintf(o->method, sizeof(o->method), "%s", upper);
			id = pvecg_json_str(m, "operationId");
			if ((o->path = pvecg_strdup(p->string)) == NULL ||
			    (id != NULL && (o->id = pvecg_strdup(id)) == NULL))
				return PVECG_ENOMEM;
			if (id == NULL)
				verify_failure(
				    s, file, "%s %s has no operationId", upper, p->string);
			v->per_method[mi]++;
		}
	}
	return 0;
}

struct op *
verify_find_op_by_id(struct vdir *v, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < v->nops; i++)
		if (v->ops[i].id != NULL && strcmp(v->ops[i].id, id) == 0)
			return &v->ops[i];
	return NULL;
}

struct op *
verify_find_op(struct vdir *v, const char *method, const char *path)
{
	size_t i;

	for (i = 0; method != NULL && path != NULL && i < v->nops; i++)
		if (strcmp(v->ops[i].method, method) == 0 && strcmp(v->ops[i].path, path) == 0)
			return &v->ops[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Pins and tags                                                        */

/* The SHA-256 of DIR/TAG/openapi.json, for judging a `latest` copy. */
static int
sibling_has_sha(const char *dir, const char *tag, const char *sha)
{
	char parent[PATH_MAX], path[PATH_MAX];
	const char *slash = strrchr(dir, '/');
	pvecg_buf b = PVECG_BUF_INIT;
	char hex[65];
	int same = 0;

	if (strcmp(tag, "latest") == 0 || strchr(tag, '/') != NULL || strcmp(tag, "..") == 0 ||
	    strcmp(tag, ".") == 0)
		return 0;
	if (slash == NULL)
		snprintf(parent, sizeof(parent), ".");
	else if (snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir) < 0)
		return 0;
	if (parent[0] == '\0')
		snprintf(parent, sizeof(parent), "/");
	if (snprintf(path, sizeof(path), "%s/%s/openapi.json", parent, tag) >= (int)sizeof(path))
		return 0;
	if (pvecg_read_file(&b, path, MAX_JSON, NULL) == 0) {
		pvecg_sha256_hex(hex, b.data ? b.data : "", b.len);
		same = strcmp(hex, sha) == 0;
	}
	pvecg_buf_free(&b);
	return same;
}

/* Cached: a copy's files all name the same tag, and each lookup hashes
 * a few megabytes. */
static int
copy_of_sibling(struct vdir *v, const char *tag)
{
	if (!v->have_sha)
		return 0;
	if (strcmp(v->sibling_tag, tag) != 0) {
		snprintf(v->sibling_tag, sizeof(v->sibling_tag), "%.*s", NAME_MAX, tag);
		v->sibling_ok = sibling_has_sha(v->dir, tag, v->sha);
	}
	return v->sibling_ok;
}

void
verify_check_tag(
    struct vstate *s, struct vdir *v, const char *file, const char *what, const char *tag)
{
	if (tag == NULL) {
		verify_failure(s, file, "no %s", what);
		return;
	}
	if (strcmp(tag, v->expected_tag) == 0)
		return;
	if (v->latest_copy && (strcmp(tag, "latest") == 0 || copy_of_sibling(v, tag)))
		return;
	if (v->latest_copy)
		verify_failure(s, file,
		    "%s \"%s\" is neither \"latest\" nor a sibling version with the "
		    "same openapi.json",
		    what, tag);
	else
		verify_failure(s, file, "%s \"%s\" does not match the directory (expected \"%s\")",
		    what, tag, v->expected_tag);
}

void
verify_check_sha(struct vstate *s, const struct vdir *v, const char *file, const char *sha)
{
	if (sha == NULL) {
		verify_failure(s, file, "no openapi_sha256 pin");
		return;
	}
	if (v->have_sha && strcmp(sha, v->sha) != 0)
		verify_failure(
		    s, file, "openapi_sha256 %s does not match openapi.json (%s)", sha, v->sha);
}

/* ------------------------------------------------------------------ */
/* JSON Schema validation                                               */

struct vfail_ctx {
	struct vstate *s;
	const char *file;
};

static void
on_schema_fail(void *ctx, const char *path, const char *message)
{
	struct vfail_ctx *c = ctx;

	verify_failure(c->s, c->file, "%s: %s (schema)", path, message);
}

void
verify_validate(struct vstate *s, int which, const char *file, const cJSON *doc)
{
	char path[PATH_MAX], name[64];
	struct vfail_ctx ctx = { s, file };
	pvecg_error e;
	size_t nfail = 0;

	if (doc == NULL)
		return;
	snprintf(name, sizeof(name), "%s.schema.json", artifact_names[which]);
	if (s->schemas_dir == NULL)
		snprintf(path, sizeof(path), "(built-in) %s", name);
	else if (pvecg_path_join(path, sizeof(path), s->schemas_dir, name) != 0)
		return;
	if (!s->schema_loaded[which]) {
		s->schema_loaded[which] = 1;
		pvecg_error_clear(&e);
		if (pvecg_schemas_load(
		        &s->schemas[which], s->schemas_dir, artifact_names[which], &e) != 0)
			verify_failure(s, path, "cannot load schema: %s", e.message);
	}
	if (s->schemas[which] == NULL)
		return;
	pvecg_error_clear(&e);
	if (pvecg_jschema_validate(
	        &nfail, s->schemas[which], doc, MAX_SCHEMA_FAILS, on_schema_fail, &ctx, &e) != 0) {
		verify_failure(s, path, "unusable schema: %s", e.message);
		cJSON_Delete(s->schemas[which]);
		s->schemas[which] = NULL;
		return;
	}
	if (nfail > MAX_SCHEMA_FAILS)
		verify_failure(
		    s, file, "%zu schema violations in all, %d shown", nfail, MAX_SCHEMA_FAILS);
}

/* ------------------------------------------------------------------ */
/* Counts                                                               */

long
verify_get_long(const cJSON *obj, const char *key, int *ok)
{
	const cJSON *n = pvecg_json_get(obj, key);

	*ok = cJSON_IsNumber(n);
	return *ok ? (long)n->valuedouble : -1;
}

/* key is "name" or "object.name" (one level). */
void
verify_check_count(struct vstate *s, const char *file, const cJSON *obj, const char *key, long want,
    const char *what)
{
	const char *dot = strchr(key, '.');
	char outer[64];
	int ok;
	long got;

	if (dot != NULL && (size_t)(dot - key) < sizeof(outer)) {
		memcpy(outer, key, (size_t)(dot - key));
		outer[dot - key] = '\0';
		obj = pvecg_json_get(obj, outer);
	}
	got = verify_get_long(obj, dot != NULL ? dot + 1 : key, &ok);

	if (!ok)
		verify_failure(s, file, "no %s", key);
	else if (got != want)
		verify_failure(
		    s, file, "%s is %ld but openapi.json has %ld %s", key, got, want, what);
}

static void
check_openapi(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	pvecg_json_arena *arena;
	cJSON *doc;

	if (pvecg_path_join(file, sizeof(file), v->dir, "openapi.json") != 0)
		return;
	v->sha[0] = '\0';
	doc = load_json(s, v->dir, "openapi.json", v->sha, &arena);
	v->have_sha = v->sha[0] != '\0';
	if (doc == NULL)
		return;
	v->have_openapi = 1;
	verify_check_tag(
	    s, v, file, "info.version", pvecg_json_str(pvecg_json_get(doc, "info"), "version"));
	if (collect_ops(s, v, file, doc) != 0)
		s->fatal = 1;
	/* The operations are copied: the tree's memory is reused for the
	 * artifacts parsed next. */
	pvecg_json_arena_free(arena);
}

/* Copies a name into a fixed field (names are at most NAME_MAX). */
static void
set_tag(struct vdir *v, const char *name)
{
	size_t n = strlen(name);

	if (n >= sizeof(v->expected_tag))
		n = sizeof(v->expected_tag) - 1;
	memcpy(v->expected_tag, name, n);
	v->expected_tag[n] = '\0';
}

/* Expected tag and link checks for dir (no trailing '/'). */
static void
resolve_identity(struct vstate *s, struct vdir *v)
{
	char target[PATH_MAX];
	const char *name = pvecg_path_base_name(v->dir);
	struct stat st;
	ssize_t n;

	set_tag(v, name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '\0') {
		char real[PATH_MAX];

		if (realpath(v->dir[0] ? v->dir : "/", real) != NULL)
			set_tag(v, pvecg_path_base_name(real));
		name = v->expected_tag;
	}
	if (lstat(v->dir, &st) != 0 || !S_ISLNK(st.st_mode)) {
		v->latest_copy = strcmp(name, "latest") == 0;
		return;
	}
	n = readlink(v->dir, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	if (target[0] == '/')
		verify_failure(
		    s, v->dir, "symlink target %s is absolute; use a relative link", target);
	set_tag(v, pvecg_path_base_name(target));
}

/* The second thread of a version directory's check: SHA256SUMS at once,
 * route_metadata.json when openapi.json's operations are known. Its
 * failures go to its own stream, printed after the first thread's, so the
 * output does not depend on timing. */
struct helper {
	struct vstate s;
	/* Copies of the directory's state, so the threads share no cache (a
	 * latest copy's sibling lookup): taken before openapi.json is read,
	 * and after (its operations: the helper marks only in_routes). */
	struct vdir sums_v, routes_v;
	char *text;
	size_t len;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ops_ready, skip; /* skip: the first thread ran out of memory */
};

static void *
helper_main(void *arg)
{
	struct helper *h = arg;
	int skip;

	verify_sums(&h->s, &h->sums_v);
	pthread_mutex_lock(&h->mu);
	while (!h->ops_ready)
		pthread_cond_wait(&h->cv, &h->mu);
	skip = h->skip;
	pthread_mutex_unlock(&h->mu);
	if (!skip && !h->s.fatal)
		verify_routes(&h->s, &h->routes_v);
	return NULL;
}

static void
helper_release(struct helper *h, const struct vdir *v, int skip)
{
	pthread_mutex_lock(&h->mu);
	h->routes_v = *v;
	h->ops_ready = 1;
	h->skip = skip;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/* Runs the helper's checks on a thread (here, when none can be had), beside
 * the checks of openapi.json, model_index.json, raw_capture.json and the
 * headers. 0, or -1 when out of memory before anything ran. */
static int
check_in_two(struct vstate *s, struct vdir *v)
{
	struct helper h;
	pthread_t tid;
	int threaded, i;

	memset(&h, 0, sizeof(h));
	h.s.mem = s->mem;
	h.s.schemas_dir = s->schemas_dir;
	h.sums_v = *v;
	if ((h.s.fp = open_memstream(&h.text, &h.len)) == NULL)
		return -1;
	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.cv, NULL);
	threaded = pthread_create(&tid, NULL, helper_main, &h) == 0;
	check_openapi(s, v);
	if (!threaded)
		verify_sums(&h.s, &h.sums_v);
	helper_release(&h, v, s->fatal);
	if (!s->fatal)
		verify_index(s, v);
	if (!s->fatal)
		verify_capture(s, v);
	if (!s->fatal && s->mem != NULL)
		verify_headers_mem(s, v);
	else if (!s->fatal)
		verify_headers_in(s, v, v->dir, 0);
	if (threaded)
		pthread_join(tid, NULL);
	else if (!s->fatal)
		verify_routes(&h.s, &h.routes_v);
	if (fclose(h.s.fp) != 0 || h.text == NULL)
		s->fatal = 1;
	else
		fwrite(h.text, 1, h.len, s->fp);
	free(h.text);
	s->failures += h.s.failures;
	s->fatal |= h.s.fatal;
	for (i = 0; i < NARTIFACTS; i++)
		cJSON_Delete(h.s.schemas[i]);
	pthread_cond_destroy(&h.cv);
	pthread_mutex_destroy(&h.mu);
	return 0;
}

/* tag: the expected version tag of a file set; NULL for a directory. */
static void
check_version_dir(struct vstate *s, const char *dir, const char *tag)
{
	struct vdir v;
	size_t i;

	memset(&v, 0, sizeof(v));
	snprintf(v.dir, sizeof(v.dir), "%s", dir);
	if (tag != NULL)
		set_tag(&v, tag);
	else
		resolve_identity(s, &v);
	if (check_in_two(s, &v) != 0)
		s->fatal = 1;
	for (i = 0; i < v.nops; i++) {
		free(v.ops[i].path);
		free(v.ops[i].id);
	}
	free(v.ops);
}

static void
verify_one(void *ctx, const char *dir, const char *rel)
{
	(void)rel;
	check_version_dir(ctx, dir, NULL);
}

int
pvecg_verify_files(const pvecg_files *files, const char *dir, const char *tag,
    const char *schemas_dir, FILE *fp, pvecg_error *err)
{
	struct vstate s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.fp = fp;
	s.mem = files;
	s.schemas_dir = schemas_dir;
	check_version_dir(&s, dir, tag);
	for (i = 0; i < NARTIFACTS; i++)
		cJSON_Delete(s.schemas[i]);
	if (s.fatal)
		return pvecg_error_set(err, PVECG_ENOMEM, dir, "out of memory");
	if (s.failures > 0)
		return pvecg_error_set(err, PVECG_EINTERNAL, dir,
		    "self-check failed: %zu problem(s) in the files this run made; nothing was "
		    "written",
		    s.failures);
	return 0;
}

int
pvecg_verify(const char *root, const char *schemas_dir, FILE *fp, pvecg_error *err)
{
	char top[PATH_MAX];
	struct vstate s;
	size_t found = 0, i;
	int rc;

	rc = pvecg_versions_root(top, sizeof(top), root, err);
	if (rc != 0)
		return rc;
	memset(&s, 0, sizeof(s));
	s.fp = fp;
	s.schemas_dir = schemas_dir;
	rc = pvecg_versions_walk(top, verify_one, &s, &found);
	for (i = 0; i < NARTIFACTS; i++)
		cJSON_Delete(s.schemas[i]);
	if (rc != 0)
		return pvecg_error_set(err, rc, top, "cannot list: %s", strerror(errno));
	if (s.fatal)
		return pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	if (found == 0)
		return pvecg_error_set(
		    err, PVECG_EINPUT, top, "no version directory (with openapi.json) found");
	if (s.failures > 0)
		return pvecg_error_set(err, PVECG_EDRIFT, top,
		    "%zu problem(s) in %zu version director%s", s.failures, found,
		    found == 1 ? "y" : "ies");
	return 0;
}
