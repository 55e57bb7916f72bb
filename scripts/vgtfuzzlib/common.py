"""Shared plumbing: project paths, the cache, exit codes, running commands, locks, atomic writes.

Builds and lifts live in build/ and extracted/lifted/ of the checkout, unless
VGTFUZZ_BUILD_DIR (or the front door's --build-dir) names another directory: then builds go to
it and lifts to its lifted/ subdirectory. A checkout that is not writable (a read-only clone or
mount) uses its existing lifts and builds when they are up to date and otherwise builds in the
cache (~/.cache/vgtfuzz/build-<digest of the checkout path>).
"""
import argparse
import contextlib
import errno
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
CHECKOUT_LIFTED = os.path.join(ROOT, "extracted", "lifted")
CHECKOUT_BUILD = os.path.join(ROOT, "build")

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
# An interrupted run (Ctrl-C, SIGTERM, SIGHUP) exits 128 + the signal: 130, 143, 129.
EXIT_INTERRUPTED_BASE = 128


class UsageError(Exception):
    """A usage or set-up problem: printed as one line, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a UsageError: one line and exit 2, never a stack trace."""

    def error(self, message):
        raise UsageError("%s: %s (see --help)" % (self.prog, message))


def opt(*flags, **kw):
    """An argparse option as data, (flags, keywords): the rows of the subcommand tables (cli.COMMANDS)."""
    return flags, kw


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C (SIGINT raises KeyboardInterrupt itself)."""

    def __init__(self, signum=signal.SIGINT):
        super().__init__(signum)
        self.signum = signum


def interrupt_signal(exc):
    """The signal number behind a KeyboardInterrupt (SIGINT for a plain one)."""
    return getattr(exc, "signum", signal.SIGINT)


def install_signal_handlers():
    """SIGTERM and SIGHUP raise Interrupted, so every `except KeyboardInterrupt` treats them as Ctrl-C."""
    def handler(signum, frame):
        raise Interrupted(signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def _cache_base():
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.abspath(os.environ.get("VGTFUZZ_CACHE") or os.path.join(xdg, "vgtfuzz"))


def cache_dir():
    """Where downloaded packages and unpacked kernel trees live (outside git)."""
    base = _cache_base()
    try:
        os.makedirs(base, exist_ok=True)
        if not os.access(base, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "not writable", base)
    except OSError as e:
        raise UsageError("cache directory %s is unusable (%s): set VGTFUZZ_CACHE to a writable directory"
                         % (base, e.strerror)) from None
    return base


def writable(path):
    """Can we create files in `path` (or, if it does not exist yet, in its nearest existing parent)?"""
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _fallback_root():
    digest = hashlib.sha256(ROOT.encode()).hexdigest()[:10]
    return os.path.join(_cache_base(), "build-" + digest)


def _root(checkout, *sub):
    env = os.environ.get("VGTFUZZ_BUILD_DIR")
    if env:
        return os.path.join(os.path.abspath(env), *sub)
    return checkout if writable(checkout) else os.path.join(_fallback_root(), *sub)


def build_root():
    """Where build configurations go (see the module doc)."""
    return _root(CHECKOUT_BUILD)


def lifted_root():
    """Where new lifts go (see the module doc)."""
    return _root(CHECKOUT_LIFTED, "lifted")


def say(msg):
    print(msg, flush=True)


def note(msg):
    """Progress for a person, on stderr so stdout stays parseable."""
    print("vgtfuzz: " + msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, quiet=False, env=None, check=True):
    """Run a command; on failure raise UsageError naming it (with its tail when quiet)."""
    captured = dict(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace") if quiet else {}
    p = subprocess.run(cmd, cwd=cwd, env=env, **captured)
    if check and p.returncode != 0:
        tail = ""
        if quiet and p.stdout:
            lines = p.stdout.strip().splitlines()
            full = [l for l in lines if "No space left on device" in l]
            if full:    # a full disk is one line, as every other set-up error
                raise UsageError("no space left on device while running %s: %s" % (cmd[0], full[0].strip()))
            tail = "\n" + "\n".join(lines[-25:])
        e = UsageError("command failed (exit %d): %s%s" % (p.returncode, " ".join(cmd), tail))
        e.output = p.stdout if quiet else None     # the whole output, for a caller that explains it
        raise e
    return p


def atomic_write(path, data, mode=0o644):
    """Write `data` (bytes or str) to `path` through a temporary name in the same directory and a
    rename: a reader (or a full disk) never sees half a file. On failure nothing is left behind."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not e.filename:
            e.filename = path
        raise


class Lock:
    """An advisory lock (flock) on `path`, holding our PID. wait=False: a second holder gets a
    UsageError naming the first one's PID and `hint`; wait=True: it waits (saying so)."""

    def __init__(self, path, what, hint="", wait=False):
        self.path, self.what, self.hint, self.wait = path, what, hint, wait
        self.fd = None

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self.holder()
            if not self.wait:
                os.close(self.fd)
                self.fd = None
                raise UsageError("%s is in use by vgtfuzz PID %s%s" % (self.what, holder or "?",
                                                                       ": " + self.hint if self.hint else "")) from None
            note("waiting for %s (in use by vgtfuzz PID %s)" % (self.what, holder or "?"))
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):     # the PID is only for a second run's message (a full disk may refuse it)
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, b"%d\n" % os.getpid(), 0)
        return self

    def holder(self):
        try:
            return os.pread(self.fd, 32, 0).decode("ascii", "replace").strip()
        except OSError:
            return None

    def __exit__(self, *exc):
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)   # closing drops the flock
            self.fd = None
        return False


def disk_full(path, need=64 * 1024):
    """Less than `need` bytes (or no inode) left for us on the file system holding `path`."""
    try:
        st = os.statvfs(path)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < need or (st.f_files > 0 and st.f_favail == 0)


def describe_oserror(e):
    """One line for an OSError the tool did not expect: what, where, and how to fix it."""
    where = e.filename or ""
    if e.filename2:
        where += " -> %s" % e.filename2
    full = "free some space, or point --out / VGTFUZZ_BUILD_DIR / VGTFUZZ_CACHE elsewhere"
    denied = "check its permissions, or point --out / VGTFUZZ_BUILD_DIR elsewhere"
    fix = {errno.ENOSPC: full, errno.EDQUOT: full, errno.EACCES: denied, errno.EPERM: denied,
           errno.EROFS: "a read-only file system: point --out / VGTFUZZ_BUILD_DIR at a writable directory",
           errno.ENOTDIR: "a path component is a file, not a directory",
           errno.EISDIR: "a directory where a file was expected",
           errno.ENOENT: "no such file or directory"}.get(e.errno, "")
    return "%s%s%s" % (e.strerror or e, (": " + where) if where else "", (" (" + fix + ")") if fix else "")
