"""Variants of a kernel tree, built fast: what the bug suite (bugs.py) and kpatch need.

- `copy_tree(src, dst)`: a writable copy of just the paths the extractor reads (plus any extra).
- `apply_patch(tree, patch)`: `patch -p1` into such a copy (the files it touches are copied first).
- `lifted_changes(a, b)`: the lifted files (LIFTED.json) that differ between two lifts.
- `quick_build(base_cfg, lifted, out_dir, target)`: the harness binary `target` for another lift
  of the same API era, made by recompiling only the kernel objects whose lifted files changed
  (with the base build's own compile flags) and relinking against the base build's archives.
  About a second instead of a full CMake configuration and build.
"""
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess

from .common import ROOT, UsageError
from . import build, manifest

SHIM_INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


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
        raise UsageError("the patch %s does not apply: %s" % (name or patch_file, (why or p.stdout.strip().splitlines()
                                                                         or ["patch exited %d" % p.returncode])[0]))


# --- lifts ------------------------------------------------------------------------------------

def lifted_files(lifted):
    with open(os.path.join(lifted, "LIFTED.json")) as f:
        return {rel: v["sha256"] for rel, v in json.load(f)["files"].items()}


def lifted_changes(a, b):
    """Relative paths whose content differs between the lifts `a` and `b` (or exists in one only)."""
    fa, fb = lifted_files(a), lifted_files(b)
    return sorted(rel for rel in set(fa) | set(fb) if fa.get(rel) != fb.get(rel))


# --- fast builds ------------------------------------------------------------------------------

def _flags(flags_make):
    """(compiler, [args]) of a CMake Makefile-generator flags.make."""
    cc, vals = None, {}
    with open(flags_make) as f:
        for line in f:
            m = re.match(r"# compile C with (\S+)", line)
            if m:
                cc = m.group(1)
            k, sep, v = line.partition(" = ")
            if sep and k in ("C_DEFINES", "C_INCLUDES", "C_FLAGS"):
                vals[k] = shlex.split(v)
    return cc, vals.get("C_DEFINES", []) + vals.get("C_INCLUDES", []) + vals.get("C_FLAGS", [])


def _members(archive):
    return subprocess.run(["ar", "t", archive], stdout=subprocess.PIPE, text=True, check=True).stdout.split()


def _compile(cc, args, src, obj, base_lifted, lifted, extra):
    args = [a.replace(base_lifted, lifted) for a in args]
    p = subprocess.run([cc] + args + list(extra) + ["-c", src, "-o", obj], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        tail = "\n".join(p.stdout.strip().splitlines()[-15:])
        raise UsageError("the lifted code of %s does not compile against the compat headers (%s):\n%s"
                         % (os.path.basename(lifted), os.path.basename(src), tail))


def _stamp_of(paths, extra):
    h = hashlib.sha256(json.dumps(extra, sort_keys=True).encode())
    for p in paths:
        st = os.stat(p)
        h.update(("%s %d %d\n" % (p, st.st_mtime_ns, st.st_size)).encode())
    return h.hexdigest()


def quick_build(base_cfg, lifted, out_dir, target="vgtfuzz-standalone", force_include=None, runtime=()):
    """Build `target` for the lift `lifted` from the CMake build of `base_cfg` (built first if
    needed). Kernel objects that include a changed lifted file are recompiled (all of them, and
    kgtt, when a lifted header changed), with `-include force_include` if given; `runtime` C
    files of ours are compiled and linked in too. Returns the path of the binary."""
    bdir = build.build(base_cfg, targets=[target])
    base_lifted = os.path.realpath(base_cfg.lifted)
    lifted = os.path.realpath(lifted)
    ext = os.path.join(bdir, "extracted")
    groups = {"kernel_lifted": os.path.join(ext, "libkernel_lifted.a"), "kgtt": os.path.join(ext, "libkgtt.a")}
    # The GVT-g host side (the gvt target), when the base tree's host code was lifted.
    if os.path.exists(os.path.join(ext, "libkhost_lifted.a")):
        groups.update(khost_lifted=os.path.join(ext, "libkhost_lifted.a"), khost=os.path.join(ext, "libkhost.a"))
    lifted_groups = ("kernel_lifted", "khost_lifted")
    shim_dirs = {"kernel_lifted": os.path.join(ROOT, "extracted", "shims"),
                 "khost_lifted": os.path.join(ROOT, "extracted", "shims", "host")}
    link_txt = os.path.join(bdir, "harness", "CMakeFiles", target + ".dir", "link.txt")
    exe = os.path.join(out_dir, target)

    changed = lifted_changes(base_lifted, lifted)
    kunit = set(manifest.load()["kunit"]["files"]) | set(manifest.load()["kunit"]["optional"])
    changed = [c for c in changed if c not in kunit]
    srcs = {}   # group -> {member: source}
    for g, archive in groups.items():
        srcs[g] = {}
        for mem in _members(archive):
            src = mem[:-2] if mem.endswith(".o") else mem
            srcs[g][mem] = os.path.join(shim_dirs[g], src) if g in lifted_groups \
                else os.path.join(ROOT, "extracted", src)
    rebuild = {g: set() for g in groups}
    shim_sources = set()
    for g in (g for g in lifted_groups if g in groups):
        for mem, src in srcs[g].items():
            with open(src) as f:
                incs = set(SHIM_INCLUDE.findall(f.read()))
            shim_sources |= incs
            if incs & set(changed):
                rebuild[g].add(mem)
    if any(c not in shim_sources for c in changed):     # a header (or macros.h): everything
        rebuild = {g: set(srcs[g]) for g in groups}

    # The harness's own archives are linked as they are: a change there (a rebuilt base) must
    # relink the variant too.
    harness_libs = sorted(glob.glob(os.path.join(bdir, "harness", "*.a")) + glob.glob(os.path.join(bdir, "impl", "*.a")))
    inputs = [link_txt] + list(groups.values()) + harness_libs + [s for g in srcs.values() for s in g.values()] + \
        list(runtime)
    if force_include:
        inputs.append(force_include)
    stamp = _stamp_of(inputs, {"lifted": lifted, "rebuild": {g: sorted(v) for g, v in rebuild.items()},
                               "force_include": force_include, "runtime": list(runtime)})
    stamp_path = os.path.join(out_dir, target + ".stamp")
    try:
        with open(stamp_path) as f:
            if f.read() == stamp and os.path.exists(exe):
                return exe
    except OSError:
        pass
    final_dir, out_dir = out_dir, "%s.tmp%d" % (out_dir, os.getpid())
    exe = os.path.join(out_dir, target)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    try:
        _build_into(out_dir, exe, bdir, ext, groups, srcs, rebuild, runtime, force_include, base_lifted, lifted,
                    link_txt, target)
    except BaseException:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    with open(os.path.join(out_dir, target + ".stamp"), "w") as f:
        f.write(stamp)
    # Into place in one step: another process may be building or using the same variant.
    shutil.rmtree(final_dir, ignore_errors=True)
    try:
        os.rename(out_dir, final_dir)
    except OSError:
        return exe      # someone else put theirs there first: use ours where it is
    return os.path.join(final_dir, target)


def _build_into(out_dir, exe, bdir, ext, groups, srcs, rebuild, runtime, force_include, base_lifted, lifted,
                link_txt, target):
    archives = {}
    for g, archive in groups.items():
        if not rebuild[g]:
            continue
        cc, args = _flags(os.path.join(ext, "CMakeFiles", g + ".dir", "flags.make"))
        mine = os.path.join(out_dir, os.path.basename(archive))
        shutil.copyfile(archive, mine)
        objs = []
        for mem in sorted(rebuild[g]):
            obj = os.path.join(out_dir, mem)
            extra = ["-include", force_include] if force_include and g in ("kernel_lifted", "khost_lifted") else []
            _compile(cc, args, srcs[g][mem], obj, base_lifted, lifted, extra)
            objs.append(obj)
        subprocess.run(["ar", "r", mine] + objs, cwd=out_dir, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        archives[os.path.basename(archive)] = mine
    extra_objs = []
    if runtime:
        cc, args = _flags(os.path.join(ext, "CMakeFiles", "kgtt.dir", "flags.make"))
        for src in runtime:
            obj = os.path.join(out_dir, os.path.basename(src) + ".o")
            _compile(cc, args, src, obj, base_lifted, lifted, [])
            extra_objs.append(obj)
    with open(link_txt) as f:
        cmd = shlex.split(f.read())
    out, i = [], 0
    while i < len(cmd):
        a = cmd[i]
        if a == "-o":
            out += ["-o", exe]
            i += 2
            continue
        base = os.path.basename(a)
        out.append(archives.get(base, a))
        if a.endswith(".o") and extra_objs:   # the driver's object: ours go right after it
            out += extra_objs
            extra_objs = []
        i += 1
    p = subprocess.run(out, cwd=os.path.join(bdir, "harness"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        raise UsageError("linking %s for %s failed:\n%s" % (target, os.path.basename(lifted), p.stdout.strip()[-2000:]))


def variant_dir(kind, lifted, base_cfg, target):
    """Where quick_build puts a variant's objects: build/<kind>/<lift id>-<base config>-<target>."""
    return os.path.join(build.build_root(), kind, "%s--%s--%s" % (os.path.basename(lifted), base_cfg.name, target))
