// SPDX-License-Identifier: GPL-2.0
/*
 * The anonymous store: pages that start as zeros.  It commits its size
 * against the arena's limit (NewOS max_commit) unless it overcommits.
 * Paging to swap comes with the swap store.
 */
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "dump.h"

struct vmarena_store_anon {
	struct vmarena_store store;
	bool overcommit;			/* - */
};

static struct vmarena_store_anon *to_anon(struct vmarena_store *store)
{
	return container_of(store, struct vmarena_store_anon, store);
}

/* Promise @size bytes: charge or give back the difference.  Cache locked. */
static int vmarena_store_anon_commit(struct vmarena_store *store, u64 size)
{
	int ret;

	if (to_anon(store)->overcommit)
		return 0;
	if (size > store->committed) {
		ret = vmarena_commit_charge(size - store->committed);
		if (ret)
			return ret;
	} else {
		vmarena_commit_uncharge(store->committed - size);
	}
	store->committed = size;
	return 0;
}

static void vmarena_store_anon_destroy(struct vmarena_store *store)
{
	WARN_ON_ONCE(store->committed && !to_anon(store)->overcommit);
	kfree(to_anon(store));
}

static void vmarena_store_anon_dump(struct vmarena_store *store, struct seq_file *m)
{
	vmarena_dump_printf(m, "anon store: %llu bytes committed%s\n", store->committed,
			    to_anon(store)->overcommit ? " (overcommit)" : "");
}

static const struct vmarena_store_ops vmarena_store_anon_ops = {
	.type = VMARENA_STORE_ANON,
	.name = "anon",
	.commit = vmarena_store_anon_commit,
	.destroy = vmarena_store_anon_destroy,
	.dump = vmarena_store_anon_dump,
};

/**
 * vmarena_store_anon_create() - a store of zero-filled pages
 * @overcommit: promise nothing: allocation may fail at fault time instead
 */
struct vmarena_store *vmarena_store_anon_create(bool overcommit)
{
	struct vmarena_store_anon *anon = kzalloc(sizeof(*anon), GFP_KERNEL_ACCOUNT);

	if (!anon)
		return NULL;
	anon->store.ops = &vmarena_store_anon_ops;
	anon->overcommit = overcommit;
	return &anon->store;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_anon_create);
