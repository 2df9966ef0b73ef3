"""Which stored rows still hold a secret sealed under a key other than the encrypting one.

Every encrypted property ends in `_enc` and its value starts with its key id (store/crypto.py); a long value
is split over numbered properties, the first keeping the name, so the key id is read without decrypting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .clients import StorageContext, TableName
from .crypto import SecretBox

# The tables whose rows hold secrets that outlive a key rotation (oauth rows expire within 10 minutes).
ROTATED_TABLES: tuple[TableName, ...] = ("connections", "syncstate")


@dataclass
class StaleRows:
    """Rows (PartitionKey, RowKey) per table holding a value under an old key, and the old keys' counts."""

    rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    old_keys: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


async def find_stale_rows(storage: StorageContext, secrets: SecretBox) -> StaleRows:
    stale = StaleRows()
    current = secrets.current_key_id
    for name in ROTATED_TABLES:
        table = await storage.table(name)
        found: list[tuple[str, str]] = []
        async for entity in table.list_entities():
            old = {
                SecretBox.key_id_of(value)
                for prop, value in entity.items()
                if prop.endswith("_enc")
                and isinstance(value, str)
                and value
                and SecretBox.key_id_of(value) != current
            }
            if old:
                found.append((str(entity["PartitionKey"]), str(entity["RowKey"])))
                stale.old_keys.update(old)
        stale.rows[name] = found
    return stale
