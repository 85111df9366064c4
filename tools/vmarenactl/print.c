// SPDX-License-Identifier: GPL-2.0
/*
 * The one printing path of vmarenactl.  Commands describe what they print
 * once, as a sequence of keyed values with text formats; this file turns
 * that into text or into JSON.  So the two outputs cannot drift: a value
 * missing from one is missing from both.
 *
 * JSON output is a single document: print_start() opens nothing by itself;
 * the command's first open_object()/open_array() is the document, and
 * print_end() closes whatever is still open (an error halfway through a
 * listing still leaves valid JSON).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmarenactl.h"

#define MAX_DEPTH 16

static struct {
	int depth;
	bool first[MAX_DEPTH];	/* nothing printed yet at this level */
	bool array[MAX_DEPTH];
	bool started;
} jw;

static void json_indent(void)
{
	int i;

	if (!opts.pretty)
		return;
	putchar('\n');
	for (i = 0; i < jw.depth; i++)
		fputs("  ", stdout);
}

static void json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* Start a member: the comma, the indent and, inside an object, the key. */
static void json_member(const char *key)
{
	if (jw.depth > 0) {
		if (!jw.first[jw.depth])
			putchar(',');
		jw.first[jw.depth] = false;
		json_indent();
		if (!jw.array[jw.depth]) {
			json_string(key ? key : "");
			fputs(opts.pretty ? ": " : ":", stdout);
		}
	}
	jw.started = true;
}

static void json_open(const char *key, bool array)
{
	json_member(key);
	putchar(array ? '[' : '{');
	if (jw.depth + 1 < MAX_DEPTH)
		jw.depth++;
	jw.first[jw.depth] = true;
	jw.array[jw.depth] = array;
}

static void json_close(void)
{
	bool empty = jw.first[jw.depth], array = jw.array[jw.depth];

	if (jw.depth == 0)
		return;
	jw.depth--;
	if (!empty)
		json_indent();
	putchar(array ? ']' : '}');
	if (jw.depth == 0)
		putchar('\n');
}

void print_start(void)
{
	memset(&jw, 0, sizeof(jw));
}

void print_end(void)
{
	if (!opts.json)
		return;
	while (jw.depth > 0)
		json_close();
	fflush(stdout);
}

void open_object(const char *key)
{
	if (opts.json)
		json_open(key, false);
}

void close_object(void)
{
	if (opts.json)
		json_close();
}

void open_array(const char *key)
{
	if (opts.json)
		json_open(key, true);
}

void close_array(void)
{
	if (opts.json)
		json_close();
}

void print_u64(const char *key, const char *fmt, uint64_t val)
{
	if (opts.json) {
		json_member(key);
		printf("%llu", (unsigned long long)val);
	} else if (fmt) {
		printf(fmt, (unsigned long long)val);
	}
}

void print_hex(const char *key, const char *fmt, uint64_t val)
{
	print_u64(key, fmt, val);
}

void print_str(const char *key, const char *fmt, const char *val)
{
	if (opts.json) {
		json_member(key);
		json_string(val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

/* Text: the format (it takes no argument) only when @val is true. */
void print_bool(const char *key, const char *fmt, bool val)
{
	if (opts.json) {
		json_member(key);
		fputs(val ? "true" : "false", stdout);
	} else if (fmt && val) {
		fputs(fmt, stdout);
	}
}

void print_double(const char *key, const char *fmt, double val)
{
	if (opts.json) {
		json_member(key);
		printf("%.2f", val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void print_nl(void)
{
	if (!opts.json)
		putchar('\n');
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (opts.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
