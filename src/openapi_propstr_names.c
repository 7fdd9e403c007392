/* openapi_propstr_names: component names and deduplication by content for
 * the property-string formats and indexed-member schemas (the naming rule
 * is described in openapi_propstr.c). */
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/naming.h"
#include "pvecg/propstr.h"
#include "pvecg/util.h"
#include "openapi_propstr_int.h"

int
pvecg_ps_nomem(struct ps *p)
{
	return pvecg_error_set(p->err, PVECG_ENOMEM, "openapi", "out of memory");
}

int
pvecg_ps_push_use(struct uses *u, cJSON *node, const char *path, const char *member)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 64;
		struct use *v = realloc(u->v, cap * sizeof(*v));

		if (!v)
			return PVECG_ENOMEM;
		u->v = v;
		u->cap = cap;
	}
	u->v[u->n].node = node;
	u->v[u->n].path = path;
	u->v[u->n].member = member;
	u->n++;
	return 0;
}

void
pvecg_ps_groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].key);
		free(g->v[i].name);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* ---- names --------------------------------------------------------------- */

/* The next literal segment of a path at *s (not a {parameter}, and not
 * "nodes" when it comes first), or NULL at the end; *len gets its length.
 * *first is 1 before the first segment. */
static const char *
next_literal(const char **s, int *first, size_t *len)
{
	while (**s) {
		const char *b, *e;

		while (**s == '/')
			(*s)++;
		b = e = *s;
		while (*e && *e != '/')
			e++;
		*s = e;
		if (e == b)
			continue;
		if (*b != '{' && !(*first && e - b == 5 && !strncmp(b, "nodes", 5))) {
			*first = 0;
			*len = (size_t)(e - b);
			return b;
		}
		*first = 0;
	}
	return NULL;
}

/* Literal segments of path after a leading "nodes": all of them, or only
 * the first. Appended in PascalCase. */
PVECG_NODISCARD static int
path_part(pvecg_buf *b, const char *path, int all)
{
	const char *s = path, *seg;
	int first = 1;
	size_t len;

	while ((seg = next_literal(&s, &first, &len)) != NULL) {
		if (pvecg_naming_pascal_append(b, seg, len) != 0)
			return PVECG_ENOMEM;
		if (!all)
			return 0;
	}
	return 0;
}

int
pvecg_propstr_context(char *out, size_t cap, const char *path)
{
	const char *s = path, *seg;
	int first = 1;
	size_t len;

	if ((seg = next_literal(&s, &first, &len)) != NULL) {
		if (len >= cap)
			return PVECG_EINPUT;
		memcpy(out, seg, len);
		out[len] = '\0';
		return 0;
	}
	if (cap == 0)
		return PVECG_EINPUT;
	out[0] = '\0';
	return 0;
}

PVECG_NODISCARD static int
make_name(char **out, const struct ps *p, const struct group *g, int all, const char *suffix)
{
	pvecg_buf b = PVECG_BUF_INIT;
	size_t n = strlen(g->member);

	*out = NULL;
	if (n > 3 && strcmp(g->member + n - 3, "[n]") == 0)
		n -= 3; /* net[n] -> Net */
	if (pvecg_buf_puts(&b, p->prefix) != 0 || path_part(&b, g->path, all) != 0 ||
	    pvecg_naming_pascal_append(&b, g->member, n) != 0 || pvecg_buf_puts(&b, suffix) != 0) {
		pvecg_buf_free(&b);
		return PVECG_ENOMEM;
	}
	*out = pvecg_buf_steal(&b, NULL);
	return *out ? 0 : PVECG_ENOMEM;
}

static int
name_taken(struct ps *p, const struct groups *gs, size_t upto, const char *name)
{
	for (size_t i = 0; i < upto; i++)
		if (gs->v[i].name && strcmp(gs->v[i].name, name) == 0)
			return 1;
	return pvecg_ps_component(p, name) != NULL;
}

/* Short names; long ones for the contents that share a short one;
 * numbers for what still clashes (with each other or existing schemas). */
int
pvecg_ps_name_groups(struct ps *p, struct groups *gs, const char *suffix)
{
	size_t i, j;

	for (i = 0; i < gs->n; i++)
		if (make_name(&gs->v[i].name, p, &gs->v[i], 0, suffix) != 0)
			return PVECG_ENOMEM;
	for (i = 0; i < gs->n; i++) {
		int shared = 0;

		for (j = 0; j < gs->n && !shared; j++)
			shared = j != i && strcmp(gs->v[i].name, gs->v[j].name) == 0;
		if (!shared)
			continue;
		for (j = i; j < gs->n; j++) {
			if (j != i && strcmp(gs->v[i].name, gs->v[j].name) != 0)
				continue;
			if (j != i) {
				free(gs->v[j].name);
				if (make_name(&gs->v[j].name, p, &gs->v[j], 1, suffix) != 0)
					return PVECG_ENOMEM;
			}
		}
		free(gs->v[i].name);
		if (make_name(&gs->v[i].name, p, &gs->v[i], 1, suffix) != 0)
			return PVECG_ENOMEM;
	}
	for (i = 0; i < gs->n; i++) {
		char *base = gs->v[i].name;
		size_t k = 2, n = strlen(base) + 24;

		if (!name_taken(p, gs, i, base))
			continue;
		if (!(gs->v[i].name = malloc(n))) {
			gs->v[i].name = base;
			return PVECG_ENOMEM;
		}
		do
			snprintf(gs->v[i].name, n, "%s%zu", base, k++);
		while (name_taken(p, gs, i, gs->v[i].name));
		free(base);
	}
	return 0;
}

/* Index of the group with this content, adding it on first sight. The key
 * is a malloc'd copy: cJSON's text comes from the document's arena. */
int
pvecg_ps_group_of(size_t *out, struct groups *gs, const cJSON *content, const struct use *u)
{
	char *text = cJSON_PrintUnformatted(content);
	char *key = text ? pvecg_strdup(text) : NULL;

	cJSON_free(text);
	if (!key)
		return PVECG_ENOMEM;
	for (size_t i = 0; i < gs->n; i++) {
		if (strcmp(gs->v[i].key, key) == 0) {
			free(key);
			*out = i;
			return 0;
		}
	}
	if (gs->n == gs->cap) {
		size_t cap = gs->cap ? gs->cap * 2 : 32;
		struct group *v = realloc(gs->v, cap * sizeof(*v));

		if (!v) {
			free(key);
			return PVECG_ENOMEM;
		}
		gs->v = v;
		gs->cap = cap;
	}
	memset(&gs->v[gs->n], 0, sizeof(gs->v[0]));
	gs->v[gs->n].key = key;
	gs->v[gs->n].path = u->path;
	gs->v[gs->n].member = u->member;
	*out = gs->n++;
	return 0;
}
