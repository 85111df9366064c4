/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paging out (pageout.c): what the page daemon calls for each page it takes
 * away from the arena.
 */
#ifndef _VMARENA_PAGEOUT_H
#define _VMARENA_PAGEOUT_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct vmarena_cache;

int vmarena_pageout_page(struct vmarena_cache *cache, pgoff_t offset);
bool vmarena_pageout_cache_allowed(struct vmarena_cache *cache);

#endif /* _VMARENA_PAGEOUT_H */
