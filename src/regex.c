/* regex: pattern dialect translation, the one module openapi, the C models
 * and jschema use (see pvecg/regex.h).
 *
 * Perl / Rust -> ECMA-262 ('u' flag): every construct is either mapped to
 * an exact ECMA-262 equivalent or the whole pattern is refused
 * (PVECG_EINPUT), so the builder keeps the original only as
 * x-proxmox-pattern. Character classes are parsed into an ASCII bitmap plus
 * class escapes and re-emitted, which also gives POSIX classes and
 * case-insensitive groups (?^i:...) for free.
 *
 * ECMA-262 -> POSIX ERE (second half): the pattern is read once, left to
 * right; \d \w \s become [0-9] [[:alnum:]_] [[:space:]], bracket
 * expressions are rebuilt from an ASCII set in the order POSIX needs (']'
 * first, '^' not first, '-' last), (?: and group names are dropped (nothing
 * refers back to them), lazy quantifiers lose their '?' (same set of
 * matching strings); lookaround, backreferences, possessive quantifiers and
 * counts above RE_DUP_MAX refuse the pattern with a fixed reason string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/regex.h"
#include "pvecg/util.h"

#define RX_MAX_DEPTH 64
#define RX_MAX_NAMES 32

struct rx {
	const char *p; /* cursor */
	pvecg_buf out;
	int depth;
	int icase[RX_MAX_DEPTH + 1]; /* case-insensitive flag per group level */
	int lookaround[RX_MAX_DEPTH + 1];
	int top_alt;      /* '|' seen at depth 0 */
	int can_quantify; /* last thing emitted is a quantifiable atom */
	char names[RX_MAX_NAMES][33];
	int n_names;
};

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

PVECG_NODISCARD static int
hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ECMA SyntaxCharacter plus '/', the only identity escapes 'u' allows. */
static int
is_syntax(int c)
{
	return c != 0 && strchr("^$\\.*+?()[]{}|/", c) != NULL;
}

PVECG_NODISCARD static int
emit(struct rx *r, const char *s)
{
	return pvecg_buf_puts(&r->out, s) == 0 ? 0 : PVECG_ENOMEM;
}

static int
emit_char(struct rx *r, unsigned cp, int in_class)
{
	char tmp[16];

	if (cp < 0x20 || cp == 0x7f || cp > 0x7f) {
		if (cp > 0xff)
			snprintf(tmp, sizeof(tmp), "\\u{%X}", cp);
		else
			snprintf(tmp, sizeof(tmp), "\\x%02X", cp);
		return emit(r, tmp);
	}
	/* '/' needs no escape in a pattern string (only in a JS literal) */
	if ((is_syntax((int)cp) && cp != '/') || (in_class && cp == '-')) {
		tmp[0] = '\\';
		tmp[1] = (char)cp;
		tmp[2] = '\0';
		return emit(r, tmp);
	}
	tmp[0] = (char)cp;
	tmp[1] = '\0';
	return emit(r, tmp);
}

/* \x.. / \x{..} / \0.. : reads the value after the escape letter. */
PVECG_NODISCARD static int
read_hex_escape(struct rx *r, unsigned *cp)
{
	unsigned v = 0;
	int n = 0, h;

	if (*r->p == '{') {
		r->p++;
		while ((h = hexval(*r->p)) >= 0 && n < 8) {
			v = v * 16 + (unsigned)h;
			r->p++;
			n++;
		}
		if (*r->p != '}' || n == 0 || v > 0x10FFFF)
			return PVECG_EINPUT;
		r->p++;
	} else {
		while (n < 2 && (h = hexval(*r->p)) >= 0) {
			v = v * 16 + (unsigned)h;
			r->p++;
			n++;
		}
	}
	*cp = v;
	return 0;
}

static unsigned
read_octal(struct rx *r)
{
	unsigned v = 0;
	int n = 0;

	while (n < 2 && *r->p >= '0' && *r->p <= '7') {
		v = v * 8 + (unsigned)(*r->p - '0');
		r->p++;
		n++;
	}
	return v;
}

/* Escapes that denote one character, shared by both contexts.
 * Returns 1 and sets *cp, 0 if c is not such an escape, <0 on error. */
PVECG_NODISCARD static int
char_escape(struct rx *r, int c, unsigned *cp)
{
	switch (c) {
	case 'n': *cp = '\n'; return 1;
	case 'r': *cp = '\r'; return 1;
	case 't': *cp = '\t'; return 1;
	case 'f': *cp = '\f'; return 1;
	case 'e': *cp = 0x1b; return 1;
	case 'a': *cp = 0x07; return 1;
	case '0': *cp = read_octal(r); return 1;
	case 'x': return read_hex_escape(r, cp) == 0 ? 1 : PVECG_EINPUT;
	default: break;
	}
	/* Perl: a backslash before any ASCII non-alphanumeric is that character. */
	if (c >= 0x20 && c < 0x7f && !is_alpha(c) && !is_digit(c)) {
		*cp = (unsigned)c;
		return 1;
	}
	return 0;
}

/* ---- character classes ---------------------------------------------- */

struct cls {
	unsigned char bits[16]; /* ASCII bitmap */
	char esc[16];           /* class escapes: d D w W s S */
	int n_esc;
	int negated;
};

static void
cls_set(struct cls *c, unsigned lo, unsigned hi)
{
	for (; lo <= hi && lo < 128; lo++)
		c->bits[lo >> 3] |= (unsigned char)(1u << (lo & 7));
}

static int
cls_has(const struct cls *c, unsigned cp)
{
	return cp < 128 && (c->bits[cp >> 3] & (1u << (cp & 7)));
}

PVECG_NODISCARD static int
cls_add_esc(struct cls *c, char e)
{
	if (c->n_esc >= (int)sizeof(c->esc))
		return PVECG_EINPUT;
	c->esc[c->n_esc++] = e;
	return 0;
}

static const struct {
	const char *name;
	const char *ranges; /* pairs lo,hi */
} posix_classes[] = {
	{ "alpha", "AZaz" },
	{ "digit", "09" },
	{ "alnum", "09AZaz" },
	{ "upper", "AZ" },
	{ "lower", "az" },
	{ "xdigit", "09AFaf" },
	{ "space", "\t\r  " },
	{ "blank", "\t\t  " },
	{ "cntrl", "\x01\x1f\x7f\x7f" },
	{ "punct", "!/:@[`{~" },
	{ "print", " ~" },
	{ "graph", "!~" },
	{ "word", "09AZ__az" },
};

/* [:name:] with r->p just after "[:"; negation is refused by the caller. */
PVECG_NODISCARD static int
posix_class(struct rx *r, struct cls *c, int *negated)
{
	const char *end = strstr(r->p, ":]");
	size_t len, i;
	const char *name = r->p;

	*negated = 0;
	if (!end)
		return PVECG_EINPUT;
	if (*name == '^') {
		*negated = 1;
		name++;
	}
	len = (size_t)(end - name);
	for (i = 0; i < sizeof(posix_classes) / sizeof(posix_classes[0]); i++) {
		const char *rg = posix_classes[i].ranges;

		if (strlen(posix_classes[i].name) != len ||
		    strncmp(posix_classes[i].name, name, len) != 0)
			continue;
		for (; rg[0]; rg += 2)
			cls_set(c, (unsigned char)rg[0], (unsigned char)rg[1]);
		if (strcmp(posix_classes[i].name, "cntrl") == 0)
			cls_set(c, 0, 0); /* NUL cannot live in the table string */
		r->p = end + 2;
		return 0;
	}
	return PVECG_EINPUT;
}

/* One class member: a character (returns 1, *cp set), a class escape or
 * POSIX class (returns 2), or an error. */
PVECG_NODISCARD static int
class_item(struct rx *r, struct cls *c, unsigned *cp, int *posix_neg)
{
	int ch = (unsigned char)*r->p, rc;

	*posix_neg = 0;
	if (ch == '\0')
		return PVECG_EINPUT;
	if (ch >= 0x80)
		return PVECG_EINPUT; /* no UTF-8 ranges: keep it simple and safe */
	if (ch == '[' && r->p[1] == ':') {
		r->p += 2;
		rc = posix_class(r, c, posix_neg);
		return rc < 0 ? rc : 2;
	}
	r->p++;
	if (ch != '\\') {
		*cp = (unsigned)ch;
		return 1;
	}
	ch = (unsigned char)*r->p;
	if (ch == '\0')
		return PVECG_EINPUT;
	r->p++;
	if (strchr("dDwWsS", ch)) {
		rc = cls_add_esc(c, (char)ch);
		return rc < 0 ? rc : 2;
	}
	if (ch == 'b') {
		*cp = 0x08;
		return 1;
	}
	rc = char_escape(r, ch, cp);
	if (rc == 1 && *cp >= 0x80)
		return PVECG_EINPUT;
	return rc == 1 ? 1 : PVECG_EINPUT;
}

static void
cls_fold(struct cls *c)
{
	unsigned cp;

	for (cp = 'A'; cp <= 'Z'; cp++) {
		if (cls_has(c, cp) || cls_has(c, cp + 32)) {
			cls_set(c, cp, cp);
			cls_set(c, cp + 32, cp + 32);
		}
	}
}

PVECG_NODISCARD static int
cls_emit(struct rx *r, const struct cls *c)
{
	unsigned lo = 0;
	char e[3] = { '\\', 0, 0 };
	int i, rc;

	if ((rc = emit(r, c->negated ? "[^" : "[")) != 0)
		return rc;
	for (i = 0; i < c->n_esc; i++) {
		e[1] = c->esc[i];
		if ((rc = emit(r, e)) != 0)
			return rc;
	}
	while (lo < 128) {
		unsigned hi;

		if (!cls_has(c, lo)) {
			lo++;
			continue;
		}
		for (hi = lo; hi + 1 < 128 && cls_has(c, hi + 1); hi++)
			;
		if ((rc = emit_char(r, lo, 1)) != 0)
			return rc;
		if (hi > lo + 1 && (rc = emit(r, "-")) != 0)
			return rc;
		if (hi > lo && (rc = emit_char(r, hi, 1)) != 0)
			return rc;
		lo = hi + 1;
	}
	return emit(r, "]");
}

/* "[:^name:]]" right after the opening '[': the whole class is one negated
 * POSIX class, the only negated form ECMA can express ([^...]). */
PVECG_NODISCARD static int
sole_negated_posix(struct rx *r, struct cls *c)
{
	const char *end;
	int neg;

	if (strncmp(r->p, "[:^", 3) != 0 || !(end = strstr(r->p, ":]")) || end[2] != ']')
		return 0;
	r->p += 2;
	if (posix_class(r, c, &neg) != 0)
		return PVECG_EINPUT;
	r->p++; /* the class's own ']' */
	c->negated = 1;
	return 1;
}

/* r->p just after '['. */
PVECG_NODISCARD static int
parse_class(struct rx *r)
{
	struct cls c;
	unsigned lo, hi;
	int kind, neg, rc;

	memset(&c, 0, sizeof(c));
	if ((rc = sole_negated_posix(r, &c)) < 0)
		return rc;
	if (rc == 1)
		goto done;
	if (*r->p == '^') {
		c.negated = 1;
		r->p++;
	}
	if (*r->p == ']') { /* Perl: a leading ']' is literal */
		r->p++;
		cls_set(&c, ']', ']');
	}
	while (*r->p != ']') {
		kind = class_item(r, &c, &lo, &neg);
		if (kind < 0 || neg)
			return PVECG_EINPUT;
		if (kind == 2)
			continue; /* a following '-' is then literal, as in Perl */
		if (r->p[0] == '-' && r->p[1] != ']' && r->p[1] != '\0') {
			r->p++;
			kind = class_item(r, &c, &hi, &neg);
			if (kind < 0 || neg)
				return PVECG_EINPUT;
			if (kind == 2) { /* "a-\d": Perl reads '-' literally */
				cls_set(&c, lo, lo);
				cls_set(&c, '-', '-');
				continue;
			}
			if (hi < lo)
				return PVECG_EINPUT;
			cls_set(&c, lo, hi);
			continue;
		}
		cls_set(&c, lo, lo);
	}
	r->p++; /* ']' */
done:
	if (r->icase[r->depth])
		cls_fold(&c);
	return cls_emit(r, &c);
}

/* ---- outside classes ------------------------------------------------- */

static int
emit_literal(struct rx *r, unsigned cp)
{
	struct cls c;

	if (r->icase[r->depth] && cp < 128 && is_alpha((int)cp)) {
		memset(&c, 0, sizeof(c));
		cls_set(&c, cp, cp);
		cls_fold(&c);
		return cls_emit(r, &c);
	}
	return emit_char(r, cp, 0);
}

PVECG_NODISCARD static int
parse_escape(struct rx *r)
{
	int ch = (unsigned char)*r->p, rc;
	unsigned cp;
	char e[3] = { '\\', 0, 0 };

	if (ch == '\0' || ch >= 0x80)
		return PVECG_EINPUT;
	r->p++;
	r->can_quantify = 1;
	if (strchr("dDwWsS", ch)) {
		e[1] = (char)ch;
		return emit(r, e);
	}
	r->can_quantify = 0;
	switch (ch) {
	case 'b': return emit(r, "\\b");
	case 'B': return emit(r, "\\B");
	case 'A': return emit(r, "^");
	case 'z': return emit(r, "$");
	case 'Z': return emit(r, "(?=\\n?$)");
	default: break;
	}
	r->can_quantify = 1;
	rc = char_escape(r, ch, &cp);
	if (rc != 1)
		return PVECG_EINPUT; /* backrefs, \p, \K, \Q, \h, ... */
	return emit_literal(r, cp);
}

PVECG_NODISCARD static int
add_group_name(struct rx *r, const char *name, size_t len)
{
	int i;

	if (len == 0 || len > 32 || r->n_names >= RX_MAX_NAMES || is_digit(name[0]))
		return PVECG_EINPUT;
	for (i = 0; i < (int)len; i++)
		if (!is_alpha(name[i]) && !is_digit(name[i]) && name[i] != '_')
			return PVECG_EINPUT;
	for (i = 0; i < r->n_names; i++)
		if (strlen(r->names[i]) == len && strncmp(r->names[i], name, len) == 0)
			return PVECG_EINPUT;
	memcpy(r->names[r->n_names], name, len);
	r->names[r->n_names][len] = '\0';
	r->n_names++;
	return 0;
}

/* r->p just after '('. Emits the ECMA opener and pushes a level. */
PVECG_NODISCARD static int
parse_group_open(struct rx *r)
{
	int icase = r->icase[r->depth], look = 0, rc;
	const char *opener = "(";
	const char *s = r->p;

	if (r->depth >= RX_MAX_DEPTH)
		return PVECG_EINPUT;
	if (s[0] == '?') {
		if (s[1] == ':') {
			opener = "(?:";
			r->p += 2;
		} else if (s[1] == '^') {
			size_t i = 2;

			icase = 0;
			for (; s[i] && s[i] != ':'; i++) {
				if (s[i] == 'i' && !icase)
					icase = 1;
				else
					return PVECG_EINPUT; /* m, s, x, ... change semantics */
			}
			if (s[i] != ':')
				return PVECG_EINPUT;
			opener = "(?:";
			r->p += i + 1;
		} else if (s[1] == '=' || s[1] == '!') {
			opener = s[1] == '=' ? "(?=" : "(?!";
			look = 1;
			r->p += 2;
		} else if (s[1] == '<' && (s[2] == '=' || s[2] == '!')) {
			opener = s[2] == '=' ? "(?<=" : "(?<!";
			look = 1;
			r->p += 3;
		} else if ((s[1] == 'P' && s[2] == '<') || s[1] == '<') {
			const char *name = s + (s[1] == 'P' ? 3 : 2);
			const char *end = strchr(name, '>');

			/* backreferences are refused, so no name is ever needed: a
			 * plain group matches the same and every engine reads it */
			if (!end || (rc = add_group_name(r, name, (size_t)(end - name))) != 0)
				return PVECG_EINPUT;
			r->p = end + 1;
		} else {
			return PVECG_EINPUT; /* (?>, (?i), (?#, (?|, recursion, ... */
		}
	}
	if ((rc = emit(r, opener)) != 0)
		return rc;
	r->depth++;
	r->icase[r->depth] = icase;
	r->lookaround[r->depth] = look;
	r->can_quantify = 0;
	return 0;
}

/* {n}, {n,}, {n,m}; returns 1 if one was read, 0 if '{' is literal. */
PVECG_NODISCARD static int
read_braces(struct rx *r, char *buf, size_t cap)
{
	const char *s = r->p + 1;
	unsigned long lo, hi;
	char *end;

	if (*s == ',')
		return PVECG_EINPUT; /* {,n}: literal in old Perl, quantifier since 5.34 */
	if (!is_digit(*s))
		return 0;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (*end == ',') {
		if (is_digit(end[1])) {
			hi = strtoul(end + 1, &end, 10);
			if (hi < lo)
				return PVECG_EINPUT;
		} else {
			end++;
			hi = (unsigned long)-1;
		}
	}
	if (*end != '}' || lo > 65535 || (hi != (unsigned long)-1 && hi > 65535))
		return PVECG_EINPUT;
	if ((size_t)(end - r->p + 2) > cap)
		return PVECG_EINPUT;
	memcpy(buf, r->p, (size_t)(end - r->p + 1));
	buf[end - r->p + 1] = '\0';
	r->p = end + 1;
	return 1;
}

PVECG_NODISCARD static int
parse_quantifier(struct rx *r)
{
	char q[48];
	int rc;

	if (*r->p == '{') {
		rc = read_braces(r, q, sizeof(q));
		if (rc < 0)
			return rc;
		if (rc == 0) {
			r->p++;
			r->can_quantify = 1;
			return emit(r, "\\{");
		}
	} else {
		q[0] = *r->p++;
		q[1] = '\0';
	}
	if (!r->can_quantify)
		return PVECG_EINPUT;
	if ((rc = emit(r, q)) != 0)
		return rc;
	if (*r->p == '+')
		return PVECG_EINPUT; /* possessive */
	if (*r->p == '?') {
		r->p++;
		if ((rc = emit(r, "?")) != 0)
			return rc;
	}
	r->can_quantify = 0;
	return 0;
}

PVECG_NODISCARD static int
parse_body(struct rx *r)
{
	int rc = 0;
	int ch;

	while ((ch = (unsigned char)*r->p) != '\0' && rc == 0) {
		switch (ch) {
		case '\\':
			r->p++;
			rc = parse_escape(r);
			break;
		case '[':
			r->p++;
			rc = parse_class(r);
			r->can_quantify = 1;
			break;
		case '(':
			r->p++;
			rc = parse_group_open(r);
			break;
		case ')':
			if (r->depth == 0)
				return PVECG_EINPUT;
			r->p++;
			r->can_quantify = !r->lookaround[r->depth];
			r->depth--;
			rc = emit(r, ")");
			break;
		case '|':
			r->p++;
			if (r->depth == 0)
				r->top_alt = 1;
			r->can_quantify = 0;
			rc = emit(r, "|");
			break;
		case '*':
		case '+':
		case '?':
		case '{': rc = parse_quantifier(r); break;
		case '^':
		case '$':
			r->p++;
			r->can_quantify = 0;
			rc = emit(r, ch == '^' ? "^" : "$");
			break;
		case '.':
			r->p++;
			r->can_quantify = 1;
			rc = emit(r, ".");
			break;
		default:
			r->p++;
			r->can_quantify = 1;
			if (ch >= 0x80) {
				rc = pvecg_buf_append(&r->out, &r->p[-1], 1) == 0 ? 0
				                                                  : PVECG_ENOMEM;
				break;
			}
			rc = emit_literal(r, (unsigned)ch);
			break;
		}
	}
	if (rc == 0 && r->depth != 0)
		return PVECG_EINPUT;
	return rc;
}

/* True when s is one "(?^:...)" group whose ')' is the last character. */
static int
single_wrapper(const char *s, size_t len)
{
	size_t i;
	int depth = 0, in_class = 0;

	if (len < 5 || strncmp(s, "(?^:", 4) != 0 || s[len - 1] != ')')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (in_class) {
			in_class = s[i] != ']';
			continue;
		}
		if (s[i] == '[') {
			in_class = 1;
			if (s[i + 1] == '^')
				i++;
			if (s[i + 1] == ']')
				i++;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')') {
			if (--depth == 0)
				return i == len - 1;
		}
	}
	return 0;
}

/* "^...$" with no top-level alternation needs no extra anchors. */
static int
already_anchored(const struct rx *r)
{
	const char *s = r->out.data;
	size_t n = r->out.len, bs = 0;

	if (r->top_alt || n < 2 || s[0] != '^' || s[n - 1] != '$')
		return 0;
	while (bs + 1 < n && s[n - 2 - bs] == '\\')
		bs++;
	return bs % 2 == 0;
}

int
pvecg_regex_to_ecma(char **out, const char *pattern)
{
	struct rx r;
	char *body = NULL;
	size_t len;
	int literal = 0, rc;
	pvecg_buf res = PVECG_BUF_INIT;

	*out = NULL;
	if (!pattern)
		return PVECG_EINPUT;
	len = strlen(pattern);
	if (len >= 2 && pattern[0] == '/' && pattern[len - 1] == '/') {
		literal = 1; /* Rust products print their regex as a JS literal */
		body = pvecg_strndup(pattern + 1, len - 2);
	} else if (single_wrapper(pattern, len)) {
		body = pvecg_strndup(pattern + 4, len - 5);
	} else {
		body = pvecg_strdup(pattern);
	}
	if (!body)
		return PVECG_ENOMEM;
	memset(&r, 0, sizeof(r));
	r.p = body;
	rc = parse_body(&r);
	if (rc == 0) {
		if (literal || already_anchored(&r))
			rc = pvecg_buf_puts(&res, r.out.data ? r.out.data : "");
		else
			rc = pvecg_buf_printf(&res, "^(?:%s)$", r.out.data ? r.out.data : "");
		rc = rc == 0 ? 0 : PVECG_ENOMEM;
	}
	if (rc == 0) {
		*out = pvecg_buf_steal(&res, NULL);
		if (!*out)
			rc = PVECG_ENOMEM;
	}
	pvecg_buf_free(&res);
	pvecg_buf_free(&r.out);
	free(body);
	return rc;
}

/* ---- ECMA-262 -> POSIX ERE ------------------------------------------------ */

/* The ERE being written; an allocation failure is remembered and reported
 * once at the end. */
typedef struct ere_out {
	pvecg_buf b;
	int failed;
} ere_out;

static void
outs(ere_out *o, const char *s)
{
	if (!o->failed && pvecg_buf_puts(&o->b, s) != 0)
		o->failed = 1;
}

static void
outc(ere_out *o, char c)
{
	if (!o->failed && pvecg_buf_append(&o->b, &c, 1) != 0)
		o->failed = 1;
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* \xHH (exactly two digits, as ECMA-262 reads it), \t, \n, \r, \f, \v at p
 * (after the backslash): the byte, or -1. Advances *len over the escape's
 * characters. */
PVECG_NODISCARD static int
byte_escape(const char *p, size_t *len)
{
	*len = 1;
	switch (*p) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'x':
		if (hexval(p[1]) < 0 || hexval(p[2]) < 0)
			return -1;
		*len = 3;
		return hexval(p[1]) * 16 + hexval(p[2]);
	default: return -1;
	}
}

/* Reads one bracket expression at *pp (after '['), writes it as ERE. */
static int
ere_bracket(ere_out *o, const char **pp, const char **reason)
{
	unsigned char lit[128] = { 0 };
	const char *p = *pp;
	int neg = 0, alnum = 0, space = 0, any = 0;

	if (*p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']')
		return *reason = "empty or ']'-first class", 1;
	while (*p && *p != ']') {
		int c, hi;
		size_t elen;

		if (*p == '\\') {
			p++;
			if (*p == 'd' || *p == 'w' || *p == 's') {
				if (*p == 'd')
					memset(&lit['0'], 1, 10);
				else if (*p == 'w')
					alnum = lit['_'] = 1;
				else
					space = 1;
				p++;
				continue;
			}
			if ((c = byte_escape(p, &elen)) >= 0) {
				p += elen;
				goto have_c;
			}
			if (*p == '\0' || is_alnum(*p) || (unsigned char)*p >= 0x80)
				return *reason = "escape in class", 1;
		} else if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			return *reason = "POSIX class syntax", 1;
		}
		if ((unsigned char)*p >= 0x80)
			return *reason = "non-ASCII", 1;
		c = (unsigned char)*p++;
have_c:
		hi = c;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\') {
				p++;
				if ((hi = byte_escape(p, &elen)) >= 0) {
					p += elen;
					goto have_hi;
				}
				if (*p == '\0' || is_alnum(*p))
					return *reason = "escape in range", 1;
			}
			if ((unsigned char)*p >= 0x80)
				return *reason = "non-ASCII", 1;
			hi = (unsigned char)*p++;
have_hi:
			if (hi < c || hi >= 0x80)
				return *reason = "reversed or non-ASCII range", 1;
		}
		if (c >= 0x80)
			return *reason = "non-ASCII", 1;
		/* NUL never reaches regexec (C strings): drop it from the set */
		if (c == 0)
			c = 1;
		if (hi >= c)
			memset(lit + c, 1, (size_t)(hi - c + 1));
	}
	if (*p != ']')
		return *reason = "unterminated class", 1;
	*pp = p + 1;
	for (int c = 1; c < 128; c++)
		any |= lit[c];
	if (!any && !alnum && !space)
		return *reason = "empty class", 1;
	/* only '^': a plain escaped literal */
	if (!neg && !alnum && !space && lit['^']) {
		int others = 0;

		for (int c = 1; c < 128; c++)
			others |= c != '^' && lit[c];
		if (!others) {
			outs(o, "\\^");
			return 0;
		}
	}
	outs(o, neg ? "[^" : "[");
	if (lit[']'])
		outc(o, ']');
	for (int c = 1; c < 128; c++) {
		int end = c;

		if (!lit[c] || c == ']' || c == '^' || c == '-' || c == '[')
			continue;
		while (end + 1 < 128 && lit[end + 1] && end + 1 != ']' && end + 1 != '^' &&
		    end + 1 != '-' && end + 1 != '[')
			end++;
		outc(o, (char)c);
		if (end - c >= 2) {
			outc(o, '-');
			outc(o, (char)end);
		} else if (end > c) {
			outc(o, (char)end);
		}
		c = end;
	}
	if (alnum)
		outs(o, "[:alnum:]");
	if (space)
		outs(o, "[:space:]");
	if (lit['['])
		outc(o, '[');
	if (lit['^'])
		outc(o, '^');
	if (lit['-'])
		outc(o, '-');
	outc(o, ']');
	return 0;
}

/* After "(?<name>" / "(?P<name>" (or at the end if malformed). */
static const char *
named_group_end(const char *p)
{
	const char *gt = strchr(p, '>');

	return gt ? gt + 1 : p + strlen(p);
}

/* Lazy quantifier suffixes do not change a whole-string match; possessive
 * ones do. */
static int
ere_quant_suffix(const char **pp, const char **reason)
{
	if (**pp == '?')
		(*pp)++;
	else if (**pp == '+')
		return *reason = "possessive quantifier", 1;
	return 0;
}

/* One UTF-8 character outside a class, copied as its bytes: exact only
 * when no quantifier follows (it would bind to the last byte). Returns the
 * bytes taken, or 0 (reason set). */
static size_t
ere_utf8_literal(ere_out *o, const char *p, const char **reason)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			n = 0;
	if (n == 0)
		return *reason = "invalid UTF-8", 0;
	if (p[n] == '*' || p[n] == '+' || p[n] == '?' || p[n] == '{')
		return *reason = "quantified non-ASCII character", 0;
	for (i = 0; i < n; i++)
		outc(o, p[i]);
	return n;
}

/* 0: translated into o; 1: not portable (reason set). */
static int
ere_translate(ere_out *o, const char *p, unsigned flags, const char **reason)
{
	int whole = (flags & PVECG_REGEX_WHOLE) != 0;

	if (whole)
		outs(o, "^(");
	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80 && (flags & PVECG_REGEX_UTF8)) {
			size_t n = ere_utf8_literal(o, p, reason);

			if (n == 0)
				return 1;
			p += n;
			continue;
		}
		if (c >= 0x80 || c < 0x20)
			return *reason = "non-ASCII or control character", 1;
		if (c == '\\') {
			char n = p[1];

			p += 2;
			switch (n) {
			case 'd': outs(o, "[0-9]"); continue;
			case 'D': outs(o, "[^0-9]"); continue;
			case 'w': outs(o, "[[:alnum:]_]"); continue;
			case 'W': outs(o, "[^[:alnum:]_]"); continue;
			case 's': outs(o, "[[:space:]]"); continue;
			case 'S': outs(o, "[^[:space:]]"); continue;
			default: break;
			}
			{
				size_t elen;
				int b = byte_escape(p - 1, &elen);

				if (b > 0 && b < 0x80) {
					p += elen - 1;
					if (strchr(".[]()*+?{}|^$\\", b))
						outc(o, '\\');
					outc(o, (char)b);
					continue;
				}
			}
			if (n == '\0' || is_alnum(n) || (unsigned char)n >= 0x80)
				return *reason = "escape without ERE equivalent", 1;
			if (strchr(".[]()*+?{}|^$\\", n))
				outc(o, '\\');
			outc(o, n);
			continue;
		}
		if (c == '(') {
			if (p[1] == '?') {
				if (p[2] == ':')
					p += 3;
				else if (p[2] == '^' && p[3] == ':')
					p += 4;
				else if ((p[2] == '<' && p[3] != '=' && p[3] != '!') ||
				    (p[2] == 'P' && p[3] == '<'))
					p = named_group_end(p); /* names do not change matching */
				else
					return *reason = "lookaround, named group or inline flag",
					       1;
			} else {
				p++;
			}
			if (*p == ')')
				return *reason = "empty group", 1;
			outc(o, '(');
			continue;
		}
		if (c == '[') {
			p++;
			if (ere_bracket(o, &p, reason) != 0)
				return 1;
			continue;
		}
		if (c == '*' || c == '+' || c == '?') {
			outc(o, (char)c);
			p++;
			if (ere_quant_suffix(&p, reason) != 0)
				return 1;
			continue;
		}
		if (c == '{') {
			const char *q = p + 1;
			size_t d1 = strspn(q, "0123456789"), d2 = 0;

			if (d1 > 0 && q[d1] == ',')
				d2 = strspn(q + d1 + 1, "0123456789") + 1;
			/* POSIX only promises RE_DUP_MAX 255, and glibc compiles
			 * big counts slowly (seconds for {0,4096}). */
			int big_hi = d2 > 1 && (d2 > 4 || atoi(q + d1 + 1) > 255);

			if (d1 > 0 && q[d1 + d2] == '}' &&
			    (d1 > 3 || atoi(q) > 255 ||
			        (big_hi && !(flags & PVECG_REGEX_OPEN_BIG))))
				return *reason = "repeat count above 255 (RE_DUP_MAX)", 1;
			if (d1 > 0 && q[d1 + d2] == '}') {
				outc(o, '{');
				if (pvecg_buf_append(&o->b, q, big_hi ? d1 + 1 : d1 + d2) != 0)
					o->failed = 1;
				outc(o, '}');
				p = q + d1 + d2 + 1;
				if (ere_quant_suffix(&p, reason) != 0)
					return 1;
				continue;
			}
			outs(o, "\\{");
			p++;
			continue;
		}
		if (c == '}') {
			outs(o, "\\}");
			p++;
			continue;
		}
		outc(o, (char)c);
		p++;
	}
	if (whole)
		outs(o, ")$");
	return 0;
}

/* ---- one anchor pair for whole-string matches ---------------------------- */

static int
is_quantifier(char c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}

/* One top-level alternative [s, end) of an ERE, without the '^' it starts
 * with and the unescaped '$' it ends with: inside the outer "^(...)$" they
 * match where the outer anchors do, so dropping them keeps the meaning.
 * Kept when dropping would leave a leading quantifier, or nothing where
 * an empty alternative is not allowed (several: "(a|)" is not POSIX). */
static void
strip_anchors(const char **s, const char **end, int empty_ok)
{
	const char *a = *s, *z = *end;
	ptrdiff_t min = empty_ok ? 1 : 2;
	size_t bs = 0;

	if (z - a >= min && a[0] == '^' && (z - a == 1 || !is_quantifier(a[1])))
		a++;
	for (const char *p = z - 1; p > a && p[-1] == '\\'; p--)
		bs++;
	if (z - a >= min && z[-1] == '$' && bs % 2 == 0)
		z--;
	*s = a;
	*end = z;
}

/* Past the bracket expression starting at p ('['). */
static const char *
skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *q = strchr(p + 2, p[1]);

			while (q && q[1] != ']')
				q = strchr(q + 1, p[1]);
			if (q == NULL)
				return p + strlen(p);
			p = q + 2;
			continue;
		}
		p++;
	}
	return *p ? p + 1 : p;
}

/* The number of top-level alternatives of the ERE [p, end), or 0 when it
 * is not the shape the translator writes (unbalanced, dangling escape). */
static int
count_alternatives(const char *p, const char *end)
{
	int depth = 0, n = 1;

	while (p < end) {
		if (*p == '\\') {
			if (p + 1 == end)
				return 0;
			p += 2;
		} else if (*p == '[') {
			p = skip_bracket(p);
		} else {
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			n += *p == '|' && depth == 0;
			if (depth < 0)
				return 0;
			p++;
		}
	}
	return p == end && depth == 0 ? n : 0;
}

/* Is [s, end) one group "(...)" whose parenthesis closes at the end? */
static int
whole_group(const char *s, const char *end)
{
	int depth = 0;

	if (end - s < 2 || *s != '(' || end[-1] != ')')
		return 0;
	for (const char *p = s; p < end;) {
		if (*p == '\\') {
			p += 2;
		} else if (*p == '[') {
			p = skip_bracket(p);
		} else {
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			if (depth == 0)
				return p == end - 1;
			p++;
		}
	}
	return 0;
}

/* PVECG_REGEX_WHOLE writes "^(" ERE ")$"; when the ERE anchors itself
 * ("^(^[a-z]+$)$") that doubles the anchors. Rewrites b to one pair with
 * the same matches: a group spanning the whole pattern is unwrapped and a
 * lone alternative loses its own '^' / final '$' (both match where the
 * outer pair does), until neither applies; then "^" ERE "$" for one
 * alternative, "^(" A "|" B ")$" for several, each stripped the same way. */
PVECG_NODISCARD static int
one_anchor_pair(pvecg_buf *b)
{
	pvecg_buf out = PVECG_BUF_INIT;
	const char *in, *end, *alt, *p;
	int depth = 0, n_alt, group, rc;

	if (b->len < 4 || strncmp(b->data, "^(", 2) != 0 || strcmp(b->data + b->len - 2, ")$") != 0)
		return 0;
	in = b->data + 2;
	end = b->data + b->len - 2;
	while ((n_alt = count_alternatives(in, end)) == 1) {
		const char *s = in, *z = end;

		strip_anchors(&s, &z, 1);
		if (whole_group(s, z)) {
			in = s + 1;
			end = z - 1;
			continue;
		}
		if (s == in && z == end)
			break;
		in = s;
		end = z;
	}
	if (n_alt == 0)
		return 0; /* not the shape the translator writes: leave it */
	group = n_alt > 1 || (in < end && is_quantifier(*in));
	rc = pvecg_buf_puts(&out, group ? "^(" : "^");
	for (alt = p = in; rc == 0 && p <= end;) {
		if (p < end && *p == '\\') {
			p += 2;
		} else if (p < end && *p == '[') {
			p = skip_bracket(p);
		} else if (p == end || (*p == '|' && depth == 0)) {
			const char *s = alt, *z = p;

			if (n_alt > 1)
				strip_anchors(&s, &z, 0);
			if (alt != in)
				rc = pvecg_buf_puts(&out, "|");
			if (rc == 0)
				rc = pvecg_buf_append(&out, s, (size_t)(z - s));
			alt = ++p;
		} else {
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			p++;
		}
	}
	if (rc == 0)
		rc = pvecg_buf_puts(&out, group ? ")$" : "$");
	if (rc == 0) {
		b->len = 0;
		rc = pvecg_buf_append(b, out.data, out.len);
	}
	pvecg_buf_free(&out);
	return rc;
}

int
pvecg_regex_to_ere(pvecg_buf *out, const char *pattern, unsigned flags, const char **reason)
{
	ere_out o = { PVECG_BUF_INIT, 0 };
	int rc;

	*reason = NULL;
	rc = ere_translate(&o, pattern, flags, reason);
	if (rc == 0 && !o.failed && (flags & PVECG_REGEX_WHOLE) && one_anchor_pair(&o.b) != 0)
		o.failed = 1;
	if (o.failed)
		rc = PVECG_ENOMEM;
	else if (rc == 0 &&
	    ((o.b.len > 0 && pvecg_buf_append(out, o.b.data, o.b.len) != 0) ||
	        pvecg_buf_puts(out, "") != 0))
		rc = PVECG_ENOMEM;
	pvecg_buf_free(&o.b);
	return rc;
}
