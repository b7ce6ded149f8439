"""Parse the test tree: every file under its importable names, fixtures and imports."""

from __future__ import annotations

import ast
from pathlib import Path

from testaudit.model import Finding, FunctionNode, Module
from testaudit.syntax import dotted_name


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
