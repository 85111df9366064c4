/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Area lock levels: QNX locks taken and released by processes (their
 * records are lockrec.h's), and what a lock makes resident.  arealock.c.
 * Lock keys: locking.h.
 */
#ifndef _VMARENA_AREALOCK_H
#define _VMARENA_AREALOCK_H

#include <linux/types.h>

struct mm_struct;
struct vmarena_area;
struct vmarena_charge;

int vmarena_area_set_lock(struct vmarena_area *area, unsigned int level, struct mm_struct *mm);
int vmarena_area_change_lock(struct vmarena_area *area, unsigned int level,
			     struct mm_struct *mm, bool *changed);
void vmarena_area_relock(struct vmarena_area *area, struct vmarena_charge *back);
int vmarena_area_lock_fill(struct vmarena_area *area);

#endif /* _VMARENA_AREALOCK_H */
