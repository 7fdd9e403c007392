/* json: the canonical JSON writer (sorted keys, 2-space indent, stable
 * numbers) every artifact goes through, the NUL-safe parser, and small
 * cJSON lookups and owning adds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/util.h"

#define MAX_DEPTH 512

/* Where the writer appends, and the "$ref" rebase it applies (from NULL:
 * none). */
struct writer {
	pvecg_buf *out;
	const char *from, *to;
	size_t from_len;
};

struct member {
	const cJSON *node;
	size_t index; /* keeps duplicate keys in input order */
};

static int
member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(
	    x->node->string ? x->node->string : "", y->node->string ? y->node->string : "");

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* 1 where a byte must be escaped: '"', '\\' and the control characters. */
/* clang-format off */
static const unsigned char needs_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	[0xc0] = 1, /* C0 80 stands for NUL, see pvecg_json_parse */
};
/* clang-format on */

static int
write_escape(pvecg_buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0' };

	switch (c) {
	case '"': return pvecg_buf_append(out, "\\\"", 2);
	case '\\': return pvecg_buf_append(out, "\\\\", 2);
	case '\n': return pvecg_buf_append(out, "\\n", 2);
	case '\r': return pvecg_buf_append(out, "\\r", 2);
	case '\t': return pvecg_buf_append(out, "\\t", 2);
	case '\b': return pvecg_buf_append(out, "\\b", 2);
	case '\f': return pvecg_buf_append(out, "\\f", 2);
	default: return pvecg_buf_append(out, esc, 6);
	}
}

/* The quoted text of prefix (plain text, copied as it is) then s. Plain
 * runs are copied whole; most strings are one run. */
PVECG_NODISCARD static int
write_prefixed_string(pvecg_buf *out, const char *prefix, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	size_t plen = strlen(prefix), len = strlen(s);

	if (pvecg_buf_reserve(out, plen + len + 2) != 0)
		return PVECG_ENOMEM;
	out->data[out->len++] = '"';
	memcpy(out->data + out->len, prefix, plen);
	out->len += plen;
	for (run = p;; p++) {
		while (!needs_escape[*p])
			p++;
		if (pvecg_buf_append(out, run, (size_t)(p - run)) != 0)
			return PVECG_ENOMEM;
		if (*p == '\0')
			break;
		if (p[0] == 0xc0 && p[1] == 0x80) {
			if (pvecg_buf_append(out, "\\u0000", 6) != 0)
				return PVECG_ENOMEM;
			run = ++p + 1;
			continue;
		}
		if (*p == 0xc0) {
			run = p; /* not ours: a lone C0 byte is copied as it is */
			continue;
		}
		if (write_escape(out, *p) != 0)
			return PVECG_ENOMEM;
		run = p + 1;
	}
	return pvecg_buf_append(out, "\"", 1);
}

PVECG_NODISCARD static int
write_string(pvecg_buf *out, const char *s)
{
	return write_prefixed_string(out, "", s);
}

static int
write_integer(pvecg_buf *out, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return pvecg_buf_append(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

int
pvecg_json_number(pvecg_buf *out, double v)
{
	char tmp[40];
	int prec;

	if (!isfinite(v))
		return pvecg_buf_append(out, "null", 4);
	if (floor(v) == v && fabs(v) < 9007199254740992.0)
		return write_integer(out, (long long)v); /* folds -0 to 0 */
	/* Shortest text that reads back to the same double. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	return pvecg_buf_puts(out, tmp);
}

PVECG_NODISCARD static int
indent(pvecg_buf *out, int depth)
{
	if (pvecg_buf_reserve(out, (size_t)depth * 2 + 1) != 0)
		return PVECG_ENOMEM;
	out->data[out->len++] = '\n';
	memset(out->data + out->len, ' ', (size_t)depth * 2);
	out->len += (size_t)depth * 2;
	out->data[out->len] = '\0';
	return 0;
}

static int write_node(const struct writer *w, const cJSON *n, int depth);

PVECG_NODISCARD static int
write_container(const struct writer *w, const cJSON *n, int depth)
{
	int is_obj = cJSON_IsObject(n);
	struct member small[32], *m = small;
	pvecg_buf *out = w->out;
	size_t count = 0, i;
	const cJSON *c;
	int rc = 0, sorted = 1;

	for (c = n->child; c; c = c->next)
		count++;
	if (count == 0)
		return pvecg_buf_puts(out, is_obj ? "{}" : "[]");
	if (count > sizeof(small) / sizeof(small[0]) && (m = malloc(count * sizeof(*m))) == NULL)
		return PVECG_ENOMEM;
	for (i = 0, c = n->child; c; c = c->next, i++) {
		m[i].node = c;
		m[i].index = i;
		if (is_obj && i > 0 && sorted && member_cmp(&m[i - 1], &m[i]) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort(m, count, sizeof(*m), member_cmp);
	rc = pvecg_buf_puts(out, is_obj ? "{" : "[");
	for (i = 0; rc == 0 && i < count; i++) {
		rc = indent(out, depth + 1);
		if (rc == 0 && is_obj)
			rc = write_string(out, m[i].node->string ? m[i].node->string : "");
		if (rc == 0 && is_obj)
			rc = pvecg_buf_append(out, ": ", 2);
		if (rc == 0)
			rc = write_node(w, m[i].node, depth + 1);
		if (rc == 0 && i + 1 < count)
			rc = pvecg_buf_append(out, ",", 1);
	}
	if (rc == 0)
		rc = indent(out, depth);
	if (rc == 0)
		rc = pvecg_buf_append(out, is_obj ? "}" : "]", 1);
	if (m != small)
		free(m);
	return rc;
}

/* A string, rebased when it is a "$ref" member starting with w->from. */
PVECG_NODISCARD static int
write_text(const struct writer *w, const cJSON *n)
{
	const char *s = n->valuestring ? n->valuestring : "";

	if (w->from != NULL && n->string != NULL && strcmp(n->string, "$ref") == 0 &&
	    strncmp(s, w->from, w->from_len) == 0)
		return write_prefixed_string(w->out, w->to, s + w->from_len);
	return write_string(w->out, s);
}

PVECG_NODISCARD static int
write_node(const struct writer *w, const cJSON *n, int depth)
{
	pvecg_buf *out = w->out;

	if (depth > MAX_DEPTH)
		return PVECG_ELIMIT;
	switch (n->type & 0xff) {
	case cJSON_False: return pvecg_buf_puts(out, "false");
	case cJSON_True: return pvecg_buf_puts(out, "true");
	case cJSON_NULL: return pvecg_buf_puts(out, "null");
	case cJSON_Number: return pvecg_json_number(out, n->valuedouble);
	case cJSON_String: return write_text(w, n);
	case cJSON_Raw: return pvecg_buf_puts(out, n->valuestring ? n->valuestring : "null");
	case cJSON_Array:
	case cJSON_Object: return write_container(w, n, depth);
	default: return pvecg_buf_puts(out, "null");
	}
}

int
pvecg_json_write_rebased(pvecg_buf *out, const cJSON *node, const char *from, const char *to)
{
	struct writer w = { out, from, to, from != NULL ? strlen(from) : 0 };
	int rc = write_node(&w, node, 0);

	return rc != 0 ? rc : pvecg_buf_puts(out, "\n");
}

int
pvecg_json_write(pvecg_buf *out, const cJSON *node)
{
	return pvecg_json_write_rebased(out, node, NULL, NULL);
}

int
pvecg_json_write_error(pvecg_error *err, int rc, const char *name)
{
	if (rc == PVECG_ELIMIT)
		return pvecg_error_set(err, rc, name, "nests deeper than the JSON writer allows");
	return pvecg_error_set(err, PVECG_ENOMEM, name, "out of memory");
}

static void
line_col(const char *text, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (; text < at; text++) {
		if (*text == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

cJSON *
pvecg_json_parse(const char *text, size_t len, const char **end)
{
	const char *p = text, *stop = text + len;
	char *copy, *o;
	cJSON *tree;

	if (memmem(text, len, "\\u0000", 6) == NULL)
		return cJSON_ParseWithLengthOpts(text, len, end, 0);
	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	/* Escapes pair up left to right, so "\\u0000" stays as it is. */
	for (o = copy; p < stop;) {
		if (*p != '\\' || p + 1 == stop) {
			*o++ = *p++;
		} else if (stop - p >= 6 && memcmp(p, "\\u0000", 6) == 0) {
			*o++ = (char)0xc0;
			*o++ = (char)0x80;
			p += 6;
		} else {
			*o++ = *p++;
			*o++ = *p++;
		}
	}
	if (end != NULL)
		*end = copy;
	tree = cJSON_ParseWithLengthOpts(copy, (size_t)(o - copy), end, 0);
	if (end != NULL)
		*end = text + (*end - copy); /* approximate: only for messages */
	free(copy);
	return tree;
}

int
pvecg_json_read_file(cJSON **out, const char *path, size_t max, pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	const char *end = NULL;
	int rc, line, col;

	*out = NULL;
	rc = pvecg_read_file(&b, path, max, err);
	if (rc != 0)
		goto out;
	*out = pvecg_json_parse(b.data, b.len, &end);
	if (*out == NULL) {
		if (end == NULL || end < b.data || end > b.data + b.len)
			end = b.data + b.len;
		line_col(b.data, end, &line, &col);
		rc = pvecg_error_set(
		    err, PVECG_EINPUT, path, "invalid JSON at line %d, column %d", line, col);
	}
out:
	pvecg_buf_free(&b);
	return rc;
}

const char *
pvecg_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = pvecg_json_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
pvecg_json_has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	return 0;
}

int
pvecg_json_truthy(const cJSON *v)
{
	if (cJSON_IsTrue(v))
		return 1;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	if (cJSON_IsString(v) && v->valuestring)
		return strcmp(v->valuestring, "1") == 0 || strcmp(v->valuestring, "yes") == 0 ||
		    strcmp(v->valuestring, "on") == 0 || strcmp(v->valuestring, "true") == 0;
	return 0;
}

int
pvecg_json_put(cJSON *obj, const char *key, cJSON *item)
{
	if (item == NULL)
		return PVECG_ENOMEM;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return PVECG_ENOMEM;
	}
	return 0;
}

int
pvecg_json_put_cs(cJSON *obj, const char *literal_key, cJSON *item)
{
	if (item == NULL)
		return PVECG_ENOMEM;
	if (!cJSON_AddItemToObjectCS(obj, literal_key, item)) {
		cJSON_Delete(item);
		return PVECG_ENOMEM;
	}
	return 0;
}

int
pvecg_json_push(cJSON *arr, cJSON *item)
{
	if (item == NULL)
		return PVECG_ENOMEM;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return PVECG_ENOMEM;
	}
	return 0;
}
