/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_DEV_H_
#define _RTE_DEV_H_

/**
 * @file
 * Generic devices and drivers; each bus embeds these in its own types.
 */

#include <stdbool.h>
#include <sys/queue.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_bus;
struct rte_devargs;

/** A driver; embedded in a bus-specific driver structure. */
struct rte_driver {
	TAILQ_ENTRY(rte_driver) next; /**< Bus-private list linkage. */
	const char *name;             /**< Driver name. */
	const char *alias;            /**< Optional second name. */
	/**
	 * Keys the driver reads from its device arguments (-a <dev>,key=value),
	 * NULL-terminated; NULL when it reads none. The bus refuses to probe a
	 * device whose arguments hold any other key (rte_devargs_check_keys()).
	 */
	const char *const *devargs_keys;
};

/** A device; embedded in a bus-specific device structure. */
struct rte_device {
	TAILQ_ENTRY(rte_device) next;   /**< Bus-private list linkage. */
	const char *name;               /**< Unique name on its bus (e.g. PCI address). */
	const struct rte_driver *driver; /**< Driver bound by probe, or NULL. */
	const struct rte_bus *bus;      /**< Bus the device was found on. */
	int numa_node;                  /**< NUMA node, or -1 when unknown. */
	struct rte_devargs *devargs;    /**< Arguments given with -a, or NULL. */
};

/**
 * @param dev
 *   Device.
 * @return
 *   Its name.
 */
const char *rte_dev_name(const struct rte_device *dev);

/**
 * @param dev
 *   Device.
 * @return
 *   true when a driver has probed it.
 */
bool rte_dev_is_probed(const struct rte_device *dev);

/**
 * Remove a probed device: the bus calls the driver's remove and forgets it.
 * Used for hot-unplug (e.g. a VFIO request notifier).
 *
 * @param dev
 *   Device.
 * @return
 *   0, or -1 with rte_errno ENOTSUP (bus cannot unplug), ENOENT (not
 *   probed), or the bus's error.
 */
int rte_dev_remove(struct rte_device *dev);

/**
 * Probe a device while running (DPDK's rte_eal_hotplug_add()): its
 * arguments are added to the devargs list (rte_devargs_insert()), the bus
 * rescans and plugs it. Primary process only.
 *
 * @param busname
 *   Bus name ("pci").
 * @param devname
 *   Device name on that bus.
 * @param drvargs
 *   "key=value,..." for the driver, or NULL/"".
 * @return
 *   0, or -1 with rte_errno: EINVAL (NULL name, bad arguments), ENOTSUP
 *   (secondary process, or the bus cannot plug), ENOENT (no such bus),
 *   ENODEV (no such device), EEXIST (already probed), or the bus's or
 *   driver's error; the devargs entry it created is removed again.
 */
int rte_eal_hotplug_add(const char *busname, const char *devname,
		const char *drvargs);

/**
 * Remove a device while running (DPDK's rte_eal_hotplug_remove()): the
 * bus unplugs it (rte_dev_remove()) and its devargs entry is removed.
 * Primary process only.
 *
 * @param busname
 *   Bus name.
 * @param devname
 *   Device name on that bus.
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENOTSUP, ENOENT as
 *   rte_eal_hotplug_add(), ENODEV (no such device), or as
 *   rte_dev_remove() (ENOENT when not probed).
 */
int rte_eal_hotplug_remove(const char *busname, const char *devname);

/** Iterator over devices, optionally restricted to one bus. */
struct rte_dev_iterator {
	const struct rte_bus *bus;  /**< Bus being walked, NULL = all. */
	const struct rte_bus *cur;  /**< Current bus. */
	struct rte_device *device;  /**< Last device returned. */
	bool restricted;            /**< Only walk "bus". */
	bool done;                  /**< Walk finished (or filter invalid). */
};

/**
 * Start an iteration.
 *
 * @param it
 *   Iterator.
 * @param str
 *   NULL or "" for every device, or "bus=<name>".
 * @return
 *   0, or -1 with rte_errno EINVAL (bad filter) or ENODEV (unknown bus).
 */
int rte_dev_iterator_init(struct rte_dev_iterator *it, const char *str);

/**
 * @param it
 *   Iterator from rte_dev_iterator_init().
 * @return
 *   Next device, or NULL at the end.
 */
struct rte_device *rte_dev_iterator_next(struct rte_dev_iterator *it);

/** Walk devices matching a filter string (see rte_dev_iterator_init()). */
#define RTE_DEV_FOREACH(dev, str, it) \
	for (rte_dev_iterator_init(it, str), \
	     dev = rte_dev_iterator_next(it); \
	     dev != NULL; \
	     dev = rte_dev_iterator_next(it))

#ifdef __cplusplus
}
#endif

#endif /* _RTE_DEV_H_ */
