"""`vgtfuzz test`: the whole suite, across the build matrix, ending with `N passed, N failed`."""
import contextlib
import os
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET

from .common import ROOT, UsageError, note, say
from . import build, extract, xevf_lift

# The matrix: every configuration the suite builds and runs ctest in, as (kernel, configure preset
# of CMakePresets.json, why). The default tree gets the whole matrix, 6.1 two rows; every other
# supported Debian tree one quick row (gcc): it builds everything, replays the seeds and
# regressions and runs its drm_mm tests (and 6.1's 19 cases on trees after 6.1), so the day a new
# Debian kernel breaks the lift, the suite says so.
MATRIX = [
    ("6.12", "gcc", "the default tree, as a production kernel builds it"),
    ("6.12", "asan", "ASan+UBSan"),
    ("6.12", "asan-debug", "DRM_DEBUG_MM + I915_DEBUG_GEM: their BUG_ONs fire"),
    ("6.12", "gcc-i386", "i386: unsigned long is 32 bits"),
    ("6.12", "libfuzzer-asan", "the fuzz build (the bug suite builds it too): impl_fuzz_libfuzzer"),
    ("6.1", "gcc", "the older tree (19 KUnit cases)"),
    ("6.1", "asan", "the older tree under ASan+UBSan"),
    ("5.10", "gcc", "bullseye's 5.10: the 5.5-5.16 era, its selftests"),
    ("7.2", "gcc", "sid's 7.2"),
    ("newest", "asan", "the newest Debian kernel (experimental or sid), ASan+UBSan"),
]
# The rows that also build the xevf target (docs/xevf.md) on the same tree, with its lift as
# VGTFUZZ_XEVF_DIR, so ctest runs xevf-corpus-replay there: one per xevf era (6.12's balloons,
# 7.x's base), each in a row that already builds that tree. xevf is 64-bit only.
XEVF_ROWS = {("6.12", "gcc"), ("newest", "asan")}


def row_config(kernel, preset, lifted):
    """(build.Config, xevf era or None) of a matrix row on the lift `lifted` of `kernel`: with the
    tree's xevf lift as VGTFUZZ_XEVF_DIR in the XEVF_ROWS."""
    if (kernel, preset) not in XEVF_ROWS:
        return build.Config(lifted, preset=preset), None
    xl, base, era = xevf_lift.lift_kernel(kernel)
    return build.Config(base, preset=preset, defines={"VGTFUZZ_XEVF_DIR": xl}), era


def run_ctest(preset, bdir):
    """ctest in `bdir` with the test preset's options; returns (passed, failed, output). The counts
    come from ctest's JUnit file, the verdict from its exit status."""
    junit = os.path.join(bdir, "ctest-junit.xml")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(junit)
    p = subprocess.run(build.ctest_args(preset, bdir, junit), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    try:
        suite = ET.parse(junit).getroot()
        total = int(suite.get("tests", "0"))
        failed = int(suite.get("failures", "0")) + int(suite.get("errors", "0"))
    except (OSError, ET.ParseError, ValueError):
        total = failed = 0
    if p.returncode != 0 and not failed:
        failed = 1      # no tests, a crash of ctest itself, an unreadable JUnit file: still a failure
        p.stdout += "\n(ctest exited %d)" % p.returncode
    return total - min(failed, total), failed, p.stdout


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
    rows = [r for r in MATRIX if (not args.kernel or r[0] in args.kernel) and (not args.preset or r[1] in args.preset)]
    if args.quick:
        rows = rows[:1]
    if not rows:
        raise UsageError("--kernel/--preset %s matches no row of the test matrix"
                         % " ".join((args.kernel or []) + (args.preset or [])))
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
    for kernel, preset, why in rows:
        t = time.time()
        try:
            cfg, era = row_config(kernel, preset, lifted[kernel])
        except UsageError as e:     # a set-up tree whose xe code does not lift: a failure, the row still runs
            say("%-58s the xevf lift failed: %s" % ("%s %s" % (kernel, preset), e))
            total_fail += 1
            cfg, era = build.Config(lifted[kernel], preset=preset), None
        if era:
            why += "; and the xevf target (%s)" % era
        note("building %s (%s)" % (cfg.name, why))
        bdir = build.build(cfg)
        passed, failed, out = run_ctest(preset, bdir)
        if failed or args.verbose:
            say(out)
        say("%-58s %3d passed, %d failed  (%.0f s)" % (cfg.name, passed, failed, time.time() - t))
        total_pass += passed
        total_fail += failed
    if args.no_python:
        say("python tool tests: not run (--no-python)")
    else:
        passed, failed = run_python_tests()
        say("%-58s %3d passed, %d failed" % ("python tool tests", passed, failed))
        total_pass += passed
        total_fail += failed
    say("whole suite in %.0f s" % (time.time() - t0))
    say("%d passed, %d failed" % (total_pass, total_fail))
    return 1 if total_fail else 0
