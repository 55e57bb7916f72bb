"""The xevf target's front door: `fuzz --target xevf`, `replay --target xevf [--eras]` (docs/xevf.md),
and its binaries, built through CMakePresets.json like every other target (binary()).

fuzz: build the libFuzzer binary (ASan+UBSan) and the ASan+UBSan replayer for the kernel, replay the
committed seeds, fuzz for --time seconds with the dictionary (restarting after each crash so the
whole budget is used), file each crash under <out>/findings/<signature>/ (reproducer, decoded
text, the replayer's trace), write <out>/campaign-xevf-<kernel>.md. Exit 1 when a finding is not
in xevf/accepted.def, else 0.
"""
import glob
import os
import pathlib
import re
import shutil
import subprocess
import time

from .common import ROOT, Lock, UsageError, atomic_write, build_root, note, say, writable
from .campaign import bucket_name
from . import build, replay, xevf_format, xevf_lift
from .xevf_corpus import TOP

SEEDS = os.path.join(ROOT, "corpus", "xevf")
REGRESSIONS = os.path.join(ROOT, "corpus", "xevf-regressions")
DICT = os.path.join(ROOT, "dictionaries", "xevf.dict")
FUZZER_FINDING_RX = re.compile(r"vgtfuzz-xevf: FINDING (\S+): (.*)")
MAX_LEN = xevf_format.CONSTS["HEADER_LEN"] + xevf_format.CONSTS["MAX_OPS"] * xevf_format.CONSTS["OP_LEN"]
# Each flavour: a configure preset of CMakePresets.json and a target of xevf/CMakeLists.txt.
FLAVOURS = {"gcc": ("gcc", "xevf-replay"), "asan": ("asan", "xevf-replay"),
            "coverage": ("coverage", "xevf-replay"), "libfuzzer": ("libfuzzer-asan", "vgtfuzz-xevf-libfuzzer")}


def binary(kernel, flavour="gcc", variant=None):
    """(path, xevf lift, era) of a flavour's binary for a kernel (a name or a tree), built like every
    other target (build.py), with the xevf lift of the tree as VGTFUZZ_XEVF_DIR. `variant` "bugs" or
    "kpatch": a mutated or patched tree's, in <build root>/<variant>/ where `vgtfuzz clean` prunes."""
    preset, target = FLAVOURS[flavour]
    xl, base, era = xevf_lift.lift_kernel(kernel)
    bdir = variant and os.path.join(build_root(), variant, "%s--%s" % (os.path.basename(xl), preset))
    bdir = build.build(build.Config(base, preset=preset, defines={"VGTFUZZ_XEVF_DIR": xl}), [target], bdir=bdir)
    return os.path.join(bdir, "xevf", target), xl, era


def libfuzzer(exe, dirs, artifacts, seconds, log):
    """libFuzzer on the xevf fuzzer for `seconds` (output appended to `log`); its exit code. Value
    profiling found two of the bug suite's mutants it otherwise missed."""
    cmd = [exe] + list(dirs) + ["-max_total_time=%d" % max(1, int(seconds)), "-artifact_prefix=%s/" % artifacts,
                                "-print_final_stats=1", "-max_len=%d" % MAX_LEN, "-timeout=10",
                                "-rss_limit_mb=2048", "-use_value_profile=1", "-dict=" + DICT]
    with open(log, "a") as f:
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode


def seed_dirs():
    return [d for d in (SEEDS, REGRESSIONS) if os.path.isdir(d)]


def input_files(paths):
    """Files, and every file of directories in name order (as the replayer reads them)."""
    files = []
    for f in paths:
        if os.path.isdir(f):
            files += sorted(os.path.join(f, n) for n in os.listdir(f) if not n.startswith("."))
        elif os.path.isfile(f):
            files.append(f)
        else:
            raise UsageError("%s: no such file or directory" % f)
    return files


def replay_json(exe, files, timeout=600):
    """The replayer's JSON line of each input (docs/xevf.md), through the shared reader
    (replay.replay_inputs: an input that kills the replayer gets its crash signature). Yields
    (input, result or None, signature of the crash, the crash report); a hang is a crash too."""
    try:
        for r in replay.replay_inputs(exe, files, timeout=timeout):
            yield r["input"], r["result"], r["signature"], r["report"]
    except subprocess.TimeoutExpired:
        yield files[0] if len(files) == 1 else None, None, "xevf/crash/hang", "no answer in %d s" % timeout
        # (several files: the ones after the hang are not replayed; triage replays one at a time)


def run_replay(args):
    if getattr(args, "m32", False) or getattr(args, "profile", "release") != "release":
        raise UsageError("--target xevf replays 64-bit release builds only (docs/xevf.md, Limits)")
    files = input_files(args.files)
    exe = binary(args.kernel, "gcc" if args.plain else "asan")[0]
    if len(files) == 1:
        say(xevf_format.describe(xevf_format.decode(pathlib.Path(files[0]).read_bytes())))
    rc = subprocess.run([exe] + files).returncode
    if rc not in (0, 1):
        raise UsageError("the xevf replayer failed (exit %d): a crash outside the oracles; "
                         "the trace above says where" % rc)
    return rc


def run_fuzz(args):
    if args.time <= 0:
        raise UsageError("--time must be positive")
    if args.engine != "libfuzzer":
        raise UsageError("--target xevf runs on libFuzzer only for now (--engine libfuzzer)")
    if args.m32 or args.profile != "release" or args.jobs != 1:
        raise UsageError("--target xevf fuzzes one 64-bit release job only (no --m32, --profile debug, --jobs)")
    exe, xl, era = binary(args.kernel, "libfuzzer")
    rexe = binary(args.kernel, "asan")[0]
    kid = os.path.basename(xl)
    out = os.path.abspath(args.out or os.path.join(ROOT, "out", "%s-libfuzzer" % kid))
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError("--out %s exists and is not a directory: pick another --out DIR" % out)
    if not writable(out):
        raise UsageError("--out %s is not writable: pick another --out DIR" % out)
    os.makedirs(out, exist_ok=True)
    with Lock(os.path.join(out, ".vgtfuzz.lock"), "output directory %s" % out,
              "wait for that run to finish, or pick another --out DIR"):
        return _run(args, exe, rexe, kid, era, out)


def _file(out, replayed, buckets):
    """Triage replayed inputs (replay_json): every finding each shows, or the crash it causes,
    filed by signature with the reproducer, its decoding and the replayer's trace."""
    for path, res, crash, report in replayed:
        found = [(f["signature"], f["accepted"] is not None, f["detail"]) for f in res["findings"]] if res else \
            [(crash, False, (report.strip().splitlines() or ["?"])[-1][:200])]
        for sig, accepted, detail in found:
            b = buckets.setdefault(sig, {"count": 0, "accepted": accepted, "detail": detail, "repro": None})
            b["count"] += 1
            if b["repro"] is None and path:
                d = os.path.join(out, "findings", bucket_name(sig))
                os.makedirs(d, exist_ok=True)
                data = pathlib.Path(path).read_bytes()
                b["repro"] = os.path.join(d, "reproducer")
                atomic_write(b["repro"], data)
                atomic_write(os.path.join(d, "decoded.txt"), xevf_format.describe(xevf_format.decode(data))
                             + "\n\n" + (res["trace"] if res else report))


def _run(args, exe, rexe, kid, era, out):
    buckets = {}
    seeds = seed_dirs()
    note("replaying %d committed xevf seed dir(s) on %s (%s)" % (len(seeds), kid, era))
    replayed = list(replay_json(rexe, input_files(seeds)))
    for path, res, crash, _ in replayed:
        if res is None:
            raise UsageError("the xevf replayer crashed on the committed seed %s: %s" % (path, crash))
    seed_summary = "%d case(s), %d with findings, %d with unaccepted findings" % (
        len(replayed), sum(1 for r in replayed if r[1]["findings"]),
        sum(1 for r in replayed if r[1]["verdict"] == "finding"))
    _file(out, replayed, buckets)
    corpus = os.path.join(out, "corpus")
    crashes = os.path.join(out, "crashes")
    os.makedirs(corpus, exist_ok=True)
    shutil.rmtree(crashes, ignore_errors=True)     # this run's crashes only (findings/ keeps the old)
    os.makedirs(crashes, exist_ok=True)
    log = os.path.join(out, "libfuzzer.log")
    open(log, "w").close()
    note("fuzzing %s for %d s with libFuzzer, output in %s" % (kid, args.time, out))
    start = time.time()
    seen, restarts, first = set(), 0, None
    while (left := args.time - (time.time() - start)) >= 1:
        libfuzzer(exe, [corpus] + seeds, crashes, left, log)     # the seeds are read, not written
        new = [c for c in sorted(glob.glob(os.path.join(crashes, "*"))) if c not in seen]
        if not new:
            break
        first = time.time() - start if first is None else first
        seen.update(new)
        for c in new:
            _file(out, replay_json(rexe, [c], timeout=60), buckets)
        restarts += 1
    elapsed = time.time() - start
    execs = sum(int(x) for x in re.findall(r"stat::number_of_executed_units:\s*(\d+)",
                                           pathlib.Path(log).read_text(errors="replace")))
    ncorpus = len(os.listdir(corpus))
    unaccepted = {s: b for s, b in buckets.items() if not b["accepted"]}
    report_dir = os.path.abspath(args.report_dir) if getattr(args, "report_dir", None) else out
    os.makedirs(report_dir, exist_ok=True)
    report = os.path.join(report_dir, "campaign-xevf-%s.md" % kid[len("xevf-"):].rsplit("-", 1)[0])
    lines = ["# xevf campaign: %s (%s), libFuzzer + ASan/UBSan" % (kid, era), "",
             "| | |", "|---|---|",
             "| fuzzing time | %.0f s (asked %d s; %d restart(s) after crashes) |" % (elapsed, args.time, restarts),
             "| executions | %d (%.0f/s) |" % (execs, execs / max(elapsed, 1e-9)),
             "| corpus | %d inputs |" % ncorpus,
             "| seeds | %s |" % seed_summary,
             "| crash files | %d |" % len(seen),
             "| first crash after | %s |" % ("%.1f s" % first if first is not None else "-"),
             "", "## Findings", ""]
    if not buckets:
        lines.append("None.")
    for sig, b in sorted(buckets.items(), key=lambda kv: (kv[1]["accepted"], kv[0])):
        lines += ["- `%s`%s: %d input(s); %s; reproducer `%s`" % (
            sig, " (accepted)" if b["accepted"] else " **NEW**", b["count"], b["detail"],
            os.path.relpath(b["repro"], ROOT) if b["repro"] else "-")]
    # Accepted findings do not stop the fuzzer: the final corpus shows which ones it kept reaching.
    reached = {}
    for _, res, _, _ in replay_json(rexe, input_files([corpus])):
        for f in res["findings"] if res else []:
            reached[f["signature"]] = (reached.get(f["signature"], (0,))[0] + 1, f["accepted"] is not None)
    lines += ["", "## Findings the final corpus reaches", "",
              "| signature | corpus inputs | reviewed |", "|---|---|---|"]
    lines += ["| `%s` | %d | %s |" % (sig, n, "yes" if ok else "**no**") for sig, (n, ok) in sorted(reached.items())]
    lines += ["", "Reproduce a row: `scripts/vgtfuzz replay --target xevf --kernel %s <input>`; the reviewed "
              "findings are X1-X7 in reports/findings.md." % args.kernel]
    if not getattr(args, "no_coverage", False):
        cov = seed_coverage(args.kernel)
        lines += ["", "## Seed coverage of the lifted xe functions", ""]
        if cov is None:
            lines.append("Not measured: llvm-cov or llvm-profdata is not installed.")
        else:
            lines += ["The committed corpora replayed in a clang coverage build: **%d of %d lines (%.1f%%)**."
                      % (cov[0], cov[1], 100.0 * cov[0] / max(cov[1], 1)), "",
                      "| function | lines covered |", "|---|---|"]
            lines += ["| `%s` | %d/%d |" % r for r in cov[2]]
    atomic_write(report, "\n".join(lines) + "\n")
    say("xevf fuzz %s: %.0f s, %d executions, corpus %d, %d signature(s) (%d not accepted); report %s"
        % (kid, elapsed, execs, ncorpus, len(buckets), len(unaccepted), report))
    for sig, b in sorted(unaccepted.items()):
        say("  NEW %s: %s (%s)" % (sig, b["detail"], b["repro"]))
    return 1 if unaccepted else 0


def seed_coverage(kernel):
    """(covered, total, rows) of the lifted xe functions' lines, the committed corpora replayed in a
    clang coverage build; None when llvm-cov or llvm-profdata is missing (the report says so)."""
    if not (shutil.which("llvm-cov") and shutil.which("llvm-profdata")):
        return None
    exe = binary(kernel, "coverage")[0]
    work = os.path.join(os.path.dirname(exe), "cov")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    raw, data = os.path.join(work, "seeds.profraw"), os.path.join(work, "seeds.profdata")
    subprocess.run([exe, "--quiet"] + seed_dirs(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, LLVM_PROFILE_FILE=raw), timeout=600)
    subprocess.run(["llvm-profdata", "merge", "-o", data, raw], check=True, stdout=subprocess.DEVNULL)
    rep = subprocess.run(["llvm-cov", "report", exe, "-instr-profile=" + data], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    # A lifted function's row: file, regions (3 columns), functions (3), lines (total, missed, cover), ...
    rows = [(os.path.basename(f[0])[:-2], int(f[7]) - int(f[8]), int(f[7])) for f in map(str.split, rep.splitlines())
            if f and "/fragments/" in f[0] and f[0].endswith(".c") and len(f) >= 10]
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def check_2025(start, size, wopcm):
    """The 2025 form of the VF's GGTT sanity check, as the issue describes it (size compared with
    GUC_GGTT_TOP - start, so it cannot wrap), in our words: accepts (True) or refuses."""
    return size != 0 and start >= wopcm and start <= TOP and size <= TOP - start


def run_eras(args):
    """replay --target xevf --eras: the first probe of every case on 6.12 and on newest, beside the
    2025 check and the production model; prints the cases where they disagree. Exit 0."""
    files = input_files(args.files)
    probes = {}     # input -> {kernel: the first probe's {"kernel": ret, "model": ret}}
    for kernel in ("6.12", "newest"):
        for path, res, _, _ in replay_json(binary(kernel, "gcc")[0], files):
            if res and res["probe"]:
                probes.setdefault(path, {})[kernel] = res["probe"]
    rows = []
    for f in files:
        v = probes.get(f, {})
        if "6.12" not in v or "newest" not in v:
            continue
        sc = xevf_format.decode(pathlib.Path(f).read_bytes())
        a612, anew, model = v["6.12"]["kernel"] == 0, v["newest"]["kernel"] == 0, v["6.12"]["model"] == 0
        a2025 = check_2025(sc["ggtt_start"], sc["ggtt_size"], sc["wopcm"])
        replies_ok = all(s & 7 == 0 and (s >> 3) & 7 == 0 for s in (sc["shape_start"], sc["shape_size"]))
        if replies_ok and len({a612, anew, model, a2025}) > 1:
            rows.append("| %s | %#x | %#x | %s | %s | %s | %s |" % (
                os.path.basename(f), sc["ggtt_start"], sc["ggtt_size"],
                "accept" if a612 else "refuse (%d)" % v["6.12"]["kernel"], "accept" if a2025 else "refuse",
                "accept" if anew else "refuse (%d)" % v["newest"]["kernel"], "accept" if model else "refuse"))
    say("| case | start | size | 6.12 | 2025 check | newest | ABI model |")
    say("|---|---|---|---|---|---|---|")
    for r in rows:
        say(r)
    say("%d case(s), %d with a probe; among those with well-formed replies the eras and the model "
        "disagree on %d" % (len(files), sum(1 for f in files if "6.12" in probes.get(f, {})), len(rows)))
    return 0
