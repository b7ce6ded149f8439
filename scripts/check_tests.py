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

Usage: ``python scripts/check_tests.py [ROOT]`` (``ROOT`` defaults to ``tests``).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ALLOW_PATTERN = re.compile(r"#\s*check-tests:(?P<reason>.*)$")
ASSERTING_PYTEST_CALLS = frozenset({"raises", "warns", "approx", "fail", "deprecated_call"})
# Library calls that raise when their check fails (schemathesis validates a response).
ASSERTING_LIBRARY_CALLS = frozenset({"call_and_validate", "validate_response"})
TERMINATING_PYTEST_CALLS = frozenset({"skip", "fail", "xfail", "exit"})
MAX_BASE_DEPTH = 10  # base classes followed this deep at most (a cycle proves nothing)
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


# --- loading ---------------------------------------------------------------------------


def module_names(path: Path, root: Path) -> list[str]:
    """Dotted names a file is importable by: relative to ``root`` and to ``root``'s parent."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts)] if parts else []
    names.append(".".join([root.name, *parts]))
    return names


def is_fixture(node: FunctionNode) -> bool:
    """True when the function is decorated with ``pytest.fixture`` (called or bare)."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if dotted_name(target) in {"pytest.fixture", "fixture"}:
            return True
    return False


def fixture_name(node: FunctionNode) -> str:
    """The name tests request a fixture by (``name=`` of the decorator, else the def name)."""
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return node.name


def load_module(path: Path, name: str) -> Module:
    """Parse ``path`` and index its top-level functions, classes, fixtures and imports."""
    source = path.read_text(encoding="utf-8")
    module = Module(name, path, ast.parse(source, filename=str(path)), source.splitlines())
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions[node.name] = node
            if is_fixture(node):
                module.fixtures[fixture_name(node)] = node
        elif isinstance(node, ast.ClassDef):
            module.classes[node.name] = node
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                module.imported_names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module.imported_modules[alias.asname or alias.name] = alias.name
    return module


def load_tree(root: Path) -> tuple[dict[str, Module], list[Finding]]:
    """Every ``.py`` file under ``root``, keyed by each dotted name it can be imported by,
    and a finding for each file that cannot be parsed (its tests cannot be checked)."""
    modules: dict[str, Module] = {}
    broken: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        names = module_names(path, root)
        try:
            module = load_module(path, names[0] if names else path.stem)
        except (SyntaxError, UnicodeDecodeError) as error:
            line = getattr(error, "lineno", None) or 1
            broken.append(Finding(path, line, "(module)", f"cannot be parsed: {error}"))
            continue
        for name in names:
            modules.setdefault(name, module)
    return modules, broken


def dotted_name(node: ast.expr) -> str:
    """``a.b.c`` for a chain of attributes on a name, ``""`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


# --- resolution -------------------------------------------------------------------------


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


# --- always-true assertions -------------------------------------------------------------


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


# --- tests ------------------------------------------------------------------------------


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
