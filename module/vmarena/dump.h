/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every core object can describe itself (vmarena_*_dump()): into a
 * seq_file (debugfs) or, when there is none, into the kernel log.
 */
#ifndef _VMARENA_DUMP_H
#define _VMARENA_DUMP_H

#include <linux/compiler_attributes.h>

struct seq_file;

__printf(2, 3) void vmarena_dump_printf(struct seq_file *m, const char *fmt, ...);

#endif /* _VMARENA_DUMP_H */
