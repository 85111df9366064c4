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
 * fork(), as Haiku's, copies every area of the process to the child at
 * the same address: clones, shared file areas and B_SHARED_AREA areas
 * (and, as in Haiku, the source of every clone) stay shared; every other
 * area becomes the child's own, copy-on-write, and neither side sees the
 * other's later writes; B_FULL_LOCK and contiguous areas are copied whole,
 * so the child takes no fault on them.  The copy is the aspace as it was
 * when fork() was called (made under the library's lock in the prepare
 * handler; the child maps it over the window it inherited).  vfork(),
 * posix_spawn() and exec() are not affected: exec starts afresh (the
 * aspace fd is close-on-exec).  area_info.ram_size counts the pages an
 * area maps now, copy_count its copy-on-write copies.
 *
 * Where this differs from Haiku, and why (everything else is meant to
 * behave as on Haiku: report what does not):
 *
 *  - Where areas live: in the process's default aspace, OS_AREA_ASPACE_SIZE
 *    bytes (less if the process cannot reserve that much;
 *    os_area_aspace_range() says where), because vmarena is an arena
 *    beside the process's address space, not the address space itself.
 *    Stack, heap and mmap(2) memory are not areas (area_for(): B_ERROR;
 *    B_EXACT_ADDRESS there: B_BAD_VALUE).  B_BASE_ADDRESS below the
 *    aspace starts at its base.
 *  - Teams: the team is this process (area_info.team is getpid()), and the
 *    calls see only its areas (another's is B_BAD_VALUE, B_NAME_NOT_FOUND
 *    for find_area(); get_next_area_info() of another team is
 *    B_BAD_TEAM_ID), because Linux gives no process power over another's
 *    memory without a capability check.  That check is vmarena's: another
 *    process's area can be cloned when it is B_CLONEABLE_AREA and of the
 *    same euid, and transfer_area() moves an area into a process of the
 *    same euid (any, with CAP_SYS_ADMIN) that has made one call of this
 *    API, which publishes its aspace (vmarena_team_publish()); before
 *    that it has no aspace to receive one (B_BAD_TEAM_ID).  Its aspace
 *    lies elsewhere in its process, so B_CLONE_ADDRESS into it works only
 *    where its aspace covers the address (a forked child's does).
 *  - fork() cannot fail for want of memory as Haiku's can: the copy is
 *    made in a pthread_atfork() handler, and if it fails (memory,
 *    RLIMIT_MEMLOCK for wired areas) the child's window is left
 *    inaccessible (SIGSEGV) and every call in the child returns
 *    B_NO_MEMORY or B_ERROR.  B_CONTIGUOUS areas are copied as B_FULL_LOCK
 *    ones, not as physical runs (the kernel places runs only at creation).
 *    A clone's source is marked shared from when the clone is made.
 *  - Protection: no B_STACK_AREA (B_BAD_VALUE) and no B_KERNEL_* bits,
 *    as userland has no use for them.  x86 cannot map write-only or
 *    execute-only pages, so such an area can also be read.  Execute
 *    permission is checked when a page is faulted in: a page a load has
 *    mapped stays executable until vmarena unmaps it (module/window.c
 *    says why); where /dev is mounted noexec no area's code runs.
 *    B_CLONEABLE_AREA, B_OVERCOMMITTING_AREA and B_SHARED_AREA are fixed
 *    when the area is made (B_SHARED_AREA also when it is cloned), as
 *    vmarena's area flags are: set_area_protection() leaves them as they
 *    are, and asking for one the area lacks is B_BAD_VALUE.
 *  - Lock: B_LAZY_LOCK is B_NO_LOCK (both fault pages in on first touch;
 *    area_info says B_NO_LOCK).  B_32_BIT_FULL_LOCK gets a contiguous run
 *    below 4 GiB, as B_32_BIT_CONTIGUOUS does, because the kernel places
 *    only runs below a limit: so it is limited as B_CONTIGUOUS is (4 MiB,
 *    never resized) and area_info says B_CONTIGUOUS.
 *  - lock_memory()/unlock_memory() lock whole areas (vmarena's locks
 *    belong to areas) and do not nest within a process: one
 *    unlock_memory() ends what every lock_memory() on the area took.
 *    Only memory in the default aspace can be locked.  mlock(2) on area
 *    memory succeeds and does nothing (Haiku's wires), because Linux skips
 *    the window's special mapping and tells vmarena nothing: use
 *    lock_memory().
 *  - Types and B_PAGE_SIZE come from this header: a Haiku program
 *    includes it instead of <OS.h>, which has much more than areas.
 *  - B_RANDOMIZED_* addresses are picked by the library, so a process
 *    sharing the aspace may take the spot in between: the call then takes
 *    the first fit.  B_ANY_KERNEL_* addresses are B_BAD_VALUE.
 *    B_CLONE_ADDRESS within one process is B_BAD_VALUE (taken, as in
 *    Haiku within one team), and for a source in another process too (its
 *    address is not known here).
 *  - Reservations (reserve_address_range(), Haiku's
 *    _kern_reserve_address_range()) are vmarena null areas that the
 *    library cuts and re-creates around the areas made or resized in
 *    them, so those steps are not atomic: a process with an fd of the
 *    aspace could take a range in between, and a failed re-creation
 *    leaves a range unreserved (within one process the library's mutex
 *    orders every call).  A growth through more than 64 reservations is
 *    B_ERROR.  B_ANY_ADDRESS and B_BASE_ADDRESS never place an area
 *    inside a reservation (Haiku may, as a last resort).
 *  - resize_area() says B_NO_MEMORY both for the commit limit and for a
 *    sharer in another aspace that cannot grow (vmarena does not tell
 *    them apart).
 *  - The calls are real functions, not macros over _get_area_info();
 *    area_for() and get_next_area_info() cost an ioctl per area below the
 *    one they find.  area_info's in_count and out_count are 0.
 *  - A failed set-up of the library (no /dev/vmarena, no address space
 *    for the window) makes every call return B_NO_MEMORY,
 *    B_PERMISSION_DENIED or B_ERROR; it is retried on the next call.
 */
#ifndef VMARENA_OS_AREA_H
#define VMARENA_OS_AREA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Haiku's integer types (SupportDefs.h, OS.h), for code that uses them with
 * the area API.  None clashes with a name the C library defines.
 */
typedef int8_t		int8;
typedef uint8_t		uint8;
typedef int16_t		int16;
typedef uint16_t	uint16;
typedef int32_t		int32;
typedef uint32_t	uint32;
typedef int64_t		int64;
typedef uint64_t	uint64;
typedef int32		status_t;
typedef int64		bigtime_t;
typedef int64		nanotime_t;
typedef uint32		type_code;
typedef uint32		perform_code;
typedef uintptr_t	addr_t;
typedef uint64		phys_addr_t;
typedef uint64		phys_size_t;
typedef uint64		generic_addr_t;
typedef uint64		generic_size_t;
typedef int32		area_id;
typedef int32		port_id;
typedef int32		sem_id;
typedef int32		team_id;
typedef int32		thread_id;

/* Haiku's page size on x86 (OS.h), which is x86 Linux's too. */
#define B_PAGE_SIZE		4096

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

/* lock_memory() and unlock_memory() flags (Haiku's KernelExport.h). */
#define B_DMA_IO		0x00000001
#define B_READ_DEVICE		0x00000002

/* Protection and area flags. */
#define B_READ_AREA		(1 << 0)
#define B_WRITE_AREA		(1 << 1)
#define B_EXECUTE_AREA		(1 << 2)
#define B_STACK_AREA		(1 << 3)
#define B_CLONEABLE_AREA	(1 << 8)
#define B_OVERCOMMITTING_AREA	(1 << 12)
#define B_SHARED_AREA		(1 << 13)

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

/*
 * Move area @id of this process into team @target's aspace (Haiku's
 * transfer_area()): the same memory (nothing is copied), name, size,
 * protection and lock; B_CLONE_ADDRESS asks for its current address.
 * Returns its new id (*@address: where it is in @target) or B_BAD_VALUE
 * (no such area, bad spec, the address taken), B_BAD_TEAM_ID (no such
 * process, or one without a default aspace), B_NOT_ALLOWED (another
 * user's), B_NO_MEMORY.  On failure the area stays where it was.
 */
area_id transfer_area(area_id id, void **address, uint32_t addressSpec, team_id target);

/* Haiku's system call behind transfer_area() (<syscalls.h>), as its tests call it. */
static inline area_id _kern_transfer_area(area_id id, void **address, uint32_t addressSpec,
					  team_id target)
{
	return transfer_area(id, address, addressSpec, target);
}

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
 * Keep the areas overlapping [@address, @address + @numBytes) in memory
 * (Haiku's lock_memory(); the range is rounded out to pages, and out to the
 * whole areas it touches, since vmarena locks areas): VMARENA_IOC_RANGE_LOCK
 * on the default aspace.  Each area's size counts against RLIMIT_MEMLOCK
 * until it is unlocked or deleted.  @flags: B_DMA_IO, B_READ_DEVICE (no
 * other effect).  Returns B_OK, B_BAD_VALUE (unknown flags, a range outside
 * the aspace, numBytes 0), B_NO_MEMORY (RLIMIT_MEMLOCK, or no memory).
 */
status_t lock_memory(void *address, size_t numBytes, uint32_t flags);

/* Undo lock_memory() on the same range: B_OK or B_BAD_VALUE. */
status_t unlock_memory(void *address, size_t numBytes, uint32_t flags);

/*
 * Not Haiku: where the default aspace is (its window in this process), set
 * it up if it is not yet.  Returns B_OK or the set-up's error.
 */
status_t os_area_aspace_range(void **base, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* VMARENA_OS_AREA_H */
