// SPDX-License-Identifier: GPL-2.0
/*
 * Haiku's own fork tests for areas (src/tests/system/kernel/ in the haiku
 * repository), ported to <vmarena/os_area.h> and made to check what they
 * print there:
 * - cow_bug113_test: a page the kernel has read in the child is still
 *   copy-on-write when the child then writes it;
 * - page_fault_cache_merge_test: a parent touches pages while its child
 *   deletes the copy, over and over: the layers merge back, nothing is
 *   lost or leaked;
 * - set_area_protection_test1: after fork(), the parent makes read-only
 *   areas writable and writes them; the child's copies keep their view,
 *   while its clones of the parent's areas see the writes.  (Cross-process
 *   clone_area() needs B_CLONEABLE_AREA here, see os_area.h.)
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vmarena/os_area.h>
#include "vt.h"

#define RW	(B_READ_AREA | B_WRITE_AREA)

static pid_t fork_flushed(void)
{
	fflush(NULL);
	return fork();
}

static int wait_status(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

VT_TEST(haiku_cow_bug113_kernel_read_then_child_write)
{
	char *var = NULL;
	struct stat st;
	area_id area;
	pid_t pid;

	area = create_area("cow test", (void **)&var, B_ANY_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_GE(area, 1);
	strcpy(var, "/dev/null");
	pid = fork_flushed();
	ASSERT_GE(pid, 0);
	if (!pid) {
		/* The kernel reads the page (the path) first. */
		if (stat(var, &st))
			_exit(2);
		strcpy(var, "Argh!");
		_exit(strcmp(var, "Argh!") ? 3 : 0);
	}
	EXPECT_EQ(wait_status(pid), 0);
	EXPECT_STREQ(var, "/dev/null");
	EXPECT_EQ(delete_area(area), B_OK);
}

#define MERGE_PAGES	1024
#define MERGE_ROUNDS	8

VT_TEST(haiku_page_fault_cache_merge)
{
	uint8_t *p;
	int round, i, bad;
	area_id area;
	pid_t pid;

	for (round = 0; round < MERGE_ROUNDS; round++) {
		p = NULL;
		area = create_area("test area", (void **)&p, B_ANY_ADDRESS,
				   MERGE_PAGES * B_PAGE_SIZE, B_NO_LOCK, RW);
		ASSERT_GE(area, 1);
		for (i = 0; i < MERGE_PAGES / 2; i++)
			p[i * B_PAGE_SIZE] = 42;
		pid = fork_flushed();
		ASSERT_GE(pid, 0);
		if (!pid)
			_exit(delete_area(area_for(p)) == B_OK ? 0 : 2);
		for (i = MERGE_PAGES / 2; i < MERGE_PAGES; i++)
			p[i * B_PAGE_SIZE] = 42;
		EXPECT_EQ(wait_status(pid), 0);
		for (bad = 0, i = 0; i < MERGE_PAGES; i++)
			bad += p[i * B_PAGE_SIZE] != 42;
		EXPECT_EQ(bad, 0);
		EXPECT_EQ(delete_area(area), B_OK);
	}
}

#define PROT_AREAS	3

VT_TEST(haiku_set_area_protection_after_fork)
{
	area_id areas[PROT_AREAS], clone;
	int *addr[PROT_AREAS], *clone_addr = NULL;
	int ready[2], done[2], i;
	char c;
	pid_t pid;

	for (i = 0; i < PROT_AREAS; i++) {
		addr[i] = NULL;
		areas[i] = create_area("area", (void **)&addr[i], B_ANY_ADDRESS, B_PAGE_SIZE,
				       B_NO_LOCK, B_READ_AREA | B_CLONEABLE_AREA);
		ASSERT_GE(areas[i], 1);
	}
	clone = clone_area("area2clone", (void **)&clone_addr, B_ANY_ADDRESS, RW, areas[2]);
	ASSERT_GE(clone, 1);
	ASSERT_OK(pipe(ready));
	ASSERT_OK(pipe(done));
	pid = fork_flushed();
	ASSERT_GE(pid, 0);
	if (!pid) {
		/* Replace copies 1 and 2 by clones of the parent's areas. */
		for (i = 1; i < PROT_AREAS; i++) {
			if (delete_area(area_for(addr[i])) != B_OK)
				_exit(2);
			addr[i] = NULL;
			if (clone_area("child clone", (void **)&addr[i], B_ANY_ADDRESS,
				       B_READ_AREA, areas[i]) < 0)
				_exit(3);
		}
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(4);
		/* The copy kept its view; the clones see the parent's writes. */
		if (*addr[0] != 0)
			_exit(5);
		if (*addr[1] != 2 || *addr[2] != 3)
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	for (i = 0; i < PROT_AREAS; i++) {
		EXPECT_EQ(set_area_protection(areas[i], RW | B_CLONEABLE_AREA), B_OK);
		*addr[i] = i + 1;
	}
	ASSERT_EQ(write(done[1], "d", 1), 1);
	EXPECT_EQ(wait_status(pid), 0);
	EXPECT_EQ(*clone_addr, 3);
	EXPECT_EQ(delete_area(clone), B_OK);
	for (i = 0; i < PROT_AREAS; i++)
		EXPECT_EQ(delete_area(areas[i]), B_OK);
	for (i = 0; i < 2; i++) {
		close(ready[i]);
		close(done[i]);
	}
}
