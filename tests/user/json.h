/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, strict JSON parser for the tests (the guest has no python): it
 * checks vmarenactl's -j output is valid JSON (RFC 8259, one value, nothing
 * after it) and gives access to the values.  Integers are kept exactly as
 * unsigned 64-bit numbers when they are non-negative and have no fraction.
 */
#ifndef VMARENA_JSON_H
#define VMARENA_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	bool boolean;
	bool is_uint;		/* a number that fits uint64_t exactly */
	uint64_t uint;
	double number;
	char *string;		/* JSON_STRING; the key of an object member */
	char *key;
	struct json **items;	/* array elements or object members */
	size_t n;
};

/* Parse @text; NULL (and a message in @err) if it is not exactly one valid
 * JSON value surrounded by optional white space. */
struct json *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct json *j);

/* An object's member @key, an array's element @i; NULL if absent or @j is
 * not of that type. */
const struct json *json_get(const struct json *j, const char *key);
const struct json *json_at(const struct json *j, size_t i);
/* A member's value, or @def when it is absent or of another type. */
uint64_t json_uint(const struct json *j, const char *key, uint64_t def);
const char *json_str(const struct json *j, const char *key);	/* NULL if absent */
int json_bool(const struct json *j, const char *key);		/* -1 if absent */

#endif /* VMARENA_JSON_H */
