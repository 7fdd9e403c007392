/* openapi_propstr: property strings and indexed members as real schemas.
 *
 * Runs on the finished document. Two rewrites:
 *
 *  1. Every member whose Proxmox `format` is an object (a property string,
 *     "virtio=AA:..,bridge=vmbr0") carries it as x-proxmox-format. Each
 *     distinct format (by content) becomes one component: an object schema
 *     with the keys converted like parameters, plus x-proxmox-default-key,
 *     x-proxmox-alias (alias -> key), x-proxmox-key-alias (alias -> the key
 *     its name fills, "e1000=MAC" sets model=e1000) and
 *     x-proxmox-property-string-dialect (perl: PVE/PMG, no quoting; rust:
 *     PBS/PDM, quoted values). The member keeps type string and points at
 *     it with x-proxmox-property-string: {"$ref": ...}.
 *
 *  2. Indexed members (patternProperties entries with x-proxmox-indexed)
 *     whose maximum indexed.c knows and that have at most
 *     PVECG_INDEXED_ENUMERATE_MAX members (today: all of them, up to the
 *     256 mount points and unused disks) become explicit properties
 *     net0..net31, each a $ref to one shared member component
 *     (x-proxmox-indexed, x-proxmox-index-max). A family the table does
 *     not know stays patternProperties.
 *
 * Names: <Product><Context><Member> (PveQemuNet, PveLxcRootfs; members
 * PveQemuNetMember), Context being the first path segment that is not a
 * parameter after a leading "nodes", taken from the first use in document
 * order (paths sorted, then get/post/put/delete). When two different
 * contents get the same name, each of them uses every literal segment of
 * its path instead (PveQemuConfigScsi); a clash after that gets 2, 3, ...
 * in order of first use. Names therefore depend on where a format is used,
 * not on its content, and stay the same across versions. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/openapi.h"
#include "pvecg/product.h"
#include "pvecg/propstr.h"
#include "pvecg/util.h"
#include "openapi_propstr_int.h"

/* ---- walking the document ------------------------------------------------ */

static int walk(struct ps *p, cJSON *node, const char *path, const char *member, int depth);

static size_t
seen_slot(const struct ps *p, const cJSON *c)
{
	size_t j = (size_t)(((uintptr_t)c >> 4) * 0x9e3779b97f4a7c15ull) & (p->cap_seen - 1);

	while (p->seen[j] != NULL && p->seen[j] != c)
		j = (j + 1) & (p->cap_seen - 1);
	return j;
}

static int
seen(const struct ps *p, const cJSON *c)
{
	return p->cap_seen != 0 && p->seen[seen_slot(p, c)] == c;
}

PVECG_NODISCARD static int
mark_seen(struct ps *p, const cJSON *c)
{
	if ((p->n_seen + 1) * 2 > p->cap_seen) {
		struct ps grown = *p;
		size_t i;

		grown.cap_seen = p->cap_seen ? p->cap_seen * 2 : 256;
		grown.seen = calloc(grown.cap_seen, sizeof(*grown.seen));
		if (grown.seen == NULL)
			return PVECG_ENOMEM;
		for (i = 0; i < p->cap_seen; i++)
			if (p->seen[i] != NULL)
				grown.seen[seen_slot(&grown, p->seen[i])] = p->seen[i];
		free(p->seen);
		p->seen = grown.seen;
		p->cap_seen = grown.cap_seen;
	}
	if (!seen(p, c)) {
		p->seen[seen_slot(p, c)] = c;
		p->n_seen++;
	}
	return 0;
}

/* Adds one component to the name index (the first of a name wins, as in a
 * lookup of the object). */
PVECG_NODISCARD static int
index_component(struct ps *p, cJSON *c)
{
	if (c->string == NULL || pvecg_strmap_get(&p->comp_ix, c->string) != NULL)
		return 0;
	if (p->comp_n == p->comp_cap) {
		size_t cap = p->comp_cap ? p->comp_cap * 2 : 1024;
		cJSON **v = realloc(p->comp_v, cap * sizeof(*v));

		if (v == NULL)
			return PVECG_ENOMEM;
		p->comp_v = v;
		p->comp_cap = cap;
	}
	if (pvecg_strmap_put(&p->comp_ix, c->string, (int)p->comp_n) != 0)
		return PVECG_ENOMEM;
	p->comp_v[p->comp_n++] = c;
	return 0;
}

/* Out of memory for the index: lookups walk the object again. */
static void
drop_component_index(struct ps *p)
{
	pvecg_strmap_free(&p->comp_ix);
	free(p->comp_v);
	p->comp_v = NULL;
	p->comp_n = p->comp_cap = 0;
	p->comp_ix_built = 0;
}

cJSON *
pvecg_ps_component(struct ps *p, const char *name)
{
	cJSON *c;
	int *ix;

	if (!p->comp_ix_built) {
		p->comp_ix_built = 1;
		cJSON_ArrayForEach(c, p->schemas) {
			if (index_component(p, c) != 0) {
				drop_component_index(p);
				return pvecg_json_get(p->schemas, name);
			}
		}
	}
	ix = pvecg_strmap_get(&p->comp_ix, name);
	return ix != NULL ? p->comp_v[*ix] : NULL;
}

PVECG_NODISCARD static int
walk_ref(struct ps *p, const char *ref, const char *path, const char *member, int depth)
{
	cJSON *c;

	if (strncmp(ref, COMP, strlen(COMP)) != 0)
		return 0;
	c = pvecg_ps_component(p, ref + strlen(COMP));
	if (!c || seen(p, c))
		return 0;
	if (mark_seen(p, c) != 0)
		return PVECG_ENOMEM;
	return walk(p, c, path, member, depth + 1);
}

/* The member name a schema is known by: "net[n]" for indexed members. */
const char *
pvecg_ps_member_of(const cJSON *entry)
{
	const char *ix = pvecg_json_str(entry, "x-proxmox-indexed");

	return ix ? ix : entry->string;
}

PVECG_NODISCARD static int
walk_members(struct ps *p, cJSON *obj, const char *path, int depth)
{
	cJSON *c;
	int rc;

	cJSON_ArrayForEach(c, obj) {
		if ((rc = walk(p, c, path, pvecg_ps_member_of(c), depth + 1)) != 0)
			return rc;
	}
	return 0;
}

/* A string member with a named format and a property-string typetext
 * gets the format read from the typetext (openapi_typetext.c). */
PVECG_NODISCARD static int
collect_typetexts(cJSON *map, const cJSON *node, int depth)
{
	const char *tt = pvecg_json_str(node, "x-proxmox-typetext");
	const char *named = pvecg_json_str(node, "format");
	const cJSON *c;

	if (depth > WALK_MAX_DEPTH)
		return 0;
	if (tt && named && strchr(tt, '=') && !pvecg_json_get(map, named) &&
	    !cJSON_AddStringToObject(map, named, tt))
		return PVECG_ENOMEM;
	for (c = node ? node->child : NULL; c; c = c->next)
		if (collect_typetexts(map, c, depth + 1) != 0)
			return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
from_typetext(struct ps *p, cJSON *node)
{
	const char *named = pvecg_json_str(node, "format");
	const char *tt = pvecg_json_str(node, "x-proxmox-typetext");
	cJSON *fmt;
	int rc;

	if (!tt && named) /* responses carry no typetext: the one of the same format */
		tt = pvecg_json_str(p->typetexts, named);
	if (!tt || !strchr(tt, '=') || !cJSON_IsString(pvecg_json_get(node, "format")) ||
	    pvecg_json_get(node, "x-proxmox-format") ||
	    pvecg_json_get(node, "x-proxmox-property-string"))
		return 0;
	if ((rc = pvecg_propstr_from_typetext(&fmt, tt)) != 0)
		return rc == PVECG_ENOMEM ? rc : 0;
	if (!cJSON_AddItemToObject(node, "x-proxmox-format", fmt)) {
		cJSON_Delete(fmt);
		return PVECG_ENOMEM;
	}
	if (!cJSON_AddStringToObject(node, "x-proxmox-property-string-source", "typetext"))
		return PVECG_ENOMEM;
	return 0;
}

PVECG_NODISCARD static int
walk(struct ps *p, cJSON *node, const char *path, const char *member, int depth)
{
	cJSON *c;
	int rc;

	if (depth > WALK_MAX_DEPTH)
		return 0;
	if (cJSON_IsArray(node)) {
		cJSON_ArrayForEach(c, node) {
			const char *pname = pvecg_json_str(c, "name");

			if ((rc = walk(p, c, path, pname ? pname : member, depth + 1)) != 0)
				return rc;
		}
		return 0;
	}
	if (!cJSON_IsObject(node))
		return 0;
	if (member && (rc = from_typetext(p, node)) != 0)
		return rc;
	if (member && cJSON_IsObject(pvecg_json_get(node, "x-proxmox-format")) &&
	    pvecg_ps_push_use(&p->fmt, node, path, member) != 0)
		return PVECG_ENOMEM;
	if (cJSON_IsObject(pvecg_json_get(node, "patternProperties")) &&
	    pvecg_ps_push_use(&p->idx, node, path, member ? member : "") != 0)
		return PVECG_ENOMEM;
	cJSON_ArrayForEach(c, node) {
		if (!c->string)
			continue;
		if (!strcmp(c->string, "properties") || !strcmp(c->string, "patternProperties"))
			rc = walk_members(p, c, path, depth);
		else if (!strcmp(c->string, "$ref") && cJSON_IsString(c))
			rc = walk_ref(p, c->valuestring, path, member, depth);
		else if (!strcmp(c->string, "x-proxmox-format"))
			rc = 0; /* Proxmox's own schema, not ours */
		else
			rc = walk(p, c, path, member, depth + 1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

PVECG_NODISCARD static int
walk_doc(struct ps *p)
{
	cJSON *item, *op;
	int rc;

	cJSON_ArrayForEach(item, pvecg_json_get(p->doc, "paths")) {
		cJSON_ArrayForEach(op, item) {
			if ((rc = walk(p, op, item->string, NULL, 0)) != 0)
				return rc;
		}
	}
	cJSON_ArrayForEach(item, p->schemas) {
		if (seen(p, item))
			continue;
		if ((rc = walk(p, item, "", NULL, 0)) != 0)
			return rc;
	}
	return 0;
}

/* ---- 1. property strings -------------------------------------------------- */

PVECG_NODISCARD static int
put_str_map(cJSON *comp, const char *key, const char *k, const char *v)
{
	cJSON *m = pvecg_json_get(comp, key);

	if (!m) {
		if (!(m = cJSON_CreateObject()) || !cJSON_AddItemToObject(comp, key, m)) {
			cJSON_Delete(m);
			return PVECG_ENOMEM;
		}
	}
	return cJSON_AddItemToObject(m, k, cJSON_CreateString(v)) ? 0 : PVECG_ENOMEM;
}

/* The Proxmox key schemas without the property-string-only keys, as one
 * Proxmox object schema the parameter converter understands. */
PVECG_NODISCARD static int
plain_schema(cJSON **out, const cJSON *fmt)
{
	cJSON *s = cJSON_CreateObject(), *props = cJSON_CreateObject();
	const cJSON *k;

	*out = NULL;
	if (!s || !props || !cJSON_AddItemToObject(s, "properties", props)) {
		cJSON_Delete(s);
		cJSON_Delete(props);
		return PVECG_ENOMEM;
	}
	if (!cJSON_AddItemToObject(s, "type", cJSON_CreateString("object"))) {
		cJSON_Delete(s);
		return PVECG_ENOMEM;
	}
	cJSON_ArrayForEach(k, fmt) {
		cJSON *d;

		if (pvecg_json_get(k, "alias"))
			continue;
		if (!(d = cJSON_Duplicate(k, 1)) || !cJSON_AddItemToObject(props, k->string, d)) {
			cJSON_Delete(d);
			cJSON_Delete(s);
			return PVECG_ENOMEM;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(d, "default_key");
	}
	*out = s;
	return 0;
}

PVECG_NODISCARD static int
format_component(cJSON **out, struct ps *p, const cJSON *fmt)
{
	cJSON *src = NULL, *comp = NULL;
	const cJSON *k;
	int rc;

	*out = NULL;
	if (cJSON_IsString(pvecg_json_get(fmt, "type"))) {
		/* the Rust products: the format is a whole object or array schema */
		const char *dk = pvecg_json_str(fmt, "default_key");

		if (!(src = cJSON_Duplicate(fmt, 1)))
			return pvecg_ps_nomem(p);
		cJSON_DeleteItemFromObjectCaseSensitive(src, "default_key");
		rc = pvecg_openapi_convert_schema(&comp, src, p->err);
		cJSON_Delete(src);
		if (rc != 0)
			return rc;
		if (dk &&
		    !cJSON_AddItemToObject(comp, "x-proxmox-default-key", cJSON_CreateString(dk)))
			goto oom;
		goto dialect;
	}
	if ((rc = plain_schema(&src, fmt)) != 0)
		return pvecg_ps_nomem(p);
	rc = pvecg_openapi_convert_schema(&comp, src, p->err);
	cJSON_Delete(src);
	if (rc != 0)
		return rc;
	cJSON_ArrayForEach(k, fmt) {
		const char *alias = pvecg_json_str(k, "alias");
		const char *key_alias = pvecg_json_str(k, "keyAlias");

		if (!cJSON_IsObject(k))
			continue;
		if (pvecg_json_truthy(pvecg_json_get(k, "default_key")) &&
		    !pvecg_json_get(comp, "x-proxmox-default-key") &&
		    !cJSON_AddItemToObject(
		        comp, "x-proxmox-default-key", cJSON_CreateString(k->string)))
			goto oom;
		if (alias && put_str_map(comp, "x-proxmox-alias", k->string, alias) != 0)
			goto oom;
		if (key_alias &&
		    put_str_map(comp, "x-proxmox-key-alias", k->string, key_alias) != 0)
			goto oom;
	}
dialect:
	if (!cJSON_AddItemToObject(comp, "x-proxmox-property-string-dialect",
	        cJSON_CreateString(pvecg_product_is_rust(p->product) ? "rust" : "perl")))
		goto oom;
	*out = comp;
	return 0;
oom:
	cJSON_Delete(comp);
	return pvecg_ps_nomem(p);
}

cJSON *
pvecg_ps_ref_obj(const char *name)
{
	cJSON *o = cJSON_CreateObject();
	size_t n = strlen(COMP) + strlen(name) + 1;
	char *ref = malloc(n);

	if (!o || !ref) {
		cJSON_Delete(o);
		free(ref);
		return NULL;
	}
	snprintf(ref, n, "%s%s", COMP, name);
	if (!cJSON_AddItemToObject(o, "$ref", cJSON_CreateString(ref))) {
		cJSON_Delete(o);
		o = NULL;
	}
	free(ref);
	return o;
}

int
pvecg_ps_add_component(struct ps *p, const char *name, cJSON *schema)
{
	if (!cJSON_AddItemToObject(p->schemas, name, schema)) {
		cJSON_Delete(schema);
		return pvecg_ps_nomem(p);
	}
	if (p->comp_ix_built && index_component(p, schema) != 0)
		drop_component_index(p);
	return 0;
}

/* A format component with exactly this content, if one exists. */
static const cJSON *
same_component(const struct ps *p, const cJSON *comp)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, p->schemas) {
		if (pvecg_json_get(c, "x-proxmox-property-string-dialect") &&
		    cJSON_Compare(c, comp, 1))
			return c;
	}
	return NULL;
}

PVECG_NODISCARD static int
do_formats(struct ps *p)
{
	struct groups gs = { NULL, 0, 0 };
	size_t *gi = calloc(p->fmt.n + 1, sizeof(*gi));
	size_t i;
	int rc = 0;

	if (!gi)
		return pvecg_ps_nomem(p);
	for (i = 0; i < p->fmt.n && rc == 0; i++)
		rc = pvecg_ps_group_of(&gi[i], &gs,
		    pvecg_json_get(p->fmt.v[i].node, "x-proxmox-format"), &p->fmt.v[i]);
	if (rc == 0)
		rc = pvecg_ps_name_groups(p, &gs, "");
	if (rc != 0) {
		rc = pvecg_ps_nomem(p);
		goto out;
	}
	/* components first (from the first use), then the members point at them */
	for (i = 0; i < p->fmt.n; i++) {
		cJSON *comp, *ref;
		cJSON *node = p->fmt.v[i].node;

		if (!pvecg_ps_component(p, gs.v[gi[i]].name)) {
			const cJSON *same;

			rc = format_component(&comp, p, pvecg_json_get(node, "x-proxmox-format"));
			if (rc != 0)
				goto out;
			if ((same = same_component(p, comp)) != NULL) {
				/* a nested format equal to one made before */
				char *name = pvecg_strdup(same->string);

				cJSON_Delete(comp);
				if (!name) {
					rc = pvecg_ps_nomem(p);
					goto out;
				}
				free(gs.v[gi[i]].name);
				gs.v[gi[i]].name = name;
			} else if (pvecg_json_get(node, "x-proxmox-property-string-source") &&
			    !cJSON_AddStringToObject(
			        comp, "x-proxmox-property-string-source", "typetext")) {
				cJSON_Delete(comp);
				rc = pvecg_ps_nomem(p);
				goto out;
			} else if ((rc = pvecg_ps_add_component(p, gs.v[gi[i]].name, comp)) != 0) {
				goto out;
			} else if (pvecg_ps_push_use(&p->made, comp, p->fmt.v[i].path, "") != 0) {
				rc = pvecg_ps_nomem(p);
				goto out;
			}
		}
		if (!(ref = pvecg_ps_ref_obj(gs.v[gi[i]].name))) {
			rc = pvecg_ps_nomem(p);
			goto out;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(node, "x-proxmox-format");
		if (!cJSON_AddItemToObject(node, "x-proxmox-property-string", ref)) {
			cJSON_Delete(ref);
			rc = pvecg_ps_nomem(p);
			goto out;
		}
	}
out:
	pvecg_ps_groups_free(&gs);
	free(gi);
	return rc;
}

/* "Pve" from the product table's "PVE"; an unknown product names like pve. */
static void
pascal_prefix(char *out, size_t cap, const char *product)
{
	const pvecg_product *pr = pvecg_product_find(product);
	const char *up = (pr != NULL ? pr : &pvecg_products[0])->prefix;
	size_t i;

	for (i = 0; up[i] != '\0' && i + 1 < cap; i++)
		out[i] = (char)(i == 0 ? up[i] : tolower((unsigned char)up[i]));
	out[i] = '\0';
}

int
pvecg_openapi_propstr_apply(cJSON *doc, const char *product, const char *version, pvecg_error *err)
{
	struct ps p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.doc = doc;
	p.err = err;
	p.product = product ? product : "pve";
	p.version = version ? version : "";
	pascal_prefix(p.prefix, sizeof(p.prefix), p.product);
	p.schemas = pvecg_json_get(pvecg_json_get(doc, "components"), "schemas");
	if (!p.schemas)
		return pvecg_error_set(err, PVECG_EINTERNAL, "openapi", "no components.schemas");
	if (!(p.typetexts = cJSON_CreateObject()) || collect_typetexts(p.typetexts, doc, 0) != 0 ||
	    (rc = walk_doc(&p)) != 0) {
		rc = pvecg_ps_nomem(&p);
		goto out;
	}
	/* formats inside formats (the Rust products nest them): a few rounds */
	for (int round = 0; round < 8 && p.fmt.n; round++) {
		struct uses made;

		if ((rc = do_formats(&p)) != 0)
			goto out;
		made = p.made;
		memset(&p.made, 0, sizeof(p.made));
		p.fmt.n = 0;
		for (size_t i = 0; rc == 0 && i < made.n; i++)
			rc = walk(&p, made.v[i].node, made.v[i].path, NULL, 0);
		free(made.v);
		if (rc != 0) {
			rc = pvecg_ps_nomem(&p);
			goto out;
		}
	}
	rc = pvecg_ps_do_indexed(&p);
out:
	free(p.fmt.v);
	free(p.idx.v);
	free(p.made.v);
	free(p.seen);
	drop_component_index(&p);
	cJSON_Delete(p.typetexts);
	return rc;
}
