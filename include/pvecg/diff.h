/* diff: two OpenAPI documents of one product -> the list of API changes,
 * each classified for a client (breaking, potentially breaking, safe),
 * printed as a Markdown changelog or as JSON (schemas/diff.schema.json).
 *
 * Declared types are compared (x-proxmox-type when present, else type),
 * property strings by their keys (inline x-proxmox-format objects or
 * x-proxmox-property-string $refs), and indexed members (patternProperties
 * "^net\d+$", or net0..netN all $ref-ing one schema) as one family. */
#ifndef PVECG_DIFF_H
#define PVECG_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

typedef enum pvecg_diff_severity {
	PVECG_DIFF_SAFE = 0,
	PVECG_DIFF_POTENTIAL = 1,
	PVECG_DIFF_BREAKING = 2
} pvecg_diff_severity;

/* One change. Strings are owned by the change; old_value/new_value are
 * NULL when the side has no value (an added or removed thing). */
typedef struct pvecg_diff_change {
	char *group;  /* route group: first path segment, "root" for "/" */
	char *method; /* upper case, as pvecg_httpmethods spells it */
	char *path;   /* "/nodes/{node}/qemu" */
	char *operation_id;
	const char *area; /* static: "operation", "parameter", "response", "property-string" */
	const char *kind; /* static: "added", "removed", "type-changed", ... */
	char *subject;    /* "net[n]", "data[].vmid", "net[n]:model"; "" for the operation */
	char *old_value;
	char *new_value;
	pvecg_diff_severity severity;
	size_t seq; /* emission order, keeps sorting stable */
} pvecg_diff_change;

typedef struct pvecg_diff_summary {
	size_t operations_old, operations_new;
	size_t operations_added, operations_removed, operations_changed;
	size_t parameters_added, parameters_removed, parameters_changed;
	size_t breaking, potential, safe;
} pvecg_diff_summary;

typedef struct pvecg_diff {
	char *old_version, *new_version; /* info.version of each side */
	char *old_product, *product;     /* info.x-proxmox-product of each side, or NULL */
	pvecg_diff_change *items;        /* sorted: group, path, method, emission order */
	size_t n, cap;
	pvecg_diff_summary summary;
} pvecg_diff;

/* Compares two OpenAPI documents (borrowed) of one product (PVECG_EINPUT
 * when both name their product and the names differ). */
PVECG_NODISCARD int pvecg_diff_documents(
    pvecg_diff **out, const cJSON *old_doc, const cJSON *new_doc, pvecg_error *err);
void pvecg_diff_free(pvecg_diff *d);
const char *pvecg_diff_severity_name(pvecg_diff_severity s);
/* Number of changes in area of kind (NULL: any). */
size_t pvecg_diff_count(const pvecg_diff *d, const char *area, const char *kind);
/* The first change in area of kind about subject (NULL subject: any), or NULL. */
const pvecg_diff_change *
pvecg_diff_find(const pvecg_diff *d, const char *area, const char *kind, const char *subject);

/* Loads one side: a version directory (openapi.json, else raw_capture.json),
 * an openapi.json or raw_capture.json file, or a TAG under root
 * (root/TAG; root NULL means generated/proxmox). A raw capture is turned
 * into OpenAPI in memory by the pipeline's own stages. */
PVECG_NODISCARD int
pvecg_diff_load(cJSON **out, const char *arg, const char *root, pvecg_error *err);

/* Output. With breaking_only only breaking changes are listed (the
 * summary still counts all). */
PVECG_NODISCARD int pvecg_diff_markdown(pvecg_buf *out, const pvecg_diff *d, bool breaking_only);
PVECG_NODISCARD int pvecg_diff_json(pvecg_buf *out, const pvecg_diff *d, bool breaking_only);

/* The `diff` command: loads, compares, prints to fp. Returns the exit
 * status: 0, 1 (error, printed to stderr), 3 (--fail-on threshold met).
 * fail_on: -1 never, else the lowest severity that fails. */
PVECG_NODISCARD int pvecg_diff_main(const char *old_arg, const char *new_arg, const char *root,
    bool json, bool breaking_only, int fail_on, FILE *fp);

#endif
