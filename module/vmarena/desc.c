// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptions of aspaces, cache chains and mapped pages for the
 * reporters (desc.h): the locks are taken here, in the order of
 * locking.h, so that the order is known in one place.
 */
#include <linux/string.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "desc.h"

/**
 * vmarena_aspace_get_desc() - describe @as
 * @as: held by the caller
 * @d: filled
 *
 * Context: no vmarena lock held; takes a for reading.  Sleeps.
 */
void vmarena_aspace_get_desc(struct vmarena_aspace *as, struct vmarena_aspace_desc *d)
{
	d->id = as->id;
	strscpy(d->name, as->name, sizeof(d->name));
	d->base = as->base;
	d->size = as->size;
	d->owner = as->owner;
	d->faults = vmarena_aspace_faults(as);
	down_read(&as->lock);
	d->areas = as->nr_areas;
	d->superlocked = as->superlocked;
	up_read(&as->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_get_desc);

/* Context: c of @cache's chain held. */
static void vmarena_cache_get_desc(struct vmarena_cache *cache, struct vmarena_cache_desc *d)
{
	struct vmarena_cache *consumer;

	lockdep_assert_held(&cache->lock);
	memset(d, 0, sizeof(*d));
	d->id = cache->id;
	d->source_id = cache->source ? cache->source->id : 0;
	d->store = cache->store->ops->type;
	d->temporary = cache->temporary;
	d->resident = cache->resident;
	d->pages = cache->virtual_end;
	d->areas = cache->nr_areas;
	list_for_each_entry(consumer, &cache->consumers, consumer_link) {
		if (d->nr_consumers == VMARENA_CACHE_DESC_CONSUMERS)
			break;
		d->consumers[d->nr_consumers++] = consumer->id;
	}
}

/**
 * vmarena_area_chain_desc() - describe @area's cache chain, top first
 * @area: referenced by the caller
 * @d: room for @max descriptions
 * @max: at most this many caches are described
 *
 * Context: no vmarena lock held; takes a for reading, then c down the
 * chain.  Sleeps.
 * Return: how many caches were described, or -ENOENT (@area deleted).
 */
int vmarena_area_chain_desc(struct vmarena_area *area, struct vmarena_cache_desc *d,
			    unsigned int max)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_cache *top, *cache;
	unsigned int n = 0;

	down_read(&as->lock);
	if (area->deleted) {
		up_read(&as->lock);
		return -ENOENT;
	}
	top = area->cache;
	vmarena_cache_get(top);
	up_read(&as->lock);

	vmarena_cache_lock_chain(top);
	for (cache = top; cache && n < max; cache = cache->source)
		vmarena_cache_get_desc(cache, &d[n++]);
	vmarena_cache_unlock_chain(top);
	vmarena_cache_put(top);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_chain_desc);

struct vmarena_page_desc_walk {
	struct vmarena_ptfrag *frag;	/* walked */
	unsigned long base;		/* the area's */
	struct vmarena_page_desc *d;
	unsigned int max, n;
};

/*
 * One mapped page, described by vmarena_page_get_desc() (f -> q is in
 * order).
 * Context: a held for reading, f held (the walk's); takes q.
 */
static int vmarena_page_desc_visit(void *arg, unsigned long va,
				   const struct vmarena_pte_info *info)
{
	struct vmarena_page_desc_walk *w = arg;
	struct vmarena_page_desc *d;

	lockdep_assert_held(&w->frag->lock);
	if (w->n == w->max)
		return 1;
	d = &w->d[w->n++];
	memset(d, 0, sizeof(*d));
	d->offset = (va - w->base) >> PAGE_SHIFT;
	d->address = va;
	d->phys = PFN_PHYS(info->pfn);
	d->prot = info->prot;
	vmarena_page_get_desc(info->pfn, d);
	return 0;
}

/**
 * vmarena_area_page_descs() - describe the pages @area maps, from @offset on
 * @area: referenced by the caller
 * @offset: the first page to look at, in pages from the area's start
 * @d: room for @max descriptions
 * @max: at most this many pages are described
 * @n: gets how many were
 *
 * Context: no vmarena lock held; takes a for reading, f, and q.  Sleeps.
 * Return: 0 when every mapped page from @offset on was described, 1 when
 * @d filled up first, -ENOENT (@area deleted).
 */
int vmarena_area_page_descs(struct vmarena_area *area, u64 offset, struct vmarena_page_desc *d,
			    unsigned int max, unsigned int *n)
{
	struct vmarena_page_desc_walk w = {
		.frag = &area->aspace->frag,
		.base = area->base,
		.d = d,
		.max = max,
	};
	unsigned long start, size;
	int ret = -ENOENT;

	down_read(&area->aspace->lock);
	size = area->size;
	if (!area->deleted) {
		ret = 0;
		if (offset < size >> PAGE_SHIFT) {
			start = offset << PAGE_SHIFT;
			ret = vmarena_ptfrag_walk(w.frag, area->base + start, size - start,
						  vmarena_page_desc_visit, &w);
		}
	}
	up_read(&area->aspace->lock);
	*n = w.n;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_page_descs);
