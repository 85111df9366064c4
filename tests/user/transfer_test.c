// SPDX-License-Identifier: GPL-2.0
/*
 * Moves (VMARENA_IOC_AREA_TRANSFER, Haiku's transfer_area()): the area
 * leaves its aspace with its contents, protection, wiring and flags, is
 * usable where it lands, and every refusal has its errno and leaves both
 * aspaces as they were.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vt_arena.h"

#define TR_PAGES	8

static void tr_req(struct vmarena_area_copy *c, uint32_t source, uint64_t address, int src_fd)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->source_id = source;
	c->addr_spec = address ? VMARENA_ADDR_EXACT : VMARENA_ADDR_ANY;
	c->address = address;
	if (src_fd >= 0) {
		c->flags = VMARENA_COPY_SOURCE_FD;
		c->fd = src_fd;
	}
}

/* Move @source (of the aspace @src_fd, if not -1) into @as: the new id. */
static uint32_t tr_move_ok(int as, int src_fd, uint32_t source, uint64_t address,
			   uint64_t *where)
{
	struct vmarena_area_copy c;

	tr_req(&c, source, address, src_fd);
	VT_CHECK(!ioctl(as, VMARENA_IOC_AREA_TRANSFER, &c), 1, "AREA_TRANSFER of %u: %s",
		 source, strerror(errno));
	if (where)
		*where = c.out_address;
	return c.out_id;
}

/* A read-only copy of @c: the kernel can read it, not write it. */
static void *tr_readonly(const struct vmarena_area_copy *c)
{
	void *p = mmap(NULL, VA_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	memcpy(p, c, sizeof(*c));
	ASSERT_OK(mprotect(p, VA_PAGE, PROT_READ));
	return p;
}

static unsigned char *tr_at(unsigned char *w, uint64_t addr)
{
	return w + (addr - VA_BASE);
}

/*
 * A child moves the parent's area into its own aspace at the same
 * address: the contents come along, the area is gone from the parent's
 * aspace, and the child's writes land in the moved area.
 */
VT_TEST(area_transfer_moves_an_area_to_another_process)
{
	struct vmarena_area_info info;
	struct va_sync s;
	struct va_env e;
	unsigned char *w;
	uint32_t id;
	pid_t pid;

	va_env_init(&e);
	id = va_anon_ok(e.as, 0, VA_PAGES(TR_PAGES), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	va_fill(tr_at(w, info.out_base), VA_PAGES(TR_PAGES), 7);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		struct vmarena_area_info got;
		unsigned char *m;
		uint32_t moved;
		uint64_t at;
		int mine;

		va_sync_child(&s);
		mine = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
		moved = tr_move_ok(mine, e.as, id, info.out_base, &at);
		EXPECT_EQ(at, info.out_base);
		va_area_info_ok(mine, moved, &got);
		EXPECT_EQ(got.out_length, info.out_length);
		m = tr_at(va_map_ok(mine, VA_BASE, VA_PAGES(64)), at);
		EXPECT_TRUE(va_check(m, VA_PAGES(TR_PAGES), 7));
		va_fill(m, VA_PAGES(TR_PAGES), 8);
		EXPECT_TRUE(va_check(m, VA_PAGES(TR_PAGES), 8));
		va_sync_post(&s, false);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	EXPECT_ERRNO(va_area_info(e.as, id, &info), ENOENT);
	EXPECT_EQ(va_wait(pid), 0);
}

/*
 * Protection, flags and name come along; a moved area that was not shared
 * is not marked shared by the move, and its old address is free again.
 */
VT_TEST(area_transfer_keeps_protection_flags_and_name)
{
	struct vmarena_area_info before, after;
	uint32_t id, moved;
	struct va_env e;
	uint64_t at, base;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_named_ok(e.as, "mover", 0, VA_PAGES(2), VMARENA_PROT_READ,
			      VMARENA_AREA_CLONEABLE);
	va_area_info_ok(e.as, id, &before);
	base = before.out_base;
	moved = tr_move_ok(other, e.as, id, 0, &at);
	va_area_info_ok(other, moved, &after);
	EXPECT_EQ(after.out_protection, VMARENA_PROT_READ);
	EXPECT_EQ(after.out_flags, before.out_flags);
	EXPECT_TRUE(!(after.out_flags & VMARENA_AREA_SHARED));
	EXPECT_EQ(strcmp(after.out_name, "mover"), 0);
	EXPECT_ERRNO(va_area_info(e.as, id, &before), ENOENT);
	/* Back home at the same address: it is free again. */
	id = tr_move_ok(e.as, other, moved, base, NULL);
	va_area_info_ok(e.as, id, &after);
	EXPECT_EQ(after.out_base, base);
}

/* A wired area stays wired where it lands and takes no fault there. */
VT_TEST(area_transfer_of_a_wired_area_takes_no_fault)
{
	struct vmarena_area_info info;
	uint32_t id, moved;
	unsigned char *q;
	struct va_env e;
	uint64_t faults;
	uint64_t at;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_ok(e.as, 0, VA_PAGES(TR_PAGES), VA_RW, VMARENA_WIRING_WIRED);
	va_area_info_ok(e.as, id, &info);
	q = tr_at(va_map_ok(e.as, VA_BASE, VA_PAGES(64)), info.out_base);
	va_fill(q, VA_PAGES(TR_PAGES), 9);
	EXPECT_TRUE(va_check(q, VA_PAGES(TR_PAGES), 9));	/* and warms the calls */
	moved = tr_move_ok(other, e.as, id, 0, &at);
	va_area_info_ok(other, moved, &info);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_WIRED);
	q = tr_at(va_map_ok(other, VA_BASE, VA_PAGES(64)), at);
	faults = va_window_faults(other);
	EXPECT_TRUE(va_check(q, VA_PAGES(TR_PAGES), 9));
	va_fill(q, VA_PAGES(TR_PAGES), 10);
	EXPECT_EQ(va_window_faults(other) - faults, 0ULL);
}

/*
 * A contiguous run placed below 4 GiB moves as it is: the same physical
 * pages, wired, no longer flagged for a placement it already has.
 */
VT_TEST(area_transfer_of_a_placed_contiguous_area_keeps_its_pages)
{
	struct vmarena_area_info info;
	struct vmarena_area_create c;
	uint64_t phys, moved_phys, at;
	uint32_t moved;
	struct va_env e;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	va_area_req(&c, "low", VA_BASE, VA_PAGES(4), VA_RW);
	c.wiring = VMARENA_WIRING_CONTIGUOUS;
	c.flags = VMARENA_AREA_PHYS_4G;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(3), &phys));
	EXPECT_TRUE(phys < (1ULL << 32));
	moved = tr_move_ok(other, e.as, c.out_id, VA_BASE, &at);
	EXPECT_EQ(at, VA_BASE);
	va_area_info_ok(other, moved, &info);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_WIRED);
	EXPECT_EQ(info.out_flags & (VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G), 0U);
	ASSERT_OK(va_page_mapping(other, VA_BASE + VA_PAGES(3), &moved_phys));
	EXPECT_EQ(moved_phys, phys);
}

/*
 * Into a super-locked aspace: the moved area, lazy where it was, lands
 * resident and mapped in the window that was there before it, and is read
 * and written there without a fault.
 */
VT_TEST(area_transfer_into_a_superlocked_aspace_takes_no_fault)
{
	struct vmarena_area_info info;
	unsigned char *w, *q;
	uint32_t id, moved;
	struct va_env e;
	uint64_t faults;
	uint64_t at;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_ok(e.as, 0, VA_PAGES(TR_PAGES), VA_RW, VMARENA_WIRING_LAZY);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	ASSERT_OK(va_area_op(other, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED));
	q = va_map_ok(other, VA_BASE, VA_PAGES(64));
	va_area_info_ok(e.as, id, &info);
	va_fill(tr_at(w, info.out_base), VA_PAGES(TR_PAGES / 2), 3);
	EXPECT_TRUE(va_check(tr_at(w, info.out_base), VA_PAGES(TR_PAGES / 2), 3));
	moved = tr_move_ok(other, e.as, id, 0, &at);
	faults = va_window_faults(other);
	EXPECT_TRUE(va_check(tr_at(q, at), VA_PAGES(TR_PAGES / 2), 3));
	va_fill(tr_at(q, at), VA_PAGES(TR_PAGES), 4);
	EXPECT_EQ(va_window_faults(other) - faults, 0ULL);
	EXPECT_TRUE(va_check(tr_at(q, at), VA_PAGES(TR_PAGES), 4));
	ASSERT_OK(va_area_op(other, VMARENA_IOC_AREA_DELETE, moved, 0));
}

/* Every refusal has its errno and leaves both aspaces as they were. */
VT_TEST(area_transfer_refusals_have_their_errno)
{
	struct vmarena_aspace_info b1, b2, a1, a2;
	struct vmarena_area_info info;
	struct vmarena_area_copy c;
	uint32_t id, foreign, rsv;
	struct va_env e;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	foreign = va_anon_ok(other, info.out_base, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	rsv = va_null_ok(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(2), 0);
	ASSERT_OK(va_aspace_info(e.as, &b1));
	ASSERT_OK(va_aspace_info(other, &b2));

#define TR_REFUSE(err, ...) do {					\
		tr_req(&c, id, 0, e.as);				\
		__VA_ARGS__;						\
		EXPECT_ERRNO(ioctl(other, VMARENA_IOC_AREA_TRANSFER, &c), err); \
	} while (0)
	TR_REFUSE(EINVAL, c.flags = 0x2);
	TR_REFUSE(EINVAL, c.reserved = 1);
	TR_REFUSE(EINVAL, c.size = 4);
	TR_REFUSE(EINVAL, c.addr_spec = 3);
	TR_REFUSE(EINVAL, c.flags = 0);				/* fd without the flag */
	TR_REFUSE(EINVAL, c.source_id = rsv);			/* reservations stay */
	TR_REFUSE(ENOENT, c.source_id = 0);
	TR_REFUSE(ENOENT, c.source_id = 0xfffffff0u);
	TR_REFUSE(EEXIST, c.addr_spec = VMARENA_ADDR_EXACT; c.address = info.out_base);
	TR_REFUSE(EPERM, c.flags = 0; c.fd = 0);		/* not the target's own */
	TR_REFUSE(EPERM, c.fd = other);				/* an fd of another aspace */
	TR_REFUSE(EBADF, c.fd = 999);
	TR_REFUSE(EBADF, c.fd = 0);
	TR_REFUSE(ENOMEM, c.addr_spec = VMARENA_ADDR_BASE; c.address = VA_BASE + VA_LEN - VA_PAGE);
#undef TR_REFUSE
	tr_req(&c, id, 0, e.as);
	EXPECT_ERRNO(ioctl(other, VMARENA_IOC_AREA_TRANSFER, tr_readonly(&c)), EFAULT);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_TRANSFER, &c), ENOTTY);
	ASSERT_OK(va_aspace_info(e.as, &a1));
	ASSERT_OK(va_aspace_info(other, &a2));
	EXPECT_EQ(a1.out_areas, b1.out_areas);
	EXPECT_EQ(a2.out_areas, b2.out_areas);
	va_area_info_ok(e.as, id, &info);
	va_area_info_ok(other, foreign, &info);
}

#define TR_RACE_PAGES	16
#define TR_RACE_WRITERS	2
#define TR_RACE_ROUNDS	12

/* A thread that writes its pages of a moving area until it faults. */
struct tr_writer {
	pthread_t thread;
	volatile uint64_t *base;		/* the area in the window written */
	unsigned int first;			/* its pages: first, first + WRITERS, ... */
	uint64_t *done;				/* per page: the last store that completed */
	unsigned long stores;
	volatile int *stop;
	bool faulted;
};

static __thread sigjmp_buf tr_jmp;
static __thread volatile bool tr_armed;

static void tr_on_fault(int sig)
{
	if (tr_armed)
		siglongjmp(tr_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void *tr_writer_run(void *arg)
{
	struct tr_writer *t = arg;
	static volatile uint64_t counter;	/* values unique across threads */
	unsigned int page;
	uint64_t v;

	if (sigsetjmp(tr_jmp, 1)) {
		t->faulted = true;
		return NULL;
	}
	tr_armed = true;
	while (!__atomic_load_n(t->stop, __ATOMIC_RELAXED)) {
		for (page = t->first; page < TR_RACE_PAGES; page += TR_RACE_WRITERS) {
			v = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
			t->base[page * (VA_PAGE / sizeof(uint64_t))] = v;
			t->done[page] = v;
			t->stores++;
		}
	}
	tr_armed = false;
	return NULL;
}

/*
 * Move area @id of @from to the same address in @to while writers store
 * through @from's window @w: every store that completed (@done, per page,
 * over every move) is in the moved area, and every writer faults (nothing
 * stays mapped where the area left).  Returns the moved area's id.
 */
static uint32_t tr_move_under_writers(int to, int from, uint32_t id, uint64_t base,
				      unsigned char *w, unsigned char *w_to, uint64_t *done)
{
	struct tr_writer t[TR_RACE_WRITERS];
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	volatile int stop = 0;
	unsigned int i, page, waited;
	volatile uint64_t *moved;
	uint32_t to_id;
	uint64_t at;

	memset(t, 0, sizeof(t));
	for (i = 0; i < TR_RACE_WRITERS; i++) {
		t[i].base = (volatile uint64_t *)tr_at(w, base);
		t[i].first = i;
		t[i].done = done;
		t[i].stop = &stop;
		ASSERT_EQ(pthread_create(&t[i].thread, NULL, tr_writer_run, &t[i]), 0);
	}
	nanosleep(&pause, NULL);
	to_id = tr_move_ok(to, from, id, base, &at);
	EXPECT_EQ(at, base);
	/* Every writer faults now; one that does not writes a stale mapping. */
	for (waited = 0; waited < 2000; waited++) {
		for (i = 0; i < TR_RACE_WRITERS && t[i].faulted; i++)
			;
		if (i == TR_RACE_WRITERS)
			break;
		usleep(1000);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	moved = (volatile uint64_t *)tr_at(w_to, base);
	for (i = 0; i < TR_RACE_WRITERS; i++) {
		pthread_join(t[i].thread, NULL);
		VT_CHECK(t[i].faulted, 0, "writer %u kept writing after the move (%lu stores)", i,
			 t[i].stores);
		for (page = i; page < TR_RACE_PAGES; page += TR_RACE_WRITERS)
			VT_CHECK(moved[page * (VA_PAGE / sizeof(uint64_t))] == t[i].done[page], 0,
				 "page %u: %llu, the last store was %llu", page,
				 (unsigned long long)moved[page * (VA_PAGE / sizeof(uint64_t))],
				 (unsigned long long)t[i].done[page]);
	}
	return to_id;
}

/*
 * An area moves back and forth between two aspaces while threads write
 * it through the window it is leaving: no completed store is lost, and
 * nothing is written through the old window after the move.  Lazy and
 * wired areas, and a shared clone's source.
 */
VT_TEST(area_transfer_under_writers_loses_no_store)
{
	static const uint32_t wirings[] = { VMARENA_WIRING_LAZY, VMARENA_WIRING_WIRED };
	struct sigaction sa = { .sa_handler = tr_on_fault };
	uint64_t done[TR_RACE_PAGES];
	struct vmarena_area_info info;
	unsigned char *w, *w2, *a, *b;
	unsigned int k, round;
	uint32_t id, clone;
	struct va_env e;
	int other;

	ASSERT_OK(sigaction(SIGSEGV, &sa, NULL));
	ASSERT_OK(sigaction(SIGBUS, &sa, NULL));
	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(128));
	w2 = va_map_ok(other, VA_BASE, VA_PAGES(128));
	for (k = 0; k < 3; k++) {
		id = va_anon_ok(e.as, 0, VA_PAGES(TR_RACE_PAGES), VA_RW, wirings[k % 2]);
		va_area_info_ok(e.as, id, &info);
		memset(done, 0, sizeof(done));	/* a new area reads zeros */
		clone = k == 2 ? va_clone_ok(e.as, id, VA_BASE + VA_PAGES(64), VMARENA_MAP_SHARED,
					    VA_RW) : 0;
		for (round = 0; round < TR_RACE_ROUNDS && !vt_failures; round++) {
			a = round % 2 ? w2 : w;
			b = round % 2 ? w : w2;
			id = tr_move_under_writers(round % 2 ? e.as : other, round % 2 ? other : e.as,
						   id, info.out_base, a, b, done);
		}
		ASSERT_OK(va_area_op(round % 2 ? other : e.as, VMARENA_IOC_AREA_DELETE, id, 0));
		if (clone)
			ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, clone, 0));
	}
}
