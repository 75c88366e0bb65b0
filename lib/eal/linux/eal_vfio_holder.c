/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Who keeps a device from us: a process with its group or cdev open
 * (found through /proc/<pid>/fd), or a member of its IOMMU group bound
 * to a driver that does DMA (found through sysfs). Only read on failure
 * paths; the sysfs side refuses what the kernel does not write.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_sysfs.h>

#include "eal_log.h"
#include "eal_vfio_holder.h"

/* Longest device or driver name taken from sysfs. */
#define HOLDER_NAME_MAX 64
/* Nodes a device can be open under: two group forms and its cdev. */
#define HOLDER_NODES 3

/* A name as the kernel makes them: printable, no blank, no '/'. */
static bool
name_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= HOLDER_NAME_MAX - 1 || !isgraph((unsigned char)s[i]) ||
				s[i] == '/')
			return false;
	return i > 0;
}

/* ---- /proc ------------------------------------------------------------ */

/* 1: a descriptor in fd_dir names a node; 0: none; -1: unreadable */
static int
fds_hold(const char *fd_dir, const char *const *nodes)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *const *n;
	struct dirent *e;
	int found = 0;
	ssize_t len;
	DIR *dir;

	dir = opendir(fd_dir);
	if (dir == NULL)
		return errno == ENOENT ? 0 : -1; /* ENOENT: it just ended */
	while (found == 0 && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", fd_dir, e->d_name) >=
				(int)sizeof(path))
			continue;
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue; /* closed meanwhile */
		target[len] = '\0';
		for (n = nodes; *n != NULL; n++)
			if (strcmp(target, *n) == 0)
				found = 1;
	}
	closedir(dir);
	return found;
}

/* comm as the kernel writes it (one line); '?' for control bytes */
static void
comm_read(const char *proc, pid_t pid, char *comm, size_t len)
{
	/* the kernel's 15 bytes, its newline and the NUL */
	char line[VFIO_HOLDER_COMM_MAX + 1], path[PATH_MAX];
	size_t i;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%s/%d/comm", proc, (int)pid);
	if (rte_sysfs_read_line(path, line, sizeof(line)) < 0 ||
			strlen(line) >= len)
		return;
	for (i = 0; line[i] != '\0'; i++)
		comm[i] = isprint((unsigned char)line[i]) ? line[i] : '?';
	comm[i] = '\0';
}

enum vfio_holder_seen
vfio_holder_find(const char *proc, const char *const *nodes, pid_t self,
		struct vfio_holder *h)
{
	enum vfio_holder_seen seen = VFIO_HOLDER_NONE;
	char fd_dir[PATH_MAX];
	struct dirent *e;
	int64_t pid;
	DIR *dir;
	int r;

	dir = opendir(proc);
	if (dir == NULL)
		return VFIO_HOLDER_HIDDEN;
	while ((e = readdir(dir)) != NULL) {
		/* processes only: "self", "sys" ... are not numbers */
		if (rte_sysfs_parse_dec(e->d_name, 1, INT_MAX, &pid) != 0 ||
				(pid_t)pid == self)
			continue;
		snprintf(fd_dir, sizeof(fd_dir), "%s/%s/fd", proc, e->d_name);
		r = fds_hold(fd_dir, nodes);
		if (r < 0) {
			seen = VFIO_HOLDER_HIDDEN;
		} else if (r > 0) {
			h->pid = (pid_t)pid;
			comm_read(proc, h->pid, h->comm, sizeof(h->comm));
			seen = VFIO_HOLDER_FOUND;
			break;
		}
	}
	closedir(dir);
	return seen;
}

/* "vfio<N>" or "noiommu-vfio<N>", as in <dev>/vfio-dev/ */
static bool
cdev_name_valid(const char *s)
{
	int64_t n;

	if (strncmp(s, "noiommu-", 8) == 0)
		s += 8;
	return strncmp(s, "vfio", 4) == 0 &&
		rte_sysfs_parse_dec(s + 4, 0, INT_MAX, &n) == 0;
}

/* the cdev entry of <dev>/vfio-dev/ into name; false if there is none */
static bool
cdev_entry(const char *sysfs_base, const char *addr, char *name,
		size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s/vfio-dev", sysfs_base, addr);
	dir = opendir(path);
	if (dir == NULL)
		return false;
	while (!found && (e = readdir(dir)) != NULL) {
		if (cdev_name_valid(e->d_name) &&
				strlen(e->d_name) < len) {
			snprintf(name, len, "%s", e->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

enum vfio_holder_seen
vfio_holder_describe(const char *proc, const char *sysfs_base,
		const char *addr, char *buf, size_t len)
{
	char group[2][PATH_MAX], cdev[PATH_MAX], entry[HOLDER_NAME_MAX];
	const char *nodes[HOLDER_NODES + 1];
	enum vfio_holder_seen seen;
	struct vfio_holder h;
	char path[PATH_MAX];
	unsigned int n = 0;
	int num;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/iommu_group", sysfs_base, addr);
	if (rte_sysfs_link_num(path, &num) == 0) {
		snprintf(group[0], sizeof(group[0]), "/dev/vfio/%d", num);
		snprintf(group[1], sizeof(group[1]), "/dev/vfio/noiommu-%d",
			num);
		nodes[n++] = group[0];
		nodes[n++] = group[1];
	}
	if (cdev_entry(sysfs_base, addr, entry, sizeof(entry))) {
		snprintf(cdev, sizeof(cdev), "/dev/vfio/devices/%s", entry);
		nodes[n++] = cdev;
	}
	nodes[n] = NULL;
	if (n == 0)
		return VFIO_HOLDER_NONE;
	seen = vfio_holder_find(proc, nodes, getpid(), &h);
	if (seen == VFIO_HOLDER_FOUND && h.comm[0] != '\0')
		snprintf(buf, len, "held by process %d (%s)", (int)h.pid,
			h.comm);
	else if (seen == VFIO_HOLDER_FOUND)
		snprintf(buf, len, "held by process %d", (int)h.pid);
	else if (seen == VFIO_HOLDER_HIDDEN)
		snprintf(buf, len,
			"held by another process (not visible to this user)");
	return seen;
}

/* ---- IOMMU group members ---------------------------------------------- */

/*
 * Drivers that leave DMA to their user keep the group viable. This is the
 * kernel's rule: a driver without driver_managed_dma takes a DMA owner
 * reference on the group when it binds (iommu_device_use_default_domain()),
 * and VFIO's claim of the group then fails (iommu_group_claim_dma_owner():
 * EPERM). Those with it are the vfio drivers (vfio-pci and its variants
 * such as mlx5-vfio-pci or qat_vfio_pci), pci-stub and pcieport; unbound
 * members hold no reference.
 */
static bool
driver_keeps_viable(const char *drv)
{
	return strstr(drv, "vfio") != NULL || strcmp(drv, "pci-stub") == 0 ||
		strcmp(drv, "pcieport") == 0;
}

/* driver of member dev into drv: 1 bound, 0 unbound, -1 refused */
static int
member_driver(const char *dev_dir, const char *dev, char *drv, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *last;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/%s/driver", dev_dir, dev) >=
			(int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0 && errno == ENOENT)
		return 0;
	if (n < 0) {
		EAL_LOG(ERR, "VFIO: %s: readlink failed: %s", path,
			strerror(errno));
		return -1;
	}
	target[n] = '\0';
	last = strrchr(target, '/');
	last = last != NULL ? last + 1 : target;
	if (!name_valid(last) || strlen(last) >= len) {
		EAL_LOG(ERR, "VFIO: %s: link target is not a driver name: refused",
			path);
		errno = EINVAL;
		return -1;
	}
	snprintf(drv, len, "%s", last);
	return 1;
}

int
vfio_group_explain(const char *groups_dir, int group, const char *addr,
		char *buf, size_t len)
{
	/* the list leaves room in a 512-byte message for the advice */
	char dev_dir[PATH_MAX], list[320], more[32], drv[HOLDER_NAME_MAX];
	size_t used = 0;
	struct dirent *e;
	int count = 0, shown = 0, r;
	DIR *dir;

	snprintf(dev_dir, sizeof(dev_dir), "%s/%d/devices", groups_dir, group);
	dir = opendir(dev_dir);
	if (dir == NULL) {
		EAL_LOG(ERR, "VFIO: %s: opendir failed: %s", dev_dir,
			strerror(errno));
		return -1;
	}
	list[0] = '\0';
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!name_valid(e->d_name)) {
			EAL_LOG(ERR, "VFIO: %s: an entry is not a device name: refused",
				dev_dir);
			closedir(dir);
			errno = EINVAL;
			return -1;
		}
		if (strcmp(e->d_name, addr) == 0)
			continue;
		r = member_driver(dev_dir, e->d_name, drv, sizeof(drv));
		if (r < 0) {
			closedir(dir);
			return -1;
		}
		if (r == 0 || driver_keeps_viable(drv))
			continue;
		count++;
		if (shown + 1 < count)
			continue; /* the list is full: only counted */
		r = snprintf(list + used, sizeof(list) - used,
			"%s%s is bound to %s", shown > 0 ? ", " : "",
			e->d_name, drv);
		if (r > 0 && (size_t)r < sizeof(list) - used) {
			used += (size_t)r;
			shown++;
		} else {
			list[used] = '\0'; /* never half an entry */
		}
	}
	closedir(dir);
	more[0] = '\0';
	if (count > shown)
		snprintf(more, sizeof(more), " and %d more", count - shown);
	if (count > 0)
		snprintf(buf, len,
			"IOMMU group %d is not viable: %s%s; bind every device of the group to vfio-pci (or unbind %s)",
			group, list, more, count > 1 ? "them" : "it");
	return count;
}
