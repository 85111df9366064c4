/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soft fault (NewOS vm_soft_fault): make an address of an aspace
 * resident and mapped in its fragments, for the access asked.
 */
#ifndef _VMARENA_FAULT_H
#define _VMARENA_FAULT_H

#include <linux/types.h>

struct page;
struct vmarena_aspace;

/* Access kinds. */
#define VMARENA_FAULT_READ	0x1
#define VMARENA_FAULT_WRITE	0x2
#define VMARENA_FAULT_EXEC	0x4
/* Internal flags (wiring.c, superlock.c). */
#define VMARENA_FAULT_WIRE	0x100	/* wire the page */
#define VMARENA_FAULT_EXISTING	0x200	/* only pages some cache holds: -ENOENT */

/* How a fault ended (the vmarena_fault tracepoint's outcome, trace.h). */
enum vmarena_fault_outcome {
	VMARENA_OUTCOME_ERROR,		/* refused or failed */
	VMARENA_OUTCOME_MAPPED,		/* already in the fragments */
	VMARENA_OUTCOME_MINOR,		/* resident in the chain, mapped now */
	VMARENA_OUTCOME_ZERO,		/* a new zero-filled page */
	VMARENA_OUTCOME_COW,		/* a write copied a lower cache's page up */
	VMARENA_OUTCOME_PAGEIN,		/* read from swap or from the file first */
	VMARENA_OUTCOME_DEVICE,		/* device memory, by pfn */
};

/* What a fault made resident. */
struct vmarena_fault_result {
	struct page *page;	/* with a reference (put_page()); NULL for device memory */
	unsigned long pfn;
	u32 prot;		/* the protection it is mapped with */
	enum vmarena_fault_outcome outcome;	/* what the fault did (also on failure) */
};

/*
 * The case table (fault.c): where a fault finds the page, and for a read or
 * a write what it does, which cache owns the page after, and how it counts.
 * Rows are in the order of (where, write): vmarena_fault_cases[where * 2 +
 * write].  A busy page has no row: the fault waits and starts over.
 */
enum vmarena_fault_where {
	VMARENA_WHERE_MAPPED,		/* the fragments map it well enough */
	VMARENA_WHERE_TOP,		/* resident in the area's own cache */
	VMARENA_WHERE_BELOW,		/* resident in a lower cache of the chain */
	VMARENA_WHERE_NONE,		/* nowhere: the chain shows zeros */
	VMARENA_WHERE_STORE,		/* in a cache's store (swap), not resident */
	VMARENA_WHERE_FILE,		/* in a file cache's file, not attached */
	VMARENA_WHERE_DEVICE,		/* device memory: a pfn the store names */
	VMARENA_WHERE_NR,
};

/* What the prepare phase does for a row. */
enum vmarena_fault_prepare {
	VMARENA_PREPARE_NOTHING,	/* the page is there */
	VMARENA_PREPARE_ZERO,		/* a new zero-filled page */
	VMARENA_PREPARE_COPY_UP,	/* copy the lower cache's page into the top */
	VMARENA_PREPARE_READ_STORE,	/* read it in with no lock held, start over */
	VMARENA_PREPARE_READ_FILE,	/* attach the file's page, or read it and start over */
};

/* Which cache owns the page after the fault. */
enum vmarena_fault_owner {
	VMARENA_OWNER_FOUND,		/* where it was found; for none, the bottom cache */
	VMARENA_OWNER_TOP,		/* the area's own cache */
	VMARENA_OWNER_NONE,		/* no page: mapped by pfn */
};

struct vmarena_fault_case {
	u8 where;		/* enum vmarena_fault_where */
	u8 access;		/* VMARENA_FAULT_READ or VMARENA_FAULT_WRITE */
	u8 prepare;		/* enum vmarena_fault_prepare */
	u8 owner;		/* enum vmarena_fault_owner */
	u8 outcome;		/* enum vmarena_fault_outcome */
	u8 stat;		/* enum vmarena_stat it counts in; VMARENA_STAT_NR: none */
};

#define VMARENA_FAULT_CASES	(VMARENA_WHERE_NR * 2)
extern const struct vmarena_fault_case vmarena_fault_cases[VMARENA_FAULT_CASES];

/*
 * Called by the fault with the aspace and the page's cache chain locked,
 * after the page is mapped in the fragments: whatever it installs (a user
 * PTE) cannot race with the page's removal, which needs those locks.
 * @page is NULL for what is mapped by pfn, without a page reference:
 * device memory, and a file's page-cache pages (store_file.c).
 */
typedef int (*vmarena_fault_install_t)(void *arg, struct page *page, unsigned long pfn,
				       u32 prot);

int vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
		  struct vmarena_fault_result *res);
int vmarena_fault_install(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
			  vmarena_fault_install_t install, void *arg);

/*
 * Fault-around: after the faulting page, the resident pages that follow it
 * in the same area (at most VMARENA_FAULT_AROUND), handed over in one batch
 * under the same locks, so that the caller can map them too.
 */
#define VMARENA_FAULT_AROUND	16
/*
 * @writable: how many of the first pages may be mapped writable: the arena
 * maps them writable and already counts them as modified (pages a write
 * fault filled ahead, fault_ahead.c), so a write to them has nothing to
 * record.  The others are mapped for reading only.
 */
typedef void (*vmarena_fault_around_t)(void *arg, unsigned long addr, struct page **pages,
				       unsigned long count, unsigned long writable);

int vmarena_fault_install_around(struct vmarena_aspace *as, unsigned long addr,
				 unsigned int access, vmarena_fault_install_t install,
				 vmarena_fault_around_t around, unsigned long max, void *arg);
int __vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int flags,
		    struct vmarena_fault_result *res);

/* Fault-ahead (fault_ahead.c): sequential zero fills fill the next pages. */
#define VMARENA_FAULT_AHEAD_DEFAULT	16
struct vmarena_area;
struct vmarena_cache;
unsigned long vmarena_fault_ahead(struct vmarena_aspace *as, struct vmarena_area *area,
				  struct vmarena_cache *cache, unsigned long addr, pgoff_t offset,
				  unsigned long max, u32 prot, unsigned int state);
/* Populating windows (populate.c). */
#define VMARENA_POPULATE_BATCH	64
#define VMARENA_POPULATE_WIRED	0x1
/*
 * @by_pfn: the pages are a file's page-cache pages, to be mapped by pfn
 * (special PTEs, without a page reference: store_file.c), not by page.
 */
typedef void (*vmarena_populate_t)(void *arg, unsigned long addr, struct page **pages,
				   unsigned long count, u32 prot, bool by_pfn);
void vmarena_populate(struct vmarena_aspace *as, unsigned long start, unsigned long end,
		      unsigned int flags, vmarena_populate_t cb, void *arg);

int vmarena_get_page_mapping(struct vmarena_aspace *as, unsigned long addr,
			     phys_addr_t *phys);

#endif /* _VMARENA_FAULT_H */
