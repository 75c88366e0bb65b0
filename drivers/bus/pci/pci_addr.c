/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "rte_bus_pci.h"

/* Limits of the address fields. */
#define PCI_DOMAIN_DIGITS 8
#define PCI_BUS_MAX 0xff
#define PCI_DEVID_MAX 0x1f
#define PCI_FUNCTION_MAX 0x7

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Read up to max_digits hex digits worth at most max, followed by the
 * character end; advance past end. 0, or -1 when anything is off.
 */
static int
field_parse(const char **s, unsigned int max_digits, uint64_t max, char end,
		uint32_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	unsigned int n = 0;
	int d;

	while ((d = hex_digit(*p)) >= 0) {
		if (++n > max_digits)
			return -1;
		v = v * 16 + (uint64_t)d;
		p++;
	}
	if (n == 0 || v > max || *p != end)
		return -1;
	*s = end == '\0' ? p : p + 1;
	*out = (uint32_t)v;
	return 0;
}

int
rte_pci_addr_parse(const char *str, struct rte_pci_addr *addr)
{
	uint32_t domain = 0, bus, devid, function;
	const char *p = str;
	const char *c;
	int colons = 0;

	if (str == NULL)
		goto invalid;
	for (c = str; *c != '\0'; c++)
		colons += *c == ':';
	if (colons == 2 && field_parse(&p, PCI_DOMAIN_DIGITS, UINT32_MAX, ':',
			&domain) != 0)
		goto invalid;
	if ((colons != 1 && colons != 2) ||
			field_parse(&p, 2, PCI_BUS_MAX, ':', &bus) != 0 ||
			field_parse(&p, 2, PCI_DEVID_MAX, '.', &devid) != 0 ||
			field_parse(&p, 1, PCI_FUNCTION_MAX, '\0', &function) != 0)
		goto invalid;
	if (addr != NULL) {
		addr->domain = domain;
		addr->bus = (uint8_t)bus;
		addr->devid = (uint8_t)devid;
		addr->function = (uint8_t)function;
	}
	return 0;
invalid:
	rte_errno = EINVAL;
	return -1;
}

void
rte_pci_device_name(const struct rte_pci_addr *addr, char *output, size_t size)
{
	snprintf(output, size, PCI_PRI_FMT, addr->domain, addr->bus,
		addr->devid, addr->function);
}

int
rte_pci_addr_cmp(const struct rte_pci_addr *a, const struct rte_pci_addr *b)
{
	uint64_t ka = ((uint64_t)a->domain << 24) | (a->bus << 16) |
		(a->devid << 8) | a->function;
	uint64_t kb = ((uint64_t)b->domain << 24) | (b->bus << 16) |
		(b->devid << 8) | b->function;

	return ka < kb ? -1 : ka > kb;
}
