/* Small shared helpers: whole-file reads, SHA-256, string duplication. */
#ifndef PVECG_UTIL_H
#define PVECG_UTIL_H

#include <stddef.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

/* Reads a regular file of at most max bytes (0: no cap) into out. */
PVECG_NODISCARD int pvecg_read_file(pvecg_buf *out, const char *path, size_t max, pvecg_error *err);
/* Lower-case hex SHA-256 of data into hex[65]. */
void pvecg_sha256_hex(char hex[65], const void *data, size_t len);
/* The same over the buffers one after another (as if concatenated). */
void pvecg_sha256_hex_bufs(char hex[65], const pvecg_buf *bufs, size_t n);
char *pvecg_strdup(const char *s);
char *pvecg_strndup(const char *s, size_t n);
/* snprintf into a path buffer; -1 when the result would not fit. */
int pvecg_path(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Grows the heap once by about heap bytes and keeps it (see util.c). */
void pvecg_memory_tune(size_t heap);
/* Monotonic seconds, for timings. */
double pvecg_now(void);

/* "a/b" into out; -1 when it does not fit. */
int pvecg_path_join(char *out, size_t cap, const char *a, const char *b);
/* 1 when stat(path) succeeds (links followed), else 0. */
int pvecg_path_exists(const char *path);
/* What follows the last '/' of path (all of it without one); borrowed. */
const char *pvecg_path_base_name(const char *path);

#endif
