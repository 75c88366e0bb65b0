#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Helpers shared by build-kernel.sh and run.sh. Source it, do not run it.
#
# Cache layout (all under $DPDK_VM_CACHE):
#   lock                      flock(1) file serialising builds
#   src/<version>/linux-source-6.12/   unpacked kernel source (pristine)
#   build/                    out-of-tree object directory (O=), reused
#   kernels/<key>/bzImage     finished kernels, <key> = hash of the config
#   kernels/<key>/config      fragment + source version, see vm_kernel_key
#   kvm-probe                 result of the last KVM probe (per host boot)

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_FRAGMENT=${DPDK_VM_FRAGMENT:-$VM_DIR/kernel.config}
VM_SRC_PKG=linux-source-6.12
# shellcheck disable=SC2034 # used by build-kernel.sh
VM_SRC_TARBALL=/usr/src/$VM_SRC_PKG.tar.xz
# Bump when the way a kernel is built changes (forces a rebuild).
VM_BUILD_ABI=1

vm_log()
{
	echo "dpdk-vm: $*" >&2
}

vm_die()
{
	echo "dpdk-vm: ERROR: $*" >&2
	exit "${VM_DIE_RC:-1}"
}

# Sets VM_CACHE to the cache directory and creates it. Default: system-wide
# when we may write there, else per user. Not to be called in a subshell.
vm_init_cache()
{
	local d
	if [ -n "${DPDK_VM_CACHE:-}" ]; then
		d=$DPDK_VM_CACHE
	elif [ "$(id -u)" -eq 0 ] || [ -w /var/cache/dpdk-vfio-vm ]; then
		d=/var/cache/dpdk-vfio-vm
	else
		d=${XDG_CACHE_HOME:-$HOME/.cache}/dpdk-vfio-vm
	fi
	mkdir -p "$d" || vm_die "cannot create cache directory $d (set DPDK_VM_CACHE)"
	VM_CACHE=$(cd "$d" && pwd)
}

# Install the Debian packages given as arguments unless all are installed.
# apt-get update runs at most once (also across run.sh -> build-kernel.sh).
VM_APT_UPDATED=${DPDK_VM_APT_UPDATED:-0}
vm_ensure_packages()
{
	local pkg missing=()
	for pkg in "$@"; do
		if ! dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null |
				grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		vm_die "missing packages: ${missing[*]} (run as root or install them: apt-get install ${missing[*]})"
	fi
	vm_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Wait for a concurrent apt/dpkg instead of failing on its lock.
	local aptopt=(-o DPkg::Lock::Timeout=900 -q)
	if [ "$VM_APT_UPDATED" -eq 0 ]; then
		apt-get "${aptopt[@]}" update >&2 || vm_die "apt-get update failed"
		VM_APT_UPDATED=1
		export DPDK_VM_APT_UPDATED=1
	fi
	apt-get "${aptopt[@]}" install -y --no-install-recommends "${missing[@]}" >&2 ||
		vm_die "apt-get install ${missing[*]} failed"
}

# Version of the installed kernel source package (empty if not installed).
vm_source_version()
{
	dpkg-query -W -f '${Version}' "$VM_SRC_PKG" 2>/dev/null || true
}

# The fragment without comments and blank lines, sorted: cosmetic edits of
# kernel.config do not invalidate the cache.
vm_fragment_normalized()
{
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$VM_FRAGMENT" | LC_ALL=C sort
}

# Cache key of the kernel: fragment, source version, build procedure.
vm_kernel_key()
{
	{
		echo "abi=$VM_BUILD_ABI"
		echo "source=$VM_SRC_PKG $(vm_source_version)"
		vm_fragment_normalized
	} | sha256sum | cut -c1-16
}

# Directory where the kernel for the current fragment is (or will be)
# cached. Needs vm_init_cache first.
vm_kernel_dir()
{
	echo "$VM_CACHE/kernels/$(vm_kernel_key)"
}
