/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _TEST_BUS_H_
#define _TEST_BUS_H_

/* The "test" bus of dpdk-test offers devices testdev0 .. testdev2. */
#define TEST_BUS_NB_DEVICES 3

#endif /* _TEST_BUS_H_ */
