#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# What a user is told (issue 14, defect 5), every lane:
#  - -a of a device left unbound (harness: unbind it) and of an absent
#    address: one line each naming the device and what to do;
#  - no-IOMMU lane on Linux 6.12: --vfio-mode=cdev names the missing
#    no-IOMMU cdev support, not "a kernel without VFIO_DEVICE_CDEV".
# Nothing may be left behind.

. /cases/lib.sh

mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
other=$2
absent=0000:00:1e.7
log=/tmp/messages.log

echo "--- -a of an unbound device ($other) and of an absent one ($absent)"
check "leave $other unbound" unbind "$other"
dpdk-edu-demo --vfio-mode="$mode" --file-prefix=messages -a "$dev" \
	-a "$other" -a "$absent" -- --dma-mask "$DPDK_VM_EDU_DMA_MASK" \
	>"$log" 2>&1
rc=$?
cat "$log"
check_rc 0 $rc "the demo on the device that is bound"
check_grep "$log" "^primary .* $dev .* yes " "$dev verified"
check_grep "$log" "-a $other: bound to no driver, not vfio-pci: not probed; bind it with 'echo vfio-pci > /sys/bus/pci/devices/$other/driver_override'" \
	"the unbound device is named with how to bind it"
check_grep "$log" "-a $absent: no such PCI device" "the absent device is named"
check_no_leftovers messages
check "bind $other again" bind_vfio "$other"

if [ "$DPDK_VM_MODE" = noiommu ] && [ "${DPDK_VM_KERNEL%%.*}" -lt 7 ]; then
	echo "--- --vfio-mode=cdev on a no-IOMMU Linux $DPDK_VM_KERNEL"
	dpdk-edu-demo --vfio-mode=cdev --file-prefix=messages -a "$dev" \
		>"$log" 2>&1
	rc=$?
	cat "$log"
	check_rc 1 $rc "forced cdev without no-IOMMU cdev support"
	check_grep "$log" "this kernel makes no no-IOMMU cdev nodes \\(noiommu-vfio<N> needs Linux 7.3" \
		"the missing kernel support is named"
	check_no_grep "$log" "kernel without VFIO_DEVICE_CDEV" "no wrong reason"
	check_no_leftovers messages
fi
case_end
