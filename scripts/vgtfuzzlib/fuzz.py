"""`vgtfuzz fuzz`: the main job. Build, fuzz, triage by signature, write a report.

Output goes to out/<kernel-id>-<engine>-<profile>[-i386]/ or --out (corpus, raw artifacts,
findings/<sig>/, stats, and the report a person reads, campaign-<kernel>-<engine>-<profile>[-i386].md
with its plot; `--report-dir reports` puts the report into reports/ instead). The run directory is
locked (flock on <out>/.vgtfuzz.lock): a second run on it is refused, naming the holder's PID.
Exit 0: no unaccepted finding; 1: findings; 2: usage or set-up error (also: the engine did not
start); 128 + the signal (130 Ctrl-C, 129 SIGHUP, 143 SIGTERM) when interrupted: the engines are
stopped, the corpus kept, the crashes triaged and the report marked "interrupted".
"""
import collections
import contextlib
import csv
import glob
import os
import re
import shutil
import signal
import subprocess
import threading
import time

from .common import (EXIT_INTERRUPTED_BASE, ROOT, Lock, UsageError, atomic_write, disk_full, interrupt_signal, note,
                     say, writable)
from . import build, campaign, extract, replay, report, testcase

SEEDS = os.path.join(ROOT, "corpus", "seeds")
REGRESSIONS = os.path.join(ROOT, "corpus", "regressions")
# The committed corpus of each target; any other target is balloon's (SEEDS and REGRESSIONS).
TARGET_SEED_DIRS = {t: [os.path.join(ROOT, "corpus", t)] for t in ("drm_mm", "gvt")}
# The longest input the decoder reads (harness/format.def: page 0x54, header, two devices with 16
# pre nodes each, 40 ops of 16 bytes = 1034 bytes), rounded up. libFuzzer would otherwise cap
# inputs at the longest seed and never grow a script past a few ops.
MAX_LEN = 1100
DICT = os.path.join(ROOT, "dictionaries", "vgtfuzz.dict")
ENGINE_NAMES = {"libfuzzer": "libFuzzer", "afl": "AFL++"}
LIBFUZZER_STATUS = re.compile(r"#(\d+).*?cov: (\d+) ft: (\d+) corp: (\d+)")


def _progress(t0, execs, cov, corp, findings):
    note("%4.0fs  execs %-9d cov %-5s corpus %-5s crashes %s" % (time.time() - t0, execs, cov, corp, findings))


def seed_dirs(target=None):
    """The committed corpus of a target (default $VGTFUZZ_TARGET, else balloon)."""
    return list(TARGET_SEED_DIRS.get(testcase.current_target(target), [SEEDS, REGRESSIONS]))


def corpus_files(target=None):
    """The files of a target's committed corpus, directory by directory, sorted."""
    return [os.path.join(d, n) for d in seed_dirs(target) for n in sorted(os.listdir(d))]


def replay_corpus(rexe, out):
    """Replay the committed seeds and regressions first (the replayer's JSON lines, one process
    unless an input kills it): a finding there is found at once (libFuzzer's fork mode would
    swallow a crash during its initial merge). Returns (crash files, time.time() of the first)."""
    crash_dir = os.path.join(out, "artifacts")
    os.makedirs(crash_dir, exist_ok=True)
    # The empty input is clean for every tree: if the replayer writes no verdict for it, it cannot
    # run (a sanitizer that cannot map its shadow, a broken build), and every seed would look like a finding.
    empty = next(replay.replay_inputs(rexe, [os.path.join(SEEDS, "not-vgpu-empty-input")]))
    if empty["result"] is None:
        tail = [line.strip() for line in empty["report"].splitlines() if line.strip()][:2]
        raise UsageError("the replayer did not start (%s): %s" % (empty["signature"], " | ".join(tail) or "no output"))
    crashes, first = [], None
    for r in replay.replay_inputs(rexe, corpus_files()):
        if r["signature"] and not r["accepted"]:
            dst = os.path.join(crash_dir, "seed-" + os.path.basename(r["input"]))
            shutil.copyfile(r["input"], dst)
            crashes.append(dst)
            first = first or time.time()
    return crashes, first


def _processes():
    """Every process: (pid, the fields of /proc/PID/stat after the command name: state, ppid,
    pgrp, session, ...). Processes that end while we read are skipped."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError), open("/proc/%s/stat" % pid) as f:
            yield int(pid), f.read().rsplit(")", 1)[1].split()


def _group_alive(pgid):
    """Does any live (not zombie) process remain in process group `pgid`?"""
    return any(fields[0] != "Z" and int(fields[2]) == pgid for _, fields in _processes())


PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37     # <linux/prctl.h>


def _subreaper(on=None):
    """The Linux child-subreaper flag of this process: read it (on=None) or set it. None when the
    kernel or libc does not offer it."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if on is None:
            flag = ctypes.c_int(0)
            return bool(flag.value) if libc.prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag), 0, 0, 0) == 0 else None
        return libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return None


@contextlib.contextmanager
def adopting_orphans(procs):
    """While engines run: orphaned descendants become our children instead of PID 1's, and on the
    way out whatever of theirs we adopted is killed and reaped (reap_escaped). AFL++'s forkserver
    calls setsid(), so it and the persistent-mode target it keeps stopped (SIGSTOP) between inputs
    are outside afl-fuzz's process group: an afl-fuzz killed with SIGKILL left them behind, a
    stopped `vgtfuzz-afl` adopted by PID 1 for ever. Only for the engines' lifetime: a subreaper
    must reap, and later orphans (a sanitizer's symbolizer, say) are PID 1's business as before.
    `procs`: the engines' Popen objects (read on the way out; they are ours to wait for)."""
    was = _subreaper()
    _subreaper(True)
    try:
        yield
    finally:
        reap_escaped(p.pid for p in procs)
        if was is False:
            _subreaper(False)


def _adopted(keep):
    """Our children that we did not start: pid -> state ("Z" zombie, "T" stopped, ...). Children
    in `keep` (the engines' own Popen objects) and children in our own session (our other
    subprocesses) are not counted: an engine's escaped descendant is in a session of its own."""
    me, sid = os.getpid(), os.getsid(0)
    return {pid: fields[0] for pid, fields in _processes()
            if pid not in keep and int(fields[1]) == me and int(fields[3]) != sid}


def reap_escaped(keep=(), timeout=5):
    """Kill (SIGKILL also ends a stopped process) and reap every process our engines left behind
    that we adopted as a subreaper: the escaped forkserver first, then, once it is gone, the
    children it leaves to us in turn."""
    end = time.time() + timeout
    keep = set(keep)
    while True:
        left = _adopted(keep)
        if not left or time.time() > end:
            return sorted(left)
        for pid, state in left.items():
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                if state != "Z":
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0 if state == "Z" else os.WNOHANG)
        time.sleep(0.02)


def stop_groups(procs, sig=signal.SIGTERM, grace=15):
    """Stop engines started in their own sessions, with everything they spawned: one signal each,
    one grace period for all. libFuzzer's fork mode runs its jobs through system(), which ignores
    SIGINT in the parent, so Ctrl-C is turned into SIGTERM here (libFuzzer and AFL++ both exit
    cleanly on it, keeping their corpus). The groups get `grace` seconds (the engine's jobs finish
    writing), then SIGKILL; what escaped the groups (AFL++'s forkserver) is adopted, killed and
    reaped (adopting_orphans)."""
    with adopting_orphans(procs):
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
        _wait_groups(procs, grace)
        for proc in procs:
            if proc.poll() is None or _group_alive(proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        _wait_groups(procs, 5)


def _wait_groups(procs, seconds):
    """Wait up to `seconds` for the engines and every live process of their groups to end."""
    end = time.time() + seconds
    while any(p.poll() is None or _group_alive(p.pid) for p in procs) and time.time() < end:
        time.sleep(0.05)


EMPTY_INPUT_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def remove_partial_files(d):
    """Zero-byte files an engine left when it could not write (a full disk): they would be a
    different test case (the empty input) under another input's name. Returns how many."""
    paths = [os.path.join(d, n) for n in os.listdir(d) if n != EMPTY_INPUT_SHA1] if os.path.isdir(d) else []
    partial = [p for p in paths if os.path.isfile(p) and os.path.getsize(p) == 0]
    for path in partial:
        os.remove(path)
    return len(partial)


def check_space(out, removed=0, full=None):
    """A full disk under `out` is a set-up error (one line), not a finding. `full`: what
    disk_full() said before scratch space was freed."""
    if full is None:
        full = disk_full(out)
    if full:
        raise UsageError("no space left on device in %s%s: free some space or pick another --out"
                         % (out, " (%d partial corpus file(s) removed)" % removed if removed else ""))
    if removed:
        note("removed %d empty corpus file(s) an engine left as it stopped" % removed)


@contextlib.contextmanager
def deadline(seconds, stop):
    """Calls `stop` `seconds` after start: --time is honoured within a second or two even when the
    engine's own limit overshoots (libFuzzer's fork mode waits for its running jobs)."""
    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()   # a stop under way finishes (the whole group gone) before we go on


@contextlib.contextmanager
def engines_running(procs, out, seconds, sig, kept, partial, scratch=None):
    """Around the engines' run (`procs`, filled in as they start): at the deadline (`seconds`) they
    are stopped with `sig`; Ctrl-C (SIGTERM, SIGHUP) stops them too and ends the with-block, not the
    campaign (the corpus is kept, the crashes triaged); any other error still stops every engine left
    running. Then `scratch` and the zero-byte files of the corpus directories matching the glob
    `partial` are removed, and a full disk is a set-up error (check_space). Yields a dict:
    "interrupted", the signal number or None."""
    run = {"interrupted": None}
    try:
        with deadline(seconds, lambda: stop_groups(procs, sig, grace=1.5)):
            yield run
    except KeyboardInterrupt as e:
        run["interrupted"] = interrupt_signal(e)
        stop_groups(procs, sig, grace=5)
        note("interrupted: keeping the %s and what was found" % kept)
    finally:
        running = [p for p in procs if p.poll() is None]
        if running:     # any other error: never leave an engine running
            stop_groups(running, sig, grace=5)
        full = disk_full(out)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        removed = sum(remove_partial_files(d) for d in glob.glob(partial))
    check_space(out, removed, full)


def run_libfuzzer(exe, out, seconds, jobs, inputs=None, env=None):
    """Fuzz for `seconds`. `inputs`: the seed directories (default: the balloon target's seeds
    and regressions); `env`: extra environment (kpatch sets VGTFUZZ_KEEP_GOING and the target)."""
    corpus = os.path.join(out, "corpus")
    artifacts = os.path.join(out, "artifacts") + "/"
    tmp = os.path.join(out, "tmp")     # libFuzzer's fork-mode scratch, removed afterwards
    for d in (corpus, artifacts, tmp):
        os.makedirs(d, exist_ok=True)
    # Fork mode keeps going after a finding (each is saved to artifacts/) and gives --jobs.
    # jobs 0: one plain process, 2-3x the executions when findings do not abort anyway
    # (VGTFUZZ_KEEP_GOING); a sanitizer crash then ends the run early, with its artifact.
    mode = ["-fork=%d" % jobs, "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1"] if jobs else []
    cmd = [exe] + mode + ["-max_total_time=%d" % seconds, "-max_len=%d" % MAX_LEN, "-dict=" + DICT,
                          "-artifact_prefix=" + artifacts, "-print_final_stats=1", "-rss_limit_mb=2048",
                          corpus] + list(inputs or seed_dirs())
    env = {**os.environ, **(env or {}), "TMPDIR": tmp}
    t0 = last = last_space = time.time()
    execs = cov = corp = 0
    first = None
    started = False
    tail = []
    procs = []
    with open(os.path.join(out, "stats.tsv"), "w") as stats, open(os.path.join(out, "fuzzer.log"), "w") as log, \
            engines_running(procs, out, seconds, signal.SIGTERM, "corpus", glob.escape(corpus), scratch=tmp) as run:
        stats.write("# seconds\texecs\tcov\tft\tcorpus\n")
        proc = subprocess.Popen(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace", start_new_session=True, env=env)
        procs.append(proc)
        for line in proc.stdout:
            log.write(line)
            tail = (tail + [line.rstrip()])[-3:]
            if first is None and report.crash_starts(line):
                first = time.time()
            m = LIBFUZZER_STATUS.search(line)
            # libFuzzer says "INFO: Seed:" once it runs (a plain-mode run may then stop at a crash
            # in the seeds before any status line).
            started = started or bool(m) or line.startswith("INFO: Seed:")
            if m:
                execs, cov, ft, corp = (int(g) for g in m.groups())
                stats.write("%.1f\t%d\t%d\t%d\t%d\n" % (time.time() - t0, execs, cov, ft, corp))
            if time.time() - last_space >= 2:
                last_space = time.time()
                check_space(out)
            if time.time() - last >= 10:
                last = time.time()
                _progress(t0, execs, cov, corp, len(glob.glob(artifacts + "crash-*")))
        proc.wait()
    if not started and run["interrupted"] is None:
        raise UsageError("libFuzzer did not start (exit %s): %s (log: %s)"
                         % (proc.returncode, " | ".join(tail) or "no output", os.path.join(out, "fuzzer.log")))
    elapsed = time.time() - t0
    return {"execs": execs, "seconds": elapsed, "exec_per_s": execs / elapsed if elapsed else 0,
            "coverage": "%d edges (libFuzzer cov)" % cov, "corpus": corp, "first_finding_at": first,
            "crashes": glob.glob(artifacts + "crash-*") + glob.glob(artifacts + "leak-*"), "corpus_dir": corpus,
            "interrupted": run["interrupted"]}


def _afl_stats(path):
    """An AFL++ fuzzer_stats file ("name : value" lines) as a dict; {} when it cannot be read."""
    try:
        with open(path) as f:
            return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in f)}
    except OSError:
        return {}


def run_afl(exe, cmplog_exe, out, seconds, jobs):
    afl_out = os.path.join(out, "afl")
    env = dict(os.environ, AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
               AFL_NO_AFFINITY="1", AFL_SKIP_BIN_CHECK="0", AFL_AUTORESUME="1")
    inputs = "-" if os.path.isdir(os.path.join(afl_out, "main")) else seed_dirs()[0]     # "-": resume
    procs = []
    secondary = [["-p", "explore"], ["-p", "coe", "-L", "0"], ["-p", "rare"]]
    roles = [("main", ["-M", "main", "-c", cmplog_exe])]
    roles += [("sec%d" % j, ["-S", "sec%d" % j] + secondary[(j - 1) % len(secondary)]) for j in range(1, jobs)]
    t0 = last = time.time()
    # What afl-fuzz's forkservers leave behind (after -V too) is ours to end. -V overshoots by the
    # start-up calibration: engines_running's deadline stops the engines at --time.
    with adopting_orphans(procs), \
            engines_running(procs, out, seconds, signal.SIGINT, "queue", os.path.join(afl_out, "*", "queue")) as run:
        for name, role in roles:
            cmd = ["afl-fuzz", "-i", inputs, "-o", afl_out, "-x", DICT, "-V", str(seconds)] + role + ["--", exe]
            with open(os.path.join(out, "afl-%s.log" % name), "w") as log:
                procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=out,
                                              start_new_session=True))
        while any(p.poll() is None for p in procs):
            time.sleep(0.1)     # the deadline stops the engines from another thread: notice soon
            check_space(out)
            if time.time() - last >= 10:
                last = time.time()
                s = _afl_stats(os.path.join(afl_out, "main", "fuzzer_stats"))
                _progress(t0, int(s.get("execs_done", 0)), s.get("bitmap_cvg", "?"), s.get("corpus_count", "?"),
                          s.get("saved_crashes", s.get("unique_crashes", "?")))
    # Only this run's statistics count: a fuzzer_stats written by an afl-fuzz we did not start is a
    # previous run's, or another run's whose afl-fuzz refused to share the directory (and which may
    # have started a second before ours: its start_time alone does not tell them apart).
    ours = {str(p.pid) for p in procs}

    def this_run(s):
        if "fuzzer_pid" in s:
            return s["fuzzer_pid"] in ours
        return int(s.get("start_time", "0") or 0) >= int(t0) - 2
    main_stats = _afl_stats(os.path.join(afl_out, "main", "fuzzer_stats"))
    try:
        with open(os.path.join(out, "afl-main.log"), errors="replace") as f:
            main_log = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", f.read())
    except OSError:
        main_log = ""
    # Started: this run's stats, or at least the end of its dry run (a resumed queue may take all
    # of a short --time to calibrate, and afl-fuzz writes no stats before it is done).
    started = this_run(main_stats) or "All set and ready to roll" in main_log
    if run["interrupted"] is None and not started:
        tail = [l.strip() for l in main_log.splitlines() if l.strip()][-2:]
        raise UsageError("afl-fuzz did not start: %s (log: %s)" % (" | ".join(tail) or "no output",
                                                                   os.path.join(out, "afl-main.log")))
    elapsed = time.time() - t0
    runs = [s for s in map(_afl_stats, glob.glob(os.path.join(afl_out, "*", "fuzzer_stats"))) if this_run(s)]
    execs = sum(int(s.get("execs_done", 0)) for s in runs)
    corp = max([int(s.get("corpus_count", 0)) for s in runs], default=0)
    cvg = [s.get("bitmap_cvg", "?") for s in runs]
    # AFL++'s plot_data (main) becomes the same TSV libFuzzer runs write, its columns found by the
    # names of its header line ("# relative_time, cycles_done, ..."), not by their position.
    with open(os.path.join(out, "stats.tsv"), "w") as st:
        st.write("# seconds\texecs\tcov\tft\tcorpus\n")
        with contextlib.suppress(OSError, ValueError, KeyError), open(os.path.join(afl_out, "main", "plot_data")) as pd:
            names = [n.strip() for n in pd.readline().lstrip("# ").split(",")]
            for row in csv.DictReader(pd, fieldnames=names, skipinitialspace=True):
                st.write("\t".join([row["relative_time"], row["total_execs"], row["map_size"].rstrip("%"),
                                    row["edges_found"], row["corpus_count"]]) + "\n")
    crashes = glob.glob(os.path.join(afl_out, "*", "crashes", "id:*"))
    return {"execs": execs, "seconds": elapsed, "exec_per_s": execs / elapsed if elapsed else 0,
            "coverage": "map density %s" % " / ".join(cvg), "corpus": corp, "crashes": crashes,
            "first_finding_at": min(map(os.path.getmtime, crashes), default=None),
            "corpus_dir": os.path.join(afl_out, "main", "queue"), "interrupted": run["interrupted"]}


def accepted_in_corpus(rexe, corpus):
    """Accepted findings do not crash the fuzzer, so they leave no artifact: replay the final
    corpus and count the inputs that reach each accepted signature."""
    files = sorted(glob.glob(os.path.join(glob.escape(corpus), "*")))     # "*": not AFL++'s .state/
    return collections.Counter(r["signature"] for r in replay.replay_inputs(rexe, files) if r["accepted"])


def write_report(path, cfg, rec, result, buckets, cov, args, plot, accepted):
    lines = ["# Campaign: %s, %s target, %s engine, %s profile%s" % (rec["kernel_version"], args.target, args.engine,
                                                                     args.profile, ", i386" if args.m32 else ""),
             "",
             "Written by `scripts/vgtfuzz fuzz` on %s. Kernel tree: `%s` (lift `%s`, era %s)."
             % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.kernel, rec["id"], rec["era"]),
             ""]
    if result.get("interrupted"):
        lines += ["**Interrupted** by %s after %.0f s of the %d s asked: the figures, the corpus and the findings "
                  "cover the part that ran." % (signal.Signals(result["interrupted"]).name, result["seconds"],
                                                args.time), ""]
    lines += ["| figure | value |", "|---|---|",
              "| build | %s |" % cfg.name,
              "| duration | %.0f s (asked %d s), %d job(s) |" % (result["seconds"], args.time, args.jobs),
              "| executions | %d |" % result["execs"],
              "| exec/s | %.0f |" % result["exec_per_s"],
              "| coverage | %s |" % result["coverage"],
              "| corpus | %s inputs |" % result["corpus"],
              "| crash files | %d, in %d signature bucket(s) |" % (len(result["crashes"]), len(buckets)),
              "| first crash after | %s |" % ("%.1f s" % result["first_finding_s"]
                                              if result.get("first_finding_s") is not None else "-")]
    if args.engine == "afl":
        lines.append("| sanitizer | none in the AFL++ build (a memory-safety bug shows there as a bare SIGSEGV "
                     "or not at all); every crash was triaged through the ASan+UBSan replayer |")
    lines.append("")
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
    atomic_write(path, "\n".join(lines))
    return new


def run_fuzz(args):
    if args.time <= 0 or args.jobs <= 0:
        raise UsageError("--time and --jobs must be positive")
    if args.engine == "afl" and args.m32:
        raise UsageError("AFL++ 4.04c cannot build -m32 here: use --engine libfuzzer for i386")
    # The target reaches every replay, decode and engine below through the environment.
    os.environ["VGTFUZZ_TARGET"] = args.target
    infix = "-%s" % args.target if args.target in ("drm_mm", "gvt") else ""
    lifted = extract.lift_kernel(args.kernel)
    if args.target == "gvt":
        extract.require_host(lifted)
    kid = os.path.basename(lifted)
    # out/<kid><suffix> and campaign-<kernel version><suffix>.md
    suffix = "%s-%s-%s%s" % (infix, args.engine, args.profile, "-i386" if args.m32 else "")
    out = os.path.abspath(args.out or os.path.join(ROOT, "out", kid + suffix))
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError("--out %s exists and is not a directory: pick another --out DIR" % out)
    if not writable(out):
        raise UsageError("--out %s is not writable: pick another --out DIR" % out)
    os.makedirs(out, exist_ok=True)
    with Lock(os.path.join(out, ".vgtfuzz.lock"), "output directory %s" % out,
              "wait for that run to finish, or pick another --out DIR"):
        return _run_fuzz(args, lifted, kid, out, infix, suffix)


def _run_fuzz(args, lifted, kid, out, infix, suffix):
    check_space(out)
    sanitize = not args.no_sanitize and args.engine == "libfuzzer"
    cfg = build.Config(lifted, engine=args.engine, sanitize=sanitize, m32=args.m32, profile=args.profile)
    note("building %s" % cfg.name)
    bdir = build.build(cfg)
    rexe = replay.standalone(args.kernel, sanitize=True, profile=args.profile, m32=args.m32)
    binary = "vgtfuzz%s-%s" % (infix, args.engine)
    exe = os.path.join(bdir, "harness", binary)
    if args.engine == "afl":
        # The main instance gets a CMPLOG twin (input-to-state comparisons for magic values).
        ccfg = build.Config(lifted, engine="afl", profile=args.profile, cmplog=True)
        cmplog = os.path.join(build.build(ccfg, targets=[binary]), "harness", binary)
        note("AFL++ builds have no sanitizer: every crash is triaged through the ASan+UBSan replayer")
    t0 = time.time()
    seed_crashes, seed_first = replay_corpus(rexe, out)
    if seed_crashes:
        note("the committed corpus already shows %d finding(s), %.1f s in" % (len(seed_crashes), seed_first - t0))
    note("fuzzing %s for %d s with %s (%d job(s)), output in %s"
         % (kid, args.time, ENGINE_NAMES[args.engine], args.jobs, out))
    if args.engine == "libfuzzer":
        result = run_libfuzzer(exe, out, args.time, args.jobs)
    else:
        result = run_afl(exe, cmplog, out, args.time, args.jobs)
    result["crashes"] = seed_crashes + result["crashes"]
    first = seed_first or result["first_finding_at"]     # time.time() values, never 0
    result["first_finding_s"] = first - t0 if first else None
    interrupted = result.get("interrupted")
    # An interrupted run still triages and reports; a second signal ends it at once.
    note("%d executions, %.0f exec/s; triaging %d crash file(s)" % (result["execs"], result["exec_per_s"],
                                                                    len(result["crashes"])))
    rec = extract.record(lifted)
    build_info = dict(cfg.describe(), lifted=rec["id"], kernel_version=rec["kernel_version"], tree=rec["tree"],
                      kernel_files={rel: v["sha256"] for rel, v in rec["files"].items()})
    if args.engine == "afl":
        build_info["triaged_with"] = "ASan+UBSan standalone replayer (the AFL++ build has no sanitizer)"
    buckets = campaign.triage(result["crashes"], rexe, os.path.join(out, "findings"), build_info)
    cov = None
    if not args.m32 and not args.no_coverage and not interrupted:
        try:
            cov = campaign.coverage(lifted, seed_dirs())[:2]
        except (subprocess.CalledProcessError, UsageError) as e:
            note("no seed coverage: %s" % e)
    report_dir = os.path.abspath(args.report_dir) if args.report_dir else out
    os.makedirs(report_dir, exist_ok=True)
    base = os.path.join(report_dir, "campaign-%s%s" % (kid.split("-")[0], suffix))
    plot = base + ".png"
    plot_tmp = plot + ".tmp"
    if campaign.gnuplot(os.path.join(out, "stats.tsv"), plot_tmp, "vgtfuzz %s %s" % (kid, args.engine),
                        [(3, "coverage"), (5, "corpus")]) and os.path.getsize(plot_tmp):
        os.replace(plot_tmp, plot)
    else:
        plot = None
        if os.path.exists(plot_tmp):
            os.remove(plot_tmp)
    accepted = accepted_in_corpus(rexe, result["corpus_dir"])
    new = write_report(base + ".md", cfg, rec, result, buckets, cov, args, plot, accepted)
    say("report: %s" % campaign.rel(base + ".md"))
    for sig, b in sorted(buckets.items()):
        say("%-9s %-50s x%d  %s" % ("accepted" if b["accepted"] else "FINDING", sig, b["count"],
                                    campaign.rel(b["reproducer"])))
    if result.get("first_finding_s") is not None:
        say("first crash after %.1f s" % result["first_finding_s"])
    say("%d new finding(s), %d accepted" % (len(new), len(buckets) - len(new)))
    if interrupted:
        say("interrupted: exit %d" % (EXIT_INTERRUPTED_BASE + interrupted))
        return EXIT_INTERRUPTED_BASE + interrupted
    return 1 if new else 0
