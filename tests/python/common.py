"""Helpers for the Python tests: where things are, and running the front door."""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
VGTFUZZ = os.path.join(ROOT, "scripts", "vgtfuzz")
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from vgtfuzzlib import trees  # noqa: E402


def vgtfuzz(*args, timeout=900, cwd=None):
    return subprocess.run([sys.executable, VGTFUZZ] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=cwd)


def tree_copy(version="6.12"):
    """A writable copy of an unpacked Debian tree (set up by `vgtfuzz setup`)."""
    src = trees.resolve(version)
    dst = tempfile.mkdtemp(prefix="vgtfuzz-tree-")
    shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def edit(tree, rel, old, new):
    path = os.path.join(tree, rel)
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise AssertionError("%s: the text to replace is not there" % rel)
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))


def become_subreaper():
    """Orphans of this process's descendants become its children, not PID 1's
    (PR_SET_CHILD_SUBREAPER): whatever a command under test leaves behind stays visible to
    descendants() until reaped. Returns whether the kernel agreed."""
    import ctypes
    return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0


def descendants():
    """{pid: "STATE cmdline"} of every process below this one (zombies and stopped ones too)."""
    table = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        name = stat.split("(", 1)[1].rsplit(")", 1)[0]     # a zombie keeps its name, not its command line
        table[int(pid)] = (int(fields[1]), "%s %s" % (fields[0], cmd[:100] or "[%s]" % name))
    found, todo = {}, [os.getpid()]
    while todo:
        parent = todo.pop()
        for pid, (ppid, what) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = what
                todo.append(pid)
    return found
