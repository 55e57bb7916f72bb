/*
 * The replayer's JSON (docs/interfaces.md describes every key): the decoded scenario, the page each
 * detect and balloon read, every module's trace op by op, and the verdict. One object, no newline:
 * the caller frames it (one per line for a directory).
 */
#ifndef VGTFUZZ_EXPLAIN_JSON_H
#define VGTFUZZ_EXPLAIN_JSON_H
#include <stdio.h>

#include "oracle.h"

/* `f`: the finding, or NULL when every oracle holds. */
void vgtf_explain_json(FILE *o, const struct vgtf_scenario *sc, const struct vgtf_trace *const *traces, unsigned int n,
		       const struct vgtf_finding *f);

/* A finding alone ({"signature", "class", "op", "detail", "accepted"}), or null. */
void vgtf_finding_json(FILE *o, const struct vgtf_finding *f);

/* A C string as a JSON string. */
void vgtf_json_string(FILE *o, const char *s);
#endif
