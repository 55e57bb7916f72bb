/* kind: copied-semantics. */
#include <linux/kernel.h>
