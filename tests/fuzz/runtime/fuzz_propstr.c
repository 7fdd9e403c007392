/* libFuzzer: the property-string parser and writer on arbitrary text, for
 * every format of a generated tree (PVE 9.1, made by run.sh), in both
 * dialects. The first byte picks the format, the second the dialect (Perl
 * or Rust, whatever the format's own), the rest is the text. Whatever
 * parses must format; what formats must parse again into the same struct
 * and format to the same text (abort otherwise). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pve_models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const pvecg_rt_propstr *formats[512];
static size_t n_formats;

static void
collect(void)
{
	const pvecg_rt_shard *seen[64];
	size_t n_seen = 0;

	for (size_t i = 0; i < PVE_MODELS_N_OPS; i++) {
		const pvecg_rt_shard *s = pve_models_ops[i].response->shard;
		size_t k;

		for (k = 0; k < n_seen && seen[k] != s; k++)
			;
		if (k < n_seen || n_seen == 64)
			continue;
		seen[n_seen++] = s;
		for (uint32_t j = 0; j < s->n_propstrs && n_formats < 512; j++)
			formats[n_formats++] = &s->propstrs[j];
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_rt_propstr ps;
	pvecg_rt_error err;
	void *a = NULL, *b = NULL;
	char *text, *t1 = NULL, *t2 = NULL;
	cJSON *ja = NULL, *jb = NULL;

	if (!n_formats)
		collect();
	if (size < 2 || !n_formats)
		return 0;
	ps = *formats[data[0] % n_formats];
	ps.dialect = data[1] & 1 ? PVECG_RT_PS_RUST : PVECG_RT_PS_PERL;
	if (!(text = malloc(size - 1)))
		return 0;
	memcpy(text, data + 2, size - 2);
	text[size - 2] = '\0';
	if (pvecg_rt_propstr_parse(&a, &ps, text, data[1] & 2 ? PVECG_RT_NO_VALIDATE : 0, &err) !=
	    0)
		goto out;
	if (pvecg_rt_propstr_format(&t1, &ps, a, &err) != 0)
		goto out; /* a value this dialect cannot send, or (unvalidated) invalid */
	if (pvecg_rt_propstr_parse(&b, &ps, t1, data[1] & 2 ? PVECG_RT_NO_VALIDATE : 0, &err) != 0)
		abort();
	if (pvecg_rt_propstr_format(&t2, &ps, b, &err) != 0 || strcmp(t1, t2) != 0)
		abort();
	if (pvecg_rt_to_json(&ja, ps.model, a, &err) != 0 ||
	    pvecg_rt_to_json(&jb, ps.model, b, &err) != 0)
		goto out;
	if (!cJSON_Compare(ja, jb, 1))
		abort();
out:
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	free(t1);
	free(t2);
	pvecg_rt_free(ps.model, a);
	pvecg_rt_free(ps.model, b);
	free(text);
	return 0;
}
