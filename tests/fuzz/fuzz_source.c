/* libFuzzer: the URL/path classifier against libcurl's URL parser. Any
 * string the URL guard (libcurl) accepts must be classified as a URL, or
 * the loader would open as a file what the guard checked as a URL. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/product.h"
#include "pvecg/source.h"
#include "pvecg/urlguard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_fetch_policy p;
	pvecg_error err;
	char *s = malloc(size + 1), *out = NULL;
	enum pvecg_source_kind kind;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	pvecg_fetch_policy_init(&p);
	p.allow_http = p.allow_any_domain = p.allow_private_network = true;
	kind = pvecg_source_classify(s);
	if (pvecg_urlguard_check_url(s, &p, &err) == 0 && kind != PVECG_SOURCE_URL &&
	    kind != PVECG_SOURCE_FILE_URL)
		__builtin_trap();
	if (pvecg_source_check_url(s, &p, &err) == 0 && kind != PVECG_SOURCE_URL)
		__builtin_trap();
	(void)pvecg_source_is_host_url(s);
	if (pvecg_source_viewer_url(&out, s, &pvecg_products[0], &err) == 0)
		free(out);
	out = NULL;
	if (pvecg_source_origin(&out, s, &err) == 0)
		free(out);
	(void)pvecg_source_same_origin(s, "https://pve.example.com:8006/");
	free(s);
	return 0;
}
