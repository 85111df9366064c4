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
#include <linux/types.h>
#include <linux/uidgid.h>

struct file;
struct inode;
struct vmarena_aspace;
struct vmarena_aspace_create;

struct vmarena_handle {
	struct vmarena_aspace *as;	/* -: held */
	struct inode *inode;		/* -: its i_mapping links the windows */
	struct kref ref;
	u32 flags;			/* n: VMARENA_ASPACE_* */
	struct list_head name_link;	/* n: in the table of persistent names */
	kuid_t uid;			/* -: owner of a persistent aspace */
	kgid_t gid;			/* - */
	umode_t mode;			/* - */
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
void vmarena_window_superlock(struct vmarena_handle *h);

#endif /* _VMARENA_HANDLE_H */
