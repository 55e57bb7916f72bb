/* kind: copied-semantics. The grab-bag header: alignment, array size, the printk family. */
#ifndef VGTFUZZ_LINUX_KERNEL_H
#define VGTFUZZ_LINUX_KERNEL_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>
#include <linux/bitops.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/log2.h>
#if __has_include(<linux/container_of.h>) /* 5.16 and later: the tree's own */
#include <linux/container_of.h>
#else /* before: it lived in kernel.h, which this replaces */
#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#define typeof_member(T, m) __typeof__(((T *)0)->m)
#endif
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define might_sleep() \
	do {          \
	} while (0)
#define cond_resched() \
	do {           \
	} while (0)
#endif
