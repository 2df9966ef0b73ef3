"""AES-256-GCM encryption of secrets at rest (tokens, clientState), with key ids so keys can rotate.

A value is `{key id}.{nonce}.{ciphertext}` (base64url); associated data binds it to the row it belongs to.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sync_core.config import Settings

from .errors import SecretDecryptError, SecretKeyInvalid, SecretKeyMissing

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE_BYTES = 12


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SecretBox:
    """Encrypts with the first key, decrypts with any configured key."""

    def __init__(self, keys: list[tuple[str, bytes]], current: str = "") -> None:
        for key_id, key in keys:
            if not _KEY_ID.match(key_id):
                raise SecretKeyInvalid(f"key id {key_id!r} must be 1-32 letters, digits, '-' or '_'")
            if len(key) != 32:
                raise SecretKeyInvalid(f"key {key_id!r} is {len(key)} bytes; AES-256 needs 32")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys}
        if current and current not in self._keys:
            raise SecretKeyInvalid(
                f"TOKEN_ENCRYPTION_CURRENT_KEY {current!r} is not in TOKEN_ENCRYPTION_KEYS"
            )
        # The encrypting key: named explicitly (rotation: append everywhere, then promote), else the first.
        self._current = current or (keys[0][0] if keys else None)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        keys: list[tuple[str, bytes]] = []
        for key_id, encoded in settings.encryption_keys():
            try:
                raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True)
            except (binascii.Error, ValueError):
                raise SecretKeyInvalid(f"key {key_id!r} is not base64") from None
            keys.append((key_id, raw))
        return cls(keys, settings.token_encryption_current_key)

    @property
    def current_key_id(self) -> str:
        if self._current is None:
            raise SecretKeyMissing("no encryption key configured: set TOKEN_ENCRYPTION_KEYS")
        return self._current

    def encrypt(self, plaintext: bytes | str, aad: str) -> str:
        key_id = self.current_key_id
        data = plaintext.encode("utf-8") if isinstance(plaintext, str) else plaintext
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[key_id].encrypt(nonce, data, self._associated(key_id, aad))
        return f"{key_id}.{_b64e(nonce)}.{_b64e(sealed)}"

    def decrypt(self, value: str, aad: str) -> bytes:
        if self._current is None:
            raise SecretKeyMissing("no encryption key configured: set TOKEN_ENCRYPTION_KEYS")
        parts = value.split(".")
        if len(parts) != 3:
            raise SecretDecryptError("stored secret is not in key.nonce.ciphertext form")
        key_id, nonce_text, sealed_text = parts
        cipher = self._keys.get(key_id)
        if cipher is None:
            raise SecretDecryptError(f"stored secret uses key {key_id!r}, which is not configured")
        try:
            nonce, sealed = _b64d(nonce_text), _b64d(sealed_text)
            return cipher.decrypt(nonce, sealed, self._associated(key_id, aad))
        except (InvalidTag, binascii.Error, ValueError):
            raise SecretDecryptError(f"stored secret under key {key_id!r} fails authentication") from None

    def decrypt_text(self, value: str, aad: str) -> str:
        return self.decrypt(value, aad).decode("utf-8")

    @staticmethod
    def key_id_of(value: str) -> str:
        """The id of the key a stored value was sealed with."""
        return value.split(".", 1)[0]

    def needs_rotation(self, value: str) -> bool:
        """True when the value was sealed with a key other than the current one."""
        return value.split(".", 1)[0] != self.current_key_id

    def reencrypt(self, value: str, aad: str) -> str:
        """The value sealed under the current key (unchanged if it already is)."""
        if not self.needs_rotation(value):
            return value
        return self.encrypt(self.decrypt(value, aad), aad)

    @staticmethod
    def _associated(key_id: str, aad: str) -> bytes:
        # The key id is bound too, so a value cannot be relabelled to another key.
        return f"{key_id}\x00{aad}".encode()
