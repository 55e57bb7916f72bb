/* The gvt target's runner and end-to-end oracles (harness/gvt_target.c, docs/gvt.md). */
#ifndef VGTFUZZ_GVT_TARGET_H
#define VGTFUZZ_GVT_TARGET_H
#include <stdio.h>

#include "oracle.h"

/* Run a decoded gvt scenario: the lifted host, its vGPUs and their guests, every end-to-end oracle
 * after every op. Returns true and fills `f` on the first finding. With `json`, writes the host's
 * GGTT and every guest's view after each op (for replay). */
bool vgtf_gvt_run(const struct vgtf_scenario *sc, struct vgtf_finding *f, FILE *json);

/* The op the gvt runner is in, by name ("setup" outside one): a kernel BUG's signature names it. */
const char *vgtf_gvt_current_op(void);
#endif
