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


def build_dirs(root):
    """Every CMake build directory under `root`: configurations and, one level down, variants."""
    found = []
    for top in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        d = os.path.join(root, top)
        if os.path.isfile(os.path.join(d, "CMakeCache.txt")):
            found.append(d)
        elif top in VARIANT_KINDS and os.path.isdir(d):
            found += [os.path.join(d, v) for v in sorted(os.listdir(d))
                      if os.path.isfile(os.path.join(d, v, "CMakeCache.txt"))]
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
    names = sorted(os.listdir(root)) if os.path.isdir(root) else []
    return [os.path.join(root, n) for n in names if os.path.isdir(os.path.join(root, n))
            and (os.path.exists(os.path.join(root, n, "LIFTED.json")) or ".tmp-" in n)]


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
    removed = 0
    if args.builds:     # everything in the build root but the lifts (--build-dir DIR keeps them in DIR/lifted)
        doomed = [os.path.join(broot, n) for n in sorted(os.listdir(broot)) if os.path.isdir(os.path.join(broot, n))
                  and os.path.realpath(os.path.join(broot, n)) != os.path.realpath(lroot)] \
            if os.path.isdir(broot) else []
    else:               # the variants: rebuilt by the next bug-suite or kpatch run
        kinds = [os.path.join(broot, k) for k in VARIANT_KINDS if os.path.isdir(os.path.join(broot, k))]
        doomed = [os.path.join(k, n) for k in kinds for n in sorted(os.listdir(k)) if os.path.isdir(os.path.join(k, n))]
    for d in doomed:
        removed += _remove(d, args.dry_run)
    kept = [d for d in build_dirs(broot) if not any(d == x or d.startswith(x + os.sep) for x in doomed)]
    used = set() if args.lifts else lifts_used(kept)
    for lift in lifts(lroot):
        if os.path.realpath(lift) not in used:
            removed += _remove(lift, args.dry_run)
    say("%d director%s %s; lifts in %s, builds in %s"
        % (removed, "y" if removed == 1 else "ies", "to remove" if args.dry_run else "removed", lroot, broot))
    return 0
