/* models_out: the text buffer the model emitter writes C and comments
 * into. The first failed allocation sticks, so a writer checks once. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pvecg/buf.h"
#include "models_int.h"

void
outf(em_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* one formatting pass in the common case: room is reserved first */
	if (o->failed || pvecg_buf_reserve(&o->b, 256) != 0) {
		o->failed = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->b.data + o->b.len, o->b.cap - o->b.len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= o->b.cap - o->b.len) {
		if (pvecg_buf_reserve(&o->b, (size_t)n) != 0) {
			o->failed = 1;
			return;
		}
		va_start(ap, fmt);
		n = vsnprintf(o->b.data + o->b.len, o->b.cap - o->b.len, fmt, ap);
		va_end(ap);
	}
	if (n < 0) {
		o->failed = 1;
		return;
	}
	o->b.len += (size_t)n;
}

/* Decimal without printf: the descriptor tables are mostly numbers. */
void
outu(em_out *o, unsigned long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (!o->failed && pvecg_buf_append(&o->b, tmp + i, sizeof(tmp) - i) != 0)
		o->failed = 1;
}

void
outs(em_out *o, const char *s)
{
	if (!o->failed && pvecg_buf_puts(&o->b, s) != 0)
		o->failed = 1;
}

void
outc(em_out *o, char c)
{
	if (!o->failed && pvecg_buf_append(&o->b, &c, 1) != 0)
		o->failed = 1;
}

/* C string literal body: printable ASCII; '?' escaped (trigraphs), the
 * rest as three-digit octal so a following digit cannot join it. */
void
out_cstr(em_out *o, const char *s)
{
	size_t len = strlen(s);
	char *w;

	if (o->failed || pvecg_buf_reserve(&o->b, 4 * len) != 0) {
		o->failed = 1;
		return;
	}
	w = o->b.data + o->b.len;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '?') {
			*w++ = '\\';
			*w++ = (char)*p;
		} else if (*p >= 0x20 && *p < 0x7f) {
			*w++ = (char)*p;
		} else {
			*w++ = '\\';
			*w++ = (char)('0' + (*p >> 6));
			*w++ = (char)('0' + ((*p >> 3) & 7));
			*w++ = (char)('0' + (*p & 7));
		}
	}
	o->b.len = (size_t)(w - o->b.data);
	*w = '\0';
}

/* First line of a description, safe inside a block comment. */
void
out_doc(em_out *o, const char *s, size_t max)
{
	char prev = ' ';
	size_t n = 0;
	char *w;

	if (s == NULL)
		return;
	if (o->failed || pvecg_buf_reserve(&o->b, 2 * max + 4) != 0) {
		o->failed = 1;
		return;
	}
	w = o->b.data + o->b.len;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s && *s != '\n' && n < max; s++, n++) {
		char c = *s;

		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = ' ';
		/* nothing may end or nest the comment, nor form a trigraph */
		if ((prev == '*' && c == '/') || (prev == '/' && c == '*') ||
		    (prev == '?' && c == '?'))
			*w++ = ' ';
		*w++ = c;
		prev = c;
	}
	if (*s && *s != '\n') {
		memcpy(w, "...", 3);
		w += 3;
	}
	o->b.len = (size_t)(w - o->b.data);
	*w = '\0';
}
