/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO front end: containers and devices. Mode selection is in
 * eal_vfio_mode.c, user DMA maps in eal_vfio_dma.c, EAL memory in
 * eal_vfio_mem.c. Everything that talks to the kernel goes through the
 * backend's operations table; no ioctl here.
 *
 * Locking: vfio_state.lock protects the state and the container table;
 * each container has its own lock. Order: memory hotplug lock (read),
 * then vfio_state.lock, then a container lock. The memory event callback
 * holds the hotplug write lock and takes only the default container's
 * lock.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_log.h"
#include "eal_vfio.h"

struct vfio_state vfio_state = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct vfio_container *
vfio_default_container(void)
{
	return vfio_state.containers[VFIO_DEFAULT_CONTAINER];
}

void
vfio_tables_bind(const struct vfio_backend_ops *ops)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfio_state.containers); i++) {
		struct vfio_container *c = ops != NULL ?
			ops->container_slot(i) : NULL;

		if (c != NULL && !c->slot_ready) {
			c->lock = (struct vfio_lock){ 0 };
			TAILQ_INIT(&c->devices);
			c->slot_ready = true;
		}
		vfio_state.containers[i] = c;
	}
}

/* ---- containers ---------------------------------------------------------- */

/* secondary: the primary's default container, with what the backend needs */
static enum vfio_result
container_adopt(struct vfio_container *c, int fd)
{
	const struct vfio_backend_ops *ops = vfio_state.ops;
	enum vfio_result r;
	int64_t exported;

	r = vfio_mp_request(ops->container_request, 0, &exported, NULL);
	if (r != VFIO_OK)
		return r;
	return ops->container_adopt(c, fd, exported);
}

enum vfio_result
vfio_container_open(struct vfio_container *c, bool is_default, int fd)
{
	enum vfio_result r;

	c->is_default = is_default;
	c->adopted = fd >= 0;
	c->fd = -1;
	c->mem_mapped = false;
	c->caps = 0;
	c->kernel_context = false;
	c->windows = NULL;
	c->n_windows = 0;
	c->windows_valid = false;
	TAILQ_INIT(&c->devices);
	if (c->adopted)
		r = container_adopt(c, fd);
	else
		r = vfio_state.ops->container_open(c);
	if (r != VFIO_OK)
		return r;
	vfio_maps_init(&c->user_maps, (c->caps & VFIO_CAP_PARTIAL_UNMAP) != 0);
	vfio_maps_init(&c->mem_maps, false);
	c->used = true;
	return VFIO_OK;
}

static void device_remove(struct vfio_container *c, struct vfio_device *d);

/* caller holds c->lock */
void
vfio_container_close(struct vfio_container *c)
{
	struct vfio_device *d;

	while ((d = TAILQ_FIRST(&c->devices)) != NULL)
		device_remove(c, d);
	vfio_state.ops->container_close(c);
	vfio_windows_forget(c);
	c->kernel_context = false;
	vfio_maps_fini(&c->user_maps);
	vfio_maps_fini(&c->mem_maps);
	c->mem_mapped = false;
	c->used = false;
	c->fd = -1;
}

/* caller holds vfio_state.lock */
static struct vfio_container *
container_find(int fd)
{
	unsigned int i;

	if (fd == RTE_VFIO_DEFAULT_CONTAINER_FD)
		return vfio_default_container();
	for (i = 0; i < RTE_DIM(vfio_state.containers); i++)
		if (vfio_state.containers[i]->used &&
				vfio_state.containers[i]->fd == fd)
			return vfio_state.containers[i];
	return NULL;
}

/* caller holds vfio_state.lock */
enum vfio_result
vfio_check_ready(void)
{
	/* mode NONE has no backend */
	if (!vfio_state.enabled || vfio_state.ops == NULL)
		return VFIO_NOT_INIT;
	return VFIO_OK;
}

/*
 * The lookup of every DMA call, without the state lock: slots are static
 * and their locks never destroyed, and used and fd change only under
 * c->lock, so what the scan finds is checked again under it. NULL: not
 * found this way (vfio_container_get() then looks under the state lock).
 */
static struct vfio_container *
container_get_unlocked(int fd)
{
	struct vfio_container *c = NULL, *s;
	unsigned int i;

	if (!__atomic_load_n(&vfio_state.enabled, __ATOMIC_ACQUIRE))
		return NULL;
	if (fd == RTE_VFIO_DEFAULT_CONTAINER_FD)
		c = __atomic_load_n(&vfio_state.containers[VFIO_DEFAULT_CONTAINER],
			__ATOMIC_ACQUIRE);
	for (i = 0; c == NULL && i < RTE_DIM(vfio_state.containers); i++) {
		s = __atomic_load_n(&vfio_state.containers[i],
			__ATOMIC_ACQUIRE);
		if (s != NULL && __atomic_load_n(&s->used, __ATOMIC_RELAXED) &&
				__atomic_load_n(&s->fd, __ATOMIC_RELAXED) == fd)
			c = s;
	}
	if (c == NULL)
		return NULL;
	vfio_lock_take(&c->lock);
	if (c->used && (fd == RTE_VFIO_DEFAULT_CONTAINER_FD || c->fd == fd))
		return c;
	vfio_lock_release(&c->lock);
	return NULL;
}

/* find and lock a container; vfio_state.lock only when the scan misses */
enum vfio_result
vfio_container_get(int fd, struct vfio_container **out)
{
	struct vfio_container *c;
	enum vfio_result r;

	c = container_get_unlocked(fd);
	if (c != NULL) {
		*out = c;
		return VFIO_OK;
	}
	/* not there, or changing meanwhile: look again under the lock */
	pthread_mutex_lock(&vfio_state.lock);
	r = vfio_check_ready();
	if (r == VFIO_OK) {
		c = container_find(fd);
		if (c == NULL || !c->used) {
			EAL_LOG(ERR, "VFIO: no container with descriptor %d",
				fd);
			r = VFIO_NOT_FOUND;
		} else {
			vfio_lock_take(&c->lock);
			*out = c;
		}
	}
	pthread_mutex_unlock(&vfio_state.lock);
	return r;
}

/* the kernel context of c was (re)created: put every mapping back */
static enum vfio_result
container_replay(struct vfio_container *c)
{
	enum vfio_result r;
	const struct vfio_map *e;

	r = vfio_mem_map_all(c);
	if (r != VFIO_OK)
		return r;
	for (e = vfio_maps_first(&c->user_maps); e != NULL;
			e = vfio_maps_next_entry(&c->user_maps, e)) {
		r = vfio_dma_kernel_map(c, e->va, e->iova, e->len);
		if (r != VFIO_OK)
			return r;
	}
	if (c->user_maps.n > 0)
		EAL_LOG(DEBUG, "VFIO: replayed %zu user mappings in container %d",
			c->user_maps.n, c->fd);
	return VFIO_OK;
}

/* ---- devices ------------------------------------------------------------- */

/* caller holds vfio_state.lock */
static struct vfio_device *
device_find(const char *sysfs_base, const char *addr,
		struct vfio_container **owner)
{
	struct vfio_device *d;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfio_state.containers); i++) {
		struct vfio_container *c = vfio_state.containers[i];

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

/*
 * vfio-pci accepts a VF token only from an SR-IOV PF or a VF and refuses
 * it (EINVAL) for any other device; other VFIO drivers (fsl-mc) match
 * device names exactly. So present it to PFs and VFs only.
 */
static bool
takes_vf_token(const char *sysfs_base, const char *addr)
{
	static const char * const sriov_entries[] = { "physfn", "sriov_totalvfs" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(sriov_entries); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", sysfs_base, addr,
			sriov_entries[i]);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

/* close d; the last group gone takes the context and its mappings along */
static void
device_close(struct vfio_container *c, struct vfio_device *d)
{
	if (!vfio_state.ops->device_close(c, d))
		return;
	c->kernel_context = false;
	vfio_windows_forget(c);
	vfio_mem_forget(c);
}

/* open a device into c; caller holds c->lock */
static enum vfio_result
device_add(struct vfio_container *c, const char *sysfs_base,
		const char *addr, struct vfio_device **out)
{
	struct vfio_device *d;
	enum vfio_result r;
	int num, shared_fd = -1;
	bool new_context = false;

	r = vfio_state.ops->device_num(sysfs_base, addr, &num);
	if (r != VFIO_OK)
		return r;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return VFIO_NO_MEMORY;
	rte_strlcpy(d->sysfs_base, sysfs_base, sizeof(d->sysfs_base));
	rte_strlcpy(d->addr, addr, sizeof(d->addr));
	d->node_num = num;
	d->fd = -1;
	d->vf_token = takes_vf_token(sysfs_base, addr);
	if (c->adopted && vfio_state.ops->device_needs_export(c, d)) {
		/* the primary's descriptor, when it has one */
		r = vfio_mp_request(vfio_state.ops->device_request, num, NULL,
			&shared_fd);
		if (r == VFIO_NOT_FOUND)
			r = VFIO_OK;
		if (r != VFIO_OK)
			goto free_dev;
	}
	r = vfio_state.ops->device_open(c, d, shared_fd, &new_context);
	if (r != VFIO_OK)
		goto free_dev;
	if (new_context) {
		c->kernel_context = true;
		r = container_replay(c);
		if (r != VFIO_OK)
			goto close_dev;
	}
	TAILQ_INSERT_TAIL(&c->devices, d, next);
	*out = d;
	return VFIO_OK;
close_dev:
	device_close(c, d);
free_dev:
	free(d);
	return r;
}

/* caller holds c->lock */
static void
device_remove(struct vfio_container *c, struct vfio_device *d)
{
	TAILQ_REMOVE(&c->devices, d, next);
	device_close(c, d);
	free(d);
}

enum vfio_result
vfio_export(enum vfio_mp_request req, int64_t arg, int64_t *value, int *fd)
{
	const struct vfio_backend_ops *ops = vfio_state.ops;
	struct vfio_container *c = vfio_default_container();
	bool device;

	*value = 0;
	*fd = -1;
	if (ops == NULL || c == NULL || (req != ops->device_request &&
			req != ops->container_request))
		return VFIO_UNSUPPORTED;
	device = req == ops->device_request;
	if (device && (arg < 0 || arg > INT_MAX))
		return VFIO_INVALID;
	vfio_lock_take(&c->lock);
	if (device)
		*fd = c->used ? ops->device_export(c, (int)arg) : -1;
	else
		*value = c->used ? ops->container_export(c) : -1;
	vfio_lock_release(&c->lock);
	if (device)
		return *fd < 0 ? VFIO_NOT_FOUND : VFIO_OK;
	return *value < 0 ? VFIO_UNSUPPORTED : VFIO_OK;
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

/* ---- devices API --------------------------------------------------------- */

/*
 * A device open takes the memory hotplug read lock (the first device may
 * map EAL memory), then the state lock; the caller unlocks both.
 */
static enum vfio_result
open_lock(bool *mem_locked)
{
	*mem_locked = vfio_mem_lock();
	pthread_mutex_lock(&vfio_state.lock);
	return vfio_check_ready();
}

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
		return vfio_result_ret(r);
	r = open_lock(&locked);
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
	vfio_lock_take(&c->lock);
	r = device_add(c, sysfs_base, dev_addr, &d);
	if (r == VFIO_OK) {
		d->setup = true;
		*vfio_dev_fd = d->fd;
	}
	vfio_lock_release(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio_state.lock);
	vfio_mem_unlock(locked);
	return vfio_result_ret(r);
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
		return vfio_result_ret(r);
	pthread_mutex_lock(&vfio_state.lock);
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
	vfio_lock_take(&c->lock);
	device_remove(c, d);
	vfio_lock_release(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio_state.lock);
	return vfio_result_ret(r);
}

/* groups: the numbers are IOMMU groups, else cdev numbers */
static int
get_num(bool groups, const char *sysfs_base, const char *dev_addr, int *num)
{
	enum vfio_result r = check_names(sysfs_base, dev_addr);

	if (r == VFIO_OK && num == NULL)
		r = VFIO_INVALID;
	if (r == VFIO_OK)
		r = vfio_check_ready();
	if (r == VFIO_OK && ((vfio_default_container()->caps &
			VFIO_CAP_GROUPS) != 0) != groups)
		r = VFIO_UNSUPPORTED;
	if (r == VFIO_OK)
		r = vfio_state.ops->device_num(sysfs_base, dev_addr, num);
	return vfio_result_ret(r);
}

int
rte_vfio_get_group_num(const char *sysfs_base, const char *dev_addr,
		int *iommu_group_num)
{
	return get_num(true, sysfs_base, dev_addr, iommu_group_num);
}

int
rte_vfio_get_device_num(const char *sysfs_base, const char *dev_addr,
		int *vfio_device_num)
{
	return get_num(false, sysfs_base, dev_addr, vfio_device_num);
}

/* ---- containers API ------------------------------------------------------ */

int
rte_vfio_get_container_fd(void)
{
	enum vfio_result r = vfio_check_ready();

	if (r != VFIO_OK)
		return vfio_result_ret(r);
	return vfio_default_container()->fd;
}

int
rte_vfio_container_create(void)
{
	struct vfio_container *c;
	enum vfio_result r;
	unsigned int i;
	int fd = -1;

	pthread_mutex_lock(&vfio_state.lock);
	r = vfio_check_ready();
	if (r != VFIO_OK)
		goto unlock;
	for (i = VFIO_DEFAULT_CONTAINER + 1; i < RTE_DIM(vfio_state.containers); i++)
		if (!vfio_state.containers[i]->used)
			break;
	if (i == RTE_DIM(vfio_state.containers)) {
		EAL_LOG(ERR, "VFIO: all %d containers are in use",
			RTE_MAX_VFIO_CONTAINERS);
		r = VFIO_NO_SPACE;
		goto unlock;
	}
	c = vfio_state.containers[i];
	vfio_lock_take(&c->lock);
	r = vfio_container_open(c, false, -1);
	if (r == VFIO_OK)
		fd = c->fd;
	vfio_lock_release(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio_state.lock);
	if (r != VFIO_OK)
		return vfio_result_ret(r);
	return fd;
}

int
rte_vfio_container_destroy(int container_fd)
{
	struct vfio_container *c;
	enum vfio_result r;

	pthread_mutex_lock(&vfio_state.lock);
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
		vfio_lock_take(&c->lock);
		vfio_container_close(c);
		vfio_lock_release(&c->lock);
	}
unlock:
	pthread_mutex_unlock(&vfio_state.lock);
	return vfio_result_ret(r);
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
		return vfio_result_ret(r);
	r = open_lock(&locked);
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
	vfio_lock_take(&c->lock);
	r = device_add(c, sysfs_base, dev_addr, &d);
	vfio_lock_release(&c->lock);
unlock:
	pthread_mutex_unlock(&vfio_state.lock);
	vfio_mem_unlock(locked);
	return vfio_result_ret(r);
}
