"""ASP.NET-style route templates as Azure Functions uses them: `sync/{kind:alpha}/enable`, `{id:int?}`.

Pure: compile a template once, then match request paths (relative to the route prefix) against it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

_PARAMETER = re.compile(r"\{([^{}]+)\}")
_CONSTRAINT = re.compile(r":(\w+)(?:\(((?:[^()]|\([^()]*\))*)\))?")
_CONSTRAINT_KINDS = frozenset(
    {
        "alpha",
        "int",
        "long",
        "bool",
        "guid",
        "float",
        "double",
        "decimal",
        "datetime",
        "minlength",
        "maxlength",
        "length",
        "min",
        "max",
        "range",
        "regex",
    }
)


@dataclass(frozen=True)
class Parameter:
    name: str
    group: str
    optional: bool = False
    catch_all: bool = False
    default: str | None = None
    constraints: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RouteTemplate:
    template: str
    pattern: re.Pattern[str]
    parameters: tuple[Parameter, ...]
    precedence: tuple[int, ...] = field(default=())

    def match(self, path: str) -> dict[str, str] | None:
        """Route values for `path` (no leading prefix, e.g. `sync/calendar/enable`), or None."""
        found = self.pattern.match(path.strip("/"))
        if not found:
            return None
        values: dict[str, str] = {}
        for parameter in self.parameters:
            value = found.group(parameter.group)
            if value is None or value == "":
                if parameter.default is not None:
                    values[parameter.name] = parameter.default
                continue
            if not all(_satisfies(kind, argument, value) for kind, argument in parameter.constraints):
                return None
            values[parameter.name] = value
        return values


def compile_route(template: str) -> RouteTemplate:
    parameters: list[Parameter] = []
    regex = ""
    precedence: list[int] = []
    segments = [segment for segment in template.strip("/").split("/") if segment]
    for index, segment in enumerate(segments):
        whole = _PARAMETER.fullmatch(segment)
        if whole:
            parameter = _parameter(whole.group(1), f"p{len(parameters)}")
            parameters.append(parameter)
            body = ".*" if parameter.catch_all else "[^/]+"
            # A leading slash only between segments: the path is matched without its outer slashes.
            slash = "/" if index else ""
            if parameter.optional or parameter.catch_all or parameter.default is not None:
                regex += f"(?:{slash}(?P<{parameter.group}>{body}))?"
            else:
                regex += f"{slash}(?P<{parameter.group}>{body})"
            precedence.append(_rank(parameter))
            continue
        regex += "/" if index else ""
        position = 0
        for match in _PARAMETER.finditer(segment):
            regex += re.escape(segment[position : match.start()])
            parameter = _parameter(match.group(1), f"p{len(parameters)}")
            parameters.append(parameter)
            regex += f"(?P<{parameter.group}>[^/]+?)"
            position = match.end()
        regex += re.escape(segment[position:])
        precedence.append(0 if position == 0 else 1)
    pattern = re.compile(f"^{regex}$", re.IGNORECASE)
    return RouteTemplate(template, pattern, tuple(parameters), tuple(precedence))


def _parameter(spec: str, group: str) -> Parameter:
    catch_all = spec.startswith("*")
    spec = spec.lstrip("*")
    name_end = len(spec)
    for marker in (":", "?", "="):
        if marker in spec:
            name_end = min(name_end, spec.index(marker))
    name, rest = spec[:name_end], spec[name_end:]
    default = None
    if "=" in rest:
        rest, _, default = rest.partition("=")
    optional = rest.endswith("?")
    constraints = tuple(
        (kind.lower(), argument or "") for kind, argument in _CONSTRAINT.findall(rest.rstrip("?"))
    )
    unknown = [kind for kind, _ in constraints if kind not in _CONSTRAINT_KINDS]
    if unknown:
        raise ValueError(f"route parameter {name!r}: unknown constraint {unknown[0]!r}")
    return Parameter(name, group, optional, catch_all, default, constraints)


def _rank(parameter: Parameter) -> int:
    if parameter.catch_all:
        return 5
    if parameter.optional or parameter.default is not None:
        return 4
    return 2 if parameter.constraints else 3


def _satisfies(kind: str, argument: str, value: str) -> bool:
    numbers = [a.strip() for a in argument.split(",")] if argument else []
    checks = {
        "alpha": lambda: value.isascii() and value.isalpha(),
        "int": lambda: _is_int(value, 32),
        "long": lambda: _is_int(value, 64),
        "bool": lambda: value.lower() in ("true", "false"),
        "guid": lambda: _parses(uuid.UUID, value),
        "float": lambda: _parses(float, value),
        "double": lambda: _parses(float, value),
        "decimal": lambda: _parses(float, value),
        "datetime": lambda: _parses(datetime.fromisoformat, value),
        "minlength": lambda: len(value) >= int(numbers[0]),
        "maxlength": lambda: len(value) <= int(numbers[0]),
        "length": lambda: (
            len(value) == int(numbers[0])
            if len(numbers) == 1
            else int(numbers[0]) <= len(value) <= int(numbers[1])
        ),
        "min": lambda: _is_int(value, 64) and int(value) >= int(numbers[0]),
        "max": lambda: _is_int(value, 64) and int(value) <= int(numbers[0]),
        "range": lambda: _is_int(value, 64) and int(numbers[0]) <= int(value) <= int(numbers[1]),
        "regex": lambda: re.search(argument, value, re.IGNORECASE) is not None,
    }
    return bool(checks[kind]())


def _is_int(value: str, bits: int) -> bool:
    try:
        number = int(value)
    except ValueError:
        return False
    limit: int = 2 ** (bits - 1)
    return -limit <= number < limit


def _parses(parser: object, value: str) -> bool:
    try:
        parser(value)  # type: ignore[operator]
    except ValueError:
        return False
    return True
