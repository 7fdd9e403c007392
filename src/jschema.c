/* jschema: the JSON Schema 2020-12 subset our schemas/ need (see the header).
 * The validator walks schema and instance together, keeps the instance's
 * JSON path in a buffer and reports every violation, not only the first. */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/regex.h"

#define MAX_DEPTH 256

struct re_entry {
	const cJSON *node; /* the "pattern" string or the patternProperties key's value */
	const char *src;
	regex_t re;
};

struct vctx {
	const cJSON *root;
	size_t nfail, max_fail, reported;
	pvecg_jschema_fail_fn fail;
	void *fail_ctx;
	pvecg_error *err;
	int rc;    /* first schema problem; stops the walk */
	int quiet; /* > 0 inside anyOf/oneOf branches: count only */
	int depth;
	pvecg_buf path;
	struct re_entry *res;
	size_t nres, capres;
};

static size_t validate(struct vctx *v, const cJSON *schema, const cJSON *inst);

static int
schema_error(struct vctx *v, const char *fmt, const char *arg)
{
	if (v->rc == 0)
		v->rc = pvecg_error_set(v->err, PVECG_EINPUT, "schema", fmt, arg);
	return v->rc;
}

static size_t
bad_schema(struct vctx *v, const char *fmt, const char *arg)
{
	schema_error(v, fmt, arg);
	return 0;
}

static size_t
failf(struct vctx *v, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	if (v->quiet > 0)
		return 1;
	v->nfail++;
	if (v->fail != NULL && (v->max_fail == 0 || v->reported < v->max_fail)) {
		snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
		v->fail(v->fail_ctx, v->path.data ? v->path.data : "$", msg);
		v->reported++;
	}
	return 1;
}

/* Path segments: .key for plain names, ["key"] otherwise, [i] for items.
 * Built with plain appends: this runs for every member and item checked. */
static size_t
push_key(struct vctx *v, const char *key)
{
	size_t mark = v->path.len, len;
	const char *p = key;
	int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_';
	int bad;

	for (; plain && *p; p++)
		plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
	len = strlen(key);
	if (plain)
		bad = pvecg_buf_append(&v->path, ".", 1) != 0 ||
		    pvecg_buf_append(&v->path, key, len) != 0;
	else
		bad = pvecg_buf_append(&v->path, "[\"", 2) != 0 ||
		    pvecg_buf_append(&v->path, key, len) != 0 ||
		    pvecg_buf_append(&v->path, "\"]", 2) != 0;
	if (bad && v->rc == 0)
		v->rc = pvecg_error_set(v->err, PVECG_ENOMEM, "schema", "out of memory");
	return mark;
}

static size_t
push_index(struct vctx *v, size_t i)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	size_t mark = v->path.len;

	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	*--p = '[';
	if (pvecg_buf_append(&v->path, p, (size_t)(tmp + sizeof(tmp) - p)) != 0 && v->rc == 0)
		v->rc = pvecg_error_set(v->err, PVECG_ENOMEM, "schema", "out of memory");
	return mark;
}

static void
pop(struct vctx *v, size_t mark)
{
	if (v->path.data != NULL) {
		v->path.len = mark;
		v->path.data[mark] = '\0';
	}
}

static const regex_t *
get_regex(struct vctx *v, const cJSON *node, const char *src)
{
	pvecg_buf tr = PVECG_BUF_INIT;
	struct re_entry *e;
	const char *reason;
	size_t i;
	int rc;

	for (i = 0; i < v->nres; i++)
		if (v->res[i].node == node && v->res[i].src == src)
			return &v->res[i].re;
	if (v->nres == v->capres) {
		size_t cap = v->capres ? v->capres * 2 : 16;
		struct re_entry *n = realloc(v->res, cap * sizeof(*n));

		if (n == NULL) {
			schema_error(v, "out of memory%s", "");
			return NULL;
		}
		v->res = n;
		v->capres = cap;
	}
	rc = pvecg_regex_to_ere(&tr, src, PVECG_REGEX_SEARCH | PVECG_REGEX_UTF8, &reason);
	if (rc != 0) {
		pvecg_buf_free(&tr);
		if (rc == 1)
			schema_error(v, "pattern has no POSIX ERE form: %s", src);
		else
			schema_error(v, "out of memory%s", "");
		return NULL;
	}
	e = &v->res[v->nres];
	if (regcomp(&e->re, tr.data, REG_EXTENDED | REG_NOSUB) != 0) {
		pvecg_buf_free(&tr);
		schema_error(v, "pattern does not compile: %s", src);
		return NULL;
	}
	pvecg_buf_free(&tr);
	e->node = node;
	e->src = src;
	v->nres++;
	return &e->re;
}

static int
regex_matches(struct vctx *v, const cJSON *node, const char *src, const char *s)
{
	const regex_t *re = get_regex(v, node, src);

	return re != NULL && regexec(re, s, 0, NULL, 0) == 0;
}

static const char *
type_of(const cJSON *inst)
{
	if (cJSON_IsNull(inst))
		return "null";
	if (cJSON_IsBool(inst))
		return "boolean";
	if (cJSON_IsNumber(inst))
		return "number";
	if (cJSON_IsString(inst))
		return "string";
	if (cJSON_IsArray(inst))
		return "array";
	return "object";
}

static int
type_matches(const char *name, const cJSON *inst)
{
	const char *t = type_of(inst);

	if (strcmp(name, "integer") == 0)
		return cJSON_IsNumber(inst) && isfinite(inst->valuedouble) &&
		    floor(inst->valuedouble) == inst->valuedouble;
	return strcmp(name, t) == 0;
}

static size_t
check_type(struct vctx *v, const cJSON *kw, const cJSON *inst)
{
	const cJSON *t;
	char want[256] = "";

	if (cJSON_IsString(kw))
		return type_matches(kw->valuestring, inst)
		    ? 0
		    : failf(v, "expected %s, got %s", kw->valuestring, type_of(inst));
	if (!cJSON_IsArray(kw))
		return bad_schema(v, "\"type\" must be a string or an array%s", "");
	cJSON_ArrayForEach(t, kw) {
		if (!cJSON_IsString(t))
			return bad_schema(v, "\"type\" entries must be strings%s", "");
		if (type_matches(t->valuestring, inst))
			return 0;
		if (want[0] != '\0')
			strncat(want, "|", sizeof(want) - strlen(want) - 1);
		strncat(want, t->valuestring, sizeof(want) - strlen(want) - 1);
	}
	return failf(v, "expected %s, got %s", want, type_of(inst));
}

static size_t
check_object(struct vctx *v, const cJSON *schema, const cJSON *inst)
{
	const cJSON *props = pvecg_json_get(schema, "properties");
	const cJSON *pats = pvecg_json_get(schema, "patternProperties");
	const cJSON *addl = pvecg_json_get(schema, "additionalProperties");
	const cJSON *req = pvecg_json_get(schema, "required");
	const cJSON *m, *r;
	size_t n = 0;

	if (!cJSON_IsObject(inst))
		return 0;
	cJSON_ArrayForEach(r, req) {
		if (!cJSON_IsString(r))
			return bad_schema(v, "\"required\" entries must be strings%s", "");
		if (!cJSON_HasObjectItem(inst, r->valuestring))
			n += failf(v, "missing required member \"%s\"%s", r->valuestring, "");
	}
	cJSON_ArrayForEach(m, inst) {
		const cJSON *ps = props ? pvecg_json_get(props, m->string) : NULL;
		const cJSON *pp;
		int matched = ps != NULL;
		size_t mark;

		mark = push_key(v, m->string);
		if (ps != NULL)
			n += validate(v, ps, m);
		cJSON_ArrayForEach(pp, pats) {
			if (regex_matches(v, pp, pp->string, m->string)) {
				matched = 1;
				n += validate(v, pp, m);
			}
		}
		if (!matched && addl != NULL) {
			if (cJSON_IsFalse(addl))
				n += failf(v, "unexpected member%s%s", "", "");
			else
				n += validate(v, addl, m);
		}
		pop(v, mark);
		if (v->rc != 0)
			break;
	}
	return n;
}

static size_t
check_array(struct vctx *v, const cJSON *schema, const cJSON *inst)
{
	const cJSON *items = pvecg_json_get(schema, "items");
	const cJSON *prefix = pvecg_json_get(schema, "prefixItems");
	const cJSON *e;
	size_t n = 0, i = 0, nprefix = (size_t)cJSON_GetArraySize(prefix);

	if (!cJSON_IsArray(inst))
		return 0;
	cJSON_ArrayForEach(e, inst) {
		const cJSON *s = i < nprefix ? cJSON_GetArrayItem(prefix, (int)i) : items;
		size_t mark;

		if (s != NULL) {
			mark = push_index(v, i);
			n += validate(v, s, e);
			pop(v, mark);
		}
		if (v->rc != 0)
			break;
		i++;
	}
	return n;
}

/* Code points, not bytes, as JSON Schema counts them. */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static size_t
check_limits(struct vctx *v, const char *key, const cJSON *kw, const cJSON *inst)
{
	double lim, val;
	char a[64], b[64];
	int is_min = strncmp(key, "min", 3) == 0;

	if (!cJSON_IsNumber(kw))
		return bad_schema(v, "\"%s\" must be a number", key);
	lim = kw->valuedouble;
	if (strcmp(key, "minimum") == 0 || strcmp(key, "maximum") == 0) {
		if (!cJSON_IsNumber(inst))
			return 0;
		val = inst->valuedouble;
	} else if (strcmp(key, "minLength") == 0 || strcmp(key, "maxLength") == 0) {
		if (!cJSON_IsString(inst))
			return 0;
		val = (double)utf8_len(inst->valuestring);
	} else {
		if (!cJSON_IsArray(inst))
			return 0;
		val = (double)cJSON_GetArraySize(inst);
	}
	if (is_min ? val >= lim : val <= lim)
		return 0;
	snprintf(a, sizeof(a), "%g", val);
	snprintf(b, sizeof(b), "%s %g", key, lim);
	return failf(v, "%s violates %s", a, b);
}

static size_t
check_enum(struct vctx *v, const cJSON *kw, const cJSON *inst)
{
	const cJSON *e;

	if (!cJSON_IsArray(kw))
		return bad_schema(v, "\"enum\" must be an array%s", "");
	cJSON_ArrayForEach(e, kw)
		if (cJSON_Compare(e, inst, 1))
			return 0;
	return failf(v, "value is not one of the enum values%s%s", "", "");
}

static size_t
check_combinator(struct vctx *v, const char *key, const cJSON *kw, const cJSON *inst)
{
	const cJSON *s;
	size_t ok = 0, n = 0;

	if (!cJSON_IsArray(kw) || cJSON_GetArraySize(kw) == 0)
		return bad_schema(v, "\"%s\" must be a non-empty array", key);
	if (strcmp(key, "allOf") == 0) {
		cJSON_ArrayForEach(s, kw)
			n += validate(v, s, inst);
		return n;
	}
	v->quiet++;
	cJSON_ArrayForEach(s, kw)
		if (validate(v, s, inst) == 0)
			ok++;
	v->quiet--;
	if (strcmp(key, "anyOf") == 0 && ok == 0)
		return failf(v, "matches none of the anyOf schemas%s%s", "", "");
	if (strcmp(key, "oneOf") == 0 && ok != 1)
		return failf(v,
		    ok == 0 ? "matches none of the oneOf schemas%s%s"
		            : "matches more than one of the oneOf schemas%s%s",
		    "", "");
	return 0;
}

/* Local JSON pointer: "#", "#/$defs/name" (~0, ~1 unescaped). */
static const cJSON *
bad_ref(struct vctx *v, const char *why, const char *ref)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s: %%s", why);
	schema_error(v, fmt, ref);
	return NULL;
}

static const cJSON *
resolve_ref(struct vctx *v, const char *ref)
{
	const cJSON *cur = v->root;
	char seg[256];
	const char *p;

	if (ref[0] != '#' || (ref[1] != '\0' && ref[1] != '/'))
		return bad_ref(v, "only local $ref is supported", ref);
	p = ref + 1;
	while (*p == '/') {
		size_t n = 0;

		for (p++; *p && *p != '/'; p++) {
			char c = *p;

			if (c == '~' && (p[1] == '0' || p[1] == '1'))
				c = *++p == '0' ? '~' : '/';
			if (n + 1 >= sizeof(seg))
				return bad_ref(v, "$ref segment too long", ref);
			seg[n++] = c;
		}
		seg[n] = '\0';
		cur = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(seg))
		                         : pvecg_json_get(cur, seg);
		if (cur == NULL)
			return bad_ref(v, "$ref does not resolve", ref);
	}
	return cur;
}

/* What a keyword does; found once per keyword by keyword_of. */
enum kw {
	KW_UNKNOWN,
	KW_ANNOTATION,
	KW_TYPE,
	KW_OBJECT,
	KW_ARRAY,
	KW_ENUM,
	KW_CONST,
	KW_LIMIT,
	KW_PATTERN,
	KW_COMBINATOR,
	KW_REF
};

static const struct {
	const char *name;
	enum kw kind;
} keywords[] = {
	{ "$schema", KW_ANNOTATION },
	{ "$id", KW_ANNOTATION },
	{ "$comment", KW_ANNOTATION },
	{ "$defs", KW_ANNOTATION },
	{ "title", KW_ANNOTATION },
	{ "description", KW_ANNOTATION },
	{ "default", KW_ANNOTATION },
	{ "examples", KW_ANNOTATION },
	{ "readOnly", KW_ANNOTATION },
	{ "writeOnly", KW_ANNOTATION },
	{ "deprecated", KW_ANNOTATION },
	{ "type", KW_TYPE },
	/* applied together by check_object / check_array */
	{ "properties", KW_OBJECT },
	{ "patternProperties", KW_OBJECT },
	{ "additionalProperties", KW_OBJECT },
	{ "required", KW_OBJECT },
	{ "items", KW_ARRAY },
	{ "prefixItems", KW_ARRAY },
	{ "enum", KW_ENUM },
	{ "const", KW_CONST },
	{ "minimum", KW_LIMIT },
	{ "maximum", KW_LIMIT },
	{ "minLength", KW_LIMIT },
	{ "maxLength", KW_LIMIT },
	{ "minItems", KW_LIMIT },
	{ "maxItems", KW_LIMIT },
	{ "pattern", KW_PATTERN },
	{ "anyOf", KW_COMBINATOR },
	{ "oneOf", KW_COMBINATOR },
	{ "allOf", KW_COMBINATOR },
	{ "$ref", KW_REF },
};

/* The first byte rules out almost every name before strcmp runs. */
static enum kw
keyword_of(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].name[0] == k[0] && strcmp(keywords[i].name, k) == 0)
			return keywords[i].kind;
	return KW_UNKNOWN;
}

static size_t
apply_keyword(struct vctx *v, enum kw kind, const cJSON *kw, const cJSON *inst)
{
	const char *k = kw->string;

	switch (kind) {
	case KW_ANNOTATION:
	case KW_OBJECT:
	case KW_ARRAY: return 0;
	case KW_TYPE: return check_type(v, kw, inst);
	case KW_ENUM: return check_enum(v, kw, inst);
	case KW_CONST:
		return cJSON_Compare(kw, inst, 1)
		    ? 0
		    : failf(v, "value is not the required constant%s%s", "", "");
	case KW_LIMIT: return check_limits(v, k, kw, inst);
	case KW_PATTERN:
		if (!cJSON_IsString(kw))
			return bad_schema(v, "\"pattern\" must be a string%s", "");
		if (!cJSON_IsString(inst) ||
		    regex_matches(v, kw, kw->valuestring, inst->valuestring))
			return 0;
		return v->rc != 0 ? 0
		                  : failf(v, "does not match pattern %s%s", kw->valuestring, "");
	case KW_COMBINATOR: return check_combinator(v, k, kw, inst);
	case KW_REF: {
		const cJSON *target;

		if (!cJSON_IsString(kw))
			return bad_schema(v, "\"$ref\" must be a string%s", "");
		target = resolve_ref(v, kw->valuestring);
		return target != NULL ? validate(v, target, inst) : 0;
	}
	case KW_UNKNOWN: break;
	}
	return bad_schema(v, "unsupported keyword \"%s\"", k);
}

static size_t
validate(struct vctx *v, const cJSON *schema, const cJSON *inst)
{
	const cJSON *kw;
	size_t n = 0;
	int object = 0, array = 0;

	if (v->rc != 0)
		return 0;
	if (cJSON_IsBool(schema))
		return cJSON_IsTrue(schema) ? 0 : failf(v, "no value is allowed here%s%s", "", "");
	if (!cJSON_IsObject(schema))
		return bad_schema(v, "a schema must be an object or a boolean%s", "");
	if (++v->depth > MAX_DEPTH) {
		v->depth--;
		return bad_schema(v, "schema nesting too deep (a $ref loop?)%s", "");
	}
	cJSON_ArrayForEach(kw, schema) {
		enum kw kind = keyword_of(kw->string);

		object |= kind == KW_OBJECT;
		array |= kind == KW_ARRAY;
		n += apply_keyword(v, kind, kw, inst);
		if (v->rc != 0)
			break;
	}
	/* Member and item keywords interact, so they run together here. */
	if (v->rc == 0 && object)
		n += check_object(v, schema, inst);
	if (v->rc == 0 && array)
		n += check_array(v, schema, inst);
	v->depth--;
	return n;
}

int
pvecg_jschema_validate(size_t *nfail, const cJSON *schema, const cJSON *instance, size_t max_fail,
    pvecg_jschema_fail_fn fail, void *ctx, pvecg_error *err)
{
	struct vctx v;
	size_t i;

	memset(&v, 0, sizeof(v));
	v.root = schema;
	v.max_fail = max_fail;
	v.fail = fail;
	v.fail_ctx = ctx;
	v.err = err;
	*nfail = 0;
	if (pvecg_buf_puts(&v.path, "$") != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, "schema", "out of memory");
	validate(&v, schema, instance);
	for (i = 0; i < v.nres; i++)
		regfree(&v.res[i].re);
	free(v.res);
	pvecg_buf_free(&v.path);
	*nfail = v.nfail;
	return v.rc;
}
