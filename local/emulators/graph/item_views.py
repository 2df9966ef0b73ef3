"""Events and contacts as a read returns them, property by property as resources/event.md and
resources/contact.md document them, with the documented JSON types.

Event defaults where the client wrote nothing: `allowNewTimeProposals` true and `isOnlineMeeting` false
("Default is true/false"), `responseStatus` of the organizer's own event `{"response": "organizer", "time":
"0001-01-01T00:00:00Z"}` (the value api/event-get.md's examples carry for never-responded), attendees' status
`none` (same examples), `location` with `locationType: default` and `uniqueIdType: unknown` when empty
(resources/location.md), `locations` mirroring `location` ("always correspond with each other"), `webLink`
in the documented work-account format. `isOnlineMeeting: true` gives `onlineMeetingProvider:
teamsForBusiness` (the mailbox's default, entities.py) and `onlineMeeting.joinUrl`.
Use preferences.render_event, which reads the zone and body format from the request.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from .bodies import preview, rendered_body, stored_body
from .errors import bad_request
from .items import CONTACT_FIELDS
from .store import Container, Item
from .timezones import render

NEVER = "0001-01-01T00:00:00Z"
WEB_LINK = "https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item"


# How the examples spell an item's times: events to the 100 ns (api/user-post-events.md: "createdDateTime":
# "2017-08-30T07:06:33.8673345Z"), contacts to the second (api/user-post-contacts.md, api/contact-get.md:
# "2017-09-04T15:54:01Z"). Two edits of an event within one second have two different times.
EVENT_TIMES = "%Y-%m-%dT%H:%M:%S.%f0Z"
CONTACT_TIMES = "%Y-%m-%dT%H:%M:%SZ"


def _base(item: Item, times: str) -> dict[str, Any]:
    return {
        "@odata.etag": item.etag,
        "id": item.id,
        "createdDateTime": item.created.strftime(times),
        "lastModifiedDateTime": item.modified.strftime(times),
        "changeKey": item.change_key,
        "categories": item.fields.get("categories", []),
    }


def container_extended(body: Any) -> dict[str, str]:
    """The extended properties of a calendar/contactFolder create body: Graph supports them on both
    (api-reference/v1.0/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties.md,
    "Create ... in a new calendar / contactFolder")."""
    props = body.get("singleValueExtendedProperties") if isinstance(body, dict) else None
    if props is None:
        return {}
    if not isinstance(props, list) or any(not isinstance(p, dict) or "id" not in p for p in props):
        raise bad_request("singleValueExtendedProperties must be a list of {id, value}.", "RequestBodyRead")
    return {str(p["id"]): str(p.get("value", "")) for p in props}


def expanded_properties(item: Item | Container, expand_ids: list[str]) -> dict[str, Any]:
    if not expand_ids:
        return {}
    wanted = {i.lower() for i in expand_ids}
    props = [{"id": k, "value": v} for k, v in item.extended.items() if k.lower() in wanted]
    return {"singleValueExtendedProperties": props}


def _location(value: Any) -> dict[str, Any]:
    location = dict(value) if isinstance(value, dict) else {}
    name = str(location.get("displayName") or "")
    shaped: dict[str, Any] = {"displayName": name, "locationType": location.get("locationType", "default")}
    if name:
        shaped |= {
            "uniqueId": location.get("uniqueId", name),
            "uniqueIdType": location.get("uniqueIdType", "private"),
        }
    else:
        shaped |= {"uniqueIdType": "unknown", "address": {}, "coordinates": {}}
    return location | shaped


def _attendee(value: Any) -> dict[str, Any]:
    attendee = dict(value) if isinstance(value, dict) else {}
    return {"type": "required", "status": {"response": "none", "time": NEVER}} | attendee


def _online_meeting(item: Item, fields: dict[str, Any]) -> dict[str, Any]:
    online = bool(fields.get("isOnlineMeeting"))
    provider = fields.get("onlineMeetingProvider") or ("teamsForBusiness" if online else "unknown")
    meeting = None
    if online:
        meeting = {"joinUrl": f"https://teams.microsoft.com/l/meetup-join/{quote(item.id, safe='')}"}
    return {
        "isOnlineMeeting": online,
        "onlineMeetingProvider": provider,
        "onlineMeeting": meeting,
        "onlineMeetingUrl": None,
    }


def event_view(
    item: Item, owner: dict[str, Any], zone: str, expand_ids: list[str], body_type: str | None = None
) -> dict[str, Any]:
    fields = item.fields
    all_day = bool(fields.get("isAllDay"))
    body = fields.get("body") or stored_body(None)
    recurrence = fields.get("recurrence")
    location = _location(fields.get("location"))
    locations = [_location(v) for v in fields["locations"]] if fields.get("locations") else []
    if not locations and location["displayName"]:
        locations = [location]
    view = _base(item, EVENT_TIMES) | {
        "transactionId": fields.get("transactionId"),
        "originalStartTimeZone": fields["start"]["timeZone"],
        "originalEndTimeZone": fields["end"]["timeZone"],
        "iCalUId": "040000008200E00074C5B7101A82E008"
        + hashlib.sha256(item.id.encode()).hexdigest()[:56].upper(),
        "reminderMinutesBeforeStart": fields.get("reminderMinutesBeforeStart", 15),
        "isReminderOn": fields.get("isReminderOn", True),
        "hasAttachments": False,
        "subject": fields.get("subject", ""),
        "bodyPreview": preview(body),
        "importance": fields.get("importance", "normal"),
        "sensitivity": fields.get("sensitivity", "normal"),
        "isAllDay": all_day,
        "isCancelled": False,
        "isOrganizer": True,
        "isDraft": False,
        "responseRequested": fields.get("responseRequested", True),
        "allowNewTimeProposals": fields.get("allowNewTimeProposals", True),
        "hideAttendees": fields.get("hideAttendees", False),
        "seriesMasterId": None,
        "showAs": fields.get("showAs", "busy"),
        "type": "seriesMaster" if recurrence else "singleInstance",
        "webLink": WEB_LINK.format(quote(item.id, safe="")),
        "responseStatus": {"response": "organizer", "time": NEVER},
        **_online_meeting(item, fields),
        "body": rendered_body(body, body_type),
        "start": render(fields["start"], zone, all_day),
        "end": render(fields["end"], zone, all_day),
        "location": location,
        "locations": locations,
        "recurrence": recurrence,
        "attendees": [_attendee(a) for a in fields.get("attendees") or []],
        "organizer": {
            "emailAddress": {"name": owner.get("displayName", ""), "address": owner.get("mail", "")}
        },
    }
    return view | expanded_properties(item, expand_ids)


def contact_view(item: Item, container: Container, expand_ids: list[str]) -> dict[str, Any]:
    fields = item.fields
    display = fields.get("displayName") or " ".join(
        part for part in (fields.get("givenName"), fields.get("surname")) if part
    )
    view = _base(item, CONTACT_TIMES) | {"parentFolderId": container.id, "displayName": display}
    for key in ("emailAddresses", "businessPhones", "homePhones", "imAddresses", "children"):
        view[key] = fields.get(key, [])
    for key in sorted(CONTACT_FIELDS - set(view) - {"singleValueExtendedProperties"}):
        view[key] = fields.get(key, {} if key.endswith("Address") else None)
    return view | expanded_properties(item, expand_ids)
