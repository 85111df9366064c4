/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stores: where a cache's pages come from and go to (NewOS vm_store).
 *
 *   anon    zero fill; commits its size against the arena's limit; pages
 *           out to the arena's swap file (swap.c)
 *   null    a reservation: every fault in it is an error
 *   device  a physical range, mapped page by page without arena pages
 *   file    a file's own page-cache pages (store_file.c), held by
 *           reference; written pages are handed to its file system
 *
 * A store belongs to exactly one cache and dies with it.  Store methods are
 * called with no cache lock held unless they say otherwise.
 */
#ifndef _VMARENA_STORE_H
#define _VMARENA_STORE_H

#include <linux/types.h>

struct file;
struct page;
struct xarray;
struct seq_file;
struct vmarena_store;

enum vmarena_store_type {
	VMARENA_STORE_ANON,
	VMARENA_STORE_NULL,
	VMARENA_STORE_DEVICE,
	VMARENA_STORE_FILE,
	VMARENA_STORE_TEST,	/* KUnit's instrumented store */
};

struct vmarena_store_ops {
	enum vmarena_store_type type;
	const char *name;
	/*
	 * Promise @size bytes of backing (cache lock held; must not sleep).
	 * NULL: nothing to promise.
	 */
	int (*commit)(struct vmarena_store *store, u64 size);
	/* Does the store hold data for page @offset?  Cache lock held. */
	bool (*has_page)(struct vmarena_store *store, pgoff_t offset);
	/*
	 * Fill @page with page @offset.  May sleep; no cache lock held; the
	 * cache holds a busy page at @offset (the one being filled).
	 */
	int (*read)(struct vmarena_store *store, pgoff_t offset, struct page *page);
	/*
	 * Stores whose pages are not the arena's but their owner's (file: the
	 * page cache).  get_page: the owner's page at @offset, up to date,
	 * with a reference for the caller; ERR_PTR(-ENXIO) past the end of
	 * the owner's data.  May sleep; no vmarena lock held.  NULL for
	 * stores whose pages are arena pages.
	 */
	struct page *(*get_page)(struct vmarena_store *store, pgoff_t offset);
	/*
	 * Is @page (from get_page) still the owner's page at @offset, or did
	 * the owner let it go (a truncation, a hole punched)?  Any context.
	 */
	bool (*owns_page)(struct vmarena_store *store, pgoff_t offset, struct page *page);
	/*
	 * @page (from get_page) may have been written through a mapping:
	 * tell its owner, who writes it back when it sees fit.  @nowait:
	 * -EBUSY rather than wait for the owner's locks.  A page the owner
	 * let go is left alone (0).  May sleep; no vmarena lock held.
	 */
	int (*handover)(struct vmarena_store *store, pgoff_t offset, struct page *page,
			bool nowait);
	/*
	 * Write [@start, @end) (pages) back and wait for it: SYNC and msync.
	 * May sleep; no vmarena lock held.
	 */
	int (*sync)(struct vmarena_store *store, pgoff_t start, pgoff_t end);
	/*
	 * Page out: keep @page's contents as page @offset, so that the cache
	 * can free the page and has_page() and read() bring it back.  May
	 * sleep; no cache lock held; @page is the cache's busy page at
	 * @offset, unmapped everywhere.  NULL: the store cannot page out.
	 */
	int (*page_out)(struct vmarena_store *store, pgoff_t offset, struct page *page);
	/*
	 * The cache shrank to @pages pages: drop what the store keeps past
	 * that.  Cache lock held; may sleep (but takes no other vmarena lock
	 * than s).  NULL: nothing to drop.
	 */
	void (*truncate)(struct vmarena_store *store, pgoff_t pages);
	/*
	 * This store's cache is absorbing its source's cache, whose store is
	 * @source (cache merge): take over @source's pages at the offsets
	 * below @end for which the store keeps nothing and @resident (the
	 * cache's page index) holds no page.  Whatever is left in @source is
	 * dropped when it is destroyed.  Both cache locks held; may sleep
	 * (but takes no other vmarena lock than s).  NULL: nothing to take.
	 */
	void (*merge)(struct vmarena_store *store, struct vmarena_store *source,
		      struct xarray *resident, pgoff_t end);
	/*
	 * Stores without arena pages (device): the pfn backing @offset.
	 * Cache lock held.  NULL for stores whose pages live in the cache.
	 */
	int (*pfn)(struct vmarena_store *store, pgoff_t offset, unsigned long *pfn);
	/* Free the store and whatever it keeps.  No cache lock held; may sleep. */
	void (*destroy)(struct vmarena_store *store);
	/*
	 * Print one line about the store into @m (vmarena_cache_dump()).
	 * Optional.  Context: c of the store's cache held; does not sleep.
	 */
	void (*dump)(struct vmarena_store *store, struct seq_file *m);
};

struct vmarena_store {
	const struct vmarena_store_ops *ops;	/* - */
	u64 committed;				/* c: bytes promised */
};

struct vmarena_store *vmarena_store_anon_create(bool overcommit);
struct vmarena_store *vmarena_store_null_create(void);
struct vmarena_store *vmarena_store_device_create(phys_addr_t base, u64 size);
struct vmarena_store *vmarena_store_file_create(struct file *file);

struct file *vmarena_store_file_get_file(struct vmarena_store *store);
int vmarena_store_file_check(struct file *file, bool write);
void vmarena_store_file_offer(struct vmarena_store *store, struct file *file);
pgoff_t vmarena_store_file_pages(struct vmarena_store *store);

#endif /* _VMARENA_STORE_H */
