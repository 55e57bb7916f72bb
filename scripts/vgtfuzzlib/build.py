"""Configure and build one configuration of the project: a configure preset of CMakePresets.json
for one lifted kernel tree, in build/<kernel id>-<preset>/ (or under VGTFUZZ_BUILD_DIR, or in the
cache when the checkout is read-only: common.build_root()).

The kernel tree is a cache entry on top of the preset (`cmake --preset P -B DIR
-DVGTFUZZ_KERNEL_DIR=<lift>`), not a user preset: CMake reads CMakeUserPresets.json only from the
source directory, so per-kernel user presets would be one shared, mutable file in the checkout that
concurrent runs (and read-only checkouts) fight over, while -D and -B are per invocation.

Each configuration is locked (flock on <build root>/<name>.lock) while it is configured and built:
a second vgtfuzz building the same configuration waits for the first, saying whose PID it waits for."""
import functools
import json
import os
import re
import shutil
import subprocess

from .common import CHECKOUT_BUILD, ROOT, Lock, UsageError, atomic_write, build_root, note, run, writable

PRESETS_FILE = os.path.join(ROOT, "CMakePresets.json")
STAMP = "vgtfuzz-config.json"     # the cmake command line a build directory was configured with


@functools.lru_cache(maxsize=None)
def _load_presets():
    try:
        with open(PRESETS_FILE) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError("cannot read %s (%s)" % (PRESETS_FILE, e)) from None


def _resolved(kind, name):
    """A preset of `kind` ("configurePresets", "testPresets") with what it inherits merged in."""
    table = {p["name"]: p for p in _load_presets()[kind]}
    if name not in table:
        raise UsageError("no %s preset %r in CMakePresets.json (one of %s)"
                         % (kind[:-7], name, ", ".join(preset_names(kind))))
    parents = table[name].get("inherits", [])
    merged = {}
    for layer in [_resolved(kind, p) for p in ([parents] if isinstance(parents, str) else parents)] + [table[name]]:
        for k, v in layer.items():
            merged[k] = dict(merged.get(k, {}), **v) if isinstance(v, dict) else v
    return merged


def preset_names(kind="configurePresets"):
    return [p["name"] for p in _load_presets()[kind] if not p.get("hidden")]


def preset_cache(preset):
    """The cache entries a configure preset sets."""
    return _resolved("configurePresets", preset).get("cacheVariables", {})


def preset_for(engine="none", sanitize=False, coverage=False, cmplog=False):
    """The configure preset of an engine / sanitizer / coverage choice (compiler, word size and
    profile go on top as cache entries when they differ from the preset's)."""
    if engine == "afl":
        return "afl-cmplog" if cmplog else "afl"
    if engine == "libfuzzer":
        return "libfuzzer-asan" if sanitize else "libfuzzer"
    if coverage:
        return "coverage"
    return "asan" if sanitize else "gcc"


class Config:
    """One build: a lifted kernel tree, a configure preset, and cache entries on top (a compiler,
    profile or word size the preset does not set; a bug variant's forced include and sources).
    The keywords other than `preset` and `defines` pick the preset (preset_for) for callers that
    think in engines and sanitizers."""

    def __init__(self, lifted, compiler=None, engine="none", sanitize=False, m32=None, profile=None,
                 coverage=False, cmplog=False, preset=None, defines=None):
        self.lifted = lifted
        self.preset = preset or preset_for(engine, sanitize, coverage, cmplog)
        # What the caller asks for (None: the preset's choice), kept where it differs from the preset.
        asked = {"CMAKE_C_COMPILER": compiler or None, "VGTFUZZ_M32": None if m32 is None else "ON" if m32 else "OFF",
                 "VGTFUZZ_KERNEL_PROFILE": profile}
        presets_own = dict({"VGTFUZZ_M32": "OFF", "VGTFUZZ_KERNEL_PROFILE": "release"}, **preset_cache(self.preset))
        self.defines = {k: v for k, v in asked.items() if v is not None and v != presets_own.get(k)}
        self.defines.update(defines or {})

    @property
    def kernel_id(self):
        return os.path.basename(self.lifted) if self.lifted else "nokernel"

    def _value(self, key, default):
        return self.defines.get(key, preset_cache(self.preset).get(key, default))

    @property
    def m32(self):
        return self._value("VGTFUZZ_M32", "OFF") == "ON"

    @property
    def profile(self):
        return self._value("VGTFUZZ_KERNEL_PROFILE", "release")

    @property
    def name(self):
        """<kernel id>-<preset>, then what is set on top of the preset."""
        tags = {"CMAKE_C_COMPILER": os.path.basename, "VGTFUZZ_KERNEL_PROFILE": str,
                "VGTFUZZ_M32": {"ON": "i386", "OFF": "x86_64"}.get,
                "VGTFUZZ_XEVF_DIR": os.path.basename}     # the xevf target's lift (docs/xevf.md)
        extra = [tags[k](v) for k, v in sorted(self.defines.items()) if k in tags]
        return "-".join([self.kernel_id, self.preset] + extra)

    @property
    def dir(self):
        return os.path.join(build_root(), self.name)

    def describe(self):
        return {"kernel": self.kernel_id, "preset": self.preset,
                "compiler": os.path.basename(self._value("CMAKE_C_COMPILER", "cc")),
                "engine": self._value("VGTFUZZ_ENGINE", "none"), "profile": self.profile,
                "sanitize": self._value("VGTFUZZ_SANITIZE", "OFF") == "ON", "arch": "i386" if self.m32 else "x86_64",
                "coverage": self._value("VGTFUZZ_COVERAGE", "OFF") == "ON"}

    def cmake_args(self, bdir):
        # Every lift explicitly (an empty VGTFUZZ_XEVF_DIR: no xevf target), so that the presets'
        # $env{...} defaults never leak a caller's environment into a front-door build.
        kunit61 = self.profile == "release" and not self.m32 and kunit61_dir(self.lifted)
        defines = {"VGTFUZZ_XEVF_DIR": "", **self.defines, "VGTFUZZ_KERNEL_DIR": self.lifted or "",
                   "VGTFUZZ_KUNIT61_DIR": kunit61 or ""}
        cc = defines.get("CMAKE_C_COMPILER", preset_cache(self.preset).get("CMAKE_C_COMPILER"))
        if cc and not cc.startswith("$") and not shutil.which(cc):
            raise UsageError("compiler %s not found: run `scripts/vgtfuzz setup`" % cc)
        if not shutil.which("ninja"):
            raise UsageError("ninja not found: run `scripts/vgtfuzz setup` (Debian ninja-build)")
        return ["cmake", "--preset", self.preset, "-S", ROOT, "-B", bdir] + \
            ["-D%s=%s" % kv for kv in sorted(defines.items())]


@functools.lru_cache(maxsize=None)
def kunit61_dir(lifted):
    """The 6.1 lift, whose 19-case drm_mm suite also runs against `lifted` when that tree is newer
    than 6.1 and Debian's 6.1 is set up; else None."""
    if not lifted:
        return None
    from . import extract, trees
    try:
        version = extract.record(lifted)["kernel_version"]
        major_minor = tuple(int(x) for x in version.split("-")[0].split(".")[:2])
        if major_minor > (6, 1) and trees.cached_deb(trees.DEBIAN_TREES["6.1"][0]):
            return extract.lift_kernel("6.1")
    except (OSError, ValueError, KeyError, UsageError):
        pass
    return None


def _configured_as(bdir, want):
    """Was `bdir` configured with the command line `want` (json.dumps(cfg.cmake_args(bdir)))?"""
    try:
        with open(os.path.join(bdir, STAMP)) as f:
            return f.read() == want
    except OSError:
        return False


def _up_to_date(bdir, cfg, targets):
    """A build we may not write to: usable when it was configured as `cfg` and Ninja, asked for a
    dry run, has nothing to do for `targets` (it knows every dependency, CMake files included)."""
    if not _configured_as(bdir, json.dumps(cfg.cmake_args(bdir))):
        return False
    p = subprocess.run(["ninja", "-C", bdir, "-n"] + list(targets or []), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0 and "no work to do" in p.stdout


def build(cfg, targets=None, quiet=True, bdir=None):
    """Configure (once) and build `targets` (default: all) in `bdir` (default cfg.dir). Returns the
    build directory."""
    if bdir is None and not os.environ.get("VGTFUZZ_BUILD_DIR") and not writable(CHECKOUT_BUILD):
        ro = os.path.join(CHECKOUT_BUILD, cfg.name)
        if _up_to_date(ro, cfg, targets):
            return ro
    bdir = bdir or cfg.dir
    with Lock(bdir + ".lock", "build configuration %s" % bdir, wait=True):
        return build_locked(cfg, bdir, targets, quiet)


def build_locked(cfg, bdir, targets=None, quiet=True):
    """build() for a caller that holds a lock covering `bdir` itself."""
    configure(cfg, bdir, quiet)
    each = [a for t in targets or [] for a in ("--target", t)]
    run(["cmake", "--build", bdir, "-j", str(os.cpu_count() or 2)] + each, quiet=quiet)
    return bdir


def configure(cfg, bdir, quiet=True):
    """Configure `bdir` as `cfg` (once: again only for other options), building nothing; its
    compile_commands.json then says how the build compiles every file. The caller holds a lock
    covering `bdir`, or owns it."""
    os.makedirs(bdir, exist_ok=True)
    cmd = cfg.cmake_args(bdir)
    want = json.dumps(cmd)
    if not (_configured_as(bdir, want) and os.path.exists(os.path.join(bdir, "build.ninja"))):
        # Ninja regenerates build.ninja itself when a CMake file changed (before it looks up the
        # targets asked for); configuring again is only for different options.
        note("configuring %s (preset %s)" % (os.path.basename(bdir), cfg.preset))
        run(cmd, quiet=quiet)
        atomic_write(os.path.join(bdir, STAMP), want)


def ctest_args(preset, bdir, junit):
    """ctest's command line for `bdir` with the options of the test preset `preset`
    (`ctest --preset` would write its Testing/ logs into the preset's own binaryDir)."""
    p = _resolved("testPresets", preset)
    out, ex = p.get("output", {}), p.get("execution", {})
    cmd = ["ctest", "--test-dir", bdir, "--output-junit", junit]
    if out.get("outputOnFailure"):
        cmd.append("--output-on-failure")
    if "timeout" in ex:
        cmd += ["--timeout", str(ex["timeout"])]
    if "noTestsAction" in ex:
        cmd.append("--no-tests=" + ex["noTestsAction"])
    return cmd


# A compiler diagnostic "FILE:LINE[:COL]: [fatal ]error: MESSAGE", an include chain's
# "In file included from FILE:LINE" / "from FILE:LINE", and the unit Ninja was compiling.
_ERROR_RX = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:\d+:)?\s*(?:fatal )?error:\s*(?P<msg>.*)$")
_CHAIN_RX = re.compile(r"^(?:In file included from|\s+from)\s+(?P<file>[^:\s,]+):\d+")
_UNIT_RX = re.compile(r"\s-c\s+(?P<file>\S+\.c)\b")


def _lift_of(path):
    """The lift directory (the one holding LIFTED.json) that `path` lies in, or None."""
    d = os.path.dirname(os.path.realpath(path))
    while d and d != os.path.dirname(d):
        if os.path.isfile(os.path.join(d, "LIFTED.json")):
            return d
        d = os.path.dirname(d)
    return None


def _kernel_side(path):
    """A lifted kernel file, or one of our one-line shims that include one."""
    return _lift_of(path) is not None or path.endswith("-shim.c")


def explain_failure(output, kernel):
    """One line for a failed build's output: whose code does not compile, where, and the first
    error. A lifted kernel file (or a shim, or a compat header reached through one) on the way to
    the first error: the kernel does not build against the compat layer. Otherwise it is our
    code. A link error is named as such. None when the output has no compiler or linker error."""
    lines = output.splitlines()
    unit, chain = None, []
    for l in lines:
        if l.startswith("FAILED:"):
            unit, chain = None, []
            continue
        m = _UNIT_RX.search(l)
        if m and unit is None and not _ERROR_RX.match(l):
            unit = m.group("file")
            continue
        m = _CHAIN_RX.match(l)
        if m:
            chain.append(m.group("file"))
            continue
        m = _ERROR_RX.match(l)
        if not m:
            continue
        path, line, msg = m.group("file"), m.group("line"), m.group("msg").strip()
        real, root = os.path.realpath(path), os.path.realpath(ROOT)
        base = _lift_of(path) or (root if real.startswith(root + os.sep) else None)
        where = os.path.relpath(real, base) if base else path
        first = "%s:%s: %s" % (where, line, msg)
        if any(_kernel_side(f) for f in [path] + chain + ([unit] if unit else [])):
            return ("kernel %s does not build against the compat layer (%s): run `scripts/vgtfuzz lift "
                    "--kernel %s --check` for what it lacks" % (kernel, first[:200], kernel))
        return "our code does not build: %s" % first[:300]
    link = next((l.strip() for l in lines if "undefined reference to" in l or "multiple definition of" in l), None)
    if link:
        return "the build does not link: %s" % link[:300]
    return None
