/* models: openapi.json -> C models.
 *
 * Output (paths relative to the version directory):
 *   models/<group>.h/.c   one shard per route group: plain structs plus static
 *                         const descriptor tables (pvecg_rt.h documents them)
 *   models/pvecg_rt*.{h,c} the one runtime, copied from src/runtime/
 *   models/CMakeLists.txt shards as SHARED libraries, the aggregate STATIC
 *   <product>_models.h/.c every shard in one unit + operationId lookup table
 *   model_index.json      operationId -> group, models, shard files
 *
 * Decisions:
 * - Nested objects are inline in openapi.json; each becomes its own struct
 *   named <Parent><FieldPascal> (array elements <Parent><FieldPascal>Item,
 *   array responses <Model>Item), numbered on a clash, so a model never
 *   refers to another shard.
 * - Indexed members (net0..net31 enumerated in openapi.json, each a $ref to
 *   one member schema with x-proxmox-indexed, or a patternProperties entry
 *   with x-proxmox-index-max) become one fixed array `char *net[32]`
 *   (PVECG_RT_F_INDEXED); members past the maximum and patterns without a
 *   known maximum stay in `extra`.
 * - A string member with x-proxmox-property-string gets the typed struct
 *   of its format beside the text (`T *x_parsed`, PVECG_RT_F_PROPSTR),
 *   filled when parsing with PVECG_RT_PROPSTR; each shard has its own copy
 *   of the formats it uses (pvecg_rt_propstr.h).
 * - Patterns are translated to POSIX EREs (anchored, as Proxmox matches
 *   them) when that is exact enough; otherwise the field records why the
 *   pattern is not checked (comment + counts in model_index.json).
 * - Shards are written by up to in->workers threads (each into its own
 *   buffers, added to the file set in shard order afterwards), so the bytes
 *   do not depend on the thread count. */
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/embed.h"
#include "pvecg/models.h"
#include "pvecg/util.h"
#include "pvecg/wire.h"
#include "pvecg_rt.h"

#define EM_POOL_CHUNK 4000   /* under the 4095 ISO literal minimum */
#define EM_MAX_DEPTH 32      /* nested schema depth we follow */
#define EM_DOC_MAX 160       /* description characters kept in comments */

/* ---- small string hash map (string -> int), keys owned ------------------ */

typedef struct em_map {
	char **keys;
	int *vals;
	size_t cap, n;
} em_map;

static uint64_t
em_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int
em_map_grow(em_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	char **keys = calloc(cap, sizeof(*keys));
	int *vals = calloc(cap, sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return PVECG_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == NULL)
			continue;
		for (j = em_hash(m->keys[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Returns the slot of key (found or empty). */
static size_t
em_map_slot(const em_map *m, const char *key)
{
	size_t j = em_hash(key) & (m->cap - 1);

	while (m->keys[j] && strcmp(m->keys[j], key) != 0)
		j = (j + 1) & (m->cap - 1);
	return j;
}

static int *
em_map_get(const em_map *m, const char *key)
{
	size_t j;

	if (m->cap == 0)
		return NULL;
	j = em_map_slot(m, key);
	return m->keys[j] ? &m->vals[j] : NULL;
}

static int
em_map_put(em_map *m, const char *key, int val)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap && em_map_grow(m) != 0)
		return PVECG_ENOMEM;
	j = em_map_slot(m, key);
	if (m->keys[j] == NULL) {
		if ((m->keys[j] = pvecg_strdup(key)) == NULL)
			return PVECG_ENOMEM;
		m->n++;
	}
	m->vals[j] = val;
	return 0;
}

static void
em_map_free(em_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- the model graph ----------------------------------------------------- */

typedef struct em_field {
	const char *json;     /* JSON member name (borrowed from the document) */
	char *cname;          /* C member name */
	const cJSON *schema;  /* value schema (array: the array schema) */
	const cJSON *vschema; /* scalar schema constraints come from (items) */
	const char *doc;      /* description (borrowed) */
	int type;
	unsigned flags;
	int presence;         /* has_x / n_x emitted */
	int sub;              /* global model index, or -1 */
	int ps;               /* property-string format: e->ps index + 1, or 0 */
	int count;            /* indexed family: members (net[32]), or 0 */
	char *family;         /* indexed family: the C base name (owned) */
} em_field;

typedef struct em_op {
	const char *op_id, *path, *group;
	char method[8];
	const cJSON *op;
	int request, response; /* global model index or -1 */
	int shard;
} em_op;

typedef struct em_model {
	char *name;
	int kind;
	int op;               /* index into ops */
	const char *role;     /* "response", "request body", ... */
	const cJSON *schema;
	em_field *fields;
	size_t n_fields;
	char *extra_doc;      /* patternProperties, for the extra comment */
	int shard;
	int local;            /* index in the shard after sorting */
} em_model;

typedef struct em_shard {
	char *group;          /* route group as tagged */
	char *ident;          /* C identifier / file stem */
	int *models;          /* global indexes, sorted by name */
	size_t n_models, cap_models;
	int *ops;
	size_t n_ops, cap_ops;
	int n_ps;             /* property-string formats of the shard */
} em_shard;

/* A property-string format as used in one shard. */
typedef struct em_ps {
	const char *comp;     /* components.schemas name */
	int shard;
	int model;            /* global model index of its struct */
	int local;            /* index in the shard's propstr table */
} em_ps;

typedef struct em {
	const pvecg_models_input *in;
	pvecg_error *err;
	em_op *ops;
	size_t n_ops;
	em_model *models;
	size_t n_models, cap_models;
	em_map names;         /* struct names in use */
	em_shard *shards;
	size_t n_shards;
	em_ps *ps;
	size_t n_ps, cap_ps;
	em_map ere_ok;        /* translated ERE -> 1 compiles / 0 not */
	em_map comp;          /* components.schemas name -> comp_nodes index */
	const cJSON **comp_nodes;
	long n_fields, n_cons, n_pat_ok, n_pat_skip;
	char prefix[32];      /* "pve_models" */
} em;

static int
em_fail(em *e, int code, const char *where, const char *msg)
{
	return pvecg_error_set(e->err, code, where, "%s", msg);
}

static int
em_nomem(em *e)
{
	return em_fail(e, PVECG_ENOMEM, "models", "out of memory");
}

/* ---- names -------------------------------------------------------------- */

/* "get_cluster_status" / "ha-state" -> "GetClusterStatus" / "HaState" */
static int
pascal(pvecg_buf *b, const char *s)
{
	int up = 1;

	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))) {
			up = 1;
			continue;
		}
		if (up && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		up = 0;
		if (pvecg_buf_append(b, &c, 1) != 0)
			return PVECG_ENOMEM;
	}
	return 0;
}

/* Reserves name (or name2, name3, ...) and returns the copy. Top-level
 * names are reserved up front (value 2); only their own model takes them. */
static char *
unique_name(em *e, const char *base, int top)
{
	pvecg_buf b = PVECG_BUF_INIT;
	char *out;

	for (int n = 1; ; n++) {
		b.len = 0;
		if ((n == 1 ? pvecg_buf_puts(&b, base) :
		    pvecg_buf_printf(&b, "%s%d", base, n)) != 0) {
			pvecg_buf_free(&b);
			return NULL;
		}
		int *v = em_map_get(&e->names, b.data);

		if (v == NULL || (top && n == 1 && *v == 2))
			break;
	}
	if (em_map_put(&e->names, b.data, 1) != 0) {
		pvecg_buf_free(&b);
		return NULL;
	}
	out = pvecg_buf_steal(&b, NULL);
	return out;
}

static const char *const c_reserved[] = {
	"EOF", "I", "NULL", "_Alignas", "_Alignof", "_Atomic", "_Bool",
	"_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
	"_Thread_local", "alignas", "alignof", "auto", "bool", "break", "case",
	"char", "complex", "const", "continue", "default", "do", "double",
	"else", "enum", "errno", "extern", "false", "float", "for", "goto",
	"if", "imaginary", "inline", "int", "linux", "long", "noreturn",
	"register", "restrict", "return", "short", "signed", "sizeof",
	"static", "static_assert", "stderr", "stdin", "stdout", "struct",
	"switch", "thread_local", "true", "typedef", "union", "unix",
	"unsigned", "void", "volatile", "while"
};

static int
is_reserved(const char *s)
{
	size_t lo = 0, hi = sizeof(c_reserved) / sizeof(c_reserved[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(s, c_reserved[mid]);

		if (cmp == 0)
			return 1;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* JSON name -> C identifier: [A-Za-z0-9_], no leading digit, no keyword,
 * no reserved "__"/"_X" prefix. */
static int
mangle(pvecg_buf *b, const char *json)
{
	const char *s = json;

	b->len = 0;
	if (*s >= '0' && *s <= '9' && pvecg_buf_puts(b, "f_") != 0)
		return PVECG_ENOMEM;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')))
			c = '_';
		if (c == '_' && b->len == 0) {
			if (pvecg_buf_puts(b, "f") != 0)
				return PVECG_ENOMEM;
		}
		if (pvecg_buf_append(b, &c, 1) != 0)
			return PVECG_ENOMEM;
	}
	if (b->len == 0 && pvecg_buf_puts(b, "f_") != 0)
		return PVECG_ENOMEM;
	if (is_reserved(b->data) && pvecg_buf_puts(b, "_") != 0)
		return PVECG_ENOMEM;
	return 0;
}

/* ---- schema helpers ------------------------------------------------------ */

/* components.schemas[name], through a hash index built once (the
 * document has a thousand schemas; a linear lookup per operation adds up). */
static const cJSON *
component(const em *e, const char *name)
{
	const int *i = em_map_get(&e->comp, name);

	return i ? e->comp_nodes[*i] : NULL;
}

static int
index_components(em *e)
{
	const cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(e->in->openapi, "components"), "schemas");
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, schemas)
		n++;
	e->comp_nodes = calloc(n + 1, sizeof(*e->comp_nodes));
	if (e->comp_nodes == NULL)
		return em_nomem(e);
	n = 0;
	cJSON_ArrayForEach(c, schemas) {
		if (c->string == NULL || em_map_get(&e->comp, c->string))
			continue; /* the first of duplicate keys wins, as cJSON's lookup */
		e->comp_nodes[n] = c;
		if (em_map_put(&e->comp, c->string, (int)n++) != 0)
			return em_nomem(e);
	}
	return 0;
}

static const cJSON *
resolve(const em *e, const cJSON *s)
{
	for (int i = 0; i < 8 && cJSON_IsObject(s); i++) {
		const char *ref = pvecg_json_str(s, "$ref");

		if (ref == NULL || strncmp(ref, "#/components/schemas/", 21) != 0)
			return s;
		s = component(e, ref + 21);
	}
	return cJSON_IsObject(s) ? s : NULL;
}

/* What a schema is, read in one pass over its members. */
typedef struct em_shape {
	const char *type;     /* main type, "null", or NULL (none / several) */
	int nullable;
	int combinator;       /* oneOf / anyOf / allOf */
	int scalar;           /* PVECG_RT_BOOL..STR, or 0 */
	int object_model;     /* an object with properties: its own struct */
	const cJSON *items;
} em_shape;

/* A wire union ("type": ["integer", "string"]) is its declared type
 * (x-proxmox-type) when that is one of the union's scalar types. */
static const char *
wire_declared(const cJSON *type, const cJSON *xtype)
{
	static const char *const scalars[] = { "boolean", "integer", "number", "string" };
	const cJSON *v;

	if (!cJSON_IsString(xtype))
		return NULL;
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (strcmp(xtype->valuestring, scalars[i]) != 0)
			continue;
		cJSON_ArrayForEach(v, type)
			if (cJSON_IsString(v) && strcmp(v->valuestring, scalars[i]) == 0)
				return scalars[i];
	}
	return NULL;
}

static int
wire_null_branch(const cJSON *s)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(s, "anyOf")) {
		const char *t = pvecg_json_str(b, "type");

		if (t && strcmp(t, "null") == 0)
			return 1;
	}
	return 0;
}

static void
shape_of(em_shape *sh, const cJSON *s)
{
	const cJSON *type = NULL, *props = NULL, *xtype = NULL;

	memset(sh, 0, sizeof(*sh));
	for (const cJSON *c = s ? s->child : NULL; c; c = c->next) {
		const char *k = c->string;

		if (k == NULL)
			continue;
		if (strcmp(k, "type") == 0)
			type = c;
		else if (strcmp(k, "properties") == 0)
			props = c;
		else if (strcmp(k, "items") == 0)
			sh->items = c;
		else if (strcmp(k, "nullable") == 0)
			sh->nullable |= cJSON_IsTrue(c);
		else if (strcmp(k, "x-proxmox-type") == 0)
			xtype = c;
		else if (strcmp(k, "oneOf") == 0 || strcmp(k, "anyOf") == 0 ||
		    strcmp(k, "allOf") == 0)
			sh->combinator = 1;
	}
	if (sh->combinator && pvecg_wire_declared_branch(s)) {
		/* a wire union is its declared type (and nullable with a null branch) */
		sh->combinator = 0;
		sh->type = xtype->valuestring;
		sh->nullable |= wire_null_branch(s);
	} else if (cJSON_IsString(type)) {
		sh->type = type->valuestring;
	} else if (cJSON_IsArray(type)) {
		const cJSON *v;
		int n = 0;

		cJSON_ArrayForEach(v, type) {
			if (!cJSON_IsString(v))
				continue;
			if (strcmp(v->valuestring, "null") == 0) {
				sh->nullable = 1;
			} else {
				sh->type = v->valuestring;
				n++;
			}
		}
		if (n == 0)
			sh->type = "null";
		else if (n > 1)
			sh->type = wire_declared(type, xtype);
	} else if (props) {
		sh->type = "object";
	}
	if (sh->combinator || sh->type == NULL)
		return;
	if (strcmp(sh->type, "boolean") == 0)
		sh->scalar = PVECG_RT_BOOL;
	else if (strcmp(sh->type, "integer") == 0)
		sh->scalar = PVECG_RT_INT;
	else if (strcmp(sh->type, "number") == 0)
		sh->scalar = PVECG_RT_NUM;
	else if (strcmp(sh->type, "string") == 0)
		sh->scalar = PVECG_RT_STR;
	else if (strcmp(sh->type, "object") == 0)
		sh->object_model = cJSON_IsObject(props) && props->child != NULL;
}

/* ---- building models ----------------------------------------------------- */

static int build_model(em *e, int *out, const char *name, const cJSON *s,
    int op, const char *role, int depth);

static int
add_model(em *e, int *out, char *name, int op, const char *role,
    const cJSON *s, int kind)
{
	em_model *m;

	if (e->n_models == e->cap_models) {
		size_t cap = e->cap_models ? e->cap_models * 2 : 256;
		em_model *p = realloc(e->models, cap * sizeof(*p));

		if (p == NULL) {
			free(name);
			return em_nomem(e);
		}
		e->models = p;
		e->cap_models = cap;
	}
	m = &e->models[e->n_models];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->op = op;
	m->role = role;
	m->schema = s;
	m->kind = kind;
	m->shard = e->ops[op].shard;
	*out = (int)e->n_models++;
	return 0;
}

/* Fills f's type/flags/sub from the value schema v of member json. */
static int
classify(em *e, em_field *f, const char *parent, const cJSON *v, int op,
    int depth)
{
	em_shape sh, ish;
	pvecg_buf b = PVECG_BUF_INIT;
	int rc = 0;

	v = resolve(e, v);
	f->schema = v;
	f->vschema = v;
	f->sub = -1;
	if (v == NULL) {
		f->type = PVECG_RT_ANY;
		return 0;
	}
	shape_of(&sh, v);
	if (sh.nullable)
		f->flags |= PVECG_RT_F_NULLABLE;
	if (sh.scalar) {
		f->type = sh.scalar;
		return 0;
	}
	if (sh.object_model && depth < EM_MAX_DEPTH) {
		f->type = PVECG_RT_OBJ;
		if ((rc = pvecg_buf_puts(&b, parent)) == 0 &&
		    (rc = pascal(&b, f->json)) == 0)
			rc = build_model(e, &f->sub, b.data, v, op, "member", depth + 1);
		pvecg_buf_free(&b);
		return rc ? (rc == PVECG_ENOMEM ? em_nomem(e) : rc) : 0;
	}
	if (sh.type && strcmp(sh.type, "array") == 0 && !sh.combinator) {
		const cJSON *it = resolve(e, sh.items);

		if (it == NULL) {
			f->type = PVECG_RT_ANY;
			return 0;
		}
		shape_of(&ish, it);
		if (ish.scalar && !ish.nullable) {
			f->type = ish.scalar;
			f->flags |= PVECG_RT_F_ARRAY;
			f->vschema = it;
			return 0;
		}
		if (ish.object_model && depth < EM_MAX_DEPTH) {
			f->type = PVECG_RT_OBJ;
			f->flags |= PVECG_RT_F_ARRAY;
			f->vschema = it;
			if ((rc = pvecg_buf_puts(&b, parent)) == 0 &&
			    (rc = pascal(&b, f->json)) == 0 &&
			    (rc = pvecg_buf_puts(&b, "Item")) == 0)
				rc = build_model(e, &f->sub, b.data, it, op,
				    "array element", depth + 1);
			pvecg_buf_free(&b);
			return rc ? (rc == PVECG_ENOMEM ? em_nomem(e) : rc) : 0;
		}
		/* arrays of arrays, of any, of nullable scalars: any[] */
		f->type = PVECG_RT_ANY;
		f->flags |= PVECG_RT_F_ARRAY;
		f->vschema = it;
		return 0;
	}
	f->type = PVECG_RT_ANY;
	return 0;
}

static int
field_cmp(const void *a, const void *b)
{
	return strcmp(((const em_field *)a)->json, ((const em_field *)b)->json);
}

/* Is name used by a member emitted so far (value, has_/n_ companion, or
 * the trailing extra)? Linear: models have tens of fields. */
static int
member_taken(const em_model *m, size_t upto, const char *name)
{
	if (strcmp(name, "extra") == 0)
		return 1;
	for (size_t i = 0; i < upto; i++) {
		const em_field *f = &m->fields[i];

		if (strcmp(f->cname, name) == 0)
			return 1;
		if (!f->presence)
			continue;
		if (f->flags & PVECG_RT_F_ARRAY) {
			if (strncmp(name, "n_", 2) == 0 && strcmp(name + 2, f->cname) == 0)
				return 1;
		} else if (strncmp(name, "has_", 4) == 0 && strcmp(name + 4, f->cname) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Gives each field a unique C name, in field order (deterministic). */
static int
name_fields(em_model *m)
{
	pvecg_buf b = PVECG_BUF_INIT;
	char pres[300];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < m->n_fields; i++) {
		em_field *f = &m->fields[i];

		if ((rc = mangle(&b, f->family ? f->family : f->json)) != 0)
			break;
		for (;;) {
			snprintf(pres, sizeof(pres), "%s%s",
			    f->flags & PVECG_RT_F_ARRAY ? "n_" : "has_", b.data);
			if (!member_taken(m, i, b.data) &&
			    (!f->presence || !member_taken(m, i, pres)))
				break;
			/* numa[n] beside a member numa: numa_n[8] */
			if ((rc = pvecg_buf_puts(&b, f->family &&
			    strcmp(b.data + b.len - (b.len > 1 ? 2 : 0), "_n") != 0 ? "_n" : "_")) != 0)
				break;
		}
		if (rc == 0 && (f->cname = pvecg_strdup(b.data)) == NULL)
			rc = PVECG_ENOMEM;
	}
	pvecg_buf_free(&b);
	return rc;
}

static int
needs_presence(const em_field *f)
{
	if (f->flags & PVECG_RT_F_ARRAY)
		return 1;
	if (f->type != PVECG_RT_BOOL && f->type != PVECG_RT_INT &&
	    f->type != PVECG_RT_NUM)
		return 0;
	return !(f->flags & PVECG_RT_F_REQUIRED) ||
	    (f->flags & PVECG_RT_F_NULLABLE);
}

static int
in_list(const cJSON *s, const char *key, const char *name)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, key);
	const cJSON *v;

	cJSON_ArrayForEach(v, r)
		if (cJSON_IsString(v) && strcmp(v->valuestring, name) == 0)
			return 1;
	return 0;
}

static int
in_required(const cJSON *s, const char *name)
{
	return in_list(s, "required", name);
}

/* "^net\d+$, ^scsi\d+$" for the comment on extra. */
static int
pattern_props_doc(char **out, const cJSON *s)
{
	const cJSON *pp = cJSON_GetObjectItemCaseSensitive(s, "patternProperties");
	const cJSON *v;
	pvecg_buf b = PVECG_BUF_INIT;

	*out = NULL;
	if (!cJSON_IsObject(pp) || pp->child == NULL)
		return 0;
	cJSON_ArrayForEach(v, pp) {
		if (pvecg_buf_printf(&b, "%s%s", b.len ? ", " : "", v->string) != 0) {
			pvecg_buf_free(&b);
			return PVECG_ENOMEM;
		}
	}
	*out = pvecg_buf_steal(&b, NULL);
	return 0;
}

/* The struct of the property-string format schema v points at, made for
 * op's shard on first use: *out = e->ps index + 1, or 0 for none. */
static int
propstr_of(em *e, int *out, const cJSON *v, int op, int depth)
{
	const char *ref = pvecg_json_str(
	    cJSON_GetObjectItemCaseSensitive(v, "x-proxmox-property-string"), "$ref");
	const cJSON *comp;
	int shard = e->ops[op].shard, mi, rc;
	em_shape sh;
	size_t k;

	*out = 0;
	if (ref == NULL || strncmp(ref, "#/components/schemas/", 21) != 0 ||
	    (comp = component(e, ref + 21)) == NULL || depth >= EM_MAX_DEPTH)
		return 0;
	for (k = 0; k < e->n_ps; k++) {
		if (e->ps[k].shard == shard && strcmp(e->ps[k].comp, ref + 21) == 0) {
			*out = (int)k + 1;
			return 0;
		}
	}
	shape_of(&sh, comp);
	if (!sh.object_model && !(sh.type && strcmp(sh.type, "array") == 0))
		return 0;
	if (e->n_ps == e->cap_ps) {
		size_t cap = e->cap_ps ? e->cap_ps * 2 : 64;
		em_ps *p = realloc(e->ps, cap * sizeof(*p));

		if (p == NULL)
			return em_nomem(e);
		e->ps = p;
		e->cap_ps = cap;
	}
	k = e->n_ps++;
	e->ps[k].comp = ref + 21;
	e->ps[k].shard = shard;
	e->ps[k].model = -1;
	e->ps[k].local = e->shards[shard].n_ps++;
	if ((rc = build_model(e, &mi, ref + 21, comp, op, "property string", depth + 1)) != 0)
		return rc;
	e->ps[k].model = mi;
	*out = (int)k + 1;
	return 0;
}

/* Every property-string format op uses, also where no member gives typed
 * access (arrays of property strings, oneOf variants), gets its struct and
 * descriptor in op's shard. */
static int
register_propstrs(em *e, const cJSON *node, int op, int refs)
{
	const cJSON *c;
	int rc, dummy;

	if (cJSON_IsObject(node)) {
		const char *ref = pvecg_json_str(node, "$ref");

		if (cJSON_GetObjectItemCaseSensitive(node, "x-proxmox-property-string") &&
		    (rc = propstr_of(e, &dummy, node, op, 0)) != 0)
			return rc;
		if (ref && refs < 8 && strncmp(ref, "#/components/schemas/", 21) == 0)
			return register_propstrs(e, component(e, ref + 21), op, refs + 1);
	}
	for (c = node ? node->child : NULL; c; c = c->next) {
		if (c->string && strcmp(c->string, "x-proxmox-property-string") == 0)
			continue;
		if ((rc = register_propstrs(e, c, op, refs)) != 0)
			return rc;
	}
	return 0;
}

/* The member schema of an indexed family when p is one of its members
 * (net3: {"$ref": <schema with x-proxmox-indexed "net[n]">}) or a pattern
 * entry with a known maximum; NULL otherwise. */
static const cJSON *
indexed_member(const em *e, const cJSON *p, int pattern, int *count)
{
	const cJSON *m = pattern ? p : (pvecg_json_str(p, "$ref") ? resolve(e, p) : NULL);
	const char *ix = pvecg_json_str(m, "x-proxmox-indexed");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(m, "x-proxmox-index-max");
	size_t n = ix ? strlen(ix) : 0;
	em_shape sh;

	if (n < 4 || strcmp(ix + n - 3, "[n]") != 0 || !cJSON_IsNumber(max) ||
	    max->valuedouble < 0 || max->valuedouble > 4095)
		return NULL;
	if (!pattern) {
		const char *k = p->string;

		if (strncmp(k, ix, n - 3) != 0 || k[n - 3] < '0' || k[n - 3] > '9')
			return NULL;
		for (k += n - 3; *k; k++)
			if (*k < '0' || *k > '9')
				return NULL;
	}
	shape_of(&sh, m);
	if (sh.scalar != PVECG_RT_STR || sh.nullable)
		return NULL;
	*count = (int)max->valuedouble + 1;
	return m;
}

/* One field for a whole indexed family; 0 when it is there already. */
static int
indexed_field(em *e, em_field *fs, size_t *i, const cJSON *m, int count, int op,
    int depth)
{
	const char *ix = pvecg_json_str(m, "x-proxmox-indexed");
	em_field *f;

	for (size_t k = 0; k < *i; k++)
		if (fs[k].count && strcmp(fs[k].json, ix) == 0)
			return 0;
	f = &fs[(*i)++];
	f->json = ix;
	f->doc = pvecg_json_str(m, "description");
	f->schema = f->vschema = m;
	f->type = PVECG_RT_STR;
	f->sub = -1;
	f->count = count;
	if ((f->family = pvecg_strndup(ix, strlen(ix) - 3)) == NULL)
		return em_nomem(e);
	e->n_fields++;
	return propstr_of(e, &f->ps, m, op, depth);
}

/* Builds the fields of an object model from s.properties. */
static int
build_fields(em *e, int mi, const cJSON *s, int op, int depth)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *pat = cJSON_GetObjectItemCaseSensitive(s, "patternProperties");
	const cJSON *p, *im;
	size_t n = 0, i = 0;
	em_field *fs;
	int rc, count;
	char *parent;

	cJSON_ArrayForEach(p, props)
		n++;
	cJSON_ArrayForEach(p, pat)
		n++;
	fs = calloc(n ? n : 1, sizeof(*fs));
	if (fs == NULL)
		return em_nomem(e);
	/* models may move while children are built: index, never pointer */
	e->models[mi].fields = fs;
	e->models[mi].n_fields = n;
	if (pattern_props_doc(&e->models[mi].extra_doc, s) != 0)
		return em_nomem(e);
	parent = e->models[mi].name;
	cJSON_ArrayForEach(p, props) {
		em_field *f;

		if ((im = indexed_member(e, p, 0, &count)) != NULL && !in_required(s, p->string)) {
			if ((rc = indexed_field(e, fs, &i, im, count, op, depth)) != 0)
				return rc;
			continue;
		}
		f = &fs[i++];
		f->json = p->string;
		f->doc = pvecg_json_str(resolve(e, p), "description");
		if (in_required(s, p->string))
			f->flags |= PVECG_RT_F_REQUIRED;
		else if (in_list(s, "x-proxmox-declared-required", p->string))
			f->flags |= PVECG_RT_F_DECLARED;
		if ((rc = classify(e, f, parent, p, op, depth)) != 0)
			return rc;
		f->presence = needs_presence(f);
		if (f->type == PVECG_RT_STR && !(f->flags & PVECG_RT_F_ARRAY) &&
		    (rc = propstr_of(e, &f->ps, f->schema, op, depth)) != 0)
			return rc;
		e->n_fields++;
	}
	cJSON_ArrayForEach(p, pat) {
		if ((im = indexed_member(e, p, 1, &count)) != NULL &&
		    (rc = indexed_field(e, fs, &i, im, count, op, depth)) != 0)
			return rc;
	}
	n = i;
	e->models[mi].n_fields = n;
	qsort(fs, n, sizeof(*fs), field_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(fs[i - 1].json, fs[i].json) == 0)
			return em_fail(e, PVECG_EINPUT, e->ops[op].op_id,
			    "duplicate property name");
	if (name_fields(&e->models[mi]) != 0)
		return em_nomem(e);
	return 0;
}

/* A model for schema s: an object with properties, or one whole value. */
static int
build_model(em *e, int *out, const char *name, const cJSON *s, int op,
    const char *role, int depth)
{
	char *uname = unique_name(e, name, depth == 0);
	em_shape sh;
	int mi, rc;
	em_field *f;
	pvecg_buf b = PVECG_BUF_INIT;

	if (uname == NULL)
		return em_nomem(e);
	s = resolve(e, s);
	shape_of(&sh, s);
	if (sh.object_model) {
		if ((rc = add_model(e, &mi, uname, op, role, s, PVECG_RT_K_OBJECT)) != 0)
			return rc;
		*out = mi;
		return build_fields(e, mi, s, op, depth);
	}
	if ((rc = add_model(e, &mi, uname, op, role, s, PVECG_RT_K_VALUE)) != 0)
		return rc;
	*out = mi;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return em_nomem(e);
	e->models[mi].fields = f;
	e->models[mi].n_fields = 1;
	/* the element of an array response is <Name>Item */
	if ((rc = pvecg_buf_puts(&b, e->models[mi].name)) != 0) {
		pvecg_buf_free(&b);
		return em_nomem(e);
	}
	f->json = ""; /* an array of objects: element model <Name>Item */
	rc = classify(e, f, b.data, s, op, depth);
	pvecg_buf_free(&b);
	if (rc != 0)
		return rc;
	f = e->models[mi].fields;
	f->json = (f->flags & PVECG_RT_F_ARRAY) ? "items" : "value";
	f->flags |= PVECG_RT_F_NULLABLE; /* absent value: null */
	f->presence = needs_presence(f);
	f->doc = s ? pvecg_json_str(s, "description") : NULL;
	if ((f->cname = pvecg_strdup(f->json)) == NULL)
		return em_nomem(e);
	e->n_fields++;
	return 0;
}

/* ---- operations ---------------------------------------------------------- */

static int
op_cmp(const void *a, const void *b)
{
	return strcmp(((const em_op *)a)->op_id, ((const em_op *)b)->op_id);
}

static int
collect_ops(em *e)
{
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(e->in->openapi, "paths");
	const cJSON *p, *op;
	size_t n = 0;

	if (!cJSON_IsObject(paths))
		return em_fail(e, PVECG_EINPUT, "openapi.json", "no paths object");
	cJSON_ArrayForEach(p, paths)
		for (size_t k = 0; k < PVECG_HTTP_NMETHODS; k++)
			if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(p, pvecg_httpmethods[k].lower)))
				n++;
	e->ops = calloc(n ? n : 1, sizeof(*e->ops));
	if (e->ops == NULL)
		return em_nomem(e);
	cJSON_ArrayForEach(p, paths) {
		for (size_t k = 0; k < PVECG_HTTP_NMETHODS; k++) {
			em_op *o;
			const cJSON *tags;

			op = cJSON_GetObjectItemCaseSensitive(p, pvecg_httpmethods[k].lower);
			if (!cJSON_IsObject(op))
				continue;
			o = &e->ops[e->n_ops++];
			o->op = op;
			o->path = p->string;
			o->op_id = pvecg_json_str(op, "operationId");
			snprintf(o->method, sizeof(o->method), "%s", pvecg_httpmethods[k].upper);
			o->request = o->response = -1;
			if (o->op_id == NULL)
				return pvecg_error_set(e->err, PVECG_EINPUT, "openapi.json",
				    "paths.%s.%s: no operationId", p->string, pvecg_httpmethods[k].lower);
			tags = cJSON_GetObjectItemCaseSensitive(op, "tags");
			o->group = cJSON_IsArray(tags) && cJSON_IsString(tags->child) ?
			    tags->child->valuestring : NULL;
		}
	}
	qsort(e->ops, e->n_ops, sizeof(*e->ops), op_cmp);
	for (size_t i = 1; i < e->n_ops; i++)
		if (strcmp(e->ops[i - 1].op_id, e->ops[i].op_id) == 0)
			return pvecg_error_set(e->err, PVECG_EINPUT, "openapi.json",
			    "operationId %s used twice", e->ops[i].op_id);
	return 0;
}

/* Route group = first path segment, "root" for "/" (the tag if present). */
static int
group_of(pvecg_buf *b, const em_op *o)
{
	const char *s = o->path + (o->path[0] == '/');
	size_t n = strcspn(s, "/");

	b->len = 0;
	if (o->group)
		return pvecg_buf_puts(b, o->group);
	if (n == 0)
		return pvecg_buf_puts(b, "root");
	return pvecg_buf_append(b, s, n);
}

/* A C identifier for any group name: lower-case letters, digits and '_';
 * a name that does not start with a letter gets "g_" in front ("2fa" ->
 * g_2fa; "_x" would be reserved at file scope, "" -> g_). */
static int
shard_ident(pvecg_buf *b, const char *group)
{
	b->len = 0;
	if (!((group[0] >= 'a' && group[0] <= 'z') || (group[0] >= 'A' && group[0] <= 'Z')) &&
	    pvecg_buf_puts(b, "g_") != 0)
		return PVECG_ENOMEM;
	for (const char *s = group; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		if (pvecg_buf_append(b, &c, 1) != 0)
			return PVECG_ENOMEM;
	}
	return 0;
}

static int
shard_cmp(const void *a, const void *b)
{
	return strcmp(((const em_shard *)a)->ident, ((const em_shard *)b)->ident);
}

static int
assign_shards(em *e)
{
	em_map idx = { 0 };
	pvecg_buf g = PVECG_BUF_INIT, id = PVECG_BUF_INIT;
	int rc = 0;

	e->shards = calloc(e->n_ops ? e->n_ops : 1, sizeof(*e->shards));
	if (e->shards == NULL)
		return em_nomem(e);
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++) {
		int *have;

		if ((rc = group_of(&g, &e->ops[i])) != 0 ||
		    (rc = shard_ident(&id, g.data)) != 0)
			break;
		have = em_map_get(&idx, id.data);
		if (have) {
			e->ops[i].shard = *have;
			continue;
		}
		e->shards[e->n_shards].group = pvecg_strdup(g.data);
		e->shards[e->n_shards].ident = pvecg_strdup(id.data);
		if (!e->shards[e->n_shards].group || !e->shards[e->n_shards].ident)
			rc = PVECG_ENOMEM;
		e->ops[i].shard = (int)e->n_shards;
		if (rc == 0)
			rc = em_map_put(&idx, id.data, (int)e->n_shards);
		e->n_shards++;
	}
	pvecg_buf_free(&g);
	pvecg_buf_free(&id);
	em_map_free(&idx);
	if (rc != 0)
		return em_nomem(e);
	/* Sorted shards; remap the ops. */
	{
		int *order = malloc(e->n_shards * sizeof(int) + 1);

		if (order == NULL)
			return em_nomem(e);
		for (size_t i = 0; i < e->n_shards; i++)
			e->shards[i].models = (int *)(intptr_t)i; /* old index */
		qsort(e->shards, e->n_shards, sizeof(*e->shards), shard_cmp);
		for (size_t i = 0; i < e->n_shards; i++) {
			order[(intptr_t)e->shards[i].models] = (int)i;
			e->shards[i].models = NULL;
		}
		for (size_t i = 0; i < e->n_ops; i++)
			e->ops[i].shard = order[e->ops[i].shard];
		free(order);
	}
	return 0;
}

/* GET/DELETE: a request model from the query parameters. */
static int
query_schema(cJSON **out, const em *e, const em_op *o)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(o->op, "parameters");
	const cJSON *p;
	cJSON *s = NULL, *props = NULL, *req = NULL;

	*out = NULL;
	cJSON_ArrayForEach(p, params) {
		const cJSON *r = resolve(e, p);
		const char *in = pvecg_json_str(r, "in");
		const char *name = pvecg_json_str(r, "name");
		cJSON *v;

		if (!in || strcmp(in, "query") != 0 || !name)
			continue;
		if (s == NULL) {
			s = cJSON_CreateObject();
			if (!s || !cJSON_AddStringToObject(s, "type", "object") ||
			    !(props = cJSON_AddObjectToObject(s, "properties")) ||
			    !(req = cJSON_AddArrayToObject(s, "required")))
				goto nomem;
		}
		v = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(r, "schema"), 1);
		if (v == NULL && (v = cJSON_CreateObject()) == NULL)
			goto nomem;
		if (pvecg_json_str(r, "description") && !pvecg_json_str(v, "description") &&
		    !cJSON_AddStringToObject(v, "description",
		    pvecg_json_str(r, "description"))) {
			cJSON_Delete(v);
			goto nomem;
		}
		if (!cJSON_AddItemToObject(props, name, v)) {
			cJSON_Delete(v);
			goto nomem;
		}
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "required")) &&
		    !cJSON_AddItemToArray(req, cJSON_CreateString(name)))
			goto nomem;
	}
	*out = s;
	return 0;
nomem:
	cJSON_Delete(s);
	return PVECG_ENOMEM;
}

static const cJSON *
body_schema(const em *e, const em_op *o)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(o->op, "requestBody"), "content");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(c, "application/json"), "schema");

	if (s == NULL && cJSON_IsObject(c) && c->child)
		s = cJSON_GetObjectItemCaseSensitive(c->child, "schema");
	return resolve(e, s);
}

static const cJSON *
response_schema(const em *e, const em_op *o, const char *model)
{
	const cJSON *s = component(e, model);
	const cJSON *r;

	if (s)
		return s;
	/* fall back to responses.200...data */
	r = cJSON_GetObjectItemCaseSensitive(o->op, "responses");
	r = cJSON_GetObjectItemCaseSensitive(r, "200");
	r = cJSON_GetObjectItemCaseSensitive(r, "content");
	r = cJSON_GetObjectItemCaseSensitive(r, "application/json");
	r = resolve(e, cJSON_GetObjectItemCaseSensitive(r, "schema"));
	r = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(r, "properties"), "data");
	return resolve(e, r);
}

/* Query schemas built here live as long as the emitter. */
typedef struct em_owned {
	cJSON **items;
	size_t n;
} em_owned;

static int
build_all(em *e, em_owned *owned)
{
	pvecg_buf b = PVECG_BUF_INIT;
	int rc = 0;

	/* Top-level names first, so nested structs never take them. */
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++) {
		b.len = 0;
		if ((rc = pascal(&b, e->ops[i].op_id)) == 0 &&
		    (rc = pvecg_buf_puts(&b, "Response")) == 0)
			rc = em_map_put(&e->names, b.data, 2);
		b.len -= 8;
		if (rc == 0 && (rc = pvecg_buf_puts(&b, "Request")) == 0)
			rc = em_map_put(&e->names, b.data, 2);
	}
	if (rc != 0)
		goto nomem;
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++) {
		em_op *o = &e->ops[i];
		const cJSON *req;
		cJSON *q = NULL;
		char *name;

		b.len = 0;
		if (pascal(&b, o->op_id) != 0 || pvecg_buf_puts(&b, "Response") != 0)
			goto nomem;
		name = b.data;
		rc = build_model(e, &o->response, name,
		    response_schema(e, o, name), (int)i, "response", 0);
		if (rc != 0)
			break;
		req = body_schema(e, o);
		if (req == NULL) {
			if (query_schema(&q, e, o) != 0)
				goto nomem;
			if (q) {
				cJSON **p = realloc(owned->items, (owned->n + 1) * sizeof(*p));

				if (p == NULL) {
					cJSON_Delete(q);
					goto nomem;
				}
				owned->items = p;
				owned->items[owned->n++] = q;
				req = q;
			}
		}
		if (req == NULL)
			continue;
		b.len -= 8;
		if (pvecg_buf_puts(&b, "Request") != 0)
			goto nomem;
		rc = build_model(e, &o->request, b.data, req, (int)i,
		    q ? "query parameters" : "request body", 0);
	}
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++)
		rc = register_propstrs(e, e->ops[i].op, (int)i, 0);
	pvecg_buf_free(&b);
	return rc;
nomem:
	pvecg_buf_free(&b);
	return em_nomem(e);
}

/* ---- output with a sticky error ------------------------------------------ */

typedef struct em_out {
	pvecg_buf b;
	int failed;
} em_out;

static void outf(em_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
outf(em_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* one formatting pass in the common case: room is reserved first */
	if (o->failed || pvecg_buf_reserve(&o->b, 256) != 0) {
		o->failed = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->b.data + o->b.len, o->b.cap - o->b.len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= o->b.cap - o->b.len) {
		if (pvecg_buf_reserve(&o->b, (size_t)n) != 0) {
			o->failed = 1;
			return;
		}
		va_start(ap, fmt);
		n = vsnprintf(o->b.data + o->b.len, o->b.cap - o->b.len, fmt, ap);
		va_end(ap);
	}
	if (n < 0) {
		o->failed = 1;
		return;
	}
	o->b.len += (size_t)n;
}

/* Decimal without printf: the descriptor tables are mostly numbers. */
static void
outu(em_out *o, unsigned long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (!o->failed && pvecg_buf_append(&o->b, tmp + i, sizeof(tmp) - i) != 0)
		o->failed = 1;
}

static void
outs(em_out *o, const char *s)
{
	if (!o->failed && pvecg_buf_puts(&o->b, s) != 0)
		o->failed = 1;
}

static void
outc(em_out *o, char c)
{
	if (!o->failed && pvecg_buf_append(&o->b, &c, 1) != 0)
		o->failed = 1;
}

/* C string literal body: printable ASCII; '?' escaped (trigraphs), the
 * rest as three-digit octal so a following digit cannot join it. */
static void
out_cstr(em_out *o, const char *s)
{
	size_t len = strlen(s);
	char *w;

	if (o->failed || pvecg_buf_reserve(&o->b, 4 * len) != 0) {
		o->failed = 1;
		return;
	}
	w = o->b.data + o->b.len;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '?') {
			*w++ = '\\';
			*w++ = (char)*p;
		} else if (*p >= 0x20 && *p < 0x7f) {
			*w++ = (char)*p;
		} else {
			*w++ = '\\';
			*w++ = (char)('0' + (*p >> 6));
			*w++ = (char)('0' + ((*p >> 3) & 7));
			*w++ = (char)('0' + (*p & 7));
		}
	}
	o->b.len = (size_t)(w - o->b.data);
	*w = '\0';
}

/* First line of a description, safe inside a block comment. */
static void
out_doc(em_out *o, const char *s, size_t max)
{
	char prev = ' ';
	size_t n = 0;
	char *w;

	if (s == NULL)
		return;
	if (o->failed || pvecg_buf_reserve(&o->b, 2 * max + 4) != 0) {
		o->failed = 1;
		return;
	}
	w = o->b.data + o->b.len;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s && *s != '\n' && n < max; s++, n++) {
		char c = *s;

		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = ' ';
		/* nothing may end or nest the comment, nor form a trigraph */
		if ((prev == '*' && c == '/') || (prev == '/' && c == '*') ||
		    (prev == '?' && c == '?'))
			*w++ = ' ';
		*w++ = c;
		prev = c;
	}
	if (*s && *s != '\n') {
		memcpy(w, "...", 3);
		w += 3;
	}
	o->b.len = (size_t)(w - o->b.data);
	*w = '\0';
}

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
		k->en = cJSON_GetObjectItemCaseSensitive(pvecg_wire_declared_branch(s), "enum");
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

/* ---- patterns: ECMA / Perl -> POSIX ERE ------------------------------------ */

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* \xHH, \t, \n, \r, \f, \v at p (after the backslash): the byte, or -1.
 * Advances *len over the escape's characters. */
static int
byte_escape(const char *p, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	const char *h1, *h2;

	*len = 1;
	switch (*p) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'x':
		if (!p[1] || !p[2])
			return -1;
		h1 = strchr(hex, p[1] | 0x20);
		h2 = strchr(hex, p[2] | 0x20);
		if (!h1 || !h2 || !*h1 || !*h2)
			return -1;
		*len = 3;
		return (int)((h1 - hex) * 16 + (h2 - hex));
	default:
		return -1;
	}
}

/* Reads one bracket expression at *pp (after '['), writes it as ERE. */
static int
ere_bracket(em_out *o, const char **pp, const char **reason)
{
	unsigned char lit[128] = { 0 };
	const char *p = *pp;
	int neg = 0, alnum = 0, space = 0, any = 0;

	if (*p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']')
		return *reason = "empty or ']'-first class", 1;
	while (*p && *p != ']') {
		int c, hi;
		size_t elen;

		if (*p == '\\') {
			p++;
			if (*p == 'd' || *p == 'w' || *p == 's') {
				if (*p == 'd')
					memset(&lit['0'], 1, 10);
				else if (*p == 'w')
					alnum = lit['_'] = 1;
				else
					space = 1;
				p++;
				continue;
			}
			if ((c = byte_escape(p, &elen)) >= 0) {
				p += elen;
				goto have_c;
			}
			if (*p == '\0' || is_alnum(*p) || (unsigned char)*p >= 0x80)
				return *reason = "escape in class", 1;
		} else if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			return *reason = "POSIX class syntax", 1;
		}
		if ((unsigned char)*p >= 0x80)
			return *reason = "non-ASCII", 1;
		c = (unsigned char)*p++;
have_c:
		hi = c;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\') {
				p++;
				if ((hi = byte_escape(p, &elen)) >= 0) {
					p += elen;
					goto have_hi;
				}
				if (*p == '\0' || is_alnum(*p))
					return *reason = "escape in range", 1;
			}
			if ((unsigned char)*p >= 0x80)
				return *reason = "non-ASCII", 1;
			hi = (unsigned char)*p++;
have_hi:
			if (hi < c || hi >= 0x80)
				return *reason = "reversed or non-ASCII range", 1;
		}
		if (c >= 0x80)
			return *reason = "non-ASCII", 1;
		/* NUL never reaches regexec (C strings): drop it from the set */
		if (c == 0)
			c = 1;
		if (hi >= c)
			memset(lit + c, 1, (size_t)(hi - c + 1));
	}
	if (*p != ']')
		return *reason = "unterminated class", 1;
	*pp = p + 1;
	for (int c = 1; c < 128; c++)
		any |= lit[c];
	if (!any && !alnum && !space)
		return *reason = "empty class", 1;
	/* only '^': a plain escaped literal */
	if (!neg && !alnum && !space && lit['^']) {
		int others = 0;

		for (int c = 1; c < 128; c++)
			others |= c != '^' && lit[c];
		if (!others) {
			outs(o, "\\^");
			return 0;
		}
	}
	outs(o, neg ? "[^" : "[");
	if (lit[']'])
		outc(o, ']');
	for (int c = 1; c < 128; c++) {
		int end = c;

		if (!lit[c] || c == ']' || c == '^' || c == '-' || c == '[')
			continue;
		while (end + 1 < 128 && lit[end + 1] && end + 1 != ']' &&
		    end + 1 != '^' && end + 1 != '-' && end + 1 != '[')
			end++;
		outc(o, (char)c);
		if (end - c >= 2) {
			outc(o, '-');
			outc(o, (char)end);
		} else if (end > c) {
			outc(o, (char)end);
		}
		c = end;
	}
	if (alnum)
		outs(o, "[:alnum:]");
	if (space)
		outs(o, "[:space:]");
	if (lit['['])
		outc(o, '[');
	if (lit['^'])
		outc(o, '^');
	if (lit['-'])
		outc(o, '-');
	outc(o, ']');
	return 0;
}

/* After "(?<name>" / "(?P<name>" (or at the end if malformed). */
static const char *
named_group_end(const char *p)
{
	const char *gt = strchr(p, '>');

	return gt ? gt + 1 : p + strlen(p);
}

/* Lazy quantifier suffixes do not change a whole-string match; possessive
 * ones do. */
static int
ere_quant_suffix(const char **pp, const char **reason)
{
	if (**pp == '?')
		(*pp)++;
	else if (**pp == '+')
		return *reason = "possessive quantifier", 1;
	return 0;
}

/* 0: translated into o; 1: not portable (reason set). */
static int
ere_translate(em_out *o, const char *p, const char **reason)
{
	outs(o, "^(");
	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80 || c < 0x20)
			return *reason = "non-ASCII or control character", 1;
		if (c == '\\') {
			char n = p[1];

			p += 2;
			switch (n) {
			case 'd': outs(o, "[0-9]"); continue;
			case 'D': outs(o, "[^0-9]"); continue;
			case 'w': outs(o, "[[:alnum:]_]"); continue;
			case 'W': outs(o, "[^[:alnum:]_]"); continue;
			case 's': outs(o, "[[:space:]]"); continue;
			case 'S': outs(o, "[^[:space:]]"); continue;
			default: break;
			}
			{
				size_t elen;
				int b = byte_escape(p - 1, &elen);

				if (b > 0 && b < 0x80) {
					p += elen - 1;
					if (strchr(".[]()*+?{}|^$\\", b))
						outc(o, '\\');
					outc(o, (char)b);
					continue;
				}
			}
			if (n == '\0' || is_alnum(n) || (unsigned char)n >= 0x80)
				return *reason = "escape without ERE equivalent", 1;
			if (strchr(".[]()*+?{}|^$\\", n))
				outc(o, '\\');
			outc(o, n);
			continue;
		}
		if (c == '(') {
			if (p[1] == '?') {
				if (p[2] == ':')
					p += 3;
				else if (p[2] == '^' && p[3] == ':')
					p += 4;
				else if ((p[2] == '<' && p[3] != '=' && p[3] != '!') ||
				    (p[2] == 'P' && p[3] == '<'))
					p = named_group_end(p); /* names do not change matching */
				else
					return *reason = "lookaround, named group or inline flag", 1;
			} else {
				p++;
			}
			if (*p == ')')
				return *reason = "empty group", 1;
			outc(o, '(');
			continue;
		}
		if (c == '[') {
			p++;
			if (ere_bracket(o, &p, reason) != 0)
				return 1;
			continue;
		}
		if (c == '*' || c == '+' || c == '?') {
			outc(o, (char)c);
			p++;
			if (ere_quant_suffix(&p, reason) != 0)
				return 1;
			continue;
		}
		if (c == '{') {
			const char *q = p + 1;
			size_t d1 = strspn(q, "0123456789"), d2 = 0;

			if (d1 > 0 && q[d1] == ',')
				d2 = strspn(q + d1 + 1, "0123456789") + 1;
			/* POSIX only promises RE_DUP_MAX 255, and glibc compiles
			 * big counts slowly (seconds for {0,4096}). */
			if (d1 > 0 && q[d1 + d2] == '}' && (d1 > 3 || d2 > 4 ||
			    atoi(q) > 255 || (d2 > 1 && atoi(q + d1 + 1) > 255)))
				return *reason = "repeat count above 255 (RE_DUP_MAX)", 1;
			if (d1 > 0 && q[d1 + d2] == '}') {
				outc(o, '{');
				if (pvecg_buf_append(&o->b, q, d1 + d2) != 0)
					o->failed = 1;
				outc(o, '}');
				p = q + d1 + d2 + 1;
				if (ere_quant_suffix(&p, reason) != 0)
					return 1;
				continue;
			}
			outs(o, "\\{");
			p++;
			continue;
		}
		if (c == '}') {
			outs(o, "\\}");
			p++;
			continue;
		}
		outc(o, (char)c);
		p++;
	}
	outs(o, ")$");
	return 0;
}

/* Translates and test-compiles (cached); *ere is owned by o. */
static int
pattern_for(em *e, em_out *o, const em_keys *k, const char **reason)
{
	const char *pat = cJSON_IsString(k->pattern) ? k->pattern->valuestring : NULL;
	int *known;
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
	if (pat[0] == '/' && pat[1] == '^' && strlen(pat) > 3 &&
	    pat[strlen(pat) - 1] == '/')
		return *reason = "slash-delimited regex literal", 1;
	if (ere_translate(o, pat, reason) != 0)
		return 1;
	if (o->failed)
		return PVECG_ENOMEM;
	if (o->b.len >= EM_POOL_CHUNK)
		return *reason = "too long once translated", 1;
	known = em_map_get(&e->ere_ok, o->b.data);
	if (known == NULL) {
		int ok = regcomp(&re, o->b.data, REG_EXTENDED | REG_NOSUB) == 0;

		if (ok)
			regfree(&re);
		if (em_map_put(&e->ere_ok, o->b.data, ok) != 0)
			return PVECG_ENOMEM;
		known = em_map_get(&e->ere_ok, o->b.data);
	}
	if (!*known)
		return *reason = "regcomp rejects the translation", 1;
	return 0;
}

/* ---- one shard ------------------------------------------------------------ */

typedef struct em_pool {
	em_out text;       /* initializer lines */
	em_map offs;
	size_t done;       /* bytes in closed chunks (with their final NUL) */
	size_t chunk;      /* bytes in the open chunk */
	size_t *sizes;
	size_t n_sizes;
	int failed;
	int too_long;      /* a name longer than a pool chunk */
} em_pool;

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
	outs(&p->text, ",\n");
}

static uint32_t
pool_add(em_pool *p, const char *s)
{
	int *have = em_map_get(&p->offs, s);
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
	off = (uint32_t)(p->done + p->chunk);
	outs(&p->text, "\t\"");
	out_cstr(&p->text, s);
	outs(&p->text, "\\0\"\n");
	p->chunk += len;
	if (em_map_put(&p->offs, s, (int)off) != 0)
		p->failed = 1;
	return off;
}

static void
pool_free(em_pool *p)
{
	pvecg_buf_free(&p->text.b);
	em_map_free(&p->offs);
	free(p->sizes);
}

typedef struct em_shard_out {
	em *e;
	em_shard *sh;
	em_pool pool;
	em_out h, enums, cons, fields, models, ops, tmp;
	em_map cons_idx, enum_idx;
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
enum_list(em_shard_out *so, const cJSON *en, int type, uint32_t *first,
    uint16_t *n, em_out *doc)
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
	have = em_map_get(&so->enum_idx, key.b.data);
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
			outf(&so->enums, "%s%u,", so->n_enums % 12 ? " " : "\n\t",
			    (unsigned)off);
			so->n_enums++;
		}
		if (em_map_put(&so->enum_idx, key.b.data, (int)*first) != 0)
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
	em_out ere = { PVECG_BUF_INIT, 0 };

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
	snprintf(line, sizeof(line), "\t{ %.17g, %.17g, %u, %u, %u, %u, %u, %u },\n",
	    min, max, (unsigned)minlen, (unsigned)maxlen, (unsigned)efirst,
	    (unsigned)nenum, flags, (unsigned)pat);
	have = em_map_get(&so->cons_idx, line);
	if (have)
		return (unsigned)*have;
	outs(&so->cons, line);
	if (em_map_put(&so->cons_idx, line, (int)so->n_cons) != 0)
		so->tmp.failed = 1;
	so->e->n_cons++;
	return (unsigned)so->n_cons++;
}

static const char *
c_elem_type(const em *e, const em_field *f)
{
	switch (f->type) {
	case PVECG_RT_BOOL: return "bool";
	case PVECG_RT_INT: return "int64_t";
	case PVECG_RT_NUM: return "double";
	case PVECG_RT_STR: return "char *";
	case PVECG_RT_OBJ: return e->models[f->sub].name;
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
emit_propstr_field(em_shard_out *so, const em_model *m, const em_field *f,
    uint32_t name, unsigned cons)
{
	const em *e = so->e;
	const em_ps *ps = f->ps ? &e->ps[f->ps - 1] : NULL;
	char dim[24] = "";

	if (f->count)
		snprintf(dim, sizeof(dim), "[%d]", f->count);
	outf(&so->h, "\tchar *%s%s;\n", f->cname, dim);
	if (ps)
		outf(&so->h, "\t/* %s parsed (pvecg_rt_parse with PVECG_RT_PROPSTR) */\n"
		    "\t%s *%s_parsed%s;\n", f->cname, e->models[ps->model].name, f->cname, dim);
	outf(&so->fields, "\t{ %u, O(%s, %s), ", (unsigned)name, m->name, f->cname);
	if (ps)
		outf(&so->fields, "O(%s, %s_parsed), ", m->name, f->cname);
	else
		outs(&so->fields, "NO, ");
	outf(&so->fields, "%d, %u, ", PVECG_RT_STR, f->flags |
	    (f->count ? PVECG_RT_F_INDEXED : 0u) | (ps ? PVECG_RT_F_PROPSTR : 0u));
	if (ps)
		outf(&so->fields, "%d, ", ps->local);
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
	const char *ct = c_elem_type(e, f);
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
	outs(&so->h, ct);
	if (ct[strlen(ct) - 1] != '*')
		outc(&so->h, ' ');
	if (ptr || (f->flags & PVECG_RT_F_ARRAY))
		outc(&so->h, '*');
	outs(&so->h, f->cname);
	outs(&so->h, ";\n");
	outs(&so->fields, "\t{ ");
	outu(&so->fields, name);
	outs(&so->fields, ", O(");
	outs(&so->fields, m->name);
	outs(&so->fields, ", ");
	outs(&so->fields, f->cname);
	outs(&so->fields, "), ");
	if (f->flags & PVECG_RT_F_ARRAY || f->presence) {
		outs(&so->fields, "O(");
		outs(&so->fields, m->name);
		outs(&so->fields, f->flags & PVECG_RT_F_ARRAY ? ", n_" : ", has_");
		outs(&so->fields, f->cname);
		outs(&so->fields, "), ");
	} else {
		outs(&so->fields, "NO, ");
	}
	outu(&so->fields, (unsigned long)f->type);
	outs(&so->fields, ", ");
	outu(&so->fields, f->flags);
	outs(&so->fields, ", ");
	if (f->sub >= 0) {
		outu(&so->fields, (unsigned long)e->models[f->sub].local);
		outs(&so->fields, ", ");
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
		comp = component(e, ps->comp);
		dk = pvecg_json_str(comp, "x-proxmox-default-key");
		dialect = pvecg_json_str(comp, "x-proxmox-property-string-dialect");
		ka = cJSON_GetObjectItemCaseSensitive(comp, "x-proxmox-key-alias");
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(comp, "x-proxmox-alias")) {
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
		outf(rows, "\t{ &pvecg_%s_models[%d], %u, ", id, e->models[ps->model].local,
		    (unsigned)name);
		if (dk)
			outf(rows, "%u, ", (unsigned)pool_add(&so->pool, dk));
		else
			outs(rows, "PVECG_RT_PS_NOKEY, ");
		if (*n_aliases > first)
			outf(rows, "&%s_ps_aliases[%zu], %zu, ", id, first, *n_aliases - first);
		else
			outs(rows, "NULL, 0, ");
		outf(rows, "%s, %s },\n",
		    dialect && strcmp(dialect, "rust") == 0 ? "PVECG_RT_PS_RUST" : "PVECG_RT_PS_PERL",
		    e->models[ps->model].kind == PVECG_RT_K_OBJECT ? "PVECG_RT_PS_OBJECT" :
		    "PVECG_RT_PS_LIST");
	}
}

static int
emit_shard(em *e, em_shard *sh, pvecg_files *files)
{
	em_out ps_rows = { PVECG_BUF_INIT, 0 }, ps_aliases = { PVECG_BUF_INIT, 0 };
	size_t n_ps_aliases = 0;
	em_shard_out so;
	size_t n_fields_total = 0;
	char path[300], upper[200];
	int rc = 0;
	const char *id = sh->ident;

	memset(&so, 0, sizeof(so));
	so.e = e;
	so.sh = sh;
	if ((rc = sort_models(e, sh)) != 0)
		return rc;
	snprintf(upper, sizeof(upper), "%s", id);
	for (char *u = upper; *u; u++)
		if (*u >= 'a' && *u <= 'z')
			*u = (char)(*u - 32);
	if (sh->n_models >= PVECG_RT_NONE)
		return em_fail(e, PVECG_ELIMIT, sh->group, "too many models for one shard");

	outs(&so.h, "/* Generated by proxmox-sdk-codegen from openapi.json (");
	out_doc(&so.h, e->in->version_tag, 100);
	outs(&so.h, "):\n * the models of route group \"");
	out_doc(&so.h, sh->group, 100);
	outf(&so.h, "\". Do not edit. */\n"
	    "#ifndef PVECG_MODELS_%s_H\n#define PVECG_MODELS_%s_H\n\n"
	    "#include \"pvecg_rt.h\"\n\n"
	    "#if PVECG_RT_ABI != %d\n"
	    "#error \"models/%s.h was generated for pvecg_rt ABI %d; use the pvecg_rt.h generated with it\"\n"
	    "#endif\n\n"
	    "#define PVECG_MODELS_OPENAPI_SHA256 \"%s\"\n"
	    "#define PVECG_MODELS_VERSION_TAG \"",
	    upper, upper, PVECG_RT_ABI, id, PVECG_RT_ABI, e->in->openapi_sha256);
	out_cstr(&so.h, e->in->version_tag);
	outs(&so.h, "\"\n\n");
	for (size_t i = 0; i < sh->n_models; i++)
		outf(&so.h, "typedef struct %s %s;\n", e->models[sh->models[i]].name,
		    e->models[sh->models[i]].name);
	outs(&so.h, "\n");

	for (size_t i = 0; i < sh->n_models; i++) {
		em_model *m = &e->models[sh->models[i]];
		uint32_t name = pool_add(&so.pool, m->name);

		model_doc(&so, m);
		outf(&so.h, "struct %s {\n", m->name);
		outf(&so.fields, "\t/* %s */\n", m->name);
		for (size_t k = 0; k < m->n_fields; k++)
			emit_field(&so, m, &m->fields[k]);
		if (m->kind == PVECG_RT_K_OBJECT) {
			outs(&so.h, "\t/* unknown members");
			if (m->extra_doc) {
				outs(&so.h, " and patternProperties ");
				out_doc(&so.h, m->extra_doc, 400);
			}
			outs(&so.h, ", kept and written back */\n\tcJSON *extra;\n");
		}
		outs(&so.h, "};\n\n");
		outf(&so.models, "\t{ &pvecg_shard_%s, %u, sizeof(%s), %zu, %zu, ",
		    id, (unsigned)name, m->name, n_fields_total, m->n_fields);
		if (m->kind == PVECG_RT_K_OBJECT)
			outf(&so.models, "O(%s, extra), %d },\n", m->name, PVECG_RT_K_OBJECT);
		else
			outf(&so.models, "NO, %d },\n", PVECG_RT_K_VALUE);
		n_fields_total += m->n_fields;
	}
	for (size_t i = 0; i < sh->n_ops; i++) {
		const em_op *o = &e->ops[sh->ops[i]];
		uint32_t oid = pool_add(&so.pool, o->op_id);
		uint32_t meth = pool_add(&so.pool, o->method);
		uint32_t p = pool_add(&so.pool, o->path);

		outf(&so.ops, "\t{ %u, %u, %u, ", (unsigned)oid, (unsigned)meth,
		    (unsigned)p);
		if (o->request >= 0)
			outf(&so.ops, "%d, ", e->models[o->request].local);
		else
			outs(&so.ops, "NO, ");
		outf(&so.ops, "%d },\n", e->models[o->response].local);
	}
	outs(&so.h, "/* Descriptors: pass PVECG_MODEL_<Name> to pvecg_rt_parse() & co. */\n");
	outf(&so.h, "extern PVECG_RT_EXPORT const pvecg_rt_shard pvecg_shard_%s;\n", id);
	outf(&so.h, "extern PVECG_RT_EXPORT const pvecg_rt_model pvecg_%s_models[%zu];\n",
	    id, sh->n_models);
	for (size_t i = 0; i < sh->n_models; i++)
		outf(&so.h, "#define PVECG_MODEL_%s (&pvecg_%s_models[%zu])\n",
		    e->models[sh->models[i]].name, id, i);
	if (sh->n_ps)
		outf(&so.h, "/* Property-string formats: pvecg_rt_shard_propstr(&pvecg_shard_%s, name). */\n", id);
	outs(&so.h, "\n#endif\n");
	emit_propstr_rows(&so, &ps_rows, &ps_aliases, &n_ps_aliases);
	pool_close_chunk(&so.pool);

	/* the source: pool, enums, constraints, fields, models, ops, record */
	{
		em_out c = { PVECG_BUF_INIT, 0 };

		outs(&c, "/* Generated by proxmox-sdk-codegen from openapi.json (");
		out_doc(&c, e->in->version_tag, 100);
		outs(&c, "):\n * descriptor tables of route group \"");
		out_doc(&c, sh->group, 100);
		outf(&c, "\". Do not edit. */\n"
		    "#include <stddef.h>\n#include \"%s.h\"\n\n"
		    "#define O offsetof\n#define NO PVECG_RT_NONE\n\n"
		    "/* String pool: names, enum values, patterns (chunks stay under\n"
		    " * the 4095-byte literal limit of ISO C). */\nstatic const struct {\n",
		    id);
		for (size_t i = 0; i < so.pool.n_sizes; i++)
			outf(&c, "\tchar c%zu[%zu];\n", i, so.pool.sizes[i]);
		outf(&c, "} %s_pool = {\n", id);
		if (!so.pool.text.failed)
			outs(&c, so.pool.text.b.data);
		outs(&c, "};\n\n");
		if (so.n_enums) {
			outf(&c, "static const uint32_t %s_enums[] = {", id);
			if (!so.enums.failed)
				outs(&c, so.enums.b.data);
			outs(&c, "\n};\n\n");
		}
		if (so.n_cons) {
			outs(&c, "/* min, max, min_len, max_len, enum_first, n_enum, flags, pattern */\n");
			outf(&c, "static const pvecg_rt_cons %s_cons[] = {\n", id);
			if (!so.cons.failed)
				outs(&c, so.cons.b.data);
			outs(&c, "};\n\n");
		}
		outs(&c, "/* name, offset, presence, type, flags, sub-model, constraint */\n");
		outf(&c, "static const pvecg_rt_field %s_fields[] = {\n", id);
		if (!so.fields.failed)
			outs(&c, so.fields.b.data);
		outs(&c, "};\n\n");
		outs(&c, "/* shard, name, size, first field, fields, extra, kind */\n");
		outf(&c, "PVECG_RT_EXPORT const pvecg_rt_model pvecg_%s_models[%zu] = {\n",
		    id, sh->n_models);
		if (!so.models.failed)
			outs(&c, so.models.b.data);
		outs(&c, "};\n\n/* operationId, method, path, request, response */\n");
		outf(&c, "static const pvecg_rt_op %s_ops[] = {\n", id);
		if (!so.ops.failed)
			outs(&c, so.ops.b.data);
		outs(&c, "};\n\n");
		if (n_ps_aliases) {
			outs(&c, "/* alias, key, key alias */\n");
			outf(&c, "static const pvecg_rt_propstr_alias %s_ps_aliases[] = {\n", id);
			if (!ps_aliases.failed)
				outs(&c, ps_aliases.b.data);
			outs(&c, "};\n\n");
		}
		if (sh->n_ps) {
			outs(&c, "/* model, name, default key, aliases, dialect, kind */\n");
			outf(&c, "static const pvecg_rt_propstr %s_propstrs[] = {\n", id);
			if (!ps_rows.failed)
				outs(&c, ps_rows.b.data);
			outs(&c, "};\n\n");
		}
		outf(&c, "PVECG_RT_EXPORT const pvecg_rt_shard pvecg_shard_%s = {\n"
		    "\tPVECG_RT_ABI, \"", id);
		out_cstr(&c, sh->group);
		outf(&c, "\", PVECG_MODELS_OPENAPI_SHA256, PVECG_MODELS_VERSION_TAG,\n"
		    "\t(const char *)&%s_pool, pvecg_%s_models, %zu, %s_fields,\n"
		    "\t%s%s, %s%s, %s_ops, %zu, %s%s, %d\n};\n\n#undef O\n#undef NO\n",
		    id, id, sh->n_models, id,
		    so.n_cons ? id : "NULL", so.n_cons ? "_cons" : "",
		    so.n_enums ? id : "NULL", so.n_enums ? "_enums" : "",
		    id, sh->n_ops, sh->n_ps ? id : "NULL", sh->n_ps ? "_propstrs" : "",
		    sh->n_ps);
		if (so.pool.too_long) {
			pvecg_buf_free(&c.b);
			rc = em_fail(e, PVECG_ELIMIT, sh->group,
			    "a member name or enum value is longer than 4000 bytes");
			goto out;
		}
		if (so.h.failed || c.failed || so.pool.failed || so.pool.text.failed ||
		    ps_rows.failed || ps_aliases.failed ||
		    so.tmp.failed || so.fields.failed || so.models.failed ||
		    so.ops.failed || so.cons.failed || so.enums.failed) {
			pvecg_buf_free(&c.b);
			rc = em_nomem(e);
			goto out;
		}
		snprintf(path, sizeof(path), "models/%s.c", id);
		{
			size_t len = c.b.len;

			rc = pvecg_files_add(files, path, pvecg_buf_steal(&c.b, NULL), len);
		}
	}
	if (rc == 0) {
		size_t len = so.h.b.len;

		snprintf(path, sizeof(path), "models/%s.h", id);
		rc = pvecg_files_add(files, path, pvecg_buf_steal(&so.h.b, NULL), len);
	}
	if (rc != 0)
		rc = em_nomem(e);
out:
	pvecg_buf_free(&ps_rows.b);
	pvecg_buf_free(&ps_aliases.b);
	pool_free(&so.pool);
	pvecg_buf_free(&so.h.b);
	pvecg_buf_free(&so.enums.b);
	pvecg_buf_free(&so.cons.b);
	pvecg_buf_free(&so.fields.b);
	pvecg_buf_free(&so.models.b);
	pvecg_buf_free(&so.ops.b);
	pvecg_buf_free(&so.tmp.b);
	em_map_free(&so.cons_idx);
	em_map_free(&so.enum_idx);
	return rc;
}

/* ---- shards in parallel ----------------------------------------------------- */

/* One shard's emission. The view is a copy of the emitter with its own
 * error, counters and regex cache; everything else it reads is shared and
 * read-only during emission, except the `local` numbers of the shard's own
 * models. Files are kept per job and added in shard order afterwards, so
 * the output never depends on the number of threads. */
typedef struct em_job {
	em view;
	em_shard *sh;
	pvecg_files files;
	pvecg_error err;
	int rc;
} em_job;

typedef struct em_queue {
	pthread_mutex_t lock;
	em_job *jobs;
	size_t *order; /* biggest shards first, for balance */
	size_t n, next;
} em_queue;

static void *
emit_worker(void *arg)
{
	em_queue *q = arg;

	for (;;) {
		em_job *j;

		pthread_mutex_lock(&q->lock);
		j = q->next < q->n ? &q->jobs[q->order[q->next++]] : NULL;
		pthread_mutex_unlock(&q->lock);
		if (j == NULL)
			return NULL;
		j->rc = emit_shard(&j->view, j->sh, &j->files);
	}
}

typedef struct em_sized {
	size_t size, index;
} em_sized;

static int
bigger_first(const void *a, const void *b)
{
	const em_sized *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->index < y->index ? -1 : 1;
}

/* Shard indexes, biggest first (ties by index: deterministic). */
static int
balance_order(size_t *order, const em *e)
{
	em_sized *v = malloc((e->n_shards + 1) * sizeof(*v));

	if (v == NULL)
		return PVECG_ENOMEM;
	for (size_t i = 0; i < e->n_shards; i++) {
		v[i].size = e->shards[i].n_models;
		v[i].index = i;
	}
	qsort(v, e->n_shards, sizeof(*v), bigger_first);
	for (size_t i = 0; i < e->n_shards; i++)
		order[i] = v[i].index;
	free(v);
	return 0;
}

static int
emit_shards(em *e, pvecg_files *files)
{
	em_queue q;
	pthread_t tid[8];
	size_t n_threads = 0, want;
	int rc = 0;

	memset(&q, 0, sizeof(q));
	q.n = e->n_shards;
	q.jobs = calloc(q.n + 1, sizeof(*q.jobs));
	q.order = calloc(q.n + 1, sizeof(*q.order));
	if (q.jobs == NULL || q.order == NULL || balance_order(q.order, e) != 0 ||
	    pthread_mutex_init(&q.lock, NULL) != 0) {
		free(q.jobs);
		free(q.order);
		return em_nomem(e);
	}
	for (size_t i = 0; i < q.n; i++) {
		em_job *j = &q.jobs[i];

		j->view = *e;
		j->view.err = &j->err;
		j->view.n_cons = j->view.n_pat_ok = j->view.n_pat_skip = 0;
		memset(&j->view.ere_ok, 0, sizeof(j->view.ere_ok));
		j->sh = &e->shards[i];
	}
	want = e->in->workers > 1 ? (size_t)e->in->workers : 1;
	if (want > q.n)
		want = q.n;
	if (want > 8)
		want = 8;
	/* this thread is one of the workers */
	while (n_threads + 1 < want &&
	    pthread_create(&tid[n_threads], NULL, emit_worker, &q) == 0)
		n_threads++;
	emit_worker(&q);
	for (size_t i = 0; i < n_threads; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&q.lock);
	for (size_t i = 0; i < q.n; i++) {
		em_job *j = &q.jobs[i];

		if (rc == 0 && j->rc != 0) {
			rc = j->rc;
			if (e->err)
				*e->err = j->err;
		}
		e->n_cons += j->view.n_cons;
		e->n_pat_ok += j->view.n_pat_ok;
		e->n_pat_skip += j->view.n_pat_skip;
		for (size_t k = 0; k < j->files.n; k++) {
			pvecg_file *f = &j->files.items[k];

			if (rc == 0 && pvecg_files_add(files, f->path, f->data, f->len) != 0)
				rc = em_nomem(e);
			else if (rc != 0)
				free(f->data);
			f->data = NULL; /* moved (or freed) */
		}
		pvecg_files_free(&j->files);
		em_map_free(&j->view.ere_ok);
	}
	free(q.jobs);
	free(q.order);
	return rc;
}

/* ---- aggregate, build file, index, runtime -------------------------------- */

static int
add_out(em *e, pvecg_files *files, const char *path, em_out *o)
{
	size_t len = o->b.len;
	char *data;

	if (o->failed) {
		pvecg_buf_free(&o->b);
		return em_nomem(e);
	}
	data = pvecg_buf_steal(&o->b, NULL);
	if (data == NULL || pvecg_files_add(files, path, data, len) != 0)
		return em_nomem(e);
	return 0;
}

static int
emit_aggregate(em *e, pvecg_files *files)
{
	em_out h = { PVECG_BUF_INIT, 0 }, c = { PVECG_BUF_INIT, 0 };
	const char *px = e->prefix;
	char path[64];
	int rc;

	outf(&h, "/* Generated by proxmox-sdk-codegen from openapi.json (%s): every\n"
	    " * model of %s in one include, plus an operationId lookup. Do not edit.\n"
	    " *\n"
	    " * Use (build models/CMakeLists.txt, link %s):\n"
	    " *   const %s_op *op = %s_find(\"get_nodes\");\n"
	    " *   GetNodesResponse *r;\n"
	    " *   pvecg_rt_error err;\n"
	    " *   if (pvecg_rt_parse_response((void **)&r, op->response, body, len, 0, &err) == 0) {\n"
	    " *       ... r->n_items, r->items[i].node ...\n"
	    " *       pvecg_rt_free(op->response, r);\n"
	    " *   }\n"
	    " * Without linking every shard: pvecg_rt_lazy_open() / _find() in\n"
	    " * models/pvecg_rt.h open only the shard library an operation needs. */\n"
	    "#ifndef PVECG_%s_H\n#define PVECG_%s_H\n\n", e->in->version_tag,
	    e->in->product, px, px, px, px, px);
	for (size_t i = 0; i < e->n_shards; i++)
		outf(&h, "#include \"models/%s.h\"\n", e->shards[i].ident);
	outf(&h, "\n#define PVECG_MODELS_OPENAPI_SHA256 \"%s\"\n"
	    "#define PVECG_MODELS_VERSION_TAG \"", e->in->openapi_sha256);
	out_cstr(&h, e->in->version_tag);
	outf(&h, "\"\n\ntypedef struct %s_op {\n"
	    "\tconst char *op_id;\n\tconst char *method;\n\tconst char *path;\n"
	    "\tconst char *group;\n"
	    "\tconst pvecg_rt_model *request;  /* NULL: no body / query model */\n"
	    "\tconst pvecg_rt_model *response; /* the `data` member */\n"
	    "} %s_op;\n\n#define PVECG_%s_N_OPS %zu\n"
	    "/* Sorted by operationId. */\n"
	    "extern const %s_op %s_ops[PVECG_%s_N_OPS];\n"
	    "/* Binary search by operationId; NULL if unknown. */\n"
	    "const %s_op *%s_find(const char *op_id);\n\n#endif\n",
	    px, px, px, e->n_ops, px, px, px, px, px);

	outf(&c, "/* Generated by proxmox-sdk-codegen from openapi.json (%s): all\n"
	    " * shards as one unit and the operationId table. Do not edit. */\n"
	    "#include <string.h>\n#include \"%s.h\"\n\n", e->in->version_tag, px);
	for (size_t i = 0; i < e->n_shards; i++)
		outf(&c, "#include \"models/%s.c\"\n", e->shards[i].ident);
	outf(&c, "\nconst %s_op %s_ops[PVECG_%s_N_OPS] = {\n", px, px, px);
	for (size_t i = 0; i < e->n_ops; i++) {
		const em_op *o = &e->ops[i];
		const char *id = e->shards[o->shard].ident;

		outs(&c, "\t{ \"");
		out_cstr(&c, o->op_id);
		outf(&c, "\", \"%s\", \"", o->method);
		out_cstr(&c, o->path);
		outs(&c, "\", \"");
		out_cstr(&c, e->shards[o->shard].group);
		outs(&c, "\", ");
		if (o->request >= 0)
			outf(&c, "&pvecg_%s_models[%d], ", id, e->models[o->request].local);
		else
			outs(&c, "NULL, ");
		outf(&c, "&pvecg_%s_models[%d] },\n", id, e->models[o->response].local);
	}
	outf(&c, "};\n\nconst %s_op *\n%s_find(const char *op_id)\n{\n"
	    "\tsize_t lo = 0, hi = PVECG_%s_N_OPS;\n\n"
	    "\twhile (lo < hi) {\n\t\tsize_t mid = lo + (hi - lo) / 2;\n"
	    "\t\tint cmp = strcmp(op_id, %s_ops[mid].op_id);\n\n"
	    "\t\tif (cmp == 0)\n\t\t\treturn &%s_ops[mid];\n"
	    "\t\tif (cmp < 0)\n\t\t\thi = mid;\n\t\telse\n\t\t\tlo = mid + 1;\n"
	    "\t}\n\treturn NULL;\n}\n", px, px, px, px, px);
	snprintf(path, sizeof(path), "%s.h", px);
	rc = add_out(e, files, path, &h);
	snprintf(path, sizeof(path), "%s.c", px);
	if (rc == 0)
		rc = add_out(e, files, path, &c);
	pvecg_buf_free(&h.b);
	pvecg_buf_free(&c.b);
	return rc;
}

static int
emit_cmake(em *e, pvecg_files *files)
{
	em_out o = { PVECG_BUF_INIT, 0 };
	const char *px = e->prefix;

	outf(&o, "# Generated by proxmox-sdk-codegen (%s). Do not edit.\n"
	    "# Each route-group shard builds as a shared library that exports only\n"
	    "# its models and shard record (load them with pvecg_rt_lazy_*); the\n"
	    "# runtime and the aggregate (every shard in one unit) are static.\n"
	    "cmake_minimum_required(VERSION 3.13)\nproject(%s C)\n\n"
	    "set(CMAKE_C_STANDARD 11)\nset(CMAKE_C_STANDARD_REQUIRED ON)\n"
	    "set(CMAKE_C_EXTENSIONS OFF)\n\n"
	    "find_package(PkgConfig REQUIRED)\n"
	    "pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)\n\n"
	    "add_library(pvecg_rt STATIC pvecg_rt.c pvecg_rt_lazy.c pvecg_rt_propstr.c)\n"
	    "set_target_properties(pvecg_rt PROPERTIES POSITION_INDEPENDENT_CODE ON)\n"
	    "target_include_directories(pvecg_rt PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n"
	    "target_link_libraries(pvecg_rt PUBLIC PkgConfig::CJSON m ${CMAKE_DL_LIBS})\n\n"
	    "set(PVECG_MODEL_SHARDS\n", e->in->version_tag, px);
	for (size_t i = 0; i < e->n_shards; i++)
		outf(&o, "  %s\n", e->shards[i].ident);
	outf(&o, ")\nforeach(shard ${PVECG_MODEL_SHARDS})\n"
	    "  add_library(%s_${shard} SHARED ${shard}.c)\n"
	    "  set_target_properties(%s_${shard} PROPERTIES C_VISIBILITY_PRESET hidden)\n"
	    "  target_include_directories(%s_${shard} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}\n"
	    "      ${CJSON_INCLUDE_DIRS})\n"
	    "endforeach()\n\n"
	    "add_library(%s STATIC ${CMAKE_CURRENT_SOURCE_DIR}/../%s.c)\n"
	    "target_include_directories(%s PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)\n"
	    "target_link_libraries(%s PUBLIC pvecg_rt)\n",
	    px, px, px, px, px, px, px);
	return add_out(e, files, "models/CMakeLists.txt", &o);
}

static int
emit_index(em *e, pvecg_files *files)
{
	cJSON *root = cJSON_CreateObject(), *ops, *counts, *shards;
	long n_req = 0;
	char buf[300];
	int rc;

	if (root == NULL)
		return em_nomem(e);
	if (!cJSON_AddStringToObject(root, "openapi_sha256", e->in->openapi_sha256) ||
	    !cJSON_AddStringToObject(root, "version_tag", e->in->version_tag) ||
	    !cJSON_AddStringToObject(root, "product", e->in->product) ||
	    !cJSON_AddNumberToObject(root, "abi", PVECG_RT_ABI) ||
	    !(ops = cJSON_AddObjectToObject(root, "operations")) ||
	    !(shards = cJSON_AddObjectToObject(root, "shards")) ||
	    !(counts = cJSON_AddObjectToObject(root, "counts")))
		goto nomem;
	snprintf(buf, sizeof(buf), "%s.h", e->prefix);
	if (!cJSON_AddStringToObject(root, "aggregate_header", buf))
		goto nomem;
	snprintf(buf, sizeof(buf), "%s.c", e->prefix);
	if (!cJSON_AddStringToObject(root, "aggregate_source", buf))
		goto nomem;
	for (size_t i = 0; i < e->n_ops; i++) {
		const em_op *o = &e->ops[i];
		const em_shard *sh = &e->shards[o->shard];
		cJSON *x = cJSON_AddObjectToObject(ops, o->op_id);

		if (x == NULL ||
		    !cJSON_AddStringToObject(x, "group", sh->group) ||
		    !cJSON_AddStringToObject(x, "method", o->method) ||
		    !cJSON_AddStringToObject(x, "path", o->path) ||
		    !cJSON_AddStringToObject(x, "response_model", e->models[o->response].name))
			goto nomem;
		if (o->request >= 0) {
			n_req++;
			if (!cJSON_AddStringToObject(x, "request_model", e->models[o->request].name))
				goto nomem;
		} else if (!cJSON_AddNullToObject(x, "request_model")) {
			goto nomem;
		}
		snprintf(buf, sizeof(buf), "models/%s.h", sh->ident);
		if (!cJSON_AddStringToObject(x, "shard_header", buf))
			goto nomem;
		snprintf(buf, sizeof(buf), "models/%s.c", sh->ident);
		if (!cJSON_AddStringToObject(x, "shard_source", buf))
			goto nomem;
		snprintf(buf, sizeof(buf), "lib%s_%s.so", e->prefix, sh->ident);
		if (!cJSON_AddStringToObject(x, "shard_library", buf))
			goto nomem;
		snprintf(buf, sizeof(buf), "pvecg_shard_%s", sh->ident);
		if (!cJSON_AddStringToObject(x, "shard_symbol", buf))
			goto nomem;
	}
	for (size_t i = 0; i < e->n_shards; i++) {
		const em_shard *sh = &e->shards[i];
		cJSON *x = cJSON_AddObjectToObject(shards, sh->ident);

		if (x == NULL || !cJSON_AddStringToObject(x, "group", sh->group) ||
		    !cJSON_AddNumberToObject(x, "operations", (double)sh->n_ops) ||
		    !cJSON_AddNumberToObject(x, "models", (double)sh->n_models))
			goto nomem;
		snprintf(buf, sizeof(buf), "lib%s_%s.so", e->prefix, sh->ident);
		if (!cJSON_AddStringToObject(x, "library", buf))
			goto nomem;
	}
	if (!cJSON_AddNumberToObject(counts, "operations", (double)e->n_ops) ||
	    !cJSON_AddNumberToObject(counts, "response_models", (double)e->n_ops) ||
	    !cJSON_AddNumberToObject(counts, "request_models", (double)n_req) ||
	    !cJSON_AddNumberToObject(counts, "models", (double)e->n_models) ||
	    !cJSON_AddNumberToObject(counts, "fields", (double)e->n_fields) ||
	    !cJSON_AddNumberToObject(counts, "shards", (double)e->n_shards) ||
	    !cJSON_AddNumberToObject(counts, "constraints", (double)e->n_cons) ||
	    !cJSON_AddNumberToObject(counts, "patterns_checked", (double)e->n_pat_ok) ||
	    !cJSON_AddNumberToObject(counts, "patterns_not_checked", (double)e->n_pat_skip))
		goto nomem;
	rc = pvecg_files_add_json(files, "model_index.json", root);
	cJSON_Delete(root);
	return rc == 0 ? 0 : em_nomem(e);
nomem:
	cJSON_Delete(root);
	return em_nomem(e);
}

static int
emit_runtime(em *e, pvecg_files *files)
{
	char path[128];

	for (size_t i = 0; i < pvecg_models_runtime_sources_count; i++) {
		const pvecg_embedded *s = &pvecg_models_runtime_sources[i];

		snprintf(path, sizeof(path), "models/%s", s->name);
		if (pvecg_files_add_copy(files, path, s->text, s->len) != 0)
			return em_nomem(e);
	}
	if (pvecg_models_runtime_sources_count == 0)
		return em_fail(e, PVECG_EINTERNAL, "models", "runtime sources not embedded");
	return 0;
}

/* ---- driver ---------------------------------------------------------------- */

static int
distribute(em *e)
{
	for (size_t i = 0; i < e->n_ops; i++) {
		em_shard *sh = &e->shards[e->ops[i].shard];

		if (sh->n_ops == sh->cap_ops) {
			size_t cap = sh->cap_ops ? sh->cap_ops * 2 : 16;
			int *p = realloc(sh->ops, cap * sizeof(*p));

			if (p == NULL)
				return em_nomem(e);
			sh->ops = p;
			sh->cap_ops = cap;
		}
		sh->ops[sh->n_ops++] = (int)i;
	}
	for (size_t i = 0; i < e->n_models; i++) {
		em_shard *sh = &e->shards[e->models[i].shard];

		if (sh->n_models == sh->cap_models) {
			size_t cap = sh->cap_models ? sh->cap_models * 2 : 16;
			int *p = realloc(sh->models, cap * sizeof(*p));

			if (p == NULL)
				return em_nomem(e);
			sh->models = p;
			sh->cap_models = cap;
		}
		sh->models[sh->n_models++] = (int)i;
	}
	return 0;
}

static void
em_free(em *e, em_owned *owned)
{
	for (size_t i = 0; i < e->n_models; i++) {
		for (size_t k = 0; k < e->models[i].n_fields; k++) {
			free(e->models[i].fields[k].cname);
			free(e->models[i].fields[k].family);
		}
		free(e->models[i].fields);
		free(e->models[i].name);
		free(e->models[i].extra_doc);
	}
	free(e->models);
	for (size_t i = 0; i < e->n_shards; i++) {
		free(e->shards[i].group);
		free(e->shards[i].ident);
		free(e->shards[i].models);
		free(e->shards[i].ops);
	}
	free(e->shards);
	free(e->ps);
	free(e->ops);
	em_map_free(&e->names);
	em_map_free(&e->ere_ok);
	em_map_free(&e->comp);
	free(e->comp_nodes);
	for (size_t i = 0; i < owned->n; i++)
		cJSON_Delete(owned->items[i]);
	free(owned->items);
}

static int
valid_input(const pvecg_models_input *in, pvecg_error *err)
{
	if (in == NULL || !cJSON_IsObject(in->openapi) || in->openapi_sha256 == NULL ||
	    in->version_tag == NULL || in->product == NULL)
		return pvecg_error_set(err, PVECG_EINTERNAL, "models",
		    "missing openapi document, sha256, version tag or product");
	if (strlen(in->openapi_sha256) != 64 ||
	    strspn(in->openapi_sha256, "0123456789abcdef") != 64)
		return pvecg_error_set(err, PVECG_EINTERNAL, "models",
		    "openapi_sha256 is not 64 lower-case hex digits");
	return 0;
}

int
pvecg_models_emit(pvecg_files *files, const pvecg_models_input *in,
    pvecg_error *err)
{
	em e;
	em_owned owned = { NULL, 0 };
	pvecg_buf px = PVECG_BUF_INIT;
	int rc;

	if ((rc = valid_input(in, err)) != 0)
		return rc;
	memset(&e, 0, sizeof(e));
	e.in = in;
	e.err = err;
	if (shard_ident(&px, in->product) != 0) {
		pvecg_buf_free(&px);
		return em_nomem(&e);
	}
	snprintf(e.prefix, sizeof(e.prefix), "%.20s_models", px.data);
	pvecg_buf_free(&px);
	if ((rc = index_components(&e)) == 0 && (rc = collect_ops(&e)) == 0 &&
	    e.n_ops == 0)
		rc = em_fail(&e, PVECG_EINPUT, "openapi.json", "no operations");
	if (rc != 0 || (rc = assign_shards(&e)) != 0 ||
	    (rc = build_all(&e, &owned)) != 0 || (rc = distribute(&e)) != 0)
		goto out;
	if ((rc = emit_shards(&e, files)) != 0)
		goto out;
	if ((rc = emit_aggregate(&e, files)) != 0 || (rc = emit_cmake(&e, files)) != 0 ||
	    (rc = emit_index(&e, files)) != 0 || (rc = emit_runtime(&e, files)) != 0)
		goto out;
out:
	em_free(&e, &owned);
	return rc;
}
