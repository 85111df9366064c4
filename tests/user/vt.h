/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vt: the userspace test framework of vmarena, small on purpose.
 *
 * VT_TEST(name) { ... } defines a test.  Each test runs in its own child
 * process (a crash is one failed test, not a lost run) with a time limit, and
 * the runner prints TAP: "1..N", then "ok N name" or "not ok N name".
 * EXPECT_* record a failure and go on; ASSERT_* record it and end the test.
 * Diagnostics go to stdout as TAP comments ("# ...").
 */
#ifndef VMARENA_VT_H
#define VMARENA_VT_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vt_test {
	const char *name;
	void (*fn)(void);
	bool explicit_only;	/* runs only when named on the command line */
	const char *file;	/* the runner orders tests by file and line */
	int line;
};

#define VT_DEFINE(fn_, explicit_)					\
	static void fn_(void);						\
	static const struct vt_test vt__##fn_				\
	__attribute__((used, section("vt_tests"), aligned(8))) = {	\
		.name = #fn_, .fn = fn_, .explicit_only = explicit_,	\
		.file = __FILE__, .line = __LINE__,			\
	};								\
	static void fn_(void)

#define VT_TEST(fn_)		VT_DEFINE(fn_, false)
/* A test that needs a particular guest state, run by name from the init. */
#define VT_TEST_EXPLICIT(fn_)	VT_DEFINE(fn_, true)

extern int vt_failures;
void vt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vt_skip(const char *why);

#define VT_CHECK(cond, fatal, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			vt_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__);\
			if (fatal)					\
				exit(1);				\
		}							\
	} while (0)

#define VT_CMP(a, op, b, fatal)						\
	do {								\
		long long vt_a_ = (long long)(a), vt_b_ = (long long)(b); \
		VT_CHECK(vt_a_ op vt_b_, fatal,				\
			 "%s %s %s: %lld vs %lld", #a, #op, #b, vt_a_, vt_b_); \
	} while (0)

#define EXPECT_TRUE(c)		VT_CHECK(c, 0, "expected %s", #c)
#define ASSERT_TRUE(c)		VT_CHECK(c, 1, "expected %s", #c)
#define EXPECT_EQ(a, b)		VT_CMP(a, ==, b, 0)
#define ASSERT_EQ(a, b)		VT_CMP(a, ==, b, 1)
#define EXPECT_NE(a, b)		VT_CMP(a, !=, b, 0)
#define ASSERT_NE(a, b)		VT_CMP(a, !=, b, 1)
#define EXPECT_GE(a, b)		VT_CMP(a, >=, b, 0)
#define ASSERT_GE(a, b)		VT_CMP(a, >=, b, 1)
#define EXPECT_LE(a, b)		VT_CMP(a, <=, b, 0)
#define EXPECT_GT(a, b)		VT_CMP(a, >, b, 0)
#define EXPECT_LT(a, b)		VT_CMP(a, <, b, 0)
#define EXPECT_STREQ(a, b)						\
	VT_CHECK(!strcmp((a), (b)), 0, "%s == %s: \"%s\" vs \"%s\"",	\
		 #a, #b, (a), (b))

/* A call that must fail with -1 and this errno. */
#define EXPECT_ERRNO(call, err)						\
	do {								\
		errno = 0;						\
		long vt_r_ = (long)(call);				\
		int vt_e_ = errno;					\
		VT_CHECK(vt_r_ == -1 && vt_e_ == (err), 0,		\
			 "%s: returned %ld errno %d (%s), expected errno %d (%s)", \
			 #call, vt_r_, vt_e_, strerror(vt_e_), (err),	\
			 strerror(err));				\
	} while (0)

/*
 * A call that must succeed (return >= 0).  A failure shows errno for a -1
 * return and the error for a -errno return (libvmarena's convention).
 */
#define ASSERT_OK(call)							\
	do {								\
		long vt_r_ = (long)(call);				\
		VT_CHECK(vt_r_ >= 0, 1, "%s: returned %ld (%s)", #call, vt_r_, \
			 vt_r_ == -1 ? strerror(errno) : strerror((int)-vt_r_)); \
	} while (0)

#endif /* VMARENA_VT_H */
