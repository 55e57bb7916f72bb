/*
 * The standalone replayer: no fuzzing engine, builds with gcc.
 *   vgtfuzz-standalone FILE|DIR...          run each input twice (the verdicts must agree: no
 *                                           state leaks between runs); one line per input, then
 *                                           `N passed, N failed`; exit 1 on an unaccepted finding
 *   vgtfuzz-standalone --crash FILE         as a fuzzer would: a finding aborts
 *   vgtfuzz-standalone --json FILE          the scenario's traces and verdict as JSON on stdout
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target.h"

#define VGTF_MAX_FILE (1u << 20)

static uint8_t buf[VGTF_MAX_FILE];

static long read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "vgtfuzz-standalone: cannot open %s\n", path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return (long)n;
}

static unsigned int passed, failed;

static int replay_one(const char *path)
{
	struct vgtf_finding f1, f2;
	long n = read_file(path);
	int hit1, hit2;

	if (n < 0) {
		failed++;
		return 2;
	}
	hit1 = vgtf_target_explain(buf, (size_t)n, NULL, &f1);
	hit2 = vgtf_target_explain(buf, (size_t)n, NULL, &f2);
	if (hit1 != hit2 || (hit1 && strcmp(f1.sig, f2.sig) != 0)) {
		printf("%s: NONDETERMINISTIC: first run %s, second run %s\n", path, hit1 ? f1.sig : "clean",
		       hit2 ? f2.sig : "clean");
		failed++;
		return 1;
	}
	if (!hit1) {
		printf("%s: ok\n", path);
		passed++;
		return 0;
	}
	if (f1.accepted) {
		printf("%s: accepted %s\n", path, f1.sig);
		passed++;
		return 0;
	}
	printf("%s: FINDING %s\n  %s\n", path, f1.sig, f1.detail);
	failed++;
	return 1;
}

static int replay_path(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "vgtfuzz-standalone: no such file or directory: %s\n", path);
		failed++;
		return 2;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_one(path);
	dir = opendir(path);
	if (!dir)
		return 2;
	while ((e = readdir(dir)) != NULL) {
		char child[4096];
		int r;

		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		r = replay_path(child);
		rc = r > rc ? r : rc;
	}
	closedir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	vgtf_target_init();
#ifdef VGTFUZZ_TARGET_DRM_MM
	vgtf_target_select(VGTF_TARGET_DRM_MM);
#endif
#ifdef VGTFUZZ_TARGET_GVT
	vgtf_target_select(VGTF_TARGET_GVT);
#endif
	if (argc >= 3 && strcmp(argv[1], "--target") == 0) {
		if (strcmp(argv[2], "drm_mm") && strcmp(argv[2], "balloon") && strcmp(argv[2], "gvt")) {
			fprintf(stderr, "%s: unknown target %s (balloon, drm_mm, gvt)\n", argv[0], argv[2]);
			return 2;
		}
		vgtf_target_select(!strcmp(argv[2], "gvt") ? VGTF_TARGET_GVT :
				   strcmp(argv[2], "drm_mm") ? VGTF_TARGET_BALLOON : VGTF_TARGET_DRM_MM);
		argc -= 2;
		argv += 2;
	}
	if (argc == 3 && (strcmp(argv[1], "--crash") == 0 || strcmp(argv[1], "--json") == 0)) {
		long n = read_file(argv[2]);
		struct vgtf_finding f;

		if (n < 0)
			return 2;
		if (argv[1][2] == 'c')
			return vgtf_target_run(buf, (size_t)n);
		return vgtf_target_explain(buf, (size_t)n, stdout, &f) && !f.accepted ? 1 : 0;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s [--target balloon|drm_mm] FILE|DIR... | --crash FILE | --json FILE\n",
			argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = replay_path(argv[i]);

		rc = r > rc ? r : rc;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return rc;
}
