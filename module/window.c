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
#include <asm/tlbflush.h>

#include "uapi/vmarena.h"
#include "vmarena/vmarena.h"
#include "compat.h"
#include "handle.h"

/*
 * mmap_lock is asserted with lockdep_assert_held*(): mmap_assert_locked()
 * of a 6.1 CONFIG_DEBUG_VM kernel calls dump_mm(), which 6.1 does not
 * export to modules.
 */

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
 * Context: mmap_lock held, no vmarena lock; takes a for reading.
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

/*
 * A window as its handle lists it: to read and clear the accessed bits the
 * hardware sets in its PTEs, and to find the processes to populate.  The
 * record lives from the window's mmap or open to its close.
 */
struct vmarena_window_rec {
	struct list_head link;			/* w */
	struct vm_area_struct *vma;		/* - */
};

/*
 * Note that @vma is a window of @h.  Without memory the window is simply
 * not noted: its accessed bits are not read, and populating leaves it to
 * fault.
 * Context: the window's mmap_lock held; takes w.  May sleep.
 */
static void vmarena_window_add(struct vmarena_handle *h, struct vm_area_struct *vma)
{
	struct vmarena_window_rec *w;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return;
	w->vma = vma;
	mutex_lock(&h->windows_lock);
	list_add_tail(&w->link, &h->windows);
	mutex_unlock(&h->windows_lock);
}

/* @vma no longer maps @h.  Context: its mmap_lock held; takes w. */
static void vmarena_window_del(struct vmarena_handle *h, struct vm_area_struct *vma)
{
	struct vmarena_window_rec *w, *found = NULL;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	mutex_lock(&h->windows_lock);
	list_for_each_entry(w, &h->windows, link) {
		if (w->vma == vma) {
			found = w;
			list_del(&w->link);
			break;
		}
	}
	mutex_unlock(&h->windows_lock);
	kfree(found);
}

/* ->open: a fork or a split.  Context: mmap_lock held; takes w. */
static void vmarena_window_open(struct vm_area_struct *vma)
{
	struct vmarena_handle *h = vmarena_window_handle(vma);

	vmarena_handle_get(h);
	vmarena_window_add(h, vma);
}

/* ->close.  Context: mmap_lock held; takes w, and n for the last put. */
static void vmarena_window_close(struct vm_area_struct *vma)
{
	struct vmarena_handle *h = vmarena_window_handle(vma);

	vmarena_window_del(h, vma);
	vmarena_handle_put(h);
}

struct vmarena_window_fault {
	struct vm_fault *vmf;
	unsigned int access;	/* what the core was asked for */
	vm_fault_t ret;
};

/*
 * Make the PTE a write fault just installed writable and dirty.  Called
 * by apply_to_existing_page_range().
 * Context: PTL held.
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
 * Install the arena's page in the user's page table.
 *
 * A shared window wants write notification, so vm_page_prot is read-only
 * and vmf_insert_page() maps read-only.  For a write fault that the core
 * has already served as a write (the page is in the top cache, marked
 * modified, mapped writable in the fragments), the CPU would only fault
 * again at once, and ->page_mkwrite would ask the core a second time for
 * the same answer: the PTE is made writable here instead, one fault per
 * first write (measured by tests/bench: half the faults of a first touch).
 *
 * Context: a held for reading and c of the chain held (the fault's);
 * takes PTL.
 */
static int vmarena_window_install(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	struct vmarena_window_fault *wf = arg;
	struct vm_fault *vmf = wf->vmf;

	lockdep_assert_held_read(&vmarena_window_handle(vmf->vma)->as->lock);
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
 * Map the resident pages after the fault too, and, in a shared writable
 * window, make the first @writable of them writable, as a write fault
 * would: the core already counts them as modified.
 * Context: a held for reading and c of the chain held (the fault's);
 * takes PTL.
 */
static void vmarena_window_around(void *arg, unsigned long addr, struct page **pages,
				  unsigned long count, unsigned long writable)
{
	struct vmarena_window_fault *wf = arg;
	struct vm_area_struct *vma = wf->vmf->vma;
	unsigned long uaddr = addr - vmarena_window_addr(wf->vmf->pgoff) + wf->vmf->address;
	unsigned long left = count;

	lockdep_assert_held_read(&vmarena_window_handle(vma)->as->lock);
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

/*
 * ->fault.  Context: mmap_lock (or the VMA's lock) held, no vmarena lock;
 * takes a, c, l, f, q, b, d (vmarena_fault_install_around()).  Sleeps.
 */
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

/*
 * Does the core still have, at the fault's address, the page the faulting
 * PTE maps?  A window's PTE can outlive the core's mapping of its page
 * (the page was replaced without the window being told): then the answer
 * is -ESTALE, and making that PTE writable would be wrong.
 * Context: a held for reading and c of the chain held (the fault's).
 */
static int vmarena_window_same_page(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	struct vm_fault *vmf = arg;

	return pfn == pte_pfn(vmf->orig_pte) ? 0 : -ESTALE;
}

/*
 * The faulting PTE maps a page the core no longer has there: drop it, so
 * that the retried fault finds no PTE and maps the core's page.  Returning
 * VM_FAULT_NOPAGE with the PTE left in place changed nothing: the CPU
 * faulted on it again for ever (issue 18: a clone's page past its
 * source's end after a shrink).
 * Context: no vmarena lock held; takes i_mmap_rwsem, then PTL.
 */
static vm_fault_t vmarena_window_stale(struct vm_fault *vmf)
{
	unmap_mapping_range(vmf->vma->vm_file->f_mapping,
			    (loff_t)vmf->pgoff << PAGE_SHIFT, PAGE_SIZE, 0);
	return VM_FAULT_NOPAGE;
}

/*
 * A write to a page mapped read-only: ask the core for write access.  If
 * the page stays (it was in the top cache), lock it and let Linux make the
 * PTE writable.  If the core copied it up, it has unmapped the old page,
 * and Linux, seeing the PTE changed, retries; if the PTE maps a page the
 * core no longer has there, it is dropped here, and the retried fault maps
 * the core's page.  Every return makes progress.
 *
 * Context: as vmarena_window_fault().  Sleeps.
 */
static vm_fault_t vmarena_window_page_mkwrite(struct vm_fault *vmf)
{
	struct vmarena_handle *h = vmarena_window_handle(vmf->vma);
	int err;

	err = vmarena_fault_install(h->as, vmarena_window_addr(vmf->pgoff), VMARENA_FAULT_WRITE,
				    vmarena_window_same_page, vmf);
	if (err == -ESTALE)
		return vmarena_window_stale(vmf);
	if (err)
		return vmarena_window_errno(err);
	vmarena_stat_inc(VMARENA_STAT_WRITE_TRACKED);
	lock_page(vmf->page);
	return VM_FAULT_LOCKED;
}

/*
 * The same for what is mapped by pfn (device memory, file pages), which
 * has no struct page to lock: 0 lets Linux make the PTE writable, which
 * it may only be if it still maps the core's page.
 * Context: as vmarena_window_fault().  Sleeps.
 */
static vm_fault_t vmarena_window_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vmarena_handle *h = vmarena_window_handle(vmf->vma);
	int err;

	err = vmarena_fault_install(h->as, vmarena_window_addr(vmf->pgoff), VMARENA_FAULT_WRITE,
				    vmarena_window_same_page, vmf);
	if (err == -ESTALE)
		return vmarena_window_stale(vmf);
	return vmarena_window_errno(err);
}

/* ->mprotect.  Context: mmap_lock held for writing; takes a for reading. */
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

struct vmarena_window_fill {
	struct vm_area_struct *vma;
	unsigned long start;		/* aspace address of vma->vm_start */
	unsigned long pfn;		/* expected by the PTE walk */
	bool write;			/* the fragments map the batch writable */
	bool downgraded;		/* a writable PTE was made read-only */
};

/*
 * Bring one present PTE in line with the fragments: writable (and dirty,
 * as a write fault would leave it) where they map the page writable in a
 * shared writable window, read-only where they do not.  A PTE of another
 * page (a private window's copy) is left alone.
 * Context: PTL held (and what vmarena_window_fill() holds).
 */
static int vmarena_window_sync_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct vmarena_window_fill *f = data;
	struct vm_area_struct *vma = f->vma;
	pte_t pte = ptep_get(ptep);
	unsigned long pfn = f->pfn;

	f->pfn++;
	if (!pte_present(pte) || pte_pfn(pte) != pfn)
		return 0;
	if (f->write && !pte_write(pte) &&
	    (vma->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE)) {
		set_pte_at(vma->vm_mm, addr, ptep, pte_mkdirty(pte_mkwrite_novma(pte)));
	} else if (!f->write && pte_write(pte)) {
		set_pte_at(vma->vm_mm, addr, ptep, pte_wrprotect(pte));
		f->downgraded = true;
	}
	return 0;
}

/*
 * Insert what is absent of @count pages at @uaddr; present PTEs stay.
 * Context: as vmarena_window_fill(); takes PTL.
 */
static void vmarena_window_insert(struct vm_area_struct *vma, unsigned long uaddr,
				  struct page **pages, unsigned long count, bool by_pfn)
{
	unsigned long done = 0, left;

	/* A file's pages: by pfn, as the fault maps them (store_file.c). */
	if (by_pfn) {
		for (; done < count; done++)
			vmf_insert_mixed(vma, uaddr + done * PAGE_SIZE,
					 __pfn_to_pfn_t(page_to_pfn(pages[done]), PFN_DEV));
		return;
	}
	while (done < count) {
		left = count - done;
		vm_insert_pages(vma, uaddr + done * PAGE_SIZE, pages + done, &left);
		/* It stops at a present PTE (or a failure): skip that page. */
		done = count - left;
		if (left)
			done++;
	}
}

/* Are @pages, @count of them, at consecutive pfns, in order? */
static bool vmarena_window_pfns_in_order(struct page **pages, unsigned long count)
{
	unsigned long first = page_to_pfn(pages[0]), i;

	for (i = 1; i < count; i++)
		if (page_to_pfn(pages[i]) != first + i)
			return false;
	return true;
}

/*
 * A run of resident pages of the aspace: map what the window lacks, then
 * bring every PTE of the run to the protection the fragments give it.
 * Pages are first inserted with the window's vm_page_prot, read-only in a
 * shared window that wants write notification.
 * Context: the window's mmap_lock, a for reading, c of the area's chain
 * held (and f, but for a run's last batch: vmarena_populate()); takes PTL.
 */
static void vmarena_window_fill(void *arg, unsigned long addr, struct page **pages,
				unsigned long count, u32 prot, bool by_pfn)
{
	struct vmarena_window_fill *f = arg;
	struct vm_area_struct *vma = f->vma;
	unsigned long uaddr = vma->vm_start + (addr - f->start);

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	lockdep_assert_held_read(&vmarena_window_handle(vma)->as->lock);
	vmarena_window_insert(vma, uaddr, pages, count, by_pfn);
	f->pfn = page_to_pfn(pages[0]);
	f->write = prot & VMARENA_PROT_WRITE;
	/*
	 * One walk for a run of consecutive pfns, in order: every pfn, not
	 * the ends only.  Pages at 10, 12, 11, 13 would pass a check of the
	 * ends, and vmarena_window_sync_pte() would pass over 12 and 11
	 * (not the pfn it expects there): left read-only, a write to them
	 * faulted in a super-locked aspace; left writable, a write would
	 * reach a page the fragments map read-only (a copy-on-write source).
	 */
	if (!by_pfn && vmarena_window_pfns_in_order(pages, count)) {
		apply_to_existing_page_range(vma->vm_mm, uaddr, count * PAGE_SIZE,
					     vmarena_window_sync_pte, f);
		return;
	}
	for (; count; count--, pages++, uaddr += PAGE_SIZE) {
		f->pfn = page_to_pfn(*pages);
		apply_to_existing_page_range(vma->vm_mm, uaddr, PAGE_SIZE,
					     vmarena_window_sync_pte, f);
	}
}

/*
 * The TLB flush Linux does not export to modules: every CPU, all of it.
 * Context: IPI.
 */
static void vmarena_window_flush_tlb_one(void *unused)
{
	__flush_tlb_all();
}

/*
 * Populate the part of window @vma that shows [@va, @va + @len).  Returns
 * whether a PTE lost write (the caller flushes the TLBs).
 * Context: the window's mmap_lock held, no vmarena lock; takes a, c, f,
 * PTL (vmarena_populate()).  Sleeps.
 */
static bool vmarena_window_populate_vma(struct vmarena_handle *h, struct vm_area_struct *vma,
					unsigned long va, unsigned long len)
{
	unsigned long start = vmarena_window_addr(vma->vm_pgoff);
	unsigned long end = start + (vma->vm_end - vma->vm_start);
	struct vmarena_window_fill f = { .vma = vma, .start = start };

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	end = min(end, va + len);
	va = max(va, start);
	if (va < end)
		vmarena_populate(h->as, va, end, 0, vmarena_window_fill, &f);
	return f.downgraded;
}

/*
 * Populate @mm's windows of @h's aspace over [@va, @va + @len).  A read
 * lock of mmap_lock: the process's other threads go on running, and
 * those that fault on a page not yet mapped wait only for the page.
 * Context: no vmarena lock held; takes mmap_lock, then as
 * vmarena_window_populate_vma().  Sleeps.
 */
static bool vmarena_window_populate_mm(struct vmarena_handle *h, struct mm_struct *mm,
				       unsigned long va, unsigned long len)
{
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	bool downgraded = false;

	mmap_read_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma)
		if (vma->vm_ops == &vmarena_window_ops && vmarena_window_handle(vma)->as == h->as &&
		    vmarena_window_populate_vma(h, vma, va, len))
			downgraded = true;
	mmap_read_unlock(mm);
	return downgraded;
}

/*
 * The processes that have windows of @h, each with a user reference
 * (mmget), in an array to give back with mmput() and kfree().  Those
 * exiting are left out.  Returns how many (0 also without memory).
 * Context: no vmarena lock held; takes w.  May sleep.
 */
static unsigned int vmarena_window_mms(struct vmarena_handle *h, struct mm_struct ***mms)
{
	struct vmarena_window_rec *w;
	struct mm_struct **list;
	unsigned int n = 0, max = 0, i;

	mutex_lock(&h->windows_lock);
	list_for_each_entry(w, &h->windows, link)
		max++;
	list = kcalloc(max(max, 1U), sizeof(*list), GFP_KERNEL);
	list_for_each_entry(w, &h->windows, link) {
		struct mm_struct *mm = w->vma->vm_mm;

		if (!list)
			break;
		for (i = 0; i < n && list[i] != mm; i++)
			;
		if (i == n && mmget_not_zero(mm))
			list[n++] = mm;
	}
	mutex_unlock(&h->windows_lock);
	*mms = list;
	return n;
}

/*
 * The core's populate: map what the fragments map in [@va, @va + @len) in
 * every window of the aspace, in every process, with its final protection.
 * Context: no vmarena lock held; takes w, then each process's mmap_lock
 * and what vmarena_window_populate_mm() takes.  Sleeps.
 */
static void vmarena_window_populate_all(void *priv, unsigned long va, unsigned long len)
{
	struct vmarena_handle *h = priv;
	struct mm_struct **mms;
	bool downgraded = false;
	unsigned int n, i;

	might_sleep();
	n = vmarena_window_mms(h, &mms);
	for (i = 0; i < n; i++) {
		if (vmarena_window_populate_mm(h, mms[i], va, len))
			downgraded = true;
		mmput(mms[i]);
	}
	kfree(mms);
	if (downgraded)
		on_each_cpu(vmarena_window_flush_tlb_one, NULL, 1);
}

/*
 * The core's unmap, and its protect where the range may fault: every
 * window loses its PTEs for the range (unmap_mapping_range() needs
 * i_mmap_rwsem and page-table locks only, never mmap_lock).
 * Context: any vmarena lock but f may be held; takes i_mmap_rwsem, then
 * PTL.  May sleep.
 */
static void vmarena_window_unmap(void *priv, unsigned long va, unsigned long len,
				 bool discard_private)
{
	struct vmarena_handle *h = priv;

	unmap_mapping_range(h->inode->i_mapping, va, len, discard_private);
}

/* The core's protect.  Context: as vmarena_window_unmap().  May sleep. */
static void vmarena_window_protect(void *priv, unsigned long va, unsigned long len, bool keep)
{
	/* A range that must not fault is brought in line by populate. */
	if (!keep)
		vmarena_window_unmap(priv, va, len, false);
}

struct vmarena_young {
	unsigned long pfn;
	bool young;
};

/* Test and clear one window PTE's accessed bit if it maps the page.  Context: PTL held. */
static int vmarena_window_young_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct vmarena_young *y = data;
	pte_t pte = ptep_get(ptep);

	/*
	 * What x86's ptep_test_and_clear_young() does (it is not exported):
	 * an atomic bit operation, as the MMU may set the dirty bit meanwhile.
	 * No TLB flush (none is exported to modules, and x86's
	 * ptep_clear_flush_young() does not flush either): while a CPU keeps
	 * the translation cached, accesses through it do not set the bit
	 * again, so a busy page can look idle until its TLB entry goes.
	 */
	if (pte_present(pte) && pte_pfn(pte) == y->pfn && pte_young(pte) &&
	    test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)&ptep->pte))
		y->young = true;
	return 0;
}

/*
 * The core's test_and_clear_young: the accessed bits of the windows' PTEs
 * that map @pfn at aspace address @va.  A process whose mmap_lock is
 * contended is skipped (its accesses are seen on a later scan).
 * Context: c and l may be held; takes w, only trylocks each window's
 * mmap_lock (never waits for it), then takes PTL.  May sleep.
 */
static bool vmarena_window_young(void *priv, unsigned long va, unsigned long pfn)
{
	struct vmarena_young y = { .pfn = pfn };
	struct vmarena_handle *h = priv;
	pgoff_t pgoff = va >> PAGE_SHIFT;
	struct vmarena_window_rec *w;

	if (list_empty_careful(&h->windows))
		return false;
	mutex_lock(&h->windows_lock);
	list_for_each_entry(w, &h->windows, link) {
		struct vm_area_struct *vma = w->vma;
		struct mm_struct *mm = vma->vm_mm;

		if (!mmap_read_trylock(mm))
			continue;
		/*
		 * Still in the process's tree: a window that munmap() has
		 * detached may have its page tables freed under a read lock
		 * (6.1 downgrades), though ->close() has not run yet.
		 */
		if (find_vma(mm, vma->vm_start) == vma && pgoff >= vma->vm_pgoff &&
		    pgoff - vma->vm_pgoff < vma_pages(vma))
			apply_to_existing_page_range(mm, vma->vm_start +
						     ((pgoff - vma->vm_pgoff) << PAGE_SHIFT),
						     PAGE_SIZE, vmarena_window_young_pte, &y);
		mmap_read_unlock(mm);
	}
	mutex_unlock(&h->windows_lock);
	return y.young;
}

/* What the core calls to make the windows of an aspace follow it. */
const struct vmarena_window_ops vmarena_window_aspace_ops = {
	.unmap = vmarena_window_unmap,
	.protect = vmarena_window_protect,
	.populate = vmarena_window_populate_all,
	.test_and_clear_young = vmarena_window_young,
};

/*
 * Wired areas (every area of a super-locked aspace) are mapped in a window
 * when it is made, so that touching them never faults.  mmap() computes
 * the final vm_page_prot after ->mmap; the fill inserts with what Linux
 * maps a shared writable page with until its first write
 * (vma_set_page_prot()): present and read-only, also for a write-only
 * window, which reads on x86.  (The window's flags less VM_WRITE gave
 * PAGE_NONE there: present to Linux, not to the CPU, and without NUMA
 * balancing to repair it the CPU took that fault for ever: the fuzzer's
 * livelock.)
 * Context: mmap_lock held for writing, no vmarena lock; takes a, c, f,
 * PTL (vmarena_populate()).  Sleeps.
 */
static void vmarena_window_populate(struct vmarena_handle *h, struct vm_area_struct *vma,
				    unsigned long start)
{
	pgprot_t prot = vma->vm_page_prot;	/* as mmap set it */
	struct vmarena_window_fill f = { .vma = vma, .start = start };

	lockdep_assert_held_write(&vma->vm_mm->mmap_lock);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags & ~VM_SHARED);
	vmarena_populate(h->as, start, start + (vma->vm_end - vma->vm_start),
			 READ_ONCE(h->as->superlocked) ? 0 : VMARENA_POPULATE_WIRED,
			 vmarena_window_fill, &f);
	vma->vm_page_prot = prot;
}

/**
 * vmarena_window_mmap() - map a window of an aspace
 * @file: an aspace fd
 * @vma: the new window; vm_pgoff is the aspace address in pages
 *
 * Returns 0, -EINVAL (the window leaves the aspace) or -EACCES (an area in
 * it does not allow the protection asked for).
 *
 * Context: ->mmap: mmap_lock held for writing, no vmarena lock; takes a,
 * w, c, f, PTL.  Sleeps.
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
	vmarena_window_add(h, vma);
	vmarena_window_populate(h, vma, start);
	return 0;
}
