/* verify: model_index.json against openapi.json and the shard files it names. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/util.h"
#include "verify_int.h"

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
		verify_failure(c->s, c->index_file, "%s \"%s\" is not a plain relative path", kind, rel);
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


/* Shard files named inside a record: every string ending in .h or .c. */
static void
gather_files(const cJSON *node, const cJSON **out, size_t *n, size_t cap, int depth)
{
	const cJSON *c;

	if (depth > 4)
		return;
	if (cJSON_IsString(node) && (verify_ends_with(node->valuestring, ".h") ||
	    verify_ends_with(node->valuestring, ".c"))) {
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
		have_header |= verify_ends_with(files[i]->valuestring, ".h");
		ntf++;
	}
	for (j = 0; j < nmodels; j++) {
		int found = 0, any_present = 0;

		for (i = 0; i < ntf && !found; i++) {
			if (have_header && !verify_ends_with(tf[i]->rel, ".h"))
				continue;
			any_present |= tf[i]->present;
			found = tf[i]->present && declares(tf[i], models[j]);
		}
		if (!found && any_present)
			verify_failure(c->s, c->index_file, "%s: model %s is not declared in its shard (%s)",
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
	struct op *o = verify_find_op_by_id(c->v, id);

	if (o != NULL) {
		const char *m = pvecg_json_str(rec, "method"), *p = pvecg_json_str(rec, "path");

		o->in_index = 1;
		if ((m != NULL && strcmp(m, o->method) != 0) || (p != NULL && strcmp(p, o->path) != 0))
			verify_failure(c->s, c->index_file, "operation %s is %s %s, openapi.json says %s %s",
			    id, m ? m : "?", p ? p : "?", o->method, o->path);
	} else if (c->v->openapi != NULL) {
		verify_failure(c->s, c->index_file, "operation %s is not in openapi.json", id);
	}
	gather_models(rec, models, &nmodels, 32);
	gather_files(rec, files, &nfiles, 16, 0);
	if (sh != NULL)
		gather_files(sh, files, &nfiles, 16, 0);
	if (nfiles == 0) {
		verify_failure(c->s, c->index_file, "operation %s names no shard file", id);
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
				verify_failure(c->s, c->index_file, "an operation record has no operation_id");
			else
				check_index_op(c, id, rec);
		}
	} else {
		verify_failure(c->s, c->index_file, "no \"operations\"");
		return;
	}
	for (i = 0; c->v->openapi != NULL && i < c->v->nops; i++)
		if (!c->v->ops[i].in_index)
			verify_failure(c->s, c->index_file, "operation %s (%s %s) is missing",
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
		if (cJSON_IsString(m) && (verify_ends_with(m->valuestring, ".h") ||
		    verify_ends_with(m->valuestring, ".c")))
			(void)named_file(c, m->valuestring, "file");
	if (!cJSON_IsNumber(abi))
		return;
	rt = named_file(c, "models/pvecg_rt.h", "runtime header");
	snprintf(want, sizeof(want), "PVECG_RT_ABI %ld", (long)abi->valuedouble);
	if (rt != NULL && rt->present && !defines(rt, want))
		verify_failure(c->s, c->index_file, "abi %ld is not the runtime's (models/pvecg_rt.h lacks \"#define %s\")",
		    (long)abi->valuedouble, want);
}

void
verify_index(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	struct index_ctx c;
	cJSON *doc;

	if (verify_join(file, sizeof(file), v->dir, "model_index.json") != 0)
		return;
	doc = verify_load_json(s, v->dir, "model_index.json", NULL);
	if (doc == NULL)
		return;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.v = v;
	c.index_file = file;
	c.shards = cJSON_GetObjectItemCaseSensitive(doc, "shards");
	verify_check_sha(s, v, file, pvecg_json_str(doc, "openapi_sha256"));
	verify_check_tag(s, v, file, "version_tag", pvecg_json_str(doc, "version_tag"));
	check_index_ops(&c, cJSON_GetObjectItemCaseSensitive(doc, "operations"));
	check_shard_list(&c);
	check_index_files(&c, doc);
	if (v->openapi != NULL && cJSON_HasObjectItem(doc, "counts"))
		verify_check_count(s, file, doc, "counts.operations",
		    (long)v->nops, "operations");
	free_files(c.files);
	verify_validate(s, 2, file, doc);
	cJSON_Delete(doc);
}
