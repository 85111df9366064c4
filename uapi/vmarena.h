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
 * raises SIGSEGV; a file page that cannot be read, or lies past the end of
 * its file (see "File areas"), raises SIGBUS, and so does
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
 *   EFAULT  the argument pointer is not readable or writable.  A
 *           command without outputs (_IOW) never writes its argument; one
 *           that creates something and then cannot write its argument
 *           back undoes what it made (see struct vmarena_area_create).
 *   ENOTTY  the command is not a vmarena command, or not one for this kind
 *           of fd (area commands on the control fd and the reverse).
 * and, where a command can meet them:
 *   ENOENT  no area (or aspace name) with that id in this aspace.
 *   EEXIST  an exact address that is taken; an aspace name in use.
 *   ENOMEM  no room in the aspace, or the commit limit.
 *   EACCES  protection above protection_max; aspace mode bits refuse.
 *   EPERM   a capability is missing (device ranges: CAP_SYS_RAWIO; page
 *           mappings: CAP_SYS_ADMIN), or a clone or copy the caller may
 *           not make.
 *   EBADF   an fd field that is not an open fd of the right kind.
 *   EMLINK  a private clone or a copy would make the cache chain too deep.
 *   EBUSY   MAP_DEVICE: I/O memory that a driver (or another device
 *           area) has claimed.
 *   ENODEV  MAP_FILE: a file whose page cache cannot be mapped.
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
 * Features reported by VMARENA_IOC_VERSION (on the control fd or on an
 * aspace fd).  A bit is set when the running
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
 * @out_faults: soft faults taken in it so far (every kind): those its
 *	windows raised, and those wiring, locking, super-locking and copying
 *	took to make pages resident
 * @out_window_faults: of @out_faults, those its windows raised (a load or
 *	store of a process: fault, page_mkwrite, pfn_mkwrite).  A super-locked
 *	aspace, and a wired area, raise none.  Newer than the struct's first
 *	version: callers passing the older size still work.
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
	__u64 out_window_faults;
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
 * @out_faults: soft faults, every kind; each one that did something also
 *	counts once in one of the five that follow (device memory: none)
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
 *	handed to their file system (as write(2) would: it writes them back)
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
 * run of at most 4 MiB (EINVAL beyond), and cannot be resized.  An area
 * that is not lazy is mapped in every window of its aspace, in every
 * process, before the command that made (or grew) it returns: touching it
 * never faults, also in windows mapped before it existed.  A wired area
 * (and every area of a super-locked aspace) keeps the pages it sees wired
 * until it is deleted, shrunk, or the super-lock that wired it is
 * released: a protection change, to none and back, keeps them; a page a
 * private one copies on a write (or the private area it was cloned from
 * copies, which it sees through) is wired in place of the page it
 * replaces, which is let go.  An area wires a page once however it is
 * pinned; a page's wired count is the number of areas that wire it.
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
/*
 * QNX's MAP_LAZY: nothing is allocated or mapped before the first touch of
 * each page, at every lock level: no page is filled ahead of a fault, and
 * a lock or a super-lock makes resident (and, super-locked, maps and
 * wires) only the pages touched already; a page first touched while the
 * aspace is super-locked is wired by that one fault.  Only for lazy
 * wiring (EINVAL with any other).
 */
#define VMARENA_AREA_LAZY		0x4
/*
 * Physical placement (Haiku's B_LOMEM and B_32_BIT_CONTIGUOUS): the area's
 * contiguous run lies wholly below 16 MiB (the DMA zone) or below 4 GiB
 * (the DMA32 zone).  Only for VMARENA_WIRING_CONTIGUOUS anonymous areas,
 * one of the two at most (EINVAL otherwise); ENOMEM when the zone has no
 * free run of that size.  The run is wired for the area's life and never
 * resized, so its pages stay where they were placed.  INFO reports the
 * flag.
 */
#define VMARENA_AREA_PHYS_16M		0x8
#define VMARENA_AREA_PHYS_4G		0x10
/*
 * Shared on purpose (Haiku's B_SHARED_AREA): a copy (VMARENA_IOC_AREA_COPY,
 * VMARENA_IOC_ASPACE_COPY) shares it instead of copying it.  Set on every
 * shared clone and on its source (as Haiku marks both, for good: deleting
 * the clone leaves the mark), and on shared file areas; may be given at
 * creation.  INFO reports it.
 */
#define VMARENA_AREA_SHARED		0x20
#define VMARENA_AREA_FLAGS_ALL		(VMARENA_AREA_OVERCOMMIT | VMARENA_AREA_CLONEABLE | \
					 VMARENA_AREA_LAZY | VMARENA_AREA_PHYS_16M | \
					 VMARENA_AREA_PHYS_4G | VMARENA_AREA_SHARED)

/* How a file or clone is mapped. */
#define VMARENA_MAP_SHARED		1	/* writes reach the file / the source */
#define VMARENA_MAP_PRIVATE		2	/* copy-on-write */

/*
 * File areas (VMARENA_IOC_AREA_MAP_FILE).  A shared file area's pages are
 * the file's own page-cache pages, so it is coherent with the rest of
 * Linux, at once and without SYNC: what is stored through a window is what
 * read(2) returns and a plain mmap(MAP_SHARED) of the file shows, and what
 * anyone write(2)s is what the window shows.  Every mapping of one file,
 * in any aspace, shares those pages.
 *
 * Nothing written is lost.  vmarena hands every page written through a
 * shared file area to the file's file system (as write(2) does: the file
 * system reserves its blocks and writes it back when it sees fit) about a
 * second after the first write, before it lets go of the page (paging
 * out, the area's deletion or shrinking, closing the aspace, the process's
 * exit or death, unloading the module), and at SYNC.  SYNC, msync(MS_SYNC)
 * on a window and fsync(2) on the aspace fd hand over what the shared file
 * areas in range hold and wait until the file system has written it back.
 * Pages whose areas are gone are handed over by a worker, at once;
 * VMARENA_IOC_STATS counts those still waiting (out_file_pending).  One
 * difference from Linux's own mappings: a write after the file system
 * wrote a page back is handed over again only at the next of those
 * points, so fsync(2) of the file by someone else may miss it.  Wired
 * pages (wired areas, super-locked aspaces) take writes without faults:
 * they are handed over again at every SYNC and when they are unwired.
 *
 * Past the end of the file nothing is mapped: a touch of a page wholly
 * past it raises SIGBUS (read or write, shared or private), as with
 * Linux's file mappings; the page holding the end is mapped whole, reads
 * zeros past the end, and what is written there never reaches the file,
 * which never grows through a mapping.  Wiring (wired areas, the
 * super-lock) stops at the end of the file.  When the file is truncated,
 * or a hole punched in it, while it is mapped, a window keeps showing the
 * pages it had until vmarena next looks at them (a fault there, SYNC, the
 * page daemon): then they go, and the next touch raises SIGBUS past the
 * new end or reads the hole; what was written to them meanwhile is lost
 * with the range the file no longer has.  A wired page stays until it is
 * unwired.
 *
 * A private file area is copy-on-write over the same pages: pages it has
 * not written show the file as it is now; written ones are its own and
 * never reach the file (SYNC has nothing to do for it).  Like any private
 * clone ("Clones" below), it shows the file only below the smallest size
 * it has had: a range it grows by, or grows back by, shows zeros (no
 * SIGBUS there, even past the end of the file).
 *
 * A shared file area's write permission comes from its fd: made through
 * an fd not open for writing (or over an append-only file), it can never
 * become writable: its protection_max has no VMARENA_PROT_WRITE, and
 * asking for write (protection, protection_max, PROTECT, a clone) gives
 * EACCES.  RESIZE of a shared file area resizes that area alone: the
 * file's other mappings, whoever made them, keep their size.  Files
 * whose page cache cannot be mapped give ENODEV.  Windows map file pages
 * by pfn (no page reference, as for device memory): get_user_pages() on
 * them (O_DIRECT, process_vm_readv(), futexes shared between processes)
 * fails with EFAULT.
 */

/*
 * Clones (VMARENA_IOC_AREA_CLONE), and what an area shows.
 *
 * A shared clone (VMARENA_MAP_SHARED) is the same memory as its source:
 * every area sharing it, in any aspace, shows the same bytes at the same
 * offset and sees the others' writes at once, and RESIZE resizes them all.
 *
 * A private clone (VMARENA_MAP_PRIVATE) is copy-on-write over its source,
 * and not a snapshot (NewOS semantics): a page the clone has not written
 * shows what the source shows there now, the source's later writes
 * included, until the clone writes that page; from then on the page is
 * the clone's own, and the clone's writes never reach the source.  A
 * private file area is a private clone of its file (see "File areas").
 *
 * A private clone shows its source only below the smallest size either
 * of them has had since the clone was made.  When the clone or its source
 * shrinks (RESIZE), the clone's pages from the new end on show zeros,
 * except those the clone wrote and still has, and go on showing zeros
 * after either grows again, whatever the source writes there.  A range an
 * area grows by shows zeros, never its source.
 *
 * What an area shows never depends on the deletion of another area: when
 * a source goes (deleted, its aspace closed), its clones go on showing
 * what they showed, and a private clone of a private clone shows the
 * first source exactly as far as the one in between did.  Every area
 * sharing one memory (shared clones of each other, or of a private clone)
 * shows the same bytes at the same offset, whatever was resized or
 * deleted along the chain below it.
 */

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
 * @lock_level: VMARENA_LOCK_UNLOCKED, or VMARENA_LOCK_LOCKED: the new area
 *	comes locked by the caller's process, as by VMARENA_IOC_AREA_LOCK
 *	(VMARENA_LOCK_SUPERLOCKED: EINVAL; super-locking is per aspace, see
 *	VMARENA_IOC_ASPACE_SUPERLOCK)
 * @mapping: FILE and CLONE: VMARENA_MAP_SHARED or _PRIVATE; otherwise 0
 * @phys: MAP_DEVICE: page-aligned physical address (of the machine); otherwise 0
 * @file_offset: MAP_FILE: page-aligned offset in the file; otherwise 0
 * @fd: MAP_FILE: a regular file opened for reading (and writing, for a
 *	shared writable mapping: EACCES otherwise, see "File areas"); CLONE
 *	with VMARENA_CLONE_SOURCE_FD: an aspace fd
 *	of the source's aspace; otherwise 0
 * @source_id: CLONE: the area to clone; otherwise 0
 * @out_id: the new area's id
 * @reserved: must be zero
 * @out_address: where it was placed
 *
 * A clone is allowed when the source is in this aspace, or @fd is an fd of
 * the source's aspace, or the source is VMARENA_AREA_CLONEABLE and was
 * created by the caller's euid; otherwise EPERM.  Fields a command does not
 * use must be zero.  If the struct cannot be written back (EFAULT), the new
 * area is deleted again: a failed command leaves nothing behind.
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
 * none (ENOMEM); a shared file area alone (see "File areas").  A range
 * shrunk away and grown back shows zeros, and a shrink bounds for good
 * what the private clones of the memory show of it (see "Clones").  A
 * failed RESIZE changes nothing, also when the growth of a wired area
 * could not be wired (EINTR, ENOMEM): it is undone.  The growth of a
 * wired area without access is wired, not mapped.  Contiguous memory is
 * never resized (EINVAL), whether through its contiguous area or a shared
 * clone of it.  SYNC hands what was written to a shared file area to its
 * file system and waits for the write-back (the file system's error, e.g.
 * EIO or ENOSPC).
 * LOCK (QNX's mlock(), seed "mlock/munlock and friends": a locked region
 * "may not be paged in/out, may still fault on access/reference to
 * maintain usage/modification stats") keeps the area's pages from being
 * paged out, or releases the lock.  Taking a lock makes an area that is
 * not VMARENA_AREA_LAZY resident and readable before it returns (QNX: a
 * locked region that is not lazy is allocated at lock time; ENOMEM, and no
 * lock, if it cannot be); its first write to a page may still fault, to
 * record it.  A lock belongs to the process that
 * took it (a process is its memory: threads and a vfork child share
 * their parent's locks).  Locks stack across processes: the area stays
 * locked while any process holds a lock on it.  They do not stack within
 * one: a process that locks an area twice holds one lock, and one unlock
 * by it releases that lock.  An unlock by a process that holds no lock on
 * the area changes nothing and returns 0.  A process's locks end when it
 * exits (however it dies) or execs; a fork child holds none of its
 * parent's.  Each lock counts the area's size (at the time of the lock)
 * against its own process's RLIMIT_MEMLOCK (ENOMEM beyond it without
 * CAP_IPC_LOCK), until the lock ends or the area is deleted; wired areas
 * also count from their creation, for their creator.  RESIZE of an area
 * that is pinned (wired, locked, or in a super-locked aspace) counts the
 * growth against the caller's RLIMIT_MEMLOCK (ENOMEM, nothing changed,
 * beyond it), until nothing pins the area any more.
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
 * touches.  Holes are skipped.  Each area gets (or loses) the caller's
 * process's lock, with the rules of VMARENA_IOC_AREA_LOCK, whatever its
 * level: in a super-locked aspace the locks are recorded and hold after
 * the super-lock ends.  If one area cannot be locked (ENOMEM, or EAGAIN
 * when areas are created in the aspace meanwhile), the locks this call
 * took are released again (those the process held before stay).
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
 * aspace takes no fault (QNX: "no faulting allowed at all and covers the
 * whole address space").  The promise holds while the aspace changes:
 * areas created, cloned or grown meanwhile are created wired and mapped in
 * every window before the command returns (one without access,
 * protection 0, maps and pins nothing until a PROTECT gives access back,
 * which maps it before it returns); a protection change keeps the
 * pages mapped (write is taken away in place; given back, pages are
 * privatised and made writable before it returns); only what a shrink,
 * a delete or protection 0 takes away is unmapped, never the rest.
 * The super-lock belongs to the process that took it, as area locks do (see
 * struct vmarena_area_op): several processes may each hold it, once, and
 * the aspace stays super-locked while any does; a release by a process
 * that does not hold it changes nothing and returns 0; it ends when its
 * process exits or execs, and a fork child does not hold it.  When the
 * last holder releases it, area locks taken meanwhile stay.  Each holder's
 * RLIMIT_MEMLOCK counts the size of every lazy area of the aspace
 * (reservations aside) at the time it took the super-lock, until it
 * releases it (ENOMEM beyond it without CAP_IPC_LOCK).
 */
#define VMARENA_IOC_ASPACE_SUPERLOCK	_IOW(VMARENA_IOC_TYPE, 0x1f, struct vmarena_area_op)
#define VMARENA_IOC_RANGE_LOCK		_IOW(VMARENA_IOC_TYPE, 0x20, struct vmarena_range_lock)

/* ---- copies (Haiku's vm_copy_area(), fork) ------------------------------ */

/*
 * Copies.  A copy shows what its source showed when it was made, and from
 * then on neither sees the other's writes (a snapshot, Haiku's
 * vm_copy_area(); unlike a private clone, see "Clones").  By kind of
 * source:
 *   - an area flagged VMARENA_AREA_SHARED (shared clones, shared file
 *     areas, device areas, and areas created with the flag) is shared:
 *     the copy is a shared clone of it;
 *   - a reservation is copied as a reservation;
 *   - an area whose memory is pinned (wired, already wired, contiguous,
 *     locked, in a super-locked aspace, or sharing its memory with such
 *     an area) is copied eagerly, page by page, before the command
 *     returns: the source takes no fault for it and keeps its pages;
 *   - any other area (anonymous, private clones, private file areas) is
 *     copied on write, as Haiku does: the source and the copy each get a
 *     new copy-on-write layer over the memory the source had, and the
 *     pages the source maps lose write access in place (its next write
 *     to each faults once and copies it).  Private clones made of the
 *     source before the copy keep showing the memory as it was at the
 *     copy (they are clones of the lower layer), not the source's later
 *     writes.
 * A private clone whose source is still mapped reads memory that source
 * still writes; layers would not keep its snapshot, so it is copied
 * eagerly too (unless it can be neither read nor executed: then its copy,
 * like the clone, follows the source's later writes).  A private file
 * area, and its copy, follow the file where they have not written, as
 * after fork() of a MAP_PRIVATE mapping.
 * The copy has the source's size, protection, protection_max, and flags
 * (OVERCOMMIT, CLONEABLE, LAZY, SHARED; not PHYS_16M or PHYS_4G); its
 * wiring is the source's (contiguous and already-wired become wired, in
 * pages anywhere in memory), it comes unlocked, and it
 * belongs to the caller's euid.  A copy made into a super-locked aspace
 * is wired and mapped before the command returns, as any new area there.
 * A copy costs the committed memory of its own layer, and a copy on write
 * also that of the source's new layer (ENOMEM when the commit limit
 * refuses either).
 *
 * Who may copy: as for VMARENA_IOC_AREA_CLONE (an area of the fd's own
 * aspace, one of the aspace of @fd with VMARENA_COPY_SOURCE_FD, or a
 * VMARENA_AREA_CLONEABLE area of the caller's euid; EPERM otherwise).
 *
 * A failed AREA_COPY leaves nothing behind.  A failed ASPACE_COPY deletes
 * the new aspace; the source areas it had copied on write by then keep
 * their new layer (what they show does not change).
 */

/* Flags of struct vmarena_area_copy. */
#define VMARENA_COPY_SOURCE_FD		0x1	/* @fd names the source's aspace */
#define VMARENA_COPY_FLAGS_ALL		VMARENA_COPY_SOURCE_FD

/**
 * struct vmarena_area_copy - VMARENA_IOC_AREA_COPY (aspace fd: the target)
 * @size: sizeof(struct vmarena_area_copy)
 * @flags: VMARENA_COPY_*
 * @name: NUL-terminated name of the copy; empty: the source's name
 * @addr_spec: VMARENA_ADDR_ANY, _EXACT or _BASE (the source's own address:
 *	_EXACT with its base)
 * @source_id: the area to copy (in any aspace, see "Copies")
 * @address: for EXACT and BASE, page aligned; otherwise 0
 * @fd: with VMARENA_COPY_SOURCE_FD an aspace fd of the source's aspace;
 *	otherwise 0
 * @reserved: must be zero
 * @out_id: the copy's id
 * @out_reserved: zero
 * @out_address: where it was placed
 *
 * Errors: ENOENT (no such source, or it was deleted), EPERM, EBADF,
 * EEXIST and ENOMEM (placement, commit, RLIMIT_MEMLOCK for a pinned
 * copy), EMLINK (the source's chain is already as deep as it may be),
 * EDQUOT, EINTR (killed while an eager copy or a wired copy was filled),
 * EFAULT, and the common EINVAL/E2BIG.
 */
struct vmarena_area_copy {
	__u32 size;
	__u32 flags;
	char name[32];
	__u32 addr_spec;
	__u32 source_id;
	__u64 address;
	__u32 fd;
	__u32 reserved;
	__u32 out_id;
	__u32 out_reserved;
	__u64 out_address;
};

/**
 * struct vmarena_aspace_copy - VMARENA_IOC_ASPACE_COPY (aspace fd: the source)
 * @size: sizeof(struct vmarena_aspace_copy)
 * @flags: must be zero
 * @reserved: must be zero
 * @out_id: the new aspace's id
 * @out_fd: a new aspace fd (close-on-exec) of an unnamed aspace with the
 *	source's range, holding a copy of every area of the source at the
 *	same address, made as VMARENA_IOC_AREA_COPY makes it (Haiku's fork)
 * @out_reserved: zero
 *
 * Errors: ENOMEM, EMLINK, EDQUOT (the aspace, its areas or their bytes),
 * EINTR, EFAULT, and the common EINVAL/E2BIG.  Areas created in the source
 * while it is copied may or may not be in the copy.
 */
struct vmarena_aspace_copy {
	__u32 size;
	__u32 flags;
	__u32 reserved;
	__u32 out_id;
	__u32 out_fd;
	__u32 out_reserved;
};

#define VMARENA_IOC_AREA_COPY		_IOWR(VMARENA_IOC_TYPE, 0x28, struct vmarena_area_copy)
#define VMARENA_IOC_ASPACE_COPY		_IOWR(VMARENA_IOC_TYPE, 0x29, struct vmarena_aspace_copy)

/*
 * VMARENA_IOC_AREA_TRANSFER (aspace fd: the target; struct vmarena_area_copy)
 * moves the area @source_id into the fd's aspace, as Haiku's
 * transfer_area(): the moved area has a new id and the source's memory
 * (the same pages, none copied), name (or @name), size, protection,
 * protection_max, flags and wiring (contiguous becomes wired, in the
 * same pages, without VMARENA_AREA_PHYS_*, a placement they keep); it
 * belongs to the caller's euid, its memlock charge (wired areas) is the
 * caller's, and it comes unlocked: locks held on the source end with it.
 * Placement as for a copy (VMARENA_ADDR_EXACT with the source's base
 * keeps the address).  The move is made as a shared clone followed by
 * the deletion of the source, in one operation under the
 * locks copies and resizes take, so no copy, clone or lock sees both;
 * a window of the source's aspace loses the area as at a delete.  Who
 * may move: an area of the fd's own aspace, or one of the aspace of @fd
 * with VMARENA_COPY_SOURCE_FD (another process's aspace: an fd it passed
 * over a socket); EPERM otherwise.  Reservations do not move (EINVAL).
 * To move an area of one's own into another process's aspace, issue this
 * on an fd of that aspace (VMARENA_IOC_TEAM_OPEN below) with the own
 * aspace's fd as @fd.  Errors: those of VMARENA_IOC_AREA_COPY but EMLINK;
 * EFAULT before anything moved.  A failed transfer leaves both aspaces as
 * they were.
 */
#define VMARENA_IOC_AREA_TRANSFER	_IOWR(VMARENA_IOC_TYPE, 0x2a, struct vmarena_area_copy)

/* ---- teams: a process's own aspace, for transfers into it ---------------- */

/**
 * struct vmarena_team - VMARENA_IOC_TEAM_PUBLISH (aspace fd),
 *	VMARENA_IOC_TEAM_OPEN (control fd)
 * @size: sizeof(struct vmarena_team)
 * @pid: OPEN: a process (its thread-group id in the caller's pid
 *	namespace); PUBLISH: must be zero
 * @flags: must be zero
 * @reserved: must be zero
 * @out_id: OPEN: the aspace's id
 * @out_fd: OPEN: a new fd of the aspace (close-on-exec)
 *
 * A process names one aspace as its own, as a Haiku team has one address
 * space, so that others can move areas into it (Haiku's transfer_area()).
 * PUBLISH makes the fd's aspace the calling process's, in place of any it
 * published before; the name ends when the process exits or execs, or
 * when the aspace goes.  Nothing else changes: the name holds no
 * reference, and the aspace still lives as long as its fds and windows.
 * OPEN hands out a new fd of the aspace @pid published: ESRCH if there is
 * no such process, ENOENT if it has published none (or published it
 * before an exec), EPERM unless the caller's euid is the one that
 * published it (or the caller has CAP_SYS_ADMIN): an fd of an aspace can
 * change all of it, as ptrace can change a process of the same user.
 * Both: EINVAL for a nonzero @flags or @reserved, or a nonzero @pid in
 * PUBLISH; EFAULT.
 */
struct vmarena_team {
	__u32 size;
	__s32 pid;
	__u32 flags;
	__u32 reserved;
	__u32 out_id;
	__u32 out_fd;
};

#define VMARENA_IOC_TEAM_OPEN		_IOWR(VMARENA_IOC_TYPE, 0x05, struct vmarena_team)
#define VMARENA_IOC_TEAM_PUBLISH	_IOW(VMARENA_IOC_TYPE, 0x2b, struct vmarena_team)

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
 * every user's objects.  Anyone may instead send VMARENA_CMD_EVENTS_SUBSCRIBE
 * on a socket: from its reply on, that socket receives (unicast) the
 * events of the aspaces owned by the euid that subscribed, and of their
 * areas, and no others (no exhaustion events either), until it is
 * closed.  EALREADY: the socket is subscribed; ENOSPC: 16 sockets of that
 * user, or 256 in all, are.  A socket that does not read loses events as
 * a group member does (ENOBUFS on its next receive).  Area events are sent for the area an ioctl
 * named (RESIZE: not for the areas sharing its memory in other aspaces;
 * RANGE_LOCK: one LOCK event per area it changed; a super-lock sends
 * none); a lock that ends because its process exited or exec'd sends a
 * LOCK event for its area (with the level the area has then, which other
 * processes' locks may keep LOCKED); an aspace's deletion sends ASPACE_DEL only, not one AREA_DEL
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
 * @VMARENA_CMD_EVENTS_SUBSCRIBE: subscribe the requesting socket to the
 *	events of the caller's own aspaces (see "Events" above); the reply
 *	carries GENERATION only
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
	VMARENA_CMD_EVENTS_SUBSCRIBE,

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
 * @VMARENA_A_PAGE_WIRED_COUNT: u32, the areas that wire it
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
