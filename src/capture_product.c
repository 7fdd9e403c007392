/* capture_product: which Proxmox product a viewer documents, decided in one
 * place from every signal the input gives, with the signal that decided. */
#include <stdio.h>
#include <string.h>

#include "pvecg/capture.h"
#include "pvecg/json.h"

#define MAX_DEPTH 64

/* Names a title uses, and the schema variables older viewers declare. */
static const struct {
	const char *product, *title1, *title2, *variable, *path;
} signals[] = {
	{ "pbs", "Backup Server", NULL, "pbsapi", "/admin/datastore" },
	{ "pmg", "Mail Gateway", NULL, "pmgapi", "/quarantine" },
	{ "pdm", "Datacenter Manager", NULL, "pdmapi", "/remotes" },
	{ "pve", "Proxmox VE", "Virtual Environment", "pveapi", NULL },
};
#define N_SIGNALS (sizeof(signals) / sizeof(signals[0]))

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
		p = find_path(cJSON_GetObjectItemCaseSensitive(n, "children"), prefix, depth + 1);
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
pvecg_capture_detect_product(const cJSON *schema, const char *title,
    const char *variable, char *why, size_t why_size)
{
	const char *p;
	size_t i;

	for (i = 0; title != NULL && i < N_SIGNALS; i++)
		if (strstr(title, signals[i].title1) ||
		    (signals[i].title2 != NULL && strstr(title, signals[i].title2)))
			return decided(signals[i].product, why, why_size, "page title", title);
	for (i = 0; variable != NULL && i < N_SIGNALS; i++)
		if (strcmp(variable, signals[i].variable) == 0)
			return decided(signals[i].product, why, why_size, "schema variable", variable);
	for (i = 0; i < N_SIGNALS; i++)
		if (signals[i].path != NULL && (p = find_path(schema, signals[i].path, 0)) != NULL)
			return decided(signals[i].product, why, why_size, "path", p);
	return decided("pve", why, why_size, "no signal (the default)", NULL);
}
