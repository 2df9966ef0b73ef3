"""Subscription and channel renewal over several days, through the whole stack: the Graph and Recruit
emulators and a dev host of the test's own all live on one moved clock (`DEVHOST_CLOCK_CONTROL=1`, test-only),
and the renewal timer is run through the host's admin API after each step, as Azure runs it every 5 minutes.

Six days is longer than a Graph subscription (about 70 hours), a Recruit channel (24 hours), an access token
(one hour) and a sign-in session (12 hours): only renewals and token refreshes keep the sync alive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import (
    Outlook,
    calendar_status,
    enable_calendar,
    sign_in,
    until_active,
)
from tests.e2e.calendar.helpers import (
    graph_subscriptions,
    outlook_events,
    outstanding_work,
    recruit_channels,
    recruit_events,
    until_quiet,
    utc_body,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO: the app's own subscription, client-credentials tokens
BOB = "bob@fabrikam.example"  # not SSO: his delegated token has to be refreshed as the days pass
DAYS = timedelta(days=6)
STEP = timedelta(hours=8)  # inside the 12-hour renewal margin: no expiry can fall between two rounds
MANUAL_RUN = "invoked renewals (timerTrigger, called via the admin API)"
ROUND = re.compile(r"renewal round: RenewalReport\((?P<fields>[^)]*)\)")


@pytest.fixture
def clocked_stack(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> Iterator[OwnStack]:
    """A dev host whose clock moves with the emulators'; afterwards it stops and the emulators' clocks go
    back to real time (a reset is the only way back), so no later test starts days ahead."""
    # A short lease: a notification that finds a pass running leaves a check queued for when the lease
    # ends, and waiting for an empty queue should not mean waiting out the default five minutes.
    own = own_stack({"DEVHOST_CLOCK_CONTROL": "1", "LEASE_SECONDS": "10"})
    try:
        yield own
    finally:
        own.stop()
        graph.reset()
        recruit.reset()


def move_clocks(own: OwnStack, graph: GraphEmulatorHandle, recruit: RecruitEmulator, step: timedelta) -> None:
    seconds = step.total_seconds()
    graph.control("clock", {"advance_seconds": seconds})
    recruit.control("clock", {"advance_seconds": seconds})
    response = httpx.post(own.url("/admin/clock"), json={"advance_seconds": seconds}, trust_env=False)
    response.raise_for_status()


def emulator_now(handle: GraphEmulatorHandle | RecruitEmulator) -> datetime:
    return datetime.fromisoformat(handle.control("clock", {"advance_seconds": 0})["now"])


def renewal_round(own: OwnStack) -> dict[str, int]:
    """Runs the renewal timer through the admin API, waits for that run to end and returns its report."""
    before = own.log_path.read_text(encoding="utf-8").count(MANUAL_RUN)
    response = httpx.post(own.url("/admin/functions/renewals"), json={"input": ""}, trust_env=False)
    assert response.status_code == 202
    log = poll(
        lambda: own.log_path.read_text(encoding="utf-8"),
        lambda text: text.count(MANUAL_RUN) > before,
        "the renewal timer's run to end",
    )
    lines = log.splitlines()
    ended = [n for n, line in enumerate(lines) if MANUAL_RUN in line][before]
    assert lines[ended].endswith(": ok"), lines[ended]
    # Timer runs never overlap in the dev host, so the last round reported before this run ended is its own.
    reports = [m for line in lines[:ended] if (m := ROUND.search(line))]
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", reports[-1]["fields"])}


def until_passes_done(own: OwnStack) -> None:
    """The sweeps a round queued have run: none waits in the queue, no pass holds a lease or is owed one."""
    poll(lambda: outstanding_work(own), lambda n: n == 0, "the queued sync passes to finish")


def app_subscriptions(graph: GraphEmulatorHandle, email: str) -> list[dict[str, Any]]:
    """The subscriptions the app holds in an SSO user's tenant (made with client-credentials tokens)."""
    token = httpx.post(
        f"{graph.base_url}/{graph.user(email)['tenant_id']}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": graph.seed["app"]["client_id"],
            "client_secret": graph.seed["app"]["client_secret"],
            "scope": "https://graph.microsoft.com/.default",
        },
        trust_env=False,
    )
    token.raise_for_status()
    return graph_subscriptions(graph, email, token=str(token.json()["access_token"]))


def changes_still_sync_both_ways(
    graph: GraphEmulatorHandle, recruit: RecruitEmulator, email: str, start: datetime
) -> None:
    outlook = Outlook(graph, email)  # a token issued now, on the moved clock
    in_outlook, in_recruit = f"{email}: days later in Outlook", f"{email}: days later in Recruit"
    calendar_id = outlook.calendar_id()
    outlook.client.post(
        f"/calendars/{calendar_id}/events", json=utc_body(in_outlook, start)
    ).raise_for_status()
    with recruit.client_for(email) as client:
        record = {
            "Event_Title": in_recruit,
            "Start_DateTime": start.isoformat(),
            "End_DateTime": (start + timedelta(hours=1)).isoformat(),
        }
        client.post("/Events", json={"data": [record]}).raise_for_status()
    poll(lambda: recruit_events(recruit, email), lambda e: in_outlook in e, f"'{in_outlook}' in Recruit")
    poll(lambda: outlook_events(outlook), lambda e: in_recruit in e, f"'{in_recruit}' in Outlook")


def test_six_days_of_renewal_rounds_keep_both_users_syncing_both_ways(
    clocked_stack: OwnStack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own = clocked_stack
    for email in (ALICE, BOB):
        with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
            enable_calendar(browser, email)
            until_active(browser)
    until_quiet(own, graph, recruit)  # the initial syncs' echoes are handled before time starts to move
    [first_subscription] = graph_subscriptions(graph, BOB)

    renewed = {"subscriptions_renewed": 0, "channels_renewed": 0}
    for _ in range(math.ceil(DAYS / STEP)):
        move_clocks(own, graph, recruit, STEP)
        report = renewal_round(own)
        assert report["connections"] == 2 and report["failures"] == 0, report
        for key in renewed:
            renewed[key] += report[key]
        until_passes_done(own)

    # Every subscription and channel made at the start has long expired on the moved clocks: each kept
    # being renewed (PATCHed or replaced) for both users, and both are alive well past the emulators' now.
    assert renewed["subscriptions_renewed"] >= 2 * 2 and renewed["channels_renewed"] >= 2 * 6, renewed
    graph_now, recruit_now = emulator_now(graph), emulator_now(recruit)
    assert graph_now - datetime.fromisoformat(first_subscription["expirationDateTime"]) > timedelta(days=2)
    for subscriptions in (graph_subscriptions(graph, BOB), app_subscriptions(graph, ALICE)):
        [subscription] = subscriptions
        assert subscription["notificationUrl"] == own.url("/api/webhooks/graph")
        assert datetime.fromisoformat(subscription["expirationDateTime"]) > graph_now + timedelta(hours=11)
    for email in (ALICE, BOB):
        [channel] = recruit_channels(recruit, email)
        assert channel["notify_url"].startswith(own.url("/api/webhooks/recruit"))
        assert datetime.fromisoformat(channel["channel_expiry"]) > recruit_now + timedelta(hours=11)

    # Days later, a change on each side still reaches the other, for the SSO and the non-SSO user alike.
    start = (graph_now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    for email in (ALICE, BOB):
        changes_still_sync_both_ways(graph, recruit, email, start)

    # What the user sees on signing in again days later: their calendar sync is still active.
    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        sign_in(browser, BOB)
        assert calendar_status(browser)["status"] == "active"
