/* What the kernel's own headers bring prime_numbers.c by way of its includes. */
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/int_sqrt.h>
#include <linux/rcupdate.h>
#include <asm/page.h>
#include "lib/math/prime_numbers.c"
