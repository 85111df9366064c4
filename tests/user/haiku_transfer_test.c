// SPDX-License-Identifier: GPL-2.0
/*
 * transfer_area() under <vmarena/os_area.h>: Haiku's own
 * transfer_area_test (src/tests/system/kernel/ in the haiku repository)
 * made to check what it prints, with a pipe for its port: a sender moves
 * an area it wrote into a waiting receiver, which finds it by id, sees the
 * bytes and deletes it.  Then B_CLONE_ADDRESS into a forked child, and
 * the refusals.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vmarena/os_area.h>
#include "vt_arena.h"

#define RW	(B_READ_AREA | B_WRITE_AREA)

static const char tr_text[] = "Oh my god - it's working! (vmarena)";

/*
 * The receiver (a child: a team of its own once fork() copied its areas)
 * waits for an area id; the sender creates, writes and moves the area.
 */
VT_TEST(haiku_transfer_area_test)
{
	char *address = NULL;
	area_id area, target;
	struct va_sync s;
	pid_t pid;

	ASSERT_EQ(os_area_aspace_range(NULL, NULL), B_OK);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		area_info info;
		area_id got;

		va_sync_child(&s);
		va_sync_post(&s, false);	/* "waiting for an area" */
		ASSERT_EQ(read(s.to_child[0], &got, sizeof(got)), (ssize_t)sizeof(got));
		ASSERT_EQ(get_area_info(got, &info), B_OK);
		EXPECT_STREQ(info.name, "test transfer area");
		EXPECT_EQ(info.team, getpid());
		EXPECT_EQ(info.size, (size_t)B_PAGE_SIZE);
		EXPECT_STREQ((char *)info.address, tr_text);
		EXPECT_EQ(delete_area(got), B_OK);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	area = create_area("test transfer area", (void **)&address, B_ANY_ADDRESS, B_PAGE_SIZE,
			   B_NO_LOCK, RW);
	ASSERT_GE(area, 1);
	strcpy(address, tr_text);
	target = _kern_transfer_area(area, (void **)&address, B_ANY_ADDRESS, pid);
	EXPECT_GE(target, 1);
	ASSERT_EQ(write(s.to_child[1], &target, sizeof(target)), (ssize_t)sizeof(target));
	EXPECT_EQ(va_wait(pid), 0);
	/* It left this team. */
	EXPECT_EQ(get_area_info(area, &(area_info){ 0 }), B_BAD_VALUE);
}

/*
 * Into a forked child at the same address (B_CLONE_ADDRESS): the child's
 * pointer is the parent's, its writes land in the moved area, and the
 * parent, whose area is gone, faults there.
 */
VT_TEST(haiku_transfer_area_keeps_the_address_in_a_child)
{
	char *p = NULL, *q;
	area_id area, moved;
	struct va_sync s;
	pid_t pid;

	area = create_area("moving", (void **)&p, B_ANY_ADDRESS, 4 * B_PAGE_SIZE, B_FULL_LOCK, RW);
	ASSERT_GE(area, 1);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		area_id got;

		va_sync_child(&s);
		/* The copy of the area fork() made stands in the way: delete it. */
		EXPECT_EQ(delete_area(area_for(p)), B_OK);
		va_sync_post(&s, false);
		ASSERT_EQ(read(s.to_child[0], &got, sizeof(got)), (ssize_t)sizeof(got));
		EXPECT_EQ(area_for(p), got);
		EXPECT_STREQ(p + 3 * B_PAGE_SIZE, "parent's");
		strcpy(p, "child's");
		va_child_exit();
	}
	va_sync_parent(&s);
	strcpy(p + 3 * B_PAGE_SIZE, "parent's");
	ASSERT_TRUE(va_sync_wait(&s, true));
	q = p;
	moved = transfer_area(area, (void **)&q, B_CLONE_ADDRESS, pid);
	EXPECT_GE(moved, 1);
	EXPECT_EQ(q, p);
	ASSERT_EQ(write(s.to_child[1], &moved, sizeof(moved)), (ssize_t)sizeof(moved));
	EXPECT_EQ(va_wait(pid), 0);
	EXPECT_EQ(area_for(p), B_ERROR);
	EXPECT_SIGNAL(SIGSEGV, va_poke(p, 1));
}

/* Refusals: nothing moves, and the area is still here and usable. */
VT_TEST(haiku_transfer_area_refusals)
{
	char *p = NULL;
	void *addr;
	area_id area;
	pid_t pid;

	area = create_area("staying", (void **)&p, B_ANY_ADDRESS, B_PAGE_SIZE, B_NO_LOCK, RW);
	ASSERT_GE(area, 1);
	p[0] = 7;
	/* A process without a default aspace: one that exec()ed. */
	pid = va_fork();
	if (!pid) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	addr = NULL;
	/* Until it has exec()ed it is a copy of this team: wait for the exec. */
	EXPECT_TRUE(va_wait_comm(pid, "sleep"));
	EXPECT_EQ(transfer_area(area, &addr, B_ANY_ADDRESS, pid), B_BAD_TEAM_ID);
	kill(pid, SIGKILL);
	va_wait(pid);
	EXPECT_EQ(transfer_area(area, &addr, B_ANY_ADDRESS, pid), B_BAD_TEAM_ID);
	EXPECT_EQ(transfer_area(area, &addr, B_ANY_ADDRESS, -5), B_BAD_TEAM_ID);
	EXPECT_EQ(transfer_area(area, NULL, B_ANY_ADDRESS, B_CURRENT_TEAM), B_BAD_ADDRESS);
	EXPECT_EQ(transfer_area(-1, &addr, B_ANY_ADDRESS, B_CURRENT_TEAM), B_BAD_VALUE);
	EXPECT_EQ(transfer_area(area, &addr, 77, B_CURRENT_TEAM), B_BAD_VALUE);
	EXPECT_EQ(area_for(p), area);
	EXPECT_EQ(p[0], 7);
	/* Within this team it simply moves. */
	addr = NULL;
	area = transfer_area(area, &addr, B_ANY_ADDRESS, B_CURRENT_TEAM);
	ASSERT_GE(area, 1);
	EXPECT_EQ(((char *)addr)[0], 7);
	EXPECT_EQ(delete_area(area), B_OK);
}
