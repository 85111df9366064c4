/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Areas: named regions of an aspace (NewOS vm_region, Haiku VMArea), each
 * mapping a window of one cache.  Field keys: locking.h.
 *
 * Haiku's notes (seed 000) record three bugs that this file does not have:
 * the lookup hint is written only with WRITE_ONCE() under the aspace lock
 * held for read and cleared under the lock held for write (see area.c);
 * resize locks every aspace whose areas share the cache; size and
 * protection are changed only with the aspace lock held for write, and
 * size additionally with the cache link lock (l).
 *
 * Wiring.  An area holds wirings on its pages (page->wired_count) while it
 * is wired, already-wired or contiguous, or super-wired by a super-lock of
 * its aspace: at most one per page, however many of these it is.  Each is
 * recorded in area->wired, by page index in the area, as the page wired,
 * and is released through that record, never through the fragments (which
 * a protection of 0 or a copy-up changes).  The invariant, at every lock
 * release:
 *
 *   page->wired_count == the number of areas whose ->wired records it
 *
 * (a contiguous area's record takes over the run's own wiring), and an
 * area's entry at index i is the page its chain resolves i to, the page a
 * fault would find: a copy-up moves the wiring of every area that saw the
 * old page to the copy in the same hold of the chain's locks
 * (vmarena_cache_rewire_page()), and a wired page a cache drops (a source
 * shrunk under a wired private clone) leaves every record first.  Only a
 * page that some record holds is wired; the record is empty once the area
 * is deleted, or when a super-lock that alone wired it is released.
 */
#ifndef _VMARENA_AREA_H
#define _VMARENA_AREA_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "uapi/vmarena.h"
#include "limits.h"
#include "memlock.h"

struct file;
struct seq_file;
struct vmarena_aspace;
struct vmarena_cache;
struct vmarena_store;

struct vmarena_area {
	u32 id;					/* - */
	char name[VMARENA_NAME_MAX];		/* - */
	struct vmarena_aspace *aspace;		/* -: owns a ref */
	struct vmarena_cache *cache;		/* a (and r, c, l): owns a ref until deleted;
						 * a copy changes it (copy.c)
						 */
	pgoff_t cache_offset;			/* - */
	unsigned long base;			/* - */
	unsigned long size;			/* a,l */
	u32 protection;				/* a */
	u32 protection_max;			/* - */
	u8 wiring;				/* - */
	u8 lock_level;				/* a,l (and r): LOCKED while locks exist */
	struct list_head locks;			/* o: lock records (lockrec.h) */
	bool overcommit;			/* - */
	bool reservation;			/* -: over a null store */
	u32 flags;				/* -: VMARENA_AREA_* (uapi) */
	bool shared;				/* y and a: VMARENA_AREA_SHARED */
	kuid_t owner;				/* -: who created it */
	struct vmarena_charge charge;		/* a (and r): memlock charge (memlock.h) */
	struct vmarena_limit_charge limit;	/* u: per-user caps (limits.h) */
	bool deleted;				/* a */
	bool superwired;			/* a: wired by a super-lock */
	struct xarray wired;			/* C: page index -> page it wired */
	struct rb_node node;			/* a: in aspace->areas */
	struct list_head cache_link;		/* c,l: in cache->areas */
	struct kref ref;			/* k */
	struct rcu_head rcu;
};

/* What vmarena_area_get_info() reports. */
struct vmarena_area_desc {
	u32 id;
	char name[VMARENA_NAME_MAX];
	unsigned long base;
	unsigned long size;
	u32 protection;
	u32 protection_max;
	unsigned int wiring;
	unsigned int lock_level;
	unsigned long resident;		/* pages the area maps now */
	unsigned long copies;		/* pages copied into its own COW layer */
	unsigned int cache_depth;	/* caches in its chain */
	u32 flags;			/* VMARENA_AREA_* */
	u32 cache_id;			/* the top cache of its chain */
	u32 aspace_id;
};

/* The end of @area.  Context: a or l held (area->size). */
static inline unsigned long vmarena_area_end(const struct vmarena_area *area)
{
	return area->base + area->size;
}

/*
 * Does @area pin its memory because its aspace is super-locked?  Only
 * constant fields besides: a deleted area's cache may be gone (the
 * fuzzer's NULL dereference in a lock racing a delete).
 * Context: r or a held.
 */
static inline bool vmarena_area_superpinned(const struct vmarena_area *area)
{
	/*
	 * The super-lock marks what it pins, also areas created under it;
	 * reservations are never marked (they have nothing to pin).
	 */
	return READ_ONCE(area->superwired);
}

/*
 * Does @area's memory count against RLIMIT_MEMLOCK (memlock.h)?
 * Wiring is constant; lock levels and the super-lock change with r and a.
 * Context: r or a held.
 */
static inline bool vmarena_area_pinned(const struct vmarena_area *area)
{
	return area->wiring != VMARENA_WIRING_LAZY ||
	       READ_ONCE(area->lock_level) != VMARENA_LOCK_UNLOCKED ||
	       vmarena_area_superpinned(area);
}

int vmarena_area_init(void);
void vmarena_area_uninit(void);

struct vmarena_area *vmarena_area_get_by_id(u32 id);
struct vmarena_area *vmarena_area_find_by_name(struct vmarena_aspace *as, const char *name);
struct vmarena_area *vmarena_area_lookup(struct vmarena_aspace *as, unsigned long addr);
void vmarena_area_put(struct vmarena_area *area);
int vmarena_area_delete(struct vmarena_area *area);
int vmarena_area_delete_all(struct vmarena_aspace *as);
int vmarena_area_set_protection(struct vmarena_area *area, u32 protection);
int vmarena_area_get_info(struct vmarena_area *area, struct vmarena_area_desc *info);
int vmarena_area_iterate(struct vmarena_aspace *as, unsigned long *cookie,
			 struct vmarena_area_desc *info);
int vmarena_area_sync(struct vmarena_area *area);
int vmarena_area_sync_range(struct vmarena_aspace *as, unsigned long start, unsigned long end);
void vmarena_area_dump(struct vmarena_area *area, struct seq_file *m);

/* For the area's other files (create.c, resize.c, superlock.c). */
struct vmarena_area_spec;
long vmarena_area_place_locked(struct vmarena_aspace *as, const struct vmarena_area_spec *spec);
void vmarena_area_insert_locked(struct vmarena_aspace *as, struct vmarena_area *area);
int vmarena_area_alloc_id(struct vmarena_area *area);
void vmarena_area_publish(struct vmarena_area *area);
void vmarena_area_free_id(struct vmarena_area *area);
struct vmarena_area **vmarena_area_collect(struct vmarena_aspace *as);
void vmarena_area_put_list(struct vmarena_area **list);

/* What an area operation was (the vmarena_area_op tracepoint's op, trace.h). */
enum vmarena_area_op_kind {
	VMARENA_AREA_OP_CREATE,
	VMARENA_AREA_OP_CLONE,
	VMARENA_AREA_OP_COPY,
	VMARENA_AREA_OP_TRANSFER,
	VMARENA_AREA_OP_RESIZE,
	VMARENA_AREA_OP_PROTECT,
	VMARENA_AREA_OP_LOCK,
	VMARENA_AREA_OP_UNLOCK,
	VMARENA_AREA_OP_DELETE,
	VMARENA_AREA_OP_SYNC,
};

#endif /* _VMARENA_AREA_H */
