#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Auto mode falls back to the group interface (issue 14, defect 7): a user
# given the group nodes and /dev/iommu but not the cdev nodes, with the
# default --vfio-mode (auto). The cdev backend must not be picked (it
# would fail opening the device); the group backend runs the DMA. Forced
# cdev names the permission problem.

. /cases/lib.sh

# shellcheck disable=SC2086
set -- $DPDK_VM_EDU_DEVS
dev=$1
log=/tmp/fallback.log
nomap="--dma-mask $DPDK_VM_EDU_DMA_MASK"
# a non-root process keeps its runtime directory here (see memlock.sh)
rundir=/tmp/dpdk

case_user_setup
chmod 0666 /dev/iommu
chmod 0600 /dev/vfio/devices/*
ls -l /dev/iommu /dev/vfio /dev/vfio/devices

echo "--- auto mode as user $CASE_USER"
as_user unlimited unlimited dpdk-edu-demo -m 16 --file-prefix=fallback \
	-a "$dev" -- $nomap >"$log" 2>&1
rc=$?
cat "$log"
check_rc 0 $rc "dpdk-edu-demo in auto mode without access to the cdev nodes"
check_grep "$log" "VFIO: group mode, IOMMU type1" "the group interface was chosen"
check_grep "$log" "^primary .* $dev .* yes " "its DMA verified"
check_no_leftovers fallback "$rundir"

echo "--- forced cdev as user $CASE_USER"
as_user unlimited unlimited dpdk-edu-demo --vfio-mode=cdev -m 16 \
	--file-prefix=fallback -a "$dev" -- $nomap >"$log" 2>&1
rc=$?
cat "$log"
check_rc 1 $rc "dpdk-edu-demo --vfio-mode=cdev without access to the cdev nodes"
check_grep "$log" "none of the [0-9]+ device nodes in /dev/vfio/devices can be opened read-write" \
	"the permission problem is named"
check_no_leftovers fallback "$rundir"
case_end
