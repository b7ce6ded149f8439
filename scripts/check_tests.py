"""Find tests that cannot fail: no assertion, or an assertion that is always true.

Walks a test tree (default ``tests/``) with the standard library's ``ast`` only and reports
every test function (``test_*`` in ``test_*.py``, methods of ``Test*`` classes included,
hypothesis ``@given`` tests alike) that

- has no assertion at all: no ``assert``, no ``pytest.raises`` / ``warns`` / ``approx`` /
  ``fail``, no call of an ``assert*`` function (``np.testing.assert_allclose``,
  ``mock.assert_called_once_with``) or of schemathesis' ``call_and_validate``, no ``raise``,
  and no call of a helper that asserts or raises; helpers are resolved in the test's own
  module, in test-tree modules it imports (transitively, re-exports followed), among methods
  of its class, among functions nested in the test, and among the fixtures it requests (the
  module's own and its ``conftest.py``);
- asserts only inside an ``except`` branch (the test passes when nothing is raised);
- asserts only after an unconditional ``return``, ``raise`` or ``pytest.skip`` (dead code);
- asserts something always true: ``assert True``, ``assert <non-empty literal>`` (a tuple
  ``assert (x, "message")`` included), an expression of constants only, a value compared with
  itself (``assert x == x``), or ``len(...) >= 0``;
- asserts inside a ``with pytest.raises(...)`` block: once the error is raised the rest of
  the block is skipped, so those asserts never check anything;
- is always skipped: marked ``@pytest.mark.skip`` (on the test, its class or the module's
  ``pytestmark``), so it never runs (``skipif`` with a condition is fine).

Output is one line per finding, ``file:line: test name: reason``; the exit status is 1 when
anything is found, 0 otherwise. A comment ``# check-tests: <reason>`` on the ``def`` line
(or any line of a signature that spans several) silences that one test; the reason must be
stated (an empty one is itself a finding).

Usage: ``python scripts/check_tests.py [ROOT]`` (``ROOT`` defaults to ``tests``). The rules live
in the package ``scripts/testaudit/`` (``find_problems``); this file is its command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # the testaudit package beside this script

from testaudit import Finding, find_problems  # noqa: E402

__all__ = ["Finding", "find_problems", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Print every finding under ROOT; exit status 1 when there is any."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else "")
    parser.add_argument("root", nargs="?", default="tests", type=Path, help="test tree to walk")
    arguments = parser.parse_args(argv)
    root: Path = arguments.root
    if not root.is_dir():
        sys.stderr.write(f"check_tests: {root} is not a folder\n")
        return 2
    findings = find_problems(root)
    base = Path.cwd()
    sys.stdout.writelines(f"{finding.render(base)}\n" for finding in findings)
    sys.stderr.write(f"check_tests: {len(findings)} finding(s) in {root}\n")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
