/* options: one struct filled by the CLI parser, passed down read-only. */
#ifndef PVECG_OPTIONS_H
#define PVECG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include "pvecg/error.h"
#include "pvecg/fetch.h"
#include "pvecg/genconfig.h"
#include "pvecg/jsrun.h"

enum pvecg_command {
	PVECG_CMD_GENERATE,
	PVECG_CMD_VERIFY,
	PVECG_CMD_VERSIONS,
	PVECG_CMD_SERVE,
	PVECG_CMD_DIFF,
	PVECG_CMD_MOCK,
	PVECG_CMD_HELP,
	PVECG_CMD_VERSION
};

/* One input -> one DIR/TAG. The options that follow a --source (up to the
 * next one) describe that input; those before the first describe the first. */
typedef struct pvecg_job {
	const char *source;       /* NULL: $PROXMOX_URL or the public viewer */
	char *version_tag;        /* owned copy, validated; NULL: decided per run */
	const char *product;      /* NULL: detect */
	const char *source_label; /* recorded as source_url instead of the location */
	bool also_latest;         /* point DIR/latest at this version too */
} pvecg_job;

typedef struct pvecg_options {
	enum pvecg_command command;
	pvecg_job *jobs;
	size_t n_jobs;
	const char *output_dir;  /* NULL: generated/<product-dir> */
	const char *root;        /* verify/versions ROOT */
	const char *schemas_dir; /* verify: JSON Schemas of the artifacts (default schemas) */
	char *default_source;    /* owned: the source used when none is given */
	int workers;             /* default: number of cores */
	bool quiet, verbose, timings, check, latest_copy, json;
	pvecg_fetch_policy fetch;
	const char *token_origin; /* --api-token-origin (serve: else $PROXMOX_URL) */
	const char *login_file;   /* --login-file: user, realm, password, totp */
	pvecg_jsrun_limits js;
	/* serve */
	const char *listen; /* "127.0.0.1:8080" */
	const char *tls_cert, *tls_key;
	double rate_generate; /* requests per hour per client, default 1 */
	double rate_read;     /* openapi/models per hour per client, default 5 */
	size_t max_body;      /* request body cap, default 16 KiB */
	int max_threads;      /* connection threads, default 4 */
	/* diff */
	const char *diff_old, *diff_new;
	bool breaking_only;
	int fail_on;             /* -1 never, else the lowest failing pvecg_diff_severity */
	const char *trust_proxy; /* IP of a reverse proxy whose X-Forwarded-For counts */
	const char *access_log;  /* file the request log is appended to; NULL: stderr */
	/* mock (ROOT in root; --listen, --tls-*, --threads, --product and
	 * --version-tag as above) */
	const char *mock_state; /* --state FILE */
	const char *mock_seed;  /* --seed FILE */
	bool no_auth;           /* --no-auth */
} pvecg_options;

/* The pipeline's settings of a `generate` run: log on stderr, --quiet
 * and --verbose as given. */
void pvecg_options_generate_config(pvecg_generate_config *c, const pvecg_options *o);

/* Parses argv. Returns 0, or PVECG_EUSAGE with err filled. */
PVECG_NODISCARD int pvecg_options_parse(pvecg_options *o, int argc, char **argv, pvecg_error *err);
void pvecg_options_free(pvecg_options *o);
void pvecg_options_usage(FILE *fp);

#endif
