"""Pydantic models of the Recruit payloads the client reads: users, org, field metadata, watches, deletions.

Records themselves stay plain dicts: their fields differ per module and per organisation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from .datetimes import parse_optional


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# Zoho's built-in profile that holds every permission, org settings included. Users API answers carry it as
# `profile: {name, id}` (zoho/crm-oas
# v8.0/users/operations/getUsers/examples/response-200-usersgetresponse.md; Recruit's users API has the
# same shape). The role (`role: {name, id}`, e.g. "CEO") only places the user in
# the record-sharing hierarchy and grants no administration, so it is not what decides.
ADMINISTRATOR_PROFILE = "administrator"


class RecruitUser(_Loose):
    id: str
    zuid: str | None = None
    email: str | None = None
    full_name: str | None = None
    time_zone: str | None = None
    profile: dict[str, Any] | None = None
    role: dict[str, Any] | None = None

    @property
    def is_administrator(self) -> bool:
        """Whether the user has Recruit's Administrator profile (an absent profile: not an administrator)."""
        name = (self.profile or {}).get("name")
        return isinstance(name, str) and name.strip().lower() == ADMINISTRATOR_PROFILE

    @field_validator("id", "zuid", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class RecruitOrg(_Loose):
    id: str
    company_name: str | None = None
    time_zone: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class FieldMeta(_Loose):
    """One field of a module as `GET /settings/fields` describes it."""

    api_name: str
    label: str = Field(default="", validation_alias=AliasChoices("field_label", "label", "display_label"))
    data_type: str = ""
    json_type: str | None = None
    length: int | None = None
    read_only: bool = False
    visible: bool = True
    system_mandatory: bool = False
    custom: bool = Field(default=False, validation_alias=AliasChoices("custom_field", "custom"))
    lookup_module: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _lookup_module(cls, raw: Any) -> Any:
        # `lookup.module` is a module name or {"api_name", "id"} depending on the API version.
        if isinstance(raw, dict) and "lookup_module" not in raw:
            lookup = raw.get("lookup")
            module = lookup.get("module") if isinstance(lookup, dict) else None
            if isinstance(module, dict):
                module = module.get("api_name") or module.get("module_name")
            if isinstance(module, str) and module:
                raw = {**raw, "lookup_module": module}
        return raw

    @field_validator("read_only", "visible", "system_mandatory", "custom", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        return False if value is None else value


class WatchChannel(_Loose):
    """A watch channel as listed by `GET /actions/watch` (or as confirmed by a create/update)."""

    channel_id: int
    events: list[str] = Field(default_factory=list)
    notify_url: str | None = None
    token: str | None = None
    channel_expiry: datetime | None = None

    @field_validator("channel_expiry", mode="before")
    @classmethod
    def _expiry(cls, value: Any) -> Any:
        return parse_optional(value) if isinstance(value, str) else value


class DeletedRecord(_Loose):
    """One entry of `GET /{Module}/deleted`."""

    id: str
    type: str | None = None
    display_name: str | None = None
    deleted_time: datetime | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("deleted_time", mode="before")
    @classmethod
    def _deleted_time(cls, value: Any) -> Any:
        return parse_optional(value) if isinstance(value, str) else value
