// SPDX-License-Identifier: GPL-2.0
/*
 * The page daemon (NewOS/Haiku page_daemon): a kernel thread that pages
 * out arena pages when the pool runs low under its cap (max_pages).  Lock
 * keys: locking.h.
 *
 * Watermarks.  "Available" is what can still be allocated: the pooled
 * (free and clear) pages plus the room left under the cap
 * (vmarena_page_available()).  They follow the cap:
 *
 *   low  = max(16, max_pages / 64), at most max_pages / 4
 *   high = 2 * low,                 at most max_pages / 2
 *
 * An allocation that leaves less than low available, or that fails, wakes
 * the daemon (a test of two counters under q, which the allocation holds
 * anyway); so does lowering the cap (the writable max_pages parameter).
 * Once woken, the daemon scans until high (and at least one page) is
 * available or a round of the scan frees and ages nothing.
 *
 * Victims, clock style.  Each round walks the inactive queue, then the
 * modified queue, then the active queue, each at most once round (the
 * page at the head is moved to the tail before it is looked at, so the
 * walk always moves on).  First the page's accessed bits are read and
 * cleared (vmarena_cache_test_and_clear_young()): those of its fragment
 * entries, which a fault that maps it sets, and those of the user
 * windows' PTEs that map it, which the MMU sets on every load and store.
 * A page used since the last look has its usage_count raised (faults raise
 * it too) and, if it was inactive, goes back to the active queue.  An idle
 * page whose usage_count is above 0 has it halved (decay: a heavily used
 * page needs a few rounds, at most ilog2(U8_MAX) + 1, not U8_MAX) and
 * stays; an idle active page whose usage_count is 0 goes to the inactive
 * queue; an idle inactive or modified page whose usage_count is 0 is paged
 * out with vmarena_pageout_page().
 *
 * File pages are the page cache's: written ones are handed to their file
 * system, and the arena lets go of them either way (the next fault finds
 * them in the page cache again, or reads them); pages the file let go of
 * (truncated, punched) go first.  Never paged out: wired
 * and busy pages; pages of caches whose store can neither page out nor
 * write back (device and null caches); pages
 * that an area of lock level other than VMARENA_LOCK_UNLOCKED may map, in
 * its own cache or in one below it (vmarena_pageout_cache_allowed(), under
 * the cache lock).
 *
 * A victim, safely.  Under q the daemon reads the page's ->cache and
 * ->offset (written under q too while the page is on an owned queue) and
 * takes a reference with kref_get_unless_zero(): a cache frees its pages
 * (under q) before it is freed, so one that owns a page on a queue is still
 * there.  Then q is dropped, the page is looked up again under the cache
 * lock (it may have gone or changed), and vmarena_pageout_page() checks
 * it once more under that lock.
 *
 * Allocation never waits for the daemon.  A faulting task may hold the
 * lock of the very cache whose page the daemon wants (the fault allocates
 * with its whole chain locked), so waiting there could deadlock.  An
 * allocation at the cap wakes the daemon and fails; the fault path
 * (fault.c), after it has dropped every vmarena lock, calls
 * vmarena_pagedaemon_reclaim(), which waits for one run of the daemon (at
 * most VMARENA_PAGEDAEMON_WAIT), and starts over: for as long as the
 * daemon pages something out, and for a bounded number of runs that page
 * out nothing (then a window touch gets SIGBUS).  The daemon takes no
 * lock a fault holds across that wait (a window fault holds mmap_lock;
 * unmapping user windows needs only i_mmap_rwsem and page-table locks).
 *
 * d (vmarena_pagedaemon_lock) is held by the daemon across a run and by
 * the KUnit pause hook: the page suites own pages under fake caches that
 * the daemon must not look at.
 */
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "trace.h"
#include "page_internal.h"
#include "pagedaemon.h"

/* Rounds of one run: enough to decay the largest usage_count to 0 and page out. */
#define VMARENA_PAGEDAEMON_ROUNDS	(ilog2(U8_MAX) + 3)
/* How long vmarena_pagedaemon_reclaim() waits for a run. */
#define VMARENA_PAGEDAEMON_WAIT		(2 * HZ)

static struct task_struct *vmarena_pagedaemon_task;
static DECLARE_WAIT_QUEUE_HEAD(vmarena_pagedaemon_wq);	/* the daemon sleeps */
static DECLARE_WAIT_QUEUE_HEAD(vmarena_pagedaemon_done_wq); /* waiters for a run */
static unsigned long vmarena_pagedaemon_kicked;		/* bit 0: run again */
static unsigned long vmarena_pagedaemon_started;	/* runs begun; the daemon writes */
static unsigned long vmarena_pagedaemon_done;		/* runs ended; the daemon writes */
static atomic_long_t vmarena_pagedaemon_freed;		/* pages paged out, ever */
static DEFINE_MUTEX(vmarena_pagedaemon_lock);		/* d */
static unsigned int vmarena_pagedaemon_paused;		/* d */

/**
 * vmarena_pagedaemon_watermarks() - the watermarks for a cap
 * @max_pages: the cap
 * @low: set to the low watermark: below it, the daemon is woken
 * @high: set to the high watermark: the daemon pages out until it is met
 *
 * Context: any; a pure function.
 */
void vmarena_pagedaemon_watermarks(unsigned long max_pages, unsigned long *low,
				   unsigned long *high)
{
	*low = min(max(16UL, max_pages / 64), max_pages / 4);
	*high = min(2 * *low, max_pages / 2);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pagedaemon_watermarks);

/**
 * vmarena_pagedaemon_wake() - ask the daemon for a run
 *
 * Cheap once it has been asked: one atomic bit.
 *
 * Context: any.  Does not sleep.
 */
void vmarena_pagedaemon_wake(void)
{
	if (!test_and_set_bit(0, &vmarena_pagedaemon_kicked))
		wake_up(&vmarena_pagedaemon_wq);
}

/**
 * vmarena_pagedaemon_age() - one look of the clock hand at a page
 * @cache: held by the caller, not locked
 * @offset: the page's index in @cache
 * @state: the queue being walked: the page is skipped unless it is there
 *
 * Under the cache's lock: read and clear the accessed bits of the page's
 * mappings and raise its usage (and reactivate it) if it was used, else
 * decay its usage, deactivate it, or name it a victim.
 *
 * Context: no vmarena lock held but d; takes c, then l, w, f, q, and
 * trylocks mmap_lock.  May sleep.
 * Return: a VMARENA_VISIT_* code.
 */
VISIBLE_IF_KUNIT int vmarena_pagedaemon_age(struct vmarena_cache *cache, pgoff_t offset,
					    enum vmarena_page_state state)
{
	struct vmarena_page *page;
	int ret = VMARENA_VISIT_SKIPPED;

	lockdep_assert_not_held(&cache->lock);
	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	if (!page || page->busy || page->wired_count || page->state != state)
		goto out;
	if (!vmarena_pageout_cache_allowed(cache))
		goto out;
	/* A file page the file let go of holds nothing: it goes first. */
	if (vmarena_cache_page_gone(cache, page)) {
		ret = VMARENA_VISIT_VICTIM;
		goto out;
	}
	if (vmarena_cache_test_and_clear_young(cache, offset, vmarena_page_pfn(page))) {
		if (page->usage_count < U8_MAX)
			page->usage_count++;
		if (state == VMARENA_PAGE_INACTIVE)
			WARN_ON_ONCE(vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE));
		vmarena_stat_inc(VMARENA_STAT_PAGEDAEMON_REFERENCED);
		ret = VMARENA_VISIT_AGED;
	} else if (page->usage_count) {
		page->usage_count >>= 1;
		ret = VMARENA_VISIT_AGED;
	} else if (state == VMARENA_PAGE_ACTIVE) {
		WARN_ON_ONCE(vmarena_page_set_state(page, VMARENA_PAGE_INACTIVE));
		ret = VMARENA_VISIT_AGED;
	} else {
		ret = VMARENA_VISIT_VICTIM;
	}
out:
	mutex_unlock(&cache->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pagedaemon_age);

/*
 * One step of the clock hand over the queue of @state.
 * Context: d held; takes q, then what vmarena_pagedaemon_age() and
 * vmarena_pageout_page() take.  Sleeps.
 */
static int vmarena_pagedaemon_visit(enum vmarena_page_state state)
{
	struct vmarena_cache *cache = NULL;
	struct vmarena_page *page;
	pgoff_t offset = 0;
	int ret;

	lockdep_assert_held(&vmarena_pagedaemon_lock);

	spin_lock(&vmarena_pageq_lock);
	page = vmarena_pool_rotate_locked(state);
	if (!page) {
		spin_unlock(&vmarena_pageq_lock);
		return VMARENA_VISIT_EMPTY;
	}
	if ((page->identity == VMARENA_PAGE_ID_CACHE || page->identity == VMARENA_PAGE_ID_FILE) &&
	    page->cache && kref_get_unless_zero(&page->cache->ref)) {
		cache = page->cache;
		offset = page->offset;
	}
	spin_unlock(&vmarena_pageq_lock);
	vmarena_stat_inc(VMARENA_STAT_PAGEDAEMON_SCANS);
	if (!cache)
		return VMARENA_VISIT_SKIPPED;

	ret = vmarena_pagedaemon_age(cache, offset, state);
	if (ret == VMARENA_VISIT_VICTIM)
		ret = vmarena_pageout_page(cache, offset) ?
		      VMARENA_VISIT_SKIPPED : VMARENA_VISIT_FREED;
	vmarena_cache_put(cache);
	return ret;
}

/*
 * Is @high available?  At least one page must be, so that a small cap
 * (watermarks 0) with more pages owned than it allows still gets paged
 * down below it.  Context: q and m not held; takes q.
 */
static bool vmarena_pagedaemon_enough(unsigned long high)
{
	return vmarena_page_available() >= max(high, 1UL);
}

/*
 * One run: rounds over the inactive, modified and active queues until the
 * high watermark is met, a round makes no progress, or the rounds run out.
 * Returns the pages paged out.
 * Context: d held; takes q, m, and what each visit takes.  Sleeps.
 */
static unsigned long vmarena_pagedaemon_scan(void)
{
	static const enum vmarena_page_state order[] = {
		VMARENA_PAGE_INACTIVE, VMARENA_PAGE_MODIFIED, VMARENA_PAGE_ACTIVE,
	};
	struct vmarena_page_stats stats;
	unsigned long low, high, freed = 0, n;
	unsigned int round, i;
	bool progress;
	int ret;

	lockdep_assert_held(&vmarena_pagedaemon_lock);

	vmarena_page_get_stats(&stats);
	vmarena_pagedaemon_watermarks(stats.max_pages, &low, &high);
	for (round = 0; round < VMARENA_PAGEDAEMON_ROUNDS; round++) {
		progress = false;
		for (i = 0; i < ARRAY_SIZE(order); i++) {
			for (n = vmarena_pool_count(order[i]); n; n--) {
				if (vmarena_pagedaemon_enough(high) || kthread_should_stop())
					return freed;
				ret = vmarena_pagedaemon_visit(order[i]);
				if (ret == VMARENA_VISIT_EMPTY)
					break;
				if (ret == VMARENA_VISIT_FREED)
					freed++;
				if (ret != VMARENA_VISIT_SKIPPED)
					progress = true;
				cond_resched();
			}
		}
		if (!progress)
			break;
	}
	return freed;
}

/*
 * One run, counted and traced.
 * Context: d held; as vmarena_pagedaemon_scan().  Sleeps.
 */
static void vmarena_pagedaemon_run(void)
{
	struct vmarena_page_stats stats;
	unsigned long freed;

	lockdep_assert_held(&vmarena_pagedaemon_lock);
	freed = vmarena_pagedaemon_scan();
	atomic_long_add(freed, &vmarena_pagedaemon_freed);
	if (trace_vmarena_pagedaemon_run_enabled()) {
		vmarena_page_get_stats(&stats);
		trace_vmarena_pagedaemon_run(READ_ONCE(vmarena_pagedaemon_started), freed,
					     vmarena_page_available(), stats.max_pages);
	}
}

/* The daemon.  Context: a kthread, no lock held; takes d.  Sleeps. */
static int vmarena_pagedaemon_thread(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event_interruptible(vmarena_pagedaemon_wq,
					 test_bit(0, &vmarena_pagedaemon_kicked) ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		clear_bit(0, &vmarena_pagedaemon_kicked);
		WRITE_ONCE(vmarena_pagedaemon_started, vmarena_pagedaemon_started + 1);
		vmarena_stat_inc(VMARENA_STAT_PAGEDAEMON_WAKEUPS);

		mutex_lock(&vmarena_pagedaemon_lock);
		if (!vmarena_pagedaemon_paused)
			vmarena_pagedaemon_run();
		mutex_unlock(&vmarena_pagedaemon_lock);

		WRITE_ONCE(vmarena_pagedaemon_done, vmarena_pagedaemon_started);
		wake_up_all(&vmarena_pagedaemon_done_wq);
	}
	return 0;
}

/*
 * Wake the daemon and wait for a run that began after now.
 * Context: no vmarena lock held (the run takes d, then any).  Sleeps.
 */
static bool vmarena_pagedaemon_kick_and_wait(long timeout)
{
	unsigned long gen = READ_ONCE(vmarena_pagedaemon_started);

	might_sleep();
	vmarena_pagedaemon_wake();
	return wait_event_timeout(vmarena_pagedaemon_done_wq,
				  (long)(READ_ONCE(vmarena_pagedaemon_done) - gen) > 0,
				  timeout) > 0;
}

/**
 * vmarena_pagedaemon_reclaim() - make room for an allocation that failed
 *
 * Wakes the daemon and waits for one run, at most VMARENA_PAGEDAEMON_WAIT.
 *
 * Context: no vmarena lock held (the daemon may need any cache lock).
 * Sleeps.
 *
 * Return: true when something can be allocated now, or the daemon paged
 * something out while we waited (others may have taken it first): worth
 * trying again; false when a run found nothing to page out, or none ended
 * in time.
 */
bool vmarena_pagedaemon_reclaim(void)
{
	long freed = atomic_long_read(&vmarena_pagedaemon_freed);

	if (vmarena_page_available())
		return true;
	if (!READ_ONCE(vmarena_pagedaemon_task))
		return false;
	vmarena_pagedaemon_kick_and_wait(VMARENA_PAGEDAEMON_WAIT);
	/*
	 * Room now, or the daemon paged something out meanwhile: other
	 * faults may have taken those pages first, but the pool is moving.
	 */
	return vmarena_page_available() ||
	       atomic_long_read(&vmarena_pagedaemon_freed) != freed;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * vmarena_pagedaemon_run_sync() - wake the daemon and wait for a run
 * @timeout_ms: the longest wait
 *
 * Context: no vmarena lock held.  Sleeps.  Return: 0, or -ETIMEDOUT.
 */
VISIBLE_IF_KUNIT int vmarena_pagedaemon_run_sync(unsigned long timeout_ms)
{
	return vmarena_pagedaemon_kick_and_wait(msecs_to_jiffies(timeout_ms)) ? 0 : -ETIMEDOUT;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pagedaemon_run_sync);

/**
 * vmarena_pagedaemon_pause() - stop (or, @pause false, resume) scanning
 * @pause: true to pause; pauses nest
 *
 * Once it returns, no run looks at the page queues until resumed.  For the
 * page suites, whose pages their owners' indexes do not hold.
 *
 * Context: no vmarena lock held; takes d.  Sleeps.
 */
VISIBLE_IF_KUNIT void vmarena_pagedaemon_pause(bool pause)
{
	mutex_lock(&vmarena_pagedaemon_lock);
	if (pause)
		vmarena_pagedaemon_paused++;
	else if (!WARN_ON_ONCE(!vmarena_pagedaemon_paused))
		vmarena_pagedaemon_paused--;
	mutex_unlock(&vmarena_pagedaemon_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pagedaemon_pause);
#endif

/**
 * vmarena_pagedaemon_init() - start the daemon
 *
 * Context: at load, no lock held.  Sleeps.
 * Return: 0, or the error of kthread_run().
 */
int vmarena_pagedaemon_init(void)
{
	struct task_struct *task;

	task = kthread_run(vmarena_pagedaemon_thread, NULL, "vmarena_pagedaemon");
	if (IS_ERR(task))
		return PTR_ERR(task);
	WRITE_ONCE(vmarena_pagedaemon_task, task);
	return 0;
}

/**
 * vmarena_pagedaemon_uninit() - stop the daemon, waiting for its run
 *
 * Context: at unload, no vmarena lock held.  Sleeps.
 */
void vmarena_pagedaemon_uninit(void)
{
	struct task_struct *task = vmarena_pagedaemon_task;

	WRITE_ONCE(vmarena_pagedaemon_task, NULL);
	kthread_stop(task);
}
