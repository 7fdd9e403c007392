/* proxmox-sdk-codegen: command dispatch, reporting and exit codes.
 * 0 success, 1 failed run (or drift), 2 bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pvecg/diff.h"
#include "pvecg/fetch.h"
#include "pvecg/generate.h"
#include "pvecg/json_arena.h"
#include "pvecg/mock.h"
#include "pvecg/options.h"
#include "pvecg/serve.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"
#include "pvecg/versions.h"

/* Peak RSS: this process, and the largest child (script sandbox or worker). */
static void
print_timings(const pvecg_run_report *rep, double total)
{
	struct rusage self, kids;
	int i;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	fprintf(stderr, "timings for %s:\n", rep->target[0] ? rep->target : "(no output)");
	for (i = 0; i < PVECG_ST_COUNT; i++)
		fprintf(stderr, "  %-8s %8.1f ms\n", pvecg_stage_names[i], rep->seconds[i] * 1e3);
	fprintf(stderr, "  %-8s %8.1f ms\n", "total", total * 1e3);
	fprintf(stderr, "  peak RSS %.1f MiB (largest child process %.1f MiB)\n",
	    (double)self.ru_maxrss / 1024.0, (double)kids.ru_maxrss / 1024.0);
}

/* Results of every job, in shared memory so worker processes can fill them. */
struct job_run {
	const pvecg_options *o;
	pvecg_generate_config cfg;
	pvecg_run_report *reps;
	pvecg_error *errs;
	int *rcs;
	double *secs;
};

static void
run_job(struct job_run *r, size_t i)
{
	r->secs[i] = pvecg_now();
	pvecg_error_clear(&r->errs[i]);
	r->rcs[i] = pvecg_generate_run(&r->reps[i], &r->o->jobs[i], &r->cfg, &r->errs[i]);
	r->secs[i] = pvecg_now() - r->secs[i];
}

/* Independent inputs run in worker processes rather than threads: each
 * gets its own heap (one malloc lock per process), which
 * measured faster than threads sharing one. Reports come out in input order. */
static void
run_jobs(struct job_run *r)
{
	size_t n = r->o->n_jobs < (size_t)r->o->workers ? r->o->n_jobs : (size_t)r->o->workers;
	pid_t pids[64];
	size_t k, i, started = 0;

	if (n > 64)
		n = 64;
	for (k = 1; k < n; k++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (i = k; i < r->o->n_jobs; i += n)
				run_job(r, i);
			_exit(0);
		}
		if (pid < 0)
			break;
		pids[started++] = pid;
	}
	/* Jobs of workers that could not start run here. */
	for (i = 0; i < r->o->n_jobs; i++)
		if (i % n == 0 || i % n > started)
			run_job(r, i);
	for (k = 0; k < started; k++) {
		int status;

		while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			for (i = k + 1; i < r->o->n_jobs; i += n)
				if (r->rcs[i] == 0 && r->reps[i].target[0] == '\0')
					r->rcs[i] = pvecg_error_set(&r->errs[i], PVECG_EINTERNAL,
					    r->o->jobs[i].source, "worker process died");
	}
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
			if (strcmp(rep->tag_reason, "given") != 0)
				printf("version tag %s: %s\n", rep->version_tag, rep->tag_reason);
			printf("%s %s: %ld paths, %ld operations, openapi.json sha256 %s\n",
			    o->check ? "up to date" : "wrote", rep->target, rep->paths,
			    rep->operations, rep->openapi_sha256);
		}
	}
	return failed;
}

PVECG_NODISCARD static int
cmd_generate(const pvecg_options *o)
{
	size_t n = o->n_jobs,
	       size = n *
	    (sizeof(pvecg_run_report) + sizeof(pvecg_error) + sizeof(int) + sizeof(double));
	struct job_run r = { .o = o };
	char *shm;
	int rc;

	pvecg_options_generate_config(&r.cfg, o);
	shm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		fputs("proxmox-sdk-codegen: out of memory\n", stderr);
		return 1;
	}
	memset(shm, 0, size);
	r.secs = (double *)shm; /* in order of alignment */
	r.reps = (pvecg_run_report *)(r.secs + n);
	r.errs = (pvecg_error *)(r.reps + n);
	r.rcs = (int *)(r.errs + n);
	run_jobs(&r);
	rc = report_jobs(&r);
	munmap(shm, size);
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

PVECG_NODISCARD static int
run(const pvecg_options *o)
{
	pvecg_error err;
	int rc;

	switch (o->command) {
	case PVECG_CMD_HELP: pvecg_options_usage(stdout); return 0;
	case PVECG_CMD_VERSION: printf("proxmox-sdk-codegen %s\n", PVECG_VERSION); return 0;
	case PVECG_CMD_VERIFY:
	case PVECG_CMD_VERSIONS: return cmd_verify(o);
	case PVECG_CMD_DIFF:
		return pvecg_diff_main(o->diff_old, o->diff_new, o->output_dir, o->json,
		    o->breaking_only, o->fail_on, stdout);
	case PVECG_CMD_SERVE:
		pvecg_error_clear(&err);
		rc = pvecg_serve(o, &err);
		if (rc != 0)
			pvecg_error_print(&err, stderr);
		return rc == PVECG_EUSAGE ? 2 : rc != 0;
	case PVECG_CMD_MOCK:
		pvecg_error_clear(&err);
		rc = pvecg_mock_serve(o, &err);
		if (rc != 0)
			pvecg_error_print(&err, stderr);
		return rc == PVECG_EUSAGE ? 2 : rc != 0;
	case PVECG_CMD_GENERATE:
	default: return cmd_generate(o);
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
		fputs(
		    "proxmox-sdk-codegen: WARNING: --insecure: TLS certificates are NOT verified; "
		    "anyone on the network path can change the API schema you generate from\n",
		    stderr);
	o.fetch.progress = !o.quiet && isatty(STDERR_FILENO) ? stderr : NULL;
	/* A run is one pass over big trees; the server keeps per-thread arenas. */
	if (o.command == PVECG_CMD_GENERATE)
		pvecg_memory_tune((size_t)128 << 20);
	pvecg_json_arena_init(); /* cJSON's allocation hooks, before any thread starts */
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
