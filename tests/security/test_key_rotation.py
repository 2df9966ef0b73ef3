"""Finding "key rotation is incomplete": append then promote works while instances roll, and the re-encryption
job reseals every row on an old key and reports how many remain (on Azurite, in tables of this test's own)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.key_rotation import reencrypt_secrets
from sync_core.store.connections import Connection, ConnectionKey, RecruitToken
from sync_core.store.rotation import find_stale_rows
from tests.fixtures.stack import Stack
from tests.integration.product_api.conftest import stack_settings

pytestmark = pytest.mark.e2e

KEY = ConnectionKey(org_id="org-rot", user_id="user-rot")
NEW_KEY = f"k2:{base64.b64encode(os.urandom(32)).decode()}"


@pytest.fixture
async def contexts(stack: Stack) -> AsyncIterator[Callable[[str, str], EngineContext]]:
    """Engine contexts on one fresh table prefix, each with its own key list and current key."""
    base = stack_settings(stack).model_copy(update={"table_prefix": f"rot{uuid.uuid4().hex[:10]}"})
    made: list[EngineContext] = []

    def make(keys: str, current: str = "") -> EngineContext:
        settings = Settings.model_validate(
            base.model_dump() | {"token_encryption_keys": keys, "token_encryption_current_key": current}
        )
        ctx = EngineContext.create(settings)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        await ctx.close()


async def _store_secrets(ctx: EngineContext) -> None:
    token = RecruitToken(refresh_token="refresh-secret", access_token="access-secret")
    await ctx.connections.upsert(Connection(org_id=KEY.org_id, user_id=KEY.user_id, recruit_token=token))
    await ctx.syncstate.modify(
        KEY, "contacts", lambda s: s.model_copy(update={"channel_token": "chan-secret"})
    )


async def test_an_appended_key_is_not_used_until_promoted_so_old_instances_still_read(
    contexts: Callable[[str, str], EngineContext], stack: Stack
) -> None:
    old_list = stack.env["TOKEN_ENCRYPTION_KEYS"]
    appended = contexts(f"{old_list},{NEW_KEY}", "")
    old_instance = contexts(old_list, "")

    await _store_secrets(appended)

    read = await old_instance.connections.get(KEY)
    assert read is not None and read.recruit_token is not None
    assert read.recruit_token.refresh_token == "refresh-secret"


async def test_the_job_reseals_every_old_row_and_reports_none_remaining(
    contexts: Callable[[str, str], EngineContext], stack: Stack
) -> None:
    old_list = stack.env["TOKEN_ENCRYPTION_KEYS"]
    await _store_secrets(contexts(old_list, ""))
    promoted = contexts(f"{old_list},{NEW_KEY}", "k2")

    report = await reencrypt_secrets(promoted)

    assert (report.current_key, report.resealed, report.remaining) == ("k2", 2, 0)
    new_only = contexts(NEW_KEY, "")
    connection = await new_only.connections.get(KEY)
    state = await new_only.syncstate.get(KEY, "contacts")
    assert connection is not None and connection.recruit_token is not None
    assert connection.recruit_token.refresh_token == "refresh-secret"
    assert state is not None and state.channel_token == "chan-secret"


async def test_rows_on_the_old_key_are_counted_by_key_before_they_are_resealed(
    contexts: Callable[[str, str], EngineContext], stack: Stack
) -> None:
    old_list = stack.env["TOKEN_ENCRYPTION_KEYS"]
    await _store_secrets(contexts(old_list, ""))
    promoted = contexts(f"{old_list},{NEW_KEY}", "k2")

    stale = await find_stale_rows(promoted.storage, promoted.secrets)

    assert stale.total == 2
    assert dict(stale.old_keys) == {old_list.split(":", 1)[0]: 2}
