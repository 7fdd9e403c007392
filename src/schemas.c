/* schemas: the artifacts' JSON Schemas, from --schemas DIR or built in. */
#include <stdio.h>
#include <string.h>

#include "pvecg/embed.h"
#include "pvecg/json.h"
#include "pvecg/embed.h"
#include "pvecg/schemas.h"
#include "pvecg/util.h"

#define MAX_SCHEMA (16u * 1024 * 1024)

int
pvecg_schemas_load(cJSON **out, const char *dir, const char *artifact, pvecg_error *err)
{
	char name[128], path[4096];
	size_t i;

	*out = NULL;
	if (pvecg_path(name, sizeof(name), "%s.schema.json", artifact) != 0)
		return pvecg_error_set(err, PVECG_EINPUT, artifact, "name too long");
	if (dir != NULL) {
		if (pvecg_path(path, sizeof(path), "%s/%s", dir, name) != 0)
			return pvecg_error_set(err, PVECG_EIO, dir, "path too long");
		return pvecg_json_read_file(out, path, MAX_SCHEMA, err);
	}
	for (i = 0; i < pvecg_schemas_embedded_count; i++) {
		if (strcmp(pvecg_schemas_embedded[i].name, name) != 0)
			continue;
		*out = cJSON_ParseWithLength(
		    pvecg_schemas_embedded[i].text, pvecg_schemas_embedded[i].len);
		if (*out == NULL)
			return pvecg_error_set(
			    err, PVECG_EINTERNAL, name, "built-in schema is not valid JSON");
		return 0;
	}
	return pvecg_error_set(err, PVECG_EINTERNAL, name, "no built-in schema of that name");
}
