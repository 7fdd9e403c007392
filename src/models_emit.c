/* models_emit: one route-group shard as C: models/<group>.h (plain
 * structs, descriptor declarations) and models/<group>.c (string pool,
 * enum, constraint, field, model, operation and property-string tables
 * that the runtime in pvecg_rt.h walks). Patterns the runtime can check are
 * translated to POSIX EREs (regex.c) and test-compiled here. */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/regex.h"
#include "pvecg/wire.h"
#include "pvecg_rt.h"
#include "models_int.h"

/* The constraint keywords of a schema, found in one pass. */
typedef struct em_keys {
	const cJSON *minimum, *maximum, *xmin, *xmax, *minlen, *maxlen;
	const cJSON *pattern, *xpattern, *en;
} em_keys;

static void
find_keys(em_keys *k, const cJSON *s)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "enum", offsetof(em_keys, en) },
		{ "exclusiveMaximum", offsetof(em_keys, xmax) },
		{ "exclusiveMinimum", offsetof(em_keys, xmin) },
		{ "maxLength", offsetof(em_keys, maxlen) },
		{ "maximum", offsetof(em_keys, maximum) },
		{ "minLength", offsetof(em_keys, minlen) },
		{ "minimum", offsetof(em_keys, minimum) },
		{ "pattern", offsetof(em_keys, pattern) },
		{ "x-proxmox-pattern", offsetof(em_keys, xpattern) },
	};

	memset(k, 0, sizeof(*k));
	if (pvecg_wire_declared_branch(s)) /* the declared enum */
		k->en = pvecg_json_get(pvecg_wire_declared_branch(s), "enum");
	for (const cJSON *c = s->child; c; c = c->next) {
		if (c->string == NULL || !strchr("empx", c->string[0]))
			continue;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(c->string, keys[i].name) == 0) {
				*(const cJSON **)((char *)k + keys[i].off) = c;
				break;
			}
		}
	}
}

/* ---- symbolic descriptor values -------------------------------------------- */

static const char *const type_names[] = { NULL, "PVECG_RT_BOOL", "PVECG_RT_INT", "PVECG_RT_NUM",
	"PVECG_RT_STR", "PVECG_RT_OBJ", "PVECG_RT_ANY" };

/* Bit i of a field's / constraint's flags, as the runtime header names it. */
static const char *const field_flag_names[] = { "PVECG_RT_F_REQUIRED", "PVECG_RT_F_ARRAY",
	"PVECG_RT_F_NULLABLE", "PVECG_RT_F_DECLARED", "PVECG_RT_F_PROPSTR", "PVECG_RT_F_INDEXED" };
static const char *const cons_flag_names[] = { "PVECG_RT_C_MIN", "PVECG_RT_C_MAX",
	"PVECG_RT_C_MINLEN", "PVECG_RT_C_MAXLEN", "PVECG_RT_C_ENUM", "PVECG_RT_C_PATTERN",
	"PVECG_RT_C_XMIN", "PVECG_RT_C_XMAX" };

_Static_assert(PVECG_RT_BOOL == 1 && PVECG_RT_STR == 4 && PVECG_RT_ANY == 6,
    "type_names[] follows the runtime's value types");
_Static_assert(
    PVECG_RT_F_REQUIRED == 1u && PVECG_RT_F_DECLARED == 1u << 3 && PVECG_RT_F_INDEXED == 1u << 5,
    "field_flag_names[] follows the runtime's field flags");
_Static_assert(PVECG_RT_C_MIN == 1u && PVECG_RT_C_PATTERN == 1u << 5 && PVECG_RT_C_XMAX == 1u << 7,
    "cons_flag_names[] follows the runtime's constraint flags");

static void
out_type(em_out *o, int type)
{
	if (type > 0 && (size_t)type < sizeof(type_names) / sizeof(type_names[0]))
		outs(o, type_names[type]);
	else
		outu(o, (unsigned long)type);
}

/* "PVECG_RT_F_REQUIRED | PVECG_RT_F_NULLABLE", or "0". */
static void
out_flags(em_out *o, unsigned flags, const char *const *names, size_t n)
{
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		if (!(flags & (1u << i)))
			continue;
		outs(o, first ? "" : " | ");
		outs(o, names[i]);
		first = 0;
		flags &= ~(1u << i);
	}
	if (flags != 0) { /* a bit without a name: keep it, as a number */
		outs(o, first ? "" : " | ");
		outu(o, flags);
	} else if (first) {
		outc(o, '0');
	}
}

/* The C type of a model: product prefix + model name ("PveGetNodesResponse"). */
static void
out_ctype(em_out *o, const em *e, const em_model *m)
{
	outs(o, e->type);
	outs(o, m->name);
}

/* ---- patterns ------------------------------------------------------------ */

/* Translates and test-compiles (cached); *ere is owned by o. */
PVECG_NODISCARD static int
pattern_for(em *e, em_out *o, const em_keys *k, const char **reason)
{
	const char *pat = cJSON_IsString(k->pattern) ? k->pattern->valuestring : NULL;
	int *known, rc;
	regex_t re;

	o->b.len = 0;
	*reason = NULL;
	if (pat == NULL) {
		if (cJSON_IsString(k->xpattern))
			return *reason = "Perl-only regex (x-proxmox-pattern)", 1;
		return 2; /* no pattern */
	}
	if (strlen(pat) > 3000)
		return *reason = "too long", 1;
	/* "/^...$/" is a Rust/Perl literal whose anchors can never match
	 * after the slash; checking it would refuse every value */
	if (pat[0] == '/' && pat[1] == '^' && strlen(pat) > 3 && pat[strlen(pat) - 1] == '/')
		return *reason = "slash-delimited regex literal", 1;
	if ((rc = pvecg_regex_to_ere(&o->b, pat, PVECG_REGEX_WHOLE, reason)) != 0)
		return rc;
	if (o->failed)
		return PVECG_ENOMEM;
	if (o->b.len >= EM_POOL_CHUNK)
		return *reason = "too long once translated", 1;
	known = pvecg_strmap_get(&e->ere_ok, o->b.data);
	if (known == NULL) {
		int ok = regcomp(&re, o->b.data, REG_EXTENDED | REG_NOSUB) == 0;

		if (ok)
			regfree(&re);
		if (pvecg_strmap_put(&e->ere_ok, o->b.data, ok) != 0)
			return PVECG_ENOMEM;
		known = pvecg_strmap_get(&e->ere_ok, o->b.data);
	}
	if (!*known)
		return *reason = "regcomp rejects the translation", 1;
	return 0;
}

/* ---- one shard ------------------------------------------------------------ */

typedef struct em_pool {
	em_out text; /* initializer lines */
	pvecg_strmap offs;
	size_t done;  /* bytes in closed chunks (with their final NUL) */
	size_t chunk; /* bytes in the open chunk */
	size_t *sizes;
	size_t n_sizes;
	int failed;
	int too_long; /* a name longer than a pool chunk */
} em_pool;

/* Ends the open chunk; chunks are separated by a comma at the end of the
 * previous chunk's last line. */
static void
pool_close_chunk(em_pool *p)
{
	size_t *s;

	if (p->chunk == 0)
		return;
	s = realloc(p->sizes, (p->n_sizes + 1) * sizeof(*s));
	if (s == NULL) {
		p->failed = 1;
		return;
	}
	p->sizes = s;
	p->sizes[p->n_sizes++] = p->chunk + 1;
	p->done += p->chunk + 1;
	p->chunk = 0;
}

static uint32_t
pool_add(em_pool *p, const char *s)
{
	int *have = pvecg_strmap_get(&p->offs, s);
	size_t len = strlen(s) + 1;
	uint32_t off;

	if (have)
		return (uint32_t)*have;
	if (len > EM_POOL_CHUNK) {
		p->too_long = 1;
		return 0;
	}
	if (p->chunk + len > EM_POOL_CHUNK)
		pool_close_chunk(p);
	if (p->chunk == 0 && p->n_sizes > 0 && !p->text.failed && p->text.b.len > 0) {
		p->text.b.len--; /* the previous chunk's last line ends in a comma */
		outs(&p->text, ",\n");
	}
	off = (uint32_t)(p->done + p->chunk);
	outs(&p->text, "\t\"");
	out_cstr(&p->text, s);
	outs(&p->text, "\\0\"\n");
	p->chunk += len;
	if (pvecg_strmap_put(&p->offs, s, (int)off) != 0)
		p->failed = 1;
	return off;
}

static void
pool_free(em_pool *p)
{
	pvecg_buf_free(&p->text.b);
	pvecg_strmap_free(&p->offs);
	free(p->sizes);
}

typedef struct em_shard_out {
	em *e;
	em_shard *sh;
	em_pool pool;
	em_out h, enums, cons, fields, models, ops, tmp;
	pvecg_strmap cons_idx, enum_idx;
	size_t n_enums, n_cons;
} em_shard_out;

static int
number_of(const cJSON *v, double *out)
{
	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valuedouble;
	return 1;
}

/* Values a wire schema adds to a declared enum (null for an optional
 * member, "1" beside 1): the runtime reads them as the declared value. */
static int
enum_wire_only(const cJSON *v, int type)
{
	return cJSON_IsNull(v) || (type == PVECG_RT_INT && cJSON_IsString(v));
}

/* Adds the enum list of s (strings, or integers for INT) to the shard;
 * returns 1 if there is one. */
static int
enum_list(em_shard_out *so, const cJSON *en, int type, uint32_t *first, uint16_t *n, em_out *doc)
{
	const cJSON *v;
	em_out key = { PVECG_BUF_INIT, 0 };
	size_t count = 0;
	int *have;
	char num[32];

	if (!cJSON_IsArray(en) || en->child == NULL)
		return 0;
	if (type != PVECG_RT_STR && type != PVECG_RT_INT)
		return 0;
	cJSON_ArrayForEach(v, en) {
		if (enum_wire_only(v, type))
			continue;
		if (cJSON_IsString(v) && strlen(v->valuestring) > 1000) {
			pvecg_buf_free(&key.b);
			return 0; /* would not fit the string pool: not checked */
		}
		if (type == PVECG_RT_STR && cJSON_IsString(v)) {
			outs(&key, v->valuestring);
		} else if (type == PVECG_RT_INT && cJSON_IsNumber(v) &&
		    v->valuedouble == (double)(long long)v->valuedouble) {
			snprintf(num, sizeof(num), "%lld", (long long)v->valuedouble);
			outs(&key, num);
		} else {
			pvecg_buf_free(&key.b);
			return 0; /* mixed / null enums: not checked */
		}
		outc(&key, '\x1f');
		count++;
	}
	if (count == 0) {
		pvecg_buf_free(&key.b);
		return 0;
	}
	outs(doc, "; one of:");
	cJSON_ArrayForEach(v, en) {
		if (enum_wire_only(v, type))
			continue;
		if (cJSON_IsString(v)) {
			outc(doc, ' ');
			out_doc(doc, v->valuestring, 40);
		} else {
			outf(doc, " %lld", (long long)v->valuedouble);
		}
	}
	if (key.failed || count > 0xFFFF) {
		so->tmp.failed |= key.failed;
		pvecg_buf_free(&key.b);
		return 0;
	}
	have = pvecg_strmap_get(&so->enum_idx, key.b.data);
	if (have) {
		*first = (uint32_t)*have;
	} else {
		*first = (uint32_t)so->n_enums;
		cJSON_ArrayForEach(v, en) {
			uint32_t off;

			if (enum_wire_only(v, type))
				continue;
			if (cJSON_IsString(v)) {
				off = pool_add(&so->pool, v->valuestring);
			} else {
				snprintf(num, sizeof(num), "%lld", (long long)v->valuedouble);
				off = pool_add(&so->pool, num);
			}
			outf(&so->enums, "%s%u,", so->n_enums % 12 ? " " : "\n\t", (unsigned)off);
			so->n_enums++;
		}
		if (pvecg_strmap_put(&so->enum_idx, key.b.data, (int)*first) != 0)
			so->tmp.failed = 1;
	}
	*n = (uint16_t)count;
	pvecg_buf_free(&key.b);
	return 1;
}

/* Constraint record of a field (or PVECG_RT_NONE) plus its doc text. */
static unsigned
field_cons(em_shard_out *so, const em_field *f, em_out *doc)
{
	const cJSON *s = f->vschema;
	double min = 0, max = 0, x;
	uint32_t minlen = 0, maxlen = 0, efirst = 0, pat = 0;
	uint16_t nenum = 0;
	unsigned flags = 0;
	char line[256];
	int *have, rc;
	const char *reason;
	em_out ere = { PVECG_BUF_INIT, 0 }, row = { PVECG_BUF_INIT, 0 };
	em_keys k;

	if (s == NULL || f->type == PVECG_RT_BOOL || f->type == PVECG_RT_OBJ ||
	    f->type == PVECG_RT_ANY)
		return PVECG_RT_NONE;
	find_keys(&k, s);
	if (number_of(k.minimum, &min))
		flags |= PVECG_RT_C_MIN;
	if (number_of(k.maximum, &max))
		flags |= PVECG_RT_C_MAX;
	if (number_of(k.xmin, &x)) {
		flags = (flags & ~PVECG_RT_C_MIN) | PVECG_RT_C_XMIN;
		min = x;
	}
	if (number_of(k.xmax, &x)) {
		flags = (flags & ~PVECG_RT_C_MAX) | PVECG_RT_C_XMAX;
		max = x;
	}
	if (flags & (PVECG_RT_C_MIN | PVECG_RT_C_XMIN))
		outf(doc, "; %s %.17g", flags & PVECG_RT_C_MIN ? ">=" : ">", min);
	if (flags & (PVECG_RT_C_MAX | PVECG_RT_C_XMAX))
		outf(doc, "; %s %.17g", flags & PVECG_RT_C_MAX ? "<=" : "<", max);
	if (f->type == PVECG_RT_STR) {
		if (number_of(k.minlen, &x) && x >= 0 && x < 4294967295.0) {
			flags |= PVECG_RT_C_MINLEN;
			minlen = (uint32_t)x;
			outf(doc, "; length >= %u", (unsigned)minlen);
		}
		if (number_of(k.maxlen, &x) && x >= 0 && x < 4294967295.0) {
			flags |= PVECG_RT_C_MAXLEN;
			maxlen = (uint32_t)x;
			outf(doc, "; length <= %u", (unsigned)maxlen);
		}
		rc = pattern_for(so->e, &ere, &k, &reason);
		if (rc == 0) {
			flags |= PVECG_RT_C_PATTERN;
			pat = pool_add(&so->pool, ere.b.data);
			outs(doc, "; pattern checked");
			so->e->n_pat_ok++;
		} else if (rc == 1) {
			outf(doc, "; pattern not checked: %s", reason);
			so->e->n_pat_skip++;
		} else if (rc < 0) {
			so->tmp.failed = 1;
		}
		pvecg_buf_free(&ere.b);
	}
	if (enum_list(so, k.en, f->type, &efirst, &nenum, doc))
		flags |= PVECG_RT_C_ENUM;
	if (flags == 0)
		return PVECG_RT_NONE;
	snprintf(line, sizeof(line), "\t{ %.17g, %.17g, %u, %u, %u, %u, ", min, max,
	    (unsigned)minlen, (unsigned)maxlen, (unsigned)efirst, (unsigned)nenum);
	row.b.len = 0;
	outs(&row, line);
	out_flags(
	    &row, flags, cons_flag_names, sizeof(cons_flag_names) / sizeof(cons_flag_names[0]));
	outf(&row, ", %u },\n", (unsigned)pat);
	if (row.failed) {
		so->tmp.failed = 1;
		pvecg_buf_free(&row.b);
		return PVECG_RT_NONE;
	}
	have = pvecg_strmap_get(&so->cons_idx, row.b.data);
	if (have) {
		pvecg_buf_free(&row.b);
		return (unsigned)*have;
	}
	outs(&so->cons, row.b.data);
	if (pvecg_strmap_put(&so->cons_idx, row.b.data, (int)so->n_cons) != 0)
		so->tmp.failed = 1;
	pvecg_buf_free(&row.b);
	so->e->n_cons++;
	return (unsigned)so->n_cons++;
}

/* The C type of a non-object member. */
static const char *
c_elem_type(const em_field *f)
{
	switch (f->type) {
	case PVECG_RT_BOOL: return "bool";
	case PVECG_RT_INT: return "int64_t";
	case PVECG_RT_NUM: return "double";
	case PVECG_RT_STR: return "char *";
	default: return "cJSON *";
	}
}

static void
model_doc(em_shard_out *so, const em_model *m)
{
	const em_op *o = &so->e->ops[m->op];
	const char *summary = pvecg_json_str(o->op, "summary");

	if (summary == NULL)
		summary = pvecg_json_str(o->op, "description");
	outf(&so->h, "/* %s: %s of %s ", m->name, m->role, o->method);
	out_doc(&so->h, o->path, 400);
	outs(&so->h, " (");
	out_doc(&so->h, o->op_id, 400);
	outs(&so->h, ").");
	if (m->schema && pvecg_json_str(m->schema, "description")) {
		outs(&so->h, "\n * ");
		out_doc(&so->h, pvecg_json_str(m->schema, "description"), EM_DOC_MAX);
	} else if (summary && strcmp(m->role, "response") == 0) {
		outs(&so->h, "\n * ");
		out_doc(&so->h, summary, EM_DOC_MAX);
	}
	outs(&so->h, " */\n");
}

/* Struct member(s), descriptor record and doc of one field. */
/* A property-string member (text + parsed struct) or an indexed family
 * (char *net[32], and T *net_parsed[32] for property strings). */
static void
emit_propstr_field(
    em_shard_out *so, const em_model *m, const em_field *f, uint32_t name, unsigned cons)
{
	const em *e = so->e;
	const em_ps *ps = f->ps ? &e->ps[f->ps - 1] : NULL;
	char dim[24] = "";

	if (f->count)
		snprintf(dim, sizeof(dim), "[%d]", f->count);
	outf(&so->h, "\tchar *%s%s;\n", f->cname, dim);
	if (ps) {
		outf(&so->h, "\t/* %s parsed (pvecg_rt_parse with PVECG_RT_PROPSTR) */\n\t",
		    f->cname);
		out_ctype(&so->h, e, &e->models[ps->model]);
		outf(&so->h, " *%s_parsed%s;\n", f->cname, dim);
	}
	outf(&so->fields, "\t{ %u, O(%s%s, %s), ", (unsigned)name, e->type, m->name, f->cname);
	if (ps)
		outf(&so->fields, "O(%s%s, %s_parsed), ", e->type, m->name, f->cname);
	else
		outs(&so->fields, "NO, ");
	outs(&so->fields, "PVECG_RT_STR, ");
	out_flags(&so->fields,
	    f->flags | (f->count ? PVECG_RT_F_INDEXED : 0u) | (ps ? PVECG_RT_F_PROPSTR : 0u),
	    field_flag_names, sizeof(field_flag_names) / sizeof(field_flag_names[0]));
	outs(&so->fields, ", ");
	if (ps)
		outf(&so->fields, "%d /* %s */, ", ps->local, ps->comp);
	else
		outs(&so->fields, "NO, ");
	if (f->count)
		outf(&so->fields, "%d },\n", f->count);
	else if (cons == PVECG_RT_NONE)
		outs(&so->fields, "NO },\n");
	else
		outf(&so->fields, "%u },\n", cons);
}

static void
emit_field(em_shard_out *so, const em_model *m, const em_field *f)
{
	em *e = so->e;
	em_out doc = { PVECG_BUF_INIT, 0 };
	unsigned cons;
	const char *ct = c_elem_type(f);
	int ptr = f->type == PVECG_RT_OBJ && !(f->flags & PVECG_RT_F_ARRAY);
	uint32_t name = pool_add(&so->pool, f->json);

	out_doc(&doc, f->json, 200);
	if (f->doc) {
		outs(&doc, ": ");
		out_doc(&doc, f->doc, EM_DOC_MAX);
	}
	if ((f->flags & PVECG_RT_F_REQUIRED))
		outs(&doc, "; required");
	if ((f->flags & PVECG_RT_F_NULLABLE) && m->kind == PVECG_RT_K_OBJECT)
		outs(&doc, "; nullable");
	if (f->count)
		outf(&doc, "; members %s0..%s%d", f->family, f->family, f->count - 1);
	if (f->ps)
		outf(&doc, "; property string %s", e->ps[f->ps - 1].comp);
	cons = f->count ? PVECG_RT_NONE : field_cons(so, f, &doc);
	outs(&so->h, "\t/* ");
	if (!doc.failed)
		outs(&so->h, doc.b.data);
	so->h.failed |= doc.failed;
	outs(&so->h, " */\n");
	if (f->count || f->ps) {
		emit_propstr_field(so, m, f, name, cons);
		pvecg_buf_free(&doc.b);
		return;
	}
	if (f->flags & PVECG_RT_F_ARRAY || f->presence) {
		outs(&so->h, f->flags & PVECG_RT_F_ARRAY ? "\tsize_t n_" : "\tbool has_");
		outs(&so->h, f->cname);
		outs(&so->h, ";\n");
	}
	outc(&so->h, '\t');
	if (f->type == PVECG_RT_OBJ) {
		out_ctype(&so->h, e, &e->models[f->sub]);
		outc(&so->h, ' ');
	} else {
		outs(&so->h, ct);
		if (ct[strlen(ct) - 1] != '*')
			outc(&so->h, ' ');
	}
	if (ptr || (f->flags & PVECG_RT_F_ARRAY))
		outc(&so->h, '*');
	outs(&so->h, f->cname);
	outs(&so->h, ";\n");
	outs(&so->fields, "\t{ ");
	outu(&so->fields, name);
	outs(&so->fields, ", O(");
	out_ctype(&so->fields, e, m);
	outs(&so->fields, ", ");
	outs(&so->fields, f->cname);
	outs(&so->fields, "), ");
	if (f->flags & PVECG_RT_F_ARRAY || f->presence) {
		outs(&so->fields, "O(");
		out_ctype(&so->fields, e, m);
		outs(&so->fields, f->flags & PVECG_RT_F_ARRAY ? ", n_" : ", has_");
		outs(&so->fields, f->cname);
		outs(&so->fields, "), ");
	} else {
		outs(&so->fields, "NO, ");
	}
	out_type(&so->fields, f->type);
	outs(&so->fields, ", ");
	out_flags(&so->fields, f->flags, field_flag_names,
	    sizeof(field_flag_names) / sizeof(field_flag_names[0]));
	outs(&so->fields, ", ");
	if (f->sub >= 0) {
		outu(&so->fields, (unsigned long)e->models[f->sub].local);
		outs(&so->fields, " /* ");
		outs(&so->fields, e->models[f->sub].name);
		outs(&so->fields, " */, ");
	} else {
		outs(&so->fields, "NO, ");
	}
	if (cons == PVECG_RT_NONE) {
		outs(&so->fields, "NO },\n");
	} else {
		outu(&so->fields, cons);
		outs(&so->fields, " },\n");
	}
	pvecg_buf_free(&doc.b);
}

typedef struct em_named {
	const char *name;
	int idx;
} em_named;

static int
named_cmp(const void *a, const void *b)
{
	return strcmp(((const em_named *)a)->name, ((const em_named *)b)->name);
}

/* Sorts a shard's models by name and numbers them. */
static int
sort_models(em *e, em_shard *sh)
{
	em_named *v = malloc((sh->n_models + 1) * sizeof(*v));

	if (v == NULL)
		return em_nomem(e);
	for (size_t i = 0; i < sh->n_models; i++) {
		v[i].name = e->models[sh->models[i]].name;
		v[i].idx = sh->models[i];
	}
	qsort(v, sh->n_models, sizeof(*v), named_cmp);
	for (size_t i = 0; i < sh->n_models; i++) {
		sh->models[i] = v[i].idx;
		e->models[v[i].idx].local = (int)i;
	}
	free(v);
	return 0;
}

/* The shard's property-string table rows (in local order) and aliases. */
static void
emit_propstr_rows(em_shard_out *so, em_out *rows, em_out *aliases, size_t *n_aliases)
{
	const em *e = so->e;
	const char *id = so->sh->ident;
	int shard = (int)(so->sh - e->shards);

	for (int local = 0; local < so->sh->n_ps; local++) {
		const em_ps *ps = NULL;
		const cJSON *comp, *a, *ka;
		const char *dk, *dialect;
		size_t first = *n_aliases;
		uint32_t name;

		for (size_t k = 0; k < e->n_ps && !ps; k++)
			if (e->ps[k].shard == shard && e->ps[k].local == local)
				ps = &e->ps[k];
		if (ps == NULL || ps->model < 0)
			continue;
		comp = em_component(e, ps->comp);
		dk = pvecg_json_str(comp, "x-proxmox-default-key");
		dialect = pvecg_json_str(comp, "x-proxmox-property-string-dialect");
		ka = pvecg_json_get(comp, "x-proxmox-key-alias");
		cJSON_ArrayForEach(a, pvecg_json_get(comp, "x-proxmox-alias")) {
			const char *key_alias = pvecg_json_str(ka, a->string);

			if (!cJSON_IsString(a))
				continue;
			outf(aliases, "\t{ %u, %u, ", (unsigned)pool_add(&so->pool, a->string),
			    (unsigned)pool_add(&so->pool, a->valuestring));
			if (key_alias)
				outf(aliases, "%u },\n", (unsigned)pool_add(&so->pool, key_alias));
			else
				outs(aliases, "PVECG_RT_PS_NOKEY },\n");
			(*n_aliases)++;
		}
		name = pool_add(&so->pool, ps->comp);
		outf(rows, "\t{ &%s_%s_models[%d] /* %s */, %u, ", e->sym, id,
		    e->models[ps->model].local, e->models[ps->model].name, (unsigned)name);
		if (dk)
			outf(rows, "%u, ", (unsigned)pool_add(&so->pool, dk));
		else
			outs(rows, "PVECG_RT_PS_NOKEY, ");
		if (*n_aliases > first)
			outf(rows, "&%s_ps_aliases[%zu], %zu, ", id, first, *n_aliases - first);
		else
			outs(rows, "NULL, 0, ");
		outf(rows, "%s, %s },\n",
		    dialect && strcmp(dialect, "rust") == 0 ? "PVECG_RT_PS_RUST"
		                                            : "PVECG_RT_PS_PERL",
		    e->models[ps->model].kind == PVECG_RT_K_OBJECT ? "PVECG_RT_PS_OBJECT"
		                                                   : "PVECG_RT_PS_LIST");
	}
}

/* models/<id>.h up to its typedefs: banner, guard, ABI check, pins. */
static void
emit_header_open(em_shard_out *so)
{
	const em *e = so->e;
	const char *id = so->sh->ident;
	char upper[200];

	snprintf(upper, sizeof(upper), "%s", id);
	for (char *u = upper; *u; u++)
		if (*u >= 'a' && *u <= 'z')
			*u = (char)(*u - 32);
	outs(&so->h, "/* Generated by proxmox-sdk-codegen from openapi.json (");
	out_doc(&so->h, e->in->version_tag, 100);
	outs(&so->h, "):\n * the models of route group \"");
	out_doc(&so->h, so->sh->group, 100);
	outf(&so->h,
	    "\". Do not edit. */\n"
	    "#ifndef %s_MODELS_%s_H\n#define %s_MODELS_%s_H\n\n"
	    "#include \"pvecg_rt.h\"\n\n"
	    "#if PVECG_RT_ABI != %d\n"
	    "#error \"models/%s.h was generated for pvecg_rt ABI %d; use the pvecg_rt.h generated "
	    "with it\"\n"
	    "#endif\n\n"
	    "#define %s_MODELS_OPENAPI_SHA256 \"%s\"\n"
	    "#define %s_MODELS_VERSION_TAG \"",
	    e->mac, upper, e->mac, upper, PVECG_RT_ABI, id, PVECG_RT_ABI, e->mac,
	    e->in->openapi_sha256, e->mac);
	out_cstr(&so->h, e->in->version_tag);
	outs(&so->h, "\"\n\n");
	for (size_t i = 0; i < so->sh->n_models; i++)
		outf(&so->h, "typedef struct %s%s %s%s;\n", e->type,
		    e->models[so->sh->models[i]].name, e->type, e->models[so->sh->models[i]].name);
	outs(&so->h, "\n");
}

/* Each model: its struct in the header, its field rows and model row. */
static void
emit_models(em_shard_out *so)
{
	const em *e = so->e;
	size_t n_fields_total = 0;

	for (size_t i = 0; i < so->sh->n_models; i++) {
		em_model *m = &e->models[so->sh->models[i]];
		uint32_t name = pool_add(&so->pool, m->name);

		model_doc(so, m);
		outf(&so->h, "struct %s%s {\n", e->type, m->name);
		outf(&so->fields, "\t/* %s */\n", m->name);
		for (size_t k = 0; k < m->n_fields; k++)
			emit_field(so, m, &m->fields[k]);
		if (m->kind == PVECG_RT_K_OBJECT) {
			outs(&so->h, "\t/* unknown members");
			if (m->extra_doc) {
				outs(&so->h, " and patternProperties ");
				out_doc(&so->h, m->extra_doc, 400);
			}
			outs(&so->h, ", kept and written back */\n\tcJSON *extra;\n");
		}
		outs(&so->h, "};\n\n");
		outf(&so->models, "\t{ &%s_shard_%s, %u, sizeof(%s%s), %zu, %zu, ", e->sym,
		    so->sh->ident, (unsigned)name, e->type, m->name, n_fields_total, m->n_fields);
		if (m->kind == PVECG_RT_K_OBJECT)
			outf(&so->models, "O(%s%s, extra), PVECG_RT_K_OBJECT },\n", e->type,
			    m->name);
		else
			outs(&so->models, "NO, PVECG_RT_K_VALUE },\n");
		n_fields_total += m->n_fields;
	}
}

static void
emit_ops(em_shard_out *so)
{
	const em *e = so->e;

	for (size_t i = 0; i < so->sh->n_ops; i++) {
		const em_op *o = &e->ops[so->sh->ops[i]];
		uint32_t oid = pool_add(&so->pool, o->op_id);
		uint32_t meth = pool_add(&so->pool, o->method);
		uint32_t p = pool_add(&so->pool, o->path);

		outf(&so->ops, "\t{ %u, %u, %u, ", (unsigned)oid, (unsigned)meth, (unsigned)p);
		if (o->request >= 0)
			outf(&so->ops, "%d /* %s */, ", e->models[o->request].local,
			    e->models[o->request].name);
		else
			outs(&so->ops, "NO, ");
		outf(&so->ops, "%d /* %s */ },\n", e->models[o->response].local,
		    e->models[o->response].name);
	}
}

/* The header's descriptor declarations and model macros, then its end. */
static void
emit_header_close(em_shard_out *so)
{
	const em *e = so->e;
	const char *id = so->sh->ident;

	outf(&so->h, "/* Descriptors: pass %s_MODEL_<Name> to pvecg_rt_parse() & co. */\n", e->mac);
	outf(&so->h, "extern PVECG_RT_EXPORT const pvecg_rt_shard %s_shard_%s;\n", e->sym, id);
	outf(&so->h, "extern PVECG_RT_EXPORT const pvecg_rt_model %s_%s_models[%zu];\n", e->sym, id,
	    so->sh->n_models);
	for (size_t i = 0; i < so->sh->n_models; i++)
		outf(&so->h, "#define %s_MODEL_%s (&%s_%s_models[%zu])\n", e->mac,
		    e->models[so->sh->models[i]].name, e->sym, id, i);
	if (so->sh->n_ps)
		outf(&so->h,
		    "/* Property-string formats: pvecg_rt_shard_propstr(&%s_shard_%s, name). */\n",
		    e->sym, id);
	outs(&so->h, "\n#endif\n");
}

/* One table of the source: rows made earlier, then its closing brace. */
static void
out_rows(em_out *c, const em_out *rows)
{
	if (!rows->failed)
		outs(c, rows->b.data);
	outs(c, "};\n\n");
}

/* The string pool, in chunks under ISO C's 4095-byte literal limit. */
static void
emit_source_pool(em_shard_out *so, em_out *c)
{
	const char *id = so->sh->ident;

	outs(c, "/* Generated by proxmox-sdk-codegen from openapi.json (");
	out_doc(c, so->e->in->version_tag, 100);
	outs(c, "):\n * descriptor tables of route group \"");
	out_doc(c, so->sh->group, 100);
	outf(c,
	    "\". Do not edit. */\n"
	    "#include <stddef.h>\n#include \"%s.h\"\n\n"
	    "#define O offsetof\n#define NO PVECG_RT_NONE\n\n"
	    "/* String pool: names, enum values, patterns (chunks stay under\n"
	    " * the 4095-byte literal limit of ISO C). */\nstatic const struct {\n",
	    id);
	for (size_t i = 0; i < so->pool.n_sizes; i++)
		outf(c, "\tchar c%zu[%zu];\n", i, so->pool.sizes[i]);
	outf(c, "} %s_pool = {\n", id);
	if (!so->pool.text.failed)
		outs(c, so->pool.text.b.data);
	outs(c, "};\n\n");
}

/* models/<id>.c: pool, enums, constraints, fields, models, ops, property
 * strings and the shard record. */
static void
emit_source(em_shard_out *so, em_out *c, const em_out *ps_rows, const em_out *ps_aliases,
    size_t n_ps_aliases)
{
	const em *e = so->e;
	const em_shard *sh = so->sh;
	const char *id = sh->ident;

	emit_source_pool(so, c);
	if (so->n_enums) {
		outf(c, "static const uint32_t %s_enums[] = {", id);
		if (!so->enums.failed)
			outs(c, so->enums.b.data);
		outs(c, "\n};\n\n");
	}
	if (so->n_cons) {
		outs(c, "/* min, max, min_len, max_len, enum_first, n_enum, flags, pattern */\n");
		outf(c, "static const pvecg_rt_cons %s_cons[] = {\n", id);
		out_rows(c, &so->cons);
	}
	outs(c, "/* name, offset, presence, type, flags, sub-model, constraint */\n");
	outf(c, "static const pvecg_rt_field %s_fields[] = {\n", id);
	out_rows(c, &so->fields);
	outs(c, "/* shard, name, size, first field, fields, extra, kind */\n");
	outf(c, "PVECG_RT_EXPORT const pvecg_rt_model %s_%s_models[%zu] = {\n", e->sym, id,
	    sh->n_models);
	out_rows(c, &so->models);
	outs(c, "/* operationId, method, path, request, response */\n");
	outf(c, "static const pvecg_rt_op %s_ops[] = {\n", id);
	out_rows(c, &so->ops);
	if (n_ps_aliases) {
		outs(c, "/* alias, key, key alias */\n");
		outf(c, "static const pvecg_rt_propstr_alias %s_ps_aliases[] = {\n", id);
		out_rows(c, ps_aliases);
	}
	if (sh->n_ps) {
		outs(c, "/* model, name, default key, aliases, dialect, kind */\n");
		outf(c, "static const pvecg_rt_propstr %s_propstrs[] = {\n", id);
		out_rows(c, ps_rows);
	}
	outf(c, "PVECG_RT_EXPORT const pvecg_rt_shard %s_shard_%s = {\n\tPVECG_RT_ABI, \"", e->sym,
	    id);
	out_cstr(c, sh->group);
	outf(c,
	    "\", %s_MODELS_OPENAPI_SHA256, %s_MODELS_VERSION_TAG,\n"
	    "\t(const char *)&%s_pool, %s_%s_models, %zu, %s_fields,\n"
	    "\t%s%s, %s%s, %s_ops, %zu, %s%s, %d\n};\n\n#undef O\n#undef NO\n",
	    e->mac, e->mac, id, e->sym, id, sh->n_models, id, so->n_cons ? id : "NULL",
	    so->n_cons ? "_cons" : "", so->n_enums ? id : "NULL", so->n_enums ? "_enums" : "", id,
	    sh->n_ops, sh->n_ps ? id : "NULL", sh->n_ps ? "_propstrs" : "", sh->n_ps);
}

static int
shard_out_failed(const em_shard_out *so)
{
	return so->h.failed || so->pool.failed || so->pool.text.failed || so->tmp.failed ||
	    so->fields.failed || so->models.failed || so->ops.failed || so->cons.failed ||
	    so->enums.failed;
}

static void
shard_out_free(em_shard_out *so)
{
	pool_free(&so->pool);
	pvecg_buf_free(&so->h.b);
	pvecg_buf_free(&so->enums.b);
	pvecg_buf_free(&so->cons.b);
	pvecg_buf_free(&so->fields.b);
	pvecg_buf_free(&so->models.b);
	pvecg_buf_free(&so->ops.b);
	pvecg_buf_free(&so->tmp.b);
	pvecg_strmap_free(&so->cons_idx);
	pvecg_strmap_free(&so->enum_idx);
}

/* Adds the text of o as the file path (files takes the bytes). */
PVECG_NODISCARD static int
add_text(pvecg_files *files, const char *fmt, const char *id, em_out *o)
{
	char path[300];
	size_t len = o->b.len;

	snprintf(path, sizeof(path), fmt, id);
	return pvecg_files_add(files, path, pvecg_buf_steal(&o->b, NULL), len);
}

/* One route group's models/<id>.h and models/<id>.c. */
PVECG_NODISCARD static int
emit_shard(em *e, em_shard *sh, pvecg_files *files)
{
	em_out ps_rows = { PVECG_BUF_INIT, 0 }, ps_aliases = { PVECG_BUF_INIT, 0 };
	em_out c = { PVECG_BUF_INIT, 0 };
	size_t n_ps_aliases = 0;
	em_shard_out so;
	int rc;

	memset(&so, 0, sizeof(so));
	so.e = e;
	so.sh = sh;
	if ((rc = sort_models(e, sh)) != 0)
		return rc;
	if (sh->n_models >= PVECG_RT_NONE)
		return em_fail(e, PVECG_ELIMIT, sh->group, "too many models for one shard");
	emit_header_open(&so);
	emit_models(&so);
	emit_ops(&so);
	emit_header_close(&so);
	emit_propstr_rows(&so, &ps_rows, &ps_aliases, &n_ps_aliases);
	pool_close_chunk(&so.pool);
	emit_source(&so, &c, &ps_rows, &ps_aliases, n_ps_aliases);
	if (so.pool.too_long)
		rc = em_fail(e, PVECG_ELIMIT, sh->group,
		    "a member name or enum value is longer than 4000 bytes");
	else if (shard_out_failed(&so) || c.failed || ps_rows.failed || ps_aliases.failed ||
	    add_text(files, "models/%s.c", sh->ident, &c) != 0 ||
	    add_text(files, "models/%s.h", sh->ident, &so.h) != 0)
		rc = em_nomem(e);
	pvecg_buf_free(&c.b);
	pvecg_buf_free(&ps_rows.b);
	pvecg_buf_free(&ps_aliases.b);
	shard_out_free(&so);
	return rc;
}

/* ---- every shard ------------------------------------------------------------ */

int
em_emit_shards(em *e, pvecg_files *files)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < e->n_shards; i++)
		rc = emit_shard(e, &e->shards[i], files);
	return rc;
}
