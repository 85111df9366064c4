/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paging out (pageout.c): what the page daemon will call for each page it
 * takes away from the arena.
 */
#ifndef _VMARENA_PAGEOUT_H
#define _VMARENA_PAGEOUT_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct vmarena_cache;

/* Exported to the KUnit module only (EXPORT_SYMBOL_IF_KUNIT) for now. */
#if IS_ENABLED(CONFIG_KUNIT)
int vmarena_pageout_page(struct vmarena_cache *cache, pgoff_t offset);
#endif

#endif /* _VMARENA_PAGEOUT_H */
