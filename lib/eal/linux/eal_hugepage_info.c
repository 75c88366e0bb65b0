/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Hugepage sizes, their reservations (/sys/kernel/mm/hugepages) and their
 * hugetlbfs mounts (/proc/mounts).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "eal_hugepage_info.h"
#include "eal_log.h"

#define SYS_HUGEPAGES "/sys/kernel/mm/hugepages"

static unsigned long
read_ulong(const char *dir, const char *file)
{
	char path[PATH_MAX];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", SYS_HUGEPAGES, dir, file);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* Size from "2M", "1G", "2048k"... */
static uint64_t
parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);

	switch (*end) {
	case 'G': case 'g': return v << 30;
	case 'M': case 'm': return v << 20;
	case 'K': case 'k': return v << 10;
	default: return v;
	}
}

static uint64_t
default_size(void)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Hugepagesize: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

/* Paths equal up to trailing slashes. */
static int
same_dir(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

/* The hugetlbfs mount for a size (and, if given, that path only). */
static void
find_mount(struct eal_hugepage_type *t, const char *huge_dir, uint64_t dflt)
{
	char dev[256], dir[PATH_MAX], type[64], opts[1024];
	FILE *f = fopen("/proc/mounts", "re");

	t->mount[0] = '\0';
	if (f == NULL)
		return;
	while (fscanf(f, "%255s %4095s %63s %1023s %*d %*d", dev, dir, type,
			opts) == 4) {
		const char *ps = strstr(opts, "pagesize=");
		uint64_t sz = ps != NULL ? parse_size(ps + 9) : dflt;

		if (strcmp(type, "hugetlbfs") != 0 || sz != t->size)
			continue;
		if (huge_dir[0] != '\0' && !same_dir(dir, huge_dir))
			continue;
		snprintf(t->mount, sizeof(t->mount), "%s", dir);
		break;
	}
	fclose(f);
}

static int
cmp_type(const void *a, const void *b)
{
	const struct eal_hugepage_type *x = a, *y = b;

	return x->size < y->size ? -1 : x->size > y->size;
}

static void
explain(const struct eal_hugepage_type *all, unsigned int n, int need_mount,
		const char *huge_dir)
{
	unsigned int i;

	if (n == 0)
		EAL_LOG(ERR, "no hugepage support in this kernel (%s is missing); use --no-huge",
			SYS_HUGEPAGES);
	for (i = 0; i < n; i++) {
		unsigned long kb = (unsigned long)(all[i].size >> 10);

		if (all[i].nr == 0)
			EAL_LOG(ERR, "hugepages of %lu kB: none reserved; reserve some with 'echo N > %s/hugepages-%lukB/nr_hugepages' or use --no-huge",
				kb, SYS_HUGEPAGES, kb);
		else if (need_mount && all[i].mount[0] == '\0')
			EAL_LOG(ERR, "hugepages of %lu kB: %lu reserved but %s; mount it with 'mount -t hugetlbfs -o pagesize=%luK nodev /dev/hugepages' or use --no-huge",
				kb, all[i].nr, huge_dir[0] != '\0' ?
					"--huge-dir is not a hugetlbfs mount of that size" :
					"no hugetlbfs mount of that size in /proc/mounts",
				kb);
	}
}

int
eal_hugepage_info_init(struct eal_hugepage_type *types, unsigned int max,
		int need_mount, const char *huge_dir)
{
	struct eal_hugepage_type all[RTE_MAX_HUGEPAGE_SIZES];
	uint64_t dflt = default_size();
	unsigned int n = 0, usable = 0, i;
	struct dirent *de;
	DIR *d;

	d = opendir(SYS_HUGEPAGES);
	while (d != NULL && (de = readdir(d)) != NULL &&
			n < RTE_MAX_HUGEPAGE_SIZES) {
		unsigned long kb;

		if (sscanf(de->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		memset(&all[n], 0, sizeof(all[n]));
		all[n].size = (uint64_t)kb << 10;
		all[n].nr = read_ulong(de->d_name, "nr_hugepages") +
			read_ulong(de->d_name, "nr_overcommit_hugepages");
		all[n].free = read_ulong(de->d_name, "free_hugepages");
		find_mount(&all[n], huge_dir, dflt);
		n++;
	}
	if (d != NULL)
		closedir(d);
	qsort(all, n, sizeof(all[0]), cmp_type);
	for (i = 0; i < n && usable < max; i++) {
		if (all[i].nr == 0 || (need_mount && all[i].mount[0] == '\0'))
			continue;
		types[usable++] = all[i];
	}
	if (usable > 0)
		return (int)usable;
	explain(all, n, need_mount, huge_dir);
	rte_errno = ENOMEM;
	return -1;
}
