"""`vgtfuzz oss-fuzz-build`: OSS-Fuzz's build and build check, without Docker.

Sets up the environment OSS-Fuzz's base-builder gives a project's build.sh (SRC, WORK, OUT, CC, CXX,
CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, ARCHITECTURE, ...; the flag sets of
infra/base-images/base-builder and its `compile`, `compile_libfuzzer` and `compile_afl`), runs
oss-fuzz/build.sh with bash, then checks $OUT the way infra/base-images/base-runner/bad_build_check
does: start-up, instrumented edges, sanitizer instrumentation and runtime, architecture, the seed
corpus, plus the files ClusterFuzz picks up next to each target.

Deviations from the real images (this machine is Debian bookworm with clang 14 and AFL++ 4.04c,
not OSS-Fuzz's current clang and AFL++): CXXFLAGS lack `-stdlib=libc++` (our code is C; there is no
libc++ to link here); AFL++ comes from Debian (LIB_FUZZING_ENGINE /usr/lib/afl/libAFLDriver.a) and
compile_afl's random option roulette (CMPLOG, CTX-2, LAF, dictionary) is left out; the base images'
ASAN_OPTIONS are not reproduced (UBSAN_OPTIONS=silence_unsigned_overflow=1 is).
Exit 0: every check passed; 1: a check failed; 2: a set-up problem (one line).
"""
import configparser
import filecmp
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

from .common import ROOT, Lock, UsageError, build_root, note, say
from . import fuzz, trees

BUILD_SH = os.path.join(ROOT, "oss-fuzz", "build.sh")
AFL_DRIVER = "/usr/lib/afl/libAFLDriver.a"  # Debian's afl++ (OSS-Fuzz: /usr/lib/libFuzzingEngine.a)

# The flag sets and thresholds below are a snapshot of OSS-Fuzz's infra (Nov 2026), used only where
# the real ones are not at hand: infra_values() takes SANITIZER_FLAGS_<sanitizer> and
# COVERAGE_FLAGS from the environment (base-builder sets them), and the thresholds from
# bad_build_check itself when it is installed (base-runner's /usr/local/bin) or named by
# $OSS_FUZZ_BAD_BUILD_CHECK (e.g. infra/base-images/base-runner/bad_build_check of a google/oss-fuzz
# checkout), so they cannot drift where they can be read.
# infra/base-images/base-clang: CFLAGS before `compile` adds sanitizer and coverage flags.
BASE_CFLAGS = "-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
# infra/base-images/base-builder/Dockerfile: SANITIZER_FLAGS_<sanitizer>. The -fsanitize set of
# undefined is the -fno-sanitize-recover set plus unsigned-integer-overflow (a coverage signal
# whose reports UBSAN_OPTIONS silences).
UBSAN_FATAL = ("array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,"
               "return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr")
SANITIZER_FLAGS = {
    "address": "-fsanitize=address -fsanitize-address-use-after-scope",
    "undefined": "-fsanitize=%s,unsigned-integer-overflow -fno-sanitize-recover=%s" % (UBSAN_FATAL, UBSAN_FATAL),
    "none": "",
}
COVERAGE_FLAGS = "-fsanitize=fuzzer-no-link"  # libFuzzer's; afl-clang-fast instruments itself
# base-builder's compile_libfuzzer and compile_afl: compilers, engine library, compile_afl's exports.
ENGINE_ENV = {"libfuzzer": dict(CC="clang", CXX="clang++", LIB_FUZZING_ENGINE="-fsanitize=fuzzer"),
              "afl": dict(CC="afl-clang-fast", CXX="afl-clang-fast++", LIB_FUZZING_ENGINE=AFL_DRIVER, AFL_QUIET="1",
                          ASAN_OPTIONS="detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1")}

# infra/base-images/base-runner/bad_build_check: the thresholds infra_values() reads from the
# script itself when it can, and the per-architecture one it does not.
THRESHOLDS = {"MIN_NUMBER_OF_RUNS": 4, "THRESHOLD_FOR_NUMBER_OF_EDGES": 100,
              "ASAN_CALLS_THRESHOLD_FOR_ASAN_BUILD": 1000, "ASAN_CALLS_THRESHOLD_FOR_NON_ASAN_BUILD": 0,
              "UBSAN_CALLS_THRESHOLD_FOR_UBSAN_BUILD": 168}
UBSAN_CALLS_THRESHOLD_FOR_NON_UBSAN_BUILD = {"x86_64": 200, "i386": 280}
BAD_BUILD_CHECK_PATHS = ("/usr/local/bin/bad_build_check",)

# Per --arch: ELF class, e_machine (EM_X86_64, EM_386) and what `file` calls it.
ARCH_ELF = {"x86_64": (64, 62, "x86-64"), "i386": (32, 3, "80386")}
MARKER = ".vgtfuzz-oss-fuzz-out"  # in $OUT: this command may empty it next time
LIBFUZZER_EDGES = re.compile(r"INFO: Loaded \d+ modules?\s+\((\d+) (?:inline 8-bit counters|guards)\)")
AFL_EDGES = re.compile(r"__afl_final_loc = (\d+)")


def infra_values(sanitizer, engine):
    """(sanitizer flags, coverage flags, thresholds dict, where they came from): the real infra's
    where it can be read (see above), else the snapshot."""
    san = os.environ.get("SANITIZER_FLAGS_" + sanitizer, SANITIZER_FLAGS[sanitizer])
    cov = os.environ.get("COVERAGE_FLAGS", COVERAGE_FLAGS) if engine == "libfuzzer" else ""
    thresholds = dict(THRESHOLDS)
    for path in filter(None, (os.environ.get("OSS_FUZZ_BAD_BUILD_CHECK"),) + BAD_BUILD_CHECK_PATHS):
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        found = re.findall(r"^\s*(%s)=(\d+)\s*$" % "|".join(THRESHOLDS), text, re.M)
        thresholds.update((name, int(value)) for name, value in found)
        return san, cov, thresholds, path
    return san, cov, thresholds, "snapshot"


def builder_env(sanitizer, engine, arch, src, work, out):
    """The environment base-builder's `compile` hands to build.sh."""
    san_flags, cov_flags, _, _ = infra_values(sanitizer, engine)
    cflags = " ".join(f for f in ("-m32" if arch == "i386" else "", BASE_CFLAGS, san_flags, cov_flags) if f)
    env = dict(os.environ, SRC=src, WORK=work, OUT=out, SANITIZER=sanitizer, FUZZING_ENGINE=engine,
               ARCHITECTURE=arch, FUZZING_LANGUAGE="c", SANITIZER_FLAGS=san_flags,
               COVERAGE_FLAGS=cov_flags, CFLAGS=cflags, CXXFLAGS=cflags,
               UBSAN_OPTIONS="silence_unsigned_overflow=1")
    env.update(ENGINE_ENV[engine])
    env.pop("VGTFUZZ_PROJECT", None)  # build.sh finds the project at $SRC/vgtfuzz, as in the images
    return env


def check_setup(args):
    """Set-up problems: one line, exit 2."""
    if args.engine == "afl" and args.arch == "i386":
        raise UsageError("AFL++ builds for i386 are not supported (OSS-Fuzz does not build them either): "
                         "use --engine libfuzzer")
    engine_tools = ["clang"] if args.engine == "libfuzzer" else ["afl-clang-fast", "afl-fuzz"]
    for tool in ["bash", "cmake", "make", "python3", "objdump", "nm"] + engine_tools:
        if not shutil.which(tool):
            raise UsageError("%s not found: run `scripts/vgtfuzz setup`" % tool)
    if args.engine == "afl" and not os.path.isfile(AFL_DRIVER):
        raise UsageError("%s not found (Debian's afl++ package): run `scripts/vgtfuzz setup`" % AFL_DRIVER)
    if args.kernel and not os.path.isfile(os.path.join(args.kernel, "Makefile")):
        raise UsageError("--kernel %s: no Makefile at the top, not a kernel tree" % args.kernel)
    if not args.kernel:
        trees.resolve(trees.DEFAULT_KERNEL)  # raises: not set up, run setup


def run_build(env, log_path, verbose):
    with open(log_path, "w") as log:
        p = subprocess.Popen(["bash", "-eux", os.path.join(env["SRC"], "build.sh")],
                             cwd=os.path.join(env["SRC"], "vgtfuzz"), env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace")
        for line in p.stdout:
            log.write(line)
            if verbose:
                sys.stderr.write(line)
        return p.wait()


def fuzz_targets(out):
    """Executables in $OUT, as ClusterFuzz finds them (no extension, not an engine tool)."""
    return [name for name in sorted(os.listdir(out))
            if "." not in name and not name.startswith(("afl-", "llvm-symbolizer"))
            and os.path.isfile(os.path.join(out, name)) and os.access(os.path.join(out, name), os.X_OK)]


def elf_kind(path):
    """(class bits, e_machine) from the ELF header, or None."""
    with open(path, "rb") as f:
        head = f.read(20)
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    return (32 if head[4] == 1 else 64), struct.unpack("<H" if head[5] == 1 else ">H", head[18:20])[0]


def call_counts(exe):
    """Calls into each sanitizer runtime, as bad_build_check counts them (objdump -d)."""
    text = subprocess.run(["objdump", "-d", exe], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, errors="replace").stdout
    return {san: len(re.findall(r"\bcall[lq]?\s+[0-9a-f]+\s+<__%s" % san, text))
            for san in ("asan", "msan", "dfsan", "ubsan")}


def defined_symbols(exe):
    text = subprocess.run(["nm", exe], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return {f[2] for f in (line.split() for line in text.splitlines()) if len(f) == 3 and f[1] in "TtWwDdBbVv"}


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, target, what, detail):
        self.passed += ok
        self.failed += not ok
        say("%s %-20s %-14s %s" % ("PASS" if ok else "FAIL", target, what, detail))


def check_files(chk, out, t):
    """The .dict, .options and seed corpus zip next to target `t`: its [libfuzzer] options when all
    three are right, else None."""
    missing = [f for f in (t + ".dict", t + ".options", t + "_seed_corpus.zip")
               if not os.path.isfile(os.path.join(out, f))]
    if missing:
        chk(False, t, "files", "missing in $OUT: " + ", ".join(missing))
        return None
    problems = []
    from . import xevf      # imported only when asked for, as the front door does (cli._xevf)
    # The xevf target has its own dictionary and corpora (docs/xevf.md); build.sh zips each other
    # target's own corpus: the drm_mm target's is corpus/drm_mm.
    want_dict, dirs = ((xevf.DICT, [xevf.SEEDS, xevf.REGRESSIONS]) if "_xevf" in t
                       else (fuzz.DICT, fuzz.seed_dirs(t[len("vgtfuzz_"):])))
    if not filecmp.cmp(os.path.join(out, t + ".dict"), want_dict, shallow=False):
        problems.append(".dict differs from %s" % os.path.relpath(want_dict, ROOT))
    opts = configparser.ConfigParser()
    try:
        opts.read(os.path.join(out, t + ".options"))
        lf = opts["libfuzzer"]
        if lf.get("dict") != t + ".dict":
            problems.append(".options [libfuzzer] dict is not %s.dict" % t)
        max_len = int(lf.get("max_len", "0"))
    except (configparser.Error, KeyError, ValueError) as e:
        problems.append(".options unreadable: %s" % e)
        max_len = 0
    with zipfile.ZipFile(os.path.join(out, t + "_seed_corpus.zip")) as z:
        names = set(z.namelist())
        for d in dirs:
            for n in os.listdir(d):
                data = pathlib.Path(d, n).read_bytes()
                if n not in names:
                    problems.append("seed %s not in the zip" % n)
                elif z.read(n) != data:
                    problems.append("seed %s differs in the zip" % n)
                elif max_len and len(data) > max_len:
                    problems.append("seed %s longer than max_len %d" % (n, max_len))
    chk(not problems, t, "files", "; ".join(problems[:3]) if problems else
        "%s.dict, %s.options (max_len %d), %s_seed_corpus.zip (%d inputs)" % (t, t, max_len, t, len(names)))
    return None if problems else lf


def check_architecture(chk, exe, t, arch):
    bits, machine, file_says = ARCH_ELF[arch]
    kind = elf_kind(exe)
    desc = "not ELF" if not kind else "ELF %d-bit, e_machine %d" % kind
    ok_file = True
    if shutil.which("file"):
        described = subprocess.run(["file", "-b", exe], stdout=subprocess.PIPE, text=True).stdout
        desc = ",".join(described.split(",")[:2]).strip()
        ok_file = file_says in desc
    chk(kind == (bits, machine) and ok_file, t, "architecture", "%s, %d bytes" % (desc, os.path.getsize(exe)))


def check_sanitizer(chk, exe, t, sanitizer, engine, arch, th):
    n = call_counts(exe)
    syms = defined_symbols(exe)
    has_asan = "__asan_init" in syms
    has_ubsan = any(s.startswith("__ubsan_handle_") for s in syms)
    asan_min, ubsan_min = th["ASAN_CALLS_THRESHOLD_FOR_ASAN_BUILD"], th["UBSAN_CALLS_THRESHOLD_FOR_UBSAN_BUILD"]
    # bad_build_check counts calls in UBSan builds for libFuzzer only (AFL's driver calls ASan's
    # weak poisoning stubs, and AFL UBSan builds are not told apart by counts).
    counted = engine == "libfuzzer"
    rules = {  # (it is wrong, what is wrong) per sanitizer, after the rule for every build
        "address": [(not has_asan, "no ASan runtime (__asan_init)"),
                    (n["asan"] < asan_min, "%d ASan calls < %d" % (n["asan"], asan_min)),
                    (n["ubsan"] > UBSAN_CALLS_THRESHOLD_FOR_NON_UBSAN_BUILD[arch],
                     "%d UBSan calls in an ASan build" % n["ubsan"])],
        "undefined": [(has_asan, "ASan runtime (__asan_init) in an undefined build"),
                      (not has_ubsan, "no UBSan runtime (__ubsan_handle_*)"),
                      (counted and n["asan"] > th["ASAN_CALLS_THRESHOLD_FOR_NON_ASAN_BUILD"],
                       "%d ASan calls in an undefined build" % n["asan"]),
                      (counted and n["ubsan"] < ubsan_min, "%d UBSan calls < %d" % (n["ubsan"], ubsan_min))],
        # No sanitizer declared (bad_build_check has no rule for it): no sanitizer runtime linked.
        "none": [(has_asan, "ASan runtime (__asan_init) in a build without sanitizer"),
                 (has_ubsan, "UBSan runtime (__ubsan_handle_*) in a build without sanitizer")]}
    problems = [what for wrong, what in [(n["msan"] > 3 or n["dfsan"] > 0, "MSan/DFSan instrumentation present")]
                + rules[sanitizer] if wrong]
    runtime = ("__asan_init" if has_asan else "no __asan_init") + (", __ubsan_handle_*" if has_ubsan else "")
    chk(not problems, t, "sanitizer", "; ".join(problems) if problems else
        "%s: %s; calls to __asan* %d, __ubsan* %d" % (sanitizer, runtime, n["asan"], n["ubsan"]))


def run(cmd, env, timeout, cwd=None):
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=timeout)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, out


def last_lines(text, n=3):
    return " | ".join(line.strip() for line in text.strip().splitlines()[-n:])


def _seed_corpus(out, t, tmp):
    """The target's seed corpus zip, unpacked into a new directory under `tmp`."""
    corpus = os.path.join(tmp, t + "-corpus")
    with zipfile.ZipFile(os.path.join(out, t + "_seed_corpus.zip")) as z:
        z.extractall(corpus)
    return corpus


def check_libfuzzer(chk, exe, t, out, env, tmp, th, options):
    rc, log = run([exe, "-seed=1337", "-runs=%d" % th["MIN_NUMBER_OF_RUNS"]], env, 120, cwd=tmp)
    chk(rc == 0 and ("Done %d runs" % th["MIN_NUMBER_OF_RUNS"]) in log, t, "startup",
        "-runs=%d: %s" % (th["MIN_NUMBER_OF_RUNS"], "done" if rc == 0 else "exit %s: %s" % (rc, last_lines(log))))
    m = LIBFUZZER_EDGES.search(log)
    edges = int(m.group(1)) if m else 0
    chk(edges >= th["THRESHOLD_FOR_NUMBER_OF_EDGES"], t, "edges",
        "%d instrumented edges (inline 8-bit counters; need >= %d)" % (edges, th["THRESHOLD_FOR_NUMBER_OF_EDGES"]))
    corpus = _seed_corpus(out, t, tmp)
    # run_fuzzer's arguments for check_seed_corpus, plus the target's .options.
    extra = ["-%s=%s" % (k, os.path.join(out, v) if k == "dict" else v) for k, v in options.items()]
    rc, log = run([exe, "-rss_limit_mb=2560", "-timeout=25", "-runs=0"] + extra + [corpus], env, 300, cwd=tmp)
    m = re.search(r"#(\d+)\s+(?:INITED|DONE)\s+cov: (\d+)", log)
    chk(rc == 0, t, "seed corpus", ("%d inputs replayed, cov %s" % (len(os.listdir(corpus)), m.group(2) if m else "?"))
        if rc == 0 else "exit %s: %s" % (rc, last_lines(log)))


def check_afl(chk, exe, t, out, env, tmp, th):
    corpus = _seed_corpus(out, t, tmp)
    inputs = sorted(os.path.join(corpus, n) for n in os.listdir(corpus))
    nonempty = [p for p in inputs if os.path.getsize(p) > 0]
    first = nonempty[0]
    rc, log = run([exe, first], dict(env, AFL_DEBUG="1"), 60, cwd=tmp)
    m = AFL_EDGES.search(log)
    edges = int(m.group(1)) if m else 0
    chk(edges >= th["THRESHOLD_FOR_NUMBER_OF_EDGES"], t, "edges",
        "%d instrumented edges (__afl_final_loc; need >= %d)" % (edges, th["THRESHOLD_FOR_NUMBER_OF_EDGES"]))
    # bad_build_check runs afl-fuzz for up to 35 s and wants "All set and ready to roll" without
    # "target binary (crashed|terminated)"; a few seconds show the same here.
    afl_env = dict(env, AFL_NO_UI="1", AFL_FORKSRV_INIT_TMOUT="30000", AFL_SKIP_CPUFREQ="1", AFL_NO_AFFINITY="1",
                   AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1")
    in_dir = os.path.join(tmp, t + "-afl-in")
    os.makedirs(in_dir)
    shutil.copy(first, in_dir)
    rc, log = run(["afl-fuzz", "-i", in_dir, "-o", os.path.join(tmp, t + "-afl-out"), "-V", "5",
                   "-x", os.path.join(out, t + ".dict"), "--", exe], afl_env, 90, cwd=tmp)
    ok = "All set and ready to roll" in log and not re.search(r"target binary (crashed|terminated)", log)
    chk(ok, t, "startup", "afl-fuzz -V 5: %s" % ("ready to roll, no start-up crash" if ok else last_lines(log)))
    # Every seed through the driver: libAFLDriver runs the files it is given one by one, printing
    # "Execution successful." after each; it skips empty and unreadable files without a word.
    rc, log = run([exe] + nonempty, env, 300, cwd=tmp)
    done = log.count("Execution successful")
    ok = rc == 0 and done == len(nonempty)
    chk(ok, t, "seed corpus", "%d of %d inputs replayed (%d empty, skipped by the driver)"
        % (done, len(nonempty), len(inputs) - len(nonempty)) if ok
        else "exit %s after %d of %d inputs: %s" % (rc, done, len(nonempty), last_lines(log)))


def _ignore_for_src(d, names):
    """What the project copy in $SRC leaves out: version control, builds, outputs, lifts."""
    d = os.path.abspath(d)
    return {n for n in names if n == "__pycache__" or (d == os.path.join(ROOT, "extracted") and n == "lifted")
            or (d == ROOT and (n in (".git", "out", "work") or n.startswith("build"))
                and os.path.isdir(os.path.join(d, n)))}


def _remove(path):
    """A file, a link or a whole directory."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


SRC_LAYOUT = "copy-1"    # how $SRC/vgtfuzz is made; $WORK from another layout is emptied


def copy_project(dest):
    """$SRC/vgtfuzz as the Dockerfile's COPY makes it: a copy of the checkout's files (not a link
    to it, which CMake would follow into a $SRC inside the checkout). Times are kept, and so are
    the copy's lifts, so a second build is incremental."""
    if os.path.islink(dest) or (os.path.lexists(dest) and not os.path.isdir(dest)):
        os.remove(dest)
    elif os.path.isdir(dest):
        for name in os.listdir(dest):
            path = os.path.join(dest, name)
            if name == "extracted" and os.path.isdir(path) and not os.path.islink(path):
                for sub in os.listdir(path):
                    if sub != "lifted":
                        _remove(os.path.join(path, sub))
            else:
                _remove(path)
    shutil.copytree(ROOT, dest, symlinks=True, ignore=_ignore_for_src, dirs_exist_ok=True)


def run_oss_fuzz_build(args):
    check_setup(args)
    config = "%s-%s-%s" % (args.sanitizer, args.engine, args.arch)
    root = os.path.abspath(args.work or os.path.join(build_root(), "oss-fuzz", config))
    os.makedirs(root, exist_ok=True)
    with Lock(os.path.join(root, ".vgtfuzz.lock"), "oss-fuzz-build directory %s" % root,
              "wait for it, or pick another --work and --out"):
        return _run_oss_fuzz_build(args, config, root)


def _run_oss_fuzz_build(args, config, root):
    src, work = os.path.join(root, "src"), os.path.join(root, "work")
    out = os.path.abspath(args.out or os.path.join(root, "out"))
    for d in (src, work, out):
        os.makedirs(d, exist_ok=True)
    # $OUT holds this build only (stale targets would be checked otherwise); never empty a directory
    # this command did not fill.
    marker = os.path.join(out, MARKER)
    if os.listdir(out) and not os.path.exists(marker):
        raise UsageError("--out %s is not empty and not an earlier oss-fuzz-build output: pick another" % out)
    for name in os.listdir(out):
        _remove(os.path.join(out, name))
    open(marker, "w").close()
    # $SRC as the Dockerfiles lay it out: the project, build.sh, and a kernel checkout if given.
    copy_project(os.path.join(src, "vgtfuzz"))
    # A CMake cache from another $SRC layout would stop the build: start that $WORK empty.
    layout = pathlib.Path(root, ".vgtfuzz-src-layout")
    if not layout.is_file() or layout.read_text() != SRC_LAYOUT:
        shutil.rmtree(work)
        os.makedirs(work)
        layout.write_text(SRC_LAYOUT)
    for name, target in (("build.sh", BUILD_SH), ("linux", args.kernel and os.path.abspath(args.kernel))):
        path = os.path.join(src, name)
        if os.path.lexists(path):
            os.remove(path)
        if target:
            os.symlink(target, path)

    env = builder_env(args.sanitizer, args.engine, args.arch, src, work, out)
    log_path = os.path.join(root, "build.log")
    note("building %s into %s (log: %s)" % (config, out, log_path))
    chk = Checks()
    rc = run_build(env, log_path, args.verbose)
    if rc != 0:
        with open(log_path) as f:
            chk(False, "build.sh", "build", "exit %d: %s (log: %s)" % (rc, last_lines(f.read()), log_path))
        say("%d passed, %d failed" % (chk.passed, chk.failed))
        return 1
    _, _, th, source = infra_values(args.sanitizer, args.engine)
    chk(True, "build.sh", "build", "exit 0, CFLAGS=%s (bad_build_check thresholds: %s)" % (env["CFLAGS"], source))
    targets = fuzz_targets(out)
    chk(all(t in targets for t in ("vgtfuzz_balloon", "vgtfuzz_drm_mm", "vgtfuzz_gvt", "vgtfuzz_xevf")),
        "$OUT", "targets", ", ".join(targets) or "none")
    run_env = {k: v for k, v in env.items() if k not in ("AFL_QUIET", "ASAN_OPTIONS")}
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-ossfuzz-check-", ignore_cleanup_errors=True) as tmp:
        for t in targets:
            exe = os.path.join(out, t)
            options = check_files(chk, out, t)
            check_architecture(chk, exe, t, args.arch)
            check_sanitizer(chk, exe, t, args.sanitizer, args.engine, args.arch, th)
            if options is None:
                continue
            if args.engine == "libfuzzer":
                check_libfuzzer(chk, exe, t, out, run_env, tmp, th, options)
            else:
                check_afl(chk, exe, t, out, run_env, tmp, th)
    say("%d passed, %d failed" % (chk.passed, chk.failed))
    return 1 if chk.failed else 0


def _git(*args):
    p = subprocess.run(["git", "-C", ROOT] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


def run_oss_fuzz_project(args):
    """projects/vgtfuzz/ for google/oss-fuzz: oss-fuzz/'s files with where the project lives."""
    repo = args.repo or _git("remote", "get-url", "origin")
    contact = args.contact or _git("config", "user.email")
    if not repo or not re.match(r"^(https://|git@)", repo):
        raise UsageError("no public repository URL (git remote origin: %r): pass --repo https://..." % repo)
    if not contact or "@" not in contact or contact.endswith((".example", "@example.org", "@example.com")):
        raise UsageError("no maintainer e-mail (git config user.email: %r): pass --contact ADDRESS" % contact)
    homepage = re.sub(r"\.git$", "", re.sub(r"^git@([^:]+):", r"https://\1/", repo))
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(ROOT, "oss-fuzz", "project.yaml")) as f:
        body = "".join(line for line in f if not line.startswith("#"))
    pathlib.Path(args.dir, "project.yaml").write_text(
        'homepage: "%s"\nmain_repo: "%s"\nprimary_contact: "%s"\n%s' % (homepage, repo, contact, body))
    docker = pathlib.Path(ROOT, "oss-fuzz", "Dockerfile").read_text()
    pathlib.Path(args.dir, "Dockerfile").write_text(docker.replace("ARG VGTFUZZ_REPO\n",
                                                                   "ARG VGTFUZZ_REPO=%s\n" % repo))
    shutil.copy2(BUILD_SH, os.path.join(args.dir, "build.sh"))
    say(args.dir)
    return 0
