/*
 * The counters behind compat/testing/vgtfuzz_bugs.h, linked into bug builds only.
 *
 * With VGTFUZZ_BUG_COUNTERS=FILE in the environment the two counters live in FILE, mapped
 * shared, so they survive a crash of the process (a sanitizer report, a SEGV) and add up over
 * the processes of a libFuzzer fork-mode run. Without it they are process-local.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

struct vgtfuzz_bug_counters {
	unsigned long long reached, triggered;
};

static struct vgtfuzz_bug_counters local_counters;
static struct vgtfuzz_bug_counters *counters = &local_counters;

__attribute__((constructor)) static void vgtfuzz_bug_counters_open(void)
{
	const char *path = getenv("VGTFUZZ_BUG_COUNTERS");
	void *m;
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return;
	if (ftruncate(fd, sizeof(*counters)) == 0) {
		m = mmap(NULL, sizeof(*counters), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED)
			counters = m;
	}
	close(fd);
}

void vgtfuzz_bug_note(int triggered);

void vgtfuzz_bug_note(int triggered)
{
	__atomic_add_fetch(&counters->reached, 1, __ATOMIC_RELAXED);
	if (triggered)
		__atomic_add_fetch(&counters->triggered, 1, __ATOMIC_RELAXED);
}
