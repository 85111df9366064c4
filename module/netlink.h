/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VMARENA_NETLINK_H
#define _VMARENA_NETLINK_H

#include <linux/types.h>

struct vmarena_area;
struct vmarena_aspace;

int vmarena_netlink_init(void);
void vmarena_netlink_uninit(void);

/*
 * Events for the "events" group, sent by the module after the core call
 * that made the change returned (no vmarena lock held; may sleep).
 * @cmd is a VMARENA_CMD_EVT_* of uapi/vmarena.h.
 */
void vmarena_netlink_aspace_event(u8 cmd, struct vmarena_aspace *as);
void vmarena_netlink_area_event(u8 cmd, struct vmarena_area *area);

#endif /* _VMARENA_NETLINK_H */
