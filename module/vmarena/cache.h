/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caches (NewOS/Haiku VMCache): pages by offset over a store, chained from
 * a consumer down to its source for copy-on-write.  Field keys: locking.h.
 *
 * A private (copy-on-write) mapping puts a new temporary anonymous cache on
 * top of the cache it maps: a read finds a page down the chain, a write
 * copies it into the top cache.  A temporary cache that has lost its last
 * area and has exactly one consumer is merged into that consumer
 * (VMCache::Merge), so chains do not grow without bound.
 *
 * What a cache shows at an offset (the rule of uapi/vmarena.h, "Clones"):
 * its own page there, resident or in its store; else, below ->source_end,
 * what its source shows there; else zeros.  ->source_end starts at the
 * cache's size when it is linked and only ever goes down: to the cache's
 * new size when the cache shrinks, to the source's new size when the
 * source shrinks (for every consumer at once), and to what the merged
 * cache showed when a merge links the cache to the next source down.  So
 * ->source_end never exceeds the size of the cache or of its source, a
 * range shrunk away and grown back shows zeros, and a merge changes
 * nothing any area shows.
 */
#ifndef _VMARENA_CACHE_H
#define _VMARENA_CACHE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "locking.h"
#include "store.h"

struct seq_file;
struct vmarena_page;
struct vmarena_store;

struct vmarena_cache {
	struct mutex lock;			/* c */
	struct kref ref;			/* k */
	u32 id;					/* -: for dumps */
	bool temporary;				/* -: anonymous COW layer, mergeable */
	bool contiguous;			/* c: one physical run, never resized */
	struct vmarena_store *store;		/* -: freed with the cache */
	struct xarray pages;			/* c: offset -> vmarena_page */
	unsigned long resident;			/* c: pages in @pages */
	pgoff_t virtual_end;			/* c: size in pages */
	struct vmarena_cache *source;		/* c: next cache down, holds a ref */
	pgoff_t source_end;			/* c of ->source: shows ->source below it */
	struct list_head consumers;		/* c,l: caches whose source this is */
	struct list_head consumer_link;		/* c of ->source,l */
	unsigned int nr_consumers;		/* c,l */
	struct list_head areas;			/* c,l: areas mapping this cache */
	unsigned int nr_areas;			/* c,l */
	unsigned int busy_gen;			/* c: moves when a page stops being busy;
						 * its waiters read it without c
						 */
	pgoff_t ahead_next;			/* c: where a sequential zero fill goes on */
	wait_queue_head_t busy_wq;		/* waiters for busy_gen */
	struct list_head file_link;		/* v: in the file cache table */
	const void *file_key;			/* -: the inode of a file cache */
	struct list_head wb_link;		/* b: queued for the file writer */
};

/*
 * A mark in a file cache's page index (c): the page may hold bytes written
 * through a mapping that its file system has not been told of yet
 * (filecache.c).
 */
#define VMARENA_CACHE_WRITTEN	XA_MARK_0
/*
 * And, with it: the area that wrote it has gone (deleted, shrunk off, or
 * the cache ended), so it waits for the file writer now, and is counted
 * as pending until it is handed over.
 */
#define VMARENA_CACHE_ORPHANED	XA_MARK_1
/*
 * A collector took the page's written mark and is handing it over, with no
 * lock held: a sync of its range waits for it (filecache.c).
 */
#define VMARENA_CACHE_HANDING	XA_MARK_2

int vmarena_cache_init(void);
void vmarena_cache_uninit(void);

struct vmarena_cache *vmarena_cache_create(struct vmarena_store *store, bool temporary);
static inline void vmarena_cache_get(struct vmarena_cache *cache)
{
	kref_get(&cache->ref);
}

void vmarena_cache_put(struct vmarena_cache *cache);

/* Lock a whole chain, top down; unlock it bottom up. */
void vmarena_cache_lock_chain(struct vmarena_cache *top);
void vmarena_cache_unlock_chain(struct vmarena_cache *top);
void vmarena_cache_lock_sources(struct vmarena_cache *cache);
void vmarena_cache_unlock_sources(struct vmarena_cache *cache);
unsigned int vmarena_cache_depth(struct vmarena_cache *top);

/* Lockdep: @top and every source below it locked (nothing without lockdep). */
#ifdef CONFIG_LOCKDEP
void vmarena_cache_assert_chain_locked(struct vmarena_cache *top);
#else
static inline void vmarena_cache_assert_chain_locked(struct vmarena_cache *top)
{
}
#endif

/**
 * vmarena_cache_below() - the cache whose page @cache shows at @offset when
 *	it has none of its own there: its source, or NULL (zeros)
 * @cache: locked, with its source
 * @offset: page index
 */
static inline struct vmarena_cache *
vmarena_cache_below(struct vmarena_cache *cache, pgoff_t offset)
{
	lockdep_assert_held(&cache->lock);
	if (!cache->source || offset >= cache->source_end)
		return NULL;
	lockdep_assert_held(&cache->source->lock);
	return cache->source;
}

/* Page index; cache lock held. */
struct vmarena_page *vmarena_cache_lookup_page(struct vmarena_cache *cache, pgoff_t offset);
int vmarena_cache_insert_page(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_cache_remove_page(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_cache_mark_page_unbusy(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_cache_wake_waiters(struct vmarena_cache *cache);
void vmarena_cache_unmap_pfn(struct vmarena_cache *cache, pgoff_t offset, unsigned long pfn);
void vmarena_cache_rewire_page(struct vmarena_cache *cache, pgoff_t offset,
			       struct vmarena_page *old, struct vmarena_page *new);
bool vmarena_cache_test_and_clear_young(struct vmarena_cache *cache, pgoff_t offset,
					unsigned long pfn);
void vmarena_cache_wait_busy(struct vmarena_cache *cache, unsigned int gen);

/* Size and commitment; cache lock held. */
int vmarena_cache_set_size(struct vmarena_cache *cache, pgoff_t pages);

/* Chains. */
struct vmarena_cache *vmarena_cache_create_cow(struct vmarena_cache *source, pgoff_t pages,
					       bool overcommit);
void vmarena_cache_add_area(struct vmarena_cache *cache, struct list_head *link);
void vmarena_cache_remove_area(struct vmarena_cache *cache, struct list_head *link);
void vmarena_cache_area_gone(struct vmarena_cache *cache);

/* Pages; cache lock held (and, for drop and protect, l taken). */
void vmarena_cache_drop_page(struct vmarena_cache *cache, struct vmarena_page *page);
bool vmarena_cache_page_gone(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_cache_wrprotect_pfn(struct vmarena_cache *cache, pgoff_t offset, unsigned long pfn);
void vmarena_cache_page_unwired(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_cache_destroy(struct vmarena_cache *cache);

/*
 * File caches (filecache.c): one per inode, shared by every mapping of the
 * file, over the file's own page cache.
 */
static inline bool vmarena_cache_is_file(const struct vmarena_cache *cache)
{
	return cache->store->ops->get_page;
}

int vmarena_filecache_init(void);
void vmarena_filecache_uninit(void);
struct vmarena_cache *vmarena_cache_get_file(struct file *file, bool shared);
void vmarena_filecache_written(struct vmarena_cache *cache, struct vmarena_page *page);
bool vmarena_filecache_is_written(struct vmarena_cache *cache, struct vmarena_page *page);
int vmarena_filecache_writeback(struct vmarena_cache *cache, pgoff_t start, pgoff_t end,
				bool sync);
bool vmarena_filecache_end(struct vmarena_cache *cache);
void vmarena_filecache_orphan(struct vmarena_cache *cache, pgoff_t start, pgoff_t end);
void vmarena_filecache_unmark(struct vmarena_cache *cache, pgoff_t offset);
void vmarena_filecache_take(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_filecache_remark(struct vmarena_cache *cache, struct vmarena_page *page);
void vmarena_filecache_flush(void);
unsigned long vmarena_filecache_pending(void);

void vmarena_cache_dump(struct vmarena_cache *cache, unsigned int depth, struct seq_file *m);
void vmarena_cache_dump_chain(struct vmarena_cache *top, struct seq_file *m);
long vmarena_cache_count_alive(void);

#endif /* _VMARENA_CACHE_H */
