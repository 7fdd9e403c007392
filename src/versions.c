/* versions: the version directories below an output root (generated/, one
 * product directory or one version directory), and their listing.
 *
 * A version directory is one holding any of openapi.json, route_metadata.json,
 * model_index.json or raw_capture.json; hidden entries (".9.1.tmp-...") are
 * skipped. The listing names each with its product, path and operation
 * counts and the SHA-256 of its openapi.json. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvecg/buf.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/util.h"
#include "pvecg/versions.h"

#define MAX_JSON (512u * 1024 * 1024)

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
is_version_dir(const char *dir)
{
	static const char *const marks[] = { "openapi.json", "route_metadata.json",
		"model_index.json", "raw_capture.json" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (pvecg_path_join(p, sizeof(p), dir, marks[i]) == 0 && pvecg_path_exists(p))
			return 1;
	return 0;
}

/* Calls fn for every version directory at ROOT, one or two levels below. */
PVECG_NODISCARD static int
walk(const char *root, int depth, const char *rel, pvecg_version_fn fn, void *ctx, size_t *found)
{
	struct dirent **ents = NULL;
	int n, i, rc = 0;

	if (is_version_dir(root)) {
		fn(ctx, root, rel[0] ? rel : pvecg_path_base_name(root));
		(*found)++;
		return 0;
	}
	if (depth >= 2)
		return 0;
	n = scandir(root, &ents, NULL, alphasort);
	if (n < 0)
		return PVECG_EIO;
	for (i = 0; i < n && rc == 0; i++) {
		char path[PATH_MAX], sub[PATH_MAX];

		if (ents[i]->d_name[0] == '.')
			continue;
		if (pvecg_path_join(path, sizeof(path), root, ents[i]->d_name) != 0 ||
		    (rel[0] ? pvecg_path_join(sub, sizeof(sub), rel, ents[i]->d_name)
		            : snprintf(sub, sizeof(sub), "%s", ents[i]->d_name) < 0))
			continue;
		if (is_dir(path))
			rc = walk(path, depth + 1, sub, fn, ctx, found);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}

int
pvecg_versions_root(char *out, size_t cap, const char *root, pvecg_error *err)
{
	size_t n;

	if (root == NULL || root[0] == '\0')
		return pvecg_error_set(err, PVECG_EUSAGE, "", "no ROOT given");
	n = strlen(root);
	if (n >= cap)
		return pvecg_error_set(err, PVECG_EUSAGE, root, "path too long");
	memcpy(out, root, n + 1);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	if (!is_dir(out))
		return pvecg_error_set(err, PVECG_EIO, root, "not a directory");
	return 0;
}

int
pvecg_versions_walk(const char *root, pvecg_version_fn fn, void *ctx, size_t *found)
{
	return walk(root, 0, "", fn, ctx, found);
}

/* ------------------------------------------------------------------ */
/* Listing                                                              */

struct list_ctx {
	cJSON *arr;
	int fatal;
};

/* The name of the directory holding dir ("proxmox" for .../proxmox/9.1). */
static const char *
parent_name(char real[PATH_MAX], const char *dir)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir);
	if (parent[0] == '\0' || realpath(parent, real) == NULL)
		return "";
	return pvecg_path_base_name(real);
}

static void
list_one(void *ctx, const char *dir, const char *rel)
{
	struct list_ctx *c = ctx;
	char path[PATH_MAX], target[PATH_MAX], real[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	cJSON *o = cJSON_CreateObject(), *doc = NULL;
	long npaths = 0, nops = 0;
	char hex[65];
	ssize_t n;

	if (o == NULL || !cJSON_AddItemToArray(c->arr, o)) {
		cJSON_Delete(o);
		c->fatal = 1;
		return;
	}
	n = readlink(dir, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	if (cJSON_AddStringToObject(o, "dir", rel) == NULL ||
	    cJSON_AddStringToObject(o, "product_dir", parent_name(real, dir)) == NULL ||
	    cJSON_AddStringToObject(o, "tag", pvecg_path_base_name(rel)) == NULL ||
	    (n > 0 ? cJSON_AddStringToObject(o, "link", target)
	           : cJSON_AddNullToObject(o, "link")) == NULL)
		c->fatal = 1;
	if (pvecg_path_join(path, sizeof(path), dir, "openapi.json") == 0 &&
	    pvecg_read_file(&b, path, MAX_JSON, NULL) == 0 &&
	    (doc = pvecg_json_parse(b.data, b.len, NULL)) != NULL) {
		pvecg_sha256_hex(hex, b.data, b.len);
		nops = pvecg_httpmethod_count_operations(doc, &npaths, NULL);
		if (cJSON_AddStringToObject(o, "openapi_sha256", hex) == NULL ||
		    cJSON_AddNumberToObject(o, "paths", (double)npaths) == NULL ||
		    cJSON_AddNumberToObject(o, "operations", (double)nops) == NULL ||
		    (pvecg_json_str(pvecg_json_get(doc, "info"), "x-proxmox-product")
		            ? cJSON_AddStringToObject(o, "product",
		                  pvecg_json_str(pvecg_json_get(doc, "info"), "x-proxmox-product"))
		            : cJSON_AddNullToObject(o, "product")) == NULL)
			c->fatal = 1;
	} else if (cJSON_AddNullToObject(o, "openapi_sha256") == NULL ||
	    cJSON_AddNullToObject(o, "paths") == NULL ||
	    cJSON_AddNullToObject(o, "operations") == NULL ||
	    cJSON_AddNullToObject(o, "product") == NULL) {
		c->fatal = 1;
	}
	cJSON_Delete(doc);
	pvecg_buf_free(&b);
}

static void
print_text(FILE *fp, const cJSON *arr)
{
	const cJSON *o;

	fprintf(fp, "%-24s %-7s %6s %10s  %s\n", "DIR", "PRODUCT", "PATHS", "OPERATIONS",
	    "OPENAPI_SHA256");
	cJSON_ArrayForEach(o, arr) {
		const cJSON *paths = cJSON_GetObjectItem(o, "paths");
		const cJSON *ops = cJSON_GetObjectItem(o, "operations");
		const char *link = pvecg_json_str(o, "link");

		fprintf(fp, "%-24s %-7s %6ld %10ld  %s%s%s\n", pvecg_json_str(o, "dir"),
		    pvecg_json_str(o, "product") ? pvecg_json_str(o, "product") : "?",
		    cJSON_IsNumber(paths) ? (long)paths->valuedouble : -1L,
		    cJSON_IsNumber(ops) ? (long)ops->valuedouble : -1L,
		    pvecg_json_str(o, "openapi_sha256") ? pvecg_json_str(o, "openapi_sha256")
		                                        : "(no readable openapi.json)",
		    link ? "  -> " : "", link ? link : "");
	}
}

int
pvecg_versions(const char *root, int json, FILE *fp, pvecg_error *err)
{
	char top[PATH_MAX];
	struct list_ctx c = { NULL, 0 };
	pvecg_buf out = PVECG_BUF_INIT;
	size_t found = 0;
	int rc;

	rc = pvecg_versions_root(top, sizeof(top), root, err);
	if (rc != 0)
		return rc;
	c.arr = cJSON_CreateArray();
	if (c.arr == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	rc = pvecg_versions_walk(top, list_one, &c, &found);
	if (rc != 0) {
		rc = pvecg_error_set(err, rc, top, "cannot list: %s", strerror(errno));
	} else if (c.fatal) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
	} else if (json) {
		/* An empty root is an empty list: scripts iterate over it. */
		if (pvecg_json_write(&out, c.arr) != 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, top, "out of memory");
		else
			fwrite(out.data, 1, out.len, fp);
	} else {
		print_text(fp, c.arr);
	}
	pvecg_buf_free(&out);
	cJSON_Delete(c.arr);
	return rc;
}
