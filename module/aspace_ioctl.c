// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of an aspace fd: one per area operation.  Each validates every
 * input field of its argument (uapi/vmarena.h: unknown flags, reserved and
 * unused fields, names, alignment, ids of other aspaces) before it calls
 * the core; out_* fields are ignored on input and overwritten.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uapi/vmarena.h"
#include "vmarena/vmarena.h"
#include "vmarena/trace.h"
#include "chardev.h"
#include "handle.h"
#include "team.h"
#include "netlink.h"
#include "uarg.h"

/* The area @id if it belongs to @h's aspace, with a reference; else NULL. */
static struct vmarena_area *vmarena_ioctl_area(struct vmarena_handle *h, u32 id)
{
	struct vmarena_area *area = vmarena_area_get_by_id(id);

	if (area && area->aspace != h->as) {
		vmarena_area_put(area);
		area = NULL;
	}
	return area;
}

/*
 * The vmarena_area_op tracepoint (vmarena/trace.h) for an operation of
 * @h's aspace on @area (NULL: none was made).
 */
static void vmarena_ioctl_trace(struct vmarena_handle *h, enum vmarena_area_op_kind op,
				struct vmarena_area *area, u32 source, u64 value, int error)
{
	trace_vmarena_area_op(op, h->as->id, area ? area->id : 0, source, area ? area->base : 0,
			      area ? READ_ONCE(area->size) : 0, value, error);
}

/* The fields every create command uses, into a core spec. */
static int vmarena_ioctl_spec(const struct vmarena_area_create *req, char *name,
			      struct vmarena_area_spec *spec)
{
	if (req->flags & ~(VMARENA_AREA_FLAGS_ALL | VMARENA_CLONE_SOURCE_FD) || req->reserved ||
	    vmarena_name_in(name, req->name, VMARENA_NAME_MAX))
		return -EINVAL;
	if (req->addr_spec == VMARENA_ADDR_ANY && req->address)
		return -EINVAL;
	if (req->address > ULONG_MAX || req->length > ULONG_MAX)
		return -EINVAL;
	*spec = (struct vmarena_area_spec) {
		.name = name,
		.addr_spec = req->addr_spec,
		.base = req->address,
		.size = req->length,
		.protection = req->protection,
		.protection_max = req->protection_max,
		.wiring = req->wiring,
		.lock_level = req->lock_level,
		.flags = req->flags & VMARENA_AREA_FLAGS_ALL,
		.owner = current_euid(),
		.charge_mm = current->mm,
	};
	return 0;
}

/*
 * A file to map: a regular file (EBADF otherwise: the wrong kind of fd),
 * open for reading, and for writing if the mapping is shared and writable
 * (EACCES otherwise, as mmap() says).
 */
static int vmarena_ioctl_file(const struct vmarena_area_create *req, struct file **out)
{
	struct file *file = fget(req->fd);

	if (!file)
		return -EBADF;
	if (!S_ISREG(file_inode(file)->i_mode) || vmarena_handle_from_file(file)) {
		fput(file);
		return -EBADF;
	}
	if (!(file->f_mode & FMODE_READ)) {
		fput(file);
		return -EACCES;
	}
	if (req->mapping == VMARENA_MAP_SHARED && req->protection & VMARENA_PROT_WRITE &&
	    !(file->f_mode & FMODE_WRITE)) {
		fput(file);
		return -EACCES;
	}
	*out = file;
	return 0;
}

/*
 * Is @fd an aspace fd of @as?  0 with *@held set, or -EBADF when @fd is
 * not an aspace fd at all.
 */
static int vmarena_ioctl_fd_holds(u32 fd, struct vmarena_aspace *as, bool *held)
{
	struct vmarena_handle *other;
	struct file *file;

	file = fget(fd);
	if (!file)
		return -EBADF;
	other = vmarena_handle_from_file(file);
	*held = other && other->as == as;
	fput(file);
	return other ? 0 : -EBADF;
}

/*
 * May the caller clone @source into @h's aspace?  Its own aspace, an fd of
 * the source's aspace, or a cloneable area of the caller's euid.
 */
static int vmarena_ioctl_may_clone(struct vmarena_handle *h, const struct vmarena_area_create *req,
				   struct vmarena_area *source)
{
	bool held = false;
	int ret;

	/* An fd named in the request must be an aspace fd, whatever else holds. */
	if (req->flags & VMARENA_CLONE_SOURCE_FD) {
		ret = vmarena_ioctl_fd_holds(req->fd, source->aspace, &held);
		if (ret)
			return ret;
	}
	if (held || source->aspace == h->as)
		return 0;
	if (source->flags & VMARENA_AREA_CLONEABLE && uid_eq(source->owner, current_euid()))
		return 0;
	return -EPERM;
}

/* Make the area @req asks for: 0 and *@out with a reference, or an error. */
static int vmarena_ioctl_create(struct vmarena_handle *h, unsigned int cmd,
				struct vmarena_area_create *req, struct vmarena_area **out)
{
	struct vmarena_area *area = NULL, *source;
	struct vmarena_area_spec spec;
	char name[VMARENA_NAME_MAX];
	struct file *file;
	int ret;

	ret = vmarena_ioctl_spec(req, name, &spec);
	if (ret)
		return ret;
	/* Fields this command does not use must be zero. */
	if (cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_DEVICE) && req->phys)
		return -EINVAL;
	if (cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_FILE) && req->file_offset)
		return -EINVAL;
	if (cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_CLONE) &&
	    (req->source_id || req->flags & VMARENA_CLONE_SOURCE_FD))
		return -EINVAL;
	if (cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_FILE) &&
	    cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_CLONE) && (req->mapping || req->fd))
		return -EINVAL;

	switch (cmd) {
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CREATE_ANON):
		ret = vmarena_area_create_anon(h->as, &spec, &area);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CREATE_NULL):
		ret = vmarena_area_create_null(h->as, &spec, &area);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_DEVICE):
		if (!capable(CAP_SYS_RAWIO))
			return -EPERM;
		ret = vmarena_area_map_device(h->as, &spec, req->phys, &area);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_FILE):
		if (req->mapping != VMARENA_MAP_SHARED && req->mapping != VMARENA_MAP_PRIVATE)
			return -EINVAL;
		if (req->file_offset > LLONG_MAX)
			return -EINVAL;
		ret = vmarena_ioctl_file(req, &file);
		if (ret)
			return ret;
		ret = vmarena_area_map_file(h->as, &spec, file, req->file_offset,
					    req->mapping == VMARENA_MAP_SHARED, &area);
		fput(file);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CLONE):
		if ((req->mapping != VMARENA_MAP_SHARED && req->mapping != VMARENA_MAP_PRIVATE) ||
		    req->length || (req->fd && !(req->flags & VMARENA_CLONE_SOURCE_FD)))
			return -EINVAL;
		source = vmarena_area_get_by_id(req->source_id);
		if (!source)
			return -ENOENT;
		ret = vmarena_ioctl_may_clone(h, req, source);
		if (!ret)
			ret = vmarena_area_clone(h->as, &spec, source,
						 req->mapping == VMARENA_MAP_SHARED, &area);
		vmarena_area_put(source);
		break;
	default:
		return -ENOTTY;
	}
	if (ret)
		return ret;
	req->out_id = area->id;
	req->out_address = area->base;
	*out = area;
	return 0;
}

/*
 * The area-creating commands.  An unwritable argument fails (EFAULT)
 * before anything is made: it is written back once, unchanged, first.  One
 * made unwritable by another thread meanwhile fails the last copy-out:
 * nobody learnt of the area, so it is deleted again (no event is sent for
 * it), though a shared clone's source stays marked shared, as in Haiku.
 */
static long vmarena_ioctl_create_run(struct vmarena_handle *h, unsigned int cmd,
				     void __user *uarg)
{
	struct vmarena_area_create req;
	enum vmarena_area_op_kind op;
	struct vmarena_area *area;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (!ret)
		ret = vmarena_copy_arg_out(uarg, &req, sizeof(req));
	if (ret)
		return ret;
	op = cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_CLONE) ? VMARENA_AREA_OP_CLONE :
							      VMARENA_AREA_OP_CREATE;
	ret = vmarena_ioctl_create(h, cmd, &req, &area);
	if (ret) {
		vmarena_ioctl_trace(h, op, NULL, req.source_id, req.protection, ret);
		return ret;
	}
	ret = vmarena_copy_arg_out(uarg, &req, sizeof(req));
	if (ret)
		vmarena_area_delete(area);
	else
		vmarena_netlink_area_event(VMARENA_CMD_EVT_AREA_NEW, area);
	vmarena_ioctl_trace(h, op, ret ? NULL : area, req.source_id, req.protection, ret);
	vmarena_area_put(area);
	return ret;
}

/* The event an area operation makes. */
static u8 vmarena_ioctl_event(unsigned int cmd)
{
	switch (cmd) {
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_DELETE):
		return VMARENA_CMD_EVT_AREA_DEL;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_RESIZE):
		return VMARENA_CMD_EVT_AREA_RESIZE;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_PROTECT):
		return VMARENA_CMD_EVT_AREA_PROTECT;
	default:
		return VMARENA_CMD_EVT_AREA_LOCK;
	}
}

static int vmarena_ioctl_op(struct vmarena_handle *h, unsigned int cmd,
			    struct vmarena_area_op *op)
{
	enum vmarena_area_op_kind kind;
	struct vmarena_area *area;
	int ret;

	if ((cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_DELETE) ||
	     cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_SYNC)) && op->value)
		return -EINVAL;
	if (((cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_PROTECT) ||
	      cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_LOCK)) && op->value > U32_MAX) ||
	    (cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_RESIZE) &&
	     (op->value > ULONG_MAX || !op->value || !PAGE_ALIGNED(op->value))))
		return -EINVAL;
	area = vmarena_ioctl_area(h, op->id);
	if (!area)
		return -ENOENT;
	switch (cmd) {
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_DELETE):
		kind = VMARENA_AREA_OP_DELETE;
		ret = vmarena_area_delete(area);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_RESIZE):
		kind = VMARENA_AREA_OP_RESIZE;
		ret = vmarena_area_resize(area, op->value, current->mm);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_PROTECT):
		kind = VMARENA_AREA_OP_PROTECT;
		ret = vmarena_area_set_protection(area, op->value);
		break;
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_LOCK):
		kind = op->value == VMARENA_LOCK_UNLOCKED ? VMARENA_AREA_OP_UNLOCK :
							    VMARENA_AREA_OP_LOCK;
		ret = vmarena_area_set_lock(area, op->value, current->mm);
		break;
	default:
		kind = VMARENA_AREA_OP_SYNC;
		ret = vmarena_area_sync(area);
		break;
	}
	if (!ret && cmd != VMARENA_IOC_KEY(VMARENA_IOC_AREA_SYNC))
		vmarena_netlink_area_event(vmarena_ioctl_event(cmd), area);
	vmarena_ioctl_trace(h, kind, area, 0, op->value, ret);
	vmarena_area_put(area);
	return ret;
}

static int vmarena_ioctl_superlock(struct vmarena_handle *h, struct vmarena_area_op *op)
{
	if (op->id || (op->value != VMARENA_LOCK_SUPERLOCKED && op->value != VMARENA_LOCK_UNLOCKED))
		return -EINVAL;
	return vmarena_aspace_superlock(h->as, op->value == VMARENA_LOCK_SUPERLOCKED,
					current->mm);
}

/* Release the caller's locks on the @n areas of @ids (those a failed range lock took). */
static void vmarena_ioctl_range_undo(struct vmarena_handle *h, const u32 *ids, unsigned int n)
{
	struct vmarena_area *area;

	while (n--) {
		area = vmarena_ioctl_area(h, ids[n]);
		if (area) {
			vmarena_area_set_lock(area, VMARENA_LOCK_UNLOCKED, current->mm);
			vmarena_area_put(area);
		}
	}
}

static int vmarena_ioctl_range_lock(struct vmarena_handle *h, struct vmarena_range_lock *req)
{
	struct vmarena_aspace *as = h->as;
	unsigned int n = 0, room;
	struct vmarena_area_desc desc;
	unsigned long cookie, end;
	struct vmarena_area *area;
	bool changed;
	u32 *ids;
	int ret = 0;

	if ((req->level != VMARENA_LOCK_LOCKED && req->level != VMARENA_LOCK_UNLOCKED) ||
	    !req->length || !PAGE_ALIGNED(req->address) || !PAGE_ALIGNED(req->length) ||
	    req->address < as->base || req->length > as->size ||
	    req->address - as->base > as->size - req->length)
		return -EINVAL;
	room = READ_ONCE(as->nr_areas) + 1;
	ids = kcalloc(room, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	end = req->address + req->length;
	/*
	 * Areas in address order, whatever their level (a super-locked
	 * aspace reports every area SUPERLOCKED): the caller's lock is
	 * recorded on each, to hold after a super-lock ends.  A failure
	 * undoes only the locks this call took.
	 */
	for (cookie = as->base; !ret && !vmarena_area_iterate(as, &cookie, &desc) &&
	     desc.base < end;) {
		if (desc.base + desc.size <= req->address)
			continue;
		if (n == room) {	/* areas were created meanwhile */
			ret = -EAGAIN;
			break;
		}
		area = vmarena_ioctl_area(h, desc.id);
		if (!area)
			continue;	/* deleted meanwhile */
		ret = vmarena_area_change_lock(area, req->level, current->mm, &changed);
		if (changed)
			vmarena_netlink_area_event(VMARENA_CMD_EVT_AREA_LOCK, area);
		vmarena_area_put(area);
		if (changed)
			ids[n++] = desc.id;
	}
	if (ret && req->level == VMARENA_LOCK_LOCKED)	/* undo what this call locked */
		vmarena_ioctl_range_undo(h, ids, n);
	kfree(ids);
	return ret;
}

/*
 * May the caller copy @source into @h's aspace?  The rules of a clone
 * (vmarena_ioctl_may_clone()), with VMARENA_COPY_SOURCE_FD naming @fd.
 */
static int vmarena_ioctl_may_copy(struct vmarena_handle *h, const struct vmarena_area_copy *req,
				  struct vmarena_area *source)
{
	struct vmarena_area_create c = {
		.flags = req->flags & VMARENA_COPY_SOURCE_FD ? VMARENA_CLONE_SOURCE_FD : 0,
		.fd = req->fd,
	};

	return vmarena_ioctl_may_clone(h, &c, source);
}

/*
 * May the caller move @source into @h's aspace?  Only with authority over
 * the source's aspace: its own aspace, or an fd of it named in @req.
 */
static int vmarena_ioctl_may_transfer(struct vmarena_handle *h,
				      const struct vmarena_area_copy *req,
				      struct vmarena_area *source)
{
	bool held;
	int ret;

	if (!(req->flags & VMARENA_COPY_SOURCE_FD))
		return source->aspace == h->as ? 0 : -EPERM;
	ret = vmarena_ioctl_fd_holds(req->fd, source->aspace, &held);
	if (ret)
		return ret;
	return held ? 0 : -EPERM;
}

/*
 * VMARENA_IOC_AREA_COPY and _TRANSFER (@transfer): @req checked, the copy
 * made or the area moved, *@out referenced.
 */
static int vmarena_ioctl_copy(struct vmarena_handle *h, struct vmarena_area_copy *req,
			      bool transfer, struct vmarena_area **out)
{
	struct vmarena_area_spec spec = {
		.addr_spec = req->addr_spec,
		.base = req->address,
		.owner = current_euid(),
		.charge_mm = current->mm,
	};
	char name[VMARENA_NAME_MAX];
	struct vmarena_area *source;
	int ret;

	if (req->flags & ~VMARENA_COPY_FLAGS_ALL || req->reserved ||
	    vmarena_name_in(name, req->name, sizeof(name)) ||
	    req->addr_spec > VMARENA_ADDR_BASE || req->address > ULONG_MAX ||
	    !PAGE_ALIGNED(req->address) || (req->addr_spec == VMARENA_ADDR_ANY && req->address) ||
	    (req->fd && !(req->flags & VMARENA_COPY_SOURCE_FD)))
		return -EINVAL;
	spec.name = name;
	source = vmarena_area_get_by_id(req->source_id);
	if (!source)
		return -ENOENT;
	if (transfer) {
		ret = vmarena_ioctl_may_transfer(h, req, source);
		if (!ret)
			ret = vmarena_area_transfer(h->as, &spec, source, out);
	} else {
		ret = vmarena_ioctl_may_copy(h, req, source);
		if (!ret)
			ret = vmarena_area_copy(h->as, &spec, source, out);
	}
	vmarena_area_put(source);
	if (ret)
		return ret;
	req->out_id = (*out)->id;
	req->out_reserved = 0;
	req->out_address = (*out)->base;
	return 0;
}

/*
 * As vmarena_ioctl_create_run(): an unwritable argument fails before
 * anything is done, and a copy nobody learnt of is deleted again.  A move
 * cannot be undone: one whose argument became unwritable meanwhile
 * stands, and the command still fails with EFAULT.
 */
static long vmarena_ioctl_copy_run(struct vmarena_handle *h, void __user *uarg, bool transfer)
{
	enum vmarena_area_op_kind op;
	struct vmarena_area_copy req;
	struct vmarena_area *area;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (!ret)
		ret = vmarena_copy_arg_out(uarg, &req, sizeof(req));
	if (ret)
		return ret;
	op = transfer ? VMARENA_AREA_OP_TRANSFER : VMARENA_AREA_OP_COPY;
	ret = vmarena_ioctl_copy(h, &req, transfer, &area);
	if (ret) {
		vmarena_ioctl_trace(h, op, NULL, req.source_id, req.flags, ret);
		return ret;
	}
	ret = vmarena_copy_arg_out(uarg, &req, sizeof(req));
	if (ret && !transfer)
		vmarena_area_delete(area);
	else
		vmarena_netlink_area_event(VMARENA_CMD_EVT_AREA_NEW, area);
	vmarena_ioctl_trace(h, op, ret && !transfer ? NULL : area, req.source_id, req.flags, ret);
	vmarena_area_put(area);
	return ret;
}

/*
 * VMARENA_IOC_ASPACE_COPY: a new unnamed aspace with @h's range and a copy
 * of each of its areas; on failure the new aspace goes with its last
 * reference (vmarena_ioc_hand_out() drops it too).
 */
static long vmarena_ioctl_aspace_copy(struct vmarena_handle *h, void __user *uarg)
{
	struct vmarena_area_spec spec = { .owner = current_euid(), .charge_mm = current->mm };
	struct vmarena_aspace_create create = { .size = sizeof(create) };
	struct vmarena_aspace_copy req;
	struct vmarena_handle *copy;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (!ret)	/* unwritable: fail before the sources are layered */
		ret = vmarena_copy_arg_out(uarg, &req, sizeof(req));
	if (ret)
		return ret;
	if (req.flags || req.reserved)
		return -EINVAL;
	create.base = h->as->base;
	create.length = h->as->size;
	copy = vmarena_handle_create(&create);
	if (IS_ERR(copy))
		return PTR_ERR(copy);
	ret = vmarena_aspace_copy(copy->as, h->as, &spec);
	if (ret) {
		vmarena_handle_put(copy);
		return ret;
	}
	req.out_reserved = 0;
	return vmarena_ioc_hand_out(copy, uarg, &req, sizeof(req), &req.out_id, &req.out_fd);
}

static void vmarena_ioctl_info_out(struct vmarena_area_info *info,
				   const struct vmarena_area_desc *d)
{
	info->id = d->id;
	memcpy(info->out_name, d->name, sizeof(info->out_name));
	info->out_base = d->base;
	info->out_length = d->size;
	info->out_protection = d->protection;
	info->out_protection_max = d->protection_max;
	info->out_wiring = d->wiring;
	info->out_lock_level = d->lock_level;
	info->out_flags = d->flags;
	info->out_cache_depth = d->cache_depth;
	info->out_resident = d->resident;
	info->out_copies = d->copies;
}

static int vmarena_ioctl_info(struct vmarena_handle *h, unsigned int cmd,
			      struct vmarena_area_info *info)
{
	struct vmarena_area_desc desc;
	struct vmarena_area *area;
	unsigned long cookie;
	int ret;

	if (cmd == VMARENA_IOC_KEY(VMARENA_IOC_AREA_ITERATE)) {
		if (info->cookie > ULONG_MAX)	/* @id is an output here */
			return -EINVAL;
		cookie = info->cookie;
		ret = vmarena_area_iterate(h->as, &cookie, &desc);
		if (ret)
			return ret;
		info->cookie = cookie;
	} else {
		if (info->cookie)
			return -EINVAL;
		area = vmarena_ioctl_area(h, info->id);
		if (!area)
			return -ENOENT;
		ret = vmarena_area_get_info(area, &desc);
		vmarena_area_put(area);
		if (ret)
			return ret;
	}
	vmarena_ioctl_info_out(info, &desc);
	return 0;
}

static int vmarena_ioctl_find(struct vmarena_handle *h, struct vmarena_area_find *req)
{
	char name[VMARENA_NAME_MAX];
	struct vmarena_area *area;

	if (req->reserved || vmarena_name_in(name, req->name, sizeof(name)))
		return -EINVAL;
	area = vmarena_area_find_by_name(h->as, name);
	if (!area)
		return -ENOENT;
	req->out_id = area->id;
	req->out_reserved = 0;
	vmarena_area_put(area);
	return 0;
}

static int vmarena_ioctl_page_mapping(struct vmarena_handle *h, struct vmarena_page_mapping *req)
{
	phys_addr_t phys;
	int ret;

	if (req->reserved || req->address > ULONG_MAX)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vmarena_get_page_mapping(h->as, req->address, &phys);
	if (ret)
		return ret;
	req->out_phys = phys;
	return 0;
}

static int vmarena_ioctl_aspace_info(struct vmarena_handle *h, struct vmarena_aspace_info *req)
{
	if (req->reserved)
		return -EINVAL;
	req->out_id = h->as->id;
	req->out_flags = READ_ONCE(h->flags);
	req->out_base = h->as->base;
	req->out_length = h->as->size;
	req->out_areas = READ_ONCE(h->as->nr_areas);
	req->out_reserved = 0;
	memcpy(req->out_name, h->as->name, sizeof(req->out_name));
	req->out_faults = vmarena_aspace_faults(h->as);
	req->out_window_faults = atomic64_read(&h->as->window_faults);
	return 0;
}

/*
 * Each command: copy the argument in, act on the kernel's copy, copy it
 * back out if the command has outputs (_IOR/_IOWR @cmd).  A command
 * without outputs (_IOW) never writes its argument, so a read-only one
 * cannot make it fail after it acted.  The struct type fixes the size
 * that is checked.
 */
/* VMARENA_IOC_TEAM_PUBLISH: @h's aspace becomes the caller's own. */
static int vmarena_ioctl_team_publish(struct vmarena_handle *h, struct vmarena_team *req)
{
	if (req->pid || req->flags || req->reserved)
		return -EINVAL;
	return vmarena_team_publish(h);
}

/* @min: the size of the struct's first version (older callers' size). */
#define VMARENA_IOCTL_RUN_MIN(type, min, uarg, cmd, fn, ...)			\
	({									\
		void __user *__uarg = (uarg);					\
		type __req;							\
		int __ret = vmarena_copy_arg_in(&__req, sizeof(__req), (min),	\
						__uarg);			\
		if (!__ret)							\
			__ret = fn(__VA_ARGS__, &__req);			\
		if (!__ret && _IOC_DIR(cmd) & _IOC_READ)			\
			__ret = vmarena_copy_arg_out(__uarg, &__req, sizeof(__req)); \
		__ret;								\
	})

#define VMARENA_IOCTL_RUN(type, uarg, cmd, fn, ...)				\
	VMARENA_IOCTL_RUN_MIN(type, sizeof(type), uarg, cmd, fn, __VA_ARGS__)

/**
 * vmarena_aspace_ioctl() - the ioctls of an aspace fd
 * @file: an aspace fd
 * @cmd: a VMARENA_IOC_* aspace or area command
 * @arg: its argument
 *
 * Context: process context, no locks held.
 */
long vmarena_aspace_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vmarena_handle *h = file->private_data;
	void __user *uarg = (void __user *)arg;
	unsigned int key = VMARENA_IOC_KEY(cmd);

	switch (key) {
	case VMARENA_IOC_KEY(VMARENA_IOC_VERSION):
		return vmarena_ioc_version(uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_INFO):
		return VMARENA_IOCTL_RUN_MIN(struct vmarena_aspace_info,
					     offsetofend(struct vmarena_aspace_info, out_faults),
					     uarg, key, vmarena_ioctl_aspace_info, h);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CREATE_ANON):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CREATE_NULL):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_DEVICE):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_MAP_FILE):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_CLONE):
		return vmarena_ioctl_create_run(h, key, uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_DELETE):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_RESIZE):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_PROTECT):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_SYNC):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_LOCK):
		return VMARENA_IOCTL_RUN(struct vmarena_area_op, uarg, key, vmarena_ioctl_op, h,
					 key);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_INFO):
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_ITERATE):
		return VMARENA_IOCTL_RUN(struct vmarena_area_info, uarg, key, vmarena_ioctl_info,
					 h, key);
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_SUPERLOCK):
		return VMARENA_IOCTL_RUN(struct vmarena_area_op, uarg, key,
					 vmarena_ioctl_superlock, h);
	case VMARENA_IOC_KEY(VMARENA_IOC_RANGE_LOCK):
		return VMARENA_IOCTL_RUN(struct vmarena_range_lock, uarg, key,
					 vmarena_ioctl_range_lock, h);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_FIND):
		return VMARENA_IOCTL_RUN(struct vmarena_area_find, uarg, key, vmarena_ioctl_find,
					 h);
	case VMARENA_IOC_KEY(VMARENA_IOC_PAGE_MAPPING):
		return VMARENA_IOCTL_RUN(struct vmarena_page_mapping, uarg, key,
					 vmarena_ioctl_page_mapping, h);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_COPY):
		return vmarena_ioctl_copy_run(h, uarg, false);
	case VMARENA_IOC_KEY(VMARENA_IOC_AREA_TRANSFER):
		return vmarena_ioctl_copy_run(h, uarg, true);
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_COPY):
		return vmarena_ioctl_aspace_copy(h, uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_TEAM_PUBLISH):
		return VMARENA_IOCTL_RUN(struct vmarena_team, uarg, key,
					 vmarena_ioctl_team_publish, h);
	default:
		return -ENOTTY;
	}
}
