/* diff output: the Markdown changelog (grouped by route group, counts at
 * the top) and the JSON form described by schemas/diff.schema.json, plus
 * the `diff` command itself (load both sides, compare, print, exit status). */
#include <stdlib.h>
#include <string.h>

#include "pvecg/diff.h"
#include "pvecg/json.h"
#include "pvecg/product.h"

#define FAIL_ON_EXIT 3

/* ------------------------------------------------------------------ */
/* Markdown                                                             */

/* An inline code span that survives backticks and newlines in s. */
static int
md_code(pvecg_buf *b, const char *s)
{
	const char *fence = strchr(s, '`') ? "``" : "`";
	const char *pad = strchr(s, '`') ? " " : "";
	size_t i;
	int rc = pvecg_buf_printf(b, "%s%s", fence, pad);

	for (i = 0; s[i] && rc == 0; i++)
		rc = pvecg_buf_append(b, s[i] == '\n' || s[i] == '\r' ? " " : &s[i], 1);
	return rc != 0 ? rc : pvecg_buf_printf(b, "%s%s", pad, fence);
}

static int
md_value(pvecg_buf *b, const char *s)
{
	return s ? md_code(b, s) : pvecg_buf_puts(b, "none");
}

static const char *
severity_tag(pvecg_diff_severity s)
{
	return s == PVECG_DIFF_BREAKING ? "**breaking**"
	    : s == PVECG_DIFF_POTENTIAL ? "*potentially breaking*"
	                                : "safe";
}

struct phrase {
	const char *kind, *text; /* text: "%o"/"%n" stand for the old and new value */
};

static const struct phrase phrases[] = {
	{ "added", "added" },
	{ "removed", "removed" },
	{ "type-changed", "type %o → %n" },
	{ "made-required", "now required" },
	{ "made-optional", "now optional" },
	{ "enum-values-added", "enum values added: %n" },
	{ "enum-values-removed", "enum values removed: %o" },
	{ "enum-introduced", "now restricted to %n" },
	{ "enum-dropped", "no longer restricted to %o" },
	{ "minimum-changed", "minimum %o → %n" },
	{ "maximum-changed", "maximum %o → %n" },
	{ "minLength-changed", "minLength %o → %n" },
	{ "maxLength-changed", "maxLength %o → %n" },
	{ "pattern-changed", "pattern %o → %n" },
	{ "format-changed", "format %o → %n" },
	{ "default-changed", "default %o → %n" },
	{ "index-max-changed", "highest index %o → %n" },
	{ "location-changed", "moved from %o to %n" },
	{ "property-string-introduced", "is now a property string" },
	{ "property-string-dropped", "is no longer a property string" },
	{ "allowtoken-changed", "API tokens allowed: %o → %n" },
	{ "protected-changed", "protected: %o → %n" },
	{ "proxyto-changed", "proxied by parameter %o → %n" },
	{ "permissions-changed", "permissions %o → %n" },
};

PVECG_NODISCARD static int
md_phrase(pvecg_buf *b, const pvecg_diff_change *ch)
{
	const char *t = ch->kind;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(phrases[i].kind, ch->kind) == 0)
			t = phrases[i].text;
	for (; *t && rc == 0; t++) {
		if (t[0] == '%' && (t[1] == 'o' || t[1] == 'n')) {
			rc = md_value(b, t[1] == 'o' ? ch->old_value : ch->new_value);
			t++;
		} else {
			rc = pvecg_buf_append(b, t, 1);
		}
	}
	return rc;
}

static int
md_change(pvecg_buf *b, const pvecg_diff_change *ch)
{
	const char *what = strcmp(ch->area, "parameter") == 0 ? "parameter "
	    : strcmp(ch->area, "response") == 0               ? "response "
	    : strcmp(ch->area, "property-string") == 0        ? "property-string key "
	                                                      : "";
	int rc = pvecg_buf_printf(b, "- %s: %s", severity_tag(ch->severity), what);

	if (rc == 0 && ch->subject[0])
		rc = md_code(b, ch->subject) || pvecg_buf_puts(b, " ");
	if (rc == 0 && strcmp(ch->kind, "added") == 0 && strcmp(ch->area, "parameter") == 0 &&
	    ch->severity == PVECG_DIFF_BREAKING)
		rc = pvecg_buf_puts(b, "added (required)");
	else if (rc == 0)
		rc = md_phrase(b, ch);
	return rc != 0 ? rc : pvecg_buf_puts(b, "\n");
}

static bool
is_op(const pvecg_diff_change *ch, const char *kind)
{
	return strcmp(ch->area, "operation") == 0 && strcmp(ch->kind, kind) == 0;
}

static bool
listed(const pvecg_diff_change *ch, bool breaking_only)
{
	return !breaking_only || ch->severity == PVECG_DIFF_BREAKING;
}

static bool
same_op(const pvecg_diff_change *a, const pvecg_diff_change *b)
{
	return strcmp(a->path, b->path) == 0 && strcmp(a->method, b->method) == 0;
}

/* The operations of one group that were added or removed, one line each. */
static int
md_op_list(pvecg_buf *b, const pvecg_diff_change *v, size_t n, const char *kind, const char *title,
    bool breaking_only)
{
	size_t i;
	int rc = 0, any = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (!is_op(&v[i], kind) || !listed(&v[i], breaking_only))
			continue;
		if (!any++)
			rc = pvecg_buf_printf(b, "%s:\n\n", title);
		if (rc == 0)
			rc = pvecg_buf_printf(b, "- %s: `%s %s` (`%s`)\n",
			    severity_tag(v[i].severity), v[i].method, v[i].path, v[i].operation_id);
	}
	return rc == 0 && any ? pvecg_buf_puts(b, "\n") : rc;
}

static int
md_group(pvecg_buf *b, const pvecg_diff_change *v, size_t n, bool breaking_only)
{
	size_t i, shown = 0;
	const pvecg_diff_change *cur = NULL;
	int rc;

	for (i = 0; i < n; i++)
		shown += listed(&v[i], breaking_only);
	if (shown == 0)
		return 0;
	rc = pvecg_buf_printf(b, "## %s\n\n", v[0].group);
	if (rc == 0)
		rc = md_op_list(b, v, n, "removed", "Removed operations", breaking_only);
	if (rc == 0)
		rc = md_op_list(b, v, n, "added", "Added operations", breaking_only);
	for (i = 0; i < n && rc == 0; i++) {
		if (is_op(&v[i], "added") || is_op(&v[i], "removed") ||
		    !listed(&v[i], breaking_only))
			continue;
		if (cur == NULL || !same_op(cur, &v[i])) {
			rc = pvecg_buf_printf(b, "%s### `%s %s` (`%s`)\n\n", cur ? "\n" : "",
			    v[i].method, v[i].path, v[i].operation_id);
			cur = &v[i];
		}
		if (rc == 0)
			rc = md_change(b, &v[i]);
	}
	return rc == 0 && cur ? pvecg_buf_puts(b, "\n") : rc;
}

static int
md_summary(pvecg_buf *b, const pvecg_diff *d, bool breaking_only)
{
	const pvecg_diff_summary *s = &d->summary;
	const char *ov = d->old_version ? d->old_version : "old";
	const char *nv = d->new_version ? d->new_version : "new";
	const pvecg_product *pr = pvecg_product_find(d->product);

	return pvecg_buf_printf(b,
	    "# %s changes: %s → %s\n\n"
	    "| Change | Count |\n|---|---:|\n"
	    "| Operations added | %zu |\n| Operations removed | %zu |\n"
	    "| Operations changed | %zu |\n| Parameters added | %zu |\n"
	    "| Parameters removed | %zu |\n| Parameters changed | %zu |\n"
	    "| Breaking changes | %zu |\n| Potentially breaking changes | %zu |\n"
	    "| Safe changes | %zu |\n\n"
	    "%zu operations in %s, %zu in %s. Declared types are compared; the "
	    "classification rules are in the README (`diff`).%s\n\n",
	    (pr != NULL ? pr : &pvecg_products[0])->title, ov, nv, s->operations_added,
	    s->operations_removed, s->operations_changed, s->parameters_added,
	    s->parameters_removed, s->parameters_changed, s->breaking, s->potential, s->safe,
	    s->operations_old, ov, s->operations_new, nv,
	    breaking_only ? " Only breaking changes are listed below." : "");
}

int
pvecg_diff_markdown(pvecg_buf *out, const pvecg_diff *d, bool breaking_only)
{
	size_t i = 0, j;
	int rc = md_summary(out, d, breaking_only);

	while (rc == 0 && i < d->n) {
		for (j = i; j < d->n && strcmp(d->items[j].group, d->items[i].group) == 0; j++)
			;
		rc = md_group(out, d->items + i, j - i, breaking_only);
		i = j;
	}
	if (rc == 0 && d->n == 0)
		rc = pvecg_buf_puts(out, "No changes.\n");
	/* One final newline, as every artifact ends. */
	while (rc == 0 && out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	return rc != 0 ? PVECG_ENOMEM : 0;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */

static cJSON *
str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static bool
add(cJSON *o, const char *key, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObject(o, key, v)) {
		cJSON_Delete(v);
		return false;
	}
	return true;
}

static bool
add_num(cJSON *o, const char *key, size_t v)
{
	return add(o, key, cJSON_CreateNumber((double)v));
}

static cJSON *
json_change(const pvecg_diff_change *ch)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add(o, "group", cJSON_CreateString(ch->group)) ||
	    !add(o, "method", cJSON_CreateString(ch->method)) ||
	    !add(o, "path", cJSON_CreateString(ch->path)) ||
	    !add(o, "operation_id", cJSON_CreateString(ch->operation_id)) ||
	    !add(o, "area", cJSON_CreateString(ch->area)) ||
	    !add(o, "kind", cJSON_CreateString(ch->kind)) ||
	    !add(o, "subject", cJSON_CreateString(ch->subject)) ||
	    !add(o, "old", str_or_null(ch->old_value)) ||
	    !add(o, "new", str_or_null(ch->new_value)) ||
	    !add(o, "severity", cJSON_CreateString(pvecg_diff_severity_name(ch->severity)))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
json_summary(const pvecg_diff_summary *s)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add_num(o, "operations_old", s->operations_old) ||
	    !add_num(o, "operations_new", s->operations_new) ||
	    !add_num(o, "operations_added", s->operations_added) ||
	    !add_num(o, "operations_removed", s->operations_removed) ||
	    !add_num(o, "operations_changed", s->operations_changed) ||
	    !add_num(o, "parameters_added", s->parameters_added) ||
	    !add_num(o, "parameters_removed", s->parameters_removed) ||
	    !add_num(o, "parameters_changed", s->parameters_changed) ||
	    !add_num(o, "breaking", s->breaking) ||
	    !add_num(o, "potentially_breaking", s->potential) || !add_num(o, "safe", s->safe)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
json_side(const char *version, const char *product)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add(o, "version", str_or_null(version)) ||
	    !add(o, "product", str_or_null(product))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
pvecg_diff_json(pvecg_buf *out, const pvecg_diff *d, bool breaking_only)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	size_t i;
	int rc = PVECG_ENOMEM;

	if (root == NULL || arr == NULL || !add(root, "changes", arr)) {
		if (root == NULL || arr == NULL)
			cJSON_Delete(arr);
		goto out;
	}
	for (i = 0; i < d->n; i++)
		if (listed(&d->items[i], breaking_only) &&
		    !cJSON_AddItemToArray(arr, json_change(&d->items[i])))
			goto out;
	if (!add(root, "diff_version", cJSON_CreateNumber(1)) ||
	    !add(root, "breaking_only", cJSON_CreateBool(breaking_only)) ||
	    !add(root, "old", json_side(d->old_version, d->old_product)) ||
	    !add(root, "new", json_side(d->new_version, d->product)) ||
	    !add(root, "summary", json_summary(&d->summary)))
		goto out;
	rc = pvecg_json_write(out, root) == 0 ? 0 : PVECG_ENOMEM;
out:
	cJSON_Delete(root);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The command                                                          */

int
pvecg_diff_main(const char *old_arg, const char *new_arg, const char *root, bool json,
    bool breaking_only, int fail_on, FILE *fp)
{
	cJSON *a = NULL, *b = NULL;
	pvecg_diff *d = NULL;
	pvecg_buf out = PVECG_BUF_INIT;
	pvecg_error err;
	int rc, status = 1;

	pvecg_error_clear(&err);
	rc = pvecg_diff_load(&a, old_arg, root, &err);
	if (rc == 0)
		rc = pvecg_diff_load(&b, new_arg, root, &err);
	if (rc == 0)
		rc = pvecg_diff_documents(&d, a, b, &err);
	if (rc == 0 &&
	    (json ? pvecg_diff_json(&out, d, breaking_only)
	          : pvecg_diff_markdown(&out, d, breaking_only)) != 0)
		rc = pvecg_error_set(&err, PVECG_ENOMEM, "diff", "out of memory");
	if (rc == 0 && (fwrite(out.data, 1, out.len, fp) != out.len || fflush(fp) != 0))
		rc = pvecg_error_set(&err, PVECG_EIO, "diff", "cannot write the output");
	if (rc != 0) {
		pvecg_error_print(&err, stderr);
		status = rc == PVECG_EUSAGE ? 2 : 1;
	} else {
		status = 0;
		if (fail_on >= 0 &&
		    ((fail_on <= PVECG_DIFF_POTENTIAL && d->summary.potential) ||
		        d->summary.breaking))
			status = FAIL_ON_EXIT;
	}
	pvecg_buf_free(&out);
	pvecg_diff_free(d);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return status;
}
