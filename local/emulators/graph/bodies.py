"""Item bodies as Exchange keeps them: stored as HTML, returned as HTML or, when asked, as text.

Sources: api/event-get.md ("If the header is not specified, the **body** property is returned in HTML format";
`Prefer: outlook.body-content-type` takes "text" or "html") and its examples, whose HTML bodies are whole
documents (`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>...`).
A text body written by a client is therefore stored as such a document, its line breaks as `<br>`. The exact
markup Exchange produces from text, and the text it produces from HTML, are not documented: the emulator
escapes the text, keeps its lines, and converts back with CRLF line ends (as Outlook's text bodies have).
Contacts' `personalNotes` is a plain string (resources/contact.md) and is never converted.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

HEAD = '<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\r\n'
_BLOCKS = frozenset({"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"})
_HIDDEN = frozenset({"head", "style", "script", "title"})
PREVIEW_LENGTH = (
    255  # resources/event.md: bodyPreview is "The preview of the message associated with the event"
)


def text_to_html(text: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    return wrap_html("<br>\r\n".join(html.escape(line, quote=False) for line in lines))


def wrap_html(fragment: str) -> str:
    if re.search(r"<html[\s>]", fragment, re.IGNORECASE):
        return fragment
    return f"{HEAD}<body>\r\n{fragment}\r\n</body>\r\n</html>\r\n"


# How the text form shows a link, which no source documents: "dropped" keeps only the link's text (the
# default), "kept" adds its target as Outlook's plain-text mail does, `text<https://...>`. Switched with
# `POST /_emulator/settings {"text_links": ...}`, so that tests can try the product both ways.
TEXT_LINK_MODES = ("dropped", "kept")
text_links = {"mode": "dropped"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "br" or (tag in _BLOCKS and self.parts and not self.parts[-1].endswith("\n")):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self.links:
            target = self.links.pop()
            if target and text_links["mode"] == "kept" and not self.hidden:
                self.parts.append(f"<{target}>")
        elif tag in _BLOCKS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # Source line breaks in HTML are layout; only markup breaks lines.
            self.parts.append(re.sub(r"[\r\n]+", "", data))


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    return text.strip("\n").replace("\n", "\r\n")


def stored_body(body: Any) -> dict[str, str]:
    """What Exchange keeps for a written `itemBody`: always HTML."""
    if not isinstance(body, dict):
        return {"contentType": "html", "content": text_to_html("")}
    content = str(body.get("content") or "")
    if str(body.get("contentType", "text")).lower() == "html":
        return {"contentType": "html", "content": wrap_html(content)}
    return {"contentType": "html", "content": text_to_html(content)}


def rendered_body(stored: dict[str, str], content_type: str | None) -> dict[str, str]:
    """The body in the format the request asked for (HTML unless it asked for text)."""
    if content_type == "text":
        return {"contentType": "text", "content": html_to_text(stored["content"])}
    return dict(stored)


def preview(stored: dict[str, str]) -> str:
    return re.sub(r"\s+", " ", html_to_text(stored["content"])).strip()[:PREVIEW_LENGTH]
