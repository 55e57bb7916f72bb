/* kind: copied-semantics. Compiler attributes and the ONCE accessors (single-threaded here). */
#ifndef VGTFUZZ_LINUX_COMPILER_H
#define VGTFUZZ_LINUX_COMPILER_H
#include <linux/types.h>
#include <linux/bits.h>
#include <linux/compiler_types.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                               \
	do {                                             \
		*(volatile __typeof__(x) *)&(x) = (val); \
	} while (0)
#define __must_be_array(a) 0
#endif
