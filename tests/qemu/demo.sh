#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo that `make run` shows, run inside the guest after vmarena is
# loaded.  Each step prints the command it runs, then its output.  The
# arena is looked at and managed with vmarenactl; vmarena-demo-app writes
# to pages (vmarenactl only looks), then shows sharing, write-back, the
# super-lock's zero faults and paging.
set -e

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
run vmarena-demo-app write db draft 1
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

run vmarena-demo-app
run vmarenactl -s stats
run vmarenactl aspace delete db
