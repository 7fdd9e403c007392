/* files: the in-memory set of files a run produces, added, looked up and
 * sorted here before the output stage writes or compares them. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/files.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

int
pvecg_files_add(pvecg_files *fs, const char *path, char *data, size_t len)
{
	pvecg_file *f;

	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 64;
		pvecg_file *p = realloc(fs->items, cap * sizeof(*p));

		if (p == NULL) {
			free(data);
			return PVECG_ENOMEM;
		}
		fs->items = p;
		fs->cap = cap;
	}
	f = &fs->items[fs->n];
	f->path = pvecg_strdup(path);
	if (f->path == NULL) {
		free(data);
		return PVECG_ENOMEM;
	}
	f->data = data;
	f->len = len;
	f->sha256[0] = '\0';
	fs->n++;
	return 0;
}

int
pvecg_files_add_copy(pvecg_files *fs, const char *path, const void *data, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return PVECG_ENOMEM;
	memcpy(p, data, len);
	p[len] = '\0';
	return pvecg_files_add(fs, path, p, len);
}

int
pvecg_files_add_hashed(
    pvecg_files *fs, const char *path, char *data, size_t len, const char sha256[65])
{
	pvecg_file *f;
	int rc = pvecg_files_add(fs, path, data, len);

	if (rc == 0) {
		f = &fs->items[fs->n - 1];
		memcpy(f->sha256, sha256, sizeof(f->sha256));
		f->sha256_of = data;
		f->sha256_len = len;
	}
	return rc;
}

int
pvecg_files_add_json(pvecg_files *fs, const char *path, const cJSON *node)
{
	pvecg_buf b = PVECG_BUF_INIT;
	size_t len;
	char *data;

	if (pvecg_json_write(&b, node) != 0) {
		pvecg_buf_free(&b);
		return PVECG_ENOMEM;
	}
	if ((data = pvecg_buf_steal(&b, &len)) == NULL)
		return PVECG_ENOMEM;
	return pvecg_files_add(fs, path, data, len);
}

const pvecg_file *
pvecg_files_get(const pvecg_files *fs, const char *path)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->items[i].path, path) == 0)
			return &fs->items[i];
	return NULL;
}

pvecg_file *
pvecg_files_find(pvecg_files *fs, const char *path)
{
	return (pvecg_file *)pvecg_files_get(fs, path);
}

const char *
pvecg_file_sha256(pvecg_file *f)
{
	if (f->sha256[0] == '\0' || f->sha256_of != f->data || f->sha256_len != f->len) {
		pvecg_sha256_hex(f->sha256, f->data ? f->data : "", f->len);
		f->sha256_of = f->data;
		f->sha256_len = f->len;
	}
	return f->sha256;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const pvecg_file *)a)->path, ((const pvecg_file *)b)->path);
}

void
pvecg_files_sort(pvecg_files *fs)
{
	if (fs->n > 1)
		qsort(fs->items, fs->n, sizeof(fs->items[0]), file_cmp);
}

void
pvecg_files_free(pvecg_files *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->items[i].path);
		free(fs->items[i].data);
	}
	free(fs->items);
	memset(fs, 0, sizeof(*fs));
}
