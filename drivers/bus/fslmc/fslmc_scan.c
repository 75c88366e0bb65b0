/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Finding the container and its objects in sysfs.
 *
 * The kernel names every fsl-mc device "<type>.<id>" and makes it a child
 * of the device of its container, so the objects of dprc.2 are the
 * subdirectories "<type>.<id>" of /sys/bus/fsl-mc/devices/dprc.2 (the
 * bus directory itself holds a link per device of every container). A
 * child container appears there too; it has its own IOMMU group and is
 * not ours.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_sysfs.h>

#include "fslmc_private.h"

/* Index = enum rte_dpaa2_obj_type. */
static const char *const fslmc_type_names[RTE_DPAA2_OBJ_MAX] = {
	[RTE_DPAA2_OBJ_DPRC] = "dprc",
	[RTE_DPAA2_OBJ_DPNI] = "dpni",
	[RTE_DPAA2_OBJ_DPIO] = "dpio",
	[RTE_DPAA2_OBJ_DPSW] = "dpsw",
	[RTE_DPAA2_OBJ_DPBP] = "dpbp",
	[RTE_DPAA2_OBJ_DPCON] = "dpcon",
	[RTE_DPAA2_OBJ_DPMCP] = "dpmcp",
	[RTE_DPAA2_OBJ_DPMAC] = "dpmac",
	[RTE_DPAA2_OBJ_DPRTC] = "dprtc",
	[RTE_DPAA2_OBJ_DPSECI] = "dpseci",
	[RTE_DPAA2_OBJ_DPDMUX] = "dpdmux",
	[RTE_DPAA2_OBJ_DPDCEI] = "dpdcei",
	[RTE_DPAA2_OBJ_DPAIOP] = "dpaiop",
	[RTE_DPAA2_OBJ_DPCI] = "dpci",
	[RTE_DPAA2_OBJ_DPDMAI] = "dpdmai",
	[RTE_DPAA2_OBJ_DPDBG] = "dpdbg",
};

const char *
rte_fslmc_obj_type_name(enum rte_dpaa2_obj_type type)
{
	if ((unsigned int)type >= RTE_DPAA2_OBJ_MAX)
		return NULL;
	return fslmc_type_names[type];
}

static enum rte_dpaa2_obj_type
type_from_prefix(const char *name, size_t len)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_UNKNOWN + 1; t < RTE_DPAA2_OBJ_MAX; t++)
		if (strlen(fslmc_type_names[t]) == len &&
				strncmp(fslmc_type_names[t], name, len) == 0)
			return (enum rte_dpaa2_obj_type)t;
	return RTE_DPAA2_OBJ_UNKNOWN;
}

/* The kernel names objects "<type>.%d": a decimal id as sysfs prints it. */
static int
id_parse(const char *s, uint32_t *id)
{
	int64_t v;

	if (rte_sysfs_parse_dec(s, 0, INT32_MAX, &v) != 0)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

int
rte_fslmc_parse_name(const char *name, enum rte_dpaa2_obj_type *type,
		uint32_t *id)
{
	enum rte_dpaa2_obj_type t;
	const char *dot;
	uint32_t i;

	if (name == NULL || strlen(name) >= RTE_DPAA2_NAME_LEN)
		goto invalid;
	dot = strchr(name, '.');
	if (dot == NULL)
		goto invalid;
	t = type_from_prefix(name, (size_t)(dot - name));
	if (t == RTE_DPAA2_OBJ_UNKNOWN || id_parse(dot + 1, &i) != 0)
		goto invalid;
	if (type != NULL)
		*type = t;
	if (id != NULL)
		*id = i;
	return 0;
invalid:
	rte_errno = EINVAL;
	return -1;
}

int
fslmc_sysfs_base(char *buf, size_t len)
{
	const char *root = getenv(FSLMC_SYSFS_ROOT_ENV);
	int n;

	n = snprintf(buf, len, "%s%s", root != NULL ? root : "",
		FSLMC_SYSFS_DEVICES);
	if (n < 0 || (size_t)n >= len) {
		FSLMC_LOG(ERR, "sysfs path under '%s' is too long", root);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
is_directory_at(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static int
container_exists(const char *base, const char *container)
{
	char path[PATH_MAX];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", base, container);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
fslmc_dprc_from_env(int quiet)
{
	const char *dprc = getenv(RTE_FSLMC_DPRC_ENV);
	enum rte_dpaa2_obj_type type;
	char base[PATH_MAX];

	if (dprc == NULL || dprc[0] == '\0') {
		if (!quiet)
			FSLMC_LOG(INFO, "DPRC not set, bus disabled");
		return NULL;
	}
	if (rte_fslmc_parse_name(dprc, &type, NULL) != 0 ||
			type != RTE_DPAA2_OBJ_DPRC) {
		if (!quiet)
			FSLMC_LOG(ERR, "DPRC='%s' is not a container name (dprc.<id>), bus disabled",
				dprc);
		return NULL;
	}
	if (fslmc_sysfs_base(base, sizeof(base)) != 0)
		return NULL;
	if (!container_exists(base, dprc)) {
		if (!quiet)
			FSLMC_LOG(WARNING, "DPRC=%s but %s/%s does not exist, bus disabled",
				dprc, base, dprc);
		return NULL;
	}
	return dprc;
}

static struct rte_dpaa2_device *
device_new(struct fslmc_bus *bus, const char *name,
		enum rte_dpaa2_obj_type type, uint32_t id)
{
	struct rte_dpaa2_device *dev = calloc(1, sizeof(*dev));

	if (dev == NULL) {
		FSLMC_LOG(ERR, "%s: cannot allocate the device: %s", name,
			strerror(ENOMEM));
		rte_errno = ENOMEM;
		return NULL;
	}
	if (rte_strscpy(dev->name, name, sizeof(dev->name)) < 0) {
		FSLMC_LOG(ERR, "%s: object name longer than %zu bytes",
			name, sizeof(dev->name) - 1);
		free(dev);
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	dev->obj_type = type;
	dev->object_id = id;
	dev->vfio_fd = -1;
	dev->device.name = dev->name;
	dev->device.bus = &bus->bus;
	dev->device.numa_node = -1;
	dev->device.devargs = rte_devargs_find(&bus->bus, name);
	return dev;
}

/* Keep the list ordered by type then id: probe order does not depend on readdir. */
static void
device_insert(struct fslmc_bus *bus, struct rte_dpaa2_device *dev)
{
	struct rte_dpaa2_device *cur;

	TAILQ_FOREACH(cur, &bus->devices, next) {
		if (cur->obj_type > dev->obj_type ||
				(cur->obj_type == dev->obj_type &&
				 cur->object_id > dev->object_id)) {
			TAILQ_INSERT_BEFORE(cur, dev, next);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&bus->devices, dev, next);
}

/* One directory entry of the container: an object, or something to skip. */
static int
entry_add(struct fslmc_bus *bus, int dirfd, const char *name)
{
	struct rte_dpaa2_device *dev;
	enum rte_dpaa2_obj_type type;
	uint32_t id;

	/* attributes (driver_override, modalias ...) and links are not objects */
	if (rte_fslmc_parse_name(name, &type, &id) != 0 ||
			!is_directory_at(dirfd, name))
		return 0;
	if (type == RTE_DPAA2_OBJ_DPRC) {
		FSLMC_LOG(DEBUG, "%s: child container of %s skipped", name,
			bus->container);
		return 0;
	}
	dev = device_new(bus, name, type, id);
	if (dev == NULL)
		return -1;
	device_insert(bus, dev);
	FSLMC_LOG(DEBUG, "%s: found in %s", name, bus->container);
	return 0;
}

int
fslmc_scan_container(struct fslmc_bus *bus, const char *container)
{
	struct rte_dpaa2_device *dprc;
	char path[PATH_MAX];
	struct dirent *e;
	uint32_t id;
	DIR *dir;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", bus->sysfs_base, container);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		FSLMC_LOG(ERR, "%s: sysfs path too long", container);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	dir = opendir(path);
	if (dir == NULL) {
		FSLMC_LOG(ERR, "%s: cannot list %s: %s", container, path,
			strerror(errno));
		rte_errno = errno;
		return -1;
	}
	snprintf(bus->container, sizeof(bus->container), "%s", container);
	rte_fslmc_parse_name(container, NULL, &id);
	dprc = device_new(bus, container, RTE_DPAA2_OBJ_DPRC, id);
	if (dprc == NULL)
		goto fail;
	TAILQ_INSERT_HEAD(&bus->devices, dprc, next);
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (entry_add(bus, dirfd(dir), e->d_name) != 0)
			goto fail;
	}
	closedir(dir);
	return 0;
fail:
	closedir(dir);
	fslmc_devices_free(bus);
	bus->container[0] = '\0';
	rte_errno = ENOMEM;
	return -1;
}

void
fslmc_devices_free(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dev;

	while ((dev = TAILQ_FIRST(&bus->devices)) != NULL) {
		TAILQ_REMOVE(&bus->devices, dev, next);
		free(dev);
	}
}

unsigned int
rte_fslmc_object_count(enum rte_dpaa2_obj_type type)
{
	struct rte_dpaa2_device *dev;
	unsigned int n = 0;

	TAILQ_FOREACH(dev, &fslmc_bus.devices, next)
		if (dev->obj_type == type)
			n++;
	return n;
}

const char *
rte_fslmc_container_name(void)
{
	if (fslmc_bus.container[0] == '\0') {
		rte_errno = ENODEV;
		return NULL;
	}
	return fslmc_bus.container;
}
