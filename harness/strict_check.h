/* The strict profile against the kernel (harness/strict_check.c, harness/strict.def). */
#ifndef VGTFUZZ_STRICT_CHECK_H
#define VGTFUZZ_STRICT_CHECK_H
#include "module.h"
#include "oracle.h"

/* After the other oracles found nothing: at every balloon the kernel ran on an active vGPU, impl/'s
 * strict plan for the page and geometry must agree with the kernel's verdict as strict.def says.
 * `kernel` was recorded to `depth` (VGTF_SUMMARY or VGTF_FULL: it reads only whether each device
 * was active). Returns true and fills `f` on a disagreement. */
bool vgtf_strict_check(const struct vgtf_scenario *sc, const struct vgtf_trace *kernel, enum vgtf_depth depth,
		       struct vgtf_finding *f);
#endif
