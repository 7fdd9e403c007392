/* errata: known errors of a product's API schema, corrected from data.
 *
 * data/errata/<product>.json (embedded at build time) lists entries
 *   {"operation": "GET /path", "pointer": "/items/properties/host",
 *    "correction": {"type": "string"}, "reason": "...", "evidence": [...]}
 * The pointer (RFC 6901) is relative to the operation's response `data`
 * schema. Each key of the correction replaces the schema's key; the
 * declared value is kept under x-proxmox-declared so nothing is lost.
 * Every applied entry is listed in the document as x-proxmox-errata. */
#include <stdio.h>
#include <string.h>

#include "pvecg/embed.h"
#include "pvecg/json.h"
#include "pvecg/wire.h"

#define ERRATA_MAX_BYTES (1u << 20)

static const char *
errata_text(const char *product)
{
	for (size_t i = 0; product && i < pvecg_errata_files_count; i++)
		if (strcmp(pvecg_errata_files[i].name, product) == 0)
			return pvecg_errata_files[i].text;
	return NULL;
}

/* One RFC 6901 step ("~1" -> "/", "~0" -> "~") into out. */
static const char *
pointer_step(char *out, size_t cap, const char *p)
{
	size_t n = 0;

	for (; *p && *p != '/'; p++) {
		char c = *p;

		if (c == '~') {
			if (p[1] != '0' && p[1] != '1')
				return NULL;
			c = p[1] == '0' ? '~' : '/';
			p++;
		}
		if (n + 1 >= cap)
			return NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return p;
}

static cJSON *
resolve(cJSON *s, const char *pointer)
{
	char step[256];
	const char *p = pointer;

	if (*p != '/')
		return NULL;
	while (s && *p == '/') {
		if (!(p = pointer_step(step, sizeof(step), p + 1)))
			return NULL;
		s = pvecg_json_get(s, step);
	}
	return cJSON_IsObject(s) ? s : NULL;
}

/* "GET /nodes/{node}/ceph/mon" -> the operation object in doc. */
static cJSON *
find_op(cJSON *doc, const char *operation)
{
	const char *sp = operation ? strchr(operation, ' ') : NULL;
	char verb[16];
	size_t n;

	if (!sp || (n = (size_t)(sp - operation)) >= sizeof(verb) || n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		verb[i] = (char)(operation[i] >= 'A' && operation[i] <= 'Z' ? operation[i] + 32
		                                                            : operation[i]);
	verb[n] = '\0';
	return pvecg_json_get(pvecg_json_get(pvecg_json_get(doc, "paths"), sp + 1), verb);
}

PVECG_NODISCARD static int
correct(cJSON *target, const cJSON *correction)
{
	cJSON *declared = pvecg_json_get(target, "x-proxmox-declared");
	const cJSON *c;

	if (!declared) {
		if (!(declared = cJSON_CreateObject()))
			return PVECG_ENOMEM;
		if (!cJSON_AddItemToObjectCS(target, "x-proxmox-declared", declared)) {
			cJSON_Delete(declared);
			return PVECG_ENOMEM;
		}
	}
	cJSON_ArrayForEach(c, correction) {
		cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(target, c->string);
		cJSON *v = cJSON_Duplicate(c, 1);

		if (!old)
			old = cJSON_CreateNull();
		if (!old || !cJSON_AddItemToObject(declared, c->string, old)) {
			cJSON_Delete(old);
			cJSON_Delete(v);
			return PVECG_ENOMEM;
		}
		if (!v || !cJSON_AddItemToObject(target, c->string, v)) {
			cJSON_Delete(v);
			return PVECG_ENOMEM;
		}
	}
	return 0;
}

static int
valid_entry(const cJSON *e)
{
	const cJSON *ev = pvecg_json_get(e, "evidence");
	const cJSON *c = pvecg_json_get(e, "correction");

	return pvecg_json_str(e, "operation") && pvecg_json_str(e, "pointer") &&
	    pvecg_json_str(e, "reason") && cJSON_IsObject(c) && c->child && cJSON_IsArray(ev) &&
	    ev->child && cJSON_IsString(ev->child);
}

PVECG_NODISCARD static int
apply_entry(cJSON *doc, cJSON *listed, const cJSON *e, const char *file, pvecg_error *err)
{
	cJSON *op, *s, *target, *copy;
	const char *operation = pvecg_json_str(e, "operation");
	const char *pointer = pvecg_json_str(e, "pointer");
	int rc;

	if (!valid_entry(e))
		return pvecg_error_set(err, PVECG_EINPUT, file,
		    "entry without operation, pointer, reason, correction or evidence");
	if (!(op = find_op(doc, operation)))
		return 0; /* not in this release */
	if (!(s = pvecg_wire_response_schema(doc, op)) || !(target = resolve(s, pointer)))
		return pvecg_error_set(err, PVECG_EINPUT, file,
		    "%s: pointer %s does not name a schema", operation, pointer);
	if ((rc = correct(target, pvecg_json_get(e, "correction"))) != 0 ||
	    !(copy = cJSON_Duplicate(e, 1)))
		return pvecg_error_set(err, PVECG_ENOMEM, file, "out of memory");
	if (!cJSON_AddItemToArray(listed, copy)) {
		cJSON_Delete(copy);
		return pvecg_error_set(err, PVECG_ENOMEM, file, "out of memory");
	}
	return 0;
}

int
pvecg_errata_apply(cJSON *doc, const char *product, pvecg_error *err)
{
	const char *text = errata_text(product);
	char file[64];

	if (!text)
		return 0;
	snprintf(file, sizeof(file), "data/errata/%.20s.json", product);
	return pvecg_errata_apply_text(doc, text, file, err);
}

int
pvecg_errata_apply_text(cJSON *doc, const char *text, const char *file, pvecg_error *err)
{
	cJSON *root = NULL, *listed = NULL;
	const cJSON *e;
	int rc = 0;

	if (strlen(text) > ERRATA_MAX_BYTES || !(root = cJSON_Parse(text)) ||
	    !cJSON_IsArray(pvecg_json_get(root, "errata"))) {
		rc = pvecg_error_set(err, PVECG_EINPUT, file, "not an object with an errata array");
		goto out;
	}
	if (!(listed = cJSON_CreateArray())) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, file, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(e, pvecg_json_get(root, "errata"))
		if ((rc = apply_entry(doc, listed, e, file, err)) != 0)
			goto out;
	if (cJSON_GetArraySize(listed) > 0) {
		if (!cJSON_AddItemToObjectCS(doc, "x-proxmox-errata", listed)) {
			rc = pvecg_error_set(err, PVECG_ENOMEM, file, "out of memory");
			goto out;
		}
		listed = NULL;
	}
out:
	cJSON_Delete(listed);
	cJSON_Delete(root);
	return rc;
}
