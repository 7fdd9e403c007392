/* diff inputs: one side of a comparison is a version directory, an
 * openapi.json or raw_capture.json file, or a TAG under a product root.
 * A raw capture becomes OpenAPI in memory through the pipeline's own
 * capture and openapi stages, so both sides are compared as documents. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pvecg/capture.h"
#include "pvecg/diff.h"
#include "pvecg/json.h"
#include "pvecg/openapi.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"

#define MAX_DOC (512u * 1024 * 1024)
#define DEFAULT_ROOT "generated/proxmox"

static bool
exists(const char *path, bool want_dir)
{
	struct stat st;

	return stat(path, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* check_tag trims in place; ours is a plain test on a copy. */
static bool
valid_tag(const char *s)
{
	char tmp[256];

	if (pvecg_path(tmp, sizeof(tmp), "%s", s) != 0)
		return false;
	return pvecg_urlguard_check_tag(tmp, NULL) == 0 && strcmp(tmp, s) == 0;
}

/* The version tag a capture stands for: its directory's name when that is
 * a valid tag ("generated/proxmox/8.4/raw_capture.json" -> "8.4"). */
static void
capture_tag(char *out, size_t cap, const char *path)
{
	char dir[PATH_MAX];
	const char *slash, *base;

	snprintf(out, cap, "capture");
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return;
	dir[slash - dir] = '\0';
	base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	if (base[0] != '\0' && strlen(base) < cap && valid_tag(base))
		snprintf(out, cap, "%s", base);
}

PVECG_NODISCARD static int
load_capture(cJSON **out, const char *path, pvecg_error *err)
{
	cJSON *cap = NULL;
	char tag[128];
	int rc;

	rc = pvecg_capture_load(&cap, path, err);
	if (rc != 0)
		return rc;
	capture_tag(tag, sizeof(tag), path);
	rc = pvecg_openapi_build(out, cap, tag, err);
	cJSON_Delete(cap);
	return rc;
}

PVECG_NODISCARD static int
load_file(cJSON **out, const char *path, pvecg_error *err)
{
	cJSON *doc = NULL;
	int rc;

	rc = pvecg_json_read_file(&doc, path, MAX_DOC, err);
	if (rc != 0)
		return rc;
	if (cJSON_IsObject(pvecg_json_get(doc, "paths")) &&
	    cJSON_IsString(pvecg_json_get(doc, "openapi"))) {
		*out = doc;
		return 0;
	}
	if (cJSON_IsArray(pvecg_json_get(doc, "endpoints"))) {
		cJSON_Delete(doc);
		return load_capture(out, path, err);
	}
	cJSON_Delete(doc);
	return pvecg_error_set(
	    err, PVECG_EINPUT, path, "neither an OpenAPI document nor a raw_capture.json");
}

PVECG_NODISCARD static int
load_dir(cJSON **out, const char *dir, pvecg_error *err)
{
	char path[PATH_MAX];

	if (pvecg_path(path, sizeof(path), "%s/openapi.json", dir) != 0)
		return pvecg_error_set(err, PVECG_EINPUT, dir, "path too long");
	if (exists(path, false))
		return load_file(out, path, err);
	if (pvecg_path(path, sizeof(path), "%s/raw_capture.json", dir) != 0)
		return pvecg_error_set(err, PVECG_EINPUT, dir, "path too long");
	if (exists(path, false))
		return load_capture(out, path, err);
	return pvecg_error_set(
	    err, PVECG_EINPUT, dir, "no openapi.json or raw_capture.json in this directory");
}

int
pvecg_diff_load(cJSON **out, const char *arg, const char *root, pvecg_error *err)
{
	char path[PATH_MAX];

	*out = NULL;
	if (arg == NULL || arg[0] == '\0')
		return pvecg_error_set(err, PVECG_EUSAGE, "diff", "empty OLD or NEW");
	if (exists(arg, true))
		return load_dir(out, arg, err);
	if (exists(arg, false))
		return load_file(out, arg, err);
	/* A bare tag names ROOT/TAG. */
	if (strchr(arg, '/') == NULL && valid_tag(arg) &&
	    pvecg_path(path, sizeof(path), "%s/%s", root ? root : DEFAULT_ROOT, arg) == 0 &&
	    exists(path, true))
		return load_dir(out, path, err);
	return pvecg_error_set(err, PVECG_EINPUT, arg,
	    "no such version directory, file, or tag under %s", root ? root : DEFAULT_ROOT);
}
