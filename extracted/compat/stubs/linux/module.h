/* kind: stub. */
#include <linux/export.h>
