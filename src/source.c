/* source: the one decision "URL or local path" and the host URL -> API
 * viewer mapping, shared by the CLI, $PROXMOX_URL, serve and the loader.
 *
 * libcurl accepts several spellings that a naive "contains ://" test
 * takes for paths ("https:/host", "https:host", " https://host"); a
 * loader that opened those as files would let a remote client read local
 * files. Here any scheme-like start makes a URL, and a URL must then have
 * the one exact form before the guard looks at it. */
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pvecg/source.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"

/* Characters a browser drops anywhere in a URL. */
static int
ignorable(char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

/* Length of the scheme at s (before ':'), ignoring tabs and newlines, or 0. */
static size_t
scheme_end(const char *s)
{
	size_t i = 0, n = 0;

	for (;; i++) {
		char c = s[i];

		if (ignorable(c))
			continue;
		if (c == ':')
			return n > 0 ? i : 0;
		if (n == 0 ? !isalpha((unsigned char)c)
		           : !(isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.'))
			return 0;
		n++;
	}
}

enum pvecg_source_kind
pvecg_source_classify(const char *s)
{
	if (s == NULL)
		return PVECG_SOURCE_PATH;
	if (strncmp(s, "file://", 7) == 0)
		return PVECG_SOURCE_FILE_URL;
	while (*s != '\0' && (unsigned char)*s <= 0x20)
		s++;
	return scheme_end(s) > 0 ? PVECG_SOURCE_URL : PVECG_SOURCE_PATH;
}

int
pvecg_source_check_url(const char *url, const pvecg_fetch_policy *p, pvecg_error *err)
{
	char where[512];
	size_t n;

	if (url == NULL || url[0] == '\0')
		return pvecg_error_set(err, PVECG_EPOLICY, "", "the URL is empty");
	pvecg_urlguard_redact(where, sizeof(where), url);
	n = isalpha((unsigned char)url[0]) ? scheme_end(url) : 0;
	if (n == 0 || strcspn(url, "\t\n\r") < n)
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "not a URL of the form scheme://host/path");
	if (strncmp(url + n, "://", 3) != 0 || url[n + 3] == '/' || url[n + 3] == '\\')
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "malformed URL: expected exactly two slashes after \"%.*s:\"",
		    (int)(n < 16 ? n : 16), url);
	return pvecg_urlguard_check_url(url, p, err);
}

/* Parsed URL or NULL. */
static CURLU *
parse(const char *url)
{
	CURLU *u = curl_url();

	if (u != NULL &&
	    (url == NULL ||
	        curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)) {
		curl_url_cleanup(u);
		u = NULL;
	}
	return u;
}

bool
pvecg_source_is_host_url(const char *url)
{
	const char *rest;
	size_t n;

	if (pvecg_source_classify(url) != PVECG_SOURCE_URL)
		return false;
	n = scheme_end(url);
	if (n == 0 || strncmp(url + n, "://", 3) != 0)
		return false;
	rest = url + n + 3;
	rest += strcspn(rest, "/?#");
	return rest[0] == '\0' || strcmp(rest, "/") == 0;
}

int
pvecg_source_viewer_url(char **out, const char *url, const pvecg_product *pr, pvecg_error *err)
{
	char *scheme = NULL, *host = NULL, *port = NULL, where[512];
	pvecg_buf b = PVECG_BUF_INIT;
	CURLU *u = NULL;
	int rc = 0;

	*out = NULL;
	pvecg_urlguard_redact(where, sizeof(where), url);
	if (!pvecg_source_is_host_url(url) || pr == NULL) {
		*out = pvecg_strdup(url);
		return *out ? 0 : pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	}
	u = parse(url);
	if (u == NULL || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		rc = pvecg_error_set(err, PVECG_EPOLICY, where, "not a valid URL");
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	if ((port ? pvecg_buf_printf(&b, "%s://%s:%s%s", scheme, host, port, pr->viewer_path)
	          : pvecg_buf_printf(
	                &b, "%s://%s:%d%s", scheme, host, pr->port, pr->viewer_path)) != 0) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		goto out;
	}
	*out = b.data;
	b.data = NULL;
out:
	pvecg_buf_free(&b);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* The parts of an origin, as libcurl returns them. */
struct origin {
	char *scheme, *host, *port;
};

static void
origin_free(struct origin *o)
{
	curl_free(o->scheme);
	curl_free(o->host);
	curl_free(o->port);
	memset(o, 0, sizeof(*o));
}

/* Scheme, host and port (the scheme's default filled in) of url, parsed
 * once; -1 when url is not an absolute URL with a host. */
PVECG_NODISCARD static int
origin_parts(struct origin *o, const char *url)
{
	CURLU *u = parse(url);
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (u != NULL && curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    o->host[0] != '\0')
		rc = 0;
	curl_url_cleanup(u);
	if (rc != 0)
		origin_free(o);
	return rc;
}

int
pvecg_source_origin(char **out, const char *url, pvecg_error *err)
{
	struct origin o;
	pvecg_buf b = PVECG_BUF_INIT;
	char where[512], *s;

	*out = NULL;
	pvecg_urlguard_redact(where, sizeof(where), url);
	if (origin_parts(&o, url) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, where, "not an absolute URL with a host");
	if (pvecg_buf_printf(&b, "%s://%s:%s", o.scheme, o.host, o.port) != 0) {
		origin_free(&o);
		pvecg_buf_free(&b);
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	}
	origin_free(&o);
	for (s = b.data; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	*out = b.data;
	return 0;
}

/* Each URL is parsed once and the parts compared as they are: no origin
 * strings are built. */
bool
pvecg_source_same_origin(const char *a, const char *b)
{
	struct origin oa, ob;
	bool same;

	if (a == NULL || b == NULL || origin_parts(&oa, a) != 0)
		return false;
	if (origin_parts(&ob, b) != 0) {
		origin_free(&oa);
		return false;
	}
	same = strcasecmp(oa.scheme, ob.scheme) == 0 && strcasecmp(oa.host, ob.host) == 0 &&
	    strcasecmp(oa.port, ob.port) == 0;
	origin_free(&oa);
	origin_free(&ob);
	return same;
}

const pvecg_product *
pvecg_source_product_of(const char *url)
{
	const pvecg_product *found = NULL;
	char *path = NULL, *port = NULL;
	CURLU *u = parse(url);
	size_t i, hits = 0;

	if (u == NULL || curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	for (i = 0; i < pvecg_n_products; i++) {
		const pvecg_product *pr = &pvecg_products[i];
		size_t n = strlen(pr->viewer_path) - 1; /* without the last '/' */

		if (strncmp(path, pr->viewer_path, n) != 0 || (path[n] != '\0' && path[n] != '/'))
			continue;
		hits++;
		if (found == NULL || (port && atoi(port) == pr->port))
			found = pr;
	}
	if (hits > 1 && !(port && atoi(port) == found->port))
		found = NULL;
out:
	curl_free(path);
	curl_free(port);
	curl_url_cleanup(u);
	return found;
}
