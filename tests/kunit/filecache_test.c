// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: file caches (filecache.c, store_file.c).  A file area's pages are
 * its file's page-cache pages, so reads and writes of the file and of the
 * area see each other at once; a page is mapped writable only once it is
 * marked written, and every marked page reaches its file system through a
 * handover before the arena lets go of it (SYNC, page-out, the cache's end,
 * the file writer); past the end of the file nothing is mapped; a page the
 * file lets go of is dropped when it is found; one mapping's resize leaves
 * the file's other mappings alone; a file not open for writing is never
 * written.  The files live on tmpfs (shmem_file_setup()).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/kthread.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

/* A tmpfs file of @size bytes, page i filled with @fill + i. */
static struct file *vt_file(struct kunit *test, size_t size, u8 fill)
{
	struct file *file = shmem_file_setup("vmarena-kunit", size, 0);
	loff_t pos = 0;
	size_t i;
	u8 *buf;

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	buf = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < size; i++)
		buf[i] = fill + i / PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, size, &pos), (ssize_t)size);
	return file;
}

/* The same file, opened read-only. */
static struct file *vt_file_readonly(struct kunit *test, struct file *file)
{
	struct file *ro = dentry_open(&file->f_path, O_RDONLY, current_cred());

	KUNIT_ASSERT_FALSE(test, IS_ERR(ro));
	return ro;
}

static int vt_file_byte(struct file *file, loff_t pos)
{
	u8 byte;

	if (kernel_read(file, &byte, 1, &pos) != 1)
		return -EIO;
	return byte;
}

static int vt_file_poke(struct file *file, loff_t pos, u8 byte)
{
	return kernel_write(file, &byte, 1, &pos) == 1 ? 0 : -EIO;
}

static struct vmarena_area *vt_map(struct kunit *test, struct vmarena_aspace *as,
				   struct file *file, unsigned long pages, loff_t offset,
				   bool shared)
{
	struct vmarena_area_spec spec = vt_spec("file", pages, RW);
	struct vmarena_area *area = NULL;

	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, offset, shared, &area), 0);
	return vt_keep(test, area);
}

/* The protection the fragments map @addr with, or 0. */
static u32 vt_prot(struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_pte_info info;

	if (vmarena_ptfrag_lookup(&as->frag, addr, &info))
		return 0;
	return info.prot;
}

/* The pfn of the page cache's page at @index of @file, or 0. */
static unsigned long vt_cache_pfn(struct file *file, pgoff_t index)
{
	struct page *page = find_get_page(file->f_mapping, index);
	unsigned long pfn;

	if (!page)
		return 0;
	pfn = page_to_pfn(page);
	put_page(page);
	return pfn;
}

static bool vt_marked(struct vmarena_area *area, unsigned long page)
{
	return xa_get_mark(&area->cache->pages, area->cache_offset + page,
			   VMARENA_CACHE_WRITTEN);
}

static u64 vt_stat(enum vmarena_stat stat)
{
	u64 stats[VMARENA_STAT_NR];

	vmarena_stats_read(stats);
	return stats[stat];
}

/* ---- one set of pages ------------------------------------------------ */

static void vt_filecache_pages_are_the_page_cache(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pagecache");
	struct file *file = vt_file(test, VT_PAGES(3), 0x30);
	struct vmarena_area *area = vt_map(test, as, file, 3, 0, true);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(2) + 7), 0x32);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base + VT_PAGES(2)), vt_cache_pfn(file, 2));
	/* A store is the file's at once, and the file's writes the area's. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + PAGE_SIZE + 1, 0xee), 0);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, PAGE_SIZE + 1), 0xee);
	KUNIT_ASSERT_EQ(test, vt_file_poke(file, PAGE_SIZE + 2, 0xdd), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE + 2), 0xdd);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, PAGE_SIZE), 0x31);
	fput(file);
}

static void vt_filecache_mapped_twice_shares_pages(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "twiceA");
	struct vmarena_aspace *b = vt_aspace(test, "twiceB");
	struct file *file = vt_file(test, VT_PAGES(2), 0x10);
	struct vmarena_area *x = vt_map(test, a, file, 2, 0, true);
	struct vmarena_area *y = vt_map(test, b, file, 2, 0, true);

	KUNIT_EXPECT_PTR_EQ(test, x->cache, y->cache);
	KUNIT_ASSERT_EQ(test, vt_poke(a, x->base, 0x77), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(b, y->base), 0x77);
	KUNIT_EXPECT_EQ(test, vt_pfn(a, x->base), vt_pfn(b, y->base));
	fput(file);
}

/* ---- write tracking --------------------------------------------------- */

static void vt_filecache_write_only_after_a_write_fault(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "track");
	struct file *file = vt_file(test, VT_PAGES(2), 0x40);
	struct vmarena_area *area = vt_map(test, as, file, 2, 0, true);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x40);
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base), (u32)VMARENA_PROT_READ);
	KUNIT_EXPECT_FALSE(test, vt_marked(area, 0));
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 0x41), 0);
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base), (u32)RW);
	KUNIT_EXPECT_TRUE(test, vt_marked(area, 0));
	/* A marked page is mapped writable by a read fault too. */
	vmarena_aspace_unmap(as, area->base, PAGE_SIZE, false);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x41);
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base), (u32)RW);
	fput(file);
}

static void vt_filecache_sync_protects_then_write_marks_again(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "syncs");
	struct file *file = vt_file(test, VT_PAGES(1), 0x50);
	struct vmarena_area *area = vt_map(test, as, file, 1, 0, true);
	u64 handed = vt_stat(VMARENA_STAT_FILE_HANDOVERS);
	struct page *page;

	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 0x51), 0);
	page = find_get_page(file->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	ClearPageDirty(page);	/* so that the handover shows */
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(area), 0);
	KUNIT_EXPECT_TRUE(test, PageDirty(page));
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 1);
	/* Handed over: write-protected and unmarked, so a write faults... */
	KUNIT_EXPECT_FALSE(test, vt_marked(area, 0));
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base), (u32)VMARENA_PROT_READ);
	/* ... and is marked and handed over by the next sync in turn. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 0x52), 0);
	KUNIT_EXPECT_TRUE(test, vt_marked(area, 0));
	ClearPageDirty(page);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(area), 0);
	KUNIT_EXPECT_TRUE(test, PageDirty(page));
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 2);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, 0), 0x52);
	put_page(page);
	fput(file);
}

struct vt_syncer {
	struct vmarena_area *area;
	struct completion done;
	int ret;
};

static int vt_syncer_fn(void *arg)
{
	struct vt_syncer *s = arg;

	s->ret = vmarena_area_sync(s->area);
	complete(&s->done);
	return 0;
}

/*
 * A sync waits for a page that another collector (the writer, another
 * sync) took the written mark of and is still handing over: returning
 * before that handover would leave the write off the disk.
 */
static void vt_filecache_sync_waits_for_a_handover_under_way(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "underway");
	struct file *file = vt_file(test, VT_PAGES(2), 0x5a);
	struct vmarena_area *area = vt_map(test, as, file, 2, 0, true);
	struct vt_syncer s = { .area = area };
	struct task_struct *task;

	init_completion(&s.done);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + PAGE_SIZE, 0x5b), 0);
	/* What a collector does when it takes the page. */
	mutex_lock(&area->cache->lock);
	xa_clear_mark(&area->cache->pages, 1, VMARENA_CACHE_WRITTEN);
	xa_set_mark(&area->cache->pages, 1, VMARENA_CACHE_HANDING);
	mutex_unlock(&area->cache->lock);
	task = kthread_run(vt_syncer_fn, &s, "vt_syncer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&s.done, msecs_to_jiffies(300)), 0UL);
	/* ... and when it is done. */
	mutex_lock(&area->cache->lock);
	xa_clear_mark(&area->cache->pages, 1, VMARENA_CACHE_HANDING);
	vmarena_cache_wake_waiters(area->cache);
	mutex_unlock(&area->cache->lock);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&s.done, 10 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, s.ret, 0);
	fput(file);
}

static void vt_filecache_writer_hands_over_soon(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "writer");
	struct file *file = vt_file(test, VT_PAGES(2), 0x58);
	struct vmarena_area *area = vt_map(test, as, file, 2, 0, true);
	u64 handed = vt_stat(VMARENA_STAT_FILE_HANDOVERS);

	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + PAGE_SIZE, 0x59), 0);
	vmarena_filecache_flush();
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 1);
	KUNIT_EXPECT_FALSE(test, vt_marked(area, 1));
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base + PAGE_SIZE), (u32)VMARENA_PROT_READ);
	fput(file);
}

static void vt_filecache_wired_page_stays_writable_and_marked(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wired");
	struct vmarena_area_spec spec = vt_spec("wired", 2, RW);
	struct file *file = vt_file(test, VT_PAGES(2), 0x60);
	struct vmarena_area *area = NULL;
	struct vmarena_page *page;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &area), 0);
	vt_keep(test, area);
	/* Wired for write: it takes writes without faulting, so it is marked. */
	KUNIT_EXPECT_TRUE(test, vt_marked(area, 0));
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(area), 0);
	KUNIT_EXPECT_TRUE(test, vt_marked(area, 0));
	KUNIT_EXPECT_EQ(test, vt_prot(as, area->base), (u32)RW);
	/* Unwired by its deletion's unwiring: it comes out modified. */
	mutex_lock(&area->cache->lock);
	page = vmarena_cache_lookup_page(area->cache, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page->state, (u8)VMARENA_PAGE_WIRED);
	page->wired_count--;
	vmarena_cache_page_unwired(area->cache, page);
	KUNIT_EXPECT_EQ(test, page->state, (u8)VMARENA_PAGE_MODIFIED);
	page->wired_count++;
	vmarena_page_set_state(page, VMARENA_PAGE_WIRED);
	mutex_unlock(&area->cache->lock);
	fput(file);
}

/* ---- nothing lost ----------------------------------------------------- */

static void vt_filecache_end_hands_written_pages_over(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "end");
	struct file *file = vt_file(test, VT_PAGES(4), 0x70);
	struct vmarena_area_spec spec = vt_spec("end", 4, RW);
	u64 handed = vt_stat(VMARENA_STAT_FILE_HANDOVERS);
	struct vmarena_page_stats before, after;
	struct vmarena_area *area;
	struct page *page;

	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &area), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(3), 0x7f), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x70);
	page = find_get_page(file->f_mapping, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	ClearPageDirty(page);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	vmarena_filecache_flush();
	KUNIT_EXPECT_TRUE(test, PageDirty(page));
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 1);
	KUNIT_EXPECT_EQ(test, vmarena_filecache_pending(), 0UL);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, VT_PAGES(3)), 0x7f);
	/* The arena let go of both pages. */
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.total, before.total);
	put_page(page);
	fput(file);
}

/*
 * One mapping of a file goes (deleted, or shrunk off a page) while another
 * keeps the cache: what it wrote is pending, and handed over at once.
 */
static void vt_filecache_gone_mapping_hands_over_at_once(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "gone");
	struct file *file = vt_file(test, VT_PAGES(3), 0x78);
	struct vmarena_area_spec spec = vt_spec("x", 3, RW);
	struct vmarena_area *y = vt_map(test, as, file, 3, 0, true);
	u64 handed = vt_stat(VMARENA_STAT_FILE_HANDOVERS);
	struct vmarena_area *x;

	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &x), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, x->base, 0x79), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, x->base + VT_PAGES(2), 0x7a), 0);
	/* Written, but its area is still there: not pending. */
	KUNIT_EXPECT_EQ(test, vmarena_filecache_pending(), 0UL);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(x, VT_PAGES(2), NULL), 0);
	vmarena_filecache_flush();
	KUNIT_EXPECT_EQ(test, vmarena_filecache_pending(), 0UL);
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 2);
	/* The other mapping maps them still, and may write them again. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, y->base + VT_PAGES(2), 0x7b), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(x), 0);
	vmarena_area_put(x);
	KUNIT_EXPECT_EQ(test, vt_resident(y->cache), 2UL);
	vmarena_filecache_flush();
	KUNIT_EXPECT_EQ(test, vmarena_filecache_pending(), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, y->base + VT_PAGES(2)), 0x7b);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, 0), 0x79);
	fput(file);
}

static void vt_filecache_pageout_hands_over_and_lets_go(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pageout");
	struct file *file = vt_file(test, VT_PAGES(2), 0x80);
	struct vmarena_area *area = vt_map(test, as, file, 2, 0, true);
	u64 handed = vt_stat(VMARENA_STAT_FILE_HANDOVERS);

	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 0x8a), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0x81);
	KUNIT_EXPECT_EQ(test, vmarena_pageout_page(area->cache, 0), 0);
	KUNIT_EXPECT_EQ(test, vmarena_pageout_page(area->cache, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 0UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base), 0UL);
	/* The written one was handed over; the other only let go of. */
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_FILE_HANDOVERS), handed + 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x8a);
	fput(file);
}

/* ---- the end of the file, and what the file lets go of ----------------- */

static void vt_filecache_nothing_past_the_end(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "eof");
	struct file *file = vt_file(test, VT_PAGES(2) + 100, 0x50);
	struct vmarena_area_spec spec = vt_spec("tail", 3, RW);
	struct vmarena_area *area = vt_map(test, as, file, 3, PAGE_SIZE, true);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x51);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE + 99), 0x52);
	/* The page holding the end: zeros after it, and they stay out of the file. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE + 100), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + PAGE_SIZE + 200, 9), 0);
	/* Wholly past the end: nothing, for a read or a write. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(2)), -ENXIO);
	KUNIT_EXPECT_EQ(test, vt_poke(as, area->base + VT_PAGES(2), 1), -ENXIO);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(area), 0);
	KUNIT_EXPECT_EQ(test, i_size_read(file_inode(file)), (loff_t)VT_PAGES(2) + 100);
	KUNIT_EXPECT_EQ(test, vmarena_area_map_file(as, &spec, file, 100, true, NULL), -EINVAL);
	fput(file);
}

static void vt_filecache_wiring_stops_at_the_end(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wiredeof");
	struct vmarena_area_spec spec = vt_spec("wired", 4, RW);
	struct file *file = vt_file(test, VT_PAGES(2), 0x20);
	struct vmarena_area *area = NULL;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &area), 0);
	vt_keep(test, area);
	KUNIT_EXPECT_NE(test, vt_pfn(as, area->base + PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base + VT_PAGES(2)), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3)), -ENXIO);
	fput(file);
}

static void vt_filecache_truncated_page_is_dropped(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "trunc");
	struct file *file = vt_file(test, VT_PAGES(4), 0x90);
	struct vmarena_area *area = vt_map(test, as, file, 4, 0, true);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3)), 0x93);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(2), 0x22), 0);
	KUNIT_ASSERT_EQ(test, vfs_truncate(&file->f_path, VT_PAGES(2)), 0);
	/* A fault at a page the file let go of drops it: nothing is there now. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3)), -ENXIO);
	/* SYNC finds the other, written one, and drops it unwritten. */
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(area), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base + VT_PAGES(2)), 0UL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 0UL);
	KUNIT_EXPECT_EQ(test, i_size_read(file_inode(file)), (loff_t)VT_PAGES(2));
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0x91);
	fput(file);
}

static void vt_filecache_punched_page_reads_the_hole(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "punch");
	struct file *file = vt_file(test, VT_PAGES(3), 0xa0);
	struct vmarena_area *area = vt_map(test, as, file, 3, 0, true);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0xa1);
	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					    PAGE_SIZE, PAGE_SIZE), 0);
	/* The page daemon takes a page the file let go of first. */
	KUNIT_EXPECT_EQ(test, vmarena_pagedaemon_age(area->cache, 1, VMARENA_PAGE_ACTIVE),
			VMARENA_VISIT_VICTIM);
	KUNIT_EXPECT_EQ(test, vmarena_pageout_page(area->cache, 1), 0);
	/* The next touch reads the hole. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(2)), 0xa2);
	fput(file);
}

/* ---- mappings, users and permissions ---------------------------------- */

static void vt_filecache_resize_leaves_other_mappings(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "resizeA");
	struct vmarena_aspace *b = vt_aspace(test, "resizeB");
	struct file *file = vt_file(test, VT_PAGES(4), 0xb0);
	struct vmarena_area *x = vt_map(test, a, file, 4, 0, true);
	struct vmarena_area *y = vt_map(test, b, file, 4, 0, true);

	KUNIT_ASSERT_EQ(test, vt_poke(b, y->base + VT_PAGES(3), 0xbb), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(x, VT_PAGES(1), NULL), 0);
	KUNIT_EXPECT_EQ(test, x->size, VT_PAGES(1));
	KUNIT_EXPECT_EQ(test, y->size, VT_PAGES(4));
	KUNIT_EXPECT_EQ(test, vt_peek(b, y->base + VT_PAGES(3)), 0xbb);
	KUNIT_EXPECT_EQ(test, vt_peek(a, x->base + VT_PAGES(3)), -EFAULT);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(x, VT_PAGES(3), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(a, x->base + VT_PAGES(2)), 0xb2);
	KUNIT_EXPECT_EQ(test, y->size, VT_PAGES(4));
	fput(file);
}

static void vt_filecache_readonly_file_is_never_written(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "rofile");
	struct file *file = vt_file(test, VT_PAGES(1), 0xc0);
	struct file *ro = vt_file_readonly(test, file);
	struct vmarena_area_spec spec = vt_spec("ro", 1, RW);
	struct vmarena_area *area = NULL;

	KUNIT_EXPECT_EQ(test, vmarena_area_map_file(as, &spec, ro, 0, true, NULL), -EACCES);
	spec.protection = VMARENA_PROT_READ;
	spec.protection_max = RW;
	KUNIT_EXPECT_EQ(test, vmarena_area_map_file(as, &spec, ro, 0, true, NULL), -EACCES);
	spec.protection_max = 0;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, ro, 0, true, &area), 0);
	vt_keep(test, area);
	KUNIT_EXPECT_EQ(test, area->protection_max & VMARENA_PROT_WRITE, 0U);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_protection(area, RW), -EACCES);
	/* A private mapping may be written: its copies never reach the file. */
	spec.protection = RW;
	KUNIT_EXPECT_EQ(test, vmarena_area_map_file(as, &spec, ro, 0, false, NULL), 0);
	fput(ro);
	fput(file);
}

static void vt_filecache_first_mapper_read_only_still_writes_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "rofirst");
	struct file *file = vt_file(test, VT_PAGES(1), 0xd0);
	struct file *ro = vt_file_readonly(test, file);
	struct vmarena_area_spec spec = vt_spec("ro", 1, VMARENA_PROT_READ);
	struct vmarena_area *first = NULL, *rw;

	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, ro, 0, true, &first), 0);
	vt_keep(test, first);
	fput(ro);
	rw = vt_map(test, as, file, 1, 0, true);
	KUNIT_EXPECT_PTR_EQ(test, rw->cache, first->cache);
	KUNIT_ASSERT_EQ(test, vt_poke(as, rw->base, 0xd9), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(rw), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(first), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, first->base), 0xd9);
	fput(file);
}

/* ---- private mappings -------------------------------------------------- */

static void vt_filecache_private_follows_file_until_written(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "privfile");
	struct file *file = vt_file(test, VT_PAGES(2), 0x20);
	struct vmarena_area *priv = vt_map(test, as, file, 2, 0, false);
	struct vmarena_area *shared = vt_map(test, as, file, 2, 0, true);

	KUNIT_EXPECT_EQ(test, vt_chain_depth(priv), 2U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, priv->base), 0x20);
	/* Unwritten, it shows what the file has now. */
	KUNIT_ASSERT_EQ(test, vt_file_poke(file, 0, 0x2a), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, priv->base), 0x2a);
	/* Written, it is the area's own, and never the file's. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, priv->base, 0x66), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, shared->base), 0x2a);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(priv), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_sync(shared), 0);
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, 0), 0x2a);
	KUNIT_EXPECT_EQ(test, vt_peek(as, priv->base), 0x66);
	/* Past the end of the file there is nothing, private or not. */
	KUNIT_ASSERT_EQ(test, vfs_truncate(&file->f_path, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vt_poke(as, priv->base + PAGE_SIZE, 1), -ENXIO);
	fput(file);
}

/*
 * A private file mapping grown by a resize: its copy-on-write cache grows,
 * the file's cache does not.  Past the file cache's end the area is
 * anonymous memory and reads zeros, though the file goes on.  The fault
 * used to find the file's page there through has_page(), read it, drop it
 * as past the cache's end and start over, for ever (the fuzzer's
 * super-lock spinning through 45 million page-ins).
 */
static void vt_filecache_private_map_grown_past_its_source(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "filegrow");
	struct file *file = vt_file(test, VT_PAGES(4), 0x60);
	struct vmarena_area *area = vt_map(test, as, file, 2, 0, false);

	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0x61);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(area, VT_PAGES(4), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3)), 0);
	KUNIT_EXPECT_EQ(test, vt_poke(as, area->base + VT_PAGES(2) + 5, 0x77), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(2) + 5), 0x77);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE), 0x61);
	/* What the fuzzer did: a super-lock copies every page up. */
	KUNIT_EXPECT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 4UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0x60);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3) + 9), 0);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	/* The file never saw any of it. */
	KUNIT_EXPECT_EQ(test, vt_file_byte(file, VT_PAGES(2) + 5), 0x62);
	fput(file);
}

static struct kunit_case vt_filecache_cases[] = {
	KUNIT_CASE(vt_filecache_pages_are_the_page_cache),
	KUNIT_CASE(vt_filecache_mapped_twice_shares_pages),
	KUNIT_CASE(vt_filecache_write_only_after_a_write_fault),
	KUNIT_CASE(vt_filecache_sync_protects_then_write_marks_again),
	KUNIT_CASE(vt_filecache_sync_waits_for_a_handover_under_way),
	KUNIT_CASE(vt_filecache_writer_hands_over_soon),
	KUNIT_CASE(vt_filecache_wired_page_stays_writable_and_marked),
	KUNIT_CASE(vt_filecache_end_hands_written_pages_over),
	KUNIT_CASE(vt_filecache_gone_mapping_hands_over_at_once),
	KUNIT_CASE(vt_filecache_pageout_hands_over_and_lets_go),
	KUNIT_CASE(vt_filecache_nothing_past_the_end),
	KUNIT_CASE(vt_filecache_wiring_stops_at_the_end),
	KUNIT_CASE(vt_filecache_truncated_page_is_dropped),
	KUNIT_CASE(vt_filecache_punched_page_reads_the_hole),
	KUNIT_CASE(vt_filecache_resize_leaves_other_mappings),
	KUNIT_CASE(vt_filecache_readonly_file_is_never_written),
	KUNIT_CASE(vt_filecache_first_mapper_read_only_still_writes_back),
	KUNIT_CASE(vt_filecache_private_follows_file_until_written),
	KUNIT_CASE(vt_filecache_private_map_grown_past_its_source),
	{}
};

/* Earlier tests' ended caches are handed over first: counts start clean. */
static int vt_filecache_init(struct kunit *test)
{
	vmarena_filecache_flush();
	return 0;
}

/* ... and this suite's, before other suites count caches and pages. */
static void vt_filecache_suite_exit(struct kunit_suite *suite)
{
	vmarena_filecache_flush();
}

static struct kunit_suite vt_filecache_suite = {
	.name = "vmarena_filecache",
	.init = vt_filecache_init,
	.suite_exit = vt_filecache_suite_exit,
	.test_cases = vt_filecache_cases,
};

kunit_test_suite(vt_filecache_suite);
