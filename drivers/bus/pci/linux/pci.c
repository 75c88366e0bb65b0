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

/* Read one number (any base strtoull accepts) from a one-line file. */
static int
sysfs_read_num(const char *devdir, const char *file, int64_t *val)
{
	char path[PATH_MAX], line[64], *end;
	FILE *f;
	int ok;

	if (path_join(path, sizeof(path), devdir, file) != 0)
		return -1;
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	if (!ok)
		goto bad;
	errno = 0;
	*val = strtoll(line, &end, 0);
	if (errno != 0 || end == line || (*end != '\n' && *end != '\0'))
		goto bad;
	return 0;
bad:
	if (ok)
		line[strcspn(line, "\n")] = '\0';
	PCI_LOG(ERR, "%s: cannot parse '%.20s'", path, ok ? line : "");
	errno = EINVAL;
	return -1;
}

static int
sysfs_read_id(const char *devdir, const char *file, int64_t max, uint32_t *out)
{
	int64_t v;

	if (sysfs_read_num(devdir, file, &v) != 0) {
		if (errno != EINVAL)
			PCI_LOG(ERR, "%s/%s: cannot read: %s", devdir, file,
				strerror(errno));
		return -1;
	}
	if (v < 0 || v > max) {
		PCI_LOG(ERR, "%s/%s: value 0x%" PRIx64 " out of range", devdir,
			file, (uint64_t)v);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
pci_read_ids(const char *devdir, struct rte_pci_device *dev)
{
	uint32_t v[4];

	if (sysfs_read_id(devdir, "vendor", UINT16_MAX, &v[0]) != 0 ||
			sysfs_read_id(devdir, "device", UINT16_MAX, &v[1]) != 0 ||
			sysfs_read_id(devdir, "subsystem_vendor", UINT16_MAX, &v[2]) != 0 ||
			sysfs_read_id(devdir, "subsystem_device", UINT16_MAX, &v[3]) != 0 ||
			sysfs_read_id(devdir, "class", 0xffffff, &dev->id.class_id) != 0)
		return -1;
	dev->id.vendor_id = (uint16_t)v[0];
	dev->id.device_id = (uint16_t)v[1];
	dev->id.subsystem_vendor_id = (uint16_t)v[2];
	dev->id.subsystem_device_id = (uint16_t)v[3];
	return 0;
}

/* Optional attributes: absent or odd values fall back to defaults. */
static void
pci_read_optional(const char *devdir, struct rte_pci_device *dev)
{
	int64_t v;

	dev->device.numa_node = -1;
	if (sysfs_read_num(devdir, "numa_node", &v) == 0 && v >= 0 && v < INT_MAX)
		dev->device.numa_node = (int)v;
	if (sysfs_read_num(devdir, "sriov_numvfs", &v) == 0 && v >= 0 &&
			v <= UINT16_MAX)
		dev->max_vfs = (uint16_t)v;
}

/* <dev>/resource: "start end flags" per line, BARs first. */
static int
pci_read_resources(const char *devdir, struct rte_pci_device *dev)
{
	char path[PATH_MAX], line[128];
	unsigned int i;
	FILE *f;

	f = path_join(path, sizeof(path), devdir, "resource") == 0 ?
		fopen(path, "re") : NULL;
	if (f == NULL) {
		PCI_LOG(ERR, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		unsigned long long start, end, flags;

		if (fgets(line, sizeof(line), f) == NULL ||
				sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 ||
				end < start) {
			PCI_LOG(ERR, "%s: line %u is not 'start end flags'", path, i + 1);
			fclose(f);
			return -1;
		}
		if ((flags & PCI_RESOURCE_FLAG_MEM) == 0 || end == 0)
			continue;
		dev->mem_resource[i].phys_addr = start;
		dev->mem_resource[i].len = end - start + 1;
	}
	fclose(f);
	return 0;
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
	fd = n > 0 && (size_t)n < sizeof(path) ?
		open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC) : -1;
	if (fd < 0) {
		err = errno;
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
