"""The import rule applied to records as the emulated Recruit returns them: imported records are excluded,
records changed by mass update or created one by one are not.
"""

from __future__ import annotations

from sync_core.recruit import RecruitClient
from sync_core.recruit.eligibility import bulk_originated
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE


async def test_imported_contacts_are_excluded_until_mass_updated(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    records = [{"Last_Name": f"Imported {index}"} for index in range(30)]
    imported = [
        str(i)
        for i in recruit.control("import", {"user": ALICE, "module": "Contacts", "records": records})["ids"]
    ]
    recruit.control("clock", {"advance_seconds": 3})
    mass_updated = imported[:5]
    recruit.control(
        "mass-update",
        {"user": ALICE, "module": "Contacts", "ids": mass_updated, "fields": {"Job_Title": "Engineer"}},
    )
    recruit.control("clock", {"advance_seconds": 3})
    created = [result.id for result in await alice.insert("Contacts", [{"Last_Name": "Single"}]) if result.id]

    listed = [record async for record in alice.list_records("Contacts")]
    excluded = bulk_originated(listed, min_batch=20, sources=["Import"])

    assert excluded & set(imported) == set(imported) - set(mass_updated)
    assert not excluded & set(created)


async def test_a_small_import_stays_eligible_unless_its_source_says_import(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    records = [
        {"Last_Name": f"Few {index}", "Source": "Import" if index == 0 else "Referral"} for index in range(5)
    ]
    ids = [
        str(i)
        for i in recruit.control("import", {"user": ALICE, "module": "Contacts", "records": records})["ids"]
    ]
    listed = [record async for record in alice.list_records("Contacts")]
    assert bulk_originated(listed, min_batch=20, sources=["Import"]) & set(ids) == {ids[0]}


async def test_the_seeded_import_is_excluded_and_the_individually_created_contacts_are_not(
    alice: RecruitClient,
) -> None:
    listed = [record async for record in alice.list_records("Contacts")]
    excluded = bulk_originated(listed, min_batch=20, sources=[])
    imported = {str(record["id"]) for record in listed if record.get("First_Name") == "Imported"}
    assert len(imported) == 25
    assert excluded == imported
