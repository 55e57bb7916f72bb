/*
 * The fast path's check (target.c): every input gets the same verdict through the fast path as
 * observed op by op through every oracle. Inputs: the files of the directories given, and for
 * each file N deterministic mutations of it (byte flips, inserted and deleted bytes, a splice
 * with the previous file), so that inputs near each seed's findings are tried too.
 *
 *   vgtfuzz-equivalence [--target balloon|drm_mm] [--mutations N] DIR...
 *
 * Prints the counts; exit 0 when every verdict agrees, 1 on the first that does not (named, with
 * both verdicts), 2 on bad usage or an unreadable input.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

#define INPUT_CAP 4096

static uint8_t buf[INPUT_CAP], prev[INPUT_CAP], mut[INPUT_CAP];
static size_t prev_len;
static unsigned long inputs, findings;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (uint32_t)(rng_state % n) : 0;
}

/* One mutation of `in` into `mut`, as a fuzzer's simplest mutators would make it. */
static size_t mutate(const uint8_t *in, size_t len)
{
	size_t n = len, at;

	memcpy(mut, in, len);
	switch (rnd(4)) {
	case 0: /* flip a few bytes */
		for (int k = 0; k < 1 + (int)rnd(4) && n; k++)
			mut[rnd((uint32_t)n)] ^= (uint8_t)(1 + rnd(255));
		break;
	case 1: /* insert a byte */
		if (n < INPUT_CAP) {
			at = rnd((uint32_t)n + 1);
			memmove(mut + at + 1, mut + at, n - at);
			mut[at] = (uint8_t)rnd(256);
			n++;
		}
		break;
	case 2: /* delete a byte */
		if (n) {
			at = rnd((uint32_t)n);
			memmove(mut + at, mut + at + 1, n - at - 1);
			n--;
		}
		break;
	default: /* splice: this input's head, the previous input's tail */
		at = rnd((uint32_t)n + 1);
		if (prev_len > at) {
			memcpy(mut + at, prev + at, prev_len - at);
			n = prev_len;
		}
		break;
	}
	return n;
}

static int compare(const uint8_t *data, size_t len, const char *what, long mutation)
{
	struct vgtf_finding fast, full;
	int a = vgtf_target_verdict(data, len, true, &fast);
	int b = vgtf_target_verdict(data, len, false, &full);

	inputs++;
	findings += b != 0;
	/* The same verdict: the same signature, at the same op, with the same first divergence and
	 * the same acceptance (a bounded full run must report exactly what the whole one does). */
	if (a == b && (!a || (strcmp(fast.sig, full.sig) == 0 && fast.op == full.op &&
			      strcmp(fast.detail, full.detail) == 0 && !fast.accepted == !full.accepted)))
		return 0;
	printf("vgtfuzz-equivalence: %s", what);
	if (mutation >= 0)
		printf(" (mutation %ld)", mutation);
	printf(": fast path %s, full run %s\n", a ? fast.sig : "clean", b ? full.sig : "clean");
	return 1;
}

static int one_file(const char *path, long mutations)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		fprintf(stderr, "vgtfuzz-equivalence: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (compare(buf, len, path, -1))
		return 1;
	for (long m = 0; m < mutations; m++)
		if (compare(mut, mutate(buf, len), path, m))
			return 1;
	memcpy(prev, buf, len);
	prev_len = len;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int one_dir(const char *dir, long mutations)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), rc = 0;
	char path[4096];

	if (n < 0) {
		fprintf(stderr, "vgtfuzz-equivalence: cannot list %s: %s\n", dir, strerror(errno));
		return 2;
	}
	for (int i = 0; i < n; i++) {
		if (!rc && names[i]->d_name[0] != '.' && names[i]->d_type != DT_DIR) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			rc = one_file(path, mutations);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	long mutations = 0;
	int i = 1, rc = 0;

	vgtf_target_init();
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--target") == 0 && strcmp(argv[i + 1], "drm_mm") == 0)
			vgtf_target_select(VGTF_TARGET_DRM_MM);
		else if (strcmp(argv[i], "--target") == 0 && strcmp(argv[i + 1], "balloon") == 0)
			vgtf_target_select(VGTF_TARGET_BALLOON);
		else if (strcmp(argv[i], "--mutations") == 0)
			mutations = strtol(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i >= argc || mutations < 0) {
		fprintf(stderr, "usage: %s [--target balloon|drm_mm] [--mutations N] DIR...\n", argv[0]);
		return 2;
	}
	for (; i < argc && !rc; i++)
		rc = one_dir(argv[i], mutations);
	printf("vgtfuzz-equivalence: %lu inputs, %lu with a finding, %s\n", inputs, findings,
	       rc ? "stopped" : "every verdict the same");
	return rc;
}
