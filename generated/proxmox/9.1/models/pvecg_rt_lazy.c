/* pvecg_rt_lazy: "import only the shard needed" in C. Reads model_index.json,
 * dlopens the one shard library an operation lives in, checks its ABI and
 * openapi pin, and hands out its models. Needs libdl.
 * This file is copied verbatim into every generated models/ directory. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* strdup, dlopen */
#endif
#include "pvecg_rt.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lazy_shard {
	char *library;
	void *handle;
	const pvecg_rt_shard *shard;
} lazy_shard;

struct pvecg_rt_lazy {
	cJSON *index;
	char *lib_dir;
	lazy_shard *open;
	size_t n_open;
};

static int lz_fail(pvecg_rt_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
lz_fail(pvecg_rt_error *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = code;
		snprintf(err->path, sizeof(err->path), "%s", where);
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

static char *
read_text(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long size;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1))) {
		if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
			free(buf);
			buf = NULL;
		} else {
			buf[size] = '\0';
			*len = (size_t)size;
		}
	}
	fclose(fp);
	return buf;
}

static char *
join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

/* "<dir of index>/models" */
static char *
default_lib_dir(const char *index_path)
{
	const char *slash = strrchr(index_path, '/');
	size_t n = slash ? (size_t)(slash - index_path) : 1;
	char *dir = malloc(n + 1);
	char *out;
	if (!dir)
		return NULL;
	memcpy(dir, slash ? index_path : ".", n);
	dir[n] = '\0';
	out = join(dir, "models");
	free(dir);
	return out;
}

int
pvecg_rt_lazy_open(
    pvecg_rt_lazy **out, const char *index_path, const char *lib_dir, pvecg_rt_error *err)
{
	pvecg_rt_lazy *lz;
	size_t len = 0;
	char *text;

	*out = NULL;
	text = read_text(index_path, &len);
	if (!text)
		return lz_fail(err, PVECG_RT_EIO, index_path, "cannot read");
	lz = calloc(1, sizeof(*lz));
	if (!lz) {
		free(text);
		return lz_fail(err, PVECG_RT_ENOMEM, index_path, "out of memory");
	}
	lz->index = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(lz->index) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(lz->index, "operations"))) {
		pvecg_rt_lazy_close(lz);
		return lz_fail(err, PVECG_RT_ESYNTAX, index_path,
		    "not a model_index.json (no operations object)");
	}
	lz->lib_dir = lib_dir ? strdup(lib_dir) : default_lib_dir(index_path);
	if (!lz->lib_dir) {
		pvecg_rt_lazy_close(lz);
		return lz_fail(err, PVECG_RT_ENOMEM, index_path, "out of memory");
	}
	*out = lz;
	return 0;
}

static const char *
index_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks the loaded record against the runtime and the index pin. */
PVECG_RT_NODISCARD static int
check_shard(
    const pvecg_rt_lazy *lz, const pvecg_rt_shard *s, const char *library, pvecg_rt_error *err)
{
	const char *pin = index_str(lz->index, "openapi_sha256");
	if (pvecg_rt_shard_check(s, err))
		return PVECG_RT_EABI;
	if (pin && (!s->openapi_sha256 || strcmp(pin, s->openapi_sha256) != 0))
		return lz_fail(err, PVECG_RT_EABI, library,
		    "shard made from another openapi.json than model_index.json (%s)",
		    s->openapi_sha256);
	return 0;
}

PVECG_RT_NODISCARD static int
load_shard(const pvecg_rt_shard **out, pvecg_rt_lazy *lz, const char *library, const char *symbol,
    pvecg_rt_error *err)
{
	lazy_shard *grown;
	void *handle;
	char *path;
	const pvecg_rt_shard *s = NULL;

	for (size_t i = 0; i < lz->n_open; i++) {
		if (strcmp(lz->open[i].library, library) == 0) {
			*out = lz->open[i].shard;
			return 0;
		}
	}
	if (strchr(library, '/'))
		return lz_fail(
		    err, PVECG_RT_EINVAL, library, "shard_library must be a plain file name");
	path = join(lz->lib_dir, library);
	if (!path)
		return lz_fail(err, PVECG_RT_ENOMEM, library, "out of memory");
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	free(path);
	if (!handle)
		return lz_fail(err, PVECG_RT_EIO, library, "dlopen: %s", dlerror());
	s = (const pvecg_rt_shard *)dlsym(handle, symbol);
	if (!s) {
		dlclose(handle);
		return lz_fail(err, PVECG_RT_ENOTFOUND, library, "no shard record %s", symbol);
	}
	if (check_shard(lz, s, library, err)) {
		dlclose(handle);
		return PVECG_RT_EABI;
	}
	grown = realloc(lz->open, (lz->n_open + 1) * sizeof(*grown));
	if (!grown || !(grown[lz->n_open].library = strdup(library))) {
		if (grown)
			lz->open = grown;
		dlclose(handle);
		return lz_fail(err, PVECG_RT_ENOMEM, library, "out of memory");
	}
	lz->open = grown;
	grown[lz->n_open].handle = handle;
	grown[lz->n_open].shard = s;
	lz->n_open++;
	*out = s;
	return 0;
}

int
pvecg_rt_lazy_find(const pvecg_rt_model **request, const pvecg_rt_model **response,
    pvecg_rt_lazy *lz, const char *op_id, pvecg_rt_error *err)
{
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(lz->index, "operations");
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(ops, op_id);
	const char *library = index_str(op, "shard_library");
	const char *symbol = index_str(op, "shard_symbol");
	const pvecg_rt_shard *s = NULL;
	const pvecg_rt_op *rec;
	int rc;

	if (request)
		*request = NULL;
	if (response)
		*response = NULL;
	if (!cJSON_IsObject(op))
		return lz_fail(err, PVECG_RT_ENOTFOUND, op_id, "operation not in model_index.json");
	if (!library || !symbol)
		return lz_fail(
		    err, PVECG_RT_ESYNTAX, op_id, "index entry lacks shard_library / shard_symbol");
	rc = load_shard(&s, lz, library, symbol, err);
	if (rc)
		return rc;
	rec = pvecg_rt_shard_op(s, op_id);
	if (!rec)
		return lz_fail(
		    err, PVECG_RT_ENOTFOUND, op_id, "operation not in its shard %s", library);
	if (request)
		*request = pvecg_rt_op_request(s, rec);
	if (response)
		*response = pvecg_rt_op_response(s, rec);
	return 0;
}

void
pvecg_rt_lazy_close(pvecg_rt_lazy *lz)
{
	if (!lz)
		return;
	for (size_t i = 0; i < lz->n_open; i++) {
		dlclose(lz->open[i].handle);
		free(lz->open[i].library);
	}
	free(lz->open);
	free(lz->lib_dir);
	cJSON_Delete(lz->index);
	free(lz);
}
