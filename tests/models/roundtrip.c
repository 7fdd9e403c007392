/* Round-trip driver for generated models: reads the JSON lines written by
 * gen_instances.py and checks each against the aggregate of one version.
 * Build: cc -DAGG_HEADER='"pve_models.h"' -DAGG_PREFIX=pve_models -I<version dir>
 *        -I<version dir>/models roundtrip.c <version dir>/pve_models.c
 *        <version dir>/models/pvecg_rt.c -lcjson -lm
 * Usage: roundtrip cases.jsonl   (exit 0: every case behaved) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include AGG_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FIND CAT(AGG_PREFIX, _find)
#define OP_T CAT(AGG_PREFIX, _op)

static long failures, checked;

static void
failf(long line, const char *op, const char *kind, const char *what)
{
	failures++;
	if (failures <= 25)
		fprintf(stderr, "line %ld %s (%s): %s\n", line, op, kind, what);
}

/* Parses data (from the tree and from its text), serializes, compares. */
static void
check_valid(long line, const char *op, const char *kind, const pvecg_rt_model *m, const cJSON *data,
    const cJSON *expect, unsigned flags)
{
	pvecg_rt_error err;
	char msg[700], *text = cJSON_PrintUnformatted(data);
	void *obj = NULL, *obj2 = NULL;
	cJSON *out = NULL;
	int rc;

	rc = pvecg_rt_parse(&obj, m, data, flags, &err);
	if (rc != 0) {
		snprintf(msg, sizeof(msg), "parse failed: %s: %s", err.path, err.message);
		failf(line, op, kind, msg);
		goto out;
	}
	if (!(flags & PVECG_RT_NO_VALIDATE) && pvecg_rt_validate(m, obj, &err) != 0) {
		snprintf(msg, sizeof(msg), "validate failed: %s: %s", err.path, err.message);
		failf(line, op, kind, msg);
		goto out;
	}
	if (pvecg_rt_to_json(&out, m, obj, &err) != 0) {
		failf(line, op, kind, "to_json failed");
		goto out;
	}
	if (!cJSON_Compare(expect, out, 1)) {
		char *got = cJSON_PrintUnformatted(out);

		snprintf(msg, sizeof(msg), "round trip differs: %.600s", got ? got : "?");
		failf(line, op, kind, msg);
		free(got);
		goto out;
	}
	/* the text path moves unknown members instead of copying them */
	if (text == NULL || pvecg_rt_parse_text(&obj2, m, text, strlen(text), flags, &err) != 0) {
		failf(line, op, kind, "parse_text failed");
		goto out;
	}
	checked++;
out:
	pvecg_rt_free(m, obj);
	pvecg_rt_free(m, obj2);
	cJSON_Delete(out);
	free(text);
}

static void
check_invalid(long line, const char *op, const char *kind, const pvecg_rt_model *m,
    const cJSON *data, const char *path, const char *message)
{
	pvecg_rt_error err;
	char msg[900];
	void *obj = NULL;
	int rc = pvecg_rt_parse(&obj, m, data, 0, &err);

	if (rc == 0) {
		pvecg_rt_free(m, obj);
		failf(line, op, kind, "accepted");
		return;
	}
	if (obj != NULL || rc != PVECG_RT_EINVAL || strcmp(err.path, path) != 0 ||
	    strstr(err.message, message) == NULL) {
		snprintf(msg, sizeof(msg), "want %s: %s, got %s: %s", path, message, err.path,
		    err.message);
		failf(line, op, kind, msg);
		return;
	}
	checked++;
}

int
main(int argc, char **argv)
{
	FILE *fp;
	char *buf = NULL;
	size_t cap = 0;
	long line = 0;

	if (argc != 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: roundtrip cases.jsonl\n");
		return 2;
	}
	while (getline(&buf, &cap, fp) > 0) {
		cJSON *c = cJSON_Parse(buf);
		const char *op = cJSON_GetStringValue(cJSON_GetObjectItem(c, "op"));
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(c, "kind"));
		const cJSON *data = cJSON_GetObjectItem(c, "data");
		unsigned flags = cJSON_IsTrue(cJSON_GetObjectItem(c, "novalidate"))
		    ? PVECG_RT_NO_VALIDATE
		    : 0;
		const OP_T *rec;

		line++;
		if (!c || !op || !kind || !data) {
			failf(line, "?", "?", "bad case line");
			cJSON_Delete(c);
			continue;
		}
		rec = FIND(op);
		if (rec == NULL) {
			failf(line, op, kind, "operation not in the aggregate lookup");
		} else if (strcmp(kind, "valid") == 0) {
			check_valid(line, op, kind, rec->response, data, data, flags);
		} else if (strcmp(kind, "tolerant") == 0) {
			check_valid(line, op, kind, rec->response, data,
			    cJSON_GetObjectItem(c, "expect"), flags);
		} else {
			check_invalid(line, op, kind, rec->response, data,
			    cJSON_GetStringValue(cJSON_GetObjectItem(c, "path")),
			    cJSON_GetStringValue(cJSON_GetObjectItem(c, "message")));
		}
		cJSON_Delete(c);
	}
	free(buf);
	fclose(fp);
	printf("cases %ld, passed %ld, failed %ld\n", line, checked, failures);
	return failures ? 1 : 0;
}
