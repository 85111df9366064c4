/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-table fragments: an aspace's translation map, kept as real x86-64
 * four-level page tables (PML4, PDPT, PD, PT; 4 KiB pages) with hardware
 * PTE bits.  Tables exist only where something is mapped and are freed
 * when they empty.  The fragments are the authoritative record of what
 * each aspace maps at which protection; they are never loaded into CR3.
 *
 * Addresses are arena virtual addresses below VMARENA_PTFRAG_LIMIT (the
 * lower canonical half), page aligned.
 */
#ifndef _VMARENA_PTFRAG_H
#define _VMARENA_PTFRAG_H

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct seq_file;

#define VMARENA_PTFRAG_LIMIT	BIT(47)
#define VMARENA_PTFRAG_LEVELS	4

struct vmarena_ptfrag {
	struct mutex lock;		/* f */
	u64 *root;			/* f: the PML4, NULL until the first map */
	unsigned long nr_tables;	/* f: table pages, the root included */
	unsigned long nr_present;	/* f: present PTEs */
};

/* What one PTE says. */
struct vmarena_pte_info {
	unsigned long pfn;
	u32 prot;		/* VMARENA_PROT_* */
	bool accessed;
	bool dirty;
};

/* The format, as pure functions (checked bit by bit by KUnit). */
u64 vmarena_pte_make(unsigned long pfn, u32 prot);
void vmarena_pte_decode(u64 pte, struct vmarena_pte_info *info);

void vmarena_ptfrag_init(struct vmarena_ptfrag *pf);
void vmarena_ptfrag_destroy(struct vmarena_ptfrag *pf);

int vmarena_ptfrag_map(struct vmarena_ptfrag *pf, unsigned long va,
		       unsigned long pfn, u32 prot);
unsigned int vmarena_ptfrag_map_run(struct vmarena_ptfrag *pf, unsigned long va,
				    const unsigned long *pfns, unsigned int n, u32 prot);
unsigned long vmarena_ptfrag_unmap(struct vmarena_ptfrag *pf, unsigned long va,
				   unsigned long len);
unsigned long vmarena_ptfrag_protect(struct vmarena_ptfrag *pf, unsigned long va,
				     unsigned long len, u32 prot);
int vmarena_ptfrag_lookup(struct vmarena_ptfrag *pf, unsigned long va,
			  struct vmarena_pte_info *info);
int vmarena_ptfrag_translate(struct vmarena_ptfrag *pf, unsigned long va,
			     u64 entries[VMARENA_PTFRAG_LEVELS]);
bool vmarena_ptfrag_test_and_clear_young(struct vmarena_ptfrag *pf, unsigned long va);
bool vmarena_ptfrag_test_and_clear_dirty(struct vmarena_ptfrag *pf, unsigned long va);
int vmarena_ptfrag_walk(struct vmarena_ptfrag *pf, unsigned long va, unsigned long len,
			int (*fn)(void *arg, unsigned long va,
				  const struct vmarena_pte_info *info),
			void *arg);
void vmarena_ptfrag_dump(struct vmarena_ptfrag *pf, struct seq_file *m);

#endif /* _VMARENA_PTFRAG_H */
