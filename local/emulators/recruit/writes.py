"""Record writes as one user performs them: insert, update, delete, with Zoho's per-record results.

Each call returns the per-record results and a Change the notifier turns into watch-channel callbacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from .state import SCHEDULE_FIELDS, DeletedRecord, Record, RecruitState, User
from .timefmt import format_instant
from .validation import RecordError, RecordValidator


@dataclass
class Change:
    org_id: str
    module: str
    operation: str  # insert | update | delete
    ids: list[str] = field(default_factory=list)
    affected_fields: list[str] = field(default_factory=list)


def _invalid_id(record_id: Any) -> dict[str, Any]:
    return {
        "code": "INVALID_DATA",
        "details": {"api_name": "id", "id": record_id},
        "message": "the related id given seems to be invalid",
        "status": "error",
    }


class RecordWriter:
    def __init__(self, state: RecruitState, module: str, user: User, now: datetime) -> None:
        self.state = state
        self.module = module
        self.meta = state.modules[module]
        self.user = user
        self.now = now.astimezone(UTC).replace(microsecond=0)
        self.validator = RecordValidator(state, self.meta, user.org_id)

    def _success(self, record: Record, message: str) -> dict[str, Any]:
        zone = self.user.time_zone
        details = {
            "id": record.id,
            "Created_Time": format_instant(record.created_time, zone),
            "Modified_Time": format_instant(record.modified_time, zone),
            "Created_By": self.state.users[record.created_by].ref(),
            "Modified_By": self.state.users[record.modified_by].ref(),
        }
        return {"code": "SUCCESS", "details": details, "message": message, "status": "success"}

    def _finish_values(self, values: dict[str, Any]) -> None:
        """Keep Start/End consistent with All_day, and End after Start (as Zoho checks)."""
        if self.module != "Events" and self.module != "Interviews":
            return
        owner = self.state.users.get(values.get(self.meta.owner_field) or "") or self.user
        zone = ZoneInfo(owner.time_zone)
        all_day = bool(values.get("All_day"))
        for name in SCHEDULE_FIELDS:
            value = values.get(name)
            if all_day and isinstance(value, datetime):
                values[name] = value.astimezone(zone).date()
            elif not all_day and isinstance(value, date) and not isinstance(value, datetime):
                values[name] = datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)
        start, end = values.get("Start_DateTime"), values.get("End_DateTime")
        if start is not None and end is not None and type(start) is type(end) and end < start:
            raise RecordError("INVALID_DATA", "End_DateTime", "end time should be after start time")

    def insert(
        self, payloads: list[Any], stamp: datetime | None = None
    ) -> tuple[list[dict[str, Any]], Change]:
        """`stamp` fixes Created_Time (imports create everything in one second)."""
        created_at = (stamp or self.now).replace(microsecond=0)
        results: list[dict[str, Any]] = []
        change = Change(self.user.org_id, self.module, "insert")
        for payload in payloads:
            try:
                if not isinstance(payload, dict):
                    raise RecordError("INVALID_DATA", "data", "each record must be a JSON object")
                values = self.validator.validate(payload, None)
                values.setdefault(self.meta.owner_field, self.user.id)
                if values[self.meta.owner_field] is None:
                    values[self.meta.owner_field] = self.user.id
                self._finish_values(values)
            except RecordError as error:
                results.append(error.to_json())
                continue
            record = Record(
                self.state.new_id(), self.module, self.user.org_id, values, created_at, created_at,
                self.user.id, self.user.id,
            )  # fmt: skip
            self.state.records[record.id] = record
            change.ids.append(record.id)
            results.append(self._success(record, "record added"))
        return results, change

    def update(self, payloads: list[Any]) -> tuple[list[dict[str, Any]], Change]:
        results: list[dict[str, Any]] = []
        change = Change(self.user.org_id, self.module, "update")
        affected: set[str] = set()
        for payload in payloads:
            record_id = payload.get("id") if isinstance(payload, dict) else None
            record = self.state.find_record(self.user.org_id, self.module, str(record_id))
            if record is None:
                results.append(_invalid_id(record_id))
                continue
            try:
                values = self.validator.validate(payload, record)
                merged = {**record.values, **values}
                if merged.get(self.meta.owner_field) is None:
                    raise RecordError(
                        "MANDATORY_NOT_FOUND", self.meta.owner_field, "required field not found"
                    )
                self._finish_values(merged)
            except RecordError as error:
                results.append(error.to_json())
                continue
            affected.update(name for name in merged if merged[name] != record.values.get(name))
            record.values = merged
            record.modified_time = self.now
            record.modified_by = self.user.id
            change.ids.append(record.id)
            results.append(self._success(record, "record updated"))
        change.affected_fields = sorted(affected)
        return results, change

    def delete(self, record_ids: list[str]) -> tuple[list[dict[str, Any]], Change]:
        results: list[dict[str, Any]] = []
        change = Change(self.user.org_id, self.module, "delete")
        for record_id in record_ids:
            record = self.state.find_record(self.user.org_id, self.module, record_id)
            if record is None:
                results.append(_invalid_id(record_id))
                continue
            del self.state.records[record.id]
            self.state.deleted.append(
                DeletedRecord(
                    record.id, self.module, record.org_id, self.state.display_name(record),
                    record.created_by, self.user.id, self.now,
                )
            )  # fmt: skip
            change.ids.append(record.id)
            results.append(
                {
                    "code": "SUCCESS",
                    "details": {"id": record.id},
                    "message": "record deleted",
                    "status": "success",
                }
            )
        return results, change
