#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# enable_unsafe_noiommu_mode set to Y at run time on a machine with an
# IOMMU (issue 14, defect 4): the devices keep their IOMMU groups
# (/dev/vfio/<N>), so the EAL must keep using the IOMMU, say why, and run
# its DMA, instead of looking for /dev/vfio/noiommu-<N>.

. /cases/lib.sh

mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
log=/tmp/noiommu_flip.log
param=/sys/module/vfio/parameters/enable_unsafe_noiommu_mode

echo 1 >"$param" || case_fail "cannot write $param"
check_grep "$param" "^Y" "the parameter reads Y"
ls /dev/vfio

for m in auto "$mode"; do
	echo "--- --vfio-mode=$m"
	dpdk-edu-demo --vfio-mode="$m" --file-prefix=noiommu_flip -a "$dev" \
		-- --dma-mask "$DPDK_VM_EDU_DMA_MASK" >"$log" 2>&1
	rc=$?
	cat "$log"
	check_rc 0 $rc "dpdk-edu-demo --vfio-mode=$m with the parameter flipped"
	check_grep "$log" "is Y but an IOMMU is present" "the EAL says why it keeps the IOMMU"
	check_grep "$log" "IOVA as VA" "IOVA as VA through the IOMMU"
	check_no_grep "$log" "noiommu-[0-9]+ missing" "no no-IOMMU group looked for"
	check_grep "$log" "^primary .* $dev .* yes " "its DMA verified"
	check_no_leftovers noiommu_flip
done
echo 0 >"$param"
case_end
