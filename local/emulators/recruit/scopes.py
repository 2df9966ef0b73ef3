"""OAuth scopes: which names the accounts server accepts, and which scope each API route needs.

Sources, by route (a call outside the granted scopes answers 401 `OAUTH_SCOPE_MISMATCH`, the code of the Zoho
error tables; envelope as zoho/crm-oas
`v8.0/record/operations/getRecords/examples/response-401-scopemismatch.md`):
- records `/{Module}[...]`: `ZohoRecruit.modules.ALL` or `ZohoRecruit.modules.{name}.{op}`; Recruit's guide
  lists the names in singular lower case (`candidate, jobopening, client, interview, contact, event, ...`,
  page zoho.com/recruit/upload-document-api.html "Possible Scope Names") with ALL and READ.
  CREATE/UPDATE/DELETE and the plural module API names (`contacts`) are Zoho CRM's grammar, unconfirmed for
  Recruit: accepted.
- search `/{Module}/search`: `ZohoRecruit.search.READ` (Recruit guide, apiv2/search-records.html).
- `/org`: `ZohoRecruit.org.{READ|ALL}`; `/users`: `ZohoRecruit.users.{READ|ALL}` (API-NOTES; Recruit guide
  pages for org and users not in our stored sources: unconfirmed).
- `/settings/fields`, `/settings/modules`: `ZohoRecruit.settings.{READ|ALL}` or the narrower
  `ZohoRecruit.settings.fields.*` / `ZohoRecruit.settings.modules.*` (CRM grammar; unconfirmed).
- `/actions/watch`: `ZohoRecruit.notifications.{READ|CREATE|UPDATE|DELETE}` by method; one Recruit sample used
  `ZohoRecruit.notifications.ALL`, so ALL is accepted too (API-NOTES: unsettled).
Names compare case-insensitively (public Recruit integrations send both `modules.ALL` and `modules.all`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

OPERATIONS = ("all", "read", "create", "update", "delete")
OPERATION_BY_METHOD = {
    "GET": "read",
    "POST": "create",
    "PUT": "update",
    "PATCH": "update",
    "DELETE": "delete",
}
# Recruit's singular scope name per module API name (Recruit guide, "Possible Scope Names").
MODULE_SCOPE_NAMES = {
    "Candidates": "candidate",
    "Job_Openings": "jobopening",
    "Clients": "client",
    "Contacts": "contact",
    "Interviews": "interview",
    "Events": "event",
    "Tasks": "task",
    "Calls": "call",
    "Departments": "department",
    "Vendors": "vendor",
    "Campaigns": "campaign",
    "Referrals": "referral",
    "Assessments": "assessment",
    "Offers": "offer",
    "Notes": "note",
    "Attachments": "attachment",
    "Forecasts": "forecast",
}
_SINGULAR = frozenset(MODULE_SCOPE_NAMES.values()) | {"custom"}
_PLURAL = frozenset(name.lower() for name in MODULE_SCOPE_NAMES)
SERVICE = "zohorecruit"
# Resource → the sub-resources it accepts (empty: none).
_RESOURCES: dict[str, frozenset[str]] = {
    "modules": _SINGULAR | _PLURAL,
    "settings": frozenset(
        {"fields", "modules", "layouts", "custom_views", "related_lists", "roles", "profiles"}
    ),
    "users": frozenset(),
    "org": frozenset(),
    "search": frozenset(),
    "notifications": frozenset(),
    "coql": frozenset(),
    "bulk": frozenset(),
}


class InvalidScope(ValueError):
    """A scope name Zoho would refuse: it then refuses the whole consent (API-NOTES)."""


def parse_scopes(raw: str) -> frozenset[str]:
    """The granted scope names, lower-cased; raises InvalidScope for a malformed Recruit scope.

    Zoho separates scopes with commas (spaces are accepted too). Scopes of other Zoho services
    (`AaaServer.profile.READ`) are valid names that grant nothing here.
    """
    names = frozenset(part.strip().lower() for part in raw.replace(" ", ",").split(",") if part.strip())
    for name in names:
        service, _, rest = name.partition(".")
        if service == SERVICE and not _valid_recruit_scope(rest):
            raise InvalidScope(name)
    return names


def _valid_recruit_scope(rest: str) -> bool:
    parts = rest.split(".")
    if len(parts) == 2:
        return parts[0] in _RESOURCES and parts[1] in OPERATIONS
    if len(parts) == 3:
        return parts[0] in _RESOURCES and parts[1] in _RESOURCES[parts[0]] and parts[2] in OPERATIONS
    return False


@dataclass(frozen=True)
class Requirement:
    """Any one of `accepted` (lower-cased scope names) lets the call through."""

    accepted: frozenset[str]

    def met_by(self, granted: Iterable[str] | None) -> bool:
        """None means a token of the control API: acting as the user, with every scope."""
        return granted is None or not self.accepted.isdisjoint(granted)


def _names(resource: str, operation: str, subs: Iterable[str] = ()) -> frozenset[str]:
    ops = ("all", operation)
    names = {f"{SERVICE}.{resource}.{op}" for op in ops}
    names |= {f"{SERVICE}.{resource}.{sub}.{op}" for sub in subs for op in ops}
    return frozenset(names)


def for_records(module: str, method: str) -> Requirement:
    singular = MODULE_SCOPE_NAMES.get(module, "custom")
    return Requirement(_names("modules", OPERATION_BY_METHOD[method], (singular, module.lower())))


def for_search() -> Requirement:
    return Requirement(frozenset({f"{SERVICE}.search.read", f"{SERVICE}.search.all"}))


def for_settings(sub: str) -> Requirement:
    return Requirement(_names("settings", "read", (sub,)))


def for_users() -> Requirement:
    return Requirement(_names("users", "read"))


def for_org() -> Requirement:
    return Requirement(_names("org", "read"))


def for_notifications(method: str) -> Requirement:
    return Requirement(_names("notifications", OPERATION_BY_METHOD[method]))
