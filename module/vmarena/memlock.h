/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memlock accounting: an area whose memory may not leave the arena - a
 * wired, already-wired or contiguous one, a locked one, and every area
 * but reservations of a super-locked aspace - counts its whole size
 * against a process's RLIMIT_MEMLOCK (account_locked_vm(), which lets
 * CAP_IPC_LOCK through), in area->charge:
 *
 * - a wired area's creator is charged when it is created;
 * - a lazy area's locker when it is locked, and a super-locker for every
 *   lazy area of the aspace that is not locked;
 * - a resize charges the growth to the resizer (who takes over the whole
 *   charge if it was another process's) and gives a shrink back;
 * - the charge goes back when the area is deleted, unlocked, or the
 *   super-lock is released (as long as nothing else pins the area).
 *
 * account_locked_vm() takes the process's mmap_lock, which the fault path
 * holds while it takes vmarena's locks: charges are made with no vmarena
 * lock held but r (which the fault path never takes), and only moved
 * between charge records under the aspace lock.
 *
 * area->charge (key "a" in area.h) is read with a held and written with a
 * held for writing: with r as well by everyone who changes a live area's
 * charge (creation aside, before the area is published), so that a
 * resize, which charges the growth before it takes a, finds it unchanged
 * once it does; and with a alone by deletion, which takes the charge out
 * of the area it unlinks and gives it back with no lock held.  Nothing
 * touches a deleted area's charge any more.
 */
#ifndef _VMARENA_MEMLOCK_H
#define _VMARENA_MEMLOCK_H

#include <linux/types.h>

struct mm_struct;

/* What one area has charged, and to whom (area->charge). */
struct vmarena_charge {
	struct mm_struct *mm;		/* grabbed */
	unsigned long pages;
};

int vmarena_memlock_init(void);
void vmarena_memlock_uninit(void);

int vmarena_memlock_charge(struct vmarena_charge *c, struct mm_struct *mm, unsigned long pages);
void vmarena_memlock_uncharge(struct vmarena_charge *c);
void vmarena_memlock_merge(struct vmarena_charge *dst, struct vmarena_charge *src);
void vmarena_memlock_split(struct vmarena_charge *c, struct vmarena_charge *out,
			   unsigned long pages);

#endif /* _VMARENA_MEMLOCK_H */
