// SPDX-License-Identifier: GPL-2.0
/*
 * The null store: a reservation of address space.  It has no pages and
 * promises none; the fault path refuses every access to it.
 */
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* Context: any. */
static void vmarena_store_null_destroy(struct vmarena_store *store)
{
	kfree(store);
}

static const struct vmarena_store_ops vmarena_store_null_ops = {
	.type = VMARENA_STORE_NULL,
	.name = "null",
	.destroy = vmarena_store_null_destroy,
};

/**
 * vmarena_store_null_create() - a store for reservations
 *
 * Context: no lock needed.  May sleep.
 */
struct vmarena_store *vmarena_store_null_create(void)
{
	struct vmarena_store *store = kzalloc(sizeof(*store), GFP_KERNEL_ACCOUNT);

	if (store)
		store->ops = &vmarena_store_null_ops;
	return store;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_store_null_create);
