// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl: look at and manage vmarena from a shell.
 *
 * Grammar: vmarenactl [OPTIONS] OBJECT COMMAND [ARGS], like ip(8): objects
 * and commands may be abbreviated to any unique prefix, "help" works at
 * every level, errors name what was asked and the errno's text.  This file
 * holds the grammar and the helpers every object shares; each object has
 * its own file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmarenactl.h"

struct opts opts;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl [OPTIONS] OBJECT { COMMAND | help }\n"
		"       vmarenactl version\n"
		"OBJECT := { aspace | area | cache | page | translate | stats | monitor }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] | -h[elp] }\n"
		"Try \"vmarenactl OBJECT help\".\n");
}

bool matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

int pick(const char *arg, const char *const *words, const char *what)
{
	int i, found = -1, n = 0;

	for (i = 0; words[i]; i++) {
		if (!strcmp(arg, words[i]))
			return i;
		if (matches(arg, words[i])) {
			found = i;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n > 1)
		fprintf(stderr, "vmarenactl: %s \"%s\" is ambiguous; try \"help\"\n", what, arg);
	else
		fprintf(stderr, "vmarenactl: unknown %s \"%s\"; try \"help\"\n", what, arg);
	return -1;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmarenactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("vmarenactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	return 1;
}

static int parse_number(const char *arg, const char *what, uint64_t *out, bool size)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	/* strtoull() takes "-1" and leading blanks; a number does not. */
	if (!isdigit((unsigned char)arg[0]))
		goto bad;
	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg)
		goto bad;
	if (size && *end) {
		switch (toupper((unsigned char)*end)) {
		case 'K':
			shift = 10;
			break;
		case 'M':
			shift = 20;
			break;
		case 'G':
			shift = 30;
			break;
		case 'T':
			shift = 40;
			break;
		default:
			goto bad;
		}
		end++;
		if (v > (~0ULL >> shift))
			goto bad;
		v <<= shift;
	}
	if (*end)
		goto bad;
	*out = v;
	return 0;
bad:
	usage_error("invalid %s \"%s\"", what, arg);
	return -1;
}

int parse_u64(const char *arg, const char *what, uint64_t *out)
{
	return parse_number(arg, what, out, false);
}

int parse_size(const char *arg, const char *what, uint64_t *out)
{
	return parse_number(arg, what, out, true);
}

int parse_u32(const char *arg, const char *what, uint32_t *out)
{
	uint64_t v;

	if (parse_number(arg, what, &v, false))
		return -1;
	if (v > UINT32_MAX) {
		usage_error("invalid %s \"%s\"", what, arg);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_prot(const char *arg, uint32_t *out)
{
	uint32_t prot = 0;
	const char *p;

	if (!strcmp(arg, "none")) {
		*out = 0;
		return 0;
	}
	for (p = arg; *p; p++) {
		uint32_t bit;

		switch (*p) {
		case 'r':
			bit = VMARENA_PROT_READ;
			break;
		case 'w':
			bit = VMARENA_PROT_WRITE;
			break;
		case 'x':
			bit = VMARENA_PROT_EXEC;
			break;
		case '-':
			continue;
		default:
			bit = 0;
		}
		if (!bit || (prot & bit))
			goto bad;
		prot |= bit;
	}
	if (!*arg)
		goto bad;
	*out = prot;
	return 0;
bad:
	usage_error("invalid protection \"%s\" (a combination of r, w, x, or none)", arg);
	return -1;
}

const char *prot_str(uint32_t prot, char buf[4])
{
	buf[0] = prot & VMARENA_PROT_READ ? 'r' : '-';
	buf[1] = prot & VMARENA_PROT_WRITE ? 'w' : '-';
	buf[2] = prot & VMARENA_PROT_EXEC ? 'x' : '-';
	buf[3] = 0;
	return buf;
}

const char *wiring_str(uint32_t wiring)
{
	switch (wiring) {
	case VMARENA_WIRING_LAZY:
		return "lazy";
	case VMARENA_WIRING_WIRED:
		return "wired";
	case VMARENA_WIRING_ALREADY_WIRED:
		return "already-wired";
	case VMARENA_WIRING_CONTIGUOUS:
		return "contiguous";
	}
	return "unknown";
}

const char *lock_str(uint32_t level)
{
	switch (level) {
	case VMARENA_LOCK_UNLOCKED:
		return "unlocked";
	case VMARENA_LOCK_LOCKED:
		return "locked";
	case VMARENA_LOCK_SUPERLOCKED:
		return "superlocked";
	}
	return "unknown";
}

const char *size_str(uint64_t bytes, char buf[32])
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes >= unit && !(bytes % unit)) {
			snprintf(buf, 32, "%llu%c", (unsigned long long)(bytes / unit), units[i]);
			return buf;
		}
	}
	snprintf(buf, 32, "%llu", (unsigned long long)bytes);
	return buf;
}

int ctl_open(void)
{
	int fd = vmarena_open();

	if (fd < 0)
		fail(-fd, "open %s", VMARENA_DEVICE_PATH);
	return fd;
}

int aspace_open_name(int ctl, const char *name)
{
	int fd = vmarena_aspace_open(ctl, name);

	if (fd < 0)
		fail(-fd, "open aspace \"%s\"", name);
	return fd;
}

int area_lookup(int as, const char *aspace, const char *arg, uint32_t *id)
{
	struct vmarena_area_info info;
	uint64_t v;
	int ret;

	/* An id when it is a number, a name otherwise. */
	if (isdigit((unsigned char)arg[0])) {
		if (parse_u64(arg, "area id", &v))
			return EXIT_USAGE;
		if (!v || v > UINT32_MAX)
			return usage_error("invalid area id \"%s\"", arg);
		ret = vmarena_area_info(as, v, &info);
		if (ret < 0)
			return fail(-ret, "area %s in aspace \"%s\"", arg, aspace);
		*id = v;
		return 0;
	}
	ret = vmarena_area_find(as, arg);
	if (ret < 0)
		return fail(-ret, "area \"%s\" in aspace \"%s\"", arg, aspace);
	*id = ret;
	return 0;
}

static int do_version(int argc, char **argv)
{
	struct vmarena_version ver;
	char mod[32];
	int fd, ret;

	if (argc > 0 && matches(argv[0], "help")) {
		printf("Usage: vmarenactl version\n");
		return 0;
	}
	if (argc > 0)
		return usage_error("version takes no arguments");
	fd = ctl_open();
	if (fd < 0)
		return 1;
	ret = vmarena_version(fd, &ver);
	close(fd);
	if (ret < 0)
		return fail(-ret, "version");
	open_object(NULL);
	snprintf(mod, sizeof(mod), "%u.%u.%u", ver.out_module_version >> 16,
		 (ver.out_module_version >> 8) & 0xff, ver.out_module_version & 0xff);
	print_str("module", "module %s", mod);
	print_u64("abi", " abi %llu", ver.out_abi_version);
	print_hex("features", " features 0x%llx", ver.out_features);
	print_nl();
	close_object();
	return 0;
}

static int do_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

static const char *const objects[] = {
	"aspace", "area", "cache", "page", "translate", "stats", "monitor", "version", "help",
	NULL,
};

static int (*const handlers[])(int, char **) = {
	do_aspace, do_area, do_cache, do_page, do_translate, do_stats, do_monitor, do_version,
	do_help,
};

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "details", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, obj, ret;

	/* "+": options end at the object, as in ip(8). */
	while ((c = getopt_long(argc, argv, "+jpsdh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.pretty = true;
			break;
		case 's':
			opts.stats++;
			break;
		case 'd':
			opts.details = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	obj = pick(argv[0], objects, "object");
	if (obj < 0)
		return EXIT_USAGE;
	print_start();
	ret = handlers[obj](argc - 1, argv + 1);
	print_end();
	return ret;
}
