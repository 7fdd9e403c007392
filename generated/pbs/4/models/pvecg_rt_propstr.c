/* pvecg_rt_propstr: property strings <-> structs, indexed members as arrays.
 * See pvecg_rt_propstr.h. This file is copied verbatim into every generated
 * models/ directory. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#endif
#include "pvecg_rt_propstr.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PS_MAX_TEXT (1u << 20) /* longer property strings are refused */

static const char *
pool(const pvecg_rt_model *m, uint32_t off)
{
	return m->shard->pool + off;
}

static int ps_fail(pvecg_rt_error *err, int code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
ps_fail(pvecg_rt_error *err, int code, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	memset(err, 0, sizeof(*err));
	err->code = code;
	snprintf(err->path, sizeof(err->path), "%s", key ? key : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

/* The runtime's paths start at "data"; a key is the path here. */
static int
key_path(pvecg_rt_error *err, int rc)
{
	if (err && strncmp(err->path, "data", 4) == 0) {
		size_t skip = err->path[4] == '.' ? 5 : 4;

		memmove(err->path, err->path + skip, strlen(err->path + skip) + 1);
	}
	return rc;
}

static int
ps_nomem(pvecg_rt_error *err)
{
	return ps_fail(err, PVECG_RT_ENOMEM, NULL, "out of memory");
}

static const pvecg_rt_field *
key_field(const pvecg_rt_model *m, const char *key)
{
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;

	for (uint16_t i = 0; i < m->n_fields; i++)
		if (strcmp(pool(m, fs[i].name), key) == 0)
			return &fs[i];
	return NULL;
}

static const pvecg_rt_propstr_alias *
find_alias(const pvecg_rt_propstr *ps, const char *key)
{
	for (uint16_t i = 0; i < ps->n_aliases; i++)
		if (strcmp(pool(ps->model, ps->aliases[i].alias), key) == 0)
			return &ps->aliases[i];
	return NULL;
}

/* PVE::JSONSchema::parse_boolean, and proxmox-schema's. */
static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(yes[i]), k = strlen(no[i]), j;

		for (j = 0; j <= n; j++) {
			char c = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] + 32) : s[j];
			if (c != yes[i][j])
				break;
		}
		if (j > n) {
			*out = 1;
			return 0;
		}
		for (j = 0; j <= k; j++) {
			char c = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] + 32) : s[j];
			if (c != no[i][j])
				break;
		}
		if (j > k) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* One value, typed by the key's field (a string when the key is unknown). */
PVECG_RT_NODISCARD static int
typed(cJSON **out, const pvecg_rt_field *f, const char *key, const char *v, pvecg_rt_error *err)
{
	char *end;
	int b;

	*out = NULL;
	switch (f ? f->type : PVECG_RT_STR) {
	case PVECG_RT_BOOL:
		if (parse_bool(v, &b) != 0)
			return ps_fail(err, PVECG_RT_EINVAL, key,
			    "expected a boolean (1/0, yes/no, on/off, true/false), got \"%.64s\"",
			    v);
		*out = cJSON_CreateBool(b);
		break;
	case PVECG_RT_INT: {
		long long x;
		const char *p = v + (*v == '-' || *v == '+');

		errno = 0;
		x = strtoll(v, &end, 10);
		if (*p < '0' || *p > '9' || *end || errno == ERANGE)
			return ps_fail(
			    err, PVECG_RT_EINVAL, key, "expected an integer, got \"%.64s\"", v);
		if (x >= 9007199254740992LL || x <= -9007199254740992LL)
			*out = cJSON_CreateString(v); /* exact: the runtime reads numeric strings */
		else
			*out = cJSON_CreateNumber((double)x);
		break;
	}
	case PVECG_RT_NUM: {
		double d;
		const char *p = v + (*v == '-' || *v == '+');

		errno = 0;
		d = strtod(v, &end);
		if (!((*p >= '0' && *p <= '9') || *p == '.') || *end || !isfinite(d) ||
		    errno == ERANGE || strpbrk(v, "xX"))
			return ps_fail(
			    err, PVECG_RT_EINVAL, key, "expected a number, got \"%.64s\"", v);
		*out = cJSON_CreateNumber(d);
		break;
	}
	default: *out = cJSON_CreateString(v); break;
	}
	return *out ? 0 : ps_nomem(err);
}

/* ---- tokenizing ---------------------------------------------------------- */

typedef struct ps_part {
	char *key;   /* NULL: the default key */
	char *value; /* unescaped, NUL-terminated, in the work buffer */
} ps_part;

/* Perl's /^\s*$/: the parts its property-string parser skips. */
static int
perl_blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
		s++;
	return !*s;
}

/* Perl: split(/,/), skip blank parts, /^([^=]+)=(.+)$/ or no '=' at all. */
PVECG_RT_NODISCARD static int
next_perl(char **pp, ps_part *part, pvecg_rt_error *err)
{
	char *s = *pp, *e, *eq;

	for (;;) {
		if (!*s)
			return 0;
		e = strchr(s, ',');
		if (e)
			*e = '\0';
		*pp = e ? e + 1 : s + strlen(s);
		if (!perl_blank(s))
			break;
		s = *pp;
	}
	eq = strchr(s, '=');
	if (!eq) {
		part->key = NULL;
		part->value = s;
		return 1;
	}
	*eq = '\0';
	if (eq == s || !eq[1])
		return ps_fail(err, PVECG_RT_EINVAL, s, "missing key or value");
	part->key = s;
	part->value = eq + 1;
	return 1;
}

/* proxmox-schema: key up to the first '=' (unless a ',' comes first); the
 * value may be "quoted" with \" and \\ escapes. */
PVECG_RT_NODISCARD static int
next_rust(char **pp, ps_part *part, pvecg_rt_error *err)
{
	char *s = *pp, *k;

	while (*s == ',')
		s++;
	if (!*s)
		return 0;
	k = s + strcspn(s, ",=");
	part->key = NULL;
	if (*k == '=') {
		*k = '\0';
		if (k == s)
			return ps_fail(err, PVECG_RT_EINVAL, "", "missing key before '='");
		part->key = s;
		s = k + 1;
	}
	if (*s == '"') {
		char *w = s, *r = s + 1;

		part->value = w;
		for (;;) {
			if (!*r)
				return ps_fail(
				    err, PVECG_RT_EINVAL, part->key, "unterminated quoted value");
			if (*r == '"')
				break;
			if (*r == '\\') {
				if (r[1] != '"' && r[1] != '\\')
					return ps_fail(err, PVECG_RT_EINVAL, part->key,
					    "invalid escape in quoted value");
				r++;
			}
			*w++ = *r++;
		}
		r++;
		if (*r && *r != ',')
			return ps_fail(
			    err, PVECG_RT_EINVAL, part->key, "garbage after quoted value");
		*w = '\0';
		*pp = *r ? r + 1 : r;
		return 1;
	}
	part->value = s;
	s += strcspn(s, ",");
	if (*s)
		*s++ = '\0';
	*pp = s;
	return 1;
}

/* ---- parse --------------------------------------------------------------- */

PVECG_RT_NODISCARD static int
put_value(cJSON *o, const pvecg_rt_propstr *ps, const char *key, const char *value,
    size_t *n_unknown, char *first_unknown, size_t cap, unsigned flags, pvecg_rt_error *err)
{
	const pvecg_rt_field *f = key_field(ps->model, key);
	cJSON *v;
	int rc;

	if (cJSON_GetObjectItemCaseSensitive(o, key))
		return ps_fail(err, PVECG_RT_EINVAL, key, "duplicate key");
	if (!f) {
		if (flags & PVECG_RT_PS_STRICT_KEYS)
			return ps_fail(err, PVECG_RT_EINVAL, key, "unknown key");
		if ((*n_unknown)++ == 0)
			snprintf(first_unknown, cap, "%s", key);
	}
	if ((rc = typed(&v, f, key, value, err)) != 0)
		return rc;
	if (!cJSON_AddItemToObject(o, key, v)) {
		cJSON_Delete(v);
		return ps_nomem(err);
	}
	return 0;
}

PVECG_RT_NODISCARD static int
object_json(cJSON *o, const pvecg_rt_propstr *ps, char *work, unsigned flags, size_t *n_unknown,
    char *first_unknown, size_t cap, pvecg_rt_error *err)
{
	int had_default = 0, rc;
	ps_part part = { NULL, NULL };
	char *p = work;

	while ((rc = ps->dialect == PVECG_RT_PS_RUST ? next_rust(&p, &part, err)
	                                             : next_perl(&p, &part, err)) == 1) {
		const char *key = part.key;
		const pvecg_rt_propstr_alias *a;

		if (!key) {
			if (ps->default_key == PVECG_RT_PS_NOKEY)
				return ps_fail(err, PVECG_RT_EINVAL, "",
				    "value \"%.64s\" without a key, and the format has no default "
				    "key",
				    part.value);
			key = pool(ps->model, ps->default_key);
			if (had_default++)
				return ps_fail(err, PVECG_RT_EINVAL, key, "duplicate key");
		} else if ((a = find_alias(ps, key)) != NULL) {
			if (a->key_alias != PVECG_RT_PS_NOKEY) {
				const char *ka = pool(ps->model, a->key_alias);

				if (cJSON_GetObjectItemCaseSensitive(o, ka))
					return ps_fail(err, PVECG_RT_EINVAL, ka,
					    "key alias \"%s\" is already defined", ka);
				if ((rc = put_value(o, ps, ka, key, n_unknown, first_unknown, cap,
				         flags, err)) != 0)
					return rc;
			}
			key = pool(ps->model, a->key);
		}
		if ((rc = put_value(
		         o, ps, key, part.value, n_unknown, first_unknown, cap, flags, err)) != 0)
			return rc;
	}
	return rc;
}

/* The Rust products' array formats: items split at ',', ';' and blanks. */
PVECG_RT_NODISCARD static int
list_json(cJSON **out, const pvecg_rt_propstr *ps, char *work, pvecg_rt_error *err)
{
	const pvecg_rt_field *f = ps->model->shard->fields + ps->model->first_field;
	pvecg_rt_field item = *f;
	cJSON *arr = cJSON_CreateArray();
	char *save = NULL, *tok;
	int rc;

	if (!arr)
		return ps_nomem(err);
	item.flags &= (uint8_t)~PVECG_RT_F_ARRAY;
	for (tok = strtok_r(work, ",; \t\n", &save); tok; tok = strtok_r(NULL, ",; \t\n", &save)) {
		cJSON *v;

		if ((rc = typed(&v, &item, "", tok, err)) != 0) {
			cJSON_Delete(arr);
			return rc;
		}
		if (!cJSON_AddItemToArray(arr, v)) {
			cJSON_Delete(v);
			cJSON_Delete(arr);
			return ps_nomem(err);
		}
	}
	*out = arr;
	return 0;
}

PVECG_RT_NODISCARD static int
to_json(cJSON **out, const pvecg_rt_propstr *ps, const char *text, unsigned flags,
    size_t *n_unknown, char *first_unknown, size_t cap, pvecg_rt_error *err)
{
	size_t len;
	char *work;
	cJSON *o = NULL;
	int rc;

	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	if (!ps || !ps->model || !text)
		return ps_fail(err, PVECG_RT_EINVAL, "", "no format or no text");
	if ((len = strlen(text)) > PS_MAX_TEXT)
		return ps_fail(
		    err, PVECG_RT_EINVAL, "", "property string longer than %u bytes", PS_MAX_TEXT);
	if (!(work = malloc(len + 1)))
		return ps_nomem(err);
	memcpy(work, text, len + 1);
	if (ps->kind == PVECG_RT_PS_LIST) {
		rc = list_json(&o, ps, work, err);
	} else if (!(o = cJSON_CreateObject())) {
		rc = ps_nomem(err);
	} else {
		rc = object_json(o, ps, work, flags, n_unknown, first_unknown, cap, err);
	}
	free(work);
	if (rc != 0) {
		cJSON_Delete(o);
		return rc;
	}
	*out = o;
	return 0;
}

int
pvecg_rt_propstr_to_json(
    cJSON **out, const pvecg_rt_propstr *ps, const char *text, unsigned flags, pvecg_rt_error *err)
{
	size_t n = 0;
	char first[64];

	return to_json(out, ps, text, flags, &n, first, sizeof(first), err);
}

int
pvecg_rt_propstr_parse(
    void **out, const pvecg_rt_propstr *ps, const char *text, unsigned flags, pvecg_rt_error *err)
{
	size_t n_unknown = 0;
	char first[64] = "";
	cJSON *j;
	int rc;

	*out = NULL;
	if ((rc = to_json(&j, ps, text, flags, &n_unknown, first, sizeof(first), err)) != 0)
		return rc;
	rc = key_path(err,
	    pvecg_rt_parse(
	        out, ps->model, j, flags & (PVECG_RT_NO_VALIDATE | PVECG_RT_STRICT), err));
	cJSON_Delete(j);
	if (rc == 0 && n_unknown && err) {
		snprintf(err->path, sizeof(err->path), "%s", first);
		snprintf(err->message, sizeof(err->message), "%zu unknown key%s kept in extra",
		    n_unknown, n_unknown == 1 ? "" : "s");
	}
	return rc;
}

/* ---- format -------------------------------------------------------------- */

typedef struct ps_out {
	char *b;
	size_t len, cap;
} ps_out;

static int
put_bytes(ps_out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 128;
		char *b;

		while (cap < o->len + n + 1)
			cap *= 2;
		if (!(b = realloc(o->b, cap)))
			return -1;
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = '\0';
	return 0;
}

static int
put_s(ps_out *o, const char *s)
{
	return put_bytes(o, s, strlen(s));
}

/* The text of one JSON value as it travels in a property string. */
static int
value_text(char *buf, size_t cap, const char **out, const cJSON *v)
{
	*out = buf;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? "1" : "0";
	} else if (cJSON_IsString(v)) {
		*out = v->valuestring;
	} else if (cJSON_IsRaw(v)) {
		*out = v->valuestring; /* exact 64-bit integers */
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (floor(d) == d && fabs(d) < 9007199254740992.0)
			snprintf(buf, cap, "%" PRId64, (int64_t)d);
		else {
			snprintf(buf, cap, "%.15g", d);
			if (strtod(buf, NULL) != d)
				snprintf(buf, cap, "%.17g", d);
		}
	} else {
		return -1;
	}
	return 0;
}

static int
needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (*s == ',' || *s == '"' || *s == '\\' || *s == '=' || *s == ' ' || *s == '\t' ||
		    *s == '\n' || *s == '\r')
			return 1;
	return 0;
}

PVECG_RT_NODISCARD static int
put_value_text(ps_out *o, const pvecg_rt_propstr *ps, const char *key, const char *s,
    int is_default, pvecg_rt_error *err)
{
	/* A default-key value that either parser would misread (as key=value,
	 * quoted or not; in Perl also as a blank part it skips) travels with
	 * its key. */
	if (is_default && (strchr(s, '=') || (ps->dialect == PVECG_RT_PS_PERL && perl_blank(s))) &&
	    (put_s(o, key) || put_s(o, "=")))
		return ps_nomem(err);
	if (ps->dialect == PVECG_RT_PS_PERL) {
		if (!*s)
			return ps_fail(err, PVECG_RT_EINVAL, key,
			    "empty value: the Perl parser of this product cannot read it");
		if (strchr(s, ','))
			return ps_fail(err, PVECG_RT_EINVAL, key,
			    "value contains a comma: the Perl parser of this product cannot read "
			    "it");
		if (strchr(s, '\n'))
			return ps_fail(err, PVECG_RT_EINVAL, key,
			    "value contains a line break: the Perl parser of this product cannot "
			    "read it");
		return put_s(o, s) ? ps_nomem(err) : 0;
	}
	if (!needs_quotes(s))
		return put_s(o, s) ? ps_nomem(err) : 0;
	if (put_s(o, "\""))
		return ps_nomem(err);
	for (; *s; s++) {
		if ((*s == '"' || *s == '\\') && put_s(o, "\\"))
			return ps_nomem(err);
		if (put_bytes(o, s, 1))
			return ps_nomem(err);
	}
	return put_s(o, "\"") ? ps_nomem(err) : 0;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

PVECG_RT_NODISCARD static int
format_object(ps_out *o, const pvecg_rt_propstr *ps, const cJSON *j, pvecg_rt_error *err)
{
	const char *dk = ps->default_key == PVECG_RT_PS_NOKEY ? NULL
	                                                      : pool(ps->model, ps->default_key);
	const cJSON **items, *e;
	size_t n = 0, i;
	char num[40];
	const char *s;
	int rc = 0, first = 1;

	for (e = j->child; e; e = e->next)
		n++;
	if (!(items = calloc(n ? n : 1, sizeof(*items))))
		return ps_nomem(err);
	n = 0;
	for (e = j->child; e; e = e->next)
		items[n++] = e;
	qsort(items, n, sizeof(*items), key_cmp);
	if (dk && (e = cJSON_GetObjectItemCaseSensitive(j, dk)) != NULL) {
		if (value_text(num, sizeof(num), &s, e) != 0)
			rc = ps_fail(err, PVECG_RT_EINVAL, dk, "not a scalar value");
		else
			rc = put_value_text(o, ps, dk, s, 1, err);
		first = 0;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		const char *k = items[i]->string;

		if (dk && strcmp(k, dk) == 0)
			continue;
		if (cJSON_IsNull(items[i]))
			continue;
		if (value_text(num, sizeof(num), &s, items[i]) != 0) {
			rc = ps_fail(err, PVECG_RT_EINVAL, k,
			    "not a scalar value: cannot be written in a property string");
			break;
		}
		if (strchr(k, '=') || strchr(k, ',') || !*k) {
			rc = ps_fail(
			    err, PVECG_RT_EINVAL, k, "key cannot be written in a property string");
			break;
		}
		if ((!first && put_s(o, ",")) || put_s(o, k) || put_s(o, "=")) {
			rc = ps_nomem(err);
			break;
		}
		first = 0;
		rc = put_value_text(o, ps, k, s, 0, err);
	}
	free(items);
	return rc;
}

PVECG_RT_NODISCARD static int
format_list(ps_out *o, const pvecg_rt_propstr *ps, const cJSON *j, pvecg_rt_error *err)
{
	const cJSON *e;
	char num[40];
	const char *s;
	size_t i = 0;

	if (!cJSON_IsArray(j))
		return 0; /* absent list: empty text */
	for (e = j->child; e; e = e->next, i++) {
		char where[24];

		snprintf(where, sizeof(where), "[%zu]", i);
		if (value_text(num, sizeof(num), &s, e) != 0)
			return ps_fail(err, PVECG_RT_EINVAL, where, "not a scalar value");
		if (!*s || strpbrk(s, ",; \t\n"))
			return ps_fail(err, PVECG_RT_EINVAL, where,
			    "list item is empty or holds a separator (',', ';' or a blank)");
		if ((i && put_s(o, ",")) || put_s(o, s))
			return ps_nomem(err);
	}
	(void)ps;
	return 0;
}

int
pvecg_rt_propstr_format(
    char **out, const pvecg_rt_propstr *ps, const void *obj, pvecg_rt_error *err)
{
	ps_out o = { NULL, 0, 0 };
	cJSON *j = NULL;
	int rc;

	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	if (!ps || !ps->model || !obj)
		return ps_fail(err, PVECG_RT_EINVAL, "", "no format or no value");
	if ((rc = pvecg_rt_validate(ps->model, obj, err)) != 0)
		return key_path(err, rc);
	if ((rc = pvecg_rt_to_json(&j, ps->model, obj, err)) != 0)
		return rc;
	if (put_s(&o, "")) {
		cJSON_Delete(j);
		return ps_nomem(err);
	}
	rc = ps->kind == PVECG_RT_PS_LIST ? format_list(&o, ps, j, err)
	                                  : format_object(&o, ps, j, err);
	cJSON_Delete(j);
	if (rc != 0) {
		free(o.b);
		return rc;
	}
	*out = o.b;
	return 0;
}

const char *
pvecg_rt_propstr_name(const pvecg_rt_propstr *ps)
{
	return ps ? pool(ps->model, ps->name) : NULL;
}

const pvecg_rt_propstr *
pvecg_rt_shard_propstr(const pvecg_rt_shard *s, const char *name)
{
	for (uint32_t i = 0; s && i < s->n_propstrs; i++)
		if (strcmp(s->pool + s->propstrs[i].name, name) == 0)
			return &s->propstrs[i];
	return NULL;
}

/* ---- model fields: typed access and indexed members ------------------------ */

static const pvecg_rt_propstr *
field_propstr(const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	if (!(f->flags & PVECG_RT_F_PROPSTR) || f->sub == PVECG_RT_NONE ||
	    f->sub >= m->shard->n_propstrs)
		return NULL;
	return &m->shard->propstrs[f->sub];
}

static size_t
field_count(const pvecg_rt_field *f)
{
	return (f->flags & PVECG_RT_F_INDEXED) ? f->cons : 1;
}

/* The text slot and parsed slot of element ix. */
static char **
text_slot(const pvecg_rt_field *f, void *obj, size_t ix)
{
	return (char **)((char *)obj + f->offset) + ix;
}

static void **
parsed_slot(const pvecg_rt_field *f, void *obj, size_t ix)
{
	if (!(f->flags & PVECG_RT_F_PROPSTR) || f->presence == PVECG_RT_NONE)
		return NULL;
	return (void **)((char *)obj + f->presence) + ix;
}

const pvecg_rt_field *
pvecg_rt_indexed_field(const pvecg_rt_model *m, const char *member, size_t *index)
{
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;
	size_t n = strlen(member), d = n, ix = 0;

	while (d > 0 && member[d - 1] >= '0' && member[d - 1] <= '9')
		d--;
	if (d == 0 || d == n || n - d > 4 || (member[d] == '0' && n - d > 1))
		return NULL;
	for (size_t i = d; i < n; i++)
		ix = ix * 10 + (size_t)(member[i] - '0');
	for (uint16_t i = 0; i < m->n_fields; i++) {
		const char *name = pool(m, fs[i].name);

		if (!(fs[i].flags & PVECG_RT_F_INDEXED) || strncmp(name, member, d) != 0 ||
		    strcmp(name + d, "[n]") != 0)
			continue;
		if (ix >= fs[i].cons)
			return NULL;
		*index = ix;
		return &fs[i];
	}
	return NULL;
}

void
pvecg_rt_propstr_free_field(const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj)
{
	const pvecg_rt_propstr *ps = field_propstr(m, f);
	size_t n = field_count(f);

	for (size_t i = 0; i < n; i++) {
		char **t = text_slot(f, obj, i);
		void **p = parsed_slot(f, obj, i);

		free(*t);
		*t = NULL;
		if (p && *p) {
			if (ps)
				pvecg_rt_free(ps->model, *p);
			*p = NULL;
		}
	}
}

int
pvecg_rt_propstr_fill(const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj, size_t ix,
    unsigned flags, pvecg_rt_error *err)
{
	const pvecg_rt_propstr *ps = field_propstr(m, f);
	void **p = parsed_slot(f, obj, ix);
	const char *text = *text_slot(f, obj, ix);

	if (!ps || !p || !text)
		return 0;
	if (*p) {
		pvecg_rt_free(ps->model, *p);
		*p = NULL;
	}
	return pvecg_rt_propstr_parse(
	    p, ps, text, flags & (PVECG_RT_NO_VALIDATE | PVECG_RT_PS_STRICT_KEYS), err);
}

int
pvecg_rt_indexed_to_json(
    const pvecg_rt_model *m, const pvecg_rt_field *f, const void *obj, cJSON *o)
{
	const char *name = pool(m, f->name);
	size_t base = strlen(name) - 3; /* without "[n]" */
	char key[96];

	if (base + 6 > sizeof(key))
		return PVECG_RT_EINVAL;
	for (size_t i = 0; i < f->cons; i++) {
		const char *t = *text_slot(f, (void *)(uintptr_t)obj, i);
		cJSON *v;

		if (!t)
			continue;
		snprintf(key, sizeof(key), "%.*s%zu", (int)base, name, i);
		if (!(v = cJSON_CreateString(t)) || !cJSON_AddItemToObject(o, key, v)) {
			cJSON_Delete(v);
			return PVECG_RT_ENOMEM;
		}
	}
	return 0;
}
