// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /sys/kernel/debug/vmarena/ (module/debugfs.c): the files and
 * their lines, parsed as module/vmarena/dump.c prints them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dfs.h"
#include "vt.h"

/* The whole of @path, NUL-terminated (asserted readable). */
char *dfs_slurp(const char *path)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	ASSERT_TRUE(buf);
	fd = open(path, O_RDONLY);
	VT_CHECK(fd >= 0, 1, "open %s: %s", path, strerror(errno));
	/* small reads: seq_file must resume between aspaces */
	while ((n = read(fd, buf + len, 1000)) > 0) {
		len += n;
		if (cap - len < 1001) {
			cap *= 2;
			buf = realloc(buf, cap);
			ASSERT_TRUE(buf);
		}
	}
	VT_CHECK(n == 0, 1, "read %s: %s", path, strerror(errno));
	close(fd);
	buf[len] = 0;
	return buf;
}

/* The line of @text that starts with @prefix (a copy, no newline), or NULL. */
char *dfs_line(const char *text, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p = text, *end;

	while (*p) {
		end = strchrnul(p, '\n');
		if ((size_t)(end - p) >= plen && !strncmp(p, prefix, plen))
			return strndup(p, end - p);
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Lines of @text that contain @needle. */
int dfs_count_lines(const char *text, const char *needle)
{
	const char *p = text, *end;
	int n = 0;

	while (*p) {
		end = strchrnul(p, '\n');
		if (memmem(p, end - p, needle, strlen(needle)))
			n++;
		p = *end ? end + 1 : end;
	}
	return n;
}

/* Lines of @text. */
int dfs_nlines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* "noun ID "NAME" rest": the id, the name into @name, the rest; NULL if not. */
static const char *dfs_split_line(const char *line, const char *noun, uint32_t *id, char *name)
{
	const char *q;
	int n = 0;
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%s %%u \"%%n", noun);
	if (sscanf(line, fmt, id, &n) != 1 || !n)
		return NULL;
	q = strchr(line + n, '"');
	if (!q || q - (line + n) >= 32)
		return NULL;
	memcpy(name, line + n, q - (line + n));
	name[q - (line + n)] = 0;
	return q + 1;
}

bool dfs_parse_aspace(const char *line, struct dfs_aspace *a)
{
	const char *rest = dfs_split_line(line, "aspace", &a->id, a->name);

	return rest && sscanf(rest, " %llx-%llx size %llx owner %u areas %u faults %llu window %llu change %llu",
			      &a->start, &a->end, &a->size, &a->owner, &a->areas, &a->faults,
			      &a->window, &a->change) == 8;
}

bool dfs_parse_area(const char *line, struct dfs_area *a)
{
	const char *rest = dfs_split_line(line, "area", &a->id, a->name);

	return rest && sscanf(rest, " aspace %u %llx-%llx size %llx prot %x max %x %15s %15s flags %x cache %u+%llx depth %u resident %llu copies %llu",
			      &a->aspace, &a->start, &a->end, &a->size, &a->prot, &a->max,
			      a->wiring, a->lock, &a->flags, &a->cache, &a->offset, &a->depth,
			      &a->resident, &a->copies) == 14;
}

/* The caches file's lines, from area @id's header to the next area. */
char *dfs_chain_of(const char *text, uint32_t id)
{
	char prefix[32];
	const char *p, *next;

	snprintf(prefix, sizeof(prefix), "area %u \"", id);
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			break;
	if (!p)
		return NULL;
	next = strstr(p + 1, "\narea ");
	return next ? strndup(p, next + 1 - p) : strdup(p);
}
