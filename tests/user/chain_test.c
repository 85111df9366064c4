// SPDX-License-Identifier: GPL-2.0
/*
 * Copy-on-write chains seen through windows (uapi/vmarena.h, "Clones"):
 * what an area shows never depends on the deletion of an unrelated area
 * (which merges caches), and every area sharing one memory shows the same
 * bytes at the same offset, whatever was resized along the chain.  A
 * private clone shows its source until it writes a page itself, but only
 * below the smallest size either of them has had since the clone was
 * made: past it, zeros, also after both grow again.
 *
 * Each test reads every sharer's window and compares it with what the
 * rule says, page by page.
 */
#include <fcntl.h>
#include <sys/mman.h>

#include "vt_arena.h"

#define PAGES	4

/* Page @i of a window. */
static char *pg(void *w, unsigned int i)
{
	return (char *)w + VA_PAGES(i);
}

/* Areas at VA_BASE + 16 pages * slot, each with a window. */
static uint64_t at(unsigned int slot)
{
	return VA_BASE + VA_PAGES(16 * slot);
}

static char *win(struct va_env *e, unsigned int slot)
{
	return va_map_ok(e->as, at(slot), VA_PAGES(PAGES));
}

/* Does page @i of @w hold pattern @seed (0: zeros)?  Says which window. */
static void expect_page(const char *what, char *w, unsigned int i, uint64_t seed)
{
	bool ok = seed ? va_check(pg(w, i), VA_PAGE, seed) : va_is_zero(pg(w, i), VA_PAGE);

	VT_CHECK(ok, 0, "%s page %u: expected %s %llu", what, i, seed ? "pattern" : "zeros",
		 (unsigned long long)seed);
}

/* An anonymous area of PAGES pages in @slot, page i filled with seed + i. */
static uint32_t filled(struct va_env *e, unsigned int slot, uint64_t seed, char **w)
{
	uint32_t id = va_anon_ok(e->as, at(slot), VA_PAGES(PAGES), VA_RW, 0);
	unsigned int i;

	*w = win(e, slot);
	for (i = 0; i < PAGES; i++)
		va_fill(pg(*w, i), VA_PAGE, seed + i);
	return id;
}

static void resize(struct va_env *e, uint32_t id, unsigned int pages)
{
	ASSERT_OK(va_area_op(e->as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(pages)));
}

/*
 * A private clone shrunk and grown back shows zeros in the regrown range,
 * whether its source was deleted in between (a merge) or not.
 */
static void shrink_regrow(bool delete_source)
{
	struct va_env e;
	uint32_t a, p;
	char *wa, *wp, *wq;

	va_env_init(&e);
	a = filled(&e, 0, 100, &wa);
	p = va_clone_ok(e.as, a, at(1), VMARENA_MAP_PRIVATE, VA_RW);
	va_clone_ok(e.as, p, at(2), VMARENA_MAP_SHARED, VA_RW);
	wp = win(&e, 1);
	wq = win(&e, 2);
	expect_page("private clone", wp, 3, 103);

	resize(&e, p, 1);
	if (delete_source)
		ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, a, 0));
	resize(&e, p, PAGES);
	expect_page("private clone, regrown", wp, 0, 100);
	expect_page("its shared clone", wq, 0, 100);
	expect_page("private clone, regrown", wp, 2, 0);
	expect_page("its shared clone", wq, 2, 0);
	expect_page("private clone, regrown", wp, 3, 0);
	expect_page("its shared clone", wq, 3, 0);
	/* And the source, if still there, no longer shows through there. */
	if (!delete_source) {
		va_fill(pg(wa, 2), VA_PAGE, 110);
		expect_page("source", wa, 2, 110);
		expect_page("private clone, after the source wrote", wp, 2, 0);
		expect_page("its shared clone", wq, 2, 0);
		va_fill(pg(wa, 0), VA_PAGE, 111);
		expect_page("private clone, below the shrink", wp, 0, 111);
	}
}

VT_TEST(chain_private_clone_regrown_reads_zeros)
{
	shrink_regrow(false);
}

VT_TEST(chain_private_clone_regrown_after_source_deleted_reads_zeros)
{
	shrink_regrow(true);
}

/*
 * A -> B -> C (private clones), C2 a shared clone of C.  B shrinks: C and
 * C2 show zeros past B's new end, the pages C had mapped from A included,
 * and go on showing zeros after B grows back and after A and B go.
 */
VT_TEST(chain_middle_shrink_is_seen_alike_by_every_sharer)
{
	struct va_env e;
	uint32_t a, b, c;
	char *wa, *wb, *wc, *wc2;
	unsigned int i;

	va_env_init(&e);
	a = filled(&e, 0, 200, &wa);
	b = va_clone_ok(e.as, a, at(1), VMARENA_MAP_PRIVATE, VA_RW);
	c = va_clone_ok(e.as, b, at(2), VMARENA_MAP_PRIVATE, VA_RW);
	va_clone_ok(e.as, c, at(3), VMARENA_MAP_SHARED, VA_RW);
	wb = win(&e, 1);
	wc = win(&e, 2);
	wc2 = win(&e, 3);
	/* C's window maps A's pages (read-only, through B); C2's maps none yet. */
	for (i = 0; i < PAGES; i++)
		expect_page("C before B shrinks", wc, i, 200 + i);
	va_fill(pg(wc, 3), VA_PAGE, 230);	/* C's own copy of page 3 */

	resize(&e, b, 1);
	expect_page("B", wb, 0, 200);
	for (i = 0; i < PAGES; i++) {
		uint64_t want = i == 0 ? 200 : i == 3 ? 230 : 0;

		expect_page("C after B shrank", wc, i, want);
		expect_page("C2 after B shrank", wc2, i, want);
	}
	resize(&e, b, PAGES);
	va_fill(pg(wb, 1), VA_PAGE, 240);
	expect_page("C after B grew and wrote", wc, 1, 0);
	expect_page("C2 after B grew and wrote", wc2, 1, 0);

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, a, 0));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, b, 0));
	for (i = 0; i < PAGES; i++) {
		uint64_t want = i == 0 ? 200 : i == 3 ? 230 : 0;

		expect_page("C after A and B went", wc, i, want);
		expect_page("C2 after A and B went", wc2, i, want);
	}
}

/*
 * The merge of a dying middle cache: A -> B -> C, B shrunk to one page
 * while C has read nothing past it.  Deleting B merges it into C; C must
 * not start showing A's pages past B's end (the merged cache showed
 * zeros there), before or after A writes them.
 */
VT_TEST(chain_merge_shows_no_more_of_the_source_below)
{
	struct va_env e;
	uint32_t a, b, c;
	char *wa, *wc, *wc2;
	unsigned int i;

	va_env_init(&e);
	a = filled(&e, 0, 300, &wa);
	b = va_clone_ok(e.as, a, at(1), VMARENA_MAP_PRIVATE, VA_RW);
	c = va_clone_ok(e.as, b, at(2), VMARENA_MAP_PRIVATE, VA_RW);
	va_clone_ok(e.as, c, at(3), VMARENA_MAP_SHARED, VA_RW);
	wc = win(&e, 2);
	wc2 = win(&e, 3);
	resize(&e, b, 1);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, b, 0));
	for (i = 0; i < PAGES; i++) {
		expect_page("C after B merged", wc, i, i ? 0 : 300);
		expect_page("C2 after B merged", wc2, i, i ? 0 : 300);
	}
	va_fill(pg(wa, 2), VA_PAGE, 310);
	va_fill(pg(wa, 0), VA_PAGE, 311);
	expect_page("C after A wrote", wc, 2, 0);
	expect_page("C2 after A wrote", wc2, 2, 0);
	expect_page("C after A wrote below B's end", wc, 0, 311);
	expect_page("C2 after A wrote below B's end", wc2, 0, 311);
}

/*
 * A source that shrinks bounds its private clones for good: past its new
 * end they show zeros, also after it grows back and writes there, and
 * after it is deleted (merged into the clone).
 */
VT_TEST(chain_source_shrink_bounds_its_clones)
{
	struct va_env e;
	uint32_t a, p;
	char *wa, *wp, *wq;
	unsigned int i;

	va_env_init(&e);
	a = filled(&e, 0, 400, &wa);
	p = va_clone_ok(e.as, a, at(1), VMARENA_MAP_PRIVATE, VA_RW);
	va_clone_ok(e.as, p, at(2), VMARENA_MAP_SHARED, VA_RW);
	wp = win(&e, 1);
	wq = win(&e, 2);
	expect_page("clone", wp, 2, 402);
	resize(&e, a, 2);
	resize(&e, a, PAGES);
	for (i = 2; i < PAGES; i++)
		va_fill(pg(wa, i), VA_PAGE, 410 + i);
	for (i = 0; i < PAGES; i++) {
		expect_page("clone after the source shrank and grew", wp, i, i < 2 ? 400 + i : 0);
		expect_page("its shared clone", wq, i, i < 2 ? 400 + i : 0);
	}
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, a, 0));
	for (i = 0; i < PAGES; i++) {
		expect_page("clone after the source went", wp, i, i < 2 ? 400 + i : 0);
		expect_page("its shared clone", wq, i, i < 2 ? 400 + i : 0);
	}
}

/*
 * Show-through (NewOS): a private clone shows its source's later writes
 * to pages it has not written, read before or not; deleting the source
 * keeps what the clone showed.
 */
VT_TEST(chain_private_clone_shows_source_writes_until_it_writes)
{
	struct va_env e;
	uint32_t a;
	char *wa, *wp;

	va_env_init(&e);
	a = filled(&e, 0, 500, &wa);
	va_clone_ok(e.as, a, at(1), VMARENA_MAP_PRIVATE, VA_RW);
	wp = win(&e, 1);
	expect_page("clone", wp, 1, 501);
	va_fill(pg(wp, 0), VA_PAGE, 520);
	va_fill(pg(wa, 0), VA_PAGE, 510);
	va_fill(pg(wa, 1), VA_PAGE, 511);
	va_fill(pg(wa, 2), VA_PAGE, 512);
	expect_page("clone, a page it wrote", wp, 0, 520);
	expect_page("clone, a page it read", wp, 1, 511);
	expect_page("clone, a page it never touched", wp, 2, 512);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, a, 0));
	expect_page("clone after the source went", wp, 0, 520);
	expect_page("clone after the source went", wp, 1, 511);
	expect_page("clone after the source went", wp, 2, 512);
	expect_page("clone after the source went", wp, 3, 503);
}

/* A file in /tmp of 8 pages, page i holding pattern @seed + i. */
static int file_of(uint64_t seed)
{
	char path[64], *buf = malloc(VA_PAGES(8));
	unsigned int i;
	int fd;

	ASSERT_TRUE(buf);
	snprintf(path, sizeof(path), "/tmp/vt-chain-%d", (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_OK(fd);
	unlink(path);
	for (i = 0; i < 8; i++)
		va_fill(buf + VA_PAGES(i), VA_PAGE, seed + i);
	ASSERT_EQ(pwrite(fd, buf, VA_PAGES(8), 0), (ssize_t)VA_PAGES(8));
	free(buf);
	return fd;
}

/*
 * A private file area of 2 pages grown to 4 shows zeros in pages 2 and 3,
 * whether or not another mapping of the file covers them.
 */
VT_TEST(chain_private_file_area_grows_zeros_whatever_else_maps_the_file)
{
	struct va_env e;
	uint32_t p1, p2;
	char *w1, *w2;
	int fd;

	va_env_init(&e);
	fd = file_of(600);
	p1 = va_file_ok(e.as, at(0), VA_PAGES(2), VA_RW, fd, 0, VMARENA_MAP_PRIVATE);
	w1 = win(&e, 0);
	resize(&e, p1, PAGES);
	va_file_ok(e.as, at(1), VA_PAGES(8), VA_RW, fd, 0, VMARENA_MAP_SHARED);
	p2 = va_file_ok(e.as, at(2), VA_PAGES(2), VA_RW, fd, 0, VMARENA_MAP_PRIVATE);
	w2 = win(&e, 2);
	resize(&e, p2, PAGES);
	expect_page("private file area", w1, 1, 601);
	expect_page("private file area, another mapping there", w2, 1, 601);
	expect_page("private file area, grown", w1, 2, 0);
	expect_page("private file area, grown, another mapping there", w2, 2, 0);
	expect_page("private file area, grown", w1, 3, 0);
	expect_page("private file area, grown, another mapping there", w2, 3, 0);
	close(fd);
}
