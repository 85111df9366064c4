// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps: every core object describes itself, in text, into a seq_file
 * (the debugfs files of module/debugfs.c); pages, areas and fragments
 * also into the kernel log (a NULL seq_file), one line each.  The
 * walks that take more than one object's lock live here, so that the
 * layer that prints them takes no core lock itself.  Lock keys: locking.h.
 *
 * One line per object, "noun id ..." and then "key value" pairs, so that
 * a script (tests/user/debugfs_test.c) can parse them; a cache chain is
 * drawn as `vmarenactl cache show` draws it.
 */
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

/**
 * vmarena_dump_printf() - print a line of an object's dump
 * @m: the seq_file to print into, or NULL for the kernel log
 * @fmt: printf format
 *
 * Context: any (the seq_file's own lock held by its reader, for @m).
 */
void vmarena_dump_printf(struct seq_file *m, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	if (m) {
		seq_vprintf(m, fmt, args);
	} else {
		vaf.fmt = fmt;
		vaf.va = &args;
		pr_info("%pV", &vaf);
	}
	va_end(args);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_dump_printf);

/* The indentation of a chain's cache at @depth, as vmarenactl draws it. */
static int vmarena_dump_indent(unsigned int depth)
{
	return 2 + 3 * depth;
}

/**
 * vmarena_cache_dump() - describe @cache, its store and its pages
 * @cache: locked by the caller
 * @depth: its depth in the chain drawn (0: the cache an area maps)
 * @m: where to print
 *
 * One line for the cache ("`- cache 3 anon temporary pages 16 resident 1
 * areas 1 source 1 consumers 4,5"), indented by @depth, then the store's
 * line and one line per page it holds (vmarena_page_dump()), indented
 * below it.
 *
 * Context: c of @cache held; takes q.  Does not sleep.
 */
void vmarena_cache_dump(struct vmarena_cache *cache, unsigned int depth, struct seq_file *m)
{
	int indent = vmarena_dump_indent(depth);
	struct vmarena_cache *consumer;
	struct vmarena_page *page;
	unsigned long index;
	bool first = true;

	lockdep_assert_held(&cache->lock);
	seq_printf(m, "%*s`- cache %u %s%s pages %lu resident %lu areas %u", indent, "",
		   cache->id, cache->store->ops->name, cache->temporary ? " temporary" : "",
		   cache->virtual_end, cache->resident, cache->nr_areas);
	if (cache->source)
		seq_printf(m, " source %u", cache->source->id);
	/* c of @cache keeps its consumer list (c,l) still */
	list_for_each_entry(consumer, &cache->consumers, consumer_link) {
		seq_printf(m, first ? " consumers %u" : ",%u", consumer->id);
		first = false;
	}
	seq_putc(m, '\n');
	if (cache->store->ops->dump) {
		seq_printf(m, "%*s", indent + 5, "");
		cache->store->ops->dump(cache->store, m);
	}
	xa_for_each(&cache->pages, index, page) {
		seq_printf(m, "%*s", indent + 5, "");
		vmarena_page_dump(page, m);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_dump);

/**
 * vmarena_cache_dump_chain() - draw @top and every source below it
 * @top: held by the caller
 * @m: where to print
 *
 * Context: no c held; takes c of each cache of the chain, top down, then
 * q.  May sleep.
 */
void vmarena_cache_dump_chain(struct vmarena_cache *top, struct seq_file *m)
{
	struct vmarena_cache *cache;
	unsigned int depth = 0;

	lockdep_assert_not_held(&top->lock);
	vmarena_cache_lock_chain(top);
	for (cache = top; cache; cache = cache->source)
		vmarena_cache_dump(cache, depth++, m);
	vmarena_cache_unlock_chain(top);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_cache_dump_chain);

/* The aspace's own line.  Context: a held. */
static void vmarena_aspace_dump_self(struct vmarena_aspace *as, struct seq_file *m)
{
	lockdep_assert_held(&as->lock);
	seq_printf(m, "aspace %u \"%s\" 0x%lx-0x%lx size 0x%lx owner %u areas %u faults %llu window %llu change %lu%s%s\n",
		   as->id, as->name, as->base, as->base + as->size, as->size,
		   from_kuid_munged(seq_user_ns(m), as->owner), as->nr_areas,
		   vmarena_aspace_faults(as), (u64)atomic64_read(&as->window_faults),
		   as->change_count,
		   as->superlocked ? " super-locked" : "", as->deleting ? " deleting" : "");
}

/**
 * vmarena_aspace_dump() - describe @as, its areas, their caches, its map
 * @as: held
 * @what: VMARENA_DUMP_* (aspace.h): which parts, in that order
 * @m: where to print
 *
 * VMARENA_DUMP_ASPACE prints the aspace's line, VMARENA_DUMP_AREAS one
 * line per area in address order (vmarena_area_dump()),
 * VMARENA_DUMP_CHAINS each area's line "area 3 "draft" aspace 1" and its
 * cache chain (vmarena_cache_dump_chain()), VMARENA_DUMP_PTFRAG the
 * translation map (vmarena_ptfrag_dump()).  Everything but the map is
 * one snapshot of the area tree: a is held across it.
 *
 * Context: no a held; takes a for reading, under it f and c (areas), c of
 * each chain and q (chains); then, with a released, f (the map).  May
 * sleep.
 */
void vmarena_aspace_dump(struct vmarena_aspace *as, unsigned int what, struct seq_file *m)
{
	struct vmarena_area *area;
	struct rb_node *node;

	might_sleep();
	lockdep_assert_not_held(&as->lock);
	down_read(&as->lock);
	if (what & VMARENA_DUMP_ASPACE)
		vmarena_aspace_dump_self(as, m);
	for (node = rb_first(&as->areas); node; node = rb_next(node)) {
		area = rb_entry(node, struct vmarena_area, node);
		if (what & VMARENA_DUMP_AREAS)
			vmarena_area_dump(area, m);
		if (what & VMARENA_DUMP_CHAINS) {
			seq_printf(m, "area %u \"%s\" aspace %u\n", area->id, area->name, as->id);
			/* a keeps area->cache and its reference */
			vmarena_cache_dump_chain(area->cache, m);
		}
	}
	up_read(&as->lock);
	if (what & VMARENA_DUMP_PTFRAG)
		vmarena_ptfrag_dump(&as->frag, m);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_dump);
