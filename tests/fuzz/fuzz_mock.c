/* libFuzzer: one mock request. The first line is "METHOD /path?k=v&...",
 * the rest a JSON body; the mock (the 20-route subset of PVE 9.1 in
 * tests/fixtures/mock, --no-auth) must answer with a JSON envelope and
 * never crash, whatever the path, parameters or body. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvecg/json.h"
#include "pvecg/mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pvecg_mock *
mock_once(void)
{
	static pvecg_mock *m;
	static const char *const dirs[] = { "tests/fixtures/mock", "../tests/fixtures/mock" };
	char dir[4096];
	const char *src = getenv("PVECG_SOURCE_DIR");
	pvecg_error err;
	size_t i;

	if (m != NULL)
		return m;
	for (i = 0; i < 3 && m == NULL; i++) {
		if (i == 2 && src == NULL)
			break;
		snprintf(dir, sizeof(dir), "%s", i < 2 ? dirs[i] : src);
		if (i == 2)
			snprintf(dir, sizeof(dir), "%s/tests/fixtures/mock", src);
		if (access(dir, R_OK) == 0)
			(void)pvecg_mock_open(&m, dir, NULL, NULL, true, &err);
	}
	if (m == NULL)
		abort(); /* run from the source tree or set PVECG_SOURCE_DIR */
	return m;
}

/* "k=v&k2=v2" into an object of strings (no decoding needed here). */
static cJSON *
query_of(char *q)
{
	cJSON *o = cJSON_CreateObject();
	char *save = NULL, *kv;

	for (kv = q ? strtok_r(q, "&", &save) : NULL; kv && o; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');

		if (eq)
			*eq++ = '\0';
		cJSON_AddStringToObject(o, kv, eq ? eq : "");
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE" };
	pvecg_mock *m = mock_once();
	char *text = malloc(size + 1), *nl, *sp, *qm;
	pvecg_mock_request rq;
	pvecg_mock_response res;
	cJSON *query, *body = NULL;
	size_t i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = text;
	if ((sp = strchr(text, ' ')) != NULL) {
		*sp = '\0';
		for (i = 0; i < 4; i++)
			if (strcmp(text, methods[i]) == 0)
				rq.method = methods[i];
		rq.path = sp + 1;
	}
	if ((qm = strchr(rq.path, '?')) != NULL)
		*qm++ = '\0';
	query = query_of(qm);
	if (nl)
		body = pvecg_json_parse(nl + 1, strlen(nl + 1), NULL);
	rq.query = query;
	rq.body = cJSON_IsObject(body) ? body : NULL;
	if (pvecg_mock_handle(&res, m, &rq) == 0) {
		if (res.status < 200 || res.status > 599 || !cJSON_IsObject(res.body) ||
		    cJSON_GetObjectItemCaseSensitive(res.body, "data") == NULL)
			abort();
		pvecg_mock_response_free(&res);
	}
	cJSON_Delete(query);
	cJSON_Delete(body);
	free(text);
	return 0;
}
