// SPDX-License-Identifier: GPL-2.0
/*
 * The swap space: one shmem file for the whole arena, created at init, and
 * a bitmap of its page-sized slots.  See swap.h; lock keys: locking.h.
 *
 * The file is made with VM_NORESERVE, so it promises nothing up front: a
 * slot takes memory only once it is written, and gives it back when it is
 * freed (its range is punched out of the file), so the file holds exactly
 * the pages that are paged out.  Those pages are tmpfs pages like any
 * other: charged to the memory cgroup of the task that wrote them, and
 * swapped out by the kernel when it has swap of its own.
 *
 * Slots are handed out lowest first, so the file stays dense.  Every slot
 * below the hint is in use, so an allocation scans from there.
 *
 * Lock contracts.  s (vmarena_swap_lock) guards the map, its counts, the
 * hint and the limit.  It is a leaf: nothing is taken under it and nothing
 * sleeps under it.  It may be taken with any other vmarena lock held but q
 * and m (the callers hold at most c: a store frees the slots of its cache's
 * pages under the cache lock).  The file I/O (read, write, punching a freed
 * slot) sleeps and takes the shmem inode's own locks; it runs with no
 * vmarena spinlock held, and read and write with no vmarena lock at all.
 */
#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <kunit/visibility.h>

#include "pageio.h"
#include "swap.h"

/*
 * 64 MiB of swap unless told otherwise: a fixed size rather than one scaled
 * to the pool cap, so that loading the module never sets aside a bitmap for
 * more swap than anyone asked for; the file itself costs nothing until it
 * is written.
 */
static unsigned int swap_pages = SZ_64M >> PAGE_SHIFT;
module_param(swap_pages, uint, 0444);
MODULE_PARM_DESC(swap_pages,
		 "Pages of swap space (a shmem file) for paging out anonymous memory (0: no swap)");

static DEFINE_SPINLOCK(vmarena_swap_lock);

static struct {
	struct file *file;	/* -: the swap file; NULL without swap */
	unsigned long *map;	/* s: one bit per slot, set while in use */
	u32 capacity;		/* -: slots in the file and the map */
	u32 limit;		/* s: slots that may be handed out, <= capacity */
	u32 used;		/* s: bits set in the map */
	u32 hint;		/* s: every slot below it is in use */
} vmarena_swap;

/* Is @slot handed out?  Context: s not held; takes it. */
static bool vmarena_swap_slot_in_use(u32 slot)
{
	bool in_use;

	if (slot >= vmarena_swap.capacity)
		return false;
	spin_lock(&vmarena_swap_lock);
	in_use = test_bit(slot, vmarena_swap.map);
	spin_unlock(&vmarena_swap_lock);
	return in_use;
}

/**
 * vmarena_swap_alloc() - hand out a free slot, the lowest there is
 * @slot: set to the slot on success
 *
 * Context: takes s; the caller may hold any vmarena lock but q, m and s.
 * Does not sleep.
 *
 * Return: 0, or -ENOSPC when every slot is in use (always, without swap).
 */
int vmarena_swap_alloc(u32 *slot)
{
	unsigned long bit;
	int ret = -ENOSPC;

	spin_lock(&vmarena_swap_lock);
	bit = find_next_zero_bit(vmarena_swap.map, vmarena_swap.limit, vmarena_swap.hint);
	if (bit < vmarena_swap.limit) {
		__set_bit(bit, vmarena_swap.map);
		vmarena_swap.used++;
		vmarena_swap.hint = bit + 1;
		*slot = bit;
		ret = 0;
	}
	spin_unlock(&vmarena_swap_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_alloc);

/**
 * vmarena_swap_free() - give @slot back
 * @slot: handed out by vmarena_swap_alloc(); freeing any other is a bug,
 *	warned about once and otherwise ignored
 *
 * The slot's range is punched out of the file first, while the slot is
 * still the caller's, so that its memory goes back and its next owner
 * never finds the old contents.
 *
 * Context: c may be held, no spinlock; takes s.  May sleep.
 */
void vmarena_swap_free(u32 slot)
{
	loff_t pos = (loff_t)slot << PAGE_SHIFT;

	might_sleep();
	if (WARN_ON_ONCE(!vmarena_swap_slot_in_use(slot)))
		return;
	shmem_truncate_range(file_inode(vmarena_swap.file), pos, pos + PAGE_SIZE - 1);

	spin_lock(&vmarena_swap_lock);
	__clear_bit(slot, vmarena_swap.map);
	vmarena_swap.used--;
	if (slot < vmarena_swap.hint)
		vmarena_swap.hint = slot;
	spin_unlock(&vmarena_swap_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_free);

/**
 * vmarena_swap_write() - write @page into @slot
 * @slot: in use, the caller's
 * @page: the contents; mapped here with kmap_local_page()
 *
 * The write is a plain file write, so the calling task's RLIMIT_FSIZE
 * applies: paging runs in tasks without one (the page daemon, tests).
 *
 * Context: no vmarena lock held but d (the shmem write takes the file's
 * inode lock and may reclaim); takes s.  May sleep.
 *
 * Return: 0, -EINVAL for a slot not in use, or the file's error (-EIO for
 * a short write).
 */
int vmarena_swap_write(u32 slot, struct page *page)
{
	ssize_t n;

	might_sleep();
	if (!vmarena_swap_slot_in_use(slot))
		return -EINVAL;
	n = vmarena_page_io(vmarena_swap.file, (loff_t)slot << PAGE_SHIFT, page, PAGE_SIZE, true);
	if (n < 0)
		return n;
	return n == PAGE_SIZE ? 0 : -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_write);

/**
 * vmarena_swap_read() - read @slot into @page
 * @slot: in use, the caller's; one never written reads as zeros
 * @page: filled; mapped here with kmap_local_page()
 *
 * Context: no vmarena lock held; takes s.  May sleep.
 *
 * Return: 0, -EINVAL for a slot not in use, or the file's error (-EIO for
 * a short read).
 */
int vmarena_swap_read(u32 slot, struct page *page)
{
	ssize_t n;

	might_sleep();
	if (!vmarena_swap_slot_in_use(slot))
		return -EINVAL;
	n = vmarena_page_io(vmarena_swap.file, (loff_t)slot << PAGE_SHIFT, page, PAGE_SIZE, false);
	if (n < 0)
		return n;
	return n == PAGE_SIZE ? 0 : -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_read);

/**
 * vmarena_swap_stats() - how many slots are in use, and how many there are
 * @used: slots in use
 * @total: slots that may be handed out (0 without swap)
 *
 * Context: takes s; the caller may hold any vmarena lock but q, m and s.
 */
void vmarena_swap_stats(u64 *used, u64 *total)
{
	spin_lock(&vmarena_swap_lock);
	*used = vmarena_swap.used;
	*total = vmarena_swap.limit;
	spin_unlock(&vmarena_swap_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_stats);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * vmarena_swap_set_limit() - hand out at most @slots slots (KUnit only)
 * @slots: the new limit, clamped to the file's size
 *
 * Slots in use at or past the new limit stay in use until freed.  Tests
 * restore the old limit when they end.
 *
 * Context: takes s.  Return: the old limit.
 */
VISIBLE_IF_KUNIT u32 vmarena_swap_set_limit(u32 slots)
{
	u32 old;

	spin_lock(&vmarena_swap_lock);
	old = vmarena_swap.limit;
	vmarena_swap.limit = min(slots, vmarena_swap.capacity);
	spin_unlock(&vmarena_swap_lock);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_swap_set_limit);
#endif

/**
 * vmarena_swap_init() - create the swap file and its slot map
 *
 * Context: at load, before any cache exists.  Sleeps.
 *
 * Return: 0 (also with swap_pages=0: no swap), -ENOMEM, or the error of
 * shmem_file_setup().
 */
int vmarena_swap_init(void)
{
	struct file *file;
	unsigned long *map;

	vmarena_swap.used = 0;
	vmarena_swap.hint = 0;
	if (!swap_pages) {
		vmarena_swap.capacity = 0;
		vmarena_swap.limit = 0;
		return 0;
	}
	map = kvcalloc(BITS_TO_LONGS((unsigned long)swap_pages), sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	file = shmem_file_setup("vmarena-swap", (loff_t)swap_pages << PAGE_SHIFT, VM_NORESERVE);
	if (IS_ERR(file)) {
		kvfree(map);
		return PTR_ERR(file);
	}
	vmarena_swap.file = file;
	vmarena_swap.map = map;
	vmarena_swap.capacity = swap_pages;
	vmarena_swap.limit = swap_pages;
	return 0;
}

/**
 * vmarena_swap_uninit() - drop the swap file
 *
 * Slots still in use here were leaked by their stores (every cache is gone
 * by now): they are reported with one WARN_ON.
 *
 * Context: at unload, after every cache is gone.  Sleeps.
 */
void vmarena_swap_uninit(void)
{
	if (WARN_ON(vmarena_swap.used))
		pr_err("vmarena: %u swap slots still in use at unload\n", vmarena_swap.used);
	if (vmarena_swap.file)
		fput(vmarena_swap.file);
	kvfree(vmarena_swap.map);
	vmarena_swap.file = NULL;
	vmarena_swap.map = NULL;
	vmarena_swap.capacity = 0;
	vmarena_swap.limit = 0;
}
