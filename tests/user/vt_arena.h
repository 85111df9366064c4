/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vt_arena: small helpers over the raw /dev/vmarena ioctls for the
 * userspace tests.  They use the uapi header only, not libvmarena, so that
 * the tests check the ABI itself.
 *
 * Helpers named va_*_ok() assert success (and end the test otherwise);
 * the others return what the ioctl returned, with errno set.
 *
 * Every check of "this access raises SIGSEGV/SIGBUS" runs the access in a
 * forked child: EXPECT_SIGNAL(SIGSEGV, statement...).  EXPECT_CHILD_OK()
 * runs statements in a child that must exit cleanly (its own EXPECT_*
 * failures are reported and fail it).
 */
#ifndef VMARENA_VT_ARENA_H
#define VMARENA_VT_ARENA_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>
#include "vt.h"

#define VA_PATH		"/dev/" VMARENA_DEVICE_NAME
#define VA_PAGE		4096UL
#define VA_PAGES(n)	((uint64_t)(n) * VA_PAGE)

/* The aspace most tests use: 256 MiB at 1 GiB. */
#define VA_BASE		0x40000000ULL
#define VA_LEN		0x10000000ULL
#define VA_LIMIT	(1ULL << 47)	/* base + length of an aspace at most */

#define VA_RW		(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

/* The user nobody: what tests drop to when they need an unprivileged caller. */
#define VA_NOBODY	65534

/* A control fd and one unnamed aspace. */
struct va_env {
	int ctl;		/* control fd */
	int as;			/* aspace fd */
	uint32_t asid;
	uint64_t base, len;
};

/* ---- control fd and aspaces ---- */

int va_ctl_ok(void);
void va_aspace_req(struct vmarena_aspace_create *c, const char *name, uint64_t base,
		   uint64_t len, uint32_t flags, uint32_t mode);
/* VMARENA_IOC_ASPACE_CREATE: the new fd, or -1 with errno. */
int va_aspace_create(int ctl, struct vmarena_aspace_create *c);
/* An unnamed aspace [base, base + len): its fd (asserted). */
int va_aspace_ok(int ctl, uint64_t base, uint64_t len, uint32_t *id);
/* A persistent aspace at VA_BASE: its fd (asserted). */
int va_persistent_ok(int ctl, const char *name, uint32_t mode, uint32_t *id);
/* VMARENA_IOC_ASPACE_OPEN / _UNLINK by name: fd / 0, or -1 with errno. */
int va_open_name(int ctl, const char *name);
int va_unlink(int ctl, const char *name);
int va_aspace_info(int as, struct vmarena_aspace_info *info);
/* A name unique to this process: "@prefix-pid". */
const char *va_uname(const char *prefix);

/* Open the control fd and one aspace at VA_BASE, VA_LEN (asserted). */
void va_env_init(struct va_env *e);

/* ---- areas ---- */

/* An area request at @address (EXACT; ANY when @address is 0). */
void va_area_req(struct vmarena_area_create *c, const char *name, uint64_t address,
		 uint64_t len, uint32_t prot);
/* Any area-creating ioctl: 0 or -1 with errno. */
int va_area_create(int as, unsigned long cmd, struct vmarena_area_create *c);
/* An anonymous area at @address (EXACT), @wiring; its id (asserted). */
uint32_t va_anon_ok(int as, uint64_t address, uint64_t len, uint32_t prot, uint32_t wiring);
/* Same, with a name and flags. */
uint32_t va_anon_named_ok(int as, const char *name, uint64_t address, uint64_t len,
			  uint32_t prot, uint32_t flags);
uint32_t va_null_ok(int as, uint64_t address, uint64_t len, uint32_t prot);
/* A clone of @source at @address: VMARENA_MAP_SHARED or _PRIVATE. */
uint32_t va_clone_ok(int as, uint32_t source, uint64_t address, uint32_t mapping,
		     uint32_t prot);

/*
 * A MAP_FILE request: @len bytes of @fd from @offset at @address (EXACT;
 * ANY when 0), @mapping VMARENA_MAP_SHARED or _PRIVATE.
 */
void va_file_req(struct vmarena_area_create *c, uint64_t address, uint64_t len, uint32_t prot,
		 int fd, uint64_t offset, uint32_t mapping);
/* A file area at @address (EXACT); its id (asserted). */
uint32_t va_file_ok(int as, uint64_t address, uint64_t len, uint32_t prot, int fd,
		    uint64_t offset, uint32_t mapping);

/* DELETE, RESIZE, PROTECT, SYNC: 0 or -1 with errno. */
int va_area_op(int as, unsigned long cmd, uint32_t id, uint64_t value);
int va_area_info(int as, uint32_t id, struct vmarena_area_info *info);
void va_area_info_ok(int as, uint32_t id, struct vmarena_area_info *info);
/* VMARENA_IOC_PAGE_MAPPING: 0 or -1 with errno. */
int va_page_mapping(int as, uint64_t address, uint64_t *phys);

/* ---- counters ---- */

/* VMARENA_IOC_STATS with this header's struct: 0 or -1 with errno. */
int va_stats(int ctl, struct vmarena_stats *st);
/*
 * Poll until out_file_pending is 0 (the worker has handed every written
 * page of gone file areas to its file system), for at most @ms: 0, or -1
 * with the last value seen in *@left (a failed STATS: -1, *@left ~0).
 */
int va_wait_file_pending(int ctl, unsigned int ms, uint64_t *left);

/* ---- windows ---- */

/* mmap(NULL, len, prot, flags, as, address): MAP_FAILED with errno. */
void *va_map(int as, uint64_t address, size_t len, int prot, int flags);
/* A MAP_SHARED read-write window (asserted). */
void *va_map_ok(int as, uint64_t address, size_t len);
/* Is the page at @p present in this process's page table (-1: unknown)? */
int va_present(const volatile void *p);
/*
 * The faults the windows of @as raised, in any process (ASPACE_INFO
 * out_window_faults: fault, page_mkwrite, pfn_mkwrite).  No-fault promises
 * are checked with it.  Not with out_faults, which also counts the soft
 * faults of wiring and copying that other threads' ioctls take, nor with
 * a thread's minor faults (getrusage), which count the harness too: text
 * that faults in lazily after fork(), copy-on-write stack pages, pages
 * Linux migrated.
 */
uint64_t va_window_faults(int as);
/* VmLck of this process, in kB, or -1. */
long va_vmlck(void);

/* ---- data ---- */

/* Fill @len bytes with a pattern that depends on @seed and the offset. */
void va_fill(void *p, size_t len, uint64_t seed);
/* Does @p hold va_fill(@seed)?  Reports the first mismatch. */
bool va_check(const void *p, size_t len, uint64_t seed);
bool va_is_zero(const void *p, size_t len);
uint64_t va_word(uint64_t seed, size_t index);

static inline uint8_t va_peek(const void *p)
{
	return *(const volatile uint8_t *)p;
}

static inline void va_poke(void *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}

/* ---- processes ---- */

/* fork() for a test child: stdout flushed, alarm set, no core dumps. */
pid_t va_fork(void);
/* End a test child: exit status 1 if it recorded failures. */
void va_child_exit(void) __attribute__((noreturn));
/* waitpid() through EINTR: the wait status. */
int va_wait(pid_t pid);
/* Describe a wait status ("exited 1", "killed by signal 11 (...)"). */
const char *va_status_str(int status);
/* Wait (up to 5 s) until process @pid runs a program called @comm: true if it does. */
bool va_wait_comm(pid_t pid, const char *comm);
/* Drop to uid/gid nobody: every capability goes with root. */
void va_become_nobody(void);
/* Drop one capability from the effective and permitted sets. */
void va_drop_cap(int cap);
/* Close every fd from 3 up, except @keep (-1: none). */
void va_close_fds_except(int keep);
/* The path /proc/self/maps shows for the mapping containing @addr ("" if none). */
const char *va_mapping_name(const void *addr);
/* Does /proc/self/maps show any mapping whose path is @name? */
bool va_mapped_anywhere(const char *name);
/*
 * Unlink persistent aspace @name when this process exits (exit(), as an
 * ASSERT does), so that a failed test leaves no name behind to keep the
 * module loaded.  va_persistent_ok() does it.
 */
void va_remember_name(const char *name);

/* A pipe-based barrier between parent and child. */
struct va_sync {
	int to_child[2], to_parent[2];
};
void va_sync_init(struct va_sync *s);
/* In the parent: after fork, once. */
void va_sync_parent(struct va_sync *s);
/* In the child: after fork, once. */
void va_sync_child(struct va_sync *s);
/* Send one byte / wait for one byte; false if the peer went away. */
bool va_sync_post(struct va_sync *s, bool from_parent);
bool va_sync_wait(struct va_sync *s, bool in_parent);

#define VA_IN_CHILD(status_, ...)					\
	do {								\
		pid_t va_pid_ = va_fork();				\
		if (!va_pid_) {						\
			__VA_ARGS__;					\
			va_child_exit();				\
		}							\
		(status_) = va_wait(va_pid_);				\
	} while (0)

/* The statements, run in a child, must kill it with @sig. */
#define EXPECT_SIGNAL(sig_, ...)					\
	do {								\
		int va_st_;						\
		VA_IN_CHILD(va_st_, __VA_ARGS__);			\
		VT_CHECK(WIFSIGNALED(va_st_) && WTERMSIG(va_st_) == (sig_), 0, \
			 "%s: child %s, expected signal %d (%s)",	\
			 #__VA_ARGS__, va_status_str(va_st_), (sig_),	\
			 strsignal(sig_));				\
	} while (0)

/* The statements, run in a child, must finish without failures. */
#define EXPECT_CHILD_OK(...)						\
	do {								\
		int va_st_;						\
		VA_IN_CHILD(va_st_, __VA_ARGS__);			\
		VT_CHECK(WIFEXITED(va_st_) && !WEXITSTATUS(va_st_), 0,	\
			 "child: %s", va_status_str(va_st_));		\
	} while (0)

/* EXPECT_ERRNO with a description of the case, for table-driven tests. */
#define EXPECT_ERRNO_AT(what_, call_, err_)				\
	do {								\
		errno = 0;						\
		long va_r_ = (long)(call_);				\
		int va_e_ = errno;					\
		VT_CHECK(va_r_ == -1 && va_e_ == (err_), 0,		\
			 "%s: %s: returned %ld errno %d (%s), expected errno %d (%s)", \
			 (what_), #call_, va_r_, va_e_, strerror(va_e_),	\
			 (err_), strerror(err_));			\
	} while (0)

/* ---- module parameters ---- */

/* /sys/module/vmarena/parameters/@name, as text: 0 or -1 with errno. */
int va_param_read(const char *name, char *buf, size_t len);
int va_param_write(const char *name, const char *text);
/* The page pool's cap (/sys/module/vmarena/parameters/max_pages): 0 or -1. */
int va_max_pages_read(unsigned long *val);
int va_max_pages_write(unsigned long val);
/*
 * Run @child (which exits) in a child process with the pool's cap lowered
 * to @cap, and put the cap back.  Returns the child's wait status.
 */
int va_under_cap(unsigned long cap, void (*child)(void));

#endif /* VMARENA_VT_ARENA_H */
