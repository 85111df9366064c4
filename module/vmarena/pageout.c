// SPDX-License-Identifier: GPL-2.0
/*
 * Paging out one page: the step the page daemon repeats for each victim it
 * picks.  The page is taken away from every area that maps it and handed
 * to its cache's store (store.h, page_out), then freed; the next fault on
 * it finds it in the store (has_page) and reads it back, busy while it is
 * read (fault.c).  Lock keys: locking.h.
 *
 * The page daemon (pagedaemon.c) calls it; so do the KUnit suites.
 *
 * A page that an area of lock level other than VMARENA_LOCK_UNLOCKED may
 * map is never paged out: such an area's cache, and every cache below it
 * in its chain, are not pageable while the area exists.  The check walks
 * up from the page's cache through its consumers (under l, with the
 * page's c held) and looks at the lock level of every area it finds; lock
 * levels are written with both a and l held (vmarena_area_set_lock()), so
 * l alone is enough to read them.
 */
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "trace.h"

/* Is an area of @cache or of a cache above it locked?  Context: l held. */
static bool vmarena_pageout_locked_area_linked(struct vmarena_cache *cache,
					       unsigned int depth)
{
	struct vmarena_cache *consumer;
	struct vmarena_area *area;

	lockdep_assert_held(&vmarena_cache_link_lock);
	if (depth > VMARENA_CACHE_MAX_DEPTH)
		return true;	/* deeper than a chain may be: refuse */
	list_for_each_entry(area, &cache->areas, cache_link)
		if (READ_ONCE(area->lock_level) != VMARENA_LOCK_UNLOCKED)
			return true;
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		if (vmarena_pageout_locked_area_linked(consumer, depth + 1))
			return true;
	return false;
}

/**
 * vmarena_pageout_cache_allowed() - may pages of @cache be paged out?
 * @cache: locked by the caller
 *
 * No when its store can neither page out nor write back (device and null
 * caches) or when an
 * area that may map its pages (its own or its consumers') is locked.
 *
 * Context: c held; takes l.  May sleep.
 */
bool vmarena_pageout_cache_allowed(struct vmarena_cache *cache)
{
	bool locked;

	lockdep_assert_held(&cache->lock);
	if (!cache->store->ops->page_out && !cache->store->ops->get_page)
		return false;
	mutex_lock(&vmarena_cache_link_lock);
	locked = vmarena_pageout_locked_area_linked(cache, 0);
	mutex_unlock(&vmarena_cache_link_lock);
	return !locked;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pageout_cache_allowed);

/* Can the page daemon take @page away?  Context: c of @page's owner held. */
static bool vmarena_pageout_pageable(const struct vmarena_page *page)
{
	vmarena_page_assert_owner_locked(page);
	if (page->busy || page->wired_count)
		return false;
	return page->state == VMARENA_PAGE_ACTIVE || page->state == VMARENA_PAGE_INACTIVE ||
	       page->state == VMARENA_PAGE_MODIFIED;
}

/**
 * vmarena_pageout_page() - page out the page at @offset of @cache
 * @cache: held by the caller, not locked
 * @offset: page index in @cache
 *
 * Under the cache lock the page is checked (not wired, not busy, active,
 * inactive or modified), marked busy and unmapped from every area that maps
 * it, through the consumers of @cache too; a page someone still holds a
 * reference to once it is unmapped stays.  The store writes it with no
 * lock held; then the page leaves the cache and goes back to the pool, and
 * whoever waited for it faults again and finds it in the store.  A write
 * that fails leaves the page where it was, unmapped; the next access maps
 * it again.
 *
 * Context: no vmarena lock held but d; takes c, then l, f, i_mmap_rwsem,
 * q; the store's write takes s or the file system's locks.  Sleeps.
 *
 * Return: 0; -ENOENT when no page is resident there; -EBUSY when it is
 * wired, busy or held (or otherwise not pageable), or a locked area may map
 * it; -EOPNOTSUPP when the store can neither page out nor write back; or the store's error
 * (-ENOSPC: swap is full).
 */
int vmarena_pageout_page(struct vmarena_cache *cache, pgoff_t offset)
{
	struct vmarena_store *store = cache->store;
	struct vmarena_page *page;
	bool dirty;
	int ret;

	might_sleep();
	lockdep_assert_not_held(&cache->lock);
	if (!store->ops->page_out && !store->ops->get_page)
		return -EOPNOTSUPP;

	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	if (!page) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (!vmarena_pageout_pageable(page) || !vmarena_pageout_cache_allowed(cache)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	page->busy = true;
	vmarena_cache_unmap_pfn(cache, offset, vmarena_page_pfn(page));
	/*
	 * Unmapped, only the arena's own reference should be left.  Another
	 * one is a pin (get_user_pages() on a window, a fault's caller still
	 * using the page): the page would go back to the pool while its
	 * holder still reads or writes it.  A file's page is not freed, only
	 * let go of: its page cache and anyone else may hold it too.
	 */
	if (!vmarena_page_is_file(page) && page_count(page->page) > 1) {
		vmarena_cache_mark_page_unbusy(cache, page);
		ret = -EBUSY;
		goto out_unlock;
	}
	/* Unmapped everywhere: nothing writes to it until it is handed over. */
	dirty = vmarena_page_is_file(page) && vmarena_filecache_is_written(cache, page);
	if (dirty)
		vmarena_filecache_take(cache, page);
	vmarena_cache_get(cache);	/* an area may go while we write */
	mutex_unlock(&cache->lock);

	/*
	 * Anonymous pages go to swap.  File pages are the page cache's: the
	 * arena lets go of them, handing the written ones to their file
	 * system first (which writes them back when it sees fit; without
	 * waiting for its locks, which a task this page-out holds up may
	 * hold).  The next fault finds them in the page cache again.
	 */
	if (store->ops->page_out)
		ret = store->ops->page_out(store, offset, page->page);
	else
		ret = dirty ? store->ops->handover(store, offset, page->page, true) : 0;

	mutex_lock(&cache->lock);
	if (ret && dirty)
		vmarena_filecache_remark(cache, page);
	if (!ret) {
		if (store->ops->page_out || dirty)
			vmarena_stat_inc(VMARENA_STAT_PAGEOUTS);
		trace_vmarena_pageout(cache->id, offset, vmarena_page_pfn(page),
				      !store->ops->page_out, store->ops->page_out || dirty);
		/* A shrink meanwhile skipped the busy page: drop its new copy too. */
		if (offset >= cache->virtual_end && store->ops->truncate)
			store->ops->truncate(store, cache->virtual_end);
		vmarena_cache_remove_page(cache, page);
	}
	vmarena_cache_mark_page_unbusy(cache, page);
	if (!ret)
		WARN_ON_ONCE(vmarena_page_free(page));
	mutex_unlock(&cache->lock);
	vmarena_cache_put(cache);
	return ret;

out_unlock:
	mutex_unlock(&cache->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pageout_page);
