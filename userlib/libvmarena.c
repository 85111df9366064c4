// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvmarena: thin, checked wrappers over the /dev/vmarena ioctls and the
 * mmap window.  Every ioctl struct is zeroed and its size set here.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vmarena/vmarena.h>

#define VMARENA_API __attribute__((visibility("default")))

/* Turn a syscall's -1/errno into the library's -errno (errno stays set). */
static int vmarena_ret(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* Fail with @err: set errno and return -@err. */
static int vmarena_err(int err)
{
	errno = err;
	return -err;
}

/*
 * Copy @name into an ABI name field of VMARENA_NAME_MAX bytes.  NULL is the
 * empty name.  Returns 0, or -EINVAL if it does not fit with its NUL.
 */
static int vmarena_copy_name(char dst[VMARENA_NAME_MAX], const char *name)
{
	size_t len;

	if (!name)
		return 0;
	len = strnlen(name, VMARENA_NAME_MAX);
	if (len >= VMARENA_NAME_MAX)
		return -EINVAL;
	memcpy(dst, name, len);
	return 0;
}

VMARENA_API int vmarena_open(void)
{
	return vmarena_ret(open(VMARENA_DEVICE_PATH, O_RDWR | O_CLOEXEC));
}

VMARENA_API int vmarena_version(int ctl_fd, struct vmarena_version *ver)
{
	if (!ver)
		return vmarena_err(EINVAL);
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return vmarena_ret(ioctl(ctl_fd, VMARENA_IOC_VERSION, ver));
}

/* ---- aspaces ------------------------------------------------------------ */

static int vmarena_aspace_do_create(int ctl_fd, const char *name, uint64_t base,
				    uint64_t length, uint32_t flags, mode_t mode)
{
	struct vmarena_aspace_create arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.flags = flags;
	arg.base = base;
	arg.length = length;
	arg.mode = mode;
	if (vmarena_copy_name(arg.name, name))
		return vmarena_err(EINVAL);
	if (ioctl(ctl_fd, VMARENA_IOC_ASPACE_CREATE, &arg) < 0)
		return -errno;
	return (int)arg.out_fd;
}

VMARENA_API int vmarena_aspace_create(int ctl_fd, const char *name, uint64_t base,
				      uint64_t length)
{
	return vmarena_aspace_do_create(ctl_fd, name, base, length, 0, 0);
}

VMARENA_API int vmarena_aspace_create_persistent(int ctl_fd, const char *name, uint64_t base,
						 uint64_t length, mode_t mode)
{
	if (!name)
		return vmarena_err(EINVAL);
	return vmarena_aspace_do_create(ctl_fd, name, base, length,
					VMARENA_ASPACE_PERSISTENT, mode);
}

/* OPEN and UNLINK share their argument. */
static int vmarena_aspace_by_name(int ctl_fd, unsigned long cmd, const char *name,
				  struct vmarena_aspace_open *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->size = sizeof(*arg);
	if (!name || vmarena_copy_name(arg->name, name))
		return vmarena_err(EINVAL);
	return vmarena_ret(ioctl(ctl_fd, cmd, arg));
}

VMARENA_API int vmarena_aspace_open(int ctl_fd, const char *name)
{
	struct vmarena_aspace_open arg;
	int ret;

	ret = vmarena_aspace_by_name(ctl_fd, VMARENA_IOC_ASPACE_OPEN, name, &arg);
	return ret < 0 ? ret : (int)arg.out_fd;
}

VMARENA_API int vmarena_aspace_unlink(int ctl_fd, const char *name)
{
	struct vmarena_aspace_open arg;
	int ret;

	ret = vmarena_aspace_by_name(ctl_fd, VMARENA_IOC_ASPACE_UNLINK, name, &arg);
	return ret < 0 ? ret : 0;
}

VMARENA_API int vmarena_team_publish(int aspace_fd)
{
	struct vmarena_team arg = { .size = sizeof(arg) };

	return vmarena_ret(ioctl(aspace_fd, VMARENA_IOC_TEAM_PUBLISH, &arg));
}

VMARENA_API int vmarena_team_open(int ctl_fd, pid_t pid)
{
	struct vmarena_team arg = { .size = sizeof(arg), .pid = pid };
	int ret;

	ret = vmarena_ret(ioctl(ctl_fd, VMARENA_IOC_TEAM_OPEN, &arg));
	return ret < 0 ? ret : (int)arg.out_fd;
}

VMARENA_API int vmarena_aspace_info(int aspace_fd, struct vmarena_aspace_info *info)
{
	if (!info)
		return vmarena_err(EINVAL);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return vmarena_ret(ioctl(aspace_fd, VMARENA_IOC_ASPACE_INFO, info));
}

/* ---- areas -------------------------------------------------------------- */

/* Fill the common part of an area-creating argument from @p. */
static int vmarena_area_arg(struct vmarena_area_create *arg, const struct vmarena_area_params *p)
{
	memset(arg, 0, sizeof(*arg));
	arg->size = sizeof(*arg);
	if (!p || vmarena_copy_name(arg->name, p->name))
		return -EINVAL;
	arg->flags = p->flags;
	arg->addr_spec = p->addr_spec;
	arg->address = p->address;
	arg->length = p->length;
	arg->protection = p->protection;
	arg->protection_max = p->protection_max;
	arg->wiring = p->wiring;
	arg->lock_level = p->lock_level;
	return 0;
}

/* Issue an area-creating command: the new id, or -errno. */
static int vmarena_area_do_create(int aspace_fd, unsigned long cmd,
				  struct vmarena_area_create *arg, uint64_t *out_address)
{
	if (ioctl(aspace_fd, cmd, arg) < 0)
		return -errno;
	if (out_address)
		*out_address = arg->out_address;
	return (int)arg->out_id;
}

VMARENA_API int vmarena_area_create_anon(int aspace_fd, const struct vmarena_area_params *p,
					 uint64_t *out_address)
{
	struct vmarena_area_create arg;

	if (vmarena_area_arg(&arg, p))
		return vmarena_err(EINVAL);
	return vmarena_area_do_create(aspace_fd, VMARENA_IOC_AREA_CREATE_ANON, &arg, out_address);
}

VMARENA_API int vmarena_area_create_null(int aspace_fd, const struct vmarena_area_params *p,
					 uint64_t *out_address)
{
	struct vmarena_area_create arg;

	if (vmarena_area_arg(&arg, p))
		return vmarena_err(EINVAL);
	return vmarena_area_do_create(aspace_fd, VMARENA_IOC_AREA_CREATE_NULL, &arg, out_address);
}

VMARENA_API int vmarena_area_map_device(int aspace_fd, const struct vmarena_area_params *p,
					uint64_t phys, uint64_t *out_address)
{
	struct vmarena_area_create arg;

	if (vmarena_area_arg(&arg, p))
		return vmarena_err(EINVAL);
	arg.phys = phys;
	return vmarena_area_do_create(aspace_fd, VMARENA_IOC_AREA_MAP_DEVICE, &arg, out_address);
}

VMARENA_API int vmarena_area_map_file(int aspace_fd, const struct vmarena_area_params *p,
				      int fd, uint64_t offset, uint32_t mapping,
				      uint64_t *out_address)
{
	struct vmarena_area_create arg;

	if (vmarena_area_arg(&arg, p) || fd < 0)
		return vmarena_err(EINVAL);
	arg.fd = (uint32_t)fd;
	arg.file_offset = offset;
	arg.mapping = mapping;
	return vmarena_area_do_create(aspace_fd, VMARENA_IOC_AREA_MAP_FILE, &arg, out_address);
}

VMARENA_API int vmarena_area_clone(int aspace_fd, const struct vmarena_area_params *p,
				   uint32_t source_id, int source_aspace_fd, uint32_t mapping,
				   uint64_t *out_address)
{
	struct vmarena_area_create arg;

	if (vmarena_area_arg(&arg, p))
		return vmarena_err(EINVAL);
	arg.source_id = source_id;
	arg.mapping = mapping;
	if (source_aspace_fd >= 0) {
		arg.flags |= VMARENA_CLONE_SOURCE_FD;
		arg.fd = (uint32_t)source_aspace_fd;
	}
	return vmarena_area_do_create(aspace_fd, VMARENA_IOC_AREA_CLONE, &arg, out_address);
}

/* VMARENA_IOC_AREA_COPY or _TRANSFER (@cmd): the same argument. */
static int vmarena_copy_or_transfer(unsigned long cmd, int aspace_fd,
				    const struct vmarena_area_params *p, uint32_t source_id,
				    int source_aspace_fd, uint64_t *out_address)
{
	struct vmarena_area_copy arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	if (!p || vmarena_copy_name(arg.name, p->name) || p->length || p->protection ||
	    p->protection_max || p->wiring || p->lock_level || p->flags)
		return vmarena_err(EINVAL);
	arg.addr_spec = p->addr_spec;
	arg.address = p->address;
	arg.source_id = source_id;
	if (source_aspace_fd >= 0) {
		arg.flags = VMARENA_COPY_SOURCE_FD;
		arg.fd = (uint32_t)source_aspace_fd;
	}
	if (ioctl(aspace_fd, cmd, &arg) < 0)
		return -errno;
	if (out_address)
		*out_address = arg.out_address;
	return (int)arg.out_id;
}

VMARENA_API int vmarena_area_copy(int aspace_fd, const struct vmarena_area_params *p,
				  uint32_t source_id, int source_aspace_fd, uint64_t *out_address)
{
	return vmarena_copy_or_transfer(VMARENA_IOC_AREA_COPY, aspace_fd, p, source_id,
					source_aspace_fd, out_address);
}

VMARENA_API int vmarena_area_transfer(int aspace_fd, const struct vmarena_area_params *p,
				      uint32_t source_id, int source_aspace_fd,
				      uint64_t *out_address)
{
	return vmarena_copy_or_transfer(VMARENA_IOC_AREA_TRANSFER, aspace_fd, p, source_id,
					source_aspace_fd, out_address);
}

VMARENA_API int vmarena_aspace_copy(int aspace_fd)
{
	struct vmarena_aspace_copy arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	if (ioctl(aspace_fd, VMARENA_IOC_ASPACE_COPY, &arg) < 0)
		return -errno;
	return (int)arg.out_fd;
}

/* DELETE, RESIZE, PROTECT and SYNC: one area and one value. */
static int vmarena_area_op(int aspace_fd, unsigned long cmd, uint32_t id, uint64_t value)
{
	struct vmarena_area_op arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.id = id;
	arg.value = value;
	return vmarena_ret(ioctl(aspace_fd, cmd, &arg));
}

VMARENA_API int vmarena_area_delete(int aspace_fd, uint32_t id)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_AREA_DELETE, id, 0);
}

VMARENA_API int vmarena_area_resize(int aspace_fd, uint32_t id, uint64_t length)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_AREA_RESIZE, id, length);
}

VMARENA_API int vmarena_area_protect(int aspace_fd, uint32_t id, uint32_t protection)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_AREA_PROTECT, id, protection);
}

VMARENA_API int vmarena_area_sync(int aspace_fd, uint32_t id)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_AREA_SYNC, id, 0);
}

VMARENA_API int vmarena_area_lock(int aspace_fd, uint32_t id, uint32_t level)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_AREA_LOCK, id, level);
}

VMARENA_API int vmarena_aspace_superlock(int aspace_fd, uint32_t level)
{
	return vmarena_area_op(aspace_fd, VMARENA_IOC_ASPACE_SUPERLOCK, 0, level);
}

VMARENA_API int vmarena_range_lock(int aspace_fd, uint64_t address, uint64_t length,
				   uint32_t level)
{
	struct vmarena_range_lock arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.level = level;
	arg.address = address;
	arg.length = length;
	return vmarena_ret(ioctl(aspace_fd, VMARENA_IOC_RANGE_LOCK, &arg));
}

VMARENA_API int vmarena_stats(int ctl_fd, struct vmarena_stats *stats)
{
	if (!stats)
		return vmarena_err(EINVAL);
	memset(stats, 0, sizeof(*stats));
	stats->size = sizeof(*stats);
	return vmarena_ret(ioctl(ctl_fd, VMARENA_IOC_STATS, stats));
}

VMARENA_API int vmarena_area_info(int aspace_fd, uint32_t id, struct vmarena_area_info *info)
{
	if (!info)
		return vmarena_err(EINVAL);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->id = id;
	return vmarena_ret(ioctl(aspace_fd, VMARENA_IOC_AREA_INFO, info));
}

VMARENA_API int vmarena_area_find(int aspace_fd, const char *name)
{
	struct vmarena_area_find arg;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	if (!name || vmarena_copy_name(arg.name, name))
		return vmarena_err(EINVAL);
	if (ioctl(aspace_fd, VMARENA_IOC_AREA_FIND, &arg) < 0)
		return -errno;
	return (int)arg.out_id;
}

VMARENA_API int vmarena_area_iterate(int aspace_fd, uint64_t *cookie,
				     struct vmarena_area_info *info)
{
	if (!cookie || !info)
		return vmarena_err(EINVAL);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->cookie = *cookie;
	if (ioctl(aspace_fd, VMARENA_IOC_AREA_ITERATE, info) < 0)
		return -errno;
	*cookie = info->cookie;
	return 0;
}

VMARENA_API int vmarena_page_mapping(int aspace_fd, uint64_t address, uint64_t *out_phys)
{
	struct vmarena_page_mapping arg;

	if (!out_phys)
		return vmarena_err(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.address = address;
	if (ioctl(aspace_fd, VMARENA_IOC_PAGE_MAPPING, &arg) < 0)
		return -errno;
	*out_phys = arg.out_phys;
	return 0;
}

/* ---- windows ------------------------------------------------------------ */

VMARENA_API int vmarena_map_window(int aspace_fd, uint64_t address, size_t length, int prot,
				   int flags, void **out)
{
	void *addr;

	if (!out || address > (uint64_t)INT64_MAX)
		return vmarena_err(EINVAL);
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		flags |= MAP_SHARED;
	addr = mmap(*out, length, prot, flags, aspace_fd, (off_t)address);
	if (addr == MAP_FAILED)
		return -errno;
	*out = addr;
	return 0;
}

VMARENA_API int vmarena_unmap_window(void *addr, size_t length)
{
	return vmarena_ret(munmap(addr, length));
}
