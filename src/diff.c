/* diff, operation level: pairs the operations of two OpenAPI documents by
 * method and path, compares their Proxmox attributes (allowtoken,
 * protected, proxyto, permissions), parameters (path, query and request
 * body members) and response data, and keeps the change list sorted by
 * route group. Schema comparisons live in diff_schema.c. */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "pvecg/httpmethod.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

/* The 8.4 -> 9.1 pair needs about 6,400; a hostile pair stops within a second. */
#define DIFF_MAX_STEPS 100000

struct op {
	const char *path;
	int method; /* index into pvecg_httpmethods */
	const cJSON *node;
	char group[128];
};

struct ops {
	struct op *v;
	size_t n;
};

/* ------------------------------------------------------------------ */
/* The change list                                                      */

static char *
dup_or_null(const char *s, int *fatal)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = pvecg_strdup(s);
	if (d == NULL)
		*fatal = 1;
	return d;
}

static void
change_clear(pvecg_diff_change *ch)
{
	free(ch->group);
	free(ch->method);
	free(ch->path);
	free(ch->operation_id);
	free(ch->subject);
	free(ch->old_value);
	free(ch->new_value);
}

void
diff_emit(struct diff_ctx *c, const char *area, const char *kind, const char *subject,
    const char *old_value, const char *new_value, pvecg_diff_severity sev)
{
	pvecg_diff *d = c->d;
	pvecg_diff_change *ch;

	if (c->fatal)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		pvecg_diff_change *v = realloc(d->items, cap * sizeof(*v));

		if (v == NULL) {
			c->fatal = 1;
			return;
		}
		d->items = v;
		d->cap = cap;
	}
	ch = &d->items[d->n];
	memset(ch, 0, sizeof(*ch));
	ch->area = area;
	ch->kind = kind;
	ch->severity = sev;
	ch->seq = c->seq++;
	ch->group = dup_or_null(c->group, &c->fatal);
	ch->method = dup_or_null(c->method, &c->fatal);
	ch->path = dup_or_null(c->path, &c->fatal);
	ch->operation_id = dup_or_null(c->operation_id ? c->operation_id : "", &c->fatal);
	ch->subject = dup_or_null(subject ? subject : "", &c->fatal);
	ch->old_value = dup_or_null(old_value, &c->fatal);
	ch->new_value = dup_or_null(new_value, &c->fatal);
	d->n++;
	if (sev == PVECG_DIFF_BREAKING)
		d->summary.breaking++;
	else if (sev == PVECG_DIFF_POTENTIAL)
		d->summary.potential++;
	else
		d->summary.safe++;
}

void
pvecg_diff_free(pvecg_diff *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		change_clear(&d->items[i]);
	free(d->items);
	free(d->old_version);
	free(d->new_version);
	free(d->old_product);
	free(d->product);
	free(d);
}

const char *
pvecg_diff_severity_name(pvecg_diff_severity s)
{
	return s == PVECG_DIFF_BREAKING ? "breaking"
	    : s == PVECG_DIFF_POTENTIAL ? "potentially-breaking"
	                                : "safe";
}

static bool
matches(const pvecg_diff_change *ch, const char *area, const char *kind)
{
	return (area == NULL || strcmp(ch->area, area) == 0) &&
	    (kind == NULL || strcmp(ch->kind, kind) == 0);
}

size_t
pvecg_diff_count(const pvecg_diff *d, const char *area, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		n += matches(&d->items[i], area, kind);
	return n;
}

const pvecg_diff_change *
pvecg_diff_find(const pvecg_diff *d, const char *area, const char *kind, const char *subject)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (matches(&d->items[i], area, kind) &&
		    (subject == NULL || strcmp(d->items[i].subject, subject) == 0))
			return &d->items[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Operations                                                           */

static void
route_group(char *out, size_t cap, const char *path)
{
	const char *s = path[0] == '/' ? path + 1 : path;
	size_t n = strcspn(s, "/");

	if (n == 0)
		snprintf(out, cap, "root");
	else
		snprintf(out, cap, "%.*s", (int)n, s);
}

static int
cmp_op(const void *a, const void *b)
{
	const struct op *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	return r != 0 ? r : x->method - y->method;
}

PVECG_NODISCARD static int
collect_ops(struct ops *out, const cJSON *doc)
{
	const cJSON *paths = pvecg_json_get(doc, "paths"), *p;
	size_t cap = 0;
	int m;

	out->v = NULL;
	out->n = 0;
	cJSON_ArrayForEach(p, paths) {
		for (m = 0; m < PVECG_HTTP_NMETHODS; m++) {
			const cJSON *node = pvecg_json_get(p, pvecg_httpmethods[m].lower);

			if (!cJSON_IsObject(node) || p->string == NULL)
				continue;
			if (out->n == cap) {
				struct op *v;

				cap = cap ? cap * 2 : 256;
				v = realloc(out->v, cap * sizeof(*v));
				if (v == NULL)
					return PVECG_ENOMEM;
				out->v = v;
			}
			out->v[out->n].path = p->string;
			out->v[out->n].method = m;
			out->v[out->n].node = node;
			route_group(out->v[out->n].group, sizeof(out->v[0].group), p->string);
			out->n++;
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), cmp_op);
	return 0;
}

/* Path and query parameters, then the request body's members. */
PVECG_NODISCARD static int
collect_params(struct diff_fields *f, const cJSON *doc, const cJSON *op)
{
	const cJSON *params = pvecg_json_get(op, "parameters"), *p;
	const cJSON *content, *body;

	cJSON_ArrayForEach(p, params) {
		const cJSON *r = diff_resolve(doc, p);
		const char *name = pvecg_json_str(r, "name");

		if (name != NULL &&
		    diff_fields_add(f, name, pvecg_json_get(r, "schema"), pvecg_json_str(r, "in"),
		        cJSON_IsTrue(pvecg_json_get(r, "required"))) != 0)
			return PVECG_ENOMEM;
	}
	content = pvecg_json_get(diff_resolve(doc, pvecg_json_get(op, "requestBody")), "content");
	body = pvecg_json_get(content, "application/json");
	if (body == NULL)
		body = pvecg_json_get(content, "application/x-www-form-urlencoded");
	body = pvecg_json_get(body, "schema");
	if (body != NULL && diff_fields_object(f, doc, body, "body") != 0)
		return PVECG_ENOMEM;
	diff_fields_sort(f);
	return 0;
}

/* The schema of `data` in the success response (the whole body when the
 * document has no envelope). NULL when the operation declares none. */
static const cJSON *
response_data(const cJSON *doc, const cJSON *op)
{
	const cJSON *rs = pvecg_json_get(op, "responses"), *r = NULL, *s, *data;

	r = pvecg_json_get(rs, "200");
	if (r == NULL)
		r = pvecg_json_get(rs, "2XX");
	s = pvecg_json_get(
	    pvecg_json_get(pvecg_json_get(diff_resolve(doc, r), "content"), "application/json"),
	    "schema");
	s = diff_resolve(doc, s);
	data = pvecg_json_get(pvecg_json_get(s, "properties"), "data");
	return data != NULL ? data : s;
}

static void
compare_flag(struct diff_ctx *c, const cJSON *a, const cJSON *b, const char *key, const char *kind,
    pvecg_diff_severity on, pvecg_diff_severity off)
{
	int x = pvecg_json_truthy(pvecg_json_get(a, key));
	int y = pvecg_json_truthy(pvecg_json_get(b, key));

	if (x != y)
		diff_emit(c, "operation", kind, "", x ? "true" : "false", y ? "true" : "false",
		    y ? on : off);
}

/* An operation attribute held as text (NULL: absent); frees both. */
static void
emit_if_differs(struct diff_ctx *c, const char *kind, char *a, char *b, pvecg_diff_severity sev)
{
	if ((a || b) && !(a && b && strcmp(a, b) == 0))
		diff_emit(c, "operation", kind, "", a, b, sev);
	free(a);
	free(b);
}

/* Permissions without their prose: a reworded description is no change. */
static char *
permissions_text(const cJSON *op, int *fatal)
{
	const cJSON *p = pvecg_json_get(op, "x-proxmox-permissions");
	cJSON *copy;
	char *t;

	if (p == NULL)
		return NULL;
	copy = cJSON_Duplicate(p, 1);
	if (copy == NULL) {
		*fatal = 1;
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "description");
	t = diff_json_text(copy);
	if (t == NULL)
		*fatal = 1;
	cJSON_Delete(copy);
	return t;
}

static void
compare_attributes(struct diff_ctx *c, const cJSON *a, const cJSON *b)
{
	char *pa, *pb;

	/* Tokens refused where they worked is breaking for every token user. */
	compare_flag(c, a, b, "x-proxmox-allowtoken", "allowtoken-changed", PVECG_DIFF_SAFE,
	    PVECG_DIFF_BREAKING);
	compare_flag(
	    c, a, b, "x-proxmox-protected", "protected-changed", PVECG_DIFF_SAFE, PVECG_DIFF_SAFE);
	pa = dup_or_null(pvecg_json_str(a, "x-proxmox-proxyto"), &c->fatal);
	pb = dup_or_null(pvecg_json_str(b, "x-proxmox-proxyto"), &c->fatal);
	emit_if_differs(c, "proxyto-changed", pa, pb, PVECG_DIFF_SAFE);
	pa = permissions_text(a, &c->fatal);
	pb = permissions_text(b, &c->fatal);
	emit_if_differs(c, "permissions-changed", pa, pb, PVECG_DIFF_POTENTIAL);
}

static void
compare_op(struct diff_ctx *c, const struct op *a, const struct op *b)
{
	struct diff_fields pa = { NULL, 0, 0 }, pb = { NULL, 0, 0 };
	struct diff_counts counts = { 0, 0, 0 };
	size_t before = c->d->n;

	compare_attributes(c, a->node, b->node);
	if (collect_params(&pa, c->old_doc, a->node) != 0 ||
	    collect_params(&pb, c->new_doc, b->node) != 0) {
		c->fatal = 1;
	} else {
		diff_compare_fields(c, DIFF_IN, "parameter", "", &pa, &pb, 0, &counts);
		c->d->summary.parameters_added += counts.added;
		c->d->summary.parameters_removed += counts.removed;
		c->d->summary.parameters_changed += counts.changed;
	}
	diff_fields_free(&pa);
	diff_fields_free(&pb);
	diff_compare_schema(c, DIFF_OUT, "response", "data", response_data(c->old_doc, a->node),
	    response_data(c->new_doc, b->node), 0);
	if (c->d->n != before)
		c->d->summary.operations_changed++;
}

static void
set_op(struct diff_ctx *c, const struct op *o)
{
	c->group = o->group;
	c->method = pvecg_httpmethods[o->method].upper;
	c->path = o->path;
	c->operation_id = pvecg_json_str(o->node, "operationId");
}

static void
compare_ops(struct diff_ctx *c, const struct ops *a, const struct ops *b)
{
	size_t i = 0, j = 0;

	while ((i < a->n || j < b->n) && !c->fatal) {
		int cmp = i == a->n ? 1 : j == b->n ? -1 : cmp_op(&a->v[i], &b->v[j]);

		if (cmp < 0) {
			set_op(c, &a->v[i++]);
			diff_emit(c, "operation", "removed", "", NULL, NULL, PVECG_DIFF_BREAKING);
			c->d->summary.operations_removed++;
		} else if (cmp > 0) {
			set_op(c, &b->v[j++]);
			diff_emit(c, "operation", "added", "", NULL, NULL, PVECG_DIFF_SAFE);
			c->d->summary.operations_added++;
		} else {
			set_op(c, &b->v[j]);
			compare_op(c, &a->v[i++], &b->v[j++]);
		}
	}
}

static int
cmp_change(const void *a, const void *b)
{
	const pvecg_diff_change *x = a, *y = b;
	int r = strcmp(x->group, y->group);

	if (r != 0)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static char *
info_text(const cJSON *doc, const char *key, int *fatal)
{
	return dup_or_null(pvecg_json_str(pvecg_json_get(doc, "info"), key), fatal);
}

int
pvecg_diff_documents(pvecg_diff **out, const cJSON *old_doc, const cJSON *new_doc, pvecg_error *err)
{
	struct diff_ctx c;
	struct ops a = { NULL, 0 }, b = { NULL, 0 };
	pvecg_diff *d;
	int rc = 0;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "diff", "out of memory");
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.old_doc = old_doc;
	c.new_doc = new_doc;
	c.steps = DIFF_MAX_STEPS;
	d->old_version = info_text(old_doc, "version", &c.fatal);
	d->new_version = info_text(new_doc, "version", &c.fatal);
	d->old_product = info_text(old_doc, "x-proxmox-product", &c.fatal);
	d->product = info_text(new_doc, "x-proxmox-product", &c.fatal);
	if (d->old_product && d->product && strcmp(d->old_product, d->product) != 0) {
		rc = pvecg_error_set(err, PVECG_EINPUT, "diff",
		    "OLD is %s and NEW is %s: "
		    "compare versions of one product",
		    d->old_product, d->product);
		pvecg_diff_free(d);
		return rc;
	}
	if (collect_ops(&a, old_doc) != 0 || collect_ops(&b, new_doc) != 0)
		c.fatal = 1;
	d->summary.operations_old = a.n;
	d->summary.operations_new = b.n;
	if (!c.fatal)
		compare_ops(&c, &a, &b);
	free(a.v);
	free(b.v);
	if (c.exhausted) {
		rc = pvecg_error_set(err, PVECG_ELIMIT, "diff",
		    "the schemas nest too deeply or "
		    "too widely to compare (more than %d schema comparisons)",
		    DIFF_MAX_STEPS);
		pvecg_diff_free(d);
		return rc;
	}
	if (c.fatal) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, "diff", "out of memory");
		pvecg_diff_free(d);
		return rc;
	}
	if (d->n > 1)
		qsort(d->items, d->n, sizeof(d->items[0]), cmp_change);
	*out = d;
	return 0;
}
