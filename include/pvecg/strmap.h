/* strmap: a small hash map from strings to int (open addressing, linear
 * probing). Keys are copied and owned by the map; a zeroed struct is an
 * empty map. */
#ifndef PVECG_STRMAP_H
#define PVECG_STRMAP_H

#include "pvecg/error.h"
#include <stddef.h>

typedef struct pvecg_strmap {
	char **keys;
	int *vals;
	size_t cap, n;
} pvecg_strmap;

/* The value stored for key (a pointer into the map, valid until the next
 * put), or NULL when key is not in the map. */
int *pvecg_strmap_get(const pvecg_strmap *m, const char *key);
/* Stores val for key (a copy of key on first use). Returns 0 or
 * PVECG_ENOMEM (the map is unchanged then). */
PVECG_NODISCARD int pvecg_strmap_put(pvecg_strmap *m, const char *key, int val);
/* Frees the keys and the tables; the map is empty again. */
void pvecg_strmap_free(pvecg_strmap *m);

#endif
