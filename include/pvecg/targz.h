/* targz: a .tar.gz written in memory: ustar headers written here, the
 * gzip stream by zlib. Entries are compressed as they are added, so the
 * uncompressed tar never exists as a whole. */
#ifndef PVECG_TARGZ_H
#define PVECG_TARGZ_H

#include <stddef.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

typedef struct pvecg_targz pvecg_targz;

PVECG_NODISCARD int pvecg_targz_new(pvecg_targz **out, pvecg_error *err);
void pvecg_targz_free(pvecg_targz *t);

/* A directory entry (mode 0755); name ends in '/'. Names longer than 100
 * bytes are split into ustar's prefix (at most 155) and name (at most 100)
 * at a '/', else the entry is refused (PVECG_ELIMIT). */
int pvecg_targz_add_dir(pvecg_targz *t, const char *name, long long mtime, pvecg_error *err);
/* A regular file (mode 0644) holding len bytes of data. */
PVECG_NODISCARD int pvecg_targz_add_file(pvecg_targz *t, const char *name, const void *data,
    size_t len, long long mtime, pvecg_error *err);

/* Writes the end-of-archive blocks and ends the gzip stream; out gets the
 * whole .tar.gz (appended). No entry may be added afterwards. */
PVECG_NODISCARD int pvecg_targz_finish(pvecg_targz *t, pvecg_buf *out, pvecg_error *err);

#endif
