#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Runs inside the test VM (busybox + python3 staged by vm-tools.sh):
# dpdk-devbind.py and dpdk-telemetry.py on the real kernel in
# $DPDK_VM_MODE, against the edu devices and a running dpdk-edu-demo
# (primary, then a secondary too). With DPDK_TOOLS_SHARED set (group and
# cdev VMs), a group of two virtio devices behind a PCIe-to-PCI bridge is
# made viable and not viable. Every check that fails is counted; the exit
# status is 1 when one did.

mode=$DPDK_VM_MODE
fails=0
checks=0
out=/tmp/tools.out

fail()
{
	echo "TOOLS FAIL: $*"
	fails=$((fails + 1))
}

# has TEXT FILE WHAT: the file holds the text
has()
{
	checks=$((checks + 1))
	grep -qF -- "$1" "$2" || { fail "$3: no '$1' in:"; cat "$2"; }
}

# run EXPECTED_STATUS CMD...: output in $out
run()
{
	want=$1
	shift
	echo "+ $*"
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	checks=$((checks + 1))
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want"
}

# wait_for TEXT FILE: up to 60 s
wait_for()
{
	i=0
	while ! grep -qF -- "$1" "$2" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 120 ]; then
			fail "no '$1' in $2 after 60 s:"
			cat "$2"
			return 1
		fi
		sleep 0.5
	done
}

# shellcheck disable=SC2086 # split on purpose
set -- $DPDK_VM_EDU_DEVS
edu0=$1
edu1=$2
[ -n "$edu1" ] || fail "two edu devices expected, got '$DPDK_VM_EDU_DEVS'"
# the EAL's name of the lane's mode, and the one telemetry reports
eal_mode=$mode
tel_mode=$mode
case $mode in
noiommu-cdev)
	tel_mode=noiommu # rte_vfio_get_mode(): no IOMMU, whatever the interface
	modes="VFIO modes usable now: noiommu, noiommu (cdev)"
	noiommu="no-IOMMU mode: enabled"
	;;
noiommu)
	# the group backend (the lane's --vfio-mode): on Linux 7.3 plain
	# "noiommu" would pick the no-IOMMU cdev
	eal_mode=noiommu-group
	modes="VFIO modes usable now: noiommu"
	noiommu="no-IOMMU mode: enabled"
	;;
*)
	# the group VM has /dev/iommu too: both interfaces work there
	modes="VFIO modes usable now: group, cdev"
	noiommu="no-IOMMU mode: disabled"
	;;
esac

echo "=== dpdk-devbind.py --status ($mode)"
run 0 dpdk-devbind.py --status
has "$noiommu" "$out" "status"
has "$edu0 1234:11e8 class=00ff drv=vfio-pci" "$out" "status of $edu0"
has "$edu1 1234:11e8 class=00ff drv=vfio-pci" "$out" "status of $edu1"
has "$modes" "$out" "modes"
cdev0=$(ls "/sys/bus/pci/devices/$edu0/vfio-dev" 2>/dev/null)
[ -n "$cdev0" ] && has "vfio cdev: /dev/vfio/devices/$cdev0" "$out" "cdev node"
has "group viable" "$out" "viability"

echo "=== errors"
run 1 dpdk-devbind.py --bind vfio-pci 0000:00:1f.7
has "no PCI device 0000:00:1f.7" "$out" "missing device"
run 1 dpdk-devbind.py --bind no-such-driver "$edu0"
has "driver no-such-driver is not loaded" "$out" "missing driver"
run 1 dpdk-devbind.py --unbind 00:1f
has "is not a PCI address" "$out" "bad address"

echo "=== a running primary holds $edu0"
dpdk-edu-demo --vfio-mode="$eal_mode" -a "$edu0" -- --hold 120 >/tmp/primary.out 2>&1 &
primary=$!
wait_for "holding the devices" /tmp/primary.out && cat /tmp/primary.out
has "yes" /tmp/primary.out "primary DMA round"
run 1 dpdk-devbind.py --unbind "$edu0"
has "its VFIO device is open in process $primary (dpdk-edu-demo)" "$out" "in use"
checks=$((checks + 1))
[ "$(basename "$(readlink "/sys/bus/pci/devices/$edu0/driver")")" = vfio-pci ] ||
	fail "$edu0 lost its driver although the unbind was refused"

echo "=== telemetry of the primary"
run 0 dpdk-telemetry.py --compact -c /vfio/info -c /vfio/containers \
	-c /vfio/devices -c /vfio/dma_maps,0,mem -c /eal/params -c /nope
has "\"pid\": $primary" "$out" "info on connect"
has "{\"/vfio/info\": {\"mode\": \"$tel_mode\"" "$out" "mode"
has "\"process\": \"primary\"" "$out" "role"
has "\"name\": \"$edu0\"" "$out" "device"
has "\"--vfio-mode=$eal_mode\"" "$out" "/eal/params"
has "{\"/nope\": null}" "$out" "unknown command"
case $mode in
cdev)
	has "\"interface\": \"cdev\", \"iommu_type\": \"iommufd\", \"iova_mode\": \"VA\"" "$out" "cdev info"
	has "\"ioas_id\": " "$out" "IOAS"
	;;
group)
	has "\"interface\": \"group\", \"iommu_type\": \"type1v2\", \"iova_mode\": \"VA\"" "$out" "group info"
	grp=$(basename "$(readlink "/sys/bus/pci/devices/$edu0/iommu_group")")
	has "\"groups\": [$grp]" "$out" "group of $edu0"
	;;
noiommu)
	has "\"interface\": \"group\", \"iommu_type\": \"none (no-IOMMU)\", \"iova_mode\": \"PA\"" "$out" "noiommu info"
	;;
noiommu-cdev)
	has "\"interface\": \"cdev\", \"iommu_type\": \"iommufd (no-IOMMU)\", \"iova_mode\": \"PA\"" "$out" "noiommu cdev info"
	;;
esac
if [ "$mode" = group ] || [ "$mode" = cdev ]; then
	checks=$((checks + 1))
	grep -q '"kind": "mem", "count": [1-9]' "$out" ||
		fail "no EAL memory mapping in the default container"
fi

echo "=== a secondary on the same device"
dpdk-edu-demo --proc-type=secondary --vfio-mode="$eal_mode" -a "$edu0" -- --hold 120 \
	>/tmp/secondary.out 2>&1 &
secondary=$!
wait_for "holding the devices" /tmp/secondary.out && cat /tmp/secondary.out
run 0 dpdk-telemetry.py -l
has "dpdk_telemetry.v2:1" "$out" "secondary socket"
run 0 dpdk-telemetry.py -i 1 --compact -c /vfio/info -c /vfio/devices
has "\"pid\": $secondary" "$out" "secondary info"
has "{\"/vfio/info\": {\"mode\": \"$tel_mode\"" "$out" "secondary mode"
has "\"process\": \"secondary\"" "$out" "secondary role"
has "\"name\": \"$edu0\"" "$out" "secondary device"

kill -TERM "$secondary"
wait "$secondary"
rc=$?
checks=$((checks + 1))
[ $rc = 0 ] || { fail "secondary exited $rc"; cat /tmp/secondary.out; }
kill -TERM "$primary"
wait "$primary"
rc=$?
checks=$((checks + 1))
[ $rc = 0 ] || { fail "primary exited $rc"; cat /tmp/primary.out; }
checks=$((checks + 1))
[ -e /var/run/dpdk/rte/dpdk_telemetry.v2 ] && fail "the primary left its telemetry socket"

echo "=== unbind and bind back"
run 0 dpdk-devbind.py --unbind "$edu0"
has "$edu0: unbound from vfio-pci" "$out" "unbind"
run 0 dpdk-devbind.py --status "$edu0"
has "drv=none" "$out" "unbound status"
has "VFIO modes usable now: none (bound to no driver, not vfio-pci)" "$out" "unbound modes"
checks=$((checks + 1))
[ -n "$cdev0" ] && [ -e "/dev/vfio/devices/$cdev0" ] && fail "/dev/vfio/devices/$cdev0 still there"
run 0 dpdk-devbind.py --bind vfio-pci "$edu0"
has "$edu0: bound to vfio-pci" "$out" "bind"
run 0 dpdk-devbind.py --status "$edu0"
has "drv=vfio-pci" "$out" "bound again"
has "$modes" "$out" "modes again"

if [ -n "$DPDK_TOOLS_SHARED" ]; then
	echo "=== an IOMMU group shared by two devices behind a PCIe-to-PCI bridge"
	# shellcheck disable=SC2046
	set -- $(for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] &&
			[ "$(cat "$d/device")" = 0x1044 ] && echo "${d##*/}"
	done)
	r0=$1
	r1=$2
	if [ -z "$r1" ]; then
		fail "two virtio-rng devices expected behind the bridge, found '$*'"
	else
		g=$(basename "$(readlink "/sys/bus/pci/devices/$r0/iommu_group")")
		ls "/sys/kernel/iommu_groups/$g/devices"
		run 0 dpdk-devbind.py --bind vfio-pci "$r0"
		has "IOMMU group $g is not viable while $r1 is bound to virtio-pci" "$out" "bind warning"
		run 0 dpdk-devbind.py --status "$r0"
		has "group NOT viable: $r1 is bound to virtio-pci" "$out" "not viable"
		has "VFIO modes usable now: none (IOMMU group not viable)" "$out" "no mode"
		run 0 dpdk-devbind.py --bind vfio-pci "$r1"
		run 0 dpdk-devbind.py --status "$r0"
		has "group viable" "$out" "viable now"
		has "$modes" "$out" "modes of the shared group"
		run 0 dpdk-devbind.py --bind virtio-pci "$r0" "$r1"
		has "$r1: bound to virtio-pci (was vfio-pci)" "$out" "back to virtio-pci"
	fi
else
	echo "=== no shared IOMMU group in $mode mode (no vIOMMU): unit-devbind covers it with fake trees"
fi

echo "tools in the VM ($mode): $checks checks, $fails failed"
[ $fails -eq 0 ]
