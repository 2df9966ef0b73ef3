"""The Manage page's JSON API: `/api/me`, enable and disable per kind, the sync log, the preview of an
enable and "Repair now".

Every route acts on the session's own connection only: no route takes a user or org id from the client.
"""

from __future__ import annotations

from typing import cast, get_args

import azure.functions as func

from sync_core.functions import session as sessions
from sync_core.functions.http import error_response, json_response, key_of_session, with_session
from sync_core.store.synclog import LogType
from sync_core.store.syncstate import Kind

bp = func.Blueprint()

_KINDS: dict[str, Kind] = {"calendar": "calendar", "contacts": "contacts"}
MAX_CURSOR_LENGTH = 64
LOG_TYPES = frozenset(get_args(LogType))


def _not_signed_in() -> func.HttpResponse:
    return error_response(401, "not_signed_in", "Your connection is gone: sign in with Zoho again.")


def _unknown_kind() -> func.HttpResponse:
    return error_response(404, "unknown_kind", "Sync kind must be calendar or contacts.")


@bp.route(route="me", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def me(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts import account_views
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.context import get_context

    try:
        return json_response(await account_views.me_view(get_context(), key_of_session(session)))
    except NotSignedIn:
        return _not_signed_in()


@bp.route(route="sync/{kind}/enable", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def enable_sync(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.accounts.sign_in_flows import new_browser_binding
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.enablement import request_enable

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return _unknown_kind()
    ctx = get_context()
    binding = new_browser_binding()
    try:
        outcome = await request_enable(ctx, key_of_session(session), kind, binding)
    except NotSignedIn:
        return _not_signed_in()
    if outcome.redirect is not None:
        # Microsoft's callback must come back to this browser: it holds the binding cookie.
        cookie = sessions.sign_in_cookie_header("microsoft", binding, ctx.settings.public_base_url)
        return json_response(
            {"redirect": outcome.redirect, "recruit_user": outcome.recruit_user}, 200, [cookie]
        )
    return json_response({"status": outcome.status}, 202)


@bp.route(route="sync/{kind}/disable", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def disable_sync(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.enablement import request_disable

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return _unknown_kind()
    try:
        status = await request_disable(get_context(), key_of_session(session), kind)
    except NotSignedIn:
        return _not_signed_in()
    return json_response({"status": status}, 202)


@bp.route(route="sync/{kind}/log", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def sync_log(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts import account_views
    from sync_core.engine.context import get_context

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return _unknown_kind()
    before = req.params.get("before") or None
    if before is not None and (len(before) > MAX_CURSOR_LENGTH or not before.replace("-", "").isalnum()):
        return error_response(400, "bad_cursor", "The `before` cursor is not one this API gave.")
    entry_type = req.params.get("type") or None
    if entry_type is not None and entry_type not in LOG_TYPES:
        return error_response(400, "bad_type", f"`type` must be one of {', '.join(sorted(LOG_TYPES))}.")
    view = await account_views.log_view(
        get_context(), key_of_session(session), kind, before, entry_type=cast("LogType | None", entry_type)
    )
    return json_response(view)


@bp.route(route="sync/{kind}/preview", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def enable_preview(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.context import NotConnected, get_context
    from sync_core.engine.sync_lifecycle.preview import enable_preview as preview
    from sync_core.recruit.errors import RecruitError

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return _unknown_kind()
    try:
        return json_response(await preview(get_context(), key_of_session(session), kind))
    except (NotSignedIn, NotConnected):
        return _not_signed_in()
    except RecruitError as error:
        return error_response(
            502, "recruit_unavailable", f"Zoho Recruit did not answer the preview: {error.code}."
        )


@bp.route(route="sync/{kind}/repair", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def repair_now(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.repair import RepairRefused, request_repair

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return _unknown_kind()
    try:
        too_soon = await request_repair(get_context(), key_of_session(session), kind)
    except NotSignedIn:
        return _not_signed_in()
    except RepairRefused:
        return error_response(409, "not_active", "Repair works on an active sync: enable it first.")
    if too_soon is not None:
        return json_response(
            {
                "error": {"code": "too_soon", "message": "A repair ran less than 10 minutes ago."},
                "available_at": too_soon.available_at.isoformat(),
            },
            429,
            headers={"Retry-After": str(too_soon.retry_after_seconds)},
        )
    return json_response({"status": "queued"}, 202)
