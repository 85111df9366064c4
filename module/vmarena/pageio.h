/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page I/O on a kernel file (the file store, the swap file).
 */
#ifndef _VMARENA_PAGEIO_H
#define _VMARENA_PAGEIO_H

#include <linux/types.h>

struct file;
struct page;

ssize_t vmarena_page_io(struct file *file, loff_t pos, struct page *page, size_t len,
			bool write);

#endif /* _VMARENA_PAGEIO_H */
