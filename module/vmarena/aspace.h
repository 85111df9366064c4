/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aspaces: isolated address spaces with their areas and their translation
 * map.  Life cycle after DragonFly's vmspace (seed 002):
 *
 *   ref   (k) keeps the structure in memory;
 *   hold  keeps it usable: its fragments and areas exist while any hold
 *         does.  Every hold also owns a ref.
 *
 * The id table owns one hold.  vmarena_aspace_delete() marks the aspace
 * deleting, tears its areas down, unpublishes its id and drops the table's
 * hold; the last vmarena_aspace_drop() frees the fragments and drops its
 * ref; the last ref frees the structure.  Lookups by id return a held
 * aspace, and never one that is deleting.  Field keys: locking.h.
 */
#ifndef _VMARENA_ASPACE_H
#define _VMARENA_ASPACE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "uapi/vmarena.h"
#include "ptfrag.h"

struct address_space;
struct seq_file;
struct vmarena_area;
struct vm_area_struct;

/*
 * A user window (a VMA mapping the aspace), as the core knows it: to read
 * and clear the accessed bits the hardware sets in its PTEs, and to map a
 * super-locked aspace into every process that has a window of it.  The
 * record lives from the window's mmap or open to its close.
 */
struct vmarena_aspace_window {
	struct list_head link;			/* w */
	struct vm_area_struct *vma;		/* - */
};

struct vmarena_aspace {
	u32 id;					/* - */
	char name[VMARENA_NAME_MAX];		/* - */
	unsigned long base;			/* - */
	unsigned long size;			/* - */
	kuid_t owner;				/* -: the creator's euid */
	struct rw_semaphore lock;		/* a */
	struct rb_root areas;			/* a: by base */
	unsigned int nr_areas;			/* a */
	struct vmarena_area *hint;		/* a: see vmarena_area_lookup() */
	unsigned long change_count;		/* a */
	bool deleting;				/* a (read without a by lookups) */
	struct mutex superlock_lock;		/* S */
	bool superlocked;			/* S,r,a: every area resident, mapped, wired */
	struct vmarena_ptfrag frag;		/* f */
	struct address_space *mapping;		/* -: user windows, or NULL */
	struct mutex windows_lock;		/* w */
	struct list_head windows;		/* w: struct vmarena_aspace_window */
	atomic64_t faults;			/* soft faults taken in it */
	refcount_t holds;			/* k */
	refcount_t refs;			/* k */
	struct rcu_head rcu;
};

/*
 * The structure generation: moves on every structural change anywhere in
 * the arena (an aspace created or deleted; an area created, deleted,
 * resized, reprotected or relocked: wherever an aspace's change_count
 * moves).  Dumps compare it across their messages to tell a consistent
 * dump from one that raced with a change.  Lock-free.
 */
extern atomic_t vmarena_generation;

static inline void vmarena_generation_bump(void)
{
	atomic_inc(&vmarena_generation);
}

static inline u32 vmarena_generation_read(void)
{
	return atomic_read(&vmarena_generation);
}

int vmarena_aspace_init(void);
void vmarena_aspace_uninit(void);

struct vmarena_aspace *vmarena_aspace_create(const char *name, unsigned long base,
					     unsigned long size);
int vmarena_aspace_delete(struct vmarena_aspace *as);
struct vmarena_aspace *vmarena_aspace_get_by_id(u32 id);
struct vmarena_aspace *vmarena_aspace_get_next(u32 *id);
void vmarena_aspace_hold(struct vmarena_aspace *as);
void vmarena_aspace_drop(struct vmarena_aspace *as);
void vmarena_aspace_ref(struct vmarena_aspace *as);
void vmarena_aspace_unref(struct vmarena_aspace *as);
unsigned long vmarena_aspace_count(void);
void vmarena_aspace_unmap(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			  bool discard_private);
void vmarena_aspace_protect(struct vmarena_aspace *as, unsigned long va, unsigned long len,
			    u32 prot);
void vmarena_aspace_window_add(struct vmarena_aspace *as, struct vm_area_struct *vma);
void vmarena_aspace_window_del(struct vmarena_aspace *as, struct vm_area_struct *vma);
unsigned int vmarena_aspace_window_mms(struct vmarena_aspace *as, struct mm_struct ***mms);
bool vmarena_aspace_test_and_clear_young(struct vmarena_aspace *as, unsigned long va,
					 unsigned long pfn);
void vmarena_aspace_dump(struct vmarena_aspace *as, struct seq_file *m);

#endif /* _VMARENA_ASPACE_H */
