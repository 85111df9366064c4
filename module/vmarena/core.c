// SPDX-License-Identifier: GPL-2.0
/*
 * The core's parts, brought up in order and taken down in reverse.
 */
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>
#include <kunit/visibility.h>

#include "vmarena.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/* SRCU, not RCU: an object event's receiver may sleep (event.h). */
DEFINE_STATIC_SRCU(vmarena_event_srcu);
static const struct vmarena_event_ops __rcu *vmarena_event_ops;

/**
 * vmarena_event_register() - send the core's events to @ops
 * @ops: lives until vmarena_event_unregister() returns
 *
 * Context: any.
 */
void vmarena_event_register(const struct vmarena_event_ops *ops)
{
	rcu_assign_pointer(vmarena_event_ops, ops);
}

/**
 * vmarena_event_unregister() - send them nowhere; no call runs on return
 *
 * Context: no vmarena lock held.  Sleeps.
 */
void vmarena_event_unregister(void)
{
	RCU_INIT_POINTER(vmarena_event_ops, NULL);
	synchronize_srcu(&vmarena_event_srcu);
}

/* Context: any (event.h). */
void vmarena_event_commit_exhausted(u64 bytes)
{
	const struct vmarena_event_ops *ops;

	int idx = srcu_read_lock(&vmarena_event_srcu);

	ops = srcu_dereference(vmarena_event_ops, &vmarena_event_srcu);
	if (ops)
		ops->commit_exhausted(bytes);
	srcu_read_unlock(&vmarena_event_srcu, idx);
}

/* Context: any (event.h). */
void vmarena_event_pool_exhausted(void)
{
	const struct vmarena_event_ops *ops;

	int idx = srcu_read_lock(&vmarena_event_srcu);

	ops = srcu_dereference(vmarena_event_ops, &vmarena_event_srcu);
	if (ops)
		ops->pool_exhausted();
	srcu_read_unlock(&vmarena_event_srcu, idx);
}

/* Context: may sleep; no vmarena lock held (event.h). */
void vmarena_event_area_lock_ended(struct vmarena_area *area)
{
	const struct vmarena_event_ops *ops;
	int idx;

	might_sleep();
	idx = srcu_read_lock(&vmarena_event_srcu);
	ops = srcu_dereference(vmarena_event_ops, &vmarena_event_srcu);
	if (ops)
		ops->area_lock_ended(area);
	srcu_read_unlock(&vmarena_event_srcu, idx);
}

int vmarena_core_init(void)
{
	int ret;

	ret = vmarena_stats_init();
	if (ret)
		return ret;
	ret = vmarena_limits_init();
	if (ret)
		goto err_stats;
	ret = vmarena_page_init();
	if (ret)
		goto err_limits;
	ret = vmarena_clear_init();
	if (ret)
		goto err_page;
	ret = vmarena_memlock_init();
	if (ret)
		goto err_clear;
	ret = vmarena_swap_init();
	if (ret)
		goto err_wire;
	ret = vmarena_pagedaemon_init();
	if (ret)
		goto err_swap;
	ret = vmarena_cache_init();
	if (ret)
		goto err_pagedaemon;
	ret = vmarena_filecache_init();
	if (ret)
		goto err_cache;
	ret = vmarena_area_init();
	if (ret)
		goto err_filecache;
	ret = vmarena_aspace_init();
	if (ret)
		goto err_area;
	return 0;

err_area:
	vmarena_area_uninit();
err_filecache:
	vmarena_filecache_uninit();
err_cache:
	vmarena_cache_uninit();
err_pagedaemon:
	vmarena_pagedaemon_uninit();
err_swap:
	vmarena_swap_uninit();
err_wire:
	vmarena_memlock_uninit();
err_clear:
	vmarena_clear_uninit();
err_page:
	vmarena_page_uninit();
err_limits:
	vmarena_limits_uninit();
err_stats:
	vmarena_stats_uninit();
	return ret;
}

void vmarena_core_uninit(void)
{
	vmarena_lockrec_uninit();
	vmarena_aspace_uninit();
	vmarena_area_uninit();
	vmarena_filecache_uninit();
	vmarena_cache_uninit();
	vmarena_pagedaemon_uninit();
	vmarena_swap_uninit();
	vmarena_memlock_uninit();
	vmarena_clear_uninit();
	vmarena_page_uninit();
	vmarena_limits_uninit();
	vmarena_stats_uninit();
}
