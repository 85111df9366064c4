/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmarena: a NewOS/Haiku-style virtual-memory arena, as a character device.
 *
 * This header is the whole user ABI of /dev/vmarena.  It is usable from
 * kernel and user space: every field is a __u32 or __u64, pointers travel as
 * __u64, and every struct is padded to a multiple of 64 bits.
 *
 * Extensibility: every ioctl argument begins with a __u32 @size that the
 * caller sets to sizeof() of the struct it was compiled with.  The kernel
 * accepts a smaller @size (older callers: missing fields read as zero) and a
 * larger one as long as the bytes it does not know are zero
 * (copy_struct_from_user()).  Commands are dispatched on their type letter
 * and number, not on the size encoded in the command.
 *
 * Objects.  Opening /dev/vmarena gives a control fd.  VMARENA_IOC_ASPACE_CREATE
 * on it returns a new aspace fd (like KVM's VM fd): area ioctls and mmap()
 * go to aspace fds.  Areas are named by their 32-bit id, unique system-wide;
 * an aspace fd only acts on areas of its own aspace (clone excepted, see
 * struct vmarena_area_create).  An unnamed aspace is deleted when its last
 * fd is closed; a persistent one (VMARENA_ASPACE_PERSISTENT) lives, with
 * POSIX-shm-like owner and mode, until VMARENA_IOC_ASPACE_UNLINK removes its
 * name, and then until its last fd closes.
 *
 * mmap() of an aspace fd maps a window of the aspace: the file offset is the
 * aspace address.  Loads and stores are served by vmarena's soft fault; an
 * access outside any area, to a reservation or against an area's protection
 * raises SIGSEGV; a file page that cannot be read raises SIGBUS, and so does
 * a page that cannot be allocated because the arena is at its cap
 * (max_pages) and the page daemon found nothing to page out (every page
 * wired, locked or super-locked), as tmpfs does when it is full.  A window
 * keeps its aspace alive, as an open fd does.
 *
 * Errno contract, common to every ioctl:
 *   EINVAL  @size too small, nonzero reserved fields or unknown flag bits,
 *           a field out of range or misaligned, a name without its NUL,
 *           a field the command does not use that is not zero.
 *   E2BIG   @size larger than the kernel knows and the extra bytes nonzero.
 *   EFAULT  the argument pointer is not readable or writable.
 *   ENOTTY  the command is not a vmarena command, or not one for this kind
 *           of fd (area commands on the control fd and the reverse).
 * and, where a command can meet them:
 *   ENOENT  no area (or aspace name) with that id in this aspace.
 *   EEXIST  an exact address that is taken; an aspace name in use.
 *   ENOMEM  no room in the aspace, or the commit limit.
 *   EACCES  protection above protection_max; aspace mode bits refuse.
 *   EPERM   a capability is missing (device ranges: CAP_SYS_RAWIO; page
 *           mappings: CAP_SYS_ADMIN), or a clone the caller may not make.
 *   EBADF   an fd field that is not an open fd of the right kind.
 *   EMLINK  a private clone would make the cache chain too deep.
 *   EBUSY   MAP_DEVICE: I/O memory that a driver (or another device
 *           area) has claimed.
 *   EDQUOT  a per-user cap (module parameters max_aspaces_per_user,
 *           max_areas_per_user, max_commit_per_user): the aspaces or areas
 *           the caller's euid holds, or the bytes its areas count.
 *   EINTR   the caller was killed (SIGKILL) while the command faulted
 *           pages in (a super-lock, a wired area's creation or growth):
 *           it stops at once and is undone.
 */
#ifndef _UAPI_VMARENA_H
#define _UAPI_VMARENA_H

#include <linux/types.h>
#include <linux/ioctl.h>

/** VMARENA_ABI_VERSION - bumped on every incompatible ABI change */
#define VMARENA_ABI_VERSION	1

/* Device node: /dev/vmarena, char major 10 (misc), minor from the range
 * that Documentation/admin-guide/devices.txt reserves for local use.
 */
#define VMARENA_DEVICE_NAME	"vmarena"
#define VMARENA_MISC_MINOR	248

/* ioctl type letter: unused in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define VMARENA_IOC_TYPE	'J'

/*
 * Features reported by VMARENA_IOC_VERSION.  A bit is set when the running
 * module implements the capability; user space checks bits, not versions.
 */
#define VMARENA_FEATURE_ASPACES	0x1ULL	/* aspace fds, areas, mmap windows */
#define VMARENA_FEATURES_ALL	VMARENA_FEATURE_ASPACES

/**
 * struct vmarena_version - handshake
 * @size: in: sizeof(struct vmarena_version)
 * @out_abi_version: %VMARENA_ABI_VERSION of the running module
 * @out_features: VMARENA_FEATURE_* bits implemented by the running module
 * @out_module_version: the module's version as
 *	major << 16 | minor << 8 | patch
 * @reserved: must be zero
 *
 * Fields named out_* are written by the kernel and ignored on input.
 */
struct vmarena_version {
	__u32 size;
	__u32 out_abi_version;
	__u64 out_features;
	__u32 out_module_version;
	__u32 reserved;
};

#define VMARENA_IOC_VERSION	_IOWR(VMARENA_IOC_TYPE, 0x00, struct vmarena_version)

/* ---- aspaces (control fd) ---------------------------------------------- */

#define VMARENA_ASPACE_PERSISTENT	0x1	/* lives without fds, openable by name */
#define VMARENA_ASPACE_FLAGS_ALL	VMARENA_ASPACE_PERSISTENT

/**
 * struct vmarena_aspace_create - VMARENA_IOC_ASPACE_CREATE
 * @size: sizeof(struct vmarena_aspace_create)
 * @flags: VMARENA_ASPACE_*
 * @base: first address, page aligned
 * @length: size in bytes, page aligned, not zero; base + length <= 2^47
 * @name: NUL-terminated; required (and unique) for a persistent aspace
 * @mode: permission bits (0777 mask) of a persistent aspace, else 0
 * @reserved: must be zero
 * @out_id: the aspace's id
 * @out_fd: a new aspace fd (close-on-exec)
 */
struct vmarena_aspace_create {
	__u32 size;
	__u32 flags;
	__u64 base;
	__u64 length;
	char name[32];
	__u32 mode;
	__u32 reserved;
	__u32 out_id;
	__u32 out_fd;
};

/**
 * struct vmarena_aspace_open - VMARENA_IOC_ASPACE_OPEN, _UNLINK
 * @size: sizeof(struct vmarena_aspace_open)
 * @reserved: must be zero
 * @name: a persistent aspace's name
 * @out_id: OPEN: the aspace's id
 * @out_fd: OPEN: a new aspace fd (close-on-exec)
 *
 * OPEN needs read and write permission in the aspace's mode for the
 * caller's euid/egid (or CAP_DAC_OVERRIDE); UNLINK needs to be the owner
 * (or CAP_SYS_ADMIN).  Both: ENOENT if no persistent aspace has the name.
 */
struct vmarena_aspace_open {
	__u32 size;
	__u32 reserved;
	char name[32];
	__u32 out_id;
	__u32 out_fd;
};

/**
 * struct vmarena_aspace_info - VMARENA_IOC_ASPACE_INFO (aspace fd)
 * @size: sizeof(struct vmarena_aspace_info)
 * @reserved: must be zero
 * @out_id: the aspace's id
 * @out_flags: VMARENA_ASPACE_* it was created with (PERSISTENT cleared by unlink)
 * @out_base: first address
 * @out_length: size in bytes
 * @out_areas: areas it holds now
 * @out_reserved: zero
 * @out_name: its name
 * @out_faults: soft faults taken in it so far (every kind)
 */
struct vmarena_aspace_info {
	__u32 size;
	__u32 reserved;
	__u32 out_id;
	__u32 out_flags;
	__u64 out_base;
	__u64 out_length;
	__u32 out_areas;
	__u32 out_reserved;
	char out_name[32];
	__u64 out_faults;
};

/* Page states, the index of struct vmarena_stats' out_pages. */
#define VMARENA_PAGE_STATE_FREE		0	/* pooled, contents unknown */
#define VMARENA_PAGE_STATE_CLEAR	1	/* pooled, zeroed */
#define VMARENA_PAGE_STATE_BUSY		2	/* being filled or copied */
#define VMARENA_PAGE_STATE_ACTIVE	3
#define VMARENA_PAGE_STATE_INACTIVE	4
#define VMARENA_PAGE_STATE_MODIFIED	5
#define VMARENA_PAGE_STATE_WIRED	6
#define VMARENA_PAGE_STATES		7

/**
 * struct vmarena_stats - VMARENA_IOC_STATS (control fd): the arena's counters
 * @size: sizeof(struct vmarena_stats)
 * @reserved: must be zero
 * @out_faults: soft faults, every kind
 * @out_faults_mapped: faults the fragments already answered
 * @out_faults_minor: faults that found the page resident in a cache
 * @out_faults_zero: faults that filled a page with zeros
 * @out_faults_major: faults that read a page from a store (file, swap)
 * @out_faults_cow: copy-on-write copies
 * @out_pageins: pages read from stores
 * @out_pageouts: pages written out by paging
 * @out_pages_total: pages the pool holds now
 * @out_pages_max: the pool's cap
 * @out_pages: pages per VMARENA_PAGE_STATE_* (the last entry is zero)
 * @out_commit_used: bytes committed to areas
 * @out_commit_limit: the commit limit
 * @out_swap_used: swap slots (pages) in use
 * @out_swap_total: swap slots there are (0: no swap)
 * @out_write_tracked: first writes to pages a window mapped read-only to
 *	record them (the page becomes modified and writable)
 * @out_pagedaemon_wakeups: page daemon runs
 * @out_pagedaemon_scans: pages the page daemon looked at
 * @out_pagedaemon_referenced: of those, pages it found used since its last
 *	look (an accessed bit set in a fragment entry or a window's PTE), and
 *	so kept (a later field: callers with the shorter struct still work)
 * @out_clear_hits: zero-filled allocations served by a page the clear
 *	worker had zeroed beforehand (later fields, like the one above)
 * @out_clear_misses: zero-filled allocations that zeroed a page in line
 * @out_page_meta_bytes: bytes of arena metadata kept beside each arena
 *	page (its descriptor as allocated; the page indexes come on top)
 * @out_ptfrag_tables: page-table pages of every aspace's fragments now
 * @out_faults_ahead: pages a sequential zero-fill fault filled and mapped
 *	after the faulting page (fault-ahead; the fault_ahead parameter),
 *	which will not fault themselves
 * @out_file_handovers: pages written through file areas that vmarena
 *	handed to their file system
 * @out_file_pending: written pages of file areas that are gone, still
 *	waiting to be handed to their file system (a worker does it at once)
 */
struct vmarena_stats {
	__u32 size;
	__u32 reserved;
	__u64 out_faults;
	__u64 out_faults_mapped;
	__u64 out_faults_minor;
	__u64 out_faults_zero;
	__u64 out_faults_major;
	__u64 out_faults_cow;
	__u64 out_pageins;
	__u64 out_pageouts;
	__u64 out_pages_total;
	__u64 out_pages_max;
	__u64 out_pages[8];
	__u64 out_commit_used;
	__u64 out_commit_limit;
	__u64 out_swap_used;
	__u64 out_swap_total;
	__u64 out_write_tracked;
	__u64 out_pagedaemon_wakeups;
	__u64 out_pagedaemon_scans;
	__u64 out_pagedaemon_referenced;
	__u64 out_clear_hits;
	__u64 out_clear_misses;
	__u64 out_page_meta_bytes;
	__u64 out_ptfrag_tables;
	__u64 out_faults_ahead;
	__u64 out_file_handovers;
	__u64 out_file_pending;
};

/* ---- areas (aspace fd) -------------------------------------------------- */

/* Names of aspaces and areas: at most VMARENA_NAME_MAX bytes with the NUL. */
#define VMARENA_NAME_MAX	32

/* Area protection bits.  protection_max bounds what clones may ask for. */
#define VMARENA_PROT_READ	0x1
#define VMARENA_PROT_WRITE	0x2
#define VMARENA_PROT_EXEC	0x4
#define VMARENA_PROT_ALL	(VMARENA_PROT_READ | VMARENA_PROT_WRITE | VMARENA_PROT_EXEC)

/* Where an area goes (NewOS address specs). */
#define VMARENA_ADDR_ANY	0	/* anywhere it fits, lowest first */
#define VMARENA_ADDR_EXACT	1	/* exactly at the given base */
#define VMARENA_ADDR_BASE	2	/* first fit at or above the given base */

/*
 * How an area's pages come to be (NewOS wiring).  A contiguous area is one
 * run of at most 4 MiB (EINVAL beyond), and cannot be resized.
 */
#define VMARENA_WIRING_LAZY		0	/* allocated and mapped on first touch */
#define VMARENA_WIRING_WIRED		1	/* faulted in and wired at creation */
#define VMARENA_WIRING_ALREADY_WIRED	2	/* maps pages its cache already holds */
#define VMARENA_WIRING_CONTIGUOUS	3	/* one physically contiguous run, wired */

/* Lock levels (QNX): whether pages may leave memory, and whether faults run. */
#define VMARENA_LOCK_UNLOCKED		0	/* pageable */
#define VMARENA_LOCK_LOCKED		1	/* resident; faults track use and writes */
#define VMARENA_LOCK_SUPERLOCKED	2	/* resident, fully mapped, no faults */

/* Area flags. */
#define VMARENA_AREA_OVERCOMMIT		0x1	/* commit nothing at creation */
#define VMARENA_AREA_CLONEABLE		0x2	/* same-uid processes may clone it */
#define VMARENA_AREA_FLAGS_ALL		(VMARENA_AREA_OVERCOMMIT | VMARENA_AREA_CLONEABLE)

/* How a file or clone is mapped. */
#define VMARENA_MAP_SHARED		1	/* writes reach the file / the source */
#define VMARENA_MAP_PRIVATE		2	/* copy-on-write */

/* Flags of struct vmarena_area_create for clones. */
#define VMARENA_CLONE_SOURCE_FD		0x100	/* @source_fd names the source's aspace */

/**
 * struct vmarena_area_create - every area-creating command
 * @size: sizeof(struct vmarena_area_create)
 * @flags: VMARENA_AREA_*, and for CLONE also VMARENA_CLONE_SOURCE_FD
 * @name: NUL-terminated area name (may be empty)
 * @addr_spec: VMARENA_ADDR_ANY, _EXACT or _BASE
 * @protection: VMARENA_PROT_* the area allows
 * @address: for EXACT and BASE, page aligned; otherwise 0
 * @length: bytes, page aligned, not zero (CLONE: 0, the source's size)
 * @protection_max: bound for later protection changes and clones (0: all;
 *	CLONE: 0 inherits the source's)
 * @wiring: VMARENA_WIRING_*
 * @lock_level: VMARENA_LOCK_*
 * @mapping: FILE and CLONE: VMARENA_MAP_SHARED or _PRIVATE; otherwise 0
 * @phys: MAP_DEVICE: page-aligned physical address (of the machine); otherwise 0
 * @file_offset: MAP_FILE: page-aligned offset in the file; otherwise 0
 * @fd: MAP_FILE: a file opened for reading (and writing, for a shared
 *	writable mapping); CLONE with VMARENA_CLONE_SOURCE_FD: an aspace fd
 *	of the source's aspace; otherwise 0
 * @source_id: CLONE: the area to clone; otherwise 0
 * @out_id: the new area's id
 * @reserved: must be zero
 * @out_address: where it was placed
 *
 * A clone is allowed when the source is in this aspace, or @fd is an fd of
 * the source's aspace, or the source is VMARENA_AREA_CLONEABLE and was
 * created by the caller's euid; otherwise EPERM.  Fields a command does not
 * use must be zero.
 */
struct vmarena_area_create {
	__u32 size;
	__u32 flags;
	char name[32];
	__u32 addr_spec;
	__u32 protection;
	__u64 address;
	__u64 length;
	__u32 protection_max;
	__u32 wiring;
	__u32 lock_level;
	__u32 mapping;
	__u64 phys;
	__u64 file_offset;
	__u32 fd;
	__u32 source_id;
	__u32 out_id;
	__u32 reserved;
	__u64 out_address;
};

/**
 * struct vmarena_area_op - DELETE, RESIZE, PROTECT and SYNC of one area
 * @size: sizeof(struct vmarena_area_op)
 * @id: the area (of this aspace)
 * @value: RESIZE: the new size in bytes; PROTECT: VMARENA_PROT_*; LOCK:
 *	VMARENA_LOCK_LOCKED or VMARENA_LOCK_UNLOCKED; else 0
 *
 * RESIZE resizes every area sharing the area's memory, in every aspace, or
 * none (ENOMEM).  SYNC writes the modified pages of a file area back.
 * LOCK keeps the area's pages from being paged out (or lets them go
 * again).  Locks do not stack: one unlock undoes any number of locks.  A
 * lazy area's lock counts its size against the caller's RLIMIT_MEMLOCK
 * (ENOMEM beyond it without CAP_IPC_LOCK) until it is unlocked or
 * deleted; wired areas count from their creation.  RESIZE of an area that
 * counts (wired, locked, or in a super-locked aspace) counts the growth
 * against the caller's RLIMIT_MEMLOCK (ENOMEM, nothing changed, beyond
 * it) and gives a shrink back.
 */
struct vmarena_area_op {
	__u32 size;
	__u32 id;
	__u64 value;
};

/**
 * struct vmarena_range_lock - VMARENA_IOC_RANGE_LOCK
 * @size: sizeof(struct vmarena_range_lock)
 * @level: VMARENA_LOCK_LOCKED or VMARENA_LOCK_UNLOCKED
 * @address: page aligned
 * @length: page aligned, not zero, inside the aspace
 *
 * Locks (or unlocks) every area that overlaps the range, whole: lock
 * levels belong to areas, so a range is rounded out to the areas it
 * touches.  Holes are skipped.  If one area cannot be locked (ENOMEM, or
 * EAGAIN when areas are created in the aspace meanwhile), the areas this
 * call locked are unlocked again.  Same rules as VMARENA_IOC_AREA_LOCK,
 * including that locks do not stack.
 */
struct vmarena_range_lock {
	__u32 size;
	__u32 level;
	__u64 address;
	__u64 length;
};

/**
 * struct vmarena_area_info - VMARENA_IOC_AREA_INFO and _ITERATE
 * @size: sizeof(struct vmarena_area_info)
 * @id: INFO: in, the area; ITERATE: out, the area found
 * @cookie: ITERATE: 0 to start, then what the last call returned; INFO: 0
 * @out_name: the area's name
 * @out_base: first address
 * @out_length: size in bytes
 * @out_protection: VMARENA_PROT_*
 * @out_protection_max: VMARENA_PROT_*
 * @out_wiring: VMARENA_WIRING_*
 * @out_lock_level: VMARENA_LOCK_*
 * @out_flags: VMARENA_AREA_*
 * @out_cache_depth: caches in its copy-on-write chain
 * @out_resident: pages it maps now
 * @out_copies: pages copied into its own copy-on-write layer
 *
 * ITERATE returns areas in address order and ENOENT after the last.
 */
struct vmarena_area_info {
	__u32 size;
	__u32 id;
	__u64 cookie;
	char out_name[32];
	__u64 out_base;
	__u64 out_length;
	__u32 out_protection;
	__u32 out_protection_max;
	__u32 out_wiring;
	__u32 out_lock_level;
	__u32 out_flags;
	__u32 out_cache_depth;
	__u64 out_resident;
	__u64 out_copies;
};

/**
 * struct vmarena_area_find - VMARENA_IOC_AREA_FIND
 * @size: sizeof(struct vmarena_area_find)
 * @reserved: must be zero
 * @name: NUL-terminated name of an area of this aspace
 * @out_id: the first (lowest) area with that name; ENOENT if none
 * @out_reserved: zero
 */
struct vmarena_area_find {
	__u32 size;
	__u32 reserved;
	char name[32];
	__u32 out_id;
	__u32 out_reserved;
};

/**
 * struct vmarena_page_mapping - VMARENA_IOC_PAGE_MAPPING (CAP_SYS_ADMIN)
 * @size: sizeof(struct vmarena_page_mapping)
 * @reserved: must be zero
 * @address: an aspace address
 * @out_phys: the physical address it maps to; ENOENT if nothing is mapped
 */
struct vmarena_page_mapping {
	__u32 size;
	__u32 reserved;
	__u64 address;
	__u64 out_phys;
};

/* Control fd. */
#define VMARENA_IOC_ASPACE_CREATE	_IOWR(VMARENA_IOC_TYPE, 0x01, struct vmarena_aspace_create)
#define VMARENA_IOC_ASPACE_OPEN		_IOWR(VMARENA_IOC_TYPE, 0x02, struct vmarena_aspace_open)
#define VMARENA_IOC_ASPACE_UNLINK	_IOW(VMARENA_IOC_TYPE, 0x03, struct vmarena_aspace_open)
#define VMARENA_IOC_STATS		_IOWR(VMARENA_IOC_TYPE, 0x04, struct vmarena_stats)

/* Aspace fds. */
#define VMARENA_IOC_ASPACE_INFO		_IOWR(VMARENA_IOC_TYPE, 0x10, struct vmarena_aspace_info)
#define VMARENA_IOC_AREA_CREATE_ANON	_IOWR(VMARENA_IOC_TYPE, 0x11, struct vmarena_area_create)
#define VMARENA_IOC_AREA_CREATE_NULL	_IOWR(VMARENA_IOC_TYPE, 0x12, struct vmarena_area_create)
#define VMARENA_IOC_AREA_MAP_DEVICE	_IOWR(VMARENA_IOC_TYPE, 0x13, struct vmarena_area_create)
#define VMARENA_IOC_AREA_MAP_FILE	_IOWR(VMARENA_IOC_TYPE, 0x14, struct vmarena_area_create)
#define VMARENA_IOC_AREA_CLONE		_IOWR(VMARENA_IOC_TYPE, 0x15, struct vmarena_area_create)
#define VMARENA_IOC_AREA_DELETE		_IOW(VMARENA_IOC_TYPE, 0x16, struct vmarena_area_op)
#define VMARENA_IOC_AREA_RESIZE		_IOW(VMARENA_IOC_TYPE, 0x17, struct vmarena_area_op)
#define VMARENA_IOC_AREA_PROTECT	_IOW(VMARENA_IOC_TYPE, 0x18, struct vmarena_area_op)
#define VMARENA_IOC_AREA_SYNC		_IOW(VMARENA_IOC_TYPE, 0x19, struct vmarena_area_op)
#define VMARENA_IOC_AREA_INFO		_IOWR(VMARENA_IOC_TYPE, 0x1a, struct vmarena_area_info)
#define VMARENA_IOC_AREA_ITERATE	_IOWR(VMARENA_IOC_TYPE, 0x1b, struct vmarena_area_info)
#define VMARENA_IOC_AREA_FIND		_IOWR(VMARENA_IOC_TYPE, 0x1c, struct vmarena_area_find)
#define VMARENA_IOC_PAGE_MAPPING	_IOWR(VMARENA_IOC_TYPE, 0x1d, struct vmarena_page_mapping)
#define VMARENA_IOC_AREA_LOCK		_IOW(VMARENA_IOC_TYPE, 0x1e, struct vmarena_area_op)
/*
 * Super-lock the whole aspace (struct vmarena_area_op, @id 0, @value
 * VMARENA_LOCK_SUPERLOCKED to lock or VMARENA_LOCK_UNLOCKED to release):
 * every area is made resident, privatised, wired and mapped with its final
 * protection, in the fragments, in every window of the aspace at once
 * (every process's) and in every window mapped later, so that touching the
 * aspace takes no fault; areas created meanwhile are created wired.  The
 * size of every area that is not wired or locked already counts against
 * the caller's RLIMIT_MEMLOCK until the super-lock is released (ENOMEM
 * beyond it without CAP_IPC_LOCK); releasing gives it back.
 */
#define VMARENA_IOC_ASPACE_SUPERLOCK	_IOW(VMARENA_IOC_TYPE, 0x1f, struct vmarena_area_op)
#define VMARENA_IOC_RANGE_LOCK		_IOW(VMARENA_IOC_TYPE, 0x20, struct vmarena_range_lock)

/* ---- generic netlink family "vmarena" ----------------------------------- */

/*
 * The arena seen from a shell, as `ip`, `devlink` and `wg` see theirs: a
 * generic netlink family, resolved by name through nlctrl
 * (CTRL_CMD_GETFAMILY), version VMARENA_GENL_VERSION.  Every request is
 * validated strictly: unknown attributes, attributes of the wrong type or
 * length, values out of range and nonzero reserved header bytes give
 * EINVAL (ERANGE for a value outside its range), with an extended-ack
 * message naming the attribute.
 *
 * Commands (request attributes in brackets; "dump" means NLM_F_DUMP):
 *
 *   VMARENA_CMD_ASPACE_GET  get [ASPACE_ID] / dump []:
 *	one message per aspace, VMARENA_A_ASPACE_* attributes.
 *   VMARENA_CMD_AREA_GET    get [AREA_ID] / dump [ASPACE_ID optional]:
 *	one message per area, in aspace id then address order,
 *	VMARENA_A_AREA_* attributes.
 *   VMARENA_CMD_CACHE_GET   dump [AREA_ID]: the area's cache chain,
 *	one message per cache from the top (the cache the area maps) down
 *	to the last source, VMARENA_A_CACHE_* attributes.
 *   VMARENA_CMD_PAGE_GET    dump [AREA_ID, optional PAGE_OFFSET to start
 *	at]: one message per page the area maps now, in address order,
 *	VMARENA_A_PAGE_* attributes.
 *   VMARENA_CMD_STATS_GET   get []: VMARENA_A_STATS_* attributes.
 *   VMARENA_CMD_TRANSLATE   get [ASPACE_ID, ADDRESS]: the page-table
 *	fragment walk for ADDRESS: one VMARENA_A_XLATE_LEVEL nest per level
 *	that exists (PML4, PDPT, PD, PT, at most four), then, when a page is
 *	mapped, VMARENA_A_XLATE_PHYS, _PROT, _ACCESSED, _DIRTY.  ERANGE
 *	when ADDRESS lies outside the aspace.
 *
 * Every reply carries the command of its request.  Dumps resume across as
 * many messages as they need and are consistent: they carry a generation
 * number that moves on every structural change (aspace or area created,
 * deleted, resized, protection or lock level changed); a dump that saw the
 * number move is flagged NLM_F_DUMP_INTR (on the message that noticed and
 * on NLMSG_DONE) and should be retried.
 *
 * Permissions.  Every aspace has an owner, the euid of its creator.  A
 * caller without CAP_SYS_ADMIN sees only the aspaces it owns and their
 * areas, caches and pages; dumps leave the others out, and gets (and the
 * ASPACE_ID/AREA_ID filters) of them fail with ENOENT, as if they did not
 * exist, so that ids do not reveal anything.  Physical addresses
 * (PAGE_PHYS, XLATE_PHYS, the frame bits of XLATE_ENTRY) need
 * CAP_SYS_ADMIN: without it the physical frame bits of every entry are
 * cleared and the message carries the flag VMARENA_A_PHYS_MASKED.
 *
 * Events.  The multicast group VMARENA_GENL_MCGRP_EVENTS ("events")
 * carries VMARENA_CMD_EVT_* messages, in the order the changes were made.
 * Joining it needs CAP_SYS_ADMIN (EPERM otherwise), since events name
 * every user's objects.  Area events are sent for the area an ioctl
 * named (RESIZE: not for the areas sharing its memory in other aspaces;
 * RANGE_LOCK: one LOCK event per area it changed; a super-lock sends
 * none); an aspace's deletion sends ASPACE_DEL only, not one AREA_DEL
 * per area it held.  Exhaustion events are coalesced: they tell that it
 * happened since the last one, not how often.
 */
#define VMARENA_GENL_NAME		"vmarena"
#define VMARENA_GENL_VERSION		1
#define VMARENA_GENL_MCGRP_EVENTS	"events"

/**
 * enum vmarena_cmd - generic netlink commands of the "vmarena" family
 * @VMARENA_CMD_UNSPEC: unused
 * @VMARENA_CMD_ASPACE_GET: get or dump aspaces
 * @VMARENA_CMD_AREA_GET: get or dump areas (dump filter: ASPACE_ID)
 * @VMARENA_CMD_CACHE_GET: dump the cache chain of an area (AREA_ID)
 * @VMARENA_CMD_PAGE_GET: dump the pages an area maps (AREA_ID)
 * @VMARENA_CMD_STATS_GET: arena-wide counters
 * @VMARENA_CMD_TRANSLATE: page-table fragment walk of an aspace address
 * @VMARENA_CMD_EVT_ASPACE_NEW: event: aspace created (ASPACE_* attrs)
 * @VMARENA_CMD_EVT_ASPACE_DEL: event: aspace deleted (ASPACE_ID)
 * @VMARENA_CMD_EVT_AREA_NEW: event: area created (AREA_* attrs)
 * @VMARENA_CMD_EVT_AREA_DEL: event: area deleted (AREA_ID, AREA_ASPACE_ID)
 * @VMARENA_CMD_EVT_AREA_RESIZE: event: area resized (AREA_* attrs, new size)
 * @VMARENA_CMD_EVT_AREA_PROTECT: event: area protection changed (AREA_*)
 * @VMARENA_CMD_EVT_AREA_LOCK: event: area lock level changed (AREA_*)
 * @VMARENA_CMD_EVT_COMMIT_EXHAUSTED: event: a commit charge was refused
 *	(EVT_BYTES: what was asked; STATS_COMMIT_USED/_LIMIT)
 * @VMARENA_CMD_EVT_POOL_EXHAUSTED: event: the page pool could not supply a
 *	page (STATS_PAGES_TOTAL/_MAX)
 * @__VMARENA_CMD_MAX: one past the last
 */
enum vmarena_cmd {
	VMARENA_CMD_UNSPEC,
	VMARENA_CMD_ASPACE_GET,
	VMARENA_CMD_AREA_GET,
	VMARENA_CMD_CACHE_GET,
	VMARENA_CMD_PAGE_GET,
	VMARENA_CMD_STATS_GET,
	VMARENA_CMD_TRANSLATE,
	VMARENA_CMD_EVT_ASPACE_NEW,
	VMARENA_CMD_EVT_ASPACE_DEL,
	VMARENA_CMD_EVT_AREA_NEW,
	VMARENA_CMD_EVT_AREA_DEL,
	VMARENA_CMD_EVT_AREA_RESIZE,
	VMARENA_CMD_EVT_AREA_PROTECT,
	VMARENA_CMD_EVT_AREA_LOCK,
	VMARENA_CMD_EVT_COMMIT_EXHAUSTED,
	VMARENA_CMD_EVT_POOL_EXHAUSTED,

	__VMARENA_CMD_MAX
};

#define VMARENA_CMD_MAX (__VMARENA_CMD_MAX - 1)

/* Cache kinds (VMARENA_A_CACHE_STORE). */
#define VMARENA_CACHE_STORE_ANON	0
#define VMARENA_CACHE_STORE_NULL	1
#define VMARENA_CACHE_STORE_DEVICE	2
#define VMARENA_CACHE_STORE_FILE	3

/* Translation levels (VMARENA_A_XLATE_LEVEL_NUM). */
#define VMARENA_XLATE_PML4	4
#define VMARENA_XLATE_PDPT	3
#define VMARENA_XLATE_PD	2
#define VMARENA_XLATE_PT	1

/**
 * enum vmarena_attr - attributes of the "vmarena" family (one flat space)
 * @VMARENA_A_UNSPEC: unused
 * @VMARENA_A_PAD: padding for 64-bit attributes
 * @VMARENA_A_GENERATION: u32, the structure generation the message saw
 * @VMARENA_A_PHYS_MASKED: flag: physical frame bits were masked (caller
 *	lacks CAP_SYS_ADMIN)
 * @VMARENA_A_ASPACE_ID: u32 (request: >= 1)
 * @VMARENA_A_ASPACE_NAME: string, at most VMARENA_NAME_MAX bytes with NUL
 * @VMARENA_A_ASPACE_BASE: u64, first address
 * @VMARENA_A_ASPACE_SIZE: u64, bytes
 * @VMARENA_A_ASPACE_OWNER: u32, the owner's uid in the caller's user namespace
 * @VMARENA_A_ASPACE_AREAS: u32, areas it holds
 * @VMARENA_A_ASPACE_FAULTS: u64, soft faults taken in it
 * @VMARENA_A_ASPACE_SUPERLOCKED: flag, present when super-locked
 * @VMARENA_A_AREA_ID: u32 (request: >= 1)
 * @VMARENA_A_AREA_ASPACE_ID: u32, the aspace it is in
 * @VMARENA_A_AREA_NAME: string
 * @VMARENA_A_AREA_BASE: u64
 * @VMARENA_A_AREA_SIZE: u64
 * @VMARENA_A_AREA_PROTECTION: u32, VMARENA_PROT_*
 * @VMARENA_A_AREA_PROTECTION_MAX: u32, VMARENA_PROT_*
 * @VMARENA_A_AREA_WIRING: u32, VMARENA_WIRING_*
 * @VMARENA_A_AREA_LOCK_LEVEL: u32, VMARENA_LOCK_*
 * @VMARENA_A_AREA_FLAGS: u32, VMARENA_AREA_*
 * @VMARENA_A_AREA_CACHE_DEPTH: u32, caches in its chain
 * @VMARENA_A_AREA_RESIDENT: u64, pages it maps now
 * @VMARENA_A_AREA_COPIES: u64, pages in its own copy-on-write layer
 * @VMARENA_A_AREA_CACHE_ID: u32, the top cache of its chain
 * @VMARENA_A_CACHE_ID: u32
 * @VMARENA_A_CACHE_DEPTH: u32, 0 for the top of the chain
 * @VMARENA_A_CACHE_SOURCE_ID: u32, the next cache down (absent at the bottom)
 * @VMARENA_A_CACHE_CONSUMERS: nest of VMARENA_A_CACHE_CONSUMER u32 ids
 * @VMARENA_A_CACHE_CONSUMER: u32, in VMARENA_A_CACHE_CONSUMERS
 * @VMARENA_A_CACHE_STORE: u32, VMARENA_CACHE_STORE_*
 * @VMARENA_A_CACHE_TEMPORARY: flag: an anonymous copy-on-write layer
 * @VMARENA_A_CACHE_RESIDENT: u64, pages in the cache
 * @VMARENA_A_CACHE_PAGES: u64, its size in pages
 * @VMARENA_A_CACHE_AREAS: u32, areas mapping it
 * @VMARENA_A_PAGE_OFFSET: u64, page index in the area (request: where a
 *	dump starts)
 * @VMARENA_A_PAGE_ADDRESS: u64, its aspace address
 * @VMARENA_A_PAGE_STATE: u32, VMARENA_PAGE_STATE_*
 * @VMARENA_A_PAGE_WIRED_COUNT: u32
 * @VMARENA_A_PAGE_USAGE: u32, usage count (touched since the last scan)
 * @VMARENA_A_PAGE_PHYS: u64, physical address (CAP_SYS_ADMIN only)
 * @VMARENA_A_PAGE_CACHE_ID: u32, the cache of the chain that holds it
 * @VMARENA_A_PAGE_PROT: u32, VMARENA_PROT_* it is mapped with
 * @VMARENA_A_STATS_FAULTS: u64 (the fields of struct vmarena_stats)
 * @VMARENA_A_STATS_FAULTS_MAPPED: u64
 * @VMARENA_A_STATS_FAULTS_MINOR: u64
 * @VMARENA_A_STATS_FAULTS_ZERO: u64
 * @VMARENA_A_STATS_FAULTS_MAJOR: u64
 * @VMARENA_A_STATS_FAULTS_COW: u64, copy-on-write copies
 * @VMARENA_A_STATS_PAGEINS: u64
 * @VMARENA_A_STATS_PAGEOUTS: u64
 * @VMARENA_A_STATS_PAGES_TOTAL: u64
 * @VMARENA_A_STATS_PAGES_MAX: u64
 * @VMARENA_A_STATS_PAGES: nest, one u64 per page state, attribute type
 *	VMARENA_PAGE_STATE_* + 1
 * @VMARENA_A_STATS_COMMIT_USED: u64, bytes
 * @VMARENA_A_STATS_COMMIT_LIMIT: u64, bytes
 * @VMARENA_A_STATS_SWAP_USED: u64, slots
 * @VMARENA_A_STATS_SWAP_TOTAL: u64, slots
 * @VMARENA_A_STATS_ASPACES: u64, aspaces that exist
 * @VMARENA_A_ADDRESS: u64, TRANSLATE request: the aspace address
 * @VMARENA_A_XLATE_LEVEL: nest: one fragment level, in walk order
 * @VMARENA_A_XLATE_LEVEL_NUM: u32, in a level: VMARENA_XLATE_*
 * @VMARENA_A_XLATE_INDEX: u32, in a level: the entry's index (0..511)
 * @VMARENA_A_XLATE_ENTRY: u64, in a level: the raw x86-64 entry, frame
 *	bits masked without CAP_SYS_ADMIN
 * @VMARENA_A_XLATE_PHYS: u64, the physical address ADDRESS maps to
 *	(CAP_SYS_ADMIN only)
 * @VMARENA_A_XLATE_PROT: u32, VMARENA_PROT_* of the final entry
 * @VMARENA_A_XLATE_ACCESSED: flag, the final entry's accessed bit
 * @VMARENA_A_XLATE_DIRTY: flag, the final entry's dirty bit
 * @VMARENA_A_EVT_BYTES: u64, COMMIT_EXHAUSTED: the refused charge
 * @__VMARENA_A_MAX: one past the last
 */
enum vmarena_attr {
	VMARENA_A_UNSPEC,
	VMARENA_A_PAD,
	VMARENA_A_GENERATION,
	VMARENA_A_PHYS_MASKED,

	VMARENA_A_ASPACE_ID,
	VMARENA_A_ASPACE_NAME,
	VMARENA_A_ASPACE_BASE,
	VMARENA_A_ASPACE_SIZE,
	VMARENA_A_ASPACE_OWNER,
	VMARENA_A_ASPACE_AREAS,
	VMARENA_A_ASPACE_FAULTS,
	VMARENA_A_ASPACE_SUPERLOCKED,

	VMARENA_A_AREA_ID,
	VMARENA_A_AREA_ASPACE_ID,
	VMARENA_A_AREA_NAME,
	VMARENA_A_AREA_BASE,
	VMARENA_A_AREA_SIZE,
	VMARENA_A_AREA_PROTECTION,
	VMARENA_A_AREA_PROTECTION_MAX,
	VMARENA_A_AREA_WIRING,
	VMARENA_A_AREA_LOCK_LEVEL,
	VMARENA_A_AREA_FLAGS,
	VMARENA_A_AREA_CACHE_DEPTH,
	VMARENA_A_AREA_RESIDENT,
	VMARENA_A_AREA_COPIES,
	VMARENA_A_AREA_CACHE_ID,

	VMARENA_A_CACHE_ID,
	VMARENA_A_CACHE_DEPTH,
	VMARENA_A_CACHE_SOURCE_ID,
	VMARENA_A_CACHE_CONSUMERS,
	VMARENA_A_CACHE_CONSUMER,
	VMARENA_A_CACHE_STORE,
	VMARENA_A_CACHE_TEMPORARY,
	VMARENA_A_CACHE_RESIDENT,
	VMARENA_A_CACHE_PAGES,
	VMARENA_A_CACHE_AREAS,

	VMARENA_A_PAGE_OFFSET,
	VMARENA_A_PAGE_ADDRESS,
	VMARENA_A_PAGE_STATE,
	VMARENA_A_PAGE_WIRED_COUNT,
	VMARENA_A_PAGE_USAGE,
	VMARENA_A_PAGE_PHYS,
	VMARENA_A_PAGE_CACHE_ID,
	VMARENA_A_PAGE_PROT,

	VMARENA_A_STATS_FAULTS,
	VMARENA_A_STATS_FAULTS_MAPPED,
	VMARENA_A_STATS_FAULTS_MINOR,
	VMARENA_A_STATS_FAULTS_ZERO,
	VMARENA_A_STATS_FAULTS_MAJOR,
	VMARENA_A_STATS_FAULTS_COW,
	VMARENA_A_STATS_PAGEINS,
	VMARENA_A_STATS_PAGEOUTS,
	VMARENA_A_STATS_PAGES_TOTAL,
	VMARENA_A_STATS_PAGES_MAX,
	VMARENA_A_STATS_PAGES,
	VMARENA_A_STATS_COMMIT_USED,
	VMARENA_A_STATS_COMMIT_LIMIT,
	VMARENA_A_STATS_SWAP_USED,
	VMARENA_A_STATS_SWAP_TOTAL,
	VMARENA_A_STATS_ASPACES,

	VMARENA_A_ADDRESS,
	VMARENA_A_XLATE_LEVEL,
	VMARENA_A_XLATE_LEVEL_NUM,
	VMARENA_A_XLATE_INDEX,
	VMARENA_A_XLATE_ENTRY,
	VMARENA_A_XLATE_PHYS,
	VMARENA_A_XLATE_PROT,
	VMARENA_A_XLATE_ACCESSED,
	VMARENA_A_XLATE_DIRTY,

	VMARENA_A_EVT_BYTES,

	__VMARENA_A_MAX
};

#define VMARENA_A_MAX (__VMARENA_A_MAX - 1)

#endif /* _UAPI_VMARENA_H */
