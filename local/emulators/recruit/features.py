"""Behaviours Recruit does not confirm, switched by `POST /_emulator/features` (DESIGN.md control API).

Each exists in Zoho CRM; none is confirmed for Recruit (API-NOTES "Unconfirmed for Recruit"). When one is off
the emulator answers as Zoho answers what it does not know, with no Recruit source for the exact answer (the
likely choice, written here):
- `ids_param` on: `GET /{Module}?ids=a,b` lists those records only, as Zoho CRM's Get Records does
  (zoho/crm-oas `v8.0/record/operations/getRecords/operation.md`: `ids`, a comma-separated list of record
  ids; no Recruit source). Off: the unknown parameter is ignored and every record is listed.
- `if_modified_since` off: the header is ignored: the full list, never 304.
- `deleted_endpoint` off: `/{Module}/deleted` is an unknown route. Zoho answers unknown URLs with 404
  `INVALID_URL_PATTERN` (zoho/crm-oas `v8.0/appointments/operations/getAppointmentById/examples/
  response-404-invalidurlpatternresponse1.md`); so does the emulator for any record id that is not a number.
- `ratelimit_headers` off (the default): no `X-RATELIMIT-*` and no `Retry-After` on any answer, 429s included
  (a live probe of Recruit saw none: API-NOTES "Limits").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class Features:
    ids_param: bool = True
    if_modified_since: bool = True
    deleted_endpoint: bool = True
    ratelimit_headers: bool = False

    def update(self, changes: dict[str, Any]) -> None:
        """Applies `changes`; raises ValueError (nothing applied) for an unknown name or a non-boolean."""
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown feature {name!r}; known: {sorted(known)}")
            if not isinstance(value, bool):
                raise ValueError(f"feature {name!r} must be true or false")
        for name, value in changes.items():
            setattr(self, name, value)

    def to_json(self) -> dict[str, bool]:
        return asdict(self)
