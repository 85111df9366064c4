// SPDX-License-Identifier: GPL-2.0
/*
 * Caches: the page index of a store, chains for copy-on-write, merging.
 * File caches (one per inode, over the page cache) are filecache.c's.
 * Lock keys: locking.h.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* Pages a dying cache hands back to the pool per hold of q. */
#define VMARENA_CACHE_FREE_BATCH	32

/* l: the links of the cache graph (locking.h) */
DEFINE_MUTEX(vmarena_cache_link_lock);

static atomic_t vmarena_cache_next_id = ATOMIC_INIT(0);
static atomic_long_t vmarena_cache_count = ATOMIC_LONG_INIT(0);

/**
 * vmarena_cache_create() - a new, empty cache over @store
 * @store: the cache takes it over (and destroys it on failure)
 * @temporary: an anonymous copy-on-write layer that may be merged
 *
 * Returns the cache with one reference, or NULL.
 *
 * Context: no lock needed.  May sleep.
 */
struct vmarena_cache *vmarena_cache_create(struct vmarena_store *store, bool temporary)
{
	struct vmarena_cache *cache;

	might_sleep();
	cache = kzalloc(sizeof(*cache), GFP_KERNEL_ACCOUNT);
	if (!cache) {
		store->ops->destroy(store);
		return NULL;
	}
	mutex_init(&cache->lock);
	kref_init(&cache->ref);
	cache->id = atomic_inc_return(&vmarena_cache_next_id);
	cache->temporary = temporary;
	cache->store = store;
	xa_init(&cache->pages);
	INIT_LIST_HEAD(&cache->consumers);
	INIT_LIST_HEAD(&cache->consumer_link);
	INIT_LIST_HEAD(&cache->areas);
	INIT_LIST_HEAD(&cache->file_link);
	INIT_LIST_HEAD(&cache->wb_link);
	init_waitqueue_head(&cache->busy_wq);
	atomic_long_inc(&vmarena_cache_count);
	return cache;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_create);

/**
 * vmarena_cache_depth() - how many caches the chain from @top holds
 * @top: the top of the chain
 *
 * Context: @top's chain locked, or otherwise stable (nobody else sees it).
 */
unsigned int vmarena_cache_depth(struct vmarena_cache *top)
{
	unsigned int depth = 0;

	for (; top; top = top->source)
		depth++;
	return depth;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_depth);

/*
 * Lock @cache at lockdep subclass @depth, then its sources below it.
 * Context: no c of the chain held; takes c of each, top down.  May sleep.
 */
static void vmarena_cache_lock_from(struct vmarena_cache *cache, unsigned int depth)
{
	if (!cache)
		return;
	mutex_lock_nested(&cache->lock, depth);
	vmarena_cache_lock_from(cache->source, depth + 1);
}

/**
 * vmarena_cache_lock_chain() - lock @top and every source below it
 * @top: held by the caller
 *
 * Each cache's ->source is stable while the cache is locked, so the walk
 * down is safe; the lockdep subclass is the depth, which is why chains are
 * at most VMARENA_CACHE_MAX_DEPTH deep.
 *
 * Context: no c held; takes c of each cache, top down.  May sleep.
 */
void vmarena_cache_lock_chain(struct vmarena_cache *top)
{
	might_sleep();
	vmarena_cache_lock_from(top, 0);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_lock_chain);

/**
 * vmarena_cache_lock_sources() - lock every source below @cache
 * @cache: locked by the caller, as the top of its chain (subclass 0)
 *
 * Context: c of @cache held; takes its sources' c, top down.  May sleep.
 */
void vmarena_cache_lock_sources(struct vmarena_cache *cache)
{
	lockdep_assert_held(&cache->lock);
	vmarena_cache_lock_from(cache->source, 1);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_lock_sources);

/*
 * Unlock what vmarena_cache_lock_chain() locked, bottom up.
 * Context: c of the chain from @cache held; releases them.
 */
static void vmarena_cache_unlock_below(struct vmarena_cache *cache)
{
	if (!cache)
		return;
	vmarena_cache_unlock_below(cache->source);
	mutex_unlock(&cache->lock);
}

/**
 * vmarena_cache_unlock_chain() - unlock @top and every source below it
 * @top: its chain locked with vmarena_cache_lock_chain()
 *
 * Context: c of the chain held; releases them.
 */
void vmarena_cache_unlock_chain(struct vmarena_cache *top)
{
	vmarena_cache_assert_chain_locked(top);
	vmarena_cache_unlock_below(top);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_unlock_chain);

/**
 * vmarena_cache_unlock_sources() - undo vmarena_cache_lock_sources()
 * @cache: still locked afterwards
 *
 * Context: c of the chain held; releases the sources'.
 */
void vmarena_cache_unlock_sources(struct vmarena_cache *cache)
{
	vmarena_cache_assert_chain_locked(cache);
	vmarena_cache_unlock_below(cache->source);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_unlock_sources);

#ifdef CONFIG_LOCKDEP
/**
 * vmarena_cache_assert_chain_locked() - lockdep: @top and every source
 *	below it are locked by the caller
 * @top: the top of the chain, or NULL
 *
 * Each ->source is read only after its consumer's c is asserted, under
 * which it is stable.  Without CONFIG_LOCKDEP this is an empty inline
 * (cache.h).
 *
 * Context: c of the chain held.
 */
void vmarena_cache_assert_chain_locked(struct vmarena_cache *top)
{
	for (; top; top = top->source)
		lockdep_assert_held(&top->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_assert_chain_locked);

/**
 * vmarena_page_assert_owner_locked() - lockdep: the cache that owns @p, if
 *	any, is locked by the caller
 * @p: an arena page; a free or run page has no owner and passes
 *
 * For page.c, to which struct vmarena_cache is opaque.  Without
 * CONFIG_LOCKDEP this is an empty inline (page.h).
 *
 * Context: c of @p's owner held.
 */
void vmarena_page_assert_owner_locked(const struct vmarena_page *p)
{
	struct vmarena_cache *owner = READ_ONCE(p->cache);

	if (owner)
		lockdep_assert_held(&owner->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_assert_owner_locked);
#endif

/**
 * vmarena_cache_lookup_page() - the page at @offset, or NULL
 * @cache: locked
 * @offset: page index
 *
 * Context: c held.
 */
struct vmarena_page *vmarena_cache_lookup_page(struct vmarena_cache *cache, pgoff_t offset)
{
	lockdep_assert_held(&cache->lock);
	return xa_load(&cache->pages, offset);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_lookup_page);

/**
 * vmarena_cache_insert_page() - put @page into @cache's index
 * @cache: locked
 * @page: owned by @cache (page->cache == @cache) at page->offset
 *
 * Returns 0, -EEXIST when the offset is taken, or -ENOMEM.
 *
 * Context: c held.  May sleep (allocates index nodes).
 */
int vmarena_cache_insert_page(struct vmarena_cache *cache, struct vmarena_page *page)
{
	int ret;

	lockdep_assert_held(&cache->lock);
	if (WARN_ON_ONCE(page->cache != cache))
		return -EINVAL;
	ret = xa_insert(&cache->pages, page->offset, page, GFP_KERNEL_ACCOUNT);
	if (ret == -EBUSY)
		return -EEXIST;
	if (!ret)
		cache->resident++;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_insert_page);

/**
 * vmarena_cache_remove_page() - take @page out of @cache's index
 * @cache: locked
 * @page: in @cache; the caller frees or moves it
 *
 * Context: c held.
 */
void vmarena_cache_remove_page(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	/* A file page's marks go with it: it is pending no more. */
	if (vmarena_cache_is_file(cache))
		vmarena_filecache_unmark(cache, page->offset);
	WARN_ON_ONCE(xa_erase(&cache->pages, page->offset) != page);
	cache->resident--;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_remove_page);

/**
 * vmarena_cache_mark_page_unbusy() - @page is ready: wake its waiters
 * @cache: locked, owns @page
 * @page: busy
 *
 * Context: c held.
 */
void vmarena_cache_mark_page_unbusy(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	page->busy = false;
	vmarena_cache_wake_waiters(cache);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_mark_page_unbusy);

/**
 * vmarena_cache_wake_waiters() - a page of @cache stopped being busy, or
 *	being handed over: wake whoever waits for one (they look again)
 * @cache: locked
 *
 * Context: c held.
 */
void vmarena_cache_wake_waiters(struct vmarena_cache *cache)
{
	lockdep_assert_held(&cache->lock);
	WRITE_ONCE(cache->busy_gen, cache->busy_gen + 1);
	wake_up_all(&cache->busy_wq);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_wake_waiters);

/**
 * vmarena_cache_wait_busy() - sleep until a page of @cache stops being busy
 * @cache: held by the caller, not locked
 * @gen: ->busy_gen read under the cache lock when the busy page was seen
 *
 * Context: no vmarena lock held.  Sleeps.
 */
void vmarena_cache_wait_busy(struct vmarena_cache *cache, unsigned int gen)
{
	might_sleep();
	wait_event(cache->busy_wq, READ_ONCE(cache->busy_gen) != gen);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_wait_busy);

/*
 * Does @area map @pfn as page @offset of its cache?  Then *@va is where,
 * and *@info its fragment entry (area->size, the cache's areas are l).
 * Context: l held; takes f.
 */
static bool vmarena_cache_area_maps(struct vmarena_area *area, pgoff_t offset,
				    unsigned long pfn, unsigned long *va,
				    struct vmarena_pte_info *info)
{
	lockdep_assert_held(&vmarena_cache_link_lock);
	if (offset < area->cache_offset ||
	    offset - area->cache_offset >= area->size >> PAGE_SHIFT)
		return false;
	*va = area->base + ((offset - area->cache_offset) << PAGE_SHIFT);
	return !vmarena_ptfrag_lookup(&area->aspace->frag, *va, info) && info->pfn == pfn;
}

/*
 * Remove every mapping of @pfn at cache page @offset from the areas of
 * @cache and, through its consumers, of every cache above it.  A consumer's
 * area that maps its own copy at that offset keeps it (the pfn differs).
 * Context: c of @cache and l held; takes f, i_mmap_rwsem.  May sleep.
 */
static void vmarena_cache_unmap_pfn_linked(struct vmarena_cache *cache, pgoff_t offset,
					   unsigned long pfn)
{
	struct vmarena_cache *consumer;
	struct vmarena_pte_info info;
	struct vmarena_area *area;
	unsigned long va;

	lockdep_assert_held(&vmarena_cache_link_lock);
	list_for_each_entry(area, &cache->areas, cache_link)
		if (vmarena_cache_area_maps(area, offset, pfn, &va, &info))
			vmarena_aspace_unmap(area->aspace, va, PAGE_SIZE, false);
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		vmarena_cache_unmap_pfn_linked(consumer, offset, pfn);
}

/**
 * vmarena_cache_unmap_pfn() - unmap @pfn at @offset from @cache's areas
 *	and from the areas of every cache above it
 * @cache: locked
 * @offset: page index in @cache
 * @pfn: only mappings of this pfn go
 *
 * Context: c held; takes l, then f and i_mmap_rwsem.  May sleep.
 */
void vmarena_cache_unmap_pfn(struct vmarena_cache *cache, pgoff_t offset, unsigned long pfn)
{
	lockdep_assert_held(&cache->lock);
	mutex_lock(&vmarena_cache_link_lock);
	vmarena_cache_unmap_pfn_linked(cache, offset, pfn);
	mutex_unlock(&vmarena_cache_link_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_unmap_pfn);

/*
 * Move the wirings of @old at @offset to @new (or drop them, @new NULL) in
 * every area of @cache and, through its consumers, of every cache above
 * it whose record holds @old there (vmarena_area_rewire_page()).  An area
 * that sees its own copy at that offset records that copy, not @old, and
 * keeps it.
 * Context: l and the c of @old's owner (and of @new's) held; takes q.
 */
static void vmarena_cache_rewire_linked(struct vmarena_cache *cache, pgoff_t offset,
					struct vmarena_page *old, struct vmarena_page *new)
{
	struct vmarena_cache *consumer;
	struct vmarena_area *area;

	lockdep_assert_held(&vmarena_cache_link_lock);
	list_for_each_entry(area, &cache->areas, cache_link)
		if (offset >= area->cache_offset &&
		    offset - area->cache_offset < area->size >> PAGE_SHIFT)
			vmarena_area_rewire_page(area, offset - area->cache_offset, old, new);
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		vmarena_cache_rewire_linked(consumer, offset, old, new);
}

/**
 * vmarena_cache_rewire_page() - @cache's areas, and those above it, see
 *	@new at @offset instead of @old: their wirings follow
 * @cache: locked; the cache @new is in (a copy-up's top), or @old's owner
 * @offset: page index in @cache
 * @old: the page they saw (its owner locked), wired or not
 * @new: the page that replaces it (its owner locked), or NULL
 *
 * Called in the same hold of the chain's locks that makes the change, so
 * that nobody sees a wired area with neither page wired (area.h).
 *
 * Context: c of @cache, of @old's owner and of @new's held; takes l, q.
 */
void vmarena_cache_rewire_page(struct vmarena_cache *cache, pgoff_t offset,
			       struct vmarena_page *old, struct vmarena_page *new)
{
	lockdep_assert_held(&cache->lock);
	vmarena_page_assert_owner_locked(old);
	if (new)
		vmarena_page_assert_owner_locked(new);
	if (!old->wired_count)
		return;
	mutex_lock(&vmarena_cache_link_lock);
	vmarena_cache_rewire_linked(cache, offset, old, new);
	mutex_unlock(&vmarena_cache_link_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_rewire_page);

/**
 * vmarena_cache_wrprotect_pfn() - take write away from every mapping of
 *	@pfn at @offset by @cache's own areas
 * @cache: locked
 * @offset: page index in @cache
 * @pfn: the page there
 *
 * Their fragment entries keep read (and execute), their user windows lose
 * the PTE: the next write faults.  Consumers' areas map pages of @cache
 * read-only already (copy-on-write).
 *
 * Context: c held; takes l, then f and i_mmap_rwsem.  May sleep.
 */
void vmarena_cache_wrprotect_pfn(struct vmarena_cache *cache, pgoff_t offset, unsigned long pfn)
{
	struct vmarena_pte_info info;
	struct vmarena_area *area;
	unsigned long va;

	lockdep_assert_held(&cache->lock);
	mutex_lock(&vmarena_cache_link_lock);
	list_for_each_entry(area, &cache->areas, cache_link)
		if (vmarena_cache_area_maps(area, offset, pfn, &va, &info) &&
		    info.prot & VMARENA_PROT_WRITE)
			vmarena_aspace_protect(area->aspace, va, PAGE_SIZE,
					       info.prot & ~VMARENA_PROT_WRITE, false);
	mutex_unlock(&vmarena_cache_link_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_wrprotect_pfn);

/*
 * vmarena_cache_test_and_clear_young() of @cache's areas and, through its
 * consumers, of every cache above it.
 * Context: c of @cache and l held; takes w, f, trylocks mmap_lock.
 */
static bool vmarena_cache_young_linked(struct vmarena_cache *cache, pgoff_t offset,
				       unsigned long pfn)
{
	struct vmarena_cache *consumer;
	struct vmarena_pte_info info;
	struct vmarena_area *area;
	unsigned long va;
	bool young = false;

	lockdep_assert_held(&vmarena_cache_link_lock);
	list_for_each_entry(area, &cache->areas, cache_link)
		if (vmarena_cache_area_maps(area, offset, pfn, &va, &info) &&
		    vmarena_aspace_test_and_clear_young(area->aspace, va, pfn))
			young = true;
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		if (vmarena_cache_young_linked(consumer, offset, pfn))
			young = true;
	return young;
}

/**
 * vmarena_cache_test_and_clear_young() - was @pfn at @offset used lately?
 * @cache: locked
 * @offset: page index in @cache
 * @pfn: the page there
 *
 * Tests and clears the accessed bits of every mapping of the page, in the
 * areas of @cache and of every cache above it: their fragment entries and
 * the user windows' PTEs (vmarena_aspace_test_and_clear_young()).
 *
 * Context: c held; takes l, then w, f.  May sleep.
 */
bool vmarena_cache_test_and_clear_young(struct vmarena_cache *cache, pgoff_t offset,
					unsigned long pfn)
{
	bool young;

	lockdep_assert_held(&cache->lock);
	mutex_lock(&vmarena_cache_link_lock);
	young = vmarena_cache_young_linked(cache, offset, pfn);
	mutex_unlock(&vmarena_cache_link_lock);
	return young;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_test_and_clear_young);

/**
 * vmarena_cache_unmap_page() - unmap @page wherever an area maps it
 * @cache: locked, owns @page
 * @page: about to leave the cache
 *
 * Context: c held; takes l, then f and i_mmap_rwsem.  May sleep.
 */
static void vmarena_cache_unmap_page(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	vmarena_cache_unmap_pfn(cache, page->offset, vmarena_page_pfn(page));
}

/**
 * vmarena_cache_drop_page() - unmap @page everywhere, unwire and free it
 * @cache: locked, owns @page
 * @page: not busy; what it holds is wanted nowhere (the caller made sure)
 *
 * Context: c held; takes l, then f and i_mmap_rwsem, and q.  May sleep.
 */
void vmarena_cache_drop_page(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	/* No wiring record may keep it (a consumer's wired clone may). */
	vmarena_cache_rewire_page(cache, page->offset, page, NULL);
	vmarena_cache_unmap_page(cache, page);
	vmarena_cache_remove_page(cache, page);
	page->wired_count = 0;
	WARN_ON_ONCE(vmarena_page_free(page));
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_drop_page);

/**
 * vmarena_cache_page_gone() - did the owner of @page let it go?
 * @cache: locked, owns @page
 * @page: a page of @cache
 *
 * Only a file page can be gone: truncated or punched out of its file, or
 * invalidated, while the arena held it (store_file.c).  Such a page holds
 * nothing of the file any more and is dropped by whoever finds it, unless
 * it is wired (a wired page never faults: it stays, as it was, until it
 * is unwired).
 *
 * Context: c held; does not sleep.
 */
bool vmarena_cache_page_gone(struct vmarena_cache *cache, struct vmarena_page *page)
{
	const struct vmarena_store_ops *ops = cache->store->ops;

	lockdep_assert_held(&cache->lock);
	return vmarena_page_is_file(page) &&
	       !ops->owns_page(cache->store, page->offset, page->page);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_page_gone);

/**
 * vmarena_cache_page_unwired() - @page lost its last wiring
 * @cache: locked, owns @page
 * @page: wired_count just went to 0
 *
 * A file page written while it was wired (marked) comes out modified:
 * nothing recorded the writes it took without faulting, and the mark
 * keeps them until the page is handed over (filecache.c).  Other pages
 * come out active.
 *
 * Context: c held; takes q.
 */
void vmarena_cache_page_unwired(struct vmarena_cache *cache, struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	if (vmarena_page_is_file(page) && vmarena_filecache_is_written(cache, page))
		vmarena_page_set_state(page, VMARENA_PAGE_MODIFIED);
	else
		vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_page_unwired);

/*
 * Unmap @page, at @offset of a cache below @cache, from the areas of
 * @cache and of every cache above it; an area whose record wires it lets
 * that wiring go.
 * Context: c of the page's owner and l held; takes f, i_mmap_rwsem, q.
 */
static void vmarena_cache_cut_page_linked(struct vmarena_cache *cache, pgoff_t offset,
					  struct vmarena_page *page)
{
	unsigned long pfn = vmarena_page_pfn(page), va;
	struct vmarena_cache *consumer;
	struct vmarena_pte_info info;
	struct vmarena_area *area;

	lockdep_assert_held(&vmarena_cache_link_lock);
	list_for_each_entry(area, &cache->areas, cache_link) {
		/* Mapped or not (protection 0), its record lets the page go. */
		if (offset >= area->cache_offset &&
		    offset - area->cache_offset < area->size >> PAGE_SHIFT)
			vmarena_area_rewire_page(area, offset - area->cache_offset, page, NULL);
		if (!vmarena_cache_area_maps(area, offset, pfn, &va, &info))
			continue;
		vmarena_aspace_unmap(area->aspace, va, PAGE_SIZE, false);
	}
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		vmarena_cache_cut_page_linked(consumer, offset, page);
}

/*
 * @cache (locked, with its sources) shrinks from @old to @pages pages: it
 * and every consumer stop showing what lies below @cache from @pages on.
 * The consumers' areas lose their mappings there of pages below @cache,
 * which they could only have found through @cache (@cache's own pages
 * past the end are dropped, and so unmapped, by the caller).
 * Context: c of the chain held; takes l, then f, i_mmap_rwsem, q.
 */
static void vmarena_cache_cut_below(struct vmarena_cache *cache, pgoff_t pages, pgoff_t old)
{
	struct vmarena_cache *consumer, *below = cache->source;
	pgoff_t end = min(old, cache->source_end);
	struct vmarena_page *page;
	unsigned long index;

	vmarena_cache_assert_chain_locked(cache);
	mutex_lock(&vmarena_cache_link_lock);
	while (below && end > pages && !list_empty(&cache->consumers)) {
		xa_for_each_range(&below->pages, index, page, pages, end - 1) {
			if (page->busy)		/* not mapped anywhere yet */
				continue;
			list_for_each_entry(consumer, &cache->consumers, consumer_link)
				vmarena_cache_cut_page_linked(consumer, index, page);
		}
		if (below->source)
			end = min(end, below->source_end);
		below = below->source;
	}
	if (cache->source)
		cache->source_end = min(cache->source_end, pages);
	list_for_each_entry(consumer, &cache->consumers, consumer_link)
		consumer->source_end = min(consumer->source_end, pages);
	mutex_unlock(&vmarena_cache_link_lock);
}

/*
 * Shrink @cache from @old to @pages pages; see below.
 * Context: c held; takes the sources' c, then l, f, q.  May sleep.
 */
static void vmarena_cache_shrink(struct vmarena_cache *cache, pgoff_t pages, pgoff_t old)
{
	struct vmarena_store *store = cache->store;
	struct vmarena_page *page;
	unsigned long index;

	lockdep_assert_held(&cache->lock);
	vmarena_cache_lock_sources(cache);
	xa_for_each_start(&cache->pages, index, page, pages) {
		if (page->busy)	/* its reader frees it when it sees the size */
			continue;
		vmarena_cache_drop_page(cache, page);
	}
	if (store->ops->truncate)
		store->ops->truncate(store, pages);
	if (store->ops->commit)
		store->ops->commit(store, (u64)pages << PAGE_SHIFT);
	vmarena_cache_cut_below(cache, pages, old);
	vmarena_cache_unlock_sources(cache);
}

/**
 * vmarena_cache_set_size() - resize @cache to @pages pages
 * @cache: locked, as the top of its chain (its sources are not)
 * @pages: the new size
 *
 * Growing commits more backing first and fails with -ENOMEM if the store
 * cannot promise it; the new range shows zeros, never the source.
 * Shrinking frees every page past the new end after unmapping it
 * everywhere, lets the store drop what it keeps past the end (paged-out
 * pages), gives the commitment back, and makes the cache and every
 * consumer stop showing what lies below it past the new end, for good
 * (->source_end): a later growth shows zeros there, whichever area looks.
 *
 * Context: c held; takes the sources' c, then l, f and q.  May sleep.
 */
int vmarena_cache_set_size(struct vmarena_cache *cache, pgoff_t pages)
{
	struct vmarena_store *store = cache->store;
	int ret;

	lockdep_assert_held(&cache->lock);
	if (pages > cache->virtual_end && store->ops->commit) {
		ret = store->ops->commit(store, (u64)pages << PAGE_SHIFT);
		if (ret)
			return ret;
	}
	if (pages < cache->virtual_end)
		vmarena_cache_shrink(cache, pages, cache->virtual_end);
	cache->virtual_end = pages;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_set_size);

/*
 * Link @cache under @source (after @cache, if @cache is locked at all:
 * top down).  Takes a reference on @source.
 * Context: c of @source held; takes l.
 */
static void vmarena_cache_link_source(struct vmarena_cache *cache, struct vmarena_cache *source)
{
	lockdep_assert_held(&source->lock);
	vmarena_cache_get(source);
	mutex_lock(&vmarena_cache_link_lock);
	cache->source = source;
	/* A resize may have shrunk the source since the caller sized @cache. */
	cache->source_end = min(cache->virtual_end, source->virtual_end);
	list_add_tail(&cache->consumer_link, &source->consumers);
	source->nr_consumers++;
	mutex_unlock(&vmarena_cache_link_lock);
}

/**
 * vmarena_cache_create_cow() - a temporary anonymous cache on top of @source
 * @source: held by the caller, not locked
 * @pages: its size, in pages (the end of the area it is for)
 * @overcommit: commit nothing for the copies
 *
 * Returns the new cache with one reference, or an
 * ERR_PTR: -EMLINK when the chain would be deeper than
 * VMARENA_CACHE_MAX_DEPTH, -ENOMEM.
 *
 * Context: no c held; takes c of @source's chain, then l, m.  May sleep.
 */
struct vmarena_cache *vmarena_cache_create_cow(struct vmarena_cache *source, pgoff_t pages,
					       bool overcommit)
{
	struct vmarena_store *store;
	struct vmarena_cache *cache;
	int ret;

	might_sleep();
	store = vmarena_store_anon_create(overcommit);
	if (!store)
		return ERR_PTR(-ENOMEM);
	cache = vmarena_cache_create(store, true);
	if (!cache)
		return ERR_PTR(-ENOMEM);

	vmarena_cache_lock_chain(source);
	if (vmarena_cache_depth(source) >= VMARENA_CACHE_MAX_DEPTH) {
		ret = -EMLINK;
		goto out_unlock;
	}
	mutex_lock_nested(&cache->lock, VMARENA_CACHE_MAX_DEPTH - 1);
	ret = vmarena_cache_set_size(cache, pages);
	if (!ret)
		vmarena_cache_link_source(cache, source);
	mutex_unlock(&cache->lock);
out_unlock:
	vmarena_cache_unlock_chain(source);
	if (ret) {
		vmarena_cache_put(cache);
		return ERR_PTR(ret);
	}
	return cache;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_create_cow);

/**
 * vmarena_cache_add_area() - record that an area maps @cache
 * @cache: locked
 * @link: the area's cache_link
 *
 * Context: c held; takes l.
 */
void vmarena_cache_add_area(struct vmarena_cache *cache, struct list_head *link)
{
	lockdep_assert_held(&cache->lock);
	mutex_lock(&vmarena_cache_link_lock);
	list_add_tail(link, &cache->areas);
	cache->nr_areas++;
	mutex_unlock(&vmarena_cache_link_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_add_area);

/**
 * vmarena_cache_remove_area() - an area no longer maps @cache
 * @cache: locked
 * @link: the area's cache_link
 *
 * The caller drops the area's reference afterwards, with the lock released;
 * that may merge the cache into its consumer (vmarena_cache_try_merge()).
 *
 * Context: c held; takes l.
 */
void vmarena_cache_remove_area(struct vmarena_cache *cache, struct list_head *link)
{
	lockdep_assert_held(&cache->lock);
	mutex_lock(&vmarena_cache_link_lock);
	list_del_init(link);
	cache->nr_areas--;
	mutex_unlock(&vmarena_cache_link_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_remove_area);

/* Can @source merge into its only consumer?  Context: c of @source held. */
static bool vmarena_cache_mergeable(struct vmarena_cache *source)
{
	struct vmarena_page *page;
	unsigned long index;

	lockdep_assert_held(&source->lock);
	if (!source->temporary || source->nr_areas || source->nr_consumers != 1)
		return false;
	/* A page being read in belongs to its reader: merge later. */
	xa_for_each(&source->pages, index, page)
		if (page->busy)
			return false;
	return true;
}

/* Does @cache's store keep page @offset (paged out)?  Context: c held. */
static bool vmarena_cache_store_has_page(struct vmarena_cache *cache, pgoff_t offset)
{
	const struct vmarena_store_ops *ops = cache->store->ops;

	lockdep_assert_held(&cache->lock);
	return ops->has_page && ops->has_page(cache->store, offset);
}

/*
 * Merge @source into @consumer, its only consumer (Haiku's VMCache::Merge),
 * changing nothing any area of @consumer (or above it) shows: the
 * consumer's own pages win, resident or paged out; of the source's other
 * pages, resident or paged out, those the consumer shows (below its
 * ->source_end) move up and the rest go; and the consumer takes over the
 * source's source, showing of it no more than it showed through the
 * source.
 * Context: c of @consumer, then of @source held; takes c of the next
 * source down, then l, f, q, s.  May sleep.
 */
static void vmarena_cache_merge_locked(struct vmarena_cache *consumer,
				       struct vmarena_cache *source)
{
	struct vmarena_cache *below = source->source;
	pgoff_t end = consumer->source_end;
	struct vmarena_page *page;
	unsigned long index;

	lockdep_assert_held(&consumer->lock);
	lockdep_assert_held(&source->lock);

	xa_for_each(&source->pages, index, page) {
		if (index >= end || xa_load(&consumer->pages, index) ||
		    vmarena_cache_store_has_page(consumer, index)) {
			vmarena_cache_drop_page(source, page);
			continue;
		}
		vmarena_cache_remove_page(source, page);
		vmarena_page_set_cache(page, consumer);
		if (WARN_ON_ONCE(vmarena_cache_insert_page(consumer, page))) {
			vmarena_page_set_cache(page, source);
			vmarena_cache_unmap_page(consumer, page);
			page->wired_count = 0;
			vmarena_page_free(page);
		}
	}
	/* The source's paged-out pages: the same rule, in the stores. */
	if (consumer->store->ops->merge)
		consumer->store->ops->merge(consumer->store, source->store, &consumer->pages,
					    end);

	/* The consumer inherits the source's place (and its reference) below. */
	if (below)
		mutex_lock_nested(&below->lock, 2);
	mutex_lock(&vmarena_cache_link_lock);
	list_del_init(&consumer->consumer_link);
	source->nr_consumers--;
	consumer->source = below;
	consumer->source_end = below ? min(end, source->source_end) : 0;
	if (below)
		list_replace_init(&source->consumer_link, &consumer->consumer_link);
	source->source = NULL;
	mutex_unlock(&vmarena_cache_link_lock);
	if (below)
		mutex_unlock(&below->lock);
}

/*
 * Merge @source into its only consumer if it qualifies (temporary, no
 * areas, one consumer).  @source: held by the caller.
 * Context: no c held; takes c of the consumer, then of @source, and what
 * vmarena_cache_merge_locked() takes.  May sleep.
 */
static void vmarena_cache_try_merge(struct vmarena_cache *source)
{
	struct vmarena_cache *consumer;
	bool merged = false;

	might_sleep();
	mutex_lock(&source->lock);
	if (!vmarena_cache_mergeable(source)) {
		mutex_unlock(&source->lock);
		return;
	}
	consumer = list_first_entry(&source->consumers, struct vmarena_cache, consumer_link);
	/* A consumer on its way out unlinks itself and tries again. */
	if (!kref_get_unless_zero(&consumer->ref)) {
		mutex_unlock(&source->lock);
		return;
	}
	mutex_unlock(&source->lock);

	/* Top down: the consumer first. */
	mutex_lock(&consumer->lock);
	mutex_lock_nested(&source->lock, 1);
	if (consumer->source == source && vmarena_cache_mergeable(source)) {
		vmarena_cache_merge_locked(consumer, source);
		merged = true;
	}
	mutex_unlock(&source->lock);
	mutex_unlock(&consumer->lock);
	vmarena_cache_put(consumer);
	if (merged)	/* the consumer's reference on the source */
		vmarena_cache_put(source);
}

/**
 * vmarena_cache_destroy() - free a cache that holds no page and no link
 * @cache: dead: no reference, area, consumer or source left
 *
 * The end of a release; the file writer's too, for a file cache whose
 * written pages it handed over (filecache.c).
 *
 * Context: no vmarena lock held.  May sleep.
 */
void vmarena_cache_destroy(struct vmarena_cache *cache)
{
	WARN_ON_ONCE(cache->resident || cache->source || !list_empty(&cache->wb_link));
	xa_destroy(&cache->pages);
	cache->store->ops->destroy(cache->store);
	mutex_destroy(&cache->lock);
	kfree(cache);
	atomic_long_dec(&vmarena_cache_count);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_destroy);

/*
 * The last reference went: free the pages, unlink from the source, and
 * try to merge the source into its other consumer.
 * Context: no c held; takes c, q, m, then c of the source and l.  May sleep.
 */
static void vmarena_cache_release(struct kref *ref)
{
	struct vmarena_cache *cache = container_of(ref, struct vmarena_cache, ref);
	struct vmarena_cache *source = cache->source;
	struct vmarena_page *page, *batch[VMARENA_CACHE_FREE_BATCH];
	unsigned long index;
	unsigned int n = 0;

	WARN_ON_ONCE(cache->nr_areas || cache->nr_consumers);

	/* Written pages of a file go to its file system first: the writer's job. */
	if (cache->file_key && vmarena_filecache_end(cache))
		return;

	/*
	 * Nobody else sees the index now: the pages go back to the pool in
	 * batches, one hold of q each, and the index goes with xa_destroy().
	 */
	mutex_lock(&cache->lock);
	xa_for_each(&cache->pages, index, page) {
		page->wired_count = 0;
		batch[n++] = page;
		if (n == ARRAY_SIZE(batch)) {
			WARN_ON_ONCE(vmarena_page_free_batch(batch, n) != n);
			n = 0;
		}
	}
	WARN_ON_ONCE(vmarena_page_free_batch(batch, n) != n);
	cache->resident = 0;
	if (cache->store->ops->commit)
		cache->store->ops->commit(cache->store, 0);
	mutex_unlock(&cache->lock);

	if (source) {
		mutex_lock(&source->lock);
		mutex_lock(&vmarena_cache_link_lock);
		list_del(&cache->consumer_link);
		source->nr_consumers--;
		mutex_unlock(&vmarena_cache_link_lock);
		mutex_unlock(&source->lock);
		cache->source = NULL;
	}
	vmarena_cache_destroy(cache);

	if (source) {
		vmarena_cache_try_merge(source);
		vmarena_cache_put(source);
	}
}

/**
 * vmarena_cache_put() - drop a reference; the last one frees the cache
 * @cache: a cache the caller holds a reference to
 *
 * Context: no c held (the release locks the cache and its source).  May
 * sleep.
 */
void vmarena_cache_put(struct vmarena_cache *cache)
{
	might_sleep();
	kref_put(&cache->ref, vmarena_cache_release);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_put);

/**
 * vmarena_cache_area_gone() - an area of @cache went away: merge if due
 * @cache: held by the caller, not locked
 *
 * Context: no c held; takes c as vmarena_cache_try_merge() does.  May sleep.
 */
void vmarena_cache_area_gone(struct vmarena_cache *cache)
{
	vmarena_cache_try_merge(cache);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_area_gone);

/**
 * vmarena_cache_count_alive() - caches alive (tests check that none leak)
 */
long vmarena_cache_count_alive(void)
{
	return atomic_long_read(&vmarena_cache_count);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_count_alive);

int vmarena_cache_init(void)
{
	return 0;
}

void vmarena_cache_uninit(void)
{
	WARN_ON(atomic_long_read(&vmarena_cache_count));
}
