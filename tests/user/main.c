// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena-tests: the runner of the userspace suite.
 *
 *   vmarena-tests            run every test that is not explicit-only
 *   vmarena-tests NAME...    run the named tests, in the order given
 *   vmarena-tests -l         list the tests
 *
 * Output is TAP on stdout.  Exit status 0 when every test passed.
 */
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt.h"

#define VT_TIMEOUT_SECONDS 300

extern const struct vt_test __start_vt_tests[], __stop_vt_tests[];

int vt_failures;

void vt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	vt_failures++;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Skipping is not passing: a skipped test is reported and counts as failed. */
void vt_skip(const char *why)
{
	vt_fail("skip", 0, "cannot run: %s", why);
	exit(1);
}

static const struct vt_test *vt_find(const char *name)
{
	const struct vt_test *t;

	for (t = __start_vt_tests; t < __stop_vt_tests; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* Run one test in a child; returns true when it passed. */
static bool vt_run(const struct vt_test *t, int n)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok %d %s # fork: %s\n", n, t->name, strerror(errno));
		return false;
	}
	if (!pid) {
		alarm(VT_TIMEOUT_SECONDS);
		vt_failures = 0;
		t->fn();
		fflush(stdout);
		_exit(vt_failures ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", n, t->name);
		return true;
	}
	if (WIFSIGNALED(status))
		printf("not ok %d %s # killed by signal %d (%s)\n", n, t->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		printf("not ok %d %s\n", n, t->name);
	return false;
}

static int vt_order(const void *a, const void *b)
{
	const struct vt_test *x = *(const struct vt_test **)a;
	const struct vt_test *y = *(const struct vt_test **)b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

int main(int argc, char **argv)
{
	const struct vt_test *list[1024], *t;
	int i, n = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (t = __start_vt_tests; t < __stop_vt_tests; t++)
			printf("%s%s\n", t->name, t->explicit_only ? " (explicit)" : "");
		return 0;
	}
	if (__stop_vt_tests - __start_vt_tests > 1024) {
		fprintf(stderr, "vmarena-tests: more than 1024 tests\n");
		return 2;
	}
	if (argc > 1) {
		for (i = 1; i < argc && n < 1024; i++) {
			t = vt_find(argv[i]);
			if (!t) {
				fprintf(stderr, "vmarena-tests: no test named %s\n", argv[i]);
				return 2;
			}
			list[n++] = t;
		}
	} else {
		for (t = __start_vt_tests; t < __stop_vt_tests && n < 1024; t++)
			if (!t->explicit_only)
				list[n++] = t;
		qsort(list, n, sizeof(list[0]), vt_order);
	}

	printf("TAP version 13\n1..%d\n", n);
	for (i = 0; i < n; i++)
		failed += !vt_run(list[i], i + 1);
	printf("# %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
