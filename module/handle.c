// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: aspace fds, the address_space their windows share, persistent
 * names.  Lock key n: vmarena_names_lock, the table of persistent names
 * (taken before any core lock).
 */
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "uapi/vmarena.h"
#include "vmarena/vmarena.h"
#include "debugfs.h"
#include "handle.h"
#include "netlink.h"
#include "team.h"
#include "uarg.h"

#define VMARENA_FS_MAGIC	0x766d6172	/* "vmar" */

static DEFINE_MUTEX(vmarena_names_lock);
static LIST_HEAD(vmarena_names);			/* n */

/*
 * A private pseudo filesystem gives each aspace an inode of its own, whose
 * i_mapping every window of the aspace joins (as DRM does).  It is pinned
 * while any handle exists, so that the module cannot go while it is mounted.
 */
static struct vfsmount *vmarena_mnt;
static int vmarena_mnt_count;

static int vmarena_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, VMARENA_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type vmarena_fs_type = {
	.name = "vmarena",
	.owner = THIS_MODULE,
	.init_fs_context = vmarena_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static const struct file_operations vmarena_aspace_fops;

static void vmarena_handle_release(struct kref *ref)
{
	struct vmarena_handle *h = container_of(ref, struct vmarena_handle, ref);

	vmarena_team_forget(h);
	/* before the delete frees the id the file is named after */
	vmarena_debugfs_aspace_remove(h->debugfs);
	if (!vmarena_aspace_delete(h->as))
		vmarena_netlink_aspace_event(VMARENA_CMD_EVT_ASPACE_DEL, h->as);
	vmarena_aspace_drop(h->as);
	iput(h->inode);
	simple_release_fs(&vmarena_mnt, &vmarena_mnt_count);
	vmarena_limits_uncharge_aspace(h->uid);
	kfree(h);
}

void vmarena_handle_get(struct vmarena_handle *h)
{
	kref_get(&h->ref);
}

/**
 * vmarena_handle_put() - drop a reference; the last deletes the aspace
 * @h: referenced by the caller
 *
 * Context: may sleep; no vmarena lock held.
 */
void vmarena_handle_put(struct vmarena_handle *h)
{
	might_sleep();
	kref_put(&h->ref, vmarena_handle_release);
}

/* The persistent aspace called @name, or NULL.  Context: n held. */
static struct vmarena_handle *vmarena_handle_find_locked(const char *name)
{
	struct vmarena_handle *h;

	lockdep_assert_held(&vmarena_names_lock);
	list_for_each_entry(h, &vmarena_names, name_link)
		if (!strncmp(h->as->name, name, VMARENA_NAME_MAX))
			return h;
	return NULL;
}

/**
 * vmarena_handle_create() - a new aspace and its handle, as @req asks
 * @req: validated here (flags, mode, name, range)
 *
 * Returns the handle with one reference for the caller (and one more for
 * the name of a persistent aspace), or an ERR_PTR.
 */
struct vmarena_handle *vmarena_handle_create(const struct vmarena_aspace_create *req)
{
	bool persistent = req->flags & VMARENA_ASPACE_PERSISTENT;
	char name[VMARENA_NAME_MAX];
	struct vmarena_handle *h;
	struct inode *inode;
	int ret;

	if (req->flags & ~VMARENA_ASPACE_FLAGS_ALL || req->reserved || req->mode & ~0777 ||
	    (!persistent && req->mode) || vmarena_name_in(name, req->name, sizeof(name)) ||
	    (persistent && !name[0]))
		return ERR_PTR(-EINVAL);

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return ERR_PTR(-ENOMEM);
	kref_init(&h->ref);
	INIT_LIST_HEAD(&h->name_link);
	INIT_LIST_HEAD(&h->team_link);
	mutex_init(&h->windows_lock);
	INIT_LIST_HEAD(&h->windows);
	h->flags = req->flags;
	h->uid = current_euid();
	h->gid = current_egid();
	h->mode = req->mode;

	ret = vmarena_limits_charge_aspace(h->uid);
	if (ret)
		goto err_free;
	ret = simple_pin_fs(&vmarena_fs_type, &vmarena_mnt, &vmarena_mnt_count);
	if (ret)
		goto err_uncharge;
	inode = alloc_anon_inode(vmarena_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto err_unpin;
	}
	h->inode = inode;
	h->as = vmarena_aspace_create(name, req->base, req->length);
	if (IS_ERR(h->as)) {
		ret = PTR_ERR(h->as);
		goto err_iput;
	}
	vmarena_aspace_set_window_ops(h->as, &vmarena_window_aspace_ops, h);
	h->debugfs = vmarena_debugfs_aspace_add(h->as->id);
	vmarena_netlink_aspace_event(VMARENA_CMD_EVT_ASPACE_NEW, h->as);

	if (persistent) {
		mutex_lock(&vmarena_names_lock);
		if (vmarena_handle_find_locked(name)) {
			mutex_unlock(&vmarena_names_lock);
			vmarena_handle_put(h);
			return ERR_PTR(-EEXIST);
		}
		vmarena_handle_get(h);		/* the name's */
		list_add_tail(&h->name_link, &vmarena_names);
		mutex_unlock(&vmarena_names_lock);
	}
	return h;

err_iput:
	iput(inode);
err_unpin:
	simple_release_fs(&vmarena_mnt, &vmarena_mnt_count);
err_uncharge:
	vmarena_limits_uncharge_aspace(h->uid);
err_free:
	kfree(h);
	return ERR_PTR(ret);
}

/* May the caller open @h for reading and writing?  POSIX-shm-like. */
static bool vmarena_handle_may_open(struct vmarena_handle *h)
{
	umode_t bits = h->mode;

	if (uid_eq(current_euid(), h->uid))
		bits >>= 6;
	else if (in_egroup_p(h->gid))
		bits >>= 3;
	return (bits & 06) == 06 || capable(CAP_DAC_OVERRIDE);
}

/**
 * vmarena_handle_open() - the persistent aspace called @name
 * @name: NUL-terminated
 *
 * Returns the handle with a reference, or ERR_PTR(-ENOENT / -EACCES).
 */
struct vmarena_handle *vmarena_handle_open(const char *name)
{
	struct vmarena_handle *h;

	mutex_lock(&vmarena_names_lock);
	h = vmarena_handle_find_locked(name);
	if (!h)
		h = ERR_PTR(-ENOENT);
	else if (!vmarena_handle_may_open(h))
		h = ERR_PTR(-EACCES);
	else
		vmarena_handle_get(h);
	mutex_unlock(&vmarena_names_lock);
	return h;
}

/**
 * vmarena_handle_unlink() - remove the name of a persistent aspace
 * @name: NUL-terminated
 *
 * The aspace lives on until its last fd and window are gone.  Only its
 * owner (or CAP_SYS_ADMIN) may do this.  Returns 0, -ENOENT or -EPERM.
 */
int vmarena_handle_unlink(const char *name)
{
	struct vmarena_handle *h;

	mutex_lock(&vmarena_names_lock);
	h = vmarena_handle_find_locked(name);
	if (!h) {
		mutex_unlock(&vmarena_names_lock);
		return -ENOENT;
	}
	if (!uid_eq(current_euid(), h->uid) && !capable(CAP_SYS_ADMIN)) {
		mutex_unlock(&vmarena_names_lock);
		return -EPERM;
	}
	list_del_init(&h->name_link);
	WRITE_ONCE(h->flags, h->flags & ~VMARENA_ASPACE_PERSISTENT);
	mutex_unlock(&vmarena_names_lock);
	vmarena_handle_put(h);
	return 0;
}

/**
 * vmarena_handle_new_file() - a new aspace file for @h, and an fd for it
 * @h: its reference passes to the new file on success
 * @filep: the file, not yet installed
 *
 * Returns a reserved fd (close-on-exec): the caller either fd_install()s
 * it once nothing can fail any more, or put_unused_fd()s it and fput()s
 * the file.  On failure returns -errno and the caller keeps its reference.
 */
int vmarena_handle_new_file(struct vmarena_handle *h, struct file **filep)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("[vmarena-aspace]", &vmarena_aspace_fops, h, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	/* Every window of this aspace joins the aspace's own address_space. */
	file->f_mapping = h->inode->i_mapping;
	*filep = file;
	return fd;
}

/**
 * vmarena_handle_from_file() - the handle behind an aspace fd, or NULL
 * @file: any file
 */
struct vmarena_handle *vmarena_handle_from_file(struct file *file)
{
	return file->f_op == &vmarena_aspace_fops ? file->private_data : NULL;
}

/*
 * ->flush runs at every close() of an aspace fd, and for every fd a process
 * still has when it exits, after exit_mm(): the locks of a process that is
 * gone end there (lockrec.h).
 */
static int vmarena_aspace_flush(struct file *file, fl_owner_t id)
{
	vmarena_lockrec_sweep();
	return 0;
}

static int vmarena_aspace_release(struct inode *inode, struct file *file)
{
	vmarena_handle_put(file->private_data);
	return 0;
}

/*
 * fsync() of an aspace fd, and msync(MS_SYNC) of a window (whose file is
 * the aspace fd, at the aspace address): what was written to the shared
 * file areas in [@start, @end] reaches their files.
 */
static int vmarena_aspace_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct vmarena_handle *h = file->private_data;

	if (start < 0 || end < start)
		return -EINVAL;
	return vmarena_area_sync_range(h->as, start,
				       end >= (loff_t)(ULONG_MAX >> 1) ? ULONG_MAX : end + 1);
}

static const struct file_operations vmarena_aspace_fops = {
	.owner = THIS_MODULE,
	.flush = vmarena_aspace_flush,
	.release = vmarena_aspace_release,
	.fsync = vmarena_aspace_fsync,
	.unlocked_ioctl = vmarena_aspace_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vmarena_window_mmap,
	.llseek = noop_llseek,
};

int vmarena_handle_init(void)
{
	return 0;
}

/*
 * Nothing to undo: every handle pins the pseudo filesystem, which pins the
 * module, so the module can only go when no aspace fd, window or
 * persistent name is left.  (Persistent aspaces keep vmarena loaded until
 * they are unlinked, as a mounted filesystem keeps its module.)
 */
void vmarena_handle_uninit(void)
{
	WARN_ON(!list_empty(&vmarena_names));
}
