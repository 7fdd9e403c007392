/* mock_rules: what every route does, derived from the topology in
 * route_metadata.json, with the few facts the metadata cannot say in the
 * tables at the top of this file (written once, not per handler).
 *
 * Derived from the metadata:
 *  - a route with a child template is a collection: GET lists the state's
 *    children, POST creates one (id from the child parameter, else the
 *    next free number); an item (parent template) whose collection has a
 *    POST is tracked: it exists only in the state, GET reads it, PUT/POST
 *    update it, DELETE removes it with everything below it;
 *  - every route below tracked items needs them to exist (else Proxmox's
 *    "does not exist" answer, HTTP 500);
 *  - a write to a path whose GET returns an object is config-like: it
 *    merges its parameters (and `delete`) into the state that GET reads;
 *    the item's own path and its /config share the item's configuration,
 *    /status/... reads it with the run-time state;
 *  - a write answering a bare string is a long-running task: it answers a
 *    UPID;
 *  - GET of an array without a child template is a directory index: one
 *    element per literal sub-path;
 *  - everything else answers data shaped by the response schema.
 * What guests' action routes (status, clone, migrate, template) do is
 * mock_actions.c.
 * The cluster's machinery (login, next id, resources, tasks) is mock_infra.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mock_int.h"
#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

/* Items tracked although their collection has no POST. */
static const char *const seeded_items[] = { "/nodes/{node}" };

/* Items that are another collection's items seen from elsewhere. */
static const struct {
	const char *item;
	const char *canonical;
} aliases[] = {
	{ "/nodes/{node}/storage/{storage}", "/storage/" },
};

/* Writes answering a string that is not a UPID. */
static const char *const not_tasks[] = {
	"/access/openid/auth-url",
	"/nodes/{node}/qemu/{vmid}/monitor",
};

/* Task type prefixes, by the collection of the item the task acts on. */
static const struct {
	const char *family;
	const char *prefix;
} task_prefixes[] = {
	{ "qemu", "qm" },
	{ "lxc", "vz" },
};

/* Run-time state of new items, by their id parameter. */
static const struct {
	const char *id_param;
	const char *json;
} run_defaults[] = {
	{ "vmid",
	    "{\"status\":\"stopped\",\"uptime\":0,\"cpu\":0,\"mem\":0,\"disk\":0,"
	    "\"netin\":0,\"netout\":0,\"diskread\":0,\"diskwrite\":0}" },
	{ "node",
	    "{\"status\":\"online\",\"uptime\":86400,\"cpu\":0.02,\"maxcpu\":4,"
	    "\"mem\":2147483648,\"maxmem\":8589934592,\"disk\":4294967296,\"maxdisk\":34359738368,"
	    "\"level\":\"\",\"ssl_fingerprint\":\"AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
	    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\"}" },
	{ "storage",
	    "{\"active\":1,\"enabled\":1,\"shared\":0,\"status\":\"available\","
	    "\"total\":107374182400,\"used\":10737418240,\"avail\":96636764160}" },
};

/* Parameters of a config-like write that are not configuration. */
static const char *const control_params[] = { "digest", "delete", "revert", "skiplock" };

cJSON *
mock_run_defaults(const char *id_param)
{
	size_t i;

	for (i = 0; id_param && i < sizeof(run_defaults) / sizeof(run_defaults[0]); i++)
		if (strcmp(run_defaults[i].id_param, id_param) == 0)
			return cJSON_Parse(run_defaults[i].json);
	return cJSON_CreateObject();
}

static bool
in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static const char *
alias_of(const char *item_tpl)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].item, item_tpl) == 0)
			return aliases[i].canonical;
	return NULL;
}

static bool
is_tracked_item(const mock_api *api, const mock_route *r)
{
	if (r->parent_tpl == NULL)
		return false;
	if (in_list(seeded_items, sizeof(seeded_items) / sizeof(seeded_items[0]), r->path) ||
	    alias_of(r->path) != NULL)
		return true;
	return mock_route_find(api, "POST", r->parent_tpl) != NULL;
}

static bool
is_task(const mock_api *api, const mock_route *r)
{
	const cJSON *s = mock_resolve(api, r->response);
	const char *t = mock_declared_type(s);

	/* the declared type: the wire form may also allow numbers */
	if (strcmp(r->method, "GET") == 0 || t == NULL || strcmp(t, "string") != 0)
		return false;
	/* PBS and PDM declare their task ids with a UPID pattern */
	if (pvecg_json_str(s, "pattern") != NULL &&
	    strncmp(pvecg_json_str(s, "pattern"), "^UPID:", 6) == 0)
		return true;
	if (pvecg_json_get(s, "enum") || pvecg_json_get(s, "format") ||
	    pvecg_json_get(s, "pattern"))
		return false;
	return !in_list(not_tasks, sizeof(not_tasks) / sizeof(not_tasks[0]), r->path);
}

void
mock_rules_apply(mock_api *api)
{
	size_t i, k;
	char tpl[1024];

	for (i = 0; i < api->n_routes; i++)
		api->routes[i].tracked = is_tracked_item(api, &api->routes[i]);
	for (i = 0; i < api->n_routes; i++) {
		mock_route *r = &api->routes[i];
		size_t o = 0;

		r->task = is_task(api, r);
		for (k = 0; k < r->nseg && o < sizeof(tpl); k++) {
			o += (size_t)snprintf(tpl + o, sizeof(tpl) - o, "/%s", r->seg[k]);
			if (r->seg[k][0] != '{' || r->n_item_at == 8)
				continue;
			const mock_route *g = mock_route_find(api, "GET", tpl);

			if (g != NULL && g->tracked)
				r->item_at[r->n_item_at++] = k + 1;
		}
	}
}

/* ---- answers ---- */

int
mock_answer(pvecg_mock_response *out, unsigned status, cJSON *data)
{
	out->status = status;
	out->body = cJSON_CreateObject();
	if (out->body == NULL || data == NULL) {
		cJSON_Delete(data);
		return -1;
	}
	cJSON_AddItemToObject(out->body, "data", data);
	return 0;
}

int
mock_fail(pvecg_mock_response *out, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (mock_answer(out, status, cJSON_CreateNull()) != 0)
		return -1;
	return cJSON_AddStringToObject(out->body, "message", msg) ? 0 : -1;
}

int
mock_param_error(pvecg_mock_response *out, const char *name, const char *msg)
{
	cJSON *errors = cJSON_CreateObject();

	if (errors == NULL || !cJSON_AddStringToObject(errors, name, msg)) {
		cJSON_Delete(errors);
		return -1;
	}
	if (mock_fail(out, 400, "Parameter verification failed.") != 0) {
		cJSON_Delete(errors);
		return -1;
	}
	cJSON_AddItemToObject(out->body, "errors", errors);
	return 0;
}

/* ---- state views ---- */

static void
merge_into(cJSON *dst, const cJSON *src)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, src) {
		cJSON_DeleteItemFromObjectCaseSensitive(dst, v->string);
		cJSON_AddItemToObject(dst, v->string, cJSON_Duplicate(v, 1));
	}
}

static double
leading_number(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		const char *eq = strstr(s, "current=");

		return atof(eq ? eq + 8 : s);
	}
	return 0;
}

/* The values a guest's list element and status show beside its config. */
static void
derive_guest(cJSON *v)
{
	const cJSON *mem = pvecg_json_get(v, "memory");
	double cores = leading_number(pvecg_json_get(v, "cores"));
	double sockets = leading_number(pvecg_json_get(v, "sockets"));
	const char *host = pvecg_json_str(v, "hostname");

	cJSON_AddNumberToObject(v, "maxmem", (mem ? leading_number(mem) : 512) * 1048576.0);
	cJSON_AddNumberToObject(v, "cpus", (cores > 0 ? cores : 1) * (sockets > 0 ? sockets : 1));
	cJSON_AddNumberToObject(v, "maxdisk", 34359738368.0);
	if (pvecg_json_str(v, "name") == NULL && host != NULL)
		cJSON_AddStringToObject(v, "name", host);
	if (strcmp(pvecg_json_str(v, "status") ? pvecg_json_str(v, "status") : "", "running") ==
	    0) {
		cJSON_ReplaceItemInObjectCaseSensitive(v, "uptime", cJSON_CreateNumber(3600));
		cJSON_AddStringToObject(v, "qmpstatus", "running");
		cJSON_AddNumberToObject(v, "pid", 4242);
	} else {
		cJSON_AddStringToObject(v, "qmpstatus", "stopped");
	}
}

/* Configuration, run-time state and id of an entry, as one object. */
cJSON *
mock_entry_view(const cJSON *e, const char *bucket, bool with_run)
{
	cJSON *v = cJSON_CreateObject();
	const char *idp = pvecg_json_str(e, "idp"), *id = pvecg_json_str(e, "id");

	if (v == NULL)
		return NULL;
	if (bucket == NULL) {
		merge_into(v, pvecg_json_get(e, "conf"));
		if (with_run)
			merge_into(v, pvecg_json_get(e, "run"));
	} else {
		merge_into(v, pvecg_json_get(pvecg_json_get(e, "sub"), bucket));
	}
	if (idp != NULL && id != NULL && idp[0] && pvecg_json_get(v, idp) == NULL)
		cJSON_AddStringToObject(v, idp, id);
	if (bucket == NULL && with_run && idp != NULL && strcmp(idp, "vmid") == 0)
		derive_guest(v);
	return v;
}

/* rel "" and "/config" are the item's own configuration; "/status/..."
 * reads it too; every other sub-path keeps its own. */
static const char *
bucket_of(const char *rel)
{
	if (rel[0] == '\0' || strcmp(rel, "/config") == 0 || strncmp(rel, "/status", 7) == 0)
		return NULL;
	return rel;
}

/* ---- the request's place in the state ---- */

typedef struct place {
	cJSON *owner; /* deepest tracked item entry, or NULL */
	char owner_path[1024];
	const char *rel;    /* path below the owner */
	const char *family; /* collection segment of the owner ("qemu") */
	char family_buf[64];
} place;

/* Concrete path of the first k segments (aliases mapped). */
static void
prefix_key(char *out, size_t cap, const mock_route *r, const char *path, size_t k)
{
	const char *p = path;
	size_t i;
	char tpl[1024];
	size_t o = 0;

	for (i = 0; i < k && *p; i++) {
		p = strchr(p + 1, '/');
		if (p == NULL)
			p = path + strlen(path);
	}
	tpl[0] = '\0';
	for (i = 0; i < k && o < sizeof(tpl); i++)
		o += (size_t)snprintf(tpl + o, sizeof(tpl) - o, "/%s", r->seg[i]);
	const char *canon = alias_of(tpl);
	if (canon != NULL) {
		const char *last = p;

		while (last > path && last[-1] != '/')
			last--;
		snprintf(out, cap, "%s%.*s", canon, (int)(p - last), last);
	} else {
		snprintf(out, cap, "%.*s", (int)(p - path), path);
	}
}

static const char *
not_found_text(char *buf, size_t cap, const mock_route *r, size_t k, const cJSON *path_vals)
{
	const char *name = r->seg[k - 1];
	char pname[128];
	const char *node = pvecg_json_str(path_vals, "node");

	snprintf(pname, sizeof(pname), "%.*s", (int)strlen(name) - 2, name + 1);
	const char *val = pvecg_json_str(path_vals, pname);
	if (strcmp(pname, "vmid") == 0 && k >= 2)
		snprintf(buf, cap, "Configuration file 'nodes/%s/%s/%s.conf' does not exist",
		    node ? node : "pve", strcmp(r->seg[k - 2], "lxc") == 0 ? "lxc" : "qemu-server",
		    val ? val : "");
	else if (strcmp(pname, "node") == 0)
		snprintf(buf, cap, "no such cluster node '%s'", val ? val : "");
	else if (strcmp(pname, "poolid") == 0)
		snprintf(buf, cap, "pool '%s' does not exist", val ? val : "");
	else if (strcmp(pname, "userid") == 0)
		snprintf(buf, cap, "no such user ('%s')", val ? val : "");
	else
		snprintf(buf, cap, "%s '%s' does not exist", pname, val ? val : "");
	return buf;
}

/* Finds the owner; answers 500 when a tracked item above is unknown. */
static int
locate(place *pl, pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path,
    const cJSON *path_vals, bool creating)
{
	size_t i, n = r->n_item_at;
	char key[1024], msg[512];

	memset(pl, 0, sizeof(*pl));
	pl->rel = path + strlen(path);
	for (i = 0; i < n; i++) {
		size_t k = r->item_at[i];
		cJSON *e;

		prefix_key(key, sizeof(key), r, path, k);
		e = pvecg_json_get(m->objects, key);
		if (e == NULL) {
			if (creating && k == r->nseg)
				break;
			return mock_fail(out, 500, "%s",
			           not_found_text(msg, sizeof(msg), r, k, path_vals)) == 0
			    ? 1
			    : -1;
		}
		pl->owner = e;
		snprintf(pl->owner_path, sizeof(pl->owner_path), "%s", key);
		/* rel: the concrete path after k segments */
		const char *p = path;
		for (size_t j = 0; j < k && p; j++)
			p = strchr(p + 1, '/');
		pl->rel = p ? p : path + strlen(path);
		if (k >= 2)
			snprintf(pl->family_buf, sizeof(pl->family_buf), "%s", r->seg[k - 2]);
		pl->family = pl->family_buf;
	}
	return 0;
}

/* ---- tasks ---- */

static const char *
task_type(char *buf, size_t cap, const place *pl, const mock_route *r, const char *verb)
{
	const char *prefix = "";
	size_t i;

	for (i = 0; pl->family && i < sizeof(task_prefixes) / sizeof(task_prefixes[0]); i++)
		if (strcmp(pl->family, task_prefixes[i].family) == 0)
			prefix = task_prefixes[i].prefix;
	if (verb == NULL) {
		for (i = r->nseg; i > 0; i--)
			if (r->seg[i - 1][0] != '{')
				break;
		verb = i > 0 ? r->seg[i - 1] : "mock";
	}
	snprintf(buf, cap, "%s%s", prefix, verb);
	return buf;
}

static cJSON *
new_upid(pvecg_mock *m, const place *pl, const mock_route *r, const cJSON *args, const char *verb,
    const char *id, const char *user)
{
	char type[96];
	const char *node = pvecg_json_str(args, "node");
	const char *upid;

	const cJSON *e;

	/* a route without {node} runs its task on the first node */
	cJSON_ArrayForEach(e, m->objects)
		if (node == NULL &&
		    strcmp(pvecg_json_str(e, "idp") ? pvecg_json_str(e, "idp") : "", "node") == 0)
			node = pvecg_json_str(e, "id");
	if (node == NULL)
		node = "pve";
	upid = mock_task_new(m, node, task_type(type, sizeof(type), pl, r, verb),
	    id ? id : (pl->owner ? pvecg_json_str(pl->owner, "id") : ""), user);
	return upid ? cJSON_CreateString(upid) : NULL;
}

/* ---- CRUD ---- */

bool
mock_vmid_taken(const pvecg_mock *m, const char *id, const char **node_out)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, m->objects) {
		const char *idp = pvecg_json_str(e, "idp"), *eid = pvecg_json_str(e, "id");

		if (idp && eid && strcmp(idp, "vmid") == 0 && strcmp(eid, id) == 0) {
			if (node_out)
				*node_out = e->string;
			return true;
		}
	}
	return false;
}

static void
strip_control(cJSON *conf, const mock_route *r)
{
	size_t i;

	for (i = 0; i < sizeof(control_params) / sizeof(control_params[0]); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(conf, control_params[i]);
	for (i = 0; i < r->n_params; i++)
		if (r->params[i].kind == MOCK_PATH)
			cJSON_DeleteItemFromObjectCaseSensitive(conf, r->params[i].name);
}

static void
apply_delete(cJSON *conf, const cJSON *args)
{
	const char *del = pvecg_json_str(args, "delete");
	char *copy, *save = NULL, *k;

	if (del == NULL || (copy = pvecg_strdup(del)) == NULL)
		return;
	for (k = strtok_r(copy, ",; \t", &save); k; k = strtok_r(NULL, ",; \t", &save))
		cJSON_DeleteItemFromObjectCaseSensitive(conf, k);
	free(copy);
}

PVECG_NODISCARD static int
do_create(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path,
    const place *pl, cJSON *args, const char *user)
{
	const char *canon = alias_of(r->child_tpl);
	const char *given = pvecg_json_str(args, r->child_param);
	char id[256], key[1024], num[32];
	const cJSON *idv = pvecg_json_get(args, r->child_param);
	const char *where = NULL;
	cJSON *conf, *e, *data;
	unsigned long n;

	if (given == NULL && cJSON_IsNumber(idv)) {
		snprintf(num, sizeof(num), "%.0f", idv->valuedouble);
		given = num;
	}
	for (n = 0; given == NULL && n < 1000000; n++) {
		snprintf(id, sizeof(id), "%lu", n);
		snprintf(key, sizeof(key), "%s%s%s", canon ? canon : path, canon ? "" : "/", id);
		if (pvecg_json_get(m->objects, key) == NULL)
			given = id;
	}
	if (given == NULL || strchr(given, '/') != NULL)
		return mock_param_error(out, r->child_param, "invalid identifier");
	if (given != id)
		snprintf(id, sizeof(id), "%s", given);
	snprintf(key, sizeof(key), "%s%s%s", canon ? canon : path, canon ? "" : "/", id);
	if (strcmp(r->child_param, "vmid") == 0 && mock_vmid_taken(m, id, &where))
		return mock_fail(
		    out, 500, "unable to create VM %s - VM %s already exists (%s)", id, id, where);
	if (pvecg_json_get(m->objects, key) != NULL)
		return mock_fail(out, 500, "%s '%s' already exists", r->child_param, id);
	if ((conf = cJSON_Duplicate(args, 1)) == NULL)
		return -1;
	strip_control(conf, r);
	cJSON_DeleteItemFromObjectCaseSensitive(conf, r->child_param);
	bool start = pvecg_json_truthy(pvecg_json_get(conf, "start")) > 0;
	cJSON_DeleteItemFromObjectCaseSensitive(conf, "start");
	if ((e = mock_entry_new(m, key, r->child_param, id, conf)) == NULL)
		return -1;
	if (start)
		cJSON_ReplaceItemInObjectCaseSensitive(
		    pvecg_json_get(e, "run"), "status", cJSON_CreateString("running"));
	if (r->task) {
		place cpl = *pl;

		cpl.family = r->seg[r->nseg - 1];
		data = new_upid(m, &cpl, r, args, "create", id, user);
	} else {
		data = mock_shape(&m->api, r->response, NULL, 0);
	}
	return mock_answer(out, 200, data);
}

PVECG_NODISCARD static int
do_list(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path)
{
	const char *canon = alias_of(r->child_tpl);
	char prefix[1024];
	size_t plen;
	const cJSON *e;
	cJSON *src = cJSON_CreateArray();

	snprintf(prefix, sizeof(prefix), "%s", canon ? canon : path);
	if (!canon && prefix[strlen(prefix) - 1] != '/')
		strncat(prefix, "/", sizeof(prefix) - strlen(prefix) - 1);
	plen = strlen(prefix);
	if (src == NULL)
		return -1;
	cJSON_ArrayForEach(e, m->objects) {
		if (strncmp(e->string, prefix, plen) != 0 || strchr(e->string + plen, '/') != NULL)
			continue;
		cJSON *v = mock_entry_view(e, NULL, true);

		if (v == NULL || !cJSON_AddItemToArray(src, v)) {
			cJSON_Delete(v);
			cJSON_Delete(src);
			return -1;
		}
	}
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

/* An array GET without a child template: one element per sub-path. */
PVECG_NODISCARD static int
do_index(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r)
{
	cJSON *src = cJSON_CreateArray(), *seen = cJSON_CreateObject();
	size_t i, k;

	if (src == NULL || seen == NULL)
		goto oom;
	for (i = 0; i < m->api.n_routes; i++) {
		const mock_route *c = &m->api.routes[i];
		const char *name;

		if (c->nseg != r->nseg + 1 || c->seg[r->nseg][0] == '{')
			continue;
		for (k = 0; k < r->nseg && strcmp(c->seg[k], r->seg[k]) == 0; k++)
			;
		name = c->seg[r->nseg];
		if (k != r->nseg || pvecg_json_get(seen, name) != NULL)
			continue;
		cJSON_AddTrueToObject(seen, name);
		cJSON *v = cJSON_CreateObject();
		if (v == NULL || !cJSON_AddItemToArray(src, v))
			goto oom;
		cJSON_AddStringToObject(v, "subdir", name);
		cJSON_AddStringToObject(v, "name", name);
	}
	cJSON_Delete(seen);
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
oom:
	cJSON_Delete(src);
	cJSON_Delete(seen);
	return -1;
}

static int
do_read(
    pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path, const place *pl)
{
	const cJSON *s = mock_resolve(&m->api, r->response);
	cJSON *src = NULL, *data;

	if (mock_type_has(s, "array") && r->child_tpl == NULL)
		return do_index(out, m, r);
	if (pl->owner != NULL) {
		src = mock_entry_view(
		    pl->owner, bucket_of(pl->rel), strcmp(pl->rel, "/config") != 0);
	} else {
		const cJSON *root = pvecg_json_get(m->objects, "/");

		src = cJSON_Duplicate(pvecg_json_get(pvecg_json_get(root, "sub"), path), 1);
	}
	data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

static cJSON *
bucket_for_write(pvecg_mock *m, const place *pl, const char *path)
{
	cJSON *owner = pl->owner, *sub;
	const char *b = pl->owner ? bucket_of(pl->rel) : path;

	if (owner == NULL) {
		owner = pvecg_json_get(m->objects, "/");
		if (owner == NULL &&
		    (owner = mock_entry_new(m, "/", "", "", cJSON_CreateObject())) == NULL)
			return NULL;
	}
	if (b == NULL)
		return pvecg_json_get(owner, "conf");
	sub = pvecg_json_get(owner, "sub");
	if (pvecg_json_get(sub, b) == NULL)
		cJSON_AddItemToObject(sub, b, cJSON_CreateObject());
	return pvecg_json_get(sub, b);
}

static int
answer_write(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const place *pl,
    const cJSON *args, const char *user)
{
	cJSON *data;

	if (r->task)
		data = new_upid(m, pl, r, args, NULL, NULL, user);
	else
		data = mock_shape(&m->api, r->response, NULL, 0);
	return mock_answer(out, 200, data);
}

PVECG_NODISCARD static int
do_write(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path,
    const place *pl, cJSON *args, const char *user)
{
	int rc;

	/* an action (start, clone, migrate, ...) even where a GET exists (migrate's precheck) */
	if ((rc = mock_action_apply(out, m, pl->owner, pl->owner_path, pl->rel, args)) != 2)
		return rc < 0 ? -1 : rc == 1 ? 0 : answer_write(out, m, r, pl, args, user);
	if (r->get_kind == MOCK_GET_OBJECT || (r->tracked && strcmp(r->method, "DELETE") != 0)) {
		cJSON *conf = bucket_for_write(m, pl, path), *add;

		if (conf == NULL || (add = cJSON_Duplicate(args, 1)) == NULL)
			return -1;
		strip_control(add, r);
		apply_delete(conf, args);
		merge_into(conf, add);
		cJSON_Delete(add);
	}
	return answer_write(out, m, r, pl, args, user);
}

static int
do_remove(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const place *pl,
    cJSON *args, const char *user)
{
	char id[256];
	cJSON *data;
	place cpl = *pl;

	snprintf(id, sizeof(id), "%s",
	    pvecg_json_str(pl->owner, "id") ? pvecg_json_str(pl->owner, "id") : "");
	mock_entry_remove(m, pl->owner_path);
	cpl.owner = NULL;
	if (r->task)
		data = new_upid(m, &cpl, r, args, "destroy", id, user);
	else
		data = mock_shape(&m->api, r->response, NULL, 0);
	return mock_answer(out, 200, data);
}

int
mock_dispatch(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const char *path,
    const cJSON *path_vals, cJSON *args, const char *user)
{
	bool get = strcmp(r->method, "GET") == 0, del = strcmp(r->method, "DELETE") == 0;
	bool create = r->child_tpl != NULL && strcmp(r->method, "POST") == 0;
	place pl;
	int rc;

	if ((rc = locate(&pl, out, m, r, path, path_vals, create)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = mock_infra_dispatch(out, m, r, args)) != 1)
		return rc;
	if (create)
		return do_create(out, m, r, path, &pl, args, user);
	if (r->child_tpl != NULL && get)
		return do_list(out, m, r, path);
	if (r->tracked && del && pl.owner != NULL && pl.rel[0] == '\0')
		return do_remove(out, m, r, &pl, args, user);
	if (get)
		return do_read(out, m, r, path, &pl);
	return do_write(out, m, r, path, &pl, args, user);
}
