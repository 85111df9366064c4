/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptions of core objects for those who report them (the netlink
 * family, debugfs): each is taken under the core's locks, in the order of
 * locking.h, into plain values; the reporter takes no core lock itself.
 * vmarena_area_get_info() (area.h) describes an area the same way.
 */
#ifndef _VMARENA_DESC_H
#define _VMARENA_DESC_H

#include <linux/types.h>
#include <linux/uidgid.h>

#include "uapi/vmarena.h"

struct vmarena_aspace;
struct vmarena_area;

struct vmarena_aspace_desc {
	u32 id;
	char name[VMARENA_NAME_MAX];
	unsigned long base, size;
	kuid_t owner;
	u64 faults;
	u32 areas;
	bool superlocked;
};

void vmarena_aspace_get_desc(struct vmarena_aspace *as, struct vmarena_aspace_desc *d);

/* One cache of a chain; its first consumers' ids. */
#define VMARENA_CACHE_DESC_CONSUMERS	64
struct vmarena_cache_desc {
	u32 id, source_id, store, areas;
	bool temporary;
	u64 resident, pages;
	unsigned int nr_consumers;
	u32 consumers[VMARENA_CACHE_DESC_CONSUMERS];
};

int vmarena_area_chain_desc(struct vmarena_area *area, struct vmarena_cache_desc *d,
			    unsigned int max);

/* One page an area maps in its aspace's fragments. */
struct vmarena_page_desc {
	u64 offset;		/* in the area, in pages */
	u64 address;
	u64 phys;
	u32 prot;
	bool arena;		/* an arena page (else device memory): the rest is set */
	u32 state, wired_count, usage, cache_id;
};

int vmarena_area_page_descs(struct vmarena_area *area, u64 offset, struct vmarena_page_desc *d,
			    unsigned int max, unsigned int *n);

#endif /* _VMARENA_DESC_H */
