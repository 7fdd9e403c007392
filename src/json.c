#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/util.h"

#define MAX_DEPTH 512

struct member {
	const cJSON *node;
	size_t index; /* keeps duplicate keys in input order */
};

static int
member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int c = strcmp(x->node->string ? x->node->string : "",
	    y->node->string ? y->node->string : "");

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int
write_string(pvecg_buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	char esc[7];

	if (pvecg_buf_append(out, "\"", 1) != 0)
		return PVECG_ENOMEM;
	for (; *p; p++) {
		const char *rep = NULL;
		size_t replen = 2;

		switch (*p) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		default:
			if (*p >= 0x20)
				continue;
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			esc[6] = '\0';
			rep = esc;
			replen = 6;
		}
		if (pvecg_buf_append(out, run, (size_t)(p - run)) != 0 ||
		    pvecg_buf_append(out, rep, replen) != 0)
			return PVECG_ENOMEM;
		run = p + 1;
	}
	if (pvecg_buf_append(out, run, (size_t)(p - run)) != 0 ||
	    pvecg_buf_append(out, "\"", 1) != 0)
		return PVECG_ENOMEM;
	return 0;
}

int
pvecg_json_number(pvecg_buf *out, double v)
{
	char tmp[40];
	int prec;

	if (!isfinite(v))
		return pvecg_buf_puts(out, "null");
	if (v == 0)
		return pvecg_buf_puts(out, "0"); /* folds -0 */
	if (floor(v) == v && fabs(v) < 9007199254740992.0) {
		snprintf(tmp, sizeof(tmp), "%.0f", v);
		return pvecg_buf_puts(out, tmp);
	}
	/* Shortest text that reads back to the same double. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	return pvecg_buf_puts(out, tmp);
}

static int
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

static int write_node(pvecg_buf *out, const cJSON *n, int depth);

static int
write_container(pvecg_buf *out, const cJSON *n, int depth)
{
	int is_obj = cJSON_IsObject(n);
	size_t count = 0, i;
	struct member *m;
	const cJSON *c;
	int rc = 0;

	for (c = n->child; c; c = c->next)
		count++;
	if (count == 0)
		return pvecg_buf_puts(out, is_obj ? "{}" : "[]");
	m = malloc(count * sizeof(*m));
	if (m == NULL)
		return PVECG_ENOMEM;
	for (i = 0, c = n->child; c; c = c->next, i++) {
		m[i].node = c;
		m[i].index = i;
	}
	if (is_obj)
		qsort(m, count, sizeof(*m), member_cmp);
	rc = pvecg_buf_puts(out, is_obj ? "{" : "[");
	for (i = 0; rc == 0 && i < count; i++) {
		rc = indent(out, depth + 1);
		if (rc == 0 && is_obj)
			rc = write_string(out, m[i].node->string ? m[i].node->string : "");
		if (rc == 0 && is_obj)
			rc = pvecg_buf_puts(out, ": ");
		if (rc == 0)
			rc = write_node(out, m[i].node, depth + 1);
		if (rc == 0 && i + 1 < count)
			rc = pvecg_buf_puts(out, ",");
	}
	if (rc == 0)
		rc = indent(out, depth);
	if (rc == 0)
		rc = pvecg_buf_puts(out, is_obj ? "}" : "]");
	free(m);
	return rc;
}

static int
write_node(pvecg_buf *out, const cJSON *n, int depth)
{
	if (depth > MAX_DEPTH)
		return PVECG_ELIMIT;
	switch (n->type & 0xff) {
	case cJSON_False: return pvecg_buf_puts(out, "false");
	case cJSON_True: return pvecg_buf_puts(out, "true");
	case cJSON_NULL: return pvecg_buf_puts(out, "null");
	case cJSON_Number: return pvecg_json_number(out, n->valuedouble);
	case cJSON_String: return write_string(out, n->valuestring ? n->valuestring : "");
	case cJSON_Raw: return pvecg_buf_puts(out, n->valuestring ? n->valuestring : "null");
	case cJSON_Array:
	case cJSON_Object: return write_container(out, n, depth);
	default: return pvecg_buf_puts(out, "null");
	}
}

int
pvecg_json_write(pvecg_buf *out, const cJSON *node)
{
	int rc = write_node(out, node, 0);

	return rc != 0 ? rc : pvecg_buf_puts(out, "\n");
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
	*out = cJSON_ParseWithLengthOpts(b.data, b.len, &end, 0);
	if (*out == NULL) {
		if (end == NULL || end < b.data || end > b.data + b.len)
			end = b.data + b.len;
		line_col(b.data, end, &line, &col);
		rc = pvecg_error_set(err, PVECG_EINPUT, path,
		    "invalid JSON at line %d, column %d", line, col);
	}
out:
	pvecg_buf_free(&b);
	return rc;
}

const char *
pvecg_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
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
