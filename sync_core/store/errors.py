"""Exceptions raised by the storage layer, one small family so callers catch what they decide on.

Azure SDK errors are translated here-bound: callers never match on HTTP status codes.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every storage-layer error."""


class InvalidKey(StoreError, ValueError):
    """A PartitionKey/RowKey value cannot be stored (too long after escaping, or malformed)."""


class RowTooLarge(StoreError, ValueError):
    """A row would exceed Azure Tables limits (long strings are split; 1 MiB per entity is not)."""


class ConcurrencyError(StoreError):
    """An ETag-matched write lost a race: the row changed (or vanished) since it was read."""


class LeaseLost(StoreError):
    """The sync-pass lease is no longer held by this owner (it expired and was taken over)."""


class SecretError(StoreError):
    """Base of encryption errors."""


class SecretKeyMissing(SecretError):
    """No encryption key is configured (TOKEN_ENCRYPTION_KEYS is empty)."""


class SecretKeyInvalid(SecretError, ValueError):
    """A configured key is malformed (bad key id, not base64, not 32 bytes)."""


class SecretDecryptError(SecretError):
    """A stored secret cannot be decrypted: unknown key id, tampered value, or bound to another row."""
