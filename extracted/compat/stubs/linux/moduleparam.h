/* kind: stub. Module parameters: nothing sets them here, so each keeps its initial value. */
#ifndef VGTFUZZ_LINUX_MODULEPARAM_H
#define VGTFUZZ_LINUX_MODULEPARAM_H
#define module_param(name, type, perm)
#define module_param_named(name, value, type, perm)
#define module_param_unsafe(name, type, perm)
#define MODULE_PARM_DESC(name, desc)
#endif
