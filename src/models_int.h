/* models stage, internal: the model graph that models_plan.c builds from
 * openapi.json and that models_emit.c (one shard's .h/.c) and
 * models_files.c (aggregate, CMakeLists.txt, model_index.json, runtime)
 * write out; the sticky-error text buffer they share (models_out.c). */
#ifndef PVECG_MODELS_INT_H
#define PVECG_MODELS_INT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "pvecg/buf.h"
#include "pvecg/error.h"
#include "pvecg/files.h"
#include "pvecg/models.h"
#include "pvecg/strmap.h"

#define EM_POOL_CHUNK 4000 /* under the 4095 ISO literal minimum */
#define EM_MAX_DEPTH 32    /* nested schema depth we follow */
#define EM_DOC_MAX 160     /* description characters kept in comments */

/* ---- the model graph ----------------------------------------------------- */

typedef struct em_field {
	const char *json;     /* JSON member name (borrowed from the document) */
	char *cname;          /* C member name */
	const cJSON *schema;  /* value schema (array: the array schema) */
	const cJSON *vschema; /* scalar schema constraints come from (items) */
	const char *doc;      /* description (borrowed) */
	int type;
	unsigned flags;
	int presence; /* has_x / n_x emitted */
	int sub;      /* global model index, or -1 */
	int ps;       /* property-string format: e->ps index + 1, or 0 */
	int count;    /* indexed family: members (net[32]), or 0 */
	char *family; /* indexed family: the C base name (owned) */
} em_field;

typedef struct em_op {
	const char *op_id, *path, *group;
	char method[8];
	const cJSON *op;
	int request, response; /* global model index or -1 */
	int shard;
} em_op;

typedef struct em_model {
	char *name;
	int kind;
	int op;           /* index into ops */
	const char *role; /* "response", "request body", ... */
	const cJSON *schema;
	em_field *fields;
	size_t n_fields;
	char *extra_doc; /* patternProperties, for the extra comment */
	int shard;
	int local; /* index in the shard after sorting */
} em_model;

typedef struct em_shard {
	char *group; /* route group as tagged */
	char *ident; /* C identifier / file stem */
	int *models; /* global indexes, sorted by name */
	size_t n_models, cap_models;
	int *ops;
	size_t n_ops, cap_ops;
	int n_ps; /* property-string formats of the shard */
} em_shard;

/* A property-string format as used in one shard. */
typedef struct em_ps {
	const char *comp; /* components.schemas name */
	int shard;
	int model; /* global model index of its struct */
	int local; /* index in the shard's propstr table */
} em_ps;

typedef struct em {
	const pvecg_models_input *in;
	pvecg_error *err;
	em_op *ops;
	size_t n_ops;
	em_model *models;
	size_t n_models, cap_models;
	pvecg_strmap names; /* struct names in use */
	em_shard *shards;
	size_t n_shards;
	em_ps *ps;
	size_t n_ps, cap_ps;
	pvecg_strmap ere_ok; /* translated ERE -> 1 compiles / 0 not */
	pvecg_strmap comp;   /* components.schemas name -> comp_nodes index */
	const cJSON **comp_nodes;
	long n_fields, n_cons, n_pat_ok, n_pat_skip;
	char prefix[32]; /* "pve_models": aggregate files and symbols */
	char sym[24];    /* "pve": exported shard symbols */
	char mac[24];    /* "PVE": macros and include guards */
	char type[24];   /* "Pve": struct types */
} em;

/* Query schemas built here live as long as the emitter. */
typedef struct em_owned {
	cJSON **items;
	size_t n;
} em_owned;

/* Sets e->err; returns code. */
PVECG_NODISCARD int em_fail(em *e, int code, const char *where, const char *msg);
/* em_fail with PVECG_ENOMEM. */
PVECG_NODISCARD int em_nomem(em *e);

/* models_plan.c: e->in and e->err set, everything else zero. Fills the
 * prefix, operations, shards and models (each shard's lists in global
 * order), or fails with e->err set. */
PVECG_NODISCARD int em_plan(em *e, em_owned *owned);
/* Frees what em_plan made (also after a failure). */
void em_plan_free(em *e, em_owned *owned);
/* components.schemas[name] of the input document, or NULL. */
const cJSON *em_component(const em *e, const char *name);

/* models_emit.c: models/<shard>.h and .c for every shard, in shard order.
 * Numbers each shard's models (em_model.local) and counts constraints and
 * patterns. */
PVECG_NODISCARD int em_emit_shards(em *e, pvecg_files *files);

/* models_files.c: <prefix>.h/.c, models/CMakeLists.txt, model_index.json
 * and the runtime sources, after em_emit_shards. */
PVECG_NODISCARD int em_emit_files(em *e, pvecg_files *files);

/* ---- output with a sticky error (models_out.c) ---------------------------- */

/* Text being written; failed is set on the first failure and every later
 * write is skipped, so callers check once at the end. */
typedef struct em_out {
	pvecg_buf b;
	int failed;
} em_out;

void outf(em_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decimal without printf. */
void outu(em_out *o, unsigned long v);
void outs(em_out *o, const char *s);
void outc(em_out *o, char c);
/* s as the body of a C string literal. */
void out_cstr(em_out *o, const char *s);
/* The first line of s, at most max characters, safe inside a C comment. */
void out_doc(em_out *o, const char *s, size_t max);

#endif
