/*
 * kind: customised-for-testing. Magma-style canaries for the injected-bug suite (tests/bugs/).
 *
 * Only a bug build uses this header: scripts/vgtfuzzlib/bugs.py force-includes it (-include)
 * into the lifted objects its mutation touched and links extracted/vgtfuzz_bugs.c with them.
 * Normal builds never see it, so it costs them nothing. One bug per build, so one pair of
 * counters: REACHED (the buggy code ran) and TRIGGERED (it ran and its result differed from
 * what the original code would have computed).
 *
 *   VGTFUZZ_BUG_REACHED()              the buggy code ran
 *   VGTFUZZ_BUG_TRIGGERED(cond)        ran, and the bug condition `cond` holds; yields !!cond
 *   VGTFUZZ_BUG_MUTANT(orig, mutant)   a mutated expression: evaluates both (they must be free
 *                                      of side effects), records a trigger when they differ,
 *                                      and yields the mutant's value
 */
#ifndef VGTFUZZ_BUGS_H
#define VGTFUZZ_BUGS_H

void vgtfuzz_bug_note(int triggered);

#define VGTFUZZ_BUG_REACHED() vgtfuzz_bug_note(0)
#define VGTFUZZ_BUG_TRIGGERED(cond)         \
	({                                  \
		int __vgtf_t = !!(cond);    \
		vgtfuzz_bug_note(__vgtf_t); \
		__vgtf_t;                   \
	})
#define VGTFUZZ_BUG_MUTANT(orig, mutant)                \
	({                                              \
		__typeof__(mutant) __vgtf_m = (mutant); \
		vgtfuzz_bug_note(__vgtf_m != (orig));   \
		__vgtf_m;                               \
	})
#endif
