// SPDX-License-Identifier: GPL-2.0
/*
 * Memlock charging of pinned memory (memlock.h).
 *
 * account_locked_vm() takes the mm's mmap_lock for writing.  An area can
 * go while its creator's mmap_lock is held by the very task that frees it
 * (the last window of an aspace unmapped by munmap() or exit): giving the
 * charge back then would deadlock, so it is handed to a worker instead.
 */
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "memlock.h"

static struct workqueue_struct *vmarena_memlock_wq;

struct vmarena_uncharge {
	struct work_struct work;
	struct mm_struct *mm;
	unsigned long pages;
};

static void vmarena_uncharge_work(struct work_struct *work)
{
	struct vmarena_uncharge *u = container_of(work, struct vmarena_uncharge, work);

	account_locked_vm(u->mm, u->pages, false);
	mmdrop(u->mm);
	kfree(u);
}

/**
 * vmarena_memlock_charge() - charge @pages to @mm's RLIMIT_MEMLOCK into @c
 * @c: empty; filled on success
 * @mm: the charged process's mm, or NULL (KUnit): nothing is charged
 * @pages: how many
 *
 * Returns 0 or -ENOMEM (over the limit without CAP_IPC_LOCK).
 * Context: may sleep; no mmap_lock and no vmarena lock held.
 */
int vmarena_memlock_charge(struct vmarena_charge *c, struct mm_struct *mm, unsigned long pages)
{
	int ret;

	might_sleep();
	if (!mm || !pages)
		return 0;
	ret = account_locked_vm(mm, pages, true);
	if (ret)
		return ret;
	mmgrab(mm);
	c->mm = mm;
	c->pages = pages;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_memlock_charge);

/**
 * vmarena_memlock_uncharge() - give the charge in @c back, and empty @c
 * @c: a charge, or empty
 *
 * Done at once unless the current task holds (or may hold) the mm's
 * mmap_lock, in which case a worker does it.
 */
void vmarena_memlock_uncharge(struct vmarena_charge *c)
{
	struct vmarena_uncharge *u;

	if (!c->mm)
		return;
	if (current->mm != c->mm || !rwsem_is_locked(&c->mm->mmap_lock)) {
		account_locked_vm(c->mm, c->pages, false);
		mmdrop(c->mm);
	} else {
		u = kmalloc(sizeof(*u), GFP_KERNEL | __GFP_NOFAIL);
		INIT_WORK(&u->work, vmarena_uncharge_work);
		u->mm = c->mm;
		u->pages = c->pages;
		queue_work(vmarena_memlock_wq, &u->work);
	}
	c->mm = NULL;
	c->pages = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_memlock_uncharge);

/**
 * vmarena_memlock_merge() - add the charge in @src to @dst
 * @dst: an area's charge, or empty
 * @src: a new charge, or empty; left with what is to be given back
 *
 * The same process's charges add up and @src is left empty; a charge of
 * another process replaces @dst, and @src is left with the old one (the
 * new charge must then cover the whole area).  No locking of its own:
 * the caller serialises changes to @dst; does not sleep.
 */
void vmarena_memlock_merge(struct vmarena_charge *dst, struct vmarena_charge *src)
{
	if (!src->mm)
		return;
	if (dst->mm != src->mm) {
		swap(*dst, *src);
		return;
	}
	dst->pages += src->pages;
	mmdrop(src->mm);
	src->mm = NULL;
	src->pages = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_memlock_merge);

/**
 * vmarena_memlock_split() - move @pages of the charge in @c to @out
 * @c: a charge, or empty
 * @out: empty; filled with at most @pages of @c's charge, to be given back
 * @pages: how many
 *
 * For a shrink.  No locking of its own (as vmarena_memlock_merge()).
 */
void vmarena_memlock_split(struct vmarena_charge *c, struct vmarena_charge *out,
			   unsigned long pages)
{
	if (!c->mm || !pages)
		return;
	if (pages >= c->pages) {
		swap(*c, *out);
		return;
	}
	mmgrab(c->mm);
	out->mm = c->mm;
	out->pages = pages;
	c->pages -= pages;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_memlock_split);

int vmarena_memlock_init(void)
{
	vmarena_memlock_wq = alloc_workqueue("vmarena_uncharge", WQ_UNBOUND, 0);
	return vmarena_memlock_wq ? 0 : -ENOMEM;
}

void vmarena_memlock_uninit(void)
{
	destroy_workqueue(vmarena_memlock_wq);
}
