"""Configure and build one configuration of the project with CMake, in build/<name>/."""
import json
import os
import shutil

from .common import BUILD, ROOT, UsageError, note, run


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
        return os.path.join(BUILD, self.name)

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


def _newest_cmake_file():
    newest = 0.0
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if not x.startswith(".") and x not in ("build", "out", "lifted")]
        for f in files:
            if f == "CMakeLists.txt" or f.endswith(".cmake"):
                newest = max(newest, os.path.getmtime(os.path.join(d, f)))
    return newest


def build(cfg, targets=None, quiet=True):
    """Configure (once) and build `targets` (default: all). Returns the build directory."""
    os.makedirs(cfg.dir, exist_ok=True)
    env = dict(os.environ, AFL_LLVM_CMPLOG="1") if cfg.cmplog else None
    stamp = os.path.join(cfg.dir, "vgtfuzz-config.json")
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
        run(["cmake", "-S", ROOT, "-B", cfg.dir] + cfg.cmake_args(), quiet=quiet, env=env)
        with open(stamp, "w") as f:
            f.write(want)
    cmd = ["cmake", "--build", cfg.dir, "-j", str(os.cpu_count() or 2)]
    for t in targets or []:
        cmd += ["--target", t]
    run(cmd, quiet=quiet, env=env)
    return cfg.dir
