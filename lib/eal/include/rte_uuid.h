/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_UUID_H_
#define _RTE_UUID_H_

/**
 * @file
 * Universally unique identifiers (RFC 4122), as used by VFIO VF tokens.
 */

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A UUID: 16 bytes in network order. */
typedef unsigned char rte_uuid_t[16];

/** Length of the text form including its NUL: 8-4-4-4-12 hex digits. */
#define RTE_UUID_STRLEN (36 + 1)

/**
 * @param uu
 *   UUID to test.
 * @return
 *   true when every byte is zero.
 */
bool rte_uuid_is_null(const rte_uuid_t uu);

/**
 * Copy a UUID.
 *
 * @param dst
 *   Destination.
 * @param src
 *   Source.
 */
void rte_uuid_copy(rte_uuid_t dst, const rte_uuid_t src);

/**
 * Compare two UUIDs byte by byte.
 *
 * @param a
 *   First UUID.
 * @param b
 *   Second UUID.
 * @return
 *   0 when equal, < 0 when a sorts first, > 0 otherwise.
 */
int rte_uuid_compare(const rte_uuid_t a, const rte_uuid_t b);

/**
 * Parse the text form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex digits of
 * either case, exactly 36 characters).
 *
 * @param in
 *   Text to parse.
 * @param uu
 *   Where the UUID is stored; untouched on failure.
 * @return
 *   0, or -1 when the text is not a UUID.
 */
int rte_uuid_parse(const char *in, rte_uuid_t uu);

/**
 * Write the lower-case text form of a UUID.
 *
 * @param uu
 *   UUID.
 * @param out
 *   Buffer of at least RTE_UUID_STRLEN bytes.
 * @param len
 *   Size of out; nothing is written when it is too small.
 */
void rte_uuid_unparse(const rte_uuid_t uu, char *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_UUID_H_ */
