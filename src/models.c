/* models: openapi.json -> C models.
 *
 * Output (paths relative to the version directory):
 *   models/<group>.h/.c   one shard per route group: plain structs plus static
 *                         const descriptor tables (pvecg_rt.h documents them)
 *   models/pvecg_rt*.{h,c} the one runtime, copied from src/runtime/
 *   models/CMakeLists.txt shards as SHARED libraries, the aggregate STATIC,
 *                         the runtime as its own library; installs CMake
 *                         and pkg-config packages
 *   <product>_models.h/.c every shard in one unit + operationId lookup table
 *   model_index.json      operationId -> group, models, shard files
 *
 * Decisions:
 * - Every C identifier carries the product (PveX types, pve_shard_<group>,
 *   PVE_MODEL_<Name>, PVE_MODELS_* macros and guards), so several products'
 *   models link into one program with one runtime.
 * - Nested objects are inline in openapi.json; each becomes its own struct
 *   named <Parent><FieldPascal> (array elements <Parent><FieldPascal>Item,
 *   array responses <Model>Item), numbered on a clash, so a model never
 *   refers to another shard.
 * - Indexed members (net0..net31 enumerated in openapi.json, each a $ref to
 *   one member schema with x-proxmox-indexed, or a patternProperties entry
 *   with x-proxmox-index-max) become one fixed array `char *net[32]`
 *   (PVECG_RT_F_INDEXED); members past the maximum and patterns without a
 *   known maximum stay in `extra`.
 * - A string member with x-proxmox-property-string gets the typed struct
 *   of its format beside the text (`T *x_parsed`, PVECG_RT_F_PROPSTR),
 *   filled when parsing with PVECG_RT_PROPSTR; each shard has its own copy
 *   of the formats it uses (pvecg_rt_propstr.h).
 * - Patterns are translated to POSIX EREs (anchored, as Proxmox matches
 *   them) when that is exact enough; otherwise the field records why the
 *   pattern is not checked (comment + counts in model_index.json).
 *
 * This file is the entry point; models_plan.c builds the model graph
 * (models_int.h), models_emit.c writes each shard, models_files.c the
 * files around them; patterns go through the shared regex module. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/models.h"
#include "models_int.h"

int
em_fail(em *e, int code, const char *where, const char *msg)
{
	return pvecg_error_set(e->err, code, where, "%s", msg);
}

int
em_nomem(em *e)
{
	return em_fail(e, PVECG_ENOMEM, "models", "out of memory");
}

/* What the plan needs; the SHA-256 is checked when the models are emitted. */
PVECG_NODISCARD static int
valid_input(const pvecg_models_input *in, pvecg_error *err)
{
	if (in == NULL || !cJSON_IsObject(in->openapi) || in->version_tag == NULL ||
	    in->product == NULL)
		return pvecg_error_set(err, PVECG_EINTERNAL, "models",
		    "missing openapi document, version tag or product");
	return 0;
}

PVECG_NODISCARD static int
valid_sha256(const char *sha, pvecg_error *err)
{
	if (sha == NULL || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return pvecg_error_set(err, PVECG_EINTERNAL, "models",
		    "openapi_sha256 is not 64 lower-case hex digits");
	return 0;
}

struct pvecg_models_plan {
	pvecg_models_input in; /* openapi_sha256 set by pvecg_models_plan_emit */
	em e;
	em_owned owned;
};

int
pvecg_models_plan_make(pvecg_models_plan **out, const pvecg_models_input *in, pvecg_error *err)
{
	pvecg_models_plan *p;
	int rc;

	*out = NULL;
	if ((rc = valid_input(in, err)) != 0)
		return rc;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "models", "out of memory");
	p->in = *in;
	p->in.openapi_sha256 = NULL;
	p->e.in = &p->in;
	p->e.err = err;
	if ((rc = em_plan(&p->e, &p->owned)) != 0) {
		pvecg_models_plan_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int
pvecg_models_plan_emit(
    pvecg_models_plan *p, pvecg_files *files, const char *openapi_sha256, pvecg_error *err)
{
	int rc;

	if ((rc = valid_sha256(openapi_sha256, err)) != 0)
		return rc;
	p->in.openapi_sha256 = openapi_sha256;
	p->e.err = err;
	if ((rc = em_emit_shards(&p->e, files)) == 0)
		rc = em_emit_files(&p->e, files);
	return rc;
}

void
pvecg_models_plan_free(pvecg_models_plan *p)
{
	if (p == NULL)
		return;
	em_plan_free(&p->e, &p->owned);
	free(p);
}

int
pvecg_models_emit(pvecg_files *files, const pvecg_models_input *in, pvecg_error *err)
{
	pvecg_models_plan *p;
	int rc;

	if (in != NULL && (rc = valid_sha256(in->openapi_sha256, err)) != 0)
		return rc;
	if ((rc = pvecg_models_plan_make(&p, in, err)) != 0)
		return rc;
	rc = pvecg_models_plan_emit(p, files, in->openapi_sha256, err);
	pvecg_models_plan_free(p);
	return rc;
}
