/* populate_pvinfo_page() and the vGPU type table, lifted alone out of gvt/vgpu.c. */
#include "i915_drv.h"
#include "gvt.h"
#include "i915_pvinfo.h"
#include "fragments/host/populate_pvinfo_page.c"
#include "fragments/host/intel_vgpu_configs.c"

/* customised-for-testing: hand the file-scope table to host_env.c. */
const struct intel_vgpu_config *vgtfuzz_host_configs(unsigned int *n);
const struct intel_vgpu_config *vgtfuzz_host_configs(unsigned int *n)
{
	*n = ARRAY_SIZE(intel_vgpu_configs);
	return intel_vgpu_configs;
}
