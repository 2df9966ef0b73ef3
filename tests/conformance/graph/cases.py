"""The vendored documentation examples (cases/*.json) and how one is turned into a request to the emulator.

Each file holds one docs page: `source` (repository, path, commit) and its `cases`, each an example with
`request` and `response` as the page shows them, plus what the harness needs: `bind` (example text → a
DocWorld name), `needs` (DocWorld names to make first), `anchor` (the day the example's items fall on),
`opaque` paths, `contradicted` paths (with the page that contradicts the example), and `adapted` (why
the request differs from the page, when it does).
tests/conformance/README.md says how the cases were made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .world import DEFAULT_ANCHOR, JPEG_BYTES, DocWorld

CASES_DIR = Path(__file__).parent / "cases"
GRAPH_ROOT = "https://graph.microsoft.com/v1.0"
SENT_BY_HARNESS = {"content-type", "content-length", "authorization"}


@dataclass(frozen=True)
class DocCase:
    page: str
    source: dict[str, str]
    example: str
    request: dict[str, Any]
    response: dict[str, Any]
    bind: dict[str, str] = field(default_factory=dict)
    anchor: date = DEFAULT_ANCHOR
    opaque: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    contradicted: tuple[str, ...] = ()

    @property
    def test_id(self) -> str:
        return f"{self.page}:{self.example}"

    def selected(self) -> list[str] | None:
        """The `$select` of the example's URL, if any."""
        for name, value in parse_qsl(urlsplit(self.request["url"].strip()).query):
            if name == "$select":
                return [s.strip() for s in value.split(",") if s.strip()]
        return None


def load_cases() -> list[DocCase]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        page = json.loads(path.read_text())
        for raw in page["cases"]:
            cases.append(
                DocCase(
                    page=Path(page["source"]["path"]).stem,
                    source=page["source"],
                    example=raw["example"],
                    request=raw["request"],
                    response=raw["response"],
                    bind=raw.get("bind", {}),
                    anchor=date.fromisoformat(raw.get("anchor", DEFAULT_ANCHOR.isoformat())),
                    opaque=tuple(raw.get("opaque", ())),
                    needs=tuple(raw.get("needs", ())),
                    contradicted=tuple(raw.get("contradicted", {})),
                )
            )
    return cases


def _bound(value: Any, bindings: dict[str, str]) -> Any:
    if isinstance(value, str):
        for text in sorted(bindings, key=len, reverse=True):
            value = value.replace(text, bindings[text])
        return value
    if isinstance(value, list):
        return [_bound(v, bindings) for v in value]
    if isinstance(value, dict):
        return {k: _bound(v, bindings) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class BoundRequest:
    method: str
    path: str
    headers: dict[str, str]
    json_body: Any
    content: bytes | None


def bind_request(case: DocCase, world: DocWorld) -> BoundRequest:
    """The example's request with its placeholders replaced by the items the world made."""
    for name in case.needs:
        world.value(name)
    bindings = {text: world.value(name) for text, name in case.bind.items()}
    request = case.request
    url = _bound(request["url"].strip(), bindings)
    if not url.startswith(GRAPH_ROOT):
        raise ValueError(f"{case.test_id}: not a Graph v1.0 URL: {url}")
    headers = {
        name: _bound(value, bindings)
        for name, value in request.get("headers", {}).items()
        if name.lower() not in SENT_BY_HARNESS or name.lower() == "content-type"
    }
    body = request.get("body")
    if request.get("body_bytes") == "jpeg":
        return BoundRequest(request["method"], url[len(GRAPH_ROOT) :], headers, None, JPEG_BYTES)
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return BoundRequest(request["method"], url[len(GRAPH_ROOT) :], headers, _bound(body, bindings), None)
