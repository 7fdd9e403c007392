/* indexed: how many members each indexed family (net[n], scsi[n], ...) has.
 *
 * The viewer collapses numbered members into "net[n]" and does not say how
 * far n goes (a few descriptions say "n is 0 to 30" in prose). The numbers
 * below come from the constants that generate the members in Proxmox's own
 * sources; each row names its constant. Where a constant changed, one row
 * per product version range. Rows whose lower boundary is older than the
 * oldest viewer we test (PVE 8.4) carry the version in which the value is
 * known to hold; tests/unit/test_propstr.c checks every row against the
 * fixtures' descriptions that state a range. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/propstr.h"

static const pvecg_indexed_max table[] = {
	/* qemu-server, PVE/QemuServer/Drive.pm */
	{ "pve", "qemu", "ide", "", "", 3, "qemu-server Drive.pm: $MAX_IDE_DISKS = 4" },
	{ "pve", "qemu", "sata", "", "", 5, "qemu-server Drive.pm: $MAX_SATA_DISKS = 6" },
	{ "pve", "qemu", "scsi", "", "4.0", 13,
	    "qemu-server QemuServer.pm (3.x): $MAX_SCSI_DISKS = 14" },
	{ "pve", "qemu", "scsi", "4.0", "", 30,
	    "qemu-server Drive.pm: $MAX_SCSI_DISKS = 31; qm.conf(5) scsi[n] (n is 0 to 30)" },
	{ "pve", "qemu", "virtio", "", "", 15, "qemu-server Drive.pm: $MAX_VIRTIO_DISKS = 16" },
	{ "pve", "qemu", "unused", "", "5.0", 7,
	    "qemu-server QemuServer.pm (4.x): $MAX_UNUSED_DISKS = 8" },
	{ "pve", "qemu", "unused", "5.0", "", 255,
	    "qemu-server Drive.pm: $MAX_UNUSED_DISKS = 256" },
	/* qemu-server, PVE/QemuServer.pm */
	{ "pve", "qemu", "net", "", "", 31, "qemu-server QemuServer.pm: $MAX_NETS = 32" },
	{ "pve", "qemu", "ipconfig", "", "", 31,
	    "qemu-server QemuServer.pm: ipconfig<n> made in the $MAX_NETS = 32 loop" },
	{ "pve", "qemu", "serial", "", "", 3, "qemu-server QemuServer.pm: $MAX_SERIAL_PORTS = 4" },
	{ "pve", "qemu", "parallel", "", "", 2,
	    "qemu-server QemuServer.pm: $MAX_PARALLEL_PORTS = 3" },
	/* qemu-server, PVE/QemuServer/{PCI,USB,Memory,Virtiofs}.pm */
	{ "pve", "qemu", "hostpci", "", "6.0", 3,
	    "qemu-server QemuServer.pm (5.x): $MAX_HOSTPCI_DEVICES = 4" },
	{ "pve", "qemu", "hostpci", "6.0", "", 15,
	    "qemu-server PCI.pm: $MAX_HOSTPCI_DEVICES = 16" },
	{ "pve", "qemu", "usb", "", "7.1", 4,
	    "qemu-server QemuServer.pm (7.0): $MAX_USB_DEVICES = 5" },
	{ "pve", "qemu", "usb", "7.1", "", 13,
	    "qemu-server USB.pm: $MAX_USB_DEVICES = 14 (0..4 on machine versions before 7.1)" },
	{ "pve", "qemu", "numa", "", "", 7, "qemu-server Memory.pm: $MAX_NUMA = 8" },
	{ "pve", "qemu", "virtiofs", "8.4", "", 9, "qemu-server Virtiofs.pm: $MAX_VIRTIOFS = 10" },
	/* pve-container, src/PVE/LXC/Config.pm */
	{ "pve", "lxc", "net", "", "7.0", 9,
	    "pve-container LXC/Config.pm (6.x): $MAX_LXC_NETWORKS = 10" },
	{ "pve", "lxc", "net", "7.0", "", 31,
	    "pve-container LXC/Config.pm: $MAX_LXC_NETWORKS = 32" },
	{ "pve", "lxc", "mp", "", "6.0", 9,
	    "pve-container LXC/Config.pm (5.x): $MAX_MOUNT_POINTS = 10" },
	{ "pve", "lxc", "mp", "6.0", "", 255,
	    "pve-container LXC/Config.pm: $MAX_MOUNT_POINTS = 256" },
	{ "pve", "lxc", "unused", "", "6.0", 9,
	    "pve-container LXC/Config.pm (5.x): $MAX_UNUSED_DISKS = $MAX_MOUNT_POINTS = 10" },
	{ "pve", "lxc", "unused", "6.0", "", 255,
	    "pve-container LXC/Config.pm: $MAX_UNUSED_DISKS = $MAX_MOUNT_POINTS = 256" },
	{ "pve", "lxc", "dev", "8.1", "", 255, "pve-container LXC/Config.pm: $MAX_DEVICES = 256" },
	/* pve-cluster, PVE/Corosync.pm: for my $lnum (0 .. MAX_LINK_INDEX) */
	{ "pve", "cluster", "link", "6.0", "", 7,
	    "pve-cluster Corosync.pm: MAX_LINK_INDEX => 7 (inclusive loop)" },
	/* pve-manager, PVE/NodeConfig.pm: for my $i (0..$MAXDOMAINS) */
	{ "pve", "config", "acmedomain", "", "", 5,
	    "pve-manager NodeConfig.pm: $MAXDOMAINS = 5 (inclusive loop)" },
	{ "pmg", "config", "acmedomain", "", "", 5,
	    "pmg-api PMG/NodeConfig.pm: $MAXDOMAINS = 5 (inclusive loop)" },
};

static const char *const unbounded[] = { NULL };

const pvecg_indexed_max *
pvecg_indexed_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const char *const *
pvecg_indexed_unbounded(size_t *n)
{
	*n = 0;
	return unbounded;
}

/* "9.1" -> 901; anything not numeric -> a value above every release. */
static long
version_key(const char *v)
{
	char *end;
	long major, minor = 0;

	if (!v || !*v || *v < '0' || *v > '9')
		return 1000000;
	major = strtol(v, &end, 10);
	if (*end == '.') {
		const char *p = end + 1;

		if (*p < '0' || *p > '9')
			return 1000000;
		minor = strtol(p, &end, 10);
	}
	if (*end != '\0' || major > 9999 || minor > 99)
		return 1000000;
	return major * 100 + minor;
}

int
pvecg_indexed_lookup(
    int *out, const char *product, const char *guest, const char *family, const char *version)
{
	long v = version_key(version);
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const pvecg_indexed_max *r = &table[i];

		if (strcmp(r->product, product) != 0 || strcmp(r->guest, guest) != 0 ||
		    strcmp(r->family, family) != 0)
			continue;
		if (*r->since && v < version_key(r->since))
			continue;
		if (*r->until && v >= version_key(r->until))
			continue;
		*out = r->max_index;
		return 0;
	}
	return PVECG_EINPUT;
}
