/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resize: an area and every area that shares its cache change size
 * together, with every aspace they live in locked.  resize.c.  Lock keys:
 * locking.h.
 */
#ifndef _VMARENA_RESIZE_H
#define _VMARENA_RESIZE_H

#include <linux/gfp.h>
#include <linux/types.h>

struct mm_struct;
struct vmarena_area;
struct vmarena_area_growth;
struct vmarena_aspace;
struct vmarena_cache;
struct vmarena_charge;

int vmarena_area_resize(struct vmarena_area *area, unsigned long new_size,
			struct mm_struct *mm);

/*
 * The areas a resize changes, and what it holds for them: each area (with
 * a reference), its aspace (held; sorted by id once locked), the memlock
 * charge made for its growth, and the wired areas that grew
 * (NULL-terminated, each with a reference), to be wired afterwards.
 */
struct vmarena_sharers {
	struct vmarena_area **areas;
	struct vmarena_aspace **set;
	struct vmarena_charge *charges;
	struct vmarena_area_growth *grown;
	unsigned int n;
};

/* The sharers of a cache, for resize.c and copy.c.  Context: r held. */
int vmarena_sharers_collect(struct vmarena_sharers *sh, struct vmarena_cache *cache,
			    struct vmarena_area *area, bool alone, gfp_t gfp);
void vmarena_sharers_lock(struct vmarena_sharers *sh);
void vmarena_sharers_unlock(struct vmarena_sharers *sh);
void vmarena_sharers_drop(struct vmarena_sharers *sh);
void vmarena_sharers_free(struct vmarena_sharers *sh);
bool vmarena_area_sharers_in(struct vmarena_cache *cache, struct vmarena_aspace **set,
			     unsigned int n);

#endif /* _VMARENA_RESIZE_H */
