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
	loff_t pos = (loff_t)offset << PAGE_SHIFT;
	size_t done = 0;
	ssize_t ret = 0;
	void *buf;

	might_sleep();
	buf = kmap_local_page(page);
	while (done < PAGE_SIZE) {
		ret = kernel_read(to_file(store)->file, buf + done, PAGE_SIZE - done, &pos);
		if (ret <= 0)
			break;
		done += ret;
	}
	memset(buf + done, 0, PAGE_SIZE - done);
	kunmap_local(buf);
	return ret < 0 ? ret : 0;
}

/* Write page @offset back, up to the end of the file. */
static int vmarena_store_file_write(struct vmarena_store *store, pgoff_t offset,
				    struct page *page)
{
	struct file *file = to_file(store)->file;
	loff_t pos = (loff_t)offset << PAGE_SHIFT;
	loff_t size = i_size_read(file_inode(file));
	size_t len, done = 0;
	ssize_t ret = 0;
	void *buf;

	might_sleep();
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (pos >= size)
		return 0;
	len = min_t(loff_t, PAGE_SIZE, size - pos);
	buf = kmap_local_page(page);
	while (done < len) {
		ret = kernel_write(file, buf + done, len - done, &pos);
		if (ret <= 0)
			break;
		done += ret;
	}
	kunmap_local(buf);
	if (ret == 0 && done < len)
		return -EIO;
	return ret < 0 ? ret : 0;
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
