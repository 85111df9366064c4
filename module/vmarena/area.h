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
 */
#ifndef _VMARENA_AREA_H
#define _VMARENA_AREA_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "uapi/vmarena.h"
#include "limits.h"
#include "wire.h"

struct file;
struct seq_file;
struct vmarena_aspace;
struct vmarena_cache;
struct vmarena_store;

struct vmarena_area {
	u32 id;					/* - */
	char name[VMARENA_NAME_MAX];		/* - */
	struct vmarena_aspace *aspace;		/* -: owns a ref */
	struct vmarena_cache *cache;		/* -: owns a ref until deleted */
	pgoff_t cache_offset;			/* - */
	unsigned long base;			/* - */
	unsigned long size;			/* a,l */
	u32 protection;				/* a */
	u32 protection_max;			/* - */
	u8 wiring;				/* - */
	u8 lock_level;				/* a,l (and r) */
	bool overcommit;			/* - */
	bool reservation;			/* -: over a null store */
	u32 flags;				/* -: VMARENA_AREA_* (uapi) */
	kuid_t owner;				/* -: who created it */
	struct vmarena_charge charge;		/* r,a: memlock charge (wire.h) */
	struct vmarena_limit_charge limit;	/* u: per-user caps (limits.h) */
	bool deleted;				/* a */
	bool superwired;			/* a: wired once more by a super-lock */
	struct rb_node node;			/* a: in aspace->areas */
	struct list_head cache_link;		/* c,l: in cache->areas */
	struct kref ref;			/* k */
	struct rcu_head rcu;
};

/* What to create, and where. */
struct vmarena_area_spec {
	const char *name;
	unsigned int addr_spec;		/* VMARENA_ADDR_* */
	unsigned long base;		/* for EXACT and BASE */
	unsigned long size;
	u32 protection;			/* VMARENA_PROT_* */
	u32 protection_max;		/* 0: VMARENA_PROT_ALL */
	unsigned int wiring;		/* VMARENA_WIRING_* */
	unsigned int lock_level;	/* VMARENA_LOCK_* */
	unsigned int flags;		/* VMARENA_AREA_* (uapi/vmarena.h) */
	kuid_t owner;			/* recorded for clone permission checks */
	struct mm_struct *charge_mm;	/* whose RLIMIT_MEMLOCK it uses, or NULL */
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

int vmarena_area_init(void);
void vmarena_area_uninit(void);

int vmarena_area_map_store(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			   struct vmarena_store *store, struct vmarena_area **out);
int vmarena_area_create_anon(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out);
int vmarena_area_create_null(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out);
int vmarena_area_map_device(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			    phys_addr_t phys, struct vmarena_area **out);
int vmarena_area_map_file(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			  struct file *file, loff_t offset, bool shared,
			  struct vmarena_area **out);
int vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		       struct vmarena_area *source, bool shared, struct vmarena_area **out);
int vmarena_area_delete(struct vmarena_area *area);
int vmarena_area_resize(struct vmarena_area *area, unsigned long new_size,
			struct mm_struct *mm);
int vmarena_area_sync(struct vmarena_area *area);
int vmarena_area_sync_range(struct vmarena_aspace *as, unsigned long start, unsigned long end);
int vmarena_area_set_lock(struct vmarena_area *area, unsigned int level, struct mm_struct *mm);
int vmarena_area_set_protection(struct vmarena_area *area, u32 protection);
int vmarena_area_get_info(struct vmarena_area *area, struct vmarena_area_desc *info);
int vmarena_area_iterate(struct vmarena_aspace *as, unsigned long *cookie,
			 struct vmarena_area_desc *info);

struct vmarena_area *vmarena_area_get_by_id(u32 id);
struct vmarena_area *vmarena_area_find_by_name(struct vmarena_aspace *as, const char *name);
struct vmarena_area *vmarena_area_lookup(struct vmarena_aspace *as, unsigned long addr);
void vmarena_area_put(struct vmarena_area *area);

int vmarena_area_delete_all(struct vmarena_aspace *as);
int vmarena_aspace_superlock(struct vmarena_aspace *as, bool on, struct mm_struct *mm);
void vmarena_area_dump(struct vmarena_area *area, struct seq_file *m);

#endif /* _VMARENA_AREA_H */
