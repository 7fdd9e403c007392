/* The schema literal's fast path, without duktape: recognise a
 * `var|let|const NAME = <JSON literal>` statement, validate the literal as
 * strict JSON in one pass (and look at its shape), and parse such a literal
 * with cJSON in the parent. The splitter, the child and the parent share it. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pvecg/jsrun.h"
#include "jssplit.h"
#include "jsrun_int.h"

/* Strict RFC 8259 validation without building anything, plus a look at
 * the top-level shape: an array of objects, each with a string "path" and
 * an object "info" or an array "children" (the schema's tree nodes). Keys
 * written with escapes make the answer SHAPE_UNSURE. */
#define JSON_MAX_DEPTH 512

enum {
	KEY_OTHER,
	KEY_PATH,
	KEY_INFO,
	KEY_CHILDREN,
	KEY_ESCAPED
};

typedef struct jcheck {
	const char *s;
	size_t len, i;
	char stack[JSON_MAX_DEPTH];
	size_t depth;
	int top_array, bad, unsure;
	size_t elems;
	int key, path_ok, info_ok, children_ok, elem_unsure;
} jcheck;

static void
j_ws(jcheck *j)
{
	const char *s = j->s;
	size_t i = j->i;

	while (i < j->len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	j->i = i;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at j->i; *escaped tells whether it held a backslash. */
static int
j_string(jcheck *j, int *escaped)
{
	const char *s = j->s;
	size_t i = j->i + 1, k;
	unsigned char c;

	*escaped = 0;
	for (;;) {
		if (i >= j->len)
			return 0;
		c = (unsigned char)s[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			*escaped = 1;
			if (i + 1 >= j->len)
				return 0;
			c = (unsigned char)s[i + 1];
			if (c == 'u') {
				if (i + 5 >= j->len)
					return 0;
				for (k = 2; k < 6; k++)
					if (!is_hex(s[i + k]))
						return 0;
				i += 6;
				continue;
			}
			if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return 0;
			i += 2;
			continue;
		}
		i++;
	}
	j->i = i + 1;
	return 1;
}

static size_t
j_digits(const jcheck *j, size_t i)
{
	while (i < j->len && j->s[i] >= '0' && j->s[i] <= '9')
		i++;
	return i;
}

static int
j_number(jcheck *j)
{
	size_t i = j->i, k;

	if (i < j->len && j->s[i] == '-')
		i++;
	if (i < j->len && j->s[i] == '0')
		i++;
	else if ((k = j_digits(j, i)) > i)
		i = k;
	else
		return 0;
	if (i < j->len && j->s[i] == '.') {
		if ((k = j_digits(j, i + 1)) == i + 1)
			return 0;
		i = k;
	}
	if (i < j->len && (j->s[i] == 'e' || j->s[i] == 'E')) {
		i++;
		if (i < j->len && (j->s[i] == '+' || j->s[i] == '-'))
			i++;
		if ((k = j_digits(j, i)) == i)
			return 0;
		i = k;
	}
	j->i = i;
	return 1;
}

static int
j_word(jcheck *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return 0;
	j->i += n;
	return 1;
}

static int
j_scalar(jcheck *j)
{
	int esc;

	switch (j->s[j->i]) {
	case '"': return j_string(j, &esc);
	case 't': return j_word(j, "true");
	case 'f': return j_word(j, "false");
	case 'n': return j_word(j, "null");
	default: return j_number(j);
	}
}

/* Inside a tree node (depth 2 of a top-level array): which key is this. */
static int
in_node(const jcheck *j)
{
	return j->top_array && j->depth == 2 && j->stack[1] == '{';
}

static void
shape_value(jcheck *j, char c)
{
	if (j->depth == 0) {
		j->top_array = c == '[';
	} else if (j->depth == 1 && j->top_array) {
		j->elems++;
		if (c != '{')
			j->bad = 1;
		j->path_ok = j->info_ok = j->children_ok = j->elem_unsure = 0;
	} else if (in_node(j)) {
		if (j->key == KEY_PATH)
			j->path_ok = c == '"';
		else if (j->key == KEY_INFO)
			j->info_ok = c == '{' || c == '[';
		else if (j->key == KEY_CHILDREN)
			j->children_ok = c == '[';
	}
}

static void
shape_close(jcheck *j, char closed)
{
	if (j->depth != 1 || !j->top_array || closed != '{')
		return;
	if (j->elem_unsure)
		j->unsure = 1;
	else if (!j->path_ok || !(j->info_ok || j->children_ok))
		j->bad = 1;
}

/* `"key" :` of an object member. */
static int
j_key(jcheck *j)
{
	size_t start;
	int esc;

	j_ws(j);
	if (j->i >= j->len || j->s[j->i] != '"')
		return 0;
	start = j->i + 1;
	if (!j_string(j, &esc))
		return 0;
	if (in_node(j)) {
		if (esc)
			j->key = j->elem_unsure = KEY_ESCAPED;
		else if (j->i - 1 - start == 4 && memcmp(j->s + start, "path", 4) == 0)
			j->key = KEY_PATH;
		else if (j->i - 1 - start == 4 && memcmp(j->s + start, "info", 4) == 0)
			j->key = KEY_INFO;
		else if (j->i - 1 - start == 8 && memcmp(j->s + start, "children", 8) == 0)
			j->key = KEY_CHILDREN;
		else
			j->key = KEY_OTHER;
	}
	j_ws(j);
	if (j->i >= j->len || j->s[j->i] != ':')
		return 0;
	j->i++;
	return 1;
}

/* After a value: ',' (then the next value), a closer, or the end.
 * Returns 1 for "a value follows", 2 for "done", 0 for invalid. */
static int
j_after(jcheck *j)
{
	char top;

	for (;;) {
		if (j->depth == 0)
			return 2;
		j_ws(j);
		if (j->i >= j->len)
			return 0;
		top = j->stack[j->depth - 1];
		if (j->s[j->i] == ',') {
			j->i++;
			return top == '{' ? j_key(j) : 1;
		}
		if (j->s[j->i] != (top == '{' ? '}' : ']'))
			return 0;
		j->i++;
		j->depth--;
		shape_close(j, top);
	}
}

/* Validates one JSON value at the start of s; *end is where it stops (on
 * failure: where the value stopped being JSON). */
int
jsrun_json_check(const char *s, size_t len, size_t *end, int *shape)
{
	jcheck *j = calloc(1, sizeof(*j));
	int r = 0;
	char c;

	if (j == NULL)
		return 0;
	j->s = s;
	j->len = len;
	for (;;) {
		j_ws(j);
		if (j->i >= len)
			break;
		c = s[j->i];
		shape_value(j, c);
		if (c == '{' || c == '[') {
			if (j->depth == JSON_MAX_DEPTH)
				break;
			j->stack[j->depth++] = c;
			j->i++;
			j_ws(j);
			if (j->i < len && s[j->i] == (c == '{' ? '}' : ']')) {
				j->i++;
				j->depth--;
				shape_close(j, c);
			} else {
				if (c == '{' && !j_key(j))
					break;
				continue;
			}
		} else if (!j_scalar(j)) {
			break;
		}
		r = j_after(j);
		if (r != 1)
			break;
		r = 0;
	}
	*end = j->i;
	if (r == 2)
		*shape = !j->top_array || j->elems == 0 || j->bad ? SHAPE_NO
		    : j->unsure                                   ? SHAPE_UNSURE
		                                                  : SHAPE_YES;
	free(j);
	return r == 2;
}

/* `var|let|const NAME =` followed by '[' or '{': fills the name range and
 * the literal's start, or returns 0. */
int
jsrun_decl_prefix(const char *s, size_t len, json_decl *d)
{
	size_t i;

	if (len > 4 && (memcmp(s, "var", 3) == 0 || memcmp(s, "let", 3) == 0) &&
	    is_space((unsigned char)s[3]))
		i = 3;
	else if (len > 6 && memcmp(s, "const", 5) == 0 && is_space((unsigned char)s[5]))
		i = 5;
	else
		return 0;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	d->name_off = i;
	if (i >= len || (s[i] >= '0' && s[i] <= '9'))
		return 0;
	while (i < len && is_ident_byte((unsigned char)s[i]))
		i++;
	d->name_len = i - d->name_off;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	if (d->name_len == 0 || i + 1 >= len || s[i] != '=' || s[i + 1] == '=')
		return 0;
	i++;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	if (i >= len || (s[i] != '[' && s[i] != '{'))
		return 0;
	d->lit_off = i;
	return 1;
}

/* One bracketed JSON value at the start of s, copied without the white
 * space outside strings and with each "\u0000" as C0 80 (cJSON would end
 * the string there; see pvecg_json_parse): stops after the bracket that
 * closes the first one. NULL when s ends before that. */
static char *
minify_value(const char *s, size_t len, size_t *consumed, size_t *out_len)
{
	char *o = malloc(len + 1);
	size_t i, n = 0, depth = 0;
	int in_str = 0;
	char ch;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		ch = s[i];
		if (in_str) {
			if (ch == '\\' && len - i >= 6 && memcmp(s + i, "\\u0000", 6) == 0) {
				/* NUL as C0 80: see pvecg_json_parse */
				o[n++] = (char)0xc0;
				o[n++] = (char)0x80;
				i += 5;
				continue;
			}
			o[n++] = ch;
			if (ch == '\\' && i + 1 < len)
				o[n++] = s[++i];
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
			continue;
		o[n++] = ch;
		in_str = ch == '"';
		if (ch == '[' || ch == '{') {
			depth++;
		} else if ((ch == ']' || ch == '}') && depth > 0 && --depth == 0) {
			o[n] = '\0';
			*consumed = i + 1;
			*out_len = n;
			return o;
		}
	}
	free(o);
	return NULL;
}

cJSON *
jsrun_parse_value(const char *s, size_t len, size_t *consumed)
{
	const char *end = NULL;
	size_t text_len = 0;
	char *text;
	cJSON *tree;

	/* Without a NUL escape the text is parsed where it is (into the
	 * caller's arena, whitespace costs little); cJSON stops right after
	 * the value, as the minified copy does. */
	if (memmem(s, len, "\\u0000", 6) == NULL) {
		tree = cJSON_ParseWithLengthOpts(s, len, &end, 0);
		if (tree != NULL)
			*consumed = (size_t)(end - s);
		return tree;
	}
	if ((text = minify_value(s, len, consumed, &text_len)) == NULL)
		return NULL;
	tree = cJSON_ParseWithLength(text, text_len);
	free(text);
	return tree;
}

void
jsrun_make_guess(guess *g, const pvecg_script *script)
{
	splitter probe;
	json_decl d;
	size_t i, consumed = 0;

	memset(g, 0, sizeof(*g));
	memset(&probe, 0, sizeof(probe));
	probe.s = script->text;
	probe.len = script->text != NULL ? script->len : 0;
	i = jssplit_peek_significant(&probe, 0);
	if (!jsrun_decl_prefix(probe.s + i, probe.len - i, &d))
		return;
	i += d.lit_off;
	g->tree = jsrun_parse_value(probe.s + i, probe.len - i, &consumed);
	if (!cJSON_IsArray(g->tree)) {
		cJSON_Delete(g->tree);
		g->tree = NULL;
		return;
	}
	g->off = i;
	g->len = consumed;
}
