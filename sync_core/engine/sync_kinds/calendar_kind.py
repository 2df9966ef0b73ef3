"""The calendar kind: Recruit Events and Interviews <-> events of the dedicated Outlook calendar.

Conversions live in `recruit.event_codec` and `graph.event_codec`; this class adds the policy and normalising.

Contract for the engine: some canonical fields are written together (`WRITE_GROUPS`). Pass `to_graph` and
`to_recruit` every field of a group when any of them changed (`CalendarKind.write_fields` completes a set of
changed names): the Graph body is rebuilt from description + participants (+ a recurrence Outlook cannot
express, kept in the body), and start/end/all_day only make sense together. `to_graph` raises
IncompleteFields when start comes without end, description without participants (or the reverse), or an
unsupported recurrence without the body's fields.

Recurring series. calendarView delta lists a series as its occurrences and exceptions, never the master; each
leads to its master (`syncs_through`), which the pass reads once (GET /events/{masterId}) and syncs as ONE
Recruit Event holding the master's fields and rule. The rule moves to the user's zone where the series'
zone has another date (`domain/recurrence_zones.py`); a series no rule can move is logged, not synced.

A single occurrence deleted or moved (or otherwise edited) in Outlook stays an Outlook-only change: the
Recruit Event keeps the series' rule, and nothing is written for it. Why: Recruit's Events API holds a
series only as `Recurring_Activity {RRULE}` (API-NOTES; no EXDATE, no per-occurrence records), so it cannot
leave out or move one date. A separate Recruit Event for a moved occurrence would stand beside the rule's own
occurrence at the old time (a duplicate the recruiter cannot tell apart), and an EXDATE Recruit may drop
would read back as a change every pass (a loop). Graph v1.0 does not even say which series a removed
occurrence belonged to (`cancelledOccurrences` is beta only). Edits to the whole series (title, times,
rule) and its deletion do reach Recruit; an edit of the series from Recruit rewrites the series in Outlook,
which, as in Outlook itself, resets its changed occurrences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from sync_core.config import Settings
from sync_core.domain.items import FieldValues, JsonValue, UnreadableItem
from sync_core.domain.policy import FieldRule, SyncPolicy
from sync_core.domain.recurrence import UnsupportedRecurrence, canonical_rule
from sync_core.domain.recurrence_zones import move_rule
from sync_core.engine.sync_kinds.kind_base import EPOCH, ContainerCalls, KindBase
from sync_core.engine.sync_kinds.kinds import KindContext, KindName, Window
from sync_core.graph import containers
from sync_core.graph import event_codec as graph_codec
from sync_core.graph.client import GraphClient
from sync_core.graph.delta import DeltaRound, calendar_delta
from sync_core.graph.paths import ItemKind
from sync_core.graph.subscriptions import calendar_resource
from sync_core.recruit import event_codec as recruit_codec
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.event_codec import DEFAULT_OWNER_FIELDS, EVENTS, INTERVIEWS
from sync_core.recruit.field_limits import field_lengths, fit_payload

_EVENTS_ONLY = frozenset({EVENTS})
WRITE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"start", "end", "all_day"}),
    frozenset({"description", "participants", "recurrence"}),
)
# What to_graph refuses to split: half of either pair would garble the times or the body.
_REQUIRED_PAIRS = (frozenset({"start", "end"}), frozenset({"description", "participants"}))
# Graph types that never sync on their own: occurrences and exceptions follow their series master.
_SERIES_MEMBERS = frozenset({"occurrence", "exception"})


class UnrepeatableSeries(UnreadableItem):
    """An Outlook series whose days no rule repeats the same way in the user's zone: left out (and logged),
    since one Recruit instance or shifted days would be wrong times, and a write back could flatten it."""


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
            recruit_lengths={module: self._lengths(module, ctx) for module in self.recruit_modules},
        )

    @staticmethod
    def _lengths(module: str, ctx: KindContext) -> dict[str, int]:
        """canonical name -> Recruit's length, for the module's text fields whose metadata states one."""
        lengths = field_lengths(ctx.recruit_fields.get(module, ()))
        return {
            name: lengths[api] for name, api in recruit_codec.text_fields(module).items() if api in lengths
        }

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

    def syncs_through(self, item: Mapping[str, Any]) -> str | None:
        """Occurrences and exceptions lead to their series master: a series is one Recruit Event."""
        master = item.get("seriesMasterId")
        return str(master) if master and item.get("type") in _SERIES_MEMBERS else None

    def listed_through_members(self, snapshot: Mapping[str, Any]) -> bool:
        return bool(snapshot.get("recurrence"))

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
        rule, start = str(fields.get("recurrence") or ""), fields.get("start")
        series_zone = graph_codec.series_zone(item)
        if rule and item.get("recurrence") and isinstance(start, datetime) and series_zone:
            # Outlook repeats the series in its own zone, Recruit in the user's: the days move with the date.
            try:
                rule = move_rule(rule, start, series_zone, ctx.time_zone)
            except UnsupportedRecurrence as error:
                raise UnrepeatableSeries(
                    f"the series repeats on days that fall on other dates in {ctx.time_zone}: {error}"
                ) from error
        fields["recurrence"] = canonical_recurrence(rule, start, ctx.time_zone)
        return fields

    def to_recruit(self, module: str, fields: FieldValues, ctx: KindContext) -> dict[str, Any]:
        return self._fitted(module, fields, ctx)[0]

    async def prepare_recruit(
        self, module: str, fields: FieldValues, ctx: KindContext, recruit: RecruitClient
    ) -> tuple[dict[str, Any], list[str]]:
        """Events and Interviews need no lookup: the `to_recruit` payload, and a note per text shortened."""
        return self._fitted(module, fields, ctx)

    def _fitted(self, module: str, fields: FieldValues, ctx: KindContext) -> tuple[dict[str, Any], list[str]]:
        """The payload with each text cut to Recruit's length for its field, and a note per cut."""
        allowed = set(self.policy(ctx).recruit_writable(module))
        payload = recruit_codec.write_record(
            module, {name: value for name, value in fields.items() if name in allowed}, ctx.time_zone
        )
        labels = {api: name.capitalize() for name, api in recruit_codec.text_fields(module).items()}
        return fit_payload(payload, field_lengths(ctx.recruit_fields.get(module, ())), labels)

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

    def left_out_reason(self, module: str, record: Mapping[str, Any], now: datetime) -> str:
        """Past the cap, an event that ended before the delta window's start is "ended too long ago": it
        would sit outside every fresh round of the calendar's delta."""
        end = recruit_codec.end_instant(module, record) or EPOCH
        return "ended_too_long_ago" if end < self.delta_window(now)[0] else "over_cap"

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
