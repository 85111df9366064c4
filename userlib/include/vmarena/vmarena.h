/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvmarena: the native C API over /dev/vmarena.
 *
 * One function per ioctl of <linux/vmarena.h>, plus the mmap window.  The
 * library zeroes every ioctl struct and sets its size; callers never see
 * the extensibility protocol.
 *
 * Conventions:
 *   - Functions returning int return 0 (or a non-negative result: an fd, an
 *     area id) on success and -errno on failure, and also set errno.  The
 *     errnos are the kernel's (see the errno contract in <linux/vmarena.h>);
 *     the library adds EINVAL for a NULL pointer it needs or a name that does
 *     not fit VMARENA_NAME_MAX bytes with its NUL (names are never truncated).
 *   - Addresses and lengths are aspace addresses and byte counts (uint64_t);
 *     an aspace address becomes a pointer only through vmarena_map_window().
 *   - ctl_fd is a control fd from vmarena_open(); aspace_fd an aspace fd from
 *     vmarena_aspace_create*() or vmarena_aspace_open().  Both are ordinary
 *     close-on-exec fds: close() them.
 */
#ifndef VMARENA_VMARENA_H
#define VMARENA_VMARENA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vmarena.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMARENA_DEVICE_PATH "/dev/" VMARENA_DEVICE_NAME

/* Open /dev/vmarena: returns a control fd, or -errno. */
int vmarena_open(void);

/* The handshake: fills @ver (its size is set by the library). */
int vmarena_version(int ctl_fd, struct vmarena_version *ver);

/* The arena's counters: fills @stats (its size is set by the library). */
int vmarena_stats(int ctl_fd, struct vmarena_stats *stats);

/* ---- aspaces ------------------------------------------------------------ */

/*
 * Create an unnamed aspace covering [base, base + length): returns a new
 * aspace fd.  The aspace is deleted when its last fd is closed.  @name is an
 * optional label (NULL for none); it need not be unique.
 */
int vmarena_aspace_create(int ctl_fd, const char *name, uint64_t base, uint64_t length);

/*
 * Create a persistent aspace: it outlives its fds until
 * vmarena_aspace_unlink(), and vmarena_aspace_open() finds it by @name
 * (required, unique).  @mode holds its permission bits (0777 mask), checked
 * like a POSIX shm object's.  Returns a new aspace fd; EEXIST if the name is
 * taken.
 */
int vmarena_aspace_create_persistent(int ctl_fd, const char *name, uint64_t base,
				     uint64_t length, mode_t mode);

/* Open a persistent aspace by name: returns a new aspace fd. */
int vmarena_aspace_open(int ctl_fd, const char *name);

/* Remove a persistent aspace's name; it lives on until its last fd closes. */
int vmarena_aspace_unlink(int ctl_fd, const char *name);

/*
 * Make the aspace of @aspace_fd this process's own (VMARENA_IOC_TEAM_PUBLISH),
 * in place of any published before, until the process exits or execs, so
 * that processes of the same euid can open it with vmarena_team_open().
 * Returns 0 or -errno.
 */
int vmarena_team_publish(int aspace_fd);

/*
 * Open the aspace process @pid published: returns a new aspace fd, or
 * -ESRCH (no such process), -ENOENT (none published), -EPERM (another euid).
 */
int vmarena_team_open(int ctl_fd, pid_t pid);

/* Describe the aspace of @aspace_fd: fills @info (its size set by the library). */
int vmarena_aspace_info(int aspace_fd, struct vmarena_aspace_info *info);

/* ---- areas -------------------------------------------------------------- */

/**
 * struct vmarena_area_params - what every area-creating call needs
 * @name: NUL-terminated, shorter than VMARENA_NAME_MAX; NULL means ""
 * @addr_spec: VMARENA_ADDR_ANY, _EXACT or _BASE
 * @address: for EXACT and BASE, the page-aligned aspace address; else 0
 * @length: bytes, page aligned, not zero (clones: 0, the source's size)
 * @protection: VMARENA_PROT_* the area allows
 * @protection_max: bound for later vmarena_area_protect() and for clones of
 *	this area; 0 means VMARENA_PROT_ALL (clones: 0 inherits the source's)
 * @wiring: VMARENA_WIRING_*
 * @lock_level: VMARENA_LOCK_*
 * @flags: VMARENA_AREA_*
 *
 * Initialise it with a designated initialiser so that unused fields are 0:
 *	struct vmarena_area_params p = { .name = "buf", .length = 1 << 20,
 *		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE };
 */
struct vmarena_area_params {
	const char *name;
	uint32_t addr_spec;
	uint64_t address;
	uint64_t length;
	uint32_t protection;
	uint32_t protection_max;
	uint32_t wiring;
	uint32_t lock_level;
	uint32_t flags;
};

/*
 * The area-creating calls return the new area's id (> 0) and, if
 * @out_address is not NULL, store where the area was placed.
 */

/* A new anonymous area: zero-filled pages. */
int vmarena_area_create_anon(int aspace_fd, const struct vmarena_area_params *p,
			     uint64_t *out_address);

/* A reservation: address space that no other area may take; every access
 * faults.  @p->wiring must be VMARENA_WIRING_LAZY. */
int vmarena_area_create_null(int aspace_fd, const struct vmarena_area_params *p,
			     uint64_t *out_address);

/* Map @p->length bytes of physical memory at @phys (page aligned).  Needs
 * CAP_SYS_RAWIO. */
int vmarena_area_map_device(int aspace_fd, const struct vmarena_area_params *p,
			    uint64_t phys, uint64_t *out_address);

/*
 * Map @p->length bytes of the file @fd from @offset (page aligned).
 * @mapping: VMARENA_MAP_SHARED (writes reach the file; a writable shared
 * mapping needs @fd open for writing) or VMARENA_MAP_PRIVATE (copy-on-write).
 */
int vmarena_area_map_file(int aspace_fd, const struct vmarena_area_params *p, int fd,
			  uint64_t offset, uint32_t mapping, uint64_t *out_address);

/*
 * A new area over the memory of area @source_id.  @mapping:
 * VMARENA_MAP_SHARED (both see each other's writes) or VMARENA_MAP_PRIVATE
 * (copy-on-write).  @source_aspace_fd: an fd of the source's aspace when the
 * source lives in another aspace and the caller holds one, else -1.
 * @p->length must be 0.  EPERM when the caller may not clone the source (see
 * struct vmarena_area_create).
 */
int vmarena_area_clone(int aspace_fd, const struct vmarena_area_params *p, uint32_t source_id,
		       int source_aspace_fd, uint32_t mapping, uint64_t *out_address);

/*
 * A copy of area @source_id (Haiku's vm_copy_area()): from then on neither
 * sees the other's writes, except areas shared on purpose
 * (VMARENA_AREA_SHARED, shared clones, shared file areas), whose copy
 * shares them.  Only @p's name, addr_spec and address are used (the rest
 * must be 0): the copy has the source's size, protection and flags.
 * @source_aspace_fd as for vmarena_area_clone().  Returns the copy's id.
 */
int vmarena_area_copy(int aspace_fd, const struct vmarena_area_params *p, uint32_t source_id,
		      int source_aspace_fd, uint64_t *out_address);

/*
 * A new, unnamed aspace holding a copy of every area of @aspace_fd's at
 * the same address, as vmarena_area_copy() makes it (Haiku's fork()).
 * Returns its fd (close-on-exec) or -errno.
 */
int vmarena_aspace_copy(int aspace_fd);

/*
 * Move area @source_id into @aspace_fd's aspace (Haiku's transfer_area()):
 * the same memory, protection, wiring and flags under a new id, the
 * source deleted.  Only @p's name, addr_spec and address are used (the
 * rest must be 0).  The source must be in @aspace_fd's aspace or, with
 * @source_aspace_fd >= 0, in that fd's aspace (EPERM otherwise).
 * Returns the moved area's id or -errno.
 */
int vmarena_area_transfer(int aspace_fd, const struct vmarena_area_params *p,
			  uint32_t source_id, int source_aspace_fd, uint64_t *out_address);

/* Delete area @id of the aspace. */
int vmarena_area_delete(int aspace_fd, uint32_t id);

/* Resize area @id, and every area sharing its memory, to @length bytes. */
int vmarena_area_resize(int aspace_fd, uint32_t id, uint64_t length);

/* Set what area @id allows: VMARENA_PROT_* within its protection_max. */
int vmarena_area_protect(int aspace_fd, uint32_t id, uint32_t protection);

/* Write the modified pages of file area @id back to its file. */
int vmarena_area_sync(int aspace_fd, uint32_t id);

/* Lock area @id (VMARENA_LOCK_LOCKED: its pages stay resident) or unlock
 * it (VMARENA_LOCK_UNLOCKED).  Locks do not stack. */
int vmarena_area_lock(int aspace_fd, uint32_t id, uint32_t level);

/* Super-lock the whole aspace (VMARENA_LOCK_SUPERLOCKED) or release it
 * (VMARENA_LOCK_UNLOCKED): see VMARENA_IOC_ASPACE_SUPERLOCK. */
int vmarena_aspace_superlock(int aspace_fd, uint32_t level);

/* Lock (or unlock) every area that [address, address + length) touches. */
int vmarena_range_lock(int aspace_fd, uint64_t address, uint64_t length, uint32_t level);

/* Describe area @id: fills @info (its size set by the library). */
int vmarena_area_info(int aspace_fd, uint32_t id, struct vmarena_area_info *info);

/* The first (lowest) area of the aspace named @name: returns its id; ENOENT
 * if there is none. */
int vmarena_area_find(int aspace_fd, const char *name);

/*
 * Iterate over the areas of the aspace in address order: set *@cookie to 0,
 * then call until it returns -ENOENT; each call fills @info (info->id is the
 * area found) and advances *@cookie.
 */
int vmarena_area_iterate(int aspace_fd, uint64_t *cookie, struct vmarena_area_info *info);

/* The physical address that aspace address @address maps to now, in
 * *@out_phys; ENOENT if nothing is mapped there.  Needs CAP_SYS_ADMIN. */
int vmarena_page_mapping(int aspace_fd, uint64_t address, uint64_t *out_phys);

/* ---- windows ------------------------------------------------------------ */

/*
 * Map the aspace range [address, address + length) into the caller:
 * mmap(2) of @aspace_fd at file offset @address.  @address and @length must
 * be page aligned.  @prot: PROT_* of the window (an area's own protection
 * applies on top).  @flags: mmap flags; MAP_SHARED is added unless MAP_SHARED
 * or MAP_PRIVATE is given.  *@out: in, where to map (a hint, or the place
 * for MAP_FIXED / MAP_FIXED_NOREPLACE) or NULL; out, where the window is.
 * Loads and stores through the window are served by vmarena; touching no
 * area, a reservation or against an area's protection raises SIGSEGV.
 */
int vmarena_map_window(int aspace_fd, uint64_t address, size_t length, int prot, int flags,
		       void **out);

/* Unmap a window (or part of one) mapped by vmarena_map_window(). */
int vmarena_unmap_window(void *addr, size_t length);

#ifdef __cplusplus
}
#endif

#endif /* VMARENA_VMARENA_H */
