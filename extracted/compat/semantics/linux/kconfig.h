/* kind: copied-semantics. IS_ENABLED(CONFIG_X): 1 when CONFIG_X is defined to 1, else 0, usable in #if.
 * The kernel force-includes its kconfig.h; our types.h includes this one. Modules do not exist here. */
#ifndef VGTFUZZ_LINUX_KCONFIG_H
#define VGTFUZZ_LINUX_KCONFIG_H
/* A defined-to-1 option pastes into vgtfuzz_kc_on_1, which adds an argument and so moves the 1 into
 * second place; anything else leaves the 0 there. */
#define vgtfuzz_kc_on_1 0,
#define vgtfuzz_kc_second(first, second, ...) second
#define vgtfuzz_kc_pick(maybe_extra) vgtfuzz_kc_second(maybe_extra 1, 0, 0)
#define vgtfuzz_kc_test(value) vgtfuzz_kc_pick(vgtfuzz_kc_on_##value)
#define IS_BUILTIN(option) vgtfuzz_kc_test(option)
#define IS_MODULE(option) 0
#define IS_ENABLED(option) IS_BUILTIN(option)
#define IS_REACHABLE(option) IS_BUILTIN(option)
#endif
