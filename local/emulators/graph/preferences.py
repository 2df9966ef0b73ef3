"""The `Prefer` request header and how events are rendered for a request.

Honoured preferences (each answered in `Preference-Applied`, comma-separated, as RFC 7240 allows):
- `outlook.timezone="<name>"`: start/end in that zone (api/event-get.md, "Support various time zones"; its
  Response 1 carries `Preference-Applied: outlook.timezone="Pacific Standard Time"`). A name Graph does not
  support is a 400 `TimeZoneNotSupportedException` (see timezones.py for the source).
- `outlook.body-content-type="text"|"html"`: the body's format (api/event-get.md, request headers: "A
  `Preference-Applied` header is returned as confirmation if this `Prefer` header is specified"); without it
  the body is HTML. Any other value is ignored, as an unknown preference is (RFC 7240 section 2).
- `odata.maxpagesize=N`: page size of delta rounds (api/event-delta.md, api/contact-delta.md).

`render_event(request, item, owner, expand_ids)` is the one place an event becomes JSON for a response: list,
get, create, update, delta and $batch all go through it, so they agree on zone and body format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from .item_views import event_view
from .store import Item
from .timezones import require_zone

_PREFERENCE = re.compile(r'\s*([\w.-]+)\s*(?:=\s*("[^"]*"|[^,;\s]*))?')
BODY_TYPES = ("text", "html")


@dataclass(frozen=True)
class Preferences:
    time_zone: str | None = None
    body_content_type: str | None = None
    max_page_size: int | None = None

    def applied(self, *, paged: bool = False) -> dict[str, str]:
        """The `Preference-Applied` header for the preferences this response honoured."""
        values = []
        if self.time_zone is not None:
            values.append(f'outlook.timezone="{self.time_zone}"')
        if self.body_content_type is not None:
            values.append(f'outlook.body-content-type="{self.body_content_type}"')
        if paged and self.max_page_size is not None:
            values.append(f"odata.maxpagesize={self.max_page_size}")
        return {"Preference-Applied": ", ".join(values)} if values else {}


def parse_prefer(headers: list[str]) -> dict[str, str]:
    """Every `name=value` preference of the Prefer headers (names lower-cased, quotes removed)."""
    found: dict[str, str] = {}
    for header in headers:
        for part in header.split(","):
            match = _PREFERENCE.match(part)
            if match and match.group(1):
                found.setdefault(match.group(1).lower(), (match.group(2) or "").strip('"'))
    return found


def preferences(request: Request) -> Preferences:
    """The request's preferences; an unsupported time zone name is refused here."""
    found = parse_prefer(request.headers.getlist("prefer"))
    zone = found.get("outlook.timezone")
    if zone is not None:
        require_zone(zone)
    body_type = found.get("outlook.body-content-type", "").lower()
    page = found.get("odata.maxpagesize", "")
    return Preferences(
        time_zone=zone,
        body_content_type=body_type if body_type in BODY_TYPES else None,
        max_page_size=max(1, int(page)) if page.isdigit() else None,
    )


def render_event(
    request: Request, item: Item, owner: dict[str, Any], expand_ids: list[str] | None = None
) -> dict[str, Any]:
    """An event as this request sees it: its time zone and body format, and the expanded properties."""
    prefs = preferences(request)
    return event_view(item, owner, prefs.time_zone or "UTC", expand_ids or [], prefs.body_content_type)
