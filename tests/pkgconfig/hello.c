// SPDX-License-Identifier: GPL-2.0
/*
 * A program outside the tree: built by tests/pkgconfig/build.sh against the
 * files `make install DESTDIR=...` installed, found only through
 * `pkg-config --cflags --libs vmarena`, and run in the guest.  It prints TAP
 * that the judge counts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <vmarena/vmarena.h>
#include <vmarena/os_area.h>

static int n;
static int failed;

static void check(int ok, const char *what, long got)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d - %s", ok ? "" : "not ", n, what);
	if (!ok)
		printf(" (got %ld)", got);
	printf("\n");
}

int main(void)
{
	struct vmarena_area_params p = {
		.name = "hello", .length = 4 * 4096,
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};
	struct vmarena_version ver;
	struct vmarena_area_info info;
	uint64_t base = 0x40000000, addr = 0;
	void *win = NULL, *ha;
	area_id a;
	int ctl, as, id, ret;

	printf("1..7\n");
	ctl = vmarena_open();
	check(ctl >= 0, "vmarena_open() opens " VMARENA_DEVICE_PATH, ctl);
	if (ctl < 0)
		return 1;
	ret = vmarena_version(ctl, &ver);
	check(ret == 0 && ver.out_abi_version == VMARENA_ABI_VERSION,
	      "the module speaks the installed header's ABI version", ret ? ret : (long)ver.out_abi_version);
	as = vmarena_aspace_create(ctl, "pkgconfig", base, 16 << 20);
	check(as >= 0, "vmarena_aspace_create()", as);
	if (as < 0)
		return 1;
	id = vmarena_area_create_anon(as, &p, &addr);
	check(id > 0 && addr >= base, "vmarena_area_create_anon()", id);
	ret = vmarena_map_window(as, base, 16 << 20, PROT_READ | PROT_WRITE, 0, &win);
	check(ret == 0, "vmarena_map_window()", ret);
	if (ret)
		return 1;
	strcpy((char *)win + (addr - base) + 4096, "hello, vmarena");
	ret = vmarena_area_info(as, id, &info);
	check(ret == 0 && info.out_length == p.length &&
	      !strcmp((char *)win + (addr - base) + 4096, "hello, vmarena"),
	      "a store through the window reads back; vmarena_area_info() sees the area", ret);
	ha = NULL;
	a = create_area("hello-haiku", &ha, B_ANY_ADDRESS, 4096, B_NO_LOCK,
			B_READ_AREA | B_WRITE_AREA);
	if (a >= 0)
		((char *)ha)[0] = 1;
	check(a >= 0 && find_area("hello-haiku") == a && ((char *)ha)[0] == 1 &&
	      delete_area(a) == B_OK,
	      "the Haiku area API: create_area(), find_area(), delete_area()", a);
	vmarena_unmap_window(win, 16 << 20);
	close(as);
	close(ctl);
	return failed != 0;
}
