/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * /dev/iommu: IOAS objects and their mappings, after
 * drivers/iommu/iommufd/{main,ioas,io_pagetable}.c, plus the no-IOMMU
 * IOMMU_IOAS_NOIOMMU_GET_PA. Handlers return >= 0 or -errno.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/iommufd.h>

#include "fake_internal.h"

#define FAKE_PA_BASE	0x1000000000ULL
#define FAKE_PA_SCRAMBLE 0x5a5ULL

struct fake_ictx *
fake_ictx_new(void)
{
	struct fake_ictx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		return NULL;
	ctx->refs = 1;
	ctx->fd_open = true;
	ctx->next_id = 1;
	if (fake_obj_register((void **)fake.ictxs, ctx) != 0) {
		free(ctx);
		return NULL;
	}
	return ctx;
}

static void
ioas_free(struct fake_ioas *ioas)
{
	fake_maps_free(&ioas->maps);
	free(ioas);
}

void
fake_ictx_put(struct fake_ictx *ctx)
{
	unsigned int i;

	if (--ctx->refs != 0)
		return;
	for (i = 0; i < FAKE_MAX_IOAS; i++)
		if (ctx->ioas[i] != NULL)
			ioas_free(ctx->ioas[i]);
	fake_obj_unregister((void **)fake.ictxs, ctx);
	free(ctx);
}

struct fake_ioas *
fake_ioas_get(struct fake_ictx *ctx, uint32_t id)
{
	unsigned int i;

	if (ctx == NULL || id == 0)
		return NULL;
	for (i = 0; i < FAKE_MAX_IOAS; i++)
		if (ctx->ioas[i] != NULL && ctx->ioas[i]->id == id)
			return ctx->ioas[i];
	return NULL;
}

/* with a device attached, the IOAS takes the IOMMU's ranges and page size */
static uint64_t
ioas_alignment(const struct fake_ioas *ioas)
{
	return ioas->attached != 0 ? FAKE_PAGE : 1;
}

static bool
ioas_iova_allowed(const struct fake_ioas *ioas, uint64_t iova, uint64_t len)
{
	return ioas->attached == 0 || fake_iova_valid(iova, len);
}

static int
ioas_destroy(struct fake_ictx *ctx, void *arg)
{
	struct iommu_destroy *cmd = arg;
	unsigned int i;

	for (i = 0; i < FAKE_MAX_IOAS; i++) {
		struct fake_ioas *ioas = ctx->ioas[i];

		if (ioas == NULL || ioas->id != cmd->id)
			continue;
		if (ioas->attached != 0)
			return -EBUSY;
		ioas_free(ioas);
		ctx->ioas[i] = NULL;
		return 0;
	}
	/* device objects belong to VFIO */
	for (i = 0; i < FAKE_MAX_DEVICES; i++)
		if (fake.devs[i].used && fake.devs[i].ictx == ctx &&
				fake.devs[i].devid == cmd->id)
			return -EBUSY;
	return -ENOENT;
}

static int
ioas_alloc(struct fake_ictx *ctx, void *arg)
{
	struct iommu_ioas_alloc *cmd = arg;
	struct fake_ioas *ioas;
	unsigned int i;

	if (cmd->flags != 0)
		return -EOPNOTSUPP;
	for (i = 0; i < FAKE_MAX_IOAS && ctx->ioas[i] != NULL; i++)
		;
	if (i == FAKE_MAX_IOAS)
		return -ENOMEM;
	ioas = calloc(1, sizeof(*ioas));
	if (ioas == NULL)
		return -ENOMEM;
	ioas->id = ctx->next_id++;
	ioas->huge_pages = true;
	ctx->ioas[i] = ioas;
	cmd->out_ioas_id = ioas->id;
	return 0;
}

static int
ioas_iova_ranges(struct fake_ictx *ctx, void *arg)
{
	struct iommu_ioas_iova_ranges *cmd = arg;
	struct iommu_iova_range *out =
		(struct iommu_iova_range *)(uintptr_t)cmd->allowed_iovas;
	struct fake_ioas *ioas;
	uint32_t max = cmd->num_iovas, n, i;

	if (cmd->__reserved != 0)
		return -EOPNOTSUPP;
	ioas = fake_ioas_get(ctx, cmd->ioas_id);
	if (ioas == NULL)
		return -ENOENT;
	n = ioas->attached != 0 ? fake.cfg.nb_iova_ranges : 1;
	for (i = 0; i < n && i < max; i++) {
		if (ioas->attached != 0) {
			out[i].start = fake.cfg.iova_ranges[i].start;
			out[i].last = fake.cfg.iova_ranges[i].end;
		} else {
			out[i].start = 0;
			out[i].last = UINT64_MAX;
		}
	}
	cmd->num_iovas = n;
	cmd->out_iova_alignment = ioas_alignment(ioas);
	return n > max ? -EMSGSIZE : 0;
}

/* lowest free page-aligned IOVA in the allowed ranges */
static int
ioas_alloc_iova(const struct fake_ioas *ioas, uint64_t len, uint64_t *iova)
{
	struct vfio_iova_range all = { FAKE_PAGE, UINT64_MAX - FAKE_PAGE };
	const struct vfio_iova_range *ranges = &all;
	unsigned int nr = 1, r;
	size_t i;

	if (ioas->attached != 0) {
		ranges = fake.cfg.iova_ranges;
		nr = fake.cfg.nb_iova_ranges;
	}
	for (r = 0; r < nr; r++) {
		uint64_t cand = (ranges[r].start + FAKE_PAGE - 1) & ~(FAKE_PAGE - 1);

		if (cand < FAKE_PAGE)
			cand = FAKE_PAGE;
		for (i = 0; i <= ioas->maps.n; i++) {
			if (cand + len - 1 < cand || cand + len - 1 > ranges[r].end)
				break;
			if (!fake_maps_overlap(&ioas->maps, cand, len)) {
				*iova = cand;
				return 0;
			}
			if (i < ioas->maps.n && ioas->maps.e[i].iova +
					ioas->maps.e[i].size > cand)
				cand = (ioas->maps.e[i].iova + ioas->maps.e[i].size +
					FAKE_PAGE - 1) & ~(FAKE_PAGE - 1);
		}
	}
	return -ENOSPC;
}

static int
ioas_map(struct fake_ictx *ctx, void *arg)
{
	struct iommu_ioas_map *cmd = arg;
	const uint32_t all = IOMMU_IOAS_MAP_FIXED_IOVA |
		IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE;
	struct fake_ioas *ioas;
	struct fake_dma d;
	uint64_t iova = cmd->iova;
	int ret;

	if ((cmd->flags & ~all) != 0 || cmd->__reserved != 0)
		return -EOPNOTSUPP;
	if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
		return -EOVERFLOW;
	if ((cmd->flags & (IOMMU_IOAS_MAP_WRITEABLE |
			IOMMU_IOAS_MAP_READABLE)) == 0)
		return -EINVAL;
	ioas = fake_ioas_get(ctx, cmd->ioas_id);
	if (ioas == NULL)
		return -ENOENT;
	if (cmd->length == 0 || cmd->length > SIZE_MAX - FAKE_PAGE)
		return -EINVAL;
	if ((cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA) != 0) {
		if ((iova & (ioas_alignment(ioas) - 1)) != 0)
			return -EINVAL;
		if (iova + cmd->length - 1 < iova)
			return -EOVERFLOW;
		if (!ioas_iova_allowed(ioas, iova, cmd->length))
			return -EINVAL;
		if (fake_maps_overlap(&ioas->maps, iova, cmd->length))
			return -EEXIST;
	} else {
		ret = ioas_alloc_iova(ioas, cmd->length, &iova);
		if (ret != 0)
			return ret;
	}
	/* pages are pinned once a device (a domain) is attached */
	if (ioas->attached != 0) {
		uintptr_t start = (uintptr_t)cmd->user_va & ~(uintptr_t)(FAKE_PAGE - 1);

		if (msync((void *)start, (size_t)(cmd->user_va + cmd->length -
				start), MS_ASYNC) != 0)
			return -EFAULT;
	}
	d.vaddr = cmd->user_va;
	d.iova = iova;
	d.size = cmd->length;
	if (fake_maps_insert(&ioas->maps, &d) != 0)
		return -ENOMEM;
	cmd->iova = iova;
	return 0;
}

/* whole areas only: an area sticking out fails with ENOENT, keeping what
 * was already unmapped unmapped (like iopt_unmap_iova_range())
 */
static int
ioas_unmap(struct fake_ictx *ctx, void *arg)
{
	struct iommu_ioas_unmap *cmd = arg;
	struct fake_ioas *ioas;
	uint64_t last, unmapped = 0;
	size_t i;

	ioas = fake_ioas_get(ctx, cmd->ioas_id);
	if (ioas == NULL)
		return -ENOENT;
	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		for (i = 0; i < ioas->maps.n; i++)
			unmapped += ioas->maps.e[i].size;
		fake_maps_free(&ioas->maps);
		cmd->length = unmapped;
		return 0;
	}
	if (cmd->iova >= UINT64_MAX || cmd->length >= UINT64_MAX)
		return -EOVERFLOW;
	if (cmd->length == 0)
		return -EINVAL;
	last = cmd->iova + cmd->length - 1;
	if (last < cmd->iova)
		return -EOVERFLOW;
	i = fake_maps_lower(&ioas->maps, cmd->iova);
	while (i < ioas->maps.n && ioas->maps.e[i].iova <= last) {
		const struct fake_dma *d = &ioas->maps.e[i];

		if (d->iova < cmd->iova || d->iova + d->size - 1 > last)
			return -ENOENT;
		unmapped += d->size;
		fake_maps_remove(&ioas->maps, i);
	}
	if (unmapped == 0)
		return -ENOENT;
	cmd->length = unmapped;
	return 0;
}

static int
ioas_option(struct fake_ictx *ctx, void *arg)
{
	struct iommu_option *cmd = arg;
	struct fake_ioas *ioas;
	unsigned int i;

	if (cmd->__reserved != 0)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		if (cmd->object_id != 0)
			return -EOPNOTSUPP;
		if (cmd->op == IOMMU_OPTION_OP_GET) {
			cmd->val64 = ctx->rlimit_mode;
			return 0;
		}
		if (cmd->op != IOMMU_OPTION_OP_SET)
			return -EOPNOTSUPP;
		for (i = 0; i < FAKE_MAX_IOAS; i++)
			if (ctx->ioas[i] != NULL)
				return -EBUSY;
		if (cmd->val64 > 1)
			return -EINVAL;
		ctx->rlimit_mode = cmd->val64;
		return 0;
	case IOMMU_OPTION_HUGE_PAGES:
		ioas = fake_ioas_get(ctx, cmd->object_id);
		if (ioas == NULL)
			return -ENOENT;
		if (cmd->op == IOMMU_OPTION_OP_GET) {
			cmd->val64 = ioas->huge_pages;
			return 0;
		}
		if (cmd->op != IOMMU_OPTION_OP_SET)
			return -EOPNOTSUPP;
		if (cmd->val64 > 1)
			return -EINVAL;
		ioas->huge_pages = cmd->val64 == 1;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

uint64_t
fake_noiommu_pa(uint64_t va)
{
	uint64_t run = fake.cfg.pa_contig_pages != 0 ? fake.cfg.pa_contig_pages : 1;
	uint64_t page = va / FAKE_PAGE;
	uint64_t chunk = (page / run) ^ FAKE_PA_SCRAMBLE;

	return FAKE_PA_BASE + (chunk * run + page % run) * FAKE_PAGE +
		va % FAKE_PAGE;
}

/* a moved page: somewhere else before the pin */
#define FAKE_PA_MOVED	0x40000000ULL

uint64_t
fake_pagemap_pa(uint64_t va)
{
	return fake_noiommu_pa(va) + (fake.cfg.pages_move_on_pin ?
		FAKE_PA_MOVED : 0);
}

#define PAGEMAP_PRESENT (1ULL << 63)

ssize_t
fake_pagemap_read(void *buf, size_t count, off_t off)
{
	uint64_t e;
	size_t n;

	if (off < 0 || off % sizeof(e) != 0 || count % sizeof(e) != 0)
		return -EINVAL;
	for (n = 0; n < count; n += sizeof(e)) {
		uint64_t va = ((uint64_t)off + n) / sizeof(e) * FAKE_PAGE;

		e = PAGEMAP_PRESENT | (fake.cfg.pagemap_no_frames ? 0 :
			fake_pagemap_pa(va) / FAKE_PAGE);
		memcpy((char *)buf + n, &e, sizeof(e));
	}
	return (ssize_t)count;
}

/* the checks in the order of Linux 7.3's iommufd_ioas_noiommu_get_pa()
 * and iopt_get_phys()
 */
static int
ioas_get_pa(struct fake_ictx *ctx, void *arg)
{
	struct iommu_ioas_noiommu_get_pa *cmd = arg;
	const struct fake_dma *d;
	struct fake_ioas *ioas;
	uint64_t va, pa, len, max;

	if (fake.cfg.no_rawio)
		return -EPERM;
	if (cmd->flags != 0 || cmd->__reserved != 0)
		return -EOPNOTSUPP;
	if (cmd->length == 0)
		return -EINVAL;
	if (cmd->iova >= UINTPTR_MAX)
		return -EOVERFLOW;
	ioas = fake_ioas_get(ctx, cmd->ioas_id);
	if (ioas == NULL)
		return -ENOENT;
	d = fake_maps_find(&ioas->maps, cmd->iova);
	if (d == NULL)
		return -ENOENT;
	/* no device attached: no no-IOMMU domain holds the pages */
	if (ioas->attached == 0)
		return -EOPNOTSUPP;
	va = d->vaddr + (cmd->iova - d->iova);
	pa = fake_noiommu_pa(va);
	max = d->iova + d->size - cmd->iova;
	if (max > cmd->length)
		max = cmd->length;
	/* extend page by page while physically contiguous */
	len = FAKE_PAGE - va % FAKE_PAGE;
	while (len < max && fake_noiommu_pa(va + len) == pa + len)
		len += FAKE_PAGE;
	cmd->out_phys = pa;
	cmd->length = len < max ? len : max;
	return 0;
}

/* one command: name, handler, its struct size and minimum user size */
typedef int (*ioas_cmd_fn)(struct fake_ictx *ctx, void *cmd);

static const struct {
	unsigned long req;
	ioas_cmd_fn fn;
	size_t size;
	size_t min;
} ioas_cmds[] = {
#define CMD(r, f, s, last) { r, f, sizeof(struct s), \
	offsetof(struct s, last) + sizeof(((struct s *)0)->last) }
	CMD(IOMMU_DESTROY, ioas_destroy, iommu_destroy, id),
	CMD(IOMMU_IOAS_ALLOC, ioas_alloc, iommu_ioas_alloc, out_ioas_id),
	CMD(IOMMU_IOAS_IOVA_RANGES, ioas_iova_ranges, iommu_ioas_iova_ranges,
		out_iova_alignment),
	CMD(IOMMU_IOAS_MAP, ioas_map, iommu_ioas_map, iova),
	CMD(IOMMU_IOAS_UNMAP, ioas_unmap, iommu_ioas_unmap, length),
	CMD(IOMMU_OPTION, ioas_option, iommu_option, val64),
	CMD(IOMMU_IOAS_NOIOMMU_GET_PA, ioas_get_pa, iommu_ioas_noiommu_get_pa,
		out_phys),
#undef CMD
};

int
fake_iommufd_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	union {
		struct iommu_destroy destroy;
		struct iommu_ioas_alloc alloc;
		struct iommu_ioas_iova_ranges ranges;
		struct iommu_ioas_map map;
		struct iommu_ioas_unmap unmap;
		struct iommu_option option;
		struct iommu_ioas_noiommu_get_pa get_pa;
	} buf;
	uint32_t usize;
	unsigned int i;
	size_t n;
	int ret;

	for (i = 0; i < sizeof(ioas_cmds) / sizeof(ioas_cmds[0]); i++)
		if (ioas_cmds[i].req == req)
			break;
	if (i == sizeof(ioas_cmds) / sizeof(ioas_cmds[0]) ||
			(req == IOMMU_IOAS_NOIOMMU_GET_PA && !fake.cfg.noiommu_cdev))
		return -ENOTTY;
	memcpy(&usize, arg, sizeof(usize));
	if (usize < ioas_cmds[i].min)
		return -EINVAL;
	/* a larger struct is fine if its extra bytes are zero */
	for (n = ioas_cmds[i].size; n < usize; n++)
		if (((const uint8_t *)arg)[n] != 0)
			return -E2BIG;
	n = usize < ioas_cmds[i].size ? usize : ioas_cmds[i].size;
	memset(&buf, 0, sizeof(buf));
	memcpy(&buf, arg, n);
	ret = ioas_cmds[i].fn(f->ictx, &buf);
	/* commands answer in their struct even when they fail with EMSGSIZE */
	if (ret == 0 || ret == -EMSGSIZE)
		memcpy(arg, &buf, n);
	return ret;
}

/* ---- inspection --------------------------------------------------------- */

static struct fake_ictx *
ictx_of_fd(int fd)
{
	struct fake_fd *f = fake_fd_get(fd);

	return f != NULL && f->kind == FAKE_FD_IOMMUFD ? f->ictx : NULL;
}

int
fake_ioas_mappings(int iommufd, uint32_t ioas_id, struct fake_dma *out,
		unsigned int max)
{
	struct fake_ioas *ioas;
	int n = -1;
	size_t i;

	pthread_mutex_lock(&fake_lock);
	ioas = fake_ioas_get(ictx_of_fd(iommufd), ioas_id);
	if (ioas != NULL) {
		for (i = 0; i < ioas->maps.n && i < max; i++)
			out[i] = ioas->maps.e[i];
		n = (int)ioas->maps.n;
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}

int
fake_ioas_count(int iommufd)
{
	struct fake_ictx *ctx;
	unsigned int i;
	int n = -1;

	pthread_mutex_lock(&fake_lock);
	ctx = ictx_of_fd(iommufd);
	if (ctx != NULL) {
		n = 0;
		for (i = 0; i < FAKE_MAX_IOAS; i++)
			n += ctx->ioas[i] != NULL;
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}
