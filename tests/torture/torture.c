// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-torture: concurrency torture with a shadow model.
 *
 *   vmarena-torture [-s SEED] [-t SECONDS] [-p PROCS] [-j THREADS] [-c CAP] [-f FILES] [-C]
 *
 * Every thread of every process owns the areas it creates and keeps a model
 * of what each of their pages must hold: it creates anonymous areas (lazy,
 * wired, locked), clones them shared and private, into its process's own
 * aspace and into one persistent aspace that every process has open,
 * resizes, protects, locks, unlocks and deletes them, forks children that
 * check and write through the inherited windows, and writes and reads
 * whole pages through MAP_SHARED windows, while the other threads and
 * processes do the same in the same aspaces.  Every value read is compared
 * with the model:
 * - a page never written reads as zeros (nothing leaks between areas or
 *   aspaces);
 * - a shared clone sees its source's writes and the reverse;
 * - a private clone's writes stay its own, and it shows its source's
 *   writes to pages it has not written (NewOS), but only below the
 *   smallest size either had since the clone was made: zeros past it
 *   (uapi/vmarena.h, "Clones"), whatever areas along the chain are
 *   resized or deleted meanwhile;
 * - a range shrunk away faults (SIGSEGV), and grows back as zeros;
 * - write-protected and no-access areas fault on writes and reads;
 * - pages paged out (the pool's cap, max_pages, is lowered for the run so
 *   that the page daemon pages out all the time) come back intact.
 * Besides, reader threads in other processes check, under a seqlock, the
 * pages other processes publish in the persistent aspace.
 *
 * File areas (uapi/vmarena.h, "File areas"), against a shadow of each file.
 * FILES files (2 by default, 0 for none) of FPAGES pages on tmpfs (/tmp),
 * and as many on ext4 when $VMARENA_EXT4_DIR names a directory, are made
 * before the run, half holes; shared memory holds, for every page of each,
 * the version of the pattern the file holds there, with a lock for its
 * writers and a seqlock for its readers, over every process.  Threads map
 * parts of them, shared (read-write, or through a read-only fd) and
 * private, in both aspaces, wired and locked too; write through windows,
 * pwrite() to the files, read through windows and with pread(); SYNC,
 * msync(MS_SYNC) and fsync() the aspace fd (on ext4 a synced page is read
 * back from the disk with O_DIRECT); clone, resize (a shared file area
 * alone: the file's other areas keep their sizes), protect, lock and
 * delete them; and fork children that map files in aspaces of their own
 * and exit, close, or are killed (at a random moment too: pages a killed
 * writer held get a new version from its parent), and children that touch
 * pages past the end of a file (SIGBUS; nothing else ever touches them).
 * A process drops the page cache now and then, so that a written page no
 * one handed to its file system reads back from the disk.  Checked:
 * - every read of a file's page (a window of a shared area, pread(), a
 *   private area's page it has not written) shows the file's shadow;
 * - a private area's own writes stay its own and never reach the file;
 * - a read-only fd never gives a writable shared area (EACCES);
 * - a page written through a shared area and synced is on the disk when
 *   the sync returns (O_DIRECT; a miss says whether the page cache has the
 *   write, whether the same sync once more brings it, and whether it is
 *   there 1.5 s later);
 * - at the end, with every area gone and out_file_pending back at 0,
 *   every page of every file with pread(), and on ext4 with O_DIRECT after
 *   fsync() and with pread() after drop_caches (from the disk).
 *
 * -C weighs the mix toward private clones, resizes and deletes, so that
 * cache chains are shrunk, grown and merged all the time.
 *
 * The seed is printed first; each thread's generator is derived from it.
 * Exit status 1 on any mismatch, unexpected fault or errno, or if the
 * arena does not return to where it started.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmarena.h>

#define PAGE		4096UL
#define WORDS		(PAGE / 8)
#define DEV		"/dev/vmarena"
#define PARAM		"/sys/module/vmarena/parameters/max_pages"
#define MAXP		32		/* pages per area at most */
#define NOBJ		16
#define NAREA		12
#define SLOTS		64
#define OWN_BASE	0x40000000UL	/* each process's own aspace */
#define OWN_LEN		(64UL << 20)
#define SH_BASE		0x100000000UL	/* the persistent aspace every process opens */
#define SH_LEN		(256UL << 20)
#define FS_MAX		2		/* file systems: tmpfs /tmp, ext4 ($VMARENA_EXT4_DIR) */
#define FILES_MAX	8		/* files in all */
#define FPAGES		128U		/* pages per file */
#define NFAREA		8		/* file areas per thread */
#define DROP_CACHES	"/proc/sys/vm/drop_caches"

struct slot {			/* a page run published for readers elsewhere */
	_Atomic int live, readers;
	uint64_t base;
	uint32_t pages, tag;
	_Atomic uint32_t seq[MAXP], ver[MAXP];
};

/*
 * The shadow of one page of a file: what the file holds there.  Writers
 * (through a window of a shared file area, or pwrite()) take @lock (their
 * thread id) and make @seq odd while the page changes; readers (a window,
 * pread()) read @ver between two equal even values of @seq.  A writer that
 * dies holding @lock (a child killed at a random moment) leaves its tid
 * there: its parent takes the page over (frepair()).
 */
struct fpage {
	_Atomic uint32_t lock, seq;
	_Atomic uint32_t ver;		/* pattern version the file holds, 0: zeros */
	_Atomic uint32_t prev;		/* the one before (to say "a write was lost") */
};

struct tfile {
	char path[200];
	bool ext4;
	uint32_t tag;			/* the pattern's tag for the file's own bytes */
	struct fpage pg[FPAGES];
};

struct shared {
	_Atomic uint64_t ops, writes, reads, remote_reads, creates, clones, resizes, protects,
		locks, deletes, forks, faults, enomem, copies;
	_Atomic int failed, stop;
	char why[512];
	struct slot slots[SLOTS];
	/* Files, their shadow, and what was done to them. */
	int nfiles;
	struct tfile files[FILES_MAX];
	_Atomic uint32_t fver;		/* file page versions, over every process */
	_Atomic uint64_t fwrites, pwrites, freads, preads, fbusy, fprivate, fmaps, fclones,
		fdeletes, fresizes, fprotects, flocks, fsyncs, fdirect, fchildren, fkilled,
		frepairs, sigbus, drops;
};

static struct shared *sh;
static uint64_t seed;
static int own_fd = -1, sh_fd = -1, ctl = -1;
static char *own_win, *sh_win;
static int proc_no;
/* Each worker's own open files of every file: read-write, read-only, O_DIRECT (ext4). */
static int fd_rw[FILES_MAX], fd_ro[FILES_MAX], fd_direct[FILES_MAX];

static void fail(const char *fmt, ...)
{
	va_list ap;
	char buf[400];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!atomic_exchange(&sh->failed, 1))
		snprintf(sh->why, sizeof(sh->why), "pid %d: %s", getpid(), buf);
	fprintf(stderr, "torture: MISMATCH/FAIL (seed %" PRIu64 "): pid %d: %s\n", seed,
		getpid(), buf);
	atomic_store(&sh->stop, 1);
}

static __thread uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int pct)
{
	return below(100) < pct;
}

/* What word @i of page @p written with version @ver by object @tag holds. */
static uint64_t pattern(uint32_t tag, uint32_t p, uint32_t ver, uint64_t i)
{
	uint64_t z = ((uint64_t)tag << 40) ^ ((uint64_t)p << 32) ^ ver ^ (i * 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	return (z ^ (z >> 29)) | 1;	/* never zero: zero means "never written" */
}

static void fill(volatile uint64_t *w, uint32_t tag, uint32_t p, uint32_t ver)
{
	uint64_t i;

	for (i = 0; i < WORDS; i++)
		w[i] = pattern(tag, p, ver, i);
}

/* Does @w hold version @ver (0: zeros)?  Returns the first bad word or -1. */
static long check(const uint64_t *w, uint32_t tag, uint32_t p, uint32_t ver)
{
	uint64_t i;

	for (i = 0; i < WORDS; i++)
		if (w[i] != (ver ? pattern(tag, p, ver, i) : 0))
			return (long)i;
	return -1;
}

/* ---- faults --------------------------------------------------------------- */

static __thread sigjmp_buf jb;
static __thread volatile int armed;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	if (armed) {
		armed = 0;
		siglongjmp(jb, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Copy a page out of a window: 0, or the signal it raised. */
static int load_page(const char *src, uint64_t *dst)
{
	int sig = sigsetjmp(jb, 1);

	if (sig)
		return sig;
	armed = 1;
	memcpy(dst, src, PAGE);
	armed = 0;
	return 0;
}

static int store_page(char *dst, uint32_t tag, uint32_t p, uint32_t ver)
{
	int sig = sigsetjmp(jb, 1);

	if (sig)
		return sig;
	armed = 1;
	fill((volatile uint64_t *)dst, tag, p, ver);
	armed = 0;
	return 0;
}

static int store_byte(volatile char *dst)
{
	int sig = sigsetjmp(jb, 1);

	if (sig)
		return sig;
	armed = 1;
	*dst = *dst;
	armed = 0;
	return 0;
}

/* ---- the model ------------------------------------------------------------- */

struct obj {
	bool used;
	uint32_t tag;			/* unique over the run */
	int parent;			/* private clone of, or -1 */
	int children;			/* private clones of it (alive as objects) */
	int areas;			/* areas over it */
	uint32_t pages;
	uint32_t bound;			/* shows its parent below this page */
	uint32_t ver[MAXP];		/* valid where own[] */
	bool own[MAXP];
	uint32_t ptag[MAXP];		/* where own[]: its writer, if not @tag (a copy's) */
	int slot;			/* published, or -1 */
};

struct area {
	bool used;
	uint32_t id;
	int obj;
	bool in_shared;			/* in the persistent aspace */
	uint64_t base;
	uint32_t prot;
	bool locked;
	bool wired;
	uint32_t rsize;			/* pages counted in model->resident */
	bool shflag;			/* VMARENA_AREA_SHARED: copies share it */
};

/*
 * A file area: @shared ones are the file's own pages and follow the file's
 * shadow (sh->files); a private one reads the file where it has not
 * written, and its own writes elsewhere (@own, @ver).  @pages may reach past
 * the end of the file (a resize): only the first fa_usable() pages are
 * touched, past them only a forked child that expects SIGBUS does.
 */
struct farea {
	bool used;
	uint32_t id;
	int file;
	int asfd;			/* the aspace fd it is in */
	bool in_shared;			/* in the persistent aspace */
	bool shared;			/* VMARENA_MAP_SHARED */
	bool rdonly;			/* made through an fd not open for writing */
	uint64_t base;
	char *addr;			/* its first page in a window */
	uint32_t off;			/* first file page */
	uint32_t pages;
	uint32_t prot;
	bool locked, wired;
	uint32_t rsize;			/* pages counted in model->resident */
	uint32_t tag;			/* private: the tag of its own writes */
	bool own[MAXP];			/* private: pages it wrote */
	uint32_t ver[MAXP];
};

struct model {
	struct obj o[NOBJ];
	struct area a[NAREA];
	struct farea f[NFAREA];
	uint32_t next_ver;
	uint32_t tag_base;
	uint32_t resident;		/* pages of wired and locked areas */
};

/* Wired and locked pages per thread at most: they must fit under the cap. */
#define RESIDENT_MAX	16

static char *addr_of(const struct area *a, uint32_t p)
{
	return a->in_shared ? sh_win + (a->base - SH_BASE) + p * PAGE
			    : own_win + (a->base - OWN_BASE) + p * PAGE;
}

/* The version and writer of page @p of object @o, through its parents. */
static uint32_t resolve(const struct model *m, int o, uint32_t p, uint32_t *tag)
{
	while (o >= 0) {
		if (p >= m->o[o].pages)
			break;
		if (m->o[o].own[p]) {
			*tag = m->o[o].ptag[p] ? m->o[o].ptag[p] : m->o[o].tag;
			return m->o[o].ver[p];
		}
		if (p >= m->o[o].bound)
			break;
		o = m->o[o].parent;
	}
	*tag = 0;
	return 0;
}

static uint32_t new_tag(const struct model *m)
{
	static _Atomic uint32_t tags = 1;

	return m->tag_base + atomic_fetch_add(&tags, 1);
}

static int new_obj(struct model *m, uint32_t pages, int parent)
{
	int i;

	for (i = 0; i < NOBJ; i++)
		if (!m->o[i].used)
			break;
	if (i == NOBJ)
		return -1;
	memset(&m->o[i], 0, sizeof(m->o[i]));
	m->o[i].used = true;
	m->o[i].tag = new_tag(m);
	m->o[i].parent = parent;
	m->o[i].pages = pages;
	m->o[i].bound = pages;
	m->o[i].slot = -1;
	if (parent >= 0)
		m->o[parent].children++;
	return i;
}

static void put_obj(struct model *m, int o);

static void unpublish(struct model *m, int o)
{
	struct slot *s;

	if (m->o[o].slot < 0)
		return;
	s = &sh->slots[m->o[o].slot];
	atomic_store(&s->live, 0);
	while (atomic_load(&s->readers))
		sched_yield();
	m->o[o].slot = -1;
	atomic_store(&s->tag, 0);	/* free */
}

/* An object nobody maps and no clone reads through is forgotten. */
static void put_obj(struct model *m, int o)
{
	int parent;

	while (o >= 0 && !m->o[o].areas && !m->o[o].children) {
		unpublish(m, o);
		parent = m->o[o].parent;
		m->o[o].used = false;
		if (parent >= 0)
			m->o[parent].children--;
		o = parent;
	}
}

/* ---- ioctls ---------------------------------------------------------------- */

static int create(int fd, unsigned long cmd, struct vmarena_area_create *c)
{
	c->size = sizeof(*c);
	return ioctl(fd, cmd, c);
}

static int area_op(const struct area *a, unsigned long cmd, uint64_t value)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = a->id, .value = value };

	return ioctl(a->in_shared ? sh_fd : own_fd, cmd, &op);
}

/* A failure the model allows: no room, or the commit limit. */
static bool tolerable(int e)
{
	if (e == ENOMEM || e == EMLINK) {
		atomic_fetch_add(&sh->enomem, 1);
		return true;
	}
	return false;
}

static int free_area(const struct model *m)
{
	int i;

	for (i = 0; i < NAREA; i++)
		if (!m->a[i].used)
			return i;
	return -1;
}

static int pick_area(const struct model *m)
{
	int i, n = 0, pick = -1;

	for (i = 0; i < NAREA; i++)
		if (m->a[i].used && below(++n) == 0)
			pick = i;
	return pick;
}

static void op_create(struct model *m)
{
	struct vmarena_area_create c;
	int ai = free_area(m), o;
	uint32_t pages = 1 + (uint32_t)below(MAXP);
	bool in_shared = chance(40);

	if (ai < 0)
		return;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "t%d", proc_no);
	c.length = pages * PAGE;
	c.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE;
	if (chance(10) && m->resident + pages <= RESIDENT_MAX)
		c.wiring = VMARENA_WIRING_WIRED;
	else if (chance(10) && m->resident + pages <= RESIDENT_MAX)
		c.lock_level = VMARENA_LOCK_LOCKED;
	if (create(in_shared ? sh_fd : own_fd, VMARENA_IOC_AREA_CREATE_ANON, &c)) {
		if (!tolerable(errno))
			fail("create anon %u pages: %s", pages, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->creates, 1);
	o = new_obj(m, pages, -1);
	if (o < 0) {		/* no room in the model: forget the area at once */
		struct area tmp = { .id = c.out_id, .in_shared = in_shared };

		if (area_op(&tmp, VMARENA_IOC_AREA_DELETE, 0))
			fail("delete %u: %s", c.out_id, strerror(errno));
		return;
	}
	m->o[o].areas++;
	m->a[ai] = (struct area){ true, c.out_id, o, in_shared, c.out_address, c.protection,
				  c.lock_level == VMARENA_LOCK_LOCKED,
				  c.wiring != VMARENA_WIRING_LAZY, 0, false };
	if (m->a[ai].locked || m->a[ai].wired) {
		m->a[ai].rsize = pages;
		m->resident += pages;
	}
	/* Publish some in the persistent aspace for readers in other processes. */
	if (in_shared && chance(60)) {
		int s;

		for (s = 0; s < SLOTS; s++) {
			uint32_t zero = 0;

			if (atomic_compare_exchange_strong(&sh->slots[s].tag, &zero, 0xffffffff))
				break;
		}
		if (s < SLOTS) {
			struct slot *sl = &sh->slots[s];
			uint32_t p;

			sl->base = c.out_address;
			sl->pages = pages;
			for (p = 0; p < MAXP; p++) {
				atomic_store(&sl->seq[p], 0);
				atomic_store(&sl->ver[p], 0);
			}
			atomic_store(&sl->tag, m->o[o].tag);
			atomic_store(&sl->live, 1);
			m->o[o].slot = s;
		}
	}
}

static void op_clone(struct model *m)
{
	struct vmarena_area_create c;
	int src = pick_area(m), ai = free_area(m), o;
	bool shared = chance(50), into_shared = chance(50);
	const struct area *s;

	if (src < 0 || ai < 0)
		return;
	s = &m->a[src];
	memset(&c, 0, sizeof(c));
	c.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE;
	c.mapping = shared ? VMARENA_MAP_SHARED : VMARENA_MAP_PRIVATE;
	c.source_id = s->id;
	if (s->in_shared != into_shared) {
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = (uint32_t)(s->in_shared ? sh_fd : own_fd);
	}
	if (chance(10) && m->resident + m->o[s->obj].pages <= RESIDENT_MAX)
		c.lock_level = VMARENA_LOCK_LOCKED;
	if (!shared) {
		o = new_obj(m, m->o[s->obj].pages, s->obj);
		if (o < 0)
			return;
	} else {
		o = s->obj;
	}
	if (create(into_shared ? sh_fd : own_fd, VMARENA_IOC_AREA_CLONE, &c)) {
		int e = errno;

		if (!shared)
			put_obj(m, o);
		/* The source may have been write-protected: EACCES is its business. */
		if (!tolerable(e) && !(e == EACCES && s->prot != c.protection))
			fail("clone of %u (%s): %s", s->id, shared ? "shared" : "private",
			     strerror(e));
		return;
	}
	atomic_fetch_add(&sh->clones, 1);
	m->o[o].areas++;
	/* A shared clone marks its source shared too (Haiku): copies share both. */
	if (shared)
		m->a[src].shflag = true;
	m->a[ai] = (struct area){ true, c.out_id, o, into_shared, c.out_address, c.protection,
				  c.lock_level == VMARENA_LOCK_LOCKED, false, 0, shared };
	if (m->a[ai].locked) {
		m->a[ai].rsize = m->o[o].pages;
		m->resident += m->a[ai].rsize;
	}
}

/*
 * Copies (uapi/vmarena.h, "Copies"), in the model.  A copy of a shared
 * clone is one more area of its object.  Any other copy is a snapshot:
 * - of an object some area pins (wired, locked), or of one that reads
 *   through an object areas still map (a private clone's source) when the
 *   source may be read or executed, an eager copy: a new object owning
 *   every page as the source shows it now; the source and its private
 *   clones go on as before;
 * - otherwise, a copy on write: the source's object moves one layer up,
 *   over a new object @low that takes its pages (and its tag, its parent,
 *   its bound and its private clones); the copy is a new object over
 *   @low too.  So the earlier clones, like the copy, keep the snapshot.
 */
static bool obj_pinned(const struct model *m, int o)
{
	int i;

	for (i = 0; i < NAREA; i++)
		if (m->a[i].used && m->a[i].obj == o && (m->a[i].locked || m->a[i].wired))
			return true;
	return false;
}

/*
 * Does a copy of @o read through an object areas still map (the source
 * of a private clone, through any layers between)?  Such a copy is made
 * eagerly too, so that it keeps its snapshot.
 */
static bool obj_reads_live(const struct model *m, int o)
{
	for (; m->o[o].parent >= 0 && m->o[o].bound; o = m->o[o].parent)
		if (m->o[m->o[o].parent].areas)
			return true;
	return false;
}

/* Is a copy of area @a made eagerly (see above; not write-only or without access)? */
static bool area_copied_eagerly(const struct model *m, const struct area *a)
{
	return obj_pinned(m, a->obj) ||
	       (a->prot & (VMARENA_PROT_READ | VMARENA_PROT_EXEC) && obj_reads_live(m, a->obj));
}

/* A new object that owns what @o shows now, page by page (or -1). */
static int snapshot_obj(struct model *m, int o)
{
	int n = new_obj(m, m->o[o].pages, -1);
	uint32_t p, tag, ver;

	if (n < 0)
		return -1;
	for (p = 0; p < m->o[n].pages; p++) {
		ver = resolve(m, o, p, &tag);
		if (!ver)
			continue;
		m->o[n].own[p] = true;
		m->o[n].ver[p] = ver;
		m->o[n].ptag[p] = tag;
	}
	return n;
}

/* Layer @o over a new object holding its pages; returns it (or -1). */
static int layer_obj(struct model *m, int o)
{
	int low = new_obj(m, m->o[o].pages, m->o[o].parent), i;
	struct obj *up = &m->o[o], *lo;
	uint32_t tag;

	if (low < 0)
		return -1;
	lo = &m->o[low];
	tag = lo->tag;
	if (up->parent >= 0)
		m->o[up->parent].children--;	/* @low took its place */
	memcpy(lo->own, up->own, sizeof(lo->own));
	memcpy(lo->ver, up->ver, sizeof(lo->ver));
	memcpy(lo->ptag, up->ptag, sizeof(lo->ptag));
	lo->tag = up->tag;
	lo->bound = up->bound;
	for (i = 0; i < NOBJ; i++)
		if (i != o && m->o[i].used && m->o[i].parent == o) {
			m->o[i].parent = low;
			up->children--;
			lo->children++;
		}
	memset(up->own, 0, sizeof(up->own));
	up->tag = tag;
	up->parent = low;
	up->bound = up->pages;
	lo->children++;
	return low;
}

static void op_copy(struct model *m)
{
	int src = pick_area(m), ai = free_area(m), o = -1;
	struct vmarena_area_copy c = { .size = sizeof(c) };
	bool into_shared = chance(50), eager, wired;
	const struct area *s;
	uint32_t pages;

	if (src < 0 || ai < 0)
		return;
	s = &m->a[src];
	pages = m->o[s->obj].pages;
	eager = !s->shflag && area_copied_eagerly(m, s);
	wired = eager && s->wired && s->prot;
	if (wired && m->resident + pages > RESIDENT_MAX)
		return;
	/* Room in the model for what the copy makes, before it is made. */
	if (!s->shflag) {
		int a = new_obj(m, 1, -1), b = new_obj(m, 1, -1);

		if (a >= 0)
			m->o[a].used = false;
		if (b >= 0)
			m->o[b].used = false;
		if (a < 0 || b < 0)
			return;
	}
	c.source_id = s->id;
	if (s->in_shared != into_shared) {
		c.flags = VMARENA_COPY_SOURCE_FD;
		c.fd = (uint32_t)(s->in_shared ? sh_fd : own_fd);
	}
	unpublish(m, s->obj);
	if (ioctl(into_shared ? sh_fd : own_fd, VMARENA_IOC_AREA_COPY, &c)) {
		int e = errno;

		if (!tolerable(e) && !(e == EACCES && !s->prot))
			fail("copy of %u: %s", s->id, strerror(e));
		return;
	}
	atomic_fetch_add(&sh->copies, 1);
	if (s->shflag)
		o = s->obj;
	else if (eager)
		o = snapshot_obj(m, s->obj);
	else if (layer_obj(m, s->obj) >= 0)
		o = new_obj(m, pages, m->o[s->obj].parent);
	if (o < 0) {
		fail("copy of %u: no room in the model after all", s->id);
		return;
	}
	m->o[o].areas++;
	m->a[ai] = (struct area){ true, c.out_id, o, into_shared, c.out_address, s->prot,
				  false, wired, 0, s->shflag };
	if (wired) {
		m->a[ai].rsize = pages;
		m->resident += pages;
	}
}

static void op_delete(struct model *m, int ai)
{
	struct area *a = &m->a[ai];
	int o = a->obj;

	if (m->o[o].slot >= 0 && m->o[o].areas == 1)
		unpublish(m, o);
	/* A published run must not go while readers look at it. */
	if (m->o[o].slot >= 0 && sh->slots[m->o[o].slot].base == a->base && a->in_shared)
		unpublish(m, o);
	if (area_op(a, VMARENA_IOC_AREA_DELETE, 0)) {
		fail("delete %u: %s", a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->deletes, 1);
	if (a->locked || a->wired)
		m->resident -= a->rsize;
	a->used = false;
	m->o[o].areas--;
	put_obj(m, o);
}

/* Write page @p of area @ai, or check that it faults if it may not. */
static void op_write(struct model *m, int ai, uint32_t p)
{
	struct area *a = &m->a[ai];
	struct obj *o = &m->o[a->obj];
	struct slot *s = o->slot >= 0 ? &sh->slots[o->slot] : NULL;
	uint32_t ver;
	int sig;

	if (!(a->prot & VMARENA_PROT_WRITE)) {
		sig = store_byte(addr_of(a, p));
		if (sig != SIGSEGV)
			fail("write to read-only area %u page %u: %s", a->id, p,
			     sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->faults, 1);
		return;
	}
	ver = ++m->next_ver;
	if (s && p < s->pages)
		atomic_fetch_add(&s->seq[p], 1);	/* odd: being written */
	sig = store_page(addr_of(a, p), o->tag, p, ver);
	if (s && p < s->pages) {
		atomic_store(&s->ver[p], ver);
		atomic_fetch_add(&s->seq[p], 1);
	}
	if (sig) {
		fail("write to area %u (%#" PRIx64 ") page %u: %s", a->id, a->base, p,
		     strsignal(sig));
		return;
	}
	o->own[p] = true;
	o->ver[p] = ver;
	o->ptag[p] = 0;
	atomic_fetch_add(&sh->writes, 1);
}

static void op_read(struct model *m, int ai, uint32_t p)
{
	static __thread uint64_t buf[WORDS];
	struct area *a = &m->a[ai];
	uint32_t tag, ver = resolve(m, a->obj, p, &tag);
	long bad;
	int sig;

	sig = load_page(addr_of(a, p), buf);
	if (!a->prot) {
		if (sig != SIGSEGV)
			fail("read of no-access area %u: %s", a->id,
			     sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->faults, 1);
		return;
	}
	if (sig) {
		fail("read of area %u (%#" PRIx64 ") page %u: %s", a->id, a->base, p,
		     strsignal(sig));
		return;
	}
	bad = check(buf, tag, p, ver);
	if (bad >= 0)
		fail("area %u (%#" PRIx64 ", object %u%s) page %u word %ld: %#" PRIx64
		     ", expected %s version %u of object %u", a->id, a->base, m->o[a->obj].tag,
		     m->o[a->obj].parent >= 0 ? ", private clone" : "", p, bad, buf[bad],
		     ver ? "" : "zeros,", ver, tag);
	atomic_fetch_add(&sh->reads, 1);
}

/*
 * Resize every area of an object (a private clone's too, or a source of
 * some); shrunk pages fault.  A shrink bounds what the object and its
 * private clones show of what lies below it, for good.
 */
static void op_resize(struct model *m, int ai)
{
	struct area *a = &m->a[ai];
	struct obj *o = &m->o[a->obj];
	uint32_t pages = 1 + (uint32_t)below(MAXP), p, old = o->pages;
	static __thread uint64_t buf[WORDS];
	int i, sig;

	for (i = 0; i < NAREA; i++)
		if (m->a[i].used && m->a[i].obj == a->obj && (m->a[i].locked || m->a[i].wired))
			return;		/* keep the resident budget simple */
	unpublish(m, a->obj);
	if (area_op(a, VMARENA_IOC_AREA_RESIZE, pages * PAGE)) {
		if (!tolerable(errno))
			fail("resize %u to %u pages: %s", a->id, pages, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->resizes, 1);
	o->pages = pages;
	for (p = pages; p < MAXP; p++)
		o->own[p] = false;	/* regrown pages are zeros */
	if (pages < o->bound)
		o->bound = pages;
	for (i = 0; i < NOBJ; i++)
		if (m->o[i].used && m->o[i].parent == a->obj && m->o[i].bound > pages)
			m->o[i].bound = pages;
	if (pages < old) {
		/* The first page past the end faults, in every area of the object
		 * (unless an area of this thread was placed there since: skip). */
		for (i = 0; i < NAREA; i++) {
			const struct area *b = &m->a[i];
			int j, taken = 0;

			if (!b->used || b->obj != a->obj)
				continue;
			{
				struct vmarena_area_info info = { .size = sizeof(info), .id = b->id };

				if (ioctl(b->in_shared ? sh_fd : own_fd, VMARENA_IOC_AREA_INFO, &info) ||
				    info.out_length != pages * PAGE)
					fail("area %u after resize to %u pages: length %" PRIu64,
					     b->id, pages, (uint64_t)info.out_length);
			}
			for (j = 0; j < NAREA; j++)
				if (m->a[j].used && m->a[j].in_shared == b->in_shared &&
				    m->a[j].base == b->base + pages * PAGE)
					taken = 1;
			if (taken)
				continue;
			sig = load_page(addr_of(b, pages), buf);
			/* Another thread's area may have been placed right there. */
			if (sig == SIGSEGV)
				atomic_fetch_add(&sh->faults, 1);
		}
	}
}

static void op_protect(struct model *m, int ai)
{
	static const uint32_t prots[] = { VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					  VMARENA_PROT_READ, 0 };
	struct area *a = &m->a[ai];
	uint32_t prot = prots[below(3)];

	if (m->o[a->obj].slot >= 0 && prot != (VMARENA_PROT_READ | VMARENA_PROT_WRITE))
		unpublish(m, a->obj);
	if (area_op(a, VMARENA_IOC_AREA_PROTECT, prot)) {
		fail("protect %u: %s", a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->protects, 1);
	a->prot = prot;
}

static void op_lock(struct model *m, int ai)
{
	struct area *a = &m->a[ai];
	uint32_t pages = m->o[a->obj].pages;
	bool lock = !a->locked;

	if (a->wired || (lock && m->resident + pages > RESIDENT_MAX))
		return;
	if (area_op(a, VMARENA_IOC_AREA_LOCK, lock ? VMARENA_LOCK_LOCKED : VMARENA_LOCK_UNLOCKED)) {
		if (!tolerable(errno))
			fail("lock %u: %s", a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->locks, 1);
	a->locked = lock;
	if (lock) {
		a->rsize = pages;
		m->resident += pages;
	} else {
		m->resident -= a->rsize;
		a->rsize = 0;
	}
}

/*
 * A child checks every readable page of this thread's areas through the
 * inherited windows, writes one page, and exits with everything mapped.
 */
static void op_fork(struct model *m)
{
	int ai = pick_area(m), st, i;
	uint32_t p, ver;
	pid_t pid;

	if (ai < 0)
		return;
	p = (uint32_t)below(m->o[m->a[ai].obj].pages);
	ver = m->next_ver + 1;
	atomic_fetch_add(&sh->forks, 1);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		for (i = 0; i < NAREA; i++) {
			uint32_t q;

			if (!m->a[i].used || !m->a[i].prot)
				continue;
			for (q = 0; q < m->o[m->a[i].obj].pages; q++)
				op_read(m, i, q);
		}
		op_write(m, ai, p);
		_exit(atomic_load(&sh->failed) ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fail("forked checker: status %#x", st);
		return;
	}
	/* What the child wrote (if it could) is in the model now too. */
	if (m->a[ai].prot & VMARENA_PROT_WRITE) {
		m->next_ver = ver;
		m->o[m->a[ai].obj].own[p] = true;
		m->o[m->a[ai].obj].ver[p] = ver;
		m->o[m->a[ai].obj].ptag[p] = 0;
	}
}

/* Is there room in the model for one more object? */
static bool obj_room(struct model *m)
{
	int o = new_obj(m, 1, -1);

	if (o >= 0)
		m->o[o].used = false;
	return o >= 0;
}

#define FORK_EAGER	(-2)	/* a fork copy owning every page it had */

/*
 * Copy this thread's area @ai into the aspace @to at its address, and
 * model what the copy does to the source (see op_copy()).  *@wired_pages
 * counts the pages of wired copies against the resident budget.
 * Returns what the copy reads: -1 (no copy), FORK_EAGER (its own pages,
 * as the source showed them), or the object it reads through (the
 * source's own object for an area shared on purpose, else the layer the
 * source's pages moved to).
 */
static int fork_copy_area(struct model *m, int ai, int to, uint32_t *wired_pages)
{
	struct area *a = &m->a[ai];
	struct vmarena_area_copy c = {
		.size = sizeof(c), .source_id = a->id, .flags = VMARENA_COPY_SOURCE_FD,
		.fd = (uint32_t)own_fd, .addr_spec = VMARENA_ADDR_EXACT, .address = a->base,
	};
	uint32_t pages = m->o[a->obj].pages;
	bool eager = !a->shflag && area_copied_eagerly(m, a);
	bool layer = !a->shflag && !eager;
	int low;

	if (eager && a->wired) {
		if (m->resident + *wired_pages + pages > RESIDENT_MAX)
			return -1;
		*wired_pages += pages;
	}
	if (layer) {
		if (!obj_room(m))
			return -1;
		unpublish(m, a->obj);
	}
	if (ioctl(to, VMARENA_IOC_AREA_COPY, &c)) {
		int e = errno;

		if (!tolerable(e) && e != EDQUOT)
			fail("fork copy of %u: %s", a->id, strerror(e));
		return -1;
	}
	atomic_fetch_add(&sh->copies, 1);
	if (!layer)
		return eager ? FORK_EAGER : a->obj;
	low = layer_obj(m, a->obj);
	if (low < 0)
		fail("fork copy of %u: no room in the model after all", a->id);
	return low;
}

/*
 * What a child reads through the copies: an eager copy each page as it
 * was at the copy (@ver, @tag), any other what its object shows now.
 * Exits the child.
 */
static void fork_copy_child(struct model *m, int cfd, const int *copy,
			    uint32_t (*ver)[MAXP], uint32_t (*tag)[MAXP], int k, uint32_t q)
{
	static uint64_t buf[WORDS];
	char *win, *rw;
	uint32_t pg, t, v;
	int i, sig;

	win = mmap(NULL, OWN_LEN, PROT_READ, MAP_SHARED, cfd, OWN_BASE);
	if (win == MAP_FAILED) {
		fail("fork copy: window of the copy: %s", strerror(errno));
		_exit(1);
	}
	for (i = 0; i < NAREA; i++) {
		const struct area *a = &m->a[i];

		if (copy[i] == -1)
			continue;
		for (pg = 0; pg < m->o[a->obj].pages; pg++) {
			if (copy[i] == FORK_EAGER) {
				v = ver[i][pg];
				t = tag[i][pg];
			} else {
				v = resolve(m, copy[i], pg, &t);
			}
			sig = load_page(win + (a->base - OWN_BASE) + pg * PAGE, buf);
			if (sig)
				fail("fork copy of area %u page %u: %s", a->id, pg, strsignal(sig));
			else if (check(buf, t, pg, v) >= 0)
				fail("fork copy of area %u (%s) page %u: not version %u of object %u",
				     a->id, a->shflag ? "shared" : copy[i] == FORK_EAGER ?
				     "eager" : "copy on write", pg, v, t);
			atomic_fetch_add(&sh->reads, 1);
		}
	}
	/* The child's write stays in its copy. */
	if (k >= 0) {
		rw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd,
			  (off_t)(m->a[k].base + q * PAGE));
		if (rw == MAP_FAILED)
			fail("fork copy: window of page %u of area %u: %s", q, m->a[k].id,
			     strerror(errno));
		else
			memset(rw, 0x5a, PAGE);
	}
	_exit(atomic_load(&sh->failed) ? 1 : 0);
}

/*
 * Haiku's fork, as os_area.c makes it: a copy of each of this thread's own
 * areas into a new aspace at the same address (VMARENA_IOC_AREA_COPY),
 * then a write by the parent, and a child that checks every page of the
 * copies against the model (a snapshot, or what an area shared on purpose
 * shows now) and writes a page of a snapshot copy, which the parent must
 * not see.
 */
static void op_fork_copy(struct model *m)
{
	static __thread uint32_t ver[NAREA][MAXP], tag[NAREA][MAXP];
	struct vmarena_aspace_create ac = {
		.size = sizeof(ac), .base = OWN_BASE, .length = OWN_LEN,
	};
	int copy[NAREA], i, w = -1, k = -1, n = 0, st, cfd;
	uint32_t wired_pages = 0, pg, p = 0, q = 0;
	pid_t pid;

	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &ac)) {
		if (!tolerable(errno))
			fail("fork copy: aspace: %s", strerror(errno));
		return;
	}
	cfd = (int)ac.out_fd;
	for (i = 0; i < NAREA; i++) {
		const struct area *a = &m->a[i];

		copy[i] = -1;
		if (!a->used || a->in_shared || !a->prot)
			continue;
		for (pg = 0; pg < m->o[a->obj].pages; pg++)
			ver[i][pg] = resolve(m, a->obj, pg, &tag[i][pg]);
		copy[i] = fork_copy_area(m, i, cfd, &wired_pages);
		if (copy[i] == -1)
			continue;
		n++;
		if ((a->prot & VMARENA_PROT_WRITE) && below(n) == 0)
			w = i;
		if ((a->prot & VMARENA_PROT_WRITE) && !a->shflag && (k < 0 || chance(50)))
			k = i;
	}
	if (!n) {
		close(cfd);
		return;
	}
	/* The parent writes after the copy: only a shared area's copy sees it. */
	if (w >= 0) {
		p = (uint32_t)below(m->o[m->a[w].obj].pages);
		op_write(m, w, p);
	}
	if (k >= 0)
		q = (uint32_t)below(m->o[m->a[k].obj].pages);
	atomic_fetch_add(&sh->forks, 1);
	pid = fork();
	if (!pid)
		fork_copy_child(m, cfd, copy, ver, tag, k, q);
	close(cfd);
	if (pid < 0)
		return;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fail("fork copy checker: status %#x", st);
		return;
	}
	if (k >= 0)
		op_read(m, k, q);
}

/*
 * The mix of an owner's operations, in thousandths (cumulative): create,
 * write, read, clone, delete, resize, protect, lock, fork (then create).
 * -C weighs clones, resizes and deletes, so that cache chains are shrunk,
 * grown and merged all the time.
 */
static const uint16_t mix_default[] = { 80, 400, 800, 850, 890, 920, 950, 990, 993 };
static const uint16_t mix_chains[] = { 60, 300, 600, 720, 800, 950, 960, 970, 973 };
static const uint16_t *mix = mix_default;

static void owner(struct model *m)
{
	uint64_t r = below(1000);
	int ai = pick_area(m);
	uint32_t p;

	atomic_fetch_add(&sh->ops, 1);
	if (ai < 0 || r < mix[0]) {
		op_create(m);
		return;
	}
	p = (uint32_t)below(m->o[m->a[ai].obj].pages);
	if (r < mix[1])
		op_write(m, ai, p);
	else if (r < mix[2])
		op_read(m, ai, p);
	else if (r < mix[3])
		chance(30) ? op_copy(m) : op_clone(m);
	else if (r < mix[4])
		op_delete(m, ai);
	else if (r < mix[5])
		op_resize(m, ai);
	else if (r < mix[6])
		op_protect(m, ai);
	else if (r < mix[7])
		op_lock(m, ai);
	else if (r < mix[8])
		chance(50) ? op_fork_copy(m) : op_fork(m);
	else
		op_create(m);
}

/* ---- files and file areas -------------------------------------------------- */

static struct fpage *fpg(int f, uint32_t p)
{
	return &sh->files[f].pg[p];
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The pages of @a that lie inside its file. */
static uint32_t fa_usable(const struct farea *a)
{
	return a->off >= FPAGES ? 0 : min32(a->pages, FPAGES - a->off);
}

static int fa_op(const struct farea *a, unsigned long cmd, uint64_t value)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = a->id, .value = value };

	return ioctl(a->asfd, cmd, &op);
}

static const char *fa_kind(const struct farea *a)
{
	return a->shared ? (a->rdonly ? "shared read-only" : "shared") : "private";
}

/*
 * Take page @p of file @f for writing (its lock, then an odd seq).  False
 * if another writer kept it 20 s (a failure), or 2 s once the run stops.
 */
static bool flock_page(int f, uint32_t p)
{
	struct fpage *g = fpg(f, p);
	uint32_t me = (uint32_t)gettid(), none;
	struct timespec t0, t;
	unsigned long n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0;; n++) {
		none = 0;
		if (atomic_compare_exchange_weak(&g->lock, &none, me)) {
			atomic_fetch_add(&g->seq, 1);	/* odd: being written */
			return true;
		}
		if (n % 64 == 63) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec >= (atomic_load(&sh->stop) ? 2 : 20)) {
				if (!atomic_load(&sh->stop))
					fail("file %s page %u: held by thread %u for 20 s",
					     sh->files[f].path, p, atomic_load(&g->lock));
				return false;
			}
		}
		sched_yield();
	}
}

/* The page written (or not: @ver is its old one), let go of. */
static void funlock_page(int f, uint32_t p, uint32_t ver)
{
	struct fpage *g = fpg(f, p);
	uint32_t old = atomic_load(&g->ver);

	if (ver != old) {
		atomic_store(&g->prev, old);
		atomic_store(&g->ver, ver);
	}
	atomic_fetch_add(&g->seq, 1);
	atomic_store(&g->lock, 0);
}

static uint32_t fnew_ver(void)
{
	return atomic_fetch_add(&sh->fver, 1) + 1;
}

/* What page @p of file @f holds instead of version @ver, said in @out. */
static void fdescribe(char *out, size_t len, const char *how, int f, uint32_t p,
		      const uint64_t *buf, uint32_t ver, uint32_t prev)
{
	const struct tfile *t = &sh->files[f];
	long bad = check(buf, t->tag, p, ver);
	char got[160];
	uint64_t i;

	for (i = 0; i < WORDS && !buf[i]; i++)
		;
	if (i == WORDS)
		snprintf(got, sizeof(got), "zeros");
	else if (prev != ver && check(buf, t->tag, p, prev) < 0)
		snprintf(got, sizeof(got), "version %u, the one before (the last write is missing)",
			 prev);
	else
		snprintf(got, sizeof(got), "word %ld = %#" PRIx64 " (expected %#" PRIx64 ")", bad,
			 buf[bad], ver ? pattern(t->tag, p, ver, (uint64_t)bad) : 0);
	snprintf(out, len, "%s: file %s page %u holds %s; expected %s%u", how, t->path, p, got,
		 ver ? "version " : "zeros, version ", ver);
}

static void fmismatch(const char *how, int f, uint32_t p, const uint64_t *buf, uint32_t ver,
		      uint32_t prev)
{
	char what[400];

	fdescribe(what, sizeof(what), how, f, p, buf, ver, prev);
	fail("%s", what);
}

/*
 * Read page @p of file @f through @win (a window page) or else with
 * pread() from @fd, and check it against the shadow, under the page's
 * seqlock.  False if writers kept it busy (nothing checked).
 */
static bool fread_check(int f, uint32_t p, const char *win, int fd, const char *how)
{
	static __thread uint64_t buf[WORDS];
	struct fpage *g = fpg(f, p);
	uint32_t s, ver, prev;
	ssize_t n = PAGE;
	int sig = 0, tries;

	for (tries = 0; tries < 16; tries++) {
		s = atomic_load(&g->seq);
		if (s & 1) {
			sched_yield();
			continue;
		}
		ver = atomic_load(&g->ver);
		prev = atomic_load(&g->prev);
		if (win)
			sig = load_page(win, buf);
		else
			n = pread(fd, buf, PAGE, (off_t)p * PAGE);
		atomic_thread_fence(memory_order_seq_cst);
		if (sig) {
			fail("%s: file %s page %u: %s", how, sh->files[f].path, p, strsignal(sig));
			return true;
		}
		if (n != (ssize_t)PAGE) {
			fail("%s: pread of file %s page %u: %zd (%s)", how, sh->files[f].path, p, n,
			     n < 0 ? strerror(errno) : "short");
			return true;
		}
		if (atomic_load(&g->seq) != s)
			continue;
		if (check(buf, sh->files[f].tag, p, ver) >= 0)
			fmismatch(how, f, p, buf, ver, prev);
		return true;
	}
	atomic_fetch_add(&sh->fbusy, 1);
	return false;
}

/* A store that needs no read first (a page past the end must fault on it). */
static int store_word(volatile uint64_t *dst)
{
	int sig = sigsetjmp(jb, 1);

	if (sig)
		return sig;
	armed = 1;
	*dst = 0;
	armed = 0;
	return 0;
}

struct fspec {
	int file;
	uint32_t off, pages;
	bool shared, rdonly;
	uint32_t wiring, lock_level;
};

/* Map @fs into the aspace of @asfd, whose window @win shows @win_base. */
static int fmap(const struct model *m, struct farea *a, int asfd, char *win, uint64_t win_base,
		const struct fspec *fs)
{
	struct vmarena_area_create c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "f%d", proc_no);
	c.length = fs->pages * PAGE;
	c.protection = fs->rdonly ? VMARENA_PROT_READ : VMARENA_PROT_READ | VMARENA_PROT_WRITE;
	c.mapping = fs->shared ? VMARENA_MAP_SHARED : VMARENA_MAP_PRIVATE;
	/* A private mapping needs no write permission on the file. */
	c.fd = (uint32_t)(fs->rdonly || (!fs->shared && chance(30)) ? fd_ro[fs->file]
								      : fd_rw[fs->file]);
	c.file_offset = (uint64_t)fs->off * PAGE;
	c.wiring = fs->wiring;
	c.lock_level = fs->lock_level;
	if (create(asfd, VMARENA_IOC_AREA_MAP_FILE, &c))
		return errno;
	memset(a, 0, sizeof(*a));
	a->used = true;
	a->id = c.out_id;
	a->file = fs->file;
	a->asfd = asfd;
	a->in_shared = asfd == sh_fd;
	a->shared = fs->shared;
	a->rdonly = fs->rdonly;
	a->base = c.out_address;
	a->addr = win + (c.out_address - win_base);
	a->off = fs->off;
	a->pages = fs->pages;
	a->prot = c.protection;
	a->wired = fs->wiring != VMARENA_WIRING_LAZY;
	a->locked = fs->lock_level == VMARENA_LOCK_LOCKED;
	a->tag = new_tag(m);
	return 0;
}

static void random_fspec(struct fspec *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->file = (int)below((uint64_t)sh->nfiles);
	fs->off = (uint32_t)below(FPAGES);
	fs->pages = 1 + (uint32_t)below(min32(MAXP, FPAGES - fs->off));
	fs->shared = chance(70);
	fs->rdonly = fs->shared && chance(15);
}

static int fa_free(const struct model *m)
{
	int i;

	for (i = 0; i < NFAREA; i++)
		if (!m->f[i].used)
			return i;
	return -1;
}

static int fa_pick(const struct model *m)
{
	int i, n = 0, pick = -1;

	for (i = 0; i < NFAREA; i++)
		if (m->f[i].used && below(++n) == 0)
			pick = i;
	return pick;
}

static void op_fmap(struct model *m)
{
	int i = fa_free(m), e;
	bool in_shared = chance(40);
	struct fspec fs;
	struct farea *a;

	if (i < 0)
		return;
	random_fspec(&fs);
	/* Wired and locked: shared ones only (a private one would be privatised). */
	if (fs.shared && m->resident + fs.pages <= RESIDENT_MAX) {
		if (chance(5))
			fs.wiring = VMARENA_WIRING_WIRED;
		else if (chance(5))
			fs.lock_level = VMARENA_LOCK_LOCKED;
	}
	if (fs.rdonly && chance(20)) {
		/* Write asked of a shared mapping through a read-only fd: EACCES. */
		struct vmarena_area_create c;

		memset(&c, 0, sizeof(c));
		c.length = fs.pages * PAGE;
		c.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE;
		c.mapping = VMARENA_MAP_SHARED;
		c.fd = (uint32_t)fd_ro[fs.file];
		c.file_offset = (uint64_t)fs.off * PAGE;
		if (!create(own_fd, VMARENA_IOC_AREA_MAP_FILE, &c)) {
			struct area tmp = { .id = c.out_id };

			fail("writable shared map of %s through a read-only fd: no EACCES",
			     sh->files[fs.file].path);
			area_op(&tmp, VMARENA_IOC_AREA_DELETE, 0);
			return;
		}
		if (errno != EACCES)
			fail("writable shared map of %s through a read-only fd: %s, not EACCES",
			     sh->files[fs.file].path, strerror(errno));
	}
	a = &m->f[i];
	e = fmap(m, a, in_shared ? sh_fd : own_fd, in_shared ? sh_win : own_win,
		 in_shared ? SH_BASE : OWN_BASE, &fs);
	if (e) {
		if (!tolerable(e))
			fail("map file %s pages %u+%u (%s): %s", sh->files[fs.file].path, fs.off,
			     fs.pages, fs.shared ? "shared" : "private", strerror(e));
		return;
	}
	atomic_fetch_add(&sh->fmaps, 1);
	if (a->wired || a->locked) {
		a->rsize = a->pages;
		m->resident += a->pages;
	}
}

/* Write a run of pages of @a through its window, or check that it faults. */
static void op_fwrite(struct model *m, struct farea *a)
{
	uint32_t use = fa_usable(a), p, n, k, fp, ver;
	int sig;

	if (!use)
		return;
	p = (uint32_t)below(use);
	n = 1 + (uint32_t)below(min32(4, use - p));
	if (!(a->prot & VMARENA_PROT_WRITE)) {
		sig = store_byte(a->addr + p * PAGE);
		if (sig != SIGSEGV)
			fail("write to %s file area %u with protection %u page %u: %s", fa_kind(a),
			     a->id, a->prot, p, sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->faults, 1);
		return;
	}
	for (k = p; k < p + n; k++) {
		fp = a->off + k;
		if (a->shared) {
			if (!flock_page(a->file, fp))
				return;
			ver = fnew_ver();
			sig = store_page(a->addr + k * PAGE, sh->files[a->file].tag, fp, ver);
			funlock_page(a->file, fp, ver);
		} else {
			ver = ++m->next_ver;
			sig = store_page(a->addr + k * PAGE, a->tag, fp, ver);
			a->own[k] = true;
			a->ver[k] = ver;
		}
		if (sig) {
			fail("write to %s file area %u (%#" PRIx64 ", %s page %u): %s", fa_kind(a),
			     a->id, a->base, sh->files[a->file].path, fp, strsignal(sig));
			return;
		}
		atomic_fetch_add(a->shared ? &sh->fwrites : &sh->fprivate, 1);
	}
}

/* Check one page of @a read through its window. */
static void fa_read_page(struct farea *a, uint32_t k)
{
	static __thread uint64_t buf[WORDS];
	uint32_t fp = a->off + k;
	char how[96];
	long bad;
	int sig;

	if (!a->shared && a->own[k]) {
		sig = load_page(a->addr + k * PAGE, buf);
		if (sig) {
			fail("read of private file area %u page %u: %s", a->id, k, strsignal(sig));
			return;
		}
		bad = check(buf, a->tag, fp, a->ver[k]);
		if (bad >= 0)
			fail("private file area %u (%#" PRIx64 ", %s page %u) word %ld: %#" PRIx64
			     ", expected its own version %u", a->id, a->base,
			     sh->files[a->file].path, fp, bad, buf[bad], a->ver[k]);
	} else {
		snprintf(how, sizeof(how), "window of %s file area %u (%#" PRIx64 ")", fa_kind(a),
			 a->id, a->base);
		if (!fread_check(a->file, fp, a->addr + k * PAGE, -1, how))
			return;
	}
	atomic_fetch_add(&sh->freads, 1);
}

static void op_fread(struct model *m, struct farea *a)
{
	static __thread uint64_t buf[WORDS];
	uint32_t use = fa_usable(a), p, n, k;
	int sig;

	if (!use)
		return;
	p = (uint32_t)below(use);
	n = 1 + (uint32_t)below(min32(4, use - p));
	if (!(a->prot & VMARENA_PROT_READ)) {
		sig = load_page(a->addr + p * PAGE, buf);
		if (sig != SIGSEGV)
			fail("read of no-access %s file area %u: %s", fa_kind(a), a->id,
			     sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->faults, 1);
		return;
	}
	for (k = p; k < p + n; k++)
		fa_read_page(a, k);
}

/* pwrite() a run of pages of a file, through this process's own fd. */
static void op_pwrite(struct model *m)
{
	static __thread uint64_t buf[4 * WORDS];
	int f = (int)below((uint64_t)sh->nfiles);
	uint32_t p = (uint32_t)below(FPAGES), n = 1 + (uint32_t)below(min32(4, FPAGES - p));
	uint32_t ver[4], k;
	ssize_t r;

	for (k = 0; k < n; k++) {
		if (!flock_page(f, p + k)) {
			while (k--)
				funlock_page(f, p + k, atomic_load(&fpg(f, p + k)->ver));
			return;
		}
		ver[k] = fnew_ver();
		fill(buf + k * WORDS, sh->files[f].tag, p + k, ver[k]);
	}
	r = pwrite(fd_rw[f], buf, n * PAGE, (off_t)p * PAGE);
	if (r != (ssize_t)(n * PAGE))
		fail("pwrite of file %s pages %u+%u: %zd (%s)", sh->files[f].path, p, n, r,
		     r < 0 ? strerror(errno) : "short");
	for (k = 0; k < n; k++)
		funlock_page(f, p + k, ver[k]);
	atomic_fetch_add(&sh->pwrites, n);
}

/* pread() a run of pages of a file, checking each under its seqlock. */
static void op_pread(struct model *m)
{
	static __thread uint64_t buf[4 * WORDS];
	int f = (int)below((uint64_t)sh->nfiles), fd = chance(50) ? fd_rw[f] : fd_ro[f];
	uint32_t p = (uint32_t)below(FPAGES), n = 1 + (uint32_t)below(min32(4, FPAGES - p));
	uint32_t s[4], ver[4], prev[4], k;
	ssize_t r;

	for (k = 0; k < n; k++) {
		s[k] = atomic_load(&fpg(f, p + k)->seq);
		ver[k] = atomic_load(&fpg(f, p + k)->ver);
		prev[k] = atomic_load(&fpg(f, p + k)->prev);
	}
	r = pread(fd, buf, n * PAGE, (off_t)p * PAGE);
	atomic_thread_fence(memory_order_seq_cst);
	if (r != (ssize_t)(n * PAGE)) {
		fail("pread of file %s pages %u+%u: %zd (%s)", sh->files[f].path, p, n, r,
		     r < 0 ? strerror(errno) : "short");
		return;
	}
	for (k = 0; k < n; k++) {
		/* A page a writer had or took meanwhile: on its own again. */
		if ((s[k] & 1) || atomic_load(&fpg(f, p + k)->seq) != s[k]) {
			if (!fread_check(f, p + k, NULL, fd, "pread"))
				continue;
		} else if (check(buf + k * WORDS, sh->files[f].tag, p + k, ver[k]) >= 0) {
			fmismatch("pread", f, p + k, buf + k * WORDS, ver[k], prev[k]);
		}
		atomic_fetch_add(&sh->preads, 1);
	}
}

/* One of the three ways to sync (@way): SYNC, msync(MS_SYNC), fsync() of the aspace fd. */
static int fa_sync(const struct farea *a, uint32_t p, uint32_t n, int way, const char **how)
{
	switch (way) {
	case 0:
		*how = "VMARENA_IOC_AREA_SYNC";
		return fa_op(a, VMARENA_IOC_AREA_SYNC, 0);
	case 1:
		*how = "msync(MS_SYNC)";
		return msync(a->addr + p * PAGE, n * PAGE, MS_SYNC);
	default:
		*how = "fsync() of the aspace fd";
		return fsync(a->asfd);
	}
}

static void op_fsync(struct model *m, struct farea *a)
{
	const char *how;

	if (fa_sync(a, 0, a->pages, (int)below(3), &how))
		fail("%s of %s file area %u: %s", how, fa_kind(a), a->id, strerror(errno));
	else
		atomic_fetch_add(&sh->fsyncs, 1);
}

/* Does page @fp of file @f hold version @ver on the disk (O_DIRECT)?  -1: no read. */
static int on_disk(int f, uint32_t fp, uint32_t ver, uint64_t *buf)
{
	if (pread(fd_direct[f], buf, PAGE, (off_t)fp * PAGE) != (ssize_t)PAGE)
		return -1;
	return check(buf, sh->files[f].tag, fp, ver) < 0;
}

/*
 * A synced page that is not on the disk: say what it is, in @out.  The
 * page cache has the write or not (a write lost before it reached the
 * file system), a second sync the same way brings it or not (the first
 * returned too early, or the write was never seen), and 1.5 s later it is
 * there or not (someone handed it over meanwhile).  The page stays held.
 */
static void fsync_diagnose(char *out, size_t len, const struct farea *a, uint32_t p, int way,
			   const char *how, uint32_t ver, uint32_t old, const uint64_t *got)
{
	static const char *const disk[] = { "not read", "not there", "there" };
	static __thread uint64_t *buf;		/* O_DIRECT: aligned */
	uint32_t fp = a->off + p;
	const char *cache, *again;
	char ctx[200];
	int r;

	if (!buf && !(buf = aligned_alloc(PAGE, PAGE))) {
		fdescribe(out, len, "synced, read with O_DIRECT", a->file, fp, got, ver, old);
		return;
	}
	cache = pread(fd_ro[a->file], buf, PAGE, (off_t)fp * PAGE) != (ssize_t)PAGE ? "not read"
		: check(buf, sh->files[a->file].tag, fp, ver) < 0 ? "has it" : "lacks it";
	r = fa_sync(a, p, 1, way, &how);
	again = r ? strerror(errno) : disk[on_disk(a->file, fp, ver, buf) + 1];
	usleep(1500000);
	snprintf(ctx, sizeof(ctx), "written through area %u, %s, read with O_DIRECT (page cache: %s;"
		 " synced again: %s; 1.5 s later: %s)", a->id, how, cache, again,
		 disk[on_disk(a->file, fp, ver, buf) + 1]);
	fdescribe(out, len, ctx, a->file, fp, got, ver, old);
}

/*
 * On ext4: write a page through a shared area, sync it, and read it back
 * from the disk with O_DIRECT (which reads what is on the disk, after
 * writing back what is dirty: a page written through a window that was
 * not handed over is not dirty, and reads as it was).
 */
static void op_fsync_check(struct model *m, struct farea *a)
{
	static __thread uint64_t *dbuf;
	uint32_t use = fa_usable(a), p, fp, ver, old;
	int sig, r, way = (int)below(3);
	const char *how = "";
	ssize_t n;

	if (!use || !a->shared || !(a->prot & VMARENA_PROT_WRITE) || !sh->files[a->file].ext4) {
		op_fsync(m, a);
		return;
	}
	if (!dbuf && !(dbuf = aligned_alloc(PAGE, PAGE)))
		return;
	p = (uint32_t)below(use);
	fp = a->off + p;
	if (!flock_page(a->file, fp))
		return;
	old = atomic_load(&fpg(a->file, fp)->ver);
	ver = fnew_ver();
	sig = store_page(a->addr + p * PAGE, sh->files[a->file].tag, fp, ver);
	r = sig ? 0 : fa_sync(a, p, 1, way, &how);
	if (sig) {
		fail("write to shared file area %u page %u: %s", a->id, p, strsignal(sig));
	} else if (r) {
		fail("%s of shared file area %u: %s", how, a->id, strerror(errno));
	} else {
		n = pread(fd_direct[a->file], dbuf, PAGE, (off_t)fp * PAGE);
		if (n != (ssize_t)PAGE) {
			fail("O_DIRECT read of %s page %u: %zd (%s)", sh->files[a->file].path, fp,
			     n, n < 0 ? strerror(errno) : "short");
		} else if (check(dbuf, sh->files[a->file].tag, fp, ver) >= 0) {
			char what[400];

			fsync_diagnose(what, sizeof(what), a, p, way, how, ver, old, dbuf);
			fail("%s", what);
		}
		atomic_fetch_add(&sh->fdirect, 1);
	}
	funlock_page(a->file, fp, ver);
}

static void op_fclone(struct model *m, struct farea *a)
{
	struct vmarena_area_create c;
	bool shared = chance(50), into_shared = chance(50);
	int i = fa_free(m), asfd = into_shared ? sh_fd : own_fd;
	struct farea *b;

	if (i < 0 || !a->shared)
		return;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "fc%d", proc_no);
	c.protection = a->rdonly ? VMARENA_PROT_READ : VMARENA_PROT_READ | VMARENA_PROT_WRITE;
	c.mapping = shared ? VMARENA_MAP_SHARED : VMARENA_MAP_PRIVATE;
	c.source_id = a->id;
	if (a->asfd != asfd) {
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = (uint32_t)a->asfd;
	}
	if (create(asfd, VMARENA_IOC_AREA_CLONE, &c)) {
		if (!tolerable(errno))
			fail("clone of %s file area %u (%s): %s", fa_kind(a), a->id,
			     shared ? "shared" : "private", strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->fclones, 1);
	b = &m->f[i];
	memset(b, 0, sizeof(*b));
	b->used = true;
	b->id = c.out_id;
	b->file = a->file;
	b->asfd = asfd;
	b->in_shared = into_shared;
	b->shared = shared;
	b->rdonly = a->rdonly;
	b->base = c.out_address;
	b->addr = into_shared ? sh_win + (c.out_address - SH_BASE)
			      : own_win + (c.out_address - OWN_BASE);
	b->off = a->off;
	b->pages = a->pages;
	b->prot = c.protection;
	b->tag = new_tag(m);
}

static void op_fdelete(struct model *m, struct farea *a)
{
	if (fa_op(a, VMARENA_IOC_AREA_DELETE, 0)) {
		fail("delete %s file area %u: %s", fa_kind(a), a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->fdeletes, 1);
	m->resident -= a->rsize;
	a->used = false;
}

static uint64_t area_length(int asfd, uint32_t id)
{
	struct vmarena_area_info info = { .size = sizeof(info), .id = id };

	if (ioctl(asfd, VMARENA_IOC_AREA_INFO, &info))
		return 0;
	return info.out_length;
}

/* Is @addr (a window address) inside one of this thread's areas? */
static bool mine(const struct model *m, const char *addr)
{
	int i;

	for (i = 0; i < NAREA; i++) {
		const struct area *b = &m->a[i];
		const char *s = b->used ? addr_of(b, 0) : NULL;

		if (s && addr >= s && addr < s + m->o[b->obj].pages * PAGE)
			return true;
	}
	for (i = 0; i < NFAREA; i++) {
		const struct farea *b = &m->f[i];

		if (b->used && addr >= b->addr && addr < b->addr + b->pages * PAGE)
			return true;
	}
	return false;
}

/*
 * Resize a shared file area: that area alone changes (the file's other
 * mappings keep their sizes).  It may grow past the end of the file; the
 * pages past it are only touched by a child that expects SIGBUS.
 */
static void op_fresize(struct model *m, struct farea *a)
{
	static __thread uint64_t buf[WORDS];
	uint32_t pages = 1 + (uint32_t)below(MAXP), old = a->pages;
	uint64_t len;
	int i, sig;

	if (!a->shared || a->locked || a->wired)
		return;
	if (fa_op(a, VMARENA_IOC_AREA_RESIZE, pages * PAGE)) {
		if (!tolerable(errno))
			fail("resize %s file area %u to %u pages: %s", fa_kind(a), a->id, pages,
			     strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->fresizes, 1);
	a->pages = pages;
	len = area_length(a->asfd, a->id);
	if (len != pages * PAGE)
		fail("file area %u after resize to %u pages: length %" PRIu64, a->id, pages, len);
	for (i = 0; i < NFAREA; i++) {
		const struct farea *b = &m->f[i];

		if (!b->used || b == a || b->file != a->file)
			continue;
		len = area_length(b->asfd, b->id);
		if (len != b->pages * PAGE)
			fail("resize of file area %u to %u pages made area %u over the same file %"
			     PRIu64 " bytes long, not %u pages", a->id, pages, b->id, len, b->pages);
	}
	/* The first page past the new end faults (unless someone's area is there now). */
	if (pages < old && a->off + pages < FPAGES && !mine(m, a->addr + pages * PAGE)) {
		sig = load_page(a->addr + pages * PAGE, buf);
		if (sig == SIGSEGV)
			atomic_fetch_add(&sh->faults, 1);
	}
}

static void op_fprotect(struct model *m, struct farea *a)
{
	static const uint32_t prots[] = { VMARENA_PROT_READ | VMARENA_PROT_WRITE,
					  VMARENA_PROT_READ, 0 };
	uint32_t prot = prots[below(3)];

	if (a->rdonly) {
		/* Never writable: its fd was not open for writing. */
		if (!fa_op(a, VMARENA_IOC_AREA_PROTECT, VMARENA_PROT_READ | VMARENA_PROT_WRITE))
			fail("file area %u mapped through a read-only fd was made writable", a->id);
		else if (errno != EACCES)
			fail("PROTECT rw of read-only file area %u: %s, not EACCES", a->id,
			     strerror(errno));
		prot &= ~(uint32_t)VMARENA_PROT_WRITE;
	}
	if (fa_op(a, VMARENA_IOC_AREA_PROTECT, prot)) {
		fail("protect %s file area %u: %s", fa_kind(a), a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->fprotects, 1);
	a->prot = prot;
}

static void op_flock(struct model *m, struct farea *a)
{
	bool lock = !a->locked;

	if (!a->shared || a->wired || (lock && m->resident + a->pages > RESIDENT_MAX))
		return;
	if (fa_op(a, VMARENA_IOC_AREA_LOCK, lock ? VMARENA_LOCK_LOCKED : VMARENA_LOCK_UNLOCKED)) {
		if (!tolerable(errno))
			fail("lock %s file area %u: %s", fa_kind(a), a->id, strerror(errno));
		return;
	}
	atomic_fetch_add(&sh->flocks, 1);
	a->locked = lock;
	if (lock) {
		a->rsize = a->pages;
		m->resident += a->pages;
	} else {
		m->resident -= a->rsize;
		a->rsize = 0;
	}
}

/* A fresh aspace and its window, in a child. */
static int child_aspace(char **win)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = OWN_BASE, .length = OWN_LEN };

	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c)) {
		fail("child: aspace: %s", strerror(errno));
		return -1;
	}
	*win = mmap(NULL, OWN_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, (int)c.out_fd, OWN_BASE);
	if (*win == MAP_FAILED) {
		fail("child: window: %s", strerror(errno));
		return -1;
	}
	return (int)c.out_fd;
}

/*
 * A page past the end of the file: a touch raises SIGBUS, read or write.
 * @a reaches past it.
 */
static void probe_past_end(const struct farea *a)
{
	static uint64_t buf[WORDS];
	char *past = a->addr + fa_usable(a) * PAGE;
	int sig;

	if (a->prot & VMARENA_PROT_READ) {
		sig = load_page(past, buf);
		if (sig != SIGBUS)
			fail("read past the end of %s in %s file area %u (%u pages from page %u): %s",
			     sh->files[a->file].path, fa_kind(a), a->id, a->pages, a->off,
			     sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->sigbus, 1);
	}
	if (a->prot & VMARENA_PROT_WRITE) {
		sig = store_word((volatile uint64_t *)past);
		if (sig != SIGBUS)
			fail("write past the end of %s in %s file area %u (%u pages from page %u): %s",
			     sh->files[a->file].path, fa_kind(a), a->id, a->pages, a->off,
			     sig ? strsignal(sig) : "no fault");
		else
			atomic_fetch_add(&sh->sigbus, 1);
	}
}

/*
 * A child checks every readable page of this thread's file areas through
 * the inherited windows, touches the first page past the end of the file
 * of those that reach past it, and maps areas over the end of a file in
 * an aspace of its own to do the same.  SIGBUS past the end, nothing else.
 */
static void op_fprobe(struct model *m)
{
	int st, i, asfd;
	uint32_t k;
	char *win;
	pid_t pid;

	atomic_fetch_add(&sh->forks, 1);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		for (i = 0; i < NFAREA; i++) {
			struct farea *a = &m->f[i];

			if (!a->used || !(a->prot & VMARENA_PROT_READ))
				continue;
			for (k = 0; k < fa_usable(a); k++)
				fa_read_page(a, k);
			if (a->pages > fa_usable(a))
				probe_past_end(a);
		}
		asfd = child_aspace(&win);
		for (i = 0; asfd >= 0 && i < 2; i++) {
			struct farea a;
			struct fspec fs;
			int e;

			random_fspec(&fs);
			fs.shared = i == 0;
			fs.rdonly = fs.shared && chance(30);
			fs.off = FPAGES - 1 - (uint32_t)below(3);
			fs.pages = FPAGES - fs.off + 1 + (uint32_t)below(3);
			e = fmap(m, &a, asfd, win, OWN_BASE, &fs);
			if (e) {
				if (!tolerable(e))
					fail("child: map %s past its end: %s",
					     sh->files[fs.file].path, strerror(e));
				continue;
			}
			for (k = 0; k < fa_usable(&a); k++)
				fa_read_page(&a, k);
			probe_past_end(&a);
		}
		_exit(atomic_load(&sh->failed) ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("file probe child: status %#x", st);
}

/*
 * A writer that died holding pages (a child killed at a random moment):
 * their bytes may be half written, so they get a new version, written
 * here, before anyone else may take them.  @pid has not been reaped yet,
 * so its id is nobody else's.
 */
static void frepair(pid_t pid)
{
	static __thread uint64_t buf[WORDS];
	uint32_t p, ver;
	int f;

	for (f = 0; f < sh->nfiles; f++) {
		for (p = 0; p < FPAGES; p++) {
			struct fpage *g = fpg(f, p);

			if (atomic_load(&g->lock) != (uint32_t)pid)
				continue;
			ver = atomic_load(&g->ver);
			if (atomic_load(&g->seq) & 1) {
				ver = fnew_ver();
				fill(buf, sh->files[f].tag, p, ver);
				if (pwrite(fd_rw[f], buf, PAGE, (off_t)p * PAGE) != (ssize_t)PAGE)
					fail("pwrite of %s page %u after its writer died: %s",
					     sh->files[f].path, p, strerror(errno));
				funlock_page(f, p, ver);
			} else {
				atomic_store(&g->lock, 0);
			}
			atomic_fetch_add(&sh->frepairs, 1);
		}
	}
}

/*
 * What a child with file areas of its own does: an aspace of its own, one
 * to three file areas in it, writes (through them and with pwrite()),
 * reads and syncs; then (@mode) 0: exits with everything mapped, 1:
 * deletes some areas, unmaps its window and closes its aspace fd, then
 * exits, 2: tells its parent on @wfd and waits to be killed, 3: works
 * until its parent kills it at a random moment.
 */
static void __attribute__((noreturn)) fchild(struct model *m, int mode, int wfd)
{
	struct farea fa[3];
	int n = 1 + (int)below(3), i, k, ops, asfd;
	char *win;

	memset(fa, 0, sizeof(fa));
	asfd = child_aspace(&win);
	if (asfd < 0)
		_exit(1);
	for (i = 0; i < n; i++) {
		struct fspec fs;
		int e;

		random_fspec(&fs);
		fs.shared = chance(75);
		fs.rdonly = false;
		if (fs.shared && fs.pages <= 8 && chance(15))
			fs.wiring = VMARENA_WIRING_WIRED;
		e = fmap(m, &fa[i], asfd, win, OWN_BASE, &fs);
		if (e && !tolerable(e)) {
			fail("file child: map %s: %s", sh->files[fs.file].path, strerror(e));
			_exit(1);
		}
	}
	ops = mode == 3 ? 400 : 4 + (int)below(40);
	for (k = 0; k < ops && !atomic_load(&sh->stop); k++) {
		struct farea *a = &fa[below((uint64_t)n)];
		uint64_t r = below(10);

		if (!a->used || r == 9)
			op_pwrite(m);
		else if (r < 5)
			op_fwrite(m, a);
		else if (r < 8)
			op_fread(m, a);
		else
			op_fsync(m, a);
	}
	switch (mode) {
	case 1:
		for (i = 0; i < n; i++)
			if (fa[i].used && chance(50) && fa_op(&fa[i], VMARENA_IOC_AREA_DELETE, 0))
				fail("file child: delete %u: %s", fa[i].id, strerror(errno));
		munmap(win, OWN_LEN);
		close(asfd);
		break;
	case 2:
		if (write(wfd, "k", 1) != 1)
			break;
		for (;;)
			pause();
	}
	_exit(atomic_load(&sh->failed) ? 1 : 0);
}

static void op_fchild(struct model *m)
{
	int mode = (int)below(4), pfd[2] = { -1, -1 }, st;
	useconds_t delay = (useconds_t)below(50000);
	siginfo_t si;
	bool ok;
	char c;
	pid_t pid;

	if (mode == 2 && pipe(pfd))
		return;
	atomic_fetch_add(&sh->fchildren, 1);
	pid = fork();
	if (pid < 0) {
		if (mode == 2) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return;
	}
	if (!pid) {
		if (mode == 2)
			close(pfd[0]);
		fchild(m, mode, pfd[1]);
	}
	if (mode == 2) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) == 1)
			kill(pid, SIGKILL);
		close(pfd[0]);
	} else if (mode == 3) {
		usleep(delay);
		kill(pid, SIGKILL);
	}
	/* Dead but not reaped: take over what it held, then reap it. */
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT)) {
		fail("file child %d: waitid: %s", (int)pid, strerror(errno));
		return;
	}
	frepair(pid);
	if (waitpid(pid, &st, 0) != pid) {
		fail("file child %d: lost", (int)pid);
		return;
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		atomic_fetch_add(&sh->fkilled, 1);
	ok = WIFEXITED(st) ? !WEXITSTATUS(st) && mode != 2
			   : WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && mode >= 2;
	if (!ok)
		fail("file child (mode %d): status %#x", mode, st);
}

static void file_owner(struct model *m)
{
	uint64_t r = below(1000);
	int i = fa_pick(m);
	struct farea *a;

	atomic_fetch_add(&sh->ops, 1);
	if (r >= 560 && r < 660) {
		op_pwrite(m);
		return;
	}
	if (r >= 660 && r < 760) {
		op_pread(m);
		return;
	}
	if (r >= 965 && r < 980) {
		op_fchild(m);
		return;
	}
	if (i < 0 || r < 60 || r >= 990) {
		op_fmap(m);
		return;
	}
	a = &m->f[i];
	if (r < 330)
		op_fwrite(m, a);
	else if (r < 560)
		op_fread(m, a);
	else if (r < 800)
		op_fsync(m, a);
	else if (r < 830)
		op_fsync_check(m, a);
	else if (r < 860)
		op_fclone(m, a);
	else if (r < 895)
		op_fdelete(m, a);
	else if (r < 925)
		op_fresize(m, a);
	else if (r < 945)
		op_fprotect(m, a);
	else if (r < 965)
		op_flock(m, a);
	else
		op_fprobe(m);
}

/* Check a page another process published, under its seqlock. */
static void remote_read(void)
{
	static __thread uint64_t buf[WORDS];
	struct slot *s = &sh->slots[below(SLOTS)];
	uint32_t seq, ver, p, tag;
	int sig, tries;

	atomic_fetch_add(&s->readers, 1);
	if (!atomic_load(&s->live))
		goto out;
	tag = atomic_load(&s->tag);
	p = (uint32_t)below(s->pages);
	for (tries = 0; tries < 8; tries++) {
		seq = atomic_load(&s->seq[p]);
		if (seq & 1)
			continue;
		ver = atomic_load(&s->ver[p]);
		sig = load_page(sh_win + (s->base - SH_BASE) + p * PAGE, buf);
		if (atomic_load(&s->seq[p]) != seq)
			continue;
		if (sig) {
			fail("published page %#" PRIx64 " of object %u: %s", s->base + p * PAGE,
			     tag, strsignal(sig));
		} else if (check(buf, tag, p, ver) >= 0) {
			fail("published page %#" PRIx64 " of object %u: not version %u",
			     s->base + p * PAGE, tag, ver);
		}
		atomic_fetch_add(&sh->remote_reads, 1);
		break;
	}
out:
	atomic_fetch_sub(&s->readers, 1);
}

struct targ {
	int no;
	time_t deadline;
};

static void *thread_main(void *arg)
{
	struct targ *t = arg;
	struct model *m = calloc(1, sizeof(*m));
	int i;

	rng = seed ^ ((uint64_t)proc_no << 32) ^ ((uint64_t)t->no << 16) ^ 0x7047;
	m->tag_base = (uint32_t)(proc_no * 16 + t->no) << 20;
	while (!atomic_load(&sh->stop) && time(NULL) < t->deadline) {
		for (i = 0; i < 32; i++) {
			if (t->no == 0 && chance(30))
				remote_read();
			else if (sh->nfiles && chance(35))
				file_owner(m);
			else
				owner(m);
		}
	}
	/* Unpublish before the process's windows go. */
	for (i = 0; i < NOBJ; i++)
		if (m->o[i].used)
			unpublish(m, i);
	free(m);
	return NULL;
}

static int open_shared(void)
{
	struct vmarena_aspace_open o = { .size = sizeof(o), .name = "torture" };

	if (ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &o))
		return -1;
	return (int)o.out_fd;
}

static int worker(int no, int threads, time_t deadline)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = OWN_BASE, .length = OWN_LEN };
	struct targ args[16];
	pthread_t tids[16];
	struct sigaction sa;
	int i;

	proc_no = no;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	ctl = open(DEV, O_RDWR);
	if (ctl < 0 || ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c)) {
		fail("worker %d: aspace: %s", no, strerror(errno));
		return 1;
	}
	own_fd = (int)c.out_fd;
	sh_fd = open_shared();
	if (sh_fd < 0) {
		fail("worker %d: open the persistent aspace: %s", no, strerror(errno));
		return 1;
	}
	own_win = mmap(NULL, OWN_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, own_fd, OWN_BASE);
	if (own_win == MAP_FAILED) {
		fail("worker %d: windows: %s", no, strerror(errno));
		return 1;
	}
	/* Files of its own: every mapping and pwrite() goes through them. */
	for (i = 0; i < sh->nfiles; i++) {
		fd_rw[i] = open(sh->files[i].path, O_RDWR);
		fd_ro[i] = open(sh->files[i].path, O_RDONLY);
		fd_direct[i] = sh->files[i].ext4 ? open(sh->files[i].path, O_RDONLY | O_DIRECT) : -1;
		if (fd_rw[i] < 0 || fd_ro[i] < 0 || (sh->files[i].ext4 && fd_direct[i] < 0)) {
			fail("worker %d: open %s: %s", no, sh->files[i].path, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < threads; i++) {
		args[i] = (struct targ){ i, deadline };
		if (pthread_create(&tids[i], NULL, thread_main, &args[i])) {
			fail("pthread_create: %s", strerror(errno));
			threads = i;
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	/* Exit with every area and window in place: exit cleans up. */
	return 0;
}

static int param(const char *path, unsigned long *old, unsigned long val)
{
	char buf[32] = "";
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0 && old)
		*old = strtoul(buf, NULL, 0);
	n = snprintf(buf, sizeof(buf), "%lu", val);
	n = pwrite(fd, buf, (size_t)n, 0);
	close(fd);
	return n > 0 ? 0 : -1;
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

/* ---- the files, from the outside ------------------------------------------- */

static int drop_caches(const char *what)
{
	int fd = open(DROP_CACHES, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, what, 1);
	close(fd);
	return n == 1 ? 0 : -1;
}

/*
 * @per files on tmpfs (/tmp) and as many on ext4 ($VMARENA_EXT4_DIR, when
 * set), FPAGES pages each: about half the pages written, the rest holes,
 * on the disk before the run starts.
 */
static int setup_files(int per)
{
	static uint64_t buf[WORDS];
	const char *dirs[FS_MAX] = { "/tmp", getenv("VMARENA_EXT4_DIR") };
	int d, i, fd;
	uint32_t p, ver;

	rng = seed ^ 0xf11e5;
	for (d = 0; d < FS_MAX; d++) {
		if (!dirs[d] || !*dirs[d])
			continue;
		for (i = 0; i < per && sh->nfiles < FILES_MAX; i++) {
			struct tfile *t = &sh->files[sh->nfiles];

			snprintf(t->path, sizeof(t->path), "%s/vmarena-torture-%d-%d", dirs[d],
				 (int)getpid(), i);
			t->ext4 = d == 1;
			t->tag = 0xf11e0000u + (uint32_t)sh->nfiles;
			fd = open(t->path, O_CREAT | O_TRUNC | O_RDWR, 0600);
			if (fd < 0 || ftruncate(fd, (off_t)(FPAGES * PAGE))) {
				fprintf(stderr, "torture: file %s: %s\n", t->path, strerror(errno));
				return -1;
			}
			for (p = 0; p < FPAGES; p++) {
				if (chance(50))
					continue;
				ver = fnew_ver();
				fill(buf, t->tag, p, ver);
				if (pwrite(fd, buf, PAGE, (off_t)p * PAGE) != (ssize_t)PAGE) {
					fprintf(stderr, "torture: file %s: %s\n", t->path,
						strerror(errno));
					return -1;
				}
				atomic_store(&t->pg[p].ver, ver);
			}
			if (fsync(fd)) {
				fprintf(stderr, "torture: fsync %s: %s\n", t->path, strerror(errno));
				return -1;
			}
			close(fd);
			sh->nfiles++;
		}
	}
	return 0;
}

/* Drops the page cache now and then, so that a page that no one handed to
 * its file system is read from the disk again. */
static int dropper(time_t deadline)
{
	rng = seed ^ 0xd409;
	while (!atomic_load(&sh->stop) && time(NULL) < deadline) {
		usleep(300000 + (useconds_t)below(1200000));
		if (!drop_caches("1"))
			atomic_fetch_add(&sh->drops, 1);
	}
	return 0;
}

/* Written pages of gone file areas still waiting for their file system. */
static void wait_file_pending(int fd)
{
	struct vmarena_stats st = { .size = sizeof(st) };
	int i;

	for (i = 0; i < 300; i++) {
		if (ioctl(fd, VMARENA_IOC_STATS, &st)) {
			fail("stats: %s", strerror(errno));
			return;
		}
		if (!st.out_file_pending)
			return;
		usleep(100000);
	}
	fail("%" PRIu64 " written pages of file areas still not handed to their file system"
	     " 30 s after the last area went", (uint64_t)st.out_file_pending);
}

/* Check every page of file @f read from @fd against the shadow.  Mismatches. */
static int check_file(int f, int fd, const char *how)
{
	static uint64_t *buf;
	const struct tfile *t = &sh->files[f];
	int bad = 0;
	uint32_t p;
	ssize_t n;

	if (!buf && !(buf = aligned_alloc(PAGE, FPAGES * PAGE)))
		return 1;
	n = pread(fd, buf, FPAGES * PAGE, 0);
	if (n != (ssize_t)(FPAGES * PAGE)) {
		fail("%s: file %s: %zd (%s)", how, t->path, n, n < 0 ? strerror(errno) : "short");
		return 1;
	}
	for (p = 0; p < FPAGES; p++) {
		const struct fpage *g = &t->pg[p];
		const uint64_t *w = buf + p * WORDS;

		if (atomic_load(&g->lock) || (atomic_load(&g->seq) & 1))
			fail("file %s page %u: still held by writer %u at the end", t->path, p,
			     atomic_load(&g->lock));
		if (check(w, t->tag, p, atomic_load(&g->ver)) < 0)
			continue;
		if (++bad <= 8)
			fmismatch(how, f, p, w, atomic_load(&g->ver), atomic_load(&g->prev));
	}
	if (bad > 8)
		fail("%s: file %s: %d pages differ from the shadow", how, t->path, bad);
	return bad;
}

/* Pages of file @f in the page cache. */
static long cached_pages(int fd)
{
	unsigned char vec[FPAGES];
	void *map = mmap(NULL, FPAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	long n = 0;
	int p;

	if (map == MAP_FAILED)
		return -1;
	if (mincore(map, FPAGES * PAGE, vec))
		n = -1;
	for (p = 0; n >= 0 && p < (int)FPAGES; p++)
		n += vec[p] & 1;
	munmap(map, FPAGES * PAGE);
	return n;
}

struct fresult {
	uint64_t checked, direct, dropped;
	long cached;
	int mismatches;
};

/*
 * The end: every file against its shadow, with pread(); ext4 files also
 * from the disk, with O_DIRECT after fsync(), and with pread() after
 * dropping the page cache.  Then the files go.
 */
static void check_files(struct fresult *r)
{
	int fd[FILES_MAX], f, i, ext4 = 0;
	struct stat st;

	memset(r, 0, sizeof(*r));
	for (f = 0; f < sh->nfiles; f++) {
		const struct tfile *t = &sh->files[f];

		fd[f] = open(t->path, O_RDWR);
		if (fd[f] < 0 || fstat(fd[f], &st)) {
			fail("file %s at the end: %s", t->path, strerror(errno));
			r->mismatches++;
			continue;
		}
		if (st.st_size != (off_t)(FPAGES * PAGE))
			fail("file %s: %lld bytes at the end, not %lu (nothing may change its size)",
			     t->path, (long long)st.st_size, FPAGES * PAGE);
		r->mismatches += check_file(f, fd[f], "pread at the end");
		r->checked += FPAGES;
		if (!t->ext4)
			continue;
		ext4++;
		if (fsync(fd[f])) {
			fail("fsync %s at the end: %s", t->path, strerror(errno));
		} else {
			int dfd = open(t->path, O_RDONLY | O_DIRECT);

			if (dfd < 0) {
				fail("open %s with O_DIRECT: %s", t->path, strerror(errno));
			} else {
				r->mismatches += check_file(f, dfd, "O_DIRECT read after fsync");
				r->direct += FPAGES;
				close(dfd);
			}
		}
	}
	if (ext4) {
		/* Until nothing of them is cached (vmarena holds no page). */
		for (i = 0; i < 20; i++) {
			if (drop_caches("3")) {
				fail("drop_caches: %s", strerror(errno));
				break;
			}
			r->cached = 0;
			for (f = 0; f < sh->nfiles; f++)
				if (sh->files[f].ext4 && fd[f] >= 0)
					r->cached += cached_pages(fd[f]);
			if (!r->cached)
				break;
			usleep(250000);
		}
		for (f = 0; f < sh->nfiles; f++) {
			if (!sh->files[f].ext4 || fd[f] < 0)
				continue;
			r->mismatches += check_file(f, fd[f], "pread after fsync and drop_caches");
			r->dropped += FPAGES;
		}
	}
	for (f = 0; f < sh->nfiles; f++) {
		if (fd[f] >= 0)
			close(fd[f]);
		unlink(sh->files[f].path);
	}
}

int main(int argc, char **argv)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .flags = VMARENA_ASPACE_PERSISTENT,
					   .name = "torture", .mode = 0600, .base = SH_BASE,
					   .length = SH_LEN };
	struct vmarena_aspace_open u = { .size = sizeof(u), .name = "torture" };
	int procs = 3, threads = 3, seconds = 20, per_fs = 2, opt, i, st;
	unsigned long cap = 768, old_cap = 0;
	struct vmarena_stats stats = { .size = sizeof(stats) };
	struct snapshot before, after;
	struct fresult fr = { 0 };
	uint64_t handed = 0;
	time_t start;
	pid_t pids[32], drop_pid = -1;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	while ((opt = getopt(argc, argv, "s:t:p:j:c:f:C")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': seconds = atoi(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 'j': threads = atoi(optarg); break;
		case 'c': cap = strtoul(optarg, NULL, 0); break;
		case 'f': per_fs = atoi(optarg); break;
		case 'C': mix = mix_chains; break;
		default:
			fprintf(stderr, "usage: vmarena-torture [-s SEED] [-t SECONDS] [-p PROCS] "
				"[-j THREADS] [-c CAP] [-f FILES] [-C]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 32 || threads < 1 || threads > 16 || per_fs < 0 ||
	    per_fs > FILES_MAX / FS_MAX)
		return 2;
	printf("torture: seed %" PRIu64 " (replay: vmarena-torture -s %" PRIu64 "), %d processes"
	       " x %d threads, %d s, pool cap %lu pages\n", seed, seed, procs, threads, seconds,
	       cap);
	fflush(stdout);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ctl = open(DEV, O_RDWR);
	if (sh == MAP_FAILED || ctl < 0 || !snap(ctl, &before)) {
		perror("torture: set-up");
		return 1;
	}
	if (setup_files(per_fs))
		return 1;
	if (sh->nfiles) {
		const char *ext4 = getenv("VMARENA_EXT4_DIR");
		int n4 = 0;

		for (i = 0; i < sh->nfiles; i++)
			n4 += sh->files[i].ext4;
		printf("torture: files: %d on tmpfs (/tmp), %d on ext4 (%s), %u pages each\n",
		       sh->nfiles - n4, n4, ext4 && *ext4 ? ext4 : "VMARENA_EXT4_DIR not set",
		       FPAGES);
		fflush(stdout);
	}
	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c)) {
		perror("torture: the persistent aspace");
		return 1;
	}
	/*
	 * The shared window is mapped here, before any worker runs, and
	 * inherited: a worker mapping its own raced the others' read-only
	 * areas in the shared aspace (a writable window over them is EACCES).
	 */
	sh_win = mmap(NULL, SH_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, (int)c.out_fd, SH_BASE);
	if (sh_win == MAP_FAILED) {
		perror("torture: the shared window");
		return 1;
	}
	close((int)c.out_fd);
	if (cap && param(PARAM, &old_cap, cap))
		fprintf(stderr, "torture: cannot lower max_pages: %s\n", strerror(errno));

	start = time(NULL);
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(worker(i, threads, start + seconds));
	}
	if (sh->nfiles) {
		drop_pid = fork();
		if (!drop_pid)
			_exit(dropper(start + seconds));
	}
	for (i = 0; i < procs; i++) {
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i])
			fail("worker %d: not started or lost", i);
		else if (!WIFEXITED(st) || WEXITSTATUS(st))
			fail("worker %d: %s %d", i, WIFSIGNALED(st) ? "killed by signal" : "exit",
			     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
	if (drop_pid > 0)
		waitpid(drop_pid, &st, 0);
	munmap(sh_win, SH_LEN);
	ioctl(ctl, VMARENA_IOC_STATS, &stats);
	if (cap && old_cap)
		param(PARAM, NULL, old_cap);
	if (ioctl(ctl, VMARENA_IOC_ASPACE_UNLINK, &u))
		fail("unlink the persistent aspace: %s", strerror(errno));
	/* Every file area is gone: what was written to them reaches the files. */
	if (sh->nfiles) {
		wait_file_pending(ctl);
		ioctl(ctl, VMARENA_IOC_STATS, &stats);
		handed = stats.out_file_handovers;
	}
	for (i = 0; i < 50; i++) {
		if (!snap(ctl, &after))
			break;
		if (after.commit == before.commit && after.swap == before.swap &&
		    after.used == before.used)
			break;
		usleep(100000);
	}
	if (after.commit != before.commit || after.swap != before.swap || after.used != before.used)
		fail("arena not back to its start: commit %" PRIu64 " -> %" PRIu64 ", swap %" PRIu64
		     " -> %" PRIu64 ", pages in use %" PRIu64 " -> %" PRIu64, before.commit,
		     after.commit, before.swap, after.swap, before.used, after.used);
	if (sh->nfiles) {
		/* Handed over after out_file_pending said nothing waited any more. */
		ioctl(ctl, VMARENA_IOC_STATS, &stats);
		handed = stats.out_file_handovers - handed;
		check_files(&fr);
		printf("torture: files: %" PRIu64 " maps, %" PRIu64 " clones, %" PRIu64 " resizes, %"
		       PRIu64 " protects, %" PRIu64 " locks, %" PRIu64 " deletes; %" PRIu64
		       " page writes through shared file areas, %" PRIu64 " through private ones, %"
		       PRIu64 " pages pwritten; %" PRIu64 " window and %" PRIu64 " pread page reads"
		       " checked (%" PRIu64 " skipped, busy); %" PRIu64 " syncs, %" PRIu64
		       " synced pages read back with O_DIRECT; %" PRIu64 " children with file areas (%"
		       PRIu64 " killed, %" PRIu64 " pages taken over), %" PRIu64
		       " SIGBUS past the end; %" PRIu64 " page cache drops; %" PRIu64
		       " pages handed over (%" PRIu64 " after out_file_pending read 0); at the end %"
		       PRIu64 " pages checked, %" PRIu64
		       " read with O_DIRECT and %" PRIu64 " after drop_caches (%ld still cached),"
		       " %d mismatches\n",
		       sh->fmaps, sh->fclones, sh->fresizes, sh->fprotects, sh->flocks, sh->fdeletes,
		       sh->fwrites, sh->fprivate, sh->pwrites, sh->freads, sh->preads, sh->fbusy,
		       sh->fsyncs, sh->fdirect, sh->fchildren, sh->fkilled, sh->frepairs, sh->sigbus,
		       sh->drops, (uint64_t)stats.out_file_handovers, handed, fr.checked, fr.direct,
		       fr.dropped, fr.cached, fr.mismatches);
	}

	printf("torture: %" PRIu64 " operations in %ld s: %" PRIu64 " page writes, %" PRIu64
	       " page reads checked, %" PRIu64 " published pages checked from other processes; %"
	       PRIu64 " creates, %" PRIu64 " clones, %" PRIu64 " copies, %" PRIu64 " resizes, %"
	       PRIu64 " protects, %"
	       PRIu64 " locks, %" PRIu64 " deletes, %" PRIu64 " forks; %" PRIu64
	       " expected faults survived; %" PRIu64 " ENOMEM/EMLINK; pageouts %" PRIu64
	       ", pageins %" PRIu64 "\n", sh->ops, (long)(time(NULL) - start), sh->writes,
	       sh->reads, sh->remote_reads, sh->creates, sh->clones, sh->copies, sh->resizes,
	       sh->protects,
	       sh->locks, sh->deletes, sh->forks, sh->faults, sh->enomem, (uint64_t)stats.out_pageouts,
	       (uint64_t)stats.out_pageins);
	if (atomic_load(&sh->failed)) {
		printf("torture: FAILED, seed %" PRIu64 ": %s\n", seed, sh->why);
		return 1;
	}
	printf("torture: ok, seed %" PRIu64 ", 0 mismatches\n", seed);
	return 0;
}
