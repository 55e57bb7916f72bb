#include "lib/rbtree.c"
