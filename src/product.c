/* product: the table of per-product facts every stage looks up, so that a
 * port, a viewer path or a credential name is written down once.
 *
 * Viewer paths and ports (sources in tests/unit/test_product.c):
 * PVE /pve-docs/api-viewer/ on 8006, PBS /docs/api-viewer/ on 8007,
 * PMG /pmg-docs/api-viewer/ on 8006, PDM /docs/api-viewer/ on 8443. */
#include <stdio.h>
#include <string.h>

#include "pvecg/product.h"

const pvecg_product pvecg_products[] = {
	{ "pve", "proxmox", "Proxmox VE API", "PVE", 8006, "/pve-docs/api-viewer/",
	    "PVEAPIToken=", '=', "PVEAPIToken=USER@REALM!TOKENID=SECRET", "PVEAuthCookie",
	    { "apiSchema", "pveapi" }, { "Proxmox VE", "Virtual Environment" }, NULL, 0 },
	{ "pbs", "pbs", "Proxmox Backup Server API", "PBS", 8007, "/docs/api-viewer/",
	    "PBSAPIToken=", ':', "PBSAPIToken=USER@REALM!TOKENID:SECRET", "PBSAuthCookie",
	    { "apiSchema", "pbsapi" }, { "Backup Server", NULL }, "/admin/datastore", 1 },
	{ "pmg", "pmg", "Proxmox Mail Gateway API", "PMG", 8006, "/pmg-docs/api-viewer/", NULL, '=',
	    NULL, "PMGAuthCookie", { "apiSchema", "pmgapi" }, { "Mail Gateway", NULL },
	    "/quarantine", 0 },
	{ "pdm", "pdm", "Proxmox Datacenter Manager API", "PDM", 8443, "/docs/api-viewer/",
	    "PDMAPIToken=", ':', "PDMAPIToken=USER@REALM!TOKENID:SECRET", "PDMAuthCookie",
	    { "apiSchema", "pdmapi" }, { "Datacenter Manager", NULL }, "/remotes", 1 },
};

const size_t pvecg_n_products = sizeof(pvecg_products) / sizeof(pvecg_products[0]);

void
pvecg_product_list(char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < pvecg_n_products && n < cap; i++) {
		int w = snprintf(out + n, cap - n, "%s%s", i ? ", " : "", pvecg_products[i].name);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

const pvecg_product *
pvecg_product_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < pvecg_n_products; i++)
		if (strcmp(pvecg_products[i].name, name) == 0)
			return &pvecg_products[i];
	return NULL;
}

int
pvecg_product_is_rust(const char *name)
{
	const pvecg_product *p = pvecg_product_find(name);

	return p != NULL && p->rust;
}
