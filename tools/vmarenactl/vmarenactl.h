/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmarenactl: what the object files share.  main.c parses the grammar and
 * dispatches to one do_OBJECT() per object file; print.c is the one printing
 * path (text and JSON come out of the same calls); nl.c talks generic
 * netlink.
 */
#ifndef VMARENACTL_H
#define VMARENACTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmarena/vmarena.h>

struct nlmsghdr;
struct nlattr;

/* Exit codes, as ip(8): 0 done, 1 the kernel (or the system) refused,
 * 255 the command line was wrong.
 */
#define EXIT_USAGE	255

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct opts {
	bool json;
	bool pretty;
	int stats;	/* -s: counters, and rates for stats */
	bool details;	/* -d */
};

extern struct opts opts;

/* ---- grammar (main.c) --------------------------------------------------- */

/* Is @arg a prefix (abbreviation) of @word?  An empty @arg never matches. */
bool matches(const char *arg, const char *word);

/*
 * Pick @arg among the NULL-terminated @words: an exact match wins, otherwise
 * a unique prefix.  Returns the index, or -1 after printing a usage error
 * ("unknown" or "ambiguous") that names @what.
 */
int pick(const char *arg, const char *const *words, const char *what);

/* Print a usage error and return EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "vmarenactl: WHAT: strerror(err)" and return 1. */
int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Numbers: decimal or 0x hex; sizes also take K, M, G, T (powers of 1024).
 * Return 0, or -1 after printing a usage error naming @what. */
int parse_u64(const char *arg, const char *what, uint64_t *out);
int parse_u32(const char *arg, const char *what, uint32_t *out);
int parse_size(const char *arg, const char *what, uint64_t *out);
/* Protection: a combination of r, w, x ("rw", "r-x"), or "none". */
int parse_prot(const char *arg, uint32_t *out);

/* Need another argument after @argv[0]: usage error when there is none. */
#define NEXT_ARG()							\
	do {								\
		argc--, argv++;						\
		if (argc <= 0)						\
			return usage_error("\"%s\" needs an argument", argv[-1]); \
	} while (0)

/* Open /dev/vmarena: the control fd, or -1 after printing why. */
int ctl_open(void);
/* Open the persistent aspace @name: an aspace fd, or -1 after printing why. */
int aspace_open_name(int ctl, const char *name);
/* Find area @arg (an id or a name) of aspace fd @as (named @aspace) into
 * *@id: 0, or an exit code after printing why. */
int area_lookup(int as, const char *aspace, const char *arg, uint32_t *id);
int area_copy_ioctl(int as, uint32_t src_id, int src_as, const char *name, uint32_t addr_spec,
		    uint64_t address, uint64_t *out_address);

/* Names of the uapi values, for printing. */
const char *prot_str(uint32_t prot, char buf[4]);
const char *wiring_str(uint32_t wiring);
const char *lock_str(uint32_t level);
/* A byte count as 4K, 16M, ... when it is a whole number of such units. */
const char *size_str(uint64_t bytes, char buf[32]);

/* An aspace as the kernel describes it (netlink). */
struct ctl_aspace {
	uint32_t id;
	char name[VMARENA_NAME_MAX];
	uint64_t base, length;
	uint32_t owner, areas;
	uint64_t faults;
	bool superlocked;
};

/* An area as the kernel describes it (netlink). */
struct ctl_area {
	struct vmarena_area_info info;	/* id, name, base, ... as AREA_INFO */
	uint32_t aspace_id;
	uint32_t cache_id;		/* the top of its cache chain */
};

void aspace_from_attrs(struct nlattr **tb, struct ctl_aspace *a);
void area_from_attrs(struct nlattr **tb, struct ctl_area *a);
/* The members of one aspace or area (the caller opens and closes the
 * object); text lines begin with @indent. */
void print_aspace(const struct ctl_aspace *a);
void print_area(const struct ctl_area *a, const char *indent);
/* The areas of aspace @aspace_id (0: of every aspace), one object each. */
int print_areas(uint32_t aspace_id, const char *indent);

/* ---- objects ------------------------------------------------------------ */

int do_aspace(int argc, char **argv);
int do_area(int argc, char **argv);
int do_cache(int argc, char **argv);
int do_page(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_translate(int argc, char **argv);

/* ---- generic netlink (nl.c) -------------------------------------------- */


/* The messages a request was answered with (copies, in order). */
struct nl_reply {
	struct nlmsghdr **msgs;
	size_t n;
};

/* One request attribute: a u32 (len 4) or a u64 (len 8). */
struct nl_req_attr {
	int type;
	int len;
	uint64_t val;
};

/* Connect and resolve the family: 0, or an exit code after printing why. */
int nl_open(void);
/*
 * Send command @cmd (a get, or a dump when @dump) with @attrs and collect
 * the answer in @reply (retrying a dump a change interrupted).  Returns 0,
 * or an exit code after printing "WHAT: errno text (kernel message)".
 */
int nl_request(uint8_t cmd, bool dump, const struct nl_req_attr *attrs, size_t nattrs,
	       struct nl_reply *reply, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void nl_reply_free(struct nl_reply *r);
/* Parse one message's attributes into @tb[VMARENA_A_MAX + 1]. */
int nl_parse(const struct nlmsghdr *h, struct nlattr **tb);
uint8_t nl_cmd(const struct nlmsghdr *h);
/* An attribute's value, 0 (or "") when it is absent. */
uint32_t attr_u32(struct nlattr **tb, int type);
uint64_t attr_u64(struct nlattr **tb, int type);
const char *attr_str(struct nlattr **tb, int type);
/* Join the events group, then hand every event to @fn until *@stop or
 * until @fn returns nonzero (negative: done, positive: exit code). */
int nl_subscribe_events(void);
int nl_events(int (*fn)(const struct nlmsghdr *h, void *arg), void *arg,
	      volatile const int *stop);

/* Resolve ASPACE (an id or a name) and AREA (an id or a name in it) through
 * netlink: 0, or an exit code after printing why. */
int resolve_aspace(const char *arg, uint32_t *id);
int resolve_area(uint32_t aspace_id, const char *aspace, const char *arg, uint32_t *id);
/* argv[0] ASPACE and argv[1] AREA to an area id. */
int resolve_target(int argc, char **argv, uint32_t *area_id);

/* ---- printing (print.c) ------------------------------------------------- */

/*
 * One printing path.  Every value is printed through one call that names
 * its JSON key and its text format: in text mode the format is printed (a
 * NULL format prints nothing), in JSON mode the key and the value.  Objects
 * and arrays nest; in text mode they print nothing themselves.  print_nl()
 * ends a text line (nothing in JSON).  print_text() prints text only.
 */
void print_start(void);
void print_end(void);
void open_object(const char *key);
void close_object(void);
void open_array(const char *key);
void close_array(void);
void print_u64(const char *key, const char *fmt, uint64_t val);
void print_hex(const char *key, const char *fmt, uint64_t val);	/* JSON: a number */
void print_str(const char *key, const char *fmt, const char *val);
void print_bool(const char *key, const char *fmt, bool val);
void print_double(const char *key, const char *fmt, double val);
void print_nl(void);
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VMARENACTL_H */
