/* generate: the whole pipeline for one job, source -> DIR/TAG. */
#ifndef PVECG_GENERATE_H
#define PVECG_GENERATE_H

#include "pvecg/error.h"
#include "pvecg/files.h"
#include "pvecg/genconfig.h"
#include "pvecg/options.h"
#include "pvecg/resolve.h"

/* Stages in pipeline order, for --timings. "openapi" includes parsing and
 * normalizing the capture; "verify" is the run's check of its own files
 * (the checks of `verify`, in memory) before they are written. */
enum pvecg_stage {
	PVECG_ST_FETCH,
	PVECG_ST_VIEWER,
	PVECG_ST_SCRIPTS,
	PVECG_ST_CAPTURE,
	PVECG_ST_OPENAPI,
	PVECG_ST_MODELS,
	PVECG_ST_ROUTES,
	PVECG_ST_VERIFY,
	PVECG_ST_WRITE,
	PVECG_ST_COUNT
};
extern const char *const pvecg_stage_names[PVECG_ST_COUNT];

typedef struct pvecg_run_report {
	char product[8];
	char target[4096]; /* DIR/TAG written (or checked) */
	char openapi_sha256[65];
	char version_tag[128]; /* the tag used */
	char tag_reason[512];  /* why: given, reported by the host, or latest */
	long paths, operations;
	double seconds[PVECG_ST_COUNT];
} pvecg_run_report;

/* Every function below reports what it has to say (warnings, the
 * self-check's findings, --verbose notes) on o->log, never elsewhere. */

/* Produces the in-memory file set for job (no writing), SHA256SUMS included. */
PVECG_NODISCARD int pvecg_generate_files(pvecg_files *files, pvecg_run_report *rep,
    const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err);
/* The self-check of files (verify's checks, in memory), then commit (or
 * compare with --check), then latest. rep carries the product from
 * generate_files and gets the target; nothing is written when the
 * self-check fails. */
PVECG_NODISCARD int pvecg_generate_commit(pvecg_run_report *rep, const pvecg_files *files,
    const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err);
/* generate_files on what r resolved, then generate_commit. */
PVECG_NODISCARD int pvecg_generate_run_resolved(pvecg_run_report *rep, const pvecg_job *job,
    const pvecg_generate_config *o, const pvecg_resolved *r, pvecg_error *err);
/* pvecg_resolve, then generate_run_resolved. */
PVECG_NODISCARD int pvecg_generate_run(
    pvecg_run_report *rep, const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err);

#endif
