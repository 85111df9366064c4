// SPDX-License-Identifier: GPL-2.0
/*
 * The clear-page pool: a worker keeps up to clear_target zeroed pages on the
 * clear queue, so that a fault on anonymous memory takes a page that is
 * already zero instead of clearing one in line.
 *
 * The worker is a work item on system_unbound_wq.  Each fill takes pages
 * off the free queue (free -> busy), zeroes them with no lock held and puts
 * them on the clear queue (busy -> free -> clear); when the free queue is
 * empty it takes zeroed pages from the kernel, within the cap.  Nothing is
 * filled at load: the first zeroed allocation kicks the worker.
 *
 * Locks: vmarena_clear_mutex serialises fills (the worker's and
 * vmarena_clear_fill_sync()'s), so that two fills never overshoot the
 * target together; it is taken before q and never under any lock of
 * locking.h.  vmarena_clear_enabled is q: the kick tests it and queues the
 * work under q, so that no kick can queue the work after
 * vmarena_clear_uninit() has cancelled it.
 */
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "locking.h"
#include "page.h"
#include "page_internal.h"

static DEFINE_MUTEX(vmarena_clear_mutex);
static bool vmarena_clear_enabled;	/* q */
static struct work_struct vmarena_clear_work;

/*
 * clear_target is read without a lock by the worker and the kick; a change
 * is seen by the next fill.  Writing a lower value gives the clear pages
 * beyond it back to the free queue at once, so 0 empties the pool and
 * turns the worker off: every zero-filled fault then zeroes its page in
 * line (benchmarks compare both ways).
 */
static unsigned long clear_target = 64;

static int vmarena_clear_target_set(const char *val, const struct kernel_param *kp)
{
	unsigned long old = READ_ONCE(clear_target);
	bool running;
	int ret;

	ret = param_set_ulong(val, kp);
	if (ret)
		return ret;
	/* At load (modprobe clear_target=N) the worker is not set up yet. */
	spin_lock(&vmarena_pageq_lock);
	running = vmarena_clear_enabled;
	spin_unlock(&vmarena_pageq_lock);
	if (!running)
		return 0;
	/* Empty the queue when lowered; either way let the worker refill. */
	if (READ_ONCE(clear_target) < old)
		vmarena_clear_drain();
	vmarena_clear_kick();
	return 0;
}

static const struct kernel_param_ops vmarena_clear_target_ops = {
	.set = vmarena_clear_target_set,
	.get = param_get_ulong,
};

module_param_cb(clear_target, &vmarena_clear_target_ops, &clear_target, 0644);
MODULE_PARM_DESC(clear_target,
		 "Zeroed pages the clear worker keeps ready; writable: lowering it drains the pool, 0 disables it");

/*
 * One fill: zero pages until the clear queue holds clear_target pages or
 * there is nothing left to zero.  Returns how many pages it added.
 * Context: no vmarena lock held; takes vmarena_clear_mutex, then q.  Sleeps.
 */
static unsigned long vmarena_clear_fill(void)
{
	struct vmarena_page *p;
	unsigned long n = 0;
	bool zeroed;

	mutex_lock(&vmarena_clear_mutex);
	while ((p = vmarena_pool_take_for_clear(READ_ONCE(clear_target), &zeroed))) {
		if (!zeroed)
			clear_highpage(p->page);
		vmarena_pool_put_clear(p);
		n++;
		cond_resched();
	}
	mutex_unlock(&vmarena_clear_mutex);
	return n;
}

/* The work item: one fill.  Context: the workqueue, no lock held.  Sleeps. */
static void vmarena_clear_work_fn(struct work_struct *work)
{
	vmarena_clear_fill();
}

/**
 * vmarena_clear_target() - how many zeroed pages the worker keeps ready
 *
 * Context: any; a snapshot of the parameter.
 */
unsigned long vmarena_clear_target(void)
{
	return READ_ONCE(clear_target);
}

/**
 * vmarena_clear_kick() - let the worker top the clear queue up
 *
 * Does nothing when the queue is at its target or the worker is stopped.
 *
 * Context: takes q, so the caller holds neither q nor m (c may be held).
 * Does not sleep: callable from NOWAIT allocations.
 */
void vmarena_clear_kick(void)
{
	spin_lock(&vmarena_pageq_lock);
	if (vmarena_clear_enabled && vmarena_pool_clear_wanted_locked(READ_ONCE(clear_target)))
		queue_work(system_unbound_wq, &vmarena_clear_work);
	spin_unlock(&vmarena_pageq_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_clear_kick);

/**
 * vmarena_clear_fill_sync() - one fill, now, in the caller's context
 *
 * Waits for a fill the worker is running, then fills.  For tests.
 *
 * Context: no vmarena lock held.  Sleeps.
 *
 * Return: how many pages this call zeroed and put on the clear queue.
 */
unsigned long vmarena_clear_fill_sync(void)
{
	might_sleep();
	return vmarena_clear_fill();
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_clear_fill_sync);

/**
 * vmarena_clear_drain() - every clear page back to the free queue
 *
 * The pending or running fill is cancelled first (and waited for), so the
 * clear queue is empty on return unless something kicks the worker after.
 * For tests.
 *
 * Context: no vmarena lock held.  Sleeps.
 */
void vmarena_clear_drain(void)
{
	might_sleep();
	cancel_work_sync(&vmarena_clear_work);
	mutex_lock(&vmarena_clear_mutex);
	vmarena_pool_drain_clear();
	mutex_unlock(&vmarena_clear_mutex);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_clear_drain);

/**
 * vmarena_clear_init() - ready the worker (it first runs on a kick)
 *
 * Context: at load, after vmarena_page_init(); takes q.
 *
 * Return: 0.
 */
int vmarena_clear_init(void)
{
	INIT_WORK(&vmarena_clear_work, vmarena_clear_work_fn);
	spin_lock(&vmarena_pageq_lock);
	vmarena_clear_enabled = true;
	spin_unlock(&vmarena_pageq_lock);
	return 0;
}

/**
 * vmarena_clear_uninit() - stop the worker for good
 *
 * The clear pages stay in the pool; vmarena_page_uninit() gives them back.
 *
 * Context: no vmarena lock held, before vmarena_page_uninit().  Sleeps.
 */
void vmarena_clear_uninit(void)
{
	spin_lock(&vmarena_pageq_lock);
	vmarena_clear_enabled = false;
	spin_unlock(&vmarena_pageq_lock);
	cancel_work_sync(&vmarena_clear_work);
}
