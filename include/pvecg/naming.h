/* naming: the names every artifact shares for an operation, made in one
 * place: operationId, PascalCase model names, route group. */
#ifndef PVECG_NAMING_H
#define PVECG_NAMING_H

#include <stddef.h>

#include "pvecg/buf.h"

/* operationId: "<method>_<path>" lower-case, braces removed, runs of
 * non-alphanumerics -> '_', trimmed; "/" -> "<method>_root"
 * (GET /nodes/{node}/qemu -> get_nodes_node_qemu). Writes at most cap
 * bytes (NUL included); returns the length or -1 if it did not fit. */
PVECG_NODISCARD int
pvecg_naming_operation_id(char *out, size_t cap, const char *method, const char *path);

/* PascalCase(name) + suffix: every run of characters other than ASCII
 * letters and digits separates words and is dropped, each word's first
 * letter goes upper-case ("get_cluster_status", "Response" ->
 * "GetClusterStatusResponse"; "ha-state", "" -> "HaState"). suffix may be
 * NULL. Same return rules as above. */
PVECG_NODISCARD int
pvecg_naming_model_name(char *out, size_t cap, const char *name, const char *suffix);

/* Route group of an API path: its first segment ("/nodes/{node}" ->
 * "nodes"), "root" for "/". Returns the group's first byte (inside path,
 * or the literal "root") and its length in *len; not NUL-terminated. */
const char *pvecg_naming_route_group(const char *path, size_t *len);

/* Appends the first n bytes of s to b in PascalCase by the rule of
 * pvecg_naming_model_name ("ha-state" -> "HaState"). PVECG_ENOMEM when b
 * cannot grow. */
PVECG_NODISCARD int pvecg_naming_pascal_append(pvecg_buf *b, const char *s, size_t n);

#endif
