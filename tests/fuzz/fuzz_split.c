/* libFuzzer: the JavaScript statement splitter, in both modes. Every span
 * must lie inside the input, in order, without overlap; in the runner's
 * mode (JSON statements recognised, allocations charged to a budget that
 * may run out) a recognised statement's name and literal lie inside its
 * span, and freeing the splitter gives the budget every byte back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pvecg/jsrun.h"
#include "jssplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_spans(const pvecg_span *spans, size_t n, size_t size, size_t *end)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (spans[i].off < *end || spans[i].len > size ||
		    spans[i].off > size - spans[i].len)
			abort();
		*end = spans[i].off + spans[i].len;
	}
}

static void
check_decls(const splitter *sp)
{
	const pvecg_span *s;
	const json_decl *d;
	size_t i;

	for (i = 0; i < sp->n; i++) {
		s = &sp->spans[i];
		d = &sp->decls[i];
		if (d->shape == 0)
			continue;
		if (d->shape < SHAPE_NO || d->shape > SHAPE_UNSURE || d->name_len == 0 ||
		    d->name_off < s->off || d->name_off + d->name_len > d->lit_off ||
		    d->lit_off + d->lit_len > s->off + s->len)
			abort();
	}
}

/* The runner's way: statements are taken as they come, the arrays reused. */
static void
split_runner(const char *src, size_t size)
{
	budget mem = { 0, 256 + 16 * size, 0 };
	splitter sp;
	size_t end = 0;
	int more;

	jssplit_init(&sp, src, size, 1, &mem);
	do {
		more = jssplit_more(&sp);
		check_spans(sp.spans, sp.n, size, &end);
		check_decls(&sp);
		sp.n = 0;
	} while (more > 0);
	if (more < 0 && !mem.refused)
		abort();
	jssplit_free(&sp);
	if (mem.used != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pvecg_span *spans = NULL;
	pvecg_error err;
	size_t n = 0, end = 0;

	if (pvecg_jsrun_split(&spans, &n, (const char *)data, size, &err) == 0) {
		check_spans(spans, n, size, &end);
		free(spans);
	}
	split_runner((const char *)data, size);
	return 0;
}
