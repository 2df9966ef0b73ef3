"""Saving a contacts mapping: refused with reasons and nothing stored, or stored with one resync queued when
it changed while contacts sync; the Recruit catalog includes custom fields."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from sync_core.config import Settings
from sync_core.domain.contact_fields import DEFAULT_MAPPING, MappingError
from sync_core.engine.context import EngineContext
from sync_core.functions import mapping_api
from sync_core.store.connections import Connection, ConnectionKey, RecruitToken
from sync_core.store.queues import SyncPurpose, SyncRequest, parse_sync_request
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE

ALICE_KEY = ConnectionKey(org_id="874920001", user_id="461233000000191001")
NICKNAME = {"graph": "nickName", "recruit": "Twitter"}


@pytest.fixture
async def engine(
    storage_connection_string: str, table_prefix: str, recruit: RecruitEmulator
) -> AsyncIterator[EngineContext]:
    settings = Settings(
        storage_connection_string=storage_connection_string,
        table_prefix=table_prefix,
        queue_sync_requests=f"{table_prefix}-sync-requests",
        queue_lifecycle=f"{table_prefix}-lifecycle",
        token_encryption_keys="k1:" + base64.b64encode(bytes(range(32))).decode(),
        zoho_api_base_url=recruit.api_base,
        zoho_accounts_url=recruit.base_url,
    )
    ctx = EngineContext.create(settings)
    token = RecruitToken(
        refresh_token="unused",
        access_token=recruit.token_for(ALICE),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
    await ctx.connections.upsert(
        Connection(
            org_id=ALICE_KEY.org_id, user_id=ALICE_KEY.user_id, api_base=recruit.api_base, recruit_token=token
        )
    )
    yield ctx
    await ctx.close()


async def _queued(ctx: EngineContext) -> list[SyncRequest]:
    queue = await ctx.storage.queue(ctx.settings.queue_sync_requests)
    return [parse_sync_request(message.content) for message in await queue.peek_messages(max_messages=32)]


async def _set_status(ctx: EngineContext, status: str) -> None:
    await ctx.syncstate.modify(
        ALICE_KEY, "contacts", lambda state: state.model_copy(update={"status": status})
    )


async def test_view_offers_both_catalogs_and_the_default_until_edited(engine: EngineContext) -> None:
    view = await mapping_api.mapping_view(engine, ALICE_KEY)
    assert view["mapping"] == view["default"] == list(DEFAULT_MAPPING)
    assert {"path": "emailAddresses[3]", "label": "E-mail 3", "type": "email"} in view["graph_fields"]
    last_name = next(f for f in view["recruit_fields"] if f["api_name"] == "Last_Name")
    assert last_name == {
        "api_name": "Last_Name",
        "label": "Last Name",
        "type": "text",
        "length": 80,
        "required": True,
        "read_only": False,
        "custom": False,
    }


async def test_custom_field_added_in_recruit_is_offered(
    engine: EngineContext, recruit: RecruitEmulator
) -> None:
    recruit.control(
        "fields", {"module": "Contacts", "api_name": "Alma_Mater", "label": "Alma mater", "type": "text"}
    )
    view = await mapping_api.mapping_view(engine, ALICE_KEY)
    custom = [f for f in view["recruit_fields"] if f["custom"]]
    assert [(f["api_name"], f["read_only"]) for f in custom] == [("Alma_Mater", False)]


async def test_invalid_mapping_is_refused_and_nothing_is_saved(engine: EngineContext) -> None:
    await _set_status(engine, "active")
    invalid = [*DEFAULT_MAPPING, {"graph": "pager", "recruit": "Fax"}]
    outcome = await mapping_api.save_mapping(engine, ALICE_KEY, invalid)
    assert outcome == [MappingError(len(DEFAULT_MAPPING), "graph", "unknown Outlook contact field 'pager'")]
    state = await engine.syncstate.get(ALICE_KEY, "contacts")
    assert state is not None and state.mapping is None
    assert await _queued(engine) == []


async def test_changed_mapping_while_syncing_is_saved_and_queues_one_resync(engine: EngineContext) -> None:
    await _set_status(engine, "active")
    mapping = [*DEFAULT_MAPPING, NICKNAME]
    assert await mapping_api.save_mapping(engine, ALICE_KEY, mapping) is True
    assert await mapping_api.save_mapping(engine, ALICE_KEY, mapping) is False  # unchanged: nothing to redo
    state = await engine.syncstate.get(ALICE_KEY, "contacts")
    assert state is not None and state.mapping == mapping
    assert await _queued(engine) == [
        SyncRequest(
            connection=str(ALICE_KEY), kind="contacts", reason="resync", purpose=SyncPurpose.MAPPING_CHANGED
        )
    ]
    assert (await mapping_api.mapping_view(engine, ALICE_KEY))["mapping"] == mapping


async def test_mapping_saved_while_disabled_queues_nothing(engine: EngineContext) -> None:
    assert await mapping_api.save_mapping(engine, ALICE_KEY, [*DEFAULT_MAPPING, NICKNAME]) is False
    assert await _queued(engine) == []
