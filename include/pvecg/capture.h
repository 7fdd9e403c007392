/* capture: the schema tree -> the flat, lossless raw_capture.json document.
 *
 * raw_capture.json (all keys sorted):
 * {
 *   "capture_version": 1,
 *   "counts": { "endpoints": N, "methods": N,
 *               "per_method": {"<METHOD>": N, ...} (every method, by name),
 *               "endpoints_without_methods": N, "duplicate_paths": N,
 *               "duplicate_methods": N },
 *   "duplicate_methods": ["GET /x", ...],  methods given twice, the last kept
 *   "duplicate_paths": ["/x", ...],        paths of several tree nodes, merged
 *   "endpoints": [ { "path": "/access", "text": "access", "leaf": 0,
 *                    "methods": { "GET": { ...info.GET verbatim... } } }, ... ]
 *                  sorted by path, one per path (text and leaf of its first node)
 *   "endpoints_without_methods": ["/..."],
 *   "product": "pve", "schema_variable": "apiSchema",
 *   "scripts": { "statements": N, "skipped": N },
 *   "source_sha256": "<hex of the schema script bytes>",
 *   "source_url": "<URL or path>"
 * }
 */
#ifndef PVECG_CAPTURE_H
#define PVECG_CAPTURE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

typedef struct pvecg_capture_meta {
	const char *source_url;
	const char *source_sha256;
	const char *schema_variable;
	const char *product;    /* pve|pbs|pmg|pdm, or NULL to detect */
	const char *page_title; /* viewer <title>, helps detection; may be NULL */
	size_t statements, skipped;
} pvecg_capture_meta;

/* Flattens schema into a new capture document. The method objects are
 * moved out of schema (no deep copy); the caller still frees schema. */
PVECG_NODISCARD int
pvecg_capture_build(cJSON **out, cJSON *schema, const pvecg_capture_meta *meta, pvecg_error *err);
/* Loads and checks a raw_capture.json written earlier (--source it). */
PVECG_NODISCARD int pvecg_capture_load(cJSON **out, const char *path, pvecg_error *err);
/* "pve" -> "proxmox", others unchanged; NULL for unknown products. */
const char *pvecg_capture_product_dir(const char *product);
/* Which product a viewer is, from every signal it gives, the most explicit
 * first: the page title, the schema variable's name (pmgapi, pveapi, ...;
 * apiSchema says nothing), then paths only one product has; "pve" when
 * nothing tells. why (may be NULL) gets the signal that decided, e.g.
 * "schema variable pmgapi". title and variable may be NULL. */
const char *pvecg_capture_detect_product(
    const cJSON *schema, const char *title, const char *variable, char *why, size_t why_size);

#endif
