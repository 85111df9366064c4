// SPDX-License-Identifier: GPL-2.0
/*
 * The fault's prepare phase (fault.c's head): make the page the case
 * table's row needs.  Zero fill, copy-up, attaching a file's page, and the
 * two reads that sleep with no lock held and make the fault start over: a
 * page from a store (swap), a page from a file.  Lock keys: locking.h.
 */
#include <linux/highmem.h>
#include <linux/mm.h>

#include "fault_internal.h"
#include "trace.h"

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
		f->read_row = f->row;
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
void vmarena_fault_put_file(struct vmarena_fault *f)
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
	f->read_row = f->row;
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
 * Prepare for a file: attach the page a previous try read, or read it.
 * Context: a held for reading, c of the chain held.  NEXT (attached: f->row
 * is the row of where it is now), DONE: both held; RESTART, FAIL: nothing
 * held.  Sleeps.
 */
static enum vmarena_fault_step vmarena_fault_prepare_file(struct vmarena_fault *f)
{
	struct vmarena_page *page = vmarena_fault_attach_file(f, f->found);

	if (IS_ERR(page))
		return vmarena_fault_done(f, PTR_ERR(page));
	if (!page) {
		f->err = vmarena_fault_read_file(f, f->found);
		return f->err ? VMARENA_STEP_FAIL : VMARENA_STEP_RESTART;
	}
	f->page = page;
	return vmarena_fault_found(f, f->found == f->top ? VMARENA_WHERE_TOP :
						       VMARENA_WHERE_BELOW);
}

/*
 * Phase 3, prepare: what the row says, so that f->page is the page to map
 * (not for device memory, which has none).
 * Context: a held for reading, c of the chain held; takes l, f,
 * i_mmap_rwsem and q (a copy-up), q (a new page).  NEXT, DONE: both held;
 * RESTART, FAIL (after a read with no lock held): nothing held.  Sleeps.
 */
enum vmarena_fault_step vmarena_fault_prepare(struct vmarena_fault *f)
{
	enum vmarena_fault_step step;
	struct vmarena_page *page;

	switch (f->row->prepare) {
	case VMARENA_PREPARE_NOTHING:
		return VMARENA_STEP_NEXT;
	case VMARENA_PREPARE_READ_STORE:
		f->err = vmarena_fault_read_store(f, f->found);
		return f->err ? VMARENA_STEP_FAIL : VMARENA_STEP_RESTART;
	case VMARENA_PREPARE_READ_FILE:
		step = vmarena_fault_prepare_file(f);
		/* Attached: on by the row of where the page is now. */
		return step == VMARENA_STEP_NEXT ? vmarena_fault_prepare(f) : step;
	case VMARENA_PREPARE_ZERO:
		if (f->flags & VMARENA_FAULT_EXISTING)
			return vmarena_fault_done(f, -ENOENT);
		/*
		 * A write fills the page in the top cache; a read in the bottom
		 * one (NewOS), so that a private clone keeps seeing what its
		 * source writes there until it writes the page itself.
		 */
		page = vmarena_fault_zero_page(f, vmarena_fault_owner(f));
		break;
	case VMARENA_PREPARE_COPY_UP:
		page = vmarena_fault_copy_up(f, f->page);
		break;
	default:
		WARN_ON_ONCE(1);
		return vmarena_fault_done(f, -EINVAL);
	}
	if (IS_ERR(page))
		return vmarena_fault_done(f, PTR_ERR(page));
	f->page = page;
	return VMARENA_STEP_NEXT;
}
