"""Variants of a kernel tree, built fast: what the bug suite (bugs.py) and kpatch need.

- `copy_tree(src, dst)`: a writable copy of just the paths the extractor reads (plus any extra).
- `apply_patch(tree, patch)`: `patch -p1` into such a copy (the files it touches are copied first).
- `lifted_changes(a, b)`: the lifted files (LIFTED.json) that differ between two lifts.
- `quick_build(base_cfg, lifted, out_dir, target)`: the harness binary `target` for another lift,
  a CMake build of the base configuration's preset with the variant's options as cache entries.
"""
import json
import os
import re
import shutil
import subprocess

from .common import UsageError
from . import build, manifest


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
    out = []
    for m in re.finditer(r"^(?:\+\+\+|---) (\S+)", patch_text, re.M):
        p = m.group(1)
        if p == "/dev/null":
            continue
        parts = p.split("/", 1)
        if len(parts) == 2 and parts[1] not in out:
            out.append(parts[1])
    return out


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
    with open(os.path.join(lifted, "LIFTED.json")) as f:
        return {rel: v["sha256"] for rel, v in json.load(f)["files"].items()}


def lifted_changes(a, b):
    """Relative paths whose content differs between the lifts `a` and `b` (or exists in one only)."""
    fa, fb = lifted_files(a), lifted_files(b)
    return sorted(rel for rel in set(fa) | set(fb) if fa.get(rel) != fb.get(rel))


# --- variant builds ---------------------------------------------------------------------------

def quick_build(base_cfg, lifted, out_dir, target="vgtfuzz-standalone", force_include=None, runtime=()):
    """Build `target` for the lift `lifted` with the preset and options of `base_cfg`, in its own
    CMake build directory `out_dir`: VGTFUZZ_FORCE_INCLUDE (`-include` into every lifted kernel
    object) and VGTFUZZ_EXTRA_SOURCES (`runtime`, C files of ours compiled into kgtt) are cache
    entries of that build. Only `target` and what it links are built; what does not depend on the
    lift (impl/, the harness) comes out of ccache. Returns the path of the binary."""
    defines = dict(base_cfg.defines, VGTFUZZ_FORCE_INCLUDE=force_include or "",
                   VGTFUZZ_EXTRA_SOURCES=";".join(os.path.abspath(r) for r in runtime))
    cfg = build.Config(lifted, preset=base_cfg.preset, defines=defines)
    bdir = build.build(cfg, targets=[target], bdir=out_dir)
    return os.path.join(bdir, "harness", target)


def variant_dir(kind, lifted, base_cfg, target):
    """Where quick_build builds a variant: build/<kind>/<lift id>--<base config>--<target>."""
    return os.path.join(build.build_root(), kind, "%s--%s--%s" % (os.path.basename(lifted), base_cfg.name, target))
