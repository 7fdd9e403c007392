/* json_arena: a tree whose nodes and strings come from the blocks of one
 * arena, freed at once. For documents that are read, checked and dropped
 * (the self-check) and for the capture tree, which is parsed, read by the
 * openapi stage and dropped: no malloc/free per node.
 *
 * cJSON allocates through process-wide hooks; the hooks installed here
 * hand out arena memory only to a thread that entered an arena (inside
 * pvecg_json_arena_parse, or between pvecg_json_arena_enter calls), and
 * pass every other request to malloc/free. Other threads may read an
 * arena's tree; free it on the thread that made the arena, with
 * pvecg_json_arena_free (cJSON_Delete there frees only the parts that came
 * from malloc). */
#ifndef PVECG_JSON_ARENA_H
#define PVECG_JSON_ARENA_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "pvecg/error.h"

typedef struct pvecg_json_arena pvecg_json_arena;

/* Installs the cJSON hooks (once per process). Call before a second
 * thread uses cJSON; pvecg_json_arena_parse calls it too. */
void pvecg_json_arena_init(void);
/* A new, empty arena of this thread. 0, or PVECG_ENOMEM (*arena NULL). */
PVECG_NODISCARD int pvecg_json_arena_new(pvecg_json_arena **arena);
/* Makes arena (NULL: none) the one this thread's cJSON allocations come
 * from until the next call; returns the one it replaces, to be put back. */
pvecg_json_arena *pvecg_json_arena_enter(pvecg_json_arena *arena);
/* Parses text (as pvecg_json_parse does) into a new arena: *out is the
 * tree, NULL when the text is not JSON, and *arena owns its memory either
 * way. 0, or PVECG_ENOMEM (nothing to free then). */
PVECG_NODISCARD int
pvecg_json_arena_parse(cJSON **out, pvecg_json_arena **arena, const char *text, size_t len);
/* Frees the arena and the tree parsed into it (NULL is fine). */
void pvecg_json_arena_free(pvecg_json_arena *arena);

#endif
