/* viewer: which <script> files of the API Viewer page hold the schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/viewer.h"

/* The current PVE viewer: ExtJS and its companions, then apidoc.js. */
static const char pve_page[] =
    "<!DOCTYPE html>\n"
    "<html>\n"
    "  <head>\n"
    "    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n"
    "    <title> Proxmox VE API Documentation </title>\n"
    "    <link rel=\"stylesheet\" type=\"text/css\" "
    "href=\"extjs/theme-crisp/resources/theme-crisp-all.css\" />\n"
    "    <script type=\"text/javascript\" src=\"extjs/ext-all.js\"></script>\n"
    "    <script type=\"text/javascript\" src=\"/pve2/ext6/charts.js\"></script>\n"
    "    <script type=\"text/javascript\" src=\"/pve2/ext6/locale/locale-de.js\"></script>\n"
    "    <script type=\"text/javascript\">Ext.onReady(function(){});</script>\n"
    "    <script type=\"text/javascript\" src=\"apidoc.js\"></script>\n"
    "  </head>\n"
    "  <body></body>\n"
    "</html>\n";

/* Older viewers split the schema (apidata.js) from the viewer code. */
static const char split_page[] = "<HTML><HEAD><TITLE>PVE API</TITLE>\n"
                                 "<SCRIPT SRC=\"/pve2/ext4/ext-all-debug.js?ver=4.0.7\"></SCRIPT>\n"
                                 "<SCRIPT SRC=\"apidata.js\"></SCRIPT>\n"
                                 "<SCRIPT SRC=\"PVEAPI.js?ver=2\"></SCRIPT>\n"
                                 "</HEAD><BODY></BODY></HTML>\n";

static void
parse_ok(pvecg_viewer_page *page, const char *html, const char *base)
{
	pvecg_error err;

	pvecg_error_clear(&err);
	assert_int_equal(pvecg_viewer_parse(page, html, strlen(html), base, &err), 0);
}

static void
test_viewer_keeps_apidoc_and_drops_extjs(void **state)
{
	pvecg_viewer_page page;

	(void)state;
	parse_ok(&page, pve_page, "https://pve.example.com:8006/pve-docs/api-viewer/index.html");
	assert_int_equal(page.n_scripts, 1);
	assert_string_equal(
	    page.scripts[0], "https://pve.example.com:8006/pve-docs/api-viewer/apidoc.js");
	assert_non_null(page.title);
	assert_string_equal(page.title, "Proxmox VE API Documentation");
	pvecg_viewer_page_free(&page);
}

static void
test_viewer_resolves_against_directory_url_without_index(void **state)
{
	pvecg_viewer_page page;

	(void)state;
	parse_ok(&page, pve_page, "https://pve.example.com:8006/pve-docs/api-viewer/");
	assert_int_equal(page.n_scripts, 1);
	assert_string_equal(
	    page.scripts[0], "https://pve.example.com:8006/pve-docs/api-viewer/apidoc.js");
	pvecg_viewer_page_free(&page);
}

static void
test_viewer_keeps_split_scripts_in_page_order(void **state)
{
	pvecg_viewer_page page;

	(void)state;
	parse_ok(&page, split_page, "https://10.0.0.1:8006/pve-docs/api-viewer/index.html");
	assert_int_equal(page.n_scripts, 2);
	assert_string_equal(
	    page.scripts[0], "https://10.0.0.1:8006/pve-docs/api-viewer/apidata.js");
	assert_string_equal(
	    page.scripts[1], "https://10.0.0.1:8006/pve-docs/api-viewer/PVEAPI.js?ver=2");
	assert_string_equal(page.title, "PVE API");
	pvecg_viewer_page_free(&page);
}

static void
test_viewer_resolves_absolute_and_parent_paths_against_url(void **state)
{
	static const char html[] =
	    "<html><head><script src=\"/pve-docs/api-viewer/apidoc.js\"></script>"
	    "<script src=\"../other/x.js\"></script>"
	    "<script src=\"//cdn.example.org/y.js\"></script></head></html>";
	pvecg_viewer_page page;

	(void)state;
	parse_ok(&page, html, "https://h.example.com:8006/pve-docs/api-viewer/index.html");
	assert_int_equal(page.n_scripts, 3);
	assert_string_equal(
	    page.scripts[0], "https://h.example.com:8006/pve-docs/api-viewer/apidoc.js");
	assert_string_equal(page.scripts[1], "https://h.example.com:8006/pve-docs/other/x.js");
	assert_string_equal(page.scripts[2], "https://cdn.example.org/y.js");
	assert_null(page.title);
	pvecg_viewer_page_free(&page);
}

static void
test_viewer_resolves_local_page_against_its_directory(void **state)
{
	static const char html[] = "<html><script src=\"apidoc.js?ver=7\"></script>"
	                           "<script src=\"https://example.org/remote.js\"></script></html>";
	pvecg_viewer_page page;

	(void)state;
	parse_ok(&page, html, "/srv/viewer/index.html");
	assert_int_equal(page.n_scripts, 2);
	assert_string_equal(page.scripts[0], "/srv/viewer/apidoc.js");
	/* Returned as written; the caller's URL guard decides. */
	assert_string_equal(page.scripts[1], "https://example.org/remote.js");
	pvecg_viewer_page_free(&page);

	parse_ok(&page, html, "index.html");
	assert_string_equal(page.scripts[0], "apidoc.js");
	pvecg_viewer_page_free(&page);
}

static void
test_viewer_rejects_page_without_schema_script(void **state)
{
	static const char html[] = "<!DOCTYPE html><html><head><title>x</title>"
	                           "<script src=\"extjs/ext-all.js\"></script>"
	                           "<script>var inline = 1;</script></head></html>";
	pvecg_viewer_page page;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(
	    pvecg_viewer_parse(&page, html, strlen(html), "https://h/x/index.html", &err),
	    PVECG_EINPUT);
	assert_string_equal(err.message, "no schema script found in the viewer page");
	assert_string_equal(err.where, "https://h/x/index.html");
	assert_int_equal(page.n_scripts, 0);
	assert_null(page.scripts);
	assert_null(page.title);
}

static void
test_viewer_rejects_empty_input(void **state)
{
	pvecg_viewer_page page;
	pvecg_error err;

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_viewer_parse(&page, "", 0, "https://h/", &err), PVECG_EINPUT);
	assert_int_equal(page.n_scripts, 0);
}

static void
test_viewer_sniffs_html(void **state)
{
	(void)state;
	assert_true(pvecg_viewer_is_html("<!DOCTYPE html>", 15));
	assert_true(pvecg_viewer_is_html("\xEF\xBB\xBF \n <HTML lang=en>", 21));
	assert_true(pvecg_viewer_is_html("\t<head>", 7));
	assert_true(pvecg_viewer_is_html("<Script src=x>", 14));
	assert_false(pvecg_viewer_is_html("const apiSchema = [", 19));
	assert_false(pvecg_viewer_is_html("[{\"path\":\"/\"}]", 14));
	assert_false(pvecg_viewer_is_html("", 0));
	assert_false(pvecg_viewer_is_html("<!doc", 5));
	assert_false(pvecg_viewer_is_html("   ", 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viewer_keeps_apidoc_and_drops_extjs),
		cmocka_unit_test(test_viewer_resolves_against_directory_url_without_index),
		cmocka_unit_test(test_viewer_keeps_split_scripts_in_page_order),
		cmocka_unit_test(test_viewer_resolves_absolute_and_parent_paths_against_url),
		cmocka_unit_test(test_viewer_resolves_local_page_against_its_directory),
		cmocka_unit_test(test_viewer_rejects_page_without_schema_script),
		cmocka_unit_test(test_viewer_rejects_empty_input),
		cmocka_unit_test(test_viewer_sniffs_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
