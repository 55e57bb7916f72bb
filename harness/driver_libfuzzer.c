/* libFuzzer driver: the whole of it. */
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	vgtf_target_init();
#ifdef VGTFUZZ_TARGET_DRM_MM
	vgtf_target_select(VGTF_TARGET_DRM_MM);
#endif
#ifdef VGTFUZZ_TARGET_GVT
	vgtf_target_select(VGTF_TARGET_GVT);
#endif
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vgtf_target_run(data, size);
}
