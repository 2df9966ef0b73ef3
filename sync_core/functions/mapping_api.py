"""`GET` and `PUT /api/sync/contacts/mapping`: both field catalogs, the user's mapping and the default.

Saving validates, stores the mapping in the contacts syncstate and queues a resync when it changed.
"""

from __future__ import annotations

import json
from typing import Any

import azure.functions as func

from sync_core.domain.contact_fields import (
    DEFAULT_MAPPING,
    GRAPH_FIELDS,
    MappingError,
    RecruitField,
    validate_mapping,
)
from sync_core.engine.context import EngineContext, NotConnected
from sync_core.engine.sync_pass.scope import remember_fields
from sync_core.functions import session as sessions
from sync_core.functions.http import error_response, json_response, key_of_session, with_session
from sync_core.recruit.contact_codec import recruit_catalog
from sync_core.store.connections import ConnectionKey
from sync_core.store.queues import SyncPurpose, SyncRequest
from sync_core.store.syncstate import SyncState

bp = func.Blueprint()

# Statuses in which contacts are linked, so a changed mapping must be re-applied to them.
_SYNCING = frozenset({"initial_sync", "active", "error"})


async def recruit_fields(ctx: EngineContext, key: ConnectionKey) -> list[RecruitField]:
    """The Contacts fields the user may map (custom ones included), read afresh: the popup opens rarely, and
    a field an admin added a minute ago must be offered, and count when a mapping is checked."""
    connection = await ctx.connections.get(key)
    if connection is None:  # signed out elsewhere, or data wiped
        raise NotConnected(f"{key}: no stored connection")
    async with ctx.recruit(connection) as recruit:
        metas = await recruit.fields("Contacts")
    dumped = [meta.model_dump() for meta in metas]
    remember_fields(connection.org_id, "Contacts", dumped)
    return recruit_catalog(dumped)


async def mapping_view(ctx: EngineContext, key: ConnectionKey) -> dict[str, Any]:
    state = await ctx.syncstate.get(key, "contacts")
    fields = await recruit_fields(ctx, key)
    return {
        "graph_fields": [field.to_json() for field in GRAPH_FIELDS],
        "recruit_fields": [field.to_json() for field in fields],
        "mapping": (state.mapping if state and state.mapping else None) or list(DEFAULT_MAPPING),
        "default": list(DEFAULT_MAPPING),
    }


def normalised(entries: list[Any]) -> list[dict[str, str]]:
    """A valid mapping as stored: just the two names of each entry."""
    return [{"graph": str(entry["graph"]), "recruit": str(entry["recruit"])} for entry in entries]


async def save_mapping(
    ctx: EngineContext, key: ConnectionKey, entries: list[Any]
) -> list[MappingError] | bool:
    """The errors of an invalid mapping (nothing saved), else whether a resync was queued."""
    errors = validate_mapping(entries, await recruit_fields(ctx, key))
    if errors:
        return errors
    mapping = normalised(entries)
    previous: list[dict[str, str]] = []

    def store(state: SyncState) -> SyncState | None:
        previous[:] = state.mapping or list(DEFAULT_MAPPING)
        return None if state.mapping == mapping else state.model_copy(update={"mapping": mapping})

    state = await ctx.syncstate.modify(key, "contacts", store)
    if previous == mapping or state.status not in _SYNCING:
        return False
    # The pass re-applies the mapping to every linked contact (links keep the pairs, so no duplicates).
    await ctx.queues.send_sync(
        SyncRequest(
            connection=str(key), kind="contacts", reason="resync", purpose=SyncPurpose.MAPPING_CHANGED
        )
    )
    return True


def _not_connected() -> func.HttpResponse:
    return error_response(401, "not_signed_in", "Your connection is gone: sign in with Zoho again.")


@bp.route(route="sync/contacts/mapping", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def get_mapping(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.context import get_context

    try:
        return json_response(await mapping_view(get_context(), key_of_session(session)))
    except NotConnected:
        return _not_connected()


@bp.route(route="sync/contacts/mapping", methods=["PUT"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def put_mapping(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.context import get_context

    try:
        body = json.loads(req.get_body() or b"null")
    except ValueError:
        body = None
    entries = body.get("mapping") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        message = 'the body must be {"mapping": [{"graph": ..., "recruit": ...}, ...]}'
        return json_response({"errors": [MappingError(None, "graph", message).to_json()]}, 400)
    try:
        outcome = await save_mapping(get_context(), key_of_session(session), entries)
    except NotConnected:
        return _not_connected()
    if isinstance(outcome, list):
        return json_response({"errors": [error.to_json() for error in outcome]}, 400)
    return json_response({"mapping": normalised(entries), "resync": outcome})
