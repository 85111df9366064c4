// SPDX-License-Identifier: GPL-2.0
/*
 * The "vmarena" generic netlink family, spoken raw (AF_NETLINK, no libnl):
 * family resolution, each get and dump against what the ioctls made,
 * policy violations, dumps over many messages and under concurrent
 * change, events in order, and what an unprivileged caller may see.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "vt.h"
#include "dfs.h"
#include "vt_arena.h"

#define NL_BUF		(64 * 1024)
#define NL_MAX_ATTR	(VMARENA_A_MAX + 1)

struct nl_req {
	union {
		struct nlmsghdr nlh;
		char buf[1024];
	};
};

/* One received vmarena message, its attributes indexed by type. */
struct nl_msg {
	uint16_t flags;
	uint8_t cmd;
	const struct nlattr *tb[NL_MAX_ATTR];
	const struct nlattr *attrs;	/* every attribute, in order */
	int attrs_len;
};

struct nl_result {
	int error;		/* 0 or a positive errno */
	int recvs;		/* datagrams received */
	int msgs;		/* vmarena messages */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	char extack[160];	/* the error's message, if any */
};

typedef void (*nl_cb)(const struct nl_msg *m, void *arg);

static uint16_t nl_family_id;
static uint32_t nl_events_group;
static uint32_t nl_seq = 1;

static void *nl_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static uint32_t nl_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nl_data(a), sizeof(v));
	return v;
}

static uint64_t nl_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, nl_data(a), sizeof(v));
	return v;
}

/* Index the attributes in [a, a + len) into @tb (types up to @max). */
static void nl_parse(const struct nlattr **tb, int max, const void *a, int len)
{
	const struct nlattr *nla = a;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= (int)NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN && nla->nla_len <= len) {
		int type = nla->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = nla;
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla + NLA_ALIGN(nla->nla_len));
	}
}

static int nl_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_OK(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)));
	return fd;
}

static void nl_req_init(struct nl_req *r, uint16_t type, uint16_t flags, uint8_t cmd,
			uint8_t version)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nlh.nlmsg_seq = nl_seq++;
	g = NLMSG_DATA(&r->nlh);
	g->cmd = cmd;
	g->version = version;
}

static void nl_put(struct nl_req *r, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh.nlmsg_len));

	ASSERT_TRUE(NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) <= sizeof(r->buf));
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(nl_data(a), data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void nl_put_u32(struct nl_req *r, uint16_t type, uint32_t v)
{
	nl_put(r, type, &v, sizeof(v));
}

static void nl_put_u64(struct nl_req *r, uint16_t type, uint64_t v)
{
	nl_put(r, type, &v, sizeof(v));
}

static void nl_put_str(struct nl_req *r, uint16_t type, const char *s)
{
	nl_put(r, type, s, strlen(s) + 1);
}

/* A vmarena request: command @cmd, NLM_F_DUMP when @dump. */
static void nl_vreq(struct nl_req *r, uint8_t cmd, bool dump)
{
	nl_req_init(r, nl_family_id, dump ? NLM_F_DUMP : 0, cmd, VMARENA_GENL_VERSION);
}

/* The extack message of an NLMSG_ERROR, if it carries one. */
static void nl_extack(const struct nlmsghdr *nlh, struct nl_result *res)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= (int)nlh->nlmsg_len)
		return;
	nl_parse(tb, NLMSGERR_ATTR_MAX, (const char *)e + off,
		 nlh->nlmsg_len - NLMSG_HDRLEN - off);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(res->extack, sizeof(res->extack), "%s",
			 (const char *)nl_data(tb[NLMSGERR_ATTR_MSG]));
}

/*
 * Send @r on @fd and read until its ack, NLMSG_DONE or an error, passing
 * each data message of the family @type to @cb.
 */
static void nl_exchange_type(int fd, struct nl_req *r, uint16_t type, nl_cb cb, void *arg,
			     struct nl_result *res)
{
	static char buf[NL_BUF];
	bool done = false;

	memset(res, 0, sizeof(*res));
	ASSERT_EQ(send(fd, r->buf, r->nlh.nlmsg_len, 0), (long)r->nlh.nlmsg_len);
	while (!done) {
		struct nlmsghdr *nlh;
		long n = recv(fd, buf, sizeof(buf), 0);

		ASSERT_TRUE(n > 0);
		res->recvs++;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				res->intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				res->error = -e->error;
				nl_extack(nlh, res);
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err;

				memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				res->error = -err;
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
					const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

					nl_parse(tb, NLMSGERR_ATTR_MAX,
						 (char *)NLMSG_DATA(nlh) + sizeof(int),
						 nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int)));
					if (tb[NLMSGERR_ATTR_MSG])
						snprintf(res->extack, sizeof(res->extack), "%s",
							 (char *)nl_data(tb[NLMSGERR_ATTR_MSG]));
				}
				done = true;
				break;
			}
			if (nlh->nlmsg_type == type) {
				struct genlmsghdr *g = NLMSG_DATA(nlh);
				struct nl_msg m = { .flags = nlh->nlmsg_flags, .cmd = g->cmd };

				m.attrs = (const struct nlattr *)((char *)g + GENL_HDRLEN);
				m.attrs_len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
				nl_parse(m.tb, VMARENA_A_MAX, m.attrs, m.attrs_len);
				res->msgs++;
				if (cb)
					cb(&m, arg);
			}
		}
	}
}

static void nl_exchange(int fd, struct nl_req *r, nl_cb cb, void *arg, struct nl_result *res)
{
	nl_exchange_type(fd, r, nl_family_id, cb, arg, res);
}

/* CTRL_CMD_GETFAMILY "vmarena": its id, version and the events group. */
struct nl_ctrl {
	uint16_t id;
	uint32_t version, group;
	bool found;
};

static void nl_resolve_on(int fd, struct nl_ctrl *ctrl)
{
	static char buf[NL_BUF];
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g;
	struct nl_req r;
	struct nlmsghdr *nlh;
	long n;

	memset(ctrl, 0, sizeof(*ctrl));
	nl_req_init(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	nl_put_str(&r, CTRL_ATTR_FAMILY_NAME, VMARENA_GENL_NAME);
	r.nlh.nlmsg_flags &= ~NLM_F_ACK;
	ASSERT_EQ(send(fd, r.buf, r.nlh.nlmsg_len, 0), (long)r.nlh.nlmsg_len);
	n = recv(fd, buf, sizeof(buf), 0);
	ASSERT_TRUE(n > 0);
	nlh = (struct nlmsghdr *)buf;
	ASSERT_TRUE(NLMSG_OK(nlh, n));
	ASSERT_EQ(nlh->nlmsg_type, GENL_ID_CTRL);
	nl_parse(tb, CTRL_ATTR_MAX, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		 nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	ASSERT_TRUE(tb[CTRL_ATTR_FAMILY_ID] && tb[CTRL_ATTR_VERSION]);
	ctrl->found = true;
	memcpy(&ctrl->id, nl_data(tb[CTRL_ATTR_FAMILY_ID]), sizeof(ctrl->id));
	ctrl->version = nl_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	/* A nest of nests, each with a name and an id. */
	g = nl_data(tb[CTRL_ATTR_MCAST_GROUPS]);
	for (int len = tb[CTRL_ATTR_MCAST_GROUPS]->nla_len - NLA_HDRLEN;
	     len >= (int)NLA_HDRLEN && g->nla_len >= NLA_HDRLEN;
	     len -= NLA_ALIGN(g->nla_len),
	     g = (const struct nlattr *)((const char *)g + NLA_ALIGN(g->nla_len))) {
		const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];

		nl_parse(gtb, CTRL_ATTR_MCAST_GRP_MAX, nl_data(g), g->nla_len - NLA_HDRLEN);
		if (gtb[CTRL_ATTR_MCAST_GRP_NAME] && gtb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(nl_data(gtb[CTRL_ATTR_MCAST_GRP_NAME]), VMARENA_GENL_MCGRP_EVENTS))
			ctrl->group = nl_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

/* A socket with the family resolved. */
static int nl_open(void)
{
	struct nl_ctrl ctrl;
	int fd = nl_socket();

	nl_resolve_on(fd, &ctrl);
	nl_family_id = ctrl.id;
	nl_events_group = ctrl.group;
	return fd;
}

/* ---- collectors ---------------------------------------------------------- */

#define NL_MAX_ROWS	4096

struct nl_area_row {
	uint32_t id, aspace, prot, lock, depth, cache_id, generation;
	uint64_t base, size, resident;
	char name[VMARENA_NAME_MAX];
};

struct nl_areas {
	int n;
	bool mixed_generation;
	struct nl_area_row row[NL_MAX_ROWS];
};

static void nl_area_cb(const struct nl_msg *m, void *arg)
{
	struct nl_areas *a = arg;
	struct nl_area_row *r;

	EXPECT_EQ(m->cmd, VMARENA_CMD_AREA_GET);
	if (a->n == NL_MAX_ROWS || !m->tb[VMARENA_A_AREA_ID])
		return;
	r = &a->row[a->n++];
	memset(r, 0, sizeof(*r));
	r->id = nl_u32(m->tb[VMARENA_A_AREA_ID]);
	r->aspace = nl_u32(m->tb[VMARENA_A_AREA_ASPACE_ID]);
	r->base = nl_u64(m->tb[VMARENA_A_AREA_BASE]);
	r->size = nl_u64(m->tb[VMARENA_A_AREA_SIZE]);
	r->prot = nl_u32(m->tb[VMARENA_A_AREA_PROTECTION]);
	r->lock = nl_u32(m->tb[VMARENA_A_AREA_LOCK_LEVEL]);
	r->depth = nl_u32(m->tb[VMARENA_A_AREA_CACHE_DEPTH]);
	r->cache_id = nl_u32(m->tb[VMARENA_A_AREA_CACHE_ID]);
	r->resident = nl_u64(m->tb[VMARENA_A_AREA_RESIDENT]);
	r->generation = nl_u32(m->tb[VMARENA_A_GENERATION]);
	if (a->n > 1 && r->generation != a->row[0].generation)
		a->mixed_generation = true;
	snprintf(r->name, sizeof(r->name), "%s", (char *)nl_data(m->tb[VMARENA_A_AREA_NAME]));
}

static void nl_area_dump(int fd, uint32_t asid, struct nl_areas *a, struct nl_result *res)
{
	struct nl_req r;

	a->n = 0;
	a->mixed_generation = false;
	nl_vreq(&r, VMARENA_CMD_AREA_GET, true);
	if (asid)
		nl_put_u32(&r, VMARENA_A_ASPACE_ID, asid);
	nl_exchange(fd, &r, nl_area_cb, a, res);
}

static struct nl_area_row *nl_find_area(struct nl_areas *a, uint32_t id)
{
	for (int i = 0; i < a->n; i++)
		if (a->row[i].id == id)
			return &a->row[i];
	return NULL;
}

struct nl_aspace_row {
	uint32_t id, owner, areas;
	uint64_t base, size;
	char name[VMARENA_NAME_MAX];
};

struct nl_aspaces {
	int n;
	struct nl_aspace_row row[256];
};

static void nl_aspace_cb(const struct nl_msg *m, void *arg)
{
	struct nl_aspaces *a = arg;
	struct nl_aspace_row *r;

	EXPECT_EQ(m->cmd, VMARENA_CMD_ASPACE_GET);
	if (a->n == 256 || !m->tb[VMARENA_A_ASPACE_ID])
		return;
	r = &a->row[a->n++];
	r->id = nl_u32(m->tb[VMARENA_A_ASPACE_ID]);
	r->owner = nl_u32(m->tb[VMARENA_A_ASPACE_OWNER]);
	r->areas = nl_u32(m->tb[VMARENA_A_ASPACE_AREAS]);
	r->base = nl_u64(m->tb[VMARENA_A_ASPACE_BASE]);
	r->size = nl_u64(m->tb[VMARENA_A_ASPACE_SIZE]);
	snprintf(r->name, sizeof(r->name), "%s", (char *)nl_data(m->tb[VMARENA_A_ASPACE_NAME]));
}

static struct nl_aspace_row *nl_find_aspace(struct nl_aspaces *a, uint32_t id)
{
	for (int i = 0; i < a->n; i++)
		if (a->row[i].id == id)
			return &a->row[i];
	return NULL;
}

static int nl_aspace_named(int ctl, const char *name, uint64_t base, uint64_t len,
			   uint32_t *id)
{
	struct vmarena_aspace_create c;
	int fd;

	va_aspace_req(&c, name, base, len, 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_TRUE(fd >= 0);
	*id = c.out_id;
	return fd;
}

/* ---- resolution, aspaces, areas ------------------------------------------ */

VT_TEST(netlink_family_resolves)
{
	int fd = nl_socket();
	struct nl_ctrl ctrl;

	nl_resolve_on(fd, &ctrl);
	EXPECT_TRUE(ctrl.found);
	EXPECT_GE(ctrl.id, GENL_MIN_ID);
	EXPECT_EQ(ctrl.version, VMARENA_GENL_VERSION);
	EXPECT_NE(ctrl.group, 0);
	close(fd);
}

VT_TEST(netlink_aspace_get_and_dump)
{
	int ctl = va_ctl_ok(), fd = nl_open();
	struct nl_aspaces *all = calloc(1, sizeof(*all));
	struct nl_aspace_row *row;
	struct nl_result res;
	struct nl_req r;
	uint32_t id, area;
	int as;

	as = nl_aspace_named(ctl, "nl-aspace", VA_BASE, VA_LEN, &id);
	area = va_anon_ok(as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_NE(area, 0);

	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, id);
	nl_exchange(fd, &r, nl_aspace_cb, all, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(all->n, 1);
	EXPECT_EQ(all->row[0].id, id);
	EXPECT_STREQ(all->row[0].name, "nl-aspace");
	EXPECT_EQ(all->row[0].base, VA_BASE);
	EXPECT_EQ(all->row[0].size, VA_LEN);
	EXPECT_EQ(all->row[0].owner, 0);
	EXPECT_EQ(all->row[0].areas, 1);

	all->n = 0;
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, true);
	nl_exchange(fd, &r, nl_aspace_cb, all, &res);
	ASSERT_EQ(res.error, 0);
	row = nl_find_aspace(all, id);
	ASSERT_TRUE(row);
	EXPECT_STREQ(row->name, "nl-aspace");
	for (int i = 1; i < all->n; i++)
		EXPECT_LT(all->row[i - 1].id, all->row[i].id);

	/* Gone with its last fd: a get answers ENOENT. */
	close(as);
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, id);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ENOENT);
	EXPECT_TRUE(res.extack[0]);
	free(all);
	close(fd);
	close(ctl);
}

VT_TEST(netlink_area_get_and_dump_match_ioctls)
{
	struct nl_areas *a = calloc(1, sizeof(*a));
	int fd = nl_open();
	struct nl_area_row *row;
	struct nl_result res;
	struct va_env e;
	struct nl_req r;
	uint32_t ro, rw, locked;

	va_env_init(&e);
	ro = va_anon_named_ok(e.as, "nl-ro", VA_BASE + VA_PAGES(16), VA_PAGES(3),
			      VMARENA_PROT_READ, 0);
	rw = va_anon_named_ok(e.as, "nl-rw", VA_BASE, VA_PAGES(4), VA_RW, 0);
	locked = va_anon_named_ok(e.as, "nl-locked", VA_BASE + VA_PAGES(32), VA_PAGES(2),
				  VA_RW, 0);
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_LOCK, locked, VMARENA_LOCK_LOCKED));

	nl_area_dump(fd, e.asid, a, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(a->n, 3);
	/* Address order, each as created. */
	EXPECT_EQ(a->row[0].id, rw);
	EXPECT_EQ(a->row[1].id, ro);
	EXPECT_EQ(a->row[2].id, locked);
	EXPECT_STREQ(a->row[0].name, "nl-rw");
	EXPECT_EQ(a->row[0].base, VA_BASE);
	EXPECT_EQ(a->row[0].size, VA_PAGES(4));
	EXPECT_EQ(a->row[0].prot, VA_RW);
	EXPECT_STREQ(a->row[1].name, "nl-ro");
	EXPECT_EQ(a->row[1].base, VA_BASE + VA_PAGES(16));
	EXPECT_EQ(a->row[1].size, VA_PAGES(3));
	EXPECT_EQ(a->row[1].prot, VMARENA_PROT_READ);
	EXPECT_EQ(a->row[2].lock, VMARENA_LOCK_LOCKED);
	EXPECT_EQ(a->row[0].lock, VMARENA_LOCK_UNLOCKED);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(a->row[i].aspace, e.asid);
		EXPECT_EQ(a->row[i].depth, 1);
		EXPECT_NE(a->row[i].cache_id, 0);
	}

	/* A get of one, after a resize and a protection change. */
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_RESIZE, rw, VA_PAGES(8)));
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_PROTECT, rw, VMARENA_PROT_READ));
	a->n = 0;
	nl_vreq(&r, VMARENA_CMD_AREA_GET, false);
	nl_put_u32(&r, VMARENA_A_AREA_ID, rw);
	nl_exchange(fd, &r, nl_area_cb, a, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(a->n, 1);
	row = nl_find_area(a, rw);
	ASSERT_TRUE(row);
	EXPECT_EQ(row->size, VA_PAGES(8));
	EXPECT_EQ(row->prot, VMARENA_PROT_READ);

	/* Deleted: ENOENT. */
	ASSERT_OK(va_area_op(e.as, VMARENA_IOC_AREA_DELETE, ro, 0));
	nl_vreq(&r, VMARENA_CMD_AREA_GET, false);
	nl_put_u32(&r, VMARENA_A_AREA_ID, ro);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ENOENT);
	free(a);
	close(fd);
	close(e.as);
	close(e.ctl);
}

/* ---- caches, pages, translation ------------------------------------------ */

struct nl_cache_row {
	uint32_t id, depth, source, store, areas, nr_consumers;
	uint32_t consumers[16];
	bool temporary;
	uint64_t resident;
};

struct nl_caches {
	int n;
	struct nl_cache_row row[16];
};

static void nl_cache_cb(const struct nl_msg *m, void *arg)
{
	struct nl_caches *c = arg;
	struct nl_cache_row *r;
	const struct nlattr *n;

	EXPECT_EQ(m->cmd, VMARENA_CMD_CACHE_GET);
	if (c->n == 16)
		return;
	r = &c->row[c->n++];
	memset(r, 0, sizeof(*r));
	r->id = nl_u32(m->tb[VMARENA_A_CACHE_ID]);
	r->depth = nl_u32(m->tb[VMARENA_A_CACHE_DEPTH]);
	r->source = m->tb[VMARENA_A_CACHE_SOURCE_ID] ? nl_u32(m->tb[VMARENA_A_CACHE_SOURCE_ID]) : 0;
	r->store = nl_u32(m->tb[VMARENA_A_CACHE_STORE]);
	r->areas = nl_u32(m->tb[VMARENA_A_CACHE_AREAS]);
	r->temporary = m->tb[VMARENA_A_CACHE_TEMPORARY];
	r->resident = nl_u64(m->tb[VMARENA_A_CACHE_RESIDENT]);
	ASSERT_TRUE(m->tb[VMARENA_A_CACHE_CONSUMERS]);
	n = nl_data(m->tb[VMARENA_A_CACHE_CONSUMERS]);
	for (int len = m->tb[VMARENA_A_CACHE_CONSUMERS]->nla_len - NLA_HDRLEN;
	     len >= (int)NLA_HDRLEN && r->nr_consumers < 16;
	     len -= NLA_ALIGN(n->nla_len),
	     n = (const struct nlattr *)((const char *)n + NLA_ALIGN(n->nla_len))) {
		EXPECT_EQ(n->nla_type, VMARENA_A_CACHE_CONSUMER);
		r->consumers[r->nr_consumers++] = nl_u32(n);
	}
}

static void nl_cache_dump(int fd, uint32_t area, struct nl_caches *c, struct nl_result *res)
{
	struct nl_req r;

	c->n = 0;
	nl_vreq(&r, VMARENA_CMD_CACHE_GET, true);
	nl_put_u32(&r, VMARENA_A_AREA_ID, area);
	nl_exchange(fd, &r, nl_cache_cb, c, res);
}

VT_TEST(netlink_cache_chain_of_private_clone)
{
	struct nl_caches *c = calloc(1, sizeof(*c));
	struct nl_areas *a = calloc(1, sizeof(*a));
	int fd = nl_open();
	struct nl_result res;
	struct va_env e;
	uint32_t src, clone;
	char *w;

	va_env_init(&e);
	src = va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_LAZY);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(64));
	va_poke(w, 1);
	va_poke(w + VA_PAGE, 2);
	clone = va_clone_ok(e.as, src, VA_BASE + VA_PAGES(32), VMARENA_MAP_PRIVATE, VA_RW);
	va_poke(w + VA_PAGES(32), 3);		/* one copy-on-write copy */

	nl_cache_dump(fd, clone, c, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_GE(c->n, 2);
	nl_area_dump(fd, e.asid, a, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_TRUE(nl_find_area(a, clone));
	EXPECT_EQ(nl_find_area(a, clone)->cache_id, c->row[0].id);
	EXPECT_EQ(nl_find_area(a, clone)->depth, c->n);
	/* The top: the clone's own copy-on-write layer, holding its copy. */
	EXPECT_TRUE(c->row[0].temporary);
	EXPECT_EQ(c->row[0].store, VMARENA_CACHE_STORE_ANON);
	EXPECT_EQ(c->row[0].resident, 1);
	EXPECT_EQ(c->row[0].areas, 1);
	for (int i = 0; i < c->n; i++) {
		bool listed = false;

		EXPECT_EQ(c->row[i].depth, i);
		if (i + 1 == c->n) {
			EXPECT_EQ(c->row[i].source, 0);
			break;
		}
		EXPECT_EQ(c->row[i].source, c->row[i + 1].id);
		for (unsigned int k = 0; k < c->row[i + 1].nr_consumers; k++)
			listed |= c->row[i + 1].consumers[k] == c->row[i].id;
		EXPECT_TRUE(listed);
	}
	/* The source's pages are at the bottom of the chain. */
	EXPECT_GE(c->row[c->n - 1].resident, 2);

	munmap(w, VA_PAGES(64));
	free(a);
	free(c);
	close(fd);
	close(e.as);
	close(e.ctl);
}

/*
 * debugfs and netlink are two views of the same snapshots (desc.c): for
 * the same still objects they say the same of the aspace, of every area
 * and of a private clone's cache chain, cache by cache.
 */
VT_TEST(netlink_and_debugfs_tell_the_same)
{
	static const char *const lock_names[] = { "unlocked", "locked", "super-locked" };
	struct nl_caches *c = calloc(1, sizeof(*c));
	struct nl_areas *a = calloc(1, sizeof(*a));
	struct nl_aspaces *all = calloc(1, sizeof(*all));
	char prefix[64], *aspaces, *areas, *caches, *chain, *line, *p;
	uint32_t asid, src, lazy, clone, id, resident;
	int ctl = va_ctl_ok(), fd = nl_open(), as, i, n;
	struct dfs_aspace da;
	struct dfs_area ar;
	struct nl_result res;
	struct nl_req r;
	char *w;

	ASSERT_TRUE(c && a && all);
	as = nl_aspace_named(ctl, "nl-dfs", VA_BASE, VA_LEN, &asid);
	src = va_anon_ok(as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_WIRED);
	lazy = va_anon_ok(as, VA_BASE + VA_PAGES(8), VA_PAGES(8), VA_RW, VMARENA_WIRING_LAZY);
	clone = va_clone_ok(as, src, VA_BASE + VA_PAGES(32), VMARENA_MAP_PRIVATE, VA_RW);
	w = va_map_ok(as, VA_BASE, VA_PAGES(64));
	va_poke(w + VA_PAGES(8 + 2), 1);
	va_poke(w + VA_PAGES(32 + 1), 2);
	va_poke(w + VA_PAGES(32 + 3), 3);
	ASSERT_OK(munmap(w, VA_PAGES(64)));

	aspaces = dfs_slurp(DFS "/aspaces");
	areas = dfs_slurp(DFS "/areas");
	caches = dfs_slurp(DFS "/caches");
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, asid);
	nl_exchange(fd, &r, nl_aspace_cb, all, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(all->n, 1);
	nl_area_dump(fd, asid, a, &res);
	ASSERT_EQ(res.error, 0);
	nl_cache_dump(fd, clone, c, &res);
	ASSERT_EQ(res.error, 0);

	snprintf(prefix, sizeof(prefix), "aspace %u ", asid);
	line = dfs_line(aspaces, prefix);
	VT_CHECK(line && dfs_parse_aspace(line, &da), 1, "aspace %u in:\n%s", asid, aspaces);
	EXPECT_STREQ(da.name, all->row[0].name);
	EXPECT_EQ(da.start, all->row[0].base);
	EXPECT_EQ(da.size, all->row[0].size);
	EXPECT_EQ(da.owner, all->row[0].owner);
	EXPECT_EQ(da.areas, all->row[0].areas);
	free(line);

	EXPECT_EQ(a->n, 3);
	snprintf(prefix, sizeof(prefix), "\" aspace %u ", asid);
	EXPECT_EQ(dfs_count_lines(areas, prefix), a->n);
	for (i = 0; i < a->n; i++) {
		const struct nl_area_row *row = &a->row[i];

		snprintf(prefix, sizeof(prefix), "area %u ", row->id);
		line = dfs_line(areas, prefix);
		VT_CHECK(line && dfs_parse_area(line, &ar), 1, "area %u in:\n%s", row->id, areas);
		EXPECT_STREQ(ar.name, row->name);
		EXPECT_EQ(ar.aspace, row->aspace);
		EXPECT_EQ(ar.start, row->base);
		EXPECT_EQ(ar.size, row->size);
		EXPECT_EQ(ar.prot, row->prot);
		ASSERT_TRUE(row->lock < 3);
		EXPECT_STREQ(ar.lock, lock_names[row->lock]);
		EXPECT_EQ(ar.depth, row->depth);
		EXPECT_EQ(ar.cache, row->cache_id);
		EXPECT_EQ(ar.resident, row->resident);
		free(line);
	}
	EXPECT_TRUE(nl_find_area(a, src) && nl_find_area(a, lazy) && nl_find_area(a, clone));

	/* The clone's chain: the same caches, top first, with the same pages. */
	chain = dfs_chain_of(caches, clone);
	VT_CHECK(chain, 1, "no chain for area %u in:\n%s", clone, caches);
	EXPECT_EQ(dfs_count_lines(chain, "`- cache "), c->n);
	for (p = chain, n = 0; (p = strstr(p, "`- cache ")); p++, n++) {
		ASSERT_EQ(sscanf(p, "`- cache %u", &id), 1);
		line = strndup(p, strchrnul(p, '\n') - p);
		ASSERT_TRUE(line && strstr(line, " resident "));
		ASSERT_EQ(sscanf(strstr(line, " resident "), " resident %u", &resident), 1);
		if (n < c->n) {
			EXPECT_EQ(id, c->row[n].id);
			EXPECT_EQ(resident, c->row[n].resident);
		}
		free(line);
	}
	EXPECT_EQ(n, 2);
	free(chain);
	free(caches);
	free(areas);
	free(aspaces);
	free(all);
	free(a);
	free(c);
	close(as);
	close(fd);
	close(ctl);
}

struct nl_page_row {
	uint64_t offset, address, phys;
	uint32_t state, wired, prot;
	bool has_state, has_phys, masked;
};

struct nl_pages {
	int n;
	struct nl_page_row row[64];
};

static void nl_page_cb(const struct nl_msg *m, void *arg)
{
	struct nl_pages *p = arg;
	struct nl_page_row *r;

	EXPECT_EQ(m->cmd, VMARENA_CMD_PAGE_GET);
	if (p->n == 64)
		return;
	r = &p->row[p->n++];
	memset(r, 0, sizeof(*r));
	r->offset = nl_u64(m->tb[VMARENA_A_PAGE_OFFSET]);
	r->address = nl_u64(m->tb[VMARENA_A_PAGE_ADDRESS]);
	r->prot = nl_u32(m->tb[VMARENA_A_PAGE_PROT]);
	r->has_state = m->tb[VMARENA_A_PAGE_STATE];
	if (r->has_state) {
		r->state = nl_u32(m->tb[VMARENA_A_PAGE_STATE]);
		r->wired = nl_u32(m->tb[VMARENA_A_PAGE_WIRED_COUNT]);
	}
	r->has_phys = m->tb[VMARENA_A_PAGE_PHYS];
	if (r->has_phys)
		r->phys = nl_u64(m->tb[VMARENA_A_PAGE_PHYS]);
	r->masked = m->tb[VMARENA_A_PHYS_MASKED];
}

static void nl_page_dump(int fd, uint32_t area, struct nl_pages *p, struct nl_result *res)
{
	struct nl_req r;

	p->n = 0;
	nl_vreq(&r, VMARENA_CMD_PAGE_GET, true);
	nl_put_u32(&r, VMARENA_A_AREA_ID, area);
	nl_exchange(fd, &r, nl_page_cb, p, res);
}

VT_TEST(netlink_pages_after_touching)
{
	struct nl_pages *p = calloc(1, sizeof(*p));
	int fd = nl_open();
	struct nl_result res;
	struct va_env e;
	uint32_t lazy, wired;
	uint64_t phys;
	char *w;

	va_env_init(&e);
	lazy = va_anon_ok(e.as, VA_BASE, VA_PAGES(8), VA_RW, VMARENA_WIRING_LAZY);
	wired = va_anon_ok(e.as, VA_BASE + VA_PAGES(16), VA_PAGES(2), VA_RW,
			   VMARENA_WIRING_WIRED);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(32));

	nl_page_dump(fd, lazy, p, &res);
	ASSERT_EQ(res.error, 0);
	EXPECT_EQ(p->n, 0);		/* nothing touched yet */

	va_poke(w, 1);
	va_poke(w + VA_PAGES(5), 1);
	nl_page_dump(fd, lazy, p, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(p->n, 2);
	EXPECT_EQ(p->row[0].offset, 0);
	EXPECT_EQ(p->row[0].address, VA_BASE);
	EXPECT_EQ(p->row[1].offset, 5);
	EXPECT_EQ(p->row[1].address, VA_BASE + VA_PAGES(5));
	for (int i = 0; i < 2; i++) {
		EXPECT_TRUE(p->row[i].has_state);
		EXPECT_TRUE(p->row[i].state == VMARENA_PAGE_STATE_ACTIVE ||
			    p->row[i].state == VMARENA_PAGE_STATE_INACTIVE ||
			    p->row[i].state == VMARENA_PAGE_STATE_MODIFIED);
		EXPECT_EQ(p->row[i].wired, 0);
		EXPECT_TRUE(p->row[i].prot & VMARENA_PROT_WRITE);
		EXPECT_TRUE(p->row[i].has_phys);	/* root: CAP_SYS_ADMIN */
		EXPECT_TRUE(!p->row[i].masked);
	}
	ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(5), &phys));
	EXPECT_EQ(p->row[1].phys, phys);

	/* A start offset skips the pages before it. */
	{
		struct nl_req r;

		p->n = 0;
		nl_vreq(&r, VMARENA_CMD_PAGE_GET, true);
		nl_put_u32(&r, VMARENA_A_AREA_ID, lazy);
		nl_put_u64(&r, VMARENA_A_PAGE_OFFSET, 1);
		nl_exchange(fd, &r, nl_page_cb, p, &res);
		ASSERT_EQ(res.error, 0);
		ASSERT_EQ(p->n, 1);
		EXPECT_EQ(p->row[0].offset, 5);
	}

	nl_page_dump(fd, wired, p, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(p->n, 2);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(p->row[i].state, VMARENA_PAGE_STATE_WIRED);
		EXPECT_GE(p->row[i].wired, 1);
	}
	munmap(w, VA_PAGES(32));
	free(p);
	close(fd);
	close(e.as);
	close(e.ctl);
}

struct nl_xlate {
	int levels;
	uint32_t num[4], index[4];
	uint64_t entry[4], phys;
	uint32_t prot;
	bool has_phys, has_prot, masked;
};

static void nl_xlate_cb(const struct nl_msg *m, void *arg)
{
	struct nl_xlate *x = arg;
	const struct nlattr *a = m->attrs;
	int len = m->attrs_len;

	EXPECT_EQ(m->cmd, VMARENA_CMD_TRANSLATE);
	x->masked = m->tb[VMARENA_A_PHYS_MASKED];
	x->has_phys = m->tb[VMARENA_A_XLATE_PHYS];
	if (x->has_phys)
		x->phys = nl_u64(m->tb[VMARENA_A_XLATE_PHYS]);
	x->has_prot = m->tb[VMARENA_A_XLATE_PROT];
	if (x->has_prot)
		x->prot = nl_u32(m->tb[VMARENA_A_XLATE_PROT]);
	/* The level nests repeat: walk every attribute in order. */
	x->levels = 0;
	for (; len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const struct nlattr *tb[VMARENA_A_MAX + 1];

		if ((a->nla_type & NLA_TYPE_MASK) != VMARENA_A_XLATE_LEVEL || x->levels == 4)
			continue;
		nl_parse(tb, VMARENA_A_MAX, nl_data(a), a->nla_len - NLA_HDRLEN);
		ASSERT_TRUE(tb[VMARENA_A_XLATE_LEVEL_NUM] && tb[VMARENA_A_XLATE_INDEX] &&
			    tb[VMARENA_A_XLATE_ENTRY]);
		x->num[x->levels] = nl_u32(tb[VMARENA_A_XLATE_LEVEL_NUM]);
		x->index[x->levels] = nl_u32(tb[VMARENA_A_XLATE_INDEX]);
		x->entry[x->levels] = nl_u64(tb[VMARENA_A_XLATE_ENTRY]);
		x->levels++;
	}
}

static void nl_translate(int fd, uint32_t asid, uint64_t address, struct nl_xlate *x,
			 struct nl_result *res)
{
	struct nl_req r;

	memset(x, 0, sizeof(*x));
	nl_vreq(&r, VMARENA_CMD_TRANSLATE, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, asid);
	nl_put_u64(&r, VMARENA_A_ADDRESS, address);
	nl_exchange(fd, &r, nl_xlate_cb, x, res);
}

#define NL_PTE_PRESENT	0x1ULL
#define NL_PTE_FRAME	0x000ffffffffff000ULL

VT_TEST(netlink_translate_walks_the_fragments)
{
	int fd = nl_open();
	struct nl_result res;
	struct nl_xlate x;
	struct va_env e;
	uint64_t addr, phys;
	char *w;

	va_env_init(&e);
	va_anon_ok(e.as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_LAZY);
	w = va_map_ok(e.as, VA_BASE, VA_PAGES(4));

	/* Nothing mapped yet: no table at all. */
	nl_translate(fd, e.asid, VA_BASE, &x, &res);
	ASSERT_EQ(res.error, 0);
	EXPECT_EQ(x.levels, 0);
	EXPECT_TRUE(!x.has_prot);

	va_poke(w + VA_PAGES(2) + 123, 7);
	addr = VA_BASE + VA_PAGES(2) + 123;
	ASSERT_OK(va_page_mapping(e.as, VA_BASE + VA_PAGES(2), &phys));
	nl_translate(fd, e.asid, addr, &x, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(x.levels, 4);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(x.num[i], VMARENA_XLATE_PML4 - i);
		EXPECT_EQ(x.index[i], (addr >> (12 + 9 * (3 - i))) & 511);
		EXPECT_TRUE(x.entry[i] & NL_PTE_PRESENT);
	}
	EXPECT_EQ(x.entry[3] & NL_PTE_FRAME, phys);
	EXPECT_TRUE(x.has_phys);
	EXPECT_EQ(x.phys, phys + 123);
	EXPECT_TRUE(x.has_prot);
	EXPECT_EQ(x.prot, VA_RW);
	EXPECT_TRUE(!x.masked);

	/* A neighbour page that is not mapped: the walk ends at the PT entry. */
	nl_translate(fd, e.asid, VA_BASE + VA_PAGES(3), &x, &res);
	ASSERT_EQ(res.error, 0);
	EXPECT_EQ(x.levels, 4);
	EXPECT_EQ(x.entry[3] & NL_PTE_PRESENT, 0);
	EXPECT_TRUE(!x.has_prot);

	/* Outside the aspace. */
	nl_translate(fd, e.asid, VA_BASE + VA_LEN, &x, &res);
	EXPECT_EQ(res.error, ERANGE);
	EXPECT_TRUE(res.extack[0]);
	munmap(w, VA_PAGES(4));
	close(fd);
	close(e.as);
	close(e.ctl);
}

struct nl_stats {
	int msgs;
	uint64_t pages_max, commit_limit, swap_total, faults, cow, pageins, aspaces;
	int states;
};

static uint64_t nl_u64_or(const struct nlattr *a, uint64_t dflt)
{
	return a ? nl_u64(a) : dflt;
}

static void nl_stats_cb(const struct nl_msg *m, void *arg)
{
	const struct nlattr *tb[VMARENA_PAGE_STATES + 1];
	struct nl_stats *st = arg;

	EXPECT_EQ(m->cmd, VMARENA_CMD_STATS_GET);
	st->msgs++;
	st->pages_max = nl_u64_or(m->tb[VMARENA_A_STATS_PAGES_MAX], ~0ULL);
	st->commit_limit = nl_u64_or(m->tb[VMARENA_A_STATS_COMMIT_LIMIT], ~0ULL);
	st->swap_total = nl_u64_or(m->tb[VMARENA_A_STATS_SWAP_TOTAL], ~0ULL);
	st->faults = nl_u64_or(m->tb[VMARENA_A_STATS_FAULTS], 0);
	st->cow = nl_u64_or(m->tb[VMARENA_A_STATS_FAULTS_COW], 0);
	st->pageins = nl_u64_or(m->tb[VMARENA_A_STATS_PAGEINS], 0);
	st->aspaces = nl_u64_or(m->tb[VMARENA_A_STATS_ASPACES], 0);
	st->states = 0;
	if (!m->tb[VMARENA_A_STATS_PAGES])
		return;
	nl_parse(tb, VMARENA_PAGE_STATES, nl_data(m->tb[VMARENA_A_STATS_PAGES]),
		 m->tb[VMARENA_A_STATS_PAGES]->nla_len - NLA_HDRLEN);
	for (int i = 1; i <= VMARENA_PAGE_STATES; i++)
		st->states += !!tb[i];
}

VT_TEST(netlink_stats_match_the_ioctl)
{
	int ctl = va_ctl_ok(), fd = nl_open(), as;
	struct vmarena_stats st = { .size = sizeof(st) };
	struct nl_stats got = { 0 };
	struct nl_result res;
	struct nl_req r;
	uint32_t id;

	as = nl_aspace_named(ctl, "nl-stats", VA_BASE, VA_LEN, &id);
	ASSERT_OK(ioctl(ctl, VMARENA_IOC_STATS, &st));
	nl_vreq(&r, VMARENA_CMD_STATS_GET, false);
	nl_exchange(fd, &r, nl_stats_cb, &got, &res);
	ASSERT_EQ(res.error, 0);
	ASSERT_EQ(got.msgs, 1);
	EXPECT_EQ(got.pages_max, st.out_pages_max);
	EXPECT_EQ(got.commit_limit, st.out_commit_limit);
	EXPECT_EQ(got.swap_total, st.out_swap_total);
	EXPECT_GE(got.faults, st.out_faults);
	EXPECT_GE(got.cow, st.out_faults_cow);
	EXPECT_GE(got.pageins, st.out_pageins);
	EXPECT_GE(got.aspaces, 1);
	EXPECT_EQ(got.states, VMARENA_PAGE_STATES);
	close(as);
	close(fd);
	close(ctl);
}

/* ---- policy -------------------------------------------------------------- */

VT_TEST(netlink_policy_violations)
{
	int fd = nl_open();
	struct nl_result res;
	struct nl_req r;
	uint16_t small = 1;

	/* A required attribute missing. */
	nl_vreq(&r, VMARENA_CMD_AREA_GET, false);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	nl_vreq(&r, VMARENA_CMD_TRANSLATE, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, 1);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	nl_vreq(&r, VMARENA_CMD_PAGE_GET, true);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	EXPECT_TRUE(res.extack[0]);

	/* Out of range: id 0, an address above the fragments' limit. */
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, 0);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ERANGE);
	EXPECT_TRUE(res.extack[0]);
	nl_vreq(&r, VMARENA_CMD_TRANSLATE, false);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, 1);
	nl_put_u64(&r, VMARENA_A_ADDRESS, VA_LIMIT);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ERANGE);

	/* The wrong size, a reply-only attribute, an unknown attribute type. */
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
	nl_put(&r, VMARENA_A_ASPACE_ID, &small, sizeof(small));
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, true);
	nl_put_str(&r, VMARENA_A_ASPACE_NAME, "x");
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	EXPECT_TRUE(res.extack[0]);
	nl_vreq(&r, VMARENA_CMD_ASPACE_GET, true);
	nl_put_u32(&r, VMARENA_A_MAX + 1, 1);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);

	/* The reserved genetlink header byte, an unknown or reply-only command. */
	nl_vreq(&r, VMARENA_CMD_STATS_GET, false);
	((struct genlmsghdr *)NLMSG_DATA(&r.nlh))->reserved = 1;
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EINVAL);
	nl_vreq(&r, VMARENA_CMD_MAX + 1, false);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EOPNOTSUPP);
	nl_vreq(&r, VMARENA_CMD_EVT_AREA_NEW, false);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EOPNOTSUPP);
	/* Dump-only commands have no get. */
	nl_vreq(&r, VMARENA_CMD_PAGE_GET, false);
	nl_put_u32(&r, VMARENA_A_AREA_ID, 1);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, EOPNOTSUPP);

	/* Ids that do not exist. */
	nl_vreq(&r, VMARENA_CMD_AREA_GET, true);
	nl_put_u32(&r, VMARENA_A_ASPACE_ID, 0x7fffffff);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ENOENT);
	nl_vreq(&r, VMARENA_CMD_CACHE_GET, true);
	nl_put_u32(&r, VMARENA_A_AREA_ID, 0x7fffffff);
	nl_exchange(fd, &r, NULL, NULL, &res);
	EXPECT_EQ(res.error, ENOENT);
	close(fd);
}

/* ---- big and concurrent dumps -------------------------------------------- */

#define NL_MANY	2000

VT_TEST(netlink_dump_of_many_areas_spans_messages)
{
	struct nl_areas *a = calloc(1, sizeof(*a));
	int fd = nl_open();
	struct nl_result res;
	struct va_env e;
	static uint32_t ids[NL_MANY];

	va_env_init(&e);
	for (int i = 0; i < NL_MANY; i++)
		ids[i] = va_anon_ok(e.as, VA_BASE + VA_PAGES(2 * i), VA_PAGE, VA_RW,
				    VMARENA_WIRING_LAZY);
	nl_area_dump(fd, e.asid, a, &res);
	ASSERT_EQ(res.error, 0);
	EXPECT_TRUE(!res.intr);
	EXPECT_GE(res.recvs, 4);	/* several messages, not one */
	ASSERT_EQ(a->n, NL_MANY);
	for (int i = 0; i < NL_MANY; i++) {
		EXPECT_EQ(a->row[i].id, ids[i]);
		EXPECT_EQ(a->row[i].base, VA_BASE + VA_PAGES(2 * i));
	}
	EXPECT_TRUE(!a->mixed_generation);

	/* The unfiltered dump holds them too, once each. */
	nl_area_dump(fd, 0, a, &res);
	ASSERT_EQ(res.error, 0);
	{
		int seen = 0;

		for (int i = 0; i < a->n; i++)
			seen += a->row[i].aspace == e.asid;
		EXPECT_EQ(seen, NL_MANY);
	}
	free(a);
	close(fd);
	close(e.as);
	close(e.ctl);
}

struct nl_churn {
	int as;
	volatile bool stop;
	int rounds;
};

/* Create and delete areas above the stable ones until told to stop. */
static void *nl_churn_fn(void *arg)
{
	struct nl_churn *c = arg;
	struct vmarena_area_create req;

	while (!c->stop) {
		va_area_req(&req, "churn", VA_BASE + VA_PAGES(8192 + (c->rounds % 64) * 2),
			    VA_PAGE, VA_RW);
		if (va_area_create(c->as, VMARENA_IOC_AREA_CREATE_ANON, &req))
			break;
		if (va_area_op(c->as, VMARENA_IOC_AREA_DELETE, req.out_id, 0))
			break;
		c->rounds++;
		/* Pauses now and then, so that some dumps run undisturbed. */
		if (c->rounds % 4 == 0)
			usleep(20 * 1000);
	}
	return NULL;
}

VT_TEST(netlink_dump_concurrent_with_changes)
{
	struct nl_areas *a = calloc(1, sizeof(*a));
	int fd = nl_open(), complete = 0, interrupted = 0;
	struct nl_churn churn = { 0 };
	struct nl_result res;
	struct va_env e;
	pthread_t t;

	va_env_init(&e);
	for (int i = 0; i < 1000; i++)
		va_anon_ok(e.as, VA_BASE + VA_PAGES(2 * i), VA_PAGE, VA_RW, VMARENA_WIRING_LAZY);
	churn.as = e.as;
	ASSERT_EQ(pthread_create(&t, NULL, nl_churn_fn, &churn), 0);
	for (int round = 0; round < 40; round++) {
		int stable = 0;

		nl_area_dump(fd, e.asid, a, &res);
		ASSERT_EQ(res.error, 0);
		if (res.intr) {
			interrupted++;
			continue;
		}
		/* Not flagged: a consistent picture, one generation throughout. */
		complete++;
		EXPECT_TRUE(!a->mixed_generation);
		for (int i = 0; i < a->n; i++) {
			if (i)
				EXPECT_LT(a->row[i - 1].base, a->row[i].base);
			stable += a->row[i].base < VA_BASE + VA_PAGES(2000);
		}
		EXPECT_EQ(stable, 1000);
		EXPECT_LE(a->n, 1001);
	}
	churn.stop = true;
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_GT(churn.rounds, 0);
	printf("# %d dumps consistent, %d interrupted, %d churn rounds\n", complete,
	       interrupted, churn.rounds);
	/* Retried once the changes stop, the dump is complete and unflagged. */
	nl_area_dump(fd, e.asid, a, &res);
	ASSERT_EQ(res.error, 0);
	EXPECT_TRUE(!res.intr);
	EXPECT_EQ(a->n, 1000);
	free(a);
	close(fd);
	close(e.as);
	close(e.ctl);
}

/* ---- events -------------------------------------------------------------- */

struct nl_event {
	uint8_t cmd;
	uint32_t aspace, area;
	uint64_t size, bytes;
	uint32_t prot, lock;
};

/*
 * Read events until @n of them are in (or a 5 s timeout): those of aspace
 * @asid (when not 0) and those with command @cmd (when not 0).
 */
static int nl_events_read(int fd, uint32_t asid, uint8_t cmd, struct nl_event *ev, int n)
{
	static char buf[NL_BUF];
	struct timeval tv = { .tv_sec = 5 };
	int got = 0;

	ASSERT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	while (got < n) {
		struct nlmsghdr *nlh;
		long len = recv(fd, buf, sizeof(buf), 0);

		if (len <= 0)
			break;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len) && got < n;
		     nlh = NLMSG_NEXT(nlh, len)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);
			const struct nlattr *tb[VMARENA_A_MAX + 1];
			struct nl_event *e = &ev[got];

			if (nlh->nlmsg_type != nl_family_id)
				continue;
			nl_parse(tb, VMARENA_A_MAX, (char *)g + GENL_HDRLEN,
				 nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
			memset(e, 0, sizeof(*e));
			e->cmd = g->cmd;
			if (tb[VMARENA_A_ASPACE_ID])
				e->aspace = nl_u32(tb[VMARENA_A_ASPACE_ID]);
			if (tb[VMARENA_A_AREA_ASPACE_ID])
				e->aspace = nl_u32(tb[VMARENA_A_AREA_ASPACE_ID]);
			if (tb[VMARENA_A_AREA_ID])
				e->area = nl_u32(tb[VMARENA_A_AREA_ID]);
			if (tb[VMARENA_A_AREA_SIZE])
				e->size = nl_u64(tb[VMARENA_A_AREA_SIZE]);
			if (tb[VMARENA_A_AREA_PROTECTION])
				e->prot = nl_u32(tb[VMARENA_A_AREA_PROTECTION]);
			if (tb[VMARENA_A_AREA_LOCK_LEVEL])
				e->lock = nl_u32(tb[VMARENA_A_AREA_LOCK_LEVEL]);
			if (tb[VMARENA_A_EVT_BYTES])
				e->bytes = nl_u64(tb[VMARENA_A_EVT_BYTES]);
			if ((asid && e->aspace == asid) || (cmd && e->cmd == cmd))
				got++;
		}
	}
	return got;
}

VT_TEST(netlink_events_arrive_in_order)
{
	int ctl = va_ctl_ok(), fd = nl_open(), as;
	struct vmarena_area_create big;
	struct nl_event ev[16];
	uint32_t asid, area;
	static const uint8_t want[] = {
		VMARENA_CMD_EVT_ASPACE_NEW, VMARENA_CMD_EVT_AREA_NEW,
		VMARENA_CMD_EVT_AREA_RESIZE, VMARENA_CMD_EVT_AREA_PROTECT,
		VMARENA_CMD_EVT_AREA_LOCK, VMARENA_CMD_EVT_AREA_DEL,
		VMARENA_CMD_EVT_ASPACE_DEL,
	};

	ASSERT_OK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl_events_group,
			     sizeof(nl_events_group)));
	as = nl_aspace_named(ctl, "nl-events", VA_BASE, VA_LEN, &asid);
	area = va_anon_ok(as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, area, VA_PAGES(5)));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, area, VMARENA_PROT_READ));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_LOCK, area, VMARENA_LOCK_LOCKED));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, area, 0));
	close(as);

	ASSERT_EQ(nl_events_read(fd, asid, 0, ev, 7), 7);
	for (int i = 0; i < 7; i++) {
		EXPECT_EQ(ev[i].cmd, want[i]);
		EXPECT_EQ(ev[i].aspace, asid);
	}
	for (int i = 1; i < 6; i++)
		EXPECT_EQ(ev[i].area, area);
	EXPECT_EQ(ev[1].size, VA_PAGES(2));
	EXPECT_EQ(ev[2].size, VA_PAGES(5));
	EXPECT_EQ(ev[3].prot, VMARENA_PROT_READ);
	EXPECT_EQ(ev[4].lock, VMARENA_LOCK_LOCKED);

	/* More than the commit limit: refused, and announced. */
	as = nl_aspace_named(ctl, "nl-events-big", 1ULL << 40, 1ULL << 46, &asid);
	va_area_req(&big, "too-big", 0, 1ULL << 45, VA_RW);
	EXPECT_ERRNO(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &big), ENOMEM);
	close(as);
	{
		bool seen = false;
		int n = nl_events_read(fd, 0, VMARENA_CMD_EVT_COMMIT_EXHAUSTED, ev, 1);

		for (int i = 0; i < n; i++)
			seen |= ev[i].cmd == VMARENA_CMD_EVT_COMMIT_EXHAUSTED &&
				ev[i].bytes == 1ULL << 45;
		EXPECT_TRUE(seen);
	}
	close(fd);
	close(ctl);
}

/*
 * A lock ends when its process exits: the area's lock event tells it, as
 * an unlock through the ioctl does (no event was sent: a monitor saw the
 * area locked for ever).
 */
VT_TEST(netlink_lock_ended_by_exit_is_announced)
{
	int ctl = va_ctl_ok(), fd = nl_open(), as, status;
	struct nl_event ev[4];
	uint32_t asid, area;
	pid_t pid;

	ASSERT_OK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl_events_group,
			     sizeof(nl_events_group)));
	as = nl_aspace_named(ctl, "nl-lock-exit", VA_BASE, VA_LEN, &asid);
	area = va_anon_ok(as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0)
		_exit(va_area_op(as, VMARENA_IOC_AREA_LOCK, area, VMARENA_LOCK_LOCKED) ? 1 : 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(nl_events_read(fd, asid, 0, ev, 4), 4);
	EXPECT_EQ(ev[0].cmd, VMARENA_CMD_EVT_ASPACE_NEW);
	EXPECT_EQ(ev[1].cmd, VMARENA_CMD_EVT_AREA_NEW);
	EXPECT_EQ(ev[2].cmd, VMARENA_CMD_EVT_AREA_LOCK);
	EXPECT_EQ(ev[2].lock, VMARENA_LOCK_LOCKED);
	EXPECT_EQ(ev[3].cmd, VMARENA_CMD_EVT_AREA_LOCK);
	EXPECT_EQ(ev[3].area, area);
	EXPECT_EQ(ev[3].lock, VMARENA_LOCK_UNLOCKED);
	close(as);
	close(fd);
	close(ctl);
}

#define NL_MAX_PAGES	"/sys/module/vmarena/parameters/max_pages"

static unsigned long nl_param_read(void)
{
	char buf[32] = "";
	FILE *f = fopen(NL_MAX_PAGES, "r");

	ASSERT_TRUE(f);
	ASSERT_TRUE(fgets(buf, sizeof(buf), f));
	fclose(f);
	return strtoul(buf, NULL, 0);
}

static int nl_param_write(unsigned long v)
{
	FILE *f = fopen(NL_MAX_PAGES, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%lu\n", v) > 0 ? 0 : -1;
	return fclose(f) || ret ? -1 : 0;
}

VT_TEST(netlink_pool_exhaustion_is_announced)
{
	int ctl = va_ctl_ok(), fd = nl_open(), as;
	struct vmarena_stats st = { .size = sizeof(st) };
	struct vmarena_area_create req;
	unsigned long cap = nl_param_read();
	struct nl_event ev[4];
	bool seen = false;
	uint32_t asid;
	int n;

	ASSERT_OK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl_events_group,
			     sizeof(nl_events_group)));
	ASSERT_OK(ioctl(ctl, VMARENA_IOC_STATS, &st));
	/* Room for 16 pages beyond what is pinned; a wired area wants 256. */
	ASSERT_OK(nl_param_write(st.out_pages[VMARENA_PAGE_STATE_WIRED] +
				 st.out_pages[VMARENA_PAGE_STATE_BUSY] + 16));
	as = nl_aspace_named(ctl, "nl-pool", VA_BASE, VA_LEN, &asid);
	va_area_req(&req, "too-many", VA_BASE, VA_PAGES(256), VA_RW);
	req.wiring = VMARENA_WIRING_WIRED;
	EXPECT_ERRNO(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &req), ENOMEM);
	EXPECT_EQ(nl_param_write(cap), 0);
	close(as);
	n = nl_events_read(fd, 0, VMARENA_CMD_EVT_POOL_EXHAUSTED, ev, 1);
	seen = n == 1 && ev[0].cmd == VMARENA_CMD_EVT_POOL_EXHAUSTED;
	EXPECT_TRUE(seen);
	close(fd);
	close(ctl);
}

/* ---- permissions --------------------------------------------------------- */

VT_TEST(netlink_unprivileged_sees_only_its_own)
{
	int ctl = va_ctl_ok(), as;
	uint32_t root_as, root_area;
	pid_t pid;

	as = nl_aspace_named(ctl, "nl-root", VA_BASE, VA_LEN, &root_as);
	root_area = va_anon_ok(as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);

	pid = va_fork();
	if (!pid) {
		struct nl_aspaces *all = calloc(1, sizeof(*all));
		struct nl_areas *areas = calloc(1, sizeof(*areas));
		struct nl_pages *pages = calloc(1, sizeof(*pages));
		struct nl_caches *caches = calloc(1, sizeof(*caches));
		struct nl_result res;
		struct nl_xlate x;
		struct nl_req r;
		uint32_t mine, my_area;
		int fd, my_as;
		char *w;

		va_become_nobody();
		my_as = nl_aspace_named(ctl, "nl-nobody", VA_BASE, VA_LEN, &mine);
		my_area = va_anon_ok(my_as, VA_BASE, VA_PAGES(2), VA_RW, VMARENA_WIRING_LAZY);
		w = va_map_ok(my_as, VA_BASE, VA_PAGES(2));
		va_poke(w, 1);
		fd = nl_open();

		nl_vreq(&r, VMARENA_CMD_ASPACE_GET, true);
		nl_exchange(fd, &r, nl_aspace_cb, all, &res);
		EXPECT_EQ(res.error, 0);
		EXPECT_TRUE(nl_find_aspace(all, mine));
		EXPECT_TRUE(!nl_find_aspace(all, root_as));
		for (int i = 0; i < all->n; i++)
			EXPECT_EQ(all->row[i].owner, VA_NOBODY);

		nl_vreq(&r, VMARENA_CMD_ASPACE_GET, false);
		nl_put_u32(&r, VMARENA_A_ASPACE_ID, root_as);
		nl_exchange(fd, &r, NULL, NULL, &res);
		EXPECT_EQ(res.error, ENOENT);
		nl_vreq(&r, VMARENA_CMD_AREA_GET, false);
		nl_put_u32(&r, VMARENA_A_AREA_ID, root_area);
		nl_exchange(fd, &r, NULL, NULL, &res);
		EXPECT_EQ(res.error, ENOENT);
		nl_area_dump(fd, root_as, areas, &res);
		EXPECT_EQ(res.error, ENOENT);
		nl_cache_dump(fd, root_area, caches, &res);
		EXPECT_EQ(res.error, ENOENT);
		nl_page_dump(fd, root_area, pages, &res);
		EXPECT_EQ(res.error, ENOENT);
		nl_translate(fd, root_as, VA_BASE, &x, &res);
		EXPECT_EQ(res.error, ENOENT);

		/* The unfiltered area dump leaves root's out. */
		nl_area_dump(fd, 0, areas, &res);
		EXPECT_EQ(res.error, 0);
		EXPECT_TRUE(nl_find_area(areas, my_area));
		EXPECT_TRUE(!nl_find_area(areas, root_area));

		/* Its own pages, without physical addresses. */
		nl_page_dump(fd, my_area, pages, &res);
		EXPECT_EQ(res.error, 0);
		EXPECT_EQ(pages->n, 1);
		EXPECT_TRUE(pages->n < 1 || (!pages->row[0].has_phys && pages->row[0].masked));
		nl_translate(fd, mine, VA_BASE, &x, &res);
		EXPECT_EQ(res.error, 0);
		EXPECT_EQ(x.levels, 4);
		EXPECT_TRUE(x.masked && !x.has_phys);
		for (int i = 0; i < x.levels; i++) {
			EXPECT_EQ(x.entry[i] & NL_PTE_FRAME, 0);
			EXPECT_TRUE(x.entry[i] & NL_PTE_PRESENT);
		}

		/* The events group is for CAP_SYS_ADMIN. */
		EXPECT_ERRNO(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
					&nl_events_group, sizeof(nl_events_group)), EPERM);
		va_child_exit();
	}
	{
		int status = va_wait(pid);

		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			printf("# child: %s\n", va_status_str(status));
	}
	close(as);
	close(ctl);
}

/*
 * Subscriptions (VMARENA_CMD_EVENTS_SUBSCRIBE) of a user without
 * CAP_SYS_ADMIN: one reply each; a socket subscribes once (EALREADY); a
 * user has 16 at most (ENOSPC), and a closed socket's slot is free again.
 * What a subscription receives: ctl_unprivileged_monitor_sees_only_its_own.
 */
VT_TEST(netlink_subscriptions_have_their_errno)
{
	pid_t pid = va_fork();

	if (!pid) {
		struct nl_result res;
		struct nl_req r;
		int fds[17], i;

		va_become_nobody();
		for (i = 0; i < 16; i++) {
			fds[i] = nl_open();
			nl_vreq(&r, VMARENA_CMD_EVENTS_SUBSCRIBE, false);
			nl_exchange(fds[i], &r, NULL, NULL, &res);
			EXPECT_EQ(res.error, 0);
			EXPECT_EQ(res.msgs, 1);
		}
		nl_vreq(&r, VMARENA_CMD_EVENTS_SUBSCRIBE, false);
		nl_exchange(fds[0], &r, NULL, NULL, &res);
		EXPECT_EQ(res.error, EALREADY);
		EXPECT_STREQ(res.extack, "this socket is subscribed");
		fds[16] = nl_open();
		nl_vreq(&r, VMARENA_CMD_EVENTS_SUBSCRIBE, false);
		nl_exchange(fds[16], &r, NULL, NULL, &res);
		EXPECT_EQ(res.error, ENOSPC);
		EXPECT_STREQ(res.extack, "too many subscribed sockets");
		close(fds[3]);
		nl_vreq(&r, VMARENA_CMD_EVENTS_SUBSCRIBE, false);
		nl_exchange(fds[16], &r, NULL, NULL, &res);
		EXPECT_EQ(res.error, 0);
		va_child_exit();
	}
	{
		int status = va_wait(pid);

		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}
