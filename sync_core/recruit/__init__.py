"""Zoho Recruit v2 I/O: the async client, OAuth, errors, and the pure import-eligibility rule.

Nothing outside this package speaks Recruit's paths or JSON shapes.
"""

from .client import RecruitClient
from .errors import (
    InvalidToken,
    LimitExceeded,
    NotFound,
    RateLimited,
    RecordResult,
    RecruitError,
    ScopeMismatch,
    UntrustedAccountsServer,
)
from .models import DeletedRecord, FieldMeta, RecruitOrg, RecruitUser, WatchChannel
from .oauth import RecruitTokens, api_base_for, authorize_url, exchange_code, refresh, trusted_accounts_server
from .tokens import InMemoryTokenSource, TokenSource

__all__ = [
    "DeletedRecord",
    "FieldMeta",
    "InMemoryTokenSource",
    "InvalidToken",
    "LimitExceeded",
    "NotFound",
    "RateLimited",
    "RecordResult",
    "RecruitClient",
    "RecruitError",
    "RecruitOrg",
    "RecruitTokens",
    "RecruitUser",
    "ScopeMismatch",
    "TokenSource",
    "UntrustedAccountsServer",
    "WatchChannel",
    "api_base_for",
    "authorize_url",
    "exchange_code",
    "refresh",
    "trusted_accounts_server",
]
