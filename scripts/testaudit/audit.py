"""The audit itself: every test of the tree checked, findings in file and line order."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from testaudit.checker import Checker, Scope
from testaudit.loading import is_fixture, load_tree
from testaudit.model import Finding, FunctionNode, Module
from testaudit.syntax import dotted_name, nested_functions

ALLOW_PATTERN = re.compile(r"#\s*check-tests:(?P<reason>.*)$")


def test_functions(module: Module) -> Iterator[tuple[FunctionNode, ast.ClassDef | None]]:
    """``test_*`` functions of the module and ``test_*`` methods of its ``Test*`` classes."""
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test") and not is_fixture(node):
                yield node, None
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for member in node.body:
                if not isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if member.name.startswith("test") and not is_fixture(member):
                    yield member, node


def requested_fixtures(node: FunctionNode) -> list[str]:
    """Names of the fixtures a test requests: its parameters and ``usefixtures`` marks."""
    names = [argument.arg for argument in [*node.args.posonlyargs, *node.args.args]]
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and dotted_name(decorator.func).endswith("usefixtures"):
            names.extend(
                str(argument.value)
                for argument in decorator.args
                if isinstance(argument, ast.Constant)
            )
    return names


def conftest_chain(module: Module, modules: dict[str, Module], root: Path) -> list[Module]:
    """The module itself, then each ``conftest.py`` from its folder up to ``root``."""
    by_path = {candidate.path: candidate for candidate in modules.values()}
    chain = [module]
    folder = module.path.parent
    while True:
        conftest = by_path.get(folder / "conftest.py")
        if conftest is not None and conftest is not module:
            chain.append(conftest)
        if folder == root or root not in folder.parents:
            return chain
        folder = folder.parent


def allow_reason(module: Module, node: FunctionNode) -> str | None:
    """The stated reason of a ``# check-tests:`` comment on the def line, if there is one.

    A signature that spans several lines may carry the comment on any of them (up to the
    line before the body), so a long test name keeps within the line length.
    """
    last = max(node.lineno, node.body[0].lineno - 1)
    for line in module.lines[node.lineno - 1 : last]:
        match = ALLOW_PATTERN.search(line)
        if match is not None:
            return match.group("reason").strip()
    return None


def fixtures_check(checker: Checker, node: FunctionNode, chain: list[Module]) -> bool:
    """True when a fixture the test requests asserts or raises."""
    for name in requested_fixtures(node):
        for holder in chain:
            fixture = holder.fixtures.get(name)
            if fixture is not None:
                if checker.function_checks(fixture, Scope(holder)):
                    return True
                break
    return False


def check_test(
    checker: Checker,
    module: Module,
    node: FunctionNode,
    owner: ast.ClassDef | None,
    chain: list[Module],
) -> list[tuple[int, str]]:
    """Problems of one test as ``(line, reason)``; empty when it can fail."""
    scope = Scope(module, owner, nested_functions(node))
    evidence = checker.block(node.body, scope)
    problems = list(evidence.trivial)
    if always_skipped(module, node, owner):
        problems.append((node.lineno, "always skipped (@pytest.mark.skip)"))
    if evidence.checks or fixtures_check(checker, node, chain):
        return problems
    if evidence.in_except:
        problems.append((node.lineno, "asserts only inside an except branch"))
    elif evidence.unreachable:
        problems.append((node.lineno, "asserts only after an unconditional return/raise/skip"))
    else:
        problems.append((node.lineno, "no assertion"))
    return problems


def always_skipped(module: Module, node: FunctionNode, owner: ast.ClassDef | None) -> bool:
    """True when ``pytest.mark.skip`` marks the test, its class or the whole module."""
    marks: list[ast.expr] = [*node.decorator_list, *(owner.decorator_list if owner else [])]
    for statement in module.tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark"
            for target in statement.targets
        ):
            value = statement.value
            marks.extend(value.elts if isinstance(value, ast.List | ast.Tuple) else [value])
    for mark in marks:
        target = mark.func if isinstance(mark, ast.Call) else mark
        if dotted_name(target) in {"pytest.mark.skip", "mark.skip"}:
            return True
    return False


def is_test_file(path: Path) -> bool:
    """True for the files pytest collects here: ``test_*.py``."""
    return path.name.startswith("test_") and path.suffix == ".py"


def find_problems(root: Path) -> list[Finding]:
    """Every test under ``root`` that cannot fail, in file and line order."""
    root = root.resolve()
    modules, findings = load_tree(root)
    checker = Checker(modules)
    for module in unique(modules.values()):
        if not is_test_file(module.path):
            continue
        chain = conftest_chain(module, modules, root)
        for node, owner in test_functions(module):
            title = f"{owner.name}.{node.name}" if owner else node.name
            reason = allow_reason(module, node)
            if reason:
                continue
            problems = check_test(checker, module, node, owner, chain)
            if reason == "":
                problems.append((node.lineno, "check-tests comment without a reason"))
            findings.extend(Finding(module.path, line, title, why) for line, why in problems)
    return sorted(findings, key=lambda finding: (str(finding.path), finding.line))


def unique(modules: Iterable[Module]) -> list[Module]:
    """Each module once (the index holds it under several dotted names)."""
    seen: dict[Path, Module] = {}
    for module in modules:
        seen.setdefault(module.path, module)
    return list(seen.values())
