#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# style.sh checkpatch FILE...: the kernel's scripts/checkpatch.pl, taken from
#                              Debian's linux-source-6.12, over FILE...;
#                              any error or warning fails.
# style.sh sparse:             build the module (and the KUnit module) with
#                              sparse (C=2) against both debug kernels; any
#                              sparse or compiler warning fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${VMARENA_CACHE:-$HOME/.cache/vmarena}

checkpatch() {
	local pkg=linux-source-6.12 ver dir
	ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
		{ echo "style.sh: $pkg is not installed; run tests/qemu/setup.sh" >&2; exit 1; }
	dir=$cache/checkpatch-$ver
	if [ ! -e "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		# checkpatch.pl reads its word lists from its own directory.
		tar -C "$dir" --strip-components=1 -xf "/usr/src/$pkg.tar.xz" \
			"$pkg/scripts/checkpatch.pl" "$pkg/scripts/spelling.txt" \
			"$pkg/scripts/const_structs.checkpatch"
		touch "$dir/.done"
	fi
	cd "$top"
	if ! "$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES -f "$@"; then
		echo "style.sh: checkpatch found problems (above)" >&2
		exit 1
	fi
	echo "checkpatch: $# files, 0 errors, 0 warnings"
}

sparse() {
	local series log bad=0
	command -v sparse >/dev/null ||
		{ echo "style.sh: sparse is not installed; run tests/qemu/setup.sh" >&2; exit 1; }
	for series in 6.1 6.12; do
		eval "$("$here/kernel.sh" debug "$series")"
		log=$top/build/sparse-$series.log
		# Force a rebuild of every object so that sparse sees them all.
		rm -rf "$top/build/kmod/$KREL"
		make -C "$top" --no-print-directory modules KDIR="$KDIR" \
			KBUILD_ARGS="C=2 W=1" >"$log" 2>&1 ||
			{ cat "$log" >&2; echo "style.sh: build failed on $series" >&2; exit 1; }
		if grep -E 'warning:|error:' "$log"; then
			echo "sparse: $series: warnings (above); full log in $log"
			bad=1
		else
			echo "sparse: $series: clean (C=2 W=1)"
		fi
	done
	return $bad
}

case ${1:-} in
checkpatch) shift; checkpatch "$@" ;;
sparse) sparse ;;
*) echo "usage: style.sh checkpatch FILE... | sparse" >&2; exit 2 ;;
esac
