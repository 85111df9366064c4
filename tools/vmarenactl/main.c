// SPDX-License-Identifier: GPL-2.0
/*
 * vmarenactl: look at and manage vmarena from a shell.
 *
 * Grammar: vmarenactl [OPTIONS] OBJECT COMMAND [ARGS]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vmarena/vmarena.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmarenactl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       vmarenactl version\n"
		"OBJECT := { version }\n");
}

static int do_version(void)
{
	struct vmarena_version ver;
	int fd, ret;

	fd = vmarena_open();
	if (fd < 0) {
		fprintf(stderr, "vmarenactl: open %s: %s\n", VMARENA_DEVICE_PATH, strerror(-fd));
		return 1;
	}
	ret = vmarena_version(fd, &ver);
	close(fd);
	if (ret < 0) {
		fprintf(stderr, "vmarenactl: version: %s\n", strerror(-ret));
		return 1;
	}
	printf("module %u.%u.%u abi %u features 0x%llx\n",
	       ver.out_module_version >> 16, (ver.out_module_version >> 8) & 0xff,
	       ver.out_module_version & 0xff, ver.out_abi_version,
	       (unsigned long long)ver.out_features);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strncmp(argv[1], "version", strlen(argv[1])))
		return do_version();
	fprintf(stderr, "vmarenactl: unknown object \"%s\"; try \"vmarenactl help\"\n", argv[1]);
	return 1;
}
