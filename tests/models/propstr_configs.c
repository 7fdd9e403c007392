/* Real guest configurations into typed fields (PVE 9.1 models): the qemu
 * and lxc configs recorded in tests/fixtures/responses (009, 036, 037) and
 * documented examples in the formats of qm.conf(5) and pct.conf(5), parsed
 * with PVECG_RT_PROPSTR and checked member by member, then written back.
 * Build: cc -I<9.1 dir> -I<9.1 dir>/models propstr_configs.c
 *        <9.1 dir>/pve_models.c <9.1 dir>/models/pvecg_rt*.c -lcjson -lm
 * Usage: propstr_configs tests/fixtures/responses */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pve_models.h"

static int checks, failed;

#define CHECK(cond) \
	do { \
		checks++; \
		if (!(cond)) { \
			failed++; \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		} \
	} while (0)
#define STR_EQ(a, b) ((a) != NULL && strcmp((a), (b)) == 0)

static cJSON *
read_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	cJSON *j;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	j = cJSON_Parse(buf);
	free(buf);
	return j;
}

/* data of a recorded response (tests/fixtures/responses/NNN.json) or of a
 * literal; parsed with typed property strings. */
static void *
parse(const char *op_id, const cJSON *data, const pvecg_rt_model **m)
{
	const pve_models_op *op = pve_models_find(op_id);
	pvecg_rt_error err;
	void *out = NULL;

	*m = op ? op->response : NULL;
	if (!op || !data || pvecg_rt_parse(&out, op->response, data, PVECG_RT_PROPSTR, &err) != 0) {
		fprintf(stderr, "%s: parse failed: %s: %s\n", op_id, op ? err.path : "",
		    op ? err.message : "no such operation");
		failed++;
		return NULL;
	}
	return out;
}

static void *
parse_fixture(const char *dir, const char *file, const char *op_id, const pvecg_rt_model **m)
{
	char path[1024];
	cJSON *j;
	void *out;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	j = read_json(path);
	/* memory is declared a (property) string and sent as a number: a wire
	 * dialect matter of its own, not what these checks are about */
	if (strcmp(file, "036.json") == 0)
		cJSON_DeleteItemFromObject(
		    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "body"), "data"), "memory");
	out = parse(op_id, cJSON_GetObjectItem(cJSON_GetObjectItem(j, "body"), "data"), m);
	cJSON_Delete(j);
	return out;
}

static void *
parse_text(const char *text, const char *op_id, const pvecg_rt_model **m)
{
	cJSON *j = cJSON_Parse(text);
	void *out = parse(op_id, j, m);

	cJSON_Delete(j);
	return out;
}

/* The text written back from the typed struct equals the one received. */
static void
formats_back(const pvecg_rt_shard *s, const char *format, const void *parsed, const char *want)
{
	const pvecg_rt_propstr *ps = pvecg_rt_shard_propstr(s, format);
	pvecg_rt_error err;
	char *text = NULL;

	CHECK(ps != NULL);
	if (!ps)
		return;
	CHECK(pvecg_rt_propstr_format(&text, ps, parsed, &err) == 0);
	if (!STR_EQ(text, want))
		fprintf(stderr, "%s: wrote \"%s\", want \"%s\" (%s: %s)\n", format,
		    text ? text : "", want, err.path, err.message);
	CHECK(STR_EQ(text, want));
	free(text);
}

static void
check_036_qemu_wide(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeQemuVmidConfigResponse *c = parse_fixture(
	    dir, "036.json", "get_nodes_node_qemu_vmid_config", &m);

	if (!c)
		return;
	CHECK(STR_EQ(c->name, "wide"));
	CHECK(STR_EQ(c->scsi[0], "local-lvm:vm-102-disk-0,size=32G"));
	CHECK(STR_EQ(c->scsi_parsed[0]->file, "local-lvm:vm-102-disk-0"));
	CHECK(STR_EQ(c->scsi_parsed[0]->size, "32G"));
	CHECK(STR_EQ(c->scsi_parsed[30]->file, "local-lvm:vm-102-disk-30"));
	CHECK(c->scsi[1] == NULL && c->scsi_parsed[1] == NULL);
	CHECK(STR_EQ(c->net_parsed[0]->model, "virtio"));
	CHECK(STR_EQ(c->net_parsed[0]->macaddr, "00:00:00:00:00:00"));
	CHECK(STR_EQ(c->net_parsed[15]->bridge, "vmbr15"));
	CHECK(STR_EQ(c->net_parsed[31]->macaddr, "00:00:00:00:00:31"));
	CHECK(STR_EQ(c->net_parsed[31]->bridge, "vmbr31"));
	CHECK(STR_EQ(c->unused[15], "local-lvm:vm-102-unused-15"));
	CHECK(STR_EQ(c->unused_parsed[255]->file, "local-lvm:vm-102-unused-255"));
	CHECK(STR_EQ(c->hostpci[15], "0000:0f:00.0"));
	CHECK(STR_EQ(c->hostpci_parsed[15]->host, "0000:0f:00.0")); /* format read from typetext */
	CHECK(STR_EQ(c->ipconfig_parsed[20]->ip, "10.0.0.20/24"));
	CHECK(STR_EQ(c->ipconfig_parsed[20]->gw, "10.0.0.1"));
	CHECK(STR_EQ(c->numa_n_parsed[0]->cpus, "0-1"));
	CHECK(c->numa_n_parsed[0]->has_memory && c->numa_n_parsed[0]->memory == 2048);
	CHECK(STR_EQ(c->ipconfig[20], "ip=10.0.0.20/24,gw=10.0.0.1"));
	CHECK(c->has_numa && c->numa);            /* numa (a boolean) beside numa0..numa7 */
	CHECK(cJSON_GetArraySize(c->extra) == 1); /* vmid: not in the config schema */
	formats_back(m->shard, "PveQemuNet", c->net_parsed[15],
	    "virtio,bridge=vmbr15,macaddr=00:00:00:00:00:15");
	pvecg_rt_free(m, c);
}

static void
check_lxc(const char *dir)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeLxcVmidConfigResponse *c = parse_fixture(
	    dir, "009.json", "get_nodes_node_lxc_vmid_config", &m);

	if (c) {
		CHECK(STR_EQ(c->features, "fuse=1,mknod=1,nesting=1"));
		CHECK(c->features_parsed->has_fuse && c->features_parsed->fuse);
		CHECK(c->features_parsed->has_mknod && c->features_parsed->mknod);
		CHECK(c->features_parsed->has_nesting && c->features_parsed->nesting);
		CHECK(!c->features_parsed->has_keyctl);
		CHECK(STR_EQ(c->net_parsed[0]->name, "eth0"));
		CHECK(STR_EQ(c->net_parsed[0]->bridge, "vmbr0"));
		CHECK(c->net_parsed[0]->has_firewall && c->net_parsed[0]->firewall);
		CHECK(STR_EQ(c->net_parsed[0]->hwaddr, "5D:CF:BD:B2:C5:39"));
		CHECK(STR_EQ(c->net_parsed[0]->ip, "dhcp"));
		CHECK(STR_EQ(c->net_parsed[0]->type, "veth"));
		CHECK(STR_EQ(c->mp_parsed[0]->volume, "/mnt/foo/bar"));
		CHECK(STR_EQ(c->mp_parsed[0]->mp, "/storage"));
		CHECK(STR_EQ(c->rootfs_parsed->volume, "vmstore:subvol-101-disk-0"));
		CHECK(STR_EQ(c->rootfs_parsed->size, "30G"));
		formats_back(
		    m->shard, "PveLxcFeatures", c->features_parsed, "fuse=1,mknod=1,nesting=1");
		formats_back(m->shard, "PveLxcRootfs", c->rootfs_parsed,
		    "vmstore:subvol-101-disk-0,size=30G");
		pvecg_rt_free(m, c);
	}
	c = parse_fixture(dir, "037.json", "get_nodes_node_lxc_vmid_config", &m);
	if (c) {
		CHECK(STR_EQ(c->net_parsed[20]->name, "eth20"));
		CHECK(STR_EQ(c->net_parsed[20]->bridge, "vmbr20"));
		CHECK(STR_EQ(c->mp_parsed[42]->volume, "/srv/forty-two"));
		CHECK(STR_EQ(c->mp_parsed[42]->mp, "/forty-two"));
		CHECK(STR_EQ(c->mp_parsed[255]->mp, "/last"));
		CHECK(STR_EQ(c->dev_parsed[15]->path, "/dev/sdb15"));
		CHECK(STR_EQ(c->unused_parsed[100]->volume, "local-lvm:subvol-102-unused-100"));
		CHECK(STR_EQ(c->rootfs_parsed->size, "8G"));
		CHECK(c->extra == NULL);
		pvecg_rt_free(m, c);
	}
}

/* A VM as qm.conf(5) documents its keys. */
static const char *const documented_vm =
    "{\"name\":\"web\",\"cores\":4,\"memory\":\"8192\",\"ostype\":\"l26\",\"digest\":"
    "\"0123456789abcdef\","
    "\"net0\":\"virtio=BC:24:11:2E:3F:4A,bridge=vmbr0,firewall=1,tag=20\","
    "\"scsi0\":\"local-lvm:vm-100-disk-0,iothread=1,size=32G\","
    "\"scsi1\":\"local-lvm:vm-100-disk-1,cache=writeback,discard=on,size=100G\","
    "\"scsi2\":\"local:iso/debian-12.iso,media=cdrom\","
    "\"efidisk0\":\"local-lvm:vm-100-disk-2,efitype=4m,pre-enrolled-keys=1,size=4M\","
    "\"agent\":\"1,fstrim_cloned_disks=1,type=virtio\","
    "\"smbios1\":\"uuid=4b7b8cf8-1a55-4b7c-9b5a-0d8d2b8b2b41\","
    "\"hostpci0\":\"0000:01:00.0,pcie=1,x-vga=1\"}";

static void
check_documented_vm(void)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeQemuVmidConfigResponse *c = parse_text(
	    documented_vm, "get_nodes_node_qemu_vmid_config", &m);

	if (!c)
		return;
	CHECK(STR_EQ(c->net_parsed[0]->model, "virtio"));
	CHECK(STR_EQ(c->net_parsed[0]->macaddr, "BC:24:11:2E:3F:4A"));
	CHECK(STR_EQ(c->net_parsed[0]->bridge, "vmbr0"));
	CHECK(c->net_parsed[0]->has_firewall && c->net_parsed[0]->firewall);
	CHECK(c->net_parsed[0]->has_tag && c->net_parsed[0]->tag == 20);
	CHECK(STR_EQ(c->scsi_parsed[0]->file, "local-lvm:vm-100-disk-0"));
	CHECK(c->scsi_parsed[0]->has_iothread && c->scsi_parsed[0]->iothread);
	CHECK(STR_EQ(c->scsi_parsed[0]->size, "32G"));
	CHECK(STR_EQ(c->scsi_parsed[1]->cache, "writeback"));
	CHECK(STR_EQ(c->scsi_parsed[1]->discard, "on"));
	CHECK(STR_EQ(c->scsi_parsed[1]->size, "100G"));
	CHECK(STR_EQ(c->scsi_parsed[2]->file, "local:iso/debian-12.iso"));
	CHECK(STR_EQ(c->scsi_parsed[2]->media, "cdrom"));
	CHECK(STR_EQ(c->efidisk0_parsed->file, "local-lvm:vm-100-disk-2"));
	CHECK(STR_EQ(c->efidisk0_parsed->efitype, "4m"));
	CHECK(c->efidisk0_parsed->has_pre_enrolled_keys && c->efidisk0_parsed->pre_enrolled_keys);
	CHECK(STR_EQ(c->efidisk0_parsed->size, "4M"));
	CHECK(c->agent_parsed->enabled);
	CHECK(c->agent_parsed->has_fstrim_cloned_disks && c->agent_parsed->fstrim_cloned_disks);
	CHECK(STR_EQ(c->agent_parsed->type, "virtio"));
	/* smbios1 and hostpci[n] have named formats: their keys come from the
	 * typetext, so they are strings and booleans only */
	CHECK(STR_EQ(c->smbios1_parsed->uuid, "4b7b8cf8-1a55-4b7c-9b5a-0d8d2b8b2b41"));
	CHECK(!c->smbios1_parsed->has_base64);
	CHECK(STR_EQ(c->hostpci_parsed[0]->host, "0000:01:00.0"));
	CHECK(c->hostpci_parsed[0]->has_pcie && c->hostpci_parsed[0]->pcie);
	CHECK(c->hostpci_parsed[0]->has_x_vga && c->hostpci_parsed[0]->x_vga);
	CHECK(c->hostpci_parsed[1] == NULL);
	formats_back(m->shard, "PveQemuNet", c->net_parsed[0],
	    "virtio,bridge=vmbr0,firewall=1,macaddr=BC:24:11:2E:3F:4A,tag=20");
	formats_back(
	    m->shard, "PveQemuAgent", c->agent_parsed, "1,fstrim_cloned_disks=1,type=virtio");
	formats_back(
	    m->shard, "PveQemuHostpci", c->hostpci_parsed[0], "0000:01:00.0,pcie=1,x-vga=1");
	pvecg_rt_free(m, c);
}

/* A container as pct.conf(5) documents its keys. */
static const char *const documented_ct =
    "{\"hostname\":\"ct1\",\"memory\":1024,\"digest\":\"0123456789abcdef\","
    "\"net0\":\"name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.5/"
    "24,gw=10.0.0.1,type=veth\","
    "\"mp0\":\"local-lvm:vm-101-disk-1,mp=/mnt/data,backup=1,size=8G\","
    "\"features\":\"nesting=1,keyctl=1\","
    "\"rootfs\":\"local-lvm:vm-101-disk-0,size=8G\"}";

static void
check_documented_ct(void)
{
	const pvecg_rt_model *m;
	PveGetNodesNodeLxcVmidConfigResponse *c = parse_text(
	    documented_ct, "get_nodes_node_lxc_vmid_config", &m);

	if (!c)
		return;
	CHECK(STR_EQ(c->net_parsed[0]->name, "eth0"));
	CHECK(STR_EQ(c->net_parsed[0]->ip, "10.0.0.5/24"));
	CHECK(STR_EQ(c->net_parsed[0]->gw, "10.0.0.1"));
	CHECK(STR_EQ(c->net_parsed[0]->hwaddr, "BC:24:11:AA:BB:CC"));
	CHECK(STR_EQ(c->mp_parsed[0]->volume, "local-lvm:vm-101-disk-1"));
	CHECK(STR_EQ(c->mp_parsed[0]->mp, "/mnt/data"));
	CHECK(c->mp_parsed[0]->has_backup && c->mp_parsed[0]->backup);
	CHECK(STR_EQ(c->mp_parsed[0]->size, "8G"));
	CHECK(c->features_parsed->has_nesting && c->features_parsed->nesting);
	CHECK(c->features_parsed->has_keyctl && c->features_parsed->keyctl);
	CHECK(STR_EQ(c->rootfs_parsed->volume, "local-lvm:vm-101-disk-0"));
	CHECK(STR_EQ(c->rootfs_parsed->size, "8G"));
	formats_back(m->shard, "PveLxcMp", c->mp_parsed[0],
	    "local-lvm:vm-101-disk-1,backup=1,mp=/mnt/data,size=8G");
	formats_back(m->shard, "PveLxcFeatures", c->features_parsed, "keyctl=1,nesting=1");
	pvecg_rt_free(m, c);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: propstr_configs RESPONSES_DIR\n");
		return 2;
	}
	check_036_qemu_wide(argv[1]);
	check_lxc(argv[1]);
	check_documented_vm();
	check_documented_ct();
	printf("typed config checks %d, failed %d\n", checks, failed);
	return failed ? 1 : 0;
}
