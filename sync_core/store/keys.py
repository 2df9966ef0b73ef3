"""Reversible escaping of PartitionKey/RowKey values, and composite key strings built from several ids.

Azure forbids `/ \\ # ?` and control characters in keys (Azurite answers 500 on some): we percent-encode
those and `%` itself, as UTF-8 bytes, so any id round-trips; other characters (unicode included) stay as-is.
"""

from __future__ import annotations

import re

from .errors import InvalidKey

# Azure's documented limit is 1 KiB per key; keys travel as UTF-16 inside the service, so count that way.
MAX_KEY_BYTES = 1024

_FORBIDDEN = frozenset("/\\#?%")


def _needs_escape(char: str, extra: frozenset[str]) -> bool:
    code = ord(char)
    return char in _FORBIDDEN or char in extra or code < 0x20 or 0x7F <= code <= 0x9F


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


# Any character `_needs_escape` would escape without `extra`: most values have none, and skip the loop.
_UNSAFE = re.compile(r"[/\\#?%\x00-\x1f\x7f-\x9f]")


def _quote(value: str, extra: frozenset[str] = frozenset()) -> str:
    if not _UNSAFE.search(value) and not any(char in value for char in extra):
        return value
    return "".join(_percent(c) if _needs_escape(c, extra) else c for c in value)


def _unquote(value: str) -> str:
    out = bytearray()
    i = 0
    while i < len(value):
        char = value[i]
        if char == "%":
            try:
                out.append(int(value[i + 1 : i + 3], 16))
            except ValueError:
                raise InvalidKey(f"bad escape at {i} in stored key {value[:40]!r}") from None
            i += 3
        else:
            out += char.encode("utf-8")
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidKey(f"stored key {value[:40]!r} does not decode as UTF-8") from None


def escape(value: str) -> str:
    """The stored form of a key value; raises `InvalidKey` if it would exceed 1 KiB."""
    escaped = _quote(value)
    size = len(escaped.encode("utf-16-le"))
    if size > MAX_KEY_BYTES:
        raise InvalidKey(
            f"key is {size} bytes after escaping; Azure Tables allows {MAX_KEY_BYTES}: {value[:40]!r}…"
        )
    return escaped


def unescape(stored: str) -> str:
    """The original value of a key written by `escape`."""
    return _unquote(stored)


def compose(*parts: str, sep: str = ":") -> str:
    """One string holding several ids, splittable again by `decompose` whatever the ids contain."""
    return sep.join(_quote(part, frozenset(sep)) for part in parts)


def decompose(value: str, count: int, sep: str = ":") -> list[str]:
    """The ids joined by `compose`; raises `InvalidKey` unless there are exactly `count` of them."""
    parts = value.split(sep)
    if len(parts) != count:
        raise InvalidKey(f"expected {count} parts separated by {sep!r} in {value[:60]!r}")
    return [_unquote(part) for part in parts]
