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


def vgtfuzz(*args, timeout=900):
    return subprocess.run([sys.executable, VGTFUZZ] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


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
