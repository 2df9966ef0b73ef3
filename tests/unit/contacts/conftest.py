"""Recruit Contacts metadata as the emulator reports it, for the pure mapping tests."""

from __future__ import annotations

import pytest

from local.emulators.recruit.fields import default_modules
from sync_core.domain.contact_fields import RecruitField
from sync_core.recruit.contact_codec import recruit_catalog


@pytest.fixture
def contact_fields() -> list[RecruitField]:
    return recruit_catalog(field.to_json() for field in default_modules()["Contacts"].fields)
