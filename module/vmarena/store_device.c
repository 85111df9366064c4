// SPDX-License-Identifier: GPL-2.0
/*
 * The device store: a physical range mapped page by page, without arena
 * pages.  It accepts RAM only where the arena itself owns every page of the
 * range and one cache holds them all (a contiguous area's run: the store
 * keeps that cache, and so the run, alive); anything else must be I/O
 * memory that no driver has claimed, and the store claims it for as long
 * as it lives.  Who may map a device range at all is the ioctl layer's
 * business (CAP_SYS_RAWIO).
 */
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

struct vmarena_store_device {
	struct vmarena_store store;
	unsigned long base_pfn;			/* - */
	unsigned long pages;			/* - */
	struct resource *claim;			/* -: I/O memory we claimed */
	struct vmarena_cache *owner;		/* -: the cache owning arena RAM */
};

static struct vmarena_store_device *to_device(struct vmarena_store *store)
{
	return container_of(store, struct vmarena_store_device, store);
}

/* The store's pfn (store.h).  Context: c of the store's cache held. */
static int vmarena_store_device_pfn(struct vmarena_store *store, pgoff_t offset,
				    unsigned long *pfn)
{
	struct vmarena_store_device *dev = to_device(store);

	if (offset >= dev->pages)
		return -EFAULT;
	*pfn = dev->base_pfn + offset;
	return 0;
}

/* Context: no c held (its cache is gone); takes the owner's, if last.  May sleep. */
static void vmarena_store_device_destroy(struct vmarena_store *store)
{
	struct vmarena_store_device *dev = to_device(store);

	if (dev->claim)
		release_mem_region(PFN_PHYS(dev->base_pfn), dev->pages << PAGE_SHIFT);
	if (dev->owner)
		vmarena_cache_put(dev->owner);
	kfree(dev);
}

/* Context: c of the store's cache held. */
static void vmarena_store_device_dump(struct vmarena_store *store, struct seq_file *m)
{
	struct vmarena_store_device *dev = to_device(store);

	vmarena_dump_printf(m, "device store: pfn %#lx, %lu pages, %s\n", dev->base_pfn,
			    dev->pages, dev->owner ? "arena RAM" : "I/O memory");
}

static const struct vmarena_store_ops vmarena_store_device_ops = {
	.type = VMARENA_STORE_DEVICE,
	.name = "device",
	.pfn = vmarena_store_device_pfn,
	.destroy = vmarena_store_device_destroy,
	.dump = vmarena_store_device_dump,
};

/*
 * Is [pfn, pfn + pages) arena RAM held by one cache?  Returns that cache
 * with a reference, NULL if no page of the range is RAM, or an ERR_PTR.
 * Context: no c held; takes the owner's c.  May sleep.
 */
static struct vmarena_cache *vmarena_store_device_ram_owner(unsigned long pfn,
							    unsigned long pages)
{
	struct vmarena_cache *owner = NULL;
	struct vmarena_page *page;
	unsigned long i;
	bool ram = false;

	for (i = 0; i < pages; i++)
		ram |= page_is_ram(pfn + i);
	if (!ram)
		return NULL;

	page = vmarena_page_from_pfn(pfn);
	if (!page || !page->cache)
		return ERR_PTR(-EPERM);
	owner = page->cache;
	if (!kref_get_unless_zero(&owner->ref))
		return ERR_PTR(-EPERM);
	/* With the owner locked its pages stay put: check every one. */
	mutex_lock(&owner->lock);
	for (i = 0; i < pages; i++) {
		page = vmarena_page_from_pfn(pfn + i);
		if (!page || page->cache != owner ||
		    page->identity != VMARENA_PAGE_ID_CACHE)
			break;
	}
	mutex_unlock(&owner->lock);
	if (i < pages) {
		vmarena_cache_put(owner);
		return ERR_PTR(-EPERM);
	}
	return owner;
}

/**
 * vmarena_store_device_create() - a store over physical memory
 * @base: page-aligned physical address
 * @size: page-aligned length in bytes, not zero
 *
 * Returns the store or an ERR_PTR: -EINVAL for a misaligned, empty or
 * overflowing range, or one beyond the physical addresses the machine has
 * (iomem_resource); -EPERM for RAM the arena does not own in one cache;
 * -EBUSY for I/O memory that someone else claimed; -ENOMEM.
 *
 * Context: no c held; takes c of the RAM's owner.  May sleep.
 */
struct vmarena_store *vmarena_store_device_create(phys_addr_t base, u64 size)
{
	struct vmarena_store_device *dev;
	struct vmarena_cache *owner;

	might_sleep();
	if (!size || !PAGE_ALIGNED(base) || !PAGE_ALIGNED(size) || base + size < base ||
	    PHYS_PFN(base + size - 1) > PHYS_PFN(PHYS_ADDR_MAX) ||
	    base + size - 1 > iomem_resource.end)
		return ERR_PTR(-EINVAL);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->store.ops = &vmarena_store_device_ops;
	dev->base_pfn = PHYS_PFN(base);
	dev->pages = size >> PAGE_SHIFT;

	owner = vmarena_store_device_ram_owner(dev->base_pfn, dev->pages);
	if (IS_ERR(owner)) {
		kfree(dev);
		return ERR_CAST(owner);
	}
	dev->owner = owner;
	if (!owner) {
		dev->claim = request_mem_region(base, size, "vmarena");
		if (!dev->claim) {
			kfree(dev);
			return ERR_PTR(-EBUSY);
		}
	}
	return &dev->store;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_device_create);
