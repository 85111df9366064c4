/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event subscriptions of the "vmarena" netlink family for users without
 * CAP_SYS_ADMIN (VMARENA_CMD_EVENTS_SUBSCRIBE, uapi/vmarena.h).
 */
#ifndef _VMARENA_NLSUB_H
#define _VMARENA_NLSUB_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct sk_buff;

int vmarena_nlsub_init(void);
void vmarena_nlsub_uninit(void);

int vmarena_nlsub_reserve(u32 portid, kuid_t uid);
void vmarena_nlsub_activate(u32 portid);
void vmarena_nlsub_remove(u32 portid);
bool vmarena_nlsub_any(void);
void vmarena_nlsub_send(const struct sk_buff *msg, kuid_t owner);

#endif /* _VMARENA_NLSUB_H */
