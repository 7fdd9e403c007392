/* pvecg_rt: the one runtime every generated Proxmox C model shares.
 *
 * Generated code is plain structs plus static const descriptor tables; this
 * runtime walks the tables to parse (from cJSON or text), validate, serialize
 * and free any model (the protobuf-c / nanopb way). It depends on cJSON and
 * libc only; pvecg_rt_lazy.c adds dlopen-based shard loading (libdl).
 *
 * Struct conventions (protobuf-c):
 *   optional scalar   bool has_x; int64_t x;     (required scalars: no has_x)
 *   string            char *x;                    NULL = absent
 *   nested object     T *x;                       NULL = absent
 *   array             size_t n_x; T *x;          contiguous elements
 *   free-form / any   cJSON *x;
 *   unknown members   cJSON *extra;               kept, written back
 *
 * This file is copied verbatim into every generated models/ directory. */
#ifndef PVECG_RT_H
#define PVECG_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* Bumped whenever a descriptor record or struct convention changes.
 * Generated headers refuse to compile against another value. */
#define PVECG_RT_ABI 3

#if defined(__GNUC__)
#define PVECG_RT_EXPORT __attribute__((visibility("default")))
/* On every call that returns a status: ignoring one is a bug. */
#define PVECG_RT_NODISCARD __attribute__((warn_unused_result))
#else
#define PVECG_RT_EXPORT
#define PVECG_RT_NODISCARD
#endif

/* Field value types. */
enum {
	PVECG_RT_BOOL = 1, /* bool */
	PVECG_RT_INT = 2,  /* int64_t */
	PVECG_RT_NUM = 3,  /* double */
	PVECG_RT_STR = 4,  /* char * */
	PVECG_RT_OBJ = 5,  /* T * (array: T *, contiguous) */
	PVECG_RT_ANY = 6   /* cJSON * (array: cJSON **) */
};

/* Field flags. */
enum {
	PVECG_RT_F_REQUIRED = 1u << 0,
	PVECG_RT_F_ARRAY = 1u << 1,
	PVECG_RT_F_NULLABLE = 1u << 2,
	/* The API schema calls the member required but Proxmox does not always
	 * send it: missing is a diagnostic, an error only with PVECG_RT_STRICT. */
	PVECG_RT_F_DECLARED = 1u << 3,
	PVECG_RT_F_PROPSTR = 1u << 4, /* string holding a property string:
	                                sub = shard propstr index, presence =
	                                offset of the parsed struct pointer */
	PVECG_RT_F_INDEXED = 1u << 5  /* net[n]: char *x[cons] (pvecg_rt_propstr.h) */
};

/* Constraint flags. */
enum {
	PVECG_RT_C_MIN = 1u << 0,
	PVECG_RT_C_MAX = 1u << 1,
	PVECG_RT_C_MINLEN = 1u << 2,
	PVECG_RT_C_MAXLEN = 1u << 3,
	PVECG_RT_C_ENUM = 1u << 4,
	PVECG_RT_C_PATTERN = 1u << 5,
	PVECG_RT_C_XMIN = 1u << 6, /* exclusiveMinimum */
	PVECG_RT_C_XMAX = 1u << 7  /* exclusiveMaximum */
};

/* Model kinds. */
enum {
	PVECG_RT_K_OBJECT = 1, /* a JSON object; fields are its members */
	PVECG_RT_K_VALUE = 2   /* the whole JSON value is the model's one field */
};

#define PVECG_RT_NONE 0xFFFFu /* "no presence / sub-model / constraint" */

/* One member. Fields of a model are sorted by JSON name (binary search). */
typedef struct pvecg_rt_field {
	uint32_t name;     /* offset of the JSON name in the shard string pool */
	uint16_t offset;   /* offsetof(struct, member) */
	uint16_t presence; /* offset of has_x (bool) or n_x (size_t), or NONE */
	uint8_t type;      /* PVECG_RT_BOOL .. PVECG_RT_ANY */
	uint8_t flags;     /* PVECG_RT_F_* */
	uint16_t sub;      /* model index in the shard (OBJ), else NONE */
	uint16_t cons;     /* constraint index in the shard, else NONE */
} pvecg_rt_field;

/* Limits, only where the schema has them. Patterns are POSIX EREs
 * translated at generation time and matched anchored (as Proxmox does). */
typedef struct pvecg_rt_cons {
	double min, max;
	uint32_t min_len, max_len; /* in bytes */
	uint32_t enum_first;       /* index into the shard enum table */
	uint16_t n_enum;
	uint16_t flags;   /* PVECG_RT_C_* */
	uint32_t pattern; /* pool offset of the ERE */
} pvecg_rt_cons;

struct pvecg_rt_shard;

typedef struct pvecg_rt_model {
	const struct pvecg_rt_shard *shard;
	uint32_t name;        /* pool offset of the C / schema name */
	uint32_t size;        /* sizeof(struct) */
	uint32_t first_field; /* index into the shard field table */
	uint16_t n_fields;
	uint16_t extra; /* offset of cJSON *extra, or NONE */
	uint8_t kind;   /* PVECG_RT_K_* */
} pvecg_rt_model;

/* One operation of the shard's route group; sorted by operationId. */
typedef struct pvecg_rt_op {
	uint32_t op_id; /* pool offsets */
	uint32_t method;
	uint32_t path;
	uint16_t request;  /* model index, or NONE */
	uint16_t response; /* model index */
} pvecg_rt_op;

/* The record each shard exports as <product>_shard_<group> (pve_shard_nodes). */
typedef struct pvecg_rt_shard {
	uint32_t abi; /* PVECG_RT_ABI the shard was generated for */
	const char *group;
	const char *openapi_sha256;
	const char *version_tag;
	const char *pool;
	const pvecg_rt_model *models;
	uint32_t n_models;
	const pvecg_rt_field *fields;
	const pvecg_rt_cons *cons;
	const uint32_t *enums; /* pool offsets */
	const pvecg_rt_op *ops;
	uint32_t n_ops;
	const struct pvecg_rt_propstr *propstrs; /* property-string formats */
	uint32_t n_propstrs;
} pvecg_rt_shard;

/* Runtime errors: the first violation, with its JSON path. */
enum {
	PVECG_RT_OK = 0,
	PVECG_RT_EINVAL = -1, /* input does not match the model */
	PVECG_RT_ENOMEM = -2,
	PVECG_RT_ESYNTAX = -3, /* not JSON */
	PVECG_RT_ENOTFOUND = -4,
	PVECG_RT_EABI = -5, /* shard built for another runtime / openapi */
	PVECG_RT_EIO = -6
};

typedef struct pvecg_rt_error {
	int code;
	char path[256];    /* "data[3].maxmem" */
	char message[256]; /* "expected integer" */
} pvecg_rt_error;

/* Parse flags. */
enum {
	PVECG_RT_NO_VALIDATE = 1u << 0, /* types and required only */
	/* The declared types only: no 0/1, "yes", numeric-string, number-as-
	 * string or "" forms, and declared-required members must be there. */
	PVECG_RT_STRICT = 1u << 1,
	PVECG_RT_PROPSTR = 1u << 2 /* also parse property-string members
	                                   into their typed structs */
};

/* What a tolerant parse accepted that the declared schema does not say
 * (doc/wire-dialect.md); each is an error with PVECG_RT_STRICT. */
enum {
	PVECG_RT_D_BOOL_FORM = 1,  /* 0/1, "0"/"1", "yes", ... for a boolean */
	PVECG_RT_D_NUMERIC_TEXT,   /* "1500" for an integer or number */
	PVECG_RT_D_NUMBER_AS_TEXT, /* a number for a string: kept as its text */
	PVECG_RT_D_EMPTY,          /* "" for a boolean/integer/number: absent */
	PVECG_RT_D_NULL,           /* null for a member: absent (kept by to_json) */
	PVECG_RT_D_MISSING         /* a declared-required member is absent */
};

typedef struct pvecg_rt_diag {
	int kind;       /* PVECG_RT_D_* */
	char path[256]; /* "data[3].mtu" */
} pvecg_rt_diag;

/* A growing list the caller owns; at most PVECG_RT_DIAG_MAX entries are
 * kept, the rest only counted in `dropped`. */
#define PVECG_RT_DIAG_MAX 4096
typedef struct pvecg_rt_diags {
	pvecg_rt_diag *items;
	size_t n, cap;
	size_t dropped;
} pvecg_rt_diags;
#define PVECG_RT_DIAGS_INIT \
	{ \
		NULL, 0, 0, 0 \
	}

/* Parses json (the `data` value) into a new struct of model m; *out is
 * released with pvecg_rt_free. Unknown members are copied into extra.
 * Validates too unless PVECG_RT_NO_VALIDATE. On failure *out is NULL. */
PVECG_RT_NODISCARD int pvecg_rt_parse(
    void **out, const pvecg_rt_model *m, const cJSON *json, unsigned flags, pvecg_rt_error *err);
/* Same from text holding the `data` value itself. */
PVECG_RT_NODISCARD int pvecg_rt_parse_text(void **out, const pvecg_rt_model *m, const char *text,
    size_t len, unsigned flags, pvecg_rt_error *err);
/* Same from a whole response body {"data": ...}. */
PVECG_RT_NODISCARD int pvecg_rt_parse_response(void **out, const pvecg_rt_model *m,
    const char *text, size_t len, unsigned flags, pvecg_rt_error *err);

/* The same three, also appending every tolerated deviation to diags
 * (may be NULL). An explicit null or "" for a member is kept beside the
 * struct (in extra) so to_json gives it back. */
PVECG_RT_NODISCARD int pvecg_rt_parse_diag(void **out, const pvecg_rt_model *m, const cJSON *json,
    unsigned flags, pvecg_rt_diags *diags, pvecg_rt_error *err);
PVECG_RT_NODISCARD int pvecg_rt_parse_text_diag(void **out, const pvecg_rt_model *m,
    const char *text, size_t len, unsigned flags, pvecg_rt_diags *diags, pvecg_rt_error *err);
PVECG_RT_NODISCARD int pvecg_rt_parse_response_diag(void **out, const pvecg_rt_model *m,
    const char *text, size_t len, unsigned flags, pvecg_rt_diags *diags, pvecg_rt_error *err);
/* Frees the entries and empties the list; NULL-safe. */
void pvecg_rt_diags_free(pvecg_rt_diags *d);
/* "bool-form", "numeric-text", ... for a PVECG_RT_D_* kind. */
const char *pvecg_rt_diag_kind(int kind);

/* Checks a struct (parsed or filled by the caller): required, enum,
 * minimum/maximum, lengths, pattern; recursively. */
PVECG_RT_NODISCARD int
pvecg_rt_validate(const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err);

/* Serializes; integers beyond +-2^53 are written exactly (raw numbers). */
PVECG_RT_NODISCARD int
pvecg_rt_to_json(cJSON **out, const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err);
/* Unformatted text, malloc'd (free with cJSON_free). */
PVECG_RT_NODISCARD int
pvecg_rt_to_text(char **out, const pvecg_rt_model *m, const void *obj, pvecg_rt_error *err);

/* Frees what the struct owns, then the struct; NULL-safe. */
void pvecg_rt_free(const pvecg_rt_model *m, void *obj);
/* Frees what the struct owns and zeroes it (for caller-owned storage). */
void pvecg_rt_clear(const pvecg_rt_model *m, void *obj);

const char *pvecg_rt_model_name(const pvecg_rt_model *m);
/* Finds a model of a shard by name; NULL if absent. */
const pvecg_rt_model *pvecg_rt_shard_model(const pvecg_rt_shard *s, const char *name);
/* Finds an operation of a shard by operationId; NULL if absent. */
const pvecg_rt_op *pvecg_rt_shard_op(const pvecg_rt_shard *s, const char *op_id);
/* Request / response model of an operation (request may be NULL). */
const pvecg_rt_model *pvecg_rt_op_request(const pvecg_rt_shard *s, const pvecg_rt_op *op);
const pvecg_rt_model *pvecg_rt_op_response(const pvecg_rt_shard *s, const pvecg_rt_op *op);
/* Run-time guard for shards loaded from elsewhere. */
PVECG_RT_NODISCARD int pvecg_rt_shard_check(const pvecg_rt_shard *s, pvecg_rt_error *err);

/* "data[3].maxmem: expected integer" into buf. */
const char *pvecg_rt_error_text(const pvecg_rt_error *err, char *buf, size_t cap);

/* Lazy loading (pvecg_rt_lazy.c, needs libdl): reads model_index.json and
 * dlopens only the shard an operation lives in. */
typedef struct pvecg_rt_lazy pvecg_rt_lazy;
/* lib_dir: where the shard libraries are; NULL = "<index dir>/models". */
PVECG_RT_NODISCARD int pvecg_rt_lazy_open(
    pvecg_rt_lazy **out, const char *index_path, const char *lib_dir, pvecg_rt_error *err);
/* Opens the operation's shard if needed and returns its models. */
PVECG_RT_NODISCARD int pvecg_rt_lazy_find(const pvecg_rt_model **request,
    const pvecg_rt_model **response, pvecg_rt_lazy *lz, const char *op_id, pvecg_rt_error *err);
void pvecg_rt_lazy_close(pvecg_rt_lazy *lz);

#include "pvecg_rt_propstr.h"

#endif
