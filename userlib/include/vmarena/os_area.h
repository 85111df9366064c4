/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <vmarena/os_area.h>: the BeOS/Haiku area API over vmarena.
 *
 * Names, types, constants, error codes and the area_info layout are
 * Haiku's (headers/os/kernel/OS.h, headers/os/support/Errors.h), so that
 * code written for Haiku's areas compiles and behaves the same where it
 * can.  The areas live in a vmarena aspace that the library creates on
 * first use, one per process, and maps into the process with a single
 * mmap window placed so that an area's aspace address is its address in
 * the process: the pointers create_area() returns are real.
 *
 * Where this differs from Haiku:
 *
 *  - Areas live in the process's default vmarena aspace, not in the
 *    process's own address space.  Memory outside it (stack, heap,
 *    mmap(2)) is not an area: area_for() on it returns B_ERROR, and
 *    B_EXACT_ADDRESS outside the aspace fails with B_BAD_VALUE.  The
 *    aspace is OS_AREA_ASPACE_SIZE bytes (smaller if the process cannot
 *    reserve that much address space); os_area_aspace_range() says where.
 *  - Teams: the team is this process.  get_next_area_info() accepts only
 *    B_CURRENT_TEAM and getpid() and returns B_BAD_TEAM_ID for any other
 *    team; area_info.team is getpid().  find_area(), area_for(),
 *    get_area_info(), delete_area(), resize_area() and
 *    set_area_protection() see only this process's areas (an area of
 *    another process is B_BAD_VALUE, or B_NAME_NOT_FOUND for find_area()).
 *    clone_area() can reach another process's area: vmarena allows it when
 *    the source is B_CLONEABLE_AREA and was created by the same euid.
 *  - fork(): the child shares the parent's default aspace (the window is a
 *    shared mapping); areas are not copied.  Changes either makes are seen
 *    by both, and the library state that orders reservation changes is per
 *    process: do not change reservations from both sides.  exec() starts
 *    afresh (the aspace fd is close-on-exec).
 *  - Protection: B_READ_AREA, B_WRITE_AREA, B_EXECUTE_AREA,
 *    B_CLONEABLE_AREA and B_OVERCOMMITTING_AREA.  B_STACK_AREA is refused
 *    (B_BAD_VALUE); there are no B_KERNEL_* bits, B_SHARED_AREA or
 *    B_KERNEL_AREA.  x86 cannot map write-only or execute-only pages, so a
 *    page of such an area can also be read.  Execute permission is
 *    enforced when a page is faulted in: the window is mapped executable
 *    (so that B_EXECUTE_AREA works), and an instruction fetch that faults
 *    a page of an area without B_EXECUTE_AREA in raises SIGSEGV; but a page
 *    already mapped by a load stays executable until vmarena unmaps it
 *    (see module/window.c for why).  Where /dev is mounted noexec the
 *    window is not executable and no area's code runs.  vmarena fixes
 *    B_CLONEABLE_AREA and B_OVERCOMMITTING_AREA at creation, so
 *    set_area_protection() leaves them as they are: omitting them does not
 *    clear them, asking for one the area lacks is B_BAD_VALUE.
 *  - Lock: B_NO_LOCK and B_LAZY_LOCK both fault pages in on first touch
 *    and get_area_info() reports them as B_NO_LOCK; B_FULL_LOCK wires the
 *    area at creation, B_CONTIGUOUS gives one physically contiguous wired
 *    run.  B_LOMEM, B_32_BIT_FULL_LOCK and B_32_BIT_CONTIGUOUS (physical
 *    placement) are refused with B_BAD_VALUE.
 *  - Address specs: B_RANDOMIZED_ANY_ADDRESS and B_RANDOMIZED_BASE_ADDRESS
 *    are taken as B_ANY_ADDRESS and B_BASE_ADDRESS (no randomisation).
 *    B_ANY_KERNEL_ADDRESS and B_ANY_KERNEL_BLOCK_ADDRESS are B_BAD_VALUE.
 *    B_CLONE_ADDRESS (clone_area() only) asks for the source's address,
 *    which in the same aspace is always taken: B_BAD_VALUE, as in Haiku
 *    within one team; for a source in another process it is B_BAD_VALUE too
 *    (its address is not known here).  B_BASE_ADDRESS below the aspace
 *    starts at the aspace's base.
 *  - Reservations (reserve_address_range(), Haiku's private
 *    _kern_reserve_address_range()) are vmarena null areas.  They are not
 *    areas to this API: find_area(), area_for(), get_*_area_info() and the
 *    id-taking calls skip or refuse them.  create_area() and clone_area()
 *    with B_EXACT_ADDRESS take a range inside one reservation, as in Haiku:
 *    the library deletes the reservation, creates the area and re-creates
 *    reservations for what is left on either side.  This is NOT atomic: a
 *    process sharing the aspace (a fork() child) could take the range in
 *    between, and if the re-creation fails the leftover parts stay
 *    unreserved.  Within one process the library's mutex orders it against
 *    every other call of this API.  resize_area() may grow an area into a
 *    reservation that follows it if the area was created inside that
 *    reservation (Haiku's rule); the reservation is shrunk the same way.
 *    B_ANY_ADDRESS and B_BASE_ADDRESS never place an area inside a
 *    reservation (Haiku may, as a last resort).
 *  - create_area() rounds the size up to whole pages, as Haiku does; an
 *    unaligned B_EXACT_ADDRESS is B_BAD_VALUE.  resize_area() wants a
 *    page-aligned size (B_BAD_VALUE), also as Haiku.  Names longer than
 *    B_OS_NAME_LENGTH - 1 bytes are truncated, as in Haiku; a NULL name or
 *    address pointer is B_BAD_ADDRESS.
 *  - resize_area() returns B_ERROR when the next area of this aspace is in
 *    the way, and B_NO_MEMORY both for the commit limit and for a sharer in
 *    another aspace that cannot grow (vmarena does not tell them apart).
 *  - area_for() and get_next_area_info() walk the aspace's areas: they cost
 *    one ioctl per area below the one they find.
 *  - The calls are real functions, not Haiku's macros over
 *    _get_area_info(id, info, size).  area_info.ram_size counts the pages
 *    the area maps now and copy_count its copy-on-write copies; in_count
 *    and out_count are 0.
 *  - A failure of the library's own set-up (no /dev/vmarena, no address
 *    space for the window) makes every call return the translated error:
 *    B_NO_MEMORY, B_PERMISSION_DENIED or B_ERROR.  It is retried on the
 *    next call.
 */
#ifndef VMARENA_OS_AREA_H
#define VMARENA_OS_AREA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t area_id;
typedef int32_t status_t;
typedef int32_t team_id;
typedef uintptr_t addr_t;

#define B_OS_NAME_LENGTH	32
#define B_CURRENT_TEAM		0

/* Errors (Haiku's Errors.h). */
#define B_GENERAL_ERROR_BASE	INT32_MIN
#define B_OS_ERROR_BASE		(B_GENERAL_ERROR_BASE + 0x1000)
#define B_STORAGE_ERROR_BASE	(B_GENERAL_ERROR_BASE + 0x6000)

enum {
	B_NO_MEMORY = B_GENERAL_ERROR_BASE,
	B_IO_ERROR,
	B_PERMISSION_DENIED,
	B_BAD_INDEX,
	B_BAD_TYPE,
	B_BAD_VALUE,
	B_MISMATCHED_VALUES,
	B_NAME_NOT_FOUND,
	B_NAME_IN_USE,
	B_TIMED_OUT,
	B_INTERRUPTED,
	B_WOULD_BLOCK,
	B_CANCELED,
	B_NO_INIT,
	B_BUSY,
	B_NOT_ALLOWED,
	B_BAD_DATA,

	B_ERROR = -1,
	B_OK = 0,
	B_NO_ERROR = 0,
};

enum {
	B_BAD_TEAM_ID = B_OS_ERROR_BASE + 0x103,
	B_BAD_ADDRESS = B_OS_ERROR_BASE + 0x301,
	B_ENTRY_NOT_FOUND = B_STORAGE_ERROR_BASE + 3,
};

/* Address specs. */
#define B_ANY_ADDRESS			0
#define B_EXACT_ADDRESS			1
#define B_BASE_ADDRESS			2
#define B_CLONE_ADDRESS			3
#define B_ANY_KERNEL_ADDRESS		4
#define B_ANY_KERNEL_BLOCK_ADDRESS	5
#define B_RANDOMIZED_ANY_ADDRESS	6
#define B_RANDOMIZED_BASE_ADDRESS	7

/* Lock (wiring). */
#define B_NO_LOCK		0
#define B_LAZY_LOCK		1
#define B_FULL_LOCK		2
#define B_CONTIGUOUS		3
#define B_LOMEM			4
#define B_32_BIT_FULL_LOCK	5
#define B_32_BIT_CONTIGUOUS	6

/* Protection and area flags. */
#define B_READ_AREA		(1 << 0)
#define B_WRITE_AREA		(1 << 1)
#define B_EXECUTE_AREA		(1 << 2)
#define B_STACK_AREA		(1 << 3)
#define B_CLONEABLE_AREA	(1 << 8)
#define B_OVERCOMMITTING_AREA	(1 << 12)

typedef struct area_info {
	area_id		area;
	char		name[B_OS_NAME_LENGTH];
	size_t		size;
	uint32_t	lock;
	uint32_t	protection;
	team_id		team;
	uint32_t	ram_size;
	uint32_t	copy_count;
	uint32_t	in_count;
	uint32_t	out_count;
	void		*address;
} area_info;

/* The size of the default aspace the library tries to reserve first. */
#define OS_AREA_ASPACE_SIZE	(64ULL << 30)

/*
 * Create an anonymous area of @size bytes (rounded up to pages).  *@startAddress:
 * in, the address for B_EXACT_ADDRESS and B_BASE_ADDRESS; out, where the area
 * is.  Returns the area's id, or B_BAD_VALUE (bad size, spec, lock or
 * protection; an exact address that is taken), B_NO_MEMORY (no room, commit
 * limit), B_BAD_ADDRESS (NULL @startAddress).
 */
area_id create_area(const char *name, void **startAddress, uint32_t addressSpec, size_t size,
		    uint32_t lock, uint32_t protection);

/*
 * A new area sharing the memory of area @source (Haiku: always shared):
 * writes through either are seen through both.  Returns its id, or
 * B_BAD_VALUE (no such source, bad spec or protection), B_NOT_ALLOWED (not
 * cloneable by this process, or above the source's maximum protection),
 * B_NO_MEMORY.
 */
area_id clone_area(const char *name, void **destAddress, uint32_t addressSpec,
		   uint32_t protection, area_id source);

/* The lowest area of this process named @name, or B_NAME_NOT_FOUND. */
area_id find_area(const char *name);

/* The area of this process containing @address, or B_ERROR. */
area_id area_for(void *address);

/* Delete area @id; B_BAD_VALUE if it is not an area of this process. */
status_t delete_area(area_id id);

/*
 * Resize area @id, and every area sharing its memory, to @newSize bytes
 * (page aligned, not zero).  B_BAD_VALUE, B_ERROR (the next area is in the
 * way), B_NO_MEMORY.
 */
status_t resize_area(area_id id, size_t newSize);

/* Set what area @id allows: B_BAD_VALUE for unknown bits, B_NOT_ALLOWED above
 * the area's maximum protection. */
status_t set_area_protection(area_id id, uint32_t newProtection);

/* Describe area @id: B_OK, or B_BAD_VALUE. */
status_t get_area_info(area_id id, area_info *areaInfo);

/*
 * The areas of @team (B_CURRENT_TEAM or getpid()) in address order: set
 * *@cookie to 0, then call until it returns an error (B_ENTRY_NOT_FOUND
 * after the last area; B_BAD_TEAM_ID for another team).
 */
status_t get_next_area_info(team_id team, ssize_t *cookie, area_info *areaInfo);

/*
 * Reserve @size bytes of the default aspace (Haiku's private
 * _kern_reserve_address_range()): no area goes there unless created with
 * B_EXACT_ADDRESS inside it.  *@address: in, for B_EXACT_ADDRESS and
 * B_BASE_ADDRESS; out, the start of the reservation.
 */
status_t reserve_address_range(addr_t *address, uint32_t addressSpec, addr_t size);

/* Remove every reservation lying entirely in [address, address + size). */
status_t unreserve_address_range(addr_t address, addr_t size);

/*
 * Not Haiku: where the default aspace is (its window in this process), set
 * it up if it is not yet.  Returns B_OK or the set-up's error.
 */
status_t os_area_aspace_range(void **base, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* VMARENA_OS_AREA_H */
