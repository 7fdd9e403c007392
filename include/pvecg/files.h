/* The set of files a run produces, held in memory until the output stage
 * writes them all at once (atomic rename) or compares them (--check). */
#ifndef PVECG_FILES_H
#define PVECG_FILES_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

typedef struct pvecg_file {
	char *path; /* relative to the version directory, '/'-separated */
	char *data;
	size_t len;
	char sha256[65];       /* hex SHA-256 of data once pvecg_file_sha256 took it, else "" */
	const char *sha256_of; /* the data and len it was taken of */
	size_t sha256_len;
} pvecg_file;

typedef struct pvecg_files {
	pvecg_file *items;
	size_t n, cap;
} pvecg_files;

/* Takes ownership of data (malloc'd) even on failure. */
PVECG_NODISCARD int pvecg_files_add(pvecg_files *fs, const char *path, char *data, size_t len);
PVECG_NODISCARD int
pvecg_files_add_copy(pvecg_files *fs, const char *path, const void *data, size_t len);
/* pvecg_files_add with the SHA-256 of data already taken (lower-case hex),
 * so pvecg_file_sha256 need not hash it again. */
PVECG_NODISCARD int pvecg_files_add_hashed(
    pvecg_files *fs, const char *path, char *data, size_t len, const char sha256[65]);
/* Serializes node canonically and adds it. */
PVECG_NODISCARD int pvecg_files_add_json(pvecg_files *fs, const char *path, const cJSON *node);
const pvecg_file *pvecg_files_get(const pvecg_files *fs, const char *path);
pvecg_file *pvecg_files_find(pvecg_files *fs, const char *path);
/* The hex SHA-256 of f's bytes, taken once and shared by the openapi pin
 * and SHA256SUMS; taken again when f->data or f->len changed since. (The
 * self-check hashes the bytes itself: it must see a byte changed in
 * place after the list was made.) */
const char *pvecg_file_sha256(pvecg_file *f);
/* Sorts by path so every consumer sees one order. */
void pvecg_files_sort(pvecg_files *fs);
void pvecg_files_free(pvecg_files *fs);

#endif
