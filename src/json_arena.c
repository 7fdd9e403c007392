/* json_arena: cJSON parse trees carved out of a few large blocks per
 * document and freed with them, so a checked-and-dropped document costs no
 * malloc/free per node (see pvecg/json_arena.h for the thread rules). */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pvecg/json.h"
#include "pvecg/json_arena.h"

/* 64 KiB: larger blocks raised peak RSS (1 MiB: +1.8 MiB) for no speed */
#define BLOCK ((size_t)64 << 10)
#define ALIGN ((size_t)16)

struct block {
	struct block *next;
	size_t cap, used;
	max_align_t data[];
};

struct pvecg_json_arena {
	struct block *blocks; /* newest first */
	pvecg_json_arena *next_live;
};

/* The arena the calling thread's cJSON allocations go to (NULL: malloc),
 * and every arena of this thread not yet freed: cJSON frees what a failed
 * parse built, and those frees must not reach free(). */
static _Thread_local pvecg_json_arena *tl_current;
static _Thread_local pvecg_json_arena *tl_live;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void *
arena_take(pvecg_json_arena *a, size_t n)
{
	struct block *b = a->blocks;
	void *p;

	if (n > SIZE_MAX - ALIGN - sizeof(struct block))
		return NULL;
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > BLOCK ? n : BLOCK;

		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->next = a->blocks;
		b->cap = cap;
		b->used = 0;
		a->blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

static void *
hook_malloc(size_t n)
{
	return tl_current != NULL ? arena_take(tl_current, n) : malloc(n);
}

static int
in_arena(const pvecg_json_arena *a, const void *p)
{
	const struct block *b;
	uintptr_t u = (uintptr_t)p;

	for (b = a->blocks; b != NULL; b = b->next)
		if (u >= (uintptr_t)b->data && u < (uintptr_t)b->data + b->cap)
			return 1;
	return 0;
}

static void
hook_free(void *p)
{
	const pvecg_json_arena *a;

	for (a = tl_live; a != NULL && p != NULL; a = a->next_live)
		if (in_arena(a, p))
			return; /* the arena's own: freed with it */
	free(p);
}

static void
install_hooks(void)
{
	cJSON_Hooks h = { hook_malloc, hook_free };

	cJSON_InitHooks(&h);
}

void
pvecg_json_arena_init(void)
{
	(void)pthread_once(&hooks_once, install_hooks);
}

int
pvecg_json_arena_parse(cJSON **out, pvecg_json_arena **arena, const char *text, size_t len)
{
	pvecg_json_arena *a, *saved;

	*out = NULL;
	*arena = NULL;
	pvecg_json_arena_init();
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return PVECG_ENOMEM;
	a->next_live = tl_live;
	tl_live = a;
	saved = tl_current;
	tl_current = a;
	*out = pvecg_json_parse(text, len, NULL);
	tl_current = saved;
	*arena = a;
	return 0;
}

void
pvecg_json_arena_free(pvecg_json_arena *arena)
{
	pvecg_json_arena **l;
	struct block *b;

	if (arena == NULL)
		return;
	for (l = &tl_live; *l != NULL; l = &(*l)->next_live)
		if (*l == arena) {
			*l = arena->next_live;
			break;
		}
	while ((b = arena->blocks) != NULL) {
		arena->blocks = b->next;
		free(b);
	}
	free(arena);
}
