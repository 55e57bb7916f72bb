/* kind: copied-semantics. Kernel time values: signed nanoseconds on the monotonic clock. */
#ifndef VGTFUZZ_LINUX_KTIME_H
#define VGTFUZZ_LINUX_KTIME_H
#include <time.h>
#include <linux/types.h>

#ifndef NSEC_PER_USEC
#define NSEC_PER_USEC 1000L
#endif
#ifndef NSEC_PER_MSEC
#define NSEC_PER_MSEC 1000000L
#endif
#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC 1000000000L
#endif

typedef s64 ktime_t;

static inline ktime_t ktime_get(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ktime_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}
#define ktime_get_raw() ktime_get()
static inline u64 ktime_get_ns(void)
{
	return (u64)ktime_get();
}
static inline ktime_t ktime_sub(ktime_t a, ktime_t b)
{
	return a - b;
}
static inline ktime_t ktime_add(ktime_t a, ktime_t b)
{
	return a + b;
}
static inline ktime_t ns_to_ktime(u64 ns)
{
	return (ktime_t)ns;
}
static inline s64 ktime_to_ns(ktime_t t)
{
	return t;
}
static inline s64 ktime_to_us(ktime_t t)
{
	return t / NSEC_PER_USEC;
}
static inline s64 ktime_to_ms(ktime_t t)
{
	return t / NSEC_PER_MSEC;
}
static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier)
{
	return ktime_to_us(later - earlier);
}
static inline s64 ktime_ms_delta(ktime_t later, ktime_t earlier)
{
	return ktime_to_ms(later - earlier);
}
#endif
