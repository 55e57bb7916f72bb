/* libFuzzer entry for the xevf target: the first unaccepted finding of an input aborts, from its
 * class's own function (signatures.def), after a line naming its signature. */
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One function per class, never inlined, so a crash's stack names its class. */
#define XEVF_SIG(id, name, doc)                                               \
	static __attribute__((noinline, noreturn)) void xevf_abort_##id(void) \
	{                                                                     \
		abort();                                                      \
	}
#include "signatures.def"
#undef XEVF_SIG

static __attribute__((noreturn)) void abort_class(enum xevf_sig cls)
{
	switch (cls) {
#define XEVF_SIG(id, name, doc) \
	case XEVF_SIG_##id:     \
		xevf_abort_##id();
#include "signatures.def"
#undef XEVF_SIG
	}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xevf_result res;
	static int show = -1;

	if (show < 0)
		show = getenv("VGTFUZZ_SHOW_ACCEPTED") != NULL;
	xevf_run(data, size, NULL, &res);
	for (int i = 0; i < res.nfindings; i++)
		if (!res.accepted[i] || show) {
			fprintf(stderr, "vgtfuzz-xevf: FINDING %s: %s\n", res.sig[i], res.detail[i]);
			abort_class(res.cls[i]);
		}
	return 0;
}
