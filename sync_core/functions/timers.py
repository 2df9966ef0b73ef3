"""The renewal timer: every 5 minutes, keep subscriptions and channels alive and queue safety sweeps.

The work is in sync_core/engine/renewals.py; this only binds it to the schedule.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

import azure.functions as func

if TYPE_CHECKING:
    from sync_core.engine.kinds import SyncKind

bp = func.Blueprint()

RENEWAL_SCHEDULE = "0 */5 * * * *"  # NCRONTAB with seconds: at second 0 of every fifth minute


def kind_for(name: str) -> SyncKind:
    # The registry lives with the engine's lifecycle code; looked up at run time so this module loads alone.
    registry = importlib.import_module("sync_core.engine.registry")
    return cast("SyncKind", registry.kind_for(name))


@bp.timer_trigger(arg_name="timer", schedule=RENEWAL_SCHEDULE, run_on_startup=False)
async def renewals(timer: func.TimerRequest) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.renewals import run_renewals

    await run_renewals(get_context(), kind_for)
