r"""Pulls the HTTP request/response examples out of Graph reference pages into this suite's case format.

Run by hand (the tests never run it; they need no network), on a local clone of the public docs repository:

    git clone --depth 1 https://github.com/microsoftgraph/microsoft-graph-docs-contrib /tmp/graph-docs
    python -m tests.conformance.graph.extract /tmp/graph-docs api-reference/v1.0/api/event-get.md \
        > tests/conformance/graph/cases/event-get.json

It prints one page file: `source` (repository, path, the clone's last commit of that file) and one case
per request block (`<!-- {"blockType": "request", "name": ...} -->` and a fenced block) paired with the next
response block: method, URL, headers, JSON body; status, headers, JSON body. What the harness adds by hand
(`bind`, `needs`, `anchor`, `opaque`, `adapted`) is described in tests/conformance/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

DOCS_REPO = "microsoftgraph/microsoft-graph-docs-contrib"
# An annotation comment (never reaching past its own "-->"), then blank or "# [HTTP]" lines, then a fence.
_ANNOTATED_BLOCK = re.compile(
    r"<!--\s*(\{(?:(?!-->).)*?\})\s*-->\s*(?:#.*?\n|\s)*?```[\w-]*\n(.*?)```", re.DOTALL
)
_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)?\s+(\d{3})")


def _split_http(text: str) -> tuple[str, dict[str, str], str]:
    """First line, headers, and the body of an HTTP message as the docs write it."""
    head, _, body = text.strip("\n").partition("\n\n")
    first, *header_lines = head.splitlines()
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    return first.strip(), headers, body.strip()


def _json_or_none(body: str) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        return {"unparsed": body}  # left for a person to read (binary placeholders and the like)


def cases_of(markdown: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    pending: dict[str, Any] | None = None
    for annotation, block in _ANNOTATED_BLOCK.findall(markdown):
        try:
            meta = json.loads(annotation)
        except json.JSONDecodeError:
            continue
        kind = meta.get("blockType")
        if kind == "request":
            first, headers, body = _split_http(block)
            method, _, url = first.partition(" ")
            pending = {
                "example": meta.get("name", f"request_{len(cases) + 1}"),
                "request": {
                    "method": method,
                    "url": url.strip(),
                    "headers": headers,
                    "body": _json_or_none(body),
                },
            }
        elif kind == "response" and pending is not None:
            first, headers, body = _split_http(block)
            status = _STATUS_LINE.match(first)
            pending["response"] = {
                "status": int(status.group(1)) if status else None,
                "headers": headers,
                "body": _json_or_none(body),
            }
            cases.append(pending)
            pending = None
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("docs", type=Path, help="a local clone of microsoft-graph-docs-contrib")
    parser.add_argument(
        "page", help="the page's path inside the clone, e.g. api-reference/v1.0/api/event-get.md"
    )
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(args.docs), "log", "-1", "--format=%H", "--", args.page],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    page = {
        "source": {"repo": DOCS_REPO, "path": args.page, "commit": commit},
        "cases": cases_of((args.docs / args.page).read_text()),
    }
    json.dump(page, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
