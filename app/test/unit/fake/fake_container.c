/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * /dev/vfio/vfio containers (type1, no-IOMMU, sPAPR TCE) and
 * /dev/vfio/<N> groups, after drivers/vfio/{container,group}.c and the
 * IOMMU drivers. Handlers return >= 0 or -errno.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_internal.h"

/* the type1 migration capability (not in our uapi subset) */
#define FAKE_TYPE1_INFO_CAP_MIGRATION 2
struct fake_cap_migration {
	struct vfio_info_cap_header header;
	uint32_t flags;
	uint64_t pgsize_bitmap;
	uint64_t max_dirty_bitmap_size;
};

#define SPAPR_DMA32_SIZE	(1ULL << 30)
#define SPAPR_DDW_START		(1ULL << 59)
#define SPAPR_PGSIZES		((1ULL << 12) | (1ULL << 16) | (1ULL << 24))

enum fake_driver { DRV_TYPE1, DRV_SPAPR, DRV_NOIOMMU, DRV_COUNT };

static bool
driver_registered(enum fake_driver drv)
{
	switch (drv) {
	case DRV_TYPE1:
		return !fake.cfg.spapr && fake.cfg.type1_module;
	case DRV_SPAPR:
		return fake.cfg.spapr;
	default:
		return true;	/* CONFIG_VFIO_NOIOMMU */
	}
}

static enum fake_driver
driver_of_type(int type)
{
	switch (type) {
	case VFIO_SPAPR_TCE_IOMMU:
	case VFIO_SPAPR_TCE_v2_IOMMU:
		return DRV_SPAPR;
	case VFIO_NOIOMMU_IOMMU:
		return DRV_NOIOMMU;
	default:
		return DRV_TYPE1;
	}
}

/* a driver's VFIO_CHECK_EXTENSION; c is NULL before SET_IOMMU */
static int
driver_extension(enum fake_driver drv, const struct fake_container *c,
		unsigned long ext)
{
	switch (drv) {
	case DRV_TYPE1:
		switch (ext) {
		case VFIO_TYPE1_IOMMU:
		case VFIO_TYPE1v2_IOMMU:
		case VFIO_TYPE1_NESTING_IOMMU:
		case VFIO_UNMAP_ALL:
			return 1;
		case VFIO_UPDATE_VADDR:
		case VFIO_DMA_CC_IOMMU:
			return c != NULL;
		default:
			return 0;
		}
	case DRV_SPAPR:
		return ext == VFIO_SPAPR_TCE_IOMMU ||
			ext == VFIO_SPAPR_TCE_v2_IOMMU;
	default:
		return fake.cfg.noiommu && ext == VFIO_NOIOMMU_IOMMU;
	}
}

/* only no-IOMMU containers use the no-IOMMU driver, and vice versa */
static bool
driver_allowed(const struct fake_container *c, enum fake_driver drv)
{
	return c->noiommu == (drv == DRV_NOIOMMU);
}

static int
container_check_extension(const struct fake_container *c, unsigned long ext)
{
	int drv, ret;

	if (c->iommu_type != 0)
		return driver_extension(driver_of_type(c->iommu_type), c, ext);
	for (drv = 0; drv < DRV_COUNT; drv++) {
		if (!driver_registered(drv))
			continue;
		if (c->nb_groups != 0 && !driver_allowed(c, drv))
			continue;
		ret = driver_extension(drv, NULL, ext);
		if (ret > 0)
			return ret;
	}
	return 0;
}

static int
container_set_iommu(struct fake_container *c, unsigned long type)
{
	int drv;

	if (c->nb_groups == 0 || c->iommu_type != 0)
		return -EINVAL;
	for (drv = 0; drv < DRV_COUNT; drv++) {
		if (!driver_registered(drv) || !driver_allowed(c, drv))
			continue;
		if (driver_extension(drv, NULL, type) <= 0)
			continue;
		/* type1 opens only for its IOMMU types */
		if (drv == DRV_TYPE1 && type != VFIO_TYPE1_IOMMU &&
				type != VFIO_TYPE1v2_IOMMU &&
				type != VFIO_TYPE1_NESTING_IOMMU)
			continue;
		c->iommu_type = (int)type;
		c->dma_avail = fake.cfg.dma_entry_limit;
		if (drv == DRV_SPAPR) {
			c->spapr_windows[0] = 0;
			c->spapr_window_size[0] = SPAPR_DMA32_SIZE;
		}
		return 0;
	}
	return -ENODEV;
}

/* the IOMMU goes away with the last group: every mapping with it */
static void
container_drop_iommu(struct fake_container *c)
{
	c->iommu_type = 0;
	fake_maps_free(&c->maps);
	fake_maps_free(&c->prereg);
	memset(c->spapr_windows, 0, sizeof(c->spapr_windows));
	memset(c->spapr_window_size, 0, sizeof(c->spapr_window_size));
	c->dma_avail = 0;
	c->spapr_enabled = false;
}

void
fake_container_put(struct fake_container *c)
{
	if (--c->refs != 0)
		return;
	container_drop_iommu(c);
	fake_obj_unregister((void **)fake.containers, c);
	free(c);
}

static bool
type1_v2(const struct fake_container *c)
{
	return c->iommu_type != VFIO_TYPE1_IOMMU;
}

static uint64_t
type1_pgsize(void)
{
	uint64_t p = fake.cfg.iova_pgsizes;

	return p & -p;
}

/* pinning user memory that is not mapped fails like the kernel's GUP */
static bool
vaddr_mapped(uint64_t vaddr, uint64_t size)
{
	uintptr_t start = (uintptr_t)vaddr & ~(uintptr_t)(FAKE_PAGE - 1);

	return msync((void *)start, (size_t)(vaddr + size - start),
		MS_ASYNC) == 0;
}

/* append a capability at *len (8-byte aligned) and chain it */
static void *
cap_add(uint8_t *buf, size_t *len, size_t *prev, size_t size, uint16_t id,
		uint16_t version)
{
	struct vfio_info_cap_header *h;
	size_t off = (*len + 7) & ~(size_t)7;

	h = (struct vfio_info_cap_header *)(buf + off);
	memset(h, 0, size);
	h->id = id;
	h->version = version;
	if (*prev != 0)
		((struct vfio_info_cap_header *)(buf + *prev))->next =
			(uint32_t)off;
	*prev = off;
	*len = off + size;
	return h;
}

static int
type1_get_info(struct fake_container *c, struct vfio_iommu_type1_info *u)
{
	const size_t minsz = offsetof(struct vfio_iommu_type1_info, cap_offset);
	struct vfio_iommu_type1_info info;
	struct vfio_iommu_type1_info_cap_iova_range *r;
	struct vfio_iommu_type1_info_dma_avail *a;
	struct fake_cap_migration *m;
	uint8_t buf[1024];
	size_t len = sizeof(info), prev = 0, caps;
	unsigned int i;

	if (u->argsz < minsz)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.argsz = u->argsz;
	info.flags = VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS;
	info.iova_pgsizes = fake.cfg.iova_pgsizes;

	/* chain built with offsets from the start of the info struct */
	m = cap_add(buf, &len, &prev, sizeof(*m), FAKE_TYPE1_INFO_CAP_MIGRATION, 1);
	m->pgsize_bitmap = type1_pgsize();
	m->max_dirty_bitmap_size = 256ULL << 20;
	a = cap_add(buf, &len, &prev, sizeof(*a), VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	a->avail = c->dma_avail;
	r = cap_add(buf, &len, &prev, sizeof(*r) + fake.cfg.nb_iova_ranges *
		sizeof(r->iova_ranges[0]), VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	r->nr_iovas = fake.cfg.nb_iova_ranges;
	for (i = 0; i < fake.cfg.nb_iova_ranges; i++)
		r->iova_ranges[i] = fake.cfg.iova_ranges[i];
	caps = len - sizeof(info);

	if (u->argsz < sizeof(info) + caps) {
		info.argsz = (uint32_t)(sizeof(info) + caps);
	} else {
		memcpy((uint8_t *)u + sizeof(info), buf + sizeof(info), caps);
		info.cap_offset = sizeof(info);
	}
	memcpy(u, &info, u->argsz < sizeof(info) ? u->argsz : sizeof(info));
	return 0;
}

static int
type1_map(struct fake_container *c, struct vfio_iommu_type1_dma_map *m)
{
	const uint32_t mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
		VFIO_DMA_MAP_FLAG_VADDR;
	uint32_t prot = m->flags & (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	bool set_vaddr = (m->flags & VFIO_DMA_MAP_FLAG_VADDR) != 0;
	uint64_t pgsize = type1_pgsize();
	struct fake_dma d;

	if (m->argsz < offsetof(struct vfio_iommu_type1_dma_map, size) + 8 ||
			(m->flags & ~mask) != 0)
		return -EINVAL;
	if ((prot != 0 && set_vaddr) || (prot == 0 && !set_vaddr))
		return -EINVAL;
	if (m->size == 0 || ((m->size | m->iova | m->vaddr) & (pgsize - 1)) != 0)
		return -EINVAL;
	if (m->iova + m->size - 1 < m->iova || m->vaddr + m->size - 1 < m->vaddr)
		return -EINVAL;
	if (set_vaddr)	/* vaddr invalidation is not modelled */
		return fake_maps_overlap(&c->maps, m->iova, m->size) ?
			-EINVAL : -ENOENT;
	if (fake_maps_overlap(&c->maps, m->iova, m->size))
		return -EEXIST;
	if (c->dma_avail == 0)
		return -ENOSPC;
	if (!fake_iova_valid(m->iova, m->size))
		return -EINVAL;
	if (!vaddr_mapped(m->vaddr, m->size))
		return -EFAULT;
	d.vaddr = m->vaddr;
	d.iova = m->iova;
	d.size = m->size;
	if (fake_maps_insert(&c->maps, &d) != 0)
		return -ENOMEM;
	c->dma_avail--;
	return 0;
}

static int
type1_unmap(struct fake_container *c, struct vfio_iommu_type1_dma_unmap *u)
{
	const uint32_t mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;
	bool all = (u->flags & VFIO_DMA_UNMAP_FLAG_ALL) != 0;
	uint64_t pgsize = type1_pgsize(), iova = u->iova, size = u->size;
	uint64_t last, unmapped = 0;
	struct fake_dma *d;
	size_t i;

	if (u->argsz < offsetof(struct vfio_iommu_type1_dma_unmap, size) + 8 ||
			(u->flags & ~mask) != 0)
		return -EINVAL;
	/* dirty tracking is never on; vaddr invalidation is not modelled */
	if ((u->flags & (VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
			VFIO_DMA_UNMAP_FLAG_VADDR)) != 0)
		return -EINVAL;
	if ((iova & (pgsize - 1)) != 0)
		return -EINVAL;
	if (all) {
		if (iova != 0 || size != 0)
			return -EINVAL;
		size = UINT64_MAX;
	} else if (size == 0 || (size & (pgsize - 1)) != 0 ||
			iova + size - 1 < iova) {
		return -EINVAL;
	}
	last = iova + size - 1;
	/* v2: no mapping may be bisected by the range */
	if (type1_v2(c) && !all) {
		d = fake_maps_find(&c->maps, iova);
		if (d != NULL && d->iova != iova)
			return -EINVAL;
		d = fake_maps_find(&c->maps, last);
		if (d != NULL && d->iova + d->size - 1 != last)
			return -EINVAL;
	}
	i = fake_maps_lower(&c->maps, iova);
	while (i < c->maps.n && c->maps.e[i].iova <= last) {
		/* v1: a range starting inside a mapping stops there */
		if (!type1_v2(c) && iova > c->maps.e[i].iova)
			break;
		unmapped += c->maps.e[i].size;
		fake_maps_remove(&c->maps, i);
		c->dma_avail++;
	}
	u->size = unmapped;
	return 0;
}

static int
type1_ioctl(struct fake_container *c, unsigned long req, void *arg)
{
	switch (req) {
	case VFIO_IOMMU_GET_INFO:
		return type1_get_info(c, arg);
	case VFIO_IOMMU_MAP_DMA:
		return type1_map(c, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return type1_unmap(c, arg);
	default:
		return -ENOTTY;
	}
}

/* ---- sPAPR TCE (a sketch: windows, pre-registration, map/unmap) ---------- */

static int
spapr_window(const struct fake_container *c, uint64_t iova)
{
	int i;

	for (i = 0; i < 2; i++)
		if (c->spapr_window_size[i] != 0 &&
				iova >= c->spapr_windows[i] &&
				iova - c->spapr_windows[i] < c->spapr_window_size[i])
			return i;
	return -1;
}

static bool
spapr_registered(const struct fake_container *c, uint64_t vaddr, uint64_t size)
{
	/* prereg entries use iova as the user address */
	const struct fake_dma *d = fake_maps_find(&c->prereg, vaddr);

	return d != NULL && vaddr + size <= d->iova + d->size;
}

static int
spapr_map(struct fake_container *c, struct vfio_iommu_type1_dma_map *m)
{
	struct fake_dma d;
	int w;

	if (!c->spapr_enabled)
		return -EPERM;	/* v1: not enabled, v2: nothing registered */
	if (m->argsz < offsetof(struct vfio_iommu_type1_dma_map, size) + 8 ||
			(m->flags & ~(VFIO_DMA_MAP_FLAG_READ |
				VFIO_DMA_MAP_FLAG_WRITE)) != 0 || m->flags == 0)
		return -EINVAL;
	w = spapr_window(c, m->iova);
	if (w < 0)
		return -ENXIO;
	if (((m->size | m->vaddr | m->iova) & (FAKE_PAGE - 1)) != 0 ||
			m->size == 0 || m->iova + m->size >
			c->spapr_windows[w] + c->spapr_window_size[w])
		return -EINVAL;
	if (c->iommu_type == VFIO_SPAPR_TCE_v2_IOMMU &&
			!spapr_registered(c, m->vaddr, m->size))
		return -EINVAL;
	if (fake_maps_overlap(&c->maps, m->iova, m->size))
		return -EBUSY;
	d.vaddr = m->vaddr;
	d.iova = m->iova;
	d.size = m->size;
	return fake_maps_insert(&c->maps, &d) == 0 ? 0 : -ENOMEM;
}

/* clears every TCE in the range: partial unmaps split mappings */
static int
spapr_unmap(struct fake_container *c, struct vfio_iommu_type1_dma_unmap *u)
{
	uint64_t start = u->iova, end = u->iova + u->size;
	size_t i;
	int w;

	if (!c->spapr_enabled)
		return -EPERM;
	if (u->argsz < offsetof(struct vfio_iommu_type1_dma_unmap, size) + 8 ||
			u->flags != 0)
		return -EINVAL;
	w = spapr_window(c, u->iova);
	if (w < 0)
		return -ENXIO;
	if (((u->size | u->iova) & (FAKE_PAGE - 1)) != 0 ||
			end > c->spapr_windows[w] + c->spapr_window_size[w])
		return -EINVAL;
	i = fake_maps_lower(&c->maps, start);
	while (i < c->maps.n && c->maps.e[i].iova < end) {
		struct fake_dma d = c->maps.e[i];
		uint64_t dend = d.iova + d.size;

		fake_maps_remove(&c->maps, i);
		if (d.iova < start) {
			struct fake_dma head = d;

			head.size = start - d.iova;
			if (fake_maps_insert(&c->maps, &head) != 0)
				return -ENOMEM;
			i++;
		}
		if (dend > end) {
			struct fake_dma tail = d;

			tail.iova = end;
			tail.vaddr = d.vaddr + (end - d.iova);
			tail.size = dend - end;
			if (fake_maps_insert(&c->maps, &tail) != 0)
				return -ENOMEM;
			break;
		}
	}
	return 0;
}

static int
spapr_ioctl(struct fake_container *c, unsigned long req, void *arg)
{
	bool v2 = c->iommu_type == VFIO_SPAPR_TCE_v2_IOMMU;
	struct vfio_iommu_spapr_register_memory *reg = arg;
	struct vfio_iommu_spapr_tce_create *cr = arg;
	struct vfio_iommu_spapr_tce_remove *rm = arg;
	struct vfio_iommu_spapr_tce_info *info = arg;
	struct fake_dma d;
	int w;

	switch (req) {
	case VFIO_IOMMU_SPAPR_TCE_GET_INFO: {
		struct vfio_iommu_spapr_tce_info out;

		if (info->argsz < offsetof(struct vfio_iommu_spapr_tce_info, ddw))
			return -EINVAL;
		memset(&out, 0, sizeof(out));
		out.argsz = info->argsz;
		out.flags = VFIO_IOMMU_SPAPR_INFO_DDW;
		out.dma32_window_start = 0;
		out.dma32_window_size = SPAPR_DMA32_SIZE;
		out.ddw.pgsizes = SPAPR_PGSIZES;
		out.ddw.max_dynamic_windows_supported = 2;
		out.ddw.levels = 5;
		memcpy(info, &out, info->argsz < sizeof(out) ? info->argsz :
			sizeof(out));
		return 0;
	}
	case VFIO_IOMMU_ENABLE:
		if (v2)
			return -ENOTTY;
		if (c->spapr_enabled)
			return -EBUSY;
		c->spapr_enabled = true;
		return 0;
	case VFIO_IOMMU_DISABLE:
		if (v2)
			return -ENOTTY;
		c->spapr_enabled = false;
		return 0;
	case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
		if (!v2)
			return -ENOTTY;
		if (reg->argsz < sizeof(*reg) || reg->flags != 0 || reg->size == 0 ||
				((reg->vaddr | reg->size) & (FAKE_PAGE - 1)) != 0)
			return -EINVAL;
		if (fake_maps_overlap(&c->prereg, reg->vaddr, reg->size)) {
			const struct fake_dma *e = fake_maps_find(&c->prereg,
				reg->vaddr);

			return e != NULL && e->iova == reg->vaddr &&
				e->size == reg->size ? 0 : -EINVAL;
		}
		if (!vaddr_mapped(reg->vaddr, reg->size))
			return -EFAULT;
		d.vaddr = reg->vaddr;
		d.iova = reg->vaddr;
		d.size = reg->size;
		if (fake_maps_insert(&c->prereg, &d) != 0)
			return -ENOMEM;
		c->spapr_enabled = true;	/* v2: enabled by registering */
		return 0;
	case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY: {
		size_t i;

		if (!v2)
			return -ENOTTY;
		if (reg->argsz < sizeof(*reg) || reg->flags != 0)
			return -EINVAL;
		i = fake_maps_lower(&c->prereg, reg->vaddr);
		if (i >= c->prereg.n || c->prereg.e[i].iova != reg->vaddr ||
				c->prereg.e[i].size != reg->size)
			return -ENOENT;
		fake_maps_remove(&c->prereg, i);
		return 0;
	}
	case VFIO_IOMMU_SPAPR_TCE_CREATE:
		if (!v2)
			return -ENOTTY;
		if (cr->argsz < offsetof(struct vfio_iommu_spapr_tce_create,
				start_addr) + 8 || cr->flags != 0)
			return -EINVAL;
		for (w = 0; w < 2 && c->spapr_window_size[w] != 0; w++)
			;
		if (w == 2)
			return -ENOSPC;
		if (cr->page_shift >= 64 ||
				(SPAPR_PGSIZES & (1ULL << cr->page_shift)) == 0 ||
				cr->window_size == 0 ||
				(cr->window_size & (cr->window_size - 1)) != 0)
			return -EINVAL;
		c->spapr_windows[w] = w == 0 ? 0 : SPAPR_DDW_START;
		c->spapr_window_size[w] = cr->window_size;
		cr->start_addr = c->spapr_windows[w];
		return 0;
	case VFIO_IOMMU_SPAPR_TCE_REMOVE:
		if (!v2)
			return -ENOTTY;
		if (rm->argsz < sizeof(*rm) || rm->flags != 0)
			return -EINVAL;
		for (w = 0; w < 2; w++) {
			if (c->spapr_window_size[w] != 0 &&
					c->spapr_windows[w] == rm->start_addr) {
				struct vfio_iommu_type1_dma_unmap u = {
					.argsz = sizeof(u),
					.iova = rm->start_addr,
					.size = c->spapr_window_size[w],
				};

				if (c->spapr_enabled)
					spapr_unmap(c, &u);
				c->spapr_window_size[w] = 0;
				return 0;
			}
		}
		return -EINVAL;
	case VFIO_IOMMU_MAP_DMA:
		return spapr_map(c, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return spapr_unmap(c, arg);
	default:
		return -ENOTTY;
	}
}

int
fake_container_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct fake_container *c = f->container;

	switch (req) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return container_check_extension(c, (unsigned long)arg);
	case VFIO_SET_IOMMU:
		return container_set_iommu(c, (unsigned long)arg);
	default:
		break;
	}
	switch (c->iommu_type == 0 ? DRV_COUNT : driver_of_type(c->iommu_type)) {
	case DRV_TYPE1:
		return type1_ioctl(c, req, arg);
	case DRV_SPAPR:
		return spapr_ioctl(c, req, arg);
	case DRV_NOIOMMU:
		return -ENOTTY;
	default:
		return -EINVAL;	/* no IOMMU driver set */
	}
}

/* ---- groups ------------------------------------------------------------- */

static void
group_detach(struct fake_group *g)
{
	struct fake_container *c = g->container;

	g->container = NULL;
	if (--c->nb_groups == 0)
		container_drop_iommu(c);
	fake_container_put(c);
}

void
fake_group_release(struct fake_group *g)
{
	if (!g->fd_open && g->dev_fds == 0 && g->container != NULL)
		group_detach(g);
}

static int
group_set_container(struct fake_group *g, const int *arg)
{
	struct fake_fd *cf = fake_fd_get(*arg);
	struct fake_container *c;

	if (cf == NULL)
		return fcntl(*arg, F_GETFD) < 0 ? -EBADF : -EBADFD;
	if (g->container != NULL)
		return -EINVAL;
	/* the iommufd compatibility path is not modelled */
	if (cf->kind != FAKE_FD_CONTAINER)
		return -EBADFD;
	c = cf->container;
	if (c->nb_groups != 0 && c->noiommu != g->noiommu)
		return -EPERM;
	/* a host driver owns DMA for some device of the group */
	if (!g->noiommu && !g->viable)
		return -EPERM;
	g->container = c;
	c->refs++;
	c->nb_groups++;
	c->noiommu = g->noiommu;
	return 0;
}

/*
 * "<name>" or, for vfio-pci devices, "<name> vf_token=<uuid>": *dev and
 * the token string (NULL when absent). 0, -ENODEV (no match) or -EINVAL
 * (bad options).
 */
static int
group_match_device(struct fake_group *g, const char *buf,
		struct fake_dev **dev, char *token)
{
	unsigned int i;

	*dev = NULL;
	token[0] = '\0';
	for (i = 0; i < FAKE_MAX_DEVICES; i++) {
		struct fake_dev *d = &fake.devs[i];
		size_t n = strlen(d->desc.addr);
		const char *p;

		if (!d->used || d->group != g ||
				strcmp(d->desc.driver, d->fslmc ?
					"vfio-fsl-mc" : "vfio-pci") != 0 ||
				strncmp(buf, d->desc.addr, n) != 0)
			continue;
		p = buf + n;
		if (*p != '\0' && *p != ' ')
			continue;
		/* vfio-fsl-mc has no match hook: the name must be exact */
		if (d->fslmc && *p != '\0')
			continue;
		while (*p != '\0') {
			if (*p == ' ') {
				p++;
				continue;
			}
			if (token[0] != '\0' || strncmp(p, "vf_token=", 9) != 0)
				return -EINVAL;
			p += 9;
			if (strlen(p) < 36)
				return -EINVAL;
			memcpy(token, p, 36);
			token[36] = '\0';
			p += 36;
		}
		*dev = d;
		return 0;
	}
	return -ENODEV;
}

static int
group_get_device_fd(struct fake_fd *f, const char *name)
{
	struct fake_group *g = f->group;
	struct fake_dev *d;
	char token[40];
	int ret, fd;

	ret = group_match_device(g, name, &d, token);
	if (ret != 0)
		return ret;
	ret = fake_device_open_granted(d, token[0] != '\0' ? token : NULL);
	if (ret != 0)
		return ret;
	if (g->container == NULL || g->container->iommu_type == 0)
		return -EINVAL;
	fd = fake_fd_new(FAKE_FD_DEVICE, d, O_CLOEXEC);
	if (fd < 0)
		return fd;
	fake.fds[fd]->granted = true;
	d->open_count++;
	g->dev_fds++;
	if (d->desc.pf_addr[0] != '\0') {
		struct fake_dev *pf = fake_dev_find(d->desc.pf_addr);

		if (pf != NULL)
			pf->vf_users++;
	}
	return fd;
}

int
fake_group_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct fake_group *g = f->group;
	struct vfio_group_status *st = arg;

	switch (req) {
	case VFIO_GROUP_GET_STATUS:
		if (st->argsz < sizeof(*st))
			return -EINVAL;
		st->flags = 0;
		if (g->container != NULL)
			st->flags = VFIO_GROUP_FLAGS_CONTAINER_SET |
				VFIO_GROUP_FLAGS_VIABLE;
		else if (g->noiommu || g->viable)
			st->flags = VFIO_GROUP_FLAGS_VIABLE;
		return 0;
	case VFIO_GROUP_SET_CONTAINER:
		return group_set_container(g, arg);
	case VFIO_GROUP_UNSET_CONTAINER:
		if (g->container == NULL)
			return -EINVAL;
		if (g->dev_fds != 0)
			return -EBUSY;
		group_detach(g);
		return 0;
	case VFIO_GROUP_GET_DEVICE_FD:
		return group_get_device_fd(f, arg);
	default:
		return -ENOTTY;
	}
}

/* ---- inspection --------------------------------------------------------- */

static struct fake_container *
container_of_fd(int fd)
{
	struct fake_fd *f = fake_fd_get(fd);

	return f != NULL && f->kind == FAKE_FD_CONTAINER ? f->container : NULL;
}

int
fake_container_mappings(int container_fd, struct fake_dma *out,
		unsigned int max)
{
	struct fake_container *c;
	int n = -1;
	size_t i;

	pthread_mutex_lock(&fake_lock);
	c = container_of_fd(container_fd);
	if (c != NULL) {
		for (i = 0; i < c->maps.n && i < max; i++)
			out[i] = c->maps.e[i];
		n = (int)c->maps.n;
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}

int
fake_container_iommu_type(int container_fd)
{
	struct fake_container *c;
	int t;

	pthread_mutex_lock(&fake_lock);
	c = container_of_fd(container_fd);
	t = c != NULL ? c->iommu_type : -1;
	pthread_mutex_unlock(&fake_lock);
	return t;
}

int
fake_container_groups(int container_fd)
{
	struct fake_container *c;
	int n;

	pthread_mutex_lock(&fake_lock);
	c = container_of_fd(container_fd);
	n = c != NULL ? (int)c->nb_groups : -1;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

int
fake_group_of_fd(int group_fd)
{
	struct fake_fd *f;
	int n;

	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(group_fd);
	n = f != NULL && f->kind == FAKE_FD_GROUP ? f->group->num : -1;
	pthread_mutex_unlock(&fake_lock);
	return n;
}
