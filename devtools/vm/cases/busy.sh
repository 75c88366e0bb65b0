#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# A device held by another process (issue 14, defect 5): a primary holds
# an edu device (dpdk-edu-demo --hold); a second, independent process
# (another --file-prefix) asks for the same device. It must fail with one
# line naming the device, the operation, the kernel's answer and the
# holder's pid and comm:
#  - group node (group and noiommu lanes, and forced group in the cdev
#    lane): open of /dev/vfio/[noiommu-]<N> answers EBUSY;
#  - cdev (cdev lane): VFIO_DEVICE_BIND_IOMMUFD answers EINVAL when the
#    holder bound the cdev, EBUSY when the holder opened the group (the
#    group lane's VM has cdev nodes too);
#  - a user who cannot read the holder's /proc/<pid>/fd is told that the
#    holder is not visible to it.
# The holder still does DMA afterwards (a secondary of it verifies a
# round), and neither process leaves anything behind.

. /cases/lib.sh

mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
first=/tmp/busy-first.log
log=/tmp/busy-second.log
group=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")")
dma="--dma-mask $DPDK_VM_EDU_DMA_MASK"

# second MODE: the second process, as root, on the device the first holds
second()
{
	# shellcheck disable=SC2086
	dpdk-edu-demo --vfio-mode="$1" --file-prefix=busy2 -a "$dev" -- $dma \
		>"$log" 2>&1
	rc=$?
	cat "$log"
	check_rc 1 $rc "second process (--vfio-mode=$1) on $dev held by $pid"
	check_no_grep "$log" "^primary " "second process did no DMA"
	left=$(ls /dev/hugepages | grep '^busy2' | tr '\n' ' ')
	check "second process left no hugepage file ($left)" [ -z "$left" ]
	check "second process left no runtime directory" \
		[ ! -e /var/run/dpdk/busy2 ]
}

echo "--- the first process holds $dev (mode $mode)"
# shellcheck disable=SC2086
dpdk-edu-demo --vfio-mode="$mode" --file-prefix=busy1 -a "$dev" -- $dma \
	--hold 600 >"$first" 2>&1 &
pid=$!
if ! wait_for "$first" "^primary: holding the devices" 120 $pid; then
	cat "$first"
	case_fail "the first process did not start holding $dev"
	kill $pid 2>/dev/null
	wait $pid
	case_end
fi
cat "$first"
check_grep "$first" "^primary .* $dev .* yes " "the first process verified a DMA"

holder="held by process $pid \\(dpdk-edu-demo\\)"
busy="Device or resource busy"
case $DPDK_VM_MODE in
group|noiommu)
	node=/dev/vfio/$group
	[ "$DPDK_VM_MODE" = noiommu ] && node=/dev/vfio/noiommu-$group
	echo "--- second process, same mode"
	second "$mode"
	check_grep "$log" "^EAL: VFIO: $dev: open $node failed: $busy: $holder\$" \
		"the busy group names the holder"
	if [ "$DPDK_VM_MODE" = group ]; then
		echo "--- second process through the cdev of the device"
		second cdev
		check_grep "$log" "^EAL: VFIO: $dev: VFIO_DEVICE_BIND_IOMMUFD failed: $busy: $holder\$" \
			"the cdev bind names the holder of the group"
	fi
	;;
cdev)
	echo "--- second process, same mode"
	second cdev
	check_grep "$log" "^EAL: VFIO: $dev: VFIO_DEVICE_BIND_IOMMUFD failed: Invalid argument: $holder\$" \
		"the refused bind names the holder"
	echo "--- second process through the group of the device"
	second group
	check_grep "$log" "^EAL: VFIO: $dev: open /dev/vfio/$group failed: $busy: $holder\$" \
		"the busy group names the holder of the cdev"
	;;
esac

# no-IOMMU nodes want CAP_SYS_RAWIO before the kernel looks at the holder
if [ "$DPDK_VM_MODE" != noiommu ]; then
	echo "--- second process as a user who cannot see the holder's descriptors"
	case_user_setup
	rundir=/tmp/dpdk
	# shellcheck disable=SC2086
	as_user unlimited unlimited dpdk-edu-demo --vfio-mode="$mode" \
		--file-prefix=busy2 -a "$dev" -- $dma >"$log" 2>&1
	rc=$?
	cat "$log"
	check_rc 1 $rc "the user's process on $dev held by $pid"
	check_grep "$log" "^EAL: VFIO: $dev: .* failed: [^:]+: held by another process \\(not visible to this user\\)\$" \
		"the user is told another process holds it"
	check_no_grep "$log" "held by process" "no pid the user cannot see"
	left=$(ls /dev/hugepages | grep '^busy2' | tr '\n' ' ')
	check "the user's process left no hugepage file ($left)" [ -z "$left" ]
	check "the user's process left no runtime directory" \
		[ ! -e "$rundir/busy2" ]
fi

echo "--- the holder still does DMA (a secondary of it)"
# shellcheck disable=SC2086
dpdk-edu-demo --vfio-mode="$mode" --file-prefix=busy1 --proc-type=secondary \
	-a "$dev" -- $dma >"$log" 2>&1
rc=$?
cat "$log"
check_rc 0 $rc "a secondary of the first process"
check_grep "$log" "^secondary .* $dev .* yes " "its DMA verified"

kill -TERM $pid
wait $pid
rc=$?
cat "$first"
check_rc 0 $rc "the first process after SIGTERM"
check_no_leftovers busy1
check_no_leftovers busy2
case_end
