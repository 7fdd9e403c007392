/* embed: files built into the binary by cmake/embed.cmake, one table per
 * kind (the model runtime sources, the artifact schemas, the errata). */
#ifndef PVECG_EMBED_H
#define PVECG_EMBED_H

#include <stddef.h>

typedef struct pvecg_embedded {
	const char *name; /* file name ("pvecg_rt.c", "openapi.schema.json", "pve") */
	const char *text; /* the bytes, NUL-terminated */
	size_t len;
} pvecg_embedded;

/* Each table ends with a NULL row; <table>_count rows come before it. */
extern const pvecg_embedded pvecg_models_runtime_sources[];
extern const size_t pvecg_models_runtime_sources_count;
extern const pvecg_embedded pvecg_schemas_embedded[];
extern const size_t pvecg_schemas_embedded_count;
extern const pvecg_embedded pvecg_errata_files[];
extern const size_t pvecg_errata_files_count;

#endif
