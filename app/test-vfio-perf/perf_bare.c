/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Bare kernel DMA contexts: the baseline of the DMA benchmark. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_memory.h>

#include "perf_bare.h"

static void
bare_reset(struct perf_bare *b)
{
	memset(b, 0, sizeof(*b));
	b->container_fd = -1;
	b->group_fd = -1;
	b->dev_fd = -1;
}

static int
group_num(const char *sysfs, const char *dev, int *num)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/iommu_group", sysfs, dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	slash = strrchr(link, '/');
	*num = atoi(slash != NULL ? slash + 1 : link);
	return 0;
}

int
perf_bare_open_type1(struct perf_bare *b, const char *sysfs, const char *dev,
		char *err, size_t errlen)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];
	int num, type;

	bare_reset(b);
	if (group_num(sysfs, dev, &num) != 0) {
		snprintf(err, errlen, "%s: no IOMMU group: %s", dev,
			strerror(errno));
		return -1;
	}
	b->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (b->container_fd < 0) {
		snprintf(err, errlen, "open /dev/vfio/vfio: %s",
			strerror(errno));
		return -1;
	}
	b->own_fd = true;
	snprintf(path, sizeof(path), "/dev/vfio/%d", num);
	b->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (b->group_fd < 0) {
		snprintf(err, errlen, "open %s (group of %s): %s", path, dev,
			strerror(errno));
		goto close_container;
	}
	if (ioctl(b->group_fd, VFIO_GROUP_GET_STATUS, &st) != 0 ||
			(st.flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
		snprintf(err, errlen, "%s: group not viable", path);
		goto close_group;
	}
	if (ioctl(b->group_fd, VFIO_GROUP_SET_CONTAINER, &b->container_fd) != 0) {
		snprintf(err, errlen, "%s: VFIO_GROUP_SET_CONTAINER: %s", path,
			strerror(errno));
		goto close_group;
	}
	type = ioctl(b->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
		VFIO_TYPE1v2_IOMMU : VFIO_TYPE1_IOMMU;
	if (ioctl(b->container_fd, VFIO_SET_IOMMU, type) != 0) {
		snprintf(err, errlen, "VFIO_SET_IOMMU type %d: %s", type,
			strerror(errno));
		goto close_group;
	}
	b->kind = PERF_BARE_TYPE1;
	snprintf(b->desc, sizeof(b->desc),
		"own container, type%s, group %d of %s",
		type == VFIO_TYPE1v2_IOMMU ? "1v2" : "1", num, dev);
	return 0;
close_group:
	close(b->group_fd);
close_container:
	close(b->container_fd);
	bare_reset(b);
	return -1;
}

void
perf_bare_use_container(struct perf_bare *b, int container_fd)
{
	bare_reset(b);
	b->kind = PERF_BARE_TYPE1;
	b->container_fd = container_fd;
	snprintf(b->desc, sizeof(b->desc),
		"the library's container, other IOVAs");
}

static int
cdev_num(const char *sysfs, const char *dev, char *name, size_t len)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%s/vfio-dev", sysfs, dev);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		/* noiommu-vfio<N> without an IOMMU */
		if (strncmp(e->d_name, "vfio", 4) == 0 ||
				strncmp(e->d_name, "noiommu-vfio", 12) == 0) {
			snprintf(name, len, "%s", e->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	if (ret != 0)
		errno = ENOENT;
	return ret;
}

/* open dev's cdev, bind it to b's iommufd and attach it to b's IOAS */
static int
iommufd_attach(const struct perf_bare *b, const char *sysfs, const char *dev,
		int *fd, char *err, size_t errlen)
{
	struct vfio_device_bind_iommufd bind = {
		/* the 6.12 layout: the token field is newer */
		.argsz = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr),
		.iommufd = b->container_fd,
	};
	struct vfio_device_attach_iommufd_pt at = {
		.argsz = sizeof(at),
		.pt_id = b->ioas_id,
	};
	char name[NAME_MAX + 1], path[NAME_MAX + 32];

	if (cdev_num(sysfs, dev, name, sizeof(name)) != 0) {
		snprintf(err, errlen, "%s: no vfio-dev entry: %s", dev,
			strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(err, errlen, "open %s (%s): %s", path, dev,
			strerror(errno));
		return -1;
	}
	if (ioctl(*fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) != 0 ||
			ioctl(*fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) != 0) {
		snprintf(err, errlen, "%s: bind/attach to the IOAS: %s", path,
			strerror(errno));
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

int
perf_bare_open_iommufd(struct perf_bare *b, const char *sysfs,
		const char *dev, char *err, size_t errlen)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	bare_reset(b);
	b->container_fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (b->container_fd < 0) {
		snprintf(err, errlen, "open /dev/iommu: %s", strerror(errno));
		return -1;
	}
	b->own_fd = true;
	if (ioctl(b->container_fd, IOMMU_IOAS_ALLOC, &a) != 0) {
		snprintf(err, errlen, "IOMMU_IOAS_ALLOC: %s", strerror(errno));
		goto close_fd;
	}
	b->ioas_id = a.out_ioas_id;
	if (dev != NULL && iommufd_attach(b, sysfs, dev, &b->dev_fd, err,
			errlen) != 0)
		goto close_fd;
	b->kind = PERF_BARE_IOMMUFD;
	snprintf(b->desc, sizeof(b->desc), "own iommufd, IOAS %u%s%s",
		b->ioas_id, dev != NULL ? " with " : ", no device",
		dev != NULL ? dev : "");
	return 0;
close_fd:
	close(b->container_fd);
	bare_reset(b);
	return -1;
}

int
perf_bare_map(const struct perf_bare *b, uint64_t va, uint64_t iova,
		uint64_t len)
{
	if (b->kind == PERF_BARE_TYPE1) {
		struct vfio_iommu_type1_dma_map m = {
			.argsz = sizeof(m),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = va,
			.iova = iova,
			.size = len,
		};

		return ioctl(b->container_fd, VFIO_IOMMU_MAP_DMA, &m);
	}
	if (b->kind == PERF_BARE_IOMMUFD) {
		struct iommu_ioas_map m = {
			.size = sizeof(m),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				IOMMU_IOAS_MAP_READABLE |
				IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = b->ioas_id,
			.user_va = va,
			.length = len,
			.iova = iova,
		};

		return ioctl(b->container_fd, IOMMU_IOAS_MAP, &m);
	}
	errno = ENOTSUP;
	return -1;
}

int
perf_bare_unmap(const struct perf_bare *b, uint64_t iova, uint64_t len)
{
	if (b->kind == PERF_BARE_TYPE1) {
		struct vfio_iommu_type1_dma_unmap u = {
			.argsz = sizeof(u),
			.iova = iova,
			.size = len,
		};

		if (ioctl(b->container_fd, VFIO_IOMMU_UNMAP_DMA, &u) != 0)
			return -1;
		if (u.size != len) {
			errno = EIO;
			return -1;
		}
		return 0;
	}
	if (b->kind == PERF_BARE_IOMMUFD) {
		struct iommu_ioas_unmap u = {
			.size = sizeof(u),
			.ioas_id = b->ioas_id,
			.iova = iova,
			.length = len,
		};

		if (ioctl(b->container_fd, IOMMU_IOAS_UNMAP, &u) != 0)
			return -1;
		if (u.length != len) {
			errno = EIO;
			return -1;
		}
		return 0;
	}
	errno = ENOTSUP;
	return -1;
}

void
perf_bare_close(struct perf_bare *b)
{
	if (b->dev_fd >= 0)
		close(b->dev_fd);
	if (b->group_fd >= 0)
		close(b->group_fd);
	if (b->own_fd && b->container_fd >= 0)
		close(b->container_fd);
	bare_reset(b);
}

/* ---- devices --------------------------------------------------------------- */

int
perf_bare_dev_open(const struct perf_bare *b, const char *sysfs,
		const char *dev, struct perf_bare_dev *d, char *err, size_t errlen)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];
	int num;

	d->group_fd = -1;
	d->fd = -1;
	if (b->kind == PERF_BARE_IOMMUFD)
		return iommufd_attach(b, sysfs, dev, &d->fd, err, errlen);
	if (group_num(sysfs, dev, &num) != 0) {
		snprintf(err, errlen, "%s: no IOMMU group: %s", dev,
			strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", num);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0) {
		snprintf(err, errlen, "open %s (group of %s): %s", path, dev,
			strerror(errno));
		return -1;
	}
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &st) != 0 ||
			(st.flags & VFIO_GROUP_FLAGS_VIABLE) == 0 ||
			ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER,
				&b->container_fd) != 0) {
		snprintf(err, errlen, "%s: not viable or VFIO_GROUP_SET_CONTAINER: %s",
			path, strerror(errno));
		perf_bare_dev_close(d);
		return -1;
	}
	d->fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, dev);
	if (d->fd < 0) {
		snprintf(err, errlen, "%s: VFIO_GROUP_GET_DEVICE_FD %s: %s",
			path, dev, strerror(errno));
		perf_bare_dev_close(d);
		return -1;
	}
	return 0;
}

int
perf_bare_group_dev(const struct perf_bare *b, const char *dev,
		struct perf_bare_dev *d, char *err, size_t errlen)
{
	d->group_fd = -1;
	d->fd = ioctl(b->group_fd, VFIO_GROUP_GET_DEVICE_FD, dev);
	if (d->fd < 0) {
		snprintf(err, errlen, "VFIO_GROUP_GET_DEVICE_FD %s: %s", dev,
			strerror(errno));
		return -1;
	}
	return 0;
}

void
perf_bare_dev_close(struct perf_bare_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group_fd >= 0)
		close(d->group_fd);
	d->fd = -1;
	d->group_fd = -1;
}

/* ---- EAL memory in runs ------------------------------------------------------ */

/* a run of EAL pages contiguous in VA and IOVA, handed to fn when it ends */
struct eal_runs {
	const struct perf_bare *b;
	bool map;
	uint64_t va, iova, len;
	unsigned int calls;
	int ret;
};

static int
runs_flush(struct eal_runs *r)
{
	if (r->len == 0)
		return 0;
	r->calls++;
	if (r->map) {
		r->ret = perf_bare_map(r->b, r->va, r->iova, r->len);
		r->len = 0;
		return r->ret;
	}
	/* unmap everything, also after a failure (cleanup of a partial map) */
	if (perf_bare_unmap(r->b, r->iova, r->len) != 0 && r->ret == 0)
		r->ret = -1;
	r->len = 0;
	return 0;
}

static int
runs_page(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct eal_runs *r = arg;
	uint64_t va = (uintptr_t)ms->addr;

	if (msl->external)
		return 0;
	if (r->len != 0 && va == r->va + r->len &&
			ms->iova == r->iova + r->len) {
		r->len += ms->len;
		return 0;
	}
	if (runs_flush(r) != 0)
		return -1;
	r->va = va;
	r->iova = ms->iova;
	r->len = ms->len;
	return 0;
}

static int
runs_walk(const struct perf_bare *b, bool map, unsigned int *calls)
{
	struct eal_runs r = { .b = b, .map = map };

	if (rte_memseg_walk(runs_page, &r) != 0 || runs_flush(&r) != 0) {
		int err = errno;

		if (map)
			perf_bare_unmap_eal(b);
		errno = err;
		return -1;
	}
	if (calls != NULL)
		*calls = r.calls;
	return r.ret;
}

int
perf_bare_map_eal(const struct perf_bare *b, unsigned int *calls)
{
	return runs_walk(b, true, calls);
}

int
perf_bare_unmap_eal(const struct perf_bare *b)
{
	return runs_walk(b, false, NULL);
}
