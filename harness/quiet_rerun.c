/* Coverage counters saved across the full rerun (quiet_rerun.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_rerun.h"

/* The linker defines these around the section clang's inline 8-bit counters go into; weak, so a
 * build without them links and sees null. This file itself is not instrumented
 * (harness/uninstrumented.txt): saving must not count. */
extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));

static uint8_t *saved;
static size_t saved_len;
static bool saving;

void vgtf_quiet_begin(void)
{
	size_t len = (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs);

	saving = false;
	if (!__start___sancov_cntrs || !__stop___sancov_cntrs || !len)
		return;
	if (len > saved_len) {
		uint8_t *p = realloc(saved, len);

		if (!p) /* no room to save: the rerun counts, as it did before */
			return;
		saved = p;
		saved_len = len;
	}
	memcpy(saved, __start___sancov_cntrs, len);
	saving = true;
}

void vgtf_quiet_end(void)
{
	if (saving)
		memcpy(__start___sancov_cntrs, saved, (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs));
	saving = false;
}
