#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh: install what building and testing vmarena needs on Debian
# bookworm.  Idempotent: it asks apt-get only for packages that are missing.
# Run as root; otherwise it prints the exact command to run and stops.
#
# The kernel packages are named through Debian's metapackages, which point at
# the newest kernel of each series in the archive: linux-headers-amd64 (6.1)
# and linux-headers-6.12-amd64 (6.12).  The matching linux-image packages are
# downloaded, not installed, by kernel.sh.
set -euo pipefail

packages=(
	# building the module, the kernels and the userland
	build-essential bc bison flex libelf-dev libssl-dev xz-utils kmod
	pkg-config libnl-3-dev libnl-genl-3-dev
	# the kernels: sources for the debug lanes, headers for the stock lanes
	linux-source-6.1 linux-source-6.12
	linux-headers-amd64 linux-headers-6.12-amd64
	# the harness
	qemu-system-x86 busybox-static cpio python3
	# the ext4 image the guests mount for the file-area tests (mkfs.ext4)
	e2fsprogs
	# packaging: DKMS (the stock lanes load the module it installs), man,
	# the Debian package build (make deb)
	dkms man-db groff-base dpkg-dev debhelper dh-dkms git
	# style checks
	sparse
	# make bench: the chart of the ratios
	gnuplot-nox
	# the hardening steps: Debian's system-call fuzzer, run in every lane
	trinity
	# the tracepoint tests read vmarena's events with perf in the guest
	linux-perf
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "vmarena needs these Debian packages; install them with:" >&2
	echo "  sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd
