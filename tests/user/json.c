// SPDX-License-Identifier: GPL-2.0
/*
 * A small, strict JSON parser for the tests: see json.h.  Recursive
 * descent over the text, building a tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH 64

struct parser {
	const char *p;
	char *err;
	size_t errlen;
	int depth;
	bool failed;
};

static void perr(struct parser *ps, const char *what)
{
	if (!ps->failed)
		snprintf(ps->err, ps->errlen, "%s at \"%.20s\"", what, ps->p);
	ps->failed = true;
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static struct json *new_value(enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j)
		j->type = type;
	return j;
}

static bool push(struct json *j, struct json *item)
{
	struct json **items = realloc(j->items, (j->n + 1) * sizeof(*items));

	if (!items)
		return false;
	j->items = items;
	j->items[j->n++] = item;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string; the opening quote is at ps->p. */
static char *parse_string(struct parser *ps)
{
	size_t cap = 16, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	ps->p++;
	for (;;) {
		unsigned char c = *ps->p;
		unsigned int cp = 0;
		int i;

		if (len + 8 > cap) {
			char *t = realloc(s, cap *= 2);

			if (!t)
				goto bad;
			s = t;
		}
		if (c == '"') {
			ps->p++;
			s[len] = 0;
			return s;
		}
		if (c < 0x20) {
			perr(ps, c ? "control character in string" : "unterminated string");
			goto bad;
		}
		if (c != '\\') {
			s[len++] = c;
			ps->p++;
			continue;
		}
		ps->p++;
		switch (*ps->p) {
		case '"': case '\\': case '/':
			s[len++] = *ps->p;
			break;
		case 'b':
			s[len++] = '\b';
			break;
		case 'f':
			s[len++] = '\f';
			break;
		case 'n':
			s[len++] = '\n';
			break;
		case 'r':
			s[len++] = '\r';
			break;
		case 't':
			s[len++] = '\t';
			break;
		case 'u':
			for (i = 1; i <= 4; i++) {
				int h = hexval(ps->p[i]);

				if (h < 0) {
					perr(ps, "bad \\u escape");
					goto bad;
				}
				cp = cp << 4 | h;
			}
			ps->p += 4;
			/* UTF-8 of the code point (surrogates kept as is). */
			if (cp < 0x80) {
				s[len++] = cp;
			} else if (cp < 0x800) {
				s[len++] = 0xc0 | cp >> 6;
				s[len++] = 0x80 | (cp & 0x3f);
			} else {
				s[len++] = 0xe0 | cp >> 12;
				s[len++] = 0x80 | ((cp >> 6) & 0x3f);
				s[len++] = 0x80 | (cp & 0x3f);
			}
			break;
		default:
			perr(ps, "bad escape");
			goto bad;
		}
		ps->p++;
	}
bad:
	free(s);
	return NULL;
}

static struct json *parse_number(struct parser *ps)
{
	const char *start = ps->p, *p = ps->p;
	bool integer = true, negative = false;
	struct json *j;

	if (*p == '-') {
		negative = true;
		p++;
	}
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
	} else {
		perr(ps, "bad number");
		return NULL;
	}
	if (*p == '.') {
		integer = false;
		p++;
		if (!(*p >= '0' && *p <= '9')) {
			perr(ps, "bad fraction");
			return NULL;
		}
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		integer = false;
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9')) {
			perr(ps, "bad exponent");
			return NULL;
		}
		while (*p >= '0' && *p <= '9')
			p++;
	}
	j = new_value(JSON_NUMBER);
	if (!j)
		return NULL;
	j->number = strtod(start, NULL);
	if (integer && !negative) {
		char *end;

		errno = 0;
		j->uint = strtoull(start, &end, 10);
		j->is_uint = !errno && end == p;
	}
	ps->p = p;
	return j;
}

static struct json *parse_value(struct parser *ps);

static struct json *parse_container(struct parser *ps, bool object)
{
	struct json *j = new_value(object ? JSON_OBJECT : JSON_ARRAY);
	char close = object ? '}' : ']';

	if (!j)
		return NULL;
	if (++ps->depth > JSON_MAX_DEPTH) {
		perr(ps, "nested too deep");
		goto bad;
	}
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return j;
	}
	for (;;) {
		struct json *item;
		char *key = NULL;

		skip_ws(ps);
		if (object) {
			if (*ps->p != '"') {
				perr(ps, "expected a key");
				goto bad;
			}
			key = parse_string(ps);
			if (!key)
				goto bad;
			skip_ws(ps);
			if (*ps->p != ':') {
				free(key);
				perr(ps, "expected ':'");
				goto bad;
			}
			ps->p++;
		}
		item = parse_value(ps);
		if (!item) {
			free(key);
			goto bad;
		}
		item->key = key;
		if (!push(j, item)) {
			json_free(item);
			goto bad;
		}
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			ps->depth--;
			return j;
		}
		perr(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
bad:
	json_free(j);
	return NULL;
}

static struct json *parse_literal(struct parser *ps, const char *word, enum json_type type,
				  bool val)
{
	struct json *j;

	if (strncmp(ps->p, word, strlen(word))) {
		perr(ps, "unexpected character");
		return NULL;
	}
	ps->p += strlen(word);
	j = new_value(type);
	if (j)
		j->boolean = val;
	return j;
}

static struct json *parse_value(struct parser *ps)
{
	struct json *j;
	char *s;

	skip_ws(ps);
	switch (*ps->p) {
	case '{':
		return parse_container(ps, true);
	case '[':
		return parse_container(ps, false);
	case '"':
		s = parse_string(ps);
		if (!s)
			return NULL;
		j = new_value(JSON_STRING);
		if (!j) {
			free(s);
			return NULL;
		}
		j->string = s;
		return j;
	case 't':
		return parse_literal(ps, "true", JSON_BOOL, true);
	case 'f':
		return parse_literal(ps, "false", JSON_BOOL, false);
	case 'n':
		return parse_literal(ps, "null", JSON_NULL, false);
	default:
		return parse_number(ps);
	}
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { .p = text, .err = err, .errlen = errlen };
	struct json *j;

	if (errlen)
		err[0] = 0;
	j = parse_value(&ps);
	if (!j) {
		if (!ps.failed)
			snprintf(err, errlen, "out of memory or empty input");
		return NULL;
	}
	skip_ws(&ps);
	if (*ps.p) {
		perr(&ps, "text after the value");
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++)
		json_free(j->items[i]);
	free(j->items);
	free(j->string);
	free(j->key);
	free(j);
}

const struct json *json_get(const struct json *j, const char *key)
{
	size_t i;

	if (!j || j->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (!strcmp(j->items[i]->key, key))
			return j->items[i];
	return NULL;
}

const struct json *json_at(const struct json *j, size_t i)
{
	if (!j || j->type != JSON_ARRAY || i >= j->n)
		return NULL;
	return j->items[i];
}

uint64_t json_uint(const struct json *j, const char *key, uint64_t def)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_NUMBER && v->is_uint ? v->uint : def;
}

const char *json_str(const struct json *j, const char *key)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_STRING ? v->string : NULL;
}

int json_bool(const struct json *j, const char *key)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_BOOL ? v->boolean : -1;
}
