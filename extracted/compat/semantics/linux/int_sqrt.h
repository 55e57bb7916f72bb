/* kind: copied-semantics. Integer square root: the largest r with r * r <= x. */
#ifndef VGTFUZZ_LINUX_INT_SQRT_H
#define VGTFUZZ_LINUX_INT_SQRT_H
#include <linux/types.h>

static inline u32 int_sqrt64(u64 x)
{
	u64 r = 0, bit = 1ULL << 62;

	/* Digit by digit in base 4: try each bit of the root from the top. */
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (u32)r;
}

/* The root of any unsigned long fits the 64-bit version's result, on either word size. */
static inline unsigned long int_sqrt(unsigned long x)
{
	return int_sqrt64(x);
}
#endif
