// SPDX-License-Identifier: GPL-2.0
/*
 * Page I/O on a kernel file (pageio.h).
 */
#include <linux/fs.h>
#include <linux/highmem.h>

#include "pageio.h"

/**
 * vmarena_page_io() - read or write the first @len bytes of @page at @pos
 * @file: open for the direction asked
 * @pos: file offset
 * @page: the data; mapped here with kmap_local_page()
 * @len: at most PAGE_SIZE
 * @write: write the page to the file, else read the file into the page
 *
 * Context: no vmarena lock held but d (the file's own locks are taken).
 * Sleeps.
 * Return: the bytes moved (fewer than @len at the end of the file), or the
 * file's error.
 */
ssize_t vmarena_page_io(struct file *file, loff_t pos, struct page *page, size_t len,
			bool write)
{
	void *buf = kmap_local_page(page);
	size_t done = 0;
	ssize_t ret;

	might_sleep();
	while (done < len) {
		if (write)
			ret = kernel_write(file, buf + done, len - done, &pos);
		else
			ret = kernel_read(file, buf + done, len - done, &pos);
		if (ret <= 0)
			break;
		done += ret;
	}
	kunmap_local(buf);
	return ret < 0 ? ret : done;
}
