/* strmap: string -> int hash map with owned keys (FNV-1a, open addressing,
 * the table at most half full), for name sets and lookup caches. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/error.h"
#include "pvecg/strmap.h"
#include "pvecg/util.h"

static uint64_t
strmap_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

PVECG_NODISCARD static int
strmap_grow(pvecg_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	char **keys = calloc(cap, sizeof(*keys));
	int *vals = calloc(cap, sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return PVECG_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == NULL)
			continue;
		for (j = strmap_hash(m->keys[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Returns the slot of key (found or empty). */
static size_t
strmap_slot(const pvecg_strmap *m, const char *key)
{
	size_t j = strmap_hash(key) & (m->cap - 1);

	while (m->keys[j] && strcmp(m->keys[j], key) != 0)
		j = (j + 1) & (m->cap - 1);
	return j;
}

int *
pvecg_strmap_get(const pvecg_strmap *m, const char *key)
{
	size_t j;

	if (m->cap == 0)
		return NULL;
	j = strmap_slot(m, key);
	return m->keys[j] ? &m->vals[j] : NULL;
}

int
pvecg_strmap_put(pvecg_strmap *m, const char *key, int val)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
		return PVECG_ENOMEM;
	j = strmap_slot(m, key);
	if (m->keys[j] == NULL) {
		if ((m->keys[j] = pvecg_strdup(key)) == NULL)
			return PVECG_ENOMEM;
		m->n++;
	}
	m->vals[j] = val;
	return 0;
}

void
pvecg_strmap_free(pvecg_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
