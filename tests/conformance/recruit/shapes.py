"""Recruit's use of the shared comparison (../json_shape.py): no variability beyond the shared rules, since
Zoho adds fields freely and extra properties are allowed anyway."""

from __future__ import annotations

from typing import Any

from ..json_shape import ShapeCheck


def mismatches(example: Any, actual: Any, skip: frozenset[str] = frozenset()) -> list[str]:
    """Where `actual` departs from `example`; `skip` names paths whose type is not compared."""
    check = ShapeCheck(skipped=skip)
    check.compare(example, actual)
    return check.problems
