"""`vgtfuzz bugs --target xevf`: the xevf target's injected-bug suite (tests/bugs/xevf_suite.py).

For each bug: a copy of the kernel tree (the balloon target's files plus the xe files) with the
mutation applied inside the named function (the expression must match exactly once), lifted and
built like any tree. Detection, kpatch-style and by the oracles:
  - from the seeds: the committed corpora (corpus/xevf, corpus/xevf-regressions) replayed on the
    baseline and on the mutant; detected when an input's outcome (its op-by-op trace and findings)
    differs or the mutant shows an unaccepted finding;
  - from an empty corpus: libFuzzer (ASan+UBSan) on the mutant from nothing for --cap seconds;
    detected when it stops on an unaccepted finding (time reported).
A control runs the unmodified tree from an empty corpus for the same cap: it must find nothing.
Not measured (unlike the balloon suite): whether the mutated code was reached or triggered.
"""
import argparse
import os
import pathlib
import re
import runpy
import shutil
import tempfile
import time

from .common import ROOT, UsageError, say
from . import kpatch, trees, variant, xevf_lift
from .xevf import FUZZER_FINDING_RX, binary, input_files, libfuzzer, replay_json, seed_dirs

SUITE = os.path.join(ROOT, "tests", "bugs", "xevf_suite.py")


def load():
    return runpy.run_path(SUITE)["BUGS"]


def full_copy(kernel, dest, extra=()):
    """A copy of the kernel tree with the balloon target's files, the xe files and `extra` paths;
    returns dest."""
    base = trees.resolve(kernel)
    shutil.rmtree(dest, ignore_errors=True)
    variant.copy_tree(base, dest, extra)
    return variant.copy_tree(xevf_lift._xe_tree(base), dest, extra=xevf_lift.tree_paths())


def mutant_tree(bug, dest):
    """A copy of the bug's kernel tree with the mutation applied; returns dest."""
    full_copy(bug["kernel"], dest)
    path = pathlib.Path(dest, bug["file"])
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    span = xevf_lift.find_function(text, bug["function"])
    if not span:
        raise UsageError("bug %s: no %s() in %s" % (bug["name"], bug["function"], bug["file"]))
    body = text[span[0]:span[1]]
    hits = list(re.finditer(bug["pattern"], body))
    if len(hits) != 1:
        raise UsageError("bug %s: its pattern matches %d times in %s(), not once"
                         % (bug["name"], len(hits), bug["function"]))
    body = body[:hits[0].start()] + hits[0].expand(bug["replace"]) + body[hits[0].end():]
    path.write_text(text[:span[0]] + body + text[span[1]:], encoding="utf-8", errors="surrogateescape")
    return dest


def outcomes(exe, files):
    """Per input (by name): the replayer's verdict, findings, first probe and trace, or the crash."""
    return {os.path.basename(path): dict(res, input=None) if res else {"verdict": "crash", "signature": crash}
            for path, res, crash, _ in replay_json(exe, files, timeout=120)}


def fuzz_until_finding(exe, seconds, work, seeds=()):
    """(seconds, signature) when libFuzzer on the mutant stops on a finding within `seconds`
    (from the `seeds` directories, or from an empty corpus), else (None, None); crash files stay
    in `work`."""
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    log = os.path.join(work, "libfuzzer.log")
    t0 = time.time()
    if libfuzzer(exe, [corpus] + list(seeds), work, seconds, log) == 0:
        return None, None
    m = FUZZER_FINDING_RX.search(pathlib.Path(log).read_text(errors="replace"))
    return time.time() - t0, m.group(1) if m else "crash"


def empty_corpus_fuzz(exe, cap):
    with tempfile.TemporaryDirectory(prefix="xevf-bug-") as work:
        return fuzz_until_finding(exe, cap, work)


def run(names, cap):
    bugs = load()
    if names:
        unknown = set(names) - {b["name"] for b in bugs}
        if unknown:
            raise UsageError("unknown xevf bug(s): %s (see `vgtfuzz bugs list --target xevf`)" %
                             ", ".join(sorted(unknown)))
        bugs = [b for b in bugs if b["name"] in names]
    files = input_files(seed_dirs())
    kernels = sorted({b["kernel"] for b in bugs})
    base = {k: outcomes(binary(k, "gcc")[0], files) for k in kernels}
    rows, ok = [], 0
    for bug in bugs:
        with tempfile.TemporaryDirectory(prefix="xevf-bug-") as tmp:    # the lifts keep what the builds need
            tree = mutant_tree(bug, os.path.join(tmp, "tree"))
            rexe, fexe = (binary(tree, flavour, variant="bugs")[0] for flavour in ("gcc", "libfuzzer"))
        mine = outcomes(rexe, files)
        changed = sorted(n for n in mine if mine[n] != base[bug["kernel"]].get(n))
        unacc = sorted(n for n in mine if mine[n]["verdict"] == "finding")
        seeds = bool(changed or unacc)
        took, sig = empty_corpus_fuzz(fexe, cap)
        ok += seeds and took is not None
        rows.append("| %s | %s | %s | %s | %s |" % (
            bug["name"], bug["kernel"],
            "yes: %d input(s) changed, %d unaccepted" % (len(changed), len(unacc)) if seeds else "**no**",
            "yes, %.1f s (`%s`)" % (took, sig) if took is not None else "**no** in %d s" % cap,
            (changed or unacc or ["-"])[0]))
    say("| bug | tree | from the seeds | from an empty corpus | first input changed |")
    say("|---|---|---|---|---|")
    for r in rows:
        say(r)
    controls = []
    for k in kernels:
        took, sig = empty_corpus_fuzz(binary(k, "libfuzzer")[0], cap)
        controls.append("%s: %s" % (k, "clean" if took is None else "FOUND %s after %.1f s" % (sig, took)))
    say("control (unmodified trees, empty corpus, %d s): %s" % (cap, "; ".join(controls)))
    say("%d of %d bugs detected both from the seeds and from an empty corpus" % (ok, len(bugs)))
    clean = all(c.endswith("clean") for c in controls)
    return 0 if ok == len(bugs) and clean else 1


def main(argv):
    p = argparse.ArgumentParser(prog="vgtfuzz bugs --target xevf")
    p.add_argument("verb", choices=["list", "run"])
    p.add_argument("names", nargs="*")
    p.add_argument("--target", choices=["xevf"], required=True)
    p.add_argument("--cap", type=int, default=60, help="seconds per empty-corpus run (default 60)")
    a = p.parse_intermixed_args(argv)
    if a.verb == "list":
        for b in load():
            say("%-22s %-7s %s" % (b["name"], b["kernel"], b["description"]))
        return 0
    return run(a.names, a.cap)


def run_kpatch(args):
    """`vgtfuzz kpatch --target xevf PATCH [--kernel K] [--time S]`: the patch applied to a copy of
    the tree (its xe files included), both lifted and built; the committed xevf corpora replayed on
    both (every input whose outcome changed is listed); the patched tree fuzzed for --time seconds
    from those corpora (an unaccepted finding stops it and is replayed on the baseline too).
    Exit 0: no behaviour change; 1: changes or findings; 2: usage."""
    if not args.patch or args.patched:
        raise UsageError("kpatch --target xevf takes a PATCH file (not --patched)")
    if not os.path.isfile(args.patch):
        raise UsageError("kpatch: no such patch file: %s" % args.patch)
    text = pathlib.Path(args.patch).read_text(errors="replace")
    kpatch.check_patch_paths(args.patch, text)
    name = re.sub(r"[^\w.-]+", "_", os.path.basename(args.patch)) or "patch"
    out = os.path.abspath(args.out or os.path.join(ROOT, "out", "kpatch-xevf-" + name))
    os.makedirs(out, exist_ok=True)
    tree = full_copy(args.kernel, os.path.join(out, "patched-tree"), extra=variant.patch_paths(text))
    variant.apply_patch(tree, args.patch)
    files = input_files(seed_dirs())
    base_r = binary(args.kernel, "gcc")[0]
    pat_r = binary(tree, "gcc", variant="kpatch")[0]
    before, after = outcomes(base_r, files), outcomes(pat_r, files)
    changed = sorted(n for n in after if after[n] != before.get(n))
    say("kpatch --target xevf %s on %s: %d of %d committed inputs change outcome" % (
        name, args.kernel, len(changed), len(files)))
    where = {os.path.basename(f): os.path.relpath(f, ROOT) for f in files}
    for n in changed[:20]:
        say("  %s (replay: scripts/vgtfuzz replay --target xevf --kernel %s %s)" % (n, tree, where[n]))
    found = None
    if args.time > 0:
        work = os.path.join(out, "fuzz")
        shutil.rmtree(work, ignore_errors=True)
        took, sig = fuzz_until_finding(binary(tree, "libfuzzer", variant="kpatch")[0], args.time, work, seed_dirs())
        if took is not None:
            crash = sorted(os.path.join(work, n) for n in os.listdir(work) if n.startswith(("crash-", "timeout-")))
            found = (sig, crash[0] if crash else None)
            base_view = outcomes(base_r, crash[:1]).get(os.path.basename(crash[0]), {}) if crash else {}
            say("  fuzzing the patched tree: %s (input %s); on the baseline that input %s" % (
                found[0], found[1], "fails too" if base_view.get("verdict") in ("finding", "crash")
                else "shows no unaccepted finding"))
        else:
            say("  fuzzing the patched tree for %d s: no unaccepted finding" % args.time)
    if not changed and not found:
        say("no behaviour change")
        return 0
    return 1
