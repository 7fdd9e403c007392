/* wire: rewrites the declared types of an OpenAPI document into the forms
 * Proxmox puts on the wire (the rules and their evidence are in
 * doc/wire-dialect.md):
 *
 *   declared   response (what PVE::JSONSchema::check_type lets through)
 *   boolean    true, false, 0, 1, "0", "1"
 *   integer    a JSON integer or a decimal string (^[+-]?\d+$)
 *   number     a JSON number or a numeric string (Perl's is_number)
 *   string     a string, or a JSON number (Perl scalars print as numbers)
 *   optional   also null; boolean, integer and number also ""
 *   required   PVE, PMG (Perl): only the member a list item's child link
 *              is built from (links[rel=child].href "{key}"): hash_to_array
 *              always sets it; the viewer's non-optional members are kept as
 *              x-proxmox-declared-required. PBS, PDM (Rust): as declared,
 *              since serde always writes a member that is not an Option.
 *
 * Requests get the same boolean/integer/number forms (Proxmox validates
 * parameters with check_type), no null, and keep their declared required.
 * The declared type stays machine-readable as x-proxmox-type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/product.h"
#include "pvecg/wire.h"

#define WIRE_MAX_DEPTH 128

#define INT_RE "[+-]?\\d+"
#define NUM_RE "[+-]?(?:\\d+\\.\\d+|\\d+\\.|\\.\\d+|\\d+)(?:[eE][+-]?\\d+)?"

struct wire {
	int response;      /* 1: what Proxmox sends; 0: what it accepts */
	int keep_required; /* the product's declared required members are sent */
};

/* Replaces (or adds) obj[key]. */
static int
set(cJSON *obj, const char *literal_key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, literal_key);
	return pvecg_json_put_cs(obj, literal_key, item);
}

/* "type": [declared, extra..., "null" when nullable]. */
PVECG_NODISCARD static int
set_types(cJSON *s, const char *declared, const char *extra1, const char *extra2, int nullable)
{
	cJSON *t = cJSON_CreateArray();
	int rc;

	if (!t)
		return PVECG_ENOMEM;
	if ((rc = pvecg_json_push(t, cJSON_CreateString(declared))) != 0 ||
	    (extra1 && (rc = pvecg_json_push(t, cJSON_CreateString(extra1))) != 0) ||
	    (extra2 && (rc = pvecg_json_push(t, cJSON_CreateString(extra2))) != 0) ||
	    (nullable && (rc = pvecg_json_push(t, cJSON_CreateString("null"))) != 0)) {
		cJSON_Delete(t);
		return rc;
	}
	if ((rc = set(s, "type", t)) != 0)
		return rc;
	return set(s, "x-proxmox-type", cJSON_CreateString(declared));
}

/* {"type": type, "enum": en}; en is taken over (NULL: no enum). */
static cJSON *
branch(const char *type, cJSON *en)
{
	cJSON *b = cJSON_CreateObject();

	if (!b || pvecg_json_put_cs(b, "type", cJSON_CreateString(type)) != 0) {
		cJSON_Delete(en);
		cJSON_Delete(b);
		return NULL;
	}
	if (en && pvecg_json_put_cs(b, "enum", en) != 0) { /* pvecg_json_put_cs() freed en */
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

/* Appends branch(type, en) to out unless rc already failed; en is taken
 * over either way. */
PVECG_NODISCARD static int
push(cJSON *out, int rc, const char *type, cJSON *en)
{
	cJSON *b = branch(type, en);

	if (rc != 0) {
		cJSON_Delete(b);
		return rc;
	}
	return pvecg_json_push(out, b);
}

/* A value list as a wire union: "anyOf" of one branch per JSON type, each
 * with its own enum, plus {"type": "null"} when nullable, replacing "type"
 * and "enum". Generators read a single-typed enum per branch; a type list
 * with one enum of mixed types is beyond most of them. */
PVECG_NODISCARD static int
set_union(cJSON *s, const char *declared, cJSON *branches, int nullable)
{
	int rc;

	if (nullable && (rc = pvecg_json_push(branches, branch("null", NULL))) != 0) {
		cJSON_Delete(branches);
		return rc;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(s, "type");
	cJSON_DeleteItemFromObjectCaseSensitive(s, "enum");
	if ((rc = set(s, "anyOf", branches)) != 0)
		return rc;
	return set(s, "x-proxmox-type", cJSON_CreateString(declared));
}

/* boolean: true/false, 0/1, "0"/"1" (only the values of a declared enum,
 * which the boolean branch keeps),
 * plus "" and null when the member is optional in a response. */
PVECG_NODISCARD static int
wire_boolean(cJSON *s, int nullable)
{
	const cJSON *en = pvecg_json_get(s, "enum");
	cJSON *out = cJSON_CreateArray(), *bools = NULL;
	cJSON *ints = cJSON_CreateArray(), *texts = cJSON_CreateArray();
	int vals[2] = { 0, 1 }, n = 2, rc = PVECG_ENOMEM;
	const cJSON *v;

	if (cJSON_IsArray(en) && en->child) {
		n = 0;
		cJSON_ArrayForEach(v, en)
			if (cJSON_IsBool(v) && n < 2)
				vals[n++] = cJSON_IsTrue(v);
		if (!(bools = cJSON_CreateArray())) /* the declared enum, kept */
			goto fail;
	}
	if (!out || !ints || !texts)
		goto fail;
	for (int i = 0; i < n; i++) {
		if ((bools && (rc = pvecg_json_push(bools, cJSON_CreateBool(vals[i]))) != 0) ||
		    (rc = pvecg_json_push(ints, cJSON_CreateNumber(vals[i]))) != 0 ||
		    (rc = pvecg_json_push(texts, cJSON_CreateString(vals[i] ? "1" : "0"))) != 0)
			goto fail;
	}
	if (nullable && (rc = pvecg_json_push(texts, cJSON_CreateString(""))) != 0)
		goto fail;
	rc = push(out, 0, "boolean", bools);
	rc = push(out, rc, "integer", ints);
	rc = push(out, rc, "string", texts);
	if (rc != 0) {
		cJSON_Delete(out);
		return rc;
	}
	return set_union(s, "boolean", out, nullable);
fail:
	cJSON_Delete(bools);
	cJSON_Delete(ints);
	cJSON_Delete(texts);
	cJSON_Delete(out);
	return rc ? rc : PVECG_ENOMEM;
}

/* "^(?:1|2|4)$": the decimal text of every number in en ('.' and '+'
 * escaped). A pattern, not a second enum: generators that merge the enums
 * of a union into one constant object would name 1 and "1" alike. */
static cJSON *
text_pattern(const cJSON *en)
{
	char buf[4096], num[64];
	size_t len = 0;
	const cJSON *v;
	int first = 1;

	len = (size_t)snprintf(buf, sizeof(buf), "^(?:");
	cJSON_ArrayForEach(v, en) {
		if (!cJSON_IsNumber(v))
			continue;
		/* the shortest text that reads back as the value: 0.1, not 0.10000000000000001 */
		snprintf(num, sizeof(num), "%.15g", v->valuedouble);
		if (strtod(num, NULL) != v->valuedouble)
			snprintf(num, sizeof(num), "%.17g", v->valuedouble);
		if (!first && len + 1 < sizeof(buf))
			buf[len++] = '|';
		first = 0;
		for (const char *c = num; *c && len + 3 < sizeof(buf); c++) {
			if (*c == '.' || *c == '+')
				buf[len++] = '\\';
			buf[len++] = *c;
		}
		if (len + 3 >= sizeof(buf))
			return NULL; /* too long: the caller fails closed */
	}
	snprintf(buf + len, sizeof(buf) - len, ")$");
	return cJSON_CreateString(buf);
}

/* An enum of integer/number/string: its declared values, the text form of
 * every number ("1" for 1), null when nullable; a union of one branch per
 * type. Only a non-nullable string enum stays a plain enum. */
PVECG_NODISCARD static int
wire_enum(cJSON *s, const char *declared, int nullable)
{
	const cJSON *en = pvecg_json_get(s, "enum");
	int text = strcmp(declared, "string") != 0, rc;
	cJSON *out, *b, *vals;

	if (!text && !nullable) {
		if ((rc = set(s, "type", cJSON_CreateString("string"))) != 0)
			return rc;
		return set(s, "x-proxmox-type", cJSON_CreateString(declared));
	}
	out = cJSON_CreateArray();
	vals = cJSON_Duplicate(en, 1);
	if (!out || !vals) {
		cJSON_Delete(out);
		cJSON_Delete(vals);
		return PVECG_ENOMEM;
	}
	rc = push(out, 0, declared, vals);
	if (rc == 0 && text) {
		b = branch("string", NULL);
		if ((rc = pvecg_json_push(out, b)) == 0)
			rc = pvecg_json_put_cs(b, "pattern", text_pattern(en));
	}
	if (rc != 0) {
		cJSON_Delete(out);
		return rc;
	}
	return set_union(s, declared, out, nullable);
}

static int
has_enum(const cJSON *s)
{
	const cJSON *en = pvecg_json_get(s, "enum");

	return cJSON_IsArray(en) && en->child;
}

/* integer / number: also their decimal text; "" too when optional. */
PVECG_NODISCARD static int
wire_numeric(cJSON *s, const char *declared, int nullable)
{
	const char *re = declared[0] == 'i' ? INT_RE : NUM_RE;
	char pattern[160];
	int rc;

	if (has_enum(s))
		return wire_enum(s, declared, nullable);
	snprintf(pattern, sizeof(pattern), nullable ? "^(?:%s)?$" : "^%s$", re);
	if ((rc = set_types(s, declared, "string", NULL, nullable)) != 0)
		return rc;
	return set(s, "pattern", cJSON_CreateString(pattern));
}

/* string: a Perl scalar that was a number is sent as a JSON number. */
static int
wire_string(cJSON *s, int nullable)
{
	if (has_enum(s))
		return wire_enum(s, "string", nullable);
	return set_types(s, "string", "number", NULL, nullable);
}

static int wire_schema(const struct wire *w, cJSON *s, int nullable, int depth);

/* Checks Proxmox makes only on parameters: a response value was checked
 * (if ever) by the release that wrote it, so a response schema keeps
 * them as annotations under x-proxmox-input-checks. */
PVECG_NODISCARD static int
move_input_checks(cJSON *s)
{
	static const char *const keys[] = {
		"pattern",
		"x-proxmox-pattern",
		"minLength",
		"maxLength",
		"minimum",
		"maximum",
		"exclusiveMinimum",
		"exclusiveMaximum",
		"minItems",
		"maxItems",
		"additionalProperties",
	};
	cJSON *checks = NULL, *v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = pvecg_json_get(s, keys[i]);
		/* additionalProperties: only `false` is a check, a schema is not */
		if (!v || (strcmp(keys[i], "additionalProperties") == 0 && !cJSON_IsFalse(v)))
			continue;
		if (!checks && !(checks = cJSON_CreateObject()))
			return PVECG_ENOMEM;
		v = cJSON_DetachItemViaPointer(s, v);
		if (!cJSON_AddItemToObjectCS(checks, keys[i], v)) {
			cJSON_Delete(v);
			cJSON_Delete(checks);
			return PVECG_ENOMEM;
		}
	}
	return checks ? set(s, "x-proxmox-input-checks", checks) : 0;
}

/* "{vmid}" of links[rel=child].href: the member every list item has. */
static const char *
child_key(const cJSON *array_schema, char *buf, size_t cap)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, pvecg_json_get(array_schema, "x-proxmox-links")) {
		const char *rel = pvecg_json_str(l, "rel");
		const char *href = pvecg_json_str(l, "href");
		size_t n;

		if (!rel || strcmp(rel, "child") != 0 || !href)
			continue;
		n = strlen(href);
		if (n < 3 || href[0] != '{' || href[n - 1] != '}' || n - 2 >= cap ||
		    memchr(href + 1, '{', n - 2) || memchr(href + 1, '}', n - 2))
			continue;
		memcpy(buf, href + 1, n - 2);
		buf[n - 2] = '\0';
		return buf;
	}
	return NULL;
}

static int
in_list(const cJSON *arr, const char *s)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr)
		if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0)
			return 1;
	return 0;
}

/* Response objects: `required` -> x-proxmox-declared-required, and only
 * key (the list item's child-link member) stays required. */
PVECG_NODISCARD static int
wire_required(cJSON *s, const char *key)
{
	cJSON *req = cJSON_DetachItemFromObjectCaseSensitive(s, "required");
	cJSON *props = pvecg_json_get(s, "properties");
	int rc = 0;

	if (req && !pvecg_json_get(s, "x-proxmox-declared-required"))
		rc = pvecg_json_put_cs(s, "x-proxmox-declared-required", req);
	else
		cJSON_Delete(req);
	if (rc == 0 && key && pvecg_json_get(props, key)) {
		cJSON *arr = cJSON_CreateStringArray((const char *const[]){ key }, 1);

		rc = pvecg_json_put_cs(s, "required", arr);
	}
	return rc;
}

PVECG_NODISCARD static int
wire_members(const struct wire *w, cJSON *s, const char *key, int depth)
{
	cJSON *props = pvecg_json_get(s, "properties");
	cJSON *pat = pvecg_json_get(s, "patternProperties");
	cJSON *ap = pvecg_json_get(s, "additionalProperties");
	cJSON *p;
	int rc;

	if (w->response && !w->keep_required && (rc = wire_required(s, key)) != 0)
		return rc;
	cJSON_ArrayForEach(p, props) {
		int optional = w->response && !(key && strcmp(p->string, key) == 0) &&
		    !in_list(pvecg_json_get(s, "required"), p->string);

		if ((rc = wire_schema(w, p, optional, depth + 1)) != 0)
			return rc;
	}
	cJSON_ArrayForEach(p, pat)
		if ((rc = wire_schema(w, p, w->response, depth + 1)) != 0)
			return rc;
	if (cJSON_IsObject(ap))
		return wire_schema(w, ap, w->response, depth + 1);
	return 0;
}

/* One schema, in place. nullable: an optional member of a response. */
PVECG_NODISCARD static int
wire_schema(const struct wire *w, cJSON *s, int nullable, int depth)
{
	const cJSON *type = pvecg_json_get(s, "type");
	cJSON *items = pvecg_json_get(s, "items");
	cJSON *alt;
	char key[256], declared[16];
	const char *t = NULL;
	int rc = 0;

	if (!cJSON_IsObject(s) || depth > WIRE_MAX_DEPTH)
		return 0;
	/* a copy: the rewrite replaces "type" */
	if (cJSON_IsString(type) && strlen(type->valuestring) < sizeof(declared))
		t = strcpy(declared, type->valuestring);
	if (pvecg_json_get(s, "$ref"))
		return 0; /* shared component: left as it is */
	if (w->response && (rc = move_input_checks(s)) != 0)
		return rc;
	cJSON_ArrayForEach(alt, pvecg_json_get(s, "oneOf"))
		if ((rc = wire_schema(w, alt, 0, depth + 1)) != 0)
			return rc;
	if (!t) {
		if (pvecg_json_get(s, "properties"))
			return wire_members(w, s, NULL, depth);
		return 0;
	}
	if (strcmp(t, "boolean") == 0)
		return wire_boolean(s, nullable);
	if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0)
		return wire_numeric(s, t, nullable);
	if (strcmp(t, "string") == 0)
		return w->response ? wire_string(s, nullable) : 0;
	if (strcmp(t, "object") == 0) {
		if (nullable && (rc = set_types(s, "object", NULL, NULL, 1)) != 0)
			return rc;
		return wire_members(w, s, NULL, depth);
	}
	if (strcmp(t, "array") == 0) {
		const char *k = w->response ? child_key(s, key, sizeof(key)) : NULL;

		if (nullable && (rc = set_types(s, "array", NULL, NULL, 1)) != 0)
			return rc;
		if (!cJSON_IsObject(items))
			return 0;
		if (k && pvecg_json_get(items, "properties") && !pvecg_json_get(items, "$ref"))
			return wire_members(w, items, k, depth + 1);
		return wire_schema(w, items, 0, depth + 1);
	}
	return 0;
}

const cJSON *
pvecg_wire_declared_branch(const cJSON *s)
{
	const char *declared = pvecg_json_str(s, "x-proxmox-type");
	const cJSON *b;

	if (!declared)
		return NULL;
	cJSON_ArrayForEach(b, pvecg_json_get(s, "anyOf")) {
		const char *t = pvecg_json_str(b, "type");

		if (t && strcmp(t, declared) == 0)
			return b;
	}
	return NULL;
}

/* ---- the document ---------------------------------------------------------- */

static cJSON *
component(cJSON *doc, const cJSON *ref_holder)
{
	const char *ref = pvecg_json_str(ref_holder, "$ref");
	cJSON *schemas = pvecg_json_get(pvecg_json_get(doc, "components"), "schemas");

	if (!ref || strncmp(ref, "#/components/schemas/", 21) != 0)
		return NULL;
	return pvecg_json_get(schemas, ref + 21);
}

cJSON *
pvecg_wire_response_schema(cJSON *doc, cJSON *op)
{
	cJSON *s = pvecg_json_get(op, "responses");

	s = pvecg_json_get(s, "200");
	s = pvecg_json_get(s, "content");
	s = pvecg_json_get(s, "application/json");
	s = pvecg_json_get(s, "schema");
	s = pvecg_json_get(s, "properties");
	return component(doc, pvecg_json_get(s, "data"));
}

PVECG_NODISCARD static int
wire_op(cJSON *doc, cJSON *op, int keep_required)
{
	const struct wire req = { 0, 1 }, resp = { 1, keep_required };
	cJSON *body = pvecg_json_get(op, "requestBody");
	cJSON *s, *p;
	int rc;

	cJSON_ArrayForEach(p, pvecg_json_get(op, "parameters"))
		if ((rc = wire_schema(&req, pvecg_json_get(p, "schema"), 0, 0)) != 0)
			return rc;
	body = pvecg_json_get(body, "content");
	body = pvecg_json_get(body, "application/json");
	if ((s = component(doc, pvecg_json_get(body, "schema"))) != NULL &&
	    (rc = wire_schema(&req, s, 0, 0)) != 0)
		return rc;
	if ((s = pvecg_wire_response_schema(doc, op)) != NULL)
		return wire_schema(
		    &resp, s, cJSON_IsTrue(pvecg_json_get(s, "x-proxmox-optional")), 0);
	return 0;
}

int
pvecg_wire_apply(cJSON *doc, pvecg_error *err)
{
	const char *product = pvecg_json_str(pvecg_json_get(doc, "info"), "x-proxmox-product");
	cJSON *path, *op;
	int rc, rust = pvecg_product_is_rust(product);

	if ((rc = pvecg_errata_apply(doc, product, err)) != 0)
		return rc;
	cJSON_ArrayForEach(path, pvecg_json_get(doc, "paths")) {
		cJSON_ArrayForEach(op, path) {
			if ((rc = wire_op(doc, op, rust)) != 0)
				return pvecg_error_set(err, rc, "openapi", "%s %s: out of memory",
				    op->string, path->string);
		}
	}
	return 0;
}
