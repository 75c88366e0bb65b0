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
 * rescans and plugs it. In the primary, every running secondary then
 * does the same; a secondary sends the request to the primary, which
 * plugs the device in itself and then in every secondary (the caller
 * included). When a secondary fails, the others and the primary unplug
 * the device again: either every process has it or none.
 *
 * @param busname
 *   Bus name ("pci").
 * @param devname
 *   Device name on that bus.
 * @param drvargs
 *   "key=value,..." for the driver, or NULL/"".
 * @return
 *   0, or -1 with rte_errno: EINVAL (NULL name, bad arguments), ENOTSUP
 *   (the bus cannot plug; secondary with --in-memory), ENOENT (no such
 *   bus), ENODEV (no such device), EEXIST (already probed), ENAMETOOLONG
 *   (names or drvargs longer than a multi-process message holds: bus 31,
 *   drvargs 127 bytes; not with --in-memory), ETIMEDOUT (secondary: the
 *   primary did not answer in time; a secondary that did not answer the
 *   primary in time), ENOTSUP or EPROTO (secondary: the primary has no
 *   hotplug handler, or answered something else), or the bus's or
 *   driver's error, the first one a process reported; the devargs entry
 *   it created is removed again.
 */
int rte_eal_hotplug_add(const char *busname, const char *devname,
		const char *drvargs);

/**
 * Remove a device while running (DPDK's rte_eal_hotplug_remove()): the
 * bus unplugs it (rte_dev_remove()) and its devargs entry is removed.
 * In every process, as rte_eal_hotplug_add(): the secondaries unplug it
 * first, then the primary; if one fails, those that did plug it again.
 *
 * @param busname
 *   Bus name.
 * @param devname
 *   Device name on that bus.
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENOTSUP, ENOENT, ENAMETOOLONG,
 *   ETIMEDOUT, EPROTO as rte_eal_hotplug_add(), ENODEV (no such device),
 *   ENOMEM, or as rte_dev_remove() (ENOENT when not probed).
 */
int rte_eal_hotplug_remove(const char *busname, const char *devname);

/** Kind of a device event (rte_dev_event_callback_register()). */
enum rte_dev_event_type {
	RTE_DEV_EVENT_ADD,    /**< The kernel added a device. */
	RTE_DEV_EVENT_REMOVE, /**< The kernel removed a device. */
	RTE_DEV_EVENT_MAX     /**< Number of event kinds. */
};

/**
 * Device event callback.
 *
 * @param device_name
 *   Name of the device on its bus (PCI: "0000:00:03.0").
 * @param event
 *   What happened to it.
 * @param cb_arg
 *   Argument given at registration.
 */
typedef void (*rte_dev_event_cb_fn)(const char *device_name,
		enum rte_dev_event_type event, void *cb_arg);

/**
 * Call cb_fn for the events of one device, or of every device. The
 * callbacks run in the thread that reports the event: the EAL interrupt
 * thread for the kernel's events (rte_dev_event_monitor_start()).
 *
 * @param device_name
 *   Device name, or NULL for every device.
 * @param cb_fn
 *   Callback.
 * @param cb_arg
 *   Its argument.
 * @return
 *   0, -EINVAL (cb_fn NULL), -EEXIST (the same device name, cb_fn and
 *   cb_arg are registered already), -ENOMEM. rte_errno holds the same
 *   positive value on failure.
 */
int rte_dev_event_callback_register(const char *device_name,
		rte_dev_event_cb_fn cb_fn, void *cb_arg);

/**
 * Remove callbacks registered with rte_dev_event_callback_register().
 *
 * @param device_name
 *   Device name it was registered for, or NULL (registered for every
 *   device; NULL does not match a named registration).
 * @param cb_fn
 *   Callback.
 * @param cb_arg
 *   Its argument, or (void *)-1 for every argument.
 * @return
 *   Number of callbacks removed (> 0), -EINVAL (cb_fn NULL), -ENOENT (no
 *   such callback), -EAGAIN (a matching callback is running now: retry
 *   once it returned; those found before it are removed). rte_errno
 *   holds the same positive value on failure.
 */
int rte_dev_event_callback_unregister(const char *device_name,
		rte_dev_event_cb_fn cb_fn, void *cb_arg);

/**
 * Call the callbacks registered for device_name (and those registered
 * for every device) with event, in the calling thread. The device event
 * monitor uses it; a bus or an application may report events with it
 * too.
 *
 * @param device_name
 *   Device name (not NULL).
 * @param event
 *   Event.
 */
void rte_dev_event_callback_process(const char *device_name,
		enum rte_dev_event_type event);

/**
 * Start listening to the kernel's device events (Linux: uevents of a
 * NETLINK_KOBJECT_UEVENT socket, read in the EAL interrupt thread) and
 * report the addition and removal of PCI devices to the callbacks.
 * Messages that do not come from the kernel, or are malformed, are
 * dropped with a debug line. Starts are counted: each needs its
 * rte_dev_event_monitor_stop().
 *
 * @return
 *   0, or -1 with rte_errno ENOTSUP (no interrupt thread, or no netlink
 *   in this kernel), ENOMEM, EIO (socket, bind or epoll refused).
 */
int rte_dev_event_monitor_start(void);

/**
 * Undo one rte_dev_event_monitor_start(); the last one closes the
 * socket. Callbacks stay registered. Stopping a monitor that is not
 * running does nothing and returns 0.
 *
 * @return
 *   0, or -1 with rte_errno from rte_intr_callback_unregister().
 */
int rte_dev_event_monitor_stop(void);

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
