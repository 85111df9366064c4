/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handles: the Linux side of one aspace.  A handle holds its aspace, owns
 * the address_space that every user window of the aspace is linked into
 * (so that vmarena can unmap a range from all of them at once), and is
 * referenced by every aspace fd, every window (VMA) and, while the aspace
 * is persistent, by its name.  The last reference deletes the aspace.
 */
#ifndef _VMARENA_HANDLE_H
#define _VMARENA_HANDLE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct file;
struct inode;
struct mm_struct;
struct pid;
struct vmarena_aspace;
struct vmarena_aspace_create;
struct vmarena_debugfs_aspace;
struct vmarena_window_ops;

struct vmarena_handle {
	struct vmarena_aspace *as;	/* -: held */
	struct inode *inode;		/* -: its i_mapping links the windows */
	struct mutex windows_lock;	/* w (vmarena/locking.h) */
	struct list_head windows;	/* w: the windows (window.c); the page
					 * daemon peeks without w
					 * (list_empty_careful())
					 */
	struct kref ref;
	u32 flags;			/* n: VMARENA_ASPACE_* (READ_ONCE without) */
	struct list_head name_link;	/* n: in the table of persistent names */
	struct list_head team_link;	/* t (team.c): in the table of teams */
	struct pid *team;		/* t: the process it is the aspace of */
	struct mm_struct *team_mm;	/* t: that process's mm then (grabbed) */
	kuid_t team_euid;		/* t: its euid then */
	kuid_t uid;			/* -: owner of a persistent aspace */
	kgid_t gid;			/* - */
	umode_t mode;			/* - */
	struct vmarena_debugfs_aspace *debugfs;	/* -: its ptfrag file (debugfs.c) */
};

int vmarena_handle_init(void);
void vmarena_handle_uninit(void);

struct vmarena_handle *vmarena_handle_create(const struct vmarena_aspace_create *req);
struct vmarena_handle *vmarena_handle_open(const char *name);
int vmarena_handle_unlink(const char *name);
int vmarena_handle_new_file(struct vmarena_handle *h, struct file **filep);
struct vmarena_handle *vmarena_handle_from_file(struct file *file);
void vmarena_handle_get(struct vmarena_handle *h);
void vmarena_handle_put(struct vmarena_handle *h);

long vmarena_aspace_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int vmarena_window_mmap(struct file *file, struct vm_area_struct *vma);
extern const struct vmarena_window_ops vmarena_window_aspace_ops;

#endif /* _VMARENA_HANDLE_H */
