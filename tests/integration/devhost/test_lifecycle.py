"""Starting and stopping the dev host, and where its settings come from."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from local.azurite import AzuriteProcess
from local.devhost.appload import load_local_settings
from tests.integration.devhost.conftest import DevHost


def test_startup_lists_functions_and_sigterm_stops_cleanly(azurite: AzuriteProcess, tmp_path: Path) -> None:
    host = DevHost(tmp_path, azurite.connection_string).start()

    exit_code = host.stop()

    log = host.log()
    assert exit_code == 0
    assert (
        f"devhost: echo: [GET,POST] {host.base_url}/api/echo/{{kind:alpha}}/{{item_id:int}}/{{extra?}}" in log
    )
    assert f"devhost: take_message: queueTrigger on {host.sample_queue}" in log
    assert "devhost: every_second: timerTrigger */1 * * * * *" in log
    assert log.rstrip().endswith("devhost: stopped")


def test_local_settings_fill_in_without_overriding_real_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEVHOST_TEST_REAL", "from-env")
    # Set then delete, so monkeypatch removes whatever the loader writes when the test ends.
    monkeypatch.setenv("DEVHOST_TEST_LOCAL", "placeholder")
    monkeypatch.delenv("DEVHOST_TEST_LOCAL")
    settings = tmp_path / "local.settings.json"
    values = {"DEVHOST_TEST_REAL": "from-file", "DEVHOST_TEST_LOCAL": "from-file"}
    settings.write_text(json.dumps({"IsEncrypted": False, "Values": values}))

    applied = load_local_settings(settings)

    assert applied == ["DEVHOST_TEST_LOCAL"]
    assert os.environ["DEVHOST_TEST_REAL"] == "from-env"
    assert os.environ["DEVHOST_TEST_LOCAL"] == "from-file"
