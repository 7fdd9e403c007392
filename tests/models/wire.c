/* Recorded Proxmox responses through the generated PVE models.
 *
 *   wire parse DIR     every NNN.json of DIR ({"method", "path", "realistic",
 *                      "body"}) is parsed with its operation's response
 *                      model (default flags), written back with to_json and
 *                      compared member by member with the input: each member
 *                      must come back, equal or in its canonical form (0/1 ->
 *                      false/true, "2048" -> 2048 for an integer, 2048 ->
 *                      "2048" for a string). One line per response.
 *   wire strict DIR    the same with PVECG_RT_STRICT, which must refuse the
 *                      wire forms: prints what it refused; exit 0.
 *   wire reject FILE.. each file (same shape) must fail to parse.
 *   wire types         prints "<op_id> <path> <type>" for every member of
 *                      every request and response model (declared types as
 *                      the descriptor tables hold them).
 * Build: cc -I<v> -I<v>/models wire.c <v>/pve_models.c <v>/models/pvecg_rt.c -lcjson -lm
 * With -DWIRE_NO_DIAG it builds against a runtime without diagnostics (to
 * measure an older tree). Exit 0: everything as expected. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pve_models.h"

struct tally {
	size_t members, lost, changed;
	char first[512];
};

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

static const pve_models_op *
find_op(const char *method, const char *path)
{
	for (size_t i = 0; i < PVE_MODELS_N_OPS; i++)
		if (strcmp(pve_models_ops[i].method, method) == 0 &&
		    strcmp(pve_models_ops[i].path, path) == 0)
			return &pve_models_ops[i];
	return NULL;
}

static int
truth(const cJSON *v)
{
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1))
		return v->valuedouble == 1;
	if (cJSON_IsString(v) && (!strcmp(v->valuestring, "0") || !strcmp(v->valuestring, "1")))
		return v->valuestring[0] == '1';
	return -1;
}

static int
number_text(const char *s, double *out)
{
	char *end;

	if (!*s)
		return 0;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* Is out the same value as in, or its canonical form? */
static int
same_scalar(const cJSON *in, const cJSON *out)
{
	double d = 0;

	if (cJSON_IsNull(in))
		return cJSON_IsNull(out);
	if (cJSON_IsBool(out))
		return truth(in) == cJSON_IsTrue(out);
	if (cJSON_IsNumber(out) || cJSON_IsRaw(out)) {
		double o = cJSON_IsRaw(out) ? strtod(out->valuestring, NULL) : out->valuedouble;

		if (cJSON_IsNumber(in))
			return in->valuedouble == o;
		return cJSON_IsString(in) && number_text(in->valuestring, &d) && d == o;
	}
	if (cJSON_IsString(out)) {
		if (cJSON_IsString(in))
			return strcmp(in->valuestring, out->valuestring) == 0;
		return cJSON_IsNumber(in) && number_text(out->valuestring, &d) &&
		    d == in->valuedouble;
	}
	return 0;
}

static void
note(struct tally *t, const char *what, const char *path)
{
	if (!t->first[0])
		snprintf(t->first, sizeof(t->first), "%s %s", what, path);
}

static void
compare(struct tally *t, const cJSON *in, const cJSON *out, const char *path)
{
	char sub[1024];
	const cJSON *e;
	int i = 0;

	if (cJSON_IsObject(in)) {
		if (!cJSON_IsObject(out)) {
			t->changed++;
			note(t, "not an object:", path);
			return;
		}
		cJSON_ArrayForEach(e, in) {
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(out, e->string);

			snprintf(sub, sizeof(sub), "%s.%s", path, e->string);
			t->members++;
			if (!o) {
				t->lost++;
				note(t, "lost", sub);
				continue;
			}
			compare(t, e, o, sub);
		}
		return;
	}
	if (cJSON_IsArray(in)) {
		if (!cJSON_IsArray(out) || cJSON_GetArraySize(in) != cJSON_GetArraySize(out)) {
			t->changed++;
			note(t, "array differs:", path);
			return;
		}
		cJSON_ArrayForEach(e, in) {
			snprintf(sub, sizeof(sub), "%s[%d]", path, i);
			compare(t, e, cJSON_GetArrayItem(out, i++), sub);
		}
		return;
	}
	if (!same_scalar(in, out)) {
		t->changed++;
		note(t, "changed", path);
	}
}

/* 0: parsed; 1: parse failed (message in msg). */
static int
parse_one(const cJSON *rec, void **obj, const pvecg_rt_model **m, char *msg, size_t cap,
    size_t *n_diag, unsigned flags)
{
	const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "method"));
	const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "path"));
	const pve_models_op *op = method && path ? find_op(method, path) : NULL;
	char *text;
	pvecg_rt_error err;
	int rc;

	*obj = NULL;
	*n_diag = 0;
	if (!op) {
		snprintf(msg, cap, "no operation");
		return 1;
	}
	*m = op->response;
	text = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(rec, "body"));
	if (!text) {
		snprintf(msg, cap, "out of memory");
		return 1;
	}
#ifdef WIRE_NO_DIAG
	rc = pvecg_rt_parse_response(obj, op->response, text, strlen(text), flags, &err);
#else
	{
		pvecg_rt_diags d = PVECG_RT_DIAGS_INIT;

		rc = pvecg_rt_parse_response_diag(
		    obj, op->response, text, strlen(text), flags, &d, &err);
		*n_diag = d.n + d.dropped;
		pvecg_rt_diags_free(&d);
	}
#endif
	cJSON_free(text);
	if (rc != 0) {
		pvecg_rt_error_text(&err, msg, cap);
		return 1;
	}
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_parse(const char *dir, unsigned flags)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *names[512], path[4096], msg[600];
	size_t n = 0, ok = 0, realistic = 0, real_ok = 0, members = 0, lost = 0;
	int failures = 0;

	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < 512)
		if (strlen(de->d_name) == 8 && strcmp(de->d_name + 3, ".json") == 0)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *text;
		cJSON *rec, *out = NULL;
		void *obj = NULL;
		const pvecg_rt_model *m = NULL;
		struct tally t = { 0, 0, 0, "" };
		size_t nd = 0;
		int real, bad;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!(text = slurp(path)) || !(rec = cJSON_Parse(text))) {
			printf("FAIL %s: unreadable\n", names[i]);
			free(text);
			failures++;
			continue;
		}
		free(text);
		real = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "realistic"));
		realistic += real;
		bad = parse_one(rec, &obj, &m, msg, sizeof(msg), &nd, flags);
		if (!bad && pvecg_rt_to_json(&out, m, obj, NULL) != 0) {
			snprintf(msg, sizeof(msg), "to_json failed");
			bad = 1;
		}
		if (!bad) {
			compare(&t,
			    cJSON_GetObjectItemCaseSensitive(
			        cJSON_GetObjectItemCaseSensitive(rec, "body"), "data"),
			    out, "data");
			bad = t.lost || t.changed;
			if (bad)
				snprintf(msg, sizeof(msg), "%zu lost, %zu changed (first: %s)",
				    t.lost, t.changed, t.first);
		}
		members += t.members;
		lost += t.lost + t.changed;
		ok += !bad;
		real_ok += real && !bad;
		failures += bad;
		printf("%s %s %s %s (%s): ", bad ? "FAIL  " : "parsed", names[i],
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "method")),
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "path")),
		    real ? "realistic" : "mock");
		if (bad)
			printf("%s\n", msg);
		else
			printf("%zu/%zu members back, %zu diagnostics\n", t.members, t.members, nd);
		cJSON_Delete(out);
		if (obj)
			pvecg_rt_free(m, obj);
		cJSON_Delete(rec);
		free(names[i]);
	}
	printf("parse %zu/%zu realistic parsed with nothing lost (%.1f %%), %zu/%zu in all; "
	       "%zu members compared, %zu lost or changed\n",
	    real_ok, realistic, realistic ? 100.0 * (double)real_ok / (double)realistic : 0.0, ok,
	    n, members, lost);
	if (flags & PVECG_RT_STRICT)
		return 0; /* refusals are the point; the caller reads the lines */
	return failures ? 1 : 0;
}

static int
cmd_reject(int argc, char **argv)
{
	int failures = 0;
	char msg[600];

	for (int i = 0; i < argc; i++) {
		char *text = slurp(argv[i]);
		cJSON *rec = text ? cJSON_Parse(text) : NULL;
		void *obj = NULL;
		const pvecg_rt_model *m = NULL;
		size_t nd;

		free(text);
		if (!rec) {
			printf("FAIL %s: unreadable\n", argv[i]);
			failures++;
			continue;
		}
		if (parse_one(rec, &obj, &m, msg, sizeof(msg), &nd, 0) == 0) {
			printf("FAIL %s: parsed\n", argv[i]);
			pvecg_rt_free(m, obj);
			failures++;
		} else if (strcmp(msg, "no operation") == 0) {
			printf("FAIL %s: no operation\n", argv[i]);
			failures++;
		} else {
			printf("rejected %s: %s\n",
			    strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i], msg);
		}
		cJSON_Delete(rec);
	}
	printf("reject %d/%d mutations rejected\n", argc - failures, argc);
	return failures ? 1 : 0;
}

static const char *
type_name(const pvecg_rt_field *f)
{
	static const char *const names[] = { "?", "boolean", "integer", "number", "string",
		"object", "any" };

	return f->type < sizeof(names) / sizeof(names[0]) ? names[f->type] : "?";
}

static void
dump(const char *op, const pvecg_rt_model *m, const char *path, int depth)
{
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;
	char sub[1024];

	if (depth > 24)
		return;
	for (size_t i = 0; i < m->n_fields; i++) {
		const pvecg_rt_field *f = &fs[i];
		const char *name = m->shard->pool + f->name;

		if (m->kind == PVECG_RT_K_VALUE)
			snprintf(sub, sizeof(sub), "%s%s", path,
			    f->flags & PVECG_RT_F_ARRAY ? "[]" : "");
		else
			snprintf(sub, sizeof(sub), "%s.%s%s", path, name,
			    f->flags & PVECG_RT_F_ARRAY ? "[]" : "");
		printf("%s %s %s\n", op, sub, type_name(f));
		if (f->type == PVECG_RT_OBJ)
			dump(op, &m->shard->models[f->sub], sub, depth + 1);
	}
}

static int
cmd_types(void)
{
	for (size_t i = 0; i < PVE_MODELS_N_OPS; i++) {
		if (pve_models_ops[i].request)
			dump(pve_models_ops[i].op_id, pve_models_ops[i].request, "params", 0);
		dump(pve_models_ops[i].op_id, pve_models_ops[i].response, "data", 0);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return cmd_parse(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "strict") == 0)
		return cmd_parse(argv[2], PVECG_RT_STRICT);
	if (argc >= 3 && strcmp(argv[1], "reject") == 0)
		return cmd_reject(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "types") == 0)
		return cmd_types();
	fprintf(
	    stderr, "usage: wire parse DIR | wire strict DIR | wire reject FILE... | wire types\n");
	return 2;
}
