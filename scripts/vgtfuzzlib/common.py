"""Shared plumbing: project paths, the cache, exit codes, running commands."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
LIFTED = os.path.join(ROOT, "extracted", "lifted")
BUILD = os.path.join(ROOT, "build")

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A usage or set-up problem: printed as one line, exit 2."""


def cache_dir():
    """Where downloaded packages and unpacked kernel trees live (outside git)."""
    base = os.environ.get("VGTFUZZ_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "vgtfuzz")
    os.makedirs(base, exist_ok=True)
    return base


def say(msg):
    print(msg, flush=True)


def note(msg):
    """Progress for a person, on stderr so stdout stays parseable."""
    print("vgtfuzz: " + msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, quiet=False, env=None, check=True):
    """Run a command; on failure raise UsageError naming it (with its tail when quiet)."""
    if quiet:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    else:
        p = subprocess.run(cmd, cwd=cwd, env=env)
    if check and p.returncode != 0:
        tail = ""
        if quiet and p.stdout:
            tail = "\n" + "\n".join(p.stdout.strip().splitlines()[-25:])
        raise UsageError("command failed (exit %d): %s%s" % (p.returncode, " ".join(cmd), tail))
    return p
