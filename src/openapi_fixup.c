/* openapi (part): the post-pass that makes the finished document usable by
 * the common OpenAPI tools, by rules that hold for every schema in it (so
 * also for schemas other parts add later):
 *
 *  - a "default" that fails its own schema (type, enum, const, bounds,
 *    lengths, pattern; through $ref, allOf, anyOf and oneOf) moves to
 *    "x-proxmox-default"; this runs on every
 *    object of the document, x-proxmox-* copies of Proxmox schemas
 *    included, because validators and linters read those too;
 *  - an array schema without "items" gets "items": {} (any element);
 *  - an object schema with both "properties" and "patternProperties" gets an
 *    additionalProperties that generators turn into an `unknown` index
 *    signature, so typed members do not conflict with it: absent becomes
 *    true, false becomes {"not": {}}. Both mean exactly what they replace.
 *
 * Patterns are run with duktape's RegExp (the document's patterns are
 * ECMA-262). A default whose pattern cannot be checked counts as failing:
 * it stays in x-proxmox-default, so no tool sees an unverified default. */
#include <math.h>
#include <string.h>

#include <duktape.h>

#include "openapi_int.h"
#include "pvecg/error.h"
#include "pvecg/json.h"

#define FIXUP_MAX_DEPTH 256
#define PATTERN_INPUT_MAX 1024

struct fixup {
	const cJSON *doc; /* to resolve "#/components/schemas/..." */
	duk_context *duk; /* created on the first pattern check */
	int duk_failed;
};

static int
has_type(const cJSON *v, const char *t)
{
	if (!strcmp(t, "string"))
		return cJSON_IsString(v);
	if (!strcmp(t, "number"))
		return cJSON_IsNumber(v);
	if (!strcmp(t, "integer"))
		return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
		    v->valuedouble == floor(v->valuedouble);
	if (!strcmp(t, "boolean"))
		return cJSON_IsBool(v);
	if (!strcmp(t, "object"))
		return cJSON_IsObject(v);
	if (!strcmp(t, "array"))
		return cJSON_IsArray(v);
	return cJSON_IsNull(v);
}

/* 1 fits, 0 does not; only JSON type names count (Proxmox "any" says nothing). */
static int
type_fits(const cJSON *type, const cJSON *v)
{
	const cJSON *t;
	int known = 0;

	if (cJSON_IsString(type))
		return !openapi_is_json_type(type->valuestring) || has_type(v, type->valuestring);
	if (!cJSON_IsArray(type))
		return 1;
	cJSON_ArrayForEach(t, type) {
		if (!cJSON_IsString(t) || !openapi_is_json_type(t->valuestring))
			continue;
		known = 1;
		if (has_type(v, t->valuestring))
			return 1;
	}
	return !known;
}

static size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static duk_ret_t
regex_test(duk_context *ctx, void *udata)
{
	(void)udata;
	/* stack: pattern, input */
	duk_get_global_string(ctx, "RegExp");
	duk_dup(ctx, 0);
	duk_new(ctx, 1);
	duk_push_string(ctx, "test");
	duk_dup(ctx, 1);
	duk_call_prop(ctx, -3, 1);
	return 1;
}

/* 1 matches, 0 does not or cannot be checked. */
static int
pattern_matches(struct fixup *f, const char *pattern, const char *s)
{
	int ok;

	if (strlen(s) > PATTERN_INPUT_MAX || f->duk_failed)
		return 0;
	if (!f->duk && !(f->duk = duk_create_heap_default())) {
		f->duk_failed = 1;
		return 0;
	}
	duk_push_string(f->duk, pattern);
	duk_push_string(f->duk, s);
	ok = duk_safe_call(f->duk, regex_test, NULL, 2, 1) == DUK_EXEC_SUCCESS &&
	    duk_get_boolean(f->duk, -1);
	duk_pop(f->duk);
	return ok;
}

static int
number_fits(const cJSON *s, const cJSON *v)
{
	const cJSON *k;
	double x = v->valuedouble;

	if ((k = pvecg_json_get(s, "minimum")) && cJSON_IsNumber(k) && x < k->valuedouble)
		return 0;
	if ((k = pvecg_json_get(s, "maximum")) && cJSON_IsNumber(k) && x > k->valuedouble)
		return 0;
	if ((k = pvecg_json_get(s, "exclusiveMinimum")) && cJSON_IsNumber(k) && x <= k->valuedouble)
		return 0;
	if ((k = pvecg_json_get(s, "exclusiveMaximum")) && cJSON_IsNumber(k) && x >= k->valuedouble)
		return 0;
	return 1;
}

static int
string_fits(struct fixup *f, const cJSON *s, const cJSON *v)
{
	const cJSON *k;
	size_t n = utf8_length(v->valuestring);

	if ((k = pvecg_json_get(s, "minLength")) && cJSON_IsNumber(k) && (double)n < k->valuedouble)
		return 0;
	if ((k = pvecg_json_get(s, "maxLength")) && cJSON_IsNumber(k) && (double)n > k->valuedouble)
		return 0;
	if ((k = pvecg_json_get(s, "pattern")) && cJSON_IsString(k) &&
	    !pattern_matches(f, k->valuestring, v->valuestring))
		return 0;
	return 1;
}

static int
in_enum(const cJSON *e, const cJSON *v)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, e)
		if (cJSON_Compare(m, v, 1))
			return 1;
	return 0;
}

static int default_fits(struct fixup *f, const cJSON *s, const cJSON *v, int depth);

/* A local component reference, or NULL. */
static const cJSON *
resolve(const struct fixup *f, const cJSON *ref)
{
	static const char prefix[] = "#/components/schemas/";

	if (!cJSON_IsString(ref) || strncmp(ref->valuestring, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	return pvecg_json_get(pvecg_json_get(pvecg_json_get(f->doc, "components"), "schemas"),
	    ref->valuestring + sizeof(prefix) - 1);
}

/* anyOf/oneOf: some branch fits (enough for a default); allOf: every one. */
static int
branches_fit(struct fixup *f, const cJSON *s, const cJSON *v, int depth)
{
	const cJSON *b, *k;
	int any;

	if ((k = pvecg_json_get(s, "allOf")) && cJSON_IsArray(k))
		cJSON_ArrayForEach(b, k)
			if (!default_fits(f, b, v, depth + 1))
				return 0;
	for (any = 0; any < 2; any++) {
		int seen = 0;

		k = pvecg_json_get(s, any ? "anyOf" : "oneOf");
		if (!cJSON_IsArray(k))
			continue;
		cJSON_ArrayForEach(b, k) {
			seen = 1;
			if (default_fits(f, b, v, depth + 1))
				break;
		}
		if (seen && !b)
			return 0;
	}
	return 1;
}

/* Does value v satisfy the keywords of schema s that apply to it alone
 * (composition and local $ref followed)? An unresolvable $ref or a schema
 * nested too deeply counts as not fitting. */
static int
default_fits(struct fixup *f, const cJSON *s, const cJSON *v, int depth)
{
	const cJSON *k;

	if (!cJSON_IsObject(s))
		return cJSON_IsTrue(s);
	if (depth > 16)
		return 0;
	if ((k = pvecg_json_get(s, "$ref")) && !default_fits(f, resolve(f, k), v, depth + 1))
		return 0;
	if (!branches_fit(f, s, v, depth))
		return 0;
	if (!type_fits(pvecg_json_get(s, "type"), v))
		return 0;
	if ((k = pvecg_json_get(s, "enum")) && cJSON_IsArray(k) && !in_enum(k, v))
		return 0;
	if ((k = pvecg_json_get(s, "const")) && !cJSON_Compare(k, v, 1))
		return 0;
	if (cJSON_IsNumber(v) && !number_fits(s, v))
		return 0;
	if (cJSON_IsString(v) && !string_fits(f, s, v))
		return 0;
	return 1;
}

PVECG_NODISCARD static int
move_default(cJSON *s)
{
	cJSON *d = cJSON_DetachItemFromObjectCaseSensitive(s, "default");

	if (!d)
		return 0;
	if (pvecg_json_get(s, "x-proxmox-default")) {
		cJSON_Delete(d); /* the original is there already */
		return 0;
	}
	if (!cJSON_AddItemToObject(s, "x-proxmox-default", d)) {
		cJSON_Delete(d);
		return PVECG_ENOMEM;
	}
	return 0;
}

/* True when s's type is t, or a list of types that holds t (the wire forms
 * of a response, e.g. ["array", "null"]). */
static int
is_type(const cJSON *s, const char *t)
{
	const cJSON *type = pvecg_json_get(s, "type"), *e;

	if (cJSON_IsString(type))
		return strcmp(type->valuestring, t) == 0;
	if (!cJSON_IsArray(type))
		return 0;
	cJSON_ArrayForEach(e, type)
		if (cJSON_IsString(e) && strcmp(e->valuestring, t) == 0)
			return 1;
	return 0;
}

PVECG_NODISCARD static int
set_key(cJSON *s, const char *key, cJSON *v)
{
	if (!v)
		return PVECG_ENOMEM;
	if (pvecg_json_get(s, key)) {
		if (!cJSON_ReplaceItemInObjectCaseSensitive(s, key, v)) {
			cJSON_Delete(v);
			return PVECG_ENOMEM;
		}
		return 0;
	}
	if (!cJSON_AddItemToObject(s, key, v)) {
		cJSON_Delete(v);
		return PVECG_ENOMEM;
	}
	return 0;
}

/* Named members beside an index signature: widen the signature to unknown
 * without changing what validates. */
PVECG_NODISCARD static int
widen_index(cJSON *s)
{
	const cJSON *props = pvecg_json_get(s, "properties");
	const cJSON *pats = pvecg_json_get(s, "patternProperties");
	const cJSON *ap = pvecg_json_get(s, "additionalProperties");
	cJSON * not ;

	if (!cJSON_IsObject(props) || !props->child || !cJSON_IsObject(pats) || !pats->child)
		return 0;
	if (!ap)
		return set_key(s, "additionalProperties", cJSON_CreateTrue());
	if (!cJSON_IsFalse(ap))
		return 0;
	if (!(not = cJSON_CreateObject()) ||
	    !cJSON_AddItemToObject(not, "not", cJSON_CreateObject())) {
		cJSON_Delete(not );
		return PVECG_ENOMEM;
	}
	return set_key(s, "additionalProperties", not );
}

/* in_schema: s sits where a schema is expected (not inside x-* copies of
 * Proxmox schemas, which keep their own shape apart from defaults). */
PVECG_NODISCARD static int
fix_object(struct fixup *f, cJSON *s, int in_schema)
{
	const cJSON *d = pvecg_json_get(s, "default");
	int rc;

	if (d && !default_fits(f, s, d, 0) && (rc = move_default(s)) != 0)
		return rc;
	if (!in_schema)
		return 0;
	if (is_type(s, "array") && !pvecg_json_get(s, "items") &&
	    !pvecg_json_get(s, "prefixItems") &&
	    (rc = set_key(s, "items", cJSON_CreateObject())) != 0)
		return rc;
	return widen_index(s);
}

PVECG_NODISCARD static int
walk(struct fixup *f, cJSON *node, int in_schema, int depth)
{
	cJSON *c;
	int rc;

	if (depth > FIXUP_MAX_DEPTH)
		return PVECG_EINPUT;
	if (cJSON_IsObject(node) && (rc = fix_object(f, node, in_schema)) != 0)
		return rc;
	for (c = node->child; c; c = c->next) {
		int sub = in_schema && !(c->string && strncmp(c->string, "x-", 2) == 0);

		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
		    (rc = walk(f, c, sub, depth + 1)) != 0)
			return rc;
	}
	return 0;
}

int
pvecg_openapi_fixup(cJSON *doc)
{
	struct fixup f = { doc, NULL, 0 };
	int rc;

	rc = walk(&f, doc, 1, 0);
	if (f.duk)
		duk_destroy_heap(f.duk);
	return rc;
}
