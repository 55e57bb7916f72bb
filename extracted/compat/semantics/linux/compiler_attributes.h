/* kind: copied-semantics. Folded into compiler_types.h. */
#include <linux/compiler_types.h>
