#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Hot-unplug during DMA (issue 14, defect 1): dpdk-edu-demo runs DMA
# rounds on two edu devices with interrupts; 0.1-0.3 s into the DMA the
# kernel removes the second one (sysfs "remove"). The removal must end the
# DMA on it at once (ENODEV, shown as FAIL:removed), release the device
# once, let the other device go on verifying every byte, and the demo must
# exit 0 with nothing left behind. Repeated CASE_REPEAT (default 20) times;
# the device comes back with a PCI rescan and is bound again each time.

. /cases/lib.sh

repeat=${CASE_REPEAT:-20}
mode=$(case_vfio_mode)
# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
keep=$1
victim=$2
log=/tmp/hotunplug.log
in_flight=0
i=1
while [ $i -le "$repeat" ]; do
	echo "--- round $i/$repeat: remove $victim during DMA (mode $mode)"
	dpdk-edu-demo --vfio-mode="$mode" --file-prefix=hotunplug \
		-a "$keep" -a "$victim" -- --rounds 100000 --until-removal \
		--dma-mask "$DPDK_VM_EDU_DMA_MASK" \
		>"$log" 2>&1 &
	pid=$!
	if ! wait_for "$log" "^primary .* $victim .* yes " 120 $pid; then
		case_fail "round $i: the demo did not verify a DMA on $victim"
		cat "$log"
		kill $pid 2>/dev/null
		wait $pid
		break
	fi
	# 0.10 .. 0.30 s later: DMA rounds are running (busybox ash has RANDOM)
	# shellcheck disable=SC3028
	sleep "0.$(( 10 + RANDOM % 21 ))"
	t0=$(now_cs)
	echo 1 >"/sys/bus/pci/devices/$victim/remove"
	t1=$(now_cs)
	wait $pid
	rc=$?
	t2=$(now_cs)
	check_rc 0 $rc "round $i: dpdk-edu-demo after the removal"
	check "round $i: removal released within 5 s ($(( (t1 - t0) * 10 )) ms)" \
		[ $((t1 - t0)) -lt 500 ]
	check "round $i: demo ended within 10 s of the removal" \
		[ $((t2 - t0)) -lt 1000 ]
	check_grep "$log" "$victim: removal requested by the kernel" \
		"round $i: removal announced"
	check_grep "$log" "1 of 2 edu device\\(s\\) removed; the other\\(s\\) still work" \
		"round $i: the other device still works"
	check_no_grep "$log" "no interrupt .* within|not open under descriptor|hot-unplug failed|Segmentation|NO\\(" \
		"round $i: no stall, double release or bad bytes"
	check_no_grep "$log" "^primary .* $keep .* FAIL" \
		"round $i: every DMA of $keep verified"
	check_no_leftovers hotunplug
	grep -q "$victim .* FAIL:removed" "$log" && in_flight=$((in_flight + 1))
	if [ "$case_failures" -ne 0 ]; then
		echo "--- demo output of round $i:"
		cat "$log"
		break
	fi
	echo 1 >/sys/bus/pci/rescan
	check "round $i: $victim back and bound to vfio-pci" bind_vfio "$victim"
	i=$((i + 1))
done
# The removal lands between two transfers or during one (FAIL:removed row)
echo "$in_flight of $repeat removals ended a transfer in flight"
check "at least one removal ended a transfer in flight" [ $in_flight -gt 0 ]
case_end
