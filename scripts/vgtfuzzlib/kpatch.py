"""`vgtfuzz kpatch`: regression-test a kernel patch against its baseline tree.

    vgtfuzz kpatch PATCH [--kernel BASE] [--time S] [--out DIR]
    vgtfuzz kpatch --patched DIR [--kernel BASE] [--time S] [--out DIR]

Lifts the baseline and the patched tree (PATCH applied with `patch -p1` to a copy of BASE). If
the lifted files are identical the patch touches none of the lifted code. Otherwise both trees
replay the committed seeds and regressions (the standalone replayer's JSON: every op's result,
node set, counter and holes, per module), the patched tree is fuzzed for --time seconds, and the
fuzzer's corpus and crashes are replayed on both trees too. Every input whose outcome the patch
changed (the kernel module's trace, or the tree's verdict against the production library) is
reported, grouped by the verdict change or by the first differing field of the kernel trace,
with a reproducer and a before/after view. The Markdown report goes to --out (default
out/kpatch-<name>/). Exit 0: no behaviour change; 1: changes found; 2: usage or set-up error.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import time

from .common import ROOT, Lock, UsageError, atomic_write, note, say
from . import build, campaign, extract, fuzz, replay, testcase, trees, variant

KERNEL_MODULE = "kernel"

# A patch that changes only these lifted files is a drm_mm patch: kpatch fuzzes the drm_mm target
# (allocator ops alone, no vGPU), whose every input reaches drm_mm, and replays both corpora.
DRM_MM_FILES = ("drivers/gpu/drm/drm_mm.c", "include/drm/drm_mm.h", "lib/rbtree.c", "include/linux/rbtree",
                "include/linux/interval_tree_generic.h")

# A patch that changes only the GVT-g host side's lifted files (gvt/aperture_gm.c, the functions
# lifted from gvt/vgpu.c, i915_gem_gtt_insert(), gt/intel_ggtt_fencing.c) is fuzzed on the gvt
# target, the lifted host end to end; every committed corpus is replayed either way.
HOST_FILES = ("drivers/gpu/drm/i915/gvt/", "fragments/host/", "fragments/host_macros.h")


# --- the trees -------------------------------------------------------------------------------

def _split_patch(text):
    """[(target path after -p1 or None, section text)] of a unified diff, one per file."""
    sections = []
    for part in re.split(r"(?m)^(?=diff |--- )", text):
        # "diff ..." header lines and the "--- a/x" that follows belong to one section.
        if part.startswith("--- ") and sections and sections[-1].startswith("diff ") and "\n--- " not in sections[-1]:
            sections[-1] += part
        elif part:
            sections.append(part)
    return [((variant.patch_paths(sec) or [None])[-1], sec) for sec in sections]


def check_patch_paths(patch, text):
    """Refuse, before anything is copied, a patch whose file headers name an absolute path or go
    up with `..`: it would write outside the tree copy."""
    for m in re.finditer(r"(?m)^(?:\+\+\+|---|Index:|rename (?:from|to)|copy (?:from|to)) +([^\t\n]+)", text):
        path = m.group(1).strip().strip('"')
        if path != "/dev/null" and (path.startswith("/") or ".." in re.split(r"[/\\]", path)):
            raise UsageError("the patch %s names %s in a file header: absolute paths and `..` are refused "
                             "(make the patch with paths relative to the kernel tree, a/ and b/)"
                             % (patch, path))


def patched_copy(base, patch, dest):
    """Copy `base` (the lifted paths and whatever the patch touches) to `dest` and apply `patch`.
    Returns the paths of the patch skipped because the base is a partial (unpacked-package) tree."""
    try:
        with open(patch, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    except OSError as e:
        raise UsageError("cannot read the patch %s: %s" % (patch, e.strerror)) from None
    check_patch_paths(patch, text)
    sections = _split_patch(text)
    if not any(p for p, _ in sections):
        raise UsageError("%s is not a unified diff (no ---/+++ file headers)" % patch)
    partial = os.path.exists(os.path.join(base, ".vgtfuzz-stamp"))
    keep, skipped = [], []
    for path, sec in sections:
        new_file = re.search(r"(?m)^(--- /dev/null|@@ -0,0 )", sec) is not None
        if path and partial and not new_file and not os.path.exists(os.path.join(base, path)):
            skipped.append(path)
        else:
            keep.append(sec)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    variant.copy_tree(base, dest, extra=[p for p, _ in sections if p])
    if keep:
        filtered = os.path.join(os.path.dirname(dest), "applied.patch")
        with open(filtered, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("".join(keep))
        variant.apply_patch(dest, filtered, name=patch)
    return skipped


# --- comparing one input ---------------------------------------------------------------------

def _norm(sig):
    """A signature without source line numbers (a patch moves lines without changing behaviour)."""
    return re.sub(r"(\.[ch]):\d+", r"\1:L", sig or "")


def crash_stack(exe, path):
    """Where the process died: the kernel frames down to the harness's call into kgtt."""
    p = subprocess.run([exe, "--crash", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       errors="replace", env=dict(os.environ, UBSAN_OPTIONS="print_stacktrace=1"))
    frames = []
    for fn in re.findall(r"#\d+ 0x[0-9a-f]+ in (\w+)", p.stderr):
        if fn.startswith("__") and not frames:
            continue    # sanitizer runtime frames
        frames.append(fn)
        if fn.startswith(("kgtt_", "vgtf_")) or len(frames) == 6:
            break
    return " <- ".join(frames)


def outcome(exe, r):
    """(verdict line, normalised verdict, kernel trace or None) of replay record `r`
    (replay.replay_inputs())."""
    res, sig, path = r["result"], r["signature"], r["input"]
    if res is None:
        stack = crash_stack(exe, path)
        return "CRASH %s%s" % (sig, " in " + stack if stack else ""), "CRASH " + _norm(sig), None
    f = res["finding"]
    if f is None:
        v, nv = "clean (every oracle holds)", "clean"
    else:
        v = "%s %s" % ("accepted" if f["accepted"] else "FINDING", f["signature"])
        v, nv = v + ": " + f["detail"], _norm(v)
    if "gvt" in res:    # the gvt target: the lifted host's GGTT and the guests' views, op by op
        return v, nv, res["gvt"]
    return v, nv, next((m for m in res["modules"] if m["name"] == KERNEL_MODULE), None)


def _ranges(rs):
    return " ".join("[0x%x +0x%x%s]" % (s, z, "" if c == -1 else " c%d" % c) for s, z, c in rs) or "(none)"


def gvt_first_difference(sc, a, b):
    """(group key, human detail) of the first step where two gvt runs differ: the op's result, the
    host GGTT's nodes, or a live vGPU (its GM, fences, its guest's view)."""
    ops = sc["ops"]
    for x, y in zip(a["steps"], b["steps"]):
        i = x["op"]
        kind = testcase.op_kind(ops[i]) if 0 <= i < len(ops) else "setup"
        what = "op %d (%s)" % (i, testcase.op_summary(ops[i])) if 0 <= i < len(ops) else "set-up"
        for k in ("ret", "host", "vgpus"):
            if x.get(k) != y.get(k):
                return "gvt/%s/%s" % (kind, k), "%s %s: %s -> %s" % (what, k, x.get(k), y.get(k))
    if len(a["steps"]) != len(b["steps"]):
        return "gvt/steps", "%d steps -> %d" % (len(a["steps"]), len(b["steps"]))
    return "gvt/trace", "the runs differ"


def first_difference(sc, a, b):
    """(group key, human detail) of the first field where kernel traces `a` and `b` differ."""
    if "steps" in a:
        return gvt_first_difference(sc, a, b)
    if a.get("pre_ret") != b.get("pre_ret"):
        return "setup/pre_ret", "pre-existing node results %s -> %s" % (a["pre_ret"], b["pre_ret"])
    for d, (x, y) in enumerate(zip(a["setup"], b["setup"])):
        for k in x:
            if x[k] != y.get(k):
                return "setup/" + k, "set-up, device %d %s: %s -> %s" % (d, k, x[k], y.get(k))
    ops = sc["ops"]
    for i, (x, y) in enumerate(zip(a["ops"], b["ops"])):
        kind = testcase.op_kind(ops[i]) if i < len(ops) else "op"
        what = "op %d (%s)" % (i, testcase.op_summary(ops[i]) if i < len(ops) else kind)
        for k in ("status", "ret", "alloc_start", "warns", "evictions"):
            if x.get(k) != y.get(k):
                return "%s/%s" % (kind, k), "%s %s: %s -> %s" % (what, k, x.get(k), y.get(k))
        for d, (dx, dy) in enumerate(zip(x["dev"], y["dev"])):
            for k in ("active", "caps", "nodes", "reserved", "holes", "stack", "structure"):
                fx, fy = dx.get(k), dy.get(k)
                if fx != fy:
                    show = {"nodes": _ranges, "holes": _ranges, "reserved": hex}.get(k, str)
                    return "%s/%s" % (kind, k), "%s device %d %s: %s -> %s" % (what, d, k, show(fx), show(fy))
    if a.get("stopped") != b.get("stopped"):
        return "stopped", "stopped: %r -> %r" % (a.get("stopped"), b.get("stopped"))
    return "trace", "the traces differ"


def compare(bexe, pexe, rb, rp, target):
    """None if the patch did not change this input's outcome, else a change record. rb, rp: the
    input's replay records on the baseline and the patched tree."""
    path = rb["input"]
    vb, nb, tb = outcome(bexe, rb)
    vp, np_, tp = outcome(pexe, rp)
    if nb == np_ and tb == tp:
        return None
    with open(path, "rb") as f:
        data = f.read()
    key, detail = None, ""
    if tb is not None and tp is not None and tb != tp:
        key, detail = first_difference(testcase.decode(data, target), tb, tp)
        key = "kernel trace: " + key
    if nb != np_:
        key = "verdict: %s -> %s" % (nb, np_)
    return {"path": path, "size": len(data), "before": vb, "after": vp, "key": key, "detail": detail,
            "sha": hashlib.sha256(data).hexdigest(), "target": target}


def compare_all(bexe, pexe, jobs):
    """jobs: (file, target) pairs. Each tree replays a target's inputs in as few processes as
    they allow (the replayer's JSON lines), the two trees side by side."""
    by_target = {}
    for f, t in jobs:
        by_target.setdefault(t, []).append(f)
    changes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for t, files in by_target.items():
            base, patched = ex.map(lambda exe: {r["input"]: r for r in replay.replay_inputs(exe, files, t)},
                                   (bexe, pexe))
            changes += [c for c in (compare(bexe, pexe, base[f], patched[f], t) for f in files) if c]
    return changes


# --- the run ---------------------------------------------------------------------------------

def _name(args):
    src = args.patch or args.patched.rstrip("/")
    base = re.sub(r"\.diff\Z", "", re.sub(r"\.patch\Z", "", os.path.basename(src)))
    return re.sub(r"[^\w.-]+", "_", base) or "patch"


def run_kpatch(args):
    if bool(args.patch) == bool(args.patched):
        raise UsageError("kpatch: give either PATCH or --patched DIR")
    if args.time < 0:
        raise UsageError("kpatch: --time must be 0 or more")
    if args.patch and not os.path.isfile(args.patch):
        raise UsageError("kpatch: no such patch file: %s" % args.patch)
    base_tree = trees.resolve(args.kernel)
    name = _name(args)
    out = os.path.abspath(args.out or os.path.join(ROOT, "out", "kpatch-" + name))
    os.makedirs(out, exist_ok=True)
    with Lock(os.path.join(out, ".vgtfuzz.lock"), "output directory %s" % out,
              "wait for that run to finish, or pick another --out DIR"):
        return _run_kpatch(args, base_tree, name, out)


def _run_kpatch(args, base_tree, name, out):
    t0 = time.time()
    skipped = []
    if args.patch:
        patched_tree = os.path.join(out, "patched-tree")
        skipped = patched_copy(base_tree, args.patch, patched_tree)
        if skipped:
            note("the unpacked baseline has only the lifted paths: skipped the patch's changes to %s"
                 % ", ".join(skipped))
    else:
        patched_tree = trees.resolve(args.patched)
    base_lift = extract.lift(base_tree)
    patched_lift = extract.lift(patched_tree)
    changed_files = variant.lifted_changes(base_lift, patched_lift)
    ctx = {"name": name, "base": args.kernel, "base_lift": os.path.basename(base_lift),
           "patched": args.patch or args.patched, "patched_tree": patched_tree,
           "patched_lift": os.path.basename(patched_lift), "changed_files": changed_files, "skipped": skipped}
    if not changed_files:
        say("the patch touches none of the lifted code")
        write_report(out, ctx, [], [], None, 0, time.time() - t0)
        return 0
    say("lifted files the patch changes: %s" % ", ".join(changed_files))

    rcfg = build.Config(base_lift, compiler="clang", sanitize=True)
    note("building the baseline and the patched replayer")
    bexe = os.path.join(build.build(rcfg, targets=["vgtfuzz-standalone"]), "harness", "vgtfuzz-standalone")
    pexe = variant.quick_build(rcfg, patched_lift, variant.variant_dir("kpatch", patched_lift, rcfg, "standalone"),
                               "vgtfuzz-standalone")
    target = "drm_mm" if all(f.startswith(DRM_MM_FILES) for f in changed_files) else "balloon"
    if all(f.startswith(HOST_FILES) for f in changed_files):
        target = "gvt"
    ctx["target"] = target
    jobs = [(f, t) for t in ("balloon", "drm_mm") + (() if extract.host_refused(patched_lift) else ("gvt",))
            for f in fuzz.corpus_files(t)]
    paths = [p for p, _ in jobs]
    note("replaying %d committed inputs on both trees" % len(paths))
    changes = compare_all(bexe, pexe, jobs)
    say("committed corpus: %d inputs replayed on both trees, %d changed" % (len(paths), len(changes)))

    fuzzed, n_fuzz = None, 0
    if args.time > 0:
        fcfg = build.Config(base_lift, engine="libfuzzer", sanitize=True)
        binary = "vgtfuzz-%s-libfuzzer" % target if target in ("drm_mm", "gvt") else "vgtfuzz-libfuzzer"
        fexe = variant.quick_build(fcfg, patched_lift, variant.variant_dir("kpatch", patched_lift, fcfg, binary),
                                   binary)
        fdir = os.path.join(out, "fuzz")
        shutil.rmtree(fdir, ignore_errors=True)     # run_libfuzzer makes it afresh
        note("fuzzing the patched tree (%s target) for %d s" % (target, args.time))
        # Findings do not stop the exploration: an input where the patched kernel disagrees with
        # the production library is exactly one to replay on the baseline.
        fuzzed = fuzz.run_libfuzzer(fexe, fdir, args.time, 0, inputs=fuzz.seed_dirs(target),
                                    env={"VGTFUZZ_KEEP_GOING": "1"})
        # The fuzzer's crashes and corpus, each content once, less what the committed corpora hold.
        found = sorted(fuzzed["crashes"]) + sorted(os.path.join(fdir, "corpus", n)
                                                   for n in os.listdir(os.path.join(fdir, "corpus")))
        seen, new = {variant.sha256_of(p) for p in paths}, []
        for p in found:
            if variant.sha256_of(p) not in seen:
                seen.add(variant.sha256_of(p))
                new.append(p)
        n_fuzz = len(new)
        note("replaying %d fuzzer inputs on both trees" % n_fuzz)
        more = compare_all(bexe, pexe, [(p, target) for p in new])
        say("fuzzing: %d executions in %.0f s, %d new inputs (%d crash files) replayed on both trees, %d changed"
            % (fuzzed["execs"], fuzzed["seconds"], n_fuzz, len(fuzzed["crashes"]), len(more)))
        changes += more

    groups = group(changes, out)
    for g in groups:
        say("CHANGED  %-60s x%d  %s" % (g["key"], g["count"], campaign.rel(g["reproducer"])))
        say("    before: %s" % g["before"])
        say("    after:  %s" % g["after"])
        if g["detail"]:
            say("    first differing op: %s" % g["detail"])
    report = write_report(out, ctx, paths, groups, fuzzed, n_fuzz, time.time() - t0)
    say("report: %s" % report)
    if fuzzed and fuzzed.get("interrupted"):
        # Ctrl-C, SIGTERM or SIGHUP during the fuzzing: what ran is compared and reported, and the
        # exit says the run was cut short (128 + the signal).
        say("interrupted: the fuzzing stopped early; exit %d" % (128 + fuzzed["interrupted"]))
        return 128 + fuzzed["interrupted"]
    if not groups:
        say("no behaviour change: every input has the same kernel trace and verdict on both trees")
        return 0
    say("%d input(s) changed, in %d group(s)" % (len(changes), len(groups)))
    return 1


def group(changes, out):
    groups = {}
    committed = tuple(d + os.sep for t in ("balloon", "drm_mm", "gvt") for d in fuzz.seed_dirs(t))
    # A committed input (it has a name) is the reproducer where there is one, else the smallest.
    for c in sorted(changes, key=lambda c: (not c["path"].startswith(committed), c["size"], c["path"])):
        g = groups.setdefault(c["key"], dict(c, count=0, inputs=[]))
        g["count"] += 1
        g["inputs"].append(c["path"])
    res = sorted(groups.values(), key=lambda g: -g["count"])
    cdir = os.path.join(out, "changes")
    shutil.rmtree(cdir, ignore_errors=True)
    for g in res:
        d = os.path.join(cdir, campaign.bucket_name(g["key"]))
        os.makedirs(d, exist_ok=True)
        repro = os.path.join(d, "reproducer")
        shutil.copyfile(g["path"], repro)
        atomic_write(os.path.join(d, "inputs.txt"), "\n".join(g["inputs"]) + "\n")
        with open(repro, "rb") as f:
            g["decoded"] = testcase.describe(testcase.decode(f.read(), g["target"]))
        g["reproducer"] = repro
    atomic_write(os.path.join(out, "changes.json"),
                 json.dumps([{k: v for k, v in g.items() if k != "decoded"} for g in res], indent=1))
    return res


def write_report(out, ctx, paths, groups, fuzzed, n_fuzz, seconds):
    path = os.path.join(out, "report.md")
    lines = ["# kpatch: %s" % ctx["name"], "",
             "Written by `scripts/vgtfuzz kpatch` on %s in %.0f s." % (
                 time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), seconds), "",
             "| | |", "|---|---|",
             "| baseline | `%s` (lift `%s`) |" % (ctx["base"], ctx["base_lift"]),
             "| patched | `%s` (tree `%s`, lift `%s`) |" % (ctx["patched"], ctx["patched_tree"], ctx["patched_lift"]),
             "| lifted files changed | %s |" % (", ".join("`%s`" % f for f in ctx["changed_files"]) or "none"),
             ]
    if ctx["skipped"]:
        lines.append("| not applied (the unpacked baseline lacks them; not lifted) | %s |"
                     % ", ".join("`%s`" % p for p in ctx["skipped"]))
    if not ctx["changed_files"]:
        lines += ["", "The patch touches none of the lifted code: nothing to test."]
    else:
        lines.append("| committed inputs replayed on both trees | %d |" % len(paths))
        if fuzzed:
            lines.append("| fuzzing the patched tree (%s target) | %d executions in %.0f s; %d new inputs replayed "
                         "on both trees |" % (ctx.get("target", "balloon"), fuzzed["execs"], fuzzed["seconds"], n_fuzz))
        lines += ["| inputs whose outcome changed | %d, in %d group(s) |" % (
                      sum(g["count"] for g in groups), len(groups)),
                  "", "## Changes", ""]
        if not groups:
            lines.append("No behaviour change: every input has the same kernel trace (op results, node sets, "
                         "`reserved`, holes) and the same verdict against the production library on both trees "
                         "(source line numbers in signatures ignored).")
        for g in groups:
            lines += ["### %s" % g["key"], "",
                      "- inputs: %d (all listed in `%s`)" % (g["count"], os.path.relpath(
                          os.path.join(os.path.dirname(g["reproducer"]), "inputs.txt"), out)),
                      "- before (baseline): %s" % g["before"],
                      "- after (patched): %s" % g["after"]]
            if g["detail"]:
                lines.append("- first differing op of the kernel trace: %s" % g["detail"])
            tflag = " --target %s" % g["target"] if g["target"] in ("drm_mm", "gvt") else ""
            lines += ["- reproduce: `scripts/vgtfuzz replay%s %s --kernel %s` (before) and "
                      "`scripts/vgtfuzz replay%s %s --kernel %s` (after)"
                      % (tflag, g["reproducer"], ctx["base"], tflag, g["reproducer"], ctx["patched_tree"]),
                      "- the input was: `%s`" % campaign.rel(g["path"]),
                      "", "```", g["decoded"], "```", ""]
    atomic_write(path, "\n".join(lines) + "\n")
    return path
