/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the core tells the world: arena-wide exhaustion, and locks that
 * end because their process is gone, which only the core sees happen.
 * Whoever reports it (the netlink family, module/netlink.c) registers its
 * operations here, so that the core calls out through one vector and
 * knows nothing of netlink.  Object changes (aspaces and areas created,
 * deleted, changed) are reported by module/ after the core call that made
 * them returns (except the end of a lock whose process exited or
 * exec'd); the structure generation is in aspace.h.
 */
#ifndef _VMARENA_EVENT_H
#define _VMARENA_EVENT_H

#include <linux/types.h>

struct vmarena_area;

/**
 * struct vmarena_event_ops - the receiver of the core's events
 * @commit_exhausted: a commit charge of @bytes was refused
 * @pool_exhausted: the page pool could not supply a page
 * @area_lock_ended: a lock on @area (referenced) ended because the
 *	process that held it exited or exec'd
 *
 * Context: @commit_exhausted and @pool_exhausted: any, including with
 * spinlocks held and in the page daemon: they only note the event (and
 * may let a worker send it).  @area_lock_ended: may sleep, no vmarena
 * lock held.
 */
struct vmarena_event_ops {
	void (*commit_exhausted)(u64 bytes);
	void (*pool_exhausted)(void);
	void (*area_lock_ended)(struct vmarena_area *area);
};

void vmarena_event_register(const struct vmarena_event_ops *ops);
void vmarena_event_unregister(void);

void vmarena_event_commit_exhausted(u64 bytes);
void vmarena_event_pool_exhausted(void);
void vmarena_event_area_lock_ended(struct vmarena_area *area);

#endif /* _VMARENA_EVENT_H */
