/*
 * kunit_main: runs the kernel's own KUnit suites (linked in, registered through
 * compat/testing/kunit/test.h) against the lifted kernel code, in userspace.
 *
 * Each case runs in a forked child, so a crash, a sanitizer report or a hang costs that case only.
 * The child reports its outcome over a pipe; a child that dies before reporting, exits non-zero
 * after reporting (a leak report at exit, say), or outlives the per-case timeout fails the case,
 * and the line says why. Output is KTAP: one result line per case, diagnostics as `#` lines before
 * it, then exactly one summary line `N passed, N failed`. A case that cannot run (skipped) prints
 * why and counts as failed. Exit status 0 only when every selected case passed.
 *
 * Timing-only expectations (TIMING_CHECKS below: a test that asserts how long the allocator takes,
 * not what it does) depend on the machine's load. A case whose every failure is one of them is run
 * once more after a quiet period; failing again, it is counted as `timing`, not failed, and its
 * measured ratio is printed, unless --strict-timing counts it as failed.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kunit/test.h>
#include <linux/random.h>
#include "vgtfuzz_kenv.h"

#define MAX_SUITES 64
#define MAX_DIAG_LINES 200 /* per case; further diagnostics are counted, not printed */

static struct kunit_suite *suites[MAX_SUITES];
static unsigned int nsuites;

void vgtfuzz_kunit_register(struct kunit_suite *suite)
{
	if (nsuites == MAX_SUITES) {
		fprintf(stderr, "kunit_main: more than %d suites\n", MAX_SUITES);
		exit(2);
	}
	suites[nsuites++] = suite;
}

/* --- The environment's entropy: deterministic from --seed. --- */

static u64 random_state = 0x766774667a7a2121ULL; /* the default seed */

/* Messages of known timing-only expectations (a failure or an error log of the case). */
static const char *const TIMING_CHECKS[] = {
	"fragmented insert took", /* drm_mm frag (5.x selftest, 6.x KUnit): 2x the insertions within 4x the time */
};

u64 vgtfuzz_get_random_u64(void)
{
	return vgtfuzz_splitmix64(&random_state);
}

/* --- Inside the child: the case being run and how it reports. --- */

static const char *current_name; /* suite.case */
static unsigned int diag_lines, diag_dropped;
static char first_failure[160];
static int result_fd = -1;
static unsigned int timing_failures; /* failures that are timing-only expectations */
static bool timing_error_logged; /* an error log of the case named a timing-only expectation */
static char timing_ratio[96]; /* the last "took A and B nsecs" the case logged, as B/A */

static bool is_timing_check(const char *text)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(TIMING_CHECKS); i++)
		if (strstr(text, TIMING_CHECKS[i]))
			return true;
	return false;
}

static void note_timing_measure(const char *text)
{
	const char *p = strstr(text, "took ");
	unsigned long long a, b;

	if (p && sscanf(p, "took %llu and %llu nsecs", &a, &b) == 2 && a)
		snprintf(timing_ratio, sizeof(timing_ratio), "measured %.2fx the time for 2x the work",
			 (double)b / (double)a);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Prints text as diagnostic lines, each `# suite.case: ...`, within the per-case budget. */
static void diag_text(const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		if (diag_lines < MAX_DIAG_LINES) {
			printf("# %s: %.*s\n", current_name, len, text);
			diag_lines++;
		} else {
			diag_dropped++;
		}
		text += len + (nl ? 1 : 0);
	}
}

__attribute__((__format__(printf, 1, 0))) static void diag_v(const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	diag_text(buf);
}

__attribute__((__format__(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(fmt, ap);
	va_end(ap);
}

static void note_failure(struct kunit *test, bool assertion, const char *file, int line)
{
	test->failures++;
	test->status = KUNIT_FAILURE;
	diag("%s FAILED at %s:%d", assertion ? "ASSERTION" : "EXPECTATION", base_name(file), line);
	if (!first_failure[0])
		snprintf(first_failure, sizeof(first_failure), "%s:%d", base_name(file), line);
}

void vgtfuzz_kunit_failed(struct kunit *test, bool assertion, const char *file, int line, const char *what,
			  const char *fmt, ...)
{
	va_list ap;

	char buf[2048];

	note_failure(test, assertion, file, line);
	if (what)
		diag("    Expected %s", what);
	if (fmt && fmt[0]) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		diag_text(buf);
		if (is_timing_check(buf))
			timing_failures++;
	}
}

void vgtfuzz_kunit_cmp_failed(struct kunit *test, bool assertion, const char *file, int line, const char *what,
			      long long left, long long right, const char *fmt, ...)
{
	va_list ap;

	note_failure(test, assertion, file, line);
	diag("    Expected %s, but left == %lld (%#llx), right == %lld (%#llx)", what, left, (unsigned long long)left,
	     right, (unsigned long long)right);
	if (fmt && fmt[0]) {
		va_start(ap, fmt);
		diag_v(fmt, ap);
		va_end(ap);
	}
}

void vgtfuzz_kunit_log(struct kunit *test, const char *level, const char *fmt, ...)
{
	char buf[2048];
	size_t n;
	va_list ap;

	(void)test;
	n = (size_t)snprintf(buf, sizeof(buf), "%s", level);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	diag_text(buf);
	note_timing_measure(buf);
	if (!strncmp(level, "error", 5) && is_timing_check(buf))
		timing_error_logged = true;
}

void vgtfuzz_kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	if (test->status != KUNIT_FAILURE)
		test->status = KUNIT_SKIPPED;
}

void vgtfuzz_kunit_abort(struct kunit *test)
{
	if (!test || !test->vgtfuzz_escape) {
		fprintf(stderr, "kunit_main: a case aborted outside the runner\n");
		abort();
	}
	longjmp(*(jmp_buf *)test->vgtfuzz_escape, 1);
}

/* The outcome record: one status letter (P, F or S) and the reason. */
static void report(char status, const char *reason)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%c%s", status, reason);

	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	fflush(stdout);
	if (write(result_fd, buf, (size_t)n) != n)
		_exit(4);
}

/* A kernel BUG() inside the case: the case fails, and this child ends here. */
__attribute__((__noreturn__)) static void on_kernel_bug(const char *file, int line, const char *cond)
{
	char reason[256];

	diag("kernel BUG at %s:%d: %s", base_name(file), line, cond);
	snprintf(reason, sizeof(reason), "kernel BUG at %s:%d: %s", base_name(file), line, cond);
	report('F', reason);
	_exit(0);
}

__attribute__((__noreturn__)) static void child_run(struct kunit_suite *suite, struct kunit_case *kcase)
{
	static struct kunit test; /* static: it must survive the longjmp intact */
	static jmp_buf escape;
	static int init_err;
	unsigned int warns = vgtfuzz_kevents.warns;
	char reason[512];

	setvbuf(stdout, NULL, _IOLBF, 0);
	vgtfuzz_bug_hook = on_kernel_bug;
	memset(&test, 0, sizeof(test));
	test.name = kcase->name;
	test.status = KUNIT_SUCCESS;
	test.vgtfuzz_escape = &escape;

	if (setjmp(escape) == 0) {
		if (suite->init)
			init_err = suite->init(&test);
		if (init_err) {
			note_failure(&test, false, __FILE__, __LINE__);
			diag("    the suite's init failed: %d", init_err);
		} else {
			kcase->run_case(&test);
		}
	}
	/* The exit hook runs even after an abort; an abort inside it just ends it. */
	if (suite->exit && setjmp(escape) == 0)
		suite->exit(&test);
	test.vgtfuzz_escape = NULL;

	if (vgtfuzz_kevents.warns != warns)
		diag("%u kernel WARN(s), the last at %s:%d: %s (not a failure, as in KUnit)",
		     vgtfuzz_kevents.warns - warns, base_name(vgtfuzz_kevents.last_warn_file),
		     vgtfuzz_kevents.last_warn_line, vgtfuzz_kevents.last_warn_cond);
	if (diag_dropped)
		printf("# %s: ... %u more diagnostic lines not shown\n", current_name, diag_dropped);

	if (test.status == KUNIT_FAILURE && test.failures == 1 && (timing_failures == 1 || timing_error_logged)) {
		snprintf(reason, sizeof(reason), "timing-only expectation at %s (%s)", first_failure,
			 timing_ratio[0] ? timing_ratio : "no measurement logged");
		report('T', reason);
	} else if (test.status == KUNIT_FAILURE) {
		snprintf(reason, sizeof(reason), "%u check(s) failed, the first at %s", test.failures, first_failure);
		report('F', reason);
	} else if (test.status == KUNIT_SKIPPED) {
		report('S', test.status_comment[0] ? test.status_comment : "skipped");
	} else {
		report('P', "");
	}
	/* exit(), not _exit(): a sanitizer's leak check at exit then still counts against the case. */
	exit(0);
}

/* --- The parent: one case at a time. --- */

enum outcome { PASSED, FAILED, SKIPPED, TIMING };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void describe_status(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
}

static enum outcome run_case(struct kunit_suite *suite, struct kunit_case *kcase, unsigned int timeout, char *reason,
			     size_t size)
{
	char record[512], how[128];
	size_t got = 0;
	double deadline = now() + timeout;
	bool timed_out = false;
	int fds[2], status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fds)) {
		snprintf(reason, size, "cannot run: pipe: %s", strerror(errno));
		return FAILED;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(reason, size, "cannot run: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return FAILED;
	}
	if (pid == 0) {
		close(fds[0]);
		result_fd = fds[1];
		child_run(suite, kcase);
	}
	close(fds[1]);

	/* Collect the record until the child closes the pipe (it has ended) or time runs out. */
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int wait_ms = -1, r;
		ssize_t n;

		if (timeout) {
			double left = deadline - now();

			if (left <= 0) {
				timed_out = true;
				break;
			}
			wait_ms = left > 3600 ? 3600 * 1000 : (int)(left * 1000) + 1;
		}
		r = poll(&pfd, 1, wait_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue; /* the deadline check above decides */
		n = read(fds[0], record + got, sizeof(record) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(record) - 1)
			got--; /* keep reading to EOF, overwriting the last byte: the reason is cut */
	}
	close(fds[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	record[got] = '\0';

	if (timed_out) {
		snprintf(reason, size, "timeout: still running after %u s, killed", timeout);
		return FAILED;
	}
	describe_status(status, how, sizeof(how));
	if (!got) {
		snprintf(reason, size, "crashed: %s before reporting (see the output above)", how);
		return FAILED;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		/* A long record is cut: the reason is a one-line summary, the output has the rest. */
		if (snprintf(reason, size, "%s%s%s after the case ended (a report at exit, e.g. a leak?)",
			     record[0] == 'F' ? record + 1 : "", record[0] == 'F' ? "; then " : "", how) >= (int)size)
			reason[size - 1] = '\0';
		return FAILED;
	}
	snprintf(reason, size, "%s", record + 1);
	return record[0] == 'P' ? PASSED : record[0] == 'S' ? SKIPPED : record[0] == 'T' ? TIMING : FAILED;
}

/* --- main --- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kunit_main [--list] [--filter SUBSTR] [--timeout S] [--seed N] [--strict-timing]\n"
		"  --list          print the cases (suite.case), run nothing\n"
		"  --filter SUBSTR run only the cases whose suite.case name contains SUBSTR\n"
		"  --timeout S     per-case time limit in seconds (default 300; 0: none)\n"
		"  --seed N        seed of the environment's randomness (get_random_*)\n"
		"  --strict-timing a timing-only expectation missed twice fails its case (default: counted as timing)\n");
}

static bool parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return s[0] && s[0] != '-' && !*end && !errno && *out <= max;
}

static bool selected(const struct kunit_suite *suite, const struct kunit_case *kcase, const char *filter, char *name,
		     size_t size)
{
	snprintf(name, size, "%s.%s", suite->name, kcase->name);
	return !filter || strstr(name, filter);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	unsigned long long timeout = 300, seed = random_state, v;
	bool list = false;
	unsigned int total = 0, n = 0, passed = 0, failed = 0, timing = 0, i;
	bool strict_timing = false;
	char name[512], reason[600];
	double start;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list")) {
			list = true;
		} else if (!strcmp(argv[a], "--strict-timing")) {
			strict_timing = true;
		} else if (!strcmp(argv[a], "--filter") && a + 1 < argc) {
			filter = argv[++a];
		} else if (!strcmp(argv[a], "--timeout") && a + 1 < argc && parse_uint(argv[a + 1], 86400 * 365, &v)) {
			timeout = v;
			a++;
		} else if (!strcmp(argv[a], "--seed") && a + 1 < argc && parse_uint(argv[a + 1], UINT64_MAX, &v)) {
			seed = v;
			a++;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "kunit_main: bad argument '%s'\n", argv[a]);
			usage(stderr);
			return 2;
		}
	}
	random_state = seed;

	for (i = 0; i < nsuites; i++)
		for (struct kunit_case *c = suites[i]->test_cases; c && c->run_case; c++)
			if (selected(suites[i], c, filter, name, sizeof(name))) {
				total++;
				if (list)
					printf("%s\n", name);
			}
	if (list)
		return 0;

	printf("KTAP version 1\n1..%u\n", total);
	printf("# seed %llu, timeout %llu s%s%s\n", seed, timeout, filter ? ", filter " : "", filter ? filter : "");
	start = now();
	for (i = 0; i < nsuites; i++) {
		struct kunit_suite *suite = suites[i];
		bool any = false;
		int init_err = 0;

		for (struct kunit_case *c = suite->test_cases; c && c->run_case; c++)
			any |= selected(suite, c, filter, name, sizeof(name));
		if (!any)
			continue;
		printf("# suite %s\n", suite->name);
		fflush(stdout);
		if (suite->suite_init)
			init_err = suite->suite_init(suite);
		for (struct kunit_case *c = suite->test_cases; c && c->run_case; c++) {
			enum outcome o;
			double t0;

			if (!selected(suite, c, filter, name, sizeof(name)))
				continue;
			n++;
			t0 = now();
			if (init_err) {
				o = FAILED;
				snprintf(reason, sizeof(reason), "cannot run: the suite's suite_init failed: %d",
					 init_err);
			} else {
				current_name = name;
				o = run_case(suite, c, (unsigned int)timeout, reason, sizeof(reason));
				if (o == TIMING) {
					printf("# %s: %s; running it once more after a 2 s quiet period\n", name,
					       reason);
					fflush(stdout);
					sleep(2);
					o = run_case(suite, c, (unsigned int)timeout, reason, sizeof(reason));
					if (o == PASSED)
						printf("# %s: passed on the second run\n", name);
					if (o == TIMING && strict_timing)
						o = FAILED;
				}
			}
			printf("# %s: %.3f s\n", name, now() - t0);
			if (o == PASSED) {
				passed++;
				printf("ok %u - %s\n", n, name);
			} else if (o == TIMING) {
				timing++;
				printf("not ok %u - %s # TODO timing: %s\n", n, name, reason);
			} else {
				failed++;
				printf("not ok %u - %s # %s%s\n", n, name, o == SKIPPED ? "SKIP " : "", reason);
			}
			fflush(stdout);
		}
		if (suite->suite_exit)
			suite->suite_exit(suite);
	}
	printf("# total %.3f s\n", now() - start);
	if (timing)
		printf("# %u timing-only expectation(s) missed twice on this machine: counted as timing, not failed "
		       "(--strict-timing fails them)\ntiming: %u\n",
		       timing, timing);
	printf("%u passed, %u failed\n", passed, failed);
	if (!total) {
		fprintf(stderr, "kunit_main: no case selected%s%s\n", filter ? " by filter " : "",
			filter ? filter : "");
		return 1;
	}
	return failed ? 1 : 0;
}
