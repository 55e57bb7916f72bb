"""`vgtfuzz test`: the whole suite, across the build matrix, ending with `N passed, N failed`."""
import os
import re
import subprocess
import sys
import time
import unittest

from .common import ROOT, UsageError, note, say
from . import build, extract

# The matrix: every configuration the suite builds and runs ctest in. One row per build.
#   (kernel, compiler, sanitize, m32, profile, why)
# The default tree gets the whole matrix, 6.1 two rows; every other supported Debian tree one quick
# row (gcc, release): it builds everything, replays the seeds and regressions and runs its drm_mm
# tests (and 6.1's 19 cases on trees after 6.1), so the day a new Debian kernel breaks the lift,
# the suite says so.
MATRIX = [
    ("6.12", "gcc", False, False, "release", "the default tree, as a production kernel builds it"),
    ("6.12", "clang", True, False, "release", "ASan+UBSan"),
    ("6.12", "clang", True, False, "debug", "DRM_DEBUG_MM + I915_DEBUG_GEM: their BUG_ONs fire"),
    ("6.12", "gcc", False, True, "release", "i386: unsigned long is 32 bits"),
    ("6.1", "gcc", False, False, "release", "the older tree (19 KUnit cases)"),
    ("6.1", "clang", True, False, "release", "the older tree under ASan+UBSan"),
    ("5.10", "gcc", False, False, "release", "bullseye's 5.10: the 5.5-5.16 era, its selftests"),
    ("7.2", "gcc", False, False, "release", "sid's 7.2"),
     ("newest", "clang", True, False, "release", "the newest Debian kernel (experimental or sid), ASan+UBSan"),
]

CTEST_SUMMARY = re.compile(r"(\d+)% tests passed, (\d+) tests failed out of (\d+)")


def run_ctest(bdir):
    """Run ctest in `bdir`; returns (passed, failed, output)."""
    p = subprocess.run(["ctest", "--test-dir", bdir, "--output-on-failure", "--timeout", "600"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = CTEST_SUMMARY.search(p.stdout)
    if not m:
        if "No tests were found" in p.stdout:
            return 0, 1, p.stdout + "\n(no tests found: counted as a failure)"
        return 0, 1, p.stdout
    failed, total = int(m.group(2)), int(m.group(3))
    return total - failed, failed, p.stdout


def run_python_tests():
    """The Python tool tests (tests/python/test_*.py), in this interpreter."""
    start = os.path.join(ROOT, "tests", "python")
    if not os.path.isdir(start):
        return 0, 0
    suite = unittest.defaultTestLoader.discover(start, top_level_dir=start)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    return result.testsRun - failed, failed


def run_tests(args):
    rows = [r for r in MATRIX if not args.kernel or r[0] in args.kernel]
    if args.quick:
        rows = rows[:1]
    if not rows:
        raise UsageError("--kernel %s matches no row of the test matrix" % " ".join(args.kernel))
    lifted = {}
    for k in sorted({r[0] for r in rows}):
        try:
            lifted[k] = extract.lift_kernel(k)
        except UsageError as e:
            if "not set up" not in str(e):
                raise
            note("skipping the rows of kernel %s: %s" % (k, e))
    rows = [r for r in rows if r[0] in lifted]
    if not rows:
        raise UsageError("no kernel of the test matrix is set up: run `scripts/vgtfuzz setup`")
    total_pass = total_fail = 0
    t0 = time.time()
    for kernel, cc, san, m32, profile, why in rows:
        cfg = build.Config(lifted[kernel], compiler=cc, sanitize=san, m32=m32, profile=profile)
        t = time.time()
        note("building %s (%s)" % (cfg.name, why))
        bdir = build.build(cfg)
        passed, failed, out = run_ctest(bdir)
        if failed or args.verbose:
            say(out)
        say("%-58s %3d passed, %d failed  (%.0f s)" % (cfg.name, passed, failed, time.time() - t))
        total_pass += passed
        total_fail += failed
    passed, failed = run_python_tests()
    say("%-58s %3d passed, %d failed" % ("python tool tests", passed, failed))
    total_pass += passed
    total_fail += failed
    say("whole suite in %.0f s" % (time.time() - t0))
    say("%d passed, %d failed" % (total_pass, total_fail))
    return 1 if total_fail else 0
