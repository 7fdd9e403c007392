/* json_arena: cJSON trees carved out of blocks of one arena and freed with
 * them, so a document that is built or read once and dropped costs no
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
	size_t cap, used;
	max_align_t data[];
};

/* The blocks in address order, so a free() learns in a binary search
 * whether a pointer is the arena's: a capture tree takes ~150 blocks, and
 * the first thread frees many other nodes while it lives. The newest block
 * is the one allocations come from. */
struct pvecg_json_arena {
	struct block **v;
	size_t n, cap;
	struct block *newest;
	pvecg_json_arena *next_live;
};

/* The arena the calling thread's cJSON allocations go to (NULL: malloc),
 * and every arena of this thread not yet freed: frees of their memory
 * (cJSON_Delete of a tree, or of what a failed parse built) must not reach
 * free(). */
static _Thread_local pvecg_json_arena *tl_current;
static _Thread_local pvecg_json_arena *tl_live;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

/* Puts b into a->v by address. */
PVECG_NODISCARD static int
add_block(pvecg_json_arena *a, struct block *b)
{
	size_t i;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct block **v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return PVECG_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	for (i = a->n; i > 0 && (uintptr_t)a->v[i - 1] > (uintptr_t)b; i--)
		a->v[i] = a->v[i - 1];
	a->v[i] = b;
	a->n++;
	return 0;
}

static void *
arena_take(pvecg_json_arena *a, size_t n)
{
	struct block *b = a->newest;
	void *p;

	if (n > SIZE_MAX - ALIGN - sizeof(struct block))
		return NULL;
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > BLOCK ? n : BLOCK;

		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		if (add_block(a, b) != 0) {
			free(b);
			return NULL;
		}
		b->cap = cap;
		b->used = 0;
		a->newest = b;
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
	uintptr_t u = (uintptr_t)p;
	size_t lo = 0, hi = a->n;

	/* the last block that starts at or below p */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)a->v[mid]->data <= u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && u < (uintptr_t)a->v[lo - 1]->data + a->v[lo - 1]->cap;
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
pvecg_json_arena_new(pvecg_json_arena **arena)
{
	pvecg_json_arena *a;

	pvecg_json_arena_init();
	if ((*arena = a = calloc(1, sizeof(*a))) == NULL)
		return PVECG_ENOMEM;
	a->next_live = tl_live;
	tl_live = a;
	return 0;
}

pvecg_json_arena *
pvecg_json_arena_enter(pvecg_json_arena *arena)
{
	pvecg_json_arena *saved = tl_current;

	tl_current = arena;
	return saved;
}

int
pvecg_json_arena_parse(cJSON **out, pvecg_json_arena **arena, const char *text, size_t len)
{
	pvecg_json_arena *saved;

	*out = NULL;
	if (pvecg_json_arena_new(arena) != 0)
		return PVECG_ENOMEM;
	saved = pvecg_json_arena_enter(*arena);
	*out = pvecg_json_parse(text, len, NULL);
	pvecg_json_arena_enter(saved);
	return 0;
}

void
pvecg_json_arena_free(pvecg_json_arena *arena)
{
	pvecg_json_arena **l;
	size_t i;

	if (arena == NULL)
		return;
	for (l = &tl_live; *l != NULL; l = &(*l)->next_live)
		if (*l == arena) {
			*l = arena->next_live;
			break;
		}
	if (tl_current == arena)
		tl_current = NULL;
	for (i = 0; i < arena->n; i++)
		free(arena->v[i]);
	free(arena->v);
	free(arena);
}
