// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmarena: the misc device, its file operations and ioctl dispatch.
 *
 * Every ioctl argument starts with a __u32 size and is copied with
 * copy_struct_from_user(), so that old and new user space keep working as
 * structs grow.  Commands are dispatched on their type letter and number.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "uapi/vmarena.h"
#include "chardev.h"
#include "handle.h"
#include "team.h"
#include "uarg.h"
#include "vmarena/vmarena.h"
#include "vmarena/swap.h"

#define VMARENA_VERSION_CODE \
	(VMARENA_VERSION_MAJOR << 16 | VMARENA_VERSION_MINOR << 8 | VMARENA_VERSION_PATCH)

/**
 * vmarena_version_fill() - the handshake's answer
 * @ver: filled in; @ver->size is left alone
 */
VISIBLE_IF_KUNIT void vmarena_version_fill(struct vmarena_version *ver)
{
	ver->out_abi_version = VMARENA_ABI_VERSION;
	ver->out_features = VMARENA_FEATURES_ALL;
	ver->out_module_version = VMARENA_VERSION_CODE;
	ver->reserved = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_version_fill);

/**
 * vmarena_ioc_version() - VMARENA_IOC_VERSION, on the control fd and on
 *	aspace fds alike
 * @uarg: the user's struct vmarena_version
 *
 * Context: process context, no locks held.
 */
long vmarena_ioc_version(void __user *uarg)
{
	struct vmarena_version ver;
	int ret;

	ret = vmarena_copy_arg_in(&ver, sizeof(ver), sizeof(ver), uarg);
	if (ret)
		return ret;
	if (ver.reserved)
		return -EINVAL;
	vmarena_version_fill(&ver);
	return vmarena_copy_arg_out(uarg, &ver, sizeof(ver));
}

/*
 * Give the caller an fd for @h (passing it @h's reference): the fd is
 * installed only once the argument, with the fd in it, has been copied out.
 */
int vmarena_ioc_hand_out(struct vmarena_handle *h, void __user *uarg, void *req,
			 size_t size, u32 *id, u32 *fd)
{
	struct file *file;
	int ret;

	ret = vmarena_handle_new_file(h, &file);
	if (ret < 0) {
		vmarena_handle_put(h);
		return ret;
	}
	*id = h->as->id;
	*fd = ret;
	ret = vmarena_copy_arg_out(uarg, req, size);
	if (ret) {
		put_unused_fd(*fd);
		fput(file);
		return ret;
	}
	fd_install(*fd, file);
	return 0;
}

static long vmarena_ioc_aspace_create(void __user *uarg)
{
	struct vmarena_aspace_create req;
	struct vmarena_handle *h;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (ret)
		return ret;
	if (req.base > ULONG_MAX || req.length > ULONG_MAX)
		return -EINVAL;
	h = vmarena_handle_create(&req);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = vmarena_ioc_hand_out(h, uarg, &req, sizeof(req), &req.out_id, &req.out_fd);
	/* A persistent aspace nobody learnt about is not left behind. */
	if (ret && req.flags & VMARENA_ASPACE_PERSISTENT)
		vmarena_handle_unlink(req.name);
	return ret;
}

static long vmarena_ioc_aspace_open(unsigned int cmd, void __user *uarg)
{
	struct vmarena_aspace_open req;
	char name[VMARENA_NAME_MAX];
	struct vmarena_handle *h;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (ret)
		return ret;
	if (req.reserved || vmarena_name_in(name, req.name, sizeof(name)))
		return -EINVAL;
	if (cmd == VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_UNLINK))
		return vmarena_handle_unlink(name);

	h = vmarena_handle_open(name);
	if (IS_ERR(h))
		return PTR_ERR(h);
	return vmarena_ioc_hand_out(h, uarg, &req, sizeof(req), &req.out_id, &req.out_fd);
}

/* VMARENA_IOC_TEAM_OPEN: an fd of the aspace a process published. */
static long vmarena_ioc_team_open(void __user *uarg)
{
	struct vmarena_team req;
	struct vmarena_handle *h;
	int ret;

	ret = vmarena_copy_arg_in(&req, sizeof(req), sizeof(req), uarg);
	if (ret)
		return ret;
	if (req.flags || req.reserved || req.pid <= 0)
		return -EINVAL;
	h = vmarena_team_open(req.pid);
	if (IS_ERR(h))
		return PTR_ERR(h);
	return vmarena_ioc_hand_out(h, uarg, &req, sizeof(req), &req.out_id, &req.out_fd);
}

static long vmarena_ioc_stats(void __user *uarg)
{
	struct vmarena_page_stats pages;
	u64 events[VMARENA_STAT_NR];
	struct vmarena_stats req;
	int ret, i;

	/* The ABI's page-state numbers are the core's. */
	static_assert(VMARENA_PAGE_NR_STATES == VMARENA_PAGE_STATES);
	static_assert(VMARENA_PAGE_WIRED == VMARENA_PAGE_STATE_WIRED);
	static_assert(VMARENA_PAGE_BUSY == VMARENA_PAGE_STATE_BUSY);
	ret = vmarena_copy_arg_in(&req, sizeof(req),
				  offsetofend(struct vmarena_stats, out_pagedaemon_scans), uarg);
	if (ret)
		return ret;
	if (req.reserved)
		return -EINVAL;
	vmarena_stats_read(events);
	vmarena_page_get_stats(&pages);
	req = (struct vmarena_stats){ .size = req.size };
	req.out_faults = events[VMARENA_STAT_FAULTS];
	req.out_faults_mapped = events[VMARENA_STAT_FAULTS_MAPPED];
	req.out_faults_minor = events[VMARENA_STAT_FAULTS_MINOR];
	req.out_faults_zero = events[VMARENA_STAT_FAULTS_ZERO];
	req.out_faults_major = events[VMARENA_STAT_FAULTS_MAJOR];
	req.out_faults_cow = events[VMARENA_STAT_FAULTS_COW];
	req.out_pageins = events[VMARENA_STAT_PAGEINS];
	req.out_pageouts = events[VMARENA_STAT_PAGEOUTS];
	req.out_pages_total = pages.total;
	req.out_pages_max = pages.max_pages;
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++)
		req.out_pages[i] = pages.count[i];
	req.out_commit_used = pages.committed;
	req.out_commit_limit = pages.max_commit;
	vmarena_swap_stats(&req.out_swap_used, &req.out_swap_total);
	req.out_write_tracked = events[VMARENA_STAT_WRITE_TRACKED];
	req.out_pagedaemon_wakeups = events[VMARENA_STAT_PAGEDAEMON_WAKEUPS];
	req.out_pagedaemon_scans = events[VMARENA_STAT_PAGEDAEMON_SCANS];
	req.out_pagedaemon_referenced = events[VMARENA_STAT_PAGEDAEMON_REFERENCED];
	req.out_clear_hits = pages.clear_hits;
	req.out_clear_misses = pages.clear_misses;
	req.out_page_meta_bytes = pages.meta_bytes;
	/* Both counters only grow; their difference is what is held now. */
	req.out_ptfrag_tables = events[VMARENA_STAT_PTFRAG_TABLES_ALLOC] -
				events[VMARENA_STAT_PTFRAG_TABLES_FREE];
	req.out_faults_ahead = events[VMARENA_STAT_FAULTS_AHEAD];
	req.out_file_handovers = events[VMARENA_STAT_FILE_HANDOVERS];
	req.out_file_pending = vmarena_filecache_pending();
	return vmarena_copy_arg_out(uarg, &req, sizeof(req));
}

/* The control fd: the handshake, the aspace commands and the counters. */
static long vmarena_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (VMARENA_IOC_KEY(cmd)) {
	case VMARENA_IOC_KEY(VMARENA_IOC_VERSION):
		return vmarena_ioc_version(uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_CREATE):
		return vmarena_ioc_aspace_create(uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_OPEN):
	case VMARENA_IOC_KEY(VMARENA_IOC_ASPACE_UNLINK):
		return vmarena_ioc_aspace_open(VMARENA_IOC_KEY(cmd), uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_STATS):
		return vmarena_ioc_stats(uarg);
	case VMARENA_IOC_KEY(VMARENA_IOC_TEAM_OPEN):
		return vmarena_ioc_team_open(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmarena_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vmarena_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vmarena_miscdev = {
	.minor = VMARENA_MISC_MINOR,
	.name = VMARENA_DEVICE_NAME,
	.fops = &vmarena_fops,
	.mode = 0660,
};

int vmarena_chardev_init(void)
{
	return misc_register(&vmarena_miscdev);
}

void vmarena_chardev_uninit(void)
{
	misc_deregister(&vmarena_miscdev);
}
