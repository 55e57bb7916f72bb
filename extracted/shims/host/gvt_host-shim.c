/* populate_pvinfo_page() and the vGPU type table, lifted alone out of gvt/vgpu.c. */
#include "i915_drv.h"
#include "gvt.h"
#include "i915_pvinfo.h"
/* customised-for-testing: populate_pvinfo_page() writes the 16-bit version fields with 32-bit
 * stores (vgpu_vreg_t), one at offset 0xa: misaligned, which x86 does in hardware and the kernel's
 * UBSAN leaves unchecked there (CONFIG_UBSAN_ALIGNMENT is off on x86); reports/findings.md. The
 * attribute on this declaration carries over to the lifted definition. */
__attribute__((no_sanitize("alignment"))) void populate_pvinfo_page(struct intel_vgpu *vgpu);
#include "fragments/host/populate_pvinfo_page.c"
#include "fragments/host/intel_vgpu_configs.c"

/* customised-for-testing: hand the file-scope table to host_env.c. */
const struct intel_vgpu_config *vgtfuzz_host_configs(unsigned int *n);
const struct intel_vgpu_config *vgtfuzz_host_configs(unsigned int *n)
{
	*n = ARRAY_SIZE(intel_vgpu_configs);
	return intel_vgpu_configs;
}
