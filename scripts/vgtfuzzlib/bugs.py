"""`vgtfuzz bugs`: the ground-truth bug suite (tests/bugs/suite.py), Magma style.

For each bug: copy the kernel tree, apply the bug's mutation spec to the copy's source file, lift
the copy, build the ASan standalone replayer for it (only the touched kernel objects are
recompiled, with the canary header force-included and its counters linked in), replay the
committed seeds and regressions, and, if that does not detect it, fuzz it with libFuzzer for the
time budget. Reported per bug: REACHED (the buggy code ran), TRIGGERED (it computed something
the original would not have), DETECTED (an unaccepted harness finding, a sanitizer report or a
crash), when, and the signature.

    scripts/vgtfuzz bugs list
    scripts/vgtfuzz bugs run [NAME...] [--time S] [--kernel K]
    scripts/vgtfuzz bugs tree NAME DEST [--plain] [--kernel K]

`tree` writes the mutated tree copy (with --plain: the bug without canaries, so the ordinary
front door builds it: `scripts/vgtfuzz fuzz --kernel DEST`). Exit status of `run`: 0 when every
bug is detected and the unmutated control is clean, 1 otherwise, 2 on a usage or set-up error.
"""
import os
import re
import runpy
import struct
import subprocess
import tempfile
import time

from .common import ROOT, UsageError, note, opt, say
from . import build, extract, fuzz, replay, report, trees, variant

SUITE = os.path.join(ROOT, "tests", "bugs", "suite.py")
HEADER = os.path.join(ROOT, "extracted", "compat", "testing", "vgtfuzz_bugs.h")
RUNTIME = os.path.join(ROOT, "extracted", "vgtfuzz_bugs.c")
SPEC_KEYS = {"name", "area", "file", "function", "pattern", "replace", "description", "target"}
CONTROL = "(control: no bug)"
REPLAY_TIMEOUT = 120


class BugSpecError(UsageError):
    """A spec that does not apply to the tree: one line naming the bug."""


def load_bugs():
    bugs = runpy.run_path(SUITE)["BUGS"]
    seen = set()
    for b in bugs:
        extra = set(b) - SPEC_KEYS
        missing = {"name", "file", "pattern", "replace", "description"} - set(b)
        if extra or missing or b["name"] in seen:
            raise BugSpecError("tests/bugs/suite.py: bug %s: %s" % (
                b.get("name"), "duplicate name" if b.get("name") in seen else
                "unknown keys %s" % sorted(extra) if extra else "missing keys %s" % sorted(missing)))
        seen.add(b["name"])
    return bugs


def select(names):
    bugs = load_bugs()
    if not names:
        return bugs
    by = {b["name"]: b for b in bugs}
    unknown = [n for n in names if n not in by]
    if unknown:
        raise UsageError("no such bug: %s (see `bugs list`)" % ", ".join(unknown))
    return [by[n] for n in names]


# --- applying a spec ---------------------------------------------------------------------------

def _split_args(text, start):
    """Arguments of the call whose '(' is at text[start]: ([(a, b) spans], index after ')')."""
    depth, args, begin = 0, [], start + 1
    for i in range(start, len(text)):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((begin, i))
                return args, i + 1
        elif c == "," and depth == 1:
            args.append((begin, i))
            begin = i + 1
    raise ValueError("unbalanced parentheses")


def expand_plain(text):
    """The canaries taken out: MUTANT(orig, mut) -> (mut), TRIGGERED(c) -> (c), REACHED() -> ((void)0)."""
    out = text
    while True:
        m = re.search(r"\bVGTFUZZ_BUG_(MUTANT|TRIGGERED|REACHED)\s*\(", out)
        if not m:
            return out
        args, end = _split_args(out, m.end() - 1)
        vals = [out[a:b].strip() for a, b in args]
        rep = {"MUTANT": "(%s)" % vals[-1], "TRIGGERED": "(%s)" % vals[0], "REACHED": "((void)0)"}[m.group(1)]
        out = out[:m.start()] + rep + out[end:]


def apply_bug(tree, bug, plain=False):
    """Apply `bug` to the kernel tree copy `tree` in place (its pattern must match exactly once)."""
    path = os.path.join(tree, bug["file"])
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    except OSError:
        raise BugSpecError("bug %s: the tree has no %s" % (bug["name"], bug["file"])) from None
    lo, hi = 0, len(text)
    if bug.get("function"):
        span = extract.find_function(text, bug["function"])
        if not span:
            raise BugSpecError("bug %s: no function %s() in %s: the tree changed" % (bug["name"], bug["function"],
                                                                                     bug["file"]))
        lo, hi = span
    region, hits = re.subn(bug["pattern"], lambda m: expand_plain(m.expand(bug["replace"])) if plain
                           else m.expand(bug["replace"]), text[lo:hi])
    if hits != 1:
        raise BugSpecError("bug %s: its pattern matches %d times in %s%s, not once: the tree changed"
                           % (bug["name"], hits, bug["file"], " %s()" % bug["function"] if bug.get("function") else ""))
    text = text[:lo] + region + text[hi:]
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


def mutant_tree(bug, kernel, dest=None, plain=False):
    """A copy of the kernel tree with `bug` applied (in `dest`, or a new temporary directory)."""
    src = trees.resolve(kernel)
    dest = dest or tempfile.mkdtemp(prefix="vgtfuzz-bug-")
    variant.copy_tree(src, dest)
    if bug is not None:
        apply_bug(dest, bug, plain=plain)
    return dest


def lift_bug(bug, kernel):
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-bug-", ignore_cleanup_errors=True) as tree:
        return extract.lift(mutant_tree(bug, kernel, dest=tree))


# --- running one bug ---------------------------------------------------------------------------

def _counters(path):
    try:
        with open(path, "rb") as f:
            data = f.read(16)
        return struct.unpack("<QQ", data) if len(data) == 16 else (0, 0)
    except OSError:
        return 0, 0


def replay_corpus(exe, env):
    """Replay the committed corpora of the three targets (the replayer's JSON lines, one process
    each unless an input kills it) up to the first input with an unaccepted finding, a
    nondeterministic verdict or a crash. Returns (signature or None, input or None, seconds)."""
    t0 = time.time()
    for target in ("balloon", "drm_mm", "gvt"):
        try:
            for r in replay.replay_inputs(exe, fuzz.corpus_files(target), target, env=env, timeout=REPLAY_TIMEOUT):
                if target == "gvt" and r["result"] is None and "needs the host side lifted" in r["report"]:
                    break   # this tree's host code is not lifted: no gvt target to replay on
                if r["signature"] and not r["accepted"]:
                    return r["signature"], r["input"], time.time() - t0
        except subprocess.TimeoutExpired:
            return "timeout/replay", None, time.time() - t0
    return None, None, time.time() - t0


def fuzz_binary(bug):
    """The libFuzzer binary for the bug's target (drm_mm bugs: the drm_mm-only target)."""
    if bug and bug.get("target") in ("drm_mm", "gvt"):
        return "vgtfuzz-%s-libfuzzer" % bug["target"]
    return "vgtfuzz-libfuzzer"


def fuzz_bug(exe, rexe, work, seconds, env, target="balloon"):
    """libFuzzer (not fork mode: it stops at the first finding). Returns (signature, input, s)."""
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    cmd = [exe, "-max_total_time=%d" % seconds, "-max_len=%d" % fuzz.MAX_LEN, "-dict=" + fuzz.DICT,
           "-artifact_prefix=" + work + "/", "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
           corpus] + fuzz.seed_dirs(target)
    t0 = time.time()
    p = subprocess.run(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                       env=env, timeout=seconds + 120)
    secs = time.time() - t0
    rep = report.parse(p.stdout)
    path, sig = rep["artifact"], rep["signature"]
    if not path:
        return None, None, secs
    if rep["kind"] in (None, "libfuzzer"):   # only "deadly signal", "timeout"...: the replayer says more
        sig = replay.run_json(rexe, path, target)[1] or sig or "crash"
    return sig, path, secs


def base_configs(kernel):
    lifted = extract.lift_kernel(kernel)
    return (build.Config(lifted, compiler="clang", sanitize=True),
            build.Config(lifted, engine="libfuzzer", sanitize=True))


def build_variant(cfg, lifted, binary, label=None):
    """The harness binary `binary` for a bug's lift, built from `cfg` with the canaries compiled in, in
    build/bugs/<lift>--<cfg>--<label, default the binary>."""
    return variant.quick_build(cfg, lifted, variant.variant_dir("bugs", lifted, cfg, label or binary), binary,
                               force_include=HEADER, runtime=[RUNTIME])


def run_bug(bug, kernel, time_budget, work_root, cfgs):
    """Run one bug (None: the unmutated control). Returns its result dict."""
    name = bug["name"] if bug else CONTROL
    r = {"name": name, "area": bug.get("area", "") if bug else "control", "reached": 0, "triggered": 0,
         "detected": False, "phase": "-", "seconds": None, "signature": "", "input": None, "error": None,
         "build_s": 0.0}
    work = os.path.join(work_root, re.sub(r"[^\w.-]+", "_", name))
    os.makedirs(work, exist_ok=True)
    counters = os.path.join(work, "counters")
    with open(counters, "wb") as f:
        f.write(bytes(16))
    env = dict(os.environ, VGTFUZZ_BUG_COUNTERS=counters)
    rcfg, fcfg = cfgs
    t = time.time()
    try:
        lifted = lift_bug(bug, kernel)
        rexe = build_variant(rcfg, lifted, "vgtfuzz-standalone", "standalone")
    except UsageError as e:
        return dict(r, error=str(e).splitlines()[0])
    r["build_s"] = time.time() - t
    sig, inp, secs = replay_corpus(rexe, env)
    phase = "seeds"
    if not sig and time_budget > 0 and bug is not None:
        t = time.time()
        try:
            fexe = build_variant(fcfg, lifted, fuzz_binary(bug))
        except UsageError as e:
            return dict(r, error=str(e).splitlines()[0])
        r["build_s"] += time.time() - t
        sig, inp, fsecs = fuzz_bug(fexe, rexe, work, time_budget, env, bug.get("target", "balloon"))
        secs += fsecs
        phase = "fuzz"
    r["seconds"] = secs
    if sig:
        r.update(detected=True, phase=phase, signature=sig, input=inp)
    r["reached"], r["triggered"] = _counters(counters)
    return r


def run_suite(names=None, time_budget=30, kernel=trees.DEFAULT_KERNEL, control=True, progress=True):
    """Run the named bugs (default: all, plus the unmutated control unless control=False). Returns
    their results."""
    bugs = ([None] if control and not names else []) + select(names)
    cfgs = base_configs(kernel)
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-bugs-", ignore_cleanup_errors=True) as work_root:
        results = []
        for bug in bugs:
            if progress:
                note("bug %s" % (bug["name"] if bug else CONTROL))
            results.append(run_bug(bug, kernel, time_budget, work_root, cfgs))
    return results


def passed(r):
    if r["error"]:
        return False
    return not r["detected"] if r["name"] == CONTROL else r["detected"]


def _yn(n):
    return "yes (%d)" % n if n else "no"


def table(results):
    row = "%-34s %-13s %-13s %-8s %8s  %-34s %s"
    lines = [row % ("bug", "reached", "triggered", "detected", "seconds", "signature", "input"), "-" * 140]
    for r in results:
        det = "ERROR" if r["error"] else (r["phase"] if r["detected"] else "NO")
        secs = "%.2f" % r["seconds"] if r["seconds"] is not None else "-"
        lines.append(row % (
            r["name"], _yn(r["reached"]), _yn(r["triggered"]), det, secs, r["error"] or r["signature"],
            os.path.basename(r["input"]) if r["input"] else ""))
    return "\n".join(lines)


def summary(results):
    lines = []
    for r in results:
        if r["error"]:
            lines.append("FAILED %s: %s" % (r["name"], r["error"]))
        elif r["name"] == CONTROL:
            if r["detected"]:
                lines.append("FAILED %s: the UNMUTATED tree is reported (%s): every detection above is suspect"
                             % (r["name"], r["signature"]))
        elif not r["detected"] and r["reached"]:
            lines.append("HARNESS WEAKNESS: %s was reached %s but not detected: improve the seeds "
                         "(scripts/vgtfuzzlib/corpus.py), the scenario ops or the oracles"
                         % (r["name"], "and triggered %d time(s)" % r["triggered"] if r["triggered"] else
                            "but never triggered (no input made the mutated code compute anything "
                            "else: an equivalent mutant, or inputs too narrow)"))
        elif not r["detected"]:
            lines.append("NOT REACHED: %s: no seed and no fuzzer input ran the buggy code" % r["name"])
    n_pass = sum(1 for r in results if passed(r))
    lines.append("%d passed, %d failed" % (n_pass, len(results) - n_pass))
    return "\n".join(lines)


# --- commands ----------------------------------------------------------------------------------

def cmd_list(a):
    for b in load_bugs():
        where = b["file"] + (" %s()" % b["function"] if b.get("function") else "")
        say("%-34s %-12s %s" % (b["name"], b.get("area", ""), where))
        if a.verbose:
            say("    " + b["description"])
    return 0


def cmd_run(a):
    t0 = time.time()
    results = run_suite(a.names, time_budget=a.time, kernel=a.kernel, control=not a.no_control)
    say(table(results))
    say("")
    say("total %.0f s (builds %.0f s)" % (time.time() - t0, sum(r["build_s"] for r in results)))
    say(summary(results))
    return 0 if all(passed(r) for r in results) else 1


def cmd_tree(a):
    bug = select([a.name])[0]
    if os.path.exists(a.dest):
        raise UsageError("%s exists: give a new directory" % a.dest)
    mutant_tree(bug, a.kernel, dest=a.dest, plain=a.plain)
    say(a.dest)
    return 0


KERNEL = opt("--kernel", default=trees.DEFAULT_KERNEL, help="kernel tree (as for vgtfuzz fuzz)")
# verb -> (help, function, options), for the front door (cli.COMMANDS)
VERBS = {
    "list": ("the bugs of tests/bugs/suite.py", cmd_list, [
        opt("-v", "--verbose", action="store_true", help="with their descriptions")]),
    "run": ("inject, build and try to detect each bug (default: all, plus a control)", cmd_run, [
        opt("names", nargs="*", metavar="NAME"),
        opt("--time", type=int, default=30, help="libFuzzer seconds per bug the seeds miss (default 30)"), KERNEL,
        opt("--no-control", action="store_true", help="skip the unmutated control run")]),
    "tree": ("write a copy of the kernel tree with one bug applied", cmd_tree, [
        opt("name", metavar="NAME"), opt("dest", metavar="DEST"),
        opt("--plain", action="store_true", help="without the canaries (builds with the ordinary front door)"),
        KERNEL]),
}
