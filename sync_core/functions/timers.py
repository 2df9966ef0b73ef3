"""The timers: every 5 minutes renewals (subscriptions, channels, safety sweeps), hourly key rotation.

The work is in sync_core/engine/sync_lifecycle/renewals.py and key_rotation.py; this only binds it to the
schedules.
"""

from __future__ import annotations

import azure.functions as func

bp = func.Blueprint()

RENEWAL_SCHEDULE = "0 */5 * * * *"  # NCRONTAB with seconds: at second 0 of every fifth minute


@bp.timer_trigger(arg_name="timer", schedule=RENEWAL_SCHEDULE, run_on_startup=False)
async def renewals(timer: func.TimerRequest) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_kinds.registry import kind_for
    from sync_core.engine.sync_lifecycle.renewals import run_renewals

    ctx = get_context()
    await run_renewals(ctx, lambda name: kind_for(name, ctx.settings))


KEY_ROTATION_SCHEDULE = "0 17 * * * *"  # hourly: rows sealed under an old key are resealed and counted


@bp.timer_trigger(arg_name="timer", schedule=KEY_ROTATION_SCHEDULE, run_on_startup=False)
async def key_rotation(timer: func.TimerRequest) -> None:
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.key_rotation import reencrypt_secrets

    await reencrypt_secrets(get_context())
