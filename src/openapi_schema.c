/* openapi_schema: one Proxmox schema -> one JSON Schema 2020-12 object.
 *
 * Proxmox-only information never gets lost: any schema key without a JSON
 * Schema meaning is kept as "x-proxmox-<key>" with its value verbatim.
 * openapi.c describes the decisions (optional -> required, type "any",
 * keywords that do not apply to the type, patterns). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/openapi.h"
#include "pvecg/regex.h"
#include "openapi_int.h"

#define SCHEMA_MAX_DEPTH 64

static const char *const json_types[] = {
	"string",
	"integer",
	"number",
	"boolean",
	"object",
	"array",
	"null",
};

int
openapi_is_json_type(const char *t)
{
	size_t i;

	for (i = 0; t && i < sizeof(json_types) / sizeof(json_types[0]); i++)
		if (strcmp(t, json_types[i]) == 0)
			return 1;
	return 0;
}

/* ---- value coercion: Proxmox values -> the JSON type of the schema ----- */

/* 1: *out made; 0: the value does not fit the type; <0: no memory. */
PVECG_NODISCARD static int
coerce(cJSON **out, const cJSON *v, const char *type)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	char *end;
	double d;

	*out = NULL;
	if (!type) {
		*out = cJSON_Duplicate(v, 1);
		return *out ? 1 : PVECG_ENOMEM;
	}
	if (strcmp(type, "boolean") == 0) {
		int b = -1;

		if (cJSON_IsBool(v))
			b = cJSON_IsTrue(v);
		else if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1))
			b = v->valuedouble == 1;
		else if (s &&
		    (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes") ||
		        !strcmp(s, "on")))
			b = 1;
		else if (s &&
		    (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no") ||
		        !strcmp(s, "off")))
			b = 0;
		if (b < 0)
			return 0;
		*out = cJSON_CreateBool(b);
		return *out ? 1 : PVECG_ENOMEM;
	}
	if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
		int integer = type[0] == 'i';

		if (cJSON_IsNumber(v))
			d = v->valuedouble;
		else if (s && *s && !isspace((unsigned char)*s)) {
			d = strtod(s, &end);
			if (*end != '\0')
				return 0;
		} else
			return 0;
		if (!isfinite(d) || (integer && (floor(d) != d || fabs(d) >= 9007199254740992.0)))
			return 0;
		*out = cJSON_CreateNumber(d);
		return *out ? 1 : PVECG_ENOMEM;
	}
	if (strcmp(type, "string") == 0) {
		pvecg_buf b = PVECG_BUF_INIT;

		if (s) {
			*out = cJSON_CreateString(s);
			return *out ? 1 : PVECG_ENOMEM;
		}
		if (!cJSON_IsNumber(v))
			return 0;
		if (pvecg_json_number(&b, v->valuedouble) != 0) {
			pvecg_buf_free(&b);
			return PVECG_ENOMEM;
		}
		*out = cJSON_CreateString(b.data);
		pvecg_buf_free(&b);
		return *out ? 1 : PVECG_ENOMEM;
	}
	if ((strcmp(type, "null") == 0 && cJSON_IsNull(v)) ||
	    (strcmp(type, "object") == 0 && cJSON_IsObject(v)) ||
	    (strcmp(type, "array") == 0 && cJSON_IsArray(v))) {
		*out = cJSON_Duplicate(v, 1);
		return *out ? 1 : PVECG_ENOMEM;
	}
	return 0;
}

/* A value kept as `key` when it fits the type, else as x-proxmox-<key>. */
PVECG_NODISCARD static int
put_coerced(cJSON *dst, const char *key, const cJSON *v, const char *type)
{
	cJSON *c;
	int rc = coerce(&c, v, type);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return put_x(dst, key, v);
	return pvecg_json_put(dst, key, c);
}

PVECG_NODISCARD static int
put_enum(cJSON *dst, const cJSON *v, const char *type)
{
	cJSON *arr, *item, *c;
	int rc;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
		return put_x(dst, "enum", v);
	if (!(arr = cJSON_CreateArray()))
		return PVECG_ENOMEM;
	cJSON_ArrayForEach(item, v) {
		rc = coerce(&c, item, type);
		if (rc <= 0) {
			cJSON_Delete(arr);
			return rc < 0 ? rc : put_x(dst, "enum", v);
		}
		if ((rc = pvecg_json_push(arr, c)) != 0) {
			cJSON_Delete(arr);
			return rc;
		}
	}
	return pvecg_json_put_cs(dst, "enum", arr);
}

/* minimum and maximum: numbers; lengths and item counts: non-negative integers. */
PVECG_NODISCARD static int
put_bound(cJSON *dst, const char *key, const cJSON *v, int count)
{
	cJSON *c;
	int rc = coerce(&c, v, count ? "integer" : "number");

	if (rc < 0)
		return rc;
	if (rc == 1 && count && c->valuedouble < 0) {
		cJSON_Delete(c);
		rc = 0;
	}
	if (rc == 0)
		return put_x(dst, key, v);
	return pvecg_json_put(dst, key, c);
}

PVECG_NODISCARD static int
put_pattern(cJSON *dst, const cJSON *v)
{
	char *ecma = NULL;
	int rc;

	if (!cJSON_IsString(v))
		return put_x(dst, "pattern", v);
	rc = pvecg_regex_to_ecma(&ecma, v->valuestring);
	if (rc == PVECG_EINPUT)
		return put_x(dst, "pattern", v); /* no safe ECMA form: keep it only here */
	if (rc != 0)
		return rc;
	rc = put_str(dst, "pattern", ecma);
	if (rc == 0 && strcmp(ecma, v->valuestring) != 0)
		rc = put_x(dst, "pattern", v);
	free(ecma);
	return rc;
}

/* ---- schemas ------------------------------------------------------------- */

static int
ends_indexed(const char *name, size_t *base_len)
{
	size_t n = strlen(name);

	if (n < 4 || strcmp(name + n - 3, "[n]") != 0)
		return 0;
	*base_len = n - 3;
	return 1;
}

/* "net[n]" -> "^net\d+$" (base escaped for ECMA 'u'). */
PVECG_NODISCARD static int
indexed_key(pvecg_buf *b, const char *name, size_t base_len)
{
	size_t i;

	b->len = 0;
	if (pvecg_buf_puts(b, "^") != 0)
		return PVECG_ENOMEM;
	for (i = 0; i < base_len; i++) {
		char ch[3] = { '\\', name[i], 0 };
		const char *s = strchr("^$\\.*+?()[]{}|/", name[i]) ? ch : ch + 1;

		if (pvecg_buf_puts(b, s) != 0)
			return PVECG_ENOMEM;
	}
	return pvecg_buf_puts(b, "\\d+$") == 0 ? 0 : PVECG_ENOMEM;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted "required" array from the names whose `optional` is falsy. */
PVECG_NODISCARD static int
put_required(cJSON *dst, const char **names, size_t n)
{
	cJSON *arr;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	qsort(names, n, sizeof(*names), str_cmp);
	if (!(arr = cJSON_CreateArray()))
		return PVECG_ENOMEM;
	for (i = 0; i < n; i++) {
		if ((rc = pvecg_json_push(arr, cJSON_CreateString(names[i]))) != 0) {
			cJSON_Delete(arr);
			return rc;
		}
	}
	return pvecg_json_put_cs(dst, "required", arr);
}

PVECG_NODISCARD static int
convert_properties(struct ctx *c, cJSON *dst, const cJSON *props, int depth)
{
	cJSON *properties = NULL, *pattern = NULL, *sub;
	const cJSON *p;
	const char **req = NULL;
	size_t n_req = 0, base;
	pvecg_buf key = PVECG_BUF_INIT;
	int rc = 0;

	if (!cJSON_IsObject(props))
		return put_x(dst, "properties", props);
	req = calloc((size_t)cJSON_GetArraySize(props) + 1, sizeof(*req));
	properties = cJSON_CreateObject();
	if (!req || !properties) {
		rc = PVECG_ENOMEM;
		goto out;
	}
	cJSON_ArrayForEach(p, props) {
		int required = !pvecg_json_truthy(pvecg_json_get(p, "optional"));

		if ((rc = openapi_convert_schema(c, &sub, p, depth + 1)) != 0)
			goto out;
		if (ends_indexed(p->string, &base)) {
			/* net[n]: any number of net0, net1, ...; the maximum is not in the schema */
			if ((rc = indexed_key(&key, p->string, base)) != 0 ||
			    (!pattern && !(pattern = cJSON_CreateObject())) ||
			    (rc = put_str(sub, "x-proxmox-indexed", p->string)) != 0 ||
			    (required &&
			        (rc = pvecg_json_put_cs(
			             sub, "x-proxmox-required", cJSON_CreateTrue())) != 0)) {
				cJSON_Delete(sub);
				rc = rc ? rc : PVECG_ENOMEM;
				goto out;
			}
			if ((rc = pvecg_json_put(pattern, key.data, sub)) != 0)
				goto out;
			continue;
		}
		if ((rc = pvecg_json_put(properties, p->string, sub)) != 0)
			goto out;
		if (required)
			req[n_req++] = p->string;
	}
	if ((rc = put_required(dst, req, n_req)) != 0)
		goto out;
	rc = pvecg_json_put_cs(dst, "properties", properties);
	properties = NULL;
	if (rc == 0 && pattern) {
		rc = pvecg_json_put_cs(dst, "patternProperties", pattern);
		pattern = NULL;
	}
out:
	cJSON_Delete(properties);
	cJSON_Delete(pattern);
	pvecg_buf_free(&key);
	free(req);
	return rc;
}

static const char *
schema_type(const cJSON *src, int *keep_original)
{
	const char *t = pvecg_json_str(src, "type");

	const cJSON *props = pvecg_json_get(src, "properties");
	const cJSON *items = pvecg_json_get(src, "items");

	*keep_original = 0;
	/* "array" with properties / "object" with items: the schema contradicts
	 * itself, so no type is asserted (the declared one stays in x-proxmox-type) */
	if (t && ((!strcmp(t, "array") && props) || (!strcmp(t, "object") && items))) {
		*keep_original = 1;
		return NULL;
	}
	if (t && openapi_is_json_type(t))
		return t;
	if (pvecg_json_get(src, "type")) {
		*keep_original = 1; /* "any" and friends: no JSON Schema type */
		return NULL;
	}
	if (cJSON_IsObject(props) && !items)
		return "object";
	if (cJSON_IsObject(items) && !props)
		return "array";
	return NULL;
}

PVECG_NODISCARD static int
convert_one_of(struct ctx *c, cJSON *dst, const cJSON *v, int depth)
{
	cJSON *arr, *sub;
	const cJSON *item;
	int rc;

	if (!cJSON_IsArray(v))
		return put_x(dst, "oneOf", v);
	if (!(arr = cJSON_CreateArray()))
		return PVECG_ENOMEM;
	cJSON_ArrayForEach(item, v) {
		if ((rc = openapi_convert_schema(c, &sub, item, depth + 1)) != 0 ||
		    (rc = pvecg_json_push(arr, sub)) != 0) {
			cJSON_Delete(arr);
			return rc;
		}
	}
	return pvecg_json_put_cs(dst, "oneOf", arr);
}

/* Keys of a Proxmox schema the mapping treats specially. */
enum kw {
	KW_OTHER, /* -> x-proxmox-<key> */
	KW_SKIP,  /* type (by the caller), optional (the parent's "required") */
	KW_TEXT,  /* description, title */
	KW_PROPERTIES,
	KW_SUBSCHEMA,
	KW_ENUM,
	KW_DEFAULT,
	KW_NUMBER,  /* minimum, maximum */
	KW_LENGTH,  /* minLength, maxLength */
	KW_ITEMS_N, /* minItems, maxItems */
	KW_PATTERN,
	KW_FORMAT,
	KW_ONE_OF
};

/* A switch on the first letter: this runs for every key of every schema. */
static enum kw
keyword(const char *k)
{
	switch (k[0]) {
	case 'a': return strcmp(k, "additionalProperties") ? KW_OTHER : KW_SUBSCHEMA;
	case 'd':
		if (!strcmp(k, "description"))
			return KW_TEXT;
		return strcmp(k, "default") ? KW_OTHER : KW_DEFAULT;
	case 'e': return strcmp(k, "enum") ? KW_OTHER : KW_ENUM;
	case 'f': return strcmp(k, "format") ? KW_OTHER : KW_FORMAT;
	case 'i': return strcmp(k, "items") ? KW_OTHER : KW_SUBSCHEMA;
	case 'm':
		if (!strcmp(k, "minimum") || !strcmp(k, "maximum"))
			return KW_NUMBER;
		if (!strcmp(k, "minLength") || !strcmp(k, "maxLength"))
			return KW_LENGTH;
		if (!strcmp(k, "minItems") || !strcmp(k, "maxItems"))
			return KW_ITEMS_N;
		return KW_OTHER;
	case 'o':
		if (!strcmp(k, "optional"))
			return KW_SKIP;
		return strcmp(k, "oneOf") ? KW_OTHER : KW_ONE_OF;
	case 'p':
		if (!strcmp(k, "properties"))
			return KW_PROPERTIES;
		return strcmp(k, "pattern") ? KW_OTHER : KW_PATTERN;
	case 't':
		if (!strcmp(k, "type"))
			return KW_SKIP;
		return strcmp(k, "title") ? KW_OTHER : KW_TEXT;
	default: return KW_OTHER;
	}
}

/* Validation keywords that mean something only for some types; a Proxmox
 * schema that puts one on another type keeps it as x-proxmox-<key>. */
static int
applies(const char *type, enum kw kw)
{
	int num, str;

	if (!type)
		return 1;
	num = !strcmp(type, "integer") || !strcmp(type, "number");
	str = !strcmp(type, "string");
	switch (kw) {
	case KW_NUMBER: return num;
	case KW_LENGTH:
	case KW_PATTERN: return str;
	case KW_FORMAT: return str || num;
	case KW_ITEMS_N: return !strcmp(type, "array");
	default: return 1;
	}
}

PVECG_NODISCARD static int
convert_key(struct ctx *c, cJSON *dst, const cJSON *v, const char *type, int depth)
{
	const char *k = v->string;
	enum kw kw = keyword(k);
	cJSON *sub;
	int rc;

	if (!applies(type, kw))
		return put_x(dst, k, v);
	switch (kw) {
	case KW_SKIP: return 0;
	case KW_TEXT:
		return !cJSON_IsString(v)
		    ? put_x(dst, k, v)
		    : pvecg_json_put_cs(
		          dst, k[0] == 'd' ? "description" : "title", cJSON_Duplicate(v, 1));
	case KW_PROPERTIES: return convert_properties(c, dst, v, depth);
	case KW_SUBSCHEMA:
		if (cJSON_IsObject(v)) {
			if ((rc = openapi_convert_schema(c, &sub, v, depth + 1)) != 0)
				return rc;
			return pvecg_json_put(dst, k, sub);
		}
		if (k[0] == 'a' && (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsString(v)))
			return pvecg_json_put_cs(
			    dst, "additionalProperties", cJSON_CreateBool(pvecg_json_truthy(v)));
		return put_x(dst, k, v);
	case KW_ENUM: return put_enum(dst, v, type);
	case KW_DEFAULT: return put_coerced(dst, k, v, type);
	case KW_NUMBER: return put_bound(dst, k, v, 0);
	case KW_LENGTH:
	case KW_ITEMS_N: return put_bound(dst, k, v, 1);
	case KW_PATTERN: return put_pattern(dst, v);
	case KW_FORMAT:
		return cJSON_IsString(v) ? pvecg_json_put_cs(dst, "format", cJSON_Duplicate(v, 1))
		                         : put_x(dst, k, v);
	case KW_ONE_OF: return convert_one_of(c, dst, v, depth);
	default: return put_x(dst, k, v);
	}
}

/* One Proxmox schema -> one JSON Schema 2020-12 object (new, *out). */
int
openapi_convert_schema(struct ctx *c, cJSON **out, const cJSON *src, int depth)
{
	cJSON *dst;
	const cJSON *v;
	const char *type;
	int keep, rc = 0;

	*out = NULL;
	if (depth > SCHEMA_MAX_DEPTH)
		return fail(c, PVECG_EINPUT, "schema nested deeper than %s levels", "64");
	if (!(dst = cJSON_CreateObject()))
		return fail(c, PVECG_ENOMEM, NULL, NULL);
	if (!cJSON_IsObject(src)) {
		/* not a schema at all: say so, keep it */
		if (src && (rc = put_dup(dst, "x-proxmox-schema", src)) != 0)
			goto out;
		*out = dst;
		return 0;
	}
	type = schema_type(src, &keep);
	if (type && (rc = put_str(dst, "type", type)) != 0)
		goto out;
	if (keep && (rc = put_x(dst, "type", pvecg_json_get(src, "type"))) != 0)
		goto out;
	cJSON_ArrayForEach(v, src) {
		if (!v->string)
			continue;
		if ((rc = convert_key(c, dst, v, type, depth)) != 0)
			goto out;
	}
	*out = dst;
	return 0;
out:
	cJSON_Delete(dst);
	return rc;
}

/* Property-string keys are converted like parameters (openapi_propstr.c). */
int
pvecg_openapi_convert_schema(cJSON **out, const cJSON *src, pvecg_error *err)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.err = err;
	snprintf(c.where, sizeof(c.where), "property string format");
	return openapi_convert_schema(&c, out, src, 0);
}
