"""Events and contacts as Graph takes them: which properties a write may carry, the rules a write must meet.

Unknown properties answer 400 like Graph; read-only ones that clients echo back are ignored.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from .bodies import stored_body
from .errors import bad_request
from .timezones import parse_wall_time, require_zone

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
    require_zone(str(value["timeZone"]))
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


def clean_event(body: Any) -> dict[str, Any]:
    """The written properties, with the body already as Exchange stores it (HTML; see bodies.py)."""
    cleaned = _clean(body, EVENT_FIELDS, "event")
    if "body" in cleaned:
        item_body = cleaned["body"]
        if not isinstance(item_body, dict) or str(item_body.get("contentType", "text")).lower() not in (
            "text",
            "html",
        ):
            raise bad_request("body.contentType must be text or html.", "RequestBodyRead")
        cleaned["body"] = stored_body(item_body)
    return cleaned


def clean_contact(body: Any) -> dict[str, Any]:
    """A contact's written properties, kept as written: every `emailAddresses` entry with its own `name`
    (resources/emailaddress.md: "the display name of the person", independent of `address`; the response of
    api/contact-update.md shows `{"name": "Garth", "address": "garth@..."}`), and each property in a PATCH
    replacing the stored one whole ("Existing properties that are not included in the request body will
    maintain their previous values")."""
    cleaned = _clean(body, CONTACT_FIELDS, "contact")
    for key in ("emailAddresses", "businessPhones", "homePhones", "imAddresses", "categories"):
        if key in cleaned and not isinstance(cleaned[key], list):
            raise bad_request(f"'{key}' must be a list.", "RequestBodyRead")
    return cleaned
