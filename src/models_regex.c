/* models_regex: Proxmox patterns (ECMA / Perl syntax) -> POSIX EREs that
 * the model runtime's regexec checks, when the translation is exact
 * enough; otherwise the reason it is not. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "models_int.h"

/* ---- patterns: ECMA / Perl -> POSIX ERE ------------------------------------ */

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* \xHH, \t, \n, \r, \f, \v at p (after the backslash): the byte, or -1.
 * Advances *len over the escape's characters. */
static int
byte_escape(const char *p, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	const char *h1, *h2;

	*len = 1;
	switch (*p) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'x':
		if (!p[1] || !p[2])
			return -1;
		h1 = strchr(hex, p[1] | 0x20);
		h2 = strchr(hex, p[2] | 0x20);
		if (!h1 || !h2 || !*h1 || !*h2)
			return -1;
		*len = 3;
		return (int)((h1 - hex) * 16 + (h2 - hex));
	default:
		return -1;
	}
}

/* Reads one bracket expression at *pp (after '['), writes it as ERE. */
static int
ere_bracket(em_out *o, const char **pp, const char **reason)
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
		while (end + 1 < 128 && lit[end + 1] && end + 1 != ']' &&
		    end + 1 != '^' && end + 1 != '-' && end + 1 != '[')
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

/* 0: translated into o; 1: not portable (reason set). */
int
em_ere_translate(em_out *o, const char *p, const char **reason)
{
	outs(o, "^(");
	while (*p) {
		unsigned char c = (unsigned char)*p;

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
					return *reason = "lookaround, named group or inline flag", 1;
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
			if (d1 > 0 && q[d1 + d2] == '}' && (d1 > 3 || d2 > 4 ||
			    atoi(q) > 255 || (d2 > 1 && atoi(q + d1 + 1) > 255)))
				return *reason = "repeat count above 255 (RE_DUP_MAX)", 1;
			if (d1 > 0 && q[d1 + d2] == '}') {
				outc(o, '{');
				if (pvecg_buf_append(&o->b, q, d1 + d2) != 0)
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
	outs(o, ")$");
	return 0;
}
