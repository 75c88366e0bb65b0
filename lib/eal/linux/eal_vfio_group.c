/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Group backend: /dev/vfio/vfio containers and /dev/vfio/<N> (or
 * noiommu-<N>) groups. The IOMMU types are rows of a table; the first
 * group joining a container sets its IOMMU, the last one leaving drops the
 * kernel context (the front end then replays the mappings on the next).
 * Only kernel calls here, no bookkeeping.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_sysfs.h>
#include <rte_uuid.h>

#include "eal_log.h"
#include "eal_vfio.h"
#include "eal_vfio_holder.h"

/* sPAPR DMA window: covers user-space virtual addresses (IOVA as VA) */
#define SPAPR_WINDOW_SIZE (UINT64_C(1) << 47)
#define SPAPR_WINDOW_LEVELS 1
/* guard against a capability chain that loops */
#define CAP_CHAIN_MAX 64

struct vfio_group {
	TAILQ_ENTRY(vfio_group) next;
	int num;
	int fd;
	unsigned int refs; /* devices open through it */
};

TAILQ_HEAD(vfio_group_list, vfio_group);

/* per container */
struct group_container {
	struct vfio_container c; /* the front end's part */
	struct vfio_group_list groups;
	bool iommu_set;   /* VFIO_SET_IOMMU done: the kernel context exists */
};

struct iommu_type;

/* IOMMU types are data: preference order, what each can do */
struct iommu_type {
	int type;
	const char *name;
	bool noiommu;       /* no translation: mappings are bookkeeping only */
	uint32_t caps;      /* VFIO_CAP_* of its containers */
	/* after VFIO_SET_IOMMU: sets the IOVA ranges */
	enum vfio_result (*init)(struct vfio_container *c);
	/* the backend's dma_map/dma_unmap while this type is in use */
	enum vfio_result (*map)(struct vfio_container *c, uint64_t va,
		uint64_t iova, uint64_t len);
	enum vfio_result (*unmap)(struct vfio_container *c, uint64_t va,
		uint64_t iova, uint64_t len);
};

static struct group_backend {
	struct vfio_backend_ops ops;
	bool noiommu;
	const struct iommu_type *type; /* chosen by probe or by the primary */
} group_backend;

/* every container slot, with the group state of it */
static struct group_container group_containers[RTE_MAX_VFIO_CONTAINERS];

static inline struct group_container *
to_group_container(const struct vfio_container *c)
{
	return container_of(c, struct group_container, c);
}

static struct vfio_container *
group_container_slot(unsigned int index)
{
	return &group_containers[index].c;
}

/* ---- type1 ---------------------------------------------------------------- */

/* usable IOVA windows; room is what the kernel gave from this capability */
static void
cap_iova_range(struct vfio_container *c, const void *cap, size_t room)
{
	const struct vfio_iommu_type1_info_cap_iova_range *cr = cap;
	size_t bytes = (size_t)cr->nr_iovas * sizeof(cr->iova_ranges[0]);
	struct vfio_window *w;
	uint32_t i;

	if (sizeof(*cr) + bytes > room)
		return;
	w = calloc(cr->nr_iovas > 0 ? cr->nr_iovas : 1, sizeof(*w));
	if (w == NULL) {
		vfio_windows_forget(c);
		return; /* no check then: the kernel still refuses bad IOVAs */
	}
	for (i = 0; i < cr->nr_iovas; i++) {
		w[i].start = cr->iova_ranges[i].start;
		w[i].last = cr->iova_ranges[i].end;
	}
	vfio_windows_set(c, w, cr->nr_iovas);
}

static void
cap_dma_avail(struct vfio_container *c __rte_unused, const void *cap,
		size_t room __rte_unused)
{
	const struct vfio_iommu_type1_info_dma_avail *a = cap;

	EAL_LOG(DEBUG, "VFIO: type1 accepts %u more DMA mappings (dma_entry_limit)",
		a->avail);
}

/* the type1 capabilities we read */
static const struct {
	uint16_t id;
	size_t size;
	void (*parse)(struct vfio_container *c, const void *cap, size_t room);
} type1_caps[] = {
	{ VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
		sizeof(struct vfio_iommu_type1_info_cap_iova_range),
		cap_iova_range },
	{ VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
		sizeof(struct vfio_iommu_type1_info_dma_avail), cap_dma_avail },
};

static void
type1_parse_caps(struct vfio_container *c,
		const struct vfio_iommu_type1_info *info, size_t sz)
{
	uint32_t off = info->cap_offset;
	unsigned int i;
	int n;

	for (n = 0; off != 0 && n < CAP_CHAIN_MAX; n++) {
		const struct vfio_info_cap_header *h;

		if (off + sizeof(*h) > sz)
			return;
		h = (const void *)((const char *)info + off);
		for (i = 0; i < RTE_DIM(type1_caps); i++)
			if (h->id == type1_caps[i].id &&
					off + type1_caps[i].size <= sz)
				type1_caps[i].parse(c, h, sz - off);
		off = h->next;
	}
}

static enum vfio_result
type1_init(struct vfio_container *c)
{
	struct vfio_iommu_type1_info *info, *bigger;
	size_t sz = sizeof(*info);
	enum vfio_result r = VFIO_OK;

	info = calloc(1, sz);
	if (info == NULL)
		return VFIO_NO_MEMORY;
	info->argsz = sz;
	if (ioctl(c->fd, VFIO_IOMMU_GET_INFO, info) != 0) {
		r = vfio_kernel_error("VFIO_IOMMU_GET_INFO", "container", errno);
		goto out;
	}
	if (info->argsz > sz) {
		/* the capability chain did not fit: ask again with room */
		sz = info->argsz;
		bigger = realloc(info, sz);
		if (bigger == NULL) {
			r = VFIO_NO_MEMORY;
			goto out;
		}
		info = bigger;
		memset(info, 0, sz);
		info->argsz = sz;
		if (ioctl(c->fd, VFIO_IOMMU_GET_INFO, info) != 0) {
			r = vfio_kernel_error("VFIO_IOMMU_GET_INFO", "container",
				errno);
			goto out;
		}
	}
	if ((info->flags & VFIO_IOMMU_INFO_CAPS) != 0)
		type1_parse_caps(c, info, RTE_MIN(sz, (size_t)info->argsz));
out:
	free(info);
	return r;
}

static enum vfio_result
type1_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = va,
		.iova = iova,
		.size = len,
	};

	if (ioctl(c->fd, VFIO_IOMMU_MAP_DMA, &m) == 0)
		return VFIO_OK;
	if (errno == ENOSPC) {
		EAL_LOG(ERR, "VFIO: VFIO_IOMMU_MAP_DMA iova 0x%" PRIx64 ": the type1 DMA entry limit is reached (vfio_iommu_type1 dma_entry_limit)",
			iova);
		return VFIO_NO_SPACE;
	}
	EAL_LOG(ERR, "VFIO: VFIO_IOMMU_MAP_DMA va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64 " failed: %s", va, iova, len, strerror(errno));
	return vfio_result_from_errno(errno);
}

static enum vfio_result
type1_unmap(struct vfio_container *c, uint64_t va __rte_unused,
		uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = len,
	};

	if (ioctl(c->fd, VFIO_IOMMU_UNMAP_DMA, &u) != 0) {
		EAL_LOG(ERR, "VFIO: VFIO_IOMMU_UNMAP_DMA iova 0x%" PRIx64
			" len 0x%" PRIx64 " failed: %s", iova, len,
			strerror(errno));
		return vfio_result_from_unmap_errno(errno);
	}
	if (u.size != len) {
		EAL_LOG(ERR, "VFIO: VFIO_IOMMU_UNMAP_DMA iova 0x%" PRIx64
			" unmapped 0x%llx bytes instead of 0x%" PRIx64, iova,
			(unsigned long long)u.size, len);
		return VFIO_KERNEL_ERROR;
	}
	return VFIO_OK;
}

/* ---- sPAPR TCE v2 --------------------------------------------------------- */

static enum vfio_result
spapr_init(struct vfio_container *c)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_tce_remove rm = { .argsz = sizeof(rm) };
	struct vfio_iommu_spapr_tce_create cr = { .argsz = sizeof(cr) };
	long pg = sysconf(_SC_PAGESIZE);
	struct vfio_window *w;

	if (ioctl(c->fd, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) != 0)
		return vfio_kernel_error("VFIO_IOMMU_SPAPR_TCE_GET_INFO",
			"container", errno);
	/* replace the 32-bit default window by one covering our IOVAs */
	rm.start_addr = info.dma32_window_start;
	if (ioctl(c->fd, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm) != 0)
		return vfio_kernel_error("VFIO_IOMMU_SPAPR_TCE_REMOVE", "container",
			errno);
	cr.page_shift = __builtin_ctzl((unsigned long)pg);
	cr.window_size = SPAPR_WINDOW_SIZE;
	cr.levels = SPAPR_WINDOW_LEVELS;
	if (ioctl(c->fd, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr) != 0)
		return vfio_kernel_error("VFIO_IOMMU_SPAPR_TCE_CREATE", "container",
			errno);
	if (cr.start_addr != 0) {
		EAL_LOG(ERR, "VFIO: sPAPR DMA window starts at 0x%llx, not 0",
			(unsigned long long)cr.start_addr);
		return VFIO_UNSUPPORTED;
	}
	/* mappings are checked against the window like type1 ranges */
	w = malloc(sizeof(*w));
	if (w == NULL)
		return VFIO_NO_MEMORY;
	w->start = 0;
	w->last = SPAPR_WINDOW_SIZE - 1;
	vfio_windows_set(c, w, 1);
	return VFIO_OK;
}

static enum vfio_result
spapr_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = va, .size = len,
	};
	enum vfio_result r;

	if (ioctl(c->fd, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg) != 0)
		return vfio_kernel_error("VFIO_IOMMU_SPAPR_REGISTER_MEMORY",
			"container", errno);
	r = type1_map(c, va, iova, len);
	if (r != VFIO_OK)
		ioctl(c->fd, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg);
	return r;
}

static enum vfio_result
spapr_unmap(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg), .vaddr = va, .size = len,
	};
	enum vfio_result r = type1_unmap(c, va, iova, len);

	/* whole mappings only: the registered area is exactly this one */
	if (r == VFIO_OK &&
			ioctl(c->fd, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg) != 0)
		EAL_LOG(ERR, "VFIO: sPAPR memory 0x%" PRIx64 " stays registered: %s",
			va, strerror(errno));
	return r;
}

/* ---- no-IOMMU: nothing to map, the IOVA is the physical address --------- */

static enum vfio_result
noiommu_dma(struct vfio_container *c __rte_unused, uint64_t va __rte_unused,
		uint64_t iova __rte_unused, uint64_t len __rte_unused)
{
	return VFIO_OK;
}

#define TYPE1_CAPS (VFIO_CAP_TRANSLATION | VFIO_CAP_GROUPS | \
	VFIO_CAP_MAPS_EAL_MEMORY)

static const struct iommu_type iommu_types[] = {
	{ VFIO_TYPE1v2_IOMMU, "type1v2", false, TYPE1_CAPS, type1_init,
		type1_map, type1_unmap },
	{ VFIO_TYPE1_IOMMU, "type1", false, TYPE1_CAPS, type1_init,
		type1_map, type1_unmap },
	/*
	 * sPAPR clears any part of a window, but memory is pre-registered per
	 * mapping and a registration can only be undone whole: whole
	 * mappings only, like type1.
	 */
	{ VFIO_SPAPR_TCE_v2_IOMMU, "sPAPR TCE v2", false, TYPE1_CAPS,
		spapr_init, spapr_map, spapr_unmap },
	{ VFIO_NOIOMMU_IOMMU, "none (no-IOMMU)", true,
		VFIO_CAP_GROUPS | VFIO_CAP_PARTIAL_UNMAP, NULL,
		noiommu_dma, noiommu_dma },
};

static const struct iommu_type *
iommu_types_find(int type)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(iommu_types); i++)
		if (iommu_types[i].type == type)
			return &iommu_types[i];
	return NULL;
}

/* ---- backend selection ---------------------------------------------------- */

static enum vfio_result
group_probe(bool noiommu, char *why, size_t len)
{
	unsigned int i;
	int fd, ver;

	group_backend.type = NULL;
	fd = open(VFIO_CONTAINER_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vfio_open_error(VFIO_CONTAINER_PATH, errno, why, len);
	ver = ioctl(fd, VFIO_GET_API_VERSION);
	if (ver != VFIO_API_VERSION) {
		snprintf(why, len, "%s: VFIO API version %d, expected %d",
			VFIO_CONTAINER_PATH, ver, VFIO_API_VERSION);
		close(fd);
		return VFIO_NOT_MANAGED;
	}
	for (i = 0; i < RTE_DIM(iommu_types); i++) {
		if (iommu_types[i].noiommu != noiommu)
			continue;
		if (ioctl(fd, VFIO_CHECK_EXTENSION, iommu_types[i].type) > 0) {
			group_backend.type = &iommu_types[i];
			break;
		}
	}
	close(fd);
	if (group_backend.type == NULL) {
		snprintf(why, len, noiommu ?
			"%s does not offer the no-IOMMU type" :
			"%s offers no supported IOMMU type (type1v2, type1, sPAPR TCE v2)",
			VFIO_CONTAINER_PATH);
		return VFIO_NOT_MANAGED;
	}
	return VFIO_OK;
}

/* the kernel calls of type t become the backend's, once */
static void
type_use(const struct iommu_type *t)
{
	group_backend.type = t;
	group_backend.ops.dma_map = t != NULL ? t->map : NULL;
	group_backend.ops.dma_unmap = t != NULL ? t->unmap : NULL;
}

static enum vfio_result
group_setup(bool noiommu)
{
	group_backend.noiommu = noiommu;
	/* a secondary learns the type when it adopts the container */
	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return VFIO_OK;
	if (group_backend.type == NULL)
		return VFIO_NOT_MANAGED;
	type_use(group_backend.type);
	return VFIO_OK;
}

static void
group_teardown(void)
{
	type_use(NULL);
	group_backend.noiommu = false;
}

static const char *
group_iommu_name(void)
{
	return group_backend.type != NULL ? group_backend.type->name : "none";
}

/* IOMMU group number from the device's iommu_group link */
static enum vfio_result
group_device_num(const char *sysfs_base, const char *addr, int *num)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s/iommu_group", sysfs_base,
			addr) >= (int)sizeof(path))
		return VFIO_INVALID;
	if (rte_sysfs_link_num(path, num) == 0)
		return VFIO_OK;
	/* a target that is not the kernel's <N> was logged already */
	if (rte_errno != EINVAL && rte_errno != ENAMETOOLONG)
		EAL_LOG(INFO, "VFIO: %s has no IOMMU group (%s): not bound to VFIO",
			addr, strerror(rte_errno));
	return VFIO_NOT_MANAGED;
}

/* ---- containers ----------------------------------------------------------- */

static enum vfio_result
container_init(struct vfio_container *c, int fd)
{
	struct group_container *gc = to_group_container(c);

	TAILQ_INIT(&gc->groups);
	gc->iommu_set = false;
	c->fd = fd;
	c->caps = group_backend.type->caps;
	c->kernel_context = false; /* until the first group sets the IOMMU */
	return VFIO_OK;
}

static enum vfio_result
group_container_open(struct vfio_container *c)
{
	enum vfio_result r;
	int fd;

	fd = open(VFIO_CONTAINER_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vfio_kernel_error("open", VFIO_CONTAINER_PATH, errno);
	r = container_init(c, fd);
	if (r != VFIO_OK)
		close(fd);
	return r;
}

/* the primary set the IOMMU: exported is its type */
static enum vfio_result
group_container_adopt(struct vfio_container *c, int fd, int64_t exported)
{
	const struct iommu_type *t = iommu_types_find((int)exported);
	enum vfio_result r;

	if (t == NULL) {
		EAL_LOG(ERR, "VFIO: the primary uses unknown IOMMU type %" PRId64,
			exported);
		return VFIO_KERNEL_ERROR;
	}
	type_use(t);
	r = container_init(c, fd);
	c->kernel_context = true; /* the primary set the IOMMU */
	return r;
}

static int64_t
group_container_export(const struct vfio_container *c __rte_unused)
{
	return group_backend.type != NULL ? group_backend.type->type : -1;
}

static void
group_container_close(struct vfio_container *c)
{
	struct group_container *gc = to_group_container(c);
	struct vfio_group *g;

	/* groups leave with their last device; be safe anyway */
	while ((g = TAILQ_FIRST(&gc->groups)) != NULL) {
		TAILQ_REMOVE(&gc->groups, g, next);
		close(g->fd);
		free(g);
	}
	close(c->fd);
	gc->iommu_set = false;
}

/* the group is open elsewhere: say by whom when /proc shows it */
static enum vfio_result
group_busy(const struct vfio_device *d, const char *path)
{
	char holder[128];

	if (vfio_holder_describe(VFIO_HOLDER_PROC, d->sysfs_base, d->addr,
			holder, sizeof(holder)) == VFIO_HOLDER_NONE)
		snprintf(holder, sizeof(holder),
			"held by another process (not visible to this user)");
	EAL_LOG(ERR, "VFIO: %s: open %s failed: %s: %s", d->addr, path,
		strerror(EBUSY), holder);
	return vfio_result_from_errno(EBUSY);
}

/* the members of the device's group that make it not viable, in words */
static int
group_explain(const struct vfio_device *d, char *why, size_t len)
{
	char dir[PATH_MAX];

	if (vfio_sysfs_path(dir, sizeof(dir), "/sys/kernel/iommu_groups") != 0)
		return -1;
	return vfio_group_explain(dir, d->node_num, d->addr, why, len);
}

/* open a group and attach it to c; the first one sets the IOMMU */
static enum vfio_result
group_attach(struct vfio_container *c, struct group_container *gc,
		const struct vfio_device *d, int *out_fd, bool *new_context)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	const struct iommu_type *t = group_backend.type;
	char path[PATH_MAX], obj[32], why[512];
	int fd, num = d->node_num;
	enum vfio_result r;

	snprintf(obj, sizeof(obj), "group %d", num);
	snprintf(path, sizeof(path), group_backend.noiommu ?
		VFIO_NOIOMMU_GROUP_PATH_FMT : VFIO_GROUP_PATH_FMT, num);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			EAL_LOG(INFO, "VFIO: %s missing: group not bound to VFIO",
				path);
			return VFIO_NOT_MANAGED;
		}
		if (errno == EBUSY)
			return group_busy(d, path);
		return vfio_kernel_error("open", path, errno);
	}
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st) != 0) {
		r = vfio_kernel_error("VFIO_GROUP_GET_STATUS", obj, errno);
		goto close_fd;
	}
	if ((st.flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
		if (group_explain(d, why, sizeof(why)) > 0)
			EAL_LOG(ERR, "VFIO: %s: %s", d->addr, why);
		else
			EAL_LOG(ERR, "VFIO: %s: %s is not viable: bind every device of the group to vfio-pci",
				d->addr, obj);
		r = VFIO_KERNEL_ERROR;
		goto close_fd;
	}
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &c->fd) != 0) {
		r = vfio_kernel_error("VFIO_GROUP_SET_CONTAINER", obj, errno);
		goto close_fd;
	}
	if (!gc->iommu_set && !c->adopted) {
		if (ioctl(c->fd, VFIO_SET_IOMMU, t->type) != 0) {
			r = vfio_kernel_error("VFIO_SET_IOMMU", obj, errno);
			goto close_fd;
		}
		if (t->init != NULL) {
			r = t->init(c);
			if (r != VFIO_OK)
				goto close_fd; /* closing unsets the container */
		}
		gc->iommu_set = true;
		*new_context = true;
	}
	*out_fd = fd;
	return VFIO_OK;
close_fd:
	close(fd);
	return r;
}

static struct vfio_group *
group_find(const struct group_container *gc, int num)
{
	struct vfio_group *g;

	TAILQ_FOREACH(g, &gc->groups, next)
		if (g->num == num)
			return g;
	return NULL;
}

/* shared_fd: the primary's group fd (adopted container), -1 otherwise */
static enum vfio_result
group_get(struct vfio_container *c, const struct vfio_device *d,
		int shared_fd, struct vfio_group **out, bool *new_context)
{
	struct group_container *gc = to_group_container(c);
	int num = d->node_num;
	struct vfio_group *g = group_find(gc, num);
	enum vfio_result r = VFIO_OK;
	int fd = shared_fd;

	if (g != NULL) {
		if (shared_fd >= 0)
			close(shared_fd);
		g->refs++;
		*out = g;
		return VFIO_OK;
	}
	if (c->adopted && fd < 0) {
		/* only the primary may open a group: it hands its fd over */
		EAL_LOG(ERR, "VFIO: group %d is not open in the primary process",
			num);
		return VFIO_NOT_MANAGED;
	}
	if (!c->adopted)
		r = group_attach(c, gc, d, &fd, new_context);
	if (r != VFIO_OK)
		return r;
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		close(fd);
		return VFIO_NO_MEMORY;
	}
	g->num = num;
	g->fd = fd;
	g->refs = 1;
	TAILQ_INSERT_TAIL(&gc->groups, g, next);
	*out = g;
	return VFIO_OK;
}

/* returns true when the last group left: the kernel context is gone */
static bool
group_put(struct vfio_container *c, struct vfio_group *g)
{
	struct group_container *gc = to_group_container(c);

	if (--g->refs > 0)
		return false;
	TAILQ_REMOVE(&gc->groups, g, next);
	/* closing detaches it; the last one takes the IOMMU context along */
	close(g->fd);
	free(g);
	if (!TAILQ_EMPTY(&gc->groups) || c->adopted)
		return false;
	gc->iommu_set = false;
	return true;
}

/* ---- devices -------------------------------------------------------------- */

static enum vfio_result
group_device_open(struct vfio_container *c, struct vfio_device *d,
		int shared_fd, bool *new_context)
{
	char name[RTE_DEV_NAME_MAX_LEN + sizeof(" vf_token=") + RTE_UUID_STRLEN];
	struct vfio_group *g;
	enum vfio_result r;
	rte_uuid_t token;
	int fd;

	*new_context = false;
	r = group_get(c, d, shared_fd, &g, new_context);
	if (r != VFIO_OK)
		return r;
	memset(token, 0, sizeof(token));
	if (d->vf_token)
		rte_eal_vfio_get_vf_token(token);
	if (rte_uuid_is_null(token)) {
		snprintf(name, sizeof(name), "%s", d->addr);
	} else {
		char uuid[RTE_UUID_STRLEN];

		rte_uuid_unparse(token, uuid, sizeof(uuid));
		snprintf(name, sizeof(name), "%s vf_token=%s", d->addr, uuid);
	}
	fd = ioctl(g->fd, VFIO_GROUP_GET_DEVICE_FD, name);
	if (fd < 0) {
		if (errno == EACCES && !rte_uuid_is_null(token))
			EAL_LOG(ERR, "VFIO: %s: VFIO_GROUP_GET_DEVICE_FD refused the VF token: %s",
				d->addr, strerror(errno));
		else if (errno == EACCES)
			EAL_LOG(ERR, "VFIO: %s: VFIO_GROUP_GET_DEVICE_FD failed: %s (a VF of a PF bound to vfio-pci needs --vfio-vf-token)",
				d->addr, strerror(errno));
		else
			EAL_LOG(ERR, "VFIO: %s: VFIO_GROUP_GET_DEVICE_FD failed: %s",
				d->addr, strerror(errno));
		r = vfio_result_from_errno(errno);
		/* a context made for this device only goes with it */
		if (group_put(c, g)) {
			*new_context = false;
			vfio_windows_forget(c);
		}
		return r;
	}
	d->fd = fd;
	return VFIO_OK;
}

static bool
group_device_close(struct vfio_container *c, struct vfio_device *d)
{
	/* the device holds a reference: its group is open */
	struct vfio_group *g = group_find(to_group_container(c), d->node_num);

	close(d->fd);
	d->fd = -1;
	return group_put(c, g);
}

/* ---- multi-process ------------------------------------------------------ */

static int
group_device_export(const struct vfio_container *c, int num)
{
	const struct vfio_group *g = group_find(to_group_container(c), num);

	/* a duplicate: the group may be closed once the caller unlocks */
	return g != NULL ? fcntl(g->fd, F_DUPFD_CLOEXEC, 0) : -1;
}

/* a group opened by this process serves every device in it */
static bool
group_device_needs_export(const struct vfio_container *c,
		const struct vfio_device *d)
{
	return group_find(to_group_container(c), d->node_num) == NULL;
}

static struct group_backend group_backend = {
	.ops = {
		.name = "group",
		.probe = group_probe,
		.setup = group_setup,
		.teardown = group_teardown,
		.iommu_name = group_iommu_name,
		.device_num = group_device_num,
		.container_slot = group_container_slot,
		.container_open = group_container_open,
		.container_close = group_container_close,
		.device_open = group_device_open,
		.device_close = group_device_close,
		/* dma_map, dma_unmap: those of the IOMMU type (type_use()) */
		.container_request = VFIO_MP_IOMMU_TYPE,
		.container_export = group_container_export,
		.container_adopt = group_container_adopt,
		.device_request = VFIO_MP_GROUP,
		.device_export = group_device_export,
		.device_needs_export = group_device_needs_export,
	},
};

/* declared for eal_vfio_mode.c, the only one that picks a backend */
const struct vfio_backend_ops *vfio_group_backend(void);

const struct vfio_backend_ops *
vfio_group_backend(void)
{
	return &group_backend.ops;
}
