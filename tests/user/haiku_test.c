// SPDX-License-Identifier: GPL-2.0
/*
 * The Haiku area API of libvmarena (<vmarena/os_area.h>), used the way a
 * Haiku program uses it: create_area() and friends on the process's
 * default aspace, memory touched through the pointers they return.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vmarena/os_area.h>
#include <vmarena/vmarena.h>
#include "vt.h"

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* A read-write lazy area of @pages pages anywhere; fails the test if not. */
static area_id make_area(const char *name, size_t pages, void **addr)
{
	area_id id;

	*addr = NULL;
	id = create_area(name, addr, B_ANY_ADDRESS, pages * page_size(), B_NO_LOCK,
			 B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(id, 1);
	ASSERT_TRUE(*addr != NULL);
	return id;
}

/* Run @fn(@arg) in a child; returns its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fn(arg);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void write_byte(void *p)
{
	*(volatile char *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

static bool killed_by(int status, int sig)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static bool exited_ok(int status)
{
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (status != -1 && WIFEXITED(status))
		printf("# the child exited with %d\n", WEXITSTATUS(status));
	else if (status != -1 && WIFSIGNALED(status))
		printf("# the child was killed by signal %d\n", WTERMSIG(status));
	return false;
}

VT_TEST(haiku_create_write_area_for)
{
	size_t pg = page_size(), i;
	int stack_var = 0;
	unsigned char *p;
	void *addr;
	area_id id;

	id = make_area("haiku buffer", 4, &addr);
	p = addr;
	EXPECT_EQ((uintptr_t)p % pg, 0);
	for (i = 0; i < 4 * pg; i++)
		p[i] = (unsigned char)(i * 7);
	for (i = 0; i < 4 * pg; i++)
		if (p[i] != (unsigned char)(i * 7))
			break;
	EXPECT_EQ(i, 4 * pg);

	EXPECT_EQ(area_for(p), id);
	EXPECT_EQ(area_for(p + 2 * pg + 5), id);
	EXPECT_EQ(area_for(p + 4 * pg - 1), id);
	EXPECT_EQ(area_for(p + 4 * pg), B_ERROR);
	EXPECT_EQ(area_for(p - 1), B_ERROR);
	/* Memory that is not in the default aspace is no area. */
	EXPECT_EQ(area_for(&stack_var), B_ERROR);
	EXPECT_EQ(area_for(NULL), B_ERROR);
	EXPECT_EQ(delete_area(id), B_OK);
}

VT_TEST(haiku_exact_and_base_address)
{
	size_t pg = page_size();
	void *addr, *want, *base;
	area_id id, id2;
	size_t size;

	ASSERT_EQ(os_area_aspace_range(&base, &size), B_OK);
	EXPECT_GE(size, (size_t)16 << 20);

	want = (char *)base + 64 * pg;
	addr = want;
	id = create_area("exact", &addr, B_EXACT_ADDRESS, 2 * pg, B_NO_LOCK,
			 B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(id, 1);
	EXPECT_TRUE(addr == want);
	*(volatile int *)addr = 42;

	/* The same spot again: taken. */
	addr = want;
	EXPECT_EQ(create_area("again", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_VALUE);
	/* Base: the first fit at or above the address, here right after. */
	addr = want;
	id2 = create_area("base", &addr, B_BASE_ADDRESS, pg, B_NO_LOCK, B_READ_AREA);
	ASSERT_GE(id2, 1);
	EXPECT_TRUE(addr == (char *)want + 2 * pg);
	/* Base below the aspace starts at its base. */
	addr = (void *)(uintptr_t)pg;
	EXPECT_GE(create_area("low base", &addr, B_BASE_ADDRESS, pg, B_NO_LOCK, B_READ_AREA), 1);
	EXPECT_TRUE(addr >= base);
}

VT_TEST(haiku_clone_shares_both_ways)
{
	size_t pg = page_size();
	void *src, *dst = NULL;
	area_id id, clone;
	area_info info;

	id = make_area("clone source", 2, &src);
	strcpy(src, "written through the source");
	clone = clone_area("the clone", &dst, B_ANY_ADDRESS, B_READ_AREA | B_WRITE_AREA, id);
	ASSERT_GE(clone, 1);
	EXPECT_NE(clone, id);
	ASSERT_TRUE(dst != NULL && dst != src);
	EXPECT_STREQ((char *)dst, "written through the source");

	strcpy((char *)dst + pg, "written through the clone");
	EXPECT_STREQ((char *)src + pg, "written through the clone");

	ASSERT_EQ(get_area_info(clone, &info), B_OK);
	EXPECT_EQ(info.size, 2 * pg);
	EXPECT_STREQ(info.name, "the clone");
	EXPECT_TRUE(info.address == dst);
	EXPECT_EQ(area_for(dst), clone);

	/* The clone keeps the memory when the source goes. */
	EXPECT_EQ(delete_area(id), B_OK);
	EXPECT_STREQ((char *)dst, "written through the source");

	/* B_CLONE_ADDRESS: the source's own address, taken in one aspace. */
	id = make_area("clone source 2", 1, &src);
	dst = NULL;
	EXPECT_EQ(clone_area("same place", &dst, B_CLONE_ADDRESS, B_READ_AREA, id), B_BAD_VALUE);
}

/* A source in an aspace of its own, made with the native API. */
struct foreign {
	int ctl, fd;
	int id;
};

static void make_foreign(struct foreign *f, uint32_t prot, uint32_t prot_max, uint32_t flags)
{
	struct vmarena_area_params p = {
		.name = "foreign",
		.length = page_size(),
		.protection = prot,
		.protection_max = prot_max,
		.flags = flags,
	};

	f->ctl = vmarena_open();
	ASSERT_OK(f->ctl);
	f->fd = vmarena_aspace_create(f->ctl, "haiku foreign", 1ULL << 32, 16ULL << 20);
	ASSERT_OK(f->fd);
	f->id = vmarena_area_create_anon(f->fd, &p, NULL);
	ASSERT_OK(f->id);
}

VT_TEST(haiku_clone_permissions)
{
	struct foreign shy, limited;
	void *dst = NULL;

	/* Not B_CLONEABLE_AREA, and in another aspace: not allowed. */
	make_foreign(&shy, VMARENA_PROT_READ, 0, 0);
	EXPECT_EQ(clone_area("shy", &dst, B_ANY_ADDRESS, B_READ_AREA, shy.id), B_NOT_ALLOWED);

	/* Cloneable, but at most readable. */
	make_foreign(&limited, VMARENA_PROT_READ, VMARENA_PROT_READ, VMARENA_AREA_CLONEABLE);
	EXPECT_EQ(clone_area("too much", &dst, B_ANY_ADDRESS, B_READ_AREA | B_WRITE_AREA,
			     limited.id), B_NOT_ALLOWED);
	EXPECT_GE(clone_area("readable", &dst, B_ANY_ADDRESS, B_READ_AREA, limited.id), 1);
	EXPECT_TRUE(dst != NULL);
	read_byte(dst);

	/* No such source. */
	EXPECT_EQ(clone_area("nothing", &dst, B_ANY_ADDRESS, B_READ_AREA, 0x7ffffff0), B_BAD_VALUE);
	EXPECT_EQ(clone_area("nothing", &dst, B_ANY_ADDRESS, B_READ_AREA, -1), B_BAD_VALUE);
}

VT_TEST(haiku_find_area)
{
	area_id a, b, low, high;
	void *pa, *pb;

	a = make_area("find me", 1, &pa);
	b = make_area("find me too", 1, &pb);
	EXPECT_EQ(find_area("find me"), a);
	EXPECT_EQ(find_area("find me too"), b);
	EXPECT_EQ(find_area("find"), B_NAME_NOT_FOUND);
	EXPECT_EQ(find_area("no such area"), B_NAME_NOT_FOUND);
	EXPECT_EQ(find_area(""), B_NAME_NOT_FOUND);

	/* Two of a name: the lower one. */
	low = make_area("twin", 1, &pa);
	high = make_area("twin", 1, &pb);
	if (pb < pa) {
		area_id t = low;

		low = high;
		high = t;
	}
	EXPECT_EQ(find_area("twin"), low);
	EXPECT_EQ(delete_area(low), B_OK);
	EXPECT_EQ(find_area("twin"), high);

	/* Names are truncated to B_OS_NAME_LENGTH - 1 bytes, as in Haiku. */
	a = make_area("a name that is longer than thirty-one bytes", 1, &pa);
	EXPECT_EQ(find_area("a name that is longer than thirty-one bytes"), a);
	EXPECT_EQ(find_area("a name that is longer than thirt"), a);
}

VT_TEST(haiku_get_area_info)
{
	size_t pg = page_size();
	area_info info;
	void *addr = NULL;
	area_id id;

	id = create_area("wired", &addr, B_ANY_ADDRESS, 3 * pg, B_FULL_LOCK,
			 B_READ_AREA | B_WRITE_AREA | B_CLONEABLE_AREA);
	ASSERT_GE(id, 1);
	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.area, id);
	EXPECT_STREQ(info.name, "wired");
	EXPECT_EQ(info.size, 3 * pg);
	EXPECT_EQ(info.lock, B_FULL_LOCK);
	EXPECT_EQ(info.protection, B_READ_AREA | B_WRITE_AREA | B_CLONEABLE_AREA);
	EXPECT_EQ(info.team, getpid());
	EXPECT_EQ(info.ram_size, 3 * pg);	/* wired: every page is in */
	EXPECT_EQ(info.copy_count, 0);
	EXPECT_EQ(info.in_count, 0);
	EXPECT_EQ(info.out_count, 0);
	EXPECT_TRUE(info.address == addr);

	/* Lazy: nothing resident until touched. */
	id = create_area("lazy", &addr, B_ANY_ADDRESS, 4 * pg, B_LAZY_LOCK,
			 B_READ_AREA | B_WRITE_AREA | B_OVERCOMMITTING_AREA);
	ASSERT_GE(id, 1);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.lock, B_NO_LOCK);
	EXPECT_EQ(info.protection, B_READ_AREA | B_WRITE_AREA | B_OVERCOMMITTING_AREA);
	EXPECT_EQ(info.ram_size, 0);
	write_byte((char *)addr + pg);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.ram_size, pg);

	/* Contiguous. */
	id = create_area("contiguous", &addr, B_ANY_ADDRESS, 2 * pg, B_CONTIGUOUS,
			 B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(id, 1);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.lock, B_CONTIGUOUS);
	EXPECT_EQ(info.ram_size, 2 * pg);
	write_byte(addr);
}

/* Pages of [@p, @p + @pages pages) this process's page table lacks. */
static size_t absent_pages(const char *p, size_t pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t i, n = 0;
	uint64_t entry;

	for (i = 0; i < pages; i++) {
		off_t off = (uintptr_t)(p + i * page_size()) / page_size() * sizeof(entry);

		if (fd < 0 || pread(fd, &entry, sizeof(entry), off) != sizeof(entry) ||
		    !(entry & (1ULL << 63)))
			n++;
	}
	if (fd >= 0)
		close(fd);
	return n;
}

/*
 * Every fault vmarena took, in any aspace (the library's aspace fd is its
 * own).  Counting this thread's minor faults measured the harness too:
 * a page of its stack or text that Linux migrated or collapsed meanwhile.
 */
static uint64_t arena_faults(void)
{
	struct vmarena_stats st;
	int ctl = vmarena_open();
	uint64_t n = ~0ULL;

	if (ctl >= 0 && !vmarena_stats(ctl, &st))
		n = st.out_faults;
	if (ctl >= 0)
		close(ctl);
	return n;
}

/*
 * B_FULL_LOCK and B_CONTIGUOUS areas are in memory and mapped when
 * create_area() returns: writing them takes no fault.  (The library maps
 * its one window before any area exists; the window was populated only at
 * mmap(), so 0 of 256 pages were present and writing took 256 faults.)
 */
VT_TEST(haiku_full_lock_area_takes_no_fault)
{
	static const uint32_t locks[] = { B_FULL_LOCK, B_CONTIGUOUS };
	size_t pg = page_size(), i, n;
	void *addr = NULL;
	uint64_t before;
	area_id id;

	for (n = 0; n < sizeof(locks) / sizeof(locks[0]); n++) {
		id = create_area("full", &addr, B_ANY_ADDRESS, 256 * pg, locks[n],
				 B_READ_AREA | B_WRITE_AREA);
		ASSERT_GE(id, 1);
		EXPECT_EQ(absent_pages(addr, 256), (size_t)0);
		before = arena_faults();
		ASSERT_TRUE(before != ~0ULL);
		for (i = 0; i < 256; i++)
			((volatile char *)addr)[i * pg] = (char)i;
		EXPECT_EQ(arena_faults(), before);
		EXPECT_EQ(delete_area(id), B_OK);
	}
}

VT_TEST(haiku_get_next_area_info)
{
	area_id ids[3], seen[3] = { 0, 0, 0 };
	void *addrs[3], *last = NULL;
	size_t pg = page_size();
	addr_t resv = 0;
	ssize_t cookie = 0;
	area_info info;
	int i, n = 0;

	ids[0] = make_area("one", 1, &addrs[0]);
	ASSERT_EQ(reserve_address_range(&resv, B_ANY_ADDRESS, 8 * pg), B_OK);
	ids[1] = make_area("two", 2, &addrs[1]);
	ids[2] = make_area("three", 3, &addrs[2]);

	while (get_next_area_info(B_CURRENT_TEAM, &cookie, &info) == B_OK) {
		ASSERT_TRUE(n < 16);
		n++;
		EXPECT_TRUE(info.address > last);	/* address order */
		last = info.address;
		EXPECT_EQ(info.team, getpid());
		/* The reservation is not an area. */
		EXPECT_TRUE((addr_t)info.address + info.size <= resv ||
			    (addr_t)info.address >= resv + 8 * pg);
		for (i = 0; i < 3; i++) {
			if (info.area != ids[i])
				continue;
			seen[i] = info.area;
			EXPECT_TRUE(info.address == addrs[i]);
			EXPECT_EQ(info.size, (size_t)(i + 1) * pg);
		}
	}
	EXPECT_EQ(n, 3);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(seen[i], ids[i]);
	/* Once through, it stays through. */
	EXPECT_EQ(get_next_area_info(B_CURRENT_TEAM, &cookie, &info), B_ENTRY_NOT_FOUND);

	/* The team may be named by pid; other teams are not reachable. */
	cookie = 0;
	EXPECT_EQ(get_next_area_info(getpid(), &cookie, &info), B_OK);
	cookie = 0;
	EXPECT_EQ(get_next_area_info(getpid() + 1, &cookie, &info), B_BAD_TEAM_ID);
	EXPECT_EQ(get_next_area_info(B_CURRENT_TEAM, NULL, &info), B_BAD_VALUE);
	EXPECT_EQ(get_next_area_info(B_CURRENT_TEAM, &cookie, NULL), B_BAD_VALUE);
}

VT_TEST(haiku_reservation_takes_exact_areas)
{
	size_t pg = page_size();
	area_id a, b, c;
	area_info info;
	addr_t resv = 0;
	void *addr;

	ASSERT_EQ(reserve_address_range(&resv, B_ANY_ADDRESS, 16 * pg), B_OK);
	ASSERT_NE(resv, 0);
	EXPECT_EQ(resv % pg, 0);
	/* A reservation is not an area and takes no B_ANY_ADDRESS areas. */
	EXPECT_EQ(area_for((void *)resv), B_ERROR);
	c = make_area("elsewhere", 1, &addr);
	EXPECT_TRUE((addr_t)addr + pg <= resv || (addr_t)addr >= resv + 16 * pg);
	EXPECT_EQ(delete_area(c), B_OK);

	/* An exact area in the middle splits it. */
	addr = (void *)(resv + 4 * pg);
	a = create_area("in the middle", &addr, B_EXACT_ADDRESS, 2 * pg, B_NO_LOCK,
			B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(a, 1);
	EXPECT_EQ((addr_t)addr, resv + 4 * pg);
	write_byte(addr);
	EXPECT_EQ(area_for((void *)resv), B_ERROR);
	EXPECT_EQ(area_for((void *)(resv + 6 * pg)), B_ERROR);

	/* Both halves are still reserved and take exact areas too. */
	addr = (void *)resv;
	b = create_area("at the start", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA);
	EXPECT_GE(b, 1);
	addr = (void *)(resv + 15 * pg);
	c = create_area("at the end", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA);
	EXPECT_GE(c, 1);

	/* Overlapping a real area, or sticking out of the reservation: no. */
	addr = (void *)(resv + 3 * pg);
	EXPECT_EQ(create_area("overlap", &addr, B_EXACT_ADDRESS, 2 * pg, B_NO_LOCK,
			      B_READ_AREA), B_BAD_VALUE);
	addr = (void *)(resv + 14 * pg);
	EXPECT_EQ(create_area("sticks out", &addr, B_EXACT_ADDRESS, 2 * pg, B_NO_LOCK,
			      B_READ_AREA), B_BAD_VALUE);

	/* Unreserving leaves the areas and frees the rest. */
	EXPECT_EQ(unreserve_address_range(resv, 16 * pg), B_OK);
	EXPECT_EQ(get_area_info(a, &info), B_OK);
	EXPECT_EQ(get_area_info(b, &info), B_OK);
	EXPECT_EQ(get_area_info(c, &info), B_OK);
	addr = (void *)(resv + 8 * pg);
	EXPECT_GE(create_area("freed", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA), 1);
}

VT_TEST(haiku_resize_area_in_reservation)
{
	size_t pg = page_size();
	area_id id, other, outsider;
	addr_t resv = 0, spot;
	area_info info;
	void *addr;

	ASSERT_EQ(reserve_address_range(&resv, B_ANY_ADDRESS, 16 * pg), B_OK);
	addr = (void *)resv;
	id = create_area("grows", &addr, B_EXACT_ADDRESS, 4 * pg, B_NO_LOCK,
			 B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(id, 1);
	strcpy(addr, "kept");

	/* Growing into the reservation it was made in. */
	EXPECT_EQ(resize_area(id, 8 * pg), B_OK);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.size, 8 * pg);
	write_byte((char *)addr + 8 * pg - 1);
	EXPECT_STREQ((char *)addr, "kept");
	EXPECT_EQ(area_for((char *)addr + 7 * pg), id);
	EXPECT_EQ(area_for((char *)addr + 8 * pg), B_ERROR);

	/* The rest is still reserved: an exact area there takes its place. */
	addr = (void *)(resv + 12 * pg);
	other = create_area("neighbour", &addr, B_EXACT_ADDRESS, 2 * pg, B_NO_LOCK, B_READ_AREA);
	ASSERT_GE(other, 1);
	/* ... and is in the way of growing further. */
	EXPECT_EQ(resize_area(id, 13 * pg), B_ERROR);
	EXPECT_EQ(resize_area(id, 12 * pg), B_OK);
	/* Shrinking. */
	EXPECT_EQ(resize_area(id, 2 * pg), B_OK);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.size, 2 * pg);
	EXPECT_STREQ((char *)resv, "kept");

	/*
	 * An area grows into a reservation made after it too (Haiku's
	 * resize_area_tests), and shrunk gives the range back to it, down to
	 * where that reservation began and no further.
	 */
	ASSERT_EQ(unreserve_address_range(resv, 16 * pg), B_OK);
	addr = (void *)(resv + 2 * pg);
	outsider = create_area("outsider", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA);
	ASSERT_GE(outsider, 1);
	spot = resv + 3 * pg;
	ASSERT_EQ(reserve_address_range(&spot, B_EXACT_ADDRESS, 4 * pg), B_OK);
	EXPECT_EQ(spot, resv + 3 * pg);
	EXPECT_EQ(resize_area(outsider, 2 * pg), B_OK);
	addr = (void *)(resv + 3 * pg);
	EXPECT_EQ(create_area("now the area's", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK,
			      B_READ_AREA), B_BAD_VALUE);
	EXPECT_EQ(resize_area(outsider, pg), B_OK);
	/* The reservation is whole again: an exact area takes all of it. */
	addr = (void *)(resv + 3 * pg);
	EXPECT_GE(create_area("still reserved", &addr, B_EXACT_ADDRESS, 4 * pg, B_NO_LOCK,
			      B_READ_AREA), 1);
}

VT_TEST(haiku_set_area_protection_faults)
{
	area_info info;
	void *addr;
	area_id id;
	int status;

	id = make_area("guarded", 1, &addr);
	write_byte(addr);
	EXPECT_EQ(set_area_protection(id, B_READ_AREA), B_OK);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.protection, B_READ_AREA);

	status = in_child(read_byte, addr);
	EXPECT_TRUE(exited_ok(status));
	status = in_child(write_byte, addr);
	EXPECT_TRUE(killed_by(status, SIGSEGV));

	EXPECT_EQ(set_area_protection(id, 0), B_OK);
	status = in_child(read_byte, addr);
	EXPECT_TRUE(killed_by(status, SIGSEGV));

	EXPECT_EQ(set_area_protection(id, B_READ_AREA | B_WRITE_AREA), B_OK);
	write_byte(addr);
	EXPECT_EQ(*(volatile char *)addr, 1);

	/* Flags fixed at creation may be repeated, not added. */
	EXPECT_EQ(set_area_protection(id, B_READ_AREA | B_CLONEABLE_AREA), B_BAD_VALUE);
	EXPECT_EQ(set_area_protection(id, B_READ_AREA | 0x10000), B_BAD_VALUE);
	EXPECT_EQ(set_area_protection(id, B_READ_AREA | B_STACK_AREA), B_BAD_VALUE);
}

#ifdef __x86_64__
/* B_EXECUTE_AREA: code written into an area runs from it. */
VT_TEST(haiku_execute_area)
{
	static const unsigned char ret42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	int (*fn)(void);
	void *addr = NULL;
	area_id id;

	id = create_area("code", &addr, B_ANY_ADDRESS, page_size(), B_NO_LOCK,
			 B_READ_AREA | B_WRITE_AREA | B_EXECUTE_AREA);
	ASSERT_GE(id, 1);
	memcpy(addr, ret42, sizeof(ret42));
	fn = (int (*)(void))addr;
	EXPECT_EQ(fn(), 42);
}
#endif

VT_TEST(haiku_delete_area)
{
	area_info info;
	void *addr;
	area_id id;

	id = make_area("short-lived", 2, &addr);
	write_byte(addr);
	EXPECT_EQ(delete_area(id), B_OK);
	EXPECT_EQ(area_for(addr), B_ERROR);
	EXPECT_EQ(get_area_info(id, &info), B_BAD_VALUE);
	EXPECT_EQ(delete_area(id), B_BAD_VALUE);
	EXPECT_TRUE(killed_by(in_child(read_byte, addr), SIGSEGV));
}

VT_TEST(haiku_bad_input)
{
	size_t pg = page_size();
	void *addr = NULL, *base;
	ssize_t cookie = 0;
	addr_t spot = 0;
	area_info info;
	area_id id;

	/* Size: zero is refused; Haiku rounds the rest up to pages. */
	EXPECT_EQ(create_area("zero", &addr, B_ANY_ADDRESS, 0, B_NO_LOCK, B_READ_AREA), B_BAD_VALUE);
	id = create_area("odd size", &addr, B_ANY_ADDRESS, pg + 1, B_NO_LOCK, B_READ_AREA);
	ASSERT_GE(id, 1);
	ASSERT_EQ(get_area_info(id, &info), B_OK);
	EXPECT_EQ(info.size, 2 * pg);

	/* Unaligned: an exact address, a new size. */
	ASSERT_EQ(os_area_aspace_range(&base, NULL), B_OK);
	addr = (char *)base + 100 * pg + 1;
	EXPECT_EQ(create_area("unaligned", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_VALUE);
	EXPECT_EQ(resize_area(id, pg + 1), B_BAD_VALUE);
	EXPECT_EQ(resize_area(id, 0), B_BAD_VALUE);

	/* Unknown or unsupported protection bits, locks and address specs. */
	EXPECT_EQ(create_area("prot", &addr, B_ANY_ADDRESS, pg, B_NO_LOCK, 0x10000), B_BAD_VALUE);
	EXPECT_EQ(create_area("prot", &addr, B_ANY_ADDRESS, pg, B_NO_LOCK, 16), B_BAD_VALUE);
	EXPECT_EQ(create_area("stack", &addr, B_ANY_ADDRESS, pg, B_NO_LOCK,
			      B_READ_AREA | B_STACK_AREA), B_BAD_VALUE);
	EXPECT_EQ(create_area("lock", &addr, B_ANY_ADDRESS, pg, 99, B_READ_AREA), B_BAD_VALUE);
	EXPECT_EQ(create_area("lomem", &addr, B_ANY_ADDRESS, pg, B_LOMEM, 0), B_BAD_VALUE);
	EXPECT_EQ(create_area("spec", &addr, B_ANY_KERNEL_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_VALUE);
	EXPECT_EQ(create_area("spec", &addr, B_CLONE_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_VALUE);
	EXPECT_EQ(create_area("spec", &addr, 42, pg, B_NO_LOCK, B_READ_AREA), B_BAD_VALUE);
	/* Outside the default aspace. */
	addr = (void *)(uintptr_t)pg;
	EXPECT_EQ(create_area("outside", &addr, B_EXACT_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_VALUE);
	/* Bad pointers. */
	EXPECT_EQ(create_area("null", NULL, B_ANY_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_ADDRESS);
	EXPECT_EQ(create_area(NULL, &addr, B_ANY_ADDRESS, pg, B_NO_LOCK, B_READ_AREA),
		  B_BAD_ADDRESS);
	EXPECT_EQ(get_area_info(id, NULL), B_BAD_VALUE);

	/* Unknown area ids. */
	EXPECT_EQ(get_area_info(0x7ffffff0, &info), B_BAD_VALUE);
	EXPECT_EQ(get_area_info(-5, &info), B_BAD_VALUE);
	EXPECT_EQ(delete_area(0x7ffffff0), B_BAD_VALUE);
	EXPECT_EQ(resize_area(0x7ffffff0, pg), B_BAD_VALUE);
	EXPECT_EQ(set_area_protection(0x7ffffff0, B_READ_AREA), B_BAD_VALUE);

	/* Names. */
	EXPECT_EQ(find_area("no area has this name"), B_NAME_NOT_FOUND);
	EXPECT_EQ(find_area(NULL), B_BAD_ADDRESS);

	/* Reservations. */
	EXPECT_EQ(reserve_address_range(NULL, B_ANY_ADDRESS, pg), B_BAD_ADDRESS);
	EXPECT_EQ(reserve_address_range(&spot, B_ANY_ADDRESS, 0), B_BAD_VALUE);
	EXPECT_EQ(get_next_area_info(B_CURRENT_TEAM, &cookie, &info), B_OK);
}

/* Threads that meet the API for the first time together share one aspace. */
static void *thread_create(void *arg)
{
	void *addr = NULL;
	area_id id;

	id = create_area("threaded", &addr, B_ANY_ADDRESS, page_size(), B_NO_LOCK,
			 B_READ_AREA | B_WRITE_AREA);
	if (id >= 0)
		*(volatile area_id *)addr = id;
	*(void **)arg = id >= 0 ? addr : NULL;
	return NULL;
}

VT_TEST(haiku_threads_share_one_aspace)
{
	void *addrs[8];
	pthread_t t[8];
	int i, j;

	for (i = 0; i < 8; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, thread_create, &addrs[i]), 0);
	for (i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 8; i++) {
		ASSERT_TRUE(addrs[i] != NULL);
		EXPECT_EQ(area_for(addrs[i]), *(area_id *)addrs[i]);
		for (j = 0; j < i; j++)
			EXPECT_TRUE(addrs[i] != addrs[j]);
	}
}

/*
 * fork() copies the default aspace, as Haiku's fork copies every area of
 * the team: a private area is the parent's as it was at the fork, and
 * from then on neither sees the other's writes; areas the child creates
 * or deletes are its own.
 */
struct fork_child {
	char *addr;		/* the parent's area, at the same address here */
	area_id id;
	int ready[2], go[2];	/* child -> parent, parent -> child */
};

static void child_of_fork(void *arg)
{
	struct fork_child *f = arg;
	void *mine = NULL;
	area_id id;
	char c = 0;

	/* What the parent writes after the fork never shows here. */
	if (write(f->ready[1], "r", 1) != 1 || read(f->go[0], &c, 1) != 1)
		_exit(2);
	/* The copy is a new area, with an id of its own, as in Haiku. */
	id = area_for(f->addr);
	if (strcmp(f->addr, "before the fork") || id < 0 || id == f->id)
		_exit(3);
	strcpy(f->addr, "from the child");
	if (create_area("child's", &mine, B_ANY_ADDRESS, page_size(), B_NO_LOCK,
			B_READ_AREA | B_WRITE_AREA) < 0)
		_exit(4);
	/* The parent's area is not the child's to delete. */
	if (delete_area(f->id) != B_BAD_VALUE)
		_exit(5);
	if (delete_area(id) != B_OK || area_for(f->addr) >= 0)
		_exit(6);
	_exit(0);
}

VT_TEST(haiku_fork_copies_areas_both_ways)
{
	struct fork_child f;
	char c = 0;
	int status;
	pid_t pid;

	f.id = make_area("copied by fork", 1, (void **)&f.addr);
	strcpy(f.addr, "before the fork");
	ASSERT_OK(pipe(f.ready));
	ASSERT_OK(pipe(f.go));
	fflush(stdout);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		child_of_fork(&f);
	ASSERT_EQ(read(f.ready[0], &c, 1), 1);
	strcpy(f.addr, "after the fork");
	ASSERT_EQ(write(f.go[1], "g", 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(exited_ok(status));
	/* The child's write, its new area and its delete stayed in the child. */
	EXPECT_STREQ(f.addr, "after the fork");
	EXPECT_EQ(area_for(f.addr), f.id);
	EXPECT_EQ(find_area("child's"), B_NAME_NOT_FOUND);
	EXPECT_EQ(delete_area(f.id), B_OK);
	close(f.ready[0]);
	close(f.ready[1]);
	close(f.go[0]);
	close(f.go[1]);
}

/* Clones and B_SHARED_AREA areas stay shared across fork(), as in Haiku. */
static void child_writes_shared(void *arg)
{
	char **p = arg;

	strcpy(p[0], "child, flagged");
	strcpy(p[1], "child, clone");
	/* The source of a clone is shared too: it and its clone still alias. */
	if (strcmp(p[2], "child, clone"))
		_exit(2);
}

VT_TEST(haiku_fork_keeps_shared_areas_shared)
{
	void *flagged = NULL, *src, *clone = NULL;
	area_info info;
	char *p[3];
	area_id fid, sid, cid;

	fid = create_area("flagged", &flagged, B_ANY_ADDRESS, page_size(), B_NO_LOCK,
			  B_READ_AREA | B_WRITE_AREA | B_SHARED_AREA);
	ASSERT_GE(fid, 1);
	ASSERT_EQ(get_area_info(fid, &info), B_OK);
	EXPECT_TRUE(info.protection & B_SHARED_AREA);
	sid = make_area("cloned", 1, &src);
	cid = clone_area("its clone", &clone, B_ANY_ADDRESS, B_READ_AREA | B_WRITE_AREA, sid);
	ASSERT_GE(cid, 1);
	p[0] = flagged;
	p[1] = clone;
	p[2] = src;
	EXPECT_TRUE(exited_ok(in_child(child_writes_shared, p)));
	EXPECT_STREQ((char *)flagged, "child, flagged");
	EXPECT_STREQ((char *)src, "child, clone");
	EXPECT_EQ(delete_area(cid), B_OK);
	EXPECT_EQ(delete_area(sid), B_OK);
	EXPECT_EQ(delete_area(fid), B_OK);
}

/*
 * A B_FULL_LOCK area is copied whole at fork(): every page of the child's
 * copy is mapped before the child touches it (so it takes no fault), and
 * holds what the parent wrote.  (Page presence, not the fault count: a
 * fork child faults in the text pages it runs.)
 */
static void child_touches_wired(void *arg)
{
	volatile char *p = arg;
	size_t i;

	if (absent_pages(arg, 16))
		_exit(2);
	for (i = 0; i < 16; i++)
		if (p[i * page_size()] != (char)(i + 1))
			_exit(3);
	_exit(0);
}

VT_TEST(haiku_fork_copies_a_full_lock_area_whole)
{
	void *addr = NULL;
	area_id id;
	size_t i;

	id = create_area("wired", &addr, B_ANY_ADDRESS, 16 * page_size(), B_FULL_LOCK,
			 B_READ_AREA | B_WRITE_AREA);
	ASSERT_GE(id, 1);
	for (i = 0; i < 16; i++)
		((char *)addr)[i * page_size()] = (char)(i + 1);
	EXPECT_TRUE(exited_ok(in_child(child_touches_wired, addr)));
	EXPECT_EQ(delete_area(id), B_OK);
}

/*
 * Many forks in a row, each child gone before the next: every fork works
 * (the copies' layers go with their children, the parent's chain does not
 * grow until EMLINK), and the parent's data is intact.
 */
static void child_checks(void *p)
{
	void *mine = NULL;

	if (strcmp(p, "many forks"))
		_exit(2);
	if (create_area("in the child", &mine, B_ANY_ADDRESS, page_size(), B_NO_LOCK,
			B_READ_AREA | B_WRITE_AREA) < 0)
		_exit(3);
	strcpy(p, "child");
	_exit(0);
}

VT_TEST(haiku_fork_many_times)
{
	void *addr;
	area_id id;
	int i;

	id = make_area("forked often", 1, &addr);
	strcpy(addr, "many forks");
	for (i = 0; i < 40; i++)
		if (!exited_ok(in_child(child_checks, addr)))
			break;
	EXPECT_EQ(i, 40);
	EXPECT_STREQ((char *)addr, "many forks");
	EXPECT_EQ(delete_area(id), B_OK);
}