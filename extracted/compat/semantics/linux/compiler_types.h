/* kind: copied-semantics. Attribute spellings the kernel uses; sparse annotations vanish. */
#ifndef VGTFUZZ_LINUX_COMPILER_TYPES_H
#define VGTFUZZ_LINUX_COMPILER_TYPES_H
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define noinline __attribute__((__noinline__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __must_check __attribute__((__warn_unused_result__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __cold __attribute__((__cold__))
#define __pure __attribute__((__pure__))
#define __noreturn __attribute__((__noreturn__))
#define fallthrough __attribute__((__fallthrough__))
#define __iomem
#define __user
#define __rcu
#define __force
#define __kernel
#define __init
#define __exit
#define __read_mostly
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
/* Annotation macros of the lifted tree that this layer does not define (7.x context analysis, say),
 * found in attribute positions by the extractor and absorbed as empty. */
#if __has_include("vgtfuzz_annotations.h")
#include "vgtfuzz_annotations.h"
#endif
#endif
