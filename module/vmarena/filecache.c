// SPDX-License-Identifier: GPL-2.0
/*
 * File caches: one cache per inode over a file store (store_file.c), whose
 * pages are the file's own page-cache pages; which of them were written
 * through a mapping; and handing those to the file system, so that no
 * written byte is ever dropped.  Lock keys: locking.h.
 *
 * Written pages.  The mark VMARENA_CACHE_WRITTEN on a page of the cache's
 * index (c) says that the page may hold bytes written through a mapping
 * that its file system has not been told of.  The rules:
 *
 * - A file page is mapped writable (in the fragments, and so in windows)
 *   only while it is marked: a read fault maps it without write; a write
 *   fault, or wiring it for write, marks it (vmarena_filecache_written())
 *   and queues the cache for the file writer.
 * - A marked page is handed over (the store's handover(): what write(2)
 *   does to the page cache) by the file writer, a second after the cache's
 *   first mark; by SYNC, msync() and fsync() of the aspace fd, which then
 *   wait for the file system to write it back; by page-out, before the
 *   page leaves the arena (pageout.c); and at the cache's end.
 * - Before a page that is not wired is handed over, its mappings lose
 *   write (vmarena_cache_wrprotect_pfn()) and the mark goes, under c: a
 *   write after that faults and marks it again.  A wired page never
 *   faults: it is handed over and stays marked, and comes out of its
 *   wiring modified (vmarena_cache_page_unwired()).
 * - The end of a file cache (its last reference): unmarked pages go at
 *   once; marked ones leave the pfn index and wait for the writer, which
 *   hands them over and then frees them and the cache.  The cache leaves
 *   the inode table first, so a new mapping of the file starts a new
 *   cache at once, and may take the same pages.
 *
 * The file writer is one work item over two lists under b: live caches
 * with marked pages, written back a second after they were queued (their
 * place on the list holds no reference), and ended caches, handed over at
 * once.  It
 * runs with no vmarena lock held, so that handing over may take the file
 * system's locks (the inode lock comes before mmap_lock: never in a
 * fault, never under a vmarena lock).  Pages it has not handed over yet
 * are counted in the stats (out_file_pending); the module's unload waits
 * for it.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* How long after a cache's first mark the writer hands its pages over. */
#define VMARENA_FILEWB_DELAY	HZ
/* Pages handed over per hold of c. */
#define VMARENA_FILEWB_BATCH	16

/* v: the table from inode to file cache (locking.h) */
static DEFINE_MUTEX(vmarena_file_caches_lock);
static LIST_HEAD(vmarena_file_caches);			/* v */

static struct {
	spinlock_t lock;		/* b */
	struct list_head live;		/* b: caches with marked pages (no reference) */
	struct list_head dying;		/* b: ended caches with marked pages */
	struct delayed_work work;
} vmarena_filewb;

/* Written pages whose area has gone, not handed over yet (ORPHANED marks). */
static atomic_long_t vmarena_filecache_orphans = ATOMIC_LONG_INIT(0);

/* Pages of a collect: each with a page reference, handed over with no lock. */
struct vmarena_filewb_batch {
	unsigned int n;
	pgoff_t offset[VMARENA_FILEWB_BATCH];
	struct page *page[VMARENA_FILEWB_BATCH];
};

/*
 * Queue @cache for the writer.  A live cache's place holds no reference:
 * the writer takes one if the cache still lives, and a cache that ends
 * takes itself off the live list first (vmarena_filecache_end()), so that
 * the writer never delays the end of a cache, nor its count of pending
 * pages.
 * Context: c of @cache held (a live cache), or @cache ending; takes b.
 */
static void vmarena_filewb_queue(struct list_head *list, struct vmarena_cache *cache,
				 unsigned long delay)
{
	spin_lock(&vmarena_filewb.lock);
	if (list_empty(&cache->wb_link))
		list_add_tail(&cache->wb_link, list);
	spin_unlock(&vmarena_filewb.lock);
	if (delay)
		queue_delayed_work(system_unbound_wq, &vmarena_filewb.work, delay);
	else
		mod_delayed_work(system_unbound_wq, &vmarena_filewb.work, 0);
}

/**
 * vmarena_cache_get_file() - the cache of @file's inode, created if needed
 * @file: the file to map: readable
 * @shared: the mapping is shared: a file open for writing becomes the
 *	cache's writer, if it has none (store_file.c)
 *
 * Every mapping of one file shares one cache, so that two areas mapping
 * the same file see the same pages.  Returns a reference or an ERR_PTR.
 *
 * Context: no vmarena lock held; takes v, then c.  May sleep.
 */
struct vmarena_cache *vmarena_cache_get_file(struct file *file, bool shared)
{
	const void *key = file_inode(file);
	struct vmarena_store *store;
	struct vmarena_cache *cache;
	bool found = false;

	might_sleep();
	mutex_lock(&vmarena_file_caches_lock);
	list_for_each_entry(cache, &vmarena_file_caches, file_link) {
		if (cache->file_key == key && kref_get_unless_zero(&cache->ref)) {
			found = true;
			break;
		}
	}
	if (!found) {
		cache = ERR_PTR(-ENOMEM);
		store = vmarena_store_file_create(file);
		if (!store)
			goto out;
		cache = vmarena_cache_create(store, false);
		if (!cache) {
			cache = ERR_PTR(-ENOMEM);
			goto out;
		}
		cache->file_key = key;
		list_add(&cache->file_link, &vmarena_file_caches);
	}
	if (shared) {
		mutex_lock(&cache->lock);
		vmarena_store_file_offer(cache->store, file);
		mutex_unlock(&cache->lock);
	}
out:
	mutex_unlock(&vmarena_file_caches_lock);
	return cache;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_get_file);

/**
 * vmarena_filecache_is_written() - is @page marked written?
 * @cache: a file cache, locked
 * @page: a page of @cache
 *
 * Context: c held.  Does not sleep.
 */
bool vmarena_filecache_is_written(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	return xa_get_mark(&cache->pages, page->offset, VMARENA_CACHE_WRITTEN);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_is_written);

/**
 * vmarena_filecache_written() - @page is about to be mapped writable
 * @cache: a file cache, locked, that owns @page
 * @page: in @cache's index
 *
 * Marks it, and queues the cache for the file writer if it was not
 * marked.
 *
 * Context: c held; takes b.  Does not sleep.
 */
void vmarena_filecache_written(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	if (xa_get_mark(&cache->pages, page->offset, VMARENA_CACHE_WRITTEN))
		return;
	xa_set_mark(&cache->pages, page->offset, VMARENA_CACHE_WRITTEN);
	vmarena_filewb_queue(&vmarena_filewb.live, cache, VMARENA_FILEWB_DELAY);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_written);

/* Count @offset, marked written, as orphaned.  Context: c held. */
static void vmarena_filecache_set_orphan(struct vmarena_cache *cache, pgoff_t offset)
{
	lockdep_assert_held(&cache->lock);
	if (xa_get_mark(&cache->pages, offset, VMARENA_CACHE_ORPHANED))
		return;
	xa_set_mark(&cache->pages, offset, VMARENA_CACHE_ORPHANED);
	atomic_long_inc(&vmarena_filecache_orphans);
}

/* Not orphaned any more; returns whether it was.  Context: c held. */
static bool vmarena_filecache_clear_orphan(struct vmarena_cache *cache, pgoff_t offset)
{
	lockdep_assert_held(&cache->lock);
	if (!xa_get_mark(&cache->pages, offset, VMARENA_CACHE_ORPHANED))
		return false;
	xa_clear_mark(&cache->pages, offset, VMARENA_CACHE_ORPHANED);
	atomic_long_dec(&vmarena_filecache_orphans);
	return true;
}

/**
 * vmarena_filecache_unmark() - page @offset of file cache @cache has
 *	nothing to hand over (any more): neither written nor orphaned
 * @cache: locked
 * @offset: a page of @cache
 *
 * Called when the page is handed over, and when it leaves the cache
 * (vmarena_cache_remove_page()).
 *
 * Context: c held.  Does not sleep.
 */
void vmarena_filecache_unmark(struct vmarena_cache *cache, pgoff_t offset)
{
	lockdep_assert_held(&cache->lock);
	xa_clear_mark(&cache->pages, offset, VMARENA_CACHE_WRITTEN);
	vmarena_filecache_clear_orphan(cache, offset);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_unmark);

/**
 * vmarena_filecache_take() - @page is about to be handed over
 * @cache: locked, owns @page, which is marked written
 * @page: unless it is wired, it loses write in every mapping and its
 *	written mark, so that its next write marks it again
 *
 * An orphaned page stays counted as pending until the handover is done
 * (vmarena_filecache_handed(), or it leaves the cache).
 *
 * Context: c held; takes l, then f and i_mmap_rwsem, and q.  May sleep.
 */
void vmarena_filecache_take(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	if (page->wired_count)
		return;
	vmarena_cache_wrprotect_pfn(cache, page->offset, vmarena_page_pfn(page));
	xa_clear_mark(&cache->pages, page->offset, VMARENA_CACHE_WRITTEN);
	if (page->state == VMARENA_PAGE_MODIFIED)
		vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_take);

/**
 * vmarena_filecache_remark() - @page's handover failed: it keeps its
 *	bytes to hand over, marked written again
 * @cache: locked, owns @page
 * @page: as vmarena_filecache_take() left it
 *
 * Context: c held; takes q.
 */
void vmarena_filecache_remark(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	xa_set_mark(&cache->pages, page->offset, VMARENA_CACHE_WRITTEN);
	if (page->state == VMARENA_PAGE_ACTIVE || page->state == VMARENA_PAGE_INACTIVE)
		vmarena_page_set_state(page, VMARENA_PAGE_MODIFIED);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_remark);

/*
 * A collector handed @pg, page @offset of @cache, over (@err: or failed
 * to: vmarena_filecache_remark()): it is not being handed over any more,
 * nor pending if it was, and syncs waiting for it look again.
 * Context: no vmarena lock held; takes c, then q.  May sleep.
 */
static void vmarena_filecache_handed(struct vmarena_cache *cache, pgoff_t offset,
				     struct page *pg, int err)
{
	struct vmarena_page *page;

	lockdep_assert_not_held(&cache->lock);
	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	if (page && page->page == pg) {
		xa_clear_mark(&cache->pages, offset, VMARENA_CACHE_HANDING);
		if (err)
			vmarena_filecache_remark(cache, page);
		else
			vmarena_filecache_clear_orphan(cache, offset);
	}
	vmarena_cache_wake_waiters(cache);
	mutex_unlock(&cache->lock);
}

/**
 * vmarena_filecache_orphan() - an area of @cache mapping [@start, @end)
 *	(pages) went, or shrank off it
 * @cache: locked; anything but a file cache has nothing to do
 * @start: first page index
 * @end: one past the last
 *
 * What it wrote there is handed over now, by the writer, without its
 * delay (another mapping of the file may still write those pages: they
 * stay the file's): they count as pending (out_file_pending) until then.
 *
 * Context: c held; takes b.  Does not sleep.
 */
void vmarena_filecache_orphan(struct vmarena_cache *cache, pgoff_t start, pgoff_t end)
{
	unsigned long i = start;
	bool any = false;
	void *entry;

	lockdep_assert_held(&cache->lock);
	if (!vmarena_cache_is_file(cache) || start >= end)
		return;
	for (entry = xa_find(&cache->pages, &i, end - 1, VMARENA_CACHE_WRITTEN); entry;
	     entry = xa_find_after(&cache->pages, &i, end - 1, VMARENA_CACHE_WRITTEN)) {
		vmarena_filecache_set_orphan(cache, i);
		any = true;
	}
	if (any)
		vmarena_filewb_queue(&vmarena_filewb.live, cache, 0);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_orphan);

/**
 * vmarena_filecache_pending() - written pages of gone areas (and ended
 *	caches) that wait for the writer
 *
 * What VMARENA_IOC_STATS reports as out_file_pending.
 *
 * Context: any.
 */
unsigned long vmarena_filecache_pending(void)
{
	return max(atomic_long_read(&vmarena_filecache_orphans), 0L);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_pending);

/*
 * Take the next marked pages of @cache in [*@index, @end) into @b: those
 * not wired lose write in every mapping and their mark first, and are
 * marked as being handed over.  With @sync, every page in the range is
 * looked at, those the file let go of (and that are not wired) are
 * dropped, and a page that another collector is handing over, or a
 * page-out (busy), is waited for: it may have taken the mark, and a sync
 * returns only once what was written before it is the file system's.
 * Returns true after such a wait, with no lock held: call again.
 * Context: no vmarena lock held; takes c, then l, f, i_mmap_rwsem, q.
 * Sleeps.
 */
static bool vmarena_filecache_collect(struct vmarena_cache *cache, pgoff_t *index, pgoff_t end,
				      bool sync, struct vmarena_filewb_batch *b)
{
	xa_mark_t filter = sync ? XA_PRESENT : VMARENA_CACHE_WRITTEN;
	struct vmarena_page *page;
	unsigned long i = *index;
	unsigned int gen;

	lockdep_assert_not_held(&cache->lock);
	b->n = 0;
	mutex_lock(&cache->lock);
	for (page = xa_find(&cache->pages, &i, end - 1, filter); page;
	     page = xa_find_after(&cache->pages, &i, end - 1, filter)) {
		if (page->busy || xa_get_mark(&cache->pages, i, VMARENA_CACHE_HANDING)) {
			if (!sync)
				continue;	/* on its way already */
			gen = cache->busy_gen;
			*index = i;
			mutex_unlock(&cache->lock);
			vmarena_cache_wait_busy(cache, gen);
			return true;
		}
		if (vmarena_cache_page_gone(cache, page)) {
			if (!page->wired_count)
				vmarena_cache_drop_page(cache, page);
			continue;
		}
		if (!vmarena_filecache_is_written(cache, page))
			continue;
		vmarena_filecache_take(cache, page);
		xa_set_mark(&cache->pages, i, VMARENA_CACHE_HANDING);
		get_page(page->page);
		b->offset[b->n] = i;
		b->page[b->n++] = page->page;
		if (b->n == VMARENA_FILEWB_BATCH)
			break;
	}
	/* The next call starts after the last page taken, or finds nothing. */
	*index = b->n == VMARENA_FILEWB_BATCH ? b->offset[b->n - 1] + 1 : end;
	mutex_unlock(&cache->lock);
	return false;
}

/**
 * vmarena_filecache_writeback() - hand the written pages of [@start, @end)
 *	of @cache to the file system
 * @cache: held by the caller, not locked; anything but a file cache has
 *	nothing to hand over
 * @start: first page index
 * @end: one past the last
 * @sync: SYNC: also drop pages the file let go of, and wait until the
 *	file system has written the range back
 *
 * Returns 0 or the first error; a page that failed stays marked.
 *
 * Context: no vmarena lock held, not in a page fault (the file system's
 * inode lock is taken); takes c, l, f, q, then the file system's locks.
 * Sleeps.
 */
int vmarena_filecache_writeback(struct vmarena_cache *cache, pgoff_t start, pgoff_t end,
				bool sync)
{
	struct vmarena_store *store = cache->store;
	struct vmarena_filewb_batch *b;
	pgoff_t index = start;
	bool again;
	int ret = 0, err;
	unsigned int i;

	might_sleep();
	if (!vmarena_cache_is_file(cache) || start >= end)
		return 0;
	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	do {
		again = vmarena_filecache_collect(cache, &index, end, sync, b);
		for (i = 0; i < b->n; i++) {
			err = store->ops->handover(store, b->offset[i], b->page[i], false);
			vmarena_filecache_handed(cache, b->offset[i], b->page[i], err);
			if (err && !ret)
				ret = err;
			put_page(b->page[i]);
		}
		cond_resched();
	} while (again || b->n);
	kfree(b);
	if (sync) {
		err = store->ops->sync(store, start, end);
		if (!ret)
			ret = err;
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_writeback);

/**
 * vmarena_filecache_end() - the last reference to file cache @cache went
 * @cache: being released
 *
 * Takes it out of the inode table and frees its unmarked pages (and those
 * the file let go of); marked pages leave the pfn index and wait for the
 * writer, which then finishes the release.
 *
 * Context: no c held; takes v, then c, q, then b.  May sleep.
 * Return: true if the writer owns the cache now, false if nothing was
 * marked and the caller goes on with the release.
 */
bool vmarena_filecache_end(struct vmarena_cache *cache)
{
	struct vmarena_page *page;
	unsigned long index, pending = 0;

	might_sleep();
	mutex_lock(&vmarena_file_caches_lock);
	mutex_lock(&cache->lock);
	xa_for_each(&cache->pages, index, page) {
		page->wired_count = 0;
		if (vmarena_filecache_is_written(cache, page) &&
		    !vmarena_cache_page_gone(cache, page)) {
			vmarena_page_unindex(page);
			vmarena_filecache_set_orphan(cache, index);
			pending++;
			continue;
		}
		vmarena_cache_remove_page(cache, page);
		WARN_ON_ONCE(vmarena_page_free(page));
	}
	mutex_unlock(&cache->lock);
	list_del_init(&cache->file_link);
	mutex_unlock(&vmarena_file_caches_lock);
	/* Off the live list: nobody marks a page of an ended cache again. */
	spin_lock(&vmarena_filewb.lock);
	list_del_init(&cache->wb_link);
	spin_unlock(&vmarena_filewb.lock);
	if (!pending)
		return false;
	vmarena_filewb_queue(&vmarena_filewb.dying, cache, 0);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_end);

/*
 * Hand the marked pages of ended cache @cache over, free them and the
 * cache.  Nobody else sees it.
 * Context: no vmarena lock held; takes the file system's locks, then c
 * and q.  Sleeps.
 */
static void vmarena_filecache_finish(struct vmarena_cache *cache)
{
	struct vmarena_store *store = cache->store;
	struct vmarena_page *page;
	unsigned long index;
	int err;

	xa_for_each(&cache->pages, index, page) {
		err = store->ops->handover(store, index, page->page, false);
		if (err)
			pr_warn_ratelimited("vmarena: page %lu of %pD: its file system refused it (%d): written data lost\n",
					    index, vmarena_store_file_get_file(store), err);
		mutex_lock(&cache->lock);
		vmarena_cache_remove_page(cache, page);	/* no longer pending */
		WARN_ON_ONCE(vmarena_page_free(page));
		mutex_unlock(&cache->lock);
		cond_resched();
	}
	vmarena_cache_destroy(cache);
}

/* The file writer.  Context: the workqueue, no vmarena lock held.  Sleeps. */
static void vmarena_filewb_work(struct work_struct *work)
{
	struct vmarena_cache *cache;
	bool dying;

	for (;;) {
		spin_lock(&vmarena_filewb.lock);
		cache = list_first_entry_or_null(&vmarena_filewb.dying, struct vmarena_cache,
						 wb_link);
		dying = cache;
		if (!cache)
			cache = list_first_entry_or_null(&vmarena_filewb.live,
							 struct vmarena_cache, wb_link);
		if (cache)
			list_del_init(&cache->wb_link);
		/* A live cache whose last reference is going ends on its own. */
		if (cache && !dying && !kref_get_unless_zero(&cache->ref))
			cache = ERR_PTR(-ENOENT);
		spin_unlock(&vmarena_filewb.lock);
		if (!cache)
			return;
		if (dying) {
			vmarena_filecache_finish(cache);
		} else if (!IS_ERR(cache)) {
			vmarena_filecache_writeback(cache, 0, ULONG_MAX, false);
			vmarena_cache_put(cache);	/* may end it: dying next */
		}
		cond_resched();
	}
}

/**
 * vmarena_filecache_flush() - run the file writer now and wait for it,
 *	until nothing is queued
 *
 * Context: no vmarena lock held; takes b.  Sleeps.
 */
void vmarena_filecache_flush(void)
{
	bool queued;

	might_sleep();
	do {
		flush_delayed_work(&vmarena_filewb.work);
		spin_lock(&vmarena_filewb.lock);
		queued = !list_empty(&vmarena_filewb.live) || !list_empty(&vmarena_filewb.dying);
		spin_unlock(&vmarena_filewb.lock);
		if (queued)
			mod_delayed_work(system_unbound_wq, &vmarena_filewb.work, 0);
	} while (queued);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_filecache_flush);

int vmarena_filecache_init(void)
{
	spin_lock_init(&vmarena_filewb.lock);
	INIT_LIST_HEAD(&vmarena_filewb.live);
	INIT_LIST_HEAD(&vmarena_filewb.dying);
	INIT_DELAYED_WORK(&vmarena_filewb.work, vmarena_filewb_work);
	return 0;
}

void vmarena_filecache_uninit(void)
{
	vmarena_filecache_flush();
	cancel_delayed_work_sync(&vmarena_filewb.work);
	WARN_ON(!list_empty(&vmarena_file_caches));
}
