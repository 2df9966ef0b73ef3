"""Event bodies: Outlook HTML to the plain text Recruit stores, and plain text to the HTML body we write.

HTML is laid out by inscriptis (lines, paragraphs, lists, tables); links keep their URL ("Join <https://…>").
Spaces spelt as `&nbsp;` and tabs inside the text are kept, so the HTML body we write (`text_to_html`), as
Exchange hands it back, reads back as the text we wrote (no echo, no rewrite of Recruit's Description).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_engine import Inscriptis
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_document_state import HtmlDocumentState
from inscriptis.model.html_element import HtmlElement
from inscriptis.model.tag import CustomHtmlTagHandlerMapping
from lxml import etree
from lxml.html import document_fromstring

# Stand-ins for the white space HTML layout would collapse but a user typed: a no-break space (Exchange's
# spelling of a run of spaces) and a tab inside a line. Unicode noncharacters, never in real text.
_KEPT_SPACE = "\ufdd0"
_KEPT_TAB = "\ufdd1"
# inscriptis unescapes the text lxml has already unescaped ("&amp;amp;" would end as "&"): its ampersands
# are hidden from it the same way.
_KEPT_AMPERSAND = "\ufdd2"
# Other typed white space (en/em/ideographic spaces...) is text too, never layout: noncharacters again.
_TYPED_SPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_HIDE = str.maketrans(
    {"\xa0": _KEPT_SPACE, "&": _KEPT_AMPERSAND, **{c: chr(0xFDE0 + i) for i, c in enumerate(_TYPED_SPACES)}}
)
_SHOW = str.maketrans(
    {
        _KEPT_SPACE: " ",
        _KEPT_AMPERSAND: "&",
        _KEPT_TAB: "\t",
        **{chr(0xFDE0 + i): c for i, c in enumerate(_TYPED_SPACES)},
    }
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never text; lxml refuses them
_DROPPED = ("script", "style", "head", "title", "template", "noscript")
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:", "msteams:", "sip:")


def _link_start(state: HtmlDocumentState, attrs: dict[str, str]) -> None:
    href = (attrs.get("href") or "").strip()
    state.link_target = href if href.lower().startswith(_LINK_SCHEMES) else ""


def _link_end(state: HtmlDocumentState) -> None:
    """After the link's text, its URL in angle brackets ("Join <https://…>"), unless the text is the URL."""
    target = state.link_target
    state.link_target = ""
    if not target:
        return
    shown = state.tags[-1].canvas.current_block.content
    bare = target.removeprefix("mailto:")
    if not shown.rstrip().endswith((target, bare)):
        state.tags[-1].write(f" <{target}>")


# Browser defaults (inscriptis' strict profile), but paragraphs without margins, as Outlook writes them
# (`p.MsoNormal {margin:0}`): each paragraph is a line, and an empty one (`<p>&nbsp;</p>`) a blank line.
_CSS = {**CSS_PROFILES["strict"], "p": HtmlElement(display=Display.block)}
_CONFIG = ParserConfig(
    css=_CSS,
    display_links=True,
    table_cell_separator="\t",
    custom_html_tag_handler_mapping=CustomHtmlTagHandlerMapping(
        start_tag_mapping={"a": _link_start}, end_tag_mapping={"a": _link_end}
    ),
)


def _keep_typed_space(text: str | None) -> str | None:
    """A text node with its no-break spaces (and tabs, when it holds text) protected from collapsing and
    its ampersands from a second unescaping; a node of white space alone is layout and left to collapse."""
    if not text:
        return text
    text = text.translate(_HIDE)
    if text.strip(" \t\r\n\f"):
        text = text.replace("\t", _KEPT_TAB)
    return text


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: a line per line break, paragraph or list item, with no white
    space at line ends (as `trim_text`)."""
    html = _CONTROL.sub("", html)
    if not html.strip():
        return ""
    try:
        tree = document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html.strip()
    for dropped in list(tree.iter(*_DROPPED)):
        dropped.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.text = _keep_typed_space(element.text)
        element.tail = _keep_typed_space(element.tail)
    text = Inscriptis(tree, _CONFIG).get_text().translate(_SHOW)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def trim_text(text: str | None) -> str:
    """Text as both sides can return it: line ends as LF, no-break spaces as spaces (Exchange's HTML spells
    typed spaces that way), trailing spaces and leading or trailing blank lines gone (neither Exchange nor
    our HTML reading keeps them); indentation, tabs and inner blank lines kept."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def body_to_text(body: Mapping[str, Any] | None) -> str:
    """Plain text of a Graph `itemBody` ({"contentType": "html"|"text", "content": ...})."""
    if not body:
        return ""
    content = str(body.get("content") or "")
    if str(body.get("contentType", "text")).lower() == "html":
        return html_to_text(content)
    return trim_text(content)


def text_to_html(text: str | None) -> str:
    """Plain text as HTML that Outlook shows as typed and `html_to_text` reads back as the same text (after
    `trim_text`): a `<br>` per line end, `&nbsp;` for each space HTML would collapse (one not between two
    visible characters), tabs as they are (kept inside a line's text)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<div>" + "<br>\r\n".join(_typed_spaces(escape(line, quote=False)) for line in lines) + "</div>"


def _typed_spaces(line: str) -> str:
    """`&nbsp;` for each space HTML would collapse: one not between two visible characters."""
    spelt = []
    for i, char in enumerate(line):
        between_visible = 0 < i < len(line) - 1 and not line[i - 1].isspace() and not line[i + 1].isspace()
        spelt.append("&nbsp;" if char == " " and not between_visible else char)
    return "".join(spelt)


def text_to_body(text: str | None) -> dict[str, str]:
    """The Graph `itemBody` we write: HTML of our own (`text_to_html`), as Exchange keeps bodies anyway. Read
    back as HTML, it gives the text we wrote, and an Outlook user's links keep their URL in the same reading
    (Exchange's own text form of a body is not documented, and may drop them)."""
    return {"contentType": "html", "content": text_to_html(text)}
