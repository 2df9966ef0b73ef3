"""`python -m local.devhost [--app module:attr] [--port P]`: runs a FunctionApp like `func start` would.

Loads settings and host.json, serves HTTP functions, polls queues, fires timers; stops on Ctrl-C/SIGTERM.
Also serves the host's admin API (`POST /admin/functions/{name}`) and, for tests only with
`DEVHOST_CLOCK_CONTROL=1`, a clock the emulators' way (`POST /admin/clock`): see admin.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Generator
from functools import partial
from pathlib import Path

import uvicorn

from local.devhost.admin import MANUAL_REASON, AdminHost, ManualRun
from local.devhost.appload import LoadedApp, load_app, load_local_settings, module_folder, resolve_settings
from local.devhost.clock_control import ClockControl, requested
from local.devhost.hostjson import HostConfig, load_host_json
from local.devhost.http_server import HttpHost, http_route
from local.devhost.queue_runner import QueuePoller, QueueStorage
from local.devhost.timer_runner import TimerRunner

log = logging.getLogger("devhost")


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the dev host owns Ctrl-C and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.devhost", description=__doc__)
    parser.add_argument("--app", default="function_app:app", help="module:attribute of the FunctionApp")
    parser.add_argument("--host-json", type=Path, help="host.json to use (default: the app's folder)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7071)
    parser.add_argument("--grace", type=float, default=10.0, help="seconds in-flight runs get at shutdown")
    return parser.parse_args(argv)


def _describe_functions(loaded: LoadedApp, config: HostConfig, base_url: str) -> None:
    prefix = f"/{config.route_prefix}" if config.route_prefix else ""
    for function in loaded.http:
        route = http_route(function, "")
        methods = ",".join(sorted(route.methods)) or "ALL"
        url = f"{base_url}{prefix}/{route.template.template.strip('/')}"
        print(f"devhost: {route.invoker.name}: [{methods}] {url}")
    for function in loaded.queue:
        queue_name = resolve_settings(function.get_trigger().queue_name)
        print(f"devhost: {function.get_function_name()}: queueTrigger on {queue_name}")
    for function in loaded.timer:
        print(f"devhost: {function.get_function_name()}: timerTrigger {function.get_trigger().schedule}")
    for function in loaded.unsupported:
        print(f"devhost: {function.get_function_name()}: skipped (trigger not supported by the dev host)")


def _manual_runs(pollers: list[QueuePoller], timers: list[TimerRunner]) -> dict[str, ManualRun]:
    """What `POST /admin/functions/{name}` runs: each non-HTTP function with the request's input."""
    runs: dict[str, ManualRun] = {}
    for poller in pollers:
        runs[poller.invoker.name] = partial(_run_queue_function, poller)
    for timer in timers:
        runs[timer.invoker.name] = partial(_run_timer_function, timer)
    return runs


async def _run_queue_function(poller: QueuePoller, value: object) -> None:
    await poller.run_now("" if value is None else str(value), MANUAL_REASON)


async def _run_timer_function(timer: TimerRunner, value: object) -> None:
    await timer.run_now(MANUAL_REASON)  # the host ignores the input of a timer function


async def _serve(
    loaded: LoadedApp, config: HostConfig, args: argparse.Namespace, clock: ClockControl | None
) -> int:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)

    directory = str(loaded.folder)
    storage = QueueStorage(config.queues)
    routes = [http_route(function, directory, storage.send) for function in loaded.http]
    pollers = [QueuePoller(function, directory, storage) for function in loaded.queue]
    timers = [TimerRunner(function, directory) for function in loaded.timer]
    admin = AdminHost(HttpHost(routes, config.route_prefix), _manual_runs(pollers, timers), clock)
    server = _Server(
        uvicorn.Config(
            admin,
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    server_task = asyncio.create_task(server.serve())
    while not server.started:
        if server_task.done():
            print(f"devhost: could not listen on {args.host}:{args.port}", file=sys.stderr)
            return 1
        await asyncio.sleep(0.02)
    print(f"devhost: listening on http://{args.host}:{args.port}")

    background = [asyncio.create_task(p.run()) for p in pollers] + [
        asyncio.create_task(t.run()) for t in timers
    ]

    stop_waiter = asyncio.create_task(stopping.wait())
    await asyncio.wait([stop_waiter, server_task, *background], return_when=asyncio.FIRST_COMPLETED)
    failed = [task for task in background if task.done() and task.exception()]
    for task in failed:
        log.error("a runner stopped: %r", task.exception())

    print("devhost: shutting down")
    server.should_exit = True
    for task in background:
        task.cancel()
    await asyncio.gather(*(p.drain(args.grace) for p in pollers), admin.drain())
    await asyncio.gather(server_task, *background, return_exceptions=True)
    stop_waiter.cancel()
    await storage.close()
    print("devhost: stopped")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="devhost: %(message)s")
    # Client libraries log every request at INFO; the invocation lines are what matter here.
    for noisy in ("azure", "httpx", "httpcore", "urllib3", "msal"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = _arguments(argv)
    folder = module_folder(args.app)
    # Before anything reads the time: the app's clients may note "now" when they are made.
    clock = ClockControl() if requested() else None
    if clock is not None:
        print("devhost: clock control on (test-only): POST /admin/clock moves this process's clock")
    # Settings first: the app may read them when imported.
    load_local_settings(folder / "local.settings.json")
    config = load_host_json(args.host_json or folder / "host.json")
    loaded = load_app(args.app)
    _describe_functions(loaded, config, f"http://{args.host}:{args.port}")
    return asyncio.run(_serve(loaded, config, args, clock))


if __name__ == "__main__":
    sys.exit(main())
