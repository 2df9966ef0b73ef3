"""Search criteria for `GET /{Module}/search`: `((Field:op:value)and(Field:op:value))`.

Values are escaped as Zoho requires: a backslash before `(`, `)`, `,` and `:`.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_CRITERIA = 10
OPERATORS = frozenset({"equals", "starts_with"})
_SPECIAL = "(),:"

Criterion = tuple[str, str, str]


def escape_value(value: str) -> str:
    return "".join("\\" + char if char in _SPECIAL else char for char in value)


def criteria_string(criteria: Sequence[Criterion]) -> str:
    """The `criteria` query value for up to ten (field, operator, value) conditions joined by `and`."""
    if not criteria:
        raise ValueError("a search needs at least one criterion")
    if len(criteria) > MAX_CRITERIA:
        raise ValueError(f"Recruit accepts at most {MAX_CRITERIA} criteria, got {len(criteria)}")
    parts: list[str] = []
    for field_name, operator, value in criteria:
        if operator not in OPERATORS:
            raise ValueError(f"unsupported search operator {operator!r}")
        if not field_name or any(char in field_name for char in _SPECIAL):
            raise ValueError(f"bad field name {field_name!r}")
        parts.append(f"({field_name}:{operator}:{escape_value(str(value))})")
    return "(" + "and".join(parts) + ")"
