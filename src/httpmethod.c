/* httpmethod: the HTTP methods Proxmox's API uses, defined once. The viewer
 * names GET, POST, PUT and DELETE; anything else in an input is refused by
 * capture, so every later stage and verify agree on what an operation is. */
#include <string.h>

#include "pvecg/httpmethod.h"
#include "pvecg/json.h"

const pvecg_httpmethod pvecg_httpmethods[PVECG_HTTP_NMETHODS] = { { "GET", "get" },
	{ "POST", "post" }, { "PUT", "put" }, { "DELETE", "delete" } };

const int pvecg_httpmethods_by_name[PVECG_HTTP_NMETHODS] = { 3, 0, 1, 2 };

const char pvecg_httpmethods_text[] = "GET, POST, PUT, DELETE";

int
pvecg_httpmethod_find_upper(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < PVECG_HTTP_NMETHODS; i++)
		if (strcmp(name, pvecg_httpmethods[i].upper) == 0)
			return i;
	return -1;
}

int
pvecg_httpmethod_find_lower(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < PVECG_HTTP_NMETHODS; i++)
		if (strcmp(name, pvecg_httpmethods[i].lower) == 0)
			return i;
	return -1;
}

long
pvecg_httpmethod_count_operations(const cJSON *openapi, long *paths, long per[PVECG_HTTP_NMETHODS])
{
	const cJSON *p, *m;
	long ops = 0;
	int i;

	*paths = 0;
	if (per != NULL)
		memset(per, 0, PVECG_HTTP_NMETHODS * sizeof(per[0]));
	cJSON_ArrayForEach(p, pvecg_json_get(openapi, "paths")) {
		(*paths)++;
		cJSON_ArrayForEach(m, p) {
			if (!cJSON_IsObject(m) || (i = pvecg_httpmethod_find_lower(m->string)) < 0)
				continue;
			ops++;
			if (per != NULL)
				per[i]++;
		}
	}
	return ops;
}
