"""Event bodies: Outlook HTML to the plain text Recruit stores, and plain text to the Graph body we write.

Uses the stdlib HTML parser: blocks and <br> become line breaks, entities are decoded, scripts/styles dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_CELLS = frozenset({"td", "th"})
_BREAK = "\n"
_PARAGRAPH = "\x00"  # a block boundary; collapsed later so nested blocks give one line break, not several
_KEPT_SPACE = "\x01"  # a space inside <pre>, safe from the stripping of layout whitespace


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped_depth = 0
        self.pre_depth = 0
        self.cell_in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped_depth += 1
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag in _CELLS:
            if self.cell_in_row:
                self.parts.append("\t")
            self.cell_in_row += 1
        elif tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
            if tag == "tr":
                self.cell_in_row = 0
            if tag == "li":
                self.parts.append("- ")
            if tag == "pre":
                self.pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _DROPPED:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropped_depth = max(0, self.dropped_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.dropped_depth:
            return
        if self.pre_depth:
            text = data.replace("\r\n", "\n").replace(" ", _KEPT_SPACE)
            self.parts.append(text.replace("\n", _BREAK))
        else:
            # Outside <pre>, source line breaks and runs of spaces are layout, not content.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    lines: list[str] = []
    for block in re.split(f"{_PARAGRAPH}+", text):
        block_lines = [line.strip(" ") for line in block.split(_BREAK)]
        if any(block_lines):
            lines.extend(block_lines)
    # Keep at most one empty line in a row: Outlook's HTML pads paragraphs with empty <p>&nbsp;</p>.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text.replace(_KEPT_SPACE, " ")


def body_to_text(body: Mapping[str, object] | None) -> str:
    """Plain text of a Graph `itemBody` ({"contentType": "html"|"text", "content": ...})."""
    if not body:
        return ""
    content = str(body.get("content") or "")
    if str(body.get("contentType", "text")).lower() == "html":
        return html_to_text(content)
    return content.replace("\r\n", "\n").strip("\n")


def text_to_body(text: str | None) -> dict[str, str]:
    """The Graph `itemBody` we write: plain text, so Outlook shows exactly what Recruit holds."""
    return {"contentType": "text", "content": (text or "").replace("\r\n", "\n")}
