/* kind: stub. One thread: locks do nothing. */
#ifndef VGTFUZZ_LINUX_MUTEX_H
#define VGTFUZZ_LINUX_MUTEX_H
struct mutex {
	int unused;
};
#define DEFINE_MUTEX(name) struct mutex name = { 0 }
#define mutex_init(m) ((void)(m))
#define mutex_lock(m) ((void)(m))
#define mutex_unlock(m) ((void)(m))
#define lockdep_assert_held(m) ((void)(m))
#define lockdep_is_held(m) ((void)(m), 1)
#endif
