/* verify: integrity of a generated/ tree (pins, counts, completeness, schemas). */
#ifndef PVECG_VERIFY_H
#define PVECG_VERIFY_H

#include <stdio.h>
#include "pvecg/error.h"

/* Checks every version directory under root (generated/ or one product
 * dir or one version dir). Prints each failure as one line to fp.
 * Returns 0 when all pass, PVECG_EDRIFT when any fails. */
int pvecg_verify(const char *root, const char *schemas_dir, FILE *fp, pvecg_error *err);
/* Lists versions under root; json selects --json output. */
int pvecg_versions(const char *root, int json, FILE *fp, pvecg_error *err);

#endif
