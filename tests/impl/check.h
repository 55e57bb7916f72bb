/*
 * Minimal assertions for the impl tests: each check counts as passed or
 * failed, a failure prints file:line and the values, and the run goes on.
 */
#ifndef VGTB_TEST_CHECK_H
#define VGTB_TEST_CHECK_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgtballoon.h"

struct tally {
	unsigned passed;
	unsigned failed;
};
extern struct tally vgtb_tally;

void check_true(const char *file, int line, int ok, const char *expr);
void check_i64(const char *file, int line, int64_t got, int64_t want, const char *expr);
void check_u64(const char *file, int line, uint64_t got, uint64_t want, const char *expr);

#define CHECK(cond) check_true(__FILE__, __LINE__, !!(cond), #cond)
#define CHECK_INT(got, want) check_i64(__FILE__, __LINE__, (int64_t)(got), (int64_t)(want), #got)
#define CHECK_U64(got, want) check_u64(__FILE__, __LINE__, (uint64_t)(got), (uint64_t)(want), #got)

/* Expected node: start, size, colour (pinned is checked separately). */
struct xn {
	uint64_t start;
	uint64_t size;
	vgtb_color color;
};
struct xh {
	uint64_t start;
	uint64_t size;
};

/* Passes if the space holds exactly these nodes, in this order. */
void check_nodes(const char *file, int line, const struct vgtb_space *sp, const struct xn *want, size_t n);
void check_holes(const char *file, int line, const struct vgtb_space *sp, const struct xh *want, size_t n);

#define XN(...) ((const struct xn[]){ __VA_ARGS__ }), (sizeof((const struct xn[]){ __VA_ARGS__ }) / sizeof(struct xn))
#define XH(...) ((const struct xh[]){ __VA_ARGS__ }), (sizeof((const struct xh[]){ __VA_ARGS__ }) / sizeof(struct xh))
#define NO_NODES NULL, 0
#define CHECK_NODES(sp, ...) check_nodes(__FILE__, __LINE__, (sp), __VA_ARGS__)
#define CHECK_HOLES(sp, ...) check_holes(__FILE__, __LINE__, (sp), __VA_ARGS__)
/* The space's own self-check. */
#define CHECK_SANE(sp) check_sane(__FILE__, __LINE__, (sp))
void check_sane(const char *file, int line, const struct vgtb_space *sp);

/* Test groups. */
void test_pvinfo(void);
void test_plan(void);
void test_space(void);
void test_insert(void);
void test_evict(void);
void test_policy(void);
void test_balloon(void);

#endif
