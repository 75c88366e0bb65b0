/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "vfio_conformance.h"

#define CONF_IOVA      0x100000ULL  /* a mapping of CONF_LEN bytes here */
#define CONF_LEN       0x10000ULL
#define CONF_FAR_IOVA  0x900000ULL  /* nothing is ever mapped here */
#define CONF_PAGE      0x1000ULL

/* Descriptors and ids shared by the steps of one run. */
struct conf_ctx {
	enum conf_mode mode;
	char addr[64];
	int num;          /* IOMMU group or vfio cdev number */
	int container;    /* /dev/vfio/vfio or /dev/iommu */
	int group;
	int device;
	uint32_t ioas;
	void *buf;        /* memory behind the mappings */
	uint64_t out;     /* value a step reports (unmapped bytes ...) */
};

/* A step: 0 or -errno; may set ctx->out. */
typedef int (*conf_step_fn)(struct conf_ctx *c);

struct conf_step {
	const char *name;
	conf_step_fn fn;
	int expect;           /* 0 or -errno the kernel returns */
	int check_out;        /* compare ctx->out with out */
	uint64_t out;
};

static int
sys_ret(int ret)
{
	return ret < 0 ? -errno : 0;
}

static int
open_node(const char *path, int *fd)
{
	*fd = open(path, O_RDWR | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

/* ---- group backend ------------------------------------------------------ */

static int
g_open_container(struct conf_ctx *c)
{
	return open_node("/dev/vfio/vfio", &c->container);
}

static int
g_api_version(struct conf_ctx *c)
{
	int v = ioctl(c->container, VFIO_GET_API_VERSION);

	if (v < 0)
		return -errno;
	c->out = (uint64_t)v;
	return 0;
}

static int
g_open_group(struct conf_ctx *c)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%s%d",
		c->mode == CONF_MODE_NOIOMMU ? "noiommu-" : "", c->num);
	return open_node(path, &c->group);
}

static int
g_viable(struct conf_ctx *c)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	if (ioctl(c->group, VFIO_GROUP_GET_STATUS, &st) != 0)
		return -errno;
	c->out = (st.flags & VFIO_GROUP_FLAGS_VIABLE) != 0;
	return 0;
}

static int
g_set_container(struct conf_ctx *c)
{
	return sys_ret(ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container));
}

static int
g_set_iommu(struct conf_ctx *c)
{
	unsigned long type = c->mode == CONF_MODE_NOIOMMU ?
		VFIO_NOIOMMU_IOMMU : VFIO_TYPE1v2_IOMMU;

	return sys_ret(ioctl(c->container, VFIO_SET_IOMMU, type));
}

static int
g_get_device(struct conf_ctx *c)
{
	c->device = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, c->addr);
	return c->device < 0 ? -errno : 0;
}

/* A VF token for a device that is neither a PF nor a VF is refused. */
static int
g_get_device_token(struct conf_ctx *c)
{
	char name[128];
	int fd;

	snprintf(name, sizeof(name), "%s vf_token=2ab74924-c335-45f4-9b16-8569e5b08258",
		c->addr);
	fd = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

static int
g_map(struct conf_ctx *c, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)c->buf + (iova - CONF_IOVA) % CONF_LEN,
		.iova = iova,
		.size = len,
	};

	return sys_ret(ioctl(c->container, VFIO_IOMMU_MAP_DMA, &m));
}

static int
g_unmap(struct conf_ctx *c, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = len,
	};
	int ret = sys_ret(ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &u));

	c->out = u.size;
	return ret;
}

static int g_map_first(struct conf_ctx *c) { return g_map(c, CONF_IOVA, CONF_LEN); }
static int g_map_overlap(struct conf_ctx *c) { return g_map(c, CONF_IOVA + CONF_LEN / 2, CONF_LEN); }
static int g_unmap_sub(struct conf_ctx *c) { return g_unmap(c, CONF_IOVA, CONF_PAGE); }
static int g_unmap_none(struct conf_ctx *c) { return g_unmap(c, CONF_FAR_IOVA, CONF_PAGE); }
static int g_unmap_all(struct conf_ctx *c) { return g_unmap(c, CONF_IOVA, CONF_LEN); }
/* two adjacent mappings, as EAL pages are mapped: the halves of CONF_LEN */
static int g_map_lo(struct conf_ctx *c) { return g_map(c, CONF_IOVA, CONF_LEN / 2); }
static int g_map_hi(struct conf_ctx *c) { return g_map(c, CONF_IOVA + CONF_LEN / 2, CONF_LEN / 2); }
static int g_unmap_cut(struct conf_ctx *c) { return g_unmap(c, CONF_IOVA, CONF_LEN / 2 + CONF_PAGE); }

/* ---- cdev backend ------------------------------------------------------- */

static int
c_open_iommufd(struct conf_ctx *c)
{
	return open_node("/dev/iommu", &c->container);
}

static int
c_ioas_alloc(struct conf_ctx *c)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	if (ioctl(c->container, IOMMU_IOAS_ALLOC, &a) != 0)
		return -errno;
	c->ioas = a.out_ioas_id;
	return 0;
}

static int
c_open_device(struct conf_ctx *c)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/devices/%svfio%d",
		c->mode == CONF_MODE_NOIOMMU_CDEV ? "noiommu-" : "", c->num);
	return open_node(path, &c->device);
}

static int
c_bind(struct conf_ctx *c, uint32_t flags)
{
	static const uint8_t token[16] = { 1, 2, 3, 4 };
	struct vfio_device_bind_iommufd b = {
		.argsz = sizeof(b),
		.flags = flags,
		.iommufd = c->container,
		.token_uuid_ptr = (uintptr_t)token,
	};

	if (flags == 0)
		b.argsz = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
	return sys_ret(ioctl(c->device, VFIO_DEVICE_BIND_IOMMUFD, &b));
}

/* 6.12 knows no bind flag: the VF-token flag is refused. */
static int c_bind_token(struct conf_ctx *c) { return c_bind(c, VFIO_DEVICE_BIND_FLAG_TOKEN); }
static int c_bind_plain(struct conf_ctx *c) { return c_bind(c, 0); }

static int
c_attach(struct conf_ctx *c)
{
	struct vfio_device_attach_iommufd_pt a = {
		.argsz = sizeof(a), .pt_id = c->ioas,
	};

	return sys_ret(ioctl(c->device, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a));
}

static int
c_map(struct conf_ctx *c, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = c->ioas,
		.user_va = (uintptr_t)c->buf + (iova - CONF_IOVA) % CONF_LEN,
		.length = len,
		.iova = iova,
	};

	return sys_ret(ioctl(c->container, IOMMU_IOAS_MAP, &m));
}

static int
c_unmap(struct conf_ctx *c, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u), .ioas_id = c->ioas, .iova = iova, .length = len,
	};
	int ret = sys_ret(ioctl(c->container, IOMMU_IOAS_UNMAP, &u));

	c->out = ret == 0 ? u.length : 0;
	return ret;
}

/* no-IOMMU cdev: the physical address behind an IOVA (Linux 7.3) */
static int
c_get_pa(struct conf_ctx *c, uint64_t iova, uint64_t len, uint32_t flags)
{
	struct iommu_ioas_noiommu_get_pa q = {
		.size = sizeof(q), .flags = flags, .ioas_id = c->ioas,
		.iova = iova, .length = len,
	};
	int ret = sys_ret(ioctl(c->container, IOMMU_IOAS_NOIOMMU_GET_PA, &q));

	/* the answer: at least the first page, at a non-zero address */
	c->out = ret == 0 && q.length >= CONF_PAGE && q.length <= len &&
		q.out_phys != 0;
	return ret;
}

static int
c_close_device(struct conf_ctx *c)
{
	int ret = sys_ret(close(c->device));

	c->device = -1;
	return ret;
}

static int c_get_pa_mapped(struct conf_ctx *c) { return c_get_pa(c, CONF_IOVA, CONF_LEN, 0); }
static int c_get_pa_len0(struct conf_ctx *c) { return c_get_pa(c, CONF_IOVA, 0, 0); }
static int c_get_pa_flags(struct conf_ctx *c) { return c_get_pa(c, CONF_IOVA, CONF_LEN, 1); }
static int c_get_pa_far(struct conf_ctx *c) { return c_get_pa(c, CONF_FAR_IOVA, CONF_PAGE, 0); }
static int c_get_pa_ulong(struct conf_ctx *c) { return c_get_pa(c, UINT64_MAX, CONF_PAGE, 0); }
static int c_map_first(struct conf_ctx *c) { return c_map(c, CONF_IOVA, CONF_LEN); }
static int c_map_overlap(struct conf_ctx *c) { return c_map(c, CONF_IOVA + CONF_LEN / 2, CONF_LEN); }
static int c_unmap_sub(struct conf_ctx *c) { return c_unmap(c, CONF_IOVA, CONF_PAGE); }
static int c_unmap_none(struct conf_ctx *c) { return c_unmap(c, CONF_FAR_IOVA, CONF_PAGE); }
static int c_unmap_all(struct conf_ctx *c) { return c_unmap(c, CONF_IOVA, CONF_LEN); }
static int c_map_lo(struct conf_ctx *c) { return c_map(c, CONF_IOVA, CONF_LEN / 2); }
static int c_map_hi(struct conf_ctx *c) { return c_map(c, CONF_IOVA + CONF_LEN / 2, CONF_LEN / 2); }
static int c_unmap_cut(struct conf_ctx *c) { return c_unmap(c, CONF_IOVA, CONF_LEN / 2 + CONF_PAGE); }

/* ---- the scenario lists: what the kernel answers ------------------------- */

#define OUT(v) 1, (v)
#define STEPS_END { NULL, NULL, 0, 0, 0 }

static const struct conf_step group_steps[] = {
	{ "open /dev/vfio/vfio", g_open_container, 0, 0, 0 },
	{ "VFIO_GET_API_VERSION is 0", g_api_version, 0, OUT(VFIO_API_VERSION) },
	{ "open the group node", g_open_group, 0, 0, 0 },
	{ "group is viable", g_viable, 0, OUT(1) },
	{ "VFIO_GROUP_SET_CONTAINER", g_set_container, 0, 0, 0 },
	{ "VFIO_SET_IOMMU type1v2", g_set_iommu, 0, 0, 0 },
	{ "GET_DEVICE_FD with a VF token, not a PF/VF", g_get_device_token, -EINVAL, 0, 0 },
	{ "GET_DEVICE_FD (open)", g_get_device, 0, 0, 0 },
	{ "MAP_DMA 64 KiB", g_map_first, 0, 0, 0 },
	{ "MAP_DMA overlapping", g_map_overlap, -EEXIST, 0, 0 },
	{ "UNMAP_DMA of a sub-range (struct untouched)", g_unmap_sub, -EINVAL, OUT(CONF_PAGE) },
	{ "UNMAP_DMA of nothing succeeds, size 0", g_unmap_none, 0, OUT(0) },
	{ "UNMAP_DMA of the whole mapping", g_unmap_all, 0, OUT(CONF_LEN) },
	{ "MAP_DMA a first half", g_map_lo, 0, 0, 0 },
	{ "MAP_DMA the adjacent second half (not merged)", g_map_hi, 0, 0, 0 },
	{ "UNMAP_DMA of the first and a part of the second refuses (nothing unmapped)", g_unmap_cut, -EINVAL, 0, 0 },
	{ "UNMAP_DMA of both whole mappings in one call", g_unmap_all, 0, OUT(CONF_LEN) },
	STEPS_END
};

static const struct conf_step noiommu_steps[] = {
	{ "open /dev/vfio/vfio", g_open_container, 0, 0, 0 },
	{ "open the noiommu group node", g_open_group, 0, 0, 0 },
	{ "group is viable", g_viable, 0, OUT(1) },
	{ "VFIO_GROUP_SET_CONTAINER", g_set_container, 0, 0, 0 },
	{ "VFIO_SET_IOMMU no-IOMMU", g_set_iommu, 0, 0, 0 },
	{ "GET_DEVICE_FD with a VF token, not a PF/VF", g_get_device_token, -EINVAL, 0, 0 },
	{ "GET_DEVICE_FD (open)", g_get_device, 0, 0, 0 },
	{ "MAP_DMA is not a no-IOMMU ioctl", g_map_first, -ENOTTY, 0, 0 },
	{ "UNMAP_DMA is not a no-IOMMU ioctl", g_unmap_none, -ENOTTY, 0, 0 },
	STEPS_END
};

static const struct conf_step cdev_steps[] = {
	{ "open /dev/iommu", c_open_iommufd, 0, 0, 0 },
	{ "IOMMU_IOAS_ALLOC", c_ioas_alloc, 0, 0, 0 },
	{ "IOAS_MAP before any device is attached", c_map_first, 0, 0, 0 },
	{ "IOAS_UNMAP it again", c_unmap_all, 0, OUT(CONF_LEN) },
	{ "open the device cdev", c_open_device, 0, 0, 0 },
	{ "BIND_IOMMUFD with a VF token, not a PF/VF", c_bind_token, -EINVAL, 0, 0 },
	{ "BIND_IOMMUFD", c_bind_plain, 0, 0, 0 },
	{ "ATTACH_IOMMUFD_PT to the IOAS", c_attach, 0, 0, 0 },
	{ "IOAS_MAP 64 KiB", c_map_first, 0, 0, 0 },
	{ "IOAS_MAP overlapping", c_map_overlap, -EEXIST, 0, 0 },
	{ "IOAS_UNMAP of a sub-range cannot split", c_unmap_sub, -ENOENT, 0, 0 },
	{ "IOAS_UNMAP of nothing", c_unmap_none, -ENOENT, 0, 0 },
	{ "IOAS_UNMAP of the whole area", c_unmap_all, 0, OUT(CONF_LEN) },
	{ "IOAS_MAP a first half", c_map_lo, 0, 0, 0 },
	{ "IOAS_MAP the adjacent second half (not merged)", c_map_hi, 0, 0, 0 },
	{ "IOAS_UNMAP of the first and a part of the second: the first goes, then ENOENT", c_unmap_cut, -ENOENT, 0, 0 },
	{ "IOAS_UNMAP of both halves: only the second was left", c_unmap_all, 0, OUT(CONF_LEN / 2) },
	{ "IOAS_MAP a first half again", c_map_lo, 0, 0, 0 },
	{ "IOAS_MAP the second half again", c_map_hi, 0, 0, 0 },
	{ "IOAS_UNMAP of both whole areas in one call", c_unmap_all, 0, OUT(CONF_LEN) },
	STEPS_END
};

/* Linux 7.3: GET_PA answers only while a device is attached (it pins) */
static const struct conf_step noiommu_cdev_steps[] = {
	{ "open /dev/iommu", c_open_iommufd, 0, 0, 0 },
	{ "IOMMU_IOAS_ALLOC", c_ioas_alloc, 0, 0, 0 },
	{ "IOAS_MAP before any device is attached", c_map_first, 0, 0, 0 },
	{ "GET_PA length 0", c_get_pa_len0, -EINVAL, 0, 0 },
	{ "GET_PA with a flag set", c_get_pa_flags, -EOPNOTSUPP, 0, 0 },
	{ "GET_PA of an IOVA past ULONG_MAX", c_get_pa_ulong, -EOVERFLOW, 0, 0 },
	{ "GET_PA of an unmapped IOVA", c_get_pa_far, -ENOENT, 0, 0 },
	{ "GET_PA before any device is attached", c_get_pa_mapped, -EOPNOTSUPP, 0, 0 },
	{ "open the no-IOMMU device cdev", c_open_device, 0, 0, 0 },
	{ "BIND_IOMMUFD with a VF token, not a PF/VF", c_bind_token, -EINVAL, 0, 0 },
	{ "BIND_IOMMUFD", c_bind_plain, 0, 0, 0 },
	{ "ATTACH_IOMMUFD_PT to the IOAS", c_attach, 0, 0, 0 },
	{ "GET_PA once attached (pinned)", c_get_pa_mapped, 0, OUT(1) },
	{ "IOAS_MAP overlapping", c_map_overlap, -EEXIST, 0, 0 },
	{ "IOAS_UNMAP of a sub-range cannot split", c_unmap_sub, -ENOENT, 0, 0 },
	{ "close the device (detaches)", c_close_device, 0, 0, 0 },
	{ "GET_PA after the last device went", c_get_pa_mapped, -EOPNOTSUPP, 0, 0 },
	{ "IOAS_UNMAP of the whole area", c_unmap_all, 0, OUT(CONF_LEN) },
	{ "GET_PA once unmapped", c_get_pa_mapped, -ENOENT, 0, 0 },
	STEPS_END
};

static const struct {
	const char *name;
	const struct conf_step *steps;
	const char *link;     /* sysfs entry giving the number */
} modes[] = {
	[CONF_MODE_GROUP] = { "group", group_steps, "iommu_group" },
	[CONF_MODE_NOIOMMU] = { "noiommu", noiommu_steps, "iommu_group" },
	[CONF_MODE_CDEV] = { "cdev", cdev_steps, "vfio-dev" },
	[CONF_MODE_NOIOMMU_CDEV] = { "noiommu-cdev", noiommu_cdev_steps, "vfio-dev" },
};

int
conf_mode_parse(const char *name, enum conf_mode *mode)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(name, modes[i].name) == 0) {
			*mode = (enum conf_mode)i;
			return 0;
		}
	}
	return -1;
}

/* Group number from the iommu_group link, or N of vfio-dev/[noiommu-]vfio<N>. */
static int
find_number(struct conf_ctx *c, const char *sysfs_devices, const char *link)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	const char *p;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s/%s", sysfs_devices, c->addr, link);
	if (strcmp(link, "iommu_group") == 0) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			return -1;
		target[n] = '\0';
		p = strrchr(target, '/');
		c->num = atoi(p != NULL ? p + 1 : target);
		return 0;
	}
	d = opendir(path);
	if (d == NULL)
		return -1;
	c->num = -1;
	while ((e = readdir(d)) != NULL) {
		p = e->d_name;
		if (strncmp(p, "noiommu-", 8) == 0)
			p += 8;
		if (strncmp(p, "vfio", 4) == 0 && p[4] >= '0' && p[4] <= '9')
			c->num = atoi(p + 4);
	}
	closedir(d);
	return c->num < 0 ? -1 : 0;
}

static void
ctx_close(struct conf_ctx *c)
{
	if (c->device >= 0)
		close(c->device);
	if (c->group >= 0)
		close(c->group);
	if (c->container >= 0)
		close(c->container);
	free(c->buf);
}

int
conf_run(enum conf_mode mode, const char *sysfs_devices, const char *addr)
{
	struct conf_ctx c = { .mode = mode, .container = -1, .group = -1,
		.device = -1 };
	const struct conf_step *s;
	int mismatches = 0;

	snprintf(c.addr, sizeof(c.addr), "%s", addr);
	if (find_number(&c, sysfs_devices, modes[mode].link) != 0) {
		printf("conformance: %s/%s has no %s entry: not bound to vfio-pci?\n",
			sysfs_devices, addr, modes[mode].link);
		return -1;
	}
	if (posix_memalign(&c.buf, CONF_PAGE, CONF_LEN) != 0)
		return -1;
	memset(c.buf, 0, CONF_LEN);
	printf("conformance: mode %s, device %s, number %d\n",
		modes[mode].name, addr, c.num);
	for (s = modes[mode].steps; s->name != NULL; s++) {
		int got;
		int ok;

		c.out = 0;
		got = s->fn(&c);
		ok = got == s->expect && (!s->check_out || c.out == s->out);
		printf("  %-48s expect %-8s got %-8s%s\n", s->name,
			s->expect == 0 ? "ok" : strerrorname_np(-s->expect),
			got == 0 ? "ok" : strerrorname_np(-got),
			ok ? "" : "  <-- differs from the kernel");
		if (s->check_out && c.out != s->out)
			printf("  %-48s expect value %#llx got %#llx\n", "",
				(unsigned long long)s->out,
				(unsigned long long)c.out);
		if (!ok)
			mismatches++;
	}
	ctx_close(&c);
	return mismatches;
}
