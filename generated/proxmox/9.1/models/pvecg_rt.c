/* pvecg_rt: parse, validate, serialize and free any generated model by
 * walking its descriptor tables. See pvecg_rt.h for the conventions.
 * This file is copied verbatim into every generated models/ directory. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* regex.h */
#endif
#include "pvecg_rt.h"

#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Integers a double holds exactly: JSON numbers from here on are refused. */
#define RT_EXACT 9007199254740992.0 /* 2^53 */
#define RT_MAX_DEPTH 64
#define RT_MAX_REGEX 8

/* One step of the JSON path; rendered only when something fails. */
typedef struct rt_seg {
	const char *name; /* NULL: an array index */
	size_t index;
} rt_seg;

typedef struct rt_regex {
	const char *src;
	regex_t re;
	int ok;
} rt_regex;

typedef struct rt_ctx {
	unsigned flags;
	int move; /* the input tree is ours: move unknown members, do not copy */
	pvecg_rt_error *err;
	pvecg_rt_diags *diags; /* tolerated deviations, or NULL */
	rt_seg segs[RT_MAX_DEPTH];
	size_t depth;
	rt_regex regex[RT_MAX_REGEX];
	size_t n_regex;
} rt_ctx;

static void
ctx_init(rt_ctx *c, unsigned flags, pvecg_rt_error *err)
{
	memset(c, 0, sizeof(*c));
	c->flags = flags;
	c->err = err;
	if (err)
		memset(err, 0, sizeof(*err));
}

static void
ctx_done(rt_ctx *c)
{
	for (size_t i = 0; i < c->n_regex; i++)
		if (c->regex[i].ok)
			regfree(&c->regex[i].re);
	c->n_regex = 0;
}

static void
push_name(rt_ctx *c, const char *name)
{
	if (c->depth < RT_MAX_DEPTH) {
		c->segs[c->depth].name = name;
		c->segs[c->depth].index = 0;
	}
	c->depth++;
}

static void
push_index(rt_ctx *c, size_t i)
{
	if (c->depth < RT_MAX_DEPTH) {
		c->segs[c->depth].name = NULL;
		c->segs[c->depth].index = i;
	}
	c->depth++;
}

static void
pop(rt_ctx *c)
{
	c->depth--;
}

static void
render_path(const rt_ctx *c, char *out, size_t cap)
{
	size_t len = 0;
	int n = snprintf(out, cap, "data");
	if (n > 0)
		len = (size_t)n;
	for (size_t i = 0; i < c->depth && len < cap; i++) {
		if (i >= RT_MAX_DEPTH) {
			n = snprintf(out + len, cap - len, "...");
			break;
		}
		if (c->segs[i].name)
			n = snprintf(out + len, cap - len, ".%s", c->segs[i].name);
		else
			n = snprintf(out + len, cap - len, "[%zu]", c->segs[i].index);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

static int fail(rt_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(rt_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	if (!c->err || c->err->code)
		return code;
	c->err->code = code;
	render_path(c, c->err->path, sizeof(c->err->path));
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return code;
}

static int
nomem(rt_ctx *c)
{
	return fail(c, PVECG_RT_ENOMEM, "out of memory");
}

/* Records one tolerated deviation at the current path. */
static int
note(rt_ctx *c, int kind)
{
	pvecg_rt_diags *d = c->diags;
	if (!d)
		return 0;
	if (d->n >= PVECG_RT_DIAG_MAX) {
		d->dropped++;
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		pvecg_rt_diag *p = realloc(d->items, cap * sizeof(*p));
		if (!p)
			return nomem(c);
		d->items = p;
		d->cap = cap;
	}
	d->items[d->n].kind = kind;
	render_path(c, d->items[d->n].path, sizeof(d->items[d->n].path));
	d->n++;
	return 0;
}

/* A wire form the declared type does not have: an error when strict. */
PVECG_RT_NODISCARD static int
tolerate(rt_ctx *c, int kind, const char *strict_message)
{
	if (c->flags & PVECG_RT_STRICT)
		return fail(c, PVECG_RT_EINVAL, "%s", strict_message);
	return note(c, kind);
}

void
pvecg_rt_diags_free(pvecg_rt_diags *d)
{
	if (!d)
		return;
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->dropped = 0;
}

const char *
pvecg_rt_diag_kind(int kind)
{
	switch (kind) {
	case PVECG_RT_D_BOOL_FORM: return "bool-form";
	case PVECG_RT_D_NUMERIC_TEXT: return "numeric-text";
	case PVECG_RT_D_NUMBER_AS_TEXT: return "number-as-text";
	case PVECG_RT_D_EMPTY: return "empty";
	case PVECG_RT_D_NULL: return "null";
	case PVECG_RT_D_MISSING: return "missing";
	default: return "unknown";
	}
}

/* ---- descriptor access -------------------------------------------------- */

static const char *
pool_str(const pvecg_rt_shard *s, uint32_t off)
{
	return s->pool + off;
}

static const pvecg_rt_field *
model_fields(const pvecg_rt_model *m)
{
	return m->shard->fields + m->first_field;
}

static const pvecg_rt_model *
field_sub(const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	return &m->shard->models[f->sub];
}

static const pvecg_rt_cons *
field_cons(const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	return f->cons == PVECG_RT_NONE ? NULL : &m->shard->cons[f->cons];
}

/* Fields are sorted by name: binary search. */
static const pvecg_rt_field *
find_field(const pvecg_rt_model *m, const char *name)
{
	const pvecg_rt_field *fs = model_fields(m);
	size_t lo = 0, hi = m->n_fields;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, pool_str(m->shard, fs[mid].name));
		if (cmp == 0)
			return &fs[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static size_t
elem_size(const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	switch (f->type) {
	case PVECG_RT_BOOL: return sizeof(bool);
	case PVECG_RT_INT: return sizeof(int64_t);
	case PVECG_RT_NUM: return sizeof(double);
	case PVECG_RT_STR: return sizeof(char *);
	case PVECG_RT_OBJ: return field_sub(m, f)->size;
	default: return sizeof(cJSON *);
	}
}

/* The slot of a member; arrays: the items pointer. */
static void *
slot(void *obj, const pvecg_rt_field *f)
{
	return (char *)obj + f->offset;
}

static const void *
cslot(const void *obj, const pvecg_rt_field *f)
{
	return (const char *)obj + f->offset;
}

/* ---- free --------------------------------------------------------------- */

static void clear_model(const pvecg_rt_model *m, void *obj);

static void
free_value(const pvecg_rt_model *m, const pvecg_rt_field *f, void *v, int in_array)
{
	switch (f->type) {
	case PVECG_RT_STR: free(*(char **)v); break;
	case PVECG_RT_OBJ:
		if (in_array) {
			clear_model(field_sub(m, f), v);
		} else if (*(void **)v) {
			clear_model(field_sub(m, f), *(void **)v);
			free(*(void **)v);
		}
		break;
	case PVECG_RT_ANY: cJSON_Delete(*(cJSON **)v); break;
	default: break;
	}
}

static void
free_field(const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj)
{
	if (f->flags & (PVECG_RT_F_PROPSTR | PVECG_RT_F_INDEXED)) {
		pvecg_rt_propstr_free_field(m, f, obj);
		return;
	}
	if (f->flags & PVECG_RT_F_ARRAY) {
		char *items = *(char **)slot(obj, f);
		size_t n = *(size_t *)((char *)obj + f->presence);
		size_t es = elem_size(m, f);
		for (size_t i = 0; items && i < n; i++)
			free_value(m, f, items + i * es, 1);
		free(items);
		*(char **)slot(obj, f) = NULL;
		*(size_t *)((char *)obj + f->presence) = 0;
		return;
	}
	free_value(m, f, slot(obj, f), 0);
	if (f->type != PVECG_RT_BOOL && f->type != PVECG_RT_INT && f->type != PVECG_RT_NUM)
		*(void **)slot(obj, f) = NULL;
	if (f->presence != PVECG_RT_NONE)
		*(bool *)((char *)obj + f->presence) = false;
}

static void
clear_model(const pvecg_rt_model *m, void *obj)
{
	const pvecg_rt_field *fs = model_fields(m);
	for (size_t i = 0; i < m->n_fields; i++)
		free_field(m, &fs[i], obj);
	if (m->extra != PVECG_RT_NONE)
		cJSON_Delete(*(cJSON **)((char *)obj + m->extra));
	memset(obj, 0, m->size);
}

void
pvecg_rt_clear(const pvecg_rt_model *m, void *obj)
{
	if (m && obj)
		clear_model(m, obj);
}

void
pvecg_rt_free(const pvecg_rt_model *m, void *obj)
{
	if (!m || !obj)
		return;
	clear_model(m, obj);
	free(obj);
}

/* ---- tolerant scalar reading ------------------------------------------- */

static int
ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		if (x != *b)
			return 0;
	}
	return *a == *b;
}

PVECG_RT_NODISCARD static int
read_bool(rt_ctx *c, const cJSON *j, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	if (cJSON_IsBool(j)) {
		*out = cJSON_IsTrue(j);
		return 0;
	}
	if (c->flags & PVECG_RT_STRICT)
		return fail(c, PVECG_RT_EINVAL, "expected boolean");
	if (cJSON_IsNumber(j) && (j->valuedouble == 0 || j->valuedouble == 1)) {
		*out = j->valuedouble == 1;
		return note(c, PVECG_RT_D_BOOL_FORM);
	}
	if (cJSON_IsString(j)) {
		for (size_t i = 0; i < 4; i++) {
			if (ascii_ieq(j->valuestring, yes[i])) {
				*out = true;
				return note(c, PVECG_RT_D_BOOL_FORM);
			}
			if (ascii_ieq(j->valuestring, no[i])) {
				*out = false;
				return note(c, PVECG_RT_D_BOOL_FORM);
			}
		}
	}
	return fail(c, PVECG_RT_EINVAL, "expected boolean");
}

/* Decimal integer text, exact over the whole int64 range. */
static int
parse_int_text(const char *s, int64_t *out)
{
	const char *p = s;
	char *end;
	long long v;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return -1;
	*out = (int64_t)v;
	return 0;
}

PVECG_RT_NODISCARD static int
read_int(rt_ctx *c, const cJSON *j, int64_t *out)
{
	if (cJSON_IsNumber(j)) {
		double d = j->valuedouble;
		if (!isfinite(d) || floor(d) != d)
			return fail(c, PVECG_RT_EINVAL, "expected integer");
		/* 2^53 itself may be a rounded larger value: refuse it too */
		if (d >= RT_EXACT || d <= -RT_EXACT)
			return fail(c, PVECG_RT_EINVAL,
			    "integer beyond 2^53 is not exact as a JSON number (send it as a "
			    "string)");
		*out = (int64_t)d;
		return 0;
	}
	if (!(c->flags & PVECG_RT_STRICT) && cJSON_IsString(j) &&
	    parse_int_text(j->valuestring, out) == 0)
		return note(c, PVECG_RT_D_NUMERIC_TEXT);
	return fail(c, PVECG_RT_EINVAL, "expected integer");
}

PVECG_RT_NODISCARD static int
read_num(rt_ctx *c, const cJSON *j, double *out)
{
	if (cJSON_IsNumber(j)) {
		*out = j->valuedouble;
		return 0;
	}
	if (!(c->flags & PVECG_RT_STRICT) && cJSON_IsString(j)) {
		const char *s = j->valuestring;
		char *end;
		double d;
		if (((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.') &&
		    !strpbrk(s, "xX")) {
			errno = 0;
			d = strtod(s, &end);
			if (*end == '\0' && end != s && isfinite(d) && errno != ERANGE) {
				*out = d;
				return note(c, PVECG_RT_D_NUMERIC_TEXT);
			}
		}
	}
	return fail(c, PVECG_RT_EINVAL, "expected number");
}

/* A string; a JSON number where a string is declared is kept as the
 * number's JSON text ("2048"). */
PVECG_RT_NODISCARD static int
read_str(rt_ctx *c, const cJSON *j, char **out)
{
	char *text = NULL, *s;
	const char *src;
	size_t len;
	int rc = 0;
	if (cJSON_IsString(j)) {
		src = j->valuestring;
	} else if (cJSON_IsNumber(j)) {
		if ((rc = tolerate(c, PVECG_RT_D_NUMBER_AS_TEXT, "expected string")) != 0)
			return rc;
		if (!(text = cJSON_PrintUnformatted(j)))
			return nomem(c);
		src = text;
	} else {
		return fail(c, PVECG_RT_EINVAL, "expected string");
	}
	len = strlen(src);
	s = malloc(len + 1);
	if (s)
		memcpy(s, src, len + 1);
	if (text)
		cJSON_free(text);
	if (!s)
		return nomem(c);
	*out = s;
	return 0;
}

/* ---- parse --------------------------------------------------------------- */

static int parse_model(rt_ctx *c, const pvecg_rt_model *m, void *obj, cJSON *j);

/* Takes j for an `any` slot: moved when the tree is ours, else copied. */
static cJSON *
take(rt_ctx *c, cJSON *j)
{
	if (c->move) {
		/* Detached by the caller; the parent no longer owns it. */
		return j;
	}
	return cJSON_Duplicate(j, 1);
}

/* Parses one value into v (a member slot or an array element). */
static int
parse_value(
    rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, void *v, cJSON *j, int in_array)
{
	switch (f->type) {
	case PVECG_RT_BOOL: return read_bool(c, j, (bool *)v);
	case PVECG_RT_INT: return read_int(c, j, (int64_t *)v);
	case PVECG_RT_NUM: return read_num(c, j, (double *)v);
	case PVECG_RT_STR: return read_str(c, j, (char **)v);
	case PVECG_RT_OBJ: {
		const pvecg_rt_model *sub = field_sub(m, f);
		void *p = v;
		if (!in_array) {
			p = calloc(1, sub->size);
			if (!p)
				return nomem(c);
			*(void **)v = p; /* owned by the parent from now on */
		}
		return parse_model(c, sub, p, j);
	}
	default: {
		cJSON *copy = take(c, j);
		if (!copy)
			return nomem(c);
		*(cJSON **)v = copy;
		return 0;
	}
	}
}

/* The typed struct beside a property-string member, when asked for. */
PVECG_RT_NODISCARD static int
fill_propstr(rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj, size_t ix)
{
	pvecg_rt_error e;
	if (!(c->flags & PVECG_RT_PROPSTR))
		return 0;
	if (pvecg_rt_propstr_fill(m, f, obj, ix, c->flags, &e) != 0)
		return fail(c, e.code == PVECG_RT_ENOMEM ? e.code : PVECG_RT_EINVAL,
		    "property string: %s%s%s", e.path, *e.path ? ": " : "", e.message);
	return 0;
}

/* Parses j into field f of obj (j is detached when c->move and the field is
 * an `any`, so its ownership moves into the struct). */
PVECG_RT_NODISCARD static int
parse_field(rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj, cJSON *j)
{
	int rc;
	if (f->flags & PVECG_RT_F_ARRAY) {
		size_t n, es, i = 0;
		char *items;
		cJSON *e;
		if (!cJSON_IsArray(j))
			return fail(c, PVECG_RT_EINVAL, "expected array");
		n = (size_t)cJSON_GetArraySize(j);
		es = elem_size(m, f);
		items = calloc(n ? n : 1, es);
		if (!items)
			return nomem(c);
		/* Owned by obj before the elements are read, so a failure
		 * half-way frees what was read (zeroed elements free nothing). */
		*(char **)slot(obj, f) = items;
		*(size_t *)((char *)obj + f->presence) = n;
		for (e = j->child; e; e = e->next, i++) {
			if (i >= n)
				return fail(c, PVECG_RT_EINVAL, "array changed while reading");
			push_index(c, i);
			if (f->type == PVECG_RT_ANY) {
				cJSON *copy = cJSON_Duplicate(e, 1);
				rc = copy ? 0 : nomem(c);
				*(cJSON **)(items + i * es) = copy;
			} else {
				rc = parse_value(c, m, f, items + i * es, e, 1);
			}
			if (rc)
				return rc;
			pop(c);
		}
		return 0;
	}
	rc = parse_value(c, m, f, slot(obj, f), j, 0);
	if (rc)
		return rc;
	if (f->flags & PVECG_RT_F_PROPSTR)
		return fill_propstr(c, m, f, obj, 0);
	if (f->presence != PVECG_RT_NONE)
		*(bool *)((char *)obj + f->presence) = true;
	return 0;
}

/* member "net3" of an indexed field: element 3 of its array */
PVECG_RT_NODISCARD static int
parse_indexed(
    rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj, size_t ix, cJSON *e)
{
	char **t = (char **)slot(obj, f) + ix;
	int rc;
	if (cJSON_IsNull(e))
		return 0;
	push_name(c, e->string);
	free(*t); /* repeated key: the last one wins */
	*t = NULL;
	rc = parse_value(c, m, f, t, e, 1);
	if (rc == 0 && (f->flags & PVECG_RT_F_PROPSTR))
		rc = fill_propstr(c, m, f, obj, ix);
	if (rc == 0)
		pop(c);
	return rc;
}

static int
is_scalar(const pvecg_rt_field *f)
{
	return !(f->flags & PVECG_RT_F_ARRAY) &&
	    (f->type == PVECG_RT_BOOL || f->type == PVECG_RT_INT || f->type == PVECG_RT_NUM);
}

/* Keeps an unknown member in extra (moved or copied). */
static int
keep_extra(rt_ctx *c, const pvecg_rt_model *m, void *obj, cJSON *parent, cJSON *member)
{
	cJSON **extra;
	cJSON *v;
	if (m->extra == PVECG_RT_NONE)
		return 0;
	extra = (cJSON **)((char *)obj + m->extra);
	if (!*extra && !(*extra = cJSON_CreateObject()))
		return nomem(c);
	if (c->move) {
		v = cJSON_DetachItemViaPointer(parent, member);
	} else {
		v = cJSON_Duplicate(member, 1);
		if (!v)
			return nomem(c);
	}
	/* A repeated unknown key keeps the last value, like known ones. */
	cJSON_DeleteItemFromObjectCaseSensitive(*extra, member->string);
	if (!cJSON_AddItemToObject(*extra, member->string, v)) {
		cJSON_Delete(v);
		return nomem(c);
	}
	return 0;
}

/* null for a member that may be absent, and (not strict) "" for an
 * optional boolean / integer / number: Proxmox's "no value". */
static int
absent_value(const rt_ctx *c, const pvecg_rt_field *f, const cJSON *e)
{
	int required = (f->flags & PVECG_RT_F_REQUIRED) && !(f->flags & PVECG_RT_F_NULLABLE);
	if (cJSON_IsNull(e))
		return !required;
	return !required && !(c->flags & PVECG_RT_STRICT) && is_scalar(f) && cJSON_IsString(e) &&
	    e->valuestring[0] == '\0';
}

PVECG_RT_NODISCARD static int
parse_object(rt_ctx *c, const pvecg_rt_model *m, void *obj, cJSON *j)
{
	const pvecg_rt_field *fs = model_fields(m);
	unsigned char seen_small[128];
	unsigned char *seen = seen_small;
	cJSON *e, *next;
	int rc = 0;

	if (!cJSON_IsObject(j))
		return fail(c, PVECG_RT_EINVAL, "expected object");
	if (m->n_fields > sizeof(seen_small)) {
		seen = calloc(m->n_fields, 1);
		if (!seen)
			return nomem(c);
	} else {
		memset(seen_small, 0, sizeof(seen_small));
	}
	for (e = j->child; e && !rc; e = next) {
		const pvecg_rt_field *f;
		next = e->next;
		if (!e->string)
			continue;
		f = find_field(m, e->string);
		if (f && (f->flags & PVECG_RT_F_INDEXED))
			f = NULL; /* "net[n]" itself is no member */
		if (!f) {
			size_t ix;
			const pvecg_rt_field *fi = pvecg_rt_indexed_field(m, e->string, &ix);
			rc = fi ? parse_indexed(c, m, fi, obj, ix, e) : keep_extra(c, m, obj, j, e);
			continue;
		}
		if (seen[f - fs])
			free_field(m, f, obj); /* repeated key: the last one wins */
		seen[f - fs] = 1;
		if (absent_value(c, f, e)) {
			/* absent, but kept in extra so to_json gives it back */
			push_name(c, e->string);
			rc = note(c, cJSON_IsNull(e) ? PVECG_RT_D_NULL : PVECG_RT_D_EMPTY);
			pop(c);
			if (!rc)
				rc = keep_extra(c, m, obj, j, e);
			continue;
		}
		push_name(c, e->string);
		if (c->move && f->type == PVECG_RT_ANY && !(f->flags & PVECG_RT_F_ARRAY))
			cJSON_DetachItemViaPointer(j, e);
		rc = parse_field(c, m, f, obj, e);
		if (rc == 0)
			pop(c);
	}
	for (size_t i = 0; !rc && i < m->n_fields; i++) {
		if (seen[i] || !(fs[i].flags & (PVECG_RT_F_REQUIRED | PVECG_RT_F_DECLARED)))
			continue;
		push_name(c, pool_str(m->shard, fs[i].name));
		if (fs[i].flags & PVECG_RT_F_REQUIRED)
			rc = fail(c, PVECG_RT_EINVAL, "missing required member");
		else if ((rc = tolerate(c, PVECG_RT_D_MISSING, "missing required member")) == 0)
			pop(c);
	}
	if (seen != seen_small)
		free(seen);
	return rc;
}

static int
parse_model(rt_ctx *c, const pvecg_rt_model *m, void *obj, cJSON *j)
{
	const pvecg_rt_field *f;
	if (m->kind == PVECG_RT_K_OBJECT)
		return parse_object(c, m, obj, j);
	f = model_fields(m);
	if (cJSON_IsNull(j))
		return 0; /* the value is absent */
	return parse_field(c, m, f, obj, j);
}

PVECG_RT_NODISCARD static int validate_model(rt_ctx *c, const pvecg_rt_model *m, const void *obj);

PVECG_RT_NODISCARD static int
parse_top(void **out, const pvecg_rt_model *m, cJSON *j, int move, unsigned flags,
    pvecg_rt_diags *diags, pvecg_rt_error *err)
{
	rt_ctx c;
	void *obj;
	int rc;

	*out = NULL;
	ctx_init(&c, flags, err);
	c.move = move;
	c.diags = diags;
	obj = calloc(1, m->size);
	if (!obj)
		return nomem(&c);
	/* A top-level `any` value moves as a whole: detach nothing, copy. */
	if (m->kind == PVECG_RT_K_VALUE && model_fields(m)->type == PVECG_RT_ANY)
		c.move = 0;
	rc = parse_model(&c, m, obj, j);
	if (rc == 0 && !(flags & PVECG_RT_NO_VALIDATE)) {
		c.depth = 0;
		rc = validate_model(&c, m, obj);
	}
	ctx_done(&c);
	if (rc) {
		if (err && !err->code) {
			/* parse_field failures always set err; keep a fallback */
			err->code = rc;
		}
		pvecg_rt_free(m, obj);
		return rc;
	}
	*out = obj;
	return 0;
}

int
pvecg_rt_parse_diag(void **out, const pvecg_rt_model *m, const cJSON *json, unsigned flags,
    pvecg_rt_diags *diags, pvecg_rt_error *err)
{
	/* Not moved: the cast is safe because nothing is detached. */
	return parse_top(out, m, (cJSON *)(uintptr_t)json, 0, flags, diags, err);
}

int
pvecg_rt_parse(
    void **out, const pvecg_rt_model *m, const cJSON *json, unsigned flags, pvecg_rt_error *err)
{
	return pvecg_rt_parse_diag(out, m, json, flags, NULL, err);
}

static int
syntax_error(pvecg_rt_error *err, const char *what)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = PVECG_RT_ESYNTAX;
		snprintf(err->path, sizeof(err->path), "%s", what);
		snprintf(err->message, sizeof(err->message), "not valid JSON");
	}
	return PVECG_RT_ESYNTAX;
}

int
pvecg_rt_parse_text(void **out, const pvecg_rt_model *m, const char *text, size_t len,
    unsigned flags, pvecg_rt_error *err)
{
	return pvecg_rt_parse_text_diag(out, m, text, len, flags, NULL, err);
}

int
pvecg_rt_parse_text_diag(void **out, const pvecg_rt_model *m, const char *text, size_t len,
    unsigned flags, pvecg_rt_diags *diags, pvecg_rt_error *err)
{
	cJSON *j = cJSON_ParseWithLength(text, len);
	int rc;
	*out = NULL;
	if (!j)
		return syntax_error(err, "data");
	rc = parse_top(out, m, j, 1, flags, diags, err);
	cJSON_Delete(j);
	return rc;
}

int
pvecg_rt_parse_response(void **out, const pvecg_rt_model *m, const char *text, size_t len,
    unsigned flags, pvecg_rt_error *err)
{
	return pvecg_rt_parse_response_diag(out, m, text, len, flags, NULL, err);
}

int
pvecg_rt_parse_response_diag(void **out, const pvecg_rt_model *m, const char *text, size_t len,
    unsigned flags, pvecg_rt_diags *diags, pvecg_rt_error *err)
{
	cJSON *j = cJSON_ParseWithLength(text, len);
	cJSON *data;
	int rc;
	*out = NULL;
	if (!j)
		return syntax_error(err, "(body)");
	data = cJSON_GetObjectItemCaseSensitive(j, "data");
	if (!cJSON_IsObject(j) || !data) {
		cJSON_Delete(j);
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = PVECG_RT_EINVAL;
			snprintf(err->path, sizeof(err->path), "(body)");
			snprintf(err->message, sizeof(err->message),
			    "expected an object with member data");
		}
		return PVECG_RT_EINVAL;
	}
	rc = parse_top(out, m, data, 1, flags, diags, err);
	cJSON_Delete(j);
	return rc;
}

/* ---- validate ------------------------------------------------------------ */

static const regex_t *
get_regex(rt_ctx *c, const char *src)
{
	rt_regex *r;
	for (size_t i = 0; i < c->n_regex; i++)
		if (c->regex[i].src == src)
			return c->regex[i].ok ? &c->regex[i].re : NULL;
	if (c->n_regex == RT_MAX_REGEX) {
		ctx_done(c); /* simple: start over when full */
	}
	r = &c->regex[c->n_regex++];
	r->src = src;
	r->ok = regcomp(&r->re, src, REG_EXTENDED | REG_NOSUB) == 0;
	return r->ok ? &r->re : NULL;
}

/* JSON Schema counts characters: UTF-8 code points. */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

PVECG_RT_NODISCARD static int
check_enum(rt_ctx *c, const pvecg_rt_shard *s, const pvecg_rt_cons *k, const char *v)
{
	for (uint32_t i = 0; i < k->n_enum; i++)
		if (strcmp(v, pool_str(s, s->enums[k->enum_first + i])) == 0)
			return 0;
	return fail(c, PVECG_RT_EINVAL, "\"%.64s\" is not one of the allowed values", v);
}

PVECG_RT_NODISCARD static int
check_range(rt_ctx *c, const pvecg_rt_cons *k, double v)
{
	if ((k->flags & PVECG_RT_C_MIN) && v < k->min)
		return fail(c, PVECG_RT_EINVAL, "below minimum %.17g", k->min);
	if ((k->flags & PVECG_RT_C_XMIN) && v <= k->min)
		return fail(c, PVECG_RT_EINVAL, "not above exclusive minimum %.17g", k->min);
	if ((k->flags & PVECG_RT_C_MAX) && v > k->max)
		return fail(c, PVECG_RT_EINVAL, "above maximum %.17g", k->max);
	if ((k->flags & PVECG_RT_C_XMAX) && v >= k->max)
		return fail(c, PVECG_RT_EINVAL, "not below exclusive maximum %.17g", k->max);
	return 0;
}

PVECG_RT_NODISCARD static int
check_value(
    rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, const void *v, int in_array)
{
	const pvecg_rt_cons *k = field_cons(m, f);
	switch (f->type) {
	case PVECG_RT_INT: {
		int64_t x = *(const int64_t *)v;
		if (k && (k->flags & PVECG_RT_C_ENUM)) {
			char buf[24];
			snprintf(buf, sizeof(buf), "%" PRId64, x);
			if (check_enum(c, m->shard, k, buf))
				return PVECG_RT_EINVAL;
		}
		return k ? check_range(c, k, (double)x) : 0;
	}
	case PVECG_RT_NUM: return k ? check_range(c, k, *(const double *)v) : 0;
	case PVECG_RT_STR: {
		const char *s = *(char *const *)v;
		if (!s)
			return in_array ? fail(c, PVECG_RT_EINVAL, "expected string") : 0;
		if (!k)
			return 0;
		if ((k->flags & PVECG_RT_C_ENUM) && check_enum(c, m->shard, k, s))
			return PVECG_RT_EINVAL;
		if (k->flags & (PVECG_RT_C_MINLEN | PVECG_RT_C_MAXLEN)) {
			size_t n = utf8_len(s);
			if ((k->flags & PVECG_RT_C_MINLEN) && n < k->min_len)
				return fail(c, PVECG_RT_EINVAL,
				    "shorter than %" PRIu32 " characters", k->min_len);
			if ((k->flags & PVECG_RT_C_MAXLEN) && n > k->max_len)
				return fail(c, PVECG_RT_EINVAL,
				    "longer than %" PRIu32 " characters", k->max_len);
		}
		if (k->flags & PVECG_RT_C_PATTERN) {
			const regex_t *re = get_regex(c, pool_str(m->shard, k->pattern));
			if (re && regexec(re, s, 0, NULL, 0) != 0)
				return fail(c, PVECG_RT_EINVAL, "does not match pattern %.120s",
				    pool_str(m->shard, k->pattern));
		}
		return 0;
	}
	case PVECG_RT_OBJ:
		if (in_array)
			return validate_model(c, field_sub(m, f), v);
		return *(void *const *)v ? validate_model(c, field_sub(m, f), *(void *const *)v)
		                         : 0;
	default: return 0;
	}
}

/* Is the member present in the struct? */
static int
present(const pvecg_rt_field *f, const void *obj)
{
	if (f->flags & PVECG_RT_F_ARRAY)
		return *(void *const *)cslot(obj, f) != NULL;
	if (is_scalar(f))
		return f->presence == PVECG_RT_NONE ||
		    *(const bool *)((const char *)obj + f->presence);
	return *(void *const *)cslot(obj, f) != NULL;
}

PVECG_RT_NODISCARD static int
validate_field(rt_ctx *c, const pvecg_rt_model *m, const pvecg_rt_field *f, const void *obj)
{
	if (f->flags & PVECG_RT_F_INDEXED)
		return 0; /* plain strings, no constraints */
	if (!present(f, obj)) {
		if ((f->flags & PVECG_RT_F_ARRAY) &&
		    *(const size_t *)((const char *)obj + f->presence))
			return fail(c, PVECG_RT_EINVAL, "count without items");
		if ((f->flags & PVECG_RT_F_REQUIRED) && !(f->flags & PVECG_RT_F_NULLABLE) &&
		    m->kind == PVECG_RT_K_OBJECT)
			return fail(c, PVECG_RT_EINVAL, "missing required member");
		return 0;
	}
	if (f->flags & PVECG_RT_F_ARRAY) {
		const char *items = *(char *const *)cslot(obj, f);
		size_t n = *(const size_t *)((const char *)obj + f->presence);
		size_t es = elem_size(m, f);
		for (size_t i = 0; i < n; i++) {
			push_index(c, i);
			int rc = check_value(c, m, f, items + i * es, 1);
			if (rc)
				return rc;
			pop(c);
		}
		return 0;
	}
	return check_value(c, m, f, cslot(obj, f), 0);
}

PVECG_RT_NODISCARD static int
validate_model(rt_ctx *c, const pvecg_rt_model *m, const void *obj)
{
	const pvecg_rt_field *fs = model_fields(m);
	for (size_t i = 0; i < m->n_fields; i++) {
		int rc;
		if (m->kind == PVECG_RT_K_OBJECT)
			push_name(c, pool_str(m->shard, fs[i].name));
		rc = validate_field(c, m, &fs[i], obj);
		if (rc)
			return rc;
		if (m->kind == PVECG_RT_K_OBJECT)
			pop(c);
	}
	return 0;
}

int
pvecg_rt_validate(const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err)
{
	rt_ctx c;
	int rc;
	ctx_init(&c, 0, err);
	rc = validate_model(&c, m, obj);
	ctx_done(&c);
	return rc;
}

/* ---- serialize ----------------------------------------------------------- */

static cJSON *model_to_json(const pvecg_rt_model *m, const void *obj);

static cJSON *
int_to_json(int64_t v)
{
	char buf[24];
	if (v < (int64_t)RT_EXACT && v > -(int64_t)RT_EXACT)
		return cJSON_CreateNumber((double)v);
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cJSON_CreateRaw(buf);
}

static cJSON *
value_to_json(const pvecg_rt_model *m, const pvecg_rt_field *f, const void *v, int in_array)
{
	switch (f->type) {
	case PVECG_RT_BOOL: return cJSON_CreateBool(*(const bool *)v);
	case PVECG_RT_INT: return int_to_json(*(const int64_t *)v);
	case PVECG_RT_NUM: return cJSON_CreateNumber(*(const double *)v);
	case PVECG_RT_STR: {
		const char *s = *(char *const *)v;
		return s ? cJSON_CreateString(s) : cJSON_CreateNull();
	}
	case PVECG_RT_OBJ:
		if (in_array)
			return model_to_json(field_sub(m, f), v);
		return model_to_json(field_sub(m, f), *(void *const *)v);
	default: {
		const cJSON *j = *(cJSON *const *)v;
		return j ? cJSON_Duplicate(j, 1) : cJSON_CreateNull();
	}
	}
}

static cJSON *
field_to_json(const pvecg_rt_model *m, const pvecg_rt_field *f, const void *obj)
{
	cJSON *arr;
	const char *items;
	size_t n, es;
	if (!(f->flags & PVECG_RT_F_ARRAY))
		return value_to_json(m, f, cslot(obj, f), 0);
	arr = cJSON_CreateArray();
	items = *(char *const *)cslot(obj, f);
	n = *(const size_t *)((const char *)obj + f->presence);
	es = elem_size(m, f);
	for (size_t i = 0; arr && i < n; i++) {
		cJSON *e = value_to_json(m, f, items + i * es, 1);
		if (!e || !cJSON_AddItemToArray(arr, e)) {
			cJSON_Delete(e);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *
model_to_json(const pvecg_rt_model *m, const void *obj)
{
	const pvecg_rt_field *fs = model_fields(m);
	cJSON *o;
	const cJSON *extra;
	if (m->kind == PVECG_RT_K_VALUE)
		return present(fs, obj) ? field_to_json(m, fs, obj) : cJSON_CreateNull();
	o = cJSON_CreateObject();
	for (size_t i = 0; o && i < m->n_fields; i++) {
		cJSON *v;
		if (fs[i].flags & PVECG_RT_F_INDEXED) {
			if (pvecg_rt_indexed_to_json(m, &fs[i], obj, o) != 0) {
				cJSON_Delete(o);
				return NULL;
			}
			continue;
		}
		if (!present(&fs[i], obj))
			continue;
		v = field_to_json(m, &fs[i], obj);
		if (!v || !cJSON_AddItemToObject(o, pool_str(m->shard, fs[i].name), v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	extra = m->extra == PVECG_RT_NONE ? NULL : *(cJSON *const *)((const char *)obj + m->extra);
	for (const cJSON *e = extra ? extra->child : NULL; o && e; e = e->next) {
		const pvecg_rt_field *f = e->string ? find_field(m, e->string) : NULL;
		cJSON *v;
		if (f && present(f, obj))
			continue; /* a kept null / "" the caller has since set */
		v = cJSON_Duplicate(e, 1);
		if (!v || !cJSON_AddItemToObject(o, e->string, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

int
pvecg_rt_to_json(cJSON **out, const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err)
{
	rt_ctx c;
	ctx_init(&c, 0, err);
	*out = model_to_json(m, obj);
	return *out ? 0 : nomem(&c);
}

int
pvecg_rt_to_text(char **out, const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err)
{
	cJSON *j;
	int rc = pvecg_rt_to_json(&j, m, obj, err);
	*out = NULL;
	if (rc)
		return rc;
	*out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!*out) {
		rt_ctx c;
		ctx_init(&c, 0, err);
		return nomem(&c);
	}
	return 0;
}

/* ---- lookups ------------------------------------------------------------- */

const char *
pvecg_rt_model_name(const pvecg_rt_model *m)
{
	return m ? pool_str(m->shard, m->name) : NULL;
}

const pvecg_rt_model *
pvecg_rt_shard_model(const pvecg_rt_shard *s, const char *name)
{
	size_t lo = 0, hi = s->n_models;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, pool_str(s, s->models[mid].name));
		if (cmp == 0)
			return &s->models[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const pvecg_rt_op *
pvecg_rt_shard_op(const pvecg_rt_shard *s, const char *op_id)
{
	size_t lo = 0, hi = s->n_ops;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(op_id, pool_str(s, s->ops[mid].op_id));
		if (cmp == 0)
			return &s->ops[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const pvecg_rt_model *
pvecg_rt_op_request(const pvecg_rt_shard *s, const pvecg_rt_op *op)
{
	return op->request == PVECG_RT_NONE ? NULL : &s->models[op->request];
}

const pvecg_rt_model *
pvecg_rt_op_response(const pvecg_rt_shard *s, const pvecg_rt_op *op)
{
	return &s->models[op->response];
}

int
pvecg_rt_shard_check(const pvecg_rt_shard *s, pvecg_rt_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
	if (s && s->abi == PVECG_RT_ABI && s->models && s->pool)
		return 0;
	if (err) {
		err->code = PVECG_RT_EABI;
		snprintf(err->path, sizeof(err->path), "%s", s && s->group ? s->group : "(shard)");
		snprintf(err->message, sizeof(err->message),
		    "shard built for runtime ABI %u, this runtime is %u", s ? (unsigned)s->abi : 0u,
		    (unsigned)PVECG_RT_ABI);
	}
	return PVECG_RT_EABI;
}

const char *
pvecg_rt_error_text(const pvecg_rt_error *err, char *buf, size_t cap)
{
	if (!err || !err->code)
		snprintf(buf, cap, "no error");
	else
		snprintf(buf, cap, "%s: %s", err->path, err->message);
	return buf;
}
