/* selfcheck: a run checks its own files with verify's checks before it
 * renames them into place; an inconsistent set fails the run and leaves the
 * previous tree as it was. The model_index.json checks see exactly the members
 * the emitter writes. Real pipeline on the PBS 4 fixture, real disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/checksums.h"
#include "pvecg/generate.h"
#include "pvecg/json.h"
#include "pvecg/options.h"
#include "pvecg/output.h"
#include "pvecg/util.h"
#include "pvecg/verify.h"

static char root[PATH_MAX], out_dir[PATH_MAX], source[PATH_MAX];

static int
setup(void **state)
{
	const char *fx = getenv("PVECG_FIXTURES");

	(void)state;
	if (fx == NULL || pvecg_path(source, sizeof(source), "%s/pbs-4.js", fx) != 0 ||
	    access(source, R_OK) != 0) {
		fprintf(stderr, "PVECG_FIXTURES does not hold pbs-4.js\n");
		return -1;
	}
	snprintf(root, sizeof(root), "/tmp/pvecg-selfcheck-XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	return pvecg_path(out_dir, sizeof(out_dir), "%s/out", root);
}

static int
teardown(void **state)
{
	(void)state;
	return pvecg_output_remove(root, NULL);
}

/* One SHA-256 over every file name and byte below the tree, and the count
 * of entries (a leftover temporary directory changes both). */
static pvecg_buf tree_bytes;
static int tree_entries;

static int
tree_add(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	pvecg_buf b = PVECG_BUF_INIT;

	(void)st;
	(void)ftw;
	tree_entries++;
	assert_int_equal(pvecg_buf_append(&tree_bytes, path, strlen(path) + 1), 0);
	if (flag == FTW_F) {
		assert_int_equal(pvecg_read_file(&b, path, 0, NULL), 0);
		assert_int_equal(pvecg_buf_append(&tree_bytes, b.data ? b.data : "", b.len), 0);
		pvecg_buf_free(&b);
	}
	return 0;
}

static void
tree_digest(char hex[65], int *entries)
{
	tree_entries = 0;
	assert_int_equal(nftw(out_dir, tree_add, 16, FTW_PHYS), 0);
	pvecg_sha256_hex(hex, tree_bytes.data ? tree_bytes.data : "", tree_bytes.len);
	pvecg_buf_free(&tree_bytes);
	*entries = tree_entries;
}

/* The options of `generate --quiet` and the pipeline settings made of them. */
static void
parse_opts(pvecg_options *o, pvecg_generate_config *c)
{
	char *argv[] = { "proxmox-sdk-codegen", "--quiet", "--source", source, "--version-tag", "t",
		"--output-dir", out_dir, NULL };
	pvecg_error err;

	pvecg_error_clear(&err);
	assert_int_equal(pvecg_options_parse(o, 8, argv, &err), 0);
	pvecg_options_generate_config(c, o);
	assert_ptr_equal(c->log, stderr);
	assert_true(c->quiet);
	assert_string_equal(c->output_dir, out_dir);
}

static void
decrement(cJSON *obj, const char *key)
{
	cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_true(cJSON_IsNumber(n));
	cJSON_SetNumberValue(n, n->valuedouble - 1);
}

/* Drops one method from raw_capture.json, with its counts, and rewrites
 * SHA256SUMS: every file is intact and the capture agrees with itself, but
 * it has one method fewer than openapi.json has operations, as if a stage
 * had lost one. *was: the methods before. */
static void
lose_a_method(pvecg_files *files, long *was)
{
	const pvecg_file *f = pvecg_files_get(files, "raw_capture.json");
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *doc, *counts, *ep, *ms = NULL;
	char method[8];
	size_t i, len;

	assert_non_null(f);
	doc = cJSON_ParseWithLength(f->data, f->len);
	assert_non_null(doc);
	counts = cJSON_GetObjectItemCaseSensitive(doc, "counts");
	*was = (long)cJSON_GetObjectItemCaseSensitive(counts, "methods")->valuedouble;
	cJSON_ArrayForEach(ep, cJSON_GetObjectItemCaseSensitive(doc, "endpoints")) {
		ms = cJSON_GetObjectItemCaseSensitive(ep, "methods");
		if (cJSON_GetArraySize(ms) >= 2)
			break;
	}
	assert_non_null(ep);
	snprintf(method, sizeof(method), "%s", ms->child->string);
	cJSON_DeleteItemFromObjectCaseSensitive(ms, method);
	decrement(counts, "methods");
	decrement(cJSON_GetObjectItemCaseSensitive(counts, "per_method"), method);
	assert_int_equal(pvecg_json_write(&b, doc), 0);
	cJSON_Delete(doc);
	for (i = 0; i < files->n; i++) {
		if (strcmp(files->items[i].path, "raw_capture.json") == 0) {
			free(files->items[i].data);
			files->items[i].data = pvecg_buf_steal(&b, &len);
			files->items[i].len = len;
		}
	}
	assert_int_equal(pvecg_checksums_add(files, NULL), 0);
}

static void
test_inconsistent_set_fails_the_run_and_keeps_the_tree(void **state)
{
	char before[65], after[65];
	char line[PATH_MAX + 256], want[PATH_MAX + 256];
	pvecg_files files = { NULL, 0, 0 };
	pvecg_run_report rep;
	pvecg_options o;
	pvecg_generate_config cfg;
	pvecg_error err;
	int n_before, n_after;
	long methods;
	FILE *fp;

	(void)state;
	parse_opts(&o, &cfg);
	/* a good run first: the tree a failed run must leave alone */
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_generate_run(&rep, &o.jobs[0], &cfg, &err), 0);
	tree_digest(before, &n_before);

	memset(&rep, 0, sizeof(rep));
	assert_int_equal(pvecg_generate_files(&files, &rep, &o.jobs[0], &cfg, &err), 0);
	lose_a_method(&files, &methods);
	assert_int_equal(methods, 367);

	/* the check itself: exactly the one disagreement, named */
	fp = tmpfile();
	assert_non_null(fp);
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_verify_files(&files, "DIR", "t", NULL, fp, &err), PVECG_EINTERNAL);
	assert_string_equal(err.message,
	    "self-check failed: 1 problem(s) in the files this run made; nothing was written");
	rewind(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	snprintf(want, sizeof(want),
	    "DIR/raw_capture.json: counts.methods is %ld but openapi.json has %ld operations\n",
	    methods - 1, methods);
	assert_string_equal(line, want);
	assert_null(fgets(line, sizeof(line), fp));
	fclose(fp);

	/* the run: fails before anything is written, its finding on the
	 * config's log stream (quiet drops warnings, not findings) */
	pvecg_error_clear(&err);
	cfg.log = tmpfile();
	assert_non_null(cfg.log);
	assert_int_equal(
	    pvecg_generate_commit(&rep, &files, &o.jobs[0], &cfg, &err), PVECG_EINTERNAL);
	rewind(cfg.log);
	snprintf(want, sizeof(want),
	    "%s/t/raw_capture.json: counts.methods is %ld but openapi.json has %ld operations\n",
	    out_dir, methods - 1, methods);
	assert_non_null(fgets(line, sizeof(line), cfg.log));
	assert_string_equal(line, want);
	assert_null(fgets(line, sizeof(line), cfg.log));
	fclose(cfg.log);
	tree_digest(after, &n_after);
	assert_int_equal(n_after, n_before);
	assert_string_equal(after, before);

	pvecg_files_free(&files);
	pvecg_options_free(&o);
}

static void
test_consistent_set_passes_and_a_changed_byte_does_not(void **state)
{
	pvecg_files files = { NULL, 0, 0 };
	pvecg_run_report rep;
	pvecg_options o;
	pvecg_generate_config cfg;
	pvecg_error err;
	size_t i;
	FILE *fp;
	char line[1024];

	(void)state;
	parse_opts(&o, &cfg);
	memset(&rep, 0, sizeof(rep));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_generate_files(&files, &rep, &o.jobs[0], &cfg, &err), 0);
	assert_int_equal(pvecg_verify_files(&files, "DIR", "t", NULL, stderr, &err), 0);
	/* a byte of a source file changed after SHA256SUMS was made */
	for (i = 0; i < files.n && strcmp(files.items[i].path, "pbs_models.c") != 0; i++)
		;
	assert_true(i < files.n && files.items[i].len > 0);
	files.items[i].data[0] ^= 1;
	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(pvecg_verify_files(&files, "DIR", "t", NULL, fp, &err), PVECG_EINTERNAL);
	rewind(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_non_null(strstr(line, "DIR/SHA256SUMS: pbs_models.c: SHA-256 is "));
	assert_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	pvecg_files_free(&files);
	pvecg_options_free(&o);
}

/* The capture's counts against its own content: a duplicate path counted
 * that the list does not hold. */
static void
test_capture_counts_must_match_its_lists(void **state)
{
	pvecg_files files = { NULL, 0, 0 };
	pvecg_run_report rep;
	pvecg_options o;
	pvecg_generate_config cfg;
	pvecg_error err;
	pvecg_buf b = PVECG_BUF_INIT;
	const pvecg_file *f;
	cJSON *doc;
	char line[1024];
	size_t i, len;
	FILE *fp;

	(void)state;
	parse_opts(&o, &cfg);
	memset(&rep, 0, sizeof(rep));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_generate_files(&files, &rep, &o.jobs[0], &cfg, &err), 0);
	f = pvecg_files_get(&files, "raw_capture.json");
	doc = cJSON_ParseWithLength(f->data, f->len);
	assert_non_null(doc);
	cJSON_SetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(doc, "counts"), "duplicate_paths"),
	    1);
	assert_int_equal(pvecg_json_write(&b, doc), 0);
	cJSON_Delete(doc);
	for (i = 0; i < files.n; i++) {
		if (strcmp(files.items[i].path, "raw_capture.json") == 0) {
			free(files.items[i].data);
			files.items[i].data = pvecg_buf_steal(&b, &len);
			files.items[i].len = len;
		}
	}
	assert_int_equal(pvecg_checksums_add(&files, NULL), 0);
	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(pvecg_verify_files(&files, "DIR", "t", NULL, fp, &err), PVECG_EINTERNAL);
	rewind(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line,
	    "DIR/raw_capture.json: counts.duplicate_paths is 1 but the file "
	    "holds 0 duplicate paths\n");
	assert_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	pvecg_files_free(&files);
	pvecg_options_free(&o);
}

/* model_index.json of a fresh PBS 4 set, changed by edit and re-summed;
 * out: everything verify printed about the set. */
static void
verify_edited_index(char *out, size_t cap, void (*edit)(cJSON *doc))
{
	pvecg_files files = { NULL, 0, 0 };
	pvecg_run_report rep;
	pvecg_options o;
	pvecg_generate_config cfg;
	pvecg_error err;
	pvecg_buf b = PVECG_BUF_INIT;
	const pvecg_file *f;
	cJSON *doc;
	size_t i, len, got;
	FILE *fp;

	parse_opts(&o, &cfg);
	memset(&rep, 0, sizeof(rep));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_generate_files(&files, &rep, &o.jobs[0], &cfg, &err), 0);
	f = pvecg_files_get(&files, "model_index.json");
	assert_non_null(f);
	doc = pvecg_json_parse(f->data, f->len, NULL);
	assert_non_null(doc);
	edit(doc);
	assert_int_equal(pvecg_json_write(&b, doc), 0);
	cJSON_Delete(doc);
	for (i = 0; i < files.n; i++) {
		if (strcmp(files.items[i].path, "model_index.json") == 0) {
			free(files.items[i].data);
			files.items[i].data = pvecg_buf_steal(&b, &len);
			files.items[i].len = len;
		}
	}
	assert_int_equal(pvecg_checksums_add(&files, NULL), 0);
	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(pvecg_verify_files(&files, "DIR", "t", NULL, fp, &err), PVECG_EINTERNAL);
	rewind(fp);
	got = fread(out, 1, cap - 1, fp);
	out[got] = '\0';
	fclose(fp);
	pvecg_files_free(&files);
	pvecg_options_free(&o);
}

static cJSON *
get_version_record(cJSON *doc)
{
	cJSON *rec = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "operations"), "get_version");

	assert_true(cJSON_IsObject(rec));
	return rec;
}

static void
wrong_shard_symbol(cJSON *doc)
{
	cJSON *rec = get_version_record(doc);

	assert_string_equal(pvecg_json_str(rec, "shard_symbol"), "pbs_shard_version");
	cJSON_ReplaceItemInObjectCaseSensitive(
	    rec, "shard_symbol", cJSON_CreateString("pbs_shard_versions"));
}

/* A real member with a value the shard does not hold: the schema cannot
 * see it, the index check does. */
static void
test_index_with_a_wrong_shard_symbol_is_rejected(void **state)
{
	char out[4096];

	(void)state;
	verify_edited_index(out, sizeof(out), wrong_shard_symbol);
	assert_string_equal(out,
	    "DIR/model_index.json: get_version: shard_symbol "
	    "pbs_shard_versions is not declared in its shard (models/version.h)\n");
}

static void
drop_response_model(cJSON *doc)
{
	cJSON_DeleteItemFromObjectCaseSensitive(get_version_record(doc), "response_model");
}

static void
test_index_without_response_model_is_rejected(void **state)
{
	char out[4096];

	(void)state;
	verify_edited_index(out, sizeof(out), drop_response_model);
	assert_string_equal(out,
	    "DIR/model_index.json: get_version: no response_model\n"
	    "DIR/model_index.json: $.operations.get_version: missing required member "
	    "\"response_model\" (schema)\n");
}

/* The model name under a guessed key ("model", as other generators spell
 * it) instead of response_model: it is not taken for the real member. */
static void
guessed_model_key(cJSON *doc)
{
	cJSON *rec = get_version_record(doc);

	assert_non_null(cJSON_AddStringToObject(rec, "model", "GetVersionResponse"));
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "response_model");
}

static void
test_index_with_a_guessed_model_key_is_not_accepted(void **state)
{
	char out[4096];

	(void)state;
	verify_edited_index(out, sizeof(out), guessed_model_key);
	assert_string_equal(out,
	    "DIR/model_index.json: get_version: no response_model\n"
	    "DIR/model_index.json: $.operations.get_version: missing required member "
	    "\"response_model\" (schema)\n"
	    "DIR/model_index.json: $.operations.get_version.model: unexpected member (schema)\n");
}

/* A shard's operation count that its operations do not add up to. */
static void
wrong_shard_count(cJSON *doc)
{
	cJSON *sh = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "shards"), "version");

	assert_int_equal(pvecg_json_str(sh, "group") != NULL, 1);
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(sh, "operations"), 2);
}

static void
test_index_with_a_wrong_shard_count_is_rejected(void **state)
{
	char out[4096];

	(void)state;
	verify_edited_index(out, sizeof(out), wrong_shard_count);
	assert_string_equal(out,
	    "DIR/model_index.json: shard version: operations is 2 but "
	    "1 operation(s) name it\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inconsistent_set_fails_the_run_and_keeps_the_tree),
		cmocka_unit_test(test_consistent_set_passes_and_a_changed_byte_does_not),
		cmocka_unit_test(test_capture_counts_must_match_its_lists),
		cmocka_unit_test(test_index_with_a_wrong_shard_symbol_is_rejected),
		cmocka_unit_test(test_index_without_response_model_is_rejected),
		cmocka_unit_test(test_index_with_a_guessed_model_key_is_not_accepted),
		cmocka_unit_test(test_index_with_a_wrong_shard_count_is_rejected),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
