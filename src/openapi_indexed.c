/* openapi_indexed: indexed members (net[n]) enumerated as explicit
 * properties up to the maxima of indexed.c, each a $ref to one shared
 * member schema (x-proxmox-indexed, x-proxmox-index-max). */
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/propstr.h"
#include "openapi_propstr_int.h"

/* ---- 2. indexed members ---------------------------------------------------- */

PVECG_NODISCARD static int
family_of(char *out, size_t cap, const cJSON *entry)
{
	const char *ix = pvecg_json_str(entry, "x-proxmox-indexed");
	size_t n;

	if (!ix || (n = strlen(ix)) < 4 || strcmp(ix + n - 3, "[n]") != 0 || n - 3 >= cap)
		return PVECG_EINPUT;
	memcpy(out, ix, n - 3);
	out[n - 3] = '\0';
	return 0;
}

struct slot {
	cJSON *obj;   /* the object schema */
	cJSON *entry; /* its patternProperties entry (detached when enumerated) */
	const char *path;
	int max;
	size_t group;
};

/* Marks taken[i] for every member of props named family + "%d" of i
 * (0 <= i <= max): one pass instead of a lookup per index. */
static void
declared_indices(unsigned char *taken, const cJSON *props, const char *family, int max)
{
	size_t flen = strlen(family);
	const cJSON *m;

	cJSON_ArrayForEach(m, props) {
		const char *d = m->string;
		long i = 0;

		if (d == NULL || strncmp(d, family, flen) != 0)
			continue;
		d += flen;
		if (*d < '0' || *d > '9' || (d[0] == '0' && d[1] != '\0'))
			continue;
		for (; *d >= '0' && *d <= '9' && i <= max; d++)
			i = i * 10 + (*d - '0');
		if (*d == '\0' && i <= max)
			taken[i] = 1;
	}
}

static int
enumerate(struct ps *p, const struct slot *s, const char *family, const char *name)
{
	cJSON *props = pvecg_json_get(s->obj, "properties");
	unsigned char taken[PVECG_INDEXED_ENUMERATE_MAX + 1];
	char key[96];

	if (!props) {
		if (!(props = cJSON_CreateObject()) ||
		    !cJSON_AddItemToObject(s->obj, "properties", props)) {
			cJSON_Delete(props);
			return pvecg_ps_nomem(p);
		}
	}
	memset(taken, 0, sizeof(taken));
	declared_indices(taken, props, family, s->max);
	for (int i = 0; i <= s->max; i++) {
		cJSON *ref;

		if (taken[i])
			continue; /* declared on its own already (efidisk0 style) */
		snprintf(key, sizeof(key), "%s%d", family, i);
		if (!(ref = pvecg_ps_ref_obj(name)) || !cJSON_AddItemToObject(props, key, ref)) {
			cJSON_Delete(ref);
			return pvecg_ps_nomem(p);
		}
	}
	return 0;
}

PVECG_NODISCARD static int
collect_slots(struct ps *p, struct slot **out, size_t *n_out, struct groups *gs)
{
	struct slot *v = NULL;
	size_t n = 0, cap = 0;
	char family[64], guest[64];

	for (size_t i = 0; i < p->idx.n; i++) {
		cJSON *pat = pvecg_json_get(p->idx.v[i].node, "patternProperties");
		cJSON *e;

		cJSON_ArrayForEach(e, pat) {
			int max;

			if (family_of(family, sizeof(family), e) != 0 ||
			    pvecg_propstr_context(guest, sizeof(guest), p->idx.v[i].path) != 0 ||
			    pvecg_indexed_lookup(&max, p->product, guest, family, p->version) != 0)
				continue; /* unknown: stays a pattern (the tests list them) */
			if (n == cap) {
				struct slot *nv;

				cap = cap ? cap * 2 : 64;
				if (!(nv = realloc(v, cap * sizeof(*nv)))) {
					free(v);
					return PVECG_ENOMEM;
				}
				v = nv;
			}
			v[n].obj = p->idx.v[i].node;
			v[n].entry = e;
			v[n].path = p->idx.v[i].path;
			v[n].max = max;
			v[n].group = 0;
			if (max + 1 <= PVECG_INDEXED_ENUMERATE_MAX) {
				struct use u = { e, p->idx.v[i].path, pvecg_ps_member_of(e) };

				if (!cJSON_AddItemToObject(
				        e, "x-proxmox-index-max", cJSON_CreateNumber(max)) ||
				    pvecg_ps_group_of(&v[n].group, gs, e, &u) != 0) {
					free(v);
					return PVECG_ENOMEM;
				}
			}
			n++;
		}
	}
	*out = v;
	*n_out = n;
	return 0;
}

int
pvecg_ps_do_indexed(struct ps *p)
{
	struct groups gs = { NULL, 0, 0 };
	struct slot *sl = NULL;
	unsigned char *known = NULL; /* per group: 0 unseen, 1 in components, 2 not */
	size_t n = 0, i;
	char family[64];
	int rc;

	if ((rc = collect_slots(p, &sl, &n, &gs)) != 0 ||
	    (rc = pvecg_ps_name_groups(p, &gs, "Member")) != 0 ||
	    (known = calloc(gs.n + 1, 1)) == NULL) {
		rc = pvecg_ps_nomem(p);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct slot *s = &sl[i];
		cJSON *pat = pvecg_json_get(s->obj, "patternProperties");

		if (s->max + 1 > PVECG_INDEXED_ENUMERATE_MAX) {
			if (!cJSON_AddItemToObject(
			        s->entry, "x-proxmox-index-max", cJSON_CreateNumber(s->max))) {
				rc = pvecg_ps_nomem(p);
				goto out;
			}
			continue;
		}
		if ((rc = family_of(family, sizeof(family), s->entry)) != 0)
			goto out; /* collect_slots took only entries with a family */
		cJSON_DetachItemViaPointer(pat, s->entry);
		/* components.schemas is large: look each group's name up once */
		if (known[s->group] == 0)
			known[s->group] = pvecg_json_get(p->schemas, gs.v[s->group].name) ? 1 : 2;
		if (known[s->group] == 2) {
			if ((rc = pvecg_ps_add_component(p, gs.v[s->group].name, s->entry)) != 0)
				goto out;
			known[s->group] = 1;
		} else {
			cJSON_Delete(s->entry);
		}
		s->entry = NULL;
		if ((rc = enumerate(p, s, family, gs.v[s->group].name)) != 0)
			goto out;
		if (!pat->child)
			cJSON_DeleteItemFromObjectCaseSensitive(s->obj, "patternProperties");
	}
out:
	free(known);
	free(sl);
	pvecg_ps_groups_free(&gs);
	return rc;
}
