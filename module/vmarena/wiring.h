/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wiring records: which pages an area wires (area.h, "Wiring"), and
 * faulting a range of an aspace in to wire it or make it resident.
 * wiring.c.  Lock keys: locking.h.
 */
#ifndef _VMARENA_WIRING_H
#define _VMARENA_WIRING_H

#include <linux/types.h>

struct vmarena_area;
struct vmarena_aspace;
struct vmarena_page;

int vmarena_area_wire_page(struct vmarena_area *area, unsigned long index,
			   struct vmarena_page *page);
void vmarena_area_rewire_page(struct vmarena_area *area, unsigned long index,
			      struct vmarena_page *old, struct vmarena_page *new);
void vmarena_area_unwire_range(struct vmarena_area *area, unsigned long start,
			       unsigned long end);
int vmarena_area_wire_range(struct vmarena_area *area, unsigned long start,
			    unsigned long end);
unsigned int vmarena_area_fill_access(u32 protection, bool write);
int vmarena_area_fault_range(struct vmarena_aspace *as, unsigned long start,
			     unsigned long end, unsigned int access);

#endif /* _VMARENA_WIRING_H */
