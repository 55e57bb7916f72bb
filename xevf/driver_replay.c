#define _POSIX_C_SOURCE 200809L
/*
 * xevf replay: run test cases (files, or every file in directories) through the lifted kernel
 * and the model, print each op and finding, end with a summary line.
 *   xevf-replay [--quiet] FILE|DIR...
 * Exit 0: no unaccepted finding; 1: one at least; 2: usage or unreadable input.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmodule.h"
#include "run.h"

static int quiet;
static unsigned long cases, with_findings, unaccepted;

static int one(const char *path)
{
	static uint8_t buf[1 << 16];
	static struct xevf_result res;
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		fprintf(stderr, "xevf-replay: cannot read %s\n", path);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (!quiet)
		printf("== %s\n", path);
	xevf_run(buf, len, !quiet, &res);
	cases++;
	if (res.nfindings)
		with_findings++;
	for (int i = 0; i < res.nfindings; i++) {
		const char *why = xevf_accepted(res.sig[i]);

		printf("%s %s: %s%s%s\n", why ? "accepted" : "FINDING", res.sig[i], res.detail[i],
		       why && !quiet ? "\n    (accepted: " : "", why && !quiet ? why : "");
		if (why && !quiet)
			printf("    )\n");
	}
	if (res.unaccepted)
		unaccepted++;
	/* One line per case for the cross-era differential (scripts/vgtfuzzlib/xevf.py). */
	if (getenv("XEVF_VERDICTS"))
		printf("VERDICT %s probe=%s kernel=%d model=%d\n", path, res.probed ? "ran" : "none", res.probe_kernel,
		       res.probe_model);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int rc = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (!strcmp(argv[i], "--quiet")) {
			quiet = 1;
			continue;
		}
		files++;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			char **names = NULL;
			size_t n = 0;

			if (!d) {
				fprintf(stderr, "xevf-replay: cannot read directory %s\n", argv[i]);
				return 2;
			}
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				names = realloc(names, (n + 1) * sizeof(*names));
				names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
				sprintf(names[n++], "%s/%s", argv[i], e->d_name);
			}
			closedir(d);
			qsort(names, n, sizeof(*names), cmp);
			for (size_t k = 0; k < n; k++) {
				rc |= one(names[k]);
				free(names[k]);
			}
			free(names);
		} else {
			rc |= one(argv[i]);
		}
	}
	if (!files) {
		fprintf(stderr, "usage: %s [--quiet] FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (rc)
		return 2;
	printf("xevf replay on %s (%s): %lu case(s), %lu with findings, %lu with unaccepted findings\n",
	       xevf_k_version(), xevf_k_era(), cases, with_findings, unaccepted);
	return unaccepted ? 1 : 0;
}
