/* Internals shared by openapi_propstr.c (walk, formats), openapi_propstr_names.c
 * (component names, deduplication) and openapi_indexed.c (indexed members). */
#ifndef PVECG_OPENAPI_PROPSTR_INT_H
#define PVECG_OPENAPI_PROPSTR_INT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "pvecg/strmap.h"
#include "pvecg/error.h"

#define COMP "#/components/schemas/"
#define WALK_MAX_DEPTH 96

struct use {
	cJSON *node; /* the schema holding the format / patternProperties */
	const char *path;
	const char *member;
};

struct group {
	char *key;                 /* printed content */
	const char *path, *member; /* first use */
	char *name;
};

struct uses {
	struct use *v;
	size_t n, cap;
};

struct groups {
	struct group *v;
	size_t n, cap;
};

struct ps {
	cJSON *doc, *schemas;
	const char *product, *version;
	char prefix[8]; /* the product in PascalCase: "Pve" */
	pvecg_error *err;
	struct uses fmt;    /* members with an object format */
	struct uses idx;    /* objects with patternProperties */
	const cJSON **seen; /* components walked: a pointer set, at most half full */
	size_t n_seen, cap_seen;
	pvecg_strmap comp_ix; /* components.schemas name -> comp_v index ... */
	cJSON **comp_v;       /* ... built on first use, kept by add_component */
	size_t comp_n, comp_cap;
	int comp_ix_built;
	struct uses made; /* format components made in this round */
	cJSON *typetexts; /* named format -> the first property-string typetext */
};

PVECG_NODISCARD int pvecg_ps_nomem(struct ps *p);
PVECG_NODISCARD int
pvecg_ps_push_use(struct uses *u, cJSON *node, const char *path, const char *member);
void pvecg_ps_groups_free(struct groups *g);
/* Index of the group with this content, adding it on first sight. */
PVECG_NODISCARD int
pvecg_ps_group_of(size_t *out, struct groups *gs, const cJSON *content, const struct use *u);
/* Names every group (<Product><Context><Member><suffix>), see openapi_propstr.c. */
PVECG_NODISCARD int pvecg_ps_name_groups(struct ps *p, struct groups *gs, const char *suffix);
/* The member name a schema is known by: "net[n]" for indexed members. */
const char *pvecg_ps_member_of(const cJSON *entry);
/* components.schemas[name] (the object is a list of a thousand members:
 * looked up through the index). */
cJSON *pvecg_ps_component(struct ps *p, const char *name);
/* {"$ref": "#/components/schemas/<name>"} */
cJSON *pvecg_ps_ref_obj(const char *name);
/* Adds schema (taken) as components.schemas[name]. */
int pvecg_ps_add_component(struct ps *p, const char *name, cJSON *schema);
/* Indexed members: enumerated up to their maxima (openapi_indexed.c). */
PVECG_NODISCARD int pvecg_ps_do_indexed(struct ps *p);

#endif
