/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between page.c and clear.c and pagedaemon.c only: the pool operations the
 * clear worker and the page daemon are built from.  Everyone else goes
 * through page.h.
 */
#ifndef _VMARENA_PAGE_INTERNAL_H
#define _VMARENA_PAGE_INTERNAL_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "page.h"

/* q (locking.h): private to the pool's three files. */
extern spinlock_t vmarena_pageq_lock;

struct vmarena_page *vmarena_pool_take_for_clear(unsigned long target, bool *zeroed);
void vmarena_pool_put_clear(struct vmarena_page *p);
bool vmarena_pool_clear_wanted_locked(unsigned long target);
unsigned long vmarena_pool_drain_clear(void);
struct vmarena_page *vmarena_pool_rotate_locked(enum vmarena_page_state state);
unsigned long vmarena_pool_count(enum vmarena_page_state state);

#endif /* _VMARENA_PAGE_INTERNAL_H */
