// SPDX-License-Identifier: GPL-2.0
/*
 * vt_arena: raw-ioctl helpers of the userspace tests (see vt_arena.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

#include "vt_arena.h"

/* ---- control fd and aspaces ---- */

int va_ctl_ok(void)
{
	int fd = open(VA_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_OK(fd);
	return fd;
}

void va_aspace_req(struct vmarena_aspace_create *c, const char *name, uint64_t base,
		   uint64_t len, uint32_t flags, uint32_t mode)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	c->base = base;
	c->length = len;
	if (name)
		strncpy(c->name, name, sizeof(c->name) - 1);
	c->mode = mode;
}

int va_aspace_create(int ctl, struct vmarena_aspace_create *c)
{
	int ret = ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, c);

	return ret < 0 ? -1 : (int)c->out_fd;
}

int va_aspace_ok(int ctl, uint64_t base, uint64_t len, uint32_t *id)
{
	struct vmarena_aspace_create c;
	int fd;

	va_aspace_req(&c, "", base, len, 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	if (id)
		*id = c.out_id;
	return fd;
}

int va_persistent_ok(int ctl, const char *name, uint32_t mode, uint32_t *id)
{
	struct vmarena_aspace_create c;
	int fd;

	va_aspace_req(&c, name, VA_BASE, VA_LEN, VMARENA_ASPACE_PERSISTENT, mode);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	va_remember_name(name);
	if (id)
		*id = c.out_id;
	return fd;
}

static void va_open_req(struct vmarena_aspace_open *o, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
	strncpy(o->name, name, sizeof(o->name) - 1);
}

int va_open_name(int ctl, const char *name)
{
	struct vmarena_aspace_open o;

	va_open_req(&o, name);
	if (ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &o) < 0)
		return -1;
	return (int)o.out_fd;
}

int va_unlink(int ctl, const char *name)
{
	struct vmarena_aspace_open o;

	va_open_req(&o, name);
	return ioctl(ctl, VMARENA_IOC_ASPACE_UNLINK, &o);
}

int va_aspace_info(int as, struct vmarena_aspace_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(as, VMARENA_IOC_ASPACE_INFO, info);
}

const char *va_uname(const char *prefix)
{
	static char names[4][VMARENA_NAME_MAX];
	static int next;
	char *n = names[next++ % 4];

	snprintf(n, VMARENA_NAME_MAX, "%s-%d", prefix, (int)getpid());
	return n;
}

void va_env_init(struct va_env *e)
{
	e->ctl = va_ctl_ok();
	e->base = VA_BASE;
	e->len = VA_LEN;
	e->as = va_aspace_ok(e->ctl, e->base, e->len, &e->asid);
}

/* ---- areas ---- */

void va_area_req(struct vmarena_area_create *c, const char *name, uint64_t address,
		 uint64_t len, uint32_t prot)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	if (name)
		strncpy(c->name, name, sizeof(c->name) - 1);
	c->addr_spec = address ? VMARENA_ADDR_EXACT : VMARENA_ADDR_ANY;
	c->address = address;
	c->length = len;
	c->protection = prot;
}

int va_area_create(int as, unsigned long cmd, struct vmarena_area_create *c)
{
	return ioctl(as, cmd, c) < 0 ? -1 : 0;
}

uint32_t va_anon_named_ok(int as, const char *name, uint64_t address, uint64_t len,
			  uint32_t prot, uint32_t flags)
{
	struct vmarena_area_create c;

	va_area_req(&c, name, address, len, prot);
	c.flags = flags;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	if (address)
		ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

uint32_t va_anon_ok(int as, uint64_t address, uint64_t len, uint32_t prot, uint32_t wiring)
{
	struct vmarena_area_create c;

	va_area_req(&c, "", address, len, prot);
	c.wiring = wiring;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	if (address)
		ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

uint32_t va_null_ok(int as, uint64_t address, uint64_t len, uint32_t prot)
{
	struct vmarena_area_create c;

	va_area_req(&c, "", address, len, prot);
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_NULL, &c));
	ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

uint32_t va_clone_ok(int as, uint32_t source, uint64_t address, uint32_t mapping,
		     uint32_t prot)
{
	struct vmarena_area_create c;

	va_area_req(&c, "", address, 0, prot);
	c.mapping = mapping;
	c.source_id = source;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CLONE, &c));
	ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

void va_file_req(struct vmarena_area_create *c, uint64_t address, uint64_t len, uint32_t prot,
		 int fd, uint64_t offset, uint32_t mapping)
{
	va_area_req(c, "file", address, len, prot);
	c->fd = (uint32_t)fd;
	c->file_offset = offset;
	c->mapping = mapping;
}

uint32_t va_file_ok(int as, uint64_t address, uint64_t len, uint32_t prot, int fd,
		    uint64_t offset, uint32_t mapping)
{
	struct vmarena_area_create c;

	va_file_req(&c, address, len, prot, fd, offset, mapping);
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_MAP_FILE, &c));
	if (address)
		ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

int va_area_op(int as, unsigned long cmd, uint32_t id, uint64_t value)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = id, .value = value };

	return ioctl(as, cmd, &op);
}

int va_area_info(int as, uint32_t id, struct vmarena_area_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->id = id;
	return ioctl(as, VMARENA_IOC_AREA_INFO, info);
}

void va_area_info_ok(int as, uint32_t id, struct vmarena_area_info *info)
{
	ASSERT_OK(va_area_info(as, id, info));
}

int va_page_mapping(int as, uint64_t address, uint64_t *phys)
{
	struct vmarena_page_mapping pm = { .size = sizeof(pm), .address = address };
	int ret = ioctl(as, VMARENA_IOC_PAGE_MAPPING, &pm);

	if (!ret && phys)
		*phys = pm.out_phys;
	return ret;
}

/* ---- counters ---- */

int va_stats(int ctl, struct vmarena_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(ctl, VMARENA_IOC_STATS, st);
}

static uint64_t va_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int va_wait_file_pending(int ctl, unsigned int ms, uint64_t *left)
{
	uint64_t deadline = va_now_ms() + ms;
	struct vmarena_stats st;

	for (;;) {
		if (va_stats(ctl, &st)) {
			*left = ~0ULL;
			return -1;
		}
		*left = st.out_file_pending;
		if (!st.out_file_pending)
			return 0;
		if (va_now_ms() >= deadline)
			return -1;
		usleep(1000);
	}
}

/* ---- windows ---- */

void *va_map(int as, uint64_t address, size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags, as, (off_t)address);
}

void *va_map_ok(int as, uint64_t address, size_t len)
{
	void *p = va_map(as, address, len, PROT_READ | PROT_WRITE, MAP_SHARED);

	VT_CHECK(p != MAP_FAILED, 1, "mmap(aspace fd, %#llx, %zu): %s",
		 (unsigned long long)address, len, strerror(errno));
	return p;
}

int va_present(const volatile void *p)
{
	uint64_t entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (uintptr_t)p / VA_PAGE * sizeof(entry);
	int ret = -1;

	if (fd >= 0 && pread(fd, &entry, sizeof(entry), off) == sizeof(entry))
		ret = !!(entry & (1ULL << 63));
	if (fd >= 0)
		close(fd);
	return ret;
}

bool va_wait_comm(pid_t pid, const char *comm)
{
	char path[64], now[32];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");

		now[0] = 0;
		if (f) {
			if (!fgets(now, sizeof(now), f))
				now[0] = 0;
			fclose(f);
		}
		now[strcspn(now, "\n")] = 0;
		if (!strcmp(now, comm))
			return true;
		usleep(10000);
	}
	return false;
}

uint64_t va_window_faults(int as)
{
	struct vmarena_aspace_info info;

	ASSERT_OK(va_aspace_info(as, &info));
	return info.out_window_faults;
}

long va_vmlck(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* ---- data ---- */

uint64_t va_word(uint64_t seed, size_t index)
{
	uint64_t x = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (index * 0xbf58476d1ce4e5b9ULL);

	return x ^ x >> 29;
}

void va_fill(void *p, size_t len, uint64_t seed)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = va_word(seed, i);
}

bool va_check(const void *p, size_t len, uint64_t seed)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		if (w[i] != va_word(seed, i)) {
			printf("# pattern %llu: word %zu (page %zu) is %#llx, expected %#llx\n",
			       (unsigned long long)seed, i, i * 8 / VA_PAGE,
			       (unsigned long long)w[i],
			       (unsigned long long)va_word(seed, i));
			return false;
		}
	}
	return true;
}

bool va_is_zero(const void *p, size_t len)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		if (w[i]) {
			printf("# word %zu (page %zu) is %#llx, expected 0\n", i,
			       i * 8 / VA_PAGE, (unsigned long long)w[i]);
			return false;
		}
	}
	return true;
}

/* ---- processes ---- */

pid_t va_fork(void)
{
	struct rlimit no_core = { 0, 0 };
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		vt_failures = 0;
		alarm(60);
		setrlimit(RLIMIT_CORE, &no_core);
	}
	return pid;
}

void va_child_exit(void)
{
	fflush(stdout);
	_exit(vt_failures ? 1 : 0);
}

int va_wait(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			vt_fail(__FILE__, __LINE__, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	return status;
}

const char *va_status_str(int status)
{
	static char buf[96];

	if (status == -1)
		snprintf(buf, sizeof(buf), "was lost");
	else if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "status %#x", status);
	return buf;
}

void va_become_nobody(void)
{
	ASSERT_OK(setgroups(0, NULL));
	ASSERT_OK(setresgid(VA_NOBODY, VA_NOBODY, VA_NOBODY));
	ASSERT_OK(setresuid(VA_NOBODY, VA_NOBODY, VA_NOBODY));
	ASSERT_EQ(geteuid(), VA_NOBODY);
}

void va_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	ASSERT_OK(syscall(SYS_capget, &hdr, data));
	data[cap / 32].effective &= ~(1U << (cap % 32));
	data[cap / 32].permitted &= ~(1U << (cap % 32));
	data[cap / 32].inheritable &= ~(1U << (cap % 32));
	ASSERT_OK(syscall(SYS_capset, &hdr, data));
	/* read back: the kernel must now see it gone */
	ASSERT_OK(syscall(SYS_capget, &hdr, data));
	ASSERT_EQ(data[cap / 32].effective & (1U << (cap % 32)), 0);
}

void va_close_fds_except(int keep)
{
	int fds[1024], n = 0, i;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");

	ASSERT_TRUE(dir);
	while ((d = readdir(dir)) && n < 1024) {
		int fd = atoi(d->d_name);

		if (d->d_name[0] != '.' && fd > 2 && fd != keep && fd != dirfd(dir))
			fds[n++] = fd;
	}
	closedir(dir);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* The path column of the /proc/self/maps line containing @addr, or "". */
const char *va_mapping_name(const void *addr)
{
	static char name[256];
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	ASSERT_TRUE(f);
	name[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		int path = 0;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &start, &end, &path) < 2 ||
		    (uintptr_t)addr < start || (uintptr_t)addr >= end)
			continue;
		if (path)
			snprintf(name, sizeof(name), "%s", line + path);
		name[strcspn(name, "\n")] = 0;
		break;
	}
	fclose(f);
	return name;
}

bool va_mapped_anywhere(const char *name)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;

	ASSERT_TRUE(f);
	ASSERT_TRUE(name[0]);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strlen(line) >= strlen(name) &&
		    !strcmp(line + strlen(line) - strlen(name), name))
			found = true;
	}
	fclose(f);
	return found;
}

/* ---- persistent names: unlinked when the test ends, even by an ASSERT ---- */

static struct {
	pid_t owner;
	char name[VMARENA_NAME_MAX];
} va_names[32];

static void va_unlink_leftovers(void)
{
	int ctl = -1;
	size_t i;

	for (i = 0; i < 32; i++) {
		if (!va_names[i].name[0] || va_names[i].owner != getpid())
			continue;
		if (ctl < 0)
			ctl = open(VA_PATH, O_RDWR | O_CLOEXEC);
		if (ctl >= 0)
			va_unlink(ctl, va_names[i].name);
	}
	if (ctl >= 0)
		close(ctl);
}

void va_remember_name(const char *name)
{
	static bool registered;
	size_t i;

	if (!registered) {
		atexit(va_unlink_leftovers);
		registered = true;
	}
	for (i = 0; i < 32; i++) {
		if (!va_names[i].name[0] || va_names[i].owner != getpid()) {
			va_names[i].owner = getpid();
			snprintf(va_names[i].name, sizeof(va_names[i].name), "%s", name);
			return;
		}
	}
}

void va_sync_init(struct va_sync *s)
{
	ASSERT_OK(pipe(s->to_child));
	ASSERT_OK(pipe(s->to_parent));
}

void va_sync_parent(struct va_sync *s)
{
	close(s->to_child[0]);
	close(s->to_parent[1]);
}

void va_sync_child(struct va_sync *s)
{
	close(s->to_child[1]);
	close(s->to_parent[0]);
}

bool va_sync_post(struct va_sync *s, bool from_parent)
{
	char c = 1;

	return write(from_parent ? s->to_child[1] : s->to_parent[1], &c, 1) == 1;
}

bool va_sync_wait(struct va_sync *s, bool in_parent)
{
	ssize_t r;
	char c;

	do
		r = read(in_parent ? s->to_parent[0] : s->to_child[0], &c, 1);
	while (r < 0 && errno == EINTR);
	return r == 1;
}

/* ---- module parameters ---- */

int va_param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/vmarena/parameters/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int va_param_write(const char *name, const char *text)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/vmarena/parameters/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int va_max_pages_read(unsigned long *val)
{
	char buf[32];

	if (va_param_read("max_pages", buf, sizeof(buf)))
		return -1;
	*val = strtoul(buf, NULL, 0);
	return 0;
}

int va_max_pages_write(unsigned long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu\n", val);
	return va_param_write("max_pages", buf);
}

int va_under_cap(unsigned long cap, void (*child)(void))
{
	unsigned long old, now;
	int status = -1;
	pid_t pid;

	ASSERT_OK(va_max_pages_read(&old));
	ASSERT_TRUE(old > cap);
	ASSERT_OK(va_max_pages_write(cap));
	fflush(NULL);
	pid = fork();
	if (!pid)
		child();
	EXPECT_EQ(pid > 0 ? waitpid(pid, &status, 0) : -1, pid);
	EXPECT_TRUE(va_max_pages_write(old) == 0);
	EXPECT_TRUE(va_max_pages_read(&now) == 0 && now == old);
	return status;
}
