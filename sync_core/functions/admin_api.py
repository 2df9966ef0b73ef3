"""Routes for Recruit organisation administrators: the org overview and turning a user's sync off.

The org is always the signed-in administrator's own (from the session); a non-administrator gets 403.
"""

from __future__ import annotations

import azure.functions as func

from sync_core.functions import session as sessions
from sync_core.functions.http import error_response, json_response, key_of_session, with_session
from sync_core.store.syncstate import Kind

bp = func.Blueprint()

_KINDS: dict[str, Kind] = {"calendar": "calendar", "contacts": "contacts"}
MAX_USER_ID_LENGTH = 64


def _forbidden() -> func.HttpResponse:
    return error_response(403, "not_administrator", "Only Zoho Recruit administrators of your organisation.")


@bp.route(route="admin/overview", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def admin_overview(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.accounts.admin import org_overview
    from sync_core.engine.accounts.admin_status import NotAdministrator
    from sync_core.engine.context import get_context

    try:
        return json_response(await org_overview(get_context(), key_of_session(session)))
    except NotAdministrator:
        return _forbidden()
    except NotSignedIn:
        return error_response(401, "not_signed_in", "Your connection is gone: sign in with Zoho again.")


@bp.route(
    route="admin/users/{user_id}/sync/{kind}/disable", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS
)
@with_session
async def admin_disable(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.accounts import NotSignedIn
    from sync_core.engine.accounts.admin import UnknownUser, disable_for_user
    from sync_core.engine.accounts.admin_status import NotAdministrator
    from sync_core.engine.context import get_context

    kind = _KINDS.get(req.route_params.get("kind", ""))
    if kind is None:
        return error_response(404, "unknown_kind", "Sync kind must be calendar or contacts.")
    user_id = req.route_params.get("user_id", "")
    if not user_id.isdigit() or len(user_id) > MAX_USER_ID_LENGTH:
        return error_response(404, "unknown_user", "No signed-in user of your organisation has this id.")
    try:
        status = await disable_for_user(get_context(), key_of_session(session), user_id, kind)
    except NotAdministrator:
        return _forbidden()
    except UnknownUser:
        return error_response(404, "unknown_user", "No signed-in user of your organisation has this id.")
    except NotSignedIn:
        return error_response(401, "not_signed_in", "Your connection is gone: sign in with Zoho again.")
    return json_response({"status": status}, 202)
