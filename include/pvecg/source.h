/* source: what a source string is (URL or local path), and where a host
 * URL's API viewer lives. Every entry point (--source, $PROXMOX_URL,
 * serve's proxmox_url, the input loader, the URL guard) asks here, so no
 * two parsers can disagree about the same string. */
#ifndef PVECG_SOURCE_H
#define PVECG_SOURCE_H

#include <stdbool.h>
#include "pvecg/error.h"
#include "pvecg/fetch.h"
#include "pvecg/product.h"

enum pvecg_source_kind {
	PVECG_SOURCE_PATH,     /* a local file */
	PVECG_SOURCE_FILE_URL, /* "file://PATH": the local file PATH */
	PVECG_SOURCE_URL       /* anything with a scheme: fetched, never opened */
};

/* A string whose start looks like a scheme ("x:" with x = ALPHA *(ALPHA /
 * DIGIT / "+" / "-" / ".")), after leading spaces or control characters
 * and ignoring tabs and newlines inside it (as browsers do), is a URL,
 * whatever follows the colon ("https:/h", "https:h", "https:\\h" too).
 * Exactly "file://..." is FILE_URL. Everything else is a local path. */
enum pvecg_source_kind pvecg_source_classify(const char *s);

/* The URL guard for a source URL: first the exact form "scheme://host..."
 * (no leading space, two slashes, no third), then pvecg_urlguard_check_url. */
PVECG_NODISCARD int
pvecg_source_check_url(const char *url, const pvecg_fetch_policy *p, pvecg_error *err);

/* True for scheme://host[:port] with an empty path or "/", no query. */
bool pvecg_source_is_host_url(const char *url);

/* A host URL -> that product's API viewer on that host (the product's
 * default port when none is given); any other URL is copied. */
PVECG_NODISCARD int
pvecg_source_viewer_url(char **out, const char *url, const pvecg_product *pr, pvecg_error *err);

/* "scheme://host:port" (lower case, port always written), or an error
 * when url is not an absolute URL with a host. */
PVECG_NODISCARD int pvecg_source_origin(char **out, const char *url, pvecg_error *err);

/* Same scheme, host and port (default ports filled in). False when either
 * is NULL or not a URL. */
bool pvecg_source_same_origin(const char *a, const char *b);

/* The product whose viewer path url names (on its default port, or any
 * port when only one product uses that path), or NULL. */
const pvecg_product *pvecg_source_product_of(const char *url);

#endif
