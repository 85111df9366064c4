// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-failnth: allocation-failure injection through
 * /proc/thread-self/fail-nth (FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC).
 *
 *   vmarena-failnth [-v] [-m MAX_N] [SCENARIO...]
 *
 * For every scenario (an ioctl, a window operation or a fault path) and for
 * n = 1, 2, ...: a child sets the scenario up without injection, makes the
 * n-th allocation of its next calls fail, runs the operation, and then
 * checks that
 * - the operation failed with ENOMEM or completed (a fault completes: the
 *   kernel retries a fault that ran out of memory);
 * - the module is consistent: what failed left nothing behind (no area,
 *   no size change, the data intact), and a fresh area still works;
 * until an n at which no allocation failed (the operation ran to its end
 * with every allocation served).  After all scenarios the arena must be
 * back where it started (committed bytes, swap, pages in use); the guest
 * then scans kmemleak.
 *
 * Needs root and debugfs (failslab and fail_page_alloc are set to fail
 * sleeping and order-0 allocations too, quietly).  Exits 0 when every
 * scenario passed, 1 otherwise, 2 without fault injection in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>

#define PAGE		4096UL
#define DEV		"/dev/vmarena"
#define BASE		0x40000000UL
#define LEN		(16UL << 20)
#define FAILNTH		"/proc/thread-self/fail-nth"
#define DBG		"/sys/kernel/debug"

static int verbose;

struct env {
	int ctl, as, as2, file;
	uint32_t id, id2;		/* a source area, a second one */
	uint32_t clone;			/* a scenario's private clone of id */
	char *win;			/* window of the whole aspace */
	uint32_t nareas;
};

static int failures;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			printf("# %s:%d: ", __func__, __LINE__);		\
			printf(__VA_ARGS__);					\
			printf("\n");						\
			fflush(stdout);						\
			_exit(1);						\
		}								\
	} while (0)

/* ---- helpers ------------------------------------------------------------ */

static int anon(int as, uint64_t len, uint32_t wiring, uint32_t lock, uint32_t *id)
{
	struct vmarena_area_create c = { .size = sizeof(c), .length = len,
					 .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					 .wiring = wiring, .lock_level = lock };

	if (ioctl(as, VMARENA_IOC_AREA_CREATE_ANON, &c))
		return -1;
	if (id)
		*id = c.out_id;
	return (int)(c.out_address - BASE);
}

static int op(int as, unsigned long cmd, uint32_t id, uint64_t value)
{
	struct vmarena_area_op o = { .size = sizeof(o), .id = id, .value = value };

	return ioctl(as, cmd, &o);
}

static uint32_t nareas(int as)
{
	struct vmarena_aspace_info i = { .size = sizeof(i) };

	CHECK(!ioctl(as, VMARENA_IOC_ASPACE_INFO, &i), "aspace info: %s", strerror(errno));
	return i.out_areas;
}

static uint64_t area_len(int as, uint32_t id)
{
	struct vmarena_area_info i = { .size = sizeof(i), .id = id };

	CHECK(!ioctl(as, VMARENA_IOC_AREA_INFO, &i), "area info %u: %s", id, strerror(errno));
	return i.out_length;
}

static int aspace(int ctl, uint64_t base, uint64_t len)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = base, .length = len };

	CHECK(!ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c), "aspace: %s", strerror(errno));
	return (int)c.out_fd;
}

static void fill(char *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 64)
		p[i] = (char)(seed + i / 64);
}

static bool same(const char *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 64)
		if (p[i] != (char)(seed + i / 64))
			return false;
	return true;
}

/* The common set-up: an aspace, a written 8-page source area, a window. */
static void setup(struct env *e)
{
	int off;

	e->ctl = open(DEV, O_RDWR);
	CHECK(e->ctl >= 0, "open: %s", strerror(errno));
	e->as = aspace(e->ctl, BASE, LEN);
	e->as2 = aspace(e->ctl, BASE, LEN);
	off = anon(e->as, 8 * PAGE, VMARENA_WIRING_LAZY, 0, &e->id);
	CHECK(off == 0, "source area: %s", strerror(errno));
	CHECK(anon(e->as, 4 * PAGE, VMARENA_WIRING_LAZY, 0, &e->id2) >= 0, "second area: %s",
	      strerror(errno));
	e->win = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, e->as, BASE);
	CHECK(e->win != MAP_FAILED, "window: %s", strerror(errno));
	fill(e->win, 8 * PAGE, 7);
	e->file = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	CHECK(e->file >= 0 && !ftruncate(e->file, 16 * PAGE), "tmpfile: %s", strerror(errno));
	e->nareas = nareas(e->as);
}

/* After the operation, whatever it did: the module still works. */
static void sane(struct env *e)
{
	uint32_t id;
	int off;

	CHECK(same(e->win, 8 * PAGE, 7) || same(e->win, 8 * PAGE, 9),
	      "the source area's data changed");
	off = anon(e->as, 2 * PAGE, VMARENA_WIRING_LAZY, 0, &id);
	CHECK(off >= 0, "a fresh area after the failure: %s", strerror(errno));
	e->win[off] = 1;
	e->win[off + PAGE] = 2;
	CHECK(e->win[off] == 1 && e->win[off + PAGE] == 2, "a fresh area's data");
	CHECK(!op(e->as, VMARENA_IOC_AREA_DELETE, id, 0), "delete: %s", strerror(errno));
}

/* ---- scenarios ------------------------------------------------------------ */

/*
 * run(): the operation under injection; returns 0 or an errno.
 * after(): checks after a failure (@err != 0) or a success.
 */
struct scenario {
	const char *name;
	int (*run)(struct env *e);
	void (*after)(struct env *e, int err);
};

#define RET(x) ((x) ? errno : 0)

static int run_aspace(struct env *e)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = BASE, .length = LEN };

	return RET(ioctl(e->ctl, VMARENA_IOC_ASPACE_CREATE, &c));
}

static int run_persistent(struct env *e)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = BASE, .length = LEN,
					   .flags = VMARENA_ASPACE_PERSISTENT, .mode = 0600,
					   .name = "failnth" };

	return RET(ioctl(e->ctl, VMARENA_IOC_ASPACE_CREATE, &c));
}

static void after_persistent(struct env *e, int err)
{
	struct vmarena_aspace_open o = { .size = sizeof(o), .name = "failnth" };
	int r = ioctl(e->ctl, VMARENA_IOC_ASPACE_UNLINK, &o);

	/* A failed create leaves no name behind; a successful one does. */
	CHECK(err ? r && errno == ENOENT : !r, "unlink after %s: %s", err ? "failure" : "success",
	      r ? strerror(errno) : "ok");
}

static int run_open(struct env *e)
{
	struct vmarena_aspace_open o = { .size = sizeof(o), .name = "failnth" };

	return RET(ioctl(e->ctl, VMARENA_IOC_ASPACE_OPEN, &o));
}

static void pre_open(struct env *e)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = BASE, .length = LEN,
					   .flags = VMARENA_ASPACE_PERSISTENT, .mode = 0600,
					   .name = "failnth" };

	CHECK(!ioctl(e->ctl, VMARENA_IOC_ASPACE_CREATE, &c), "persistent: %s", strerror(errno));
	close((int)c.out_fd);
}

static void after_open(struct env *e, int err)
{
	after_persistent(e, 0);
}

static void after_create(struct env *e, int err)
{
	uint32_t n = nareas(e->as);

	CHECK(err ? n == e->nareas : n == e->nareas + 1, "areas: %u after %s (was %u)", n,
	      err ? "a failure" : "success", e->nareas);
}

static int run_anon_lazy(struct env *e)
{
	return anon(e->as, 4 * PAGE, VMARENA_WIRING_LAZY, 0, NULL) < 0 ? errno : 0;
}

static int run_anon_wired(struct env *e)
{
	return anon(e->as, 4 * PAGE, VMARENA_WIRING_WIRED, 0, NULL) < 0 ? errno : 0;
}

static int run_anon_contig(struct env *e)
{
	return anon(e->as, 4 * PAGE, VMARENA_WIRING_CONTIGUOUS, 0, NULL) < 0 ? errno : 0;
}

static int run_anon_locked(struct env *e)
{
	return anon(e->as, 4 * PAGE, VMARENA_WIRING_LAZY, VMARENA_LOCK_LOCKED, NULL) < 0 ? errno : 0;
}

static int run_null(struct env *e)
{
	struct vmarena_area_create c = { .size = sizeof(c), .length = 4 * PAGE };

	return RET(ioctl(e->as, VMARENA_IOC_AREA_CREATE_NULL, &c));
}

static int run_file(struct env *e)
{
	struct vmarena_area_create c = { .size = sizeof(c), .length = 4 * PAGE,
					 .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					 .mapping = VMARENA_MAP_SHARED, .fd = (uint32_t)e->file };

	return RET(ioctl(e->as, VMARENA_IOC_AREA_MAP_FILE, &c));
}

static int clone_area(struct env *e, int as, uint32_t mapping, uint32_t *id)
{
	struct vmarena_area_create c = { .size = sizeof(c), .source_id = e->id,
					 .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					 .mapping = mapping };

	if (as != e->as) {
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = (uint32_t)e->as;
	}
	if (ioctl(as, VMARENA_IOC_AREA_CLONE, &c))
		return errno;
	if (id)
		*id = c.out_id;
	return 0;
}

static int run_clone_shared(struct env *e)
{
	return clone_area(e, e->as, VMARENA_MAP_SHARED, NULL);
}

static int run_clone_private(struct env *e)
{
	return clone_area(e, e->as, VMARENA_MAP_PRIVATE, NULL);
}

static int run_clone_other(struct env *e)
{
	return clone_area(e, e->as2, VMARENA_MAP_PRIVATE, NULL);
}

static void after_clone_other(struct env *e, int err)
{
	uint32_t n = nareas(e->as2);

	CHECK(err ? n == 0 : n == 1, "areas in the other aspace: %u", n);
}

static int run_resize_grow(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_RESIZE, e->id2, 64 * PAGE));
}

static void after_resize_grow(struct env *e, int err)
{
	uint64_t len = area_len(e->as, e->id2);

	CHECK(len == (err ? 4 : 64) * PAGE, "length %" PRIu64 " after %s", len,
	      err ? "a failed grow" : "a grow");
}

/* Shrink a source with a shared clone in another aspace and a private one. */
static int run_resize_shared(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_RESIZE, e->id, 4 * PAGE));
}

static void pre_resize_shared(struct env *e)
{
	uint32_t c;

	CHECK(!clone_area(e, e->as2, VMARENA_MAP_SHARED, &c), "shared clone: %s",
	      strerror(errno));
	CHECK(!clone_area(e, e->as, VMARENA_MAP_PRIVATE, &c), "private clone: %s",
	      strerror(errno));
	e->nareas = nareas(e->as);
}

static void after_resize_shared(struct env *e, int err)
{
	uint64_t len = area_len(e->as, e->id);

	CHECK(len == (err ? 8 : 4) * PAGE, "length %" PRIu64, len);
	CHECK(same(e->win, 4 * PAGE, 7), "the data kept by the shrink");
	/* Put it back so that sane() finds its 8 pages (the tail reads zero). */
	CHECK(!op(e->as, VMARENA_IOC_AREA_RESIZE, e->id, 8 * PAGE), "regrow: %s", strerror(errno));
	fill(e->win, 8 * PAGE, 7);
}

static int run_protect(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_PROTECT, e->id, VMARENA_PROT_READ));
}

static void after_protect(struct env *e, int err)
{
	CHECK(!op(e->as, VMARENA_IOC_AREA_PROTECT, e->id, VMARENA_PROT_READ | VMARENA_PROT_WRITE),
	      "protect back: %s", strerror(errno));
}

/*
 * A private clone in a super-locked aspace made writable: the refill
 * copies every page up; if that fails, the clone keeps its protection.
 */
static void pre_protect_copy_up(struct env *e)
{
	CHECK(!clone_area(e, e->as, VMARENA_MAP_PRIVATE, &e->clone), "private clone: %s",
	      strerror(errno));
	CHECK(!op(e->as, VMARENA_IOC_AREA_PROTECT, e->clone, VMARENA_PROT_READ),
	      "read-only: %s", strerror(errno));
	CHECK(!op(e->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED),
	      "super-lock: %s", strerror(errno));
}

static int run_protect_copy_up(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_PROTECT, e->clone,
		      VMARENA_PROT_READ | VMARENA_PROT_WRITE));
}

static void after_protect_copy_up(struct env *e, int err)
{
	struct vmarena_area_info i = { .size = sizeof(i), .id = e->clone };
	uint32_t want = err ? VMARENA_PROT_READ : VMARENA_PROT_READ | VMARENA_PROT_WRITE;

	CHECK(!ioctl(e->as, VMARENA_IOC_AREA_INFO, &i), "info: %s", strerror(errno));
	CHECK(i.out_protection == want, "protection %u after %s", i.out_protection,
	      err ? "a failure" : "success");
	CHECK(!op(e->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_UNLOCKED),
	      "super-unlock: %s", strerror(errno));
	CHECK(!op(e->as, VMARENA_IOC_AREA_DELETE, e->clone, 0), "delete: %s", strerror(errno));
}

static int run_lock(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_LOCK, e->id, VMARENA_LOCK_LOCKED));
}

static int run_range_lock(struct env *e)
{
	struct vmarena_range_lock l = { .size = sizeof(l), .level = VMARENA_LOCK_LOCKED,
					.address = BASE, .length = LEN };

	return RET(ioctl(e->as, VMARENA_IOC_RANGE_LOCK, &l));
}

static void after_lock(struct env *e, int err)
{
	struct vmarena_area_info i = { .size = sizeof(i), .id = e->id };

	CHECK(!ioctl(e->as, VMARENA_IOC_AREA_INFO, &i), "info: %s", strerror(errno));
	CHECK(i.out_lock_level == (err ? VMARENA_LOCK_UNLOCKED : VMARENA_LOCK_LOCKED),
	      "lock level %u after %s", i.out_lock_level, err ? "a failure" : "success");
}

static int run_superlock(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED));
}

static void after_superlock(struct env *e, int err)
{
	if (!err)
		CHECK(!op(e->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_UNLOCKED),
		      "super-unlock: %s", strerror(errno));
}

static int run_delete(struct env *e)
{
	return RET(op(e->as, VMARENA_IOC_AREA_DELETE, e->id2, 0));
}

static void after_delete(struct env *e, int err)
{
	uint32_t n = nareas(e->as);

	CHECK(n == e->nareas - (err ? 0 : 1), "areas %u after delete", n);
}

static int run_queries(struct env *e)
{
	struct vmarena_area_info i = { .size = sizeof(i) };
	struct vmarena_area_find f = { .size = sizeof(f) };
	struct vmarena_stats s = { .size = sizeof(s) };
	struct vmarena_page_mapping m = { .size = sizeof(m), .address = BASE };

	if (ioctl(e->as, VMARENA_IOC_AREA_ITERATE, &i) || ioctl(e->as, VMARENA_IOC_AREA_FIND, &f) ||
	    ioctl(e->ctl, VMARENA_IOC_STATS, &s) || ioctl(e->as, VMARENA_IOC_PAGE_MAPPING, &m))
		return errno;
	return 0;
}

static int run_mmap(struct env *e)
{
	void *p;

	/* A window over a wired area is populated at mmap(). */
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, e->as2, BASE);
	return p == MAP_FAILED ? errno : 0;
}

static void pre_mmap(struct env *e)
{
	CHECK(anon(e->as2, 8 * PAGE, VMARENA_WIRING_WIRED, 0, NULL) >= 0, "wired: %s",
	      strerror(errno));
}

static char *fault_win;

static int run_fault_read(struct env *e)
{
	return e->win[8 * PAGE + 100] == 0 ? 0 : EIO;	/* the second area, untouched */
}

static int run_fault_write(struct env *e)
{
	e->win[8 * PAGE + 2 * PAGE] = 5;
	return e->win[8 * PAGE + 2 * PAGE] == 5 ? 0 : EIO;
}

static int run_fault_cow(struct env *e)
{
	fault_win[PAGE] = 9;
	return fault_win[PAGE] == 9 && e->win[PAGE] == (char)(7 + PAGE / 64) ? 0 : EIO;
}

static void pre_fault_cow(struct env *e)
{
	uint32_t c;
	struct vmarena_area_info i = { .size = sizeof(i) };

	CHECK(!clone_area(e, e->as, VMARENA_MAP_PRIVATE, &c), "clone: %s", strerror(errno));
	i.id = c;
	CHECK(!ioctl(e->as, VMARENA_IOC_AREA_INFO, &i), "info: %s", strerror(errno));
	fault_win = e->win + (i.out_base - BASE);
	CHECK(fault_win[PAGE] == (char)(7 + PAGE / 64), "the clone's data");
}

/* A shared file area whose pages are only in the file: the fault reads one. */
static char *file_win;

static void pre_fault_file(struct env *e)
{
	struct vmarena_area_create c = { .size = sizeof(c), .length = 8 * PAGE,
					 .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					 .mapping = VMARENA_MAP_SHARED, .fd = (uint32_t)e->file };
	char page[PAGE];

	memset(page, 0x3c, sizeof(page));
	CHECK(pwrite(e->file, page, PAGE, 3 * PAGE) == PAGE, "pwrite: %s", strerror(errno));
	CHECK(!ioctl(e->as, VMARENA_IOC_AREA_MAP_FILE, &c), "map file: %s", strerror(errno));
	file_win = e->win + (c.out_address - BASE);
}

static int run_fault_file(struct env *e)
{
	return file_win[3 * PAGE + 5] == 0x3c ? 0 : EIO;
}

/*
 * Pages paged out to swap: the pool's cap is lowered until most of a
 * written area has gone out, and put back; the fault reads one back in.
 */
#define SWAP_PAGES	512
#define PARAM		"/sys/module/vmarena/parameters/max_pages"
static char *swap_win;

static unsigned long param_rw(const char *val)
{
	char buf[32] = "";
	int fd = open(PARAM, O_RDWR);
	ssize_t n;

	CHECK(fd >= 0, "%s: %s", PARAM, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0, "read %s", PARAM);
	if (val)
		CHECK(pwrite(fd, val, strlen(val), 0) == (ssize_t)strlen(val), "write %s: %s",
		      PARAM, strerror(errno));
	close(fd);
	return strtoul(buf, NULL, 0);
}

static void pre_fault_swap(struct env *e)
{
	struct vmarena_area_info i = { .size = sizeof(i) };
	char old[32];
	int off, k;

	off = anon(e->as, SWAP_PAGES * PAGE, VMARENA_WIRING_LAZY, 0, &i.id);
	CHECK(off >= 0, "area: %s", strerror(errno));
	swap_win = e->win + off;
	for (k = 0; k < SWAP_PAGES; k++)
		memset(swap_win + k * PAGE, (char)(k + 1), PAGE);
	snprintf(old, sizeof(old), "%lu", param_rw("256"));
	for (k = 0; k < 100; k++) {
		CHECK(!ioctl(e->as, VMARENA_IOC_AREA_INFO, &i), "info: %s", strerror(errno));
		if (i.out_resident < SWAP_PAGES / 2)
			break;
		usleep(50000);
	}
	param_rw(old);
	CHECK(i.out_resident < SWAP_PAGES / 2, "nothing paged out: %llu pages resident",
	      (unsigned long long)i.out_resident);
}

static int run_fault_swap(struct env *e)
{
	int k;

	for (k = 0; k < SWAP_PAGES; k++)
		if (swap_win[k * PAGE + 7] != (char)(k + 1))
			return EIO;
	return 0;
}

static int run_fork(struct env *e)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (!pid)
		_exit(same(e->win, 8 * PAGE, 7) ? 0 : 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return EIO;
	return 0;
}

static int run_unmap_close(struct env *e)
{
	/* The last references: the aspace goes with its areas and caches. */
	munmap(e->win, LEN);
	close(e->as);
	e->win = NULL;
	return 0;
}

static void after_unmap_close(struct env *e, int err)
{
	e->as = aspace(e->ctl, BASE, LEN);
	CHECK(anon(e->as, 8 * PAGE, VMARENA_WIRING_LAZY, 0, &e->id) == 0, "source again: %s",
	      strerror(errno));
	e->win = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, e->as, BASE);
	CHECK(e->win != MAP_FAILED, "window again: %s", strerror(errno));
	fill(e->win, 8 * PAGE, 7);
}

static const struct scenario scenarios[] = {
	{ "aspace_create", run_aspace, NULL },
	{ "aspace_create_persistent", run_persistent, after_persistent },
	{ "aspace_open", run_open, after_open },
	{ "area_create_anon", run_anon_lazy, after_create },
	{ "area_create_wired", run_anon_wired, after_create },
	{ "area_create_contiguous", run_anon_contig, after_create },
	{ "area_create_locked", run_anon_locked, after_create },
	{ "area_create_null", run_null, after_create },
	{ "area_map_file", run_file, after_create },
	{ "area_clone_shared", run_clone_shared, after_create },
	{ "area_clone_private", run_clone_private, after_create },
	{ "area_clone_other_aspace", run_clone_other, after_clone_other },
	{ "area_resize_grow", run_resize_grow, after_resize_grow },
	{ "area_resize_shrink_shared", run_resize_shared, after_resize_shared },
	{ "area_protect", run_protect, after_protect },
	{ "area_protect_superlocked_copy_up", run_protect_copy_up, after_protect_copy_up },
	{ "area_lock", run_lock, after_lock },
	{ "range_lock", run_range_lock, NULL },
	{ "aspace_superlock", run_superlock, after_superlock },
	{ "area_delete", run_delete, after_delete },
	{ "queries", run_queries, NULL },
	{ "window_mmap_wired", run_mmap, NULL },
	{ "fault_read_zero", run_fault_read, NULL },
	{ "fault_write", run_fault_write, NULL },
	{ "fault_copy_on_write", run_fault_cow, NULL },
	{ "fault_file_read", run_fault_file, NULL },
	{ "fault_swap_in", run_fault_swap, NULL },
	{ "fork_window", run_fork, NULL },
	{ "unmap_and_close_last", run_unmap_close, after_unmap_close },
};

static void (*pre_of(const struct scenario *s))(struct env *)
{
	if (s->run == run_open)
		return pre_open;
	if (s->run == run_resize_shared)
		return pre_resize_shared;
	if (s->run == run_protect_copy_up)
		return pre_protect_copy_up;
	if (s->run == run_mmap)
		return pre_mmap;
	if (s->run == run_fault_cow)
		return pre_fault_cow;
	if (s->run == run_fault_file)
		return pre_fault_file;
	if (s->run == run_fault_swap)
		return pre_fault_swap;
	return NULL;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/*
 * One (scenario, n) in a child.  Exit status: 0 the n-th allocation failed
 * and everything checked out, 3 no n-th allocation (done), 1 a failure.
 */
static void child(const struct scenario *s, unsigned int n)
{
	void (*pre)(struct env *) = pre_of(s);
	char buf[32];
	struct env e;
	int fd, err;
	ssize_t len;

	setup(&e);
	if (pre)
		pre(&e);
	fd = open(FAILNTH, O_RDWR);
	CHECK(fd >= 0, "%s: %s", FAILNTH, strerror(errno));
	len = snprintf(buf, sizeof(buf), "%u", n);
	CHECK(write(fd, buf, (size_t)len) == len, "fail-nth: %s", strerror(errno));
	err = s->run(&e);
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	CHECK(write(fd, "0", 1) == 1, "fail-nth off: %s", strerror(errno));
	CHECK(len > 0, "fail-nth read: %s", strerror(errno));
	buf[len] = 0;
	if (verbose) {
		printf("#   %s n=%u: %s, fail-nth now %s\n", s->name, n, err ? strerror(err) : "ok",
		       buf);
		fflush(stdout);
	}
	CHECK(!err || err == ENOMEM, "%s with allocation %u failing: %s (expected ENOMEM)",
	      s->name, n, strerror(err));
	if (s->after)
		s->after(&e, err);
	if (e.win)
		sane(&e);
	_exit(atoi(buf) ? 3 : 0);
}

struct snapshot {
	uint64_t commit, swap, used;
};

static bool snap(int fd, struct snapshot *s)
{
	struct vmarena_stats st = { .size = sizeof(st) };

	if (ioctl(fd, VMARENA_IOC_STATS, &st))
		return false;
	s->commit = st.out_commit_used;
	s->swap = st.out_swap_used;
	s->used = st.out_pages[VMARENA_PAGE_STATE_BUSY] + st.out_pages[VMARENA_PAGE_STATE_ACTIVE] +
		  st.out_pages[VMARENA_PAGE_STATE_INACTIVE] +
		  st.out_pages[VMARENA_PAGE_STATE_MODIFIED] + st.out_pages[VMARENA_PAGE_STATE_WIRED];
	return true;
}

int main(int argc, char **argv)
{
	unsigned int max_n = 400, n, total = 0, injected = 0, nsc = 0, i;
	struct snapshot before, after;
	int opt, ctl, st, k;
	pid_t pid;

	/*
	 * No rseq: after fork() the first store to the rseq area is a
	 * copy-on-write fault taken by the kernel itself on the way back to
	 * user space; with that allocation failing, the kernel kills the
	 * task with SIGSEGV (its uaccess gets EFAULT), which is Linux's
	 * business, not vmarena's.  glibc reads the tunable at start-up.
	 */
	if (!getenv("GLIBC_TUNABLES")) {
		setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0", 1);
		execv("/proc/self/exe", argv);
		perror("failnth: re-exec without rseq");
		return 1;
	}
	while ((opt = getopt(argc, argv, "vm:")) != -1) {
		if (opt == 'v')
			verbose = 1;
		else if (opt == 'm')
			max_n = (unsigned int)atoi(optarg);
		else
			return 2;
	}
	if (access(FAILNTH, W_OK) || access(DBG "/failslab/ignore-gfp-wait", W_OK)) {
		printf("failnth: no fault injection in this kernel\n");
		return 2;
	}
	/* Fail sleeping and order-0 allocations too, without stack dumps. */
	if (write_file(DBG "/failslab/ignore-gfp-wait", "N") ||
	    write_file(DBG "/failslab/verbose", "0") ||
	    write_file(DBG "/fail_page_alloc/ignore-gfp-wait", "N") ||
	    write_file(DBG "/fail_page_alloc/ignore-gfp-highmem", "N") ||
	    write_file(DBG "/fail_page_alloc/min-order", "0") ||
	    write_file(DBG "/fail_page_alloc/verbose", "0")) {
		printf("failnth: cannot set up failslab/fail_page_alloc: %s\n", strerror(errno));
		return 1;
	}
	ctl = open(DEV, O_RDWR);
	if (ctl < 0 || !snap(ctl, &before)) {
		printf("failnth: %s: %s\n", DEV, strerror(errno));
		return 1;
	}
	printf("TAP version 13\n");
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (optind < argc) {
			for (k = optind; k < argc && strcmp(argv[k], scenarios[i].name); k++)
				;
			if (k == argc)
				continue;
		}
		nsc++;
	}
	printf("1..%u\n", nsc + 1);
	fflush(stdout);
	nsc = 0;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *s = &scenarios[i];
		bool ok = false;

		if (optind < argc) {
			for (k = optind; k < argc && strcmp(argv[k], s->name); k++)
				;
			if (k == argc)
				continue;
		}
		for (n = 1; n <= max_n; n++) {
			fflush(stdout);
			pid = fork();
			if (!pid)
				child(s, n);
			total++;
			if (pid < 0 || waitpid(pid, &st, 0) != pid) {
				printf("# %s: fork/wait failed\n", s->name);
				break;
			}
			if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
				ok = true;
				break;
			}
			if (!WIFEXITED(st) || WEXITSTATUS(st)) {
				printf("# %s n=%u: child %s %d\n", s->name, n,
				       WIFSIGNALED(st) ? "killed by signal" : "exit",
				       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				break;
			}
			injected++;
		}
		if (n > max_n)
			printf("# %s: still failing allocations at n=%u\n", s->name, max_n);
		printf("%s %u %s # %u allocations failed one by one\n", ok ? "ok" : "not ok", ++nsc,
		       s->name, n - 1);
		if (!ok)
			failures++;
		fflush(stdout);
	}
	for (k = 0; k < 50; k++) {
		if (!snap(ctl, &after))
			break;
		if (after.commit == before.commit && after.swap == before.swap &&
		    after.used == before.used)
			break;
		usleep(100000);
	}
	if (after.commit != before.commit || after.swap != before.swap ||
	    after.used != before.used) {
		printf("# arena not back to its start: commit %" PRIu64 " -> %" PRIu64 ", swap %"
		       PRIu64 " -> %" PRIu64 ", pages in use %" PRIu64 " -> %" PRIu64 "\n",
		       before.commit, after.commit, before.swap, after.swap, before.used,
		       after.used);
		failures++;
		printf("not ok %u arena_back_to_start\n", ++nsc);
	} else {
		printf("ok %u arena_back_to_start\n", ++nsc);
	}
	printf("# failnth: %u runs, %u injected allocation failures survived, %d failures\n",
	       total, injected, failures);
	return failures ? 1 : 0;
}
