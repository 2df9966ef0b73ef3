"""`.local/demo.json` marks the Recruit administrators, as the Recruit emulator's seed makes them."""

from __future__ import annotations

from local.demo import demo_document


def test_demo_users_are_marked_admin_exactly_when_their_recruit_profile_is_administrator() -> None:
    admins = {user["email"]: user["admin"] for user in demo_document()["users"]}

    assert admins == {
        "alice@contoso.example": True,
        "carol@contoso.example": False,
        "bob@fabrikam.example": False,
    }
