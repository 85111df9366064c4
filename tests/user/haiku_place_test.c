// SPDX-License-Identifier: GPL-2.0
/*
 * More of Haiku's area API (<vmarena/os_area.h>): physical placement
 * (B_LOMEM, B_32_BIT_*), randomized placement, reservations that follow a
 * resize (Haiku's src/tests/system/kernel/vm/resize_area_tests.cpp, ported),
 * lock_memory() and its RLIMIT_MEMLOCK accounting, and the types and
 * constants a Haiku program takes from <OS.h>.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vmarena/os_area.h>
#include <vmarena/vmarena.h>
#include "vt.h"
#include "vt_arena.h"

#define RW	(B_READ_AREA | B_WRITE_AREA)

/* The page frame of @p in /proc/self/pagemap (root sees it), 0 if absent. */
static uint64_t pfn_of(const void *p)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t entry = 0;
	off_t off = (uintptr_t)p / B_PAGE_SIZE * sizeof(entry);

	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		entry = 0;
	close(fd);
	if (!(entry & (1ULL << 63)))
		return 0;
	return entry & ((1ULL << 55) - 1);
}

/* The types and constants of <OS.h> a Haiku program uses with areas. */
VT_TEST(haiku_os_h_types_and_page_size)
{
	int32 i32 = -1;
	uint32 u32 = UINT32_MAX;
	int64 i64 = -1;
	uint64 u64 = UINT64_MAX;
	bigtime_t t = 0;
	phys_addr_t phys = 0;

	EXPECT_EQ(B_PAGE_SIZE, sysconf(_SC_PAGESIZE));
	EXPECT_EQ(sizeof(int8) + sizeof(uint8), 2);
	EXPECT_EQ(sizeof(int16) + sizeof(uint16), 4);
	EXPECT_EQ(sizeof(i32) + sizeof(u32), 8);
	EXPECT_EQ(sizeof(i64) + sizeof(u64), 16);
	EXPECT_EQ(sizeof(t), 8);
	EXPECT_EQ(sizeof(phys), 8);
	EXPECT_EQ(sizeof(addr_t), sizeof(void *));
	EXPECT_EQ(sizeof(area_id) + sizeof(team_id) + sizeof(thread_id) + sizeof(status_t), 16);
	EXPECT_TRUE(i32 < 0 && u32 > 0 && i64 < 0 && u64 > 0);
}

/*
 * B_LOMEM, B_32_BIT_CONTIGUOUS and B_32_BIT_FULL_LOCK give a wired run
 * below 16 MiB or 4 GiB: every page mapped, contiguous, below the limit.
 * (Before: all three were refused with B_BAD_VALUE.)
 */
VT_TEST(haiku_physical_placement_below_the_limit)
{
	static const struct {
		uint32 lock;
		uint64 limit;
	} cases[] = {
		{ B_LOMEM, 16ULL << 20 },
		{ B_32_BIT_CONTIGUOUS, 4ULL << 30 },
		{ B_32_BIT_FULL_LOCK, 4ULL << 30 },
	};
	size_t c, i;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		void *addr = NULL;
		area_info info;
		uint64_t first;
		area_id id;

		id = create_area("placed", &addr, B_ANY_ADDRESS, 8 * B_PAGE_SIZE, cases[c].lock, RW);
		ASSERT_GE(id, 1);
		ASSERT_EQ(get_area_info(id, &info), B_OK);
		EXPECT_EQ(info.lock, B_CONTIGUOUS);
		EXPECT_EQ(info.ram_size, 8 * B_PAGE_SIZE);
		first = pfn_of(addr);
		EXPECT_NE(first, 0);
		for (i = 0; i < 8; i++) {
			uint64_t pfn = pfn_of((char *)addr + i * B_PAGE_SIZE);

			EXPECT_EQ(pfn, first + i);
			EXPECT_LT((pfn + 1) * B_PAGE_SIZE, cases[c].limit + 1);
			EXPECT_EQ(((volatile char *)addr)[i * B_PAGE_SIZE], 0);
		}
		/* The run stays where it is: it is never resized. */
		EXPECT_EQ(resize_area(id, 16 * B_PAGE_SIZE), B_BAD_VALUE);
		EXPECT_EQ(delete_area(id), B_OK);
	}
}

/* The same through the native API, checked with VMARENA_IOC_PAGE_MAPPING. */
VT_TEST(haiku_physical_placement_native_page_mapping)
{
	static const uint32_t flags[] = { VMARENA_AREA_PHYS_16M, VMARENA_AREA_PHYS_4G };
	static const uint64_t limit[] = { 16ULL << 20, 4ULL << 30 };
	struct va_env e;
	size_t f, i;

	va_env_init(&e);
	for (f = 0; f < 2; f++) {
		struct vmarena_area_params p = {
			.name = "phys", .length = VA_PAGES(4), .protection = VA_RW,
			.wiring = VMARENA_WIRING_CONTIGUOUS, .flags = flags[f],
		};
		uint64_t addr, phys;
		int id;

		id = vmarena_area_create_anon(e.as, &p, &addr);
		ASSERT_OK(id);
		for (i = 0; i < 4; i++) {
			ASSERT_OK(vmarena_page_mapping(e.as, addr + VA_PAGES(i), &phys));
			EXPECT_LT(phys + VA_PAGE, limit[f] + 1);
		}
		ASSERT_OK(vmarena_area_delete(e.as, (uint32_t)id));
		/* Placement needs a contiguous run. */
		p.wiring = VMARENA_WIRING_WIRED;
		EXPECT_EQ(vmarena_area_create_anon(e.as, &p, NULL), -EINVAL);
	}
}

/* Where @spec puts a one-page area, deleted again: its address. */
static uintptr_t placed_at(uint32 spec, uintptr_t base)
{
	void *addr = (void *)base;
	area_id id = create_area("random", &addr, spec, B_PAGE_SIZE, B_NO_LOCK, RW);

	ASSERT_GE(id, 1);
	EXPECT_EQ(delete_area(id), B_OK);
	return (uintptr_t)addr;
}

/*
 * B_RANDOMIZED_ANY_ADDRESS and B_RANDOMIZED_BASE_ADDRESS pick a random
 * free base, inside the aspace (at or above the base for _BASE_); an area
 * created and deleted again lands elsewhere the next time, where first fit
 * puts it back where it was.  (Before: they were first fit.)
 */
VT_TEST(haiku_randomized_placement)
{
	uintptr_t at[8], lo, hi, mid;
	size_t i, distinct = 0;
	addr_t resv[2];
	void *base;
	size_t size;

	ASSERT_EQ(os_area_aspace_range(&base, &size), B_OK);
	lo = (uintptr_t)base;
	hi = lo + size;
	mid = lo + size / 2;
	EXPECT_EQ(placed_at(B_ANY_ADDRESS, 0), placed_at(B_ANY_ADDRESS, 0));
	for (i = 0; i < 8; i++) {
		at[i] = placed_at(B_RANDOMIZED_ANY_ADDRESS, 0);
		EXPECT_TRUE(at[i] >= lo && at[i] + B_PAGE_SIZE <= hi);
		EXPECT_EQ(at[i] % B_PAGE_SIZE, 0);
		distinct += !i || at[i] != at[i - 1];
	}
	EXPECT_GE(distinct, 2);
	for (i = 0, distinct = 0; i < 8; i++) {
		at[i] = placed_at(B_RANDOMIZED_BASE_ADDRESS, mid);
		EXPECT_TRUE(at[i] >= mid && at[i] + B_PAGE_SIZE <= hi);
		distinct += !i || at[i] != at[i - 1];
	}
	EXPECT_GE(distinct, 2);
	/* Reservations too; and never over each other. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(reserve_address_range(&resv[i], B_RANDOMIZED_ANY_ADDRESS,
						64 * B_PAGE_SIZE), B_OK);
	EXPECT_TRUE(resv[0] + 64 * B_PAGE_SIZE <= resv[1] || resv[1] + 64 * B_PAGE_SIZE <= resv[0]);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(unreserve_address_range(resv[i], 64 * B_PAGE_SIZE), B_OK);
}

/* Is [@at, @at + one page) taken (by an area or a reservation)? */
static bool taken(addr_t at)
{
	addr_t spot = at;

	if (reserve_address_range(&spot, B_EXACT_ADDRESS, B_PAGE_SIZE) != B_OK)
		return true;
	EXPECT_EQ(unreserve_address_range(spot, B_PAGE_SIZE), B_OK);
	return false;
}

/*
 * Haiku's reservation_follows_resize_test: an area grown into its
 * reservation shrinks it, and shrunk gives the range back, never beyond
 * where the reservation ended.  (Before: the shrink left a hole.)
 */
VT_TEST(haiku_reservation_follows_resize)
{
	const size_t resv_size = 1 << 20;
	addr_t base;
	void *addr;
	area_id id;

	ASSERT_EQ(reserve_address_range(&base, B_RANDOMIZED_ANY_ADDRESS, resv_size), B_OK);
	addr = (void *)base;
	id = create_area("test area", &addr, B_EXACT_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_GE(id, 1);
	ASSERT_EQ(resize_area(id, 2 * B_PAGE_SIZE), B_OK);
	EXPECT_TRUE(taken(base + 2 * B_PAGE_SIZE));
	EXPECT_EQ(area_for((void *)(base + B_PAGE_SIZE)), id);
	ASSERT_EQ(resize_area(id, B_PAGE_SIZE), B_OK);
	EXPECT_TRUE(taken(base + B_PAGE_SIZE));
	EXPECT_EQ(area_for((void *)(base + B_PAGE_SIZE)), B_ERROR);
	EXPECT_TRUE(taken(base + resv_size - B_PAGE_SIZE));
	EXPECT_TRUE(!taken(base + resv_size));
	EXPECT_EQ(delete_area(id), B_OK);
	EXPECT_EQ(unreserve_address_range(base, resv_size), B_OK);
	EXPECT_TRUE(!taken(base));
}

/*
 * Haiku's resize_past_reservation_test: an area grows past the end of its
 * reservation into free space, and through reservations made after it.
 * (Before: B_ERROR, only the reservation it was made in gave way.)
 */
VT_TEST(haiku_resize_past_reservations)
{
	const size_t resv_size = 4 * B_PAGE_SIZE;
	addr_t base, spot;
	area_info info;
	void *addr;
	area_id id;

	ASSERT_EQ(reserve_address_range(&base, B_RANDOMIZED_ANY_ADDRESS, 2 * resv_size), B_OK);
	ASSERT_EQ(unreserve_address_range(base + resv_size, resv_size), B_OK);
	EXPECT_EQ(area_for((void *)(base + resv_size)), B_ERROR);
	addr = (void *)base;
	id = create_area("test area", &addr, B_EXACT_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_GE(id, 1);
	ASSERT_EQ(resize_area(id, 2 * resv_size), B_OK);
	ASSERT_EQ(resize_area(id, resv_size), B_OK);
	spot = base + resv_size + B_PAGE_SIZE;
	ASSERT_EQ(reserve_address_range(&spot, B_EXACT_ADDRESS, B_PAGE_SIZE), B_OK);
	spot += B_PAGE_SIZE;
	ASSERT_EQ(reserve_address_range(&spot, B_EXACT_ADDRESS, B_PAGE_SIZE), B_OK);
	ASSERT_EQ(resize_area(id, 2 * resv_size), B_OK);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.size, 2 * resv_size);
	((volatile char *)addr)[2 * resv_size - 1] = 1;
	/* A real area still stops it. */
	spot = base + 2 * resv_size + B_PAGE_SIZE;
	addr = (void *)spot;
	ASSERT_GE(create_area("in the way", &addr, B_EXACT_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW), 1);
	EXPECT_EQ(resize_area(id, 2 * resv_size + 2 * B_PAGE_SIZE), B_ERROR);
	/* A reservation reaching past the new end keeps that part. */
	ASSERT_EQ(resize_area(id, resv_size), B_OK);
	spot = base + resv_size;
	ASSERT_EQ(reserve_address_range(&spot, B_EXACT_ADDRESS, 2 * B_PAGE_SIZE), B_OK);
	ASSERT_EQ(resize_area(id, resv_size + B_PAGE_SIZE), B_OK);
	EXPECT_TRUE(taken(base + resv_size + B_PAGE_SIZE));
	EXPECT_TRUE(!taken(base + resv_size + 2 * B_PAGE_SIZE));
}

/*
 * lock_memory() locks the areas the range touches (resident at once) and
 * counts them against RLIMIT_MEMLOCK without CAP_IPC_LOCK; unlock_memory()
 * gives the charge back.  (Before: there was no lock_memory().)
 */
static void lock_memory_child(void)
{
	struct rlimit lim;
	void *a = NULL, *b = NULL, *big = NULL;
	area_id ida, idb, idbig;
	area_info info;
	long before;

	/* A limit of 8 pages more than this process has locked already. */
	before = va_vmlck();
	ASSERT_GE(before, 0);
	lim.rlim_cur = lim.rlim_max = (rlim_t)before * 1024 + 8 * B_PAGE_SIZE;
	va_drop_cap(CAP_IPC_LOCK);
	ASSERT_EQ(setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	ida = create_area("a", &a, B_ANY_ADDRESS, 4 * B_PAGE_SIZE, B_NO_LOCK, RW);
	idb = create_area("b", &b, B_ANY_ADDRESS, 6 * B_PAGE_SIZE, B_NO_LOCK, RW);
	idbig = create_area("big", &big, B_ANY_ADDRESS, 16 * B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_TRUE(ida >= 1 && idb >= 1 && idbig >= 1);
	EXPECT_EQ(lock_memory(big, 1, B_DMA_IO), B_NO_MEMORY);
	/* One byte locks its whole area, and makes it resident. */
	EXPECT_EQ(lock_memory((char *)a + 5, 1, B_READ_DEVICE), B_OK);
	EXPECT_EQ(va_vmlck() - before, 4 * B_PAGE_SIZE / 1024);
	ASSERT_EQ(get_area_info(ida, &info), B_OK);
	EXPECT_EQ(info.ram_size, 4 * B_PAGE_SIZE);
	/* 4 + 6 pages are over the limit of 8. */
	EXPECT_EQ(lock_memory(b, 6 * B_PAGE_SIZE, 0), B_NO_MEMORY);
	EXPECT_EQ(unlock_memory(a, 4 * B_PAGE_SIZE, 0), B_OK);
	EXPECT_EQ(va_vmlck(), before);
	EXPECT_EQ(lock_memory(b, 6 * B_PAGE_SIZE, 0), B_OK);
	EXPECT_EQ(va_vmlck() - before, 6 * B_PAGE_SIZE / 1024);
	/* Deleting a locked area gives its charge back. */
	EXPECT_EQ(delete_area(idb), B_OK);
	EXPECT_EQ(va_vmlck(), before);
	EXPECT_EQ(delete_area(ida), B_OK);
	EXPECT_EQ(delete_area(idbig), B_OK);
}

VT_TEST(haiku_lock_memory_counts_against_memlock)
{
	void *base, *addr = NULL;
	addr_t resv = 0;
	size_t size;
	area_id id;

	ASSERT_EQ(os_area_aspace_range(&base, &size), B_OK);
	EXPECT_CHILD_OK(lock_memory_child());
	/* Bad input. */
	id = create_area("bad", &addr, B_ANY_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_GE(id, 1);
	EXPECT_EQ(lock_memory(addr, B_PAGE_SIZE, 0x4), B_BAD_VALUE);
	EXPECT_EQ(lock_memory(addr, 0, 0), B_BAD_VALUE);
	EXPECT_EQ(lock_memory((char *)base - B_PAGE_SIZE, B_PAGE_SIZE, 0), B_BAD_VALUE);
	EXPECT_EQ(lock_memory(&size, sizeof(size), 0), B_BAD_VALUE);
	ASSERT_EQ(reserve_address_range(&resv, B_ANY_ADDRESS, B_PAGE_SIZE), B_OK);
	EXPECT_EQ(lock_memory((void *)resv, B_PAGE_SIZE, 0), B_BAD_VALUE);
	EXPECT_EQ(unreserve_address_range(resv, B_PAGE_SIZE), B_OK);
	EXPECT_EQ(lock_memory(addr, B_PAGE_SIZE, 0), B_OK);
	EXPECT_EQ(unlock_memory(addr, B_PAGE_SIZE, 0), B_OK);
	EXPECT_EQ(delete_area(id), B_OK);
}
