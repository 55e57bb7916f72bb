"""`vgtfuzz setup`: install what is missing (Debian packages, kernel trees). Idempotent and quiet."""
import os
import shutil
import subprocess

from .common import UsageError, note, say
from . import trees, extract

# Debian package -> why we need it. The one list setup installs from.
PACKAGES = {
    "gcc": "the standalone build and our C",
    "ninja-build": "CMake's generator (every preset but oss-fuzz)",
    "cmake": "the build (CMakePresets.json wants 3.25)",
    "make": "the oss-fuzz preset's generator (as in OSS-Fuzz's images)",
    "ccache": "rebuilding a configuration (and the bug suite's variants) from cache",
    "clang": "libFuzzer, sanitizers, coverage",
    "llvm": "llvm-cov, llvm-profdata, llvm-symbolizer",
    "libclang-rt-14-dev": "the libFuzzer and sanitizer runtimes",
    "afl++": "the AFL++ engine",
    "gcc-multilib": "i386 builds with gcc",
    "g++-multilib": "i386 libFuzzer builds (32-bit libstdc++)",
    "gnuplot-nox": "campaign plots",
    "xz-utils": "unpacking the kernel tarballs",
    "python3": "this front door",
    "flake8": "`vgtfuzz lint`: Python style (setup.cfg)",
    "mypy": "`vgtfuzz lint`: Python types (setup.cfg)",
    "shellcheck": "`vgtfuzz lint`: shell scripts",
    "clang-format": "`vgtfuzz lint`: our C's layout (.clang-format)",
}


def missing_packages():
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\\n"] + list(PACKAGES),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    return [p for p in PACKAGES if p not in installed]


def install_packages():
    if not shutil.which("dpkg-query"):
        raise UsageError("not a Debian system: install %s by hand" % " ".join(PACKAGES))
    missing = missing_packages()
    if not missing:
        return
    cmd = "apt-get update && apt-get install -y " + " ".join(missing)
    if os.geteuid() != 0:
        raise UsageError("missing Debian packages %s: run as root: %s" % (" ".join(missing), cmd))
    note("installing " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq"] + missing):
        p = subprocess.run(step, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise UsageError("`%s` failed: %s" % (" ".join(step), p.stdout.strip().splitlines()[-1:]))


def run_setup(args):
    install_packages()
    kernels = trees.expand(args.kernel or [trees.ALL])
    for k in kernels:
        if k not in trees.NAMES:
            raise UsageError("setup --kernel %s: one of %s or all" % (k, ", ".join(trees.NAMES)))
    got = [(k, trees.resolve(k, download=True)) for k in kernels]  # every download first
    for k, tree in got:
        lifted = extract.lift(tree)
        if args.verbose:
            say("%s: %s" % (k, lifted))
    return 0
