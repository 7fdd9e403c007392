/* Private to the diff module: the comparison context shared by diff.c
 * (operations) and diff_schema.c (schemas, fields, property strings). */
#ifndef PVECG_DIFF_INT_H
#define PVECG_DIFF_INT_H

#include "pvecg/error.h"
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/diff.h"

/* Inputs are what a client sends (parameters), outputs what it reads. */
enum diff_dir {
	DIFF_IN,
	DIFF_OUT
};

#define DIFF_MAX_DEPTH 12
#define DIFF_SUBJECT_MAX 512

struct diff_ctx {
	pvecg_diff *d;
	const cJSON *old_doc, *new_doc;
	/* the operation being compared */
	const char *group, *method, *path, *operation_id;
	size_t seq;
	size_t steps;  /* schema comparisons left: caps the work a hostile document can cause */
	int fatal;     /* out of memory: the result is incomplete */
	int exhausted; /* steps ran out */
};

/* Appends a change of the current operation; values are copied. */
void diff_emit(struct diff_ctx *c, const char *area, const char *kind, const char *subject,
    const char *old_value, const char *new_value, pvecg_diff_severity sev);

/* Follows local $refs ("#/components/...") in doc; NULL stays NULL. */
const cJSON *diff_resolve(const cJSON *doc, const cJSON *s);

/* One named member of an object schema, or an indexed family (name "net[n]"). */
struct diff_field {
	char name[160];
	const cJSON *schema; /* unresolved */
	const char *in;      /* parameter location, NULL in bodies and responses */
	bool required;
	bool family;
	long max; /* highest index of a family, -1 unknown */
};

struct diff_fields {
	struct diff_field *v;
	size_t n, cap;
};

/* Members of an object schema: properties (families folded) and
 * patternProperties. in is recorded on each member. Sorted by name. */
PVECG_NODISCARD int
diff_fields_object(struct diff_fields *f, const cJSON *doc, const cJSON *schema, const char *in);
/* Appends one member; no sorting. */
PVECG_NODISCARD int diff_fields_add(
    struct diff_fields *f, const char *name, const cJSON *schema, const char *in, bool required);
void diff_fields_sort(struct diff_fields *f);
void diff_fields_free(struct diff_fields *f);

/* Compares two member lists; area "parameter", "response" or
 * "property-string"; prefix is prepended to member names in subjects
 * ("data." or "net[n]:"). counts (may be NULL) receive added, removed and
 * changed members. */
struct diff_counts {
	size_t added, removed, changed;
};
void diff_compare_fields(struct diff_ctx *c, enum diff_dir dir, const char *area,
    const char *prefix, const struct diff_fields *o, const struct diff_fields *n, int depth,
    struct diff_counts *counts);
/* Compares two schemas of one subject. */
void diff_compare_schema(struct diff_ctx *c, enum diff_dir dir, const char *area,
    const char *subject, const cJSON *o, const cJSON *n, int depth);

/* Compact canonical JSON of v (sorted keys, no spaces), caller frees. */
char *diff_json_text(const cJSON *v);

#endif
