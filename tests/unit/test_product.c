/* product table and host URL -> API viewer mapping, one row per product.
 *
 * Where each viewer path and port comes from:
 *  pve  /pve-docs/api-viewer/ on 8006: the public viewer
 *       https://pve.proxmox.com/pve-docs/api-viewer/ (proxmoxer's README
 *       links https://pve.proxmox.com/pve-docs/api-viewer/index.html), and
 *       node URLs https://<pve-host>:8006/pve-docs/api-viewer/.
 *  pbs  /docs/api-viewer/ on 8007: https://pbs.proxmox.com/docs/api-viewer/
 *       (named as the upstream documentation by the clientapi-pbs crate,
 *       docs.rs); port 8007 in the same project's examples
 *       (https://pbs1.example.com:8007/api2/json).
 *  pmg  port 8006: pmgproxy(8), https://pmg.proxmox.com/pmg-docs/pmgproxy.8.html
 *       ("exposes the whole Proxmox Mail Gateway API on TCP port 8006").
 *       NOT CONFIRMED: the viewer path /pmg-docs/api-viewer/ follows the
 *       /pmg-docs/ prefix of that manual; no page naming it was found.
 *  pdm  port 8443: Proxmox Datacenter Manager container template
 *       (https://[IP]:[PORT:8443]) and clientapi-pdm's examples
 *       (https://pdm1.example.com:8443/api2/json).
 *       NOT CONFIRMED: the viewer path /docs/api-viewer/ is assumed to be
 *       PBS's (PDM reuses the PBS REST stack); no page naming it was found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pvecg/capture.h"
#include "pvecg/product.h"
#include "pvecg/source.h"

static const struct row {
	const char *name, *dir;
	int port;
	const char *viewer, *token_prefix, *cookie;
	const char *host_url, *mapped;
} rows[] = {
	{ "pve", "proxmox", 8006, "/pve-docs/api-viewer/", "PVEAPIToken=", "PVEAuthCookie",
	    "https://pve1.lan", "https://pve1.lan:8006/pve-docs/api-viewer/" },
	{ "pbs", "pbs", 8007, "/docs/api-viewer/", "PBSAPIToken=", "PBSAuthCookie",
	    "https://pbs1.lan/", "https://pbs1.lan:8007/docs/api-viewer/" },
	{ "pmg", "pmg", 8006, "/pmg-docs/api-viewer/", NULL, "PMGAuthCookie",
	    "https://pmg1.lan:9000", "https://pmg1.lan:9000/pmg-docs/api-viewer/" },
	{ "pdm", "pdm", 8443, "/docs/api-viewer/", "PDMAPIToken=", "PDMAuthCookie",
	    "https://PDM1.lan:8443/", "https://pdm1.lan:8443/docs/api-viewer/" },
};

static void
test_product_table_rows(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(pvecg_n_products, 4);
	for (i = 0; i < 4; i++) {
		const pvecg_product *p = pvecg_product_find(rows[i].name);

		assert_non_null(p);
		assert_ptr_equal(p, &pvecg_products[i]); /* the probing order */
		assert_string_equal(p->dir, rows[i].dir);
		assert_string_equal(pvecg_capture_product_dir(rows[i].name), rows[i].dir);
		assert_int_equal(p->port, rows[i].port);
		assert_string_equal(p->viewer_path, rows[i].viewer);
		assert_string_equal(p->ticket_cookie, rows[i].cookie);
		if (rows[i].token_prefix == NULL)
			assert_null(p->token_prefix);
		else
			assert_string_equal(p->token_prefix, rows[i].token_prefix);
	}
	assert_null(pvecg_product_find("PVE"));
	assert_null(pvecg_product_find(NULL));
	assert_null(pvecg_capture_product_dir("windows"));
}

static void
test_product_host_url_maps_to_viewer(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		char *out = NULL;

		assert_int_equal(pvecg_source_viewer_url(&out, rows[i].host_url,
		                     pvecg_product_find(rows[i].name), NULL),
		    0);
		/* curl lower-cases the host */
		if (strcasecmp(out, rows[i].mapped) != 0)
			fail_msg("%s: %s -> %s, want %s", rows[i].name, rows[i].host_url, out,
			    rows[i].mapped);
		free(out);
	}
}

static void
test_product_other_urls_are_copied(void **state)
{
	static const char *const keep[] = {
		"https://pve1.lan:8006/pve-docs/api-viewer/",
		"https://pve1.lan:8006/pve-docs/api-viewer/index.html",
		"https://pve1.lan/?x=1",
		"https://pve1.lan/#frag",
		"https://pve1.lan/apidoc.js",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		char *out = NULL;

		assert_false(pvecg_source_is_host_url(keep[i]));
		assert_int_equal(
		    pvecg_source_viewer_url(&out, keep[i], &pvecg_products[0], NULL), 0);
		assert_string_equal(out, keep[i]);
		free(out);
	}
}

static void
test_product_of_viewer_url(void **state)
{
	(void)state;
	assert_string_equal(
	    pvecg_source_product_of("https://h:8006/pve-docs/api-viewer/index.html")->name, "pve");
	assert_string_equal(pvecg_source_product_of("https://h/pmg-docs/api-viewer/")->name, "pmg");
	assert_string_equal(
	    pvecg_source_product_of("https://h:8007/docs/api-viewer/")->name, "pbs");
	assert_string_equal(
	    pvecg_source_product_of("https://h:8443/docs/api-viewer/")->name, "pdm");
	assert_null(pvecg_source_product_of("https://h:9999/docs/api-viewer/"));
	assert_null(pvecg_source_product_of("https://h:8006/pve-docs-x/api-viewer/"));
}

/* The products written in Rust (PBS, PDM) quote property strings, answer
 * errors as text and add a task counter to UPIDs; an unknown name is Perl. */
static void
test_product_is_rust(void **state)
{
	(void)state;
	assert_int_equal(pvecg_product_is_rust("pbs"), 1);
	assert_int_equal(pvecg_product_is_rust("pdm"), 1);
	assert_int_equal(pvecg_product_is_rust("pve"), 0);
	assert_int_equal(pvecg_product_is_rust("pmg"), 0);
	assert_int_equal(pvecg_product_is_rust("PBS"), 0);
	assert_int_equal(pvecg_product_is_rust(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_product_table_rows),
		cmocka_unit_test(test_product_host_url_maps_to_viewer),
		cmocka_unit_test(test_product_other_urls_are_copied),
		cmocka_unit_test(test_product_of_viewer_url),
		cmocka_unit_test(test_product_is_rust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
