#define _POSIX_C_SOURCE 200809L
/*
 * xevf replay: run test cases (files, or every file in directories, in name order) through the
 * lifted kernel and the model.
 *   xevf-replay [--quiet] FILE|DIR...   each op and finding, then a summary line
 *   xevf-replay --json FILE|DIR...      one JSON object per input, one per line (docs/xevf.md), flushed
 *                                       input by input: after a crash, the first input without a
 *                                       line is the one that killed the process
 * Exit 0: no unaccepted finding; 1: one at least; 2: usage or unreadable input.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmodule.h"
#include "run.h"

static int quiet, json;
static unsigned long cases, with_findings, unaccepted;

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_finding(const struct xevf_result *res, int i)
{
	const char *why = xevf_accepted(res->sig[i]);

	fputs("{\"signature\": ", stdout);
	json_string(res->sig[i]);
	fputs(", \"detail\": ", stdout);
	json_string(res->detail[i]);
	fputs(", \"accepted\": ", stdout);
	if (why)
		json_string(why);
	else
		fputs("null", stdout);
	putchar('}');
}

/* The input's line: its verdict, the finding that decides it (the first unaccepted one, else the
 * first), every finding, the first probe's answers and the trace. */
static void json_case(const char *path, const struct xevf_result *res, const char *trace)
{
	int first = res->nfindings ? 0 : -1;

	for (int i = res->nfindings - 1; i >= 0; i--)
		if (!res->accepted[i])
			first = i;
	fputs("{\"input\": ", stdout);
	json_string(path);
	printf(", \"verdict\": \"%s\", \"kernel\": ", res->unaccepted ? "finding" : first >= 0 ? "accepted" : "clean");
	json_string(xevf_k_version());
	fputs(", \"era\": ", stdout);
	json_string(xevf_k_era());
	fputs(", \"finding\": ", stdout);
	if (first >= 0)
		json_finding(res, first);
	else
		fputs("null", stdout);
	fputs(", \"findings\": [", stdout);
	for (int i = 0; i < res->nfindings; i++) {
		fputs(i ? ", " : "", stdout);
		json_finding(res, i);
	}
	fputs("], \"probe\": ", stdout);
	if (res->probed)
		printf("{\"kernel\": %d, \"model\": %d}", res->probe_kernel, res->probe_model);
	else
		fputs("null", stdout);
	fputs(", \"trace\": ", stdout);
	json_string(trace);
	fputs("}\n", stdout);
	fflush(stdout);
}

static int one(const char *path)
{
	static uint8_t buf[1 << 16];
	static struct xevf_result res;
	FILE *f = fopen(path, "rb");
	char *trace = NULL;
	size_t len, tlen = 0;
	FILE *to = NULL;

	if (!f) {
		if (json) {
			fputs("{\"input\": ", stdout);
			json_string(path);
			fputs(", \"verdict\": \"error\", \"error\": \"cannot read the file\"}\n", stdout);
		}
		fprintf(stderr, "xevf-replay: cannot read %s\n", path);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (json && !(to = open_memstream(&trace, &tlen))) {
		fprintf(stderr, "xevf-replay: out of memory\n");
		exit(2);
	}
	if (!quiet && !json) {
		printf("== %s\n", path);
		to = stdout;
	}
	xevf_run(buf, len, to, &res);
	cases++;
	if (res.nfindings)
		with_findings++;
	if (res.unaccepted)
		unaccepted++;
	if (json) {
		fclose(to);
		json_case(path, &res, trace);
		free(trace);
		return 0;
	}
	for (int i = 0; i < res.nfindings; i++) {
		const char *why = xevf_accepted(res.sig[i]);

		printf("%s %s: %s%s%s\n", why ? "accepted" : "FINDING", res.sig[i], res.detail[i],
		       why && !quiet ? "\n    (accepted: " : "", why && !quiet ? why : "");
		if (why && !quiet)
			printf("    )\n");
	}
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
		if (!strcmp(argv[i], "--json")) {
			json = 1;
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
		fprintf(stderr, "usage: %s [--quiet | --json] FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (rc)
		return 2;
	if (!json)
		printf("xevf replay on %s (%s): %lu case(s), %lu with findings, %lu with unaccepted findings\n",
		       xevf_k_version(), xevf_k_era(), cases, with_findings, unaccepted);
	return unaccepted ? 1 : 0;
}
