/* Prints a test case as decode.c sees it, as one JSON object per file (for the crosscheck with
 * scripts/vgtfuzzlib/xevf_format.py in tests/python/test_xevf_format.py). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenario.h"

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];

	for (int i = 1; i < argc; i++) {
		struct xevf_scenario sc;
		FILE *f = fopen(argv[i], "rb");
		size_t len;

		if (!f) {
			fprintf(stderr, "xevf-dump: cannot open %s\n", argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		xevf_decode(buf, len, &sc);
		printf("{");
#define XEVF_CONST(name, value, doc)
#define XEVF_FIELD(name, off, width, doc) printf("\"%s\": %" PRIu64 ", ", #name, sc.name);
#define XEVF_OP(name, value, doc)
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP
		printf("\"wopcm\": %" PRIu64 ", \"ops\": [", sc.wopcm);
		for (size_t k = 0; k < sc.nops; k++)
			printf("%s[\"%s\", %u, %u, %" PRIu32 "]", k ? ", " : "", xevf_op_name(sc.ops[k].kind),
			       sc.ops[k].a, sc.ops[k].b, sc.ops[k].c);
		printf("]}\n");
	}
	return 0;
}
