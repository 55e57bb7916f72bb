"""Configure and build one configuration of the project with CMake, in build/<name>/ (or under
VGTFUZZ_BUILD_DIR, or in the cache when the checkout is read-only: common.build_root()).

Each configuration is locked (flock on <build root>/<name>.lock) while it is configured and built:
a second vgtfuzz building the same configuration waits for the first, saying whose PID it waits for."""
import json
import os
import shutil

from .common import CHECKOUT_BUILD, ROOT, Lock, UsageError, atomic_write, build_root, note, run, writable


class Config:
    """One build: which kernel, compiler, engine, sanitizers, word size, profile."""

    def __init__(self, lifted, compiler="gcc", engine="none", sanitize=False, m32=False,
                 profile="release", coverage=False, cmplog=False):
        self.lifted = lifted
        self.compiler = compiler
        self.engine = engine
        self.sanitize = sanitize
        self.m32 = m32
        self.profile = profile
        self.coverage = coverage
        self.cmplog = cmplog    # AFL++'s CMPLOG twin: afl-clang-fast with AFL_LLVM_CMPLOG=1
        if engine in ("libfuzzer",) or sanitize or coverage:
            if compiler == "gcc" and (engine == "libfuzzer" or coverage):
                self.compiler = "clang"
        if engine == "afl":
            self.compiler = "afl-clang-fast"

    @property
    def kernel_id(self):
        return os.path.basename(self.lifted) if self.lifted else "nokernel"

    @property
    def name(self):
        parts = [self.kernel_id, self.compiler, self.engine, self.profile]
        if self.sanitize:
            parts.append("asan")
        if self.m32:
            parts.append("i386")
        if self.coverage:
            parts.append("cov")
        if self.cmplog:
            parts.append("cmplog")
        return "-".join(parts)

    @property
    def dir(self):
        return os.path.join(build_root(), self.name)

    def describe(self):
        return {"kernel": self.kernel_id, "compiler": self.compiler, "engine": self.engine,
                "profile": self.profile, "sanitize": self.sanitize, "arch": "i386" if self.m32 else "x86_64",
                "coverage": self.coverage}

    def cmake_args(self):
        cc = shutil.which(self.compiler)
        if not cc:
            raise UsageError("compiler %s not found: run `scripts/vgtfuzz setup`" % self.compiler)
        return ["-DCMAKE_C_COMPILER=" + cc, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                "-DVGTFUZZ_ENGINE=" + self.engine,
                "-DVGTFUZZ_SANITIZE=" + ("ON" if self.sanitize else "OFF"),
                "-DVGTFUZZ_M32=" + ("ON" if self.m32 else "OFF"),
                "-DVGTFUZZ_COVERAGE=" + ("ON" if self.coverage else "OFF"),
                "-DVGTFUZZ_KERNEL_PROFILE=" + self.profile,
                "-DVGTFUZZ_KERNEL_DIR=" + (self.lifted or ""),
                "-DVGTFUZZ_KUNIT61_DIR=" + ((self.profile == "release" and not self.m32
                                             and kunit61_dir(self.lifted)) or "")]


_kunit61 = {}


def kunit61_dir(lifted):
    """The 6.1 lift, whose 19-case drm_mm suite also runs against `lifted` when that tree is newer
    than 6.1 and Debian's 6.1 is set up; else None."""
    if not lifted:
        return None
    if lifted not in _kunit61:
        from . import extract, trees
        found = None
        try:
            with open(os.path.join(lifted, "LIFTED.json")) as f:
                version = json.load(f)["kernel_version"]
            major_minor = tuple(int(x) for x in version.split("-")[0].split(".")[:2])
            if major_minor > (6, 1) and trees.cached_deb(trees.DEBIAN_TREES["6.1"][0]):
                found = extract.lift_kernel("6.1")
        except (OSError, ValueError, KeyError, UsageError):
            found = None
        _kunit61[lifted] = found
    return _kunit61[lifted]


SKIP_DIRS = ("build", "out", "lifted", "work")

# Where `cmake --build --target T` leaves T's executable, for using a read-only build as it is.
TARGET_PATHS = {"vgtfuzz-standalone": "harness/vgtfuzz-standalone", "vgtfuzz-libfuzzer": "harness/vgtfuzz-libfuzzer",
                "vgtfuzz-afl": "harness/vgtfuzz-afl", "kunit_drm_mm": "extracted/kunit_drm_mm"}


def _newest(top, want=lambda f: True):
    newest = 0.0
    for d, dirs, files in os.walk(top):
        dirs[:] = [x for x in dirs if not x.startswith(".") and x not in SKIP_DIRS and not x.startswith("build")]
        for f in files:
            if want(f):
                newest = max(newest, os.path.getmtime(os.path.join(d, f)))
    return newest


def _newest_cmake_file():
    return _newest(ROOT, lambda f: f == "CMakeLists.txt" or f.endswith(".cmake"))


def _up_to_date(bdir, cfg, targets):
    """A build we may not write to: usable when it was configured as `cfg` and each target's
    executable is newer than every source file of the project and of the lifted tree."""
    if not targets or any(t not in TARGET_PATHS for t in targets):
        return False
    try:
        with open(os.path.join(bdir, "vgtfuzz-config.json")) as f:
            if f.read() != json.dumps(cfg.cmake_args()):
                return False
        oldest = min(os.path.getmtime(os.path.join(bdir, TARGET_PATHS[t])) for t in targets)
    except OSError:
        return False
    source = lambda f: f.endswith((".c", ".h", ".def", ".cmake")) or f == "CMakeLists.txt"   # noqa: E731
    sources = max(_newest(os.path.join(ROOT, d), source) for d in ("harness", "impl", "extracted", "tests"))
    sources = max(sources, _newest_cmake_file(), _newest(cfg.lifted) if cfg.lifted else 0.0)
    return oldest >= sources


def build(cfg, targets=None, quiet=True):
    """Configure (once) and build `targets` (default: all). Returns the build directory."""
    if not os.environ.get("VGTFUZZ_BUILD_DIR") and not writable(CHECKOUT_BUILD):
        ro = os.path.join(CHECKOUT_BUILD, cfg.name)
        if _up_to_date(ro, cfg, targets):
            return ro
    bdir = cfg.dir
    with Lock(bdir + ".lock", "build configuration %s" % bdir, wait=True):
        return _build(cfg, bdir, targets, quiet)


def _build(cfg, bdir, targets, quiet):
    os.makedirs(bdir, exist_ok=True)
    env = dict(os.environ, AFL_LLVM_CMPLOG="1") if cfg.cmplog else None
    stamp = os.path.join(bdir, "vgtfuzz-config.json")
    want = json.dumps(cfg.cmake_args())
    try:
        with open(stamp) as f:
            configured = f.read() == want
        # A target named on the command line must exist in the generated build system: configure
        # again whenever a CMake file changed since.
        configured = configured and os.path.getmtime(stamp) >= _newest_cmake_file()
    except OSError:
        configured = False
    if not configured:
        note("configuring %s" % cfg.name)
        run(["cmake", "-S", ROOT, "-B", bdir] + cfg.cmake_args(), quiet=quiet, env=env)
        atomic_write(stamp, want)
    cmd = ["cmake", "--build", bdir, "-j", str(os.cpu_count() or 2)]
    for t in targets or []:
        cmd += ["--target", t]
    run(cmd, quiet=quiet, env=env)
    return bdir
