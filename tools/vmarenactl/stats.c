// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl stats: the arena's counters (VMARENA_IOC_STATS).  With -s the
 * event counters are sampled twice, an interval apart, and printed with
 * their rate per second.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmarenactl.h"

static void stats_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl [ -s ] stats [ show ] [ interval SECONDS ]\n"
		"-s samples the counters twice, SECONDS apart (1 by default), and adds\n"
		"each event counter's rate per second.\n");
}

struct counter {
	const char *key;	/* JSON key and text label */
	size_t off;		/* in struct vmarena_stats */
	bool event;		/* counts events: has a rate */
};

#define C(name, event) { #name, offsetof(struct vmarena_stats, out_##name), event }

static const struct counter faults[] = {
	C(faults, true), C(faults_mapped, true), C(faults_minor, true),
	C(faults_zero, true), C(faults_major, true), C(faults_cow, true),
	C(write_tracked, true), C(faults_ahead, true),
};

static const struct counter paging[] = {
	C(pageins, true), C(pageouts, true), C(pagedaemon_wakeups, true),
	C(pagedaemon_scans, true), C(pagedaemon_referenced, true),
};

static const struct counter memory[] = {
	C(pages_total, false), C(pages_max, false), C(commit_used, false),
	C(commit_limit, false), C(swap_used, false), C(swap_total, false),
};

static const char *const state_names[VMARENA_PAGE_STATES] = {
	"free", "clear", "busy", "active", "inactive", "modified", "wired",
};

static uint64_t value(const struct vmarena_stats *st, const struct counter *c)
{
	uint64_t v;

	memcpy(&v, (const char *)st + c->off, sizeof(v));
	return v;
}

static void print_group(const char *title, const struct counter *cs, size_t n,
			const struct vmarena_stats *st, const struct vmarena_stats *prev,
			double secs)
{
	char fmt[64];
	size_t i;

	print_text("%s:\n", title);
	for (i = 0; i < n; i++) {
		snprintf(fmt, sizeof(fmt), prev ? "    %-22s %%12llu" : "    %-22s %%llu",
			 cs[i].key);
		print_u64(cs[i].key, fmt, value(st, &cs[i]));
		if (prev && cs[i].event) {
			char key[64];

			snprintf(key, sizeof(key), "%s_rate", cs[i].key);
			print_double(key, "  %10.1f/s",
				     (double)(value(st, &cs[i]) - value(prev, &cs[i])) / secs);
		}
		print_nl();
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int do_stats(int argc, char **argv)
{
	struct vmarena_stats st, prev;
	uint32_t interval = 1;
	double t0, secs = 0;
	int ctl, ret, i;

	if (argc > 0 && matches(argv[0], "show"))
		argc--, argv++;
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "interval")) {
			NEXT_ARG();
			if (parse_u32(argv[0], "interval", &interval))
				return EXIT_USAGE;
			if (!interval || interval > 3600)
				return usage_error("invalid interval \"%s\" (1 to 3600 seconds)",
						   argv[0]);
		} else if (matches(argv[0], "help")) {
			stats_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to stats", argv[0]);
		}
	}
	ctl = ctl_open();
	if (ctl < 0)
		return 1;
	if (opts.stats) {
		ret = vmarena_stats(ctl, &prev);
		if (ret < 0)
			goto err;
		t0 = now();
		sleep(interval);
		secs = now() - t0;
	}
	ret = vmarena_stats(ctl, &st);
	if (ret < 0)
		goto err;
	close(ctl);

	open_object(NULL);
	if (opts.stats)
		print_double("interval", "interval %.2f s\n", secs);
	print_group("faults", faults, ARRAY_SIZE(faults), &st,
		    opts.stats ? &prev : NULL, secs);
	print_group("paging", paging, ARRAY_SIZE(paging), &st,
		    opts.stats ? &prev : NULL, secs);
	print_group("memory", memory, ARRAY_SIZE(memory), &st, NULL, 0);
	print_text("pages:\n");
	open_object("pages");
	for (i = 0; i < VMARENA_PAGE_STATES; i++) {
		char fmt[64];

		snprintf(fmt, sizeof(fmt), "    %-22s %%llu\n", state_names[i]);
		print_u64(state_names[i], fmt, st.out_pages[i]);
	}
	close_object();
	close_object();
	return 0;
err:
	close(ctl);
	return fail(-ret, "stats");
}
