// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl page: the pages an area maps, one character each
 * (VMARENA_CMD_PAGE_GET), and the page-table fragment walk of an aspace
 * address (VMARENA_CMD_TRANSLATE).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "vmarenactl.h"

#define PAGE_SIZE	4096ULL
#define MAP_COLUMNS	64

static void page_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl page map ASPACE AREA\n"
		"       vmarenactl page translate ASPACE ADDRESS\n"
		"       vmarenactl translate ASPACE ADDRESS\n"
		"map prints one character per page of AREA, %d to a line:\n"
		"  .  not mapped      a  active     i  inactive    m  modified\n"
		"  w  wired           b  busy       c  clear       f  free\n"
		"upper case: the page is in the area's own (top) cache; lower case: in\n"
		"a cache below it, shared copy-on-write.  -d lists the pages one a line.\n",
		MAP_COLUMNS);
}

static const char *const state_names[] = {
	"free", "clear", "busy", "active", "inactive", "modified", "wired",
};

static char state_char(uint32_t state)
{
	return state < VMARENA_PAGE_STATES ? "fcbaimw"[state] : '?';
}

static const char *state_name(uint32_t state)
{
	return state < VMARENA_PAGE_STATES ? state_names[state] : "unknown";
}

static int get_area(uint32_t id, struct ctl_area *a, const char *name)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct nl_reply r;
	int ret;

	ret = nl_request(VMARENA_CMD_AREA_GET, false,
			 &(struct nl_req_attr){ VMARENA_A_AREA_ID, 4, id }, 1, &r,
			 "area \"%s\"", name);
	if (ret)
		return ret;
	if (r.n != 1 || nl_parse(r.msgs[0], tb)) {
		nl_reply_free(&r);
		return fail(EPROTO, "area \"%s\"", name);
	}
	area_from_attrs(tb, a);
	nl_reply_free(&r);
	return 0;
}

static int page_map(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct ctl_area a;
	struct nl_reply r;
	uint64_t npages, off, mapped = 0;
	char *map, prot[4];
	uint32_t id;
	size_t i;
	int ret;

	if (argc != 2)
		return usage_error("page map needs ASPACE and AREA");
	ret = resolve_target(argc, argv, &id);
	if (ret)
		return ret;
	ret = get_area(id, &a, argv[1]);
	if (ret)
		return ret;
	ret = nl_request(VMARENA_CMD_PAGE_GET, true,
			 &(struct nl_req_attr){ VMARENA_A_AREA_ID, 4, id }, 1, &r,
			 "pages of area \"%s\" in aspace \"%s\"", argv[1], argv[0]);
	if (ret)
		return ret;
	npages = a.info.out_length / PAGE_SIZE;
	map = malloc(npages + 1);
	if (!map) {
		nl_reply_free(&r);
		return fail(ENOMEM, "page map");
	}
	memset(map, '.', npages);
	map[npages] = 0;

	for (i = 0; i < r.n; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		off = attr_u64(tb, VMARENA_A_PAGE_OFFSET);
		if (off >= npages)
			continue;
		map[off] = state_char(attr_u32(tb, VMARENA_A_PAGE_STATE));
		if (attr_u32(tb, VMARENA_A_PAGE_CACHE_ID) == a.cache_id)
			map[off] -= 'a' - 'A';
		mapped++;
	}

	open_object(NULL);
	print_u64("area", "area %llu", id);
	print_str("name", " \"%s\"", a.info.out_name);
	print_hex("base", " %#llx", a.info.out_base);
	print_u64("pages", " pages %llu", npages);
	print_u64("mapped", " mapped %llu", mapped);
	print_u64("cache", NULL, a.cache_id);
	print_str("map_string", NULL, map);
	print_nl();
	for (off = 0; off < npages && !opts.json; off += MAP_COLUMNS)
		printf("  %#llx  %.*s\n", (unsigned long long)(a.info.out_base + off * PAGE_SIZE),
		       MAP_COLUMNS, map + off);
	open_array("map");
	for (i = 0; i < r.n && (opts.json || opts.details); i++) {
		uint32_t state, cache;

		if (nl_parse(r.msgs[i], tb))
			continue;
		state = attr_u32(tb, VMARENA_A_PAGE_STATE);
		cache = attr_u32(tb, VMARENA_A_PAGE_CACHE_ID);
		open_object(NULL);
		print_u64("offset", "    page %llu", attr_u64(tb, VMARENA_A_PAGE_OFFSET));
		print_hex("address", " %#llx", attr_u64(tb, VMARENA_A_PAGE_ADDRESS));
		print_str("state", " %s", state_name(state));
		print_u64("cache", " cache %llu", cache);
		print_bool("own", " own", cache == a.cache_id);
		print_str("prot", " %s", prot_str(attr_u32(tb, VMARENA_A_PAGE_PROT), prot));
		print_u64("wired", " wired %llu", attr_u32(tb, VMARENA_A_PAGE_WIRED_COUNT));
		print_u64("usage", " usage %llu", attr_u32(tb, VMARENA_A_PAGE_USAGE));
		if (tb[VMARENA_A_PAGE_PHYS])
			print_hex("phys", " phys %#llx", attr_u64(tb, VMARENA_A_PAGE_PHYS));
		print_nl();
		close_object();
	}
	close_array();
	close_object();
	free(map);
	nl_reply_free(&r);
	return 0;
}

static const char *const level_names[] = { "", "PT", "PD", "PDPT", "PML4" };

/* The bits of an x86-64 paging entry, from the lowest. */
static const struct {
	int bit;
	const char *name;
} entry_bits[] = {
	{ 0, "P" }, { 1, "RW" }, { 2, "US" }, { 3, "PWT" }, { 4, "PCD" }, { 5, "A" },
	{ 6, "D" }, { 7, "PS" }, { 8, "G" }, { 63, "NX" },
};

static void print_level(struct nlattr *nest)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	uint32_t level;
	uint64_t entry;
	size_t i;

	if (nla_parse_nested(tb, VMARENA_A_MAX, nest, NULL))
		return;
	level = attr_u32(tb, VMARENA_A_XLATE_LEVEL_NUM);
	entry = attr_u64(tb, VMARENA_A_XLATE_ENTRY);
	open_object(NULL);
	print_str("level", "  %-4s", level <= 4 ? level_names[level] : "?");
	print_u64("index", " [%3llu]", attr_u32(tb, VMARENA_A_XLATE_INDEX));
	print_hex("entry", "  entry %#018llx", entry);
	print_hex("frame", "  frame %#llx", entry & 0x000ffffffffff000ULL);
	open_array("bits");
	print_text(" ");
	for (i = 0; i < ARRAY_SIZE(entry_bits); i++)
		if (entry & (1ULL << entry_bits[i].bit))
			print_str(NULL, " %s", entry_bits[i].name);
	close_array();
	print_nl();
	close_object();
}

int do_translate(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1], *attr;
	struct nl_req_attr req[2];
	struct genlmsghdr *gnlh;
	struct nl_reply r;
	uint32_t aspace_id;
	uint64_t address;
	char prot[4];
	int ret, rem;

	if (argc > 0 && matches(argv[0], "help")) {
		page_usage(stdout);
		return 0;
	}
	if (argc != 2)
		return usage_error("translate needs ASPACE and ADDRESS");
	if (parse_u64(argv[1], "address", &address))
		return EXIT_USAGE;
	ret = resolve_aspace(argv[0], &aspace_id);
	if (ret)
		return ret;
	req[0] = (struct nl_req_attr){ VMARENA_A_ASPACE_ID, 4, aspace_id };
	req[1] = (struct nl_req_attr){ VMARENA_A_ADDRESS, 8, address };
	ret = nl_request(VMARENA_CMD_TRANSLATE, false, req, 2, &r,
			 "translate %s in aspace \"%s\"", argv[1], argv[0]);
	if (ret)
		return ret;
	if (r.n != 1 || nl_parse(r.msgs[0], tb)) {
		nl_reply_free(&r);
		return fail(EPROTO, "translate");
	}
	open_object(NULL);
	print_u64("aspace", "aspace %llu", aspace_id);
	print_hex("address", " address %#llx", address);
	print_nl();
	open_array("levels");
	gnlh = nlmsg_data(r.msgs[0]);
	nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
		if (nla_type(attr) == VMARENA_A_XLATE_LEVEL)
			print_level(attr);
	close_array();
	print_bool("mapped", NULL, tb[VMARENA_A_XLATE_PROT]);
	if (tb[VMARENA_A_XLATE_PROT]) {
		print_text("  page");
		if (tb[VMARENA_A_XLATE_PHYS])
			print_hex("phys", " phys %#llx", attr_u64(tb, VMARENA_A_XLATE_PHYS));
		print_str("prot", " %s", prot_str(attr_u32(tb, VMARENA_A_XLATE_PROT), prot));
		print_bool("accessed", " accessed", tb[VMARENA_A_XLATE_ACCESSED]);
		print_bool("dirty", " dirty", tb[VMARENA_A_XLATE_DIRTY]);
	} else {
		print_text("  not mapped");
	}
	print_bool("phys_masked", " (physical frames masked)", tb[VMARENA_A_PHYS_MASKED]);
	print_nl();
	close_object();
	nl_reply_free(&r);
	return 0;
}

int do_page(int argc, char **argv)
{
	static const char *const cmds[] = { "map", "translate", "help", NULL };

	if (argc < 1) {
		page_usage(stderr);
		return EXIT_USAGE;
	}
	switch (pick(argv[0], cmds, "page command")) {
	case 0:
		return page_map(argc - 1, argv + 1);
	case 1:
		return do_translate(argc - 1, argv + 1);
	case 2:
		page_usage(stdout);
		return 0;
	}
	return EXIT_USAGE;
}
