/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arena's swap space: one shmem file for the whole arena, cut into
 * page-sized slots, and the map of which slots are in use.  A page that is
 * paged out is written to a slot of its own; the file lives in the kernel's
 * tmpfs, so the kernel's own swap can carry it further.  Anonymous stores
 * (store_anon.c) keep the slot of each page they paged out.
 *
 * The slot map is locked by s (locking.h), a spinlock that is a leaf: the
 * slot I/O itself runs with no vmarena lock held.
 */
#ifndef _VMARENA_SWAP_H
#define _VMARENA_SWAP_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct page;

int vmarena_swap_init(void);
void vmarena_swap_uninit(void);

int vmarena_swap_alloc(u32 *slot);
void vmarena_swap_free(u32 slot);
int vmarena_swap_write(u32 slot, struct page *page);
int vmarena_swap_read(u32 slot, struct page *page);
void vmarena_swap_stats(u64 *used, u64 *total);

/* Test hook, exported to the KUnit module only (EXPORT_SYMBOL_IF_KUNIT). */
#if IS_ENABLED(CONFIG_KUNIT)
u32 vmarena_swap_set_limit(u32 slots);
#endif

#endif /* _VMARENA_SWAP_H */
