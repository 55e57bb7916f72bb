"""The repository documents itself: nothing tracked points at design notes outside it, and every
docs/ file the code cites exists."""
import os
import re
import subprocess
import unittest

from common import ROOT

# What used to be cited: design notes kept beside the repository, not in it.
OUTSIDE = re.compile(r"DESIGN\.md|KERNEL\.md|\.\./shared|shared/docs")
CITED = re.compile(r"\bdocs/([\w.-]+\.md)")


def tracked_files():
    p = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise unittest.SkipTest("not a git checkout (git ls-files: %s): cannot list tracked files"
                                % p.stderr.decode(errors="replace").strip())
    return [f for f in p.stdout.decode().split("\0") if f]


def text_of(rel):
    try:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        return ""   # binary files (seeds, PNGs), submodules, files deleted in the work tree


class Docs(unittest.TestCase):
    def test_nothing_points_outside_the_repository(self):
        me = os.path.relpath(os.path.realpath(__file__), ROOT)
        hits = []
        for rel in tracked_files():
            if rel == me:
                continue
            for n, line in enumerate(text_of(rel).splitlines(), 1):
                if OUTSIDE.search(line):
                    hits.append("%s:%d: %s" % (rel, n, line.strip()[:100]))
        self.assertEqual(hits, [], "cite docs/ instead:\n" + "\n".join(hits))

    def test_every_cited_doc_exists(self):
        missing = set()
        for rel in tracked_files():
            for name in CITED.findall(text_of(rel)):
                if not os.path.exists(os.path.join(ROOT, "docs", name)):
                    missing.add("%s cites docs/%s" % (rel, name))
        self.assertEqual(sorted(missing), [])

    def test_the_design_and_the_kernel_notes_are_here(self):
        for name in ("design.md", "kernel.md", "interfaces.md", "drm_mm.md"):
            self.assertTrue(os.path.getsize(os.path.join(ROOT, "docs", name)) > 1000, name)
