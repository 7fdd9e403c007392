/* serve_gen: the generate endpoint: the request body checked, then one
 * pipeline run at a time in its own thread while the connection waits
 * suspended, and its answer (timings, tag, counts). */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "pvecg/json.h"
#include "pvecg/options.h"
#include "pvecg/product.h"
#include "pvecg/capture.h"
#include "pvecg/generate.h"
#include "pvecg/resolve.h"
#include "pvecg/source.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"
#include "serve_int.h"

/* ------------------------------------------------------------------ */
/* generation                                                          */

static void
utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
serve_gen_free(struct gen *g)
{
	if (!g)
		return;
	free(g->url);
	free(g->product);
	free(g->job.version_tag);
	free(g);
}

/* Version order: digit runs compare as numbers ("9.10" > "9.9"). */
static int
tag_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c;
			a += la;
			b += lb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* latest follows the newest tag: true when no other version under
 * outdir sorts after tag (an older tag regenerated leaves latest alone). */
static bool
is_newest(const char *outdir, const char *tag)
{
	DIR *d = opendir(outdir);
	struct dirent *e;
	bool newest = true;
	if (!d)
		return true; /* first version of this product */
	while ((e = readdir(d)) && newest)
		if (e->d_name[0] != '.' && strcmp(e->d_name, "latest") != 0 &&
		    tag_cmp(e->d_name, tag) > 0)
			newest = false;
	closedir(d);
	return newest;
}

/* The source, credentials and tag are resolved first (a host URL maps to
 * its viewer, the tag may come from the host), then the output directory
 * and whether latest follows are known. */
static void *
gen_main(void *arg)
{
	struct gen *g = arg;
	struct serve *s = g->s;
	pvecg_generate_config c = s->gen_cfg;
	pvecg_resolved res;
	char outdir[4096];
	double t0 = pvecg_now();
	const char *pdir;

	g->rc = pvecg_resolve(&res, &g->job, &c, &g->err);
	if (g->rc == 0) {
		if (res.product == NULL)
			res.product = g->product ? g->product : "pve";
		pdir = pvecg_capture_product_dir(res.product);
		snprintf(outdir, sizeof(outdir), "%s/%s", s->root, pdir ? pdir : "unknown");
		c.output_dir = outdir;
		/* GET ...?version= defaults to latest, which follows the newest tag */
		g->job.also_latest = is_newest(outdir, res.version_tag);
		g->rc = pvecg_generate_run_resolved(&g->rep, &g->job, &c, &res, &g->err);
		pvecg_resolved_free(&res);
	}
	g->seconds = pvecg_now() - t0;
	g->done = true;
	pthread_mutex_lock(&s->vlock);
	s->vchecked = -1e9; /* our own change shows at once */
	pthread_mutex_unlock(&s->vlock);
	pthread_mutex_lock(&s->lock);
	s->gen_running = false;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	MHD_resume_connection(g->conn);
	return NULL;
}

void
serve_gen_config(pvecg_generate_config *c, const pvecg_options *o)
{
	/* the CLI's settings, then what a service run differs in: network
	 * sources only, no progress line, no notes, no --check; the output
	 * directory is set per run */
	pvecg_options_generate_config(c, o);
	c->fetch.progress = NULL;
	c->remote_only = true;
	c->output_dir = NULL;
	c->check = false;
	c->quiet = true;
	c->verbose = false;
}

static unsigned
gen_error_status(int code)
{
	switch (code) {
	case PVECG_EPOLICY: return MHD_HTTP_BAD_REQUEST;
	case PVECG_EUSAGE: return MHD_HTTP_BAD_REQUEST;
	case PVECG_ENET: return MHD_HTTP_BAD_GATEWAY;
	case PVECG_EINPUT: return MHD_HTTP_UNPROCESSABLE_CONTENT;
	case PVECG_ELIMIT: return MHD_HTTP_BAD_GATEWAY; /* upstream too big/slow */
	default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

enum MHD_Result
serve_gen_answer(struct req *r, struct MHD_Connection *conn)
{
	struct gen *g = r->gen;
	cJSON *doc, *t;
	if (g->rc)
		return serve_send_pvecg_error(
		    r, conn, gen_error_status(g->rc), "generation failed", &g->err);
	doc = cJSON_CreateObject();
	t = cJSON_AddObjectToObject(doc, "timings");
	if (!t)
		goto fail;
	for (int k = 0; k < PVECG_ST_COUNT; k++)
		if (!cJSON_AddNumberToObject(
		        t, pvecg_stage_names[k], round(g->rep.seconds[k] * 1000) / 1000))
			goto fail;
	if (!cJSON_AddNumberToObject(t, "total", round(g->seconds * 1000) / 1000) ||
	    !cJSON_AddStringToObject(doc, "product", g->rep.product[0] ? g->rep.product : "pve") ||
	    !cJSON_AddStringToObject(doc, "version_tag", g->rep.version_tag) ||
	    !cJSON_AddStringToObject(doc, "version_tag_reason", g->rep.tag_reason) ||
	    !cJSON_AddStringToObject(doc, "output_dir", serve_http_under(g->rep.target, r->root)) ||
	    !cJSON_AddStringToObject(doc, "openapi_sha256", g->rep.openapi_sha256) ||
	    !cJSON_AddNumberToObject(doc, "paths", (double)g->rep.paths) ||
	    !cJSON_AddNumberToObject(doc, "operations", (double)g->rep.operations))
		goto fail;
	return serve_send_json(r, conn, MHD_HTTP_OK, doc);
fail:
	cJSON_Delete(doc);
	return serve_send_error(
	    r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
}

/* Validates the body; 0 with *out filled, else the status and detail. */
static unsigned
gen_parse(struct gen **out, const struct serve *s, const pvecg_buf *body, char *detail, size_t dcap)
{
	cJSON *doc = cJSON_ParseWithLength(body->data ? body->data : "", body->len);
	const cJSON *u, *t, *p;
	struct gen *g = NULL;
	pvecg_error e = { 0 };
	unsigned st = MHD_HTTP_BAD_REQUEST;

	if (!doc || !cJSON_IsObject(doc)) {
		snprintf(detail, dcap, "body must be a JSON object");
		goto out;
	}
	u = pvecg_json_get(doc, "proxmox_url");
	t = pvecg_json_get(doc, "version_tag");
	p = pvecg_json_get(doc, "product");
	if (!cJSON_IsString(u) || (t && !cJSON_IsString(t)) || (p && !cJSON_IsString(p))) {
		snprintf(detail, dcap,
		    "proxmox_url (string) is required; version_tag and product are strings");
		goto out;
	}
	if (p && !pvecg_capture_product_dir(p->valuestring)) {
		char names[64];

		pvecg_product_list(names, sizeof(names));
		snprintf(detail, dcap, "unknown product '%.40s' (%s)", p->valuestring, names);
		goto out;
	}
	if (!(g = calloc(1, sizeof(*g))) || !(g->url = pvecg_strdup(u->valuestring)) ||
	    (p && !(g->product = pvecg_strdup(p->valuestring))) ||
	    (t && !(g->job.version_tag = pvecg_strdup(t->valuestring)))) {
		snprintf(detail, dcap, "out of memory");
		st = MHD_HTTP_INTERNAL_SERVER_ERROR;
		goto out;
	}
	if (t && pvecg_urlguard_check_tag(g->job.version_tag, &e)) {
		snprintf(detail, dcap, "version_tag: %s", e.message);
		goto out;
	}
	if (t && !strcmp(g->job.version_tag, "latest")) {
		snprintf(
		    detail, dcap, "version_tag: 'latest' is reserved (it follows the newest tag)");
		goto out;
	}
	if (t && strlen(g->job.version_tag) >= 128) {
		snprintf(detail, dcap, "version_tag: longer than 127 characters");
		goto out;
	}
	/* Only URLs, by the one classifier the loader uses too: a path would
	 * let a client read the server's files. */
	if (pvecg_source_classify(g->url) != PVECG_SOURCE_URL ||
	    pvecg_source_check_url(g->url, &s->gen_cfg.fetch, &e)) {
		snprintf(detail, dcap, "proxmox_url: %s",
		    e.message[0] ? e.message : "not a URL (scheme://host/...)");
		goto out;
	}
	g->job.source = g->url;
	g->job.product = g->product;
	*out = g;
	g = NULL;
	st = 0;
out:
	serve_gen_free(g);
	cJSON_Delete(doc);
	return st;
}

enum MHD_Result
serve_gen_handle(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char detail[1300];
	struct gen *g = NULL;
	unsigned st;

	if (r->too_large) {
		serve_refund(s, r->addr, RC_GENERATE);
		snprintf(
		    detail, sizeof(detail), "request body larger than %zu bytes", s->o->max_body);
		return serve_send_error(
		    r, conn, MHD_HTTP_CONTENT_TOO_LARGE, "body too large", detail);
	}
	if ((st = gen_parse(&g, s, &r->body, detail, sizeof(detail)))) {
		serve_refund(s, r->addr, RC_GENERATE);
		return serve_send_error(r, conn, st, "bad request", detail);
	}
	pthread_mutex_lock(&s->lock);
	if (s->gen_running || s->stopping) {
		/* 503 while stopping: shutdown_daemon waits only for a running job */
		bool stopping = s->stopping;
		if (stopping)
			snprintf(detail, sizeof(detail), "server is shutting down");
		else
			snprintf(detail, sizeof(detail), "generation of '%s' running since %s",
			    s->gen_tag, s->gen_started);
		pthread_mutex_unlock(&s->lock);
		serve_gen_free(g);
		serve_refund(s, r->addr, RC_GENERATE);
		return serve_send_error(r, conn,
		    stopping ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_CONFLICT,
		    stopping ? "shutting down" : "generation running", detail);
	}
	if (s->gen_thread_valid) {
		/* The previous one has finished (gen_running is false). */
		pthread_join(s->gen_thread, NULL);
		s->gen_thread_valid = false;
	}
	s->gen_running = true;
	s->gen_answer_pending = true;
	utc_now(s->gen_started);
	snprintf(s->gen_tag, sizeof(s->gen_tag), "%s",
	    g->job.version_tag ? g->job.version_tag : "(tag from the host)");
	pthread_mutex_unlock(&s->lock);

	g->s = s;
	g->conn = conn;
	r->gen = g;
	r->is_gen_answer = true;
	/* Suspended before the thread exists, so its resume cannot come
	 * first; MHD calls are made without s->lock held. */
	MHD_suspend_connection(conn);
	pthread_mutex_lock(&s->lock);
	if (pthread_create(&s->gen_thread, NULL, gen_main, g) == 0) {
		s->gen_thread_valid = true;
		pthread_mutex_unlock(&s->lock);
		return MHD_YES;
	}
	g->rc = pvecg_error_set(&g->err, PVECG_EINTERNAL, "serve", "cannot start a thread");
	g->done = true;
	s->gen_running = false;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	MHD_resume_connection(conn); /* the next call answers the error */
	return MHD_YES;
}
