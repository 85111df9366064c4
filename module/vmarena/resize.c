// SPDX-License-Identifier: GPL-2.0
/*
 * Resize: an area and every area sharing its cache change size together,
 * with every aspace they live in locked in id order under r; memlock
 * charges and committed bytes follow.  Lock keys: locking.h.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* r: serialises operations that lock several aspaces (locking.h) */
DEFINE_MUTEX(vmarena_resize_mutex);

/* Order aspaces by id, for sort().  Context: any (ids are constant). */
static int vmarena_aspace_cmp_id(const void *a, const void *b)
{
	const struct vmarena_aspace *x = *(const struct vmarena_aspace * const *)a;
	const struct vmarena_aspace *y = *(const struct vmarena_aspace * const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Does every area of @cache live in an aspace of @set?
 * Context: c held.
 */
bool vmarena_area_sharers_in(struct vmarena_cache *cache,
			     struct vmarena_aspace **set, unsigned int n)
{
	struct vmarena_area *area;
	unsigned int i;

	lockdep_assert_held(&cache->lock);
	list_for_each_entry(area, &cache->areas, cache_link) {
		for (i = 0; i < n && set[i] != area->aspace; i++)
			;
		if (i == n)
			return false;
	}
	return true;
}

/*
 * Can every area of @sharers take @size bytes in place?  Returns 0 or
 * -ENOMEM.  Context: every sharer's a held for writing.
 */
static int vmarena_area_check_grow(struct vmarena_area **sharers, unsigned int n,
				   unsigned long size)
{
	struct vmarena_area *area;
	struct rb_node *next;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vmarena_aspace *as = sharers[i]->aspace;

		area = sharers[i];
		lockdep_assert_held_write(&as->lock);
		if (size <= area->size)
			continue;
		if (area->base + size < area->base || area->base + size > as->base + as->size)
			return -ENOMEM;
		next = rb_next(&area->node);
		if (next && rb_entry(next, struct vmarena_area, node)->base < area->base + size)
			return -ENOMEM;
	}
	return 0;
}

/* A wired area that grew, and where its new pages start. */
struct vmarena_area_growth {
	struct vmarena_area *area;
	unsigned long from;
};

/*
 * Resize @sharers, the areas of @cache that a resize changes, to @size,
 * with their aspaces and @cache locked.  Shrinking unmaps and unwires what
 * falls off the end and then frees the cache pages past the new end (which
 * also unmaps them from private clones above); growing commits first, so
 * it fails cleanly.  A file cache is the file's: it only grows to cover
 * its areas, and keeps its pages for the file's other mappings.  Wired
 * and super-wired areas that grew are listed in @grown (with a reference)
 * for the caller to wire their new pages once the locks are dropped (an
 * area wires a page once, however many reasons it has: area.h).
 * Context: r held, every sharer's a for writing, and c; takes the
 * sources' c, then l.
 */
static int vmarena_area_resize_locked(struct vmarena_cache *cache,
				      struct vmarena_area **sharers, unsigned int n,
				      unsigned long size, struct vmarena_area_growth *grown)
{
	pgoff_t need = 0, end;
	struct vmarena_area *area;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	lockdep_assert_held(&cache->lock);
	ret = vmarena_area_check_grow(sharers, n, size);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		area = sharers[i];
		end = area->cache_offset + (size >> PAGE_SHIFT);
		need = max(need, end);
		if (size < area->size) {
			struct vmarena_aspace *as = area->aspace;

			vmarena_cache_lock_sources(cache);
			vmarena_area_unwire_range(area, area->base + size, vmarena_area_end(area));
			vmarena_cache_unlock_sources(cache);
			vmarena_aspace_unmap(as, area->base + size, area->size - size, true);
			vmarena_filecache_orphan(cache, end, area->cache_offset +
						 (area->size >> PAGE_SHIFT));
		}
	}
	if (vmarena_cache_is_file(cache))
		ret = vmarena_area_cover_locked(cache, need);
	else
		ret = vmarena_cache_set_size(cache, need);
	if (ret)
		return ret;
	mutex_lock(&vmarena_cache_link_lock);
	for (i = 0; i < n; i++) {
		area = sharers[i];
		/* A VMARENA_AREA_LAZY growth is wired by its first touches. */
		if ((area->wiring == VMARENA_WIRING_WIRED ||
		     (area->superwired && !(area->flags & VMARENA_AREA_LAZY))) &&
		    size > area->size) {
			kref_get(&area->ref);
			grown->area = area;
			grown->from = vmarena_area_end(area);
			grown++;
		}
		area->size = size;
		area->aspace->change_count++;
		vmarena_generation_bump();
	}
	mutex_unlock(&vmarena_cache_link_lock);
	return 0;
}

/*
 * The pages @mm is to be charged for @area to grow to @size: none if it
 * does not grow, pins nothing (memlock.h) or is deleted; the growth if
 * @mm carries the area's charge already (or nobody does), the whole new
 * size if another process does.  a, not r alone, keeps the charge still:
 * a delete takes it out of the area with a alone (area.h).
 * Context: r held; takes a.
 */
static unsigned long vmarena_area_growth_pages(struct vmarena_area *area, unsigned long size,
					       struct mm_struct *mm)
{
	unsigned long pages = 0;

	lockdep_assert_held(&vmarena_resize_mutex);
	down_read(&area->aspace->lock);
	/* Lock records keep their own charges (lockrec.h). */
	if (!area->deleted && size > area->size && vmarena_area_pinned(area))
		pages = (!area->charge.mm || area->charge.mm == mm ?
			 size - area->size : size) >> PAGE_SHIFT;
	up_read(&area->aspace->lock);
	return pages;
}

/*
 * Charge @mm for what the pinned areas of @sharers (memlock.h) grow by when
 * resized to @size, one record per area in @charges
 * (vmarena_area_growth_pages()).  Returns 0 or -ENOMEM (nothing charged).
 * Context: r held, no other vmarena lock (account_locked_vm() takes
 * mmap_lock); takes a.
 */
static int vmarena_area_charge_growth(struct vmarena_area **sharers, unsigned int n,
				      unsigned long size, struct mm_struct *mm,
				      struct vmarena_charge *charges)
{
	unsigned long pages;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; i < n; i++) {
		pages = vmarena_area_growth_pages(sharers[i], size, mm);
		if (!pages)
			continue;
		ret = vmarena_memlock_charge(&charges[i], mm, pages);
		if (ret) {
			while (i--)
				vmarena_memlock_uncharge(&charges[i]);
			return ret;
		}
	}
	return 0;
}

/*
 * After a resize of @sharers to @size: their charges take in the growth
 * charged in @charges, and hand what a shrink gives back to @charges, to
 * be given back by the caller.
 * Context: r held, and every sharer's a for writing.
 */
static void vmarena_area_settle_charges(struct vmarena_area **sharers, unsigned int n,
					unsigned long size, struct vmarena_charge *charges)
{
	unsigned long pages = size >> PAGE_SHIFT;
	unsigned int i;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; i < n; i++) {
		struct vmarena_area *area = sharers[i];

		lockdep_assert_held_write(&area->aspace->lock);
		vmarena_memlock_merge(&area->charge, &charges[i]);
		if (area->charge.mm && area->charge.pages > pages)
			vmarena_memlock_split(&area->charge, &charges[i],
					      area->charge.pages - pages);
	}
}

/*
 * Drop the references of @sh's areas and free its arrays; @sh is left
 * empty.  Context: no vmarena lock held but r; may sleep.
 */
void vmarena_sharers_free(struct vmarena_sharers *sh)
{
	unsigned int i;

	for (i = 0; sh->areas && i < sh->n; i++)
		vmarena_area_put(sh->areas[i]);
	kfree(sh->areas);
	kfree(sh->set);
	kfree(sh->charges);
	kfree(sh->grown);
	memset(sh, 0, sizeof(*sh));
}

/*
 * Collect the areas of @cache into @sh (only @area if @alone), each with
 * a reference and a hold on its aspace.  Returns 0, or -ENOMEM with @sh
 * empty.  Context: r held; takes c.
 */
int vmarena_sharers_collect(struct vmarena_sharers *sh, struct vmarena_cache *cache,
			    struct vmarena_area *area, bool alone, gfp_t gfp)
{
	struct vmarena_area *sharer;
	unsigned int n, i = 0;

	lockdep_assert_held(&vmarena_resize_mutex);
	mutex_lock(&cache->lock);
	n = alone ? 1 : cache->nr_areas;
	sh->set = kmalloc_array(max(n, 1U), sizeof(*sh->set), gfp);
	sh->areas = kcalloc(max(n, 1U), sizeof(*sh->areas), gfp);
	sh->charges = kcalloc(max(n, 1U), sizeof(*sh->charges), gfp);
	sh->grown = kcalloc(n + 1, sizeof(*sh->grown), gfp);
	if (!sh->set || !sh->areas || !sh->charges || !sh->grown) {
		mutex_unlock(&cache->lock);
		vmarena_sharers_free(sh);
		return -ENOMEM;
	}
	list_for_each_entry(sharer, &cache->areas, cache_link) {
		if (alone && sharer != area)
			continue;
		kref_get(&sharer->ref);
		sh->areas[i] = sharer;
		vmarena_aspace_hold(sharer->aspace);
		sh->set[i++] = sharer->aspace;
	}
	sh->n = i;
	mutex_unlock(&cache->lock);
	return 0;
}

/*
 * Drop the holds on @sh's aspaces and give back the charges left in @sh:
 * what a shrink gave back, or a growth that was not used.
 * Context: r held, no a.
 */
void vmarena_sharers_drop(struct vmarena_sharers *sh)
{
	unsigned int i;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; i < sh->n; i++)
		vmarena_aspace_drop(sh->set[i]);
	for (i = 0; i < sh->n; i++)
		vmarena_memlock_uncharge(&sh->charges[i]);
}

/*
 * Lock @sh's aspaces for writing, each once, in increasing id order.
 * Context: r held; takes each sharer's a.
 */
void vmarena_sharers_lock(struct vmarena_sharers *sh)
{
	unsigned int i;

	lockdep_assert_held(&vmarena_resize_mutex);
	sort(sh->set, sh->n, sizeof(*sh->set), vmarena_aspace_cmp_id, NULL);
	for (i = 0; i < sh->n; i++)
		if (!i || sh->set[i] != sh->set[i - 1])
			down_write_nest_lock(&sh->set[i]->lock, &vmarena_resize_mutex);
}

/*
 * Unlock what vmarena_sharers_lock() locked, in reverse.
 * Context: r held, and every sharer's a for writing.
 */
void vmarena_sharers_unlock(struct vmarena_sharers *sh)
{
	unsigned int i;

	for (i = sh->n; i-- > 0;)
		if (!i || sh->set[i] != sh->set[i - 1])
			up_write(&sh->set[i]->lock);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* Call KUnit's resize pause hook (create.h), if set.  Context: r held. */
static void vmarena_resize_paused(struct vmarena_area *area)
{
	void (*pause)(struct vmarena_area *area) = READ_ONCE(vmarena_area_hooks.resize_pause);

	lockdep_assert_held(&vmarena_resize_mutex);
	if (pause)
		pause(area);
}
#else
/* Context: any. */
static void vmarena_resize_paused(struct vmarena_area *area)
{
}
#endif

/*
 * Lock every aspace that shares @cache, @area's cache (only @area's, for
 * a shared file area): collect the sharers, charge @mm for their growth to
 * @size (account_locked_vm() takes mmap_lock: before any a), lock their
 * aspaces for writing and then @cache.  An area created on @cache or
 * deleted from it while the sharers were collected with no a held
 * changes the set: it is unlocked and collected again, until it holds
 * still.  @area deleted or @cache contiguous end the retries too, for the
 * caller to refuse.  Returns 0 with every sharer's a and c held, or
 * -ENOMEM (memory or RLIMIT_MEMLOCK) with nothing held and @sh empty.
 * Context: r held; takes each sharer's a, then c.
 */
static int vmarena_resize_lock_sharers(struct vmarena_area *area, struct vmarena_cache *cache,
				       unsigned long size, struct mm_struct *mm, gfp_t gfp,
				       struct vmarena_sharers *sh)
{
	bool alone = vmarena_cache_is_file(cache);
	int ret;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (;;) {
		ret = vmarena_sharers_collect(sh, cache, area, alone, gfp);
		if (ret)
			return ret;
		ret = vmarena_area_charge_growth(sh->areas, sh->n, size, mm, sh->charges);
		if (ret) {
			vmarena_sharers_drop(sh);
			vmarena_sharers_free(sh);
			return ret;
		}
		vmarena_resize_paused(area);
		vmarena_sharers_lock(sh);
		mutex_lock(&cache->lock);
		if (alone || area->deleted || !sh->n || cache->contiguous ||
		    (cache->nr_areas == sh->n && vmarena_area_sharers_in(cache, sh->set, sh->n)))
			return 0;
		mutex_unlock(&cache->lock);
		vmarena_sharers_unlock(sh);
		vmarena_sharers_drop(sh);
		vmarena_sharers_free(sh);
	}
}

/*
 * After a resize to @size: wire the growth of the areas in @grown
 * (NULL-terminated) unless the resize failed (@ret), map it in their
 * windows, and drop their references.  Returns @ret, or the first error
 * wiring a growth.  Context: no vmarena lock held; sleeps.
 */
static int vmarena_resize_wire_growth(struct vmarena_area_growth *grown, unsigned long size,
				      int ret)
{
	unsigned int i;

	for (i = 0; grown && grown[i].area; i++) {
		struct vmarena_area *a = grown[i].area;

		/* -EFAULT: deleted or shrunk again meanwhile, nothing to wire */
		if (!ret) {
			ret = vmarena_area_wire_range(a, grown[i].from, a->base + size);
			if (ret == -EFAULT)
				ret = 0;
			/* The growth must not fault in the windows either. */
			if (!ret)
				vmarena_aspace_populate(a->aspace, grown[i].from,
							a->base + size - grown[i].from);
		}
		vmarena_area_put(a);
	}
	return ret;
}

/*
 * Resize @area's sharers (vmarena_resize_lock_sharers()) to @size, and
 * settle their charges.  *@was gets the size @area had, if it was resized.
 * Returns 0, -ENOENT, -EINVAL, or what vmarena_area_resize_locked() does.
 * Context: r held; takes each sharer's a, c and l.
 */
static int vmarena_resize_sharers(struct vmarena_area *area, struct vmarena_cache *cache,
				  unsigned long size, struct mm_struct *mm, gfp_t gfp,
				  struct vmarena_sharers *sh, unsigned long *was)
{
	unsigned long old_size;
	int ret;

	ret = vmarena_resize_lock_sharers(area, cache, size, mm, gfp, sh);
	if (ret)
		return ret;
	old_size = area->size;
	if (area->deleted || !sh->n)
		ret = -ENOENT;
	else if (cache->contiguous)	/* reached through a shared clone */
		ret = -EINVAL;
	else
		ret = vmarena_area_resize_locked(cache, sh->areas, sh->n, size, sh->grown);
	mutex_unlock(&cache->lock);
	if (!ret) {
		vmarena_area_settle_charges(sh->areas, sh->n, size, sh->charges);
		*was = old_size;
	}
	vmarena_sharers_unlock(sh);
	vmarena_sharers_drop(sh);
	return ret;
}

/*
 * vmarena_area_resize() without the undoing of a growth that could not be
 * wired: *@was gets the size @area had when the resize was made (0 if it
 * was not).  @undo: shrinking back to *@was after such a growth, which
 * must not fail: it waits unkillably and does not check the caps.
 * Context: no vmarena lock held; takes r, the sharers' a, c and l.
 */
static int __vmarena_area_resize(struct vmarena_area *area, unsigned long new_size,
				 struct mm_struct *mm, bool undo, unsigned long *was)
{
	gfp_t gfp = undo ? GFP_KERNEL | __GFP_NOFAIL : GFP_KERNEL;
	struct vmarena_sharers sh = {};
	struct vmarena_cache *cache;
	struct vmarena_area_growth *grown;
	unsigned long old_bytes = 0;
	int ret;

	might_sleep();
	/* A contiguous run cannot grow in place, nor keep its promise shrunk. */
	if (!new_size || !PAGE_ALIGNED(new_size) || area->wiring == VMARENA_WIRING_CONTIGUOUS)
		return -EINVAL;
	if (!undo && mutex_lock_killable(&vmarena_resize_mutex))
		return -EINTR;
	if (undo)
		mutex_lock(&vmarena_resize_mutex);
	/* Read under r: a copy gives the area a new cache under r (copy.c). */
	down_read(&area->aspace->lock);
	if (area->deleted) {
		up_read(&area->aspace->lock);
		mutex_unlock(&vmarena_resize_mutex);
		return -ENOENT;
	}
	cache = area->cache;
	vmarena_cache_get(cache);
	up_read(&area->aspace->lock);
	/*
	 * The creator's committed bytes (limits.h) first, under r so that
	 * concurrent resizes of one area cannot undo each other's counts.
	 */
	ret = vmarena_limits_resize_area(&area->limit, new_size, &old_bytes, undo);
	if (!ret) {
		ret = vmarena_resize_sharers(area, cache, new_size, mm, gfp, &sh, was);
		if (ret)
			vmarena_limits_resize_area(&area->limit, old_bytes, &old_bytes, true);
	}
	mutex_unlock(&vmarena_resize_mutex);
	vmarena_cache_put(cache);
	grown = sh.grown;
	sh.grown = NULL;
	vmarena_sharers_free(&sh);
	ret = vmarena_resize_wire_growth(grown, new_size, ret);
	kfree(grown);
	return ret;
}

/**
 * vmarena_area_resize() - resize @area and every area sharing its cache
 *	(only @area, for a shared mapping of a file)
 * @area: referenced by the caller
 * @new_size: page aligned, not zero
 * @mm: whose RLIMIT_MEMLOCK the growth of pinned areas counts against
 *	(NULL: nobody's)
 *
 * Haiku's resize_area() locked no aspace; this one locks every aspace with
 * an area on the cache, in id order, under vmarena_resize_mutex, and checks
 * that the set did not change while it was collecting it.  A file's cache
 * is the file's, shared by the mappings of every user: a shared file area
 * is resized alone, and no other mapping of the file changes.  Areas whose
 * memory is pinned (wired, locked, super-locked: memlock.h) have their memlock
 * charge follow their size, and so do @area's creator's committed bytes
 * (limits.h).  Returns 0, -EINVAL, -ENOENT (deleted), -EDQUOT
 * (max_commit_per_user), -ENOMEM (some sharer cannot grow in place, the
 * commit limit, or RLIMIT_MEMLOCK), -EINTR (killed while waiting or
 * wiring), or the fault's error wiring the growth of a wired area (which
 * is then shrunk back): on failure nothing changed.  Contiguous memory,
 * however reached (a shared clone), cannot be resized: -EINVAL.
 * Context: no vmarena lock held; takes r, then the sharers' a, c and l;
 * sleeps.
 */
int vmarena_area_resize(struct vmarena_area *area, unsigned long new_size,
			struct mm_struct *mm)
{
	unsigned long was = 0;
	int ret;

	ret = __vmarena_area_resize(area, new_size, mm, false, &was);
	/*
	 * A growth made and then not wired (killed, no pages, no access):
	 * shrunk back, so that a failed resize leaves every sharer as it was.
	 */
	if (ret && was && was < new_size)
		__vmarena_area_resize(area, was, NULL, true, &was);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_resize);
