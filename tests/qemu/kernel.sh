#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh KIND SERIES: make a kernel for a test lane ready and print, as
# shell assignments, where it is:
#   KERNEL=<bzImage>  KDIR=<tree to build modules against>  KREL=<release>
#
#   KIND=debug  built from Debian's linux-source-SERIES with allnoconfig plus
#               debug.config, cached in ~/.cache/vmarena/debug-SERIES-<hash>
#               (the hash covers the source package version, the fragment and
#               the recipe number below), so a second run does not rebuild it.
#   KIND=stock  Debian's linux-image for the installed linux-headers of
#               SERIES: the image package is downloaded (not installed) and
#               unpacked into ~/.cache/vmarena/stock-<release>, with the
#               modules.dep (depmod) an install would make.
#
# Progress goes to stderr; only the assignments go to stdout.
set -euo pipefail

kind=${1:?usage: kernel.sh debug|stock 6.1|6.12}
series=${2:?usage: kernel.sh debug|stock 6.1|6.12}
here=$(cd "$(dirname "$0")" && pwd)
cache=${VMARENA_CACHE:-$HOME/.cache/vmarena}
jobs=${VMARENA_JOBS:-$(($(nproc) + 1))}
mkdir -p "$cache"

log() { echo "kernel.sh: $*" >&2; }

# Serialise kernel preparation between concurrent runs.
exec 9>"$cache/.lock"
flock 9

# The installed Debian headers package of a series, resolved through its
# metapackage: linux-headers-amd64 is 6.1, linux-headers-6.12-amd64 is 6.12.
headers_release() {
	local meta dep
	case $1 in
	6.1) meta=linux-headers-amd64 ;;
	*) meta=linux-headers-$1-amd64 ;;
	esac
	dep=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$dep" ] || { log "$meta is not installed; run tests/qemu/setup.sh"; exit 1; }
	echo "$dep"
}

# Check that every option the fragment asks for survived olddefconfig:
# options whose dependencies are missing are dropped silently.
verify_config() {
	local cfg=$1 fragment=$2 line key want got bad=0
	while read -r line; do
		case $line in
		CONFIG_*=*) key=${line%%=*}; want=${line#*=} ;;
		"# CONFIG_"*" is not set") key=${line#\# }; key=${key%% *}; want=n ;;
		*) continue ;;
		esac
		got=$(sed -n "s/^$key=//p" "$cfg")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			log "config: $key=$want was asked for, the kernel has $key=$got"
			bad=1
		fi
	done <"$fragment"
	return $bad
}

# The debug kernels' build recipe: bump it when debug_kernel() changes the
# way it builds, so that cached kernels are rebuilt.
recipe=1

debug_kernel() {
	local pkg=linux-source-$series fragment=$here/debug.config
	local pkgver tarball key dir tmp src
	pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
		{ log "$pkg is not installed; run tests/qemu/setup.sh"; exit 1; }
	tarball=/usr/src/$pkg.tar.xz
	key=$( { echo "$pkgver $recipe"; cat "$fragment"; } | sha256sum | cut -c1-12)
	dir=$cache/debug-$series-$key
	src=$dir/$pkg

	if [ ! -e "$dir/.done" ]; then
		log "building the debug kernel $pkg $pkgver into $dir (a few minutes)"
		tmp=$dir.tmp
		rm -rf "$tmp"
		mkdir -p "$tmp"
		tar -C "$tmp" -xf "$tarball"
		make -s -C "$tmp/$pkg" ARCH=x86_64 allnoconfig >&2
		"$tmp/$pkg/scripts/kconfig/merge_config.sh" -m -O "$tmp/$pkg" \
			"$tmp/$pkg/.config" "$fragment" >/dev/null
		make -s -C "$tmp/$pkg" ARCH=x86_64 olddefconfig >&2
		verify_config "$tmp/$pkg/.config" "$fragment" ||
			{ log "the debug config lost options; see above"; exit 1; }
		make -s -C "$tmp/$pkg" ARCH=x86_64 -j"$jobs" bzImage modules >&2
		rm -rf "$dir"
		mv "$tmp" "$dir"
		touch "$dir/.done"
		# Older builds of this series are stale now.
		find "$cache" -maxdepth 1 -name "debug-$series-*" ! -path "$dir" \
			-exec rm -rf {} + 2>/dev/null || true
	fi
	echo "KERNEL=$src/arch/x86/boot/bzImage"
	echo "KDIR=$src"
	echo "KREL=$(cat "$src/include/config/kernel.release")"
}

stock_kernel() {
	local krel dir tmp deb pkg
	krel=$(headers_release "$series")
	dir=$cache/stock-$krel
	if [ ! -e "$dir/.done" ]; then
		tmp=$dir.tmp
		rm -rf "$tmp"
		mkdir -p "$tmp"
		for pkg in "linux-image-$krel-unsigned" "linux-image-$krel"; do
			if (cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$pkg" >&2); then
				break
			fi
		done
		deb=$(ls "$tmp"/linux-image-*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || { log "could not download linux-image-$krel"; exit 1; }
		log "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$tmp/root"
		rm -f "$deb"
		rm -rf "$dir"
		mv "$tmp" "$dir"
		touch "$dir/.done"
	fi
	# What Debian's postinst would do on an install: depmod over the
	# image's modules, so that lane.sh can ask kmod which of them a module
	# needs (the guest gets loop and ext4 from here).
	if [ ! -e "$dir/.depmod" ]; then
		log "depmod over $krel's modules"
		depmod -b "$dir/root" "$krel"
		touch "$dir/.depmod"
	fi
	echo "KERNEL=$dir/root/boot/vmlinuz-$krel"
	echo "KDIR=/usr/src/linux-headers-$krel"
	echo "KREL=$krel"
}

case $kind in
debug) debug_kernel ;;
stock) stock_kernel ;;
*) log "unknown kernel kind '$kind'"; exit 2 ;;
esac
