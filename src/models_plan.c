/* models_plan: openapi.json -> the model graph, pure data, no C text yet.
 * Operations sorted by operationId, one shard per route group (sorted by
 * C identifier), a model per response and request body / query, a struct
 * per nested object (named <Parent><FieldPascal>, numbered on a clash, so a
 * model never refers to another shard), per property-string format used in
 * a shard and per indexed family; every field with a unique C name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/naming.h"
#include "pvecg/util.h"
#include "pvecg/wire.h"
#include "pvecg_rt.h"
#include "models_int.h"

/* ---- names -------------------------------------------------------------- */

/* Appends PascalCase(s) (naming.h) to b: "get_cluster_status" /
 * "ha-state" -> "GetClusterStatus" / "HaState". */
PVECG_NODISCARD static int
pascal(pvecg_buf *b, const char *s)
{
	size_t cap = strlen(s) + 1; /* PascalCase never gets longer */
	int n;

	if (pvecg_buf_reserve(b, cap) != 0)
		return PVECG_ENOMEM;
	n = pvecg_naming_model_name(b->data + b->len, cap, s, NULL);
	if (n < 0)
		return PVECG_EINTERNAL;
	b->len += (size_t)n;
	return 0;
}

/* Reserves name (or name2, name3, ...) and returns the copy. Top-level
 * names are reserved up front (value 2); only their own model takes them. */
static char *
unique_name(em *e, const char *base, int top)
{
	pvecg_buf b = PVECG_BUF_INIT;
	char *out;

	for (int n = 1;; n++) {
		b.len = 0;
		if ((n == 1 ? pvecg_buf_puts(&b, base) : pvecg_buf_printf(&b, "%s%d", base, n)) !=
		    0) {
			pvecg_buf_free(&b);
			return NULL;
		}
		int *v = pvecg_strmap_get(&e->names, b.data);

		if (v == NULL || (top && n == 1 && *v == 2))
			break;
	}
	if (pvecg_strmap_put(&e->names, b.data, 1) != 0) {
		pvecg_buf_free(&b);
		return NULL;
	}
	out = pvecg_buf_steal(&b, NULL);
	return out;
}

static const char *const c_reserved[] = { "EOF", "I", "NULL", "_Alignas", "_Alignof", "_Atomic",
	"_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
	"_Thread_local", "alignas", "alignof", "auto", "bool", "break", "case", "char", "complex",
	"const", "continue", "default", "do", "double", "else", "enum", "errno", "extern", "false",
	"float", "for", "goto", "if", "imaginary", "inline", "int", "linux", "long", "noreturn",
	"register", "restrict", "return", "short", "signed", "sizeof", "static", "static_assert",
	"stderr", "stdin", "stdout", "struct", "switch", "thread_local", "true", "typedef", "union",
	"unix", "unsigned", "void", "volatile", "while" };

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
PVECG_NODISCARD static int
mangle(pvecg_buf *b, const char *json)
{
	const char *s = json;

	b->len = 0;
	if (*s >= '0' && *s <= '9' && pvecg_buf_puts(b, "f_") != 0)
		return PVECG_ENOMEM;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
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
const cJSON *
em_component(const em *e, const char *name)
{
	const int *i = pvecg_strmap_get(&e->comp, name);

	return i ? e->comp_nodes[*i] : NULL;
}

static int
index_components(em *e)
{
	const cJSON *schemas = pvecg_json_get(
	    pvecg_json_get(e->in->openapi, "components"), "schemas");
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, schemas)
		n++;
	e->comp_nodes = calloc(n + 1, sizeof(*e->comp_nodes));
	if (e->comp_nodes == NULL)
		return em_nomem(e);
	n = 0;
	cJSON_ArrayForEach(c, schemas) {
		if (c->string == NULL || pvecg_strmap_get(&e->comp, c->string))
			continue; /* the first of duplicate keys wins, as cJSON's lookup */
		e->comp_nodes[n] = c;
		if (pvecg_strmap_put(&e->comp, c->string, (int)n++) != 0)
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
		s = em_component(e, ref + 21);
	}
	return cJSON_IsObject(s) ? s : NULL;
}

/* What a schema is, read in one pass over its members. */
typedef struct em_shape {
	const char *type; /* main type, "null", or NULL (none / several) */
	int nullable;
	int combinator;   /* oneOf / anyOf / allOf */
	int scalar;       /* PVECG_RT_BOOL..STR, or 0 */
	int object_model; /* an object with properties: its own struct */
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

	cJSON_ArrayForEach(b, pvecg_json_get(s, "anyOf")) {
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

static int
build_model(em *e, int *out, const char *name, const cJSON *s, int op, const char *role, int depth);

static int
add_model(em *e, int *out, char *name, int op, const char *role, const cJSON *s, int kind)
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
PVECG_NODISCARD static int
classify(em *e, em_field *f, const char *parent, const cJSON *v, int op, int depth)
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
		if ((rc = pvecg_buf_puts(&b, parent)) == 0 && (rc = pascal(&b, f->json)) == 0)
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
				rc = build_model(
				    e, &f->sub, b.data, it, op, "array element", depth + 1);
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
PVECG_NODISCARD static int
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
			if ((rc = pvecg_buf_puts(&b,
			         f->family &&
			                 strcmp(b.data + b.len - (b.len > 1 ? 2 : 0), "_n") != 0
			             ? "_n"
			             : "_")) != 0)
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
	if (f->type != PVECG_RT_BOOL && f->type != PVECG_RT_INT && f->type != PVECG_RT_NUM)
		return 0;
	return !(f->flags & PVECG_RT_F_REQUIRED) || (f->flags & PVECG_RT_F_NULLABLE);
}

static int
in_list(const cJSON *s, const char *key, const char *name)
{
	const cJSON *r = pvecg_json_get(s, key);
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
PVECG_NODISCARD static int
pattern_props_doc(char **out, const cJSON *s)
{
	const cJSON *pp = pvecg_json_get(s, "patternProperties");
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
PVECG_NODISCARD static int
propstr_of(em *e, int *out, const cJSON *v, int op, int depth)
{
	const char *ref = pvecg_json_str(pvecg_json_get(v, "x-proxmox-property-string"), "$ref");
	const cJSON *comp;
	int shard = e->ops[op].shard, mi, rc;
	em_shape sh;
	size_t k;

	*out = 0;
	if (ref == NULL || strncmp(ref, "#/components/schemas/", 21) != 0 ||
	    (comp = em_component(e, ref + 21)) == NULL || depth >= EM_MAX_DEPTH)
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
PVECG_NODISCARD static int
register_propstrs(em *e, const cJSON *node, int op, int refs)
{
	const cJSON *c;
	int rc, dummy;

	if (cJSON_IsObject(node)) {
		const char *ref = pvecg_json_str(node, "$ref");

		if (pvecg_json_get(node, "x-proxmox-property-string") &&
		    (rc = propstr_of(e, &dummy, node, op, 0)) != 0)
			return rc;
		if (ref && refs < 8 && strncmp(ref, "#/components/schemas/", 21) == 0)
			return register_propstrs(e, em_component(e, ref + 21), op, refs + 1);
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
	const cJSON *max = pvecg_json_get(m, "x-proxmox-index-max");
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
indexed_field(em *e, em_field *fs, size_t *i, const cJSON *m, int count, int op, int depth)
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
PVECG_NODISCARD static int
build_fields(em *e, int mi, const cJSON *s, int op, int depth)
{
	const cJSON *props = pvecg_json_get(s, "properties");
	const cJSON *pat = pvecg_json_get(s, "patternProperties");
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
			return em_fail(
			    e, PVECG_EINPUT, e->ops[op].op_id, "duplicate property name");
	if (name_fields(&e->models[mi]) != 0)
		return em_nomem(e);
	return 0;
}

/* A model for schema s: an object with properties, or one whole value. */
PVECG_NODISCARD static int
build_model(em *e, int *out, const char *name, const cJSON *s, int op, const char *role, int depth)
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

PVECG_NODISCARD static int
collect_ops(em *e)
{
	const cJSON *paths = pvecg_json_get(e->in->openapi, "paths");
	const cJSON *p, *op;
	size_t n = 0;

	if (!cJSON_IsObject(paths))
		return em_fail(e, PVECG_EINPUT, "openapi.json", "no paths object");
	cJSON_ArrayForEach(p, paths)
		for (size_t k = 0; k < PVECG_HTTP_NMETHODS; k++)
			if (cJSON_IsObject(pvecg_json_get(p, pvecg_httpmethods[k].lower)))
				n++;
	e->ops = calloc(n ? n : 1, sizeof(*e->ops));
	if (e->ops == NULL)
		return em_nomem(e);
	cJSON_ArrayForEach(p, paths) {
		for (size_t k = 0; k < PVECG_HTTP_NMETHODS; k++) {
			em_op *o;
			const cJSON *tags;

			op = pvecg_json_get(p, pvecg_httpmethods[k].lower);
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
				    "paths.%s.%s: no operationId", p->string,
				    pvecg_httpmethods[k].lower);
			tags = pvecg_json_get(op, "tags");
			o->group = cJSON_IsArray(tags) && cJSON_IsString(tags->child)
			    ? tags->child->valuestring
			    : NULL;
		}
	}
	qsort(e->ops, e->n_ops, sizeof(*e->ops), op_cmp);
	for (size_t i = 1; i < e->n_ops; i++)
		if (strcmp(e->ops[i - 1].op_id, e->ops[i].op_id) == 0)
			return pvecg_error_set(e->err, PVECG_EINPUT, "openapi.json",
			    "operationId %s used twice", e->ops[i].op_id);
	return 0;
}

/* The operation's tag, else its path's route group (naming.h). */
static int
group_of(pvecg_buf *b, const em_op *o)
{
	const char *s;
	size_t n;

	b->len = 0;
	if (o->group)
		return pvecg_buf_puts(b, o->group);
	s = pvecg_naming_route_group(o->path, &n);
	return pvecg_buf_append(b, s, n);
}

/* A C identifier for any group name: lower-case letters, digits and '_';
 * a name that does not start with a letter gets "g_" in front ("2fa" ->
 * g_2fa; "_x" would be reserved at file scope, "" -> g_). */
PVECG_NODISCARD static int
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

PVECG_NODISCARD static int
assign_shards(em *e)
{
	pvecg_strmap idx = { 0 };
	pvecg_buf g = PVECG_BUF_INIT, id = PVECG_BUF_INIT;
	int rc = 0;

	e->shards = calloc(e->n_ops ? e->n_ops : 1, sizeof(*e->shards));
	if (e->shards == NULL)
		return em_nomem(e);
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++) {
		int *have;

		if ((rc = group_of(&g, &e->ops[i])) != 0 || (rc = shard_ident(&id, g.data)) != 0)
			break;
		have = pvecg_strmap_get(&idx, id.data);
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
			rc = pvecg_strmap_put(&idx, id.data, (int)e->n_shards);
		e->n_shards++;
	}
	pvecg_buf_free(&g);
	pvecg_buf_free(&id);
	pvecg_strmap_free(&idx);
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
PVECG_NODISCARD static int
query_schema(cJSON **out, const em *e, const em_op *o)
{
	const cJSON *params = pvecg_json_get(o->op, "parameters");
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
		v = cJSON_Duplicate(pvecg_json_get(r, "schema"), 1);
		if (v == NULL && (v = cJSON_CreateObject()) == NULL)
			goto nomem;
		if (pvecg_json_str(r, "description") && !pvecg_json_str(v, "description") &&
		    !cJSON_AddStringToObject(v, "description", pvecg_json_str(r, "description"))) {
			cJSON_Delete(v);
			goto nomem;
		}
		if (!cJSON_AddItemToObject(props, name, v)) {
			cJSON_Delete(v);
			goto nomem;
		}
		if (cJSON_IsTrue(pvecg_json_get(r, "required")) &&
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
	const cJSON *c = pvecg_json_get(pvecg_json_get(o->op, "requestBody"), "content");
	const cJSON *s = pvecg_json_get(pvecg_json_get(c, "application/json"), "schema");

	if (s == NULL && cJSON_IsObject(c) && c->child)
		s = pvecg_json_get(c->child, "schema");
	return resolve(e, s);
}

static const cJSON *
response_schema(const em *e, const em_op *o, const char *model)
{
	const cJSON *s = em_component(e, model);
	const cJSON *r;

	if (s)
		return s;
	/* fall back to responses.200...data */
	r = pvecg_json_get(o->op, "responses");
	r = pvecg_json_get(r, "200");
	r = pvecg_json_get(r, "content");
	r = pvecg_json_get(r, "application/json");
	r = resolve(e, pvecg_json_get(r, "schema"));
	r = pvecg_json_get(pvecg_json_get(r, "properties"), "data");
	return resolve(e, r);
}

PVECG_NODISCARD static int
build_all(em *e, em_owned *owned)
{
	pvecg_buf b = PVECG_BUF_INIT;
	int rc = 0;

	/* Top-level names first, so nested structs never take them. */
	for (size_t i = 0; rc == 0 && i < e->n_ops; i++) {
		b.len = 0;
		if ((rc = pascal(&b, e->ops[i].op_id)) == 0 &&
		    (rc = pvecg_buf_puts(&b, "Response")) == 0)
			rc = pvecg_strmap_put(&e->names, b.data, 2);
		b.len -= 8;
		if (rc == 0 && (rc = pvecg_buf_puts(&b, "Request")) == 0)
			rc = pvecg_strmap_put(&e->names, b.data, 2);
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
		rc = build_model(
		    e, &o->response, name, response_schema(e, o, name), (int)i, "response", 0);
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

void
em_plan_free(em *e, em_owned *owned)
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
	pvecg_strmap_free(&e->names);
	pvecg_strmap_free(&e->ere_ok);
	pvecg_strmap_free(&e->comp);
	free(e->comp_nodes);
	for (size_t i = 0; i < owned->n; i++)
		cJSON_Delete(owned->items[i]);
	free(owned->items);
}

/* ---- the whole plan --------------------------------------------------------- */

int
em_plan(em *e, em_owned *owned)
{
	pvecg_buf px = PVECG_BUF_INIT;
	int rc;

	if (shard_ident(&px, e->in->product) != 0) {
		pvecg_buf_free(&px);
		return em_nomem(e);
	}
	snprintf(e->prefix, sizeof(e->prefix), "%.20s_models", px.data);
	snprintf(e->sym, sizeof(e->sym), "%.20s", px.data);
	pvecg_buf_free(&px);
	/* "pve" -> "PVE" (macros, guards) and "Pve" (types) */
	for (size_t i = 0; e->sym[i]; i++) {
		char c = e->sym[i];

		e->mac[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
		e->type[i] = i == 0 ? e->mac[i] : c;
	}
	if ((rc = index_components(e)) == 0 && (rc = collect_ops(e)) == 0 && e->n_ops == 0)
		rc = em_fail(e, PVECG_EINPUT, "openapi.json", "no operations");
	if (rc != 0 || (rc = assign_shards(e)) != 0 || (rc = build_all(e, owned)) != 0)
		return rc;
	return distribute(e);
}
