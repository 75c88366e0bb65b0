#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# /init of the VFIO test VM (busybox sh, PID 1). run.sh copies it into the
# initramfs together with /etc/dpdk-vm.conf (settings) and /etc/dpdk-vm-cmd
# (the command to run). It prepares the system, binds the edu devices to
# vfio-pci, checks that the VFIO device nodes of the requested mode exist,
# runs the command and reports its exit status on the console with
#   @@DPDK_VM_RC:<nonce>=<status>@@
# or, when the set-up fails,
#   @@DPDK_VM_SETUP_FAILED:<nonce>@@ <reason>
# and powers off. The nonce is random per run so that no stale or echoed
# text can be mistaken for the real marker.

PATH=/bin
export PATH
# Applet links; files copied with run.sh --bin are not overwritten.
/bin/busybox --install -s /bin
umask 022

# shellcheck source=/dev/null
. /etc/dpdk-vm.conf

poweroff_now()
{
	sync
	poweroff -f
	# Only reached if ACPI power-off did not work.
	echo o >/proc/sysrq-trigger
	sleep 10
}

fail()
{
	echo "@@DPDK_VM_SETUP_FAILED:$VM_NONCE@@ $*"
	echo "dpdk-vm guest: set-up failed: $*" >&2
	poweroff_now
}

# --- file systems -----------------------------------------------------------
mount -t proc proc /proc || fail "cannot mount /proc"
mount -t sysfs sysfs /sys || fail "cannot mount /sys"
mount -t devtmpfs devtmpfs /dev || fail "cannot mount devtmpfs on /dev"
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /dev/hugepages /var
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || fail "cannot mount /dev/shm"
# /tmp and /run stay in the (writable, tmpfs) root file system: files that
# run.sh --file copied below them must not be hidden by a mount.
chmod 1777 /tmp
chmod 0755 /run
ln -sf /run /var/run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
hostname dpdk-vm

# --- hugepages --------------------------------------------------------------
echo "$VM_HUGEPAGES" >/proc/sys/vm/nr_hugepages ||
	fail "cannot write /proc/sys/vm/nr_hugepages"
got=$(cat /proc/sys/vm/nr_hugepages)
[ "$got" = "$VM_HUGEPAGES" ] ||
	fail "asked for $VM_HUGEPAGES hugepages, got $got (more --mem?)"
mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages ||
	fail "cannot mount hugetlbfs on /dev/hugepages"

# --- bind devices to vfio-pci -----------------------------------------------
# bind_vfio <pci address>
bind_vfio()
{
	d=/sys/bus/pci/devices/$1
	if [ -e "$d/driver" ]; then
		drv=$(basename "$(readlink "$d/driver")")
		[ "$drv" = vfio-pci ] && return 0
		echo "$1" >"$d/driver/unbind" || fail "$1: cannot unbind from $drv"
	fi
	echo vfio-pci >"$d/driver_override" ||
		fail "$1: cannot write driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe ||
		fail "$1: vfio-pci probe failed (see the kernel log above)"
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")") || drv=none
	[ "$drv" = vfio-pci ] || fail "$1: bound to '$drv' instead of vfio-pci"
}

# pci_find <vendor> <device>: addresses of the matching functions
pci_find()
{
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] || continue
		[ "$(cat "$d/device")" = "$2" ] || continue
		echo "${d##*/}"
	done
}

[ -d /sys/bus/pci/drivers/vfio-pci ] || fail "vfio-pci driver not in the kernel"
noiommu_param=$(cat /sys/module/vfio/parameters/enable_unsafe_noiommu_mode 2>/dev/null)
iommus=$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')
# run.sh --bridge puts one more edu behind a bridge: the only one off bus 0
edu_devs=$(pci_find 0x1234 0x11e8 | grep '^0000:00:' | tr '\n' ' ')
edu_devs=${edu_devs% }
# shellcheck disable=SC2086 # split on purpose
set -- $edu_devs
[ $# -eq "$VM_EDU_COUNT" ] ||
	fail "expected $VM_EDU_COUNT edu devices (1234:11e8) on bus 0, found $#: '$edu_devs'"
for a in $edu_devs; do
	bind_vfio "$a"
done

bridge_edu=
bridge_other=
if [ "$VM_BRIDGE" = 1 ]; then
	bridge_edu=$(pci_find 0x1234 0x11e8 | grep -v '^0000:00:')
	[ "$(echo "$bridge_edu" | wc -w)" -eq 1 ] ||
		fail "--bridge: want one edu device behind the bridge, found '$bridge_edu'"
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] || continue
		case ${d##*/} in 0000:00:*) continue ;; esac
		bridge_other=${d##*/}
	done
	[ -n "$bridge_other" ] || fail "--bridge: no virtio device (1af4) behind the bridge"
	drv=$(basename "$(readlink "/sys/bus/pci/devices/$bridge_other/driver")")
	[ "$drv" = virtio-pci ] ||
		fail "--bridge: $bridge_other is bound to '$drv', want virtio-pci"
	bind_vfio "$bridge_edu"
	if [ -n "$iommus" ]; then
		g1=$(readlink "/sys/bus/pci/devices/$bridge_edu/iommu_group")
		g2=$(readlink "/sys/bus/pci/devices/$bridge_other/iommu_group")
		[ "${g1##*/}" = "${g2##*/}" ] ||
			fail "--bridge: $bridge_edu (group ${g1##*/}) and $bridge_other (group ${g2##*/}) are not in one IOMMU group"
	fi
fi

sriov_pf=
if [ "$VM_SRIOV" = 1 ]; then
	sriov_pf=$(pci_find 0x1b36 0x0010 | head -n 1)
	[ -n "$sriov_pf" ] || fail "--sriov: no NVMe PF (1b36:0010) found"
	bind_vfio "$sriov_pf"
fi

# --- check the device nodes of the mode ---------------------------------------
check_chr()
{
	[ -c "$1" ] || fail "mode $VM_MODE: $1 missing or not a character device ($2)"
}

groups=
cdevs=
case $VM_MODE in
group|noiommu)
	check_chr /dev/vfio/vfio "container node"
	if [ "$VM_MODE" = group ]; then
		[ "$noiommu_param" = N ] ||
			fail "mode group: enable_unsafe_noiommu_mode is '$noiommu_param', want N"
		[ -n "$iommus" ] || fail "mode group: no IOMMU in /sys/class/iommu (vIOMMU missing?)"
		prefix=
	else
		[ "$noiommu_param" = Y ] ||
			fail "mode noiommu: /sys/module/vfio/parameters/enable_unsafe_noiommu_mode is '$noiommu_param', want Y"
		[ -z "$iommus" ] || fail "mode noiommu: an IOMMU is present ($iommus)"
		prefix=noiommu-
	fi
	for a in $edu_devs $sriov_pf; do
		link=$(readlink "/sys/bus/pci/devices/$a/iommu_group") ||
			fail "$a: no iommu_group link"
		g=${link##*/}
		check_chr "/dev/vfio/$prefix$g" "IOMMU group of $a"
		groups="$groups $g"
	done
	;;
cdev|noiommu-cdev)
	if [ "$VM_MODE" = cdev ]; then
		[ "$noiommu_param" = N ] ||
			fail "mode cdev: enable_unsafe_noiommu_mode is '$noiommu_param', want N"
		[ -n "$iommus" ] || fail "mode cdev: no IOMMU in /sys/class/iommu (vIOMMU missing?)"
		prefix=vfio
	else
		[ "$noiommu_param" = Y ] ||
			fail "mode noiommu-cdev: enable_unsafe_noiommu_mode is '$noiommu_param', want Y"
		[ -z "$iommus" ] || fail "mode noiommu-cdev: an IOMMU is present ($iommus)"
		prefix=noiommu-vfio
	fi
	check_chr /dev/iommu "iommufd"
	[ -d /dev/vfio/devices ] || fail "mode $VM_MODE: /dev/vfio/devices missing"
	for a in $edu_devs $sriov_pf; do
		n=$(ls "/sys/bus/pci/devices/$a/vfio-dev" 2>/dev/null | head -n 1)
		[ -n "$n" ] || fail "$a: no vfio-dev/ entry (VFIO_DEVICE_CDEV missing? no-IOMMU cdev needs Linux 7.3)"
		case $n in
		$prefix[0-9]*) ;;
		*) fail "$a: vfio-dev/ entry is '$n', want $prefix<N> in mode $VM_MODE" ;;
		esac
		check_chr "/dev/vfio/devices/$n" "cdev of $a"
		cdevs="$cdevs $n"
		if [ "$VM_MODE" = noiommu-cdev ]; then
			# the group node exists alongside the cdev
			link=$(readlink "/sys/bus/pci/devices/$a/iommu_group") ||
				fail "$a: no iommu_group link"
			g=${link##*/}
			check_chr "/dev/vfio/noiommu-$g" "no-IOMMU group of $a"
			groups="$groups $g"
		fi
	done
	;;
*)
	fail "unknown mode '$VM_MODE'"
	;;
esac

# --- run the command ----------------------------------------------------------
export DPDK_VM_MODE="$VM_MODE"
export DPDK_VM_KERNEL="$VM_KERNEL"
export DPDK_VM_EDU_DEVS="$edu_devs"
export DPDK_VM_IOMMU_GROUPS="${groups# }"
export DPDK_VM_VFIO_CDEVS="${cdevs# }"
export DPDK_VM_SRIOV_PF="$sriov_pf"
export DPDK_VM_BRIDGE_EDU="$bridge_edu"
export DPDK_VM_BRIDGE_OTHER="$bridge_other"
export DPDK_VM_HUGEPAGES="$VM_HUGEPAGES"
export DPDK_VM_EDU_DMA_MASK="$VM_EDU_DMA_MASK"
export DPDK_VM_IOMMU_AW_BITS="$VM_AW_BITS"
export DPDK_VM_BINS="$VM_BINS"
export HOME=/root
export TERM=dumb
[ -n "$VM_LD_LIBRARY_PATH" ] && export LD_LIBRARY_PATH="$VM_LD_LIBRARY_PATH"
# shellcheck source=/dev/null
[ -f /etc/dpdk-vm-env ] && . /etc/dpdk-vm-env
mkdir -p /root

# Only warnings and errors of the kernel interleave with the command output
# from now on (the whole log stays in dmesg).
[ "$VM_VERBOSE" = 1 ] || echo 4 >/proc/sys/kernel/printk

echo "dpdk-vm guest: linux=$(uname -r) mode=$VM_MODE edu=[$edu_devs] bridge=[$bridge_edu $bridge_other] groups=[${groups# }] cdevs=[${cdevs# }] hugepages=$VM_HUGEPAGES"
read -r up _ </proc/uptime
echo "@@DPDK_VM_CMD_BEGIN:$VM_NONCE@@ uptime=$up"
cd /tmp || fail "cannot cd /tmp"
/bin/sh /etc/dpdk-vm-cmd </dev/null
rc=$?
read -r up _ </proc/uptime
echo "@@DPDK_VM_RC:$VM_NONCE=$rc@@ uptime=$up"
poweroff_now
