"""Variants of a kernel tree, built fast: what the bug suite (bugs.py) and kpatch need.

- `copy_tree(src, dst)`: a writable copy of just the paths the extractor reads (plus any extra).
- `apply_patch(tree, patch)`: `patch -p1` into such a copy (the files it touches are copied first).
- `lifted_changes(a, b)`: the lifted files (LIFTED.json) that differ between two lifts.
- `quick_build(base_cfg, lifted, out_dir, target)`: the harness binary `target` for another lift,
  a CMake build of the base configuration's preset with the variant's options as cache entries.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess

from .common import Lock, UsageError, atomic_write
from . import build, extract, manifest


# --- trees ------------------------------------------------------------------------------------

def copy_tree(src, dst, extra=()):
    """Copy the manifest's tree paths (and `extra` paths) that exist in `src` to `dst`."""
    for rel in list(manifest.tree_paths()) + list(extra):
        s = os.path.join(src, rel)
        if os.path.isfile(s):
            d = os.path.join(dst, rel)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copy2(s, d)
    return dst


def patch_paths(patch_text):
    """Paths (after -p1) a unified diff touches."""
    found = re.findall(r"^(?:\+\+\+|---) (?!/dev/null(?:\s|$))[^/\s]*/(\S*)", patch_text, re.M)
    return list(dict.fromkeys(found))


def apply_patch(tree, patch_file, name=None):
    """`patch -p1` in `tree`; a patch that does not apply raises UsageError (one line)."""
    if not shutil.which("patch"):
        raise UsageError("`patch` is not installed: apt-get install patch")
    p = subprocess.run(["patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-r", "-",
                        "-i", os.path.abspath(patch_file)], cwd=tree, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        why = [l for l in p.stdout.splitlines() if re.search(r"FAILED|can't find|malformed|Only garbage|"
                                                             r"Reversed|No file to patch|not found", l)]
        first = (why or p.stdout.strip().splitlines() or ["patch exited %d" % p.returncode])[0]
        raise UsageError("the patch %s does not apply: %s" % (name or patch_file, first))


# --- lifts ------------------------------------------------------------------------------------

def lifted_files(lifted):
    return {rel: v["sha256"] for rel, v in extract.record(lifted)["files"].items()}


def lifted_changes(a, b):
    """Relative paths whose content differs between the lifts `a` and `b` (or exists in one only)."""
    fa, fb = lifted_files(a), lifted_files(b)
    return sorted(rel for rel in set(fa) | set(fb) if fa.get(rel) != fb.get(rel))


# --- variant builds ---------------------------------------------------------------------------

def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _sync_lift(lifted, dest):
    """Make `dest` hold the lift `lifted`, rewriting only the files whose content differs (by
    LIFTED.json's sha256): Ninja, which compares times, then rebuilds exactly the objects that
    include a changed file."""
    want = lifted_files(lifted)
    try:
        have = lifted_files(dest)
    except (UsageError, KeyError):
        have = {}
    record = os.path.join(dest, "LIFTED.json")
    if os.path.exists(record):
        os.unlink(record)       # until the end: an interrupted sync leaves no record to trust
    for rel in set(have) - set(want):
        os.unlink(os.path.join(dest, rel))
    for rel in sorted(rel for rel in want if have.get(rel) != want[rel]) + ["LIFTED.json"]:
        d = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copyfile(os.path.join(lifted, rel), d + ".tmp")     # a new mtime, not the lift's
        os.replace(d + ".tmp", d)


def quick_build(base_cfg, lifted, out_dir, target="vgtfuzz-standalone", force_include=None, runtime=()):
    """`target` for the lift `lifted`, built with the preset and options of `base_cfg` plus
    VGTFUZZ_FORCE_INCLUDE (`-include` into every lifted kernel object) and VGTFUZZ_EXTRA_SOURCES
    (`runtime`, C files of ours compiled into kgtt), copied to `out_dir`. Variants of one base
    configuration share one CMake build directory whose kernel tree is synced to each lift in turn,
    so a variant recompiles only the kernel objects its changes reach. A variant's binary is reused
    while its lift and options are the same and the base build's own binary (rebuilt by Ninja
    whenever our sources change) is not newer. Returns the path of the binary."""
    base_exe = os.path.join(build.build(base_cfg, targets=[target]), "harness", target)
    options = {"force_include": force_include and [force_include, sha256_of(force_include)],
               "runtime": [[r, sha256_of(r)] for r in runtime], "base": base_cfg.name, "target": target}
    stamp = json.dumps({"lift": extract.record(lifted)["files"], "options": options}, sort_keys=True)
    exe, stamp_path = os.path.join(out_dir, target), os.path.join(out_dir, target + ".stamp")
    try:
        with open(stamp_path) as f:
            if f.read() == stamp and os.path.getmtime(exe) >= os.path.getmtime(base_exe):
                return exe
    except OSError:
        pass
    key = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:10]
    shared = os.path.join(os.path.dirname(out_dir), "shared--%s--%s" % (base_cfg.name, key))
    kernel = os.path.join(shared, "kernel")
    defines = dict(base_cfg.defines, VGTFUZZ_FORCE_INCLUDE=force_include or "",
                   VGTFUZZ_EXTRA_SOURCES=";".join(os.path.abspath(r) for r in runtime))
    cfg = build.Config(kernel, preset=base_cfg.preset, defines=defines)
    with Lock(shared + ".lock", "variant build %s" % shared, wait=True):
        os.makedirs(kernel, exist_ok=True)
        _sync_lift(lifted, kernel)
        bdir = build.build_locked(cfg, os.path.join(shared, "build"), [target])
        os.makedirs(out_dir, exist_ok=True)
        shutil.copy2(os.path.join(bdir, "harness", target), exe + ".tmp")
        os.replace(exe + ".tmp", exe)
        atomic_write(stamp_path, stamp)
    return exe


def variant_dir(kind, lifted, base_cfg, target):
    """Where quick_build builds a variant: build/<kind>/<lift id>--<base config>--<target>."""
    return os.path.join(build.build_root(), kind, "%s--%s--%s" % (os.path.basename(lifted), base_cfg.name, target))
