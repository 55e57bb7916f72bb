/* kind: copied-semantics. offsetof and friends. */
#ifndef VGTFUZZ_LINUX_STDDEF_H
#define VGTFUZZ_LINUX_STDDEF_H
#include <stddef.h>
#include <linux/types.h>
#include <linux/compiler_types.h>
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))
#endif
