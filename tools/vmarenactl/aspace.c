// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl aspace: list, show, create and delete persistent named aspaces.
 * create/delete/show go through the ioctls (libvmarena); list asks the
 * kernel's generic netlink family, the only way to see every aspace.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include "vmarenactl.h"

#define DEFAULT_BASE	0x40000000ULL

static void aspace_usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl aspace list\n"
		"       vmarenactl aspace show ASPACE\n"
		"       vmarenactl aspace create NAME size SIZE [ base ADDR ] [ mode MODE ]\n"
		"       vmarenactl aspace delete NAME\n"
		"       vmarenactl aspace copy ASPACE NAME [ mode MODE ]\n"
		"SIZE, ADDR := NUMBER[K|M|G|T], page aligned; MODE := octal permission bits (0600)\n"
		"ASPACE := { ID | NAME }\n"
		"create makes a persistent aspace that lives until delete; -d with list\n"
		"and show also lists the areas.  copy makes a persistent aspace NAME with\n"
		"ASPACE's range and a copy of each of its areas at the same address.\n");
}

void aspace_from_attrs(struct nlattr **tb, struct ctl_aspace *a)
{
	memset(a, 0, sizeof(*a));
	a->id = attr_u32(tb, VMARENA_A_ASPACE_ID);
	snprintf(a->name, sizeof(a->name), "%s", attr_str(tb, VMARENA_A_ASPACE_NAME));
	a->base = attr_u64(tb, VMARENA_A_ASPACE_BASE);
	a->length = attr_u64(tb, VMARENA_A_ASPACE_SIZE);
	a->owner = attr_u32(tb, VMARENA_A_ASPACE_OWNER);
	a->areas = attr_u32(tb, VMARENA_A_ASPACE_AREAS);
	a->faults = attr_u64(tb, VMARENA_A_ASPACE_FAULTS);
	a->superlocked = tb[VMARENA_A_ASPACE_SUPERLOCKED];
}

void print_aspace(const struct ctl_aspace *a)
{
	char buf[32];

	print_u64("id", "aspace %llu", a->id);
	print_str("name", " \"%s\"", a->name);
	print_hex("base", " %#llx", a->base);
	print_hex("end", "-%#llx", a->base + a->length);
	print_str("size", " size %s", size_str(a->length, buf));
	print_u64("length", NULL, a->length);
	print_u64("owner", " owner %llu", a->owner);
	print_u64("areas", " areas %llu", a->areas);
	print_bool("superlocked", " superlocked", a->superlocked);
	if (opts.stats)
		print_u64("faults", " faults %llu", a->faults);
}

/* The aspaces the caller may see, in id order. */
static int aspace_dump(struct nl_reply *r)
{
	return nl_request(VMARENA_CMD_ASPACE_GET, true, NULL, 0, r, "list aspaces");
}

int resolve_aspace(const char *arg, uint32_t *id)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct nl_reply r;
	uint64_t want = 0;
	bool by_id = isdigit((unsigned char)arg[0]);
	size_t i;
	int ret;

	if (by_id && (parse_u64(arg, "aspace id", &want) || !want || want > UINT32_MAX))
		return want ? usage_error("invalid aspace id \"%s\"", arg) : EXIT_USAGE;
	ret = aspace_dump(&r);
	if (ret)
		return ret;
	*id = 0;
	for (i = 0; i < r.n && !*id; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		if (by_id ? attr_u32(tb, VMARENA_A_ASPACE_ID) == want
			  : !strcmp(attr_str(tb, VMARENA_A_ASPACE_NAME), arg))
			*id = attr_u32(tb, VMARENA_A_ASPACE_ID);
	}
	nl_reply_free(&r);
	if (!*id)
		return fail(ENOENT, "aspace \"%s\"", arg);
	return 0;
}

int aspace_list(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct ctl_aspace a;
	struct nl_reply r;
	size_t i;
	int ret;

	if (argc > 0)
		return usage_error("aspace list takes no arguments");
	ret = aspace_dump(&r);
	if (ret)
		return ret;
	open_array(NULL);
	for (i = 0; i < r.n; i++) {
		if (nl_parse(r.msgs[i], tb))
			continue;
		aspace_from_attrs(tb, &a);
		open_object(NULL);
		print_aspace(&a);
		print_nl();
		if (opts.details) {
			open_array("area_list");
			ret = print_areas(a.id, "    ");
			close_array();
			if (ret)
				break;
		}
		close_object();
	}
	close_array();
	nl_reply_free(&r);
	return ret;
}

static int aspace_show(int argc, char **argv)
{
	struct nlattr *tb[VMARENA_A_MAX + 1];
	struct ctl_aspace a;
	struct nl_reply r;
	uint32_t id;
	int ret;

	if (argc != 1)
		return usage_error("aspace show needs one ASPACE");
	ret = resolve_aspace(argv[0], &id);
	if (ret)
		return ret;
	ret = nl_request(VMARENA_CMD_ASPACE_GET, false,
			 &(struct nl_req_attr){ VMARENA_A_ASPACE_ID, 4, id }, 1, &r,
			 "aspace \"%s\"", argv[0]);
	if (ret)
		return ret;
	if (r.n != 1 || nl_parse(r.msgs[0], tb)) {
		nl_reply_free(&r);
		return fail(EPROTO, "aspace \"%s\"", argv[0]);
	}
	aspace_from_attrs(tb, &a);
	nl_reply_free(&r);
	open_object(NULL);
	print_aspace(&a);
	print_nl();
	if (opts.details) {
		open_array("area_list");
		ret = print_areas(a.id, "    ");
		close_array();
	}
	close_object();
	return ret;
}

static int aspace_create(int argc, char **argv)
{
	uint64_t base = DEFAULT_BASE, size = 0;
	const char *name;
	unsigned long mode = 0600;
	struct vmarena_aspace_info info;
	int ctl, as, ret;
	char *end;

	if (argc < 1)
		return usage_error("aspace create needs a NAME");
	name = argv[0];
	if (strlen(name) >= VMARENA_NAME_MAX || !*name)
		return usage_error("invalid aspace name \"%s\" (1 to %d bytes)", name,
				   VMARENA_NAME_MAX - 1);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (matches(argv[0], "size") || matches(argv[0], "length")) {
			NEXT_ARG();
			if (parse_size(argv[0], "size", &size))
				return EXIT_USAGE;
		} else if (matches(argv[0], "base")) {
			NEXT_ARG();
			if (parse_size(argv[0], "base", &base))
				return EXIT_USAGE;
		} else if (matches(argv[0], "mode")) {
			NEXT_ARG();
			mode = strtoul(argv[0], &end, 8);
			if (!*argv[0] || *end || mode > 0777)
				return usage_error("invalid mode \"%s\"", argv[0]);
		} else if (matches(argv[0], "help")) {
			aspace_usage(stdout);
			return 0;
		} else {
			return usage_error("unknown argument \"%s\" to aspace create", argv[0]);
		}
	}
	if (!size)
		return usage_error("aspace create needs a size");
	ctl = ctl_open();
	if (ctl < 0)
		return 1;
	as = vmarena_aspace_create_persistent(ctl, name, base, size, mode);
	close(ctl);
	if (as < 0)
		return fail(-as, "create aspace \"%s\"", name);
	ret = vmarena_aspace_info(as, &info);
	close(as);
	if (ret < 0)
		return fail(-ret, "aspace \"%s\"", name);
	open_object(NULL);
	print_u64("id", "aspace %llu", info.out_id);
	print_str("name", " \"%s\" created", name);
	print_nl();
	close_object();
	return 0;
}

static int aspace_delete(int argc, char **argv)
{
	int ctl, ret;

	if (argc != 1)
		return usage_error("aspace delete needs one NAME");
	ctl = ctl_open();
	if (ctl < 0)
		return 1;
	ret = vmarena_aspace_unlink(ctl, argv[0]);
	close(ctl);
	if (ret < 0)
		return fail(-ret, "delete aspace \"%s\"", argv[0]);
	open_object(NULL);
	print_str("name", NULL, argv[0]);
	print_str("action", NULL, "deleted");
	close_object();
	return 0;
}

/* Copy every area of @src into @dst at its address: 0 or -errno. */
static int aspace_copy_areas(int dst, int src)
{
	struct vmarena_area_info info;
	int ret;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	while (!ioctl(src, VMARENA_IOC_AREA_ITERATE, &info)) {
		ret = area_copy_ioctl(dst, info.id, src, NULL, VMARENA_ADDR_EXACT, info.out_base,
				      NULL);
		if (ret < 0 && ret != -ENOENT)	/* deleted meanwhile */
			return ret;
	}
	return errno == ENOENT ? 0 : -errno;
}

static int aspace_copy(int argc, char **argv)
{
	struct vmarena_aspace_info info;
	unsigned long mode = 0600;
	const char *source, *name;
	int ctl, src, dst, ret;
	char *end;

	if (argc < 2)
		return usage_error("aspace copy needs ASPACE and NAME");
	source = argv[0];
	name = argv[1];
	if (strlen(name) >= VMARENA_NAME_MAX || !*name)
		return usage_error("invalid aspace name \"%s\" (1 to %d bytes)", name,
				   VMARENA_NAME_MAX - 1);
	for (argc -= 2, argv += 2; argc > 0; argc--, argv++) {
		if (matches(argv[0], "mode")) {
			NEXT_ARG();
			mode = strtoul(argv[0], &end, 8);
			if (!*argv[0] || *end || mode > 0777)
				return usage_error("invalid mode \"%s\"", argv[0]);
		} else {
			return usage_error("unknown argument \"%s\" to aspace copy", argv[0]);
		}
	}
	ctl = ctl_open();
	if (ctl < 0)
		return 1;
	src = aspace_open_name(ctl, source);
	if (src < 0) {
		close(ctl);
		return 1;
	}
	ret = vmarena_aspace_info(src, &info);
	dst = ret < 0 ? ret : vmarena_aspace_create_persistent(ctl, name, info.out_base,
							      info.out_length, mode);
	if (dst < 0) {
		close(src);
		close(ctl);
		return fail(-dst, "create aspace \"%s\"", name);
	}
	ret = aspace_copy_areas(dst, src);
	if (ret < 0)
		vmarena_aspace_unlink(ctl, name);	/* nothing left behind */
	close(ctl);
	close(src);
	if (!ret)
		ret = vmarena_aspace_info(dst, &info);
	close(dst);
	if (ret < 0)
		return fail(-ret, "copy aspace \"%s\" to \"%s\"", source, name);
	open_object(NULL);
	print_u64("id", "aspace %llu", info.out_id);
	print_str("name", " \"%s\"", name);
	print_u64("areas", " areas %llu", info.out_areas);
	print_str("action", " %s", "copied");
	print_nl();
	close_object();
	return 0;
}

int do_aspace(int argc, char **argv)
{
	static const char *const cmds[] = { "list", "show", "create", "delete", "help", "copy",
					    NULL };
	int cmd;

	if (argc < 1)
		return aspace_list(0, NULL);
	cmd = pick(argv[0], cmds, "aspace command");
	switch (cmd) {
	case 0:
		return aspace_list(argc - 1, argv + 1);
	case 1:
		if (argc == 1)
			return aspace_list(0, NULL);
		return aspace_show(argc - 1, argv + 1);
	case 2:
		return aspace_create(argc - 1, argv + 1);
	case 3:
		return aspace_delete(argc - 1, argv + 1);
	case 4:
		aspace_usage(stdout);
		return 0;
	case 5:
		return aspace_copy(argc - 1, argv + 1);
	}
	return EXIT_USAGE;
}
