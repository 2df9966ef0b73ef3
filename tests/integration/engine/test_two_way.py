"""Changes flow both ways after the initial sync: Recruit → Outlook and Outlook → Recruit."""

from __future__ import annotations

from tests.integration.engine.conftest import Synced, event_fields, graph_event


async def test_an_event_created_in_recruit_appears_in_outlook(synced: Synced) -> None:
    record_id = synced.recruit_create("Events", event_fields("Offer discussion"))
    await synced.sync(recruit_module="Events", recruit_ids=[record_id], reason="recruit_notification")
    assert "Offer discussion" in await synced.outlook_subjects()


async def test_an_event_edited_in_recruit_is_edited_in_outlook(synced: Synced) -> None:
    record_id = synced.recruit_create("Events", event_fields("Draft title"))
    await synced.sync()
    synced.tick()
    synced.recruit_update("Events", record_id, {"Event_Title": "Final title", "Venue": "Room 9"})
    await synced.sync()
    event = await synced.outlook_event("Final title")
    assert event["location"]["displayName"] == "Room 9"
    assert "Draft title" not in await synced.outlook_subjects()


async def test_an_event_deleted_in_recruit_is_deleted_in_outlook(synced: Synced) -> None:
    record_id = synced.recruit_create("Events", event_fields("Cancelled meeting"))
    await synced.sync()
    synced.tick()
    synced.recruit_delete("Events", record_id)
    await synced.sync(recruit_module="Events", recruit_ids=[record_id], recruit_operation="delete")
    assert "Cancelled meeting" not in await synced.outlook_subjects()


async def test_an_event_created_in_outlook_becomes_an_event_owned_by_the_user(synced: Synced) -> None:
    await synced.outlook_create(graph_event("Coffee with candidate"))
    await synced.sync(reason="graph_notification")
    assert "Coffee with candidate" in synced.owned_titles("Events")


async def test_an_event_edited_in_outlook_is_edited_in_recruit(synced: Synced) -> None:
    event_id = await synced.outlook_create(graph_event("Phone screen"))
    await synced.sync()
    synced.tick()
    synced.outlook_update(event_id, {"subject": "Phone screen (moved)", "location": {"displayName": "Zoom"}})
    await synced.sync()
    [record] = [r for r in synced.recruit_records("Events") if r["Event_Title"] == "Phone screen (moved)"]
    assert record["Venue"] == "Zoom"
    assert "Phone screen" not in synced.owned_titles("Events")


async def test_a_recruit_edit_right_after_the_copy_reaches_outlook(synced: Synced) -> None:
    # No tick: Recruit stamps Modified_Time to the second, so the edit usually shares the copied version's.
    record_id = synced.recruit_create("Events", event_fields("Intake call"))
    await synced.sync()
    synced.recruit_update("Events", record_id, {"Event_Title": "Intake call (moved)"})
    await synced.sync()
    assert "Intake call (moved)" in await synced.outlook_subjects()


async def test_an_outlook_edit_right_after_the_copy_reaches_recruit(synced: Synced) -> None:
    # No tick: the edit lands within the second the copy was made, as a quick user's does.
    event_id = await synced.outlook_create(graph_event("Debrief"))
    await synced.sync()
    synced.outlook_update(event_id, {"subject": "Debrief (room 2)"})
    await synced.sync()
    assert "Debrief (room 2)" in synced.owned_titles("Events")
    assert "Debrief" not in synced.owned_titles("Events")


async def test_an_event_deleted_in_outlook_is_deleted_in_recruit(synced: Synced) -> None:
    record_id = synced.recruit_create("Events", event_fields("Obsolete sync"))
    await synced.sync()
    event = await synced.outlook_event("Obsolete sync")
    synced.tick()
    synced.outlook_delete(str(event["id"]))
    await synced.sync()
    assert synced.recruit_record("Events", record_id) is None


async def test_an_event_in_another_outlook_calendar_never_reaches_recruit(synced: Synced) -> None:
    with synced.outlook() as outlook:
        response = outlook.get("/calendar")
    default_calendar = str(response.json()["id"])
    await synced.outlook_create(graph_event("Private dentist"), calendar_id=default_calendar)
    await synced.sync(reason="resync")
    assert "Private dentist" not in synced.owned_titles("Events")


async def test_an_interview_deleted_in_outlook_is_unlinked_and_kept_in_recruit(synced: Synced) -> None:
    [interview] = synced.owned_titles("Interviews", "Interview_Name")[:1]
    event = await synced.outlook_event(interview)
    synced.tick()
    synced.outlook_delete(str(event["id"]))
    await synced.sync()
    assert interview in synced.owned_titles("Interviews", "Interview_Name")
    assert interview not in await synced.outlook_subjects()
    log = await synced.ctx.synclog.recent(synced.connection.key, "calendar")
    unlinks = [entry for entry in log.entries if entry.type == "unlink"]
    assert [(e.title, e.message) for e in unlinks] == [
        (interview, "Interview deleted in Outlook: unlinked, kept in Recruit")
    ]
