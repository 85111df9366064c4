/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters of the core, arena-wide: what the page daemon and the
 * fault path did.  Lock-free (per-CPU); a snapshot may be a little stale.
 */
#ifndef _VMARENA_STATS_H
#define _VMARENA_STATS_H

#include <linux/types.h>

enum vmarena_stat {
	VMARENA_STAT_FAULTS,		/* soft faults, every kind */
	VMARENA_STAT_FAULTS_MAPPED,	/* already in the fragments (fast path) */
	VMARENA_STAT_FAULTS_MINOR,	/* found resident in a cache */
	VMARENA_STAT_FAULTS_ZERO,	/* filled with zeros */
	VMARENA_STAT_FAULTS_MAJOR,	/* read from a store (file, swap) */
	VMARENA_STAT_FAULTS_COW,	/* copied up on write */
	VMARENA_STAT_PAGEINS,		/* pages read from a store */
	VMARENA_STAT_PAGEOUTS,		/* pages written to a store by paging */
	VMARENA_STAT_PAGEDAEMON_WAKEUPS, /* page daemon runs */
	VMARENA_STAT_PAGEDAEMON_SCANS,	/* pages it looked at */
	VMARENA_STAT_WRITE_TRACKED,	/* first writes to pages mapped read-only */
	VMARENA_STAT_PAGEDAEMON_REFERENCED, /* pages it found used lately */
	VMARENA_STAT_PTFRAG_TABLES_ALLOC, /* fragment table pages allocated */
	VMARENA_STAT_PTFRAG_TABLES_FREE, /* ... and freed */
	VMARENA_STAT_FAULTS_AHEAD,	/* pages zero-filled ahead of a fault */
	VMARENA_STAT_FILE_HANDOVERS,	/* written file pages handed to their file system */
	VMARENA_STAT_NR,
};

int vmarena_stats_init(void);
void vmarena_stats_uninit(void);
void vmarena_stat_inc(enum vmarena_stat stat);
void vmarena_stat_add(enum vmarena_stat stat, unsigned long n);
void vmarena_stats_read(u64 *out);

#endif /* _VMARENA_STATS_H */
