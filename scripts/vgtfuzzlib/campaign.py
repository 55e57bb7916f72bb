"""What a campaign leaves behind: findings bucketed by signature, and the seed coverage."""
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess

from .common import ROOT, atomic_write, note
from . import build, replay, report, testcase


def bucket_name(sig):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", sig)[:120]


def triage(crash_files, exe, findings_dir, build_info):
    """Replay every crash file with the standalone replayer and file it under its signature.
    Returns {signature: {"count", "reproducer", "detail", "accepted", "decoded"}}."""
    buckets = {}
    for r in replay.replay_inputs(exe, sorted(crash_files, key=os.path.getsize)):
        # r["accepted"]: why the reproduced finding is accepted; None for every other outcome.
        path, res, sig, accepted = r["input"], r["result"], r["signature"], r["accepted"]
        if res and not res["finding"]:
            # The fuzzer saw a crash the replayer does not reproduce: say so, keep the file.
            afl = report.afl_crash(path)
            sig = "unreproduced/" + ("afl-signal-%s" % afl["signal"] if afl else os.path.basename(path).split("-")[0])
        if sig in buckets:
            buckets[sig]["count"] += 1
            continue
        # The first divergence; nothing when unreproduced; the end of a dead replayer's report.
        detail = (res["finding"] or {}).get("detail", "") if res else "\n".join(r["report"].strip().splitlines()[-6:])
        d = os.path.join(findings_dir, bucket_name(sig))
        os.makedirs(d, exist_ok=True)
        repro = os.path.join(d, "reproducer")
        with open(path, "rb") as f:
            data = f.read()
        # The replayer's --json carries the decoded scenario; a process that died wrote none.
        scenario = res["scenario"] if res else testcase.decode(data)
        decoded = testcase.describe(scenario)
        # Every file through a temporary name: a full disk leaves no half-written finding.
        atomic_write(repro, data)
        atomic_write(os.path.join(d, "decoded.txt"), decoded + "\n")
        atomic_write(os.path.join(d, "decoded.json"), json.dumps(scenario, indent=1))
        info = dict(build_info, signature=sig, detail=detail, accepted=accepted,
                    sha256=hashlib.sha256(data).hexdigest())
        atomic_write(os.path.join(d, "finding.json"), json.dumps(info, indent=1))
        buckets[sig] = {"count": 1, "reproducer": repro, "detail": detail, "accepted": accepted,
                        "decoded": decoded, "hex": data.hex()}
    return buckets


def coverage(lifted, corpus_dirs, html_dir=None):
    """Replay corpora in a clang coverage build of the standalone replayer. Returns (summary of the
    lifted balloon code and drm_mm, per-function tables of i915_vgpu.c and drm_mm.c, summary of impl/); with
    `html_dir`, also writes llvm-cov's HTML report of the lifted files and impl/ there."""
    bdir = build.build(build.Config(lifted, compiler="clang", coverage=True), targets=["vgtfuzz-standalone"])
    exe = os.path.join(bdir, "harness", "vgtfuzz-standalone")
    prof_dir = os.path.join(bdir, "profiles")
    shutil.rmtree(prof_dir, ignore_errors=True)
    os.makedirs(prof_dir)
    env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(prof_dir, "%p.profraw"))
    # corpus_dirs: directories (decoded for $VGTFUZZ_TARGET) or (directory, target) pairs.
    groups = {}
    for d in corpus_dirs:
        d, target = d if isinstance(d, tuple) else (d, testcase.current_target())
        groups.setdefault(target, []).append(d)
    for target, dirs in groups.items():
        subprocess.run([exe, "--target", target] + dirs, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    merged = os.path.join(bdir, "corpus.profdata")
    subprocess.run(["llvm-profdata", "merge", "-sparse", "-o", merged] + glob.glob(os.path.join(prof_dir, "*.profraw")),
                   check=True)
    lifted_sources = [os.path.join(lifted, "drivers/gpu/drm/i915/i915_vgpu.c"),
                      os.path.join(lifted, "fragments/i915_gem_gtt_reserve.c"),
                      os.path.join(lifted, "drivers/gpu/drm/drm_mm.c")]
    impl_sources = sorted(glob.glob(os.path.join(ROOT, "impl", "src", "*.c")))
    # The gvt target also runs the lifted host side (docs/gvt.md): its files join the summary.
    host_aperture = os.path.join(lifted, "drivers/gpu/drm/i915/gvt/aperture_gm.c")
    if "gvt" in groups and os.path.exists(host_aperture):
        lifted_sources += [host_aperture] + sorted(glob.glob(os.path.join(lifted, "fragments", "host", "*.c")))

    def cov_report(*args):
        return subprocess.run(["llvm-cov", "report", exe, "-instr-profile=" + merged] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True).stdout.replace(lifted + "/", "").replace(ROOT + "/", "")

    rep, impl = cov_report(*lifted_sources), cov_report(*impl_sources)
    funcs = cov_report("-show-functions", lifted_sources[0]) + "\n" + cov_report("-show-functions", lifted_sources[2])
    if html_dir:
        shutil.rmtree(html_dir, ignore_errors=True)
        subprocess.run(["llvm-cov", "show", exe, "-instr-profile=" + merged, "-format=html",
                        "-output-dir=" + html_dir] + lifted_sources + impl_sources, check=True,
                       stdout=subprocess.DEVNULL)
    return rep, funcs, impl


# The drm_mm functions a running i915 GGTT reaches: insert (every mode), reserve, remove, the hole
# trees and stack, the eviction scan and colour eviction (docs/drm_mm.md).
DRM_MM_I915 = ("drm_mm_insert_node_in_range", "first_hole", "next_hole", "best_hole", "find_hole_addr",
               "next_hole_low_addr", "next_hole_high_addr", "usable_hole_addr", "drm_mm_reserve_node",
               "drm_mm_remove_node", "add_hole", "rm_hole", "insert_hole_size", "insert_hole_addr",
               "drm_mm_interval_tree_add_node", "drm_mm_scan_init_with_range", "drm_mm_scan_add_block",
               "drm_mm_scan_remove_block", "drm_mm_scan_color_evict", "drm_mm_init")


def drm_mm_i915_lines(funcs_table):
    """(covered lines, lines, [(function, missed, lines)]) of DRM_MM_I915 in llvm-cov's
    -show-functions table (columns: name, regions, missed, cover, lines, missed, cover, ...)."""
    rows = []
    for parts in (line.split() for line in funcs_table.splitlines()):
        name = parts[0].rsplit(":", 1)[-1] if parts else ""   # static functions: "drm_mm-shim.c:first_hole"
        if len(parts) >= 7 and name in DRM_MM_I915 and parts[4].isdigit() and parts[5].isdigit():
            rows.append((name, int(parts[5]), int(parts[4])))
    return sum(n - miss for _, miss, n in rows), sum(n for _, _, n in rows), rows


def gnuplot(tsv, png, title, columns):
    """Plot columns of a TSV (first column: seconds) to PNG. Returns False without gnuplot."""
    if not shutil.which("gnuplot"):
        note("gnuplot not found: no plot (run `scripts/vgtfuzz setup`)")
        return False
    plots = ", ".join("'%s' using 1:%d with lines title '%s'" % (tsv, col, name) for col, name in columns)
    script = ("set terminal png size 900,420; set output '%s'; set title '%s'; set xlabel 'seconds';"
              "set key left top; set grid; plot %s" % (png, title, plots))
    return subprocess.run(["gnuplot", "-e", script], stderr=subprocess.DEVNULL).returncode == 0


def rel(path):
    """`path` relative to the checkout when it lies inside it, else absolute."""
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path
