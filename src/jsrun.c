/* jsrun: runs the viewer scripts in duktape and finds the schema array.
 *
 * The scripts are untrusted, so they run in a forked child: the child's
 * duktape heap counts every byte it allocates and refuses allocations past
 * the memory limit, and the parent reads the result pipe against a
 * deadline and SIGKILLs the child when it is reached (an alarm in the
 * child is the backup). A shared page carries the child's progress so the
 * parent can name the script and the statement counts on every outcome.
 *
 * Viewer scripts are written for browsers (ES2020) and duktape 2.7 cannot
 * compile most of them, so the child runs them one top-level statement at
 * a time and skips what does not compile or throws.
 *
 * The schema statement (`const apiSchema = [...]`, ~4 MB) is a JSON
 * literal. Compiling it as code costs ~115 ms; duk_json_decode plus
 * re-encoding and cJSON parsing still ~80 ms. So the child only validates
 * it (strict JSON, one pass) and binds the global as a lazy getter/setter:
 * if any later statement touches it, it is decoded then and the final
 * value is serialized as usual; if nothing touched it, the child reports
 * where the literal is and the parent parses those bytes itself (in fact
 * it already started, on its second core, while the child was running). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <duktape.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/jsrun.h"
#include "pvecg/util.h"

void
pvecg_jsrun_limits_init(pvecg_jsrun_limits *l)
{
	l->timeout_s = 10;
	l->memory = (size_t)512 << 20;
}

/* ------------------------------------------------------------------ */
/* Statement splitter                                                  */
/* ------------------------------------------------------------------ */

/* What the previous significant token was: decides whether '/' starts a
 * regex and whether a newline can end the statement. */
enum prev_tok {
	PT_NONE,    /* start of a statement */
	PT_VALUE,   /* identifier, literal, ')' or ']': '/' divides */
	PT_CLOSE,   /* '}' */
	PT_OP,      /* punctuator: an expression follows */
	PT_KEYWORD, /* return, typeof, var, else, ...: an expression follows */
	PT_CTRL,    /* ')' closing if/for/while/with (...) */
	PT_DOT      /* '.': the next word is a property name */
};

/* A statement `var|let|const NAME = <JSON literal>;` found by the runner's
 * splitter: byte ranges of the name and the literal, and the literal's
 * shape (SHAPE_*); shape 0 means the statement is something else. */
typedef struct json_decl {
	size_t name_off, name_len, lit_off, lit_len;
	int shape;
} json_decl;

enum { SHAPE_NO = 1, SHAPE_YES, SHAPE_UNSURE };

/* The bytes the script stage holds: the duktape heap and, outside it, the
 * splitter's arrays, statement copies and the lazy-global table. One
 * budget for all of them, so --js-memory bounds the whole stage. */
typedef struct budget {
	size_t used, limit;
	int refused; /* an allocation was refused: the limit was reached */
} budget;

/* realloc that charges the growth from old to size bytes to b (NULL: no
 * limit); NULL when over the limit or out of memory, p still valid. */
static void *
budget_realloc(budget *b, void *p, size_t old, size_t size)
{
	void *q;

	if (b != NULL && size > old && size - old > b->limit - b->used) {
		b->refused = 1;
		return NULL;
	}
	q = realloc(p, size);
	if (q == NULL) {
		if (b != NULL)
			b->refused = 1;
		return NULL;
	}
	if (b != NULL)
		b->used = b->used - old + size;
	return q;
}

static void
budget_free(budget *b, void *p, size_t size)
{
	if (p == NULL)
		return;
	if (b != NULL)
		b->used -= size;
	free(p);
}

typedef struct splitter {
	const char *s;
	size_t len, i;
	char *stack; /* '{' '(' '[' 'c' (control paren) 'T' (template ${) */
	size_t depth, stack_cap;
	int prev;
	int in_tmpl;   /* scanning template literal text */
	int ctrl_next; /* last word was if/for/while/with */
	int has_stmt;
	size_t start, last_end;
	pvecg_span *spans;
	size_t n, cap;
	int json_hook;   /* recognise `var NAME = <JSON>` statements (runner) */
	json_decl *decls; /* parallel to spans when json_hook is set */
	budget *mem;      /* charged for stack, spans and decls; NULL: none */
} splitter;

static int
is_ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '$' || c >= 0x80;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

static int
word_is(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(w, *list, n) == 0)
			return 1;
	return 0;
}

static const char *const expr_keywords[] = {
	"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
	"case", "do", "else", "yield", "await", "var", "let", "const", "if", "for",
	"while", "with", "function", "class", "extends", "export", "import", "default",
	"switch", "try", "catch", "finally", "debugger", "break", "continue", NULL
};
static const char *const ctrl_keywords[] = { "if", "for", "while", "with", NULL };
/* Words that continue a statement after a newline ("}\nelse {"). */
static const char *const cont_keywords[] = {
	"else", "catch", "finally", "instanceof", "in", "of", NULL
};

static int
push(splitter *sp, char c)
{
	char *p;
	size_t cap;

	if (sp->depth == sp->stack_cap) {
		cap = sp->stack_cap ? sp->stack_cap * 2 : 64;
		p = budget_realloc(sp->mem, sp->stack, sp->stack_cap, cap);
		if (p == NULL)
			return PVECG_ENOMEM;
		sp->stack = p;
		sp->stack_cap = cap;
	}
	sp->stack[sp->depth++] = c;
	return 0;
}

/* Pops one level; a stray closer at depth 0 is ignored. */
static char
pop(splitter *sp)
{
	return sp->depth > 0 ? sp->stack[--sp->depth] : 0;
}

static int
push_span(splitter *sp, size_t start, size_t end, const json_decl *d)
{
	static const json_decl none;
	pvecg_span *p;
	json_decl *q;
	size_t cap;

	if (sp->n == sp->cap) {
		cap = sp->cap ? sp->cap * 2 : 64;
		p = budget_realloc(sp->mem, sp->spans, sp->cap * sizeof(*p), cap * sizeof(*p));
		if (p == NULL)
			return PVECG_ENOMEM;
		sp->spans = p;
		if (sp->json_hook) {
			q = budget_realloc(sp->mem, sp->decls, sp->cap * sizeof(*q), cap * sizeof(*q));
			if (q == NULL) {
				/* spans grew alone: shrink the charge back to match */
				if (sp->mem != NULL)
					sp->mem->used -= (cap - sp->cap) * sizeof(*p);
				sp->spans = p;
				return PVECG_ENOMEM;
			}
			sp->decls = q;
		}
		sp->cap = cap;
	}
	sp->spans[sp->n].off = start;
	sp->spans[sp->n].len = end - start;
	if (sp->json_hook)
		sp->decls[sp->n] = d ? *d : none;
	sp->n++;
	sp->has_stmt = 0;
	sp->prev = PT_NONE;
	sp->ctrl_next = 0;
	return 0;
}

static int
end_stmt(splitter *sp, size_t end)
{
	if (!sp->has_stmt)
		return 0;
	return push_span(sp, sp->start, end, NULL);
}

/* Index of the next byte that is neither white space nor in a comment. */
static size_t
peek_significant(const splitter *sp, size_t j)
{
	const char *s = sp->s;

	while (j < sp->len) {
		if (is_space((unsigned char)s[j])) {
			j++;
		} else if (s[j] == '/' && j + 1 < sp->len && s[j + 1] == '/') {
			while (j < sp->len && s[j] != '\n')
				j++;
		} else if (s[j] == '/' && j + 1 < sp->len && s[j + 1] == '*') {
			j += 2;
			while (j + 1 < sp->len && !(s[j] == '*' && s[j + 1] == '/'))
				j++;
			j = j + 2 < sp->len ? j + 2 : sp->len;
		} else {
			break;
		}
	}
	return j;
}

/* Automatic semicolon insertion, simplified: at depth 0 a newline ends the
 * statement when the last token can end one and the next line cannot
 * continue it (does not start with an operator, '(', '[', '.', ...). */
static int
next_line_ends(const splitter *sp, size_t j, int prev)
{
	const char *s = sp->s;
	size_t k;

	if (prev != PT_VALUE && prev != PT_CLOSE)
		return 0;
	j = peek_significant(sp, j);
	if (j >= sp->len)
		return 0;
	if (strchr(".,?:+-*/%=<>&|^([`;)]}", s[j]) != NULL)
		return 0;
	if (s[j] == '{' && prev == PT_VALUE) /* function f()\n{ */
		return 0;
	if (is_ident_byte((unsigned char)s[j])) {
		for (k = j; k < sp->len && is_ident_byte((unsigned char)s[k]); k++)
			;
		if (word_is(s + j, k - j, cont_keywords))
			return 0;
	}
	return 1;
}

static int
newline_ends(const splitter *sp, size_t j)
{
	return sp->has_stmt && next_line_ends(sp, j, sp->prev);
}

static void
scan_string(splitter *sp, char quote)
{
	const char *s = sp->s;
	size_t i = sp->i + 1;

	while (i < sp->len) {
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == quote) {
			i++;
			break;
		}
		if (s[i] == '\n') /* unterminated: the line ends it */
			break;
		i++;
	}
	sp->i = i < sp->len ? i : sp->len;
}

/* Returns 1 and moves past the literal when a regex starts at sp->i;
 * 0 when the line ends first (then the '/' was a division after all). */
static int
scan_regex(splitter *sp)
{
	const char *s = sp->s;
	size_t i = sp->i + 1;
	int in_class = 0;

	while (i < sp->len && s[i] != '\n') {
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == '[') {
			in_class = 1;
		} else if (s[i] == ']') {
			in_class = 0;
		} else if (s[i] == '/' && !in_class) {
			i++;
			while (i < sp->len && is_ident_byte((unsigned char)s[i]))
				i++;
			sp->i = i;
			return 1;
		}
		i++;
	}
	return 0;
}

/* Template text up to the closing backtick or the next "${". */
static int
scan_template(splitter *sp)
{
	const char *s = sp->s;
	size_t i = sp->i;

	while (i < sp->len) {
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == '`') {
			sp->i = i + 1;
			sp->in_tmpl = 0;
			sp->prev = PT_VALUE;
			return 0;
		}
		if (s[i] == '$' && i + 1 < sp->len && s[i + 1] == '{') {
			sp->i = i + 2;
			sp->in_tmpl = 0;
			sp->prev = PT_OP;
			return push(sp, 'T');
		}
		i++;
	}
	sp->i = sp->len;
	return 0;
}

static void
scan_word(splitter *sp)
{
	const char *w = sp->s + sp->i;
	size_t j = sp->i;

	while (j < sp->len && is_ident_byte((unsigned char)sp->s[j]))
		j++;
	if (sp->prev == PT_DOT) {
		sp->prev = PT_VALUE;
	} else {
		sp->ctrl_next = word_is(w, j - sp->i, ctrl_keywords);
		sp->prev = word_is(w, j - sp->i, expr_keywords) ? PT_KEYWORD : PT_VALUE;
	}
	sp->i = j;
}

static int
regex_allowed(int prev)
{
	return prev != PT_VALUE && prev != PT_DOT;
}

/* One significant token in code. */
static int
scan_token(splitter *sp)
{
	char c = sp->s[sp->i], top;
	int ctrl = sp->ctrl_next;

	sp->ctrl_next = 0;
	switch (c) {
	case '\'':
	case '"':
		scan_string(sp, c);
		sp->prev = PT_VALUE;
		return 0;
	case '`':
		sp->i++;
		sp->in_tmpl = 1;
		return scan_template(sp);
	case '/':
		if (regex_allowed(sp->prev) && scan_regex(sp)) {
			sp->prev = PT_VALUE;
			return 0;
		}
		break;
	case '(':
	case '[':
	case '{':
		sp->i++;
		sp->prev = PT_OP;
		return push(sp, c == '(' && ctrl ? 'c' : c);
	case ')':
		sp->i++;
		sp->prev = pop(sp) == 'c' ? PT_CTRL : PT_VALUE;
		return 0;
	case ']':
		sp->i++;
		pop(sp);
		sp->prev = PT_VALUE;
		return 0;
	case '}':
		sp->i++;
		top = pop(sp);
		if (top == 'T') {
			sp->in_tmpl = 1;
			return scan_template(sp);
		}
		sp->prev = PT_CLOSE;
		return 0;
	case '.':
		sp->i++;
		sp->prev = PT_DOT;
		return 0;
	default:
		if (is_ident_byte((unsigned char)c)) {
			scan_word(sp);
			return 0;
		}
		break;
	}
	sp->i++;
	sp->prev = PT_OP;
	return 0;
}

/* Skips a comment at sp->i; returns 1 when it held a newline. */
static int
skip_comment(splitter *sp)
{
	const char *s = sp->s;
	size_t i = sp->i + 2;
	int nl = 0;

	if (s[sp->i + 1] == '/') {
		while (i < sp->len && s[i] != '\n')
			i++;
		sp->i = i; /* the newline itself is seen by the main loop */
		return 0;
	}
	while (i + 1 < sp->len && !(s[i] == '*' && s[i + 1] == '/')) {
		if (s[i] == '\n')
			nl = 1;
		i++;
	}
	sp->i = i + 2 < sp->len ? i + 2 : sp->len;
	return nl;
}

/* ------------------------------------------------------------------ */
/* JSON literal check (the schema statement's fast path)               */
/* ------------------------------------------------------------------ */

/* Strict RFC 8259 validation without building anything, plus a look at
 * the top-level shape: an array of objects, each with a string "path" and
 * an object "info" or an array "children" (the schema's tree nodes). Keys
 * written with escapes make the answer SHAPE_UNSURE. */
#define JSON_MAX_DEPTH 512

enum { KEY_OTHER, KEY_PATH, KEY_INFO, KEY_CHILDREN, KEY_ESCAPED };

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
	case '"':
		return j_string(j, &esc);
	case 't':
		return j_word(j, "true");
	case 'f':
		return j_word(j, "false");
	case 'n':
		return j_word(j, "null");
	default:
		return j_number(j);
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
static int
json_check(const char *s, size_t len, size_t *end, int *shape)
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
		*shape = !j->top_array || j->elems == 0 || j->bad ? SHAPE_NO :
		    j->unsure ? SHAPE_UNSURE : SHAPE_YES;
	free(j);
	return r == 2;
}

/* `var|let|const NAME =` followed by '[' or '{': fills the name range and
 * the literal's start, or returns 0. */
static int
decl_prefix(const char *s, size_t len, json_decl *d)
{
	size_t i;

	if (len > 4 && (memcmp(s, "var", 3) == 0 || memcmp(s, "let", 3) == 0) && is_space((unsigned char)s[3]))
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

/* The runner's splitter hook: a whole `var NAME = <JSON>` statement at
 * sp->i becomes one span, found by the JSON check instead of the
 * tokenizer (several MB of schema, scanned once). 1 consumed, 0 not such
 * a statement, negative on error. */
static int
json_stmt(splitter *sp)
{
	json_decl d;
	size_t p, q, end, lit_len;
	int shape;

	if (!decl_prefix(sp->s + sp->i, sp->len - sp->i, &d))
		return 0;
	p = sp->i + d.lit_off;
	if (!json_check(sp->s + p, sp->len - p, &lit_len, &shape))
		return 0;
	p += lit_len;
	q = peek_significant(sp, p);
	if (q < sp->len && sp->s[q] == ';')
		end = q + 1;
	else if (q >= sp->len || (memchr(sp->s + p, '\n', q - p) && next_line_ends(sp, p, PT_VALUE)))
		end = p;
	else
		return 0; /* `var a = [1].map(f)`: the tokenizer takes it */
	d.name_off += sp->i;
	d.lit_off += sp->i;
	d.lit_len = lit_len;
	d.shape = shape;
	if (push_span(sp, sp->i, end, &d) != 0)
		return PVECG_ENOMEM;
	sp->i = sp->last_end = end;
	return 1;
}

static int
split_step(splitter *sp)
{
	const char *s = sp->s;
	char c = s[sp->i];
	int rc;

	if (sp->in_tmpl) {
		rc = scan_template(sp);
		sp->last_end = sp->i;
		return rc;
	}
	if (c == '\n' || c == '\r') {
		sp->i++;
		if (sp->depth == 0 && newline_ends(sp, sp->i))
			return end_stmt(sp, sp->last_end);
		return 0;
	}
	if (is_space((unsigned char)c)) {
		while (sp->i < sp->len && (s[sp->i] == ' ' || s[sp->i] == '\t'))
			sp->i++;
		if (sp->i < sp->len && s[sp->i] != '\n' && s[sp->i] != '\r' && is_space((unsigned char)s[sp->i]))
			sp->i++;
		return 0;
	}
	if (c == '/' && sp->i + 1 < sp->len && (s[sp->i + 1] == '/' || s[sp->i + 1] == '*')) {
		if (skip_comment(sp) && sp->depth == 0 && newline_ends(sp, sp->i))
			return end_stmt(sp, sp->last_end);
		return 0;
	}
	if (c == ';' && sp->depth == 0) {
		sp->i++;
		return end_stmt(sp, sp->i); /* no-op for an empty statement */
	}
	if (!sp->has_stmt) {
		if (sp->json_hook && sp->depth == 0 && (rc = json_stmt(sp)) != 0)
			return rc > 0 ? 0 : rc;
		sp->has_stmt = 1;
		sp->start = sp->i;
	}
	rc = scan_token(sp);
	sp->last_end = sp->i;
	return rc;
}

static void
split_init(splitter *sp, const char *src, size_t len, int json_hook, budget *mem)
{
	memset(sp, 0, sizeof(*sp));
	sp->s = src;
	sp->len = src != NULL ? len : 0;
	sp->json_hook = json_hook;
	sp->mem = mem;
}

/* Splits on until at least one more statement is complete (sp->n grew) or
 * the text is exhausted; the caller may consume and reset sp->n between
 * calls, so the arrays stay small however many statements there are.
 * 1: statements may follow, 0: done, negative on error. */
static int
split_more(splitter *sp)
{
	size_t n0 = sp->n;
	int rc = 0;

	while (rc == 0 && sp->i < sp->len && sp->n == n0)
		rc = split_step(sp);
	if (rc != 0)
		return rc;
	if (sp->i < sp->len)
		return 1;
	rc = end_stmt(sp, sp->last_end); /* unterminated: runs to the end */
	return rc != 0 ? rc : 0;
}

static void
split_free(splitter *sp)
{
	budget_free(sp->mem, sp->stack, sp->stack_cap);
	budget_free(sp->mem, sp->spans, sp->cap * sizeof(*sp->spans));
	if (sp->decls != NULL)
		budget_free(sp->mem, sp->decls, sp->cap * sizeof(*sp->decls));
	sp->stack = NULL;
	sp->spans = NULL;
	sp->decls = NULL;
}

static int
split_all(splitter *sp, const char *src, size_t len, int json_hook)
{
	int rc;

	split_init(sp, src, len, json_hook, NULL);
	while ((rc = split_more(sp)) > 0)
		;
	free(sp->stack);
	sp->stack = NULL;
	if (rc != 0) {
		free(sp->spans);
		free(sp->decls);
		sp->spans = NULL;
		sp->decls = NULL;
	}
	return rc;
}

int
pvecg_jsrun_split(pvecg_span **out, size_t *n, const char *src, size_t len,
    pvecg_error *err)
{
	splitter sp;

	*out = NULL;
	*n = 0;
	if (split_all(&sp, src, len, 0) != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, "", "out of memory splitting a script");
	*out = sp.spans;
	*n = sp.n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The child: a duktape heap with a byte budget                        */
/* ------------------------------------------------------------------ */

/* The failing statement a "no schema" message names: the one assigning a
 * known schema variable if any failed, else the first that failed. */
enum { FAIL_NONE, FAIL_FIRST, FAIL_SCHEMA };

/* Written by the child, read by the parent after it is gone. */
typedef struct progress {
	size_t script;
	size_t statements;
	size_t skipped;
	int fail_kind;
	size_t fail_script, fail_off; /* where the statement starts */
	long fail_line;               /* duktape's line inside it; 0 unknown */
	size_t fail_json_at;          /* 1 + where its literal stops being JSON; 0 none */
	char fail_msg[240];           /* duktape's message */
} progress;

/* Names the viewers give the schema variable, most likely first. */
static const char *const schema_names[] = { "apiSchema", "pveapi", "pmgapi", "pbsapi", "pdmapi" };
#define N_SCHEMA_NAMES (sizeof(schema_names) / sizeof(schema_names[0]))

/* A global bound to a JSON literal that no script has read or written
 * yet: decoded only when touched (a getter), else the parent parses the
 * literal itself, which saves decoding and re-encoding several MB. */
typedef struct lazy {
	size_t script;
	const char *name, *lit;
	size_t name_len, lit_off, lit_len;
	int shape;
	int touched;
} lazy;

typedef struct child {
	budget mem;  /* the heap and everything else the child allocates */
	int fd;
	volatile progress *pg;
	lazy *lz;
	size_t n_lz, cap_lz;
} child;

/* Each block carries its size in front, so frees can be counted. 16 bytes
 * keep the alignment malloc gives. */
#define MEM_HDR 16

static void *
mem_alloc(void *ud, duk_size_t size)
{
	child *c = ud;
	unsigned char *p;

	if (size > c->mem.limit - c->mem.used) {
		c->mem.refused = 1;
		return NULL;
	}
	p = malloc(size + MEM_HDR);
	if (p == NULL) {
		c->mem.refused = 1;
		return NULL;
	}
	memcpy(p, &size, sizeof(size));
	c->mem.used += size;
	return p + MEM_HDR;
}

static void
mem_free(void *ud, void *ptr)
{
	child *c = ud;
	unsigned char *p = ptr;
	duk_size_t old;

	if (p == NULL)
		return;
	p -= MEM_HDR;
	memcpy(&old, p, sizeof(old));
	c->mem.used -= old;
	free(p);
}

static void *
mem_realloc(void *ud, void *ptr, duk_size_t size)
{
	child *c = ud;
	unsigned char *p = ptr, *q;
	duk_size_t old;

	if (p == NULL)
		return mem_alloc(ud, size);
	if (size == 0) {
		mem_free(ud, ptr);
		return NULL;
	}
	p -= MEM_HDR;
	memcpy(&old, p, sizeof(old));
	if (size > old && size - old > c->mem.limit - c->mem.used) {
		c->mem.refused = 1;
		return NULL;
	}
	q = realloc(p, size + MEM_HDR);
	if (q == NULL) {
		c->mem.refused = 1;
		return NULL;
	}
	memcpy(q, &size, sizeof(size));
	c->mem.used = c->mem.used - old + size;
	return q + MEM_HDR;
}

static void
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the parent is gone; nothing left to tell */
		p += w;
		len -= (size_t)w;
	}
}

/* Child -> parent messages: "OK <namelen>\n<name><json>" or
 * "ER <kind>\n<text>" with kind M (memory), S (no schema), I (other). */
static void
send_error(int fd, char kind, const char *text)
{
	char head[8];

	snprintf(head, sizeof(head), "ER %c\n", kind);
	write_all(fd, head, strlen(head));
	write_all(fd, text, strlen(text));
}

static void
on_fatal(void *ud, const char *msg)
{
	child *c = ud;

	send_error(c->fd, c->mem.refused ? 'M' : 'I', msg ? msg : "duktape fatal error");
	_exit(1);
}

/* Browser globals the viewer code touches at top level. Ext is a Proxy so
 * that any Ext.<anything>(...) returns another stub; Ext.onReady never
 * runs its callback (that is the UI, not the schema). */
static const char stub_js[] =
    "(function (g) {\n"
    "  var noop = function () {};\n"
    "  function make() {\n"
    "    var s, fn = function () { return s; };\n"
    "    if (typeof Proxy !== 'function') {\n"
    "      s = { define: fn, create: fn, apply: fn, applyIf: fn, namespace: fn, ns: fn,\n"
    "        getCmp: fn, get: fn, select: fn, each: fn, override: fn, widget: fn,\n"
    "        getElementById: fn, querySelector: fn, createElement: fn,\n"
    "        addEventListener: noop, onReady: noop };\n"
    "      return s;\n"
    "    }\n"
    "    s = new Proxy({}, { get: function (t, k) {\n"
    "      if (typeof k !== 'string' || k === 'toString' || k === 'valueOf' ||\n"
    "          k === 'then' || k === 'toJSON') return undefined;\n"
    "      if (Object.prototype.hasOwnProperty.call(t, k)) return t[k];\n"
    "      if (k === 'onReady' || k === 'addEventListener') return noop;\n"
    "      return fn; } });\n"
    "    return s;\n"
    "  }\n"
    "  g.Ext = make();\n"
    "  g.document = make();\n"
    "  g.window = g; g.self = g;\n"
    "  if (typeof g.globalThis === 'undefined') g.globalThis = g;\n"
    "  g.location = { href: '', hash: '', host: '', hostname: '', pathname: '/',\n"
    "    protocol: 'https:', search: '', origin: '', reload: noop, replace: noop };\n"
    "  g.navigator = { userAgent: '', language: 'en', platform: '' };\n"
    "  g.console = { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop };\n"
    "  g.setTimeout = g.setInterval = g.requestAnimationFrame = function () { return 0; };\n"
    "  g.clearTimeout = g.clearInterval = noop;\n"
    "})(this);\n";

static child *
stashed_child(duk_context *ctx)
{
	child *c;

	duk_push_heap_stash(ctx);
	duk_get_prop_string(ctx, -1, "child");
	c = duk_get_pointer(ctx, -1);
	duk_pop_2(ctx);
	return c;
}

/* The lazy entry behind the running getter or setter. */
static lazy *
current_lazy(duk_context *ctx)
{
	child *c = stashed_child(ctx);
	duk_uint_t k;

	duk_push_current_function(ctx);
	duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("lazy"));
	k = duk_get_uint(ctx, -1);
	duk_pop_2(ctx);
	if (c == NULL || k >= c->n_lz)
		return duk_error(ctx, DUK_ERR_ERROR, "lost lazy binding"), NULL;
	return &c->lz[k];
}

/* Replaces the accessor with a plain data property holding the value on
 * the stack top (left there). */
static void
settle(duk_context *ctx, const lazy *z)
{
	duk_push_global_object(ctx);
	duk_push_lstring(ctx, z->name, z->name_len);
	duk_dup(ctx, -3);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE |
	    DUK_DEFPROP_SET_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}

static duk_ret_t
lazy_get(duk_context *ctx)
{
	lazy *z = current_lazy(ctx);

	z->touched = 1;
	duk_push_lstring(ctx, z->lit, z->lit_len);
	duk_json_decode(ctx, -1);
	settle(ctx, z);
	return 1;
}

static duk_ret_t
lazy_set(duk_context *ctx)
{
	lazy *z = current_lazy(ctx);

	z->touched = 1;
	duk_dup(ctx, 0);
	settle(ctx, z);
	return 0;
}

static void
push_accessor(duk_context *ctx, duk_c_function fn, duk_idx_t nargs, size_t k)
{
	duk_push_c_function(ctx, fn, nargs);
	duk_push_uint(ctx, (duk_uint_t)k);
	duk_put_prop_string(ctx, -2, DUK_HIDDEN_SYMBOL("lazy"));
}

/* Defines the global c->lz[last] as a getter/setter pair. */
static duk_ret_t
bind_lazy(duk_context *ctx, void *ud)
{
	child *c = ud;
	const lazy *z = &c->lz[c->n_lz - 1];

	duk_push_global_object(ctx);
	duk_push_lstring(ctx, z->name, z->name_len);
	push_accessor(ctx, lazy_get, 0, c->n_lz - 1);
	push_accessor(ctx, lazy_set, 1, c->n_lz - 1);
	duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER |
	    DUK_DEFPROP_SET_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
	return 0;
}

/* 0 bound, 1 not (then the statement is evaluated as code). */
static int
run_json_decl(duk_context *ctx, child *c, size_t script, const char *text, const json_decl *d)
{
	lazy *p;
	size_t cap;

	if (c->n_lz == c->cap_lz) {
		cap = c->cap_lz ? c->cap_lz * 2 : 8;
		p = budget_realloc(&c->mem, c->lz, c->cap_lz * sizeof(*p), cap * sizeof(*p));
		if (p == NULL)
			return 1;
		c->lz = p;
		c->cap_lz = cap;
	}
	p = &c->lz[c->n_lz++];
	p->script = script;
	p->name = text + d->name_off;
	p->name_len = d->name_len;
	p->lit = text + d->lit_off;
	p->lit_off = d->lit_off;
	p->lit_len = d->lit_len;
	p->shape = d->shape;
	p->touched = 0;
	if (duk_safe_call(ctx, bind_lazy, c, 0, 1) != DUK_EXEC_SUCCESS) {
		c->n_lz--; /* e.g. a non-configurable global of that name */
		duk_pop(ctx);
		return 1;
	}
	duk_pop(ctx);
	return 0;
}

/* Reads .lineNumber of the thrown value; protected, as a script may throw
 * an object whose getter throws again. */
static duk_ret_t
read_line_number(duk_context *ctx, void *ud)
{
	long *line = ud;

	if (duk_is_object(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "lineNumber");
		if (duk_is_number(ctx, -1))
			*line = (long)duk_get_number(ctx, -1);
	}
	return 0;
}

/* Keeps what duktape said about a failed statement: its message (without
 * the "(line N)" it appends, which is relative to the statement) and line. */
static void
take_failure(duk_context *ctx, char *msg, size_t size, long *line)
{
	const char *m, *cut;

	*line = 0;
	duk_dup(ctx, -1);
	if (duk_safe_call(ctx, read_line_number, line, 1, 1) != DUK_EXEC_SUCCESS)
		*line = 0;
	duk_pop(ctx);
	m = duk_safe_to_string(ctx, -1);
	snprintf(msg, size, "%s", m ? m : "error");
	if ((cut = strstr(msg, " (line ")) != NULL) {
		if (*line == 0)
			*line = atol(cut + 7);
		msg[cut - msg] = '\0';
	}
}

/* Compiles and runs one statement as global code; 0 ok, 1 skipped (then
 * msg and *line say why). */
static int
eval_statement(duk_context *ctx, budget *mem, const char *s, size_t len, char *msg,
    size_t size, long *line)
{
	char *copy = NULL;
	int rc = 0;

	*line = 0;
	snprintf(msg, size, "out of memory");
	/* Top-level let/const would not land on the global object. */
	if ((len > 4 && memcmp(s, "let", 3) == 0 && is_space((unsigned char)s[3])) ||
	    (len > 6 && memcmp(s, "const", 5) == 0 && is_space((unsigned char)s[5]))) {
		copy = budget_realloc(mem, NULL, 0, len);
		if (copy == NULL)
			return 1;
		memcpy(copy, s, len);
		memcpy(copy, s[0] == 'l' ? "var" : "var  ", s[0] == 'l' ? 3 : 5);
		s = copy;
	}
	if (duk_pcompile_lstring(ctx, 0, s, len) != 0 || duk_pcall(ctx, 0) != 0) {
		rc = 1;
		take_failure(ctx, msg, size, line);
	}
	duk_pop(ctx);
	budget_free(mem, copy, len);
	return rc;
}

/* True when the statement assigns one of schema_names (`var NAME =`,
 * `NAME =`, with let or const too). */
static int
assigns_schema(const char *s, size_t len)
{
	size_t i = 0, k, n;

	if (len > 4 && (memcmp(s, "var", 3) == 0 || memcmp(s, "let", 3) == 0) && is_space((unsigned char)s[3]))
		i = 3;
	else if (len > 6 && memcmp(s, "const", 5) == 0 && is_space((unsigned char)s[5]))
		i = 5;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	for (k = 0; k < N_SCHEMA_NAMES; k++) {
		n = strlen(schema_names[k]);
		if (len - i > n && memcmp(s + i, schema_names[k], n) == 0 &&
		    !is_ident_byte((unsigned char)s[i + n]))
			break;
	}
	if (k == N_SCHEMA_NAMES)
		return 0;
	for (i += n; i < len && is_space((unsigned char)s[i]); i++)
		;
	return i + 1 < len && s[i] == '=' && s[i + 1] != '=';
}

/* For `var NAME = [...]` whose literal is not JSON: 1 + the offset in s
 * where it stops being JSON, a cut-off literal's end moved back to its last
 * token; 0 for any other statement. This is the column a message can name. */
static size_t
json_stop(const char *s, size_t len)
{
	json_decl d;
	size_t end = 0, at;
	int shape;

	if (!decl_prefix(s, len, &d) || json_check(s + d.lit_off, len - d.lit_off, &end, &shape))
		return 0;
	at = d.lit_off + end;
	if (at >= len)
		for (at = len; at > d.lit_off && is_space((unsigned char)s[at - 1]); at--)
			;
	return at + 1;
}

/* Records a failed statement if it is more relevant than the one kept. */
static void
note_failure(volatile progress *pg, size_t script, const pvecg_span *sp, const char *text,
    const char *msg, long line)
{
	int kind = assigns_schema(text + sp->off, sp->len) ? FAIL_SCHEMA : FAIL_FIRST;
	size_t i;

	if (pg->fail_kind >= kind)
		return;
	pg->fail_kind = kind;
	pg->fail_script = script;
	pg->fail_off = sp->off;
	pg->fail_line = line;
	pg->fail_json_at = json_stop(text + sp->off, sp->len);
	if (pg->fail_json_at != 0)
		pg->fail_json_at += sp->off;
	for (i = 0; msg[i] != '\0' && i + 1 < sizeof(pg->fail_msg); i++)
		pg->fail_msg[i] = msg[i];
	pg->fail_msg[i] = '\0';
}

/* The untouched lazy binding a global property still is, or NULL. The
 * hidden index cannot be forged from script code. */
static const lazy *
untouched_lazy(duk_context *ctx, child *c, duk_idx_t obj, duk_idx_t key)
{
	duk_uint_t k = (duk_uint_t)-1;

	duk_dup(ctx, key);
	duk_get_prop_desc(ctx, obj, 0);
	if (duk_is_object(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "get");
		if (duk_is_function(ctx, -1)) {
			if (duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("lazy")))
				k = duk_get_uint(ctx, -1);
			duk_pop(ctx);
		}
		duk_pop(ctx);
	}
	duk_pop(ctx);
	if (k >= c->n_lz || c->lz[k].touched)
		return NULL;
	return &c->lz[k];
}

/* An array of tree nodes: objects with a string `path` and an object
 * `info` or an array `children`. */
static int
has_schema_shape(duk_context *ctx, duk_idx_t idx)
{
	duk_size_t i, n;
	int ok = 1;

	if (!duk_is_array(ctx, idx))
		return 0;
	n = duk_get_length(ctx, idx);
	for (i = 0; ok && i < n; i++) {
		duk_get_prop_index(ctx, idx, (duk_uarridx_t)i);
		ok = duk_is_object(ctx, -1) && !duk_is_array(ctx, -1);
		if (ok) {
			duk_get_prop_string(ctx, -1, "path");
			ok = duk_is_string(ctx, -1);
			duk_pop(ctx);
		}
		if (ok) {
			duk_get_prop_string(ctx, -1, "info");
			ok = duk_is_object(ctx, -1);
			duk_pop(ctx);
			if (!ok) {
				duk_get_prop_string(ctx, -1, "children");
				ok = duk_is_array(ctx, -1);
				duk_pop(ctx);
			}
		}
		duk_pop(ctx);
	}
	return ok && n > 0;
}

/* Pushes what report() sends for the global glob[key] when it holds the
 * schema: its JSON text, or the index of its untouched lazy binding (whose
 * literal the parent parses). Pushes nothing and returns 0 otherwise. */
static int
candidate(duk_context *ctx, child *c, duk_idx_t glob, duk_idx_t key)
{
	const lazy *z = untouched_lazy(ctx, c, glob, key);

	if (z != NULL && z->shape != SHAPE_UNSURE) {
		if (z->shape != SHAPE_YES)
			return 0;
		duk_push_uint(ctx, (duk_uint_t)(z - c->lz));
		return 1;
	}
	duk_dup(ctx, key);
	duk_get_prop(ctx, glob);
	if (!has_schema_shape(ctx, -1)) {
		duk_pop(ctx);
		return 0;
	}
	duk_json_encode(ctx, -1);
	return 1;
}

/* Leaves [name, result] on the stack (see candidate()), known names
 * first, then any global by shape; [undefined, undefined] when none. */
static duk_ret_t
find_schema(duk_context *ctx, void *ud)
{
	child *c = ud;
	duk_idx_t glob, e;
	size_t k;

	duk_push_global_object(ctx);
	glob = duk_get_top_index(ctx);
	for (k = 0; k < N_SCHEMA_NAMES; k++) {
		duk_push_string(ctx, schema_names[k]);
		if (candidate(ctx, c, glob, duk_get_top_index(ctx)))
			return 2;
		duk_pop(ctx);
	}
	duk_enum(ctx, glob, DUK_ENUM_OWN_PROPERTIES_ONLY);
	e = duk_get_top_index(ctx);
	while (duk_next(ctx, e, 0)) {
		if (candidate(ctx, c, glob, duk_get_top_index(ctx)))
			return 2;
		duk_pop(ctx);
	}
	duk_push_undefined(ctx);
	duk_push_undefined(ctx);
	return 2;
}

static int
setup_heap(duk_context *ctx, child *c)
{
	int rc;

	duk_push_heap_stash(ctx);
	duk_push_pointer(ctx, c);
	duk_put_prop_string(ctx, -2, "child");
	duk_pop(ctx);
	rc = duk_pcompile_lstring(ctx, 0, stub_js, sizeof(stub_js) - 1) != 0 ||
	    duk_pcall(ctx, 0) != 0;
	duk_pop(ctx);
	return rc;
}

static int
run_scripts(duk_context *ctx, child *c, const pvecg_script *scripts, size_t n)
{
	const char *text;
	splitter sp;
	size_t k, j;
	char msg[240];
	long line;
	int skip, more = 1;

	/* Each statement runs as soon as the splitter has it: the span arrays
	 * never hold more than a few, however many statements a script has. */
	for (k = 0; k < n && more >= 0; k++) {
		c->pg->script = k;
		text = scripts[k].text;
		split_init(&sp, text, scripts[k].len, 1, &c->mem);
		do {
			more = split_more(&sp);
			for (j = 0; j < sp.n && !c->mem.refused; j++) {
				skip = 1;
				if (sp.decls[j].shape != 0)
					skip = run_json_decl(ctx, c, k, text, &sp.decls[j]);
				if (skip && (skip = eval_statement(ctx, &c->mem,
				    text + sp.spans[j].off, sp.spans[j].len, msg, sizeof(msg),
				    &line)) != 0)
					note_failure(c->pg, k, &sp.spans[j], text, msg, line);
				c->pg->skipped += (size_t)skip;
				c->pg->statements++;
			}
			sp.n = 0;
		} while (more > 0 && !c->mem.refused);
		split_free(&sp);
		if (c->mem.refused)
			return -1;
	}
	return more < 0 ? -1 : 0;
}

/* Sends the schema or the reason there is none; returns the exit code. */
static int
report(duk_context *ctx, child *c)
{
	const char *name, *json = NULL;
	duk_size_t name_len, json_len = 0;
	const lazy *z;
	char head[128];

	if (duk_safe_call(ctx, find_schema, c, 0, 2) != DUK_EXEC_SUCCESS) {
		send_error(c->fd, c->mem.refused ? 'M' : 'I', duk_safe_to_string(ctx, -2));
		return 1;
	}
	if (duk_is_undefined(ctx, -1)) {
		send_error(c->fd, 'S', "");
		return 1;
	}
	name = duk_safe_to_lstring(ctx, -2, &name_len);
	if (duk_is_number(ctx, -1)) {
		z = &c->lz[duk_get_uint(ctx, -1)];
		snprintf(head, sizeof(head), "LZ %zu %zu %zu %zu\n", z->script, z->lit_off,
		    z->lit_len, (size_t)name_len);
	} else {
		json = duk_get_lstring(ctx, -1, &json_len);
		snprintf(head, sizeof(head), "OK %zu\n", (size_t)name_len);
	}
	write_all(c->fd, head, strlen(head));
	write_all(c->fd, name, name_len);
	if (json != NULL)
		write_all(c->fd, json, json_len);
	return 0;
}

static void
reset_signals(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM,
		SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGXCPU, SIGCHLD };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void
child_main(int fd, volatile progress *pg, const pvecg_script *scripts, size_t n,
    const pvecg_jsrun_limits *lim)
{
	child c = { { 0, lim->memory, 0 }, 3, pg, NULL, 0, 0 };
	duk_context *ctx;
	int code = 1;

	reset_signals();
	/* Only the result pipe stays open (as fd 3), besides stdio. */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(2);
		close(fd);
	}
	closefrom(4);
	alarm((unsigned)fmin(lim->timeout_s + 2, 86400));
	ctx = duk_create_heap(mem_alloc, mem_realloc, mem_free, &c, on_fatal);
	if (ctx == NULL) {
		send_error(c.fd, 'M', "");
		_exit(1);
	}
	if (setup_heap(ctx, &c) != 0)
		send_error(c.fd, c.mem.refused ? 'M' : 'I', "cannot install the browser stubs");
	else if (run_scripts(ctx, &c, scripts, n) != 0)
		send_error(c.fd, c.mem.refused ? 'M' : 'I', "out of memory splitting a script");
	else
		code = report(ctx, &c);
	if (code == 0 && c.mem.refused) /* fail closed: the limit was hit on the way */
		code = 1;
	duk_destroy_heap(ctx);
	budget_free(&c.mem, c.lz, c.cap_lz * sizeof(*c.lz));
	_exit(code);
}

/* ------------------------------------------------------------------ */
/* The parent: deadline, collection, verdict                           */
/* ------------------------------------------------------------------ */

typedef struct outcome {
	pvecg_buf msg;
	int status;
	int timed_out;
	int too_big;
} outcome;

static void
kill_and_reap(pid_t pid, int *status)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static int
poll_ms(double deadline)
{
	double left = deadline - pvecg_now();

	if (left <= 0)
		return 0;
	return left > 3600 ? 3600000 : (int)ceil(left * 1000);
}

/* Reads the child's message until EOF or the deadline, then reaps the
 * child. Every path ends with the child reaped. */
static int
collect(outcome *o, int fd, pid_t pid, double deadline, size_t cap)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct timespec ms = { 0, 1000000 };
	ssize_t r;
	pid_t w;
	int ready;

	for (;;) {
		ready = poll(&pfd, 1, poll_ms(deadline));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			kill_and_reap(pid, &o->status);
			return PVECG_EINTERNAL;
		}
		/* Data that is ready is read even past the deadline (the parent
		 * may have been slow), but a child still writing 1 s later is
		 * out of time. */
		if (pvecg_now() >= deadline + (ready == 0 ? 0 : 1)) {
			o->timed_out = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
		if (ready == 0)
			continue;
		if (pvecg_buf_reserve(&o->msg, 65536) != 0) {
			kill_and_reap(pid, &o->status);
			return PVECG_ENOMEM;
		}
		r = read(fd, o->msg.data + o->msg.len, o->msg.cap - o->msg.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		o->msg.len += (size_t)r;
		o->msg.data[o->msg.len] = '\0';
		if (o->msg.len > cap) {
			o->too_big = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
	}
	/* EOF: the child is exiting; give it until the deadline (at least
	 * a moment, in case the parent itself was slow). */
	if (deadline < pvecg_now() + 0.2)
		deadline = pvecg_now() + 0.2;
	for (;;) {
		w = waitpid(pid, &o->status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			kill_and_reap(pid, &o->status);
			return PVECG_EINTERNAL;
		}
		if (pvecg_now() >= deadline) {
			o->timed_out = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
		nanosleep(&ms, NULL);
	}
}

static int
take_schema(pvecg_jsrun_result *out, const outcome *o, const char *where, pvecg_error *err)
{
	const char *p = o->msg.data + 3, *nl;
	char *end;
	unsigned long long name_len;

	nl = memchr(p, '\n', o->msg.len - 3);
	name_len = strtoull(p, &end, 10);
	if (nl == NULL || end != nl || name_len > o->msg.len - (size_t)(nl + 1 - o->msg.data))
		return pvecg_error_set(err, PVECG_EINTERNAL, where, "malformed result from the script runner");
	out->variable = pvecg_strndup(nl + 1, (size_t)name_len);
	p = nl + 1 + name_len;
	out->schema = pvecg_json_parse(p, o->msg.len - (size_t)(p - o->msg.data), NULL);
	if (out->variable == NULL || out->schema == NULL || !cJSON_IsArray(out->schema)) {
		pvecg_jsrun_result_free(out);
		return pvecg_error_set(err, PVECG_EINTERNAL, where,
		    "the script runner sent a schema that is not a JSON array");
	}
	return 0;
}

/* One bracketed JSON value at the start of s without the white space
 * outside strings (cJSON parses the compact text about three times faster
 * than the indented original): stops after the bracket that closes the
 * first one. NULL when s ends before that. */
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

/* The parent's guess, made while the child runs (the machine has more
 * than one core): the first statement of the first script is the schema
 * literal, which the child will report untouched. Used only when the
 * child reports exactly that literal. */
typedef struct guess {
	size_t off, len;
	cJSON *tree;
} guess;

static cJSON *
parse_value(const char *s, size_t len, size_t *consumed)
{
	size_t text_len = 0;
	char *text = minify_value(s, len, consumed, &text_len);
	cJSON *tree;

	if (text == NULL)
		return NULL;
	tree = cJSON_ParseWithLength(text, text_len);
	free(text);
	return tree;
}

static void
make_guess(guess *g, const pvecg_script *script)
{
	splitter probe;
	json_decl d;
	size_t i, consumed = 0;

	memset(g, 0, sizeof(*g));
	memset(&probe, 0, sizeof(probe));
	probe.s = script->text;
	probe.len = script->text != NULL ? script->len : 0;
	i = peek_significant(&probe, 0);
	if (!decl_prefix(probe.s + i, probe.len - i, &d))
		return;
	i += d.lit_off;
	g->tree = parse_value(probe.s + i, probe.len - i, &consumed);
	if (!cJSON_IsArray(g->tree)) {
		cJSON_Delete(g->tree);
		g->tree = NULL;
		return;
	}
	g->off = i;
	g->len = consumed;
}

/* "LZ <script> <offset> <length> <namelen>\n<name>": the schema is the
 * untouched JSON literal at that place of the script, parsed here. */
static int
take_literal(pvecg_jsrun_result *out, const outcome *o, const pvecg_script *scripts,
    size_t n, guess *g, const char *where, pvecg_error *err)
{
	unsigned long long k, off, len, name_len;
	size_t consumed = 0;
	int used = 0;

	if (sscanf(o->msg.data, "LZ %llu %llu %llu %llu\n%n", &k, &off, &len, &name_len, &used) != 4 ||
	    used == 0 || k >= n || off > scripts[k].len || len > scripts[k].len - off ||
	    name_len != o->msg.len - (size_t)used)
		return pvecg_error_set(err, PVECG_EINTERNAL, where, "malformed result from the script runner");
	out->variable = pvecg_strndup(o->msg.data + used, (size_t)name_len);
	if (out->variable == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	if (g->tree != NULL && k == 0 && off == g->off && len == g->len) {
		out->schema = g->tree;
		g->tree = NULL;
	} else {
		out->schema = parse_value(scripts[k].text + off, (size_t)len, &consumed);
		if (consumed != len) {
			cJSON_Delete(out->schema);
			out->schema = NULL;
		}
	}
	if (!cJSON_IsArray(out->schema)) {
		pvecg_jsrun_result_free(out);
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "the schema literal of %s is not a JSON array cJSON can read", scripts[k].name);
	}
	return 0;
}

/* 1-based line and column (in characters) of byte off of a script. */
static void
line_col(size_t *line, size_t *col, const pvecg_script *sc, size_t off)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < sc->len; i++) {
		if (sc->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)sc->text[i] & 0xC0) != 0x80) {
			(*col)++; /* not UTF-8 continuation bytes */
		}
	}
}

/* "no schema array found", naming the most relevant failed statement:
 * script, line (the statement's first line plus duktape's line inside it),
 * the statement's start column, duktape's message. */
static int
no_schema(const progress *pg, const pvecg_script *scripts, size_t n, const char *where,
    pvecg_error *err)
{
	const pvecg_script *sc;
	size_t line, start_line, start_col, json_line = 0, json_col = 0;
	char at[64];

	if (pg->fail_kind == FAIL_NONE || pg->fail_script >= n)
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "no schema array found (ran %zu statements, skipped %zu)",
		    pg->statements, pg->skipped);
	sc = &scripts[pg->fail_script];
	line_col(&start_line, &start_col, sc, pg->fail_off);
	if (pg->fail_json_at != 0)
		line_col(&json_line, &json_col, sc, pg->fail_json_at - 1);
	line = start_line + (pg->fail_line > 1 ? (size_t)pg->fail_line - 1 : 0);
	/* The JSON check knows the column when it stopped on duktape's line. */
	if (json_line == line)
		snprintf(at, sizeof(at), "line %zu, column %zu", line, json_col);
	else
		snprintf(at, sizeof(at), "line %zu", line);
	return pvecg_error_set(err, PVECG_EINPUT, sc->name ? sc->name : "<script>",
	    "no schema array found: %s: %s (in the statement from line %zu, column %zu, "
	    "%s; ran %zu statements, skipped %zu)", at, pg->fail_msg, start_line, start_col,
	    pg->fail_kind == FAIL_SCHEMA ? "which assigns the schema variable" : "the first that failed",
	    pg->statements, pg->skipped);
}

static int
verdict(pvecg_jsrun_result *out, const outcome *o, const progress *pg,
    const pvecg_jsrun_limits *lim, const pvecg_script *scripts, size_t n,
    guess *g, const char *where, pvecg_error *err)
{
	const char *m = o->msg.data ? o->msg.data : "";
	int sig;

	if (o->timed_out || (WIFSIGNALED(o->status) &&
	    (WTERMSIG(o->status) == SIGALRM || WTERMSIG(o->status) == SIGXCPU)))
		return pvecg_error_set(err, PVECG_ELIMIT, where,
		    "script ran longer than the --js-timeout of %g s", lim->timeout_s);
	if (o->too_big || strncmp(m, "ER M\n", 5) == 0)
		return pvecg_error_set(err, PVECG_ELIMIT, where,
		    "script exceeded the --js-memory limit of %zu MiB", lim->memory >> 20);
	if (WIFSIGNALED(o->status)) {
		sig = WTERMSIG(o->status);
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "script runner crashed (signal %d, %s) after %zu statements", sig,
		    strsignal(sig), pg->statements);
	}
	if (strncmp(m, "ER S\n", 5) == 0)
		return no_schema(pg, scripts, n, where, err);
	if (strncmp(m, "ER I\n", 5) == 0)
		return pvecg_error_set(err, PVECG_EINTERNAL, where, "script runner: %.300s", m + 5);
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != 0 ||
	    (strncmp(m, "OK ", 3) != 0 && strncmp(m, "LZ ", 3) != 0))
		return pvecg_error_set(err, PVECG_EINTERNAL, where,
		    "script runner exited with status %d", WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1);
	out->statements = pg->statements;
	out->skipped = pg->skipped;
	if (m[0] == 'L')
		return take_literal(out, o, scripts, n, g, where, err);
	return take_schema(out, o, where, err);
}

/* The script a message should name: the one running when it ended. */
static void
script_where(char *buf, size_t size, const pvecg_script *scripts, size_t n, size_t k)
{
	if (k >= n)
		k = n - 1;
	snprintf(buf, size, "%s", scripts[k].name ? scripts[k].name : "<script>");
}

int
pvecg_jsrun_run(pvecg_jsrun_result *out, const pvecg_script *scripts,
    size_t n, const pvecg_jsrun_limits *limits, pvecg_error *err)
{
	pvecg_jsrun_limits lim;
	outcome o = { PVECG_BUF_INIT, 0, 0, 0 };
	guess g = { 0, 0, NULL };
	volatile progress *pg;
	progress snap;
	char where[512];
	double deadline;
	int fds[2], rc;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (limits == NULL)
		pvecg_jsrun_limits_init(&lim);
	else
		lim = *limits;
	if (n == 0 || scripts == NULL)
		return pvecg_error_set(err, PVECG_EINPUT, "", "no script to run");
	if (!(lim.timeout_s > 0) || lim.memory == 0)
		return pvecg_error_set(err, PVECG_EUSAGE, scripts[0].name, "invalid script runner limits");
	deadline = pvecg_now() + lim.timeout_s;
	pg = mmap(NULL, sizeof(progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pg == MAP_FAILED)
		return pvecg_error_set(err, PVECG_ENOMEM, scripts[0].name, "mmap: %s", strerror(errno));
	memset((void *)pg, 0, sizeof(progress));
	if (pipe(fds) != 0) {
		rc = pvecg_error_set(err, PVECG_EIO, scripts[0].name, "pipe: %s", strerror(errno));
		goto out;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		rc = pvecg_error_set(err, PVECG_EIO, scripts[0].name, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], pg, scripts, n, &lim);
	}
	close(fds[1]);
	make_guess(&g, &scripts[0]);
	rc = collect(&o, fds[0], pid, deadline, lim.memory + 4096);
	close(fds[0]);
	/* the child is gone: the page no longer changes */
	memcpy(&snap, (const void *)pg, sizeof(snap));
	snap.fail_msg[sizeof(snap.fail_msg) - 1] = '\0';
	script_where(where, sizeof(where), scripts, n, snap.script);
	if (rc != 0)
		rc = pvecg_error_set(err, rc, where, "reading the script runner's result failed");
	else
		rc = verdict(out, &o, &snap, &lim, scripts, n, &g, where, err);
out:
	cJSON_Delete(g.tree);
	pvecg_buf_free(&o.msg);
	munmap((void *)pg, sizeof(progress));
	return rc;
}

void
pvecg_jsrun_result_free(pvecg_jsrun_result *r)
{
	if (r == NULL)
		return;
	cJSON_Delete(r->schema);
	free(r->variable);
	memset(r, 0, sizeof(*r));
}
