/* jsrun: runs the viewer scripts in duktape (a sandboxed child process
 * with time and memory limits) and finds the schema array. */
#ifndef PVECG_JSRUN_H
#define PVECG_JSRUN_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

typedef struct pvecg_script {
	const char *name; /* URL or path, for messages */
	const char *text;
	size_t len;
} pvecg_script;

typedef struct pvecg_jsrun_limits {
	double timeout_s; /* wall time for all scripts, default 10 */
	size_t memory;    /* bytes, default 512 MiB */
} pvecg_jsrun_limits;

typedef struct pvecg_jsrun_result {
	cJSON *schema;     /* the schema array (owned) */
	char *variable;    /* the global it was found in, e.g. "apiSchema" */
	size_t statements; /* top-level statements seen */
	size_t skipped;    /* statements that did not compile or threw */
} pvecg_jsrun_result;

/* One top-level statement as a byte range of the script. */
typedef struct pvecg_span {
	size_t off, len;
} pvecg_span;

void pvecg_jsrun_limits_init(pvecg_jsrun_limits *l);
/* Splits JavaScript source into top-level statements (strings, template
 * literals, regex literals and comments respected). */
PVECG_NODISCARD int
pvecg_jsrun_split(pvecg_span **out, size_t *n, const char *src, size_t len, pvecg_error *err);
PVECG_NODISCARD int pvecg_jsrun_run(pvecg_jsrun_result *out, const pvecg_script *scripts, size_t n,
    const pvecg_jsrun_limits *limits, pvecg_error *err);
void pvecg_jsrun_result_free(pvecg_jsrun_result *r);

#endif
