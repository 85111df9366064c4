// SPDX-License-Identifier: GPL-2.0
/*
 * The "vmarena" generic netlink family: the arena seen from a shell
 * (vmarenactl), after ip, devlink and wg.  The commands, attributes and
 * the permission rules are documented in uapi/vmarena.h.
 *
 * Locking: every handler collects what it reports through the core's
 * descriptions (module/vmarena/desc.h, vmarena_area_get_info()), which
 * take the core's locks themselves, into a snapshot on the stack or in a
 * small batch, and only then builds messages; it takes no core lock.  Dumps keep where they are in
 * cb->args (ids and offsets, never pointers) and take their references
 * again on each call.  cb->seq is the structure generation when the call
 * started: the netlink core flags the message that sees it move, and the
 * final NLMSG_DONE, with NLM_F_DUMP_INTR.
 *
 * Permissions: an aspace is visible to its owner and to CAP_SYS_ADMIN;
 * others are reported as ENOENT, like ids that do not exist.  Physical
 * addresses and frame bits are for CAP_SYS_ADMIN only.  The events group
 * is joined with CAP_SYS_ADMIN only (it names everybody's objects); anyone
 * may subscribe a socket to the events of their own aspaces (nlsub.c).
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "uapi/vmarena.h"
#include "compat.h"
#include "netlink.h"
#include "nlsub.h"
#include "vmarena/vmarena.h"

static struct genl_family vmarena_nl_family;

/* The core's store kinds and page states are the ABI's. */
static_assert(VMARENA_STORE_ANON == VMARENA_CACHE_STORE_ANON);
static_assert(VMARENA_STORE_NULL == VMARENA_CACHE_STORE_NULL);
static_assert(VMARENA_STORE_DEVICE == VMARENA_CACHE_STORE_DEVICE);
static_assert(VMARENA_STORE_FILE == VMARENA_CACHE_STORE_FILE);
static_assert(VMARENA_PAGE_NR_STATES == VMARENA_PAGE_STATES);

static struct netlink_range_validation vmarena_nl_address_range = {
	.min = 0,
	.max = VMARENA_PTFRAG_LIMIT - 1,
};

static struct netlink_range_validation vmarena_nl_offset_range = {
	.min = 0,
	.max = VMARENA_PTFRAG_LIMIT >> PAGE_SHIFT,
};

/* Requests carry only these; anything else is refused (strict). */
static const struct nla_policy vmarena_nl_policy[VMARENA_A_MAX + 1] = {
	[VMARENA_A_ASPACE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMARENA_A_AREA_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[VMARENA_A_PAGE_OFFSET] = NLA_POLICY_FULL_RANGE(NLA_U64, &vmarena_nl_offset_range),
	[VMARENA_A_ADDRESS] = NLA_POLICY_FULL_RANGE(NLA_U64, &vmarena_nl_address_range),
};

/* Who asks: CAP_SYS_ADMIN (of the socket's opener and the caller) or not. */
static bool vmarena_nl_admin(const struct sk_buff *request)
{
	return netlink_capable(request, CAP_SYS_ADMIN);
}

static bool vmarena_nl_sees(bool admin, const struct vmarena_aspace *as)
{
	return admin || uid_eq(as->owner, current_euid());
}

/* The aspace @id, held, if the caller may see it; else NULL.  Context: takes g. */
static struct vmarena_aspace *vmarena_nl_aspace(bool admin, u32 id)
{
	struct vmarena_aspace *as = vmarena_aspace_get_by_id(id);

	if (as && !vmarena_nl_sees(admin, as)) {
		vmarena_aspace_drop(as);
		as = NULL;
	}
	return as;
}

/* The area @id, with a reference, if the caller may see its aspace. */
static struct vmarena_area *vmarena_nl_area(bool admin, u32 id)
{
	struct vmarena_area *area = vmarena_area_get_by_id(id);

	if (area && !vmarena_nl_sees(admin, area->aspace)) {
		vmarena_area_put(area);
		area = NULL;
	}
	return area;
}

static int vmarena_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, VMARENA_A_PAD);
}

/* ---- aspaces ------------------------------------------------------------ */

static int vmarena_nl_put_aspace(struct sk_buff *skb, const struct vmarena_aspace_desc *s)
{
	if (nla_put_u32(skb, VMARENA_A_ASPACE_ID, s->id) ||
	    nla_put_string(skb, VMARENA_A_ASPACE_NAME, s->name) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_ASPACE_BASE, s->base) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_ASPACE_SIZE, s->size) ||
	    nla_put_u32(skb, VMARENA_A_ASPACE_OWNER,
			from_kuid_munged(current_user_ns(), s->owner)) ||
	    nla_put_u32(skb, VMARENA_A_ASPACE_AREAS, s->areas) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_ASPACE_FAULTS, s->faults) ||
	    (s->superlocked && nla_put_flag(skb, VMARENA_A_ASPACE_SUPERLOCKED)))
		return -EMSGSIZE;
	return 0;
}

/* Reply to @info with one message filled by @fill(@arg). */
static int vmarena_nl_reply(struct genl_info *info,
			    int (*fill)(struct sk_buff *skb, const void *arg), const void *arg)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vmarena_nl_family, 0, info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	ret = nla_put_u32(msg, VMARENA_A_GENERATION, vmarena_generation_read());
	if (!ret)
		ret = fill(msg, arg);
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static int vmarena_nl_fill_aspace(struct sk_buff *skb, const void *arg)
{
	return vmarena_nl_put_aspace(skb, arg);
}

static int vmarena_nl_aspace_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmarena_aspace_desc snap;
	struct vmarena_aspace *as;

	if (GENL_REQ_ATTR_CHECK(info, VMARENA_A_ASPACE_ID))
		return -EINVAL;
	as = vmarena_nl_aspace(vmarena_nl_admin(skb),
			       nla_get_u32(info->attrs[VMARENA_A_ASPACE_ID]));
	if (!as) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMARENA_A_ASPACE_ID],
				    "no such aspace");
		return -ENOENT;
	}
	vmarena_aspace_get_desc(as, &snap);
	vmarena_aspace_drop(as);
	return vmarena_nl_reply(info, vmarena_nl_fill_aspace, &snap);
}

/* Start a dump message; NULL when @skb is full. */
static void *vmarena_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &vmarena_nl_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return NULL;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, VMARENA_A_GENERATION, cb->seq)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

/* cb->args[0]: the next aspace id to look at. */
static int vmarena_nl_aspace_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	bool admin = vmarena_nl_admin(cb->skb);
	struct vmarena_aspace_desc snap;
	struct vmarena_aspace *as;
	u32 id = cb->args[0];
	void *hdr;

	cb->seq = vmarena_generation_read();
	while ((as = vmarena_aspace_get_next(&id))) {
		if (!vmarena_nl_sees(admin, as)) {
			vmarena_aspace_drop(as);
			id++;
			continue;
		}
		vmarena_aspace_get_desc(as, &snap);
		vmarena_aspace_drop(as);
		hdr = vmarena_nl_dump_put(skb, cb, VMARENA_CMD_ASPACE_GET);
		if (!hdr)
			break;
		if (vmarena_nl_put_aspace(skb, &snap)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		id++;
	}
	cb->args[0] = id;
	return skb->len;
}

/* ---- areas -------------------------------------------------------------- */

static int vmarena_nl_put_area(struct sk_buff *skb, const struct vmarena_area_desc *d)
{
	if (nla_put_u32(skb, VMARENA_A_AREA_ID, d->id) ||
	    nla_put_u32(skb, VMARENA_A_AREA_ASPACE_ID, d->aspace_id) ||
	    nla_put_string(skb, VMARENA_A_AREA_NAME, d->name) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_AREA_BASE, d->base) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_AREA_SIZE, d->size) ||
	    nla_put_u32(skb, VMARENA_A_AREA_PROTECTION, d->protection) ||
	    nla_put_u32(skb, VMARENA_A_AREA_PROTECTION_MAX, d->protection_max) ||
	    nla_put_u32(skb, VMARENA_A_AREA_WIRING, d->wiring) ||
	    nla_put_u32(skb, VMARENA_A_AREA_LOCK_LEVEL, d->lock_level) ||
	    nla_put_u32(skb, VMARENA_A_AREA_FLAGS, d->flags) ||
	    nla_put_u32(skb, VMARENA_A_AREA_CACHE_DEPTH, d->cache_depth) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_AREA_RESIDENT, d->resident) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_AREA_COPIES, d->copies) ||
	    nla_put_u32(skb, VMARENA_A_AREA_CACHE_ID, d->cache_id))
		return -EMSGSIZE;
	return 0;
}

static int vmarena_nl_fill_area(struct sk_buff *skb, const void *arg)
{
	return vmarena_nl_put_area(skb, arg);
}

static int vmarena_nl_area_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmarena_area_desc desc;
	struct vmarena_area *area;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VMARENA_A_AREA_ID))
		return -EINVAL;
	area = vmarena_nl_area(vmarena_nl_admin(skb),
			       nla_get_u32(info->attrs[VMARENA_A_AREA_ID]));
	if (!area) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMARENA_A_AREA_ID], "no such area");
		return -ENOENT;
	}
	ret = vmarena_area_get_info(area, &desc);
	vmarena_area_put(area);
	if (ret)
		return ret;
	return vmarena_nl_reply(info, vmarena_nl_fill_area, &desc);
}

/*
 * cb->args[0]: the aspace id being walked; [1]: the address to go on from
 * in it; [2]: the aspace filter (0: every visible aspace).
 */
static int vmarena_nl_area_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vmarena_genl_dump_attrs(cb);
	bool admin = vmarena_nl_admin(cb->skb);
	struct vmarena_area_desc desc;
	unsigned long cookie, next;
	struct vmarena_aspace *as;
	u32 id;
	void *hdr;

	if (!cb->args[0] && attrs[VMARENA_A_ASPACE_ID]) {
		cb->args[2] = nla_get_u32(attrs[VMARENA_A_ASPACE_ID]);
		as = vmarena_nl_aspace(admin, cb->args[2]);
		if (!as) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[VMARENA_A_ASPACE_ID],
					    "no such aspace");
			return -ENOENT;
		}
		vmarena_aspace_drop(as);
		cb->args[0] = cb->args[2];
	}
	id = cb->args[0];
	cookie = cb->args[1];
	cb->seq = vmarena_generation_read();
	while ((as = vmarena_aspace_get_next(&id))) {
		if ((cb->args[2] && id != cb->args[2]) || !vmarena_nl_sees(admin, as)) {
			vmarena_aspace_drop(as);
			if (cb->args[2] && id != cb->args[2])
				break;
			id++;
			cookie = 0;
			continue;
		}
		if (id != cb->args[0])
			cookie = 0;	/* the last aspace went away */
		cb->args[0] = id;
		for (next = cookie; !vmarena_area_iterate(as, &next, &desc); cookie = next) {
			hdr = vmarena_nl_dump_put(skb, cb, VMARENA_CMD_AREA_GET);
			if (!hdr)
				goto full;
			if (vmarena_nl_put_area(skb, &desc)) {
				genlmsg_cancel(skb, hdr);
				goto full;
			}
			genlmsg_end(skb, hdr);
		}
		vmarena_aspace_drop(as);
		if (cb->args[2])
			break;
		id++;
		cookie = 0;
		cb->args[0] = id;
	}
	cb->args[0] = cb->args[2] ? U32_MAX : id;
	cb->args[1] = 0;
	return skb->len;

full:
	vmarena_aspace_drop(as);
	cb->args[1] = cookie;
	return skb->len;
}

/* ---- caches ------------------------------------------------------------- */

static int vmarena_nl_put_cache(struct sk_buff *skb, const struct vmarena_cache_desc *s,
				u32 depth)
{
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_u32(skb, VMARENA_A_CACHE_ID, s->id) ||
	    nla_put_u32(skb, VMARENA_A_CACHE_DEPTH, depth) ||
	    (s->source_id && nla_put_u32(skb, VMARENA_A_CACHE_SOURCE_ID, s->source_id)) ||
	    nla_put_u32(skb, VMARENA_A_CACHE_STORE, s->store) ||
	    (s->temporary && nla_put_flag(skb, VMARENA_A_CACHE_TEMPORARY)) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_CACHE_RESIDENT, s->resident) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_CACHE_PAGES, s->pages) ||
	    nla_put_u32(skb, VMARENA_A_CACHE_AREAS, s->areas))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VMARENA_A_CACHE_CONSUMERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < s->nr_consumers; i++) {
		if (nla_put_u32(skb, VMARENA_A_CACHE_CONSUMER, s->consumers[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The area a dump names, checked; cb->extack says why not. */
static struct vmarena_area *vmarena_nl_dump_area(struct netlink_callback *cb)
{
	struct nlattr **attrs = vmarena_genl_dump_attrs(cb);
	struct vmarena_area *area;

	if (!attrs[VMARENA_A_AREA_ID]) {
		NL_SET_ERR_MSG(cb->extack, "AREA_ID is required");
		return ERR_PTR(-EINVAL);
	}
	area = vmarena_nl_area(vmarena_nl_admin(cb->skb),
			       nla_get_u32(attrs[VMARENA_A_AREA_ID]));
	if (!area) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[VMARENA_A_AREA_ID], "no such area");
		return ERR_PTR(-ENOENT);
	}
	return area;
}

/* cb->args[0]: caches of the chain already sent. */
static int vmarena_nl_cache_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vmarena_cache_desc *snap;
	struct vmarena_area *area;
	int n, i;
	void *hdr;

	area = vmarena_nl_dump_area(cb);
	if (IS_ERR(area))
		return cb->args[0] && PTR_ERR(area) == -ENOENT ? 0 : PTR_ERR(area);
	snap = kmalloc_array(VMARENA_CACHE_MAX_DEPTH, sizeof(*snap), GFP_KERNEL);
	if (!snap) {
		vmarena_area_put(area);
		return -ENOMEM;
	}
	cb->seq = vmarena_generation_read();
	n = vmarena_area_chain_desc(area, snap, VMARENA_CACHE_MAX_DEPTH);
	vmarena_area_put(area);
	if (n < 0) {
		kfree(snap);
		return cb->args[0] ? 0 : n;
	}
	for (i = cb->args[0]; i < n; i++) {
		hdr = vmarena_nl_dump_put(skb, cb, VMARENA_CMD_CACHE_GET);
		if (!hdr)
			break;
		if (vmarena_nl_put_cache(skb, &snap[i], i)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	kfree(snap);
	return skb->len;
}

/* ---- pages -------------------------------------------------------------- */

#define VMARENA_NL_PAGE_BATCH	64

static int vmarena_nl_put_page(struct sk_buff *skb, const struct vmarena_page_desc *s,
			       bool admin)
{
	if (vmarena_nl_put_u64(skb, VMARENA_A_PAGE_OFFSET, s->offset) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_PAGE_ADDRESS, s->address) ||
	    nla_put_u32(skb, VMARENA_A_PAGE_PROT, s->prot))
		return -EMSGSIZE;
	if (s->arena &&
	    (nla_put_u32(skb, VMARENA_A_PAGE_STATE, s->state) ||
	     nla_put_u32(skb, VMARENA_A_PAGE_WIRED_COUNT, s->wired_count) ||
	     nla_put_u32(skb, VMARENA_A_PAGE_USAGE, s->usage) ||
	     (s->cache_id && nla_put_u32(skb, VMARENA_A_PAGE_CACHE_ID, s->cache_id))))
		return -EMSGSIZE;
	if (admin ? vmarena_nl_put_u64(skb, VMARENA_A_PAGE_PHYS, s->phys) :
		    nla_put_flag(skb, VMARENA_A_PHYS_MASKED))
		return -EMSGSIZE;
	return 0;
}

/* cb->args[0]: the page offset to go on from; [1]: set when done. */
static int vmarena_nl_page_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = vmarena_genl_dump_attrs(cb);
	bool admin = vmarena_nl_admin(cb->skb);
	struct vmarena_page_desc *d;
	struct vmarena_area *area;
	unsigned int i, n;
	void *hdr;
	int ret;

	if (cb->args[1])
		return 0;
	area = vmarena_nl_dump_area(cb);
	if (IS_ERR(area))
		return PTR_ERR(area);
	if (!cb->args[0] && attrs[VMARENA_A_PAGE_OFFSET])
		cb->args[0] = nla_get_u64(attrs[VMARENA_A_PAGE_OFFSET]);
	d = kmalloc_array(VMARENA_NL_PAGE_BATCH, sizeof(*d), GFP_KERNEL);
	if (!d) {
		vmarena_area_put(area);
		return -ENOMEM;
	}
	cb->seq = vmarena_generation_read();
	ret = vmarena_area_page_descs(area, cb->args[0], d, VMARENA_NL_PAGE_BATCH, &n);
	vmarena_area_put(area);
	if (ret < 0) {
		kfree(d);
		return ret;
	}
	for (i = 0; i < n; i++) {
		hdr = vmarena_nl_dump_put(skb, cb, VMARENA_CMD_PAGE_GET);
		if (!hdr)
			break;
		if (vmarena_nl_put_page(skb, &d[i], admin)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = d[i].offset + 1;
	}
	/* A walk that did not stop for a full batch has seen every page. */
	if (i == n && !ret)
		cb->args[1] = 1;
	kfree(d);
	return skb->len;
}

/* ---- statistics --------------------------------------------------------- */

struct vmarena_nl_stats {
	u64 events[VMARENA_STAT_NR];
	struct vmarena_page_stats pages;
	u64 swap_used, swap_total, aspaces;
};

static int vmarena_nl_fill_stats(struct sk_buff *skb, const void *arg)
{
	static const struct {
		u16 attr;
		u16 stat;
	} map[] = {
		{ VMARENA_A_STATS_FAULTS, VMARENA_STAT_FAULTS },
		{ VMARENA_A_STATS_FAULTS_MAPPED, VMARENA_STAT_FAULTS_MAPPED },
		{ VMARENA_A_STATS_FAULTS_MINOR, VMARENA_STAT_FAULTS_MINOR },
		{ VMARENA_A_STATS_FAULTS_ZERO, VMARENA_STAT_FAULTS_ZERO },
		{ VMARENA_A_STATS_FAULTS_MAJOR, VMARENA_STAT_FAULTS_MAJOR },
		{ VMARENA_A_STATS_FAULTS_COW, VMARENA_STAT_FAULTS_COW },
		{ VMARENA_A_STATS_PAGEINS, VMARENA_STAT_PAGEINS },
		{ VMARENA_A_STATS_PAGEOUTS, VMARENA_STAT_PAGEOUTS },
	};
	const struct vmarena_nl_stats *st = arg;
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (vmarena_nl_put_u64(skb, map[i].attr, st->events[map[i].stat]))
			return -EMSGSIZE;
	if (vmarena_nl_put_u64(skb, VMARENA_A_STATS_PAGES_TOTAL, st->pages.total) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_PAGES_MAX, st->pages.max_pages) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_COMMIT_USED, st->pages.committed) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_COMMIT_LIMIT, st->pages.max_commit) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_SWAP_USED, st->swap_used) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_SWAP_TOTAL, st->swap_total) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_ASPACES, st->aspaces))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VMARENA_A_STATS_PAGES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++) {
		if (vmarena_nl_put_u64(skb, i + 1, st->pages.count[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vmarena_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmarena_nl_stats st;

	vmarena_stats_read(st.events);
	vmarena_page_get_stats(&st.pages);
	vmarena_swap_stats(&st.swap_used, &st.swap_total);
	st.aspaces = vmarena_aspace_count();
	return vmarena_nl_reply(info, vmarena_nl_fill_stats, &st);
}

/* ---- translate ---------------------------------------------------------- */

struct vmarena_nl_xlate {
	u64 address;
	u64 entries[VMARENA_PTFRAG_LEVELS];
	int levels;
	bool admin;
};

static int vmarena_nl_fill_xlate(struct sk_buff *skb, const void *arg)
{
	const struct vmarena_nl_xlate *x = arg;
	struct vmarena_pte_info pte;
	struct nlattr *nest;
	int i;

	if (vmarena_nl_put_u64(skb, VMARENA_A_ADDRESS, x->address) ||
	    (!x->admin && nla_put_flag(skb, VMARENA_A_PHYS_MASKED)))
		return -EMSGSIZE;
	for (i = 0; i < x->levels; i++) {
		int level = VMARENA_XLATE_PML4 - i;
		u64 entry = x->entries[i];

		if (!x->admin)
			entry &= ~PTE_PFN_MASK;
		nest = nla_nest_start(skb, VMARENA_A_XLATE_LEVEL);
		if (!nest ||
		    nla_put_u32(skb, VMARENA_A_XLATE_LEVEL_NUM, level) ||
		    nla_put_u32(skb, VMARENA_A_XLATE_INDEX,
				(x->address >> (PAGE_SHIFT + 9 * (level - 1))) & 511) ||
		    vmarena_nl_put_u64(skb, VMARENA_A_XLATE_ENTRY, entry))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	if (x->levels < VMARENA_PTFRAG_LEVELS ||
	    !(x->entries[VMARENA_PTFRAG_LEVELS - 1] & _PAGE_PRESENT))
		return 0;
	vmarena_pte_decode(x->entries[VMARENA_PTFRAG_LEVELS - 1], &pte);
	if ((x->admin && vmarena_nl_put_u64(skb, VMARENA_A_XLATE_PHYS,
					    PFN_PHYS(pte.pfn) | (x->address & ~PAGE_MASK))) ||
	    nla_put_u32(skb, VMARENA_A_XLATE_PROT, pte.prot) ||
	    (pte.accessed && nla_put_flag(skb, VMARENA_A_XLATE_ACCESSED)) ||
	    (pte.dirty && nla_put_flag(skb, VMARENA_A_XLATE_DIRTY)))
		return -EMSGSIZE;
	return 0;
}

static int vmarena_nl_translate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vmarena_nl_xlate x = { .admin = vmarena_nl_admin(skb) };
	struct vmarena_aspace *as;

	if (GENL_REQ_ATTR_CHECK(info, VMARENA_A_ASPACE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, VMARENA_A_ADDRESS))
		return -EINVAL;
	as = vmarena_nl_aspace(x.admin, nla_get_u32(info->attrs[VMARENA_A_ASPACE_ID]));
	if (!as) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMARENA_A_ASPACE_ID],
				    "no such aspace");
		return -ENOENT;
	}
	x.address = nla_get_u64(info->attrs[VMARENA_A_ADDRESS]);
	if (x.address < as->base || x.address - as->base >= as->size) {
		vmarena_aspace_drop(as);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VMARENA_A_ADDRESS],
				    "address outside the aspace");
		return -ERANGE;
	}
	x.levels = vmarena_ptfrag_translate(&as->frag, x.address, x.entries);
	vmarena_aspace_drop(as);
	if (x.levels < 0)
		return x.levels;
	return vmarena_nl_reply(info, vmarena_nl_fill_xlate, &x);
}

/* ---- events ------------------------------------------------------------- */

/*
 * Send an event to the events group and, if it is about an object @owner
 * owns (NULL: arena-wide), to @owner's subscribed sockets.
 */
static int vmarena_nl_event(u8 cmd, int (*fill)(struct sk_buff *skb, const void *arg),
			    const void *arg, const kuid_t *owner, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &vmarena_nl_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, VMARENA_A_GENERATION, vmarena_generation_read()) ||
	    fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	if (owner && vmarena_nlsub_any())
		vmarena_nlsub_send(msg, *owner);
	/* -ESRCH: nobody listens, which is fine. */
	return genlmsg_multicast(&vmarena_nl_family, msg, 0, 0, gfp);
}

static DEFINE_SPINLOCK(vmarena_nl_pending_lock);
static bool vmarena_nl_ready;			/* pending lock (written), READ_ONCE */

/*
 * Is anyone in the events group or subscribed (and is the family still
 * there)?  Any context: netlink_has_listeners() reads a bitmap under RCU.
 */
static bool vmarena_nl_listened(void)
{
	return READ_ONCE(vmarena_nl_ready) &&
	       (genl_has_listeners(&vmarena_nl_family, &init_net, 0) || vmarena_nlsub_any());
}

void vmarena_netlink_aspace_event(u8 cmd, struct vmarena_aspace *as)
{
	struct vmarena_aspace_desc snap;

	might_sleep();
	if (!vmarena_nl_listened())
		return;
	vmarena_aspace_get_desc(as, &snap);
	vmarena_nl_event(cmd, vmarena_nl_fill_aspace, &snap, &as->owner, GFP_KERNEL);
}

static int vmarena_nl_fill_area_ids(struct sk_buff *skb, const void *arg)
{
	const struct vmarena_area_desc *d = arg;

	if (nla_put_u32(skb, VMARENA_A_AREA_ID, d->id) ||
	    nla_put_u32(skb, VMARENA_A_AREA_ASPACE_ID, d->aspace_id))
		return -EMSGSIZE;
	return 0;
}

void vmarena_netlink_area_event(u8 cmd, struct vmarena_area *area)
{
	struct vmarena_area_desc desc = {
		.id = area->id,
		.aspace_id = area->aspace->id,
	};

	might_sleep();
	if (!vmarena_nl_listened())
		return;
	/* A deleted area has only its ids to tell. */
	if (cmd == VMARENA_CMD_EVT_AREA_DEL)
		vmarena_nl_event(cmd, vmarena_nl_fill_area_ids, &desc, &area->aspace->owner,
				 GFP_KERNEL);
	else if (!vmarena_area_get_info(area, &desc))
		vmarena_nl_event(cmd, vmarena_nl_fill_area, &desc, &area->aspace->owner,
				 GFP_KERNEL);
}

/*
 * Exhaustion, noted by the core in any context (event.h) and sent by a
 * worker.  Notes that come faster than the worker sends are coalesced:
 * listeners learn that it happened, not how often.
 */
static bool vmarena_nl_commit_pending;		/* pending lock */
static bool vmarena_nl_pool_pending;		/* pending lock */
static u64 vmarena_nl_commit_bytes;		/* pending lock */

static int vmarena_nl_fill_commit(struct sk_buff *skb, const void *arg)
{
	const u64 *bytes = arg;
	struct vmarena_page_stats st;

	vmarena_page_get_stats(&st);
	if (vmarena_nl_put_u64(skb, VMARENA_A_EVT_BYTES, *bytes) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_COMMIT_USED, st.committed) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_COMMIT_LIMIT, st.max_commit))
		return -EMSGSIZE;
	return 0;
}

static int vmarena_nl_fill_pool(struct sk_buff *skb, const void *arg)
{
	struct vmarena_page_stats st;

	vmarena_page_get_stats(&st);
	if (vmarena_nl_put_u64(skb, VMARENA_A_STATS_PAGES_TOTAL, st.total) ||
	    vmarena_nl_put_u64(skb, VMARENA_A_STATS_PAGES_MAX, st.max_pages))
		return -EMSGSIZE;
	return 0;
}

static void vmarena_nl_exhausted_work(struct work_struct *work)
{
	bool commit, pool;
	unsigned long flags;
	u64 bytes;

	spin_lock_irqsave(&vmarena_nl_pending_lock, flags);
	commit = vmarena_nl_commit_pending;
	pool = vmarena_nl_pool_pending;
	bytes = vmarena_nl_commit_bytes;
	vmarena_nl_commit_pending = false;
	vmarena_nl_pool_pending = false;
	spin_unlock_irqrestore(&vmarena_nl_pending_lock, flags);
	if (!vmarena_nl_listened())
		return;
	if (commit)
		vmarena_nl_event(VMARENA_CMD_EVT_COMMIT_EXHAUSTED, vmarena_nl_fill_commit,
				 &bytes, NULL, GFP_KERNEL);
	if (pool)
		vmarena_nl_event(VMARENA_CMD_EVT_POOL_EXHAUSTED, vmarena_nl_fill_pool,
				 NULL, NULL, GFP_KERNEL);
}

static DECLARE_WORK(vmarena_nl_exhausted, vmarena_nl_exhausted_work);

static void vmarena_nl_note(bool *pending, u64 bytes)
{
	unsigned long flags;

	/* Nobody listening: nothing to note, and no worker to wake. */
	if (!vmarena_nl_listened())
		return;
	spin_lock_irqsave(&vmarena_nl_pending_lock, flags);
	if (vmarena_nl_ready) {
		*pending = true;
		if (pending == &vmarena_nl_commit_pending)
			vmarena_nl_commit_bytes = bytes;
		schedule_work(&vmarena_nl_exhausted);
	}
	spin_unlock_irqrestore(&vmarena_nl_pending_lock, flags);
}

static void vmarena_nl_commit_exhausted(u64 bytes)
{
	vmarena_nl_note(&vmarena_nl_commit_pending, bytes);
}

static void vmarena_nl_pool_exhausted(void)
{
	vmarena_nl_note(&vmarena_nl_pool_pending, 0);
}

/* A lock whose process went: as an unlock through the ioctl tells it. */
static void vmarena_nl_area_lock_ended(struct vmarena_area *area)
{
	vmarena_netlink_area_event(VMARENA_CMD_EVT_AREA_LOCK, area);
}

static const struct vmarena_event_ops vmarena_nl_event_ops = {
	.commit_exhausted = vmarena_nl_commit_exhausted,
	.pool_exhausted = vmarena_nl_pool_exhausted,
	.area_lock_ended = vmarena_nl_area_lock_ended,
};

static int vmarena_nl_fill_nothing(struct sk_buff *skb, const void *arg)
{
	return 0;
}

/*
 * VMARENA_CMD_EVENTS_SUBSCRIBE: this socket receives the events of the
 * caller's aspaces from the reply on, until it is closed.
 */
static int vmarena_nl_events_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 portid = info->snd_portid;
	int ret;

	ret = vmarena_nlsub_reserve(portid, current_euid());
	if (ret == -EALREADY)
		NL_SET_ERR_MSG(info->extack, "this socket is subscribed");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "too many subscribed sockets");
	if (ret)
		return ret;
	ret = vmarena_nl_reply(info, vmarena_nl_fill_nothing, NULL);
	if (ret) {
		vmarena_nlsub_remove(portid);
		return ret;
	}
	vmarena_nlsub_activate(portid);
	return 0;
}

/* ---- the family --------------------------------------------------------- */

static const struct genl_ops vmarena_nl_ops[] = {
	{
		.cmd = VMARENA_CMD_ASPACE_GET,
		.doit = vmarena_nl_aspace_get_doit,
		.dumpit = vmarena_nl_aspace_get_dumpit,
	},
	{
		.cmd = VMARENA_CMD_AREA_GET,
		.doit = vmarena_nl_area_get_doit,
		.dumpit = vmarena_nl_area_get_dumpit,
	},
	{
		.cmd = VMARENA_CMD_CACHE_GET,
		.dumpit = vmarena_nl_cache_get_dumpit,
	},
	{
		.cmd = VMARENA_CMD_PAGE_GET,
		.dumpit = vmarena_nl_page_get_dumpit,
	},
	{
		.cmd = VMARENA_CMD_STATS_GET,
		.doit = vmarena_nl_stats_get_doit,
	},
	{
		.cmd = VMARENA_CMD_TRANSLATE,
		.doit = vmarena_nl_translate_doit,
	},
	{
		.cmd = VMARENA_CMD_EVENTS_SUBSCRIBE,
		.doit = vmarena_nl_events_subscribe_doit,
	},
};

static const struct genl_multicast_group vmarena_nl_mcgrps[] = {
	{
		.name = VMARENA_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family vmarena_nl_family __ro_after_init = {
	.name = VMARENA_GENL_NAME,
	.version = VMARENA_GENL_VERSION,
	.maxattr = VMARENA_A_MAX,
	.policy = vmarena_nl_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = vmarena_nl_ops,
	.n_ops = ARRAY_SIZE(vmarena_nl_ops),
	.resv_start_op = VMARENA_CMD_ASPACE_GET,
	.mcgrps = vmarena_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vmarena_nl_mcgrps),
};

int vmarena_netlink_init(void)
{
	int ret;

	ret = genl_register_family(&vmarena_nl_family);
	if (ret)
		return ret;
	spin_lock_irq(&vmarena_nl_pending_lock);
	WRITE_ONCE(vmarena_nl_ready, true);
	spin_unlock_irq(&vmarena_nl_pending_lock);
	vmarena_event_register(&vmarena_nl_event_ops);
	return 0;
}

void vmarena_netlink_uninit(void)
{
	vmarena_event_unregister();
	spin_lock_irq(&vmarena_nl_pending_lock);
	WRITE_ONCE(vmarena_nl_ready, false);
	spin_unlock_irq(&vmarena_nl_pending_lock);
	cancel_work_sync(&vmarena_nl_exhausted);
	genl_unregister_family(&vmarena_nl_family);
}
