// SPDX-License-Identifier: GPL-2.0
/*
 * Teams (VMARENA_IOC_TEAM_PUBLISH and _OPEN): a process names one aspace
 * as its own and others of its euid open it by pid; the name ends with the
 * aspace, at exec and at exit, a second publish replaces the first, and
 * every refusal has its errno.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt_arena.h"

/* VMARENA_IOC_TEAM_OPEN of @pid: the fd, or -1 with errno. */
static int tm_open(int ctl, pid_t pid, uint32_t *id)
{
	struct vmarena_team t = { .size = sizeof(t), .pid = pid };

	if (ioctl(ctl, VMARENA_IOC_TEAM_OPEN, &t))
		return -1;
	if (id)
		*id = t.out_id;
	return (int)t.out_fd;
}

static int tm_publish(int as)
{
	struct vmarena_team t = { .size = sizeof(t) };

	return ioctl(as, VMARENA_IOC_TEAM_PUBLISH, &t);
}

static uint32_t tm_aspace_id(int as)
{
	struct vmarena_aspace_info info;

	ASSERT_OK(va_aspace_info(as, &info));
	return info.out_id;
}

/*
 * A child publishes an aspace and waits: its parent opens it by pid, gets
 * the same aspace, and an area it makes there is the child's to see.
 */
VT_TEST(team_open_gives_the_aspace_a_child_published)
{
	struct vmarena_aspace_info info;
	uint32_t asid = 0, id;
	struct va_sync s;
	struct va_env e;
	int fd, status;
	pid_t pid;

	va_env_init(&e);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		int as;

		va_sync_child(&s);
		as = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
		ASSERT_OK(tm_publish(as));
		va_sync_post(&s, false);
		va_sync_wait(&s, false);	/* the parent made an area */
		ASSERT_OK(va_aspace_info(as, &info));
		EXPECT_EQ(info.out_areas, 1U);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	fd = tm_open(e.ctl, pid, &asid);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(tm_aspace_id(fd), asid);
	EXPECT_NE(asid, e.asid);
	id = va_anon_ok(fd, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	EXPECT_GE(id, 1U);
	va_sync_post(&s, true);
	status = va_wait(pid);
	EXPECT_EQ(status, 0);
	close(fd);
}

/* Its own: a process opens what it published; a second publish replaces it. */
VT_TEST(team_publish_again_replaces_the_first)
{
	uint32_t id;
	struct va_env e;
	int other, fd;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	ASSERT_OK(tm_publish(e.as));
	fd = tm_open(e.ctl, getpid(), &id);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(id, e.asid);
	close(fd);
	ASSERT_OK(tm_publish(other));
	fd = tm_open(e.ctl, getpid(), &id);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(id, tm_aspace_id(other));
	close(fd);
	/* The name holds nothing: with its last fd, the aspace and name go. */
	close(other);
	EXPECT_ERRNO(tm_open(e.ctl, getpid(), NULL), ENOENT);
}

/* The name ends at exec: the process is still there, its aspace is not its. */
VT_TEST(team_name_ends_at_exec)
{
	struct va_sync s;
	struct va_env e;
	int fd, keep;
	pid_t pid;

	va_env_init(&e);
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		/* Its aspace fd survives the exec; the name must not. */
		keep = fcntl(e.as, F_DUPFD, 3);
		ASSERT_GE(keep, 0);
		ASSERT_OK(tm_publish(keep));
		va_sync_post(&s, false);
		va_sync_wait(&s, false);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	fd = tm_open(e.ctl, pid, NULL);
	EXPECT_GE(fd, 0);
	if (fd >= 0)
		close(fd);
	va_sync_post(&s, true);
	/* Wait for the exec: its comm becomes "sleep". */
	EXPECT_TRUE(va_wait_comm(pid, "sleep"));
	EXPECT_ERRNO(tm_open(e.ctl, pid, NULL), ENOENT);
	kill(pid, SIGKILL);
	va_wait(pid);
	/* Gone: no such process. */
	EXPECT_ERRNO(tm_open(e.ctl, pid, NULL), ESRCH);
}

/* Another euid may not open it, the owner may; bad arguments are EINVAL. */
VT_TEST(team_refusals_have_their_errno)
{
	struct vmarena_team t;
	pid_t self = getpid();
	struct va_env e;
	int status;

	va_env_init(&e);
	ASSERT_OK(tm_publish(e.as));
	VA_IN_CHILD(status, {
		int ctl = e.ctl;

		va_become_nobody();
		EXPECT_ERRNO(tm_open(ctl, self, NULL), EPERM);
	});
	EXPECT_EQ(status, 0);
	/* A process that published nothing. */
	VA_IN_CHILD(status, {
		EXPECT_ERRNO(tm_open(e.ctl, getpid(), NULL), ENOENT);
	});
	EXPECT_EQ(status, 0);
	EXPECT_ERRNO(tm_open(e.ctl, 0, NULL), EINVAL);
	EXPECT_ERRNO(tm_open(e.ctl, -1, NULL), EINVAL);
	t = (struct vmarena_team){ .size = sizeof(t), .pid = self, .flags = 1 };
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_TEAM_OPEN, &t), EINVAL);
	t = (struct vmarena_team){ .size = sizeof(t), .pid = self, .reserved = 1 };
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_TEAM_OPEN, &t), EINVAL);
	t = (struct vmarena_team){ .size = sizeof(t), .pid = self };
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_TEAM_PUBLISH, &t), EINVAL);
	t = (struct vmarena_team){ .size = sizeof(t), .flags = 1 };
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_TEAM_PUBLISH, &t), EINVAL);
	/* Each on the other kind of fd: not a command there. */
	t = (struct vmarena_team){ .size = sizeof(t) };
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_TEAM_PUBLISH, &t), ENOTTY);
	t = (struct vmarena_team){ .size = sizeof(t), .pid = self };
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_TEAM_OPEN, &t), ENOTTY);
	/* An argument that cannot be written back: EFAULT, no fd left. */
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_TEAM_OPEN, NULL), EFAULT);
}
