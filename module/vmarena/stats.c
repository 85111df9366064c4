// SPDX-License-Identifier: GPL-2.0
/*
 * Event counters of the core (stats.h).
 */
#include <linux/percpu.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "stats.h"

struct vmarena_stats_cpu {
	u64 count[VMARENA_STAT_NR];
};

static struct vmarena_stats_cpu __percpu *vmarena_stats;

int vmarena_stats_init(void)
{
	vmarena_stats = alloc_percpu(struct vmarena_stats_cpu);
	return vmarena_stats ? 0 : -ENOMEM;
}

void vmarena_stats_uninit(void)
{
	free_percpu(vmarena_stats);
}

/**
 * vmarena_stat_add() - count @n events
 * @stat: which
 * @n: how many
 *
 * Context: any.
 */
void vmarena_stat_add(enum vmarena_stat stat, unsigned long n)
{
	this_cpu_add(vmarena_stats->count[stat], n);
}

/**
 * vmarena_stat_inc() - count one event
 * @stat: which
 *
 * Context: any.
 */
void vmarena_stat_inc(enum vmarena_stat stat)
{
	vmarena_stat_add(stat, 1);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_stat_inc);

/**
 * vmarena_stats_read() - a snapshot of every counter
 * @out: VMARENA_STAT_NR values
 *
 * Context: any.
 */
void vmarena_stats_read(u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * VMARENA_STAT_NR);
	for_each_possible_cpu(cpu)
		for (i = 0; i < VMARENA_STAT_NR; i++)
			out[i] += per_cpu_ptr(vmarena_stats, cpu)->count[i];
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_stats_read);
