/* mock: the mock Proxmox API's front: opening a version directory, the
 * request pipeline (route, auth, parameters, rules) and its HTTP server
 * on libmicrohttpd. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "mock_int.h"
#include "pvecg/buf.h"
#include "pvecg/capture.h"
#include "pvecg/httpd.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

#define MOCK_MAX_BODY ((size_t)4 << 20)
#define MOCK_CONNECTIONS 1024
#define MOCK_IDLE_TIMEOUT_S 60

int
pvecg_mock_open(pvecg_mock **out, const char *version_dir, const char *seed_file,
    const char *state_file, bool no_auth, pvecg_error *err)
{
	pvecg_mock *m = calloc(1, sizeof(*m));
	int rc;

	*out = NULL;
	if (m == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "mock", "out of memory");
	pthread_mutex_init(&m->lock, NULL);
	m->no_auth = no_auth;
	if ((rc = mock_api_load(&m->api, version_dir, err)) != 0 ||
	    (rc = mock_state_init(m, seed_file, state_file, err)) != 0) {
		pvecg_mock_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void
pvecg_mock_free(pvecg_mock *m)
{
	if (m == NULL)
		return;
	mock_api_free(&m->api);
	cJSON_Delete(m->objects);
	cJSON_Delete(m->tasks);
	cJSON_Delete(m->users);
	cJSON_Delete(m->tokens);
	free(m->state_file);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void
pvecg_mock_response_free(pvecg_mock_response *r)
{
	cJSON_Delete(r->body);
	r->body = NULL;
}

PVECG_NODISCARD static int
simple(pvecg_mock_response *out, unsigned status, const char *msg, cJSON *errors)
{
	out->status = status;
	out->body = cJSON_CreateObject();
	if (out->body == NULL || !cJSON_AddNullToObject(out->body, "data") ||
	    !cJSON_AddStringToObject(out->body, "message", msg)) {
		cJSON_Delete(errors);
		return -1;
	}
	if (errors != NULL)
		cJSON_AddItemToObject(out->body, "errors", errors);
	return 0;
}

static bool
needs_auth(const mock_route *r)
{
	/* as in Proxmox: logging in needs no ticket */
	return strcmp(r->path, "/access/ticket") != 0;
}

int
pvecg_mock_handle(pvecg_mock_response *out, pvecg_mock *m, const pvecg_mock_request *rq)
{
	cJSON *path_vals = NULL, *args = NULL, *errors = NULL;
	bool other = false;
	const mock_route *r;
	char user[256] = "", msg[256];
	unsigned st;
	int rc = -1, n;

	memset(out, 0, sizeof(*out));
	r = mock_route_match(&m->api, rq->method, rq->path, &path_vals, &other);
	if (r == NULL) {
		snprintf(
		    msg, sizeof(msg), "Method '%s %.200s' not implemented", rq->method, rq->path);
		return simple(out, 501, msg, NULL);
	}
	if (needs_auth(r) && (st = mock_auth(m, rq, user, sizeof(user), msg, sizeof(msg))) != 0) {
		cJSON_Delete(path_vals);
		return simple(out, st, msg, NULL);
	}
	if ((args = cJSON_CreateObject()) == NULL || (errors = cJSON_CreateObject()) == NULL)
		goto out;
	/* validation only reads the route table: no lock */
	n = mock_validate(args, errors, &m->api, (mock_route *)r, path_vals, rq->query, rq->body);
	if (n < 0)
		goto out;
	if (n > 0) {
		rc = simple(out, 400, "Parameter verification failed.", errors);
		errors = NULL;
		goto out;
	}
	pthread_mutex_lock(&m->lock);
	rc = mock_dispatch(out, m, r, rq->path, path_vals, args, user[0] ? user : "root@pam");
	/* a change, or a task's status read (it moves the task on) */
	if (rc == 0 &&
	    ((out->status == 200 && strcmp(r->method, "GET") != 0) ||
	        (r->task == false && strstr(r->path, "/tasks/") != NULL)) &&
	    mock_state_save(m) != 0)
		fprintf(stderr, "mock: %s: cannot save the state: %s\n", m->state_file,
		    strerror(errno));
	pthread_mutex_unlock(&m->lock);
out:
	cJSON_Delete(path_vals);
	cJSON_Delete(args);
	cJSON_Delete(errors);
	if (rc != 0)
		pvecg_mock_response_free(out);
	return rc;
}

/* ------------------------------------------------------------------ */
/* HTTP                                                                */

struct conn_req {
	pvecg_buf body;
	bool too_large;
};

PVECG_NODISCARD static int
add_arg(cJSON *obj, const char *key, const char *val)
{
	cJSON *old = pvecg_json_get(obj, key);

	if (old == NULL)
		return cJSON_AddStringToObject(obj, key, val) ? 0 : -1;
	if (!cJSON_IsArray(old)) { /* repeated key: keep every value */
		cJSON *arr = cJSON_CreateArray();

		if (arr == NULL)
			return -1;
		cJSON_AddItemToArray(arr, cJSON_Duplicate(old, 1));
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, arr);
		old = arr;
	}
	return cJSON_AddItemToArray(old, cJSON_CreateString(val)) ? 0 : -1;
}

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	return add_arg(cls, key, value ? value : "") == 0 ? MHD_YES : MHD_NO;
}

/* application/x-www-form-urlencoded into an object of strings. */
static cJSON *
parse_form(char *text)
{
	cJSON *obj = cJSON_CreateObject();
	char *save = NULL, *pair;

	if (obj == NULL)
		return NULL;
	for (pair = strtok_r(text, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');

		if (eq)
			*eq = '\0';
		if (add_arg(obj, pvecg_httpd_unescape(pair, 1),
		        eq ? pvecg_httpd_unescape(eq + 1, 1) : "") != 0) {
			cJSON_Delete(obj);
			return NULL;
		}
	}
	return obj;
}

static enum MHD_Result
send_response(struct MHD_Connection *conn, const pvecg_mock_response *res)
{
	char *text = cJSON_PrintUnformatted(res->body);
	struct MHD_Response *resp;
	enum MHD_Result ok;

	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json;charset=UTF-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "max-age=0");
	ok = MHD_queue_response(conn, res->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result
send_simple(struct MHD_Connection *conn, unsigned status, const char *msg)
{
	pvecg_mock_response res = { 0, NULL };
	enum MHD_Result ok;

	if (simple(&res, status, msg, NULL) != 0) {
		pvecg_mock_response_free(&res);
		return MHD_NO;
	}
	ok = send_response(conn, &res);
	pvecg_mock_response_free(&res);
	return ok;
}

/* /api2/extjs: Proxmox's ExtJS format answers HTTP 200 with "success"
 * (and, for errors, the status and message) in the body. */
static void
to_extjs(pvecg_mock_response *res)
{
	const cJSON *errors = pvecg_json_get(res->body, "errors");
	bool ok = res->status < 400 && cJSON_GetArraySize(errors) == 0;

	if (res->status >= 400)
		cJSON_AddNumberToObject(res->body, "status", res->status);
	cJSON_AddNumberToObject(res->body, "success", ok ? 1 : 0);
	res->status = 200;
}

static enum MHD_Result
answer_request(pvecg_mock *m, struct MHD_Connection *conn, const char *url, const char *method,
    struct conn_req *cr)
{
	bool extjs = strncmp(url, "/api2/extjs", 11) == 0;
	const char *ctype = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "PVEAuthCookie");
	pvecg_mock_request rq;
	pvecg_mock_response res = { 0, NULL };
	cJSON *query = cJSON_CreateObject(), *body = NULL;
	char *ticket = cookie ? pvecg_strdup(cookie) : NULL;
	enum MHD_Result ok = MHD_NO;

	if (query == NULL || (cookie && ticket == NULL))
		goto out;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, query);
	if (cr->body.len > 0) {
		if (ctype && strncmp(ctype, "application/json", 16) == 0) {
			body = pvecg_json_parse(cr->body.data, cr->body.len, NULL);
			if (!cJSON_IsObject(body)) {
				ok = send_simple(conn, 400, "request body is not a JSON object");
				goto out;
			}
		} else if (ctype && strncmp(ctype, "multipart/", 10) == 0) {
			ok = send_simple(
			    conn, 415, "multipart bodies (uploads) are not supported by the mock");
			goto out;
		} else if ((body = parse_form(cr->body.data)) == NULL) {
			goto out;
		}
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url + (extjs ? strlen("/api2/extjs") : strlen("/api2/json"));
	rq.query = query;
	rq.body = body;
	rq.authorization = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	rq.ticket = ticket ? pvecg_httpd_unescape(ticket, 0) : NULL;
	rq.csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "CSRFPreventionToken");
	if (pvecg_mock_handle(&res, m, &rq) != 0) {
		ok = send_simple(conn, 500, "out of memory");
	} else {
		if (extjs)
			to_extjs(&res);
		ok = send_response(conn, &res);
	}
out:
	pvecg_mock_response_free(&res);
	cJSON_Delete(query);
	cJSON_Delete(body);
	free(ticket);
	return ok;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	pvecg_mock *m = cls;
	struct conn_req *cr = *con_cls;

	(void)version;
	if (cr == NULL) {
		if ((cr = calloc(1, sizeof(*cr))) == NULL)
			return MHD_NO;
		*con_cls = cr;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (cr->too_large || cr->body.len + *upload_data_size > MOCK_MAX_BODY)
			cr->too_large = true;
		else if (pvecg_buf_append(&cr->body, upload_data, *upload_data_size) != 0)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cr->too_large)
		return send_simple(conn, 413, "request body too large");
	if (strncmp(url, "/api2/json/", 11) != 0 && strcmp(url, "/api2/json") != 0 &&
	    strncmp(url, "/api2/extjs/", 12) != 0 && strcmp(url, "/api2/extjs") != 0)
		return send_simple(conn, 404, "only /api2/json/ and /api2/extjs/ are served");
	if (pvecg_httpmethod_find_upper(method) < 0)
		return send_simple(conn, 501, "method not implemented");
	return answer_request(m, conn, url, method, cr);
}

static void
on_completed(
    void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct conn_req *cr = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (cr == NULL)
		return;
	pvecg_buf_free(&cr->body);
	free(cr);
	*con_cls = NULL;
}

static int
start_daemon(struct MHD_Daemon **d, pvecg_mock *m, const pvecg_options *o,
    const struct sockaddr_storage *ss, const pvecg_buf *cert, const pvecg_buf *key,
    pvecg_error *err)
{
	pvecg_httpd_config c = { .listen = o->listen ? o->listen : "127.0.0.1:8080",
		.addr = ss,
		.cert = cert,
		.key = key,
		.threads = o->max_threads > 0 ? (unsigned)o->max_threads : 1,
		.idle_timeout_s = MOCK_IDLE_TIMEOUT_S,
		.connection_limit = MOCK_CONNECTIONS,
		.backlog = 512,
		.error_log = o->verbose,
		.on_request = on_request,
		.on_completed = on_completed,
		.cls = m };

	return pvecg_httpd_start(d, &c, err);
}

static const char *
product_dir(const char *product)
{
	const char *dir = pvecg_capture_product_dir(product);

	return dir ? dir : product;
}

/* ROOT itself, ROOT/<product-dir>/<tag>, or ROOT/<tag>. */
PVECG_NODISCARD static int
find_version_dir(char *out, size_t cap, const pvecg_options *o, pvecg_error *err)
{
	const char *root = o->root ? o->root : "generated";
	const char *product = o->n_jobs && o->jobs[0].product ? o->jobs[0].product : "pve";
	const char *tag = o->n_jobs && o->jobs[0].version_tag ? o->jobs[0].version_tag : "latest";
	char probe[4096];

	if (pvecg_path(probe, sizeof(probe), "%s/route_metadata.json", root) == 0 &&
	    access(probe, R_OK) == 0)
		return pvecg_path(out, cap, "%s", root) == 0
		    ? 0
		    : pvecg_error_set(err, PVECG_EUSAGE, root, "path too long");
	if (pvecg_path(out, cap, "%s/%s/%s", root, product_dir(product), tag) == 0 &&
	    pvecg_path(probe, sizeof(probe), "%s/route_metadata.json", out) == 0 &&
	    access(probe, R_OK) == 0)
		return 0;
	if (pvecg_path(out, cap, "%s/%s", root, tag) == 0 &&
	    pvecg_path(probe, sizeof(probe), "%s/route_metadata.json", out) == 0 &&
	    access(probe, R_OK) == 0)
		return 0;
	return pvecg_error_set(err, PVECG_EUSAGE, root,
	    "no route_metadata.json in it, in %s/%s/%s or in %s/%s", root, product_dir(product),
	    tag, root, tag);
}

static void
announce(const pvecg_mock *m, struct MHD_Daemon *d, const struct sockaddr_storage *ss,
    const char *dir, bool tls)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char origin[128];

	pvecg_httpd_origin(origin, sizeof(origin), ss, di ? (unsigned)di->port : 0, tls);
	fprintf(stderr, "proxmox-sdk-codegen: mock of %s %s (%zu routes, %s) on %s/api2/json/%s\n",
	    m->api.product, m->api.version, m->api.n_routes, dir, origin,
	    m->no_auth ? " (no auth)" : "");
	fflush(stderr);
}

int
pvecg_mock_serve(const pvecg_options *o, pvecg_error *err)
{
	char dir[4096];
	struct sockaddr_storage ss;
	pvecg_buf cert = PVECG_BUF_INIT, key = PVECG_BUF_INIT;
	pvecg_mock *m = NULL;
	struct MHD_Daemon *d = NULL;
	sigset_t set, old;
	int rc, sig = 0;

	if ((rc = find_version_dir(dir, sizeof(dir), o, err)) != 0 ||
	    (rc = pvecg_httpd_parse_listen(&ss, o->listen ? o->listen : "127.0.0.1:8080", err)) !=
	        0 ||
	    (rc = pvecg_httpd_load_tls(&cert, &key, o->tls_cert, o->tls_key, "mock", err)) != 0 ||
	    (rc = pvecg_mock_open(&m, dir, o->mock_seed, o->mock_state, o->no_auth, err)) != 0)
		goto out;
	signal(SIGPIPE, SIG_IGN); /* a client gone mid-answer is not fatal */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if ((rc = start_daemon(&d, m, o, &ss, &cert, &key, err)) != 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		goto out;
	}
	if (!o->quiet)
		announce(m, d, &ss, dir, cert.data != NULL);
	while (sig != SIGTERM && sig != SIGINT)
		if (sigwait(&set, &sig) != 0)
			sig = 0;
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	rc = 0;
out:
	pvecg_mock_free(m);
	pvecg_buf_free(&cert);
	pvecg_buf_free(&key);
	return rc;
}
