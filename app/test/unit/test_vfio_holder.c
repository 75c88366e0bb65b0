/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * eal_vfio_holder.c on trees of its own: a procfs whose <pid>/fd links
 * name the device's nodes, and a sysfs with the device's IOMMU group and
 * the drivers of its members. The texts are the ones the backends log
 * after "VFIO: <bdf>: <operation> failed: <strerror>: ".
 *
 * The kernel's rule for a viable group (drivers/iommu/iommu.c,
 * iommu_group_claim_dma_owner() and iommu_device_claim_dma_owner()): no
 * member may be bound to a driver that uses the kernel's DMA API, i.e.
 * every member is unbound or bound to a driver with driver_managed_dma
 * (vfio-pci and its variants, pci-stub, pcieport).
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_log.h>

#include "eal_vfio_holder.h"

/* pids above the kernel's largest pid_max: never the test's own */
#define PID_A 5000079
#define PID_B 5000080
#define PID_C 5000081

#define ADDR "0000:02:01.0"
#define GROUP 5

static char root[64];
static char proc[128];
static char sysfs_devs[128];
static char groups[128];
static char log_buf[8192];
static FILE *log_stream;

/* ---- wrapped calls: a path that vanishes or is unreadable ------------- */

ssize_t __real_readlink(const char *path, char *buf, size_t len);
ssize_t __wrap_readlink(const char *path, char *buf, size_t len);
DIR *__real_opendir(const char *path);
DIR *__wrap_opendir(const char *path);

static char fail_path[PATH_MAX];
static int fail_errno;

static bool
fails(const char *path)
{
	return fail_errno != 0 && strcmp(path, fail_path) == 0;
}

ssize_t
__wrap_readlink(const char *path, char *buf, size_t len)
{
	if (fails(path)) {
		errno = fail_errno;
		return -1;
	}
	return __real_readlink(path, buf, len);
}

DIR *
__wrap_opendir(const char *path)
{
	if (fails(path)) {
		errno = fail_errno;
		return NULL;
	}
	return __real_opendir(path);
}

/* make calls on root/<rel> fail with err */
static void
fail_on(const char *rel, int err)
{
	snprintf(fail_path, sizeof(fail_path), "%s/%s", root, rel);
	fail_errno = err;
}

/* ---- building the trees ------------------------------------------------ */

/* mkdir -p root/<rel> */
static void
mkdirs(const char *rel)
{
	char path[PATH_MAX];
	char *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* root/<rel> -> target, its directory made first */
static void
link_to(const char *target, const char *rel)
{
	char path[PATH_MAX], dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	assert_non_null(slash);
	*slash = '\0';
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* root/<rel> holding content, its directory made first */
static void
file_at(const char *rel, const char *content)
{
	char dir[PATH_MAX], path[PATH_MAX];
	char *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	assert_non_null(slash);
	*slash = '\0';
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, true);
	assert_int_equal(fclose(f), 0);
}

/* remove root/<rel> (a file, a link or an empty directory) */
static void
remove_at(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(remove(path), 0);
}

/* process pid of the fake procfs, with comm (NULL: no comm file) */
static void
process(int pid, const char *comm)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "proc/%d/fd", pid);
	mkdirs(rel);
	if (comm != NULL) {
		snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
		file_at(rel, comm);
	}
}

/* descriptor fd of process pid on target */
static void
fd_on(int pid, int fd, const char *target)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "proc/%d/fd/%d", pid, fd);
	link_to(target, rel);
}

/* the device under the fake sysfs: its group link and, if any, its cdev */
static void
device(const char *addr, int group, const char *cdev)
{
	char rel[256], target[128];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/iommu_group", addr);
	snprintf(target, sizeof(target), "../../../../kernel/iommu_groups/%d",
		group);
	link_to(target, rel);
	if (cdev != NULL) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vfio-dev/%s",
			addr, cdev);
		mkdirs(rel);
	}
}

/*
 * Member addr of group, as sysfs shows it: a link to the device's
 * directory, with a driver link when drv is not NULL.
 */
static void
member(int group, const char *addr, const char *drv)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s", addr);
	mkdirs(rel);
	if (drv != NULL) {
		snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/driver",
			addr);
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s",
			drv);
		link_to(target, rel);
	}
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/%s",
		group, addr);
	snprintf(target, sizeof(target), "../../../../devices/pci0000:00/%s",
		addr);
	link_to(target, rel);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/unit-vfio-holder-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(sysfs_devs, sizeof(sysfs_devs), "%s/sys/bus/pci/devices", root);
	snprintf(groups, sizeof(groups), "%s/sys/kernel/iommu_groups", root);
	mkdirs("proc");
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/kernel/iommu_groups");
	fail_errno = 0;
	memset(log_buf, 0, sizeof(log_buf));
	log_stream = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(log_stream);
	setvbuf(log_stream, NULL, _IONBF, 0);
	rte_openlog_stream(log_stream);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX];

	(void)state;
	fail_errno = 0;
	rte_openlog_stream(NULL);
	fclose(log_stream);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *const group_node[] = { "/dev/vfio/5", NULL };

/* describe ADDR; the result must be seen, the text is returned */
static const char *
describe(enum vfio_holder_seen seen)
{
	static char buf[256];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vfio_holder_describe(proc, sysfs_devs, ADDR, buf,
		sizeof(buf)), seen);
	return buf;
}

/* ---- /proc ------------------------------------------------------------- */

static void
test_holder_found_with_pid_and_comm(void **state)
{
	struct vfio_holder h;

	(void)state;
	process(PID_A, "dpdk-edu-demo\n");
	fd_on(PID_A, 0, "/dev/pts/0");
	fd_on(PID_A, 7, "/dev/vfio/5");
	process(PID_B, "bash\n");
	fd_on(PID_B, 0, "/dev/vfio/vfio");
	fd_on(PID_B, 1, "/dev/vfio/50");
	memset(&h, 0, sizeof(h));
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_FOUND);
	assert_int_equal(h.pid, PID_A);
	assert_string_equal(h.comm, "dpdk-edu-demo");

	device(ADDR, GROUP, "vfio0");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079 (dpdk-edu-demo)");
	assert_string_equal(log_buf, "");
}

/* each node a device can be open under: group, no-IOMMU group, cdev */
static void
test_holder_of_each_node(void **state)
{
	(void)state;
	device(ADDR, GROUP, "vfio3");
	process(PID_A, "dpdk-test\n");
	fd_on(PID_A, 4, "/dev/vfio/devices/vfio3");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079 (dpdk-test)");

	remove_at("proc/5000079/fd/4");
	fd_on(PID_A, 5, "/dev/vfio/noiommu-5");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079 (dpdk-test)");

	/* a no-IOMMU cdev, as 7.x names it */
	device("0000:02:02.0", 6, "noiommu-vfio1");
	process(PID_B, "other\n");
	fd_on(PID_B, 3, "/dev/vfio/devices/noiommu-vfio1");
	{
		char buf[128];

		assert_int_equal(vfio_holder_describe(proc, sysfs_devs,
			"0000:02:02.0", buf, sizeof(buf)), VFIO_HOLDER_FOUND);
		assert_string_equal(buf, "held by process 5000080 (other)");
	}
}

/* the kernel keeps 15 bytes of comm: all of them are shown */
static void
test_holder_comm_of_15_bytes(void **state)
{
	(void)state;
	device(ADDR, GROUP, NULL);
	process(PID_A, "dpdk-test-vfio-\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079 (dpdk-test-vfio-)");
	assert_string_equal(log_buf, "");
}

/* prctl(PR_SET_NAME) takes any byte: control bytes are shown as '?' */
static void
test_holder_comm_control_bytes(void **state)
{
	(void)state;
	device(ADDR, GROUP, NULL);
	process(PID_A, "a\tb\033[1m\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079 (a?b?[1m)");
}

/* a comm the kernel does not write, or none: the pid alone */
static void
test_holder_comm_garbage_or_missing(void **state)
{
	char path[PATH_MAX];

	(void)state;
	device(ADDR, GROUP, NULL);
	process(PID_A, "a-name-longer-than-the-kernel-keeps\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079");
	snprintf(path, sizeof(path), "%s/%d/comm", proc, PID_A);
	assert_non_null(strstr(log_buf, path));

	assert_int_equal(unlink(path), 0);
	file_at("proc/5000079/comm", "two\nlines\n");
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079");

	assert_int_equal(unlink(path), 0);
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000079");
	assert_string_equal(log_buf, ""); /* gone: ended meanwhile */
}

static void
test_several_holders(void **state)
{
	struct vfio_holder h;

	(void)state;
	/* a parent and the child that inherited the descriptor */
	process(PID_A, "parent\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	process(PID_B, "child\n");
	fd_on(PID_B, 3, "/dev/vfio/5");
	memset(&h, 0, sizeof(h));
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_FOUND);
	if (h.pid == PID_A)
		assert_string_equal(h.comm, "parent");
	else if (h.pid == PID_B)
		assert_string_equal(h.comm, "child");
	else
		fail_msg("holder %d is neither of the two", (int)h.pid);

	/* the caller is never its own holder */
	memset(&h, 0, sizeof(h));
	assert_int_equal(vfio_holder_find(proc, group_node, PID_A, &h),
		VFIO_HOLDER_FOUND);
	assert_int_equal(h.pid, PID_B);
	assert_string_equal(h.comm, "child");
	assert_int_equal(vfio_holder_find(proc, group_node, PID_B, &h),
		VFIO_HOLDER_FOUND);
	assert_int_equal(h.pid, PID_A);
	assert_string_equal(h.comm, "parent");
}

static void
test_no_holder(void **state)
{
	struct vfio_holder h = { .pid = 1, .comm = "unchanged" };

	(void)state;
	process(PID_A, "dpdk-edu-demo\n");
	fd_on(PID_A, 3, "/dev/vfio/15"); /* a prefix is no match */
	fd_on(PID_A, 4, "/dev/vfio/5 (deleted)");
	fd_on(PID_A, 5, "/dev/vfio/vfio");
	process(PID_B, "idle\n");
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_NONE);
	assert_int_equal(h.pid, 1);
	assert_string_equal(h.comm, "unchanged");

	/* only the caller holds it */
	fd_on(PID_B, 3, "/dev/vfio/5");
	assert_int_equal(vfio_holder_find(proc, group_node, PID_B, &h),
		VFIO_HOLDER_NONE);

	device(ADDR, GROUP, "vfio0");
	remove_at("proc/5000080/fd/3");
	assert_string_equal(describe(VFIO_HOLDER_NONE), "");

	/* no node to look for: no scan, even of an unreadable procfs */
	{
		char buf[64] = "untouched";

		assert_int_equal(vfio_holder_describe("/nonexistent",
			sysfs_devs, "0000:09:00.0", buf, sizeof(buf)),
			VFIO_HOLDER_NONE);
		assert_string_equal(buf, "");
	}
	assert_string_equal(log_buf, "");
}

/* entries of /proc that are not processes are not looked into */
static void
test_non_process_entries_skipped(void **state)
{
	static const char *const names[] = { "0", "-1", "05000079",
		"5000079x", "+5000079", "sys", "2147483648", NULL };
	const char *const *n;
	struct vfio_holder h;
	char rel[64];

	(void)state;
	for (n = names; *n != NULL; n++) {
		snprintf(rel, sizeof(rel), "proc/%s/fd/3", *n);
		link_to("/dev/vfio/5", rel);
	}
	link_to("5000079", "proc/self");
	link_to("5000079/task/5000079", "proc/thread-self");
	process(PID_A, "me\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	file_at("proc/uptime", "1.00 1.00\n");
	assert_int_equal(vfio_holder_find(proc, group_node, PID_A, &h),
		VFIO_HOLDER_NONE);
}

/* a process that closes its descriptor, or ends, during the scan */
static void
test_vanishing_fd_links(void **state)
{
	struct vfio_holder h;

	(void)state;
	process(PID_A, "closing\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	fail_on("proc/5000079/fd/3", ENOENT);
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_NONE);

	/* the scan goes on past it */
	fd_on(PID_A, 9, "/dev/vfio/5");
	memset(&h, 0, sizeof(h));
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_FOUND);
	assert_int_equal(h.pid, PID_A);
	assert_string_equal(h.comm, "closing");

	/* the process ended between readdir(/proc) and opendir(fd) */
	fail_on("proc/5000079/fd", ENOENT);
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_NONE);
	/* a pid directory already without fd/ (the caller holds it) */
	fail_errno = 0;
	mkdirs("proc/5000080");
	assert_int_equal(vfio_holder_find(proc, group_node, PID_A, &h),
		VFIO_HOLDER_NONE);
	assert_string_equal(log_buf, "");
}

/* another user's process: its fd/ cannot be read, nothing is claimed */
static void
test_unreadable_process_is_hidden(void **state)
{
	struct vfio_holder h;

	(void)state;
	device(ADDR, GROUP, "vfio0");
	process(PID_A, "someone-else\n");
	fd_on(PID_A, 3, "/dev/vfio/5");
	fail_on("proc/5000079/fd", EACCES);
	assert_int_equal(vfio_holder_find(proc, group_node, getpid(), &h),
		VFIO_HOLDER_HIDDEN);
	assert_string_equal(describe(VFIO_HOLDER_HIDDEN),
		"held by another process (not visible to this user)");

	/* fd/ that is not a directory: as unreadable */
	fail_errno = 0;
	file_at("proc/5000080/comm", "odd\n");
	file_at("proc/5000080/fd", "not a directory\n");
	assert_int_equal(vfio_holder_find(proc, group_node, PID_A, &h),
		VFIO_HOLDER_HIDDEN);

	/* a holder that is visible is named even so */
	process(PID_C, "visible\n");
	fd_on(PID_C, 3, "/dev/vfio/devices/vfio0");
	fail_on("proc/5000079/fd", EACCES);
	assert_string_equal(describe(VFIO_HOLDER_FOUND),
		"held by process 5000081 (visible)");

	/* no procfs at all */
	assert_int_equal(vfio_holder_find("/nonexistent", group_node,
		getpid(), &h), VFIO_HOLDER_HIDDEN);
}

/* ---- IOMMU group members ----------------------------------------------- */

/* explain group GROUP for ADDR: returns the count, text into why */
static char why[512];

static int
explain(void)
{
	memset(why, 0, sizeof(why));
	strcpy(why, "untouched");
	return vfio_group_explain(groups, GROUP, ADDR, why, sizeof(why));
}

/* members that leave DMA to their user, as the kernel decides it */
static void
viable_members(void)
{
	member(GROUP, ADDR, "vfio-pci");
	member(GROUP, "0000:00:1e.0", "pcieport");
	member(GROUP, "0000:02:03.0", "pci-stub");
	member(GROUP, "0000:02:04.0", NULL);  /* unbound */
	member(GROUP, "0000:02:05.0", "vfio-pci");
	member(GROUP, "0000:02:06.0", "mlx5_vfio_pci");
}

static void
test_group_one_foreign_member(void **state)
{
	(void)state;
	viable_members();
	member(GROUP, "0000:02:02.0", "virtio-pci");
	assert_int_equal(explain(), 1);
	assert_string_equal(why,
		"IOMMU group 5 is not viable: 0000:02:02.0 is bound to virtio-pci; bind every device of the group to vfio-pci (or unbind it)");
	assert_string_equal(log_buf, "");
}

static void
test_group_several_foreign_members(void **state)
{
	(void)state;
	viable_members();
	member(GROUP, "0000:02:02.0", "virtio-pci");
	member(GROUP, "0000:02:07.0", "e1000e");
	assert_int_equal(explain(), 2);
	/* in the order of the directory */
	if (strcmp(why,
		"IOMMU group 5 is not viable: 0000:02:02.0 is bound to virtio-pci, 0000:02:07.0 is bound to e1000e; bind every device of the group to vfio-pci (or unbind them)") != 0)
		assert_string_equal(why,
			"IOMMU group 5 is not viable: 0000:02:07.0 is bound to e1000e, 0000:02:02.0 is bound to virtio-pci; bind every device of the group to vfio-pci (or unbind them)");
	assert_string_equal(log_buf, "");
}

/* more members than the message holds: whole entries, then a count */
static void
test_group_many_foreign_members(void **state)
{
	char name[32];
	const char *tail;
	int i, listed = 0;

	(void)state;
	viable_members();
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "0000:04:%02x.0", i);
		member(GROUP, name, "virtio-pci");
	}
	assert_int_equal(explain(), 30);
	for (tail = why; (tail = strstr(tail, " is bound to virtio-pci")) != NULL;
			tail++)
		listed++;
	assert_true(listed > 0 && listed < 30);
	snprintf(name, sizeof(name), " and %d more", 30 - listed);
	assert_non_null(strstr(why, name));
	assert_non_null(strstr(why,
		" more; bind every device of the group to vfio-pci (or unbind them)"));
	assert_true(strlen(why) < sizeof(why) - 1);
	assert_string_equal(log_buf, "");
}

/* unbound members, and the device itself whatever its driver, count not */
static void
test_group_viable(void **state)
{
	(void)state;
	viable_members();
	assert_int_equal(explain(), 0);
	assert_string_equal(why, "untouched");

	/* the device itself, before it is bound to vfio-pci */
	remove_at("sys/devices/pci0000:00/" ADDR "/driver");
	link_to("../../../bus/pci/drivers/virtio-pci",
		"sys/devices/pci0000:00/" ADDR "/driver");
	assert_int_equal(explain(), 0);
	assert_string_equal(why, "untouched");

	/* a group of the device alone */
	member(7, "0000:03:00.0", "vfio-pci");
	assert_int_equal(vfio_group_explain(groups, 7, "0000:03:00.0", why,
		sizeof(why)), 0);
	assert_string_equal(why, "untouched");
	assert_string_equal(log_buf, "");
}

/* what the kernel does not write is refused, logged, buf untouched */
static void
test_group_malformed_sysfs(void **state)
{
	char path[PATH_MAX];

	(void)state;
	/* no such group */
	errno = 0;
	assert_int_equal(explain(), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(why, "untouched");
	snprintf(path, sizeof(path), "%s/5/devices", groups);
	assert_non_null(strstr(log_buf, path));
	assert_non_null(strstr(log_buf, strerror(ENOENT)));

	/* a member whose name is not a device name */
	viable_members();
	member(GROUP, "0000:02:02.0 x", "virtio-pci");
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	errno = 0;
	assert_int_equal(explain(), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(why, "untouched");
	assert_non_null(strstr(log_buf, path));
	assert_non_null(strstr(log_buf, "not a device name"));
	snprintf(path, sizeof(path), "%s/5/devices/0000:02:02.0 x", groups);
	assert_int_equal(unlink(path), 0);

	/* a driver link whose target does not end in a driver name */
	member(GROUP, "0000:02:02.0", NULL);
	snprintf(path, sizeof(path), "%s/sys/devices/pci0000:00/0000:02:02.0/driver",
		root);
	assert_int_equal(symlink("../../../bus/pci/drivers/", path), 0);
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	errno = 0;
	assert_int_equal(explain(), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(why, "untouched");
	assert_non_null(strstr(log_buf, "0000:02:02.0/driver"));
	assert_non_null(strstr(log_buf, "not a driver name"));

	/* a driver that is a file, not a link */
	assert_int_equal(unlink(path), 0);
	file_at("sys/devices/pci0000:00/0000:02:02.0/driver", "virtio-pci\n");
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	errno = 0;
	assert_int_equal(explain(), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(why, "untouched");
	assert_non_null(strstr(log_buf, "0000:02:02.0/driver"));
	assert_non_null(strstr(log_buf, strerror(EINVAL)));

	/* a driver link that cannot be read */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("../../../bus/pci/drivers/virtio-pci", path),
		0);
	fail_on("sys/kernel/iommu_groups/5/devices/0000:02:02.0/driver",
		EACCES);
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	errno = 0;
	assert_int_equal(explain(), -1);
	assert_int_equal(errno, EACCES);
	assert_string_equal(why, "untouched");
	assert_non_null(strstr(log_buf, strerror(EACCES)));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_holder_found_with_pid_and_comm),
		T(test_holder_of_each_node),
		T(test_holder_comm_of_15_bytes),
		T(test_holder_comm_control_bytes),
		T(test_holder_comm_garbage_or_missing),
		T(test_several_holders),
		T(test_no_holder),
		T(test_non_process_entries_skipped),
		T(test_vanishing_fd_links),
		T(test_unreadable_process_is_hidden),
		T(test_group_one_foreign_member),
		T(test_group_several_foreign_members),
		T(test_group_many_foreign_members),
		T(test_group_viable),
		T(test_group_malformed_sysfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
