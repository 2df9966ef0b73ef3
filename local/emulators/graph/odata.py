"""The few OData query options the emulator understands: the extended-property $filter and $expand,
simple `field eq 'value'` filters, $select, $top and $skip.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import QueryParams

from .errors import bad_request

_EXT_FILTER = re.compile(
    r"^singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*\1/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+"
    r"\1/value\s+eq\s+'((?:[^']|'')*)'\s*\)$",
    re.IGNORECASE,
)
_EQ_FILTER = re.compile(r"^(\w+)\s+eq\s+'((?:[^']|'')*)'$")
_EXT_EXPAND = re.compile(
    r"^singleValueExtendedProperties\(\s*\$filter=id\s+eq\s+'((?:[^']|'')*)'\s*\)$", re.IGNORECASE
)


def _unquote(text: str) -> str:
    return text.replace("''", "'")


class Query:
    """Parsed query options of one request."""

    def __init__(self, params: QueryParams, default_top: int = 10) -> None:
        self.ext_filter: tuple[str, str] | None = None
        self.eq_filter: tuple[str, str] | None = None
        raw_filter = params.get("$filter")
        if raw_filter:
            ext = _EXT_FILTER.match(raw_filter.strip())
            eq = _EQ_FILTER.match(raw_filter.strip())
            if ext:
                self.ext_filter = (_unquote(ext.group(2)), _unquote(ext.group(3)))
            elif eq:
                self.eq_filter = (eq.group(1), _unquote(eq.group(2)))
            else:
                raise bad_request(f"Unsupported filter in the emulator: {raw_filter}", "BadRequest")
        self.expand_ids: list[str] = []
        raw_expand = params.get("$expand")
        if raw_expand:
            match = _EXT_EXPAND.match(raw_expand.strip())
            if not match:
                raise bad_request(f"Unsupported $expand in the emulator: {raw_expand}", "BadRequest")
            self.expand_ids = [_unquote(match.group(1))]
        raw_select = params.get("$select")
        self.select = [s.strip() for s in raw_select.split(",") if s.strip()] if raw_select else None
        try:
            self.top = int(params.get("$top", default_top))
            self.skip = int(params.get("$skip", 0))
        except ValueError as exc:
            raise bad_request("$top and $skip must be integers.", "BadRequest") from exc
        if self.top < 1 or self.top > 1000 or self.skip < 0:
            raise bad_request("$top must be 1..1000 and $skip not negative.", "BadRequest")

    def matches_extended(self, extended: dict[str, str]) -> bool:
        if self.ext_filter is None:
            return True
        prop_id, value = self.ext_filter
        return any(k.lower() == prop_id.lower() and v == value for k, v in extended.items())

    def matches_field(self, view: dict[str, Any]) -> bool:
        if self.eq_filter is None:
            return True
        name, value = self.eq_filter
        return str(view.get(name, "")) == value


def apply_select(view: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    """Keep selected properties; id and OData annotations always stay, as in Graph."""
    if not select:
        return view
    wanted = {s.lower() for s in select}
    return {k: v for k, v in view.items() if k == "id" or k.startswith("@") or k.lower() in wanted}
