"""Records of the test audit: findings, parsed modules and the evidence of a block."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Finding:
    """One test that cannot fail, located by file and line."""

    path: Path
    line: int
    test: str
    reason: str

    def render(self, base: Path) -> str:
        """``file:line: test name: reason`` with the file relative to ``base`` when possible."""
        try:
            shown = self.path.relative_to(base)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.test}: {self.reason}"


@dataclass
class Module:
    """A parsed file of the test tree with the names it binds to other test-tree objects."""

    name: str
    path: Path
    tree: ast.Module
    lines: list[str]
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    fixtures: dict[str, FunctionNode] = field(default_factory=dict)
    imported_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    imported_modules: dict[str, str] = field(default_factory=dict)


@dataclass
class Evidence:
    """What a block of statements does to check behaviour."""

    checks: bool = False
    in_except: bool = False
    unreachable: bool = False
    trivial: list[tuple[int, str]] = field(default_factory=list)

    def merge(self, other: Evidence) -> None:
        """Fold ``other`` (a sub-block's evidence) into this one."""
        self.checks |= other.checks
        self.in_except |= other.in_except
        self.unreachable |= other.unreachable
        self.trivial.extend(other.trivial)
