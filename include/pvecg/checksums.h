/* checksums: the SHA256SUMS file of a version directory.
 *
 * One line per artifact, sorted by path in byte order, in the text format
 * of `sha256sum` (`<64 lower-case hex>  <path>\n`), so a copied tree can be
 * checked with `cd DIR && sha256sum -c SHA256SUMS`. Every file of the
 * directory except SHA256SUMS itself is listed. */
#ifndef PVECG_CHECKSUMS_H
#define PVECG_CHECKSUMS_H

#include <stddef.h>
#include "pvecg/error.h"
#include "pvecg/files.h"

#define PVECG_CHECKSUMS_FILE "SHA256SUMS"

typedef struct pvecg_checksum {
	char hex[65];
	char *path;
} pvecg_checksum;

/* Adds SHA256SUMS over every other file of the set (replacing one already
 * there) and sorts the set. */
PVECG_NODISCARD int pvecg_checksums_add(pvecg_files *files, pvecg_error *err);
/* Parses SHA256SUMS text; refuses a malformed, unsorted or repeated line,
 * an absolute path or one with a "." or ".." segment (where names the file
 * in the error). */
PVECG_NODISCARD int pvecg_checksums_parse(pvecg_checksum **out, size_t *n, const char *text,
    size_t len, const char *where, pvecg_error *err);
void pvecg_checksums_free(pvecg_checksum *sums, size_t n);

#endif
