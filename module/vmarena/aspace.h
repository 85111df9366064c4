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

#include <linux/bits.h>
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

struct seq_file;
struct vmarena_area;

/**
 * struct vmarena_window_ops - what the core asks of the layer that maps an
 *	aspace into processes (NetBSD's pmap(9), Haiku's VMTranslationMap)
 *
 * The fragments are the core's own record of what is mapped; these calls
 * make the user windows follow it.  The core alone decides when residency
 * or protection changes, so it alone calls them.  @priv is what
 * vmarena_aspace_set_window_ops() was given.
 *
 * @unmap: remove every user mapping of [@va, @va + @len); @discard_private
 *	also drops the private copies windows made of those pages.
 *	Context: may sleep; any vmarena lock but f may be held.
 * @protect: take write away from [@va, @va + @len).  With @keep the
 *	mappings stay (the PTEs are write-protected in place: a wired or
 *	super-locked range must not fault on reads); otherwise they may be
 *	removed, to fault again.  Context: as @unmap.
 * @populate: map the resident pages of [@va, @va + @len) in every window
 *	with their final protection, so that touching them does not fault:
 *	absent PTEs are installed and present ones made writable where the
 *	fragments map the page writable; nothing else is unmapped.
 *	Context: may sleep; no vmarena lock held.
 * @test_and_clear_young: test and clear the accessed bits of the user PTEs
 *	that map @pfn at @va.  Context: may sleep; c and l may be held.
 */
struct vmarena_window_ops {
	void (*unmap)(void *priv, unsigned long va, unsigned long len, bool discard_private);
	void (*protect)(void *priv, unsigned long va, unsigned long len, bool keep);
	void (*populate)(void *priv, unsigned long va, unsigned long len);
	bool (*test_and_clear_young)(void *priv, unsigned long va, unsigned long pfn);
};

struct vmarena_aspace {
	u32 id;					/* - */
	char name[VMARENA_NAME_MAX];		/* - */
	unsigned long base;			/* - */
	unsigned long size;			/* - */
	kuid_t owner;				/* -: the creator's euid */
	struct rw_semaphore lock;		/* a */
	struct rb_root areas;			/* a: by base */
	unsigned int nr_areas;			/* a (a hint without a: ASPACE_INFO, RANGE_LOCK) */
	struct vmarena_area *hint;		/* a: see vmarena_area_lookup() */
	unsigned long change_count;		/* a */
	bool deleting;				/* a (read without a by lookups) */
	struct mutex superlock_lock;		/* S */
	bool superlocked;			/* S,r,a: every area resident, mapped, wired;
						 * a hint without them at a window's mmap
						 * (the super-lock populates it too)
						 */
	struct list_head superlockers;		/* o: super-lock records (lockrec.h) */
	struct vmarena_ptfrag frag;		/* f */
	const struct vmarena_window_ops *wops;	/* -: set before any window, or NULL */
	void *wpriv;				/* -: for @wops */
	atomic64_t window_faults;		/* soft faults its windows raised */
	atomic64_t core_faults;			/* ... and the others: wiring, copies */
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

/* Every soft fault taken in @as (each counts once, in one of the two).  Lock-free. */
static inline u64 vmarena_aspace_faults(struct vmarena_aspace *as)
{
	return atomic64_read(&as->window_faults) + atomic64_read(&as->core_faults);
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
			    u32 prot, bool keep);
void vmarena_aspace_populate(struct vmarena_aspace *as, unsigned long va, unsigned long len);
void vmarena_aspace_set_window_ops(struct vmarena_aspace *as,
				   const struct vmarena_window_ops *ops, void *priv);
bool vmarena_aspace_test_and_clear_young(struct vmarena_aspace *as, unsigned long va,
					 unsigned long pfn);

/* What vmarena_aspace_dump() prints (dump.c), in this order. */
#define VMARENA_DUMP_ASPACE	BIT(0)	/* the aspace's own line */
#define VMARENA_DUMP_AREAS	BIT(1)	/* a line per area */
#define VMARENA_DUMP_CHAINS	BIT(2)	/* each area's cache chain, with its pages */
#define VMARENA_DUMP_PTFRAG	BIT(3)	/* the translation map */
void vmarena_aspace_dump(struct vmarena_aspace *as, unsigned int what, struct seq_file *m);

#endif /* _VMARENA_ASPACE_H */
