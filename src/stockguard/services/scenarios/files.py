"""Reading scenario and plans files (YAML or JSON text) into validated models.

Every problem is reported at once, naming the file, the line, the path in the document
(``events[2].to``) and the reason; nothing is run when any is found
(``ScenarioRejected``, HTTP 422 with the problems listed).
"""

from __future__ import annotations

from typing import Any, TypeVar

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel, ValidationError

from stockguard.services.importing.problems import (
    MAX_PROBLEMS_SHOWN,
    ImportProblem,
    ImportRejected,
)
from stockguard.services.scenarios.schema import PlansFile, PlanSpec, ScenarioSpec

Model = TypeVar("Model", bound=BaseModel)


class ScenarioRejected(ImportRejected):
    """A scenario or plans file was refused as a whole; nothing was run.

    Each problem's ``column`` holds the path in the document (``events[2].to``).
    """

    code = "scenario_rejected"

    def __init__(self, file: str, problems: list[ImportProblem]) -> None:
        super().__init__(file, problems)
        shown = "\n".join(f"  - {_describe(p)}" for p in problems[:MAX_PROBLEMS_SHOWN])
        self.args = (f"{file} was rejected: {len(problems)} problem(s) found.\n{shown}",)


def _describe(problem: ImportProblem) -> str:
    where = problem.file if problem.line is None else f"{problem.file}, line {problem.line}"
    if problem.column is not None:
        where += f", {problem.column}"
    if problem.value is not None:
        where += f" (value {problem.value!r})"
    return f"{where}: {problem.reason}"


def load_scenario(text: str, *, file: str = "scenario.yaml") -> ScenarioSpec:
    """The scenario in ``text`` (YAML, or JSON which is YAML too).

    Raises:
        ScenarioRejected: with every problem found.
    """
    return _load(text, file, ScenarioSpec)


def load_plans(text: str, *, file: str = "plans.yaml") -> list[PlanSpec]:
    """The plans in ``text``: a mapping ``plans: [...]`` or a bare list of plans.

    Raises:
        ScenarioRejected: with every problem found.
    """
    document = _parse(text, file)
    if isinstance(document[0], list):
        document = ({"plans": document[0]}, _shift_lines(document[1]))
    return list(_validate(document, file, PlansFile).plans)


def scenario_from_data(data: Any, *, file: str = "scenario") -> ScenarioSpec:
    """The scenario of an already parsed document (an API body)."""
    return _validate((data, {}), file, ScenarioSpec)


def plans_from_data(data: Any, *, file: str = "plans") -> list[PlanSpec]:
    """The plans of an already parsed document: ``{"plans": [...]}`` or a list."""
    if isinstance(data, list):
        data = {"plans": data}
    return list(_validate((data, {}), file, PlansFile).plans)


def _load(text: str, file: str, model: type[Model]) -> Model:
    return _validate(_parse(text, file), file, model)


Lines = dict[str, int]
"""Line (1-based) of each path in the document, e.g. ``{"events[2].to": 14}``."""


def _parse(text: str, file: str) -> tuple[Any, Lines]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = f"not valid YAML: {getattr(error, 'problem', None) or error}"
        raise ScenarioRejected(file, [ImportProblem(file, line, None, None, reason)]) from None
    if data is None:
        raise ScenarioRejected(file, [ImportProblem(file, None, None, None, "the file is empty")])
    lines: Lines = {}
    _index_lines(node, "", lines)
    return data, lines


def _index_lines(node: Any, path: str, lines: Lines) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            lines[f"{path}.{name}" if path else name] = key.start_mark.line + 1
            _index_lines(value, f"{path}.{name}" if path else name, lines)
            lines[f"{path}.{name}" if path else name] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{path}[{index}]", lines)


def _shift_lines(lines: Lines) -> Lines:
    """Paths of a bare list of plans, seen as the ``plans`` key's value."""
    return {f"plans{path}" if path.startswith("[") else path: line for path, line in lines.items()}


def _validate(document: tuple[Any, Lines], file: str, model: type[Model]) -> Model:
    data, lines = document
    if not isinstance(data, dict):
        reason = f"expected a mapping of fields at the top, found {type(data).__name__}"
        problem = ImportProblem(file, 1 if lines else None, None, None, reason)
        raise ScenarioRejected(file, [problem])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [_problem(file, e, data, lines) for e in error.errors()]
        raise ScenarioRejected(file, problems) from None


def _problem(file: str, error: Any, data: Any, lines: Lines) -> ImportProblem:
    path = _path(error["loc"], data)
    if str(error["msg"]).startswith("Value error, 'to' ("):
        path += ".to"
    line = lines.get(path)
    parent = path
    while line is None and ("." in parent or "[" in parent):
        cut = max(parent.rfind("."), parent.rfind("["))
        parent = parent[:cut]
        line = lines.get(parent)
    value = error.get("input")
    shown = None if isinstance(value, dict | list) or error["type"] == "missing" else str(value)
    reason = str(error["msg"]).removeprefix("Value error, ")
    return ImportProblem(file, line, path or None, shown, reason)


def _path(loc: tuple[Any, ...], data: Any) -> str:
    """``events[2].to`` from pydantic's location, dropping the union tags it inserts."""
    path = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
        elif isinstance(node, dict) and part in node:
            path += f".{part}" if path else str(part)
            node = node[part]
        elif isinstance(node, dict) and node.get("type") == part:
            continue  # the discriminated union's tag
        else:
            path += f".{part}" if path else str(part)
            node = None
    return path
