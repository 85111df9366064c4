/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmarena: a NewOS/Haiku-style virtual-memory arena, as a character device.
 *
 * This header is the whole user ABI of /dev/vmarena.  It is usable from
 * kernel and user space: every field is a __u32 or __u64, pointers travel as
 * __u64, and every struct is padded to a multiple of 64 bits.
 *
 * Extensibility: every ioctl argument begins with a __u32 @size that the
 * caller sets to sizeof() of the struct it was compiled with.  The kernel
 * accepts a smaller @size (older callers: missing fields read as zero) and a
 * larger one as long as the bytes it does not know are zero
 * (copy_struct_from_user()).  Commands are dispatched on their type letter
 * and number, not on the size encoded in the command.
 *
 * Errno contract, common to every ioctl:
 *   EINVAL  @size too small, nonzero reserved fields or unknown flag bits,
 *           or a field out of range.
 *   E2BIG   @size larger than the kernel knows and the extra bytes nonzero.
 *   EFAULT  the argument pointer is not readable or writable.
 *   ENOTTY  the command is not a vmarena command.
 */
#ifndef _UAPI_VMARENA_H
#define _UAPI_VMARENA_H

#include <linux/types.h>
#include <linux/ioctl.h>

/** VMARENA_ABI_VERSION - bumped on every incompatible ABI change */
#define VMARENA_ABI_VERSION	1

/* Device node: /dev/vmarena, char major 10 (misc), minor from the range
 * that Documentation/admin-guide/devices.txt reserves for local use.
 */
#define VMARENA_DEVICE_NAME	"vmarena"
#define VMARENA_MISC_MINOR	248

/* ioctl type letter: unused in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define VMARENA_IOC_TYPE	'J'

/*
 * Features reported by VMARENA_IOC_VERSION.  A bit is set when the running
 * module implements the capability; user space checks bits, not versions.
 */
#define VMARENA_FEATURES_ALL	0ULL

/**
 * struct vmarena_version - handshake
 * @size: in: sizeof(struct vmarena_version)
 * @out_abi_version: %VMARENA_ABI_VERSION of the running module
 * @out_features: VMARENA_FEATURE_* bits implemented by the running module
 * @out_module_version: the module's version as
 *	major << 16 | minor << 8 | patch
 * @reserved: must be zero
 *
 * Fields named out_* are written by the kernel and ignored on input.
 */
struct vmarena_version {
	__u32 size;
	__u32 out_abi_version;
	__u64 out_features;
	__u32 out_module_version;
	__u32 reserved;
};

#define VMARENA_IOC_VERSION	_IOWR(VMARENA_IOC_TYPE, 0x00, struct vmarena_version)

/* Names of aspaces and areas: at most VMARENA_NAME_MAX bytes with the NUL. */
#define VMARENA_NAME_MAX	32

/* Area protection bits.  protection_max bounds what clones may ask for. */
#define VMARENA_PROT_READ	0x1
#define VMARENA_PROT_WRITE	0x2
#define VMARENA_PROT_EXEC	0x4
#define VMARENA_PROT_ALL	(VMARENA_PROT_READ | VMARENA_PROT_WRITE | VMARENA_PROT_EXEC)

/* Where an area goes (NewOS address specs). */
#define VMARENA_ADDR_ANY	0	/* anywhere it fits, lowest first */
#define VMARENA_ADDR_EXACT	1	/* exactly at the given base */
#define VMARENA_ADDR_BASE	2	/* first fit at or above the given base */

/* How an area's pages come to be (NewOS wiring). */
#define VMARENA_WIRING_LAZY		0	/* allocated and mapped on first touch */
#define VMARENA_WIRING_WIRED		1	/* faulted in and wired at creation */
#define VMARENA_WIRING_ALREADY_WIRED	2	/* maps pages its cache already holds */
#define VMARENA_WIRING_CONTIGUOUS	3	/* one physically contiguous run, wired */

/* Lock levels (QNX): whether pages may leave memory, and whether faults run. */
#define VMARENA_LOCK_UNLOCKED		0	/* pageable */
#define VMARENA_LOCK_LOCKED		1	/* resident; faults track use and writes */
#define VMARENA_LOCK_SUPERLOCKED	2	/* resident, fully mapped, no faults */

#endif /* _UAPI_VMARENA_H */
