// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-bench: the same work done through vmarena and the way a user
 * would otherwise do it, in one boot of one kernel, as ratios.
 *
 * Each metric is a pair of workloads (vmarena, native).  A round runs
 * the two sides' units (e.g. "touch every page of a 4 MiB area")
 * interleaved, one of each in turn, until each side has had at least
 * min_ms of wall time, and divides the time spent in the timed part of
 * the units by the work done (pages, or operations): interleaving makes
 * both sides see the same load on a shared machine.  The comparison is
 * repeated for several rounds, and the median of the per-round ratios is
 * reported with its spread ((max - min) / median).
 * Ratio: native time / vmarena time for per-unit costs (above 1: vmarena
 * is faster), vmarena / native for scaling factors.
 *
 * Faults actually taken are counted on both sides (the process's minor
 * faults, and vmarena's own fault counter), per unit of work: a path that
 * maps several pages per fault shows it.
 *
 * The native workloads follow will-it-scale's page_fault1 (anonymous
 * first touch), page_fault2 (private file write), page_fault3 (shared
 * mapping) and mmap1 (mmap + munmap), written anew.  The userfaultfd peer
 * is the way user-space VM arenas are built today: a handler thread
 * serving missing-page faults with UFFDIO_ZEROPAGE or UFFDIO_COPY.
 *
 * Usage: vmarena-bench [-m MIN_MS] [-r ROUNDS] [-j JSON_FILE] [-o ONLY]
 *                      [-s vmarena|native]
 * -o runs the metrics whose name contains ONLY; -s runs one side only, for
 * a profile (VMARENA_BENCH_PERF=1 make bench): its ratios mean nothing.
 * Needs root (module parameters, /proc/slabinfo) and /dev/vmarena.
 * Never a test: nothing here asserts a speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmarena.h>

#define PAGE		4096UL
#define MiB		(1UL << 20)
#define WIN_BYTES	(4 * MiB)		/* one first-touch unit */
#define WIN_PAGES	(WIN_BYTES / PAGE)
#define BIG_BYTES	(128 * MiB)		/* population, create+delete */
#define AS_BASE		0x40000000UL
#define AS_LEN		(1024 * MiB)
#define MAX_ROUNDS	32
#define PARAM_CLEAR	"/sys/module/vmarena/parameters/clear_target"
#define PARAM_AHEAD	"/sys/module/vmarena/parameters/fault_ahead"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

static long min_ms = 1000;
static long child_minflt;	/* minor faults of children, this measurement */
static int rounds = 5;
static const char *only;
static enum { SIDE_BOTH, SIDE_VA, SIDE_NAT } side;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vmarena-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* ------------------------------------------------------------ vmarena -- */

static int ctl = -1;	/* /dev/vmarena */
static int asfd = -1;	/* the aspace */
static char *win;	/* a window over the whole aspace */

static void stats(struct vmarena_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	if (ioctl(ctl, VMARENA_IOC_STATS, s))
		die("VMARENA_IOC_STATS");
}


static uint32_t area_create(unsigned long len, uint32_t wiring, uint64_t *addr)
{
	struct vmarena_area_create a = {
		.size = sizeof(a),
		.addr_spec = VMARENA_ADDR_ANY,
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.length = len,
		.wiring = wiring,
	};

	if (ioctl(asfd, VMARENA_IOC_AREA_CREATE_ANON, &a))
		die("AREA_CREATE_ANON %lu", len);
	*addr = a.out_address;
	return a.out_id;
}

static uint32_t area_clone(uint32_t source, uint64_t *addr)
{
	struct vmarena_area_create a = {
		.size = sizeof(a),
		.addr_spec = VMARENA_ADDR_ANY,
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.mapping = VMARENA_MAP_PRIVATE,
		.source_id = source,
	};

	if (ioctl(asfd, VMARENA_IOC_AREA_CLONE, &a))
		die("AREA_CLONE");
	*addr = a.out_address;
	return a.out_id;
}

static void area_delete(uint32_t id)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = id };

	if (ioctl(asfd, VMARENA_IOC_AREA_DELETE, &op))
		die("AREA_DELETE");
}

static char *at(uint64_t addr)
{
	return win + (addr - AS_BASE);
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die("write %s", path);
	close(fd);
}

static void set_clear_target(unsigned long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu", n);
	write_file(PARAM_CLEAR, buf);
}

static unsigned long clear_target_default = 64;

/* fault_ahead: 0 makes every first touch fault (fault_ahead.c). */
static char fault_ahead_default[16] = "16";

static void set_fault_ahead(const char *n)
{
	write_file(PARAM_AHEAD, n);
}

/* Wait (untimed) until the clear pool holds @n zeroed pages. */
static void wait_clear(unsigned long n)
{
	struct vmarena_stats s;
	int i;

	for (i = 0; i < 5000; i++) {
		stats(&s);
		if (s.out_pages[VMARENA_PAGE_STATE_CLEAR] >= n)
			return;
		usleep(1000);
	}
	fprintf(stderr, "vmarena-bench: clear pool stuck at %llu of %lu pages\n",
		(unsigned long long)s.out_pages[VMARENA_PAGE_STATE_CLEAR], n);
}

static void vmarena_open(void)
{
	struct vmarena_aspace_create a = {
		.size = sizeof(a), .base = AS_BASE, .length = AS_LEN,
	};

	ctl = open("/dev/vmarena", O_RDWR);
	if (ctl < 0)
		die("open /dev/vmarena");
	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &a))
		die("ASPACE_CREATE");
	asfd = a.out_fd;
	win = mmap(NULL, AS_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, asfd, AS_BASE);
	if (win == MAP_FAILED)
		die("mmap window");
}

/* ------------------------------------------------------------- touches -- */

static void touch_write(char *p, unsigned long len)
{
	for (unsigned long o = 0; o < len; o += PAGE)
		((volatile char *)p)[o] = 1;
}

static unsigned long touch_read(char *p, unsigned long len)
{
	unsigned long sum = 0;

	for (unsigned long o = 0; o < len; o += PAGE)
		sum += ((volatile char *)p)[o];
	return sum;
}

static char *anon_map(unsigned long len, int flags)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap anon %lu", len);
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* ---------------------------------------------------------- the engine -- */

/*
 * One side of a metric.  ->unit() does one unit of work and returns the
 * nanoseconds of its timed part; ->work is the work one unit does (pages
 * or operations).  ->setup/->teardown run once per measurement, untimed.
 * ->rate, if set, replaces the unit loop: it returns work per second
 * (scaling metrics).
 */
struct side {
	void (*setup)(void);
	uint64_t (*unit)(void);
	void (*teardown)(void);
	double (*rate)(void);
	double work;
};

struct metric {
	const char *name;
	const char *unit;		/* of the values: "us/page", "us/op", "x" */
	const char *goal;		/* text, for the report */
	double goal_ratio;		/* 0: none */
	struct side va, nat;
	bool scaling;			/* values are rates: ratio = va / nat */
	void (*before)(void);		/* once, before the rounds */
	void (*after)(void);
	/* results */
	double va_v[MAX_ROUNDS], nat_v[MAX_ROUNDS], ratio_v[MAX_ROUNDS];
	double va_faults, va_minflt, nat_minflt;	/* per unit of work */
	double clear_hit_share;				/* -1: not measured */
};

struct measure {
	double value;		/* us per work unit, or work per second */
	double va_faults, minflt;	/* per work unit */
	uint64_t hits, misses;
};

/* Per-side tallies of one interleaved round. */
struct tally {
	uint64_t timed, wall, units, faults, hits, misses;
	long minflt;
};

/* One unit of @s, its faults and clear-pool hits added to @t. */
static void unit_once(struct side *s, struct tally *t)
{
	struct vmarena_stats s0, s1;
	uint64_t w0 = now_ns();
	long f0;

	stats(&s0);
	child_minflt = 0;
	f0 = minflt();
	t->timed += s->unit();
	t->minflt += minflt() - f0 + child_minflt;
	stats(&s1);
	t->faults += s1.out_faults - s0.out_faults;
	t->hits += s1.out_clear_hits - s0.out_clear_hits;
	t->misses += s1.out_clear_misses - s0.out_clear_misses;
	t->units++;
	t->wall += now_ns() - w0;
}

static struct measure tally_measure(const struct side *s, const struct tally *t)
{
	double work = t->units * s->work;

	return (struct measure){
		.value = t->timed / 1000.0 / work,
		.va_faults = t->faults / work,
		.minflt = t->minflt / work,
		.hits = t->hits,
		.misses = t->misses,
	};
}

/*
 * One round of a per-unit metric: the two sides' units interleaved, one
 * of each in turn (the first alternating between rounds), until each side
 * has run for min_ms, so that both see the same load on a busy machine.
 */
static void measure_pair(struct metric *mt, int round, struct measure *va, struct measure *nat)
{
	struct tally tv = { 0 }, tn = { 0 };
	uint64_t min = (uint64_t)min_ms * 1000000ULL;

	if (mt->va.setup)
		mt->va.setup();
	if (mt->nat.setup)
		mt->nat.setup();
	/* -s: one side only (for a profile); the other reads as zero time. */
	while ((tv.wall < min && side != SIDE_NAT) || (tn.wall < min && side != SIDE_VA)) {
		if (round % 2) {
			if (side != SIDE_VA)
				unit_once(&mt->nat, &tn);
			if (side != SIDE_NAT)
				unit_once(&mt->va, &tv);
		} else {
			if (side != SIDE_NAT)
				unit_once(&mt->va, &tv);
			if (side != SIDE_VA)
				unit_once(&mt->nat, &tn);
		}
	}
	if (mt->nat.teardown)
		mt->nat.teardown();
	if (mt->va.teardown)
		mt->va.teardown();
	*va = tally_measure(&mt->va, &tv);
	*nat = tally_measure(&mt->nat, &tn);
}

/* A rate metric's side: ->rate() once (unless -s left it out: zero). */
static struct measure measure_rate(struct side *s, bool run)
{
	struct vmarena_stats s0, s1;
	struct measure m = { 0 };

	if (!run)
		return m;
	stats(&s0);
	m.value = s->rate();
	stats(&s1);
	m.hits = s1.out_clear_hits - s0.out_clear_hits;
	m.misses = s1.out_clear_misses - s0.out_clear_misses;
	return m;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double t[MAX_ROUNDS];

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double spread(const double *v, int n)
{
	double lo = v[0], hi = v[0], med = median(v, n);

	for (int i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return med ? (hi - lo) / med : 0;
}

static void run_metric(struct metric *mt)
{
	uint64_t hits = 0, misses = 0;

	fprintf(stderr, "vmarena-bench: %s\n", mt->name);
	if (mt->before)
		mt->before();
	mt->clear_hit_share = -1;
	for (int r = 0; r < rounds; r++) {
		struct measure a, b;

		if (!mt->scaling) {
			measure_pair(mt, r, &a, &b);
		} else if (r % 2) {
			b = measure_rate(&mt->nat, side != SIDE_VA);
			a = measure_rate(&mt->va, side != SIDE_NAT);
		} else {
			a = measure_rate(&mt->va, side != SIDE_NAT);
			b = measure_rate(&mt->nat, side != SIDE_VA);
		}
		mt->va_v[r] = a.value;
		mt->nat_v[r] = b.value;
		mt->ratio_v[r] = mt->scaling ? a.value / b.value : b.value / a.value;
		mt->va_faults = a.va_faults;
		mt->va_minflt = a.minflt;
		mt->nat_minflt = b.minflt;
		hits += a.hits;
		misses += a.misses;
	}
	if (hits + misses)
		mt->clear_hit_share = (double)hits / (hits + misses);
	if (mt->after)
		mt->after();
}

/* ------------------------------------------------ 1. first-touch fault -- */

static uint64_t va_first_touch(void)
{
	uint64_t addr, t0, t;
	uint32_t id;

	t0 = now_ns();
	id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &addr);
	touch_write(at(addr), WIN_BYTES);
	area_delete(id);
	t = now_ns() - t0;
	return t;
}

static uint64_t va_first_touch_warm(void)
{
	wait_clear(WIN_PAGES);	/* untimed: the pool fills between bursts */
	return va_first_touch();
}

static uint64_t nat_first_touch(void)
{
	uint64_t t0 = now_ns();
	char *p = anon_map(WIN_BYTES, 0);

	touch_write(p, WIN_BYTES);
	munmap(p, WIN_BYTES);
	return now_ns() - t0;
}

static void pool_warm(void)
{
	set_clear_target(WIN_PAGES + 64);
}

static void pool_empty(void)
{
	set_clear_target(0);
}

static void pool_default(void)
{
	set_clear_target(clear_target_default);
}

static void pool_warm_no_ahead(void)
{
	pool_warm();
	set_fault_ahead("0");
}

static void pool_default_ahead(void)
{
	set_fault_ahead(fault_ahead_default);
	pool_default();
}

/* ------------------------------------------------------- 2. COW fault -- */

static uint32_t cow_src;
static uint64_t cow_src_addr;

static void cow_before(void)
{
	cow_src = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &cow_src_addr);
	memset(at(cow_src_addr), 7, WIN_BYTES);
}

static void cow_after(void)
{
	area_delete(cow_src);
}

static uint64_t va_cow(void)
{
	uint64_t addr, t0, t;
	uint32_t id = area_clone(cow_src, &addr);

	t0 = now_ns();
	touch_write(at(addr), WIN_BYTES);
	t = now_ns() - t0;
	area_delete(id);
	return t;
}

static char *fork_mem;

static void fork_setup(void)
{
	fork_mem = anon_map(WIN_BYTES, 0);
	memset(fork_mem, 7, WIN_BYTES);
}

static void fork_teardown(void)
{
	munmap(fork_mem, WIN_BYTES);
}

/*
 * The child times its writes to the inherited memory and sends the time
 * and its minor faults back; the parent's own faults are not the work.
 */
static uint64_t nat_fork_cow(void)
{
	uint64_t res[2];
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		long f0 = minflt();
		uint64_t t0 = now_ns();

		touch_write(fork_mem, WIN_BYTES);
		res[0] = now_ns() - t0;
		res[1] = minflt() - f0;
		if (write(pfd[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		die("fork child");
	close(pfd[0]);
	waitpid(pid, &st, 0);
	child_minflt += res[1];
	return res[0];
}

static int file_fd = -1;

static void file_setup(void)
{
	char *buf = malloc(WIN_BYTES);

	file_fd = open("/tmp/vmarena-bench.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (file_fd < 0 || !buf)
		die("bench file");
	memset(buf, 7, WIN_BYTES);
	if (write(file_fd, buf, WIN_BYTES) != (ssize_t)WIN_BYTES)
		die("write bench file");
	free(buf);
}

static void file_teardown(void)
{
	close(file_fd);
	unlink("/tmp/vmarena-bench.file");
}

static uint64_t nat_file_private(void)
{
	char *p = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, file_fd, 0);
	uint64_t t0, t;

	if (p == MAP_FAILED)
		die("mmap file");
	t0 = now_ns();
	touch_write(p, WIN_BYTES);
	t = now_ns() - t0;
	munmap(p, WIN_BYTES);
	return t;
}

/* ----------------------------------------------- 3. resident re-fault -- */

static uint32_t res_id;
static uint64_t res_addr;
static int memfd = -1;
static char *memfd_map;

static void res_before(void)
{
	res_id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &res_addr);
	memset(at(res_addr), 3, WIN_BYTES);
	memfd = syscall(SYS_memfd_create, "vmarena-bench", 0);
	if (memfd < 0 || ftruncate(memfd, WIN_BYTES))
		die("memfd");
	memfd_map = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (memfd_map == MAP_FAILED)
		die("mmap memfd");
	memset(memfd_map, 3, WIN_BYTES);	/* resident, like the area */
}

static void res_after(void)
{
	area_delete(res_id);
	munmap(memfd_map, WIN_BYTES);
	close(memfd);
}

/* A second window over the resident area: map, read every page, unmap. */
static uint64_t va_refault(void)
{
	uint64_t t0 = now_ns();
	char *p = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, asfd, res_addr);

	if (p == MAP_FAILED)
		die("mmap second window");
	touch_read(p, WIN_BYTES);
	munmap(p, WIN_BYTES);
	return now_ns() - t0;
}

static uint64_t nat_refault(void)
{
	uint64_t t0 = now_ns();
	char *p = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);

	if (p == MAP_FAILED)
		die("mmap memfd");
	touch_read(p, WIN_BYTES);
	munmap(p, WIN_BYTES);
	return now_ns() - t0;
}

/* The same, writing: write faults on a shared mapping take no fault-around. */
static uint64_t va_refault_write(void)
{
	uint64_t t0 = now_ns();
	char *p = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, asfd, res_addr);

	if (p == MAP_FAILED)
		die("mmap second window");
	touch_write(p, WIN_BYTES);
	munmap(p, WIN_BYTES);
	return now_ns() - t0;
}

static uint64_t nat_refault_write(void)
{
	uint64_t t0 = now_ns();
	char *p = mmap(NULL, WIN_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);

	if (p == MAP_FAILED)
		die("mmap memfd");
	touch_write(p, WIN_BYTES);
	munmap(p, WIN_BYTES);
	return now_ns() - t0;
}

/* ------------------------------------------------------ 4. population -- */

static uint64_t va_populate(void)
{
	uint64_t addr, t0 = now_ns();
	uint32_t id = area_create(BIG_BYTES, VMARENA_WIRING_WIRED, &addr);
	/* A window made after the area: wired areas are mapped into it. */
	char *p = mmap(NULL, BIG_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, asfd, addr);

	if (p == MAP_FAILED)
		die("mmap wired window");
	touch_write(p, BIG_BYTES);
	munmap(p, BIG_BYTES);
	area_delete(id);
	return now_ns() - t0;
}

static uint64_t nat_populate(void)
{
	uint64_t t0 = now_ns();
	char *p = anon_map(BIG_BYTES, MAP_POPULATE);

	touch_write(p, BIG_BYTES);
	munmap(p, BIG_BYTES);
	return now_ns() - t0;
}

/* -------------------------------------------- 5. create + delete, 128M -- */

static uint64_t va_create_delete(void)
{
	uint64_t addr, t0 = now_ns();

	area_delete(area_create(BIG_BYTES, VMARENA_WIRING_LAZY, &addr));
	return now_ns() - t0;
}

static uint64_t nat_mmap_munmap(void)
{
	uint64_t t0 = now_ns();
	char *p = mmap(NULL, BIG_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	munmap(p, BIG_BYTES);
	return now_ns() - t0;
}

/* ---------------------------------------------------- 6. control path -- */

static uint32_t info_id;
static uint64_t info_addr;
static int pipefd[2] = { -1, -1 };

static void ctl_before(void)
{
	info_id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &info_addr);
	if (pipe(pipefd))
		die("pipe");
}

static void ctl_after(void)
{
	area_delete(info_id);
	close(pipefd[0]);
	close(pipefd[1]);
}

#define CTL_BATCH 256

static uint64_t va_info(void)
{
	struct vmarena_area_info ai;
	uint64_t t0 = now_ns();

	for (int i = 0; i < CTL_BATCH; i++) {
		memset(&ai, 0, sizeof(ai));
		ai.size = sizeof(ai);
		ai.id = info_id;
		if (ioctl(asfd, VMARENA_IOC_AREA_INFO, &ai))
			die("AREA_INFO");
	}
	return now_ns() - t0;
}

static uint64_t nat_fionread(void)
{
	uint64_t t0 = now_ns();
	int n;

	for (int i = 0; i < CTL_BATCH; i++)
		if (ioctl(pipefd[0], FIONREAD, &n))
			die("FIONREAD");
	return now_ns() - t0;
}

/* ---------------------------------------------------- 7. userfaultfd -- */

struct uffd_peer {
	int uffd;
	int stop[2];
	bool copy;
	pthread_t thread;
	char zero[PAGE] __attribute__((aligned(PAGE)));
};

static struct uffd_peer uf;

static void *uffd_handler(void *arg)
{
	struct uffd_peer *u = arg;
	struct uffd_msg msg;
	struct pollfd pfd[2] = {
		{ .fd = u->uffd, .events = POLLIN },
		{ .fd = u->stop[0], .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll uffd");
		}
		if (pfd[1].revents)
			return NULL;
		if (read(u->uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			if (errno == EAGAIN)
				continue;
			die("read uffd");
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		unsigned long addr = msg.arg.pagefault.address & ~(PAGE - 1);

		if (u->copy) {
			struct uffdio_copy c = {
				.dst = addr, .src = (unsigned long)u->zero, .len = PAGE,
			};

			if (ioctl(u->uffd, UFFDIO_COPY, &c) && errno != EEXIST)
				die("UFFDIO_COPY");
		} else {
			struct uffdio_zeropage z = {
				.range = { .start = addr, .len = PAGE },
			};

			if (ioctl(u->uffd, UFFDIO_ZEROPAGE, &z) && errno != EEXIST)
				die("UFFDIO_ZEROPAGE");
		}
	}
}

static void uffd_start(bool copy)
{
	struct uffdio_api api = { .api = UFFD_API };

	uf.copy = copy;
	uf.uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uf.uffd < 0)
		die("userfaultfd");
	if (ioctl(uf.uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	if (pipe(uf.stop))
		die("pipe");
	if (pthread_create(&uf.thread, NULL, uffd_handler, &uf))
		die("pthread_create");
}

static void uffd_zero_setup(void)
{
	uffd_start(false);
}

static void uffd_copy_setup(void)
{
	uffd_start(true);
}

static void uffd_teardown(void)
{
	if (write(uf.stop[1], "", 1) != 1)
		die("stop uffd");
	pthread_join(uf.thread, NULL);
	close(uf.stop[0]);
	close(uf.stop[1]);
	close(uf.uffd);
}

/* Map, register, write every page (each fault served by the thread), unmap. */
static uint64_t uffd_first_touch(void)
{
	uint64_t t0 = now_ns();
	char *p = anon_map(WIN_BYTES, 0);
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)p, .len = WIN_BYTES },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	if (ioctl(uf.uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	touch_write(p, WIN_BYTES);
	munmap(p, WIN_BYTES);	/* unregisters too */
	return now_ns() - t0;
}

/* ---------------------------------------------------------- 8. scaling -- */

struct scal {
	pthread_t t;
	pthread_barrier_t *bar;
	bool va, shared;
	int idx, nthreads;
	volatile bool *stop;
	char *shared_mem;
	unsigned long pages;
};

static void *scal_thread(void *arg)
{
	struct scal *s = arg;
	unsigned long half = WIN_BYTES / s->nthreads;

	pthread_barrier_wait(s->bar);
	while (!*s->stop) {
		if (s->shared) {
			/* One area (or mapping) per burst, each thread its part. */
			touch_write(s->shared_mem + s->idx * half, half);
			s->pages += half / PAGE;
			pthread_barrier_wait(s->bar);	/* all touched */
			pthread_barrier_wait(s->bar);	/* main made a new one */
		} else if (s->va) {
			uint64_t addr;
			uint32_t id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &addr);

			touch_write(at(addr), WIN_BYTES);
			area_delete(id);
			s->pages += WIN_PAGES;
		} else {
			char *p = anon_map(WIN_BYTES, 0);

			touch_write(p, WIN_BYTES);
			munmap(p, WIN_BYTES);
			s->pages += WIN_PAGES;
		}
	}
	return NULL;
}

/* Pages per second that @n threads fault in together. */
static double scal_run(bool va, bool shared, int n)
{
	struct scal s[2] = { 0 };
	pthread_barrier_t bar;
	volatile bool stop = false;
	uint64_t t0, t;
	unsigned long pages = 0;
	uint32_t id = 0;
	uint64_t addr;
	char *mem = NULL;

	pthread_barrier_init(&bar, NULL, n + 1);
	if (shared) {
		if (va) {
			id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &addr);
			mem = at(addr);
		} else {
			mem = anon_map(WIN_BYTES, 0);
		}
	}
	for (int i = 0; i < n; i++) {
		s[i] = (struct scal){ .bar = &bar, .va = va, .shared = shared, .idx = i,
				      .nthreads = n, .stop = &stop, .shared_mem = mem };
		if (pthread_create(&s[i].t, NULL, scal_thread, &s[i]))
			die("pthread_create");
	}
	t0 = now_ns();
	pthread_barrier_wait(&bar);
	if (shared) {
		/* Bursts: a fresh area each time, until the time is up. */
		for (;;) {
			pthread_barrier_wait(&bar);	/* all touched */
			if (va) {
				area_delete(id);
				id = area_create(WIN_BYTES, VMARENA_WIRING_LAZY, &addr);
				mem = at(addr);
			} else {
				munmap(mem, WIN_BYTES);
				mem = anon_map(WIN_BYTES, 0);
			}
			for (int i = 0; i < n; i++)
				s[i].shared_mem = mem;
			if (now_ns() - t0 >= (uint64_t)min_ms * 1000000ULL)
				stop = true;
			pthread_barrier_wait(&bar);	/* go on (or stop) */
			if (stop)
				break;
		}
	} else {
		usleep(min_ms * 1000);
		stop = true;
	}
	for (int i = 0; i < n; i++) {
		pthread_join(s[i].t, NULL);
		pages += s[i].pages;
	}
	t = now_ns() - t0;
	if (shared) {
		if (va)
			area_delete(id);
		else
			munmap(mem, WIN_BYTES);
	}
	pthread_barrier_destroy(&bar);
	return pages / (t / 1e9);
}

static double va_scal_distinct(void)
{
	return scal_run(true, false, 2) / scal_run(true, false, 1);
}

static double nat_scal_distinct(void)
{
	return scal_run(false, false, 2) / scal_run(false, false, 1);
}

static double va_scal_shared(void)
{
	return scal_run(true, true, 2) / scal_run(true, true, 1);
}

static double nat_scal_shared(void)
{
	return scal_run(false, true, 2) / scal_run(false, true, 1);
}

/* -------------------------------------------------- 9. memory overhead -- */

/* Bytes the radix_tree_node slab (xarray nodes) holds now, or -1. */
static long xa_node_bytes(void)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512], name[64];
	long active, num, objsize, bytes = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &num, &objsize) == 4 &&
		    !strcmp(name, "radix_tree_node"))
			bytes = active * objsize;
	fclose(f);
	return bytes;
}

/*
 * xa_node_bytes() once the nodes earlier runs dropped are freed (RCU frees
 * them a little later, and counting them made the index cost come out
 * negative): two reads 100 ms apart agree, or 5 s passed.
 */
static long xa_node_bytes_settled(void)
{
	long prev = xa_node_bytes(), now = prev;

	for (int i = 0; i < 50; i++) {
		usleep(100000);
		now = xa_node_bytes();
		if (now == prev)
			break;
		prev = now;
	}
	return now;
}

/* The process's page-table bytes (VmPTE), or -1. */
static long vm_pte_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

struct memory {
	double meta_struct;	/* descriptor bytes per page (stats) */
	double meta_index;	/* xarray node bytes per resident page (slabinfo) */
	double frag_per_mib;	/* fragment table bytes per mapped MiB */
	double window_pte_per_mib;	/* the window's Linux page tables per MiB */
	double native_pte_per_mib;	/* anonymous memory's page tables per MiB */
	double pages;
};

static struct memory memory_measure(void)
{
	struct vmarena_stats s0, s1;
	struct memory m = { 0 };
	long x0, x1, pte0, pte1;
	uint64_t addr;
	uint32_t id;
	char *p;

	m.pages = BIG_BYTES / PAGE;
	stats(&s0);
	x0 = xa_node_bytes_settled();
	pte0 = vm_pte_bytes();
	id = area_create(BIG_BYTES, VMARENA_WIRING_LAZY, &addr);
	touch_write(at(addr), BIG_BYTES);
	stats(&s1);
	x1 = xa_node_bytes_settled();
	pte1 = vm_pte_bytes();
	m.meta_struct = s1.out_page_meta_bytes;
	/* Unknown (NAN) without slabinfo or if other frees still got in. */
	m.meta_index = x0 >= 0 && x1 >= x0 ? (double)(x1 - x0) / m.pages : NAN;
	m.frag_per_mib = (double)(s1.out_ptfrag_tables - s0.out_ptfrag_tables) * PAGE /
			 (BIG_BYTES / MiB);
	m.window_pte_per_mib = pte0 >= 0 ? (double)(pte1 - pte0) / (BIG_BYTES / MiB) : -1;
	area_delete(id);

	pte0 = vm_pte_bytes();
	p = anon_map(BIG_BYTES, 0);
	touch_write(p, BIG_BYTES);
	pte1 = vm_pte_bytes();
	munmap(p, BIG_BYTES);
	m.native_pte_per_mib = pte0 >= 0 ? (double)(pte1 - pte0) / (BIG_BYTES / MiB) : -1;
	return m;
}

/* ------------------------------------------------------------- report -- */

#define SIDE(u, w) { .unit = (u), .work = (w) }

static struct metric metrics[] = {
	{ .name = "first_touch_4k_pool_warm", .unit = "us/page",
	  .goal = ">= 1.5x native", .goal_ratio = 1.5,
	  .va = SIDE(va_first_touch_warm, WIN_PAGES), .nat = SIDE(nat_first_touch, WIN_PAGES),
	  .before = pool_warm, .after = pool_default },
	{ .name = "first_touch_4k_pool_warm_no_ahead", .unit = "us/page",
	  .goal = "(fault_ahead=0: one fault per page)",
	  .va = SIDE(va_first_touch_warm, WIN_PAGES), .nat = SIDE(nat_first_touch, WIN_PAGES),
	  .before = pool_warm_no_ahead, .after = pool_default_ahead },
	{ .name = "first_touch_4k_pool_default", .unit = "us/page",
	  .goal = "(pool at its default target, refilled concurrently)",
	  .va = SIDE(va_first_touch, WIN_PAGES), .nat = SIDE(nat_first_touch, WIN_PAGES),
	  .before = pool_default },
	{ .name = "first_touch_4k_pool_empty", .unit = "us/page",
	  .goal = ">= 1.0x native", .goal_ratio = 1.0,
	  .va = SIDE(va_first_touch, WIN_PAGES), .nat = SIDE(nat_first_touch, WIN_PAGES),
	  .before = pool_empty, .after = pool_default },
	{ .name = "cow_vs_fork", .unit = "us/page", .goal = ">= 1.0x native", .goal_ratio = 1.0,
	  .va = SIDE(va_cow, WIN_PAGES),
	  .nat = { .setup = fork_setup, .unit = nat_fork_cow, .teardown = fork_teardown,
		   .work = WIN_PAGES },
	  .before = cow_before, .after = cow_after },
	{ .name = "cow_vs_file_private", .unit = "us/page", .goal = ">= 1.0x native",
	  .goal_ratio = 1.0, .va = SIDE(va_cow, WIN_PAGES),
	  .nat = { .setup = file_setup, .unit = nat_file_private, .teardown = file_teardown,
		   .work = WIN_PAGES },
	  .before = cow_before, .after = cow_after },
	{ .name = "refault_resident_read", .unit = "us/page", .goal = ">= 1.0x native",
	  .goal_ratio = 1.0, .va = SIDE(va_refault, WIN_PAGES), .nat = SIDE(nat_refault, WIN_PAGES),
	  .before = res_before, .after = res_after },
	{ .name = "refault_resident_write", .unit = "us/page", .goal = ">= 1.0x native",
	  .goal_ratio = 1.0, .va = SIDE(va_refault_write, WIN_PAGES),
	  .nat = SIDE(nat_refault_write, WIN_PAGES), .before = res_before, .after = res_after },
	{ .name = "populate_wired_128m", .unit = "us/page", .goal = "(no goal)",
	  .va = SIDE(va_populate, BIG_BYTES / PAGE), .nat = SIDE(nat_populate, BIG_BYTES / PAGE) },
	{ .name = "create_delete_128m", .unit = "us/op", .goal = ">= 1.0x native",
	  .goal_ratio = 1.0, .va = SIDE(va_create_delete, 1), .nat = SIDE(nat_mmap_munmap, 1) },
	{ .name = "control_ioctl", .unit = "us/op", .goal = "(no goal)",
	  .va = SIDE(va_info, CTL_BATCH), .nat = SIDE(nat_fionread, CTL_BATCH),
	  .before = ctl_before, .after = ctl_after },
	{ .name = "first_touch_vs_uffd_zeropage", .unit = "us/page", .goal = ">= 10x uffd",
	  .goal_ratio = 10, .va = SIDE(va_first_touch, WIN_PAGES),
	  .nat = { .setup = uffd_zero_setup, .unit = uffd_first_touch,
		   .teardown = uffd_teardown, .work = WIN_PAGES } },
	{ .name = "first_touch_vs_uffd_copy", .unit = "us/page", .goal = ">= 10x uffd",
	  .goal_ratio = 10, .va = SIDE(va_first_touch, WIN_PAGES),
	  .nat = { .setup = uffd_copy_setup, .unit = uffd_first_touch,
		   .teardown = uffd_teardown, .work = WIN_PAGES } },
	{ .name = "scaling_2t_distinct_areas", .unit = "x (2t/1t)", .goal = ">= 1.8x (vmarena)",
	  .goal_ratio = 1.8, .scaling = true, .va = { .rate = va_scal_distinct }, .nat = { .rate = nat_scal_distinct } },
	{ .name = "scaling_2t_distinct_areas_pool_empty", .unit = "x (2t/1t)",
	  .goal = "(no goal: clear worker off)", .scaling = true,
	  .va = { .rate = va_scal_distinct }, .nat = { .rate = nat_scal_distinct },
	  .before = pool_empty, .after = pool_default },
	{ .name = "scaling_2t_one_area", .unit = "x (2t/1t)", .goal = "(no goal)",
	  .scaling = true, .va = { .rate = va_scal_shared }, .nat = { .rate = nat_scal_shared } },
};

#define NR_METRICS (sizeof(metrics) / sizeof(metrics[0]))

/* Scaling goals bound vmarena's own scaling, the others the ratio. */
static bool has_goal(const struct metric *mt)
{
	return mt->goal_ratio > 0;
}

static bool goal_met(const struct metric *mt, double ratio)
{
	if (!has_goal(mt))
		return true;
	if (mt->scaling)
		return median(mt->va_v, rounds) >= mt->goal_ratio;
	return ratio >= mt->goal_ratio;
}

/* A number for the JSON: null when it was not measured (one side only). */
static void json_num(FILE *j, const char *key, double v)
{
	if (isfinite(v))
		fprintf(j, ", \"%s\": %.4f", key, v);
	else
		fprintf(j, ", \"%s\": null", key);
}

static void report(const char *json_path, const struct memory *mem)
{
	double meta = mem->meta_struct + mem->meta_index;	/* NAN if unknown */
	struct utsname u;
	FILE *j = stdout;
	char date[64];
	time_t t = time(NULL);

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	printf("\nvmarena-bench on Linux %s, %ld CPUs, %d rounds of >= %ld ms per side\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), rounds, min_ms);
	printf("ratio: native/vmarena time (>1: vmarena faster); scaling: vmarena/native\n\n");
	printf("%-30s %12s %12s %8s %7s  %-9s %s\n", "metric", "vmarena", "native", "ratio",
	       "spread", "unit", "faults/page va|minflt va|nat");
	for (unsigned int i = 0; i < NR_METRICS; i++) {
		struct metric *mt = &metrics[i];

		if (only && !strstr(mt->name, only))
			continue;
		double r = median(mt->ratio_v, rounds);

		printf("%-30s %12.3f %12.3f %7.2fx %6.1f%%  %-9s", mt->name,
		       median(mt->va_v, rounds), median(mt->nat_v, rounds), r,
		       100 * spread(mt->ratio_v, rounds), mt->unit);
		if (!mt->scaling)
			printf(" %.3f|%.3f|%.3f", mt->va_faults, mt->va_minflt, mt->nat_minflt);
		if (mt->clear_hit_share >= 0)
			printf(" clear-hits %.0f%%", 100 * mt->clear_hit_share);
		printf(" %s\n", !has_goal(mt) ? "" : !isfinite(r) ? "(one side only)" :
		       goal_met(mt, r) ? "goal met" : "GOAL MISSED");
	}
	printf("%-30s %12.1f %12s %8s %7s  %-9s (descriptor %.0f + index %.1f) %s\n",
	       "metadata_bytes_per_page", meta, "-", "-", "-", "B/page", mem->meta_struct,
	       mem->meta_index, !isfinite(meta) ? "index not measured" :
	       meta <= 64 ? "goal met" : "GOAL MISSED");
	printf("%-30s %12.1f %12.1f %8s %7s  %-9s (window's own PTEs %.1f)\n",
	       "ptfrag_bytes_per_mib", mem->frag_per_mib, mem->native_pte_per_mib, "-", "-",
	       "B/MiB", mem->window_pte_per_mib);

	if (json_path) {
		j = fopen(json_path, "w");
		if (!j)
			die("open %s", json_path);
	}
	fprintf(j, "{\"kernel\": \"%s\", \"date\": \"%s\", \"cpus\": %ld, \"rounds\": %d, "
		"\"min_ms\": %ld,\n \"metrics\": [\n", u.release, date,
		sysconf(_SC_NPROCESSORS_ONLN), rounds, min_ms);
	for (unsigned int i = 0; i < NR_METRICS; i++) {
		struct metric *mt = &metrics[i];

		if (only && !strstr(mt->name, only))
			continue;
		double r = median(mt->ratio_v, rounds);

		fprintf(j, "  {\"name\": \"%s\", \"unit\": \"%s\"", mt->name, mt->unit);
		json_num(j, "vmarena", median(mt->va_v, rounds));
		json_num(j, "native", median(mt->nat_v, rounds));
		json_num(j, "ratio", r);
		json_num(j, "spread", spread(mt->ratio_v, rounds));
		fprintf(j, ", \"ratio_rounds\": [");
		for (int k = 0; k < rounds; k++)
			fprintf(j, isfinite(mt->ratio_v[k]) ? "%s%.4f" : "%snull", k ? ", " : "",
				mt->ratio_v[k]);
		fprintf(j, "], \"goal\": \"%s\", \"goal_ratio\": %.2f, \"goal_met\": %s, "
			"\"scaling\": %s", mt->goal, mt->goal_ratio,
			goal_met(mt, r) ? "true" : "false", mt->scaling ? "true" : "false");
		if (!mt->scaling) {
			json_num(j, "vmarena_faults_per_page", mt->va_faults);
			json_num(j, "vmarena_minflt_per_page", mt->va_minflt);
			json_num(j, "native_minflt_per_page", mt->nat_minflt);
		}
		if (mt->clear_hit_share >= 0)
			fprintf(j, ", \"clear_hit_share\": %.4f", mt->clear_hit_share);
		fprintf(j, "},\n");
	}
	fprintf(j, "  {\"name\": \"metadata_bytes_per_page\", \"unit\": \"B/page\"");
	json_num(j, "vmarena", meta);
	fprintf(j, ", \"native\": null, \"ratio\": null, \"spread\": null");
	json_num(j, "descriptor", mem->meta_struct);
	json_num(j, "index", mem->meta_index);
	fprintf(j, ", \"goal\": \"<= 64\", \"goal_met\": %s},\n",
		isfinite(meta) && meta <= 64 ? "true" : "false");
	fprintf(j, "  {\"name\": \"ptfrag_bytes_per_mib\", \"unit\": \"B/MiB\", "
		"\"vmarena\": %.2f, \"native\": %.2f, \"ratio\": null, \"spread\": null, "
		"\"window_pte_per_mib\": %.2f, \"goal\": \"(no goal)\"}\n ]}\n",
		mem->frag_per_mib, mem->native_pte_per_mib, mem->window_pte_per_mib);
	if (j != stdout)
		fclose(j);
}

int main(int argc, char **argv)
{
	const char *json = NULL;
	struct memory mem;
	FILE *f;
	int c;

	while ((c = getopt(argc, argv, "m:r:j:o:s:")) != -1) {
		switch (c) {
		case 'm':
			min_ms = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'j':
			json = optarg;
			break;
		case 'o':
			only = optarg;
			break;
		case 's':
			if (!strcmp(optarg, "vmarena"))
				side = SIDE_VA;
			else if (!strcmp(optarg, "native"))
				side = SIDE_NAT;
			else
				side = -1;
			break;
		default:
			fprintf(stderr, "usage: %s [-m MIN_MS] [-r ROUNDS] [-j JSON] [-o ONLY] [-s SIDE]\n",
				argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || min_ms < 1 || (int)side < 0) {
		fprintf(stderr, "vmarena-bench: rounds 1..%d, min_ms >= 1, side vmarena or native\n",
			MAX_ROUNDS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The native side never gets huge pages (will-it-scale's runs neither). */
	f = fopen(THP_ENABLED, "w");
	if (f) {
		fputs("never", f);
		fclose(f);
	}
	f = fopen(PARAM_AHEAD, "r");
	if (!f || !fgets(fault_ahead_default, sizeof(fault_ahead_default), f))
		die("read %s", PARAM_AHEAD);
	fclose(f);
	f = fopen(PARAM_CLEAR, "r");
	if (!f || fscanf(f, "%lu", &clear_target_default) != 1)
		die("read %s", PARAM_CLEAR);
	fclose(f);
	vmarena_open();

	for (unsigned int i = 0; i < NR_METRICS; i++)
		if (!only || strstr(metrics[i].name, only))
			run_metric(&metrics[i]);
	mem = memory_measure();
	report(json, &mem);
	return 0;
}
