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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pvecg/fetch.h"
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
		return pvecg_error_set(err, PVECG_EINTERNAL, "libcurl",
		    "initialisation failed: %s", curl_easy_strerror(rc));
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
	const char *where;      /* redacted URL */
	pvecg_buf *body;
	pvecg_error guard;      /* set by the socket callback */
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
	if (pvecg_urlguard_check_addr(&a->addr, x->p->allow_private_network,
	    x->where, &e) != 0) {
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
progress_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
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
		fprintf(stderr, "\r\033[Kfetching %.200s: %" CURL_FORMAT_CURL_OFF_T
		    " / %" CURL_FORMAT_CURL_OFF_T " bytes", x->where, dlnow, dltotal);
	else
		fprintf(stderr, "\r\033[Kfetching %.200s: %" CURL_FORMAT_CURL_OFF_T
		    " bytes", x->where, dlnow);
	fflush(stderr);
	return 0;
}

static void
progress_clear(struct xfer *x)
{
	if (!x->progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	x->progress_shown = false;
}

/* Same scheme, host and port: the API token may go there. */
static bool
same_origin(const char *a, const char *b)
{
	static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
	    CURLUPART_PORT };
	CURLU *ua = curl_url(), *ub = curl_url();
	bool same = false;
	size_t i;

	if (ua == NULL || ub == NULL ||
	    curl_url_set(ua, CURLUPART_URL, a, 0) != CURLUE_OK ||
	    curl_url_set(ub, CURLUPART_URL, b, 0) != CURLUE_OK)
		goto out;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *sa = NULL, *sb = NULL;
		bool eq;

		curl_url_get(ua, parts[i], &sa, CURLU_DEFAULT_PORT);
		curl_url_get(ub, parts[i], &sb, CURLU_DEFAULT_PORT);
		eq = sa != NULL && sb != NULL && strcasecmp(sa, sb) == 0;
		curl_free(sa);
		curl_free(sb);
		if (!eq)
			goto out;
	}
	same = true;
out:
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/* Headers and pins for one hop; freed by the caller with curl_slist_free_all. */
static int
build_lists(struct curl_slist **headers, struct curl_slist **pins,
    const pvecg_fetch_policy *p, bool send_token, const char *where,
    pvecg_error *err)
{
	struct curl_slist *n;
	size_t i;

	*headers = *pins = NULL;
	if (send_token && p->api_token != NULL) {
		pvecg_buf h = PVECG_BUF_INIT;
		const char *s;

		/* A CR/LF in the token would inject headers. */
		for (s = p->api_token; *s; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				return pvecg_error_set(err, PVECG_EUSAGE, "--api-token",
				    "the API token contains control characters");
		if (pvecg_buf_printf(&h, "Authorization: PVEAPIToken=%s",
		    p->api_token) != 0)
			return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		n = curl_slist_append(NULL, h.data);
		/* The token must not linger in freed memory longer than needed. */
		memset(h.data, 0, h.len);
		pvecg_buf_free(&h);
		if (n == NULL)
			return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		*headers = n;
	}
	for (i = 0; i < p->n_resolve; i++) {
		n = curl_slist_append(*pins, p->resolve[i]);
		if (n == NULL)
			return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		*pins = n;
	}
	return 0;
}

static int
set_options(CURL *h, const char *url, const pvecg_fetch_policy *p,
    struct xfer *x, struct curl_slist *headers, struct curl_slist *pins,
    char *errbuf)
{
	const char *protos = p->allow_http ? "https,http" : "https";
	CURLcode rc = CURLE_OK;

#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(h, opt, val); } while (0)
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
	SET(CURLOPT_SSL_VERIFYPEER, p->insecure ? 0L : 1L);
	SET(CURLOPT_SSL_VERIFYHOST, p->insecure ? 0L : 2L);
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
	if (p->progress) {
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
static int
transfer_error(const struct xfer *x, CURLcode rc, const char *errbuf,
    pvecg_error *err)
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
		    "(use --max-size to raise it)", p->max_size);
	if (x->oom)
		return pvecg_error_set(err, PVECG_ENOMEM, x->where, "out of memory");
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return pvecg_error_set(err, PVECG_ELIMIT, x->where,
		    "timed out: %s (limits: connect %lds, total %lds, stall %lds)",
		    detail, p->connect_timeout_s, p->timeout_s, p->stall_timeout_s);
	if (rc == CURLE_SSL_CACERT_BADFILE)
		return pvecg_error_set(err, PVECG_ENET, x->where,
		    "cannot use the CA bundle %s: %s", p->cacert ? p->cacert :
		    "(system store)", detail);
	if (tls_error(rc))
		return pvecg_error_set(err, PVECG_ENET, x->where,
		    "TLS certificate verification failed: %s (use --cacert FILE)",
		    detail);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return pvecg_error_set(err, PVECG_EPOLICY, x->where,
		    "protocol refused: %s", detail);
	return pvecg_error_set(err, PVECG_ENET, x->where, "transfer failed: %s",
	    detail);
}

/* Raw Location header of the last answer, or NULL. Caller frees. */
static char *
location_of(CURL *h)
{
	struct curl_header *hd = NULL;

	if (curl_easy_header(h, "Location", 0, CURLH_HEADER, -1, &hd) != CURLHE_OK ||
	    hd == NULL || hd->value == NULL)
		return NULL;
	return pvecg_strdup(hd->value);
}

/* One GET. On success *status is the HTTP status and *location the raw
 * Location (3xx only, caller frees). */
static int
fetch_once(pvecg_buf *body, long *status, char **location, const char *url,
    const pvecg_fetch_policy *p, bool send_token, pvecg_error *err)
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
	ret = build_lists(&headers, &pins, p, send_token, where, err);
	if (ret != 0)
		goto out;
	h = curl_easy_init();
	if (h == NULL || set_options(h, url, p, &x, headers, pins, errbuf) != 0) {
		ret = pvecg_error_set(err, PVECG_EINTERNAL, where,
		    "cannot set up libcurl");
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
static int
resolve_location(char **out, const char *base, const char *loc,
    const char *where, pvecg_error *err)
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
		ret = pvecg_error_set(err, PVECG_EPOLICY, where,
		    "redirect to an invalid Location %s", lw);
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
static int
next_hop(char **next, const char *cur, long status, const char *loc,
    const pvecg_fetch_policy *p, int hop, pvecg_error *err)
{
	char where[512], lw[512];
	pvecg_error g;
	int rc;

	*next = NULL;
	pvecg_urlguard_redact(where, sizeof(where), cur);
	if (loc == NULL)
		return pvecg_error_set(err, PVECG_ENET, where,
		    "HTTP %ld redirect without a Location", status);
	pvecg_urlguard_redact(lw, sizeof(lw), loc);
	if (!p->follow_redirects)
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "HTTP %ld redirect to %s refused (use --follow-redirects to follow)",
		    status, lw);
	if (hop >= MAX_HOPS)
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "too many redirects (more than %d), last to %s", MAX_HOPS, lw);
	rc = resolve_location(next, cur, loc, where, err);
	if (rc != 0)
		return rc;
	pvecg_error_clear(&g);
	if (pvecg_urlguard_check_url(*next, p, &g) != 0) {
		/* Name the hop that pointed there, then the refusal. */
		pvecg_error_set(err, g.code, where, "redirect to %s refused: %s",
		    g.where, g.message);
		free(*next);
		*next = NULL;
		return g.code;
	}
	return 0;
}

int
pvecg_fetch(pvecg_buf *body, const char *url, const pvecg_fetch_policy *p,
    pvecg_error *err)
{
	char *cur = NULL, *loc = NULL, *next = NULL, where[512];
	long status = 0;
	int hop, ret;

	ret = pvecg_urlguard_check_url(url, p, err);
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
		ret = fetch_once(body, &status, &loc, cur, p, same_origin(url, cur), err);
		if (ret != 0)
			goto out;
		if (status < 300 || status >= 400)
			break;
		ret = next_hop(&next, cur, status, loc, p, hop, err);
		free(loc);
		loc = NULL;
		if (ret != 0)
			goto out;
		free(cur);
		cur = next;
		next = NULL;
	}
	pvecg_urlguard_redact(where, sizeof(where), cur);
	if (status >= 400)
		ret = pvecg_error_set(err, PVECG_ENET, where, "HTTP %ld", status);
	else if (status < 200)
		ret = pvecg_error_set(err, PVECG_ENET, where,
		    "unexpected HTTP status %ld", status);
out:
	if (ret != 0)
		pvecg_buf_free(body);
	free(loc);
	free(cur);
	return ret;
}
