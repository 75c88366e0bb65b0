/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Telemetry commands of the VFIO subsystem: what a running process chose
 * and holds (mode, containers, devices, DMA mappings), from the read-only
 * views of eal_vfio_info.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "eal_vfio_info.h"

/* entries of one /vfio/devices or /vfio/dma_maps reply */
#define VFIO_TEL_PAGE 64

static const char *
iova_name(enum rte_iova_mode m)
{
	return m == RTE_IOVA_VA ? "VA" : m == RTE_IOVA_PA ? "PA" : "DC";
}

/* "12" -> 12; -1 for anything but a decimal number */
static long
parse_num(const char *s)
{
	char *end;
	long v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > INT32_MAX)
		return -1;
	return v;
}

static void
add_hex(struct rte_tel_data *d, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	rte_tel_data_add_dict_string(d, name, buf);
}

static int
cmd_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vfio_info i;

	if (params != NULL)
		return -EINVAL;
	vfio_info_get(&i);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", vfio_mode_name(i.mode));
	rte_tel_data_add_dict_string(d, "interface", i.interface);
	rte_tel_data_add_dict_string(d, "iommu_type", i.iommu);
	rte_tel_data_add_dict_string(d, "iova_mode", iova_name(rte_eal_iova_mode()));
	rte_tel_data_add_dict_string(d, "process",
		rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" :
		"secondary");
	rte_tel_data_add_dict_int(d, "enabled", i.enabled);
	rte_tel_data_add_dict_uint(d, "containers", i.containers);
	return 0;
}

static struct rte_tel_data *
container_data(const struct vfio_info_container *c)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	struct rte_tel_data *g;
	unsigned int i;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "index", c->index);
	rte_tel_data_add_dict_int(d, "fd", c->fd);
	rte_tel_data_add_dict_int(d, "default", c->is_default);
	rte_tel_data_add_dict_uint(d, "devices", c->devices);
	rte_tel_data_add_dict_uint(d, "user_maps", c->user_maps);
	rte_tel_data_add_dict_uint(d, "mem_maps", c->mem_maps);
	if (c->ioas_id >= 0)
		rte_tel_data_add_dict_int(d, "ioas_id", c->ioas_id);
	g = rte_tel_data_alloc();
	if (g != NULL) {
		rte_tel_data_start_array(g, RTE_TEL_INT_VAL);
		for (i = 0; i < c->ngroups; i++)
			rte_tel_data_add_array_int(g, c->groups[i]);
		rte_tel_data_add_dict_container(d, "groups", g, 0);
	}
	return d;
}

static int
cmd_containers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vfio_info_container c;
	unsigned int i;

	if (params != NULL)
		return -EINVAL;
	rte_tel_data_start_array(d, RTE_TEL_CONTAINER);
	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS; i++) {
		if (vfio_info_container(i, &c) != 0)
			continue;
		if (rte_tel_data_add_array_container(d, container_data(&c),
				0) != 0)
			return -ENOMEM;
	}
	return 0;
}

static struct rte_tel_data *
device_data(const struct vfio_info_device *v)
{
	struct rte_tel_data *d = rte_tel_data_alloc();

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", v->addr);
	rte_tel_data_add_dict_uint(d, "container", v->container);
	rte_tel_data_add_dict_int(d, "fd", v->fd);
	rte_tel_data_add_dict_int(d, v->is_cdev ? "cdev" : "group", v->num);
	rte_tel_data_add_dict_int(d, "setup", v->setup);
	return d;
}

static int
cmd_devices(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vfio_info_device devs[VFIO_TEL_PAGE];
	struct rte_tel_data *a;
	unsigned int i, n, total;
	long start = params != NULL ? parse_num(params) : 0;

	if (start < 0)
		return -EINVAL;
	n = vfio_info_devices((unsigned int)start, devs, RTE_DIM(devs), &total);
	a = rte_tel_data_alloc();
	if (a == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(a, RTE_TEL_CONTAINER);
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_container(a, device_data(&devs[i]), 0);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "count", total);
	rte_tel_data_add_dict_uint(d, "start", (uint64_t)start);
	return rte_tel_data_add_dict_container(d, "devices", a, 0);
}

/* "<container>[,<user|mem>[,<start>]]" */
static int
parse_maps_params(const char *params, long *index,
		enum vfio_info_maps_kind *kind, long *start)
{
	char buf[64], *tok[4];
	int n;

	*index = 0;
	*kind = VFIO_INFO_MAPS_USER;
	*start = 0;
	if (params == NULL)
		return 0;
	if (rte_strscpy(buf, params, sizeof(buf)) < 0)
		return -EINVAL;
	n = rte_strsplit(buf, sizeof(buf), tok, RTE_DIM(tok), ',');
	if (n < 1 || n > 3)
		return -EINVAL;
	*index = parse_num(tok[0]);
	if (n >= 2) {
		if (strcmp(tok[1], "mem") == 0)
			*kind = VFIO_INFO_MAPS_MEM;
		else if (strcmp(tok[1], "user") != 0)
			return -EINVAL;
	}
	if (n == 3)
		*start = parse_num(tok[2]);
	return *index < 0 || *start < 0 ? -EINVAL : 0;
}

static int
cmd_dma_maps(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vfio_info_map maps[VFIO_TEL_PAGE];
	enum vfio_info_maps_kind kind;
	struct rte_tel_data *a;
	long index, start;
	size_t total;
	int i, n;

	if (parse_maps_params(params, &index, &kind, &start) != 0)
		return -EINVAL;
	n = vfio_info_maps((unsigned int)index, kind, (size_t)start, maps,
		RTE_DIM(maps), &total);
	if (n < 0)
		return n;
	a = rte_tel_data_alloc();
	if (a == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(a, RTE_TEL_CONTAINER);
	for (i = 0; i < n; i++) {
		struct rte_tel_data *e = rte_tel_data_alloc();

		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		add_hex(e, "iova", maps[i].iova);
		add_hex(e, "va", maps[i].va);
		add_hex(e, "len", maps[i].len);
		rte_tel_data_add_array_container(a, e, 0);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "container", (uint64_t)index);
	rte_tel_data_add_dict_string(d, "kind",
		kind == VFIO_INFO_MAPS_MEM ? "mem" : "user");
	rte_tel_data_add_dict_uint(d, "count", total);
	rte_tel_data_add_dict_uint(d, "start", (uint64_t)start);
	return rte_tel_data_add_dict_container(d, "entries", a, 0);
}

RTE_INIT(vfio_telemetry_init)
{
	rte_telemetry_register_cmd("/vfio/info", cmd_info,
		"VFIO mode, interface (backend), IOMMU type, IOVA mode, process role and containers in use. Takes no parameters");
	rte_telemetry_register_cmd("/vfio/containers", cmd_containers,
		"Containers: descriptor, default or not, devices, user and EAL memory mappings, IOMMU groups (group modes) or IOAS (cdev). Takes no parameters");
	rte_telemetry_register_cmd("/vfio/devices", cmd_devices,
		"Devices open through VFIO, 64 a page. Parameter: the first entry (default 0)");
	rte_telemetry_register_cmd("/vfio/dma_maps", cmd_dma_maps,
		"DMA mappings of a container by IOVA: count and 64 entries. Parameters: <container>[,<user|mem>[,<start>]] (default 0,user,0)");
}
