"""The emulator's data: client, organisations, users, records, deletions, tokens and watch channels.

Everything lives in memory and runs on the server's single event loop, so no locking is needed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .datacentres import HOME_LOCATION
from .fields import ModuleMeta, default_modules
from .timefmt import format_day_start, format_instant

SCHEDULE_FIELDS = ("Start_DateTime", "End_DateTime")


@dataclass
class Org:
    id: str
    company_name: str
    time_zone: str
    primary_email: str
    location: str = HOME_LOCATION  # its data centre

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "company_name": self.company_name,
            "time_zone": self.time_zone,
            "primary_email": self.primary_email,
        }


@dataclass
class User:
    id: str
    zuid: str
    email: str
    full_name: str
    time_zone: str
    org_id: str
    role: str = "Recruiter"
    profile: str = "Standard"

    def ref(self) -> dict[str, Any]:
        return {"name": self.full_name, "id": self.id, "email": self.email}

    def to_json(self) -> dict[str, Any]:
        """A user as `GET /users` answers it: `role` and `profile` as `{name, id}` objects, as in zoho/crm-oas
        v8.0/users/operations/getUsers/examples/response-200-usersgetresponse.md (profile "Administrator",
        role "CEO"); the seed gives its first user of each org that profile."""
        return {
            "id": self.id,
            "zuid": self.zuid,
            "email": self.email,
            "full_name": self.full_name,
            "time_zone": self.time_zone,
            "role": {"name": self.role, "id": f"{self.org_id}1"},
            "profile": {"name": self.profile, "id": f"{self.org_id}2"},
            "status": "active",
        }


@dataclass
class Record:
    id: str
    module: str
    org_id: str
    values: dict[str, Any]
    created_time: datetime
    modified_time: datetime
    created_by: str
    modified_by: str


@dataclass
class DeletedRecord:
    id: str
    module: str
    org_id: str
    display_name: str
    created_by: str
    deleted_by: str
    deleted_time: datetime


@dataclass
class Channel:
    channel_id: int
    user_id: str
    org_id: str
    events: list[str]
    notify_url: str
    token: str
    expiry: datetime

    def watches(self, module: str, operation: str) -> bool:
        action = {"insert": "create", "update": "edit", "delete": "delete"}[operation]
        return f"{module}.all" in self.events or f"{module}.{action}" in self.events


@dataclass
class Grant:
    """An authorization code: single use, short-lived."""

    user_id: str
    client_id: str
    redirect_uri: str
    scope: str
    expires: datetime
    offline: bool = True  # access_type=offline: only then does the code grant carry a refresh token


@dataclass
class AccessToken:
    user_id: str
    expires: datetime
    refresh_token: str | None = None
    scopes: frozenset[str] | None = None  # None: a control-API token, acting as the user with every scope
    location: str = HOME_LOCATION  # the data centre that issued it: only there is it valid


@dataclass
class RefreshGrant:
    """What a refresh token renews: its user, the consented scopes, its data centre."""

    user_id: str
    scopes: frozenset[str]
    location: str


@dataclass
class RecruitState:
    client_id: str
    client_secret: str
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    modules: dict[str, ModuleMeta] = field(default_factory=default_modules)
    records: dict[str, Record] = field(default_factory=dict)
    deleted: list[DeletedRecord] = field(default_factory=list)
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshGrant] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    next_id: int = 461233000000500001

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def user_by_email(self, email: str) -> User | None:
        return next((u for u in self.users.values() if u.email.lower() == email.lower()), None)

    def location_of(self, user: User) -> str:
        return self.orgs[user.org_id].location

    def issue_access_token(
        self,
        user_id: str,
        expires: datetime,
        refresh_token: str | None = None,
        scopes: frozenset[str] | None = None,
    ) -> str:
        token = "1000." + secrets.token_hex(16) + "." + secrets.token_hex(16)
        location = self.location_of(self.users[user_id])
        self.access_tokens[token] = AccessToken(user_id, expires, refresh_token, scopes, location)
        return token

    def records_of(self, org_id: str, module: str) -> list[Record]:
        return [r for r in self.records.values() if r.org_id == org_id and r.module == module]

    def find_record(self, org_id: str, module: str, record_id: str) -> Record | None:
        record = self.records.get(record_id)
        if record is None or record.org_id != org_id or record.module != module:
            return None
        return record

    def display_name(self, record: Record) -> str:
        parts = [str(record.values.get(name) or "") for name in self.modules[record.module].display]
        return " ".join(p for p in parts if p)

    def _user_ref(self, user_id: str) -> dict[str, Any] | None:
        user = self.users.get(user_id)
        return user.ref() if user else None

    def render(self, record: Record, reader: User, only: set[str] | None = None) -> dict[str, Any]:
        """A record as the API returns it to `reader`: date-times in the reader's time zone."""
        meta = self.modules[record.module]
        system = {
            "Created_Time": format_instant(record.created_time, reader.time_zone),
            "Modified_Time": format_instant(record.modified_time, reader.time_zone),
            "Created_By": self._user_ref(record.created_by),
            "Modified_By": self._user_ref(record.modified_by),
        }
        out: dict[str, Any] = {"id": record.id}
        for field_def in meta.fields:
            name = field_def.api_name
            if only is not None and name not in only:
                continue
            if name in system:
                out[name] = system[name]
            else:
                out[name] = self._render_value(field_def.data_type, record.values.get(name), reader)
        return out

    def _render_value(self, data_type: str, value: Any, reader: User) -> Any:
        if value is None:
            return None
        if data_type == "datetime":
            if isinstance(value, datetime):
                return format_instant(value, reader.time_zone)
            return format_day_start(value, reader.time_zone)
        if data_type == "date":
            return value.isoformat() if isinstance(value, date) else value
        if data_type in ("ownerlookup", "userlookup"):
            return self._user_ref(value)
        if data_type == "multiuserlookup":
            return [self._user_ref(user_id) for user_id in value]
        if data_type == "lookup":
            target = self.records.get(value)
            return {"name": self.display_name(target) if target else None, "id": value}
        return value
