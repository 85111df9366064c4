/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page daemon (pagedaemon.c): a kernel thread that pages out arena
 * pages when the pool runs low under its cap.
 */
#ifndef _VMARENA_PAGEDAEMON_H
#define _VMARENA_PAGEDAEMON_H

#include <linux/types.h>

struct vmarena_cache;

int vmarena_pagedaemon_init(void);
void vmarena_pagedaemon_uninit(void);
void vmarena_pagedaemon_wake(void);
bool vmarena_pagedaemon_reclaim(void);
void vmarena_pagedaemon_watermarks(unsigned long max_pages, unsigned long *low,
				   unsigned long *high);

/* Test hooks, exported to the KUnit module only (EXPORT_SYMBOL_IF_KUNIT). */
#if IS_ENABLED(CONFIG_KUNIT)
int vmarena_pagedaemon_run_sync(unsigned long timeout_ms);
void vmarena_pagedaemon_pause(bool pause);
#endif

#endif /* _VMARENA_PAGEDAEMON_H */
