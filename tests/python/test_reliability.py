"""Issue 11: safe to leave running and to share. Each test reproduces one failure the issue
measured and runs the commands as the README writes them (plus --out DIR into a scratch
directory, which the README documents, so a test never touches the checkout's out/ or reports/):

- SIGTERM / SIGHUP stop the engines' whole process groups, keep the corpus, triage, write the report
  marked "interrupted" and exit 128 + the signal;
- a second `fuzz` on the same --out exits 2 in one line naming the first run's PID while the first
  finishes with 0; --time is honoured within 2 s; the report goes into the run directory;
- a full disk (a full tmpfs, when root), unreadable files, a closed pipe, non-UTF-8 JSON, huge
  numbers, deep JSON, an unusable cache: one line, exit 2, nothing half-written;
- `replay` from a read-only checkout (a read-only bind mount, when root);
- kpatch refuses absolute and `..` paths before copying; `fuzz --engine afl --m32` refuses before
  building; `bugs` / `corpus` without a verb exit 2; `replay DIR` works;
- replays tell the right story: a kernel BUG shows the state reached and the production trace, and
  names the kernel file's line; the shared-bl_info hazard needs an active vGPU; the i386 reproducer
  reproduces; the accepted BUG row is no wider than its reason.

Where a test cannot run here it is skipped with the reason."""
import fnmatch
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from common import ROOT, VGTFUZZ, become_subreaper, descendants, edit, tree_copy, vgtfuzz
from vgtfuzzlib import fuzz
from vgtfuzzlib.common import _fallback_root

REG = os.path.join(ROOT, "corpus", "regressions")
IS_ROOT = os.geteuid() == 0


def one_error_line(test, p, *words):
    """Exit 2, no traceback, and exactly one `error:` line on stderr, the last one."""
    test.assertEqual(p.returncode, 2, p.stdout + p.stderr)
    test.assertNotIn("Traceback", p.stderr)
    lines = [l for l in p.stderr.strip().splitlines() if l.strip()]
    errors = [l for l in lines if "error" in l.lower() or l.startswith("vgtfuzz corpus:")]
    test.assertEqual(len(errors), 1, p.stderr)
    test.assertEqual(errors[0], lines[-1], p.stderr)
    for w in words:
        test.assertIn(w, errors[0])
    return errors[0]


class Run:
    """`scripts/vgtfuzz ARGS` in the background, its stderr collected line by line."""

    def __init__(self, *args, env=None):
        self.p = subprocess.Popen([sys.executable, VGTFUZZ] + list(args), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        self.err, self.out = [], []
        self.times = []
        self.t_err = threading.Thread(target=self._read, args=(self.p.stderr, self.err), daemon=True)
        self.t_out = threading.Thread(target=self._read, args=(self.p.stdout, self.out), daemon=True)
        self.t_err.start()
        self.t_out.start()

    def _read(self, stream, into):
        for line in stream:
            into.append(line)
            self.times.append((time.time(), line))

    def wait_for(self, text, timeout):
        end = time.time() + timeout
        while time.time() < end:
            for t, line in list(self.times):
                if text in line:
                    return t
            if self.p.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError("no %r within %d s; stderr:\n%s" % (text, timeout, "".join(self.err)))

    def finish(self, timeout):
        rc = self.p.wait(timeout=timeout)
        self.t_err.join(5)
        self.t_out.join(5)
        self.p.stdout.close()
        self.p.stderr.close()
        return rc, "".join(self.out), "".join(self.err)


def processes_mentioning(text):
    """PIDs of live processes whose command line contains `text`."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmd and state != "Z":
            found.append((int(pid), cmd))
    return found


def start_afl_main(test, out):
    """Build the AFL++ target, make this process a subreaper (test_reliability checks what its
    runs leave behind) and start afl-fuzz as `-M main` into `out` in a session of its own, the
    way an engine runs: (its Popen, the target, our descendants before it started). Skips the
    test when afl-fuzz is missing."""
    if not shutil.which("afl-fuzz"):
        test.skipTest("afl-fuzz is not installed (scripts/vgtfuzz setup installs it)")
    p = vgtfuzz("build", "--engine", "afl")
    test.assertEqual(p.returncode, 0, p.stderr)
    exe = os.path.join(p.stdout.strip(), "harness", "vgtfuzz-afl")
    test.assertTrue(become_subreaper())
    before = descendants()
    env = dict(os.environ, AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1", AFL_NO_AFFINITY="1",
               AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1")
    afl = subprocess.Popen(["afl-fuzz", "-i", os.path.join(ROOT, "corpus", "seeds"), "-o", out, "-M", "main",
                            "-V", "60", "--", exe], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    return afl, exe, before


def nothing_left_below(test, before):
    """No process the test started survives it, stopped or zombie ones included (the test is a
    subreaper, so what its commands left behind is adopted here instead of by PID 1)."""
    time.sleep(0.2)
    left = {pid: what for pid, what in descendants().items() if pid not in before}
    test.assertEqual(left, {}, "left behind (state, command)")


class Signals(unittest.TestCase):
    def test_sigterm_stops_every_engine_and_reports_interrupted(self):
        work = tempfile.mkdtemp(prefix="vgtfuzz-sigterm-")
        out = os.path.join(work, "out")
        try:
            r = Run("fuzz", "--time", "120", "--jobs", "2", "--out", out, "--no-coverage")
            r.wait_for("fuzzing", 300)
            time.sleep(4)
            engines = [c for pid, c in processes_mentioning(out) if pid != r.p.pid and "vgtfuzz-libfuzzer" in c]
            self.assertGreaterEqual(len(engines), 2, "expected the fork-mode parent and a job: %s" % engines)
            t = time.time()
            r.p.send_signal(signal.SIGTERM)
            rc, stdout, stderr = r.finish(60)
            self.assertEqual(rc, 128 + signal.SIGTERM, stderr)
            self.assertLess(time.time() - t, 30, "SIGTERM took too long to act on")
            self.assertNotIn("Traceback", stderr)
            self.assertEqual(processes_mentioning(out), [], "engine processes survived SIGTERM")
            reports = glob.glob(os.path.join(out, "campaign-*.md"))
            self.assertEqual(len(reports), 1, os.listdir(out))
            with open(reports[0]) as f:
                self.assertIn("Interrupted** by SIGTERM", f.read())
            self.assertTrue(os.listdir(os.path.join(out, "corpus")), "the corpus was not kept")
            self.assertIn("interrupted: exit 143", stdout)
        finally:
            shutil.rmtree(work)

    def test_killed_afl_leaves_nothing_behind(self):
        """AFL++'s forkserver leaves afl-fuzz's process group (setsid) and keeps its persistent-mode
        child stopped between inputs: killing the group with SIGKILL left a stopped vgtfuzz-afl
        for ever. fuzz.stop_groups kills and reaps those too."""
        work = tempfile.mkdtemp(prefix="vgtfuzz-aflkill-")
        try:
            afl, exe, before = start_afl_main(self, work)
            end = time.time() + 60
            while not os.path.exists(os.path.join(work, "main", "fuzzer_stats")) and time.time() < end \
                    and afl.poll() is None:
                time.sleep(0.5)
            time.sleep(1)
            running = [w for w in descendants().values() if exe in w]
            self.assertTrue(running, "afl-fuzz did not start its target")
            fuzz.stop_groups([afl], signal.SIGKILL, grace=0)
            nothing_left_below(self, before)
        finally:
            shutil.rmtree(work)

    def test_killed_afl_leaves_nothing_behind_from_session_zero(self):
        """The same, run the way a CI runner started without setsid() runs it: in session 0 (a
        session whose leader is outside our PID namespace reads as 0). fuzz._adopted compared a
        process's tty number with our session; the escaped forkserver has no tty (0), so from
        session 0 it looked like one of ours and was left, stopped child and all (CI, stop 18)."""
        if not IS_ROOT or not shutil.which("unshare"):
            self.skipTest("needs root and unshare(1) to start a PID namespace")
        probe = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "-c",
                                "import os; print(os.getsid(0))"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        if probe.returncode != 0 or probe.stdout.strip() != "0":
            self.skipTest("unshare --pid did not give session 0: %s" % (probe.stderr.strip() or probe.stdout))
        test = "test_reliability.Signals.test_killed_afl_leaves_nothing_behind"
        # bash, not Python, is PID 1 of the namespace: PID 1 reaps differently from a subreaper.
        p = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "bash", "-c",
                            '"$0" -m unittest "$1"; exit $?', sys.executable, test],
                           cwd=os.path.dirname(os.path.abspath(__file__)), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=500)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("Ran 1 test", p.stdout)
        self.assertNotIn("skipped", p.stdout)

    def test_sighup_stops_afl_and_says_it_has_no_sanitizer(self):
        if not shutil.which("afl-fuzz"):
            self.skipTest("afl-fuzz is not installed (scripts/vgtfuzz setup installs it)")
        self.assertTrue(become_subreaper())
        before = descendants()
        work = tempfile.mkdtemp(prefix="vgtfuzz-sighup-")
        out = os.path.join(work, "out")
        try:
            r = Run("fuzz", "--engine", "afl", "--jobs", "2", "--time", "120", "--out", out, "--no-coverage")
            r.wait_for("fuzzing", 300)
            time.sleep(5)
            engines = [c for pid, c in processes_mentioning(out) if c.startswith("afl-fuzz")]
            self.assertEqual(len(engines), 2, engines)
            r.p.send_signal(signal.SIGHUP)
            rc, stdout, stderr = r.finish(60)
            self.assertEqual(rc, 128 + signal.SIGHUP, stderr)
            self.assertEqual(processes_mentioning(out), [], "afl-fuzz survived SIGHUP")
            nothing_left_below(self, before)
            self.assertIn("no sanitizer", stderr)
            with open(glob.glob(os.path.join(out, "campaign-*.md"))[0]) as f:
                report = f.read()
            self.assertIn("Interrupted** by SIGHUP", report)
            self.assertIn("triaged through the ASan+UBSan replayer", report)
            self.assertTrue(os.listdir(os.path.join(out, "afl", "main", "queue")), "the queue was not kept")
        finally:
            shutil.rmtree(work)


class SharedUse(unittest.TestCase):
    def test_second_run_on_same_out_is_refused_and_time_is_honoured(self):
        work = tempfile.mkdtemp(prefix="vgtfuzz-lock-")
        out = os.path.join(work, "out")
        before = {p: os.path.getmtime(p) for p in glob.glob(os.path.join(ROOT, "reports", "*"))}
        try:
            first = Run("fuzz", "--time", "6", "--out", out, "--no-coverage")
            started = first.wait_for("fuzzing", 300)
            second = vgtfuzz("fuzz", "--time", "5", "--out", out, "--no-coverage", timeout=120)
            line = one_error_line(self, second, "in use by vgtfuzz PID %d" % first.p.pid, "--out")
            self.assertIn(out, line)
            rc, stdout, stderr = first.finish(300)
            self.assertEqual(rc, 0, stdout + stderr)
            ended = first.wait_for("executions", 1)
            self.assertLess(ended - started, 6 + 2, "--time 6 fuzzed for %.1f s" % (ended - started))
            self.assertTrue(glob.glob(os.path.join(out, "campaign-*.md")), os.listdir(out))
            after = {p: os.path.getmtime(p) for p in glob.glob(os.path.join(ROOT, "reports", "*"))}
            self.assertEqual(before, after, "fuzz without --report-dir changed reports/")
        finally:
            shutil.rmtree(work)

    def test_a_replayer_that_does_not_start_is_not_a_finding(self):
        if not shutil.which("prlimit"):
            self.skipTest("prlimit (util-linux) is not installed")
        work = tempfile.mkdtemp(prefix="vgtfuzz-nostart-")
        try:
            # 8 GB of address space: Python runs, ASan cannot map its shadow memory.
            p = subprocess.run(["prlimit", "--as=8000000000", sys.executable, VGTFUZZ, "fuzz", "--time", "5",
                                "--out", os.path.join(work, "out"), "--no-coverage"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=300)
            one_error_line(self, p, "did not start")
            self.assertNotIn("finding", p.stdout + p.stderr)
        finally:
            shutil.rmtree(work)

    def test_afl_that_does_not_start_is_not_a_success(self):
        """Issue 11, item 3: an afl-fuzz outside vgtfuzz holds out/afl/main; ours exits at once ("in
        use"), and the other one's fuzzer_stats must not become this run's figures (exit 0)."""
        work = tempfile.mkdtemp(prefix="vgtfuzz-aflbusy-")
        self.addCleanup(shutil.rmtree, work)
        out = os.path.join(work, "out")
        os.makedirs(out)
        other, _, before = start_afl_main(self, os.path.join(out, "afl"))
        try:
            stats = os.path.join(out, "afl", "main", "fuzzer_stats")
            end = time.time() + 30
            while not os.path.exists(stats) and time.time() < end and other.poll() is None:
                time.sleep(0.5)
            self.assertTrue(os.path.exists(stats), "the outside afl-fuzz did not start")
            time.sleep(1)
            p = vgtfuzz("fuzz", "--engine", "afl", "--time", "5", "--out", out, "--no-coverage", timeout=300)
            one_error_line(self, p, "afl-fuzz did not start")
            self.assertNotIn("executions", p.stderr)
        finally:
            fuzz.stop_groups([other], signal.SIGKILL, grace=0)
        nothing_left_below(self, before)

    def test_builds_of_one_configuration_take_turns(self):
        """Issue 11, item 3: two runs building one configuration (after a source change, one failed
        with `ld: cannot find libvgtf_target.a`) now take turns: the second waits, naming the PID."""
        p = vgtfuzz("build")
        self.assertEqual(p.returncode, 0, p.stderr)
        bdir = p.stdout.strip()
        holder = subprocess.Popen([sys.executable, "-c", (
            "import sys, time; sys.path.insert(0, %r)\n"
            "from vgtfuzzlib.common import Lock\n"
            "with Lock(%r, 'x', wait=False):\n"
            "    print('held', flush=True); time.sleep(3)") % (os.path.join(ROOT, "scripts"), bdir + ".lock")],
            stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(holder.stdout.readline().strip(), "held")
            t = time.time()
            p = vgtfuzz("build")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("waiting for build configuration %s (in use by vgtfuzz PID %d)" %
                          (bdir, holder.pid), p.stderr)
            self.assertGreater(time.time() - t, 1.5, "the second build did not wait")
        finally:
            holder.wait(30)
            holder.stdout.close()

    def test_afl_m32_refused_before_building(self):
        t = time.time()
        p = vgtfuzz("fuzz", "--engine", "afl", "--m32", "--time", "5")
        one_error_line(self, p, "-m32", "--engine libfuzzer")
        self.assertNotIn("configuring", p.stderr)
        self.assertNotIn("building", p.stderr)
        self.assertLess(time.time() - t, 30)

    def test_out_is_a_file(self):
        one_error_line(self, vgtfuzz("fuzz", "--out", "/etc/hostname", "--time", "5"), "/etc/hostname",
                       "not a directory")


class BadFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vgtfuzz-badfiles-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, name, data):
        p = os.path.join(self.tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def encode_refused(self, data, *words):
        out = os.path.join(self.tmp, "out.bin")
        p = vgtfuzz("corpus", "encode", self.path("in.json", data), out)
        one_error_line(self, p, *words)
        self.assertFalse(os.path.exists(out), "a refused encode left an output file")

    def test_non_utf8_json(self):
        self.encode_refused(b'{"comment": "\xff\xfe"}', "not UTF-8")

    def test_5000_digit_number(self):
        self.encode_refused(b'{"page": {"mappable_base": %s}}' % (b"9" * 5000), "digits")
        self.encode_refused(b'{"page": {"mappable_base": "%s"}}' % (b"9" * 5000), "digits")

    def test_deep_json(self):
        self.encode_refused(b"[" * 100000 + b"]" * 100000, "nested too deeply")

    def test_replay_of_an_unreadable_file(self):
        f = self.path("unreadable", b"\0" * 100)
        os.chmod(f, 0)
        os.chmod(self.tmp, 0o755)
        cmd = [sys.executable, VGTFUZZ, "replay", f]
        if IS_ROOT:
            if not shutil.which("setpriv"):
                self.skipTest("root reads any file, and setpriv (to run as nobody) is not installed")
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        one_error_line(self, p, f, "permission")

    def test_replay_into_a_closed_pipe(self):
        p = subprocess.Popen([sys.executable, VGTFUZZ, "replay", REG], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        rc = p.wait(timeout=300)
        p.stderr.close()
        one_error_line(self, subprocess.CompletedProcess([], rc, "", err), "broken pipe")

    def test_unusable_cache_dir(self):
        env = dict(os.environ, VGTFUZZ_CACHE="/etc/hostname/cache")
        p = subprocess.run([sys.executable, VGTFUZZ, "lift", "--kernel", "6.12"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env, timeout=120)
        one_error_line(self, p, "/etc/hostname/cache", "VGTFUZZ_CACHE")

    def test_verbless_corpus_and_bugs(self):
        for cmd in ("corpus", "bugs"):
            one_error_line(self, vgtfuzz(cmd), "needs a verb")

    def test_kpatch_path_traversal_refused_before_copying(self):
        victim = os.path.join(self.tmp, "victim")
        rel = os.path.relpath(victim, os.path.join(self.tmp, "out", "patched-tree"))
        for header in ("b/" + rel, victim):
            patch = self.path("evil.patch", ("--- a/x\n+++ %s\n@@ -0,0 +1 @@\n+owned\n" % header).encode())
            p = vgtfuzz("kpatch", patch, "--out", os.path.join(self.tmp, "out"), "--time", "0")
            one_error_line(self, p, "absolute paths and `..` are refused")
            self.assertFalse(os.path.exists(victim))
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "out", "patched-tree")),
                             "kpatch copied the tree before refusing the patch")

    @unittest.skipUnless(IS_ROOT, "mounting a small tmpfs needs root")
    def test_full_disk(self):
        mnt = os.path.join(self.tmp, "full")
        os.makedirs(mnt)
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt], stderr=subprocess.PIPE, text=True)
        if p.returncode:
            self.skipTest("cannot mount a tmpfs here: %s" % p.stderr.strip())
        try:
            run = os.path.join(mnt, "run")
            os.makedirs(os.path.join(run, "corpus"))
            try:
                with open(os.path.join(mnt, "fill"), "wb") as f:
                    while True:
                        f.write(b"\0" * 4096)
                        f.flush()
            except OSError:
                pass
            # corpus encode: no output at all, not a zero-byte (valid, different) test case.
            spec = self.path("spec.json", b'{"page": {"magic": "VGT_MAGIC", "version_major": 1}}')
            p = vgtfuzz("corpus", "encode", spec, os.path.join(mnt, "case.bin"))
            one_error_line(self, p, "No space left on device")
            self.assertFalse(os.path.exists(os.path.join(mnt, "case.bin")))
            # fuzz on a full disk: one line before anything is built or written.
            p = vgtfuzz("fuzz", "--time", "30", "--out", run, "--no-coverage", timeout=300)
            one_error_line(self, p, "no space left on device in %s" % run, "--out")
            self.assertNotIn("building", p.stderr)
            # fuzz on a disk that fills up while libFuzzer writes its corpus (128 KiB left): one
            # line, exit 2, no zero-byte corpus file (an empty input under another input's
            # name), no half report, no engine left.
            os.remove(os.path.join(mnt, "fill"))
            with open(os.path.join(mnt, "fill"), "wb") as f:
                f.write(b"\0" * (512 - 128) * 1024)
            p = vgtfuzz("fuzz", "--time", "30", "--out", run, "--no-coverage", timeout=300)
            self.assertIn("fuzzing", p.stderr)
            one_error_line(self, p, "no space left on device in %s" % run)
            for d in ("corpus", "artifacts", "findings"):
                for f in glob.glob(os.path.join(run, d, "**"), recursive=True):
                    if os.path.isfile(f):
                        self.assertGreater(os.path.getsize(f), 0, "zero-byte file left: %s" % f)
            self.assertFalse(glob.glob(os.path.join(run, "campaign-*")), os.listdir(run))
            self.assertEqual(processes_mentioning(run), [])
        finally:
            subprocess.run(["umount", "-l", mnt])


class ReadOnlyCheckout(unittest.TestCase):
    @unittest.skipUnless(IS_ROOT, "a read-only bind mount of the checkout needs root")
    def test_replay_from_a_read_only_checkout(self):
        if not shutil.which("unshare"):
            self.skipTest("unshare (util-linux) is not installed")
        # The configuration `replay` uses (clang ASan+UBSan), up to date in the checkout's build/.
        p = vgtfuzz("build", "--cc", "clang", "--sanitize")
        self.assertEqual(p.returncode, 0, p.stderr)
        case = os.path.join(REG, "shared-bl_info-balloon-second-device")
        script = ('mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && '
                  'if touch "$1/.rw-probe" 2>/dev/null; then echo "still writable" >&2; exit 3; fi && '
                  'exec "$2" "$1/scripts/vgtfuzz" replay "$3"')
        # An up-to-date build is used where it is: nothing is built in the cache's fallback.
        fallback = _fallback_root()
        shutil.rmtree(fallback, ignore_errors=True)
        p = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", ROOT,
                            sys.executable, case], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=600)
        if p.returncode != 0 and "verdict" not in p.stdout and re.search(r"^(unshare|mount):", p.stderr, re.M):
            self.skipTest("cannot make a read-only bind mount here: %s" % p.stderr.strip().splitlines()[-1])
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr)
        self.assertIn("verdict: hazard/balloon/shared-bl_info (accepted)", p.stdout)
        self.assertNotIn("Traceback", p.stderr)
        self.assertFalse(os.path.exists(fallback), "the up-to-date build was not used: built again in %s" % fallback)


class BuildDir(unittest.TestCase):
    def test_lifts_go_to_the_build_dir(self):
        tree = tree_copy()
        work = tempfile.mkdtemp(prefix="vgtfuzz-builddir-")
        try:
            edit(tree, "drivers/gpu/drm/drm_mm.c", "#include", "/* a lift of its own */\n#include")
            p = vgtfuzz("--build-dir", work, "lift", "--kernel", tree)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(p.stdout.strip().startswith(os.path.join(work, "lifted") + os.sep), p.stdout)
            self.assertTrue(os.path.isfile(os.path.join(p.stdout.strip(), "LIFTED.json")))
        finally:
            shutil.rmtree(tree)
            shutil.rmtree(work)


class HonestReplays(unittest.TestCase):
    def test_replay_after_a_kernel_bug(self):
        p = vgtfuzz("replay", "--profile", "debug", os.path.join(REG, "debug-bug-unaligned-mappable-base"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        lines = p.stdout.splitlines()
        # The op table: the op, then each module's result on the next line.
        at = [i for i, l in enumerate(lines[:-1]) if re.match(r"\s*\d+\. balloon dev 0$", l)
              and lines[i + 1].lstrip().startswith("kernel:")]
        self.assertTrue(at, p.stdout)
        kernel, production = lines[at[0] + 1].split(" | ")
        self.assertIn("kernel: kernel BUG", kernel)
        self.assertNotRegex(kernel, r"\(reserved 0\)", "the state reached before the BUG is lost")
        self.assertRegex(production, r"production: ret 0, reserved \d+ MiB")
        # The kernel file's line a developer looks up, not the lifted fragment's.
        self.assertRegex(p.stdout, r"verdict: kernel-bug/balloon/i915_gem_gtt\.c:1\d\d \(accepted\)")
        self.assertIn("at drivers/gpu/drm/i915/i915_gem_gtt.c:", p.stdout)
        self.assertNotIn("first divergence (op -1)", p.stdout)
        self.assertIn("not run", p.stdout)
        self.assertIn("where op", p.stdout)
        self.assertIn("////", p.stdout, "the picture does not show the nodes reserved before the BUG")

    def test_hazard_needs_an_active_vgpu(self):
        p = vgtfuzz("replay", os.path.join(REG, "shared-bl_info-not-a-vgpu-no-hazard"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("verdict: clean", p.stdout)
        self.assertNotIn("not run", p.stdout)

    def test_i386_reproducer_reproduces(self):
        f = os.path.join(REG, "i386-4g-ggtt-einval")
        p = vgtfuzz("replay", "--m32", "--plain", f)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("verdict: i386/balloon/", p.stdout)
        self.assertIn("i386 build", p.stdout)
        self.assertRegex(p.stdout, r"kernel: ret -22, reserved 0 \| production: ret 0")
        d = vgtfuzz("corpus", "decode", f)
        self.assertIn("on i386 ggtt_end = total truncates to 0x0", d.stdout)
        # A hidden slice ending at exactly 4 GiB wraps like ggtt_end: the decoder says so.
        d = vgtfuzz("corpus", "decode", os.path.join(ROOT, "corpus",
                    "seeds", "region-absent-space3-unmappable-end-at-G"))
        self.assertIn("[end wraps to 0x0 in a 32-bit unsigned long]", d.stdout)

    def test_accepted_bug_row_no_wider_than_its_reason(self):
        with open(os.path.join(ROOT, "harness", "accepted.def")) as f:
            rows = re.findall(r'VGTF_ACCEPT\("([^"]*)"', f.read())

        def match(key): return any(fnmatch.fnmatchcase(key, r) for r in rows)  # noqa: E731
        sig = "kernel-bug/balloon/i915_gem_gtt.c:%d"
        self.assertTrue(match(sig % 105 + ": GEM_BUG_ON(!IS_ALIGNED(size, I915_GTT_PAGE_SIZE))"))
        self.assertTrue(match(sig % 107 + ": GEM_BUG_ON(!IS_ALIGNED(offset, I915_GTT_MIN_ALIGNMENT))"))
        self.assertFalse(match(sig % 107 + ": GEM_BUG_ON(range_overflows(offset, size, vm->total))"))
        self.assertFalse(match(sig % 109 + ": GEM_BUG_ON(drm_mm_node_allocated(node))"))
        self.assertFalse(match(sig % 105))

    def test_replay_a_directory(self):
        p = vgtfuzz("replay", REG)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("verdict: "), len(os.listdir(REG)))


if __name__ == "__main__":
    unittest.main()
