/* The set of files a run produces, held in memory until the output stage
 * writes them all at once (atomic rename) or compares them (--check). */
#ifndef PVECG_FILES_H
#define PVECG_FILES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

typedef struct pvecg_file {
	char *path;  /* relative to the version directory, '/'-separated */
	char *data;
	size_t len;
} pvecg_file;

typedef struct pvecg_files {
	pvecg_file *items;
	size_t n, cap;
} pvecg_files;

/* Takes ownership of data (malloc'd) even on failure. */
PVECG_NODISCARD int pvecg_files_add(pvecg_files *fs, const char *path, char *data, size_t len);
PVECG_NODISCARD int pvecg_files_add_copy(pvecg_files *fs, const char *path, const void *data, size_t len);
/* Serializes node canonically and adds it. */
PVECG_NODISCARD int pvecg_files_add_json(pvecg_files *fs, const char *path, const cJSON *node);
const pvecg_file *pvecg_files_get(const pvecg_files *fs, const char *path);
/* Sorts by path so every consumer sees one order. */
void pvecg_files_sort(pvecg_files *fs);
void pvecg_files_free(pvecg_files *fs);

#endif
