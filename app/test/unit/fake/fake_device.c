/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO device fds (from a group or a cdev node), after
 * drivers/vfio/vfio_main.c, device_cdev.c and pci/vfio_pci_core.c.
 * Handlers return >= 0 or -errno.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_internal.h"

static const char *
device_driver(const struct fake_dev *d)
{
	return d->fslmc ? "vfio-fsl-mc" : "vfio-pci";
}

static bool
is_vfio_bound(const struct fake_dev *d)
{
	return d != NULL && strcmp(d->desc.driver, device_driver(d)) == 0;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" -> 16 bytes */
static int
uuid_parse(const char *s, uint8_t out[16])
{
	unsigned int i, n = 0;

	for (i = 0; i < 36; i++) {
		int v;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v = s[i] - 'A' + 10;
		else
			return -EINVAL;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(v << 4);
		else
			out[n / 2] |= (uint8_t)v;
		n++;
	}
	return 0;
}

/* SR-IOV VF token rules of vfio_pci_validate_vf_token() */
static int
check_vf_token(struct fake_dev *d, const uint8_t *uuid)
{
	if (d->desc.pf_addr[0] != '\0') {
		struct fake_dev *pf = fake_dev_find(d->desc.pf_addr);

		if (!is_vfio_bound(pf) || !pf->desc.sriov_pf)
			return uuid != NULL ? -EINVAL : 0;
		if (uuid == NULL || memcmp(uuid, pf->vf_token, 16) != 0)
			return -EACCES;
		return 0;
	}
	if (d->desc.sriov_pf) {
		if (d->vf_users != 0) {
			if (uuid == NULL || memcmp(uuid, d->vf_token, 16) != 0)
				return -EACCES;
		} else if (uuid != NULL) {
			memcpy(d->vf_token, uuid, 16);
		}
		return 0;
	}
	return uuid != NULL ? -EINVAL : 0;
}

int
fake_device_open_granted(struct fake_dev *d, const char *token)
{
	uint8_t uuid[16];
	int ret;

	if (token == NULL)
		return check_vf_token(d, NULL);
	ret = uuid_parse(token, uuid);
	if (ret != 0)
		return ret;
	return check_vf_token(d, uuid);
}

/* a new user of the device (group device fd or bound cdev fd) */
static void
device_use(struct fake_dev *d)
{
	struct fake_dev *pf;

	d->open_count++;
	if (d->desc.pf_addr[0] != '\0') {
		pf = fake_dev_find(d->desc.pf_addr);
		if (pf != NULL)
			pf->vf_users++;
	}
}

static void
vectors_disable(struct fake_dev *d)
{
	unsigned int i;

	d->irq_type = -1;
	d->nb_vec = 0;
	for (i = 0; i < FAKE_MAX_VECTORS; i++)
		d->vec_efd[i] = -1;
	d->intx_masked = false;
}

/* closing the device drops every trigger, ERR and REQ included */
static void
irqs_disable(struct fake_dev *d)
{
	vectors_disable(d);
	d->err_efd = -1;
	d->req_efd = -1;
}

void
fake_device_close(struct fake_fd *f)
{
	struct fake_dev *d = f->dev;
	struct fake_dev *pf;

	if (f->granted) {
		d->open_count--;
		if (d->desc.pf_addr[0] != '\0') {
			pf = fake_dev_find(d->desc.pf_addr);
			if (pf != NULL && pf->vf_users > 0)
				pf->vf_users--;
		}
		if (d->open_count == 0)
			irqs_disable(d);
	}
	if (f->cdev) {
		if (f->granted && d->ictx != NULL) {
			struct fake_ioas *ioas = fake_ioas_get(d->ictx, d->ioas_id);

			if (ioas != NULL && d->ioas_id != 0)
				ioas->attached--;
			d->ioas_id = 0;
			fake_ictx_put(d->ictx);
			d->ictx = NULL;
		}
	} else {
		d->group->dev_fds--;
		fake_group_release(d->group);
	}
}

/* ---- cdev binding ------------------------------------------------------- */

static int
device_bind(struct fake_fd *f, struct vfio_device_bind_iommufd *b)
{
	const size_t minsz = offsetof(struct vfio_device_bind_iommufd,
		token_uuid_ptr);
	struct fake_dev *d = f->dev;
	const uint8_t *uuid = NULL;
	struct fake_fd *ifd;
	int ret;

	if (b->argsz < minsz || b->iommufd < 0)
		return -EINVAL;
	if (!fake.cfg.bind_token && b->flags != 0)
		return -EINVAL;
	if ((b->flags & ~(uint32_t)VFIO_DEVICE_BIND_FLAG_TOKEN) != 0)
		return -EINVAL;
	if ((b->flags & VFIO_DEVICE_BIND_FLAG_TOKEN) != 0) {
		if (b->argsz < sizeof(*b))
			return -EINVAL;
		uuid = (const uint8_t *)(uintptr_t)b->token_uuid_ptr;
		if (uuid == NULL)
			return -EFAULT;
	}
	if (!f->cdev)
		return -EINVAL;
	/* the group interface and the cdev exclude each other */
	if (d->group->fd_open || d->group->dev_fds != 0)
		return -EBUSY;
	if (f->granted)
		return -EINVAL;
	ifd = fake_fd_get(b->iommufd);
	if (ifd == NULL)
		return fcntl(b->iommufd, F_GETFD) < 0 ? -EBADF : -EBADFD;
	if (ifd->kind != FAKE_FD_IOMMUFD)
		return -EBADFD;
	if (d->open_count != 0)
		return -EINVAL;
	if (!d->group->noiommu && !d->group->viable)
		return -EPERM;
	/* 6.12 checks no token on the cdev; 6.17 applies the group rules */
	if (fake.cfg.bind_token) {
		ret = check_vf_token(d, uuid);
		if (ret != 0)
			return ret;
	}
	d->ictx = ifd->ictx;
	d->ictx->refs++;
	d->devid = d->ictx->next_id++;
	d->ioas_id = 0;
	b->out_devid = d->devid;
	f->granted = true;
	device_use(d);
	return 0;
}

static int
device_attach(struct fake_dev *d, struct vfio_device_attach_iommufd_pt *a)
{
	struct fake_ioas *ioas, *old;
	size_t i;

	if (a->argsz < offsetof(struct vfio_device_attach_iommufd_pt, pt_id) + 4 ||
			a->flags != 0)
		return -EINVAL;
	ioas = fake_ioas_get(d->ictx, a->pt_id);
	if (ioas == NULL)
		return -ENOENT;
	/* existing mappings must fit the IOMMU's apertures and page size */
	for (i = 0; i < ioas->maps.n; i++)
		if ((ioas->maps.e[i].iova & (FAKE_PAGE - 1)) != 0 ||
				!fake_iova_valid(ioas->maps.e[i].iova,
					ioas->maps.e[i].size))
			return -EINVAL;
	old = d->ioas_id != 0 ? fake_ioas_get(d->ictx, d->ioas_id) : NULL;
	if (old != NULL)
		old->attached--;	/* replace */
	ioas->attached++;
	d->ioas_id = ioas->id;
	return 0;
}

static int
device_detach(struct fake_dev *d, struct vfio_device_detach_iommufd_pt *a)
{
	struct fake_ioas *ioas;

	if (a->argsz < sizeof(*a) || a->flags != 0)
		return -EINVAL;
	ioas = d->ioas_id != 0 ? fake_ioas_get(d->ictx, d->ioas_id) : NULL;
	if (ioas != NULL)
		ioas->attached--;
	d->ioas_id = 0;
	return 0;
}

/* ---- info --------------------------------------------------------------- */

static int
device_feature(struct fake_dev *d, struct vfio_device_feature *feat)
{
	const uint32_t ops = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;
	const size_t minsz = sizeof(*feat);
	uint32_t flags = feat->flags;

	if (feat->argsz < minsz)
		return -EINVAL;
	if ((flags & ~(VFIO_DEVICE_FEATURE_MASK | ops |
			VFIO_DEVICE_FEATURE_PROBE)) != 0)
		return -EINVAL;
	if ((flags & VFIO_DEVICE_FEATURE_PROBE) == 0 && (flags & ops) == ops)
		return -EINVAL;
	if ((flags & VFIO_DEVICE_FEATURE_MASK) != VFIO_DEVICE_FEATURE_PCI_VF_TOKEN ||
			!d->desc.sriov_pf)
		return -ENOTTY;
	/* SET only: GET would leak the previous user's token */
	if ((flags & VFIO_DEVICE_FEATURE_GET) != 0)
		return -EINVAL;
	if ((flags & VFIO_DEVICE_FEATURE_PROBE) != 0)
		return 0;
	if ((flags & VFIO_DEVICE_FEATURE_SET) == 0 ||
			feat->argsz - minsz < 16)
		return -EINVAL;
	memcpy(d->vf_token, feat->data, 16);
	return 0;
}

/* AtomicOp completer sizes a fake PCI device reports (vfio-pci 6.5+) */
#define FAKE_ATOMIC_COMP (VFIO_PCI_ATOMIC_COMP32 | VFIO_PCI_ATOMIC_COMP64)

/*
 * As vfio-pci: PCI devices have a capability chain (one AtomicOp
 * completion capability) placed right after the struct when argsz leaves
 * room for it; otherwise argsz comes back raised to the size needed.
 */
static int
device_get_info(struct fake_dev *d, struct vfio_device_info *u)
{
	struct vfio_device_info_cap_pci_atomic_comp cap;
	struct vfio_device_info info;
	size_t need = sizeof(info) + sizeof(cap);

	if (u->argsz < offsetof(struct vfio_device_info, cap_offset))
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.argsz = u->argsz;
	info.flags = d->fslmc ? VFIO_DEVICE_FLAGS_FSL_MC : VFIO_DEVICE_FLAGS_PCI;
	if (d->desc.reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	if (!d->fslmc) {
		info.flags |= VFIO_DEVICE_FLAGS_CAPS;
		if (u->argsz < need) {
			info.argsz = (uint32_t)need;
		} else {
			memset(&cap, 0, sizeof(cap));
			cap.header.id = VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP;
			cap.header.version = 1;
			cap.flags = FAKE_ATOMIC_COMP;
			memcpy((uint8_t *)u + sizeof(info), &cap, sizeof(cap));
			info.cap_offset = sizeof(info);
		}
	}
	memcpy(u, &info, u->argsz < sizeof(info) ? u->argsz : sizeof(info));
	return 0;
}

static int
device_region_info(struct fake_dev *d, struct vfio_region_info *u)
{
	const size_t minsz = sizeof(*u);
	struct vfio_region_info_cap_sparse_mmap *cap;
	struct fake_region *r;
	size_t capsz;
	unsigned int i;

	if (u->argsz < minsz || u->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	r = &d->regions[u->index];
	u->flags = r->flags;
	u->size = r->size;
	u->offset = (uint64_t)u->index << FAKE_REGION_SHIFT;
	u->cap_offset = 0;
	if (r->nr_sparse == 0)
		return 0;
	u->flags |= VFIO_REGION_INFO_FLAG_CAPS;
	capsz = sizeof(*cap) + r->nr_sparse * sizeof(cap->areas[0]);
	if (u->argsz < minsz + capsz) {
		u->argsz = (uint32_t)(minsz + capsz);
		return 0;
	}
	cap = (struct vfio_region_info_cap_sparse_mmap *)((uint8_t *)u + minsz);
	memset(cap, 0, capsz);
	cap->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	cap->header.version = 1;
	cap->nr_areas = r->nr_sparse;
	for (i = 0; i < r->nr_sparse; i++)
		cap->areas[i] = r->sparse[i];
	u->cap_offset = (uint32_t)minsz;
	return 0;
}

static int
device_irq_info(struct fake_dev *d, struct vfio_irq_info *u)
{
	if (u->argsz < sizeof(*u) || u->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	u->count = d->desc.irq_count[u->index];
	u->flags = VFIO_IRQ_INFO_EVENTFD;
	if (u->index == VFIO_PCI_INTX_IRQ_INDEX)
		u->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (u->index != VFIO_PCI_MSIX_IRQ_INDEX)
		u->flags |= VFIO_IRQ_INFO_NORESIZE;	/* MSI-X: dynamic */
	return 0;
}

/* ---- interrupts --------------------------------------------------------- */

/* fd -1, or an eventfd: -EBADF/-EINVAL like eventfd_ctx_fdget() */
static int
check_eventfd(int32_t fd)
{
	char path[64], target[64];
	ssize_t n;

	if (fd == -1)
		return 0;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = __real_readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -EBADF;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0 ? 0 : -EINVAL;
}

static void
signal_efd(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		fprintf(stderr, "fake kernel: cannot signal eventfd %d\n", fd);
}

static int
set_msi(struct fake_dev *d, const struct vfio_irq_set *s, const int32_t *fds,
		const uint8_t *bools)
{
	unsigned int i;
	int ret;

	if (d->irq_type == (int)s->index && s->count == 0 &&
			(s->flags & VFIO_IRQ_SET_DATA_NONE) != 0) {
		/* like vfio_msi_disable(): the ERR and REQ triggers stay */
		vectors_disable(d);
		return 0;
	}
	if (d->irq_type != (int)s->index && d->irq_type != -1)
		return -EINVAL;
	if ((s->flags & VFIO_IRQ_SET_DATA_EVENTFD) != 0) {
		for (i = 0; i < s->count; i++) {
			ret = check_eventfd(fds[i]);
			if (ret != 0)
				return ret;
		}
		if (d->irq_type == -1) {
			d->irq_type = (int)s->index;
			d->nb_vec = s->start + s->count;
		} else if (s->start + s->count > d->nb_vec) {
			/* MSI cannot grow while enabled; MSI-X can */
			if (s->index == VFIO_PCI_MSI_IRQ_INDEX)
				return -EINVAL;
			d->nb_vec = s->start + s->count;
		}
		for (i = 0; i < s->count; i++)
			d->vec_efd[s->start + i] = fds[i];
		return 0;
	}
	if (d->irq_type != (int)s->index)
		return -EINVAL;
	for (i = s->start; i < s->start + s->count && i < d->nb_vec; i++)
		if (bools == NULL || bools[i - s->start] != 0)
			signal_efd(d->vec_efd[i]);
	return 0;
}

static int
set_intx(struct fake_dev *d, const struct vfio_irq_set *s, const int32_t *fds,
		const uint8_t *bools)
{
	uint32_t action = s->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	bool intx = d->irq_type == VFIO_PCI_INTX_IRQ_INDEX;
	int ret;

	if (action == VFIO_IRQ_SET_ACTION_MASK ||
			action == VFIO_IRQ_SET_ACTION_UNMASK) {
		if (!intx || s->start != 0 || s->count != 1)
			return -EINVAL;
		if (fds != NULL)	/* unmask through an eventfd: not modelled */
			return check_eventfd(fds[0]);
		if (bools == NULL || bools[0] != 0)
			d->intx_masked = action == VFIO_IRQ_SET_ACTION_MASK;
		return 0;
	}
	if (intx && s->count == 0 && (s->flags & VFIO_IRQ_SET_DATA_NONE) != 0) {
		irqs_disable(d);
		return 0;
	}
	if ((!intx && d->irq_type != -1) || s->start != 0 || s->count != 1)
		return -EINVAL;
	if (fds != NULL) {
		ret = check_eventfd(fds[0]);
		if (ret != 0)
			return ret;
		d->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
		d->nb_vec = 1;
		d->vec_efd[0] = fds[0];
		return 0;
	}
	if (!intx)
		return -EINVAL;
	if (bools == NULL || bools[0] != 0)
		signal_efd(d->vec_efd[0]);
	return 0;
}

/* ERR and REQ: one trigger each */
static int
set_single(int *efd, const struct vfio_irq_set *s, const int32_t *fds,
		const uint8_t *bools)
{
	int ret;

	if ((s->flags & VFIO_IRQ_SET_DATA_NONE) != 0) {
		if (*efd < 0)
			return -EINVAL;
		if (s->count != 0)
			signal_efd(*efd);
		else
			*efd = -1;
		return 0;
	}
	if (s->count == 0)
		return -EINVAL;
	if (bools != NULL) {
		if (*efd < 0)
			return -EINVAL;
		if (bools[0] != 0)
			signal_efd(*efd);
		return 0;
	}
	ret = check_eventfd(fds[0]);
	if (ret == 0)
		*efd = fds[0];
	return ret;
}

static int
device_set_irqs(struct fake_dev *d, struct vfio_irq_set *s)
{
	const size_t minsz = sizeof(*s);
	uint32_t data = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	uint32_t action = s->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	const int32_t *fds = NULL;
	const uint8_t *bools = NULL;
	uint32_t num;
	size_t size;

	if (s->argsz < minsz || s->index >= VFIO_PCI_NUM_IRQS ||
			s->count >= UINT32_MAX - s->start ||
			(s->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
				VFIO_IRQ_SET_ACTION_TYPE_MASK)) != 0)
		return -EINVAL;
	num = d->desc.irq_count[s->index];
	if (s->start >= num || s->start + s->count > num)
		return -EINVAL;
	if (data != VFIO_IRQ_SET_DATA_NONE && data != VFIO_IRQ_SET_DATA_BOOL &&
			data != VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;
	if (action != VFIO_IRQ_SET_ACTION_MASK &&
			action != VFIO_IRQ_SET_ACTION_UNMASK &&
			action != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	size = data == VFIO_IRQ_SET_DATA_BOOL ? 1 :
		data == VFIO_IRQ_SET_DATA_EVENTFD ? 4 : 0;
	if (size != 0 && s->argsz - minsz < s->count * size)
		return -EINVAL;
	if (data == VFIO_IRQ_SET_DATA_EVENTFD)
		fds = (const int32_t *)s->data;
	else if (data == VFIO_IRQ_SET_DATA_BOOL)
		bools = s->data;

	switch (s->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return set_intx(d, s, fds, bools);
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_msi(d, s, fds, bools);
	case VFIO_PCI_ERR_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_single(&d->err_efd, s, fds, bools);
	default:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_single(&d->req_efd, s, fds, bools);
	}
}

int
fake_device_ioctl(struct fake_fd *f, unsigned long req, void *arg)
{
	struct fake_dev *d = f->dev;

	if (req == VFIO_DEVICE_BIND_IOMMUFD)
		return device_bind(f, arg);
	if (!f->granted)
		return -EINVAL;
	if (f->cdev && req == VFIO_DEVICE_ATTACH_IOMMUFD_PT)
		return device_attach(d, arg);
	if (f->cdev && req == VFIO_DEVICE_DETACH_IOMMUFD_PT)
		return device_detach(d, arg);
	switch (req) {
	case VFIO_DEVICE_FEATURE:
		return device_feature(d, arg);
	case VFIO_DEVICE_GET_INFO:
		return device_get_info(d, arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return device_region_info(d, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return device_irq_info(d, arg);
	case VFIO_DEVICE_SET_IRQS:
		return device_set_irqs(d, arg);
	case VFIO_DEVICE_RESET:
		if (!d->desc.reset_works)
			return -EINVAL;
		d->reset_count++;
		return 0;
	default:
		return -ENOTTY;
	}
}

/* ---- regions ------------------------------------------------------------ */

static struct fake_region *
region_of(struct fake_fd *f, off_t off, uint64_t *pos)
{
	unsigned int index = (unsigned int)((uint64_t)off >> FAKE_REGION_SHIFT);

	if (f->kind != FAKE_FD_DEVICE || !f->granted || off < 0 ||
			index >= VFIO_PCI_NUM_REGIONS)
		return NULL;
	*pos = (uint64_t)off & ((1ULL << FAKE_REGION_SHIFT) - 1);
	return &f->dev->regions[index];
}

int
fake_device_mmap_check(struct fake_fd *f, size_t len, int prot, int flags,
		off_t off, int *memfd, off_t *memoff)
{
	struct fake_region *r;
	uint64_t pos;
	unsigned int i;

	(void)prot;
	r = region_of(f, off, &pos);
	if (r == NULL || (flags & MAP_SHARED) == 0 ||
			(r->flags & VFIO_REGION_INFO_FLAG_MMAP) == 0 ||
			(pos & (FAKE_PAGE - 1)) != 0 || len == 0 ||
			pos + len > r->size || r->memfd < 0)
		return -EINVAL;
	if (r->nr_sparse != 0) {
		for (i = 0; i < r->nr_sparse; i++)
			if (pos >= r->sparse[i].offset && pos + len <=
					r->sparse[i].offset + r->sparse[i].size)
				break;
		if (i == r->nr_sparse)
			return -EINVAL;
	}
	*memfd = r->memfd;
	*memoff = (off_t)pos;
	return 0;
}

ssize_t
fake_device_rw(struct fake_fd *f, void *buf, size_t count, off_t off,
		bool write)
{
	struct fake_region *r;
	uint64_t pos;
	ssize_t n;

	r = region_of(f, off, &pos);
	if (r == NULL || r->memfd < 0 || pos >= r->size ||
			(r->flags & (write ? VFIO_REGION_INFO_FLAG_WRITE :
				VFIO_REGION_INFO_FLAG_READ)) == 0)
		return -EINVAL;
	if (count > r->size - pos)
		count = (size_t)(r->size - pos);
	if (write)
		n = __real_pwrite64(r->memfd, buf, count, (off_t)pos);
	else
		n = __real_pread64(r->memfd, buf, count, (off_t)pos);
	return n < 0 ? -errno : n;
}

void
fake_device_free(struct fake_dev *d)
{
	unsigned int i;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (d->regions[i].memfd >= 0)
			__real_close(d->regions[i].memfd);
		d->regions[i].memfd = -1;
	}
}

/* ---- inspection --------------------------------------------------------- */

int
fake_device_irq_eventfds(const char *addr, unsigned int index, int *fds,
		unsigned int max)
{
	struct fake_dev *d;
	unsigned int i;
	int n = -1;

	pthread_mutex_lock(&fake_lock);
	d = fake_dev_find(addr);
	if (d != NULL && index < VFIO_PCI_NUM_IRQS) {
		n = 0;
		if (index == VFIO_PCI_ERR_IRQ_INDEX || index == VFIO_PCI_REQ_IRQ_INDEX) {
			int efd = index == VFIO_PCI_ERR_IRQ_INDEX ? d->err_efd :
				d->req_efd;

			if (efd >= 0) {
				n = 1;
				if (max > 0)
					fds[0] = efd;
			}
		} else if (d->irq_type == (int)index) {
			n = (int)d->nb_vec;
			for (i = 0; i < d->nb_vec && i < max; i++)
				fds[i] = d->vec_efd[i];
		}
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}

#define DEV_GETTER(name, expr) \
int \
name(const char *addr) \
{ \
	struct fake_dev *d; \
	int v; \
	pthread_mutex_lock(&fake_lock); \
	d = fake_dev_find(addr); \
	v = d != NULL ? (int)(expr) : -1; \
	pthread_mutex_unlock(&fake_lock); \
	return v; \
}

DEV_GETTER(fake_device_intx_masked, d->intx_masked)
DEV_GETTER(fake_device_reset_count, d->reset_count)
DEV_GETTER(fake_device_open_count, d->open_count)

int64_t
fake_device_attached_ioas(const char *addr)
{
	struct fake_dev *d;
	int64_t v;

	pthread_mutex_lock(&fake_lock);
	d = fake_dev_find(addr);
	v = d != NULL && d->ictx != NULL ? (int64_t)d->ioas_id : -1;
	pthread_mutex_unlock(&fake_lock);
	return v;
}

int
fake_device_vf_token(const char *addr, uint8_t uuid[16])
{
	struct fake_dev *d;
	int ret = -1;

	pthread_mutex_lock(&fake_lock);
	d = fake_dev_find(addr);
	if (d != NULL && d->desc.sriov_pf) {
		memcpy(uuid, d->vf_token, 16);
		ret = 0;
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

int
fake_device_config_byte(const char *addr, unsigned int off)
{
	struct fake_region *r;
	struct fake_dev *d;
	uint8_t b;
	int v = -1;

	pthread_mutex_lock(&fake_lock);
	d = fake_dev_find(addr);
	if (d != NULL) {
		r = &d->regions[VFIO_PCI_CONFIG_REGION_INDEX];
		if (r->memfd >= 0 && off < r->size &&
				__real_pread64(r->memfd, &b, 1, off) == 1)
			v = b;
	}
	pthread_mutex_unlock(&fake_lock);
	return v;
}
