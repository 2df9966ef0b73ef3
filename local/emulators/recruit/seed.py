"""Builds the emulator's state from a seed document (local/seed/recruit.json), resolving its shorthands.

Shorthands: `{"ref": key}` (a seeded record), `{"user": key}`, a `when` block for times relative to today in
the owner's zone, `{n}` in imported strings; every record passes the same validation as the API.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .datacentres import DATA_CENTRES, HOME_LOCATION
from .state import Org, RecruitState, User
from .writes import RecordWriter

SEED_FILE = Path(__file__).resolve().parents[2] / "seed" / "recruit.json"


def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    seed: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return seed


class _SeedLoader:
    def __init__(self, state: RecruitState, now: datetime) -> None:
        self.state = state
        self.now = now.astimezone(UTC).replace(microsecond=0)
        self.users: dict[str, User] = {}
        self.records: dict[str, str] = {}

    def _resolve(self, raw: Any, n: int) -> Any:
        if isinstance(raw, dict):
            if set(raw) == {"ref"}:
                return {"id": self.records[raw["ref"]]}
            if set(raw) == {"user"}:
                return {"id": self.users[raw["user"]].id}
            return {key: self._resolve(value, n) for key, value in raw.items()}
        if isinstance(raw, list):
            return [self._resolve(item, n) for item in raw]
        if isinstance(raw, str):
            return raw.replace("{n}", str(n))
        return raw

    def _when(self, when: dict[str, Any], owner: User, n: int) -> dict[str, Any]:
        zone = ZoneInfo(owner.time_zone)
        day = self.now.astimezone(zone).date() + timedelta(
            days=int(when.get("relative_days", 0)) + (n - 1) * int(when.get("step_days", 0))
        )
        if when.get("all_day"):
            end = day + timedelta(days=int(when.get("days", 1)) - 1)
            return {"All_day": True, "Start_DateTime": day.isoformat(), "End_DateTime": end.isoformat()}
        hour, minute = (int(part) for part in str(when.get("time", "09:00")).split(":"))
        start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        end = start + timedelta(minutes=int(when.get("duration_minutes", 60)))
        return {"Start_DateTime": start.isoformat(), "End_DateTime": end.isoformat()}

    def _payload(self, module: str, fields: dict[str, Any], owner: User, n: int) -> dict[str, Any]:
        payload: dict[str, Any] = self._resolve({k: v for k, v in fields.items() if k != "when"}, n)
        if "when" in fields:
            payload.update(self._when(fields["when"], owner, n))
        payload[self.state.modules[module].owner_field] = {"id": owner.id}
        return payload

    def _create(
        self,
        module: str,
        creator: User,
        payloads: list[dict[str, Any]],
        created: datetime,
        modified: datetime,
    ) -> list[str]:
        writer = RecordWriter(self.state, module, creator, created)
        results, change = writer.insert(payloads, stamp=created)
        failed = [r for r in results if r["status"] != "success"]
        if failed:
            raise ValueError(f"seed {module} record rejected: {failed[0]}")
        for record_id in change.ids:
            self.state.records[record_id].modified_time = modified
        return change.ids

    def load_org(self, raw_org: dict[str, Any]) -> None:
        org = Org(
            raw_org["id"], raw_org["company_name"], raw_org["time_zone"], raw_org["primary_email"],
            raw_org.get("location", HOME_LOCATION),
        )  # fmt: skip
        if org.location not in DATA_CENTRES:
            raise ValueError(f"seed org {org.id}: unknown data centre {org.location!r}")
        self.state.orgs[org.id] = org
        for raw in raw_org.get("users", []):
            user = User(
                raw["id"], raw["zuid"], raw["email"], raw["full_name"], raw["time_zone"], org.id,
                raw.get("role", "Recruiter"), raw.get("profile", "Standard"),
            )  # fmt: skip
            self.state.users[user.id] = user
            self.users[raw["key"]] = user
        for index, raw in enumerate(raw_org.get("records", [])):
            owner = self.users[raw["owner"]]
            creator = self.users[raw.get("creator", raw["owner"])]
            payload = self._payload(raw["module"], raw.get("fields", {}), owner, 1)
            # Distinct creation seconds, so no seeded record looks like part of an import.
            created = self.now - timedelta(days=int(raw.get("created_days_ago", 30)), seconds=97 * index)
            modified = created + timedelta(minutes=int(raw.get("modified_minutes_later", 10)))
            (record_id,) = self._create(raw["module"], creator, [payload], created, modified)
            if "key" in raw:
                self.records[raw["key"]] = record_id
        for raw in raw_org.get("imports", []):
            creator = self.users[raw["user"]]
            count = int(raw["count"])
            payloads = [self._payload(raw["module"], raw["fields"], creator, n) for n in range(1, count + 1)]
            stamp = self.now - timedelta(days=int(raw.get("created_days_ago", 7)))
            self._create(raw["module"], creator, payloads, stamp, stamp)


def build_state(seed: dict[str, Any], now: datetime) -> RecruitState:
    client = seed["client"]
    state = RecruitState(client["client_id"], client["client_secret"])
    loader = _SeedLoader(state, now)
    for raw_org in seed.get("orgs", []):
        loader.load_org(raw_org)
    return state
