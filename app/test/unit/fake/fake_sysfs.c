/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* The fake machine: configuration presets, devices and their sysfs tree. */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_internal.h"

/* ---- file helpers (the C library directly: no fault injection) ---------- */

/* paths here are short; a truncated one just fails to be created */
static void __attribute__((format(printf, 3, 4)))
path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int
mkdir_p(const char *path)
{
	char p[PATH_MAX];
	char *s;

	path_fmt(p, sizeof(p), "%s", path);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	path_fmt(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	ret = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

static int
link_at(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	return symlink(target, path);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- tree --------------------------------------------------------------- */

static int
sysfs_modules(void)
{
	char dir[PATH_MAX];

	path_fmt(dir, sizeof(dir), "%s/sys/module", fake.sysfs);
	rm_rf(dir);
	if (mkdir_p(dir) != 0)
		return -1;
	if (fake.cfg.vfio_module) {
		path_fmt(dir, sizeof(dir), "%s/sys/module/vfio/parameters",
			fake.sysfs);
		if (mkdir_p(dir) != 0 || write_file(dir,
				"enable_unsafe_noiommu_mode",
				fake.cfg.noiommu || fake.cfg.noiommu_param_flipped ?
				"Y\n" : "N\n") != 0)
			return -1;
	}
	/* an IOMMU registers itself in /sys/class/iommu */
	path_fmt(dir, sizeof(dir), "%s/sys/class/iommu", fake.sysfs);
	rm_rf(dir);
	if (!fake.cfg.noiommu) {
		path_fmt(dir, sizeof(dir), "%s/sys/class/iommu/dmar0",
			fake.sysfs);
		if (mkdir_p(dir) != 0)
			return -1;
	}
	if (fake.cfg.vfio_pci_module) {
		path_fmt(dir, sizeof(dir), "%s/sys/module/vfio_pci", fake.sysfs);
		if (mkdir_p(dir) != 0)
			return -1;
	}
	if (fake.cfg.type1_module) {
		char num[16];

		path_fmt(dir, sizeof(dir),
			"%s/sys/module/vfio_iommu_type1/parameters", fake.sysfs);
		snprintf(num, sizeof(num), "%u\n", fake.cfg.dma_entry_limit);
		if (mkdir_p(dir) != 0 || write_file(dir, "dma_entry_limit", num) != 0)
			return -1;
	}
	if (fake.cfg.iommufd) {
		path_fmt(dir, sizeof(dir), "%s/sys/module/iommufd", fake.sysfs);
		if (mkdir_p(dir) != 0)
			return -1;
	}
	return 0;
}

/* a test that stops without its teardown must not leave the tree behind */
static void
sysfs_remove_at_exit(void)
{
	if (fake.sysfs[0] != '\0')
		rm_rf(fake.sysfs);
}

int
fake_sysfs_create(void)
{
	static bool at_exit;
	char tmpl[] = "/tmp/fake-sysfs-XXXXXX";
	char dir[PATH_MAX];

	if (!at_exit && atexit(sysfs_remove_at_exit) == 0)
		at_exit = true;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(fake.sysfs, sizeof(fake.sysfs), "%s", tmpl);
	path_fmt(dir, sizeof(dir), "%s/sys/bus/pci/devices", fake.sysfs);
	if (mkdir_p(dir) != 0)
		return -1;
	path_fmt(dir, sizeof(dir), "%s/sys/bus/fsl-mc/devices", fake.sysfs);
	if (mkdir_p(dir) != 0)
		return -1;
	path_fmt(dir, sizeof(dir), "%s/sys/kernel/iommu_groups", fake.sysfs);
	if (mkdir_p(dir) != 0)
		return -1;
	if (sysfs_modules() != 0)
		return -1;
	setenv("RTE_EAL_SYSFS_ROOT", fake.sysfs, 1);
	path_fmt(dir, sizeof(dir), "%s/sys/bus/pci/devices", fake.sysfs);
	setenv("SYSFS_PCI_DEVICES", dir, 1);
	return 0;
}

void
fake_sysfs_remove(void)
{
	if (fake.sysfs[0] != '\0')
		rm_rf(fake.sysfs);
	fake.sysfs[0] = '\0';
	unsetenv("RTE_EAL_SYSFS_ROOT");
	unsetenv("SYSFS_PCI_DEVICES");
}

/* vfio-dev/{vfio,noiommu-vfio}<N> when the kernel has the cdev */
static int
sysfs_vfio_dev(const struct fake_dev *d, const char *devdir)
{
	char dir[PATH_MAX];

	path_fmt(dir, sizeof(dir), "%s/vfio-dev", devdir);
	rm_rf(dir);
	if (!fake.cfg.cdev || strcmp(d->desc.driver, "vfio-pci") != 0 ||
			(d->group->noiommu && !fake.cfg.noiommu_cdev))
		return 0;
	path_fmt(dir, sizeof(dir), "%s/vfio-dev/%svfio%d", devdir,
		d->group->noiommu ? "noiommu-" : "", d->cdev_num);
	return mkdir_p(dir);
}

/* iommu_group link, group's devices/ entry, driver link; devdir is
 * <root>/sys/devices/<parent>/<name>, three levels below sys/
 */
static int
sysfs_links(const char *bus, const char *parent, const char *name,
		int group, const char *driver, const char *devdir)
{
	char dir[PATH_MAX], target[PATH_MAX];

	path_fmt(target, sizeof(target), "../../../kernel/iommu_groups/%d", group);
	if (link_at(devdir, "iommu_group", target) != 0)
		return -1;
	path_fmt(dir, sizeof(dir), "%s/sys/kernel/iommu_groups/%d/devices",
		fake.sysfs, group);
	path_fmt(target, sizeof(target), "../../../../devices/%s/%s", parent, name);
	if (mkdir_p(dir) != 0 || link_at(dir, name, target) != 0)
		return -1;
	path_fmt(dir, sizeof(dir), "%s/sys/bus/%s/devices", fake.sysfs, bus);
	path_fmt(target, sizeof(target), "../../../devices/%s/%s", parent, name);
	if (link_at(dir, name, target) != 0)
		return -1;
	if (driver[0] == '\0')
		return 0;
	path_fmt(dir, sizeof(dir), "%s/sys/bus/%s/drivers/%s", fake.sysfs, bus,
		driver);
	path_fmt(target, sizeof(target), "../../../../devices/%s/%s", parent, name);
	if (mkdir_p(dir) != 0 || link_at(dir, name, target) != 0)
		return -1;
	path_fmt(target, sizeof(target), "../../../bus/%s/drivers/%s", bus, driver);
	return link_at(devdir, "driver", target);
}

int
fake_sysfs_add_pci(const struct fake_dev *d)
{
	const struct fake_pci_desc *p = &d->desc;
	char devdir[PATH_MAX], buf[1024];
	size_t len = 0;
	unsigned int i;

	path_fmt(devdir, sizeof(devdir), "%s/sys/devices/pci0000:00/%s",
		fake.sysfs, p->addr);
	if (mkdir_p(devdir) != 0 ||
			sysfs_links("pci", "pci0000:00", p->addr, p->group,
				p->driver, devdir) != 0)
		return -1;
#define FILE_FMT(name, ...) do { \
		snprintf(buf, sizeof(buf), __VA_ARGS__); \
		if (write_file(devdir, name, buf) != 0) \
			return -1; \
	} while (0)
	FILE_FMT("vendor", "0x%04x\n", p->vendor);
	FILE_FMT("device", "0x%04x\n", p->device);
	FILE_FMT("subsystem_vendor", "0x%04x\n", p->vendor);
	FILE_FMT("subsystem_device", "0x%04x\n", 0x1100);
	FILE_FMT("class", "0x%06x\n", p->class_code);
	FILE_FMT("numa_node", "%d\n", p->numa_node);
	FILE_FMT("driver_override", "%s\n", "(null)");
	/* resource: BAR0-5, ROM, then the SR-IOV BARs: 13 lines */
	for (i = 0; i < 13; i++) {
		uint64_t start = 0, size = i < 6 ? p->bar_size[i] : 0;

		if (size != 0)
			start = 0xfe000000ULL + 0x100000ULL * (d - fake.devs) * 8 +
				0x100000ULL * i;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			"0x%016llx 0x%016llx 0x%016llx\n",
			(unsigned long long)start,
			(unsigned long long)(size != 0 ? start + size - 1 : 0),
			(unsigned long long)(size != 0 ? 0x40200 : 0));
	}
	if (write_file(devdir, "resource", buf) != 0)
		return -1;
	if (p->sriov_pf) {
		FILE_FMT("sriov_totalvfs", "%d\n", 2);
		FILE_FMT("sriov_numvfs", "%d\n", 0);
	}
	if (p->pf_addr[0] != '\0') {
		path_fmt(buf, sizeof(buf), "../%s", p->pf_addr);
		if (link_at(devdir, "physfn", buf) != 0)
			return -1;
	}
#undef FILE_FMT
	return sysfs_vfio_dev(d, devdir);
}

int
fake_sysfs_add_fslmc(const struct fake_dev *d)
{
	char devdir[PATH_MAX];

	path_fmt(devdir, sizeof(devdir), "%s/sys/devices/fsl-mc/%s", fake.sysfs,
		d->desc.addr);
	if (mkdir_p(devdir) != 0)
		return -1;
	return sysfs_links("fsl-mc", "fsl-mc", d->desc.addr, d->desc.group,
		d->desc.driver, devdir);
}

int
fake_sysfs_refresh(void)
{
	char devdir[PATH_MAX];
	unsigned int i;
	int ret;

	pthread_mutex_lock(&fake_lock);
	ret = fake.sysfs[0] == '\0' ? -1 : sysfs_modules();
	for (i = 0; ret == 0 && i < FAKE_MAX_DEVICES; i++) {
		const struct fake_dev *d = &fake.devs[i];

		if (!d->used || d->fslmc)
			continue;
		path_fmt(devdir, sizeof(devdir), "%s/sys/devices/pci0000:00/%s",
			fake.sysfs, d->desc.addr);
		ret = sysfs_vfio_dev(d, devdir);
	}
	pthread_mutex_unlock(&fake_lock);
	if (ret != 0 && errno == 0)
		errno = ENOENT;
	return ret;
}

/* ---- machine ------------------------------------------------------------ */

static void
config_preset(enum fake_mode mode)
{
	struct fake_config *c = &fake.cfg;

	memset(c, 0, sizeof(*c));
	c->dma_entry_limit = 65535;
	c->iova_pgsizes = (1ULL << 12) | (1ULL << 21) | (1ULL << 30);
	/* x86 with VT-d: everything below 2^48 except the MSI window */
	c->iova_ranges[0].start = 0;
	c->iova_ranges[0].end = 0xfedfffffULL;
	c->iova_ranges[1].start = 0xfef00000ULL;
	c->iova_ranges[1].end = (1ULL << 48) - 1;
	c->nb_iova_ranges = 2;
	c->pa_contig_pages = 512;
	if (mode == FAKE_MODE_NONE)
		return;
	c->vfio_module = true;
	c->vfio_pci_module = true;
	c->type1_module = true;
	c->container = true;
	switch (mode) {
	case FAKE_MODE_NOIOMMU:
		c->noiommu = true;
		break;
	case FAKE_MODE_CDEV:
		c->iommufd = true;
		c->cdev = true;
		break;
	case FAKE_MODE_NOIOMMU_CDEV:
		c->iommufd = true;
		c->cdev = true;
		c->noiommu = true;
		c->noiommu_cdev = true;
		break;
	default:
		break;
	}
}

void
fake_pci_desc_default(struct fake_pci_desc *desc, const char *addr, int group)
{
	memset(desc, 0, sizeof(*desc));
	snprintf(desc->addr, sizeof(desc->addr), "%s", addr);
	desc->group = group;
	desc->vendor = 0x1b36;
	desc->device = 0x11e8;
	desc->class_code = 0x00ff00;
	desc->numa_node = -1;
	snprintf(desc->driver, sizeof(desc->driver), "vfio-pci");
	desc->reset_works = true;
	desc->bar_size[0] = 4096;
	desc->bar_size[2] = 1 << 20;
	desc->config_size = 256;
	desc->irq_count[VFIO_PCI_INTX_IRQ_INDEX] = 1;
	desc->irq_count[VFIO_PCI_MSI_IRQ_INDEX] = 1;
	desc->irq_count[VFIO_PCI_MSIX_IRQ_INDEX] = 8;
	desc->irq_count[VFIO_PCI_ERR_IRQ_INDEX] = 1;
	desc->irq_count[VFIO_PCI_REQ_IRQ_INDEX] = 1;
}

static struct fake_group *
group_get_or_add(int num)
{
	struct fake_group *g = fake_group_find(num);
	unsigned int i;

	if (g != NULL)
		return g;
	for (i = 0; i < FAKE_MAX_GROUPS; i++) {
		g = &fake.groups[i];
		if (g->used)
			continue;
		memset(g, 0, sizeof(*g));
		g->used = true;
		g->num = num;
		g->noiommu = fake.cfg.noiommu;
		g->viable = true;
		return g;
	}
	return NULL;
}

static int
region_init(struct fake_region *r, const char *addr, unsigned int index,
		uint64_t size, uint32_t flags)
{
	char name[64];

	r->memfd = -1;
	r->size = size;
	r->flags = size != 0 ? flags : 0;
	if (size == 0)
		return 0;
	snprintf(name, sizeof(name), "fake-%s-%u", addr, index);
	r->memfd = memfd_create(name, MFD_CLOEXEC);
	if (r->memfd < 0)
		return -1;
	return ftruncate(r->memfd, (off_t)size);
}

/* a device slot with regions and IRQs per desc; errno on failure */
static struct fake_dev *
device_new(const struct fake_pci_desc *desc, bool fslmc)
{
	const uint32_t rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	struct fake_dev *d = NULL;
	unsigned int i;

	if (fake.sysfs[0] == '\0') {
		errno = ENXIO;
		return NULL;
	}
	if (fake_dev_find(desc->addr) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		if (desc->irq_count[i] > FAKE_MAX_VECTORS) {
			errno = EINVAL;
			return NULL;
		}
	}
	for (i = 0; i < FAKE_MAX_DEVICES && d == NULL; i++)
		if (!fake.devs[i].used)
			d = &fake.devs[i];
	if (d == NULL) {
		errno = ENOSPC;
		return NULL;
	}
	memset(d, 0, sizeof(*d));
	d->desc = *desc;
	d->fslmc = fslmc;
	d->group = group_get_or_add(desc->group);
	if (d->group == NULL) {
		errno = ENOSPC;
		return NULL;
	}
	d->used = true;
	d->cdev_num = fake.next_cdev++;
	d->err_efd = -1;
	d->req_efd = -1;
	d->irq_type = -1;
	for (i = 0; i < FAKE_MAX_VECTORS; i++)
		d->vec_efd[i] = -1;
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++)
		d->regions[i].memfd = -1;
	for (i = 0; i < 6; i++)
		if (region_init(&d->regions[i], desc->addr, i, desc->bar_size[i],
				rw | VFIO_REGION_INFO_FLAG_MMAP) != 0)
			goto fail;
	if (region_init(&d->regions[VFIO_PCI_CONFIG_REGION_INDEX], desc->addr,
			VFIO_PCI_CONFIG_REGION_INDEX, desc->config_size, rw) != 0)
		goto fail;
	return d;
fail:
	fake_device_free(d);
	d->used = false;
	return NULL;
}

/* identity in config space, as a device reports it */
static void
config_init(struct fake_dev *d)
{
	const struct fake_region *r = &d->regions[VFIO_PCI_CONFIG_REGION_INDEX];
	uint8_t hdr[16] = { 0 };

	if (r->memfd < 0)
		return;
	hdr[0] = (uint8_t)d->desc.vendor;
	hdr[1] = (uint8_t)(d->desc.vendor >> 8);
	hdr[2] = (uint8_t)d->desc.device;
	hdr[3] = (uint8_t)(d->desc.device >> 8);
	hdr[9] = (uint8_t)d->desc.class_code;
	hdr[10] = (uint8_t)(d->desc.class_code >> 8);
	hdr[11] = (uint8_t)(d->desc.class_code >> 16);
	if (__real_pwrite64(r->memfd, hdr, sizeof(hdr), 0) < 0)
		fprintf(stderr, "fake kernel: config space of %s: %s\n",
			d->desc.addr, strerror(errno));
}

int
fake_pci_add(const struct fake_pci_desc *desc)
{
	struct fake_dev *d;
	int ret = -1;

	pthread_mutex_lock(&fake_lock);
	d = device_new(desc, false);
	if (d != NULL) {
		/* a host driver owns the group's DMA */
		if (desc->driver[0] != '\0' && strcmp(desc->driver, "vfio-pci") != 0)
			d->group->viable = false;
		config_init(d);
		ret = fake_sysfs_add_pci(d);
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

int
fake_fslmc_add(const char *name, int group)
{
	struct fake_pci_desc desc;
	struct fake_dev *d;
	int ret = -1;

	memset(&desc, 0, sizeof(desc));
	snprintf(desc.addr, sizeof(desc.addr), "%s", name);
	snprintf(desc.driver, sizeof(desc.driver), "vfio-fsl-mc");
	desc.group = group;
	desc.bar_size[0] = 4096;
	desc.irq_count[0] = 1;
	pthread_mutex_lock(&fake_lock);
	d = device_new(&desc, true);
	if (d != NULL)
		ret = fake_sysfs_add_fslmc(d);
	pthread_mutex_unlock(&fake_lock);
	return ret;
}

int
fake_machine_setup(enum fake_mode mode, unsigned int nb_pci)
{
	struct fake_pci_desc desc;
	char addr[32];
	unsigned int i;
	int ret;

	fake_kernel_reset();
	pthread_mutex_lock(&fake_lock);
	config_preset(mode);
	ret = fake_sysfs_create();
	pthread_mutex_unlock(&fake_lock);
	for (i = 0; ret == 0 && i < nb_pci; i++) {
		snprintf(addr, sizeof(addr), "0000:00:%02x.0", i + 1);
		fake_pci_desc_default(&desc, addr, 10 + (int)i);
		ret = fake_pci_add(&desc);
	}
	return ret;
}

int
fake_group_set_viable(int group, bool viable)
{
	struct fake_group *g;

	pthread_mutex_lock(&fake_lock);
	g = fake_group_find(group);
	if (g != NULL)
		g->viable = viable;
	pthread_mutex_unlock(&fake_lock);
	if (g == NULL) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int
fake_pci_set_sparse(const char *addr, unsigned int index,
		const struct vfio_region_sparse_mmap_area *areas, unsigned int nr)
{
	struct fake_dev *d;
	int ret = -1;

	pthread_mutex_lock(&fake_lock);
	d = fake_dev_find(addr);
	if (d == NULL || index >= VFIO_PCI_NUM_REGIONS || nr > FAKE_MAX_SPARSE) {
		errno = EINVAL;
	} else {
		d->regions[index].nr_sparse = nr;
		memcpy(d->regions[index].sparse, areas, nr * sizeof(*areas));
		ret = 0;
	}
	pthread_mutex_unlock(&fake_lock);
	return ret;
}
