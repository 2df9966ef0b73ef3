"""The search criteria language: `((Field:equals:value)and(Other:starts_with:v))`, at most 10 conditions.

Conditions are combined left to right with `and` / `or`; values escape `(`, `)` and `,` with a backslash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CONDITION = re.compile(r"\((\w+):(equals|starts_with):((?:\\.|[^()\\])*)\)")
MAX_CONDITIONS = 10


class CriteriaError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: str

    def matches(self, candidates: list[str]) -> bool:
        wanted = self.value.lower()
        if self.operator == "equals":
            return any(c.lower() == wanted for c in candidates)
        return any(c.lower().startswith(wanted) for c in candidates)


@dataclass(frozen=True)
class Criteria:
    conditions: list[Condition]
    connectors: list[str]  # len(conditions) - 1 of "and" / "or"

    def evaluate(self, values_of: Callable[[str], list[str]]) -> bool:
        result = self.conditions[0].matches(values_of(self.conditions[0].field))
        for connector, condition in zip(self.connectors, self.conditions[1:], strict=True):
            hit = condition.matches(values_of(condition.field))
            result = (result and hit) if connector == "and" else (result or hit)
        return result


def parse_criteria(text: str) -> Criteria:
    conditions: list[Condition] = []
    connectors: list[str] = []
    rest = []
    position = 0
    for match in CONDITION.finditer(text):
        rest.append(text[position : match.start()])
        position = match.end()
        value = re.sub(r"\\(.)", r"\1", match.group(3))
        conditions.append(Condition(match.group(1), match.group(2), value))
    rest.append(text[position:])
    if not conditions:
        raise CriteriaError("no condition found")
    if len(conditions) > MAX_CONDITIONS:
        raise CriteriaError(f"at most {MAX_CONDITIONS} conditions are supported")
    for between in rest[1:-1]:
        word = between.strip("() ").lower()
        if word not in ("and", "or"):
            raise CriteriaError(f"unexpected text between conditions: {between!r}")
        connectors.append(word)
    if rest[0].strip("( ") or rest[-1].strip(") "):
        raise CriteriaError("unexpected text around the conditions")
    return Criteria(conditions, connectors)
