#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Helpers shared by build-kernel.sh, run.sh and check-uapi.sh. Source it,
# do not run it.
#
# Two guest kernels (DPDK_VM_KERNEL or --kernel-version, default 6.12):
#   6.12  Debian's linux-source-6.12, installed with apt-get from the
#         machine's own sources
#   7.3   linux-source-7.3 from Debian's experimental suite, downloaded with
#         a private apt configuration under the cache (the machine's
#         sources are never changed) and unpacked from the .deb
# Fragment: kernel.config (common part) + kernel-<version>.config.
#
# Cache layout (all under $DPDK_VM_CACHE):
#   lock                       flock(1) file serialising builds
#   apt/                       private apt state for the experimental suite
#   debs/<pkg>/<version>/      a downloaded source .deb, unpacked
#   src/<version>/<pkg>/       unpacked kernel source (pristine)
#   build-<pkg>/               out-of-tree object directory (O=), reused
#   kernels/<key>/bzImage      finished kernels, <key> = hash of the config
#   kernels/<key>/config       fragment + source version, see vm_kernel_key
#   kvm-probe                  result of the last KVM probe (per host boot)

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Bump when the way a kernel is built changes (forces a rebuild).
VM_BUILD_ABI=1
# Kernels the harness knows.
# shellcheck disable=SC2034 # used by the scripts that source this file
VM_KERNELS="6.12 7.3"

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

# vm_select_kernel VERSION: sets VM_KERNEL, VM_SRC_PKG, VM_SRC_SUITE (empty:
# the machine's own apt sources) and VM_FRAGMENTS.
vm_select_kernel()
{
	case $1 in
	6.12) VM_SRC_SUITE= ;;
	7.3) VM_SRC_SUITE=experimental ;;
	*) vm_die "unknown kernel version '$1' (known: $VM_KERNELS)" ;;
	esac
	VM_KERNEL=$1
	VM_SRC_PKG=linux-source-$1
	if [ -n "${DPDK_VM_FRAGMENT:-}" ]; then
		VM_FRAGMENTS=("$DPDK_VM_FRAGMENT")
	else
		VM_FRAGMENTS=("$VM_DIR/kernel.config" "$VM_DIR/kernel-$1.config")
	fi
}

# Version of the kernel source package (empty while not installed or not
# downloaded yet).
vm_source_version()
{
	if [ -z "$VM_SRC_SUITE" ]; then
		dpkg-query -W -f '${Version}' "$VM_SRC_PKG" 2>/dev/null || true
	else
		cat "$VM_CACHE/debs/$VM_SRC_PKG/version" 2>/dev/null || true
	fi
}

# Path of the source tarball of the current version.
vm_source_tarball()
{
	if [ -z "$VM_SRC_SUITE" ]; then
		echo "/usr/src/$VM_SRC_PKG.tar.xz"
	else
		echo "$VM_CACHE/debs/$VM_SRC_PKG/$(vm_source_version)/usr/src/$VM_SRC_PKG.tar.xz"
	fi
}

# Directory of the unpacked source tree (see build-kernel.sh).
vm_source_dir()
{
	echo "$VM_CACHE/src/$(vm_source_version)/$VM_SRC_PKG"
}

# Download the source package of another suite with a private apt
# configuration (state, lists and archives under the cache) and unpack the
# .deb there; nothing is installed on the machine. Done once.
vm_fetch_source()
{
	local apt=$VM_CACHE/apt deb version dest
	mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc/parts"
	: >>"$apt/status"
	printf 'deb [signed-by=%s] http://deb.debian.org/debian %s main\n' \
		/usr/share/keyrings/debian-archive-keyring.gpg "$VM_SRC_SUITE" \
		>"$apt/etc/sources.list"
	{
		printf 'Dir::State "%s";\n' "$apt"
		printf 'Dir::State::Lists "%s/lists";\n' "$apt"
		printf 'Dir::State::status "%s/status";\n' "$apt"
		printf 'Dir::Cache "%s";\n' "$apt"
		printf 'Dir::Cache::archives "%s/archives";\n' "$apt"
		printf 'Dir::Etc::SourceList "%s/etc/sources.list";\n' "$apt"
		printf 'Dir::Etc::SourceParts "%s/etc/parts";\n' "$apt"
		printf 'APT::Sandbox::User "root";\n'
	} >"$apt/etc/apt.conf"
	vm_log "fetching $VM_SRC_PKG from Debian's $VM_SRC_SUITE suite (private apt configuration $apt/etc/apt.conf)"
	APT_CONFIG=$apt/etc/apt.conf apt-get -q update >&2 ||
		vm_die "apt-get update of the $VM_SRC_SUITE suite failed (configuration $apt/etc/apt.conf)"
	rm -f "$apt/archives/$VM_SRC_PKG"_*.deb
	(cd "$apt/archives" && APT_CONFIG=$apt/etc/apt.conf apt-get -q download "$VM_SRC_PKG") >&2 ||
		vm_die "cannot download $VM_SRC_PKG from the $VM_SRC_SUITE suite"
	deb=$(find "$apt/archives" -maxdepth 1 -name "${VM_SRC_PKG}_*.deb" | head -n 1)
	[ -n "$deb" ] || vm_die "$VM_SRC_PKG: apt-get download left no .deb in $apt/archives"
	version=$(dpkg-deb -f "$deb" Version) || vm_die "$deb: not a Debian package"
	dest=$VM_CACHE/debs/$VM_SRC_PKG
	rm -rf "$dest"
	mkdir -p "$dest/$version"
	dpkg-deb -x "$deb" "$dest/$version" || vm_die "cannot unpack $deb"
	rm -f "$deb"
	echo "$version" >"$dest/version"
	vm_log "$VM_SRC_PKG $version unpacked in $dest"
}

# Install (machine's suite) or fetch (other suite) the kernel source once.
vm_ensure_source()
{
	if [ -n "$(vm_source_version)" ] && [ -r "$(vm_source_tarball)" ]; then
		return 0
	fi
	if [ -z "$VM_SRC_SUITE" ]; then
		vm_ensure_packages "$VM_SRC_PKG"
	else
		vm_fetch_source
	fi
	[ -r "$(vm_source_tarball)" ] ||
		vm_die "$(vm_source_tarball) missing although $VM_SRC_PKG is there"
}

# The fragments without comments and blank lines, sorted: cosmetic edits,
# and moving an option between the common and the per-kernel file, do not
# invalidate the cache.
vm_fragment_normalized()
{
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "${VM_FRAGMENTS[@]}" |
		LC_ALL=C sort
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

vm_select_kernel "${DPDK_VM_KERNEL:-6.12}"
