/* verify, internal: what the checks of one version directory share
 * (verify.c runs them; verify_counts.c, verify_index.c and verify_files.c
 * hold the checks of one artifact each). */
#ifndef PVECG_VERIFY_INT_H
#define PVECG_VERIFY_INT_H

#include <limits.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "pvecg/buf.h"
#include "pvecg/files.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json_arena.h"

#define MAX_JSON (512u * 1024 * 1024)
#define MAX_HEADER (256u * 1024 * 1024)
#define MAX_SCHEMA_FAILS 50
#define MAX_WALK_DEPTH 8
#define NARTIFACTS 3

struct vstate {
	FILE *fp;
	const pvecg_files *mem; /* check this set instead of reading files */
	const char *schemas_dir;
	size_t failures;
	cJSON *schemas[NARTIFACTS];
	int schema_loaded[NARTIFACTS];
	int fatal; /* out of memory: stop */
};

/* One operation of openapi.json. */
struct op {
	char method[8];
	char *path; /* copies: the tree is gone */
	char *id;
	int in_routes, in_index;
};

/* What one version directory holds, as far as the checks need it. */
struct vdir {
	char dir[PATH_MAX]; /* as given, no trailing '/' */
	char expected_tag[NAME_MAX + 1];
	int latest_copy; /* "latest" that is a directory, not a link */
	int have_sha;
	char sha[65];
	int have_openapi; /* openapi.json parsed: npaths, per_method, ops are its */
	long npaths;
	long per_method[PVECG_HTTP_NMETHODS];
	struct op *ops;
	size_t nops;
	char sibling_tag[NAME_MAX + 1]; /* last sibling judged for a latest copy */
	int sibling_ok;
};

/* "<file>: <what>" with control characters from the files made harmless. */
void verify_failure(struct vstate *s, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int verify_ends_with(const char *s, const char *suffix);
/* The bytes of DIR/REL: borrowed from the file set of a self-check, else
 * read into *owned. 1 when there, 0 when missing, -1 when unreadable
 * (reported here). */
PVECG_NODISCARD int verify_bytes(struct vstate *s, const char *dir, const char *rel, size_t max,
    pvecg_buf *owned, const char **data, size_t *len);
/* Reads and parses DIR/NAME; a missing or broken file is one failure.
 * With sha, the SHA-256 of the bytes is taken even when they do not parse. */
cJSON *verify_load_json(struct vstate *s, const char *dir, const char *name, char sha[65]);
/* The same without a hash, the tree in its own arena: a document that is
 * checked and dropped; free it with pvecg_json_arena_free(*arena) on this
 * thread (not cJSON_Delete). NULL (and *arena NULL) as verify_load_json. */
cJSON *
verify_load_doc(struct vstate *s, const char *dir, const char *name, pvecg_json_arena **arena);
struct op *verify_find_op_by_id(struct vdir *v, const char *id);
struct op *verify_find_op(struct vdir *v, const char *method, const char *path);
/* A version tag found in file (what: where in it) against the expected tag. */
void verify_check_tag(
    struct vstate *s, struct vdir *v, const char *file, const char *what, const char *tag);
/* An openapi_sha256 pin found in file against openapi.json's. */
void verify_check_sha(struct vstate *s, const struct vdir *v, const char *file, const char *sha);
/* doc against schema artifact_names[which] (0 raw_capture, 1 route_metadata,
 * 2 model_index). */
void verify_validate(struct vstate *s, int which, const char *file, const cJSON *doc);
/* A number member of obj; *ok 0 (and -1 returned) when it is not one. */
long verify_get_long(const cJSON *obj, const char *key, int *ok);
/* key is "name" or "object.name" (one level). */
void verify_check_count(struct vstate *s, const char *file, const cJSON *obj, const char *key,
    long want, const char *what);

/* The checks of one artifact each. */
void verify_routes(struct vstate *s, struct vdir *v);
void verify_capture(struct vstate *s, struct vdir *v);
void verify_index(struct vstate *s, struct vdir *v);
void verify_headers_in(struct vstate *s, struct vdir *v, const char *dir, int depth);
void verify_headers_mem(struct vstate *s, struct vdir *v);
void verify_sums(struct vstate *s, struct vdir *v);

#endif
