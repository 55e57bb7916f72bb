/* kind: stub. */
#include <linux/sched.h>
