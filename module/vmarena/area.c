// SPDX-License-Identifier: GPL-2.0
/*
 * The area object: its id table, lookup, placement in its aspace's tree,
 * references, deletion, protection, info, iteration, sync and dump.
 * Creation is in create.c, resizing in resize.c, lock levels in
 * arealock.c, wiring records in wiring.c, the super-lock in superlock.c.  Lock keys:
 * locking.h.
 */
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

static DEFINE_XARRAY_ALLOC1(vmarena_areas);		/* g */
static u32 vmarena_area_next_id;			/* g */

/**
 * vmarena_area_alloc_id() - give a new, unpublished @area its id
 * @area: not in the id table yet
 *
 * The id is taken but maps to nothing until vmarena_area_publish().
 * Returns 0 or -ENOMEM (or -EBUSY: no id left).
 * Context: no vmarena lock held; takes g.  May sleep.
 */
int vmarena_area_alloc_id(struct vmarena_area *area)
{
	int ret;

	ret = xa_alloc_cyclic(&vmarena_areas, &area->id, NULL, xa_limit_31b,
			      &vmarena_area_next_id, GFP_KERNEL_ACCOUNT);
	return ret < 0 ? ret : 0;
}

/**
 * vmarena_area_publish() - make @area found by its id
 * @area: given an id by vmarena_area_alloc_id()
 *
 * The id table takes a reference, dropped when the area is deleted.
 * Context: a held for writing (the area goes into its tree in the same
 * hold); takes g.
 */
void vmarena_area_publish(struct vmarena_area *area)
{
	lockdep_assert_held_write(&area->aspace->lock);
	kref_get(&area->ref);
	/* The slot was allocated: storing allocates nothing. */
	xa_store(&vmarena_areas, area->id, area, GFP_KERNEL_ACCOUNT);
}

/**
 * vmarena_area_free_id() - give @area's id back
 * @area: unpublished, or deleted
 *
 * Context: any; takes g.
 */
void vmarena_area_free_id(struct vmarena_area *area)
{
	xa_erase(&vmarena_areas, area->id);
}

/*
 * The protection a page is mapped with: x86 cannot map without read.
 * Context: any.
 */
static u32 vmarena_area_map_prot(u32 protection)
{
	return protection ? protection | VMARENA_PROT_READ : 0;
}

/*
 * Must touching @area never fault (a wired area, or any area of a
 * super-locked aspace)?  Its windows are then kept populated.
 * Context: a held.
 */
static bool vmarena_area_fault_free(const struct vmarena_area *area)
{
	lockdep_assert_held(&area->aspace->lock);
	return area->wiring != VMARENA_WIRING_LAZY || vmarena_area_superpinned(area);
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
 * Context: a held (read or write).
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
 * exact spot that is taken) or -ENOMEM (no room).
 * Context: a held for writing.
 */
long vmarena_area_place_locked(struct vmarena_aspace *as, const struct vmarena_area_spec *spec)
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

/*
 * Put @area, placed and linked to its cache, into @as's tree.
 * Context: a held for writing.
 */
void vmarena_area_insert_locked(struct vmarena_aspace *as, struct vmarena_area *area)
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

/*
 * The last reference went: free @ref's area after a grace period (lookups
 * by id run under RCU).  Context: no vmarena lock held.
 */
static void vmarena_area_release(struct kref *ref)
{
	struct vmarena_area *area = container_of(ref, struct vmarena_area, ref);

	vmarena_aspace_unref(area->aspace);
	WARN_ON_ONCE(!xa_empty(&area->wired));
	xa_destroy(&area->wired);
	kfree_rcu(area, rcu);
}

/**
 * vmarena_area_put() - drop a reference to @area
 * @area: referenced by the caller
 *
 * Context: no vmarena lock held; may sleep (the last reference drops the cache's).
 */
void vmarena_area_put(struct vmarena_area *area)
{
	might_sleep();
	kref_put(&area->ref, vmarena_area_release);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_put);

/*
 * Take @area out of its aspace's tree and mark it deleted.  From here on
 * no lookup and so no fault finds it, and no new area can take its range
 * while the caller holds the aspace lock even for reading:
 * vmarena_area_detach() may then run with the lock downgraded.  Its
 * memlock charge moves to @charge (empty), for the caller to give back
 * with no lock held: nothing else changes a deleted area's charge, and
 * whoever reads it holds a (area.h).
 * Context: a held for writing.
 */
static void vmarena_area_unlink_locked(struct vmarena_area *area, struct vmarena_charge *charge)
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
	swap(*charge, area->charge);
}

/*
 * After vmarena_area_unlink_locked(): unwire and unmap @area everywhere
 * (fragments and user windows) and take it off its cache.  Aspace locked,
 * for reading at least: faults in the aspace's other areas go on meanwhile
 * (zapping a big area's windows takes long).  The caller drops the area's
 * id and reference afterwards.
 * Context: a held (for reading at least); takes the chain's c and l.
 */
static void vmarena_area_detach(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;

	lockdep_assert_held(&as->lock);
	WARN_ON_ONCE(!area->deleted);
	vmarena_cache_lock_chain(area->cache);
	vmarena_area_unwire_range(area, area->base, vmarena_area_end(area));
	vmarena_aspace_unmap(as, area->base, area->size, true);
	/* What it wrote to a file goes to the file system now. */
	vmarena_filecache_orphan(area->cache, area->cache_offset,
				 area->cache_offset + (area->size >> PAGE_SHIFT));
	vmarena_cache_remove_area(area->cache, &area->cache_link);
	vmarena_cache_unlock_chain(area->cache);
}

/*
 * After unlinking: unpublish the id, give back @charge (the area's memlock
 * charge, taken out by vmarena_area_unlink_locked()), let the cache merge
 * if it is due and drop the area's reference to it (a deleted area has no
 * cache: only ->deleted and the constant fields may be read), then the
 * table's reference to the area.
 * Context: no vmarena lock held; takes g, o, u, then c.  May sleep.
 */
static void vmarena_area_finish_delete(struct vmarena_area *area,
				       struct vmarena_charge *charge)
{
	struct vmarena_cache *cache = area->cache;

	vmarena_area_free_id(area);
	vmarena_lockrec_area_gone(area);
	vmarena_memlock_uncharge(charge);
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
 * Context: no vmarena lock held; takes a, then the chain's c and l.
 */
int vmarena_area_delete(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_charge charge = {};

	might_sleep();
	down_write(&as->lock);
	if (area->deleted) {
		up_write(&as->lock);
		return -ENOENT;
	}
	vmarena_area_unlink_locked(area, &charge);
	downgrade_write(&as->lock);
	vmarena_area_detach(area);
	up_read(&as->lock);
	vmarena_area_finish_delete(area, &charge);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_delete);

/**
 * vmarena_area_delete_all() - delete every area of @as
 * @as: held, marked deleting (so no area can be added meanwhile)
 *
 * Returns 0.
 * Context: no vmarena lock held; takes a, then the chain's c and l.
 */
int vmarena_area_delete_all(struct vmarena_aspace *as)
{
	struct vmarena_charge charge = {};
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
		vmarena_area_unlink_locked(area, &charge);
		vmarena_area_detach(area);
		up_write(&as->lock);
		vmarena_area_finish_delete(area, &charge);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_delete_all);

/*
 * After a protection change of an area that must not fault: make what it
 * now allows (@protection) resident again (with write, copied up where a
 * write would copy), then bring the windows in line, in place.  An area
 * deleted or shrunk meanwhile ends the fill early.
 * Context: no vmarena lock held; sleeps.
 */
static int vmarena_area_refill(struct vmarena_area *area, u32 protection,
			       unsigned long base, unsigned long size, bool grows)
{
	unsigned int access = vmarena_area_fill_access(protection, true);
	int ret = 0;

	if (grows) {
		ret = vmarena_area_fault_range(area->aspace, base, base + size, access);
		if (ret == -EFAULT)
			ret = 0;
	}
	vmarena_aspace_populate(area->aspace, base, size);
	return ret;
}

/* What a protection change found: undone with the same extent if it fails. */
struct vmarena_prot_change {
	u32 old;
	bool grows;
	unsigned long base, size;
};

/*
 * Set @area's protection to @protection if it is still @expect (any, if
 * @expect is U32_MAX), and take from the present mappings what it no
 * longer allows.  Returns 1 if the area must not fault and its windows
 * need a refill (@ch says over what, and from what), 0, or -ENOENT
 * (deleted, or changed by someone else meanwhile).
 * Context: no vmarena lock held; takes a.
 */
static int vmarena_area_commit_protection(struct vmarena_area *area, u32 protection,
					  u32 expect, struct vmarena_prot_change *ch)
{
	struct vmarena_aspace *as = area->aspace;
	bool keep;
	u32 map;

	down_write(&as->lock);
	if (area->deleted || (expect != U32_MAX && area->protection != expect)) {
		up_write(&as->lock);
		return -ENOENT;
	}
	ch->old = area->protection;
	ch->grows = protection & ~area->protection;
	ch->base = area->base;
	ch->size = area->size;
	area->protection = protection;
	as->change_count++;
	vmarena_generation_bump();
	map = vmarena_area_map_prot(protection);
	keep = vmarena_area_fault_free(area);
	if (!map)
		vmarena_aspace_unmap(as, area->base, area->size, false);
	else
		vmarena_aspace_protect(as, area->base, area->size, map & ~VMARENA_PROT_WRITE, keep);
	up_write(&as->lock);
	return map && keep;
}

/**
 * vmarena_area_set_protection() - change what @area allows
 * @area: referenced by the caller
 * @protection: VMARENA_PROT_* within the area's protection_max
 *
 * Present mappings lose what is taken away at once; what is added (write)
 * comes back through the fault path, which also keeps pages of lower
 * caches read-only.  An area that must not fault is made resident for what
 * it now allows; if that fails, the old protection comes back (a failed
 * change changes nothing).  Returns 0, -EINVAL, -EACCES (above
 * protection_max), -ENOENT (deleted), or the refill's -ENOMEM or -EINTR.
 * Context: no vmarena lock held; takes a; sleeps.
 */
int vmarena_area_set_protection(struct vmarena_area *area, u32 protection)
{
	struct vmarena_prot_change ch, back;
	int ret;

	might_sleep();
	if (protection & ~VMARENA_PROT_ALL)
		return -EINVAL;
	if (protection & ~area->protection_max)
		return -EACCES;
	ret = vmarena_area_commit_protection(area, protection, U32_MAX, &ch);
	if (ret <= 0)
		return ret;
	ret = vmarena_area_refill(area, protection, ch.base, ch.size, ch.grows);
	if (!ret)
		return 0;
	/* Unless changed meanwhile, what the old protection had resident still is. */
	if (vmarena_area_commit_protection(area, ch.old, protection, &back) > 0)
		vmarena_area_refill(area, ch.old, back.base, back.size, false);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_set_protection);

/* Count one resident page (a vmarena_ptfrag_walk() callback).  Context: f held. */
static int vmarena_area_count_pte(void *arg, unsigned long va,
				  const struct vmarena_pte_info *info)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* Fill @info.  Context: a held; takes c, then f. */
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
	info->flags = area->flags | (area->shared ? VMARENA_AREA_SHARED : 0);
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
 * Context: no vmarena lock held; takes a, c, then f.
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
 * Context: no vmarena lock held; takes a, c, then f.
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
 *
 * Context: any; RCU inside.
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
 * Context: no vmarena lock held; takes a.
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

/*
 * Every area of @as, each with a reference (NULL-terminated), or NULL.
 * Context: no vmarena lock held but S or r; takes a.
 */
struct vmarena_area **vmarena_area_collect(struct vmarena_aspace *as)
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

/*
 * Drop the references of vmarena_area_collect()'s @list and free it.
 * Context: as vmarena_area_put().
 */
void vmarena_area_put_list(struct vmarena_area **list)
{
	unsigned int i;

	for (i = 0; list && list[i]; i++)
		vmarena_area_put(list[i]);
	kfree(list);
}

/*
 * Hand what was written to @area in [@start, @end) (aspace addresses,
 * clipped to the area) to its file system and wait for it to be written
 * back.
 * Context: no vmarena lock held, not in a page fault; takes a; sleeps.
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

/* vmarena_area_dump()'s line: the fields of struct vmarena_area_desc. */
#define VMARENA_AREA_DUMP_FMT \
	"area %u \"%s\" aspace %u 0x%lx-0x%lx size 0x%lx prot 0x%x max 0x%x %s %s flags 0x%x"
#define VMARENA_AREA_DUMP_FMT2 \
	" cache %u+0x%lx depth %u resident %lu copies %lu\n"

/**
 * vmarena_area_dump() - describe @area in one line
 * @area: in its aspace's tree
 * @m: where to print, or NULL for the kernel log
 *
 * Prints what vmarena_area_get_info() reports (VMARENA_IOC_AREA_INFO),
 * from the same snapshot, so that the two always agree.
 *
 * Context: a held; takes f, then c (one at a time).  May sleep.
 */
void vmarena_area_dump(struct vmarena_area *area, struct seq_file *m)
{
	static const char * const wiring[] = { "lazy", "wired", "already-wired", "contiguous" };
	static const char * const lock[] = { "unlocked", "locked", "super-locked" };
	struct vmarena_area_desc d;

	lockdep_assert_held(&area->aspace->lock);
	vmarena_area_info_locked(area, &d);
	vmarena_dump_printf(m, VMARENA_AREA_DUMP_FMT VMARENA_AREA_DUMP_FMT2,
			    d.id, d.name, d.aspace_id, d.base, d.base + d.size, d.size,
			    d.protection, d.protection_max,
			    d.wiring < ARRAY_SIZE(wiring) ? wiring[d.wiring] : "invalid",
			    d.lock_level < ARRAY_SIZE(lock) ? lock[d.lock_level] : "invalid",
			    d.flags, d.cache_id, area->cache_offset << PAGE_SHIFT, d.cache_depth,
			    d.resident, d.copies);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_dump);

/* Context: module init, no lock held. */
int vmarena_area_init(void)
{
	return 0;
}

/* Every area is gone.  Context: module exit, no lock held. */
void vmarena_area_uninit(void)
{
	WARN_ON(!xa_empty(&vmarena_areas));
	xa_destroy(&vmarena_areas);
}
