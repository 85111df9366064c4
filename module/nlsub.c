// SPDX-License-Identifier: GPL-2.0
/*
 * Event subscriptions for users without CAP_SYS_ADMIN.  The "events"
 * multicast group names every user's objects, so only CAP_SYS_ADMIN may
 * join it.  Anyone else subscribes a socket (VMARENA_CMD_EVENTS_SUBSCRIBE)
 * and receives on it, by unicast, the events of the aspaces its user
 * (the euid that subscribed) owns and of their areas, and nothing else.
 * A subscription ends with its socket (NETLINK_URELEASE).
 *
 * Locking: n is vmarena_nlsub_lock, a spinlock of the Linux layer and a
 * leaf (nothing is taken under it, and no vmarena lock is held when it is
 * taken): it guards the list for writers and the fields marked n; senders
 * walk the list under RCU.
 */
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rculist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "nlsub.h"

/* Sockets subscribed at once, in all and per user: a bound on memory. */
#define VMARENA_NLSUB_MAX	256
#define VMARENA_NLSUB_PER_USER	16

struct vmarena_nlsub {
	struct list_head link;		/* n; RCU for senders */
	u32 portid;			/* the subscribed socket */
	kuid_t uid;			/* whose objects' events it receives */
	bool active;			/* n, READ_ONCE: the subscribe reply went first */
	struct rcu_head rcu;
};

static LIST_HEAD(vmarena_nlsub_list);
static DEFINE_SPINLOCK(vmarena_nlsub_lock);
static unsigned int vmarena_nlsub_count;	/* n, READ_ONCE */

/* Context: n held. */
static struct vmarena_nlsub *vmarena_nlsub_find(u32 portid)
{
	struct vmarena_nlsub *s;

	lockdep_assert_held(&vmarena_nlsub_lock);
	list_for_each_entry(s, &vmarena_nlsub_list, link)
		if (s->portid == portid)
			return s;
	return NULL;
}

/**
 * vmarena_nlsub_reserve() - subscribe socket @portid for @uid's events
 * @portid: the requesting socket
 * @uid: the euid that subscribes
 *
 * The subscription receives nothing until vmarena_nlsub_activate(): the
 * reply to the request goes first.
 *
 * Context: process, no lock held; takes n.
 * Return: 0; -EALREADY if @portid is subscribed; -ENOSPC if too many
 * sockets are (VMARENA_NLSUB_MAX, or VMARENA_NLSUB_PER_USER of @uid's);
 * -ENOMEM.
 */
int vmarena_nlsub_reserve(u32 portid, kuid_t uid)
{
	struct vmarena_nlsub *s, *new;
	unsigned int mine = 0;
	int ret = 0;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->portid = portid;
	new->uid = uid;
	spin_lock(&vmarena_nlsub_lock);
	list_for_each_entry(s, &vmarena_nlsub_list, link) {
		if (s->portid == portid) {
			ret = -EALREADY;
			goto out_unlock;
		}
		mine += uid_eq(s->uid, uid);
	}
	if (vmarena_nlsub_count >= VMARENA_NLSUB_MAX || mine >= VMARENA_NLSUB_PER_USER) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	list_add_tail_rcu(&new->link, &vmarena_nlsub_list);
	WRITE_ONCE(vmarena_nlsub_count, vmarena_nlsub_count + 1);
	new = NULL;
out_unlock:
	spin_unlock(&vmarena_nlsub_lock);
	kfree(new);
	return ret;
}

/* Let @portid's subscription receive events.  Context: process; takes n. */
void vmarena_nlsub_activate(u32 portid)
{
	struct vmarena_nlsub *s;

	spin_lock(&vmarena_nlsub_lock);
	s = vmarena_nlsub_find(portid);
	if (s)
		WRITE_ONCE(s->active, true);
	spin_unlock(&vmarena_nlsub_lock);
}

/* End @portid's subscription, if any.  Context: process; takes n. */
void vmarena_nlsub_remove(u32 portid)
{
	struct vmarena_nlsub *s;

	spin_lock(&vmarena_nlsub_lock);
	s = vmarena_nlsub_find(portid);
	if (s) {
		list_del_rcu(&s->link);
		WRITE_ONCE(vmarena_nlsub_count, vmarena_nlsub_count - 1);
	}
	spin_unlock(&vmarena_nlsub_lock);
	if (s)
		kfree_rcu(s, rcu);
}

/* Is any socket subscribed?  Context: any. */
bool vmarena_nlsub_any(void)
{
	return READ_ONCE(vmarena_nlsub_count);
}

/**
 * vmarena_nlsub_send() - send an event about @owner's object to @owner's sockets
 * @msg: the event, finished (genlmsg_end()); the caller keeps it
 * @owner: the owner of the aspace the event is about
 *
 * A socket whose queue is full loses the event, as a multicast listener
 * would: its next receive fails with ENOBUFS.
 *
 * Context: process, no lock held; takes RCU.  May sleep.
 */
void vmarena_nlsub_send(const struct sk_buff *msg, kuid_t owner)
{
	u32 portids[VMARENA_NLSUB_PER_USER];
	struct vmarena_nlsub *s;
	unsigned int n = 0, i;
	struct sk_buff *skb;

	might_sleep();
	rcu_read_lock();
	list_for_each_entry_rcu(s, &vmarena_nlsub_list, link)
		if (READ_ONCE(s->active) && uid_eq(s->uid, owner) && n < ARRAY_SIZE(portids))
			portids[n++] = s->portid;
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		skb = skb_clone((struct sk_buff *)msg, GFP_KERNEL);
		if (!skb)
			return;
		/* -ECONNREFUSED: the socket is going; its release removes it. */
		genlmsg_unicast(&init_net, skb, portids[i]);
	}
}

static int vmarena_nlsub_release(struct notifier_block *nb, unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    net_eq(n->net, &init_net))
		vmarena_nlsub_remove(n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block vmarena_nlsub_notifier = {
	.notifier_call = vmarena_nlsub_release,
};

int vmarena_nlsub_init(void)
{
	return netlink_register_notifier(&vmarena_nlsub_notifier);
}

void vmarena_nlsub_uninit(void)
{
	struct vmarena_nlsub *s, *next;
	LIST_HEAD(gone);

	netlink_unregister_notifier(&vmarena_nlsub_notifier);
	spin_lock(&vmarena_nlsub_lock);
	list_splice_init(&vmarena_nlsub_list, &gone);
	WRITE_ONCE(vmarena_nlsub_count, 0);
	spin_unlock(&vmarena_nlsub_lock);
	synchronize_rcu();
	list_for_each_entry_safe(s, next, &gone, link)
		kfree(s);
	/* The kfree_rcu() of earlier removals need nothing of this module. */
}
