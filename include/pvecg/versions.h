/* versions: the version directories below an output root, and their listing. */
#ifndef PVECG_VERSIONS_H
#define PVECG_VERSIONS_H

#include <stddef.h>
#include <stdio.h>
#include "pvecg/error.h"

/* Called for each version directory: dir as a path, rel relative to the
 * root the walk started at (the directory's own name when it is the root). */
typedef void (*pvecg_version_fn)(void *ctx, const char *dir, const char *rel);

/* Copies root into out without trailing '/'; PVECG_EUSAGE when empty or too
 * long, PVECG_EIO when it is not a directory. */
PVECG_NODISCARD int pvecg_versions_root(char *out, size_t cap, const char *root, pvecg_error *err);
/* Calls fn, in name order, for root itself when it is a version directory
 * (one holding openapi.json, route_metadata.json, model_index.json or
 * raw_capture.json), else for every one one or two levels below it;
 * hidden entries skipped. *found counts the calls. PVECG_EIO (errno set)
 * when a directory cannot be listed. */
int pvecg_versions_walk(const char *root, pvecg_version_fn fn, void *ctx, size_t *found);
/* Lists versions under root; json selects --json output. */
PVECG_NODISCARD int pvecg_versions(const char *root, int json, FILE *fp, pvecg_error *err);

#endif
