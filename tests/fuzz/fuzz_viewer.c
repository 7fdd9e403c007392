/* libFuzzer: the viewer-page parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "pvecg/viewer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_viewer_page page = { NULL, 0, NULL };
	pvecg_error err;

	(void)pvecg_viewer_is_html((const char *)data, size);
	if (pvecg_viewer_parse(&page, (const char *)data, size,
	        "https://pve.proxmox.com/pve-docs/api-viewer/index.html", &err) == 0)
		pvecg_viewer_page_free(&page);
	return 0;
}
