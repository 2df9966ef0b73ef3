"""Cut text to a length limit without splitting a character: the cut falls on a grapheme-cluster boundary
(UAX #29), so an emoji, a flag or a letter with its combining marks is kept whole or dropped whole."""

from __future__ import annotations

import regex

# One extended grapheme cluster (UAX #29). The standard library has no grapheme segmentation; the maintained
# `regex` package implements it as \X.
_GRAPHEME = regex.compile(r"\X", flags=regex.VERSION1)


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (a code point above U+FFFF counts two)."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """The longest prefix of ``text`` that ends on a grapheme boundary and is at most ``limit`` long.

    Length is counted in UTF-16 code units. Zoho does not document whether its field `length` counts code
    points or UTF-16 units (unconfirmed, see shared/API-NOTES.md); a UTF-16 count is never smaller than the
    code-point count, so a text within the limit in UTF-16 is within it under either reading. A grapheme
    boundary is always a code-point boundary, so no surrogate pair or combining sequence is split. A cluster
    longer than the whole limit (e.g. a long ZWJ emoji sequence under a tiny limit) is dropped, never cut.
    """
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    if utf16_length(text) <= limit:
        return text
    used = 0
    end = 0
    for cluster in _GRAPHEME.finditer(text):
        size = utf16_length(cluster.group())
        if used + size > limit:
            break
        used += size
        end = cluster.end()
    return text[:end]
