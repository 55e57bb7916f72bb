/* kind: stub. No scheduler, no signals. */
#ifndef VGTFUZZ_LINUX_SCHED_H
#define VGTFUZZ_LINUX_SCHED_H
#define signal_pending(t) 0
#define fatal_signal_pending(t) 0
#endif
