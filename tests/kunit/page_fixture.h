/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: what the page and clear suites share.  Each test gets its own
 * fixture (test->priv): every page it takes from the arena is tracked and
 * given back in the suite's exit, also when an assertion ends the test
 * early; the cap and the commit limit it changed are restored there too.
 *
 * Owned pages need an owner, and page.c asserts (lockdep) that the owner
 * of a page it gives, moves or frees is locked: each test has a real,
 * empty cache over a null store (VT_OWNER(test)), which the helpers below
 * lock around each call (never across a whole case: KUnit may run a
 * suite's exit in another thread than the case).  Its pages are never in
 * its index; the page daemon is paused while the suite runs.
 */
#ifndef _VMARENA_TESTS_KUNIT_PAGE_FIXTURE_H
#define _VMARENA_TESTS_KUNIT_PAGE_FIXTURE_H

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/string.h>

#include "module/vmarena/cache.h"
#include "module/vmarena/page.h"
#include "module/vmarena/pagedaemon.h"

#define VT_OWNER(test) (vt_fix(test)->owner)

/* Enough for the largest run (1024 pages) and a few more. */
#define VT_MAX_PAGES 1100

struct vt_fixture {
	struct vmarena_cache *owner;
	struct vmarena_page *pages[VT_MAX_PAGES];
	unsigned long nr;
	unsigned long old_max_pages;
	bool restore_max_pages;
	u64 old_commit_limit;
	bool restore_commit_limit;
	u64 charged;
};

static inline struct vt_fixture *vt_fix(struct kunit *test)
{
	return test->priv;
}

static inline void vt_track(struct kunit *test, struct vmarena_page *p)
{
	struct vt_fixture *f = vt_fix(test);

	KUNIT_ASSERT_LT(test, f->nr, (unsigned long)VT_MAX_PAGES);
	f->pages[f->nr++] = p;
}

static inline void vt_untrack(struct kunit *test, struct vmarena_page *p)
{
	struct vt_fixture *f = vt_fix(test);
	unsigned long i;

	for (i = 0; i < f->nr; i++) {
		if (f->pages[i] == p) {
			f->pages[i] = f->pages[--f->nr];
			return;
		}
	}
	KUNIT_FAIL(test, "page %p is not tracked", p);
}

static inline void vt_owner_lock(struct kunit *test)
{
	mutex_lock(&VT_OWNER(test)->lock);
}

static inline void vt_owner_unlock(struct kunit *test)
{
	mutex_unlock(&VT_OWNER(test)->lock);
}

/* A page for this test; NULL when the arena says no. */
static inline struct vmarena_page *vt_alloc(struct kunit *test, pgoff_t offset,
					    unsigned int flags)
{
	struct vmarena_page *p;

	vt_owner_lock(test);
	p = vmarena_page_alloc(VT_OWNER(test), offset, flags);
	vt_owner_unlock(test);
	if (p)
		vt_track(test, p);
	return p;
}

/* Up to @n spare pages for this test (not tracked: the caller tracks them). */
static inline unsigned int vt_alloc_spare(struct kunit *test, pgoff_t offset, unsigned int n,
					  struct vmarena_page **pages)
{
	unsigned int got;

	vt_owner_lock(test);
	got = vmarena_page_alloc_spare(VT_OWNER(test), offset, n, pages);
	vt_owner_unlock(test);
	return got;
}

/* vmarena_page_set_state() with the owner locked, as its callers hold it. */
static inline int vt_set_state(struct kunit *test, struct vmarena_page *p,
			       enum vmarena_page_state state)
{
	int ret;

	vt_owner_lock(test);
	ret = vmarena_page_set_state(p, state);
	vt_owner_unlock(test);
	return ret;
}

/* vmarena_page_adopt() into this test's owner, with it locked. */
static inline int vt_adopt(struct kunit *test, struct vmarena_page *p, pgoff_t offset)
{
	int ret;

	vt_owner_lock(test);
	ret = vmarena_page_adopt(p, VT_OWNER(test), offset);
	vt_owner_unlock(test);
	return ret;
}

/* vmarena_page_free() with the owner locked; the page stays tracked. */
static inline int vt_page_free(struct kunit *test, struct vmarena_page *p)
{
	int ret;

	vt_owner_lock(test);
	ret = vmarena_page_free(p);
	vt_owner_unlock(test);
	return ret;
}

static inline int vt_alloc_run(struct kunit *test, unsigned long count,
			       unsigned int flags, struct vmarena_page **pages)
{
	unsigned long i;
	int ret;

	ret = vmarena_page_alloc_run(count, flags, pages);
	if (!ret)
		for (i = 0; i < count; i++)
			vt_track(test, pages[i]);
	return ret;
}

/* Free a tracked page; the test must not touch it after a 0 return. */
static inline int vt_free(struct kunit *test, struct vmarena_page *p)
{
	int ret = vt_page_free(test, p);

	if (!ret)
		vt_untrack(test, p);
	return ret;
}

/* Change the cap for this test only; returns the previous one. */
static inline unsigned long vt_set_max_pages(struct kunit *test, unsigned long max)
{
	struct vt_fixture *f = vt_fix(test);
	unsigned long old = vmarena_page_set_max_pages(max);

	if (!f->restore_max_pages) {
		f->old_max_pages = old;
		f->restore_max_pages = true;
	}
	return old;
}

/* Change the commit limit for this test only. */
static inline void vt_set_commit_limit(struct kunit *test, u64 limit)
{
	struct vt_fixture *f = vt_fix(test);
	u64 old = vmarena_commit_set_limit(limit);

	if (!f->restore_commit_limit) {
		f->old_commit_limit = old;
		f->restore_commit_limit = true;
	}
}

/*
 * Stop the clear worker and give every pooled page back to the kernel, so
 * that the test starts from an empty pool that nothing else is changing.
 */
static inline void vt_quiesce_and_empty_pool(void)
{
	vmarena_clear_drain();
	vmarena_page_set_max_pages(vmarena_page_set_max_pages(0));
}

static inline bool vt_page_is_zero(struct page *page)
{
	void *va = kmap_local_page(page);
	bool zero = !memchr_inv(va, 0, PAGE_SIZE);

	kunmap_local(va);
	return zero;
}

static inline void vt_page_fill(struct page *page, int c)
{
	void *va = kmap_local_page(page);

	memset(va, c, PAGE_SIZE);
	kunmap_local(va);
}

static inline unsigned long vt_count(enum vmarena_page_state state)
{
	struct vmarena_page_stats s;

	vmarena_page_get_stats(&s);
	return s.count[state];
}

static inline int vt_fixture_init(struct kunit *test)
{
	struct vmarena_store *store;

	test->priv = kunit_kzalloc(test, sizeof(struct vt_fixture), GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	store = vmarena_store_null_create();
	if (!store)
		return -ENOMEM;
	VT_OWNER(test) = vmarena_cache_create(store, false);
	if (!VT_OWNER(test))
		return -ENOMEM;
	/* The page daemon must not look at pages of fake caches. */
	vmarena_pagedaemon_pause(true);
	vt_quiesce_and_empty_pool();
	return 0;
}

static inline void vt_fixture_exit(struct kunit *test)
{
	struct vt_fixture *f = vt_fix(test);

	while (f->nr) {
		struct vmarena_page *p = f->pages[--f->nr];

		/* A test that failed half-way may leave a page wired. */
		p->wired_count = 0;
		KUNIT_EXPECT_EQ(test, vt_page_free(test, p), 0);
	}
	if (f->owner)
		vmarena_cache_put(f->owner);
	if (f->charged)
		vmarena_commit_uncharge(f->charged);
	if (f->restore_commit_limit)
		vmarena_commit_set_limit(f->old_commit_limit);
	if (f->restore_max_pages)
		vmarena_page_set_max_pages(f->old_max_pages);
	vmarena_pagedaemon_pause(false);
}

#endif /* _VMARENA_TESTS_KUNIT_PAGE_FIXTURE_H */
