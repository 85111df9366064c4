// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl, run as a program (fork/exec of /bin/vmarenactl, or
 * $VMARENACTL) against a workload the tests build with libvmarena: an
 * aspace with known areas, a private clone written once (a COW chain of
 * two), touched pages and a locked area.  Every -j output is parsed
 * (json.c) and checked for values; text output is checked for the same
 * values; error paths are checked for their exit code and message.
 */
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vmarena/vmarena.h>

#include "json.h"
#include "vt.h"

#define PAGE		4096ULL
#define BASE		0x40000000ULL
#define RW		(VMARENA_PROT_READ | VMARENA_PROT_WRITE)
#define NOBODY		65534
#define OUT_MAX		(256 << 10)

struct ctl_out {
	int status;		/* exit code, or 128 + signal */
	char out[OUT_MAX];
	char err[OUT_MAX];
};

static const char *ctl_path(void)
{
	const char *p = getenv("VMARENACTL");

	return p ? p : "/bin/vmarenactl";
}

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n, got = 0;

	lseek(fd, 0, SEEK_SET);
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
}

/*
 * Run vmarenactl with @argv (NULL-terminated, without argv[0]) as @uid
 * (-1: as we are); capture stdout, stderr and the exit code.
 */
static void run_as(struct ctl_out *o, int uid, const char *const *argv)
{
	char *args[32];
	int out, err, i, st;
	pid_t pid;

	args[0] = (char *)"vmarenactl";
	for (i = 0; argv[i] && i < 30; i++)
		args[i + 1] = (char *)argv[i];
	args[i + 1] = NULL;
	out = memfd_create("ctl-out", 0);
	err = memfd_create("ctl-err", 0);
	ASSERT_TRUE(out >= 0 && err >= 0);
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		dup2(out, 1);
		dup2(err, 2);
		if (uid >= 0 && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
				 setresuid(uid, uid, uid)))
			_exit(121);
		execv(ctl_path(), args);
		_exit(120);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(out, o->out, sizeof(o->out));
	slurp(err, o->err, sizeof(o->err));
	close(out);
	close(err);
	if (o->status == 120)
		vt_skip("cannot exec vmarenactl");
}

#define RUN(o, ...) run_as(o, -1, (const char *const[]){ __VA_ARGS__, NULL })

/* Run, require exit 0, parse stdout as JSON (asserted valid). */
static struct json *run_json_as(struct ctl_out *o, int uid, const char *const *argv)
{
	struct json *j;
	char err[128];

	run_as(o, uid, argv);
	VT_CHECK(o->status == 0, 1, "%s ...: exit %d, stderr: %s", argv[0], o->status, o->err);
	j = json_parse(o->out, err, sizeof(err));
	VT_CHECK(j, 1, "%s ...: invalid JSON (%s): %s", argv[0], err, o->out);
	return j;
}

#define RUN_JSON(o, ...) run_json_as(o, -1, (const char *const[]){ __VA_ARGS__, NULL })

/* Require exit 0 and @text in stdout. */
#define EXPECT_OUT(o, text)						\
	VT_CHECK((o)->status == 0 && strstr((o)->out, text), 0,		\
		 "expected exit 0 and \"%s\" in stdout; exit %d, stdout: %s, stderr: %s", \
		 text, (o)->status, (o)->out, (o)->err)

/* Require exit @code and @text in stderr. */
#define EXPECT_FAIL(o, code, text)					\
	VT_CHECK((o)->status == (code) && strstr((o)->err, text), 0,	\
		 "expected exit %d and \"%s\" in stderr; exit %d, stderr: %s", \
		 code, text, (o)->status, (o)->err)

/* The member of JSON array @arr whose @key is the string @val. */
static const struct json *find_by(const struct json *arr, const char *key, const char *val)
{
	size_t i;

	for (i = 0; arr && i < arr->n; i++) {
		const char *s = json_str(arr->items[i], key);

		if (s && !strcmp(s, val))
			return arr->items[i];
	}
	return NULL;
}

static const struct json *find_id(const struct json *arr, uint64_t id)
{
	size_t i;

	for (i = 0; arr && i < arr->n; i++)
		if (json_uint(arr->items[i], "id", 0) == id)
			return arr->items[i];
	return NULL;
}

/*
 * The workload: persistent aspace @name (1 MiB at BASE) with
 *   "data"   4 pages rw, pages 0 and 2 written;
 *   "pinned" 2 pages rw, locked;
 *   "copy"   a private clone of data, its page 0 written (one COW copy).
 */
struct workload {
	char name[32];
	int ctl, as;
	uint32_t aspace_id, data, pinned, copy;
	uint64_t data_addr, pinned_addr, copy_addr;
};

static void workload_init(struct workload *w, const char *name)
{
	struct vmarena_area_params p = { .name = "data", .length = 4 * PAGE, .protection = RW };
	struct vmarena_aspace_info info;
	volatile char *win;
	int ret;

	snprintf(w->name, sizeof(w->name), "%s", name);
	w->ctl = vmarena_open();
	ASSERT_OK(w->ctl);
	vmarena_aspace_unlink(w->ctl, name);	/* a leftover of an earlier run */
	w->as = vmarena_aspace_create_persistent(w->ctl, name, BASE, 1 << 20, 0600);
	ASSERT_OK(w->as);
	ASSERT_OK(vmarena_aspace_info(w->as, &info));
	w->aspace_id = info.out_id;
	ret = vmarena_area_create_anon(w->as, &p, &w->data_addr);
	ASSERT_OK(ret);
	w->data = ret;
	p.name = "pinned";
	p.length = 2 * PAGE;
	p.lock_level = VMARENA_LOCK_LOCKED;
	ret = vmarena_area_create_anon(w->as, &p, &w->pinned_addr);
	ASSERT_OK(ret);
	w->pinned = ret;
	win = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, w->as, BASE);
	ASSERT_TRUE(win != MAP_FAILED);
	win[w->data_addr - BASE] = 1;
	win[w->data_addr - BASE + 2 * PAGE] = 2;
	p = (struct vmarena_area_params){ .name = "copy", .protection = RW };
	ret = vmarena_area_clone(w->as, &p, w->data, -1, VMARENA_MAP_PRIVATE, &w->copy_addr);
	ASSERT_OK(ret);
	w->copy = ret;
	win[w->copy_addr - BASE] = 3;
	ASSERT_EQ(win[w->copy_addr - BASE + 2 * PAGE], 2);
	munmap((void *)win, 1 << 20);
}

static void workload_uninit(struct workload *w)
{
	close(w->as);
	vmarena_aspace_unlink(w->ctl, w->name);
	close(w->ctl);
}

VT_TEST(json_parser_is_strict)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1] 2", "\"abc", "01", "1.",
		"-", "tru", "{1:2}", "[\"\\x\"]", "\"a\nb\"",
	};
	struct json *j;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_parse(bad[i], err, sizeof(err));
		VT_CHECK(!j, 0, "accepted invalid JSON '%s'", bad[i]);
		json_free(j);
	}
	j = json_parse(" {\"a\": [1, 18446744073709551615, -2.5e3, true, null, \"x\\u0041\"]}\n",
		       err, sizeof(err));
	ASSERT_TRUE(j);
	EXPECT_EQ(json_at(json_get(j, "a"), 1)->uint, 18446744073709551615ULL);
	EXPECT_TRUE(json_at(json_get(j, "a"), 1)->is_uint);
	EXPECT_TRUE(!json_at(json_get(j, "a"), 2)->is_uint);
	EXPECT_STREQ(json_at(json_get(j, "a"), 5)->string, "xA");
	json_free(j);
}

VT_TEST(ctl_usage_errors)
{
	static struct ctl_out o;

	RUN(&o, "help");
	EXPECT_OUT(&o, "Usage: vmarenactl");
	run_as(&o, -1, (const char *const[]){ NULL });
	EXPECT_FAIL(&o, 255, "Usage");
	RUN(&o, "frobnicate");
	EXPECT_FAIL(&o, 255, "unknown object \"frobnicate\"");
	RUN(&o, "a", "list");
	EXPECT_FAIL(&o, 255, "ambiguous");
	RUN(&o, "area", "frob");
	EXPECT_FAIL(&o, 255, "unknown area command \"frob\"");
	RUN(&o, "-x", "stats");
	EXPECT_EQ(o.status, 255);
	RUN(&o, "aspace", "create", "ctl-bad", "size", "12Q");
	EXPECT_FAIL(&o, 255, "invalid size \"12Q\"");
	RUN(&o, "aspace", "create", "ctl-bad", "size", "-4096");
	EXPECT_FAIL(&o, 255, "invalid size");
	RUN(&o, "aspace", "create", "ctl-bad", "size", "99999999999999999999");
	EXPECT_FAIL(&o, 255, "invalid size");
	RUN(&o, "aspace", "create", "ctl-bad", "size", "1M", "mode", "999");
	EXPECT_FAIL(&o, 255, "invalid mode");
	RUN(&o, "area", "protect", "ctl-bad", "1", "rwq");
	EXPECT_FAIL(&o, 255, "invalid protection");
	RUN(&o, "translate", "ctl-bad", "0xzz");
	EXPECT_FAIL(&o, 255, "invalid address");
	RUN(&o, "stats", "interval", "0");
	EXPECT_FAIL(&o, 255, "invalid interval");
	/* Refusals: errno text and what was asked, exit 1. */
	RUN(&o, "aspace", "show", "ctl-nosuch");
	EXPECT_FAIL(&o, 1, "aspace \"ctl-nosuch\": No such file or directory");
	RUN(&o, "area", "delete", "ctl-nosuch", "1");
	EXPECT_FAIL(&o, 1, "open aspace \"ctl-nosuch\": No such file or directory");
	RUN(&o, "aspace", "delete", "ctl-nosuch");
	EXPECT_FAIL(&o, 1, "delete aspace \"ctl-nosuch\": No such file or directory");
	/* -j: still nothing but valid JSON (or nothing) on stdout. */
	RUN(&o, "-j", "aspace", "show", "ctl-nosuch");
	EXPECT_EQ(o.status, 1);
	EXPECT_STREQ(o.out, "");
	/* help works at every level, abbreviated too. */
	RUN(&o, "as", "he");
	EXPECT_OUT(&o, "aspace create NAME");
	RUN(&o, "area", "help");
	EXPECT_OUT(&o, "area clone ASPACE SOURCE");
	RUN(&o, "c", "help");
	EXPECT_OUT(&o, "cache show ASPACE AREA");
	RUN(&o, "p", "help");
	EXPECT_OUT(&o, "page map ASPACE AREA");
	RUN(&o, "st", "help");
	EXPECT_OUT(&o, "stats");
	RUN(&o, "m", "help");
	EXPECT_OUT(&o, "monitor");
}

VT_TEST(ctl_version)
{
	static struct ctl_out o;
	struct vmarena_version v;
	struct json *j;
	int ctl = vmarena_open();

	ASSERT_OK(ctl);
	ASSERT_OK(vmarena_version(ctl, &v));
	close(ctl);
	j = RUN_JSON(&o, "-j", "version");
	EXPECT_EQ(json_uint(j, "abi", 0), v.out_abi_version);
	EXPECT_EQ(json_uint(j, "features", ~0ULL), v.out_features);
	json_free(j);
	RUN(&o, "ver");
	EXPECT_OUT(&o, "abi 1 features");
}

/*
 * Start `vmarenactl -j area lock @aspace @area`, which holds the lock until
 * it is stopped; read its JSON into @buf (it prints once locked).
 */
static pid_t ctl_start_lock(const char *aspace, const char *area, char *buf, size_t cap)
{
	size_t len = 0;
	int pipefd[2];
	ssize_t n;
	pid_t pid;

	ASSERT_OK(pipe(pipefd));
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		dup2(pipefd[1], 1);
		execl(ctl_path(), "vmarenactl", "-j", "area", "lock", aspace, area, (char *)NULL);
		_exit(120);
	}
	close(pipefd[1]);
	while (len < cap - 1 && !strchr(buf, '}')) {
		n = read(pipefd[0], buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
	}
	close(pipefd[0]);
	return pid;
}

/* aspace create/delete and the area commands, each checked with libvmarena. */
VT_TEST(ctl_changes_through_ioctls)
{
	static struct ctl_out o;
	struct vmarena_aspace_info ai;
	struct vmarena_area_info info;
	uint32_t id, cid;
	struct json *j;
	int ctl, as, st;
	char ids[16], cids[16];
	pid_t pid;

	ctl = vmarena_open();
	ASSERT_OK(ctl);
	vmarena_aspace_unlink(ctl, "ctl-change");
	RUN(&o, "aspace", "create", "ctl-change", "size", "1M", "base", "0x50000000",
	    "mode", "0640");
	EXPECT_OUT(&o, "\"ctl-change\" created");
	as = vmarena_aspace_open(ctl, "ctl-change");
	ASSERT_OK(as);
	ASSERT_OK(vmarena_aspace_info(as, &ai));
	EXPECT_EQ(ai.out_base, 0x50000000);
	EXPECT_EQ(ai.out_length, 1 << 20);
	EXPECT_TRUE(ai.out_flags & VMARENA_ASPACE_PERSISTENT);
	RUN(&o, "aspace", "create", "ctl-change", "size", "1M");
	EXPECT_FAIL(&o, 1, "create aspace \"ctl-change\": File exists");

	j = RUN_JSON(&o, "-j", "area", "create", "ctl-change", "buf", "size", "16K",
		     "prot", "rw", "at", "0x50010000", "cloneable");
	id = json_uint(j, "id", 0);
	EXPECT_EQ(json_uint(j, "base", 0), 0x50010000);
	json_free(j);
	ASSERT_OK(vmarena_area_info(as, id, &info));
	EXPECT_STREQ(info.out_name, "buf");
	EXPECT_EQ(info.out_base, 0x50010000);
	EXPECT_EQ(info.out_length, 16384);
	EXPECT_EQ(info.out_protection, RW);
	EXPECT_EQ(info.out_flags, VMARENA_AREA_CLONEABLE);
	RUN(&o, "area", "create", "ctl-change", "buf2", "size", "16K", "at", "0x50010000");
	EXPECT_FAIL(&o, 1, "create area \"buf2\" in aspace \"ctl-change\": File exists");
	/* The creation flags: lazy, and a contiguous run below 16 MiB. */
	j = RUN_JSON(&o, "-j", "area", "create", "ctl-change", "lz", "size", "8K", "lazy");
	ASSERT_OK(vmarena_area_info(as, json_uint(j, "id", 0), &info));
	EXPECT_EQ(info.out_flags, VMARENA_AREA_LAZY);
	json_free(j);
	j = RUN_JSON(&o, "-j", "area", "create", "ctl-change", "lo", "size", "8K", "contiguous",
		     "below16m");
	ASSERT_OK(vmarena_area_info(as, json_uint(j, "id", 0), &info));
	EXPECT_EQ(info.out_flags, VMARENA_AREA_PHYS_16M);
	EXPECT_EQ(info.out_wiring, VMARENA_WIRING_CONTIGUOUS);
	json_free(j);
	RUN(&o, "-d", "area", "show", "ctl-change", "lo");
	EXPECT_OUT(&o, "contiguous");
	EXPECT_OUT(&o, " below16m");
	RUN(&o, "area", "create", "ctl-change", "lo2", "size", "8K", "below4g");
	EXPECT_FAIL(&o, 1, "create area \"lo2\" in aspace \"ctl-change\": Invalid argument");

	snprintf(ids, sizeof(ids), "%u", id);
	RUN(&o, "area", "resize", "ctl-change", ids, "32K");
	EXPECT_EQ(o.status, 0);
	EXPECT_STREQ(o.out, "");	/* quiet, as ip is */
	ASSERT_OK(vmarena_area_info(as, id, &info));
	EXPECT_EQ(info.out_length, 32768);
	RUN(&o, "area", "protect", "ctl-change", "buf", "r");
	EXPECT_EQ(o.status, 0);
	ASSERT_OK(vmarena_area_info(as, id, &info));
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);
	/* A lock is its process's: `area lock` holds it until it is stopped. */
	memset(o.out, 0, sizeof(o.out));
	pid = ctl_start_lock("ctl-change", "buf", o.out, sizeof(o.out));
	j = json_parse(o.out, o.err, sizeof(o.err));
	ASSERT_TRUE(j);
	EXPECT_EQ(json_uint(j, "id", 0), id);
	EXPECT_STREQ(json_str(j, "action"), "locked");
	json_free(j);
	ASSERT_OK(vmarena_area_info(as, id, &info));
	EXPECT_EQ(info.out_lock_level, VMARENA_LOCK_LOCKED);
	ASSERT_OK(kill(pid, SIGTERM));
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_OK(vmarena_area_info(as, id, &info));
	EXPECT_EQ(info.out_lock_level, VMARENA_LOCK_UNLOCKED);
	/* Nobody else's lock can be released, nor outlive its command. */
	RUN(&o, "area", "unlock", "ctl-change", "buf");
	EXPECT_FAIL(&o, 255, "unknown area command");
	RUN(&o, "area", "create", "ctl-change", "buf3", "size", "4K", "locked");
	EXPECT_EQ(o.status, 255);

	j = RUN_JSON(&o, "-j", "area", "clone", "ctl-change", "buf", "name", "twin", "shared");
	cid = json_uint(j, "id", 0);
	json_free(j);
	ASSERT_OK(vmarena_area_info(as, cid, &info));
	EXPECT_STREQ(info.out_name, "twin");
	EXPECT_EQ(info.out_length, 32768);
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);	/* the source's */
	snprintf(cids, sizeof(cids), "%u", cid);
	RUN(&o, "area", "delete", "ctl-change", cids);
	EXPECT_EQ(o.status, 0);
	EXPECT_EQ(vmarena_area_info(as, cid, &info), -ENOENT);
	RUN(&o, "area", "delete", "ctl-change", cids);
	EXPECT_FAIL(&o, 1, "No such file or directory");
	RUN(&o, "area", "resize", "ctl-change", "buf", "5000");
	EXPECT_FAIL(&o, 1, "resize area \"buf\" in aspace \"ctl-change\": Invalid argument");

	/* Copies: of an area (a snapshot), and of the whole aspace, by name. */
	j = RUN_JSON(&o, "-j", "area", "copy", "ctl-change", "buf", "name", "snap");
	EXPECT_STREQ(json_str(j, "action"), "copied");
	cid = json_uint(j, "id", 0);
	json_free(j);
	ASSERT_OK(vmarena_area_info(as, cid, &info));
	EXPECT_STREQ(info.out_name, "snap");
	EXPECT_EQ(info.out_length, 32768);
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);	/* the source's */
	RUN(&o, "area", "copy", "ctl-change", "buf", "prot", "rw");
	EXPECT_EQ(o.status, 255);
	RUN(&o, "area", "copy", "ctl-change", "nosuch");
	EXPECT_EQ(o.status, 1);
	j = RUN_JSON(&o, "-j", "aspace", "copy", "ctl-change", "ctl-copy");
	EXPECT_STREQ(json_str(j, "action"), "copied");
	EXPECT_EQ(json_uint(j, "areas", 0), 4);	/* buf, lz, lo, snap */
	json_free(j);
	RUN(&o, "aspace", "copy", "ctl-change", "ctl-copy");
	EXPECT_FAIL(&o, 1, "File exists");
	RUN(&o, "aspace", "delete", "ctl-copy");
	EXPECT_EQ(o.status, 0);
	snprintf(cids, sizeof(cids), "%u", cid);
	RUN(&o, "area", "delete", "ctl-change", cids);
	EXPECT_EQ(o.status, 0);

	j = RUN_JSON(&o, "-j", "aspace", "delete", "ctl-change");
	EXPECT_STREQ(json_str(j, "action"), "deleted");
	json_free(j);
	EXPECT_EQ(vmarena_aspace_open(ctl, "ctl-change"), -ENOENT);
	close(as);
	close(ctl);
}

VT_TEST(ctl_lists_aspaces_and_areas)
{
	static struct ctl_out o;
	const struct json *a, *areas, *x;
	struct workload w;
	struct json *j;
	char line[128];

	workload_init(&w, "ctl-list");
	j = RUN_JSON(&o, "-j", "aspace", "list");
	ASSERT_TRUE(j->type == JSON_ARRAY);
	a = find_by(j, "name", "ctl-list");
	ASSERT_TRUE(a);
	EXPECT_EQ(json_uint(a, "id", 0), w.aspace_id);
	EXPECT_EQ(json_uint(a, "base", 0), BASE);
	EXPECT_EQ(json_uint(a, "length", 0), 1 << 20);
	EXPECT_EQ(json_uint(a, "areas", 0), 3);
	EXPECT_EQ(json_uint(a, "owner", 1), 0);
	json_free(j);

	RUN(&o, "aspace", "list");
	snprintf(line, sizeof(line), "aspace %u \"ctl-list\" %#llx-%#llx size 1M owner 0 areas 3",
		 w.aspace_id, BASE, BASE + (1 << 20));
	EXPECT_OUT(&o, line);

	/* -d nests the areas; -s adds counters. */
	j = RUN_JSON(&o, "-j", "-d", "-s", "aspace", "show", "ctl-list");
	EXPECT_EQ(json_uint(j, "id", 0), w.aspace_id);
	EXPECT_GE(json_uint(j, "faults", 0), 3);
	areas = json_get(j, "area_list");
	ASSERT_TRUE(areas && areas->n == 3);

	x = find_id(areas, w.data);
	ASSERT_TRUE(x);
	EXPECT_STREQ(json_str(x, "name"), "data");
	EXPECT_EQ(json_uint(x, "base", 0), w.data_addr);
	EXPECT_EQ(json_uint(x, "length", 0), 4 * PAGE);
	EXPECT_STREQ(json_str(x, "protection"), "rw-");
	EXPECT_STREQ(json_str(x, "lock"), "unlocked");
	EXPECT_STREQ(json_str(x, "wiring"), "lazy");
	EXPECT_EQ(json_uint(x, "resident", 0), 2);
	EXPECT_EQ(json_uint(x, "aspace", 0), w.aspace_id);

	x = find_id(areas, w.pinned);
	ASSERT_TRUE(x);
	EXPECT_STREQ(json_str(x, "name"), "pinned");
	EXPECT_STREQ(json_str(x, "lock"), "locked");

	x = find_id(areas, w.copy);
	ASSERT_TRUE(x);
	EXPECT_STREQ(json_str(x, "name"), "copy");
	EXPECT_EQ(json_uint(x, "copies", 0), 1);
	EXPECT_EQ(json_uint(x, "cache_depth", 0), 2);
	json_free(j);

	/* The same values in text, from the same printing path. */
	RUN(&o, "-s", "area", "list", "ctl-list");
	snprintf(line, sizeof(line), "area %u \"data\" aspace %u %#llx-%#llx size 16K rw- unlocked resident 2",
		 w.data, w.aspace_id, (unsigned long long)w.data_addr,
		 (unsigned long long)w.data_addr + 4 * PAGE);
	EXPECT_OUT(&o, line);
	snprintf(line, sizeof(line), "area %u \"pinned\"", w.pinned);
	EXPECT_OUT(&o, line);
	EXPECT_OUT(&o, "size 8K rw- locked");
	RUN(&o, "-d", "area", "show", "ctl-list", "copy");
	EXPECT_OUT(&o, "depth 2");
	/* By id too. */
	snprintf(line, sizeof(line), "%u", w.aspace_id);
	j = RUN_JSON(&o, "-j", "area", "list", line);
	EXPECT_EQ(j->n, 3);
	json_free(j);
	workload_uninit(&w);
}

VT_TEST(ctl_draws_cow_chain)
{
	static struct ctl_out o;
	const struct json *chain, *top, *bottom;
	struct workload w;
	struct json *j;

	workload_init(&w, "ctl-cow");
	j = RUN_JSON(&o, "-j", "-d", "cache", "show", "ctl-cow", "copy");
	EXPECT_EQ(json_uint(j, "area", 0), w.copy);
	chain = json_get(j, "chain");
	ASSERT_TRUE(chain && chain->n == 2);
	top = json_at(chain, 0);
	bottom = json_at(chain, 1);
	EXPECT_EQ(json_uint(top, "depth", 9), 0);
	EXPECT_EQ(json_uint(bottom, "depth", 9), 1);
	EXPECT_EQ(json_uint(top, "source", 0), json_uint(bottom, "id", 1));
	EXPECT_TRUE(!json_get(bottom, "source"));
	EXPECT_STREQ(json_str(top, "store"), "anon");
	EXPECT_EQ(json_bool(top, "temporary"), 1);
	EXPECT_EQ(json_uint(top, "resident", 0), 1);	/* the one copy */
	EXPECT_EQ(json_uint(bottom, "resident", 0), 2);	/* data's pages 0 and 2 */
	json_free(j);

	RUN(&o, "cache", "show", "ctl-cow", "copy");
	EXPECT_OUT(&o, "\n  `- cache");
	EXPECT_OUT(&o, "\n     `- cache");
	/* The source's own chain: one cache, the one the copy sits on. */
	j = RUN_JSON(&o, "-j", "cache", "show", "ctl-cow", "data");
	chain = json_get(j, "chain");
	ASSERT_TRUE(chain);
	EXPECT_GE(chain->n, 1);
	json_free(j);
	workload_uninit(&w);
}

VT_TEST(ctl_page_map)
{
	static struct ctl_out o;
	struct workload w;
	const char *map;
	struct json *j;
	char line[128];

	workload_init(&w, "ctl-pages");
	j = RUN_JSON(&o, "-j", "page", "map", "ctl-pages", "data");
	EXPECT_EQ(json_uint(j, "pages", 0), 4);
	EXPECT_EQ(json_uint(j, "mapped", 0), 2);
	map = json_str(j, "map_string");
	ASSERT_TRUE(map && strlen(map) == 4);
	EXPECT_TRUE(map[0] != '.' && map[1] == '.' && map[2] != '.' && map[3] == '.');
	EXPECT_TRUE(map[0] >= 'A' && map[0] <= 'Z');	/* data's own cache */
	EXPECT_EQ(json_get(j, "map")->n, 2);
	EXPECT_EQ(json_uint(json_at(json_get(j, "map"), 0), "offset", 9), 0);
	EXPECT_EQ(json_uint(json_at(json_get(j, "map"), 1), "offset", 9), 2);
	json_free(j);

	/* The copy: page 0 its own copy (upper case). */
	j = RUN_JSON(&o, "-j", "page", "map", "ctl-pages", "copy");
	map = json_str(j, "map_string");
	ASSERT_TRUE(map && strlen(map) == 4);
	EXPECT_TRUE(map[0] >= 'A' && map[0] <= 'Z');
	EXPECT_EQ(map[1], '.');
	json_free(j);

	RUN(&o, "page", "map", "ctl-pages", "data");
	snprintf(line, sizeof(line), "  %#llx  ", (unsigned long long)w.data_addr);
	EXPECT_OUT(&o, line);
	EXPECT_OUT(&o, "pages 4 mapped 2");
	workload_uninit(&w);
}

VT_TEST(ctl_translate)
{
	static struct ctl_out o;
	static const char *const names[] = { "PML4", "PDPT", "PD", "PT" };
	const struct json *levels, *bits;
	struct workload w;
	struct json *j;
	char addr[32];
	size_t i, k;

	workload_init(&w, "ctl-xlate");
	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)w.data_addr + 2 * PAGE);
	j = RUN_JSON(&o, "-j", "translate", "ctl-xlate", addr);
	EXPECT_EQ(json_uint(j, "address", 0), w.data_addr + 2 * PAGE);
	EXPECT_EQ(json_bool(j, "mapped"), 1);
	EXPECT_STREQ(json_str(j, "prot") ? json_str(j, "prot") : "", "rw-");
	levels = json_get(j, "levels");
	ASSERT_TRUE(levels && levels->n == 4);
	for (i = 0; i < 4; i++) {
		const struct json *l = json_at(levels, i);
		bool present = false;

		EXPECT_STREQ(json_str(l, "level"), names[i]);
		EXPECT_EQ(json_uint(l, "index", 999),
			  ((w.data_addr + 2 * PAGE) >> (39 - 9 * i)) & 511);
		bits = json_get(l, "bits");
		for (k = 0; bits && k < bits->n; k++)
			present |= !strcmp(json_at(bits, k)->string, "P");
		EXPECT_TRUE(present);
		EXPECT_TRUE(json_uint(l, "entry", 0) & 1);
	}
	json_free(j);

	/* A page of "data" never touched: no final entry. */
	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)w.data_addr + 3 * PAGE);
	j = RUN_JSON(&o, "-j", "page", "translate", "ctl-xlate", addr);
	EXPECT_EQ(json_bool(j, "mapped"), 0);
	json_free(j);

	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)w.data_addr);
	RUN(&o, "translate", "ctl-xlate", addr);
	EXPECT_OUT(&o, "  PML4 [");
	EXPECT_OUT(&o, "  PT   [");
	EXPECT_OUT(&o, " P RW");
	workload_uninit(&w);
}

VT_TEST(ctl_stats)
{
	static struct ctl_out o;
	struct vmarena_stats before;
	const struct json *pages;
	struct json *j;
	int ctl = vmarena_open();

	ASSERT_OK(ctl);
	ASSERT_OK(vmarena_stats(ctl, &before));
	close(ctl);
	j = RUN_JSON(&o, "-j", "stats");
	EXPECT_GE(json_uint(j, "faults", 0), before.out_faults);
	EXPECT_GE(json_uint(j, "faults", 0), json_uint(j, "faults_zero", ~0ULL));
	EXPECT_EQ(json_uint(j, "pages_max", 0), before.out_pages_max);
	EXPECT_EQ(json_uint(j, "commit_limit", 0), before.out_commit_limit);
	EXPECT_EQ(json_uint(j, "swap_total", 0), before.out_swap_total);
	pages = json_get(j, "pages");
	ASSERT_TRUE(pages && pages->n == VMARENA_PAGE_STATES);
	EXPECT_TRUE(json_get(pages, "wired") && json_get(pages, "modified"));
	EXPECT_TRUE(!json_get(j, "faults_rate"));
	json_free(j);

	j = RUN_JSON(&o, "-j", "-s", "stats", "interval", "1");
	EXPECT_TRUE(json_get(j, "faults_rate") && json_get(j, "pageouts_rate"));
	EXPECT_TRUE(!json_get(j, "pages_total_rate"));	/* a level, not an event */
	ASSERT_TRUE(json_get(j, "interval"));
	EXPECT_TRUE(json_get(j, "interval")->number >= 0.9);
	json_free(j);

	RUN(&o, "stats");
	EXPECT_OUT(&o, "faults:\n    faults ");
	EXPECT_OUT(&o, "pages:\n    free ");
	RUN(&o, "-s", "stats");
	EXPECT_OUT(&o, "/s");
}

/* Read what the child wrote so far into @buf (appending). */
static void drain(int fd, char *buf, size_t *len, size_t cap, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (poll(&pfd, 1, timeout_ms) > 0) {
		n = read(fd, buf + *len, cap - 1 - *len);
		if (n <= 0)
			break;
		*len += n;
		buf[*len] = 0;
		timeout_ms = 0;
	}
}

/* `vmarenactl -j monitor` as @uid, its output on pipefd[0]: its pid. */
static pid_t monitor_start(int pipefd[2], int uid)
{
	pid_t pid;

	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		dup2(pipefd[1], 1);
		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(121);
		execl(ctl_path(), "vmarenactl", "-j", "monitor", (char *)NULL);
		_exit(120);
	}
	close(pipefd[1]);
	return pid;
}

/* Read @fd (5 s at most) until the output shows the deletion of aspace @quoted. */
static void monitor_wait_del(int fd, char *buf, size_t *len, const char *quoted)
{
	const char *mine;
	int tries;

	for (tries = 0; tries < 50; tries++) {
		drain(fd, buf, len, OUT_MAX, 100);
		mine = strstr(buf, quoted);
		if (mine && strstr(mine, "\"aspace_del\""))
			return;
	}
}

/* Stop the monitor @pid as a user would, and read the rest of its output. */
static void monitor_stop(pid_t pid, int fd, char *buf, size_t *len)
{
	int st;

	kill(pid, SIGTERM);
	drain(fd, buf, len, OUT_MAX, 1000);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(fd);
}

VT_TEST(ctl_monitor_sees_events_in_order)
{
	static const char *const expect[] = {
		"aspace_new", "area_new", "area_resize", "area_protect", "area_lock",
		"area_lock", "area_del", "aspace_del",
	};
	static char buf[OUT_MAX];
	struct vmarena_area_params p = { .name = "m", .length = PAGE, .protection = RW };
	const struct json *ev;
	size_t len = 0, i, k, start;
	int pipefd[2], ctl, as, id, tries;
	struct vmarena_aspace_info info;
	char err[128];
	struct json *j;
	pid_t pid;

	ctl = vmarena_open();
	ASSERT_OK(ctl);
	pid = monitor_start(pipefd, 0);
	/*
	 * Wait until the monitor listens: create and drop a marker aspace
	 * until its event shows up.
	 */
	for (tries = 0; tries < 300 && !strstr(buf, "ctl-mon-sync"); tries++) {
		as = vmarena_aspace_create(ctl, "ctl-mon-sync", BASE, 1 << 20);
		ASSERT_OK(as);
		close(as);
		drain(pipefd[0], buf, &len, sizeof(buf), 100);
	}
	ASSERT_TRUE(strstr(buf, "ctl-mon-sync"));
	drain(pipefd[0], buf, &len, sizeof(buf), 200);

	/* The scripted sequence. */
	as = vmarena_aspace_create(ctl, "ctl-mon", BASE, 1 << 20);
	ASSERT_OK(as);
	ASSERT_OK(vmarena_aspace_info(as, &info));
	id = vmarena_area_create_anon(as, &p, NULL);
	ASSERT_OK(id);
	ASSERT_OK(vmarena_area_resize(as, id, 2 * PAGE));
	ASSERT_OK(vmarena_area_protect(as, id, VMARENA_PROT_READ));
	ASSERT_OK(vmarena_area_lock(as, id, VMARENA_LOCK_LOCKED));
	ASSERT_OK(vmarena_area_lock(as, id, VMARENA_LOCK_UNLOCKED));
	ASSERT_OK(vmarena_area_delete(as, id));
	close(as);

	/* Let the last events arrive, then stop it the way a user would. */
	monitor_wait_del(pipefd[0], buf, &len, "\"ctl-mon\"");
	monitor_stop(pid, pipefd[0], buf, &len);
	close(ctl);

	j = json_parse(buf, err, sizeof(err));
	VT_CHECK(j, 1, "monitor output is not JSON (%s): %s", err, buf);
	ASSERT_TRUE(j->type == JSON_ARRAY);
	/* From our aspace's creation on, its events, in order. */
	for (start = 0; start < j->n; start++) {
		ev = json_at(j, start);
		if (!strcmp(json_str(ev, "event"), "aspace_new") &&
		    json_uint(ev, "id", 0) == info.out_id)
			break;
	}
	ASSERT_TRUE(start < j->n);
	EXPECT_STREQ(json_str(json_at(j, start), "name"), "ctl-mon");
	for (i = start, k = 0; i < j->n && k < 8; i++) {
		bool area;

		ev = json_at(j, i);
		area = !strncmp(json_str(ev, "event"), "area", 4);
		if (json_uint(ev, area ? "aspace" : "id", 0) != info.out_id)
			continue;
		VT_CHECK(!strcmp(json_str(ev, "event"), expect[k]), 0,
			 "event %zu: %s, expected %s", k, json_str(ev, "event"), expect[k]);
		if (k == 2)
			EXPECT_EQ(json_uint(ev, "length", 0), 2 * PAGE);
		if (k == 3)
			EXPECT_STREQ(json_str(ev, "protection"), "r--");
		if (k == 4)
			EXPECT_STREQ(json_str(ev, "lock"), "locked");
		if (k == 5)
			EXPECT_STREQ(json_str(ev, "lock"), "unlocked");
		k++;
	}
	EXPECT_EQ(k, 8);
	json_free(j);
}

VT_TEST(ctl_unprivileged_sees_only_its_own)
{
	static struct ctl_out o;
	struct vmarena_area_params p = { .name = "x", .length = PAGE, .protection = RW };
	struct vmarena_aspace_info info;
	uint32_t root_id;
	struct json *j;
	int ctl, as, st;
	size_t i;
	pid_t pid;

	ctl = vmarena_open();
	ASSERT_OK(ctl);
	vmarena_aspace_unlink(ctl, "ctl-root");
	vmarena_aspace_unlink(ctl, "ctl-nobody");
	as = vmarena_aspace_create_persistent(ctl, "ctl-root", BASE, 1 << 20, 0666);
	ASSERT_OK(as);
	ASSERT_OK(vmarena_area_create_anon(as, &p, NULL));
	ASSERT_OK(vmarena_aspace_info(as, &info));
	root_id = info.out_id;
	close(as);
	/* nobody's own aspace, made through our control fd as nobody. */
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(vmarena_aspace_create_persistent(ctl, "ctl-nobody", BASE, 1 << 20,
						       0600) < 0);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	j = run_json_as(&o, NOBODY, (const char *const[]){ "-j", "aspace", "list", NULL });
	EXPECT_TRUE(find_by(j, "name", "ctl-nobody"));
	EXPECT_TRUE(!find_by(j, "name", "ctl-root"));
	EXPECT_EQ(json_uint(find_by(j, "name", "ctl-nobody"), "owner", 0), NOBODY);
	json_free(j);
	j = run_json_as(&o, NOBODY, (const char *const[]){ "-j", "area", "list", NULL });
	for (i = 0; i < j->n; i++)	/* root's areas are hidden */
		EXPECT_NE(json_uint(json_at(j, i), "aspace", 0), root_id);
	json_free(j);
	run_as(&o, NOBODY, (const char *const[]){ "area", "list", "ctl-root", NULL });
	EXPECT_FAIL(&o, 1, "aspace \"ctl-root\": No such file or directory");

	j = RUN_JSON(&o, "-j", "aspace", "list");
	EXPECT_TRUE(find_by(j, "name", "ctl-nobody"));
	EXPECT_TRUE(find_by(j, "name", "ctl-root"));
	json_free(j);
	EXPECT_EQ(vmarena_aspace_unlink(ctl, "ctl-root"), 0);
	EXPECT_EQ(vmarena_aspace_unlink(ctl, "ctl-nobody"), 0);
	close(ctl);
}

/*
 * As nobody (a child process, through @ctl): a new aspace @name; with
 * @ops, an area in it that is resized and deleted; then the aspace goes
 * (it is not persistent).  Returns the aspace's id.
 */
static uint32_t umon_nobody(int ctl, const char *name, bool ops)
{
	struct vmarena_area_params p = { .name = "u", .length = PAGE, .protection = RW };
	struct vmarena_aspace_info info;
	uint32_t id = 0;
	int fds[2], as, area, st;
	pid_t pid;

	ASSERT_OK(pipe(fds));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		as = vmarena_aspace_create(ctl, name, BASE, 1 << 20);
		if (as < 0 || vmarena_aspace_info(as, &info))
			_exit(3);
		if (ops) {
			area = vmarena_area_create_anon(as, &p, NULL);
			if (area < 0 || vmarena_area_resize(as, area, 2 * PAGE) ||
			    vmarena_area_delete(as, area))
				_exit(4);
		}
		if (write(fds[1], &info.out_id, sizeof(info.out_id)) != sizeof(info.out_id))
			_exit(5);
		close(as);
		_exit(0);
	}
	close(fds[1]);
	EXPECT_EQ(read(fds[0], &id, sizeof(id)), (ssize_t)sizeof(id));
	close(fds[0]);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return id;
}

/* Root's aspace @name with an area that is resized and deleted: its id. */
static uint32_t umon_root(int ctl, const char *name)
{
	struct vmarena_area_params p = { .name = "r", .length = PAGE, .protection = RW };
	struct vmarena_aspace_info info;
	int as, area;

	as = vmarena_aspace_create(ctl, name, BASE, 1 << 20);
	ASSERT_OK(as);
	ASSERT_OK(vmarena_aspace_info(as, &info));
	area = vmarena_area_create_anon(as, &p, NULL);
	ASSERT_OK(area);
	ASSERT_OK(vmarena_area_resize(as, area, 2 * PAGE));
	ASSERT_OK(vmarena_area_delete(as, area));
	close(as);
	return info.out_id;
}

/*
 * vmarenactl monitor as nobody: the events of nobody's aspaces and their
 * areas, in order, and none of root's, made before, between and after.
 */
VT_TEST(ctl_unprivileged_monitor_sees_only_its_own)
{
	static const char *const expect[] = {
		"aspace_new", "area_new", "area_resize", "area_del", "aspace_del",
	};
	static char buf[OUT_MAX];
	uint32_t root1, root2, own, id;
	size_t len = 0, i, k = 0;
	int pipefd[2], ctl, tries;
	const struct json *ev;
	const char *name;
	char err[128];
	struct json *j;
	pid_t pid;

	ctl = vmarena_open();
	ASSERT_OK(ctl);
	pid = monitor_start(pipefd, NOBODY);
	for (tries = 0; tries < 300 && !strstr(buf, "ctl-umon-sync"); tries++) {
		umon_nobody(ctl, "ctl-umon-sync", false);
		drain(pipefd[0], buf, &len, sizeof(buf), 100);
	}
	ASSERT_TRUE(strstr(buf, "ctl-umon-sync"));

	root1 = umon_root(ctl, "ctl-umon-root1");
	own = umon_nobody(ctl, "ctl-umon-own", true);
	root2 = umon_root(ctl, "ctl-umon-root2");
	/* The last of nobody's events, then a little longer for any of root's. */
	monitor_wait_del(pipefd[0], buf, &len, "\"ctl-umon-own\"");
	drain(pipefd[0], buf, &len, OUT_MAX, 300);
	monitor_stop(pid, pipefd[0], buf, &len);
	close(ctl);

	j = json_parse(buf, err, sizeof(err));
	VT_CHECK(j, 1, "monitor output is not JSON (%s): %s", err, buf);
	ASSERT_TRUE(j->type == JSON_ARRAY);
	for (i = 0; i < j->n; i++) {
		ev = json_at(j, i);
		name = json_str(ev, "event");
		/* Aspace and area events only: no arena-wide ones. */
		ASSERT_TRUE(!strncmp(name, "aspace_", 7) || !strncmp(name, "area_", 5));
		id = json_uint(ev, name[1] == 's' ? "id" : "aspace", 0);
		VT_CHECK(id != root1 && id != root2, 0, "event %zu (%s) is of root's aspace %u",
			 i, name, id);
		if (id != own)
			continue;
		VT_CHECK(k < 5 && !strcmp(name, expect[k]), 0, "event %zu: %s, expected %s", k,
			 name, k < 5 ? expect[k] : "none");
		k++;
	}
	EXPECT_EQ(k, 5UL);
	json_free(j);
}

/* -p changes the layout only: the same values as without it. */
VT_TEST(ctl_pretty_json_same_values)
{
	static struct ctl_out o;
	struct json *plain, *pretty;
	const struct json *a, *b;
	struct workload w;

	workload_init(&w, "ctl-pretty");
	plain = RUN_JSON(&o, "-j", "-s", "-d", "area", "list", "ctl-pretty");
	pretty = RUN_JSON(&o, "-j", "-p", "-s", "-d", "area", "list", "ctl-pretty");
	EXPECT_TRUE(strchr(o.out, '\n') < o.out + strlen(o.out) - 1);	/* several lines */
	ASSERT_EQ(plain->n, 3);
	ASSERT_EQ(pretty->n, 3);
	a = find_id(plain, w.copy);
	b = find_id(pretty, w.copy);
	ASSERT_TRUE(a && b);
	EXPECT_EQ(a->n, b->n);
	EXPECT_STREQ(json_str(a, "name"), json_str(b, "name"));
	EXPECT_EQ(json_uint(a, "copies", 0), json_uint(b, "copies", 1));
	EXPECT_EQ(json_uint(a, "cache", 0), json_uint(b, "cache", 1));
	json_free(plain);
	json_free(pretty);

	/* page map -d: one text line per mapped page, as in JSON. */
	RUN(&o, "-d", "page", "map", "ctl-pretty", "data");
	EXPECT_OUT(&o, "    page 0 ");
	EXPECT_OUT(&o, "    page 2 ");
	EXPECT_TRUE(!strstr(o.out, "    page 1 "));
	workload_uninit(&w);
}
