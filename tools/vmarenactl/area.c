// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl area: the areas of a persistent aspace, through the aspace's
 * ioctls (libvmarena): list, show, create, clone, delete, resize, protect,
 * lock, sync.  An AREA is an area id or an area name.
 *
 * A lock belongs to the process that takes it and ends when that process
 * exits (uapi/vmarena.h): `area lock` holds its lock for as long as it
 * runs, until SIGINT, SIGTERM or SIGHUP; there is no `unlock` (nobody
 * else's lock can be released) and no `create ... locked`.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include "vmarenactl.h"

static void area_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl area list [ ASPACE ]\n"
		"       vmarenactl area show ASPACE AREA\n"
		"       vmarenactl area create ASPACE NAME size SIZE [ prot PROT ] [ maxprot PROT ]\n"
		"                  [ at ADDR | base ADDR ] [ wired | contiguous ]\n"
		"                  [ cloneable ] [ overcommit ] [ lazy ] [ below16m | below4g ]\n"
		"                  [ reserve ]\n"
		"       vmarenactl area clone ASPACE SOURCE [ from ASPACE ] [ name NAME ]\n"
		"                  [ private | shared ] [ prot PROT ] [ at ADDR | base ADDR ]\n"
		"                  (prot: the source's by default)\n"
		"       vmarenactl area copy ASPACE SOURCE [ from ASPACE ] [ name NAME ]\n"
		"                  [ at ADDR | base ADDR ]\n"
		"                  (a snapshot: shared areas are shared, the rest copied)\n"
		"       vmarenactl area delete ASPACE AREA\n"
		"       vmarenactl area resize ASPACE AREA SIZE\n"
		"       vmarenactl area protect ASPACE AREA PROT\n"
		"       vmarenactl area { lock | sync } ASPACE AREA\n"
		"(lock: holds the lock until SIGINT, SIGTERM or SIGHUP)\n"
		"ASPACE := { ID | NAME }   AREA := { ID | NAME }   PROT := { [r][w][x] | none }\n"
		"list and show see every aspace the caller may; the other commands\n"
		"open a persistent aspace by NAME.\n"
		"SIZE, ADDR := NUMBER[K|M|G|T]\n");
}

void area_from_attrs(struct nlattr **tb, struct ctl_area *a)
{
	struct vmarena_area_info *in = &a->info;

	memset(a, 0, sizeof(*a));
	in->id = attr_u32(tb, VMARENA_A_AREA_ID);
	snprintf(in->out_name, sizeof(in->out_name), "%s", attr_str(tb, VMARENA_A_AREA_NAME));
	in->out_base = attr_u64(tb, VMARENA_A_AREA_BASE);
	in->out_length = attr_u64(tb, VMARENA_A_AREA_SIZE);
	in->out_protection = attr_u32(tb, VMARENA_A_AREA_PROTECTION);
	in->out_protection_max = attr_u32(tb, VMARENA_A_AREA_PROTECTION_MAX);
	in->out_wiring = attr_u32(tb, VMARENA_A_AREA_WIRING);
	in->out_lock_level = attr_u32(tb, VMARENA_A_AREA_LOCK_LEVEL);
	in->out_flags = attr_u32(tb, VMARENA_A_AREA_FLAGS);
	in->out_cache_depth = attr_u32(tb, VMARENA_A_AREA_CACHE_DEPTH);
	in->out_resident = attr_u64(tb, VMARENA_A_AREA_RESIDENT);
	in->out_copies = attr_u64(tb, VMARENA_A_AREA_COPIES);
	a->aspace_id = attr_u32(tb, VMARENA_A_AREA_ASPACE_ID);
	a->cache_id = attr_u32(tb, VMARENA_A_AREA_CACHE_ID);
}

void print_area(const struct ctl_area *a, const char *indent)
{
	const struct vmarena_area_info *info = &a->info;
	char buf[32], prot[4];

	print_text("%s", indent);
	print_u64("id", "area %llu", info->id);
	print_str("name", " \"%s\"", info->out_name);
	print_u64("aspace", " aspace %llu", a->aspace_id);
	print_hex("base", " %#llx", info->out_base);
	print_hex("end", "-%#llx", info->out_base + info->out_length);
	print_str("size", " size %s", size_str(info->out_length, buf));
	print_u64("length", NULL, info->out_length);
	print_str("protection", " %s", prot_str(info->out_protection, prot));
	print_str("lock", " %s", lock_str(info->out_lock_level));
	if (opts.stats) {
		print_u64("resident", " resident %llu", info->out_resident);
		print_u64("copies", " copies %llu", info->out_copies);
	}
	if (opts.details) {
		print_str("protection_max", " max %s", prot_str(info->out_protection_max, prot));
		print_str("wiring", " %s", wiring_str(info->out_wiring));
		print_u64("cache", " cache %llu", a->cache_id);
		print_u64("cache_depth", " depth %llu", info->out_cache_depth);
		print_bool("cloneable", " cloneable", info->out_flags & VMARENA_AREA_CLONEABLE);
		print_bool("overcommit", " overcommit", info->out_flags & VMARENA_AREA_OVERCOMMIT);
		print_bool("lazy", " lazy", info->out_flags & VMARENA_AREA_LAZY);
		print_bool("below_16m", " below16m", info->out_flags & VMARENA_AREA_PHYS_16M);
		print_bool("below_4g", " below4g", info->out_flags & VMARENA_AREA_PHYS_4G);
	}
}

static int area_dump(uint32_t aspace_id, struct nl_reply *r)
{
	struct nl_req_attr filter = { VMARENA_A_ASPACE_ID, 4, aspace_id };

	if (aspace_id)
		return nl_request(VMARENA_CMD_AREA_GET, true, &filter, 1, r,
				  "list the areas of aspace %u", aspace_id);
	return nl_request(VMARENA_CMD_AREA_GET, true, NULL, 0, r, "list areas");
}

int print_areas(uint32_t aspace_id, const char *indent)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct ctl_area a;
	struct nl_reply r;
	size_t i;
	int ret;

	ret = area_dump(aspace_id, &r);
	if (ret)
		return ret;
	for (i = 0; i < r.n; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		area_from_attrs(tb, &a);
		open_object(NULL);
		print_area(&a, indent);
		print_nl();
		close_object();
	}
	nl_reply_free(&r);
	return 0;
}

int resolve_area(uint32_t aspace_id, const char *aspace, const char *arg, uint32_t *id)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	bool by_id = isdigit((unsigned char)arg[0]);
	struct nl_reply r;
	uint64_t want = 0;
	size_t i;
	int ret;

	if (by_id && (parse_u64(arg, "area id", &want) || !want || want > UINT32_MAX))
		return want ? usage_error("invalid area id \"%s\"", arg) : EXIT_USAGE;
	ret = area_dump(aspace_id, &r);
	if (ret)
		return ret;
	*id = 0;
	for (i = 0; i < r.n && !*id; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		if (by_id ? attr_u32(tb, VMARENA_A_AREA_ID) == want
			  : !strcmp(attr_str(tb, VMARENA_A_AREA_NAME), arg))
			*id = attr_u32(tb, VMARENA_A_AREA_ID);
	}
	nl_reply_free(&r);
	if (!*id)
		return fail(ENOENT, "area \"%s\" in aspace \"%s\"", arg, aspace);
	return 0;
}

/* Open ASPACE (argv[0], a persistent aspace's name) and, when @with_area,
 * find AREA (argv[1]) in it. */
static int open_target(int argc, char **argv, bool with_area, int *as, uint32_t *id)
{
	int ctl;

	if (argc < (with_area ? 2 : 1))
		return usage_error(with_area ? "need ASPACE and AREA" : "need an ASPACE");
	ctl = ctl_open();
	if (ctl < 0)
		return 1;
	*as = aspace_open_name(ctl, argv[0]);
	close(ctl);
	if (*as < 0)
		return 1;
	if (with_area) {
		int ret = area_lookup(*as, argv[0], argv[1], id);

		if (ret) {
			close(*as);
			return ret;
		}
	}
	return 0;
}

static int area_list(int argc, char **argv)
{
	uint32_t aspace_id = 0;
	int ret;

	if (argc > 1)
		return usage_error("area list takes at most one ASPACE");
	if (argc == 1) {
		ret = resolve_aspace(argv[0], &aspace_id);
		if (ret)
			return ret;
	}
	open_array(NULL);
	ret = print_areas(aspace_id, "");
	close_array();
	return ret;
}

/* ASPACE AREA (ids or names) to an area id, through netlink. */
int resolve_target(int argc, char **argv, uint32_t *area_id)
{
	uint32_t aspace_id;
	int ret;

	if (argc < 2)
		return usage_error("need ASPACE and AREA");
	ret = resolve_aspace(argv[0], &aspace_id);
	if (ret)
		return ret;
	return resolve_area(aspace_id, argv[0], argv[1], area_id);
}

static int area_show(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct ctl_area a;
	struct nl_reply r;
	uint32_t id;
	int ret;

	if (argc != 2)
		return usage_error("area show needs ASPACE and AREA");
	ret = resolve_target(argc, argv, &id);
	if (ret)
		return ret;
	ret = nl_request(VMARENA_CMD_AREA_GET, false,
			 &(struct nl_req_attr){ VMARENA_A_AREA_ID, 4, id }, 1, &r,
			 "area \"%s\" in aspace \"%s\"", argv[1], argv[0]);
	if (ret)
		return ret;
	if (r.n != 1 || nl_parse(r.msgs[0], tb)) {
		nl_reply_free(&r);
		return fail(EPROTO, "area \"%s\"", argv[1]);
	}
	area_from_attrs(tb, &a);
	nl_reply_free(&r);
	open_object(NULL);
	print_area(&a, "");
	print_nl();
	close_object();
	return 0;
}

/* The placement and protection arguments create and clone share.  Returns
 * 1 when @argv[0] was one of them (and consumed *@used words), 0 when not,
 * -1 on a usage error. */
static int parse_place(int argc, char **argv, struct vmarena_area_params *p, int *used)
{
	*used = 2;
	if (matches(argv[0], "at") || matches(argv[0], "base")) {
		p->addr_spec = matches(argv[0], "at") ? VMARENA_ADDR_EXACT : VMARENA_ADDR_BASE;
		if (argc < 2 || parse_size(argv[1], "address", &p->address))
			return -1;
		return 1;
	}
	if (matches(argv[0], "prot")) {
		if (argc < 2 || parse_prot(argv[1], &p->protection))
			return -1;
		return 1;
	}
	if (matches(argv[0], "maxprot")) {
		if (argc < 2 || parse_prot(argv[1], &p->protection_max))
			return -1;
		return 1;
	}
	return 0;
}

static void print_created(const char *what, int id, uint64_t addr)
{
	open_object(NULL);
	print_u64("id", "area %llu", id);
	print_hex("base", " at %#llx", addr);
	print_str("action", " %s", what);
	print_nl();
	close_object();
}

static int area_create(int argc, char **argv)
{
	struct vmarena_area_params p = {
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};
	const char *aspace, *name;
	bool reserve = false;
	uint64_t addr;
	int as, ret, used;

	if (argc < 2)
		return usage_error("area create needs ASPACE and NAME");
	aspace = argv[0];
	name = argv[1];
	if (strlen(name) >= VMARENA_NAME_MAX)
		return usage_error("area name \"%s\" is longer than %d bytes", name,
				   VMARENA_NAME_MAX - 1);
	p.name = name;
	for (argc -= 2, argv += 2; argc > 0; argc -= used, argv += used) {
		ret = parse_place(argc, argv, &p, &used);
		if (ret < 0)
			return argc < 2 ? usage_error("\"%s\" needs an argument", argv[0])
					: EXIT_USAGE;
		if (ret)
			continue;
		used = 1;
		if (matches(argv[0], "size") || matches(argv[0], "length")) {
			NEXT_ARG();
			if (parse_size(argv[0], "size", &p.length))
				return EXIT_USAGE;
		} else if (!strcmp(argv[0], "wired")) {
			p.wiring = VMARENA_WIRING_WIRED;
		} else if (matches(argv[0], "contiguous")) {
			p.wiring = VMARENA_WIRING_CONTIGUOUS;
		} else if (matches(argv[0], "cloneable")) {
			p.flags |= VMARENA_AREA_CLONEABLE;
		} else if (matches(argv[0], "overcommit")) {
			p.flags |= VMARENA_AREA_OVERCOMMIT;
		} else if (!strcmp(argv[0], "lazy")) {
			p.flags |= VMARENA_AREA_LAZY;
		} else if (!strcmp(argv[0], "below16m")) {
			p.flags |= VMARENA_AREA_PHYS_16M;
		} else if (!strcmp(argv[0], "below4g")) {
			p.flags |= VMARENA_AREA_PHYS_4G;
		} else if (matches(argv[0], "reserve")) {
			reserve = true;
		} else if (matches(argv[0], "help")) {
			area_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to area create", argv[0]);
		}
	}
	if (!p.length)
		return usage_error("area create needs a size");
	ret = open_target(1, (char *[]){ (char *)aspace }, false, &as, NULL);
	if (ret)
		return ret;
	if (reserve)
		ret = vmarena_area_create_null(as, &p, &addr);
	else
		ret = vmarena_area_create_anon(as, &p, &addr);
	close(as);
	if (ret < 0)
		return fail(-ret, "create area \"%s\" in aspace \"%s\"", name, aspace);
	print_created("created", ret, addr);
	return 0;
}

/*
 * Open aspace @aspace (*@as) and, with @from, the source's aspace
 * (*@src_as, else -1), and find area @source in the source's aspace.
 * Returns 0 with both open, or an exit status with a message and both
 * closed.
 */
static int open_source(const char *aspace, const char *from, const char *source, int *as,
		       int *src_as, uint32_t *src_id)
{
	int ctl = ctl_open(), ret;

	*as = -1;
	*src_as = -1;
	if (ctl < 0)
		return 1;
	*as = aspace_open_name(ctl, aspace);
	if (*as >= 0 && from)
		*src_as = aspace_open_name(ctl, from);
	close(ctl);
	ret = 1;
	if (*as >= 0 && (!from || *src_as >= 0))
		ret = area_lookup(from ? *src_as : *as, from ? from : aspace, source, src_id);
	if (!ret)
		return 0;
	if (*as >= 0)
		close(*as);
	if (*src_as >= 0)
		close(*src_as);
	return ret;
}

static int area_clone(int argc, char **argv)
{
	struct vmarena_area_params p = { 0 };
	const char *aspace, *source, *from = NULL;
	uint32_t mapping = VMARENA_MAP_PRIVATE, src_id;
	bool prot_given = false;
	int as, src_as = -1, ret, used;
	uint64_t addr;

	if (argc < 2)
		return usage_error("area clone needs ASPACE and SOURCE");
	aspace = argv[0];
	source = argv[1];
	for (argc -= 2, argv += 2; argc > 0; argc -= used, argv += used) {
		ret = parse_place(argc, argv, &p, &used);
		if (ret < 0)
			return argc < 2 ? usage_error("\"%s\" needs an argument", argv[0])
					: EXIT_USAGE;
		if (ret) {
			prot_given |= matches(argv[0], "prot");
			continue;
		}
		used = 1;
		if (matches(argv[0], "name")) {
			NEXT_ARG();
			if (strlen(argv[0]) >= VMARENA_NAME_MAX)
				return usage_error("area name \"%s\" is too long", argv[0]);
			p.name = argv[0];
		} else if (matches(argv[0], "from")) {
			NEXT_ARG();
			from = argv[0];
		} else if (matches(argv[0], "private")) {
			mapping = VMARENA_MAP_PRIVATE;
		} else if (matches(argv[0], "shared")) {
			mapping = VMARENA_MAP_SHARED;
		} else if (matches(argv[0], "help")) {
			area_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to area clone", argv[0]);
		}
	}
	ret = open_source(aspace, from, source, &as, &src_as, &src_id);
	if (ret)
		return ret;
	if (!prot_given) {
		/* Without prot, the clone allows what its source allows. */
		struct vmarena_area_info info;

		ret = vmarena_area_info(from ? src_as : as, src_id, &info);
		if (ret < 0) {
			ret = fail(-ret, "area \"%s\"", source);
			goto out;
		}
		p.protection = info.out_protection;
	}
	ret = vmarena_area_clone(as, &p, src_id, src_as, mapping, &addr);
	if (ret < 0) {
		ret = fail(-ret, "clone area \"%s\" into aspace \"%s\"", source, aspace);
		goto out;
	}
	print_created("cloned", ret, addr);
	ret = 0;
out:
	if (src_as >= 0)
		close(src_as);
	close(as);
	return ret;
}

enum area_op { OP_DELETE, OP_RESIZE, OP_PROTECT, OP_LOCK, OP_SYNC };

/*
 * Lock area @id of @as, say so, and hold the lock until a signal asks to
 * stop; then release it.  Returns 0 or -errno of the lock.
 */
static int area_hold_lock(int as, uint32_t id)
{
	sigset_t stop;
	int sig, ret;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	ret = vmarena_area_lock(as, id, VMARENA_LOCK_LOCKED);
	if (ret < 0)
		return ret;
	open_object(NULL);
	print_u64("id", NULL, id);
	print_str("action", NULL, "locked");
	close_object();
	fflush(stdout);
	sigwait(&stop, &sig);
	vmarena_area_lock(as, id, VMARENA_LOCK_UNLOCKED);
	return 0;
}

static int area_op(enum area_op op, int argc, char **argv)
{
	static const char *const names[] = {
		"delete", "resize", "protect", "lock", "sync",
	};
	static const char *const done[] = {
		"deleted", "resized", "protected", "locked", "synced",
	};
	bool with_value = op == OP_RESIZE || op == OP_PROTECT;
	uint64_t value = 0;
	uint32_t id, prot;
	int as, ret;

	if (argc != (with_value ? 3 : 2))
		return usage_error("area %s needs ASPACE AREA%s", names[op],
				   op == OP_RESIZE ? " SIZE" : op == OP_PROTECT ? " PROT" : "");
	if (op == OP_RESIZE && parse_size(argv[2], "size", &value))
		return EXIT_USAGE;
	if (op == OP_PROTECT) {
		if (parse_prot(argv[2], &prot))
			return EXIT_USAGE;
		value = prot;
	}
	ret = open_target(argc, argv, true, &as, &id);
	if (ret)
		return ret;
	switch (op) {
	case OP_DELETE:
		ret = vmarena_area_delete(as, id);
		break;
	case OP_RESIZE:
		ret = vmarena_area_resize(as, id, value);
		break;
	case OP_PROTECT:
		ret = vmarena_area_protect(as, id, value);
		break;
	case OP_LOCK:
		ret = area_hold_lock(as, id);
		close(as);
		return ret < 0 ? fail(-ret, "lock area \"%s\" in aspace \"%s\"", argv[1],
				      argv[0]) : 0;
	case OP_SYNC:
		ret = vmarena_area_sync(as, id);
		break;
	}
	close(as);
	if (ret < 0)
		return fail(-ret, "%s area \"%s\" in aspace \"%s\"", names[op], argv[1], argv[0]);
	/* Quiet in text, as ip is; JSON says what was done, so that -j
	 * output is always a JSON document. */
	open_object(NULL);
	print_u64("id", NULL, id);
	print_str("action", NULL, done[op]);
	if (with_value)
		print_u64(op == OP_RESIZE ? "length" : "protection", NULL, value);
	close_object();
	return 0;
}

/* AREA_COPY of @src_id (of the aspace @src_as, if not -1) into @as: the id, or -errno. */
int area_copy_ioctl(int as, uint32_t src_id, int src_as, const char *name, uint32_t addr_spec,
		    uint64_t address, uint64_t *out_address)
{
	struct vmarena_area_copy c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.source_id = src_id;
	c.addr_spec = addr_spec;
	c.address = address;
	if (name)
		snprintf(c.name, sizeof(c.name), "%s", name);
	if (src_as >= 0) {
		c.flags = VMARENA_COPY_SOURCE_FD;
		c.fd = (uint32_t)src_as;
	}
	if (ioctl(as, VMARENA_IOC_AREA_COPY, &c) < 0)
		return -errno;
	if (out_address)
		*out_address = c.out_address;
	return (int)c.out_id;
}

static int area_copy(int argc, char **argv)
{
	struct vmarena_area_params p = { 0 };
	const char *aspace, *source, *from = NULL;
	int as, src_as = -1, ret, used;
	uint32_t src_id;
	uint64_t addr;

	if (argc < 2)
		return usage_error("area copy needs ASPACE and SOURCE");
	aspace = argv[0];
	source = argv[1];
	for (argc -= 2, argv += 2; argc > 0; argc -= used, argv += used) {
		ret = parse_place(argc, argv, &p, &used);
		if (ret < 0)
			return argc < 2 ? usage_error("\"%s\" needs an argument", argv[0])
					: EXIT_USAGE;
		if (ret && !matches(argv[0], "at") && !matches(argv[0], "base"))
			return usage_error("\"%s\": a copy has its source's protection", argv[0]);
		if (ret)
			continue;
		used = 1;
		if (matches(argv[0], "name")) {
			NEXT_ARG();
			if (strlen(argv[0]) >= VMARENA_NAME_MAX)
				return usage_error("area name \"%s\" is too long", argv[0]);
			p.name = argv[0];
		} else if (matches(argv[0], "from")) {
			NEXT_ARG();
			from = argv[0];
		} else if (matches(argv[0], "help")) {
			area_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to area copy", argv[0]);
		}
	}
	ret = open_source(aspace, from, source, &as, &src_as, &src_id);
	if (ret)
		return ret;
	ret = area_copy_ioctl(as, src_id, src_as, p.name, p.addr_spec, p.address, &addr);
	if (ret < 0) {
		ret = fail(-ret, "copy area \"%s\" into aspace \"%s\"", source, aspace);
		goto out;
	}
	print_created("copied", ret, addr);
	ret = 0;
out:
	if (src_as >= 0)
		close(src_as);
	close(as);
	return ret;
}

int do_area(int argc, char **argv)
{
	static const char *const cmds[] = {
		"list", "show", "create", "clone", "delete", "resize", "protect", "lock",
		"sync", "help", "copy", NULL,
	};
	int cmd;

	if (argc < 1) {
		area_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = pick(argv[0], cmds, "area command");
	argc--, argv++;
	switch (cmd) {
	case 0:
		return area_list(argc, argv);
	case 1:
		return argc <= 1 ? area_list(argc, argv) : area_show(argc, argv);
	case 2:
		return area_create(argc, argv);
	case 3:
		return area_clone(argc, argv);
	case 4:
		return area_op(OP_DELETE, argc, argv);
	case 5:
		return area_op(OP_RESIZE, argc, argv);
	case 6:
		return area_op(OP_PROTECT, argc, argv);
	case 7:
		return area_op(OP_LOCK, argc, argv);
	case 8:
		return area_op(OP_SYNC, argc, argv);
	case 9:
		area_usage(stdout);
		return 0;
	case 10:
		return area_copy(argc, argv);
	}
	return EXIT_USAGE;
}
