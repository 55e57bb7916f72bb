/* kind: stub. One thread: locks do nothing. */
#ifndef VGTFUZZ_LINUX_SPINLOCK_H
#define VGTFUZZ_LINUX_SPINLOCK_H
typedef struct {
	int unused;
} spinlock_t;
#define spin_lock_init(l) ((void)(l))
#define spin_lock(l) ((void)(l))
#define spin_unlock(l) ((void)(l))
#endif
