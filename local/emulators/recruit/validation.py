"""Checks one record payload against its module's field metadata and turns it into stored values.

Failures carry the per-record error Zoho answers with (INVALID_DATA, MANDATORY_NOT_FOUND, DUPLICATE_DATA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .fields import FieldDef, ModuleMeta
from .state import SCHEDULE_FIELDS, Record, RecruitState
from .timefmt import parse_day, parse_instant

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PARTICIPANT_TYPES = {"email", "contact", "user", "lead", "candidate"}
STRING_TYPES = {"text", "email", "phone", "website", "textarea", "picklist"}


@dataclass
class RecordError(Exception):
    code: str
    api_name: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        details = {"api_name": self.api_name, **self.extra}
        return {"code": self.code, "details": details, "message": self.message, "status": "error"}


def _invalid(field_def: FieldDef, message: str = "invalid data") -> RecordError:
    return RecordError(
        "INVALID_DATA", field_def.api_name, message, {"expected_data_type": field_def.data_type}
    )


def _ref_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        raw = raw.get("id")
    return str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None


def _is_blank(raw: Any) -> bool:
    return raw is None or raw == "" or raw == []


class RecordValidator:
    """Validates payloads for one module of one organisation."""

    def __init__(self, state: RecruitState, meta: ModuleMeta, org_id: str) -> None:
        self.state = state
        self.meta = meta
        self.org_id = org_id

    def validate(self, payload: dict[str, Any], existing: Record | None) -> dict[str, Any]:
        """The stored form of the writable fields in `payload`; raises RecordError."""
        fields = self.meta.by_name()
        if existing is None:
            for required in fields.values():
                if required.mandatory and _is_blank(payload.get(required.api_name)):
                    raise RecordError("MANDATORY_NOT_FOUND", required.api_name, "required field not found")
        all_day = bool(payload.get("All_day", existing.values.get("All_day") if existing else False))
        values: dict[str, Any] = {}
        for name, raw in payload.items():
            field_def = fields.get(name)
            if field_def is None or field_def.read_only:
                continue  # Zoho ignores unknown and read-only keys
            if _is_blank(raw):
                if field_def.mandatory:
                    raise RecordError("MANDATORY_NOT_FOUND", name, "required field not found")
                values[name] = None
                continue
            values[name] = self._convert(field_def, raw, all_day)
            if field_def.unique:
                self._check_unique(field_def, values[name], existing)
        return values

    def _convert(self, field_def: FieldDef, raw: Any, all_day: bool) -> Any:
        data_type = field_def.data_type
        if data_type in STRING_TYPES:
            return self._string(field_def, raw)
        if data_type == "boolean":
            if not isinstance(raw, bool):
                raise _invalid(field_def)
            return raw
        if data_type == "integer":
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise _invalid(field_def)
            return raw
        if data_type == "double":
            if not isinstance(raw, int | float) or isinstance(raw, bool):
                raise _invalid(field_def)
            return float(raw)
        if data_type in ("datetime", "date"):
            return self._moment(field_def, raw, all_day)
        if data_type == "lookup":
            return self._lookup(field_def, raw)
        if data_type == "ownerlookup":
            return self._user_id(field_def, raw)
        if data_type == "multiuserlookup":
            if not isinstance(raw, list):
                raise _invalid(field_def)
            return [self._user_id(field_def, item) for item in raw]
        if data_type == "participants":
            return self._participants(field_def, raw)
        if data_type == "RRULE":
            if not isinstance(raw, dict) or "FREQ=" not in str(raw.get("RRULE", "")):
                raise _invalid(field_def)
            return {"RRULE": str(raw["RRULE"])}
        if data_type == "ALARM":
            if not isinstance(raw, dict):
                raise _invalid(field_def)
            return dict(raw)
        raise _invalid(field_def)

    def _string(self, field_def: FieldDef, raw: Any) -> str:
        if not isinstance(raw, str):
            raise _invalid(field_def)
        if field_def.length and len(raw) > field_def.length:
            # Zoho's insert page: "The 'INVALID_DATA' error is thrown if the field value length is more than
            # the maximum length defined for that field" (zoho.com/crm/developer/docs/api/v8/
            # insert-records.html); the body as zoho/crm-oas v8.0/appointments/operations/createAppointmentsS/
            # examples/response-400-invaliddatamaxlengthappointmentnameresponse1.md. Counted in code points:
            # whether Zoho counts code points or UTF-16 units is unconfirmed.
            raise RecordError(
                "INVALID_DATA", field_def.api_name, "invalid data", {"maximum_length": field_def.length}
            )
        refused = next((text for name, text in self.meta.refusals if name == field_def.api_name), None)
        if refused is not None and refused in raw:
            # The `/_emulator/refusals` switch (no source: it stands for whatever Recruit keeps refusing, such
            # as a validation rule an admin set up); answered as any other invalid value.
            raise _invalid(field_def)
        if field_def.data_type == "email" and not EMAIL.match(raw):
            raise _invalid(field_def)
        if field_def.data_type == "picklist" and field_def.picklist and raw not in field_def.picklist:
            raise _invalid(field_def, "invalid data: value not in the pick list")
        return raw

    def _moment(self, field_def: FieldDef, raw: Any, all_day: bool) -> Any:
        if not isinstance(raw, str):
            raise _invalid(field_def)
        try:
            if field_def.data_type == "date" or (all_day and field_def.api_name in SCHEDULE_FIELDS):
                return parse_day(raw)
            return parse_instant(raw)
        except ValueError as exc:
            raise _invalid(field_def) from exc

    def _lookup(self, field_def: FieldDef, raw: Any) -> str:
        record_id = _ref_id(raw)
        target = field_def.lookup_module or ""
        if record_id is None or self.state.find_record(self.org_id, target, record_id) is None:
            raise RecordError("INVALID_DATA", field_def.api_name, "the related id given seems to be invalid")
        return record_id

    def _user_id(self, field_def: FieldDef, raw: Any) -> str:
        user_id = _ref_id(raw)
        user = self.state.users.get(user_id or "")
        if user is None or user.org_id != self.org_id:
            raise RecordError("INVALID_DATA", field_def.api_name, "invalid user id")
        return user.id

    def _participants(self, field_def: FieldDef, raw: Any) -> list[dict[str, Any]]:
        if not isinstance(raw, list):
            raise _invalid(field_def)
        participants = []
        for item in raw:
            if not isinstance(item, dict) or item.get("type") not in PARTICIPANT_TYPES:
                raise _invalid(field_def)
            if not isinstance(item.get("participant"), str) or not item["participant"]:
                raise _invalid(field_def)
            participants.append(dict(item))
        return participants

    def _check_unique(self, field_def: FieldDef, value: Any, existing: Record | None) -> None:
        if value is None:
            return
        for record in self.state.records_of(self.org_id, self.meta.name):
            other = record.values.get(field_def.api_name)
            if record is not existing and isinstance(other, str) and other.lower() == str(value).lower():
                raise RecordError("DUPLICATE_DATA", field_def.api_name, "duplicate data", {"id": record.id})
