"""`vgtfuzz lint [--fix]`: the house habits, checked (and run by the test suite,
tests/python/test_lint.py):

- clang-format (.clang-format) on our C: harness/, impl/, tests/, extracted/ outside lifted/;
- flake8 and mypy (setup.cfg) on scripts/ and tests/;
- shellcheck on the shell scripts.

--fix runs `clang-format -i` on our C and changes nothing else (never extracted/lifted/, the
kernel's own files). Exit 0 clean, 1 something to fix (listed per tool), 2 a tool is missing."""
import os
import shutil
import subprocess

from .common import ROOT, UsageError, say


def _tracked(*patterns):
    """Files git tracks under ROOT matching `patterns` (a checkout without git: walk the tree)."""
    p = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--"] + list(patterns), stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    if p.returncode == 0:
        return sorted(f for f in p.stdout.decode().split("\0") if f)
    import fnmatch
    found = []
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if not x.startswith((".git", "build", "out", "work")) and x != "lifted"]
        for f in files:
            rel = os.path.relpath(os.path.join(d, f), ROOT)
            if any(fnmatch.fnmatch(rel, pat) for pat in patterns):
                found.append(rel)
    return sorted(found)


def c_files():
    return [f for f in _tracked("*.c", "*.h") if not f.startswith("extracted/lifted/")]


def python_files():
    return [f for f in _tracked("*.py") if f.startswith(("scripts/", "tests/"))] + ["scripts/vgtfuzz"]


def shell_files():
    out = []
    for f in _tracked("*.sh", ".ci/*", "scripts/*"):
        try:
            with open(os.path.join(ROOT, f), "rb") as fh:
                first = fh.readline()
        except OSError:
            continue
        if f.endswith(".sh") or (first.startswith(b"#!") and (b"bash" in first or b"/sh" in first)):
            out.append(f)
    return out


def _run(cmd):
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def check_c():
    """(clean, what to fix): files clang-format would change."""
    bad = [f for f in c_files() if _run(["clang-format", "--dry-run", "--Werror", f])[0]]
    return not bad, "%d files to format (`scripts/vgtfuzz lint --fix`): %s" % (len(bad), " ".join(bad))


def _tool(cmd):
    """(clean, what to fix): a checker that exits non-zero and says why."""
    rc, out = _run(cmd)
    return rc == 0, out.rstrip()


CHECKS = {"clang-format": check_c,
          "flake8": lambda: _tool(["flake8"] + python_files()),
          "mypy": lambda: _tool(["mypy", "--no-error-summary"] + python_files()),
          "shellcheck": lambda: _tool(["shellcheck"] + shell_files())}


def require_tools():
    missing = [t for t in CHECKS if not shutil.which(t)]
    if missing:
        raise UsageError("%s not installed: run `scripts/vgtfuzz setup`" % ", ".join(missing))


def run_lint(args):
    require_tools()
    if args.fix:
        files = c_files()
        rc, out = _run(["clang-format", "-i"] + files)
        if rc:
            raise UsageError("clang-format -i failed: %s" % out.strip().splitlines()[-1:])
        say("clang-format -i: %d C files of ours formatted (nothing else changed)" % len(files))
    failed = 0
    for name, check in CHECKS.items():
        ok, out = check()
        say("%s: %s" % (name, "clean" if ok else "to fix:\n" + out))
        failed += not ok
    return 1 if failed else 0
