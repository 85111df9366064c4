// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-fuzz: random sequences of every vmarena ioctl, with arguments
 * drawn to hit the edges, interleaved with mmap/munmap/mprotect/mremap/
 * madvise/fork/close and loads and stores through windows, from several
 * processes (some of them unprivileged) with several threads each.
 *
 *   vmarena-fuzz [-s SEED] [-t SECONDS] [-n OPS] [-p PROCS] [-j THREADS] [-v]
 *
 * Every run prints its seed first; the same seed replays the same sequence
 * of operations in every thread (the interleaving of threads is the
 * scheduler's: -p 1 -j 1 replays exactly).  Each thread's generator is
 * seeded from the seed, its process number and its thread number.
 *
 * What counts as a failure (exit status 1, the seed printed again):
 * - an ioctl failing with an errno outside the ABI's contract
 *   (uapi/vmarena.h), or a success where the ABI promises a refusal to an
 *   unprivileged caller (device ranges, page mappings, super-locks, clones
 *   of other users' areas);
 * - a worker process or thread dying from a signal it did not expect;
 * - the arena not returning to where it started once every process has
 *   gone: committed bytes, swap slots and pages in use;
 * - a failed ioctl that changed something: every thread keeps a witness,
 *   an aspace of its own that nothing else can reach, and sends some of
 *   its ioctls there; after each that fails, the witness's areas (ids,
 *   names, placement, sizes, protection, wiring, lock levels, flags)
 *   must be what they were before it.
 * The kernel's detectors (KASAN, KFENCE, lockdep, kmemleak, DEBUG_VM, with
 * panic_on_warn) judge the rest: the lane fails on any report.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmarena.h>

/* Most bytes one mmap(MAP_POPULATE) or mlock() may make resident. */
#define POPULATE_MAX	(8UL << 20)
#define PAGE		4096ULL
#define DEV		"/dev/vmarena"
#define NOBODY		65534
#define MAX_FDS		12
#define MAX_WIN		16
#define MAX_IDS		64
#define SHARED_IDS	256
#define NAMES		8

/* ---- shared between every process of the run ----------------------------- */

struct shared {
	_Atomic uint32_t ids[SHARED_IDS];	/* area ids seen by anyone */
	_Atomic uint32_t asids[64];		/* aspace ids seen by anyone */
	_Atomic uint64_t ops, ioctls, ok, mm_ops, touches, signals, forks, children, witnessed;
	_Atomic uint64_t errnos[160];
	_Atomic uint64_t area_as[4096];		/* area id << 32 | its aspace's id */
	_Atomic uint64_t as_owner[4096];	/* aspace id << 32 | creator's euid + 1 */
	_Atomic int failed;
	char why[512];
};

static struct shared *sh;
static uint64_t seed;
static int verbose;

static void fail(const char *fmt, ...)
{
	va_list ap;
	char buf[400];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!atomic_exchange(&sh->failed, 1))
		snprintf(sh->why, sizeof(sh->why), "pid %d: %s", getpid(), buf);
	fprintf(stderr, "fuzz: FAIL (seed %" PRIu64 "): pid %d: %s\n", seed, getpid(), buf);
}

/* ---- random numbers: splitmix64, one generator per thread ---------------- */

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

/* ---- per-process and per-thread state ------------------------------------ */

struct aspace {
	int fd;
	uint32_t id;
	uint64_t base, len;
};

struct window {
	char *addr;
	size_t len;
	int prot;
	bool dontfork;		/* some of it was madvise(MADV_DONTFORK)ed */
};

/*
 * A process's objects, shared by its threads under one mutex.  Windows
 * are also under wlock: whatever uses a window's addresses (touches,
 * ioctls whose argument may point into one, mprotect, madvise) holds it
 * for reading, whatever unmaps or moves one holds it for writing, so that
 * no address is used after another thread gave it back (it could be the
 * heap or a stack by then).  Both are taken around fork() (atfork).
 */
static pthread_mutex_t plock = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t wlock = PTHREAD_RWLOCK_INITIALIZER;
static int ctl = -1;
static struct aspace spaces[MAX_FDS];
static int nspaces;
static struct window wins[MAX_WIN];
static int nwins;
static uint32_t ids[MAX_IDS];
static int nids;
static bool unprivileged;
static int proc_no;
static int other_fds[4];		/* a tmpfs file, /dev/null, a pipe end, a closed number */
static char *bufpage;			/* rw page followed by a PROT_NONE guard */
static char *ropage;			/* read-only page */

/* A (key << 32 | value) table entry's value for @key, or 0 if unknown. */
static uint32_t lookup(_Atomic uint64_t *table, uint32_t key)
{
	uint64_t v = atomic_load(&table[key % 4096]);

	return (uint32_t)(v >> 32) == key ? (uint32_t)v : 0;
}

static void record(_Atomic uint64_t *table, uint32_t key, uint32_t value)
{
	atomic_store(&table[key % 4096], (uint64_t)key << 32 | value);
}

/* The id of this process's aspace behind @fd, or 0. */
static uint32_t fd_asid(int fd)
{
	uint32_t id = 0;
	int i;

	pthread_mutex_lock(&plock);
	for (i = 0; i < nspaces; i++)
		if (spaces[i].fd == fd)
			id = spaces[i].id;
	pthread_mutex_unlock(&plock);
	return id;
}

static void note_id(uint32_t id)
{
	pthread_mutex_lock(&plock);
	ids[nids < MAX_IDS ? (uint64_t)nids++ : below(MAX_IDS)] = id;
	pthread_mutex_unlock(&plock);
	atomic_store(&sh->ids[below(SHARED_IDS)], id);
}

static uint32_t pick_id(void)
{
	uint32_t id = 0;

	switch (below(8)) {
	case 0:
		return (uint32_t[]){ 0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff }[below(6)];
	case 1:
	case 2:
		return atomic_load(&sh->ids[below(SHARED_IDS)]) + (chance(10) ? 1 : 0);
	default:
		pthread_mutex_lock(&plock);
		if (nids)
			id = ids[below(nids)];
		pthread_mutex_unlock(&plock);
		return id;
	}
}

/* An aspace of this process (copied out), or false. */
static bool pick_space(struct aspace *out)
{
	bool ok = false;

	pthread_mutex_lock(&plock);
	if (nspaces) {
		*out = spaces[below(nspaces)];
		ok = true;
	}
	pthread_mutex_unlock(&plock);
	return ok;
}

/* Any fd worth sending an ioctl to: mostly aspaces, sometimes anything. */
static int pick_fd(void)
{
	struct aspace s;

	switch (below(16)) {
	case 0:
		return ctl;
	case 1:
		return other_fds[below(4)];
	case 2:
		return (int)below(40);
	case 3:
		return -1;
	default:
		return pick_space(&s) ? s.fd : ctl;
	}
}

/* ---- edge values ---------------------------------------------------------- */

static uint64_t edge64(uint64_t base, uint64_t len)
{
	switch (below(20)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return PAGE - 1;
	case 3: return PAGE;
	case 4: return PAGE + 1;
	case 5: return 1ULL << 47;
	case 6: return (1ULL << 47) - PAGE;
	case 7: return ~0ULL;
	case 8: return ~0ULL - PAGE + 1;
	case 9: return 1ULL << 63;
	case 10: return 1ULL << 32;
	case 11: return (1ULL << 32) - PAGE;
	case 12: return rnd();
	case 13: return 1ULL << below(64);
	case 14: return base + len;
	case 15: return base + len - PAGE;
	case 16: return len;
	case 17: return len + PAGE;
	case 18: return below(64) * PAGE;
	default: return base + below(len / PAGE + 2) * PAGE;
	}
}

static uint32_t edge32(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return (uint32_t)below(8);
	case 3: return 0x100;
	case 4: return 0xffffffff;
	case 5: return 0x80000000;
	case 6: return (uint32_t)rnd();
	default: return 1U << below(32);
	}
}

/* A page-aligned length, mostly small. */
static uint64_t small_len(void)
{
	return (1 + below(chance(80) ? 8 : 300)) * PAGE;
}

/* ---- touching windows, with SIGSEGV/SIGBUS caught ------------------------ */

static __thread sigjmp_buf touch_jmp;
static __thread volatile int touch_armed;

/* @v in hex into @p (async-signal-safe); returns the end. */
static char *hex_out(char *p, unsigned long v)
{
	int shift;

	*p++ = '0';
	*p++ = 'x';
	for (shift = 60; shift >= 0; shift -= 4)
		*p++ = "0123456789abcdef"[(v >> shift) & 0xf];
	return p;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	char msg[96] = "fuzz: unexpected signal at ", *p;

	if (touch_armed) {
		touch_armed = 0;
		siglongjmp(touch_jmp, sig);
	}
	/*
	 * Not ours: say where (a child's death is otherwise only its
	 * signal number in the parent's report), then die of it, so that
	 * the parent sees it.
	 */
	p = hex_out(msg + strlen(msg), (unsigned long)si->si_addr);
	memcpy(p, " code ", 6);
	p = hex_out(p + 6, (unsigned long)si->si_code);
	*p++ = '\n';
	(void)!write(2, msg, p - msg);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void touch(void)
{
	volatile char *p;
	struct window w;
	size_t off, n;
	bool have = false;
	int sig;

	pthread_rwlock_rdlock(&wlock);
	pthread_mutex_lock(&plock);
	if (nwins) {
		w = wins[below(nwins)];
		have = true;
	}
	pthread_mutex_unlock(&plock);
	if (!have) {
		pthread_rwlock_unlock(&wlock);
		return;
	}
	off = below(w.len / PAGE) * PAGE + (chance(50) ? 0 : below(PAGE));
	n = 1 + below(8);
	atomic_fetch_add(&sh->touches, 1);
	sig = sigsetjmp(touch_jmp, 1);
	if (sig) {
		atomic_fetch_add(&sh->signals, 1);
		pthread_rwlock_unlock(&wlock);
		return;
	}
	touch_armed = 1;
	for (p = w.addr + off; n-- && p < w.addr + w.len; p += PAGE) {
		if (chance(50))
			(void)*p;
		else
			*p = (char)rnd();
	}
	touch_armed = 0;
	pthread_rwlock_unlock(&wlock);
}

/* ---- argument buffers ------------------------------------------------------ */

/* A page of this thread's own, for read-only copies of arguments. */
static __thread char *ro_copy;

/* @arg copied to a page that is then made read-only, or NULL. */
static void *readonly_copy(const void *arg, size_t size)
{
	if (!ro_copy) {
		ro_copy = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (ro_copy == MAP_FAILED) {
			ro_copy = NULL;
			return NULL;
		}
	}
	if (mprotect(ro_copy, PAGE, PROT_READ | PROT_WRITE))
		return NULL;
	memset(ro_copy, 0, PAGE);
	memcpy(ro_copy, arg, size);
	if (mprotect(ro_copy, PAGE, PROT_READ))
		return NULL;
	return ro_copy;
}

/*
 * Where the argument goes: mostly a valid buffer; sometimes NULL, a kernel
 * address, an unmapped or read-only page, a struct that runs into a guard
 * page, a valid argument that cannot be written back (a command must not
 * act and then fail), or a vmarena window (so that copying the argument
 * faults into vmarena itself).
 */
static void *place_arg(const void *arg, size_t size, int *kind)
{
	struct window w;
	bool have = false;
	void *p;

	*kind = (int)below(24);
	switch (*kind) {
	case 0:
		return NULL;
	case 1:
		return (void *)0xffff888000000000ULL;
	case 2:
		return bufpage + PAGE;			/* the guard */
	case 3:					/* straddles into the guard */
		p = bufpage + PAGE - size / 2;
		memcpy(p, arg, size / 2);
		return p;
	case 4:					/* readable, not writable */
		return ropage;
	case 6:
	case 7:
		p = readonly_copy(arg, size);
		if (p)
			return p;
		break;
	case 5:
		pthread_mutex_lock(&plock);
		if (nwins) {
			w = wins[below(nwins)];
			have = true;
		}
		pthread_mutex_unlock(&plock);
		if (!have)
			break;
		/* Copy in whatever the window holds: the kernel faults it in. */
		return w.addr + below(w.len / PAGE) * PAGE;
	default:
		break;
	}
	*kind = -1;
	return NULL;
}

/* ---- the witness: failed ioctls change nothing ------------------------------ */

/*
 * A thread's witness aspace: never in spaces[] (no other thread picks its
 * fd), never mapped, its areas never noted (no other thread names them)
 * nor cloneable, and shared with nothing (a clone of another aspace's
 * area into it is private).  So only this thread's own ioctls change it,
 * and what a failed one did is seen exactly.  A forked child drops it.
 */
#define WITNESS_AREAS	8
#define WITNESS_FD_MIN	512

struct witness_state {
	unsigned int n;
	struct vmarena_area_info a[WITNESS_AREAS * 2];
};

static __thread struct aspace witness = { .fd = -1 };
static __thread uint32_t witness_ids[WITNESS_AREAS * 2];
static __thread unsigned int witness_nids;

/* The witness's areas in address order, what can change by an ioctl only. */
static bool witness_snap(struct witness_state *w)
{
	struct vmarena_area_info i;
	uint64_t cookie = 0;

	w->n = 0;
	for (;;) {
		memset(&i, 0, sizeof(i));
		i.size = sizeof(i);
		i.cookie = cookie;
		if (ioctl(witness.fd, VMARENA_IOC_AREA_ITERATE, &i))
			return errno == ENOENT;
		if (w->n == sizeof(w->a) / sizeof(w->a[0]))
			return false;
		cookie = i.cookie;
		/* Paging, and merges when other aspaces' areas go, move these. */
		i.out_resident = 0;
		i.out_copies = 0;
		i.out_cache_depth = 0;
		w->a[w->n++] = i;
	}
}

/* A fresh witness when there is none, or when it holds too many areas. */
static bool witness_ready(struct witness_state *w)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = 0x40000000,
					   .length = 1 << 24 };
	unsigned int i;
	int fd;

	if (witness.fd >= 0 && witness_snap(w) && w->n < WITNESS_AREAS) {
		for (witness_nids = 0, i = 0; i < w->n; i++)
			witness_ids[witness_nids++] = w->a[i].id;
		return true;
	}
	if (witness.fd >= 0)
		close(witness.fd);
	witness.fd = -1;
	witness_nids = 0;
	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c))
		return false;
	/*
	 * Far above the numbers other threads draw or keep after closing
	 * them (pick_fd(), other_fds[3]), so that no stray ioctl reaches it.
	 */
	fd = fcntl((int)c.out_fd, F_DUPFD_CLOEXEC, WITNESS_FD_MIN);
	close((int)c.out_fd);
	if (fd < 0)
		return false;
	witness = (struct aspace){ fd, c.out_id, c.base, c.length };
	return witness_snap(w) && !w->n;
}

/*
 * Aim the request in @buf at the witness: its areas half of the time, and
 * nothing that would share memory with another aspace or let another
 * process clone from it.
 */
static void witness_aim(unsigned long cmd, unsigned char *buf)
{
	uint32_t own = witness_nids ? witness_ids[below(witness_nids)] : 0;

	if (_IOC_TYPE(cmd) != VMARENA_IOC_TYPE)
		return;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(VMARENA_IOC_AREA_CREATE_ANON) ... _IOC_NR(VMARENA_IOC_AREA_CLONE): {
		struct vmarena_area_create *c = (void *)buf;
		bool mine = false;
		unsigned int i;

		c->flags &= ~VMARENA_AREA_CLONEABLE;
		if (_IOC_NR(cmd) != _IOC_NR(VMARENA_IOC_AREA_CLONE))
			break;
		if (own && chance(50))
			c->source_id = own;
		for (i = 0; i < witness_nids; i++)
			mine |= witness_ids[i] == c->source_id;
		if (!mine)
			c->mapping = VMARENA_MAP_PRIVATE;
		break;
	}
	case _IOC_NR(VMARENA_IOC_AREA_DELETE) ... _IOC_NR(VMARENA_IOC_AREA_SYNC):
	case _IOC_NR(VMARENA_IOC_AREA_LOCK):
		if (own && chance(50))
			((struct vmarena_area_op *)buf)->id = own;
		break;
	case _IOC_NR(VMARENA_IOC_AREA_COPY):
	case _IOC_NR(VMARENA_IOC_AREA_TRANSFER):
		/* A copy of a shared area shares it: only the witness's own. */
		((struct vmarena_area_copy *)buf)->source_id = own;
		break;
	default:
		break;
	}
}

/* After a failed ioctl at the witness: it must be as it was. */
static void witness_check(unsigned long cmd, int e, const struct witness_state *before)
{
	struct witness_state after;
	unsigned int i;

	atomic_fetch_add(&sh->witnessed, 1);
	if (!witness_snap(&after)) {
		fail("witness: cannot list its areas after ioctl %#lx", cmd);
		return;
	}
	if (after.n != before->n) {
		fail("failed ioctl %#lx (errno %d) changed the witness: %u areas, %u before",
		     cmd, e, after.n, before->n);
		return;
	}
	for (i = 0; i < after.n; i++) {
		const struct vmarena_area_info *a = &before->a[i], *b = &after.a[i];

		if (!memcmp(a, b, sizeof(*a)))
			continue;
		fail("failed ioctl %#lx (errno %d) changed witness area %u: base %#llx len %#llx "
		     "prot %u max %u wiring %u lock %u flags %u, now area %u base %#llx len %#llx "
		     "prot %u max %u wiring %u lock %u flags %u", cmd, e, a->id,
		     (unsigned long long)a->out_base, (unsigned long long)a->out_length,
		     a->out_protection, a->out_protection_max, a->out_wiring, a->out_lock_level,
		     a->out_flags, b->id, (unsigned long long)b->out_base,
		     (unsigned long long)b->out_length, b->out_protection, b->out_protection_max,
		     b->out_wiring, b->out_lock_level, b->out_flags);
		return;
	}
}

/* ---- the errno contract ---------------------------------------------------- */

static bool errno_allowed(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: case EFAULT: case ENOTTY: case ENOENT: case EEXIST:
	case ENOMEM: case EACCES: case EPERM: case EBADF: case EMLINK: case EAGAIN:
	case ENOSPC: case EDQUOT: case ENODEV: case ESRCH:
		return true;
	default:
		return false;
	}
}

/*
 * Commands an unprivileged caller must never get through: device ranges
 * (CAP_SYS_RAWIO) and physical addresses (CAP_SYS_ADMIN).  (A super-lock
 * counts against RLIMIT_MEMLOCK instead.)
 */
static bool needs_privilege(unsigned long cmd)
{
	return _IOC_TYPE(cmd) == VMARENA_IOC_TYPE &&
	       (_IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_AREA_MAP_DEVICE) ||
		_IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_PAGE_MAPPING));
}

static const unsigned long cmds[] = {
	VMARENA_IOC_VERSION, VMARENA_IOC_ASPACE_CREATE, VMARENA_IOC_ASPACE_OPEN,
	VMARENA_IOC_ASPACE_UNLINK, VMARENA_IOC_STATS, VMARENA_IOC_ASPACE_INFO,
	VMARENA_IOC_AREA_CREATE_ANON, VMARENA_IOC_AREA_CREATE_NULL, VMARENA_IOC_AREA_MAP_DEVICE,
	VMARENA_IOC_AREA_MAP_FILE, VMARENA_IOC_AREA_CLONE, VMARENA_IOC_AREA_DELETE,
	VMARENA_IOC_AREA_RESIZE, VMARENA_IOC_AREA_PROTECT, VMARENA_IOC_AREA_SYNC,
	VMARENA_IOC_AREA_INFO, VMARENA_IOC_AREA_ITERATE, VMARENA_IOC_AREA_FIND,
	VMARENA_IOC_PAGE_MAPPING, VMARENA_IOC_AREA_LOCK, VMARENA_IOC_ASPACE_SUPERLOCK,
	VMARENA_IOC_RANGE_LOCK, VMARENA_IOC_AREA_COPY, VMARENA_IOC_ASPACE_COPY,
	VMARENA_IOC_AREA_TRANSFER, VMARENA_IOC_TEAM_OPEN, VMARENA_IOC_TEAM_PUBLISH,
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void fuzz_name(char *name, size_t size)
{
	switch (below(6)) {
	case 0:
		memset(name, 'x', size);		/* no NUL */
		break;
	case 1:
		name[0] = 0;
		break;
	default:
		snprintf(name, size, "fz%d", (int)below(NAMES));
		break;
	}
}

/* Fill an area-create request that is valid more often than not. */
static void fill_create(struct vmarena_area_create *c, unsigned long cmd, const struct aspace *s)
{
	static const uint32_t wirings[] = { VMARENA_WIRING_LAZY, VMARENA_WIRING_LAZY,
					    VMARENA_WIRING_WIRED, VMARENA_WIRING_ALREADY_WIRED,
					    VMARENA_WIRING_CONTIGUOUS };

	c->size = sizeof(*c);
	fuzz_name(c->name, sizeof(c->name));
	if (chance(70)) {
		c->addr_spec = VMARENA_ADDR_ANY;
	} else {
		c->addr_spec = chance(50) ? VMARENA_ADDR_EXACT : VMARENA_ADDR_BASE;
		c->address = s->base + below(s->len / PAGE) * PAGE;
	}
	c->length = small_len();
	c->protection = (uint32_t)below(8);
	c->wiring = chance(80) ? VMARENA_WIRING_LAZY : wirings[below(5)];
	if (chance(10))
		c->lock_level = VMARENA_LOCK_LOCKED;
	c->flags = (uint32_t)below(4);
	if (cmd == VMARENA_IOC_AREA_CLONE) {
		c->length = 0;
		c->source_id = pick_id();
		c->mapping = chance(50) ? VMARENA_MAP_SHARED : VMARENA_MAP_PRIVATE;
		if (chance(30)) {
			c->flags |= VMARENA_CLONE_SOURCE_FD;
			c->fd = (uint32_t)pick_fd();
		}
	} else if (cmd == VMARENA_IOC_AREA_MAP_FILE) {
		c->mapping = chance(50) ? VMARENA_MAP_SHARED : VMARENA_MAP_PRIVATE;
		c->fd = (uint32_t)(chance(80) ? other_fds[0] : pick_fd());
		c->file_offset = below(4) * PAGE;
	} else if (cmd == VMARENA_IOC_AREA_MAP_DEVICE) {
		/*
		 * Only addresses that are arena RAM (looked up first), or that
		 * cannot be valid: device windows are touched like any other,
		 * and random I/O memory must not be written.  Random I/O
		 * addresses are tried in a child that never maps them
		 * (device_child()).
		 */
		c->phys = (uint64_t[]){ 1, PAGE - 1, 1ULL << 52, ~0ULL - PAGE + 1,
					(1ULL << 63) }[below(5)];
		c->wiring = VMARENA_WIRING_LAZY;
	}
}

/* Mutate one or two fields of @buf (a struct of @size bytes) to edges. */
static void mutate(void *buf, size_t size, const struct aspace *s)
{
	int n = 1 + (int)below(2);
	size_t off;

	while (n--) {
		off = below(size / 4) * 4;
		if (off < 4)
			continue;			/* size: done by the caller */
		if (off % 8 == 0 && off + 8 <= size && chance(60)) {
			uint64_t v = edge64(s->base, s->len);

			memcpy((char *)buf + off, &v, 8);
		} else {
			uint32_t v = edge32();

			memcpy((char *)buf + off, &v, 4);
		}
	}
}

/* The struct size of a command. */
static size_t cmd_size(unsigned long cmd)
{
	return _IOC_SIZE(cmd);
}

/* One ioctl, with an argument built to be valid or nearly valid. */
static void fuzz_ioctl(void)
{
	unsigned char buf[512] __attribute__((aligned(8)));
	struct aspace s = { .fd = ctl, .base = 0x40000000, .len = 1 << 24 };
	unsigned long cmd = cmds[below(NCMDS)];
	size_t size = cmd_size(cmd), usize;
	struct witness_state before;
	bool have = pick_space(&s), witnessed = false;
	int fd, kind, e;
	void *arg;
	long r;

	memset(buf, 0, sizeof(buf));
	if (chance(25) && witness_ready(&before)) {
		s = witness;
		have = witnessed = true;
	}
	switch (cmd) {
	case VMARENA_IOC_ASPACE_CREATE: {
		struct vmarena_aspace_create *c = (void *)buf;

		c->size = sizeof(*c);
		c->base = (uint64_t[]){ 0, 0x10000000, 0x40000000, (1ULL << 47) - (16 << 20),
					below(1 << 20) * PAGE }[below(5)];
		c->length = (uint64_t[]){ PAGE, 16 << 20, 256 << 20, 1ULL << 32,
					  small_len() }[below(5)];
		if (chance(20)) {
			c->flags = VMARENA_ASPACE_PERSISTENT;
			/*
			 * Root's persistent aspaces are never open to others
			 * (0666): so an unprivileged worker holds no fd of an
			 * aspace of root's, and the isolation check below is exact.
			 */
			c->mode = (uint32_t[]){ 0600, 0666, 0, 0644 }[below(unprivileged ? 4 : 3)];
			if (!unprivileged && c->mode == 0666)
				c->mode = 0644;
			fuzz_name(c->name, sizeof(c->name));
		}
		break;
	}
	case VMARENA_IOC_ASPACE_OPEN:
	case VMARENA_IOC_ASPACE_UNLINK: {
		struct vmarena_aspace_open *o = (void *)buf;

		o->size = sizeof(*o);
		fuzz_name(o->name, sizeof(o->name));
		break;
	}
	case VMARENA_IOC_AREA_CREATE_ANON:
	case VMARENA_IOC_AREA_CREATE_NULL:
	case VMARENA_IOC_AREA_MAP_DEVICE:
	case VMARENA_IOC_AREA_MAP_FILE:
	case VMARENA_IOC_AREA_CLONE:
		fill_create((void *)buf, cmd, &s);
		break;
	case VMARENA_IOC_AREA_DELETE:
	case VMARENA_IOC_AREA_RESIZE:
	case VMARENA_IOC_AREA_PROTECT:
	case VMARENA_IOC_AREA_SYNC:
	case VMARENA_IOC_AREA_LOCK: {
		struct vmarena_area_op *op = (void *)buf;

		op->size = sizeof(*op);
		op->id = pick_id();
		if (cmd == VMARENA_IOC_AREA_RESIZE)
			op->value = small_len();
		else if (cmd == VMARENA_IOC_AREA_PROTECT)
			op->value = below(8);
		else if (cmd == VMARENA_IOC_AREA_LOCK)
			op->value = below(2);
		break;
	}
	case VMARENA_IOC_ASPACE_SUPERLOCK: {
		struct vmarena_area_op *op = (void *)buf;

		op->size = sizeof(*op);
		op->value = chance(50) ? VMARENA_LOCK_SUPERLOCKED : VMARENA_LOCK_UNLOCKED;
		break;
	}
	case VMARENA_IOC_RANGE_LOCK: {
		struct vmarena_range_lock *l = (void *)buf;

		l->size = sizeof(*l);
		l->level = (uint32_t)below(2);
		l->address = s.base + below(s.len / PAGE) * PAGE;
		l->length = small_len();
		break;
	}
	case VMARENA_IOC_AREA_INFO:
	case VMARENA_IOC_AREA_ITERATE: {
		struct vmarena_area_info *i = (void *)buf;

		i->size = sizeof(*i);
		i->id = pick_id();
		if (cmd == VMARENA_IOC_AREA_ITERATE)
			i->cookie = chance(50) ? 0 : s.base + below(s.len / PAGE) * PAGE;
		break;
	}
	case VMARENA_IOC_AREA_FIND: {
		struct vmarena_area_find *f = (void *)buf;

		f->size = sizeof(*f);
		fuzz_name(f->name, sizeof(f->name));
		break;
	}
	case VMARENA_IOC_PAGE_MAPPING: {
		struct vmarena_page_mapping *m = (void *)buf;

		m->size = sizeof(*m);
		m->address = s.base + below(s.len / PAGE) * PAGE;
		break;
	}
	case VMARENA_IOC_AREA_COPY:
	case VMARENA_IOC_AREA_TRANSFER: {
		struct vmarena_area_copy *c = (void *)buf;

		c->size = sizeof(*c);
		fuzz_name(c->name, sizeof(c->name));
		c->source_id = pick_id();
		if (chance(60)) {
			c->addr_spec = chance(50) ? VMARENA_ADDR_EXACT : VMARENA_ADDR_BASE;
			c->address = s.base + below(s.len / PAGE) * PAGE;
		}
		if (chance(30)) {
			c->flags = VMARENA_COPY_SOURCE_FD;
			c->fd = (uint32_t)pick_fd();
		}
		break;
	}
	case VMARENA_IOC_ASPACE_COPY:
		((struct vmarena_aspace_copy *)buf)->size = sizeof(struct vmarena_aspace_copy);
		break;
	case VMARENA_IOC_TEAM_OPEN: {
		struct vmarena_team *t = (void *)buf;

		t->size = sizeof(*t);
		t->pid = chance(40) ? getpid() : chance(50) ? getppid() : (int32_t)below(4096);
		break;
	}
	default:
		*(uint32_t *)buf = (uint32_t)size;
		break;
	}
	if (chance(25))
		mutate(buf, size, &s);
	/* The size field: mostly right, sometimes small, large, or huge. */
	usize = size;
	switch (below(14)) {
	case 0: usize = 0; break;
	case 1: usize = 4; break;
	case 2: usize = size - 8; break;
	case 3: usize = size + 8; break;			/* zero tail */
	case 4: usize = size + 8; buf[size + 3] = 1; break;	/* nonzero tail */
	case 5: usize = chance(50) ? 0xffffffff : PAGE * 2; break;
	default: break;
	}
	*(uint32_t *)buf = (uint32_t)usize;

	/* The command: mostly right, sometimes with other size or direction bits. */
	switch (below(20)) {
	case 0:
		cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), below(1 << 14));
		break;
	case 1:
		cmd = _IOC(below(4), 'J', below(256), size);
		break;
	case 2:
		cmd = _IOC(_IOC_DIR(cmd), (char)below(256), _IOC_NR(cmd), size);
		break;
	default:
		break;
	}
	/*
	 * Whatever the mutations did: a device command in a process with
	 * windows gets only a physical address that cannot be valid or is
	 * not I/O memory (device_child() tries the others, never mapped).
	 */
	if (_IOC_TYPE(cmd) == VMARENA_IOC_TYPE &&
	    _IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_AREA_MAP_DEVICE)) {
		struct vmarena_area_create *c = (void *)buf;

		if (!(c->phys & (PAGE - 1)) && c->phys < (1ULL << 52))
			c->phys = 1ULL << 52;
	}
	/*
	 * A persistent aspace gets one of the names that the end of the run
	 * unlinks, whatever the mutations did to it: one left behind would
	 * keep the module loaded.
	 */
	if (_IOC_TYPE(cmd) == VMARENA_IOC_TYPE &&
	    _IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_ASPACE_CREATE)) {
		struct vmarena_aspace_create *c = (void *)buf;

		if (c->flags & VMARENA_ASPACE_PERSISTENT && strnlen(c->name, sizeof(c->name)) <
		    sizeof(c->name))
			snprintf(c->name, sizeof(c->name), "fz%d", (int)below(NAMES));
	}
	/* And root's persistent aspaces stay closed to others (see above). */
	if (!unprivileged && _IOC_TYPE(cmd) == VMARENA_IOC_TYPE &&
	    _IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_ASPACE_CREATE))
		((struct vmarena_aspace_create *)buf)->mode &= ~06U;
	fd = have && chance(80) ? s.fd : pick_fd();
	if ((cmd == VMARENA_IOC_ASPACE_CREATE || cmd == VMARENA_IOC_ASPACE_OPEN ||
	     cmd == VMARENA_IOC_STATS || cmd == VMARENA_IOC_VERSION ||
	     cmd == VMARENA_IOC_TEAM_OPEN) && chance(85))
		fd = ctl;
	if (witnessed) {
		fd = witness.fd;
		witness_aim(cmd, buf);
	}

	pthread_rwlock_rdlock(&wlock);
	arg = chance(8) ? place_arg(buf, size, &kind) : NULL;
	if (!arg) {
		kind = -1;
		arg = buf;
	}
	atomic_fetch_add(&sh->ioctls, 1);
	r = ioctl(fd, cmd, arg);
	e = errno;
	pthread_rwlock_unlock(&wlock);
	if (r < 0) {
		atomic_fetch_add(&sh->errnos[e < 160 ? e : 0], 1);
		if (!errno_allowed(e) && !(e == EBUSY && needs_privilege(cmd)))
			fail("ioctl %#lx on fd %d: unexpected errno %d (%s)", cmd, fd, e,
			     strerror(e));
		if (witnessed)
			witness_check(cmd, e, &before);
		return;
	}
	atomic_fetch_add(&sh->ok, 1);
	if (unprivileged && needs_privilege(cmd) && arg == (void *)buf) {
		/* Only a real vmarena fd could have said yes. */
		fail("unprivileged ioctl %#lx on fd %d succeeded", cmd, fd);
		return;
	}
	/* Teams are opened only to be closed again. */
	if (cmd == VMARENA_IOC_TEAM_OPEN && arg == (void *)buf) {
		close((int)((struct vmarena_team *)buf)->out_fd);
		return;
	}
	/* An aspace copied from the witness is not kept. */
	if (cmd == VMARENA_IOC_ASPACE_COPY && arg == (void *)buf && witnessed)
		close((int)((struct vmarena_aspace_copy *)buf)->out_fd);
	/* The witness's areas stay its own (witness_aim()). */
	if (arg != (void *)buf || witnessed)
		return;
	/* Keep what the kernel handed out. */
	if (cmd == VMARENA_IOC_ASPACE_CREATE || cmd == VMARENA_IOC_ASPACE_OPEN ||
	    cmd == VMARENA_IOC_ASPACE_COPY) {
		const struct vmarena_aspace_create *c = (void *)buf;
		const struct vmarena_aspace_open *o = (void *)buf;
		const struct vmarena_aspace_copy *k = (void *)buf;
		struct vmarena_aspace_info info = { .size = sizeof(info) };
		int nfd = cmd == VMARENA_IOC_ASPACE_CREATE ? (int)c->out_fd :
			  cmd == VMARENA_IOC_ASPACE_COPY ? (int)k->out_fd : (int)o->out_fd;

		if (ioctl(nfd, VMARENA_IOC_ASPACE_INFO, &info)) {
			/* Another thread may have closed it already. */
			return;
		}
		atomic_store(&sh->asids[below(64)], info.out_id);
		if (cmd == VMARENA_IOC_ASPACE_CREATE || cmd == VMARENA_IOC_ASPACE_COPY)
			record(sh->as_owner, info.out_id, geteuid() + 1);
		pthread_mutex_lock(&plock);
		if (nspaces < MAX_FDS) {
			spaces[nspaces++] = (struct aspace){ nfd, info.out_id, info.out_base,
							     info.out_length };
			nfd = -1;
		}
		pthread_mutex_unlock(&plock);
		if (nfd >= 0)
			close(nfd);
	} else if (_IOC_NR(cmd) >= 0x11 && _IOC_NR(cmd) <= 0x15 && _IOC_TYPE(cmd) == 'J') {
		const struct vmarena_area_create *c = (void *)buf;

		uint32_t src_as = lookup(sh->area_as, c->source_id);
		uint32_t creator = src_as ? lookup(sh->as_owner, src_as) : 0;

		/*
		 * Isolation: an unprivileged worker holds no fd of an aspace
		 * of root's (root's persistent aspaces are never open to
		 * others), so it can clone nothing out of one: the source must
		 * be in an aspace nobody created.
		 */
		if (unprivileged && _IOC_NR(cmd) == _IOC_NR(VMARENA_IOC_AREA_CLONE) &&
		    creator && creator != NOBODY + 1)
			fail("unprivileged clone of area %u (in aspace %u of uid %u) succeeded",
			     c->source_id, src_as, creator - 1);
		if (fd_asid(fd))
			record(sh->area_as, c->out_id, fd_asid(fd));
		note_id(c->out_id);
	} else if (cmd == VMARENA_IOC_AREA_COPY) {
		const struct vmarena_area_copy *c = (void *)buf;
		uint32_t src_as = lookup(sh->area_as, c->source_id);
		uint32_t creator = src_as ? lookup(sh->as_owner, src_as) : 0;

		/* The rules of a clone (above). */
		if (unprivileged && creator && creator != NOBODY + 1)
			fail("unprivileged copy of area %u (in aspace %u of uid %u) succeeded",
			     c->source_id, src_as, creator - 1);
		if (fd_asid(fd))
			record(sh->area_as, c->out_id, fd_asid(fd));
		note_id(c->out_id);
	} else if (cmd == VMARENA_IOC_AREA_TRANSFER) {
		const struct vmarena_area_copy *c = (void *)buf;

		/* Moved by a holder of both aspaces' fds: no uid rule. */
		if (fd_asid(fd))
			record(sh->area_as, c->out_id, fd_asid(fd));
		note_id(c->out_id);
	} else if (cmd == VMARENA_IOC_AREA_ITERATE) {
		note_id(((struct vmarena_area_info *)buf)->id);
	}
}

/* ---- mm operations on windows --------------------------------------------- */

static void fuzz_mmap(void)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
				     PROT_READ | PROT_EXEC, PROT_WRITE };
	struct aspace s;
	uint64_t off, len;
	int prot = prots[below(5)], flags = chance(85) ? MAP_SHARED : MAP_PRIVATE;
	void *p;

	if (!pick_space(&s))
		return;
	off = s.base + below(s.len / PAGE) * PAGE;
	len = chance(50) ? s.base + s.len - off : small_len();
	if (chance(10))
		off = edge64(s.base, s.len) & ~(PAGE - 1);
	if (chance(5))
		len = edge64(s.base, s.len);
	if (len > (1ULL << 32))
		len = 1ULL << 32;
	if (!len)
		len = PAGE;
	/*
	 * Populating (here, and mlock() below) a private writable window
	 * copies every page into Linux's anonymous memory: only small ones,
	 * or the guest runs out of memory and the OOM killer ends the run.
	 */
	if (chance(5) && len <= POPULATE_MAX)
		flags |= MAP_POPULATE;
	atomic_fetch_add(&sh->mm_ops, 1);
	p = mmap(NULL, len, prot, flags, chance(95) ? s.fd : pick_fd(), (off_t)off);
	if (p == MAP_FAILED)
		return;
	pthread_mutex_lock(&plock);
	if (nwins < MAX_WIN) {
		wins[nwins++] = (struct window){ .addr = p, .len = len, .prot = prot };
		p = NULL;
	}
	pthread_mutex_unlock(&plock);
	if (p)
		munmap(p, len);
}

/*
 * A fork child does not get the DONTFORK part of a window: its addresses
 * are free there, and the child's own mappings (a malloc arena, a new
 * window) may land on them.  Such windows leave the child's table
 * (fork_child()), or its unmaps and MAP_FIXED splits would hit those.
 */
static void mark_dontfork(const char *addr)
{
	int i;

	pthread_mutex_lock(&plock);
	for (i = 0; i < nwins; i++)
		if (wins[i].addr == addr)
			wins[i].dontfork = true;
	pthread_mutex_unlock(&plock);
}

static void fuzz_mm(void)
{
	unsigned int what = (unsigned int)below(6);
	bool writer = what <= 1 || what == 4;
	struct window w;
	size_t off, len;
	void *p;
	int i;

	if (writer)
		pthread_rwlock_wrlock(&wlock);
	else
		pthread_rwlock_rdlock(&wlock);
	pthread_mutex_lock(&plock);
	if (!nwins) {
		pthread_mutex_unlock(&plock);
		pthread_rwlock_unlock(&wlock);
		return;
	}
	i = (int)below(nwins);
	w = wins[i];
	if (what == 0)			/* it goes: no thread may pick it from now on */
		wins[i] = wins[--nwins];
	pthread_mutex_unlock(&plock);
	atomic_fetch_add(&sh->mm_ops, 1);
	off = below(w.len / PAGE) * PAGE;
	len = (1 + below((w.len - off) / PAGE)) * PAGE;
	switch (what) {
	case 0:	/* unmap it whole */
		munmap(w.addr, w.len);
		break;
	case 1:	/* split it: part of it becomes anonymous memory (closes that part) */
		mmap(w.addr + off, len, PROT_READ | PROT_WRITE,
		     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case 2:
		mprotect(w.addr + off, len, (int)below(8));
		break;
	case 3:
		i = (int[]){ MADV_DONTNEED, MADV_WILLNEED, MADV_DONTFORK, MADV_DOFORK,
			     MADV_COLD, MADV_PAGEOUT }[below(6)];
		if (!madvise(w.addr + off, len, i) && i == MADV_DONTFORK)
			mark_dontfork(w.addr);
		break;
	case 4:	/* move it */
		p = mremap(w.addr, w.len, w.len, MREMAP_MAYMOVE);
		if (p != MAP_FAILED) {
			pthread_mutex_lock(&plock);
			for (i = 0; i < nwins; i++)
				if (wins[i].addr == w.addr)
					wins[i].addr = p;
			pthread_mutex_unlock(&plock);
		}
		break;
	default:
		len = len < POPULATE_MAX ? len : POPULATE_MAX;
		mlock(w.addr + off, len);
		munlock(w.addr + off, len);
		break;
	}
	pthread_rwlock_unlock(&wlock);
}

static void fuzz_close(void)
{
	int fd = -1, i;

	pthread_mutex_lock(&plock);
	if (nspaces && chance(50)) {
		i = (int)below(nspaces);
		fd = spaces[i].fd;
		spaces[i] = spaces[--nspaces];
	}
	pthread_mutex_unlock(&plock);
	if (fd >= 0) {
		close(fd);
		/* The number is stale now, and other_fds[3] names it. */
		other_fds[3] = fd;
	}
}

static void run_ops(uint64_t n, time_t deadline);

/* A child that does a few operations and exits with everything in place. */
static void fuzz_fork(void)
{
	pid_t pid;

	if (atomic_load(&sh->children) > 24)
		return;
	atomic_fetch_add(&sh->forks, 1);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		atomic_fetch_add(&sh->children, 1);
		rng ^= 0xf0f0f0f0ULL * (uint64_t)getpid();
		run_ops(20 + below(200), time(NULL) + 5);
		atomic_fetch_sub(&sh->children, 1);
		_exit(0);
	}
	/* Reaped by the process's main loop (waitpid(-1)). */
}

static void one_op(void)
{
	uint64_t r = below(1000);

	atomic_fetch_add(&sh->ops, 1);
	if (r < 560)
		fuzz_ioctl();
	else if (r < 640)
		fuzz_mmap();
	else if (r < 720)
		fuzz_mm();
	else if (r < 960)
		touch();
	else if (r < 985)
		fuzz_close();
	else if (r < 990)
		fuzz_fork();
	else {
		struct aspace s;
		int fd;

		/* dup an aspace fd: more references to the same file */
		if (pick_space(&s) && (fd = dup(s.fd)) >= 0) {
			pthread_mutex_lock(&plock);
			if (nspaces < MAX_FDS) {
				s.fd = fd;
				spaces[nspaces++] = s;
				fd = -1;
			}
			pthread_mutex_unlock(&plock);
			if (fd >= 0)
				close(fd);
		}
	}
}

static void run_ops(uint64_t n, time_t deadline)
{
	uint64_t i;

	for (i = 0; (!n || i < n); i++) {
		if ((i & 63) == 0 && time(NULL) >= deadline)
			break;
		if (atomic_load(&sh->failed))
			break;
		one_op();
	}
}

/* ---- workers ---------------------------------------------------------------- */

struct thread_arg {
	int no;
	uint64_t ops;
	time_t deadline;
};

static void fork_prepare(void)
{
	pthread_rwlock_wrlock(&wlock);
	pthread_mutex_lock(&plock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&plock);
	pthread_rwlock_unlock(&wlock);
}

/*
 * The child's only thread is not the one that took the locks (its tid
 * differs, and glibc's rwlock unlock goes by tid): start them afresh.
 */
static void fork_child(void)
{
	int i;

	pthread_mutex_init(&plock, NULL);
	pthread_rwlock_init(&wlock, NULL);
	for (i = 0; i < nwins;)
		if (wins[i].dontfork)
			wins[i] = wins[--nwins];
		else
			i++;
	/* The parent's thread goes on using its witness: this one is not ours. */
	if (witness.fd >= 0)
		close(witness.fd);
	witness.fd = -1;
	witness_nids = 0;
}

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	rng = seed ^ ((uint64_t)proc_no << 32) ^ ((uint64_t)a->no << 16) ^ 0x5eed;
	run_ops(a->ops, a->deadline);
	return NULL;
}

/*
 * Device ranges at random physical addresses, in an aspace no window ever
 * shows and no other process can name: what the kernel accepts is never
 * touched.
 */
static void device_child(uint64_t n)
{
	struct vmarena_aspace_create as = { .size = sizeof(as), .base = 0x40000000,
					    .length = 1 << 30 };
	struct vmarena_area_create c;
	struct vmarena_area_op op;

	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &as))
		return;
	while (n--) {
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.length = small_len();
		c.protection = VMARENA_PROT_READ;
		c.phys = chance(50) ? below(1ULL << 36) & ~(PAGE - 1) : edge64(0, 1ULL << 32);
		if (!ioctl((int)as.out_fd, VMARENA_IOC_AREA_MAP_DEVICE, &c)) {
			op = (struct vmarena_area_op){ .size = sizeof(op), .id = c.out_id };
			if (ioctl((int)as.out_fd, VMARENA_IOC_AREA_DELETE, &op))
				fail("delete of a device area: %s", strerror(errno));
		} else if (!errno_allowed(errno) && errno != EBUSY) {
			fail("device range %#" PRIx64 ": errno %d (%s)", c.phys, errno,
			     strerror(errno));
		}
	}
}

static int worker(int no, int threads, uint64_t ops, time_t deadline)
{
	struct thread_arg args[16];
	pthread_t tids[16];
	struct sigaction sa;
	char path[64];
	int p[2], i, st;
	pid_t pid;

	proc_no = no;
	rng = seed ^ ((uint64_t)no << 32);
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	ctl = open(DEV, O_RDWR);
	if (ctl < 0) {
		fail("open %s: %s", DEV, strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "/tmp/vmarena-fuzz-%d", getpid());
	other_fds[0] = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (other_fds[0] >= 0) {
		unlink(path);
		if (ftruncate(other_fds[0], 64 * PAGE))
			fail("ftruncate: %s", strerror(errno));
	}
	other_fds[1] = open("/dev/null", O_RDWR);
	if (pipe(p) == 0)
		other_fds[2] = p[0];
	other_fds[3] = 1000;
	bufpage = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ropage = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bufpage == MAP_FAILED || ropage == MAP_FAILED ||
	    mprotect(bufpage + PAGE, PAGE, PROT_NONE)) {
		fail("mmap of buffers: %s", strerror(errno));
		return 1;
	}

	/* Privileged workers also try random device ranges, never mapped. */
	if (no % 4 == 1) {
		pid = fork();
		if (!pid) {
			device_child(200 + below(200));
			_exit(0);
		}
		if (pid > 0 && waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && !WEXITSTATUS(st)))
			fail("device child: status %#x", st);
	}
	/* Every fourth worker is unprivileged: uid nobody, no capabilities. */
	if (no % 4 == 3) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY)) {
			fail("dropping to nobody: %s", strerror(errno));
			return 1;
		}
		unprivileged = true;
	}

	for (i = 0; i < threads; i++) {
		args[i] = (struct thread_arg){ i, ops, deadline };
		if (pthread_create(&tids[i], NULL, thread_main, &args[i])) {
			fail("pthread_create: %s", strerror(errno));
			threads = i;
			break;
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	/* Reap the forked children; one killed by a signal is a failure. */
	while ((pid = waitpid(-1, &st, 0)) > 0)
		if (WIFSIGNALED(st))
			fail("forked child %d killed by signal %d", pid, WTERMSIG(st));
	/* Exit with everything still open and mapped: exit cleans up. */
	return 0;
}

/* ---- the arena's state before and after ----------------------------------- */

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

static void unlink_names(int fd)
{
	struct vmarena_aspace_open o;
	int i;

	for (i = 0; i < NAMES; i++) {
		memset(&o, 0, sizeof(o));
		o.size = sizeof(o);
		snprintf(o.name, sizeof(o.name), "fz%d", i);
		ioctl(fd, VMARENA_IOC_ASPACE_UNLINK, &o);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: vmarena-fuzz [-s SEED] [-t SECONDS] [-n OPS] [-p PROCS] "
		"[-j THREADS] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int procs = 4, threads = 3, seconds = 20, c, i, st, fd, bad = 0;
	struct snapshot before, after;
	uint64_t ops = 0;
	time_t start, deadline;
	pid_t pids[64];
	char *end;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	while ((c = getopt(argc, argv, "s:t:n:p:j:v")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		case 't': seconds = atoi(optarg); break;
		case 'n': ops = strtoull(optarg, NULL, 0); break;
		case 'p': procs = atoi(optarg); break;
		case 'j': threads = atoi(optarg); break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (procs < 1 || procs > 64 || threads < 1 || threads > 16 || seconds < 0)
		usage();
	printf("fuzz: seed %" PRIu64 " (replay: vmarena-fuzz -s %" PRIu64 "), %d processes x "
	       "%d threads, %d s%s\n", seed, seed, procs, threads, seconds,
	       ops ? ", op budget per thread" : "");
	fflush(stdout);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fd = open(DEV, O_RDWR);
	if (fd < 0 || !snap(fd, &before)) {
		fprintf(stderr, "fuzz: %s: %s\n", DEV, strerror(errno));
		return 1;
	}
	start = time(NULL);
	deadline = start + seconds;
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (!pids[i])
			_exit(worker(i, threads, ops, deadline));
	}
	for (i = 0; i < procs; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i])
			continue;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fail("worker %d: %s %d", i, WIFSIGNALED(st) ? "signal" : "exit",
			     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		}
	}
	/* Forked grandchildren may outlive their worker: wait for them. */
	for (i = 0; i < 100 && atomic_load(&sh->children) > 0; i++)
		usleep(100000);

	unlink_names(fd);
	/* Everything is gone: the arena must be back where it started. */
	for (i = 0; i < 50; i++) {
		if (!snap(fd, &after))
			break;
		if (after.commit == before.commit && after.swap == before.swap &&
		    after.used == before.used)
			break;
		usleep(100000);
	}
	if (after.commit != before.commit || after.swap != before.swap ||
	    after.used != before.used) {
		fail("arena not back to its start: commit %" PRIu64 " -> %" PRIu64
		     ", swap %" PRIu64 " -> %" PRIu64 ", pages in use %" PRIu64 " -> %" PRIu64,
		     before.commit, after.commit, before.swap, after.swap, before.used,
		     after.used);
	}
	close(fd);

	printf("fuzz: %" PRIu64 " operations (%" PRIu64 " ioctls, %" PRIu64 " succeeded; %"
	       PRIu64 " mm calls; %" PRIu64 " touches, %" PRIu64 " faults survived; %" PRIu64
	       " forks) in %ld s\n", sh->ops, sh->ioctls, sh->ok, sh->mm_ops, sh->touches,
	       sh->signals, sh->forks, (long)(time(NULL) - start));
	printf("fuzz: %" PRIu64 " failed ioctls checked to change nothing\n", sh->witnessed);
	printf("fuzz: errnos:");
	for (i = 1; i < 160; i++)
		if (sh->errnos[i])
			printf(" %s=%" PRIu64, strerrorname_np(i) ? strerrorname_np(i) : "?",
			       sh->errnos[i]);
	printf("\n");
	bad = atomic_load(&sh->failed);
	if (bad)
		printf("fuzz: FAILED, seed %" PRIu64 ": %s\n", seed, sh->why);
	else
		printf("fuzz: ok, seed %" PRIu64 "\n", seed);
	return bad ? 1 : 0;
}
