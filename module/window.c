// SPDX-License-Identifier: GPL-2.0
/*
 * Windows: mmap() of an aspace fd.  The file offset is the aspace address,
 * so a window's page offset is the aspace page it shows.  Loads and stores
 * are served by the core's soft fault, which installs the PTE itself while
 * it holds the locks that any removal of the page needs.
 *
 * What Linux operations do to a window (decided here, tested in
 * tests/user/):
 * - fork(): the child's window shows the same aspace (VM_MIXEDMAP copies
 *   the PTEs; .open takes the child's reference).
 * - MAP_PRIVATE: Linux copy-on-write over the arena's pages: reads see the
 *   aspace, writes go to private anonymous copies and never reach vmarena
 *   (the core is asked for read access only).
 * - mremap(): moving works (the offset moves with the window); growing
 *   fails (VM_DONTEXPAND).
 * - mlock(): accepted and does nothing (Linux skips VM_MIXEDMAP); wiring
 *   is an area's business (its wiring mode and lock level).
 * - mprotect(): refused (EACCES) beyond what the areas in the window allow.
 * - msync(MS_SYNC): the window's file is the aspace fd, at the aspace
 *   address, so Linux calls its fsync for the range: the shared file
 *   areas there hand what was written to their file systems and wait for
 *   the write-back (handle.c, filecache.c).
 * - The pages of file areas are their files' page-cache pages: they are
 *   mapped by pfn, as device memory is (no page reference or mapcount:
 *   see store_file.c), so get_user_pages() does not work on them.
 *
 * Deadlock: the fault holds mmap_lock and takes the aspace lock and the
 * cache locks; area operations take those and then unmap user PTEs with
 * unmap_mapping_range(), which needs only i_mmap_rwsem and page-table
 * locks, never mmap_lock.  So a fault never waits on an operation that
 * waits on it, and needs no back-off (QNX's map_fault_lock/fault_pulse).
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "uapi/vmarena.h"
#include "vmarena/vmarena.h"
#include "compat.h"
#include "handle.h"

static struct vmarena_handle *vmarena_window_handle(struct vm_area_struct *vma)
{
	return vma->vm_private_data;
}

/* The aspace address a fault in @vma at @pgoff is for. */
static unsigned long vmarena_window_addr(pgoff_t pgoff)
{
	return pgoff << PAGE_SHIFT;
}

/*
 * Do the areas of @as in [@start, @end) allow @vm_flags?  Holes are fine:
 * touching them faults.
 */
static int vmarena_window_check(struct vmarena_aspace *as, unsigned long start,
				unsigned long end, unsigned long vm_flags)
{
	struct vmarena_area_desc desc;
	unsigned long cookie = as->base;
	u32 want = 0;

	if (vm_flags & VM_READ)
		want |= VMARENA_PROT_READ;
	if (vm_flags & VM_WRITE)
		want |= VMARENA_PROT_WRITE;
	if (vm_flags & VM_EXEC)
		want |= VMARENA_PROT_EXEC;
	/* Areas in address order; skip those that end before the window. */
	while (!vmarena_area_iterate(as, &cookie, &desc) && desc.base < end) {
		if (desc.base + desc.size <= start)
			continue;
		if (want & ~(desc.protection | (desc.protection ? VMARENA_PROT_READ : 0)))
			return -EACCES;
	}
	return 0;
}

static void vmarena_window_open(struct vm_area_struct *vma)
{
	struct vmarena_handle *h = vmarena_window_handle(vma);

	vmarena_handle_get(h);
	vmarena_aspace_window_add(h->as, vma);
}

static void vmarena_window_close(struct vm_area_struct *vma)
{
	struct vmarena_handle *h = vmarena_window_handle(vma);

	vmarena_aspace_window_del(h->as, vma);
	vmarena_handle_put(h);
}

struct vmarena_window_fault {
	struct vm_fault *vmf;
	unsigned int access;	/* what the core was asked for */
	vm_fault_t ret;
};

/*
 * Make the PTE a write fault just installed writable and dirty.  Called
 * by apply_to_existing_page_range() with the PTE lock held.
 */
static int vmarena_window_pte_mkwrite(pte_t *ptep, unsigned long addr, void *data)
{
	struct vm_area_struct *vma = data;
	pte_t pte = ptep_get(ptep);

	if (pte_present(pte) && !pte_write(pte))
		set_pte_at(vma->vm_mm, addr, ptep, pte_mkdirty(pte_mkwrite_novma(pte)));
	return 0;
}

/*
 * Install the arena's page in the user's page table (core locks held).
 *
 * A shared window wants write notification, so vm_page_prot is read-only
 * and vmf_insert_page() maps read-only.  For a write fault that the core
 * has already served as a write (the page is in the top cache, marked
 * modified, mapped writable in the fragments), the CPU would only fault
 * again at once, and ->page_mkwrite would ask the core a second time for
 * the same answer: the PTE is made writable here instead, one fault per
 * first write (measured by tests/bench: half the faults of a first touch).
 */
static int vmarena_window_install(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	struct vmarena_window_fault *wf = arg;
	struct vm_fault *vmf = wf->vmf;

	/*
	 * Device memory and a file's page-cache pages go in by pfn (special
	 * PTEs: no page reference, no mapcount; see store_file.c), the
	 * arena's own pages by page.
	 */
	if (page)
		wf->ret = vmf_insert_page(vmf->vma, vmf->address, page);
	else
		wf->ret = vmf_insert_mixed(vmf->vma, vmf->address, __pfn_to_pfn_t(pfn, PFN_DEV));
	if (wf->ret == VM_FAULT_NOPAGE && wf->access & VMARENA_FAULT_WRITE &&
	    prot & VMARENA_PROT_WRITE && vmf->vma->vm_flags & VM_WRITE)
		apply_to_existing_page_range(vmf->vma->vm_mm, vmf->address, PAGE_SIZE,
					     vmarena_window_pte_mkwrite, vmf->vma);
	return 0;
}

/*
 * Map the resident pages after the fault too (core locks held), and, in a
 * shared writable window, make the first @writable of them writable, as a
 * write fault would: the core already counts them as modified.
 */
static void vmarena_window_around(void *arg, unsigned long addr, struct page **pages,
				  unsigned long count, unsigned long writable)
{
	struct vmarena_window_fault *wf = arg;
	struct vm_area_struct *vma = wf->vmf->vma;
	unsigned long uaddr = addr - vmarena_window_addr(wf->vmf->pgoff) + wf->vmf->address;
	unsigned long left = count;

	if (wf->ret != VM_FAULT_NOPAGE)
		return;
	/* Best effort: a page someone mapped meanwhile just ends the batch. */
	vm_insert_pages(vma, uaddr, pages, &left);
	writable = min(writable, count - left);
	/* Private windows copy on write in Linux: their PTEs stay read-only. */
	if (writable && (vma->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
		apply_to_existing_page_range(vma->vm_mm, uaddr, writable * PAGE_SIZE,
					     vmarena_window_pte_mkwrite, vma);
}

static vm_fault_t vmarena_window_errno(int err)
{
	switch (err) {
	case 0:
		return 0;
	case -ENOMEM:
		/*
		 * The pool at its cap after the page daemon's runs found
		 * nothing to page out: every page is pinned (wired, locked,
		 * super-locked) or busy.  Linux would retry VM_FAULT_OOM for
		 * ever, so raise SIGBUS, as tmpfs and hugetlbfs do when they
		 * are full.  A kernel allocation that failed is retried.
		 */
		return vmarena_page_available() ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	case -EFAULT:
	case -EACCES:
		return VM_FAULT_SIGSEGV;
	default:
		return VM_FAULT_SIGBUS;
	}
}

/*
 * Shared windows ask for write access; private ones copy in Linux.  An
 * instruction fetch asks for execute access, so a page of an area without
 * VMARENA_PROT_EXEC cannot be faulted in by running it.  (A page already
 * mapped by a load in a window mapped PROT_EXEC keeps the window's
 * protection: Linux exports no way to give a refcounted page a protection
 * of its own in a VM_MIXEDMAP mapping, so execute permission is enforced
 * at fault time and by mmap()/mprotect() of the window, not per PTE.)
 */
static unsigned int vmarena_window_access(struct vm_fault *vmf)
{
	unsigned int access = VMARENA_FAULT_READ;

	if (vmf->flags & FAULT_FLAG_WRITE && vmf->vma->vm_flags & VM_SHARED)
		access = VMARENA_FAULT_WRITE;
	if (vmf->flags & FAULT_FLAG_INSTRUCTION)
		access |= VMARENA_FAULT_EXEC;
	return access;
}

static vm_fault_t vmarena_window_fault(struct vm_fault *vmf)
{
	struct vmarena_handle *h = vmarena_window_handle(vmf->vma);
	unsigned long room = (vmf->vma->vm_end - vmf->address) / PAGE_SIZE - 1;
	struct vmarena_window_fault wf = {
		.vmf = vmf,
		.access = vmarena_window_access(vmf),
		.ret = VM_FAULT_NOPAGE,
	};
	int err;

	err = vmarena_fault_install_around(h->as, vmarena_window_addr(vmf->pgoff),
					   wf.access, vmarena_window_install,
					   vmarena_window_around, room, &wf);
	return err ? vmarena_window_errno(err) : wf.ret;
}

/* Did the core leave @page mapped at the fault's address? */
static int vmarena_window_same_page(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	struct vm_fault *vmf = arg;

	return !page || page == vmf->page ? 0 : -ESTALE;
}

/*
 * A write to a page mapped read-only: ask the core for write access.  If
 * the page stays (it was in the top cache), lock it and let Linux make the
 * PTE writable; if the core copied it up, it has unmapped the old page and
 * the retried fault maps the copy.
 */
static vm_fault_t vmarena_window_page_mkwrite(struct vm_fault *vmf)
{
	struct vmarena_handle *h = vmarena_window_handle(vmf->vma);
	int err;

	err = vmarena_fault_install(h->as, vmarena_window_addr(vmf->pgoff), VMARENA_FAULT_WRITE,
				    vmarena_window_same_page, vmf);
	if (err == -ESTALE)
		return VM_FAULT_NOPAGE;
	if (err)
		return vmarena_window_errno(err);
	vmarena_stat_inc(VMARENA_STAT_WRITE_TRACKED);
	lock_page(vmf->page);
	return VM_FAULT_LOCKED;
}

/* The same for device memory, which has no struct page to lock. */
static vm_fault_t vmarena_window_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vmarena_handle *h = vmarena_window_handle(vmf->vma);
	struct vmarena_fault_result res;
	int err;

	err = vmarena_fault(h->as, vmarena_window_addr(vmf->pgoff), VMARENA_FAULT_WRITE, &res);
	if (err)
		return vmarena_window_errno(err);
	if (res.page)
		put_page(res.page);
	return 0;
}

static int vmarena_window_mprotect(struct vm_area_struct *vma, unsigned long start,
				   unsigned long end, unsigned long newflags)
{
	unsigned long addr = vmarena_window_addr(vma->vm_pgoff) + (start - vma->vm_start);

	return vmarena_window_check(vmarena_window_handle(vma)->as, addr,
				    addr + (end - start), newflags);
}

static const struct vm_operations_struct vmarena_window_ops = {
	.open = vmarena_window_open,
	.close = vmarena_window_close,
	.fault = vmarena_window_fault,
	.page_mkwrite = vmarena_window_page_mkwrite,
	.pfn_mkwrite = vmarena_window_pfn_mkwrite,
	.mprotect = vmarena_window_mprotect,
};

struct vmarena_window_prefault {
	struct vm_area_struct *vma;
	unsigned long start;		/* aspace address of vma->vm_start */
	pgprot_t writable;		/* for pages the core maps writable */
	pgprot_t readonly;		/* for the others */
};

/*
 * Map a batch of resident pages into the new window.  Pages the fragments
 * map writable go in writable (the window would only fault to make them
 * so); the others read-only, so that writes still reach the core.
 */
static void vmarena_window_prefault(void *arg, unsigned long addr, struct page **pages,
				    unsigned long count, u32 prot, bool by_pfn)
{
	struct vmarena_window_prefault *pf = arg;
	struct vm_area_struct *vma = pf->vma;
	unsigned long uaddr = vma->vm_start + (addr - pf->start), i;

	vma->vm_page_prot = prot & VMARENA_PROT_WRITE ? pf->writable : pf->readonly;
	if (!by_pfn) {
		vm_insert_pages(vma, uaddr, pages, &count);
		return;
	}
	/* A file's pages: by pfn, as the fault maps them (store_file.c). */
	for (i = 0; i < count; i++)
		if (vmf_insert_mixed(vma, uaddr + i * PAGE_SIZE,
				     __pfn_to_pfn_t(page_to_pfn(pages[i]), PFN_DEV)) !=
		    VM_FAULT_NOPAGE)
			break;
}

/*
 * Wired areas are mapped in a window when it is made, so that touching
 * them never faults.  mmap() computes the final vm_page_prot after ->mmap;
 * we only borrow the field meanwhile.
 */
static void vmarena_window_populate(struct vmarena_handle *h, struct vm_area_struct *vma,
				    unsigned long start)
{
	pgprot_t prot = vma->vm_page_prot;	/* as mmap set it */
	struct vmarena_window_prefault pf = {
		.vma = vma,
		.start = start,
		.writable = prot,
		/*
		 * What Linux maps a shared writable page with until its first
		 * write (vma_set_page_prot()): present and read-only, also for
		 * a write-only window, which reads on x86.  The window's flags
		 * less VM_WRITE gave PAGE_NONE there: present to Linux, not to
		 * the CPU, and without NUMA balancing to repair it the CPU
		 * took that fault for ever (the fuzzer's livelock).
		 */
		.readonly = vm_get_page_prot(vma->vm_flags & ~VM_SHARED),
	};

	if (!(vma->vm_flags & VM_SHARED))
		pf.writable = pf.readonly;	/* private windows copy in Linux */
	vmarena_populate(h->as, start, start + (vma->vm_end - vma->vm_start),
			 READ_ONCE(h->as->superlocked) ? 0 : VMARENA_POPULATE_WIRED,
			 vmarena_window_prefault, &pf);
	vma->vm_page_prot = prot;
}

/* Populate @mm's windows of @h's aspace with their final protection. */
static void vmarena_window_superlock_mm(struct vmarena_handle *h, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	pgprot_t prot;

	mmap_write_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma) {
		if (vma->vm_ops != &vmarena_window_ops ||
		    vmarena_window_handle(vma)->as != h->as)
			continue;
		/* What the window would have without write notification. */
		prot = vma->vm_page_prot;
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		vmarena_window_populate(vmarena_window_handle(vma), vma,
					vmarena_window_addr(vma->vm_pgoff));
		vma->vm_page_prot = prot;
	}
	mmap_write_unlock(mm);
}

/**
 * vmarena_window_superlock() - map a super-locked aspace into every window
 *	of it
 * @h: a handle of the aspace
 *
 * Every window first loses its PTEs (they may be read-only for write
 * tracking); then each process with a window of the aspace (the core
 * keeps the list) has its windows populated with the final protection,
 * with its mmap_lock held for writing so that borrowing vm_page_prot is
 * safe.  Context: no vmarena lock held; takes each process's mmap_lock.
 */
void vmarena_window_superlock(struct vmarena_handle *h)
{
	struct mm_struct **mms;
	unsigned int n, i;

	might_sleep();
	unmap_mapping_range(h->inode->i_mapping, h->as->base, h->as->size, 0);
	n = vmarena_aspace_window_mms(h->as, &mms);
	for (i = 0; i < n; i++) {
		vmarena_window_superlock_mm(h, mms[i]);
		mmput(mms[i]);
	}
	kfree(mms);
}

/**
 * vmarena_window_mmap() - map a window of an aspace
 * @file: an aspace fd
 * @vma: the new window; vm_pgoff is the aspace address in pages
 *
 * Returns 0, -EINVAL (the window leaves the aspace) or -EACCES (an area in
 * it does not allow the protection asked for).
 */
int vmarena_window_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vmarena_handle *h = vmarena_handle_from_file(file);
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long start;
	int ret;

	if (vma->vm_pgoff > (ULONG_MAX >> PAGE_SHIFT))
		return -EINVAL;
	start = vmarena_window_addr(vma->vm_pgoff);
	if (start < h->as->base || start + len < start || start + len > h->as->base + h->as->size)
		return -EINVAL;
	ret = vmarena_window_check(h->as, start, start + len, vma->vm_flags);
	if (ret)
		return ret;
	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &vmarena_window_ops;
	vma->vm_private_data = h;
	vmarena_handle_get(h);
	vmarena_aspace_window_add(h->as, vma);
	vmarena_window_populate(h, vma, start);
	return 0;
}
