/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Every kernel call of every VFIO flow fails once, in every mode: the call
 * returns -1 with the documented errno, and leaves no descriptor, no
 * kernel mapping and no table entry behind (the same call then succeeds
 * without the fault, and undoing it gets back to where we started).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_errno.h>
#include <rte_uuid.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "eal_private.h"
#include "test_vfio_env.h"

#define IOVA0 0x10000000ULL
/* a flow makes fewer calls of one kind than this: nth goes until not hit */
#define NTH_LIMIT 4096
#define CALL_ERRS_MAX 8

/* every ioctl, with the errno values the kernel documents for it (EIO too) */
static const struct kernel_call {
	unsigned long req;
	int errs[CALL_ERRS_MAX];
} kernel_calls[] = {
	{ VFIO_GET_API_VERSION, { EIO, ENOTTY } },
	{ VFIO_CHECK_EXTENSION, { EIO, EINVAL, ENOTTY } },
	{ VFIO_SET_IOMMU, { EIO, EINVAL, EBUSY, ENODEV, ENOMEM, EPERM } },
	{ VFIO_GROUP_GET_STATUS, { EIO, EFAULT, EINVAL } },
	{ VFIO_GROUP_SET_CONTAINER, { EIO, EINVAL, EBUSY, EPERM, EBADF,
		ENOMEM } },
	{ VFIO_GROUP_GET_DEVICE_FD, { EIO, ENODEV, EPERM, EBUSY, EACCES,
		EINVAL, ENOMEM, EMFILE } },
	{ VFIO_IOMMU_GET_INFO, { EIO, EINVAL, EFAULT, ENOMEM } },
	{ VFIO_IOMMU_MAP_DMA, { EIO, EINVAL, EEXIST, ENOMEM, ENOSPC, EFAULT,
		EBUSY, EPERM } },
	{ VFIO_IOMMU_UNMAP_DMA, { EIO, EINVAL, EFAULT, EBUSY } },
	{ VFIO_DEVICE_GET_INFO, { EIO, EFAULT, EINVAL } },
	{ VFIO_DEVICE_BIND_IOMMUFD, { EIO, EBADF, EINVAL, EBUSY, ENODEV, EPERM,
		EACCES, ENOMEM } },
	{ VFIO_DEVICE_ATTACH_IOMMUFD_PT, { EIO, EINVAL, ENOENT, EBUSY, ENOMEM,
		EPERM } },
	{ IOMMU_IOAS_ALLOC, { EIO, ENOMEM, EOPNOTSUPP, EINVAL } },
	{ IOMMU_IOAS_MAP, { EIO, EINVAL, EEXIST, ENOMEM, ENOSPC, EFAULT,
		EOVERFLOW, ENOENT } },
	{ IOMMU_IOAS_UNMAP, { EIO, ENOENT, EINVAL, EBUSY } },
	{ IOMMU_IOAS_IOVA_RANGES, { EIO, EMSGSIZE, EINVAL, ENOENT } },
	{ IOMMU_IOAS_NOIOMMU_GET_PA, { EIO, EPERM, EOPNOTSUPP, EINVAL,
		EOVERFLOW, ENOENT, ENOTTY } },
	{ IOMMU_DESTROY, { EIO, EBUSY, ENOENT } },
	/* sPAPR numbers not shared with the ones above */
	{ VFIO_IOMMU_SPAPR_REGISTER_MEMORY, { EIO, EINVAL, ENOMEM, EBUSY } },
	{ VFIO_IOMMU_SPAPR_TCE_REMOVE, { EIO, EINVAL, ENOENT } },
};

/*
 * What a kernel errno may become in rte_errno (eal_vfio_result.c): the
 * errno itself for the ones callers branch on, ENODEV for a device or
 * node that is not there, EIO for the rest.
 */
static bool
errno_translates(int kernel, int got)
{
	switch (kernel) {
	case EACCES: case EPERM: case ENOMEM: case ENOSPC: case EEXIST:
		return got == kernel || got == EIO;
	case ENOENT: case ENODEV:
		return got == ENODEV || got == ENOENT || got == EIO;
	default:
		return got == EIO;
	}
}

static const char *const node_paths[] = {
	"/dev/vfio/vfio", "/dev/vfio/1", "/dev/vfio/noiommu-1", "/dev/iommu",
	"/dev/vfio/devices/",
};

/* one flow: run it, undo it, and check the state is the starting one */
struct flow {
	const char *name;
	int (*run)(void *ctx);
	void (*undo)(void *ctx);
	void (*check)(void *ctx);  /* state equals the starting state */
	int errs[2];               /* errno values the flow documents */
};

static void
after_failure(const struct flow *f, void *ctx, int ret, int err,
		const char *fault, int kernel_err)
{
	if (ret != -1 || (err != f->errs[0] && err != f->errs[1] &&
			!errno_translates(kernel_err, err)))
		fail_msg("%s with %s failing (%s): got %d errno %d (%s)",
			f->name, fault, strerror(kernel_err), ret, err,
			strerror(err));
	f->check(ctx);
	/* nothing half-built: the same call works without the fault */
	if (f->run(ctx) != 0)
		fail_msg("%s fails after a fault on %s: %s", f->name, fault,
			strerror(rte_errno));
	f->undo(ctx);
	f->check(ctx);
}

/* @return the number of injected faults that made the flow fail */
static unsigned int
sweep(const struct flow *f, void *ctx)
{
	unsigned int i, nth, failures = 0;
	char fault[96];

	for (i = 0; i < RTE_DIM(kernel_calls); i++) {
		const struct kernel_call *k = &kernel_calls[i];
		unsigned int e;

		for (e = 0; e < CALL_ERRS_MAX && k->errs[e] != 0; e++) {
			for (nth = 1; nth <= NTH_LIMIT; nth++) {
				unsigned int before = fake_ioctl_calls(k->req);
				int ret, err, hit;

				fake_fault_clear();
				fake_fault_ioctl(k->req, nth, k->errs[e]);
				rte_errno = 0;
				ret = f->run(ctx);
				err = rte_errno;
				hit = fake_ioctl_calls(k->req) - before >= nth;
				fake_fault_clear();
				snprintf(fault, sizeof(fault), "ioctl %#lx call %u",
					k->req, nth);
				if (ret == 0) {
					f->undo(ctx); /* a fault it could live with */
					f->check(ctx);
				} else {
					failures++;
					after_failure(f, ctx, ret, err, fault,
						k->errs[e]);
				}
				if (!hit)
					break;
			}
			assert_true(nth <= NTH_LIMIT);
		}
	}
	for (i = 0; i < RTE_DIM(node_paths); i++) {
		for (nth = 1; nth <= 2; nth++) {
			int ret, err;

			fake_fault_clear();
			fake_fault_open(node_paths[i], nth, EIO);
			rte_errno = 0;
			ret = f->run(ctx);
			err = rte_errno;
			fake_fault_clear();
			snprintf(fault, sizeof(fault), "open %s call %u",
				node_paths[i], nth);
			if (ret == 0) {
				f->undo(ctx);
				f->check(ctx);
			} else {
				failures++;
				after_failure(f, ctx, ret, err, fault, EIO);
			}
		}
	}
	return failures;
}

struct ctx {
	const struct vfio_mode_case *m;
	unsigned int base_fds;
	int cfd;
	int dev_fd;
	uint64_t va;
	int kernel;   /* kernel mappings expected in the starting state */
};

static void
check_fds(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(fake_open_fds(), c->base_fds);
	assert_int_equal(fake_device_open_count(DEV0), 0);
	assert_int_equal(fake_device_open_count(DEV1), 0);
}

/* ---- enable --------------------------------------------------------------- */

static int
run_enable(void *arg)
{
	struct ctx *c = arg;

	if (env_enable(c->m) != 0)
		return -1;
	assert_int_not_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	return 0;
}

static void
undo_enable(void *arg)
{
	(void)arg;
	eal_vfio_cleanup();
}

static void
check_disabled(void *arg)
{
	check_fds(arg);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
}

static void
test_enable_faults(void **state)
{
	const struct flow f = { "rte_vfio_enable", run_enable, undo_enable,
		check_disabled, { EIO, ENODEV } };
	struct ctx c = { .m = *state };

	eal_vfio_cleanup();
	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
	assert_int_equal(env_enable(c.m), 0);
}

/* ---- device setup (default container) ------------------------------------- */

static int
run_setup(void *arg)
{
	struct ctx *c = arg;

	return rte_vfio_setup_device(env_pci(), DEV0, &c->dev_fd);
}

static void
undo_setup(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, c->dev_fd),
		0);
}

static void
check_setup(void *arg)
{
	struct ctx *c = arg;

	check_fds(arg);
	assert_int_equal(env_kernel_maps(rte_vfio_get_container_fd(), NULL, 0) >
		0 ? 1 : 0, c->kernel);
}

static void
test_setup_device_faults(void **state)
{
	const struct flow f = { "rte_vfio_setup_device", run_setup, undo_setup,
		check_setup, { EIO, EIO } };
	struct ctx c = { .m = *state };

	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
}

/* with a user mapping waiting in the default container: replay can fail */
static void
test_setup_device_replay_faults(void **state)
{
	const struct flow f = { "rte_vfio_setup_device (replay)", run_setup,
		undo_setup, check_setup, { EIO, EIO } };
	struct ctx c = { .m = *state };

	c.va = (uintptr_t)env_buf(4);
	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, c.va, IOVA0, 4 * env_pg()), 0);
	/* group: only bookkeeping until a group joins */
	c.kernel = env_user_maps_in_kernel(c.m) && !env_groups(c.m) ? 1 : 0;
	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
	assert_int_equal(rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, c.va, IOVA0, 4 * env_pg()), 0);
}

/* ---- containers ----------------------------------------------------------- */

static int
run_create(void *arg)
{
	struct ctx *c = arg;

	c->cfd = rte_vfio_container_create();
	return c->cfd >= 0 ? 0 : -1;
}

static void
undo_create(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(rte_vfio_container_destroy(c->cfd), 0);
}

static void
test_container_create_faults(void **state)
{
	const struct flow f = { "rte_vfio_container_create", run_create,
		undo_create, check_fds, { EIO, EIO } };
	struct ctx c = { .m = *state };

	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
}

static int
run_assign(void *arg)
{
	struct ctx *c = arg;

	return rte_vfio_container_assign_device(c->cfd, env_pci(), DEV1);
}

static void
undo_assign(void *arg)
{
	(void)arg;
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV1, -1), 0);
}

static void
test_assign_device_faults(void **state)
{
	const struct flow f = { "rte_vfio_container_assign_device",
		run_assign, undo_assign, check_fds, { EIO, EIO } };
	struct ctx c = { .m = *state };

	c.cfd = rte_vfio_container_create();
	assert_true(c.cfd >= 0);
	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
	assert_int_equal(rte_vfio_container_destroy(c.cfd), 0);
}

/* ---- DMA ------------------------------------------------------------------- */

static int
run_map(void *arg)
{
	struct ctx *c = arg;

	return rte_vfio_container_dma_map(c->cfd, c->va, IOVA0, 4 * env_pg());
}

static void
undo_map(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(rte_vfio_container_dma_unmap(c->cfd, c->va, IOVA0,
		4 * env_pg()), 0);
}

static void
check_maps(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(fake_open_fds(), c->base_fds);
	assert_int_equal(env_kernel_maps(c->cfd, NULL, 0) > 0 ? 1 : 0,
		c->kernel);
}

static int
run_unmap(void *arg)
{
	struct ctx *c = arg;

	return rte_vfio_container_dma_unmap(c->cfd, c->va, IOVA0,
		4 * env_pg());
}

static void
undo_unmap(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(rte_vfio_container_dma_map(c->cfd, c->va, IOVA0,
		4 * env_pg()), 0);
}

static void
test_dma_map_faults(void **state)
{
	const struct flow f = { "rte_vfio_container_dma_map", run_map,
		undo_map, check_maps, { EIO, EIO } };
	struct ctx c = { .m = *state };
	unsigned int failures;

	c.va = (uintptr_t)env_buf(4);
	c.cfd = rte_vfio_container_create();
	assert_true(c.cfd >= 0);
	assert_int_equal(rte_vfio_container_assign_device(c.cfd, env_pci(),
		DEV1), 0);
	c.base_fds = fake_open_fds();
	failures = sweep(&f, &c);
	/* no-IOMMU groups: bookkeeping only, no kernel call to fail */
	assert_true(env_user_maps_in_kernel(c.m) ? failures > 0 : failures == 0);
	assert_int_equal(rte_vfio_container_destroy(c.cfd), 0);
}

static void
test_dma_unmap_faults(void **state)
{
	const struct flow f = { "rte_vfio_container_dma_unmap", run_unmap,
		undo_unmap, check_maps, { EIO, EIO } };
	struct ctx c = { .m = *state };
	unsigned int failures;

	c.va = (uintptr_t)env_buf(4);
	c.cfd = rte_vfio_container_create();
	assert_true(c.cfd >= 0);
	assert_int_equal(rte_vfio_container_assign_device(c.cfd, env_pci(),
		DEV1), 0);
	assert_int_equal(run_map(&c), 0);
	c.base_fds = fake_open_fds();
	c.kernel = env_user_maps_in_kernel(c.m) ? 1 : 0;
	failures = sweep(&f, &c);
	assert_true(env_user_maps_in_kernel(c.m) ? failures > 0 : failures == 0);
	assert_int_equal(run_unmap(&c), 0);
	assert_int_equal(rte_vfio_container_destroy(c.cfd), 0);
}

/* ---- replay of many user maps (past the 8th kernel call) ---------------- */

#define MANY_MAPS 12

static void
test_setup_device_replay_many_maps_faults(void **state)
{
	const struct flow f = { "rte_vfio_setup_device (replay of many maps)",
		run_setup, undo_setup, check_setup, { EIO, EIO } };
	struct ctx c = { .m = *state };
	unsigned long req = env_groups(c.m) ? VFIO_IOMMU_MAP_DMA : IOMMU_IOAS_MAP;
	unsigned int i, before;

	c.va = (uintptr_t)env_buf(MANY_MAPS);
	/* IOVAs apart: one kernel mapping each, never merged */
	for (i = 0; i < MANY_MAPS; i++)
		assert_int_equal(rte_vfio_container_dma_map(
			RTE_VFIO_DEFAULT_CONTAINER_FD, c.va + i * env_pg(),
			IOVA0 + 2 * i * env_pg(), env_pg()), 0);
	c.kernel = env_user_maps_in_kernel(c.m) && !env_groups(c.m) ? 1 : 0;
	c.base_fds = fake_open_fds();
	/* group: every map is replayed when the group joins */
	before = fake_ioctl_calls(req);
	assert_int_equal(run_setup(&c), 0);
	if (env_groups(c.m) && env_user_maps_in_kernel(c.m))
		assert_true(fake_ioctl_calls(req) - before >= MANY_MAPS);
	undo_setup(&c);
	assert_true(sweep(&f, &c) > 0);
	for (i = 0; i < MANY_MAPS; i++)
		assert_int_equal(rte_vfio_container_dma_unmap(
			RTE_VFIO_DEFAULT_CONTAINER_FD, c.va + i * env_pg(),
			IOVA0 + 2 * i * env_pg(), env_pg()), 0);
}

/* ---- device info ----------------------------------------------------------- */

static int
run_info(void *arg)
{
	struct ctx *c = arg;
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info); /* passed through to the kernel */
	if (rte_vfio_get_device_info(c->dev_fd, &info) != 0)
		return -1;
	assert_true(info.num_regions > 0);
	return 0;
}

static void
undo_nothing(void *arg)
{
	(void)arg;
}

static void
check_device_open(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(fake_open_fds(), c->base_fds);
	assert_int_equal(fake_device_open_count(DEV0), 1);
}

static void
test_get_device_info_faults(void **state)
{
	/* the kernel's EINVAL (argsz) is passed on as EINVAL */
	const struct flow f = { "rte_vfio_get_device_info", run_info,
		undo_nothing, check_device_open, { EIO, EINVAL } };
	struct ctx c = { .m = *state };

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &c.dev_fd), 0);
	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, c.dev_fd), 0);
}

/* ---- VF token: the PF and its VF opened with the token --------------------- */

#define PF_ADDR "0000:00:05.0"
#define VF_ADDR "0000:00:05.1"
#define TOKEN "e9a5d1a6-3c1f-4d67-9c3c-2d7f6e1b0a11"

static int
run_token_open(void *arg)
{
	struct ctx *c = arg;
	int vf;

	if (rte_vfio_setup_device(env_pci(), PF_ADDR, &c->dev_fd) != 0)
		return -1;
	if (rte_vfio_setup_device(env_pci(), VF_ADDR, &vf) != 0) {
		int err = rte_errno;

		assert_int_equal(rte_vfio_release_device(env_pci(), PF_ADDR,
			c->dev_fd), 0);
		rte_errno = err;
		return -1;
	}
	c->cfd = vf;
	return 0;
}

static void
undo_token_open(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(rte_vfio_release_device(env_pci(), VF_ADDR, c->cfd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), PF_ADDR, c->dev_fd),
		0);
}

static void
check_token_closed(void *arg)
{
	struct ctx *c = arg;

	assert_int_equal(fake_open_fds(), c->base_fds);
	assert_int_equal(fake_device_open_count(PF_ADDR), 0);
	assert_int_equal(fake_device_open_count(VF_ADDR), 0);
}

static void
test_vf_token_open_and_bind_faults(void **state)
{
	const struct flow f = { "rte_vfio_setup_device (VF token)",
		run_token_open, undo_token_open, check_token_closed,
		{ EIO, EACCES } };
	struct ctx c = { .m = *state };
	struct internal_config *cfg = eal_get_internal_configuration();
	struct fake_pci_desc d;

	fake_pci_desc_default(&d, PF_ADDR, 20);
	d.sriov_pf = true;
	assert_int_equal(fake_pci_add(&d), 0);
	fake_pci_desc_default(&d, VF_ADDR, 21);
	snprintf(d.pf_addr, sizeof(d.pf_addr), "%s", PF_ADDR);
	assert_int_equal(fake_pci_add(&d), 0);
	if (!env_groups(c.m))
		fake_config()->bind_token = true; /* Linux 6.17 */
	assert_int_equal(rte_uuid_parse(TOKEN, cfg->vfio_vf_token), 0);
	c.base_fds = fake_open_fds();
	assert_true(sweep(&f, &c) > 0);
	memset(cfg->vfio_vf_token, 0, sizeof(cfg->vfio_vf_token));
}

/* ---- teardown flows: whatever fails, everything goes ----------------------- */

struct teardown_flow {
	const char *name;
	void (*prepare)(struct ctx *c);
	int (*run)(struct ctx *c);
	void (*check)(struct ctx *c);  /* everything gone */
};

/*
 * @return the number of (call, errno, nth) faults the teardown reached.
 * Teardowns mostly close descriptors (the kernel drops what they hold),
 * so few or none are reached; every run is still checked.
 */
static unsigned int
sweep_teardown(const struct teardown_flow *t, struct ctx *c)
{
	unsigned int i, e, nth, reached = 0;

	for (i = 0; i < RTE_DIM(kernel_calls); i++) {
		const struct kernel_call *k = &kernel_calls[i];

		for (e = 0; e < CALL_ERRS_MAX && k->errs[e] != 0; e++) {
			for (nth = 1; nth <= NTH_LIMIT; nth++) {
				unsigned int before;
				int ret, hit;

				t->prepare(c);
				before = fake_ioctl_calls(k->req);
				fake_fault_ioctl(k->req, nth, k->errs[e]);
				rte_errno = 0;
				ret = t->run(c);
				hit = fake_ioctl_calls(k->req) - before >= nth;
				fake_fault_clear();
				if (ret != 0 && ret != -1)
					fail_msg("%s returned %d", t->name, ret);
				t->check(c);
				if (!hit)
					break;
				reached++;
			}
			assert_true(nth <= NTH_LIMIT);
		}
	}
	return reached;
}

static void
prepare_release(struct ctx *c)
{
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &c->dev_fd), 0);
}

static int
run_release(struct ctx *c)
{
	return rte_vfio_release_device(env_pci(), DEV0, c->dev_fd);
}

static void
check_released(struct ctx *c)
{
	int fd;

	check_fds(c);
	/* no table entry left: set up and released again from scratch */
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	check_fds(c);
}

static void
test_release_device_faults(void **state)
{
	const struct teardown_flow t = { "rte_vfio_release_device",
		prepare_release, run_release, check_released };
	struct ctx c = { .m = *state };

	c.base_fds = fake_open_fds();
	printf("%s: %u faults reached\n", t.name, sweep_teardown(&t, &c));
}

static void
prepare_destroy(struct ctx *c)
{
	c->cfd = rte_vfio_container_create();
	assert_true(c->cfd >= 0);
	assert_int_equal(rte_vfio_container_assign_device(c->cfd, env_pci(),
		DEV1), 0);
	assert_int_equal(rte_vfio_container_dma_map(c->cfd, c->va, IOVA0,
		4 * env_pg()), 0);
}

static int
run_destroy(struct ctx *c)
{
	return rte_vfio_container_destroy(c->cfd);
}

static void
check_destroyed(struct ctx *c)
{
	check_fds(c);
	assert_int_equal(fake_dma_mapping_count(), (unsigned int)c->kernel);
	/* the container is no longer in the table */
	rte_errno = 0;
	assert_int_equal(rte_vfio_container_destroy(c->cfd), -1);
	assert_int_not_equal(rte_errno, 0);
}

static void
test_container_destroy_faults(void **state)
{
	const struct teardown_flow t = { "rte_vfio_container_destroy",
		prepare_destroy, run_destroy, check_destroyed };
	struct ctx c = { .m = *state };

	c.va = (uintptr_t)env_buf(4);
	c.base_fds = fake_open_fds();
	c.kernel = (int)fake_dma_mapping_count();
	printf("%s: %u faults reached\n", t.name, sweep_teardown(&t, &c));
}

static void
prepare_everything(struct ctx *c)
{
	int fd;

	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE)
		assert_int_equal(env_enable(c->m), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, c->va, IOVA0, 4 * env_pg()), 0);
	prepare_destroy(c);
}

static int
run_cleanup(struct ctx *c)
{
	(void)c;
	eal_vfio_cleanup();
	return 0;
}

static void
check_all_gone(struct ctx *c)
{
	(void)c;
	assert_int_equal(fake_open_fds(), 0);
	assert_int_equal(fake_dma_mapping_count(), 0);
	assert_int_equal(fake_device_open_count(DEV0), 0);
	assert_int_equal(fake_device_open_count(DEV1), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
}

static void
test_vfio_cleanup_faults(void **state)
{
	const struct teardown_flow t = { "VFIO cleanup", prepare_everything,
		run_cleanup, check_all_gone };
	struct ctx c = { .m = *state };

	c.va = (uintptr_t)env_buf(4);
	printf("%s: %u faults reached\n", t.name, sweep_teardown(&t, &c));
	assert_int_equal(env_enable(c.m), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		VFIO_ALL_MODES(test_enable_faults)
		VFIO_ALL_MODES(test_setup_device_faults)
		VFIO_ALL_MODES(test_setup_device_replay_faults)
		VFIO_ALL_MODES(test_container_create_faults)
		VFIO_ALL_MODES(test_assign_device_faults)
		VFIO_ALL_MODES(test_dma_map_faults)
		VFIO_ALL_MODES(test_dma_unmap_faults)
		VFIO_ALL_MODES(test_setup_device_replay_many_maps_faults)
		VFIO_ALL_MODES(test_get_device_info_faults)
		VFIO_ALL_MODES(test_vf_token_open_and_bind_faults)
		VFIO_ALL_MODES(test_release_device_faults)
		VFIO_ALL_MODES(test_container_destroy_faults)
		VFIO_ALL_MODES(test_vfio_cleanup_faults)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
