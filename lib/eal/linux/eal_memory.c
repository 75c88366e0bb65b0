/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Memory init stage: the primary lays out the segment lists (one range of
 * address space per page size and NUMA node), publishes them in the
 * shared configuration and allocates -m / --socket-mem; a secondary maps
 * the configuration and the same ranges at the same addresses.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <rte_config.h>
#if RTE_HAS_LIBNUMA
#include <numa.h>
#endif
#include <sched.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_hugepage_info.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_heap.h"

/* Where the primary starts looking for address space (away from ASLR). */
#define EAL_VA_HINT ((uintptr_t)1 << 32)
/* How long a secondary waits for the primary to publish its memory. */
#define SECONDARY_WAIT_MS 5000

static size_t mcfg_len;

static int
config_socket_list(int *ids, unsigned int max)
{
	unsigned int n = 0;
#if RTE_HAS_LIBNUMA
	int node;

	if (numa_available() >= 0) {
		for (node = 0; node <= numa_max_node() && n < max; node++)
			if (numa_bitmask_isbitset(numa_all_nodes_ptr,
					(unsigned int)node))
				ids[n++] = node;
	}
#endif
	if (n == 0)
		ids[n++] = 0;
	return (int)n;
}

unsigned int
eal_memory_socket_count(void)
{
	unsigned int i, n = 0;

	if (eal_mcfg == NULL)
		return 0;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		n += eal_mcfg->heaps[i].in_use != 0;
	return n;
}

int
eal_memory_socket_id(unsigned int idx)
{
	return eal_mcfg->heaps[idx].socket_id;
}

int
eal_memory_current_socket(void)
{
#if RTE_HAS_LIBNUMA
	int cpu = sched_getcpu();

	if (cpu >= 0 && numa_available() >= 0) {
		int node = numa_node_of_cpu(cpu);

		if (node >= 0)
			return node;
	}
#endif
	return eal_mcfg != NULL ? eal_mcfg->heaps[0].socket_id : 0;
}

static unsigned long
free_hugepages(uint64_t size)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path),
		"/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/free_hugepages",
		size >> 10);
	f = fopen(path, "re");
	if (f != NULL) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Mount point and type of the file system holding path (longest match). */
static void
fs_mount_of(const char *path, char *dir, size_t dlen, char *type, size_t tlen)
{
	char real[PATH_MAX], buf[PATH_MAX * 2 + 256];
	struct mntent me, *m;
	size_t best = 0, n;
	FILE *f;

	snprintf(dir, dlen, "?");
	snprintf(type, tlen, "?");
	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	f = setmntent("/proc/self/mounts", "re");
	if (f == NULL)
		return;
	while ((m = getmntent_r(f, &me, buf, sizeof(buf))) != NULL) {
		n = strlen(m->mnt_dir);
		if (strncmp(real, m->mnt_dir, n) != 0 ||
				(n > 1 && real[n] != '/' && real[n] != '\0') ||
				n < best)
			continue;
		best = n;
		snprintf(dir, dlen, "%s", m->mnt_dir);
		snprintf(type, tlen, "%s", m->mnt_type);
	}
	endmntent(f);
}

/*
 * "tmpfs on /run: 3 MiB free of 400 MiB" for the file system of path;
 * hugetlbfs counts pages, and has a limit only when mounted with size=.
 * Returns 1 when that limit is what is reached (no page free under it).
 */
static int
fs_describe(const char *path, char *buf, size_t len)
{
	char dir[PATH_MAX], type[64];
	struct statvfs sv;
	int n;

	fs_mount_of(path, dir, sizeof(dir), type, sizeof(type));
	n = snprintf(buf, len, "%s on %s", type, dir);
	if (n < 0 || (size_t)n >= len || statvfs(path, &sv) != 0)
		return 0;
	if (strcmp(type, "hugetlbfs") == 0) {
		snprintf(buf + n, len - (size_t)n, sv.f_blocks == 0 ?
			" (no size limit)" : ": size limit %llu pages, %llu free",
			(unsigned long long)sv.f_blocks,
			(unsigned long long)sv.f_bavail);
		return sv.f_blocks != 0 && sv.f_bavail == 0;
	}
	snprintf(buf + n, len - (size_t)n, ": %llu kB free of %llu kB",
		(unsigned long long)sv.f_bavail * sv.f_frsize >> 10,
		(unsigned long long)sv.f_blocks * sv.f_frsize >> 10);
	return 0;
}

/* Where the runtime directory is and what to do when it is full. */
static void
explain_runtime_fs(const char *what, size_t size)
{
	char fs[PATH_MAX + 128];

	fs_describe(rte_eal_get_runtime_dir(), fs, sizeof(fs));
	EAL_LOG(ERR, "%s: cannot get %zu bytes in the runtime directory %s (%s): free space there, ask for less memory with -m, use hugepages (without --no-huge; --huge-dir picks the mount) or --in-memory (no file)",
		what, size, rte_eal_get_runtime_dir(), fs);
}

int
eal_mcfg_reserve(uint64_t off, uint64_t len)
{
	int fd = eal_runtime_config_fd();
	uint64_t start, end;
	int ret;

	if (fd < 0 || len == 0)
		return 0; /* anonymous (--in-memory): nothing to reserve */
	start = RTE_ALIGN_FLOOR(off, (uint64_t)RTE_PGSIZE_4K);
	end = RTE_ALIGN_CEIL(off + len, (uint64_t)RTE_PGSIZE_4K);
	do {
		ret = fallocate(fd, 0, (off_t)start, (off_t)(end - start));
	} while (ret != 0 && errno == EINTR);
	if (ret == 0)
		return 0;
	EAL_LOG(DEBUG, "shared memory configuration: cannot reserve %" PRIu64 " bytes at offset %" PRIu64 ": %s",
		end - start, start, strerror(errno));
	rte_errno = errno == ENOSPC || errno == EDQUOT ? ENOMEM : EIO;
	return -1;
}

void
eal_memory_explain_exhausted(int socket_id, size_t size)
{
	char sizes[256] = "", where[PATH_MAX] = "memfd (--in-memory)";
	char fs[PATH_MAX + 128] = "";
	uint64_t smallest = 0, seen[RTE_MAX_HUGEPAGE_SIZES] = { 0 };
	unsigned int i, k, n = 0;
	size_t used = 0;
	int limited = 0;

	if (eal_memalloc_fail_cause() != NULL) {
		EAL_LOG(ERR, "cannot get %zu bytes of memory on socket %d: %s (see the error above)",
			size, socket_id, eal_memalloc_fail_cause());
		return;
	}
	if (eal_mcfg->no_hugetlbfs && eal_mcfg->in_memory) {
		EAL_LOG(ERR, "cannot get %zu bytes of memory on socket %d: no more free memory in the system",
			size, socket_id);
		return;
	}
	if (eal_mcfg->no_hugetlbfs) {
		char what[64];

		snprintf(what, sizeof(what), "memory on socket %d", socket_id);
		explain_runtime_fs(what, size);
		return;
	}
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		const char *path = eal_mcfg->lists_priv[i].path;

		if (!eal_list_in_use(msl) || msl->external ||
				msl->socket_id != socket_id)
			continue;
		for (k = 0; k < n && seen[k] != msl->page_sz; k++)
			;
		if (k < n || n == RTE_DIM(seen))
			continue;
		seen[n++] = msl->page_sz;
		if (smallest == 0 || msl->page_sz < smallest)
			smallest = msl->page_sz;
		if (path[0] != '\0' && strrchr(path, '/') != NULL) {
			snprintf(where, sizeof(where), "%.*s",
				(int)(strrchr(path, '/') - path), path);
			limited |= fs_describe(where, fs, sizeof(fs));
		}
		used += (size_t)snprintf(sizes + used, sizeof(sizes) - used,
			"%s%lu free of %" PRIu64 " kB", used > 0 ? ", " : "",
			free_hugepages(msl->page_sz), msl->page_sz >> 10);
		if (used >= sizeof(sizes))
			break;
	}
	EAL_LOG(ERR, "cannot get %zu bytes of hugepage memory on socket %d: %s (%s; %s); reserve more with 'echo N > /sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/nr_hugepages', raise the mount's size limit or pick another with --huge-dir, ask for less with -m, or use --in-memory (no mount) or --no-huge",
		size, socket_id, limited ? "the mount's size limit is reached" :
			"hugepages exhausted", sizes, fs[0] != '\0' ? fs : where,
		smallest >> 10);
}

/* A list to create: its page size, node and capacity. */
struct list_plan {
	uint64_t page_sz;
	int socket_id;
	uint32_t n_segs;
	enum eal_backing backing;
	const char *dir; /* hugetlbfs mount, or NULL */
};

static unsigned int
plan_lists(const struct internal_config *cfg, const int *sockets,
		unsigned int n_sockets, const struct eal_hugepage_type *types,
		unsigned int n_types, struct list_plan *plan)
{
	const unsigned int max = RTE_MAX_MEMSEG_LISTS - EAL_EXT_LISTS_RESERVED;
	unsigned int n = 0, s, t, k;

	if (cfg->no_hugetlbfs) {
		uint64_t psz = (uint64_t)sysconf(_SC_PAGESIZE);
		uint64_t bytes = RTE_MAX(EAL_NOHUGE_LIST_BYTES,
			RTE_ALIGN_CEIL(cfg->memory, psz));

		for (s = 0; s < n_sockets && n < max; s++, n++) {
			plan[n].page_sz = psz;
			plan[n].socket_id = sockets[s];
			plan[n].n_segs = (uint32_t)(bytes / psz);
			plan[n].backing = cfg->in_memory ? EAL_BACKING_MEMFD :
				EAL_BACKING_SHMFILE;
			plan[n].dir = NULL;
		}
		return n;
	}
	for (t = 0; t < n_types; t++)
		for (s = 0; s < n_sockets; s++)
			for (k = 0; k < EAL_LISTS_PER_TYPE && n < max; k++, n++) {
				plan[n].page_sz = types[t].size;
				plan[n].socket_id = sockets[s];
				plan[n].n_segs = (uint32_t)RTE_MIN(
					(uint64_t)EAL_LIST_MAX_SEGS,
					EAL_LIST_MAX_BYTES / types[t].size);
				plan[n].backing = cfg->in_memory ?
					EAL_BACKING_MEMFD : EAL_BACKING_HUGEFILE;
				plan[n].dir = types[t].mount;
			}
	return n;
}

/* Remove hugepage files a crashed primary with our prefix left behind. */
static void
remove_stale_files(const char *dir, const char *prefix)
{
	char stem[EAL_FILE_PREFIX_MAX + 8], path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	snprintf(stem, sizeof(stem), "%smap_", prefix);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, stem, strlen(stem)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			EAL_LOG(INFO, "removed stale hugepage file %s", path);
	}
	closedir(d);
}

static int
list_path(const struct internal_config *cfg, const struct list_plan *p,
		unsigned int idx, char *buf, size_t len)
{
	char name[EAL_FILE_PREFIX_MAX + 32];
	int n;

	switch (p->backing) {
	case EAL_BACKING_HUGEFILE:
		n = snprintf(buf, len, "%s/%smap_%u", p->dir, cfg->file_prefix,
			idx);
		return n > 0 && (size_t)n < len ? 0 : -1;
	case EAL_BACKING_SHMFILE:
		snprintf(name, sizeof(name), "nohuge_mem_%u", idx);
		return eal_runtime_path(name, buf, len);
	default:
		buf[0] = '\0';
		return 0;
	}
}

/*
 * The configuration mapping: the runtime config file, or anonymous. The
 * primary creates it sparse and reserves the first reserve bytes (the
 * header) for real: a page of a full file system that is touched gives
 * SIGBUS, not an error. Segment areas are reserved as pages are
 * allocated (eal_mcfg_reserve()).
 */
static void *
config_map(size_t len, int create, uint64_t reserve)
{
	int fd = eal_runtime_config_fd();
	void *va;

	if (fd < 0)
		va = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (create && (ftruncate(fd, 0) != 0 ||
			ftruncate(fd, (off_t)len) != 0))
		va = MAP_FAILED;
	else if (create && eal_mcfg_reserve(0, reserve) != 0) {
		explain_runtime_fs("shared memory configuration",
			(size_t)reserve);
		return NULL;
	} else
		va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (va == MAP_FAILED) {
		EAL_LOG(ERR, "shared memory configuration (%zu bytes): %s failed: %s",
			len, create && fd >= 0 ? "sizing/mapping" : "mapping",
			strerror(errno));
		rte_errno = errno == ENOMEM || errno == ENOSPC ? ENOMEM : EIO;
		return NULL;
	}
	return va;
}

static void
config_unmap(void)
{
	if (eal_mcfg != NULL)
		munmap(eal_mcfg, mcfg_len);
	eal_mcfg = NULL;
	mcfg_len = 0;
}

static void
release_lists(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (eal_list_in_use(&eal_mcfg->lists[i]) &&
				!eal_mcfg->lists[i].external)
			eal_memalloc_list_release(i);
}

static int
primary_lists_init(const struct internal_config *cfg,
		const struct list_plan *plan, unsigned int n, uint64_t seg_off)
{
	uintptr_t hint = EAL_VA_HINT;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		struct eal_list_priv *priv = &eal_mcfg->lists_priv[i];

		msl->page_sz = plan[i].page_sz;
		msl->socket_id = plan[i].socket_id;
		msl->n_segs = plan[i].n_segs;
		msl->len = (size_t)plan[i].n_segs * plan[i].page_sz;
		msl->heap = 1;
		msl->seg_off = seg_off;
		seg_off += eal_list_area_bytes(msl->n_segs);
		priv->backing = plan[i].backing;
		if (list_path(cfg, &plan[i], i, priv->path,
				sizeof(priv->path)) != 0) {
			EAL_LOG(ERR, "segment list %u: backing file path too long",
				i);
			rte_errno = ENAMETOOLONG;
			return -1;
		}
		/* the used-page bitmap; segments are reserved as they fill */
		if (eal_mcfg_reserve(msl->seg_off +
				eal_list_segs_bytes(msl->n_segs),
				(msl->n_segs + 63) / 64 * sizeof(uint64_t)) != 0) {
			explain_runtime_fs("shared memory configuration",
				(msl->n_segs + 63) / 64 * sizeof(uint64_t));
			goto fail;
		}
		if (eal_memalloc_list_reserve(i, (void *)hint) != 0)
			goto fail;
		if (eal_memalloc_list_open(i) != 0) {
			eal_memalloc_list_release(i);
			goto fail;
		}
		hint = (uintptr_t)msl->base_va + msl->len;
	}
	return 0;
fail:
	/* unused slots must not look in use to release_lists() */
	for (; i < RTE_MAX_MEMSEG_LISTS; i++)
		eal_mcfg->lists[i].len = 0;
	return -1;
}

static int
preallocate(const struct internal_config *cfg)
{
	unsigned int h;

	if (cfg->force_sockets) {
		for (h = 0; h < RTE_MAX_NUMA_NODES; h++) {
			int sid = (int)h, idx = malloc_heap_idx_of_socket(sid);

			if (cfg->socket_mem[h] == 0)
				continue;
			if (idx < 0) {
				EAL_LOG(ERR, "--socket-mem asks memory on socket %d, which does not exist",
					sid);
				rte_errno = EINVAL;
				return -1;
			}
			if (malloc_heap_add_pinned((unsigned int)idx,
					cfg->socket_mem[h]) != 0)
				return -1;
		}
		return 0;
	}
	if (cfg->memory == 0)
		return 0;
	h = (unsigned int)RTE_MAX(malloc_heap_idx_of_socket(
		eal_memory_current_socket()), 0);
	return malloc_heap_add_pinned(h, cfg->memory);
}

static int
primary_init(struct internal_config *cfg)
{
	static struct list_plan plan[RTE_MAX_MEMSEG_LISTS];
	struct eal_hugepage_type types[RTE_MAX_HUGEPAGE_SIZES];
	int sockets[RTE_MAX_NUMA_NODES];
	unsigned int n_sockets, n_types = 0, n, i;
	uint64_t area = 0, hdr;
	int ret;

	n_sockets = (unsigned int)config_socket_list(sockets, RTE_MAX_NUMA_NODES);
	if (!cfg->no_hugetlbfs) {
		ret = eal_hugepage_info_init(types, RTE_DIM(types),
			!cfg->in_memory, cfg->hugepage_dir);
		if (ret < 0)
			return -1;
		n_types = (unsigned int)ret;
		for (i = 0; i < n_types && !cfg->in_memory; i++)
			remove_stale_files(types[i].mount, cfg->file_prefix);
	}
	n = plan_lists(cfg, sockets, n_sockets, types, n_types, plan);
	for (i = 0; i < n; i++)
		area += eal_list_area_bytes(plan[i].n_segs);
	hdr = RTE_ALIGN_CEIL((uint64_t)sizeof(struct eal_mem_config),
		(uint64_t)RTE_PGSIZE_4K);
	mcfg_len = (size_t)RTE_ALIGN_CEIL(hdr + area + EAL_EXT_POOL_BYTES,
		(uint64_t)RTE_PGSIZE_4K);
	eal_mcfg = config_map(mcfg_len, 1, hdr);
	if (eal_mcfg == NULL)
		return -1;
	eal_mcfg->version = EAL_MEMCFG_VERSION;
	eal_mcfg->size = mcfg_len;
	eal_mcfg->primary_pid = getpid();
	eal_mcfg->iova_mode = rte_eal_iova_mode();
	eal_mcfg->no_hugetlbfs = cfg->no_hugetlbfs;
	eal_mcfg->in_memory = cfg->in_memory;
	eal_mcfg->ext_pool_off = hdr + area;
	eal_mcfg->ext_pool_len = EAL_EXT_POOL_BYTES;
	for (i = 0; i < n_sockets; i++) {
		eal_mcfg->heaps[i].socket_id = sockets[i];
		eal_mcfg->heaps[i].in_use = 1;
	}
	if (eal_mcfg_locks_init(eal_mcfg) != 0)
		goto unmap;
	if (primary_lists_init(cfg, plan, n, hdr) != 0)
		goto lists;
	if (preallocate(cfg) != 0)
		goto lists;
	__atomic_store_n(&eal_mcfg->magic, EAL_MEMCFG_MAGIC, __ATOMIC_RELEASE);
	EAL_LOG(INFO, "memory: %u segment lists of %s pages on %u socket(s), IOVA as %s",
		n, cfg->no_hugetlbfs ? "4 kB (--no-huge)" : "huge", n_sockets,
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA");
	return 0;
lists:
	release_lists();
unmap:
	config_unmap();
	return -1;
}

/* Wait until the primary has published its configuration. */
static int
secondary_wait(int fd, struct eal_mem_config *hdr)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	unsigned int waited;

	for (waited = 0; waited <= SECONDARY_WAIT_MS; waited += 10) {
		if (pread(fd, hdr, sizeof(*hdr), 0) == (ssize_t)sizeof(*hdr) &&
				hdr->magic == EAL_MEMCFG_MAGIC)
			return 0;
		nanosleep(&ts, NULL);
	}
	EAL_LOG(ERR, "the primary process has not published its memory configuration (in %s/config): is it still initialising?",
		rte_eal_get_runtime_dir());
	rte_errno = EAGAIN;
	return -1;
}

static int
secondary_init(void)
{
	static struct eal_mem_config hdr;
	int fd = eal_runtime_config_fd();
	unsigned int i;

	if (secondary_wait(fd, &hdr) != 0)
		return -1;
	if (hdr.version != EAL_MEMCFG_VERSION) {
		EAL_LOG(ERR, "the primary's memory configuration has version %u, this process understands %u: run the same DPDK build",
			hdr.version, EAL_MEMCFG_VERSION);
		rte_errno = EINVAL;
		return -1;
	}
	mcfg_len = (size_t)hdr.size;
	eal_mcfg = config_map(mcfg_len, 0, 0);
	if (eal_mcfg == NULL)
		return -1;
	if (rte_eal_iova_mode() != eal_mcfg->iova_mode)
		EAL_LOG(INFO, "using the primary's IOVA mode (%s)",
			eal_mcfg->iova_mode == RTE_IOVA_PA ? "PA" : "VA");
	eal_iova_mode_set(eal_mcfg->iova_mode);
	/* the primary decided how memory is backed */
	eal_get_internal_configuration()->no_hugetlbfs = eal_mcfg->no_hugetlbfs;
	rte_mcfg_mem_read_lock();
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		if (!eal_list_in_use(&eal_mcfg->lists[i]) ||
				eal_mcfg->lists[i].external)
			continue;
		if (eal_memalloc_list_reserve(i, NULL) != 0)
			break;
		if (eal_memalloc_list_open(i) != 0) {
			eal_memalloc_list_release(i);
			break;
		}
	}
	rte_mcfg_mem_read_unlock();
	if (i < RTE_MAX_MEMSEG_LISTS || eal_memalloc_sync_with_primary() != 0) {
		int err = rte_errno;

		release_lists();
		config_unmap();
		rte_errno = err;
		return -1;
	}
	return 0;
}

int
eal_memory_init(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	if (cfg->process_type == RTE_PROC_SECONDARY)
		return secondary_init();
	return primary_init(cfg);
}

/* pages side by side in one list, told to the IOVA source at once */
struct iova_release {
	const struct rte_memseg_list *msl;
	void *va;
	size_t len;
};

static void
release_flush(struct iova_release *r)
{
	if (r->len > 0)
		eal_iova_source_release(r->va, r->len);
	r->len = 0;
}

/*
 * A stretch of present pages holds whole allocations: a run of pages
 * never freed one by one may be one piece for the source.
 */
static int
release_iova(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct iova_release *r = arg;

	if (msl->external)
		return 0;
	if (r->len > 0 && r->msl == msl &&
			ms->addr == RTE_PTR_ADD(r->va, r->len)) {
		r->len += ms->len;
		return 0;
	}
	release_flush(r);
	r->msl = msl;
	r->va = ms->addr;
	r->len = ms->len;
	return 0;
}

void
eal_memory_cleanup(void)
{
	if (eal_mcfg == NULL)
		return;
	/* pages go with the lists: the IOVA source drops what it holds */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
			rte_eal_iova_mode() == RTE_IOVA_PA) {
		struct iova_release r = { .len = 0 };

		rte_memseg_walk_thread_unsafe(release_iova, &r);
		release_flush(&r);
	}
	release_lists();
	config_unmap();
	eal_mem_event_callbacks_clear();
}
