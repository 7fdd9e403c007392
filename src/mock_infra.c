/* mock_infra: the routes that are the cluster's machinery rather than its
 * objects, answered from the state: login (POST /access/ticket), the next
 * free VMID, /cluster/resources, task status, list and log, /version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_int.h"
#include "pvecg/json.h"

/* /cluster/resources: one element per item, by id parameter. */
static const struct {
	const char *id_param;
	const char *type;
} resource_types[] = {
	{ "node", "node" },
	{ "vmid", NULL /* qemu or lxc */ },
	{ "storage", "storage" },
	{ "poolid", "pool" },
};

PVECG_NODISCARD static int
do_ticket(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	char user[256], ticket[512], csrf[128];
	const char *u = pvecg_json_str(args, "username"), *realm = pvecg_json_str(args, "realm");
	const char *pw = pvecg_json_str(args, "password");
	cJSON *src;

	snprintf(user, sizeof(user), "%s%s%s", u ? u : "", realm && u && !strchr(u, '@') ? "@" : "",
	    realm && u && !strchr(u, '@') ? realm : "");
	if (pw == NULL || !mock_password_ok(m, user, pw))
		return mock_fail(out, 401, "authentication failure");
	if (mock_ticket_new(m, user, ticket, sizeof(ticket), csrf, sizeof(csrf)) != 0)
		return mock_fail(out, 500, "user name too long");
	if ((src = cJSON_CreateObject()) == NULL)
		return -1;
	cJSON_AddStringToObject(src, "username", user);
	cJSON_AddStringToObject(src, "ticket", ticket);
	cJSON_AddStringToObject(src, "CSRFPreventionToken", csrf);
	cJSON_AddStringToObject(src, "clustername", "mock");
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

static int
do_nextid(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	const cJSON *want = pvecg_json_get(args, "vmid");
	char id[32];
	unsigned long n;
	cJSON *src;

	if (cJSON_IsNumber(want)) {
		snprintf(id, sizeof(id), "%.0f", want->valuedouble);
		if (mock_vmid_taken(m, id, NULL)) {
			char msg[64];

			snprintf(msg, sizeof(msg), "VM %s already exists", id);
			return mock_param_error(out, "vmid", msg);
		}
		src = cJSON_CreateNumber(want->valuedouble);
	} else {
		for (n = 100; n < 1000000000UL; n++) {
			snprintf(id, sizeof(id), "%lu", n);
			if (!mock_vmid_taken(m, id, NULL))
				break;
		}
		src = cJSON_CreateNumber((double)n);
	}
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

static cJSON *
resource_of(const cJSON *e, const char *type, const char *node)
{
	cJSON *v = mock_entry_view(e, NULL, true);
	const char *id = pvecg_json_str(e, "id");
	char rid[512];

	if (v == NULL)
		return NULL;
	if (strcmp(type, "storage") == 0) {
		snprintf(rid, sizeof(rid), "storage/%s/%s", node, id);
		cJSON_AddStringToObject(v, "node", node);
		cJSON_AddStringToObject(
		    v, "plugintype", pvecg_json_str(v, "type") ? pvecg_json_str(v, "type") : "dir");
		cJSON_DeleteItemFromObjectCaseSensitive(v, "type");
		cJSON_AddNumberToObject(v, "disk", 10737418240.0);
		cJSON_AddNumberToObject(v, "maxdisk", 107374182400.0);
	} else if (strcmp(type, "node") == 0) {
		snprintf(rid, sizeof(rid), "node/%s", id);
	} else if (strcmp(type, "pool") == 0) {
		snprintf(rid, sizeof(rid), "/pool/%s", id);
		cJSON_AddStringToObject(v, "pool", id);
	} else {
		snprintf(rid, sizeof(rid), "%s/%s", type, id);
		cJSON_DeleteItemFromObjectCaseSensitive(v, "vmid");
		cJSON_AddNumberToObject(v, "vmid", atof(id));
		/* the node is the path's second segment */
		const char *p = e->string + strlen("/nodes/"), *s = strchr(p, '/');
		char nb[128];

		snprintf(nb, sizeof(nb), "%.*s", s ? (int)(s - p) : 0, p);
		cJSON_AddStringToObject(v, "node", nb);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(v, "type");
	cJSON_AddStringToObject(v, "type", type);
	cJSON_DeleteItemFromObjectCaseSensitive(v, "id");
	cJSON_AddStringToObject(v, "id", rid);
	return v;
}

static bool
type_wanted(const char *filter, const char *type)
{
	if (filter == NULL)
		return true;
	if (strcmp(filter, "vm") == 0)
		return strcmp(type, "qemu") == 0 || strcmp(type, "lxc") == 0;
	return strcmp(filter, type) == 0;
}

PVECG_NODISCARD static int
add_resources(cJSON *src, const pvecg_mock *m, const cJSON *e, const char *filter)
{
	const char *idp = pvecg_json_str(e, "idp");
	size_t i;

	for (i = 0; idp && i < sizeof(resource_types) / sizeof(resource_types[0]); i++) {
		const char *type = resource_types[i].type;
		const cJSON *n;

		if (strcmp(idp, resource_types[i].id_param) != 0)
			continue;
		if (type == NULL)
			type = strstr(e->string, "/lxc/") ? "lxc" : "qemu";
		if (!type_wanted(filter, type))
			return 0;
		if (strcmp(type, "storage") != 0)
			return cJSON_AddItemToArray(src, resource_of(e, type, NULL)) ? 0 : -1;
		cJSON_ArrayForEach(n, m->objects) /* a storage shows once per node */
			if (strcmp(pvecg_json_str(n, "idp") ? pvecg_json_str(n, "idp") : "",
			        "node") == 0 &&
			    !cJSON_AddItemToArray(
			        src, resource_of(e, type, pvecg_json_str(n, "id"))))
				return -1;
	}
	return 0;
}

PVECG_NODISCARD static int
do_resources(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	cJSON *src = cJSON_CreateArray();
	const cJSON *e;

	if (src == NULL)
		return -1;
	cJSON_ArrayForEach(e, m->objects)
		if (add_resources(src, m, e, pvecg_json_str(args, "type")) != 0) {
			cJSON_Delete(src);
			return -1;
		}
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

static cJSON *
task_view(cJSON *t, bool count_read)
{
	cJSON *v = cJSON_Duplicate(t, 1);
	cJSON *reads = pvecg_json_get(t, "reads");
	bool running = cJSON_IsNumber(reads) && reads->valuedouble < 1;

	if (v == NULL)
		return NULL;
	if (count_read && cJSON_IsNumber(reads))
		cJSON_SetNumberValue(reads, reads->valuedouble + 1);
	cJSON_AddStringToObject(v, "status", running ? "running" : "stopped");
	if (!running) {
		cJSON_AddStringToObject(v, "exitstatus", "OK");
		cJSON_AddNumberToObject(
		    v, "endtime", pvecg_json_get(t, "starttime")->valuedouble + 1);
	}
	return v;
}

PVECG_NODISCARD static int
do_task_status(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	cJSON *t = pvecg_json_get(m->tasks, pvecg_json_str(args, "upid"));
	cJSON *src, *data;

	if (t == NULL)
		return mock_fail(out, 500, "no such task");
	if ((src = task_view(t, true)) == NULL)
		return -1;
	data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

PVECG_NODISCARD static int
do_task_list(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	cJSON *src = cJSON_CreateArray(), *t;
	const char *node = pvecg_json_str(args, "node");

	if (src == NULL)
		return -1;
	cJSON_ArrayForEach(t, m->tasks) {
		cJSON *v;

		if (node &&
		    strcmp(node, pvecg_json_str(t, "node") ? pvecg_json_str(t, "node") : "") != 0)
			continue;
		if ((v = task_view(t, false)) == NULL || !cJSON_AddItemToArray(src, v)) {
			cJSON_Delete(v);
			cJSON_Delete(src);
			return -1;
		}
		/* the list shows the end state Proxmox reports there */
		cJSON_ReplaceItemInObjectCaseSensitive(v, "status", cJSON_CreateString("OK"));
	}
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

PVECG_NODISCARD static int
do_version(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	cJSON *src = cJSON_CreateObject();
	char v[96];

	(void)args;
	if (src == NULL)
		return -1;
	snprintf(v, sizeof(v), "%s-mock", m->api.version);
	cJSON_AddStringToObject(src, "release", m->api.version);
	cJSON_AddStringToObject(src, "version", v);
	cJSON_AddStringToObject(src, "repoid", "0000beef");
	cJSON_AddStringToObject(src, "console", "html5");
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

/* A task's log: what Proxmox writes for a task that did nothing and ended well. */
PVECG_NODISCARD static int
do_task_log(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	cJSON *t = pvecg_json_get(m->tasks, pvecg_json_str(args, "upid"));
	cJSON *src, *line;
	char text[600];
	int i;

	if (t == NULL)
		return mock_fail(out, 500, "no such task");
	if ((src = cJSON_CreateArray()) == NULL)
		return -1;
	for (i = 1; i <= 2; i++) {
		if ((line = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(src, line)) {
			cJSON_Delete(line);
			cJSON_Delete(src);
			return -1;
		}
		if (i == 1)
			snprintf(text, sizeof(text), "mock task %s %s",
			    pvecg_json_str(t, "type") ? pvecg_json_str(t, "type") : "",
			    pvecg_json_str(t, "id") ? pvecg_json_str(t, "id") : "");
		else
			snprintf(text, sizeof(text), "TASK OK");
		cJSON_AddNumberToObject(line, "n", i);
		cJSON_AddStringToObject(line, "t", text);
	}
	cJSON *data = mock_shape(&m->api, r->response, src, 0);
	cJSON_Delete(src);
	return mock_answer(out, 200, data);
}

typedef int (*special_fn)(pvecg_mock_response *, pvecg_mock *, const mock_route *, const cJSON *);

static const struct {
	const char *method, *path;
	special_fn fn;
} specials[] = {
	{ "POST", "/access/ticket", do_ticket },
	{ "GET", "/version", do_version },
	{ "GET", "/cluster/nextid", do_nextid },
	{ "GET", "/cluster/resources", do_resources },
	{ "GET", "/nodes/{node}/tasks/{upid}/status", do_task_status },
	{ "GET", "/nodes/{node}/tasks", do_task_list },
	{ "GET", "/nodes/{node}/tasks/{upid}/log", do_task_log },
};

/* 1 when r is not one of them. */
int
mock_infra_dispatch(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args)
{
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (strcmp(specials[i].method, r->method) == 0 &&
		    strcmp(specials[i].path, r->path) == 0)
			return specials[i].fn(out, m, r, args);
	return 1;
}
