/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * cdev backend: /dev/iommu (one iommufd with one IOAS per container) and
 * /dev/vfio/devices/vfio<N> device nodes bound to it. Without IOMMU
 * (noiommu-vfio<N>) the IOAS only pins pages: the IOVA of a mapping is a
 * key (we use the virtual address) and IOMMU_IOAS_NOIOMMU_GET_PA gives
 * the physical address the device must use. The kernel pins, and answers
 * GET_PA, only while a device is attached to the IOAS: pages allocated
 * before the first attach get their address from /proc/self/pagemap, and
 * every EAL page is checked against GET_PA when a device attaches.
 * Only kernel calls here, no bookkeeping.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_sysfs.h>
#include <rte_memory.h>
#include <rte_uuid.h>

#include "eal_log.h"
#include "eal_memory_iova.h"
#include "eal_vfio.h"
#include "eal_vfio_holder.h"

#define VFIO_DEV_DIR "vfio-dev"
#define CDEV_PREFIX "vfio"
#define NOIOMMU_CDEV_PREFIX "noiommu-vfio"
/* bind struct size before the VF token appeared (Linux < 6.17) */
#define BIND_ARGSZ_NO_TOKEN offsetof(struct vfio_device_bind_iommufd, \
	token_uuid_ptr)

/* per container */
struct cdev_container {
	struct vfio_container c; /* the front end's part */
	uint32_t ioas_id;
	bool source;          /* installed as the EAL's IOVA source */
	/* no-IOMMU: every EAL page's IOVA is the address the kernel pinned */
	bool pa_checked;
	unsigned int attached; /* devices this process attached to the IOAS */
};

static struct cdev_backend {
	struct vfio_backend_ops ops;
	bool noiommu;
	bool get_pa;          /* IOMMU_IOAS_NOIOMMU_GET_PA is known */
} cdev_backend;

/* every container slot, with the cdev state of it */
static struct cdev_container cdev_containers[RTE_MAX_VFIO_CONTAINERS];

static inline struct cdev_container *
to_cdev_container(const struct vfio_container *c)
{
	return container_of(c, struct cdev_container, c);
}

static struct vfio_container *
cdev_container_slot(unsigned int index)
{
	return &cdev_containers[index].c;
}

/* ---- IOAS ------------------------------------------------------------------ */

static int
ioas_alloc(int fd, uint32_t *id)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	if (ioctl(fd, IOMMU_IOAS_ALLOC, &a) != 0)
		return -1;
	*id = a.out_ioas_id;
	return 0;
}

static enum vfio_result
ioas_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = to_cdev_container(c)->ioas_id,
		.user_va = va,
		.length = len,
		.iova = iova,
	};

	if (ioctl(c->fd, IOMMU_IOAS_MAP, &m) == 0)
		return VFIO_OK;
	/* for EAL memory, ENOMEM is explained by eal_vfio_mem.c */
	EAL_LOG(ERR, "VFIO: IOMMU_IOAS_MAP va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64 " failed: %s", va, iova, len, strerror(errno));
	return vfio_result_from_errno(errno);
}

static enum vfio_result
ioas_unmap(struct vfio_container *c, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = to_cdev_container(c)->ioas_id,
		.iova = iova,
		.length = len,
	};

	if (ioctl(c->fd, IOMMU_IOAS_UNMAP, &u) != 0) {
		EAL_LOG(ERR, "VFIO: IOMMU_IOAS_UNMAP iova 0x%" PRIx64 " len 0x%"
			PRIx64 " failed: %s", iova, len, strerror(errno));
		return vfio_result_from_unmap_errno(errno);
	}
	if (u.length != len) {
		EAL_LOG(ERR, "VFIO: IOMMU_IOAS_UNMAP iova 0x%" PRIx64
			" unmapped 0x%llx bytes instead of 0x%" PRIx64, iova,
			(unsigned long long)u.length, len);
		return VFIO_KERNEL_ERROR;
	}
	return VFIO_OK;
}

/* no-IOMMU: pin only, the key is the virtual address */
static enum vfio_result
pin_map(struct vfio_container *c, uint64_t va, uint64_t iova __rte_unused,
		uint64_t len)
{
	return ioas_map(c, va, va, len);
}

static enum vfio_result
pin_unmap(struct vfio_container *c, uint64_t va, uint64_t iova __rte_unused,
		uint64_t len)
{
	return ioas_unmap(c, va, len);
}

static enum vfio_result
iova_unmap(struct vfio_container *c, uint64_t va __rte_unused, uint64_t iova,
		uint64_t len)
{
	return ioas_unmap(c, iova, len);
}

/* usable IOVA windows into c->windows; they change when devices attach */
static enum vfio_result
cdev_iova_ranges(struct vfio_container *c)
{
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q), .ioas_id = to_cdev_container(c)->ioas_id,
	};
	struct iommu_iova_range *v;
	struct vfio_window *w;
	uint32_t i;

	if (ioctl(c->fd, IOMMU_IOAS_IOVA_RANGES, &q) != 0 && errno != EMSGSIZE)
		return vfio_kernel_error("IOMMU_IOAS_IOVA_RANGES", "IOAS", errno);
	v = calloc(q.num_iovas > 0 ? q.num_iovas : 1, sizeof(*v));
	if (v == NULL)
		return VFIO_NO_MEMORY;
	q.allowed_iovas = (uintptr_t)v;
	if (ioctl(c->fd, IOMMU_IOAS_IOVA_RANGES, &q) != 0) {
		free(v);
		return vfio_kernel_error("IOMMU_IOAS_IOVA_RANGES", "IOAS", errno);
	}
	w = calloc(q.num_iovas > 0 ? q.num_iovas : 1, sizeof(*w));
	if (w == NULL) {
		free(v);
		return VFIO_NO_MEMORY;
	}
	for (i = 0; i < q.num_iovas; i++) {
		w[i].start = v[i].start;
		w[i].last = v[i].last;
	}
	free(v);
	vfio_windows_set(c, w, q.num_iovas);
	return VFIO_OK;
}

/* ---- no-IOMMU: physical addresses for the EAL's memory -------------------- */

/* what each IOMMU_IOAS_NOIOMMU_GET_PA error means (Linux 7.3) */
static const struct {
	int err;
	const char *why;
} get_pa_errors[] = {
	{ EPERM, "the process lacks CAP_SYS_RAWIO, which no-IOMMU DMA needs" },
	{ EOPNOTSUPP, "no no-IOMMU device is attached to the IOAS, or the kernel lacks IOMMUFD_NOIOMMU" },
	{ ENOENT, "the address is not mapped in the IOAS" },
	{ ENOTTY, "the kernel has no IOMMU_IOAS_NOIOMMU_GET_PA (Linux < 7.3)" },
	{ EOVERFLOW, "the address is past the kernel's range" },
};

static const char *
get_pa_why(int err)
{
	size_t i;

	for (i = 0; i < RTE_DIM(get_pa_errors); i++)
		if (get_pa_errors[i].err == err)
			return get_pa_errors[i].why;
	return "unexpected error";
}

/* physical address of [va, va + len), mapped in c's IOAS under key va;
 * returns 0 or the errno (logged)
 */
static int
ioas_get_pa(struct vfio_container *c, uint64_t va, uint64_t len, uint64_t *pa)
{
	struct iommu_ioas_noiommu_get_pa q = {
		.size = sizeof(q),
		.ioas_id = to_cdev_container(c)->ioas_id,
		.iova = va,
		.length = len,
	};

	if (ioctl(c->fd, IOMMU_IOAS_NOIOMMU_GET_PA, &q) != 0) {
		int err = errno;

		EAL_LOG(ERR, "VFIO: IOMMU_IOAS_NOIOMMU_GET_PA va 0x%" PRIx64
			" len 0x%" PRIx64 " failed: %s (%s)", va, len,
			strerror(err), get_pa_why(err));
		/* never 0 here: callers read *pa on 0 */
		return err != 0 ? err : EIO;
	}
	if (q.length < len) {
		EAL_LOG(ERR, "VFIO: IOMMU_IOAS_NOIOMMU_GET_PA va 0x%" PRIx64
			": only 0x%llx of 0x%" PRIx64 " bytes physically contiguous",
			va, (unsigned long long)q.length, len);
		return EIO;
	}
	*pa = q.out_phys;
	return 0;
}

static unsigned int
attached_count(const struct cdev_container *cc)
{
	return __atomic_load_n(&cc->attached, __ATOMIC_ACQUIRE);
}

/*
 * Physical addresses of n pages of pgsz the IOAS maps under keys = va:
 * the kernel's once a device is attached (it pinned them), pagemap's
 * (one read for the run) before, checked when a device attaches.
 */
static enum vfio_result
source_pa(struct vfio_container *c, void *va, size_t pgsz, uint32_t n,
		rte_iova_t *iova)
{
	struct cdev_container *cc = to_cdev_container(c);
	uint32_t i;
	int err = 0;

	for (i = 0; i < n && attached_count(cc) > 0; i++) {
		err = ioas_get_pa(c, (uintptr_t)va + (uintptr_t)i * pgsz, pgsz,
			&iova[i]);
		if (err != 0)
			break;
	}
	if (i == n && n > 0 && err == 0)
		return VFIO_OK;
	/* the last device may have gone meanwhile */
	if (err != 0 && (err != EOPNOTSUPP || attached_count(cc) > 0))
		return vfio_result_from_errno(err);
	if (eal_iova_pagemap_pages(va, pgsz, n, iova) != 0) {
		EAL_LOG(ERR, "VFIO: pages %p-%p: no physical address before the first device attach (no-IOMMU cdev): /proc/self/pagemap gives none (%s), it shows page frames only to CAP_SYS_ADMIN; run with CAP_SYS_ADMIN (besides the CAP_SYS_RAWIO the no-IOMMU device needs)",
			va, RTE_PTR_ADD(va, (size_t)n * pgsz),
			rte_strerror(rte_errno));
		return VFIO_PERM;
	}
	cc->pa_checked = false;
	return VFIO_OK;
}

/*
 * IOVA source of the default container: map the pages (the key is the
 * virtual address; the kernel pins them while a device is attached),
 * then ask for their physical addresses. All or nothing. Pages freed
 * one by one get a mapping each, as iommufd unmaps whole mappings only;
 * pages never freed apart (whole) are one mapping.
 */
static int
source_va2iova_pages(void *va, size_t pgsz, uint32_t n, rte_iova_t *iova,
		bool whole, void *arg)
{
	size_t len = whole ? (size_t)n * pgsz : pgsz;
	uint32_t maps = whole ? 1 : n, i;
	struct vfio_container *c = arg;
	enum vfio_result r = VFIO_OK;

	for (i = 0; i < maps && r == VFIO_OK; i++) {
		uintptr_t a = (uintptr_t)va + (uintptr_t)i * len;

		r = ioas_map(c, a, a, len);
	}
	if (r == VFIO_OK)
		r = source_pa(c, va, pgsz, n, iova);
	else
		i--; /* the failed one holds nothing */
	if (r == VFIO_OK)
		return 0;
	while (i-- > 0)
		ioas_unmap(c, (uintptr_t)va + (uintptr_t)i * len, len);
	return vfio_result_ret(r);
}

static int
source_va2iova(void *va, size_t len, rte_iova_t *iova, void *arg)
{
	return source_va2iova_pages(va, len, 1, iova, false, arg);
}

struct pa_check {
	struct vfio_container *c;
	enum vfio_result r;
	unsigned int pages;
};

static int
pa_check_page(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct pa_check *k = arg;
	uint64_t pa;
	int err;

	if (msl->external)
		return 0; /* the application maps its own memory */
	err = ioas_get_pa(k->c, (uintptr_t)ms->addr, ms->len, &pa);
	if (err != 0) {
		k->r = vfio_result_from_errno(err);
		return -1;
	}
	if (pa != ms->iova) {
		EAL_LOG(ERR, "VFIO: page %p: IOVA 0x%" PRIx64 " but the kernel pinned it at 0x%" PRIx64 " when the first device attached (no-IOMMU cdev): the page moved; DMA to it would reach other memory. Use hugepages, which do not move",
			ms->addr, ms->iova, pa);
		k->r = VFIO_KERNEL_ERROR;
		return -1;
	}
	k->pages++;
	return 0;
}

/*
 * The first device of the default container pinned every EAL page: the
 * address each page got from pagemap must be the one the kernel pinned.
 * A primary's caller holds the memory hotplug read lock; a secondary
 * takes it here (the primary may be allocating).
 */
static enum vfio_result
pa_check_all(struct vfio_container *c)
{
	struct pa_check k = { c, VFIO_OK, 0 };
	bool secondary = rte_eal_process_type() == RTE_PROC_SECONDARY;
	int ret;

	if (secondary)
		rte_mcfg_mem_read_lock();
	ret = rte_memseg_walk_thread_unsafe(pa_check_page, &k);
	if (secondary)
		rte_mcfg_mem_read_unlock();
	if (ret != 0)
		return k.r != VFIO_OK ? k.r : VFIO_KERNEL_ERROR;
	to_cdev_container(c)->pa_checked = true;
	EAL_LOG(DEBUG, "VFIO: %u EAL pages pinned at the physical addresses they have",
		k.pages);
	return VFIO_OK;
}

static void
source_release(void *va, size_t len, void *arg)
{
	ioas_unmap(arg, (uintptr_t)va, len);
}

/*
 * Errno of IOMMU_IOAS_NOIOMMU_GET_PA with length 0 on a new IOAS: EINVAL
 * when the kernel has it and we may use it, EPERM without CAP_SYS_RAWIO
 * (checked first), ENOTTY before Linux 7.3, EOPNOTSUPP without
 * IOMMUFD_NOIOMMU.
 */
static int
get_pa_probe(int fd)
{
	struct iommu_ioas_noiommu_get_pa pa = { .size = sizeof(pa) };
	struct iommu_destroy d = { .size = sizeof(d) };
	int err;

	if (ioas_alloc(fd, &pa.ioas_id) != 0)
		return errno;
	err = ioctl(fd, IOMMU_IOAS_NOIOMMU_GET_PA, &pa) == 0 ? EINVAL : errno;
	d.id = pa.ioas_id;
	ioctl(fd, IOMMU_DESTROY, &d);
	return err;
}

static bool
dir_has_prefix(const char *path, const char *prefix)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	bool found = false;

	if (dir == NULL)
		return false;
	while (!found && (e = readdir(dir)) != NULL)
		found = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(dir);
	return found;
}

/* a noiommu-vfio<N> device exists (sysfs class, or a PCI device's vfio-dev) */
static bool
noiommu_nodes_exist(void)
{
	char path[PATH_MAX], sub[PATH_MAX + 300];
	struct dirent *e;
	bool found;
	DIR *dir;

	if (vfio_sysfs_path(path, sizeof(path), "/sys/class/vfio-dev") == 0 &&
			dir_has_prefix(path, NOIOMMU_CDEV_PREFIX))
		return true;
	if (vfio_sysfs_path(path, sizeof(path), "/sys/bus/pci/devices") != 0)
		return false;
	dir = opendir(path);
	if (dir == NULL)
		return false;
	for (found = false; !found && (e = readdir(dir)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/%s", path, e->d_name,
			VFIO_DEV_DIR);
		found = dir_has_prefix(sub, NOIOMMU_CDEV_PREFIX);
	}
	closedir(dir);
	return found;
}

/* cdev nodes of PCI devices bound to VFIO, and how many this process may
 * open read-write (a user may have been given the group nodes only)
 */
static void
cdev_nodes_count(unsigned int *nodes, unsigned int *usable)
{
	char path[PATH_MAX], sub[PATH_MAX + 300], node[PATH_MAX];
	struct dirent *e, *n;
	DIR *dir, *vdir;

	*nodes = *usable = 0;
	if (vfio_sysfs_path(path, sizeof(path), "/sys/bus/pci/devices") != 0)
		return;
	dir = opendir(path);
	if (dir == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/%s", path, e->d_name,
			VFIO_DEV_DIR);
		vdir = opendir(sub);
		if (vdir == NULL)
			continue;
		while ((n = readdir(vdir)) != NULL) {
			if (strncmp(n->d_name, CDEV_PREFIX,
					strlen(CDEV_PREFIX)) != 0 &&
					strncmp(n->d_name, NOIOMMU_CDEV_PREFIX,
					strlen(NOIOMMU_CDEV_PREFIX)) != 0)
				continue;
			(*nodes)++;
			if (snprintf(node, sizeof(node), "%s/%s", VFIO_CDEV_DIR,
					n->d_name) < (int)sizeof(node) &&
					access(node, R_OK | W_OK) == 0)
				(*usable)++;
		}
		closedir(vdir);
	}
	closedir(dir);
}

/* ---- backend selection ---------------------------------------------------- */

static enum vfio_result
cdev_probe(bool noiommu, char *why, size_t len)
{
	unsigned int nodes, usable;
	int fd, err;

	fd = open(VFIO_IOMMUFD_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vfio_open_error(VFIO_IOMMUFD_PATH, errno, why, len);
	if (!vfio_dir_exists(VFIO_CDEV_DIR)) {
		/* the directory appears with the first device cdev */
		if (noiommu)
			snprintf(why, len, "%s is missing: no-IOMMU is enabled and this kernel makes no no-IOMMU cdev nodes (noiommu-vfio<N> needs Linux 7.3 with VFIO_NOIOMMU and VFIO_DEVICE_CDEV); use the group interface",
				VFIO_CDEV_DIR);
		else
			snprintf(why, len, "%s is missing: no device is bound to vfio-pci, or the kernel lacks VFIO_DEVICE_CDEV",
				VFIO_CDEV_DIR);
		close(fd);
		return VFIO_NOT_MANAGED;
	}
	err = noiommu ? get_pa_probe(fd) : ENOTTY;
	close(fd);
	cdev_nodes_count(&nodes, &usable);
	if (nodes > 0 && usable == 0) {
		snprintf(why, len, "none of the %u device nodes in %s can be opened read-write by this process (permission: give the user the nodes, or use the group interface)",
			nodes, VFIO_CDEV_DIR);
		return VFIO_ACCESS;
	}
	if (err == EPERM) {
		snprintf(why, len, "no-IOMMU cdev needs CAP_SYS_RAWIO (IOMMU_IOAS_NOIOMMU_GET_PA: %s)",
			strerror(err));
		return VFIO_PERM;
	}
	cdev_backend.get_pa = noiommu && (err == EINVAL || err == ENOENT);
	if (noiommu && !cdev_backend.get_pa && !noiommu_nodes_exist()) {
		snprintf(why, len, "no-IOMMU is enabled but this kernel makes no no-IOMMU cdev nodes (noiommu-vfio<N> needs Linux 7.3 with VFIO_NOIOMMU and VFIO_DEVICE_CDEV); use the group interface");
		return VFIO_NOT_MANAGED;
	}
	return VFIO_OK;
}

static enum vfio_result
cdev_setup(bool noiommu)
{
	cdev_backend.noiommu = noiommu;
	cdev_backend.ops.dma_map = noiommu ? pin_map : ioas_map;
	cdev_backend.ops.dma_unmap = noiommu ? pin_unmap : iova_unmap;
	if (noiommu && !cdev_backend.get_pa &&
			rte_eal_process_type() != RTE_PROC_SECONDARY)
		EAL_LOG(NOTICE, "VFIO: the kernel lacks IOMMU_IOAS_NOIOMMU_GET_PA: physical addresses come from /proc/self/pagemap");
	return VFIO_OK;
}

static void
cdev_teardown(void)
{
	cdev_backend.noiommu = false;
	cdev_backend.get_pa = false;
}

static const char *
cdev_iommu_name(void)
{
	return cdev_backend.noiommu ? "iommufd (no-IOMMU)" : "iommufd";
}

/* N of <dev>/vfio-dev/vfio<N> or noiommu-vfio<N> */
static enum vfio_result
cdev_device_num(const char *sysfs_base, const char *addr, int *num)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int n = -1;

	if (snprintf(path, sizeof(path), "%s/%s/%s", sysfs_base, addr,
			VFIO_DEV_DIR) >= (int)sizeof(path))
		return VFIO_INVALID;
	dir = opendir(path);
	if (dir == NULL) {
		EAL_LOG(INFO, "VFIO: %s has no %s (%s): not bound to VFIO",
			addr, VFIO_DEV_DIR, strerror(errno));
		return VFIO_NOT_MANAGED;
	}
	while (n < 0 && (e = readdir(dir)) != NULL) {
		const char *s = e->d_name;
		int64_t v;

		if (strncmp(s, NOIOMMU_CDEV_PREFIX,
				strlen(NOIOMMU_CDEV_PREFIX)) == 0)
			s += strlen(NOIOMMU_CDEV_PREFIX);
		else if (strncmp(s, CDEV_PREFIX, strlen(CDEV_PREFIX)) == 0)
			s += strlen(CDEV_PREFIX);
		else
			continue;
		if (rte_sysfs_parse_dec(s, 0, INT32_MAX, &v) == 0)
			n = (int)v;
	}
	closedir(dir);
	if (n < 0) {
		EAL_LOG(INFO, "VFIO: %s: no vfio<N> in %s: not bound to VFIO",
			addr, path);
		return VFIO_NOT_MANAGED;
	}
	*num = n;
	return VFIO_OK;
}

/* ---- containers ----------------------------------------------------------- */

static enum vfio_result
source_install(struct vfio_container *c)
{
	struct eal_iova_source src = {
		.name = "iommufd no-IOMMU",
		.va2iova = source_va2iova,
		.va2iova_pages = source_va2iova_pages,
		.release = source_release,
		.arg = c,
	};

	if (eal_iova_source_set(&src) != 0) {
		EAL_LOG(ERR, "VFIO: cannot install the no-IOMMU IOVA source: %s",
			rte_strerror(rte_errno));
		return VFIO_KERNEL_ERROR;
	}
	to_cdev_container(c)->source = true;
	return VFIO_OK;
}

/* a slot's cdev state as a new container has it */
static void
cdev_state_reset(struct cdev_container *cc)
{
	cc->ioas_id = 0;
	cc->source = false;
	cc->pa_checked = false;
	__atomic_store_n(&cc->attached, 0, __ATOMIC_RELEASE);
}

/* iommufd cannot split an area; no-IOMMU: the IOVA source pins EAL pages */
static uint32_t
cdev_caps(void)
{
	if (cdev_backend.noiommu)
		return VFIO_CAP_PIN_ONLY;
	return VFIO_CAP_TRANSLATION | VFIO_CAP_MAPS_EAL_MEMORY;
}

static enum vfio_result
cdev_container_open(struct vfio_container *c)
{
	struct cdev_container *cc = to_cdev_container(c);
	enum vfio_result r;
	int fd;

	cdev_state_reset(cc);
	fd = open(VFIO_IOMMUFD_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vfio_kernel_error("open", VFIO_IOMMUFD_PATH, errno);
	if (ioas_alloc(fd, &cc->ioas_id) != 0) {
		r = vfio_kernel_error("IOMMU_IOAS_ALLOC", VFIO_IOMMUFD_PATH, errno);
		goto close_fd;
	}
	c->fd = fd;
	c->caps = cdev_caps();
	c->kernel_context = true; /* the IOAS maps with no device attached */
	if (c->is_default && cdev_backend.noiommu && cdev_backend.get_pa) {
		r = source_install(c);
		if (r != VFIO_OK)
			goto close_fd;
	}
	return VFIO_OK;
close_fd:
	close(fd); /* frees the IOAS */
	c->fd = -1;
	return r;
}

/* the primary's iommufd: exported is the IOAS of its default container */
static enum vfio_result
cdev_container_adopt(struct vfio_container *c, int fd, int64_t exported)
{
	struct cdev_container *cc = to_cdev_container(c);

	cdev_state_reset(cc);
	cc->ioas_id = (uint32_t)exported;
	c->fd = fd;
	c->caps = cdev_caps();
	c->kernel_context = true;
	return VFIO_OK;
}

static int64_t
cdev_container_export(const struct vfio_container *c)
{
	return to_cdev_container(c)->ioas_id;
}

static void
cdev_container_close(struct vfio_container *c)
{
	struct cdev_container *cc = to_cdev_container(c);

	if (cc->source)
		eal_iova_source_set(NULL);
	close(c->fd);
	cc->source = false;
}

/* ---- devices -------------------------------------------------------------- */

/* the members of the device's IOMMU group that make it not viable */
static int
cdev_group_explain(const struct vfio_device *d, char *why, size_t len)
{
	char path[PATH_MAX];
	int group;

	if (snprintf(path, sizeof(path), "%s/%s/iommu_group", d->sysfs_base,
			d->addr) >= (int)sizeof(path) ||
			rte_sysfs_link_num(path, &group) != 0 ||
			vfio_sysfs_path(path, sizeof(path),
				"/sys/kernel/iommu_groups") != 0)
		return -1;
	return vfio_group_explain(path, group, d->addr, why, len);
}

/*
 * What the kernel means by a refused bind: EBUSY, the group is open
 * elsewhere; EINVAL, also when another process has bound the cdev;
 * EPERM, a member of the group is bound to a driver that does DMA.
 */
static enum vfio_result
cdev_bind_error(const struct vfio_device *d, int err)
{
	enum vfio_holder_seen seen;
	char why[512];

	if (err == EBUSY || err == EINVAL) {
		seen = vfio_holder_describe(VFIO_HOLDER_PROC, d->sysfs_base,
			d->addr, why, sizeof(why));
		if (seen == VFIO_HOLDER_NONE && err == EBUSY)
			snprintf(why, sizeof(why),
				"held by another process (not visible to this user)");
		if (seen != VFIO_HOLDER_NONE || err == EBUSY) {
			EAL_LOG(ERR, "VFIO: %s: VFIO_DEVICE_BIND_IOMMUFD failed: %s: %s",
				d->addr, strerror(err), why);
			return vfio_result_from_errno(err);
		}
	} else if (err == EPERM && cdev_group_explain(d, why, sizeof(why)) > 0) {
		EAL_LOG(ERR, "VFIO: %s: VFIO_DEVICE_BIND_IOMMUFD failed: %s: %s",
			d->addr, strerror(err), why);
		return vfio_result_from_errno(err);
	}
	return vfio_kernel_error("VFIO_DEVICE_BIND_IOMMUFD", d->addr, err);
}

static enum vfio_result
cdev_bind(struct vfio_container *c, int fd, const struct vfio_device *d)
{
	const char *addr = d->addr;
	struct vfio_device_bind_iommufd b = {
		.argsz = BIND_ARGSZ_NO_TOKEN,
		.iommufd = c->fd,
	};
	rte_uuid_t token;

	memset(token, 0, sizeof(token));
	if (d->vf_token)
		rte_eal_vfio_get_vf_token(token);
	if (!rte_uuid_is_null(token)) {
		b.argsz = sizeof(b);
		b.flags = VFIO_DEVICE_BIND_FLAG_TOKEN;
		b.token_uuid_ptr = (uintptr_t)token;
	}
	if (ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &b) == 0)
		return VFIO_OK;
	if (errno == EINVAL && b.flags != 0) {
		EAL_LOG(NOTICE, "VFIO: %s: the kernel takes no VF token at cdev bind (Linux < 6.17): binding without it",
			addr);
		b.argsz = BIND_ARGSZ_NO_TOKEN;
		b.flags = 0;
		b.token_uuid_ptr = 0;
		if (ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &b) == 0)
			return VFIO_OK;
	}
	return cdev_bind_error(d, errno);
}

/* shared_fd: the device as the primary bound it, -1 when it did not */
static enum vfio_result
cdev_device_open(struct vfio_container *c, struct vfio_device *d,
		int shared_fd, bool *new_context)
{
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	struct cdev_container *cc = to_cdev_container(c);
	char path[PATH_MAX];
	enum vfio_result r;
	int fd = -1;

	*new_context = false; /* the IOAS is the context: it exists */
	if (shared_fd >= 0) {
		d->fd = shared_fd;
		return VFIO_OK;
	}
	snprintf(path, sizeof(path), cdev_backend.noiommu ?
		VFIO_NOIOMMU_CDEV_PATH_FMT : VFIO_CDEV_PATH_FMT, d->node_num);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			EAL_LOG(INFO, "VFIO: %s missing: %s not bound to VFIO",
				path, d->addr);
			return VFIO_NOT_MANAGED;
		}
		return vfio_kernel_error("open", path, errno);
	}
	r = cdev_bind(c, fd, d);
	if (r != VFIO_OK)
		goto close_fd;
	at.pt_id = cc->ioas_id;
	if (ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) != 0) {
		int err = errno;

		r = vfio_kernel_error("VFIO_DEVICE_ATTACH_IOMMUFD_PT", d->addr, err);
		/* the first attach pins what the IOAS maps */
		if (err == ENOMEM)
			vfio_mem_explain_enomem(c);
		goto close_fd;
	}
	vfio_windows_forget(c); /* reserved regions of the device count */
	/* no-IOMMU: the first attach pinned the EAL's pages; a secondary
	 * cannot know whether the primary checked them
	 */
	if (cdev_backend.noiommu && c->is_default &&
			__atomic_fetch_add(&cc->attached, 1, __ATOMIC_ACQ_REL) == 0 &&
			(!cc->pa_checked || c->adopted)) {
		r = pa_check_all(c);
		if (r != VFIO_OK) {
			EAL_LOG(ERR, "VFIO: %s: EAL memory is not where devices would reach it: not using the device",
				d->addr);
			__atomic_fetch_sub(&cc->attached, 1, __ATOMIC_ACQ_REL);
			goto close_fd;
		}
	}
	d->attached = cdev_backend.noiommu && c->is_default;
	d->fd = fd;
	return VFIO_OK;
close_fd:
	close(fd); /* unbinds */
	return r;
}

static bool
cdev_device_close(struct vfio_container *c, struct vfio_device *d)
{
	struct cdev_container *cc = to_cdev_container(c);

	close(d->fd);
	d->fd = -1;
	vfio_windows_forget(c);
	/* the last device unpinned the pages: they may move from now on */
	if (d->attached &&
			__atomic_sub_fetch(&cc->attached, 1, __ATOMIC_ACQ_REL) == 0)
		cc->pa_checked = false;
	d->attached = false;
	return false; /* the IOAS stays */
}

/* ---- DMA ------------------------------------------------------------------ */

/* ---- multi-process ------------------------------------------------------ */

static int
cdev_device_export(const struct vfio_container *c, int num)
{
	const struct vfio_device *d;

	TAILQ_FOREACH(d, &c->devices, next)
		if (d->node_num == num) /* a duplicate: d may go once unlocked */
			return fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
	return -1;
}

/* every device of a secondary may be bound by the primary already */
static bool
cdev_device_needs_export(const struct vfio_container *c __rte_unused,
		const struct vfio_device *d __rte_unused)
{
	return true;
}

static struct cdev_backend cdev_backend = {
	.ops = {
		.name = "cdev",
		.probe = cdev_probe,
		.setup = cdev_setup,
		.teardown = cdev_teardown,
		.iommu_name = cdev_iommu_name,
		.device_num = cdev_device_num,
		.container_slot = cdev_container_slot,
		.container_open = cdev_container_open,
		.container_close = cdev_container_close,
		.device_open = cdev_device_open,
		.device_close = cdev_device_close,
		.iova_ranges = cdev_iova_ranges,
		/* dma_map, dma_unmap: installed by cdev_setup() */
		.container_request = VFIO_MP_IOAS_ID,
		.container_export = cdev_container_export,
		.container_adopt = cdev_container_adopt,
		.device_request = VFIO_MP_CDEV,
		.device_export = cdev_device_export,
		.device_needs_export = cdev_device_needs_export,
	},
};

/* declared for eal_vfio_mode.c, the only one that picks a backend */
const struct vfio_backend_ops *vfio_cdev_backend(void);

const struct vfio_backend_ops *
vfio_cdev_backend(void)
{
	return &cdev_backend.ops;
}
