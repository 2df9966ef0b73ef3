"""The renewal timer: every 5 minutes, keep subscriptions and channels alive and queue safety sweeps.

The work is in sync_core/engine/renewals.py; this only binds it to the schedule.
"""

from __future__ import annotations

import azure.functions as func

bp = func.Blueprint()

RENEWAL_SCHEDULE = "0 */5 * * * *"  # NCRONTAB with seconds: at second 0 of every fifth minute


@bp.timer_trigger(arg_name="timer", schedule=RENEWAL_SCHEDULE, run_on_startup=False)
async def renewals(timer: func.TimerRequest) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.registry import kind_for
    from sync_core.engine.renewals import run_renewals

    ctx = get_context()
    await run_renewals(ctx, lambda name: kind_for(name, ctx.settings))
