"""Example tests of the planner's rules, each named after the behaviour a user sees."""

from sync_core.domain.actions import (
    ConflictSettled,
    CreateInGraph,
    CreateInRecruit,
    DeleteInGraph,
    DeleteInRecruit,
    Skip,
    Unlink,
    UpdateGraph,
    UpdateRecruit,
)
from sync_core.domain.items import GraphChange, LinkIndex, RecruitChange, RecruitRef
from sync_core.domain.planner import plan
from tests.unit.domain.world import CALENDAR_POLICY, START, World, writes


def synced_event(world: World, module: str = "Events", **fields: object) -> tuple[str, str]:
    key = world.recruit_user_creates(module, {"subject": "Call", "location": "Room 1", **fields})
    world.sync_until_quiet()
    link = world.recruit_rows[key]
    assert link.graph_id is not None
    return key, link.graph_id


def test_recruit_event_is_copied_to_outlook_with_its_tag(world: World) -> None:
    key, graph_id = synced_event(world)
    assert world.outlook[graph_id].tag == key
    assert world.outlook[graph_id].fields["subject"] == "Call"
    assert world.disagreements() == []


def test_outlook_event_becomes_a_recruit_event(world: World) -> None:
    graph_id = world.outlook_user_creates({"subject": "Lunch", "online_link": "https://meet/1"})
    actions = world.sync()
    assert [type(action) for action in actions] == [CreateInRecruit]
    key = world.graph_rows[graph_id].recruit_key
    assert key is not None and key.startswith("Events:")
    assert world.recruit[key].fields["online_link"] == "https://meet/1"


def test_echo_of_our_own_write_plans_nothing(world: World) -> None:
    key, _graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "Call v2"})
    first = world.sync()
    assert [type(action) for action in first] == [UpdateGraph]
    assert world.graph_feed, "the Outlook write comes back as a delta change"
    assert world.plan() == []


def test_edit_that_only_changes_whitespace_or_empty_values_is_an_echo(world: World) -> None:
    _key, graph_id = synced_event(world, location=None)
    world.outlook_user_edits(graph_id, {"subject": "Call  \r\n", "location": ""})
    assert world.plan() == []


def test_outlook_edit_updates_recruit(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_edits(graph_id, {"location": "Room 2"})
    actions = world.sync()
    assert actions == [UpdateRecruit(RecruitRef.parse(key), {"location": "Room 2"}, actions[0].link_after)]
    assert world.recruit[key].fields["location"] == "Room 2"


def test_different_fields_edited_on_both_sides_are_both_kept(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "New subject"})
    world.outlook_user_edits(graph_id, {"location": "Room 9"})
    world.sync_until_quiet()
    assert world.recruit[key].fields["location"] == "Room 9"
    assert world.outlook[graph_id].fields["subject"] == "New subject"
    assert world.disagreements() == []


def test_same_field_edited_both_sides_newer_wins(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "Recruit's"})
    world.outlook_user_edits(graph_id, {"subject": "Outlook's"})  # later
    actions = world.sync()
    assert ConflictSettled(key, ("subject",)) in actions
    world.sync_until_quiet()
    assert world.recruit[key].fields["subject"] == "Outlook's"
    assert world.outlook[graph_id].fields["subject"] == "Outlook's"


def test_same_field_edited_both_sides_at_the_same_time_recruit_wins() -> None:
    ref = RecruitRef("Events", "1")
    world = World()
    key, graph_id = synced_event(world)
    ref = RecruitRef.parse(key)
    moment = START.replace(year=2027)
    recruit_change = RecruitChange(ref, {**world.recruit[key].fields, "subject": "R"}, moment)
    graph_change = GraphChange(graph_id, {**world.outlook[graph_id].fields, "subject": "G"}, moment, tag=key)
    actions = plan(world.links(), [recruit_change], [graph_change], CALENDAR_POLICY)
    assert [action.fields for action in actions if isinstance(action, UpdateGraph)] == [{"subject": "R"}]


def test_recruit_delete_beats_outlook_edit(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_edits(graph_id, {"subject": "Edited in Outlook"})
    world.recruit_user_deletes(key)
    actions = world.sync()
    assert [type(action) for action in actions] == [DeleteInGraph]
    assert graph_id not in world.outlook
    assert world.recruit_rows[key].state == "tombstone"
    assert world.graph_rows[graph_id].state == "tombstone"


def test_record_leaving_scope_removes_outlook_copy_and_keeps_recruit(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_record_leaves_scope(key)
    world.sync_until_quiet()
    assert graph_id not in world.outlook
    assert key in world.recruit


def test_record_back_in_scope_is_copied_again(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_record_leaves_scope(key)
    world.sync_until_quiet()
    world.recruit_record_returns_to_scope(key)
    world.sync_until_quiet()
    assert world.disagreements() == []
    assert world.recruit_rows[key].graph_id != graph_id


def test_outlook_delete_deletes_the_recruit_event(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_deletes(graph_id)
    actions = world.sync()
    assert [type(action) for action in actions] == [DeleteInRecruit]
    assert key not in world.recruit


def test_outlook_delete_loses_to_recruit_edit(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_deletes(graph_id)
    world.recruit_user_edits(key, {"subject": "Still on"})
    actions = world.sync()
    assert [type(action) for action in actions] == [CreateInGraph]
    new_graph_id = world.recruit_rows[key].graph_id
    assert new_graph_id != graph_id
    assert world.outlook[new_graph_id or ""].fields["subject"] == "Still on"
    assert world.graph_rows[graph_id].state == "tombstone"
    world.sync_until_quiet()
    assert world.disagreements() == []


def test_interview_deleted_in_outlook_is_unlinked_not_deleted(world: World) -> None:
    key, graph_id = synced_event(world, module="Interviews")
    world.outlook_user_deletes(graph_id)
    actions = world.sync()
    assert [type(action) for action in actions] == [Unlink]
    assert key in world.recruit
    assert world.recruit_rows[key].state == "tombstone"
    assert writes(world.sync()) == []


def test_unlinked_interview_edited_later_in_recruit_gets_a_new_outlook_copy(world: World) -> None:
    key, graph_id = synced_event(world, module="Interviews")
    world.outlook_user_deletes(graph_id)
    world.sync_until_quiet()
    world.recruit_user_edits(key, {"subject": "Rescheduled"})
    world.sync_until_quiet()
    assert world.recruit_rows[key].state == "linked"
    assert world.outlook[world.recruit_rows[key].graph_id or ""].fields["subject"] == "Rescheduled"


def test_interview_has_no_reminder_field_to_sync(world: World) -> None:
    _key, graph_id = synced_event(world, module="Interviews", reminder=15)
    world.outlook_user_edits(graph_id, {"reminder": 30})
    assert world.plan() == []


def test_outlook_edit_of_a_recruit_only_field_is_ignored(world: World) -> None:
    key, graph_id = synced_event(world, participants="Ann, Bob")
    world.outlook_user_edits(graph_id, {"participants": "someone else"})
    assert world.plan() == []
    assert world.recruit[key].fields["participants"] == "Ann, Bob"


def test_recruit_edit_of_an_outlook_only_field_is_ignored(world: World) -> None:
    key, _graph_id = synced_event(world)
    world.recruit_user_edits(key, {"online_link": "typed in Recruit"})
    assert world.plan() == []


def test_duplicated_changes_plan_the_same_as_single_ones(world: World) -> None:
    key, _graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "Once"})
    single = world.plan()
    world.recruit_feed = world.recruit_feed * 3
    assert world.plan() == single


def test_replayed_old_change_after_a_newer_one_changes_nothing(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "First"})
    old_change = world.recruit_feed[-1]
    world.sync_until_quiet()
    world.recruit_user_edits(key, {"subject": "Second"})
    world.sync_until_quiet()
    world.recruit_feed.append(old_change)
    assert writes(world.sync()) == []
    assert world.outlook[graph_id].fields["subject"] == "Second"


def test_a_second_recruit_edit_stamped_in_the_same_second_reaches_outlook(world: World) -> None:
    key, graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "First"})
    world.sync_until_quiet()
    world.recruit_user_edits(key, {"subject": "Second"}, same_time=True)
    world.sync_until_quiet()
    assert world.outlook[graph_id].fields["subject"] == "Second"
    assert world.disagreements() == []


def test_a_second_outlook_edit_stamped_in_the_same_second_reaches_recruit(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_edits(graph_id, {"subject": "First"})
    world.sync_until_quiet()
    world.outlook_user_edits(graph_id, {"subject": "Second"}, same_time=True)
    world.sync_until_quiet()
    assert world.recruit[key].fields["subject"] == "Second"
    assert world.disagreements() == []


def test_the_version_a_link_took_in_read_again_at_its_time_changes_nothing(world: World) -> None:
    # Both sides edited, merged in one pass; then that pass's Recruit input comes again, stamped as it was.
    key, graph_id = synced_event(world)
    world.recruit_user_edits(key, {"subject": "From Recruit"})
    old_input = world.recruit_feed[-1]
    world.outlook_user_edits(graph_id, {"location": "From Outlook"})
    world.sync_until_quiet()
    world.recruit_feed.append(old_input)
    assert writes(world.sync()) == []
    assert world.outlook[graph_id].fields["location"] == "From Outlook"


def test_removed_marker_for_an_unknown_outlook_item_plans_nothing() -> None:
    removed = GraphChange("never-seen", None, START, deleted=True)
    assert plan(LinkIndex(), [], [removed], CALENDAR_POLICY) == []


def test_crash_after_outlook_create_adopts_the_copy_by_its_tag(world: World) -> None:
    key = world.recruit_user_creates("Events", {"subject": "Crashy"})
    world.sync(crash_after_steps=1)  # the event exists in Outlook, the link was never stored
    assert world.recruit_rows == {}
    world.sync_until_quiet()
    assert len(world.outlook) == 1
    assert world.disagreements() == []
    assert key in world.recruit_rows


def test_crash_after_recruit_create_adopts_the_record_via_the_intent(world: World) -> None:
    graph_id = world.outlook_user_creates({"subject": "From Outlook"})
    world.sync(crash_after_steps=2)  # intent stored, record created, real link never stored
    assert world.graph_rows[graph_id].state == "intent"
    world.sync_until_quiet()
    assert len(world.recruit) == 1
    assert world.disagreements() == []


def test_tagged_outlook_item_without_its_recruit_record_is_logged_not_copied() -> None:
    orphan = GraphChange("g1", {"subject": "x"}, START, tag="Events:404")
    actions = plan(LinkIndex(), [], [orphan], CALENDAR_POLICY)
    assert [type(action) for action in actions] == [Skip]


def test_second_outlook_copy_of_a_linked_record_is_deleted(world: World) -> None:
    key, _graph_id = synced_event(world)
    duplicate = GraphChange("g-dup", {"subject": "Call"}, START.replace(year=2027), tag=key)
    actions = plan(world.links(), [], [duplicate], CALENDAR_POLICY)
    assert [(type(action), action.graph_id) for action in actions] == [(DeleteInGraph, "g-dup")]


def test_outlook_copy_made_before_a_crash_goes_when_the_record_was_deleted_meanwhile(world: World) -> None:
    key = world.recruit_user_creates("Events", {"subject": "Short-lived"})
    world.sync(crash_after_steps=1)  # the Outlook copy exists, its link was never stored
    world.recruit_user_deletes(key)
    world.sync_until_quiet()
    assert world.outlook == {}
    assert world.disagreements() == []


def test_crash_after_recreating_a_deleted_copy_adopts_the_new_copy(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_deletes(graph_id)
    world.recruit_user_edits(key, {"subject": "Still on"})
    world.sync(crash_after_steps=1)  # the new copy exists in Outlook, the link still names the deleted one
    world.sync_until_quiet()
    assert len(world.outlook) == 1
    assert world.disagreements() == []


def test_copy_recreated_after_a_crash_carries_what_recruit_holds(world: World) -> None:
    key, graph_id = synced_event(world)
    world.outlook_user_edits(graph_id, {"subject": "Moved", "online_link": "https://meet/2"})
    world.sync(crash_after_steps=1)  # Recruit got the edit, the link still holds the old snapshot
    world.outlook_user_deletes(graph_id)
    world.sync_until_quiet()
    new_graph_id = world.recruit_rows[key].graph_id or ""
    assert world.outlook[new_graph_id].fields["online_link"] == "https://meet/2"
    assert world.disagreements() == []
