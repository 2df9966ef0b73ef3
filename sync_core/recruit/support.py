"""What a Recruit server turned out not to support among the behaviours Recruit does not confirm (API-NOTES
"Unconfirmed for Recruit": `ids=` on lists, `If-Modified-Since`, `/deleted`), learnt from its answers.

The client asks once, notices a refusal or an ignored request, and from then on takes the fallback for the
life of the client (one sync pass), so a server without the feature costs one wasted call per pass at most.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

Feature = Literal["ids_param", "deleted_endpoint"]
# Codes an unknown route or parameter may be answered with; INVALID_MODULE is a real error, never a fallback.
UNSUPPORTED_STATUSES = frozenset({400, 404, 405})


@dataclass
class ServerSupport:
    ids_param: bool = True
    deleted_endpoint: bool = True

    def lacks(self, feature: Feature, why: str) -> None:
        if getattr(self, feature):
            log.info("Recruit does not support %s here (%s): falling back", feature, why)
        setattr(self, feature, False)
