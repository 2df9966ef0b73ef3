"""Contacts sync under failures: with a fifth of Graph and Recruit requests failing, passes keep going and,
once the faults stop, both sides converge with no contact duplicated."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from sync_core.engine.context import EngineContext
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.webhooks.conftest import (  # noqa: F401 - fixtures shared with the webhook tests
    ALICE,
    clock,
    connect,
    ctx,
    settings,
    webhook_host,
)

from .sync_harness import ContactsSync, full_name

FAULTY_PASSES = 8
log = logging.getLogger(__name__)


@pytest.fixture
async def synced(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> ContactsSync:  # noqa: F811
    alice = ContactsSync(ctx, await connect(ctx, graph, recruit, ALICE), graph, recruit)
    await alice.enable()
    return alice


async def test_faults_on_both_sides_converge_without_duplicates(synced: ContactsSync) -> None:
    folder_id = (await synced.state()).container_id
    # Read what the test needs before the faults start: they hit any request, the test's own included.
    kumar_id = synced.recruit_contact("Kumar")["id"]
    rule = {"rate": 0.2, "statuses": [500, 503]}
    synced.graph.control("faults", {"rules": [{"prefix": "/v1.0/", **rule}]})
    synced.recruit.control("faults", {"rules": [{"prefix": "/recruit/v2/", **rule}]})
    try:
        with synced.outlook() as outlook:
            for n in range(3):
                body = {"givenName": "Outlook", "surname": f"Made {n}"}
                while outlook.post(f"/contactFolders/{folder_id}/contacts", json=body).status_code >= 500:
                    pass  # the user's own request hit a fault: they try again
        with synced.in_recruit() as recruit:
            while recruit.put("/Contacts", json={"data": [{"id": kumar_id, "Job_Title": "CEO"}]}).is_error:
                pass
        for _ in range(FAULTY_PASSES):
            try:
                await synced.sync()
            except Exception as error:  # a pass may fail outright; the queue would retry it
                log.info("pass failed under faults: %r", error)
        assert synced.graph.control_get("stats")["faults"] > 0, "the passes met injected faults"
    finally:
        synced.graph.control("faults", {"rules": []})
        synced.recruit.control("faults", {"rules": []})
    await synced.sync()
    await synced.sync()

    outlook_names = Counter(await synced.outlook_names())
    recruit_names = Counter(full_name(c) for c in synced.owned_contacts() if c.get("Source") != "Import")
    assert outlook_names == recruit_names
    assert max(outlook_names.values()) == 1
    assert {f"Outlook Made {n}" for n in range(3)} <= set(recruit_names)
    assert (await synced.outlook_contact("Ravi Kumar"))["jobTitle"] == "CEO"
