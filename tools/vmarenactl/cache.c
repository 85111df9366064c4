// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl cache: draw the copy-on-write chain of an area, from the cache
 * the area maps down to the last source (VMARENA_CMD_CACHE_GET).
 */
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "vmarenactl.h"

static void cache_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl cache show ASPACE AREA\n"
		"Draws AREA's cache chain: the cache it maps first, then each source\n"
		"below it; -s adds resident pages, -d the consumers of each cache.\n");
}

static const char *store_str(uint32_t store)
{
	switch (store) {
	case VMARENA_CACHE_STORE_ANON:
		return "anon";
	case VMARENA_CACHE_STORE_NULL:
		return "null";
	case VMARENA_CACHE_STORE_DEVICE:
		return "device";
	case VMARENA_CACHE_STORE_FILE:
		return "file";
	}
	return "unknown";
}

static void print_cache(struct nlattr **tb)
{
	uint32_t depth = attr_u32(tb, VMARENA_A_CACHE_DEPTH), i;
	struct nlattr *c;
	int rem;

	print_text("  ");
	for (i = 0; i < depth; i++)
		print_text("   ");
	print_text("`- ");
	print_u64("id", "cache %llu", attr_u32(tb, VMARENA_A_CACHE_ID));
	print_u64("depth", NULL, depth);
	print_str("store", " %s", store_str(attr_u32(tb, VMARENA_A_CACHE_STORE)));
	print_bool("temporary", " temporary", tb[VMARENA_A_CACHE_TEMPORARY]);
	print_u64("pages", " pages %llu", attr_u64(tb, VMARENA_A_CACHE_PAGES));
	print_u64("resident", " resident %llu", attr_u64(tb, VMARENA_A_CACHE_RESIDENT));
	print_u64("areas", " areas %llu", attr_u32(tb, VMARENA_A_CACHE_AREAS));
	if (tb[VMARENA_A_CACHE_SOURCE_ID])
		print_u64("source", " source %llu", attr_u32(tb, VMARENA_A_CACHE_SOURCE_ID));
	if (opts.details && tb[VMARENA_A_CACHE_CONSUMERS]) {
		bool first = true;

		open_array("consumers");
		print_text(" consumers");
		nla_for_each_nested(c, tb[VMARENA_A_CACHE_CONSUMERS], rem) {
			if (nla_type(c) != VMARENA_A_CACHE_CONSUMER || nla_len(c) < 4)
				continue;
			print_u64(NULL, first ? " %llu" : ",%llu", nla_get_u32(c));
			first = false;
		}
		close_array();
	}
	print_nl();
}

static int cache_show(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct nl_reply r;
	uint32_t id;
	size_t i;
	int ret;

	if (argc != 2)
		return usage_error("cache show needs ASPACE and AREA");
	ret = resolve_target(argc, argv, &id);
	if (ret)
		return ret;
	ret = nl_request(VMARENA_CMD_CACHE_GET, true,
			 &(struct nl_req_attr){ VMARENA_A_AREA_ID, 4, id }, 1, &r,
			 "cache chain of area \"%s\" in aspace \"%s\"", argv[1], argv[0]);
	if (ret)
		return ret;
	open_object(NULL);
	print_u64("area", "area %llu", id);
	print_nl();
	open_array("chain");
	for (i = 0; i < r.n; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		open_object(NULL);
		print_cache(tb);
		close_object();
	}
	close_array();
	close_object();
	nl_reply_free(&r);
	return 0;
}

int do_cache(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "help", NULL };

	if (argc < 1) {
		cache_usage(stderr);
		return EXIT_USAGE;
	}
	switch (pick(argv[0], cmds, "cache command")) {
	case 0:
		return cache_show(argc - 1, argv + 1);
	case 1:
		cache_usage(stdout);
		return 0;
	}
	return EXIT_USAGE;
}
