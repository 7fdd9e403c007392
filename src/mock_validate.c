/* mock_validate: request parameters checked the way Proxmox's
 * PVE::JSONSchema does (messages worded as Proxmox words them): types
 * with its boolean spellings, ranges, enums, lengths, patterns, property
 * strings, indexed names, missing and unknown parameters. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mock_int.h"
#include "pvecg/regex.h"
#include "pvecg/buf.h"
#include "pvecg/json.h"

int
pvecg_mock_parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static void
regex_compile(mock_regex *rx, const char *pattern)
{
	pvecg_buf b = PVECG_BUF_INIT;
	const char *reason;

	rx->state = -1;
	/* Proxmox anchors every pattern: ^(?:...)$; maxLength is checked on
	 * its own, so big repeat bounds may stay open */
	if (pvecg_regex_to_ere(&b, pattern, PVECG_REGEX_WHOLE | PVECG_REGEX_OPEN_BIG, &reason) ==
	        0 &&
	    regcomp(&rx->re, b.data, REG_EXTENDED | REG_NOSUB) == 0)
		rx->state = 1;
	pvecg_buf_free(&b);
}

/* 1 match, 0 no match, -1 pattern not usable. s NULL: compile only. */
int
mock_regex_match(mock_regex *rx, const char *pattern, const char *s)
{
	if (rx->state == 0)
		regex_compile(rx, pattern);
	if (rx->state != 1)
		return -1;
	if (s == NULL)
		return 1;
	return regexec(&rx->re, s, 0, NULL, 0) == 0;
}

void
mock_regex_free(mock_regex *rx)
{
	if (rx->state == 1)
		regfree(&rx->re);
	rx->state = 0;
}

static bool
enum_has(const cJSON *en, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, en)
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return true;
	return false;
}

static void
enum_text(char *out, size_t cap, const cJSON *en)
{
	const cJSON *e;
	size_t o = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(e, en) {
		if (!cJSON_IsString(e))
			continue;
		o += (size_t)snprintf(
		    out + o, o < cap ? cap - o : 0, "%s%s", o ? ", " : "", e->valuestring);
		if (o >= cap)
			return;
	}
}

/* Scalar as text (form values are text already). */
static const char *
scalar_text(const cJSON *v, char *tmp, size_t cap)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "1" : "0";
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15)
			snprintf(tmp, cap, "%.0f", v->valuedouble);
		else
			snprintf(tmp, cap, "%.17g", v->valuedouble);
		return tmp;
	}
	return NULL;
}

static int check_scalar(const mock_api *api, cJSON **norm, const cJSON *s, mock_regex *rx,
    const char *txt, char *msg, size_t cap);

PVECG_NODISCARD static int
check_number(cJSON **norm, const cJSON *s, const char *type, const char *txt, char *msg, size_t cap)
{
	const cJSON *min = pvecg_json_get(s, "minimum");
	const cJSON *max = pvecg_json_get(s, "maximum");
	char *end;
	double d;

	errno = 0;
	d = strtod(txt, &end);
	if (*txt == '\0' || *end != '\0' || errno != 0 || isspace((unsigned char)*txt) ||
	    (strcmp(type, "integer") == 0 &&
	        strspn(txt + (*txt == '-' || *txt == '+'), "0123456789") !=
	            strlen(txt + (*txt == '-' || *txt == '+')))) {
		snprintf(msg, cap, "type check ('%s') failed - got '%s'", type, txt);
		return -1;
	}
	if (cJSON_IsNumber(min) && d < min->valuedouble) {
		snprintf(msg, cap, "value must have a minimum value of %g", min->valuedouble);
		return -1;
	}
	if (cJSON_IsNumber(max) && d > max->valuedouble) {
		snprintf(msg, cap, "value must have a maximum value of %g", max->valuedouble);
		return -1;
	}
	*norm = cJSON_CreateNumber(d);
	return 0;
}

/* A property string "k=v,k2=v2" (a bare value belongs to the default key),
 * described as an object schema (x-proxmox-property-string: properties,
 * required, x-proxmox-default-key, x-proxmox-alias, x-proxmox-key-alias). */
PVECG_NODISCARD static int
check_propstr_schema(const mock_api *api, const cJSON *fs, const char *txt, char *msg, size_t cap)
{
	const cJSON *props = pvecg_json_get(fs, "properties"), *k;
	const cJSON *alias = pvecg_json_get(fs, "x-proxmox-alias");
	const cJSON *key_alias = pvecg_json_get(fs, "x-proxmox-key-alias");
	const char *dk = pvecg_json_str(fs, "x-proxmox-default-key");
	char *copy = strdup(txt), *save = NULL, *part;
	cJSON *seen = cJSON_CreateObject();
	int rc = -1;

	if (copy == NULL || seen == NULL)
		goto out;
	for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '='), sub[512];
		const char *key = part, *val = eq ? eq + 1 : part;
		const cJSON *ks;
		cJSON *norm = NULL;

		if (eq)
			*eq = '\0';
		else if (dk == NULL) {
			snprintf(msg, cap,
			    "invalid format - value without key, but schema does not define a "
			    "default key");
			goto out;
		} else
			key = dk;
		if (pvecg_json_str(key_alias, key) !=
		    NULL) { /* virtio=MAC: model=virtio,macaddr=MAC */
			cJSON_AddTrueToObject(seen, pvecg_json_str(key_alias, key));
			key = pvecg_json_str(alias, key) ? pvecg_json_str(alias, key) : key;
		} else if (pvecg_json_str(alias, key) != NULL) {
			key = pvecg_json_str(alias, key);
		}
		ks = mock_resolve(api, pvecg_json_get(props, key));
		if (ks == NULL) {
			snprintf(msg, cap,
			    "invalid format - format error\n%s: property is not defined in schema "
			    "and the schema does not allow additional properties",
			    key);
			goto out;
		}
		if (pvecg_json_get(seen, key) != NULL) {
			snprintf(msg, cap,
			    "invalid format - format error\n%s: duplicate key in comma-separated "
			    "list property",
			    key);
			goto out;
		}
		cJSON_AddTrueToObject(seen, key);
		if (check_scalar(api, &norm, ks, NULL, val, sub, sizeof(sub)) != 0) {
			snprintf(msg, cap, "invalid format - format error\n%s: %s", key, sub);
			goto out;
		}
		cJSON_Delete(norm);
	}
	cJSON_ArrayForEach(k, pvecg_json_get(fs, "required")) {
		if (!cJSON_IsString(k) || pvecg_json_get(seen, k->valuestring))
			continue;
		snprintf(msg, cap,
		    "invalid format - format error\n%s: property is missing and it is not optional",
		    k->valuestring);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	cJSON_Delete(seen);
	return rc;
}

PVECG_NODISCARD static int
check_string(const mock_api *api, cJSON **norm, const cJSON *s, mock_regex *rx, const char *txt,
    char *msg, size_t cap)
{
	const cJSON *en = pvecg_json_get(s, "enum");
	const cJSON *minl = pvecg_json_get(s, "minLength");
	const cJSON *maxl = pvecg_json_get(s, "maxLength");
	const cJSON *fmt;
	const char *pat = pvecg_json_str(s, "pattern");
	size_t len = strlen(txt);

	if (cJSON_IsArray(en) && !enum_has(en, txt)) {
		char list[512];

		enum_text(list, sizeof(list), en);
		snprintf(msg, cap, "value '%s' does not have a value in the enumeration '%s'", txt,
		    list);
		return -1;
	}
	if (cJSON_IsNumber(maxl) && (double)len > maxl->valuedouble) {
		snprintf(msg, cap, "value may only be %.0f characters long", maxl->valuedouble);
		return -1;
	}
	if (cJSON_IsNumber(minl) && (double)len < minl->valuedouble) {
		snprintf(
		    msg, cap, "value must be at least %.0f characters long", minl->valuedouble);
		return -1;
	}
	if (pat != NULL && rx != NULL && mock_regex_match(rx, pat, txt) == 0) {
		snprintf(msg, cap, "value does not match the regex pattern");
		return -1;
	}
	fmt = mock_resolve(api, pvecg_json_get(s, "x-proxmox-property-string"));
	if (cJSON_IsObject(fmt) && check_propstr_schema(api, fmt, txt, msg, cap) != 0)
		return -1;
	*norm = cJSON_CreateString(txt);
	return 0;
}

PVECG_NODISCARD static int
check_scalar(const mock_api *api, cJSON **norm, const cJSON *s, mock_regex *rx, const char *txt,
    char *msg, size_t cap)
{
	const char *type = mock_declared_type(s);

	*norm = NULL;
	if (type == NULL)
		type = "string";
	if (strcmp(type, "boolean") == 0) {
		int b = pvecg_mock_parse_bool(txt);

		if (b < 0) {
			snprintf(msg, cap, "type check ('boolean') failed - got '%s'", txt);
			return -1;
		}
		*norm = cJSON_CreateNumber(b);
		return 0;
	}
	if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)
		return check_number(norm, s, type, txt, msg, cap);
	if (strcmp(type, "null") == 0) {
		*norm = cJSON_CreateNull();
		return 0;
	}
	return check_string(api, norm, s, rx, txt, msg, cap);
}

/* One value (scalar, or array/object from JSON bodies) against schema. */
PVECG_NODISCARD static int
check_value(cJSON **norm, const mock_api *api, mock_param *p, const cJSON *v, char *msg, size_t cap)
{
	const char *type = mock_declared_type(p->schema);
	char tmp[64];
	const char *txt;

	*norm = NULL;
	if (type != NULL && (strcmp(type, "array") == 0 || strcmp(type, "object") == 0)) {
		*norm = cJSON_Duplicate(v, 1);
		return 0;
	}
	if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0)
		v = cJSON_GetArrayItem(v, cJSON_GetArraySize(v) - 1); /* repeated key: last wins */
	txt = scalar_text(v, tmp, sizeof(tmp));
	if (txt == NULL) {
		snprintf(msg, cap, "type check ('%s') failed", type ? type : "string");
		return -1;
	}
	return check_scalar(api, norm, p->schema, &p->pattern, txt, msg, cap);
}

static mock_param *
find_param(mock_route *r, const char *name, bool path)
{
	size_t i;

	for (i = 0; i < r->n_params; i++) {
		mock_param *p = &r->params[i];

		if ((p->kind == MOCK_PATH) != path)
			continue;
		if (!p->indexed && strcmp(p->name, name) == 0)
			return p;
		if (p->indexed && mock_regex_match(&p->name_re, NULL, name) == 1)
			return p;
	}
	return NULL;
}

static int
add_error(cJSON *errors, const char *name, const char *msg)
{
	if (pvecg_json_get(errors, name) != NULL)
		return 0;
	return cJSON_AddStringToObject(errors, name, msg) ? 1 : -1;
}

/* Query and body together, as Proxmox merges them into one hash. */
PVECG_NODISCARD static int
check_given(
    cJSON *args, cJSON *errors, const mock_api *api, mock_route *r, const cJSON *src, bool path)
{
	const cJSON *v;
	int n = 0;

	cJSON_ArrayForEach(v, src) {
		mock_param *p = find_param(r, v->string, path);
		char msg[1024];
		cJSON *norm = NULL;
		int rc;

		if (p == NULL) {
			rc = add_error(errors, v->string,
			    "property is not defined in schema and the schema does not allow "
			    "additional properties");
		} else if (check_value(&norm, api, p, v, msg, sizeof(msg)) != 0) {
			rc = add_error(errors, v->string, msg);
		} else {
			cJSON_DeleteItemFromObjectCaseSensitive(args, v->string);
			rc = cJSON_AddItemToObject(args, v->string, norm) ? 0 : -1;
			if (rc < 0)
				cJSON_Delete(norm);
		}
		if (rc < 0)
			return -1;
		n += rc;
	}
	return n;
}

int
mock_validate(cJSON *args, cJSON *errors, const mock_api *api, mock_route *r,
    const cJSON *path_vals, const cJSON *query, const cJSON *body)
{
	int n = 0, rc;
	size_t i;

	if ((rc = check_given(args, errors, api, r, path_vals, true)) < 0)
		return -1;
	n += rc;
	if ((rc = check_given(args, errors, api, r, query, false)) < 0)
		return -1;
	n += rc;
	if ((rc = check_given(args, errors, api, r, body, false)) < 0)
		return -1;
	n += rc;
	for (i = 0; i < r->n_params; i++) {
		const mock_param *p = &r->params[i];

		if (!p->required || p->indexed || pvecg_json_get(args, p->name) != NULL ||
		    pvecg_json_get(errors, p->name) != NULL)
			continue;
		if ((rc = add_error(
		         errors, p->name, "property is missing and it is not optional")) < 0)
			return -1;
		n += rc;
	}
	return n;
}
