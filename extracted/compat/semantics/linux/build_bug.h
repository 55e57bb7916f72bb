/* kind: copied-semantics. Compile-time assertions. */
#ifndef VGTFUZZ_LINUX_BUILD_BUG_H
#define VGTFUZZ_LINUX_BUILD_BUG_H
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))
/* Type-checks `e` without evaluating it: how the kernel compiles out its debug BUG_ONs. */
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))
#ifndef static_assert
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#endif
#endif
