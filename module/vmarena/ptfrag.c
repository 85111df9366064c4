// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table fragments: one aspace's translation map as real x86-64
 * four-level page tables (see ptfrag.h).
 *
 * Every table is one zeroed kernel page of 512 u64 entries.  An upper-level
 * entry holds the physical address of the next table with present, RW and
 * user set (as Linux's _PAGE_TABLE, without the accessed and dirty bits the
 * CPU would set: these tables are never loaded into CR3).  A leaf holds the
 * PFN and hardware protection bits; x86 has no read bit, so "present" is
 * read, and a leaf always has VMARENA_PROT_READ.
 *
 * Invariants, all under pf->lock:
 *  - every table reachable from ->root has at least one present entry; a
 *    table that empties is freed at once, the root included (->root NULL);
 *  - ->nr_tables counts the table pages reachable from ->root;
 *  - ->nr_present counts the present leaves;
 *  - a cleared entry is 0, so a table is empty iff all its bytes are zero.
 *
 * Nothing else is locked under pf->lock; tables are allocated under it with
 * GFP_KERNEL_ACCOUNT, so every function that takes it may sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <kunit/visibility.h>

#include "uapi/vmarena.h"
#include "ptfrag.h"
#include "stats.h"
#include "dump.h"

#ifndef CONFIG_X86_64
#error "vmarena's page-table fragments are x86-64 page tables"
#endif

/*
 * The four-level layout, with our own constants: on a kernel built for five
 * levels (CONFIG_X86_5LEVEL) PGDIR_SHIFT is the variable pgdir_shift (48
 * when LA57 is on), but the fragments are always four levels deep.
 * Level 4 is the PML4 (the root), 3 the PDPT, 2 the PD and 1 the PT.
 */
#define VMARENA_PML4_SHIFT	39
#define VMARENA_PDPT_SHIFT	30
#define VMARENA_PD_SHIFT	21
#define VMARENA_PT_SHIFT	12
#define VMARENA_LEVELS		4
#define VMARENA_TABLE_ENTRIES	512

/* An upper-level entry: the next table, user accessible and writable. */
#define VMARENA_TABLE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

static unsigned int vmarena_level_shift(int level)
{
	return VMARENA_PT_SHIFT + 9 * (level - 1);
}

static unsigned int vmarena_index(unsigned long va, int level)
{
	return (va >> vmarena_level_shift(level)) & (VMARENA_TABLE_ENTRIES - 1);
}

/*
 * The end of the part of [va, end) that one entry at @level covers.  No
 * overflow: va < VMARENA_PTFRAG_LIMIT and an entry covers at most 512 GiB.
 */
static unsigned long vmarena_entry_end(unsigned long va, unsigned long end, int level)
{
	unsigned long size = 1UL << vmarena_level_shift(level);
	unsigned long boundary = (va + size) & ~(size - 1);

	return min(boundary, end);
}

static u64 *vmarena_entry_table(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

static u64 vmarena_table_entry(u64 *table)
{
	return (__pa(table) & PTE_PFN_MASK) | VMARENA_TABLE_FLAGS;
}

static bool vmarena_table_empty(const u64 *table)
{
	return !memchr_inv(table, 0, PAGE_SIZE);
}

/* Return a table page; the caller has unlinked it.  Context: f held. */
static void vmarena_table_free(struct vmarena_ptfrag *pf, u64 *table)
{
	lockdep_assert_held(&pf->lock);
	free_page((unsigned long)table);
	pf->nr_tables--;
	vmarena_stat_inc(VMARENA_STAT_PTFRAG_TABLES_FREE);
}

static bool vmarena_pfn_ok(unsigned long pfn)
{
	return pfn <= (PTE_PFN_MASK >> PAGE_SHIFT) &&
	       !(((u64)pfn << PAGE_SHIFT) & ~PTE_PFN_MASK);
}

static bool vmarena_prot_ok(u32 prot)
{
	return !(prot & ~VMARENA_PROT_ALL) && (prot & VMARENA_PROT_READ);
}

static bool vmarena_va_ok(unsigned long va)
{
	return PAGE_ALIGNED(va) && va < VMARENA_PTFRAG_LIMIT;
}

static bool vmarena_range_ok(unsigned long va, unsigned long len)
{
	return PAGE_ALIGNED(va) && PAGE_ALIGNED(len) && va <= VMARENA_PTFRAG_LIMIT &&
	       len <= VMARENA_PTFRAG_LIMIT - va;
}

/* The RW and NX bits that @prot asks for. */
static u64 vmarena_prot_bits(u32 prot)
{
	u64 bits = 0;

	if (prot & VMARENA_PROT_WRITE)
		bits |= _PAGE_RW;
	if (!(prot & VMARENA_PROT_EXEC))
		bits |= _PAGE_NX;
	return bits;
}

/**
 * vmarena_pte_make() - a leaf PTE
 * @pfn: the page frame; bits beyond PTE_PFN_MASK are dropped
 * @prot: VMARENA_PROT_* bits; READ is implied (x86 has no read bit)
 *
 * Context: any; a pure function.  Neither argument is validated:
 * vmarena_ptfrag_map() does that.
 *
 * Return: a present, user, accessed (not dirty) PTE for @pfn, with RW iff
 * @prot has WRITE and NX iff it lacks EXEC.
 */
u64 vmarena_pte_make(unsigned long pfn, u32 prot)
{
	return (((u64)pfn << PAGE_SHIFT) & PTE_PFN_MASK) | _PAGE_PRESENT | _PAGE_USER |
	       _PAGE_ACCESSED | vmarena_prot_bits(prot);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pte_make);

/**
 * vmarena_pte_decode() - what a PTE says
 * @pte: a leaf PTE
 * @info: filled in
 *
 * Context: any; a pure function.
 *
 * A present @pte decodes to its PFN, READ plus WRITE if RW and EXEC if not
 * NX, and its accessed and dirty bits.  A PTE that is not present maps
 * nothing and decodes to all zeros, whatever its other bits.
 */
void vmarena_pte_decode(u64 pte, struct vmarena_pte_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!(pte & _PAGE_PRESENT))
		return;
	info->pfn = (pte & PTE_PFN_MASK) >> PAGE_SHIFT;
	info->prot = VMARENA_PROT_READ;
	if (pte & _PAGE_RW)
		info->prot |= VMARENA_PROT_WRITE;
	if (!(pte & _PAGE_NX))
		info->prot |= VMARENA_PROT_EXEC;
	info->accessed = pte & _PAGE_ACCESSED;
	info->dirty = pte & _PAGE_DIRTY;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_pte_decode);

/**
 * vmarena_ptfrag_init() - an empty translation map
 * @pf: the fragments to set up
 *
 * Context: any; @pf is not yet shared.  No table is allocated until
 * the first vmarena_ptfrag_map().
 */
void vmarena_ptfrag_init(struct vmarena_ptfrag *pf)
{
	/* Our layout agrees with the kernel's where the kernel's is fixed. */
	BUILD_BUG_ON(PAGE_SHIFT != VMARENA_PT_SHIFT);
	BUILD_BUG_ON(PMD_SHIFT != VMARENA_PD_SHIFT);
	BUILD_BUG_ON(PUD_SHIFT != VMARENA_PDPT_SHIFT);
	BUILD_BUG_ON(VMARENA_PDPT_SHIFT + 9 != VMARENA_PML4_SHIFT);
	BUILD_BUG_ON(VMARENA_TABLE_ENTRIES * sizeof(u64) != PAGE_SIZE);
	/* The lower canonical half: the first 256 PML4 entries. */
	BUILD_BUG_ON(BIT(VMARENA_PML4_SHIFT + 8) != VMARENA_PTFRAG_LIMIT);

	mutex_init(&pf->lock);
	pf->root = NULL;
	pf->nr_tables = 0;
	pf->nr_present = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_init);

/* Free @table and every table below it.  Context: f held. */
static void vmarena_table_free_all(struct vmarena_ptfrag *pf, u64 *table, int level)
{
	unsigned int i;

	lockdep_assert_held(&pf->lock);
	if (level > 1) {
		for (i = 0; i < VMARENA_TABLE_ENTRIES; i++)
			if (table[i] & _PAGE_PRESENT)
				vmarena_table_free_all(pf, vmarena_entry_table(table[i]),
						       level - 1);
	}
	vmarena_table_free(pf, table);
}

/**
 * vmarena_ptfrag_destroy() - drop every mapping and free every table
 * @pf: the fragments
 *
 * Context: takes f.  May sleep.
 *
 * @pf is left empty, as after vmarena_ptfrag_init(): it may be mapped into
 * again, and destroying it twice is harmless.  The lock is not destroyed.
 */
void vmarena_ptfrag_destroy(struct vmarena_ptfrag *pf)
{
	might_sleep();
	mutex_lock(&pf->lock);
	if (pf->root)
		vmarena_table_free_all(pf, pf->root, VMARENA_LEVELS);
	WARN_ON_ONCE(pf->nr_tables);
	pf->root = NULL;
	pf->nr_tables = 0;
	pf->nr_present = 0;
	mutex_unlock(&pf->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_destroy);

/*
 * The leaf slot for @va, or NULL when a table on the way is missing.
 * Context: f held.
 */
static u64 *vmarena_ptfrag_pte(struct vmarena_ptfrag *pf, unsigned long va)
{
	u64 *table = pf->root;
	int level;

	lockdep_assert_held(&pf->lock);
	if (!table)
		return NULL;
	for (level = VMARENA_LEVELS; level > 1; level--) {
		u64 entry = table[vmarena_index(va, level)];

		if (!(entry & _PAGE_PRESENT))
			return NULL;
		table = vmarena_entry_table(entry);
	}
	return &table[vmarena_index(va, 1)];
}

/**
 * vmarena_ptfrag_translate() - the entries a walk for @va reads
 * @pf: the fragments
 * @va: an address below VMARENA_PTFRAG_LIMIT
 * @entries: filled with the raw entry read at each level, PML4 first
 *
 * Returns how many levels the walk read (1 to 4; it stops at the first
 * entry that is not present), 0 when nothing is mapped at all, or -EINVAL
 * for a bad address.
 *
 * Context: takes f.  May sleep.
 */
int vmarena_ptfrag_translate(struct vmarena_ptfrag *pf, unsigned long va,
			     u64 entries[VMARENA_PTFRAG_LEVELS])
{
	u64 *table;
	int level, n = 0;

	might_sleep();
	if (va >= VMARENA_PTFRAG_LIMIT)
		return -EINVAL;
	mutex_lock(&pf->lock);
	table = pf->root;
	for (level = VMARENA_LEVELS; table && level >= 1; level--) {
		u64 entry = table[vmarena_index(va, level)];

		entries[n++] = entry;
		if (!(entry & _PAGE_PRESENT) || level == 1)
			break;
		table = vmarena_entry_table(entry);
	}
	mutex_unlock(&pf->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_translate);

/*
 * How many tables a leaf for @va still needs: 4 without a root, down to 0
 * when its PT exists.  Context: f held.
 */
static int vmarena_ptfrag_missing(struct vmarena_ptfrag *pf, unsigned long va)
{
	u64 *table = pf->root;
	int level;

	lockdep_assert_held(&pf->lock);
	if (!table)
		return VMARENA_LEVELS;
	for (level = VMARENA_LEVELS; level > 1; level--) {
		u64 entry = table[vmarena_index(va, level)];

		if (!(entry & _PAGE_PRESENT))
			return level - 1;
		table = vmarena_entry_table(entry);
	}
	return 0;
}

/*
 * Link the @nr tables in @fresh (as counted by vmarena_ptfrag_missing())
 * into the path to @va and return the leaf slot.  Linking cannot fail, so
 * a map that could not allocate has changed nothing.  Context: f held.
 */
static u64 *vmarena_ptfrag_link(struct vmarena_ptfrag *pf, unsigned long va,
				u64 **fresh, int nr)
{
	u64 *table;
	int level;

	lockdep_assert_held(&pf->lock);
	if (!pf->root)
		pf->root = fresh[--nr];
	table = pf->root;
	for (level = VMARENA_LEVELS; level > 1; level--) {
		u64 *entry = &table[vmarena_index(va, level)];

		if (!(*entry & _PAGE_PRESENT))
			*entry = vmarena_table_entry(fresh[--nr]);
		table = vmarena_entry_table(*entry);
	}
	WARN_ON_ONCE(nr);
	return &table[vmarena_index(va, 1)];
}

/* vmarena_ptfrag_map() with valid arguments.  Context: f held. */
static int vmarena_ptfrag_map_locked(struct vmarena_ptfrag *pf, unsigned long va,
				     unsigned long pfn, u32 prot)
{
	u64 *fresh[VMARENA_LEVELS];
	int nr, i;
	u64 *ptep;

	lockdep_assert_held(&pf->lock);
	nr = vmarena_ptfrag_missing(pf, va);
	for (i = 0; i < nr; i++) {
		fresh[i] = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
		if (!fresh[i]) {
			while (i--)
				free_page((unsigned long)fresh[i]);
			return -ENOMEM;
		}
	}
	pf->nr_tables += nr;
	vmarena_stat_add(VMARENA_STAT_PTFRAG_TABLES_ALLOC, nr);
	ptep = vmarena_ptfrag_link(pf, va, fresh, nr);
	if (!(*ptep & _PAGE_PRESENT))
		pf->nr_present++;
	*ptep = vmarena_pte_make(pfn, prot);
	return 0;
}

/**
 * vmarena_ptfrag_map() - map one page
 * @pf: the fragments
 * @va: the page's arena address: page aligned, below VMARENA_PTFRAG_LIMIT
 * @pfn: the page frame, within PTE_PFN_MASK
 * @prot: VMARENA_PROT_* bits; must include READ, nothing beyond ALL
 *
 * Context: takes f.  May sleep (allocates the missing
 * tables with GFP_KERNEL_ACCOUNT under the lock).
 *
 * Writes vmarena_pte_make(@pfn, @prot), accessed and not dirty, at @va.  A
 * leaf already at @va is replaced, its accessed and dirty bits dropped: a
 * caller that needs them reads them first.
 *
 * Return: 0; -EINVAL for a bad argument; -ENOMEM when a table could not be
 * allocated, in which case nothing has changed (no empty table is left).
 */
int vmarena_ptfrag_map(struct vmarena_ptfrag *pf, unsigned long va,
		       unsigned long pfn, u32 prot)
{
	int ret;

	might_sleep();
	if (!vmarena_va_ok(va) || !vmarena_pfn_ok(pfn) || !vmarena_prot_ok(prot))
		return -EINVAL;

	mutex_lock(&pf->lock);
	ret = vmarena_ptfrag_map_locked(pf, va, pfn, prot);
	mutex_unlock(&pf->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_map);

/**
 * vmarena_ptfrag_map_run() - map @n pages at consecutive addresses
 * @pf: the fragments
 * @va: the first page's address, as for vmarena_ptfrag_map()
 * @pfns: the page frames, one per page
 * @n: how many
 * @prot: as for vmarena_ptfrag_map()
 *
 * vmarena_ptfrag_map() of each page, under one hold of @pf->lock; stops at
 * the first page that fails.
 *
 * Context: as for vmarena_ptfrag_map().
 * Return: how many pages, from the first, are mapped.
 */
unsigned int vmarena_ptfrag_map_run(struct vmarena_ptfrag *pf, unsigned long va,
				    const unsigned long *pfns, unsigned int n, u32 prot)
{
	unsigned int i;

	might_sleep();
	if (!vmarena_prot_ok(prot))
		return 0;

	mutex_lock(&pf->lock);
	for (i = 0; i < n; i++, va += PAGE_SIZE)
		if (!vmarena_va_ok(va) || !vmarena_pfn_ok(pfns[i]) ||
		    vmarena_ptfrag_map_locked(pf, va, pfns[i], prot))
			break;
	mutex_unlock(&pf->lock);
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_map_run);

/*
 * One pass over the present leaves of a range, in ascending order.  ->leaf
 * is called for each; a nonzero return stops the pass.  With ->prune, the
 * tables that the pass leaves empty are freed on the way back up.
 */
struct vmarena_ptfrag_iter {
	struct vmarena_ptfrag *pf;
	int (*leaf)(struct vmarena_ptfrag_iter *it, u64 *ptep, unsigned long va);
	bool prune;
	unsigned long count;	/* leaves visited */
	u32 prot;		/* protect */
	int (*fn)(void *arg, unsigned long va,	/* walk */
		  const struct vmarena_pte_info *info);
	void *arg;
	struct seq_file *m;	/* dump */
};

/*
 * Visit [va, end) within @table, at @level.  Entries that are not present
 * are skipped whole, so the cost follows what is mapped, not the length of
 * the range.  Context: f held.
 */
static int vmarena_ptfrag_iter_table(struct vmarena_ptfrag_iter *it, u64 *table,
				     int level, unsigned long va, unsigned long end)
{
	unsigned long next;
	int ret = 0;

	lockdep_assert_held(&it->pf->lock);
	for (; va < end && !ret; va = next) {
		u64 *entry = &table[vmarena_index(va, level)];
		u64 *child;

		next = vmarena_entry_end(va, end, level);
		if (!(*entry & _PAGE_PRESENT))
			continue;
		if (level == 1) {
			it->count++;
			ret = it->leaf(it, entry, va);
			continue;
		}
		child = vmarena_entry_table(*entry);
		ret = vmarena_ptfrag_iter_table(it, child, level - 1, va, next);
		if (it->prune && vmarena_table_empty(child)) {
			*entry = 0;
			vmarena_table_free(it->pf, child);
		}
	}
	return ret;
}

/* Visit [va, va + len), a range already validated.  Context: f held. */
static int vmarena_ptfrag_iter(struct vmarena_ptfrag_iter *it, unsigned long va,
			       unsigned long len)
{
	struct vmarena_ptfrag *pf = it->pf;
	int ret;

	lockdep_assert_held(&pf->lock);
	if (!pf->root || !len)
		return 0;
	ret = vmarena_ptfrag_iter_table(it, pf->root, VMARENA_LEVELS, va, va + len);
	if (it->prune && vmarena_table_empty(pf->root)) {
		vmarena_table_free(pf, pf->root);
		pf->root = NULL;
		WARN_ON_ONCE(pf->nr_tables || pf->nr_present);
	}
	return ret;
}

/* An iterator's leaf: clear it.  Context: f held. */
static int vmarena_unmap_leaf(struct vmarena_ptfrag_iter *it, u64 *ptep, unsigned long va)
{
	lockdep_assert_held(&it->pf->lock);
	*ptep = 0;
	it->pf->nr_present--;
	return 0;
}

/**
 * vmarena_ptfrag_unmap() - unmap a range
 * @pf: the fragments
 * @va: start, page aligned
 * @len: length in bytes, page aligned; [@va, @va + @len) must lie below
 *	VMARENA_PTFRAG_LIMIT
 *
 * Context: takes f.  May sleep.
 *
 * Clears every present leaf in the range and frees every table that this
 * leaves empty, the root included (->root then goes back to NULL).  The
 * cost follows the tables that exist in the range, not its length.  The
 * callers are internal, so a bad range is not an error to report: it
 * unmaps nothing.
 *
 * Return: the number of leaves cleared; 0 for a bad range.
 */
unsigned long vmarena_ptfrag_unmap(struct vmarena_ptfrag *pf, unsigned long va,
				   unsigned long len)
{
	struct vmarena_ptfrag_iter it = {
		.pf = pf,
		.leaf = vmarena_unmap_leaf,
		.prune = true,
	};

	might_sleep();
	if (!vmarena_range_ok(va, len))
		return 0;
	mutex_lock(&pf->lock);
	vmarena_ptfrag_iter(&it, va, len);
	mutex_unlock(&pf->lock);
	return it.count;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_unmap);

/* An iterator's leaf: give it @it->prot.  Context: f held. */
static int vmarena_protect_leaf(struct vmarena_ptfrag_iter *it, u64 *ptep, unsigned long va)
{
	lockdep_assert_held(&it->pf->lock);
	*ptep = (*ptep & ~(_PAGE_RW | _PAGE_NX)) | vmarena_prot_bits(it->prot);
	return 0;
}

/**
 * vmarena_ptfrag_protect() - change the protection of a range
 * @pf: the fragments
 * @va: start, page aligned
 * @len: length in bytes, page aligned; the range lies below
 *	VMARENA_PTFRAG_LIMIT
 * @prot: VMARENA_PROT_* bits; must include READ, nothing beyond ALL.  A
 *	range that must not be accessible at all is unmapped instead.
 *
 * Context: takes f.  May sleep.
 *
 * Rewrites the RW and NX bits of every present leaf in the range; the PFN
 * and the accessed and dirty bits stay.  A bad range or @prot changes
 * nothing.
 *
 * Return: the number of present leaves in the range (each now at @prot,
 * whether or not its bits changed); 0 for bad arguments.
 */
unsigned long vmarena_ptfrag_protect(struct vmarena_ptfrag *pf, unsigned long va,
				     unsigned long len, u32 prot)
{
	struct vmarena_ptfrag_iter it = {
		.pf = pf,
		.leaf = vmarena_protect_leaf,
		.prot = prot,
	};

	might_sleep();
	if (!vmarena_range_ok(va, len) || !vmarena_prot_ok(prot))
		return 0;
	mutex_lock(&pf->lock);
	vmarena_ptfrag_iter(&it, va, len);
	mutex_unlock(&pf->lock);
	return it.count;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_protect);

/**
 * vmarena_ptfrag_lookup() - what is mapped at an address
 * @pf: the fragments
 * @va: page aligned, below VMARENA_PTFRAG_LIMIT
 * @info: filled in on success
 *
 * Context: takes f.  May sleep.
 *
 * Return: 0 with @info filled in; -ENOENT if nothing is mapped at @va;
 * -EINVAL for a bad @va.
 */
int vmarena_ptfrag_lookup(struct vmarena_ptfrag *pf, unsigned long va,
			  struct vmarena_pte_info *info)
{
	u64 *ptep;
	int ret = -ENOENT;

	might_sleep();
	if (!vmarena_va_ok(va))
		return -EINVAL;
	mutex_lock(&pf->lock);
	ptep = vmarena_ptfrag_pte(pf, va);
	if (ptep && (*ptep & _PAGE_PRESENT)) {
		vmarena_pte_decode(*ptep, info);
		ret = 0;
	}
	mutex_unlock(&pf->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_lookup);

/* Clear @bit in the leaf at @va; return whether it was set.  Context: takes f. */
static bool vmarena_ptfrag_test_and_clear(struct vmarena_ptfrag *pf, unsigned long va,
					  u64 bit)
{
	bool was = false;
	u64 *ptep;

	if (!vmarena_va_ok(va))
		return false;
	mutex_lock(&pf->lock);
	ptep = vmarena_ptfrag_pte(pf, va);
	if (ptep && (*ptep & _PAGE_PRESENT)) {
		was = *ptep & bit;
		*ptep &= ~bit;
	}
	mutex_unlock(&pf->lock);
	return was;
}

/**
 * vmarena_ptfrag_test_and_clear_young() - test and clear the accessed bit
 * @pf: the fragments
 * @va: page aligned, below VMARENA_PTFRAG_LIMIT
 *
 * Context: takes f.  May sleep.
 *
 * Return: whether the leaf at @va was accessed (now cleared); false when
 * nothing is mapped there or @va is bad.
 */
bool vmarena_ptfrag_test_and_clear_young(struct vmarena_ptfrag *pf, unsigned long va)
{
	might_sleep();
	return vmarena_ptfrag_test_and_clear(pf, va, _PAGE_ACCESSED);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_test_and_clear_young);

/**
 * vmarena_ptfrag_test_and_clear_dirty() - test and clear the dirty bit
 * @pf: the fragments
 * @va: page aligned, below VMARENA_PTFRAG_LIMIT
 *
 * Context: takes f.  May sleep.
 *
 * Return: whether the leaf at @va was dirty (now cleared); false when
 * nothing is mapped there or @va is bad.
 */
bool vmarena_ptfrag_test_and_clear_dirty(struct vmarena_ptfrag *pf, unsigned long va)
{
	might_sleep();
	return vmarena_ptfrag_test_and_clear(pf, va, _PAGE_DIRTY);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_test_and_clear_dirty);

/* An iterator's leaf: hand it to the walk's @fn.  Context: f held. */
static int vmarena_walk_leaf(struct vmarena_ptfrag_iter *it, u64 *ptep, unsigned long va)
{
	struct vmarena_pte_info info;

	lockdep_assert_held(&it->pf->lock);
	vmarena_pte_decode(*ptep, &info);
	return it->fn(it->arg, va, &info);
}

/**
 * vmarena_ptfrag_walk() - call a function for each present leaf of a range
 * @pf: the fragments
 * @va: start, page aligned
 * @len: length in bytes, page aligned; the range lies below
 *	VMARENA_PTFRAG_LIMIT
 * @fn: called with @arg, the leaf's address and what it says
 * @arg: passed to @fn
 *
 * @fn runs with f held: it must not call back into these fragments, and
 * must not take a lock that comes before f in the order of locking.h.
 *
 * Context: takes f.  May sleep.
 *
 * Leaves are visited in ascending address order.  A nonzero return from
 * @fn stops the walk.
 *
 * Return: 0 when every leaf was visited; the first nonzero value @fn
 * returned; -EINVAL for a bad range.
 */
int vmarena_ptfrag_walk(struct vmarena_ptfrag *pf, unsigned long va, unsigned long len,
			int (*fn)(void *arg, unsigned long va,
				  const struct vmarena_pte_info *info),
			void *arg)
{
	struct vmarena_ptfrag_iter it = {
		.pf = pf,
		.leaf = vmarena_walk_leaf,
		.fn = fn,
		.arg = arg,
	};
	int ret;

	might_sleep();
	if (!vmarena_range_ok(va, len))
		return -EINVAL;
	mutex_lock(&pf->lock);
	ret = vmarena_ptfrag_iter(&it, va, len);
	mutex_unlock(&pf->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_walk);

/* An iterator's leaf: print it.  Context: f held. */
static int vmarena_dump_leaf(struct vmarena_ptfrag_iter *it, u64 *ptep, unsigned long va)
{
	struct vmarena_pte_info info;

	lockdep_assert_held(&it->pf->lock);
	vmarena_pte_decode(*ptep, &info);
	vmarena_dump_printf(it->m, "  %#014lx pfn %#lx %c%c%c %c%c\n", va, info.pfn,
			    info.prot & VMARENA_PROT_READ ? 'r' : '-',
			    info.prot & VMARENA_PROT_WRITE ? 'w' : '-',
			    info.prot & VMARENA_PROT_EXEC ? 'x' : '-',
			    info.accessed ? 'a' : '-', info.dirty ? 'd' : '-');
	return 0;
}

/**
 * vmarena_ptfrag_dump() - describe the fragments
 * @pf: the fragments
 * @m: where to write; NULL for the kernel log (pr_info)
 *
 * Context: takes f.  May sleep.
 *
 * Writes a summary line (tables, present leaves), then one line per
 * present leaf in ascending order: address, PFN, protection as "rwx" with
 * '-' for a missing bit, and "a" (accessed) and "d" (dirty).
 */
void vmarena_ptfrag_dump(struct vmarena_ptfrag *pf, struct seq_file *m)
{
	struct vmarena_ptfrag_iter it = {
		.pf = pf,
		.leaf = vmarena_dump_leaf,
		.m = m,
	};

	might_sleep();
	lockdep_assert_not_held(&pf->lock);
	mutex_lock(&pf->lock);
	vmarena_dump_printf(m, "ptfrag: %lu tables, %lu present\n", pf->nr_tables,
			    pf->nr_present);
	vmarena_ptfrag_iter(&it, 0, VMARENA_PTFRAG_LIMIT);
	mutex_unlock(&pf->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_ptfrag_dump);
