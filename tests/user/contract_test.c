// SPDX-License-Identifier: GPL-2.0
/*
 * Contract violations found by a test written from uapi/vmarena.h alone
 * (issue 18, item 5), one regression test each: a failed command leaves
 * the arena as it was, a command whose argument cannot be written back
 * leaves nothing behind, contiguous memory is never resized, the errno of
 * every documented case, inaccessible areas under a super-lock, and a
 * write fault that must make progress.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vt_arena.h"

#define AT2	(VA_BASE + 0x1000000ULL)	/* a second spot, far from VA_BASE */

static uint64_t va_length(int as, uint32_t id)
{
	struct vmarena_area_info ai;

	va_area_info_ok(as, id, &ai);
	return ai.out_length;
}

static uint32_t va_nr_areas(int as)
{
	struct vmarena_aspace_info info;

	ASSERT_OK(va_aspace_info(as, &info));
	return info.out_areas;
}

static uint64_t va_commit_used(int ctl)
{
	struct vmarena_stats st;

	ASSERT_OK(va_stats(ctl, &st));
	return st.out_commit_used;
}

/* A page holding a copy of @len bytes of @src, then made read-only. */
static void *va_readonly_copy(const void *src, size_t len)
{
	void *p = mmap(NULL, VA_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	memcpy(p, src, len);
	ASSERT_OK(mprotect(p, VA_PAGE, PROT_READ));
	return p;
}

/*
 * A wired area that lost its access cannot wire a growth: the resize
 * fails, and neither it nor its shared clone changed size.
 */
VT_TEST(contract_failed_wired_growth_changes_nothing)
{
	uint64_t commit;
	struct va_env e;
	uint32_t id, clone;
	int r;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_WIRED);
	clone = va_clone_ok(e.as, id, AT2, VMARENA_MAP_SHARED, VA_RW);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, 0));
	commit = va_commit_used(e.ctl);
	r = va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(8));
	if (r) {
		EXPECT_EQ(va_length(e.as, id), VA_PAGES(4));
		EXPECT_EQ(va_length(e.as, clone), VA_PAGES(4));
		EXPECT_EQ(va_commit_used(e.ctl), commit);
	} else {
		EXPECT_EQ(va_length(e.as, id), VA_PAGES(8));
		EXPECT_EQ(va_length(e.as, clone), VA_PAGES(8));
	}
	/* And it still works: access back, growth wired. */
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, VA_RW));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(8)));
	EXPECT_EQ(va_length(e.as, clone), VA_PAGES(8));
}

/*
 * Every area-creating command, its argument read-only: EFAULT, nothing
 * made, and the source of a shared clone not marked shared.
 */
VT_TEST(contract_create_with_readonly_argument_leaves_nothing)
{
	static const struct {
		const char *name;
		unsigned long cmd;
		uint32_t mapping;	/* of a file map or clone */
	} cmds[] = {
		{ "CREATE_ANON", VMARENA_IOC_AREA_CREATE_ANON, 0 },
		{ "CREATE_NULL", VMARENA_IOC_AREA_CREATE_NULL, 0 },
		{ "MAP_DEVICE", VMARENA_IOC_AREA_MAP_DEVICE, 0 },
		{ "MAP_FILE", VMARENA_IOC_AREA_MAP_FILE, VMARENA_MAP_SHARED },
		{ "CLONE", VMARENA_IOC_AREA_CLONE, VMARENA_MAP_PRIVATE },
		{ "CLONE_SHARED", VMARENA_IOC_AREA_CLONE, VMARENA_MAP_SHARED },
	};
	struct vmarena_area_info ai;
	char path[] = "/tmp/vmarena-contract-XXXXXX";
	struct vmarena_area_create c;
	uint32_t source, areas;
	uint64_t phys, commit;
	struct va_env e;
	unsigned int i;
	int fd;

	va_env_init(&e);
	source = va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_CONTIGUOUS);
	ASSERT_OK(va_page_mapping(e.as, VA_BASE, &phys));
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	unlink(path);
	ASSERT_OK(ftruncate(fd, VA_PAGES(2)));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		void *ro;

		areas = va_nr_areas(e.as);
		commit = va_commit_used(e.ctl);

		va_area_req(&c, cmds[i].name, AT2, VA_PAGES(2), VA_RW);
		if (cmds[i].cmd == VMARENA_IOC_AREA_MAP_DEVICE) {
			c.phys = phys;
		} else if (cmds[i].cmd == VMARENA_IOC_AREA_MAP_FILE) {
			c.fd = fd;
			c.mapping = cmds[i].mapping;
		} else if (cmds[i].cmd == VMARENA_IOC_AREA_CLONE) {
			c.length = 0;
			c.source_id = source;
			c.mapping = cmds[i].mapping;
		}
		ro = va_readonly_copy(&c, sizeof(c));
		EXPECT_ERRNO_AT(cmds[i].name, ioctl(e.as, cmds[i].cmd, ro), EFAULT);
		EXPECT_EQ(va_nr_areas(e.as), areas);
		EXPECT_EQ(va_commit_used(e.ctl), commit);
		va_area_info_ok(e.as, source, &ai);
		EXPECT_EQ(ai.out_flags & VMARENA_AREA_SHARED, 0);
		munmap(ro, VA_PAGE);
		/* The spot is still free: the same request succeeds. */
		EXPECT_EQ(va_area_create(e.as, cmds[i].cmd, &c), 0);
		EXPECT_EQ(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, c.out_id, 0), 0);
	}
	close(fd);
}

/*
 * Commands without outputs (_IOW) never write their argument: a read-only
 * one works, and a failed copy-out cannot leave their change behind.
 */
VT_TEST(contract_write_only_commands_take_readonly_arguments)
{
	struct vmarena_range_lock rl = {
		.size = sizeof(rl), .level = VMARENA_LOCK_LOCKED,
		.address = VA_BASE, .length = VA_PAGES(2),
	};
	struct vmarena_area_op op = { .size = sizeof(op) };
	struct vmarena_area_info ai;
	struct va_env e;
	void *ro;

	va_env_init(&e);
	op.id = va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	ro = va_readonly_copy(&rl, sizeof(rl));
	EXPECT_EQ(ioctl(e.as, VMARENA_IOC_RANGE_LOCK, ro), 0);
	va_area_info_ok(e.as, op.id, &ai);
	EXPECT_EQ(ai.out_lock_level, VMARENA_LOCK_LOCKED);
	munmap(ro, VA_PAGE);
	ro = va_readonly_copy(&op, sizeof(op));
	EXPECT_EQ(ioctl(e.as, VMARENA_IOC_AREA_DELETE, ro), 0);
	EXPECT_EQ(va_nr_areas(e.as), 0);
	munmap(ro, VA_PAGE);
}

/* A shared clone of a contiguous area is contiguous memory too. */
VT_TEST(contract_contiguous_memory_never_resized_through_a_clone)
{
	struct va_env e;
	uint32_t id, clone;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_CONTIGUOUS);
	clone = va_clone_ok(e.as, id, AT2, VMARENA_MAP_SHARED, VA_RW);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, clone, VA_PAGES(8)), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, clone, VA_PAGES(2)), EINVAL);
	EXPECT_EQ(va_length(e.as, id), VA_PAGES(4));
	EXPECT_EQ(va_length(e.as, clone), VA_PAGES(4));
	/* Still so once the contiguous area itself is gone. */
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 0));
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, clone, VA_PAGES(8)), EINVAL);
	EXPECT_EQ(va_length(e.as, clone), VA_PAGES(4));
}

/* Super-locking is per aspace: an area cannot be created super-locked. */
VT_TEST(contract_create_superlocked_area_einval)
{
	struct vmarena_area_create c;
	struct va_env e;

	va_env_init(&e);
	va_area_req(&c, "s", VA_BASE, VA_PAGES(1), VA_RW);
	c.lock_level = VMARENA_LOCK_SUPERLOCKED;
	EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), EINVAL);
	c.lock_level = VMARENA_LOCK_SUPERLOCKED + 1;
	EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), EINVAL);
	EXPECT_EQ(va_nr_areas(e.as), 0);
}

/* The handshake works on an aspace fd too (uapi, vmarena(4)). */
VT_TEST(contract_version_on_aspace_fd)
{
	struct vmarena_version ver = { .size = sizeof(ver) };
	struct va_env e;

	va_env_init(&e);
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_VERSION, &ver));
	EXPECT_EQ(ver.out_abi_version, VMARENA_ABI_VERSION);
	EXPECT_EQ(ver.out_features, VMARENA_FEATURES_ALL);
}

/* An inaccessible area pins and maps nothing: allowed under a super-lock. */
VT_TEST(contract_superlocked_aspace_takes_inaccessible_areas)
{
	struct vmarena_area_op sl = { .size = sizeof(sl), .value = VMARENA_LOCK_SUPERLOCKED };
	struct vmarena_area_create c;
	struct vmarena_area_info ai;
	struct vmarena_stats before, after;
	struct va_env e;
	uint32_t id;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, &sl));
	ASSERT_OK(va_stats(e.ctl, &before));
	va_area_req(&c, "none", AT2, VA_PAGES(4), 0);
	EXPECT_EQ(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), 0);
	va_area_info_ok(e.as, c.out_id, &ai);
	EXPECT_EQ(ai.out_resident, 0);
	va_area_req(&c, "clone", AT2 + VA_PAGES(16), 0, 0);
	c.source_id = id;
	c.mapping = VMARENA_MAP_SHARED;
	EXPECT_EQ(va_area_create(e.as, VMARENA_IOC_AREA_CLONE, &c), 0);
	ASSERT_OK(va_stats(e.ctl, &after));
	EXPECT_EQ(after.out_pages[VMARENA_PAGE_STATE_WIRED],
		  before.out_pages[VMARENA_PAGE_STATE_WIRED]);
	sl.value = VMARENA_LOCK_UNLOCKED;
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, &sl));
}

/*
 * The chain of issue 18: O, S a private clone of O, C a private clone of
 * S.  C maps O's pages through S.  S shrinks (51 -> 24 pages): past S's
 * new end C must see zeros, not O's pages, and a write to the first page
 * past it must end in a few faults.  It faulted for ever: C's fragments
 * kept O's page, the write fault replaced it there but not in the window,
 * and page_mkwrite returned without dropping the window's stale PTE.
 */
VT_TEST(contract_write_past_shrunk_source_makes_progress)
{
	const uint64_t at_s = AT2, at_c = AT2 + VA_PAGES(64);
	uint32_t o, s, c;
	struct va_env e;
	uint8_t *w;
	unsigned int i;

	va_env_init(&e);
	o = va_anon_ok(e.as, VA_BASE, VA_PAGES(51), VA_RW, VMARENA_WIRING_LAZY);
	w = va_map_ok(e.as, VA_BASE, at_c + VA_PAGES(51) - VA_BASE);
	for (i = 0; i < 51; i++)
		va_poke(w + VA_PAGES(i), i + 1);
	s = va_clone_ok(e.as, o, at_s, VMARENA_MAP_PRIVATE, VA_RW);
	c = va_clone_ok(e.as, s, at_c, VMARENA_MAP_PRIVATE, VA_RW);
	for (i = 0; i < 51; i++)	/* C's window maps O's pages, read-only */
		ASSERT_EQ(va_peek(w + (at_c - VA_BASE) + VA_PAGES(i)), i + 1);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, s, VA_PAGES(24)));
	EXPECT_EQ(va_peek(w + (at_c - VA_BASE) + VA_PAGES(23)), 24);
	EXPECT_EQ(va_peek(w + (at_c - VA_BASE) + VA_PAGES(25)), 0);
	EXPECT_CHILD_OK({
		uint8_t *p = w + (at_c - VA_BASE) + VA_PAGES(24);
		uint64_t before;

		alarm(10);
		before = va_window_faults(e.as);
		va_poke(p, 0x5a);
		EXPECT_LE(va_window_faults(e.as) - before, 8ULL);
		EXPECT_EQ(va_peek(p), 0x5a);
	});
	EXPECT_EQ(va_length(e.as, c), VA_PAGES(51));
	EXPECT_EQ(va_peek(w + VA_PAGES(30)), 31);	/* O keeps its pages */
}

/*
 * A wired area, and an area of a super-locked aspace, take every
 * protection from every protection.  Exec-only and write-only ones cannot
 * be made resident by a read: the refill faulted for read, failed with
 * EACCES, and left the area with the protection it refused (the fuzzer's
 * seeds 1687882749 and 1773345983).  Each change succeeds and leaves the
 * area resident.
 */
VT_TEST(contract_fault_free_area_takes_every_protection)
{
	struct vmarena_area_op sl = { .size = sizeof(sl), .value = VMARENA_LOCK_SUPERLOCKED };
	struct vmarena_area_info ai;
	uint32_t from, to, id;
	struct va_env e;
	int superlocked, r;

	va_env_init(&e);
	for (superlocked = 0; superlocked < 2; superlocked++) {
		if (superlocked)
			ASSERT_OK(ioctl(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, &sl));
		for (from = 0; from <= VMARENA_PROT_ALL; from++) {
			for (to = 0; to <= VMARENA_PROT_ALL; to++) {
				/* A wired area is created with access (EINVAL without). */
				id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), from ? from : VA_RW,
						superlocked ? VMARENA_WIRING_LAZY :
							      VMARENA_WIRING_WIRED);
				if (!from)
					ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, 0));
				r = va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, to);
				va_area_info_ok(e.as, id, &ai);
				EXPECT_EQ(r, 0);
				EXPECT_EQ(ai.out_protection, r ? from : to);
				if (!r && to)
					EXPECT_EQ(ai.out_resident, 4);
				ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 0));
			}
		}
	}
	sl.value = VMARENA_LOCK_UNLOCKED;
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, &sl));
}
