/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memlock accounting of wired memory: wired, already-wired and contiguous
 * areas count against the creating process's RLIMIT_MEMLOCK
 * (account_locked_vm(), which lets CAP_IPC_LOCK through) for the size
 * they were created with, and give the charge back when they go.  (A
 * resize does not change the charge: recharging would take the creator's
 * mmap_lock under vmarena's locks, which the fault path takes the other
 * way round.)
 */
#ifndef _VMARENA_WIRE_H
#define _VMARENA_WIRE_H

#include <linux/types.h>

struct mm_struct;

/* What one area has charged, and to whom (area->charge). */
struct vmarena_charge {
	struct mm_struct *mm;		/* grabbed */
	unsigned long pages;
};

int vmarena_wire_init(void);
void vmarena_wire_uninit(void);

int vmarena_wire_charge(struct vmarena_charge *c, struct mm_struct *mm, unsigned long pages);
void vmarena_wire_uncharge(struct vmarena_charge *c);

#endif /* _VMARENA_WIRE_H */
