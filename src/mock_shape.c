/* mock_shape: response data shaped by the route's response schema: values
 * from the state where it has them, in the wire form the schema allows
 * (0/1 for booleans where integers are allowed, numbers from numeric
 * strings), plausible values for required members it lacks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_int.h"
#include "pvecg/json.h"

#define SHAPE_MAX_DEPTH 12

/* Values tried, in order, for a required string with a pattern. */
static const char *const string_candidates[] = {
	"mock",
	"pve",
	"local",
	"100",
	"0",
	"1",
	"vmbr0",
	"root@pam",
	"00000000",
	"0123456789abcdef",
	"aa:bb:cc:dd:ee:ff",
	"2026-01-01",
	"1.0",
	"none",
	"https://localhost",
	"root@pam!mock",
	"00000000-0000-0000-0000-000000000000",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00",
	"UPID:pve:00000000:00000000:00000000:mock::root@pam:",
	"UPID:pve:00000000:00000000:00000000:00000000:mock::root@pam:",
};

static bool
number_text(const char *s, double *d)
{
	char *end;

	if (s == NULL || *s == '\0')
		return false;
	*d = strtod(s, &end);
	return *end == '\0';
}

static cJSON *
gen_string(const mock_api *api, const cJSON *s)
{
	const cJSON *en = pvecg_json_get(s, "enum");
	const char *pat = pvecg_json_str(s, "pattern");
	const char *fmt = pvecg_json_str(s, "format");
	const cJSON *minl = pvecg_json_get(s, "minLength");
	size_t i;

	(void)api;
	if (cJSON_IsArray(en) && cJSON_IsString(cJSON_GetArrayItem(en, 0)))
		return cJSON_CreateString(cJSON_GetArrayItem(en, 0)->valuestring);
	if (fmt != NULL && strcmp(fmt, "pve-node") == 0)
		return cJSON_CreateString("pve");
	if (pat != NULL) {
		mock_regex rx = { 0 };

		for (i = 0; i < sizeof(string_candidates) / sizeof(string_candidates[0]); i++)
			if (mock_regex_match(&rx, pat, string_candidates[i]) == 1)
				break;
		mock_regex_free(&rx);
		if (i < sizeof(string_candidates) / sizeof(string_candidates[0]))
			return cJSON_CreateString(string_candidates[i]);
	}
	if (cJSON_IsNumber(minl) && minl->valuedouble > 4) {
		char buf[256];
		int n = minl->valuedouble < 255 ? (int)minl->valuedouble : 255;

		memset(buf, 'a', (size_t)n);
		buf[n] = '\0';
		return cJSON_CreateString(buf);
	}
	return cJSON_CreateString("mock");
}

static cJSON *
gen_number(const cJSON *s, bool integer)
{
	const cJSON *min = pvecg_json_get(s, "minimum");
	const cJSON *max = pvecg_json_get(s, "maximum");
	double v = 0;

	if (cJSON_IsNumber(min))
		v = min->valuedouble;
	else if (cJSON_IsNumber(max) && max->valuedouble < 0)
		v = max->valuedouble;
	return cJSON_CreateNumber(integer ? ceil(v) : v);
}

static cJSON *
from_bool(const cJSON *s, int b)
{
	/* Proxmox sends booleans as 0/1 where the schema lets it */
	if (mock_type_has(s, "integer") || mock_type_has(s, "number"))
		return cJSON_CreateNumber(b);
	if (mock_type_has(s, "boolean"))
		return cJSON_CreateBool(b);
	return cJSON_CreateString(b ? "1" : "0");
}

/* An enum member for src: src itself, the member of the same truth for a
 * declared boolean (whatever forms of true/false the enum lists), else the first. */
static cJSON *
from_enum(const cJSON *s, const cJSON *en, const cJSON *src)
{
	const char *decl = mock_declared_type(s);
	const cJSON *e;

	cJSON_ArrayForEach(e, en)
		if (src != NULL && cJSON_Compare(e, src, 1))
			return cJSON_Duplicate(e, 1);
	if (src != NULL && decl != NULL && strcmp(decl, "boolean") == 0) {
		int b = cJSON_IsBool(src) ? cJSON_IsTrue(src) : pvecg_json_truthy(src) > 0;

		cJSON_ArrayForEach(e, en)
			if (cJSON_IsNumber(e) && e->valuedouble == b)
				return cJSON_Duplicate(e, 1);
		cJSON_ArrayForEach(e, en)
			if (cJSON_IsBool(e) && cJSON_IsTrue(e) == b)
				return cJSON_Duplicate(e, 1);
	}
	return cJSON_Duplicate(cJSON_GetArrayItem(en, 0), 1);
}

/* The value in the form of the declared type where the schema allows it
 * (Proxmox sends vmid 100, not "100"), else any form the schema allows. */
static cJSON *
shape_scalar(const mock_api *api, const cJSON *s, const cJSON *src)
{
	const char *decl = mock_declared_type(s);
	bool num_decl = decl && (strcmp(decl, "integer") == 0 || strcmp(decl, "number") == 0);
	char tmp[64];
	double d;

	(void)api;
	if (cJSON_IsBool(src))
		return from_bool(s, cJSON_IsTrue(src));
	if (decl != NULL && strcmp(decl, "boolean") == 0 &&
	    (cJSON_IsNumber(src) || cJSON_IsString(src)))
		return from_bool(s, pvecg_json_truthy(src) > 0);
	if (num_decl && cJSON_IsString(src) && number_text(src->valuestring, &d) &&
	    (mock_type_has(s, "integer") || mock_type_has(s, "number")))
		return cJSON_CreateNumber(mock_type_has(s, "number") ? d : floor(d));
	if (cJSON_IsNumber(src)) {
		if (mock_type_has(s, "integer") && src->valuedouble == floor(src->valuedouble))
			return cJSON_CreateNumber(src->valuedouble);
		if (mock_type_has(s, "number"))
			return cJSON_CreateNumber(src->valuedouble);
		if (mock_type_has(s, "string")) {
			snprintf(tmp, sizeof(tmp), "%.15g", src->valuedouble);
			return cJSON_CreateString(tmp);
		}
		if (mock_type_has(s, "integer"))
			return cJSON_CreateNumber(floor(src->valuedouble));
	}
	if (cJSON_IsString(src)) {
		if (mock_type_has(s, "string"))
			return cJSON_CreateString(src->valuestring);
		if ((mock_type_has(s, "integer") || mock_type_has(s, "number")) &&
		    number_text(src->valuestring, &d))
			return cJSON_CreateNumber(mock_type_has(s, "integer") ? floor(d) : d);
	}
	return NULL;
}

static cJSON *shape_object(const mock_api *api, const cJSON *s, const cJSON *src, int depth);

static cJSON *
shape_array(const mock_api *api, const cJSON *s, const cJSON *src, int depth)
{
	const cJSON *items = pvecg_json_get(s, "items"), *e;
	cJSON *out = cJSON_CreateArray();

	if (out == NULL || !cJSON_IsArray(src))
		return out;
	cJSON_ArrayForEach(e, src) {
		cJSON *v = mock_shape(api, items, e, depth + 1);

		if (v == NULL || !cJSON_AddItemToArray(out, v)) {
			cJSON_Delete(v);
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

static const cJSON *
pattern_schema(const cJSON *pp, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, pp) {
		mock_regex rx = { 0 };
		int m = mock_regex_match(&rx, e->string, name);

		mock_regex_free(&rx);
		if (m == 1)
			return e;
	}
	return NULL;
}

PVECG_NODISCARD static int
add_member(cJSON *out, const char *name, cJSON *v)
{
	if (v == NULL)
		return -1;
	if (!cJSON_AddItemToObject(out, name, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

static cJSON *
shape_object(const mock_api *api, const cJSON *s, const cJSON *src, int depth)
{
	const cJSON *props = pvecg_json_get(s, "properties");
	const cJSON *pp = pvecg_json_get(s, "patternProperties");
	const cJSON *ap = pvecg_json_get(s, "additionalProperties");
	const cJSON *req = pvecg_json_get(s, "required"), *p, *v;
	bool free_form = props == NULL && pp == NULL && !cJSON_IsFalse(ap);
	cJSON *out = cJSON_CreateObject();

	if (out == NULL)
		return NULL;
	if (!cJSON_IsObject(src))
		src = NULL;
	cJSON_ArrayForEach(p, props) {
		v = src ? pvecg_json_get(src, p->string) : NULL;
		if (v == NULL && !pvecg_json_has_string(req, p->string))
			continue;
		if (add_member(out, p->string, mock_shape(api, p, v, depth + 1)) != 0)
			goto fail;
	}
	cJSON_ArrayForEach(v, src) {
		const cJSON *ps;

		if (pvecg_json_get(props, v->string) != NULL)
			continue;
		if ((ps = pattern_schema(pp, v->string)) != NULL) {
			if (add_member(out, v->string, mock_shape(api, ps, v, depth + 1)) != 0)
				goto fail;
		} else if (free_form) {
			if (add_member(out, v->string, cJSON_Duplicate(v, 1)) != 0)
				goto fail;
		}
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

static const cJSON *
pick_branch(const mock_api *api, const cJSON *s, const cJSON *src)
{
	const cJSON *list = pvecg_json_get(s, "oneOf"), *b;

	if (list == NULL)
		list = pvecg_json_get(s, "anyOf");
	if (!cJSON_IsArray(list))
		return s;
	cJSON_ArrayForEach(b, list) {
		const cJSON *r = mock_resolve(api, b);

		if (src == NULL || (cJSON_IsObject(src) && mock_type_has(r, "object")) ||
		    (cJSON_IsArray(src) && mock_type_has(r, "array")) ||
		    (cJSON_IsString(src) && mock_type_has(r, "string")) ||
		    (cJSON_IsNumber(src) &&
		        (mock_type_has(r, "number") || mock_type_has(r, "integer"))))
			return r;
	}
	return mock_resolve(api, cJSON_GetArrayItem(list, 0));
}

cJSON *
mock_shape(const mock_api *api, const cJSON *schema, const cJSON *src, int depth)
{
	const cJSON *s = mock_resolve(api, schema);
	const char *decl;
	cJSON *v;

	if (s == NULL || cJSON_IsTrue(s) || depth > SHAPE_MAX_DEPTH)
		return src ? cJSON_Duplicate(src, 1) : cJSON_CreateNull();
	s = pick_branch(api, s, src);
	if (cJSON_IsNull(src) && mock_type_has(s, "null"))
		return cJSON_CreateNull();
	/* an untyped schema with properties is an object (x-proxmox-type may say otherwise) */
	if ((mock_type_has(s, "object") ||
	        (pvecg_json_get(s, "type") == NULL && pvecg_json_get(s, "properties") != NULL)) &&
	    (src == NULL || cJSON_IsObject(src) || !mock_type_has(s, "string")))
		return shape_object(api, s, src, depth);
	if (mock_type_has(s, "array") && (src == NULL || cJSON_IsArray(src)))
		return shape_array(api, s, src, depth);
	if (cJSON_IsArray(pvecg_json_get(s, "enum")) &&
	    cJSON_GetArraySize(pvecg_json_get(s, "enum")) > 0) {
		cJSON *scalar = src ? shape_scalar(api, s, src) : NULL;

		v = from_enum(s, pvecg_json_get(s, "enum"), scalar ? scalar : src);
		cJSON_Delete(scalar);
		return v;
	}
	if (src != NULL && (v = shape_scalar(api, s, src)) != NULL)
		return v;
	/* generated: in the declared type when the schema allows it */
	decl = mock_declared_type(s);
	if (decl != NULL && mock_type_has(s, decl)) {
		if (strcmp(decl, "integer") == 0 || strcmp(decl, "number") == 0)
			return gen_number(s, strcmp(decl, "integer") == 0);
		if (strcmp(decl, "boolean") == 0)
			return from_bool(s, 0);
	}
	if (mock_type_has(s, "string"))
		return gen_string(api, s);
	if (mock_type_has(s, "integer"))
		return gen_number(s, true);
	if (mock_type_has(s, "number"))
		return gen_number(s, false);
	if (mock_type_has(s, "boolean"))
		return cJSON_CreateBool(0);
	if (mock_type_has(s, "array"))
		return cJSON_CreateArray();
	if (pvecg_json_get(s, "type") == NULL)
		return src ? cJSON_Duplicate(src, 1) : cJSON_CreateNull();
	return cJSON_CreateNull();
}
