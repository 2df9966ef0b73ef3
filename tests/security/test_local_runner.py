"""Finding "a restart during disable": `make run` stops the dev host before Azurite and the emulators, and
Ctrl-C in the terminal reaches only the runner. And `make run` plays the Canadian data centre on its own
port, so a Canadian organisation signs in against its own accounts server, and the product trusts it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.emulators.kit.serve import free_port
from local.run import stop_in_order
from local.stack import (
    LOCAL_DATA_CENTRE_PORTS,
    ChildProcess,
    Endpoints,
    LocalSecrets,
    product_environment,
    recruit_emulator_args,
    wait_for_http,
)
from sync_core.config import Settings
from sync_core.recruit import InMemoryTokenSource, RecruitClient, api_base_for, exchange_code
from tests.integration.recruit_client.conftest import REDIRECT_URI, consent_redirect

MAYA = "maya@mapletalent.example"  # the seeded Canadian organisation's user
ALICE = "alice@contoso.example"


class Recorder:
    def __init__(self, name: str, stopped: list[str]) -> None:
        self.name = name
        self._stopped = stopped

    def stop(self) -> None:
        self._stopped.append(self.name)


def test_parts_stop_one_after_another_in_the_order_given() -> None:
    stopped: list[str] = []
    parts = [
        Recorder(name, stopped) for name in ("dev host", "graph emulator", "recruit emulator", "azurite")
    ]

    stop_in_order(list(parts))

    assert stopped == ["dev host", "graph emulator", "recruit emulator", "azurite"]


def test_make_run_stops_the_dev_host_first_and_azurite_last() -> None:
    source = (Path(__file__).parents[2] / "local" / "run.py").read_text()
    call = source[source.index("stop_in_order([") :].split("\n", 1)[0]
    assert call == "stop_in_order([children[2], children[0], children[1], azurite])"


def test_a_child_can_run_in_its_own_session_so_ctrl_c_does_not_reach_it(tmp_path: Path) -> None:
    child = ChildProcess("sleeper", ["-c", "import time; time.sleep(30)"], tmp_path / "log", own_session=True)
    child.start()
    try:
        assert child.process is not None
        assert os.getsid(child.process.pid) == child.process.pid != os.getsid(0)
    finally:
        child.stop()


def test_make_run_plays_canada_on_its_own_port() -> None:
    assert LOCAL_DATA_CENTRE_PORTS == {"ca": 7083}
    assert recruit_emulator_args(7082, LOCAL_DATA_CENTRE_PORTS)[-2:] == ["--dc", "ca=7083"]


@pytest.fixture
def make_run_recruit(tmp_path: Path) -> Iterator[Settings]:
    """The Recruit emulator started as `make run` starts it (on free ports); the product's settings for it."""
    home_port, ca_port = free_port(), free_port()
    endpoints = Endpoints(
        storage_connection_string="UseDevelopmentStorage=true",
        graph_base_url="http://127.0.0.1:1",
        graph_tls_host="127.0.0.1:2",
        graph_ca_file=tmp_path / "ca.pem",
        recruit_base_url=f"http://127.0.0.1:{home_port}",
        public_base_url="http://127.0.0.1:3",
        recruit_data_centres={"ca": f"http://127.0.0.1:{ca_port}"},
    )
    env = product_environment(endpoints, LocalSecrets.generate())
    emulator = ChildProcess(
        "recruit emulator", recruit_emulator_args(home_port, {"ca": ca_port}), tmp_path / "recruit.log"
    ).start()
    try:
        for base in (endpoints.recruit_base_url, endpoints.recruit_data_centres["ca"]):
            wait_for_http(f"{base}/_emulator/stats", 60, emulator.process)
        yield Settings(
            **{name.lower(): value for name, value in env.items() if name != "AzureWebJobsStorage"}
        )
    finally:
        emulator.stop()


async def test_a_canadian_user_signs_in_against_canada_and_others_at_home(make_run_recruit: Settings) -> None:
    settings = make_run_recruit
    canada = settings.zoho_local_data_centres.split("=")[0]

    maya = await consent_redirect(settings, MAYA)
    alice = await consent_redirect(settings, ALICE)

    assert maya["accounts-server"] == canada != settings.zoho_accounts_url
    assert alice["accounts-server"] == settings.zoho_accounts_url
    tokens = await exchange_code(maya["accounts-server"], maya["code"], REDIRECT_URI, settings=settings)
    assert api_base_for(tokens.accounts_server, settings) == f"{canada}/recruit/v2"
    async with RecruitClient(f"{canada}/recruit/v2", InMemoryTokenSource(tokens, settings=settings)) as ca:
        assert (await ca.current_user()).email == MAYA
