"""What a Recruit server turned out not to support among the behaviours Recruit does not confirm (API-NOTES
"Unconfirmed for Recruit": `ids=` on lists, `If-Modified-Since`, `/deleted`), learnt from its answers.

The client asks, notices a refusal or an ignored request, and takes the fallback from then on. The engine
shares one `ServerSupport` per org across passes (`SupportRegistry`), so a server without the feature costs
one wasted call per org and `RECHECK_SECONDS`, not one per pass; after that it is asked again, in case a
one-off refusal was taken for a missing feature.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

log = logging.getLogger(__name__)

Feature = Literal["ids_param", "deleted_endpoint"]
# Codes an unknown route or parameter may be answered with; INVALID_MODULE is a real error, never a fallback.
UNSUPPORTED_STATUSES = frozenset({400, 404, 405})
RECHECK_SECONDS = 3600.0


@dataclass
class ServerSupport:
    clock: Callable[[], float] = time.monotonic
    _lacking_since: dict[Feature, float] = field(default_factory=dict)

    @property
    def ids_param(self) -> bool:
        return self._has("ids_param")

    @property
    def deleted_endpoint(self) -> bool:
        return self._has("deleted_endpoint")

    def _has(self, feature: Feature) -> bool:
        since = self._lacking_since.get(feature)
        if since is None:
            return True
        if self.clock() - since >= RECHECK_SECONDS:
            del self._lacking_since[feature]
            return True
        return False

    def lacks(self, feature: Feature, why: str) -> None:
        if feature not in self._lacking_since:
            log.info("Recruit does not support %s here (%s): falling back", feature, why)
        self._lacking_since[feature] = self.clock()


@dataclass
class SupportRegistry:
    """One `ServerSupport` per key (the org: every user of an org reaches the same Recruit server)."""

    _by_key: dict[str, ServerSupport] = field(default_factory=dict)

    def for_key(self, key: str) -> ServerSupport:
        return self._by_key.setdefault(key, ServerSupport())
