#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Locked memory (issue 14, defect 2), lanes with an IOMMU (group, cdev): a
# user without CAP_IPC_LOCK whose RLIMIT_MEMLOCK is too small for the EAL
# memory must get ENOMEM and one line naming RLIMIT_MEMLOCK, the size
# needed and how to raise it, never a process running with memory that is
# not mapped for DMA:
#  1. -m 16 with ulimit -l 64: rte_eal_init fails, the line gives the size;
#  2. the same with that size: the demo verifies its DMA;
#  3. dynamic memory: an allocation after init that needs new pages while
#     the limit is 0 fails with ENOMEM and leaves the heap as it was, and
#     works with DMA once the limit is back (edu_memlock_autotest).
# Nothing may be left in the user's runtime directory or in hugetlbfs.

. /cases/lib.sh

mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
rundir=/tmp/dpdk
log=/tmp/memlock.log
# the device reaches every address: the driver maps nothing itself, so the
# EAL memory is all that is pinned and the size in the message is exact
nomap="--dma-mask $DPDK_VM_EDU_DMA_MASK"
case_user_setup

echo "--- 1. -m 16 with RLIMIT_MEMLOCK 64 kB"
as_user 64 64 dpdk-edu-demo --vfio-mode="$mode" -m 16 --file-prefix=memlock \
	-a "$dev" -- $nomap >"$log" 2>&1
rc=$?
cat "$log"
check_rc 1 $rc "dpdk-edu-demo with a 64 kB memlock limit"
check_grep "$log" "RLIMIT_MEMLOCK is 64 kB, the EAL memory mapped for DMA needs at least [0-9]+ kB: raise the limit \\(ulimit -l [0-9]+" \
	"the limit, the size needed and how to raise it are named"
check_grep "$log" "rte_eal_init: Cannot allocate memory" "rte_eal_init fails with ENOMEM"
check_no_grep "$log" "^primary " "no DMA was attempted"
check_no_leftovers memlock "$rundir"
need=$(sed -n 's/.*needs at least \([0-9]*\) kB.*/\1/p' "$log" | head -n 1)
echo "size needed: ${need:-?} kB"

echo "--- 2. the same with RLIMIT_MEMLOCK ${need:-?} kB"
if [ -n "$need" ]; then
	as_user "$need" "$need" dpdk-edu-demo --vfio-mode="$mode" -m 16 \
		--file-prefix=memlock -a "$dev" -- $nomap >"$log" 2>&1
	rc=$?
	cat "$log"
	check_rc 0 $rc "dpdk-edu-demo with the limit the message asked for"
	check_grep "$log" "^primary .* $dev .* yes " "its DMA verified"
	check_no_grep "$log" "RLIMIT_MEMLOCK|not mapped for DMA" "no memlock message"
	check_no_leftovers memlock "$rundir"
else
	case_fail "no size in the message"
fi

echo "--- 3. allocation after init with the limit lowered to 0"
as_user 65536 unlimited dpdk-test --vfio-mode="$mode" --file-prefix=memlock \
	-a "$dev" edu_memlock_autotest >"$log" 2>&1
rc=$?
cat "$log"
check_rc 0 $rc "edu_memlock_autotest as $CASE_USER"
check_grep "$log" "new EAL memory va 0x[0-9a-f]+ cannot be mapped for DMA: allocation of [0-9]+ bytes refused" \
	"the refused page is named"
check_grep "$log" "RLIMIT_MEMLOCK is 0 kB, the EAL memory mapped for DMA needs at least [0-9]+ kB" \
	"the limit and the size are named"
check_no_grep "$log" "hugepages exhausted|no more free memory" \
	"not blamed on free memory"
check_no_leftovers memlock "$rundir"
case_end
