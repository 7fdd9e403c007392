/* json_arena: a parse tree whose nodes and strings come from one block
 * list, freed at once. For documents that are read, checked and dropped
 * (the self-check): no malloc/free per node.
 *
 * cJSON allocates through process-wide hooks; the hooks installed here
 * hand out arena memory only to the thread that is inside
 * pvecg_json_arena_parse, and pass every other request to malloc/free. An
 * arena's tree stays with the thread that parsed it: free it there with
 * pvecg_json_arena_free, never with cJSON_Delete on another thread. */
#ifndef PVECG_JSON_ARENA_H
#define PVECG_JSON_ARENA_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "pvecg/error.h"

typedef struct pvecg_json_arena pvecg_json_arena;

/* Installs the cJSON hooks (once per process). Call before a second
 * thread uses cJSON; pvecg_json_arena_parse calls it too. */
void pvecg_json_arena_init(void);
/* Parses text (as pvecg_json_parse does) into a new arena: *out is the
 * tree, NULL when the text is not JSON, and *arena owns its memory either
 * way. 0, or PVECG_ENOMEM (nothing to free then). */
PVECG_NODISCARD int
pvecg_json_arena_parse(cJSON **out, pvecg_json_arena **arena, const char *text, size_t len);
/* Frees the arena and the tree parsed into it (NULL is fine). */
void pvecg_json_arena_free(pvecg_json_arena *arena);

#endif
