// SPDX-License-Identifier: GPL-2.0
/*
 * The file store: a file cache's pages are the file's own page-cache pages,
 * held by reference (identity file, page.h), so that a window, read(2) and
 * write(2), and a plain mmap() of the file see the same bytes, and the file
 * system owns write-back.  One file cache per inode (filecache.c) keeps
 * every mapping of a file on the same pages.  Why this design, and not
 * arena pages copied from and to the file: copies cannot be coherent with
 * the rest of Linux without hooks Linux does not offer, and every copy is
 * one more place where written data can be forgotten.
 *
 * What Linux's own shared mappings get from the page cache's reverse map
 * (write-protection at write-back, unmapping at truncation) does not reach
 * vmarena's windows, which are not in the file's i_mmap tree.  So:
 *
 * - Windows map file pages by pfn (special PTEs, window.c), not by page:
 *   no mapcount, so a truncation that removes a page vmarena still maps
 *   finds it unmapped (a mapped page-cache page there is a kernel BUG).
 *   The arena's reference keeps the page alive as long as it is mapped.
 *
 * - Writes are tracked by vmarena (filecache.c): a file page is mapped
 *   writable only after a write fault marked it written, and a written
 *   page is handed to the file system (handover below) before vmarena
 *   lets go of it, at SYNC, and by the file writer shortly after the
 *   first write; a page handed over while not wired is write-protected
 *   first, so that its next write faults and marks it again.
 *
 * - Handing a page over is what write(2) does to the page cache, without
 *   the copy: with the file system frozen out and the inode lock held,
 *   write_begin() and write_end() over the page's bytes in the file, so
 *   that the file system reserves or allocates blocks for it (ext4's
 *   delayed allocation) and marks it dirty; a dirty page that no
 *   write_begin() prepared can be dropped by write-back.  Linux's page
 *   faults call ->page_mkwrite() instead, which needs a VMA of the file.
 *   It runs with no vmarena lock held and never in a page fault (the
 *   inode lock comes before mmap_lock), so faults only mark.
 *
 * - A page the file lets go of while vmarena holds it (truncation, a hole
 *   punched, an invalidation) is found out by owns_page() at the next
 *   fault on it, SYNC, or the page daemon's look, and dropped: the next
 *   touch reads what the file has there now, or raises SIGBUS past its
 *   end.  Until then the window keeps the old bytes; writes to them are
 *   lost with the range the file no longer has.
 *
 * Past the end of the file nothing can be mapped (-ENXIO: SIGBUS in a
 * window), as with Linux's file mappings; the page holding the end is
 * mapped whole, and what is written past the end in it never reaches the
 * file (write_begin() covers only the bytes up to the end).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "module/compat.h"
#include "dump.h"

struct vmarena_store_file {
	struct vmarena_store store;
	struct file *file;			/* -: owns a reference */
	struct file *wfile;			/* c: open for writing, or NULL; a reference */
};

static struct vmarena_store_file *to_file(struct vmarena_store *store)
{
	return container_of(store, struct vmarena_store_file, store);
}

static struct address_space *vmarena_store_file_mapping(struct vmarena_store *store)
{
	return to_file(store)->file->f_mapping;
}

/* Pages that hold file data: up to the one holding the end.  Context: any. */
static pgoff_t vmarena_store_file_size(struct vmarena_store *store)
{
	return DIV_ROUND_UP(i_size_read(file_inode(to_file(store)->file)), PAGE_SIZE);
}

/* The store's has_page (store.h).  Context: c of the store's cache held. */
static bool vmarena_store_file_has_page(struct vmarena_store *store, pgoff_t offset)
{
	return offset < vmarena_store_file_size(store);
}

/* tmpfs (and the shmem files behind memfd and SysV shm) has no read_folio. */
static bool vmarena_store_file_shmem(struct address_space *mapping)
{
	return mapping->host->i_sb->s_magic == TMPFS_MAGIC;
}

/*
 * The store's get_page (store.h).
 * Context: no vmarena lock held; takes the file's locks.  Sleeps.
 */
static struct page *vmarena_store_file_get_page(struct vmarena_store *store, pgoff_t offset)
{
	struct address_space *mapping = vmarena_store_file_mapping(store);

	might_sleep();
	if (offset >= vmarena_store_file_size(store))
		return ERR_PTR(-ENXIO);
	if (vmarena_store_file_shmem(mapping))
		return shmem_read_mapping_page_gfp(mapping, offset, mapping_gfp_mask(mapping));
	return read_mapping_page(mapping, offset, to_file(store)->file);
}

/* The store's owns_page (store.h).  Context: any. */
static bool vmarena_store_file_owns_page(struct vmarena_store *store, pgoff_t offset,
					 struct page *page)
{
	struct folio *folio = page_folio(page);

	return READ_ONCE(folio->mapping) == vmarena_store_file_mapping(store) &&
	       folio_contains(folio, offset) && folio_file_page(folio, offset) == page;
}

/* The file to write through, with a reference, or NULL.  Context: any. */
static struct file *vmarena_store_file_writer(struct vmarena_store_file *fs)
{
	struct file *file;

	/* wfile is set once, under c; a handover holds no c: read it once. */
	file = READ_ONCE(fs->wfile);
	return file ? get_file(file) : NULL;
}

/*
 * Tell the file system that page @offset was written, as write(2) would
 * (see the top of this file).  The inode lock keeps truncation out, so
 * the size and the page checked under it stay.
 * Context: no vmarena lock held, not in a page fault; takes the file
 * system's locks.  Sleeps.
 */
static int vmarena_store_file_handover(struct vmarena_store *store, pgoff_t offset,
				       struct page *page, bool nowait)
{
	struct file *file = vmarena_store_file_writer(to_file(store));
	loff_t pos = (loff_t)offset << PAGE_SHIFT, size;
	struct address_space *mapping;
	struct super_block *sb;
	struct inode *inode;
	struct folio *folio;
	void *fsdata = NULL;
	unsigned int len;
	int ret = 0;

	might_sleep();
	if (!file)
		return -EBADF;	/* no writable mapping was ever made */
	mapping = file->f_mapping;
	inode = mapping->host;
	sb = inode->i_sb;
	if (nowait) {
		if (!sb_start_write_trylock(sb)) {
			ret = -EBUSY;
			goto out_put;
		}
		if (!inode_trylock(inode)) {
			ret = -EBUSY;
			goto out_end;
		}
	} else {
		sb_start_write(sb);
		inode_lock(inode);
	}
	size = i_size_read(inode);
	if (pos >= size || !vmarena_store_file_owns_page(store, offset, page))
		goto out_unlock;	/* the file let it go: nothing of it to write */
	len = min_t(loff_t, PAGE_SIZE, size - pos);
	file_update_time(file);
	ret = vmarena_write_begin(file, mapping, pos, len, &folio, &fsdata);
	if (ret)
		goto out_unlock;
	/* The page is ours (nothing replaces a page cache page we hold while
	 * the inode is locked); were it not, write nothing into the other.
	 */
	ret = vmarena_write_end(file, mapping, pos, len,
				folio_file_page(folio, offset) == page ? len : 0, folio, fsdata);
	if (ret >= 0) {
		ret = 0;
		vmarena_stat_inc(VMARENA_STAT_FILE_HANDOVERS);
	}
out_unlock:
	inode_unlock(inode);
out_end:
	sb_end_write(sb);
out_put:
	fput(file);
	return ret;
}

/* The store's sync (store.h).  Context: as for the handover.  Sleeps. */
static int vmarena_store_file_sync(struct vmarena_store *store, pgoff_t start, pgoff_t end)
{
	struct vmarena_store_file *fs = to_file(store);
	pgoff_t max = MAX_LFS_FILESIZE >> PAGE_SHIFT;
	struct file *file;
	int ret;

	might_sleep();
	end = min(end, max);
	if (end <= start)
		return 0;
	/* Without a writer nothing was written; read-only files sync too. */
	file = vmarena_store_file_writer(fs);
	ret = vfs_fsync_range(file ? file : fs->file, (loff_t)start << PAGE_SHIFT,
			      ((loff_t)end << PAGE_SHIFT) - 1, 1);
	if (file)
		fput(file);
	return ret;
}

/* Context: no c held (its cache is gone).  May sleep. */
static void vmarena_store_file_destroy(struct vmarena_store *store)
{
	struct vmarena_store_file *fs = to_file(store);

	if (fs->wfile)
		fput(fs->wfile);
	fput(fs->file);
	kfree(fs);
}

/* Context: c of the store's cache held. */
static void vmarena_store_file_dump(struct vmarena_store *store, struct seq_file *m)
{
	vmarena_dump_printf(m, "file store: %pD, %lld bytes%s\n", to_file(store)->file,
			    i_size_read(file_inode(to_file(store)->file)),
			    READ_ONCE(to_file(store)->wfile) ? ", writable" : "");
}

static const struct vmarena_store_ops vmarena_store_file_ops = {
	.type = VMARENA_STORE_FILE,
	.name = "file",
	.has_page = vmarena_store_file_has_page,
	.get_page = vmarena_store_file_get_page,
	.owns_page = vmarena_store_file_owns_page,
	.handover = vmarena_store_file_handover,
	.sync = vmarena_store_file_sync,
	.destroy = vmarena_store_file_destroy,
	.dump = vmarena_store_file_dump,
};

/**
 * vmarena_store_file_create() - a store over @file's page cache
 * @file: readable; the store takes its own reference
 *
 * Returns the store, or NULL (no memory).
 *
 * Context: no lock needed.  May sleep.
 */
struct vmarena_store *vmarena_store_file_create(struct file *file)
{
	struct vmarena_store_file *fs = kzalloc(sizeof(*fs), GFP_KERNEL_ACCOUNT);

	if (!fs)
		return NULL;
	fs->store.ops = &vmarena_store_file_ops;
	fs->file = get_file(file);
	return &fs->store;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_create);

/**
 * vmarena_store_file_check() - can @file be mapped by a file store?
 * @file: a regular file
 * @write: for a shared mapping that may be made writable
 *
 * Its page cache must be readable (a read_folio, or tmpfs) and, for
 * writing, have write_begin and write_end (handover).  Returns 0 or
 * -ENODEV, as mmap() says of files it cannot map.
 *
 * Context: any.
 */
int vmarena_store_file_check(struct file *file, bool write)
{
	const struct address_space_operations *a_ops = file->f_mapping->a_ops;

	if (!a_ops->read_folio && !vmarena_store_file_shmem(file->f_mapping))
		return -ENODEV;
	if (write && (!a_ops->write_begin || !a_ops->write_end))
		return -ENODEV;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_check);

/**
 * vmarena_store_file_offer() - write through @file if the store has no
 *	file open for writing yet
 * @store: a file store; its cache locked by the caller
 * @file: a file of the store's inode, being mapped
 *
 * The cache of an inode is made by its first mapper, maybe through a file
 * opened read-only; handing written pages over needs a file opened for
 * writing, and every writable shared mapping is made through one: the
 * first such file stays the store's writer.
 *
 * Context: c of the store's cache held.
 */
void vmarena_store_file_offer(struct vmarena_store *store, struct file *file)
{
	struct vmarena_store_file *fs = to_file(store);

	if (store->ops != &vmarena_store_file_ops || fs->wfile || !(file->f_mode & FMODE_WRITE))
		return;
	WRITE_ONCE(fs->wfile, get_file(file));
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_offer);

/**
 * vmarena_store_file_get_file() - the file behind a file store, or NULL
 * @store: any store
 *
 * Context: any; the file is -.
 */
struct file *vmarena_store_file_get_file(struct vmarena_store *store)
{
	return store->ops == &vmarena_store_file_ops ? to_file(store)->file : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_get_file);

/**
 * vmarena_store_file_pages() - the pages a file store's file has now
 * @store: a file store
 *
 * Up to the page holding its end; what dumps and netlink report as its
 * size.
 *
 * Context: any.
 */
pgoff_t vmarena_store_file_pages(struct vmarena_store *store)
{
	return store->ops == &vmarena_store_file_ops ? vmarena_store_file_size(store) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_pages);
