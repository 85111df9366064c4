/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock records: who holds the locks of an area and the super-lock of an
 * aspace (QNX, seed 001 "mlock/munlock and friends").
 *
 * A lock belongs to the process that took it, a process being an
 * mm_struct (threads and a vfork child share it; NULL is the kernel, for
 * KUnit).  Each holder has one record per area (and one per super-locked
 * aspace): locks stack across processes, not within one.  A record
 * charges its own process's RLIMIT_MEMLOCK (memlock.h) and gives it back
 * when it goes.
 *
 * A record is dead once its mm has no users (mm_users == 0: the process
 * exited, or exec replaced its mm).  mmu notifiers are not available on
 * every kernel vmarena runs on, so dead records are found by a sweep
 * (vmarena_lockrec_sweep()), run by the aspace fd's ->flush (every fd at
 * exit, after exit_mm()), by every lock, unlock and super-lock call, and
 * by a delayed work every VMARENA_LOCKREC_SWEEP_MS while any record
 * exists (which catches exec).
 *
 * Lock key o: vmarena_lockrec_lock, a mutex, a leaf: the record lists
 * (area->locks, aspace->superlockers, the global list).  A live
 * process's area records are added and removed with r held as well, so a
 * caller that holds r sees its own stay still; the deletion of an area or
 * aspace, and the sweep of dead records, take records off under o alone.
 * Lock levels follow the records under r (vmarena_area_relock()).
 * Charges are made and given back with o not held (account_locked_vm()
 * takes mmap_lock).
 */
#ifndef _VMARENA_LOCKREC_H
#define _VMARENA_LOCKREC_H

#include <linux/list.h>
#include <linux/types.h>

#include "memlock.h"

#define VMARENA_LOCKREC_SWEEP_MS	100

struct mm_struct;
struct vmarena_area;
struct vmarena_aspace;

struct vmarena_lockrec {
	struct list_head link;		/* o: on area->locks or aspace->superlockers */
	struct list_head all;		/* o: on the global list */
	struct mm_struct *mm;		/* -: grabbed; NULL: the kernel */
	struct vmarena_area *area;	/* -: an area record's area, or NULL */
	struct vmarena_aspace *as;	/* -: a super-lock record's aspace (a ref) */
	struct vmarena_charge charge;	/* o: what it charges */
};

void vmarena_lockrec_uninit(void);

struct vmarena_lockrec *vmarena_lockrec_alloc(struct mm_struct *mm);
void vmarena_lockrec_free(struct vmarena_lockrec *rec);
int vmarena_lockrec_charge(struct vmarena_lockrec *rec, unsigned long pages);

bool vmarena_lockrec_area_held(struct vmarena_area *area, struct mm_struct *mm);
bool vmarena_lockrec_area_locked(struct vmarena_area *area);
void vmarena_lockrec_area_add(struct vmarena_area *area, struct vmarena_lockrec *rec);
struct vmarena_lockrec *vmarena_lockrec_area_take(struct vmarena_area *area,
						  struct mm_struct *mm);
void vmarena_lockrec_area_gone(struct vmarena_area *area);

bool vmarena_lockrec_super_held(struct vmarena_aspace *as, struct mm_struct *mm);
bool vmarena_lockrec_super_any(struct vmarena_aspace *as);
void vmarena_lockrec_super_add(struct vmarena_aspace *as, struct vmarena_lockrec *rec);
struct vmarena_lockrec *vmarena_lockrec_super_take(struct vmarena_aspace *as,
						   struct mm_struct *mm);
void vmarena_lockrec_aspace_gone(struct vmarena_aspace *as);

void vmarena_lockrec_sweep(void);

#endif /* _VMARENA_LOCKREC_H */
