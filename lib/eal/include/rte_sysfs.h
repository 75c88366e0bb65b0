/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_SYSFS_H_
#define _RTE_SYSFS_H_

/**
 * @file
 * Reading sysfs attributes the way the kernel writes them (internal, for
 * the EAL and the bus drivers).
 *
 * Every attribute is opened non-blocking and must be a regular file: a
 * FIFO, socket or device node put in its place is refused at once, never
 * waited on. Numbers are parsed in exactly the format the kernel prints
 * them ("0x%04x\n" for a PCI vendor, "%d\n" for a NUMA node, a decimal
 * last component for an iommu_group link); anything else (signs, spaces,
 * other bases, a second line, a line cut by a buffer) is refused with
 * EINVAL and one log line naming the file and what it holds.
 *
 * Logging: these functions log every failure they detect, except that a
 * file or link that cannot be opened or read (errno from open, read or
 * readlink, such as ENOENT) is left to the caller, which knows whether the
 * attribute is optional and what its absence means.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Open a sysfs attribute: O_NONBLOCK | O_CLOEXEC added to flags, and the
 * file refused unless it is a regular file.
 *
 * @param path
 *   Attribute path.
 * @param flags
 *   O_RDONLY, O_WRONLY or O_RDWR (plus flags of open(2)).
 * @return
 *   A file descriptor, or -1 with errno and rte_errno set: the errno of
 *   open(2) or fstat(2) (not logged), or EINVAL when the path is not a
 *   regular file (logged).
 */
__rte_internal
int rte_sysfs_open(const char *path, int flags);

/**
 * Read a whole sysfs attribute into buf, NUL-terminated.
 *
 * @param path
 *   Attribute path.
 * @param buf
 *   Destination.
 * @param size
 *   Size of buf; the content must be shorter than that.
 * @return
 *   Number of bytes read (without the NUL), or -1 with rte_errno: the
 *   errno of open(2)/read(2) (not logged); EINVAL not a regular file,
 *   content holding a NUL byte, or longer than size - 1 bytes (logged).
 */
__rte_internal
ssize_t rte_sysfs_read(const char *path, char *buf, size_t size);

/**
 * Read an attribute that holds exactly one line ending in a newline.
 *
 * @param path
 *   Attribute path.
 * @param buf
 *   Destination; receives the line without its newline.
 * @param size
 *   Size of buf.
 * @return
 *   Length of the line, or -1 with rte_errno as for rte_sysfs_read(), and
 *   EINVAL when the content is not one line (logged).
 */
__rte_internal
ssize_t rte_sysfs_read_line(const char *path, char *buf, size_t size);

/**
 * Parse "0x" followed by exactly digits lowercase hexadecimal digits, as
 * the kernel's "0x%0<digits>x" prints a value that fits in them.
 *
 * @param s
 *   Text, NUL-terminated; nothing may follow the digits.
 * @param digits
 *   Number of digits, 1 to 16.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno EINVAL (not logged).
 */
__rte_internal
int rte_sysfs_parse_hex(const char *s, unsigned int digits, uint64_t *val);

/**
 * Parse a decimal number as the kernel's "%d" or "%u" prints it: digits
 * with no leading zero (except "0" itself), an optional '-' only before a
 * non-zero value, no spaces, no '+'.
 *
 * @param s
 *   Text, NUL-terminated; nothing may follow the digits.
 * @param min
 *   Smallest accepted value.
 * @param max
 *   Largest accepted value.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno EINVAL (not such a number) or ERANGE (outside
 *   [min, max]); not logged.
 */
__rte_internal
int rte_sysfs_parse_dec(const char *s, int64_t min, int64_t max,
		int64_t *val);

/**
 * Read an attribute holding "0x" and exactly digits hexadecimal digits and
 * a newline (PCI vendor, device, subsystem ids: 4; class: 6).
 *
 * @param path
 *   Attribute path.
 * @param digits
 *   Number of digits the kernel prints, 1 to 16.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno as for rte_sysfs_read_line(), and EINVAL when
 *   the line is not in that format (logged, naming the file).
 */
__rte_internal
int rte_sysfs_read_hex(const char *path, unsigned int digits, uint64_t *val);

/**
 * Read an attribute holding one decimal number and a newline (numa_node,
 * sriov_numvfs ...), in the format of rte_sysfs_parse_dec().
 *
 * @param path
 *   Attribute path.
 * @param min
 *   Smallest accepted value.
 * @param max
 *   Largest accepted value.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno as for rte_sysfs_read_line(), EINVAL (not a
 *   decimal number) or ERANGE (outside [min, max]), both logged naming the
 *   file.
 */
__rte_internal
int rte_sysfs_read_dec(const char *path, int64_t min, int64_t max,
		int64_t *val);

/**
 * Number at the end of a symbolic link's target, such as the group number
 * of <device>/iommu_group -> ../../../kernel/iommu_groups/<N>: the last
 * path component must be a decimal number in the format of
 * rte_sysfs_parse_dec(), from 0 to INT32_MAX.
 *
 * @param path
 *   Path of the link.
 * @param num
 *   Where the number is stored on success.
 * @return
 *   0, or -1 with rte_errno: the errno of readlink(2) (not logged, e.g.
 *   ENOENT when the device has no such link); ENAMETOOLONG target too long
 *   or EINVAL last component not such a number (logged, naming the link
 *   and its target).
 */
__rte_internal
int rte_sysfs_link_num(const char *path, int *num);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SYSFS_H_ */
