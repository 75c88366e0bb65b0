/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO front end: mode selection, containers, devices and user DMA maps.
 * Everything that talks to the kernel goes through the backend's
 * operations table; this file contains no ioctl.
 *
 * Locking: vfio.lock protects the state and the container table; each
 * container has its own lock. Order: memory hotplug lock (read), then
 * vfio.lock, then a container lock. The memory event callback holds the
 * hotplug write lock and takes only the default container's lock.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"
#include "eal_vfio.h"

/* backends, in the order "auto" tries them */
enum { BK_CDEV, BK_GROUP, BK_END = -1 };

static const struct vfio_backend_row {
	const struct vfio_backend_ops *(*get)(void);
	enum rte_vfio_mode mode;         /* with an IOMMU */
	enum rte_vfio_mode noiommu_mode; /* without */
} backends[] = {
	[BK_CDEV] = { vfio_cdev_backend, RTE_VFIO_MODE_CDEV, RTE_VFIO_MODE_CDEV },
	[BK_GROUP] = { vfio_group_backend, RTE_VFIO_MODE_GROUP,
		RTE_VFIO_MODE_NOIOMMU },
};

/* --vfio-mode values: which backends to try, and whether no-IOMMU is a must */
static const struct vfio_request_row {
	const char *opt;
	bool needs_noiommu;
	int try[RTE_DIM(backends) + 1];
} requests[] = {
	[EAL_VFIO_MODE_AUTO] = { "auto", false, { BK_CDEV, BK_GROUP, BK_END } },
	[EAL_VFIO_MODE_GROUP] = { "group", false, { BK_GROUP, BK_END } },
	[EAL_VFIO_MODE_NOIOMMU] = { "noiommu", true,
		{ BK_CDEV, BK_GROUP, BK_END } },
	[EAL_VFIO_MODE_CDEV] = { "cdev", false, { BK_CDEV, BK_END } },
};

static struct {
	pthread_mutex_t lock;
	bool enabled;
	bool tables_ready;
	enum rte_vfio_mode mode;
	enum rte_iova_mode iova_mode;
	const struct vfio_backend_ops *ops;
	struct vfio_container containers[RTE_MAX_VFIO_CONTAINERS];
} vfio = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int
vfio_ret(enum vfio_result r)
{
	int err = vfio_result_errno(r);

	if (err == 0)
		return 0;
	rte_errno = err;
	return -1;
}

int
vfio_sysfs_path(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s%s", eal_sysfs_root(), path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

bool
vfio_dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
sysfs_dir_exists(const char *path)
{
	char buf[PATH_MAX];

	return vfio_sysfs_path(buf, sizeof(buf), path) == 0 &&
		vfio_dir_exists(buf);
}

/* /sys/module/vfio/parameters/enable_unsafe_noiommu_mode reads Y */
static bool
noiommu_enabled(void)
{
	char path[PATH_MAX], c = 'N';
	int fd;

	if (vfio_sysfs_path(path, sizeof(path), VFIO_NOIOMMU_PARAM) != 0)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 'N';
	close(fd);
	return c == 'Y' || c == 'y' || c == '1';
}

struct vfio_container *
vfio_default_container(void)
{
	return &vfio.containers[VFIO_DEFAULT_CONTAINER];
}

const struct vfio_backend_ops *
vfio_backend_ops_current(void)
{
	return vfio.ops;
}

enum rte_vfio_mode
vfio_mode(void)
{
	return vfio.mode;
}

static void
tables_init(void)
{
	unsigned int i;

	if (vfio.tables_ready)
		return;
	for (i = 0; i < RTE_DIM(vfio.containers); i++) {
		pthread_mutex_init(&vfio.containers[i].lock, NULL);
		TAILQ_INIT(&vfio.containers[i].devices);
	}
	vfio.tables_ready = true;
}

/* ---- containers ---------------------------------------------------------- */

static enum vfio_result
container_open(struct vfio_container *c, bool is_default, int fd)
{
	enum vfio_result r;

	c->is_default = is_default;
	c->fd = -1;
	c->bk = NULL;
	c->mem_mapped = false;
	TAILQ_INIT(&c->devices);
	r = vfio.ops->container_open(c, fd);
	if (r != VFIO_OK)
		return r;
	vfio_maps_init(&c->user_maps, vfio.ops->partial_unmap(c));
	vfio_maps_init(&c->mem_maps, false);
	c->used = true;
	return VFIO_OK;
}

static void device_remove(struct vfio_container *c, struct vfio_device *d);

/* caller holds c->lock */
static void
container_close(struct vfio_container *c)
{
	struct vfio_device *d;

	while ((d = TAILQ_FIRST(&c->devices)) != NULL)
		device_remove(c, d);
	vfio.ops->container_close(c);
	vfio_maps_fini(&c->user_maps);
	vfio_maps_fini(&c->mem_maps);
	c->mem_mapped = false;
	c->used = false;
	c->fd = -1;
}

/* caller holds vfio.lock */
static struct vfio_container *
container_find(int fd)
{
	unsigned int i;

	if (fd == RTE_VFIO_DEFAULT_CONTAINER_FD)
		return vfio_default_container();
	for (i = 0; i < RTE_DIM(vfio.containers); i++)
		if (vfio.containers[i].used && vfio.containers[i].fd == fd)
			return &vfio.containers[i];
	return NULL;
}

/* caller holds vfio.lock */
static enum vfio_result
vfio_check_ready(void)
{
	if (!vfio.enabled || vfio.mode == RTE_VFIO_MODE_NONE)
		return VFIO_NOT_INIT;
	return VFIO_OK;
}

/* find and lock a container; vfio.lock is held only meanwhile */
static enum vfio_result
container_get(int fd, struct vfio_container **out)
{
	struct vfio_container *c;
	enum vfio_result r;

	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r == VFIO_OK) {
		c = container_find(fd);
		if (c == NULL || !c->used) {
			EAL_LOG(ERR, "VFIO: no container with descriptor %d",
				fd);
			r = VFIO_NOT_FOUND;
		} else {
			pthread_mutex_lock(&c->lock);
			*out = c;
		}
	}
	pthread_mutex_unlock(&vfio.lock);
	return r;
}

/* the kernel context of c was (re)created: put every mapping back */
static enum vfio_result
container_replay(struct vfio_container *c)
{
	enum vfio_result r;
	size_t i;

	r = vfio_mem_sync(c);
	if (r != VFIO_OK)
		return r;
	for (i = 0; i < c->user_maps.n; i++) {
		const struct vfio_map *e = &c->user_maps.v[i];

		r = vfio.ops->dma_map(c, e->va, e->iova, e->len);
		if (r != VFIO_OK)
			return r;
	}
	if (c->user_maps.n > 0)
		EAL_LOG(DEBUG, "VFIO: replayed %zu user mappings in container %d",
			c->user_maps.n, c->fd);
	return VFIO_OK;
}

/* ---- devices ------------------------------------------------------------- */

/* caller holds vfio.lock */
static struct vfio_device *
device_find(const char *sysfs_base, const char *addr,
		struct vfio_container **owner)
{
	struct vfio_device *d;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfio.containers); i++) {
		struct vfio_container *c = &vfio.containers[i];

		if (!c->used)
			continue;
		TAILQ_FOREACH(d, &c->devices, next) {
			if (strcmp(d->addr, addr) == 0 &&
					strcmp(d->sysfs_base, sysfs_base) == 0) {
				if (owner != NULL)
					*owner = c;
				return d;
			}
		}
	}
	return NULL;
}

/* open a device into c; caller holds c->lock */
static enum vfio_result
device_add(struct vfio_container *c, const char *sysfs_base,
		const char *addr, struct vfio_device **out)
{
	struct vfio_device *d;
	enum vfio_result r;
	bool was_ready;
	int num;

	r = vfio.ops->device_num(sysfs_base, addr, &num);
	if (r != VFIO_OK)
		return r;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return VFIO_NO_MEMORY;
	rte_strlcpy(d->sysfs_base, sysfs_base, sizeof(d->sysfs_base));
	rte_strlcpy(d->addr, addr, sizeof(d->addr));
	d->num = num;
	d->fd = -1;
	was_ready = vfio.ops->dma_ready(c);
	r = vfio.ops->device_open(c, d);
	if (r != VFIO_OK)
		goto free_dev;
	if (!was_ready && vfio.ops->dma_ready(c)) {
		r = container_replay(c);
		if (r != VFIO_OK)
			goto close_dev;
	}
	TAILQ_INSERT_TAIL(&c->devices, d, next);
	*out = d;
	return VFIO_OK;
close_dev:
	vfio.ops->device_close(c, d);
	if (!vfio.ops->dma_ready(c))
		vfio_mem_forget(c);
free_dev:
	free(d);
	return r;
}

/* caller holds c->lock */
static void
device_remove(struct vfio_container *c, struct vfio_device *d)
{
	bool was_ready = vfio.ops->dma_ready(c);

	TAILQ_REMOVE(&c->devices, d, next);
	vfio.ops->device_close(c, d);
	/* last group gone: the kernel dropped the context and its mappings */
	if (was_ready && !vfio.ops->dma_ready(c))
		vfio_mem_forget(c);
	free(d);
}

int
vfio_default_device_fd(int num)
{
	struct vfio_container *c = vfio_default_container();
	struct vfio_device *d;
	int fd = -1;

	pthread_mutex_lock(&c->lock);
	if (c->used) {
		TAILQ_FOREACH(d, &c->devices, next) {
			if (d->num == num) {
				fd = d->fd;
				break;
			}
		}
	}
	pthread_mutex_unlock(&c->lock);
	return fd;
}

static enum vfio_result
check_names(const char *sysfs_base, const char *addr)
{
	if (sysfs_base == NULL || addr == NULL || addr[0] == '\0' ||
			strlen(sysfs_base) >= PATH_MAX ||
			strlen(addr) >= RTE_DEV_NAME_MAX_LEN ||
			strchr(addr, '/') != NULL) {
		EAL_LOG(ERR, "VFIO: invalid device name");
		return VFIO_INVALID;
	}
	return VFIO_OK;
}

/* ---- mode selection ------------------------------------------------------ */

static void
log_outcome(void)
{
	if (vfio.mode == RTE_VFIO_MODE_NONE)
		return;
	EAL_LOG(NOTICE, "VFIO: %s mode, IOMMU %s, IOVA as %s",
		vfio.mode == RTE_VFIO_MODE_CDEV ? "cdev" :
		vfio.mode == RTE_VFIO_MODE_NOIOMMU ? "no-IOMMU group" :
		"group", vfio.ops->iommu_name(),
		vfio.iova_mode == RTE_IOVA_PA ? "PA" : "VA");
}

/* backend ready: open the default container */
static enum vfio_result
start_backend(const struct vfio_backend_row *row, bool noiommu, int fd)
{
	enum vfio_result r;

	vfio.ops = row->get();
	r = vfio.ops->setup(noiommu);
	if (r != VFIO_OK)
		goto fail;
	r = container_open(vfio_default_container(), true, fd);
	if (r != VFIO_OK)
		goto teardown;
	vfio.mode = noiommu ? row->noiommu_mode : row->mode;
	vfio.iova_mode = noiommu ? RTE_IOVA_PA : RTE_IOVA_VA;
	return VFIO_OK;
teardown:
	vfio.ops->teardown();
fail:
	vfio.ops = NULL;
	return r;
}

static enum vfio_result
enable_primary(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	const struct vfio_request_row *req = &requests[cfg->vfio_mode];
	enum vfio_result r = VFIO_NOT_MANAGED;
	char why[RTE_DIM(backends)][160];
	const int *try = req->try;
	bool noiommu;
	int i;

	if (!sysfs_dir_exists(VFIO_MODULE_DIR)) {
		if (cfg->vfio_mode != EAL_VFIO_MODE_AUTO) {
			EAL_LOG(ERR, "--vfio-mode=%s: the vfio kernel module is not loaded (%s%s is missing)",
				req->opt, eal_sysfs_root(), VFIO_MODULE_DIR);
			return VFIO_NOT_MANAGED;
		}
		EAL_LOG(NOTICE, "VFIO: not available (no %s%s)",
			eal_sysfs_root(), VFIO_MODULE_DIR);
		return VFIO_OK;
	}
	noiommu = noiommu_enabled();
	if (req->needs_noiommu && !noiommu) {
		EAL_LOG(ERR, "--vfio-mode=noiommu: %s%s is not Y (load vfio with enable_unsafe_noiommu_mode=1)",
			eal_sysfs_root(), VFIO_NOIOMMU_PARAM);
		return VFIO_NOT_MANAGED;
	}
	if (cfg->vfio_mode == EAL_VFIO_MODE_AUTO &&
			rte_bus_needs_vfio_group()) {
		EAL_LOG(DEBUG, "VFIO: a bus needs group mode");
		try = requests[EAL_VFIO_MODE_GROUP].try;
	}
	for (i = 0; try[i] != BK_END; i++) {
		const struct vfio_backend_row *row = &backends[try[i]];

		why[i][0] = '\0';
		r = row->get()->probe(noiommu, why[i], sizeof(why[i]));
		if (r == VFIO_OK)
			return start_backend(row, noiommu, -1);
		EAL_LOG(DEBUG, "VFIO: %s backend unusable: %s",
			row->get()->name, why[i]);
	}
	if (cfg->vfio_mode != EAL_VFIO_MODE_AUTO) {
		EAL_LOG(ERR, "--vfio-mode=%s: %s", req->opt, why[i - 1]);
		return r == VFIO_ACCESS || r == VFIO_PERM ? r :
			VFIO_NOT_MANAGED;
	}
	EAL_LOG(NOTICE, "VFIO: not usable (%s)", why[i - 1]);
	return VFIO_OK;
}

static enum vfio_result
enable_secondary(void)
{
	enum vfio_result r;
	int64_t mode, iova;
	unsigned int i;
	int fd = -1;

	r = vfio_mp_request(VFIO_MP_CONTAINER, 0, &mode, &fd);
	if (r != VFIO_OK && r != VFIO_NOT_FOUND)
		return r;
	if (mode == RTE_VFIO_MODE_NONE || fd < 0) {
		if (fd >= 0)
			close(fd);
		EAL_LOG(NOTICE, "VFIO: not used by the primary process");
		return VFIO_OK;
	}
	r = vfio_mp_request(VFIO_MP_IOVA_MODE, 0, &iova, NULL);
	if (r != VFIO_OK)
		goto close_fd;
	for (i = 0; i < RTE_DIM(backends); i++) {
		bool noiommu = iova == RTE_IOVA_PA;

		if ((noiommu ? backends[i].noiommu_mode : backends[i].mode) !=
				mode)
			continue;
		r = start_backend(&backends[i], noiommu, fd);
		if (r != VFIO_OK)
			goto close_fd;
		return VFIO_OK;
	}
	EAL_LOG(ERR, "VFIO: the primary reported an unknown mode %" PRId64,
		mode);
	r = VFIO_KERNEL_ERROR;
close_fd:
	close(fd);
	return r;
}

int
rte_vfio_enable(const char *modname)
{
	enum vfio_result r = VFIO_OK;

	pthread_mutex_lock(&vfio.lock);
	if (!vfio.enabled) {
		tables_init();
		vfio.mode = RTE_VFIO_MODE_NONE;
		vfio.iova_mode = RTE_IOVA_DC;
		if (rte_eal_process_type() == RTE_PROC_SECONDARY)
			r = enable_secondary();
		else
			r = enable_primary();
		/* even without VFIO: secondaries must hear "mode NONE" */
		if (r == VFIO_OK &&
				rte_eal_process_type() != RTE_PROC_SECONDARY) {
			r = vfio_mp_sync_register();
			if (r != VFIO_OK && vfio.ops != NULL) {
				container_close(vfio_default_container());
				vfio.ops->teardown();
			}
			if (r != VFIO_OK) {
				vfio.ops = NULL;
				vfio.mode = RTE_VFIO_MODE_NONE;
			}
		}
		if (r == VFIO_OK) {
			vfio.enabled = true;
			log_outcome();
		}
	}
	pthread_mutex_unlock(&vfio.lock);
	if (r == VFIO_OK && modname != NULL &&
			vfio.mode != RTE_VFIO_MODE_NONE &&
			rte_vfio_is_enabled(modname) == 0)
		EAL_LOG(INFO, "VFIO: kernel module %s is not loaded", modname);
	return vfio_ret(r);
}

int
rte_vfio_is_enabled(const char *modname)
{
	char path[PATH_MAX];
	int n;

	if (!vfio.enabled || vfio.mode == RTE_VFIO_MODE_NONE)
		return 0;
	if (modname == NULL)
		return 1;
	n = snprintf(path, sizeof(path), "/sys/module/%s", modname);
	if (n < 0 || (size_t)n >= sizeof(path) || strchr(modname, '/') != NULL)
		return 0;
	return sysfs_dir_exists(path) ? 1 : 0;
}

enum rte_vfio_mode
rte_vfio_get_mode(void)
{
	return vfio.enabled ? vfio.mode : RTE_VFIO_MODE_NONE;
}

enum rte_iova_mode
rte_vfio_get_iova_mode(void)
{
	if (!vfio.enabled || vfio.mode == RTE_VFIO_MODE_NONE)
		return RTE_IOVA_DC;
	return vfio.iova_mode;
}

/* "VFIO enable" stage */
int
eal_vfio_enable(void)
{
	return rte_vfio_enable(RTE_VFIO_PCI_MODULE);
}

void
eal_vfio_cleanup(void)
{
	unsigned int i;

	pthread_mutex_lock(&vfio.lock);
	if (vfio.enabled && rte_eal_process_type() != RTE_PROC_SECONDARY)
		vfio_mp_sync_unregister();
	if (vfio.enabled && vfio.mode != RTE_VFIO_MODE_NONE) {
		/* custom containers first: the default one goes last */
		for (i = RTE_DIM(vfio.containers); i-- > 0;) {
			struct vfio_container *c = &vfio.containers[i];

			pthread_mutex_lock(&c->lock);
			if (c->used)
				container_close(c);
			pthread_mutex_unlock(&c->lock);
		}
		vfio.ops->teardown();
	}
	vfio.ops = NULL;
	vfio.mode = RTE_VFIO_MODE_NONE;
	vfio.iova_mode = RTE_IOVA_DC;
	vfio.enabled = false;
	pthread_mutex_unlock(&vfio.lock);
}

/* ---- devices API --------------------------------------------------------- */

int
rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr,
		int *vfio_dev_fd)
{
	struct vfio_container *c;
	struct vfio_device *d;
	enum vfio_result r;
	bool locked;

	r = check_names(sysfs_base, dev_addr);
	if (r == VFIO_OK && vfio_dev_fd == NULL)
		r = VFIO_INVALID;
	if (r != VFIO_OK)
		return vfio_ret(r);
	locked = vfio_mem_lock();
	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	d = device_find(sysfs_base, dev_addr, NULL);
	if (d != NULL) {
		/* assigned before (or set up already): hand out that fd */
		d->setup = true;
		*vfio_dev_fd = d->fd;
		goto unlock;
	}
	c = vfio_default_container();
	pthread_mutex_lock(&c->lock);
	r = device_add(c, sysfs_base, dev_addr, &d);
	if (r == VFIO_OK) {
		d->setup = true;
		*vfio_dev_fd = d->fd;
	}
	pthread_mutex_unlock(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio.lock);
	vfio_mem_unlock(locked);
	return vfio_ret(r);
}

int
rte_vfio_release_device(const char *sysfs_base, const char *dev_addr,
		int vfio_dev_fd)
{
	struct vfio_container *c = NULL;
	struct vfio_device *d;
	enum vfio_result r;

	r = check_names(sysfs_base, dev_addr);
	if (r != VFIO_OK)
		return vfio_ret(r);
	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	d = device_find(sysfs_base, dev_addr, &c);
	/* an assigned device never set up has no fd its user knows: -1 */
	if (d == NULL || (d->fd != vfio_dev_fd &&
			!(vfio_dev_fd < 0 && !d->setup))) {
		EAL_LOG(ERR, "VFIO: release of %s: not open under descriptor %d",
			dev_addr, vfio_dev_fd);
		r = VFIO_NOT_FOUND;
		goto unlock;
	}
	pthread_mutex_lock(&c->lock);
	device_remove(c, d);
	pthread_mutex_unlock(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio.lock);
	return vfio_ret(r);
}

static int
get_num(enum vfio_num_kind kind, const char *sysfs_base, const char *dev_addr,
		int *num)
{
	enum vfio_result r = check_names(sysfs_base, dev_addr);

	if (r == VFIO_OK && num == NULL)
		r = VFIO_INVALID;
	if (r == VFIO_OK)
		r = vfio.enabled && vfio.mode != RTE_VFIO_MODE_NONE ?
			VFIO_OK : VFIO_NOT_INIT;
	if (r == VFIO_OK && vfio.ops->num_kind != kind)
		r = VFIO_UNSUPPORTED;
	if (r == VFIO_OK)
		r = vfio.ops->device_num(sysfs_base, dev_addr, num);
	return vfio_ret(r);
}

int
rte_vfio_get_group_num(const char *sysfs_base, const char *dev_addr,
		int *iommu_group_num)
{
	return get_num(VFIO_NUM_GROUP, sysfs_base, dev_addr, iommu_group_num);
}

int
rte_vfio_get_device_num(const char *sysfs_base, const char *dev_addr,
		int *vfio_device_num)
{
	return get_num(VFIO_NUM_CDEV, sysfs_base, dev_addr, vfio_device_num);
}

/* ---- containers API ------------------------------------------------------ */

int
rte_vfio_get_container_fd(void)
{
	if (!vfio.enabled || vfio.mode == RTE_VFIO_MODE_NONE) {
		rte_errno = ENXIO;
		return -1;
	}
	return vfio_default_container()->fd;
}

int
rte_vfio_container_create(void)
{
	enum vfio_result r;
	unsigned int i;
	int fd = -1;

	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	for (i = VFIO_DEFAULT_CONTAINER + 1; i < RTE_DIM(vfio.containers); i++)
		if (!vfio.containers[i].used)
			break;
	if (i == RTE_DIM(vfio.containers)) {
		EAL_LOG(ERR, "VFIO: all %d containers are in use",
			RTE_MAX_VFIO_CONTAINERS);
		r = VFIO_NO_SPACE;
		goto unlock;
	}
	pthread_mutex_lock(&vfio.containers[i].lock);
	r = container_open(&vfio.containers[i], false, -1);
	if (r == VFIO_OK)
		fd = vfio.containers[i].fd;
	pthread_mutex_unlock(&vfio.containers[i].lock);
unlock:
	pthread_mutex_unlock(&vfio.lock);
	if (r != VFIO_OK)
		return vfio_ret(r);
	return fd;
}

int
rte_vfio_container_destroy(int container_fd)
{
	struct vfio_container *c;
	enum vfio_result r;

	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	c = container_find(container_fd);
	if (c != NULL && c->is_default) {
		EAL_LOG(ERR, "VFIO: the default container cannot be destroyed");
		r = VFIO_INVALID;
	} else if (c == NULL) {
		EAL_LOG(ERR, "VFIO: no container with descriptor %d",
			container_fd);
		r = container_fd < 0 ? VFIO_INVALID : VFIO_NOT_FOUND;
	} else {
		pthread_mutex_lock(&c->lock);
		container_close(c);
		pthread_mutex_unlock(&c->lock);
	}
unlock:
	pthread_mutex_unlock(&vfio.lock);
	return vfio_ret(r);
}

int
rte_vfio_container_assign_device(int container_fd, const char *sysfs_base,
		const char *dev_addr)
{
	struct vfio_container *c, *owner;
	struct vfio_device *d;
	enum vfio_result r;
	bool locked;

	r = check_names(sysfs_base, dev_addr);
	if (r != VFIO_OK)
		return vfio_ret(r);
	locked = vfio_mem_lock();
	pthread_mutex_lock(&vfio.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	c = container_find(container_fd);
	if (c == NULL || !c->used) {
		EAL_LOG(ERR, "VFIO: no container with descriptor %d",
			container_fd);
		r = VFIO_NOT_FOUND;
		goto unlock;
	}
	if (device_find(sysfs_base, dev_addr, &owner) != NULL) {
		EAL_LOG(ERR, "VFIO: %s is already assigned to container %d",
			dev_addr, owner->fd);
		r = VFIO_EXISTS;
		goto unlock;
	}
	pthread_mutex_lock(&c->lock);
	r = device_add(c, sysfs_base, dev_addr, &d);
	pthread_mutex_unlock(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio.lock);
	vfio_mem_unlock(locked);
	return vfio_ret(r);
}

/* ---- user DMA maps ------------------------------------------------------- */

static enum vfio_result
check_range(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);

	if (len == 0 || vaddr + (len - 1) < vaddr || iova + (len - 1) < iova) {
		EAL_LOG(ERR, "VFIO: DMA range va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 " is empty or wraps", vaddr, iova, len);
		return VFIO_INVALID;
	}
	if ((vaddr | iova | len) & (pg - 1)) {
		EAL_LOG(ERR, "VFIO: DMA range va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 " is not page aligned", vaddr, iova,
			len);
		return VFIO_INVALID;
	}
	return VFIO_OK;
}

static void
log_conflict(const char *what, uint64_t va, uint64_t iova, uint64_t len,
		const struct vfio_map *e)
{
	EAL_LOG(ERR, "VFIO: DMA map va 0x%" PRIx64 " iova 0x%" PRIx64 " len 0x%"
		PRIx64 " overlaps %s va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64, va, iova, len, what, e->va, e->iova, e->len);
}

/* caller holds c->lock */
static enum vfio_result
user_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_map e;
	enum vfio_result r;

	r = vfio_maps_check_add(&c->mem_maps, va, iova, len, &e);
	if (r == VFIO_ALREADY)
		return VFIO_OK; /* EAL memory, mapped the same way */
	if (r == VFIO_EXISTS) {
		log_conflict("EAL memory", va, iova, len, &e);
		return r;
	}
	r = vfio_maps_check_add(&c->user_maps, va, iova, len, &e);
	if (r == VFIO_ALREADY)
		return VFIO_OK;
	if (r == VFIO_EXISTS) {
		log_conflict("a user mapping", va, iova, len, &e);
		return r;
	}
	r = vfio_maps_reserve(&c->user_maps);
	if (r != VFIO_OK)
		return r;
	if (vfio.ops->dma_ready(c)) {
		r = vfio.ops->dma_map(c, va, iova, len);
		if (r != VFIO_OK)
			return r;
	}
	vfio_maps_add(&c->user_maps, va, iova, len);
	return VFIO_OK;
}

/* caller holds c->lock */
static enum vfio_result
user_unmap(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1);
	enum vfio_result r;

	r = vfio_maps_check_remove(&c->user_maps, va, iova, len,
		vfio.ops->partial_unmap(c));
	if (r == VFIO_NOT_FOUND)
		EAL_LOG(ERR, "VFIO: DMA unmap va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 ": not mapped", va, iova, len);
	else if (r == VFIO_UNSUPPORTED)
		EAL_LOG(ERR, "VFIO: DMA unmap iova 0x%" PRIx64 " len 0x%" PRIx64
			": covers part of a mapping, which the %s IOMMU cannot unmap",
			iova, len, vfio.ops->iommu_name());
	if (r != VFIO_OK)
		return r;
	r = vfio_maps_reserve(&c->user_maps);
	if (r != VFIO_OK)
		return r;
	/* piece by piece, so that the bookkeeping follows every success */
	while (vfio.ops->dma_ready(c)) {
		const struct vfio_map *e = vfio_maps_next(&c->user_maps, iova);
		uint64_t start, end;

		if (e == NULL || e->iova > last)
			break;
		start = RTE_MAX(e->iova, iova);
		end = RTE_MIN(e->iova + (e->len - 1), last);
		r = vfio.ops->dma_unmap(c, e->va + (start - e->iova), start,
			end - start + 1);
		if (r != VFIO_OK)
			return r;
		vfio_maps_remove(&c->user_maps, start, end - start + 1);
		if (end == last)
			return VFIO_OK;
		iova = end + 1;
		r = vfio_maps_reserve(&c->user_maps);
		if (r != VFIO_OK)
			return r;
	}
	vfio_maps_remove(&c->user_maps, iova, last - iova + 1);
	return VFIO_OK;
}

int
rte_vfio_container_dma_map(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	struct vfio_container *c;
	enum vfio_result r;
	bool locked;

	r = check_range(vaddr, iova, len);
	if (r != VFIO_OK)
		return vfio_ret(r);
	locked = vfio_mem_lock();
	r = container_get(container_fd, &c);
	if (r == VFIO_OK) {
		r = user_map(c, vaddr, iova, len);
		pthread_mutex_unlock(&c->lock);
	}
	vfio_mem_unlock(locked);
	return vfio_ret(r);
}

int
rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	struct vfio_container *c;
	enum vfio_result r;
	bool locked;

	r = check_range(vaddr, iova, len);
	if (r != VFIO_OK)
		return vfio_ret(r);
	locked = vfio_mem_lock();
	r = container_get(container_fd, &c);
	if (r == VFIO_OK) {
		r = user_unmap(c, vaddr, iova, len);
		pthread_mutex_unlock(&c->lock);
	}
	vfio_mem_unlock(locked);
	return vfio_ret(r);
}
