"""Key rotation's last step: re-encrypt rows still sealed under an old key, and say how many remain.

Run by a timer; once it reports 0 remaining the old key can be dropped from TOKEN_ENCRYPTION_KEYS knowingly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import UnknownKind, parse_kind
from sync_core.store import keys
from sync_core.store.connections import ConnectionKey
from sync_core.store.rotation import find_stale_rows
from sync_core.store.syncstate import SyncState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationReport:
    current_key: str
    resealed: int
    remaining: int
    old_keys: dict[str, int] = field(default_factory=dict)


def _rewrite(state: SyncState) -> SyncState:
    return state.model_copy()  # written back as is: its secrets are sealed under the current key


async def reencrypt_secrets(ctx: EngineContext) -> RotationReport:
    """Reseals every connections and syncstate row holding a secret under an old key."""
    stale = await find_stale_rows(ctx.storage, ctx.secrets)
    resealed = 0
    for partition, row in stale.rows.get("connections", []):
        key = await ctx.connections.key_at(partition, row)
        if key is not None:
            resealed += await ctx.connections.reseal(key)
    for partition, row in stale.rows.get("syncstate", []):
        try:
            kind = parse_kind(row)
        except UnknownKind as error:
            # Not a row this app writes: left as it is, so it stays counted in `remaining` below.
            log.error("key rotation: syncstate row %r of %r not resealed: %s", row, partition, error)
            continue
        await ctx.syncstate.modify(ConnectionKey.parse(keys.unescape(partition)), kind, _rewrite)
        resealed += 1
    after = await find_stale_rows(ctx.storage, ctx.secrets)
    report = RotationReport(ctx.secrets.current_key_id, resealed, after.total, dict(after.old_keys))
    log.info(
        "key rotation: %d rows resealed under %s, %d still on old keys %s",
        report.resealed,
        report.current_key,
        report.remaining,
        report.old_keys or "{}",
    )
    return report
