/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_COMMON_H_
#define _RTE_COMMON_H_

/**
 * @file
 * Common macros and attributes used by every EAL header.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_config.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Mark a variable or parameter as possibly unused. */
#define __rte_unused __attribute__((__unused__))
/** printf-like format checking: format string index, first vararg index. */
#define __rte_format_printf(f, a) __attribute__((__format__(__printf__, f, a)))
/** Run a function before main(). */
#define RTE_INIT_PRIO(func, prio) \
	static void __attribute__((constructor(prio), used)) func(void)
/** Run a function before main(), after the EAL's own constructors. */
#define RTE_INIT(func) RTE_INIT_PRIO(func, 200)
/** Run a function after main() returns. */
#define RTE_FINI(func) \
	static void __attribute__((destructor, used)) func(void)
/** Function does not return. */
#define __rte_noreturn __attribute__((__noreturn__))
/** Result must be checked. */
#define __rte_warn_unused_result __attribute__((__warn_unused_result__))
/**
 * Symbol reserved for drivers and the EAL itself, not for applications:
 * exported in the INTERNAL version node of its library, with no ABI
 * promise. Code that calls one defines ALLOW_INTERNAL_API (drivers and
 * tests do, in their meson c_args); elsewhere a call fails to compile.
 */
#ifdef ALLOW_INTERNAL_API
#define __rte_internal
#else
#define __rte_internal \
	__attribute__((error("internal API: define ALLOW_INTERNAL_API to use it (drivers only)")))
#endif
/** Symbol whose API may still change. */
#define __rte_experimental

/** Number of elements of a static array. */
#define RTE_DIM(a) (sizeof(a) / sizeof((a)[0]))
/** Smaller of two values. */
#define RTE_MIN(a, b) ((a) < (b) ? (a) : (b))
/** Larger of two values. */
#define RTE_MAX(a, b) ((a) > (b) ? (a) : (b))
/** Stringify the expansion of a macro argument. */
#define RTE_STR(x) RTE_STR_(x)
#define RTE_STR_(x) #x
/** Pointer to the structure containing a member. */
#define container_of(ptr, type, member) \
	((type *)(uintptr_t)((const char *)(ptr) - offsetof(type, member)))
/** Fail the build when a condition is true. */
#define RTE_BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

/** True when v is a power of two (0 is not). */
#define RTE_IS_POWER_OF_2(v) ((v) != 0 && (((v) & ((v) - 1)) == 0))
/** Round v down to a multiple of a power-of-two alignment. */
#define RTE_ALIGN_FLOOR(v, align) \
	((__typeof__(v))((v) & (~((__typeof__(v))((align) - 1)))))
/** Round v up to a multiple of a power-of-two alignment. */
#define RTE_ALIGN_CEIL(v, align) \
	RTE_ALIGN_FLOOR(((v) + ((__typeof__(v))(align) - 1)), align)
/** Same as RTE_ALIGN_CEIL. */
#define RTE_ALIGN(v, align) RTE_ALIGN_CEIL(v, align)
/** Add an offset to a pointer, returning void *. */
#define RTE_PTR_ADD(ptr, x) ((void *)((uintptr_t)(ptr) + (x)))
/** Subtract an offset from a pointer, returning void *. */
#define RTE_PTR_SUB(ptr, x) ((void *)((uintptr_t)(ptr) - (x)))
/** Difference between two pointers in bytes. */
#define RTE_PTR_DIFF(a, b) ((uintptr_t)(a) - (uintptr_t)(b))
/** Align a pointer down. */
#define RTE_PTR_ALIGN_FLOOR(ptr, align) \
	((__typeof__(ptr))RTE_ALIGN_FLOOR((uintptr_t)(ptr), align))
/** Align a pointer up. */
#define RTE_PTR_ALIGN_CEIL(ptr, align) \
	RTE_PTR_ALIGN_FLOOR((__typeof__(ptr))RTE_PTR_ADD(ptr, (align) - 1), align)
/** Cache-line alignment attribute. */
#define __rte_cache_aligned __attribute__((__aligned__(RTE_CACHE_LINE_SIZE)))

/** Kilobyte, megabyte, gigabyte. */
#define RTE_KB (UINT64_C(1) << 10)
#define RTE_MB (UINT64_C(1) << 20)
#define RTE_GB (UINT64_C(1) << 30)

/** Invalid IOVA value. */
#define RTE_BAD_IOVA ((rte_iova_t)-1)
/** Invalid physical address value. */
#define RTE_BAD_PHYS_ADDR ((rte_iova_t)-1)

/** IO virtual address as seen by devices. */
typedef uint64_t rte_iova_t;

/** Branch prediction hints. */
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/**
 * Smallest power of two greater than or equal to v (v <= 2^63).
 *
 * @param v
 *   Input value.
 * @return
 *   The power of two; 0 for v == 0.
 */
static inline uint64_t
rte_align64pow2(uint64_t v)
{
	if (v == 0)
		return 0;
	v--;
	v |= v >> 1;
	v |= v >> 2;
	v |= v >> 4;
	v |= v >> 8;
	v |= v >> 16;
	v |= v >> 32;
	return v + 1;
}

/**
 * Compute the total of two sizes, detecting overflow.
 *
 * @param a
 *   First operand.
 * @param b
 *   Second operand.
 * @param res
 *   Where the sum is stored when it does not overflow.
 * @return
 *   1 when the sum overflows, 0 otherwise.
 */
static inline int
rte_add_overflow_u64(uint64_t a, uint64_t b, uint64_t *res)
{
	return __builtin_add_overflow(a, b, res);
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_COMMON_H_ */
