"""Finding "a restart during disable": `make run` stops the dev host before Azurite and the emulators, and
Ctrl-C in the terminal reaches only the runner."""

from __future__ import annotations

import os
from pathlib import Path

from local.run import stop_in_order
from local.stack import ChildProcess


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
