// SPDX-License-Identifier: GPL-2.0
/*
 * The soft fault (NewOS vm_soft_fault, Haiku's vm_soft_fault): find the
 * area, check the access, walk the cache chain, bring the page in, copy it
 * up for a write, map it in the fragments.  Lock keys: locking.h.
 *
 * Everything is decided with the aspace locked for read and the whole
 * chain locked top down.  The fault sleeps with no lock held in three
 * places, waiting for a busy page, reading a page from a store, and
 * reading a file's page (which the retry then attaches to its file cache,
 * if the cache still has none there); it then starts over from the area
 * lookup, so a fault that raced with deletion,
 * resize or a protection change sees the world as it is now (NewOS checked
 * the aspace's change count for the same reason; restarting is simpler and
 * as cheap, since nothing is kept across the sleep).
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "trace.h"

#define VMARENA_FAULT_ACCESS	(VMARENA_FAULT_READ | VMARENA_FAULT_WRITE | VMARENA_FAULT_EXEC)
#define VMARENA_FAULT_FLAGS	(VMARENA_FAULT_ACCESS | VMARENA_FAULT_WIRE | VMARENA_FAULT_EXISTING)
/* Page daemon runs that free nothing a fault waits for before -ENOMEM. */
#define VMARENA_FAULT_RECLAIM_TRIES	4

struct vmarena_fault {
	struct vmarena_aspace *as;
	struct vmarena_area *area;
	struct vmarena_cache *top;
	unsigned long addr;
	pgoff_t offset;
	unsigned int flags;
	vmarena_fault_install_t install;
	vmarena_fault_around_t around;
	unsigned long around_max;
	void *install_arg;
	/* A file's page read with no lock held, for a retry to attach. */
	struct page *file_page;			/* a page reference */
	struct vmarena_cache *file_cache;	/* a cache reference */
	pgoff_t file_offset;
	/* For the vmarena_fault tracepoint (trace.h). */
	u32 area_id;
	enum vmarena_fault_outcome outcome;
	unsigned int ahead;			/* pages filled ahead */
	bool paged_in;				/* a try read the page first */
};

static bool vmarena_fault_allowed(u32 protection, unsigned int access)
{
	if (access & VMARENA_FAULT_READ && !(protection & VMARENA_PROT_READ))
		return false;
	if (access & VMARENA_FAULT_WRITE && !(protection & VMARENA_PROT_WRITE))
		return false;
	if (access & VMARENA_FAULT_EXEC && !(protection & VMARENA_PROT_EXEC))
		return false;
	return true;
}

/*
 * Drop every lock the fault holds.
 * Context: a held for reading, c of the chain held; releases them.
 */
static void vmarena_fault_unlock(struct vmarena_fault *f)
{
	lockdep_assert_held_read(&f->as->lock);
	vmarena_cache_assert_chain_locked(f->top);
	vmarena_cache_unlock_chain(f->top);
	up_read(&f->as->lock);
}

/*
 * @page of @cache is busy: wait until it is not.  Drops every lock; the
 * caller starts over.
 * Context: a held for reading, c of the chain held; releases them.  Sleeps.
 */
static void vmarena_fault_wait(struct vmarena_fault *f, struct vmarena_cache *cache)
{
	unsigned int gen;

	lockdep_assert_held(&cache->lock);
	gen = cache->busy_gen;
	vmarena_cache_get(cache);
	vmarena_fault_unlock(f);
	vmarena_cache_wait_busy(cache, gen);
	vmarena_cache_put(cache);
}

/*
 * @cache's store has page @f->offset: read it into a new busy page.  Drops
 * every lock; the caller starts over.  Returns 0 or an error.
 * Context: a held for reading, c of the chain held; releases them, then
 * takes c of @cache and q.  Sleeps.
 */
static int vmarena_fault_read_store(struct vmarena_fault *f, struct vmarena_cache *cache)
{
	struct vmarena_store *store = cache->store;
	struct vmarena_page *page;
	int ret;

	vmarena_cache_assert_chain_locked(f->top);
	lockdep_assert_held(&cache->lock);
	page = vmarena_page_alloc(cache, f->offset, 0);
	if (!page) {
		vmarena_fault_unlock(f);
		return -ENOMEM;
	}
	ret = vmarena_cache_insert_page(cache, page);
	if (ret) {
		vmarena_page_free(page);
		vmarena_fault_unlock(f);
		return ret;
	}
	vmarena_cache_get(cache);
	vmarena_fault_unlock(f);

	ret = store->ops->read(store, f->offset, page->page);
	if (!ret) {
		vmarena_stat_inc(VMARENA_STAT_PAGEINS);
		trace_vmarena_pagein(cache->id, f->offset, vmarena_page_pfn(page), false, false);
		f->paged_in = true;
	}

	mutex_lock(&cache->lock);
	/* The cache may have shrunk while we read: then the page goes. */
	if (ret || f->offset >= cache->virtual_end) {
		vmarena_cache_remove_page(cache, page);
		vmarena_cache_mark_page_unbusy(cache, page);
		vmarena_page_free(page);
	} else {
		vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE);
		vmarena_cache_mark_page_unbusy(cache, page);
	}
	mutex_unlock(&cache->lock);
	vmarena_cache_put(cache);
	return ret;
}

/*
 * The state of a page a fault has just made: what vmarena_fault_touch()
 * would move it to from active, so that it moves once.
 */
static enum vmarena_page_state vmarena_fault_new_state(unsigned int flags)
{
	if (flags & VMARENA_FAULT_WRITE && !(flags & VMARENA_FAULT_WIRE))
		return VMARENA_PAGE_MODIFIED;
	return VMARENA_PAGE_ACTIVE;
}

/*
 * Put @page, new and busy, into @cache at @f->offset, in the state the
 * fault gives it.  Returns it, or ERR_PTR(-ENOMEM) (then it is freed).
 * Context: a held for reading, c of the chain held; takes q.
 */
static struct vmarena_page *vmarena_fault_insert(struct vmarena_fault *f,
						 struct vmarena_cache *cache,
						 struct vmarena_page *page)
{
	lockdep_assert_held(&cache->lock);
	if (vmarena_cache_insert_page(cache, page)) {
		vmarena_page_free(page);
		return ERR_PTR(-ENOMEM);
	}
	page->busy = false;
	vmarena_page_set_state(page, vmarena_fault_new_state(f->flags));
	return page;
}

/*
 * Drop the file page a fault read and did not attach, if any.
 * Context: no vmarena lock held.  May sleep.
 */
static void vmarena_fault_put_file(struct vmarena_fault *f)
{
	if (f->file_page)
		put_page(f->file_page);
	if (f->file_cache)
		vmarena_cache_put(f->file_cache);
	f->file_page = NULL;
	f->file_cache = NULL;
}

/*
 * File cache @cache has no page at @f->offset: read the file's page (from
 * the page cache, or the file system) with no lock held, and keep it for
 * the retry, which attaches it (vmarena_fault_attach_file()).  Drops
 * every lock; the caller starts over.  Returns 0 or an error.
 * Context: a held for reading, c of the chain held; releases them; the
 * file's read takes the file system's locks.  Sleeps.
 */
static int vmarena_fault_read_file(struct vmarena_fault *f, struct vmarena_cache *cache)
{
	struct vmarena_store *store = cache->store;
	struct page *page;

	lockdep_assert_held(&cache->lock);
	vmarena_cache_get(cache);
	vmarena_fault_unlock(f);
	page = store->ops->get_page(store, f->offset);
	if (IS_ERR(page)) {
		vmarena_cache_put(cache);
		return PTR_ERR(page);
	}
	vmarena_stat_inc(VMARENA_STAT_PAGEINS);
	trace_vmarena_pagein(cache->id, f->offset, page_to_pfn(page), true, false);
	f->paged_in = true;
	vmarena_fault_put_file(f);	/* an earlier try's, for another page */
	f->file_page = page;
	f->file_cache = cache;
	f->file_offset = f->offset;
	return 0;
}

/*
 * The page a previous try read for @cache at @f->offset, now in @cache (a
 * new page in the state the fault gives it); NULL if there is none (or
 * the file let it go meanwhile: read again).
 * Context: a held for reading, c of the chain held; takes q.  May sleep.
 */
static struct vmarena_page *vmarena_fault_attach_file(struct vmarena_fault *f,
						      struct vmarena_cache *cache)
{
	const struct vmarena_store_ops *ops = cache->store->ops;
	struct vmarena_page *page;

	lockdep_assert_held(&cache->lock);
	if (!f->file_page || f->file_cache != cache || f->file_offset != f->offset ||
	    !ops->owns_page(cache->store, f->offset, f->file_page))
		return NULL;	/* none, or the file let it go meanwhile: read again */
	page = vmarena_page_attach(cache, f->offset, f->file_page);
	if (!page)
		return ERR_PTR(-ENOMEM);
	/* The descriptor has the page reference now; the cache's goes at the end. */
	f->file_page = NULL;
	return vmarena_fault_insert(f, cache, page);
}

/*
 * A new zero-filled page at @f->offset of @cache.  A write fault makes it
 * modified at once (not active, then modified by vmarena_fault_touch():
 * one move between queues instead of two).
 * Context: a held for reading, c of the chain held; takes q.  May sleep.
 */
static struct vmarena_page *vmarena_fault_zero_page(struct vmarena_fault *f,
						    struct vmarena_cache *cache)
{
	struct vmarena_page *page;

	lockdep_assert_held(&cache->lock);
	page = vmarena_page_alloc(cache, f->offset, VMARENA_ALLOC_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	return vmarena_fault_insert(f, cache, page);
}

/*
 * Copy-on-write: copy @source (a page of a lower cache) into the top cache.
 * Areas of the top cache (shared clones of a private area) and of its
 * consumers that map @source at this offset lose that mapping, so that
 * they fault again and find the copy.
 * Context: a held for reading, c of the chain held; takes l, then f and
 * i_mmap_rwsem, and q.  May sleep.
 */
static struct vmarena_page *vmarena_fault_copy_up(struct vmarena_fault *f,
						  struct vmarena_page *source)
{
	struct vmarena_page *copy;

	vmarena_cache_assert_chain_locked(f->top);
	copy = vmarena_page_alloc(f->top, f->offset, 0);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	copy_highpage(copy->page, source->page);
	if (vmarena_cache_insert_page(f->top, copy)) {
		vmarena_page_free(copy);
		return ERR_PTR(-ENOMEM);
	}
	copy->busy = false;
	/* A copy-up is a write: modified at once, as for a zero page. */
	vmarena_page_set_state(copy, vmarena_fault_new_state(f->flags | VMARENA_FAULT_WRITE));
	vmarena_cache_unmap_pfn(f->top, f->offset, vmarena_page_pfn(source));
	/* Wired areas that saw @source now see, and wire, the copy (area.h). */
	vmarena_cache_rewire_page(f->top, f->offset, source, copy);
	return copy;
}

/*
 * Record the access in the page's state.  A wiring fault has wired it
 * already (vmarena_area_wire_page()).
 * Context: c of @page's owner held; takes q.
 */
static void vmarena_fault_touch(struct vmarena_page *page, unsigned int flags)
{
	vmarena_page_assert_owner_locked(page);
	if (flags & VMARENA_FAULT_WIRE) {
		/* wired: it stays so */
	} else if (flags & VMARENA_FAULT_WRITE) {
		if (page->state == VMARENA_PAGE_ACTIVE || page->state == VMARENA_PAGE_INACTIVE)
			vmarena_page_set_state(page, VMARENA_PAGE_MODIFIED);
	} else if (page->state == VMARENA_PAGE_INACTIVE) {
		vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE);
	}
	if (page->usage_count < U8_MAX)
		page->usage_count++;
}

/*
 * Map device memory: the store names the pfn.
 * Context: a held for reading, c of the chain held; takes f, and @install
 * the PTL.  May sleep.
 */
static int vmarena_fault_device(struct vmarena_fault *f, struct vmarena_cache *cache,
				struct vmarena_fault_result *res)
{
	unsigned long pfn;
	u32 prot;
	int ret;

	vmarena_cache_assert_chain_locked(f->top);
	ret = cache->store->ops->pfn(cache->store, f->offset, &pfn);
	if (ret)
		return ret;
	prot = f->area->protection | VMARENA_PROT_READ;
	if (cache != f->top)
		prot &= ~VMARENA_PROT_WRITE;
	ret = vmarena_ptfrag_map(&f->as->frag, f->addr, pfn, prot);
	if (ret)
		return ret;
	if (f->install)
		return f->install(f->install_arg, NULL, pfn, prot);
	res->page = NULL;
	res->pfn = pfn;
	res->prot = prot;
	return 0;
}

/*
 * Hand the page to the caller: install it, or return it with a reference.
 * A file's page is installed by pfn, as device memory is (store_file.c).
 * Context: a held for reading, c of the chain held; @install takes PTL.
 */
static int vmarena_fault_deliver(struct vmarena_fault *f, struct vmarena_page *page,
				 u32 prot, struct vmarena_fault_result *res)
{
	if (f->install)
		return f->install(f->install_arg, vmarena_page_is_file(page) ? NULL : page->page,
				  vmarena_page_pfn(page), prot);
	get_page(page->page);
	res->page = page->page;
	res->pfn = vmarena_page_pfn(page);
	res->prot = prot;
	return 0;
}

static bool vmarena_fault_prot_covers(u32 prot, unsigned int flags)
{
	return !(flags & VMARENA_FAULT_WRITE) || prot & VMARENA_PROT_WRITE;
}

/*
 * Does a cache of the fault's (locked) chain own @page?  Arena RAM that a
 * device area maps belongs to a cache outside it.  Only an owner in the
 * chain can set ->cache to one of its caches, so the unlocked read is
 * safe.  Context: c of the chain held.
 */
static bool vmarena_fault_chain_owns(struct vmarena_fault *f, const struct vmarena_page *page)
{
	const struct vmarena_cache *owner = READ_ONCE(page->cache);
	struct vmarena_cache *cache;

	for (cache = f->top; cache; cache = cache->source)
		if (cache == owner)
			return true;
	return false;
}

/*
 * The fast path: the fragments already map the address well enough for
 * this access.  The chain is locked, so the page is still the one mapped.
 * Returns 0 (done), 1 (take the slow path) or an error.
 * Context: a held for reading, c of the chain held; takes f, q, and
 * @install the PTL.
 */
static int vmarena_fault_mapped(struct vmarena_fault *f, struct vmarena_fault_result *res)
{
	struct vmarena_pte_info info;
	struct vmarena_page *page;

	vmarena_cache_assert_chain_locked(f->top);
	if (f->flags & VMARENA_FAULT_WIRE ||
	    vmarena_ptfrag_lookup(&f->as->frag, f->addr, &info) ||
	    !vmarena_fault_prot_covers(info.prot, f->flags))
		return 1;
	page = vmarena_page_from_pfn(info.pfn);
	if (!page) {
		if (!f->install) {
			res->page = NULL;
			res->pfn = info.pfn;
			res->prot = info.prot;
			return 0;
		}
		return f->install(f->install_arg, NULL, info.pfn, info.prot);
	}
	/*
	 * A file page the file let go of: the slow path drops it.  (Arena
	 * RAM a device area maps belongs to a cache outside this chain.)
	 */
	if (!vmarena_fault_chain_owns(f, page))
		return vmarena_fault_deliver(f, page, info.prot, res);
	if (vmarena_page_is_file(page) && !page->wired_count &&
	    vmarena_cache_page_gone(page->cache, page))
		return 1;
	vmarena_fault_touch(page, f->flags);
	return vmarena_fault_deliver(f, page, info.prot, res);
}

struct vmarena_fault_around_batch {
	unsigned long next;			/* the address the run needs next */
	unsigned long count;
	unsigned long writable;			/* leading pages mapped writable */
	struct page *pages[VMARENA_FAULT_AROUND];
};

/*
 * One fragment entry after the fault: extend the run, or end it.  The
 * page's owner is in the locked chain, so its state (c,q) is stable.
 * Context: c of the chain and f held.
 */
static int vmarena_fault_around_one(void *arg, unsigned long va,
				    const struct vmarena_pte_info *info)
{
	struct vmarena_fault_around_batch *b = arg;
	struct vmarena_page *page;

	if (va != b->next)
		return 1;	/* a hole ends the run */
	page = vmarena_page_from_pfn(info->pfn);
	if (!page || vmarena_page_is_file(page))
		return 1;	/* device memory and file pages are left to faults */
	if (b->writable == b->count && info->prot & VMARENA_PROT_WRITE &&
	    page->state == VMARENA_PAGE_MODIFIED)
		b->writable++;
	b->pages[b->count++] = page->page;
	b->next += PAGE_SIZE;
	return 0;
}

/*
 * Hand the resident pages that follow the fault in its area to the caller's
 * fault-around.  They are mapped in the fragments, so their owners are in
 * the locked chain and they cannot go away meanwhile.  One walk of the
 * fragments, under their lock once.
 * Context: a held for reading, c of the chain held; takes f, and @around
 * the PTL.
 */
static void vmarena_fault_around(struct vmarena_fault *f)
{
	struct vmarena_fault_around_batch b = { .next = f->addr + PAGE_SIZE };
	unsigned long end;

	lockdep_assert_held_read(&f->as->lock);
	vmarena_cache_assert_chain_locked(f->top);
	end = min(f->area->base + f->area->size,
		  f->addr + (min(f->around_max, ARRAY_SIZE(b.pages)) + 1) * PAGE_SIZE);
	if (end <= b.next)
		return;
	vmarena_ptfrag_walk(&f->as->frag, b.next, end - b.next, vmarena_fault_around_one, &b);
	if (b.count)
		f->around(f->install_arg, f->addr + PAGE_SIZE, b.pages, b.count, b.writable);
}

/*
 * What a page of a shared file area is mapped with: write only while it is
 * marked written (filecache.c), so a write fault marks it, and a read
 * fault leaves write out unless it is marked already.
 * Context: c of the chain held; takes b.
 */
static u32 vmarena_fault_file_prot(struct vmarena_fault *f, struct vmarena_cache *cache,
				   struct vmarena_page *page, u32 prot)
{
	lockdep_assert_held(&cache->lock);
	if (f->flags & VMARENA_FAULT_WRITE)
		vmarena_filecache_written(cache, page);
	else if (!vmarena_filecache_is_written(cache, page))
		prot &= ~VMARENA_PROT_WRITE;
	return prot;
}

/*
 * One attempt.  Returns 0 (done, res filled), -EAGAIN (locks dropped after
 * a sleep: start over) or an error.
 * Context: no vmarena lock held; takes a for reading, c of the chain, then
 * l, f, q, b, and @install the PTL.  Sleeps.
 */
static int vmarena_fault_once(struct vmarena_fault *f, struct vmarena_fault_result *res)
{
	struct vmarena_cache *cache, *owner = NULL, *bottom = NULL;
	struct vmarena_page *page = NULL;
	bool write = f->flags & VMARENA_FAULT_WRITE, zeroed = false;
	u32 prot;
	int ret;

	f->outcome = VMARENA_OUTCOME_ERROR;	/* until this try has done something */
	down_read(&f->as->lock);
	if (READ_ONCE(f->as->deleting)) {
		up_read(&f->as->lock);
		return -ESRCH;
	}
	f->area = vmarena_area_lookup(f->as, f->addr);
	if (!f->area) {
		up_read(&f->as->lock);
		return -EFAULT;
	}
	/* Wiring the growth of an inaccessible wired area maps nothing. */
	if (!vmarena_fault_allowed(f->area->protection, f->flags) &&
	    !(f->flags & VMARENA_FAULT_WIRE && !f->area->protection)) {
		up_read(&f->as->lock);
		return -EACCES;
	}
	f->area_id = f->area->id;
	f->top = f->area->cache;
	f->offset = f->area->cache_offset + ((f->addr - f->area->base) >> PAGE_SHIFT);
	vmarena_cache_lock_chain(f->top);

	ret = vmarena_fault_mapped(f, res);
	if (ret <= 0) {
		if (!ret) {
			vmarena_stat_inc(VMARENA_STAT_FAULTS_MAPPED);
			f->outcome = VMARENA_OUTCOME_MAPPED;
		}
		goto out_unlock;
	}

	/*
	 * Each cache shows its own page, or below its ->source_end what its
	 * source shows, or zeros (cache.h): vmarena_cache_below().
	 */
	for (cache = f->top; cache; cache = vmarena_cache_below(cache, f->offset)) {
		const struct vmarena_store_ops *ops = cache->store->ops;

		/*
		 * Nothing lies past a cache's end, nor in its sources there.
		 * Its store may go on (a file does), but what a fault read
		 * there would be dropped as past the end
		 * (vmarena_fault_read_store()) and read again for ever: the
		 * fuzzer's 45 million page-ins.  Past the area's own cache
		 * the fault fails (an area is never linked past it, so only
		 * a bug gets here); a source is never shown past its end
		 * (->source_end), so the walk cannot get there.
		 */
		if (f->offset >= cache->virtual_end) {
			if (WARN_ON_ONCE(cache != f->top))
				break;
			ret = -EFAULT;
			goto out_unlock;
		}
		bottom = cache;
		if (ops->type == VMARENA_STORE_NULL) {
			ret = -EFAULT;
			goto out_unlock;
		}
		if (ops->pfn) {
			f->outcome = VMARENA_OUTCOME_DEVICE;
			ret = vmarena_fault_device(f, cache, res);
			goto out_unlock;
		}
		page = vmarena_cache_lookup_page(cache, f->offset);
		if (page && page->busy) {
			vmarena_fault_wait(f, cache);
			return -EAGAIN;
		}
		if (page && !page->wired_count && vmarena_cache_page_gone(cache, page)) {
			vmarena_cache_drop_page(cache, page);
			page = NULL;
		}
		if (page) {
			owner = cache;
			break;
		}
		if (ops->get_page) {
			/* A file: its page, or SIGBUS past its end. */
			if (!ops->has_page(cache->store, f->offset)) {
				ret = -ENXIO;
				goto out_unlock;
			}
			page = vmarena_fault_attach_file(f, cache);
			if (IS_ERR(page)) {
				ret = PTR_ERR(page);
				goto out_unlock;
			}
			if (!page) {
				vmarena_stat_inc(VMARENA_STAT_FAULTS_MAJOR);
				ret = vmarena_fault_read_file(f, cache);
				return ret ? ret : -EAGAIN;
			}
			owner = cache;
			break;
		}
		if (ops->has_page && ops->has_page(cache->store, f->offset)) {
			vmarena_stat_inc(VMARENA_STAT_FAULTS_MAJOR);
			ret = vmarena_fault_read_store(f, cache);
			return ret ? ret : -EAGAIN;
		}
	}

	if (!page) {
		if (f->flags & VMARENA_FAULT_EXISTING) {
			ret = -ENOENT;
			goto out_unlock;
		}
		/*
		 * Nobody has it: a write fills it in the top cache; a read in
		 * the bottom one (NewOS), so that a private clone keeps seeing
		 * what its source writes there until it writes the page itself.
		 * The bottom is the last cache the walk reached, the one whose
		 * zeros the area shows: it never shows its source there again.
		 */
		owner = write ? f->top : bottom;
		page = vmarena_fault_zero_page(f, owner);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out_unlock;
		}
		vmarena_stat_inc(VMARENA_STAT_FAULTS_ZERO);
		f->outcome = VMARENA_OUTCOME_ZERO;
		zeroed = true;
	} else if (!(write && owner != f->top)) {
		vmarena_stat_inc(VMARENA_STAT_FAULTS_MINOR);
		f->outcome = VMARENA_OUTCOME_MINOR;
	}
	if (write && owner != f->top) {
		page = vmarena_fault_copy_up(f, page);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out_unlock;
		}
		vmarena_stat_inc(VMARENA_STAT_FAULTS_COW);
		f->outcome = VMARENA_OUTCOME_COW;
		owner = f->top;
	}

	prot = f->area->protection | VMARENA_PROT_READ;
	if (owner != f->top)
		prot &= ~VMARENA_PROT_WRITE;
	else if (vmarena_cache_is_file(owner))
		prot = vmarena_fault_file_prot(f, owner, page, prot);
	/*
	 * A super-locked VMARENA_AREA_LAZY area wires each page on its first
	 * touch (the super-lock wired what it had touched before).
	 */
	if (f->flags & VMARENA_FAULT_WIRE || f->area->superwired) {
		ret = vmarena_area_wire_page(f->area, (f->addr - f->area->base) >> PAGE_SHIFT,
					     page);
		if (ret || !f->area->protection) {
			res->page = NULL;	/* resident and wired, not mapped */
			goto out_unlock;
		}
	}
	ret = vmarena_ptfrag_map(&f->as->frag, f->addr, vmarena_page_pfn(page), prot);
	if (ret)
		goto out_unlock;
	vmarena_fault_touch(page, f->flags);
	ret = vmarena_fault_deliver(f, page, prot, res);
	/* Only a caller that maps the pages after the fault gains from them. */
	if (!ret && zeroed && f->around)
		f->ahead = vmarena_fault_ahead(f->as, f->area, owner, f->addr, f->offset,
					       f->around_max, prot, page->state);
out_unlock:
	if (!ret && f->around)
		vmarena_fault_around(f);
	vmarena_fault_unlock(f);
	return ret;
}

/*
 * vmarena_fault_once() found the pool at its cap: with every lock dropped,
 * let the page daemon make room (pagedaemon.c), and start over (-EAGAIN)
 * for as long as it pages something out (other faults may take what it
 * freed first), and a few runs more that free nothing: then the arena is
 * full of pages it may not page out (-ENOMEM).
 * Context: no vmarena lock held; takes d.  Sleeps.
 */
static int vmarena_fault_reclaim(unsigned int *tries)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (vmarena_pagedaemon_reclaim() || ++*tries < VMARENA_FAULT_RECLAIM_TRIES)
		return -EAGAIN;
	return -ENOMEM;
}

/* Context: no vmarena lock held; as vmarena_fault_once(), and d.  Sleeps. */
static int vmarena_fault_run(struct vmarena_fault *f, struct vmarena_fault_result *res)
{
	unsigned int tries = 0, retries = 0;
	int ret;

	might_sleep();
	if (!(f->flags & VMARENA_FAULT_ACCESS) || f->flags & ~VMARENA_FAULT_FLAGS)
		return -EINVAL;
	vmarena_stat_inc(VMARENA_STAT_FAULTS);
	atomic64_inc(&f->as->faults);
	for (;;) {
		ret = vmarena_fault_once(f, res);
		if (ret == -ENOMEM)
			ret = vmarena_fault_reclaim(&tries);
		if (ret != -EAGAIN)
			break;
		retries++;
	}
	vmarena_fault_put_file(f);
	/*
	 * What the core did, and the result: a caller's error (-ESTALE from
	 * a window whose PTE went stale while the core copied the page up)
	 * comes after the work.
	 */
	trace_vmarena_fault(f->as->id, f->area_id, f->addr, f->flags,
			    f->paged_in && f->outcome != VMARENA_OUTCOME_ERROR ?
			    VMARENA_OUTCOME_PAGEIN : f->outcome, retries, f->ahead, ret);
	return ret;
}

/**
 * __vmarena_fault() - vmarena_fault() with internal flags
 * @as: held by the caller
 * @addr: the faulting address
 * @flags: VMARENA_FAULT_* access bits, plus WIRE and EXISTING
 * @res: filled on success
 *
 * Context: no vmarena lock held (mmap_lock may be); takes a, c, l, f, q,
 * b, and d when the pool is full.  Sleeps.
 */
int __vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int flags,
		    struct vmarena_fault_result *res)
{
	struct vmarena_fault f = {
		.as = as,
		.addr = addr & PAGE_MASK,
		.flags = flags,
	};

	return vmarena_fault_run(&f, res);
}
EXPORT_SYMBOL_IF_KUNIT(__vmarena_fault);

/**
 * vmarena_fault_install() - fault @addr in and let @install map it
 * @as: held by the caller
 * @addr: the faulting address
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @install: called once, with the locks held (see vmarena_fault_install_t);
 *	its return value is the fault's
 * @arg: for @install
 *
 * The user-space fault path: the PTE it installs and the arena's view of
 * the page are made under the same locks.  Returns what vmarena_fault()
 * returns, or @install's error.
 *
 * Context: as __vmarena_fault(); @install takes the PTL.  Sleeps.
 */
int vmarena_fault_install(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
			  vmarena_fault_install_t install, void *arg)
{
	return vmarena_fault_install_around(as, addr, access, install, NULL, 0, arg);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_install);

/**
 * vmarena_fault_install_around() - vmarena_fault_install() with fault-around
 * @as: held by the caller
 * @addr: the faulting address
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @install: as for vmarena_fault_install()
 * @around: called after a successful @install, under the same locks, with
 *	the resident pages that follow @addr (at most @max, never past the
 *	area); not called if there are none
 * @max: how many pages after @addr the caller can take
 * @arg: for both callbacks
 *
 * Context: as __vmarena_fault(); the callbacks take the PTL.  Sleeps.
 */
int vmarena_fault_install_around(struct vmarena_aspace *as, unsigned long addr,
				 unsigned int access, vmarena_fault_install_t install,
				 vmarena_fault_around_t around, unsigned long max, void *arg)
{
	struct vmarena_fault f = {
		.as = as,
		.addr = addr & PAGE_MASK,
		.flags = access,
		.install = install,
		.around = around,
		.around_max = max,
		.install_arg = arg,
	};
	struct vmarena_fault_result unused;

	if (access & ~VMARENA_FAULT_ACCESS)
		return -EINVAL;
	atomic64_inc(&as->window_faults);
	return vmarena_fault_run(&f, &unused);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_install_around);

/**
 * vmarena_fault() - make @addr of @as resident and mapped for @access
 * @as: held by the caller
 * @addr: the faulting address (need not be page aligned)
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @res: the page with a reference (put_page() it), its pfn and the
 *	protection it is mapped with; for device memory, page is NULL
 *
 * Returns 0, or -EFAULT (no area there, or a reservation), -EACCES (the
 * area does not allow @access), -ESRCH (the aspace is being deleted),
 * -ENXIO (a file page past the end of its file), -ENOMEM, -EINVAL (bad
 * @access), or a store's read error.
 *
 * Context: as __vmarena_fault().  Sleeps.
 */
int vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
		  struct vmarena_fault_result *res)
{
	if (access & ~VMARENA_FAULT_ACCESS)
		return -EINVAL;
	return __vmarena_fault(as, addr, access, res);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault);

/**
 * vmarena_get_page_mapping() - the physical address @addr maps to
 * @as: held by the caller
 * @addr: any address
 * @phys: set on success
 *
 * Returns 0 or -ENOENT if nothing is mapped there.
 *
 * Context: no a held; takes a for reading, then f.  May sleep.
 */
int vmarena_get_page_mapping(struct vmarena_aspace *as, unsigned long addr, phys_addr_t *phys)
{
	struct vmarena_pte_info info;
	int ret;

	down_read(&as->lock);
	ret = vmarena_ptfrag_lookup(&as->frag, addr & PAGE_MASK, &info);
	up_read(&as->lock);
	if (ret)
		return ret == -EINVAL ? -ENOENT : ret;
	*phys = PFN_PHYS(info.pfn) + offset_in_page(addr);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_get_page_mapping);
