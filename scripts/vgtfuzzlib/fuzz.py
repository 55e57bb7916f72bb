"""`vgtfuzz fuzz`: the main job. Build, fuzz, triage by signature, write a report.

Output goes to out/<kernel-id>-<engine>-<profile>[-i386]/ (corpus, raw artifacts, findings/<sig>/,
stats); the report a person reads goes to reports/campaign-<kernel>-<engine>-<profile>[-i386].md
with its plot. Exit 0: no unaccepted finding; 1: findings; 2: usage or set-up error.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import time

from .common import ROOT, UsageError, note, say
from . import build, campaign, extract, replay, testcase

SEEDS = os.path.join(ROOT, "corpus", "seeds")
REGRESSIONS = os.path.join(ROOT, "corpus", "regressions")
DRM_MM_SEEDS = os.path.join(ROOT, "corpus", "drm_mm")
# The longest input the decoder reads (harness/format.def: page 0x54, header, two devices with 16
# pre nodes each, 40 ops of 16 bytes = 1034 bytes), rounded up. libFuzzer would otherwise cap
# inputs at the longest seed and never grow a script past a few ops.
MAX_LEN = 1100
DICT = os.path.join(ROOT, "dictionaries", "vgtfuzz.dict")
LIBFUZZER_STATUS = re.compile(r"#(\d+).*?cov: (\d+) ft: (\d+) corp: (\d+)")


def _progress(t0, execs, cov, corp, findings):
    note("%4.0fs  execs %-9d cov %-5s corpus %-5s crashes %s" % (time.time() - t0, execs, cov, corp, findings))


def seed_dirs(target=None):
    """The committed corpus of a target (default $VGTFUZZ_TARGET, else balloon)."""
    return [DRM_MM_SEEDS] if testcase.current_target(target) == "drm_mm" else [SEEDS, REGRESSIONS]


def replay_corpus(rexe, out, t0):
    """Replay the committed seeds and regressions first, one process each: a finding there is
    found at once (libFuzzer's fork mode would swallow a crash during its initial merge)."""
    crash_dir = os.path.join(out, "artifacts")
    os.makedirs(crash_dir, exist_ok=True)
    crashes, first = [], None
    for d in seed_dirs():
        for name in sorted(os.listdir(d)):
            p = subprocess.run([rexe, "--crash", os.path.join(d, name)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if p.returncode != 0:
                dst = os.path.join(crash_dir, "seed-" + name)
                shutil.copyfile(os.path.join(d, name), dst)
                crashes.append(dst)
                first = first if first is not None else time.time() - t0
    return crashes, first


def stop_group(proc, sig=signal.SIGTERM, grace=15):
    """Stop an engine started in its own session, with everything it spawned. libFuzzer's fork
    mode runs its jobs through system(), which ignores SIGINT in the parent, so Ctrl-C is turned
    into SIGTERM here (libFuzzer and AFL++ both exit cleanly on it, keeping their corpus)."""
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=grace)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_libfuzzer(exe, out, seconds, jobs, inputs=None, env=None):
    """Fuzz for `seconds`. `inputs`: the seed directories (default: the balloon target's seeds
    and regressions); `env`: extra environment (kpatch sets VGTFUZZ_KEEP_GOING and the target)."""
    corpus = os.path.join(out, "corpus")
    artifacts = os.path.join(out, "artifacts") + "/"
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    # Fork mode keeps going after a finding (each is saved to artifacts/) and gives --jobs.
    # jobs 0: one plain process, 2-3x the executions when findings do not abort anyway
    # (VGTFUZZ_KEEP_GOING); a sanitizer crash then ends the run early, with its artifact.
    mode = ["-fork=%d" % jobs, "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1"] if jobs else []
    cmd = [exe] + mode + ["-max_total_time=%d" % seconds, "-max_len=%d" % MAX_LEN, "-dict=" + DICT, "-artifact_prefix=" + artifacts,
           "-print_final_stats=1", "-rss_limit_mb=2048", corpus] + list(inputs or seed_dirs())
    stats = open(os.path.join(out, "stats.tsv"), "w")
    stats.write("# seconds\texecs\tcov\tft\tcorpus\n")
    log = open(os.path.join(out, "fuzzer.log"), "w")
    t0 = last = time.time()
    execs = cov = corp = 0
    first = None
    proc = subprocess.Popen(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True, env=dict(os.environ, **(env or {})))
    try:
        for line in proc.stdout:
            log.write(line)
            if first is None and ("deadly signal" in line or "ERROR: " in line or "VGTFUZZ-SIGNATURE" in line):
                first = time.time() - t0
            m = LIBFUZZER_STATUS.search(line)
            if m:
                execs, cov, ft, corp = (int(g) for g in m.groups())
                stats.write("%.1f\t%d\t%d\t%d\t%d\n" % (time.time() - t0, execs, cov, ft, corp))
            if time.time() - last >= 10:
                last = time.time()
                _progress(t0, execs, cov, corp, len(glob.glob(artifacts + "crash-*")))
        proc.wait()
    except KeyboardInterrupt:
        stop_group(proc)
        note("interrupted: keeping the corpus and what was found")
    stats.close()
    log.close()
    elapsed = time.time() - t0
    return {"execs": execs, "seconds": elapsed, "exec_per_s": execs / elapsed if elapsed else 0,
            "coverage": "%d edges (libFuzzer cov)" % cov, "corpus": corp, "first_finding_s": first,
            "crashes": glob.glob(artifacts + "crash-*") + glob.glob(artifacts + "leak-*"), "t0": t0}


def _afl_stats(path):
    stats = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                stats[k.strip()] = v.strip()
    except OSError:
        pass
    return stats


def run_afl(exe, cmplog_exe, out, seconds, jobs):
    afl_out = os.path.join(out, "afl")
    resume = os.path.isdir(os.path.join(afl_out, "main"))
    env = dict(os.environ, AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
               AFL_NO_AFFINITY="1", AFL_SKIP_BIN_CHECK="0", AFL_AUTORESUME="1")
    inputs = "-" if resume else seed_dirs()[0]
    procs = []
    roles = [("main", ["-M", "main"] + (["-c", cmplog_exe] if cmplog_exe else []))]
    secondary = [["-p", "explore"], ["-p", "coe", "-L", "0"], ["-p", "rare"]]
    for j in range(1, jobs):
        roles.append(("sec%d" % j, ["-S", "sec%d" % j] + secondary[(j - 1) % len(secondary)]))
    for name, role in roles:
        cmd = ["afl-fuzz", "-i", inputs, "-o", afl_out, "-x", DICT, "-V", str(seconds)] + role + ["--", exe]
        log = open(os.path.join(out, "afl-%s.log" % name), "w")
        procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=out,
                                      start_new_session=True))
    t0 = last = time.time()
    try:
        while any(p.poll() is None for p in procs):
            time.sleep(1)
            if time.time() - last >= 10:
                last = time.time()
                s = _afl_stats(os.path.join(afl_out, "main", "fuzzer_stats"))
                _progress(t0, int(s.get("execs_done", 0)), s.get("bitmap_cvg", "?"), s.get("corpus_count", "?"),
                          s.get("saved_crashes", s.get("unique_crashes", "?")))
    except KeyboardInterrupt:
        for p in procs:
            stop_group(p, signal.SIGINT)
        note("interrupted: keeping the queue and what was found")
    bad = [p for p in procs if p.returncode not in (0, None, -2)]
    if bad and not os.path.exists(os.path.join(afl_out, "main", "fuzzer_stats")):
        raise UsageError("afl-fuzz failed to start: see %s" % os.path.join(out, "afl-main.log"))
    elapsed = time.time() - t0
    execs = corp = 0
    cvg = []
    for d in glob.glob(os.path.join(afl_out, "*", "fuzzer_stats")):
        s = _afl_stats(d)
        execs += int(s.get("execs_done", 0))
        corp = max(corp, int(s.get("corpus_count", 0)))
        cvg.append(s.get("bitmap_cvg", "?"))
    # AFL++'s plot_data (main) becomes the same TSV libFuzzer runs write.
    with open(os.path.join(out, "stats.tsv"), "w") as st:
        st.write("# seconds\texecs\tcov\tft\tcorpus\n")
        try:
            with open(os.path.join(afl_out, "main", "plot_data")) as pd:
                start = None
                for line in pd:
                    if line.startswith("#"):
                        continue
                    f = [x.strip() for x in line.split(",")]
                    start = start or int(f[0])
                    st.write("%d\t%s\t%s\t%s\t%s\n" % (int(f[0]) - start, f[-1] if len(f) > 12 else 0,
                                                      f[6].rstrip("%"), f[6].rstrip("%"), f[3]))
        except (OSError, ValueError, IndexError):
            pass
    crashes = [c for c in glob.glob(os.path.join(afl_out, "*", "crashes", "id:*"))]
    return {"execs": execs, "seconds": elapsed, "exec_per_s": execs / elapsed if elapsed else 0,
            "coverage": "map density %s" % " / ".join(cvg), "corpus": corp, "crashes": crashes,
            "afl_out": afl_out}


def accepted_in_corpus(rexe, corpus):
    """Accepted findings do not crash the fuzzer, so they leave no artifact: replay the final
    corpus and count the inputs that reach each accepted signature."""
    if not os.path.isdir(corpus):
        return {}
    p = subprocess.run([rexe, corpus], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    counts = {}
    for line in p.stdout.splitlines():
        if ": accepted " in line:
            sig = line.rsplit(": accepted ", 1)[1].strip()
            counts[sig] = counts.get(sig, 0) + 1
    return counts


def write_report(path, cfg, lifted, result, buckets, cov, args, plot, accepted=None):
    with open(os.path.join(lifted, "LIFTED.json")) as f:
        rec = json.load(f)
    lines = ["# Campaign: %s, %s target, %s engine, %s profile%s" % (rec["kernel_version"], args.target, args.engine, args.profile,
                                                        ", i386" if args.m32 else ""),
             "",
             "Written by `scripts/vgtfuzz fuzz` on %s. Kernel tree: `%s` (lift `%s`, era %s)."
             % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.kernel, rec["id"], rec["era"]),
             "",
             "| figure | value |", "|---|---|",
             "| build | %s |" % cfg.name,
             "| duration | %.0f s (asked %d s), %d job(s) |" % (result["seconds"], args.time, args.jobs),
             "| executions | %d |" % result["execs"],
             "| exec/s | %.0f |" % result["exec_per_s"],
             "| coverage | %s |" % result["coverage"],
             "| corpus | %s inputs |" % result["corpus"],
             "| crash files | %d, in %d signature bucket(s) |" % (len(result["crashes"]), len(buckets)),
             "| first crash after | %s |" % ("%.1f s" % result["first_finding_s"]
                                             if result.get("first_finding_s") is not None else "-"),
             ""]
    if plot:
        lines += ["![corpus and coverage growth](%s)" % os.path.basename(plot), ""]
    new = {s: b for s, b in buckets.items() if not b["accepted"]}
    lines += ["## Findings", ""]
    if not buckets:
        lines += ["None: every oracle held on every input.", ""]
    for sig, b in sorted(buckets.items(), key=lambda kv: (bool(kv[1]["accepted"]), kv[0])):
        lines += ["### `%s`%s" % (sig, " (accepted)" if b["accepted"] else ""), "",
                  "- inputs: %d; first divergence: %s" % (b["count"], b["detail"] or "(see reproducer)")]
        if b["accepted"]:
            lines.append("- accepted because: %s" % b["accepted"])
        lines += ["- reproduce: `scripts/vgtfuzz replay %s --kernel %s%s`"
                  % (campaign.rel(b["reproducer"]), args.kernel, " --profile debug" if args.profile == "debug" else ""),
                  "- the input (hex, %d bytes): `%s`" % (len(b["hex"]) // 2, b["hex"]),
                  "", "```", b["decoded"], "```", ""]
    lines += ["## Accepted findings the corpus reaches", "",
              "Accepted findings (harness/accepted.def, reports/findings.md) do not stop the fuzzer, so "
              "the final corpus is replayed to show which of them the campaign kept reaching:", ""]
    if accepted:
        lines += ["| signature | corpus inputs |", "|---|---|"]
        lines += ["| `%s` | %d |" % (s, n) for s, n in sorted(accepted.items())]
    else:
        lines.append("None.")
    lines.append("")
    lines += ["Full coverage of this campaign's corpus, lifted code and impl/: `scripts/vgtfuzz coverage "
              "--kernel %s` (reports/coverage-*.md, HTML under out/)." % args.kernel, ""]
    if cov:
        lines += ["## Seed coverage of the lifted balloon code", "",
                  "The target's committed corpus (%s) replayed in a clang coverage build:"
                  % ", ".join(campaign.rel(d) for d in seed_dirs()), "",
                  "```", cov[0].strip(), "```", "", "```", cov[1].strip(), "```", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return new


def run_fuzz(args):
    if args.time <= 0 or args.jobs <= 0:
        raise UsageError("--time and --jobs must be positive")
    # The target reaches every replay, decode and engine below through the environment.
    os.environ["VGTFUZZ_TARGET"] = args.target
    infix = "-drm_mm" if args.target == "drm_mm" else ""
    lifted = extract.lift_kernel(args.kernel)
    kid = os.path.basename(lifted)
    sanitize = not args.no_sanitize and args.engine == "libfuzzer"
    cfg = build.Config(lifted, engine=args.engine, sanitize=sanitize, m32=args.m32, profile=args.profile)
    tag = "%s%s-%s-%s%s" % (kid, infix, args.engine, args.profile, "-i386" if args.m32 else "")
    out = os.path.abspath(args.out or os.path.join(ROOT, "out", tag))
    os.makedirs(out, exist_ok=True)
    note("building %s" % cfg.name)
    bdir = build.build(cfg)
    rexe = replay.standalone(args.kernel, sanitize=True, profile=args.profile, m32=args.m32)
    t0 = time.time()
    seed_crashes, seed_first = replay_corpus(rexe, out, t0)
    if seed_crashes:
        note("the committed corpus already shows %d finding(s), %.1f s in" % (len(seed_crashes), seed_first))
    if args.engine == "libfuzzer":
        exe = os.path.join(bdir, "harness", "vgtfuzz%s-libfuzzer" % infix)
        note("fuzzing %s for %d s with libFuzzer (%d job(s)), output in %s" % (kid, args.time, args.jobs, out))
        result = run_libfuzzer(exe, out, args.time, args.jobs)
    else:
        if args.m32:
            raise UsageError("AFL++ 4.04c cannot build -m32 here: use --engine libfuzzer for i386")
        exe = os.path.join(bdir, "harness", "vgtfuzz%s-afl" % infix)
        # The main instance gets a CMPLOG twin (input-to-state comparisons for magic values).
        ccfg = build.Config(lifted, engine="afl", profile=args.profile, cmplog=True)
        cmplog = os.path.join(build.build(ccfg, targets=["vgtfuzz%s-afl" % infix]), "harness",
                              "vgtfuzz%s-afl" % infix)
        note("fuzzing %s for %d s with AFL++ (%d job(s)), output in %s" % (kid, args.time, args.jobs, out))
        result = run_afl(exe, cmplog, out, args.time, args.jobs)
        crash_ts = [os.path.getmtime(c) for c in result["crashes"]]
        result["first_finding_s"] = (min(crash_ts) - t0) if crash_ts else None
    result["crashes"] = seed_crashes + result["crashes"]
    fuzz_first = result.get("first_finding_s")
    if seed_first is not None:
        result["first_finding_s"] = seed_first
    elif fuzz_first is not None:
        result["first_finding_s"] = fuzz_first + result.get("t0", t0) - t0
    note("%d executions, %.0f exec/s; triaging %d crash file(s)" % (result["execs"], result["exec_per_s"],
                                                                    len(result["crashes"])))
    with open(os.path.join(lifted, "LIFTED.json")) as f:
        rec = json.load(f)
    build_info = dict(cfg.describe(), lifted=rec["id"], kernel_version=rec["kernel_version"], tree=rec["tree"],
                      kernel_files={rel: v["sha256"] for rel, v in rec["files"].items()})
    buckets = campaign.triage(result["crashes"], rexe, os.path.join(out, "findings"), build_info)
    cov = None
    if not args.m32 and not args.no_coverage:
        try:
            cov = campaign.seed_coverage(lifted, seed_dirs())
        except (subprocess.CalledProcessError, UsageError) as e:
            note("no seed coverage: %s" % e)
    report_dir = os.path.abspath(args.report_dir or os.path.join(ROOT, "reports"))
    os.makedirs(report_dir, exist_ok=True)
    base = os.path.join(report_dir, "campaign-%s%s-%s-%s%s" % (kid.split("-")[0], infix, args.engine, args.profile,
                                                                  "-i386" if args.m32 else ""))
    plot = base + ".png"
    if not campaign.gnuplot(os.path.join(out, "stats.tsv"), plot, "vgtfuzz %s %s" % (kid, args.engine),
                            [(3, "coverage"), (5, "corpus")]):
        plot = None
    accepted = accepted_in_corpus(rexe, os.path.join(out, "corpus")) if args.engine == "libfuzzer" else \
        accepted_in_corpus(rexe, os.path.join(out, "afl", "main", "queue"))
    new = write_report(base + ".md", cfg, lifted, result, buckets, cov, args, plot, accepted)
    say("report: %s" % campaign.rel(base + ".md"))
    for sig, b in sorted(buckets.items()):
        say("%-9s %-50s x%d  %s" % ("accepted" if b["accepted"] else "FINDING", sig, b["count"],
                                    campaign.rel(b["reproducer"])))
    if result.get("first_finding_s") is not None:
        say("first crash after %.1f s" % result["first_finding_s"])
    say("%d new finding(s), %d accepted" % (len(new), len(buckets) - len(new)))
    return 1 if new else 0
