/* proxmox-sdk-codegen: command dispatch, reporting and exit codes.
 * 0 success, 1 failed run (or drift), 2 bad usage. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Peak RSS is per process, so with several inputs it covers all of them. */
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

struct job_run {
	const pvecg_options *o;
	pvecg_run_report *reps;
	pvecg_error *errs;
	int *rcs;
	double *secs;
	size_t next;              /* next job to take, under lock */
	pthread_mutex_t lock;
};

static void *
job_worker(void *arg)
{
	struct job_run *r = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&r->lock);
		i = r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->o->n_jobs)
			return NULL;
		r->secs[i] = pvecg_now();
		pvecg_error_clear(&r->errs[i]);
		r->rcs[i] = pvecg_generate_run(&r->reps[i], &r->o->jobs[i], r->o, &r->errs[i]);
		r->secs[i] = pvecg_now() - r->secs[i];
	}
}

/* Independent inputs run side by side; reports come out in input order. */
static void
run_jobs(struct job_run *r)
{
	pthread_t tid[64];
	size_t n = r->o->n_jobs < (size_t)r->o->workers ? r->o->n_jobs : (size_t)r->o->workers;
	size_t i, started = 0;

	for (i = 1; i < n && i < 64; i++)
		if (pthread_create(&tid[started], NULL, job_worker, r) == 0)
			started++;
	job_worker(r);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

static int
report_jobs(const struct job_run *r)
{
	const pvecg_options *o = r->o;
	int failed = 0;
	size_t i;

	for (i = 0; i < o->n_jobs; i++) {
		const pvecg_run_report *rep = &r->reps[i];

		if (o->timings)
			print_timings(rep, r->secs[i]);
		if (r->rcs[i] != 0) {
			pvecg_error_print(&r->errs[i], stderr);
			failed = 1;
		} else if (!o->quiet) {
			printf("%s %s: %ld paths, %ld operations, openapi.json sha256 %s\n",
			    o->check ? "up to date" : "wrote", rep->target, rep->paths,
			    rep->operations, rep->openapi_sha256);
		}
	}
	return failed;
}

static int
cmd_generate(const pvecg_options *o)
{
	struct job_run r = { o, NULL, NULL, NULL, NULL, 0, PTHREAD_MUTEX_INITIALIZER };
	int rc = 1;

	r.reps = calloc(o->n_jobs, sizeof(*r.reps));
	r.errs = calloc(o->n_jobs, sizeof(*r.errs));
	r.rcs = calloc(o->n_jobs, sizeof(*r.rcs));
	r.secs = calloc(o->n_jobs, sizeof(*r.secs));
	if (r.reps == NULL || r.errs == NULL || r.rcs == NULL || r.secs == NULL) {
		fputs("proxmox-sdk-codegen: out of memory\n", stderr);
		goto out;
	}
	run_jobs(&r);
	rc = report_jobs(&r);
out:
	free(r.reps);
	free(r.errs);
	free(r.rcs);
	free(r.secs);
	return rc;
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
		return rc == PVECG_EUSAGE ? 2 : rc != 0;
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
