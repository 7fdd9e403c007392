/* serve_int.h: what serve.c (requests, responses, start-up) shares with
 * its helpers serve_gen.c (the generate endpoint: one pipeline run at a
 * time), serve_files.c (artifacts, the models archive, the versions
 * listing), serve_rate.c (rate limits and failed-authentication
 * throttling per client), serve_log.c (the access log) and serve_http.c
 * (request framing checks, client address, error details without server
 * paths). Not a public header. */
#ifndef PVECG_SERVE_INT_H
#define PVECG_SERVE_INT_H

#include <arpa/inet.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "pvecg/buf.h"
#include "pvecg/error.h"
#include "pvecg/generate.h"
#include "pvecg/options.h"

/* Client keys: an IPv4 address as text, an IPv6 client as its /64
 * ("2001:db8:1:2::/64"), "unknown" without an address. */
#define SERVE_CLIENT_MAX 64

/* ---- serve_rate.c ----------------------------------------------------- */

enum serve_rate_class {
	SERVE_RC_GENERATE,
	SERVE_RC_READ,
	SERVE_RC_AUTH
};

/* Failed authentications a client may make before it is throttled, the
 * longest wait it is given, and the quiet time after which they are
 * forgotten. */
#define SERVE_AUTH_FREE 5
#define SERVE_AUTH_MAX_WAIT_S 60
#define SERVE_AUTH_FORGET_S 600.0

typedef struct serve_rate serve_rate;

/* A table of at most cap clients x classes, thread-safe. */
PVECG_NODISCARD int serve_rate_new(serve_rate **out, size_t cap);
void serve_rate_free(serve_rate *t);
/* Token bucket of rate per hour (0: unlimited): 0 took a token, 1 limited
 * with *retry the seconds until the next one. When the table is full the
 * entry idle the longest makes room: it never refuses everyone. */
int
serve_rate_take(serve_rate *t, const char *client, int cls, double rate, double now, long *retry);
/* Gives back the token of a request refused before any work. */
void serve_rate_refund(serve_rate *t, const char *client, int cls, double rate);
/* 1 while the client must wait after failed authentications (*retry
 * seconds); its requests are then refused without looking at the key. */
int serve_rate_auth_blocked(serve_rate *t, const char *client, double now, long *retry);
/* Records a failed authentication: after SERVE_AUTH_FREE of them each
 * further one makes the client wait 1, 2, 4, ... up to
 * SERVE_AUTH_MAX_WAIT_S seconds. */
void serve_rate_auth_failed(serve_rate *t, const char *client, double now);
/* Entries in the table (tests and diagnostics). */
size_t serve_rate_count(serve_rate *t);

/* ---- serve_http.c ------------------------------------------------------ */

/* The client of a request: the peer address, or, when the peer is the
 * trusted proxy (trust_proxy, an IP address as text, may be NULL), the
 * last valid address of X-Forwarded-For. addr gets the address for the
 * log, key the rate-limit key (IPv6 by /64). */
void serve_http_client(char *addr, size_t acap, char *key, size_t kcap, struct MHD_Connection *conn,
    const char *trust_proxy);
/* 0 when trust_proxy is a numeric IPv4 or IPv6 address. */
PVECG_NODISCARD int serve_http_check_proxy(const char *trust_proxy, pvecg_error *err);
/* Request smuggling hygiene: 0 when the framing headers are sound, else
 * the status to answer (400: several different Content-Length values, or
 * Content-Length with Transfer-Encoding; 501: a transfer coding other than
 * chunked) with a detail; the connection is closed after that answer. */
unsigned serve_http_framing(struct MHD_Connection *conn, char *detail, size_t dcap);
/* path relative to root when it lies under it ("proxmox/9.1"), else its
 * last component: what a client is told about a place on the server. */
const char *serve_http_under(const char *path, const char *root);
/* "where: message" of e for a client, without server paths: a place under
 * root is named relative to it, another absolute path by tag. */
void
serve_http_detail(char *out, size_t cap, const pvecg_error *e, const char *root, const char *tag);

/* ---- serve_log.c ------------------------------------------------------- */

typedef struct serve_log serve_log;

/* path NULL: standard error (quiet: no log at all). */
PVECG_NODISCARD int serve_log_open(serve_log **out, const char *path, bool quiet, pvecg_error *err);
void serve_log_close(serve_log *l);
/* One line: UTC time, client, method, path, status, body bytes, seconds.
 * Method and path are escaped (%XX for space, quotes, controls, non-ASCII),
 * so a line is always seven space-separated fields. */
void serve_log_request(serve_log *l, const char *client, const char *method, const char *path,
    unsigned status, unsigned long long bytes, double seconds);

/* ---- serve.c ----------------------------------------------------------- */

#define SERVE_LOG_URL 200

enum route {
	R_NONE,
	R_HEALTHZ,
	R_VERSIONS,
	R_GENERATE,
	R_OPENAPI,
	R_MODELS,
	R_MODEL_INDEX,
	R_PYDANTIC
};

enum rate_class {
	RC_GENERATE = SERVE_RC_GENERATE,
	RC_READ = SERVE_RC_READ
};

struct serve {
	const pvecg_options *o;
	pvecg_generate_config gen_cfg; /* every generation's, but the output directory */
	const char *root;
	char key_hex[65]; /* sha256 of $CODEGEN_API_KEY */
	bool key_set;
	pthread_mutex_t lock; /* everything down to vlock */
	pthread_cond_t cond;
	serve_rate *rates; /* buckets and failed authentications */
	serve_log *log;    /* access log, NULL when off */
	struct track *tracks;
	bool stopping;
	/* the one generation */
	bool gen_running, gen_thread_valid, gen_answer_pending;
	pthread_t gen_thread;
	char gen_started[32]; /* UTC, ISO 8601 */
	char gen_tag[128];
	/* /versions/ answer, reused while the tree's signature is unchanged */
	pthread_mutex_t vlock;
	char *vtext;
	size_t vlen;
	char vsig[65];
	double vchecked; /* when vsig was last compared */
};

struct gen {
	struct serve *s;
	struct MHD_Connection *conn;
	pvecg_job job;
	char *url, *product;
	pvecg_run_report rep;
	pvecg_error err;
	int rc;
	double seconds;
	bool done;
};

struct req {
	enum route route;
	bool post, queued, too_large, is_gen_answer;
	char addr[SERVE_CLIENT_MAX];   /* rate-limit key: the client, IPv6 by /64 */
	char client[INET6_ADDRSTRLEN]; /* the client's address, for the log */
	const char *root;              /* the artifact root, kept out of errors */
	char method[16];
	char url[SERVE_LOG_URL];
	unsigned status;
	unsigned long long bytes; /* body bytes queued */
	double t0;
	pvecg_buf body;
	struct gen *gen;
};

/* Common headers, then queue; every response goes through here. */
enum MHD_Result serve_queue(struct req *r, struct MHD_Connection *conn, unsigned status,
    struct MHD_Response *resp, const char *type);
/* data (malloc'd, consumed) as the body. */
enum MHD_Result serve_send_bytes(struct req *r, struct MHD_Connection *conn, unsigned status,
    char *data, size_t len, const char *type);
/* Canonical JSON text of doc (consumed). */
enum MHD_Result
serve_send_json(struct req *r, struct MHD_Connection *conn, unsigned status, cJSON *doc);
/* {"error": error, "detail": detail} */
enum MHD_Result serve_send_error(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const char *detail);
/* The detail names the version and the reason, never a server path. */
enum MHD_Result serve_send_pvecg_error(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const pvecg_error *e);
/* A generate request refused before any work (400/409/413) costs nothing. */
void serve_refund(struct serve *s, const char *key, int cls);

/* ---- serve_gen.c -------------------------------------------------------- */

/* POST /codegen/generate with its whole body: starts the one generation
 * (the connection stays suspended until it ends) or answers why not. */
enum MHD_Result serve_gen_handle(struct serve *s, struct req *r, struct MHD_Connection *conn);
/* The answer of the finished generation r->gen. */
enum MHD_Result serve_gen_answer(struct req *r, struct MHD_Connection *conn);
void serve_gen_free(struct gen *g);
/* What every generation of the server runs with (URLs only, written,
 * warnings off, the self-check's findings on stderr); output_dir is set
 * per run. */
void serve_gen_config(pvecg_generate_config *c, const pvecg_options *o);

/* ---- serve_files.c ------------------------------------------------------ */

/* GET /codegen/openapi, /codegen/model-index, /codegen/models (the .tar.gz). */
enum MHD_Result serve_files_artifact(struct serve *s, struct req *r, struct MHD_Connection *conn);
/* GET /versions/ */
enum MHD_Result serve_files_versions(struct serve *s, struct req *r, struct MHD_Connection *conn);

#endif
