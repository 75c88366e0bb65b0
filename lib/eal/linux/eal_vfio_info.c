/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Read-only views of the VFIO state for introspection. Every function
 * takes vfio_state.lock, then the container's lock (the order of the rest
 * of the front end), copies what it reports and lets both go: nothing
 * here changes the state or talks to the kernel.
 */

#include <errno.h>
#include <string.h>

#include <rte_string_fns.h>

#include "eal_vfio.h"
#include "eal_vfio_info.h"

void
vfio_info_get(struct vfio_info *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&vfio_state.lock);
	out->enabled = vfio_state.enabled;
	out->mode = vfio_state.mode;
	out->iova_mode = vfio_state.iova_mode;
	out->interface = vfio_state.ops != NULL ? vfio_state.ops->name : "none";
	out->iommu = vfio_state.ops != NULL ? vfio_state.ops->iommu_name() :
		"none";
	for (i = 0; i < RTE_DIM(vfio_state.containers); i++)
		if (vfio_state.containers[i] != NULL &&
				vfio_state.containers[i]->used)
			out->containers++;
	pthread_mutex_unlock(&vfio_state.lock);
}

/* the container in slot index, locked, with vfio_state.lock held */
static int
container_lock(unsigned int index, struct vfio_container **out)
{
	struct vfio_container *c;

	if (index >= RTE_DIM(vfio_state.containers))
		return -EINVAL;
	pthread_mutex_lock(&vfio_state.lock);
	c = vfio_state.containers[index];
	if (vfio_check_ready() != VFIO_OK || c == NULL || !c->used) {
		pthread_mutex_unlock(&vfio_state.lock);
		return -ENOENT;
	}
	vfio_lock_take(&c->lock);
	*out = c;
	return 0;
}

static void
container_unlock(struct vfio_container *c)
{
	vfio_lock_release(&c->lock);
	pthread_mutex_unlock(&vfio_state.lock);
}

static void
add_group(struct vfio_info_container *out, int num)
{
	unsigned int i;

	for (i = 0; i < out->ngroups; i++)
		if (out->groups[i] == num)
			return;
	if (out->ngroups < RTE_DIM(out->groups))
		out->groups[out->ngroups++] = num;
}

int
vfio_info_container(unsigned int index, struct vfio_info_container *out)
{
	const struct vfio_device *d;
	struct vfio_container *c;
	bool groups;
	int ret;

	ret = container_lock(index, &c);
	if (ret != 0)
		return ret;
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->fd = c->fd;
	out->is_default = c->is_default;
	out->ioas_id = -1;
	out->user_maps = c->user_maps.n;
	out->mem_maps = c->mem_maps.n;
	groups = (c->caps & VFIO_CAP_GROUPS) != 0;
	TAILQ_FOREACH(d, &c->devices, next) {
		out->devices++;
		if (groups)
			add_group(out, d->node_num);
	}
	/* the cdev backend exports the IOAS of any of its containers */
	if (vfio_state.ops->container_request == VFIO_MP_IOAS_ID)
		out->ioas_id = vfio_state.ops->container_export(c);
	container_unlock(c);
	return 0;
}

unsigned int
vfio_info_devices(unsigned int start, struct vfio_info_device *out,
		unsigned int max, unsigned int *total)
{
	unsigned int i, n = 0, seen = 0;

	pthread_mutex_lock(&vfio_state.lock);
	for (i = 0; vfio_check_ready() == VFIO_OK &&
			i < RTE_DIM(vfio_state.containers); i++) {
		struct vfio_container *c = vfio_state.containers[i];
		const struct vfio_device *d;

		if (!c->used)
			continue;
		vfio_lock_take(&c->lock);
		TAILQ_FOREACH(d, &c->devices, next) {
			if (seen++ < start || n == max)
				continue;
			rte_strlcpy(out[n].addr, d->addr, sizeof(out[n].addr));
			out[n].container = i;
			out[n].fd = d->fd;
			out[n].num = d->node_num;
			out[n].is_cdev = (c->caps & VFIO_CAP_GROUPS) == 0;
			out[n].setup = d->setup;
			n++;
		}
		vfio_lock_release(&c->lock);
	}
	pthread_mutex_unlock(&vfio_state.lock);
	if (total != NULL)
		*total = seen;
	return n;
}

int
vfio_info_maps(unsigned int index, enum vfio_info_maps_kind kind,
		size_t start, struct vfio_info_map *out, size_t max,
		size_t *total)
{
	const struct vfio_maps *m;
	const struct vfio_map *e;
	struct vfio_container *c;
	size_t i = 0, n = 0;
	int ret;

	ret = container_lock(index, &c);
	if (ret != 0)
		return ret;
	m = kind == VFIO_INFO_MAPS_MEM ? &c->mem_maps : &c->user_maps;
	*total = m->n;
	for (e = vfio_maps_first(m); e != NULL && n < max;
			e = vfio_maps_next_entry(m, e), i++) {
		if (i < start)
			continue;
		out[n].va = e->va;
		out[n].iova = e->iova;
		out[n].len = e->len;
		n++;
	}
	container_unlock(c);
	return (int)n;
}
