"""The calendar kind: Recruit Events and Interviews <-> events of the dedicated Outlook calendar.

Conversions live in `recruit.event_codec` and `graph.event_codec`; this class adds the policy and normalising.

Contract for the engine: some canonical fields are written together (`WRITE_GROUPS`). Pass `to_graph` and
`to_recruit` every field of a group when any of them changed (`CalendarKind.write_fields` completes a set of
changed names): the Graph body is rebuilt from description + participants (+ a recurrence Outlook cannot
express, kept in the body), and start/end/all_day only make sense together. `to_graph` raises
IncompleteFields when start comes without end, description without participants (or the reverse), or an
unsupported recurrence without the body's fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from sync_core.config import Settings
from sync_core.domain.items import FieldValues, JsonValue
from sync_core.domain.policy import FieldRule, SyncPolicy
from sync_core.domain.recurrence import canonical_rule
from sync_core.engine.kind_base import EPOCH, ContainerCalls, KindBase
from sync_core.engine.kinds import KindContext, KindName, Window
from sync_core.graph import containers
from sync_core.graph import event_codec as graph_codec
from sync_core.graph.client import GraphClient
from sync_core.graph.delta import DeltaRound, calendar_delta
from sync_core.graph.paths import ItemKind
from sync_core.graph.subscriptions import calendar_resource
from sync_core.recruit import event_codec as recruit_codec
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.event_codec import DEFAULT_OWNER_FIELDS, EVENTS, INTERVIEWS

_EVENTS_ONLY = frozenset({EVENTS})
WRITE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"start", "end", "all_day"}),
    frozenset({"description", "participants", "recurrence"}),
)
# What to_graph refuses to split: half of either pair would garble the times or the body.
_REQUIRED_PAIRS = (frozenset({"start", "end"}), frozenset({"description", "participants"}))
# Graph types that never sync on their own: occurrences and exceptions follow their series master.
_SERIES_MEMBERS = frozenset({"occurrence", "exception"})


class IncompleteFields(ValueError):
    """`to_graph` was given half of a pair it needs whole (see the module docstring)."""


def canonical_recurrence(rule: str | None, start: JsonValue, time_zone: str) -> str | None:
    """One spelling per rule, whichever side it came from (see `recurrence.canonical_rule`)."""
    first = start if isinstance(start, date) else None
    return canonical_rule(rule, first, time_zone)


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


class CalendarKind(KindBase):
    """`SyncKind` for the calendar. Build with `CalendarKind(settings)`."""

    name: KindName = "calendar"
    graph_item_kind: ItemKind = "event"
    recruit_modules: tuple[str, ...] = (EVENTS, INTERVIEWS)
    watch_events: tuple[str, ...] = ("Events.all", "Interviews.all")
    container_deleted_message: str = (
        "The 'Zoho Recruit' calendar was deleted in Outlook, so sync was turned off. Enable to start again."
    )
    container_noun: str = "calendar"
    write_groups: ClassVar[tuple[frozenset[str], ...]] = WRITE_GROUPS
    container_calls = ContainerCalls(
        containers.find_or_create_calendar, containers.calendar_exists, containers.delete_calendar
    )

    # --- policy and names ---

    def container_name(self, settings: Settings) -> str:
        return settings.calendar_name

    def initial_cap(self) -> int:
        return self.settings.initial_events_cap

    def policy(self, ctx: KindContext) -> SyncPolicy:
        return SyncPolicy(
            fields=(
                FieldRule("title"),
                FieldRule("start"),
                FieldRule("end"),
                FieldRule("all_day", modules=_EVENTS_ONLY),
                FieldRule("location"),
                FieldRule("description"),
                FieldRule("reminder_minutes", modules=_EVENTS_ONLY),
                FieldRule("recurrence", modules=_EVENTS_ONLY),
                FieldRule("participants", direction="to_graph"),
            ),
            create_module=EVENTS,
            never_delete_modules=frozenset({INTERVIEWS}),
        )

    def title(self, fields: FieldValues) -> str:
        return str(fields.get("title") or "").strip() or "(no title)"

    # --- subscription, delta and its window ---

    def subscription_resource(self, mailbox: str, container_id: str) -> str:
        return calendar_resource(mailbox, container_id)

    def delta_window(self, now: datetime) -> Window:
        return (
            now - timedelta(days=self.settings.delta_window_past_days),
            now + timedelta(days=self.settings.delta_window_future_days),
        )

    async def delta(
        self, graph: GraphClient, mailbox: str, container_id: str, delta_link: str | None, now: datetime
    ) -> DeltaRound:
        window_start, window_end = self.delta_window(now)
        return await calendar_delta(graph, mailbox, container_id, window_start, window_end, delta_link)

    def listed_ids(self, item: Mapping[str, Any]) -> tuple[str, ...]:
        # A calendar view lists a series as its occurrences: the master exists when one of them is listed.
        master = item.get("seriesMasterId")
        return (str(item["id"]), str(master)) if master else (str(item["id"]),)

    def expected_in_round(self, snapshot: Mapping[str, Any], window: Window | None) -> bool:
        """Whether the agreed times overlap the window. A series (its later occurrences may reach in) and
        unreadable times count as in: a GET decides."""
        if window is None or snapshot.get("recurrence"):
            return True
        start, end = _instant(snapshot.get("start")), _instant(snapshot.get("end"))
        if start is None or end is None:
            return True
        # A day's slack either side: all-day dates are wall-clock days in an unknown zone.
        return start <= window[1] + timedelta(days=1) and end >= window[0] - timedelta(days=1)

    # --- conversions ---

    def owner_field(self, module: str) -> str:
        return DEFAULT_OWNER_FIELDS[module]

    def recruit_values(
        self, module: str, record: Mapping[str, Any], ctx: KindContext
    ) -> dict[str, JsonValue]:
        fields = recruit_codec.read_record(module, record)
        if module == EVENTS:
            fields["recurrence"] = canonical_recurrence(
                str(fields.get("recurrence") or ""), fields.get("start"), ctx.time_zone
            )
        return fields

    def graph_values(self, item: Mapping[str, Any], ctx: KindContext) -> dict[str, JsonValue] | None:
        if item.get("type") in _SERIES_MEMBERS:
            return None
        fields = graph_codec.read_event(item)
        fields["recurrence"] = canonical_recurrence(
            str(fields.get("recurrence") or ""), fields.get("start"), ctx.time_zone
        )
        return fields

    def to_recruit(self, module: str, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        allowed = set(self.policy(ctx).recruit_writable(module))
        return recruit_codec.write_record(
            module, {name: value for name, value in fields.items() if name in allowed}, ctx.time_zone
        )

    async def prepare_recruit(
        self, module: str, fields: FieldValues, ctx: KindContext, recruit: RecruitClient
    ) -> tuple[dict[str, Any], list[str]]:
        """Events and Interviews need no lookup: the `to_recruit` payload, no notes."""
        return self.to_recruit(module, fields, ctx), []

    def to_graph(self, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        for pair in _REQUIRED_PAIRS:
            if len(pair & set(fields)) == 1:
                raise IncompleteFields(
                    f"to_graph needs {sorted(pair)} together, got only {sorted(pair & set(fields))}"
                )
        body = graph_codec.write_event(fields, ctx.time_zone)
        if fields.get("recurrence") and body.get("recurrence") is None and "body" not in body:
            # The rule Outlook cannot express is kept in the body, which needs description and participants.
            raise IncompleteFields(
                "an unsupported recurrence needs description and participants to be written"
            )
        return body

    # --- initial sync ---

    def initial_selection(
        self, records: Sequence[tuple[str, Mapping[str, Any]]], now: datetime, cap: int
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """Future (not yet ended) records soonest first, then past ones most recently ended first."""
        future: list[tuple[datetime, tuple[str, Mapping[str, Any]]]] = []
        past: list[tuple[datetime, tuple[str, Mapping[str, Any]]]] = []
        for module, record in records:
            end = recruit_codec.end_instant(module, record) or EPOCH
            if end >= now:
                future.append((recruit_codec.start_instant(module, record) or end, (module, record)))
            else:
                past.append((end, (module, record)))
        future.sort(key=lambda pair: pair[0])
        past.sort(key=lambda pair: pair[0], reverse=True)
        return [pair for _, pair in future + past][: max(0, cap)]
