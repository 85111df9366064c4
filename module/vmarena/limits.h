/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user caps (module parameters max_aspaces_per_user,
 * max_areas_per_user, max_commit_per_user): how many aspaces and areas one
 * user (euid) may hold, and how many bytes its areas may count.  Over a cap
 * the operation fails with EDQUOT.  Field keys: locking.h (u).
 *
 * An aspace counts against the user that created it, until it is deleted.
 * An area counts against its creator (area->owner) until it is deleted;
 * anonymous and file areas and private clones also count their size as
 * committed bytes, shared clones, null and device areas count none (they
 * add no memory).  A resize charges or refunds the difference to the
 * resized area's creator, if that area counts its size; the other areas
 * sharing its memory keep what they counted.
 */
#ifndef _VMARENA_LIMITS_H
#define _VMARENA_LIMITS_H

#include <linux/types.h>
#include <linux/uidgid.h>

/* What one area counts, and against whom (area->limit). */
struct vmarena_limit_charge {
	kuid_t uid;			/* u */
	unsigned long bytes;		/* u: committed bytes it counts */
	bool charged;			/* u: counts one area */
};

int vmarena_limits_init(void);
void vmarena_limits_uninit(void);

int vmarena_limits_charge_aspace(kuid_t uid);
void vmarena_limits_uncharge_aspace(kuid_t uid);
int vmarena_limits_charge_area(struct vmarena_limit_charge *c, kuid_t uid, unsigned long bytes);
void vmarena_limits_uncharge_area(struct vmarena_limit_charge *c);
int vmarena_limits_resize_area(struct vmarena_limit_charge *c, unsigned long bytes,
			       unsigned long *old, bool force);

#endif /* _VMARENA_LIMITS_H */
