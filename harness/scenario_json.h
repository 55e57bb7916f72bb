/*
 * The decoded scenario as JSON: its shape is documented in docs/interfaces.md ("scenario").
 * Written by the replayer (explain_json.c) and by vgtfuzz-decode (decode_json.c).
 */
#ifndef VGTFUZZ_SCENARIO_JSON_H
#define VGTFUZZ_SCENARIO_JSON_H
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

/* {"target", "format_version", "page", "devices", "ops"}, no newline. */
void vgtf_json_scenario(FILE *o, const struct vgtf_scenario *sc);

/* format.def's target names, by enum vgtf_target. */
extern const char *const vgtf_target_names[VGTF_TARGETS];

/* A vgt_if page's fields (format.def's VGTF_PAGE rows) as one JSON object. */
void vgtf_json_page(FILE *o, const uint8_t *page);
#endif
