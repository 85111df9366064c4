// SPDX-License-Identifier: GPL-2.0
/*
 * Aspaces: the id table, the hold/drop life cycle (DragonFly, seed 002),
 * deletion.  Lock keys: locking.h.
 */
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

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
	mutex_init(&as->windows_lock);
	mutex_init(&as->superlock_lock);
	INIT_LIST_HEAD(&as->windows);
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
 */
void vmarena_aspace_ref(struct vmarena_aspace *as)
{
	refcount_inc(&as->refs);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_ref);

/**
 * vmarena_aspace_unref() - drop a reference; the last frees the memory
 * @as: referenced by the caller
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
 * Context: may sleep; no vmarena lock held.  The last hold can only go
 * after vmarena_aspace_delete(), which removed every area.
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
	xa_erase(&vmarena_aspaces, as->id);
	vmarena_aspace_drop(as);	/* the table's hold */
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_delete);

/**
 * vmarena_aspace_count() - aspaces in the id table
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
 * vmarena_aspace_unmap() - unmap [@va, @va + @len) of @as everywhere
 * @as: held
 * @va: page aligned
 * @len: page aligned
 * @discard_private: also drop the private (MAP_PRIVATE) copies user windows
 *	made of these pages, as truncation does: for memory that is gone
 *
 * The fragments are the record; user windows mapping the range lose their
 * PTEs too, and fault again.  Context: may sleep; any vmarena lock but f
 * may be held.
 */
void vmarena_aspace_unmap(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			  bool discard_private)
{
	vmarena_ptfrag_unmap(&as->frag, va, len);
	if (as->mapping)
		unmap_mapping_range(as->mapping, va, len, discard_private);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_unmap);

/**
 * vmarena_aspace_protect() - reduce [@va, @va + @len) of @as to @prot
 * @as: held
 * @va: page aligned
 * @len: page aligned
 * @prot: VMARENA_PROT_*, with read
 *
 * User windows drop their PTEs for the range and fault again, so they get
 * the new protection from the fragments.
 */
void vmarena_aspace_protect(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			    u32 prot)
{
	vmarena_ptfrag_protect(&as->frag, va, len, prot);
	if (as->mapping)
		unmap_mapping_range(as->mapping, va, len, 0);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_protect);

/**
 * vmarena_aspace_window_add() - note that @vma is a user window of @as
 * @as: held by the window
 * @vma: being mapped, or the copy ->open() is called for
 *
 * Without memory the window is simply not noted: its accessed bits are not
 * read, and a super-lock leaves it to fault.  Context: the window's
 * mmap_lock held for writing; takes w.
 */
void vmarena_aspace_window_add(struct vmarena_aspace *as, struct vm_area_struct *vma)
{
	struct vmarena_aspace_window *w;

	w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return;
	w->vma = vma;
	mutex_lock(&as->windows_lock);
	list_add_tail(&w->link, &as->windows);
	mutex_unlock(&as->windows_lock);
}

/**
 * vmarena_aspace_window_del() - @vma no longer maps @as
 * @as: held by the window
 * @vma: being closed
 *
 * Context: the window's mmap_lock held; takes w.
 */
void vmarena_aspace_window_del(struct vmarena_aspace *as, struct vm_area_struct *vma)
{
	struct vmarena_aspace_window *w, *found = NULL;

	mutex_lock(&as->windows_lock);
	list_for_each_entry(w, &as->windows, link) {
		if (w->vma == vma) {
			found = w;
			list_del(&w->link);
			break;
		}
	}
	mutex_unlock(&as->windows_lock);
	kfree(found);
}

/**
 * vmarena_aspace_window_mms() - the processes that have windows of @as
 * @as: held
 * @mms: set to an array of the mms, each with a user reference (mmget),
 *	to be given back with mmput() and the array freed with kfree()
 *
 * Processes that are exiting are left out.  Returns how many there are (0
 * also when out of memory).  Context: process context; takes w.
 */
unsigned int vmarena_aspace_window_mms(struct vmarena_aspace *as, struct mm_struct ***mms)
{
	struct vmarena_aspace_window *w;
	struct mm_struct **list;
	unsigned int n = 0, max = 0, i;

	might_sleep();
	mutex_lock(&as->windows_lock);
	list_for_each_entry(w, &as->windows, link)
		max++;
	list = kcalloc(max(max, 1U), sizeof(*list), GFP_KERNEL);
	list_for_each_entry(w, &as->windows, link) {
		struct mm_struct *mm = w->vma->vm_mm;

		if (!list)
			break;
		for (i = 0; i < n && list[i] != mm; i++)
			;
		if (i == n && mmget_not_zero(mm))
			list[n++] = mm;
	}
	mutex_unlock(&as->windows_lock);
	*mms = list;
	return n;
}

struct vmarena_young {
	unsigned long pfn;
	bool young;
};

/* Test and clear one window PTE's accessed bit if it maps the page.  ptl held. */
static int vmarena_aspace_young_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct vmarena_young *y = data;
	pte_t pte = ptep_get(ptep);

	/*
	 * What x86's ptep_test_and_clear_young() does (it is not exported):
	 * an atomic bit operation, as the MMU may set the dirty bit meanwhile.
	 * No TLB flush (none is exported to modules, and x86's
	 * ptep_clear_flush_young() does not flush either): while a CPU keeps
	 * the translation cached, accesses through it do not set the bit
	 * again, so a busy page can look idle until its TLB entry goes.
	 */
	if (pte_present(pte) && pte_pfn(pte) == y->pfn && pte_young(pte) &&
	    test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)&ptep->pte))
		y->young = true;
	return 0;
}

/*
 * Test and clear the accessed bits of the user windows' PTEs that map
 * @pfn at aspace address @va.  A process whose mmap_lock is contended is
 * skipped (its accesses are seen on a later scan).  Context: takes w, and
 * tries mmap_lock of each window's process: never waits for it.
 */
static bool vmarena_aspace_windows_young(struct vmarena_aspace *as, unsigned long va,
					 unsigned long pfn)
{
	struct vmarena_young y = { .pfn = pfn };
	pgoff_t pgoff = va >> PAGE_SHIFT;
	struct vmarena_aspace_window *w;

	mutex_lock(&as->windows_lock);
	list_for_each_entry(w, &as->windows, link) {
		struct vm_area_struct *vma = w->vma;
		struct mm_struct *mm = vma->vm_mm;

		if (!mmap_read_trylock(mm))
			continue;
		/*
		 * Still in the process's tree: a window that munmap() has
		 * detached may have its page tables freed under a read lock
		 * (6.1 downgrades), though ->close() has not run yet.
		 */
		if (find_vma(mm, vma->vm_start) == vma && pgoff >= vma->vm_pgoff &&
		    pgoff - vma->vm_pgoff < vma_pages(vma))
			apply_to_existing_page_range(mm, vma->vm_start +
						     ((pgoff - vma->vm_pgoff) << PAGE_SHIFT),
						     PAGE_SIZE, vmarena_aspace_young_pte, &y);
		mmap_read_unlock(mm);
	}
	mutex_unlock(&as->windows_lock);
	return y.young;
}

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
 * Context: may sleep; c and l may be held (w comes after them).
 */
bool vmarena_aspace_test_and_clear_young(struct vmarena_aspace *as, unsigned long va,
					 unsigned long pfn)
{
	bool young;

	might_sleep();
	young = vmarena_ptfrag_test_and_clear_young(&as->frag, va);
	if (!list_empty_careful(&as->windows) && vmarena_aspace_windows_young(as, va, pfn))
		young = true;
	return young;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_test_and_clear_young);

/**
 * vmarena_aspace_dump() - describe @as and its areas
 * @as: held
 * @m: where to print, or NULL for the kernel log
 */
void vmarena_aspace_dump(struct vmarena_aspace *as, struct seq_file *m)
{
	struct rb_node *node;

	down_read(&as->lock);
	vmarena_dump_printf(m, "aspace %u \"%s\": %#lx+%#lx, %u areas, change %lu%s\n",
			    as->id, as->name, as->base, as->size, as->nr_areas,
			    as->change_count, as->deleting ? ", deleting" : "");
	for (node = rb_first(&as->areas); node; node = rb_next(node))
		vmarena_area_dump(rb_entry(node, struct vmarena_area, node), m);
	up_read(&as->lock);
	vmarena_ptfrag_dump(&as->frag, m);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_dump);

int vmarena_aspace_init(void)
{
	return 0;
}

/* Delete whatever aspaces are left (their owners are gone with the module). */
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
