/* A growable byte buffer; always NUL-terminated so text can be used as a C string. */
#ifndef PVECG_BUF_H
#define PVECG_BUF_H

#include "pvecg/error.h"
#include <stddef.h>
#include <string.h>

typedef struct pvecg_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
} pvecg_buf;

#define PVECG_BUF_INIT \
	{ \
		NULL, 0, 0 \
	}

PVECG_NODISCARD int pvecg_buf_reserve(pvecg_buf *b, size_t extra);
PVECG_NODISCARD int pvecg_buf_append_slow(pvecg_buf *b, const void *data, size_t len);

/* Inline because the JSON and C writers append millions of short runs. */
static inline int
pvecg_buf_append(pvecg_buf *b, const void *data, size_t len)
{
	if (b->cap - b->len <= len || b->data == NULL)
		return pvecg_buf_append_slow(b, data, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}
int pvecg_buf_puts(pvecg_buf *b, const char *s);
PVECG_NODISCARD int
pvecg_buf_printf(pvecg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and resets b. */
char *pvecg_buf_steal(pvecg_buf *b, size_t *len);
void pvecg_buf_free(pvecg_buf *b);

#endif
