/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_options.h"
#include "eal_private.h"
#include "eal_telemetry.h"

static int eal_initialized;
static int eal_init_running;

int
eal_is_initialized(void)
{
	return __atomic_load_n(&eal_initialized, __ATOMIC_ACQUIRE);
}

enum rte_proc_type_t
rte_eal_process_type(void)
{
	return eal_get_internal_configuration()->process_type;
}

int
rte_eal_has_pci(void)
{
	return !eal_get_internal_configuration()->no_pci;
}

int
rte_eal_has_hugepages(void)
{
	return !eal_get_internal_configuration()->no_hugetlbfs;
}

enum rte_intr_mode
rte_eal_vfio_intr_mode(void)
{
	return eal_get_internal_configuration()->vfio_intr_mode;
}

void
rte_eal_vfio_get_vf_token(rte_uuid_t vf_token)
{
	rte_uuid_copy(vf_token, eal_get_internal_configuration()->vfio_vf_token);
}

static int
devargs_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;

	for (i = 0; i < cfg->nb_devopts; i++) {
		if (rte_devargs_add(cfg->devopts[i].policy,
				cfg->devopts[i].str) != 0) {
			rte_devargs_clear();
			return -1;
		}
	}
	return 0;
}

static int
bus_scan(void)
{
	return rte_bus_scan();
}

static void
bus_cleanup(void)
{
	rte_bus_cleanup();
}

static int
bus_probe(void)
{
	/* rte_errno: the first failing bus's reason */
	if (rte_bus_probe() != 0)
		return -1;
	return 0;
}

/*
 * rte_eal_init() runs these in order; a failing stage has undone its own
 * work, and the stages before it are undone in reverse order.
 * rte_eal_cleanup() undoes all of them in reverse order.
 */
static const struct eal_stage {
	const char *name;
	int (*init)(void);
	void (*fini)(void);
} eal_stages[] = {
	{ "device arguments", devargs_init, rte_devargs_clear },
	{ "runtime directory", eal_runtime_dir_init, eal_runtime_dir_cleanup },
	{ "multi-process channel", eal_mp_init, eal_mp_cleanup },
	{ "interrupt thread", eal_intr_init, eal_intr_cleanup },
	{ "VFIO enable", eal_vfio_enable, eal_vfio_cleanup },
	{ "bus scan", bus_scan, bus_cleanup },
	{ "IOVA mode", eal_iova_mode_select, NULL },
	{ "memory", eal_memory_init, eal_memory_cleanup },
	{ "VFIO memory init", eal_vfio_mem_init, eal_vfio_mem_cleanup },
	{ "bus probe", bus_probe, NULL },
	{ "hotplug", eal_hotplug_init, eal_hotplug_cleanup },
	{ "telemetry", eal_telemetry_init, eal_telemetry_cleanup },
};

static void
stages_undo(size_t n)
{
	while (n-- > 0)
		if (eal_stages[n].fini != NULL)
			eal_stages[n].fini();
}

static int
stages_run(void)
{
	size_t i;

	for (i = 0; i < RTE_DIM(eal_stages); i++) {
		rte_errno = 0;
		if (eal_stages[i].init() != 0) {
			int err = rte_errno != 0 ? rte_errno : EIO;

			EAL_LOG(ERR, "initialisation failed at stage '%s': %s",
				eal_stages[i].name, rte_strerror(err));
			stages_undo(i);
			rte_errno = err;
			return -1;
		}
	}
	return 0;
}

static void
eal_log_outcome(void)
{
	EAL_LOG(DEBUG, "%s process, IOVA as %s, runtime directory '%s'",
		rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" :
			"secondary",
		rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA",
		rte_eal_get_runtime_dir());
}

int
rte_eal_init(int argc, char **argv)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	int parsed, err;

	if (eal_is_initialized() ||
			__atomic_exchange_n(&eal_init_running, 1, __ATOMIC_ACQ_REL)) {
		EAL_LOG(ERR, "rte_eal_init: EAL is already initialised");
		rte_errno = EALREADY;
		return -1;
	}
	eal_reset_internal_config(cfg);
	parsed = eal_parse_args(argc, argv, cfg);
	if (parsed == 0)
		exit(EXIT_SUCCESS); /* --help, as every DPDK application does */
	if (parsed < 0 || eal_check_options(cfg) != 0)
		goto fail;
	eal_telemetry_save_args(parsed - 1, argv + 1); /* for /eal/params */
	if (stages_run() != 0)
		goto fail;
	eal_log_outcome();
	__atomic_store_n(&eal_initialized, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&eal_init_running, 0, __ATOMIC_RELEASE);
	/* like getopt users expect: argv[parsed - 1] now names the program */
	parsed--;
	if (parsed > 0)
		argv[parsed] = argv[0];
	return parsed;
fail:
	err = rte_errno;
	eal_telemetry_free_args();
	eal_reset_internal_config(cfg);
	__atomic_store_n(&eal_init_running, 0, __ATOMIC_RELEASE);
	rte_errno = err;
	return -1;
}

int
rte_eal_cleanup(void)
{
	if (!eal_is_initialized()) {
		rte_errno = EALREADY;
		return -1;
	}
	stages_undo(RTE_DIM(eal_stages));
	eal_reset_internal_config(eal_get_internal_configuration());
	eal_iova_mode_set(RTE_IOVA_DC);
	__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
	return 0;
}
