/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "eal_log.h"

static TAILQ_HEAD(, rte_devargs) devargs_list =
	TAILQ_HEAD_INITIALIZER(devargs_list);

static int
key_valid(const char *key)
{
	if (key[0] == '\0')
		return 0;
	for (; *key != '\0'; key++)
		if (!isalnum((unsigned char)*key) && *key != '_')
			return 0;
	return 1;
}

/* Split "k=v,k=v" (owned by da->data) into da->kv. */
static int
parse_kv(struct rte_devargs *da, char *list, const char *ctx, const char *str)
{
	char *item;

	/* strsep keeps empty items, which are errors */
	while ((item = strsep(&list, ",")) != NULL) {
		char *eq = strchr(item, '=');
		unsigned int i;

		if (eq == NULL || eq[1] == '\0') {
			EAL_LOG(ERR, "%s '%s': '%s' is not key=value", ctx, str, item);
			return -1;
		}
		*eq = '\0';
		if (!key_valid(item)) {
			EAL_LOG(ERR, "%s '%s': key '%s' may only hold letters, digits and '_'",
				ctx, str, item);
			return -1;
		}
		for (i = 0; i < da->nb_kv; i++) {
			if (strcmp(da->kv[i].key, item) == 0) {
				EAL_LOG(ERR, "%s '%s': key '%s' given twice",
					ctx, str, item);
				return -1;
			}
		}
		if (da->nb_kv == RTE_DEVARGS_MAX_KV) {
			EAL_LOG(ERR, "%s '%s': more than %d key=value pairs",
				ctx, str, RTE_DEVARGS_MAX_KV);
			return -1;
		}
		da->kv[da->nb_kv].key = item;
		da->kv[da->nb_kv].value = eq + 1;
		da->nb_kv++;
	}
	return 0;
}

/* Find the bus: an explicit "<bus>:" prefix, or the first bus that parses. */
static int
parse_bus_and_name(struct rte_devargs *da, char *devname, const char *ctx,
		const char *str)
{
	char *colon = strchr(devname, ':');
	struct rte_bus *bus = NULL;

	if (colon != NULL) {
		*colon = '\0';
		bus = rte_bus_find_by_name(devname);
		*colon = ':';
		if (bus != NULL)
			devname = colon + 1;
	}
	if (devname[0] == '\0') {
		EAL_LOG(ERR, "%s '%s': no device name", ctx, str);
		rte_errno = EINVAL;
		return -1;
	}
	if (bus == NULL)
		bus = rte_bus_find_by_device_name(devname);
	else if (bus->parse(devname, NULL) != 0)
		bus = NULL;
	if (bus == NULL) {
		EAL_LOG(ERR, "%s '%s': no bus recognises device '%s' (check the name, e.g. a PCI address 0000:00:02.0)",
			ctx, str, devname);
		rte_errno = ENODEV;
		return -1;
	}
	if (rte_strscpy(da->name, devname, sizeof(da->name)) < 0) {
		EAL_LOG(ERR, "%s '%s': device name longer than %d characters",
			ctx, str, RTE_DEV_NAME_MAX_LEN - 1);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	da->bus = bus;
	return 0;
}

/* ctx names where str comes from in error lines: "-a", "-b", "devargs". */
static int
devargs_parse(struct rte_devargs *da, const char *str, const char *ctx)
{
	size_t len, namelen;
	char *comma;

	if (da == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	memset(da, 0, sizeof(*da));
	if (str == NULL || str[0] == '\0') {
		EAL_LOG(ERR, "%s '': empty device string; expected [<bus>:]<device>[,<key>=<value>...]",
			ctx);
		rte_errno = EINVAL;
		return -1;
	}
	/* one buffer: the string split in place, then an intact copy for args */
	len = strlen(str);
	da->data = malloc(2 * len + 2);
	if (da->data == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	memcpy(da->data, str, len + 1);
	memcpy(da->data + len + 1, str, len + 1);
	comma = strchr(da->data, ',');
	namelen = comma != NULL ? (size_t)(comma - da->data) : len;
	da->args = da->data + len + 1 + namelen + (comma != NULL ? 1 : 0);
	if (comma != NULL)
		*comma = '\0';
	if (parse_bus_and_name(da, da->data, ctx, str) != 0)
		goto fail;
	if (comma != NULL && parse_kv(da, comma + 1, ctx, str) != 0) {
		rte_errno = EINVAL;
		goto fail;
	}
	return 0;
fail:
	rte_devargs_reset(da);
	return -1;
}

int
rte_devargs_parse(struct rte_devargs *da, const char *str)
{
	return devargs_parse(da, str, "devargs");
}

void
rte_devargs_reset(struct rte_devargs *da)
{
	if (da == NULL)
		return;
	free(da->data);
	memset(da, 0, sizeof(*da));
}

/* Room for any bus's parsed address (see rte_bus_parse_t). */
union devargs_addr {
	char bytes[RTE_DEV_NAME_MAX_LEN];
	uint64_t align;
};

/*
 * One device on bus, whatever the spelling ("0000:00:01.0" and "00:01.0"):
 * the bus's parse gives the same address bytes for both. A name the bus
 * does not parse can only match itself.
 */
static int
same_device(const struct rte_bus *bus, const char *a, const char *b)
{
	union devargs_addr pa, pb;

	if (strcmp(a, b) == 0)
		return 1;
	memset(&pa, 0, sizeof(pa));
	memset(&pb, 0, sizeof(pb));
	return bus->parse(a, &pa) == 0 && bus->parse(b, &pb) == 0 &&
		memcmp(&pa, &pb, sizeof(pa)) == 0;
}

static const char *
policy_option(enum rte_dev_policy policy)
{
	return policy == RTE_DEV_ALLOWED ? "-a" : "-b";
}

int
rte_devargs_add(enum rte_dev_policy policy, const char *str)
{
	const char *ctx = policy_option(policy);
	struct rte_devargs *da, *other;

	da = calloc(1, sizeof(*da));
	if (da == NULL) {
		EAL_LOG(ERR, "%s '%s': %s", ctx, str != NULL ? str : "",
			strerror(ENOMEM));
		rte_errno = ENOMEM;
		return -1;
	}
	if (devargs_parse(da, str, ctx) != 0)
		goto free_da;
	TAILQ_FOREACH(other, &devargs_list, next) {
		if (other->policy != policy) {
			EAL_LOG(ERR, "%s '%s': allow (-a) and block (-b) lists cannot be combined",
				ctx, str);
			rte_errno = EINVAL;
			goto reset_da;
		}
		if (other->bus == da->bus &&
				same_device(da->bus, other->name, da->name)) {
			EAL_LOG(ERR, "%s '%s': device %s:%s is already listed by %s '%s%s%s'",
				ctx, str, da->bus->name, da->name,
				policy_option(other->policy), other->name,
				other->args[0] != '\0' ? "," : "", other->args);
			rte_errno = EEXIST;
			goto reset_da;
		}
	}
	da->policy = policy;
	TAILQ_INSERT_TAIL(&devargs_list, da, next);
	return 0;
reset_da:
	rte_devargs_reset(da);
free_da:
	free(da);
	return -1;
}

static void
devargs_free(struct rte_devargs *da)
{
	rte_devargs_reset(da);
	free(da);
}

int
rte_devargs_remove(struct rte_devargs *da)
{
	struct rte_devargs *it;

	TAILQ_FOREACH(it, &devargs_list, next) {
		if (it == da) {
			TAILQ_REMOVE(&devargs_list, da, next);
			devargs_free(da);
			return 0;
		}
	}
	rte_errno = ENOENT;
	return -1;
}

/* the listed entry of da's device, or NULL; *mixed: another policy is listed */
static struct rte_devargs *
devargs_listed(const struct rte_devargs *da, int *mixed)
{
	struct rte_devargs *it, *same = NULL;

	*mixed = 0;
	TAILQ_FOREACH(it, &devargs_list, next) {
		if (same == NULL && it->bus == da->bus &&
				same_device(da->bus, it->name, da->name))
			same = it;
		else if (it->policy != da->policy)
			*mixed = 1;
	}
	return same;
}

int
rte_devargs_insert(struct rte_devargs **da)
{
	struct rte_devargs *it, *same;
	int mixed;

	if (da == NULL || *da == NULL || (*da)->bus == NULL) {
		EAL_LOG(ERR, "devargs insert: %s", da == NULL || *da == NULL ?
			"no devargs given" : "devargs not parsed (no bus)");
		rte_errno = EINVAL;
		return -1;
	}
	TAILQ_FOREACH(it, &devargs_list, next)
		if (it == *da)
			return 0;
	same = devargs_listed(*da, &mixed);
	if (mixed) {
		EAL_LOG(ERR, "devargs insert %s:%s: allow (-a) and block (-b) lists cannot be combined",
			(*da)->bus->name, (*da)->name);
		rte_errno = EINVAL;
		return -1;
	}
	if (same == NULL) {
		TAILQ_INSERT_TAIL(&devargs_list, *da, next);
		return 0;
	}
	/* as DPDK: the listed entry takes the new arguments, the new one goes
	 * (not rte_devargs_reset(): it would clear the list linkage)
	 */
	free(same->data);
	same->policy = (*da)->policy;
	memcpy(same->name, (*da)->name, sizeof(same->name));
	same->args = (*da)->args;
	same->nb_kv = (*da)->nb_kv;
	memcpy(same->kv, (*da)->kv, sizeof(same->kv));
	same->data = (*da)->data;
	free(*da);
	*da = same;
	return 0;
}

void
rte_devargs_clear(void)
{
	struct rte_devargs *da;

	while ((da = TAILQ_FIRST(&devargs_list)) != NULL) {
		TAILQ_REMOVE(&devargs_list, da, next);
		devargs_free(da);
	}
}

unsigned int
rte_devargs_type_count(enum rte_dev_policy policy)
{
	struct rte_devargs *da;
	unsigned int n = 0;

	TAILQ_FOREACH(da, &devargs_list, next)
		if (da->policy == policy)
			n++;
	return n;
}

struct rte_devargs *
rte_devargs_next(const char *busname, const struct rte_devargs *start)
{
	struct rte_devargs *da;

	da = start != NULL ? TAILQ_NEXT(start, next) : TAILQ_FIRST(&devargs_list);
	for (; da != NULL; da = TAILQ_NEXT(da, next))
		if (busname == NULL || strcmp(da->bus->name, busname) == 0)
			return da;
	return NULL;
}

struct rte_devargs *
rte_devargs_find(const struct rte_bus *bus, const char *name)
{
	struct rte_devargs *da;

	TAILQ_FOREACH(da, &devargs_list, next)
		if (da->bus == bus && same_device(bus, da->name, name))
			return da;
	return NULL;
}

const char *
rte_devargs_get(const struct rte_devargs *da, const char *key)
{
	unsigned int i;

	for (i = 0; i < da->nb_kv; i++)
		if (strcmp(da->kv[i].key, key) == 0)
			return da->kv[i].value;
	return NULL;
}

static int
key_known(const char *const *keys, const char *key)
{
	for (; keys != NULL && *keys != NULL; keys++)
		if (strcmp(*keys, key) == 0)
			return 1;
	return 0;
}

int
rte_devargs_check_keys(const struct rte_devargs *da, const char *driver,
		const char *const *keys)
{
	char known[128] = "";
	unsigned int i;

	if (da == NULL)
		return 0;
	for (i = 0; i < da->nb_kv; i++) {
		if (key_known(keys, da->kv[i].key))
			continue;
		for (; keys != NULL && *keys != NULL; keys++) {
			strncat(known, known[0] == '\0' ? "" : ", ",
				sizeof(known) - strlen(known) - 1);
			strncat(known, *keys, sizeof(known) - strlen(known) - 1);
		}
		EAL_LOG(ERR, "%s: unknown device argument '%s' for driver %s (known: %s); device not probed",
			da->name, da->kv[i].key, driver,
			known[0] != '\0' ? known : "none");
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

int
rte_devargs_device_allowed(const struct rte_bus *bus, const char *name)
{
	struct rte_devargs *da = rte_devargs_find(bus, name);

	if (da != NULL)
		return da->policy == RTE_DEV_ALLOWED;
	return rte_devargs_type_count(RTE_DEV_ALLOWED) == 0;
}

void
rte_devargs_dump(FILE *f)
{
	struct rte_devargs *da;

	TAILQ_FOREACH(da, &devargs_list, next)
		fprintf(f, "%s %s:%s %s\n",
			da->policy == RTE_DEV_ALLOWED ? "allow" : "block",
			da->bus->name, da->name, da->args);
}
