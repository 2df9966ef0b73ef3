"""Change-notification subscriptions: validation handshake, limits, renewal, expiry and the notifications a
change raises, plus lifecycle notifications on demand.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .access import AccessControl
from .errors import GraphError, bad_request
from .notifier import Notifier, outgoing_client
from .store import CALENDAR, CONTACTS, Change, Container, Mailbox, Store
from .timezones import parse_wall_time
from .tokens import Grant

VALIDATION_TIMEOUT = 10.0
CHANGE_TYPES = {"created", "updated", "deleted"}
LIFECYCLE_EVENTS = {"reauthorizationRequired", "subscriptionRemoved", "missed"}
_RESOURCE = re.compile(
    r"^(?:users/(?P<user>[^/]+)|me)/(?:"
    r"calendars/(?P<cal>[^/]+)/events|calendar/events|(?P<mailevents>events)|"
    r"contactfolders/(?P<folder>[^/]+)/contacts|(?P<contacts>contacts))$",
    re.IGNORECASE,
)


@dataclass
class Subscription:
    id: str
    resource: str
    change_types: set[str]
    notification_url: str
    lifecycle_url: str | None
    expires: datetime
    client_state: str | None
    owner: str
    tenant_id: str
    mailbox_id: str
    kind: str
    container_id: str | None  # None: every calendar of the mailbox (`/users/{id}/events`)

    def view(self, client_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "resource": self.resource,
            "applicationId": client_id,
            "changeType": ",".join(sorted(self.change_types)),
            "clientState": self.client_state,
            "notificationUrl": self.notification_url,
            "lifecycleNotificationUrl": self.lifecycle_url,
            "expirationDateTime": self.expires.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
            "creatorId": self.owner.split(":")[-1],
            "includeResourceData": False,
            "latestSupportedTlsVersion": "v1_2",
            # api/subscription-post-subscriptions.md's response example carries it.
            "notificationContentType": "application/json",
            "encryptionCertificate": None,
            "encryptionCertificateId": None,
            "notificationQueryOptions": None,
            "notificationUrlAppId": None,
        }


def owner_key(grant: Grant) -> str:
    return f"app:{grant.tenant_id}" if grant.user_id is None else f"user:{grant.user_id}"


class Subscriptions:
    def __init__(
        self, store: Store, access: AccessControl, notifier: Notifier, max_minutes: Callable[[], int]
    ) -> None:
        self.store = store
        self.access = access
        self.notifier = notifier
        self.max_minutes = max_minutes
        self.by_id: dict[str, Subscription] = {}
        store.change_listeners.append(self.on_change)
        store.container_deleted_listeners.append(self.on_container_deleted)

    def reset(self) -> None:
        self.by_id.clear()

    def live(self, sub_id: str) -> Subscription | None:
        sub = self.by_id.get(sub_id)
        if sub is not None and sub.expires <= self.store.now():
            del self.by_id[sub_id]  # expired: stops notifying and GET answers 404
            return None
        return sub

    # --- notifications ---

    def on_change(self, change: Change) -> None:
        kind_type = "Event" if change.container.kind == CALENDAR else "Contact"
        path = f"Users/{change.mailbox.id}/{kind_type}s/{change.item_id}"
        for sub in list(self.by_id.values()):
            if self.live(sub.id) is None or change.change_type not in sub.change_types:
                continue
            if sub.mailbox_id != change.mailbox.id or sub.kind != change.container.kind:
                continue
            if sub.container_id is not None and sub.container_id != change.container.id:
                continue
            self.notifier.enqueue(
                sub.notification_url,
                {
                    "subscriptionId": sub.id,
                    "subscriptionExpirationDateTime": sub.expires.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00"),
                    "changeType": change.change_type,
                    "resource": path,
                    "resourceData": {
                        "@odata.type": f"#Microsoft.Graph.{kind_type}",
                        "@odata.id": path,
                        "@odata.etag": change.etag,
                        "id": change.item_id,
                    },
                    "clientState": sub.client_state,
                    "tenantId": sub.tenant_id,
                },
            )

    def on_container_deleted(self, mailbox: Mailbox, container: Container) -> None:
        for sub in list(self.by_id.values()):
            if sub.mailbox_id == mailbox.id and sub.container_id == container.id:
                self.send_lifecycle(sub, "subscriptionRemoved")

    def send_lifecycle(self, sub: Subscription, event: str) -> bool:
        if event == "subscriptionRemoved":
            self.by_id.pop(sub.id, None)
        if not sub.lifecycle_url:
            return False
        self.notifier.send_now(
            sub.lifecycle_url,
            {
                "subscriptionId": sub.id,
                "subscriptionExpirationDateTime": sub.expires.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00"),
                "tenantId": sub.tenant_id,
                "clientState": sub.client_state,
                "lifecycleEvent": event,
                "resource": sub.resource,
            },
        )
        return True

    # --- validation ---

    async def _validate_url(self, url: str) -> None:
        token = (
            f"Validation: Testing client application reachability for subscription Request-Id: {uuid.uuid4()}"
        )
        try:
            async with outgoing_client(VALIDATION_TIMEOUT) as client:
                response = await client.post(
                    url,
                    params={"validationToken": token},
                    headers={"Content-Type": "text/plain; charset=utf-8"},
                )
            ok = response.status_code == 200 and response.text == token
        except httpx.HTTPError:
            ok = False
        if not ok:
            raise bad_request(
                "Subscription validation request failed. Notification endpoint must respond with 200 OK "
                "to validation request.",
                "ValidationError",
            )

    def _expiry(self, raw: Any) -> datetime:
        if not isinstance(raw, str):
            raise bad_request("expirationDateTime is required.", "InvalidRequest")
        try:
            expires = parse_wall_time(raw).replace(tzinfo=UTC)
        except ValueError as exc:
            raise bad_request("expirationDateTime is not a date-time.", "InvalidRequest") from exc
        now = self.store.now()
        if expires <= now:
            raise bad_request("Subscription expiration can only be in the future.", "InvalidRequest")
        if expires > now + timedelta(minutes=self.max_minutes()):
            raise bad_request(
                f"Subscription expiration can only be {self.max_minutes()} minutes in the future.",
                "InvalidRequest",
            )
        return expires

    def _target(self, grant: Grant, resource: str) -> tuple[Mailbox, str, str | None]:
        match = _RESOURCE.match(resource.strip().strip("/"))
        if not match:
            raise bad_request(f"Resource '{resource}' is not supported for subscriptions.", "InvalidRequest")
        mailbox = self.access.mailbox_for(grant, match.group("user"))
        if match.group("folder") or match.group("contacts"):
            kind = CONTACTS
            container_id: str | None = mailbox.container(CONTACTS, match.group("folder")).id
        else:
            kind = CALENDAR
            container_id = (
                None if match.group("mailevents") else mailbox.container(CALENDAR, match.group("cal")).id
            )
        self.access.require_scope(grant, kind, write=False)
        return mailbox, kind, container_id

    # --- endpoints ---

    async def create(self, request: Request) -> Response:
        grant = self.access.grant(request)
        body = await request.json()
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", "InvalidRequest")
        change_types = {c.strip() for c in str(body.get("changeType", "")).split(",") if c.strip()}
        if not change_types or not change_types <= CHANGE_TYPES:
            raise bad_request("changeType must be a list of created, updated, deleted.", "InvalidRequest")
        client_state = body.get("clientState")
        if client_state is not None and len(str(client_state)) > 128:
            raise bad_request("clientState must be at most 128 characters.", "InvalidRequest")
        url, lifecycle = body.get("notificationUrl"), body.get("lifecycleNotificationUrl")
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise bad_request("notificationUrl must be an http(s) URL.", "InvalidRequest")
        expires = self._expiry(body.get("expirationDateTime"))
        resource = str(body.get("resource", ""))
        mailbox, kind, container_id = self._target(grant, resource)
        owner = owner_key(grant)
        for sub in list(self.by_id.values()):
            if (
                self.live(sub.id)
                and sub.owner == owner
                and sub.mailbox_id == mailbox.id
                and (sub.kind, sub.container_id) == (kind, container_id)
                and sub.change_types == change_types
            ):
                raise GraphError(409, "ExtensionError", "A subscription for this resource already exists.")
        await self._validate_url(url)
        if lifecycle:
            await self._validate_url(str(lifecycle))
        sub = Subscription(
            str(uuid.uuid4()), resource, change_types, url, lifecycle, expires, client_state, owner,
            mailbox.tenant_id, mailbox.id, kind, container_id,
        )  # fmt: skip
        self.by_id[sub.id] = sub
        view = {"@odata.context": f"{request.base_url}v1.0/$metadata#subscriptions/$entity"} | sub.view(
            self.store.app["client_id"]
        )
        return JSONResponse(view, status_code=201)

    def _owned(self, request: Request) -> Subscription:
        grant = self.access.grant(request)
        sub = self.live(request.path_params["subscription_id"])
        if sub is None or sub.owner != owner_key(grant):
            raise GraphError(404, "ResourceNotFound", "The object was not found.")
        return sub

    async def get(self, request: Request) -> Response:
        return JSONResponse(self._owned(request).view(self.store.app["client_id"]))

    async def list_owned(self, request: Request) -> Response:
        owner = owner_key(self.access.grant(request))
        subs = [s for s in list(self.by_id.values()) if self.live(s.id) and s.owner == owner]
        return JSONResponse({"value": [s.view(self.store.app["client_id"]) for s in subs]})

    async def update(self, request: Request) -> Response:
        sub = self._owned(request)
        body = await request.json()
        if not isinstance(body, dict) or set(body) - {"expirationDateTime", "notificationUrl", "@odata.type"}:
            raise bad_request("Only expirationDateTime and notificationUrl can change.", "InvalidRequest")
        if "expirationDateTime" in body:
            sub.expires = self._expiry(body["expirationDateTime"])
        if "notificationUrl" in body:
            await self._validate_url(str(body["notificationUrl"]))
            sub.notification_url = str(body["notificationUrl"])
        return JSONResponse(sub.view(self.store.app["client_id"]))

    async def delete(self, request: Request) -> Response:
        sub = self._owned(request)
        del self.by_id[sub.id]
        return Response(status_code=204)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/v1.0/subscriptions", self.create, methods=["POST"]),
            Route("/v1.0/subscriptions", self.list_owned, methods=["GET"]),
            Route("/v1.0/subscriptions/{subscription_id}", self.get, methods=["GET"]),
            Route("/v1.0/subscriptions/{subscription_id}", self.update, methods=["PATCH"]),
            Route("/v1.0/subscriptions/{subscription_id}", self.delete, methods=["DELETE"]),
        ]
