/* output: writes a file set as DIR/TAG atomically, or compares it (--check). */
#ifndef PVECG_OUTPUT_H
#define PVECG_OUTPUT_H

#include <stdio.h>

#include "pvecg/error.h"
#include "pvecg/files.h"

/* Writes files into a temporary directory beside target, fsyncs, then
 * renames it into place (replacing an old target). Holds an exclusive lock
 * on "<parent>/.<tag>.lock" for the duration; the temporary directory is
 * ".<tag>.tmp-XXXXXX" and is removed on failure. Unchanged files are
 * hard-linked from the replaced target when it is a real directory (never
 * through a link that leads out of it). Waiting for another run's lock is
 * said on log. */
PVECG_NODISCARD int pvecg_output_commit(
    const char *target, const pvecg_files *files, int workers, FILE *log, pvecg_error *err);
/* A check that decides whether a staged file set may be put in place. */
typedef int (*pvecg_output_gate_fn)(void *ctx, pvecg_error *err);
/* pvecg_output_commit with gate (when not NULL) run in a thread of its own
 * while the temporary directory is written and synced: the rename happens
 * only when gate returned 0; otherwise the temporary directory is removed
 * and gate's error is returned (it wins over a write error). The gate must
 * only read files. */
PVECG_NODISCARD int pvecg_output_commit_gated(const char *target, const pvecg_files *files,
    int workers, pvecg_output_gate_fn gate, void *gate_ctx, FILE *log, pvecg_error *err);
/* Compares files with the content of target; prints every differing,
 * missing or extra path to log. PVECG_EDRIFT on any difference. */
PVECG_NODISCARD int
pvecg_output_compare(const char *target, const pvecg_files *files, FILE *log, pvecg_error *err);
/* Points "<parent>/latest" at target with a relative symlink, replaced
 * atomically. (--latest-mode copy commits the file set there instead.) */
PVECG_NODISCARD int pvecg_output_latest_link(const char *target, pvecg_error *err);
/* 0 when path may be replaced by a commit or a latest link: it is absent,
 * a symbolic link, or a directory holding only what this tool writes
 * (openapi.json, the other JSON artifacts, *.h, *.c, models/). Otherwise
 * PVECG_EINPUT naming what is in the way: a user's folder is never deleted. */
PVECG_NODISCARD int pvecg_output_check_replaceable(const char *path, pvecg_error *err);
/* Removes a tree (no links followed); missing is fine. */
PVECG_NODISCARD int pvecg_output_remove(const char *path, pvecg_error *err);
/* mkdir -p */
PVECG_NODISCARD int pvecg_output_mkdirs(const char *path, pvecg_error *err);

#endif
