/* kind: copied-semantics. One thread, no readers: RCU publication is a plain store. */
#ifndef VGTFUZZ_LINUX_RCUPDATE_H
#define VGTFUZZ_LINUX_RCUPDATE_H
#include <linux/compiler.h>
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_dereference_raw(p) READ_ONCE(p)
#define rcu_read_lock() \
	do {            \
	} while (0)
#define rcu_read_unlock() \
	do {              \
	} while (0)
#define RCU_INITIALIZER(v) (v)
#define rcu_dereference_protected(p, c) ((void)(c), (p))
/* No readers to wait for: free at once (the caller includes linux/slab.h). */
#define rcu_barrier() \
	do {          \
	} while (0)
#define kfree_rcu(ptr, ...) kfree(ptr)
#endif
