/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page daemon (pagedaemon.c): a kernel thread that pages out arena
 * pages when the pool runs low under its cap.
 */
#ifndef _VMARENA_PAGEDAEMON_H
#define _VMARENA_PAGEDAEMON_H

#include <linux/types.h>

#include "page.h"

struct vmarena_cache;

/* What one look of the clock hand at a page did (vmarena_pagedaemon_age()). */
enum vmarena_pagedaemon_visit {
	VMARENA_VISIT_EMPTY,		/* the queue is empty */
	VMARENA_VISIT_SKIPPED,		/* not pageable, or refused */
	VMARENA_VISIT_AGED,		/* used lately, usage decayed, or deactivated */
	VMARENA_VISIT_VICTIM,		/* to page out */
	VMARENA_VISIT_FREED,		/* paged out */
};

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
int vmarena_pagedaemon_age(struct vmarena_cache *cache, pgoff_t offset,
			   enum vmarena_page_state state);
#endif

#endif /* _VMARENA_PAGEDAEMON_H */
