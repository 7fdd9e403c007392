/* verify: integrity of a generated/ tree (pins, counts, completeness, schemas). */
#ifndef PVECG_VERIFY_H
#define PVECG_VERIFY_H

#include <stdio.h>
#include "pvecg/error.h"
#include "pvecg/files.h"

/* Checks every version directory under root (generated/ or one product
 * dir or one version dir). Prints each failure as one line to fp.
 * schemas_dir NULL: the schemas built into the binary.
 * Returns 0 when all pass, PVECG_EDRIFT when any fails. */
PVECG_NODISCARD int
pvecg_verify(const char *root, const char *schemas_dir, FILE *fp, pvecg_error *err);
/* The same checks over one version directory still in memory: files as
 * they will be written to dir (which names them in messages), tag the
 * version tag it will carry. schemas_dir NULL: the built-in schemas.
 * PVECG_EINTERNAL when any check fails (each printed to fp). */
PVECG_NODISCARD int pvecg_verify_files(const pvecg_files *files, const char *dir, const char *tag,
    const char *schemas_dir, FILE *fp, pvecg_error *err);

#endif
