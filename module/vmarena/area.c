// SPDX-License-Identifier: GPL-2.0
/*
 * Areas: placement (any, exact, base), creation over each kind of store,
 * clones, resize with every sharer, protection, deletion, info, iteration
 * and lookup.  Lock keys: locking.h.
 */
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

/* r: serialises operations that lock several aspaces (locking.h) */
DEFINE_MUTEX(vmarena_resize_mutex);

static DEFINE_XARRAY_ALLOC1(vmarena_areas);		/* g */
static u32 vmarena_area_next_id;			/* g */

static unsigned long vmarena_area_end(const struct vmarena_area *area)
{
	return area->base + area->size;
}

/* The protection a page is mapped with: x86 cannot map without read. */
static u32 vmarena_area_map_prot(u32 protection)
{
	return protection ? protection | VMARENA_PROT_READ : 0;
}

/*
 * Does @area pin its memory because its aspace is super-locked?  r or a
 * held.  Only constant fields besides: a deleted area's cache may be gone
 * (the fuzzer's NULL dereference in a lock racing a delete).
 */
static bool vmarena_area_superpinned(const struct vmarena_area *area)
{
	return READ_ONCE(area->aspace->superlocked) && !area->reservation;
}

/*
 * Does @area's memory count against RLIMIT_MEMLOCK (wire.h)?  r held, or
 * a: wiring is constant, lock levels and the super-lock change with both.
 */
static bool vmarena_area_pinned(const struct vmarena_area *area)
{
	return area->wiring != VMARENA_WIRING_LAZY ||
	       READ_ONCE(area->lock_level) != VMARENA_LOCK_UNLOCKED ||
	       vmarena_area_superpinned(area);
}

static int vmarena_area_check_spec(const struct vmarena_area_spec *spec)
{
	u32 max = spec->protection_max ? spec->protection_max : VMARENA_PROT_ALL;

	if (spec->name && strnlen(spec->name, VMARENA_NAME_MAX) >= VMARENA_NAME_MAX)
		return -EINVAL;
	if (spec->addr_spec > VMARENA_ADDR_BASE || spec->wiring > VMARENA_WIRING_CONTIGUOUS ||
	    spec->lock_level > VMARENA_LOCK_SUPERLOCKED || spec->flags & ~VMARENA_AREA_FLAGS_ALL)
		return -EINVAL;
	if (spec->protection & ~VMARENA_PROT_ALL || max & ~VMARENA_PROT_ALL)
		return -EINVAL;
	if (spec->protection & ~max)
		return -EACCES;
	/* Wiring faults every page in, which needs some access. */
	if (spec->wiring != VMARENA_WIRING_LAZY && !spec->protection)
		return -EINVAL;
	if (!spec->size || !PAGE_ALIGNED(spec->size) || !PAGE_ALIGNED(spec->base) ||
	    spec->base + spec->size < spec->base)
		return -EINVAL;
	return 0;
}

/**
 * vmarena_area_lookup() - the area of @as containing @addr, or NULL
 * @as: locked (read or write)
 * @addr: an address
 *
 * The hint: Haiku wrote area_hint here under the read lock, unguarded.  We
 * still write it under the read lock (lookups are hot), but only with
 * WRITE_ONCE() and only with an area that is in the tree, which it cannot
 * leave while any reader holds the lock; vmarena_area_unlink_locked() clears
 * it under the write lock.  A reader therefore sees NULL or a live area.
 */
struct vmarena_area *vmarena_area_lookup(struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_area *hint, *area;
	struct rb_node *node;

	lockdep_assert_held(&as->lock);
	hint = READ_ONCE(as->hint);
	if (hint && addr >= hint->base && addr < vmarena_area_end(hint))
		return hint;
	node = as->areas.rb_node;
	while (node) {
		area = rb_entry(node, struct vmarena_area, node);
		if (addr < area->base) {
			node = node->rb_left;
		} else if (addr >= vmarena_area_end(area)) {
			node = node->rb_right;
		} else {
			WRITE_ONCE(as->hint, area);
			return area;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_lookup);

/*
 * Find room for @size bytes following @spec (NewOS find_and_insert_region
 * _slot).  Returns the base, or -EINVAL (outside the aspace), -EEXIST (an
 * exact spot that is taken) or -ENOMEM (no room).  Aspace locked for write.
 */
static long vmarena_area_place_locked(struct vmarena_aspace *as,
				      const struct vmarena_area_spec *spec)
{
	unsigned long end = as->base + as->size, start = as->base;
	unsigned long size = spec->size;
	struct vmarena_area *area;
	struct rb_node *node;

	lockdep_assert_held_write(&as->lock);
	if (spec->addr_spec != VMARENA_ADDR_ANY) {
		if (spec->base < as->base || spec->base + size > end)
			return spec->addr_spec == VMARENA_ADDR_EXACT ||
			       spec->base >= end ? -EINVAL : -ENOMEM;
		start = spec->base;
	}
	if (size > end - start)
		return -ENOMEM;
	for (node = rb_first(&as->areas); node; node = rb_next(node)) {
		area = rb_entry(node, struct vmarena_area, node);
		if (vmarena_area_end(area) <= start)
			continue;
		if (area->base >= start + size)
			break;
		if (spec->addr_spec == VMARENA_ADDR_EXACT)
			return -EEXIST;
		start = vmarena_area_end(area);
		if (start > end || size > end - start)
			return -ENOMEM;
	}
	return start;
}

static void vmarena_area_insert_locked(struct vmarena_aspace *as, struct vmarena_area *area)
{
	struct rb_node **link = &as->areas.rb_node, *parent = NULL;

	lockdep_assert_held_write(&as->lock);
	while (*link) {
		parent = *link;
		if (area->base < rb_entry(parent, struct vmarena_area, node)->base)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&area->node, parent, link);
	rb_insert_color(&area->node, &as->areas);
	as->nr_areas++;
	as->change_count++;
	vmarena_generation_bump();
}

static void vmarena_area_release(struct kref *ref)
{
	struct vmarena_area *area = container_of(ref, struct vmarena_area, ref);

	vmarena_aspace_unref(area->aspace);
	kfree_rcu(area, rcu);
}

/**
 * vmarena_area_put() - drop a reference to @area
 * @area: referenced by the caller
 *
 * Context: may sleep (the last reference drops the cache's); no locks held.
 */
void vmarena_area_put(struct vmarena_area *area)
{
	might_sleep();
	kref_put(&area->ref, vmarena_area_release);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_put);

/*
 * Unwire the pages that @area's range maps: their owners are in @area's
 * chain, which the caller holds locked.
 */
static void vmarena_area_unwire_range(struct vmarena_area *area, unsigned long start,
				      unsigned long end);

/*
 * Take @area out of its aspace's tree and mark it deleted.  Aspace locked
 * for write.  From here on no lookup and so no fault finds it, and no new
 * area can take its range while the caller holds the aspace lock even for
 * reading: vmarena_area_detach() may then run with the lock downgraded.
 */
static void vmarena_area_unlink_locked(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;

	lockdep_assert_held_write(&as->lock);
	rb_erase(&area->node, &as->areas);
	as->nr_areas--;
	as->change_count++;
	vmarena_generation_bump();
	if (as->hint == area)
		WRITE_ONCE(as->hint, NULL);
	area->deleted = true;
}

/*
 * After vmarena_area_unlink_locked(): unwire and unmap @area everywhere
 * (fragments and user windows) and take it off its cache.  Aspace locked,
 * for reading at least: faults in the aspace's other areas go on meanwhile
 * (zapping a big area's windows takes long).  The caller drops the area's
 * id and reference afterwards.
 */
static void vmarena_area_detach(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;

	lockdep_assert_held(&as->lock);
	WARN_ON_ONCE(!area->deleted);
	vmarena_cache_lock_chain(area->cache);
	if (area->wiring != VMARENA_WIRING_LAZY)
		vmarena_area_unwire_range(area, area->base, vmarena_area_end(area));
	if (area->superwired)
		vmarena_area_unwire_range(area, area->base, vmarena_area_end(area));
	vmarena_aspace_unmap(as, area->base, area->size, true);
	/* What it wrote to a file goes to the file system now. */
	vmarena_filecache_orphan(area->cache, area->cache_offset,
				 area->cache_offset + (area->size >> PAGE_SHIFT));
	vmarena_cache_remove_area(area->cache, &area->cache_link);
	vmarena_cache_unlock_chain(area->cache);
}

/*
 * After unlinking: unpublish the id, let the cache merge if it is due and
 * drop the area's reference to it (a deleted area has no cache: only
 * ->deleted and the constant fields may be read), then the table's
 * reference to the area.
 */
static void vmarena_area_finish_delete(struct vmarena_area *area)
{
	struct vmarena_cache *cache = area->cache;

	xa_erase(&vmarena_areas, area->id);
	vmarena_wire_uncharge(&area->charge);
	vmarena_limits_uncharge_area(&area->limit);
	vmarena_cache_area_gone(cache);
	vmarena_cache_put(cache);
	vmarena_area_put(area);
}

/**
 * vmarena_area_delete() - delete @area
 * @area: referenced by the caller
 *
 * Returns 0, or -ENOENT if it is already deleted.
 */
int vmarena_area_delete(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;

	might_sleep();
	down_write(&as->lock);
	if (area->deleted) {
		up_write(&as->lock);
		return -ENOENT;
	}
	vmarena_area_unlink_locked(area);
	downgrade_write(&as->lock);
	vmarena_area_detach(area);
	up_read(&as->lock);
	vmarena_area_finish_delete(area);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_delete);

/**
 * vmarena_area_delete_all() - delete every area of @as
 * @as: held, marked deleting (so no area can be added meanwhile)
 */
int vmarena_area_delete_all(struct vmarena_aspace *as)
{
	struct vmarena_area *area;
	struct rb_node *node;

	might_sleep();
	for (;;) {
		down_write(&as->lock);
		node = rb_first(&as->areas);
		if (!node) {
			up_write(&as->lock);
			return 0;
		}
		area = rb_entry(node, struct vmarena_area, node);
		vmarena_area_unlink_locked(area);
		vmarena_area_detach(area);
		up_write(&as->lock);
		vmarena_area_finish_delete(area);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_delete_all);

/*
 * Fault [@start, @end) of @as in for @access, page by page.  It may run
 * for long (a super-lock of gigabytes of file pages): it gives the CPU up
 * between pages and stops with -EINTR for a fatal signal, so that a
 * killed caller can exit.  No locks held.
 */
static int vmarena_area_fault_range(struct vmarena_aspace *as, unsigned long start,
				    unsigned long end, unsigned int access)
{
	struct vmarena_fault_result res;
	unsigned long addr;
	int ret;

	might_sleep();
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = __vmarena_fault(as, addr, access, &res);
		/* Past the end of a file there is nothing to make resident. */
		if (ret && ret != -ENXIO)
			return ret;
		if (!ret && res.page)
			put_page(res.page);
		cond_resched();
	}
	return 0;
}

/*
 * Wire (or, for already-wired, find and wire) the pages of @area in
 * [@start, @end) by faulting them in.  No locks held.
 */
static int vmarena_area_wire_range(struct vmarena_area *area, unsigned long start,
				   unsigned long end)
{
	unsigned int access = area->protection & VMARENA_PROT_WRITE ?
			      VMARENA_FAULT_WRITE : VMARENA_FAULT_READ;

	/* A contiguous run is wired already; already-wired allocates nothing. */
	if (area->wiring != VMARENA_WIRING_CONTIGUOUS)
		access |= VMARENA_FAULT_WIRE;
	if (area->wiring == VMARENA_WIRING_ALREADY_WIRED)
		access |= VMARENA_FAULT_EXISTING;
	return vmarena_area_fault_range(area->aspace, start, end, access);
}

static void vmarena_area_unwire_range(struct vmarena_area *area, unsigned long start,
				      unsigned long end)
{
	struct vmarena_pte_info info;
	struct vmarena_page *page;
	unsigned long addr;

	/* Device memory is never wired page by page (not even arena RAM). */
	if (area->cache->store->ops->pfn)
		return;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (vmarena_ptfrag_lookup(&area->aspace->frag, addr, &info))
			continue;
		page = vmarena_page_from_pfn(info.pfn);
		if (!page || !page->wired_count)
			continue;
		lockdep_assert_held(&page->cache->lock);
		if (!--page->wired_count)
			vmarena_cache_page_unwired(page->cache, page);
	}
}

/* Fill a contiguous area's cache with one wired physical run. */
static int vmarena_area_fill_contiguous(struct vmarena_cache *cache, pgoff_t pages)
{
	struct vmarena_page **run;
	pgoff_t i;
	int ret;

	run = kvmalloc_array(pages, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	ret = vmarena_page_alloc_run(pages, VMARENA_ALLOC_ZERO, run);
	if (ret)
		goto out;
	mutex_lock(&cache->lock);
	for (i = 0; i < pages; i++) {
		vmarena_page_adopt(run[i], cache, i);
		WARN_ON_ONCE(vmarena_cache_insert_page(cache, run[i]) == -EEXIST);
		run[i]->busy = false;
		run[i]->wired_count = 1;
		vmarena_page_set_state(run[i], VMARENA_PAGE_WIRED);
	}
	mutex_unlock(&cache->lock);
out:
	kvfree(run);
	return ret;
}

/*
 * The committed bytes a new area of @size over @cache counts against its
 * creator's cap (limits.h): none for null and device stores and for a
 * cache that other areas map already (shared clones, a file's cache).
 */
static unsigned long vmarena_area_limit_bytes(struct vmarena_cache *cache, unsigned long size)
{
	unsigned int type = cache->store->ops->type;
	bool fresh;

	if (type == VMARENA_STORE_NULL || type == VMARENA_STORE_DEVICE)
		return 0;
	mutex_lock(&cache->lock);
	fresh = !cache->nr_areas;
	mutex_unlock(&cache->lock);
	return fresh ? size : 0;
}

/* Grow @cache to cover @pages pages if it is smaller.  c held. */
static int vmarena_area_cover_locked(struct vmarena_cache *cache, pgoff_t pages)
{
	lockdep_assert_held(&cache->lock);

	return cache->virtual_end < pages ? vmarena_cache_set_size(cache, pages) : 0;
}

/*
 * Link @area to @cache, first growing @cache to cover the area if it ends
 * before it.  The caller sized @cache with its lock dropped since, and a
 * resize through another area of @cache (which knows only the linked
 * areas) may have shrunk it in between: an area must never lie past its
 * cache's end.  Returns 0 or -ENOMEM (not linked).
 * Locks: @as's lock (the area's aspace to be) held for writing; takes c.
 */
static int vmarena_area_link_cache(struct vmarena_aspace *as, struct vmarena_area *area,
				   struct vmarena_cache *cache)
{
	int ret;

	lockdep_assert_held_write(&as->lock);
	mutex_lock(&cache->lock);
	ret = vmarena_area_cover_locked(cache, area->cache_offset + (area->size >> PAGE_SHIFT));
	if (!ret)
		vmarena_cache_add_area(cache, &area->cache_link);
	mutex_unlock(&cache->lock);
	return ret;
}

/*
 * Put a new area over @cache (whose reference it takes over) into @as.
 * Returns 0 and, if @out, the area with a reference for the caller.
 */
static int vmarena_area_map_cache(struct vmarena_aspace *as,
				  const struct vmarena_area_spec *spec,
				  struct vmarena_cache *cache, pgoff_t cache_offset,
				  struct vmarena_area **out)
{
	struct vmarena_area *area;
	long base;
	int ret;

	might_sleep();
	area = kzalloc(sizeof(*area), GFP_KERNEL_ACCOUNT);
	if (!area) {
		ret = -ENOMEM;
		goto err_put_cache;
	}
	strscpy(area->name, spec->name ? spec->name : "", sizeof(area->name));
	kref_init(&area->ref);
	area->cache = cache;
	area->cache_offset = cache_offset;
	area->size = spec->size;
	area->protection = spec->protection;
	area->protection_max = spec->protection_max ? spec->protection_max : VMARENA_PROT_ALL;
	area->wiring = spec->wiring;
	/* A super-locked aspace takes no faults: new areas in it are wired. */
	if (READ_ONCE(as->superlocked) && area->wiring == VMARENA_WIRING_LAZY &&
	    cache->store->ops->type != VMARENA_STORE_NULL)
		area->wiring = VMARENA_WIRING_WIRED;
	area->lock_level = spec->lock_level;
	area->overcommit = spec->flags & VMARENA_AREA_OVERCOMMIT;
	area->reservation = cache->store->ops->type == VMARENA_STORE_NULL;
	area->flags = spec->flags;
	area->owner = spec->owner;
	INIT_LIST_HEAD(&area->cache_link);

	ret = vmarena_limits_charge_area(&area->limit, spec->owner,
					 vmarena_area_limit_bytes(cache, spec->size));
	if (ret)
		goto err_free_area;
	if (area->wiring != VMARENA_WIRING_LAZY || area->lock_level != VMARENA_LOCK_UNLOCKED) {
		ret = vmarena_wire_charge(&area->charge, spec->charge_mm,
					  spec->size >> PAGE_SHIFT);
		if (ret)
			goto err_unlimit;
	}
	ret = xa_alloc_cyclic(&vmarena_areas, &area->id, NULL, xa_limit_31b,
			      &vmarena_area_next_id, GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		goto err_uncharge;

	down_write(&as->lock);
	if (as->deleting) {
		ret = -ESRCH;
		goto err_unlock;
	}
	base = vmarena_area_place_locked(as, spec);
	if (base < 0) {
		ret = base;
		goto err_unlock;
	}
	/*
	 * Placed before it is linked: whoever walks the cache's areas under
	 * l (the page daemon's accessed-bit and lock-level checks, unmapping
	 * a page everywhere) reads its aspace and base at once.
	 */
	area->base = base;
	area->aspace = as;
	ret = vmarena_area_link_cache(as, area, cache);
	if (ret)
		goto err_unlock;
	vmarena_aspace_ref(as);
	vmarena_area_insert_locked(as, area);
	kref_get(&area->ref);			/* the table's */
	xa_store(&vmarena_areas, area->id, area, GFP_KERNEL_ACCOUNT);
	up_write(&as->lock);

	if (area->wiring == VMARENA_WIRING_WIRED ||
	    area->wiring == VMARENA_WIRING_ALREADY_WIRED ||
	    area->wiring == VMARENA_WIRING_CONTIGUOUS) {
		ret = vmarena_area_wire_range(area, area->base, vmarena_area_end(area));
		if (ret) {
			vmarena_area_delete(area);
			vmarena_area_put(area);
			return ret;
		}
	}
	if (out)
		*out = area;
	else
		vmarena_area_put(area);
	return 0;

err_unlock:
	up_write(&as->lock);
	xa_erase(&vmarena_areas, area->id);
err_uncharge:
	vmarena_wire_uncharge(&area->charge);
err_unlimit:
	vmarena_limits_uncharge_area(&area->limit);
err_free_area:
	kfree(area);
err_put_cache:
	vmarena_cache_put(cache);
	return ret;
}

/* A new cache over @store, sized and committed for @spec. */
static struct vmarena_cache *vmarena_area_new_cache(struct vmarena_store *store,
						    const struct vmarena_area_spec *spec,
						    bool temporary)
{
	struct vmarena_cache *cache;
	int ret;

	if (!store)
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(store))
		return ERR_CAST(store);
	cache = vmarena_cache_create(store, temporary);
	if (!cache)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&cache->lock);
	ret = vmarena_cache_set_size(cache, spec->size >> PAGE_SHIFT);
	mutex_unlock(&cache->lock);
	if (ret) {
		vmarena_cache_put(cache);
		return ERR_PTR(ret);
	}
	return cache;
}

/**
 * vmarena_area_map_store() - a new area over a new cache over @store
 * @as: held
 * @spec: what and where
 * @store: taken over (destroyed on failure); NULL means -ENOMEM
 * @out: if not NULL, gets the area with a reference
 *
 * The other vmarena_area_create_*() functions are this with a given store;
 * KUnit maps its instrumented stores with it.
 */
int vmarena_area_map_store(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			   struct vmarena_store *store, struct vmarena_area **out)
{
	struct vmarena_cache *cache;
	int ret;

	might_sleep();
	ret = vmarena_area_check_spec(spec);
	if (ret) {
		if (!IS_ERR_OR_NULL(store))
			store->ops->destroy(store);
		return ret;
	}
	cache = vmarena_area_new_cache(store, spec, false);
	if (IS_ERR(cache))
		return PTR_ERR(cache);
	return vmarena_area_map_cache(as, spec, cache, 0, out);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_map_store);

/**
 * vmarena_area_create_anon() - a new anonymous area (zero-filled pages)
 * @as: held
 * @spec: what and where; ALREADY_WIRED makes no sense for new memory
 * @out: if not NULL, gets the area with a reference
 *
 * The area commits its size unless @spec asks to overcommit; a contiguous
 * area gets one physically contiguous, wired run.
 */
int vmarena_area_create_anon(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out)
{
	bool overcommit = spec->flags & VMARENA_AREA_OVERCOMMIT;
	struct vmarena_cache *cache;
	int ret;

	might_sleep();
	ret = vmarena_area_check_spec(spec);
	if (ret)
		return ret;
	if (spec->wiring == VMARENA_WIRING_ALREADY_WIRED)
		return -EINVAL;
	/*
	 * One run at most: checked before anything is sized by it (the
	 * fuzzer's 16 GiB overcommitted contiguous area made the run's
	 * array too large for kvmalloc(), a WARN).
	 */
	if (spec->wiring == VMARENA_WIRING_CONTIGUOUS &&
	    spec->size > VMARENA_RUN_MAX_PAGES * PAGE_SIZE)
		return -EINVAL;
	cache = vmarena_area_new_cache(vmarena_store_anon_create(overcommit), spec, true);
	if (IS_ERR(cache))
		return PTR_ERR(cache);
	if (spec->wiring == VMARENA_WIRING_CONTIGUOUS) {
		ret = vmarena_area_fill_contiguous(cache, spec->size >> PAGE_SHIFT);
		if (ret) {
			vmarena_cache_put(cache);
			return ret;
		}
	}
	return vmarena_area_map_cache(as, spec, cache, 0, out);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_create_anon);

/**
 * vmarena_area_create_null() - reserve address space: every access faults
 * @as: held
 * @spec: what and where (wiring must be lazy)
 * @out: if not NULL, gets the area with a reference
 */
int vmarena_area_create_null(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out)
{
	if (spec->wiring != VMARENA_WIRING_LAZY)
		return -EINVAL;
	return vmarena_area_map_store(as, spec, vmarena_store_null_create(), out);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_create_null);

/**
 * vmarena_area_map_device() - map physical memory at @phys
 * @as: held
 * @spec: what and where; the size is the length of the range
 * @phys: page aligned; see store_device.c for what it may be
 * @out: if not NULL, gets the area with a reference
 */
int vmarena_area_map_device(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			    phys_addr_t phys, struct vmarena_area **out)
{
	int ret;

	ret = vmarena_area_check_spec(spec);
	if (ret)
		return ret;
	if (spec->wiring == VMARENA_WIRING_CONTIGUOUS)
		return -EINVAL;
	return vmarena_area_map_store(as, spec, vmarena_store_device_create(phys, spec->size),
				      out);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_map_device);

/*
 * A shared mapping of a file writes the file: only through a file open for
 * writing and not append-only, as mmap() has it.  Otherwise the area may
 * never be writable, also not by a later protection change or a clone: its
 * protection_max loses write (asking for write gives -EACCES).
 */
static int vmarena_area_file_protection(struct file *file, struct vmarena_area_spec *spec)
{
	u32 max = spec->protection_max ? spec->protection_max : VMARENA_PROT_ALL;

	if (file->f_mode & FMODE_WRITE && !IS_APPEND(file_inode(file)))
		return 0;
	if ((spec->protection | spec->protection_max) & VMARENA_PROT_WRITE)
		return -EACCES;
	spec->protection_max = max & ~VMARENA_PROT_WRITE;
	return 0;
}

/**
 * vmarena_area_map_file() - map @file from @offset
 * @as: held
 * @spec: what and where
 * @file: readable; for a shared mapping that may be written, open for
 *	writing and not append-only (vmarena_area_file_protection())
 * @offset: page aligned offset in the file
 * @shared: the area's pages are the file's page-cache pages, and what is
 *	written reaches the file (store_file.c, filecache.c); otherwise
 *	writes stay private (copy-on-write over them)
 * @out: if not NULL, gets the area with a reference
 *
 * Returns 0, -EINVAL, -EACCES (write asked of a file that may not be
 * written), -ENODEV (a file whose page cache cannot be mapped), -ENOMEM,
 * or what placing the area returns.
 */
int vmarena_area_map_file(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			  struct file *file, loff_t offset, bool shared,
			  struct vmarena_area **out)
{
	bool overcommit = spec->flags & VMARENA_AREA_OVERCOMMIT;
	struct vmarena_area_spec s = *spec;
	struct vmarena_cache *cache, *cow;
	pgoff_t first, end;
	int ret;

	might_sleep();
	ret = vmarena_area_check_spec(spec);
	if (ret)
		return ret;
	if (offset < 0 || !PAGE_ALIGNED(offset) || spec->wiring == VMARENA_WIRING_CONTIGUOUS)
		return -EINVAL;
	first = offset >> PAGE_SHIFT;
	end = first + (spec->size >> PAGE_SHIFT);
	if (end < first || end > (MAX_LFS_FILESIZE >> PAGE_SHIFT))
		return -EINVAL;
	if (shared) {
		ret = vmarena_area_file_protection(file, &s);
		if (ret)
			return ret;
	}
	ret = vmarena_store_file_check(file, shared && s.protection_max & VMARENA_PROT_WRITE);
	if (ret)
		return ret;
	cache = vmarena_cache_get_file(file, shared);
	if (IS_ERR(cache))
		return PTR_ERR(cache);
	if (!shared) {
		/* The copies' source must reach their end (a shared area's link does). */
		mutex_lock(&cache->lock);
		ret = vmarena_area_cover_locked(cache, end);
		mutex_unlock(&cache->lock);
		if (ret)
			goto err_put;
		cow = vmarena_cache_create_cow(cache, end, overcommit);
		vmarena_cache_put(cache);
		if (IS_ERR(cow))
			return PTR_ERR(cow);
		cache = cow;
	}
	return vmarena_area_map_cache(as, &s, cache, first, out);
err_put:
	vmarena_cache_put(cache);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_map_file);

/**
 * vmarena_area_clone() - a new area over @source's memory
 * @as: held; may be @source's aspace or another
 * @spec: what and where; protection may not exceed @source's protection_max
 * @source: referenced by the caller
 * @shared: share @source's cache; otherwise a private copy-on-write layer
 * @out: if not NULL, gets the area with a reference
 *
 * With a private clone, writes through @source to pages the clone has not
 * copied yet show through the clone (NewOS semantics).  The size is
 * @source's; @spec->size is ignored.
 */
int vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		       struct vmarena_area *source, bool shared, struct vmarena_area **out)
{
	struct vmarena_area_spec s = *spec;
	struct vmarena_cache *cache;
	pgoff_t offset;
	int ret;

	might_sleep();
	down_read(&source->aspace->lock);
	if (source->deleted) {
		up_read(&source->aspace->lock);
		return -ENOENT;
	}
	s.size = source->size;
	if (!s.protection_max)
		s.protection_max = source->protection_max;
	cache = source->cache;
	offset = source->cache_offset;
	vmarena_cache_get(cache);
	up_read(&source->aspace->lock);

	ret = vmarena_area_check_spec(&s);
	if (!ret && (s.protection | s.protection_max) & ~source->protection_max)
		ret = -EACCES;
	if (!ret && (s.wiring == VMARENA_WIRING_CONTIGUOUS ||
		     (cache->store->ops->type == VMARENA_STORE_DEVICE && !shared)))
		ret = -EINVAL;
	if (ret) {
		vmarena_cache_put(cache);
		return ret;
	}
	if (!shared) {
		struct vmarena_cache *cow;

		cow = vmarena_cache_create_cow(cache, offset + (s.size >> PAGE_SHIFT),
					       s.flags & VMARENA_AREA_OVERCOMMIT);
		vmarena_cache_put(cache);
		if (IS_ERR(cow))
			return PTR_ERR(cow);
		cache = cow;
	}
	return vmarena_area_map_cache(as, &s, cache, offset, out);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_clone);

static int vmarena_aspace_cmp_id(const void *a, const void *b)
{
	const struct vmarena_aspace *x = *(const struct vmarena_aspace * const *)a;
	const struct vmarena_aspace *y = *(const struct vmarena_aspace * const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every aspace in @set, or false if some area of @cache lives elsewhere. */
static bool vmarena_area_sharers_in(struct vmarena_cache *cache,
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

/* Can every area of @sharers take @size bytes in place?  All locked. */
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
 * for the caller to wire their new pages once the locks are dropped (once,
 * even for both: a wiring too few is given back by the unwiring's floor at
 * zero, one too many would pin the page for ever).
 */
static int vmarena_area_resize_locked(struct vmarena_cache *cache,
				      struct vmarena_area **sharers, unsigned int n,
				      unsigned long size, struct vmarena_area_growth *grown)
{
	pgoff_t need = 0, end;
	struct vmarena_area *area;
	unsigned int i;
	int ret;

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

			/* Once for its wiring, once for a super-lock's. */
			vmarena_cache_lock_sources(cache);
			if (area->wiring != VMARENA_WIRING_LAZY)
				vmarena_area_unwire_range(area, area->base + size,
							  vmarena_area_end(area));
			if (area->superwired)
				vmarena_area_unwire_range(area, area->base + size,
							  vmarena_area_end(area));
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
		if ((area->wiring == VMARENA_WIRING_WIRED || area->superwired) &&
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
 * Charge @mm for what the pinned areas of @sharers (wire.h) grow by when
 * resized to @size, one record per area in @charges: the growth if @mm
 * carries the area's charge already, the whole new size if it does not.
 * r held, no other vmarena lock.  Returns 0 or -ENOMEM (nothing charged).
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
		struct vmarena_area *area = sharers[i];

		if (READ_ONCE(area->deleted) || size <= area->size || !vmarena_area_pinned(area))
			continue;
		pages = (area->charge.mm == mm ? size - area->size : size) >> PAGE_SHIFT;
		ret = vmarena_wire_charge(&charges[i], mm, pages);
		if (ret) {
			while (i--)
				vmarena_wire_uncharge(&charges[i]);
			return ret;
		}
	}
	return 0;
}

/*
 * After a resize of @sharers to @size: their charges take in the growth
 * charged in @charges, and hand what a shrink gives back to @charges, to
 * be given back by the caller.  Every sharer's aspace locked, and r.
 */
static void vmarena_area_settle_charges(struct vmarena_area **sharers, unsigned int n,
					unsigned long size, struct vmarena_charge *charges)
{
	unsigned long pages = size >> PAGE_SHIFT;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vmarena_area *area = sharers[i];

		lockdep_assert_held_write(&area->aspace->lock);
		vmarena_wire_merge(&area->charge, &charges[i]);
		if (area->charge.mm && area->charge.pages > pages)
			vmarena_wire_split(&area->charge, &charges[i],
					   area->charge.pages - pages);
	}
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
 * memory is pinned (wired, locked, super-locked: wire.h) have their memlock
 * charge follow their size, and so do @area's creator's committed bytes
 * (limits.h).  Returns 0, -EINVAL, -ENOENT (deleted), -EDQUOT
 * (max_commit_per_user), -ENOMEM (some sharer cannot grow in place, the
 * commit limit, or RLIMIT_MEMLOCK), -EINTR (killed while waiting): on
 * failure nothing changed.
 */
int vmarena_area_resize(struct vmarena_area *area, unsigned long new_size,
			struct mm_struct *mm)
{
	struct vmarena_cache *cache = area->cache;	/* valid until deleted */
	struct vmarena_area_growth *grown = NULL;
	struct vmarena_charge *charges = NULL;
	struct vmarena_area **sharers = NULL;
	struct vmarena_aspace **set = NULL;
	struct vmarena_area *sharer;
	unsigned long old_bytes = 0;
	unsigned int n = 0, i, j;
	bool limited = false, alone;
	int ret;

	might_sleep();
	/* A contiguous run cannot grow in place, nor keep its promise shrunk. */
	if (!new_size || !PAGE_ALIGNED(new_size) || area->wiring == VMARENA_WIRING_CONTIGUOUS)
		return -EINVAL;
	down_read(&area->aspace->lock);
	if (area->deleted) {
		up_read(&area->aspace->lock);
		return -ENOENT;
	}
	vmarena_cache_get(cache);
	up_read(&area->aspace->lock);
	/* A file's mappings are each their own: only @area changes. */
	alone = vmarena_cache_is_file(cache);

	if (mutex_lock_killable(&vmarena_resize_mutex)) {
		vmarena_cache_put(cache);
		return -EINTR;
	}
	/*
	 * The creator's committed bytes (limits.h) first, under r so that
	 * concurrent resizes of one area cannot undo each other's counts.
	 */
	ret = vmarena_limits_resize_area(&area->limit, new_size, &old_bytes, false);
	if (ret)
		goto out;
	limited = true;
retry:
	for (i = 0; sharers && i < n; i++)
		vmarena_area_put(sharers[i]);
	kfree(sharers);
	kfree(set);
	kfree(grown);
	kfree(charges);
	mutex_lock(&cache->lock);
	n = alone ? 1 : cache->nr_areas;
	set = kmalloc_array(max(n, 1U), sizeof(*set), GFP_KERNEL);
	sharers = kcalloc(max(n, 1U), sizeof(*sharers), GFP_KERNEL);
	charges = kcalloc(max(n, 1U), sizeof(*charges), GFP_KERNEL);
	grown = kcalloc(n + 1, sizeof(*grown), GFP_KERNEL);
	if (!set || !sharers || !charges || !grown) {
		mutex_unlock(&cache->lock);
		n = 0;
		ret = -ENOMEM;
		goto out;
	}
	i = 0;
	list_for_each_entry(sharer, &cache->areas, cache_link) {
		if (alone && sharer != area)
			continue;
		kref_get(&sharer->ref);
		sharers[i] = sharer;
		vmarena_aspace_hold(sharer->aspace);
		set[i++] = sharer->aspace;
	}
	n = i;
	mutex_unlock(&cache->lock);

	/* account_locked_vm() takes mmap_lock: before the aspace locks. */
	ret = vmarena_area_charge_growth(sharers, n, new_size, mm, charges);
	if (ret) {
		for (i = 0; i < n; i++)
			vmarena_aspace_drop(set[i]);
		goto out;
	}

	sort(set, n, sizeof(*set), vmarena_aspace_cmp_id, NULL);
	for (i = 0; i < n; i++)
		if (!i || set[i] != set[i - 1])
			down_write_nest_lock(&set[i]->lock, &vmarena_resize_mutex);

	mutex_lock(&cache->lock);
	if (area->deleted || !n)
		ret = -ENOENT;
	else if (!alone && (cache->nr_areas != n || !vmarena_area_sharers_in(cache, set, n)))
		ret = -EAGAIN;
	else
		ret = vmarena_area_resize_locked(cache, sharers, n, new_size, grown);
	mutex_unlock(&cache->lock);
	if (!ret)
		vmarena_area_settle_charges(sharers, n, new_size, charges);

	for (j = n; j-- > 0;)
		if (!j || set[j] != set[j - 1])
			up_write(&set[j]->lock);
	for (i = 0; i < n; i++)
		vmarena_aspace_drop(set[i]);
	/* What a shrink gave back, or the growth a failure did not use. */
	for (i = 0; i < n; i++)
		vmarena_wire_uncharge(&charges[i]);
	if (ret == -EAGAIN)
		goto retry;
out:
	if (ret && limited)
		vmarena_limits_resize_area(&area->limit, old_bytes, &old_bytes, true);
	mutex_unlock(&vmarena_resize_mutex);
	vmarena_cache_put(cache);
	for (i = 0; i < n; i++)
		vmarena_area_put(sharers[i]);
	kfree(sharers);
	kfree(charges);
	kfree(set);

	for (i = 0; grown && grown[i].area; i++) {
		struct vmarena_area *a = grown[i].area;

		/* -EFAULT: deleted or shrunk again meanwhile, nothing to wire */
		if (!ret) {
			ret = vmarena_area_wire_range(a, grown[i].from, a->base + new_size);
			if (ret == -EFAULT)
				ret = 0;
		}
		vmarena_area_put(a);
	}
	kfree(grown);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_resize);

/**
 * vmarena_area_set_lock() - lock @area's memory in, or unlock it
 * @area: referenced by the caller
 * @level: VMARENA_LOCK_LOCKED or VMARENA_LOCK_UNLOCKED
 * @mm: whose RLIMIT_MEMLOCK a lock counts against (NULL: nobody's)
 *
 * Locks do not stack (QNX, after POSIX mlock()): locking a locked area
 * changes nothing, and one unlock unlocks it however often it was locked.
 * A locked area's pages are never paged out; lazy ones are still only
 * allocated when first touched (QNX MAP_LAZY), and faults on them still
 * record use and modification.  Locking an area that nothing pins yet
 * counts its whole size against @mm's RLIMIT_MEMLOCK until it is unlocked
 * or deleted; a wired area, or any area of a super-locked aspace, is
 * counted already (wire.h), and unlocking it keeps that charge.
 * Super-locking is per aspace and not an area level here.  Returns 0,
 * -EINVAL, -ENOENT (deleted), -ENOMEM (limit) or -EINTR (killed while
 * waiting).
 */
int vmarena_area_set_lock(struct vmarena_area *area, unsigned int level, struct mm_struct *mm)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_charge charge = {};
	int ret = 0;

	might_sleep();
	if (level != VMARENA_LOCK_LOCKED && level != VMARENA_LOCK_UNLOCKED)
		return -EINVAL;
	/* r keeps charges, levels and the super-lock still (wire.h). */
	if (mutex_lock_killable(&vmarena_resize_mutex))
		return -EINTR;
	/* Charge first: account_locked_vm() takes mmap_lock, never under a. */
	if (level == VMARENA_LOCK_LOCKED && !vmarena_area_pinned(area)) {
		ret = vmarena_wire_charge(&charge, mm, area->size >> PAGE_SHIFT);
		if (ret)
			goto out;
	}
	down_write(&as->lock);
	if (area->deleted) {
		ret = -ENOENT;
	} else {
		/* The page daemon reads lock levels under l alone. */
		mutex_lock(&vmarena_cache_link_lock);
		WRITE_ONCE(area->lock_level, level);
		mutex_unlock(&vmarena_cache_link_lock);
		/* The area keeps the new charge, or gives its own back. */
		if (charge.mm || !vmarena_area_pinned(area))
			swap(charge, area->charge);
		as->change_count++;
		vmarena_generation_bump();
	}
	up_write(&as->lock);
out:
	mutex_unlock(&vmarena_resize_mutex);
	vmarena_wire_uncharge(&charge);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_set_lock);

/**
 * vmarena_area_set_protection() - change what @area allows
 * @area: referenced by the caller
 * @protection: VMARENA_PROT_* within the area's protection_max
 *
 * Present mappings lose what is taken away at once; what is added (write)
 * comes back through the fault path, which also keeps pages of lower
 * caches read-only.  Returns 0, -EINVAL, -EACCES (above protection_max),
 * -ENOENT (deleted).
 */
int vmarena_area_set_protection(struct vmarena_area *area, u32 protection)
{
	struct vmarena_aspace *as = area->aspace;
	u32 map;

	might_sleep();
	if (protection & ~VMARENA_PROT_ALL)
		return -EINVAL;
	if (protection & ~area->protection_max)
		return -EACCES;
	down_write(&as->lock);
	if (area->deleted) {
		up_write(&as->lock);
		return -ENOENT;
	}
	area->protection = protection;
	as->change_count++;
	vmarena_generation_bump();
	map = vmarena_area_map_prot(protection);
	if (!map)
		vmarena_aspace_unmap(as, area->base, area->size, false);
	else
		vmarena_aspace_protect(as, area->base, area->size, map & ~VMARENA_PROT_WRITE);
	up_write(&as->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_set_protection);

static int vmarena_area_count_pte(void *arg, unsigned long va,
				  const struct vmarena_pte_info *info)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* Fill @info.  Aspace locked. */
static void vmarena_area_info_locked(struct vmarena_area *area, struct vmarena_area_desc *info)
{
	struct vmarena_cache *cache = area->cache;

	lockdep_assert_held(&area->aspace->lock);
	memset(info, 0, sizeof(*info));
	info->id = area->id;
	strscpy(info->name, area->name, sizeof(info->name));
	info->base = area->base;
	info->size = area->size;
	info->protection = area->protection;
	info->protection_max = area->protection_max;
	info->wiring = area->wiring;
	info->lock_level = area->aspace->superlocked ? VMARENA_LOCK_SUPERLOCKED :
			   area->lock_level;
	info->flags = area->flags;
	info->cache_id = cache->id;
	info->aspace_id = area->aspace->id;
	vmarena_ptfrag_walk(&area->aspace->frag, area->base, area->size,
			    vmarena_area_count_pte, &info->resident);
	mutex_lock(&cache->lock);
	if (cache->source)
		info->copies = cache->resident;
	info->cache_depth = vmarena_cache_depth(cache);
	mutex_unlock(&cache->lock);
}

/**
 * vmarena_area_get_info() - describe @area
 * @area: referenced by the caller
 * @info: filled in
 *
 * Returns 0, or -ENOENT if @area was deleted.
 */
int vmarena_area_get_info(struct vmarena_area *area, struct vmarena_area_desc *info)
{
	int ret = -ENOENT;

	down_read(&area->aspace->lock);
	if (!area->deleted) {
		vmarena_area_info_locked(area, info);
		ret = 0;
	}
	up_read(&area->aspace->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_get_info);

/**
 * vmarena_area_iterate() - the next area of @as at or after *@cookie
 * @as: held
 * @cookie: 0 to start; advanced past the area returned
 * @info: filled in
 *
 * Returns 0, or -ENOENT when there is no further area.  Areas created or
 * deleted meanwhile may or may not be seen; none is seen twice.
 */
int vmarena_area_iterate(struct vmarena_aspace *as, unsigned long *cookie,
			 struct vmarena_area_desc *info)
{
	struct vmarena_area *area, *found = NULL;
	struct rb_node *node;

	down_read(&as->lock);
	node = as->areas.rb_node;
	while (node) {
		area = rb_entry(node, struct vmarena_area, node);
		if (area->base >= *cookie) {
			found = area;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	if (found) {
		vmarena_area_info_locked(found, info);
		*cookie = vmarena_area_end(found);
	}
	up_read(&as->lock);
	return found ? 0 : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_iterate);

/**
 * vmarena_area_get_by_id() - the area with @id, with a reference, or NULL
 * @id: an area id
 */
struct vmarena_area *vmarena_area_get_by_id(u32 id)
{
	struct vmarena_area *area;

	rcu_read_lock();
	area = xa_load(&vmarena_areas, id);
	if (area && !kref_get_unless_zero(&area->ref))
		area = NULL;
	rcu_read_unlock();
	return area;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_get_by_id);

/**
 * vmarena_area_find_by_name() - the first area of @as named @name
 * @as: held
 * @name: a NUL-terminated name
 *
 * Returns the area with a reference, or NULL.
 */
struct vmarena_area *vmarena_area_find_by_name(struct vmarena_aspace *as, const char *name)
{
	struct vmarena_area *area, *found = NULL;
	struct rb_node *node;

	down_read(&as->lock);
	for (node = rb_first(&as->areas); node; node = rb_next(node)) {
		area = rb_entry(node, struct vmarena_area, node);
		if (!strncmp(area->name, name, VMARENA_NAME_MAX)) {
			found = area;
			kref_get(&found->ref);
			break;
		}
	}
	up_read(&as->lock);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_find_by_name);

/* Every area of @as, each with a reference (NULL-terminated), or NULL. */
static struct vmarena_area **vmarena_area_collect(struct vmarena_aspace *as)
{
	struct vmarena_area **list;
	struct rb_node *node;
	unsigned int i = 0;

	down_read(&as->lock);
	list = kcalloc(as->nr_areas + 1, sizeof(*list), GFP_KERNEL);
	for (node = rb_first(&as->areas); list && node; node = rb_next(node)) {
		list[i] = rb_entry(node, struct vmarena_area, node);
		kref_get(&list[i++]->ref);
	}
	up_read(&as->lock);
	return list;
}

/* Drop the references of vmarena_area_collect()'s @list and free it. */
static void vmarena_area_put_list(struct vmarena_area **list)
{
	unsigned int i;

	for (i = 0; list && list[i]; i++)
		vmarena_area_put(list[i]);
	kfree(list);
}

/*
 * Hand what was written to @area in [@start, @end) (aspace addresses,
 * clipped to the area) to its file system and wait for it to be written
 * back.  No lock held.
 */
static int vmarena_area_sync_part(struct vmarena_area *area, unsigned long start,
				  unsigned long end)
{
	struct vmarena_cache *cache;
	pgoff_t first, last;
	int ret;

	down_read(&area->aspace->lock);
	if (area->deleted) {
		up_read(&area->aspace->lock);
		return -ENOENT;
	}
	start = max(start, area->base);
	end = min(end, vmarena_area_end(area));
	cache = area->cache;
	vmarena_cache_get(cache);
	up_read(&area->aspace->lock);
	ret = 0;
	if (start < end) {
		first = area->cache_offset + ((start - area->base) >> PAGE_SHIFT);
		last = area->cache_offset + ((end - area->base + PAGE_SIZE - 1) >> PAGE_SHIFT);
		ret = vmarena_filecache_writeback(cache, first, last, true);
	}
	vmarena_cache_put(cache);
	return ret;
}

/**
 * vmarena_area_sync() - hand what was written to @area to its file system
 *	and wait for it to be written back
 * @area: referenced by the caller
 *
 * Only shared file areas write anything (filecache.c); it also drops the
 * pages the file let go of (truncated, punched).  Returns 0, -ENOENT
 * (deleted) or the file system's error.
 * Context: no vmarena lock held, not in a page fault; sleeps.
 */
int vmarena_area_sync(struct vmarena_area *area)
{
	return vmarena_area_sync_part(area, 0, ULONG_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_sync);

/**
 * vmarena_area_sync_range() - vmarena_area_sync() of every area of @as
 *	in [@start, @end), for that range
 * @as: held
 * @start: aspace address
 * @end: one past the last byte
 *
 * What msync(MS_SYNC) of a window and fsync() of an aspace fd do.
 * Returns 0 or the first error.  Context: as vmarena_area_sync().
 */
int vmarena_area_sync_range(struct vmarena_aspace *as, unsigned long start, unsigned long end)
{
	struct vmarena_area **list = vmarena_area_collect(as);
	unsigned int i;
	int ret = 0, err;

	if (!list)
		return -ENOMEM;
	for (i = 0; list[i]; i++) {
		if (list[i]->base >= end || vmarena_area_end(list[i]) <= start)
			continue;
		err = vmarena_area_sync_part(list[i], start, end);
		if (err && err != -ENOENT && !ret)
			ret = err;
	}
	vmarena_area_put_list(list);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_sync_range);

/*
 * Mark @area wired once more by the super-lock, or drop that wiring; an
 * area nothing else pins is charged to @mm for it (wire.h), or gives that
 * charge back.  Marking wires nothing yet: vmarena_area_superfill() does,
 * without r.  Returns 0 or -ENOMEM (RLIMIT_MEMLOCK).  S and r held.
 */
static int vmarena_area_superwire(struct vmarena_area *area, bool on, struct mm_struct *mm)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_charge charge = {};
	bool charge_it;
	int ret;

	lockdep_assert_held(&as->superlock_lock);
	lockdep_assert_held(&vmarena_resize_mutex);
	/* A reservation has no pages to pin; a deleted area none any more. */
	if (area->reservation)
		return 0;
	down_read(&as->lock);
	charge_it = on && !area->deleted && !area->superwired &&
		    area->wiring == VMARENA_WIRING_LAZY &&
		    area->lock_level == VMARENA_LOCK_UNLOCKED;
	up_read(&as->lock);
	if (charge_it) {
		ret = vmarena_wire_charge(&charge, mm, area->size >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	down_write(&as->lock);
	if (area->deleted || area->superwired == on) {
		up_write(&as->lock);
		vmarena_wire_uncharge(&charge);
		return 0;
	}
	area->superwired = on;
	/* Take the new charge, or give the super-lock's back. */
	if (charge.mm || (!on && !vmarena_area_pinned(area)))
		swap(charge, area->charge);
	if (!on) {
		vmarena_cache_lock_chain(area->cache);
		vmarena_area_unwire_range(area, area->base, vmarena_area_end(area));
		vmarena_cache_unlock_chain(area->cache);
	}
	up_write(&as->lock);
	vmarena_wire_uncharge(&charge);
	return 0;
}

/*
 * Make a super-wired @area resident, wired and mapped with its final
 * protection; writable pages are privatised now (copied up), so writes
 * never fault.  S held, not r: other aspaces' resizes, locks and
 * super-locks need not wait while the pool makes room, page by page.  An
 * area deleted or shrunk meanwhile stops early (-EFAULT from the fault);
 * one grown meanwhile had its growth wired by the resize.  Returns 0,
 * -ENOMEM or -EINTR.
 */
static int vmarena_area_superfill(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;
	unsigned long start, end;
	unsigned int access;
	int ret;

	lockdep_assert_held(&as->superlock_lock);
	lockdep_assert_not_held(&vmarena_resize_mutex);
	down_read(&as->lock);
	if (area->deleted || !area->superwired || !area->protection) {
		up_read(&as->lock);
		return 0;
	}
	access = area->protection & VMARENA_PROT_WRITE ? VMARENA_FAULT_WRITE : VMARENA_FAULT_READ;
	start = area->base;
	end = vmarena_area_end(area);
	up_read(&as->lock);
	ret = vmarena_area_fault_range(as, start, end, access | VMARENA_FAULT_WIRE);
	return ret == -EFAULT ? 0 : ret;
}

struct vmarena_area_extent {
	const void *cache;	/* a key only: never followed */
	unsigned long pages;
};

static int vmarena_area_extent_cmp(const void *a, const void *b)
{
	const struct vmarena_area_extent *x = a, *y = b;

	return x->cache < y->cache ? -1 : x->cache > y->cache;
}

/*
 * Can a super-lock of the areas in @list (NULL-terminated, of @as) fit in
 * the pool at all?  All their pages must be resident at once, and the pool
 * holds at most max_pages; areas sharing a cache count the largest of them
 * once.  Without this, a super-lock of gigabytes filled the arena page by
 * page, with the resize lock held, before it failed (the fuzzer's hung
 * tasks).  Reservations, device ranges and inaccessible areas need no
 * pages.  r held.
 */
static bool vmarena_area_superlock_fits(struct vmarena_aspace *as, struct vmarena_area **list)
{
	struct vmarena_area_extent *ext;
	struct vmarena_page_stats stats;
	unsigned long need = 0, most = 0;
	unsigned int n = 0, i;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; list[i]; i++)
		;
	ext = kvmalloc_array(max(i, 1U), sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return true;	/* the page loop finds out */
	down_read(&as->lock);
	for (i = 0; list[i]; i++) {
		struct vmarena_area *area = list[i];
		unsigned int type;

		if (area->deleted || !area->protection)
			continue;
		type = area->cache->store->ops->type;
		if (type == VMARENA_STORE_NULL || type == VMARENA_STORE_DEVICE)
			continue;
		ext[n].cache = area->cache;
		ext[n++].pages = area->size >> PAGE_SHIFT;
	}
	up_read(&as->lock);
	sort(ext, n, sizeof(*ext), vmarena_area_extent_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (i && ext[i].cache != ext[i - 1].cache) {
			need += most;
			most = 0;
		}
		most = max(most, ext[i].pages);
	}
	need += most;
	kvfree(ext);
	vmarena_page_get_stats(&stats);
	return need <= stats.max_pages;
}

/*
 * Mark @as and its areas super-locked (or not) and move the charges, under
 * r: what resizes and lock changes read stays still while it changes.
 * Returns the areas (referenced, NULL-terminated) for the caller to fill
 * and put, or an ERR_PTR: -ESRCH (deleting), -EINTR (killed while
 * waiting for r), -ENOMEM (no memory, the areas cannot all fit in the
 * pool, or RLIMIT_MEMLOCK).  After an error the caller releases.  S held.
 */
static struct vmarena_area **vmarena_aspace_supermark(struct vmarena_aspace *as, bool on,
						      struct mm_struct *mm)
{
	struct vmarena_area **list;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&as->superlock_lock);
	/* A killed caller stops waiting; a release waits to the end. */
	if (!on)
		mutex_lock(&vmarena_resize_mutex);
	else if (mutex_lock_killable(&vmarena_resize_mutex))
		return ERR_PTR(-EINTR);
	down_write(&as->lock);
	if (on && as->deleting) {
		up_write(&as->lock);
		mutex_unlock(&vmarena_resize_mutex);
		return ERR_PTR(-ESRCH);
	}
	WRITE_ONCE(as->superlocked, on);
	as->change_count++;
	vmarena_generation_bump();
	up_write(&as->lock);

	list = vmarena_area_collect(as);
	if (!list)
		ret = -ENOMEM;
	else if (on && !vmarena_area_superlock_fits(as, list))
		ret = -ENOMEM;
	for (i = 0; !ret && list[i]; i++)
		ret = vmarena_area_superwire(list[i], on, mm);
	mutex_unlock(&vmarena_resize_mutex);
	if (ret) {
		vmarena_area_put_list(list);
		return ERR_PTR(ret);
	}
	return list;
}

/**
 * vmarena_aspace_superlock() - super-lock @as, or release the super-lock
 * @as: held
 * @on: lock or unlock
 * @mm: whose RLIMIT_MEMLOCK the super-locked memory counts against (NULL:
 *	nobody's)
 *
 * QNX's super-locked state: every page of every area (reservations aside)
 * is made resident, copied up where a write would copy it, wired and
 * mapped in the fragments with its final protection, so that nothing in
 * the aspace faults any more; areas created meanwhile are created wired.
 * Windows are populated by the Linux layer.  Every area that nothing else
 * pins counts against @mm's RLIMIT_MEMLOCK while the super-lock lasts
 * (wire.h; NULL: nobody's).  Releasing drops the wiring and the charges
 * the super-lock added.
 *
 * Changes of one aspace are serialised by its S; the page loop runs
 * without r, so that a super-lock waiting for the page daemon to make room
 * holds up nothing outside its aspace (the fuzzer's hung tasks).
 *
 * Context: no vmarena lock held; sleeps.  Return: 0, -ESRCH (deleting),
 * -ENOMEM (memory: at once if the areas cannot all fit under max_pages;
 * or RLIMIT_MEMLOCK) or -EINTR (the caller was killed meanwhile); a failed
 * lock is undone.
 */
int vmarena_aspace_superlock(struct vmarena_aspace *as, bool on, struct mm_struct *mm)
{
	struct vmarena_area **list;
	unsigned int i;
	int ret = 0;
	bool was;

	might_sleep();
	if (mutex_lock_killable(&as->superlock_lock))
		return -EINTR;
	was = READ_ONCE(as->superlocked);	/* S keeps it still */
	list = vmarena_aspace_supermark(as, on, mm);
	if (IS_ERR(list)) {
		ret = PTR_ERR(list);
		list = NULL;
	}
	for (i = 0; on && list && list[i] && !ret; i++)
		ret = vmarena_area_superfill(list[i]);
	vmarena_area_put_list(list);
	/* Undo a failed lock, unless it failed before marking or stacked. */
	if (ret && on && !was && READ_ONCE(as->superlocked)) {
		list = vmarena_aspace_supermark(as, false, NULL);
		vmarena_area_put_list(IS_ERR(list) ? NULL : list);
	}
	mutex_unlock(&as->superlock_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_superlock);

/**
 * vmarena_area_dump() - describe @area in one line
 * @area: its aspace locked
 * @m: where to print, or NULL for the kernel log
 */
void vmarena_area_dump(struct vmarena_area *area, struct seq_file *m)
{
	static const char * const wiring[] = { "lazy", "wired", "already-wired", "contiguous" };
	static const char * const lock[] = { "unlocked", "locked", "super-locked" };

	vmarena_dump_printf(m, "  area %u \"%s\": %#lx+%#lx prot %#x/%#x %s %s cache %u+%lu\n",
			    area->id, area->name, area->base, area->size, area->protection,
			    area->protection_max, wiring[area->wiring], lock[area->lock_level],
			    area->cache->id, area->cache_offset);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_dump);

int vmarena_area_init(void)
{
	return 0;
}

void vmarena_area_uninit(void)
{
	WARN_ON(!xa_empty(&vmarena_areas));
	xa_destroy(&vmarena_areas);
}
