/*
 * AFL++ driver: persistent mode with shared-memory test cases when built by afl-clang-fast
 * (__AFL_FUZZ_TESTCASE_LEN exists), one input from stdin or a file otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "target.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

#define VGTF_MAX_INPUT 4096 /* longer inputs carry nothing the decoder reads */

int main(int argc, char **argv)
{
	vgtf_target_init();
#ifdef VGTFUZZ_TARGET_DRM_MM
	vgtf_target_select(VGTF_TARGET_DRM_MM);
#endif
#ifdef VGTFUZZ_TARGET_GVT
	vgtf_target_select(VGTF_TARGET_GVT);
#endif
#ifdef __AFL_FUZZ_TESTCASE_LEN
	/* Outside afl-fuzz (no shared memory), a file argument is replayed like the other drivers do. */
	if (argc > 1 && !getenv("__AFL_SHM_ID")) {
		static uint8_t file[VGTF_MAX_INPUT];
		FILE *in = fopen(argv[1], "rb");
		size_t n;

		if (!in) {
			perror(argv[1]);
			return 2;
		}
		n = fread(file, 1, sizeof(file), in);
		fclose(in);
		return vgtf_target_run(file, n);
	}
	__AFL_INIT();
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;

		vgtf_target_run(buf, len);
	}
#else
	static uint8_t buf[VGTF_MAX_INPUT];
	FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
	size_t len;

	if (!in) {
		perror(argv[1]);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), in);
	vgtf_target_run(buf, len);
#endif
	return 0;
}
