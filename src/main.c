/* proxmox-sdk-codegen: command dispatch, reporting and exit codes.
 * 0 success, 1 failed run (or drift), 2 bad usage. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pvecg/fetch.h"
#include "pvecg/generate.h"
#include "pvecg/options.h"
#include "pvecg/serve.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"

static const char *const stage_names[PVECG_ST_COUNT] = {
	"fetch", "viewer", "scripts", "capture", "openapi", "models", "routes",
	"write", "verify"
};

static void
print_timings(const pvecg_run_report *rep, double total)
{
	struct rusage self, kids;
	int i;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	fprintf(stderr, "timings for %s:\n", rep->target[0] ? rep->target : "(no output)");
	for (i = 0; i < PVECG_ST_COUNT; i++)
		fprintf(stderr, "  %-8s %8.1f ms\n", stage_names[i], rep->seconds[i] * 1e3);
	fprintf(stderr, "  %-8s %8.1f ms\n", "total", total * 1e3);
	fprintf(stderr, "  peak RSS %.1f MiB (script sandbox %.1f MiB)\n",
	    (double)self.ru_maxrss / 1024.0, (double)kids.ru_maxrss / 1024.0);
}

static int
cmd_generate(const pvecg_options *o)
{
	pvecg_run_report rep;
	pvecg_error err;
	size_t i;
	int failed = 0;

	for (i = 0; i < o->n_jobs; i++) {
		double t = pvecg_now();
		int rc;

		pvecg_error_clear(&err);
		rc = pvecg_generate_run(&rep, &o->jobs[i], o, &err);
		if (o->timings)
			print_timings(&rep, pvecg_now() - t);
		if (rc != 0) {
			pvecg_error_print(&err, stderr);
			failed = 1;
			continue;
		}
		if (!o->quiet)
			printf("%s %s: %ld paths, %ld operations, openapi.json sha256 %s\n",
			    o->check ? "up to date" : "wrote", rep.target, rep.paths,
			    rep.operations, rep.openapi_sha256);
	}
	return failed;
}

static int
cmd_verify(const pvecg_options *o)
{
	const char *root = o->root ? o->root : "generated";
	pvecg_error err;
	int rc;

	pvecg_error_clear(&err);
	if (o->command == PVECG_CMD_VERSIONS)
		rc = pvecg_versions(root, o->json, stdout, &err);
	else
		rc = pvecg_verify(root, o->schemas_dir, stdout, &err);
	if (rc != 0 && err.message[0] != '\0')
		pvecg_error_print(&err, stderr);
	else if (rc == 0 && o->command == PVECG_CMD_VERIFY && !o->quiet)
		printf("verified %s\n", root);
	return rc != 0;
}

static int
run(const pvecg_options *o)
{
	pvecg_error err;
	int rc;

	switch (o->command) {
	case PVECG_CMD_HELP:
		pvecg_options_usage(stdout);
		return 0;
	case PVECG_CMD_VERSION:
		printf("proxmox-sdk-codegen %s\n", PVECG_VERSION);
		return 0;
	case PVECG_CMD_VERIFY:
	case PVECG_CMD_VERSIONS:
		return cmd_verify(o);
	case PVECG_CMD_SERVE:
		pvecg_error_clear(&err);
		rc = pvecg_serve(o, &err);
		if (rc != 0)
			pvecg_error_print(&err, stderr);
		return rc != 0;
	case PVECG_CMD_GENERATE:
	default:
		return cmd_generate(o);
	}
}

int
main(int argc, char **argv)
{
	pvecg_options o;
	pvecg_error err;
	int rc;

	pvecg_error_clear(&err);
	if (pvecg_options_parse(&o, argc, argv, &err) != 0) {
		pvecg_error_print(&err, stderr);
		pvecg_options_free(&o);
		return err.code == PVECG_EUSAGE ? 2 : 1;
	}
	if (o.fetch.insecure)
		fputs("proxmox-sdk-codegen: WARNING: --insecure: TLS certificates are NOT verified; "
		    "anyone on the network path can change the API schema you generate from\n", stderr);
	o.fetch.progress = !o.quiet && isatty(STDERR_FILENO);
	if (pvecg_fetch_global_init(&err) != 0) {
		pvecg_error_print(&err, stderr);
		pvecg_options_free(&o);
		return 1;
	}
	rc = run(&o);
	pvecg_fetch_global_cleanup();
	pvecg_options_free(&o);
	return rc;
}
