"""Assertions that can never fail: non-empty literals, constants, ``x == x``,
``len(...) >= 0``."""

from __future__ import annotations

import ast

from testaudit.syntax import dotted_name

SELF_TRUE_OPERATORS = (ast.Eq, ast.Is, ast.LtE, ast.GtE)  # true of any x but NaN

CONSTANT_NODES = (
    ast.Constant,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
    ast.expr_context,
)


def always_true(test: ast.expr) -> str:
    """Why an ``assert`` expression can never fail, or ``""`` when it can."""
    if isinstance(test, ast.Tuple | ast.List | ast.Set) and test.elts:
        return "asserts a non-empty literal (always true)"
    if isinstance(test, ast.Dict) and test.keys:
        return "asserts a non-empty literal (always true)"
    if isinstance(test, ast.JoinedStr) and test.values:
        return "asserts a non-empty f-string (always true)"
    if all(isinstance(node, CONSTANT_NODES) for node in ast.walk(test)):
        return constant_reason(test)
    if isinstance(test, ast.Compare):
        return compare_reason(test)
    return ""


def constant_reason(test: ast.expr) -> str:
    """Reason for an assert on constants; ``assert False`` (a deliberate failure) is fine."""
    try:
        value = ast.literal_eval(test)
    except ValueError:
        return "asserts an expression of constants only"
    if not value:
        return ""
    if value is True:
        return "assert True (always true)"
    return "asserts a truthy constant (always true)"


def compare_reason(test: ast.Compare) -> str:
    """Reason for a comparison that always holds: ``x == x``, ``len(x) >= 0``."""
    operands = [test.left, *test.comparators]
    for operator, left, right in zip(test.ops, operands[:-1], operands[1:], strict=True):
        if isinstance(operator, SELF_TRUE_OPERATORS) and same_pure_value(left, right):
            return "compares a value with itself (always true)"
        if is_len(left) and isinstance(operator, ast.GtE) and is_zero(right):
            return "len(...) >= 0 (always true)"
        if is_zero(left) and isinstance(operator, ast.LtE) and is_len(right):
            return "0 <= len(...) (always true)"
    return ""


def same_pure_value(left: ast.expr, right: ast.expr) -> bool:
    """True when both sides are the same expression and evaluating it runs no code.

    ``f(x) == f(x)`` checks that ``f`` is deterministic and ``g() is g()`` that it caches,
    so sides with a call, ``await`` or ``yield`` are not the same value twice.
    """
    impure = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
    if any(isinstance(node, impure) for node in ast.walk(left)):
        return False
    return ast.dump(left) == ast.dump(right)


def is_len(node: ast.expr) -> bool:
    """True for a call of the builtin ``len``."""
    return isinstance(node, ast.Call) and dotted_name(node.func) == "len"


def is_zero(node: ast.expr) -> bool:
    """True for the literal ``0``."""
    return isinstance(node, ast.Constant) and node.value == 0 and not isinstance(node.value, bool)
