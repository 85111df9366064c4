// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints (module/vmarena/trace.h; README "Tracing"): each test
 * records vmarena's events in a tracefs instance of its own while it runs
 * a workload it knows, then checks every event's fields and the counts:
 * one zero-fill fault per page written, one copy-on-write fault per page
 * of a private clone written, area operations in order with their
 * results, super-locks, and page-outs and page-ins that match the
 * counters.
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt_arena.h"

#define T_INSTANCE	"vmarena_trace_test"
#define T_MAX_EVENTS	8192

/* One recorded event: its name and its fields as the trace prints them. */
struct t_event {
	char name[32];
	char fields[224];
};

static char t_dir[256];		/* the instance's directory */

static int t_write(const char *file, const char *text)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t_dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* tracefs, mounted where the kernel offers it, or mounted here. */
static const char *t_tracefs(void)
{
	if (!access("/sys/kernel/tracing/instances", F_OK))
		return "/sys/kernel/tracing";
	if (!access("/sys/kernel/debug/tracing/instances", F_OK))
		return "/sys/kernel/debug/tracing";
	if (!mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return "/sys/kernel/tracing";
	return NULL;
}

/* A fresh instance with @events (space-separated) enabled; filter @filter on each. */
static void t_start(const char *events, const char *filter)
{
	const char *root = t_tracefs();
	char list[256], file[512], *ev, *save;

	ASSERT_TRUE(root != NULL);
	snprintf(t_dir, sizeof(t_dir), "%s/instances/%s", root, T_INSTANCE);
	rmdir(t_dir);			/* a crashed run's */
	ASSERT_OK(mkdir(t_dir, 0700));
	/* The events exist: vmarena's tracepoints are built in. */
	snprintf(file, sizeof(file), "%s/events/vmarena", t_dir);
	ASSERT_OK(access(file, F_OK));
	ASSERT_OK(t_write("buffer_size_kb", "4096"));
	snprintf(list, sizeof(list), "%s", events);
	for (ev = strtok_r(list, " ", &save); ev; ev = strtok_r(NULL, " ", &save)) {
		if (filter) {
			snprintf(file, sizeof(file), "events/vmarena/%s/filter", ev);
			ASSERT_OK(t_write(file, filter));
		}
		snprintf(file, sizeof(file), "events/vmarena/%s/enable", ev);
		ASSERT_OK(t_write(file, "1"));
	}
}

/*
 * Stop recording and read what was recorded into @ev (at most @max, in
 * order); the instance goes.  Returns how many.
 */
static unsigned int t_stop(struct t_event *ev, unsigned int max)
{
	char path[512], line[512], *name, *colon;
	unsigned int n = 0;
	FILE *f;

	EXPECT_EQ(t_write("tracing_on", "0"), 0);
	snprintf(path, sizeof(path), "%s/trace", t_dir);
	f = fopen(path, "re");
	EXPECT_TRUE(f != NULL);
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		/* "task-pid [cpu] flags stamp: name: fields" */
		name = strstr(line, ": vmarena_");
		if (!name)
			continue;
		name += 2;
		colon = strchr(name, ':');
		if (!colon)
			continue;
		*colon = '\0';
		line[strcspn(line, "\n")] = '\0';
		if (n == max) {
			vt_fail(__FILE__, __LINE__, "more than %u events", max);
			break;
		}
		snprintf(ev[n].name, sizeof(ev[n].name), "%s", name);
		snprintf(ev[n].fields, sizeof(ev[n].fields), "%s", colon + 2);
		n++;
	}
	if (f)
		fclose(f);
	EXPECT_EQ(rmdir(t_dir), 0);
	return n;
}

/* Where field @key's value starts in @e, or NULL. */
static const char *t_field(const struct t_event *e, const char *key)
{
	size_t len = strlen(key);
	const char *p = e->fields;

	for (p = e->fields; (p = strstr(p, key)); p++)
		if ((p == e->fields || p[-1] == ' ') && p[len] == '=')
			return p + len + 1;
	return NULL;
}

/* Field @key of @e as a number (decimal, or 0x hex); -1 if absent. */
static long long t_num(const struct t_event *e, const char *key)
{
	const char *p = t_field(e, key);

	return p ? strtoll(p, NULL, 0) : -1;
}

/* Field @key of @e as a word ("zero", "lock"), or "". */
static const char *t_word(const struct t_event *e, const char *key)
{
	static char word[32];
	const char *p = t_field(e, key);

	word[0] = '\0';
	if (p)
		sscanf(p, "%31[^ ]", word);
	return word;
}

static unsigned int t_count(const struct t_event *ev, unsigned int n, const char *name)
{
	unsigned int i, c = 0;

	for (i = 0; i < n; i++)
		c += !strcmp(ev[i].name, name);
	return c;
}

static char *t_filter(char *buf, size_t len, uint32_t asid)
{
	snprintf(buf, len, "aspace == %u", asid);
	return buf;
}

static struct t_event t_ev[T_MAX_EVENTS];

/*
 * @ev holds exactly @pages zero-fill faults of area @id of aspace @asid,
 * one per page from VA_BASE up, each a write, with nothing ahead.
 */
static void t_expect_zero_fills(const struct t_event *ev, unsigned int n, uint32_t asid,
				uint32_t id, unsigned int pages)
{
	unsigned int i;

	EXPECT_EQ(n, pages);
	for (i = 0; i < n && i < pages; i++) {
		EXPECT_STREQ(ev[i].name, "vmarena_fault");
		EXPECT_EQ(t_num(&ev[i], "aspace"), (long long)asid);
		EXPECT_EQ(t_num(&ev[i], "area"), (long long)id);
		EXPECT_EQ(t_num(&ev[i], "address"), (long long)(VA_BASE + i * VA_PAGE));
		EXPECT_EQ(t_num(&ev[i], "access"), 2LL);
		EXPECT_STREQ(t_word(&ev[i], "outcome"), "zero");
		EXPECT_EQ(t_num(&ev[i], "ahead"), 0LL);
		EXPECT_EQ(t_num(&ev[i], "retries"), 0LL);
		EXPECT_EQ(t_num(&ev[i], "error"), 0LL);
	}
}

/*
 * With fault_ahead 0, each page written of a new area takes one fault, a
 * zero fill, traced with its address, in order; touching the pages again
 * takes none.  With fault-ahead on, each page is zero-filled exactly once:
 * by its own fault or by an earlier fault's fill ahead.
 */
VT_TEST(trace_zero_fill_is_one_event_per_page)
{
	struct vmarena_area_info info;
	char old[32], filter[64];
	unsigned long sum = 0;
	volatile unsigned char *w, *p;
	unsigned int n, i, zero = 0;
	struct va_env e;
	uint32_t id;

	va_env_init(&e);
	ASSERT_OK(va_param_read("fault_ahead", old, sizeof(old)));
	ASSERT_OK(va_param_write("fault_ahead", "0\n"));
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, VMARENA_WIRING_LAZY);
	t_start("vmarena_fault", t_filter(filter, sizeof(filter), e.asid));
	for (i = 0; i < 16; i++)
		w[i * VA_PAGE] = i + 1;
	for (i = 0; i < 16; i++)
		sum += w[i * VA_PAGE];
	n = t_stop(t_ev, T_MAX_EVENTS);
	EXPECT_EQ(va_param_write("fault_ahead", old), 0);
	EXPECT_EQ(sum, 136UL);
	t_expect_zero_fills(t_ev, n, e.asid, id, 16);

	/* Fault-ahead on: every page filled once, by fewer faults. */
	id = va_anon_ok(e.as, VA_BASE + VA_PAGES(32), VA_PAGES(32), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(e.as, id, &info);
	ASSERT_OK(va_param_write("fault_ahead", "16\n"));
	t_start("vmarena_fault", t_filter(filter, sizeof(filter), e.asid));
	p = w + (info.out_base - VA_BASE);
	for (i = 0; i < 32; i++)
		p[i * VA_PAGE] = i;
	n = t_stop(t_ev, T_MAX_EVENTS);
	EXPECT_EQ(va_param_write("fault_ahead", old), 0);
	for (i = 0; i < n; i++) {
		if (strcmp(t_word(&t_ev[i], "outcome"), "zero"))
			continue;
		EXPECT_EQ(t_num(&t_ev[i], "area"), (long long)id);
		zero += 1 + t_num(&t_ev[i], "ahead");
	}
	EXPECT_EQ(zero, 32U);
	EXPECT_LT(t_count(t_ev, n, "vmarena_fault"), 32U);
}

/* Writing each page of a private clone copies it up: one COW event each. */
VT_TEST(trace_copy_on_write_is_one_event_per_page)
{
	volatile unsigned char *w;
	unsigned int n, i, cow;
	char filter[64];
	struct va_env e;
	uint32_t src, priv;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	src = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, VMARENA_WIRING_LAZY);
	for (i = 0; i < 8; i++)
		w[i * VA_PAGE] = i + 1;
	priv = va_clone_ok(e.as, src, VA_BASE + VA_PAGES(16), VMARENA_MAP_PRIVATE, VA_RW);
	t_start("vmarena_fault", t_filter(filter, sizeof(filter), e.asid));
	for (i = 0; i < 8; i++)
		w[VA_PAGES(16) + i * VA_PAGE] = 0x80 + i;
	n = t_stop(t_ev, T_MAX_EVENTS);
	EXPECT_EQ(n, 8U);
	for (i = 0; i < n && i < 8; i++) {
		EXPECT_EQ(t_num(&t_ev[i], "area"), (long long)priv);
		EXPECT_EQ(t_num(&t_ev[i], "address"),
			  (long long)(VA_BASE + VA_PAGES(16) + i * VA_PAGE));
		EXPECT_STREQ(t_word(&t_ev[i], "outcome"), "cow");
		EXPECT_EQ(t_num(&t_ev[i], "error"), 0LL);
	}
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(w[i * VA_PAGE], i + 1);
		EXPECT_EQ(w[VA_PAGES(16) + i * VA_PAGE], 0x80 + i);
	}

	/*
	 * Read first, then written: the read maps the source's page (minor),
	 * the write copies it up, once, whatever the window retries.
	 */
	priv = va_clone_ok(e.as, src, VA_BASE + VA_PAGES(32), VMARENA_MAP_PRIVATE, VA_RW);
	t_start("vmarena_fault", t_filter(filter, sizeof(filter), e.asid));
	EXPECT_EQ(w[VA_PAGES(32)], 1);
	w[VA_PAGES(32)] = 0x55;
	n = t_stop(t_ev, T_MAX_EVENTS);
	EXPECT_EQ(w[VA_PAGES(32)], 0x55);
	EXPECT_EQ(w[0], 1);
	EXPECT_GE(n, 2U);
	for (i = 0, cow = 0; i < n; i++) {
		EXPECT_EQ(t_num(&t_ev[i], "area"), (long long)priv);
		cow += !strcmp(t_word(&t_ev[i], "outcome"), "cow");
	}
	if (n)
		EXPECT_STREQ(t_word(&t_ev[0], "outcome"), "minor");
	EXPECT_EQ(cow, 1U);
}

/*
 * perf, as the README's recipe uses it (Debian's linux-perf; the lanes
 * ship the host's in the guest): record this process's vmarena_fault
 * events while it writes a new area, then read them back with perf
 * script.  perf starts with its events off and is switched on and off
 * through its control fifos (--control, -D -1), so that exactly the
 * workload is recorded, with no sleep to guess when perf is ready.
 */
#define T_PERF		"/usr/bin/perf"
#define T_PERF_DIR	"/tmp/vt-perf"

/* Send @cmd to perf's control fifo and wait for its "ack". */
static void t_perf_ctl(int ctl, int ack, const char *cmd)
{
	char buf[16] = "";

	ASSERT_EQ(write(ctl, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	ASSERT_TRUE(read(ack, buf, sizeof(buf) - 1) > 0);
	ASSERT_TRUE(!strncmp(buf, "ack", 3));
}

/* perf script's lines "vmarena:NAME: fields" of @data into @ev. */
static unsigned int t_perf_script(const char *data, struct t_event *ev, unsigned int max)
{
	char cmd[256], line[512], *name, *colon;
	unsigned int n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), T_PERF " script -i %s -F trace:event,trace 2>&1", data);
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		name = strstr(line, "vmarena:");
		colon = name ? strchr(name + 8, ':') : NULL;
		if (!colon) {
			fprintf(stderr, "# perf script: %s\n", line);
			continue;
		}
		*colon = '\0';
		if (n == max)
			break;
		snprintf(ev[n].name, sizeof(ev[n].name), "%s", name + 8);
		snprintf(ev[n].fields, sizeof(ev[n].fields), "%s", colon + 1 + strspn(colon + 1, " "));
		n++;
	}
	EXPECT_EQ(pclose(f), 0);
	return n;
}

VT_TEST(trace_perf_records_one_fault_per_page)
{
	char old[32], filter[64], pid[16], ctl_path[64], ack_path[64], data[64];
	volatile unsigned char *w;
	unsigned int n, i;
	int ctl, ack, status;
	struct va_env e;
	pid_t perf;
	uint32_t id;

	if (access(T_PERF, X_OK))
		vt_skip("no " T_PERF " (Debian's linux-perf; tests/qemu/setup.sh installs it)");
	ASSERT_TRUE(t_tracefs() != NULL);	/* perf reads the events' formats there */
	va_env_init(&e);
	ASSERT_OK(va_param_read("fault_ahead", old, sizeof(old)));
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	id = va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, VMARENA_WIRING_LAZY);

	mkdir(T_PERF_DIR, 0700);
	snprintf(ctl_path, sizeof(ctl_path), T_PERF_DIR "/ctl");
	snprintf(ack_path, sizeof(ack_path), T_PERF_DIR "/ack");
	snprintf(data, sizeof(data), T_PERF_DIR "/perf.data");
	unlink(ctl_path);
	unlink(ack_path);
	unlink(data);
	ASSERT_OK(mkfifo(ctl_path, 0600));
	ASSERT_OK(mkfifo(ack_path, 0600));
	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(filter, sizeof(filter), "aspace == %u", e.asid);
	fflush(NULL);
	perf = fork();
	ASSERT_TRUE(perf >= 0);
	if (!perf) {
		char control[160];

		snprintf(control, sizeof(control), "fifo:%s,%s", ctl_path, ack_path);
		execl(T_PERF, "perf", "record", "-q", "-B", "-D", "-1", "--control", control,
		      "-e", "vmarena:vmarena_fault", "--filter", filter, "-p", pid, "-o", data,
		      (char *)NULL);
		_exit(127);
	}
	/* Both block until perf has opened its ends. */
	ctl = open(ctl_path, O_WRONLY | O_CLOEXEC);
	ack = open(ack_path, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(ctl >= 0 && ack >= 0);

	ASSERT_OK(va_param_write("fault_ahead", "0\n"));
	t_perf_ctl(ctl, ack, "enable\n");
	for (i = 0; i < 16; i++)
		w[i * VA_PAGE] = i + 1;
	for (i = 0; i < 16; i++)
		EXPECT_EQ(w[i * VA_PAGE], i + 1);
	t_perf_ctl(ctl, ack, "disable\n");
	EXPECT_EQ(va_param_write("fault_ahead", old), 0);
	close(ctl);
	close(ack);
	ASSERT_OK(kill(perf, SIGINT));
	ASSERT_EQ(waitpid(perf, &status, 0), perf);
	/* perf record writes its data, then dies of the signal it was sent. */
	EXPECT_TRUE((WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) ||
		    (WIFEXITED(status) && WEXITSTATUS(status) == 0));

	n = t_perf_script(data, t_ev, T_MAX_EVENTS);
	t_expect_zero_fills(t_ev, n, e.asid, id, 16);
	unlink(ctl_path);
	unlink(ack_path);
	unlink(data);
	rmdir(T_PERF_DIR);
}

/* One expected vmarena_area_op event. */
struct t_op {
	const char *op;
	uint32_t area, source;
	uint64_t size, value;
	int error;
};

/* Area operations appear in order, done and refused, with their fields. */
VT_TEST(trace_area_ops_appear_in_order)
{
	struct vmarena_area_create c;
	struct t_op want[10];
	unsigned int n, i, k = 0;
	char filter[64];
	struct va_env e;
	uint32_t a, b;
	int err;

	va_env_init(&e);
	t_start("vmarena_area_op", t_filter(filter, sizeof(filter), e.asid));
	a = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_LAZY);
	want[k++] = (struct t_op){ "create", a, 0, VA_PAGES(4), VA_RW, 0 };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, a, VA_PAGES(8)));
	want[k++] = (struct t_op){ "resize", a, 0, VA_PAGES(8), VA_PAGES(8), 0 };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, a, VMARENA_PROT_READ));
	want[k++] = (struct t_op){ "protect", a, 0, VA_PAGES(8), VMARENA_PROT_READ, 0 };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_LOCK, a, VMARENA_LOCK_LOCKED));
	want[k++] = (struct t_op){ "lock", a, 0, VA_PAGES(8), VMARENA_LOCK_LOCKED, 0 };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_LOCK, a, VMARENA_LOCK_UNLOCKED));
	want[k++] = (struct t_op){ "unlock", a, 0, VA_PAGES(8), VMARENA_LOCK_UNLOCKED, 0 };
	b = va_clone_ok(e.as, a, VA_BASE + VA_PAGES(16), VMARENA_MAP_SHARED, VMARENA_PROT_READ);
	want[k++] = (struct t_op){ "clone", b, a, VA_PAGES(8), VMARENA_PROT_READ, 0 };
	/* Refused: the range is taken. */
	va_area_req(&c, "taken", VA_BASE, VA_PAGES(2), VA_RW);
	ASSERT_EQ(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c), -1);
	err = errno;
	want[k++] = (struct t_op){ "create", 0, 0, 0, VA_RW, -err };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, b, 0));
	want[k++] = (struct t_op){ "delete", b, 0, VA_PAGES(8), 0, 0 };
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, a, 0));
	want[k++] = (struct t_op){ "delete", a, 0, VA_PAGES(8), 0, 0 };
	n = t_stop(t_ev, T_MAX_EVENTS);

	EXPECT_EQ(n, k);
	for (i = 0; i < n && i < k; i++) {
		EXPECT_STREQ(t_ev[i].name, "vmarena_area_op");
		EXPECT_STREQ(t_word(&t_ev[i], "op"), want[i].op);
		EXPECT_EQ(t_num(&t_ev[i], "aspace"), (long long)e.asid);
		EXPECT_EQ(t_num(&t_ev[i], "area"), (long long)want[i].area);
		EXPECT_EQ(t_num(&t_ev[i], "source"), (long long)want[i].source);
		EXPECT_EQ(t_num(&t_ev[i], "size"), (long long)want[i].size);
		EXPECT_EQ(t_num(&t_ev[i], "value"), (long long)want[i].value);
		EXPECT_EQ(t_num(&t_ev[i], "error"), (long long)want[i].error);
	}
}

/*
 * A super-lock wires every page of a lazy area by faulting it in with the
 * wire bit (0x100), each a zero fill, before the lock is traced; between
 * the lock and its release, touching every page takes no fault.
 */
VT_TEST(trace_superlock_wires_then_takes_no_fault)
{
	unsigned int n, i, lock = -1U, unlock = -1U, wires = 0, under = 0;
	volatile unsigned char *w;
	char filter[64];
	struct va_env e;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	va_anon_ok(e.as, VA_BASE, VA_PAGES(16), VA_RW, VMARENA_WIRING_LAZY);
	t_start("vmarena_superlock vmarena_fault", t_filter(filter, sizeof(filter), e.asid));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_SUPERLOCKED));
	for (i = 0; i < 16; i++)
		w[i * VA_PAGE] = i;
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, VMARENA_LOCK_UNLOCKED));
	n = t_stop(t_ev, T_MAX_EVENTS);
	for (i = 0; i < n; i++) {
		if (!strcmp(t_ev[i].name, "vmarena_superlock")) {
			if (strstr(t_ev[i].fields, " lock superlocked=1 error=0"))
				lock = i;
			else if (strstr(t_ev[i].fields, " unlock superlocked=0 error=0"))
				unlock = i;
			else
				vt_fail(__FILE__, __LINE__, "unexpected: %s", t_ev[i].fields);
		} else if (lock == -1U) {
			EXPECT_TRUE(t_num(&t_ev[i], "access") & 0x100);
			EXPECT_STREQ(t_word(&t_ev[i], "outcome"), "zero");
			wires++;
		} else if (unlock == -1U) {
			under++;
		}
	}
	EXPECT_NE(lock, -1U);
	EXPECT_NE(unlock, -1U);
	EXPECT_EQ(wires, 16U);
	EXPECT_EQ(under, 0U);
}

#define T_CAP		64
#define T_PAGES		256

/* The child of trace_pageout_and_pagein_match_the_counters. */
static void t_paging_work(void)
{
	struct vmarena_stats before, after;
	unsigned int n, i, j, outs = 0, ins = 0, runs = 0, fault_ins = 0;
	unsigned long freed = 0, page;
	volatile unsigned char *w;
	char filter[64];
	struct va_env e;

	va_env_init(&e);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(T_PAGES));
	va_anon_ok(e.as, VA_BASE, VA_PAGES(T_PAGES), VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(va_stats(e.ctl, &before));
	t_start("vmarena_pageout vmarena_pagein vmarena_pagedaemon_run", NULL);
	ASSERT_OK(t_write("events/vmarena/vmarena_fault/filter",
			  t_filter(filter, sizeof(filter), e.asid)));
	ASSERT_OK(t_write("events/vmarena/vmarena_fault/enable", "1"));
	for (page = 0; page < T_PAGES; page++)
		*(volatile uint64_t *)(w + page * VA_PAGE) = page + 1;
	for (page = 0; page < T_PAGES; page++)
		EXPECT_EQ(*(volatile uint64_t *)(w + page * VA_PAGE), page + 1);
	n = t_stop(t_ev, T_MAX_EVENTS);
	ASSERT_OK(va_stats(e.ctl, &after));

	for (i = 0; i < n; i++) {
		if (!strcmp(t_ev[i].name, "vmarena_pageout")) {
			outs++;
			EXPECT_STREQ(t_word(&t_ev[i], "store"), "swap");
			EXPECT_EQ(t_num(&t_ev[i], "written"), 1LL);
		} else if (!strcmp(t_ev[i].name, "vmarena_pagein")) {
			ins++;
			EXPECT_STREQ(t_word(&t_ev[i], "store"), "swap");
			/* Paged out before, from the same cache and offset. */
			for (j = i; j--;)
				if (!strcmp(t_ev[j].name, "vmarena_pageout") &&
				    t_num(&t_ev[j], "cache") == t_num(&t_ev[i], "cache") &&
				    t_num(&t_ev[j], "offset") == t_num(&t_ev[i], "offset"))
					break;
			EXPECT_TRUE(j != -1U);
		} else if (!strcmp(t_ev[i].name, "vmarena_pagedaemon_run")) {
			runs++;
			freed += t_num(&t_ev[i], "freed");
			EXPECT_EQ(t_num(&t_ev[i], "max"), (long long)T_CAP);
		} else if (!strcmp(t_word(&t_ev[i], "outcome"), "pagein")) {
			fault_ins++;
		}
	}
	printf("# %u page-outs, %u page-ins (%u faults), %u daemon runs freed %lu\n", outs, ins,
	       fault_ins, runs, freed);
	EXPECT_GT(ins, 0U);
	EXPECT_GE(outs, ins);
	EXPECT_GT(runs, 0U);
	EXPECT_GT(freed, 0UL);
	/*
	 * Only this thread's faults page in; the daemon may still page out
	 * after the recording stopped.
	 */
	EXPECT_EQ((unsigned long long)ins, after.out_pageins - before.out_pageins);
	EXPECT_LE((unsigned long long)outs, after.out_pageouts - before.out_pageouts);
	/* A page read in can be paged out again before its fault retries. */
	EXPECT_GT(fault_ins, 0U);
	EXPECT_LE(fault_ins, ins);
	exit(vt_failures ? 1 : 0);
}

/*
 * Under a lowered cap, writing and reading back four times the cap pages
 * out and in: each page-out and page-in is traced (as many as the
 * counters count), each page-in reads a page paged out before, and the
 * faults that paged in say so.
 */
VT_TEST(trace_pageout_and_pagein_match_the_counters)
{
	int status = va_under_cap(T_CAP, t_paging_work);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
