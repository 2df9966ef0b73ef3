"""The secret box: round trip, rotation, and loud failures for missing keys, unknown keys and tampering."""

from __future__ import annotations

import base64
import os

import pytest

from sync_core.config import Settings
from sync_core.store.crypto import SecretBox
from sync_core.store.errors import SecretDecryptError, SecretKeyInvalid, SecretKeyMissing


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


OLD, NEW = _key(), _key()


def box(spec: str) -> SecretBox:
    return SecretBox.from_settings(Settings(token_encryption_keys=spec))


def test_encrypted_secret_decrypts_to_the_plaintext_and_does_not_contain_it() -> None:
    secrets = box(f"k1:{OLD}")
    sealed = secrets.encrypt("refresh-token-123", aad="connections|o:u")
    assert "refresh-token-123" not in sealed
    assert sealed.startswith("k1.")
    assert secrets.decrypt(sealed, aad="connections|o:u") == b"refresh-token-123"


def test_each_encryption_uses_a_fresh_nonce() -> None:
    secrets = box(f"k1:{OLD}")
    assert secrets.encrypt("same", "a") != secrets.encrypt("same", "a")


def test_after_rotation_old_values_still_decrypt_and_new_values_use_the_new_key() -> None:
    sealed_before = box(f"k1:{OLD}").encrypt("token", "row")
    rotated = box(f"k2:{NEW},k1:{OLD}")
    assert rotated.decrypt(sealed_before, "row") == b"token"
    assert rotated.needs_rotation(sealed_before)
    sealed_after = rotated.encrypt("token", "row")
    assert sealed_after.startswith("k2.")
    assert not rotated.needs_rotation(sealed_after)


def test_reencrypt_moves_a_value_to_the_current_key() -> None:
    sealed_before = box(f"k1:{OLD}").encrypt("token", "row")
    rotated = box(f"k2:{NEW},k1:{OLD}")
    moved = rotated.reencrypt(sealed_before, "row")
    assert moved.startswith("k2.")
    assert box(f"k2:{NEW}").decrypt(moved, "row") == b"token"


def test_no_configured_key_is_a_clear_error() -> None:
    with pytest.raises(SecretKeyMissing, match="TOKEN_ENCRYPTION_KEYS"):
        box("").encrypt("token", "row")


def test_value_under_a_retired_key_fails_to_decrypt() -> None:
    sealed = box(f"k1:{OLD}").encrypt("token", "row")
    with pytest.raises(SecretDecryptError, match="k1"):
        box(f"k2:{NEW}").decrypt(sealed, "row")


def test_tampered_ciphertext_fails_to_decrypt() -> None:
    sealed = box(f"k1:{OLD}").encrypt("token", "row")
    key_id, nonce, body = sealed.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(SecretDecryptError):
        box(f"k1:{OLD}").decrypt(f"{key_id}.{nonce}.{flipped}", "row")


def test_secret_bound_to_one_row_does_not_decrypt_for_another() -> None:
    secrets = box(f"k1:{OLD}")
    sealed = secrets.encrypt("token", "connections|org:alice")
    with pytest.raises(SecretDecryptError):
        secrets.decrypt(sealed, "connections|org:mallory")


def test_key_of_the_wrong_length_is_rejected_at_startup() -> None:
    with pytest.raises(SecretKeyInvalid, match="32"):
        box(f"k1:{base64.b64encode(b'short').decode()}")
