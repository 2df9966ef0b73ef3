"""Watch channels: `/recruit/v2/actions/watch` POST (subscribe), GET (list), PATCH (update), DELETE (disable).

A channel belongs to its creator, sees every record of the creator's organisation and expires by the emulator
clock; an expiry missing or more than a day ahead gives one hour (API-NOTES.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import scopes
from .fields import MODULES
from .runtime import Emulator, api_base, api_route, json_object, zoho_error
from .state import Channel, User
from .timefmt import format_instant, parse_instant

MAX_CHANNEL_ID = 2**48
MAX_TOKEN = 50
ACTIONS = ("all", "create", "edit", "delete")


class ChannelError(Exception):
    def __init__(self, code: str, api_name: str, message: str) -> None:
        self.code, self.api_name, self.message = code, api_name, message

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "details": {"api_name": self.api_name},
            "message": self.message,
            "status": "error",
        }


def _expiry(raw: Any, now: datetime) -> datetime:
    if raw is None:
        return now + timedelta(hours=1)
    try:
        expiry = parse_instant(str(raw))
    except ValueError as exc:
        raise ChannelError("INVALID_DATA", "channel_expiry", "invalid channel_expiry") from exc
    if expiry <= now:
        raise ChannelError("INVALID_DATA", "channel_expiry", "channel_expiry is in the past")
    return now + timedelta(hours=1) if expiry > now + timedelta(days=1) else expiry


def _events(raw: Any) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise ChannelError("MANDATORY_NOT_FOUND", "events", "required field not found")
    for event in raw:
        module, _, action = str(event).partition(".")
        if module not in MODULES or action not in ACTIONS:
            raise ChannelError("INVALID_DATA", "events", f"invalid event {event}")
    return [str(e) for e in raw]


def watch_routes(emulator: Emulator) -> list[BaseRoute]:
    def describe(channel: Channel, user: User, request: Request) -> dict[str, Any]:
        modules = sorted({event.partition(".")[0] for event in channel.events})
        return {
            "channel_id": channel.channel_id,
            "events": list(channel.events),
            "resources": [{"resource_name": m, "resource_uri": f"{api_base(request)}/{m}"} for m in modules],
            "notify_url": channel.notify_url,
            "token": channel.token,
            "channel_expiry": format_instant(channel.expiry, user.time_zone),
        }

    def success(channel: Channel, user: User, request: Request, message: str) -> dict[str, Any]:
        return {
            "code": "SUCCESS",
            "details": describe(channel, user, request),
            "message": message,
            "status": "success",
        }

    async def items(request: Request) -> list[Any] | Response:
        body = await json_object(request)
        watch = body.get("watch") if body else None
        if not isinstance(watch, list) or not watch:
            return zoho_error("MANDATORY_NOT_FOUND", "required field not found", 400, {"api_name": "watch"})
        return watch

    def apply(channel: Channel, raw: dict[str, Any]) -> None:
        if "events" in raw:
            channel.events = _events(raw["events"])
        if "notify_url" in raw:
            if not str(raw["notify_url"]).startswith(("http://", "https://")):
                raise ChannelError("INVALID_DATA", "notify_url", "invalid notify_url")
            channel.notify_url = str(raw["notify_url"])
        if "token" in raw:
            if len(str(raw["token"])) > MAX_TOKEN:
                raise ChannelError("INVALID_DATA", "token", f"token longer than {MAX_TOKEN} characters")
            channel.token = str(raw["token"])
        if "channel_expiry" in raw:
            channel.expiry = _expiry(raw["channel_expiry"], emulator.now())

    def respond(results: list[dict[str, Any]]) -> Response:
        status = 200 if any(r["status"] == "success" for r in results) else 400
        return JSONResponse({"watch": results}, status_code=status)

    async def subscribe(request: Request, user: User) -> Response:
        watch = await items(request)
        if isinstance(watch, Response):
            return watch
        results = []
        for raw in watch:
            try:
                if not isinstance(raw, dict):
                    raise ChannelError("INVALID_DATA", "watch", "each item must be an object")
                channel_id = raw.get("channel_id")
                if (
                    not isinstance(channel_id, int)
                    or isinstance(channel_id, bool)
                    or not 0 < channel_id < MAX_CHANNEL_ID
                ):
                    raise ChannelError(
                        "INVALID_DATA", "channel_id", "channel_id must be an integer below 2^48"
                    )
                if channel_id in emulator.state.channels:
                    raise ChannelError("DUPLICATE_DATA", "channel_id", "channel_id already in use")
                if "notify_url" not in raw:
                    raise ChannelError("MANDATORY_NOT_FOUND", "notify_url", "required field not found")
                channel = Channel(channel_id, user.id, user.org_id, [], "", "", emulator.now())
                apply(channel, {"channel_expiry": None, **raw})
                emulator.state.channels[channel_id] = channel
                results.append(success(channel, user, request, "Successfully subscribed for actions-watch"))
            except ChannelError as error:
                results.append(error.to_json())
        return respond(results)

    async def update(request: Request, user: User) -> Response:
        watch = await items(request)
        if isinstance(watch, Response):
            return watch
        results = []
        for raw in watch:
            channel_id = raw.get("channel_id") if isinstance(raw, dict) else None
            channel = emulator.state.channels.get(channel_id) if isinstance(channel_id, int) else None
            if channel is None or channel.user_id != user.id:
                results.append(ChannelError("INVALID_DATA", "channel_id", "no such channel").to_json())
                continue
            try:
                apply(channel, raw)
                results.append(success(channel, user, request, "Successfully updated the watch details"))
            except ChannelError as error:
                results.append(error.to_json())
        return respond(results)

    async def listing(request: Request, user: User) -> Response:
        now = emulator.now()
        mine = [c for c in emulator.state.channels.values() if c.user_id == user.id and c.expiry > now]
        if not mine:
            return Response(status_code=204)
        return JSONResponse({"watch": [describe(c, user, request) for c in mine]})

    async def disable(request: Request, user: User) -> Response:
        raw_ids = [i for i in request.query_params.get("channel_ids", "").split(",") if i]
        if not raw_ids:
            return zoho_error(
                "MANDATORY_NOT_FOUND", "required param not found", 400, {"param": "channel_ids"}
            )
        results = []
        for raw_id in raw_ids:
            channel = emulator.state.channels.get(int(raw_id)) if raw_id.isdigit() else None
            if channel is None or channel.user_id != user.id:
                results.append(ChannelError("INVALID_DATA", "channel_id", "no such channel").to_json())
                continue
            del emulator.state.channels[channel.channel_id]
            results.append(success(channel, user, request, "Successfully unsubscribed from actions-watch"))
        return respond(results)

    path = "/recruit/v2/actions/watch"
    return [
        Route(path, api_route(emulator, subscribe, scopes.for_notifications("POST")), methods=["POST"]),
        Route(path, api_route(emulator, listing, scopes.for_notifications("GET")), methods=["GET"]),
        Route(path, api_route(emulator, update, scopes.for_notifications("PATCH")), methods=["PATCH"]),
        Route(path, api_route(emulator, disable, scopes.for_notifications("DELETE")), methods=["DELETE"]),
    ]
