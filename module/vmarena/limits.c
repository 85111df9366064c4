// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user caps (limits.h): one record per user that holds anything,
 * indexed by uid, freed when it counts nothing any more.  Lock key u:
 * vmarena_limits_lock, a mutex and a leaf: nothing else is taken under it.
 */
#include <linux/cred.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "limits.h"

static unsigned int max_aspaces_per_user = 1024;
module_param(max_aspaces_per_user, uint, 0644);
MODULE_PARM_DESC(max_aspaces_per_user,
		 "Most aspaces one user may hold (EDQUOT beyond; 0: no cap)");

static unsigned int max_areas_per_user = 65536;
module_param(max_areas_per_user, uint, 0644);
MODULE_PARM_DESC(max_areas_per_user, "Most areas one user may hold (EDQUOT beyond; 0: no cap)");

static unsigned long long max_commit_per_user;
module_param(max_commit_per_user, ullong, 0644);
MODULE_PARM_DESC(max_commit_per_user,
		 "Most bytes one user's areas may count (EDQUOT beyond; 0: no cap but the arena's max_commit)");

struct vmarena_user {
	unsigned int aspaces;		/* u */
	unsigned int areas;		/* u */
	unsigned long bytes;		/* u */
};

static DEFINE_MUTEX(vmarena_limits_lock);
static DEFINE_XARRAY(vmarena_users);			/* u */

/* @uid's record, made if needed; NULL on -ENOMEM.  Context: u held. */
static struct vmarena_user *vmarena_user_get(kuid_t uid)
{
	unsigned long key = from_kuid(&init_user_ns, uid);
	struct vmarena_user *u;

	lockdep_assert_held(&vmarena_limits_lock);
	u = xa_load(&vmarena_users, key);
	if (u)
		return u;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return NULL;
	if (xa_err(xa_store(&vmarena_users, key, u, GFP_KERNEL))) {
		kfree(u);
		return NULL;
	}
	return u;
}

/* Forget @uid's record if it counts nothing.  Context: u held. */
static void vmarena_user_put(kuid_t uid, struct vmarena_user *u)
{
	lockdep_assert_held(&vmarena_limits_lock);
	if (u->aspaces || u->areas || u->bytes)
		return;
	xa_erase(&vmarena_users, from_kuid(&init_user_ns, uid));
	kfree(u);
}

/*
 * May @have grow by @add under @cap (0: none)?  0, -EDQUOT, or -ENOMEM if
 * the sum would not even fit: the fuzzer resized areas to nearly 2^64
 * bytes (which the core then refuses) and, without this check, wrapped
 * the user's count around for everyone else meanwhile.
 * Context: any; a pure function.
 */
static int vmarena_limits_room(unsigned long have, unsigned long add, unsigned long long cap)
{
	if (have + add < have)
		return -ENOMEM;
	if (cap && (add > cap || have > cap - add))
		return -EDQUOT;
	return 0;
}

/**
 * vmarena_limits_charge_aspace() - count one more aspace for @uid
 * @uid: the creator
 *
 * Returns 0, -EDQUOT (max_aspaces_per_user) or -ENOMEM.
 *
 * Context: takes u (a leaf).  May sleep.
 */
int vmarena_limits_charge_aspace(kuid_t uid)
{
	struct vmarena_user *u;
	int ret = 0;

	mutex_lock(&vmarena_limits_lock);
	u = vmarena_user_get(uid);
	if (!u)
		ret = -ENOMEM;
	else
		ret = vmarena_limits_room(u->aspaces, 1, READ_ONCE(max_aspaces_per_user));
	if (!ret)
		u->aspaces++;
	if (u && ret)
		vmarena_user_put(uid, u);
	mutex_unlock(&vmarena_limits_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_limits_charge_aspace);

/**
 * vmarena_limits_uncharge_aspace() - an aspace of @uid is gone
 * @uid: its creator, charged before
 *
 * Context: takes u (a leaf).  May sleep.
 */
void vmarena_limits_uncharge_aspace(kuid_t uid)
{
	struct vmarena_user *u;

	mutex_lock(&vmarena_limits_lock);
	u = xa_load(&vmarena_users, from_kuid(&init_user_ns, uid));
	if (!WARN_ON_ONCE(!u || !u->aspaces)) {
		u->aspaces--;
		vmarena_user_put(uid, u);
	}
	mutex_unlock(&vmarena_limits_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_limits_uncharge_aspace);

/**
 * vmarena_limits_charge_area() - count an area and @bytes for @uid into @c
 * @c: empty; filled on success
 * @uid: the creator
 * @bytes: committed bytes the area counts (0 for those that add no memory)
 *
 * Returns 0, -EDQUOT (max_areas_per_user, max_commit_per_user) or -ENOMEM.
 *
 * Context: takes u (a leaf).  May sleep.
 */
int vmarena_limits_charge_area(struct vmarena_limit_charge *c, kuid_t uid, unsigned long bytes)
{
	struct vmarena_user *u;
	int ret = 0;

	might_sleep();
	mutex_lock(&vmarena_limits_lock);
	u = vmarena_user_get(uid);
	if (!u)
		ret = -ENOMEM;
	else
		ret = vmarena_limits_room(u->areas, 1, READ_ONCE(max_areas_per_user)) ?:
		      vmarena_limits_room(u->bytes, bytes, READ_ONCE(max_commit_per_user));
	if (ret) {
		if (u)
			vmarena_user_put(uid, u);
		mutex_unlock(&vmarena_limits_lock);
		return ret;
	}
	u->areas++;
	u->bytes += bytes;
	c->uid = uid;
	c->bytes = bytes;
	c->charged = true;
	mutex_unlock(&vmarena_limits_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_limits_charge_area);

/**
 * vmarena_limits_uncharge_area() - give back what @c counts, and empty it
 * @c: a charge, or empty
 *
 * Context: takes u (a leaf).  May sleep.
 */
void vmarena_limits_uncharge_area(struct vmarena_limit_charge *c)
{
	struct vmarena_user *u;

	mutex_lock(&vmarena_limits_lock);
	if (c->charged) {
		u = xa_load(&vmarena_users, from_kuid(&init_user_ns, c->uid));
		if (!WARN_ON_ONCE(!u || !u->areas || u->bytes < c->bytes)) {
			u->areas--;
			u->bytes -= c->bytes;
			vmarena_user_put(c->uid, u);
		}
		c->charged = false;
		c->bytes = 0;
	}
	mutex_unlock(&vmarena_limits_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_limits_uncharge_area);

/**
 * vmarena_limits_resize_area() - make @c count @bytes
 * @c: a charge; one that counts no bytes, or none any more, is left alone
 * @bytes: the area's new size
 * @old: gets what @c counted, to give to a later call that undoes this
 * @force: do not check the cap (undoing a change)
 *
 * Returns 0, -EDQUOT (max_commit_per_user) or -ENOMEM (a size that cannot
 * be counted).  Undoing (@force) a change made by this function cannot fail.
 *
 * Context: takes u (a leaf).  May sleep.
 */
int vmarena_limits_resize_area(struct vmarena_limit_charge *c, unsigned long bytes,
			       unsigned long *old, bool force)
{
	struct vmarena_user *u;
	int ret = 0;

	mutex_lock(&vmarena_limits_lock);
	*old = c->bytes;
	if (!c->charged || !c->bytes)
		goto out;
	u = xa_load(&vmarena_users, from_kuid(&init_user_ns, c->uid));
	if (WARN_ON_ONCE(!u || u->bytes < c->bytes))
		goto out;
	if (!force && bytes > c->bytes) {
		ret = vmarena_limits_room(u->bytes, bytes - c->bytes,
					  READ_ONCE(max_commit_per_user));
		if (ret)
			goto out;
	}
	u->bytes = u->bytes - c->bytes + bytes;
	c->bytes = bytes;
out:
	mutex_unlock(&vmarena_limits_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_limits_resize_area);

int vmarena_limits_init(void)
{
	return 0;
}

/*
 * Every aspace and area is gone by now: nothing may be counted.
 * Context: at unload.
 */
void vmarena_limits_uninit(void)
{
	WARN_ON(!xa_empty(&vmarena_users));
	xa_destroy(&vmarena_users);
}
