/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Teams: the aspace a process publishes as its own, so that others can
 * name it by pid (VMARENA_IOC_TEAM_PUBLISH and _OPEN), as Haiku names a
 * team's address space by team id for transfer_area().
 */
#ifndef _VMARENA_TEAM_H
#define _VMARENA_TEAM_H

#include <linux/types.h>

struct vmarena_handle;

int vmarena_team_publish(struct vmarena_handle *h);
struct vmarena_handle *vmarena_team_open(pid_t nr);
void vmarena_team_forget(struct vmarena_handle *h);

#endif /* _VMARENA_TEAM_H */
