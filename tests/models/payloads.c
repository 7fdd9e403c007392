/* Parses the realistic payloads in tests/models/payloads/ (written from the
 * Proxmox VE API documentation and real responses, with Proxmox's 0/1 and
 * numeric-string spellings) with the generated PVE 9.1 models and checks
 * that values land in the right struct members.
 * Build: cc -I<v> -I<v>/models payloads.c <v>/pve_models.c <v>/models/pvecg_rt.c -lcjson -lm
 * Usage: payloads <payload dir>   (exit 0: all checks passed) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pve_models.h"

static int failures, checks;

#define CHECK(cond) \
	do { \
		checks++; \
		if (!(cond)) { \
			failures++; \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		} \
	} while (0)
#define STR_EQ(a, b) ((a) != NULL && strcmp((a), (b)) == 0)

static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	fclose(fp);
	return buf;
}

/* Parses payload <dir>/<op>.json with op's response model. */
static void *
load(const char *dir, const char *op, const pvecg_rt_model **m)
{
	const pve_models_op *rec = pve_models_find(op);
	pvecg_rt_error err;
	size_t len = 0;
	char *text = slurp(dir, op, &len);
	void *obj = NULL;
	char msg[600];

	checks++;
	if (rec == NULL || text == NULL) {
		failures++;
		fprintf(stderr, "%s: no operation or payload\n", op);
		free(text);
		return NULL;
	}
	*m = rec->response;
	if (pvecg_rt_parse_response(&obj, rec->response, text, len, 0, &err) != 0) {
		failures++;
		fprintf(stderr, "%s: %s\n", op, pvecg_rt_error_text(&err, msg, sizeof(msg)));
	}
	free(text);
	return obj;
}

static void
check_version(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetVersionResponse *v = load(dir, "get_version", &m);

	if (!v)
		return;
	CHECK(STR_EQ(v->version, "9.1.1"));
	CHECK(STR_EQ(v->release, "9.1"));
	CHECK(STR_EQ(v->repoid, "2a0a5d8f"));
	CHECK(STR_EQ(v->console, "xtermjs"));
	CHECK(v->extra == NULL);
	pvecg_rt_free(m, v);
}

static void
check_cluster_status(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetClusterStatusResponse *r = load(dir, "get_cluster_status", &m);

	if (!r)
		return;
	CHECK(r->n_items == 4);
	CHECK(STR_EQ(r->items[0].type, "cluster"));
	CHECK(r->items[0].has_quorate && r->items[0].quorate);
	CHECK(r->items[0].has_nodes && r->items[0].nodes == 3);
	CHECK(r->items[0].has_version && r->items[0].version == 5);
	CHECK(STR_EQ(r->items[1].ip, "192.168.1.11"));
	CHECK(r->items[1].has_local && r->items[1].local);
	CHECK(r->items[2].has_local && !r->items[2].local);
	CHECK(r->items[3].has_online && !r->items[3].online);
	CHECK(r->items[3].has_nodeid && r->items[3].nodeid == 3);
	pvecg_rt_free(m, r);
}

static void
check_cluster_resources(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetClusterResourcesResponse *r = load(dir, "get_cluster_resources", &m);

	if (!r)
		return;
	CHECK(r->n_items == 6);
	CHECK(STR_EQ(r->items[0].id, "node/pve1"));
	CHECK(r->items[0].has_maxmem && r->items[0].maxmem == INT64_C(33526689792));
	CHECK(r->items[0].has_cgroup_mode && r->items[0].cgroup_mode == 2);
	CHECK(r->items[0].has_maxcpu && r->items[0].maxcpu == 8);
	CHECK(r->items[1].has_vmid && r->items[1].vmid == 100);
	CHECK(r->items[1].has_template && !r->items[1].template);
	CHECK(STR_EQ(r->items[1].hastate, "started"));
	CHECK(STR_EQ(r->items[1].tags, "prod;web"));
	CHECK(r->items[1].has_netout && r->items[1].netout == 310728117);
	CHECK(STR_EQ(r->items[2].lock, "backup"));
	CHECK(STR_EQ(r->items[3].plugintype, "lvmthin"));
	/* "shared" is not in the 9.1 schema: kept in extra */
	CHECK(cJSON_GetObjectItem(r->items[3].extra, "shared") != NULL);
	CHECK(STR_EQ(r->items[4].sdn, "localnetwork"));
	CHECK(STR_EQ(r->items[5].pool, "production"));
	pvecg_rt_free(m, r);
}

static void
check_nodes(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesResponse *r = load(dir, "get_nodes", &m);

	if (!r)
		return;
	CHECK(r->n_items == 2);
	CHECK(STR_EQ(r->items[0].node, "pve1"));
	CHECK(STR_EQ(r->items[0].status, "online"));
	CHECK(r->items[0].has_cpu && r->items[0].cpu > 0.043 && r->items[0].cpu < 0.044);
	CHECK(r->items[0].has_mem && r->items[0].mem == INT64_C(6543126528));
	CHECK(r->items[0].has_uptime && r->items[0].uptime == 1209600);
	CHECK(STR_EQ(r->items[0].ssl_fingerprint,
	    "5C:1E:7B:2A:9D:4F:63:08:B1:C2:D3:E4:F5:06:17:28:39:4A:5B:6C:7D:8E:9F:A0:B1:C2:D3:E4:"
	    "F5:06:17:28"));
	CHECK(cJSON_GetObjectItem(r->items[0].extra, "maxdisk") != NULL);
	CHECK(STR_EQ(r->items[1].status, "offline"));
	CHECK(!r->items[1].has_cpu);
	pvecg_rt_free(m, r);
}

static void
check_qemu_list(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeQemuResponse *r = load(dir, "get_nodes_node_qemu", &m);

	if (!r)
		return;
	CHECK(r->n_items == 2);
	CHECK(r->items[0].vmid == 100);
	CHECK(STR_EQ(r->items[0].qmpstatus, "running"));
	CHECK(STR_EQ(r->items[0].running_machine, "pc-q35-9.2+pve1"));
	CHECK(r->items[0].has_pid && r->items[0].pid == 41235);
	CHECK(r->items[0].has_maxdisk && r->items[0].maxdisk == INT64_C(34359738368));
	CHECK(r->items[1].vmid == 9000); /* sent as "9000" */
	CHECK(r->items[1].has_template && r->items[1].template);
	CHECK(!r->items[1].has_pid);
	pvecg_rt_free(m, r);
}

static void
check_qemu_config(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeQemuVmidConfigResponse *c = load(dir, "get_nodes_node_qemu_vmid_config", &m);
	char *text = NULL;
	pvecg_rt_error err;

	if (!c)
		return;
	CHECK(STR_EQ(c->digest, "8a6c2ef3e7b4e4c1e0a3b7f39a17c0f2d92d9a11"));
	CHECK(c->has_cores && c->cores == 2);
	CHECK(c->has_sockets && c->sockets == 1);
	CHECK(c->has_balloon && c->balloon == 1024);
	CHECK(c->has_onboot && c->onboot);
	CHECK(c->has_numa && !c->numa);
	CHECK(STR_EQ(c->memory, "4096"));
	CHECK(STR_EQ(c->ostype, "l26"));
	CHECK(STR_EQ(c->scsihw, "virtio-scsi-single"));
	CHECK(STR_EQ(c->description, "Web server\nManaged by Ansible"));
	CHECK(STR_EQ(c->agent, "1,fstrim_cloned_disks=1"));
	/* indexed members are arrays as long as Proxmox allows (net[32]) */
	CHECK(STR_EQ(c->net[0], "virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1"));
	CHECK(c->net[1] == NULL);
	CHECK(c->scsi[0] != NULL);
	CHECK(c->ide[2] != NULL);
	CHECK(c->extra == NULL);
	CHECK(pvecg_rt_to_text(&text, m, c, &err) == 0);
	CHECK(
	    text && strstr(text, "\"net0\":\"virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1\""));
	cJSON_free(text);
	pvecg_rt_free(m, c);
}

static void
check_lxc_config(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeLxcVmidConfigResponse *c = load(dir, "get_nodes_node_lxc_vmid_config", &m);

	if (!c)
		return;
	CHECK(STR_EQ(c->hostname, "dns"));
	CHECK(c->has_memory && c->memory == 512);
	CHECK(c->has_swap && c->swap == 512);
	CHECK(c->has_unprivileged && c->unprivileged);
	CHECK(STR_EQ(c->rootfs, "local-lvm:vm-101-disk-0,size=8G"));
	CHECK(STR_EQ(c->features, "nesting=1"));
	CHECK(c->n_lxc == 2);
	CHECK(c->n_lxc == 2 && cJSON_GetArraySize(c->lxc[1]) == 2);
	CHECK(c->mp[0] != NULL);
	CHECK(c->net[0] != NULL);
	pvecg_rt_free(m, c);
}

static void
check_storage(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetStorageResponse *r = load(dir, "get_storage", &m);
	PveGetStorageStorageResponse *s;

	if (r) {
		CHECK(r->n_items == 3);
		CHECK(STR_EQ(r->items[0].storage, "local"));
		CHECK(STR_EQ(r->items[2].storage, "nfs-backup"));
		CHECK(STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(r->items[2].extra, "server")),
		    "10.0.0.5"));
		pvecg_rt_free(m, r);
	}
	s = load(dir, "get_storage_storage", &m);
	if (s) {
		/* the schema is a free-form object: the whole value is kept */
		CHECK(STR_EQ(
		    cJSON_GetStringValue(cJSON_GetObjectItem(s->value, "export")), "/export/pve"));
		pvecg_rt_free(m, s);
	}
}

static void
check_storage_content(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeStorageStorageContentResponse *r = load(
	    dir, "get_nodes_node_storage_storage_content", &m);

	if (!r)
		return;
	CHECK(r->n_items == 3);
	CHECK(STR_EQ(r->items[0].format, "iso"));
	CHECK(r->items[0].size == INT64_C(659554304));
	CHECK(r->items[1].has_used && r->items[1].used == INT64_C(12884901888));
	CHECK(r->items[2].size == INT64_C(2147483648)); /* sent as a string */
	CHECK(r->items[2].has_vmid && r->items[2].vmid == 100);
	CHECK(r->items[2].has_protected && r->items[2].protected);
	CHECK(STR_EQ(r->items[2].notes, "nightly"));
	CHECK(r->items[2].verification != NULL && STR_EQ(r->items[2].verification->state, "ok"));
	pvecg_rt_free(m, r);
}

static void
check_tasks(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeTasksResponse *r = load(dir, "get_nodes_node_tasks", &m);
	PveGetNodesNodeTasksUpidStatusResponse *s;

	if (r) {
		CHECK(r->n_items == 2);
		CHECK(STR_EQ(r->items[0].type, "qmstart"));
		CHECK(r->items[0].pid == 666428);
		CHECK(r->items[0].has_endtime && r->items[0].endtime == 1717181231);
		CHECK(STR_EQ(r->items[0].status, "OK"));
		CHECK(STR_EQ(r->items[1].user, "backup@pve!nightly"));
		CHECK(!r->items[1].has_endtime && r->items[1].status == NULL);
		pvecg_rt_free(m, r);
	}
	s = load(dir, "get_nodes_node_tasks_upid_status", &m);
	if (s) {
		CHECK(STR_EQ(s->status, "stopped"));
		CHECK(STR_EQ(s->exitstatus, "OK"));
		CHECK(s->starttime == 1717181228);
		CHECK(
		    STR_EQ(s->upid, "UPID:pve1:000A2B3C:01D4E5F6:665A1B2C:qmstart:100:root@pam:"));
		pvecg_rt_free(m, s);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: payloads DIR\n");
		return 2;
	}
	check_version(argv[1]);
	check_cluster_status(argv[1]);
	check_cluster_resources(argv[1]);
	check_nodes(argv[1]);
	check_qemu_list(argv[1]);
	check_qemu_config(argv[1]);
	check_lxc_config(argv[1]);
	check_storage(argv[1]);
	check_storage_content(argv[1]);
	check_tasks(argv[1]);
	printf("payload checks %d, failed %d\n", checks, failures);
	return failures ? 1 : 0;
}
