/* Private to the script runner: the statement splitter (jssplit.c), the
 * JSON literal check it uses to recognise schema statements (jsrun_fast.c),
 * and the memory budget both charge. The split fuzzer links these alone. */
#ifndef PVECG_JSSPLIT_H
#define PVECG_JSSPLIT_H

#include "pvecg/error.h"
#include <stddef.h>
#include "pvecg/jsrun.h"

/* A statement `var|let|const NAME = <JSON literal>;` found by the runner's
 * splitter: byte ranges of the name and the literal, and the literal's
 * shape (SHAPE_*); shape 0 means the statement is something else. */
typedef struct json_decl {
	size_t name_off, name_len, lit_off, lit_len;
	int shape;
} json_decl;

enum {
	SHAPE_NO = 1,
	SHAPE_YES,
	SHAPE_UNSURE
};

/* The bytes the script stage holds: the duktape heap and, outside it, the
 * splitter's arrays, statement copies and the lazy-global table. One
 * budget for all of them, so --js-memory bounds the whole stage. */
typedef struct budget {
	size_t used, limit;
	int refused; /* an allocation was refused: the limit was reached */
} budget;

/* realloc that charges the growth from old to size bytes to b (NULL: no
 * limit); NULL when over the limit or out of memory, p still valid. */
void *jssplit_budget_realloc(budget *b, void *p, size_t old, size_t size);
/* Frees p, a block of size bytes charged to b (NULL: none). */
void jssplit_budget_free(budget *b, void *p, size_t size);

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
	int json_hook;    /* recognise `var NAME = <JSON>` statements (runner) */
	json_decl *decls; /* parallel to spans when json_hook is set */
	budget *mem;      /* charged for stack, spans and decls; NULL: none */
} splitter;

static inline int
is_ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '$' || c >= 0x80;
}

static inline int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

/* Starts splitting src; json_hook turns on the runner's `var NAME = <JSON>`
 * recognition (sp->decls); mem, when not NULL, is charged for the arrays. */
void jssplit_init(splitter *sp, const char *src, size_t len, int json_hook, budget *mem);
/* Splits on until at least one more statement is complete (sp->n grew) or
 * the text is exhausted; the caller may consume and reset sp->n between
 * calls. 1: statements may follow, 0: done, negative on error. */
PVECG_NODISCARD int jssplit_more(splitter *sp);
/* Frees the arrays (the budget gets their bytes back). */
void jssplit_free(splitter *sp);
/* Index of the next byte at or after j that is neither white space nor in
 * a comment (sp->len when there is none). */
size_t jssplit_peek_significant(const splitter *sp, size_t j);

/* Defined in jsrun_fast.c. */
/* Validates one JSON value at the start of s (strict RFC 8259): 1 when it
 * is one, then *shape is SHAPE_*; *end is where it stops (on failure:
 * where the value stopped being JSON). */
int jsrun_json_check(const char *s, size_t len, size_t *end, int *shape);
/* `var|let|const NAME =` followed by '[' or '{': fills d's name range and
 * the literal's start (offsets in s), or returns 0. */
int jsrun_decl_prefix(const char *s, size_t len, json_decl *d);

#endif
