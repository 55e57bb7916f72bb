/*
 * vgtfuzz-decode [--target balloon|drm_mm|gvt] FILE...: decode each file with the harness's own
 * decoder (decode.c, driven by format.def) and print the scenario as JSON, one object per line: the
 * shape of the replayer's "scenario" (target.h). The Python tools decode through this program, so
 * the format has one decoder; scripts/vgtfuzzlib/testcase.py only encodes and describes.
 * Exit 0; 2 if a file cannot be read or the target is unknown; 3 if the decoder left bytes past the
 * page prefix non-zero.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_json.h"

enum {
#define VGTF_CONST(name, value, doc) F_##name = (value),
#include "format.def"
};

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	static struct vgtf_scenario s;
	unsigned int target = VGTF_TARGET_BALLOON;
	int i = 1, rc = 0;
	size_t n;

	if (argc > 2 && !strcmp(argv[1], "--target")) {
		for (target = 0; target < VGTF_TARGETS && strcmp(argv[2], vgtf_target_names[target]); target++)
			;
		if (target == VGTF_TARGETS) {
			fprintf(stderr, "vgtfuzz-decode: unknown target %s (balloon, drm_mm, gvt)\n", argv[2]);
			return 2;
		}
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: vgtfuzz-decode [--target balloon|drm_mm|gvt] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		size_t len = 0;
		uint8_t *buf = slurp(argv[i], &len);

		if (!buf) {
			fprintf(stderr, "vgtfuzz-decode: cannot read %s\n", argv[i]);
			return 2;
		}
		vgtf_decode_target((enum vgtf_target)target, buf, len, &s);
		free(buf);
		for (n = F_PAGE_PREFIX; n < VGTF_PAGE_SIZE && !s.page[n]; n++)
			;
		if (n < VGTF_PAGE_SIZE) {
			fprintf(stderr, "vgtfuzz-decode: %s: page bytes past the prefix are not zero\n", argv[i]);
			rc = 3;
			continue;
		}
		vgtf_json_scenario(stdout, &s);
		putchar('\n');
	}
	fflush(stdout);
	return rc;
}
