"""Session cookies: signed, expiring, tamper-evident; CSRF tokens bound to the session."""

from datetime import UTC, datetime, timedelta

from sync_core.functions import session

SECRET = "test-secret-of-at-least-thirty-two-characters"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_issued_cookie_reads_back_as_the_same_user() -> None:
    value, issued = session.issue(SECRET, "org1", "user1", NOW)
    read = session.read(SECRET, value, NOW + timedelta(minutes=5))
    assert read == issued
    assert (read.org_id, read.user_id) == ("org1", "user1")


def test_tampered_cookie_is_refused() -> None:
    value, _ = session.issue(SECRET, "org1", "user1", NOW)
    payload, mac = value.split(".")
    forged_payload = session._b64(session._unb64(payload).replace(b"user1", b"user2"))
    assert session.read(SECRET, f"{forged_payload}.{mac}", NOW) is None
    assert session.read("another-secret", value, NOW) is None
    assert session.read(SECRET, "garbage", NOW) is None


def test_expired_cookie_is_refused() -> None:
    value, _ = session.issue(SECRET, "org1", "user1", NOW)
    assert session.read(SECRET, value, NOW + session.SESSION_LIFETIME + timedelta(seconds=1)) is None


def test_csrf_needs_header_and_cookie_equal_to_the_sessions_token() -> None:
    _, issued = session.issue(SECRET, "org1", "user1", NOW)
    token = session.csrf_token(SECRET, issued)
    assert session.csrf_ok(SECRET, issued, token, token)
    assert not session.csrf_ok(SECRET, issued, None, token)
    assert not session.csrf_ok(SECRET, issued, "planted", "planted")
    _, other = session.issue(SECRET, "org1", "user1", NOW)
    assert not session.csrf_ok(SECRET, other, token, token)


def test_cookies_are_secure_except_on_local_http() -> None:
    value, issued = session.issue(SECRET, "o", "u", NOW)
    local = session.set_cookie_headers(SECRET, value, issued, "http://127.0.0.1:7071")
    deployed = session.set_cookie_headers(SECRET, value, issued, "https://sync.example.com")
    assert all("Secure" not in c for c in local)
    assert all(c.endswith("; Secure") for c in deployed)
    assert "HttpOnly" in local[0] and "SameSite=Lax" in local[0]


def test_a_session_names_the_data_centre_of_its_connection_and_old_cookies_name_none() -> None:
    value, issued = session.issue(SECRET, "org1", "user1", NOW, data_centre="accounts.zoho.eu")
    plain, _ = session.issue(SECRET, "org1", "user1", NOW)

    named = session.read(SECRET, value, NOW)
    old = session.read(SECRET, plain, NOW)

    assert named == issued and named is not None and named.data_centre == "accounts.zoho.eu"
    assert old is not None and old.data_centre == ""
