// SPDX-License-Identifier: GPL-2.0
/*
 * mmap() windows of aspaces: every area kind mapped, touched and checked;
 * faults that must raise SIGSEGV; clones within and across processes;
 * resize and protection changes under a live window; fork, mremap,
 * MAP_PRIVATE and mlock; and what AREA_INFO, ITERATE, FIND and
 * PAGE_MAPPING report about pages touched through a window.
 *
 * The window semantics tested (decided with the kernel side): the mmap
 * offset is the aspace address; windows are VM_MIXEDMAP | VM_DONTEXPAND |
 * VM_DONTDUMP; mmap() asking for a protection that an area in the window
 * does not allow fails with EACCES (holes are allowed); fork shares
 * windows; MAP_PRIVATE windows are Linux copy-on-write over the arena's
 * pages; mremap may move a window but not grow it; mlock is accepted and
 * does nothing; faults outside areas, on null areas and against an area's
 * protection raise SIGSEGV.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vt_arena.h"

#define RW	(PROT_READ | PROT_WRITE)

/* Page @i of a window. */
static char *pg(void *w, unsigned int i)
{
	return (char *)w + VA_PAGES(i);
}

/* A file in /tmp (tmpfs in the guest) of @pages pages of pattern @seed. */
static int tmpfile_of(const char *tag, unsigned int pages, uint64_t seed, char *path,
		      size_t pathlen)
{
	void *buf = malloc(VA_PAGES(pages));
	int fd;

	ASSERT_TRUE(buf);
	snprintf(path, pathlen, "/tmp/vt-%s-%d", tag, (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_OK(fd);
	va_fill(buf, VA_PAGES(pages), seed);
	ASSERT_EQ(pwrite(fd, buf, VA_PAGES(pages), 0), (ssize_t)VA_PAGES(pages));
	free(buf);
	return fd;
}

/* Read @len bytes of @fd at 0 into a new buffer. */
static void *pread_all(int fd, size_t len)
{
	void *buf = malloc(len);

	ASSERT_TRUE(buf);
	ASSERT_EQ(pread(fd, buf, len, 0), (ssize_t)len);
	return buf;
}

static uint32_t file_area_ok(int as, uint64_t address, uint64_t len, int fd,
			     uint32_t mapping)
{
	struct vmarena_area_create c;

	va_area_req(&c, "file", address, len, VA_RW);
	c.mapping = mapping;
	c.fd = fd;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_MAP_FILE, &c));
	ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

/*
 * The line @key of the /proc/self/smaps entry of the VMA starting at @addr,
 * copied to @out without the key.  False if there is no such VMA or line.
 */
static bool smaps_line(void *addr, const char *key, char *out, size_t outlen)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false, found = false;

	ASSERT_TRUE(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		/* a VMA's first line: "start-end perms ..."; keys never parse so */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, key, strlen(key))) {
			snprintf(out, outlen, "%s", line + strlen(key));
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Does the VmFlags line of the VMA at @addr list @flag? */
static bool vma_has_flag(void *addr, const char *flag)
{
	char flags[256], *tok, *save;

	if (!smaps_line(addr, "VmFlags:", flags, sizeof(flags)))
		return false;
	for (tok = strtok_r(flags, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, flag))
			return true;
	return false;
}

/* ---- each area kind, through a window --------------------------------- */

VT_TEST(mmap_anon_lazy_is_zero_then_keeps_data)
{
	struct vmarena_area_info info;
	struct va_env e;
	void *w, *w2;
	uint32_t id;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(16));
	EXPECT_TRUE(va_is_zero(w, VA_PAGES(16)));
	va_fill(w, VA_PAGES(16), 1);
	EXPECT_TRUE(va_check(w, VA_PAGES(16), 1));
	/* a second window of the same range shows the same memory */
	w2 = va_map_ok(e.as, VA_BASE, VA_PAGES(16));
	EXPECT_TRUE(va_check(w2, VA_PAGES(16), 1));
	va_fill(w2, VA_PAGES(16), 2);
	EXPECT_TRUE(va_check(w, VA_PAGES(16), 2));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 16);
}

VT_TEST(mmap_anon_wired_is_resident_before_any_touch)
{
	struct vmarena_area_info info;
	struct va_env e;
	unsigned int i;
	uint32_t id;
	void *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, VMARENA_WIRING_WIRED);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 8);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_WIRED);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(va_page_mapping(e.as, VA_BASE + VA_PAGES(i), NULL), 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	EXPECT_TRUE(va_is_zero(w, VA_PAGES(8)));
	va_fill(w, VA_PAGES(8), 3);
	EXPECT_TRUE(va_check(w, VA_PAGES(8), 3));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 8);
}

VT_TEST(mmap_anon_contiguous_is_one_physical_run)
{
	struct vmarena_area_info info;
	uint64_t phys0, phys;
	struct va_env e;
	unsigned int i;
	uint32_t id;
	void *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, VMARENA_WIRING_CONTIGUOUS);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 16);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_CONTIGUOUS);
	ASSERT_OK(va_page_mapping(e.as, VA_BASE, &phys0));
	for (i = 1; i < 16; i++) {
		ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(i), &phys));
		EXPECT_EQ(phys, phys0 + VA_PAGES(i));
	}
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(16));
	EXPECT_TRUE(va_is_zero(w, VA_PAGES(16)));
	va_fill(w, VA_PAGES(16), 4);
	EXPECT_TRUE(va_check(w, VA_PAGES(16), 4));
	/* touching did not move anything */
	ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(15), &phys));
	EXPECT_EQ(phys, phys0 + VA_PAGES(15));
}

VT_TEST(mmap_null_area_faults_with_sigsegv)
{
	struct va_env e;
	char *w;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGE, VA_RW, 0);
	va_null_ok(e.as, VA_BASE + VA_PAGE, VA_PAGES(4), VA_RW);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(5), VA_PAGE, VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(6));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 1)));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 4) + 100));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 2), 1));
	/* its neighbours work */
	va_poke(pg(w, 0), 7);
	va_poke(pg(w, 5), 8);
	EXPECT_EQ(va_peek(pg(w, 0)), 7);
	EXPECT_EQ(va_peek(pg(w, 5)), 8);
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGE, NULL), ENOENT);
}

VT_TEST(mmap_device_over_a_contiguous_run_shows_its_data)
{
	struct vmarena_area_create c;
	struct va_env e;
	uint64_t phys, p;
	unsigned int i;
	void *wc, *wd;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, VMARENA_WIRING_CONTIGUOUS);
	wc = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(wc, VA_PAGES(8), 5);
	ASSERT_OK(va_page_mapping(e.as, VA_BASE, &phys));

	va_area_req(&c, "device", VA_BASE + VA_PAGES(64), VA_PAGES(8), VA_RW);
	c.phys = phys;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_DEVICE, &c));
	wd = va_map_ok(e.as, VA_BASE + VA_PAGES(64), VA_PAGES(8));
	EXPECT_TRUE(va_check(wd, VA_PAGES(8), 5));
	/* the same physical pages: writes show both ways */
	va_fill(wd, VA_PAGES(8), 6);
	EXPECT_TRUE(va_check(wc, VA_PAGES(8), 6));
	for (i = 0; i < 8; i++) {
		ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(64 + i), &p));
		EXPECT_EQ(p, phys + VA_PAGES(i));
	}
	/* a part of the run, at an offset */
	va_area_req(&c, "part", VA_BASE + VA_PAGES(128), VA_PAGES(2), VMARENA_PROT_READ);
	c.phys = phys + VA_PAGES(3);
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_DEVICE, &c));
	wd = va_map(e.as, VA_BASE + VA_PAGES(128), VA_PAGES(2), PROT_READ, MAP_SHARED);
	ASSERT_TRUE(wd != MAP_FAILED);
	EXPECT_EQ(memcmp(wd, pg(wc, 3), VA_PAGES(2)), 0);
}

VT_TEST(mmap_file_shared_writes_back_on_sync)
{
	struct va_env e;
	char path[64];
	void *w, *back;
	uint32_t id;
	int fd;

	va_env_init(&e);
	fd = tmpfile_of("shared", 8, 7, path, sizeof(path));
	id = file_area_ok(e.as, VA_BASE, VA_PAGES(8), fd, VMARENA_MAP_SHARED);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	EXPECT_TRUE(va_check(w, VA_PAGES(8), 7));
	va_fill(w, VA_PAGES(8), 8);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_SYNC, id, 0));
	back = pread_all(fd, VA_PAGES(8));
	EXPECT_TRUE(va_check(back, VA_PAGES(8), 8));
	free(back);
	/* the file did not grow */
	EXPECT_EQ(lseek(fd, 0, SEEK_END), (off_t)VA_PAGES(8));
	unlink(path);
}

VT_TEST(mmap_file_at_an_offset)
{
	struct vmarena_area_create c;
	struct va_env e;
	char path[64];
	void *w, *whole;
	int fd;

	va_env_init(&e);
	fd = tmpfile_of("offset", 8, 9, path, sizeof(path));
	unlink(path);
	whole = pread_all(fd, VA_PAGES(8));
	va_area_req(&c, "file", VA_BASE, VA_PAGES(3), VMARENA_PROT_READ);
	c.mapping = VMARENA_MAP_SHARED;
	c.fd = fd;
	c.file_offset = VA_PAGES(5);
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c));
	w = va_map(e.as, VA_BASE, VA_PAGES(3), PROT_READ, MAP_SHARED);
	ASSERT_TRUE(w != MAP_FAILED);
	EXPECT_EQ(memcmp(w, pg(whole, 5), VA_PAGES(3)), 0);
	free(whole);
}

VT_TEST(mmap_file_private_does_not_write_back)
{
	struct va_env e;
	char path[64];
	void *w, *back;
	uint32_t id;
	int fd;

	va_env_init(&e);
	fd = tmpfile_of("private", 4, 10, path, sizeof(path));
	id = file_area_ok(e.as, VA_BASE, VA_PAGES(4), fd, VMARENA_MAP_PRIVATE);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 10));
	va_fill(w, VA_PAGES(4), 11);
	/* whatever SYNC makes of a private mapping, the file keeps its data */
	va_area_op(e.as, VMARENA_IOC_AREA_SYNC, id, 0);
	back = pread_all(fd, VA_PAGES(4));
	EXPECT_TRUE(va_check(back, VA_PAGES(4), 10));
	free(back);
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 11));
	/* and the area's own copies are what it reports */
	{
		struct vmarena_area_info info;

		va_area_info_ok(e.as, id, &info);
		EXPECT_EQ(info.out_copies, 4);
	}
	unlink(path);
}

/* ---- faults that must fail -------------------------------------------- */

VT_TEST(mmap_access_outside_any_area_is_sigsegv)
{
	struct va_env e;
	char *w;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(1), VA_PAGES(2), VA_RW, 0);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(6), VA_PAGES(1), VA_RW, 0);
	/* pages 0, 3-5 and 7 are holes; a window over holes is allowed */
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(pg(w, 1), VA_PAGES(2), 12);
	va_poke(pg(w, 6), 1);
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 0)));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 3), 1));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 5) + VA_PAGE - 1));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 7), 1));
	EXPECT_TRUE(va_check(pg(w, 1), VA_PAGES(2), 12));
	/* the faults mapped nothing */
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGES(3), NULL), ENOENT);
}

VT_TEST(mmap_after_area_delete_is_sigsegv)
{
	struct va_env e;
	uint32_t id;
	char *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(4), 13);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 0));
	/* the pages that were mapped are gone from the window too */
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 0)));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 3), 1));
	/* a new area in the same place is a new, zero area */
	va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	EXPECT_TRUE(va_is_zero(w, VA_PAGES(4)));
}

VT_TEST(mmap_write_to_a_read_only_area_is_sigsegv)
{
	struct vmarena_area_create c;
	struct va_env e;
	char *w;
	int r;

	va_env_init(&e);
	/* read-only now, but protection_max would allow writes */
	va_area_req(&c, "ro", VA_BASE, VA_PAGES(2), VMARENA_PROT_READ);
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	w = va_map(e.as, VA_BASE, VA_PAGES(2), PROT_READ, MAP_SHARED);
	ASSERT_TRUE(w != MAP_FAILED);
	EXPECT_EQ(va_peek(pg(w, 1)), 0);
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 0), 1));
	/*
	 * Making the window writable may be refused (EACCES); if it is
	 * allowed, the area still refuses the write.
	 */
	errno = 0;
	r = mprotect(w, VA_PAGES(2), RW);
	if (r)
		EXPECT_EQ(errno, EACCES);
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 0), 1));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 1), 1));
	EXPECT_EQ(va_peek(pg(w, 0)), 0);
}

VT_TEST(mmap_protection_beyond_an_area_is_eacces)
{
	struct vmarena_area_create c;
	struct va_env e;
	void *w;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, 0);
	va_area_req(&c, "ro", VA_BASE + VA_PAGES(4), VA_PAGES(2), VMARENA_PROT_READ);
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	va_area_req(&c, "x", VA_BASE + VA_PAGES(8), VA_PAGES(2), VMARENA_PROT_ALL);
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));

	/* writable window over the read-only area, or over a range containing it */
	EXPECT_TRUE(va_map(e.as, VA_BASE + VA_PAGES(4), VA_PAGES(2), RW, MAP_SHARED) ==
		    MAP_FAILED && errno == EACCES);
	EXPECT_TRUE(va_map(e.as, VA_BASE, VA_PAGES(8), RW, MAP_SHARED) == MAP_FAILED &&
		    errno == EACCES);
	EXPECT_TRUE(va_map(e.as, VA_BASE + VA_PAGES(5), VA_PAGE, PROT_WRITE, MAP_SHARED) ==
		    MAP_FAILED && errno == EACCES);
	/* executable window over areas without PROT_EXEC */
	EXPECT_TRUE(va_map(e.as, VA_BASE, VA_PAGES(2), PROT_READ | PROT_EXEC, MAP_SHARED) ==
		    MAP_FAILED && errno == EACCES);
	/* what the areas allow is fine, holes included */
	w = va_map(e.as, VA_BASE, VA_PAGES(10), PROT_READ, MAP_SHARED);
	EXPECT_TRUE(w != MAP_FAILED);
	w = va_map(e.as, VA_BASE + VA_PAGES(4), VA_PAGES(2), PROT_READ, MAP_SHARED);
	EXPECT_TRUE(w != MAP_FAILED);
	w = va_map(e.as, VA_BASE, VA_PAGES(4), RW, MAP_SHARED);
	EXPECT_TRUE(w != MAP_FAILED);
	w = va_map(e.as, VA_BASE + VA_PAGES(7), VA_PAGES(4), RW | PROT_EXEC, MAP_SHARED);
	EXPECT_TRUE(w != MAP_FAILED);
	/* a window of holes only */
	w = va_map(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(4), RW, MAP_SHARED);
	EXPECT_TRUE(w != MAP_FAILED);
}

/* ---- the window's life ------------------------------------------------- */

VT_TEST(mmap_offset_is_the_aspace_address)
{
	struct va_env e;
	char *whole, *part;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(10), VA_PAGES(8), VA_RW, 0);
	whole = va_map_ok(e.as, VA_BASE + VA_PAGES(10), VA_PAGES(8));
	va_fill(whole, VA_PAGES(8), 14);
	part = va_map_ok(e.as, VA_BASE + VA_PAGES(13), VA_PAGES(2));
	EXPECT_EQ(memcmp(part, pg(whole, 3), VA_PAGES(2)), 0);
	va_poke(part, 0x5a);
	EXPECT_EQ(va_peek(pg(whole, 3)), 0x5a);
	/* an unaligned offset is refused by mmap() itself */
	EXPECT_TRUE(va_map(e.as, VA_BASE + VA_PAGES(10) + 8, VA_PAGE, RW, MAP_SHARED) ==
		    MAP_FAILED && errno == EINVAL);
}

VT_TEST(mmap_window_vma_flags)
{
	struct va_env e;
	void *w;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(2));
	/* smaps mnemonics: mm = VM_MIXEDMAP, de = VM_DONTEXPAND, dd = VM_DONTDUMP */
	EXPECT_TRUE(vma_has_flag(w, "mm"));
	EXPECT_TRUE(vma_has_flag(w, "de"));
	EXPECT_TRUE(vma_has_flag(w, "dd"));
	EXPECT_TRUE(vma_has_flag(w, "sh"));
}

VT_TEST(mmap_window_outlives_the_aspace_fds)
{
	struct vmarena_area_create c;
	int ctl, as, other;
	uint32_t id;
	char *w;

	ctl = va_ctl_ok();
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_named_ok(as, "kept", VA_BASE, VA_PAGES(8), VA_RW, VMARENA_AREA_CLONEABLE);
	w = va_map_ok(as, VA_BASE, VA_PAGES(8));
	va_fill(w, VA_PAGES(4), 15);
	ASSERT_OK(close(as));
	ASSERT_OK(close(ctl));

	/* the data is there, and untouched pages still fault in */
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 15));
	EXPECT_TRUE(va_is_zero(pg(w, 4), VA_PAGES(4)));
	va_fill(pg(w, 4), VA_PAGES(4), 16);
	EXPECT_TRUE(va_check(pg(w, 4), VA_PAGES(4), 16));

	/* and its areas still resolve: a clone from another aspace works */
	ctl = va_ctl_ok();
	other = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	va_area_req(&c, "", VA_BASE, 0, VA_RW);
	c.mapping = VMARENA_MAP_SHARED;
	c.source_id = id;
	ASSERT_OK(va_area_create(other, VMARENA_IOC_AREA_CLONE, &c));
	{
		char *wo = va_map_ok(other, VA_BASE, VA_PAGES(8));

		EXPECT_TRUE(va_check(wo, VA_PAGES(4), 15));
		va_poke(wo, 0x77);
		EXPECT_EQ(va_peek(w), 0x77);
	}
}

/*
 * An unnamed aspace goes when its last fd closes and its last window is
 * unmapped.  Observed through a cloneable area's id: areas ids are global,
 * and a clone by id from another aspace works until the area is gone,
 * then fails with ENOENT.
 */
static int clone_by_id(int as, uint32_t id, uint64_t address)
{
	struct vmarena_area_create c;
	int ret;

	va_area_req(&c, "", address, 0, VA_RW);
	c.mapping = VMARENA_MAP_SHARED;
	c.source_id = id;
	ret = va_area_create(as, VMARENA_IOC_AREA_CLONE, &c);
	if (!ret)
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, c.out_id, 0));
	return ret;
}

VT_TEST(mmap_unnamed_aspace_goes_with_its_last_fd_and_window)
{
	int ctl, as, dup_fd, other;
	uint32_t id;
	void *w;

	ctl = va_ctl_ok();
	other = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);

	/* closing the only fd */
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_named_ok(as, "a", VA_BASE, VA_PAGE, VA_RW, VMARENA_AREA_CLONEABLE);
	ASSERT_OK(clone_by_id(other, id, VA_BASE));
	ASSERT_OK(close(as));
	EXPECT_ERRNO(clone_by_id(other, id, VA_BASE), ENOENT);

	/* a dup keeps it, then a window keeps it */
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_named_ok(as, "b", VA_BASE, VA_PAGE, VA_RW, VMARENA_AREA_CLONEABLE);
	dup_fd = dup(as);
	ASSERT_OK(dup_fd);
	ASSERT_OK(close(as));
	EXPECT_EQ(clone_by_id(other, id, VA_BASE), 0);
	w = va_map_ok(dup_fd, VA_BASE, VA_PAGE);
	ASSERT_OK(close(dup_fd));
	EXPECT_EQ(clone_by_id(other, id, VA_BASE), 0);
	ASSERT_OK(munmap(w, VA_PAGE));
	EXPECT_ERRNO(clone_by_id(other, id, VA_BASE), ENOENT);

	/* the control fd has nothing to do with it */
	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_named_ok(as, "c", VA_BASE, VA_PAGE, VA_RW, VMARENA_AREA_CLONEABLE);
	ASSERT_OK(close(ctl));
	EXPECT_EQ(clone_by_id(other, id, VA_BASE), 0);
	ASSERT_OK(close(as));
	EXPECT_ERRNO(clone_by_id(other, id, VA_BASE), ENOENT);
}

VT_TEST(mmap_persistent_aspace_outlives_its_fds)
{
	const char *name = va_uname("vt-persist");
	struct vmarena_area_find f;
	int ctl = va_ctl_ok(), p;
	void *w;

	p = va_persistent_ok(ctl, name, 0600, NULL);
	va_anon_named_ok(p, "data", VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(p, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(4), 17);
	ASSERT_OK(munmap(w, VA_PAGES(4)));
	ASSERT_OK(close(p));

	p = va_open_name(ctl, name);
	ASSERT_OK(p);
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	strcpy(f.name, "data");
	ASSERT_OK(ioctl(p, VMARENA_IOC_AREA_FIND, &f));
	w = va_map_ok(p, VA_BASE, VA_PAGES(4));
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 17));

	/* unlinked, it lives on while an fd or window holds it */
	ASSERT_OK(va_unlink(ctl, name));
	ASSERT_OK(close(p));
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 17));
	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
}

/* ---- sharing across processes ----------------------------------------- */

VT_TEST(mmap_fork_shares_the_window)
{
	struct va_sync s;
	struct va_env e;
	char *w;
	pid_t pid;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGE, 18);		/* page 0 before the fork */
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		EXPECT_TRUE(va_check(w, VA_PAGE, 18));
		va_fill(pg(w, 1), VA_PAGE, 19);	/* the child writes page 1 */
		va_sync_post(&s, false);
		ASSERT_TRUE(va_sync_wait(&s, false));
		EXPECT_TRUE(va_check(pg(w, 2), VA_PAGE, 20));
		EXPECT_TRUE(va_check(w, VA_PAGE, 21));
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	EXPECT_TRUE(va_check(pg(w, 1), VA_PAGE, 19));
	va_fill(pg(w, 2), VA_PAGE, 20);		/* the parent writes page 2 */
	va_fill(w, VA_PAGE, 21);		/* and rewrites page 0 */
	va_sync_post(&s, true);
	{
		int st = va_wait(pid);

		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	}
}

VT_TEST(mmap_shared_clone_across_fork)
{
	struct va_env e;
	int other;
	char *wa, *wb;
	uint32_t a;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	/* cloneable, so that another aspace may clone it by id */
	a = va_anon_named_ok(e.as, "a", VA_BASE, VA_PAGES(4), VA_RW, VMARENA_AREA_CLONEABLE);
	va_clone_ok(other, a, VA_BASE + VA_PAGES(32), VMARENA_MAP_SHARED, VA_RW);
	wa = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(wa, VA_PAGES(2), 22);
	EXPECT_CHILD_OK(
		/* the child maps the clone's aspace itself */
		wb = va_map_ok(other, VA_BASE + VA_PAGES(32), VA_PAGES(4));
		EXPECT_TRUE(va_check(wb, VA_PAGES(2), 22));
		va_fill(pg(wb, 2), VA_PAGES(2), 23));
	EXPECT_TRUE(va_check(pg(wa, 2), VA_PAGES(2), 23));
}

/*
 * In a child that becomes an unrelated process: every vmarena fd closed
 * and every window unmapped, it has only the persistent name to go by.
 */
static void shed_vmarena(void *window, size_t len, const char *window_name)
{
	ASSERT_OK(munmap(window, len));
	va_close_fds_except(-1);
	ASSERT_TRUE(!va_mapped_anywhere(window_name));
}

VT_TEST(mmap_persistent_aspace_shared_with_an_unrelated_process)
{
	const char *name = va_uname("vt-unrelated");
	int ctl = va_ctl_ok(), p;
	struct vmarena_area_info info;
	char window_name[256];
	uint32_t id;
	char *w;

	p = va_persistent_ok(ctl, name, 0600, NULL);
	id = va_anon_named_ok(p, "shm", VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(p, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(2), 24);
	snprintf(window_name, sizeof(window_name), "%s", va_mapping_name(w));
	ASSERT_TRUE(window_name[0]);

	EXPECT_CHILD_OK(
		struct vmarena_area_find f;
		int cctl, cp;
		char *cw;

		shed_vmarena(w, VA_PAGES(4), window_name);
		ASSERT_EQ(fcntl(p, F_GETFD), -1);
		ASSERT_EQ(fcntl(ctl, F_GETFD), -1);

		cctl = va_ctl_ok();
		cp = va_open_name(cctl, name);
		ASSERT_OK(cp);
		memset(&f, 0, sizeof(f));
		f.size = sizeof(f);
		strcpy(f.name, "shm");
		ASSERT_OK(ioctl(cp, VMARENA_IOC_AREA_FIND, &f));
		EXPECT_EQ(f.out_id, id);
		cw = va_map_ok(cp, VA_BASE, VA_PAGES(4));
		EXPECT_TRUE(va_check(cw, VA_PAGES(2), 24));
		va_fill(pg(cw, 2), VA_PAGES(2), 25));

	EXPECT_TRUE(va_check(w, VA_PAGES(2), 24));
	EXPECT_TRUE(va_check(pg(w, 2), VA_PAGES(2), 25));
	va_area_info_ok(p, id, &info);
	EXPECT_EQ(info.out_resident, 4);
	ASSERT_OK(va_unlink(ctl, name));
}

VT_TEST(mmap_shared_clone_through_source_fd_in_an_unrelated_process)
{
	const char *name = va_uname("vt-srcfd");
	int ctl = va_ctl_ok(), p;
	char window_name[256];
	uint32_t id;
	char *w;

	p = va_persistent_ok(ctl, name, 0600, NULL);
	/* not cloneable: only an fd of its aspace lets another aspace clone it */
	id = va_anon_named_ok(p, "shm", VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(p, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(2), 26);
	snprintf(window_name, sizeof(window_name), "%s", va_mapping_name(w));
	ASSERT_TRUE(window_name[0]);

	EXPECT_CHILD_OK(
		struct vmarena_area_create c;
		int cctl, cp, mine;
		char *cw;

		shed_vmarena(w, VA_PAGES(4), window_name);
		cctl = va_ctl_ok();
		cp = va_open_name(cctl, name);
		ASSERT_OK(cp);
		mine = va_aspace_ok(cctl, VA_BASE, VA_LEN, NULL);
		va_area_req(&c, "", VA_BASE + VA_PAGES(100), 0, VA_RW);
		c.mapping = VMARENA_MAP_SHARED;
		c.source_id = id;
		/* without the fd: not allowed */
		EXPECT_ERRNO(va_area_create(mine, VMARENA_IOC_AREA_CLONE, &c), EPERM);
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = cp;
		ASSERT_OK(va_area_create(mine, VMARENA_IOC_AREA_CLONE, &c));
		cw = va_map_ok(mine, VA_BASE + VA_PAGES(100), VA_PAGES(4));
		EXPECT_TRUE(va_check(cw, VA_PAGES(2), 26));
		va_fill(pg(cw, 2), VA_PAGES(2), 27));

	EXPECT_TRUE(va_check(w, VA_PAGES(2), 26));
	EXPECT_TRUE(va_check(pg(w, 2), VA_PAGES(2), 27));
	ASSERT_OK(va_unlink(ctl, name));
}

/* ---- clones ------------------------------------------------------------- */

VT_TEST(mmap_shared_clone_in_the_same_aspace)
{
	struct va_env e;
	char *ws, *wc;
	uint32_t s;

	va_env_init(&e);
	s = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	ws = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(ws, VA_PAGES(2), 27);
	va_clone_ok(e.as, s, VA_BASE + VA_PAGES(8), VMARENA_MAP_SHARED, VA_RW);
	wc = va_map_ok(e.as, VA_BASE + VA_PAGES(8), VA_PAGES(4));
	EXPECT_TRUE(va_check(wc, VA_PAGES(2), 27));
	va_fill(pg(wc, 2), VA_PAGES(2), 28);
	EXPECT_TRUE(va_check(pg(ws, 2), VA_PAGES(2), 28));
	va_fill(ws, VA_PAGE, 29);
	EXPECT_TRUE(va_check(wc, VA_PAGE, 29));
}

VT_TEST(mmap_private_clone_is_copy_on_write_both_ways)
{
	struct vmarena_area_info si, ci;
	struct va_env e;
	char *ws, *wc;
	uint32_t s, c;

	va_env_init(&e);
	s = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, 0);
	ws = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(ws, VA_PAGES(8), 30);
	c = va_clone_ok(e.as, s, VA_BASE + VA_PAGES(16), VMARENA_MAP_PRIVATE, VA_RW);
	wc = va_map_ok(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(8));

	/* the clone starts with the source's data */
	EXPECT_TRUE(va_check(wc, VA_PAGES(8), 30));

	/* the clone's writes stay in the clone */
	va_fill(wc, VA_PAGES(2), 31);
	EXPECT_TRUE(va_check(ws, VA_PAGES(2), 30));
	EXPECT_TRUE(va_check(wc, VA_PAGES(2), 31));

	/*
	 * The source's writes to pages the clone has not written show through
	 * the clone (NewOS semantics, documented in the uapi): page 4 the
	 * clone has read above, page 5 too; page 0 it has written.
	 */
	va_fill(pg(ws, 4), VA_PAGE, 32);
	va_fill(pg(ws, 5), VA_PAGE, 33);
	va_fill(ws, VA_PAGE, 34);
	EXPECT_TRUE(va_check(pg(wc, 4), VA_PAGE, 32));
	EXPECT_TRUE(va_check(pg(wc, 5), VA_PAGE, 33));
	EXPECT_TRUE(va_check(wc, VA_PAGE, 31));

	va_area_info_ok(e.as, s, &si);
	va_area_info_ok(e.as, c, &ci);
	EXPECT_EQ(si.out_copies, 0);
	EXPECT_EQ(ci.out_copies, 2);
	EXPECT_EQ(si.out_cache_depth, 1);
	EXPECT_EQ(ci.out_cache_depth, 2);
}

VT_TEST(mmap_info_copies_counts_copy_on_write_copies)
{
	struct vmarena_area_info info;
	struct va_env e;
	char *wc;
	uint32_t s, c;

	va_env_init(&e);
	s = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, VMARENA_WIRING_WIRED);
	c = va_clone_ok(e.as, s, VA_BASE + VA_PAGES(16), VMARENA_MAP_PRIVATE, VA_RW);
	wc = va_map_ok(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(8));
	va_area_info_ok(e.as, c, &info);
	EXPECT_EQ(info.out_copies, 0);
	va_poke(pg(wc, 1), 1);
	va_poke(pg(wc, 3), 1);
	va_poke(pg(wc, 3) + 100, 2);
	va_poke(pg(wc, 6), 1);
	/* reads copy nothing */
	EXPECT_EQ(va_peek(pg(wc, 0)), 0);
	EXPECT_EQ(va_peek(pg(wc, 7)), 0);
	va_area_info_ok(e.as, c, &info);
	EXPECT_EQ(info.out_copies, 3);
	EXPECT_EQ(info.out_resident, 5);
	va_area_info_ok(e.as, s, &info);
	EXPECT_EQ(info.out_copies, 0);
}

/* ---- changes under a live window ---------------------------------------- */

VT_TEST(mmap_resize_shrink_then_grow)
{
	struct vmarena_area_info info;
	struct va_env e;
	uint32_t id;
	char *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(w, VA_PAGES(8), 35);

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(2)));
	EXPECT_TRUE(va_check(w, VA_PAGES(2), 35));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 2)));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 7) + 8, 1));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(2));
	EXPECT_EQ(info.out_resident, 2);

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(8)));
	EXPECT_TRUE(va_check(w, VA_PAGES(2), 35));
	EXPECT_TRUE(va_is_zero(pg(w, 2), VA_PAGES(6)));
	va_fill(pg(w, 2), VA_PAGES(6), 36);
	EXPECT_TRUE(va_check(pg(w, 2), VA_PAGES(6), 36));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(8));
}

VT_TEST(mmap_resize_reaches_every_sharer)
{
	struct va_env e;
	uint32_t s;
	char *ws, *wc;

	va_env_init(&e);
	s = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	va_clone_ok(e.as, s, VA_BASE + VA_PAGES(16), VMARENA_MAP_SHARED, VA_RW);
	ws = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	wc = va_map_ok(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(8));
	va_fill(ws, VA_PAGES(4), 37);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, s, VA_PAGES(1)));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(wc, 1)));
	EXPECT_TRUE(va_check(wc, VA_PAGE, 37));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, s, VA_PAGES(8)));
	va_fill(pg(wc, 4), VA_PAGES(4), 38);
	EXPECT_TRUE(va_check(pg(ws, 4), VA_PAGES(4), 38));
	EXPECT_TRUE(va_is_zero(pg(ws, 1), VA_PAGES(3)));
}

VT_TEST(mmap_protect_while_mapped)
{
	struct va_env e;
	uint32_t id;
	char *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(2), 39);	/* pages 0-1 mapped writable, 2-3 untouched */

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_READ));
	EXPECT_TRUE(va_check(w, VA_PAGES(2), 39));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 0), 1));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 3), 1));
	EXPECT_TRUE(va_is_zero(pg(w, 2), VA_PAGES(2)));
	EXPECT_SIGNAL(SIGSEGV, va_poke(pg(w, 2), 1));

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, 0));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 0)));
	EXPECT_SIGNAL(SIGSEGV, va_peek(pg(w, 3)));

	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, VA_RW));
	EXPECT_TRUE(va_check(w, VA_PAGES(2), 39));
	va_fill(w, VA_PAGES(4), 40);
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 40));
}

/* ---- mremap, MAP_PRIVATE, mlock ----------------------------------------- */

VT_TEST(mmap_mremap_moves_a_window)
{
	struct va_env e;
	char *w, *dst, *moved, *check;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(w, VA_PAGES(4), 41);	/* half of it faulted in */
	dst = mmap(NULL, VA_PAGES(8), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED);
	moved = mremap(w, VA_PAGES(8), VA_PAGES(8), MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	VT_CHECK(moved == dst, 1, "mremap: %p, %s", (void *)moved, strerror(errno));
	EXPECT_TRUE(va_check(moved, VA_PAGES(4), 41));
	/* pages never touched before the move fault in at the right place */
	va_fill(pg(moved, 4), VA_PAGES(4), 42);
	/* the old place is no longer mapped */
	EXPECT_SIGNAL(SIGSEGV, va_peek(w));
	check = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	EXPECT_TRUE(va_check(check, VA_PAGES(4), 41));
	EXPECT_TRUE(va_check(pg(check, 4), VA_PAGES(4), 42));
}

VT_TEST(mmap_mremap_cannot_grow_a_window)
{
	struct va_env e;
	char *w, *r;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(w, VA_PAGES(4), 43);
	r = mremap(w, VA_PAGES(4), VA_PAGES(8), MREMAP_MAYMOVE);
	EXPECT_TRUE(r == MAP_FAILED && errno == EFAULT);
	r = mremap(w, VA_PAGES(4), VA_PAGES(8), 0);
	EXPECT_TRUE(r == MAP_FAILED && errno == EFAULT);
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 43));
	/* moving and growing at once is growing */
	r = mremap(w, VA_PAGES(4), VA_PAGES(5), MREMAP_MAYMOVE);
	EXPECT_TRUE(r == MAP_FAILED && errno == EFAULT);
	EXPECT_TRUE(va_check(w, VA_PAGES(4), 43));
}

VT_TEST(mmap_private_window_is_linux_copy_on_write)
{
	struct vmarena_area_info info;
	struct va_env e;
	char *ws, *wp, *wp2;
	uint32_t id;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	ws = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_fill(ws, VA_PAGES(3), 44);
	va_fill(pg(ws, 3), VA_PAGE, 45);
	wp = va_map(e.as, VA_BASE, VA_PAGES(4), RW, MAP_PRIVATE);
	ASSERT_TRUE(wp != MAP_FAILED);
	wp2 = va_map(e.as, VA_BASE, VA_PAGES(4), RW, MAP_PRIVATE);
	ASSERT_TRUE(wp2 != MAP_FAILED);

	/* reads see the arena */
	EXPECT_TRUE(va_check(wp, VA_PAGES(3), 44));
	EXPECT_TRUE(va_check(pg(wp, 3), VA_PAGE, 45));
	/* writes are this mapping's own */
	va_fill(wp, VA_PAGES(2), 46);
	EXPECT_TRUE(va_check(wp, VA_PAGES(2), 46));
	EXPECT_TRUE(va_check(ws, VA_PAGES(2), 44));
	EXPECT_TRUE(va_check(wp2, VA_PAGES(2), 44));
	/* including to a page it never read */
	va_fill(pg(wp2, 3), VA_PAGE, 47);
	EXPECT_TRUE(va_check(pg(wp2, 3), VA_PAGE, 47));
	EXPECT_TRUE(va_check(pg(ws, 3), VA_PAGE, 45));
	EXPECT_TRUE(va_check(pg(wp, 3), VA_PAGE, 45));
	/* the arena made no copies of its own for them */
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_copies, 0);
}

VT_TEST(mmap_mlock_is_accepted_and_changes_nothing)
{
	struct vmarena_area_info before, after;
	struct va_env e;
	char locked[64];
	uint32_t id;
	char *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(8));
	va_fill(w, VA_PAGES(8), 47);
	va_area_info_ok(e.as, id, &before);
	ASSERT_OK(mlock(w, VA_PAGES(8)));
	EXPECT_TRUE(va_check(w, VA_PAGES(8), 47));
	/* not VM_LOCKED: wiring is the area's business */
	EXPECT_TRUE(!vma_has_flag(w, "lo"));
	EXPECT_TRUE(smaps_line(w, "Locked:", locked, sizeof(locked)));
	EXPECT_EQ(strtoul(locked, NULL, 10), 0);
	va_area_info_ok(e.as, id, &after);
	EXPECT_EQ(after.out_wiring, before.out_wiring);
	EXPECT_EQ(after.out_lock_level, before.out_lock_level);
	EXPECT_EQ(after.out_resident, before.out_resident);
	ASSERT_OK(munlock(w, VA_PAGES(8)));
	EXPECT_TRUE(va_check(w, VA_PAGES(8), 47));
}

/* ---- what the kernel reports about touched pages ------------------------ */

VT_TEST(mmap_page_mapping_matches_proc_pagemap)
{
	uint64_t phys, entry;
	struct va_env e;
	char *w;
	int pm;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));
	va_poke(pg(w, 2), 0x42);
	ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(2), &phys));
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGES(1), NULL), ENOENT);

	pm = open("/proc/self/pagemap", O_RDONLY);
	ASSERT_OK(pm);
	ASSERT_EQ(pread(pm, &entry, 8, (uintptr_t)pg(w, 2) / VA_PAGE * 8), 8);
	EXPECT_TRUE(entry >> 63 & 1);				/* present */
	EXPECT_EQ(entry & ((1ULL << 55) - 1), phys / VA_PAGE);	/* PFN, bits 0-54 */
	close(pm);
}

VT_TEST(mmap_info_resident_counts_touched_pages)
{
	struct vmarena_area_info info;
	struct va_env e;
	uint32_t id;
	char *w;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, 0);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(16));
	va_poke(pg(w, 0), 1);
	va_poke(pg(w, 7), 1);
	va_poke(pg(w, 7) + 8, 1);
	va_poke(pg(w, 15) + VA_PAGE - 1, 1);
	EXPECT_EQ(va_peek(pg(w, 3)), 0);
	EXPECT_EQ(va_peek(pg(w, 9)), 0);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 5);
	EXPECT_EQ(info.out_copies, 0);
	EXPECT_EQ(info.out_cache_depth, 1);
	EXPECT_EQ(info.out_base, VA_BASE);
	EXPECT_EQ(info.out_length, VA_PAGES(16));
	EXPECT_EQ(info.out_protection, VA_RW);
	EXPECT_EQ(info.out_protection_max, VMARENA_PROT_ALL);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_LAZY);
	EXPECT_EQ(info.out_lock_level, VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(info.out_flags, 0);
}

VT_TEST(mmap_iterate_walks_areas_in_address_order)
{
	const unsigned int at[] = { 40, 8, 24, 0, 16, 100 };
	const char *names[] = { "e", "b", "d", "a", "c", "f" };
	struct vmarena_area_info info;
	uint32_t ids[6];
	uint64_t last = 0;
	struct va_env e;
	unsigned int i, n = 0;

	va_env_init(&e);
	for (i = 0; i < 6; i++)
		ids[i] = va_anon_named_ok(e.as, names[i], VA_BASE + VA_PAGES(at[i]),
					  VA_PAGES(2), VA_RW, 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	while (!ioctl(e.as, VMARENA_IOC_AREA_ITERATE, &info)) {
		char want[2] = { (char)('a' + n), 0 };
		uint64_t cookie = info.cookie;
		unsigned int k;

		EXPECT_TRUE(n == 0 || info.out_base > last);
		last = info.out_base;
		EXPECT_STREQ(info.out_name, want);
		for (k = 0; k < 6 && ids[k] != info.id; k++)
			;
		EXPECT_TRUE(k < 6 && VA_BASE + VA_PAGES(at[k]) == info.out_base);
		if (++n > 6)
			break;
		/* the next call: only the cookie carries over */
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		info.cookie = cookie;
	}
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(n, 6);
	/* done is done */
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_ITERATE, &info), ENOENT);
	/* an empty aspace ends at once */
	{
		int empty = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		EXPECT_ERRNO(ioctl(empty, VMARENA_IOC_AREA_ITERATE, &info), ENOENT);
	}
}

VT_TEST(mmap_find_returns_the_lowest_area_of_a_name)
{
	struct vmarena_area_find f;
	struct va_env e;
	uint32_t low;

	va_env_init(&e);
	va_anon_named_ok(e.as, "twin", VA_BASE + VA_PAGES(64), VA_PAGE, VA_RW, 0);
	va_anon_named_ok(e.as, "other", VA_BASE + VA_PAGES(32), VA_PAGE, VA_RW, 0);
	low = va_anon_named_ok(e.as, "twin", VA_BASE + VA_PAGES(16), VA_PAGE, VA_RW, 0);
	va_anon_named_ok(e.as, "", VA_BASE, VA_PAGE, VA_RW, 0);
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	strcpy(f.name, "twin");
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f));
	EXPECT_EQ(f.out_id, low);
	strcpy(f.name, "twins");
	f.out_id = 0;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), ENOENT);
}

VT_TEST(mmap_aspaces_are_isolated)
{
	struct va_env e;
	int other;
	char *w1, *w2;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, 0);
	va_anon_ok(other, VA_BASE, VA_PAGES(2), VA_RW, 0);
	w1 = va_map_ok(e.as, VA_BASE, VA_PAGES(2));
	w2 = va_map_ok(other, VA_BASE, VA_PAGES(2));
	va_fill(w1, VA_PAGES(2), 48);
	EXPECT_TRUE(va_is_zero(w2, VA_PAGES(2)));
	va_fill(w2, VA_PAGES(2), 49);
	EXPECT_TRUE(va_check(w1, VA_PAGES(2), 48));
}
