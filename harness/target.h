/*
 * The engine-neutral target contract (as OpenSSL's fuzz/ does it): every driver — libFuzzer,
 * AFL++, the standalone replayer — calls vgtf_target_init() once and vgtf_target_run() per input.
 */
#ifndef VGTFUZZ_TARGET_H
#define VGTFUZZ_TARGET_H
#include <stdint.h>
#include <stdio.h>

#include "oracle.h"

/* Reads VGTFUZZ_SHOW_ACCEPTED, VGTFUZZ_TARGET (balloon | drm_mm), VGTFUZZ_KEEP_GOING and
 * VGTFUZZ_FULL from the environment. KEEP_GOING=1: a finding (a kernel BUG included) ends the
 * input but not the process, so that an engine exploring a patched tree keeps every input that
 * reaches new code, findings among them; `kpatch` then replays that corpus on both trees and
 * compares. FULL=1: no fast path, every input observed op by op (docs/performance.md). */
void vgtf_target_init(void);

/* Which fuzz target the bytes are decoded for (format.def VGTF_TARGET rows); balloon unless
 * chosen. Drivers built for the drm_mm target choose it right after vgtf_target_init(). */
void vgtf_target_select(enum vgtf_target target);

/* Decode, run every module, check the oracles. A finding prints its signature line and the first
 * divergence on stderr, then aborts from its class's own function — unless it is accepted (see
 * accepted.def; VGTFUZZ_SHOW_ACCEPTED=1 reports those too). Returns 0 otherwise. */
int vgtf_target_run(const uint8_t *data, size_t size);

/* The same without aborting, for the replayer: returns 1 and fills `f` on a finding (accepted or
 * not), 0 when clean. With `json` set, writes the scenario, every module's trace and the verdict
 * as one JSON object. */
int vgtf_target_explain(const uint8_t *data, size_t size, FILE *json, struct vgtf_finding *f);

/* The verdict alone, never aborting: 1 and `f` filled on a finding (accepted or not), else 0.
 * fast: through the fast path, as vgtf_target_run() does; else every input observed op by op,
 * as vgtf_target_explain() does (driver_equivalence.c compares the two). */
int vgtf_target_verdict(const uint8_t *data, size_t size, bool fast, struct vgtf_finding *f);
#endif
