"""The parts of host.json the dev host honours: the HTTP route prefix and the queue trigger options.

Defaults follow the Azure Functions host (queues extension v5).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TIMESPAN = re.compile(r"^(?:(?P<days>\d+)\.)?(?P<h>\d+):(?P<m>\d+):(?P<s>\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class QueueOptions:
    batch_size: int = 16
    new_batch_threshold: int = 8
    max_polling_interval: float = 60.0
    visibility_timeout: float = 0.0
    max_dequeue_count: int = 5
    message_encoding: str = "base64"


@dataclass(frozen=True)
class HostConfig:
    route_prefix: str = "api"
    queues: QueueOptions = field(default_factory=QueueOptions)


def timespan_seconds(text: str) -> float:
    """`hh:mm:ss`, `d.hh:mm:ss` or `hh:mm:ss.fff` (a .NET TimeSpan) in seconds."""
    match = _TIMESPAN.match(text.strip())
    if not match:
        raise ValueError(f"not a timespan: {text!r}")
    days = int(match["days"] or 0)
    return days * 86400 + int(match["h"]) * 3600 + int(match["m"]) * 60 + float(match["s"])


def parse_host_json(document: dict[str, Any]) -> HostConfig:
    extensions = document.get("extensions") or {}
    http = extensions.get("http") or {}
    queues = extensions.get("queues") or {}
    # The host caps batchSize at 32 and derives the threshold from the batch size.
    batch_size = max(1, min(32, int(queues.get("batchSize", 16))))
    threshold = int(queues.get("newBatchThreshold", batch_size // 2))
    encoding = str(queues.get("messageEncoding", "base64")).lower()
    if encoding not in ("base64", "none"):
        raise ValueError(f"host.json messageEncoding must be base64 or none, not {encoding!r}")
    options = QueueOptions(
        batch_size=batch_size,
        new_batch_threshold=max(0, threshold),
        max_polling_interval=max(0.1, timespan_seconds(queues.get("maxPollingInterval", "00:01:00"))),
        visibility_timeout=timespan_seconds(queues.get("visibilityTimeout", "00:00:00")),
        max_dequeue_count=max(1, int(queues.get("maxDequeueCount", 5))),
        message_encoding=encoding,
    )
    return HostConfig(route_prefix=str(http.get("routePrefix", "api")).strip("/"), queues=options)


def load_host_json(path: Path) -> HostConfig:
    if not path.exists():
        return HostConfig()
    return parse_host_json(json.loads(path.read_text(encoding="utf-8")))
