/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures shared by the core's KUnit suites: an aspace per test, area
 * specs, and byte access to an aspace through the soft fault (what a user
 * load or store will do in the next layer up).
 */
#ifndef _VMARENA_KUNIT_FIXTURE_H
#define _VMARENA_KUNIT_FIXTURE_H

#include <kunit/test.h>

#include "module/vmarena/vmarena.h"

#define VT_BASE		0x10000000UL		/* where test aspaces start */
#define VT_SIZE		(64UL << 20)		/* and how big they are */
#define VT_PAGES(n)	((unsigned long)(n) << PAGE_SHIFT)

struct vmarena_aspace *vt_aspace(struct kunit *test, const char *name);
struct vmarena_area_spec vt_spec(const char *name, unsigned long pages, u32 protection);
struct vmarena_area *vt_keep(struct kunit *test, struct vmarena_area *area);
struct vmarena_area *vt_anon(struct kunit *test, struct vmarena_aspace *as, const char *name,
			     unsigned long pages, u32 protection);
struct vmarena_area *vt_clone(struct kunit *test, struct vmarena_aspace *as,
			      struct vmarena_area *source, bool shared, u32 protection);

int vt_poke(struct vmarena_aspace *as, unsigned long addr, u8 value);
int vt_peek(struct vmarena_aspace *as, unsigned long addr);
unsigned long vt_pfn(struct vmarena_aspace *as, unsigned long addr);
unsigned int vt_chain_depth(struct vmarena_area *area);
unsigned long vt_resident(struct vmarena_cache *cache);

void vt_pattern(struct page *page, u8 seed);
u32 vt_page_sum(struct page *page);
u32 vt_fill(struct kunit *test, struct vmarena_aspace *as, unsigned long addr, u8 seed);
u32 vt_sum(struct kunit *test, struct vmarena_aspace *as, unsigned long addr);

#endif /* _VMARENA_KUNIT_FIXTURE_H */
