"""The house habits, as CI enforces them through `scripts/vgtfuzz test`: clang-format on our C,
flake8 and mypy on scripts/ and tests/, shellcheck on the shell scripts (configuration:
.clang-format, setup.cfg; `scripts/vgtfuzz lint` runs the same checks, `lint --fix` formats our C)."""
import unittest

import common  # noqa: F401  (puts scripts/ on sys.path)
from vgtfuzzlib import lint


class Lint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        lint.require_tools()    # a missing tool is a set-up error, not a skip

    def check(self, name):
        ok, out = lint.CHECKS[name]()
        self.assertTrue(ok, "%s:\n%s" % (name, out))

    def test_clang_format(self):
        self.check("clang-format")

    def test_flake8(self):
        self.check("flake8")

    def test_mypy(self):
        self.check("mypy")

    def test_shellcheck(self):
        self.check("shellcheck")

    def test_lint_sees_every_shell_script(self):
        found = set(lint.shell_files())
        for script in (".ci/run", "oss-fuzz/build.sh", ".clusterfuzzlite/build.sh", "scripts/oss-fuzz-build.sh"):
            self.assertIn(script, found)
        self.assertFalse([f for f in lint.c_files() if f.startswith("extracted/lifted/")])


if __name__ == "__main__":
    unittest.main()
