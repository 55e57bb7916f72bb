"""The xevf target's lift: the Xe SR-IOV VF's GGTT code, function by function, verbatim.

xevf/manifest.json says what: ABI headers as files, a few macros, and per API era the functions
(6.12's balloon, or 7.x's base). The era is detected first (extract.py's rules: every probe of an
era matches); a tree of no supported era gets one line. drm_mm and rbtree are not lifted again:
the build takes them from the balloon target's lift of the same tree (extract.lift).

Debian trees unpacked for the balloon target hold only extracted/manifest.json's paths; the xe
files are unpacked from the same cached .deb into ~/.cache/vgtfuzz/xevf-trees/<package>/.
Output: <lifted root>/xevf-<version>-<digest>/ with the files at their kernel paths and
fragments/ (each function, xevf_macros.h, xevf_era.h, xevf_fragments.c, xevf_origins.h),
LIFTED.json with every file's provenance. Our own words are only in the generated glue lines.
"""
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from .common import ROOT, UsageError, cache_dir, lifted_root, note
from . import extract, trees

MANIFEST = os.path.join(ROOT, "xevf", "manifest.json")


def load():
    with open(MANIFEST) as f:
        return json.load(f)


def tree_paths(m=None):
    m = m or load()
    paths = ["Makefile", m["needs"]] + m["files"] + m["optional"] + [rel for _, rel in m["macros"]]
    paths += [rel for era in m["eras"] for rel, _ in era["probes"] + era.get("functions", [])]
    return list(dict.fromkeys(paths))


def _xe_tree(tree):
    """A directory holding the xe files of `tree`: the tree itself, or for a Debian tree unpacked
    without them, the same .deb's xe files unpacked beside it."""
    m = load()
    if os.path.exists(os.path.join(tree, m["needs"])) or os.path.exists(os.path.join(tree, "drivers/gpu/drm/xe")):
        return tree
    try:
        deb_name = json.loads(pathlib.Path(tree, ".vgtfuzz-stamp").read_text())["deb"]
    except (OSError, ValueError, KeyError):
        return tree     # a checkout without xe: era detection says so
    deb = os.path.join(cache_dir(), "debs", deb_name)
    pkg = os.path.basename(tree)
    dest = os.path.join(cache_dir(), "xevf-trees", pkg)
    stamp = os.path.join(dest, ".xevf-stamp")
    wanted = tree_paths(m)
    try:
        s = json.loads(pathlib.Path(stamp).read_text())
        if s.get("deb") == deb_name and set(wanted) <= set(s.get("paths", [])):
            return dest
    except (OSError, ValueError):
        pass
    if not os.path.exists(deb):
        raise UsageError("%s: its package %s is not in the cache; run `scripts/vgtfuzz setup`" % (tree, deb_name))
    note("unpacking the xe files of %s" % deb_name)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=pkg + ".tmp-", dir=os.path.dirname(dest)) as tmp:
        dpkg = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
        inner = subprocess.Popen(["tar", "-xO", "./usr/src/%s.tar.xz" % pkg], stdin=dpkg.stdout,
                                 stdout=subprocess.PIPE)
        dpkg.stdout.close()
        subprocess.run(["tar", "-xJ", "-C", tmp, "--ignore-failed-read"] + [pkg + "/" + p for p in wanted],
                       stdin=inner.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        inner.stdout.close()
        inner.wait()
        dpkg.wait()
        if not os.path.isdir(os.path.join(tmp, pkg)):
            raise UsageError("could not unpack the xe files from %s; delete it and run setup again" % deb)
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(os.path.join(tmp, pkg), dest)
    pathlib.Path(stamp).write_text(json.dumps({"deb": deb_name, "paths": wanted}))
    return dest


def detect_era(xt, m=None):
    """The tree's xevf era, or one line saying why there is none."""
    m = m or load()
    supported = ", ".join(e["name"] for e in m["eras"] if e["supported"])
    if extract._read(xt, m["needs"]) is None:
        raise UsageError("kernel tree has no %s: no Xe SR-IOV VF code (Xe VF support is 6.8 and later; "
                         "xevf supports 6.12's balloon and 7.x's base eras)" % m["needs"])
    for era in m["eras"]:
        hits = [extract._probe(xt, rel, rx) for rel, rx in era["probes"]]
        if all(hits):
            if not era["supported"]:
                rel = era["probes"][0][0]
                line, text = hits[0]
                raise UsageError("kernel tree is of xevf era '%s' (decided by %s:%d: %s), which xevf does not "
                                 "support (supported: %s)" % (era["name"], rel, line, text, supported))
            return era
    raise UsageError("kernel tree matches no xevf era (supported: %s): its %s has neither 6.12's "
                     "vf_balloon_ggtt() nor 7.x's xe_ggtt_shift_nodes()" % (supported, m["needs"]))


def find_function(text, name):
    """extract.find_function, plus the kernel's other style: the return type alone on the line
    above a line that starts with the name (`static struct xe_ggtt_node *` / `vf_balloon_ggtt_node(`)."""
    span = extract.find_function(text, name)
    if span:
        return span
    m = re.search(r"^%s\(" % re.escape(name), text, re.M)
    if not m or m.start() == 0:
        return None
    prev = text.rfind("\n", 0, m.start() - 1) + 1
    glued = text[prev:m.start() - 1] + " " + text[m.start():]
    span = extract.find_function(glued, name)
    if not span or span[0] != 0:
        return None
    return prev, prev + span[1]     # the newline became a space: offsets carry over


def lift(tree):
    """Lift the xe VF GGTT code of `tree`. Returns (xevf lift dir, balloon-target lift dir, era)."""
    m = load()
    xt = _xe_tree(tree)
    era = detect_era(xt, m)
    base = extract.lift(tree)           # drm_mm.c, rbtree.c and their headers
    version = trees.kernel_version(tree)
    out, prov, origins, order = {}, {}, [], []
    for rel in m["files"] + m["optional"]:
        data = extract._read(xt, rel)
        if data is None:
            if rel in m["optional"]:
                continue
            raise UsageError("kernel tree %s lacks %s, which xevf lifts" % (tree, rel))
        out[rel], prov[rel] = data, rel
    macros = ["/* Generated by the xevf lifter: macros lifted verbatim (see LIFTED.json). */",
              "#ifndef XEVF_LIFTED_MACROS_H", "#define XEVF_LIFTED_MACROS_H"]
    for name, rel in m["macros"]:
        data = extract._read(xt, rel)
        found = data and extract.find_macro(data.decode("utf-8", "replace"), name)
        if not found:
            raise UsageError("kernel tree %s: no #define %s in %s" % (tree, name, rel))
        macros.append(found)
    out["fragments/xevf_macros.h"] = ("\n".join(macros + ["#endif", ""])).encode()
    prov["fragments/xevf_macros.h"] = "; ".join("%s from %s" % (n, r) for n, r in m["macros"])
    for rel, names in era["functions"]:
        data = extract._read(xt, rel)
        if data is None:
            raise UsageError("kernel tree %s lacks %s (xevf era %s)" % (tree, rel, era["name"]))
        text = data.decode("utf-8", "surrogateescape")
        for name in names:
            span = find_function(text, name)
            if not span:
                raise UsageError("kernel tree %s: no definition of %s() in %s (xevf era %s)"
                                 % (tree, name, rel, era["name"]))
            frag = "fragments/%s.c" % name
            out[frag] = text[span[0]:span[1]].encode("utf-8", "surrogateescape") + b"\n"
            first = text.count("\n", 0, span[0]) + 1
            prov[frag] = "%s:%d-%d" % (rel, first, first + text.count("\n", span[0], span[1]))
            origins.append('XEVF_FRAGMENT("%s", "%s", %d)' % (name, rel, first))
            order.append(name)
    out["fragments/xevf_era.h"] = ("/* Generated by the xevf lifter: the tree's era. */\n#define XEVF_ERA_NAME \"%s\"\n"
                                   "#define %s 1\n#define XEVF_KERNEL_VERSION \"%s\"\n" % (
                                       era["name"], era["define"], version)).encode()
    prov["fragments/xevf_era.h"] = "generated: the era"
    out["fragments/xevf_fragments.c"] = ("".join('#include "%s.c"\n' % n for n in order)
                                         + '#include "xevf_glue.h"\n').encode()
    prov["fragments/xevf_fragments.c"] = "generated: the fragments in manifest order, then our glue"
    out["fragments/xevf_origins.h"] = ("\n".join(origins) + "\n").encode()
    prov["fragments/xevf_origins.h"] = "generated: each fragment's kernel file and first line"

    sums = {rel: hashlib.sha256(d).hexdigest() for rel, d in sorted(out.items())}
    digest = hashlib.sha256(json.dumps(sums, sort_keys=True).encode()).hexdigest()[:10]
    dest = os.path.join(lifted_root(), "xevf-%s-%s" % (version, digest))
    record = {"kernel_version": version, "era": era["name"], "tree": os.path.abspath(tree),
              "xe_tree": os.path.abspath(xt), "base_lift": base,
              "files": {rel: {"sha256": sums[rel], "from": prov[rel]} for rel in sorted(out)}}
    if extract._same_lift(dest, record):     # an identical earlier lift
        return dest, base, era["name"]
    tmp = "%s.tmp-%d" % (dest, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in out.items():
        p = pathlib.Path(tmp, rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    pathlib.Path(tmp, "LIFTED.json").write_text(json.dumps(record, indent=1, sort_keys=True))
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    return dest, base, era["name"]


def lift_kernel(kernel):
    return lift(trees.resolve(kernel, download=False))


if __name__ == "__main__":
    # python3 -m vgtfuzzlib.xevf_lift KERNEL: "<xevf lift> <balloon lift>", what CMake takes as
    # VGTFUZZ_XEVF_DIR and VGTFUZZ_KERNEL_DIR (scripts/oss-fuzz-build.sh). Exit 2 with one line.
    import sys
    if len(sys.argv) != 2:
        sys.exit("usage: python3 -m vgtfuzzlib.xevf_lift KERNEL")
    try:
        print(" ".join(lift_kernel(sys.argv[1])[:2]))
    except UsageError as e:
        print("vgtfuzz: %s" % e, file=sys.stderr)
        sys.exit(2)
