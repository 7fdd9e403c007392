/* fetch: one GET with libcurl under the URL guard.
 *
 * The guard runs three times per hop: on the URL text (scheme, userinfo,
 * host spelling, domain list), and in CURLOPT_OPENSOCKETFUNCTION on every
 * address curl is about to connect to. That last check sees the address
 * that is really used (after DNS, after --resolve pins), so DNS rebinding
 * and pinned private addresses are refused before connect(): no byte
 * reaches the server. Redirects are never followed by curl; with
 * follow_redirects we follow them here, re-running the guard per hop. */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pvecg/fetch.h"
#include "pvecg/source.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"

#define MAX_HOPS 5

void
pvecg_fetch_policy_init(pvecg_fetch_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->connect_timeout_s = 10;
	p->timeout_s = 60;
	p->stall_timeout_s = 15;
	p->max_size = (size_t)64 * 1024 * 1024;
}

int
pvecg_fetch_global_init(pvecg_error *err)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK)
		return pvecg_error_set(err, PVECG_EINTERNAL, "libcurl", "initialisation failed: %s",
		    curl_easy_strerror(rc));
	return 0;
}

void
pvecg_fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

/* Everything one transfer's callbacks need; lives on pvecg_fetch's stack. */
struct xfer {
	const pvecg_fetch_policy *p;
	const char *where; /* redacted URL */
	pvecg_buf *body;
	pvecg_error guard; /* set by the socket callback */
	bool refused;
	bool too_big;
	bool oom;
	bool progress_shown;
	double last_progress;
	curl_off_t last_bytes;
};

static curl_socket_t
open_socket_cb(void *userp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer *x = userp;
	pvecg_error e;

	(void)purpose;
	/* Once one address was refused the run fails; refuse the rest too so
	 * curl does not go on to another address of the same host. */
	if (x->refused)
		return CURL_SOCKET_BAD;
	pvecg_error_clear(&e);
	if (pvecg_urlguard_check_addr(&a->addr, x->p->allow_private_network, x->where, &e) != 0) {
		x->guard = e;
		x->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;

	if (n > x->p->max_size || x->body->len > x->p->max_size - n) {
		x->too_big = true;
		return 0;
	}
	if (pvecg_buf_append(x->body, data, n) != 0) {
		x->oom = true;
		return 0;
	}
	return n;
}

static int
progress_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = userp;
	double now = pvecg_now();

	(void)ultotal;
	(void)ulnow;
	/* Redraw at most 5 times a second, and once more at the end. */
	if (dlnow == 0 || dlnow == x->last_bytes ||
	    (x->progress_shown && now - x->last_progress < 0.2 && dlnow != dltotal))
		return 0;
	x->last_progress = now;
	x->last_bytes = dlnow;
	x->progress_shown = true;
	if (dltotal > 0)
		fprintf(x->p->progress,
		    "\r\033[Kfetching %.200s: %" CURL_FORMAT_CURL_OFF_T
		    " / %" CURL_FORMAT_CURL_OFF_T " bytes",
		    x->where, dlnow, dltotal);
	else
		fprintf(x->p->progress,
		    "\r\033[Kfetching %.200s: %" CURL_FORMAT_CURL_OFF_T " bytes", x->where, dlnow);
	fflush(x->p->progress);
	return 0;
}

static void
progress_clear(struct xfer *x)
{
	if (!x->progress_shown)
		return;
	fputs("\r\033[K", x->p->progress);
	fflush(x->p->progress);
	x->progress_shown = false;
}

/* A header value may not hold CR/LF (header injection) or controls. */
PVECG_NODISCARD static int
check_header_value(const char *v, const char *what, pvecg_error *err)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return pvecg_error_set(
			    err, PVECG_EUSAGE, what, "the %s contains control characters", what);
	return 0;
}

/* "Name: value" appended; the text is wiped from the scratch buffer. */
static int __attribute__((format(printf, 4, 5)))
add_header(struct curl_slist **list, const char *where, pvecg_error *err, const char *fmt, ...)
{
	struct curl_slist *n = NULL;
	va_list ap, aq;
	char *h = NULL;
	int len;

	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	if (len >= 0 && (h = malloc((size_t)len + 1)) != NULL) {
		vsnprintf(h, (size_t)len + 1, fmt, aq);
		n = curl_slist_append(*list, h);
		memset(h, 0, (size_t)len);
	}
	va_end(aq);
	va_end(ap);
	free(h);
	if (n == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	*list = n;
	return 0;
}

/* The token in the product's spelling: TOKENID and SECRET joined by sep. */
PVECG_NODISCARD static int
add_token(
    struct curl_slist **list, const pvecg_fetch_policy *p, const char *where, pvecg_error *err)
{
	const char *prefix = p->token_prefix ? p->token_prefix : "PVEAPIToken=";
	const char *bang = strchr(p->api_token, '!');
	size_t cut = bang ? (size_t)(bang - p->api_token) + strcspn(bang, "=:")
	                  : strlen(p->api_token);
	int rc;

	rc = check_header_value(p->api_token, "API token", err);
	if (rc != 0)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, "--api-token", "the API token contains control characters");
	if (p->token_sep == 0 || p->api_token[cut] == '\0')
		return add_header(list, where, err, "Authorization: %s%s", prefix, p->api_token);
	return add_header(list, where, err, "Authorization: %s%.*s%c%s", prefix, (int)cut,
	    p->api_token, p->token_sep, p->api_token + cut + 1);
}

/* Headers and pins for one hop; freed by the caller with curl_slist_free_all.
 * Credentials only when send_creds (the hop is on the credentials' origin). */
PVECG_NODISCARD static int
build_lists(struct curl_slist **headers, struct curl_slist **pins, const pvecg_fetch_policy *p,
    bool send_creds, bool post, const char *where, pvecg_error *err)
{
	struct curl_slist *n;
	size_t i;
	int rc = 0;

	*headers = *pins = NULL;
	if (send_creds && p->api_token != NULL)
		rc = add_token(headers, p, where, err);
	if (rc == 0 && send_creds && p->ticket_cookie != NULL &&
	    (rc = check_header_value(p->ticket_cookie, "ticket", err)) == 0)
		rc = add_header(headers, where, err, "Cookie: %s", p->ticket_cookie);
	if (rc == 0 && send_creds && post && p->csrf_token != NULL &&
	    (rc = check_header_value(p->csrf_token, "CSRF token", err)) == 0)
		rc = add_header(headers, where, err, "CSRFPreventionToken: %s", p->csrf_token);
	if (rc != 0)
		return rc;
	for (i = 0; i < p->n_resolve; i++) {
		n = curl_slist_append(*pins, p->resolve[i]);
		if (n == NULL)
			return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		*pins = n;
	}
	return 0;
}

static int
set_options(CURL *h, const char *url, const pvecg_fetch_policy *p, struct xfer *x,
    struct curl_slist *headers, struct curl_slist *pins, const char *post_form, char *errbuf)
{
	/* A pinned key replaces the CA check unless --cacert is given too. */
	bool verify = !p->insecure && (p->pinned_pubkey == NULL || p->cacert != NULL);

	const char *protos = p->allow_http ? "https,http" : "https";
	CURLcode rc = CURLE_OK;

#define SET(opt, val) \
	do { \
		if (rc == CURLE_OK) \
			rc = curl_easy_setopt(h, opt, val); \
	} while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, protos);
	SET(CURLOPT_REDIR_PROTOCOLS_STR, protos);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	/* A proxy would hide the real destination from the socket check. */
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_USERAGENT, "proxmox-sdk-codegen/" PVECG_VERSION);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_CONNECTTIMEOUT, p->connect_timeout_s);
	SET(CURLOPT_TIMEOUT, p->timeout_s);
	if (p->stall_timeout_s > 0) {
		SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
		SET(CURLOPT_LOW_SPEED_TIME, p->stall_timeout_s);
	}
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)p->max_size);
	SET(CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
	SET(CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
	if (p->pinned_pubkey != NULL)
		SET(CURLOPT_PINNEDPUBLICKEY, p->pinned_pubkey);
	if (post_form != NULL) {
		SET(CURLOPT_POSTFIELDS, post_form);
		SET(CURLOPT_POSTFIELDSIZE, (long)strlen(post_form));
	}
	if (p->cacert != NULL)
		SET(CURLOPT_CAINFO, p->cacert);
	if (headers != NULL)
		SET(CURLOPT_HTTPHEADER, headers);
	if (pins != NULL)
		SET(CURLOPT_RESOLVE, pins);
	SET(CURLOPT_OPENSOCKETFUNCTION, open_socket_cb);
	SET(CURLOPT_OPENSOCKETDATA, x);
	SET(CURLOPT_WRITEFUNCTION, write_cb);
	SET(CURLOPT_WRITEDATA, x);
	if (p->progress != NULL) {
		SET(CURLOPT_XFERINFOFUNCTION, progress_cb);
		SET(CURLOPT_XFERINFODATA, x);
		SET(CURLOPT_NOPROGRESS, 0L);
	}
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

static bool
tls_error(CURLcode rc)
{
	return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_ISSUER_ERROR ||
	    rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || rc == CURLE_SSL_INVALIDCERTSTATUS;
}

/* Turns a failed curl_easy_perform into one error line. */
PVECG_NODISCARD static int
transfer_error(const struct xfer *x, CURLcode rc, const char *errbuf, pvecg_error *err)
{
	const pvecg_fetch_policy *p = x->p;
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	if (x->refused) {
		if (err != NULL)
			*err = x->guard;
		return x->guard.code;
	}
	if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return pvecg_error_set(err, PVECG_ELIMIT, x->where,
		    "response is larger than the size limit of %zu bytes "
		    "(use --max-size to raise it)",
		    p->max_size);
	if (x->oom)
		return pvecg_error_set(err, PVECG_ENOMEM, x->where, "out of memory");
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return pvecg_error_set(err, PVECG_ELIMIT, x->where,
		    "timed out: %s (limits: connect %lds, total %lds, stall %lds)", detail,
		    p->connect_timeout_s, p->timeout_s, p->stall_timeout_s);
	if (rc == CURLE_SSL_CACERT_BADFILE)
		return pvecg_error_set(err, PVECG_ENET, x->where, "cannot use the CA bundle %s: %s",
		    p->cacert ? p->cacert : "(system store)", detail);
	if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return pvecg_error_set(err, PVECG_ENET, x->where,
		    "the server's public key does not match --pinned-pubkey; "
		    "nothing was sent");
	if (tls_error(rc))
		return pvecg_error_set(err, PVECG_ENET, x->where,
		    "TLS certificate verification failed: %s (use --cacert FILE)", detail);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return pvecg_error_set(
		    err, PVECG_EPOLICY, x->where, "protocol refused: %s", detail);
	return pvecg_error_set(err, PVECG_ENET, x->where, "transfer failed: %s", detail);
}

/* Raw Location header of the last answer, or NULL. Caller frees. */
static char *
location_of(CURL *h)
{
	struct curl_header *hd = NULL;

	if (curl_easy_header(h, "Location", 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || hd == NULL ||
	    hd->value == NULL)
		return NULL;
	return pvecg_strdup(hd->value);
}

/* One GET. On success *status is the HTTP status and *location the raw
 * Location (3xx only, caller frees). */
PVECG_NODISCARD static int
fetch_once(pvecg_buf *body, long *status, char **location, const char *url,
    const pvecg_fetch_policy *p, const char *post_form, pvecg_error *err)
{
	char errbuf[CURL_ERROR_SIZE] = "", where[512];
	struct curl_slist *headers = NULL, *pins = NULL;
	struct xfer x;
	CURL *h = NULL;
	CURLcode rc;
	int ret;

	*status = 0;
	*location = NULL;
	pvecg_urlguard_redact(where, sizeof(where), url);
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.where = where;
	x.body = body;
	ret = build_lists(&headers, &pins, p, pvecg_source_same_origin(p->cred_origin, url),
	    post_form != NULL, where, err);
	if (ret != 0)
		goto out;
	h = curl_easy_init();
	if (h == NULL || set_options(h, url, p, &x, headers, pins, post_form, errbuf) != 0) {
		ret = pvecg_error_set(err, PVECG_EINTERNAL, where, "cannot set up libcurl");
		goto out;
	}
	rc = curl_easy_perform(h);
	progress_clear(&x);
	if (rc != CURLE_OK) {
		ret = transfer_error(&x, rc, errbuf, err);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (*status >= 300 && *status < 400)
		*location = location_of(h);
	ret = 0;
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	curl_slist_free_all(pins);
	return ret;
}

/* Absolute URL of a (possibly relative) Location against base. */
PVECG_NODISCARD static int
resolve_location(char **out, const char *base, const char *loc, const char *where, pvecg_error *err)
{
	CURLU *u = curl_url();
	char *s = NULL;
	int ret = 0;

	*out = NULL;
	if (u == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, loc, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK) {
		char lw[512];

		pvecg_urlguard_redact(lw, sizeof(lw), loc);
		ret = pvecg_error_set(
		    err, PVECG_EPOLICY, where, "redirect to an invalid Location %s", lw);
		goto out;
	}
	*out = pvecg_strdup(s);
	if (*out == NULL)
		ret = pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
out:
	curl_free(s);
	curl_url_cleanup(u);
	return ret;
}

/* A 3xx answer: either an error naming Location or the next URL. */
PVECG_NODISCARD static int
next_hop(char **next, const char *cur, long status, const char *loc, const pvecg_fetch_policy *p,
    int hop, pvecg_error *err)
{
	char where[512], lw[512];
	pvecg_error g;
	int rc;

	*next = NULL;
	pvecg_urlguard_redact(where, sizeof(where), cur);
	if (loc == NULL)
		return pvecg_error_set(
		    err, PVECG_ENET, where, "HTTP %ld redirect without a Location", status);
	pvecg_urlguard_redact(lw, sizeof(lw), loc);
	if (!p->follow_redirects)
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "HTTP %ld redirect to %s refused (use --follow-redirects to follow)", status,
		    lw);
	if (hop >= MAX_HOPS)
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "too many redirects (more than %d), last to %s", MAX_HOPS, lw);
	rc = resolve_location(next, cur, loc, where, err);
	if (rc != 0)
		return rc;
	pvecg_error_clear(&g);
	if (pvecg_urlguard_check_url(*next, p, &g) != 0) {
		/* Name the hop that pointed there, then the refusal. */
		pvecg_error_set(
		    err, g.code, where, "redirect to %s refused: %s", g.where, g.message);
		free(*next);
		*next = NULL;
		return g.code;
	}
	return 0;
}

int
pvecg_fetch_req_run(pvecg_buf *body, const char *url, const pvecg_fetch_policy *p,
    pvecg_fetch_req *req, pvecg_error *err)
{
	char *cur = NULL, *loc = NULL, *next = NULL, where[512];
	long status = 0;
	int hop, ret;

	req->status = 0;
	req->final_url = NULL;
	ret = pvecg_source_check_url(url, p, err);
	if (ret != 0)
		return ret;
	cur = pvecg_strdup(url);
	if (cur == NULL) {
		pvecg_urlguard_redact(where, sizeof(where), url);
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	}
	for (hop = 0;; hop++) {
		body->len = 0;
		if (body->data != NULL)
			body->data[0] = '\0';
		/* Credentials are decided per hop against cred_origin, never
		 * against the URL that led here. */
		ret = fetch_once(body, &status, &loc, cur, p, req->post_form, err);
		if (ret != 0)
			goto out;
		if (status < 300 || status >= 400)
			break;
		if (req->post_form != NULL) {
			pvecg_urlguard_redact(where, sizeof(where), cur);
			ret = pvecg_error_set(
			    err, PVECG_ENET, where, "HTTP %ld redirect of a POST refused", status);
			goto out;
		}
		ret = next_hop(&next, cur, status, loc, p, hop, err);
		free(loc);
		loc = NULL;
		if (ret != 0)
			goto out;
		free(cur);
		cur = next;
		next = NULL;
	}
	req->status = status;
	pvecg_urlguard_redact(where, sizeof(where), cur);
	if (status >= 400 && !req->keep_status)
		ret = pvecg_error_set(err, PVECG_ENET, where, "HTTP %ld", status);
	else if (status < 200)
		ret = pvecg_error_set(err, PVECG_ENET, where, "unexpected HTTP status %ld", status);
out:
	if (ret != 0)
		pvecg_buf_free(body);
	free(loc);
	if (ret == 0)
		req->final_url = cur;
	else
		free(cur);
	return ret;
}

int
pvecg_fetch(pvecg_buf *body, const char *url, const pvecg_fetch_policy *p, pvecg_error *err)
{
	pvecg_fetch_req req = { NULL, false, 0, NULL };
	int rc = pvecg_fetch_req_run(body, url, p, &req, err);

	free(req.final_url);
	return rc;
}
