/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Linux PCI: the sysfs scan of /sys/bus/pci/devices (or $SYSFS_PCI_DEVICES)
 * and configuration space access.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_sysfs.h>

#include "../private.h"

#define PCI_SYSFS_DEVICES_DEFAULT "/sys/bus/pci/devices"
#define PCI_SYSFS_DEVICES_ENV "SYSFS_PCI_DEVICES"
/* Name of the kernel driver that makes a device usable. */
#define PCI_KDRV_VFIO_NAME "vfio-pci"
/* IORESOURCE_MEM in the flags column of <dev>/resource. */
#define PCI_RESOURCE_FLAG_MEM 0x200

const char *
pci_sysfs_devices(void)
{
	const char *dir = getenv(PCI_SYSFS_DEVICES_ENV);

	return dir != NULL && dir[0] != '\0' ? dir : PCI_SYSFS_DEVICES_DEFAULT;
}

/* dir/file into buf; -1 with ENAMETOOLONG when it does not fit. */
static int
path_join(char *buf, size_t size, const char *dir, const char *file)
{
	int n = snprintf(buf, size, "%s/%s", dir, file);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* One of the ids the kernel prints as "0x%0<digits>x\n". */
static int
sysfs_read_id(const char *devdir, const char *file, unsigned int digits,
		uint32_t *out)
{
	char path[PATH_MAX];
	uint64_t v;

	if (path_join(path, sizeof(path), devdir, file) != 0) {
		PCI_LOG(ERR, "%s/%s: path too long", devdir, file);
		return -1;
	}
	if (rte_sysfs_read_hex(path, digits, &v) != 0) {
		if (rte_errno != EINVAL)
			PCI_LOG(ERR, "%s: cannot read: %s", path,
				strerror(rte_errno));
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Digits of "0x%04x" (vendor, device ...) and of "0x%06x" (class). */
#define PCI_ID_DIGITS 4
#define PCI_CLASS_DIGITS 6

static int
pci_read_ids(const char *devdir, struct rte_pci_device *dev)
{
	uint32_t v[4];

	if (sysfs_read_id(devdir, "vendor", PCI_ID_DIGITS, &v[0]) != 0 ||
			sysfs_read_id(devdir, "device", PCI_ID_DIGITS, &v[1]) != 0 ||
			sysfs_read_id(devdir, "subsystem_vendor", PCI_ID_DIGITS,
				&v[2]) != 0 ||
			sysfs_read_id(devdir, "subsystem_device", PCI_ID_DIGITS,
				&v[3]) != 0 ||
			sysfs_read_id(devdir, "class", PCI_CLASS_DIGITS,
				&dev->id.class_id) != 0)
		return -1;
	dev->id.vendor_id = (uint16_t)v[0];
	dev->id.device_id = (uint16_t)v[1];
	dev->id.subsystem_vendor_id = (uint16_t)v[2];
	dev->id.subsystem_device_id = (uint16_t)v[3];
	return 0;
}

/* An optional decimal attribute: absent or refused (logged) keeps *val. */
static void
sysfs_read_optional(const char *devdir, const char *file, int64_t min,
		int64_t max, int64_t *val)
{
	char path[PATH_MAX];
	int64_t v;

	if (path_join(path, sizeof(path), devdir, file) != 0)
		return;
	if (rte_sysfs_read_dec(path, min, max, &v) == 0)
		*val = v;
	else if (rte_errno != ENOENT && rte_errno != EINVAL &&
			rte_errno != ERANGE)
		PCI_LOG(WARNING, "%s: cannot read: %s", path,
			strerror(rte_errno));
}

/* Optional attributes: absent or odd values fall back to defaults. */
static void
pci_read_optional(const char *devdir, struct rte_pci_device *dev)
{
	int64_t numa = -1, vfs = 0;

	sysfs_read_optional(devdir, "numa_node", -1, INT_MAX, &numa);
	sysfs_read_optional(devdir, "sriov_numvfs", 0, UINT16_MAX, &vfs);
	dev->device.numa_node = (int)numa;
	dev->max_vfs = (uint16_t)vfs;
}

/*
 * <dev>/resource: one "0x%016llx 0x%016llx 0x%016llx\n" (start end flags)
 * line per resource, BARs first; sysfs attributes are at most a page.
 */
#define PCI_RESOURCE_FILE_MAX 4096
#define PCI_RESOURCE_FIELD_DIGITS 16
#define PCI_RESOURCE_FIELD_LEN (2 + PCI_RESOURCE_FIELD_DIGITS)
#define PCI_RESOURCE_LINE_LEN (3 * PCI_RESOURCE_FIELD_LEN + 2)

/* One line of <dev>/resource into its three fields. */
static int
resource_line_parse(const char *line, uint64_t v[3])
{
	char field[PCI_RESOURCE_FIELD_LEN + 1];
	unsigned int i;

	if (strlen(line) != PCI_RESOURCE_LINE_LEN)
		return -1;
	for (i = 0; i < 3; i++) {
		const char *f = line + i * (PCI_RESOURCE_FIELD_LEN + 1);

		if (i < 2 && f[PCI_RESOURCE_FIELD_LEN] != ' ')
			return -1;
		memcpy(field, f, PCI_RESOURCE_FIELD_LEN);
		field[PCI_RESOURCE_FIELD_LEN] = '\0';
		if (rte_sysfs_parse_hex(field, PCI_RESOURCE_FIELD_DIGITS,
				&v[i]) != 0)
			return -1;
	}
	return v[1] >= v[0] ? 0 : -1;
}

static int
pci_read_resources(const char *devdir, struct rte_pci_device *dev)
{
	char path[PATH_MAX], *text, *line, *next;
	unsigned int i;
	ssize_t len;

	if (path_join(path, sizeof(path), devdir, "resource") != 0) {
		PCI_LOG(ERR, "%s/resource: path too long", devdir);
		return -1;
	}
	text = malloc(PCI_RESOURCE_FILE_MAX);
	if (text == NULL) {
		PCI_LOG(ERR, "%s: cannot allocate a buffer: %s", path,
			strerror(ENOMEM));
		return -1;
	}
	len = rte_sysfs_read(path, text, PCI_RESOURCE_FILE_MAX);
	if (len < 0) {
		if (rte_errno != EINVAL)
			PCI_LOG(ERR, "%s: cannot read: %s", path,
				strerror(rte_errno));
		goto fail;
	}
	if (len == 0 || text[len - 1] != '\n') {
		PCI_LOG(ERR, "%s: does not end in a newline, as the kernel writes it: refused",
			path);
		goto fail;
	}
	for (i = 0, line = text; *line != '\0'; i++, line = next) {
		uint64_t v[3];

		next = strchr(line, '\n');
		*next++ = '\0';
		if (resource_line_parse(line, v) != 0) {
			PCI_LOG(ERR, "%s: line %u is not 'start end flags' as 0x and 16 hex digits each: refused",
				path, i + 1);
			goto fail;
		}
		if (i >= PCI_MAX_RESOURCE || (v[2] & PCI_RESOURCE_FLAG_MEM) == 0 ||
				v[1] == 0)
			continue;
		dev->mem_resource[i].phys_addr = v[0];
		dev->mem_resource[i].len = v[1] - v[0] + 1;
	}
	if (i < PCI_MAX_RESOURCE) {
		PCI_LOG(ERR, "%s: %u lines, fewer than the %u BARs: refused",
			path, i, PCI_MAX_RESOURCE);
		goto fail;
	}
	free(text);
	return 0;
fail:
	free(text);
	return -1;
}

static void
pci_read_kdrv(const char *devdir, struct rte_pci_device *dev)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = path_join(path, sizeof(path), devdir, "driver") == 0 ?
		readlink(path, target, sizeof(target) - 1) : -1;
	if (n < 0) {
		dev->kdrv = RTE_PCI_KDRV_NONE;
		dev->kdrv_name[0] = '\0';
		return;
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base != NULL ? base + 1 : target;
	rte_strscpy(dev->kdrv_name, base, sizeof(dev->kdrv_name));
	dev->kdrv = strcmp(base, PCI_KDRV_VFIO_NAME) == 0 ?
		RTE_PCI_KDRV_VFIO : RTE_PCI_KDRV_OTHER;
}

/* Read one device directory; the device goes to the bus list. */
static int
pci_scan_one(const char *dirname, const char *name,
		const struct rte_pci_addr *addr)
{
	char devdir[PATH_MAX];
	struct rte_pci_device *dev;

	if (path_join(devdir, sizeof(devdir), dirname, name) != 0) {
		PCI_LOG(ERR, "%s/%s: path too long", dirname, name);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL) {
		PCI_LOG(ERR, "%s: cannot allocate the device", name);
		rte_errno = ENOMEM;
		return -1;
	}
	dev->addr = *addr;
	rte_pci_device_name(addr, dev->name, sizeof(dev->name));
	if (pci_read_ids(devdir, dev) != 0 ||
			pci_read_resources(devdir, dev) != 0) {
		pci_device_free(dev);
		rte_errno = EIO;
		return -1;
	}
	pci_read_optional(devdir, dev);
	pci_read_kdrv(devdir, dev);
	if (dev->kdrv != RTE_PCI_KDRV_VFIO)
		PCI_LOG(DEBUG, "%s: bound to %s, not vfio-pci: it will not be probed",
			dev->name, dev->kdrv_name[0] != '\0' ? dev->kdrv_name :
			"no driver");
	pci_device_insert(dev);
	return 0;
}

int
pci_scan(void)
{
	const char *dirname = pci_sysfs_devices();
	struct rte_pci_addr addr;
	struct dirent *e;
	DIR *dir;

	dir = opendir(dirname);
	if (dir == NULL) {
		if (errno == ENOENT) {
			PCI_LOG(DEBUG, "%s: no such directory, no PCI devices", dirname);
			return 0;
		}
		PCI_LOG(ERR, "%s: cannot open: %s", dirname, strerror(errno));
		rte_errno = errno;
		return -1;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (rte_pci_addr_parse(e->d_name, &addr) != 0) {
			PCI_LOG(DEBUG, "%s/%s: not a PCI address, ignored", dirname,
				e->d_name);
			continue;
		}
		/* a bad entry is logged and skipped; the others still count */
		pci_scan_one(dirname, e->d_name, &addr);
	}
	closedir(dir);
	return 0;
}

typedef ssize_t (*pci_config_io_t)(int fd, void *buf, size_t len, off_t off);

static ssize_t
config_pread(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

static ssize_t
config_pwrite(int fd, void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

static int
pci_sysfs_config_io(const struct rte_pci_device *dev, void *buf, size_t len,
		off_t offset, int write)
{
	static const pci_config_io_t io[] = { config_pread, config_pwrite };
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	n = snprintf(path, sizeof(path), "%s/%s/config", pci_sysfs_devices(),
		dev->name);
	errno = ENAMETOOLONG;
	fd = n > 0 && (size_t)n < sizeof(path) ?
		rte_sysfs_open(path, write ? O_WRONLY : O_RDONLY) : -1;
	if (fd < 0) {
		err = errno;
		if (err != EINVAL) /* else rte_sysfs_open() said why */
			PCI_LOG(ERR, "%s: cannot open %s: %s", dev->name, path,
				strerror(err));
		rte_errno = err == EACCES || err == EPERM ? EACCES : EIO;
		return -1;
	}
	n = io[write](fd, buf, len, offset);
	err = errno;
	close(fd);
	if (n != (ssize_t)len) {
		PCI_LOG(ERR, "%s: config %s of %zu bytes at 0x%jx: %s", dev->name,
			write ? "write" : "read", len, (intmax_t)offset,
			n < 0 ? strerror(err) : "short transfer");
		rte_errno = EIO;
		return -1;
	}
	return (int)len;
}

int
pci_read_config(const struct rte_pci_device *dev, void *buf, size_t len,
		off_t offset)
{
	if (dev->vfio != NULL)
		return pci_vfio_read_config(dev, buf, len, offset);
	return pci_sysfs_config_io(dev, buf, len, offset, 0);
}

int
pci_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset)
{
	if (dev->vfio != NULL)
		return pci_vfio_write_config(dev, buf, len, offset);
	/* pwrite does not modify the buffer */
	return pci_sysfs_config_io(dev, (void *)(uintptr_t)buf, len, offset, 1);
}
