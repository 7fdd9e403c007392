/* buf: the growable, always NUL-terminated byte buffer every stage
 * appends text and files to. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/error.h"

int
pvecg_buf_reserve(pvecg_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return PVECG_ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return PVECG_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
pvecg_buf_append_slow(pvecg_buf *b, const void *data, size_t len)
{
	if (pvecg_buf_reserve(b, len) != 0)
		return PVECG_ENOMEM;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
pvecg_buf_puts(pvecg_buf *b, const char *s)
{
	return pvecg_buf_append(b, s, strlen(s));
}

int
pvecg_buf_printf(pvecg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || pvecg_buf_reserve(b, (size_t)n) != 0)
		return PVECG_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *
pvecg_buf_steal(pvecg_buf *b, size_t *len)
{
	char *p;

	if (b->data == NULL && pvecg_buf_reserve(b, 0) != 0)
		return NULL;
	p = b->data;
	/* Doubling leaves up to half a big buffer unused: give it back, so the
	 * next stage reuses that memory instead of growing the heap. */
	if (b->cap - b->len > ((size_t)64 << 10)) {
		char *q = realloc(p, b->len + 1);

		if (q != NULL)
			p = q;
	}
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
pvecg_buf_free(pvecg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
