/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lock legend of the vmarena core: every lock, the order in which locks
 * are taken, and the key that tags each shared field in the other headers
 * (after NetBSD's uvm_page.h).
 *
 * Keys
 *
 *   g  vmarena_ids_lock: the global id tables (aspace ids, area ids); a
 *      spinlock inside each XArray.  Lookups run under RCU and take a
 *      reference with *_unless_zero / *_not_zero.
 *   d  vmarena_pagedaemon_lock, a mutex (pagedaemon.c): held by the page
 *      daemon across a run (which takes c, l, f, q, s and m under it) and
 *      by the KUnit pause hook.  Taken first, before anything else.
 *   S  aspace->superlock_lock, a mutex: serialises the super-lock changes
 *      of one aspace (vmarena_aspace_superlock()).  Held across the page
 *      loop that makes a super-locked aspace resident, which may wait for
 *      the page daemon again and again; r is taken under it only to mark
 *      the aspace and its areas, so that nothing outside the aspace waits
 *      for that loop.
 *   y  vmarena_copy_rwsem, an rw_semaphore (copy.c): held for writing by a
 *      copy (VMARENA_IOC_AREA_COPY), which may give an area a new cache
 *      (area->cache: r, a and the caches' c and l held to change it), and
 *      for reading by a clone from reading its source's cache until its
 *      area is linked to that cache.  Taken under r by a copy; a
 *      clone takes no r while it holds y.
 *   r  vmarena_resize_mutex: serialises operations that lock more than one
 *      aspace (resize of areas shared by several aspaces), and keeps lock
 *      levels, super-lock marks and live areas' memlock charges still
 *      (memlock.h; a deletion takes an area's charge with a alone).
 *   a  aspace->lock, an rw_semaphore: the area tree, every area's placement,
 *      protection, wiring and lock level, the change count and the deleting
 *      flag.  Read for lookups and faults, write for any change.
 *   c  cache->lock, a mutex: the cache's page index, its source and
 *      consumers, its areas, its size and commitment, and the owner fields
 *      of its pages (page->cache, ->offset, ->busy, ->wired_count).
 *   C  an area's wiring record (area->wired, area.h): an entry that
 *      records page P is written with the c of P's owner held (of both
 *      pages, when it is moved from one to another), a new entry with the
 *      area's whole chain locked (vmarena_cache_lock_chain()); read with
 *      the area's chain locked.  Every cache that owns a page an area
 *      records is in that area's chain, so whoever holds the chain sees
 *      the record still.  The XArray's own spinlock keeps its nodes whole
 *      when writers of different entries (a copy-up below the area and a
 *      fault of the area) run at once.
 *   l  vmarena_cache_link_lock, a mutex: the links of the cache graph
 *      (cache->areas and cache->consumers) and area->size.  These are
 *      written with both the owning cache's c (and, for area->size, the
 *      aspace's a) and l held, and read with either held.  It lets one
 *      walk from a cache up through its consumers to every area that may
 *      map one of its pages (to unmap it) without taking the consumers'
 *      cache locks, which lie above it in the order.
 *   w  handle->windows_lock, a mutex of the Linux layer (module/handle.h):
 *      the list of an aspace's user windows, behind the aspace's window
 *      operations (aspace.h).  Taken under mmap_lock by the windows' mmap,
 *      open and close; under c and l by the page daemon, which reads the
 *      windows' accessed bits: with w held it only ever tries a window's
 *      mmap_lock (mmap_read_trylock()) and takes page-table locks.
 *      Populating takes w alone, to list the processes, and then each
 *      process's mmap_lock with no vmarena lock held.
 *   f  frag->lock, a mutex: one aspace's page-table fragments.
 *   q  vmarena_pageq_lock, a spinlock: the page queues and their counts,
 *      page->state and page->queue.  Private to the pool (page.c,
 *      clear.c, pagedaemon.c: page_internal.h); the rest of the core and
 *      the reporters go through page.h (vmarena_page_get_desc()).
 *   m  vmarena_commit_lock, a spinlock: the commit counter and its limit.
 *   v  vmarena_file_caches_lock, a mutex (filecache.c): the table from
 *      inode to file cache.  Also held, with c, while a file cache ends.
 *   b  vmarena_filewb.lock, a spinlock (filecache.c): the file writer's
 *      lists and each cache's wb_link.  A leaf, taken under c when a
 *      page is first marked written.
 *   s  vmarena_swap_lock, a spinlock (swap.c): the swap slot map, its
 *      counts and its limit.
 *   u  vmarena_limits_lock, a mutex (limits.c): the per-user counts and
 *      each area's limit charge.  A leaf: nothing is taken under it.
 *   o  vmarena_lockrec_lock, a mutex (lockrec.c): the lock records, who
 *      holds the locks of areas and the super-locks of aspaces
 *      (area->locks, aspace->superlockers).  A leaf: nothing is taken
 *      under it, and no charge is made or given back with it held.
 *      A live process's area records change with r held as well (the
 *      sweep of dead ones and deletions take records off under o alone).
 *   k  a reference (kref/refcount_t) keeps the object alive; the field is
 *      set once before the object is published and read without a lock.
 *   -  constant after creation.
 *
 *   x,y  read with x or y held, written with both.
 *
 * Order (take left before right; never the other way):
 *
 *   d -> r -> a -> v -> c -> l -> f -> q -> m
 *        r -> y -> a   (a copy; a clone holds y alone, across its creation)
 *   S -> r
 *             a -> o
 *   S -> o
 *   mmap_lock -> o    (an area deleted by the last munmap of a window)
 *             c -> s
 *             c -> b
 *                       l -> w
 * Across the layers (Linux's locks: mmap_lock, i_mmap_rwsem of the
 * windows' address_space, the page-table locks):
 *
 *   r -> mmap_lock -> a   (a memlock charge, account_locked_vm(), under r;
 *                          a fault, and populating a window, take a under
 *                          mmap_lock: so a is never held while mmap_lock
 *                          is taken, except by trylock)
 *   S -> mmap_lock        (a super-lock populates the windows before it
 *                          returns)
 *   mmap_lock -> w
 *   a, c, l -> i_mmap_rwsem -> PTL
 *                         (unmapping a range from the windows,
 *                          unmap_mapping_range(), under any core lock
 *                          but f; the fault installs PTEs under c)
 *   d -> the file system's locks (page-out hands written file pages over)
 *   c, l, w -> mmap_lock  by mmap_read_trylock() only (the page daemon's
 *                          aging of the windows' PTEs): never waits
 *
 * - The file system's locks (sb_writers, the inode lock, invalidate_lock,
 *   folio locks, a journal's) are never taken with a vmarena lock held.
 *   Handing written file pages over and syncing them (the store's
 *   handover and sync) run with none, and never in a page fault, where
 *   mmap_lock is held: the inode lock comes before mmap_lock (write(2)
 *   faults on its buffer with it held).  Reading a file's page (get_page)
 *   runs with no vmarena lock, in a fault under mmap_lock as Linux's own
 *   filemap_fault() does.  Dropping the arena's reference to a file page
 *   may free it (after a truncation): that takes only the page
 *   allocator's and LRU's locks, leaves that any vmarena lock may hold.
 * - s comes after c and is a leaf: nothing is taken while it is held, and
 *   it is never taken with q or m held.  An anonymous store frees swap
 *   slots with its cache's c held; freeing punches the slot out of the
 *   swap file, which sleeps on the file's pages but never takes its inode
 *   lock.  Slot reads and writes run with no vmarena lock held.
 * - Several aspaces (resize of shared areas) are locked in increasing id
 *   order, and only with r held (down_write_nest_lock()).
 * - The caches of a chain are locked from the top (the consumer an area
 *   maps) down to the bottom (the last source), with the lockdep subclass
 *   equal to the depth; a chain is at most VMARENA_CACHE_MAX_DEPTH deep.
 * - Nothing sleeps with q, m or s held.  Store reads and writes (file
 *   I/O, swap I/O) run with no c held: the page being read or written is
 *   marked busy instead.
 *
 * Contracts: every function that relies on a lock its caller holds says so
 * in one kernel-doc style line, "Context: c held; takes l, then f.  May
 * sleep." (what must be held, what it takes, whether it sleeps), and
 * asserts it: lockdep_assert_held*() (lockdep_assert_not_held() for a lock
 * it takes itself), or, where the lock lives in an object the function
 * cannot see, vmarena_cache_assert_chain_locked() (a cache and every source
 * below it, cache.h) and vmarena_page_assert_owner_locked() (the c of the
 * cache that owns a page, page.h).  Each compiles to nothing without
 * CONFIG_LOCKDEP.
 *
 * Waiting for a busy page: note the cache's busy generation under c, take
 * a reference on the cache, drop every lock, wait for the generation to
 * move, drop the reference and start over: the world may have changed.
 */
#ifndef _VMARENA_LOCKING_H
#define _VMARENA_LOCKING_H

#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

/* The deepest cache chain: one lockdep subclass per level. */
#define VMARENA_CACHE_MAX_DEPTH	MAX_LOCKDEP_SUBCLASSES

extern struct mutex vmarena_resize_mutex;
extern struct rw_semaphore vmarena_copy_rwsem;
extern struct mutex vmarena_cache_link_lock;

#endif /* _VMARENA_LOCKING_H */
