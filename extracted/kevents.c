/*
 * The kernel log, WARN and BUG sinks the compat headers report into (vgtfuzz_kenv.h), shared by
 * every target: the balloon, drm_mm and gvt targets (kgtt, with the balloon lift's fragment
 * origins) and the xevf target (xevf/CMakeLists.txt, with the xevf lift's). Plain C.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgtfuzz_kenv.h"

struct vgtfuzz_kevents vgtfuzz_kevents;
vgtfuzz_bug_hook_fn vgtfuzz_bug_hook;

void vgtfuzz_klog(int level, const char *fmt, ...)
{
	static int verbose = -1;
	va_list ap;

	if (verbose < 0)
		verbose = getenv("VGTFUZZ_KLOG") != NULL;
	if (!verbose)
		return;
	fprintf(stderr, "<%d>", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Where a BUG or WARN is in the kernel tree: "drivers/gpu/drm/drm_mm.c:123" for a lifted file, and
 * for a lifted fragment the line of the kernel file it was cut from (the extractor's
 * fragments/vgtfuzz_origins.h, the xevf lifter's fragments/xevf_origins.h: whichever the unit's
 * include path holds), not the fragment's own line. */
static const struct {
	const char *fragment, *file;
	int first;
} origins[] = {
#define VGTFUZZ_FRAGMENT(name, file, first) { "fragments/" name ".c", file, first },
#define XEVF_FRAGMENT(name, file, first) VGTFUZZ_FRAGMENT(name, file, first)
#if __has_include("vgtfuzz_origins.h")
#include "vgtfuzz_origins.h"
#endif
#if __has_include("xevf_origins.h")
#include "xevf_origins.h"
#endif
#undef XEVF_FRAGMENT
#undef VGTFUZZ_FRAGMENT
	{ NULL, NULL, 0 }
};

void vgtfuzz_kernel_location(const char **file, int *line)
{
	size_t n = strlen(*file);
	const char *p, *rel = NULL;

	for (size_t i = 0; origins[i].fragment; i++) {
		size_t k = strlen(origins[i].fragment);

		if (n >= k && strcmp(*file + n - k, origins[i].fragment) == 0 &&
		    (n == k || (*file)[n - k - 1] == '/')) {
			*file = origins[i].file;
			*line += origins[i].first - 1;
			return;
		}
	}
	/* <lifted root>/lifted/<id>/drivers/... -> drivers/... */
	for (p = strstr(*file, "/lifted/"); p; p = strstr(p + 1, "/lifted/"))
		rel = p;
	if (rel && (p = strchr(rel + strlen("/lifted/"), '/')) != NULL)
		*file = p + 1;
}

int vgtfuzz_kernel_warn(const char *file, int line, const char *cond)
{
	vgtfuzz_kernel_location(&file, &line);
	vgtfuzz_kevents.warns++;
	vgtfuzz_kevents.last_warn_file = file;
	vgtfuzz_kevents.last_warn_line = line;
	vgtfuzz_kevents.last_warn_cond = cond;
	vgtfuzz_klog(4, "WARNING at %s:%d: %s\n", file, line, cond);
	return 1;
}

void vgtfuzz_kernel_bug(const char *file, int line, const char *cond)
{
	vgtfuzz_kernel_location(&file, &line);
	if (vgtfuzz_bug_hook)
		vgtfuzz_bug_hook(file, line, cond);
	fprintf(stderr, "vgtfuzz: kernel BUG at %s:%d: %s\n", file, line, cond);
	abort();
}
