/* serve: the pipeline as a protected HTTP service (libmicrohttpd).
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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
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
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "pvecg/buf.h"
#include "pvecg/capture.h"
#include "pvecg/generate.h"
#include "pvecg/httpd.h"
#include "pvecg/json.h"
#include "pvecg/output.h"
#include "pvecg/resolve.h"
#include "pvecg/serve.h"
#include "pvecg/source.h"
#include "pvecg/targz.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"
#include "serve_int.h"

#define SERVE_REQUEST_TIMEOUT_S 10.0 /* headers + body must arrive within */
#define SERVE_IDLE_TIMEOUT_S 15u     /* MHD: no byte moved for this long */
#define SERVE_CONNECTION_LIMIT 256u
#define SERVE_RATE_ENTRIES 4096      /* client x class entries kept */
#define SERVE_DRAIN_S 10.0           /* SIGTERM: time to send the last answer */
#define SERVE_LOG_URL 200
#define SERVE_VERSIONS_RECHECK_S 1.0 /* other writers show up this late */

enum route {
	R_NONE, R_HEALTHZ, R_VERSIONS, R_GENERATE, R_OPENAPI, R_MODELS,
	R_MODEL_INDEX, R_PYDANTIC
};

enum rate_class { RC_GENERATE = SERVE_RC_GENERATE, RC_READ = SERVE_RC_READ };

/* One accepted socket, for the request deadline. */
struct track {
	struct track *prev, *next;
	int fd;
	double deadline;   /* 0: not reading a request */
};

struct serve {
	const pvecg_options *o;
	const char *root;
	char key_hex[65];          /* sha256 of $CODEGEN_API_KEY */
	bool key_set;
	pthread_mutex_t lock;      /* everything down to vlock */
	pthread_cond_t cond;
	serve_rate *rates;         /* buckets and failed authentications */
	serve_log *log;            /* access log, NULL when off */
	struct track *tracks;
	bool stopping;
	/* the one generation */
	bool gen_running, gen_thread_valid, gen_answer_pending;
	pthread_t gen_thread;
	char gen_started[32];      /* UTC, ISO 8601 */
	char gen_tag[128];
	/* /versions/ answer, reused while the tree's signature is unchanged */
	pthread_mutex_t vlock;
	char *vtext;
	size_t vlen;
	char vsig[65];
	double vchecked;           /* when vsig was last compared */
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
	unsigned long long bytes;    /* body bytes queued */
	double t0;
	pvecg_buf body;
	struct gen *gen;
};

/* ------------------------------------------------------------------ */
/* the models archive                                                  */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of dir (no "." / ".."). */
static int
list_dir(char ***out, size_t *n, const char *dir, pvecg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0;
	if (!d)
		return pvecg_error_set(err, PVECG_EIO, dir, "%s", strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char **nv = realloc(v, (cnt + 1) * sizeof(*v));
		char *s = pvecg_strdup(e->d_name);
		if (!nv || !s) {
			free(s);
			v = nv ? nv : v;
			for (size_t k = 0; k < cnt; k++)
				free(v[k]);
			free(v);
			closedir(d);
			return pvecg_error_set(err, PVECG_ENOMEM, dir, "out of memory");
		}
		v = nv;
		v[cnt++] = s;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), name_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

static void
free_names(char **v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

static bool
wanted_top(const char *name, bool isdir)
{
	size_t l = strlen(name);
	if (isdir)
		return !strcmp(name, "models");
	if (!strcmp(name, "model_index.json"))
		return true;
	return l > 2 && name[l - 2] == '.' && (name[l - 1] == 'h' || name[l - 1] == 'c');
}

/* Adds dir/rel (recursively) as prefix/rel; depth-limited, symlinks skipped. */
static int
tar_tree(pvecg_targz *tar, const char *base, const char *rel, const char *prefix,
    int depth, pvecg_error *err)
{
	char path[4096], name[4096];
	char **names = NULL;
	size_t n = 0;
	int rc;
	if (depth > 16)
		return pvecg_error_set(err, PVECG_ELIMIT, base, "directory tree too deep");
	snprintf(path, sizeof(path), "%s%s%s", base, *rel ? "/" : "", rel);
	if ((rc = list_dir(&names, &n, path, err)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++) {
		struct stat st;
		char sub[4096];
		pvecg_buf data = PVECG_BUF_INIT;
		int wn = snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", names[k]);
		int wp = snprintf(path, sizeof(path), "%s/%s", base, sub);
		int wm = snprintf(name, sizeof(name), "%s/%s", prefix, sub);
		if (wn < 0 || wp < 0 || wm < 0 || (size_t)wn >= sizeof(sub) ||
		    (size_t)wp >= sizeof(path) || (size_t)wm >= sizeof(name)) {
			rc = pvecg_error_set(err, PVECG_ELIMIT, base, "path too long");
			break;
		}
		if (lstat(path, &st) != 0) {
			rc = pvecg_error_set(err, PVECG_EIO, path, "%s", strerror(errno));
			break;
		}
		bool isdir = S_ISDIR(st.st_mode);
		if (!isdir && !S_ISREG(st.st_mode))
			continue;
		if (depth == 0 && !wanted_top(names[k], isdir))
			continue;
		if (isdir) {
			size_t l = strlen(name);
			if (l + 1 >= sizeof(name)) {
				rc = pvecg_error_set(err, PVECG_ELIMIT, base, "path too long");
				break;
			}
			name[l] = '/';
			name[l + 1] = '\0';
			rc = pvecg_targz_add_dir(tar, name, (long long)st.st_mtime, err);
			if (!rc)
				rc = tar_tree(tar, base, sub, prefix, depth + 1, err);
			continue;
		}
		rc = pvecg_read_file(&data, path, 0, err);
		if (!rc)
			rc = pvecg_targz_add_file(tar, name, data.data, data.len,
			    (long long)st.st_mtime, err);
		pvecg_buf_free(&data);
	}
	free_names(names, n);
	return rc;
}

/* The C models of one version directory as .tar.gz, entries under prefix/. */
static int
models_targz(pvecg_buf *out, const char *vdir, const char *prefix, pvecg_error *err)
{
	pvecg_targz *tar = NULL;
	int rc = pvecg_targz_new(&tar, err);
	if (!rc)
		rc = tar_tree(tar, vdir, "", prefix, 0, err);
	if (!rc)
		rc = pvecg_targz_finish(tar, out, err);
	pvecg_targz_free(tar);
	return rc;
}

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
static void
rate_refund(struct serve *s, const char *key, int cls)
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
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(t = calloc(1, sizeof(*t))))
			return;   /* untracked: MHD's idle timeout still applies */
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
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
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
static enum MHD_Result
queue(struct req *r, struct MHD_Connection *conn, unsigned status,
    struct MHD_Response *resp, const char *type)
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

static enum MHD_Result
send_bytes(struct req *r, struct MHD_Connection *conn, unsigned status,
    char *data, size_t len, const char *type)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer_with_free_callback(len, data, free);

	if (!resp) {
		free(data);
		return MHD_NO;
	}
	r->bytes = len;
	return queue(r, conn, status, resp, type);
}

/* Canonical JSON text of doc (consumed). */
static enum MHD_Result
send_json(struct req *r, struct MHD_Connection *conn, unsigned status, cJSON *doc)
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
	return send_bytes(r, conn, status, text, len, "application/json");
}

static enum MHD_Result
send_error_ex(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const char *detail, const char *hdr, const char *hval)
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
	return queue(r, conn, status, resp, "application/json");
}

static enum MHD_Result
send_error(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const char *detail)
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
static enum MHD_Result
send_pvecg_error(struct req *r, struct MHD_Connection *conn, unsigned status,
    const char *error, const pvecg_error *e)
{
	char detail[sizeof(e->where) + sizeof(e->message) + 4];
	const char *tag = r->gen ? r->gen->job.version_tag :
	    MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "version");
	serve_http_detail(detail, sizeof(detail), e, r->root ? r->root : "", tag);
	return send_error(r, conn, status, error, detail);
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
/* reading artifacts                                                   */

/* "pve" -> ROOT/proxmox/<tag>; 400 on a bad product or tag. */
static unsigned
version_dir(char *out, size_t cap, const char **pdir_out, const struct serve *s,
    struct MHD_Connection *conn, char *detail, size_t dcap)
{
	const char *product = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "product");
	const char *version = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "version");
	const char *pdir;
	char tag[128];
	pvecg_error e = { 0 };
	if (!product || !*product)
		product = "pve";
	if (!(pdir = pvecg_capture_product_dir(product))) {
		snprintf(detail, dcap, "unknown product '%.40s' (pve, pbs, pmg, pdm)", product);
		return MHD_HTTP_BAD_REQUEST;
	}
	if (!version || !*version)
		version = "latest";
	if (strlen(version) >= sizeof(tag)) {
		snprintf(detail, dcap, "version tag too long");
		return MHD_HTTP_BAD_REQUEST;
	}
	snprintf(tag, sizeof(tag), "%s", version);
	if (pvecg_urlguard_check_tag(tag, &e)) {
		snprintf(detail, dcap, "%.400s", e.message);
		return MHD_HTTP_BAD_REQUEST;
	}
	*pdir_out = pdir;
	int w = snprintf(out, cap, "%s/%s/%s", s->root, pdir, tag);
	if (w < 0 || (size_t)w >= cap) {
		snprintf(detail, dcap, "path too long");
		return MHD_HTTP_BAD_REQUEST;
	}
	return 0;
}

static enum MHD_Result
serve_file(struct req *r, struct MHD_Connection *conn, const char *path,
    const char *type)
{
	struct MHD_Response *resp;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
		    "no such version (or the file is missing)");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found", "not a regular file");
	}
	/* MHD owns fd from here (closes it with the response). */
	resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	r->bytes = (unsigned long long)st.st_size;
	return queue(r, conn, MHD_HTTP_OK, resp, type);
}

static enum MHD_Result
handle_artifact(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char dir[4096], path[4200], detail[512];
	const char *pdir = NULL;
	unsigned st = version_dir(dir, sizeof(dir), &pdir, s, conn, detail, sizeof(detail));
	if (st)
		return send_error(r, conn, st, "bad request", detail);
	if (r->route == R_OPENAPI || r->route == R_MODEL_INDEX) {
		snprintf(path, sizeof(path), "%s/%s", dir,
		    r->route == R_OPENAPI ? "openapi.json" : "model_index.json");
		return serve_file(r, conn, path, "application/json");
	}
	/* models: name the archive after the real tag (latest resolves). */
	char real[4096], prefix[300], cd[400];
	pvecg_buf gz = PVECG_BUF_INIT;
	pvecg_error e = { 0 };
	if (!realpath(dir, real))
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found", "no such version");
	const char *tag = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	snprintf(path, sizeof(path), "%s/models", real);
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
		    "this version has no models directory");
	snprintf(prefix, sizeof(prefix), "%s-%.200s", pdir, tag);
	if (models_targz(&gz, real, prefix, &e)) {
		pvecg_buf_free(&gz);
		return send_pvecg_error(r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "archive failed", &e);
	}
	size_t len;
	char *data = pvecg_buf_steal(&gz, &len);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer_with_free_callback(len, data, free);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s-models.tar.gz\"", prefix);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/gzip");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	r->bytes = len;
	r->status = MHD_HTTP_OK;
	r->queued = true;
	return ok;
}

/* Names, inodes, sizes and mtimes of ROOT down to the files of each
 * version: every commit (a rename) or latest switch changes it. */
static void
tree_sig(pvecg_buf *b, const char *dir, int depth)
{
	char **names = NULL;
	size_t n = 0;
	pvecg_error e;
	if (list_dir(&names, &n, dir, &e))
		return;
	for (size_t k = 0; k < n; k++) {
		char path[4096];
		struct stat st;
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[k]) >= (int)sizeof(path) ||
		    stat(path, &st) != 0)
			continue;
		pvecg_buf_printf(b, "%d %s %llu %lld %lld.%09ld\n", depth, names[k],
		    (unsigned long long)st.st_ino, (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (S_ISDIR(st.st_mode) && depth < 2)
			tree_sig(b, path, depth + 1);
	}
	free_names(names, n);
}

/* The listing is expensive (it reads every version's artifacts), so the
 * answer is kept while the tree's signature is unchanged. The signature
 * itself (a few dozen stat calls) is taken at most every
 * SERVE_VERSIONS_RECHECK_S, and at once after our own generation; vlock
 * makes concurrent misses compute the listing once. */
static int
versions_text(char **out, size_t *len, struct serve *s, pvecg_error *err)
{
	pvecg_buf sig = PVECG_BUF_INIT;
	char hex[65], *text = NULL;
	size_t tlen = 0;
	int rc = 0;
	double now = pvecg_now();
	FILE *fp;

	pthread_mutex_lock(&s->vlock);
	if (s->vtext && now - s->vchecked < SERVE_VERSIONS_RECHECK_S)
		goto copy;
	tree_sig(&sig, s->root, 0);
	pvecg_sha256_hex(hex, sig.data ? sig.data : "", sig.len);
	pvecg_buf_free(&sig);
	if (!s->vtext || strcmp(hex, s->vsig) != 0) {
		if (!(fp = open_memstream(&text, &tlen))) {
			rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
			goto out;
		}
		rc = pvecg_versions(s->root, 1, fp, err);
		if (fclose(fp) != 0 && !rc)
			rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		if (rc == PVECG_EINPUT && tlen == 0) {
			/* no version yet: a fresh server's root is a valid, empty list */
			free(text);
			text = pvecg_strdup("[]\n");
			tlen = 3;
			rc = text ? 0 : pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		}
		if (rc) {
			free(text);
			goto out;
		}
		free(s->vtext);
		s->vtext = text;
		s->vlen = tlen;
		memcpy(s->vsig, hex, sizeof(hex));
	}
	s->vchecked = now;
copy:
	if (!(*out = malloc(s->vlen + 1))) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		goto out;
	}
	memcpy(*out, s->vtext, s->vlen);
	*len = s->vlen;
out:
	pthread_mutex_unlock(&s->vlock);
	return rc;
}

static enum MHD_Result
handle_versions(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char *text = NULL;
	size_t len = 0;
	pvecg_error e = { 0 };
	if (versions_text(&text, &len, s, &e))
		return send_pvecg_error(r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "versions failed", &e);
	return send_bytes(r, conn, MHD_HTTP_OK, text, len, "application/json");
}

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

static void
gen_free(struct gen *g)
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
		return true;   /* first version of this product */
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
	pvecg_options o = *s->o;
	pvecg_resolved res;
	char outdir[4096];
	double t0 = pvecg_now();
	const char *pdir;

	o.command = PVECG_CMD_GENERATE;
	o.jobs = &g->job;
	o.n_jobs = 1;
	o.check = false;
	o.quiet = true;
	o.timings = false;
	o.remote_only = true;
	o.fetch.progress = false;
	g->rc = pvecg_resolve(&res, &g->job, &o, &g->err);
	if (g->rc == 0) {
		if (res.product == NULL)
			res.product = g->product ? g->product : "pve";
		pdir = pvecg_capture_product_dir(res.product);
		snprintf(outdir, sizeof(outdir), "%s/%s", s->root, pdir ? pdir : "unknown");
		o.output_dir = outdir;
		/* GET ...?version= defaults to latest, which follows the newest tag */
		g->job.also_latest = is_newest(outdir, res.version_tag);
		g->rc = pvecg_generate_run_resolved(&g->rep, &g->job, &o, &res, &g->err);
		pvecg_resolved_free(&res);
	}
	g->seconds = pvecg_now() - t0;
	g->done = true;
	pthread_mutex_lock(&s->vlock);
	s->vchecked = -1e9;   /* our own change shows at once */
	pthread_mutex_unlock(&s->vlock);
	pthread_mutex_lock(&s->lock);
	s->gen_running = false;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	MHD_resume_connection(g->conn);
	return NULL;
}

static unsigned
gen_error_status(int code)
{
	switch (code) {
	case PVECG_EPOLICY: return MHD_HTTP_BAD_REQUEST;
	case PVECG_EUSAGE: return MHD_HTTP_BAD_REQUEST;
	case PVECG_ENET: return MHD_HTTP_BAD_GATEWAY;
	case PVECG_EINPUT: return MHD_HTTP_UNPROCESSABLE_CONTENT;
	case PVECG_ELIMIT: return MHD_HTTP_BAD_GATEWAY;   /* upstream too big/slow */
	default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

static enum MHD_Result
gen_answer(struct req *r, struct MHD_Connection *conn)
{
	struct gen *g = r->gen;
	cJSON *doc, *t;
	if (g->rc)
		return send_pvecg_error(r, conn, gen_error_status(g->rc), "generation failed", &g->err);
	doc = cJSON_CreateObject();
	t = cJSON_AddObjectToObject(doc, "timings");
	if (!t)
		goto fail;
	for (int k = 0; k < PVECG_ST_COUNT; k++)
		if (!cJSON_AddNumberToObject(t, pvecg_stage_names[k], round(g->rep.seconds[k] * 1000) / 1000))
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
	return send_json(r, conn, MHD_HTTP_OK, doc);
fail:
	cJSON_Delete(doc);
	return send_error(r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
}

/* Validates the body; 0 with *out filled, else the status and detail. */
static unsigned
gen_parse(struct gen **out, const struct serve *s, const pvecg_buf *body,
    char *detail, size_t dcap)
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
	u = cJSON_GetObjectItemCaseSensitive(doc, "proxmox_url");
	t = cJSON_GetObjectItemCaseSensitive(doc, "version_tag");
	p = cJSON_GetObjectItemCaseSensitive(doc, "product");
	if (!cJSON_IsString(u) || (t && !cJSON_IsString(t)) || (p && !cJSON_IsString(p))) {
		snprintf(detail, dcap, "proxmox_url (string) is required; version_tag and product are strings");
		goto out;
	}
	if (p && !pvecg_capture_product_dir(p->valuestring)) {
		snprintf(detail, dcap, "unknown product '%.40s' (pve, pbs, pmg, pdm)", p->valuestring);
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
		snprintf(detail, dcap, "version_tag: 'latest' is reserved (it follows the newest tag)");
		goto out;
	}
	if (t && strlen(g->job.version_tag) >= 128) {
		snprintf(detail, dcap, "version_tag: longer than 127 characters");
		goto out;
	}
	/* Only URLs, by the one classifier the loader uses too: a path would
	 * let a client read the server's files. */
	if (pvecg_source_classify(g->url) != PVECG_SOURCE_URL ||
	    pvecg_source_check_url(g->url, &s->o->fetch, &e)) {
		snprintf(detail, dcap, "proxmox_url: %s", e.message[0] ? e.message :
		    "not a URL (scheme://host/...)");
		goto out;
	}
	g->job.source = g->url;
	g->job.product = g->product;
	*out = g;
	g = NULL;
	st = 0;
out:
	gen_free(g);
	cJSON_Delete(doc);
	return st;
}

static enum MHD_Result
handle_generate(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char detail[1300];
	struct gen *g = NULL;
	unsigned st;

	if (r->too_large) {
		rate_refund(s, r->addr, RC_GENERATE);
		snprintf(detail, sizeof(detail), "request body larger than %zu bytes", s->o->max_body);
		return send_error(r, conn, MHD_HTTP_CONTENT_TOO_LARGE, "body too large", detail);
	}
	if ((st = gen_parse(&g, s, &r->body, detail, sizeof(detail)))) {
		rate_refund(s, r->addr, RC_GENERATE);
		return send_error(r, conn, st, "bad request", detail);
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
		gen_free(g);
		rate_refund(s, r->addr, RC_GENERATE);
		return send_error(r, conn, stopping ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_CONFLICT,
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
	MHD_resume_connection(conn);   /* the next call answers the error */
	return MHD_YES;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

static enum route
route_of(const char *url)
{
	static const struct { const char *url; enum route r; } table[] = {
		{ "/healthz", R_HEALTHZ }, { "/versions/", R_VERSIONS },
		{ "/versions", R_VERSIONS }, { "/codegen/generate", R_GENERATE },
		{ "/codegen/openapi", R_OPENAPI }, { "/codegen/models", R_MODELS },
		{ "/codegen/model-index", R_MODEL_INDEX }, { "/codegen/pydantic", R_PYDANTIC },
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
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found", "no such endpoint");
	if (r->route == R_PYDANTIC)
		return send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
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
		return send_json(r, conn, MHD_HTTP_OK, doc);
	}
	if (s->key_set && serve_rate_auth_blocked(s->rates, r->addr, pvecg_now(), &retry))
		return send_retry(r, conn, "too many failed authentications", retry);
	if ((st = check_auth(s, conn))) {
		if (st == MHD_HTTP_UNAUTHORIZED)
			serve_rate_auth_failed(s->rates, r->addr, pvecg_now());
		return send_error(r, conn, st, st == MHD_HTTP_FORBIDDEN ? "forbidden" : "unauthorized",
		    st == MHD_HTTP_FORBIDDEN ? "no API key configured on the server ($CODEGEN_API_KEY)"
		    : "missing or wrong 'Authorization: Bearer <key>'");
	}
	if (want_post) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		errno = 0;
		unsigned long long v = cl ? strtoull(cl, NULL, 10) : 0;
		if (cl && (errno || v > s->o->max_body)) {
			char detail[96];
			snprintf(detail, sizeof(detail), "request body larger than %zu bytes",
			    s->o->max_body);
			return send_error(r, conn, MHD_HTTP_CONTENT_TOO_LARGE, "body too large", detail);
		}
	}
	int cls = r->route == R_GENERATE ? RC_GENERATE : RC_READ;
	if (rate_take(s, r->addr, cls, &retry))
		return send_retry(r, conn, "rate limit for this client reached", retry);
	if (r->route == R_VERSIONS)
		return handle_versions(s, r, conn);
	if (!want_post)
		return handle_artifact(s, r, conn);
	return MHD_YES;   /* wait for the body */
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
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
		*upload_data_size = 0;   /* answered already; drop the rest */
		return MHD_YES;
	}
	if (r->gen) {
		if (!r->gen->done)
			return MHD_YES;
		return gen_answer(r, conn);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (!r->post)
			return MHD_YES;   /* a GET body means nothing here */
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
	return handle_generate(s, r, conn);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
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
	gen_free(r->gen);
	pvecg_buf_free(&r->body);
	free(r);
	*con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* start-up and shutdown                                               */

static struct MHD_Daemon *
start_daemon(struct serve *s, const struct sockaddr_storage *ss,
    const pvecg_buf *cert, const pvecg_buf *key)
{
	const pvecg_options *o = s->o;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem ops[16];
	size_t n = 0;
	unsigned threads = o->max_threads > 0 ? (unsigned)o->max_threads : 1;

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (o->verbose)
		flags |= MHD_USE_ERROR_LOG;
	if (cert->data)
		flags |= MHD_USE_TLS;
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)ss };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, SERVE_IDLE_TIMEOUT_S, NULL };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, SERVE_CONNECTION_LIMIT, NULL };
	/* one address cannot take every slot (half of them) */
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    SERVE_CONNECTION_LIMIT / 2, NULL };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_BACKLOG_SIZE, 128, NULL };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s };
	if (threads > 1)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL };
	if (cert->data) {
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert->data };
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key->data };
	}
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
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
	pvecg_httpd_origin(origin, sizeof(origin), ss, di ? (unsigned)di->port : 0,
	    s->o->tls_cert != NULL);
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
			fprintf(stderr, "proxmox-sdk-codegen: %s again during the drain: "
			    "ignored\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
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
	if (!(d = start_daemon(&s, &ss, &cert, &key))) {
		rc = pvecg_error_set(err, PVECG_EIO, o->listen ? o->listen : "127.0.0.1:8080",
		    "cannot listen (address in use, or bad TLS certificate/key?)");
		goto out;
	}
	announce(&s, d, &ss);
	if (o->fetch.api_token && !o->quiet)
		fprintf(stderr, "proxmox-sdk-codegen: API token is sent only to %s\n",
		    o->token_origin ? o->token_origin :
		    "no origin (set --api-token-origin or $PROXMOX_URL)");
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
