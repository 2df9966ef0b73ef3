"""Who may touch which mailbox: the bearer token check every `/v1.0` call goes through.

Delegated tokens reach their own mailbox only; app-only tokens reach every mailbox of their tenant.
"""

from __future__ import annotations

from starlette.requests import Request

from .errors import GraphError
from .store import CALENDAR, CONTACTS, Mailbox, Store
from .tokens import Grant, TokenRegistry

# Scopes that allow reading / writing each kind of resource.
READ_SCOPES = {
    CALENDAR: {"Calendars.Read", "Calendars.ReadWrite"},
    CONTACTS: {"Contacts.Read", "Contacts.ReadWrite"},
    "user": {"User.Read", "User.Read.All", "User.ReadBasic.All"},
}
WRITE_SCOPES = {CALENDAR: {"Calendars.ReadWrite"}, CONTACTS: {"Contacts.ReadWrite"}, "user": set()}


def invalid_token(message: str = "Access token validation failure. Invalid audience.") -> GraphError:
    return GraphError(401, "InvalidAuthenticationToken", message)


class AccessControl:
    def __init__(self, store: Store, tokens: TokenRegistry) -> None:
        self.store = store
        self.tokens = tokens

    def grant(self, request: Request) -> Grant:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise invalid_token("Access token is empty.")
        token = header[7:].strip()
        grant = self.tokens.lookup(token)
        if grant is None:
            if token in self.tokens.access:
                raise invalid_token("Lifetime validation failed, the token is expired.")
            raise invalid_token("IDX14100: JWT is not well formed.")
        return grant

    def mailbox_for(self, grant: Grant, user_ref: str | None) -> Mailbox:
        """The mailbox `/me` or `/users/{user_ref}` names, if this grant may reach it."""
        if user_ref is None:
            if grant.user_id is None:
                raise GraphError(
                    400, "BadRequest", "/me request is only valid with delegated authentication flow."
                )
            return self.store.mailboxes[grant.user_id]
        mailbox = self.store.mailbox(user_ref)
        if mailbox is None:
            raise GraphError(404, "ErrorInvalidUser", f"The requested user '{user_ref}' is invalid.")
        if mailbox.tenant_id != grant.tenant_id or (
            grant.user_id is not None and grant.user_id != mailbox.id
        ):
            raise invalid_token("Access token validation failure: the token does not cover this mailbox.")
        return mailbox

    def check(self, request: Request, kind: str, write: bool) -> Mailbox:
        grant = self.grant(request)
        mailbox = self.mailbox_for(grant, request.path_params.get("user"))
        self.require_scope(grant, kind, write)
        return mailbox

    @staticmethod
    def require_scope(grant: Grant, kind: str, write: bool) -> None:
        needed = WRITE_SCOPES[kind] if write else READ_SCOPES[kind]
        if needed and not needed & grant.scopes:
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
