/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arena pages: vmarena's own pages, allocated from the kernel (charged to
 * the caller's memory cgroup) up to the max_pages module parameter, with
 * the arena's metadata beside each one.  Field keys: see locking.h.
 *
 * A page has one of four identities (after UVM, seed 004):
 *
 *   free      in the pool: on the free queue (contents unknown) or the
 *             clear queue (zeroed); ->cache is NULL
 *   cache     owned by ->cache at ->offset, in the cache's page index
 *   run       allocated as part of a contiguous run, owned by the caller
 *             until it is handed to a cache
 *   file      not the arena's: a page of a file's page cache that the
 *             arena holds a reference to, owned by the file cache ->cache
 *             at ->offset (store_file.c).  It counts against max_pages
 *             like an arena page while the arena holds it, and its
 *             descriptor goes when it is freed: the page itself stays the
 *             page cache's.  It never enters the pool.
 *
 * Allowed identity transitions, and the function that makes each:
 *
 *   free  -> cache   vmarena_page_alloc()
 *   free  -> run     vmarena_page_alloc_run()
 *   run   -> cache   vmarena_page_adopt()
 *   cache -> free    vmarena_page_free()
 *   run   -> free    vmarena_page_free()
 *   (none) -> file   vmarena_page_attach()
 *   file  -> (none)  vmarena_page_free()
 *
 * States and their queues: free and clear (identity free); busy (being
 * filled or copied, on no queue); active, inactive and modified (owned,
 * pageable); wired (owned, wired_count > 0).  Allowed state transitions:
 *
 *   free     -> clear (zeroed by the clear worker), busy (allocated)
 *   clear    -> free (pool trimmed), busy (allocated)
 *   busy     -> active, wired, modified, free
 *   active   -> inactive, modified, wired, free
 *   inactive -> active, modified, wired, free
 *   modified -> active, inactive, wired, free
 *   wired    -> active, modified, free
 *
 * vmarena_page_set_state() refuses any other transition with -EINVAL.
 */
#ifndef _VMARENA_PAGE_H
#define _VMARENA_PAGE_H

#include <linux/kconfig.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/types.h>

struct seq_file;
struct vmarena_cache;

enum vmarena_page_state {
	VMARENA_PAGE_FREE,
	VMARENA_PAGE_CLEAR,
	VMARENA_PAGE_BUSY,
	VMARENA_PAGE_ACTIVE,
	VMARENA_PAGE_INACTIVE,
	VMARENA_PAGE_MODIFIED,
	VMARENA_PAGE_WIRED,
	VMARENA_PAGE_NR_STATES,
};

enum vmarena_page_identity {
	VMARENA_PAGE_ID_FREE,
	VMARENA_PAGE_ID_CACHE,
	VMARENA_PAGE_ID_RUN,
	VMARENA_PAGE_ID_FILE,
};

struct vmarena_page {
	struct page *page;		/* -: the kernel page */
	struct list_head queue;		/* q: on the queue of ->state */
	struct vmarena_cache *cache;	/* c,q: owner (identity cache) */
	pgoff_t offset;			/* c,q: page index in ->cache */
	u8 state;			/* c,q: enum vmarena_page_state */
	u8 identity;			/* c,q: enum vmarena_page_identity */
	u8 usage_count;			/* c: touched since the last scan */
	bool busy;			/* c: being read or copied: wait */
	u32 wired_count;		/* c: areas whose wiring record holds it
					 * (area.h); > 0 keeps it resident
					 */
};

/* Flags for vmarena_page_alloc() and vmarena_page_alloc_run(). */
#define VMARENA_ALLOC_ZERO	0x1	/* the page must read as zeros */
#define VMARENA_ALLOC_NOWAIT	0x2	/* do not sleep (GFP_NOWAIT) */
#define VMARENA_ALLOC_DMA	0x4	/* runs only: below 16 MiB (GFP_DMA) */
#define VMARENA_ALLOC_DMA32	0x8	/* runs only: below 4 GiB (GFP_DMA32) */

/* Pool statistics, a snapshot. */
struct vmarena_page_stats {
	unsigned long total;			/* pages taken from the kernel */
	unsigned long max_pages;		/* the cap */
	unsigned long count[VMARENA_PAGE_NR_STATES];
	unsigned long clear_hits;		/* zeroed allocations served by the pool */
	unsigned long clear_misses;		/* ... that had to zero in line */
	unsigned long meta_bytes;		/* metadata bytes per page (slab object) */
	u64 committed;				/* bytes committed */
	u64 max_commit;				/* the commit limit */
};

int vmarena_page_init(void);
void vmarena_page_uninit(void);

struct vmarena_page *vmarena_page_alloc(struct vmarena_cache *cache, pgoff_t offset,
					unsigned int flags);
/* The longest physically contiguous run (a contiguous area's size). */
#define VMARENA_RUN_MAX_ORDER	10
#define VMARENA_RUN_MAX_PAGES	BIT(VMARENA_RUN_MAX_ORDER)

int vmarena_page_alloc_run(unsigned long count, unsigned int flags,
			   struct vmarena_page **pages);
int vmarena_page_adopt(struct vmarena_page *p, struct vmarena_cache *cache,
		       pgoff_t offset);
struct vmarena_page *vmarena_page_attach(struct vmarena_cache *cache, pgoff_t offset,
					 struct page *page);
void vmarena_page_unindex(struct vmarena_page *p);

/* Is @p a page of a file's page cache (identity file)?  Its owner's c held. */
static inline bool vmarena_page_is_file(const struct vmarena_page *p)
{
	return p->identity == VMARENA_PAGE_ID_FILE;
}

/*
 * Lockdep: the cache that owns @p, if any, is locked (cache.c, to which
 * struct vmarena_cache is not opaque; nothing without lockdep).
 */
#ifdef CONFIG_LOCKDEP
void vmarena_page_assert_owner_locked(const struct vmarena_page *p);
#else
static inline void vmarena_page_assert_owner_locked(const struct vmarena_page *p)
{
}
#endif

int vmarena_page_free(struct vmarena_page *p);
unsigned int vmarena_page_free_batch(struct vmarena_page **pages, unsigned int n);
int vmarena_page_set_state(struct vmarena_page *p, enum vmarena_page_state state);
int vmarena_page_set_states(struct vmarena_page **pages, unsigned int n,
			    enum vmarena_page_state state);
unsigned int vmarena_page_alloc_spare(struct vmarena_cache *cache, pgoff_t offset,
				      unsigned int n, struct vmarena_page **pages);

struct vmarena_page *vmarena_page_from_pfn(unsigned long pfn);
struct vmarena_page_desc;
bool vmarena_page_get_desc(unsigned long pfn, struct vmarena_page_desc *d);
void vmarena_page_set_cache(struct vmarena_page *page, struct vmarena_cache *cache);
static inline unsigned long vmarena_page_pfn(const struct vmarena_page *p)
{
	return page_to_pfn(p->page);
}

void vmarena_page_get_stats(struct vmarena_page_stats *stats);
unsigned long vmarena_page_available(void);
unsigned long vmarena_page_set_max_pages(unsigned long max);
const char *vmarena_page_state_name(enum vmarena_page_state state);
void vmarena_page_dump(const struct vmarena_page *p, struct seq_file *m);
void vmarena_page_pool_dump(struct seq_file *m);

/* Commit accounting (NewOS max_commit): bytes promised to areas. */
int vmarena_commit_charge(u64 bytes);
void vmarena_commit_uncharge(u64 bytes);
u64 vmarena_commit_set_limit(u64 limit);

/* The clear-page pool (clear.c): zeroed pages kept ready for faults. */
int vmarena_clear_init(void);
void vmarena_clear_uninit(void);
void vmarena_clear_kick(void);
unsigned long vmarena_clear_target(void);
void vmarena_clear_drain(void);
unsigned long vmarena_clear_fill_sync(void);

/* Test hooks, exported to the KUnit module only (EXPORT_SYMBOL_IF_KUNIT). */
#if IS_ENABLED(CONFIG_KUNIT)
bool vmarena_page_transition_allowed(enum vmarena_page_state from,
				     enum vmarena_page_state to);
#endif

#endif /* _VMARENA_PAGE_H */
