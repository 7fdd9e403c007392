/* The statement splitter: cuts JavaScript source into top-level statements
 * without compiling it (strings, template and regex literals, comments and
 * a simplified automatic semicolon insertion respected), for the script
 * runner, which runs the viewer scripts one statement at a time. In the
 * runner's mode it also recognises `var NAME = <JSON literal>` statements
 * and charges every allocation to the script stage's memory budget. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/jsrun.h"
#include "jssplit.h"

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

/* realloc that charges the growth from old to size bytes to b (NULL: no
 * limit); NULL when over the limit or out of memory, p still valid. */
void *
jssplit_budget_realloc(budget *b, void *p, size_t old, size_t size)
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

void
jssplit_budget_free(budget *b, void *p, size_t size)
{
	if (p == NULL)
		return;
	if (b != NULL)
		b->used -= size;
	free(p);
}

static int
word_is(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(w, *list, n) == 0)
			return 1;
	return 0;
}

static const char *const expr_keywords[] = { "return", "typeof", "instanceof", "in", "of", "new",
	"delete", "void", "throw", "case", "do", "else", "yield", "await", "var", "let", "const",
	"if", "for", "while", "with", "function", "class", "extends", "export", "import", "default",
	"switch", "try", "catch", "finally", "debugger", "break", "continue", NULL };
static const char *const ctrl_keywords[] = { "if", "for", "while", "with", NULL };
/* Words that continue a statement after a newline ("}\nelse {"). */
static const char *const cont_keywords[] = { "else", "catch", "finally", "instanceof", "in", "of",
	NULL };

PVECG_NODISCARD static int
push(splitter *sp, char c)
{
	char *p;
	size_t cap;

	if (sp->depth == sp->stack_cap) {
		cap = sp->stack_cap ? sp->stack_cap * 2 : 64;
		p = jssplit_budget_realloc(sp->mem, sp->stack, sp->stack_cap, cap);
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

PVECG_NODISCARD static int
push_span(splitter *sp, size_t start, size_t end, const json_decl *d)
{
	static const json_decl none;
	pvecg_span *p;
	json_decl *q;
	size_t cap;

	if (sp->n == sp->cap) {
		cap = sp->cap ? sp->cap * 2 : 64;
		p = jssplit_budget_realloc(
		    sp->mem, sp->spans, sp->cap * sizeof(*p), cap * sizeof(*p));
		if (p == NULL)
			return PVECG_ENOMEM;
		sp->spans = p;
		if (sp->json_hook) {
			q = jssplit_budget_realloc(
			    sp->mem, sp->decls, sp->cap * sizeof(*q), cap * sizeof(*q));
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
size_t
jssplit_peek_significant(const splitter *sp, size_t j)
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
	j = jssplit_peek_significant(sp, j);
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

/* The runner's splitter hook: a whole `var NAME = <JSON>` statement at
 * sp->i becomes one span, found by the JSON check instead of the
 * tokenizer (several MB of schema, scanned once). 1 consumed, 0 not such
 * a statement, negative on error. */
PVECG_NODISCARD static int
json_stmt(splitter *sp)
{
	json_decl d;
	size_t p, q, end, lit_len;
	int shape;

	if (!jsrun_decl_prefix(sp->s + sp->i, sp->len - sp->i, &d))
		return 0;
	p = sp->i + d.lit_off;
	if (!jsrun_json_check(sp->s + p, sp->len - p, &lit_len, &shape))
		return 0;
	p += lit_len;
	q = jssplit_peek_significant(sp, p);
	if (q < sp->len && sp->s[q] == ';')
		end = q + 1;
	else if (q >= sp->len ||
	    (memchr(sp->s + p, '\n', q - p) && next_line_ends(sp, p, PT_VALUE)))
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

PVECG_NODISCARD static int
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
		if (sp->i < sp->len && s[sp->i] != '\n' && s[sp->i] != '\r' &&
		    is_space((unsigned char)s[sp->i]))
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

void
jssplit_init(splitter *sp, const char *src, size_t len, int json_hook, budget *mem)
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
int
jssplit_more(splitter *sp)
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

void
jssplit_free(splitter *sp)
{
	jssplit_budget_free(sp->mem, sp->stack, sp->stack_cap);
	jssplit_budget_free(sp->mem, sp->spans, sp->cap * sizeof(*sp->spans));
	if (sp->decls != NULL)
		jssplit_budget_free(sp->mem, sp->decls, sp->cap * sizeof(*sp->decls));
	sp->stack = NULL;
	sp->spans = NULL;
	sp->decls = NULL;
}

PVECG_NODISCARD static int
split_all(splitter *sp, const char *src, size_t len, int json_hook)
{
	int rc;

	jssplit_init(sp, src, len, json_hook, NULL);
	while ((rc = jssplit_more(sp)) > 0)
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
pvecg_jsrun_split(pvecg_span **out, size_t *n, const char *src, size_t len, pvecg_error *err)
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
