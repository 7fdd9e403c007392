/* libFuzzer: the JavaScript statement splitter; every span must lie inside
 * the input, in order, without overlap. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pvecg/jsrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_span *spans = NULL;
	pvecg_error err;
	size_t n = 0, i, end = 0;

	if (pvecg_jsrun_split(&spans, &n, (const char *)data, size, &err) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (spans[i].off < end || spans[i].len > size || spans[i].off > size - spans[i].len)
			abort();
		end = spans[i].off + spans[i].len;
	}
	free(spans);
	return 0;
}
