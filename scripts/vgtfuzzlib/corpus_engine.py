"""Corpus tools that need a build of the harness: minimise a finding keeping its signature (with
libFuzzer's -minimize_crash), and merge (cmin) corpora by coverage with libFuzzer's -merge."""
import os
import shutil
import subprocess
import tempfile

from .common import UsageError, note, say
from . import build, extract, replay


def _signature(exe, path):
    """The finding's own signature (a nondeterministic one unmarked), the dead process's, or None."""
    res, sig, _ = replay.run_json(exe, path)
    return sig if res is None else res["finding"] and res["finding"]["signature"]


# libFuzzer's own crash minimisation: each step mutates the input smaller and keeps a candidate
# only when it crashes with the same DEDUP_TOKEN (the top frames: our per-class abort function).
# VGTFUZZ_SHOW_ACCEPTED=1 makes an accepted finding crash too. The replayer then checks that the
# signature, which is finer than the class, is still the same.
MINIMIZE_RUNS, MINIMIZE_SECONDS = 10000, 60


def cmd_minimize(a):
    lifted = extract.lift_kernel(a.kernel)
    cfg = build.Config(lifted, engine="libfuzzer", sanitize=True, profile=a.profile, m32=a.m32)
    fuzzer = os.path.join(build.build(cfg, targets=["vgtfuzz-libfuzzer"]), "harness", "vgtfuzz-libfuzzer")
    exe = replay.standalone(a.kernel, sanitize=True, profile=a.profile, m32=a.m32)
    want = _signature(exe, a.file)
    if want is None:
        raise UsageError("%s shows no finding: nothing to minimise" % a.file)
    out = a.output or a.file + ".min"
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-min-") as scratch:
        small = os.path.join(scratch, "min")
        p = subprocess.run([fuzzer, "-minimize_crash=1", "-runs=%d" % MINIMIZE_RUNS,
                            "-max_total_time=%d" % MINIMIZE_SECONDS, "-exact_artifact_path=" + small,
                            os.path.abspath(a.file)],     # it runs in `scratch`
                           cwd=scratch, env=dict(os.environ, VGTFUZZ_SHOW_ACCEPTED="1"), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace")
        if not os.path.isfile(small):
            raise UsageError("libFuzzer -minimize_crash left no result (exit %d): %s"
                             % (p.returncode, (p.stdout.strip().splitlines() or ["no output"])[-1]))
        got = _signature(exe, small)
        if got != want:
            raise UsageError("libFuzzer's minimised input shows %s, not %s: %s left unchanged" % (got, want, a.file))
        shutil.copyfile(small, out)
    steps = p.stdout.count("minimize_crash_internal_step")
    say("%s: %d -> %d bytes in %d libFuzzer steps, still %s"
        % (out, os.path.getsize(a.file), os.path.getsize(out), steps, want))
    return 0


def cmd_merge(a):
    lifted = extract.lift_kernel(a.kernel)
    cfg = build.Config(lifted, engine="libfuzzer")
    exe = os.path.join(build.build(cfg, targets=["vgtfuzz-libfuzzer"]), "harness", "vgtfuzz-libfuzzer")
    for d in a.inputs:
        if not os.path.isdir(d):
            raise UsageError("no such corpus directory: %s" % d)
    os.makedirs(a.output, exist_ok=True)
    before = len(os.listdir(a.output))
    note("merging %s into %s by coverage" % (", ".join(a.inputs), a.output))
    # Accepted findings are not crashes; an unaccepted one would stop the merge, so say which.
    p = subprocess.run([exe, "-merge=1", a.output] + a.inputs, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise UsageError("libFuzzer -merge failed (an input with an unaccepted finding?): %s"
                         % (p.stdout.strip().splitlines()[-1:] or ["no output"])[0])
    say("%s: %d -> %d inputs" % (a.output, before, len(os.listdir(a.output))))
    return 0
