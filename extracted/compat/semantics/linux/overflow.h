/* kind: copied-semantics. Overflow-checked arithmetic and the range test i915 uses. */
#ifndef VGTFUZZ_LINUX_OVERFLOW_H
#define VGTFUZZ_LINUX_OVERFLOW_H
#include <stddef.h>
#include <stdint.h>
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d) __builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
/* True when [start, start + size) does not fit below max (all three of one type). */
#define range_overflows(start, size, max)                          \
	({                                                         \
		__typeof__(start) ro_start = (start);              \
		__typeof__(size) ro_size = (size);                 \
		__typeof__(max) ro_max = (max);                    \
		(void)(&ro_start == &ro_size);                     \
		(void)(&ro_start == &ro_max);                      \
		ro_start >= ro_max || ro_size > ro_max - ro_start; \
	})
/* Sizes that saturate at SIZE_MAX instead of wrapping (an allocation of that size then fails). */
static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}
#define array_size(a, b) size_mul(a, b)
#define array3_size(a, b, c) size_mul(size_mul(a, b), c)
#define range_overflows_t(type, start, size, max) range_overflows((type)(start), (type)(size), (type)(max))
#endif
