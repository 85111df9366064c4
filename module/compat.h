/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmarena supports (6.1 to 6.12 and
 * newer) lives here and nowhere else: the rest of the module is written
 * against the newest interface, and this header supplies it on older
 * kernels.  Differences are found by probing the headers the module is
 * built against (Kbuild defines VMARENA_HAVE_*), not by version numbers, so
 * that distribution kernels with backports get the right answer.  Each entry
 * names the release that introduced the interface, so that the entry can go
 * when that release becomes the oldest supported one.
 *
 * The oldest supported release is 6.1 (dkms.conf's BUILD_EXCLUSIVE_KERNEL
 * makes DKMS skip older ones), so what 6.1 already has needs no entry:
 * the VMA iterator and for_each_vma() (6.1, the maple tree),
 * kmap_local_page() (5.11), strscpy().
 *
 * To add an entry for a new kernel: probe the header that declares the
 * new interface in Kbuild (vmarena-probe FILE,EXTENDED-REGEX,MACRO defines
 * MACRO when FILE matches), write the fallback here under #ifndef MACRO,
 * and name the release and commit that brought the change.
 */
#ifndef _VMARENA_COMPAT_H
#define _VMARENA_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>

/*
 * 6.3 (bc292ab00f6c "mm: introduce vma->vm_flags wrapper functions"):
 * vm_flags became read-only outside these helpers.
 */
#ifndef VMARENA_HAVE_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.6 (2f0584f3f4bd "mm: Rename arch pte_mkwrite()'s to pte_mkwrite_novma()"):
 * pte_mkwrite() grew a vma argument (for shadow stacks); the old form is
 * pte_mkwrite_novma().
 */
#ifndef VMARENA_HAVE_PTE_MKWRITE_NOVMA
static inline pte_t pte_mkwrite_novma(pte_t pte)
{
	return pte_mkwrite(pte);
}
#endif

/*
 * 6.13 (cdd30ebb1b9f "module: Convert symbol namespace to string literal")
 * changed MODULE_IMPORT_NS() from taking an identifier to taking a string;
 * both forms end up as this modinfo string.  The KUnit module imports the
 * namespace that EXPORT_SYMBOL_IF_KUNIT() exports the module's internals to.
 */
#define VMARENA_IMPORT_KUNIT_NS() MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING")

/*
 * 6.7 ("genetlink: add CAP_NET_ADMIN test for multicast bind"), backported
 * to Debian's 6.1: multicast groups that need a capability to join.  The
 * events group relies on it to keep other users' objects from unprivileged
 * listeners; without it there is no safe way to offer the group, so the
 * build stops.
 */
#ifndef VMARENA_HAVE_GENL_MCAST_CAP
#error "vmarena needs GENL_MCAST_CAP_SYS_ADMIN (Linux 6.7, or a backport)"
#endif

/*
 * 6.6 (genl_info_dump()): a dump's parsed attributes moved from struct
 * genl_dumpit_info into the struct genl_info it now carries.
 */
#ifdef VMARENA_HAVE_GENL_INFO_DUMP
#define vmarena_genl_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define vmarena_genl_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * 6.12 ("fs: Convert aops->write_begin to take a folio" and the same for
 * write_end, by Matthew Wilcox): write_begin
 * returns the folio it locked, write_end takes it; before they passed its
 * page.  The file store hands written pages over with them.
 */
static inline int vmarena_write_begin(struct file *file, struct address_space *mapping,
				      loff_t pos, unsigned int len, struct folio **foliop,
				      void **fsdata)
{
#ifdef VMARENA_HAVE_WRITE_BEGIN_FOLIO
	return mapping->a_ops->write_begin(file, mapping, pos, len, foliop, fsdata);
#else
	struct page *page;
	int ret;

	ret = mapping->a_ops->write_begin(file, mapping, pos, len, &page, fsdata);
	if (!ret)
		*foliop = page_folio(page);
	return ret;
#endif
}

static inline int vmarena_write_end(struct file *file, struct address_space *mapping,
				    loff_t pos, unsigned int len, unsigned int copied,
				    struct folio *folio, void *fsdata)
{
#ifdef VMARENA_HAVE_WRITE_BEGIN_FOLIO
	return mapping->a_ops->write_end(file, mapping, pos, len, copied, folio, fsdata);
#else
	return mapping->a_ops->write_end(file, mapping, pos, len, copied,
					 folio_file_page(folio, pos >> PAGE_SHIFT), fsdata);
#endif
}

#endif /* _VMARENA_COMPAT_H */
