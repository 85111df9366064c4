// SPDX-License-Identifier: GPL-2.0
/*
 * The soft fault (NewOS vm_soft_fault, Haiku's vm_soft_fault, NetBSD's
 * uvm_fault()): make an address of an aspace resident and mapped in its
 * fragments for an access.  Lock keys: locking.h.
 *
 * A fault is one struct vmarena_fault run through four phases, each of
 * which states its locks on entry and on every return:
 *
 *   lookup   the aspace, the area, the access check, the offset in the
 *            area's cache; takes a for reading and the chain's c, top down
 *   find     where the page is (the case table's rows); a busy page is
 *            waited for
 *   prepare  what the row says: nothing, a zero fill, a copy-up, a read
 *   map      wire it where the area is wired, map it in the fragments,
 *            hand it to the caller, fill ahead, hand over the pages around
 *
 * A phase ends in one of four steps: NEXT (on to the next phase, the locks
 * held), DONE (the fault is over, f->err says how, the locks still held),
 * RESTART or FAIL (every lock dropped: start over from lookup, or end with
 * f->err).  The fault sleeps with no lock held in three places, waiting for
 * a busy page, reading a page from a store, and reading a file's page
 * (which the next try attaches to its file cache, if the cache still has
 * none there); it then starts over, so a fault that raced with deletion,
 * resize or a protection change sees the world as it is now (NewOS checked
 * the aspace's change count for the same reason; restarting is simpler and
 * as cheap, since nothing is kept across the sleep: NetBSD's ERESTART).
 *
 * The case table, vmarena_fault_cases[] (tests/kunit/fault_case_test.c
 * runs every row):
 *
 *   the page is        access  prepare           owner after   outcome  counter
 *   -----------------  ------  ----------------  ------------  -------  ------
 *   mapped well enough any     -                 as found      mapped   MAPPED
 *   in the top cache   any     -                 top           minor    MINOR
 *   in a lower cache   read    -                 that cache    minor    MINOR
 *   in a lower cache   write   copy up           top           cow      COW
 *   nowhere            read    zero fill         the bottom    zero     ZERO
 *   nowhere            write   zero fill         top           zero     ZERO
 *   in a store (swap)  any     read, restart     where read    pagein   MAJOR
 *   in a file          any     attach or read    the file's    pagein   MAJOR
 *   device memory      any     -                 none (a pfn)  device   -
 *
 * A busy page has no row: the fault waits and starts over.  After a read
 * the next try finds the page (in the top cache, or in a lower one, where a
 * write copies it up), and the fault still reports and counts the row that
 * read it: each fault counts once, in the VMARENA_STAT_FAULTS_* counter of
 * its row (the owner of a page found "mapped" is whoever had it).
 *
 * A read leaves the page active (an inactive one becomes active, a
 * modified one stays so), a write modified, a wiring fault wired.  It maps
 * the page writable only where the area allows writes and the page is the
 * top cache's own, and a file cache's page only once marked written
 * (filecache.c); other pages are mapped for reading, so that a write faults
 * and copies up, or marks.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "fault_internal.h"
#include "trace.h"

#define VMARENA_FAULT_ACCESS	(VMARENA_FAULT_READ | VMARENA_FAULT_WRITE | VMARENA_FAULT_EXEC)
#define VMARENA_FAULT_FLAGS	(VMARENA_FAULT_ACCESS | VMARENA_FAULT_WIRE | VMARENA_FAULT_EXISTING)
/* Page daemon runs that free nothing a fault waits for before -ENOMEM. */
#define VMARENA_FAULT_RECLAIM_TRIES	4

#define CASE(where_, access_, prepare_, owner_, outcome_, stat_) {			\
		.where = VMARENA_WHERE_##where_, .access = VMARENA_FAULT_##access_,	\
		.prepare = VMARENA_PREPARE_##prepare_, .owner = VMARENA_OWNER_##owner_,	\
		.outcome = VMARENA_OUTCOME_##outcome_, .stat = stat_ }

/* In the order of (where, write): vmarena_fault_row() indexes it so. */
const struct vmarena_fault_case vmarena_fault_cases[VMARENA_FAULT_CASES] = {
	CASE(MAPPED, READ,  NOTHING,    FOUND, MAPPED, VMARENA_STAT_FAULTS_MAPPED),
	CASE(MAPPED, WRITE, NOTHING,    FOUND, MAPPED, VMARENA_STAT_FAULTS_MAPPED),
	CASE(TOP,    READ,  NOTHING,    FOUND, MINOR,  VMARENA_STAT_FAULTS_MINOR),
	CASE(TOP,    WRITE, NOTHING,    FOUND, MINOR,  VMARENA_STAT_FAULTS_MINOR),
	CASE(BELOW,  READ,  NOTHING,    FOUND, MINOR,  VMARENA_STAT_FAULTS_MINOR),
	CASE(BELOW,  WRITE, COPY_UP,    TOP,   COW,    VMARENA_STAT_FAULTS_COW),
	CASE(NONE,   READ,  ZERO,       FOUND, ZERO,   VMARENA_STAT_FAULTS_ZERO),
	CASE(NONE,   WRITE, ZERO,       TOP,   ZERO,   VMARENA_STAT_FAULTS_ZERO),
	CASE(STORE,  READ,  READ_STORE, FOUND, PAGEIN, VMARENA_STAT_FAULTS_MAJOR),
	CASE(STORE,  WRITE, READ_STORE, FOUND, PAGEIN, VMARENA_STAT_FAULTS_MAJOR),
	CASE(FILE,   READ,  READ_FILE,  FOUND, PAGEIN, VMARENA_STAT_FAULTS_MAJOR),
	CASE(FILE,   WRITE, READ_FILE,  FOUND, PAGEIN, VMARENA_STAT_FAULTS_MAJOR),
	CASE(DEVICE, READ,  NOTHING,    NONE,  DEVICE, VMARENA_STAT_NR),
	CASE(DEVICE, WRITE, NOTHING,    NONE,  DEVICE, VMARENA_STAT_NR),
};
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_cases);
#undef CASE

static bool vmarena_fault_allowed(u32 protection, unsigned int access)
{
	if (access & VMARENA_FAULT_READ && !(protection & VMARENA_PROT_READ))
		return false;
	if (access & VMARENA_FAULT_WRITE && !(protection & VMARENA_PROT_WRITE))
		return false;
	if (access & VMARENA_FAULT_EXEC && !(protection & VMARENA_PROT_EXEC))
		return false;
	return true;
}

/*
 * Drop every lock the fault holds.
 * Context: a held for reading, c of the chain held; releases them.
 */
void vmarena_fault_unlock(struct vmarena_fault *f)
{
	lockdep_assert_held_read(&f->as->lock);
	vmarena_cache_assert_chain_locked(f->top);
	vmarena_cache_unlock_chain(f->top);
	up_read(&f->as->lock);
}

/*
 * @page of @cache is busy: wait until it is not.  Drops every lock; the
 * caller starts over.
 * Context: a held for reading, c of the chain held; releases them.  Sleeps.
 */
static void vmarena_fault_wait(struct vmarena_fault *f, struct vmarena_cache *cache)
{
	unsigned int gen;

	lockdep_assert_held(&cache->lock);
	gen = cache->busy_gen;
	vmarena_cache_get(cache);
	vmarena_fault_unlock(f);
	vmarena_cache_wait_busy(cache, gen);
	vmarena_cache_put(cache);
}

/*
 * Record the access in the page's state.  A wiring fault has wired it
 * already (vmarena_area_wire_page()).
 * Context: c of @page's owner held; takes q.
 */
static void vmarena_fault_touch(struct vmarena_page *page, unsigned int flags)
{
	vmarena_page_assert_owner_locked(page);
	if (flags & VMARENA_FAULT_WIRE) {
		/* wired: it stays so */
	} else if (flags & VMARENA_FAULT_WRITE) {
		if (page->state == VMARENA_PAGE_ACTIVE || page->state == VMARENA_PAGE_INACTIVE)
			vmarena_page_set_state(page, VMARENA_PAGE_MODIFIED);
	} else if (page->state == VMARENA_PAGE_INACTIVE) {
		vmarena_page_set_state(page, VMARENA_PAGE_ACTIVE);
	}
	if (page->usage_count < U8_MAX)
		page->usage_count++;
}

/*
 * Hand what the fault maps to the caller: install it, or return it (a page
 * with a reference).  @page is NULL for what is mapped by pfn (device
 * memory); a file's page is installed by pfn too (store_file.c).
 * Context: a held for reading, c of the chain held; @install takes the PTL.
 */
static int vmarena_fault_deliver(struct vmarena_fault *f, struct vmarena_page *page,
				 unsigned long pfn, u32 prot)
{
	struct vmarena_fault_result *res = f->res;

	if (f->install)
		return f->install(f->install_arg, page && !vmarena_page_is_file(page) ?
				  page->page : NULL, pfn, prot);
	res->page = page ? page->page : NULL;
	if (res->page)
		get_page(res->page);
	res->pfn = pfn;
	res->prot = prot;
	return 0;
}

/*
 * Map device memory: the store of the cache found names the pfn.
 * Context: a held for reading, c of the chain held; takes f, and @install
 * the PTL.  May sleep.
 */
static int vmarena_fault_device(struct vmarena_fault *f)
{
	struct vmarena_cache *cache = f->found;
	unsigned long pfn;
	u32 prot;
	int ret;

	vmarena_cache_assert_chain_locked(f->top);
	ret = cache->store->ops->pfn(cache->store, f->offset, &pfn);
	if (ret)
		return ret;
	prot = f->area->protection | VMARENA_PROT_READ;
	if (cache != f->top)
		prot &= ~VMARENA_PROT_WRITE;
	ret = vmarena_ptfrag_map(&f->as->frag, f->addr, pfn, prot);
	if (ret)
		return ret;
	return vmarena_fault_deliver(f, NULL, pfn, prot);
}

static bool vmarena_fault_prot_covers(u32 prot, unsigned int flags)
{
	return !(flags & VMARENA_FAULT_WRITE) || prot & VMARENA_PROT_WRITE;
}

/*
 * Does a cache of the fault's (locked) chain own @page?  Arena RAM that a
 * device area maps belongs to a cache outside it.  Only an owner in the
 * chain can set ->cache to one of its caches, so the unlocked read is
 * safe.  Context: c of the chain held.
 */
static bool vmarena_fault_chain_owns(struct vmarena_fault *f, const struct vmarena_page *page)
{
	const struct vmarena_cache *owner = READ_ONCE(page->cache);
	struct vmarena_cache *cache;

	for (cache = f->top; cache; cache = cache->source)
		if (cache == owner)
			return true;
	return false;
}

/*
 * What a page of a shared file area is mapped with: write only while it is
 * marked written (filecache.c), so a write fault marks it, and a read
 * fault leaves write out unless it is marked already.
 * Context: c of the chain held; takes b.
 */
static u32 vmarena_fault_file_prot(struct vmarena_fault *f, struct vmarena_cache *cache,
				   struct vmarena_page *page, u32 prot)
{
	lockdep_assert_held(&cache->lock);
	if (f->flags & VMARENA_FAULT_WRITE)
		vmarena_filecache_written(cache, page);
	else if (!vmarena_filecache_is_written(cache, page))
		prot &= ~VMARENA_PROT_WRITE;
	return prot;
}

/* Lookup: may the fault go on at all?  Context: a held for reading. */
static int vmarena_fault_check(struct vmarena_fault *f)
{
	lockdep_assert_held_read(&f->as->lock);
	if (READ_ONCE(f->as->deleting))
		return -ESRCH;
	f->area = vmarena_area_lookup(f->as, f->addr);
	if (!f->area)
		return -EFAULT;
	/* Wiring the growth of an inaccessible wired area maps nothing. */
	if (!vmarena_fault_allowed(f->area->protection, f->flags) &&
	    !(f->flags & VMARENA_FAULT_WIRE && !f->area->protection))
		return -EACCES;
	return 0;
}

/*
 * Phase 1, lookup: the area, the access check, the offset in its cache.
 * Context: no vmarena lock held; takes a for reading, then c of the chain.
 * NEXT: both held; FAIL: nothing held.
 */
static enum vmarena_fault_step vmarena_fault_lookup(struct vmarena_fault *f)
{
	down_read(&f->as->lock);
	f->err = vmarena_fault_check(f);
	if (f->err) {
		up_read(&f->as->lock);
		return VMARENA_STEP_FAIL;
	}
	f->area_id = f->area->id;
	f->top = f->area->cache;
	f->offset = f->area->cache_offset + ((f->addr - f->area->base) >> PAGE_SHIFT);
	vmarena_cache_lock_chain(f->top);
	return VMARENA_STEP_NEXT;
}

/*
 * Do the fragments map the address well enough for this access already?
 * The chain is locked, so the page is still the one mapped.  Sets the page
 * (NULL for a pfn that is not arena RAM), the pfn, the protection, and as
 * found the page's owner if it is in the chain: arena RAM that a device
 * area maps belongs to a cache outside it, whose fields are not ours.
 * Context: a held for reading, c of the chain held; takes f.
 */
static bool vmarena_fault_find_mapped(struct vmarena_fault *f)
{
	struct vmarena_pte_info info;
	struct vmarena_page *page;

	if (f->flags & VMARENA_FAULT_WIRE ||
	    vmarena_ptfrag_lookup(&f->as->frag, f->addr, &info) ||
	    !vmarena_fault_prot_covers(info.prot, f->flags))
		return false;
	page = vmarena_page_from_pfn(info.pfn);
	if (page && vmarena_fault_chain_owns(f, page)) {
		/* A file page the file let go of: the chain walk drops it. */
		if (vmarena_page_is_file(page) && !page->wired_count &&
		    vmarena_cache_page_gone(page->cache, page))
			return false;
		f->found = page->cache;
	}
	f->page = page;
	f->pfn = info.pfn;
	f->prot = info.prot;
	return true;
}

/*
 * Phase 2, find: where the page is (f->row), and the cache that has it or
 * its store, file or device, or for none the bottom cache, whose zeros the
 * area shows (f->found).  Each cache shows its own page, or below its
 * ->source_end what its source shows, or zeros (cache.h):
 * vmarena_cache_below().
 * Context: a held for reading, c of the chain held.  NEXT, DONE: both
 * held; RESTART (a busy page waited for): nothing held.  May sleep.
 */
static enum vmarena_fault_step vmarena_fault_find(struct vmarena_fault *f)
{
	struct vmarena_cache *cache;
	struct vmarena_page *page;

	vmarena_cache_assert_chain_locked(f->top);
	if (vmarena_fault_find_mapped(f))
		return vmarena_fault_found(f, VMARENA_WHERE_MAPPED);
	for (cache = f->top; cache; cache = vmarena_cache_below(cache, f->offset)) {
		const struct vmarena_store_ops *ops = cache->store->ops;

		/*
		 * Nothing lies past a cache's end, nor in its sources there.
		 * Its store may go on (a file does), but what a fault read
		 * there would be dropped as past the end
		 * (vmarena_fault_read_store()) and read again for ever: the
		 * fuzzer's 45 million page-ins.  Past the area's own cache
		 * the fault fails (an area is never linked past it, so only
		 * a bug gets here); a source is never shown past its end
		 * (->source_end), so the walk cannot get there.
		 */
		if (f->offset >= cache->virtual_end) {
			if (WARN_ON_ONCE(cache != f->top))
				break;
			return vmarena_fault_done(f, -EFAULT);
		}
		f->found = cache;
		if (ops->type == VMARENA_STORE_NULL)
			return vmarena_fault_done(f, -EFAULT);
		if (ops->pfn)
			return vmarena_fault_found(f, VMARENA_WHERE_DEVICE);
		page = vmarena_cache_lookup_page(cache, f->offset);
		if (page && page->busy) {
			vmarena_fault_wait(f, cache);
			return VMARENA_STEP_RESTART;
		}
		if (page && !page->wired_count && vmarena_cache_page_gone(cache, page)) {
			vmarena_cache_drop_page(cache, page);
			page = NULL;
		}
		if (page) {
			f->page = page;
			return vmarena_fault_found(f, cache == f->top ? VMARENA_WHERE_TOP :
							VMARENA_WHERE_BELOW);
		}
		if (ops->get_page) {
			/* A file: its page, or SIGBUS past its end. */
			if (!ops->has_page(cache->store, f->offset))
				return vmarena_fault_done(f, -ENXIO);
			return vmarena_fault_found(f, VMARENA_WHERE_FILE);
		}
		if (ops->has_page && ops->has_page(cache->store, f->offset))
			return vmarena_fault_found(f, VMARENA_WHERE_STORE);
	}
	return vmarena_fault_found(f, VMARENA_WHERE_NONE);
}

/*
 * Map a page of the chain: wire it where the area is wired, map it in the
 * fragments, record the access, hand it over, and after a zero fill, fill
 * ahead.  Returns 0 or an error.
 * Context: a held for reading, c of the chain held; takes C, f, q, b, and
 * @install the PTL.
 */
static int vmarena_fault_map_page(struct vmarena_fault *f)
{
	struct vmarena_cache *owner = vmarena_fault_owner(f);
	struct vmarena_page *page = f->page;
	u32 prot;
	int ret;

	vmarena_cache_assert_chain_locked(f->top);
	prot = f->area->protection | VMARENA_PROT_READ;
	if (owner != f->top)
		prot &= ~VMARENA_PROT_WRITE;
	else if (vmarena_cache_is_file(owner))
		prot = vmarena_fault_file_prot(f, owner, page, prot);
	/*
	 * A super-locked VMARENA_AREA_LAZY area wires each page on its first
	 * touch (the super-lock wired what it had touched before).
	 */
	if (f->flags & VMARENA_FAULT_WIRE || f->area->superwired) {
		ret = vmarena_area_wire_page(f->area, (f->addr - f->area->base) >> PAGE_SHIFT,
					     page);
		if (ret || !f->area->protection) {
			f->res->page = NULL;	/* resident and wired, not mapped */
			return ret;
		}
	}
	ret = vmarena_ptfrag_map(&f->as->frag, f->addr, vmarena_page_pfn(page), prot);
	if (ret)
		return ret;
	vmarena_fault_touch(page, f->flags);
	ret = vmarena_fault_deliver(f, page, vmarena_page_pfn(page), prot);
	/* Only a caller that maps the pages after the fault gains from them. */
	if (!ret && f->row->prepare == VMARENA_PREPARE_ZERO && f->around)
		f->ahead = vmarena_fault_ahead(f->as, f->area, owner, f->addr, f->offset,
					       f->around_max, prot, page->state);
	return ret;
}

/*
 * Phase 4, map, by the row.  A page found mapped is handed over as it is
 * mapped, its use recorded if a cache of the chain owns it.
 * Context: a held for reading, c of the chain held; takes C, f, q, b, and
 * @install the PTL.  DONE: both held.
 */
static enum vmarena_fault_step vmarena_fault_map(struct vmarena_fault *f)
{
	switch (f->row->where) {
	case VMARENA_WHERE_MAPPED:
		if (f->found)
			vmarena_fault_touch(f->page, f->flags);
		return vmarena_fault_done(f, vmarena_fault_deliver(f, f->page, f->pfn, f->prot));
	case VMARENA_WHERE_DEVICE:
		return vmarena_fault_done(f, vmarena_fault_device(f));
	default:
		return vmarena_fault_done(f, vmarena_fault_map_page(f));
	}
}

/*
 * One try: the phases in order, then the pages around for the caller.
 * Returns 0, -EAGAIN (start over) or an error.
 * Context: no vmarena lock held, on entry and on return; takes a for
 * reading, c of the chain, then C, l, f, q, b, and @install the PTL.
 * Sleeps.
 */
static int vmarena_fault_try(struct vmarena_fault *f)
{
	enum vmarena_fault_step step;

	f->row = NULL;
	f->found = NULL;
	f->page = NULL;
	f->prepared = false;
	step = vmarena_fault_lookup(f);
	if (step == VMARENA_STEP_NEXT)
		step = vmarena_fault_find(f);
	if (step == VMARENA_STEP_NEXT) {
		step = vmarena_fault_prepare(f);
		f->prepared = step == VMARENA_STEP_NEXT;
	}
	if (step == VMARENA_STEP_NEXT)
		step = vmarena_fault_map(f);
	if (step == VMARENA_STEP_RESTART)
		return -EAGAIN;
	if (step == VMARENA_STEP_FAIL)
		return f->err;
	if (!f->err && f->around)
		vmarena_fault_around(f);
	vmarena_fault_unlock(f);
	return f->err;
}

/*
 * A try found the pool at its cap (-ENOMEM): with every lock dropped,
 * let the page daemon make room (pagedaemon.c), and start over (-EAGAIN)
 * for as long as it pages something out (other faults may take what it
 * freed first), and a few runs more that free nothing: then the arena is
 * full of pages it may not page out (-ENOMEM).
 * Context: no vmarena lock held; takes d.  Sleeps.
 */
static int vmarena_fault_reclaim(unsigned int *tries)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (vmarena_pagedaemon_reclaim() || ++*tries < VMARENA_FAULT_RECLAIM_TRIES)
		return -EAGAIN;
	return -ENOMEM;
}

/* Context: no vmarena lock held; as vmarena_fault_try(), and d.  Sleeps. */
static int vmarena_fault_run(struct vmarena_fault *f)
{
	const struct vmarena_fault_case *row;
	unsigned int tries = 0, retries = 0;
	int ret;

	might_sleep();
	f->res->outcome = VMARENA_OUTCOME_ERROR;
	if (!(f->flags & VMARENA_FAULT_ACCESS) || f->flags & ~VMARENA_FAULT_FLAGS)
		return -EINVAL;
	vmarena_stat_inc(VMARENA_STAT_FAULTS);
	/* One count per fault: ASPACE_INFO's out_faults is their sum. */
	atomic64_inc(f->install ? &f->as->window_faults : &f->as->core_faults);
	for (;;) {
		ret = vmarena_fault_try(f);
		if (ret == -ENOMEM)
			ret = vmarena_fault_reclaim(&tries);
		if (ret != -EAGAIN)
			break;
		retries++;
	}
	vmarena_fault_put_file(f);
	/*
	 * What the core did, by the row that did it (the read's, if a try
	 * read the page), and the result: a caller's error (-ESTALE from a
	 * window whose PTE went stale while the core copied the page up)
	 * comes after the work.
	 */
	row = f->prepared ? (f->read_row ?: f->row) : NULL;
	if (row) {
		f->res->outcome = row->outcome;
		if (row->stat < VMARENA_STAT_NR)
			vmarena_stat_inc(row->stat);
	}
	trace_vmarena_fault(f->as->id, f->area_id, f->addr, f->flags, f->res->outcome, retries,
			    f->ahead, ret);
	return ret;
}

/**
 * __vmarena_fault() - vmarena_fault() with internal flags
 * @as: held by the caller
 * @addr: the faulting address
 * @flags: VMARENA_FAULT_* access bits, plus WIRE and EXISTING
 * @res: filled on success
 *
 * Context: no vmarena lock held (mmap_lock may be); takes a, c, l, f, q,
 * b, and d when the pool is full.  Sleeps.
 */
int __vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int flags,
		    struct vmarena_fault_result *res)
{
	struct vmarena_fault f = {
		.as = as,
		.addr = addr & PAGE_MASK,
		.flags = flags,
		.res = res,
	};

	return vmarena_fault_run(&f);
}
EXPORT_SYMBOL_IF_KUNIT(__vmarena_fault);

/**
 * vmarena_fault_install() - fault @addr in and let @install map it
 * @as: held by the caller
 * @addr: the faulting address
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @install: called once, with the locks held (see vmarena_fault_install_t);
 *	its return value is the fault's
 * @arg: for @install
 *
 * The user-space fault path: the PTE it installs and the arena's view of
 * the page are made under the same locks.  Returns what vmarena_fault()
 * returns, or @install's error.
 *
 * Context: as __vmarena_fault(); @install takes the PTL.  Sleeps.
 */
int vmarena_fault_install(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
			  vmarena_fault_install_t install, void *arg)
{
	return vmarena_fault_install_around(as, addr, access, install, NULL, 0, arg);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_install);

/**
 * vmarena_fault_install_around() - vmarena_fault_install() with fault-around
 * @as: held by the caller
 * @addr: the faulting address
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @install: as for vmarena_fault_install()
 * @around: called after a successful @install, under the same locks, with
 *	the resident pages that follow @addr (at most @max, never past the
 *	area); not called if there are none
 * @max: how many pages after @addr the caller can take
 * @arg: for both callbacks
 *
 * Context: as __vmarena_fault(); the callbacks take the PTL.  Sleeps.
 */
int vmarena_fault_install_around(struct vmarena_aspace *as, unsigned long addr,
				 unsigned int access, vmarena_fault_install_t install,
				 vmarena_fault_around_t around, unsigned long max, void *arg)
{
	struct vmarena_fault_result unused;
	struct vmarena_fault f = {
		.as = as,
		.addr = addr & PAGE_MASK,
		.flags = access,
		.install = install,
		.around = around,
		.around_max = max,
		.install_arg = arg,
		.res = &unused,
	};

	if (access & ~VMARENA_FAULT_ACCESS)
		return -EINVAL;
	return vmarena_fault_run(&f);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_install_around);

/**
 * vmarena_fault() - make @addr of @as resident and mapped for @access
 * @as: held by the caller
 * @addr: the faulting address (need not be page aligned)
 * @access: VMARENA_FAULT_READ, _WRITE and/or _EXEC
 * @res: the page with a reference (put_page() it), its pfn and the
 *	protection it is mapped with; for device memory, page is NULL
 *
 * Returns 0, or -EFAULT (no area there, or a reservation), -EACCES (the
 * area does not allow @access), -ESRCH (the aspace is being deleted),
 * -ENXIO (a file page past the end of its file), -ENOMEM, -EINVAL (bad
 * @access), or a store's read error.
 *
 * Context: as __vmarena_fault().  Sleeps.
 */
int vmarena_fault(struct vmarena_aspace *as, unsigned long addr, unsigned int access,
		  struct vmarena_fault_result *res)
{
	if (access & ~VMARENA_FAULT_ACCESS)
		return -EINVAL;
	return __vmarena_fault(as, addr, access, res);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault);

/**
 * vmarena_get_page_mapping() - the physical address @addr maps to
 * @as: held by the caller
 * @addr: any address
 * @phys: set on success
 *
 * Returns 0 or -ENOENT if nothing is mapped there.
 *
 * Context: no a held; takes a for reading, then f.  May sleep.
 */
int vmarena_get_page_mapping(struct vmarena_aspace *as, unsigned long addr, phys_addr_t *phys)
{
	struct vmarena_pte_info info;
	int ret;

	down_read(&as->lock);
	ret = vmarena_ptfrag_lookup(&as->frag, addr & PAGE_MASK, &info);
	up_read(&as->lock);
	if (ret)
		return ret == -EINVAL ? -ENOENT : ret;
	*phys = PFN_PHYS(info.pfn) + offset_in_page(addr);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_get_page_mapping);
