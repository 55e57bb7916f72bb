"""The front door's subcommands. Exit codes: 0 clean, 1 a divergence or failure found, 2 usage or set-up
error (one line), 128 + the signal when interrupted (Ctrl-C 130, SIGHUP 129, SIGTERM 143).

`--build-dir DIR` before the subcommand (or VGTFUZZ_BUILD_DIR=DIR) puts builds and lifts into DIR
instead of the checkout's build/ and extracted/lifted/.

COMMANDS is the one table of subcommands and their options; `corpus` and `bugs` take a verb, whose
table lives beside its code (corpus.VERBS, bugs.VERBS)."""
import os
import signal
import subprocess
import sys

from .common import (EXIT_INTERRUPTED_BASE, EXIT_USAGE, Parser, UsageError, describe_oserror,
                     install_signal_handlers, interrupt_signal, opt, say)
from . import (bench, bugs, build, clean, corpus, covcmd, extract, fuzz, kpatch, lint, ossfuzz, replay, setup,
               testsuite, trees)

KERNEL_HELP = ("kernel tree: %s (Debian's linux-source packages; newest: the highest in experimental or sid "
               "at setup) or a kernel checkout DIR (default %s)" % (" | ".join(trees.NAMES), trees.DEFAULT_KERNEL))
KERNEL = opt("--kernel", default=trees.DEFAULT_KERNEL, help=KERNEL_HELP)
PROFILE = opt("--profile", choices=["release", "debug"], default="release")
M32 = opt("--m32", action="store_true", help="i386 build")
VERBOSE = opt("-v", "--verbose", action="store_true")


def build_or_one_line(cfg, kernel, targets=None, quiet=True):
    """build.build(), but a compile error is one line naming the failing file and line, its first
    error and whose code it is (build.explain_failure): the lifted kernel's against the compat
    layer, with the drift check to run, or ours."""
    try:
        return build.build(cfg, targets=targets, quiet=quiet)
    except UsageError as e:
        line = build.explain_failure(getattr(e, "output", None) or "", kernel) if quiet else None
        if not line:
            raise
        raise UsageError(line) from None


def cmd_lift(args):
    if args.check:
        from . import check
        return check.run_check(args.kernel)
    say(extract.lift_kernel(args.kernel, download=False))
    return 0


def cmd_build(args):
    lifted = extract.lift_kernel(args.kernel)
    if args.preset:
        cfg = build.Config(lifted, preset=args.preset, compiler=args.cc, m32=args.m32 or None, profile=args.profile)
    else:
        cfg = build.Config(lifted, compiler=args.cc, engine=args.engine, sanitize=args.sanitize,
                           m32=args.m32, profile=args.profile or "release")
    say(build_or_one_line(cfg, args.kernel, quiet=not args.verbose))
    return 0


def cmd_kunit(args):
    """The tree's own drm_mm tests, then (for trees after 6.1) 6.1's 19 cases against its drm_mm;
    one closing line over both."""
    import re
    lifted = extract.lift_kernel(args.kernel)
    rec = extract.record(lifted)
    if rec.get("kunit_missing"):
        raise UsageError("kernel tree %s has no drm_mm tests (%s): nothing to run"
                         % (rec["tree"], ", ".join(rec["kunit_missing"])))
    cfg = build.Config(lifted, compiler="clang" if args.sanitize else "gcc", sanitize=args.sanitize,
                       m32=args.m32)
    suites = [("kunit_drm_mm", "the tree's own drm_mm tests (%s)" % rec["kernel_version"])]
    if build.kunit61_dir(lifted):
        suites.append(("kunit_drm_mm_61", "6.1's 19-case drm_mm suite against this tree's drm_mm"))
    bdir = build_or_one_line(cfg, args.kernel, targets=[t for t, _ in suites])
    options = ["--timeout", str(args.timeout)] + (["--filter", args.filter] if args.filter else []) + \
        (["--strict-timing"] if args.strict_timing else [])
    passed = failed = timing = 0
    for target, what in suites:
        say("# %s: %s" % (target, what))
        p = subprocess.run([os.path.join(bdir, "extracted", target)] + options, stdout=subprocess.PIPE, text=True)
        out = p.stdout
        sys.stdout.write(out)
        m = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
        t = re.search(r"^timing: (\d+)$", out, re.M)
        if m:
            passed += int(m.group(1))
            failed += int(m.group(2))
            timing += int(t.group(1)) if t else 0
        elif not ("no case selected" in out or (args.filter and p.returncode == 1 and "1..0" in out)):
            failed += 1
            say("# %s ended without a summary (exit %d): counted as a failure" % (target, p.returncode))
    if timing:
        say("# %d timing-only expectation(s) missed twice: reported as timing, not failed (see above; "
            "--strict-timing fails them)" % timing)
    say("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


def _xevf():
    """The xevf target's front door (docs/xevf.md), imported only when asked for."""
    from . import xevf
    return xevf


def _fuzz(a):
    return _xevf().run_fuzz(a) if a.target == "xevf" else fuzz.run_fuzz(a)


def _replay(a):
    """replay: the xevf target's own replayer, or the balloon/drm_mm one."""
    if (a.target or os.environ.get("VGTFUZZ_TARGET")) == "xevf":
        return _xevf().run_eras(a) if a.eras else _xevf().run_replay(a)
    if a.eras:
        raise UsageError("--eras is for --target xevf only")
    return replay.run_replay(a)


def _kpatch(a):
    if a.target == "xevf":
        from . import xevf_bugs
        return xevf_bugs.run_kpatch(a)
    return kpatch.run_kpatch(a)


# name -> (help, function or a table of verbs, options)
COMMANDS = {
    "fuzz": ("the main job: build, fuzz, triage by signature, write a report", _fuzz, [
        opt("--engine", choices=["libfuzzer", "afl"], default="libfuzzer"), KERNEL,
        opt("--profile", choices=["release", "debug"], default="release",
            help="kernel config: release (as production kernels) or debug (DRM_DEBUG_MM, I915_DEBUG_GEM)"),
        opt("--time", type=int, default=60, help="seconds (default 60)"),
        opt("--jobs", type=int, default=1, help="parallel fuzzers (default 1)"),
        opt("--m32", action="store_true", help="i386 build (libFuzzer only)"),
        opt("--no-sanitize", action="store_true", help="libFuzzer without ASan+UBSan (faster)"),
        opt("--out", help="output directory (default out/<kernel>-<engine>-<profile>)"),
        opt("--report-dir", help="where the report goes (default reports/)"),
        opt("--no-coverage", action="store_true", help="skip the seed-coverage build"),
        opt("--target", choices=["balloon", "drm_mm", "gvt", "xevf"], default="balloon",
            help="balloon (the GVT-g harness, default), drm_mm (the allocator alone: docs/drm_mm.md), gvt (the "
            "lifted host and its guests end to end: docs/gvt.md) or xevf (the Xe SR-IOV VF's GGTT: docs/xevf.md)")]),
    "replay": ("explain test cases: decoded page, both sides op by op, the GGTT picture", _replay, [
        opt("files", nargs="+", metavar="FILE", help="a test case, or a directory of them"), KERNEL, PROFILE,
        opt("--m32", action="store_true", help="replay in the i386 build"),
        opt("--plain", action="store_true", help="gcc build without sanitizers"),
        opt("--target", choices=["balloon", "drm_mm", "gvt", "xevf"],
            help="the fuzz target the file was made for (default $VGTFUZZ_TARGET or balloon)"),
        opt("--png", metavar="DIR", help="also draw each GGTT picture as DIR/<file>.png (gnuplot)"),
        opt("--eras", action="store_true", help="xevf only: the first probe on 6.12 and newest beside the "
            "2025 check and the ABI model; the cases where they disagree")]),
    "kpatch": ("regression-test a kernel patch: every input whose outcome it changes", _kpatch, [
        opt("patch", nargs="?", metavar="PATCH", help="a unified diff to apply with patch -p1"),
        opt("--patched", metavar="DIR", help="an already patched kernel tree (instead of PATCH)"),
        opt("--kernel", default=trees.DEFAULT_KERNEL, help="the baseline tree: 6.12 | 6.1 or a kernel checkout "
            "DIR (default %s)" % trees.DEFAULT_KERNEL),
        opt("--time", type=int, default=120, help="seconds to fuzz the patched tree (default 120; 0: replay only)"),
        opt("--out", help="output directory (default out/kpatch-<name>)"),
        opt("--target", choices=["balloon", "xevf"], default="balloon",
            help="xevf: the Xe SR-IOV VF's GGTT code and corpora (docs/xevf.md)")]),
    "bugs": ("the injected-bug suite: inject, build, detect (see bugs --help)", bugs.VERBS, []),
    "bench": ("measure throughput, time to detect the suite's bugs, coverage (not a test)", bench.run_bench, [
        KERNEL, opt("--trials", type=int, default=5, help="trials per bug and per start (default 5)"),
        opt("--cap", type=int, default=60, help="seconds an empty-corpus trial may take (default 60)"),
        opt("--jobs", type=int, default=2, help="empty-corpus trials at a time (default 2)"),
        opt("--bugs", nargs="+", metavar="NAME", help="only these suite bugs (default: all)"),
        opt("--rate-seconds", type=int, default=20, help="seconds per throughput measurement (default 20)"),
        opt("--coverage-budget", type=int, default=60, help="libFuzzer seconds for the coverage row (default 60)"),
        opt("--throughput", action="store_true", help="only the yardstick: the target against the oracle-free "
            "kernel-only target (fixed -runs, CPU time), instructions per input, kpatch's overhead"),
        opt("--runs", type=int, default=300000, help="--throughput: libFuzzer -runs per round (default 300000)"),
        opt("--rounds", type=int, default=7, help="--throughput: alternating rounds (default 7)"),
        opt("--kpatch-seconds", type=int, default=10,
            help="--throughput: kpatch --time for the overhead measurement (default 10; 0: skip it)"),
        opt("--report-dir", help="--throughput: where the report goes (default reports/)")]),
    "corpus": ("corpus tools: encode, decode, seeds, minimize, merge (see corpus --help)", corpus.VERBS, []),
    "coverage": ("replay corpora in a coverage build: llvm-cov HTML and reports/coverage-*.md", covcmd.run_coverage, [
        KERNEL, opt("--corpus", action="append", help="a corpus directory; repeatable (default: both targets' "
                    "committed corpora and the last libFuzzer campaign's corpus of each)"),
        opt("--target", choices=["balloon", "drm_mm", "gvt"], default="balloon",
            help="the target the --corpus directories were made for (default balloon)"),
        opt("--html", help="HTML output directory (default out/coverage-<kernel>)")]),
    "setup": ("install missing Debian packages and fetch Debian's kernel trees (default: all)", setup.run_setup, [
        opt("--kernel", action="append", metavar="K", help="%s or all; repeatable (default: all)"
            % " | ".join(trees.NAMES)), VERBOSE]),
    "test": ("the whole test suite (the README's second command)", testsuite.run_tests, [
        opt("--kernel", action="append", help="only the matrix rows of this kernel (6.12, 6.1, 5.10, 7.2 or newest)"),
        opt("--preset", action="append", choices=sorted({r[1] for r in testsuite.MATRIX}),
            help="only the matrix rows of this configure preset (CMakePresets.json); repeatable"),
        opt("--quick", action="store_true", help="only the first matrix row and the Python tests"),
        opt("--no-python", action="store_true", help="only the matrix rows, not the Python tool tests"),
        opt("-v", "--verbose", action="store_true", help="show every test's output")]),
    "lift": ("lift a kernel tree into extracted/lifted/ and print where", cmd_lift, [
        KERNEL, opt("--check", action="store_true",
                    help="list, on one screen, what the tree needs that the compat layer lacks")]),
    "build": ("build one configuration and print its build directory", cmd_build, [
        KERNEL, opt("--preset", choices=[n for n in build.preset_names() if n != "oss-fuzz"],
                    help="a configure preset of CMakePresets.json (instead of --engine/--cc/--sanitize; "
                    "oss-fuzz is oss-fuzz-build's)"),
        opt("--engine", choices=["none", "libfuzzer", "afl"], default="none"),
        opt("--cc", help="compiler on top of the preset (default: the preset's)"),
        opt("--sanitize", action="store_true", help="ASan + UBSan"), M32,
        opt("--profile", choices=["release", "debug"], help="default: the preset's (release)"), VERBOSE]),
    "oss-fuzz-build": (
        "run oss-fuzz/build.sh as OSS-Fuzz's base-builder would, then check $OUT", ossfuzz.run_oss_fuzz_build, [
            opt("--sanitizer", choices=["address", "undefined", "none"], default="address"),
            opt("--engine", choices=["libfuzzer", "afl"], default="libfuzzer"),
            opt("--arch", choices=["x86_64", "i386"], default="x86_64"),
            opt("--out", help="$OUT (default build/oss-fuzz/<sanitizer>-<engine>-<arch>/out)"),
            opt("--work",
                help="scratch for $SRC, $WORK and the log (default build/oss-fuzz/<sanitizer>-<engine>-<arch>)"),
            opt("--kernel", metavar="DIR", help="a 6.12 kernel checkout to use as $SRC/linux (default: none, so "
                "build.sh takes Debian's linux-source-6.12)"),
            opt("-v", "--verbose", action="store_true", help="show build.sh's output")]),
    "clean": ("remove lifts and builds no current build uses (--lifts, --builds: all)", clean.run_clean, [
        opt("--lifts", action="store_true", help="every lift, also those the build directories use"),
        opt("--builds", action="store_true", help="every build directory (and bug/kpatch variant)"),
        opt("-n", "--dry-run", action="store_true", help="only list what would go")]),
    "lint": ("clang-format, flake8, mypy and shellcheck over our files (what CI runs)", lint.run_lint, [
        opt("--fix", action="store_true", help="rewrite our C with clang-format -i (nothing else is changed)")]),
    "oss-fuzz-project": (
        "write projects/vgtfuzz/ for google/oss-fuzz (project.yaml with this repository's URL and maintainer, "
        "Dockerfile, build.sh)", ossfuzz.run_oss_fuzz_project, [
            opt("dir", metavar="DIR", help="where to write project.yaml, Dockerfile and build.sh"),
            opt("--repo", help="the project's git URL (default: git remote get-url origin)"),
            opt("--contact", help="primary_contact (default: git config user.email)")]),
    "kunit": (
        "run the tree's own drm_mm tests (and 6.1's 19 cases on newer trees) against the lifted drm_mm", cmd_kunit, [
            KERNEL, opt("--sanitize", action="store_true", help="under ASan + UBSan"), M32,
            opt("--timeout", type=int, default=300, help="seconds per case (default 300, as KUnit)"),
            opt("--filter", help="only cases whose name contains this"),
            opt("--strict-timing", action="store_true",
                help="a timing-only expectation missed twice fails its case (default: reported as timing)")]),
}


def _add(sub, table):
    for name, (text, what, options) in table.items():
        s = sub.add_parser(name, help=text, description=text)
        if isinstance(what, dict):      # a subcommand that takes a verb
            _add(s.add_subparsers(dest="verb", metavar="VERB", parser_class=Parser), what)
            s.set_defaults(verbs=", ".join(what))
        else:
            s.set_defaults(func=what)
        for flags, kw in options:
            s.add_argument(*flags, **kw)


def parser():
    p = Parser(prog="vgtfuzz", description="Differential fuzzing of the i915 GVT-g GGTT balloon.",
               epilog="--build-dir DIR (or VGTFUZZ_BUILD_DIR=DIR): builds and lifts go to DIR, not to the "
                      "checkout's build/ and extracted/lifted/. Exit codes: 0 clean, 1 a finding, 2 usage or "
                      "set-up error, 128 + the signal when interrupted (130, 129, 143).")
    _add(p.add_subparsers(dest="cmd", metavar="SUBCOMMAND", parser_class=Parser), COMMANDS)
    return p


def _error(msg):
    print("vgtfuzz: error: %s" % msg, file=sys.stderr, flush=True)
    return EXIT_USAGE


def _stdout_gone():
    """stdout's reader went away (`| head`): send the rest of our output nowhere."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv):
    install_signal_handlers()
    argv = list(argv)
    while argv and argv[0].partition("=")[0] == "--build-dir":     # --build-dir DIR or --build-dir=DIR
        _, eq, value = argv.pop(0).partition("=")
        if not eq:
            value = argv.pop(0) if argv else ""
        if not value:
            return _error("--build-dir needs a directory (see --help)")
        os.environ["VGTFUZZ_BUILD_DIR"] = os.path.abspath(value)
    try:
        if argv[:1] == ["bugs"] and "xevf" in argv[1:] and "--target" in argv[1:]:
            from . import xevf_bugs     # the xevf target's own suite (docs/xevf.md)
            return xevf_bugs.main(argv[1:])
        args = parser().parse_args(argv)
        if getattr(args, "verbs", None) and not getattr(args, "func", None):
            return _error("`vgtfuzz %s` needs a verb: %s (see `vgtfuzz %s --help`)" % (args.cmd, args.verbs, args.cmd))
        if not getattr(args, "func", None):
            parser().print_help()
            return EXIT_USAGE
        return args.func(args)
    except UsageError as e:
        return _error(e)
    except KeyboardInterrupt as e:
        sig = interrupt_signal(e)
        print("vgtfuzz: interrupted (%s)" % signal.Signals(sig).name, file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED_BASE + sig
    except BrokenPipeError:
        _stdout_gone()    # `corpus decode ... | head`, `bugs list | head`: done; elsewhere output went missing
        return 0 if argv[:1] in (["corpus"], ["bugs"]) else _error("output closed early (broken pipe)")
    except RecursionError:
        return _error("input nested too deeply")
    except OSError as e:
        return _error(describe_oserror(e))
