#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [LANE...]: run the test lanes (by default the host-side packaging
# checks, host.sh, and the four qemu lanes) and end with the line
# "N passed, N failed".  Exit status 0 only when nothing failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=(host debug-6.1 debug-6.12 stock-6.1 stock-6.12)

dirs=()
for lane in "${lanes[@]}"; do
	echo "=== lane $lane ==="
	start=$(date +%s)
	if [ "$lane" = host ]; then
		"$here/host.sh"
	else
		"$here/lane.sh" "$lane" check
	fi
	echo "=== lane $lane: $(($(date +%s) - start)) s ==="
	dirs+=("$top/build/lanes/$lane")
done
"$here/report.py" total "${dirs[@]}"
