/*
 * A target that does nothing, built with the same drivers and flags as the real one: the
 * benchmark's yardstick (exec/s of the real target as a fraction of this one's).
 */
#include "target.h"

void vgtf_target_init(void)
{
}

int vgtf_target_run(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
