// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl's generic netlink client (libnl-genl-3): resolve the "vmarena"
 * family, send a get or a dump, collect the replies, and turn a kernel
 * error into its errno and extended-ack message.
 *
 * Replies are collected first and handed over only when the request
 * succeeded, so that a dump interrupted by a change (NLM_F_DUMP_INTR) is
 * simply asked again and nothing half-seen is printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "vmarenactl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DUMP_RETRIES 8

static struct nl_sock *sk;
static int family;

struct collect {
	struct nl_reply *reply;
	int err;		/* the kernel's errno, positive */
	char msg[128];		/* its extended-ack message */
};

static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_PERM:
		return EPERM;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_INVAL:
		return EINVAL;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_RANGE:
		return ERANGE;
	case NLE_BUSY:
		return EBUSY;
	case NLE_AGAIN:
		return EAGAIN;
	default:
		return EIO;
	}
}

int nl_open(void)
{
	int one = 1, ret;

	if (sk)
		return 0;
	sk = nl_socket_alloc();
	if (!sk)
		return fail(ENOMEM, "netlink socket");
	ret = genl_connect(sk);
	if (ret < 0)
		goto err;
	/* Best effort: the kernel's message naming the bad attribute. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_socket_disable_auto_ack(sk);
	family = genl_ctrl_resolve(sk, VMARENA_GENL_NAME);
	if (family < 0) {
		ret = family;
		goto err;
	}
	return 0;
err:
	nl_socket_free(sk);
	sk = NULL;
	return fail(nle_errno(ret), "generic netlink family \"%s\" (is vmarena loaded?)",
		    VMARENA_GENL_NAME);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct collect *c = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg), **msgs;
	struct nl_reply *r = c->reply;

	msgs = realloc(r->msgs, (r->n + 1) * sizeof(*msgs));
	if (!msgs)
		goto nomem;
	r->msgs = msgs;
	r->msgs[r->n] = malloc(h->nlmsg_len);
	if (!r->msgs[r->n])
		goto nomem;
	memcpy(r->msgs[r->n++], h, h->nlmsg_len);
	return NL_OK;
nomem:
	/* A reply cut short is an error, not a shorter listing. */
	c->err = ENOMEM;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct collect *c = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	c->err = e->error < 0 ? -e->error : e->error;
	if (!c->err)
		return NL_STOP;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= h->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      h->nlmsg_len - NLMSG_HDRLEN - off, NULL) == 0 && tb[NLMSGERR_ATTR_MSG])
		snprintf(c->msg, sizeof(c->msg), "%s", (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

void nl_reply_free(struct nl_reply *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->msgs[i]);
	free(r->msgs);
	r->msgs = NULL;
	r->n = 0;
}

int nl_request(uint8_t cmd, bool dump, const struct nl_req_attr *attrs, size_t nattrs,
	       struct nl_reply *reply, const char *fmt, ...)
{
	struct collect c = { .reply = reply };
	int tries, ret = 0;
	char what[256];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	reply->msgs = NULL;
	reply->n = 0;
	ret = nl_open();
	if (ret)
		return ret;
	for (tries = 0; tries < DUMP_RETRIES; tries++) {
		struct nl_msg *msg = nlmsg_alloc();

		if (!msg)
			return fail(ENOMEM, "%s", what);
		if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 dump ? NLM_F_DUMP : 0, cmd, VMARENA_GENL_VERSION)) {
			nlmsg_free(msg);
			return fail(ENOMEM, "%s", what);
		}
		for (i = 0; i < nattrs; i++) {
			if (attrs[i].len == 8)
				ret = nla_put_u64(msg, attrs[i].type, attrs[i].val);
			else
				ret = nla_put_u32(msg, attrs[i].type, attrs[i].val);
			if (ret < 0) {
				nlmsg_free(msg);
				return fail(ENOMEM, "%s", what);
			}
		}
		nl_reply_free(reply);
		c.err = 0;
		c.msg[0] = 0;
		nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
		nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, &c);
		ret = nl_send_auto(sk, msg);
		nlmsg_free(msg);
		if (ret < 0)
			return fail(nle_errno(ret), "%s", what);
		ret = nl_recvmsgs_default(sk);
		if (ret == -NLE_DUMP_INTR)
			continue;
		break;
	}
	if (c.err) {
		nl_reply_free(reply);
		if (c.msg[0])
			return fail(c.err, "%s (%s)", what, c.msg);
		return fail(c.err, "%s", what);
	}
	if (ret < 0) {
		nl_reply_free(reply);
		return fail(ret == -NLE_DUMP_INTR ? EAGAIN : nle_errno(ret), "%s", what);
	}
	return 0;
}

int nl_parse(const struct nlmsghdr *h, struct nlattr **tb)
{
	return genlmsg_parse((struct nlmsghdr *)h, 0, tb, VMARENA_A_MAX, NULL);
}

uint8_t nl_cmd(const struct nlmsghdr *h)
{
	return ((const struct genlmsghdr *)nlmsg_data(h))->cmd;
}

uint32_t attr_u32(struct nlattr **tb, int type)
{
	return tb[type] && nla_len(tb[type]) >= 4 ? nla_get_u32(tb[type]) : 0;
}

uint64_t attr_u64(struct nlattr **tb, int type)
{
	return tb[type] && nla_len(tb[type]) >= 8 ? nla_get_u64(tb[type]) : 0;
}

const char *attr_str(struct nlattr **tb, int type)
{
	static const char empty[] = "";

	if (!tb[type] || nla_len(tb[type]) < 1 ||
	    ((const char *)nla_data(tb[type]))[nla_len(tb[type]) - 1])
		return empty;
	return nla_data(tb[type]);
}

int nl_subscribe_events(void)
{
	int grp, ret;

	ret = nl_open();
	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(sk, VMARENA_GENL_NAME, VMARENA_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return fail(nle_errno(grp), "multicast group \"%s\"", VMARENA_GENL_MCGRP_EVENTS);
	ret = nl_socket_add_membership(sk, grp);
	if (ret < 0 && nle_errno(ret) == EPERM) {
		/* Not CAP_SYS_ADMIN: the events of the caller's own aspaces. */
		struct nl_reply reply;

		ret = nl_request(VMARENA_CMD_EVENTS_SUBSCRIBE, false, NULL, 0, &reply,
				 "subscribe to the events of your aspaces");
		if (ret)
			return ret;
		nl_reply_free(&reply);
	} else if (ret < 0) {
		return fail(nle_errno(ret), "join multicast group \"%s\"",
			    VMARENA_GENL_MCGRP_EVENTS);
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_set_nonblocking(sk);
	return 0;
}

int nl_events(int (*fn)(const struct nlmsghdr *h, void *arg), void *arg,
	      volatile const int *stop)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	struct nl_reply reply = { 0 };
	struct collect c = { .reply = &reply };
	int ret;
	size_t i;

	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	while (!*stop) {
		/* poll() is never restarted after a signal: a stop request
		 * ends the wait. */
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail(errno, "wait for events");
		}
		ret = nl_recvmsgs_default(sk);
		if (ret < 0 && ret != -NLE_AGAIN) {
			nl_reply_free(&reply);
			return fail(nle_errno(ret), "receive events");
		}
		for (i = 0; i < reply.n; i++) {
			ret = fn(reply.msgs[i], arg);
			if (ret) {
				nl_reply_free(&reply);
				return ret < 0 ? 0 : ret;
			}
		}
		nl_reply_free(&reply);
	}
	return 0;
}
