/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO mode selection: what the kernel offers (sysfs, device nodes, through
 * each backend's probe), what --vfio-mode asks, and the secondary's
 * adoption of the primary's choice. The choice is data: a table of
 * backends and a table of requests.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_sysfs.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"
#include "eal_vfio.h"
#include "eal_vfio_info.h"

/* the backends' tables: only mode selection knows them by name */
const struct vfio_backend_ops *vfio_group_backend(void);
const struct vfio_backend_ops *vfio_cdev_backend(void);

/* backends, in the order "auto" tries them */
enum { BK_CDEV, BK_GROUP, BK_END = -1 };

/*
 * Without an IOMMU both backends report RTE_VFIO_MODE_NOIOMMU: upstream
 * drivers read that mode as "device addresses are physical".
 */
static const struct vfio_backend_row {
	const struct vfio_backend_ops *(*get)(void);
	enum rte_vfio_interface interface;
	enum rte_vfio_mode mode;         /* with an IOMMU */
	enum rte_vfio_mode noiommu_mode; /* without */
	const char *name;                /* with an IOMMU, for the log */
	const char *noiommu_name;        /* without */
} backends[] = {
	[BK_CDEV] = { vfio_cdev_backend, RTE_VFIO_INTERFACE_CDEV,
		RTE_VFIO_MODE_CDEV, RTE_VFIO_MODE_NOIOMMU,
		"cdev", "no-IOMMU cdev" },
	[BK_GROUP] = { vfio_group_backend, RTE_VFIO_INTERFACE_GROUP,
		RTE_VFIO_MODE_GROUP, RTE_VFIO_MODE_NOIOMMU,
		"group", "no-IOMMU group" },
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
	[EAL_VFIO_MODE_NOIOMMU_GROUP] = { "noiommu-group", true,
		{ BK_GROUP, BK_END } },
	[EAL_VFIO_MODE_NOIOMMU_CDEV] = { "noiommu-cdev", true,
		{ BK_CDEV, BK_END } },
};

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

/* /sys/module/vfio/parameters/enable_unsafe_noiommu_mode reads Y (a bool
 * parameter reads "Y\n" or "N\n"; anything else is refused and logged) */
static bool
noiommu_enabled(void)
{
	char path[PATH_MAX], line[8];

	if (vfio_sysfs_path(path, sizeof(path), VFIO_NOIOMMU_PARAM) != 0 ||
			rte_sysfs_read_line(path, line, sizeof(line)) < 0)
		return false;
	if (strcmp(line, "Y") == 0)
		return true;
	if (strcmp(line, "N") != 0)
		EAL_LOG(ERR, "VFIO: %s: '%s' is neither Y nor N: no-IOMMU taken as disabled",
			path, line);
	return false;
}

#define VFIO_IOMMU_CLASS_DIR "/sys/class/iommu"

/* an IOMMU driver registered a unit (intel-iommu dmar<N>, amd, smmu ...) */
static bool
iommu_present(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	if (vfio_sysfs_path(path, sizeof(path), VFIO_IOMMU_CLASS_DIR) != 0)
		return false;
	dir = opendir(path);
	if (dir == NULL)
		return false;
	while (!found && (e = readdir(dir)) != NULL)
		found = e->d_name[0] != '.';
	closedir(dir);
	return found;
}

/* ---- mode selection ------------------------------------------------------ */

/* row of the backend in use; NULL in mode NONE */
static const struct vfio_backend_row *
current_row(void)
{
	unsigned int i;

	if (!vfio_state.enabled || vfio_state.ops == NULL)
		return NULL;
	for (i = 0; i < RTE_DIM(backends); i++)
		if (backends[i].get() == vfio_state.ops)
			return &backends[i];
	return NULL;
}

static void
log_outcome(void)
{
	const struct vfio_backend_row *row = current_row();

	if (vfio_state.mode == RTE_VFIO_MODE_NONE || row == NULL)
		return;
	EAL_LOG(NOTICE, "VFIO: %s mode, IOMMU %s, IOVA as %s",
		vfio_state.iova_mode == RTE_IOVA_PA ? row->noiommu_name :
		row->name, vfio_state.ops->iommu_name(),
		vfio_state.iova_mode == RTE_IOVA_PA ? "PA" : "VA");
}

/* backend ready: open the default container */
static enum vfio_result
start_backend(const struct vfio_backend_row *row, bool noiommu, int fd)
{
	enum vfio_result r;

	vfio_state.ops = row->get();
	vfio_tables_bind(vfio_state.ops);
	r = vfio_state.ops->setup(noiommu);
	if (r != VFIO_OK)
		goto fail;
	r = vfio_container_open(vfio_default_container(), true, fd);
	if (r != VFIO_OK)
		goto teardown;
	vfio_state.mode = noiommu ? row->noiommu_mode : row->mode;
	vfio_state.iova_mode = noiommu ? RTE_IOVA_PA : RTE_IOVA_VA;
	return VFIO_OK;
teardown:
	vfio_state.ops->teardown();
fail:
	vfio_tables_bind(NULL);
	vfio_state.ops = NULL;
	return r;
}

static enum vfio_result
enable_primary(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	const struct vfio_request_row *req = &requests[cfg->vfio_mode];
	enum vfio_result r = VFIO_NOT_MANAGED;
	char why[160], whys[RTE_DIM(backends) * 180] = "";
	const int *try = req->try;
	size_t n = 0;
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
	/* the parameter only gives IOMMU-less devices no-IOMMU groups: with
	 * an IOMMU (the parameter set at run time) the groups are real
	 */
	if (noiommu && iommu_present()) {
		EAL_LOG(NOTICE, "VFIO: %s%s is Y but an IOMMU is present (%s%s): devices keep their IOMMU groups, using the IOMMU",
			eal_sysfs_root(), VFIO_NOIOMMU_PARAM, eal_sysfs_root(),
			VFIO_IOMMU_CLASS_DIR);
		noiommu = false;
	}
	if (req->needs_noiommu && !noiommu) {
		EAL_LOG(ERR, "--vfio-mode=%s: %s%s is not Y (load vfio with enable_unsafe_noiommu_mode=1)",
			req->opt, eal_sysfs_root(), VFIO_NOIOMMU_PARAM);
		return VFIO_NOT_MANAGED;
	}
	if (cfg->vfio_mode == EAL_VFIO_MODE_AUTO &&
			(rte_bus_get_vfio_required_caps() &
			RTE_VFIO_CAP_GROUPS) != 0) {
		EAL_LOG(DEBUG, "VFIO: a bus needs group mode");
		try = requests[EAL_VFIO_MODE_GROUP].try;
	}
	for (i = 0; try[i] != BK_END; i++) {
		const struct vfio_backend_row *row = &backends[try[i]];
		int len;

		why[0] = '\0';
		r = row->get()->probe(noiommu, why, sizeof(why));
		if (r == VFIO_OK)
			return start_backend(row, noiommu, -1);
		/* one line at the end names what each backend misses */
		len = snprintf(whys + n, sizeof(whys) - n, "%s%s: %s",
			n > 0 ? "; " : "", row->get()->name, why);
		if (len > 0 && (size_t)len < sizeof(whys) - n)
			n += len;
	}
	if (cfg->vfio_mode != EAL_VFIO_MODE_AUTO) {
		EAL_LOG(ERR, "--vfio-mode=%s unusable: %s", req->opt, whys);
		return r == VFIO_ACCESS || r == VFIO_PERM ? r :
			VFIO_NOT_MANAGED;
	}
	EAL_LOG(NOTICE, "VFIO: not usable (%s)", whys);
	return VFIO_OK;
}

/* A secondary shares the primary's mode: say so when its own option differs. */
static void
warn_request_overridden(int backend, bool noiommu)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	const struct vfio_request_row *req = &requests[cfg->vfio_mode];
	const struct vfio_backend_row *row = &backends[backend];
	unsigned int i;

	if (cfg->vfio_mode == EAL_VFIO_MODE_AUTO)
		return;
	for (i = 0; req->try[i] != BK_END; i++)
		if (req->try[i] == backend && (noiommu || !req->needs_noiommu))
			return;
	EAL_LOG(WARNING, "VFIO: --vfio-mode=%s overridden: the primary process uses %s mode%s, which a secondary process always shares",
		req->opt, row->get()->name,
		noiommu ? " without IOMMU" : "");
}

static enum vfio_result
enable_secondary(void)
{
	int64_t mode, iova, itf = RTE_VFIO_INTERFACE_NONE;
	enum vfio_result r;
	unsigned int i;
	int fd = -1;

	r = vfio_mp_request(VFIO_MP_CONTAINER, 0, &mode, &fd);
	if (r != VFIO_OK && r != VFIO_NOT_FOUND)
		return r;
	if (mode == RTE_VFIO_MODE_NONE) {
		if (fd >= 0)
			close(fd);
		EAL_LOG(NOTICE, "VFIO: not used by the primary process");
		return VFIO_OK;
	}
	if (fd < 0) {
		/* a primary in a mode always has its default container */
		EAL_LOG(ERR, "VFIO: the primary process reports mode %" PRId64 " but sent no container descriptor",
			mode);
		return VFIO_KERNEL_ERROR;
	}
	r = vfio_mp_request(VFIO_MP_IOVA_MODE, 0, &iova, NULL);
	if (r != VFIO_OK)
		goto close_fd;
	/* no-IOMMU is either backend: the primary says which */
	if (mode == RTE_VFIO_MODE_NOIOMMU) {
		r = vfio_mp_request(VFIO_MP_INTERFACE, 0, &itf, NULL);
		if (r != VFIO_OK)
			goto close_fd;
	}
	for (i = 0; i < RTE_DIM(backends); i++) {
		bool noiommu = iova == RTE_IOVA_PA;

		if ((noiommu ? backends[i].noiommu_mode : backends[i].mode) !=
				mode || (itf != RTE_VFIO_INTERFACE_NONE &&
				itf != backends[i].interface))
			continue;
		warn_request_overridden((int)i, noiommu);
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

	pthread_mutex_lock(&vfio_state.lock);
	if (!vfio_state.enabled) {
		vfio_state.mode = RTE_VFIO_MODE_NONE;
		vfio_state.iova_mode = RTE_IOVA_DC;
		if (rte_eal_process_type() == RTE_PROC_SECONDARY)
			r = enable_secondary();
		else
			r = enable_primary();
		/* even without VFIO: secondaries must hear "mode NONE" */
		if (r == VFIO_OK &&
				rte_eal_process_type() != RTE_PROC_SECONDARY) {
			r = vfio_mp_sync_register();
			if (r != VFIO_OK && vfio_state.ops != NULL) {
				vfio_container_close(vfio_default_container());
				vfio_state.ops->teardown();
			}
			if (r != VFIO_OK) {
				vfio_tables_bind(NULL);
				vfio_state.ops = NULL;
				vfio_state.mode = RTE_VFIO_MODE_NONE;
			}
		}
		if (r == VFIO_OK) {
			/* the lock-free container lookup reads the table after it */
			__atomic_store_n(&vfio_state.enabled, true,
				__ATOMIC_RELEASE);
			log_outcome();
		}
	}
	pthread_mutex_unlock(&vfio_state.lock);
	if (r == VFIO_OK && modname != NULL && vfio_check_ready() == VFIO_OK &&
			rte_vfio_is_enabled(modname) == 0)
		EAL_LOG(INFO, "VFIO: kernel module %s is not loaded", modname);
	return vfio_result_ret(r);
}

int
rte_vfio_is_enabled(const char *modname)
{
	char path[PATH_MAX];
	int n;

	if (vfio_check_ready() != VFIO_OK)
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
	return vfio_state.enabled ? vfio_state.mode : RTE_VFIO_MODE_NONE;
}

enum rte_vfio_interface
rte_vfio_get_interface(void)
{
	const struct vfio_backend_row *row = current_row();

	return row != NULL ? row->interface : RTE_VFIO_INTERFACE_NONE;
}

uint64_t
rte_vfio_get_caps(void)
{
	const struct vfio_backend_row *row = current_row();
	uint32_t have;
	uint64_t caps = 0;

	if (row == NULL || vfio_check_ready() != VFIO_OK)
		return 0;
	have = vfio_default_container()->caps;
	if ((have & VFIO_CAP_TRANSLATION) != 0)
		caps |= RTE_VFIO_CAP_IOMMU;
	if ((have & VFIO_CAP_PARTIAL_UNMAP) != 0)
		caps |= RTE_VFIO_CAP_PARTIAL_UNMAP;
	if ((have & VFIO_CAP_GROUPS) != 0)
		caps |= RTE_VFIO_CAP_GROUPS;
	return caps;
}

const char *
vfio_mode_name(enum rte_vfio_mode mode)
{
	static const char * const names[] = {
		[RTE_VFIO_MODE_NONE] = "none",
		[RTE_VFIO_MODE_GROUP] = "group",
		[RTE_VFIO_MODE_NOIOMMU] = "noiommu",
		[RTE_VFIO_MODE_CDEV] = "cdev",
	};

	if ((unsigned int)mode >= RTE_DIM(names) || names[mode] == NULL)
		return "unknown";
	return names[mode];
}

enum rte_iova_mode
rte_vfio_get_iova_mode(void)
{
	if (vfio_check_ready() != VFIO_OK)
		return RTE_IOVA_DC;
	return vfio_state.iova_mode;
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

	pthread_mutex_lock(&vfio_state.lock);
	if (vfio_state.enabled && rte_eal_process_type() != RTE_PROC_SECONDARY)
		vfio_mp_sync_unregister();
	if (vfio_check_ready() == VFIO_OK) {
		/* custom containers first: the default one goes last */
		for (i = RTE_DIM(vfio_state.containers); i-- > 0;) {
			struct vfio_container *c = vfio_state.containers[i];

			vfio_lock_take(&c->lock);
			if (c->used)
				vfio_container_close(c);
			vfio_lock_release(&c->lock);
		}
		vfio_state.ops->teardown();
	}
	vfio_tables_bind(NULL);
	vfio_state.ops = NULL;
	vfio_state.mode = RTE_VFIO_MODE_NONE;
	vfio_state.iova_mode = RTE_IOVA_DC;
	__atomic_store_n(&vfio_state.enabled, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vfio_state.lock);
}
