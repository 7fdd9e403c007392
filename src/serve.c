/* serve: the pipeline as a protected HTTP service (libmicrohttpd):
 * routing, authentication, rate limits, the one responder, start-up and
 * shutdown (the endpoints' work is in serve_gen.c and serve_files.c).
 *
 * Threads: MHD's pool (o->max_threads) answers requests; a generation runs
 * in its own thread while its connection is suspended, so the pool stays
 * free; a janitor thread cuts connections whose request has not fully
 * arrived within SERVE_REQUEST_TIMEOUT_S (MHD's own timeout is an idle
 * timeout that a client trickling one byte at a time never trips). The
 * calling thread waits for SIGTERM/SIGINT, then stops accepting, lets a
 * running generation finish (its output is committed atomically anyway),
 * sends its answer and returns 0; a second SIGTERM/SIGINT does not cut
 * the drain short (the answer and exit status 0 still follow). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "pvecg/buf.h"
#include "pvecg/httpd.h"
#include "pvecg/json.h"
#include "pvecg/output.h"
#include "pvecg/serve.h"
#include "pvecg/util.h"
#include "serve_int.h"

#define SERVE_REQUEST_TIMEOUT_S 10.0 /* headers + body must arrive within */
#define SERVE_IDLE_TIMEOUT_S 15u     /* MHD: no byte moved for this long */
#define SERVE_CONNECTION_LIMIT 256u
#define SERVE_RATE_ENTRIES 4096 /* client x class entries kept */
#define SERVE_DRAIN_S 10.0      /* SIGTERM: time to send the last answer */

/* One accepted socket, for the request deadline. */
struct track {
	struct track *prev, *next;
	int fd;
	double deadline; /* 0: not reading a request */
};

/* ------------------------------------------------------------------ */
/* rate limits: one token bucket per client address and class          */

static double
class_rate(const struct serve *s, int cls)
{
	return cls == RC_GENERATE ? s->o->rate_generate : s->o->rate_read;
}

/* 0: allowed (token taken); 1: limited, *retry = seconds to wait. */
static int
rate_take(struct serve *s, const char *key, int cls, long *retry)
{
	return serve_rate_take(s->rates, key, cls, class_rate(s, cls), pvecg_now(), retry);
}

/* A generate request refused before any work (400/409/413) costs nothing. */
void
serve_refund(struct serve *s, const char *key, int cls)
{
	serve_rate_refund(s->rates, key, cls, class_rate(s, cls));
}

/* ------------------------------------------------------------------ */
/* request deadline: connections tracked from accept to close          */

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct serve *s = cls;
	struct track *t = *socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(t = calloc(1, sizeof(*t))))
			return; /* untracked: MHD's idle timeout still applies */
		t->fd = ci->connect_fd;
		t->deadline = pvecg_now() + SERVE_REQUEST_TIMEOUT_S;
		pthread_mutex_lock(&s->lock);
		t->next = s->tracks;
		if (s->tracks)
			s->tracks->prev = t;
		s->tracks = t;
		pthread_mutex_unlock(&s->lock);
		*socket_context = t;
		return;
	}
	if (!t)
		return;
	/* MHD closes the fd only after this, so the janitor never shuts a reused fd. */
	pthread_mutex_lock(&s->lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		s->tracks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&s->lock);
	free(t);
	*socket_context = NULL;
}

static void
track_deadline(struct serve *s, struct MHD_Connection *conn, double deadline)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	    conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct track *t = ci ? ci->socket_context : NULL;
	if (!t)
		return;
	pthread_mutex_lock(&s->lock);
	t->deadline = deadline;
	pthread_mutex_unlock(&s->lock);
}

static void *
janitor(void *arg)
{
	struct serve *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec ts;
		double now = pvecg_now();
		for (struct track *t = s->tracks; t; t = t->next)
			if (t->deadline > 0 && now > t->deadline) {
				/* MHD sees EOF and closes the connection itself. */
				shutdown(t->fd, SHUT_RDWR);
				t->deadline = 0;
			}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* responses                                                           */

/* Common headers, then queue; every response goes through here. */
enum MHD_Result
serve_queue(struct req *r, struct MHD_Connection *conn, unsigned status, struct MHD_Response *resp,
    const char *type)
{
	enum MHD_Result ok;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	ok = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	r->queued = true;
	return ok;
}

enum MHD_Result
serve_send_bytes(struct req *r, struct MHD_Connection *conn, unsigned status, char *data,
    size_t len, const char *type)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
	    len, data, free);

	if (!resp) {
		free(data);
		return MHD_NO;
	}
	r->bytes = len;
	return serve_queue(r, conn, status, resp, type);
}

/* Canonical JSON text of doc (consumed). */
enum MHD_Result
serve_send_json(struct req *r, struct MHD_Connection *conn, unsigned status, cJSON *doc)
{
	pvecg_buf b = PVECG_BUF_INIT;
	size_t len;
	char *text;
	if (!doc || pvecg_json_write(&b, doc)) {
		cJSON_Delete(doc);
		pvecg_buf_free(&b);
		return MHD_NO;
	}
	cJSON_Delete(doc);
	text = pvecg_buf_steal(&b, &len);
	return serve_send_bytes(r, conn, status, text, len, "application/json");
}

static enum MHD_Result
send_error_ex(struct req *r, struct MHD_Connection *conn, unsigned status, const char *error,
    const char *detail, const char *hdr, const char *hval)
{
	cJSON *doc = cJSON_CreateObject();
	pvecg_buf b = PVECG_BUF_INIT;
	struct MHD_Response *resp;
	size_t len;
	char *text;

	if (!doc || !cJSON_AddStringToObject(doc, "error", error) ||
	    !cJSON_AddStringToObject(doc, "detail", detail ? detail : "") ||
	    pvecg_json_write(&b, doc)) {
		cJSON_Delete(doc);
		pvecg_buf_free(&b);
		return MHD_NO;
	}
	cJSON_Delete(doc);
	text = pvecg_buf_steal(&b, &len);
	resp = MHD_create_response_from_buffer_with_free_callback(len, text, free);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (hdr)
		MHD_add_response_header(resp, hdr, hval);
	r->bytes = len;
	return serve_queue(r, conn, status, resp, "application/json");
}

enum MHD_Result
serve_send_error(struct req *r, struct MHD_Connection *conn, unsigned status, const char *error,
    const char *detail)
{
	return send_error_ex(r, conn, status, error, detail, NULL, NULL);
}

/* 429 with Retry-After. */
static enum MHD_Result
send_retry(struct req *r, struct MHD_Connection *conn, const char *why, long retry)
{
	char num[32], detail[128];
	snprintf(num, sizeof(num), "%ld", retry);
	snprintf(detail, sizeof(detail), "%s; retry in %ld s", why, retry);
	return send_error_ex(r, conn, MHD_HTTP_TOO_MANY_REQUESTS, "rate limited", detail,
	    MHD_HTTP_HEADER_RETRY_AFTER, num);
}

/* The detail names the version and the reason, never a server path. */
enum MHD_Result
serve_send_pvecg_error(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const pvecg_error *e)
{
	char detail[sizeof(e->where) + sizeof(e->message) + 4];
	const char *tag = r->gen
	    ? r->gen->job.version_tag
	    : MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "version");
	serve_http_detail(detail, sizeof(detail), e, r->root ? r->root : "", tag);
	return serve_send_error(r, conn, status, error, detail);
}

/* ------------------------------------------------------------------ */
/* authentication                                                      */

/* Both sides hashed first: equal-length digests, compared without an
 * early exit, so neither the key's content nor its length leaks. */
static bool
key_matches(const struct serve *s, const char *given, size_t len)
{
	char hex[65];
	unsigned char diff = 0;
	pvecg_sha256_hex(hex, given, len);
	for (size_t k = 0; k < 64; k++)
		diff |= (unsigned char)(hex[k] ^ s->key_hex[k]);
	return diff == 0;
}

/* 0 ok, else the HTTP status to answer (403 no key configured, 401). */
static unsigned
check_auth(const struct serve *s, struct MHD_Connection *conn)
{
	const char *h, *tok;
	if (!s->key_set)
		return MHD_HTTP_FORBIDDEN;
	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return MHD_HTTP_UNAUTHORIZED;
	tok = h + 7;
	while (*tok == ' ')
		tok++;
	size_t len = strlen(tok);
	while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
		len--;
	if (!len || !key_matches(s, tok, len))
		return MHD_HTTP_UNAUTHORIZED;
	return 0;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

static enum route
route_of(const char *url)
{
	static const struct {
		const char *url;
		enum route r;
	} table[] = {
		{ "/healthz", R_HEALTHZ },
		{ "/versions/", R_VERSIONS },
		{ "/versions", R_VERSIONS },
		{ "/codegen/generate", R_GENERATE },
		{ "/codegen/openapi", R_OPENAPI },
		{ "/codegen/models", R_MODELS },
		{ "/codegen/model-index", R_MODEL_INDEX },
		{ "/codegen/pydantic", R_PYDANTIC },
	};
	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++)
		if (!strcmp(url, table[k].url))
			return table[k].r;
	return R_NONE;
}

/* First call of a request: everything decided from the headers alone. */
static enum MHD_Result
on_headers(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	bool get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	bool want_post = r->route == R_GENERATE;
	long retry = 0;
	unsigned st;

	if (r->route == R_NONE)
		return serve_send_error(
		    r, conn, MHD_HTTP_NOT_FOUND, "not found", "no such endpoint");
	if (r->route == R_PYDANTIC)
		return serve_send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
		    "/codegen/pydantic is not served here: the generated models are at "
		    "/codegen/models (GET /codegen/models?version=TAG)");
	if (want_post ? strcmp(r->method, "POST") != 0 : !get)
		return send_error_ex(r, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed",
		    r->method, MHD_HTTP_HEADER_ALLOW, want_post ? "POST" : "GET, HEAD");
	if (r->route == R_HEALTHZ) {
		cJSON *doc = cJSON_CreateObject();
		if (doc && !cJSON_AddStringToObject(doc, "status", "ok")) {
			cJSON_Delete(doc);
			doc = NULL;
		}
		return serve_send_json(r, conn, MHD_HTTP_OK, doc);
	}
	if (s->key_set && serve_rate_auth_blocked(s->rates, r->addr, pvecg_now(), &retry))
		return send_retry(r, conn, "too many failed authentications", retry);
	if ((st = check_auth(s, conn))) {
		if (st == MHD_HTTP_UNAUTHORIZED)
			serve_rate_auth_failed(s->rates, r->addr, pvecg_now());
		return serve_send_error(r, conn, st,
		    st == MHD_HTTP_FORBIDDEN ? "forbidden" : "unauthorized",
		    st == MHD_HTTP_FORBIDDEN
		        ? "no API key configured on the server ($CODEGEN_API_KEY)"
		        : "missing or wrong 'Authorization: Bearer <key>'");
	}
	if (want_post) {
		const char *cl = MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		errno = 0;
		unsigned long long v = cl ? strtoull(cl, NULL, 10) : 0;
		if (cl && (errno || v > s->o->max_body)) {
			char detail[96];
			snprintf(detail, sizeof(detail), "request body larger than %zu bytes",
			    s->o->max_body);
			return serve_send_error(
			    r, conn, MHD_HTTP_CONTENT_TOO_LARGE, "body too large", detail);
		}
	}
	int cls = r->route == R_GENERATE ? RC_GENERATE : RC_READ;
	if (rate_take(s, r->addr, cls, &retry))
		return send_retry(r, conn, "rate limit for this client reached", retry);
	if (r->route == R_VERSIONS)
		return serve_files_versions(s, r, conn);
	if (!want_post)
		return serve_files_artifact(s, r, conn);
	return MHD_YES; /* wait for the body */
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct serve *s = cls;
	struct req *r = *con_cls;
	(void)version;

	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*con_cls = r;
		r->t0 = pvecg_now();
		r->route = route_of(url);
		snprintf(r->method, sizeof(r->method), "%s", method);
		snprintf(r->url, sizeof(r->url), "%s", url);
		for (char *p = r->url; *p; p++)
			if (!isprint((unsigned char)*p))
				*p = '?';
		r->root = s->root;
		serve_http_client(r->client, sizeof(r->client), r->addr, sizeof(r->addr), conn,
		    s->o->trust_proxy);
		r->post = r->route == R_GENERATE && !strcmp(method, "POST");
		/* Framing two parsers could read differently: answered at once,
		 * and the connection closed (its remaining bytes mean nothing). */
		char fdetail[128];
		unsigned fst = serve_http_framing(conn, fdetail, sizeof(fdetail));
		if (fst) {
			enum MHD_Result res = send_error_ex(r, conn, fst,
			    fst == MHD_HTTP_NOT_IMPLEMENTED ? "not implemented" : "bad request",
			    fdetail, MHD_HTTP_HEADER_CONNECTION, "close");
			track_deadline(s, conn, 0);
			return res;
		}
		/* Others answer once the request is complete: an answer queued
		 * earlier makes MHD close the connection (no keep-alive). */
		if (!r->post)
			return MHD_YES;
		/* POST: refuse from the headers alone, before reading a body. */
		enum MHD_Result res = on_headers(s, r, conn);
		if (r->queued)
			track_deadline(s, conn, 0);
		return res;
	}
	if (r->queued) {
		*upload_data_size = 0; /* answered already; drop the rest */
		return MHD_YES;
	}
	if (r->gen) {
		if (!r->gen->done)
			return MHD_YES;
		return serve_gen_answer(r, conn);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (!r->post)
			return MHD_YES; /* a GET body means nothing here */
		if (r->too_large || r->body.len + n > s->o->max_body)
			r->too_large = true;
		else if (pvecg_buf_append(&r->body, upload_data, n))
			return MHD_NO;
		return MHD_YES;
	}
	/* The whole request arrived: no read deadline while we work. */
	track_deadline(s, conn, 0);
	if (!r->post)
		return on_headers(s, r, conn);
	return serve_gen_handle(s, r, conn);
}

static void
on_completed(
    void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct serve *s = cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	/* keep-alive: the next request gets its own deadline */
	track_deadline(s, conn, pvecg_now() + SERVE_REQUEST_TIMEOUT_S);
	serve_log_request(s->log, r->client, r->method, r->url,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? r->status : 0, r->bytes,
	    pvecg_now() - r->t0);
	if (r->is_gen_answer) {
		pthread_mutex_lock(&s->lock);
		s->gen_answer_pending = false;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	serve_gen_free(r->gen);
	pvecg_buf_free(&r->body);
	free(r);
	*con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* start-up and shutdown                                               */

static int
start_daemon(struct MHD_Daemon **d, struct serve *s, const struct sockaddr_storage *ss,
    const pvecg_buf *cert, const pvecg_buf *key, pvecg_error *err)
{
	const pvecg_options *o = s->o;
	pvecg_httpd_config c = { .listen = o->listen ? o->listen : "127.0.0.1:8080",
		.addr = ss,
		.cert = cert,
		.key = key,
		.threads = o->max_threads > 0 ? (unsigned)o->max_threads : 1,
		.idle_timeout_s = SERVE_IDLE_TIMEOUT_S,
		.connection_limit = SERVE_CONNECTION_LIMIT,
		/* one address cannot take every slot (half of them) */
		.per_ip_limit = SERVE_CONNECTION_LIMIT / 2,
		.memory_limit = 32 * 1024,
		.backlog = 128,
		.suspend_resume = true,
		.error_log = o->verbose,
		.on_request = on_request,
		.on_completed = on_completed,
		.on_connection = on_connection,
		.cls = s };

	return pvecg_httpd_start(d, &c, err);
}

/* SIGTERM: stop accepting, let the generation finish and answer, stop. */
static void
shutdown_daemon(struct serve *s, struct MHD_Daemon *d)
{
	MHD_socket lfd = MHD_quiesce_daemon(d);
	struct timespec ts;
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->cond);
	while (s->gen_running)
		pthread_cond_wait(&s->cond, &s->lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)SERVE_DRAIN_S;
	while (s->gen_answer_pending)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->lock);
	if (s->gen_thread_valid) {
		pthread_join(s->gen_thread, NULL);
		s->gen_thread_valid = false;
	}
	MHD_stop_daemon(d);
}

static void
announce(const struct serve *s, struct MHD_Daemon *d, const struct sockaddr_storage *ss)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char origin[INET6_ADDRSTRLEN + 32];

	if (s->o->quiet)
		return;
	pvecg_httpd_origin(
	    origin, sizeof(origin), ss, di ? (unsigned)di->port : 0, s->o->tls_cert != NULL);
	fprintf(stderr, "proxmox-sdk-codegen: serving %s on %s%s\n", s->root, origin,
	    s->key_set ? "" : " (no $CODEGEN_API_KEY: every codegen endpoint answers 403)");
	fflush(stderr);
}

/* A signal left pending while blocked would act once unblocked: SIGPIPE
 * would kill us, and so would a second SIGTERM/SIGINT sent during the
 * drain. The drain is finished by then, so those are consumed: a repeated
 * stop request does not cut the drain short (SIGKILL does). */
static void
drain_pending(bool quiet)
{
	static const int sigs[] = { SIGPIPE, SIGTERM, SIGINT };
	sigset_t pend, one;
	int sig;
	for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
		if (sigpending(&pend) != 0 || sigismember(&pend, sigs[k]) != 1)
			continue;
		sigemptyset(&one);
		sigaddset(&one, sigs[k]);
		sigwait(&one, &sig);
		if (sig != SIGPIPE && !quiet)
			fprintf(stderr,
			    "proxmox-sdk-codegen: %s again during the drain: "
			    "ignored\n",
			    sig == SIGTERM ? "SIGTERM" : "SIGINT");
	}
}

int
pvecg_serve(const pvecg_options *o, pvecg_error *err)
{
	struct serve s;
	struct sockaddr_storage ss;
	pvecg_buf cert = PVECG_BUF_INIT, key = PVECG_BUF_INIT;
	sigset_t set, old;
	pthread_t jan;
	bool jan_ok = false;
	struct MHD_Daemon *d = NULL;
	const char *k = getenv("CODEGEN_API_KEY");
	int rc, sig = 0;

	memset(&s, 0, sizeof(s));
	s.o = o;
	serve_gen_config(&s.gen_cfg, o);
	s.root = o->output_dir ? o->output_dir : "generated";
	if (k && *k) {
		s.key_set = true;
		pvecg_sha256_hex(s.key_hex, k, strlen(k));
	}
	if ((rc = pvecg_httpd_parse_listen(&ss, o->listen ? o->listen : "127.0.0.1:8080", err)) ||
	    (rc = serve_http_check_proxy(o->trust_proxy, err)))
		return rc;
	if ((rc = pvecg_httpd_load_tls(&cert, &key, o->tls_cert, o->tls_key, "serve", err)))
		goto out_bufs;
	if ((rc = pvecg_output_mkdirs(s.root, err)))
		goto out_bufs;
	if ((rc = serve_log_open(&s.log, o->access_log, o->quiet, err)))
		goto out_bufs;
	if (serve_rate_new(&s.rates, SERVE_RATE_ENTRIES)) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, "serve", "out of memory");
		goto out_bufs;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.vlock, NULL);
	pthread_cond_init(&s.cond, NULL);
	/* Every thread started from here on inherits the mask; this one sigwaits. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (pthread_create(&jan, NULL, janitor, &s) != 0) {
		rc = pvecg_error_set(err, PVECG_EINTERNAL, "serve", "cannot start a thread");
		goto out;
	}
	jan_ok = true;
	if ((rc = start_daemon(&d, &s, &ss, &cert, &key, err)))
		goto out;
	announce(&s, d, &ss);
	if (o->fetch.api_token && !o->quiet)
		fprintf(stderr, "proxmox-sdk-codegen: API token is sent only to %s\n",
		    o->token_origin ? o->token_origin
		                    : "no origin (set --api-token-origin or $PROXMOX_URL)");
	sigdelset(&set, SIGPIPE);
	while (sig != SIGTERM && sig != SIGINT)
		if (sigwait(&set, &sig) != 0)
			sig = 0;
	pthread_mutex_lock(&s.lock);
	bool running = s.gen_running;
	pthread_mutex_unlock(&s.lock);
	if (!o->quiet)
		fprintf(stderr, "proxmox-sdk-codegen: %s: stopping%s\n",
		    sig == SIGTERM ? "SIGTERM" : "SIGINT",
		    running ? " after the running generation" : "");
	shutdown_daemon(&s, d);
	rc = 0;
out:
	if (jan_ok) {
		pthread_mutex_lock(&s.lock);
		s.stopping = true;
		pthread_cond_broadcast(&s.cond);
		pthread_mutex_unlock(&s.lock);
		pthread_join(jan, NULL);
	}
	drain_pending(o->quiet);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
	pthread_mutex_destroy(&s.vlock);
	free(s.vtext);
out_bufs:
	serve_rate_free(s.rates);
	serve_log_close(s.log);
	pvecg_buf_free(&cert);
	pvecg_buf_free(&key);
	return rc;
}
