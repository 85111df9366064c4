// SPDX-License-Identifier: GPL-2.0
/*
 * File areas: data integrity and coherence.  Every test runs once on tmpfs
 * (/tmp) and once on ext4 (the directory named by $VMARENA_EXT4_DIR, which
 * every lane must provide: without it the ext4 half fails), each in its own
 * child process, and says which file system a failure was on.
 *
 * The contract tested (file areas whose shared pages are the file's own
 * page-cache pages):
 * - coherence: a store through a window of a shared file area is seen by
 *   pread() at once, and a pwrite() or a plain mmap()'s store is seen
 *   through the window at once, in any process or aspace, without SYNC;
 * - no data lost on any path: delete, shrink, close and munmap, exit,
 *   SIGKILL, wired areas, lock and unlock, the super-lock, page-out, and
 *   stores after a SYNC;
 * - SYNC, msync(MS_SYNC) of a window and fsync() of the aspace fd return 0
 *   and make the stores durable; on a private area they change nothing;
 * - past the end of the file: SIGBUS for a page wholly past it, zeros
 *   past it in the page holding it, and the file never grows;
 * - truncation and hole punching by someone else while mapped;
 * - private file areas follow the file until they write a page;
 * - RESIZE of one area over a file leaves the others alone;
 * - a shared area over an O_RDONLY fd never becomes writable, and
 *   write-back never depends on which fd mapped the file first.
 *
 * How "the file has it" is checked (ft_expect_file()): first
 * out_file_pending is waited for (written pages of gone areas go to the
 * file system through a worker); then the size and pread().  On ext4 also:
 * every file is written, fsync()ed and its cache dropped when it is made,
 * so that the disk holds its first bytes; after the path, fsync(),
 * drop_caches and pread() again (a page that got new bytes but was never
 * marked dirty would be dropped and read back old), and an O_DIRECT read,
 * which reads the disk whatever the page cache holds (after writing back
 * what is dirty), so it also catches a clean page that an area still holds
 * and drop_caches cannot drop.  The O_DIRECT read skips the pages a live
 * area may still hold written and not synced (ft_area.held_*): those must
 * reach the file when the area ends, is synced, or is paged out, and are
 * checked then.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/magic.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "vt_arena.h"

#define P(n)		VA_PAGES(n)
#define RW		(PROT_READ | PROT_WRITE)
#define SHARED		VMARENA_MAP_SHARED
#define PRIVATE		VMARENA_MAP_PRIVATE
#define LAZY		VMARENA_WIRING_LAZY
#define WIRED		VMARENA_WIRING_WIRED
#define RO		VMARENA_PROT_READ

#define FT_PATH		256
#define FT_PENDING_MS	5000	/* "a worker does it at once": a few seconds at most */
#define FT_ALARM	200	/* one file system's run of a test, at most */
/* A file whose last page is partly past its end. */
#define FT_SHORT	(P(2) + 1000)

/* ---- the file systems -------------------------------------------------- */

struct ft_fs {
	const char *name;
	const char *dir;
	long magic;
	bool disk;		/* a real disk: durability is checked on it */
};

/* The file system a test body runs on (set in its child). */
static const struct ft_fs *ft_cur;
#define FT_FS		(ft_cur->name)
/* The test's process: its files are named after it, and removed by it. */
static pid_t ft_owner;
static unsigned int ft_seq;

static bool ft_fs_ready(const struct ft_fs *fs)
{
	struct statfs sf;

	if (!fs->dir || !fs->dir[0]) {
		vt_fail(__FILE__, __LINE__,
			"%s: VMARENA_EXT4_DIR is not set: every lane must mount an ext4 file system and name its directory there",
			fs->name);
		return false;
	}
	if (statfs(fs->dir, &sf)) {
		vt_fail(__FILE__, __LINE__, "%s: statfs(%s): %s", fs->name, fs->dir,
			strerror(errno));
		return false;
	}
	/* Durability checks on the wrong file system would prove nothing. */
	if ((long)sf.f_type != fs->magic) {
		vt_fail(__FILE__, __LINE__, "%s: %s is not %s (f_type %#lx)", fs->name, fs->dir,
			fs->name, (unsigned long)sf.f_type);
		return false;
	}
	return true;
}

/* Remove the files this test made in @fs, whoever of its processes made them. */
static void ft_remove_files(const struct ft_fs *fs)
{
	char prefix[64];
	struct dirent *d;
	DIR *dir;

	snprintf(prefix, sizeof(prefix), "vt-file-%d-", (int)ft_owner);
	dir = opendir(fs->dir);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, strlen(prefix)))
			unlinkat(dirfd(dir), d->d_name, 0);
	closedir(dir);
}

/*
 * The pool's cap, which the page-out tests lower (and the runner puts back
 * if a test was killed before it could).
 */
#define FT_CAP		512UL			/* pages: 2 MiB */
#define FT_PRESSURE	(4 * FT_CAP)		/* the anonymous area that pushes */
#define FT_PASSES	12

typedef void (*ft_body)(int variant);

/*
 * Run @body once per variant on each file system, each run in its own
 * child; a failure names the file system and the variant.
 */
static void ft_run(ft_body body, const char *const *variants, int n)
{
	struct ft_fs fss[] = {
		{ "tmpfs", "/tmp", TMPFS_MAGIC, false },
		{ "ext4", getenv("VMARENA_EXT4_DIR"), EXT4_SUPER_MAGIC, true },
	};
	unsigned long cap, now;
	uint64_t left = 0;
	unsigned int f;
	int v, ctl;

	ft_owner = getpid();
	ASSERT_OK(va_max_pages_read(&cap));
	for (f = 0; f < sizeof(fss) / sizeof(fss[0]); f++) {
		if (!ft_fs_ready(&fss[f]))
			continue;
		for (v = 0; v < n; v++) {
			const char *what = variants ? variants[v] : "";
			const char *sep = variants ? ", " : "";
			int status;
			pid_t pid;

			printf("# on %s (%s)%s%s\n", fss[f].name, fss[f].dir, sep, what);
			pid = va_fork();
			if (!pid) {
				/* a group of its own: whatever it leaves running goes with it */
				setpgid(0, 0);
				alarm(FT_ALARM);
				ft_cur = &fss[f];
				body(v);
				va_child_exit();
			}
			setpgid(pid, pid);
			status = va_wait(pid);
			kill(-pid, SIGKILL);
			VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0,
				 "FAILED on %s (%s)%s%s: %s", fss[f].name, fss[f].dir, sep, what,
				 va_status_str(status));
			/* its areas went with it: their pages reach the file first */
			ctl = open(VA_PATH, O_RDWR | O_CLOEXEC);
			if (ctl < 0 || va_wait_file_pending(ctl, FT_PENDING_MS, &left))
				vt_fail(__FILE__, __LINE__,
					"after the run on %s%s%s: out_file_pending still %llu after %u ms",
					fss[f].name, sep, what, (unsigned long long)left, FT_PENDING_MS);
			if (ctl >= 0)
				close(ctl);
			/* a page-out test killed before it put the pool's cap back */
			if (!va_max_pages_read(&now) && now != cap) {
				vt_fail(__FILE__, __LINE__, "max_pages left at %lu: put back to %lu",
					now, cap);
				va_max_pages_write(cap);
			}
			ft_remove_files(&fss[f]);
		}
	}
}

#define FT_RUN(body)			ft_run(body, NULL, 1)
#define FT_RUN_VARIANTS(body, names)	ft_run(body, names, (int)(sizeof(names) / sizeof(names[0])))

/* ---- files, areas, and what they should hold ---------------------------- */

/*
 * A file and an area over it.  The struct and its buffers are shared
 * memory, so that a child that writes updates what the parent expects.
 */
struct ft_area {
	char path[FT_PATH];
	int fd;			/* O_RDWR: pread, fsync, pwrite */
	size_t file_len;	/* what the file's size should be */
	unsigned int file_pages;	/* of the buffers: the file, or the area if longer */
	unsigned int first;	/* the area's first page in the file */
	unsigned int pages;	/* its size in pages */
	uint32_t mapping;
	int ctl, as;
	uint32_t id;
	uint64_t addr;
	char *w;		/* a window over the area */
	/*
	 * File pages [held_from, held_to) a live shared area may hold
	 * written and not synced: the O_DIRECT check skips them.
	 */
	unsigned int held_from, held_to;
	uint8_t *want;		/* the file's bytes, file_pages pages */
	uint8_t *orig;		/* what it held when it was made */
	uint8_t *view;		/* what the window should show, the area's pages */
	bool *copied;		/* private: the pages the area wrote, its own now */
};

static void *ft_shared(size_t len)
{
	void *p = mmap(NULL, len, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	VT_CHECK(p != MAP_FAILED, 1, "mmap(%zu bytes of shared memory): %s", len, strerror(errno));
	return p;
}

static void ft_drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	VT_CHECK(fd >= 0, 1, "open(/proc/sys/vm/drop_caches): %s", strerror(errno));
	VT_CHECK(write(fd, "3\n", 2) == 2, 1, "drop_caches: %s", strerror(errno));
	close(fd);
}

/*
 * A new file on the current file system, @file_len bytes of a pattern, for
 * an area of @pages pages from page @first (not mapped yet).  On a disk
 * the file is written back and its cache dropped: the disk holds these
 * bytes, so that new bytes that are never written back show.
 */
static struct ft_area *ft_new(size_t file_len, unsigned int first, unsigned int pages)
{
	struct ft_area *a = ft_shared(sizeof(*a));
	unsigned int fp = (unsigned int)((file_len + VA_PAGE - 1) / VA_PAGE);
	unsigned int seq = ft_seq++;

	if (fp < first + pages)
		fp = first + pages;
	a->file_len = file_len;
	a->file_pages = fp;
	a->first = first;
	a->pages = pages;
	a->as = a->ctl = -1;
	a->want = ft_shared(P(fp));
	a->orig = ft_shared(P(fp));
	a->view = ft_shared(P(pages));
	a->copied = ft_shared(pages * sizeof(bool));
	snprintf(a->path, sizeof(a->path), "%s/vt-file-%d-%d-%u", ft_cur->dir, (int)ft_owner,
		 (int)getpid(), seq);
	a->fd = open(a->path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	VT_CHECK(a->fd >= 0, 1, "[%s] open(%s): %s", FT_FS, a->path, strerror(errno));
	va_fill(a->orig, P(fp), 0x1000 + seq);
	memset(a->orig + file_len, 0, P(fp) - file_len);
	VT_CHECK(pwrite(a->fd, a->orig, file_len, 0) == (ssize_t)file_len, 1,
		 "[%s] pwrite(%s): %s", FT_FS, a->path, strerror(errno));
	memcpy(a->want, a->orig, P(fp));
	memcpy(a->view, a->orig + P(first), P(pages));
	if (ft_cur->disk) {
		VT_CHECK(!fsync(a->fd), 1, "[%s] fsync(%s): %s", FT_FS, a->path, strerror(errno));
		ft_drop_caches();
	}
	return a;
}

static int ft_open(const struct ft_area *a, int flags)
{
	int fd = open(a->path, flags | O_CLOEXEC);

	VT_CHECK(fd >= 0, 1, "[%s] open(%s): %s", FT_FS, a->path, strerror(errno));
	return fd;
}

/* Map @a in aspace @as at @addr, through @map_fd, and a window over it. */
static void ft_map_in(struct ft_area *a, int ctl, int as, uint64_t addr, uint32_t mapping,
		      uint32_t wiring, uint32_t prot, int map_fd)
{
	struct vmarena_area_create c;
	int r;

	va_file_req(&c, addr, P(a->pages), prot, map_fd, P(a->first), mapping);
	c.wiring = wiring;
	errno = 0;
	r = va_area_create(as, VMARENA_IOC_AREA_MAP_FILE, &c);
	VT_CHECK(!r, 1, "[%s] AREA_MAP_FILE (%s, wiring %u) of %u pages from file page %u: %s",
		 FT_FS, mapping == SHARED ? "shared" : "private", wiring, a->pages, a->first,
		 strerror(errno));
	a->ctl = ctl;
	a->as = as;
	a->id = c.out_id;
	a->addr = c.out_address;
	a->mapping = mapping;
	a->w = va_map(as, a->addr, P(a->pages), prot & VMARENA_PROT_WRITE ? RW : PROT_READ,
		      MAP_SHARED);
	VT_CHECK(a->w != MAP_FAILED, 1, "[%s] mmap() of the window: %s", FT_FS, strerror(errno));
}

/* Map @a in a new aspace of its own, at VA_BASE. */
static void ft_map(struct ft_area *a, uint32_t mapping, uint32_t wiring, uint32_t prot,
		   int map_fd)
{
	int ctl = va_ctl_ok();

	ft_map_in(a, ctl, va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL), VA_BASE, mapping, wiring,
		  prot, map_fd);
}

/* Area pages that hold bytes of the file (not wholly past its end). */
static unsigned int ft_window_pages(const struct ft_area *a)
{
	size_t eof_pages = (a->file_len + VA_PAGE - 1) / VA_PAGE;

	if (eof_pages <= a->first)
		return 0;
	return eof_pages - a->first < a->pages ? (unsigned int)(eof_pages - a->first) : a->pages;
}

static void ft_hold(struct ft_area *a, unsigned int file_page)
{
	if (a->held_from == a->held_to) {
		a->held_from = file_page;
		a->held_to = file_page + 1;
	} else if (file_page < a->held_from) {
		a->held_from = file_page;
	} else if (file_page >= a->held_to) {
		a->held_to = file_page + 1;
	}
}

static void ft_synced(struct ft_area *a)
{
	a->held_from = a->held_to = 0;
}

/* Through the window: bytes [off, off + len) of area page @i get pattern @seed. */
static void ft_window_fill(struct ft_area *a, unsigned int i, size_t off, size_t len,
			   uint64_t seed)
{
	va_fill(a->w + P(i) + off, len, seed);
	va_fill(a->view + P(i) + off, len, seed);
	if (a->mapping == SHARED) {
		va_fill(a->want + P(a->first + i) + off, len, seed);
		ft_hold(a, a->first + i);
	} else {
		a->copied[i] = true;
	}
}

/* The same bytes of every page of the area that holds file bytes. */
static void ft_window_write(struct ft_area *a, size_t off, size_t len, uint64_t seed)
{
	unsigned int i, n = ft_window_pages(a);

	for (i = 0; i < n; i++)
		ft_window_fill(a, i, off, len, seed + i);
}

/* Someone's pwrite() through @fd: file page @page's [off, off + len) get @seed. */
static void ft_pwrite(struct ft_area *a, int fd, unsigned int page, size_t off, size_t len,
		      uint64_t seed)
{
	uint8_t *buf = malloc(len);

	ASSERT_TRUE(buf);
	va_fill(buf, len, seed);
	VT_CHECK(pwrite(fd, buf, len, (off_t)(P(page) + off)) == (ssize_t)len, 1,
		 "[%s] pwrite(): %s", FT_FS, strerror(errno));
	memcpy(a->want + P(page) + off, buf, len);
	if (page >= a->first && page < a->first + a->pages && !a->copied[page - a->first])
		memcpy(a->view + P(page - a->first) + off, buf, len);
	free(buf);
}

/* Someone's store through a plain mmap(MAP_SHARED) @plain of the whole file. */
static void ft_plain_fill(struct ft_area *a, char *plain, unsigned int page, size_t off,
			  size_t len, uint64_t seed)
{
	va_fill(plain + P(page) + off, len, seed);
	va_fill(a->want + P(page) + off, len, seed);
	if (page >= a->first && page < a->first + a->pages && !a->copied[page - a->first])
		va_fill(a->view + P(page - a->first) + off, len, seed);
}

/*
 * Compare @len bytes at file (or area) offset @base: @got against @want.
 * @old, if not NULL, is what the file held at first there: a page that
 * holds it lost its new bytes (the diagnostic says so).
 */
static bool ft_same(const uint8_t *got, const uint8_t *want, const uint8_t *old, size_t base,
		    size_t len, const char *what, const char *how, int line)
{
	size_t i, first = len, bad = 0, page0;
	bool stale;

	for (i = 0; i < len; i++) {
		if (got[i] != want[i]) {
			if (first == len)
				first = i;
			bad++;
		}
	}
	if (!bad)
		return true;
	page0 = first / VA_PAGE * VA_PAGE;
	stale = old && first < len &&
		!memcmp(got + page0, old + page0, len - page0 < VA_PAGE ? len - page0 : VA_PAGE) &&
		memcmp(want + page0, old + page0, len - page0 < VA_PAGE ? len - page0 : VA_PAGE);
	vt_fail(__FILE__, line,
		"[%s] %s: %s: byte %zu (page %zu) is %#x, expected %#x; %zu bytes differ%s",
		FT_FS, what, how, base + first, (base + first) / VA_PAGE, got[first], want[first],
		bad, stale ? "; that page holds the file's first bytes: the new ones never got there" :
		"");
	return false;
}

#define FT_EXPECT_WINDOW(a, what)	ft_expect_window(a, 0, ft_window_pages(a), what, __LINE__)
#define FT_EXPECT_WINDOW_PAGE(a, i, what)	ft_expect_window(a, i, 1, what, __LINE__)
#define FT_EXPECT_PREAD(a, what)	ft_expect_pread(a, what, "pread()", __LINE__)
#define FT_EXPECT_FILE(a, what)		ft_expect_file(a, what, __LINE__)

/* Area pages [from, from + n) show what they should through the window. */
static void ft_expect_window(struct ft_area *a, unsigned int from, unsigned int n,
			     const char *what, int line)
{
	ft_same((const uint8_t *)a->w + P(from), a->view + P(from), NULL, P(from), P(n), what,
		"through the window (area offsets)", line);
}

/* The file, read with pread(), holds what it should, and no more. */
static void ft_expect_pread(struct ft_area *a, const char *what, const char *how, int line)
{
	size_t len = P(a->file_pages) + VA_PAGE;	/* a page more: a grown file shows */
	uint8_t *buf = malloc(len);
	ssize_t n;

	ASSERT_TRUE(buf);
	n = pread(a->fd, buf, len, 0);
	VT_CHECK(n == (ssize_t)a->file_len, 0, "[%s] %s: %s returned %zd (%s), the file should hold %zu bytes",
		 FT_FS, what, how, n, n < 0 ? strerror(errno) : "", a->file_len);
	if (n > 0)
		ft_same(buf, a->want, a->orig, 0, (size_t)n < a->file_len ? (size_t)n : a->file_len,
			what, how, line);
	free(buf);
}

/* The disk holds what it should, except the pages a live area may hold. */
static void ft_expect_direct(struct ft_area *a, const char *what, int line)
{
	size_t len = P(a->file_pages);
	unsigned int p;
	uint8_t *buf;
	ssize_t n;
	int fd;

	fd = open(a->path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	VT_CHECK(fd >= 0, 0, "[%s] %s: open(O_DIRECT): %s", FT_FS, what, strerror(errno));
	if (fd < 0)
		return;
	ASSERT_EQ(posix_memalign((void **)&buf, VA_PAGE, len), 0);
	n = pread(fd, buf, len, 0);
	VT_CHECK(n == (ssize_t)a->file_len, 0, "[%s] %s: O_DIRECT read returned %zd (%s), expected %zu",
		 FT_FS, what, n, n < 0 ? strerror(errno) : "", a->file_len);
	for (p = 0; n > 0 && P(p) < (size_t)n; p++) {
		size_t l = (size_t)n - P(p) < VA_PAGE ? (size_t)n - P(p) : VA_PAGE;

		if (p >= a->held_from && p < a->held_to)
			continue;
		if (!ft_same(buf + P(p), a->want + P(p), a->orig + P(p), P(p), l, what,
			     "O_DIRECT read (the disk) after fsync()", line))
			break;
	}
	free(buf);
	close(fd);
}

/* Wait for the worker to hand every written page of gone areas over. */
static void ft_wait_pending(const char *what, int line)
{
	int ctl = va_ctl_ok();
	uint64_t left;

	if (va_wait_file_pending(ctl, FT_PENDING_MS, &left))
		vt_fail(__FILE__, line, "[%s] %s: out_file_pending is still %llu after %u ms",
			FT_FS, what, (unsigned long long)left, FT_PENDING_MS);
	close(ctl);
}

/*
 * The file holds what it should: its size, pread(), and on a disk after
 * fsync() and drop_caches, pread() again and what the disk holds.
 */
static void ft_expect_file(struct ft_area *a, const char *what, int line)
{
	struct stat st;

	ft_wait_pending(what, line);
	ASSERT_OK(fstat(a->fd, &st));
	if (st.st_size != (off_t)a->file_len)
		vt_fail(__FILE__, line, "[%s] %s: the file is %lld bytes, expected %zu", FT_FS,
			what, (long long)st.st_size, a->file_len);
	ft_expect_pread(a, what, "pread()", line);
	if (!ft_cur->disk)
		return;
	if (fsync(a->fd))
		vt_fail(__FILE__, line, "[%s] %s: fsync(): %s", FT_FS, what, strerror(errno));
	ft_drop_caches();
	ft_expect_pread(a, what, "pread() after fsync() and drop_caches", line);
	ft_expect_direct(a, what, line);
}

/* ---- area operations ------------------------------------------------------ */

static void ft_sync(struct ft_area *a)
{
	int r;

	errno = 0;
	r = va_area_op(a->as, VMARENA_IOC_AREA_SYNC, a->id, 0);
	VT_CHECK(r == 0, 0, "[%s] AREA_SYNC (%s area): returned %d (%s)", FT_FS,
		 a->mapping == SHARED ? "shared" : "private", r, strerror(errno));
	if (!r)
		ft_synced(a);
}

static void ft_delete(struct ft_area *a)
{
	int r;

	errno = 0;
	r = va_area_op(a->as, VMARENA_IOC_AREA_DELETE, a->id, 0);
	VT_CHECK(r == 0, 1, "[%s] AREA_DELETE: %s", FT_FS, strerror(errno));
	ft_synced(a);
}

static void ft_info(struct ft_area *a, struct vmarena_area_info *info)
{
	va_area_info_ok(a->as, a->id, info);
}

/* ---- how the data is written ---------------------------------------------- */

enum { FT_THROUGH_WINDOW, FT_PWRITE_THEN_WINDOW };

static const char *const ft_data_variants[] = {
	"stores through the window",
	"pwrite() to resident pages, fsync(), then stores through the window",
};

/*
 * Write the area's pages.  FT_THROUGH_WINDOW: stores only, after a read
 * fault on odd pages and straight on even ones.  FT_PWRITE_THEN_WINDOW:
 * the pages made resident (odd ones by a store), pwrite() over all of
 * them, fsync() (the page cache is clean again, the window's mappings
 * still there), then stores to the second half of each page: those must
 * dirty the page again.
 */
static void ft_write_data(struct ft_area *a, int variant, uint64_t seed)
{
	unsigned int i, n = ft_window_pages(a);

	if (variant == FT_THROUGH_WINDOW) {
		for (i = 1; i < n; i += 2)
			va_peek(a->w + P(i));
		ft_window_write(a, 0, VA_PAGE, seed);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i & 1)
			ft_window_fill(a, i, 0, VA_PAGE, seed + 50 + i);
		else
			va_peek(a->w + P(i));
	}
	for (i = 0; i < n; i++)
		ft_pwrite(a, a->fd, a->first + i, 0, VA_PAGE, seed + i);
	if (ft_cur->disk)
		ASSERT_OK(fsync(a->fd));
	FT_EXPECT_WINDOW(a, "pwrite() to resident pages");
	ft_window_write(a, VA_PAGE / 2, VA_PAGE / 2, seed + 100);
}

/* ---- page-out under a lowered cap ----------------------------------------- */

/* Run @fn(@variant) in a child with the pool's cap at FT_CAP; restore it. */
static void ft_under_cap(ft_body fn, int variant)
{
	unsigned long old;
	int status;
	pid_t pid;

	ASSERT_OK(va_max_pages_read(&old));
	ASSERT_TRUE(old > FT_CAP);
	ASSERT_OK(va_max_pages_write(FT_CAP));
	pid = va_fork();
	if (!pid) {
		alarm(FT_ALARM);
		fn(variant);
		va_child_exit();
	}
	status = va_wait(pid);
	EXPECT_EQ(va_max_pages_write(old), 0);
	VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0, "[%s] under max_pages %lu: %s",
		 FT_FS, FT_CAP, va_status_str(status));
}

/*
 * Push @a's pages out: store to an anonymous area four times the cap,
 * pass after pass, until the file area has no page resident.
 */
static void ft_page_out(struct ft_area *a)
{
	uint64_t at = a->addr + P(a->pages + 64);
	struct vmarena_area_info info;
	unsigned int pass, i;
	uint32_t anon;
	char *w;

	anon = va_anon_ok(a->as, at, P(FT_PRESSURE), VA_RW, LAZY);
	w = va_map_ok(a->as, at, P(FT_PRESSURE));
	for (pass = 0; pass < FT_PASSES; pass++) {
		for (i = 0; i < FT_PRESSURE; i++)
			*(volatile uint64_t *)(w + P(i)) = pass * FT_PRESSURE + i;
		ft_info(a, &info);
		if (!info.out_resident)
			break;
	}
	VT_CHECK(!info.out_resident, 0,
		 "[%s] the file area still has %llu of its %u pages resident after %u passes over %lu pages under max_pages %lu",
		 FT_FS, (unsigned long long)info.out_resident, a->pages, pass, FT_PRESSURE, FT_CAP);
	if (!info.out_resident) {
		printf("# [%s] paged out after %u passes\n", FT_FS, pass + 1);
		ft_synced(a);	/* nothing held: the file system has every page */
	}
	ASSERT_OK(munmap(w, P(FT_PRESSURE)));
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_DELETE, anon, 0));
}

/* ==== 1. coherence ========================================================== */

static void ft_store_seen_by_pread(int variant)
{
	struct ft_area *a = ft_new(P(6), 1, 4);
	unsigned int i;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	for (i = 0; i < a->pages; i++) {
		if (i & 1)
			va_peek(a->w + P(i));	/* a read fault first */
		ft_window_fill(a, i, 0, VA_PAGE, 10 + i);
		FT_EXPECT_PREAD(a, "a store through the window, no SYNC");
	}
	/* stores to pages mapped writable already */
	ft_window_fill(a, 2, 1024, 512, 20);
	ft_window_fill(a, 0, VA_PAGE - 8, 8, 21);
	FT_EXPECT_PREAD(a, "a second store through the window, no SYNC");
	FT_EXPECT_FILE(a, "stores through the window");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_window_store_is_seen_by_pread_at_once)
{
	FT_RUN(ft_store_seen_by_pread);
}

static void ft_pwrite_seen_by_window(int variant)
{
	struct ft_area *a = ft_new(P(6), 1, 4);
	int other;
	unsigned int i;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	other = ft_open(a, O_RDWR);
	/* area page 0: before anything touched it */
	ft_pwrite(a, other, 1, 0, VA_PAGE, 30);
	FT_EXPECT_WINDOW_PAGE(a, 0, "pwrite() before the first touch");
	/* page 1: after a read fault */
	va_peek(a->w + P(1));
	ft_pwrite(a, other, 2, 512, 1024, 31);
	FT_EXPECT_WINDOW_PAGE(a, 1, "pwrite() after a read touch");
	/* page 2: after a store through the window */
	ft_window_fill(a, 2, 0, VA_PAGE, 32);
	ft_pwrite(a, other, 3, 2048, 2048, 33);
	FT_EXPECT_WINDOW_PAGE(a, 2, "pwrite() to a page stored to through the window");
	/* page 3 and all: resident now, pwrite() again */
	FT_EXPECT_WINDOW(a, "pwrite()s");
	for (i = 0; i < a->pages; i++)
		ft_pwrite(a, other, a->first + i, 8 * i, VA_PAGE - 8 * i, 40 + i);
	FT_EXPECT_WINDOW(a, "pwrite() to resident pages");
	FT_EXPECT_PREAD(a, "pwrite()s and stores");
	close(other);
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_pwrite_is_seen_through_the_window_at_once)
{
	FT_RUN(ft_pwrite_seen_by_window);
}

static void ft_plain_mmap_coherent(int variant)
{
	struct ft_area *a = ft_new(P(6), 1, 4);
	char *plain;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	plain = mmap(NULL, P(6), RW, MAP_SHARED, a->fd, 0);
	ASSERT_TRUE(plain != MAP_FAILED);
	/* a window store to a page the plain mapping never touched */
	ft_window_fill(a, 3, 0, VA_PAGE, 50);
	ft_same((uint8_t *)plain + P(4), a->want + P(4), NULL, P(4), VA_PAGE,
		"a store through the window", "through a plain mmap()", __LINE__);
	/* a plain store to a page the window never touched */
	ft_plain_fill(a, plain, 2, 0, VA_PAGE, 51);
	FT_EXPECT_WINDOW_PAGE(a, 1, "a store through a plain mmap()");
	/* both mapped now, both ways */
	ft_plain_fill(a, plain, 4, 1024, 2048, 52);
	FT_EXPECT_WINDOW_PAGE(a, 3, "a second store through a plain mmap()");
	ft_window_fill(a, 1, 512, 512, 53);
	ft_same((uint8_t *)plain + P(2), a->want + P(2), NULL, P(2), VA_PAGE,
		"a second store through the window", "through a plain mmap()", __LINE__);
	FT_EXPECT_WINDOW(a, "stores through both");
	ft_same((uint8_t *)plain, a->want, NULL, 0, P(6), "stores through both",
		"through a plain mmap()", __LINE__);
	FT_EXPECT_PREAD(a, "stores through both");
	ASSERT_OK(munmap(plain, P(6)));
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE and munmap() of the plain mapping");
}

VT_TEST(file_window_and_plain_mmap_see_the_same_bytes)
{
	FT_RUN(ft_plain_mmap_coherent);
}

/*
 * Two aspaces, two processes: this one maps file pages 2-5, the child maps
 * the whole file in an aspace of its own.  Each sees the other's stores
 * at once, through its own window.
 */
static void ft_across_processes(int variant)
{
	struct ft_area *a = ft_new(P(8), 2, 4);
	struct va_sync s;
	int status;
	pid_t pid;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	FT_EXPECT_WINDOW(a, "the file's bytes");
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		int ctl, as, fd;
		char *w;

		va_sync_child(&s);
		fd = ft_open(a, O_RDWR);
		ctl = va_ctl_ok();
		as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
		va_file_ok(as, VA_BASE, P(8), VA_RW, fd, 0, SHARED);
		w = va_map_ok(as, VA_BASE, P(8));
		va_peek(w + P(3));		/* resident before the parent's store */
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		ft_same((uint8_t *)w, a->want, NULL, 0, P(8), "the other process's store",
			"through this process's window", __LINE__);
		/* a store here and a pwrite(), for the parent to see */
		va_fill(w + P(4), VA_PAGE, 61);
		va_fill(a->want + P(4), VA_PAGE, 61);
		va_fill(a->view + P(2), VA_PAGE, 61);
		ft_pwrite(a, fd, 5, 0, VA_PAGE / 2, 62);
		ft_same((uint8_t *)w, a->want, NULL, 0, P(8), "a pwrite()",
			"through this process's window", __LINE__);
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	ft_window_fill(a, 1, 0, VA_PAGE, 60);	/* file page 3 */
	va_sync_post(&s, true);
	ASSERT_TRUE(va_sync_wait(&s, true));
	FT_EXPECT_WINDOW(a, "the other process's store and pwrite()");
	FT_EXPECT_PREAD(a, "stores through two aspaces");
	va_sync_post(&s, true);
	status = va_wait(pid);
	VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0, "[%s] the other process: %s",
		 FT_FS, va_status_str(status));
	ft_delete(a);
	FT_EXPECT_FILE(a, "after both areas are gone");
}

VT_TEST(file_window_stores_are_seen_across_processes_and_aspaces)
{
	FT_RUN(ft_across_processes);
}

/* ==== 2. no data lost, on every path ======================================= */

static void ft_delete_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 100);
	FT_EXPECT_PREAD(a, "before AREA_DELETE");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_write_then_delete_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_delete_path, ft_data_variants);
}

static void ft_shrink_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);
	struct vmarena_area_info info;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 110);
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_RESIZE, a->id, P(3)));
	ft_info(a, &info);
	EXPECT_EQ(info.out_length, P(3));
	EXPECT_SIGNAL(SIGSEGV, va_peek(a->w + P(3)));
	a->pages = 3;
	a->held_to = a->first + 3;	/* the pages cut off are no area's now */
	FT_EXPECT_WINDOW(a, "the part that stays, after AREA_RESIZE to 3 of 8 pages");
	FT_EXPECT_FILE(a, "after AREA_RESIZE to 3 of 8 pages");
	/* the part that stays still works, and reaches the file too */
	ft_window_write(a, 0, VA_PAGE / 4, 120);
	ft_delete(a);
	FT_EXPECT_FILE(a, "after deleting the shrunk area");
}

VT_TEST(file_write_then_shrink_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_shrink_path, ft_data_variants);
}

static void ft_close_path(int variant)
{
	int order;

	/* 0: the aspace fd first, then the window; 1: the other way round */
	for (order = 0; order < 2; order++) {
		struct ft_area *a = ft_new(P(10), 1, 8);

		ft_map(a, SHARED, LAZY, VA_RW, a->fd);
		ft_write_data(a, variant, 130 + 200 * order);
		if (!order) {
			ASSERT_OK(close(a->as));
			ASSERT_OK(close(a->ctl));
			/* the window keeps the aspace */
			FT_EXPECT_WINDOW(a, "after close() of the aspace fd, the window mapped");
			ft_window_write(a, 0, VA_PAGE / 8, 140);
			ASSERT_OK(munmap(a->w, P(a->pages)));
		} else {
			ASSERT_OK(munmap(a->w, P(a->pages)));
			ASSERT_OK(close(a->as));
			ASSERT_OK(close(a->ctl));
		}
		ft_synced(a);
		FT_EXPECT_FILE(a, order ? "after munmap() of the window, then close() of the aspace fd" :
				     "after close() of the aspace fd, then munmap() of the window");
	}
}

VT_TEST(file_write_then_close_and_munmap_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_close_path, ft_data_variants);
}

static void ft_exit_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);
	int status;
	pid_t pid;

	pid = va_fork();
	if (!pid) {
		ft_map(a, SHARED, LAZY, VA_RW, a->fd);
		ft_write_data(a, variant, 150);
		va_child_exit();	/* with its aspace and window */
	}
	status = va_wait(pid);
	VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 1, "[%s] the writer: %s", FT_FS,
		 va_status_str(status));
	ft_synced(a);
	FT_EXPECT_FILE(a, "after the process that stored exited");
}

VT_TEST(file_write_then_exit_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_exit_path, ft_data_variants);
}

static void ft_sigkill_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);
	struct va_sync s;
	int status;
	pid_t pid;

	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		ft_map(a, SHARED, LAZY, VA_RW, a->fd);
		ft_write_data(a, variant, 160);
		va_sync_post(&s, false);
		for (;;)
			pause();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	ASSERT_OK(kill(pid, SIGKILL));
	status = va_wait(pid);
	VT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, 1, "[%s] the writer: %s",
		 FT_FS, va_status_str(status));
	ft_synced(a);
	FT_EXPECT_FILE(a, "after SIGKILL of the process that stored, its window mapped");
}

VT_TEST(file_write_then_sigkill_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_sigkill_path, ft_data_variants);
}

static void ft_wired_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);
	struct vmarena_area_info info;

	ft_map(a, SHARED, WIRED, VA_RW, a->fd);
	ft_info(a, &info);
	EXPECT_EQ(info.out_wiring, WIRED);
	EXPECT_EQ(info.out_resident, 8);
	FT_EXPECT_WINDOW(a, "a wired area's pages");
	ft_write_data(a, variant, 170);
	FT_EXPECT_PREAD(a, "stores to a wired area");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after deleting the wired area");
}

VT_TEST(file_wired_area_written_then_deleted_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_wired_path, ft_data_variants);
}

static void ft_lock_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 180);
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_LOCK, a->id, VMARENA_LOCK_LOCKED));
	FT_EXPECT_PREAD(a, "after AREA_LOCK");
	ft_window_write(a, VA_PAGE / 4, VA_PAGE / 4, 190);	/* stores while locked */
	FT_EXPECT_PREAD(a, "stores while locked");
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_LOCK, a->id, VMARENA_LOCK_UNLOCKED));
	FT_EXPECT_WINDOW(a, "after unlock");
	FT_EXPECT_FILE(a, "after lock, stores, unlock");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after lock, stores, unlock, then AREA_DELETE");
}

VT_TEST(file_write_then_lock_and_unlock_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_lock_path, ft_data_variants);
}

static void ft_superlock_path(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 200);
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED));
	FT_EXPECT_PREAD(a, "under the super-lock");
	/* stores that take no fault: the pages must still be the file's */
	ft_window_write(a, VA_PAGE / 4, VA_PAGE / 4, 210);
	FT_EXPECT_PREAD(a, "stores under the super-lock");
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_UNLOCKED));
	FT_EXPECT_WINDOW(a, "after the super-lock's release");
	FT_EXPECT_FILE(a, "after super-lock, stores, release");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after super-lock, stores, release, then AREA_DELETE");
}

VT_TEST(file_write_then_superlock_and_release_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_superlock_path, ft_data_variants);
}

static void ft_pageout_work(int variant)
{
	struct ft_area *a = ft_new(P(18), 1, 16);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 220);
	ft_page_out(a);
	FT_EXPECT_FILE(a, "after the page daemon paged the area's pages out");
	FT_EXPECT_WINDOW(a, "pages paged out and back in");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

static void ft_pageout_path(int variant)
{
	ft_under_cap(ft_pageout_work, variant);
}

VT_TEST(file_write_then_pageout_reaches_the_file)
{
	FT_RUN_VARIANTS(ft_pageout_path, ft_data_variants);
}

static void ft_sync_write_sync(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 230);
	ft_sync(a);
	FT_EXPECT_FILE(a, "after the first SYNC");
	/* written back and clean: the next stores must dirty the pages again */
	ft_window_write(a, VA_PAGE / 4, VA_PAGE / 2, 240);
	ft_sync(a);
	FT_EXPECT_FILE(a, "after stores, SYNC, stores, SYNC");
	/* a third round, with msync() */
	ft_window_write(a, 0, VA_PAGE / 8, 250);
	EXPECT_EQ(msync(a->w, P(a->pages), MS_SYNC), 0);
	ft_synced(a);
	FT_EXPECT_FILE(a, "after a third round of stores and msync(MS_SYNC)");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_write_sync_write_sync_keeps_the_second_write)
{
	FT_RUN_VARIANTS(ft_sync_write_sync, ft_data_variants);
}

static void ft_sync_write_pageout_work(int variant)
{
	struct ft_area *a = ft_new(P(18), 1, 16);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 260);
	ft_sync(a);
	FT_EXPECT_FILE(a, "after SYNC");
	ft_window_write(a, VA_PAGE / 4, VA_PAGE / 2, 270);
	ft_page_out(a);
	FT_EXPECT_FILE(a, "after stores, SYNC, stores, page-out");
	FT_EXPECT_WINDOW(a, "pages paged out and back in");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

static void ft_sync_write_pageout(int variant)
{
	ft_under_cap(ft_sync_write_pageout_work, variant);
}

VT_TEST(file_write_sync_write_pageout_keeps_the_second_write)
{
	FT_RUN_VARIANTS(ft_sync_write_pageout, ft_data_variants);
}

/* ==== 3. SYNC, msync, fsync ================================================== */

static void ft_sync_durable(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, variant, 280);
	ft_sync(a);
	FT_EXPECT_FILE(a, "after AREA_SYNC");
	FT_EXPECT_WINDOW(a, "after AREA_SYNC");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_sync_makes_window_stores_durable)
{
	FT_RUN_VARIANTS(ft_sync_durable, ft_data_variants);
}

/*
 * Three file areas in one aspace, an anonymous one among them: shared @a
 * and @b, private @c.  Their windows are their own.
 */
static void ft_three_areas(struct ft_area **a, struct ft_area **b, struct ft_area **c,
			   int *ctl, int *as)
{
	*a = ft_new(P(6), 1, 4);
	*b = ft_new(P(6), 0, 6);
	*c = ft_new(P(4), 0, 4);
	*ctl = va_ctl_ok();
	*as = va_aspace_ok(*ctl, VA_BASE, VA_LEN, NULL);
	ft_map_in(*a, *ctl, *as, VA_BASE, SHARED, LAZY, VA_RW, (*a)->fd);
	va_anon_ok(*as, VA_BASE + P(16), P(4), VA_RW, LAZY);
	ft_map_in(*b, *ctl, *as, VA_BASE + P(32), SHARED, LAZY, VA_RW, (*b)->fd);
	ft_map_in(*c, *ctl, *as, VA_BASE + P(48), PRIVATE, LAZY, VA_RW, (*c)->fd);
}

static void ft_msync_durable(int variant)
{
	struct ft_area *a, *b, *c;
	int ctl, as;
	char *all;

	ft_three_areas(&a, &b, &c, &ctl, &as);
	ft_write_data(a, variant, 290);
	ft_write_data(b, variant, 300);
	ft_write_data(c, variant, 310);
	/* one area's window */
	EXPECT_EQ(msync(a->w, P(a->pages), MS_SYNC), 0);
	ft_synced(a);
	FT_EXPECT_FILE(a, "after msync(MS_SYNC) of its window");
	/* a window over all of them, holes and the anonymous area included */
	all = va_map_ok(as, VA_BASE, P(64));
	ft_window_write(a, VA_PAGE / 2, VA_PAGE / 4, 320);
	EXPECT_EQ(msync(all, P(64), MS_SYNC), 0);
	ft_synced(a);
	ft_synced(b);
	FT_EXPECT_FILE(a, "after msync(MS_SYNC) of a window over the whole range");
	FT_EXPECT_FILE(b, "after msync(MS_SYNC) of a window over the whole range");
	FT_EXPECT_FILE(c, "a private area, after msync(MS_SYNC) of a window over it");
	FT_EXPECT_WINDOW(c, "a private area, after msync(MS_SYNC)");
}

VT_TEST(file_msync_makes_window_stores_durable)
{
	FT_RUN_VARIANTS(ft_msync_durable, ft_data_variants);
}

static void ft_fsync_aspace_durable(int variant)
{
	struct ft_area *a, *b, *c;
	int ctl, as;

	ft_three_areas(&a, &b, &c, &ctl, &as);
	ft_write_data(a, variant, 330);
	ft_write_data(b, variant, 340);
	ft_write_data(c, variant, 350);
	EXPECT_EQ(fsync(as), 0);
	ft_synced(a);
	ft_synced(b);
	FT_EXPECT_FILE(a, "after fsync() of the aspace fd");
	FT_EXPECT_FILE(b, "after fsync() of the aspace fd");
	FT_EXPECT_FILE(c, "a private area, after fsync() of the aspace fd");
	FT_EXPECT_WINDOW(c, "a private area, after fsync() of the aspace fd");
	/* fdatasync() is the same file operation */
	ft_window_write(a, VA_PAGE / 4, VA_PAGE / 4, 360);
	ft_window_write(b, VA_PAGE / 4, VA_PAGE / 4, 370);
	EXPECT_EQ(fdatasync(as), 0);
	ft_synced(a);
	ft_synced(b);
	FT_EXPECT_FILE(a, "after fdatasync() of the aspace fd");
	FT_EXPECT_FILE(b, "after fdatasync() of the aspace fd");
}

VT_TEST(file_fsync_of_the_aspace_makes_every_file_area_durable)
{
	FT_RUN_VARIANTS(ft_fsync_aspace_durable, ft_data_variants);
}

/* ==== 4. past the end of the file =========================================== */

static const char *const ft_mappings[] = { "shared", "private" };

static uint32_t ft_mapping_of(int variant)
{
	return variant ? PRIVATE : SHARED;
}

static void ft_past_eof_sigbus(int variant)
{
	struct ft_area *a = ft_new(FT_SHORT, 0, 6);
	struct vmarena_area_info info;
	unsigned int i;

	ft_map(a, ft_mapping_of(variant), LAZY, VA_RW, a->fd);
	/* the page holding the end reads, zeros past it */
	FT_EXPECT_WINDOW(a, "the pages up to the end of the file");
	EXPECT_TRUE(va_is_zero(a->w + FT_SHORT, P(3) - FT_SHORT));
	for (i = 3; i < 6; i++) {
		EXPECT_SIGNAL(SIGBUS, va_peek(a->w + P(i)));
		EXPECT_SIGNAL(SIGBUS, va_poke(a->w + P(i) + VA_PAGE - 1, 1));
	}
	/* the failed touches made nothing resident and did not grow the file */
	EXPECT_SIGNAL(SIGBUS, va_peek(a->w + P(3) + 8));
	ft_info(a, &info);
	EXPECT_LE(info.out_resident, 3);
	ft_sync(a);
	ft_delete(a);
	FT_EXPECT_FILE(a, "after touches past the end, SYNC and AREA_DELETE");
}

VT_TEST(file_page_wholly_past_eof_raises_sigbus)
{
	FT_RUN_VARIANTS(ft_past_eof_sigbus, ft_mappings);
}

static void ft_past_eof_bytes(int variant)
{
	struct ft_area *a = ft_new(FT_SHORT, 0, 3);

	ft_map(a, ft_mapping_of(variant), LAZY, VA_RW, a->fd);
	EXPECT_TRUE(va_is_zero(a->w + FT_SHORT, P(3) - FT_SHORT));
	/* whole pages, so the last one past the end too */
	ft_write_data(a, FT_THROUGH_WINDOW, 400);
	FT_EXPECT_WINDOW(a, "stores past the end, in the page holding it");
	FT_EXPECT_PREAD(a, "stores past the end");
	ft_sync(a);
	FT_EXPECT_FILE(a, "stores past the end, then SYNC");
	ft_delete(a);
	FT_EXPECT_FILE(a, "stores past the end, then AREA_DELETE");
}

VT_TEST(file_bytes_past_eof_read_zero_and_never_reach_the_file)
{
	FT_RUN_VARIANTS(ft_past_eof_bytes, ft_mappings);
}

static void ft_wired_short(int variant)
{
	struct ft_area *a = ft_new(FT_SHORT, 0, 6);
	struct vmarena_area_info info;
	unsigned int i;

	/* created, though half of it is past the end */
	ft_map(a, ft_mapping_of(variant), WIRED, VA_RW, a->fd);
	ft_info(a, &info);
	EXPECT_EQ(info.out_wiring, WIRED);
	EXPECT_EQ(info.out_resident, 3);
	FT_EXPECT_WINDOW(a, "a wired area over a short file");
	for (i = 3; i < 6; i++) {
		EXPECT_SIGNAL(SIGBUS, va_peek(a->w + P(i)));
		EXPECT_SIGNAL(SIGBUS, va_poke(a->w + P(i), 1));
	}
	ft_write_data(a, FT_THROUGH_WINDOW, 410);
	FT_EXPECT_PREAD(a, "stores to a wired area over a short file");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after deleting the wired area");
}

VT_TEST(file_wired_area_over_a_short_file_wires_only_pages_before_eof)
{
	FT_RUN_VARIANTS(ft_wired_short, ft_mappings);
}

/* "Past the end" is the end of now: a page is there once the file grows. */
static void ft_file_grows(int variant)
{
	struct ft_area *a = ft_new(P(2), 0, 4);
	int other;

	ft_map(a, ft_mapping_of(variant), LAZY, VA_RW, a->fd);
	EXPECT_SIGNAL(SIGBUS, va_peek(a->w + P(2)));
	other = ft_open(a, O_RDWR);
	ASSERT_OK(ftruncate(other, P(4)));
	a->file_len = P(4);
	FT_EXPECT_WINDOW(a, "after the file grew by ftruncate() through another fd");
	ft_window_fill(a, 3, 0, VA_PAGE, 420);
	FT_EXPECT_PREAD(a, "a store to a page the file grew into");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE");
}

VT_TEST(file_pages_past_eof_appear_when_the_file_grows)
{
	FT_RUN_VARIANTS(ft_file_grows, ft_mappings);
}

/* ==== 5. truncation and holes by someone else =============================== */

static const char *const ft_truncations[] = { "to 3 pages and 512 bytes", "to 3 pages" };

static void ft_truncated(int variant)
{
	size_t newlen = variant ? P(3) : P(3) + 512;
	struct ft_area *a = ft_new(P(8), 0, 8);
	unsigned int i;
	int other;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, FT_THROUGH_WINDOW, 500);
	other = ft_open(a, O_RDWR);
	ASSERT_OK(ftruncate(other, (off_t)newlen));
	a->file_len = newlen;
	memset(a->want + newlen, 0, P(8) - newlen);
	memset(a->view + newlen, 0, P(8) - newlen);
	ft_sync(a);
	FT_EXPECT_WINDOW(a, "after ftruncate() by another fd and SYNC");
	for (i = ft_window_pages(a); i < 8; i++) {
		EXPECT_SIGNAL(SIGBUS, va_peek(a->w + P(i)));
		EXPECT_SIGNAL(SIGBUS, va_poke(a->w + P(i) + 16, 1));
	}
	FT_EXPECT_PREAD(a, "after ftruncate() by another fd and SYNC");
	/* the pages before the end still take stores */
	ft_window_fill(a, 1, 0, VA_PAGE, 510);
	FT_EXPECT_PREAD(a, "a store after the truncation");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE: the file did not grow back");
}

VT_TEST(file_truncate_by_another_fd_raises_sigbus_past_the_new_end)
{
	FT_RUN_VARIANTS(ft_truncated, ft_truncations);
}

static const char *const ft_holes[] = { "pages 2-4", "from page 2 + 1024 to page 4 + 2048" };

static void ft_punched(int variant)
{
	size_t off = variant ? P(2) + 1024 : P(2);
	size_t len = variant ? P(2) + 1024 : P(3);
	struct ft_area *a = ft_new(P(8), 0, 8);
	int other;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ft_write_data(a, FT_THROUGH_WINDOW, 520);
	other = ft_open(a, O_RDWR);
	ASSERT_OK(fallocate(other, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
			    (off_t)len));
	memset(a->want + off, 0, len);
	memset(a->view + off, 0, len);
	ft_sync(a);
	FT_EXPECT_WINDOW(a, "after a hole was punched by another fd, and SYNC");
	FT_EXPECT_PREAD(a, "after a hole was punched by another fd, and SYNC");
	/* a store into the hole reaches the file */
	ft_window_fill(a, 3, 512, 1024, 530);
	FT_EXPECT_PREAD(a, "a store into the hole");
	FT_EXPECT_WINDOW(a, "a store into the hole");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after AREA_DELETE: the old bytes did not come back into the hole");
}

VT_TEST(file_hole_punched_by_another_fd_reads_zeros)
{
	FT_RUN_VARIANTS(ft_punched, ft_holes);
}

/* ==== 6. private file areas ================================================= */

static void ft_private_follows(int variant)
{
	struct ft_area *a = ft_new(P(6), 0, 6);
	int ro = ft_open(a, O_RDONLY), other = ft_open(a, O_RDWR);
	char *plain;

	/* private and writable over an O_RDONLY fd, as mmap(MAP_PRIVATE) */
	ft_map(a, PRIVATE, LAZY, VA_RW, ro);
	/* page 0: never touched */
	ft_pwrite(a, other, 0, 0, VA_PAGE, 600);
	FT_EXPECT_WINDOW_PAGE(a, 0, "a pwrite() to a page the private area never touched");
	/* page 1: read first */
	va_peek(a->w + P(1));
	ft_pwrite(a, other, 1, 1024, 2048, 601);
	FT_EXPECT_WINDOW_PAGE(a, 1, "a pwrite() to a page the private area read");
	/* page 2: stored to, its own now */
	ft_window_fill(a, 2, 0, VA_PAGE, 602);
	ft_pwrite(a, other, 2, 0, VA_PAGE, 603);
	FT_EXPECT_WINDOW_PAGE(a, 2, "a pwrite() to a page the private area stored to");
	/* page 3: a partial store copies the rest of the page as it was */
	ft_window_fill(a, 3, 0, 512, 604);
	ft_pwrite(a, other, 3, 2048, 1024, 605);
	FT_EXPECT_WINDOW_PAGE(a, 3, "a pwrite() after a partial store");
	/* page 4: read, then someone's store through a plain mmap() */
	va_peek(a->w + P(4));
	plain = mmap(NULL, P(6), RW, MAP_SHARED, other, 0);
	ASSERT_TRUE(plain != MAP_FAILED);
	ft_plain_fill(a, plain, 4, 256, 256, 606);
	FT_EXPECT_WINDOW_PAGE(a, 4, "a plain mmap()'s store to a page the private area read");
	/* page 5: read, pwrite(), stored to, pwrite() again */
	va_peek(a->w + P(5));
	ft_pwrite(a, other, 5, 0, VA_PAGE, 607);
	ft_window_fill(a, 5, VA_PAGE / 2, 64, 608);
	ft_pwrite(a, other, 5, 0, VA_PAGE, 609);
	FT_EXPECT_WINDOW(a, "the private area's pages");
	FT_EXPECT_PREAD(a, "the file has the pwrite()s only");
	ASSERT_OK(munmap(plain, P(6)));
	ft_delete(a);
	FT_EXPECT_FILE(a, "after deleting the private area");
}

VT_TEST(file_private_area_follows_the_file_until_it_writes)
{
	FT_RUN(ft_private_follows);
}

static void ft_private_never_reaches(int variant)
{
	struct ft_area *a = ft_new(P(10), 1, 8);
	int ro = ft_open(a, O_RDONLY);
	struct vmarena_area_info info;

	ft_map(a, PRIVATE, LAZY, VA_RW, ro);
	ft_write_data(a, variant, 620);
	ft_info(a, &info);
	EXPECT_EQ(info.out_copies, 8);
	ft_sync(a);
	FT_EXPECT_FILE(a, "a private area's stores, after SYNC");
	FT_EXPECT_WINDOW(a, "a private area's stores, after SYNC");
	EXPECT_EQ(msync(a->w, P(a->pages), MS_SYNC), 0);
	EXPECT_EQ(fsync(a->as), 0);
	FT_EXPECT_FILE(a, "a private area's stores, after msync() and fsync() of the aspace fd");
	ft_delete(a);
	FT_EXPECT_FILE(a, "a private area's stores, after AREA_DELETE");
}

VT_TEST(file_private_area_writes_never_reach_the_file)
{
	FT_RUN_VARIANTS(ft_private_never_reaches, ft_data_variants);
}

/* ==== 7. resize touches only the area resized ============================== */

static void ft_expect_length(int as, uint32_t id, uint64_t len, const char *what, int line)
{
	struct vmarena_area_info info;

	va_area_info_ok(as, id, &info);
	if (info.out_length != len)
		vt_fail(__FILE__, line, "[%s] %s: the area is %llu bytes, expected %llu", FT_FS,
			what, (unsigned long long)info.out_length, (unsigned long long)len);
}

#define FT_EXPECT_LENGTH(as, id, len, what) ft_expect_length(as, id, len, what, __LINE__)

/*
 * One user: area a1 and a2 over the same file in one aspace, b in another
 * (a 12-page file, the areas over its first 8 pages).
 */
static void ft_resize_same_user(int variant)
{
	struct ft_area *a = ft_new(P(12), 0, 8);
	uint32_t a2, b;
	char *w2, *wb;
	int asb;
	unsigned int i;

	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	a2 = va_file_ok(a->as, VA_BASE + P(64), P(8), VA_RW, a->fd, 0, SHARED);
	w2 = va_map_ok(a->as, VA_BASE + P(64), P(8));
	asb = va_aspace_ok(a->ctl, VA_BASE, VA_LEN, NULL);
	b = va_file_ok(asb, VA_BASE, P(8), VA_RW, a->fd, 0, SHARED);
	wb = va_map_ok(asb, VA_BASE, P(8));
	for (i = 0; i < 4; i++)
		ft_window_fill(a, i, 0, VA_PAGE, 700 + i);
	for (i = 4; i < 8; i++) {
		va_fill(wb + P(i), VA_PAGE, 710 + i);
		va_fill(a->want + P(i), VA_PAGE, 710 + i);
		va_fill(a->view + P(i), VA_PAGE, 710 + i);
	}
	FT_EXPECT_WINDOW(a, "stores through a1 and b");
	ft_same((uint8_t *)w2, a->want, NULL, 0, P(8), "stores through a1 and b", "through a2",
		__LINE__);

	ASSERT_OK(va_area_op(asb, VMARENA_IOC_AREA_RESIZE, b, P(2)));
	FT_EXPECT_LENGTH(asb, b, P(2), "b, shrunk");
	FT_EXPECT_LENGTH(a->as, a->id, P(8), "a1, after b shrank");
	FT_EXPECT_LENGTH(a->as, a2, P(8), "a2, after b shrank");
	FT_EXPECT_WINDOW(a, "a1, after b shrank");
	ft_same((uint8_t *)w2, a->want, NULL, 0, P(8), "after b shrank", "through a2", __LINE__);

	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_RESIZE, a->id, P(12)));
	FT_EXPECT_LENGTH(a->as, a->id, P(12), "a1, grown");
	FT_EXPECT_LENGTH(a->as, a2, P(8), "a2, after a1 grew");
	FT_EXPECT_LENGTH(asb, b, P(2), "b, after a1 grew");

	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_RESIZE, a2, P(1)));
	FT_EXPECT_LENGTH(a->as, a2, P(1), "a2, shrunk");
	FT_EXPECT_LENGTH(a->as, a->id, P(12), "a1, after a2 shrank");
	FT_EXPECT_LENGTH(asb, b, P(2), "b, after a2 shrank");
	ft_window_fill(a, 6, 0, VA_PAGE, 720);
	FT_EXPECT_WINDOW(a, "a1, after a2 shrank");

	/* b grows back over the file: what it shows is the file's */
	ASSERT_OK(va_area_op(asb, VMARENA_IOC_AREA_RESIZE, b, P(8)));
	FT_EXPECT_LENGTH(a->as, a->id, P(12), "a1, after b grew");
	ft_same((uint8_t *)wb, a->want, NULL, 0, P(8), "after b grew back", "through b", __LINE__);
	ft_same((uint8_t *)w2, a->want, NULL, 0, P(1), "after a2 shrank", "through a2", __LINE__);

	ASSERT_OK(va_area_op(asb, VMARENA_IOC_AREA_DELETE, b, 0));
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_DELETE, a2, 0));
	ft_delete(a);
	FT_EXPECT_FILE(a, "after every area is gone");
}

VT_TEST(file_resize_of_one_area_leaves_the_others_alone)
{
	FT_RUN(ft_resize_same_user);
}

/* Two users: this process (root) maps the file, a child as nobody too. */
static void ft_resize_other_user(int variant)
{
	struct ft_area *a = ft_new(P(8), 0, 8);
	struct va_sync s;
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_OK(fchmod(a->fd, 0666));
	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	for (i = 0; i < 4; i++)
		ft_window_fill(a, i, 0, VA_PAGE, 730 + i);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		int ctl, as, fd;
		uint32_t id;
		char *w;

		va_sync_child(&s);
		ctl = va_ctl_ok();		/* /dev/vmarena is root's */
		va_become_nobody();
		as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
		fd = open(a->path, O_RDWR | O_CLOEXEC);
		VT_CHECK(fd >= 0, 1, "[%s] as nobody: open(%s): %s (its directory must be searchable by uid %d)",
			 FT_FS, a->path, strerror(errno), VA_NOBODY);
		id = va_file_ok(as, VA_BASE, P(8), VA_RW, fd, 0, SHARED);
		w = va_map_ok(as, VA_BASE, P(8));
		ft_same((uint8_t *)w, a->want, NULL, 0, P(8), "root's stores", "through nobody's window",
			__LINE__);
		for (i = 4; i < 8; i++) {
			va_fill(w + P(i), VA_PAGE, 740 + i);
			va_fill(a->want + P(i), VA_PAGE, 740 + i);
			va_fill(a->view + P(i), VA_PAGE, 740 + i);
		}
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, id, P(2)));
		FT_EXPECT_LENGTH(as, id, P(2), "nobody's area, shrunk");
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, id, P(8)));
		FT_EXPECT_LENGTH(as, id, P(8), "nobody's area, grown back");
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		/* root shrank its area: this one is whole and works */
		FT_EXPECT_LENGTH(as, id, P(8), "nobody's area, after root's shrank");
		ft_same((uint8_t *)w, a->want, NULL, 0, P(8), "after root's area shrank",
			"through nobody's window", __LINE__);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	FT_EXPECT_WINDOW(a, "nobody's stores");
	va_sync_post(&s, true);
	ASSERT_TRUE(va_sync_wait(&s, true));
	FT_EXPECT_LENGTH(a->as, a->id, P(8), "root's area, after nobody's shrank");
	FT_EXPECT_WINDOW(a, "root's area, after nobody's shrank");
	ft_window_fill(a, 6, 0, VA_PAGE, 750);
	FT_EXPECT_PREAD(a, "a store after nobody's area shrank");
	va_sync_post(&s, true);
	ASSERT_TRUE(va_sync_wait(&s, true));
	FT_EXPECT_LENGTH(a->as, a->id, P(8), "root's area, after nobody's grew");
	FT_EXPECT_WINDOW(a, "root's area, after nobody's grew");
	ASSERT_OK(va_area_op(a->as, VMARENA_IOC_AREA_RESIZE, a->id, P(3)));
	va_sync_post(&s, true);
	status = va_wait(pid);
	VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0, "[%s] nobody's process: %s", FT_FS,
		 va_status_str(status));
	FT_EXPECT_LENGTH(a->as, a->id, P(3), "root's area, shrunk");
	a->pages = 3;
	FT_EXPECT_WINDOW(a, "root's area, shrunk");
	ft_delete(a);
	FT_EXPECT_FILE(a, "after both areas are gone");
}

VT_TEST(file_resize_by_another_user_leaves_this_area_alone)
{
	FT_RUN(ft_resize_other_user);
}

/* ==== 8. write permission ================================================== */

/*
 * An area-creating @cmd that must fail with @err.  An area made anyway is
 * deleted, so that the next request does not meet it (EEXIST).
 */
static void ft_refused(int as, unsigned long cmd, struct vmarena_area_create *c, int err,
		       const char *what, int line)
{
	int r;

	errno = 0;
	r = va_area_create(as, cmd, c);
	if (r == -1 && errno == err)
		return;
	vt_fail(__FILE__, line, "[%s] %s: %s, expected %s", FT_FS, what,
		r ? strerror(errno) : "made the area", strerror(err));
	if (!r)
		va_area_op(as, VMARENA_IOC_AREA_DELETE, c->out_id, 0);
}

#define FT_REFUSED(as, cmd, c, err, what) ft_refused(as, cmd, c, err, what, __LINE__)

static void ft_read_only_fd(int variant)
{
	struct ft_area *a = ft_new(P(4), 0, 4);
	int ro = ft_open(a, O_RDONLY), ctl, as, other;
	struct vmarena_area_create c;
	struct vmarena_area_info info;
	uint32_t id, clone;
	char *w;

	ctl = va_ctl_ok();
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	va_file_req(&c, VA_BASE, P(4), VA_RW, ro, 0, SHARED);
	FT_REFUSED(as, VMARENA_IOC_AREA_MAP_FILE, &c, EACCES, "shared, read-write, O_RDONLY fd");
	va_file_req(&c, VA_BASE, P(4), RO, ro, 0, SHARED);
	c.protection_max = VA_RW;
	FT_REFUSED(as, VMARENA_IOC_AREA_MAP_FILE, &c, EACCES,
		   "shared, read-only, protection_max read-write, O_RDONLY fd");
	c.protection_max = VMARENA_PROT_ALL;
	FT_REFUSED(as, VMARENA_IOC_AREA_MAP_FILE, &c, EACCES,
		   "shared, read-only, protection_max rwx, O_RDONLY fd");
	c.protection_max = 0;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_MAP_FILE, &c));
	id = c.out_id;

	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VA_RW), EACCES);
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_WRITE), EACCES);
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_ALL), EACCES);
	EXPECT_EQ(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, RO), 0);
	va_area_info_ok(as, id, &info);
	EXPECT_EQ(info.out_protection, RO);

	/* clones: writable, or allowed to become so, are refused */
	va_area_req(&c, "", VA_BASE + P(16), 0, VA_RW);
	c.mapping = SHARED;
	c.source_id = id;
	FT_REFUSED(as, VMARENA_IOC_AREA_CLONE, &c, EACCES, "a read-write shared clone");
	c.protection = RO;
	c.protection_max = VA_RW;
	FT_REFUSED(as, VMARENA_IOC_AREA_CLONE, &c, EACCES,
		   "a read-only shared clone, protection_max read-write");
	c.protection_max = 0;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CLONE, &c));
	clone = c.out_id;
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, clone, VA_RW), EACCES);
	/* from another aspace, through an fd of this one */
	other = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	va_area_req(&c, "", VA_BASE, 0, VA_RW);
	c.mapping = SHARED;
	c.source_id = id;
	c.flags = VMARENA_CLONE_SOURCE_FD;
	c.fd = (uint32_t)as;
	FT_REFUSED(other, VMARENA_IOC_AREA_CLONE, &c, EACCES,
		   "a read-write shared clone from another aspace");

	/* a writable area over an O_RDWR fd of the same file changes nothing */
	va_file_ok(as, VA_BASE + P(32), P(4), VA_RW, a->fd, 0, SHARED);
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VA_RW), EACCES);
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_PROTECT, clone, VA_RW), EACCES);

	/* windows */
	EXPECT_TRUE(va_map(as, VA_BASE, P(4), RW, MAP_SHARED) == MAP_FAILED && errno == EACCES);
	w = va_map(as, VA_BASE, P(4), PROT_READ, MAP_SHARED);
	ASSERT_TRUE(w != MAP_FAILED);
	ft_same((uint8_t *)w, a->want, NULL, 0, P(4), "a read-only shared area",
		"through a read-only window", __LINE__);
	EXPECT_ERRNO(mprotect(w, P(4), RW), EACCES);
	EXPECT_SIGNAL(SIGSEGV, va_poke(w, 1));
	FT_EXPECT_FILE(a, "a read-only shared area");
}

VT_TEST(file_read_only_shared_area_can_never_become_writable)
{
	FT_RUN(ft_read_only_fd);
}

/* B's part: its own aspace over a new O_RDWR fd, stores, SYNC, delete. */
static void ft_who_first_b(struct ft_area *a)
{
	int fd = ft_open(a, O_RDWR);

	ft_map(a, SHARED, LAZY, VA_RW, fd);
	ft_write_data(a, FT_THROUGH_WINDOW, 800);
	ft_sync(a);
	FT_EXPECT_FILE(a, "B's stores, after B's SYNC");
	ft_window_write(a, VA_PAGE / 2, VA_PAGE / 4, 810);
	ft_delete(a);
	FT_EXPECT_FILE(a, "B's stores, after B deleted its area");
}

static const char *const ft_who[] = { "B in the same process", "B in another process" };

/*
 * A maps the file shared and read-only from an O_RDONLY fd first, and
 * reads it; then B maps it shared and writable from an O_RDWR fd.
 */
static void ft_who_first(int variant)
{
	struct ft_area *a = ft_new(P(8), 0, 8);
	int ro = ft_open(a, O_RDONLY), ctl, as, status;
	char *wa;
	pid_t pid;

	ctl = va_ctl_ok();
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	va_file_ok(as, VA_BASE, P(8), RO, ro, 0, SHARED);
	close(ro);		/* the area has the file, whatever becomes of the fd */
	wa = va_map(as, VA_BASE, P(8), PROT_READ, MAP_SHARED);
	ASSERT_TRUE(wa != MAP_FAILED);
	ft_same((uint8_t *)wa, a->want, NULL, 0, P(8), "A's read-only area", "through A's window",
		__LINE__);
	if (!variant) {
		ft_who_first_b(a);
	} else {
		pid = va_fork();
		if (!pid) {
			ft_who_first_b(a);
			va_child_exit();
		}
		status = va_wait(pid);
		VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0, "[%s] B's process: %s",
			 FT_FS, va_status_str(status));
	}
	ft_same((uint8_t *)wa, a->want, NULL, 0, P(8), "B's stores", "through A's window",
		__LINE__);
	FT_EXPECT_FILE(a, "B's stores, A's read-only area still there");
}

VT_TEST(file_write_back_does_not_depend_on_who_mapped_first)
{
	FT_RUN_VARIANTS(ft_who_first, ft_who);
}

/* ==== 9. writers in two processes, one page cache ========================== */

static void ft_two_writers(int variant)
{
	struct ft_area *a = ft_new(P(8), 0, 8);
	struct va_sync s[2];
	pid_t pid[2];
	int k, status;

	for (k = 0; k < 2; k++) {
		va_sync_init(&s[k]);
		pid[k] = va_fork();
		if (!pid[k]) {
			int fd, ctl, as;
			unsigned int i;
			char *w;

			va_sync_child(&s[k]);
			fd = ft_open(a, O_RDWR);
			ctl = va_ctl_ok();
			as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
			va_file_ok(as, VA_BASE, P(8), VA_RW, fd, 0, SHARED);
			w = va_map_ok(as, VA_BASE, P(8));
			va_peek(w + P(1 - k));	/* a page of the other's, resident first */
			for (i = (unsigned int)k; i < 8; i += 2) {
				va_fill(w + P(i), VA_PAGE, 900 + i);
				va_fill(a->want + P(i), VA_PAGE, 900 + i);
			}
			va_sync_post(&s[k], false);
			ASSERT_TRUE(va_sync_wait(&s[k], false));
			ft_same((uint8_t *)w, a->want, NULL, 0, P(8), "two writers' stores",
				k ? "through the second writer's window" :
				"through the first writer's window", __LINE__);
			va_child_exit();
		}
		va_sync_parent(&s[k]);
	}
	for (k = 0; k < 2; k++)
		ASSERT_TRUE(va_sync_wait(&s[k], true));
	FT_EXPECT_PREAD(a, "two writers' stores, seen by a third process");
	for (k = 0; k < 2; k++) {
		va_sync_post(&s[k], true);
		status = va_wait(pid[k]);
		VT_CHECK(WIFEXITED(status) && !WEXITSTATUS(status), 0, "[%s] writer %d: %s", FT_FS,
			 k, va_status_str(status));
	}
	FT_EXPECT_FILE(a, "after both writers exited");
}

VT_TEST(file_two_writers_share_the_page_cache)
{
	FT_RUN(ft_two_writers);
}

/* ==== the counters =========================================================== */

static void ft_counters(int variant)
{
	struct vmarena_stats before, after;
	int ctl = va_ctl_ok();
	struct ft_area *a;

	/* callers that know the struct without the new fields still work */
	memset(&before, 0, sizeof(before));
	before.size = offsetof(struct vmarena_stats, out_file_handovers);
	EXPECT_EQ(ioctl(ctl, VMARENA_IOC_STATS, &before), 0);
	ft_wait_pending("before anything", __LINE__);

	/* a shared area's written pages are handed over, every one */
	a = ft_new(P(8), 0, 8);
	ft_map(a, SHARED, LAZY, VA_RW, a->fd);
	ASSERT_OK(va_stats(ctl, &before));
	ft_window_write(a, 0, VA_PAGE, 950);
	ft_delete(a);
	ft_wait_pending("a shared area deleted", __LINE__);
	ASSERT_OK(va_stats(ctl, &after));
	EXPECT_GE(after.out_file_handovers - before.out_file_handovers, 8);
	EXPECT_EQ(after.out_file_pending, 0);
	FT_EXPECT_FILE(a, "a shared area deleted");

	/* a private area's never are */
	a = ft_new(P(8), 0, 8);
	ft_map(a, PRIVATE, LAZY, VA_RW, a->fd);
	ASSERT_OK(va_stats(ctl, &before));
	ft_window_write(a, 0, VA_PAGE, 960);
	ft_sync(a);
	ft_delete(a);
	ft_wait_pending("a private area deleted", __LINE__);
	ASSERT_OK(va_stats(ctl, &after));
	EXPECT_EQ(after.out_file_handovers - before.out_file_handovers, 0);
	FT_EXPECT_FILE(a, "a private area deleted");
}

VT_TEST(file_handovers_are_counted_and_pending_drains)
{
	FT_RUN(ft_counters);
}
