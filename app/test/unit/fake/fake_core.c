/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fake kernel's system call wrappers, fd table, fault injection and
 * leak accounting.
 */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_internal.h"

struct fake_state fake;
pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;

/* declarations of the wrapped symbols (-Wl,--wrap=) */
int __wrap_open(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
int __real_openat64(int dirfd, const char *path, int flags, ...);
int __wrap_openat64(int dirfd, const char *path, int flags, ...);
int __wrap_close(int fd);
int __real_ioctl(int fd, unsigned long req, ...);
int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);
int __real_fcntl64(int fd, int cmd, ...);
int __wrap_fcntl64(int fd, int cmd, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);
void *__real_mmap64(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);
void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);
int __real_munmap(void *addr, size_t len);
int __wrap_munmap(void *addr, size_t len);
ssize_t __real_pread(int fd, void *buf, size_t count, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t count, off_t off);
ssize_t __wrap_pread64(int fd, void *buf, size_t count, off_t off);
ssize_t __real_pwrite(int fd, const void *buf, size_t count, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t count, off_t off);
ssize_t __wrap_pwrite64(int fd, const void *buf, size_t count, off_t off);
int __real_stat(const char *path, struct stat *st);
int __wrap_stat(const char *path, struct stat *st);
int __real_stat64(const char *path, struct stat *st);
int __wrap_stat64(const char *path, struct stat *st);
int __real_access(const char *path, int mode);
int __wrap_access(const char *path, int mode);
ssize_t __real_readlink(const char *path, char *buf, size_t len);
ssize_t __wrap_readlink(const char *path, char *buf, size_t len);

/* ---- faults ------------------------------------------------------------- */

#define FAKE_MAX_FAULTS 16

enum fault_kind { FAULT_NONE, FAULT_IOCTL, FAULT_PATH, FAULT_MMAP, FAULT_RW };

static struct fault {
	enum fault_kind kind;
	unsigned long req;
	char call[16];
	char path[128];
	unsigned int countdown;
	int err;
} faults[FAKE_MAX_FAULTS];

static void
fault_add(const struct fault *f)
{
	unsigned int i;

	if (f->countdown == 0)
		return;
	for (i = 0; i < FAKE_MAX_FAULTS; i++) {
		if (faults[i].kind == FAULT_NONE) {
			faults[i] = *f;
			return;
		}
	}
	fail_msg("fake kernel: more than %d faults armed", FAKE_MAX_FAULTS);
}

void
fake_fault_ioctl(unsigned long req, unsigned int nth, int err)
{
	struct fault f = { .kind = FAULT_IOCTL, .req = req,
		.countdown = nth, .err = err };

	pthread_mutex_lock(&fake_lock);
	fault_add(&f);
	pthread_mutex_unlock(&fake_lock);
}

void
fake_fault_path(const char *call, const char *path_substr, unsigned int nth,
		int err)
{
	struct fault f = { .kind = FAULT_PATH, .countdown = nth, .err = err };

	snprintf(f.call, sizeof(f.call), "%s", call);
	snprintf(f.path, sizeof(f.path), "%s", path_substr);
	pthread_mutex_lock(&fake_lock);
	fault_add(&f);
	pthread_mutex_unlock(&fake_lock);
}

void
fake_fault_open(const char *path_substr, unsigned int nth, int err)
{
	fake_fault_path("open", path_substr, nth, err);
}

void
fake_fault_mmap(unsigned int nth, int err)
{
	struct fault f = { .kind = FAULT_MMAP, .countdown = nth, .err = err };

	pthread_mutex_lock(&fake_lock);
	fault_add(&f);
	pthread_mutex_unlock(&fake_lock);
}

void
fake_fault_rw(bool write, unsigned int nth, int err)
{
	/* req tells pread (0) from pwrite (1) */
	struct fault f = { .kind = FAULT_RW, .req = write ? 1 : 0,
		.countdown = nth, .err = err };

	pthread_mutex_lock(&fake_lock);
	fault_add(&f);
	pthread_mutex_unlock(&fake_lock);
}

void
fake_fault_clear(void)
{
	pthread_mutex_lock(&fake_lock);
	memset(faults, 0, sizeof(faults));
	pthread_mutex_unlock(&fake_lock);
}

/* 0 or the errno to fail with; counts the call against matching faults */
static int
fault_hit(enum fault_kind kind, unsigned long req, const char *call,
		const char *path)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < FAKE_MAX_FAULTS; i++) {
		struct fault *f = &faults[i];

		if (f->kind != kind)
			continue;
		if ((kind == FAULT_IOCTL || kind == FAULT_RW) && f->req != req)
			continue;
		if (kind == FAULT_PATH && (strcmp(f->call, call) != 0 ||
				path == NULL || strstr(path, f->path) == NULL))
			continue;
		if (--f->countdown == 0) {
			if (err == 0)
				err = f->err;
			f->kind = FAULT_NONE;
		}
	}
	return err;
}

/* ---- ioctl statistics --------------------------------------------------- */

#define FAKE_MAX_REQ_STATS 64

static struct {
	unsigned long req;
	unsigned int calls;
} req_stats[FAKE_MAX_REQ_STATS];
static unsigned int pagemap_reads;

static void
req_count(unsigned long req)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_REQ_STATS; i++) {
		if (req_stats[i].calls == 0)
			req_stats[i].req = req;
		if (req_stats[i].req == req) {
			req_stats[i].calls++;
			return;
		}
	}
}

unsigned int
fake_ioctl_calls(unsigned long req)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&fake_lock);
	for (i = 0; i < FAKE_MAX_REQ_STATS; i++)
		if (req_stats[i].calls != 0 && req_stats[i].req == req)
			n = req_stats[i].calls;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

unsigned int
fake_pagemap_reads(void)
{
	unsigned int n;

	pthread_mutex_lock(&fake_lock);
	n = pagemap_reads;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

/* ---- fd table ----------------------------------------------------------- */

/* A fake fd is a real fd on /dev/null, so it never collides with others. */
int
fake_fd_new(enum fake_fd_kind kind, void *obj, int flags)
{
	struct fake_fd *f;
	int fd;

	fd = __real_open64("/dev/null", O_RDWR | (flags & O_CLOEXEC));
	if (fd < 0)
		return -errno;
	if (fd >= FAKE_MAX_FDS) {
		__real_close(fd);
		return -EMFILE;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		__real_close(fd);
		return -ENOMEM;
	}
	f->kind = kind;
	switch (kind) {
	case FAKE_FD_CONTAINER:
		f->container = obj;
		break;
	case FAKE_FD_GROUP:
		f->group = obj;
		break;
	case FAKE_FD_DEVICE:
		f->dev = obj;
		break;
	case FAKE_FD_IOMMUFD:
		f->ictx = obj;
		break;
	case FAKE_FD_PAGEMAP:
		break;
	}
	f->refs = 1;
	fake.fds[fd] = f;
	fake.nb_fds++;
	return fd;
}

struct fake_fd *
fake_fd_get(int fd)
{
	if (fd < 0 || fd >= FAKE_MAX_FDS)
		return NULL;
	return fake.fds[fd];
}

/* drop the kernel object behind a fake fd (the fd itself stays) */
static void
fake_fd_release(struct fake_fd *f)
{
	switch (f->kind) {
	case FAKE_FD_CONTAINER:
		f->container->fd_open = false;
		fake_container_put(f->container);
		break;
	case FAKE_FD_GROUP:
		f->group->fd_open = false;
		fake_group_release(f->group);
		break;
	case FAKE_FD_DEVICE:
		fake_device_close(f);
		break;
	case FAKE_FD_IOMMUFD:
		f->ictx->fd_open = false;
		fake_ictx_put(f->ictx);
		break;
	case FAKE_FD_PAGEMAP:
		break;
	}
	free(f);
}

int
fake_obj_register(void **table, void *obj)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (table[i] == NULL) {
			table[i] = obj;
			return 0;
		}
	}
	return -1;
}

void
fake_obj_unregister(void **table, void *obj)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		if (table[i] == obj)
			table[i] = NULL;
}

unsigned int
fake_dma_mapping_count(void)
{
	unsigned int i, j, n = 0;

	pthread_mutex_lock(&fake_lock);
	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (fake.containers[i] != NULL)
			n += (unsigned int)fake.containers[i]->maps.n;
		if (fake.ictxs[i] == NULL)
			continue;
		for (j = 0; j < FAKE_MAX_IOAS; j++)
			if (fake.ictxs[i]->ioas[j] != NULL)
				n += (unsigned int)fake.ictxs[i]->ioas[j]->maps.n;
	}
	pthread_mutex_unlock(&fake_lock);
	return n;
}

struct fake_dev *
fake_dev_find(const char *addr)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_DEVICES; i++)
		if (fake.devs[i].used && strcmp(fake.devs[i].desc.addr, addr) == 0)
			return &fake.devs[i];
	return NULL;
}

struct fake_group *
fake_group_find(int num)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_GROUPS; i++)
		if (fake.groups[i].used && fake.groups[i].num == num)
			return &fake.groups[i];
	return NULL;
}

/* ---- device nodes ------------------------------------------------------- */

enum node_kind {
	NODE_NONE,	/* not a path we model */
	NODE_ABSENT,	/* a path we model that does not exist */
	NODE_DIR,
	NODE_CONTAINER,
	NODE_GROUP,
	NODE_CDEV,
	NODE_IOMMU,
};

/* parse "<digits>" completely */
static bool
parse_num(const char *s, int *num)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 1000000)
		return false;
	*num = (int)v;
	return true;
}

static struct fake_dev *
dev_by_cdev(int num, bool noiommu)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_DEVICES; i++) {
		struct fake_dev *d = &fake.devs[i];

		if (d->used && !d->fslmc && d->cdev_num == num &&
				d->group->noiommu == noiommu)
			return d;
	}
	return NULL;
}

static bool
cdev_visible(const struct fake_dev *d)
{
	if (!fake.cfg.cdev || strcmp(d->desc.driver, "vfio-pci") != 0)
		return false;
	return !d->group->noiommu || fake.cfg.noiommu_cdev;
}

static bool
group_visible(const struct fake_group *g)
{
	if (!fake.cfg.vfio_module)
		return false;
	return !g->noiommu || fake.cfg.noiommu;
}

/* what a path names; *obj receives the group or device */
static enum node_kind
node_lookup(const char *path, void **obj)
{
	char p[256];
	size_t len;
	int num;

	if (strncmp(path, "/dev/vfio", 9) != 0 && strncmp(path, "/dev/iommu", 10) != 0)
		return NODE_NONE;
	snprintf(p, sizeof(p), "%s", path);
	len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	if (strcmp(p, "/dev/iommu") == 0)
		return fake.cfg.iommufd ? NODE_IOMMU : NODE_ABSENT;
	if (strcmp(p, "/dev/vfio") == 0)
		return fake.cfg.vfio_module ? NODE_DIR : NODE_ABSENT;
	if (strcmp(p, "/dev/vfio/vfio") == 0)
		return fake.cfg.vfio_module && fake.cfg.container ?
			NODE_CONTAINER : NODE_ABSENT;
	if (strcmp(p, "/dev/vfio/devices") == 0)
		return fake.cfg.vfio_module && fake.cfg.cdev ? NODE_DIR : NODE_ABSENT;
	if (strncmp(p, "/dev/vfio/devices/", 18) == 0) {
		const char *n = p + 18;
		bool noiommu = strncmp(n, "noiommu-", 8) == 0;
		struct fake_dev *d;

		if (noiommu)
			n += 8;
		if (!fake.cfg.vfio_module || strncmp(n, "vfio", 4) != 0 ||
				!parse_num(n + 4, &num))
			return NODE_ABSENT;
		d = dev_by_cdev(num, noiommu);
		if (d == NULL || !cdev_visible(d))
			return NODE_ABSENT;
		*obj = d;
		return NODE_CDEV;
	}
	if (strncmp(p, "/dev/vfio/", 10) == 0) {
		const char *n = p + 10;
		bool noiommu = strncmp(n, "noiommu-", 8) == 0;
		struct fake_group *g;

		if (noiommu)
			n += 8;
		if (!parse_num(n, &num))
			return NODE_ABSENT;
		g = fake_group_find(num);
		if (g == NULL || g->noiommu != noiommu || !group_visible(g))
			return NODE_ABSENT;
		*obj = g;
		return NODE_GROUP;
	}
	return NODE_ABSENT;
}

static int
node_open(enum node_kind kind, void *obj, int flags)
{
	struct fake_container *c;
	struct fake_group *g;
	struct fake_dev *d;
	struct fake_ictx *ctx;
	int fd;

	switch (kind) {
	case NODE_DIR:
		return -EISDIR;
	case NODE_CONTAINER:
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			return -ENOMEM;
		c->refs = 1;
		c->fd_open = true;
		if (fake_obj_register((void **)fake.containers, c) != 0) {
			free(c);
			return -ENOMEM;
		}
		fd = fake_fd_new(FAKE_FD_CONTAINER, c, flags);
		if (fd < 0)
			fake_container_put(c);
		return fd;
	case NODE_GROUP:
		g = obj;
		if (g->noiommu && fake.cfg.no_rawio)
			return -EPERM;
		/* one opener at a time (device fds keep the group file); not
		 * while a device is open as cdev
		 */
		if (g->fd_open || g->dev_fds != 0)
			return -EBUSY;
		for (fd = 0; fd < FAKE_MAX_DEVICES; fd++) {
			d = &fake.devs[fd];
			if (d->used && d->group == g && d->ictx != NULL)
				return -EBUSY;
		}
		fd = fake_fd_new(FAKE_FD_GROUP, g, flags);
		if (fd >= 0)
			g->fd_open = true;
		return fd;
	case NODE_CDEV:
		d = obj;
		if (d->group->noiommu && fake.cfg.no_rawio)
			return -EPERM;
		fd = fake_fd_new(FAKE_FD_DEVICE, d, flags);
		if (fd >= 0)
			fake.fds[fd]->cdev = true;
		return fd;
	case NODE_IOMMU:
		ctx = fake_ictx_new();
		if (ctx == NULL)
			return -ENOMEM;
		fd = fake_fd_new(FAKE_FD_IOMMUFD, ctx, flags);
		if (fd < 0)
			fake_ictx_put(ctx);
		return fd;
	default:
		return -ENOENT;
	}
}

/* common part of the open wrappers: -2 means "not ours, call the C library" */
static int
fake_open(const char *path, int flags)
{
	enum node_kind kind;
	void *obj = NULL;
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = fault_hit(FAULT_PATH, 0, "open", path);
	if (ret != 0) {
		pthread_mutex_unlock(&fake_lock);
		errno = ret;
		return -1;
	}
	kind = node_lookup(path, &obj);
	if (strcmp(path, FAKE_PAGEMAP_PATH) == 0)
		ret = fake_fd_new(FAKE_FD_PAGEMAP, NULL, flags);
	else if (kind == NODE_NONE)
		ret = -2;
	else
		ret = node_open(kind, obj, flags);
	if (ret == -2) {
		pthread_mutex_unlock(&fake_lock);
		return -2;
	}
	pthread_mutex_unlock(&fake_lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

static mode_t
open_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
		return va_arg(ap, mode_t);
	return 0;
}

int
__wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret = fake_open(path, flags);

	if (ret != -2)
		return ret;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return __real_open(path, flags, mode);
}

int
__wrap_open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret = fake_open(path, flags);

	if (ret != -2)
		return ret;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return __real_open64(path, flags, mode);
}

/* device nodes are absolute paths: dirfd does not matter for them */
int
__wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret = fake_open(path, flags);

	if (ret != -2)
		return ret;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return __real_openat(dirfd, path, flags, mode);
}

int
__wrap_openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret = fake_open(path, flags);

	if (ret != -2)
		return ret;
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return __real_openat64(dirfd, path, flags, mode);
}

int
__wrap_close(int fd)
{
	struct fake_fd *f;

	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(fd);
	if (f != NULL) {
		fake.fds[fd] = NULL;
		fake.nb_fds--;
		if (--f->refs == 0)
			fake_fd_release(f);
	}
	pthread_mutex_unlock(&fake_lock);
	return __real_close(fd);
}

/* F_DUPFD(_CLOEXEC) of a fake fd: a second fd on the same object. */
static int
fake_dup_track(int fd, int newfd)
{
	struct fake_fd *f;

	if (newfd < 0)
		return newfd;
	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(fd);
	if (f != NULL && newfd < FAKE_MAX_FDS) {
		f->refs++;
		fake.fds[newfd] = f;
		fake.nb_fds++;
	}
	pthread_mutex_unlock(&fake_lock);
	return newfd;
}

/* fcntl's third argument: a pointer for the lock commands, else an int */
static bool
fcntl_takes_pointer(int cmd)
{
	return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW ||
		cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		cmd == F_OFD_SETLKW || cmd == F_GETOWN_EX ||
		cmd == F_SETOWN_EX;
}

int
__wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *p;
	int v;

	va_start(ap, cmd);
	if (fcntl_takes_pointer(cmd)) {
		p = va_arg(ap, void *);
		va_end(ap);
		return __real_fcntl(fd, cmd, p);
	}
	v = va_arg(ap, int);
	va_end(ap);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return fake_dup_track(fd, __real_fcntl(fd, cmd, v));
	return __real_fcntl(fd, cmd, v);
}

int
__wrap_fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *p;
	int v;

	va_start(ap, cmd);
	if (fcntl_takes_pointer(cmd)) {
		p = va_arg(ap, void *);
		va_end(ap);
		return __real_fcntl64(fd, cmd, p);
	}
	v = va_arg(ap, int);
	va_end(ap);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return fake_dup_track(fd, __real_fcntl64(fd, cmd, v));
	return __real_fcntl64(fd, cmd, v);
}

/* ioctls whose argument is a value (or unused), not a pointer */
static bool
ioctl_takes_value(unsigned long req)
{
	static const unsigned long value_reqs[] = {
		VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU,
		VFIO_GROUP_UNSET_CONTAINER, VFIO_DEVICE_RESET,
		VFIO_IOMMU_ENABLE, VFIO_IOMMU_DISABLE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(value_reqs) / sizeof(value_reqs[0]); i++)
		if (value_reqs[i] == req)
			return true;
	return false;
}

int
__wrap_ioctl(int fd, unsigned long req, ...)
{
	struct fake_fd *f;
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);

	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(fd);
	if (f == NULL) {
		pthread_mutex_unlock(&fake_lock);
		return __real_ioctl(fd, req, arg);
	}
	req_count(req);
	ret = fault_hit(FAULT_IOCTL, req, NULL, NULL);
	if (ret != 0) {
		ret = -ret;
	} else if (arg == NULL && !ioctl_takes_value(req)) {
		ret = -EFAULT;
	} else {
		switch (f->kind) {
		case FAKE_FD_CONTAINER:
			ret = fake_container_ioctl(f, req, arg);
			break;
		case FAKE_FD_GROUP:
			ret = fake_group_ioctl(f, req, arg);
			break;
		case FAKE_FD_DEVICE:
			ret = fake_device_ioctl(f, req, arg);
			break;
		case FAKE_FD_IOMMUFD:
			ret = fake_iommufd_ioctl(f, req, arg);
			break;
		default:
			ret = -ENOTTY;
		}
	}
	pthread_mutex_unlock(&fake_lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/* ---- device mappings ---------------------------------------------------- */

struct live_map {
	uintptr_t start;
	uintptr_t end;
	char dev[32];
};

static struct live_map *live;
static unsigned int nb_live, live_cap;

static int
live_add(uintptr_t start, uintptr_t end, const char *dev)
{
	if (nb_live == live_cap) {
		unsigned int cap = live_cap == 0 ? 16 : live_cap * 2;
		struct live_map *n = realloc(live, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		live = n;
		live_cap = cap;
	}
	live[nb_live].start = start;
	live[nb_live].end = end;
	snprintf(live[nb_live].dev, sizeof(live[nb_live].dev), "%s", dev);
	nb_live++;
	return 0;
}

/* forget [start, end) of device mappings, splitting where needed */
static void
live_remove(uintptr_t start, uintptr_t end)
{
	unsigned int i = 0;

	while (i < nb_live) {
		struct live_map *m = &live[i];

		if (m->end <= start || m->start >= end) {
			i++;
			continue;
		}
		if (m->start < start && m->end > end) {
			struct live_map tail = *m;

			tail.start = end;
			m->end = start;
			if (live_add(tail.start, tail.end, tail.dev) != 0)
				return;
			i++;
		} else if (m->start < start) {
			m->end = start;
			i++;
		} else if (m->end > end) {
			m->start = end;
			i++;
		} else {
			live[i] = live[--nb_live];
		}
	}
}

static void *
fake_mmap(void *(*real)(void *, size_t, int, int, int, off_t),
		void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct fake_fd *f;
	off_t memoff = 0;
	int memfd = -1;
	void *va;
	int ret;

	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(fd);
	if (f == NULL) {
		pthread_mutex_unlock(&fake_lock);
		return real(addr, len, prot, flags, fd, off);
	}
	ret = fault_hit(FAULT_MMAP, 0, NULL, NULL);
	if (ret == 0)
		ret = fake_device_mmap_check(f, len, prot, flags, off, &memfd,
			&memoff);
	else
		ret = -ret;
	if (ret != 0) {
		pthread_mutex_unlock(&fake_lock);
		errno = -ret;
		return MAP_FAILED;
	}
	va = real(addr, len, prot, flags, memfd, memoff);
	if (va != MAP_FAILED &&
			live_add((uintptr_t)va, (uintptr_t)va + len,
				f->dev->desc.addr) != 0) {
		__real_munmap(va, len);
		errno = ENOMEM;
		va = MAP_FAILED;
	}
	pthread_mutex_unlock(&fake_lock);
	return va;
}

void *
__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return fake_mmap(__real_mmap, addr, len, prot, flags, fd, off);
}

void *
__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return fake_mmap(__real_mmap64, addr, len, prot, flags, fd, off);
}

int
__wrap_munmap(void *addr, size_t len)
{
	int ret = __real_munmap(addr, len);

	if (ret == 0 && len != 0) {
		uintptr_t end = ((uintptr_t)addr + len + FAKE_PAGE - 1) &
			~(uintptr_t)(FAKE_PAGE - 1);

		pthread_mutex_lock(&fake_lock);
		live_remove((uintptr_t)addr, end);
		pthread_mutex_unlock(&fake_lock);
	}
	return ret;
}

/* ---- pread/pwrite ------------------------------------------------------- */

static ssize_t
fake_rw(int fd, void *buf, size_t count, off_t off, bool write, bool *ours)
{
	struct fake_fd *f;
	ssize_t ret;

	pthread_mutex_lock(&fake_lock);
	f = fake_fd_get(fd);
	*ours = f != NULL;
	if (f == NULL) {
		pthread_mutex_unlock(&fake_lock);
		return 0;
	}
	if (f->kind == FAKE_FD_PAGEMAP && !write) {
		pagemap_reads++;
		ret = fake_pagemap_read(buf, count, off);
	}
	else if (f->kind != FAKE_FD_DEVICE)
		ret = -EINVAL;
	else if ((ret = fault_hit(FAULT_RW, write ? 1 : 0, NULL, NULL)) != 0)
		ret = -ret;
	else
		ret = fake_device_rw(f, buf, count, off, write);
	pthread_mutex_unlock(&fake_lock);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

ssize_t
__wrap_pread(int fd, void *buf, size_t count, off_t off)
{
	bool ours;
	ssize_t ret = fake_rw(fd, buf, count, off, false, &ours);

	return ours ? ret : __real_pread(fd, buf, count, off);
}

ssize_t
__wrap_pread64(int fd, void *buf, size_t count, off_t off)
{
	bool ours;
	ssize_t ret = fake_rw(fd, buf, count, off, false, &ours);

	return ours ? ret : __real_pread64(fd, buf, count, off);
}

ssize_t
__wrap_pwrite(int fd, const void *buf, size_t count, off_t off)
{
	bool ours;
	ssize_t ret = fake_rw(fd, (void *)(uintptr_t)buf, count, off, true,
		&ours);

	return ours ? ret : __real_pwrite(fd, buf, count, off);
}

ssize_t
__wrap_pwrite64(int fd, const void *buf, size_t count, off_t off)
{
	bool ours;
	ssize_t ret = fake_rw(fd, (void *)(uintptr_t)buf, count, off, true,
		&ours);

	return ours ? ret : __real_pwrite64(fd, buf, count, off);
}

/* ---- stat/access/readlink ----------------------------------------------- */

/* -2: not ours; else 0 or -errno, filling st when given */
static int
fake_path_call(const char *call, const char *path, struct stat *st)
{
	enum node_kind kind;
	void *obj = NULL;
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = fault_hit(FAULT_PATH, 0, call, path);
	if (ret != 0) {
		pthread_mutex_unlock(&fake_lock);
		return -ret;
	}
	kind = node_lookup(path, &obj);
	pthread_mutex_unlock(&fake_lock);
	if (kind == NODE_NONE)
		return -2;
	if (kind == NODE_ABSENT)
		return -ENOENT;
	if (st != NULL) {
		memset(st, 0, sizeof(*st));
		st->st_mode = kind == NODE_DIR ? S_IFDIR | 0755 : S_IFCHR | 0600;
		st->st_nlink = 1;
	}
	return 0;
}

static int
stat_common(int (*real)(const char *, struct stat *), const char *path,
		struct stat *st)
{
	int ret = fake_path_call("stat", path, st);

	if (ret == -2)
		return real(path, st);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

int
__wrap_stat(const char *path, struct stat *st)
{
	return stat_common(__real_stat, path, st);
}

int
__wrap_stat64(const char *path, struct stat *st)
{
	return stat_common(__real_stat64, path, st);
}

int
__wrap_access(const char *path, int mode)
{
	int ret = fake_path_call("access", path, NULL);

	if (ret == -2)
		return __real_access(path, mode);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

ssize_t
__wrap_readlink(const char *path, char *buf, size_t len)
{
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = fault_hit(FAULT_PATH, 0, "readlink", path);
	pthread_mutex_unlock(&fake_lock);
	if (ret != 0) {
		errno = ret;
		return -1;
	}
	return __real_readlink(path, buf, len);
}

/* ---- lifecycle and accounting ------------------------------------------- */

struct fake_config *
fake_config(void)
{
	return &fake.cfg;
}

const char *
fake_sysfs_root(void)
{
	return fake.sysfs;
}

unsigned int
fake_open_fds(void)
{
	unsigned int n;

	pthread_mutex_lock(&fake_lock);
	n = fake.nb_fds;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

unsigned int
fake_live_mappings(void)
{
	unsigned int n;

	pthread_mutex_lock(&fake_lock);
	n = nb_live;
	pthread_mutex_unlock(&fake_lock);
	return n;
}

static const char *const kind_names[] = {
	[FAKE_FD_CONTAINER] = "container",
	[FAKE_FD_GROUP] = "group",
	[FAKE_FD_DEVICE] = "device",
	[FAKE_FD_IOMMUFD] = "iommufd",
	[FAKE_FD_PAGEMAP] = "pagemap",
};

/* print the leaks, return how many */
static unsigned int
leaks_report(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX_FDS; i++) {
		struct fake_fd *f = fake.fds[i];

		if (f == NULL)
			continue;
		n++;
		if (f->kind == FAKE_FD_DEVICE)
			print_message("fake kernel: leaked fd %u (device %s)\n",
				i, f->dev->desc.addr);
		else if (f->kind == FAKE_FD_GROUP)
			print_message("fake kernel: leaked fd %u (group %d)\n",
				i, f->group->num);
		else
			print_message("fake kernel: leaked fd %u (%s)\n", i,
				kind_names[f->kind]);
	}
	for (i = 0; i < nb_live; i++) {
		n++;
		print_message("fake kernel: leaked mapping %#lx-%#lx of %s\n",
			(unsigned long)live[i].start, (unsigned long)live[i].end,
			live[i].dev);
	}
	return n;
}

void
fake_assert_no_leaks(void)
{
	unsigned int n;

	pthread_mutex_lock(&fake_lock);
	n = leaks_report();
	pthread_mutex_unlock(&fake_lock);
	if (n != 0)
		fail_msg("fake kernel: %u fds or mappings leaked", n);
}

void
fake_kernel_reset(void)
{
	unsigned int i;

	pthread_mutex_lock(&fake_lock);
	for (i = 0; i < FAKE_MAX_FDS; i++) {
		struct fake_fd *f = fake.fds[i];

		if (f == NULL)
			continue;
		fake.fds[i] = NULL;
		if (--f->refs == 0)
			fake_fd_release(f);
		__real_close((int)i);
	}
	fake.nb_fds = 0;
	/* nothing holds these any more; free them even if counts are off */
	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (fake.containers[i] != NULL) {
			fake_maps_free(&fake.containers[i]->maps);
			fake_maps_free(&fake.containers[i]->prereg);
			free(fake.containers[i]);
			fake.containers[i] = NULL;
		}
		if (fake.ictxs[i] != NULL) {
			fake.ictxs[i]->refs = 1;
			fake_ictx_put(fake.ictxs[i]);
		}
	}
	for (i = 0; i < nb_live; i++)
		__real_munmap((void *)live[i].start, live[i].end - live[i].start);
	free(live);
	live = NULL;
	nb_live = live_cap = 0;
	for (i = 0; i < FAKE_MAX_DEVICES; i++)
		if (fake.devs[i].used)
			fake_device_free(&fake.devs[i]);
	memset(fake.devs, 0, sizeof(fake.devs));
	memset(fake.groups, 0, sizeof(fake.groups));
	memset(faults, 0, sizeof(faults));
	memset(req_stats, 0, sizeof(req_stats));
	pagemap_reads = 0;
	fake_sysfs_remove();
	memset(&fake.cfg, 0, sizeof(fake.cfg));
	fake.next_cdev = 0;
	pthread_mutex_unlock(&fake_lock);
}

int
fake_teardown(void **state)
{
	unsigned int n;

	(void)state;
	pthread_mutex_lock(&fake_lock);
	n = leaks_report();
	pthread_mutex_unlock(&fake_lock);
	fake_kernel_reset();
	if (n != 0)
		fail_msg("fake kernel: %u fds or mappings leaked", n);
	return 0;
}
