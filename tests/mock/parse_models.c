/* Parses the data of every recorded 2xx mock response with the generated C
 * models of the same version (parse, then validate), and prints the count.
 * Build: cc -DAGG_HEADER='"pve_models.h"' -DAGG_PREFIX=pve_models -I<version dir>
 *        -I<version dir>/models parse_models.c <version dir>/pve_models.c
 *        <version dir>/models/pvecg_rt*.c (not _lazy) -lcjson -lm
 * Usage: parse_models responses.jsonl   (lines from tests/mock/recorder.py)
 * Exit 0 when every response parsed and validated. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include AGG_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FIND CAT(AGG_PREFIX, _find)
#define OP_T CAT(AGG_PREFIX, _op)

int
main(int argc, char **argv)
{
	FILE *fp;
	char *buf = NULL;
	size_t cap = 0;
	long line = 0, parsed = 0, errors = 0, failed = 0;

	if (argc != 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: parse_models responses.jsonl\n");
		return 2;
	}
	while (getline(&buf, &cap, fp) > 0) {
		cJSON *c = cJSON_Parse(buf);
		const char *op = cJSON_GetStringValue(cJSON_GetObjectItem(c, "op"));
		const cJSON *status = cJSON_GetObjectItem(c, "status");
		const cJSON *data = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "body"), "data");
		const OP_T *rec = op ? FIND(op) : NULL;
		pvecg_rt_error err;
		void *obj = NULL;

		line++;
		if (cJSON_IsNumber(status) && status->valuedouble >= 300) {
			errors++; /* error answers carry no model */
		} else if (rec == NULL || data == NULL) {
			failed++;
			fprintf(
			    stderr, "line %ld: %s: no operation or no data\n", line, op ? op : "?");
		} else if (pvecg_rt_parse(&obj, rec->response, data, 0, &err) != 0 ||
		    pvecg_rt_validate(rec->response, obj, &err) != 0) {
			failed++;
			fprintf(stderr, "line %ld: %s: %s: %s\n", line, op, err.path, err.message);
		} else {
			parsed++;
		}
		if (rec != NULL)
			pvecg_rt_free(rec->response, obj);
		cJSON_Delete(c);
	}
	free(buf);
	fclose(fp);
	printf("models: %ld responses parsed and valid, %ld failed, %ld error answers skipped\n",
	    parsed, failed, errors);
	return failed ? 1 : 0;
}
