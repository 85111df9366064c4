// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmarena/ (module/debugfs.c): each file parses, and
 * says of the objects this test makes (known ids, sizes, page counts)
 * exactly what VMARENA_IOC_ASPACE_INFO and _AREA_INFO say of them; the
 * cache chain of a private clone is drawn with the caches and pages it
 * has; the pool's counts add up; a ptfrag file lists the pages its
 * aspace maps and goes when the aspace does; nobody but root reads them.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "dfs.h"
#include "vt_arena.h"

static const char *const wiring_names[] = { "lazy", "wired", "already-wired", "contiguous" };
static const char *const lock_names[] = { "unlocked", "locked", "super-locked" };

/* The areas file's line of area @id of aspace fd @as, checked against AREA_INFO. */
static void expect_area_matches(const char *areas, int as, uint32_t asid, uint32_t id,
				struct dfs_area *a)
{
	struct vmarena_area_info info;
	char prefix[32], *line;

	snprintf(prefix, sizeof(prefix), "area %u ", id);
	line = dfs_line(areas, prefix);
	VT_CHECK(line, 1, "no line for area %u in areas", id);
	VT_CHECK(dfs_parse_area(line, a), 1, "areas: cannot parse \"%s\"", line);
	va_area_info_ok(as, id, &info);
	EXPECT_STREQ(a->name, info.out_name);
	EXPECT_EQ(a->aspace, asid);
	EXPECT_EQ(a->start, info.out_base);
	EXPECT_EQ(a->size, info.out_length);
	EXPECT_EQ(a->end, info.out_base + info.out_length);
	EXPECT_EQ(a->prot, info.out_protection);
	EXPECT_EQ(a->max, info.out_protection_max);
	ASSERT_TRUE(info.out_wiring < 4 && info.out_lock_level < 3);
	EXPECT_STREQ(a->wiring, wiring_names[info.out_wiring]);
	EXPECT_STREQ(a->lock, lock_names[info.out_lock_level]);
	EXPECT_EQ(a->flags, info.out_flags);
	EXPECT_EQ(a->depth, info.out_cache_depth);
	EXPECT_EQ(a->resident, info.out_resident);
	EXPECT_EQ(a->copies, info.out_copies);
	free(line);
}

/* An anonymous area named @name, @pages pages at @address, @wiring. */
static uint32_t anon(int as, const char *name, uint64_t address, unsigned int pages,
		     uint32_t wiring)
{
	struct vmarena_area_create c;

	va_area_req(&c, name, address, VA_PAGES(pages), VA_RW);
	c.wiring = wiring;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

static uint32_t clone_of(int as, const char *name, uint32_t source, uint64_t address,
			 uint32_t mapping)
{
	struct vmarena_area_create c;

	va_area_req(&c, name, address, 0, VA_RW);
	c.mapping = mapping;
	c.source_id = source;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CLONE, &c));
	ASSERT_EQ(c.out_address, address);
	return c.out_id;
}

/* A named aspace at VA_BASE, VA_LEN: its fd and id. */
static int named_aspace(int ctl, const char *name, uint32_t *id)
{
	struct vmarena_aspace_create c;
	int fd;

	va_aspace_req(&c, name, VA_BASE, VA_LEN, 0, 0);
	fd = va_aspace_create(ctl, &c);
	ASSERT_OK(fd);
	*id = c.out_id;
	return fd;
}

VT_TEST(debugfs_aspaces_match_info)
{
	struct vmarena_aspace_info info;
	struct dfs_aspace a, b;
	char prefix[32], *text, *line;
	int ctl = va_ctl_ok(), as, other;
	uint32_t id, other_id;

	as = named_aspace(ctl, "dfs-one", &id);
	other = va_aspace_ok(ctl, VA_BASE, VA_PAGES(64), &other_id);
	anon(as, "x", VA_BASE, 4, VMARENA_WIRING_WIRED);
	anon(as, "y", VA_BASE + VA_PAGES(8), 2, VMARENA_WIRING_LAZY);
	anon(as, "z", VA_BASE + VA_PAGES(16), 1, VMARENA_WIRING_LAZY);

	text = dfs_slurp(DFS "/aspaces");
	ASSERT_OK(va_aspace_info(as, &info));
	snprintf(prefix, sizeof(prefix), "aspace %u ", id);
	line = dfs_line(text, prefix);
	VT_CHECK(line, 1, "no line for aspace %u in:\n%s", id, text);
	VT_CHECK(dfs_parse_aspace(line, &a), 1, "aspaces: cannot parse \"%s\"", line);
	EXPECT_STREQ(a.name, "dfs-one");
	EXPECT_STREQ(a.name, info.out_name);
	EXPECT_EQ(a.start, info.out_base);
	EXPECT_EQ(a.size, info.out_length);
	EXPECT_EQ(a.end, VA_BASE + VA_LEN);
	EXPECT_EQ(a.owner, 0);
	EXPECT_EQ(a.areas, 3);
	EXPECT_EQ(a.areas, info.out_areas);
	EXPECT_EQ(a.faults, info.out_faults);
	EXPECT_EQ(a.window, info.out_window_faults);
	free(line);

	snprintf(prefix, sizeof(prefix), "aspace %u ", other_id);
	line = dfs_line(text, prefix);
	VT_CHECK(line, 1, "no line for aspace %u", other_id);
	ASSERT_TRUE(dfs_parse_aspace(line, &b));
	EXPECT_STREQ(b.name, "");
	EXPECT_EQ(b.size, VA_PAGES(64));
	EXPECT_EQ(b.areas, 0);
	EXPECT_EQ(dfs_count_lines(text, "aspace "), dfs_nlines(text));
	free(line);
	free(text);
	close(other);
	close(as);
	close(ctl);
}

VT_TEST(debugfs_areas_match_info)
{
	uint32_t asid, wired, lazy, priv, shared;
	struct dfs_area a;
	char needle[32], *text, *w;
	int ctl = va_ctl_ok(), as;

	as = named_aspace(ctl, "dfs-areas", &asid);
	wired = anon(as, "wired", VA_BASE, 4, VMARENA_WIRING_WIRED);
	lazy = anon(as, "lazy", VA_BASE + VA_PAGES(16), 8, VMARENA_WIRING_LAZY);
	priv = clone_of(as, "priv", wired, VA_BASE + VA_PAGES(32), VMARENA_MAP_PRIVATE);
	shared = clone_of(as, "shared", wired, VA_BASE + VA_PAGES(48), VMARENA_MAP_SHARED);
	w = va_map_ok(as, VA_BASE, VA_PAGES(64));
	w[VA_PAGES(16)] = 1;			/* lazy: one touch, and its fault-ahead */
	w[VA_PAGES(32 + 1)] = 2;		/* priv: two pages copied */
	w[VA_PAGES(32 + 3)] = 3;
	ASSERT_OK(munmap(w, VA_PAGES(64)));

	text = dfs_slurp(DFS "/areas");
	expect_area_matches(text, as, asid, wired, &a);
	EXPECT_STREQ(a.name, "wired");
	EXPECT_STREQ(a.wiring, "wired");
	EXPECT_EQ(a.resident, 4);
	EXPECT_EQ(a.depth, 1);
	EXPECT_EQ(a.copies, 0);
	expect_area_matches(text, as, asid, lazy, &a);
	EXPECT_STREQ(a.wiring, "lazy");
	EXPECT_GE(a.resident, 1);
	expect_area_matches(text, as, asid, priv, &a);
	EXPECT_EQ(a.size, VA_PAGES(4));
	EXPECT_EQ(a.depth, 2);
	EXPECT_EQ(a.copies, 2);
	expect_area_matches(text, as, asid, shared, &a);
	EXPECT_EQ(a.depth, 1);
	snprintf(needle, sizeof(needle), "\" aspace %u ", asid);
	EXPECT_EQ(dfs_count_lines(text, needle), 4);
	free(text);
	close(as);
	close(ctl);
}

VT_TEST(debugfs_caches_draw_chains)
{
	uint32_t asid, src, priv, top_id = 0, src_cache = 0, top, depth_src;
	char *text, *areas, *chain, *line, want[160];
	struct dfs_area a;
	int ctl = va_ctl_ok(), as;
	char *w;

	as = named_aspace(ctl, "dfs-caches", &asid);
	src = anon(as, "src", VA_BASE, 4, VMARENA_WIRING_WIRED);
	priv = clone_of(as, "priv", src, VA_BASE + VA_PAGES(16), VMARENA_MAP_PRIVATE);
	w = va_map_ok(as, VA_BASE, VA_PAGES(32));
	w[VA_PAGES(16 + 1)] = 1;
	w[VA_PAGES(16 + 2)] = 2;
	ASSERT_OK(munmap(w, VA_PAGES(32)));

	areas = dfs_slurp(DFS "/areas");
	expect_area_matches(areas, as, asid, src, &a);
	src_cache = a.cache;
	expect_area_matches(areas, as, asid, priv, &a);
	top_id = a.cache;
	ASSERT_EQ(a.copies, 2);
	ASSERT_EQ(a.depth, 2);
	ASSERT_NE(top_id, src_cache);

	text = dfs_slurp(DFS "/caches");
	chain = dfs_chain_of(text, priv);
	VT_CHECK(chain, 1, "no chain for area %u in:\n%s", priv, text);
	/* Drawn as vmarenactl cache show draws it, then the store and pages. */
	snprintf(want, sizeof(want), "area %u \"priv\" aspace %u\n"
		 "  `- cache %u anon temporary pages 4 resident 2 areas 1 source %u\n"
		 "       anon store: ", priv, asid, top_id, src_cache);
	VT_CHECK(!strncmp(chain, want, strlen(want)), 0, "chain starts:\n%s\nwant:\n%s",
		 chain, want);
	EXPECT_EQ(dfs_count_lines(chain, "`- cache "), 2);
	EXPECT_EQ(dfs_count_lines(chain, "page pfn "), 2 + 4);
	EXPECT_EQ(dfs_count_lines(chain, "        page pfn "), 4);	/* the source's */
	/* the source: 4 wired pages, the clone's cache its one consumer */
	snprintf(want, sizeof(want), "     `- cache %u anon ", src_cache);
	line = dfs_line(strchr(chain, '\n') + 1, want);
	VT_CHECK(line, 0, "no source line \"%s\" in:\n%s", want, chain);
	if (line) {
		EXPECT_TRUE(strstr(line, " pages 4 resident 4 areas 1"));
		snprintf(want, sizeof(want), " consumers %u", top_id);
		EXPECT_TRUE(strstr(line, want) && !strcmp(strstr(line, want), want));
		EXPECT_TRUE(!strstr(line, " source "));
	}
	free(line);
	/* the clone's pages are its offsets 1 and 2; the source's wired */
	EXPECT_EQ(dfs_count_lines(chain, "state wired identity cache offset "), 4);
	EXPECT_TRUE(strstr(chain, " offset 1 ") && strstr(chain, " offset 2 "));
	top = dfs_count_lines(chain, "       page pfn ");
	depth_src = dfs_count_lines(chain, "          page pfn ");
	EXPECT_EQ(top - depth_src, 2);
	free(chain);
	free(text);
	free(areas);
	close(as);
	close(ctl);
}

VT_TEST(debugfs_pages_add_up)
{
	static const char *const states[] = {
		"free", "clear", "busy", "active", "inactive", "modified", "wired",
	};
	unsigned long long total, max, reserved, low, count, queue, sum = 0;
	char prefix[32], name[16], *text, *line;
	int ctl = va_ctl_ok(), as;
	unsigned int i;
	uint32_t id;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, &id);
	anon(as, "w", VA_BASE, 8, VMARENA_WIRING_WIRED);
	text = dfs_slurp(DFS "/pages");
	line = dfs_line(text, "pool ");
	ASSERT_TRUE(line);
	ASSERT_EQ(sscanf(line, "pool total %llu max %llu reserved %llu low %llu", &total, &max,
			 &reserved, &low), 4);
	free(line);
	EXPECT_GE(total, 8);
	EXPECT_GE(max, total);
	for (i = 0; i < 7; i++) {
		snprintf(prefix, sizeof(prefix), "state %s ", states[i]);
		line = dfs_line(text, prefix);
		VT_CHECK(line, 1, "no line for state %s in:\n%s", states[i], text);
		if (i == 2) {
			EXPECT_EQ(sscanf(line, "state %15s count %llu queue -", name, &count), 2);
			EXPECT_TRUE(strstr(line, " queue -"));
		} else {
			ASSERT_EQ(sscanf(line, "state %15s count %llu queue %llu", name, &count,
					 &queue), 3);
			EXPECT_EQ(queue, count);	/* one snapshot under the queue lock */
		}
		sum += count;
		if (i == 6)
			EXPECT_GE(count, 8);	/* this test's wired pages at least */
		free(line);
	}
	EXPECT_EQ(sum, total);
	EXPECT_TRUE(dfs_line(text, "commit used "));
	EXPECT_EQ(dfs_nlines(text), 9);
	free(text);
	close(as);
	close(ctl);
}

/* Is there a file at @path now? */
static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

VT_TEST(debugfs_ptfrag_follows_aspace)
{
	char path[64], want[96], *text, *line;
	unsigned long tables, present;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int ctl = va_ctl_ok(), as, i;
	struct stat st;
	uint32_t id;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, &id);
	anon(as, "three", VA_BASE + VA_PAGES(2), 3, VMARENA_WIRING_WIRED);
	snprintf(path, sizeof(path), DFS "/ptfrag/%u", id);
	ASSERT_OK(stat(path, &st));
	EXPECT_EQ(st.st_mode & 07777, 0400);
	text = dfs_slurp(path);
	snprintf(want, sizeof(want), "aspace %u \"\" %#llx-%#llx size %#llx owner 0 areas 1 ",
		 id, VA_BASE, VA_BASE + VA_LEN, VA_LEN);
	VT_CHECK(!strncmp(text, want, strlen(want)), 0, "ptfrag starts:\n%s\nwant: %s", text,
		 want);
	line = dfs_line(text, "ptfrag: ");
	ASSERT_TRUE(line);
	ASSERT_EQ(sscanf(line, "ptfrag: %lu tables, %lu present", &tables, &present), 2);
	EXPECT_EQ(present, 3);
	EXPECT_EQ(tables, 4);		/* PML4, PDPT, PD, PT */
	free(line);
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "  %#014llx pfn 0x", VA_BASE + VA_PAGES(2 + i));
		line = dfs_line(text, want);
		VT_CHECK(line, 0, "no leaf for page %d in:\n%s", i, text);
		if (line)
			EXPECT_TRUE(strstr(line, " rw- ") || strstr(line, " r-- "));
		free(line);
	}
	EXPECT_EQ(dfs_count_lines(text, " pfn 0x"), 3);
	free(text);

	/* The file goes with the aspace (from a work item: soon, not at once). */
	close(as);
	for (i = 0; i < 500 && exists(path); i++)
		nanosleep(&ts, NULL);
	EXPECT_TRUE(!exists(path));
	EXPECT_ERRNO(open(path, O_RDONLY), ENOENT);
	text = dfs_slurp(DFS "/aspaces");
	snprintf(want, sizeof(want), "aspace %u ", id);
	line = dfs_line(text, want);
	EXPECT_TRUE(!line);
	free(line);
	free(text);
	close(ctl);
}

VT_TEST(debugfs_root_only)
{
	static const char *const files[] = {
		DFS "/aspaces", DFS "/areas", DFS "/caches", DFS "/pages",
	};
	int ctl = va_ctl_ok(), as, st, i;
	char path[64];
	struct stat sb;
	uint32_t id;
	pid_t pid;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, &id);
	snprintf(path, sizeof(path), DFS "/ptfrag/%u", id);
	for (i = 0; i < 4; i++) {
		ASSERT_OK(stat(files[i], &sb));
		EXPECT_EQ(sb.st_mode & 07777, 0400);
		EXPECT_EQ(sb.st_uid, 0);
	}
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		int bad = 0, fd;

		if (setresgid(VA_NOBODY, VA_NOBODY, VA_NOBODY) ||
		    setresuid(VA_NOBODY, VA_NOBODY, VA_NOBODY))
			_exit(100);
		for (i = 0; i < 5; i++) {
			fd = open(i < 4 ? files[i] : path, O_RDONLY);
			if (fd >= 0 || errno != EACCES)
				bad++;
			if (fd >= 0)
				close(fd);
		}
		_exit(bad);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	close(as);
	close(ctl);
}
