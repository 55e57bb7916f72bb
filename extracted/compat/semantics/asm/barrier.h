/* kind: copied-semantics. One thread: memory barriers are compiler barriers. */
#ifndef VGTFUZZ_ASM_BARRIER_H
#define VGTFUZZ_ASM_BARRIER_H
#include <linux/compiler.h>
#define mb() barrier()
#define rmb() barrier()
#define wmb() barrier()
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_store_release(p, v) WRITE_ONCE(*(p), v)
#define smp_load_acquire(p) READ_ONCE(*(p))
#define smp_mb__after_atomic() barrier()
#endif
