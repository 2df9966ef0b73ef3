"""Calls one user function the way the Python worker does: trigger argument, context, output bindings.

Sync functions run in a thread pool so the event loop (HTTP, polling, timers) never blocks.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import azure.functions as func

log = logging.getLogger("devhost")

# (connection setting, queue name, message texts) -> sends them; given by the queue runner.
QueueSender = Callable[[str, str, list[str]], Awaitable[None]]


class OutValue(func.Out[Any]):
    """What `func.Out[T]` parameters receive: the function sets a value, the host sends it afterwards."""

    def __init__(self) -> None:
        self._value: Any = None

    def set(self, val: Any) -> None:
        self._value = val

    def get(self) -> Any:
        return self._value


class InvocationContext(func.Context):
    """The `context` parameter: ids and names only (no tracing here)."""

    _local = threading.local()

    def __init__(self, function_name: str, function_directory: str) -> None:
        self._invocation_id = str(uuid.uuid4())
        self._function_name = function_name
        self._function_directory = function_directory

    @property
    def invocation_id(self) -> str:
        return self._invocation_id

    @property
    def thread_local_storage(self) -> Any:
        return self._local

    @property
    def function_name(self) -> str:
        return self._function_name

    @property
    def function_directory(self) -> str:
        return self._function_directory

    @property
    def trace_context(self) -> Any:
        return None

    @property
    def retry_context(self) -> Any:
        return None


class Invoker:
    """One function: knows its parameters and output bindings, runs it, logs one line per run."""

    def __init__(self, function: Any, directory: str, send: QueueSender | None = None) -> None:
        self.function = function
        self.name: str = function.get_function_name()
        trigger = function.get_trigger()
        self.trigger_type: str = trigger.get_binding_name()
        self.trigger_arg: str = trigger.name
        self.user_function: Callable[..., Any] = function.get_user_function()
        self.parameters = set(inspect.signature(self.user_function).parameters)
        self.directory = directory
        self.send = send
        # Queue output bindings declared with @app.queue_output, by parameter name.
        self.queue_outputs = {
            binding.name: binding
            for binding in function.get_bindings()
            if binding.get_binding_name() == "queue" and binding.name in self.parameters
        }

    async def run(
        self, trigger_value: Any, describe: Callable[[Any], str] | None = None, reason: str = ""
    ) -> Any:
        """Run once; re-raises the function's exception after logging it. `describe` words the result;
        `reason` (e.g. how it was called) goes into the log line beside the trigger type."""
        kwargs: dict[str, Any] = {self.trigger_arg: trigger_value}
        if "context" in self.parameters and self.trigger_arg != "context":
            kwargs["context"] = InvocationContext(self.name, self.directory)
        outputs = {name: OutValue() for name in self.queue_outputs}
        kwargs.update(outputs)
        started = time.perf_counter()
        try:
            if inspect.iscoroutinefunction(self.user_function):
                result = await self.user_function(**kwargs)
            else:
                result = await asyncio.to_thread(self.user_function, **kwargs)
            await self._send_outputs(outputs)
        except asyncio.CancelledError:
            self._log(started, "abandoned (shutdown)", reason)
            raise
        except Exception as error:
            log.exception("%s (%s) raised", self.name, self.trigger_type)
            self._log(started, f"error {type(error).__name__}", reason)
            raise
        self._log(started, describe(result) if describe else "ok", reason)
        return result

    async def _send_outputs(self, outputs: dict[str, OutValue]) -> None:
        for name, out in outputs.items():
            value = out.get()
            if value is None:
                continue
            if self.send is None:
                raise RuntimeError(f"{self.name}: queue output {name!r} needs storage")
            binding = self.queue_outputs[name]
            values = value if isinstance(value, list) else [value]
            texts = [v.decode() if isinstance(v, bytes) else str(v) for v in values]
            await self.send(binding.connection or "AzureWebJobsStorage", binding.queue_name, texts)

    def _log(self, started: float, outcome: str, reason: str = "") -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        how = f"{self.trigger_type}, {reason}" if reason else self.trigger_type
        log.info("invoked %s (%s) in %.0f ms: %s", self.name, how, elapsed_ms, outcome)
