// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/vmarena/, what the core's dump functions
 * print (core dump.c), for root (every file is 0400).
 *
 *   aspaces       one line per aspace
 *   areas         one line per area, in aspace id and address order
 *   caches        each area's cache chain with its stores and pages, drawn
 *                 as `vmarenactl cache show` draws it
 *   pages         the page pool: totals, per-state counts and queue lengths
 *   ptfrag/ID     the aspace's line and its translation map, one file per
 *                 aspace, from its creation to its deletion
 *
 * The walks are the core's: aspaces one at a time by id
 * (vmarena_aspace_get_next()), the rest inside vmarena_aspace_dump(),
 * vmarena_page_pool_dump() and what they call, which take the core's locks
 * as their Context lines say.  This file takes none.  A record of the
 * multi-aspace files is one aspace (seq_file's position is the aspace id),
 * so a reader sees each aspace whole and consistent in itself, not the
 * arena at one instant.
 *
 * The ptfrag files know their aspace by id (inode->i_private), never by
 * pointer, and look it up on every read: a file read after its aspace went
 * reads ENOENT.  A file is created when its handle is (no lock held), and
 * removed by a work item queued when its handle goes, before the aspace is
 * deleted: the last reference to a handle may be dropped by munmap() with
 * mmap_lock held, and debugfs_remove() takes the directory's inode lock and
 * waits for the file's readers, who take mmap_lock under both when they
 * fault on their buffer (copy_to_user(), getdents()).  A new aspace's file
 * waits for the queued removals first, so a name freed by a deleted aspace
 * is free again when its id is reused.
 *
 * Without debugfs (not built, or debugfs=off) nothing is created and the
 * module loads all the same.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/llist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "vmarena/vmarena.h"
#include "debugfs.h"

/* Set at init, NULL or an ERR_PTR when there is no debugfs. */
static struct dentry *vmarena_debugfs_root;
static struct dentry *vmarena_debugfs_ptfrag;

/* ---- aspaces, areas, caches: one record per aspace ---------------------- */

/* The last position: after the largest id (ids are 31 bits). */
#define VMARENA_DEBUGFS_END	((loff_t)U32_MAX + 1)

/* The first aspace at or after *@pos, held; *@pos becomes its id. */
static void *vmarena_debugfs_find(loff_t *pos)
{
	struct vmarena_aspace *as;
	u32 id;

	if (*pos >= VMARENA_DEBUGFS_END)
		return NULL;
	id = *pos;
	as = vmarena_aspace_get_next(&id);
	*pos = as ? id : VMARENA_DEBUGFS_END;
	return as;
}

static void *vmarena_debugfs_start(struct seq_file *m, loff_t *pos)
{
	return vmarena_debugfs_find(pos);
}

static void *vmarena_debugfs_next(struct seq_file *m, void *v, loff_t *pos)
{
	vmarena_aspace_drop(v);
	++*pos;
	return vmarena_debugfs_find(pos);
}

static void vmarena_debugfs_stop(struct seq_file *m, void *v)
{
	if (v)
		vmarena_aspace_drop(v);
}

/* m->private: the VMARENA_DUMP_* parts this file prints. */
static int vmarena_debugfs_show(struct seq_file *m, void *v)
{
	vmarena_aspace_dump(v, (unsigned long)m->private, m);
	return 0;
}

static const struct seq_operations vmarena_debugfs_seq_ops = {
	.start = vmarena_debugfs_start,
	.next = vmarena_debugfs_next,
	.stop = vmarena_debugfs_stop,
	.show = vmarena_debugfs_show,
};

static int vmarena_debugfs_open(struct inode *inode, struct file *file)
{
	int ret = seq_open(file, &vmarena_debugfs_seq_ops);

	if (!ret)
		((struct seq_file *)file->private_data)->private = inode->i_private;
	return ret;
}

static const struct file_operations vmarena_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = vmarena_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* ---- pages --------------------------------------------------------------- */

static int vmarena_debugfs_pages_show(struct seq_file *m, void *v)
{
	vmarena_page_pool_dump(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmarena_debugfs_pages);

/* ---- ptfrag/ID ----------------------------------------------------------- */

/* m->private: the aspace id. */
static int vmarena_debugfs_ptfrag_show(struct seq_file *m, void *v)
{
	struct vmarena_aspace *as = vmarena_aspace_get_by_id((unsigned long)m->private);

	if (!as)
		return -ENOENT;
	vmarena_aspace_dump(as, VMARENA_DUMP_ASPACE | VMARENA_DUMP_PTFRAG, m);
	vmarena_aspace_drop(as);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmarena_debugfs_ptfrag);

struct vmarena_debugfs_aspace {
	struct dentry *dentry;
	struct llist_node gone;
};

static LLIST_HEAD(vmarena_debugfs_gone);

/* Remove the files of the aspaces that went.  Context: a work item. */
static void vmarena_debugfs_gone_fn(struct work_struct *work)
{
	struct vmarena_debugfs_aspace *file, *next;

	llist_for_each_entry_safe(file, next, llist_del_all(&vmarena_debugfs_gone), gone) {
		debugfs_remove(file->dentry);
		kfree(file);
	}
}

static DECLARE_WORK(vmarena_debugfs_gone_work, vmarena_debugfs_gone_fn);

/**
 * vmarena_debugfs_aspace_add() - the ptfrag file of aspace @id
 * @id: an aspace id, just created
 *
 * Returns what vmarena_debugfs_aspace_remove() takes, or NULL when there
 * is no file (no debugfs, no memory): debugging, not worth failing for.
 *
 * Context: no vmarena lock held, not under mmap_lock; waits for the
 * removals queued before.  May sleep.
 */
struct vmarena_debugfs_aspace *vmarena_debugfs_aspace_add(u32 id)
{
	struct vmarena_debugfs_aspace *file;
	char name[12];

	might_sleep();
	if (IS_ERR_OR_NULL(vmarena_debugfs_ptfrag))
		return NULL;
	flush_work(&vmarena_debugfs_gone_work);
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return NULL;
	snprintf(name, sizeof(name), "%u", id);
	file->dentry = debugfs_create_file(name, 0400, vmarena_debugfs_ptfrag,
					   (void *)(unsigned long)id,
					   &vmarena_debugfs_ptfrag_fops);
	return file;
}

/**
 * vmarena_debugfs_aspace_remove() - remove an aspace's ptfrag file soon
 * @file: what vmarena_debugfs_aspace_add() returned, or NULL
 *
 * Called before the aspace is deleted (its id is still its own); the
 * file goes from a work item (the header comment says why).
 *
 * Context: any that may queue work; mmap_lock may be held.
 */
void vmarena_debugfs_aspace_remove(struct vmarena_debugfs_aspace *file)
{
	if (!file)
		return;
	llist_add(&file->gone, &vmarena_debugfs_gone);
	schedule_work(&vmarena_debugfs_gone_work);
}

/* ---- life cycle ---------------------------------------------------------- */

/*
 * Context: module init, no lock held.  Never fails: without debugfs the
 * module works without its files.
 */
int vmarena_debugfs_init(void)
{
	struct dentry *root = debugfs_create_dir("vmarena", NULL);

	vmarena_debugfs_root = root;
	if (IS_ERR_OR_NULL(root)) {
		pr_info("vmarena: no debugfs (%d), no dumps\n", PTR_ERR_OR_ZERO(root));
		return 0;
	}
	debugfs_create_file("aspaces", 0400, root, (void *)VMARENA_DUMP_ASPACE,
			    &vmarena_debugfs_fops);
	debugfs_create_file("areas", 0400, root, (void *)VMARENA_DUMP_AREAS,
			    &vmarena_debugfs_fops);
	debugfs_create_file("caches", 0400, root, (void *)VMARENA_DUMP_CHAINS,
			    &vmarena_debugfs_fops);
	debugfs_create_file("pages", 0400, root, NULL, &vmarena_debugfs_pages_fops);
	vmarena_debugfs_ptfrag = debugfs_create_dir("ptfrag", root);
	return 0;
}

/* Context: module exit, no lock held; every handle is gone. */
void vmarena_debugfs_uninit(void)
{
	flush_work(&vmarena_debugfs_gone_work);
	debugfs_remove(vmarena_debugfs_root);
	vmarena_debugfs_root = NULL;
	vmarena_debugfs_ptfrag = NULL;
}
