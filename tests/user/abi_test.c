// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI of /dev/vmarena: every validation failure of the errno
 * contract in uapi/vmarena.h, command by command, with raw ioctls.
 *
 * Most tests are tables: a valid request (checked to succeed first), then
 * one row per broken field, each with the errno it must fail with.
 */
#include <fcntl.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/capability.h>

#include "vt_arena.h"

/* ---- the commands ---------------------------------------------------- */

struct va_cmd {
	const char *name;
	unsigned long cmd;
	size_t size;		/* sizeof its struct */
	size_t min;		/* the size of its struct's first version */
	bool aspace_fd;		/* an aspace-fd command (else control fd) */
};

#define CMD(c, s, a) { #c, VMARENA_IOC_##c, sizeof(struct s), sizeof(struct s), a }
/* A struct that grew: @f is the last field of its first version. */
#define CMD_GREW(c, s, f, a)						\
	{ #c, VMARENA_IOC_##c, sizeof(struct s),			\
	  offsetof(struct s, f) + sizeof(((struct s *)0)->f), a }
static const struct va_cmd va_cmds[] = {
	CMD(VERSION, vmarena_version, false),
	CMD(ASPACE_CREATE, vmarena_aspace_create, false),
	CMD(ASPACE_OPEN, vmarena_aspace_open, false),
	CMD(ASPACE_UNLINK, vmarena_aspace_open, false),
	CMD_GREW(ASPACE_INFO, vmarena_aspace_info, out_faults, true),
	CMD(AREA_CREATE_ANON, vmarena_area_create, true),
	CMD(AREA_CREATE_NULL, vmarena_area_create, true),
	CMD(AREA_MAP_DEVICE, vmarena_area_create, true),
	CMD(AREA_MAP_FILE, vmarena_area_create, true),
	CMD(AREA_CLONE, vmarena_area_create, true),
	CMD(AREA_DELETE, vmarena_area_op, true),
	CMD(AREA_RESIZE, vmarena_area_op, true),
	CMD(AREA_PROTECT, vmarena_area_op, true),
	CMD(AREA_SYNC, vmarena_area_op, true),
	CMD(AREA_INFO, vmarena_area_info, true),
	CMD(AREA_ITERATE, vmarena_area_info, true),
	CMD(AREA_FIND, vmarena_area_find, true),
	CMD(PAGE_MAPPING, vmarena_page_mapping, true),
};
#define NR_CMDS (sizeof(va_cmds) / sizeof(va_cmds[0]))

static int va_cmd_fd(const struct va_cmd *c, const struct va_env *e)
{
	return c->aspace_fd ? e->as : e->ctl;
}

/* ---- table-driven field checks ---------------------------------------- */

/*
 * One broken request: up to two fields set on a valid one.  A field of
 * width 32 is a name, filled with @value bytes and no NUL.
 */
struct va_field {
	size_t off, width;
	uint64_t value;
};

struct va_case {
	const char *what;
	int err;
	struct va_field set[2];
};

#define F(type, field, v) { offsetof(type, field), sizeof(((type *)0)->field), (uint64_t)(v) }
#define FA(field, v)	F(struct vmarena_area_create, field, v)

static void va_apply(void *buf, const struct va_case *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		const struct va_field *f = &c->set[i];
		char *p = (char *)buf + f->off;

		if (f->width == 4)
			*(uint32_t *)p = (uint32_t)f->value;
		else if (f->width == 8)
			*(uint64_t *)p = f->value;
		else if (f->width)
			memset(p, (int)f->value, f->width);
	}
}

/*
 * Run @cases of an area-creating @cmd against @valid.  A row that
 * wrongly succeeds is reported, and its area deleted so that the next
 * rows see the same aspace.
 */
static void va_area_cases(int as, const char *cmdname, unsigned long cmd,
			  const struct vmarena_area_create *valid,
			  const struct va_case *cases, size_t n)
{
	struct vmarena_area_create c;
	size_t i;

	/* the valid request works, and leaves nothing behind */
	c = *valid;
	VT_CHECK(!ioctl(as, cmd, &c), 1, "%s: the valid request fails: %s", cmdname,
		 strerror(errno));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, c.out_id, 0));

	for (i = 0; i < n; i++) {
		char what[160];
		int r, e;

		c = *valid;
		va_apply(&c, &cases[i]);
		snprintf(what, sizeof(what), "%s: %s", cmdname, cases[i].what);
		errno = 0;
		r = ioctl(as, cmd, &c);
		e = errno;
		VT_CHECK(r == -1 && e == cases[i].err, 0,
			 "%s: returned %d errno %d (%s), expected errno %d (%s)", what, r, e,
			 strerror(e), cases[i].err, strerror(cases[i].err));
		if (!r)
			va_area_op(as, VMARENA_IOC_AREA_DELETE, c.out_id, 0);
	}
}

/* Where the area tables put their valid request. */
#define AT	(VA_BASE + VA_PAGES(256))
#define AT_LEN	VA_PAGES(4)

/* Rows every area-creating command shares. */
static size_t va_common_cases(struct va_case *out)
{
	const struct va_case rows[] = {
		{ "reserved nonzero", EINVAL, { FA(reserved, 1) } },
		{ "unknown flag 0x40", EINVAL, { FA(flags, 0x40) } },
		{ "PHYS_16M with lazy wiring", EINVAL, { FA(flags, VMARENA_AREA_PHYS_16M) } },
		{ "PHYS_4G with wired wiring", EINVAL,
		  { FA(flags, VMARENA_AREA_PHYS_4G), FA(wiring, VMARENA_WIRING_WIRED) } },
		{ "both PHYS flags", EINVAL,
		  { FA(flags, VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G),
		    FA(wiring, VMARENA_WIRING_CONTIGUOUS) } },
		{ "lazy flag with wired wiring", EINVAL,
		  { FA(flags, VMARENA_AREA_LAZY), FA(wiring, VMARENA_WIRING_WIRED) } },
		{ "unknown flag bit 31", EINVAL, { FA(flags, 0x80000000u) } },
		{ "addr_spec 3", EINVAL, { FA(addr_spec, 3) } },
		{ "addr_spec ~0", EINVAL, { FA(addr_spec, 0xffffffffu) } },
		{ "protection bit 0x8", EINVAL, { FA(protection, VA_RW | 0x8) } },
		{ "protection bit 31", EINVAL, { FA(protection, 0x80000000u) } },
		{ "protection_max bit 0x8", EINVAL, { FA(protection_max, 0xf) } },
		{ "wiring 4", EINVAL, { FA(wiring, 4) } },
		{ "wiring ~0", EINVAL, { FA(wiring, 0xffffffffu) } },
		{ "lock_level 3", EINVAL, { FA(lock_level, 3) } },
		{ "name without NUL", EINVAL, { FA(name, 'n') } },
		{ "address + 1", EINVAL, { FA(address, AT + 1) } },
		{ "address + 2048", EINVAL, { FA(address, AT + 2048) } },
		{ "ADDR_ANY with an address", EINVAL, { FA(addr_spec, VMARENA_ADDR_ANY) } },
		{ "EXACT one page below the aspace", EINVAL, { FA(address, VA_BASE - VA_PAGE) } },
		{ "EXACT at the aspace's end", EINVAL, { FA(address, VA_BASE + VA_LEN) } },
		{ "EXACT at 2^47", EINVAL, { FA(address, VA_LIMIT) } },
		{ "EXACT where address + length wraps", EINVAL,
		  { FA(address, 0xfffffffffffff000ull) } },
		{ "BASE at the aspace's end", EINVAL,
		  { FA(addr_spec, VMARENA_ADDR_BASE), FA(address, VA_BASE + VA_LEN) } },
		{ "protection above protection_max", EACCES,
		  { FA(protection, VA_RW), FA(protection_max, VMARENA_PROT_READ) } },
	};

	memcpy(out, rows, sizeof(rows));
	return sizeof(rows) / sizeof(rows[0]);
}

/* Rows of the commands that take a length (all but CLONE). */
static size_t va_length_cases(struct va_case *out)
{
	const struct va_case rows[] = {
		{ "length 0", EINVAL, { FA(length, 0) } },
		{ "length 4097", EINVAL, { FA(length, VA_PAGE + 1) } },
		{ "length 100", EINVAL, { FA(length, 100) } },
		{ "EXACT straddling the aspace's end", EINVAL,
		  { FA(address, VA_BASE + VA_LEN - VA_PAGE) } },
		{ "length wrapping address + length", EINVAL,
		  { FA(length, 0 - (uint64_t)AT) } },
		{ "source_id (unused) nonzero", EINVAL, { FA(source_id, 1) } },
		{ "VMARENA_CLONE_SOURCE_FD on a non-clone", EINVAL,
		  { FA(flags, VMARENA_CLONE_SOURCE_FD) } },
	};

	memcpy(out, rows, sizeof(rows));
	return sizeof(rows) / sizeof(rows[0]);
}

/* ---- every command: size, tail, pointer, fd kind ----------------------- */

VT_TEST(abi_size_too_small_is_einval)
{
	char buf[512];
	struct va_env e;
	size_t i;

	va_env_init(&e);
	for (i = 0; i < NR_CMDS; i++) {
		const struct va_cmd *c = &va_cmds[i];
		uint32_t sizes[] = { 0, 4, (uint32_t)c->min - 8, (uint32_t)c->min - 1 };
		size_t j;

		for (j = 0; j < 4; j++) {
			char what[96];

			memset(buf, 0, sizeof(buf));
			*(uint32_t *)buf = sizes[j];
			snprintf(what, sizeof(what), "%s with size %u of %zu", c->name, sizes[j],
				 c->min);
			EXPECT_ERRNO_AT(what, ioctl(va_cmd_fd(c, &e), c->cmd, buf), EINVAL);
		}
	}
}

VT_TEST(abi_larger_size_with_nonzero_tail_is_e2big)
{
	char buf[8192];
	struct va_env e;
	size_t i;

	va_env_init(&e);
	for (i = 0; i < NR_CMDS; i++) {
		const struct va_cmd *c = &va_cmds[i];
		char what[96];

		/* one more __u64, nonzero */
		memset(buf, 0, sizeof(buf));
		*(uint32_t *)buf = c->size + 8;
		buf[c->size] = 1;
		snprintf(what, sizeof(what), "%s, size + 8, first extra byte set", c->name);
		EXPECT_ERRNO_AT(what, ioctl(va_cmd_fd(c, &e), c->cmd, buf), E2BIG);

		/* a page larger, only its last byte set */
		memset(buf, 0, sizeof(buf));
		*(uint32_t *)buf = c->size + 4096;
		buf[c->size + 4095] = 0x80;
		snprintf(what, sizeof(what), "%s, size + 4096, last extra byte set", c->name);
		EXPECT_ERRNO_AT(what, ioctl(va_cmd_fd(c, &e), c->cmd, buf), E2BIG);
	}
}

VT_TEST(abi_bad_argument_pointer_is_efault)
{
	struct va_env e;
	size_t i;
	void *none;

	va_env_init(&e);
	none = mmap(NULL, VA_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(none != MAP_FAILED);
	for (i = 0; i < NR_CMDS; i++) {
		const struct va_cmd *c = &va_cmds[i];

		EXPECT_ERRNO_AT(c->name, ioctl(va_cmd_fd(c, &e), c->cmd, NULL), EFAULT);
		EXPECT_ERRNO_AT(c->name, ioctl(va_cmd_fd(c, &e), c->cmd, (void *)16), EFAULT);
		EXPECT_ERRNO_AT(c->name, ioctl(va_cmd_fd(c, &e), c->cmd, none), EFAULT);
	}
}

/* Commands for the other kind of fd: ENOTTY, even with a valid argument. */
VT_TEST(abi_area_commands_on_the_control_fd_are_enotty)
{
	struct vmarena_area_create ac;
	struct vmarena_area_info ai;
	struct vmarena_area_find af;
	struct vmarena_aspace_info info;
	struct vmarena_page_mapping pm;
	struct vmarena_area_op op;
	struct va_env e;
	uint32_t id;

	va_env_init(&e);
	id = va_anon_named_ok(e.as, "x", VA_BASE, VA_PAGES(2), VA_RW, 0);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_ASPACE_INFO, &info), ENOTTY);

	va_area_req(&ac, "y", VA_BASE + VA_PAGES(8), VA_PAGES(2), VA_RW);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_CREATE_ANON, &ac), ENOTTY);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_CREATE_NULL, &ac), ENOTTY);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_MAP_DEVICE, &ac), ENOTTY);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_MAP_FILE, &ac), ENOTTY);
	va_area_req(&ac, "y", VA_BASE + VA_PAGES(8), 0, VA_RW);
	ac.mapping = VMARENA_MAP_SHARED;
	ac.source_id = id;
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_CLONE, &ac), ENOTTY);

	op = (struct vmarena_area_op){ .size = sizeof(op), .id = id };
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_SYNC, &op), ENOTTY);
	op.value = VMARENA_PROT_READ;
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_PROTECT, &op), ENOTTY);
	op.value = VA_PAGES(1);
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_RESIZE, &op), ENOTTY);
	op.value = 0;
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_DELETE, &op), ENOTTY);

	memset(&ai, 0, sizeof(ai));
	ai.size = sizeof(ai);
	ai.id = id;
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_INFO, &ai), ENOTTY);
	ai.id = 0;
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_ITERATE, &ai), ENOTTY);

	memset(&af, 0, sizeof(af));
	af.size = sizeof(af);
	strcpy(af.name, "x");
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_AREA_FIND, &af), ENOTTY);

	pm = (struct vmarena_page_mapping){ .size = sizeof(pm), .address = VA_BASE };
	EXPECT_ERRNO(ioctl(e.ctl, VMARENA_IOC_PAGE_MAPPING, &pm), ENOTTY);

	/* and the area is untouched: the RESIZE, PROTECT and DELETE above did nothing */
	va_area_info_ok(e.as, id, &ai);
	EXPECT_EQ(ai.out_length, VA_PAGES(2));
	EXPECT_EQ(ai.out_protection, VA_RW);
}

VT_TEST(abi_aspace_commands_on_an_aspace_fd_are_enotty)
{
	const char *name = va_uname("vt-enotty");
	struct vmarena_aspace_create c;
	struct vmarena_aspace_open o;
	struct va_env e;
	int p;

	va_env_init(&e);
	p = va_persistent_ok(e.ctl, name, 0600, NULL);

	va_aspace_req(&c, "", VA_BASE, VA_LEN, 0, 0);
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_CREATE, &c), ENOTTY);
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	strcpy(o.name, name);
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_OPEN, &o), ENOTTY);
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_ASPACE_UNLINK, &o), ENOTTY);
	EXPECT_ERRNO(ioctl(p, VMARENA_IOC_ASPACE_UNLINK, &o), ENOTTY);

	/* the name is still there: UNLINK on an aspace fd did nothing */
	ASSERT_OK(va_unlink(e.ctl, name));
}

/* ---- VMARENA_IOC_ASPACE_CREATE ---------------------------------------- */

#define FS(field, v)	F(struct vmarena_aspace_create, field, v)

VT_TEST(abi_aspace_create_validation)
{
	const struct va_case rows[] = {
		{ "reserved nonzero", EINVAL, { FS(reserved, 1) } },
		{ "unknown flag 0x2", EINVAL, { FS(flags, 0x2) } },
		{ "unknown flag bit 31", EINVAL, { FS(flags, 0x80000000u) } },
		{ "base + 1", EINVAL, { FS(base, VA_BASE + 1) } },
		{ "base + 2048", EINVAL, { FS(base, VA_BASE + 2048) } },
		{ "length 4097", EINVAL, { FS(length, VA_PAGE + 1) } },
		{ "length 100", EINVAL, { FS(length, 100) } },
		{ "length 0", EINVAL, { FS(length, 0) } },
		{ "base + length = 2^47 + 4096", EINVAL,
		  { FS(base, VA_LIMIT - VA_LEN + VA_PAGE) } },
		{ "base at 2^47", EINVAL, { FS(base, VA_LIMIT) } },
		{ "length above 2^47", EINVAL, { FS(base, 0), FS(length, VA_LIMIT + VA_PAGE) } },
		{ "base + length wraps", EINVAL,
		  { FS(base, 0xfffffffffffff000ull), FS(length, VA_PAGES(2)) } },
		{ "length wraps from base", EINVAL, { FS(length, 0 - (uint64_t)VA_BASE) } },
		{ "name without NUL", EINVAL, { FS(name, 'a') } },
		{ "mode (unused) on an unnamed aspace", EINVAL, { FS(mode, 0600) } },
		{ "persistent without a name", EINVAL,
		  { FS(flags, VMARENA_ASPACE_PERSISTENT), FS(mode, 0600) } },
	};
	struct vmarena_aspace_create valid, c;
	int ctl = va_ctl_ok(), fd;
	size_t i;

	va_aspace_req(&valid, "", VA_BASE, VA_LEN, 0, 0);
	c = valid;
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	close(fd);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		c = valid;
		va_apply(&c, &rows[i]);
		EXPECT_ERRNO_AT(rows[i].what, (fd = va_aspace_create(ctl, &c)), rows[i].err);
		if (fd >= 0) {
			if (c.flags & VMARENA_ASPACE_PERSISTENT)
				va_unlink(ctl, c.name);
			close(fd);
		}
	}

	/* the largest aspace that fits: [0, 2^47) */
	c = valid;
	c.base = 0;
	c.length = VA_LIMIT;
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	close(fd);
}

VT_TEST(abi_aspace_create_persistent_mode_bits)
{
	const char *name = va_uname("vt-mode");
	struct vmarena_aspace_create c;
	int ctl = va_ctl_ok(), fd;
	const uint32_t bad[] = { 01000, 02600, 04600, 0x80000000u };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[64];

		va_aspace_req(&c, name, VA_BASE, VA_LEN, VMARENA_ASPACE_PERSISTENT, bad[i]);
		snprintf(what, sizeof(what), "mode %#o", bad[i]);
		EXPECT_ERRNO_AT(what, (fd = va_aspace_create(ctl, &c)), EINVAL);
		if (fd >= 0) {
			va_unlink(ctl, name);
			close(fd);
		}
	}
	/* the name was never taken */
	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
}

VT_TEST(abi_aspace_create_accepts_a_larger_size_with_a_zero_tail)
{
	struct {
		struct vmarena_aspace_create c;
		uint64_t extra[4];
	} big;
	struct vmarena_aspace_info info;
	int ctl = va_ctl_ok(), fd;

	memset(&big, 0, sizeof(big));
	va_aspace_req(&big.c, "", VA_BASE, VA_LEN, 0, 0);
	big.c.size = sizeof(big);
	fd = va_aspace_create(ctl, &big.c);
	ASSERT_OK(fd);
	ASSERT_OK(va_aspace_info(fd, &info));
	EXPECT_EQ(info.out_id, big.c.out_id);
	EXPECT_EQ(info.out_base, VA_BASE);
	EXPECT_EQ(info.out_length, VA_LEN);
	EXPECT_EQ(big.extra[0] | big.extra[1] | big.extra[2] | big.extra[3], 0);
	/* the aspace fd is close-on-exec */
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

/*
 * "Fields named out_* are written by the kernel and ignored on input"
 * (uapi/vmarena.h): a caller reusing a struct from an earlier call must
 * not be refused.  One row per command that has out_* fields.
 */
VT_TEST(abi_out_fields_are_ignored_on_input)
{
	const char *name = va_uname("vt-out");
	struct vmarena_aspace_create ac;
	struct vmarena_aspace_open ao;
	struct vmarena_aspace_info ai;
	struct vmarena_area_create c;
	struct vmarena_area_info info;
	struct vmarena_area_find f;
	struct vmarena_page_mapping pm;
	struct vmarena_version ver;
	struct va_env e;
	uint32_t id;
	int fd;

	va_env_init(&e);
	id = va_anon_named_ok(e.as, "out", VA_BASE, VA_PAGE, VA_RW, VMARENA_WIRING_LAZY);
	va_persistent_ok(e.ctl, name, 0600, NULL);

	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.out_abi_version = 77;
	ver.out_features = ~0ull;
	ver.out_module_version = 77;
	VT_CHECK(!ioctl(e.ctl, VMARENA_IOC_VERSION, &ver), 0, "VERSION: %s", strerror(errno));

	va_aspace_req(&ac, "", VA_BASE, VA_LEN, 0, 0);
	ac.out_id = 0xdeadbeef;
	ac.out_fd = 0xffffffff;
	fd = va_aspace_create(e.ctl, &ac);
	VT_CHECK(fd >= 0, 0, "ASPACE_CREATE: %s", strerror(errno));

	memset(&ao, 0, sizeof(ao));
	ao.size = sizeof(ao);
	strcpy(ao.name, name);
	ao.out_id = 0xdeadbeef;
	ao.out_fd = 0xffffffff;
	VT_CHECK(!ioctl(e.ctl, VMARENA_IOC_ASPACE_OPEN, &ao), 0, "ASPACE_OPEN: %s",
		 strerror(errno));

	memset(&ai, 0xa5, sizeof(ai));
	ai.size = sizeof(ai);
	ai.reserved = 0;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_ASPACE_INFO, &ai), 0, "ASPACE_INFO: %s",
		 strerror(errno));

	va_area_req(&c, "", VA_BASE + VA_PAGES(4), VA_PAGE, VA_RW);
	c.out_id = 0xdeadbeef;
	c.out_address = ~0ull;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), 0, "AREA_CREATE_ANON: %s",
		 strerror(errno));

	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.id = id;
	info.cookie = 0;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_AREA_INFO, &info), 0, "AREA_INFO: %s",
		 strerror(errno));

	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.id = 0;
	info.cookie = 0;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_AREA_ITERATE, &info), 0, "AREA_ITERATE: %s",
		 strerror(errno));

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	strcpy(f.name, "out");
	f.out_id = 0xdeadbeef;
	f.out_reserved = 0xdeadbeef;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), 0, "AREA_FIND: %s", strerror(errno));

	va_anon_ok(e.as, VA_BASE + VA_PAGES(8), VA_PAGE, VA_RW, VMARENA_WIRING_WIRED);
	memset(&pm, 0, sizeof(pm));
	pm.size = sizeof(pm);
	pm.address = VA_BASE + VA_PAGES(8);
	pm.out_phys = ~0ull;
	VT_CHECK(!ioctl(e.as, VMARENA_IOC_PAGE_MAPPING, &pm), 0, "PAGE_MAPPING: %s",
		 strerror(errno));
	ASSERT_OK(va_unlink(e.ctl, name));
}

VT_TEST(abi_aspace_info_reports_the_aspace)
{
	const char *name = va_uname("vt-info");
	struct vmarena_aspace_create c;
	struct vmarena_aspace_info info;
	int ctl = va_ctl_ok(), fd, p;

	va_aspace_req(&c, "plain", VA_BASE + VA_PAGES(16), VA_PAGES(64), 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	va_anon_ok(fd, VA_BASE + VA_PAGES(16), VA_PAGES(2), VA_RW, 0);
	va_anon_ok(fd, VA_BASE + VA_PAGES(20), VA_PAGES(2), VA_RW, 0);
	ASSERT_OK(va_aspace_info(fd, &info));
	EXPECT_EQ(info.out_id, c.out_id);
	EXPECT_EQ(info.out_flags, 0);
	EXPECT_EQ(info.out_base, VA_BASE + VA_PAGES(16));
	EXPECT_EQ(info.out_length, VA_PAGES(64));
	EXPECT_EQ(info.out_areas, 2);
	EXPECT_EQ(info.out_reserved, 0);
	EXPECT_STREQ(info.out_name, "plain");

	/* reserved is checked */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved = 1;
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_ASPACE_INFO, &info), EINVAL);

	/* a persistent aspace loses PERSISTENT when unlinked */
	p = va_persistent_ok(ctl, name, 0600, NULL);
	ASSERT_OK(va_aspace_info(p, &info));
	EXPECT_EQ(info.out_flags, VMARENA_ASPACE_PERSISTENT);
	EXPECT_STREQ(info.out_name, name);
	ASSERT_OK(va_unlink(ctl, name));
	ASSERT_OK(va_aspace_info(p, &info));
	EXPECT_EQ(info.out_flags, 0);
}

VT_TEST(abi_name_of_31_bytes_is_accepted)
{
	const char *n31 = "abcdefghijklmnopqrstuvwxyz01234";
	struct vmarena_aspace_create c;
	struct vmarena_aspace_info info;
	struct vmarena_area_info ai;
	int ctl = va_ctl_ok(), fd;
	uint32_t id;

	ASSERT_EQ(strlen(n31), VMARENA_NAME_MAX - 1);
	va_aspace_req(&c, n31, VA_BASE, VA_LEN, 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	ASSERT_OK(va_aspace_info(fd, &info));
	EXPECT_STREQ(info.out_name, n31);
	id = va_anon_named_ok(fd, n31, VA_BASE, VA_PAGE, VA_RW, 0);
	va_area_info_ok(fd, id, &ai);
	EXPECT_STREQ(ai.out_name, n31);
}

VT_TEST(abi_persistent_name_in_use_is_eexist)
{
	const char *name = va_uname("vt-eexist");
	struct vmarena_aspace_create c;
	int ctl = va_ctl_ok(), fd;

	va_persistent_ok(ctl, name, 0600, NULL);
	va_aspace_req(&c, name, VA_BASE, VA_LEN, VMARENA_ASPACE_PERSISTENT, 0600);
	EXPECT_ERRNO(fd = va_aspace_create(ctl, &c), EEXIST);
	/* once unlinked, the name is free again (the old aspace lives on) */
	ASSERT_OK(va_unlink(ctl, name));
	va_aspace_req(&c, name, VA_BASE, VA_LEN, VMARENA_ASPACE_PERSISTENT, 0600);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	va_remember_name(name);
	ASSERT_OK(va_unlink(ctl, name));
}

/* ---- VMARENA_IOC_ASPACE_OPEN and _UNLINK ------------------------------- */

#define FO(field, v)	F(struct vmarena_aspace_open, field, v)

VT_TEST(abi_aspace_open_and_unlink_validation)
{
	const char *name = va_uname("vt-open");
	const struct va_case rows[] = {
		{ "reserved nonzero", EINVAL, { FO(reserved, 1) } },
		{ "name without NUL", EINVAL, { FO(name, 'o') } },
	};
	struct vmarena_aspace_open valid, o;
	int ctl = va_ctl_ok(), fd;
	size_t i;

	va_persistent_ok(ctl, name, 0600, NULL);
	memset(&valid, 0, sizeof(valid));
	valid.size = sizeof(valid);
	strcpy(valid.name, name);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char what[96];

		o = valid;
		va_apply(&o, &rows[i]);
		snprintf(what, sizeof(what), "OPEN: %s", rows[i].what);
		EXPECT_ERRNO_AT(what, ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &o), rows[i].err);
		o = valid;
		va_apply(&o, &rows[i]);
		snprintf(what, sizeof(what), "UNLINK: %s", rows[i].what);
		EXPECT_ERRNO_AT(what, ioctl(ctl, VMARENA_IOC_ASPACE_UNLINK, &o), rows[i].err);
	}
	/* the valid request works */
	o = valid;
	ASSERT_OK(ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &o));
	fd = (int)o.out_fd;
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	ASSERT_OK(va_unlink(ctl, name));
}

VT_TEST(abi_open_or_unlink_of_an_unknown_name_is_enoent)
{
	const char *name = va_uname("vt-unknown");
	int ctl = va_ctl_ok(), fd;
	struct vmarena_aspace_create c;

	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
	EXPECT_ERRNO(va_unlink(ctl, name), ENOENT);

	/* an unnamed aspace's name is not a persistent name */
	va_aspace_req(&c, name, VA_BASE, VA_LEN, 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
	EXPECT_ERRNO(va_unlink(ctl, name), ENOENT);

	/* an unlinked name is gone, even while the aspace lives on */
	close(fd);
	va_persistent_ok(ctl, name, 0600, NULL);
	ASSERT_OK(va_unlink(ctl, name));
	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
	EXPECT_ERRNO(va_unlink(ctl, name), ENOENT);
}

/* A persistent aspace of mode @mode, opened by nobody: @expect (0 or errno). */
static void va_open_as_nobody(uint32_t mode, int expect)
{
	const char *name = va_uname("vt-mode");
	int ctl = va_ctl_ok();
	char what[64];

	va_persistent_ok(ctl, name, mode, NULL);
	snprintf(what, sizeof(what), "open of mode %#o as nobody", mode);
	EXPECT_CHILD_OK(
		va_become_nobody();
		if (expect) {
			EXPECT_ERRNO_AT(what, va_open_name(ctl, name), expect);
		} else {
			int fd = va_open_name(ctl, name);

			VT_CHECK(fd >= 0, 0, "%s: %s", what, strerror(errno));
		});
	ASSERT_OK(va_unlink(ctl, name));
}

VT_TEST(abi_open_refused_by_mode_bits_is_eacces)
{
	va_open_as_nobody(0600, EACCES);
	va_open_as_nobody(0000, EACCES);
	/* OPEN needs read and write */
	va_open_as_nobody(0644, EACCES);
	va_open_as_nobody(0622, EACCES);
	va_open_as_nobody(0666, 0);
}

VT_TEST(abi_unlink_by_a_non_owner_is_eperm)
{
	const char *name = va_uname("vt-unlink");
	int ctl = va_ctl_ok();

	va_persistent_ok(ctl, name, 0666, NULL);
	EXPECT_CHILD_OK(
		va_become_nobody();
		/* nobody may use it (mode 0666) but not remove it */
		ASSERT_OK(va_open_name(ctl, name));
		EXPECT_ERRNO(va_unlink(ctl, name), EPERM));
	/* still there */
	ASSERT_OK(va_unlink(ctl, name));

	/* nobody owns an aspace it created, and may unlink it */
	EXPECT_CHILD_OK(
		va_become_nobody();
		va_persistent_ok(ctl, name, 0600, NULL);
		ASSERT_OK(va_unlink(ctl, name)));
	EXPECT_ERRNO(va_open_name(ctl, name), ENOENT);
}

/* ---- area-creating commands ------------------------------------------- */

VT_TEST(abi_area_create_anon_validation)
{
	struct va_case rows[64];
	struct vmarena_area_create valid;
	struct va_env e;
	size_t n;
	const struct va_case own[] = {
		{ "mapping (unused) nonzero", EINVAL, { FA(mapping, VMARENA_MAP_SHARED) } },
		{ "phys (unused) nonzero", EINVAL, { FA(phys, VA_PAGE) } },
		{ "file_offset (unused) nonzero", EINVAL, { FA(file_offset, VA_PAGE) } },
		{ "fd (unused) nonzero", EINVAL, { FA(fd, 1) } },
	};

	va_env_init(&e);
	n = va_common_cases(rows);
	n += va_length_cases(rows + n);
	memcpy(rows + n, own, sizeof(own));
	n += sizeof(own) / sizeof(own[0]);
	va_area_req(&valid, "anon", AT, AT_LEN, VA_RW);
	va_area_cases(e.as, "CREATE_ANON", VMARENA_IOC_AREA_CREATE_ANON, &valid, rows, n);
}

VT_TEST(abi_area_create_null_validation)
{
	struct va_case rows[64];
	struct vmarena_area_create valid;
	struct va_env e;
	size_t n;
	const struct va_case own[] = {
		{ "mapping (unused) nonzero", EINVAL, { FA(mapping, VMARENA_MAP_PRIVATE) } },
		{ "phys (unused) nonzero", EINVAL, { FA(phys, VA_PAGE) } },
		{ "file_offset (unused) nonzero", EINVAL, { FA(file_offset, VA_PAGE) } },
		{ "fd (unused) nonzero", EINVAL, { FA(fd, 1) } },
	};

	va_env_init(&e);
	n = va_common_cases(rows);
	n += va_length_cases(rows + n);
	memcpy(rows + n, own, sizeof(own));
	n += sizeof(own) / sizeof(own[0]);
	va_area_req(&valid, "null", AT, AT_LEN, VA_RW);
	va_area_cases(e.as, "CREATE_NULL", VMARENA_IOC_AREA_CREATE_NULL, &valid, rows, n);
}

/* A contiguous area at VA_BASE of @pages pages: the physical address of its run. */
static uint64_t va_contiguous_run(int as, unsigned int pages)
{
	uint64_t phys, p;
	unsigned int i;

	va_anon_ok(as, VA_BASE, VA_PAGES(pages), VA_RW, VMARENA_WIRING_CONTIGUOUS);
	ASSERT_OK(va_page_mapping(as, VA_BASE, &phys));
	for (i = 1; i < pages; i++) {
		ASSERT_OK(va_page_mapping(as, VA_BASE + VA_PAGES(i), &p));
		ASSERT_EQ(p, phys + VA_PAGES(i));
	}
	return phys;
}

VT_TEST(abi_area_map_device_validation)
{
	struct va_case rows[64];
	struct vmarena_area_create valid;
	struct va_env e;
	uint64_t phys;
	size_t n;

	va_env_init(&e);
	phys = va_contiguous_run(e.as, 4);
	{
		const struct va_case own[] = {
			{ "phys + 1", EINVAL, { FA(phys, phys + 1) } },
			{ "phys + 2048", EINVAL, { FA(phys, phys + 2048) } },
			{ "phys + length wraps", EINVAL, { FA(phys, 0xfffffffffffff000ull) } },
			{ "mapping (unused) nonzero", EINVAL, { FA(mapping, VMARENA_MAP_SHARED) } },
			{ "file_offset (unused) nonzero", EINVAL, { FA(file_offset, VA_PAGE) } },
			{ "fd (unused) nonzero", EINVAL, { FA(fd, 1) } },
		};

		n = va_common_cases(rows);
		n += va_length_cases(rows + n);
		memcpy(rows + n, own, sizeof(own));
		n += sizeof(own) / sizeof(own[0]);
	}
	va_area_req(&valid, "device", AT, AT_LEN, VA_RW);
	valid.phys = phys;
	va_area_cases(e.as, "MAP_DEVICE", VMARENA_IOC_AREA_MAP_DEVICE, &valid, rows, n);
}

/* A file in /tmp of @pages pages filled with pattern @seed, opened @flags. */
static int va_tmpfile(const char *tag, unsigned int pages, uint64_t seed, int flags,
		      char *path, size_t pathlen)
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
	if ((flags & O_ACCMODE) != O_RDWR) {
		close(fd);
		fd = open(path, flags | O_CLOEXEC);
		ASSERT_OK(fd);
	}
	return fd;
}

VT_TEST(abi_area_map_file_validation)
{
	struct va_case rows[64];
	struct vmarena_area_create valid;
	struct va_env e;
	char path[64];
	size_t n;
	int fd;

	va_env_init(&e);
	fd = va_tmpfile("abi", 8, 1, O_RDWR, path, sizeof(path));
	ASSERT_EQ(fcntl(999, F_GETFD), -1);
	{
		const struct va_case own[] = {
			{ "mapping 0", EINVAL, { FA(mapping, 0) } },
			{ "mapping 3", EINVAL, { FA(mapping, 3) } },
			{ "mapping ~0", EINVAL, { FA(mapping, 0xffffffffu) } },
			{ "file_offset + 1", EINVAL, { FA(file_offset, 1) } },
			{ "file_offset + 2048", EINVAL, { FA(file_offset, 2048) } },
			{ "file_offset + length wraps", EINVAL,
			  { FA(file_offset, 0xfffffffffffff000ull) } },
			{ "phys (unused) nonzero", EINVAL, { FA(phys, VA_PAGE) } },
			{ "fd -1", EBADF, { FA(fd, 0xffffffffu) } },
			{ "fd not open", EBADF, { FA(fd, 999) } },
		};

		n = va_common_cases(rows);
		n += va_length_cases(rows + n);
		memcpy(rows + n, own, sizeof(own));
		n += sizeof(own) / sizeof(own[0]);
	}
	va_area_req(&valid, "file", AT, AT_LEN, VA_RW);
	valid.mapping = VMARENA_MAP_SHARED;
	valid.fd = fd;
	va_area_cases(e.as, "MAP_FILE", VMARENA_IOC_AREA_MAP_FILE, &valid, rows, n);
	unlink(path);
}

/*
 * MAP_FILE's fd must be an open file of the right kind: "EBADF  an fd
 * field that is not an open fd of the right kind" (uapi/vmarena.h).
 */
VT_TEST(abi_map_file_fd_of_the_wrong_kind_is_ebadf)
{
	struct vmarena_area_create c;
	struct va_env e;
	int dir, dev;

	va_env_init(&e);
	dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_OK(dir);
	dev = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_OK(dev);
	va_area_req(&c, "file", AT, AT_LEN, VMARENA_PROT_READ);
	c.mapping = VMARENA_MAP_PRIVATE;
	c.fd = dir;
	EXPECT_ERRNO_AT("a directory", va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c),
			EBADF);
	c.fd = dev;
	EXPECT_ERRNO_AT("/dev/null", va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c),
			EBADF);
	c.fd = e.ctl;
	EXPECT_ERRNO_AT("the control fd", va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c),
			EBADF);
	c.fd = e.as;
	EXPECT_ERRNO_AT("an aspace fd", va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c),
			EBADF);
}

/*
 * A shared writable file mapping needs an fd open for writing.  The uapi
 * names no errno for this one (EACCES, as mmap(2), or EBADF, "not of the
 * right kind", both fit); what matters is that it fails and the file is
 * never written.
 */
VT_TEST(abi_map_file_shared_writable_needs_a_writable_fd)
{
	struct vmarena_area_create c;
	struct va_env e;
	char path[64];
	int ro, r, err;

	va_env_init(&e);
	ro = va_tmpfile("rofd", 4, 1, O_RDONLY, path, sizeof(path));
	unlink(path);
	va_area_req(&c, "file", AT, AT_LEN, VA_RW);
	c.mapping = VMARENA_MAP_SHARED;
	c.fd = ro;
	errno = 0;
	r = va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c);
	err = errno;
	VT_CHECK(r == -1 && (err == EACCES || err == EBADF), 0,
		 "shared writable over an O_RDONLY fd: returned %d errno %d (%s)", r, err,
		 strerror(err));
	printf("# shared writable over an O_RDONLY fd: %s\n", strerror(err));
	/* read-only shared, or private: fine */
	c.protection = VMARENA_PROT_READ;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c));
	va_area_req(&c, "file", AT + AT_LEN, AT_LEN, VA_RW);
	c.mapping = VMARENA_MAP_PRIVATE;
	c.fd = ro;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_FILE, &c));
}

VT_TEST(abi_area_clone_validation)
{
	struct va_case rows[64];
	struct vmarena_area_create valid;
	struct va_env e;
	uint32_t src, gone;
	char path[64];
	size_t n;
	int file;

	va_env_init(&e);
	file = va_tmpfile("clone", 1, 1, O_RDWR, path, sizeof(path));
	unlink(path);
	/* the source allows RW at most; its id, and that of a deleted area */
	src = va_anon_ok(e.as, VA_BASE, AT_LEN, VA_RW, 0);
	{
		struct vmarena_area_create c;

		va_area_req(&c, "", VA_BASE + VA_PAGES(8), AT_LEN, VA_RW);
		c.protection_max = VA_RW;
		ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
		ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, src, 0));
		src = c.out_id;
		gone = va_anon_ok(e.as, VA_BASE + VA_PAGES(16), AT_LEN, VA_RW, 0);
		ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, gone, 0));
	}
	{
		const struct va_case own[] = {
			{ "length (the source's) nonzero", EINVAL, { FA(length, AT_LEN) } },
			{ "length unaligned", EINVAL, { FA(length, 1) } },
			{ "mapping 0", EINVAL, { FA(mapping, 0) } },
			{ "mapping 3", EINVAL, { FA(mapping, 3) } },
			{ "phys (unused) nonzero", EINVAL, { FA(phys, VA_PAGE) } },
			{ "file_offset (unused) nonzero", EINVAL, { FA(file_offset, VA_PAGE) } },
			{ "fd without VMARENA_CLONE_SOURCE_FD", EINVAL, { FA(fd, e.as) } },
			{ "EXACT straddling the aspace's end", EINVAL,
			  { FA(address, VA_BASE + VA_LEN - VA_PAGE) } },
			{ "source_id of a deleted area", ENOENT, { FA(source_id, gone) } },
			{ "source_id never used", ENOENT, { FA(source_id, 0x7ffffff0u) } },
			{ "protection above the source's protection_max", EACCES,
			  { FA(protection, VMARENA_PROT_ALL) } },
			{ "protection_max above the source's", EACCES,
			  { FA(protection_max, VMARENA_PROT_ALL) } },
			{ "SOURCE_FD with fd -1", EBADF,
			  { FA(flags, VMARENA_CLONE_SOURCE_FD), FA(fd, 0xffffffffu) } },
			{ "SOURCE_FD with an fd not open", EBADF,
			  { FA(flags, VMARENA_CLONE_SOURCE_FD), FA(fd, 999) } },
			{ "SOURCE_FD with the control fd", EBADF,
			  { FA(flags, VMARENA_CLONE_SOURCE_FD), FA(fd, e.ctl) } },
			{ "SOURCE_FD with a regular file", EBADF,
			  { FA(flags, VMARENA_CLONE_SOURCE_FD), FA(fd, file) } },
		};

		n = va_common_cases(rows);
		memcpy(rows + n, own, sizeof(own));
		n += sizeof(own) / sizeof(own[0]);
	}
	ASSERT_EQ(fcntl(999, F_GETFD), -1);
	va_area_req(&valid, "clone", AT, 0, VA_RW);
	valid.mapping = VMARENA_MAP_SHARED;
	valid.source_id = src;
	va_area_cases(e.as, "CLONE", VMARENA_IOC_AREA_CLONE, &valid, rows, n);
}

VT_TEST(abi_area_create_accepts_a_larger_size_with_a_zero_tail)
{
	struct {
		struct vmarena_area_create c;
		uint64_t extra[2];
	} big;
	struct vmarena_area_info info;
	struct va_env e;

	va_env_init(&e);
	memset(&big, 0, sizeof(big));
	va_area_req(&big.c, "tail", AT, AT_LEN, VA_RW);
	big.c.size = sizeof(big);
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_AREA_CREATE_ANON, &big));
	EXPECT_EQ(big.c.out_address, AT);
	EXPECT_EQ(big.extra[0] | big.extra[1], 0);
	va_area_info_ok(e.as, big.c.out_id, &info);
	EXPECT_EQ(info.out_base, AT);
	EXPECT_EQ(info.out_length, AT_LEN);
	EXPECT_STREQ(info.out_name, "tail");
}

VT_TEST(abi_exact_collision_is_eexist)
{
	struct vmarena_area_create c;
	struct va_env e;
	const struct { uint64_t at, len; const char *what; } rows[] = {
		{ AT, AT_LEN, "the same range" },
		{ AT + VA_PAGE, VA_PAGE, "inside" },
		{ AT - VA_PAGE, VA_PAGES(2), "overlapping its start" },
		{ AT + AT_LEN - VA_PAGE, VA_PAGES(2), "overlapping its end" },
		{ AT - VA_PAGE, AT_LEN + VA_PAGES(2), "covering it" },
	};
	size_t i;

	va_env_init(&e);
	va_anon_ok(e.as, AT, AT_LEN, VA_RW, 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		va_area_req(&c, "", rows[i].at, rows[i].len, VA_RW);
		EXPECT_ERRNO_AT(rows[i].what, va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c),
				EEXIST);
		EXPECT_ERRNO_AT(rows[i].what, va_area_create(e.as, VMARENA_IOC_AREA_CREATE_NULL, &c),
				EEXIST);
	}
	/* next to it is fine */
	va_anon_ok(e.as, AT - VA_PAGE, VA_PAGE, VA_RW, 0);
	va_anon_ok(e.as, AT + AT_LEN, VA_PAGE, VA_RW, 0);
}

VT_TEST(abi_no_room_is_enomem)
{
	struct vmarena_area_create c;
	struct va_env e;

	va_env_init(&e);
	/* larger than the aspace, anywhere */
	va_area_req(&c, "", 0, VA_LEN + VA_PAGE, VA_RW);
	EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), ENOMEM);
	/* a full aspace */
	va_null_ok(e.as, VA_BASE, VA_LEN, 0);
	va_area_req(&c, "", 0, VA_PAGE, VA_RW);
	EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), ENOMEM);
	c.addr_spec = VMARENA_ADDR_BASE;
	c.address = VA_BASE + VA_PAGES(8);
	EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), ENOMEM);
}

/* ---- clone permissions ------------------------------------------------- */

VT_TEST(abi_clone_from_another_aspace_needs_permission)
{
	struct vmarena_area_create c;
	struct va_env e;
	uint32_t plain, cloneable, other_id;
	int other, third;

	va_env_init(&e);
	plain = va_anon_named_ok(e.as, "plain", VA_BASE, VA_PAGES(2), VA_RW, 0);
	cloneable = va_anon_named_ok(e.as, "cloneable", VA_BASE + VA_PAGES(4), VA_PAGES(2),
				     VA_RW, VMARENA_AREA_CLONEABLE);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, &other_id);
	third = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);

	/* not cloneable, no source fd: EPERM */
	va_area_req(&c, "", VA_BASE, 0, VA_RW);
	c.mapping = VMARENA_MAP_SHARED;
	c.source_id = plain;
	EXPECT_ERRNO(va_area_create(other, VMARENA_IOC_AREA_CLONE, &c), EPERM);
	/* an fd of an aspace that is not the source's: EPERM */
	c.flags = VMARENA_CLONE_SOURCE_FD;
	c.fd = third;
	EXPECT_ERRNO(va_area_create(other, VMARENA_IOC_AREA_CLONE, &c), EPERM);
	/* with an fd of the source's aspace: allowed */
	c.fd = e.as;
	VT_CHECK(!va_area_create(other, VMARENA_IOC_AREA_CLONE, &c), 0,
		 "clone with VMARENA_CLONE_SOURCE_FD and an fd of the source's aspace: %s",
		 strerror(errno));

	/* cloneable and created by this euid: allowed without an fd */
	va_area_req(&c, "", VA_BASE + VA_PAGES(8), 0, VA_RW);
	c.mapping = VMARENA_MAP_PRIVATE;
	c.source_id = cloneable;
	ASSERT_OK(va_area_create(other, VMARENA_IOC_AREA_CLONE, &c));

	/* ... but not for another euid */
	EXPECT_CHILD_OK(
		va_become_nobody();
		c.address = VA_BASE + VA_PAGES(16);
		c.out_id = 0;
		c.out_address = 0;
		EXPECT_ERRNO(va_area_create(other, VMARENA_IOC_AREA_CLONE, &c), EPERM);
		/* though an fd of the source's aspace still allows it */
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = e.as;
		c.out_id = 0;
		c.out_address = 0;
		VT_CHECK(!va_area_create(other, VMARENA_IOC_AREA_CLONE, &c), 0,
			 "clone as nobody with an fd of the source's aspace: %s",
			 strerror(errno)));
}

VT_TEST(abi_private_clone_chain_too_deep_is_emlink)
{
	struct vmarena_area_info info;
	struct vmarena_area_create c;
	uint32_t id, depth;
	struct va_env e;
	int i, ret = 0;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGE, VA_RW, 0);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_cache_depth, 1);
	depth = info.out_cache_depth;
	for (i = 1; i <= 64; i++) {
		va_area_req(&c, "", VA_BASE + VA_PAGES(2 * i), 0, VA_RW);
		c.mapping = VMARENA_MAP_PRIVATE;
		c.source_id = id;
		ret = va_area_create(e.as, VMARENA_IOC_AREA_CLONE, &c);
		if (ret)
			break;
		va_area_info_ok(e.as, c.out_id, &info);
		EXPECT_EQ(info.out_cache_depth, depth + 1);
		depth = info.out_cache_depth;
		id = c.out_id;
	}
	EXPECT_TRUE(ret == -1 && errno == EMLINK);
	printf("# EMLINK after a chain of %u caches\n", depth);
	EXPECT_GE(depth, 2);
	/* a shared clone of the deepest does not deepen the chain */
	va_area_req(&c, "", VA_BASE + VA_PAGES(1000), 0, VA_RW);
	c.mapping = VMARENA_MAP_SHARED;
	c.source_id = id;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CLONE, &c));
	va_area_info_ok(e.as, c.out_id, &info);
	EXPECT_EQ(info.out_cache_depth, depth);
}

/* ---- capabilities ------------------------------------------------------ */

VT_TEST(abi_map_device_needs_cap_sys_rawio)
{
	struct vmarena_area_create c;
	struct va_env e;
	uint64_t phys;

	va_env_init(&e);
	phys = va_contiguous_run(e.as, 2);
	va_area_req(&c, "dev", AT, VA_PAGES(2), VA_RW);
	c.phys = phys;

	EXPECT_CHILD_OK(
		va_drop_cap(CAP_SYS_RAWIO);
		EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_MAP_DEVICE, &c), EPERM));
	EXPECT_CHILD_OK(
		va_become_nobody();
		EXPECT_ERRNO(va_area_create(e.as, VMARENA_IOC_AREA_MAP_DEVICE, &c), EPERM));
	/* the refused calls left nothing behind: the range is free */
	{
		struct vmarena_area_create n = c;

		n.phys = 0;
		ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_NULL, &n));
		ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, n.out_id, 0));
	}
	/* CAP_SYS_ADMIN is not what it takes */
	EXPECT_CHILD_OK(
		va_drop_cap(CAP_SYS_ADMIN);
		ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_MAP_DEVICE, &c)));
}

VT_TEST(abi_page_mapping_needs_cap_sys_admin)
{
	struct va_env e;
	uint64_t phys;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_WIRED);
	ASSERT_OK(va_page_mapping(e.as, VA_BASE, &phys));
	EXPECT_CHILD_OK(
		va_drop_cap(CAP_SYS_ADMIN);
		EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE, NULL), EPERM));
	EXPECT_CHILD_OK(
		va_become_nobody();
		EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE, NULL), EPERM));
	EXPECT_CHILD_OK(
		uint64_t p = 0;

		va_drop_cap(CAP_SYS_RAWIO);
		ASSERT_OK(va_page_mapping(e.as, VA_BASE, &p));
		EXPECT_EQ(p, phys));
}

/* ---- area operations --------------------------------------------------- */

VT_TEST(abi_area_ops_on_unknown_ids_are_enoent)
{
	const unsigned long cmds[] = { VMARENA_IOC_AREA_DELETE, VMARENA_IOC_AREA_RESIZE,
				       VMARENA_IOC_AREA_PROTECT, VMARENA_IOC_AREA_SYNC };
	const char *names[] = { "DELETE", "RESIZE", "PROTECT", "SYNC" };
	const uint64_t values[] = { 0, VA_PAGE, VMARENA_PROT_READ, 0 };
	struct vmarena_area_info info;
	uint32_t gone, ids[3];
	struct va_env e;
	size_t i, j;

	va_env_init(&e);
	gone = va_anon_ok(e.as, VA_BASE, VA_PAGE, VA_RW, 0);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, gone, 0));
	ids[0] = gone;
	ids[1] = 0x7ffffff0u;
	ids[2] = 0;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 3; j++) {
			char what[64];

			snprintf(what, sizeof(what), "%s of id %u", names[i], ids[j]);
			EXPECT_ERRNO_AT(what, va_area_op(e.as, cmds[i], ids[j], values[i]), ENOENT);
		}
	}
	for (j = 0; j < 3; j++)
		EXPECT_ERRNO_AT("INFO", va_area_info(e.as, ids[j], &info), ENOENT);
}

VT_TEST(abi_area_ops_on_another_aspaces_area_are_enoent)
{
	const unsigned long cmds[] = { VMARENA_IOC_AREA_DELETE, VMARENA_IOC_AREA_RESIZE,
				       VMARENA_IOC_AREA_PROTECT, VMARENA_IOC_AREA_SYNC };
	const char *names[] = { "DELETE", "RESIZE", "PROTECT", "SYNC" };
	const uint64_t values[] = { 0, VA_PAGE, VMARENA_PROT_READ, 0 };
	struct vmarena_area_info info;
	struct vmarena_area_find f;
	struct va_env e;
	uint32_t theirs;
	size_t i;
	int other;

	va_env_init(&e);
	other = va_aspace_ok(e.ctl, VA_BASE, VA_LEN, NULL);
	/* even a cloneable one: only CLONE may reach across */
	theirs = va_anon_named_ok(other, "theirs", VA_BASE, VA_PAGES(2), VA_RW,
				  VMARENA_AREA_CLONEABLE);
	for (i = 0; i < 4; i++)
		EXPECT_ERRNO_AT(names[i], va_area_op(e.as, cmds[i], theirs, values[i]), ENOENT);
	EXPECT_ERRNO(va_area_info(e.as, theirs, &info), ENOENT);
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	strcpy(f.name, "theirs");
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), ENOENT);

	/* and nothing happened to it */
	va_area_info_ok(other, theirs, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(2));
	EXPECT_EQ(info.out_protection, VA_RW);
}

VT_TEST(abi_area_op_values)
{
	struct vmarena_area_info info;
	struct vmarena_area_create c;
	struct va_env e;
	uint32_t id, ro;

	va_env_init(&e);
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, 0);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(8), VA_PAGE, VA_RW, 0);
	va_area_req(&c, "", VA_BASE + VA_LEN - VA_PAGES(2), VA_PAGES(2), VMARENA_PROT_READ);
	c.protection_max = VMARENA_PROT_READ;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	ro = c.out_id;

	/* DELETE and SYNC use no value */
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 1), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, VA_PAGE), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_SYNC, id, 1), EINVAL);
	/* RESIZE: page aligned, not zero, room to grow in place */
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, 0), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGE + 1), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, 100), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(9)), ENOMEM);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, ro, VA_PAGES(3)), ENOMEM);
	/* PROTECT: known bits, within protection_max */
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, 0x8), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, VA_RW | 0x100), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, 1ull << 32), EINVAL);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, ro, VA_RW), EACCES);
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, ro, VMARENA_PROT_EXEC), EACCES);

	/* none of it changed anything */
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(4));
	EXPECT_EQ(info.out_protection, VA_RW);
	va_area_info_ok(e.as, ro, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(2));
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);

	/* and the valid forms work */
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(8)));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_READ));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, ro, 0));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_length, VA_PAGES(8));
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 0));
	EXPECT_ERRNO(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, id, 0), ENOENT);
}

VT_TEST(abi_area_info_iterate_find_validation)
{
	struct vmarena_area_info info;
	struct vmarena_area_find f;
	struct va_env e;
	uint32_t id;

	va_env_init(&e);
	id = va_anon_named_ok(e.as, "found", VA_BASE, VA_PAGE, VA_RW, 0);

	/* INFO: cookie is ITERATE's */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.id = id;
	info.cookie = 1;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_INFO, &info), EINVAL);
	info.cookie = VA_BASE;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_INFO, &info), EINVAL);
	info.cookie = 0;
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_AREA_INFO, &info));
	EXPECT_EQ(info.out_base, VA_BASE);
	EXPECT_STREQ(info.out_name, "found");

	/* FIND */
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	strcpy(f.name, "found");
	f.reserved = 1;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), EINVAL);
	f.reserved = 0;
	memset(f.name, 'f', sizeof(f.name));
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), EINVAL);
	memset(f.name, 0, sizeof(f.name));
	strcpy(f.name, "lost");
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), ENOENT);
	strcpy(f.name, "foun");
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f), ENOENT);
	strcpy(f.name, "found");
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_AREA_FIND, &f));
	EXPECT_EQ(f.out_id, id);
	EXPECT_EQ(f.out_reserved, 0);
}

VT_TEST(abi_page_mapping_validation)
{
	struct vmarena_page_mapping pm;
	struct va_env e;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_WIRED);
	va_anon_ok(e.as, VA_BASE + VA_PAGES(4), VA_PAGES(2), VA_RW, 0);
	va_null_ok(e.as, VA_BASE + VA_PAGES(8), VA_PAGES(2), VA_RW);

	memset(&pm, 0, sizeof(pm));
	pm.size = sizeof(pm);
	pm.address = VA_BASE;
	pm.reserved = 1;
	EXPECT_ERRNO(ioctl(e.as, VMARENA_IOC_PAGE_MAPPING, &pm), EINVAL);
	pm.reserved = 0;
	ASSERT_OK(ioctl(e.as, VMARENA_IOC_PAGE_MAPPING, &pm));
	EXPECT_NE(pm.out_phys, 0);
	EXPECT_EQ(pm.out_phys & (VA_PAGE - 1), 0);

	/* nothing mapped: an untouched lazy page, a null area, a hole */
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGES(4), NULL), ENOENT);
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGES(8), NULL), ENOENT);
	EXPECT_ERRNO(va_page_mapping(e.as, VA_BASE + VA_PAGES(12), NULL), ENOENT);
}
