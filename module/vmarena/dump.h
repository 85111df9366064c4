/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every core object can describe itself (vmarena_*_dump(), dump.c): into a
 * seq_file, which module/debugfs.c serves as /sys/kernel/debug/vmarena/,
 * or (pages, areas, fragments) with a NULL one into the kernel log.
 */
#ifndef _VMARENA_DUMP_H
#define _VMARENA_DUMP_H

#include <linux/compiler_attributes.h>

struct seq_file;

__printf(2, 3) void vmarena_dump_printf(struct seq_file *m, const char *fmt, ...);

#endif /* _VMARENA_DUMP_H */
