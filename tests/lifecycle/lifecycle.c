// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-lifecycle MODULE.ko: load/unload cycles with and without live
 * objects (root, in the guest; TAP on stdout).
 *
 * vmarena must be loaded when it starts, and is loaded again when it ends.
 * - Unloading is refused (EBUSY/EWOULDBLOCK) while a control fd, an aspace
 *   fd, a window or a persistent aspace exists, and succeeds once the last
 *   one is gone.
 * - A process that exits with everything still created and mapped (wired,
 *   locked, cloned and file areas, windows, a forked child's windows)
 *   leaves nothing that keeps the module.
 * - A second process holding a window while the first deletes the area
 *   faults on it (SIGSEGV) and keeps seeing the aspace's other areas, even
 *   after the first closed its fd and unmapped its window.
 * - What a process wrote to a file through a window is in the file after
 *   it exits and vmarena is unloaded at once (tmpfs and ext4).
 * - Load/unload cycles, with module parameters, each using the arena.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>

#define PAGE	4096UL
#define DEV	"/dev/vmarena"
#define BASE	0x40000000UL
#define LEN	(16UL << 20)
#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static const char *ko;
static int tests, failed, cur_failed;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			printf("# %s:%d: ", __func__, __LINE__);		\
			printf(__VA_ARGS__);					\
			printf("\n");						\
			cur_failed = 1;						\
		}								\
	} while (0)

static int unload(void)
{
	return (int)syscall(SYS_delete_module, "vmarena", O_NONBLOCK);
}

static int load(const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	/* DKMS may have compressed it (MODULE_INIT_COMPRESSED_FILE). */
	r = (int)syscall(SYS_finit_module, fd, params,
			 strlen(ko) > 3 && !strcmp(ko + strlen(ko) - 3, ".ko") ? 0 : 4);
	close(fd);
	return r;
}

static bool loaded(void)
{
	return access("/sys/module/vmarena", F_OK) == 0;
}

/* Unloading must be refused now. */
static void expect_refused(const char *why)
{
	int r = unload();

	CHECK(r == -1 && (errno == EBUSY || errno == EWOULDBLOCK),
	      "unload with %s: %s", why, r ? strerror(errno) : "succeeded");
	if (!r)
		CHECK(!load(""), "reload: %s", strerror(errno));
}

/* Unloading must succeed now; the module is loaded again afterwards. */
static void expect_unload(const char *why, const char *params)
{
	int r = -1, i;

	/* Deferred work (fput from exit, uncharge workers) may take a moment. */
	for (i = 0; i < 50; i++) {
		r = unload();
		if (!r || (errno != EBUSY && errno != EWOULDBLOCK))
			break;
		usleep(20000);
	}
	CHECK(!r, "unload %s: %s", why, strerror(errno));
	if (!r && i)
		printf("# unload %s: refused %d times first\n", why, i);
	CHECK(!loaded(), "still loaded after unloading %s", why);
	CHECK(!load(params), "load (%s): %s", params, strerror(errno));
}

static int ctl_open(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0, "open %s: %s", DEV, strerror(errno));
	return fd;
}

static int aspace(int ctl, uint32_t flags, const char *name)
{
	struct vmarena_aspace_create c = { .size = sizeof(c), .base = BASE, .length = LEN,
					   .flags = flags, .mode = flags ? 0600 : 0 };

	if (name)
		snprintf(c.name, sizeof(c.name), "%s", name);
	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &c)) {
		CHECK(0, "aspace: %s", strerror(errno));
		return -1;
	}
	return (int)c.out_fd;
}

static uint32_t area(int as, uint64_t len, uint32_t wiring, uint32_t lock, uint64_t *addr)
{
	struct vmarena_area_create c = { .size = sizeof(c), .length = len, .protection = RW,
					 .wiring = wiring, .lock_level = lock };

	if (ioctl(as, VMARENA_IOC_AREA_CREATE_ANON, &c)) {
		CHECK(0, "area: %s", strerror(errno));
		return 0;
	}
	if (addr)
		*addr = c.out_address;
	return c.out_id;
}

static int area_op(int as, unsigned long cmd, uint32_t id, uint64_t value)
{
	struct vmarena_area_op o = { .size = sizeof(o), .id = id, .value = value };

	return ioctl(as, cmd, &o);
}

static char *window(int as)
{
	char *w = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, as, BASE);

	CHECK(w != MAP_FAILED, "window: %s", strerror(errno));
	return w == MAP_FAILED ? NULL : w;
}

/* ---- tests ------------------------------------------------------------------ */

static void unload_refused_with_control_fd(void)
{
	int ctl = ctl_open();

	expect_refused("a control fd open");
	close(ctl);
	expect_unload("after the control fd closed", "");
}

static void unload_refused_with_aspace_fd(void)
{
	int ctl = ctl_open(), as = aspace(ctl, 0, NULL);

	close(ctl);
	expect_refused("an aspace fd open");
	close(as);
	expect_unload("after the aspace fd closed", "");
}

static void unload_refused_with_window_only(void)
{
	int ctl = ctl_open(), as = aspace(ctl, 0, NULL);
	uint64_t addr;
	char *w;

	area(as, 4 * PAGE, 0, 0, &addr);
	w = window(as);
	close(as);
	close(ctl);
	if (w)
		w[addr - BASE] = 1;
	expect_refused("only a window left");
	if (w)
		CHECK(w[addr - BASE] == 1, "the window's data");
	munmap(w, LEN);
	expect_unload("after the last window went", "");
}

static void unload_refused_with_persistent_aspace(void)
{
	struct vmarena_aspace_open o = { .size = sizeof(o), .name = "lifecycle" };
	int ctl = ctl_open(), as = aspace(ctl, VMARENA_ASPACE_PERSISTENT, "lifecycle");

	close(as);
	close(ctl);
	expect_refused("a persistent aspace without fds");
	ctl = ctl_open();
	CHECK(!ioctl(ctl, VMARENA_IOC_ASPACE_UNLINK, &o), "unlink: %s", strerror(errno));
	close(ctl);
	expect_unload("after the unlink", "");
}

/* Everything made and mapped, then exit without cleaning up. */
static void exit_with_everything_mapped(void)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		int ctl = open(DEV, O_RDWR), as = aspace(ctl, 0, NULL), as2 = aspace(ctl, 0, NULL);
		int file = open("/tmp", O_TMPFILE | O_RDWR, 0600);
		struct vmarena_area_create c = { .size = sizeof(c), .protection = RW };
		uint32_t src = area(as, 8 * PAGE, 0, 0, NULL);
		char *w, *w2;

		area(as, 4 * PAGE, VMARENA_WIRING_WIRED, 0, NULL);
		area(as, 4 * PAGE, 0, VMARENA_LOCK_LOCKED, NULL);
		c.mapping = VMARENA_MAP_PRIVATE;
		c.source_id = src;
		c.flags = VMARENA_CLONE_SOURCE_FD;
		c.fd = (uint32_t)as;
		if (ioctl(as2, VMARENA_IOC_AREA_CLONE, &c))
			_exit(10);
		if (file < 0 || ftruncate(file, 8 * PAGE))
			_exit(11);
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.protection = RW;
		c.length = 8 * PAGE;
		c.mapping = VMARENA_MAP_SHARED;
		c.fd = (uint32_t)file;
		if (ioctl(as, VMARENA_IOC_AREA_MAP_FILE, &c))
			_exit(12);
		w = window(as);
		w2 = window(as2);
		if (!w || !w2)
			_exit(13);
		memset(w, 0x5a, 8 * PAGE);
		memset(w + (c.out_address - BASE), 0x33, 8 * PAGE);
		w2[0] = 1;
		if (!fork()) {		/* a grandchild with the same windows, exiting too */
			w[PAGE] = 2;
			_exit(0);
		}
		wait(NULL);
		_exit(cur_failed ? 1 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "the child: status %#x", st);
	expect_unload("after a process exited with everything mapped", "");
}

static void second_process_keeps_window(void)
{
	int ctl = ctl_open(), as = aspace(ctl, 0, NULL), p[2], st;
	uint64_t a1, a2;
	uint32_t id1;
	char *w, c;
	pid_t pid;

	id1 = area(as, 4 * PAGE, 0, 0, &a1);
	area(as, 4 * PAGE, 0, 0, &a2);
	w = window(as);
	if (!w || pipe(p))
		return;
	w[a1 - BASE] = 11;
	w[a2 - BASE] = 22;
	pid = fork();
	if (!pid) {
		close(as);
		close(ctl);
		/* Wait until the parent deleted the first area and let go of all. */
		if (read(p[0], &c, 1) != 1)
			_exit(3);
		if (w[a2 - BASE] != 22)
			_exit(4);
		w[a2 - BASE + PAGE] = 33;
		signal(SIGSEGV, SIG_DFL);
		(void)*(volatile char *)(w + (a1 - BASE));	/* deleted: SIGSEGV */
		_exit(5);
	}
	CHECK(!area_op(as, VMARENA_IOC_AREA_DELETE, id1, 0), "delete: %s", strerror(errno));
	munmap(w, LEN);
	close(as);
	close(ctl);
	expect_refused("another process's window");
	CHECK(write(p[1], "x", 1) == 1, "pipe");
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "the second process: status %#x (expected SIGSEGV on the deleted area)", st);
	close(p[0]);
	close(p[1]);
	expect_unload("after the second process went", "");
}

/*
 * Pages written through a file area whose process is gone are handed to
 * the file system by a worker; unloading waits for it.  On each file
 * system the lane has (tmpfs, and ext4 at $VMARENA_EXT4_DIR): a process
 * writes a file through a window and exits at once, vmarena is unloaded
 * at once, and the file must hold what was written, also read back from
 * the disk (fsync, drop_caches) on ext4.
 */
static void unload_file_writes_on(const char *dir, bool disk)
{
	static char buf[16 * PAGE];
	char path[256], got;
	size_t i;
	pid_t pid;
	int fd, st;

	snprintf(path, sizeof(path), "%s/vmarena-lifecycle-%d", dir, (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
	CHECK(fd >= 0, "%s: %s", path, strerror(errno));
	if (fd < 0)
		return;
	memset(buf, 0x11, sizeof(buf));
	CHECK(pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) && !fsync(fd),
	      "%s: the first bytes: %s", dir, strerror(errno));
	pid = fork();
	if (!pid) {
		int ctl = open(DEV, O_RDWR), as = aspace(ctl, 0, NULL);
		struct vmarena_area_create c = { .size = sizeof(c), .protection = RW,
						 .length = sizeof(buf),
						 .mapping = VMARENA_MAP_SHARED, .fd = (uint32_t)fd };
		char *w = window(as);

		if (!w || ioctl(as, VMARENA_IOC_AREA_MAP_FILE, &c))
			_exit(10);
		memset(w + (c.out_address - BASE), 0x77, sizeof(buf));
		_exit(0);	/* no SYNC, no delete: the exit ends it all */
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "%s: the writer: status %#x", dir, st);
	expect_unload("right after a process wrote a file", "");
	if (disk) {
		int dc = open("/proc/sys/vm/drop_caches", O_WRONLY);

		CHECK(!fsync(fd) && dc >= 0 && write(dc, "3", 1) == 1,
		      "%s: fsync and drop_caches: %s", dir, strerror(errno));
		if (dc >= 0)
			close(dc);
	}
	memset(buf, 0, sizeof(buf));
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf), "%s: pread: %s", dir,
	      strerror(errno));
	for (i = 0, got = 0x77; i < sizeof(buf) && got == 0x77; i++)
		got = buf[i];
	CHECK(got == 0x77, "%s: byte %zu of the file is %#x, not the 0x77 written",
	      dir, i - 1, (unsigned char)got);
	close(fd);
	unlink(path);
}

static void unload_hands_written_file_pages_over(void)
{
	const char *ext4 = getenv("VMARENA_EXT4_DIR");

	unload_file_writes_on("/tmp", false);
	CHECK(ext4, "VMARENA_EXT4_DIR is not set: every lane mounts an ext4 file system");
	if (ext4)
		unload_file_writes_on(ext4, true);
}

static void load_unload_cycles(void)
{
	static const char *const params[] = { "", "swap_pages=0", "max_pages=2048",
					      "swap_pages=128 max_pages=1024", "" };
	unsigned int i, j;

	for (i = 0; i < 10; i++) {
		int ctl = ctl_open(), as = aspace(ctl, 0, NULL);
		uint64_t addr;
		char *w;

		area(as, 64 * PAGE, i % 2 ? VMARENA_WIRING_WIRED : 0, 0, &addr);
		w = window(as);
		if (w) {
			for (j = 0; j < 64; j++)
				w[addr - BASE + j * PAGE] = (char)(i + j);
			for (j = 0; j < 64; j++)
				CHECK(w[addr - BASE + j * PAGE] == (char)(i + j), "cycle %u page %u",
				      i, j);
			munmap(w, LEN);
		}
		close(as);
		close(ctl);
		expect_unload("in a cycle", params[i % 5]);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} all[] = {
	{ "unload_refused_with_control_fd", unload_refused_with_control_fd },
	{ "unload_refused_with_aspace_fd", unload_refused_with_aspace_fd },
	{ "unload_refused_with_window_only", unload_refused_with_window_only },
	{ "unload_refused_with_persistent_aspace", unload_refused_with_persistent_aspace },
	{ "exit_with_everything_mapped", exit_with_everything_mapped },
	{ "second_process_keeps_window_of_deleted_area", second_process_keeps_window },
	{ "unload_hands_written_file_pages_over", unload_hands_written_file_pages_over },
	{ "load_unload_cycles", load_unload_cycles },
};

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: vmarena-lifecycle MODULE.ko\n");
		return 2;
	}
	ko = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%zu\n", sizeof(all) / sizeof(all[0]));
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		cur_failed = 0;
		if (!loaded() && load("")) {
			printf("# vmarena is not loaded and does not load: %s\n", strerror(errno));
			cur_failed = 1;
		} else {
			all[i].fn();
		}
		tests++;
		failed += cur_failed;
		printf("%s %u %s\n", cur_failed ? "not ok" : "ok", i + 1, all[i].name);
	}
	if (!loaded() && load(""))
		printf("# vmarena does not load at the end: %s\n", strerror(errno));
	return failed ? 1 : 0;
}
