/* kind: copied-semantics. Rounding helpers. */
#ifndef VGTFUZZ_LINUX_MATH_H
#define VGTFUZZ_LINUX_MATH_H
#define __round_mask(x, y) ((__typeof__(x))((y)-1))
#define round_up(x, y) ((((x)-1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define DIV_ROUND_UP_ULL(ll, d) (((unsigned long long)(ll) + (d)-1) / (d))
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#endif
