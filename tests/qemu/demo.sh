#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo that `make run` shows, run inside the guest after vmarena is
# loaded.  Each step prints the command it runs, then its output.  The
# arena is looked at and managed with vmarenactl; vmarena-demo-app writes
# to pages (vmarenactl only looks), then shows sharing, write-back, the
# super-lock's zero faults and paging.  The copy-on-write write and the
# paging run are traced (README "Tracing"): each fault, page-out and
# page-in is one event.
set -e

tracing=/sys/kernel/tracing
[ -d $tracing/events ] || mount -t tracefs tracefs $tracing

# Record vmarena's events @1 (space-separated) while the rest runs.
traced() {
	events=$1
	shift
	echo > $tracing/trace
	for e in $events; do
		echo 1 > $tracing/events/vmarena/$e/enable
	done
	run "$@"
	for e in $events; do
		echo 0 > $tracing/events/vmarena/$e/enable
	done
}

run() {
	echo "\$ $*"
	"$@"
	echo
}

run ls -l /dev/vmarena
run vmarenactl version
run cat /sys/module/vmarena/version

echo "== vmarenactl: an aspace, its areas, a copy-on-write chain"
run vmarenactl aspace create db size 4M
run vmarenactl area create db buffer size 64K prot rw
run vmarenactl area create db pinned size 16K prot rw
# A lock is its process's: this one holds it until it is stopped.
echo "\$ vmarenactl area lock db pinned &"
vmarenactl area lock db pinned &
locker=$!
sleep 1
run vmarena-demo-app write db buffer 0 1 2 3 8
run vmarenactl area clone db buffer name draft private
echo "== the copy-on-write write, traced: one fault per page, outcome=cow"
traced vmarena_fault vmarena-demo-app write db draft 1
echo "\$ grep -o 'vmarena_fault: .*' $tracing/trace"
grep -o 'vmarena_fault: .*' $tracing/trace
echo
run vmarenactl aspace list
run vmarenactl -s area list db
run vmarenactl cache show db draft
run vmarenactl page map db buffer
run vmarenactl page map db draft
run vmarenactl translate db 0x40001000
run vmarenactl -j -p area show db draft

echo "== vmarenactl monitor, while areas change"
vmarenactl monitor > /tmp/monitor.out &
monitor=$!
sleep 1
run vmarenactl area resize db draft 128K
echo "\$ kill \$locker    # the lock ends with its holder"
kill $locker
wait $locker
run vmarenactl area delete db buffer
sleep 1
kill -INT $monitor
wait $monitor
run cat /tmp/monitor.out

echo "== the demo program, traced: its paging step pages out and in"
traced "vmarena_fault vmarena_pageout vmarena_pagein vmarena_pagedaemon_run" vmarena-demo-app
echo "\$ # events by kind and fault outcome"
grep -o 'vmarena_[a-z_]*: \|outcome=[a-z]*' $tracing/trace | sort | uniq -c
echo "\$ # the first page-out and page-in"
grep -m1 -o 'vmarena_pageout: .*' $tracing/trace
grep -m1 -o 'vmarena_pagein: .*' $tracing/trace
echo
run vmarenactl -s stats
run vmarenactl aspace delete db
