/* capture_product: which Proxmox product a viewer documents, decided in one
 * place from every signal the input gives, with the signal that decided. */
#include <stdio.h>
#include <string.h>

#include "pvecg/capture.h"
#include "pvecg/json.h"
#include "pvecg/product.h"

#define MAX_DEPTH 64

/* The i-th product to test for; the default product (the table's first)
 * comes last, its title words being the most general. */
static const pvecg_product *
candidate(size_t i)
{
	return &pvecg_products[(i + 1) % pvecg_n_products];
}

/* The first path (depth first) starting with prefix; PBS nests all under "/". */
static const char *
find_path(const cJSON *nodes, const char *prefix, int depth)
{
	const cJSON *n;
	const char *p;
	size_t len = strlen(prefix);

	if (depth > MAX_DEPTH)
		return NULL;
	cJSON_ArrayForEach(n, nodes) {
		p = pvecg_json_str(n, "path");
		if (p != NULL && strncmp(p, prefix, len) == 0)
			return p;
		p = find_path(pvecg_json_get(n, "children"), prefix, depth + 1);
		if (p != NULL)
			return p;
	}
	return NULL;
}

static const char *
decided(const char *product, char *why, size_t size, const char *what, const char *value)
{
	if (why != NULL && size > 0)
		snprintf(why, size, "%s%s%.120s", what, value ? " " : "", value ? value : "");
	return product;
}

const char *
pvecg_capture_detect_product(
    const cJSON *schema, const char *title, const char *variable, char *why, size_t why_size)
{
	const pvecg_product *pr;
	const char *p;
	size_t i;

	for (i = 0; title != NULL && i < pvecg_n_products; i++) {
		pr = candidate(i);
		if (strstr(title, pr->title_words[0]) ||
		    (pr->title_words[1] != NULL && strstr(title, pr->title_words[1])))
			return decided(pr->name, why, why_size, "page title", title);
	}
	for (i = 0; variable != NULL && i < pvecg_n_products; i++)
		if (strcmp(variable, candidate(i)->schema_vars[1]) == 0)
			return decided(
			    candidate(i)->name, why, why_size, "schema variable", variable);
	for (i = 0; i < pvecg_n_products; i++) {
		pr = candidate(i);
		if (pr->own_path != NULL && (p = find_path(schema, pr->own_path, 0)) != NULL)
			return decided(pr->name, why, why_size, "path", p);
	}
	return decided(pvecg_products[0].name, why, why_size, "no signal (the default)", NULL);
}
