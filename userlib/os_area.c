// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * os_area.c: the BeOS/Haiku area API (<vmarena/os_area.h>) over the native
 * calls of libvmarena.
 *
 * Every call works on the process's default aspace, set up on first use
 * under os.lock: the library reserves address space with mmap(PROT_NONE),
 * creates an aspace at the same addresses and maps its window MAP_FIXED
 * over the reservation, offset = address.  An area's aspace address is then
 * its address in the process.
 *
 * Reservations are null areas that carry a marker (see os_resv_is()), so
 * the kernel's list of areas is the only state: nothing here goes stale
 * when areas change behind the library's back.  os.lock serialises every
 * call, which makes the multi-step reservation changes atomic with respect
 * to this process's other threads (not to a fork() child sharing the
 * aspace; see os_area.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <vmarena/os_area.h>
#include <vmarena/vmarena.h>

#define VMARENA_API __attribute__((visibility("default")))

/* The smallest default aspace the library settles for. */
#define OS_AREA_ASPACE_MIN	(16ULL << 20)

/*
 * The marker of a reservation: this name (or this name, '@' and the hex
 * address where the reservation it was cut from began), no protection, and
 * a maximum protection of read only, which areas created through this API
 * never have (theirs is VMARENA_PROT_ALL).
 */
#define OS_RESV_NAME		"vmarena:reserved"
#define OS_RESV_PROT_MAX	VMARENA_PROT_READ

#define OS_PROT_BITS		(B_READ_AREA | B_WRITE_AREA | B_EXECUTE_AREA)
#define OS_FLAG_BITS		(B_CLONEABLE_AREA | B_OVERCOMMITTING_AREA | B_SHARED_AREA)

static struct {
	pthread_mutex_t lock;
	int fd;			/* the default aspace, -1 until set up */
	uint64_t base;		/* its first address, = its window's */
	uint64_t size;
	uint64_t page;		/* the page size */
	int fork_fd;		/* fork(): the child's copy, from prepare to parent/child */
	void *fork_win;		/* fork(): its window, anywhere until the child moves it */
	int fork_err;		/* fork(): why there is no copy (errno), or 0 */
	int lost;		/* the child of a fork whose copy failed: errno, or 0 */
} os = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
	.fork_fd = -1,
};

static pthread_once_t os_atfork_once = PTHREAD_ONCE_INIT;

/* ---- errors ------------------------------------------------------------- */

/* A kernel errno as Haiku's status, for the calls that name an area. */
static status_t os_status(int err)
{
	switch (err) {
	case 0:
		return B_OK;
	case EINVAL:
	case EEXIST:
	case ENOENT:
	case EBADF:
	case E2BIG:
		return B_BAD_VALUE;
	case ENOMEM:
	case ENOSPC:
		return B_NO_MEMORY;
	case EPERM:
	case EACCES:
		return B_NOT_ALLOWED;
	case EFAULT:
		return B_BAD_ADDRESS;
	default:
		return B_ERROR;
	}
}

/* The library's set-up failed with @err. */
static status_t os_setup_status(int err)
{
	switch (err) {
	case ENOMEM:
	case ENOSPC:
		return B_NO_MEMORY;
	case EPERM:
	case EACCES:
		return B_PERMISSION_DENIED;
	default:
		return B_ERROR;
	}
}

/* ---- the default aspace ------------------------------------------------- */

static int os_map_window(int fd, uint64_t offset, void *p, uint64_t size, int flags,
			 void **out);

/*
 * The child's aspace: a new one over the same range, its window mapped
 * (at a spot of its own) while it is still empty, since a window cannot be
 * mapped over areas that refuse the window's protection, and then a copy
 * of every area of the default aspace, reservations included, at the same
 * address.  Returns 0 (os.fork_fd, os.fork_win set) or -errno.
 * Context: os.lock held.
 */
static int os_fork_copy(void)
{
	struct vmarena_area_params p;
	struct vmarena_area_info v;
	uint64_t cookie = 0;
	void *win = NULL;
	int ctl, fd, ret;

	ctl = vmarena_open();
	if (ctl < 0)
		return ctl;
	fd = vmarena_aspace_create(ctl, "os_area:fork", os.base, os.size);
	close(ctl);
	if (fd < 0)
		return fd;
	ret = os_map_window(fd, os.base, NULL, os.size, 0, &win);
	while (!ret && !vmarena_area_iterate(os.fd, &cookie, &v)) {
		memset(&p, 0, sizeof(p));
		p.name = v.out_name;
		p.addr_spec = VMARENA_ADDR_EXACT;
		p.address = v.out_base;
		ret = vmarena_area_copy(fd, &p, v.id, os.fd, NULL);
		ret = ret < 0 ? ret : 0;
	}
	if (ret) {
		if (win)
			munmap(win, os.size);
		close(fd);
		return ret;
	}
	os.fork_fd = fd;
	os.fork_win = win;
	return 0;
}

/*
 * Haiku's fork() copies every area of the team (vm_copy_area() at the same
 * address): the child gets a copy of the default aspace, made here in the
 * parent before the fork, while os.lock keeps this process's other calls
 * out, so that nothing the parent does after the fork shows in the child.
 */
static void os_atfork_prepare(void)
{
	int ret;

	pthread_mutex_lock(&os.lock);
	os.fork_fd = -1;
	os.fork_win = NULL;
	os.fork_err = 0;
	if (os.fd < 0)
		return;
	ret = os_fork_copy();
	os.fork_err = -ret;
}

/* The parent keeps its aspace; the copy was for the child. */
static void os_atfork_parent(void)
{
	if (os.fork_win)
		munmap(os.fork_win, os.size);
	if (os.fork_fd >= 0)
		close(os.fork_fd);
	os.fork_fd = -1;
	os.fork_win = NULL;
	pthread_mutex_unlock(&os.lock);
}

/*
 * The child moves the copy's window over the one it inherited (the
 * parent's aspace), at the same address, so every area pointer stays
 * valid.  Without a copy, the child must not go on sharing the parent's
 * areas: the window's range is left reserved but inaccessible (a touch
 * raises SIGSEGV) and every call of this API fails with the copy's error.
 */
static void os_atfork_child(void)
{
	void *base = (void *)(uintptr_t)os.base;
	int err = os.fork_err;

	if (os.fd >= 0) {
		if (!err && mremap(os.fork_win, os.size, os.size, MREMAP_MAYMOVE | MREMAP_FIXED,
				   base) == MAP_FAILED)
			err = errno;
		if (!err)
			err = -vmarena_team_publish(os.fork_fd);
		if (err && os.fork_win)
			munmap(os.fork_win, os.size);
		if (err && os.fork_fd >= 0)
			close(os.fork_fd);
		close(os.fd);
		os.fd = -1;
		if (!err) {
			os.fd = os.fork_fd;
		} else {
			mmap(base, os.size, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
			os.lost = err;
		}
	}
	os.fork_fd = -1;
	os.fork_win = NULL;
	pthread_mutex_unlock(&os.lock);
}

/* fork() copies the default aspace and must not copy os.lock held. */
static void os_atfork_register(void)
{
	pthread_atfork(os_atfork_prepare, os_atfork_parent, os_atfork_child);
}

/* Find free address space: as much as possible up to OS_AREA_ASPACE_SIZE. */
static void *os_reserve_window(uint64_t *size)
{
	uint64_t len;
	void *p;

	for (len = OS_AREA_ASPACE_SIZE; len >= OS_AREA_ASPACE_MIN; len >>= 1) {
		p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED) {
			*size = len;
			return p;
		}
	}
	return NULL;
}

/*
 * Map the window of @fd from aspace address @offset at @p (MAP_FIXED in
 * @flags: over what is there, else anywhere; *@out gets where).
 * Executable if the device's mount allows it (B_EXECUTE_AREA needs it),
 * else read-write.
 */
static int os_map_window(int fd, uint64_t offset, void *p, uint64_t size, int flags,
			 void **out)
{
	void *addr = p;
	int ret;

	ret = vmarena_map_window(fd, offset, size, PROT_READ | PROT_WRITE | PROT_EXEC,
				 MAP_SHARED | flags, &addr);
	if (ret == -EPERM || ret == -EACCES) {
		addr = p;
		ret = vmarena_map_window(fd, offset, size, PROT_READ | PROT_WRITE,
					 MAP_SHARED | flags, &addr);
	}
	if (!ret && out)
		*out = addr;
	return ret;
}

/* Set up the default aspace if it is not yet.  os.lock held. */
static status_t os_setup_locked(void)
{
	char name[VMARENA_NAME_MAX];
	uint64_t size = 0;
	int ctl, fd, ret;
	void *p;

	if (os.fd >= 0)
		return B_OK;
	pthread_once(&os_atfork_once, os_atfork_register);
	os.page = (uint64_t)sysconf(_SC_PAGESIZE);

	ctl = vmarena_open();
	if (ctl < 0)
		return os_setup_status(-ctl);
	p = os_reserve_window(&size);
	if (!p) {
		close(ctl);
		return B_NO_MEMORY;
	}
	snprintf(name, sizeof(name), "os_area:%d", (int)getpid());
	fd = vmarena_aspace_create(ctl, name, (uintptr_t)p, size);
	close(ctl);
	if (fd < 0) {
		munmap(p, size);
		return os_setup_status(-fd);
	}
	ret = os_map_window(fd, (uintptr_t)p, p, size, MAP_FIXED, NULL);
	if (!ret)	/* the team's aspace, for transfer_area() into it */
		ret = vmarena_team_publish(fd);
	if (ret < 0) {
		munmap(p, size);
		close(fd);
		return os_setup_status(-ret);
	}
	os.base = (uintptr_t)p;
	os.size = size;
	os.fd = fd;
	return B_OK;
}

/* Take os.lock and make sure the aspace is there; B_OK means locked. */
static status_t os_enter(void)
{
	status_t st;

	pthread_mutex_lock(&os.lock);
	st = os.lost ? os_setup_status(os.lost) : os_setup_locked();
	if (st != B_OK)
		pthread_mutex_unlock(&os.lock);
	return st;
}

static void os_leave(void)
{
	pthread_mutex_unlock(&os.lock);
}

VMARENA_API status_t os_area_aspace_range(void **base, size_t *size)
{
	status_t st = os_enter();

	if (st != B_OK)
		return st;
	if (base)
		*base = (void *)(uintptr_t)os.base;
	if (size)
		*size = os.size;
	os_leave();
	return B_OK;
}

/* ---- reservations ------------------------------------------------------- */

/* Is @v one of the library's reservations? */
static bool os_resv_is(const struct vmarena_area_info *v)
{
	size_t len = strlen(OS_RESV_NAME);

	return v->out_protection == 0 && v->out_protection_max == OS_RESV_PROT_MAX &&
	       v->out_flags == 0 && !strncmp(v->out_name, OS_RESV_NAME, len) &&
	       (v->out_name[len] == '\0' || v->out_name[len] == '@');
}

/* Where the reservation that @v was cut from began (Haiku's cache_offset). */
static uint64_t os_resv_origin(const struct vmarena_area_info *v)
{
	const char *at = strchr(v->out_name, '@');

	return at ? strtoull(at + 1, NULL, 16) : v->out_base;
}

/* Reserve exactly [base, base + len), cut from a reservation begun at @origin. */
static int os_resv_create(uint64_t base, uint64_t len, uint64_t origin)
{
	struct vmarena_area_params p = {
		.addr_spec = VMARENA_ADDR_EXACT,
		.address = base,
		.length = len,
		.protection_max = OS_RESV_PROT_MAX,
	};
	char name[VMARENA_NAME_MAX];

	if (origin == base)
		snprintf(name, sizeof(name), "%s", OS_RESV_NAME);
	else
		snprintf(name, sizeof(name), "%s@%llx", OS_RESV_NAME, (unsigned long long)origin);
	p.name = name;
	return vmarena_area_create_null(os.fd, &p, NULL);
}

/* The area (reservations included) containing @addr: 0, or -ENOENT. */
static int os_lookup(uint64_t addr, struct vmarena_area_info *v)
{
	uint64_t cookie = 0;

	while (!vmarena_area_iterate(os.fd, &cookie, v)) {
		if (v->out_base > addr)
			break;
		if (addr - v->out_base < v->out_length)
			return 0;
	}
	return -ENOENT;
}

/* The first area (reservations included) at or above @addr: 0, or -ENOENT. */
static int os_next(uint64_t addr, struct vmarena_area_info *v)
{
	uint64_t cookie = addr;

	return vmarena_area_iterate(os.fd, &cookie, v) ? -ENOENT : 0;
}

/* ---- translation -------------------------------------------------------- */

/* Haiku protection bits as vmarena protection and area flags. */
static status_t os_protection(uint32_t protection, uint32_t *prot, uint32_t *flags)
{
	if (protection & ~(OS_PROT_BITS | OS_FLAG_BITS))
		return B_BAD_VALUE;
	*prot = (protection & B_READ_AREA ? VMARENA_PROT_READ : 0) |
		(protection & B_WRITE_AREA ? VMARENA_PROT_WRITE : 0) |
		(protection & B_EXECUTE_AREA ? VMARENA_PROT_EXEC : 0);
	*flags = (protection & B_CLONEABLE_AREA ? VMARENA_AREA_CLONEABLE : 0) |
		 (protection & B_OVERCOMMITTING_AREA ? VMARENA_AREA_OVERCOMMIT : 0) |
		 (protection & B_SHARED_AREA ? VMARENA_AREA_SHARED : 0);
	return B_OK;
}

/* Haiku's protection of an area: its protection bits and flags. */
static uint32_t os_protection_of(const struct vmarena_area_info *v)
{
	return (v->out_protection & VMARENA_PROT_READ ? B_READ_AREA : 0) |
	       (v->out_protection & VMARENA_PROT_WRITE ? B_WRITE_AREA : 0) |
	       (v->out_protection & VMARENA_PROT_EXEC ? B_EXECUTE_AREA : 0) |
	       (v->out_flags & VMARENA_AREA_CLONEABLE ? B_CLONEABLE_AREA : 0) |
	       (v->out_flags & VMARENA_AREA_OVERCOMMIT ? B_OVERCOMMITTING_AREA : 0) |
	       (v->out_flags & VMARENA_AREA_SHARED ? B_SHARED_AREA : 0);
}

/*
 * Haiku's lock as vmarena wiring and placement flags.  The physical
 * placements are contiguous runs below a limit: B_LOMEM is one (as in
 * Haiku), B_32_BIT_CONTIGUOUS too, and B_32_BIT_FULL_LOCK gets one as well
 * (see os_area.h).
 */
static status_t os_wiring(uint32_t lock, uint32_t *wiring, uint32_t *flags)
{
	switch (lock) {
	case B_NO_LOCK:
	case B_LAZY_LOCK:
		*wiring = VMARENA_WIRING_LAZY;
		return B_OK;
	case B_FULL_LOCK:
		*wiring = VMARENA_WIRING_WIRED;
		return B_OK;
	case B_CONTIGUOUS:
		*wiring = VMARENA_WIRING_CONTIGUOUS;
		return B_OK;
	case B_LOMEM:
		*wiring = VMARENA_WIRING_CONTIGUOUS;
		*flags |= VMARENA_AREA_PHYS_16M;
		return B_OK;
	case B_32_BIT_FULL_LOCK:
	case B_32_BIT_CONTIGUOUS:
		*wiring = VMARENA_WIRING_CONTIGUOUS;
		*flags |= VMARENA_AREA_PHYS_4G;
		return B_OK;
	default:
		return B_BAD_VALUE;
	}
}

/* Haiku reports the lock an area got: B_LOMEM and B_32_BIT_* are contiguous. */
static uint32_t os_lock_of(const struct vmarena_area_info *v)
{
	switch (v->out_wiring) {
	case VMARENA_WIRING_WIRED:
	case VMARENA_WIRING_ALREADY_WIRED:
		return B_FULL_LOCK;
	case VMARENA_WIRING_CONTIGUOUS:
		return B_CONTIGUOUS;
	default:
		return B_NO_LOCK;
	}
}

static uint32_t os_clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void os_fill_info(const struct vmarena_area_info *v, area_info *info)
{
	memset(info, 0, sizeof(*info));
	info->area = (area_id)v->id;
	memcpy(info->name, v->out_name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	info->size = v->out_length;
	info->lock = os_lock_of(v);
	info->protection = os_protection_of(v);
	info->team = getpid();
	info->ram_size = os_clamp32(v->out_resident * os.page);
	info->copy_count = os_clamp32(v->out_copies);
	info->address = (void *)(uintptr_t)v->out_base;
}

/* Haiku truncates names to B_OS_NAME_LENGTH - 1 bytes. */
static void os_copy_name(char name[B_OS_NAME_LENGTH], const char *src)
{
	snprintf(name, B_OS_NAME_LENGTH, "%s", src);
}

/*
 * Fill @p's placement from a Haiku address spec and address.  BASE below
 * the aspace starts at its base; BASE above it is ANY.
 */
static status_t os_placement(uint32_t spec, uintptr_t addr, struct vmarena_area_params *p)
{
	switch (spec) {
	case B_ANY_ADDRESS:
	case B_RANDOMIZED_ANY_ADDRESS:
		p->addr_spec = VMARENA_ADDR_ANY;
		p->address = 0;
		return B_OK;
	case B_EXACT_ADDRESS:
		if (addr & (os.page - 1))
			return B_BAD_VALUE;
		p->addr_spec = VMARENA_ADDR_EXACT;
		p->address = addr;
		return B_OK;
	case B_BASE_ADDRESS:
	case B_RANDOMIZED_BASE_ADDRESS:
		p->address = (addr + os.page - 1) & ~(os.page - 1);
		if (p->address < addr || p->address >= os.base + os.size) {
			p->addr_spec = VMARENA_ADDR_ANY;
			p->address = 0;
			return B_OK;
		}
		if (p->address < os.base)
			p->address = os.base;
		p->addr_spec = VMARENA_ADDR_BASE;
		return B_OK;
	default:
		return B_BAD_VALUE;
	}
}

/* ---- randomized placement ----------------------------------------------- */

/* How far from the start of a free range a randomized base may lie (Haiku's
 * kMaxRandomize on 64-bit). */
#define OS_RANDOMIZE_MAX	(512ULL << 30)

static bool os_randomized(uint32_t spec)
{
	return spec == B_RANDOMIZED_ANY_ADDRESS || spec == B_RANDOMIZED_BASE_ADDRESS;
}

static uint64_t os_random(void)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	return ((uint64_t)rand() << 32) ^ (uint64_t)rand() ^ (uint64_t)time(NULL);
}

/*
 * A random page-aligned base for @len bytes in the first free range (no
 * area, no reservation) at or above @from that holds them, as Haiku's
 * randomized specs place: 0, or -ENOMEM if no range holds them.
 */
static int os_random_spot(uint64_t from, uint64_t len, uint64_t *out)
{
	uint64_t start = from, end = os.base + os.size, cookie = 0, vend, slots;
	struct vmarena_area_info v;

	while (!vmarena_area_iterate(os.fd, &cookie, &v)) {
		vend = v.out_base + v.out_length;
		if (vend <= start)
			continue;
		if (v.out_base > start && v.out_base - start >= len) {
			end = v.out_base;
			break;
		}
		start = vend;
	}
	if (start >= end || end - start < len)
		return -ENOMEM;
	slots = end - start - len;
	if (slots > OS_RANDOMIZE_MAX)
		slots = OS_RANDOMIZE_MAX;
	slots = slots / os.page + 1;
	*out = start + (os_random() % slots) * os.page;
	return 0;
}

/* ---- creation ----------------------------------------------------------- */

/* A new anonymous area, or a shared clone of @source if it is not 0. */
static int os_do_create(const struct vmarena_area_params *p, area_id source, uint64_t *addr)
{
	if (source)
		return vmarena_area_clone(os.fd, p, (uint32_t)source, -1, VMARENA_MAP_SHARED, addr);
	return vmarena_area_create_anon(os.fd, p, addr);
}

/*
 * An exact create that met something in its way: if [address, address +
 * @len) lies inside one reservation, the area takes its place (Haiku's
 * _InsertAreaIntoReservedRegion): delete the reservation, create the area,
 * reserve what is left on either side.  Not atomic; see os_area.h.
 */
static int os_create_in_resv(const struct vmarena_area_params *p, uint64_t len, area_id source,
			     uint64_t *addr)
{
	uint64_t start = p->address, end = start + len, rend, origin;
	struct vmarena_area_info r;
	int ret;

	if (!len || os_lookup(start, &r) || !os_resv_is(&r))
		return -EEXIST;
	rend = r.out_base + r.out_length;
	if (end < start || end > rend)
		return -EEXIST;
	origin = os_resv_origin(&r);
	ret = vmarena_area_delete(os.fd, r.id);
	if (ret)
		return ret;
	ret = os_do_create(p, source, addr);
	if (ret < 0) {
		os_resv_create(r.out_base, r.out_length, origin);
		return ret;
	}
	if (start > r.out_base)
		os_resv_create(r.out_base, start - r.out_base, origin);
	if (end < rend)
		os_resv_create(end, rend - end, origin);
	return ret;
}

/*
 * Create, with Haiku's placement rules: an exact range inside a
 * reservation takes its place; BASE that finds no room above its address
 * tries anywhere.  @len is the area's size (for clones, the source's, or 0
 * if unknown).  Returns the id or -errno.
 */
static int os_create_locked(struct vmarena_area_params *p, uint64_t len, area_id source,
			    uint64_t *addr)
{
	int ret = os_do_create(p, source, addr);

	if (ret == -EEXIST && p->addr_spec == VMARENA_ADDR_EXACT)
		return os_create_in_resv(p, len, source, addr);
	if (ret == -ENOMEM && p->addr_spec == VMARENA_ADDR_BASE) {
		p->addr_spec = VMARENA_ADDR_ANY;
		p->address = 0;
		ret = os_do_create(p, source, addr);
	}
	return ret;
}

/*
 * os_create_locked() with Haiku's address spec @spec: a randomized one
 * first tries a random free base (at or above the BASE address), then
 * takes the first fit if another process took that base meanwhile.
 */
static int os_create_spec(struct vmarena_area_params *p, uint64_t len, area_id source,
			  uint32_t spec, uint64_t *addr)
{
	struct vmarena_area_params r = *p;
	int ret;

	if (os_randomized(spec) && len &&
	    !os_random_spot(p->addr_spec == VMARENA_ADDR_BASE ? p->address : os.base, len,
			    &r.address)) {
		r.addr_spec = VMARENA_ADDR_EXACT;
		ret = os_do_create(&r, source, addr);
		if (ret != -EEXIST)
			return ret;
	}
	return os_create_locked(p, len, source, addr);
}

VMARENA_API area_id create_area(const char *name, void **startAddress, uint32_t addressSpec,
				size_t size, uint32_t lock, uint32_t protection)
{
	struct vmarena_area_params p = { 0 };
	char buf[B_OS_NAME_LENGTH];
	uint64_t addr = 0;
	status_t st;
	int ret;

	if (!name || !startAddress)
		return B_BAD_ADDRESS;
	if (!size || os_protection(protection, &p.protection, &p.flags) ||
	    os_wiring(lock, &p.wiring, &p.flags))
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	p.length = ((uint64_t)size + os.page - 1) & ~(os.page - 1);
	st = p.length < size ? B_BAD_VALUE :
	     os_placement(addressSpec, (uintptr_t)*startAddress, &p);
	if (st != B_OK)
		goto out;
	os_copy_name(buf, name);
	p.name = buf;
	ret = os_create_spec(&p, p.length, 0, addressSpec, &addr);
	st = ret < 0 ? os_status(-ret) : ret;
	if (ret >= 0)
		*startAddress = (void *)(uintptr_t)addr;
out:
	os_leave();
	return st;
}

/* Area @id of this process, reservations refused.  os.lock held. */
static status_t os_get(area_id id, struct vmarena_area_info *v)
{
	int ret;

	if (id <= 0)
		return B_BAD_VALUE;
	ret = vmarena_area_info(os.fd, (uint32_t)id, v);
	if (ret)
		return os_status(-ret);
	return os_resv_is(v) ? B_BAD_VALUE : B_OK;
}

/*
 * Placement of a clone.  B_CLONE_ADDRESS is the source's address, which is
 * known for a source of this process (and taken by it).
 */
static status_t os_clone_placement(uint32_t spec, uintptr_t addr, const struct vmarena_area_info *src,
				   bool local, struct vmarena_area_params *p)
{
	if (spec != B_CLONE_ADDRESS)
		return os_placement(spec, addr, p);
	if (!local)
		return B_BAD_VALUE;
	return os_placement(B_EXACT_ADDRESS, src->out_base, p);
}

VMARENA_API area_id clone_area(const char *name, void **destAddress, uint32_t addressSpec,
			       uint32_t protection, area_id source)
{
	struct vmarena_area_params p = { 0 };
	struct vmarena_area_info src;
	char buf[B_OS_NAME_LENGTH];
	uint64_t addr = 0;
	bool local;
	status_t st;
	int ret;

	if (!name || !destAddress)
		return B_BAD_ADDRESS;
	if (source <= 0 || os_protection(protection, &p.protection, &p.flags))
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	/* A source of this process must be an area; others the kernel judges. */
	ret = vmarena_area_info(os.fd, (uint32_t)source, &src);
	local = !ret;
	if (local && os_resv_is(&src)) {
		st = B_BAD_VALUE;
		goto out;
	}
	st = os_clone_placement(addressSpec, (uintptr_t)*destAddress, &src, local, &p);
	if (st != B_OK)
		goto out;
	os_copy_name(buf, name);
	p.name = buf;
	ret = os_create_spec(&p, local ? src.out_length : 0, source, addressSpec, &addr);
	st = ret < 0 ? os_status(-ret) : ret;
	if (ret >= 0)
		*destAddress = (void *)(uintptr_t)addr;
out:
	os_leave();
	return st;
}

/* ---- transfer ----------------------------------------------------------- */

/*
 * Placement of a move into another team's aspace, whose range is not
 * this one's: B_CLONE_ADDRESS is the area's own address, B_BASE_ADDRESS
 * goes to the kernel as it is (a first fit at or above it there), and the
 * randomized specs place as their plain forms.
 */
static status_t os_transfer_placement(uint32_t spec, uintptr_t addr,
				      const struct vmarena_area_info *src, bool local,
				      struct vmarena_area_params *p)
{
	if (spec == B_CLONE_ADDRESS)
		return os_placement(B_EXACT_ADDRESS, src->out_base, p);
	if (local || (spec != B_BASE_ADDRESS && spec != B_RANDOMIZED_BASE_ADDRESS))
		return os_placement(spec == B_RANDOMIZED_ANY_ADDRESS ? B_ANY_ADDRESS : spec,
				    addr, p);
	p->address = (addr + os.page - 1) & ~(os.page - 1);
	p->addr_spec = p->address >= addr && p->address ? VMARENA_ADDR_BASE : VMARENA_ADDR_ANY;
	if (p->addr_spec == VMARENA_ADDR_ANY)
		p->address = 0;
	return B_OK;
}

/* An fd of @team's default aspace (os.fd for this team), or a status. */
static int os_team_fd(team_id team)
{
	int ctl, fd;

	if (team == B_CURRENT_TEAM || team == getpid())
		return os.fd;
	if (team < 0)
		return B_BAD_TEAM_ID;
	ctl = vmarena_open();
	if (ctl < 0)
		return os_setup_status(-ctl);
	fd = vmarena_team_open(ctl, team);
	close(ctl);
	if (fd == -EPERM)
		return B_NOT_ALLOWED;
	return fd < 0 ? B_BAD_TEAM_ID : fd;
}

VMARENA_API area_id transfer_area(area_id id, void **address, uint32_t addressSpec,
				  team_id target)
{
	struct vmarena_area_params p = { 0 };
	struct vmarena_area_info src;
	uint64_t addr = 0;
	status_t st;
	int fd, ret;

	if (!address)
		return B_BAD_ADDRESS;
	st = os_enter();
	if (st != B_OK)
		return st;
	st = os_get(id, &src);
	if (st != B_OK)
		goto out;
	fd = os_team_fd(target);
	if (fd < 0) {
		st = fd;
		goto out;
	}
	st = os_transfer_placement(addressSpec, (uintptr_t)*address, &src, fd == os.fd, &p);
	if (st == B_OK) {
		ret = vmarena_area_transfer(fd, &p, (uint32_t)id, os.fd, &addr);
		st = ret < 0 ? os_status(-ret) : ret;
		if (ret >= 0)
			*address = (void *)(uintptr_t)addr;
	}
	if (fd != os.fd)
		close(fd);
out:
	os_leave();
	return st;
}

/* ---- lookup ------------------------------------------------------------- */

/* The lowest area (not reservation) named @name, by walking them all. */
static area_id os_find_walk(const char *name)
{
	struct vmarena_area_info v;
	uint64_t cookie = 0;

	while (!vmarena_area_iterate(os.fd, &cookie, &v))
		if (!os_resv_is(&v) && !strncmp(v.out_name, name, B_OS_NAME_LENGTH))
			return (area_id)v.id;
	return B_NAME_NOT_FOUND;
}

VMARENA_API area_id find_area(const char *name)
{
	char buf[B_OS_NAME_LENGTH];
	area_id id;
	status_t st;
	int ret;

	if (!name)
		return B_BAD_ADDRESS;
	st = os_enter();
	if (st != B_OK)
		return st;
	os_copy_name(buf, name);
	/* Only a reservation's name can find a reservation first. */
	if (!strncmp(buf, OS_RESV_NAME, strlen(OS_RESV_NAME))) {
		id = os_find_walk(buf);
	} else {
		ret = vmarena_area_find(os.fd, buf);
		id = ret >= 0 ? ret : ret == -ENOENT ? B_NAME_NOT_FOUND : os_status(-ret);
	}
	os_leave();
	return id;
}

VMARENA_API area_id area_for(void *address)
{
	struct vmarena_area_info v;
	area_id id = B_ERROR;

	if (os_enter() != B_OK)
		return B_ERROR;
	if (!os_lookup((uintptr_t)address, &v) && !os_resv_is(&v))
		id = (area_id)v.id;
	os_leave();
	return id;
}

VMARENA_API status_t get_area_info(area_id id, area_info *areaInfo)
{
	struct vmarena_area_info v;
	status_t st;

	if (!areaInfo)
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	st = os_get(id, &v);
	if (st == B_OK)
		os_fill_info(&v, areaInfo);
	os_leave();
	return st;
}

VMARENA_API status_t get_next_area_info(team_id team, ssize_t *cookie, area_info *areaInfo)
{
	struct vmarena_area_info v;
	uint64_t next;
	status_t st;
	int ret;

	if (!cookie || !areaInfo)
		return B_BAD_VALUE;
	if (team != B_CURRENT_TEAM && team != getpid())
		return B_BAD_TEAM_ID;
	if (*cookie < 0)
		return B_ENTRY_NOT_FOUND;
	st = os_enter();
	if (st != B_OK)
		return st;
	next = (uint64_t)*cookie;
	do {
		ret = vmarena_area_iterate(os.fd, &next, &v);
	} while (!ret && os_resv_is(&v));
	if (ret) {
		st = ret == -ENOENT ? B_ENTRY_NOT_FOUND : os_status(-ret);
	} else {
		*cookie = (ssize_t)next;
		os_fill_info(&v, areaInfo);
	}
	os_leave();
	return st;
}

/* ---- changes ------------------------------------------------------------ */

VMARENA_API status_t delete_area(area_id id)
{
	struct vmarena_area_info v;
	status_t st;

	st = os_enter();
	if (st != B_OK)
		return st;
	st = os_get(id, &v);
	if (st == B_OK)
		st = os_status(-vmarena_area_delete(os.fd, (uint32_t)id));
	os_leave();
	return st;
}

/* A reservation: where it is and where the one it was cut from began. */
struct os_resv {
	uint64_t base, len, origin;
};

/* Put back the reservations @r[0..@n) that a failed growth deleted. */
static void os_resv_restore(const struct os_resv *r, size_t n)
{
	while (n--)
		os_resv_create(r[n].base, r[n].len, r[n].origin);
}

/*
 * Delete the reservations in [@from, @end) for a growth, into @out (@max
 * entries).  Returns how many, or -1 if a real area is in the way (or
 * there are more than @max): then nothing is deleted.
 */
static ssize_t os_resv_take(uint64_t from, uint64_t end, struct os_resv *out, size_t max)
{
	struct vmarena_area_info v;
	uint64_t cookie = from;
	size_t n = 0, i;

	while (!vmarena_area_iterate(os.fd, &cookie, &v) && v.out_base < end) {
		if (!os_resv_is(&v) || n == max)
			return -1;
		out[n].base = v.out_base;
		out[n].len = v.out_length;
		out[n++].origin = os_resv_origin(&v);
	}
	for (i = 0; i < n; i++) {
		if (os_lookup(out[i].base, &v) || vmarena_area_delete(os.fd, v.id)) {
			os_resv_restore(out, i);
			return -1;
		}
	}
	return (ssize_t)n;
}

/*
 * Grow area @a to @size through the free ranges and the reservations that
 * follow it (Haiku: any reservation gives way, the one it was made in or a
 * later one); a reservation reaching past the new end keeps that part.
 */
static status_t os_grow(const struct vmarena_area_info *a, uint64_t size)
{
	uint64_t oend = a->out_base + a->out_length, end = a->out_base + size;
	struct os_resv r[64];
	const struct os_resv *last;
	ssize_t n;
	int ret;

	n = os_resv_take(oend, end, r, sizeof(r) / sizeof(r[0]));
	if (n < 0)
		return B_ERROR;
	ret = vmarena_area_resize(os.fd, a->id, size);
	if (ret) {
		os_resv_restore(r, (size_t)n);
		return os_status(-ret);
	}
	last = n ? &r[n - 1] : NULL;
	if (last && last->base + last->len > end)
		os_resv_create(end, last->base + last->len - end, last->origin);
	return B_OK;
}

/*
 * Shrink area @a to @size; a reservation that follows it at once gets the
 * freed range back, down to where the reservation it was cut from began
 * (Haiku: the reservation the area grew from).
 */
static status_t os_shrink(const struct vmarena_area_info *a, uint64_t size)
{
	uint64_t oend = a->out_base + a->out_length, end = a->out_base + size, base;
	struct vmarena_area_info n;
	int ret;

	ret = vmarena_area_resize(os.fd, a->id, size);
	if (ret)
		return os_status(-ret);
	if (os_next(oend, &n) || n.out_base != oend || !os_resv_is(&n))
		return B_OK;
	base = os_resv_origin(&n) > end ? os_resv_origin(&n) : end;
	if (base >= oend || vmarena_area_delete(os.fd, n.id))
		return B_OK;
	if (os_resv_create(base, n.out_base + n.out_length - base, os_resv_origin(&n)) < 0)
		os_resv_create(n.out_base, n.out_length, os_resv_origin(&n));
	return B_OK;
}

/* Resize area @a to @size, taking room from reservations and giving it back. */
static status_t os_resize_locked(const struct vmarena_area_info *a, uint64_t size)
{
	if (a->out_base + size < a->out_base)
		return B_BAD_VALUE;
	if (size > a->out_length)
		return os_grow(a, size);
	if (size < a->out_length)
		return os_shrink(a, size);
	return B_OK;
}

VMARENA_API status_t resize_area(area_id id, size_t newSize)
{
	struct vmarena_area_info v;
	status_t st;

	if (!newSize)
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	st = newSize & (os.page - 1) ? B_BAD_VALUE : os_get(id, &v);
	if (st == B_OK)
		st = os_resize_locked(&v, newSize);
	os_leave();
	return st;
}

VMARENA_API status_t set_area_protection(area_id id, uint32_t newProtection)
{
	struct vmarena_area_info v;
	uint32_t prot, flags;
	status_t st;

	if (os_protection(newProtection, &prot, &flags))
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	st = os_get(id, &v);
	/* Area flags are fixed at creation: they may be repeated, not added. */
	if (st == B_OK && (flags & ~v.out_flags))
		st = B_BAD_VALUE;
	if (st == B_OK)
		st = os_status(-vmarena_area_protect(os.fd, (uint32_t)id, prot));
	os_leave();
	return st;
}

/* ---- lock_memory() ----------------------------------------------------- */

/*
 * Lock or unlock (@level) the areas that [@address, @address + @len)
 * touches, the range rounded out to pages.  Reservations are null areas and
 * hold no memory: locking one charges RLIMIT_MEMLOCK for nothing, so a range
 * must not reach into one (B_BAD_VALUE), as Haiku's lock_memory() fails on
 * memory no area backs.
 */
static status_t os_lock_range(void *address, size_t len, uint32_t flags, uint32_t level)
{
	uint64_t start = (uintptr_t)address & ~(os.page - 1);
	uint64_t end = (uintptr_t)address + len, cookie = start;
	struct vmarena_area_info v;
	status_t st;

	if (!len || flags & ~(uint32_t)(B_DMA_IO | B_READ_DEVICE) || end < start)
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	end = (end + os.page - 1) & ~(os.page - 1);
	if (start < os.base || end > os.base + os.size || !end) {
		st = B_BAD_VALUE;
		goto out;
	}
	if (!os_lookup(start, &v) && os_resv_is(&v))
		st = B_BAD_VALUE;
	while (st == B_OK && !vmarena_area_iterate(os.fd, &cookie, &v) && v.out_base < end)
		if (os_resv_is(&v))
			st = B_BAD_VALUE;
	if (st == B_OK)
		st = os_status(-vmarena_range_lock(os.fd, start, end - start, level));
out:
	os_leave();
	return st;
}

VMARENA_API status_t lock_memory(void *address, size_t numBytes, uint32_t flags)
{
	return os_lock_range(address, numBytes, flags, VMARENA_LOCK_LOCKED);
}

VMARENA_API status_t unlock_memory(void *address, size_t numBytes, uint32_t flags)
{
	return os_lock_range(address, numBytes, flags, VMARENA_LOCK_UNLOCKED);
}

/* ---- reservations (Haiku's private _kern_*_address_range) --------------- */

/*
 * A reservation at a random free base for a randomized @spec: its id, or
 * -EEXIST to place it as @p says (not randomized, no room, or another
 * process took the base meanwhile).
 */
static int os_resv_random(const struct vmarena_area_params *p, uint32_t spec, uint64_t *addr)
{
	struct vmarena_area_params r = *p;

	if (!os_randomized(spec) ||
	    os_random_spot(p->addr_spec == VMARENA_ADDR_BASE ? p->address : os.base, p->length,
			   &r.address))
		return -EEXIST;
	r.addr_spec = VMARENA_ADDR_EXACT;
	return vmarena_area_create_null(os.fd, &r, addr);
}

VMARENA_API status_t reserve_address_range(addr_t *address, uint32_t addressSpec, addr_t size)
{
	struct vmarena_area_params p = {
		.name = OS_RESV_NAME,
		.protection_max = OS_RESV_PROT_MAX,
	};
	uint64_t addr = 0;
	status_t st;
	int ret;

	if (!address)
		return B_BAD_ADDRESS;
	if (!size || addressSpec == B_CLONE_ADDRESS)
		return B_BAD_VALUE;
	st = os_enter();
	if (st != B_OK)
		return st;
	p.length = ((uint64_t)size + os.page - 1) & ~(os.page - 1);
	st = p.length < size ? B_BAD_VALUE : os_placement(addressSpec, *address, &p);
	if (st != B_OK)
		goto out;
	ret = os_resv_random(&p, addressSpec, &addr);
	if (ret == -EEXIST)
		ret = vmarena_area_create_null(os.fd, &p, &addr);
	if (ret == -ENOMEM && p.addr_spec == VMARENA_ADDR_BASE) {
		p.addr_spec = VMARENA_ADDR_ANY;
		p.address = 0;
		ret = vmarena_area_create_null(os.fd, &p, &addr);
	}
	st = ret < 0 ? os_status(-ret) : B_OK;
	if (ret >= 0)
		*address = (addr_t)addr;
out:
	os_leave();
	return st;
}

VMARENA_API status_t unreserve_address_range(addr_t address, addr_t size)
{
	uint64_t end = (uint64_t)address + size, cookie = address;
	struct vmarena_area_info v;
	status_t st;

	if (end < address)
		end = UINT64_MAX;
	st = os_enter();
	if (st != B_OK)
		return st;
	while (!vmarena_area_iterate(os.fd, &cookie, &v) &&
	       v.out_base + v.out_length <= end)
		if (os_resv_is(&v))
			vmarena_area_delete(os.fd, v.id);
	os_leave();
	return B_OK;
}
