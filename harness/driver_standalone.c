/*
 * The standalone replayer: no fuzzing engine, builds with gcc.
 *   vgtfuzz-standalone FILE|DIR...          run each input twice (the verdicts must agree: no
 *                                           state leaks between runs); one line per input, then
 *                                           `N passed, N failed`; exit 1 on an unaccepted finding
 *   vgtfuzz-standalone --crash FILE         as a fuzzer would: a finding aborts
 *   vgtfuzz-standalone --json FILE|DIR...   the machine interface: one JSON object per input and
 *                                           line (JSON lines; a directory's files in name order),
 *                                           each run twice like the above; exit 1 on an unaccepted
 *                                           finding or a nondeterministic input. The keys:
 *                                           docs/interfaces.md. Written and flushed input by input,
 *                                           so after a crash the first input without a line is the
 *                                           one that crashed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "explain_json.h"
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
static bool json_mode;

/* One input as one JSON line: {"input", "verdict", "first_run", then vgtf_explain_json()'s keys}.
 * The observations are the second run's; "first_run" is the first run's finding when the two
 * disagree (verdict "nondeterministic"), else absent. */
static int json_one(const char *path, size_t n)
{
	struct vgtf_finding f1, f2;
	char *obj = NULL;
	size_t len = 0;
	FILE *mem;
	int hit1, hit2;
	const char *verdict;
	bool nondet;

	hit1 = vgtf_target_explain(buf, n, NULL, &f1);
	mem = open_memstream(&obj, &len);
	if (!mem) {
		fprintf(stderr, "vgtfuzz-standalone: out of memory\n");
		exit(2);
	}
	hit2 = vgtf_target_explain(buf, n, mem, &f2);
	fclose(mem);
	nondet = hit1 != hit2 || (hit1 && strcmp(f1.sig, f2.sig) != 0);
	verdict = nondet ? "nondeterministic" : !hit2 ? "clean" : f2.accepted ? "accepted" : "finding";
	printf("{\"input\":");
	vgtf_json_string(stdout, path);
	printf(",\"verdict\":\"%s\",", verdict);
	if (nondet) {
		printf("\"first_run\":");
		vgtf_finding_json(stdout, hit1 ? &f1 : NULL);
		putchar(',');
	}
	fputs(obj + 1, stdout); /* the object's own keys, after its '{' */
	putchar('\n');
	fflush(stdout);
	free(obj);
	if (nondet || (hit2 && !f2.accepted)) {
		failed++;
		return 1;
	}
	passed++;
	return 0;
}

static int replay_one(const char *path)
{
	struct vgtf_finding f1, f2;
	long n = read_file(path);
	int hit1, hit2;

	if (n < 0) {
		if (json_mode) {
			printf("{\"input\":");
			vgtf_json_string(stdout, path);
			printf(",\"verdict\":\"error\",\"error\":\"cannot open it\"}\n");
			fflush(stdout);
		}
		failed++;
		return 2;
	}
	if (json_mode)
		return json_one(path, (size_t)n);
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

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int replay_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	int rc = 0, n;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "vgtfuzz-standalone: no such file or directory: %s\n", path);
		failed++;
		return 2;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_one(path);
	/* In name order: a run is reproducible, and a consumer knows which input comes next. */
	n = scandir(path, &names, visible, alphasort);
	if (n < 0) {
		fprintf(stderr, "vgtfuzz-standalone: cannot read the directory %s\n", path);
		failed++;
		return 2;
	}
	for (int i = 0; i < n; i++) {
		char child[4096];
		int r;

		snprintf(child, sizeof(child), "%s/%s", path, names[i]->d_name);
		free(names[i]);
		r = replay_path(child);
		rc = r > rc ? r : rc;
	}
	free(names);
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
	/* Options in any order before the inputs. */
	while (argc >= 2 && (strcmp(argv[1], "--json") == 0 || (argc >= 3 && strcmp(argv[1], "--target") == 0))) {
		if (strcmp(argv[1], "--json") == 0) {
			json_mode = true;
			argc--;
			argv++;
			continue;
		}
		if (strcmp(argv[2], "drm_mm") && strcmp(argv[2], "balloon") && strcmp(argv[2], "gvt")) {
			fprintf(stderr, "%s: unknown target %s (balloon, drm_mm, gvt)\n", argv[0], argv[2]);
			return 2;
		}
		vgtf_target_select(!strcmp(argv[2], "gvt")   ? VGTF_TARGET_GVT :
				   strcmp(argv[2], "drm_mm") ? VGTF_TARGET_BALLOON :
							       VGTF_TARGET_DRM_MM);
		argc -= 2;
		argv += 2;
	}
	if (argc == 3 && strcmp(argv[1], "--crash") == 0 && !json_mode) {
		long n = read_file(argv[2]);

		return n < 0 ? 2 : vgtf_target_run(buf, (size_t)n);
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s [--target balloon|drm_mm|gvt] [--json] FILE|DIR... | --crash FILE\n",
			argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = replay_path(argv[i]);

		rc = r > rc ? r : rc;
	}
	if (!json_mode)
		printf("%u passed, %u failed\n", passed, failed);
	return rc;
}
