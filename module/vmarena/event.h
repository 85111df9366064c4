/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the core tells the world: arena-wide exhaustion, which only the
 * core sees happen.  The functions are implemented outside the core (by
 * the netlink family, module/netlink.c), so that the core knows nothing of
 * netlink.  Object changes (aspaces and areas created, deleted, changed)
 * are reported by module/ after the core call that made them returns; the
 * structure generation is in aspace.h.
 */
#ifndef _VMARENA_EVENT_H
#define _VMARENA_EVENT_H

#include <linux/types.h>

/*
 * A commit charge of @bytes was refused; the page pool could not supply a
 * page.  Context: any, including with spinlocks held and in the page
 * daemon: they only note the event and let a worker send it.  Events of
 * one kind that come faster than the worker sends them are coalesced.
 */
void vmarena_event_commit_exhausted(u64 bytes);
void vmarena_event_pool_exhausted(void);

#endif /* _VMARENA_EVENT_H */
