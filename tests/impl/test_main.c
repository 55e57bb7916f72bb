/*
 * Runner for the impl tests. With no argument every group runs; otherwise
 * only the named ones. The last line is "N passed, N failed".
 */
#include <string.h>

#include "check.h"

struct tally vgtb_tally;

void check_true(const char *file, int line, int ok, const char *expr)
{
	if (ok) {
		vgtb_tally.passed++;
		return;
	}
	vgtb_tally.failed++;
	printf("%s:%d: FAILED: %s\n", file, line, expr);
}

void check_i64(const char *file, int line, int64_t got, int64_t want, const char *expr)
{
	if (got == want) {
		vgtb_tally.passed++;
		return;
	}
	vgtb_tally.failed++;
	printf("%s:%d: FAILED: %s is %" PRId64 ", want %" PRId64 "\n", file, line, expr, got, want);
}

void check_u64(const char *file, int line, uint64_t got, uint64_t want, const char *expr)
{
	if (got == want) {
		vgtb_tally.passed++;
		return;
	}
	vgtb_tally.failed++;
	printf("%s:%d: FAILED: %s is 0x%" PRIx64 ", want 0x%" PRIx64 "\n", file, line, expr, got, want);
}

void check_nodes(const char *file, int line, const struct vgtb_space *sp, const struct xn *want, size_t n)
{
	size_t count = vgtb_space_count(sp);
	int ok = count == n;

	for (size_t i = 0; ok && i < n; i++) {
		const struct vgtb_node *g = vgtb_space_node(sp, i);

		ok = g && g->start == want[i].start && g->size == want[i].size && g->color == want[i].color;
	}
	if (ok) {
		vgtb_tally.passed++;
		return;
	}
	vgtb_tally.failed++;
	printf("%s:%d: FAILED: node set differs\n  have:", file, line);
	for (size_t i = 0; i < count; i++) {
		const struct vgtb_node *g = vgtb_space_node(sp, i);

		printf(" [0x%" PRIx64 "+0x%" PRIx64 " c%" PRId64 "]", g->start, g->size, g->color);
	}
	printf("\n  want:");
	for (size_t i = 0; i < n; i++)
		printf(" [0x%" PRIx64 "+0x%" PRIx64 " c%" PRId64 "]", want[i].start, want[i].size, want[i].color);
	printf("\n");
}

void check_holes(const char *file, int line, const struct vgtb_space *sp, const struct xh *want, size_t n)
{
	size_t cursor = 0, i = 0;
	struct vgtb_hole h;
	int ok = 1;

	while (vgtb_space_next_hole(sp, &cursor, &h)) {
		if (i >= n || h.start != want[i].start || h.size != want[i].size)
			ok = 0;
		i++;
	}
	if (i != n)
		ok = 0;
	check_true(file, line, ok, "hole set matches");
}

void check_sane(const char *file, int line, const struct vgtb_space *sp)
{
	const char *why = "";
	int rc = vgtb_space_check(sp, &why);

	if (rc == 0) {
		vgtb_tally.passed++;
		return;
	}
	vgtb_tally.failed++;
	printf("%s:%d: FAILED: space check: %s\n", file, line, why);
}

static const struct {
	const char *name;
	void (*run)(void);
} groups[] = {
	{ "pvinfo", test_pvinfo }, { "plan", test_plan },	{ "space", test_space },   { "insert", test_insert },
	{ "evict", test_evict },   { "balloon", test_balloon }, { "policy", test_policy },
};

int main(int argc, char **argv)
{
	size_t n = sizeof(groups) / sizeof(groups[0]);

	/* A misspelt group must not pass by running nothing. */
	for (int a = 1; a < argc; a++) {
		size_t i = 0;

		while (i < n && strcmp(argv[a], groups[i].name) != 0)
			i++;
		if (i == n) {
			printf("unknown test group: %s\n", argv[a]);
			return 2;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int want = argc < 2;

		for (int a = 1; a < argc; a++)
			if (strcmp(argv[a], groups[i].name) == 0)
				want = 1;
		if (want)
			groups[i].run();
	}
	printf("%u passed, %u failed\n", vgtb_tally.passed, vgtb_tally.failed);
	return vgtb_tally.failed ? 1 : 0;
}
