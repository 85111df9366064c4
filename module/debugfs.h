/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs: /sys/kernel/debug/vmarena/, the core's dumps for root
 * (debugfs.c has the files and what they print).
 */
#ifndef _VMARENA_DEBUGFS_H
#define _VMARENA_DEBUGFS_H

#include <linux/types.h>

struct vmarena_debugfs_aspace;

int vmarena_debugfs_init(void);
void vmarena_debugfs_uninit(void);

struct vmarena_debugfs_aspace *vmarena_debugfs_aspace_add(u32 id);
void vmarena_debugfs_aspace_remove(struct vmarena_debugfs_aspace *file);

#endif /* _VMARENA_DEBUGFS_H */
