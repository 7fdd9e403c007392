/* jsrun: statement splitter and the sandboxed runner on real viewers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/jsrun.h"
#include "pvecg/util.h"

static const char *fixtures;

/* ---- splitter ---------------------------------------------------- */

typedef struct split_result {
	pvecg_span *spans;
	size_t n;
	const char *src;
} split_result;

static void
split(split_result *r, const char *src)
{
	pvecg_error err;

	pvecg_error_clear(&err);
	r->src = src;
	assert_int_equal(pvecg_jsrun_split(&r->spans, &r->n, src, strlen(src), &err), 0);
}

static void
assert_stmt(const split_result *r, size_t i, const char *want)
{
	assert_true(i < r->n);
	if (r->spans[i].len != strlen(want) ||
	    memcmp(r->src + r->spans[i].off, want, strlen(want)) != 0)
		fail_msg("statement %zu is \"%.*s\", want \"%s\"", i, (int)r->spans[i].len,
		    r->src + r->spans[i].off, want);
}

static void
test_split_keeps_semicolons_inside_strings(void **state)
{
	split_result r;

	(void)state;
	split(&r, "var a = 'x;y\\';z'; var b = \"p;q\\\";\";");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 0, "var a = 'x;y\\';z';");
	assert_stmt(&r, 1, "var b = \"p;q\\\";\";");
	free(r.spans);
}

static void
test_split_follows_template_literal_substitutions(void **state)
{
	split_result r;

	(void)state;
	split(&r, "let t = `a;${ {b: ';'}.b + `in;${x;}` }c;`;\nfoo();");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 0, "let t = `a;${ {b: ';'}.b + `in;${x;}` }c;`;");
	assert_stmt(&r, 1, "foo();");
	free(r.spans);
}

static void
test_split_skips_regex_literals_with_semicolons_and_quotes(void **state)
{
	split_result r;

	(void)state;
	split(&r,
	    "var r = /;'\"[/;]/g; x = a / b / c; if (ok) /a;b/.test(s);\n"
	    "path.replace(/\\/\\s*$/, '');");
	assert_int_equal(r.n, 4);
	assert_stmt(&r, 0, "var r = /;'\"[/;]/g;");
	assert_stmt(&r, 1, "x = a / b / c;");
	assert_stmt(&r, 2, "if (ok) /a;b/.test(s);");
	assert_stmt(&r, 3, "path.replace(/\\/\\s*$/, '');");
	free(r.spans);
}

static void
test_split_ignores_comments(void **state)
{
	split_result r;

	(void)state;
	split(&r, "// a; b\nvar x = 1; /* ; { ( */ var y = '/*';\n/*global apiSchema*/\n");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 0, "var x = 1;");
	assert_stmt(&r, 1, "var y = '/*';");
	free(r.spans);
}

static void
test_split_ends_statements_at_newlines_after_blocks(void **state)
{
	split_result r;

	(void)state;
	split(&r,
	    "const f = (a) => { return a; }\nlet g = x => x * 2\nfoo()\n"
	    "function h() {\n  return 1;\n}\nExt.onReady(function () {\n  h();\n});\n"
	    "if (a) {\n}\nelse {\n}\nbar()\n  .baz()\n");
	assert_int_equal(r.n, 7);
	assert_stmt(&r, 0, "const f = (a) => { return a; }");
	assert_stmt(&r, 1, "let g = x => x * 2");
	assert_stmt(&r, 2, "foo()");
	assert_stmt(&r, 3, "function h() {\n  return 1;\n}");
	assert_stmt(&r, 4, "Ext.onReady(function () {\n  h();\n});");
	assert_stmt(&r, 5, "if (a) {\n}\nelse {\n}");
	assert_stmt(&r, 6, "bar()\n  .baz()");
	free(r.spans);
}

static void
test_split_keeps_semicolon_on_next_line(void **state)
{
	split_result r;

	(void)state;
	/* pve-9.1.js ends its schema with "]\n;" */
	split(
	    &r, "const apiSchema = [\n  {\"path\": \"/\"}\n]\n;\n\nlet m = {\n  GET: 'get'\n};\n");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 0, "const apiSchema = [\n  {\"path\": \"/\"}\n]\n;");
	assert_stmt(&r, 1, "let m = {\n  GET: 'get'\n};");
	free(r.spans);
}

static void
test_split_runs_unterminated_input_to_the_end(void **state)
{
	split_result r;

	(void)state;
	split(&r, "a();\nvar s = 'abc");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 1, "var s = 'abc");
	free(r.spans);
	split(&r, "var t = `x ${ y");
	assert_int_equal(r.n, 1);
	assert_stmt(&r, 0, "var t = `x ${ y");
	free(r.spans);
	split(&r, "var a = [1, {\"b\": 2");
	assert_int_equal(r.n, 1);
	assert_stmt(&r, 0, "var a = [1, {\"b\": 2");
	free(r.spans);
	split(&r, "/* open comment; var x = 1;");
	assert_int_equal(r.n, 0);
	free(r.spans);
	split(&r, "");
	assert_int_equal(r.n, 0);
	free(r.spans);
	split(&r, "x = /unterminated;\ny = 2;");
	assert_int_equal(r.n, 2);
	assert_stmt(&r, 0, "x = /unterminated;");
	free(r.spans);
}

/* Every prefix of tricky input and random bytes: spans stay inside the
 * input, in order, without overlap (ASan checks the reads). */
static void
check_spans(const char *src, size_t len)
{
	pvecg_span *spans = NULL;
	size_t n = 0, i, end = 0;
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, src, len); /* exact-size heap copy: ASan sees any over-read */
	assert_int_equal(pvecg_jsrun_split(&spans, &n, copy, len, NULL), 0);
	for (i = 0; i < n; i++) {
		assert_true(spans[i].off >= end);
		assert_true(spans[i].len > 0);
		assert_true(spans[i].off + spans[i].len <= len);
		end = spans[i].off + spans[i].len;
	}
	free(spans);
	free(copy);
}

static void
test_split_never_reads_outside_the_input(void **state)
{
	static const char tricky[] =
	    "var a = `${`${'\\`'}`}\\${`; /x[/]\\/ /g; b = c / d /* */ // e\n"
	    "f(\"\\\"\", '\\'') } ) ] { ( [ ${ `\\";
	unsigned int seed = 12345;
	char buf[512];
	size_t i, k;

	(void)state;
	for (i = 0; i <= sizeof(tricky) - 1; i++)
		check_spans(tricky, i);
	for (k = 0; k < 2000; k++) {
		size_t len = (size_t)(rand_r(&seed) % sizeof(buf));
		for (i = 0; i < len; i++) /* mostly syntax characters */
			buf[i] = "`'\"/\\*{}()[]$;\n x=+.\r\t"[rand_r(&seed) % 23];
		check_spans(buf, len);
	}
}

/* ---- runner -------------------------------------------------------- */

typedef struct counts {
	size_t nodes, methods, get, post, put, del;
} counts;

static void
count_tree(counts *c, const cJSON *nodes)
{
	const cJSON *node, *m;

	cJSON_ArrayForEach(node, nodes) {
		c->nodes++;
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(node, "info")) {
			c->methods++;
			c->get += strcmp(m->string, "GET") == 0;
			c->post += strcmp(m->string, "POST") == 0;
			c->put += strcmp(m->string, "PUT") == 0;
			c->del += strcmp(m->string, "DELETE") == 0;
		}
		count_tree(c, cJSON_GetObjectItemCaseSensitive(node, "children"));
	}
}

static void
read_fixture(pvecg_buf *b, const char *name)
{
	char path[4096];
	pvecg_error err;

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	pvecg_error_clear(&err);
	if (pvecg_read_file(b, path, 0, &err) != 0)
		fail_msg("%s: %s", err.where, err.message);
}

static int
run_text(pvecg_jsrun_result *r, pvecg_error *err, const char *name, const char *text)
{
	pvecg_script s = { name, text, strlen(text) };

	pvecg_error_clear(err);
	return pvecg_jsrun_run(r, &s, 1, NULL, err);
}

static void
run_fixture(
    const char *name, size_t nodes, size_t methods, size_t get, size_t post, size_t put, size_t del)
{
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_jsrun_result r;
	pvecg_error err;
	counts c = { 0, 0, 0, 0, 0, 0 };
	pvecg_script s;
	double t0, ms;
	int rc;

	read_fixture(&b, name);
	s.name = name;
	s.text = b.data;
	s.len = b.len;
	pvecg_error_clear(&err);
	t0 = pvecg_now();
	rc = pvecg_jsrun_run(&r, &s, 1, NULL, &err);
	ms = (pvecg_now() - t0) * 1000;
	if (rc != 0)
		fail_msg("%s: %s", err.where, err.message);
	printf("# %s: jsrun %.1f ms (%zu statements, %zu skipped)\n", name, ms, r.statements,
	    r.skipped);
	assert_string_equal(r.variable, "apiSchema");
	assert_true(cJSON_IsArray(r.schema));
	count_tree(&c, r.schema);
	assert_int_equal(c.nodes, nodes);
	assert_int_equal(c.methods, methods);
	assert_int_equal(c.get, get);
	assert_int_equal(c.post, post);
	assert_int_equal(c.put, put);
	assert_int_equal(c.del, del);
	pvecg_jsrun_result_free(&r);
	pvecg_buf_free(&b);
}

static void
test_runner_captures_pve_9_1(void **state)
{
	(void)state;
	run_fixture("pve-9.1.js", 432, 646, 326, 167, 79, 74);
}

static void
test_runner_captures_pve_8_4(void **state)
{
	(void)state;
	run_fixture("pve-8.4.js", 400, 605, 304, 155, 76, 70);
}

static void
test_runner_captures_pbs_4(void **state)
{
	(void)state;
	run_fixture("pbs-4.js", 248, 367, 185, 91, 53, 38);
}

static void
test_runner_counts_statements_of_pve_9_1(void **state)
{
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	read_fixture(&b, "pve-9.1.js");
	assert_int_equal(run_text(&r, &err, "pve-9.1.js", b.data), 0);
	/* schema, method2cmd, cliUsageRenderer (template literal: skipped),
	 * Ext.onReady(...) (ES2020 inside: skipped) */
	assert_int_equal(r.statements, 4);
	assert_int_equal(r.skipped, 2);
	pvecg_jsrun_result_free(&r);
	pvecg_buf_free(&b);
}

static void
test_runner_captures_old_split_viewer(void **state)
{
	static const char apidata[] =
	    "var pveapi = [\n"
	    "  {\"path\": \"/nodes\", \"text\": \"nodes\", \"leaf\": 0,\n"
	    "   \"info\": {\"GET\": {\"method\": \"GET\", \"name\": \"index\"}},\n"
	    "   \"children\": [{\"path\": \"/nodes/{node}\", \"text\": \"{node}\", \"leaf\": 1,\n"
	    "     \"info\": {\"GET\": {\"method\": \"GET\"}, \"DELETE\": {\"method\": "
	    "\"DELETE\"}}}]}\n"
	    "];\n";
	static const char viewer[] =
	    "const render = (x) => `<b>${x?.text ?? ''}</b>`;\n"
	    "let store = Ext.create('Ext.data.TreeStore', { root: { children: pveapi } });\n"
	    "class Viewer { #secret = 1; }\n"
	    "Ext.onReady(() => { throw new Error('must not run'); });\n"
	    "window.title = document.title;\n";
	pvecg_script s[2] = {
		{ "https://h/pve-docs/api-viewer/apidata.js", apidata, sizeof(apidata) - 1 },
		{ "https://h/pve-docs/api-viewer/PVEAPI.js", viewer, sizeof(viewer) - 1 },
	};
	pvecg_jsrun_result r;
	pvecg_error err;
	counts c = { 0, 0, 0, 0, 0, 0 };

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_jsrun_run(&r, s, 2, NULL, &err), 0);
	assert_string_equal(r.variable, "pveapi");
	count_tree(&c, r.schema);
	assert_int_equal(c.nodes, 2);
	assert_int_equal(c.methods, 3);
	assert_int_equal(r.statements, 6);
	/* the arrow function, the class with a private field, the arrow in
	 * Ext.onReady: duktape 2.7 cannot compile them */
	assert_int_equal(r.skipped, 3);
	pvecg_jsrun_result_free(&r);
}

static void
test_runner_finds_schema_by_shape_under_unknown_name(void **state)
{
	static const char js[] =
	    "var numbers = [1, 2, 3];\n"
	    "var objects = [{\"path\": 1, \"info\": {}}];\n"
	    "var someTree = [{\"path\": \"/version\", \"text\": \"version\", \"leaf\": 1,\n"
	    "  \"info\": {\"GET\": {\"method\": \"GET\"}}}];\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), 0);
	assert_string_equal(r.variable, "someTree");
	assert_int_equal(cJSON_GetArraySize(r.schema), 1);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 0), "path")->valuestring, "/version");
	pvecg_jsrun_result_free(&r);
}

static void
test_runner_finds_schema_with_escaped_keys(void **state)
{
	/* "p\u0061th" is "path": the literal check cannot tell, duktape can */
	static const char js[] = "var tree = [{\"p\\u0061th\": \"/\", \"children\": []}];";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), 0);
	assert_string_equal(r.variable, "tree");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 0), "path")->valuestring, "/");
	pvecg_jsrun_result_free(&r);
}

/* A literal followed by more code, on both ways of reading it: in place,
 * and copied (a "\u0000" in it, held as C0 80). The parent's reading is
 * used only when it ends where the runner says the literal ends. */
static void
test_runner_reads_literal_in_place_and_with_nul_escape(void **state)
{
	static const char plain[] = "var apiSchema = [ {\"path\" : \"/a\",\n\t\"info\": {} } ] ;\n"
	                            "var other = 1;\n";
	static const char nul[] = "var apiSchema = [{\"path\": \"/a\\u0000b\", \"info\": {}}];\n"
	                          "var other = [1];\n";
	static const char want[] = "/a\xc0\x80"
	                           "b";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", plain), 0);
	assert_string_equal(r.variable, "apiSchema");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 0), "path")->valuestring, "/a");
	pvecg_jsrun_result_free(&r);
	assert_int_equal(run_text(&r, &err, "x.js", nul), 0);
	assert_string_equal(r.variable, "apiSchema");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 0), "path")->valuestring, want);
	pvecg_jsrun_result_free(&r);
}

static void
test_runner_reports_schema_as_changed_by_later_code(void **state)
{
	static const char js[] = "var apiSchema = [{\"path\": \"/a\", \"info\": {}}];\n"
	                         "apiSchema.push({path: '/b', info: {GET: {method: 'GET'}}});\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), 0);
	assert_int_equal(cJSON_GetArraySize(r.schema), 2);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 1), "path")->valuestring, "/b");
	pvecg_jsrun_result_free(&r);
}

static void
test_runner_captures_schema_built_by_code(void **state)
{
	static const char js[] =
	    "var pmgapi = [];\n"
	    "for (var i = 0; i < 3; i++) pmgapi.push({path: '/p' + i, text: 'p', children: []});\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), 0);
	assert_string_equal(r.variable, "pmgapi");
	assert_int_equal(cJSON_GetArraySize(r.schema), 3);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 2), "path")->valuestring, "/p2");
	pvecg_jsrun_result_free(&r);
}

/* Several schema variables: the known names win in the viewers' order
 * (apiSchema, pveapi, pmgapi, pbsapi, pdmapi), whatever order the script
 * defines them in. */
static void
test_runner_prefers_known_schema_variables_in_order(void **state)
{
	static const char *const names[] = { "apiSchema", "pveapi", "pmgapi", "pbsapi", "pdmapi" };
	pvecg_buf js = PVECG_BUF_INIT;
	pvecg_jsrun_result r;
	pvecg_error err;
	size_t first, k;

	(void)state;
	for (first = 0; first < 5; first++) {
		js.len = 0;
		assert_int_equal(pvecg_buf_puts(&js,
		                     "var other = [{\"path\": \"/other\", \"children\": []}];\n"),
		    0);
		for (k = 5; k-- > first;)
			assert_int_equal(pvecg_buf_printf(&js,
			                     "var %s = [{\"path\": \"/%s\", \"children\": []}];\n",
			                     names[k], names[k]),
			    0);
		assert_int_equal(run_text(&r, &err, "x.js", js.data), 0);
		assert_string_equal(r.variable, names[first]);
		assert_string_equal(
		    cJSON_GetObjectItem(cJSON_GetArrayItem(r.schema, 0), "path")->valuestring + 1,
		    names[first]);
		pvecg_jsrun_result_free(&r);
	}
	pvecg_buf_free(&js);
}

/* A statement assigning any known schema variable that fails is named as
 * the one that assigns the schema variable. */
static void
test_runner_names_failed_statement_of_each_schema_variable(void **state)
{
	static const char *const names[] = { "apiSchema", "pveapi", "pmgapi", "pbsapi", "pdmapi" };
	char js[128], want[256];
	pvecg_jsrun_result r;
	pvecg_error err;
	size_t k;

	(void)state;
	for (k = 0; k < 5; k++) {
		snprintf(
		    js, sizeof(js), "var a = 1;\nvar %s = [{\"path\": missing()}];\n", names[k]);
		assert_int_equal(run_text(&r, &err, "x.js", js), PVECG_EINPUT);
		snprintf(want, sizeof(want),
		    "no schema array found: line 2, column %zu: ReferenceError: identifier "
		    "'missing' undefined (in the statement from line 2, column 1, which assigns "
		    "the schema "
		    "variable; ran 2 statements, skipped 1)",
		    18 + strlen(names[k]));
		assert_string_equal(err.message, want);
	}
}

/* No schema: the first statement that failed is named (none assigns a
 * schema variable), with its line and duktape's message; a runtime error's
 * line counts from the statement's first line. */
static void
test_runner_names_first_failed_statement(void **state)
{
	static const char js[] = "var a = 1;\nvar b = 2;   var c = {\n  x: 1,\n  y: missing()\n};\n"
	                         "var d = (;\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), PVECG_EINPUT);
	assert_string_equal(err.where, "x.js");
	assert_string_equal(err.message,
	    "no schema array found: line 4: ReferenceError: identifier "
	    "'missing' undefined (in the statement from line 2, column 14, the first that failed; "
	    "ran 4 statements, skipped 2)");
	assert_null(r.schema);
}

/* A thrown value whose lineNumber getter throws again is still reported. */
static void
test_runner_survives_hostile_thrown_value(void **state)
{
	static const char js[] = "var a = 1;\nthrow {get lineNumber() { throw 1; }};\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "x.js", js), PVECG_EINPUT);
	assert_string_equal(err.message,
	    "no schema array found: line 2: [object Object] (in the "
	    "statement from line 2, column 1, the first that failed; ran 2 statements, skipped 1)");
}

static void
test_runner_rejects_script_without_schema(void **state)
{
	static const char js[] = "var a = 1;\nfunction f() { return [{path: 1}]; }\nlet b = [];\n";
	pvecg_jsrun_result r;
	pvecg_error err;

	(void)state;
	assert_int_equal(run_text(&r, &err, "https://h/apidoc.js", js), PVECG_EINPUT);
	assert_string_equal(err.message, "no schema array found (ran 3 statements, skipped 0)");
	assert_string_equal(err.where, "https://h/apidoc.js");
	assert_null(r.schema);
	assert_null(r.variable);
}

static void
test_runner_rejects_truncated_schema(void **state)
{
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_jsrun_result r;
	pvecg_error err;
	pvecg_script s;

	(void)state;
	read_fixture(&b, "pve-9.1.js");
	s.name = "pve-9.1.js";
	s.text = b.data;
	s.len = b.len / 2;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_jsrun_run(&r, &s, 1, NULL, &err), PVECG_EINPUT);
	/* The half ends in the blank line 31562; duktape stops at line 31561,
	 * whose last token ends at column 72: the column is where it was cut. */
	assert_string_equal(err.where, "pve-9.1.js");
	assert_string_equal(err.message,
	    "no schema array found: line 31561, column 73: SyntaxError: invalid "
	    "object literal (in the statement from line 1, column 1, which assigns the schema "
	    "variable; ran 1 statements, skipped 1)");
	assert_null(r.schema);
	pvecg_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest split_tests[] = {
		cmocka_unit_test(test_split_keeps_semicolons_inside_strings),
		cmocka_unit_test(test_split_follows_template_literal_substitutions),
		cmocka_unit_test(test_split_skips_regex_literals_with_semicolons_and_quotes),
		cmocka_unit_test(test_split_ignores_comments),
		cmocka_unit_test(test_split_ends_statements_at_newlines_after_blocks),
		cmocka_unit_test(test_split_keeps_semicolon_on_next_line),
		cmocka_unit_test(test_split_runs_unterminated_input_to_the_end),
		cmocka_unit_test(test_split_never_reads_outside_the_input),
		cmocka_unit_test(test_runner_captures_old_split_viewer),
		cmocka_unit_test(test_runner_finds_schema_by_shape_under_unknown_name),
		cmocka_unit_test(test_runner_finds_schema_with_escaped_keys),
		cmocka_unit_test(test_runner_reads_literal_in_place_and_with_nul_escape),
		cmocka_unit_test(test_runner_reports_schema_as_changed_by_later_code),
		cmocka_unit_test(test_runner_captures_schema_built_by_code),
		cmocka_unit_test(test_runner_prefers_known_schema_variables_in_order),
		cmocka_unit_test(test_runner_names_failed_statement_of_each_schema_variable),
		cmocka_unit_test(test_runner_rejects_script_without_schema),
		cmocka_unit_test(test_runner_names_first_failed_statement),
		cmocka_unit_test(test_runner_survives_hostile_thrown_value),
	};
	const struct CMUnitTest fixture_tests[] = {
		cmocka_unit_test(test_runner_captures_pve_9_1),
		cmocka_unit_test(test_runner_captures_pve_8_4),
		cmocka_unit_test(test_runner_captures_pbs_4),
		cmocka_unit_test(test_runner_counts_statements_of_pve_9_1),
		cmocka_unit_test(test_runner_rejects_truncated_schema),
	};
	char probe[4096];
	FILE *fp;
	int failed;

	failed = cmocka_run_group_tests(split_tests, NULL, NULL);
	fixtures = getenv("PVECG_FIXTURES");
	if (fixtures != NULL) {
		snprintf(probe, sizeof(probe), "%s/pve-9.1.js", fixtures);
		fp = fopen(probe, "rb");
		if (fp == NULL)
			fixtures = NULL;
		else
			fclose(fp);
	}
	if (fixtures == NULL) {
		printf("FAIL: PVECG_FIXTURES is not set or lacks pve-9.1.js\n");
		return 1;
	}
	return failed + cmocka_run_group_tests(fixture_tests, NULL, NULL);
}
