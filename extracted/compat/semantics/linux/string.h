/* kind: copied-semantics. */
#include <string.h>
