/* kind: stub. No module symbol table in userspace. */
#ifndef VGTFUZZ_LINUX_EXPORT_H
#define VGTFUZZ_LINUX_EXPORT_H
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#define EXPORT_SYMBOL_FOR_TESTS_ONLY(sym)
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define MODULE_IMPORT_NS(x)
#endif
