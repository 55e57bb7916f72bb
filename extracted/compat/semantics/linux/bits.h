/* kind: copied-semantics. Bit masks. */
#ifndef VGTFUZZ_LINUX_BITS_H
#define VGTFUZZ_LINUX_BITS_H
/* Usable in #if, as the kernel's is. */
#define BITS_PER_LONG (__SIZEOF_LONG__ * 8)
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#endif
