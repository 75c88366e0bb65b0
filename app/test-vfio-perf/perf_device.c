/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Device set-up and release on the default container, and custom
 * container create / assign / destroy. Each case is repeated and the
 * median reported.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "perf.h"
#include "perf_bare.h"

#define SECTION_DEV "device"
#define SECTION_CONT "container"

static void
add_row_bare(const char *section, const char *name, const char *params,
		double ns, double bare_ns, const char *note)
{
	struct perf_row r = {
		.section = section,
		.ops = 1,
		.total_ns = ns,
		.base_total_ns = bare_ns,
	};

	rte_strlcpy(r.name, name, sizeof(r.name));
	rte_strlcpy(r.params, params, sizeof(r.params));
	rte_strlcpy(r.note, note, sizeof(r.note));
	perf_report_add(&r);
}

static void
add_row(const char *section, const char *name, const char *params,
		double ns, const char *note)
{
	add_row_bare(section, name, params, ns, -1, note);
}

static int
count_page(const struct rte_memseg_list *msl __rte_unused,
		const struct rte_memseg *ms __rte_unused, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

int
perf_setup_release(const char *sysfs, const char *dev, unsigned int n,
		double *setup, double *release, const char **failed)
{
	double s[PERF_MAX_REPS], r[PERF_MAX_REPS];
	unsigned int k;
	int fd;

	for (k = 0; k < n && k < PERF_MAX_REPS; k++) {
		uint64_t t0 = perf_now_ns(), t1, t2;

		if (rte_vfio_setup_device(sysfs, dev, &fd) != 0) {
			*failed = "setup_device";
			return -1;
		}
		t1 = perf_now_ns();
		if (rte_vfio_release_device(sysfs, dev, fd) != 0) {
			*failed = "release_device";
			return -1;
		}
		t2 = perf_now_ns();
		s[k] = (double)(t1 - t0);
		r[k] = (double)(t2 - t1);
	}
	*setup = perf_median(s, k);
	*release = perf_median(r, k);
	return 0;
}

/* setup/release of dev, reps times; the medians in *setup, *release */
static int
setup_release(const struct perf_conf *conf, const char *dev, double *setup,
		double *release)
{
	const char *failed;

	if (perf_setup_release(conf->sysfs, dev, conf->reps, setup, release,
			&failed) == 0)
		return 0;
	perf_report_fail(SECTION_DEV, failed, dev,
		"rte_vfio_%s: %s", failed, rte_strerror(rte_errno));
	return -1;
}

/* ---- the bare open/attach sequences ------------------------------------------ */

/* a bare context of the library's kind holding the EAL memory (and other) */
static int
bare_context(const struct perf_conf *conf, bool type1, const char *other,
		struct perf_bare *b, char *err, size_t errlen)
{
	int ret = type1 ?
		perf_bare_open_type1(b, conf->sysfs, other, err, errlen) :
		perf_bare_open_iommufd(b, conf->sysfs, other, err, errlen);
	unsigned int calls;

	if (ret != 0)
		return -1;
	if (perf_bare_map_eal(b, &calls) != 0) {
		snprintf(err, errlen, "bare map of the EAL memory: %s",
			strerror(errno));
		perf_bare_close(b);
		return -1;
	}
	return 0;
}

/*
 * One bare setup + release of dev, the kernel work of the library's:
 * only device, type1: container, group, SET_IOMMU, the EAL memory in
 * runs, GET_DEVICE_FD; then the close of all (the context goes).
 * only device, iommufd: open, bind, attach to an IOAS holding the EAL
 * memory (set up untimed, as the library's is at init).
 * warm (b given): the device joins b, set up with another device.
 */
static int
bare_once(const struct perf_conf *conf, bool type1, struct perf_bare *warm,
		double *setup, double *release, char *err, size_t errlen)
{
	const char *dev = conf->devs[0];
	struct perf_bare cold, *b = warm;
	struct perf_bare_dev d;
	uint64_t t0, t1, t2;
	unsigned int calls;
	int ret;

	if (b == NULL && !type1) {
		if (bare_context(conf, false, NULL, &cold, err, errlen) != 0)
			return -1;
		b = &cold;
	}
	t0 = perf_now_ns();
	if (b == NULL) {
		/* type1, only device: the whole sequence is timed */
		if (perf_bare_open_type1(&cold, conf->sysfs, dev, err,
				errlen) != 0)
			return -1;
		ret = perf_bare_map_eal(&cold, &calls);
		if (ret != 0)
			snprintf(err, errlen, "bare map of the EAL memory: %s",
				strerror(errno));
		else
			ret = perf_bare_group_dev(&cold, dev, &d, err, errlen);
		b = &cold;
	} else {
		ret = perf_bare_dev_open(b, conf->sysfs, dev, &d, err, errlen);
	}
	t1 = perf_now_ns();
	if (ret == 0)
		perf_bare_dev_close(&d);
	if (b == &cold && type1)
		perf_bare_close(&cold);
	t2 = perf_now_ns();
	if (b == &cold && !type1)
		perf_bare_close(&cold);
	*setup = (double)(t1 - t0);
	*release = (double)(t2 - t1);
	return ret;
}

/* medians of reps bare setups/releases; -1 when not measured (err says) */
static void
bare_device(const struct perf_conf *conf, bool warm, double *setup,
		double *release, char *err, size_t errlen)
{
	bool type1 = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP;
	double s[PERF_MAX_REPS], r[PERF_MAX_REPS];
	struct perf_bare other;
	unsigned int k;

	*setup = -1;
	*release = -1;
	/* no-IOMMU cdev attaches to an IOAS like cdev; no-IOMMU group has
	 * no IOMMU type to set
	 */
	if ((rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) == 0 && type1) {
		snprintf(err, errlen, "no bare sequence without an IOMMU");
		return;
	}
	if (warm && bare_context(conf, type1, conf->devs[1], &other, err,
			errlen) != 0)
		return;
	for (k = 0; k < conf->reps; k++)
		if (bare_once(conf, type1, warm ? &other : NULL, &s[k], &r[k],
				err, errlen) != 0)
			break;
	if (warm)
		perf_bare_close(&other);
	if (k < conf->reps)
		return;
	*setup = perf_median(s, conf->reps);
	*release = perf_median(r, conf->reps);
}

void
perf_device(const struct perf_conf *conf)
{
	bool group = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP &&
		(rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;
	unsigned int pages = 0;
	double s, r, ws, wr, bs, br;
	bool warm_ok = false;
	char note[128], err[80];
	int fd_b;

	perf_report_section(SECTION_DEV,
		"Device set-up and release on the default container (rte_vfio_setup_device / rte_vfio_release_device), median");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION_DEV, "setup/release", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (conf->n_devs == 0) {
		perf_report_skip(SECTION_DEV, "setup/release", "-",
			"no device given (--dev or DPDK_VM_EDU_DEVS)");
		return;
	}
	rte_memseg_walk(count_page, &pages);
	snprintf(note, sizeof(note), group ?
		"first group: sets the IOMMU and maps the %u EAL pages" :
		"%u EAL pages, mapped at init", pages);
	if (setup_release(conf, conf->devs[0], &s, &r) != 0)
		return;
	if (conf->n_devs >= 2) {
		/* a second device keeps the context alive meanwhile */
		if (rte_vfio_setup_device(conf->sysfs, conf->devs[1], &fd_b) != 0) {
			perf_report_fail(SECTION_DEV, "setup_device",
				conf->devs[1], "rte_vfio_setup_device: %s",
				rte_strerror(rte_errno));
			return;
		}
		warm_ok = setup_release(conf, conf->devs[0], &ws, &wr) == 0;
		if (rte_vfio_release_device(conf->sysfs, conf->devs[1],
				fd_b) != 0) {
			perf_report_fail(SECTION_DEV, "release_device",
				conf->devs[1], "rte_vfio_release_device: %s",
				rte_strerror(rte_errno));
			return;
		}
	}
	/* the library holds no device now: the bare side may open them */
	bare_device(conf, false, &bs, &br, err, sizeof(err));
	if (bs < 0)
		snprintf(note, sizeof(note), "bare: %s", err);
	add_row_bare(SECTION_DEV, "setup_device (only device)", conf->devs[0],
		s, bs, note);
	add_row_bare(SECTION_DEV, "release_device (only device)", conf->devs[0],
		r, br, group ? "last group: the kernel drops the IOMMU context" :
		"");
	if (!warm_ok)
		return;
	bare_device(conf, true, &bs, &br, err, sizeof(err));
	snprintf(note, sizeof(note), "the container is already set up%s%s",
		bs < 0 ? "; bare: " : "", bs < 0 ? err : "");
	add_row_bare(SECTION_DEV, "setup_device (2nd device)", conf->devs[0],
		ws, bs, note);
	add_row_bare(SECTION_DEV, "release_device (2nd device)", conf->devs[0],
		wr, br, "");
}

void
perf_container(const struct perf_conf *conf)
{
	double c[PERF_MAX_REPS], a[PERF_MAX_REPS], d[PERF_MAX_REPS];
	const char *dev = conf->n_devs > 0 ? conf->devs[0] : NULL;
	bool with_dev;
	unsigned int k, pass;

	perf_report_section(SECTION_CONT,
		"Custom containers (rte_vfio_container_create / _assign_device / _destroy), median");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION_CONT, "create/destroy", "-",
			"VFIO not in use (mode none)");
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		with_dev = pass == 1;
		if (with_dev && dev == NULL) {
			perf_report_skip(SECTION_CONT, "assign_device", "-",
				"no device given (--dev or DPDK_VM_EDU_DEVS)");
			break;
		}
		for (k = 0; k < conf->reps; k++) {
			uint64_t t0 = perf_now_ns(), t1, t2, t3;
			int cfd = rte_vfio_container_create();

			t1 = perf_now_ns();
			if (cfd < 0) {
				perf_report_fail(SECTION_CONT, "create", "-",
					"rte_vfio_container_create: %s",
					rte_strerror(rte_errno));
				return;
			}
			if (with_dev && rte_vfio_container_assign_device(cfd,
					conf->sysfs, dev) != 0) {
				perf_report_fail(SECTION_CONT, "assign_device",
					dev, "rte_vfio_container_assign_device: %s",
					rte_strerror(rte_errno));
				rte_vfio_container_destroy(cfd);
				return;
			}
			t2 = perf_now_ns();
			if (rte_vfio_container_destroy(cfd) != 0) {
				perf_report_fail(SECTION_CONT, "destroy", "-",
					"rte_vfio_container_destroy: %s",
					rte_strerror(rte_errno));
				return;
			}
			t3 = perf_now_ns();
			c[k] = (double)(t1 - t0);
			a[k] = (double)(t2 - t1);
			d[k] = (double)(t3 - t2);
		}
		if (!with_dev) {
			add_row(SECTION_CONT, "container_create", "empty",
				perf_median(c, conf->reps), "");
			add_row(SECTION_CONT, "container_destroy", "empty",
				perf_median(d, conf->reps), "");
		} else {
			add_row(SECTION_CONT, "container_assign_device", dev,
				perf_median(a, conf->reps),
				"opens the device into the new container");
			add_row(SECTION_CONT, "container_destroy", "1 device",
				perf_median(d, conf->reps),
				"closes the device and its group");
		}
	}
}
