/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The super-lock of an aspace (QNX): every page of every area resident,
 * wired and mapped, held by the processes that took it (lockrec.h).
 * superlock.c.  Lock keys: locking.h.
 */
#ifndef _VMARENA_SUPERLOCK_H
#define _VMARENA_SUPERLOCK_H

#include <linux/types.h>

struct mm_struct;
struct vmarena_aspace;

int vmarena_aspace_superlock(struct vmarena_aspace *as, bool on, struct mm_struct *mm);
void vmarena_aspace_superlock_sweep(struct vmarena_aspace *as);

#endif /* _VMARENA_SUPERLOCK_H */
