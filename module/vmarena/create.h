/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Area creation: a new area over a new cache of each kind of store
 * (anonymous, null, device, file), or over another area's memory (a
 * clone).  create.c.  Lock keys: locking.h.
 */
#ifndef _VMARENA_CREATE_H
#define _VMARENA_CREATE_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct file;
struct mm_struct;
struct vmarena_area;
struct vmarena_aspace;
struct vmarena_cache;
struct vmarena_store;

/* What to create, and where. */
struct vmarena_area_spec {
	const char *name;
	unsigned int addr_spec;		/* VMARENA_ADDR_* */
	unsigned long base;		/* for EXACT and BASE */
	unsigned long size;
	u32 protection;			/* VMARENA_PROT_* */
	u32 protection_max;		/* 0: VMARENA_PROT_ALL */
	unsigned int wiring;		/* VMARENA_WIRING_* */
	unsigned int lock_level;	/* VMARENA_LOCK_* */
	unsigned int flags;		/* VMARENA_AREA_* (uapi/vmarena.h) */
	kuid_t owner;			/* recorded for clone permission checks */
	struct mm_struct *charge_mm;	/* whose RLIMIT_MEMLOCK it uses, or NULL */
};

int vmarena_area_map_store(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			   struct vmarena_store *store, struct vmarena_area **out);
int vmarena_area_create_anon(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out);
int vmarena_area_create_null(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			     struct vmarena_area **out);
int vmarena_area_map_device(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			    phys_addr_t phys, struct vmarena_area **out);
int vmarena_area_map_file(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			  struct file *file, loff_t offset, bool shared,
			  struct vmarena_area **out);
int vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		       struct vmarena_area *source, bool shared, struct vmarena_area **out);

/* Copies (copy.c): uapi/vmarena.h, "Copies". */
int vmarena_area_copy(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
		      struct vmarena_area *source, struct vmarena_area **out);
int vmarena_aspace_copy(struct vmarena_aspace *dst, struct vmarena_aspace *src,
			const struct vmarena_area_spec *spec);
int vmarena_area_transfer(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			  struct vmarena_area *source, struct vmarena_area **out);

/* For copy.c. */
struct vmarena_cache *vmarena_area_new_cache(struct vmarena_store *store,
					     const struct vmarena_area_spec *spec, bool temporary);
int vmarena_area_map_new(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			 struct vmarena_cache *cache, pgoff_t cache_offset,
			 struct vmarena_area **out);
int __vmarena_area_clone(struct vmarena_aspace *as, const struct vmarena_area_spec *spec,
			 struct vmarena_area *source, bool shared, struct vmarena_area **out);

/* For resize.c. */
int vmarena_area_cover_locked(struct vmarena_cache *cache, pgoff_t pages);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * KUnit's race windows: @create_pause is called by an area's creation
 * between its charge (which depends on the super-lock) and a, with no
 * lock held; @resize_pause by a resize of @area between collecting the
 * sharers of its cache and locking their aspaces, with r held alone
 * (resize.c), each time it collects them.
 */
struct vmarena_area_hooks {
	void (*create_pause)(struct vmarena_aspace *as);
	void (*resize_pause)(struct vmarena_area *area);
};

extern struct vmarena_area_hooks vmarena_area_hooks;
#endif

#endif /* _VMARENA_CREATE_H */
