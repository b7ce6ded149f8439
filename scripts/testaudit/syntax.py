"""Small readings of the syntax tree: dotted names, blocks, calls, terminators."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from testaudit.model import FunctionNode

TERMINATING_PYTEST_CALLS = frozenset({"skip", "fail", "xfail", "exit"})


def dotted_name(node: ast.expr) -> str:
    """``a.b.c`` for a chain of attributes on a name, ``""`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def is_raises_block(statement: ast.stmt) -> bool:
    """True for ``with pytest.raises(...):`` (the block stops at the expected error)."""
    return isinstance(statement, ast.With | ast.AsyncWith) and any(
        isinstance(item.context_expr, ast.Call)
        and dotted_name(item.context_expr.func) == "pytest.raises"
        for item in statement.items
    )


def class_method(owner: ast.ClassDef, name: str) -> FunctionNode | None:
    """The method ``name`` defined directly in ``owner``."""
    for node in owner.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    return None


def nested_functions(node: FunctionNode) -> dict[str, FunctionNode]:
    """Functions defined anywhere inside ``node``'s body, by name."""
    found: dict[str, FunctionNode] = {}
    for child in ast.walk(node):
        if child is not node and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            found.setdefault(child.name, child)
    return found


def is_terminator(statement: ast.stmt) -> bool:
    """True for ``return``, ``raise`` and a bare ``pytest.skip/fail/xfail(...)`` call."""
    if isinstance(statement, ast.Return | ast.Raise):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        name = dotted_name(statement.value.func)
        return name.startswith("pytest.") and name.split(".")[-1] in TERMINATING_PYTEST_CALLS
    return False


def header_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself, not those of its nested blocks."""
    if isinstance(statement, ast.If | ast.While):
        return [statement.test]
    if isinstance(statement, ast.For | ast.AsyncFor):
        return [statement.target, statement.iter]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return list(statement.items)
    if isinstance(statement, ast.Match):
        return [statement.subject, *(case.guard for case in statement.cases if case.guard)]
    return [statement]


def child_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested directly in a compound statement."""
    if isinstance(statement, ast.Match):
        for case in statement.cases:
            yield case.body
        return
    for name in ("body", "orelse", "finalbody"):
        value = getattr(statement, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            yield value


def calls_in(node: ast.AST) -> Iterator[ast.Call]:
    """Every call inside an expression or simple statement (lambdas included)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child
