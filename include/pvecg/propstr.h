/* propstr: Proxmox property strings and indexed members in the OpenAPI
 * document (openapi_propstr.c) and the table of indexed-member maxima
 * (indexed.c). */
#ifndef PVECG_PROPSTR_H
#define PVECG_PROPSTR_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Families with this many members or fewer are enumerated as explicit
 * properties (net0..net31, unused0..unused255); larger ones would stay
 * patternProperties. Every family Proxmox has today fits: a pattern left
 * beside explicit properties becomes an index signature in generated
 * TypeScript ({[key: string]: string}) that no typed body can satisfy, and
 * 256 enumerated members cost 6 % of openapi.json (PVE 9.1). */
#define PVECG_INDEXED_ENUMERATE_MAX 256

/* One row of the maxima table: the members of `family` under `guest`
 * (the first path segment that names the resource: qemu, lxc, cluster,
 * config) are family0..family<max_index> for product versions in
 * [since, until) ("" = open end). */
typedef struct pvecg_indexed_max {
	const char *product; /* pve, pbs, pmg, pdm */
	const char *guest;
	const char *family;
	const char *since, *until;
	int max_index;
	const char *source; /* where Proxmox states it */
} pvecg_indexed_max;

/* The whole table, for tests and documentation. */
const pvecg_indexed_max *pvecg_indexed_table(size_t *n);

/* Families Proxmox has no maximum for (none today; the list exists so a
 * new family is a decision, not an accident). */
const char *const *pvecg_indexed_unbounded(size_t *n);

/* Largest index of family under guest for the version ("9.1", "8.4";
 * anything not numeric means the newest). 0 and *out set when known,
 * PVECG_EINPUT when the table has no row. */
PVECG_NODISCARD int pvecg_indexed_lookup(
    int *out, const char *product, const char *guest, const char *family, const char *version);

/* Rewrites a built document in place: every property-string format
 * (x-proxmox-format holding an object) becomes one deduplicated component
 * referenced by x-proxmox-property-string; indexed members with a known
 * maximum up to PVECG_INDEXED_ENUMERATE_MAX become explicit properties
 * that $ref one shared member schema; larger ones keep patternProperties
 * and gain x-proxmox-index-max; unknown families keep patternProperties. */
PVECG_NODISCARD int
pvecg_openapi_propstr_apply(cJSON *doc, const char *product, const char *version, pvecg_error *err);

/* The parameter-schema converter of openapi.c (request rules), for the
 * keys of a property string: a Proxmox schema in, JSON Schema out. */
int pvecg_openapi_convert_schema(cJSON **out, const cJSON *src, pvecg_error *err);

/* A Proxmox-style format object read back from a property string's
 * typetext ("[[host=]<ID>] [,pcie=<1|0>]"), for members whose format is
 * only named; PVECG_EINPUT when the text is no property string. */
PVECG_NODISCARD int pvecg_propstr_from_typetext(cJSON **out, const char *typetext);

/* The context segment of a path used in component names: the first
 * segment that is not a {parameter}, skipping a leading "nodes". */
PVECG_NODISCARD int pvecg_propstr_context(char *out, size_t cap, const char *path);

#endif
