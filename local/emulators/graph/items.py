"""Events and contacts as Graph shapes them: which properties a write may carry, and the JSON a read returns.

Unknown properties answer 400 like Graph; read-only ones that clients echo back are ignored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from typing import Any

from .errors import bad_request
from .store import Container, Item
from .timezones import parse_wall_time, render, resolve_zone

EVENT_FIELDS = {
    "subject", "body", "start", "end", "isAllDay", "location", "locations", "reminderMinutesBeforeStart",
    "isReminderOn", "showAs", "sensitivity", "categories", "recurrence", "attendees", "importance",
    "transactionId", "singleValueExtendedProperties", "responseRequested", "allowNewTimeProposals",
    "isOnlineMeeting", "onlineMeetingProvider", "hideAttendees", "originalStartTimeZone",
    "originalEndTimeZone",
}  # fmt: skip
CONTACT_FIELDS = {
    "givenName", "surname", "middleName", "displayName", "nickName", "title", "generation", "initials",
    "emailAddresses", "businessPhones", "homePhones", "mobilePhone", "imAddresses", "companyName", "jobTitle",
    "department", "officeLocation", "profession", "manager", "assistantName", "businessHomePage",
    "businessAddress", "homeAddress", "otherAddress", "birthday", "spouseName", "personalNotes", "categories",
    "singleValueExtendedProperties", "fileAs", "yomiGivenName", "yomiSurname", "yomiCompanyName", "children",
}  # fmt: skip
READ_ONLY = {
    "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "iCalUId", "type", "seriesMasterId",
    "organizer", "webLink", "bodyPreview", "hasAttachments", "isCancelled", "isOrganizer", "parentFolderId",
    "originalStart", "responseStatus", "onlineMeeting", "onlineMeetingUrl", "occurrenceId", "isDraft",
}  # fmt: skip


def _clean(body: Any, allowed: set[str], type_name: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", "RequestBodyRead")
    cleaned: dict[str, Any] = {}
    for key, value in body.items():
        if key.startswith("@odata") or key in READ_ONLY:
            continue
        if key not in allowed:
            raise bad_request(
                f"The property '{key}' does not exist on type 'microsoft.graph.{type_name}'. Use only"
                " property names defined by the type.",
                "RequestBodyRead",
            )
        cleaned[key] = value
    props = cleaned.get("singleValueExtendedProperties")
    if props is not None and (
        not isinstance(props, list) or any(not isinstance(p, dict) or "id" not in p for p in props)
    ):
        raise bad_request("singleValueExtendedProperties must be a list of {id, value}.", "RequestBodyRead")
    return cleaned


def _check_time(value: Any, name: str) -> datetime:
    if not isinstance(value, dict) or not value.get("dateTime") or not value.get("timeZone"):
        raise bad_request(f"'{name}' needs dateTime and timeZone.", "ErrorInvalidRequest")
    if resolve_zone(str(value["timeZone"])) is None:
        raise bad_request(
            f"Time zone '{value['timeZone']}' is not supported.", "TimeZoneNotSupportedException"
        )
    try:
        return parse_wall_time(str(value["dateTime"]))
    except ValueError as exc:
        raise bad_request(f"'{name}.dateTime' is not a date-time.", "ErrorInvalidRequest") from exc


def check_event(merged: dict[str, Any]) -> None:
    """Rules Graph enforces on the whole event after a create or update."""
    start = _check_time(merged.get("start"), "start")
    end = _check_time(merged.get("end"), "end")
    if merged.get("isAllDay"):
        if start.time() != time(0) or end.time() != time(0) or end <= start:
            raise bad_request(
                "Start and end of an all-day event must be at midnight and the end after the start.",
                "ErrorPropertyValidationFailure",
            )
    elif end < start:
        raise bad_request("The end of an event cannot be before its start.", "ErrorInvalidRequest")
    body = merged.get("body")
    if body is not None and (not isinstance(body, dict) or body.get("contentType", "text").lower() not in
                             ("text", "html")):  # fmt: skip
        raise bad_request("body.contentType must be text or html.", "RequestBodyRead")


def clean_event(body: Any) -> dict[str, Any]:
    return _clean(body, EVENT_FIELDS, "event")


def clean_contact(body: Any) -> dict[str, Any]:
    cleaned = _clean(body, CONTACT_FIELDS, "contact")
    for key in ("emailAddresses", "businessPhones", "homePhones", "imAddresses", "categories"):
        if key in cleaned and not isinstance(cleaned[key], list):
            raise bad_request(f"'{key}' must be a list.", "RequestBodyRead")
    return cleaned


def _base(item: Item) -> dict[str, Any]:
    return {
        "@odata.etag": item.etag,
        "id": item.id,
        "createdDateTime": item.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lastModifiedDateTime": item.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "changeKey": item.change_key,
        "categories": item.fields.get("categories", []),
    }


def _expanded(item: Item | Container, expand_ids: list[str]) -> dict[str, Any]:
    if not expand_ids:
        return {}
    wanted = {i.lower() for i in expand_ids}
    props = [{"id": k, "value": v} for k, v in item.extended.items() if k.lower() in wanted]
    return {"singleValueExtendedProperties": props}


def container_extended(body: dict[str, Any]) -> dict[str, str]:
    """The extended properties of a calendar/contactFolder create body (same shape and checks as items')."""
    props = body.get("singleValueExtendedProperties")
    if props is None:
        return {}
    if not isinstance(props, list) or any(not isinstance(p, dict) or "id" not in p for p in props):
        raise bad_request("singleValueExtendedProperties must be a list of {id, value}.", "RequestBodyRead")
    return {str(p["id"]): str(p.get("value", "")) for p in props}


def expanded_container_view(
    container: Container, owner: dict[str, Any], expand_ids: list[str]
) -> dict[str, Any]:
    """A container expanded with the extended properties asked for: `GET /calendars/{id}?$expand=
    singleValueExtendedProperties($filter=id eq '...')` (api-reference/v1.0/api/singlevaluelegacyextended
    property-get.md, "Get a calendar instance" / "Get a contactFolder instance")."""
    return container_view(container, owner) | _expanded(container, expand_ids)


def event_view(item: Item, owner: dict[str, Any], zone: str, expand_ids: list[str]) -> dict[str, Any]:
    fields = item.fields
    all_day = bool(fields.get("isAllDay"))
    body = fields.get("body") or {"contentType": "text", "content": ""}
    recurrence = fields.get("recurrence")
    view = _base(item) | {
        "transactionId": fields.get("transactionId"),
        "originalStartTimeZone": fields["start"]["timeZone"],
        "originalEndTimeZone": fields["end"]["timeZone"],
        "iCalUId": "040000008200E00074C5B7101A82E008"
        + hashlib.sha256(item.id.encode()).hexdigest()[:56].upper(),
        "reminderMinutesBeforeStart": fields.get("reminderMinutesBeforeStart", 15),
        "isReminderOn": fields.get("isReminderOn", True),
        "hasAttachments": False,
        "subject": fields.get("subject", ""),
        "bodyPreview": str(body.get("content", ""))[:255],
        "importance": fields.get("importance", "normal"),
        "sensitivity": fields.get("sensitivity", "normal"),
        "isAllDay": all_day,
        "isCancelled": False,
        "isOrganizer": True,
        "responseRequested": fields.get("responseRequested", True),
        "seriesMasterId": None,
        "showAs": fields.get("showAs", "busy"),
        "type": "seriesMaster" if recurrence else "singleInstance",
        "webLink": f"https://outlook.office365.com/owa/?itemid={item.id}",
        "body": body,
        "start": render(fields["start"], zone, all_day),
        "end": render(fields["end"], zone, all_day),
        "location": fields.get("location") or {"displayName": ""},
        "locations": fields.get("locations", []),
        "recurrence": recurrence,
        "attendees": fields.get("attendees", []),
        "organizer": {
            "emailAddress": {"name": owner.get("displayName", ""), "address": owner.get("mail", "")}
        },
    }
    return view | _expanded(item, expand_ids)


def contact_view(item: Item, container: Container, expand_ids: list[str]) -> dict[str, Any]:
    fields = item.fields
    display = fields.get("displayName") or " ".join(
        part for part in (fields.get("givenName"), fields.get("surname")) if part
    )
    view = _base(item) | {"parentFolderId": container.id, "displayName": display}
    for key in ("emailAddresses", "businessPhones", "homePhones", "imAddresses", "children"):
        view[key] = fields.get(key, [])
    for key in sorted(CONTACT_FIELDS - set(view) - {"singleValueExtendedProperties"}):
        view[key] = fields.get(key, {} if key.endswith("Address") else None)
    return view | _expanded(item, expand_ids)


def container_view(container: Container, owner: dict[str, Any]) -> dict[str, Any]:
    if container.kind == "calendar":
        return {
            "@odata.etag": f'W/"{container.change_key}"',
            "id": container.id,
            "name": container.name,
            "color": "auto",
            "hexColor": "",
            "isDefaultCalendar": container.is_default,
            "changeKey": container.change_key,
            "canShare": True,
            "canViewPrivateItems": True,
            "canEdit": True,
            "isRemovable": not container.is_default,
            "owner": {"name": owner.get("displayName", ""), "address": owner.get("mail", "")},
        }
    return {"id": container.id, "displayName": container.name, "parentFolderId": "AAMkAGIroot"}
