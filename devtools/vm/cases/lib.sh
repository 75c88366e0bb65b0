#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Helpers of the fault cases (devtools/vm/cases/*.sh), sourced in the guest
# (busybox sh). A case calls check/check_grep/... for every assertion and
# ends with case_end, which exits 1 if any of them failed.

case_failures=0

# The --vfio-mode value of the lane ($DPDK_VM_MODE).
case_vfio_mode()
{
	case $DPDK_VM_MODE in
	noiommu) echo noiommu-group ;;
	*) echo "$DPDK_VM_MODE" ;;
	esac
}

case_fail()
{
	echo "CASE FAIL: $*"
	case_failures=$((case_failures + 1))
}

case_ok()
{
	echo "case ok: $*"
}

# check DESCRIPTION COMMAND...: the command must succeed.
check()
{
	what=$1
	shift
	if "$@"; then case_ok "$what"; else case_fail "$what"; fi
}

# check_rc WANT GOT DESCRIPTION
check_rc()
{
	if [ "$2" = "$1" ]; then
		case_ok "$3: exit status $2"
	else
		case_fail "$3: exit status $2, want $1"
	fi
}

# check_grep FILE REGEX DESCRIPTION: an extended regex must match a line.
check_grep()
{
	if grep -Eq -- "$2" "$1"; then
		case_ok "$3"
	else
		case_fail "$3: no line matches '$2' in:"
		sed 's/^/    | /' "$1"
	fi
}

# check_no_grep FILE REGEX DESCRIPTION: no line may match.
check_no_grep()
{
	if grep -Eq -- "$2" "$1"; then
		case_fail "$3: unexpected line(s) in $1:"
		grep -E -- "$2" "$1" | sed 's/^/    | /'
	else
		case_ok "$3"
	fi
}

# check_no_leftovers PREFIX [RUNTIME_BASE]: the EAL of a process that
# ended left neither its runtime directory nor hugepage files.
check_no_leftovers()
{
	base=${2:-/var/run/dpdk}
	if [ -e "$base/$1" ]; then
		case_fail "runtime directory $base/$1 left behind: $(ls -A "$base/$1" | tr '\n' ' ')"
	else
		case_ok "no runtime directory $base/$1 left"
	fi
	left=$(ls -A /dev/hugepages 2>/dev/null | tr '\n' ' ')
	if [ -n "$left" ]; then
		case_fail "hugepage files left in /dev/hugepages: $left"
		rm -f /dev/hugepages/*
	else
		case_ok "no hugepage file left"
	fi
}

# bind_vfio BDF: bind a PCI function to vfio-pci (after a rescan, say).
bind_vfio()
{
	d=/sys/bus/pci/devices/$1
	if [ -e "$d/driver" ]; then
		[ "$(basename "$(readlink "$d/driver")")" = vfio-pci ] && return 0
		echo "$1" >"$d/driver/unbind" || return 1
	fi
	echo vfio-pci >"$d/driver_override" || return 1
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$(basename "$(readlink "$d/driver" 2>/dev/null)")" = vfio-pci ]
}

# unbind BDF: leave a function without a driver.
unbind()
{
	d=/sys/bus/pci/devices/$1
	[ -e "$d/driver" ] || return 0
	echo "$1" >"$d/driver/unbind"
}

# A user without privileges: name, uid and gid of case_user_setup.
CASE_USER=dpdk
CASE_UID=1000

# case_user_setup: create the user, give it the hugepage mount and the
# VFIO nodes of the lane ($DPDK_VM_MODE), as an administrator would with
# udev rules (/dev/vfio/vfio is world-writable already).
case_user_setup()
{
	if ! grep -q "^$CASE_USER:" /etc/passwd 2>/dev/null; then
		[ -f /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
		echo "$CASE_USER:x:$CASE_UID:$CASE_UID:DPDK user:/tmp:/bin/sh" >>/etc/passwd
		[ -f /etc/group ] || echo 'root:x:0:' >/etc/group
		echo "$CASE_USER:x:$CASE_UID:" >>/etc/group
	fi
	chown "$CASE_UID:$CASE_UID" /dev/hugepages
	case $DPDK_VM_MODE in
	group|noiommu)
		for g in $DPDK_VM_IOMMU_GROUPS; do
			chown "$CASE_UID" /dev/vfio/[0-9]* /dev/vfio/noiommu-* 2>/dev/null
		done
		;;
	*)
		chown "$CASE_UID" /dev/iommu /dev/vfio/devices/* 2>/dev/null
		;;
	esac
}

# as_user SOFT_KB HARD_KB COMMAND...: run COMMAND as the case user with
# RLIMIT_MEMLOCK soft/hard limits in kB ("unlimited" allowed); the
# environment (LD_LIBRARY_PATH, DPDK_VM_*) is kept.
as_user()
{
	soft=$1
	hard=$2
	shift 2
	cmd=exec
	for a in "$@"; do
		# su reorders options: hand it one quoted string
		cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	(
		ulimit -l "$hard" && ulimit -S -l "$soft" &&
			exec su "$CASE_USER" -s /bin/sh -c "$cmd"
	)
}

# uptime in centiseconds
now_cs()
{
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}" | sed 's/^0*//;s/^$/0/'
}

# wait_for FILE REGEX SECONDS PID: until a line matches or PID ends.
wait_for()
{
	end=$(($(now_cs) + $3 * 100))
	while [ "$(now_cs)" -lt "$end" ]; do
		grep -Eq -- "$2" "$1" && return 0
		kill -0 "$4" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

case_end()
{
	if [ "$case_failures" -ne 0 ]; then
		echo "CASE RESULT: $case_failures assertion(s) failed"
		exit 1
	fi
	echo "CASE RESULT: all assertions passed"
	exit 0
}
