/* kind: copied-semantics. Powers of two. */
#ifndef VGTFUZZ_LINUX_LOG2_H
#define VGTFUZZ_LINUX_LOG2_H
#include <linux/bitops.h>
static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}
#define ilog2(n) ((int)(sizeof(n) <= 4 ? fls((u32)(n)) - 1 : fls64((u64)(n)) - 1))
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64((u64)(n - 1));
}
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls64((u64)n) - 1);
}
#endif
