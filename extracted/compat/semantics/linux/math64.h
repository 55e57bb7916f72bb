/* kind: copied-semantics. 64-bit division helpers (plain C division does it in userspace). */
#ifndef VGTFUZZ_LINUX_MATH64_H
#define VGTFUZZ_LINUX_MATH64_H
#include <linux/types.h>
static inline u64 div64_u64(u64 a, u64 b)
{
	return a / b;
}
static inline u64 div64_u64_rem(u64 a, u64 b, u64 *rem)
{
	*rem = a % b;
	return a / b;
}
static inline u64 div_u64(u64 a, u32 b)
{
	return a / b;
}
static inline u64 div_u64_rem(u64 a, u32 b, u32 *rem)
{
	*rem = (u32)(a % b);
	return a / b;
}
static inline s64 div_s64(s64 a, s32 b)
{
	return a / b;
}
static inline u64 mul_u32_u32(u32 a, u32 b)
{
	return (u64)a * b;
}
#define do_div(n, base)                            \
	({                                         \
		u32 _dd_rem = (u32)((n) % (base)); \
		(n) /= (base);                     \
		_dd_rem;                           \
	})
#endif
