// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the page-table fragments.  Every case has its own struct
 * vmarena_ptfrag (test->priv), set up by the suite's init and destroyed by
 * its exit.  Where the hardware's view matters, the tables are walked by
 * hand from the root, by physical address, as the CPU would walk them; the
 * same walk stands in for the CPU when a case needs the accessed or dirty
 * bit set.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/pgtable_types.h>

#include "uapi/vmarena.h"
#include "module/vmarena/ptfrag.h"

#define PT_ENTRIES	512
#define PML4_SPAN	BIT(39)	/* what one PML4 entry maps */
#define VA_MAX		(VMARENA_PTFRAG_LIMIT - PAGE_SIZE)
#define PFN_MAX		((unsigned long)(PTE_PFN_MASK >> PAGE_SHIFT))
#define PROT_R		VMARENA_PROT_READ
#define PROT_RW		(VMARENA_PROT_READ | VMARENA_PROT_WRITE)
#define PROT_RX		(VMARENA_PROT_READ | VMARENA_PROT_EXEC)
#define PROT_RWX	VMARENA_PROT_ALL
#define TABLE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

static int ptfrag_test_init(struct kunit *test)
{
	struct vmarena_ptfrag *pf = kunit_kzalloc(test, sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	vmarena_ptfrag_init(pf);
	test->priv = pf;
	return 0;
}

static void ptfrag_test_exit(struct kunit *test)
{
	vmarena_ptfrag_destroy(test->priv);
}

/* The index of @va in a table of @level (4 is the PML4, 1 the PT). */
static unsigned int hw_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static u64 *hw_table(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

/* The leaf slot of @va, walked by hand; NULL if a table is missing. */
static u64 *hw_slot(struct vmarena_ptfrag *pf, unsigned long va)
{
	u64 *table = pf->root;
	int level;

	lockdep_assert_held(&pf->lock);
	if (!table)
		return NULL;
	for (level = 4; level > 1; level--) {
		u64 entry = table[hw_index(va, level)];

		if (!(entry & _PAGE_PRESENT))
			return NULL;
		table = hw_table(entry);
	}
	return &table[hw_index(va, 1)];
}

/* The leaf at @va as the CPU would read it; 0 when there is none. */
static u64 hw_read(struct vmarena_ptfrag *pf, unsigned long va)
{
	u64 *slot, pte = 0;

	mutex_lock(&pf->lock);
	slot = hw_slot(pf, va);
	if (slot)
		pte = *slot;
	mutex_unlock(&pf->lock);
	return pte;
}

/* Set @bits in the leaf at @va, as the CPU does on an access or a write. */
static void hw_set(struct kunit *test, struct vmarena_ptfrag *pf, unsigned long va, u64 bits)
{
	u64 *slot;

	mutex_lock(&pf->lock);
	slot = hw_slot(pf, va);
	if (slot)
		*slot |= bits;
	mutex_unlock(&pf->lock);
	KUNIT_ASSERT_NOT_NULL(test, slot);
}

static void map_ok(struct kunit *test, unsigned long va, unsigned long pfn, u32 prot)
{
	KUNIT_ASSERT_EQ_MSG(test, vmarena_ptfrag_map(test->priv, va, pfn, prot), 0,
			    "map %#lx", va);
}

static void expect_mapped(struct kunit *test, unsigned long va, unsigned long pfn, u32 prot)
{
	struct vmarena_pte_info info;

	KUNIT_ASSERT_EQ_MSG(test, vmarena_ptfrag_lookup(test->priv, va, &info), 0,
			    "lookup %#lx", va);
	KUNIT_EXPECT_EQ_MSG(test, info.pfn, pfn, "va %#lx", va);
	KUNIT_EXPECT_EQ_MSG(test, info.prot, prot, "va %#lx", va);
}

static void expect_unmapped(struct kunit *test, unsigned long va)
{
	struct vmarena_pte_info info;

	KUNIT_EXPECT_EQ_MSG(test, vmarena_ptfrag_lookup(test->priv, va, &info), -ENOENT,
			    "va %#lx", va);
}

static void expect_counts(struct kunit *test, unsigned long tables, unsigned long present)
{
	struct vmarena_ptfrag *pf = test->priv;

	KUNIT_EXPECT_EQ(test, pf->nr_tables, tables);
	KUNIT_EXPECT_EQ(test, pf->nr_present, present);
	if (!tables)
		KUNIT_EXPECT_NULL(test, pf->root);
	else
		KUNIT_EXPECT_NOT_NULL(test, pf->root);
}

/* ------------------------------------------------------------ format -- */

static void ptfrag_pte_make_bits(struct kunit *test)
{
	const unsigned long pfn = 0x12345;
	u32 prot;

	for (prot = 0; prot <= VMARENA_PROT_ALL; prot++) {
		u64 pte = vmarena_pte_make(pfn, prot);
		u64 want = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED |
			   ((u64)pfn << PAGE_SHIFT);

		if (prot & VMARENA_PROT_WRITE)
			want |= _PAGE_RW;
		if (!(prot & VMARENA_PROT_EXEC))
			want |= _PAGE_NX;

		KUNIT_EXPECT_TRUE_MSG(test, pte & _PAGE_PRESENT, "prot %u", prot);
		KUNIT_EXPECT_TRUE_MSG(test, pte & _PAGE_USER, "prot %u", prot);
		KUNIT_EXPECT_TRUE_MSG(test, pte & _PAGE_ACCESSED, "prot %u", prot);
		KUNIT_EXPECT_FALSE_MSG(test, pte & _PAGE_DIRTY, "prot %u", prot);
		KUNIT_EXPECT_EQ_MSG(test, !!(pte & _PAGE_RW), !!(prot & VMARENA_PROT_WRITE),
				    "prot %u", prot);
		KUNIT_EXPECT_EQ_MSG(test, !!(pte & _PAGE_NX), !(prot & VMARENA_PROT_EXEC),
				    "prot %u", prot);
		KUNIT_EXPECT_EQ_MSG(test, (pte & PTE_PFN_MASK) >> PAGE_SHIFT, (u64)pfn,
				    "prot %u", prot);
		KUNIT_EXPECT_FALSE_MSG(test, pte & (_PAGE_PWT | _PAGE_PCD | _PAGE_PSE |
						    _PAGE_GLOBAL), "prot %u", prot);
		/* No stray bits: exactly the expected PTE. */
		KUNIT_EXPECT_EQ_MSG(test, pte, want, "prot %u", prot);
	}
}

static void ptfrag_pte_make_pfn_placement(struct kunit *test)
{
	const unsigned long pfns[] = { 0, 1, 0x80, 0x12345, 0xfffff, PFN_MAX };
	const u64 flags = vmarena_pte_make(0, PROT_RW);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, flags & PTE_PFN_MASK, 0ULL);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		u64 pte = vmarena_pte_make(pfns[i], PROT_RW);

		KUNIT_EXPECT_EQ_MSG(test, pte & PTE_PFN_MASK, (u64)pfns[i] << PAGE_SHIFT,
				    "pfn %#lx", pfns[i]);
		KUNIT_EXPECT_EQ_MSG(test, pte & ~PTE_PFN_MASK, flags, "pfn %#lx", pfns[i]);
	}
}

static void ptfrag_pte_decode_round_trip(struct kunit *test)
{
	const u32 prots[] = { PROT_R, PROT_RW, PROT_RX, PROT_RWX };
	const unsigned long pfns[] = { 0, 7, 0x12345, PFN_MAX };
	struct vmarena_pte_info info;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(prots); i++) {
		for (j = 0; j < ARRAY_SIZE(pfns); j++) {
			u64 pte = vmarena_pte_make(pfns[j], prots[i]);

			vmarena_pte_decode(pte, &info);
			KUNIT_EXPECT_EQ(test, info.pfn, pfns[j]);
			KUNIT_EXPECT_EQ(test, info.prot, prots[i]);
			KUNIT_EXPECT_TRUE(test, info.accessed);
			KUNIT_EXPECT_FALSE(test, info.dirty);

			vmarena_pte_decode((pte | _PAGE_DIRTY) & ~_PAGE_ACCESSED, &info);
			KUNIT_EXPECT_EQ(test, info.pfn, pfns[j]);
			KUNIT_EXPECT_EQ(test, info.prot, prots[i]);
			KUNIT_EXPECT_FALSE(test, info.accessed);
			KUNIT_EXPECT_TRUE(test, info.dirty);
		}
	}
}

static void ptfrag_pte_decode_not_present(struct kunit *test)
{
	struct vmarena_pte_info info;

	memset(&info, 0xa5, sizeof(info));
	vmarena_pte_decode(0, &info);
	KUNIT_EXPECT_EQ(test, info.pfn, 0UL);
	KUNIT_EXPECT_EQ(test, info.prot, 0U);
	KUNIT_EXPECT_FALSE(test, info.accessed);
	KUNIT_EXPECT_FALSE(test, info.dirty);

	/* Without the present bit, nothing else counts. */
	memset(&info, 0xa5, sizeof(info));
	vmarena_pte_decode((vmarena_pte_make(0x42, PROT_RWX) | _PAGE_DIRTY) & ~_PAGE_PRESENT,
			   &info);
	KUNIT_EXPECT_EQ(test, info.pfn, 0UL);
	KUNIT_EXPECT_EQ(test, info.prot, 0U);
	KUNIT_EXPECT_FALSE(test, info.accessed);
	KUNIT_EXPECT_FALSE(test, info.dirty);
}

/* ------------------------------------------------------- map, lookup -- */

static void ptfrag_map_then_lookup(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = 0x7f0000123000UL;
	struct vmarena_pte_info info;

	expect_unmapped(test, va);
	map_ok(test, va, 0x4321, PROT_RX);
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_lookup(pf, va, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pfn, 0x4321UL);
	KUNIT_EXPECT_EQ(test, info.prot, (u32)PROT_RX);
	KUNIT_EXPECT_TRUE(test, info.accessed);
	KUNIT_EXPECT_FALSE(test, info.dirty);
	expect_counts(test, 4, 1);

	/* The neighbours, in the same PT, are not mapped. */
	expect_unmapped(test, va - PAGE_SIZE);
	expect_unmapped(test, va + PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_lookup(pf, va + 1, &info), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_lookup(pf, VMARENA_PTFRAG_LIMIT, &info), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_lookup(pf, ULONG_MAX & PAGE_MASK, &info), -EINVAL);
}

static void ptfrag_map_invalid(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = SZ_1G;

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va + 1, 1, PROT_R), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va + PAGE_SIZE - 1, 1, PROT_R), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, VMARENA_PTFRAG_LIMIT, 1, PROT_R), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, ULONG_MAX & PAGE_MASK, 1, PROT_R), -EINVAL);
	/* prot: read is required, unknown bits are refused. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, 1, VMARENA_PROT_WRITE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, 1, VMARENA_PROT_EXEC), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, 1, PROT_RWX | 0x8), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, 1, 0x80000001), -EINVAL);
	/* pfn: must fit in the PTE. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, PFN_MAX + 1, PROT_R), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_map(pf, va, ULONG_MAX, PROT_R), -EINVAL);

	/* Nothing was allocated for any of them. */
	expect_counts(test, 0, 0);
}

static void ptfrag_map_pfn_limits(struct kunit *test)
{
	map_ok(test, 0x1000, PFN_MAX, PROT_RW);
	map_ok(test, 0x2000, 0, PROT_R);
	expect_mapped(test, 0x1000, PFN_MAX, PROT_RW);
	expect_mapped(test, 0x2000, 0, PROT_R);
	KUNIT_EXPECT_EQ(test, hw_read(test->priv, 0x1000), vmarena_pte_make(PFN_MAX, PROT_RW));
}

static void ptfrag_map_replace(struct kunit *test)
{
	const unsigned long va = 0x40000000UL;

	map_ok(test, va, 0x100, PROT_R);
	hw_set(test, test->priv, va, _PAGE_DIRTY);
	expect_counts(test, 4, 1);

	map_ok(test, va, 0x200, PROT_RWX);
	expect_counts(test, 4, 1);
	expect_mapped(test, va, 0x200, PROT_RWX);
	/* The new leaf is exactly what pte_make says: the old dirty bit is gone. */
	KUNIT_EXPECT_EQ(test, hw_read(test->priv, va), vmarena_pte_make(0x200, PROT_RWX));

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(test->priv, va, PAGE_SIZE), 1UL);
	expect_counts(test, 0, 0);
}

static void ptfrag_map_extremes(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;

	map_ok(test, 0, 0x11, PROT_R);
	map_ok(test, VA_MAX, 0x22, PROT_RW);
	expect_mapped(test, 0, 0x11, PROT_R);
	expect_mapped(test, VA_MAX, 0x22, PROT_RW);
	/* Two complete paths under one root. */
	expect_counts(test, 7, 2);

	/* The first and the last entry of the lower half of the PML4. */
	KUNIT_EXPECT_EQ(test, hw_index(0, 4), 0U);
	KUNIT_EXPECT_EQ(test, hw_index(VA_MAX, 4), 255U);
	KUNIT_EXPECT_EQ(test, hw_index(VA_MAX, 1), 511U);
	mutex_lock(&pf->lock);
	KUNIT_EXPECT_TRUE(test, pf->root[0] & _PAGE_PRESENT);
	KUNIT_EXPECT_TRUE(test, pf->root[255] & _PAGE_PRESENT);
	KUNIT_EXPECT_FALSE(test, pf->root[256] & _PAGE_PRESENT);
	mutex_unlock(&pf->lock);
	KUNIT_EXPECT_EQ(test, hw_read(pf, 0), vmarena_pte_make(0x11, PROT_R));
	KUNIT_EXPECT_EQ(test, hw_read(pf, VA_MAX), vmarena_pte_make(0x22, PROT_RW));

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, VA_MAX, PAGE_SIZE), 1UL);
	expect_counts(test, 4, 1);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, PAGE_SIZE), 1UL);
	expect_counts(test, 0, 0);
}

/* The tables are real: what the CPU would find, walking from the root. */
static void ptfrag_tables_are_real(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned int idx[5] = { 0, 8, 7, 6, 5 };	/* by level */
	const unsigned long va = 5UL << 39 | 6UL << 30 | 7UL << 21 | 8UL << 12;
	u64 *table;
	int level;
	unsigned int i;

	map_ok(test, va, 0xabcde, PROT_RW);

	mutex_lock(&pf->lock);
	table = pf->root;
	for (level = 4; level >= 1; level--) {
		u64 entry = table[idx[level]];

		KUNIT_EXPECT_TRUE_MSG(test, PAGE_ALIGNED(table), "level %d", level);
		KUNIT_EXPECT_TRUE_MSG(test, virt_addr_valid(table), "level %d", level);
		KUNIT_EXPECT_EQ_MSG(test, hw_index(va, level), idx[level], "level %d", level);
		/* Exactly one entry in each table. */
		for (i = 0; i < PT_ENTRIES; i++)
			if (i != idx[level])
				KUNIT_EXPECT_EQ_MSG(test, table[i], 0ULL, "level %d [%u]",
						    level, i);
		if (level == 1) {
			KUNIT_EXPECT_EQ(test, entry, vmarena_pte_make(0xabcde, PROT_RW));
			break;
		}
		/* An upper-level entry: the next table's physical address. */
		KUNIT_EXPECT_EQ_MSG(test, entry & ~PTE_PFN_MASK, (u64)TABLE_FLAGS,
				    "level %d", level);
		if (!(entry & _PAGE_PRESENT))
			break;
		table = hw_table(entry);
		KUNIT_EXPECT_EQ_MSG(test, (u64)__pa(table), entry & PTE_PFN_MASK,
				    "level %d", level);
	}
	mutex_unlock(&pf->lock);
	KUNIT_EXPECT_EQ(test, level, 1);
}

/* ------------------------------------------------------------ tables -- */

static void ptfrag_tables_only_where_mapped(struct kunit *test)
{
	const unsigned long va = 0x1000000000UL;	/* 64 GiB */

	expect_counts(test, 0, 0);
	map_ok(test, va, 1, PROT_R);			/* PML4, PDPT, PD, PT */
	expect_counts(test, 4, 1);
	map_ok(test, va + PAGE_SIZE, 2, PROT_R);	/* same PT */
	expect_counts(test, 4, 2);
	map_ok(test, va + SZ_2M, 3, PROT_R);		/* same PD, new PT */
	expect_counts(test, 5, 3);
	map_ok(test, va + SZ_1G, 4, PROT_R);		/* same PDPT, new PD and PT */
	expect_counts(test, 7, 4);
	map_ok(test, va + PML4_SPAN, 5, PROT_R);		/* new PDPT, PD and PT */
	expect_counts(test, 10, 5);
	map_ok(test, va + PML4_SPAN + SZ_2M + PAGE_SIZE, 6, PROT_R);
	expect_counts(test, 11, 6);
}

static void ptfrag_tables_freed_when_empty(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = 0x1000000000UL;

	map_ok(test, va, 1, PROT_R);
	map_ok(test, va + PAGE_SIZE, 2, PROT_R);
	map_ok(test, va + SZ_2M, 3, PROT_R);
	map_ok(test, va + SZ_1G, 4, PROT_R);
	map_ok(test, va + PML4_SPAN, 5, PROT_R);
	expect_counts(test, 10, 5);

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va + PML4_SPAN, PAGE_SIZE), 1UL);
	expect_counts(test, 7, 4);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va + SZ_1G, PAGE_SIZE), 1UL);
	expect_counts(test, 5, 3);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va + SZ_2M, PAGE_SIZE), 1UL);
	expect_counts(test, 4, 2);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va, PAGE_SIZE), 1UL);
	expect_counts(test, 4, 1);
	/* Unmapping where nothing is mapped frees nothing. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va + 2 * PAGE_SIZE, PAGE_SIZE), 0UL);
	expect_counts(test, 4, 1);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va + PAGE_SIZE, PAGE_SIZE), 1UL);
	expect_counts(test, 0, 0);

	/* And it all comes back. */
	map_ok(test, va, 1, PROT_R);
	expect_counts(test, 4, 1);
}

/* ------------------------------------------------------------- unmap -- */

static void ptfrag_unmap_returns_count(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = 0x10000UL;

	map_ok(test, va, 1, PROT_R);
	map_ok(test, va + 2 * PAGE_SIZE, 2, PROT_RW);
	map_ok(test, va + 4 * PAGE_SIZE, 3, PROT_RX);
	map_ok(test, va + 6 * PAGE_SIZE, 4, PROT_R);
	expect_counts(test, 4, 4);

	/* Five pages, three of them mapped. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va, 5 * PAGE_SIZE), 3UL);
	expect_unmapped(test, va);
	expect_unmapped(test, va + 2 * PAGE_SIZE);
	expect_unmapped(test, va + 4 * PAGE_SIZE);
	expect_mapped(test, va + 6 * PAGE_SIZE, 4, PROT_R);
	expect_counts(test, 4, 1);

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va, 5 * PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, va, 0), 0UL);
	expect_counts(test, 4, 1);
}

static void ptfrag_unmap_across_tables(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long base = SZ_1G - SZ_4M;	/* two PTs below 1 GiB, one above */
	unsigned long va;
	unsigned int i;

	/* Every 256 KiB over 6 MiB: 24 leaves in 3 PTs, 2 PDs. */
	for (i = 0, va = base; va < SZ_1G + SZ_2M; va += SZ_256K, i++)
		map_ok(test, va, i, PROT_RW);
	expect_counts(test, 1 + 1 + 2 + 3, 24);

	/* The middle PT's 8 leaves and the next PT's first 4: crossing 1 GiB. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, base + SZ_2M, SZ_2M + SZ_1M), 12UL);
	/* The middle PT went; the PT above 1 GiB keeps 4 leaves. */
	expect_counts(test, 1 + 1 + 2 + 2, 12);
	expect_mapped(test, base + SZ_2M - SZ_256K, 7, PROT_RW);
	expect_unmapped(test, base + SZ_2M);
	expect_unmapped(test, SZ_1G + SZ_1M - SZ_256K);
	expect_mapped(test, SZ_1G + SZ_1M, 20, PROT_RW);

	/* The rest, in one range much longer than what is mapped. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, 4UL * SZ_1G), 12UL);
	expect_counts(test, 0, 0);
}

static void ptfrag_unmap_whole_space(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;

	map_ok(test, 0, 1, PROT_R);
	map_ok(test, 3 * PML4_SPAN + 5UL * SZ_1G, 2, PROT_R);
	map_ok(test, VA_MAX, 3, PROT_R);
	expect_counts(test, 10, 3);

	/*
	 * 2^35 pages: this only finishes because absent entries are skipped
	 * whole.  protect and walk over the same range, too.
	 */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, 0, VMARENA_PTFRAG_LIMIT, PROT_RW), 3UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, VMARENA_PTFRAG_LIMIT), 3UL);
	expect_counts(test, 0, 0);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, VMARENA_PTFRAG_LIMIT), 0UL);
}

static void ptfrag_unmap_bad_range(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;

	map_ok(test, 0, 1, PROT_R);
	map_ok(test, VA_MAX, 2, PROT_R);

	/* Bad ranges unmap nothing and say 0. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 1, PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, PAGE_SIZE + 1), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, PAGE_SIZE - 1), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, VA_MAX, 2 * PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, 0, VMARENA_PTFRAG_LIMIT + PAGE_SIZE),
			0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, VA_MAX, ULONG_MAX & PAGE_MASK), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, ULONG_MAX & PAGE_MASK, 2 * PAGE_SIZE),
			0UL);
	expect_counts(test, 7, 2);

	/* The end of the space is a valid end. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_unmap(pf, VA_MAX, PAGE_SIZE), 1UL);
	expect_counts(test, 4, 1);
}

/* ----------------------------------------------------------- protect -- */

static void ptfrag_protect_rewrites_rw_nx(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = SZ_2M - 2 * PAGE_SIZE;	/* across two PTs */
	unsigned int i;

	for (i = 0; i < 4; i++)
		map_ok(test, va + i * PAGE_SIZE, 0x100 + i, PROT_RWX);
	hw_set(test, pf, va + PAGE_SIZE, _PAGE_DIRTY);

	/* The middle two, one of them dirty, on either side of a PT boundary. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va + PAGE_SIZE, 2 * PAGE_SIZE, PROT_R),
			2UL);
	expect_mapped(test, va, 0x100, PROT_RWX);
	expect_mapped(test, va + PAGE_SIZE, 0x101, PROT_R);
	expect_mapped(test, va + 2 * PAGE_SIZE, 0x102, PROT_R);
	expect_mapped(test, va + 3 * PAGE_SIZE, 0x103, PROT_RWX);
	/* RW and NX change; the PFN, accessed and dirty stay. */
	KUNIT_EXPECT_EQ(test, hw_read(pf, va + PAGE_SIZE),
			vmarena_pte_make(0x101, PROT_R) | _PAGE_DIRTY);
	KUNIT_EXPECT_EQ(test, hw_read(pf, va + 2 * PAGE_SIZE), vmarena_pte_make(0x102, PROT_R));

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 4 * PAGE_SIZE, PROT_RW), 4UL);
	for (i = 0; i < 4; i++)
		expect_mapped(test, va + i * PAGE_SIZE, 0x100 + i, PROT_RW);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 4 * PAGE_SIZE, PROT_RX), 4UL);
	for (i = 0; i < 4; i++)
		expect_mapped(test, va + i * PAGE_SIZE, 0x100 + i, PROT_RX);
	KUNIT_EXPECT_TRUE(test, hw_read(pf, va + PAGE_SIZE) & _PAGE_DIRTY);
	expect_counts(test, 5, 4);

	/* Bad arguments change nothing. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 4 * PAGE_SIZE, 0), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 4 * PAGE_SIZE,
						     VMARENA_PROT_WRITE), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 4 * PAGE_SIZE, PROT_RWX | 0x10),
			0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va + 1, PAGE_SIZE, PROT_RWX), 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_protect(pf, va, 1, PROT_RWX), 0UL);
	for (i = 0; i < 4; i++)
		expect_mapped(test, va + i * PAGE_SIZE, 0x100 + i, PROT_RX);
}

/* ------------------------------------------------------ young, dirty -- */

static void ptfrag_test_and_clear_young(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = 0x5000UL;
	struct vmarena_pte_info info;

	map_ok(test, va, 9, PROT_RW);
	KUNIT_EXPECT_TRUE(test, vmarena_ptfrag_test_and_clear_young(pf, va));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, va));
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_lookup(pf, va, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.accessed);
	KUNIT_EXPECT_EQ(test, hw_read(pf, va), vmarena_pte_make(9, PROT_RW) & ~_PAGE_ACCESSED);

	/* The CPU touches the page again. */
	hw_set(test, pf, va, _PAGE_ACCESSED);
	KUNIT_EXPECT_TRUE(test, vmarena_ptfrag_test_and_clear_young(pf, va));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, va));

	/* Nothing mapped, or a bad address: not young, and nothing allocated. */
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, va + PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, SZ_1G));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, va + 1));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_young(pf, VMARENA_PTFRAG_LIMIT));
	expect_counts(test, 4, 1);
}

static void ptfrag_test_and_clear_dirty(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	const unsigned long va = 0x5000UL;
	struct vmarena_pte_info info;

	map_ok(test, va, 9, PROT_RW);
	/* A fresh mapping is not dirty. */
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_dirty(pf, va));

	/* The CPU writes to the page. */
	hw_set(test, pf, va, _PAGE_DIRTY);
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_lookup(pf, va, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.dirty);
	KUNIT_EXPECT_TRUE(test, vmarena_ptfrag_test_and_clear_dirty(pf, va));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_dirty(pf, va));
	/* Only the dirty bit went: accessed is still there. */
	KUNIT_EXPECT_EQ(test, hw_read(pf, va), vmarena_pte_make(9, PROT_RW));

	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_dirty(pf, va + PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_dirty(pf, va + 1));
	KUNIT_EXPECT_FALSE(test, vmarena_ptfrag_test_and_clear_dirty(pf, ULONG_MAX & PAGE_MASK));
}

/* -------------------------------------------------------------- walk -- */

struct walk_log {
	unsigned int n;		/* calls so far */
	unsigned int stop_at;	/* the call that returns @stop_ret; 0: none */
	int stop_ret;
	unsigned long va[16];
	struct vmarena_pte_info info[16];
};

static int walk_record(void *arg, unsigned long va, const struct vmarena_pte_info *info)
{
	struct walk_log *log = arg;

	if (log->n < ARRAY_SIZE(log->va)) {
		log->va[log->n] = va;
		log->info[log->n] = *info;
	}
	log->n++;
	return log->n == log->stop_at ? log->stop_ret : 0;
}

/* Addresses in ascending order, mapped below in a scrambled one. */
static const unsigned long walk_vas[] = {
	0, PAGE_SIZE, SZ_2M - PAGE_SIZE, SZ_2M, SZ_1G + 5 * PAGE_SIZE,
	PML4_SPAN, 2 * PML4_SPAN + SZ_2M, VMARENA_PTFRAG_LIMIT - PAGE_SIZE,
};

static void walk_map_all(struct kunit *test)
{
	static const unsigned int order[] = { 5, 0, 7, 2, 6, 1, 4, 3 };
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(order) != ARRAY_SIZE(walk_vas));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		map_ok(test, walk_vas[order[i]], 0x1000 + order[i],
		       order[i] & 1 ? PROT_RW : PROT_RX);
}

static void ptfrag_walk_ascending(struct kunit *test)
{
	struct walk_log log = {};
	unsigned int i;

	walk_map_all(test);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(test->priv, 0, VMARENA_PTFRAG_LIMIT,
						  walk_record, &log), 0);
	KUNIT_ASSERT_EQ(test, log.n, (unsigned int)ARRAY_SIZE(walk_vas));
	for (i = 0; i < ARRAY_SIZE(walk_vas); i++) {
		KUNIT_EXPECT_EQ_MSG(test, log.va[i], walk_vas[i], "leaf %u", i);
		KUNIT_EXPECT_EQ_MSG(test, log.info[i].pfn, 0x1000UL + i, "leaf %u", i);
		KUNIT_EXPECT_EQ_MSG(test, log.info[i].prot, i & 1 ? (u32)PROT_RW : (u32)PROT_RX,
				    "leaf %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, log.info[i].accessed, "leaf %u", i);
		KUNIT_EXPECT_FALSE_MSG(test, log.info[i].dirty, "leaf %u", i);
	}
}

static void ptfrag_walk_early_stop(struct kunit *test)
{
	struct walk_log log = { .stop_at = 3, .stop_ret = 7 };

	walk_map_all(test);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(test->priv, 0, VMARENA_PTFRAG_LIMIT,
						  walk_record, &log), 7);
	KUNIT_EXPECT_EQ(test, log.n, 3U);
	KUNIT_EXPECT_EQ(test, log.va[2], walk_vas[2]);

	/* A negative value, on the very last leaf, comes back unchanged. */
	log = (struct walk_log){ .stop_at = ARRAY_SIZE(walk_vas), .stop_ret = -EIO };
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(test->priv, 0, VMARENA_PTFRAG_LIMIT,
						  walk_record, &log), -EIO);
	KUNIT_EXPECT_EQ(test, log.n, (unsigned int)ARRAY_SIZE(walk_vas));

	/* A stop on the first leaf visits no other. */
	log = (struct walk_log){ .stop_at = 1, .stop_ret = 1 };
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(test->priv, 0, VMARENA_PTFRAG_LIMIT,
						  walk_record, &log), 1);
	KUNIT_EXPECT_EQ(test, log.n, 1U);
	KUNIT_EXPECT_EQ(test, log.va[0], walk_vas[0]);
}

static void ptfrag_walk_range(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	struct walk_log log = {};

	walk_map_all(test);
	/* [PAGE_SIZE, SZ_1G + 6 pages): walk_vas[1] to walk_vas[4]. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, PAGE_SIZE, SZ_1G + 5 * PAGE_SIZE,
						  walk_record, &log), 0);
	KUNIT_ASSERT_EQ(test, log.n, 4U);
	KUNIT_EXPECT_EQ(test, log.va[0], walk_vas[1]);
	KUNIT_EXPECT_EQ(test, log.va[3], walk_vas[4]);

	/* An empty range, and a range with nothing in it. */
	log = (struct walk_log){};
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, SZ_1G, 0, walk_record, &log), 0);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, 4 * PML4_SPAN, PML4_SPAN, walk_record, &log),
			0);
	KUNIT_EXPECT_EQ(test, log.n, 0U);

	/* Bad ranges. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, 1, PAGE_SIZE, walk_record, &log), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, 0, 1, walk_record, &log), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_walk(pf, VA_MAX, 2 * PAGE_SIZE, walk_record, &log),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, log.n, 0U);
}

/* ---------------------------------------------------- destroy, dump -- */

static void ptfrag_destroy_frees_everything(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	unsigned int i;

	walk_map_all(test);
	for (i = 0; i < 600; i++)	/* two PTs full, a third begun */
		map_ok(test, 64UL * SZ_1G + i * PAGE_SIZE, i, PROT_RW);
	KUNIT_EXPECT_EQ(test, pf->nr_present, 608UL);
	KUNIT_EXPECT_GT(test, pf->nr_tables, 4UL);

	vmarena_ptfrag_destroy(pf);
	expect_counts(test, 0, 0);
	expect_unmapped(test, 0);

	/* Empty, not dead: it maps again, and destroys again. */
	map_ok(test, SZ_2M, 1, PROT_R);
	expect_counts(test, 4, 1);
	vmarena_ptfrag_destroy(pf);
	vmarena_ptfrag_destroy(pf);
	expect_counts(test, 0, 0);
}

static void ptfrag_dump_lists_leaves(struct kunit *test)
{
	struct vmarena_ptfrag *pf = test->priv;
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);

	vmarena_ptfrag_dump(pf, m);
	KUNIT_EXPECT_STREQ(test, m->buf, "ptfrag: 0 tables, 0 present\n");

	map_ok(test, SZ_2M + PAGE_SIZE, 0x1234, PROT_RX);
	map_ok(test, PAGE_SIZE, 0x42, PROT_RWX);
	map_ok(test, VA_MAX, 0xabcde, PROT_RW);
	hw_set(test, pf, VA_MAX, _PAGE_DIRTY);
	KUNIT_EXPECT_TRUE(test, vmarena_ptfrag_test_and_clear_young(pf, PAGE_SIZE));

	memset(m->buf, 0, m->size);
	m->count = 0;
	vmarena_ptfrag_dump(pf, m);
	KUNIT_EXPECT_FALSE(test, seq_has_overflowed(m));
	KUNIT_EXPECT_STREQ(test, m->buf,
			   "ptfrag: 8 tables, 3 present\n"
			   "  0x000000001000 pfn 0x42 rwx --\n"
			   "  0x000000201000 pfn 0x1234 r-x a-\n"
			   "  0x7ffffffff000 pfn 0xabcde rw- ad\n");

	/* The kernel log version of the same. */
	vmarena_ptfrag_dump(pf, NULL);
}

static struct kunit_case vmarena_ptfrag_cases[] = {
	KUNIT_CASE(ptfrag_pte_make_bits),
	KUNIT_CASE(ptfrag_pte_make_pfn_placement),
	KUNIT_CASE(ptfrag_pte_decode_round_trip),
	KUNIT_CASE(ptfrag_pte_decode_not_present),
	KUNIT_CASE(ptfrag_map_then_lookup),
	KUNIT_CASE(ptfrag_map_invalid),
	KUNIT_CASE(ptfrag_map_pfn_limits),
	KUNIT_CASE(ptfrag_map_replace),
	KUNIT_CASE(ptfrag_map_extremes),
	KUNIT_CASE(ptfrag_tables_are_real),
	KUNIT_CASE(ptfrag_tables_only_where_mapped),
	KUNIT_CASE(ptfrag_tables_freed_when_empty),
	KUNIT_CASE(ptfrag_unmap_returns_count),
	KUNIT_CASE(ptfrag_unmap_across_tables),
	KUNIT_CASE(ptfrag_unmap_whole_space),
	KUNIT_CASE(ptfrag_unmap_bad_range),
	KUNIT_CASE(ptfrag_protect_rewrites_rw_nx),
	KUNIT_CASE(ptfrag_test_and_clear_young),
	KUNIT_CASE(ptfrag_test_and_clear_dirty),
	KUNIT_CASE(ptfrag_walk_ascending),
	KUNIT_CASE(ptfrag_walk_early_stop),
	KUNIT_CASE(ptfrag_walk_range),
	KUNIT_CASE(ptfrag_destroy_frees_everything),
	KUNIT_CASE(ptfrag_dump_lists_leaves),
	{}
};

static struct kunit_suite vmarena_ptfrag_suite = {
	.name = "vmarena_ptfrag",
	.init = ptfrag_test_init,
	.exit = ptfrag_test_exit,
	.test_cases = vmarena_ptfrag_cases,
};

kunit_test_suite(vmarena_ptfrag_suite);
