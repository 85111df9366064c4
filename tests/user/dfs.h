/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /sys/kernel/debug/vmarena/ in the tests (debugfs_test.c, and
 * netlink_test.c, which compares the two views).
 */
#ifndef VMARENA_DFS_H
#define VMARENA_DFS_H

#include <stdbool.h>
#include <stdint.h>

#define DFS	"/sys/kernel/debug/vmarena"

/* A line of the aspaces file. */
struct dfs_aspace {
	uint32_t id, owner, areas;
	char name[32];
	unsigned long long start, end, size, faults, window, change;
};

/* A line of the areas file. */
struct dfs_area {
	uint32_t id, aspace, prot, max, flags, cache, depth;
	char name[32], wiring[16], lock[16];
	unsigned long long start, end, size, offset, resident, copies;
};

/* The whole of @path, NUL-terminated (asserted readable); free() it. */
char *dfs_slurp(const char *path);
/* The line of @text that starts with @prefix (a copy, no newline), or NULL. */
char *dfs_line(const char *text, const char *prefix);
/* Lines of @text that contain @needle; lines of @text. */
int dfs_count_lines(const char *text, const char *needle);
int dfs_nlines(const char *text);
bool dfs_parse_aspace(const char *line, struct dfs_aspace *a);
bool dfs_parse_area(const char *line, struct dfs_area *a);
/* The caches file's lines, from area @id's header to the next area, or NULL. */
char *dfs_chain_of(const char *text, uint32_t id);

#endif /* VMARENA_DFS_H */
