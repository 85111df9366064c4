// SPDX-License-Identifier: GPL-2.0
/*
 * The anonymous store: pages that start as zeros.  It commits its size
 * against the arena's limit (NewOS max_commit) unless it overcommits.
 * Temporary (copy-on-write) caches use it too.
 *
 * Paging.  page_out() writes a page to a slot of the arena's swap file
 * (swap.c) and records the slot at the page's offset; the cache then frees
 * the page, and the next fault finds the offset through has_page() and
 * brings it back with read().  An offset has a resident page or a slot,
 * never both, except while its page is busy being paged out or in.
 *
 * read() frees the slot once the page is back: from then on the page in
 * memory is the only copy that counts, and a slot kept would go stale the
 * moment the page is written.  Paging the page out again takes a new slot.
 * So a resident anonymous page has no copy anywhere else, whatever its
 * state says (active after a read): paging it out always writes it.
 * Shrinking the cache (truncate()) frees the slots past the new end, a
 * merge moves the source's slots up, and destroy() frees every slot.
 *
 * Locking.  ->slots is c, the owning cache's lock, with one exception:
 * read() and page_out() run without c (they sleep on the swap file) while
 * the cache holds a busy page at their offset.  That page keeps every
 * other writer of the offset away except a shrink, whose truncate() may
 * run meanwhile.  So read() first swaps the slot's entry for a reserved
 * entry (the xa_reserve() kind, which xa_load() and xa_for_each() do not
 * see): the slot is then read()'s own, and truncate(), which takes an
 * entry only if it is still the one it saw, leaves it alone.  read() ends
 * by releasing the reservation and freeing the slot, or, if the read
 * failed, by putting the slot back for the next fault to try again.
 * page_out() records its slot after writing it, and the caller, once it
 * holds c again, truncates again if the cache shrank meanwhile.  Each of
 * these steps is one XArray operation, atomic under the XArray's own lock.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

struct vmarena_store_anon {
	struct vmarena_store store;
	bool overcommit;			/* - */
	struct xarray slots;			/* c, see above: offset -> swap slot value */
};

static struct vmarena_store_anon *to_anon(struct vmarena_store *store)
{
	return container_of(store, struct vmarena_store_anon, store);
}

/*
 * Promise @size bytes: charge or give back the difference.
 * Context: c of the store's cache held; takes m.
 */
static int vmarena_store_anon_commit(struct vmarena_store *store, u64 size)
{
	int ret;

	if (to_anon(store)->overcommit)
		return 0;
	if (size > store->committed) {
		ret = vmarena_commit_charge(size - store->committed);
		if (ret)
			return ret;
	} else {
		vmarena_commit_uncharge(store->committed - size);
	}
	store->committed = size;
	return 0;
}

/* Was page @offset paged out?  Context: c of the store's cache held. */
static bool vmarena_store_anon_has_page(struct vmarena_store *store, pgoff_t offset)
{
	return xa_is_value(xa_load(&to_anon(store)->slots, offset));
}

/*
 * Bring page @offset back from its slot into @page and free the slot.
 * The cache's busy page at @offset is @page.
 * Context: no vmarena lock held; takes s.  Sleeps.
 */
static int vmarena_store_anon_read(struct vmarena_store *store, pgoff_t offset,
				   struct page *page)
{
	struct xarray *slots = &to_anon(store)->slots;
	void *entry, *old;
	int ret;

	might_sleep();
	entry = xa_load(slots, offset);
	old = NULL;
	if (xa_is_value(entry))
		old = xa_cmpxchg(slots, offset, entry, XA_ZERO_ENTRY, GFP_KERNEL);
	if (xa_is_err(old))
		return xa_err(old);
	if (!xa_is_value(entry) || old != entry) {
		/* A shrink took the slot since has_page(): that page is gone. */
		clear_highpage(page);
		return 0;
	}
	ret = vmarena_swap_read(xa_to_value(entry), page);
	if (ret) {
		/* Keep the page for the next fault; in place, so it cannot fail. */
		xa_cmpxchg(slots, offset, XA_ZERO_ENTRY, entry, GFP_KERNEL);
		return ret;
	}
	xa_release(slots, offset);
	vmarena_swap_free(xa_to_value(entry));
	return 0;
}

/*
 * Write @page, page @offset, to a new swap slot and record the slot.
 * @page is the cache's busy page at @offset.  Returns 0, -ENOSPC when swap
 * is full (or there is none), -ENOMEM, or the swap file's error.
 * Context: no vmarena lock held but d; takes s.  Sleeps.
 */
static int vmarena_store_anon_page_out(struct vmarena_store *store, pgoff_t offset,
				       struct page *page)
{
	struct xarray *slots = &to_anon(store)->slots;
	void *old;
	u32 slot;
	int ret;

	might_sleep();
	ret = vmarena_swap_alloc(&slot);
	if (ret)
		return ret;
	ret = vmarena_swap_write(slot, page);
	if (ret)
		goto err_free;
	old = xa_store(slots, offset, xa_mk_value(slot), GFP_KERNEL_ACCOUNT);
	if (xa_is_err(old)) {
		ret = xa_err(old);
		goto err_free;
	}
	/* A resident page has no slot (see above). */
	if (WARN_ON_ONCE(xa_is_value(old)))
		vmarena_swap_free(xa_to_value(old));
	return 0;

err_free:
	vmarena_swap_free(slot);
	return ret;
}

/*
 * The cache shrank to @pages pages: free the slots past the end.
 * Context: c of the store's cache held; takes s.  May sleep.
 */
static void vmarena_store_anon_truncate(struct vmarena_store *store, pgoff_t pages)
{
	struct xarray *slots = &to_anon(store)->slots;
	unsigned long index;
	void *entry;

	might_sleep();
	xa_for_each_start(slots, index, entry, pages) {
		/* Only if it is still that slot: never read()'s reservation. */
		if (xa_cmpxchg(slots, index, entry, NULL, 0) == entry)
			vmarena_swap_free(xa_to_value(entry));
	}
}

/*
 * Merge: take over @source's slots below @end where this store has no
 * slot and @resident no page; @source frees the rest when it is destroyed.
 * Context: c of both stores' caches held.  May sleep.
 */
static void vmarena_store_anon_merge(struct vmarena_store *store, struct vmarena_store *source,
				     struct xarray *resident, pgoff_t end)
{
	struct xarray *slots = &to_anon(store)->slots;
	struct xarray *from;
	unsigned long index;
	void *entry;
	int ret;

	might_sleep();
	if (WARN_ON_ONCE(source->ops != store->ops))
		return;
	from = &to_anon(source)->slots;
	xa_for_each(from, index, entry) {
		if (index >= end)
			break;
		if (xa_load(resident, index))
			continue;
		ret = xa_insert(slots, index, entry, GFP_KERNEL_ACCOUNT);
		if (ret == -EBUSY)	/* this store's own page wins */
			continue;
		if (WARN_ON_ONCE(ret))
			continue;
		xa_erase(from, index);
	}
}

/*
 * Free the store and every slot it holds.
 * Context: its cache's c not held (the cache is gone); takes s.  May sleep.
 */
static void vmarena_store_anon_destroy(struct vmarena_store *store)
{
	struct vmarena_store_anon *anon = to_anon(store);
	unsigned long index;
	void *entry;

	might_sleep();
	WARN_ON_ONCE(store->committed && !anon->overcommit);
	xa_for_each(&anon->slots, index, entry) {
		if (!WARN_ON_ONCE(!xa_is_value(entry)))
			vmarena_swap_free(xa_to_value(entry));
		cond_resched();
	}
	xa_destroy(&anon->slots);
	kfree(anon);
}

/* Describe the store.  Context: c of the store's cache held (->slots is c). */
static void vmarena_store_anon_dump(struct vmarena_store *store, struct seq_file *m)
{
	unsigned long index, swapped = 0;
	void *entry;

	xa_for_each(&to_anon(store)->slots, index, entry)
		swapped++;
	vmarena_dump_printf(m, "anon store: %llu bytes committed%s, %lu pages paged out\n",
			    store->committed, to_anon(store)->overcommit ? " (overcommit)" : "",
			    swapped);
}

static const struct vmarena_store_ops vmarena_store_anon_ops = {
	.type = VMARENA_STORE_ANON,
	.name = "anon",
	.commit = vmarena_store_anon_commit,
	.has_page = vmarena_store_anon_has_page,
	.read = vmarena_store_anon_read,
	.page_out = vmarena_store_anon_page_out,
	.truncate = vmarena_store_anon_truncate,
	.merge = vmarena_store_anon_merge,
	.destroy = vmarena_store_anon_destroy,
	.dump = vmarena_store_anon_dump,
};

/**
 * vmarena_store_anon_create() - a store of zero-filled pages
 * @overcommit: promise nothing: allocation may fail at fault time instead
 *
 * Context: no lock needed.  May sleep.
 */
struct vmarena_store *vmarena_store_anon_create(bool overcommit)
{
	struct vmarena_store_anon *anon = kzalloc(sizeof(*anon), GFP_KERNEL_ACCOUNT);

	if (!anon)
		return NULL;
	anon->store.ops = &vmarena_store_anon_ops;
	anon->overcommit = overcommit;
	xa_init(&anon->slots);
	return &anon->store;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_anon_create);
