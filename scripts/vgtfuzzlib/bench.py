"""`vgtfuzz bench`: bug-finding power and speed, measured (not a test). Writes
reports/bench-<date>.md with a plot.

- Throughput: exec/s of the libFuzzer target (plain, and ASan+UBSan) and of AFL++ persistent
  mode, each next to a do-nothing target built the same way and run in the same session: the
  ratio is the figure (machines here are shared and noisy; absolute exec/s are not).
- Time to detect each suite bug (tests/bugs): trials from the committed seeds (the seed replay) and
  from an empty corpus (libFuzzer with the dictionary, a different -seed per trial, capped; CPU seconds);
  median and worst, an undetected trial counted as censored at the cap.
- Coverage: the lifted balloon code, drm_mm_reserve_node and drm_mm_remove_node, reached by the
  seeds, and by the seeds plus a fixed libFuzzer budget.
"""
import concurrent.futures
import functools
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import tempfile
import time

from .common import ROOT, UsageError, atomic_write, note, say
from . import bugs, build, campaign, extract, fuzz, trees

STAT = re.compile(r"stat::average_exec_per_sec:\s+(\d+)")
# A temporary directory, removed on leaving; as with rmtree(ignore_errors=True), a file that will not go is no error.
scratch_dir = functools.partial(tempfile.TemporaryDirectory, ignore_cleanup_errors=True)


def libfuzzer_rate(exe, seconds):
    with scratch_dir(prefix="vgtfuzz-bench-") as work:
        p = subprocess.run([exe, "-max_total_time=%d" % seconds, "-print_final_stats=1", "-dict=" + fuzz.DICT,
                            work, fuzz.SEEDS], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", cwd=work)
        m = STAT.search(p.stdout)
        return int(m.group(1)) if m else 0


def afl_rate(exe, seconds):
    with scratch_dir(prefix="vgtfuzz-bench-afl-") as work:
        env = dict(os.environ, AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
                   AFL_NO_AFFINITY="1")
        subprocess.run(["afl-fuzz", "-i", fuzz.SEEDS, "-o", work, "-V", str(seconds), "-x", fuzz.DICT, "--", exe],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stats = fuzz._afl_stats(os.path.join(work, "default", "fuzzer_stats"))
        execs, run = int(stats.get("execs_done", 0)), int(stats.get("run_time", 0)) or seconds
        return execs // run if run else 0


def throughput(lifted, seconds):
    rows = []
    for label, engine, sanitize in (("libFuzzer plain", "libfuzzer", False),
                                    ("libFuzzer ASan+UBSan", "libfuzzer", True), ("AFL++ persistent", "afl", False)):
        names = ["vgtfuzz-" + engine, "vgtfuzz-noop-" + engine]
        bdir = build.build(build.Config(lifted, engine=engine, sanitize=sanitize), targets=names)
        rate = libfuzzer_rate if engine == "libfuzzer" else afl_rate
        real, noop = (rate(os.path.join(bdir, "harness", name), seconds) for name in names)
        note("%s: %d exec/s, do-nothing %d exec/s" % (label, real, noop))
        rows.append((label, real, noop))
    return rows


def machine():
    """What this machine is, from what it reports (the report names it, never assumes it)."""
    model, mem = "unknown CPU", 0
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), model)
        with open("/proc/meminfo") as f:
            mem = next((int(l.split()[1]) for l in f if l.startswith("MemTotal")), 0)
    except OSError:
        pass
    return "%s, %d CPUs, %.0f GiB, load %.1f" % (model, os.cpu_count() or 0, mem / 2**20, os.getloadavg()[0])


# New corpus units go to memory when the machine has /dev/shm: creating thousands of files on a
# disk costs the kernel more than running the inputs that found them, and that is the disk's figure.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def fixed_runs(exe, runs, seed_dirs, seed, corpus):
    """The user + system CPU seconds (the machine's other load does not count) of `runs` libFuzzer
    executions from `seed_dirs` with `-seed=seed`, new units in `corpus`."""
    # -timeout: an input that hangs ends the measurement with an error instead of stalling it
    # for libFuzzer's default 20 minutes (a hang is a harness or kernel bug to report).
    keep = os.path.join(tempfile.gettempdir(), "vgtfuzz-bench-artifacts")
    os.makedirs(keep, exist_ok=True)
    p = subprocess.Popen([exe, "-runs=%d" % runs, "-seed=%d" % seed, "-timeout=60", "-max_len=%d" % fuzz.MAX_LEN,
                          "-dict=" + fuzz.DICT, "-artifact_prefix=" + keep + "/", corpus] + seed_dirs,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=corpus)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise UsageError("bench: %s exited with %d (a finding, a crash or a hang, its input in %s): replay it with "
                         "`scripts/vgtfuzz replay`" % (os.path.basename(exe), p.returncode, keep))
    return ru.ru_utime + ru.ru_stime


def exec_rate(exe, runs, seed_dirs, seed):
    """exec/s by CPU time of fixed_runs() into a scratch corpus."""
    with scratch_dir(prefix="vgtfuzz-bench-", dir=SCRATCH) as work:
        secs = fixed_runs(exe, runs, seed_dirs, seed, work)
        return runs / secs if secs else 0.0


YARDSTICK_TARGETS = (("balloon", "vgtfuzz-libfuzzer", "vgtfuzz-kernel-only-balloon-libfuzzer"),
                     ("drm_mm", "vgtfuzz-drm_mm-libfuzzer", "vgtfuzz-kernel-only-drm_mm-libfuzzer"))


def yardstick(lifted, runs, rounds, compiler="clang", builds=(("plain", False), ("ASan+UBSan", True))):
    """The differential target against the oracle-free kernel-only target built with the same flags,
    plain and ASan+UBSan: alternating rounds, the median of the per-round ratios. Rows:
    (build, target, full exec/s, kernel-only exec/s, do-nothing exec/s, ratio, the per-round ratios)."""
    rows = []
    for label, sanitize in builds:
        bdir = build.build(build.Config(lifted, compiler=compiler, engine="libfuzzer", sanitize=sanitize))
        def exe(name): return os.path.join(bdir, "harness", name)   # noqa: E731
        for target, full, ref in YARDSTICK_TARGETS:
            seeds = fuzz.seed_dirs(target)
            # Round r runs every target with -seed=r: which inputs a run explores depends on the
            # seed (and on every byte of the build), and one seed moved the ratio by 0.1 or more.
            measured = [[exec_rate(exe(name), runs, seeds, r) for name in (ref, full, "vgtfuzz-noop-libfuzzer")]
                        for r in range(1, rounds + 1)]
            r_rates, f_rates, n_rates = zip(*measured)   # per target, its rate in each round
            per_round = [f / r if r else 0.0 for f, r in zip(f_rates, r_rates)]
            row = (label, target, *map(statistics.median, (f_rates, r_rates, n_rates, per_round)), per_round)
            note("%s %s: %.0f exec/s, kernel-only %.0f, do-nothing %.0f: %.0f%%" % (row[:5] + (100 * row[5],)))
            rows.append(row)
    return rows


def instructions(lifted, runs):
    """Instructions per input inside LLVMFuzzerTestOneInput (callgrind) over the committed corpus
    and over a libFuzzer corpus of the target: per target, the target as it runs,
    with VGTFUZZ_FULL=1 (every op observed), and the kernel-only target, all on the same inputs.
    Rows: (target, inputs, run, instructions per input, number of inputs). None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    bdir = build.build(build.Config(lifted, engine="libfuzzer"))
    # valgrind 3.19 would count glibc's `rep stos`/`rep movs` per byte: keep memset/memcpy in loops.
    env = dict(os.environ, GLIBC_TUNABLES="glibc.cpu.x86_rep_stosb_threshold=0x7fffffff:"
               "glibc.cpu.x86_rep_movsb_threshold=0x7fffffff")
    rows = []
    for target, full, ref in YARDSTICK_TARGETS:
        # A libFuzzer corpus after `runs` runs from the committed seeds (-seed=7): the inputs
        # fuzzing really runs, heavier than the seeds.
        with scratch_dir(prefix="vgtfuzz-bench-corpus-", dir=SCRATCH) as fuzzed:
            fixed_runs(os.path.join(bdir, "harness", full), runs, fuzz.seed_dirs(target), 7, fuzzed)
            for inputs, dirs in (("committed corpus", fuzz.seed_dirs(target)), ("libFuzzer corpus", [fuzzed])):
                files = sorted(os.path.join(d, f) for d in dirs for f in os.listdir(d) if not f.startswith("."))
                for label, name, extra in (("as it runs", full, {}), ("VGTFUZZ_FULL=1", full, {"VGTFUZZ_FULL": "1"}),
                                           ("kernel only", ref, {})):
                    rows.append((target, inputs, label, callgrind_per_input(os.path.join(bdir, "harness", name), files,
                                                                            dict(env, **extra)), len(files)))
    return rows


def callgrind_per_input(exe, files, env):
    """Instructions inside LLVMFuzzerTestOneInput per input, `exe` run once over `files`."""
    with scratch_dir(prefix="vgtfuzz-callgrind-") as work:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.path.join(work, "out"),
                            "--toggle-collect=LLVMFuzzerTestOneInput", exe] + files, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        m = re.search(r"Collected : (\d+)", p.stdout)
        return int(m.group(1)) // len(files) if m and files else 0


def kpatch_overhead(kernel, seconds):
    """Wall seconds `kpatch --time S` spends besides fuzzing, cold and then warm: the patched tree
    is the baseline with one comment added to drm_mm.c (lifted code changed, behaviour not)."""
    with scratch_dir(prefix="vgtfuzz-bench-kpatch-") as work:
        tree = os.path.join(work, "patched")
        shutil.copytree(trees.resolve(kernel), tree)
        mm = pathlib.Path(tree, "drivers", "gpu", "drm", "drm_mm.c")
        mm.write_text("/* vgtfuzz bench: a comment, no behaviour */\n" + mm.read_text())
        walls = []
        for i, state in enumerate(("cold", "warm")):
            t0 = time.time()
            subprocess.run([os.path.join(ROOT, "scripts", "vgtfuzz"), "kpatch", "--patched", tree, "--kernel", kernel,
                            "--time", str(seconds), "--out", os.path.join(work, "out%d" % i)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls.append(time.time() - t0 - seconds)
            note("kpatch --time %d: %.0f s besides fuzzing (%s)" % (seconds, walls[-1], state))
        return walls


def table(header, rows):
    """A Markdown table and the blank line after it; `header` and each of `rows` are cells joined by " | "."""
    return ["| %s |" % header, "|" + "---|" * (header.count(" | ") + 1)] + ["| %s |" % row for row in rows] + [""]


def met(ok):
    return "met" if ok else "missed"


def write_report(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    atomic_write(path, "\n".join(lines))
    say("report: %s" % campaign.rel(path))


def run_throughput(args):
    """`bench --throughput`: the yardstick, instructions per input, kpatch's overhead; a report in
    reports/ (or --report-dir) and, last, the one line a script reads."""
    lifted = extract.lift_kernel(args.kernel)
    t0, where = time.time(), machine()
    rows = yardstick(lifted, args.runs, args.rounds)
    # A newer libFuzzer, when the machine has it (bookworm packages clang-19): the same yardstick.
    newer = yardstick(lifted, args.runs, args.rounds, "clang-19", (("plain", False),)) \
        if shutil.which("clang-19") else None
    instr = instructions(lifted, args.runs)
    kp = kpatch_overhead(args.kernel, args.kpatch_seconds) if args.kpatch_seconds else None
    ratio = {(r[0], r[1]): r[5] for r in rows}
    p, q = 100 * ratio[("plain", "balloon")], 100 * ratio[("ASan+UBSan", "balloon")]
    date = time.strftime("%Y-%m-%d", time.gmtime())
    lines = ["# Throughput %s: kernel %s" % (date, os.path.basename(lifted).split("-")[0]), "",
             "Written by `scripts/vgtfuzz bench --throughput` in %.0f s on %s (from /proc; load is the 1-minute "
             "average when it started). Rates are libFuzzer executions per CPU second (user + system) with "
             "`-runs=%d` from the committed seeds; each figure is the median of %d alternating rounds, round r "
             "running every target with `-seed=r`, the "
             "ratio the median of the per-round ratios." % (time.time() - t0, where, args.runs, args.rounds), "",
             "## The differential target against the oracle-free kernel-only target", "",
             "The kernel-only target (`harness/target_kernel_only.c`) decodes the same scenario and runs the kernel "
             "module alone: no production module, no observation, no oracles. The do-nothing target is for "
             "comparison only.", "",
             "Which inputs a run explores is not repeatable even with one seed (two runs of one build with "
             "`-seed=2` ended with different corpora), so a round's ratio is noisy: each round's is in the "
             "last column.", ""]
    lines += table("build | target | exec/s | kernel-only exec/s | ratio | do-nothing exec/s | ratio per round",
                   ["%s | %s | %.0f | %.0f | **%.0f%%** | %.0f | %s" % (
                       label, target, f, r, 100 * rt, n, " ".join("%.0f%%" % (100 * x) for x in per_round))
                    for label, target, f, r, n, rt, per_round in rows])
    lines += ["Goal: 70%% or more of the kernel-only target, plain and ASan+UBSan (balloon target): "
              "**%s** (%.0f%%, %.0f%%)." % (met(p >= 70 and q >= 70), p, q), ""]
    if newer:
        lines += ["### libFuzzer 19 (clang-19) beside 14 (clang 14, the default)", ""]
        lines += table("target | 14: exec/s | 19: exec/s | 19 / 14 | 14: ratio | 19: ratio",
                       ["%s | %.0f | %.0f | %.2f | %.0f%% | %.0f%%" % (
                           old[1], old[2], new[2], new[2] / old[2] if old[2] else 0, 100 * old[5], 100 * new[5])
                        for old, new in zip([r for r in rows if r[0] == "plain"], newer)])
    else:
        lines += ["libFuzzer 19 not measured: clang-19 is not installed (`apt-get install clang-19 "
                  "libclang-rt-19-dev`).", ""]
    lines += ["## Instructions per input", ""]
    if instr is None:
        lines += ["Not measured: valgrind is not installed (`apt-get install valgrind`).", ""]
    else:
        lines += ["callgrind, instructions inside `LLVMFuzzerTestOneInput` (coverage and comparison hooks included, "
                  "libFuzzer's own bookkeeping not), plain libFuzzer build, divided by the number of inputs: over the "
                  "committed corpus, and over a libFuzzer corpus of the differential target after %d runs from "
                  "the seeds (`-seed=7`; the inputs fuzzing really runs, heavier than the seeds). Every run of a row "
                  "group reads the same inputs." % args.runs, ""]
        lines += table("target | corpus | run | inputs | instructions per input",
                       ["%s | %s | %s | %d | %d" % (target, inputs, label, files, n)
                        for target, inputs, label, n, files in instr])
    if kp:
        lines += ["## kpatch's own overhead", "",
                  "`kpatch --patched T --time %d` where T is the baseline with a comment added to drm_mm.c: wall "
                  "seconds besides the fuzzing (lifts, builds, replays). Cold: %.0f s; warm (second run): **%.0f s** "
                  "(goal: at most 45 s warm: **%s**)." % (args.kpatch_seconds, kp[0], kp[1], met(kp[1] <= 45)), ""]
    write_report(os.path.join(args.report_dir or os.path.join(ROOT, "reports"), "bench-throughput-%s.md" % date),
                 lines)
    say("throughput: %.0f%% of the oracle-free kernel-only target (plain), %.0f%% (ASan+UBSan)" % (p, q))
    return 0


def empty_trial(fexe, env, trial, cap):
    """libFuzzer from an empty corpus (dictionary only) until its first finding: the fuzzer's CPU
    seconds (user + system, so the machine's other load does not count), or None (censored)."""
    with scratch_dir(prefix="vgtfuzz-ttd-") as work:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        # libFuzzer ends by itself: -max_total_time, and -timeout on an input that hangs.
        p = subprocess.Popen([fexe, "-max_total_time=%d" % cap, "-max_len=%d" % fuzz.MAX_LEN,
                              "-seed=%d" % (1000 + trial), "-dict=" + fuzz.DICT, "-artifact_prefix=" + work + "/",
                              "-timeout=10", "-rss_limit_mb=2048", corpus],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=work)
        _, _, ru = os.wait4(p.pid, 0)
        # A finding is the input libFuzzer wrote beside the corpus (crash-, timeout-, oom-, leak-...).
        return ru.ru_utime + ru.ru_stime if any(f != "corpus" for f in os.listdir(work)) else None


def detection(kernel, trials, cap, jobs, names=None):
    """Per bug: seed-replay times and empty-corpus times (None: censored at `cap`)."""
    rcfg, fcfg = bugs.base_configs(kernel)
    with scratch_dir(prefix="vgtfuzz-bench-bugs-") as work_root:
        plan = []
        for bug in bugs.select(names):
            lifted = bugs.lift_bug(bug, kernel)
            rexe = bugs.build_variant(rcfg, lifted, "vgtfuzz-standalone", "standalone")
            # drm_mm bugs: the drm_mm target, from its empty corpus
            fexe = bugs.build_variant(fcfg, lifted, bugs.fuzz_binary(bug))
            env = dict(os.environ, VGTFUZZ_BUG_COUNTERS=os.path.join(work_root, bug["name"] + ".counters"))
            replays = [bugs.replay_corpus(rexe, env) for _ in range(trials)]
            plan.append((bug["name"], [secs if sig else None for sig, _, secs in replays], fexe, env))
        # The control: the unmutated tree, same build, same budget. A "detection" here would be a
        # false positive of the harness, and every time above would mean nothing.
        targets = ["vgtfuzz-libfuzzer", "vgtfuzz-drm_mm-libfuzzer"]
        cdir = build.build(fcfg, targets=targets)
        plan += [(name, [None] * trials, os.path.join(cdir, "harness", target), dict(os.environ))
                 for name, target in zip((bugs.CONTROL, bugs.CONTROL + " (drm_mm target)"), targets)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {(name, t): pool.submit(empty_trial, fexe, env, t, cap)
                       for name, _, fexe, env in plan for t in range(trials)}
            out = []
            for name, seeds, _, _ in plan:
                empty = [futures[(name, t)].result() for t in range(trials)]
                note("%-34s seeds %s  empty %s" % (name, _fmt_trials(seeds), _fmt_trials(empty)))
                out.append((name, seeds, empty))
            return out


def _fmt_trials(ts):
    return " ".join("%.1f" % t if t is not None else "-" for t in ts)


def summarise(ts, cap):
    """(median, worst, censored count); censored trials count as `cap` (so a median over the cap
    means the bug is missed in most trials)."""
    vals = [t if t is not None else cap for t in ts]
    return statistics.median(vals), max(vals), sum(t is None for t in ts)


def function_coverage(text, names):
    """Line coverage per function from `llvm-cov report -show-functions` output."""
    rows = (line.split() for line in text.splitlines())
    return {parts[0]: parts[6] for parts in rows if len(parts) >= 7 and parts[0] in names}


# The coverage table's functions: in i915_vgpu.c's and drm_mm.c's tables of campaign.coverage().
COVERED_FUNCTIONS = ("intel_vgt_balloon", "intel_vgt_deballoon", "drm_mm_reserve_node", "drm_mm_remove_node")


def coverage_rows(lifted, budget):
    """Per corpus: its label, i915_vgpu.c's line coverage, then that of each of COVERED_FUNCTIONS."""
    rows = []
    seeds_only = [fuzz.SEEDS, fuzz.REGRESSIONS]
    with scratch_dir(prefix="vgtfuzz-bench-cov-") as work:
        exe = os.path.join(build.build(build.Config(lifted, engine="libfuzzer"), targets=["vgtfuzz-libfuzzer"]),
                           "harness", "vgtfuzz-libfuzzer")
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        subprocess.run([exe, "-max_total_time=%d" % budget, "-dict=" + fuzz.DICT, corpus, fuzz.SEEDS],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
        for label, dirs in (("seeds + regressions", seeds_only),
                            ("after %d s of libFuzzer from the seeds" % budget, seeds_only + [corpus])):
            rep, funcs, _ = campaign.coverage(lifted, dirs)
            f = function_coverage(funcs, COVERED_FUNCTIONS)
            totals = [l for l in rep.splitlines() if l.startswith("drivers/gpu/drm/i915/i915_vgpu.c")]
            rows.append((label, totals[0].split()[9] if totals else "?")
                        + tuple(f.get(n, "?") for n in COVERED_FUNCTIONS))
    return rows


def run_bench(args):
    if args.throughput:
        return run_throughput(args)
    lifted = extract.lift_kernel(args.kernel)
    t0, where = time.time(), machine()
    note("throughput: %d s per measurement" % args.rate_seconds)
    rates = throughput(lifted, args.rate_seconds)
    note("time to detect: %d trials per bug, empty-corpus trials capped at %d s, %d at a time"
         % (args.trials, args.cap, args.jobs))
    ttd = detection(args.kernel, args.trials, args.cap, args.jobs, args.bugs or None)
    note("coverage")
    cov = coverage_rows(lifted, args.coverage_budget)
    found = [(name, summarise(seeds, args.cap), summarise(empty, args.cap))
             for name, seeds, empty in ttd if not name.startswith(bugs.CONTROL)]
    control_hits = [(name, sum(t is not None for t in empty))
                    for name, _, empty in ttd if name.startswith(bugs.CONTROL)]

    date = time.strftime("%Y-%m-%d", time.gmtime())
    base = os.path.join(ROOT, "reports", "bench-%s" % date)
    tsv = os.path.join(tempfile.gettempdir(), "vgtfuzz-bench.tsv")
    with open(tsv, "w") as f:
        for i, (name, s, e) in enumerate(found):
            f.write("%d\t%s\t%.3f\t%.3f\n" % (i, name, s[0], e[0]))
    plot = base + ".png"
    script = ("set terminal png size 1000,520; set output '%s'; set title 'median time to detect (s, log scale; "
              "cap %d s)'; set logscale y; set style data histograms; set style fill solid; set xtics rotate by -60 "
              "font ',8'; set key left top; plot '%s' using 3:xtic(2) title 'from the seeds', '' using 4 title "
              "'from an empty corpus'" % (plot, args.cap, tsv))
    have_plot = shutil.which("gnuplot") and subprocess.run(["gnuplot", "-e", script]).returncode == 0

    lines = ["# Benchmark %s: kernel %s" % (date, os.path.basename(lifted).split("-")[0]), "",
             "Written by `scripts/vgtfuzz bench` in %.0f s on %s (from /proc; load is the 1-minute average when it "
             "started): the figures are ratios and medians measured in one run, not absolute speeds."
             % (time.time() - t0, where), "", "## Throughput", ""]
    lines += table("build | target exec/s | do-nothing exec/s | ratio",
                   ["%s | %d | %d | %s" % (label, real, noop, "%.1f%%" % (100.0 * real / noop) if noop else "-")
                    for label, real, noop in rates])
    lines += ["Goal: the plain libFuzzer target at 20%% or more of the do-nothing target: **%s**."
              % met(rates[0][2] and rates[0][1] >= 0.2 * rates[0][2]), "",
              "What limits it: every input runs two whole implementations, and libFuzzer's own work per input "
              "grows with the features an input touches; the do-nothing target measures libFuzzer's floor, which "
              "no differential harness approaches (AFL++'s fork-server floor is far higher, hence its ratio). The "
              "yardstick that means something is `bench --throughput`: the target against the oracle-free "
              "kernel-only target (docs/performance.md).", ""]
    lines += ["## Time to detect the suite's bugs", "",
              "%d trials per bug. From the seeds: the committed seeds and regressions replayed (deterministic, so "
              "the trials agree; wall seconds). From an empty corpus: libFuzzer + ASan/UBSan with the dictionary, "
              "`-seed` varied per trial, capped at %d s of wall time; the time is the fuzzer's CPU seconds (user + "
              "system), so the machine's other load does not count; an undetected trial is censored (counted at "
              "the cap)." % (args.trials, args.cap), ""]
    rows = []
    for name, s, e in found:
        worst = "%.1f" % e[1] if e[2] == 0 else ">%d" % args.cap
        rows.append("%s | %.2f / %.2f | %.1f / %s | %d of %d" % (name, s[0], s[1], e[0], worst, e[2], args.trials))
    for name, hits in control_hits:
        rows.append("%s | - | %s | %d of %d trials ran the whole %d s without a finding" % (
            name, "FALSE POSITIVE" if hits else "clean", args.trials - hits, args.trials, args.cap))
    lines += table("bug | seeds: median / worst (wall s) | empty: median / worst (CPU s) | empty: censored", rows)
    if any(hits for _, hits in control_hits):
        lines += ["**The control found something: the harness has a false positive, so the times above "
                  "are not evidence.**", ""]
    worst_seeds, worst_empty = max(s[0] for _, s, _ in found), max(e[0] for _, _, e in found)
    lines += ["Goals: every bug detected in every trial: **%s**; median time to detect under 5 s from the seeds: "
              "**%s** (worst median %.2f s); under 60 s from an empty corpus: **%s** (worst median %.1f s)."
              % (met(all(s[2] == 0 and e[2] == 0 for _, s, e in found)), met(worst_seeds < 5), worst_seeds,
                 met(worst_empty < 60), worst_empty), ""]
    if have_plot:
        lines += ["![median time to detect](%s)" % os.path.basename(plot), ""]
    lines += ["## Coverage", ""] + table("corpus | i915_vgpu.c lines | " + " | ".join(COVERED_FUNCTIONS),
                                         [" | ".join(row) for row in cov])
    write_report(base + ".md", lines)
    return 0
