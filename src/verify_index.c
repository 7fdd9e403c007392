/* verify: model_index.json against openapi.json and the shard files it names. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/util.h"
#include "verify_int.h"

/* ------------------------------------------------------------------ */
/* model_index.json and the shards                                      */

/* The distinct whole C identifiers of a text (each a maximal run of
 * [A-Za-z0-9_]), pointing into it: a name is looked up once instead of
 * scanning the text for every name. */
struct ident_slot {
	const char *p;
	size_t n;
};

struct ident_set {
	struct ident_slot *v;
	size_t cap, used;
	int state; /* 0 not built, 1 built, -1 out of memory (scan instead) */
};

struct text_file {
	char *rel;
	int present;
	pvecg_buf text;
	struct ident_set idents;
	struct text_file *next;
};

struct index_ctx {
	struct vstate *s;
	struct vdir *v;
	const char *index_file;
	const cJSON *shards;     /* top-level "shards" of the index, if any */
	struct text_file *files; /* each shard file read once */
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
		verify_failure(
		    c->s, c->index_file, "%s \"%s\" is not a plain relative path", kind, rel);
		return f;
	}
	got = verify_bytes(c->s, c->v->dir, rel, MAX_HEADER, &f->text, &data, &len);
	if (got == 0)
		verify_failure(c->s, c->index_file, "%s %s does not exist", kind, rel);
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
		free(f->idents.v);
		pvecg_buf_free(&f->text);
		free(f);
		f = n;
	}
}

static int
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_';
}

static uint64_t
ident_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ull;
	return h;
}

/* The slot holding p[0..n) or the empty slot where it belongs. */
static struct ident_slot *
ident_slot(const struct ident_set *set, const char *p, size_t n)
{
	size_t j = (size_t)ident_hash(p, n) & (set->cap - 1);

	while (set->v[j].p != NULL && (set->v[j].n != n || memcmp(set->v[j].p, p, n) != 0))
		j = (j + 1) & (set->cap - 1);
	return &set->v[j];
}

PVECG_NODISCARD static int
ident_add(struct ident_set *set, const char *p, size_t n)
{
	struct ident_slot *slot;

	if (2 * (set->used + 1) > set->cap) {
		struct ident_set g = { NULL, set->cap ? 2 * set->cap : 1024, 0, 0 };
		size_t i;

		if ((g.v = calloc(g.cap, sizeof(*g.v))) == NULL)
			return PVECG_ENOMEM;
		for (i = 0; i < set->cap; i++)
			if (set->v[i].p != NULL)
				*ident_slot(&g, set->v[i].p, set->v[i].n) = set->v[i];
		free(set->v);
		set->v = g.v;
		set->cap = g.cap;
	}
	slot = ident_slot(set, p, n);
	if (slot->p == NULL) {
		slot->p = p;
		slot->n = n;
		set->used++;
	}
	return 0;
}

/* Every identifier of the text up to its first NUL (where strstr stops). */
static void
ident_build(struct ident_set *set, const char *text)
{
	const char *p = text;

	set->state = 1;
	while (*p != '\0') {
		const char *start;

		while (*p != '\0' && !is_ident(*p))
			p++;
		for (start = p; is_ident(*p); p++)
			;
		if (p > start && ident_add(set, start, (size_t)(p - start)) != 0) {
			free(set->v);
			memset(set, 0, sizeof(*set));
			set->state = -1;
			return;
		}
	}
}

/* The name as a whole C identifier somewhere in the text. */
static int
declares(struct text_file *f, const char *name)
{
	size_t n = strlen(name);
	const char *p = f->text.data;

	if (p == NULL || n == 0)
		return 0;
	if (f->idents.state == 0)
		ident_build(&f->idents, p);
	if (f->idents.state > 0 &&
	    strspn(name,
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789_") == n)
		return f->idents.cap > 0 && ident_slot(&f->idents, name, n)->p != NULL;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == f->text.data || !is_ident(p[-1])) && !is_ident(p[n]))
			return 1;
		p += n;
	}
	return 0;
}

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

/* The string member key of an operation or shard record (who names it in
 * messages); a missing or non-string member is one failure. */
static const char *
need_str(struct index_ctx *c, const char *who, const cJSON *rec, const char *key)
{
	const char *v = pvecg_json_str(rec, key);

	if (v == NULL || v[0] == '\0')
		verify_failure(c->s, c->index_file, "%s: no %s", who, key);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The shard a header path names: "models/<shard>.h" -> "<shard>" in out. */
PVECG_NODISCARD static int
shard_of_header(char *out, size_t cap, const char *header)
{
	size_t n;

	if (strncmp(header, "models/", 7) != 0 || !verify_ends_with(header, ".h"))
		return -1;
	n = strlen(header) - 7 - 2;
	if (n == 0 || n >= cap)
		return -1;
	memcpy(out, header + 7, n);
	out[n] = '\0';
	return 0;
}

/* The record's method and path against openapi.json's operation of that id. */
static void
check_op_identity(struct index_ctx *c, const char *id, const cJSON *rec)
{
	const char *m = need_str(c, id, rec, "method"), *p = need_str(c, id, rec, "path");
	struct op *o = verify_find_op_by_id(c->v, id);

	if (o != NULL) {
		o->in_index = 1;
		if ((m != NULL && strcmp(m, o->method) != 0) ||
		    (p != NULL && strcmp(p, o->path) != 0))
			verify_failure(c->s, c->index_file,
			    "operation %s is %s %s, openapi.json says %s %s", id, m ? m : "?",
			    p ? p : "?", o->method, o->path);
	} else if (c->v->have_openapi) {
		verify_failure(c->s, c->index_file, "operation %s is not in openapi.json", id);
	}
}

/* group, shard_library and shard_source agree with the record in "shards"
 * of the shard shard_header names. */
static void
check_op_shard(struct index_ctx *c, const char *id, const cJSON *rec, const char *header)
{
	const char *group = need_str(c, id, rec, "group");
	const char *lib = need_str(c, id, rec, "shard_library");
	const char *source = need_str(c, id, rec, "shard_source");
	const char *sg, *sl;
	const cJSON *sh;
	char name[NAME_MAX + 1], want[NAME_MAX + 16];

	if (shard_of_header(name, sizeof(name), header) != 0) {
		verify_failure(
		    c->s, c->index_file, "%s: shard_header %s is not models/<shard>.h", id, header);
		return;
	}
	snprintf(want, sizeof(want), "models/%s.c", name);
	if (source != NULL && strcmp(source, want) != 0)
		verify_failure(
		    c->s, c->index_file, "%s: shard_source %s is not %s", id, source, want);
	if (source != NULL && named_file(c, source, "shard file") == NULL)
		return;
	sh = pvecg_json_get(c->shards, name);
	if (!cJSON_IsObject(sh)) {
		verify_failure(c->s, c->index_file, "%s: shard %s is not in \"shards\"", id, name);
		return;
	}
	sg = pvecg_json_str(sh, "group");
	sl = pvecg_json_str(sh, "library");
	if (group != NULL && sg != NULL && strcmp(group, sg) != 0)
		verify_failure(c->s, c->index_file, "%s: group \"%s\" is not shard %s's \"%s\"", id,
		    group, name, sg);
	if (lib != NULL && sl != NULL && strcmp(lib, sl) != 0)
		verify_failure(c->s, c->index_file, "%s: shard_library %s is not shard %s's %s", id,
		    lib, name, sl);
}

/* The header declares the record's models and shard symbol. */
static void
check_op_declared(struct index_ctx *c, const char *id, const cJSON *rec, const char *header)
{
	const cJSON *req = pvecg_json_get(rec, "request_model");
	const char *names[3], *what[3] = { "model", "model", "shard_symbol" };
	struct text_file *tf = shard_file(c, header);
	size_t i;

	names[0] = need_str(c, id, rec, "response_model");
	names[1] = cJSON_IsString(req) && req->valuestring[0] != '\0' ? req->valuestring : NULL;
	names[2] = need_str(c, id, rec, "shard_symbol");
	if (names[1] == NULL && !cJSON_IsNull(req))
		verify_failure(
		    c->s, c->index_file, "%s: request_model is neither a model name nor null", id);
	for (i = 0; i < 3 && tf != NULL && tf->present; i++)
		if (names[i] != NULL && !declares(tf, names[i]))
			verify_failure(c->s, c->index_file,
			    "%s: %s %s is not declared in its shard (%s)", id, what[i], names[i],
			    header);
}

/* One record of "operations", keyed by its operationId. */
static void
check_index_op(struct index_ctx *c, const char *id, const cJSON *rec)
{
	const char *header;

	if (!cJSON_IsObject(rec)) {
		verify_failure(c->s, c->index_file, "operation %s is not an object", id);
		return;
	}
	check_op_identity(c, id, rec);
	header = need_str(c, id, rec, "shard_header");
	if (header == NULL)
		return;
	check_op_shard(c, id, rec, header);
	check_op_declared(c, id, rec, header);
}

/* "operations": an object keyed by operationId, every operation of
 * openapi.json once. */
static void
check_index_ops(struct index_ctx *c, const cJSON *ops)
{
	const cJSON *rec;
	size_t i;

	if (!cJSON_IsObject(ops)) {
		verify_failure(c->s, c->index_file, "no \"operations\" object");
		return;
	}
	cJSON_ArrayForEach(rec, ops)
		check_index_op(c, rec->string, rec);
	for (i = 0; c->v->have_openapi && i < c->v->nops; i++)
		if (!c->v->ops[i].in_index)
			verify_failure(c->s, c->index_file, "operation %s (%s %s) is missing",
			    c->v->ops[i].id ? c->v->ops[i].id : "?", c->v->ops[i].method,
			    c->v->ops[i].path);
}

/* How many records of "operations" name models/<shard>.h. */
static long
ops_in_shard(const cJSON *ops, const char *shard)
{
	const cJSON *rec;
	char name[NAME_MAX + 1];
	long n = 0;

	cJSON_ArrayForEach(rec, ops) {
		const char *h = pvecg_json_str(rec, "shard_header");

		if (h != NULL && shard_of_header(name, sizeof(name), h) == 0 &&
		    strcmp(name, shard) == 0)
			n++;
	}
	return n;
}

/* "shards": an object keyed by shard name, each with its group, library
 * and the number of operations naming it; *models: the sum of their
 * "models", *n: how many there are. */
static void
check_shards(struct index_ctx *c, const cJSON *ops, long *models, long *n)
{
	const cJSON *sh;
	char who[NAME_MAX + 8];
	long got, want;
	int ok;

	*models = 0;
	*n = 0;
	if (!cJSON_IsObject(c->shards)) {
		verify_failure(c->s, c->index_file, "no \"shards\" object");
		return;
	}
	cJSON_ArrayForEach(sh, c->shards) {
		snprintf(who, sizeof(who), "shard %s", sh->string);
		(*n)++;
		need_str(c, who, sh, "group");
		need_str(c, who, sh, "library");
		got = verify_get_long(sh, "models", &ok);
		if (!ok)
			verify_failure(c->s, c->index_file, "%s: no models", who);
		else
			*models += got;
		got = verify_get_long(sh, "operations", &ok);
		want = ops_in_shard(ops, sh->string);
		if (!ok)
			verify_failure(c->s, c->index_file, "%s: no operations", who);
		else if (got != want)
			verify_failure(c->s, c->index_file,
			    "%s: operations is %ld but %ld operation(s) "
			    "name it",
			    who, got, want);
	}
}

/* "counts": operations as openapi.json has them, shards and models as
 * "shards" holds them. */
static void
check_index_counts(struct index_ctx *c, const cJSON *doc, long models, long nshards)
{
	const cJSON *counts = pvecg_json_get(doc, "counts");
	long got;
	int ok;

	if (c->v->have_openapi)
		verify_check_count(
		    c->s, c->index_file, doc, "counts.operations", (long)c->v->nops, "operations");
	if (!cJSON_IsObject(c->shards))
		return;
	got = verify_get_long(counts, "shards", &ok);
	if (!ok)
		verify_failure(c->s, c->index_file, "no counts.shards");
	else if (got != nshards)
		verify_failure(c->s, c->index_file, "counts.shards is %ld but \"shards\" has %ld",
		    got, nshards);
	got = verify_get_long(counts, "models", &ok);
	if (!ok)
		verify_failure(c->s, c->index_file, "no counts.models");
	else if (got != models)
		verify_failure(c->s, c->index_file, "counts.models is %ld but the shards hold %ld",
		    got, models);
}

/* aggregate_header and aggregate_source exist; abi is the runtime's. */
static void
check_index_files(struct index_ctx *c, const cJSON *doc)
{
	static const char *const keys[] = { "aggregate_header", "aggregate_source" };
	const cJSON *abi = pvecg_json_get(doc, "abi");
	struct text_file *rt;
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *f = pvecg_json_str(doc, keys[i]);

		if (f == NULL)
			verify_failure(c->s, c->index_file, "no %s", keys[i]);
		else if (named_file(c, f, "file") == NULL)
			return;
	}
	if (!cJSON_IsNumber(abi)) {
		verify_failure(c->s, c->index_file, "no abi");
		return;
	}
	rt = named_file(c, "models/pvecg_rt.h", "runtime header");
	snprintf(want, sizeof(want), "PVECG_RT_ABI %ld", (long)abi->valuedouble);
	if (rt != NULL && rt->present && !defines(rt, want))
		verify_failure(c->s, c->index_file,
		    "abi %ld is not the runtime's (models/pvecg_rt.h lacks \"#define %s\")",
		    (long)abi->valuedouble, want);
}

void
verify_index(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	struct index_ctx c;
	const cJSON *ops;
	long models, nshards;
	pvecg_json_arena *arena;
	cJSON *doc;

	if (pvecg_path_join(file, sizeof(file), v->dir, "model_index.json") != 0)
		return;
	doc = verify_load_doc(s, v->dir, "model_index.json", &arena);
	if (doc == NULL)
		return;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.v = v;
	c.index_file = file;
	c.shards = pvecg_json_get(doc, "shards");
	ops = pvecg_json_get(doc, "operations");
	verify_check_sha(s, v, file, pvecg_json_str(doc, "openapi_sha256"));
	verify_check_tag(s, v, file, "version_tag", pvecg_json_str(doc, "version_tag"));
	check_index_ops(&c, ops);
	check_shards(&c, ops, &models, &nshards);
	check_index_counts(&c, doc, models, nshards);
	check_index_files(&c, doc);
	free_files(c.files);
	verify_validate(s, 2, file, doc);
	pvecg_json_arena_free(arena);
}
