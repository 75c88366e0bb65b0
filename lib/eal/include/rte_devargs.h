/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_DEVARGS_H_
#define _RTE_DEVARGS_H_

/**
 * @file
 * Device arguments: the devices named with -a (allow) and -b (block).
 *
 * Syntax: `[<bus>:]<name>[,<key>=<value>...]`. With a bus prefix the named
 * bus must accept the name; without one, the first bus whose parse()
 * accepts it is used. Keys are letters, digits and '_' ; values are
 * non-empty and contain no ','.
 */

#include <stdio.h>
#include <sys/queue.h>

#include <rte_compat.h>
#include <rte_config.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_bus;

/** Policy of a devargs entry. */
enum rte_dev_policy {
	RTE_DEV_ALLOWED, /**< Named with -a: only allowed devices are probed. */
	RTE_DEV_BLOCKED, /**< Named with -b: never probed. */
};

/** Maximum number of key=value pairs in one devargs string. */
#define RTE_DEVARGS_MAX_KV 16

/** One key=value pair, pointing into rte_devargs.data. */
struct rte_devargs_kv {
	const char *key;   /**< Key. */
	const char *value; /**< Value. */
};

/** A parsed devargs string. */
struct rte_devargs {
	TAILQ_ENTRY(rte_devargs) next;       /**< List linkage. */
	enum rte_dev_policy policy;          /**< Allowed or blocked. */
	struct rte_bus *bus;                 /**< Bus that owns the name. */
	char name[RTE_DEV_NAME_MAX_LEN];     /**< Device name on that bus. */
	const char *args;                    /**< "key=value,..." or "". */
	unsigned int nb_kv;                  /**< Number of entries in kv. */
	struct rte_devargs_kv kv[RTE_DEVARGS_MAX_KV]; /**< Parsed pairs. */
	char *data;                          /**< Owned copy backing args and kv. */
};

/**
 * Parse a devargs string.
 *
 * @param da
 *   Structure to fill; on failure it holds nothing to free.
 * @param str
 *   `[<bus>:]<name>[,<key>=<value>...]`.
 * @return
 *   0, or -1 with rte_errno EINVAL (syntax; one log line says what is
 *   wrong), ENODEV (no bus accepts the name), ENAMETOOLONG, ENOMEM.
 *   Release with rte_devargs_reset().
 */
int rte_devargs_parse(struct rte_devargs *da, const char *str);

/**
 * Free what rte_devargs_parse() allocated.
 *
 * @param da
 *   Parsed devargs (may be NULL).
 */
void rte_devargs_reset(struct rte_devargs *da);

/**
 * Parse a devargs string and add it to the global list.
 *
 * @param policy
 *   RTE_DEV_ALLOWED or RTE_DEV_BLOCKED.
 * @param str
 *   Devargs string.
 * @return
 *   0, or -1 with rte_errno as for rte_devargs_parse(), EEXIST (the device is
 *   already listed, in any spelling its bus's parse() reads as the same
 *   address), or EINVAL (mixing allowed and blocked entries). Error lines
 *   name the option ("-a" or "-b") and the string.
 */
int rte_devargs_add(enum rte_dev_policy policy, const char *str);

/**
 * Remove an entry from the global list and free it.
 *
 * @param da
 *   Entry returned by rte_devargs_next() or rte_devargs_find().
 * @return
 *   0, or -1 with rte_errno ENOENT when it is not listed.
 */
int rte_devargs_remove(struct rte_devargs *da);

/**
 * Add a parsed entry to the global list, or update the listed entry of
 * the same device (DPDK's rte_devargs_insert()). On an update the listed
 * entry takes the policy and arguments of *da, *da is freed and set to
 * the listed entry.
 *
 * @param da
 *   Entry allocated with malloc() and filled by rte_devargs_parse(); the
 *   list owns it on success (free it with rte_devargs_remove()).
 * @return
 *   0 (also when *da is already listed), or -1 with rte_errno EINVAL (da
 *   or *da NULL, *da not parsed, or mixing allowed and blocked entries),
 *   *da left to the caller. DPDK returns -EINVAL instead.
 */
int rte_devargs_insert(struct rte_devargs **da);

/**
 * Remove and free every entry of the global list.
 */
void rte_devargs_clear(void);

/**
 * Count entries of one policy.
 *
 * @param policy
 *   Policy.
 * @return
 *   Number of entries.
 */
unsigned int rte_devargs_type_count(enum rte_dev_policy policy);

/**
 * Walk the global list.
 *
 * @param busname
 *   Only entries of this bus, or NULL for all.
 * @param start
 *   Previous entry, or NULL to begin.
 * @return
 *   Next entry, or NULL.
 */
struct rte_devargs *rte_devargs_next(const char *busname,
		const struct rte_devargs *start);

/**
 * Find the entry for a device.
 *
 * @param bus
 *   Bus.
 * @param name
 *   Device name on that bus, in any spelling whose parsed address is the
 *   entry's (see rte_bus_parse_t).
 * @return
 *   The entry or NULL.
 */
struct rte_devargs *rte_devargs_find(const struct rte_bus *bus,
		const char *name);

/**
 * Look up a key.
 *
 * @param da
 *   Parsed devargs.
 * @param key
 *   Key.
 * @return
 *   Its value, or NULL when absent.
 */
const char *rte_devargs_get(const struct rte_devargs *da, const char *key);

/**
 * Check that every key of a device's arguments is one its driver reads, so
 * that a misspelt or unsupported key is an error, not silently ignored.
 * Buses call it before probing a device with a driver.
 *
 * @param da
 *   The device's arguments, or NULL (nothing to check).
 * @param driver
 *   Driver name, for the log line.
 * @param keys
 *   NULL-terminated list of the keys the driver reads, or NULL for none.
 * @return
 *   0, or -1 with rte_errno EINVAL and one log line naming the device, the
 *   unknown key, the driver and the keys it knows.
 */
__rte_internal
int rte_devargs_check_keys(const struct rte_devargs *da, const char *driver,
		const char *const *keys);

/**
 * Decide whether a bus may probe a device: blocked devices never; when any
 * device is allowed, only allowed ones.
 *
 * @param bus
 *   Bus.
 * @param name
 *   Device name.
 * @return
 *   1 when the device may be probed, 0 otherwise.
 */
int rte_devargs_device_allowed(const struct rte_bus *bus, const char *name);

/**
 * Print the global list.
 *
 * @param f
 *   Output stream.
 */
void rte_devargs_dump(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_DEVARGS_H_ */
