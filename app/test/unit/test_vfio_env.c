/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_errno.h>

#include "eal_options.h"
#include "eal_private.h"
#include "test_vfio_env.h"

#define ENV_CASE_(ctx, id, preset, ...) \
	[VFIO_LANE_ ## id] = { __VA_ARGS__, .fake = FAKE_MODE_ ## preset },
struct vfio_mode_case vfio_mode_cases[VFIO_NB_LANES] = {
	VFIO_LANES(ENV_CASE_, )
};

#define MAX_BUFS 8

static struct {
	void *addr;
	size_t len;
} bufs[MAX_BUFS];

static char pci_dir[PATH_MAX];

void
env_machine(const struct vfio_mode_case *m, unsigned int nb_pci)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	assert_int_equal(fake_machine_setup(m->fake, nb_pci), 0);
	fake_config()->spapr = m->fake_spapr;
	eal_reset_internal_config(cfg);
	cfg->process_type = RTE_PROC_PRIMARY;
	cfg->vfio_mode = env_request(m);
	snprintf(pci_dir, sizeof(pci_dir), "%s/sys/bus/pci/devices",
		fake_sysfs_root());
}

enum eal_vfio_mode_request
env_request(const struct vfio_mode_case *m)
{
	struct internal_config cfg = { .devopts = NULL };
	char opt[64];
	char *argv[] = { (char *)(uintptr_t)"unit", opt, NULL };
	enum eal_vfio_mode_request req;

	snprintf(opt, sizeof(opt), "--vfio-mode=%s", m->vfio_mode);
	eal_reset_internal_config(&cfg);
	if (eal_parse_args(2, argv, &cfg) != 2)
		fail_msg("lane %s: %s refused", m->name, opt);
	req = cfg.vfio_mode;
	eal_reset_internal_config(&cfg);
	return req;
}

int
env_enable(const struct vfio_mode_case *m)
{
	eal_get_internal_configuration()->vfio_mode = env_request(m);
	return rte_vfio_enable(NULL);
}

int
env_setup(void **state)
{
	const struct vfio_mode_case *m = *state;

	env_machine(m, ENV_NB_PCI);
	if (env_enable(m) != 0) {
		print_error("rte_vfio_enable in %s mode: %s\n", m->name,
			strerror(rte_errno));
		return -1;
	}
	return 0;
}

int
env_teardown(void **state)
{
	unsigned int i;

	eal_vfio_cleanup();
	eal_reset_internal_config(eal_get_internal_configuration());
	for (i = 0; i < MAX_BUFS; i++) {
		if (bufs[i].addr != NULL)
			munmap(bufs[i].addr, bufs[i].len);
		bufs[i].addr = NULL;
	}
	return fake_teardown(state);
}

const char *
env_pci(void)
{
	return pci_dir;
}

int
env_kernel_maps(int cfd, struct fake_dma *out, unsigned int max)
{
	uint32_t id;
	int n;

	n = fake_container_mappings(cfd, out, max);
	if (n >= 0)
		return n;
	/* cdev: the container's IOAS (the first one allocated in it) */
	for (id = 1; id < 16; id++) {
		n = fake_ioas_mappings(cfd, id, out, max);
		if (n >= 0)
			return n;
	}
	return -1;
}

uint64_t
env_pg(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

void *
env_buf(size_t pages)
{
	unsigned int i;

	for (i = 0; i < MAX_BUFS; i++) {
		if (bufs[i].addr != NULL)
			continue;
		bufs[i].len = pages * env_pg();
		bufs[i].addr = mmap(NULL, bufs[i].len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(bufs[i].addr != MAP_FAILED);
		return bufs[i].addr;
	}
	fail_msg("too many test buffers");
	return NULL;
}
