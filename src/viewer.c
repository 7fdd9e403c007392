/* viewer: the API Viewer HTML page -> the schema/viewer script URLs.
 *
 * The page loads ExtJS (ext-all.js, charts, locale and theme files) and
 * then the scripts that hold the schema. We keep the latter, in page
 * order, resolved against the page's URL (libcurl's URL API, so the
 * resolution follows RFC 3986 exactly like a browser) or, for a page
 * read from disk, against the page's directory. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "pvecg/buf.h"
#include "pvecg/util.h"
#include "pvecg/source.h"
#include "pvecg/viewer.h"

int
pvecg_viewer_is_html(const char *data, size_t len)
{
	static const char *const starts[] = { "<!doctype", "<html", "<head", "<script" };
	size_t i = 0, k, n;

	if (data == NULL)
		return 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	for (k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
		n = strlen(starts[k]);
		if (len - i >= n && strncasecmp(data + i, starts[k], n) == 0)
			return 1;
	}
	return 0;
}

/* The base (or a src) is a URL, not a path: the one classifier decides. */
static int
has_scheme(const char *s)
{
	return pvecg_source_classify(s) == PVECG_SOURCE_URL;
}

/* The path part of a src, without query or fragment, lower-cased. */
static char *
src_path_lower(const char *src)
{
	size_t n = strcspn(src, "?#"), i;
	char *p = pvecg_strndup(src, n);

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

/* "extjs", "ext6", "ext4", "ext-6.0.1", "sencha-touch": an ExtJS folder. */
static int
is_ext_dir(const char *seg, size_t n)
{
	size_t i;

	if ((n == 5 && memcmp(seg, "extjs", 5) == 0) || (n >= 6 && memcmp(seg, "sencha", 6) == 0))
		return 1;
	if (n < 3 || memcmp(seg, "ext", 3) != 0)
		return 0;
	if (n == 3)
		return 1;
	for (i = 3; i < n; i++)
		if (!isdigit((unsigned char)seg[i]) && seg[i] != '.' && seg[i] != '-')
			return 0;
	return 1;
}

/* True for the ExtJS library and its companions (charts, locale, theme),
 * which never hold the schema and would only cost time in the runner. */
static int
is_extjs(const char *src)
{
	char *p = src_path_lower(src);
	const char *seg, *base, *slash;
	int ext = 0;

	if (p == NULL)
		return 0;
	base = strrchr(p, '/');
	base = base ? base + 1 : p;
	if (strncmp(base, "ext-", 4) == 0 || strncmp(base, "extjs", 5) == 0)
		ext = 1;
	for (seg = p; !ext && seg < base; seg = slash + 1) {
		slash = strchr(seg, '/');
		if (slash == NULL)
			break;
		if (is_ext_dir(seg, (size_t)(slash - seg)))
			ext = 1;
	}
	free(p);
	return ext;
}

/* src resolved against a base URL, the way a browser does it. */
PVECG_NODISCARD static int
resolve_url(char **out, const char *base, const char *src, pvecg_error *err)
{
	CURLU *u = curl_url();
	char *s = NULL;
	int rc = 0;

	*out = NULL;
	if (u == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		rc = pvecg_error_set(err, PVECG_EINPUT, base, "not a valid URL");
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, src, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK) {
		rc = pvecg_error_set(err, PVECG_EINPUT, base,
		    "script src \"%.200s\" does not resolve to a URL", src);
		goto out;
	}
	*out = pvecg_strdup(s);
	if (*out == NULL)
		rc = pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
out:
	curl_free(s);
	curl_url_cleanup(u);
	return rc;
}

/* src relative to the directory of a page read from disk. Absolute URLs
 * and paths are returned as written; the caller's URL guard decides. */
PVECG_NODISCARD static int
resolve_path(char **out, const char *base, const char *src, pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	const char *slash = strrchr(base, '/');
	size_t n = strcspn(src, "?#");

	if (has_scheme(src) || src[0] == '/') {
		*out = pvecg_strdup(src);
	} else {
		if (slash != NULL && pvecg_buf_append(&b, base, (size_t)(slash - base) + 1) != 0)
			goto nomem;
		if (pvecg_buf_append(&b, src, n) != 0)
			goto nomem;
		*out = pvecg_buf_steal(&b, NULL);
	}
	if (*out == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
	return 0;
nomem:
	pvecg_buf_free(&b);
	*out = NULL;
	return pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
}

PVECG_NODISCARD static int
page_add(pvecg_viewer_page *page, char *url, const char *base, pvecg_error *err)
{
	char **p = realloc(page->scripts, (page->n_scripts + 1) * sizeof(*p));

	if (p == NULL) {
		free(url);
		return pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
	}
	page->scripts = p;
	page->scripts[page->n_scripts++] = url;
	return 0;
}

PVECG_NODISCARD static int
add_script(pvecg_viewer_page *page, const char *src, const char *base, pvecg_error *err)
{
	char *url = NULL;
	int rc;

	while (isspace((unsigned char)*src))
		src++;
	if (*src == '\0' || is_extjs(src))
		return 0;
	rc = has_scheme(base) ? resolve_url(&url, base, src, err)
	                      : resolve_path(&url, base, src, err);
	if (rc != 0)
		return rc;
	return page_add(page, url, base, err);
}

PVECG_NODISCARD static int
set_title(pvecg_viewer_page *page, xmlNode *node, const char *base, pvecg_error *err)
{
	xmlChar *t;
	const char *s;
	size_t n;

	if (page->title != NULL)
		return 0;
	t = xmlNodeGetContent(node);
	if (t == NULL)
		return 0;
	s = (const char *)t;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	page->title = pvecg_strndup(s, n);
	xmlFree(t);
	if (page->title == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, base, "out of memory");
	return 0;
}

/* Document order: pre-order walk. Iterative over siblings, recursive over
 * children; libxml2 caps the tree depth (256 without HTML_PARSE_HUGE). */
PVECG_NODISCARD static int
walk(pvecg_viewer_page *page, xmlNode *node, const char *base, pvecg_error *err)
{
	xmlChar *src;
	int rc;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcasecmp(node->name, BAD_CAST "title") == 0) {
			if ((rc = set_title(page, node, base, err)) != 0)
				return rc;
		} else if (xmlStrcasecmp(node->name, BAD_CAST "script") == 0) {
			src = xmlGetProp(node, BAD_CAST "src");
			if (src != NULL) {
				rc = add_script(page, (const char *)src, base, err);
				xmlFree(src);
				if (rc != 0)
					return rc;
			}
		}
		if ((rc = walk(page, node->children, base, err)) != 0)
			return rc;
	}
	return 0;
}

int
pvecg_viewer_parse(
    pvecg_viewer_page *out, const char *html, size_t len, const char *base, pvecg_error *err)
{
	htmlDocPtr doc;
	int rc;

	memset(out, 0, sizeof(*out));
	if (base == NULL)
		base = "";
	if (len > INT_MAX)
		return pvecg_error_set(err, PVECG_ELIMIT, base, "viewer page is too large");
	doc = htmlReadMemory(html, (int)len, base, NULL,
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	if (doc == NULL)
		return pvecg_error_set(err, PVECG_EINPUT, base, "the viewer page is not HTML");
	rc = walk(out, xmlDocGetRootElement(doc), base, err);
	xmlFreeDoc(doc);
	if (rc == 0 && out->n_scripts == 0)
		rc = pvecg_error_set(
		    err, PVECG_EINPUT, base, "no schema script found in the viewer page");
	if (rc != 0)
		pvecg_viewer_page_free(out);
	return rc;
}

void
pvecg_viewer_page_free(pvecg_viewer_page *page)
{
	size_t i;

	if (page == NULL)
		return;
	for (i = 0; i < page->n_scripts; i++)
		free(page->scripts[i]);
	free(page->scripts);
	free(page->title);
	memset(page, 0, sizeof(*page));
}
