/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <rte_uuid.h>

/* Offsets of the dashes in the 36-character text form. */
static int
is_dash_pos(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool
rte_uuid_is_null(const rte_uuid_t uu)
{
	size_t i;

	for (i = 0; i < sizeof(rte_uuid_t); i++)
		if (uu[i] != 0)
			return false;
	return true;
}

void
rte_uuid_copy(rte_uuid_t dst, const rte_uuid_t src)
{
	memcpy(dst, src, sizeof(rte_uuid_t));
}

int
rte_uuid_compare(const rte_uuid_t a, const rte_uuid_t b)
{
	return memcmp(a, b, sizeof(rte_uuid_t));
}

int
rte_uuid_parse(const char *in, rte_uuid_t uu)
{
	rte_uuid_t tmp;
	size_t i, n = 0;

	if (in == NULL || strlen(in) != RTE_UUID_STRLEN - 1)
		return -1;
	for (i = 0; i < RTE_UUID_STRLEN - 1; i++) {
		int hi, lo;

		if (is_dash_pos(i)) {
			if (in[i] != '-')
				return -1;
			continue;
		}
		hi = hexval(in[i]);
		lo = hexval(in[i + 1]);
		if (hi < 0 || lo < 0 || is_dash_pos(i + 1))
			return -1;
		tmp[n++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	rte_uuid_copy(uu, tmp);
	return 0;
}

void
rte_uuid_unparse(const rte_uuid_t uu, char *out, size_t len)
{
	if (out == NULL || len < RTE_UUID_STRLEN)
		return;
	snprintf(out, len,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x",
		uu[0], uu[1], uu[2], uu[3], uu[4], uu[5], uu[6], uu[7],
		uu[8], uu[9], uu[10], uu[11], uu[12], uu[13], uu[14], uu[15]);
}
