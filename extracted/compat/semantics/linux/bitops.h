/* kind: copied-semantics. Bit operations on unsigned long arrays (no atomicity needed here). */
#ifndef VGTFUZZ_LINUX_BITOPS_H
#define VGTFUZZ_LINUX_BITOPS_H
#include <linux/bits.h>
#include <linux/types.h>

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1UL;
}
static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}
static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}
#define set_bit __set_bit
#define clear_bit __clear_bit
#define clear_bit_unlock __clear_bit
static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);
	__set_bit(nr, addr);
	return old;
}
#define test_and_set_bit __test_and_set_bit
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
static inline unsigned long __ffs(unsigned long x)
{
	return (unsigned long)__builtin_ctzl(x);
}
static inline unsigned long __fls(unsigned long x)
{
	return (unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(x));
}
static inline unsigned int hweight32(u32 w)
{
	return (unsigned int)__builtin_popcount(w);
}
static inline unsigned int hweight64(u64 w)
{
	return (unsigned int)__builtin_popcountll(w);
}
#define hweight_long(w) ((unsigned int)__builtin_popcountl(w))
#endif
