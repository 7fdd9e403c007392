/* mock_actions: what a guest's action routes do to the state (POST
 * .../status/<action>, .../clone, .../template, .../migrate). The
 * metadata only says these routes answer a task; their effect is this
 * table and these few functions, written once for qemu and lxc alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_int.h"
#include "pvecg/json.h"

/* POST .../status/<action>: the guest's status afterwards. */
static const struct {
	const char *action;
	const char *status;
} status_actions[] = {
	{ "start", "running" },
	{ "stop", "stopped" },
	{ "shutdown", "stopped" },
	{ "reboot", "running" },
	{ "reset", "running" },
	{ "resume", "running" },
	{ "suspend", "running" },
};

/* "/nodes/N/qemu/100" -> node N and family qemu. */
PVECG_NODISCARD static int
split_guest(const char *path, char *node, size_t ncap, char *family, size_t fcap)
{
	const char *n, *f, *id;

	if (strncmp(path, "/nodes/", 7) != 0)
		return -1;
	n = path + 7;
	if ((f = strchr(n, '/')) == NULL || (id = strchr(f + 1, '/')) == NULL)
		return -1;
	snprintf(node, ncap, "%.*s", (int)(f - n), n);
	snprintf(family, fcap, "%.*s", (int)(id - f - 1), f + 1);
	return 0;
}

static bool
node_exists(const pvecg_mock *m, const char *node)
{
	char key[300];

	snprintf(key, sizeof(key), "/nodes/%s", node);
	return pvecg_json_get(m->objects, key) != NULL;
}

PVECG_NODISCARD static int
do_clone(pvecg_mock_response *out, pvecg_mock *m, cJSON *owner, const char *path, const cJSON *args)
{
	const cJSON *newid = pvecg_json_get(args, "newid");
	const char *target = pvecg_json_str(args, "target"), *name;
	char node[128], family[64], id[32], key[512];
	cJSON *conf, *e;

	if (!cJSON_IsNumber(newid) ||
	    split_guest(path, node, sizeof(node), family, sizeof(family)) != 0)
		return 0;
	if (target != NULL && !node_exists(m, target))
		return mock_fail(out, 500, "no such cluster node '%s'", target) == 0 ? 1 : -1;
	snprintf(id, sizeof(id), "%.0f", newid->valuedouble);
	if (mock_vmid_taken(m, id, NULL))
		return mock_fail(out, 500, "unable to clone - VM %s already exists", id) == 0 ? 1
		                                                                              : -1;
	snprintf(key, sizeof(key), "/nodes/%s/%s/%s", target ? target : node, family, id);
	if ((conf = cJSON_Duplicate(pvecg_json_get(owner, "conf"), 1)) == NULL)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(conf, "template");
	name = pvecg_json_str(args, strcmp(family, "lxc") == 0 ? "hostname" : "name");
	if (name != NULL) {
		const char *k = strcmp(family, "lxc") == 0 ? "hostname" : "name";

		cJSON_DeleteItemFromObjectCaseSensitive(conf, k);
		cJSON_AddStringToObject(conf, k, name);
	}
	if ((e = mock_entry_new(m, key, "vmid", id, conf)) == NULL)
		return -1;
	return 0;
}

/* Moves the guest and everything below it to the target node. */
PVECG_NODISCARD static int
do_migrate(pvecg_mock_response *out, pvecg_mock *m, const char *path, const cJSON *args)
{
	const char *target = pvecg_json_str(args, "target");
	char node[128], family[64], from[300], to[300], key[1024];
	size_t flen, plen = strlen(path);
	cJSON *moved, *e, *next;

	if (target == NULL || split_guest(path, node, sizeof(node), family, sizeof(family)) != 0)
		return 0;
	if (!node_exists(m, target))
		return mock_fail(out, 500, "no such cluster node '%s'", target) == 0 ? 1 : -1;
	if (strcmp(target, node) == 0)
		return mock_fail(out, 500, "target is local node.") == 0 ? 1 : -1;
	snprintf(from, sizeof(from), "/nodes/%s/", node);
	snprintf(to, sizeof(to), "/nodes/%s/", target);
	flen = strlen(from);
	if ((moved = cJSON_CreateObject()) == NULL)
		return -1;
	for (e = m->objects->child; e != NULL; e = next) {
		next = e->next;
		if (strcmp(e->string, path) != 0 &&
		    !(strncmp(e->string, path, plen) == 0 && e->string[plen] == '/'))
			continue;
		snprintf(key, sizeof(key), "%s%s", to, e->string + flen);
		cJSON_AddItemToObject(moved, key, cJSON_DetachItemViaPointer(m->objects, e));
	}
	while ((e = moved->child) != NULL) {
		cJSON_DetachItemViaPointer(moved, e);
		cJSON_AddItemToObject(m->objects, e->string, e);
	}
	cJSON_Delete(moved);
	return 0;
}

int
mock_action_apply(pvecg_mock_response *out, pvecg_mock *m, cJSON *owner, const char *owner_path,
    const char *rel, const cJSON *args)
{
	size_t i;

	if (owner == NULL)
		return 2;
	for (i = 0; i < sizeof(status_actions) / sizeof(status_actions[0]); i++)
		if (strncmp(rel, "/status/", 8) == 0 &&
		    strcmp(rel + 8, status_actions[i].action) == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(pvecg_json_get(owner, "run"),
			    "status", cJSON_CreateString(status_actions[i].status));
			return 0;
		}
	if (strcmp(rel, "/clone") == 0)
		return do_clone(out, m, owner, owner_path, args);
	if (strcmp(rel, "/migrate") == 0)
		return do_migrate(out, m, owner_path, args);
	if (strcmp(rel, "/template") == 0) {
		cJSON *conf = pvecg_json_get(owner, "conf");

		cJSON_DeleteItemFromObjectCaseSensitive(conf, "template");
		cJSON_AddNumberToObject(conf, "template", 1);
		return 0;
	}
	return 2;
}
