/* generate: the pipeline for one job: read the input (URL or file), run
 * the viewer's scripts, capture, OpenAPI, models, routes, the self-check,
 * then write (or compare) DIR/TAG and latest. */
#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvecg/capture.h"
#include "pvecg/checksums.h"
#include "pvecg/fetch.h"
#include "pvecg/generate.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/json_arena.h"
#include "pvecg/jsrun.h"
#include "pvecg/models.h"
#include "pvecg/openapi.h"
#include "pvecg/output.h"
#include "pvecg/resolve.h"
#include "pvecg/routes.h"
#include "pvecg/source.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"
#include "pvecg/viewer.h"
#include "sidejob.h"

const char *const pvecg_stage_names[PVECG_ST_COUNT] = { "fetch", "viewer", "scripts", "capture",
	"openapi", "models", "routes", "verify", "write" };

void
pvecg_generate_note(const pvecg_generate_config *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->verbose || c->quiet)
		return;
	fputs("proxmox-sdk-codegen: ", c->log);
	va_start(ap, fmt);
	vfprintf(c->log, fmt, ap);
	va_end(ap);
	fputc('\n', c->log);
}

/* What the input stages leave for the capture stage. */
struct input {
	pvecg_buf *scripts; /* script bytes, in load order */
	char **names;       /* their locations */
	size_t n;
	char *title;
	cJSON *capture; /* set instead when the source is a raw_capture.json */
};

static int
has_scheme(const char *s)
{
	return pvecg_source_classify(s) == PVECG_SOURCE_URL;
}

/* A location is a URL (fetched under the policy) or a local path; with
 * net_only (or in serve), only a URL the fetch policy allows. *final gets
 * the URL after redirects (the base for the page's relative scripts). */
PVECG_NODISCARD static int
load(pvecg_buf *out, char **final, const char *loc, int net_only, const pvecg_generate_config *o,
    pvecg_error *err)
{
	enum pvecg_source_kind kind = pvecg_source_classify(loc);
	pvecg_fetch_req req = { NULL, false, 0, NULL };
	int rc;

	if (net_only || o->remote_only || kind == PVECG_SOURCE_URL)
		rc = pvecg_fetch_req_run(out, loc, &o->fetch, &req, err);
	else if (kind == PVECG_SOURCE_FILE_URL)
		rc = pvecg_read_file(out, loc + 7, o->fetch.max_size, err);
	else
		rc = pvecg_read_file(out, loc, o->fetch.max_size, err);
	if (rc == 0)
		pvecg_generate_note(
		    o, "%s: %zu bytes", req.final_url ? req.final_url : loc, out->len);
	if (final != NULL)
		*final = req.final_url;
	else
		free(req.final_url);
	return rc;
}

static int
is_capture_file(const char *src)
{
	size_t len = strlen(src);

	return !has_scheme(src) && len > 5 && strcmp(src + len - 5, ".json") == 0;
}

static void
input_free(struct input *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		pvecg_buf_free(&in->scripts[i]);
		free(in->names[i]);
	}
	free(in->scripts);
	free(in->names);
	free(in->title);
	cJSON_Delete(in->capture);
	memset(in, 0, sizeof(*in));
}

PVECG_NODISCARD static int
input_add(struct input *in, const char *name, pvecg_buf *bytes)
{
	pvecg_buf *s = realloc(in->scripts, (in->n + 1) * sizeof(*s));
	char **n;

	if (s == NULL)
		return PVECG_ENOMEM;
	in->scripts = s;
	n = realloc(in->names, (in->n + 1) * sizeof(*n));
	if (n == NULL)
		return PVECG_ENOMEM;
	in->names = n;
	in->names[in->n] = pvecg_strdup(name);
	if (in->names[in->n] == NULL)
		return PVECG_ENOMEM;
	in->scripts[in->n] = *bytes;
	memset(bytes, 0, sizeof(*bytes));
	in->n++;
	return 0;
}

static int
is_remote(const char *loc)
{
	return has_scheme(loc);
}

/* Loads every script a viewer page names, in page order. A page that came
 * from the network only gets network scripts: its file:// or relative
 * names must never make us read local files. */
PVECG_NODISCARD static int
load_page_scripts(struct input *in, const pvecg_buf *page, const char *src,
    const pvecg_generate_config *o, pvecg_error *err)
{
	pvecg_viewer_page vp = { NULL, 0, NULL };
	pvecg_buf b = PVECG_BUF_INIT;
	size_t i;
	int rc;

	rc = pvecg_viewer_parse(&vp, page->data, page->len, src, err);
	for (i = 0; rc == 0 && i < vp.n_scripts; i++) {
		rc = load(&b, NULL, vp.scripts[i], is_remote(src), o, err);
		if (rc == 0 && input_add(in, vp.scripts[i], &b) != 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, src, "out of memory");
		pvecg_buf_free(&b);
	}
	if (rc == 0) {
		in->title = vp.title;
		vp.title = NULL;
	}
	pvecg_viewer_page_free(&vp);
	return rc;
}

PVECG_NODISCARD static int
read_input(struct input *in, pvecg_run_report *rep, const char *src, const pvecg_generate_config *o,
    pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	double t = pvecg_now();
	char *final = NULL;
	int rc;

	if (is_capture_file(src) && !o->remote_only)
		return pvecg_capture_load(&in->capture, src, err);
	rc = load(&b, &final, src, 0, o, err);
	rep->seconds[PVECG_ST_FETCH] += pvecg_now() - t;
	if (rc != 0)
		goto out;
	if (!pvecg_viewer_is_html(b.data, b.len)) {
		if (input_add(in, src, &b) != 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, src, "out of memory");
		goto out;
	}
	t = pvecg_now();
	/* Relative scripts resolve against where the page really came from. */
	rc = load_page_scripts(in, &b, final ? final : src, o, err);
	rep->seconds[PVECG_ST_VIEWER] += pvecg_now() - t;
out:
	free(final);
	pvecg_buf_free(&b);
	return rc;
}

/* A contradictory input was resolved by capture's rule: say so, per path. */
static void
warn_duplicates(const cJSON *capture, const pvecg_job *job, const pvecg_generate_config *o)
{
	const cJSON *d;

	if (o->quiet)
		return;
	cJSON_ArrayForEach(d, pvecg_json_get(capture, "duplicate_paths"))
		if (cJSON_IsString(d))
			fprintf(o->log,
			    "proxmox-sdk-codegen: warning: %s: path %s is given by more than "
			    "one tree node; their methods were merged, the later node winning\n",
			    job->source, d->valuestring);
	cJSON_ArrayForEach(d, pvecg_json_get(capture, "duplicate_methods"))
		if (cJSON_IsString(d))
			fprintf(o->log,
			    "proxmox-sdk-codegen: warning: %s: %s is given more than once; "
			    "the last one is kept\n",
			    job->source, d->valuestring);
}

PVECG_NODISCARD static int
run_scripts(cJSON **capture, struct input *in, pvecg_run_report *rep, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	pvecg_jsrun_result res = { NULL, NULL, 0, 0 };
	pvecg_script *sc = calloc(in->n, sizeof(*sc));
	pvecg_capture_meta meta;
	const char *product = job->product;
	char sha[65], why[200];
	double t = pvecg_now();
	size_t i;
	int rc;

	if (sc == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, job->source, "out of memory");
	for (i = 0; i < in->n; i++)
		sc[i] = (pvecg_script){ in->names[i],
			in->scripts[i].data ? in->scripts[i].data : "", in->scripts[i].len };
	rc = pvecg_jsrun_run(&res, sc, in->n, &o->js, err);
	rep->seconds[PVECG_ST_SCRIPTS] += pvecg_now() - t;
	if (rc != 0)
		goto out;
	pvecg_generate_note(o, "%s: schema in '%s' (%zu statements, %zu skipped)", job->source,
	    res.variable, res.statements, res.skipped);
	t = pvecg_now();
	/* Detection reads the tree, so it runs before capture takes it apart. */
	if (product == NULL) {
		product = pvecg_capture_detect_product(
		    res.schema, in->title, res.variable, why, sizeof(why));
		pvecg_generate_note(
		    o, "%s: product %s, decided by the %s", job->source, product, why);
	}
	/* Over every script in load order: a split viewer's data and code. */
	pvecg_sha256_hex_bufs(sha, in->scripts, in->n);
	meta = (pvecg_capture_meta){ .source_url = job->source_label ? job->source_label
		    : in->n == 1                                     ? in->names[0]
		                                                     : job->source,
		.source_sha256 = sha,
		.schema_variable = res.variable,
		.product = product,
		.page_title = in->title,
		.statements = res.statements,
		.skipped = res.skipped };
	rc = pvecg_capture_build(capture, res.schema, &meta, err);
	rep->seconds[PVECG_ST_CAPTURE] += pvecg_now() - t;
	if (rc == 0)
		warn_duplicates(*capture, job, o);
out:
	pvecg_jsrun_result_free(&res);
	free(sc);
	return rc;
}

/* A --product given for a loaded capture wins over the recorded one. */
PVECG_NODISCARD static int
apply_product(cJSON *capture, const pvecg_job *job, pvecg_run_report *rep, pvecg_error *err)
{
	const char *p;

	if (job->product != NULL &&
	    !cJSON_ReplaceItemInObjectCaseSensitive(
	        capture, "product", cJSON_CreateString(job->product)))
		return pvecg_error_set(err, PVECG_ENOMEM, job->source, "out of memory");
	p = pvecg_json_str(capture, "product");
	if (pvecg_capture_product_dir(p) == NULL)
		return pvecg_error_set(
		    err, PVECG_EINPUT, job->source, "unknown product '%s'", p ? p : "");
	snprintf(rep->product, sizeof(rep->product), "%s", p);
	return 0;
}

PVECG_NODISCARD static int
capture_for(cJSON **capture, pvecg_run_report *rep, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	struct input in;
	int rc;

	memset(&in, 0, sizeof(in));
	rc = read_input(&in, rep, job->source, o, err);
	if (rc == 0 && in.capture != NULL) {
		*capture = in.capture;
		in.capture = NULL;
	} else if (rc == 0) {
		rc = run_scripts(capture, &in, rep, job, o, err);
	}
	input_free(&in);
	if (rc == 0)
		rc = apply_product(*capture, job, rep, err);
	return rc;
}

/* The openapi tree, built in an arena of this thread (no malloc per node,
 * dropped at once when models and routes are made). */
PVECG_NODISCARD static int
build_openapi(cJSON **openapi, pvecg_json_arena **arena, const cJSON *capture, const pvecg_job *job,
    pvecg_error *err)
{
	pvecg_json_arena *saved;
	int rc;

	if (pvecg_json_arena_new(arena) != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, job->source, "out of memory");
	saved = pvecg_json_arena_enter(*arena);
	rc = pvecg_openapi_build(openapi, capture, job->version_tag, err);
	pvecg_json_arena_enter(saved);
	return rc;
}

static int
make_json(const pvecg_side_doc *d, pvecg_buf *out, pvecg_error *err)
{
	int rc = pvecg_json_write(out, d->tree);

	return rc == 0 ? 0 : pvecg_json_write_error(err, rc, d->name);
}

static int
make_routes(const pvecg_side_doc *d, pvecg_buf *out, pvecg_error *err)
{
	return pvecg_routes_write(out, d->tree, d->sha, d->tag, err);
}

/* Models on this thread; openapi.json, then route_metadata.json (which pins
 * its hash) on the second. The model plan needs only the tree, its
 * emission the hash too. */
PVECG_NODISCARD static int
models_and_documents(pvecg_files *files, pvecg_run_report *rep, const cJSON *openapi,
    const pvecg_job *job, pvecg_error *err)
{
	pvecg_side_doc docs[2] = {
		{ .make = make_json, .name = "openapi.json", .tree = openapi },
		{ .make = make_routes,
		    .name = "route_metadata.json",
		    .tree = openapi,
		    .sha = docs[0].sha256,
		    .tag = job->version_tag },
	};
	pvecg_models_plan *plan = NULL;
	pvecg_side side;
	double t;
	int rc;

	pvecg_side_start(&side, docs, 2);
	t = pvecg_now();
	rc = pvecg_models_plan_make(
	    &plan, &(pvecg_models_input){ openapi, NULL, job->version_tag, rep->product }, err);
	rep->seconds[PVECG_ST_MODELS] += pvecg_now() - t;
	/* a failure of openapi.json is reported by pvecg_side_finish */
	if (rc == 0 && pvecg_side_wait(&side, 0) == 0) {
		memcpy(rep->openapi_sha256, docs[0].sha256, sizeof(rep->openapi_sha256));
		t = pvecg_now();
		rc = pvecg_models_plan_emit(plan, files, rep->openapi_sha256, err);
		rep->seconds[PVECG_ST_MODELS] += pvecg_now() - t;
	}
	pvecg_models_plan_free(plan);
	rc = pvecg_side_finish(&side, files, rc, err);
	rep->seconds[PVECG_ST_OPENAPI] += docs[0].seconds;
	rep->seconds[PVECG_ST_ROUTES] += docs[1].seconds;
	return rc;
}

/* raw_capture.json is written beside the openapi build, openapi.json and
 * route_metadata.json beside the models: each only reads its tree. The
 * capture tree (all of it in *arena) is freed as soon as the build and the
 * writer are done with it, so the later stages reuse its memory (first
 * touches of fresh pages cost more than the work). */
PVECG_NODISCARD static int
downstream(pvecg_files *files, pvecg_run_report *rep, const cJSON *capture,
    pvecg_json_arena **arena, const pvecg_job *job, pvecg_error *err)
{
	pvecg_side_doc cap = { .make = make_json, .name = "raw_capture.json", .tree = capture };
	pvecg_json_arena *oa_arena = NULL;
	cJSON *openapi = NULL;
	pvecg_side side;
	double t = pvecg_now();
	int rc;

	pvecg_side_start(&side, &cap, 1);
	rc = build_openapi(&openapi, &oa_arena, capture, job, err);
	rep->seconds[PVECG_ST_OPENAPI] += pvecg_now() - t;
	rc = pvecg_side_finish(&side, files, rc, err);
	rep->seconds[PVECG_ST_CAPTURE] += cap.seconds;
	pvecg_json_arena_free(*arena);
	*arena = NULL;
	if (rc == 0) {
		rep->operations = pvecg_httpmethod_count_operations(openapi, &rep->paths, NULL);
		rc = models_and_documents(files, rep, openapi, job, err);
	}
	pvecg_json_arena_free(oa_arena);
	return rc;
}

int
pvecg_generate_files(pvecg_files *files, pvecg_run_report *rep, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	pvecg_json_arena *arena, *saved;
	cJSON *capture = NULL;
	int rc;

	assert(o->log != NULL);
	if (pvecg_json_arena_new(&arena) != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, job->source, "out of memory");
	saved = pvecg_json_arena_enter(arena);
	rc = capture_for(&capture, rep, job, o, err);
	pvecg_json_arena_enter(saved);
	if (rc == 0)
		rc = downstream(files, rep, capture, &arena, job, err);
	pvecg_json_arena_free(arena);
	if (rc == 0)
		rc = pvecg_checksums_add(files, err);
	return rc;
}

PVECG_NODISCARD static int
target_path(
    pvecg_run_report *rep, const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err)
{
	int bad;

	if (o->output_dir != NULL)
		bad = pvecg_path(
		    rep->target, sizeof(rep->target), "%s/%s", o->output_dir, job->version_tag);
	else
		bad = pvecg_path(rep->target, sizeof(rep->target), "generated/%s/%s",
		    pvecg_capture_product_dir(rep->product), job->version_tag);
	return bad ? pvecg_error_set(err, PVECG_EUSAGE, "--output-dir", "path too long") : 0;
}

/* "DIR/TAG" -> "DIR/latest" */
PVECG_NODISCARD static int
latest_path(char out[PATH_MAX], const char *target, pvecg_error *err)
{
	char *slash;

	if (pvecg_path(out, PATH_MAX, "%s", target) != 0 || (slash = strrchr(out, '/')) == NULL ||
	    (size_t)(slash - out) + 8 > PATH_MAX)
		return pvecg_error_set(err, PVECG_EUSAGE, target, "path too long");
	strcpy(slash + 1, "latest");
	return 0;
}

static int
refresh_latest(const pvecg_files *files, pvecg_run_report *rep, const pvecg_generate_config *o,
    pvecg_error *err)
{
	char latest[PATH_MAX];
	int rc;

	if (!o->latest_copy)
		return pvecg_output_latest_link(rep->target, err);
	rc = latest_path(latest, rep->target, err);
	return rc != 0 ? rc : pvecg_output_commit(latest, files, o->workers, o->log, err);
}

/* --check of --also-latest: the link names the tag, or the copy matches. */
PVECG_NODISCARD static int
check_latest(const pvecg_files *files, const pvecg_run_report *rep, const pvecg_job *job, FILE *log,
    pvecg_error *err)
{
	char latest[PATH_MAX], dest[PATH_MAX];
	ssize_t n;
	int rc = latest_path(latest, rep->target, err);

	if (rc != 0)
		return rc;
	n = readlink(latest, dest, sizeof(dest) - 1);
	if (n < 0)
		return pvecg_output_compare(latest, files, log, err);
	dest[n] = '\0';
	if (strcmp(dest, job->version_tag) != 0)
		return pvecg_error_set(err, PVECG_EDRIFT, latest, "points at '%s', not at '%s'",
		    dest, job->version_tag);
	return 0;
}

struct self_check {
	const pvecg_files *files;
	const pvecg_run_report *rep;
	const pvecg_job *job;
	FILE *log;
	double seconds;
};

/* Last line of defence: nothing verify would reject is put in place. The
 * built-in schemas are used, so the run needs no schemas/ folder. Only
 * reads the file set: it runs beside the writers (output's gate). */
PVECG_NODISCARD static int
self_check(void *ctx, pvecg_error *err)
{
	struct self_check *c = ctx;
	double t = pvecg_now();
	int rc = pvecg_verify_files(
	    c->files, c->rep->target, c->job->version_tag, NULL, c->log, err);

	c->seconds = pvecg_now() - t;
	return rc;
}

/* Writes target with the self-check running beside the writers; the
 * rename waits for it. A self-check failure is reported first. */
PVECG_NODISCARD static int
write_checked(pvecg_run_report *rep, const pvecg_files *files, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	struct self_check sc = { files, rep, job, o->log, 0 };
	int want_latest = job->also_latest && strcmp(job->version_tag, "latest") != 0;
	char latest[PATH_MAX];
	pvecg_error ve;
	int rc = 0, vrc;

	/* a user's own latest folder stops the run before anything is written */
	if (want_latest && (rc = latest_path(latest, rep->target, err)) == 0)
		rc = pvecg_output_check_replaceable(latest, err);
	if (rc != 0) {
		pvecg_error_clear(&ve);
		if ((vrc = self_check(&sc, &ve)) != 0) {
			rc = vrc;
			if (err != NULL)
				*err = ve;
		}
	} else {
		rc = pvecg_output_commit_gated(
		    rep->target, files, o->workers, self_check, &sc, o->log, err);
	}
	rep->seconds[PVECG_ST_VERIFY] += sc.seconds;
	if (rc == 0 && want_latest)
		rc = refresh_latest(files, rep, o, err);
	return rc;
}

int
pvecg_generate_commit(pvecg_run_report *rep, const pvecg_files *files, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	int want_latest = job->also_latest && strcmp(job->version_tag, "latest") != 0;
	struct self_check sc = { files, rep, job, o->log, 0 };
	double t, verify0;
	int rc;

	assert(o->log != NULL);
	rc = target_path(rep, job, o, err);
	if (rc != 0)
		return rc;
	t = pvecg_now();
	verify0 = rep->seconds[PVECG_ST_VERIFY];
	if (!o->check) {
		rc = write_checked(rep, files, job, o, err);
	} else {
		rc = self_check(&sc, err);
		rep->seconds[PVECG_ST_VERIFY] += sc.seconds;
		if (rc == 0)
			rc = pvecg_output_compare(rep->target, files, o->log, err);
		if (rc == 0 && want_latest)
			rc = check_latest(files, rep, job, o->log, err);
	}
	/* write: the wall time this step added beyond the self-check (which
	 * runs beside the writers when writing) */
	t = pvecg_now() - t - (rep->seconds[PVECG_ST_VERIFY] - verify0);
	rep->seconds[PVECG_ST_WRITE] += t > 0 ? t : 0;
	if (rc == 0)
		pvecg_generate_note(o, "%s: %zu files %s", rep->target, files->n,
		    o->check ? "compared" : "written");
	return rc;
}

int
pvecg_generate_run_resolved(pvecg_run_report *rep, const pvecg_job *job,
    const pvecg_generate_config *o, const pvecg_resolved *r, pvecg_error *err)
{
	pvecg_files files = { NULL, 0, 0 };
	pvecg_job rj = *job;
	pvecg_generate_config ro = *o;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rj.source = r->source;
	rj.version_tag = r->version_tag;
	rj.product = r->product;
	ro.fetch = r->fetch;
	job = &rj;
	o = &ro;
	snprintf(rep->version_tag, sizeof(rep->version_tag), "%s", r->version_tag);
	snprintf(rep->tag_reason, sizeof(rep->tag_reason), "%s", r->tag_reason);
	rc = pvecg_generate_files(&files, rep, job, o, err);
	if (rc == 0)
		rc = pvecg_generate_commit(rep, &files, job, o, err);
	pvecg_files_free(&files);
	return rc;
}

int
pvecg_generate_run(
    pvecg_run_report *rep, const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err)
{
	pvecg_resolved r;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rc = pvecg_resolve(&r, job, o, err);
	if (rc != 0)
		return rc;
	rc = pvecg_generate_run_resolved(rep, job, o, &r, err);
	pvecg_resolved_free(&r);
	return rc;
}
