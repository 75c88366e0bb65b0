/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _FAKE_INTERNAL_H_
#define _FAKE_INTERNAL_H_

/* State of the fake kernel shared by its files. Callers hold fake_lock. */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "fake_kernel.h"

#define FAKE_MAX_DEVICES	64
#define FAKE_MAX_GROUPS		64
#define FAKE_MAX_FDS		4096	/* fd numbers we can track */
#define FAKE_MAX_IOAS		64
#define FAKE_MAX_VECTORS	2048	/* PCI MSI-X maximum */
#define FAKE_MAX_SPARSE		4
#define FAKE_PAGE		4096ULL
#define FAKE_PAGEMAP_PATH	"/proc/self/pagemap"
/* vfio-pci's region offset scheme: index << 40 */
#define FAKE_REGION_SHIFT	40

/* sorted (by iova) array of DMA mappings */
struct fake_maptab {
	struct fake_dma *e;
	size_t n;
	size_t cap;
};

struct fake_region {
	uint64_t size;
	uint32_t flags;
	int memfd;		/* backing store, -1 until first use */
	unsigned int nr_sparse;
	struct vfio_region_sparse_mmap_area sparse[FAKE_MAX_SPARSE];
};

struct fake_ictx;

struct fake_dev {
	bool used;
	bool fslmc;
	struct fake_pci_desc desc;	/* name in desc.addr for fsl-mc too */
	struct fake_group *group;
	int cdev_num;			/* vfio<N> */
	struct fake_region regions[VFIO_PCI_NUM_REGIONS];
	uint8_t vf_token[16];
	unsigned int vf_users;		/* PF: open VFs */
	/* IRQs */
	int irq_type;			/* index enabled among INTx/MSI/MSI-X, -1 */
	unsigned int nb_vec;		/* vectors of irq_type */
	int vec_efd[FAKE_MAX_VECTORS];
	int err_efd, req_efd;		/* -1: none */
	bool intx_masked;
	unsigned int reset_count;
	unsigned int open_count;	/* group device fds + bound cdev fds */
	/* cdev binding */
	struct fake_ictx *ictx;
	uint32_t devid;
	uint32_t ioas_id;		/* 0 = not attached */
};

struct fake_container;

struct fake_group {
	bool used;
	int num;
	bool noiommu;
	bool viable;
	bool fd_open;
	unsigned int dev_fds;		/* device fds from this group */
	struct fake_container *container;
};

struct fake_container {
	unsigned int refs;		/* its fd + attached groups */
	bool fd_open;
	unsigned int nb_groups;
	bool noiommu;			/* holds no-IOMMU groups */
	int iommu_type;			/* 0: not set */
	uint32_t dma_avail;
	struct fake_maptab maps;
	struct fake_maptab prereg;	/* sPAPR v2 registered memory */
	bool spapr_enabled;		/* v1: VFIO_IOMMU_ENABLE done */
	uint64_t spapr_windows[2];	/* start of each window */
	uint64_t spapr_window_size[2];	/* 0 = no window */
};

struct fake_ioas {
	uint32_t id;
	bool huge_pages;
	unsigned int attached;		/* devices attached */
	struct fake_maptab maps;
};

struct fake_ictx {
	unsigned int refs;		/* its fd + bound devices */
	bool fd_open;
	uint32_t next_id;
	uint64_t rlimit_mode;
	struct fake_ioas *ioas[FAKE_MAX_IOAS];
};

enum fake_fd_kind {
	FAKE_FD_CONTAINER,
	FAKE_FD_GROUP,
	FAKE_FD_DEVICE,
	FAKE_FD_IOMMUFD,
	FAKE_FD_PAGEMAP,	/* /proc/self/pagemap */
};

struct fake_fd {
	enum fake_fd_kind kind;
	union {
		struct fake_container *container;
		struct fake_group *group;
		struct fake_dev *dev;
		struct fake_ictx *ictx;
	};
	bool cdev;		/* device opened through its cdev node */
	bool granted;		/* device: may use device ioctls */
	unsigned int refs;	/* fds sharing it (dup): released at 0 */
};

struct fake_state {
	struct fake_config cfg;
	/* live kernel objects, for fake_dma_mapping_count() */
	struct fake_container *containers[FAKE_MAX_FDS];
	struct fake_ictx *ictxs[FAKE_MAX_FDS];
	struct fake_dev devs[FAKE_MAX_DEVICES];
	struct fake_group groups[FAKE_MAX_GROUPS];
	struct fake_fd *fds[FAKE_MAX_FDS];
	unsigned int nb_fds;
	int next_cdev;
	char sysfs[256];
};

extern struct fake_state fake;
extern pthread_mutex_t fake_lock;

/* C library entry points behind the wrappers */
int __real_open(const char *path, int flags, ...);
int __real_open64(const char *path, int flags, ...);
int __real_close(int fd);
ssize_t __real_pread64(int fd, void *buf, size_t count, off_t off);
ssize_t __real_pwrite64(int fd, const void *buf, size_t count, off_t off);
ssize_t __real_readlink(const char *path, char *buf, size_t len);

/* fake_core.c */
int fake_fd_new(enum fake_fd_kind kind, void *obj, int flags);
struct fake_fd *fake_fd_get(int fd);
struct fake_dev *fake_dev_find(const char *addr);
struct fake_group *fake_group_find(int num);

/* register/unregister a live object in one of the tables above */
int fake_obj_register(void **table, void *obj);
void fake_obj_unregister(void **table, void *obj);

/* fake_maps.c: sorted mapping tables */
void fake_maps_free(struct fake_maptab *t);
/* index of the first mapping ending after iova */
size_t fake_maps_lower(const struct fake_maptab *t, uint64_t iova);
/* the mapping containing iova, or NULL */
struct fake_dma *fake_maps_find(const struct fake_maptab *t, uint64_t iova);
bool fake_maps_overlap(const struct fake_maptab *t, uint64_t iova,
	uint64_t size);
int fake_maps_insert(struct fake_maptab *t, const struct fake_dma *d);
void fake_maps_remove(struct fake_maptab *t, size_t i);
bool fake_iova_valid(uint64_t iova, uint64_t size);

/* fake_container.c */
int fake_container_ioctl(struct fake_fd *f, unsigned long req, void *arg);
int fake_group_ioctl(struct fake_fd *f, unsigned long req, void *arg);
void fake_container_put(struct fake_container *c);
void fake_group_release(struct fake_group *g);

/* fake_device.c */
int fake_device_ioctl(struct fake_fd *f, unsigned long req, void *arg);
void fake_device_close(struct fake_fd *f);
int fake_device_open_granted(struct fake_dev *d, const char *token);
int fake_device_mmap_check(struct fake_fd *f, size_t len, int prot,
	int flags, off_t off, int *memfd, off_t *memoff);
ssize_t fake_device_rw(struct fake_fd *f, void *buf, size_t count,
	off_t off, bool write);
void fake_device_free(struct fake_dev *d);

/* fake_iommufd.c */
struct fake_ictx *fake_ictx_new(void);
void fake_ictx_put(struct fake_ictx *ctx);
int fake_iommufd_ioctl(struct fake_fd *f, unsigned long req, void *arg);
/* pread of /proc/self/pagemap: 8-byte entries, one per page */
ssize_t fake_pagemap_read(void *buf, size_t count, off_t off);
struct fake_ioas *fake_ioas_get(struct fake_ictx *ctx, uint32_t id);

/* fake_sysfs.c */
int fake_sysfs_create(void);
void fake_sysfs_remove(void);
int fake_sysfs_add_pci(const struct fake_dev *d);
int fake_sysfs_add_fslmc(const struct fake_dev *d);

#endif /* _FAKE_INTERNAL_H_ */
