/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault's own state, shared by its phases: lookup, find and map
 * (fault.c), prepare (fault_prepare.c), and the pages after the fault
 * (fault_ahead.c).  Nothing outside the fault includes this.
 */
#ifndef _VMARENA_FAULT_INTERNAL_H
#define _VMARENA_FAULT_INTERNAL_H

#include "vmarena.h"

/* How a phase ends (fault.c's head). */
enum vmarena_fault_step {
	VMARENA_STEP_NEXT,	/* on to the next phase, the locks held */
	VMARENA_STEP_DONE,	/* over: f->err is 0 or the error; the locks held */
	VMARENA_STEP_RESTART,	/* every lock dropped: start over from lookup */
	VMARENA_STEP_FAIL,	/* every lock dropped: over, f->err the error */
};

struct vmarena_fault {
	/* The request. */
	struct vmarena_aspace *as;
	unsigned long addr;
	unsigned int flags;
	vmarena_fault_install_t install;
	vmarena_fault_around_t around;
	unsigned long around_max;
	void *install_arg;
	struct vmarena_fault_result *res;	/* when there is no @install */
	/* Lookup. */
	struct vmarena_area *area;
	struct vmarena_cache *top;
	pgoff_t offset;
	u32 area_id;
	/* Find and prepare. */
	const struct vmarena_fault_case *row;
	struct vmarena_cache *found;		/* see VMARENA_OWNER_FOUND */
	struct vmarena_page *page;		/* NULL: mapped by pfn */
	unsigned long pfn;			/* what a mapped row found mapped */
	u32 prot;
	bool prepared;				/* this try's row was carried out */
	/* Kept across tries. */
	const struct vmarena_fault_case *read_row;	/* the row that read the page */
	struct page *file_page;			/* a file's page read with no lock held, */
	struct vmarena_cache *file_cache;	/* for a retry to attach (references) */
	pgoff_t file_offset;
	unsigned int ahead;			/* pages filled ahead */
	int err;
};

static inline const struct vmarena_fault_case *
vmarena_fault_row(enum vmarena_fault_where where, unsigned int flags)
{
	return &vmarena_fault_cases[where * 2 + !!(flags & VMARENA_FAULT_WRITE)];
}

/* The cache that owns the page after the fault, by the row (fault.h). */
static inline struct vmarena_cache *vmarena_fault_owner(const struct vmarena_fault *f)
{
	return f->row->owner == VMARENA_OWNER_TOP ? f->top : f->found;
}

/* A phase found where the page is: on, by the row of @where. */
static inline enum vmarena_fault_step vmarena_fault_found(struct vmarena_fault *f,
							  enum vmarena_fault_where where)
{
	f->row = vmarena_fault_row(where, f->flags);
	return VMARENA_STEP_NEXT;
}

/* A phase ends the fault with @err, the locks still held. */
static inline enum vmarena_fault_step vmarena_fault_done(struct vmarena_fault *f, int err)
{
	f->err = err;
	return VMARENA_STEP_DONE;
}

void vmarena_fault_unlock(struct vmarena_fault *f);
enum vmarena_fault_step vmarena_fault_prepare(struct vmarena_fault *f);
void vmarena_fault_put_file(struct vmarena_fault *f);
void vmarena_fault_around(struct vmarena_fault *f);

#endif /* _VMARENA_FAULT_INTERNAL_H */
