/* diff, schema level: declared types, constraints, enums, defaults,
 * property-string keys and object members (indexed families folded into
 * one member), each change classified by whether the schema is something
 * a client sends (input) or reads (output). The rules are in README.md. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "pvecg/json.h"
#include "pvecg/util.h"
#include "pvecg/wire.h"

#define TYPE_MAX 128

/* ------------------------------------------------------------------ */
/* $ref and JSON text                                                   */

static const cJSON *
pointer(const cJSON *doc, const char *ref)
{
	const cJSON *cur = doc;
	char seg[256];

	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	ref += 2;
	while (cur != NULL && *ref) {
		size_t n = 0;

		while (*ref && *ref != '/' && n + 1 < sizeof(seg)) {
			if (ref[0] == '~' && (ref[1] == '0' || ref[1] == '1')) {
				seg[n++] = ref[1] == '0' ? '~' : '/';
				ref += 2;
			} else {
				seg[n++] = *ref++;
			}
		}
		seg[n] = '\0';
		if (*ref == '/')
			ref++;
		else if (*ref)
			return NULL; /* segment too long */
		cur = pvecg_json_get(cur, seg);
	}
	return cur;
}

const cJSON *
diff_resolve(const cJSON *doc, const cJSON *s)
{
	int hops;

	for (hops = 0; s != NULL && hops < 16; hops++) {
		const char *ref = pvecg_json_str(s, "$ref");
		const cJSON *t;

		if (ref == NULL)
			return s;
		t = pointer(doc, ref);
		if (t == NULL)
			return s; /* dangling: compare the $ref object itself */
		s = t;
	}
	return s;
}

char *
diff_json_text(const cJSON *v)
{
	pvecg_buf b = PVECG_BUF_INIT;
	char *out;
	size_t i, j = 0;
	int in_str = 0;

	if (v == NULL || pvecg_json_write(&b, v) != 0) {
		pvecg_buf_free(&b);
		return NULL;
	}
	/* Drop the layout whitespace outside strings. */
	for (i = 0; i < b.len; i++) {
		char ch = b.data[i];

		if (in_str) {
			if (ch == '\\' && i + 1 < b.len) {
				b.data[j++] = ch;
				ch = b.data[++i];
			} else if (ch == '"') {
				in_str = 0;
			}
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == ' ' || ch == '\n') {
			continue;
		}
		b.data[j++] = ch;
	}
	b.data[j] = '\0';
	out = b.data;
	return out;
}

/* ------------------------------------------------------------------ */
/* Declared types                                                       */

static void
append_type(char *out, size_t cap, const char *t)
{
	size_t len = strlen(out);

	if (strcmp(t, "null") == 0)
		return;
	snprintf(out + len, cap - len, "%s%s", len ? "|" : "", t);
}

/* The declared type: x-proxmox-type, else type (a list without "null"
 * joined by '|'), else what the shape says. "" when untyped. */
static void
declared_type(char out[TYPE_MAX], const cJSON *doc, const cJSON *s, int depth)
{
	const cJSON *x, *t, *e;

	out[0] = '\0';
	s = diff_resolve(doc, s);
	if (s == NULL || depth > DIFF_MAX_DEPTH)
		return;
	x = pvecg_json_get(s, "x-proxmox-type");
	t = x != NULL ? x : pvecg_json_get(s, "type");
	if (cJSON_IsString(t)) {
		snprintf(out, TYPE_MAX, "%s", t->valuestring);
		return;
	}
	if (cJSON_IsArray(t)) {
		cJSON_ArrayForEach(e, t)
			if (cJSON_IsString(e))
				append_type(out, TYPE_MAX, e->valuestring);
		if (out[0] == '\0')
			snprintf(out, TYPE_MAX, "null");
		return;
	}
	t = pvecg_json_get(s, "anyOf");
	if (t == NULL)
		t = pvecg_json_get(s, "oneOf");
	if (cJSON_IsArray(t)) {
		cJSON_ArrayForEach(e, t) {
			char sub[TYPE_MAX];

			declared_type(sub, doc, e, depth + 1);
			if (sub[0] && strstr(out, sub) == NULL)
				append_type(out, TYPE_MAX, sub);
		}
		return;
	}
	if (pvecg_json_get(s, "properties") || pvecg_json_get(s, "patternProperties"))
		snprintf(out, TYPE_MAX, "object");
	else if (pvecg_json_get(s, "items"))
		snprintf(out, TYPE_MAX, "array");
}

/* When a schema is a union with one non-null branch, that branch. */
static const cJSON *
main_branch(const cJSON *doc, const cJSON *s)
{
	const cJSON *u, *e, *only = NULL;
	int n = 0;

	s = diff_resolve(doc, s);
	/* a wire union stays whole: its default and description are its own */
	if (s == NULL || pvecg_json_get(s, "properties") || pvecg_json_get(s, "items") ||
	    pvecg_wire_declared_branch(s))
		return s;
	u = pvecg_json_get(s, "anyOf");
	if (u == NULL)
		u = pvecg_json_get(s, "oneOf");
	cJSON_ArrayForEach(e, u) {
		const cJSON *r = diff_resolve(doc, e);
		const char *t = pvecg_json_str(r, "type");

		if (t != NULL && strcmp(t, "null") == 0)
			continue;
		only = r;
		n++;
	}
	return n == 1 ? only : s;
}

static bool
has_part(const char *list, const char *t)
{
	size_t n = strlen(t);
	const char *p = list;

	while ((p = strstr(p, t)) != NULL) {
		if ((p == list || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return true;
		p += n;
	}
	return false;
}

/* True when every value of type a is also a value of type b. */
static bool
type_within(const char *a, const char *b)
{
	char tmp[TYPE_MAX], *tok, *save = NULL;

	if (b[0] == '\0' || strcmp(b, "any") == 0)
		return true;
	if (a[0] == '\0' || strcmp(a, "any") == 0)
		return false;
	snprintf(tmp, sizeof(tmp), "%s", a);
	for (tok = strtok_r(tmp, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
		if (!has_part(b, tok) && !(strcmp(tok, "integer") == 0 && has_part(b, "number")))
			return false;
	return true;
}

static pvecg_diff_severity
type_severity(enum diff_dir dir, const char *o, const char *n)
{
	if (dir == DIFF_IN)
		return type_within(o, n) ? PVECG_DIFF_SAFE : PVECG_DIFF_BREAKING;
	/* Data where there was none harms no reader. */
	if (strcmp(o, "null") == 0 || type_within(n, o))
		return PVECG_DIFF_SAFE;
	return PVECG_DIFF_BREAKING;
}

/* ------------------------------------------------------------------ */
/* Member lists                                                         */

int
diff_fields_add(
    struct diff_fields *f, const char *name, const cJSON *schema, const char *in, bool required)
{
	struct diff_field *m;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct diff_field *v = realloc(f->v, cap * sizeof(*v));

		if (v == NULL)
			return PVECG_ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	m = &f->v[f->n++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->schema = schema;
	m->in = in;
	m->required = required;
	m->max = -1;
	return 0;
}

static int
cmp_field(const void *a, const void *b)
{
	return strcmp(((const struct diff_field *)a)->name, ((const struct diff_field *)b)->name);
}

void
diff_fields_sort(struct diff_fields *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(f->v[0]), cmp_field);
}

void
diff_fields_free(struct diff_fields *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* "net31" -> prefix length 3, index 31; -1 when not name + digits. */
static long
split_index(const char *name, size_t *prefix)
{
	size_t n = strlen(name), i = n;

	while (i > 0 && isdigit((unsigned char)name[i - 1]))
		i--;
	if (i == 0 || i == n || n - i > 6)
		return -1;
	*prefix = i;
	return strtol(name + i, NULL, 10);
}

/* "^net\d+$" -> "net"; false for other patterns. */
static bool
pattern_family(char *out, size_t cap, const char *pat)
{
	size_t n = strlen(pat), len;

	if (n < 6 || pat[0] != '^' || strcmp(pat + n - 4, "\\d+$") != 0)
		return false;
	len = n - 5;
	if (len >= cap)
		return false;
	memcpy(out, pat + 1, len);
	out[len] = '\0';
	return true;
}

static long
index_max(const cJSON *doc, const cJSON *s)
{
	const cJSON *m = pvecg_json_get(s, "x-proxmox-index-max");

	if (!cJSON_IsNumber(m))
		m = pvecg_json_get(diff_resolve(doc, s), "x-proxmox-index-max");
	return cJSON_IsNumber(m) ? (long)m->valuedouble : -1;
}

/* What the members of one family share: the schema they $ref, or (written
 * out inline) their x-proxmox-indexed name. NULL: not a family member. */
static const char *
family_key(const cJSON *p)
{
	const char *k = pvecg_json_str(p, "$ref");

	return k ? k : pvecg_json_str(p, "x-proxmox-indexed");
}

/* Folds explicit members "net0".."netN" that share a family_key into one
 * family "net[n]". A family of one member needs x-proxmox-indexed. */
PVECG_NODISCARD static int
add_property(struct diff_fields *f, size_t first, const cJSON *p, const char *in, bool required)
{
	const char *ref = family_key(p);
	size_t plen = 0, i;
	long idx = ref ? split_index(p->string, &plen) : -1;
	char fam[160];

	if (idx < 0)
		return diff_fields_add(f, p->string, p, in, required);
	snprintf(fam, sizeof(fam), "%.*s[n]", (int)plen, p->string);
	for (i = first; i < f->n; i++) {
		struct diff_field *m = &f->v[i];

		if (m->family && strcmp(m->name, fam) == 0 &&
		    strcmp(family_key(m->schema), ref) == 0) {
			if (idx > m->max)
				m->max = idx;
			m->required = m->required || required;
			return 0;
		}
	}
	if (diff_fields_add(f, fam, p, in, required) != 0)
		return PVECG_ENOMEM;
	f->v[f->n - 1].family = true;
	f->v[f->n - 1].max = idx;
	return 0;
}

/* A family seen once without x-proxmox-indexed is an ordinary member. */
static void
unfold_single(struct diff_fields *f, size_t first, const cJSON *doc, const cJSON *props)
{
	size_t i;

	for (i = first; i < f->n; i++) {
		struct diff_field *m = &f->v[i];
		const cJSON *p, *t = diff_resolve(doc, m->schema);
		int count = 0;
		size_t plen;

		if (!m->family || pvecg_json_get(t, "x-proxmox-indexed"))
			continue;
		plen = strlen(m->name) - 3; /* without "[n]" */
		cJSON_ArrayForEach(p, props) {
			size_t pl = 0;

			if (p->string != NULL && split_index(p->string, &pl) >= 0 && pl == plen &&
			    strncmp(p->string, m->name, plen) == 0 && family_key(p) &&
			    strcmp(family_key(p), family_key(m->schema)) == 0)
				count++;
		}
		if (count == 1) {
			snprintf(m->name, sizeof(m->name), "%s", m->schema->string);
			m->family = false;
			m->max = -1;
		}
	}
}

static bool
has_name(const struct diff_fields *f, size_t first, const char *name)
{
	size_t i;

	for (i = first; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return true;
	return false;
}

int
diff_fields_object(struct diff_fields *f, const cJSON *doc, const cJSON *schema, const char *in)
{
	const cJSON *s = main_branch(doc, schema), *props, *pats, *req, *p;
	size_t first = f->n;

	if (s == NULL)
		return 0;
	props = pvecg_json_get(s, "properties");
	pats = pvecg_json_get(s, "patternProperties");
	req = pvecg_json_get(s, "required");
	cJSON_ArrayForEach(p, props)
		if (p->string &&
		    add_property(f, first, p, in, pvecg_json_has_string(req, p->string)) != 0)
			return PVECG_ENOMEM;
	unfold_single(f, first, doc, props);
	cJSON_ArrayForEach(p, pats) {
		char base[150], fam[160];
		bool known;

		if (p->string == NULL)
			continue;
		known = pattern_family(base, sizeof(base), p->string);

		snprintf(fam, sizeof(fam), known ? "%s[n]" : "%s", known ? base : p->string);
		if (has_name(f, first, fam))
			continue; /* the explicit members already stand for it */
		if (diff_fields_add(f, fam, p, in, false) != 0)
			return PVECG_ENOMEM;
		f->v[f->n - 1].family = known;
		f->v[f->n - 1].max = index_max(doc, p);
	}
	diff_fields_sort(f);
	return 0;
}

/* Keys of a property string: an inline x-proxmox-format object (Proxmox
 * dialect: "optional") or the object schema x-proxmox-property-string
 * refers to. Returns 1 when s is a property string, 0 when not, <0 error. */
PVECG_NODISCARD static int
property_string_keys(struct diff_fields *f, const cJSON *doc, const cJSON *s)
{
	const cJSON *fmt = pvecg_json_get(s, "x-proxmox-format");
	const cJSON *ps = pvecg_json_get(s, "x-proxmox-property-string");
	const cJSON *k;

	if (cJSON_IsObject(ps))
		return diff_fields_object(f, doc, ps, NULL) == 0 ? 1 : PVECG_ENOMEM;
	if (!cJSON_IsObject(fmt))
		return 0;
	cJSON_ArrayForEach(k, fmt) {
		bool req = !pvecg_json_truthy(pvecg_json_get(k, "optional")) &&
		    pvecg_json_get(k, "alias") == NULL;

		if (k->string && diff_fields_add(f, k->string, k, NULL, req) != 0)
			return PVECG_ENOMEM;
	}
	diff_fields_sort(f);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Comparisons                                                          */

static const char *
sub_prefix(char *out, size_t cap, const char *prefix, const char *name)
{
	snprintf(out, cap, "%s%s", prefix, name);
	return out;
}

static void
number_text(char *out, size_t cap, const cJSON *v)
{
	pvecg_buf b = PVECG_BUF_INIT;

	out[0] = '\0';
	if (cJSON_IsNumber(v) && pvecg_json_number(&b, v->valuedouble) == 0)
		snprintf(out, cap, "%s", b.data);
	pvecg_buf_free(&b);
}

/* minimum, maximum, minLength, maxLength: a lower bound raised or an upper
 * bound lowered narrows what is allowed. */
static void
compare_bound(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const cJSON *o, const cJSON *n, const char *key, bool upper)
{
	const cJSON *a = pvecg_json_get(o, key);
	const cJSON *b = pvecg_json_get(n, key);
	char at[64], bt[64];
	bool narrowed;

	if (!cJSON_IsNumber(a))
		a = NULL;
	if (!cJSON_IsNumber(b))
		b = NULL;
	if ((a == NULL && b == NULL) || (a && b && a->valuedouble == b->valuedouble))
		return;
	if (a == NULL)
		narrowed = true;
	else if (b == NULL)
		narrowed = false;
	else
		narrowed = upper ? b->valuedouble < a->valuedouble
		                 : b->valuedouble > a->valuedouble;
	number_text(at, sizeof(at), a);
	number_text(bt, sizeof(bt), b);
	diff_emit(c, area,
	    strcmp(key, "minimum") == 0         ? "minimum-changed"
	        : strcmp(key, "maximum") == 0   ? "maximum-changed"
	        : strcmp(key, "minLength") == 0 ? "minLength-changed"
	                                        : "maxLength-changed",
	    subject, a ? at : NULL, b ? bt : NULL,
	    dir == DIFF_IN ? (narrowed ? PVECG_DIFF_BREAKING : PVECG_DIFF_SAFE)
	                   : (narrowed ? PVECG_DIFF_SAFE : PVECG_DIFF_POTENTIAL));
}

static bool
enum_has(const cJSON *list, const cJSON *v)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
		if (cJSON_Compare(e, v, 1))
			return true;
	return false;
}

/* The values of a that b lacks, as "x, y". */
PVECG_NODISCARD static int
enum_minus(pvecg_buf *out, const cJSON *a, const cJSON *b)
{
	const cJSON *e;
	char num[64];

	cJSON_ArrayForEach(e, a) {
		if (enum_has(b, e))
			continue;
		if (out->len && pvecg_buf_puts(out, ", ") != 0)
			return PVECG_ENOMEM;
		if (cJSON_IsString(e)) {
			if (pvecg_buf_puts(out, e->valuestring) != 0)
				return PVECG_ENOMEM;
		} else {
			char *t = cJSON_IsNumber(e) ? NULL : diff_json_text(e);

			number_text(num, sizeof(num), e);
			if (pvecg_buf_puts(out, t ? t : num) != 0) {
				free(t);
				return PVECG_ENOMEM;
			}
			free(t);
		}
	}
	return 0;
}

static void
compare_enum(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const cJSON *o, const cJSON *n)
{
	const cJSON *a, *b;
	pvecg_buf gone = PVECG_BUF_INIT, added = PVECG_BUF_INIT;

	/* a wire union: the declared values, in its declared branch */
	a = pvecg_json_get(
	    pvecg_wire_declared_branch(o) ? pvecg_wire_declared_branch(o) : o, "enum");
	b = pvecg_json_get(
	    pvecg_wire_declared_branch(n) ? pvecg_wire_declared_branch(n) : n, "enum");
	if (!cJSON_IsArray(a))
		a = NULL;
	if (!cJSON_IsArray(b))
		b = NULL;
	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL) {
		/* An enum appearing narrows the values; one disappearing widens them. */
		if (enum_minus(&gone, a ? a : b, NULL) != 0)
			c->fatal = 1;
		diff_emit(c, area, a ? "enum-dropped" : "enum-introduced", subject,
		    a ? gone.data : NULL, a ? NULL : gone.data,
		    (dir == DIFF_IN) == (a == NULL)
		        ? (dir == DIFF_IN ? PVECG_DIFF_BREAKING : PVECG_DIFF_POTENTIAL)
		        : PVECG_DIFF_SAFE);
		pvecg_buf_free(&gone);
		return;
	}
	if (enum_minus(&gone, a, b) != 0 || enum_minus(&added, b, a) != 0)
		c->fatal = 1;
	if (gone.len)
		diff_emit(c, area, "enum-values-removed", subject, gone.data, NULL,
		    dir == DIFF_IN ? PVECG_DIFF_BREAKING : PVECG_DIFF_SAFE);
	if (added.len)
		diff_emit(c, area, "enum-values-added", subject, NULL, added.data,
		    dir == DIFF_IN ? PVECG_DIFF_SAFE : PVECG_DIFF_POTENTIAL);
	pvecg_buf_free(&gone);
	pvecg_buf_free(&added);
}

/* The original Proxmox pattern where the document keeps one. */
static const char *
pattern_of(const cJSON *s)
{
	const char *p = pvecg_json_str(s, "x-proxmox-pattern");

	return p ? p : pvecg_json_str(s, "pattern");
}

static void
compare_strings(struct diff_ctx *c, const char *area, const char *kind, const char *subject,
    const char *a, const char *b, pvecg_diff_severity sev_set, pvecg_diff_severity sev_gone)
{
	if ((a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0))
		return;
	diff_emit(c, area, kind, subject, a, b, b != NULL ? sev_set : sev_gone);
}

/* Booleans are 0/1 in the Proxmox dialect and true/false in OpenAPI. */
static char *
default_text(const cJSON *s)
{
	const cJSON *v = pvecg_json_get(s, "default");

	if (v == NULL)
		return NULL;
	if (cJSON_IsBool(v))
		return pvecg_strdup(cJSON_IsTrue(v) ? "1" : "0");
	return diff_json_text(v);
}

static void
compare_default(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const cJSON *o, const cJSON *n)
{
	char *a = default_text(o), *b = default_text(n);

	if ((a || b) && !(a && b && strcmp(a, b) == 0))
		diff_emit(c, area, "default-changed", subject, a, b,
		    dir == DIFF_IN ? PVECG_DIFF_POTENTIAL : PVECG_DIFF_SAFE);
	free(a);
	free(b);
}

static void
compare_property_string(struct diff_ctx *c, enum diff_dir dir, const char *subject, const cJSON *o,
    const cJSON *n, int depth)
{
	struct diff_fields a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	int ra = property_string_keys(&a, c->old_doc, o);
	int rb = property_string_keys(&b, c->new_doc, n);
	char prefix[DIFF_SUBJECT_MAX];

	if (ra < 0 || rb < 0) {
		c->fatal = 1;
	} else if (ra != rb) {
		/* Turning a plain string into a property string narrows what is
		 * accepted; readers must now parse it either way. */
		diff_emit(c, "property-string",
		    ra ? "property-string-dropped" : "property-string-introduced", subject, NULL,
		    NULL, dir == DIFF_IN && ra ? PVECG_DIFF_SAFE : PVECG_DIFF_POTENTIAL);
	} else if (ra == 1) {
		snprintf(prefix, sizeof(prefix), "%s:", subject);
		diff_compare_fields(c, dir, "property-string", prefix, &a, &b, depth + 1, NULL);
	}
	diff_fields_free(&a);
	diff_fields_free(&b);
}

static bool
has_members(const cJSON *s)
{
	return pvecg_json_get(s, "properties") != NULL ||
	    pvecg_json_get(s, "patternProperties") != NULL;
}

static void
compare_members(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const cJSON *o, const cJSON *n, int depth)
{
	struct diff_fields a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	char prefix[DIFF_SUBJECT_MAX];

	if (diff_fields_object(&a, c->old_doc, o, NULL) != 0 ||
	    diff_fields_object(&b, c->new_doc, n, NULL) != 0) {
		c->fatal = 1;
	} else {
		snprintf(prefix, sizeof(prefix), "%s.", subject);
		diff_compare_fields(c, dir, area, prefix, &a, &b, depth + 1, NULL);
	}
	diff_fields_free(&a);
	diff_fields_free(&b);
}

void
diff_compare_schema(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const cJSON *o, const cJSON *n, int depth)
{
	char ta[TYPE_MAX], tb[TYPE_MAX], sub[DIFF_SUBJECT_MAX];
	const cJSON *ia, *ib;

	if (depth > DIFF_MAX_DEPTH || c->fatal)
		return;
	if (c->steps == 0) {
		c->exhausted = c->fatal = 1;
		return;
	}
	c->steps--;
	declared_type(ta, c->old_doc, o, 0);
	declared_type(tb, c->new_doc, n, 0);
	o = main_branch(c->old_doc, o);
	n = main_branch(c->new_doc, n);
	if (o == NULL || n == NULL)
		return;
	if (strcmp(ta, tb) != 0)
		diff_emit(c, area, "type-changed", subject, ta[0] ? ta : "any", tb[0] ? tb : "any",
		    type_severity(dir, ta, tb));
	compare_enum(c, dir, area, subject, o, n);
	compare_bound(c, dir, area, subject, o, n, "minimum", false);
	compare_bound(c, dir, area, subject, o, n, "maximum", true);
	compare_bound(c, dir, area, subject, o, n, "minLength", false);
	compare_bound(c, dir, area, subject, o, n, "maxLength", true);
	compare_strings(c, area, "pattern-changed", subject, pattern_of(o), pattern_of(n),
	    dir == DIFF_IN ? PVECG_DIFF_POTENTIAL : PVECG_DIFF_SAFE, PVECG_DIFF_SAFE);
	compare_strings(c, area, "format-changed", subject, pvecg_json_str(o, "format"),
	    pvecg_json_str(n, "format"), dir == DIFF_IN ? PVECG_DIFF_POTENTIAL : PVECG_DIFF_SAFE,
	    PVECG_DIFF_SAFE);
	compare_default(c, dir, area, subject, o, n);
	compare_property_string(c, dir, subject, o, n, depth);
	if (has_members(o) && has_members(n))
		compare_members(c, dir, area, subject, o, n, depth);
	ia = pvecg_json_get(o, "items");
	ib = pvecg_json_get(n, "items");
	if (cJSON_IsObject(ia) && cJSON_IsObject(ib))
		diff_compare_schema(
		    c, dir, area, sub_prefix(sub, sizeof(sub), subject, "[]"), ia, ib, depth + 1);
}

/* ------------------------------------------------------------------ */
/* Members                                                              */

static void
member_gone_or_new(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const struct diff_field *m, bool added)
{
	pvecg_diff_severity sev;

	if (added)
		/* A new member a client must send breaks every existing call. */
		sev = dir == DIFF_IN && m->required ? PVECG_DIFF_BREAKING : PVECG_DIFF_SAFE;
	else
		/* Proxmox refuses parameters it does not know; readers lose data. */
		sev = PVECG_DIFF_BREAKING;
	diff_emit(c, area, added ? "added" : "removed", subject, NULL, NULL, sev);
}

static void
compare_member(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *subject,
    const struct diff_field *a, const struct diff_field *b, int depth)
{
	char at[32], bt[32];

	if (a->required != b->required)
		diff_emit(c, area, b->required ? "made-required" : "made-optional", subject, NULL,
		    NULL,
		    dir == DIFF_IN ? (b->required ? PVECG_DIFF_BREAKING : PVECG_DIFF_SAFE)
		                   : (b->required ? PVECG_DIFF_SAFE : PVECG_DIFF_POTENTIAL));
	if (a->family && b->family && a->max >= 0 && b->max >= 0 && a->max != b->max) {
		snprintf(at, sizeof(at), "%ld", a->max);
		snprintf(bt, sizeof(bt), "%ld", b->max);
		diff_emit(c, area, "index-max-changed", subject, at, bt,
		    dir == DIFF_IN ? (b->max < a->max ? PVECG_DIFF_BREAKING : PVECG_DIFF_SAFE)
		                   : (b->max > a->max ? PVECG_DIFF_POTENTIAL : PVECG_DIFF_SAFE));
	}
	if (a->in && b->in && strcmp(a->in, b->in) != 0)
		diff_emit(c, area, "location-changed", subject, a->in, b->in, PVECG_DIFF_BREAKING);
	diff_compare_schema(c, dir, area, subject, a->schema, b->schema, depth);
}

void
diff_compare_fields(struct diff_ctx *c, enum diff_dir dir, const char *area, const char *prefix,
    const struct diff_fields *o, const struct diff_fields *n, int depth, struct diff_counts *counts)
{
	size_t i = 0, j = 0;
	char sub[DIFF_SUBJECT_MAX];

	while ((i < o->n || j < n->n) && !c->fatal) {
		int cmp = i == o->n ? 1 : j == n->n ? -1 : strcmp(o->v[i].name, n->v[j].name);

		if (cmp < 0) {
			member_gone_or_new(c, dir, area,
			    sub_prefix(sub, sizeof(sub), prefix, o->v[i].name), &o->v[i], false);
			if (counts)
				counts->removed++;
			i++;
		} else if (cmp > 0) {
			member_gone_or_new(c, dir, area,
			    sub_prefix(sub, sizeof(sub), prefix, n->v[j].name), &n->v[j], true);
			if (counts)
				counts->added++;
			j++;
		} else {
			size_t before = c->d->n;

			compare_member(c, dir, area,
			    sub_prefix(sub, sizeof(sub), prefix, o->v[i].name), &o->v[i], &n->v[j],
			    depth);
			if (counts && c->d->n != before)
				counts->changed++;
			i++;
			j++;
		}
	}
}
