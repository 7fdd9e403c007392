/* Lazy-loading check: a program linked against the model runtime only.
 * Given model_index.json and an operationId, it must dlopen exactly the
 * shard library model_index.json names for that operation (seen in
 * /proc/self/maps), parse a payload with it, and load nothing else.
 * Build: cc -I<v>/models lazy.c <v>/models/pvecg_rt.c <v>/models/pvecg_rt_lazy.c -lcjson -lm -ldl
 * Usage: lazy INDEX LIBDIR OP PAYLOAD EXPECTED_LIBRARY */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg_rt.h"

/* Counts mapped shard libraries ("_models_" in the file name); with want
 * set, also whether that one is among them. */
static int
mapped_shards(const char *want, int *found)
{
	FILE *fp = fopen("/proc/self/maps", "r");
	char line[8192], seen[32][256];
	int n = 0;

	*found = 0;
	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		char *name = strrchr(line, '/');
		int dup = 0;

		if (name == NULL || strstr(name, "_models_") == NULL || !strstr(name, ".so"))
			continue;
		name++;
		name[strcspn(name, "\n")] = '\0';
		for (int i = 0; i < n; i++)
			dup |= strcmp(seen[i], name) == 0;
		if (dup || n == 32)
			continue;
		snprintf(seen[n++], sizeof(seen[0]), "%s", name);
		if (want && strcmp(name, want) == 0)
			*found = 1;
		printf("mapped: %s\n", name);
	}
	fclose(fp);
	return n;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	fclose(fp);
	return buf;
}

int
main(int argc, char **argv)
{
	const pvecg_rt_model *req, *resp;
	pvecg_rt_lazy *lz = NULL;
	pvecg_rt_error err;
	char msg[600], *text = NULL, *out = NULL;
	void *obj = NULL;
	size_t len = 0;
	int found, rc = 1;
	cJSON *body = NULL, *again = NULL;

	if (argc != 6) {
		fprintf(stderr, "usage: lazy INDEX LIBDIR OP PAYLOAD EXPECTED_LIBRARY\n");
		return 2;
	}
	if (mapped_shards(NULL, &found) != 0) {
		fprintf(stderr, "FAIL: a shard is mapped before any lookup\n");
		return 1;
	}
	if (pvecg_rt_lazy_open(&lz, argv[1], argv[2], &err) != 0 ||
	    pvecg_rt_lazy_find(&req, &resp, lz, argv[3], &err) != 0) {
		fprintf(stderr, "FAIL: %s\n", pvecg_rt_error_text(&err, msg, sizeof(msg)));
		goto out;
	}
	if (mapped_shards(argv[5], &found) != 1 || !found) {
		fprintf(stderr, "FAIL: expected exactly %s to be mapped\n", argv[5]);
		goto out;
	}
	printf("%s -> %s (request %s)\n", argv[3], pvecg_rt_model_name(resp),
	    req ? pvecg_rt_model_name(req) : "none");
	text = slurp(argv[4], &len);
	if (text == NULL || pvecg_rt_parse_response(&obj, resp, text, len, 0, &err) != 0) {
		fprintf(stderr, "FAIL: parse: %s\n", pvecg_rt_error_text(&err, msg, sizeof(msg)));
		goto out;
	}
	/* what came out is what went in */
	body = cJSON_Parse(text);
	if (pvecg_rt_to_text(&out, resp, obj, &err) != 0 || !(again = cJSON_Parse(out)) ||
	    !cJSON_Compare(cJSON_GetObjectItem(body, "data"), again, 1)) {
		fprintf(stderr, "FAIL: round trip differs: %s\n", out ? out : "?");
		goto out;
	}
	/* a second lookup of the same shard opens nothing new */
	if (pvecg_rt_lazy_find(NULL, &resp, lz, argv[3], &err) != 0 ||
	    mapped_shards(argv[5], &found) != 1) {
		fprintf(stderr, "FAIL: second lookup\n");
		goto out;
	}
	if (pvecg_rt_lazy_find(NULL, NULL, lz, "no_such_operation", &err) != PVECG_RT_ENOTFOUND) {
		fprintf(stderr, "FAIL: unknown operation not reported\n");
		goto out;
	}
	printf("parsed %s with only %s loaded: %s\n", argv[4], argv[5], out);
	rc = 0;
out:
	pvecg_rt_free(resp, obj);
	cJSON_free(out);
	cJSON_Delete(body);
	cJSON_Delete(again);
	free(text);
	pvecg_rt_lazy_close(lz);
	return rc;
}
