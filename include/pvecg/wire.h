/* wire: the declared Proxmox types of an OpenAPI document -> the forms
 * Proxmox really sends and accepts (doc/wire-dialect.md), after the schema
 * errata of the product (data/errata/<product>.json) are applied. */
#ifndef PVECG_WIRE_H
#define PVECG_WIRE_H

#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Rewrites doc (an OpenAPI document built by pvecg_openapi_build) in place:
 * errata first, then every response schema to the wire dialect of
 * responses and every request body / parameter schema to the forms
 * Proxmox accepts. The declared type stays as x-proxmox-type. */
PVECG_NODISCARD int pvecg_wire_apply(cJSON *doc, pvecg_error *err);

/* The errata of one product (embedded copy of data/errata/<product>.json),
 * applied to doc and listed as doc["x-proxmox-errata"]. Unknown product or
 * no file: nothing to do. An entry whose operation is not in doc (another
 * release) is skipped; one whose pointer does not resolve is an error. */
int pvecg_errata_apply(cJSON *doc, const char *product, pvecg_error *err);
/* The same from the text of an errata file (named `file` in errors). */
PVECG_NODISCARD int
pvecg_errata_apply_text(cJSON *doc, const char *text, const char *file, pvecg_error *err);

/* A wire union ("anyOf" of single-typed branches plus "x-proxmox-type"):
 * the branch of the declared type (with the declared enum), else NULL. */
const cJSON *pvecg_wire_declared_branch(const cJSON *s);

/* The component schema of an operation's `data` (responses.200), or NULL. */
cJSON *pvecg_wire_response_schema(cJSON *doc, cJSON *op);

#endif
