// SPDX-License-Identifier: GPL-2.0
/*
 * Copies (VMARENA_IOC_AREA_COPY, VMARENA_IOC_ASPACE_COPY; uapi/vmarena.h,
 * "Copies"): a copy is a snapshot, apart from its source both ways;
 * shared areas are shared; pinned sources are copied eagerly and take no
 * fault; an aspace copy holds every area at its address; and every
 * refusal has its errno and leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vt_arena.h"

#define CP_PAGES	8

static void cp_req(struct vmarena_area_copy *c, uint32_t source, uint64_t address)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->source_id = source;
	c->addr_spec = address ? VMARENA_ADDR_EXACT : VMARENA_ADDR_ANY;
	c->address = address;
}

/* Copy @source (of the aspace @src_fd, if not -1) into @as: the copy's id. */
static uint32_t cp_copy_ok(int as, int src_fd, uint32_t source, uint64_t address,
			   uint64_t *where)
{
	struct vmarena_area_copy c;

	cp_req(&c, source, address);
	if (src_fd >= 0) {
		c.flags = VMARENA_COPY_SOURCE_FD;
		c.fd = src_fd;
	}
	VT_CHECK(!ioctl(as, VMARENA_IOC_AREA_COPY, &c), 1, "AREA_COPY of %u: %s", source,
		 strerror(errno));
	if (where)
		*where = c.out_address;
	return c.out_id;
}

static int cp_aspace_copy(int as)
{
	struct vmarena_aspace_copy c = { .size = sizeof(c) };

	return ioctl(as, VMARENA_IOC_ASPACE_COPY, &c) ? -1 : (int)c.out_fd;
}

static unsigned char *cp_at(unsigned char *w, uint64_t addr)
{
	return w + (addr - VA_BASE);
}

/* The bytes of [@p, @p + @len) as they are now (freed by the test's exit). */
static unsigned char *cp_save(const unsigned char *p, size_t len)
{
	unsigned char *copy = malloc(len);

	ASSERT_TRUE(copy);
	memcpy(copy, p, len);
	return copy;
}

/*
 * Two processes, each with its own aspace: the child copies the parent's
 * area into its aspace at the same address; afterwards each writes and
 * neither sees the other's writes.
 */
VT_TEST(area_copy_is_apart_from_its_source_both_ways)
{
	struct vmarena_area_info info;
	unsigned char *w, *p, *orig;
	struct va_sync s;
	struct va_env e;
	uint32_t id;
	pid_t pid;

	va_env_init(&e);
	id = va_anon_ok(e.as, 0, VA_PAGES(CP_PAGES), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	p = cp_at(w, info.out_base);
	va_fill(p, VA_PAGES(CP_PAGES), 1);
	orig = cp_save(p, VA_PAGES(CP_PAGES));
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		int mine;
		unsigned char *m;
		uint64_t at;

		va_sync_child(&s);
		mine = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
		cp_copy_ok(mine, e.as, id, info.out_base, &at);
		EXPECT_EQ(at, info.out_base);
		m = cp_at(va_map_ok(mine, VA_BASE, VA_PAGES(64)), at);
		EXPECT_EQ(memcmp(m, orig, VA_PAGES(CP_PAGES)), 0);
		memset(m, 0xc1, VA_PAGES(CP_PAGES / 2));	/* the child writes its half */
		va_sync_post(&s, false);
		va_sync_wait(&s, false);
		/* The parent wrote the other half: not in the child's copy. */
		EXPECT_EQ(memcmp(m + VA_PAGES(CP_PAGES / 2), orig + VA_PAGES(CP_PAGES / 2),
				 VA_PAGES(CP_PAGES / 2)), 0);
		EXPECT_EQ(m[0], 0xc1);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	/* The child's writes stay out of the parent's area. */
	EXPECT_EQ(memcmp(p, orig, VA_PAGES(CP_PAGES)), 0);
	memset(p + VA_PAGES(CP_PAGES / 2), 0x5a, VA_PAGES(CP_PAGES / 2));
	va_sync_post(&s, true);
	EXPECT_EQ(va_wait(pid), 0);
}

/* A shared area (the flag, a shared clone) is shared by its copy. */
VT_TEST(area_copy_of_a_shared_area_shares_it)
{
	uint32_t flagged, plain, clone, c1, c2;
	struct vmarena_area_info info;
	uint64_t a1, a2;
	unsigned char *w;
	struct va_env e;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	flagged = va_anon_named_ok(e.as, "flagged", 0, VA_PAGES(2), VA_RW, VMARENA_AREA_SHARED);
	plain = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, plain, &info);
	EXPECT_TRUE(!(info.out_flags & VMARENA_AREA_SHARED));
	clone = va_clone_ok(e.as, plain, VA_BASE + VA_PAGES(40), VMARENA_MAP_SHARED, VA_RW);
	va_area_info_ok(e.as, clone, &info);
	EXPECT_TRUE(info.out_flags & VMARENA_AREA_SHARED);
	/* Its source is marked too (Haiku), so a copy of it shares as well. */
	va_area_info_ok(e.as, plain, &info);
	EXPECT_TRUE(info.out_flags & VMARENA_AREA_SHARED);
	c1 = cp_copy_ok(e.as, -1, flagged, 0, &a1);
	c2 = cp_copy_ok(e.as, -1, clone, 0, &a2);
	va_area_info_ok(e.as, c1, &info);
	EXPECT_TRUE(info.out_flags & VMARENA_AREA_SHARED);
	cp_at(w, a1)[5] = 0x11;
	cp_at(w, a2)[5] = 0x22;
	va_area_info_ok(e.as, flagged, &info);
	EXPECT_EQ(cp_at(w, info.out_base)[5], 0x11);
	va_area_info_ok(e.as, plain, &info);
	EXPECT_EQ(cp_at(w, info.out_base)[5], 0x22);
	(void)c2;
	c2 = cp_copy_ok(e.as, -1, plain, 0, &a2);
	cp_at(w, a2)[6] = 0x33;
	va_area_info_ok(e.as, clone, &info);
	EXPECT_EQ(cp_at(w, info.out_base)[6], 0x33);
}

/*
 * A wired source is copied eagerly: neither the source nor the (wired)
 * copy takes a fault afterwards, and they are apart.
 */
VT_TEST(area_copy_of_a_wired_area_takes_no_fault)
{
	struct vmarena_area_info info;
	unsigned char *w, *p, *q;
	uint32_t id, copy;
	struct va_env e;
	uint64_t at;
	uint64_t faults;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	id = va_anon_ok(e.as, 0, VA_PAGES(CP_PAGES), VA_RW, VMARENA_WIRING_WIRED);
	va_area_info_ok(e.as, id, &info);
	p = cp_at(w, info.out_base);
	va_fill(p, VA_PAGES(CP_PAGES), 3);
	copy = cp_copy_ok(e.as, -1, id, 0, &at);
	va_area_info_ok(e.as, copy, &info);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_WIRED);
	q = cp_at(w, at);
	faults = va_window_faults(e.as);
	EXPECT_TRUE(va_check(q, VA_PAGES(CP_PAGES), 3));
	va_fill(p, VA_PAGES(CP_PAGES), 4);
	va_fill(q + VA_PAGE, VA_PAGE, 5);
	EXPECT_EQ(va_window_faults(e.as) - faults, 0ULL);
	EXPECT_TRUE(va_check(p, VA_PAGES(CP_PAGES), 4));
	EXPECT_TRUE(va_check(q + VA_PAGE, VA_PAGE, 5));
	EXPECT_TRUE(va_check(q, VA_PAGE, 3));
}

/*
 * A private clone reads its source where it has not written, and the
 * source is still mapped: a copy of the clone keeps what the clone showed
 * when the copy was made, through the source's later writes; the clone
 * itself follows them (a private clone, not a snapshot).  So does a copy
 * in an aspace copy, where the source is pinned (wired) and so not
 * layered.
 */
VT_TEST(area_copy_of_a_private_clone_keeps_its_snapshot)
{
	struct vmarena_area_info info;
	unsigned char *w, *src, *clone, *copy, *w2;
	uint32_t id, priv, cp;
	struct va_env e;
	uint64_t at;
	int copy_fd;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	id = va_anon_ok(e.as, 0, VA_PAGES(CP_PAGES), VA_RW, VMARENA_WIRING_WIRED);
	va_area_info_ok(e.as, id, &info);
	src = cp_at(w, info.out_base);
	va_fill(src, VA_PAGES(CP_PAGES), 1);
	priv = va_clone_ok(e.as, id, VA_BASE + VA_PAGES(32), VMARENA_MAP_PRIVATE, VA_RW);
	va_area_info_ok(e.as, priv, &info);
	clone = cp_at(w, info.out_base);
	EXPECT_TRUE(va_check(clone, VA_PAGES(CP_PAGES), 1));
	cp = cp_copy_ok(e.as, -1, priv, 0, &at);
	copy = cp_at(w, at);
	copy_fd = cp_aspace_copy(e.as);
	ASSERT_GE(copy_fd, 0);
	w2 = va_map_ok(copy_fd, VA_BASE, VA_PAGES(64));

	va_fill(src, VA_PAGES(CP_PAGES), 2);
	EXPECT_TRUE(va_check(clone, VA_PAGES(CP_PAGES), 2));
	EXPECT_TRUE(va_check(copy, VA_PAGES(CP_PAGES), 1));
	EXPECT_TRUE(va_check(cp_at(w2, info.out_base), VA_PAGES(CP_PAGES), 1));
	/* And the copy is a copy of the clone: the clone's writes stay out. */
	memset(clone, 0x77, VA_PAGE);
	EXPECT_TRUE(va_check(copy, VA_PAGES(CP_PAGES), 1));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, cp, 0));
}

/* The first area of the aspace @as (in address order), its info. */
static void cp_first(int as, struct vmarena_area_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	VT_CHECK(!ioctl(as, VMARENA_IOC_AREA_ITERATE, info), 1, "AREA_ITERATE: %s",
		 strerror(errno));
}

/*
 * A super-locked aspace copied whole: its windows take no fault through
 * the copy and after it, and the copy holds what it held; a copy into a
 * super-locked aspace takes none either.
 */
VT_TEST(aspace_copy_of_a_superlocked_aspace_takes_no_fault)
{
	struct vmarena_area_info info, first;
	unsigned char *w, *p, *w2, *orig, *q;
	uint64_t faults;
	struct va_env e;
	int copy_fd;
	uint32_t id;
	uint64_t at;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	id = va_anon_ok(e.as, 0, VA_PAGES(CP_PAGES), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	p = cp_at(w, info.out_base);
	va_fill(p, VA_PAGES(CP_PAGES), 6);
	orig = cp_save(p, VA_PAGES(CP_PAGES));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED));
	va_fill(p, VA_PAGES(CP_PAGES), 6);	/* warm */
	faults = va_window_faults(e.as);
	copy_fd = cp_aspace_copy(e.as);
	va_fill(p, VA_PAGES(CP_PAGES), 7);
	EXPECT_EQ(va_window_faults(e.as) - faults, 0ULL);
	ASSERT_GE(copy_fd, 0);
	w2 = va_map_ok(copy_fd, VA_BASE, VA_PAGES(64));
	EXPECT_EQ(memcmp(cp_at(w2, info.out_base), orig, VA_PAGES(CP_PAGES)), 0);

	/* And back into the super-locked aspace: wired and mapped there. */
	cp_first(copy_fd, &first);
	EXPECT_EQ(first.out_base, info.out_base);
	cp_copy_ok(e.as, copy_fd, first.id, 0, &at);
	q = cp_at(w, at);
	/*
	 * Counted by vmarena, which serves every fault of a window: minflt
	 * would count the first run of memset's large-size code in this
	 * process too (text pages fault in lazily after fork()).
	 */
	faults = va_window_faults(e.as);
	EXPECT_EQ(memcmp(q, orig, VA_PAGES(CP_PAGES)), 0);
	memset(q, 0x33, VA_PAGES(CP_PAGES));
	EXPECT_EQ(va_window_faults(e.as) - faults, 0ULL);
	EXPECT_EQ(memcmp(cp_at(w2, info.out_base), orig, VA_PAGES(CP_PAGES)), 0);
	EXPECT_TRUE(va_check(p, VA_PAGES(CP_PAGES), 7));
}

/*
 * An aspace copy of every kind of area: each at its address with its size
 * and protection; shared ones shared, reservations reserved, the rest
 * apart from their sources.
 */
VT_TEST(aspace_copy_holds_every_kind_of_area)
{
	uint32_t anon, wired, rsv, shared, priv, flagged, ffile, pfile, low, plain;
	struct vmarena_area_create c;
	struct vmarena_area_info a, b;
	unsigned char *w, *w2;
	char path[] = "/tmp/vt-copy-XXXXXX";
	unsigned int n = 0;
	struct va_env e;
	int fd, copy_fd;
	char buf[16];

	va_env_init(&e);
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ(pwrite(fd, "file-bytes", 10, 0), 10);
	ASSERT_OK(ftruncate(fd, VA_PAGES(2)));
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(128));
	anon = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	wired = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_WIRED);
	rsv = va_null_ok(e.as, VA_BASE + VA_PAGES(100), VA_PAGES(4), 0);
	shared = va_clone_ok(e.as, anon, VA_BASE + VA_PAGES(60), VMARENA_MAP_SHARED, VA_RW);
	priv = va_clone_ok(e.as, anon, VA_BASE + VA_PAGES(64), VMARENA_MAP_PRIVATE, VA_RW);
	flagged = va_anon_named_ok(e.as, "flagged", 0, VA_PAGES(1), VA_RW, VMARENA_AREA_SHARED);
	ffile = va_file_ok(e.as, 0, VA_PAGES(2), VA_RW, fd, 0, VMARENA_MAP_SHARED);
	pfile = va_file_ok(e.as, 0, VA_PAGES(2), VA_RW, fd, 0, VMARENA_MAP_PRIVATE);
	va_area_info_ok(e.as, anon, &a);
	cp_at(w, a.out_base)[0] = 1;
	va_area_info_ok(e.as, wired, &a);
	cp_at(w, a.out_base)[0] = 2;
	va_area_info_ok(e.as, flagged, &a);
	cp_at(w, a.out_base)[0] = 3;
	plain = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, plain, &a);
	cp_at(w, a.out_base)[0] = 5;
	va_area_req(&c, "low", 0, VA_PAGES(2), VA_RW);
	c.wiring = VMARENA_WIRING_CONTIGUOUS;
	c.flags = VMARENA_AREA_PHYS_16M;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	low = c.out_id;
	cp_at(w, c.out_address)[0] = 4;

	copy_fd = cp_aspace_copy(e.as);
	ASSERT_GE(copy_fd, 0);
	w2 = va_map_ok(copy_fd, VA_BASE, VA_PAGES(100));	/* short of the reservation */
	/* Same areas, same places. */
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	while (!ioctl(copy_fd, VMARENA_IOC_AREA_ITERATE, &b)) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.cookie = b.out_base;
		ASSERT_OK(ioctl(e.as, VMARENA_IOC_AREA_ITERATE, &a));
		EXPECT_EQ(a.out_base, b.out_base);
		EXPECT_EQ(a.out_length, b.out_length);
		EXPECT_EQ(a.out_protection, b.out_protection);
		EXPECT_STREQ(a.out_name, b.out_name);
		n++;
	}
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(n, 10U);

	/* Private ones apart, both ways. */
	va_area_info_ok(e.as, plain, &a);
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 5);
	cp_at(w2, a.out_base)[0] = 15;
	EXPECT_EQ(cp_at(w, a.out_base)[0], 5);
	va_area_info_ok(e.as, priv, &a);
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 1);
	/* The source of a shared clone is shared too (Haiku). */
	va_area_info_ok(e.as, anon, &a);
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 1);
	cp_at(w2, a.out_base)[0] = 11;
	EXPECT_EQ(cp_at(w, a.out_base)[0], 11);
	va_area_info_ok(e.as, wired, &a);
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 2);
	cp_at(w, a.out_base)[0] = 12;
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 2);
	/* A run placed below 16 MiB is copied into wired pages anywhere. */
	va_area_info_ok(e.as, low, &a);
	EXPECT_EQ(cp_at(w2, a.out_base)[0], 4);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.cookie = a.out_base;
	ASSERT_OK(ioctl(copy_fd, VMARENA_IOC_AREA_ITERATE, &b));
	EXPECT_EQ(b.out_wiring, VMARENA_WIRING_WIRED);
	EXPECT_EQ(b.out_flags & (VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G), 0U);
	va_area_info_ok(e.as, pfile, &a);
	EXPECT_EQ(memcmp(cp_at(w2, a.out_base), "file-bytes", 10), 0);
	cp_at(w2, a.out_base)[0] = 'F';
	EXPECT_EQ(cp_at(w, a.out_base)[0], 'f');
	/* Shared ones shared. */
	va_area_info_ok(e.as, shared, &a);
	cp_at(w2, a.out_base)[1] = 21;
	EXPECT_EQ(cp_at(w, a.out_base)[1], 21);
	va_area_info_ok(e.as, flagged, &a);
	cp_at(w2, a.out_base)[1] = 22;
	EXPECT_EQ(cp_at(w, a.out_base)[1], 22);
	va_area_info_ok(e.as, ffile, &a);
	cp_at(w2, a.out_base)[0] = 'G';
	ASSERT_EQ(pread(fd, buf, 1, 0), 1);
	EXPECT_EQ(buf[0], 'G');
	/* Reservations stay reservations. */
	va_area_info_ok(e.as, rsv, &a);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.cookie = a.out_base;
	ASSERT_OK(ioctl(copy_fd, VMARENA_IOC_AREA_ITERATE, &b));
	EXPECT_EQ(b.out_base, a.out_base);
	EXPECT_EQ(b.out_protection, 0U);
	close(fd);
}

/* Every refusal has its errno and makes nothing. */
VT_TEST(area_copy_refusals_have_their_errno)
{
	struct vmarena_aspace_copy ac;
	struct vmarena_aspace_info before, after;
	struct vmarena_area_copy c;
	struct vmarena_area_info info;
	struct va_env e;
	int other;
	uint32_t id, foreign;

	va_env_init(&e);
	id = va_anon_ok(e.as, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	foreign = va_anon_ok(other, 0, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(va_aspace_info(e.as, &before));

#define CP_REFUSE(err, ...) do {					\
		cp_req(&c, id, 0);					\
		__VA_ARGS__;						\
		EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_COPY, &c), err); \
	} while (0)
	CP_REFUSE(EINVAL, c.flags = 0x2);
	CP_REFUSE(EINVAL, c.reserved = 1);
	CP_REFUSE(EINVAL, c.size = 4);
	CP_REFUSE(EINVAL, c.addr_spec = 3);
	CP_REFUSE(EINVAL, c.address = VA_BASE);			/* ANY with an address */
	CP_REFUSE(EINVAL, c.addr_spec = VMARENA_ADDR_EXACT; c.address = VA_BASE + 1);
	CP_REFUSE(EINVAL, c.fd = e.as);				/* fd without the flag */
	CP_REFUSE(EINVAL, memset(c.name, 'x', sizeof(c.name)));
	CP_REFUSE(ENOENT, c.source_id = 0);
	CP_REFUSE(ENOENT, c.source_id = 0xfffffff0u);
	CP_REFUSE(EEXIST, c.addr_spec = VMARENA_ADDR_EXACT; c.address = info.out_base);
	CP_REFUSE(EPERM, c.source_id = foreign);
	CP_REFUSE(EBADF, c.source_id = foreign; c.flags = VMARENA_COPY_SOURCE_FD; c.fd = 999);
	CP_REFUSE(EBADF, c.source_id = foreign; c.flags = VMARENA_COPY_SOURCE_FD; c.fd = 0);
	CP_REFUSE(EPERM, c.source_id = foreign; c.flags = VMARENA_COPY_SOURCE_FD; c.fd = e.as);
	CP_REFUSE(ENOMEM, c.addr_spec = VMARENA_ADDR_BASE; c.address = VA_BASE + VA_LEN - VA_PAGE);
#undef CP_REFUSE
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_COPY, &c), ENOTTY);
	ASSERT_OK(va_aspace_info(e.as, &after));
	EXPECT_EQ(after.out_areas, before.out_areas);

	memset(&ac, 0, sizeof(ac));
	ac.size = sizeof(ac);
	ac.flags = 1;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_COPY, &ac), EINVAL);
	ac.flags = 0;
	ac.reserved = 1;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_COPY, &ac), EINVAL);
	ac.reserved = 0;
	ac.size = 4;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_COPY, &ac), EINVAL);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_ASPACE_COPY, &ac), ENOTTY);
	/* With the source's fd it may copy. */
	cp_copy_ok(e.as, other, foreign, 0, NULL);
}
