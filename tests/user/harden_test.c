// SPDX-License-Identifier: GPL-2.0
/*
 * Hardening (issue 7): the per-user caps (module parameters
 * max_aspaces_per_user, max_areas_per_user, max_commit_per_user),
 * isolation between users and aspaces, and the regression tests of the
 * bugs the fuzzer, the torture and the failure injection found.
 *
 * Each cap test lowers its parameter, runs as a uid of its own in a child
 * (so that nothing else counts against it), and puts the parameter back
 * whatever became of the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt.h"
#include "vt_arena.h"

#define H_PARAMS "/sys/module/vmarena/parameters/"

/* A call that must succeed, the test going on if it does not. */
#define EXPECT_OK(call)							\
	do {								\
		long h_r_ = (long)(call);				\
		VT_CHECK(h_r_ >= 0, 0, "%s: returned %ld (%s)", #call, h_r_, \
			 strerror(errno));				\
	} while (0)

static unsigned long long h_param_get(const char *name)
{
	char path[128], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), H_PARAMS "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_TRUE(n > 0);
	return strtoull(buf, NULL, 0);
}

static void h_param_set(const char *name, unsigned long long val)
{
	char path[128], buf[32];
	int fd, len;

	snprintf(path, sizeof(path), H_PARAMS "%s", name);
	len = snprintf(buf, sizeof(buf), "%llu", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, buf, len), len);
	close(fd);
}

static void h_become(uid_t uid)
{
	ASSERT_OK(setgroups(0, NULL));
	ASSERT_OK(setresgid(uid, uid, uid));
	ASSERT_OK(setresuid(uid, uid, uid));
}

static int h_aspace(int ctl)
{
	struct vmarena_aspace_create c;

	va_aspace_req(&c, "", VA_BASE, VA_LEN, 0, 0);
	return va_aspace_create(ctl, &c);
}

static int h_anon(int as, uint64_t len, uint32_t *id)
{
	struct vmarena_area_create c;
	int r;

	va_area_req(&c, "h", 0, len, VA_RW);
	r = va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c);
	if (!r && id)
		*id = c.out_id;
	return r;
}

static int h_clone(int as, uint32_t source, uint32_t mapping)
{
	struct vmarena_area_create c;

	va_area_req(&c, "c", 0, 0, VA_RW);
	c.source_id = source;
	c.mapping = mapping;
	return va_area_create(as, VMARENA_IOC_AREA_CLONE, &c);
}

static void h_aspaces_capped(void)
{
	int ctl = va_ctl_ok(), fds[4], i;

	h_become(4201);
	for (i = 0; i < 3; i++) {
		fds[i] = h_aspace(ctl);
		ASSERT_TRUE(fds[i] >= 0);
	}
	EXPECT_ERRNO(h_aspace(ctl), EDQUOT);
	/* A persistent aspace counts too. */
	{
		struct vmarena_aspace_create c;

		va_aspace_req(&c, va_uname("hcap"), VA_BASE, VA_LEN, VMARENA_ASPACE_PERSISTENT, 0600);
		EXPECT_ERRNO(va_aspace_create(ctl, &c), EDQUOT);
	}
	/* An aspace that goes gives its count back. */
	close(fds[0]);
	fds[3] = h_aspace(ctl);
	EXPECT_TRUE(fds[3] >= 0);
	EXPECT_ERRNO(h_aspace(ctl), EDQUOT);
}

VT_TEST(harden_aspaces_per_user_are_capped)
{
	unsigned long long old = h_param_get("max_aspaces_per_user");

	EXPECT_GT(old, 0ULL);
	h_param_set("max_aspaces_per_user", 3);
	EXPECT_CHILD_OK(h_aspaces_capped());
	/* Another user has a cap of its own. */
	EXPECT_CHILD_OK({
		int c = va_ctl_ok();

		h_become(4202);
		EXPECT_TRUE(h_aspace(c) >= 0);
	});
	/* 0: no cap. */
	h_param_set("max_aspaces_per_user", 0);
	EXPECT_CHILD_OK({
		int c = va_ctl_ok(), i;

		h_become(4203);
		for (i = 0; i < 8; i++)
			EXPECT_TRUE(h_aspace(c) >= 0);
	});
	h_param_set("max_aspaces_per_user", old);
}

static void h_areas_capped(void)
{
	int ctl = va_ctl_ok(), as, as2, i;
	uint32_t ids[5];

	h_become(4211);
	as = h_aspace(ctl);
	as2 = h_aspace(ctl);
	ASSERT_TRUE(as >= 0 && as2 >= 0);
	for (i = 0; i < 5; i++)
		ASSERT_OK(h_anon(i < 3 ? as : as2, VA_PAGES(1), &ids[i]));
	/* every kind of area counts, in every aspace of the user */
	EXPECT_ERRNO(h_anon(as, VA_PAGES(1), NULL), EDQUOT);
	EXPECT_ERRNO(h_clone(as, ids[0], VMARENA_MAP_SHARED), EDQUOT);
	{
		struct vmarena_area_create c;

		va_area_req(&c, "n", 0, VA_PAGES(4), 0);
		EXPECT_ERRNO(va_area_create(as, VMARENA_IOC_AREA_CREATE_NULL, &c), EDQUOT);
	}
	/* a deleted area gives its count back */
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, ids[1], 0));
	EXPECT_OK(h_clone(as, ids[0], VMARENA_MAP_SHARED));
	EXPECT_ERRNO(h_anon(as, VA_PAGES(1), NULL), EDQUOT);
	/* and so do the areas of an aspace that goes */
	close(as);
	for (i = 0; i < 3; i++)
		EXPECT_OK(h_anon(as2, VA_PAGES(1), NULL));
	EXPECT_ERRNO(h_anon(as2, VA_PAGES(1), NULL), EDQUOT);
}

VT_TEST(harden_areas_per_user_are_capped)
{
	unsigned long long old = h_param_get("max_areas_per_user");

	EXPECT_GT(old, 0ULL);
	h_param_set("max_areas_per_user", 5);
	EXPECT_CHILD_OK(h_areas_capped());
	h_param_set("max_areas_per_user", old);
}

/* An anonymous area of @len bytes at page @page of the aspace: 0 or -1. */
static int h_anon_at(int as, unsigned int page, uint64_t len, uint32_t *id)
{
	struct vmarena_area_create c;
	int r;

	va_area_req(&c, "h", VA_BASE + VA_PAGES(page), len, VA_RW);
	r = va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c);
	if (!r && id)
		*id = c.out_id;
	return r;
}

static void h_commit_capped(void)
{
	int ctl = va_ctl_ok(), as;
	struct vmarena_area_info info;
	struct vmarena_area_create c;
	uint32_t a = 0, b = 0;

	h_become(4221);
	as = h_aspace(ctl);
	ASSERT_TRUE(as >= 0);
	/* Far apart, so that every resize has room in place. */
	ASSERT_OK(h_anon_at(as, 0, VA_PAGES(8), &a));
	ASSERT_OK(h_anon_at(as, 64, VA_PAGES(8), &b));
	EXPECT_ERRNO(h_anon_at(as, 128, VA_PAGES(1), NULL), EDQUOT);
	/* a private clone adds memory; a shared clone and a null area do not */
	EXPECT_ERRNO(h_clone(as, a, VMARENA_MAP_PRIVATE), EDQUOT);
	va_area_req(&c, "s", VA_BASE + VA_PAGES(192), 0, VA_RW);
	c.source_id = a;
	c.mapping = VMARENA_MAP_SHARED;
	EXPECT_OK(va_area_create(as, VMARENA_IOC_AREA_CLONE, &c));
	va_area_req(&c, "n", VA_BASE + VA_PAGES(256), VA_PAGES(1000), 0);
	EXPECT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_NULL, &c));
	/* growing past the cap changes nothing */
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_RESIZE, b, VA_PAGES(9)), EDQUOT);
	va_area_info_ok(as, b, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(8));
	/* a bad size is still EINVAL, not EDQUOT */
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_RESIZE, b, VA_PAGES(9) + 1), EINVAL);
	/* shrinking gives bytes back */
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, b, VA_PAGES(4)));
	EXPECT_OK(h_anon_at(as, 1400, VA_PAGES(4), NULL));
	EXPECT_ERRNO(h_anon_at(as, 1500, VA_PAGES(1), NULL), EDQUOT);
	/* deleting gives them back: 8 + 4 counted now */
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, b, 0));
	EXPECT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, a, VA_PAGES(12)));
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_AREA_RESIZE, a, VA_PAGES(13)), EDQUOT);
	va_area_info_ok(as, a, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(12));
}

VT_TEST(harden_committed_bytes_per_user_are_capped)
{
	unsigned long long old = h_param_get("max_commit_per_user");

	h_param_set("max_commit_per_user", VA_PAGES(16));
	EXPECT_CHILD_OK(h_commit_capped());
	/* another user is not held back by the first one's areas */
	EXPECT_CHILD_OK({
		int as;

		as = h_aspace(va_ctl_ok());
		h_become(4222);
		EXPECT_OK(h_anon(as, VA_PAGES(16), NULL));
		/* ... while uid 4221's areas went with its process */
		EXPECT_ERRNO(h_anon(as, VA_PAGES(1), NULL), EDQUOT);
	});
	h_param_set("max_commit_per_user", old);
}

/*
 * Pages that one aspace wrote and gave back read as zeros in another
 * aspace's new area: nothing leaks between aspaces but through a clone.
 */
VT_TEST(harden_freed_pages_never_show_in_another_aspace)
{
	int ctl = va_ctl_ok(), a1, a2;
	uint32_t id;
	char *w;
	size_t i;

	a1 = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	va_anon_ok(a1, VA_BASE, VA_PAGES(256), VA_RW, 0);
	w = va_map_ok(a1, VA_BASE, VA_PAGES(256));
	memset(w, 0xa5, VA_PAGES(256));
	munmap(w, VA_PAGES(256));
	close(a1);

	a2 = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_ok(a2, VA_BASE, VA_PAGES(256), VA_RW, 0);
	(void)id;
	w = va_map_ok(a2, VA_BASE, VA_PAGES(256));
	for (i = 0; i < VA_PAGES(256); i += 512)
		if (w[i]) {
			EXPECT_EQ(w[i], 0);
			break;
		}
	EXPECT_TRUE(va_is_zero(w, VA_PAGES(256)));
}

/*
 * Found by the fuzzer: MAP_DEVICE of a physical address beyond what the
 * machine can address failed with EBUSY (from request_mem_region()), an
 * errno the ABI did not have for it; it is EINVAL.
 */
VT_TEST(harden_device_range_beyond_the_machine_is_einval)
{
	static const uint64_t phys[] = { 1ULL << 52, 1ULL << 63, 0xfffffffffff00000ULL };
	struct vmarena_area_create c;
	struct va_env e;
	unsigned int i;

	va_env_init(&e);
	for (i = 0; i < sizeof(phys) / sizeof(phys[0]); i++) {
		va_area_req(&c, "dev", 0, VA_PAGES(1), VMARENA_PROT_READ);
		c.phys = phys[i];
		EXPECT_ERRNO_AT("beyond the machine", va_area_create(e.as,
				VMARENA_IOC_AREA_MAP_DEVICE, &c), EINVAL);
	}
}

struct h_race {
	int as;
	uint32_t id;
	uint64_t size;		/* what the other thread resizes to, and fails */
	volatile int stop;
};

static void *h_resize_failing(void *arg)
{
	struct h_race *r = arg;

	while (!r->stop)
		va_area_op(r->as, VMARENA_IOC_AREA_RESIZE, r->id, r->size);
	return NULL;
}

/*
 * Exactly @pages are counted against the euid @uid: a cap of @pages lets
 * not one more page in, a cap of one page more lets one in.  The saved
 * uid 0 sets the cap.
 */
static void h_cap(unsigned long long bytes, uid_t uid)
{
	ASSERT_OK(seteuid(0));
	h_param_set("max_commit_per_user", bytes);
	ASSERT_OK(seteuid(uid));
}

static void h_expect_counted(int as, uint64_t pages, uid_t uid)
{
	uint32_t id = 0;

	h_cap(VA_PAGES(pages), uid);
	EXPECT_ERRNO(h_anon(as, VA_PAGES(1), NULL), EDQUOT);
	h_cap(VA_PAGES(pages + 1), uid);
	ASSERT_OK(h_anon(as, VA_PAGES(1), &id));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, id, 0));
	h_cap(0, uid);
}

static void h_race_as(uid_t uid)
{
	struct h_race r = { .size = 0xfffffffffffff000ULL };
	int ctl = va_ctl_ok(), i, round;
	pthread_t t;
	uint32_t id;

	ASSERT_OK(setresuid(0, uid, 0));
	r.as = h_aspace(ctl);
	ASSERT_TRUE(r.as >= 0);
	ASSERT_OK(h_anon(r.as, VA_PAGES(8), &r.id));
	EXPECT_ERRNO(va_area_op(r.as, VMARENA_IOC_AREA_RESIZE, r.id, r.size), ENOMEM);
	ASSERT_EQ(pthread_create(&t, NULL, h_resize_failing, &r), 0);
	for (i = 0; i < 2000; i++) {
		if (h_anon(r.as, VA_PAGES(2), &id))
			continue;
		EXPECT_OK(va_area_op(r.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(3)));
		EXPECT_OK(va_area_op(r.as, VMARENA_IOC_AREA_DELETE, id, 0));
	}
	r.stop = 1;
	pthread_join(t, NULL);
	h_expect_counted(r.as, 8, uid);

	/*
	 * A resize the core refuses (1 TiB, beyond the commit limit) racing
	 * with resizes of the same area that succeed: the failed one's undo
	 * must not put back a count the other had replaced meanwhile.
	 */
	r.size = 1ULL << 40;
	for (round = 0; round < 20; round++) {
		r.stop = 0;
		ASSERT_EQ(pthread_create(&t, NULL, h_resize_failing, &r), 0);
		for (i = 0; i < 50; i++)
			EXPECT_OK(va_area_op(r.as, VMARENA_IOC_AREA_RESIZE, r.id,
					     VA_PAGES(i & 1 ? 16 : 8)));
		r.stop = 1;
		pthread_join(t, NULL);
		h_expect_counted(r.as, 16, uid);
	}
	ASSERT_OK(va_area_op(r.as, VMARENA_IOC_AREA_DELETE, r.id, 0));
	EXPECT_OK(h_anon(r.as, VA_PAGES(8), NULL));
}

/*
 * Found by the fuzzer: a resize to nearly 2^64 bytes (which the core then
 * refuses) was first counted against its creator's committed bytes, which
 * wrapped around; another area of the user going meanwhile found less
 * counted than it had (a WARN, a panic with panic_on_warn).  Such a resize
 * is ENOMEM before anything is counted.  Found in review: a failed resize
 * undid its count outside the resize lock, over what a concurrent resize
 * of the same area had counted; the count now changes under that lock.
 * The counts stay exact.
 */
VT_TEST(harden_huge_resize_counts_nothing)
{
	unsigned long long old = h_param_get("max_commit_per_user");

	h_param_set("max_commit_per_user", 0);
	EXPECT_CHILD_OK(h_race_as(4231));
	h_param_set("max_commit_per_user", old);
}

/*
 * Found by the fuzzer: an overcommitted contiguous area of 16 GiB sized
 * the array of its run before anything checked the size: too large for
 * kvmalloc(), a WARN (a panic with panic_on_warn).  A contiguous area is
 * one run of at most 4 MiB: EINVAL beyond, before anything is allocated.
 */
VT_TEST(harden_contiguous_area_beyond_one_run_is_einval)
{
	static const uint64_t sizes[] = { VA_PAGES(1025), 1ULL << 34, 1ULL << 40 };
	struct vmarena_area_create c;
	struct va_env e;
	unsigned int i;

	va_env_init(&e);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		va_area_req(&c, "contig", 0, sizes[i], VA_RW);
		c.wiring = VMARENA_WIRING_CONTIGUOUS;
		c.flags = VMARENA_AREA_OVERCOMMIT;
		EXPECT_ERRNO_AT("beyond one run", va_area_create(e.as,
				VMARENA_IOC_AREA_CREATE_ANON, &c), EINVAL);
	}
	/* One run exactly is allowed (ENOMEM if the kernel has no such run). */
	va_area_req(&c, "contig", 0, VA_PAGES(1024), VA_RW);
	c.wiring = VMARENA_WIRING_CONTIGUOUS;
	errno = 0;
	if (va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c))
		EXPECT_EQ(errno, ENOMEM);
}

/*
 * Found by the fuzzer: a super-lock faulted in every page of a 1 GiB file
 * area without ever giving the CPU up or looking for a signal; on a
 * kernel without preemption the guest stalled (an RCU stall report) and
 * a killed caller could not exit until the arena was full.  Now the page
 * loop yields and stops for a fatal signal.  The child super-locks a file
 * area of three quarters of the pool (so that the lock could succeed, and
 * takes long); killed 100 ms after it starts, it is gone at once (5 s is a
 * bound on a hang, not a speed).
 */
VT_TEST(harden_killed_superlocker_exits_at_once)
{
	uint64_t len = h_param_get("max_pages") * 3 / 4 * VA_PAGE;
	struct vmarena_area_create c;
	struct timespec start, now;
	int status, fd, as, ready[2];
	pid_t pid, done;
	char byte;

	fd = memfd_create("big", MFD_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(ftruncate(fd, (off_t)len));
	ASSERT_OK(pipe(ready));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		struct vmarena_aspace_create ac;

		va_aspace_req(&ac, "", VA_BASE, 2 * len, 0, 0);
		as = va_aspace_create(va_ctl_ok(), &ac);
		va_area_req(&c, "big", 0, len, VMARENA_PROT_READ);
		c.mapping = VMARENA_MAP_SHARED;
		c.fd = fd;
		if (as < 0 || va_area_create(as, VMARENA_IOC_AREA_MAP_FILE, &c))
			_exit(2);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		va_area_op(as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED);
		_exit(3);	/* the super-lock should not end before the kill */
	}
	close(ready[1]);
	ASSERT_EQ(read(ready[0], &byte, 1), 1);
	close(ready[0]);
	usleep(100 * 1000);
	ASSERT_OK(kill(pid, SIGKILL));
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		done = waitpid(pid, &status, WNOHANG);
		if (!done)
			usleep(10 * 1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (!done && now.tv_sec - start.tv_sec < 5);
	if (!done) {
		vt_fail(__FILE__, __LINE__, "the killed super-locker still runs after 5 s");
		waitpid(pid, &status, 0);
	}
	VT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, 0,
		 "the child was not killed: status %#x (exit 2: no area, 3: super-lock ended)",
		 status);
	close(fd);
}

/*
 * Found by the fuzzer: a super-lock of an aspace whose areas could never
 * all be resident (an overcommitted 4 GiB area against a pool capped at a
 * quarter of the guest's 2 GiB) faulted page after page with the resize
 * lock held until the arena was full, and other callers hung behind it.
 * It is ENOMEM at once now: the aspace takes not a single fault.
 */
VT_TEST(harden_superlock_that_cannot_fit_fails_at_once)
{
	struct vmarena_aspace_create ac;
	struct vmarena_aspace_info info;
	struct vmarena_area_create c;
	int as;

	va_aspace_req(&ac, "", VA_BASE, 8ULL << 30, 0, 0);
	as = va_aspace_create(va_ctl_ok(), &ac);
	ASSERT_TRUE(as >= 0);
	va_area_req(&c, "huge", 0, 4ULL << 30, VA_RW);
	c.flags = VMARENA_AREA_OVERCOMMIT;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	EXPECT_ERRNO(va_area_op(as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED),
		     ENOMEM);
	ASSERT_OK(va_aspace_info(as, &info));
	EXPECT_EQ(info.out_faults, 0);
	/* The refused lock was undone: a small area is not created wired. */
	va_area_req(&c, "small", 0, VA_PAGES(4), VA_RW);
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	ASSERT_OK(va_aspace_info(as, &info));
	EXPECT_EQ(info.out_faults, 0);
	close(as);
}

struct h_churn {
	int as;
	volatile int stop;
};

static void *h_create_delete(void *arg)
{
	struct h_churn *ch = arg;
	uint32_t id;

	while (!ch->stop)
		if (!h_anon(ch->as, VA_PAGES(2), &id))
			va_area_op(ch->as, VMARENA_IOC_AREA_DELETE, id, 0);
	return NULL;
}

/*
 * Found by the fuzzer: a super-lock read the store type of an area through
 * its cache before it checked that the area was not deleted; an area
 * deleted meanwhile had its cache freed (a NULL dereference on the stock
 * kernel, a use-after-free).  Super-locks race deletions here; the lane's
 * kernel-log check (KASAN in the debug lanes) is the judge, and every
 * super-lock and release must succeed.
 */
VT_TEST(harden_superlock_races_area_delete)
{
	struct h_churn ch = { 0 };
	pthread_t t;
	int i;

	ch.as = h_aspace(va_ctl_ok());
	ASSERT_TRUE(ch.as >= 0);
	ASSERT_EQ(pthread_create(&t, NULL, h_create_delete, &ch), 0);
	for (i = 0; i < 300; i++) {
		EXPECT_OK(va_area_op(ch.as, VMARENA_IOC_ASPACE_SUPERLOCK, 0,
				     VMARENA_LOCK_SUPERLOCKED));
		EXPECT_OK(va_area_op(ch.as, VMARENA_IOC_ASPACE_SUPERLOCK, 0,
				     VMARENA_LOCK_UNLOCKED));
	}
	ch.stop = 1;
	pthread_join(t, NULL);
	close(ch.as);
}
