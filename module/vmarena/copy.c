// SPDX-License-Identifier: GPL-2.0
/*
 * Copies (Haiku's vm_copy_area() and vm_copy_on_write_area()): a new area
 * that shows what another showed when it was made, after which neither
 * sees the other's writes.  Lock keys: locking.h; the rules by kind of
 * source: uapi/vmarena.h ("Copies").
 *
 * A copy on write puts two new temporary caches over the source's cache
 * (the lower one): one becomes the cache of every area that mapped the
 * lower one (the source and its shared clones), the other the copy's.
 * The lower cache keeps its pages and its consumers (private clones made
 * before the copy), so they keep what they showed; the pages the source's
 * areas map lose write access, and their next write copies them up.
 * Pinned memory must not fault, so a pinned source is copied eagerly
 * instead (Haiku copies wired pages at once too), and stays as it is.
 *
 * area->cache changes here, for every area of the lower cache, with r,
 * each such area's a for writing, the caches' c and l held: whoever reads
 * it holds a (or r, and resize reads it under r).  A clone reads its
 * source's cache and links to it later with no lock held in between: it
 * holds vmarena_copy_rwsem for reading across, which a copy takes for
 * writing (after r: a clone never takes r, and KUnit clones under r).
 */
#include <linux/highmem.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* Copies against clones of their source (above; locking.h, key y). */
DECLARE_RWSEM(vmarena_copy_rwsem);

enum vmarena_copy_kind {
	VMARENA_COPY_RESERVE,	/* a reservation: another reservation */
	VMARENA_COPY_SHARE,	/* shared on purpose: a shared clone */
	VMARENA_COPY_EAGER,	/* pinned: copied page by page now */
	VMARENA_COPY_COW,	/* both get a new layer over the source's cache */
};

/*
 * What a copy of @source is: @req's name (empty: @source's), placement,
 * owner and charge; @source's size, protection and flags.
 * Context: a of @source's aspace held.
 */
static void vmarena_copy_spec(const struct vmarena_area *source,
			      const struct vmarena_area_spec *req, struct vmarena_area_spec *spec)
{
	lockdep_assert_held(&source->aspace->lock);
	*spec = *req;
	if (!spec->name || !spec->name[0])
		spec->name = source->name;
	spec->size = source->size;
	spec->protection = source->protection;
	spec->protection_max = source->protection_max;
	spec->lock_level = VMARENA_LOCK_UNLOCKED;
	/* A copy is no contiguous run: placed runs are copied into pages anywhere. */
	spec->flags = source->flags & VMARENA_AREA_FLAGS_ALL &
		      ~(VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G);
	spec->wiring = VMARENA_WIRING_LAZY;
}

/*
 * Does a copy of an area over @top read through memory others may still
 * write: a cache below @top that areas map (the source of a private
 * clone)?  A file's does not count: a private file area follows its file
 * where it has not written, and so does its copy, as after fork() of a
 * MAP_PRIVATE mapping.  Context: r and y (writing) held; takes the c of
 * @top's chain.
 */
static bool vmarena_copy_reads_live_memory(struct vmarena_cache *top)
{
	struct vmarena_cache *cache;
	bool live = false;

	lockdep_assert_held_write(&vmarena_copy_rwsem);
	vmarena_cache_lock_chain(top);
	for (cache = top; !live && cache->source && cache->source_end; cache = cache->source)
		live = !vmarena_cache_is_file(cache->source) && cache->source->nr_areas;
	vmarena_cache_unlock_chain(top);
	return live;
}

/*
 * How @source is copied, what the copy is (*@spec, from @req), and
 * @source's cache with a reference (*@cachep).  Returns the kind, or
 * -ENOENT (deleted).  Lock levels and super-lock marks are still under r
 * (memlock.h); wiring is constant; the shared mark is still under y.
 * Context: r and y (writing) held; takes a of @source's aspace, then c.
 */
static int vmarena_copy_kind(struct vmarena_area *source, const struct vmarena_area_spec *req,
			     struct vmarena_area_spec *spec, struct vmarena_cache **cachep)
{
	struct vmarena_aspace *as = source->aspace;
	int kind = VMARENA_COPY_COW;
	struct vmarena_cache *cache;
	struct vmarena_area *sharer;

	lockdep_assert_held(&vmarena_resize_mutex);
	lockdep_assert_held_write(&vmarena_copy_rwsem);	/* source->shared */
	down_read(&as->lock);
	if (source->deleted) {
		up_read(&as->lock);
		return -ENOENT;
	}
	cache = source->cache;
	vmarena_cache_get(cache);
	vmarena_copy_spec(source, req, spec);
	up_read(&as->lock);
	*cachep = cache;

	if (source->reservation)
		return VMARENA_COPY_RESERVE;
	if (source->shared || vmarena_cache_is_file(cache) ||
	    cache->store->ops->type == VMARENA_STORE_DEVICE)
		return VMARENA_COPY_SHARE;
	mutex_lock(&cache->lock);
	if (cache->contiguous)
		kind = VMARENA_COPY_EAGER;
	list_for_each_entry(sharer, &cache->areas, cache_link)
		if (vmarena_area_pinned(sharer))
			kind = VMARENA_COPY_EAGER;
	mutex_unlock(&cache->lock);
	/*
	 * Layers over live memory would not keep the snapshot: copy now.  Not
	 * an area that cannot be read or executed: filling the copy would
	 * fault it for write, a copy-up that would end its view of its source.
	 */
	if (kind == VMARENA_COPY_COW &&
	    spec->protection & (VMARENA_PROT_READ | VMARENA_PROT_EXEC) &&
	    vmarena_copy_reads_live_memory(cache))
		kind = VMARENA_COPY_EAGER;
	/* Wiring needs access (vmarena_area_check_spec()). */
	if (kind == VMARENA_COPY_EAGER && source->wiring != VMARENA_WIRING_LAZY &&
	    spec->protection)
		spec->wiring = VMARENA_WIRING_WIRED;
	return kind;
}

/*
 * Copy into @page (new, busy, unindexed) what @top shows at @offset.
 * Returns 0 (zeros there: *@zero), or -EAGAIN when that page is busy or
 * lies in a store (paged out, a file's), for the caller to fault it in.
 * Context: the chain of @top locked.
 */
static int vmarena_copy_page_locked(struct vmarena_cache *top, pgoff_t offset,
				    struct vmarena_page *page, bool *zero)
{
	const struct vmarena_store_ops *ops;
	struct vmarena_cache *cache;
	struct vmarena_page *found;

	vmarena_cache_assert_chain_locked(top);
	*zero = true;
	for (cache = top; cache; cache = vmarena_cache_below(cache, offset)) {
		if (offset >= cache->virtual_end)
			return 0;
		found = vmarena_cache_lookup_page(cache, offset);
		if (found) {
			if (found->busy)
				return -EAGAIN;
			copy_highpage(page->page, found->page);
			*zero = false;
			return 0;
		}
		ops = cache->store->ops;
		if (ops->get_page || (ops->has_page && ops->has_page(cache->store, offset)))
			return -EAGAIN;
	}
	return 0;
}

/*
 * Copy page @i of @source into @copy.  Returns 0 (also when @source was
 * shrunk below @i meanwhile: zeros there), -ENOMEM, -ENOENT (@source
 * deleted meanwhile), or -EAGAIN (fault it in first).
 * Context: no vmarena lock held but r; takes c of @copy, then a of
 * @source's aspace and c of its chain, then c of @copy again.
 */
static int vmarena_copy_one(struct vmarena_cache *copy, struct vmarena_area *source,
			    pgoff_t i)
{
	struct vmarena_aspace *as = source->aspace;
	struct vmarena_page *page;
	bool zero = true;
	int ret = 0;

	lockdep_assert_held(&vmarena_resize_mutex);
	mutex_lock(&copy->lock);
	page = vmarena_page_alloc(copy, i, 0);
	mutex_unlock(&copy->lock);
	if (!page)
		return -ENOMEM;
	down_read(&as->lock);
	if (source->deleted) {
		ret = -ENOENT;
	} else if (i < source->size >> PAGE_SHIFT) {
		vmarena_cache_lock_chain(source->cache);
		ret = vmarena_copy_page_locked(source->cache, source->cache_offset + i, page,
					       &zero);
		vmarena_cache_unlock_chain(source->cache);
	}
	up_read(&as->lock);

	mutex_lock(&copy->lock);
	if (ret || zero || vmarena_cache_insert_page(copy, page)) {
		vmarena_page_free(page);
		mutex_unlock(&copy->lock);
		return ret;
	}
	page->busy = false;
	vmarena_page_set_state(page, VMARENA_PAGE_MODIFIED);
	mutex_unlock(&copy->lock);
	return 0;
}

/*
 * Fault page @i of @source in (for read, or what its protection allows),
 * for vmarena_copy_one() to find.
 * Returns 0, 1 (a file page past the end of its file: zeros in the copy,
 * where the source raises SIGBUS), -EINTR, or the fault's error (-EACCES:
 * @source has no access, -ENOMEM).  Context: no vmarena lock held but r; sleeps.
 */
static int vmarena_copy_fault(struct vmarena_area *source, pgoff_t i)
{
	struct vmarena_fault_result res;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	if (fatal_signal_pending(current))
		return -EINTR;
	ret = __vmarena_fault(source->aspace, source->base + (i << PAGE_SHIFT),
			      vmarena_area_fill_access(READ_ONCE(source->protection), false),
			      &res);
	if (ret == -ENXIO)
		return 1;
	/* Deleted or shrunk meanwhile: vmarena_copy_one() finds out. */
	if (ret == -EFAULT || ret == -ESRCH)
		return 0;
	if (!ret && res.page)
		put_page(res.page);
	return ret;
}

/*
 * Fill @copy with what @source shows now, page by page; a page that is not
 * resident is faulted in through @source first.  Returns 0, -ENOMEM,
 * -EINTR, or the fault's error.  Context: no vmarena lock held but r;
 * sleeps.
 */
static int vmarena_copy_fill(struct vmarena_cache *copy, struct vmarena_area *source,
			     pgoff_t pages)
{
	pgoff_t i;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; i < pages; i++) {
		while ((ret = vmarena_copy_one(copy, source, i)) == -EAGAIN) {
			ret = vmarena_copy_fault(source, i);
			if (ret)
				break;
		}
		if (ret < 0)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * An eager copy: a new anonymous cache filled with @source's pages, then
 * mapped (and wired, if @spec says so).  Context: r held; sleeps.
 */
static int vmarena_copy_eager(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			      struct vmarena_area *source, struct vmarena_area **out)
{
	struct vmarena_cache *copy;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	copy = vmarena_area_new_cache(vmarena_store_anon_create(spec->flags &
								 VMARENA_AREA_OVERCOMMIT),
				      spec, true);
	if (IS_ERR(copy))
		return PTR_ERR(copy);
	ret = vmarena_copy_fill(copy, source, spec->size >> PAGE_SHIFT);
	if (ret) {
		vmarena_cache_put(copy);
		return ret;
	}
	return vmarena_area_map_new(as, spec, copy, 0, out);
}

/*
 * Lock the aspace of every area of @cache for writing (resize.c's
 * sharers), until the set holds still.  Returns 0 with them locked, or
 * -ENOMEM with nothing held.  Context: r held; takes each sharer's a.
 */
static int vmarena_copy_lock_sharers(struct vmarena_cache *cache, struct vmarena_sharers *sh)
{
	bool still;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (;;) {
		ret = vmarena_sharers_collect(sh, cache, NULL, false, GFP_KERNEL);
		if (ret)
			return ret;
		vmarena_sharers_lock(sh);
		mutex_lock(&cache->lock);
		still = cache->nr_areas == sh->n && vmarena_area_sharers_in(cache, sh->set, sh->n);
		mutex_unlock(&cache->lock);
		if (still)
			return 0;
		vmarena_sharers_unlock(sh);
		vmarena_sharers_drop(sh);
		vmarena_sharers_free(sh);
	}
}

/*
 * vmarena_copy_layer_locked() - put @upper over every area of @lower
 * @upper: a new temporary consumer of @lower, with no area and no page
 * @lower: the cache the areas map
 *
 * Haiku's vm_copy_on_write_area(): the pages of @lower that its areas map
 * lose write access (fragments and windows), then each area maps @upper,
 * which takes over their references.  What each area shows is unchanged.
 * Returns how many areas moved (each owes @lower a reference).
 * Context: r and the a of every area of @lower held for writing; takes c
 * of @upper's chain, l, then f and i_mmap_rwsem.  May sleep.
 */
static unsigned int vmarena_copy_layer_locked(struct vmarena_cache *upper,
					      struct vmarena_cache *lower)
{
	struct vmarena_area *area, *next;
	struct vmarena_page *page;
	unsigned long index;
	unsigned int n = 0;

	lockdep_assert_held(&vmarena_resize_mutex);
	vmarena_cache_lock_chain(upper);
	xa_for_each(&lower->pages, index, page)
		if (!page->busy)
			vmarena_cache_wrprotect_pfn(lower, index, vmarena_page_pfn(page));
	mutex_lock(&vmarena_cache_link_lock);
	list_for_each_entry_safe(area, next, &lower->areas, cache_link) {
		lockdep_assert_held_write(&area->aspace->lock);
		list_move_tail(&area->cache_link, &upper->areas);
		lower->nr_areas--;
		upper->nr_areas++;
		vmarena_cache_get(upper);
		area->cache = upper;
		n++;
	}
	mutex_unlock(&vmarena_cache_link_lock);
	vmarena_cache_unlock_chain(upper);
	return n;
}

/*
 * Give every area of @lower the new layer @upper (its reference is
 * dropped).  Cannot fail: @upper was made beforehand.
 * Context: r held; takes the sharers' a, then what
 * vmarena_copy_layer_locked() takes.  Sleeps.
 */
static void vmarena_copy_layer(struct vmarena_cache *upper, struct vmarena_cache *lower)
{
	struct vmarena_sharers sh = {};
	unsigned int n;

	lockdep_assert_held(&vmarena_resize_mutex);
	while (vmarena_copy_lock_sharers(lower, &sh))
		cond_resched();	/* GFP_KERNEL for a few pointers: retry */
	n = vmarena_copy_layer_locked(upper, lower);
	vmarena_sharers_unlock(&sh);
	vmarena_sharers_drop(&sh);
	vmarena_sharers_free(&sh);
	while (n--)
		vmarena_cache_put(lower);
	vmarena_cache_put(upper);
}

/*
 * A copy on write: the copy's layer over @lower is mapped first (placing
 * may fail), then the source's areas get theirs.  Context: r held; sleeps.
 */
static int vmarena_copy_cow(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			    struct vmarena_area *source, struct vmarena_cache *lower,
			    struct vmarena_area **out)
{
	bool overcommit = spec->flags & VMARENA_AREA_OVERCOMMIT;
	pgoff_t offset = source->cache_offset, end;
	struct vmarena_cache *upper, *copy;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	mutex_lock(&lower->lock);
	end = lower->virtual_end;
	mutex_unlock(&lower->lock);
	upper = vmarena_cache_create_cow(lower, end, overcommit);
	if (IS_ERR(upper))
		return PTR_ERR(upper);
	copy = vmarena_cache_create_cow(lower, offset + (spec->size >> PAGE_SHIFT), overcommit);
	if (IS_ERR(copy)) {
		vmarena_cache_put(upper);
		return PTR_ERR(copy);
	}
	ret = vmarena_area_map_new(as, spec, copy, offset, out);
	if (ret) {
		vmarena_cache_put(upper);
		return ret;
	}
	vmarena_copy_layer(upper, lower);
	return 0;
}

/*
 * What a copy or a move holds throughout: r, then y for writing, so that
 * no resize, lock, clone or other copy sees it half done.  Returns 0 or
 * -EINTR.  Context: no vmarena lock held; sleeps.
 */
static int vmarena_copy_lock(void)
{
	might_sleep();
	lockdep_assert_not_held(&vmarena_resize_mutex);
	if (mutex_lock_killable(&vmarena_resize_mutex))
		return -EINTR;
	if (down_write_killable(&vmarena_copy_rwsem)) {
		mutex_unlock(&vmarena_resize_mutex);
		return -EINTR;
	}
	return 0;
}

/* Context: r and y (writing) held, as vmarena_copy_lock() took them. */
static void vmarena_copy_unlock(void)
{
	lockdep_assert_held_write(&vmarena_copy_rwsem);
	up_write(&vmarena_copy_rwsem);
	mutex_unlock(&vmarena_resize_mutex);
}

/**
 * vmarena_area_copy() - a new area in @as showing what @source shows now,
 *	from then on apart from it (uapi/vmarena.h, "Copies")
 * @as: held; @source's aspace or another
 * @spec: name (NULL or empty: @source's), placement, owner and charge; the
 *	rest comes from @source
 * @source: referenced by the caller; the caller checked it may copy it
 * @out: if not NULL, gets the copy with a reference
 *
 * Returns 0, -ENOENT (@source deleted), or what placing, committing,
 * charging, filling or wiring the copy returns; on failure nothing
 * changed.
 * Context: no vmarena lock held; takes r, then vmarena_copy_rwsem for
 * writing, and the locks of the creation; sleeps.
 */
int vmarena_area_copy(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		      struct vmarena_area *source, struct vmarena_area **out)
{
	struct vmarena_area_spec s;
	struct vmarena_cache *cache = NULL;
	int kind, ret;

	ret = vmarena_copy_lock();
	if (ret)
		return ret;
	kind = vmarena_copy_kind(source, spec, &s, &cache);
	if (kind < 0) {
		ret = kind;
		goto out;
	}
	switch (kind) {
	case VMARENA_COPY_RESERVE:
		ret = vmarena_area_create_null(as, &s, out);
		break;
	case VMARENA_COPY_SHARE:
		s.protection_max = 0;	/* the clone inherits it */
		ret = __vmarena_area_clone(as, &s, source, true, out);
		break;
	case VMARENA_COPY_EAGER:
		ret = vmarena_copy_eager(as, &s, source, out);
		break;
	default:
		ret = vmarena_copy_cow(as, &s, source, cache, out);
		break;
	}
out:
	vmarena_copy_unlock();
	if (cache)
		vmarena_cache_put(cache);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_copy);

/**
 * vmarena_aspace_copy() - copy every area of @src into @dst, at the same
 *	addresses (Haiku's fork)
 * @dst: held, new: no area in the way
 * @src: held
 * @spec: owner and charge of the copies (the rest is each source's)
 *
 * Areas deleted meanwhile are left out.  Returns 0 or the first error of
 * vmarena_area_copy(); the caller deletes @dst then.
 * Context: no vmarena lock held; sleeps.
 */
int vmarena_aspace_copy(struct vmarena_aspace *dst, struct vmarena_aspace *src,
			const struct vmarena_area_spec *spec)
{
	struct vmarena_area **list = vmarena_area_collect(src);
	struct vmarena_area_spec s = *spec;
	unsigned int i;
	int ret = 0;

	might_sleep();
	lockdep_assert_not_held(&vmarena_resize_mutex);
	if (!list)
		return -ENOMEM;
	for (i = 0; list[i] && !ret; i++) {
		s.name = NULL;
		s.addr_spec = VMARENA_ADDR_EXACT;
		s.base = list[i]->base;
		ret = vmarena_area_copy(dst, &s, list[i], NULL);
		if (ret == -ENOENT)
			ret = 0;
	}
	vmarena_area_put_list(list);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_copy);

/*
 * What the area a transfer makes is: @source's size, protection, flags
 * but a physical placement (VMARENA_AREA_PHYS_*), and wiring (contiguous:
 * wired, in the same pages); @req's placement, owner and charge; @source's
 * name when @req has none.  Reservations do not move (-EINVAL).
 * Context: r and y (writing) held; takes a.
 */
static int vmarena_transfer_spec(struct vmarena_area *source, const struct vmarena_area_spec *req,
				 struct vmarena_area_spec *spec, bool *shared)
{
	lockdep_assert_held(&vmarena_resize_mutex);
	lockdep_assert_held_write(&vmarena_copy_rwsem);
	down_read(&source->aspace->lock);
	if (source->deleted) {
		up_read(&source->aspace->lock);
		return -ENOENT;
	}
	vmarena_copy_spec(source, req, spec);
	/* The pages stay where they are: a placement is not asked again. */
	spec->flags = source->flags & VMARENA_AREA_FLAGS_ALL &
		      ~(VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G);
	spec->wiring = source->wiring == VMARENA_WIRING_CONTIGUOUS ?
		       VMARENA_WIRING_WIRED : source->wiring;
	*shared = source->shared;
	up_read(&source->aspace->lock);
	return source->reservation ? -EINVAL : 0;
}

/*
 * The transferred area @area takes back @source's sharing mark: it was
 * made as a shared clone only to take over @source's cache.
 * Context: y (writing) held; takes a of @area's aspace.
 */
static void vmarena_transfer_unshare(struct vmarena_area *area, bool shared)
{
	lockdep_assert_held_write(&vmarena_copy_rwsem);
	down_write(&area->aspace->lock);
	area->shared = shared;
	if (!shared)
		area->flags &= ~VMARENA_AREA_SHARED;
	up_write(&area->aspace->lock);
}

/**
 * vmarena_area_transfer() - move @source into @as (Haiku's transfer_area())
 * @as: held; another aspace than @source's, or the same
 * @spec: name (NULL or empty: @source's), placement, owner and charge
 * @source: referenced by the caller; the caller checked it may move it
 * @out: gets the moved area with a reference
 *
 * The move is a shared clone of @source over its cache, with its
 * protection, wiring and flags, followed by the deletion of @source, both
 * under r and y, so no copy, clone, resize or lock sees the two at once.
 * Returns 0, -ENOENT (@source deleted), -EINVAL (a reservation), or what
 * placing, charging or wiring the new area returns; on failure nothing
 * changed.
 * Context: no vmarena lock held; takes r, then vmarena_copy_rwsem for
 * writing, and the locks of the creation and of the deletion; sleeps.
 */
int vmarena_area_transfer(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			  struct vmarena_area *source, struct vmarena_area **out)
{
	struct vmarena_area_spec s;
	bool shared;
	int ret;

	ret = vmarena_copy_lock();
	if (ret)
		return ret;
	ret = vmarena_transfer_spec(source, spec, &s, &shared);
	if (!ret) {
		s.protection_max = 0;	/* the clone inherits it */
		ret = __vmarena_area_clone(as, &s, source, true, out);
	}
	if (!ret) {
		/* Deleted by someone else meanwhile: undo the clone. */
		ret = vmarena_area_delete(source);
		if (ret) {
			vmarena_area_delete(*out);
			vmarena_area_put(*out);
		} else {
			vmarena_transfer_unshare(*out, shared);
		}
	}
	vmarena_copy_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_transfer);
