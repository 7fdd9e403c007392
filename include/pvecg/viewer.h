/* viewer: the API Viewer HTML page -> the schema/viewer script URLs to load. */
#ifndef PVECG_VIEWER_H
#define PVECG_VIEWER_H

#include <stddef.h>
#include "pvecg/error.h"

typedef struct pvecg_viewer_page {
	char **scripts; /* absolute URLs (or paths, for a local page), in page order */
	size_t n_scripts;
	char *title; /* <title> text or NULL */
} pvecg_viewer_page;

/* True when the bytes look like HTML rather than JavaScript/JSON. */
int pvecg_viewer_is_html(const char *data, size_t len);
/* Parses html, keeps <script src> other than the ExtJS library and
 * resolves them against base (a URL, or a local file path). Error when no
 * script remains. */
PVECG_NODISCARD int pvecg_viewer_parse(
    pvecg_viewer_page *out, const char *html, size_t len, const char *base, pvecg_error *err);
void pvecg_viewer_page_free(pvecg_viewer_page *page);

#endif
