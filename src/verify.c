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
 *  - every shard file model_index.json names exists and declares the models
 *    the index names for it;
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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvecg/buf.h"
#include "pvecg/checksums.h"
#include "pvecg/httpmethod.h"
#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/schemas.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"

#define MAX_JSON (512u * 1024 * 1024)
#define MAX_HEADER (256u * 1024 * 1024)
#define MAX_SCHEMA_FAILS 50
#define MAX_WALK_DEPTH 8

static const char *const artifact_names[] = { "raw_capture", "route_metadata", "model_index" };
#define NARTIFACTS 3

struct vstate {
	FILE *fp;
	const pvecg_files *mem;      /* check this set instead of reading files */
	const char *schemas_dir;
	size_t failures;
	cJSON *schemas[NARTIFACTS];
	int schema_loaded[NARTIFACTS];
	int fatal;                   /* out of memory: stop */
};

/* One operation of openapi.json. */
struct op {
	char method[8];
	const char *path;
	const char *id;
	int in_routes, in_index;
};

/* What one version directory holds, as far as the checks need it. */
struct vdir {
	char dir[PATH_MAX];          /* as given, no trailing '/' */
	char expected_tag[NAME_MAX + 1];
	int latest_copy;             /* "latest" that is a directory, not a link */
	int have_sha;
	char sha[65];
	cJSON *openapi;
	long npaths;
	long per_method[PVECG_HTTP_NMETHODS];
	struct op *ops;
	size_t nops;
	char sibling_tag[NAME_MAX + 1]; /* last sibling judged for a latest copy */
	int sibling_ok;
};

/* "<file>: <what>" with control characters from the files made harmless. */
static void
failure(struct vstate *s, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
failure(struct vstate *s, const char *file, const char *fmt, ...)
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

static int
join(char *out, size_t cap, const char *a, const char *b)
{
	int n = snprintf(out, cap, "%s/%s", a, b);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
is_version_dir(const char *dir)
{
	static const char *const marks[] = { "openapi.json", "route_metadata.json",
		"model_index.json", "raw_capture.json" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (join(p, sizeof(p), dir, marks[i]) == 0 && exists(p))
			return 1;
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

/* The bytes of DIR/REL: borrowed from the file set of a self-check, else
 * read into *owned. 1 when there, 0 when missing, -1 when unreadable
 * (reported here). */
static int
artifact_bytes(struct vstate *s, const char *dir, const char *rel, size_t max,
    pvecg_buf *owned, const char **data, size_t *len)
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
	if (join(path, sizeof(path), dir, rel) != 0) {
		failure(s, dir, "path too long");
		return -1;
	}
	if (!exists(path))
		return 0;
	pvecg_error_clear(&e);
	if (pvecg_read_file(owned, path, max, &e) != 0) {
		failure(s, path, "%s", e.message);
		return -1;
	}
	*data = owned->data ? owned->data : "";
	*len = owned->len;
	return 1;
}

/* Reads and parses DIR/NAME; a missing or broken file is one failure.
 * With sha, the SHA-256 of the bytes is taken even when they do not parse. */
static cJSON *
load_json(struct vstate *s, const char *dir, const char *name, char sha[65])
{
	char path[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	const char *data;
	size_t len;
	cJSON *j = NULL;
	int got;

	if (join(path, sizeof(path), dir, name) != 0) {
		failure(s, dir, "path too long");
		return NULL;
	}
	got = artifact_bytes(s, dir, name, MAX_JSON, &b, &data, &len);
	if (got == 0)
		failure(s, path, "missing");
	if (got <= 0)
		goto out;
	if (sha != NULL)
		pvecg_sha256_hex(sha, data, len);
	j = cJSON_ParseWithLength(data, len);
	if (j == NULL) {
		failure(s, path, "not valid JSON");
	} else if (!cJSON_IsObject(j)) {
		failure(s, path, "top level is not a JSON object");
		cJSON_Delete(j);
		j = NULL;
	}
out:
	pvecg_buf_free(&b);
	return j;
}

static int
collect_ops(struct vstate *s, struct vdir *v, const char *file)
{
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(v->openapi, "paths");
	const cJSON *p, *m;
	size_t cap = 0;

	if (!cJSON_IsObject(paths)) {
		failure(s, file, "no \"paths\" object");
		return 0;
	}
	cJSON_ArrayForEach(p, paths) {
		v->npaths++;
		cJSON_ArrayForEach(m, p) {
			int mi = pvecg_httpmethod_find_lower(m->string);
			const char *upper;

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
			memset(&v->ops[v->nops], 0, sizeof(v->ops[0]));
			snprintf(v->ops[v->nops].method, sizeof(v->ops[v->nops].method), "%s", upper);
			v->ops[v->nops].path = p->string;
			v->ops[v->nops].id = pvecg_json_str(m, "operationId");
			if (v->ops[v->nops].id == NULL)
				failure(s, file, "%s %s has no operationId", upper, p->string);
			v->per_method[mi]++;
			v->nops++;
		}
	}
	return 0;
}

static struct op *
find_op_by_id(struct vdir *v, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < v->nops; i++)
		if (v->ops[i].id != NULL && strcmp(v->ops[i].id, id) == 0)
			return &v->ops[i];
	return NULL;
}

static struct op *
find_op(struct vdir *v, const char *method, const char *path)
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

static void
check_tag(struct vstate *s, struct vdir *v, const char *file, const char *what,
    const char *tag)
{
	if (tag == NULL) {
		failure(s, file, "no %s", what);
		return;
	}
	if (strcmp(tag, v->expected_tag) == 0)
		return;
	if (v->latest_copy && (strcmp(tag, "latest") == 0 ||
	    copy_of_sibling(v, tag)))
		return;
	if (v->latest_copy)
		failure(s, file, "%s \"%s\" is neither \"latest\" nor a sibling version with the "
		    "same openapi.json", what, tag);
	else
		failure(s, file, "%s \"%s\" does not match the directory (expected \"%s\")",
		    what, tag, v->expected_tag);
}

static void
check_sha(struct vstate *s, const struct vdir *v, const char *file, const char *sha)
{
	if (sha == NULL) {
		failure(s, file, "no openapi_sha256 pin");
		return;
	}
	if (v->have_sha && strcmp(sha, v->sha) != 0)
		failure(s, file, "openapi_sha256 %s does not match openapi.json (%s)", sha, v->sha);
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

	failure(c->s, c->file, "%s: %s (schema)", path, message);
}

static void
validate_artifact(struct vstate *s, int which, const char *file, const cJSON *doc)
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
	else if (join(path, sizeof(path), s->schemas_dir, name) != 0)
		return;
	if (!s->schema_loaded[which]) {
		s->schema_loaded[which] = 1;
		pvecg_error_clear(&e);
		if (pvecg_schemas_load(&s->schemas[which], s->schemas_dir, artifact_names[which], &e) != 0)
			failure(s, path, "cannot load schema: %s", e.message);
	}
	if (s->schemas[which] == NULL)
		return;
	pvecg_error_clear(&e);
	if (pvecg_jschema_validate(&nfail, s->schemas[which], doc, MAX_SCHEMA_FAILS,
	    on_schema_fail, &ctx, &e) != 0) {
		failure(s, path, "unusable schema: %s", e.message);
		cJSON_Delete(s->schemas[which]);
		s->schemas[which] = NULL;
		return;
	}
	if (nfail > MAX_SCHEMA_FAILS)
		failure(s, file, "%zu schema violations in all, %d shown", nfail, MAX_SCHEMA_FAILS);
}

/* ------------------------------------------------------------------ */
/* route_metadata.json                                                  */

static long
get_long(const cJSON *obj, const char *key, int *ok)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);

	*ok = cJSON_IsNumber(n);
	return *ok ? (long)n->valuedouble : -1;
}

/* key is "name" or "object.name" (one level). */
static void
check_count(struct vstate *s, const char *file, const cJSON *obj, const char *key,
    long want, const char *what)
{
	const char *dot = strchr(key, '.');
	char outer[64];
	int ok;
	long got;

	if (dot != NULL && (size_t)(dot - key) < sizeof(outer)) {
		memcpy(outer, key, (size_t)(dot - key));
		outer[dot - key] = '\0';
		obj = cJSON_GetObjectItemCaseSensitive(obj, outer);
	}
	got = get_long(obj, dot != NULL ? dot + 1 : key, &ok);

	if (!ok)
		failure(s, file, "no %s", key);
	else if (got != want)
		failure(s, file, "%s is %ld but openapi.json has %ld %s", key, got, want, what);
}

static void
check_routes(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	const cJSON *routes, *r, *cpm;
	cJSON *doc;
	size_t i, nroutes = 0;
	int ok;
	long rc_count;

	if (join(file, sizeof(file), v->dir, "route_metadata.json") != 0)
		return;
	doc = load_json(s, v->dir, "route_metadata.json", NULL);
	if (doc == NULL)
		return;
	check_sha(s, v, file, pvecg_json_str(doc, "openapi_sha256"));
	check_tag(s, v, file, "version_tag", pvecg_json_str(doc, "version_tag"));
	routes = cJSON_GetObjectItemCaseSensitive(doc, "routes");
	nroutes = (size_t)cJSON_GetArraySize(routes);
	rc_count = get_long(doc, "route_count", &ok);
	if (ok && (size_t)rc_count != nroutes)
		failure(s, file, "route_count is %ld but \"routes\" has %zu entries", rc_count, nroutes);
	if (v->openapi != NULL) {
		check_count(s, file, doc, "path_count", v->npaths, "paths");
		check_count(s, file, doc, "route_count", (long)v->nops, "operations");
		cpm = cJSON_GetObjectItemCaseSensitive(doc, "counts_per_method");
		for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
			const char *name = pvecg_httpmethods[pvecg_httpmethods_by_name[i]].upper;
			long want = v->per_method[pvecg_httpmethods_by_name[i]];

			if (get_long(cpm, name, &ok) != want || !ok)
				failure(s, file, "counts_per_method.%s is %ld but openapi.json has %ld",
				    name, get_long(cpm, name, &ok), want);
		}
		cJSON_ArrayForEach(r, routes) {
			struct op *o = find_op(v, pvecg_json_str(r, "method"), pvecg_json_str(r, "path"));

			if (o == NULL)
				failure(s, file, "route %s %s is not an operation of openapi.json",
				    pvecg_json_str(r, "method") ? pvecg_json_str(r, "method") : "?",
				    pvecg_json_str(r, "path") ? pvecg_json_str(r, "path") : "?");
			else if (o->id == NULL || pvecg_json_str(r, "operation_id") == NULL ||
			    strcmp(o->id, pvecg_json_str(r, "operation_id")) != 0)
				failure(s, file, "route %s %s has operation_id \"%s\", openapi.json says \"%s\"",
				    o->method, o->path, pvecg_json_str(r, "operation_id") ?
				    pvecg_json_str(r, "operation_id") : "", o->id ? o->id : "");
			else
				o->in_routes = 1;
		}
		for (i = 0; i < v->nops; i++)
			if (!v->ops[i].in_routes)
				failure(s, file, "operation %s (%s %s) is missing",
				    v->ops[i].id ? v->ops[i].id : "?", v->ops[i].method, v->ops[i].path);
	}
	validate_artifact(s, 1, file, doc);
	cJSON_Delete(doc);
}

/* ------------------------------------------------------------------ */
/* model_index.json and the shards                                      */

struct text_file {
	char *rel;
	int present;
	pvecg_buf text;
	struct text_file *next;
};

struct index_ctx {
	struct vstate *s;
	struct vdir *v;
	const char *index_file;
	const cJSON *shards;       /* top-level "shards" of the index, if any */
	struct text_file *files;   /* each shard file read once */
};

static struct text_file *
named_file(struct index_ctx *c, const char *rel, const char *kind)
{
	struct text_file *f;
	const char *data;
	size_t len;
	int got;

	for (f = c->files; f != NULL; f = f->next)
		if (strcmp(f->rel, rel) == 0)
			return f;
	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->rel = pvecg_strdup(rel)) == NULL) {
		free(f);
		c->s->fatal = 1;
		return NULL;
	}
	f->next = c->files;
	c->files = f;
	if (rel[0] == '/' || strstr(rel, "..") != NULL) {
		failure(c->s, c->index_file, "%s \"%s\" is not a plain relative path", kind, rel);
		return f;
	}
	got = artifact_bytes(c->s, c->v->dir, rel, MAX_HEADER, &f->text, &data, &len);
	if (got == 0)
		failure(c->s, c->index_file, "%s %s does not exist", kind, rel);
	if (got <= 0)
		return f;
	/* Borrowed bytes of a file set are not NUL-terminated: copy them. */
	if (c->s->mem != NULL && pvecg_buf_append(&f->text, data, len) != 0) {
		c->s->fatal = 1;
		return f;
	}
	f->present = 1;
	return f;
}

static struct text_file *
shard_file(struct index_ctx *c, const char *rel)
{
	return named_file(c, rel, "shard file");
}

static void
free_files(struct text_file *f)
{
	while (f != NULL) {
		struct text_file *n = f->next;

		free(f->rel);
		pvecg_buf_free(&f->text);
		free(f);
		f = n;
	}
}

static int
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The name as a whole C identifier somewhere in the text. */
static int
declares(const struct text_file *f, const char *name)
{
	size_t n = strlen(name);
	const char *p = f->text.data;

	if (p == NULL || n == 0)
		return 0;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == f->text.data || !is_ident(p[-1])) && !is_ident(p[n]))
			return 1;
		p += n;
	}
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Shard files named inside a record: every string ending in .h or .c. */
static void
gather_files(const cJSON *node, const cJSON **out, size_t *n, size_t cap, int depth)
{
	const cJSON *c;

	if (depth > 4)
		return;
	if (cJSON_IsString(node) && (ends_with(node->valuestring, ".h") ||
	    ends_with(node->valuestring, ".c"))) {
		if (*n < cap)
			out[(*n)++] = node;
		return;
	}
	cJSON_ArrayForEach(c, node)
		gather_files(c, out, n, cap, depth + 1);
}

/* Model names of an operation record: strings under keys naming a model. */
static void
gather_models(const cJSON *rec, const char **out, size_t *n, size_t cap)
{
	const cJSON *c, *e;

	cJSON_ArrayForEach(c, rec) {
		if (c->string == NULL || strstr(c->string, "model") == NULL)
			continue;
		if (cJSON_IsString(c) && c->valuestring[0] != '\0' && *n < cap)
			out[(*n)++] = c->valuestring;
		cJSON_ArrayForEach(e, c)
			if (cJSON_IsString(e) && cJSON_IsArray(c) && *n < cap)
				out[(*n)++] = e->valuestring;
	}
}

/* The shard record of an operation: inline, or by name in "shards". */
static const cJSON *
shard_record(const struct index_ctx *c, const cJSON *rec)
{
	const char *keys[] = { "shard", "group" };
	const cJSON *s;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *name = pvecg_json_str(rec, keys[i]);

		if (name == NULL)
			continue;
		if (cJSON_IsObject(c->shards) && (s = cJSON_GetObjectItemCaseSensitive(c->shards, name)))
			return s;
		if (cJSON_IsArray(c->shards))
			cJSON_ArrayForEach(s, c->shards)
				if (pvecg_json_str(s, "name") && strcmp(pvecg_json_str(s, "name"), name) == 0)
					return s;
	}
	return NULL;
}

/* Every model named must be declared by one of the shard's headers (or,
 * without a header, one of its sources). */
static void
check_models_declared(struct index_ctx *c, const char *who, const cJSON **files, size_t nfiles,
    const char **models, size_t nmodels)
{
	struct text_file *tf[16];
	size_t i, j, ntf = 0;
	int have_header = 0;

	for (i = 0; i < nfiles && ntf < 16; i++) {
		tf[ntf] = shard_file(c, files[i]->valuestring);
		if (tf[ntf] == NULL)
			return;
		have_header |= ends_with(files[i]->valuestring, ".h");
		ntf++;
	}
	for (j = 0; j < nmodels; j++) {
		int found = 0, any_present = 0;

		for (i = 0; i < ntf && !found; i++) {
			if (have_header && !ends_with(tf[i]->rel, ".h"))
				continue;
			any_present |= tf[i]->present;
			found = tf[i]->present && declares(tf[i], models[j]);
		}
		if (!found && any_present)
			failure(c->s, c->index_file, "%s: model %s is not declared in its shard (%s)",
			    who, models[j], ntf > 0 ? tf[0]->rel : "?");
	}
}

static void
check_index_op(struct index_ctx *c, const char *id, const cJSON *rec)
{
	const cJSON *files[16];
	const char *models[32];
	size_t nfiles = 0, nmodels = 0;
	const cJSON *sh = shard_record(c, rec);
	struct op *o = find_op_by_id(c->v, id);

	if (o != NULL) {
		const char *m = pvecg_json_str(rec, "method"), *p = pvecg_json_str(rec, "path");

		o->in_index = 1;
		if ((m != NULL && strcmp(m, o->method) != 0) || (p != NULL && strcmp(p, o->path) != 0))
			failure(c->s, c->index_file, "operation %s is %s %s, openapi.json says %s %s",
			    id, m ? m : "?", p ? p : "?", o->method, o->path);
	} else if (c->v->openapi != NULL) {
		failure(c->s, c->index_file, "operation %s is not in openapi.json", id);
	}
	gather_models(rec, models, &nmodels, 32);
	gather_files(rec, files, &nfiles, 16, 0);
	if (sh != NULL)
		gather_files(sh, files, &nfiles, 16, 0);
	if (nfiles == 0) {
		failure(c->s, c->index_file, "operation %s names no shard file", id);
		return;
	}
	check_models_declared(c, id, files, nfiles, models, nmodels);
}

/* Top-level "shards": files exist, listed models are declared. */
static void
check_shard_list(struct index_ctx *c)
{
	const cJSON *sh;

	cJSON_ArrayForEach(sh, c->shards) {
		const cJSON *files[16];
		const char *models[4096];
		size_t nfiles = 0, nmodels = 0;
		const char *who = sh->string ? sh->string : pvecg_json_str(sh, "name");
		char label[300];

		gather_files(sh, files, &nfiles, 16, 0);
		gather_models(sh, models, &nmodels, sizeof(models) / sizeof(models[0]));
		snprintf(label, sizeof(label), "shard %s", who ? who : "?");
		check_models_declared(c, label, files, nfiles, models, nmodels);
	}
}

static void
check_index_ops(struct index_ctx *c, const cJSON *ops)
{
	const cJSON *rec;
	size_t i;

	if (cJSON_IsObject(ops)) {
		cJSON_ArrayForEach(rec, ops)
			check_index_op(c, rec->string, rec);
	} else if (cJSON_IsArray(ops)) {
		cJSON_ArrayForEach(rec, ops) {
			const char *id = pvecg_json_str(rec, "operation_id");

			if (id == NULL)
				id = pvecg_json_str(rec, "operationId");
			if (id == NULL)
				failure(c->s, c->index_file, "an operation record has no operation_id");
			else
				check_index_op(c, id, rec);
		}
	} else {
		failure(c->s, c->index_file, "no \"operations\"");
		return;
	}
	for (i = 0; c->v->openapi != NULL && i < c->v->nops; i++)
		if (!c->v->ops[i].in_index)
			failure(c->s, c->index_file, "operation %s (%s %s) is missing",
			    c->v->ops[i].id ? c->v->ops[i].id : "?", c->v->ops[i].method,
			    c->v->ops[i].path);
}

/* "#define NAME VALUE" as a whole line's start, VALUE ending there. */
static int
defines(const struct text_file *f, const char *name_value)
{
	const char *p = f->text.data;
	size_t n = strlen(name_value);

	while (p != NULL && (p = strstr(p, name_value)) != NULL) {
		if (!is_ident(p[n]) && p - f->text.data >= 8 && strncmp(p - 8, "#define ", 8) == 0)
			return 1;
		p += n;
	}
	return 0;
}

/* Top-level files (the aggregate) exist; "abi" is the runtime's. */
static void
check_index_files(struct index_ctx *c, const cJSON *doc)
{
	const cJSON *m, *abi = cJSON_GetObjectItemCaseSensitive(doc, "abi");
	struct text_file *rt;
	char want[64];

	cJSON_ArrayForEach(m, doc)
		if (cJSON_IsString(m) && (ends_with(m->valuestring, ".h") ||
		    ends_with(m->valuestring, ".c")))
			(void)named_file(c, m->valuestring, "file");
	if (!cJSON_IsNumber(abi))
		return;
	rt = named_file(c, "models/pvecg_rt.h", "runtime header");
	snprintf(want, sizeof(want), "PVECG_RT_ABI %ld", (long)abi->valuedouble);
	if (rt != NULL && rt->present && !defines(rt, want))
		failure(c->s, c->index_file, "abi %ld is not the runtime's (models/pvecg_rt.h lacks \"#define %s\")",
		    (long)abi->valuedouble, want);
}

static void
check_index(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	struct index_ctx c;
	cJSON *doc;

	if (join(file, sizeof(file), v->dir, "model_index.json") != 0)
		return;
	doc = load_json(s, v->dir, "model_index.json", NULL);
	if (doc == NULL)
		return;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.v = v;
	c.index_file = file;
	c.shards = cJSON_GetObjectItemCaseSensitive(doc, "shards");
	check_sha(s, v, file, pvecg_json_str(doc, "openapi_sha256"));
	check_tag(s, v, file, "version_tag", pvecg_json_str(doc, "version_tag"));
	check_index_ops(&c, cJSON_GetObjectItemCaseSensitive(doc, "operations"));
	check_shard_list(&c);
	check_index_files(&c, doc);
	if (v->openapi != NULL && cJSON_HasObjectItem(doc, "counts"))
		check_count(s, file, doc, "counts.operations",
		    (long)v->nops, "operations");
	free_files(c.files);
	validate_artifact(s, 2, file, doc);
	cJSON_Delete(doc);
}

/* ------------------------------------------------------------------ */
/* raw_capture.json, openapi.json, headers                              */

/* One count of raw_capture.json against what it holds (absent: not checked,
 * the schema says what is required). */
static void
check_own_count(struct vstate *s, const char *file, const cJSON *counts, const char *key,
    long want, const char *what)
{
	int ok;
	long got = get_long(counts, key, &ok);

	if (ok && got != want)
		failure(s, file, "counts.%s is %ld but the file holds %ld %s", key, got, want, what);
}

/* The capture's counts agree with its own lists and endpoints. */
static void
check_capture_counts(struct vstate *s, const char *file, const cJSON *doc)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(doc, "counts");
	const cJSON *per = cJSON_GetObjectItemCaseSensitive(counts, "per_method");
	const cJSON *eps = cJSON_GetObjectItemCaseSensitive(doc, "endpoints");
	const cJSON *ep, *m;
	long methods = 0, n[PVECG_HTTP_NMETHODS] = { 0 };
	int i, ok;

	cJSON_ArrayForEach(ep, eps) {
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(ep, "methods")) {
			methods++;
			if ((i = pvecg_httpmethod_find_upper(m->string)) >= 0)
				n[i]++;
		}
	}
	check_own_count(s, file, counts, "endpoints", cJSON_GetArraySize(eps), "endpoints");
	check_own_count(s, file, counts, "methods", methods, "methods");
	for (i = 0; i < PVECG_HTTP_NMETHODS; i++) {
		long got = get_long(per, pvecg_httpmethods[i].upper, &ok);

		if ((ok ? got : 0) != n[i])
			failure(s, file, "counts.per_method.%s is %ld but the file holds %ld",
			    pvecg_httpmethods[i].upper, ok ? got : 0, n[i]);
	}
	check_own_count(s, file, counts, "duplicate_paths",
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "duplicate_paths")), "duplicate paths");
	if (cJSON_HasObjectItem(doc, "duplicate_methods"))
		check_own_count(s, file, counts, "duplicate_methods",
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "duplicate_methods")),
		    "duplicate methods");
	check_own_count(s, file, counts, "endpoints_without_methods",
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "endpoints_without_methods")),
	    "endpoints without methods");
}

static void
check_capture(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	cJSON *doc;

	if (join(file, sizeof(file), v->dir, "raw_capture.json") != 0)
		return;
	doc = load_json(s, v->dir, "raw_capture.json", NULL);
	if (doc == NULL)
		return;
	if (v->openapi != NULL)
		check_count(s, file, doc, "counts.methods",
		    (long)v->nops, "operations");
	check_capture_counts(s, file, doc);
	validate_artifact(s, 0, file, doc);
	cJSON_Delete(doc);
}

static void
check_openapi(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];

	if (join(file, sizeof(file), v->dir, "openapi.json") != 0)
		return;
	v->sha[0] = '\0';
	v->openapi = load_json(s, v->dir, "openapi.json", v->sha);
	v->have_sha = v->sha[0] != '\0';
	if (v->openapi == NULL)
		return;
	check_tag(s, v, file, "info.version",
	    pvecg_json_str(cJSON_GetObjectItemCaseSensitive(v->openapi, "info"), "version"));
	if (collect_ops(s, v, file) != 0)
		s->fatal = 1;
	/* Only paths and info are read from here on: the schemas' memory is
	 * reused for the artifacts parsed next. */
	cJSON_DeleteItemFromObjectCaseSensitive(v->openapi, "components");
}

/* Every `<prefix>KEY "value"` in the text must carry want. */
static void
check_pin_strings(struct vstate *s, struct vdir *v, const char *file, const char *text,
    const char *key, int is_tag)
{
	size_t klen = strlen(key);
	const char *p = text;
	int seen = 0;

	while ((p = strstr(p, key)) != NULL) {
		const char *val = p + klen, *end = strchr(val, '"');
		char got[256];

		p = val;
		if (end == NULL || (size_t)(end - val) >= sizeof(got))
			continue;
		memcpy(got, val, (size_t)(end - val));
		got[end - val] = '\0';
		seen = 1;
		if (is_tag)
			check_tag(s, v, file, "VERSION_TAG", got);
		else if (v->have_sha && strcmp(got, v->sha) != 0)
			failure(s, file, "OPENAPI_SHA256 %s does not match openapi.json (%s)", got, v->sha);
	}
	if (!seen)
		failure(s, file, "no %s...\" pin", key);
}

/* pvecg_rt*.h is the shared runtime, copied verbatim into every tree: not
 * made from openapi.json, so not pinned. Every other header is. */
static int
is_pinned_header(const char *name)
{
	return ends_with(name, ".h") && strncmp(name, "pvecg_rt", 8) != 0;
}

static void
check_header_pins(struct vstate *s, struct vdir *v, const char *path, const char *text)
{
	check_pin_strings(s, v, path, text, "OPENAPI_SHA256 \"", 0);
	check_pin_strings(s, v, path, text, "VERSION_TAG \"", 1);
}

static void
check_headers_in(struct vstate *s, struct vdir *v, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n, i;

	if (depth > MAX_WALK_DEPTH)
		return;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		failure(s, dir, "cannot list: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;

		if (ents[i]->d_name[0] == '.' || join(path, sizeof(path), dir, ents[i]->d_name) != 0 ||
		    lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			check_headers_in(s, v, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_pinned_header(ents[i]->d_name)) {
			pvecg_buf b = PVECG_BUF_INIT;

			if (pvecg_read_file(&b, path, MAX_HEADER, NULL) != 0)
				failure(s, path, "cannot read");
			else
				check_header_pins(s, v, path, b.data ? b.data : "");
			pvecg_buf_free(&b);
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

/* The headers of a file set in memory (hidden paths skipped, as on disk). */
static void
check_headers_mem(struct vstate *s, struct vdir *v)
{
	size_t i;

	for (i = 0; i < s->mem->n; i++) {
		const pvecg_file *f = &s->mem->items[i];
		pvecg_buf b = PVECG_BUF_INIT;
		char path[PATH_MAX];

		if (!is_pinned_header(base_name(f->path)) || f->path[0] == '.' ||
		    strstr(f->path, "/.") != NULL || join(path, sizeof(path), v->dir, f->path) != 0)
			continue;
		/* the set's bytes are not NUL-terminated: a string copy */
		if (pvecg_buf_append(&b, f->data ? f->data : "", f->len) != 0)
			s->fatal = 1;
		else
			check_header_pins(s, v, path, b.data ? b.data : "");
		pvecg_buf_free(&b);
	}
}

/* ------------------------------------------------------------------ */
/* SHA256SUMS                                                           */

struct names {
	char **v;
	size_t n, cap;
};

static int
names_add(struct names *l, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->v, cap * sizeof(*p));

		if (p == NULL)
			return PVECG_ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	if ((l->v[l->n] = pvecg_strdup(name)) == NULL)
		return PVECG_ENOMEM;
	l->n++;
	return 0;
}

static void
names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Every file below dir, as paths relative to it (SHA256SUMS at the top left out). */
static int
list_files(struct names *l, const char *dir, const char *rel, int depth)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX], sub[PATH_MAX];
	int n, i, rc = 0;

	if (depth > MAX_WALK_DEPTH)
		return 0;
	if ((rel[0] ? join(path, sizeof(path), dir, rel) : snprintf(path, sizeof(path), "%s", dir) < 0) != 0 ||
	    (n = scandir(path, &ents, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;

		if (strcmp(ents[i]->d_name, ".") == 0 || strcmp(ents[i]->d_name, "..") == 0 ||
		    (rel[0] == '\0' && strcmp(ents[i]->d_name, PVECG_CHECKSUMS_FILE) == 0))
			continue;
		if ((rel[0] ? join(sub, sizeof(sub), rel, ents[i]->d_name) :
		    snprintf(sub, sizeof(sub), "%s", ents[i]->d_name) < 0) != 0 ||
		    join(path, sizeof(path), dir, sub) != 0 || lstat(path, &st) != 0)
			continue;
		rc = S_ISDIR(st.st_mode) ? list_files(l, dir, sub, depth + 1) : names_add(l, sub);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}

static int
actual_files(struct vstate *s, struct names *l, const char *dir)
{
	size_t i;

	if (s->mem == NULL)
		return list_files(l, dir, "", 0);
	for (i = 0; i < s->mem->n; i++)
		if (strcmp(s->mem->items[i].path, PVECG_CHECKSUMS_FILE) != 0 &&
		    names_add(l, s->mem->items[i].path) != 0)
			return PVECG_ENOMEM;
	return 0;
}

static void
check_listed(struct vstate *s, struct vdir *v, const char *file, const pvecg_checksum *c)
{
	pvecg_buf b = PVECG_BUF_INIT;
	const char *data;
	char hex[65];
	size_t len;
	int got = artifact_bytes(s, v->dir, c->path, MAX_JSON, &b, &data, &len);

	if (got == 0)
		failure(s, file, "names %s, which does not exist", c->path);
	if (got > 0) {
		if (v->have_sha && strcmp(c->path, "openapi.json") == 0)
			memcpy(hex, v->sha, sizeof(hex)); /* hashed by check_openapi in this pass */
		else
			pvecg_sha256_hex(hex, data, len);
		if (strcmp(hex, c->hex) != 0)
			failure(s, file, "%s: SHA-256 is %s, SHA256SUMS says %s", c->path, hex, c->hex);
	}
	pvecg_buf_free(&b);
}

static void
check_sums(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_checksum *sums = NULL;
	struct names have = { NULL, 0, 0 };
	const char *data;
	size_t len, n = 0, i, j;
	pvecg_error e;
	int got;

	if (join(file, sizeof(file), v->dir, PVECG_CHECKSUMS_FILE) != 0)
		return;
	got = artifact_bytes(s, v->dir, PVECG_CHECKSUMS_FILE, MAX_JSON, &b, &data, &len);
	if (got == 0)
		failure(s, file, "missing");
	pvecg_error_clear(&e);
	if (got > 0 && pvecg_checksums_parse(&sums, &n, data, len, file, &e) != 0) {
		if (e.code == PVECG_ENOMEM)
			s->fatal = 1;
		else
			failure(s, file, "%s", e.message);
	}
	for (i = 0; i < n; i++)
		check_listed(s, v, file, &sums[i]);
	if (got > 0 && sums != NULL && actual_files(s, &have, v->dir) != 0)
		s->fatal = 1;
	for (i = 0; i < have.n && !s->fatal; i++) {
		for (j = 0; j < n && strcmp(sums[j].path, have.v[i]) != 0; j++)
			;
		if (j == n)
			failure(s, file, "does not list %s", have.v[i]);
	}
	names_free(&have);
	pvecg_checksums_free(sums, n);
	pvecg_buf_free(&b);
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
	const char *name = base_name(v->dir);
	struct stat st;
	ssize_t n;

	set_tag(v, name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || name[0] == '\0') {
		char real[PATH_MAX];

		if (realpath(v->dir[0] ? v->dir : "/", real) != NULL)
			set_tag(v, base_name(real));
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
		failure(s, v->dir, "symlink target %s is absolute; use a relative link", target);
	set_tag(v, base_name(target));
}

/* tag: the expected version tag of a file set; NULL for a directory. */
static void
check_version_dir(struct vstate *s, const char *dir, const char *tag)
{
	struct vdir v;

	memset(&v, 0, sizeof(v));
	snprintf(v.dir, sizeof(v.dir), "%s", dir);
	if (tag != NULL)
		set_tag(&v, tag);
	else
		resolve_identity(s, &v);
	check_openapi(s, &v);
	if (!s->fatal)
		check_routes(s, &v);
	if (!s->fatal)
		check_index(s, &v);
	if (!s->fatal)
		check_capture(s, &v);
	if (!s->fatal && s->mem != NULL)
		check_headers_mem(s, &v);
	else if (!s->fatal)
		check_headers_in(s, &v, v.dir, 0);
	if (!s->fatal)
		check_sums(s, &v);
	cJSON_Delete(v.openapi);
	free(v.ops);
}

/* ------------------------------------------------------------------ */
/* Walking ROOT                                                         */

typedef void (*version_fn)(void *ctx, const char *dir, const char *rel);

/* Calls fn for every version directory at ROOT, one or two levels below. */
static int
walk(const char *root, int depth, const char *rel, version_fn fn, void *ctx, size_t *found)
{
	struct dirent **ents = NULL;
	int n, i, rc = 0;

	if (is_version_dir(root)) {
		fn(ctx, root, rel[0] ? rel : base_name(root));
		(*found)++;
		return 0;
	}
	if (depth >= 2)
		return 0;
	n = scandir(root, &ents, NULL, alphasort);
	if (n < 0)
		return PVECG_EIO;
	for (i = 0; i < n && rc == 0; i++) {
		char path[PATH_MAX], sub[PATH_MAX];

		if (ents[i]->d_name[0] == '.')
			continue;
		if (join(path, sizeof(path), root, ents[i]->d_name) != 0 ||
		    (rel[0] ? join(sub, sizeof(sub), rel, ents[i]->d_name) :
		    snprintf(sub, sizeof(sub), "%s", ents[i]->d_name) < 0))
			continue;
		if (is_dir(path))
			rc = walk(path, depth + 1, sub, fn, ctx, found);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}

static int
normalize_root(char *out, size_t cap, const char *root, pvecg_error *err)
{
	size_t n;

	if (root == NULL || root[0] == '\0')
		return pvecg_error_set(err, PVECG_EUSAGE, "", "no ROOT given");
	n = strlen(root);
	if (n >= cap)
		return pvecg_error_set(err, PVECG_EUSAGE, root, "path too long");
	memcpy(out, root, n + 1);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	if (!is_dir(out))
		return pvecg_error_set(err, PVECG_EIO, root, "not a directory");
	return 0;
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
		    "self-check failed: %zu problem(s) in the files this run made; nothing was written",
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

	rc = normalize_root(top, sizeof(top), root, err);
	if (rc != 0)
		return rc;
	memset(&s, 0, sizeof(s));
	s.fp = fp;
	s.schemas_dir = schemas_dir;
	rc = walk(top, 0, "", verify_one, &s, &found);
	for (i = 0; i < NARTIFACTS; i++)
		cJSON_Delete(s.schemas[i]);
	if (rc != 0)
		return pvecg_error_set(err, rc, top, "cannot list: %s", strerror(errno));
	if (s.fatal)
		return pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	if (found == 0)
		return pvecg_error_set(err, PVECG_EINPUT, top,
		    "no version directory (with openapi.json) found");
	if (s.failures > 0)
		return pvecg_error_set(err, PVECG_EDRIFT, top,
		    "%zu problem(s) in %zu version director%s", s.failures, found,
		    found == 1 ? "y" : "ies");
	return 0;
}

/* ------------------------------------------------------------------ */
/* versions                                                             */

struct list_ctx {
	cJSON *arr;
	int fatal;
};

/* The name of the directory holding dir ("proxmox" for .../proxmox/9.1). */
static const char *
parent_name(char real[PATH_MAX], const char *dir)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir);
	if (parent[0] == '\0' || realpath(parent, real) == NULL)
		return "";
	return base_name(real);
}

static void
list_one(void *ctx, const char *dir, const char *rel)
{
	struct list_ctx *c = ctx;
	char path[PATH_MAX], target[PATH_MAX], real[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *o = cJSON_CreateObject(), *doc = NULL;
	const cJSON *paths, *p, *m;
	long npaths = 0, nops = 0;
	char hex[65];
	ssize_t n;

	if (o == NULL || !cJSON_AddItemToArray(c->arr, o)) {
		cJSON_Delete(o);
		c->fatal = 1;
		return;
	}
	n = readlink(dir, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	if (cJSON_AddStringToObject(o, "dir", rel) == NULL ||
	    cJSON_AddStringToObject(o, "product_dir", parent_name(real, dir)) == NULL ||
	    cJSON_AddStringToObject(o, "tag", base_name(rel)) == NULL ||
	    (n > 0 ? cJSON_AddStringToObject(o, "link", target) : cJSON_AddNullToObject(o, "link")) == NULL)
		c->fatal = 1;
	if (join(path, sizeof(path), dir, "openapi.json") == 0 &&
	    pvecg_read_file(&b, path, MAX_JSON, NULL) == 0 &&
	    (doc = cJSON_ParseWithLength(b.data, b.len)) != NULL) {
		pvecg_sha256_hex(hex, b.data, b.len);
		paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
		cJSON_ArrayForEach(p, paths) {
			npaths++;
			cJSON_ArrayForEach(m, p)
				if (cJSON_IsObject(m) && (strcmp(m->string, "get") == 0 ||
				    strcmp(m->string, "post") == 0 || strcmp(m->string, "put") == 0 ||
				    strcmp(m->string, "delete") == 0))
					nops++;
		}
		if (cJSON_AddStringToObject(o, "openapi_sha256", hex) == NULL ||
		    cJSON_AddNumberToObject(o, "paths", (double)npaths) == NULL ||
		    cJSON_AddNumberToObject(o, "operations", (double)nops) == NULL ||
		    (pvecg_json_str(cJSON_GetObjectItemCaseSensitive(doc, "info"), "x-proxmox-product") ?
		    cJSON_AddStringToObject(o, "product", pvecg_json_str(
		    cJSON_GetObjectItemCaseSensitive(doc, "info"), "x-proxmox-product")) :
		    cJSON_AddNullToObject(o, "product")) == NULL)
			c->fatal = 1;
	} else if (cJSON_AddNullToObject(o, "openapi_sha256") == NULL ||
	    cJSON_AddNullToObject(o, "paths") == NULL ||
	    cJSON_AddNullToObject(o, "operations") == NULL ||
	    cJSON_AddNullToObject(o, "product") == NULL) {
		c->fatal = 1;
	}
	cJSON_Delete(doc);
	pvecg_buf_free(&b);
}

static void
print_text(FILE *fp, const cJSON *arr)
{
	const cJSON *o;

	fprintf(fp, "%-24s %-7s %6s %10s  %s\n", "DIR", "PRODUCT", "PATHS", "OPERATIONS",
	    "OPENAPI_SHA256");
	cJSON_ArrayForEach(o, arr) {
		const cJSON *paths = cJSON_GetObjectItem(o, "paths");
		const cJSON *ops = cJSON_GetObjectItem(o, "operations");
		const char *link = pvecg_json_str(o, "link");

		fprintf(fp, "%-24s %-7s %6ld %10ld  %s%s%s\n", pvecg_json_str(o, "dir"),
		    pvecg_json_str(o, "product") ? pvecg_json_str(o, "product") : "?",
		    cJSON_IsNumber(paths) ? (long)paths->valuedouble : -1L,
		    cJSON_IsNumber(ops) ? (long)ops->valuedouble : -1L,
		    pvecg_json_str(o, "openapi_sha256") ? pvecg_json_str(o, "openapi_sha256") :
		    "(no readable openapi.json)", link ? "  -> " : "", link ? link : "");
	}
}

int
pvecg_versions(const char *root, int json, FILE *fp, pvecg_error *err)
{
	char top[PATH_MAX];
	struct list_ctx c = { NULL, 0 };
	pvecg_buf out = PVECG_BUF_INIT;
	size_t found = 0;
	int rc;

	rc = normalize_root(top, sizeof(top), root, err);
	if (rc != 0)
		return rc;
	c.arr = cJSON_CreateArray();
	if (c.arr == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	rc = walk(top, 0, "", list_one, &c, &found);
	if (rc != 0) {
		rc = pvecg_error_set(err, rc, top, "cannot list: %s", strerror(errno));
	} else if (c.fatal) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	} else if (json) {
		/* An empty root is an empty list: scripts iterate over it. */
		if (pvecg_json_write(&out, c.arr) != 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
		else
			fwrite(out.data, 1, out.len, fp);
	} else {
		print_text(fp, c.arr);
	}
	pvecg_buf_free(&out);
	cJSON_Delete(c.arr);
	return rc;
}
