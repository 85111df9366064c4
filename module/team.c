// SPDX-License-Identifier: GPL-2.0
/*
 * Teams: the aspace each process publishes as its own.  Lock key t:
 * vmarena_teams_lock, the table of published aspaces and every handle's
 * team fields (handle.h); a leaf, taken with no vmarena lock held.
 *
 * The table holds no reference to a handle: a handle leaves it when it is
 * released (vmarena_team_forget()), and a lookup takes a reference only
 * while the handle's count is not zero.  An entry names a process by its
 * struct pid and by the mm it had when it published: after an exec (a new
 * mm) or at its exit the entry no longer matches.  The entry grabs that
 * mm_struct, so its address cannot come back as another process's mm.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "handle.h"
#include "team.h"

static DEFINE_MUTEX(vmarena_teams_lock);
static LIST_HEAD(vmarena_teams);		/* t */

/* @h names no process any more.  Context: t held. */
static void vmarena_team_clear_locked(struct vmarena_handle *h)
{
	lockdep_assert_held(&vmarena_teams_lock);
	if (!h->team)
		return;
	list_del_init(&h->team_link);
	put_pid(h->team);
	mmdrop(h->team_mm);
	h->team = NULL;
	h->team_mm = NULL;
}

/**
 * vmarena_team_publish() - make @h's aspace the calling process's own
 * @h: referenced by the caller (its aspace fd)
 *
 * Replaces the aspace the process published before; @h stops naming the
 * process that published it before, if another did.
 * Returns 0, or -EINVAL from a task without an mm.
 * Context: process context; takes t.
 */
int vmarena_team_publish(struct vmarena_handle *h)
{
	struct mm_struct *mm = current->mm;
	struct vmarena_handle *old, *tmp;
	struct pid *pid;

	if (!mm)
		return -EINVAL;
	pid = get_task_pid(current, PIDTYPE_TGID);
	mutex_lock(&vmarena_teams_lock);
	list_for_each_entry_safe(old, tmp, &vmarena_teams, team_link)
		if (old->team == pid)
			vmarena_team_clear_locked(old);
	vmarena_team_clear_locked(h);
	mmgrab(mm);
	h->team = pid;
	h->team_mm = mm;
	h->team_euid = current_euid();
	list_add_tail(&h->team_link, &vmarena_teams);
	mutex_unlock(&vmarena_teams_lock);
	return 0;
}

/* Does @task still run in @mm (no exec since, not exited)? */
static bool vmarena_team_runs_in(struct task_struct *task, struct mm_struct *mm)
{
	bool same;

	task_lock(task);
	same = task->mm == mm;
	task_unlock(task);
	return same;
}

/*
 * The handle process @pid (@task) published, referenced, or an ERR_PTR.
 * Context: t held.
 */
static struct vmarena_handle *vmarena_team_find_locked(struct pid *pid, struct task_struct *task)
{
	struct vmarena_handle *h;

	lockdep_assert_held(&vmarena_teams_lock);
	list_for_each_entry(h, &vmarena_teams, team_link) {
		if (h->team != pid || !vmarena_team_runs_in(task, h->team_mm))
			continue;
		if (!uid_eq(current_euid(), h->team_euid) && !capable(CAP_SYS_ADMIN))
			return ERR_PTR(-EPERM);
		/* Being released: it is no longer anyone's. */
		return kref_get_unless_zero(&h->ref) ? h : ERR_PTR(-ENOENT);
	}
	return ERR_PTR(-ENOENT);
}

/**
 * vmarena_team_open() - the aspace process @nr published
 * @nr: a thread-group id in the caller's pid namespace
 *
 * Returns the handle with a reference, or ERR_PTR(-ESRCH) (no such
 * process), -ENOENT (none published since its last exec) or -EPERM (the
 * caller's euid is not the publisher's, and no CAP_SYS_ADMIN).
 * Context: process context; takes t.
 */
struct vmarena_handle *vmarena_team_open(pid_t nr)
{
	struct vmarena_handle *h;
	struct task_struct *task;
	struct pid *pid;

	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	mutex_lock(&vmarena_teams_lock);
	h = vmarena_team_find_locked(pid, task);
	mutex_unlock(&vmarena_teams_lock);
	put_task_struct(task);
	put_pid(pid);
	return h;
}

/**
 * vmarena_team_forget() - @h, being released, names no process any more
 * @h: its count is zero
 *
 * Context: process context; takes t.
 */
void vmarena_team_forget(struct vmarena_handle *h)
{
	mutex_lock(&vmarena_teams_lock);
	vmarena_team_clear_locked(h);
	mutex_unlock(&vmarena_teams_lock);
}
