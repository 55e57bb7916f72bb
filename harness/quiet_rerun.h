/*
 * The full run repeats, observed, what the fast pass already ran (target.c). The fuzzer should
 * learn from the input once: the rerun doubles every hit count it repeats, and libFuzzer files hit
 * counts into buckets, so a rerun input showed features the same input without a rerun does not
 * (and libFuzzer's cost per input grows with every feature). vgtf_quiet_begin() saves the inline
 * 8-bit coverage counters, vgtf_quiet_end() puts them back: the counters then hold exactly what the
 * fast pass ran. A no-op in builds without inline counters (no libFuzzer, AFL++'s own map).
 */
#ifndef VGTF_QUIET_RERUN_H
#define VGTF_QUIET_RERUN_H

void vgtf_quiet_begin(void);
void vgtf_quiet_end(void);

#endif
