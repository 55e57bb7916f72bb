/*
 * Standalone driver for fuzz_impl.c: N pseudo-random inputs from a fixed
 * seed, so a plain ctest run exercises the target without a fuzzing engine.
 * Usage: fuzz_impl_main [N [SEED]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x76475476;
	uint8_t buf[256];

	for (unsigned long i = 0; i < n; i++) {
		size_t len = (size_t)(next(&seed) % sizeof(buf));

		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)next(&seed);
		/* Half the inputs get a real magic, so detection passes. */
		if (len >= 10 && (next(&seed) & 1)) {
			static const uint8_t magic[8] = { 0x76, 0x47, 0x54, 0x76, 0x47, 0x54, 0x76, 0x47 };
			for (size_t j = 0; j < 8; j++)
				buf[j] = magic[j];
			buf[8] = 1;
			buf[9] = 0;
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("%lu inputs, seed-run done\n", n);
	return 0;
}
