/* genconfig: what the pipeline (resolve and generate) runs with besides
 * the job: built from the command line by pvecg_options_generate_config,
 * and by serve for its requests. */
#ifndef PVECG_GENCONFIG_H
#define PVECG_GENCONFIG_H

#include <stdbool.h>
#include <stdio.h>
#include "pvecg/fetch.h"
#include "pvecg/jsrun.h"

typedef struct pvecg_generate_config {
	pvecg_fetch_policy fetch; /* URL guard, size and time caps, TLS, credentials */
	pvecg_jsrun_limits js;    /* the script sandbox's limits */
	const char *output_dir;   /* NULL: generated/<product-dir> */
	const char *token_origin; /* the origin credentials are bound to; NULL: the source's */
	const char *login_file;   /* ticket login data; NULL: $PROXMOX_USER ... */
	bool remote_only;         /* sources are URLs, never local paths (serve) */
	bool check;               /* compare with DIR/TAG instead of writing */
	bool latest_copy;         /* DIR/latest as a copy, not a symlink */
	int workers;              /* threads writing the files of one run */
	FILE *log;                /* never NULL: the self-check's findings, warnings, notes */
	bool quiet;               /* no warnings (the self-check's findings still) */
	bool verbose;             /* a note per step */
} pvecg_generate_config;

/* One "proxmox-sdk-codegen: ..." line on c->log with verbose and not quiet. */
void pvecg_generate_note(const pvecg_generate_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
