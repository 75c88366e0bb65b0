#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Smoke test run inside the VM (busybox only): shows and checks, at the OS
# level, that the VFIO nodes of $DPDK_VM_MODE are usable for every edu
# device, that hugepages are reserved and that the binaries given with
# run.sh --bin find all their shared libraries. Exits non-zero on the first
# problem.

errors=0
err()
{
	echo "SMOKE FAIL: $*"
	errors=$((errors + 1))
}

# Open a node read-write and close it again.
try_open()
{
	if (exec 3<>"$1") 2>/dev/null; then
		echo "  open($1): ok"
	else
		err "cannot open $1 read-write"
	fi
}

echo "linux=$DPDK_VM_KERNEL mode=$DPDK_VM_MODE edu=[$DPDK_VM_EDU_DEVS]"
ls -l /dev/vfio /dev/vfio/devices /dev/iommu 2>/dev/null
[ -n "$DPDK_VM_EDU_DEVS" ] || err "no edu device"

for a in $DPDK_VM_EDU_DEVS; do
	d=/sys/bus/pci/devices/$a
	drv=$(basename "$(readlink "$d/driver")")
	# Vendor and device id from the config space, through sysfs.
	# shellcheck disable=SC2046,SC2005 # echo squeezes the blanks
	ids=$(echo $(hexdump -n 4 -e '2/2 "%04x "' "$d/config"))
	echo "$a: driver=$drv ids=[$ids] group=$(basename "$(readlink "$d/iommu_group")")"
	[ "$drv" = vfio-pci ] || err "$a bound to $drv"
	[ "$ids" = "1234 11e8" ] || err "$a: config space reads '$ids'"
	case $DPDK_VM_MODE in
	group)
		try_open "/dev/vfio/$(basename "$(readlink "$d/iommu_group")")"
		;;
	noiommu)
		try_open "/dev/vfio/noiommu-$(basename "$(readlink "$d/iommu_group")")"
		;;
	cdev|noiommu-cdev)
		try_open "/dev/vfio/devices/$(ls "$d/vfio-dev")"
		;;
	esac
done
case $DPDK_VM_MODE in
group|noiommu) try_open /dev/vfio/vfio ;;
cdev|noiommu-cdev) try_open /dev/iommu ;;
esac

grep Huge /proc/meminfo
total=$(sed -n 's/^HugePages_Total: *//p' /proc/meminfo)
[ "$total" = "$DPDK_VM_HUGEPAGES" ] || err "HugePages_Total=$total, want $DPDK_VM_HUGEPAGES"
grep -q ' /dev/hugepages hugetlbfs ' /proc/mounts || err "hugetlbfs not mounted"

for b in $DPDK_VM_BINS; do
	ld=$(ls /lib64/ld-linux-x86-64.so.2 2>/dev/null)
	if [ -z "$ld" ]; then
		echo "$b: no dynamic loader in the guest (static binary?)"
		continue
	fi
	if "$ld" --list "$b" >/tmp/ldd.out 2>&1; then
		echo "$b: $(wc -l </tmp/ldd.out) shared objects resolved"
	elif grep -q 'not a dynamic executable' /tmp/ldd.out; then
		echo "$b: static executable"
	else
		cat /tmp/ldd.out
		err "$b: cannot be loaded"
	fi
done

if [ $errors -ne 0 ]; then
	echo "smoke test: $errors error(s)"
	exit 1
fi
echo "smoke test: ok"
