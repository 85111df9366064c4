// SPDX-License-Identifier: GPL-2.0
/*
 * Haiku's reserved_areas_test (src/tests/system/kernel/ in the haiku
 * repository, bug #4778), ported to <vmarena/os_area.h> and made to check
 * what it prints: one thread eats heap with malloc() while another
 * reserves 128 MiB at B_BASE_ADDRESS again and again and creates a small
 * area at the start of each reservation, until the address space is
 * full.  Every area must land where its reservation is, none may overlap
 * the heap or another area, and every byte written must read back; then
 * everything is given back and the aspace is as it was.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <vmarena/os_area.h>
#include "vt.h"

#define RESV_SIZE	(128UL << 20)
#define AREA_PAGES	4
#define MAX_ROUNDS	1024
#define EAT_MAX		(64UL << 20)	/* the heap eater stops here */

struct eater {
	atomic_bool stop;
	uintptr_t lo, hi;		/* the aspace: no heap block in it */
	size_t total;
	unsigned int blocks, inside, corrupt;
};

/* malloc() 8..16391 bytes at a time, fill each, and check them all at the end. */
static void *memory_eater(void *arg)
{
	struct eater *e = arg;
	unsigned char **blocks = NULL;
	size_t *sizes = NULL, cap = 0;
	unsigned int i, n = 0;

	while (!atomic_load(&e->stop) && e->total < EAT_MAX) {
		size_t size = (size_t)rand() % 16384 + 8;
		unsigned char *p = malloc(size);

		if (!p)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			blocks = realloc(blocks, cap * sizeof(*blocks));
			sizes = realloc(sizes, cap * sizeof(*sizes));
			if (!blocks || !sizes)
				abort();
		}
		memset(p, (int)(n & 0xff), size);
		if ((uintptr_t)p + size > e->lo && (uintptr_t)p < e->hi)
			e->inside++;
		blocks[n] = p;
		sizes[n++] = size;
		e->total += size;
	}
	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < sizes[i]; j++)
			if (blocks[i][j] != (unsigned char)(i & 0xff)) {
				e->corrupt++;
				break;
			}
		free(blocks[i]);
	}
	e->blocks = n;
	free(blocks);
	free(sizes);
	return NULL;
}

VT_TEST(haiku_reserved_areas_test)
{
	static addr_t resv[MAX_ROUNDS];
	static area_id areas[MAX_ROUNDS + 1];
	area_info info, last;
	struct eater e = { 0 };
	unsigned int rounds, n, i;
	ssize_t cookie = 0;
	unsigned int before = 0, after = 0;
	pthread_t eater;
	void *base;
	size_t size;

	ASSERT_EQ(os_area_aspace_range(&base, &size), B_OK);
	while (get_next_area_info(B_CURRENT_TEAM, &cookie, &info) == B_OK)
		before++;
	e.lo = (uintptr_t)base;
	e.hi = (uintptr_t)base + size;
	ASSERT_EQ(pthread_create(&eater, NULL, memory_eater, &e), 0);

	/* The area creator: reserve, then an area at the reservation's start. */
	n = 0;
	for (rounds = 0; rounds < MAX_ROUNDS; rounds++) {
		addr_t at = 0x60000000;
		void *addr;
		status_t st;
		area_id id;

		st = reserve_address_range(&at, B_BASE_ADDRESS, RESV_SIZE);
		addr = st == B_OK ? (void *)at : (void *)0x60000000;
		id = create_area("r/w memory", &addr, st == B_OK ? B_EXACT_ADDRESS : B_BASE_ADDRESS,
				 AREA_PAGES * B_PAGE_SIZE, B_NO_LOCK, B_READ_AREA | B_WRITE_AREA);
		if (id < 0) {
			/* Full: only once no reservation fits either. */
			EXPECT_NE(st, B_OK);
			break;
		}
		areas[n++] = id;
		ASSERT_EQ(get_area_info(id, &last), B_OK);
		EXPECT_EQ(last.address, addr);
		if (st == B_OK) {
			resv[rounds] = at;
			EXPECT_EQ(addr, (void *)at);
		} else {
			/* No 128 MiB left: the last area goes in a smaller gap. */
			break;
		}
		EXPECT_TRUE((uintptr_t)addr >= e.lo && (uintptr_t)addr < e.hi);
		memset(addr, (int)(n & 0xff), AREA_PAGES * B_PAGE_SIZE);
	}
	atomic_store(&e.stop, true);
	ASSERT_EQ(pthread_join(eater, NULL), 0);
	printf("# %u reservations of 128 MiB in a %zu MiB aspace; heap eaten %zu bytes in "
	       "%u blocks\n", rounds, size >> 20, e.total, e.blocks);
	/*
	 * The aspace filled up: a reservation in every 128 MiB but the one
	 * cut at the end and those areas left by earlier tests may break.
	 */
	EXPECT_LT(rounds, (unsigned int)MAX_ROUNDS);
	EXPECT_GE(rounds + before + 1, (unsigned int)(size / RESV_SIZE));
	EXPECT_EQ(e.inside, 0U);
	EXPECT_EQ(e.corrupt, 0U);

	/* Every area still holds its bytes, and is where it was made. */
	for (i = 0; i < n; i++) {
		unsigned char *p;
		size_t j;

		ASSERT_EQ(get_area_info(areas[i], &info), B_OK);
		p = info.address;
		if (i < rounds) {
			EXPECT_EQ((addr_t)p, resv[i]);
			for (j = 0; j < AREA_PAGES * B_PAGE_SIZE; j += 512)
				if (p[j] != (unsigned char)((i + 1) & 0xff))
					break;
			EXPECT_EQ(j, (size_t)(AREA_PAGES * B_PAGE_SIZE));
		}
		EXPECT_EQ(delete_area(areas[i]), B_OK);
	}
	for (i = 0; i < rounds; i++)
		EXPECT_EQ(unreserve_address_range(resv[i], RESV_SIZE), B_OK);
	cookie = 0;
	while (get_next_area_info(B_CURRENT_TEAM, &cookie, &info) == B_OK)
		after++;
	EXPECT_EQ(after, before);
}
