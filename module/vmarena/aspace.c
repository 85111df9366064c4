// SPDX-License-Identifier: GPL-2.0
/*
 * Aspaces: the id table, the hold/drop life cycle (DragonFly, seed 002),
 * deletion.  Lock keys: locking.h.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"

static DEFINE_XARRAY_ALLOC1(vmarena_aspaces);		/* g */
static u32 vmarena_aspace_next_id;			/* g */
atomic_t vmarena_generation = ATOMIC_INIT(1);
EXPORT_SYMBOL_IF_KUNIT(vmarena_generation);

/**
 * vmarena_aspace_create() - a new, empty address space
 * @name: at most VMARENA_NAME_MAX - 1 bytes
 * @base: page aligned
 * @size: page aligned, not zero; base + size <= VMARENA_PTFRAG_LIMIT
 *
 * The aspace is owned by the caller's euid.  Returns the aspace held once
 * for the caller (and once by the id table until vmarena_aspace_delete()),
 * or an ERR_PTR: -EINVAL, -ENOMEM, -ENOSPC.
 *
 * Context: no lock needed; takes g.  May sleep.
 */
struct vmarena_aspace *vmarena_aspace_create(const char *name, unsigned long base,
					     unsigned long size)
{
	struct vmarena_aspace *as;
	int ret;

	might_sleep();
	if (!name || strnlen(name, VMARENA_NAME_MAX) >= VMARENA_NAME_MAX ||
	    !PAGE_ALIGNED(base) || !PAGE_ALIGNED(size) || !size ||
	    base + size < base || base + size > VMARENA_PTFRAG_LIMIT)
		return ERR_PTR(-EINVAL);
	as = kzalloc(sizeof(*as), GFP_KERNEL_ACCOUNT);
	if (!as)
		return ERR_PTR(-ENOMEM);
	strscpy(as->name, name, sizeof(as->name));
	as->base = base;
	as->size = size;
	as->owner = current_euid();
	init_rwsem(&as->lock);
	mutex_init(&as->superlock_lock);
	INIT_LIST_HEAD(&as->superlockers);
	as->areas = RB_ROOT;
	vmarena_ptfrag_init(&as->frag);
	refcount_set(&as->holds, 2);	/* the table's and the caller's */
	refcount_set(&as->refs, 2);

	ret = xa_alloc_cyclic(&vmarena_aspaces, &as->id, as, xa_limit_31b,
			      &vmarena_aspace_next_id, GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		kfree(as);
		return ERR_PTR(ret == -EBUSY ? -ENOSPC : ret);
	}
	vmarena_generation_bump();
	return as;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_create);

/**
 * vmarena_aspace_hold() - keep @as usable
 * @as: held already by the caller (or found under RCU, see get_by_id)
 *
 * Context: any; @as is k.
 */
void vmarena_aspace_hold(struct vmarena_aspace *as)
{
	refcount_inc(&as->holds);
	refcount_inc(&as->refs);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_hold);

/**
 * vmarena_aspace_ref() - keep @as in memory (not necessarily usable)
 * @as: referenced already by the caller
 *
 * Context: any; @as is k.
 */
void vmarena_aspace_ref(struct vmarena_aspace *as)
{
	refcount_inc(&as->refs);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_ref);

/**
 * vmarena_aspace_unref() - drop a reference; the last frees the memory
 * @as: referenced by the caller
 *
 * Context: any.
 */
void vmarena_aspace_unref(struct vmarena_aspace *as)
{
	if (refcount_dec_and_test(&as->refs))
		kfree_rcu(as, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_unref);

/**
 * vmarena_aspace_drop() - drop a hold; the last one frees the fragments
 * @as: held by the caller
 *
 * The last hold can only go after vmarena_aspace_delete(), which removed
 * every area.
 *
 * Context: no vmarena lock held; the last hold takes f.  May sleep.
 */
void vmarena_aspace_drop(struct vmarena_aspace *as)
{
	might_sleep();
	if (refcount_dec_and_test(&as->holds)) {
		WARN_ON_ONCE(!as->deleting || as->nr_areas);
		vmarena_ptfrag_destroy(&as->frag);
	}
	vmarena_aspace_unref(as);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_drop);

/**
 * vmarena_aspace_get_by_id() - the aspace with @id, held, or NULL
 * @id: an aspace id
 *
 * Never returns an aspace that is being deleted.
 *
 * Context: takes g (RCU).  May sleep.
 */
struct vmarena_aspace *vmarena_aspace_get_by_id(u32 id)
{
	struct vmarena_aspace *as;

	might_sleep();
	rcu_read_lock();
	as = xa_load(&vmarena_aspaces, id);
	if (as && !refcount_inc_not_zero(&as->holds))
		as = NULL;
	if (as)
		refcount_inc(&as->refs);
	rcu_read_unlock();
	if (as && READ_ONCE(as->deleting)) {
		vmarena_aspace_drop(as);
		as = NULL;
	}
	return as;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_get_by_id);

/**
 * vmarena_aspace_get_next() - the first aspace with an id >= *@id, held
 * @id: where to start; set to the id of the aspace returned
 *
 * For walks over every aspace in id order that drop every lock between
 * steps (dumps): the next step starts at the returned id + 1.  Skips
 * aspaces being deleted.  Returns NULL after the last.
 *
 * Context: takes g (RCU).  May sleep.
 */
struct vmarena_aspace *vmarena_aspace_get_next(u32 *id)
{
	unsigned long index = *id;
	struct vmarena_aspace *as;

	might_sleep();
	for (;;) {
		rcu_read_lock();
		as = xa_find(&vmarena_aspaces, &index, U32_MAX, XA_PRESENT);
		if (as && !refcount_inc_not_zero(&as->holds)) {
			rcu_read_unlock();
			index++;
			continue;
		}
		if (as)
			refcount_inc(&as->refs);
		rcu_read_unlock();
		if (!as)
			return NULL;
		if (!READ_ONCE(as->deleting)) {
			*id = index;
			return as;
		}
		vmarena_aspace_drop(as);
		index++;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_get_next);

/**
 * vmarena_aspace_delete() - delete @as: mark it, tear its areas down
 * @as: held by the caller
 *
 * Faults that sleep meanwhile see ->deleting when they come back and fail.
 * The structure lives on until the last hold and reference are dropped.
 * Returns 0, or -ESRCH if @as is already being deleted.
 *
 * Context: no vmarena lock held; takes a, then what deleting each area
 * takes (r, a, c, l, f, q, o), and g.  Sleeps.
 */
int vmarena_aspace_delete(struct vmarena_aspace *as)
{
	might_sleep();
	down_write(&as->lock);
	if (as->deleting) {
		up_write(&as->lock);
		return -ESRCH;
	}
	WRITE_ONCE(as->deleting, true);
	as->change_count++;
	vmarena_generation_bump();
	up_write(&as->lock);

	vmarena_area_delete_all(as);
	vmarena_lockrec_aspace_gone(as);
	xa_erase(&vmarena_aspaces, as->id);
	vmarena_aspace_drop(as);	/* the table's hold */
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_delete);

/**
 * vmarena_aspace_count() - aspaces in the id table
 *
 * Context: any; takes g (RCU).
 */
unsigned long vmarena_aspace_count(void)
{
	struct vmarena_aspace *as;
	unsigned long index, n = 0;

	xa_for_each(&vmarena_aspaces, index, as)
		n++;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_count);

/**
 * vmarena_aspace_set_window_ops() - the layer that maps @as into processes
 * @as: new, with no window yet
 * @ops: its operations
 * @priv: passed to them
 *
 * An aspace without window operations (KUnit's) has only its fragments.
 *
 * Context: @as not yet shared (its window ops are -).
 */
void vmarena_aspace_set_window_ops(struct vmarena_aspace *as,
				   const struct vmarena_window_ops *ops, void *priv)
{
	as->wpriv = priv;
	as->wops = ops;
}

/**
 * vmarena_aspace_unmap() - unmap [@va, @va + @len) of @as everywhere
 * @as: held
 * @va: page aligned
 * @len: page aligned
 * @discard_private: also drop the private (MAP_PRIVATE) copies user windows
 *	made of these pages, as truncation does: for memory that is gone
 *
 * The fragments are the record; user windows mapping the range lose their
 * PTEs too, and fault again.
 *
 * Context: any vmarena lock but f may be held; takes f, then i_mmap_rwsem
 * and PTL.  May sleep.
 */
void vmarena_aspace_unmap(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			  bool discard_private)
{
	vmarena_ptfrag_unmap(&as->frag, va, len);
	if (as->wops)
		as->wops->unmap(as->wpriv, va, len, discard_private);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_unmap);

/**
 * vmarena_aspace_protect() - reduce [@va, @va + @len) of @as to @prot
 * @as: held
 * @va: page aligned
 * @len: page aligned
 * @prot: VMARENA_PROT_*, with read and without write
 * @keep: the range must not fault (wired, or @as super-locked): user
 *	windows keep their PTEs, write-protected in place; otherwise they
 *	lose them and fault again, to get the new protection from the
 *	fragments
 *
 * Context: any vmarena lock but f may be held; takes f, then i_mmap_rwsem
 * and PTL.  May sleep.
 */
void vmarena_aspace_protect(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			    u32 prot, bool keep)
{
	vmarena_ptfrag_protect(&as->frag, va, len, prot);
	if (as->wops)
		as->wops->protect(as->wpriv, va, len, keep);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_protect);

/**
 * vmarena_aspace_populate() - map what the fragments map in [@va, @va +
 *	@len) of @as in every user window, with its final protection
 * @as: held
 * @va: page aligned
 * @len: page aligned
 *
 * For ranges that must not fault: wired areas after they were made
 * resident, a super-locked aspace, a protection change of either.
 *
 * Context: no vmarena lock held (the windows' mmap_lock comes before a);
 * takes w, then each window's mmap_lock, a (read), c, f and PTL.  Sleeps.
 */
void vmarena_aspace_populate(struct vmarena_aspace *as, unsigned long va, unsigned long len)
{
	might_sleep();
	lockdep_assert_not_held(&as->lock);
	if (as->wops && len)
		as->wops->populate(as->wpriv, va, len);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_populate);

/**
 * vmarena_aspace_test_and_clear_young() - was the page at @va used lately?
 * @as: held
 * @va: page aligned
 * @pfn: the page mapped there
 *
 * Reads and clears the accessed bit of @va's fragment entry (set when a
 * fault maps the page) and of every user window PTE that maps @pfn there
 * (set by the MMU on every load and store).  For the page daemon's aging.
 *
 * Context: c and l may be held; takes f, w, then PTL, and only trylocks
 * mmap_lock.  May sleep.
 */
bool vmarena_aspace_test_and_clear_young(struct vmarena_aspace *as, unsigned long va,
					 unsigned long pfn)
{
	bool young;

	might_sleep();
	young = vmarena_ptfrag_test_and_clear_young(&as->frag, va);
	if (as->wops && as->wops->test_and_clear_young(as->wpriv, va, pfn))
		young = true;
	return young;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_test_and_clear_young);

int vmarena_aspace_init(void)
{
	return 0;
}

/*
 * Delete whatever aspaces are left (their owners are gone with the module).
 * Context: no vmarena lock held, at unload.  Sleeps.
 */
void vmarena_aspace_uninit(void)
{
	struct vmarena_aspace *as;
	unsigned long index;

	xa_for_each(&vmarena_aspaces, index, as) {
		vmarena_aspace_hold(as);
		vmarena_aspace_delete(as);
		vmarena_aspace_drop(as);
	}
	xa_destroy(&vmarena_aspaces);
}
