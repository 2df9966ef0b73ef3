"""The JSON of users, mailbox settings, calendars and contact folders, property by property as documented.

Sources: resources/user.md (the default property set a GET returns), resources/mailboxsettings.md with
resources/automaticrepliessetting.md, resources/localeinfo.md, resources/workinghours.md;
resources/calendar.md; resources/contactfolder.md. Values the emulator has no data for take the
documented defaults (automatic replies disabled, a Monday-to-Friday 08:00-17:00
working week in the mailbox's zone).
"""

from __future__ import annotations

from typing import Any

from .store import CALENDAR, Container, Mailbox

ROOT_FOLDER_ID = "AAMkAGIroot"


def user_view(mailbox: Mailbox) -> dict[str, Any]:
    user = mailbox.user
    return {
        "businessPhones": list(user.get("businessPhones", [])),
        "displayName": user.get("displayName"),
        "givenName": user.get("givenName"),
        "jobTitle": user.get("jobTitle"),
        "mail": user.get("mail"),
        "mobilePhone": user.get("mobilePhone"),
        "officeLocation": user.get("officeLocation"),
        "preferredLanguage": user.get("preferredLanguage", "en-US"),
        "surname": user.get("surname"),
        "userPrincipalName": user.get("userPrincipalName", user.get("mail")),
        "id": mailbox.id,
    }


def mailbox_settings_view(mailbox: Mailbox) -> dict[str, Any]:
    user = mailbox.user
    zone = user.get("timeZone", "UTC")
    locale = user.get("preferredLanguage", "en-US")
    return {
        "archiveFolder": "AAMkAGIarchive",
        "timeZone": zone,
        "automaticRepliesSetting": {
            "status": "disabled",
            "externalAudience": "all",
            "internalReplyMessage": "",
            "externalReplyMessage": "",
            "scheduledStartDateTime": {"dateTime": "2026-01-01T00:00:00.0000000", "timeZone": "UTC"},
            "scheduledEndDateTime": {"dateTime": "2026-01-02T00:00:00.0000000", "timeZone": "UTC"},
        },
        "dateFormat": "M/d/yyyy",
        "timeFormat": "h:mm tt",
        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
        "language": {"locale": locale, "displayName": locale},
        "userPurpose": "user",
        "workingHours": {
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "08:00:00.0000000",
            "endTime": "17:00:00.0000000",
            "timeZone": {"name": zone},
        },
    }


def container_view(container: Container, mailbox: Mailbox) -> dict[str, Any]:
    owner = mailbox.user
    if container.kind == CALENDAR:
        return {
            "@odata.etag": f'W/"{container.change_key}"',
            "id": container.id,
            "name": container.name,
            "color": container.props.get("color", "auto"),
            "hexColor": "",
            "isDefaultCalendar": container.is_default,
            "changeKey": container.change_key,
            "canShare": True,
            "canViewPrivateItems": True,
            "canEdit": True,
            "isRemovable": not container.is_default,
            "isTallyingResponses": True,
            "allowedOnlineMeetingProviders": ["teamsForBusiness"],
            "defaultOnlineMeetingProvider": "teamsForBusiness",
            "owner": {"name": owner.get("displayName", ""), "address": owner.get("mail", "")},
        }
    return {
        "id": container.id,
        "displayName": container.name,
        "parentFolderId": container.props.get("parentFolderId", ROOT_FOLDER_ID),
    }
