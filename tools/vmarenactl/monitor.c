// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl monitor: print the arena's events as they happen (the
 * "events" multicast group of the generic netlink family; CAP_SYS_ADMIN).
 * One line (or one JSON object) per event, in the order the kernel made
 * the changes.  SIGINT and SIGTERM end it cleanly: -j output is a JSON
 * array that is closed on the way out.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "vmarenactl.h"

static volatile int stop;

static void monitor_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl monitor [ count N ]\n"
		"Prints aspace and area events (new, del, resize, protect, lock) and\n"
		"commit or pool exhaustion as they happen, until interrupted or, with\n"
		"count, after N events.  Needs CAP_SYS_ADMIN.\n");
}

static void on_signal(int sig)
{
	stop = 1;
}

static const char *const event_names[] = {
	[VMARENA_CMD_EVT_ASPACE_NEW] = "aspace_new",
	[VMARENA_CMD_EVT_ASPACE_DEL] = "aspace_del",
	[VMARENA_CMD_EVT_AREA_NEW] = "area_new",
	[VMARENA_CMD_EVT_AREA_DEL] = "area_del",
	[VMARENA_CMD_EVT_AREA_RESIZE] = "area_resize",
	[VMARENA_CMD_EVT_AREA_PROTECT] = "area_protect",
	[VMARENA_CMD_EVT_AREA_LOCK] = "area_lock",
	[VMARENA_CMD_EVT_COMMIT_EXHAUSTED] = "commit_exhausted",
	[VMARENA_CMD_EVT_POOL_EXHAUSTED] = "pool_exhausted",
};

struct monitor {
	uint64_t left;		/* events still to print; 0: no limit */
};

static int on_event(const struct nlmsghdr *h, void *arg)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct monitor *m = arg;
	uint8_t cmd = nl_cmd(h);
	struct ctl_aspace as;
	struct ctl_area ar;

	if (cmd >= ARRAY_SIZE(event_names) || !event_names[cmd] ||
	    nl_parse(h, tb))
		return 0;
	open_object(NULL);
	print_str("event", "%s", event_names[cmd]);
	switch (cmd) {
	case VMARENA_CMD_EVT_ASPACE_NEW:
		aspace_from_attrs(tb, &as);
		print_text(" ");
		print_aspace(&as);
		break;
	case VMARENA_CMD_EVT_ASPACE_DEL:
		print_u64("id", " aspace %llu", attr_u32(tb, VMARENA_A_ASPACE_ID));
		break;
	case VMARENA_CMD_EVT_AREA_DEL:
		print_u64("id", " area %llu", attr_u32(tb, VMARENA_A_AREA_ID));
		print_u64("aspace", " aspace %llu", attr_u32(tb, VMARENA_A_AREA_ASPACE_ID));
		break;
	case VMARENA_CMD_EVT_AREA_NEW:
	case VMARENA_CMD_EVT_AREA_RESIZE:
	case VMARENA_CMD_EVT_AREA_PROTECT:
	case VMARENA_CMD_EVT_AREA_LOCK:
		area_from_attrs(tb, &ar);
		print_area(&ar, " ");
		break;
	case VMARENA_CMD_EVT_COMMIT_EXHAUSTED:
		print_u64("bytes", " bytes %llu", attr_u64(tb, VMARENA_A_EVT_BYTES));
		print_u64("commit_used", " used %llu", attr_u64(tb, VMARENA_A_STATS_COMMIT_USED));
		print_u64("commit_limit", " limit %llu",
			  attr_u64(tb, VMARENA_A_STATS_COMMIT_LIMIT));
		break;
	case VMARENA_CMD_EVT_POOL_EXHAUSTED:
		print_u64("pages_total", " pages %llu", attr_u64(tb, VMARENA_A_STATS_PAGES_TOTAL));
		print_u64("pages_max", " max %llu", attr_u64(tb, VMARENA_A_STATS_PAGES_MAX));
		break;
	}
	print_nl();
	close_object();
	fflush(stdout);
	if (m->left && !--m->left)
		return -1;
	return 0;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { 0 };
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "count")) {
			NEXT_ARG();
			if (parse_u64(argv[0], "count", &m.left) || !m.left)
				return m.left ? EXIT_USAGE
					      : usage_error("invalid count \"%s\"", argv[0]);
		} else if (matches(argv[0], "help")) {
			monitor_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to monitor", argv[0]);
		}
	}
	/* No SA_RESTART: the signal ends the wait for the next event. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = nl_subscribe_events();
	if (ret)
		return ret;
	open_array(NULL);
	fflush(stdout);
	ret = nl_events(on_event, &m, &stop);
	close_array();
	return ret;
}
