// SPDX-License-Identifier: GPL-2.0
/*
 * The file store: pages read from a struct file and written back to it.
 * Pages past the end of the file read as zeros and are never written back
 * (the file does not grow through a mapping).  One file cache per inode
 * (cache.c) keeps every mapping of a file on the same pages.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "pageio.h"
#include "dump.h"

struct vmarena_store_file {
	struct vmarena_store store;
	struct file *file;			/* -: owns a reference */
};

static struct vmarena_store_file *to_file(struct vmarena_store *store)
{
	return container_of(store, struct vmarena_store_file, store);
}

static bool vmarena_store_file_has_page(struct vmarena_store *store, pgoff_t offset)
{
	loff_t size = i_size_read(file_inode(to_file(store)->file));

	return offset < DIV_ROUND_UP(size, PAGE_SIZE);
}

/* Read page @offset; the part past the end of the file reads as zeros. */
static int vmarena_store_file_read(struct vmarena_store *store, pgoff_t offset,
				   struct page *page)
{
	ssize_t n = vmarena_page_io(to_file(store)->file, (loff_t)offset << PAGE_SHIFT, page,
				    PAGE_SIZE, false);

	if (n < 0)
		return n;
	if (n < PAGE_SIZE)
		memzero_page(page, n, PAGE_SIZE - n);
	return 0;
}

/* Write page @offset back, up to the end of the file. */
static int vmarena_store_file_write(struct vmarena_store *store, pgoff_t offset,
				    struct page *page)
{
	struct file *file = to_file(store)->file;
	loff_t pos = (loff_t)offset << PAGE_SHIFT;
	loff_t size = i_size_read(file_inode(file));
	size_t len;
	ssize_t n;

	might_sleep();
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (pos >= size)
		return 0;
	len = min_t(loff_t, PAGE_SIZE, size - pos);
	n = vmarena_page_io(file, pos, page, len, true);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

static void vmarena_store_file_destroy(struct vmarena_store *store)
{
	fput(to_file(store)->file);
	kfree(to_file(store));
}

static void vmarena_store_file_dump(struct vmarena_store *store, struct seq_file *m)
{
	vmarena_dump_printf(m, "file store: %pD, %lld bytes\n", to_file(store)->file,
			    i_size_read(file_inode(to_file(store)->file)));
}

static const struct vmarena_store_ops vmarena_store_file_ops = {
	.type = VMARENA_STORE_FILE,
	.name = "file",
	.has_page = vmarena_store_file_has_page,
	.read = vmarena_store_file_read,
	.write = vmarena_store_file_write,
	.destroy = vmarena_store_file_destroy,
	.dump = vmarena_store_file_dump,
};

/**
 * vmarena_store_file_create() - a store over @file
 * @file: readable; the store takes its own reference
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
 * vmarena_store_file_get_file() - the file behind a file store, or NULL
 * @store: any store
 */
struct file *vmarena_store_file_get_file(struct vmarena_store *store)
{
	return store->ops == &vmarena_store_file_ops ? to_file(store)->file : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_file_get_file);
