#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# A group that is not viable (issue 14, defect 5), with run.sh --bridge:
# an edu device bound to vfio-pci shares its IOMMU group with a virtio
# device that virtio-pci drives. The demo on the edu device must fail
# with one line naming the group, the virtio member and its driver, and
# what to do (group mode: VFIO_GROUP_GET_STATUS says not viable; cdev:
# VFIO_DEVICE_BIND_IOMMUFD answers EPERM, which alone says nothing).
# Once the virtio device is unbound, the same command does a verified DMA
# round trip. Nothing may be left behind.

. /cases/lib.sh

mode=$(case_vfio_mode)
dev=$DPDK_VM_BRIDGE_EDU
other=$DPDK_VM_BRIDGE_OTHER
log=/tmp/nonviable.log
if [ -z "$dev" ] || [ -z "$other" ]; then
	case_fail "no bridged devices: this case needs run.sh --bridge"
	case_end
fi
group=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")")
drv=$(basename "$(readlink "/sys/bus/pci/devices/$other/driver")")
check "$other is bound to virtio-pci ($drv)" [ "$drv" = virtio-pci ]

demo()
{
	dpdk-edu-demo --vfio-mode="$mode" --file-prefix=nonviable -a "$dev" \
		-- --dma-mask "$DPDK_VM_EDU_DMA_MASK" >"$log" 2>&1
	rc=$?
	cat "$log"
}

echo "--- $dev shares group $group with $other ($drv)"
demo
check_rc 1 $rc "dpdk-edu-demo on a device of a group that is not viable"
want="IOMMU group $group is not viable: $other is bound to virtio-pci; bind every device of the group to vfio-pci \\(or unbind it\\)\$"
case $DPDK_VM_MODE in
group) check_grep "$log" "^EAL: VFIO: $dev: $want" \
	"the member and its driver are named" ;;
cdev) check_grep "$log" "^EAL: VFIO: $dev: VFIO_DEVICE_BIND_IOMMUFD failed: Operation not permitted: $want" \
	"the refused bind names the member and its driver" ;;
esac
check_no_grep "$log" "^primary " "no DMA was attempted"
check_no_leftovers nonviable

echo "--- unbind $other from $drv"
echo "$other" >"/sys/bus/pci/devices/$other/driver/unbind"
check "$other is unbound" [ ! -e "/sys/bus/pci/devices/$other/driver" ]
demo
check_rc 0 $rc "the same command once the group is viable"
check_grep "$log" "^primary .* $dev .* yes " "its DMA round trip verified"
check_no_grep "$log" "not viable|failed" "no failure line"
check_no_leftovers nonviable
case_end
