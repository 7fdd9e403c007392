/* jschema against the official JSON-Schema-Test-Suite (tests/fixtures/
 * json-schema-test-suite, see its README) for the keywords jschema claims.
 *
 * The vendored files are draft 7, the newest draft Debian packages; the
 * keywords they test are shared with 2020-12. Two spellings changed between
 * the drafts and are rewritten before validating: "definitions" -> "$defs"
 * (and "#/definitions/" refs with it), array-form "items" -> "prefixItems".
 * A test group whose schema uses something jschema does not support is
 * skipped, by name, from the explicit list below; any other refusal is a
 * failure. Each file's exact counts are asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/buf.h"
#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

/* Why a group is skipped: the member names jschema does not support. */
static const struct {
	const char *name, *why;
} skip_names[] = {
	/* ref.json "escaped pointer ref": the schema's own extra members are
	 * unknown keywords; jschema refuses those instead of ignoring them. */
	{ "tilda~field", "unknown keyword (jschema refuses, draft 7 ignores)" },
	{ "slash/field", "unknown keyword (jschema refuses, draft 7 ignores)" },
	{ "percent%field", "unknown keyword (jschema refuses, draft 7 ignores)" },
};

struct counts {
	int groups, skipped_groups, tests, passed;
};

/* Member maps whose values are schemas; arrays of schemas. */
static int
is_schema_map(const char *k)
{
	return strcmp(k, "properties") == 0 || strcmp(k, "patternProperties") == 0 ||
	    strcmp(k, "$defs") == 0 || strcmp(k, "definitions") == 0;
}

static int
is_schema_list(const char *k)
{
	return strcmp(k, "allOf") == 0 || strcmp(k, "anyOf") == 0 || strcmp(k, "oneOf") == 0 ||
	    strcmp(k, "prefixItems") == 0;
}

static int
is_data(const char *k)
{
	static const char *const names[] = { "enum", "const", "required", "type", "$ref", "pattern",
		"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "$id",
		"$schema", "title", "description", "default", "$comment", "examples", NULL };
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

static void rewrite(cJSON *s);

static void
rewrite_each(cJSON *s)
{
	cJSON *c;

	cJSON_ArrayForEach(c, s)
		rewrite(c);
}

/* draft 7 -> 2020-12 spellings, in place. */
static void
rewrite(cJSON *s)
{
	cJSON *k;

	if (!cJSON_IsObject(s))
		return;
	cJSON_ArrayForEach(k, s) {
		if (strcmp(k->string, "definitions") == 0) {
			free(k->string);
			k->string = pvecg_strdup("$defs");
			assert_non_null(k->string);
		}
		if (strcmp(k->string, "items") == 0 && cJSON_IsArray(k)) {
			free(k->string);
			k->string = pvecg_strdup("prefixItems");
			assert_non_null(k->string);
		}
		if (strcmp(k->string, "$ref") == 0 && cJSON_IsString(k)) {
			char buf[512];

			buf[0] = '\0';
			if (strncmp(k->valuestring, "#/definitions/", 14) == 0)
				snprintf(buf, sizeof(buf), "#/$defs/%s", k->valuestring + 14);
			else if (strncmp(k->valuestring, "#/items/", 8) == 0)
				snprintf(buf, sizeof(buf), "#/prefixItems/%s", k->valuestring + 8);
			if (buf[0] != '\0')
				assert_non_null(cJSON_SetValuestring(k, buf));
		}
		if (is_schema_map(k->string) || is_schema_list(k->string))
			rewrite_each(k);
		else if (!is_data(k->string))
			rewrite(k);
	}
}

/* A keyword beside "$ref" that draft 7 ignores and 2020-12 applies. */
static int
ref_sibling_applies(const cJSON *s)
{
	static const char *const inert[] = { "$ref", "definitions", "$defs", "$id", "$schema",
		"$comment", "title", "description", NULL };
	const cJSON *k;
	size_t i;

	cJSON_ArrayForEach(k, s) {
		for (i = 0; inert[i] != NULL && strcmp(k->string, inert[i]) != 0; i++)
			;
		if (inert[i] == NULL)
			return 1;
	}
	return 0;
}

/* The skip reason for a schema, or NULL to run it. */
static const char *
skip_reason(const cJSON *s)
{
	const cJSON *k, *ref;
	const char *why;
	size_t i;

	if (!cJSON_IsObject(s))
		return NULL;
	ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
	if (ref != NULL && ref_sibling_applies(s))
		return "$ref beside other keywords (draft 7 ignores them, 2020-12 applies them)";
	if (cJSON_IsString(ref) && ref->valuestring[0] != '#')
		return "$ref to a URI (jschema resolves local JSON pointers only)";
	cJSON_ArrayForEach(k, s) {
		for (i = 0; i < sizeof(skip_names) / sizeof(skip_names[0]); i++)
			if (strcmp(k->string, skip_names[i].name) == 0)
				return skip_names[i].why;
		if (is_schema_map(k->string) || is_schema_list(k->string)) {
			const cJSON *c;

			cJSON_ArrayForEach(c, k)
				if ((why = skip_reason(c)) != NULL)
					return why;
		} else if (!is_data(k->string) && (why = skip_reason(k)) != NULL) {
			return why;
		}
	}
	return NULL;
}

static cJSON *
load(const char *file)
{
	const char *dir = getenv("PVECG_SOURCE_DIR");
	char path[1024];
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_error err;
	cJSON *j;

	memset(&err, 0, sizeof(err));
	if (dir == NULL)
		dir = ".";
	snprintf(path, sizeof(path),
	    "%s/tests/fixtures/json-schema-test-suite/tests/draft7/%s.json", dir, file);
	if (pvecg_read_file(&b, path, 4 << 20, &err) != 0)
		fail_msg("cannot read %s", path);
	j = pvecg_json_parse(b.data, b.len, NULL);
	pvecg_buf_free(&b);
	if (j == NULL)
		fail_msg("%s: not JSON", path);
	return j;
}

static struct counts
run_file(const char *file)
{
	struct counts c = { 0, 0, 0, 0 };
	cJSON *doc = load(file), *g;

	cJSON_ArrayForEach(g, doc) {
		cJSON *schema = cJSON_GetObjectItemCaseSensitive(g, "schema");
		const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g, "tests"), *t;
		const char *gdesc = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(g, "description"));
		const char *why = skip_reason(schema);

		c.groups++;
		if (why != NULL) {
			printf("# %s: skipped \"%s\" (%d tests): %s\n", file, gdesc,
			    cJSON_GetArraySize(tests), why);
			c.skipped_groups++;
			continue;
		}
		rewrite(schema);
		cJSON_ArrayForEach(t, tests) {
			const cJSON *data = cJSON_GetObjectItemCaseSensitive(t, "data");
			int valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "valid"));
			pvecg_error err;
			size_t nfail = 0;
			int rc;

			memset(&err, 0, sizeof(err));
			c.tests++;
			rc = pvecg_jschema_validate(&nfail, schema, data, 1, NULL, NULL, &err);
			if (rc == 0 && (nfail == 0) == valid) {
				c.passed++;
				continue;
			}
			printf("# %s: FAIL \"%s\" / \"%s\": %s\n", file, gdesc,
			    cJSON_GetStringValue(
			        cJSON_GetObjectItemCaseSensitive(t, "description")),
			    rc != 0     ? err.message
			        : valid ? "rejected a valid instance"
			                : "accepted an invalid instance");
		}
	}
	cJSON_Delete(doc);
	printf("# %s: %d groups (%d skipped), %d/%d tests pass\n", file, c.groups, c.skipped_groups,
	    c.passed, c.tests);
	return c;
}

static const struct {
	const char *file;
	int groups, skipped_groups, tests, passed;
} expect[] = {
	{ "additionalProperties", 5, 0, 14, 14 },
	{ "allOf", 6, 0, 14, 14 },
	{ "anyOf", 6, 0, 14, 14 },
	{ "boolean_schema", 2, 0, 18, 18 },
	{ "const", 4, 0, 12, 12 },
	{ "enum", 3, 0, 9, 9 },
	{ "items", 5, 0, 17, 17 },
	{ "maxItems", 1, 0, 4, 4 },
	{ "maxLength", 1, 0, 5, 5 },
	{ "maximum", 1, 0, 4, 4 },
	{ "minItems", 1, 0, 4, 4 },
	{ "minLength", 1, 0, 5, 5 },
	{ "minimum", 1, 0, 4, 4 },
	{ "oneOf", 7, 0, 15, 15 },
	{ "pattern", 2, 0, 4, 4 },
	{ "patternProperties", 4, 0, 21, 21 },
	{ "properties", 3, 0, 18, 18 },
	{ "ref", 11, 4, 14, 14 },
	{ "required", 3, 0, 7, 7 },
	{ "type", 8, 0, 59, 59 },
};

static void
test_suite_files_pass_counts(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		struct counts c = run_file(expect[i].file);

		if (c.groups != expect[i].groups || c.skipped_groups != expect[i].skipped_groups ||
		    c.tests != expect[i].tests || c.passed != expect[i].passed) {
			printf("# %s: expected %d groups (%d skipped), %d/%d\n", expect[i].file,
			    expect[i].groups, expect[i].skipped_groups, expect[i].passed,
			    expect[i].tests);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_files_pass_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
