// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-demo: what `make run` shows inside the guest.  Two processes
 * share an area through a persistent aspace, a private clone diverges from
 * its source, a file mapping is written back to its file, and a
 * super-locked aspace is written all over without a single fault, and an
 * area four times the pool's (lowered) cap is paged out and back intact.  Each step
 * prints what it did and what it saw; any surprise exits non-zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>

#define BASE	0x40000000UL
#define SIZE	(4UL << 20)
#define PAGE	4096UL
#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static void die(const char *what)
{
	fprintf(stderr, "vmarena-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int aspace(int ctl, const char *name, unsigned int flags)
{
	struct vmarena_aspace_create req = {
		.size = sizeof(req), .flags = flags, .base = BASE, .length = SIZE,
		.mode = flags ? 0600 : 0,
	};

	strncpy(req.name, name, sizeof(req.name) - 1);
	if (ioctl(ctl, VMARENA_IOC_ASPACE_CREATE, &req))
		die("create aspace");
	printf("  aspace %u \"%s\": %#lx..%#lx, fd %u\n", req.out_id, name, BASE, BASE + SIZE,
	       req.out_fd);
	return req.out_fd;
}

static unsigned int area(int as, unsigned long ioc, struct vmarena_area_create *req,
			 const char *what)
{
	req->size = sizeof(*req);
	if (ioctl(as, ioc, req))
		die(what);
	printf("  %s: area %u \"%s\" at %#llx\n", what, req->out_id, req->name,
	       (unsigned long long)req->out_address);
	return req->out_id;
}

static char *window(int as)
{
	char *w = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, as, BASE);

	if (w == MAP_FAILED)
		die("mmap window");
	return w - BASE;	/* index it with aspace addresses */
}

static int two_processes(int ctl)
{
	struct vmarena_area_create req = { .name = "shared", .length = PAGE, .protection = RW };
	struct vmarena_aspace_open open_req = { .size = sizeof(open_req), .name = "demo" };
	int as, status;
	char *w;
	pid_t pid;

	printf("\n== two processes share an area\n");
	as = aspace(ctl, "demo", VMARENA_ASPACE_PERSISTENT);
	area(as, VMARENA_IOC_AREA_CREATE_ANON, &req, "create");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* A process of its own: it finds the aspace by name. */
		int other;

		if (ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &open_req))
			die("open aspace by name");
		other = open_req.out_fd;
		w = window(other);
		sprintf(w + req.out_address, "hello from pid %d", getpid());
		printf("  child %d wrote: \"%s\"\n", getpid(), w + req.out_address);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	w = window(as);
	printf("  parent %d reads: \"%s\"\n", getpid(), w + req.out_address);
	if (strncmp(w + req.out_address, "hello from pid", 14))
		return 1;
	if (ioctl(ctl, VMARENA_IOC_ASPACE_UNLINK, &open_req))
		die("unlink aspace");
	return 0;
}

static int private_clone(int ctl)
{
	struct vmarena_area_create src = { .name = "source", .length = PAGE, .protection = RW };
	struct vmarena_area_create clone = {
		.name = "private clone", .protection = RW, .mapping = VMARENA_MAP_PRIVATE,
	};
	struct vmarena_area_info info = { .size = sizeof(info) };
	int as;
	char *w;

	printf("\n== a private clone diverges\n");
	as = aspace(ctl, "cow", 0);
	w = window(as);
	area(as, VMARENA_IOC_AREA_CREATE_ANON, &src, "create");
	strcpy(w + src.out_address, "original");
	clone.source_id = src.out_id;
	area(as, VMARENA_IOC_AREA_CLONE, &clone, "clone (private)");
	printf("  clone reads:  \"%s\"\n", w + clone.out_address);
	strcpy(w + clone.out_address, "changed in the clone");
	printf("  after the clone writes: clone \"%s\", source \"%s\"\n",
	       w + clone.out_address, w + src.out_address);
	info.id = clone.out_id;
	if (ioctl(as, VMARENA_IOC_AREA_INFO, &info))
		die("area info");
	printf("  clone: %llu page copied, chain of %u caches\n",
	       (unsigned long long)info.out_copies, info.out_cache_depth);
	return strcmp(w + src.out_address, "original") ||
	       strcmp(w + clone.out_address, "changed in the clone");
}

static int file_written_back(int ctl)
{
	struct vmarena_area_create req = {
		.name = "file", .length = PAGE, .protection = RW, .mapping = VMARENA_MAP_SHARED,
	};
	const char *path = "/tmp/vmarena-demo.txt";
	struct vmarena_area_op sync = { .size = sizeof(sync) };
	char text[64] = "the file says: before\n", back[64] = "";
	int as, fd;
	char *w;

	printf("\n== a file mapping is written back\n");
	as = aspace(ctl, "file", 0);
	w = window(as);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, text, sizeof(text), 0) != sizeof(text))
		die(path);
	req.fd = fd;
	area(as, VMARENA_IOC_AREA_MAP_FILE, &req, "map file");
	printf("  window reads: %s", w + req.out_address);
	memcpy(w + req.out_address + 15, "after!", 6);
	sync.id = req.out_id;
	if (ioctl(as, VMARENA_IOC_AREA_SYNC, &sync))
		die("sync");
	if (pread(fd, back, sizeof(back), 0) != sizeof(back))
		die("read back");
	printf("  after a write and a sync, the file reads: %s", back);
	close(fd);
	return strncmp(back, "the file says: after!", 21);
}

static unsigned long long aspace_faults(int as)
{
	struct vmarena_aspace_info info = { .size = sizeof(info) };

	if (ioctl(as, VMARENA_IOC_ASPACE_INFO, &info))
		die("aspace info");
	return info.out_faults;
}

static int superlocked(int ctl)
{
	struct vmarena_area_create req = { .name = "data", .length = 64 * PAGE, .protection = RW };
	struct vmarena_area_op lock = { .size = sizeof(lock), .value = VMARENA_LOCK_SUPERLOCKED };
	unsigned long long before;
	unsigned long i;
	int as;
	char *w;

	printf("\n== a super-locked aspace takes no faults\n");
	as = aspace(ctl, "superlocked", 0);
	w = window(as);
	area(as, VMARENA_IOC_AREA_CREATE_ANON, &req, "create");
	if (ioctl(as, VMARENA_IOC_ASPACE_SUPERLOCK, &lock))
		die("super-lock");
	printf("  super-locked: every page is resident, wired and mapped\n");
	before = aspace_faults(as);
	for (i = 0; i < 64; i++)
		w[req.out_address + i * PAGE] = i;
	printf("  wrote all 64 pages: %llu faults (%llu before the writes)\n",
	       aspace_faults(as) - before, before);
	return aspace_faults(as) != before;
}

#define MAX_PAGES	"/sys/module/vmarena/parameters/max_pages"

static unsigned long param(const char *path, unsigned long set)
{
	char buf[32] = "";
	unsigned long old;
	FILE *f = fopen(path, "r+");

	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	old = strtoul(buf, NULL, 0);
	if (set && (fseek(f, 0, SEEK_SET) || fprintf(f, "%lu\n", set) < 0 || fflush(f)))
		die(path);
	fclose(f);
	return old;
}

static void stats(int ctl, struct vmarena_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	if (ioctl(ctl, VMARENA_IOC_STATS, st))
		die("stats");
}

static int paged_out_and_back(int ctl)
{
	struct vmarena_area_create req = {
		.name = "big", .length = 1024 * PAGE, .protection = RW, .flags = VMARENA_AREA_OVERCOMMIT,
	};
	struct vmarena_stats before, after;
	unsigned long cap, i, bad = 0;
	int as;
	char *w;

	printf("\n== an unlocked area is paged out and back\n");
	as = aspace(ctl, "paging", 0);
	w = window(as);
	area(as, VMARENA_IOC_AREA_CREATE_ANON, &req, "create 4 MiB");
	cap = param(MAX_PAGES, 256);
	printf("  pool cap lowered from %lu to 256 pages (1 MiB)\n", cap);
	stats(ctl, &before);
	for (i = 0; i < 1024; i++)
		memset(w + req.out_address + i * PAGE, (int)(i * 7), PAGE);
	for (i = 0; i < 1024; i++)
		bad += w[req.out_address + i * PAGE + 100] != (char)(i * 7);
	stats(ctl, &after);
	param(MAX_PAGES, cap);
	printf("  wrote and read back 1024 pages: %lu wrong; %llu pages out, %llu back in\n",
	       bad, (unsigned long long)(after.out_pageouts - before.out_pageouts),
	       (unsigned long long)(after.out_pageins - before.out_pageins));
	return bad || after.out_pageouts == before.out_pageouts;
}

/*
 * vmarena-demo-app write ASPACE AREA PAGE...: write to the given pages of
 * an area of a persistent aspace through a window, so that vmarenactl has
 * resident pages and copy-on-write copies to show.
 */
static int write_pages(int ctl, int argc, char **argv)
{
	struct vmarena_aspace_open open_req = { .size = sizeof(open_req) };
	struct vmarena_area_find find = { .size = sizeof(find) };
	struct vmarena_area_info info = { .size = sizeof(info) };
	char *w;
	int i;

	if (argc < 3 || strlen(argv[0]) >= sizeof(open_req.name) ||
	    strlen(argv[1]) >= sizeof(find.name)) {
		fprintf(stderr, "usage: vmarena-demo-app write ASPACE AREA PAGE...\n");
		return 2;
	}
	strcpy(open_req.name, argv[0]);
	strcpy(find.name, argv[1]);
	if (ioctl(ctl, VMARENA_IOC_ASPACE_OPEN, &open_req))
		die("open aspace");
	if (ioctl(open_req.out_fd, VMARENA_IOC_AREA_FIND, &find))
		die("find area");
	info.id = find.out_id;
	if (ioctl(open_req.out_fd, VMARENA_IOC_AREA_INFO, &info))
		die("area info");
	/* A window over the area alone. */
	w = mmap(NULL, info.out_length, PROT_READ | PROT_WRITE, MAP_SHARED, open_req.out_fd,
		 info.out_base);
	if (w == MAP_FAILED)
		die("mmap window");
	for (i = 2; i < argc; i++) {
		unsigned long page = strtoul(argv[i], NULL, 0);

		if (page >= info.out_length / PAGE) {
			fprintf(stderr, "vmarena-demo-app: page %lu is outside the area\n", page);
			return 1;
		}
		w[page * PAGE] = (char)(i + 1);
	}
	printf("wrote %d page(s) of \"%s\"\n", argc - 2, argv[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct vmarena_version ver = { .size = sizeof(ver) };
	int ctl = open("/dev/vmarena", O_RDWR | O_CLOEXEC);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "write")) {
		if (ctl < 0)
			die("/dev/vmarena");
		return write_pages(ctl, argc - 2, argv + 2);
	}
	if (ctl < 0 || ioctl(ctl, VMARENA_IOC_VERSION, &ver))
		die("/dev/vmarena");
	printf("vmarena ABI %u, features %#llx\n", ver.out_abi_version,
	       (unsigned long long)ver.out_features);
	if (two_processes(ctl) || private_clone(ctl) || file_written_back(ctl) ||
	    superlocked(ctl) || paged_out_and_back(ctl)) {
		fprintf(stderr, "vmarena-demo: something did not behave\n");
		return 1;
	}
	printf("\nall of it behaved.\n");
	return 0;
}
