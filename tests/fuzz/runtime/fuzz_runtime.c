/* libFuzzer: the model runtime's parser on arbitrary response bodies, for
 * every response model of a generated tree (PVE 9.1, made by run.sh).
 * The first two bytes pick the operation; the rest is the body. Whatever
 * parses must validate, serialize and free cleanly. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pve_models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pve_models_op *op;
	pvecg_rt_error err;
	void *obj = NULL;
	char *text = NULL;

	if (size < 2)
		return 0;
	op = &pve_models_ops[((size_t)data[0] << 8 | data[1]) % PVE_MODELS_N_OPS];
	if (pvecg_rt_parse_response(
	        &obj, op->response, (const char *)data + 2, size - 2, 0, &err) != 0)
		return 0;
	(void)pvecg_rt_validate(op->response, obj, &err);
	if (pvecg_rt_to_text(&text, op->response, obj, &err) == 0)
		free(text);
	pvecg_rt_free(op->response, obj);
	return 0;
}
