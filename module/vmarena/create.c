// SPDX-License-Identifier: GPL-2.0
/*
 * Area creation: checking what is asked, a new cache over each kind of
 * store, clones over another area's cache, and putting the new area over
 * its cache into its aspace (charged, placed, linked, published, then
 * wired or filled).  Lock keys: locking.h.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/*
 * Physical placement (VMARENA_AREA_PHYS_*): one limit at most, and only
 * for a contiguous run.  Returns 0 or -EINVAL.  Context: any.
 */
static int vmarena_area_check_phys(const struct vmarena_area_spec *spec)
{
	u32 phys = spec->flags & (VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G);

	if (!phys)
		return 0;
	if (phys != VMARENA_AREA_PHYS_16M && phys != VMARENA_AREA_PHYS_4G)
		return -EINVAL;
	return spec->wiring == VMARENA_WIRING_CONTIGUOUS ? 0 : -EINVAL;
}

/*
 * Is @spec well-formed?  Returns 0, -EINVAL or -EACCES (protection above
 * protection_max).  Context: any.
 */
static int vmarena_area_check_spec(const struct vmarena_area_spec *spec)
{
	u32 max = spec->protection_max ? spec->protection_max : VMARENA_PROT_ALL;

	if (spec->name && strnlen(spec->name, VMARENA_NAME_MAX) >= VMARENA_NAME_MAX)
		return -EINVAL;
	if (spec->addr_spec > VMARENA_ADDR_BASE || spec->wiring > VMARENA_WIRING_CONTIGUOUS ||
	    spec->lock_level > VMARENA_LOCK_LOCKED || spec->flags & ~VMARENA_AREA_FLAGS_ALL ||
	    (spec->flags & VMARENA_AREA_LAZY && spec->wiring != VMARENA_WIRING_LAZY))
		return -EINVAL;
	if (vmarena_area_check_phys(spec))
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

/*
 * Fill a contiguous area's new cache with one wired physical run, below
 * the limit @area_flags asks for (VMARENA_AREA_PHYS_*).  Returns 0 or
 * -ENOMEM.  Context: no vmarena lock held; takes c, then q.
 */
static int vmarena_area_fill_contiguous(struct vmarena_cache *cache, pgoff_t pages,
					u32 area_flags)
{
	unsigned int alloc = VMARENA_ALLOC_ZERO;
	struct vmarena_page **run;
	pgoff_t i;
	int ret;

	if (area_flags & VMARENA_AREA_PHYS_16M)
		alloc |= VMARENA_ALLOC_DMA;
	else if (area_flags & VMARENA_AREA_PHYS_4G)
		alloc |= VMARENA_ALLOC_DMA32;
	run = kvmalloc_array(pages, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	ret = vmarena_page_alloc_run(pages, alloc, run);
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
	cache->contiguous = true;
	mutex_unlock(&cache->lock);
out:
	kvfree(run);
	return ret;
}

/*
 * The committed bytes a new area of @size over @cache counts against its
 * creator's cap (limits.h): none for null and device stores and for a
 * cache that other areas map already (shared clones, a file's cache).
 * Context: no vmarena lock held; takes c.
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

/*
 * Grow @cache to cover @pages pages if it is smaller.  Returns 0 or
 * -ENOMEM.  Context: c held.
 */
int vmarena_area_cover_locked(struct vmarena_cache *cache, pgoff_t pages)
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
 * Context: a of @as (the area's aspace to be) held for writing; takes c, then l.
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

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit's race windows (create.h). */
VISIBLE_IF_KUNIT struct vmarena_area_hooks vmarena_area_hooks;
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_hooks);

/* Call KUnit's pause hook, if set.  Context: no vmarena lock held. */
static void vmarena_area_create_paused(struct vmarena_aspace *as)
{
	void (*pause)(struct vmarena_aspace *as) = READ_ONCE(vmarena_area_hooks.create_pause);

	if (pause)
		pause(as);
}
#else
/* Context: any. */
static void vmarena_area_create_paused(struct vmarena_aspace *as)
{
}
#endif

/*
 * Decide the wiring of a new @area and charge it (memlock.h): a super-locked
 * aspace takes no faults, so a lazy area created in it (@superlocked) is
 * wired.  Two are marked instead, as the super-lock marks the areas it
 * finds: a VMARENA_AREA_LAZY one (each page is wired by its first touch),
 * and one without access (wiring would fault against its protection; when
 * protection comes back, the refill wires and maps it).  A reservation has
 * nothing to pin.  Returns 0 or -ENOMEM (RLIMIT_MEMLOCK).
 * Context: no vmarena lock held (account_locked_vm() takes mmap_lock).
 */
static int vmarena_area_charge_new(struct vmarena_area *area,
				   const struct vmarena_area_spec *spec, bool superlocked)
{
	bool mark = superlocked && spec->wiring == VMARENA_WIRING_LAZY && !area->reservation;

	area->wiring = spec->wiring;
	/* Unpublished: nobody reads the mark yet. */
	area->superwired = mark && (spec->flags & VMARENA_AREA_LAZY || !spec->protection);
	if (mark && !area->superwired)
		area->wiring = VMARENA_WIRING_WIRED;
	if (area->wiring == VMARENA_WIRING_LAZY && !area->superwired)
		return 0;	/* a lock is charged to its record */
	return vmarena_memlock_charge(&area->charge, spec->charge_mm, spec->size >> PAGE_SHIFT);
}

/*
 * The lock a new, unpublished @area is created with: @mm's record,
 * charged to it (lockrec.h).  Returns 0 or -ENOMEM (memory or limit).
 * Context: no vmarena lock held; takes o.
 */
static int vmarena_area_lock_new(struct vmarena_area *area, struct mm_struct *mm)
{
	struct vmarena_lockrec *rec = vmarena_lockrec_alloc(mm);
	int ret;

	if (!rec)
		return -ENOMEM;
	ret = vmarena_lockrec_charge(rec, area->size >> PAGE_SHIFT);
	if (ret) {
		vmarena_lockrec_free(rec);
		return ret;
	}
	vmarena_lockrec_area_add(area, rec);
	return 0;
}

/*
 * Put a new area over @cache (whose reference it takes over) into @as.
 * Returns 0 and, if @out, the area with a reference for the caller.
 * Context: no vmarena lock held; takes u, o, g, a, then c and l; sleeps.
 */
static int vmarena_area_map_cache(struct vmarena_aspace *as,
				  const struct vmarena_area_spec *spec,
				  struct vmarena_cache *cache, pgoff_t cache_offset,
				  struct vmarena_area **out)
{
	struct vmarena_area *area;
	bool superlocked;
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
	/* A lock given at creation is the creator's, as if it locked it. */
	area->lock_level = spec->lock_level ? VMARENA_LOCK_LOCKED : VMARENA_LOCK_UNLOCKED;
	area->overcommit = spec->flags & VMARENA_AREA_OVERCOMMIT;
	area->reservation = cache->store->ops->type == VMARENA_STORE_NULL;
	area->flags = spec->flags;
	area->shared = spec->flags & VMARENA_AREA_SHARED;
	area->owner = spec->owner;
	INIT_LIST_HEAD(&area->cache_link);
	INIT_LIST_HEAD(&area->locks);
	xa_init(&area->wired);

	ret = vmarena_limits_charge_area(&area->limit, spec->owner,
					 vmarena_area_limit_bytes(cache, spec->size));
	if (ret)
		goto err_free_area;
	if (area->lock_level != VMARENA_LOCK_UNLOCKED) {
		ret = vmarena_area_lock_new(area, spec->charge_mm);
		if (ret)
			goto err_unlimit;
	}
	ret = vmarena_area_alloc_id(area);
	if (ret)
		goto err_drop_lock;
	/*
	 * The charge (account_locked_vm() takes mmap_lock) comes before a,
	 * so the super-lock it depends on is read before a too, and read
	 * again under a: if it began or ended in between, charge again.
	 */
	superlocked = READ_ONCE(as->superlocked);
	for (;;) {
		ret = vmarena_area_charge_new(area, spec, superlocked);
		if (ret)
			goto err_unid;
		vmarena_area_create_paused(as);
		down_write(&as->lock);
		if (as->superlocked == superlocked)
			break;
		up_write(&as->lock);
		vmarena_memlock_uncharge(&area->charge);
		superlocked = !superlocked;
	}
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
	vmarena_area_publish(area);
	up_write(&as->lock);

	if (area->wiring != VMARENA_WIRING_LAZY) {
		ret = vmarena_area_wire_range(area, area->base, vmarena_area_end(area));
		if (ret) {
			vmarena_area_delete(area);
			vmarena_area_put(area);
			return ret;
		}
		/* Windows mapped before the area existed map it now. */
		vmarena_aspace_populate(as, area->base, area->size);
	}
	if (area->lock_level != VMARENA_LOCK_UNLOCKED) {
		ret = vmarena_area_lock_fill(area);
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
	vmarena_memlock_uncharge(&area->charge);
err_unid:
	vmarena_area_free_id(area);
err_drop_lock:
	vmarena_lockrec_area_gone(area);
err_unlimit:
	vmarena_limits_uncharge_area(&area->limit);
err_free_area:
	kfree(area);
err_put_cache:
	vmarena_cache_put(cache);
	return ret;
}

/*
 * A new cache over @store, sized and committed for @spec.
 * Context: no vmarena lock held; takes c.
 */
struct vmarena_cache *vmarena_area_new_cache(struct vmarena_store *store,
					     const struct vmarena_area_spec *spec, bool temporary)
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
 * vmarena_area_map_new() - a new area over @cache (a copy's, copy.c)
 * @as: held
 * @spec: what and where
 * @cache: its reference is taken over (dropped on failure)
 * @cache_offset: where in @cache the area begins
 * @out: if not NULL, gets the area with a reference
 *
 * Context: no vmarena lock held but r and vmarena_copy_rwsem (copy.c);
 * sleeps (vmarena_area_map_cache()).
 */
int vmarena_area_map_new(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			 struct vmarena_cache *cache, pgoff_t cache_offset,
			 struct vmarena_area **out)
{
	int ret;

	might_sleep();
	lockdep_assert_held(&vmarena_resize_mutex);
	ret = vmarena_area_check_spec(spec);
	if (ret) {
		vmarena_cache_put(cache);
		return ret;
	}
	return vmarena_area_map_cache(as, spec, cache, cache_offset, out);
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
 * Context: no vmarena lock held; sleeps (vmarena_area_map_cache()).
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
 * area gets one physically contiguous, wired run (below 16 MiB or 4 GiB
 * with VMARENA_AREA_PHYS_16M or _PHYS_4G).
 * Context: no vmarena lock held; sleeps (vmarena_area_map_cache()).
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
		ret = vmarena_area_fill_contiguous(cache, spec->size >> PAGE_SHIFT,
						   spec->flags);
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
 *
 * Context: no vmarena lock held; sleeps (vmarena_area_map_cache()).
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
 *
 * Context: no vmarena lock held; sleeps (vmarena_area_map_cache()).
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
 * Context: any.
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
 * Context: no vmarena lock held; sleeps (vmarena_area_map_cache()).
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
		s.flags |= VMARENA_AREA_SHARED;
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

/*
 * @area has a shared clone now: it is shared on purpose too, so a copy
 * shares it rather than copying it (Haiku marks the source of a clone
 * B_SHARED_AREA as well as the clone).  Flags are constant; the mark is
 * apart, set with y (either way) and a held, read with either.
 * Context: y held; takes a.
 */
static void vmarena_area_mark_shared(struct vmarena_area *area)
{
	lockdep_assert_held(&vmarena_copy_rwsem);
	down_write(&area->aspace->lock);
	area->shared = true;
	up_write(&area->aspace->lock);
}

/**
 * __vmarena_area_clone() - vmarena_area_clone() for a caller that keeps
 *	@source's cache still (a copy, copy.c)
 * @as: held; may be @source's aspace or another
 * @spec: what and where; protection may not exceed @source's protection_max
 * @source: referenced by the caller
 * @shared: share @source's cache; otherwise a private copy-on-write layer
 * @out: if not NULL, gets the area with a reference
 *
 * Context: vmarena_copy_rwsem held (either way), no other vmarena lock but
 * r; sleeps (vmarena_area_map_cache()).
 */
int __vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			 struct vmarena_area *source, bool shared, struct vmarena_area **out)
{
	struct vmarena_area_spec s = *spec;
	struct vmarena_cache *cache;
	pgoff_t offset;
	int ret;

	might_sleep();
	lockdep_assert_held(&vmarena_copy_rwsem);
	down_read(&source->aspace->lock);
	if (source->deleted) {
		up_read(&source->aspace->lock);
		return -ENOENT;
	}
	s.size = source->size;
	if (shared)
		s.flags |= VMARENA_AREA_SHARED;
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
	ret = vmarena_area_map_cache(as, &s, cache, offset, out);
	if (!ret && shared)
		vmarena_area_mark_shared(source);
	return ret;
}

/**
 * vmarena_area_clone() - a new area over @source's memory
 * @as: held; may be @source's aspace or another
 * @spec: what and where; protection may not exceed @source's protection_max
 * @source: referenced by the caller
 * @shared: share @source's cache (and be VMARENA_AREA_SHARED); otherwise a
 *	private copy-on-write layer
 * @out: if not NULL, gets the area with a reference
 *
 * With a private clone, writes through @source to pages the clone has not
 * copied yet show through the clone (NewOS semantics).  The size is
 * @source's; @spec->size is ignored.  A copy of @source (copy.c) may give
 * @source a new cache: the clone waits for it, so that it never links to
 * the layer a copy has just put below @source.
 * Context: no vmarena lock held; takes vmarena_copy_rwsem for reading;
 * sleeps (vmarena_area_map_cache()).
 */
int vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		       struct vmarena_area *source, bool shared, struct vmarena_area **out)
{
	int ret;

	down_read(&vmarena_copy_rwsem);
	ret = __vmarena_area_clone(as, spec, source, shared, out);
	up_read(&vmarena_copy_rwsem);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_clone);
