#include "xevf_fragments.c"
