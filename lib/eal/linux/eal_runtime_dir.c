/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"

#define RUNTIME_CONFIG_NAME "config"

static struct {
	char dir[PATH_MAX];
	int config_fd;
	int created_dir; /* this process made dir (so it may remove it) */
} runtime = { .config_fd = -1 };

const char *
rte_eal_get_runtime_dir(void)
{
	return runtime.dir;
}

int
eal_runtime_config_fd(void)
{
	return runtime.config_fd;
}

int
eal_runtime_path(const char *name, char *buf, size_t len)
{
	int n;

	if (runtime.dir[0] == '\0') {
		rte_errno = ENXIO;
		return -1;
	}
	n = snprintf(buf, len, "%s/%s", runtime.dir, name);
	if (n < 0 || (size_t)n >= len) {
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* /var/run/dpdk for root, $XDG_RUNTIME_DIR/dpdk (or /tmp/dpdk) otherwise. */
static const char *
runtime_base(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (getuid() == 0)
		snprintf(buf, len, "/var/run/dpdk");
	else
		snprintf(buf, len, "%s/dpdk", xdg != NULL ? xdg : "/tmp");
	return buf;
}

static int
make_dir(const char *path, int *created)
{
	if (mkdir(path, 0700) == 0) {
		*created = 1;
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	EAL_LOG(ERR, "runtime directory %s: mkdir failed: %s", path,
		strerror(errno));
	rte_errno = errno == EACCES || errno == EPERM ? errno : EIO;
	return -1;
}

static int
lock_config(int fd, short type, int cmd, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	return fcntl(fd, cmd, fl);
}

/* Take the primary's lock; 1 when another primary holds it. */
static int
config_open_primary(const char *path)
{
	struct flock fl;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		EAL_LOG(ERR, "runtime config %s: open failed: %s", path,
			strerror(errno));
		rte_errno = errno == EACCES || errno == EPERM ? errno : EIO;
		return -1;
	}
	if (lock_config(fd, F_WRLCK, F_SETLK, &fl) == 0) {
		runtime.config_fd = fd;
		return 0;
	}
	close(fd);
	if (errno == EAGAIN || errno == EACCES)
		return 1;
	EAL_LOG(ERR, "runtime config %s: lock failed: %s", path, strerror(errno));
	rte_errno = EIO;
	return -1;
}

#define ROOT_RUNTIME_BASE "/var/run/dpdk"

/*
 * A secondary found no primary in its own runtime directory. The
 * directory is per uid: a primary of another uid (root's /var/run/dpdk
 * for a user, /tmp/dpdk or $XDG_RUNTIME_DIR/dpdk of a user for root) is
 * invisible to it. Say what can be seen of one into buf ("" if nothing).
 */
static int
other_config(const char *other, char *buf, size_t len)
{
	struct stat st;

	if (stat(other, &st) != 0 || st.st_uid == getuid())
		return -1;
	snprintf(buf, len, "; %s belongs to uid %u: a primary of that user may be running, run the secondary as uid %u (each user has its own runtime directory)",
		other, (unsigned int)st.st_uid, (unsigned int)st.st_uid);
	return 0;
}

/* root: the users' bases, /tmp/dpdk and /run/user/<uid>/dpdk */
static void
user_primary(const char *prefix, char *buf, size_t len)
{
	char other[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	snprintf(other, sizeof(other), "/tmp/dpdk/%s/%s", prefix,
		RUNTIME_CONFIG_NAME);
	if (other_config(other, buf, len) == 0)
		return;
	dir = opendir("/run/user");
	if (dir == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(other, sizeof(other), "/run/user/%.32s/dpdk/%s/%s",
			d->d_name, prefix, RUNTIME_CONFIG_NAME);
		if (other_config(other, buf, len) == 0)
			break;
	}
	closedir(dir);
}

static void
other_uid_primary(const char *prefix, char *buf, size_t len)
{
	char other[PATH_MAX];
	struct stat st;

	buf[0] = '\0';
	if (getuid() == 0) {
		user_primary(prefix, buf, len);
		return;
	}
	snprintf(other, sizeof(other), "%s/%s/%s", ROOT_RUNTIME_BASE, prefix,
		RUNTIME_CONFIG_NAME);
	if (other_config(other, buf, len) == 0)
		return;
	if (errno == EACCES && stat(ROOT_RUNTIME_BASE, &st) == 0 &&
			st.st_uid != getuid())
		snprintf(buf, len, "; %s belongs to uid %u and is closed to uid %u: if the primary runs as uid %u, run the secondary as uid %u too (each user has its own runtime directory)",
			ROOT_RUNTIME_BASE, (unsigned int)st.st_uid,
			(unsigned int)getuid(), (unsigned int)st.st_uid,
			(unsigned int)st.st_uid);
}

static int
config_open_secondary(const char *path, const char *prefix)
{
	char hint[PATH_MAX + 256];
	struct flock fl;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		EAL_LOG(ERR, "runtime config %s: open failed: %s", path,
			strerror(errno));
		rte_errno = errno == EACCES || errno == EPERM ? errno : EIO;
		return -1;
	}
	if (fd >= 0 && lock_config(fd, F_WRLCK, F_GETLK, &fl) == 0 &&
			fl.l_type != F_UNLCK) {
		runtime.config_fd = fd;
		return 0;
	}
	if (fd >= 0)
		close(fd);
	other_uid_primary(prefix, hint, sizeof(hint));
	EAL_LOG(ERR, "no primary process is running with --file-prefix=%s in %s (the runtime directory of uid %u); start the primary first%s",
		prefix, runtime.dir, (unsigned int)getuid(), hint);
	rte_errno = ENOENT;
	return -1;
}

static int
settle_role(struct internal_config *cfg, const char *path)
{
	int ret;

	if (cfg->process_type == RTE_PROC_SECONDARY)
		return config_open_secondary(path, cfg->file_prefix);
	ret = config_open_primary(path);
	if (ret <= 0) {
		if (ret == 0 && cfg->process_type == RTE_PROC_AUTO)
			EAL_LOG(INFO, "no primary running: this process is the primary");
		if (ret == 0)
			cfg->process_type = RTE_PROC_PRIMARY;
		return ret;
	}
	if (cfg->process_type == RTE_PROC_AUTO) {
		EAL_LOG(INFO, "a primary is running: this process is a secondary");
		cfg->process_type = RTE_PROC_SECONDARY;
		return config_open_secondary(path, cfg->file_prefix);
	}
	EAL_LOG(ERR, "a primary process is already running with --file-prefix=%s; use --proc-type=secondary or another --file-prefix",
		cfg->file_prefix);
	rte_errno = EBUSY;
	return -1;
}

int
eal_runtime_dir_init(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	char base[PATH_MAX - EAL_FILE_PREFIX_MAX - 2];
	char path[PATH_MAX];
	int base_created = 0;

	if (cfg->in_memory) {
		cfg->process_type = RTE_PROC_PRIMARY;
		return 0;
	}
	runtime_base(base, sizeof(base));
	snprintf(runtime.dir, sizeof(runtime.dir), "%s/%s", base,
		cfg->file_prefix);
	runtime.created_dir = 0;
	if (make_dir(base, &base_created) != 0 ||
			make_dir(runtime.dir, &runtime.created_dir) != 0)
		goto fail;
	if (eal_runtime_path(RUNTIME_CONFIG_NAME, path, sizeof(path)) != 0 ||
			settle_role(cfg, path) != 0) {
		if (runtime.created_dir)
			rmdir(runtime.dir);
		goto fail;
	}
	return 0;
fail:
	runtime.dir[0] = '\0';
	return -1;
}

void
eal_runtime_dir_cleanup(void)
{
	char path[PATH_MAX];

	if (runtime.config_fd < 0)
		return;
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
			eal_runtime_path(RUNTIME_CONFIG_NAME, path,
				sizeof(path)) == 0)
		unlink(path);
	close(runtime.config_fd);
	runtime.config_fd = -1;
	/* secondaries may still have files there: only an empty dir goes */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
			rmdir(runtime.dir) != 0 && errno != ENOTEMPTY)
		EAL_LOG(DEBUG, "runtime directory %s: rmdir failed: %s",
			runtime.dir, strerror(errno));
	runtime.dir[0] = '\0';
}
