"""Find tests that cannot fail (the rules are listed in ``scripts/check_tests.py``).

Modules, each depending only on those above it:

- ``model``: ``Finding``, ``Module`` (a parsed file), ``Evidence`` (what a block checks);
- ``syntax``: small readings of the syntax tree (dotted names, blocks, calls);
- ``loading``: the test tree parsed, each file under its importable names;
- ``truth``: assertions that are always true;
- ``checker``: whether a block, or a helper it calls, asserts or raises;
- ``audit``: every test of a tree checked (``find_problems``).
"""

from __future__ import annotations

from testaudit.audit import find_problems
from testaudit.model import Finding

__all__ = ["Finding", "find_problems"]
