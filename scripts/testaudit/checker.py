"""Whether a block of statements, or a helper it calls, asserts or raises: calls are
resolved through the test tree (imports, classes and their bases, nested functions)."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field

from testaudit.model import Evidence, FunctionNode, Module
from testaudit.syntax import (
    calls_in,
    child_blocks,
    class_method,
    dotted_name,
    header_expressions,
    is_raises_block,
    is_terminator,
    nested_functions,
)
from testaudit.truth import always_true

ASSERTING_PYTEST_CALLS = frozenset({"raises", "warns", "approx", "fail", "deprecated_call"})
# Library calls that raise when their check fails (schemathesis validates a response).
ASSERTING_LIBRARY_CALLS = frozenset({"call_and_validate", "validate_response"})
MAX_BASE_DEPTH = 10  # base classes followed this deep at most (a cycle proves nothing)


@dataclass
class Scope:
    """Where a function's calls are resolved: its module, class and nested functions."""

    module: Module
    owner: ast.ClassDef | None = None
    nested: dict[str, FunctionNode] = field(default_factory=dict)


class Checker:
    """Decides, with memory, whether functions of the test tree assert or raise."""

    def __init__(self, modules: dict[str, Module]) -> None:
        self.modules = modules
        self.memo: dict[int, bool] = {}

    def resolve_name(
        self, module: Module, name: str, seen: frozenset[str] = frozenset()
    ) -> tuple[Module, FunctionNode | ast.ClassDef] | None:
        """The function or class ``name`` is bound to in ``module``, following imports."""
        if name in module.functions:
            return module, module.functions[name]
        if name in module.classes:
            return module, module.classes[name]
        origin = module.imported_names.get(name)
        if origin is None or f"{module.name}:{name}" in seen:
            return None
        source = self.modules.get(origin[0])
        if source is None:
            return None
        return self.resolve_name(source, origin[1], seen | {f"{module.name}:{name}"})

    def module_alias(self, module: Module, alias: str) -> Module | None:
        """The test-tree module an imported name refers to (``import x`` or ``from a import x``)."""
        if alias in module.imported_modules:
            return self.modules.get(module.imported_modules[alias])
        origin = module.imported_names.get(alias)
        if origin is not None:
            return self.modules.get(f"{origin[0]}.{origin[1]}")
        return None

    def call_target(
        self, call: ast.Call, scope: Scope
    ) -> tuple[Scope, FunctionNode | ast.ClassDef] | None:
        """The test-tree function or class a call runs, when it can be known statically."""
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in scope.nested:
                return scope, scope.nested[func.id]
            found = self.resolve_name(scope.module, func.id)
            if found is not None:
                return Scope(found[0]), found[1]
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return self.attribute_target(func.value.id, func.attr, scope)
        return None

    def attribute_target(
        self, base: str, attribute: str, scope: Scope
    ) -> tuple[Scope, FunctionNode | ast.ClassDef] | None:
        """What ``base.attribute(...)`` runs: a method of the test's class (or of a class
        named ``base``), or a function of the test-tree module ``base``."""
        if base in {"self", "cls"}:
            return self.method_of(scope.module, scope.owner, attribute) if scope.owner else None
        target_module = self.module_alias(scope.module, base)
        if target_module is not None:
            found = self.resolve_name(target_module, attribute)
            return None if found is None else (Scope(found[0]), found[1])
        owner = self.resolve_name(scope.module, base)
        if owner is not None and isinstance(owner[1], ast.ClassDef):
            return self.method_of(owner[0], owner[1], attribute)
        return None

    def method_of(
        self, module: Module, owner: ast.ClassDef, name: str, depth: int = 0
    ) -> tuple[Scope, FunctionNode] | None:
        """The method ``name`` of ``owner`` or, failing that, of its test-tree base classes."""
        method = class_method(owner, name)
        if method is not None:
            return Scope(module, owner), method
        if depth > MAX_BASE_DEPTH:
            return None
        for base in owner.bases:
            found = self.resolve_name(module, base.id) if isinstance(base, ast.Name) else None
            if found is not None and isinstance(found[1], ast.ClassDef):
                inherited = self.method_of(found[0], found[1], name, depth + 1)
                if inherited is not None:
                    return inherited
        return None

    def call_checks(self, call: ast.Call, scope: Scope) -> bool:
        """True when the call is an assertion API or runs test-tree code that asserts."""
        name = dotted_name(call.func)
        last = name.rsplit(".", 1)[-1] if name else ""
        if name.startswith("pytest.") and last in ASSERTING_PYTEST_CALLS:
            return True
        target = self.call_target(call, scope)
        if target is None:
            return last.startswith("assert") or last == "fail" or last in ASSERTING_LIBRARY_CALLS
        target_scope, node = target
        if isinstance(node, ast.ClassDef):
            init = self.method_of(target_scope.module, node, "__init__")
            return init is not None and self.function_checks(init[1], init[0])
        return self.function_checks(node, target_scope)

    def function_checks(self, node: FunctionNode, scope: Scope) -> bool:
        """True when a helper's body asserts or raises (``except`` branches included)."""
        key = id(node)
        if key not in self.memo:
            self.memo[key] = False  # recursion guard: a cycle proves nothing
            nested = {**scope.nested, **nested_functions(node)}
            evidence = self.block(node.body, Scope(scope.module, scope.owner, nested))
            self.memo[key] = evidence.checks or evidence.in_except
        return self.memo[key]

    # --- statements ---------------------------------------------------------------------

    def block(self, statements: Sequence[ast.stmt], scope: Scope) -> Evidence:
        """Evidence of a statement list, stopping at an unconditional return/raise/skip."""
        evidence = Evidence()
        for index, statement in enumerate(statements):
            evidence.merge(self.statement(statement, scope))
            if is_terminator(statement):
                rest = self.block(statements[index + 1 :], scope)
                evidence.unreachable |= rest.checks or rest.in_except or rest.unreachable
                break
        return evidence

    def statement(self, statement: ast.stmt, scope: Scope) -> Evidence:
        """Evidence of one statement; compound statements recurse into their blocks."""
        evidence = Evidence()
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return evidence
        if isinstance(statement, ast.Assert):
            self.assertion(statement, evidence)
        if isinstance(statement, ast.Raise):
            evidence.checks = True
        if isinstance(statement, ast.Try | ast.TryStar):
            for part in (statement.body, statement.orelse, statement.finalbody):
                evidence.merge(self.block(part, scope))
            for handler in statement.handlers:
                caught = self.block(handler.body, scope)
                evidence.in_except |= caught.checks or caught.in_except
                evidence.trivial.extend(caught.trivial)
            return evidence
        for expression in header_expressions(statement):
            evidence.checks |= any(self.call_checks(call, scope) for call in calls_in(expression))
        for body in child_blocks(statement):
            evidence.merge(self.block(body, scope))
        if is_raises_block(statement):
            evidence.trivial.extend(
                (node.lineno, "asserts inside a pytest.raises block (skipped once it raises)")
                for node in ast.walk(statement)
                if isinstance(node, ast.Assert)
            )
        return evidence

    @staticmethod
    def assertion(statement: ast.Assert, evidence: Evidence) -> None:
        """Count an ``assert`` as a check unless it is always true (then record why)."""
        reason = always_true(statement.test)
        if reason:
            evidence.trivial.append((statement.lineno, reason))
        else:
            evidence.checks = True
