"""`vgtfuzz clean [--lifts] [--builds]`: remove what runs leave behind, in the lift and build
directories this invocation uses (common.lifted_root(), common.build_root()).

- default: the bug suite's and kpatch's variant builds (build/bugs/*, build/kpatch/*: rebuilt on
  the next run) and every lift that no remaining build directory names as its VGTFUZZ_KERNEL_DIR,
  VGTFUZZ_KUNIT61_DIR or VGTFUZZ_XEVF_DIR (one test run leaves a lift per injected bug);
- --lifts: every lift (the next command lifts what it needs again, at the same path);
- --builds: everything in the build root (configurations, variants, oss-fuzz-build's work) but
  the lifts.
A directory whose lock another vgtfuzz holds (a build or lift in progress) is left alone, saying so."""
import contextlib
import fcntl
import os
import re
import shutil

from .common import build_root, lifted_root, note, say

VARIANT_KINDS = ("bugs", "kpatch")
# The cache entries of CMakeLists.txt that name a lift: the balloon target's tree, the 6.1 lift
# whose drm_mm suite also runs, the xevf target's lift (xevf/CMakeLists.txt).
CACHE_PATHS = re.compile(r"^VGTFUZZ_(?:KERNEL|KUNIT61|XEVF)_DIR:PATH=(.+)$", re.M)


def _busy(path):
    """Another process holds path's lock (<path>.lock, as common.Lock takes it)."""
    try:
        fd = os.open(path + ".lock", os.O_RDONLY)
    except OSError:     # no lock file: nobody holds it
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _subdirs(d):
    """The directories in `d`, sorted by name ([] when `d` is not a directory)."""
    names = sorted(os.listdir(d)) if os.path.isdir(d) else []
    return [os.path.join(d, n) for n in names if os.path.isdir(os.path.join(d, n))]


def build_dirs(root):
    """Every CMake build directory under `root`: configurations and, one level down, variants."""
    found = []
    for d in _subdirs(root):
        if os.path.isfile(os.path.join(d, "CMakeCache.txt")):
            found.append(d)
        elif os.path.basename(d) in VARIANT_KINDS:
            found += [v for v in _subdirs(d) if os.path.isfile(os.path.join(v, "CMakeCache.txt"))]
    return found


def lifts_used(dirs):
    used = set()
    for d in dirs:
        try:
            with open(os.path.join(d, "CMakeCache.txt")) as f:
                used |= {os.path.realpath(p.strip()) for p in CACHE_PATHS.findall(f.read()) if p.strip()}
        except OSError:
            pass
    return used


def lifts(root):
    """Lift directories (and leftovers of interrupted lifts) under `root`."""
    return [d for d in _subdirs(root)
            if os.path.exists(os.path.join(d, "LIFTED.json")) or ".tmp-" in os.path.basename(d)]


def _remove(path, dry_run):
    if _busy(path):
        note("kept %s: in use by another vgtfuzz" % path)
        return 0
    if not dry_run:
        shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(path + ".lock")
    say("%s %s" % ("would remove" if dry_run else "removed", path))
    return 1


def run_clean(args):
    broot, lroot = build_root(), lifted_root()
    if args.builds:     # everything in the build root but the lifts (--build-dir DIR keeps them in DIR/lifted)
        doomed = [d for d in _subdirs(broot) if os.path.realpath(d) != os.path.realpath(lroot)]
    else:               # the variants: rebuilt by the next bug-suite or kpatch run
        doomed = [d for k in VARIANT_KINDS for d in _subdirs(os.path.join(broot, k))]
    removed = sum(_remove(d, args.dry_run) for d in doomed)
    kept = [d for d in build_dirs(broot) if not any(d == x or d.startswith(x + os.sep) for x in doomed)]
    used = set() if args.lifts else lifts_used(kept)
    removed += sum(_remove(lift, args.dry_run) for lift in lifts(lroot) if os.path.realpath(lift) not in used)
    say("%d director%s %s; lifts in %s, builds in %s"
        % (removed, "y" if removed == 1 else "ies", "to remove" if args.dry_run else "removed", lroot, broot))
    return 0
