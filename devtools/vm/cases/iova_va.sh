#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# --iova-mode=va without an IOMMU (issue 14, defect 3), no-IOMMU lanes:
# the device would DMA to virtual addresses nothing translates (the demo
# showed NO(4000 bad)). rte_eal_init must refuse it with a line saying
# why and what to do, leaving nothing behind; without the option the
# demo runs in PA mode and verifies its DMA.

. /cases/lib.sh

mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
log=/tmp/iova_va.log

echo "--- --iova-mode=va"
dpdk-edu-demo --vfio-mode="$mode" --iova-mode=va --file-prefix=iova_va \
	-a "$dev" -- --dma-mask "$DPDK_VM_EDU_DMA_MASK" >"$log" 2>&1
rc=$?
cat "$log"
check_rc 1 $rc "dpdk-edu-demo --iova-mode=va without IOMMU"
check_grep "$log" "--iova-mode=va refused: VFIO runs without an IOMMU \\(no-IOMMU mode\\).*use --iova-mode=pa" \
	"refused with the reason and what to do"
check_grep "$log" "rte_eal_init: Invalid argument" "rte_eal_init fails with EINVAL"
check_no_grep "$log" "^primary " "no DMA was attempted"
check_no_leftovers iova_va

echo "--- default IOVA mode"
dpdk-edu-demo --vfio-mode="$mode" --file-prefix=iova_va -a "$dev" \
	-- --dma-mask "$DPDK_VM_EDU_DMA_MASK" >"$log" 2>&1
rc=$?
cat "$log"
check_rc 0 $rc "dpdk-edu-demo without --iova-mode"
check_grep "$log" "^primary .* PA .* $dev .* yes " "PA mode, DMA verified"
check_no_leftovers iova_va
case_end
