/* libFuzzer entry for the xevf target: an unaccepted finding aborts (one noinline function per
 * class would be nicer for stack dedup; the signature line is what triage reads). */
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xevf_result res;
	static int show = -1;

	if (show < 0)
		show = getenv("VGTFUZZ_SHOW_ACCEPTED") != NULL;
	xevf_run(data, size, 0, &res);
	for (int i = 0; i < res.nfindings; i++)
		if (!res.accepted[i] || show) {
			fprintf(stderr, "vgtfuzz-xevf: FINDING %s: %s\n", res.sig[i], res.detail[i]);
			abort();
		}
	return 0;
}
