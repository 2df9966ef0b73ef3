"""Every setting of the product, in one place, read from the environment (app settings in Azure).

Names are the environment variable names (case-insensitive). The README lists them; infra/ wires them.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    # --- Storage (Tables and Queues) ---
    storage_connection_string: str = Field(
        default="",
        validation_alias=AliasChoices("AzureWebJobsStorage", "storage_connection_string"),
        description="Tables and Queues connection string; empty in Azure (managed identity).",
    )
    storage_account_name: str = Field(
        default="",
        validation_alias=AliasChoices("AzureWebJobsStorage__accountName", "storage_account_name"),
        description="Storage account used with DefaultAzureCredential when there is no connection string.",
    )
    table_prefix: str = Field(
        default="",
        description="Prefix of every table name (letters and digits), so several stacks share one account.",
    )
    queue_sync_requests: str = Field(default="sync-requests", description="Queue of sync pass requests.")
    queue_lifecycle: str = Field(default="lifecycle", description="Queue of enable/disable/teardown steps.")

    # --- Secrets at rest ---
    token_encryption_keys: str = Field(
        default="",
        description=(
            "`key_id:base64(32 bytes)` AES-GCM keys, comma-separated; all decrypt, the current one encrypts."
        ),
    )
    token_encryption_current_key: str = Field(
        default="",
        description="Id of the key in TOKEN_ENCRYPTION_KEYS that encrypts; empty means the first. Rotate by "
        "appending a key everywhere first, then naming it here.",
    )
    session_secret: str = Field(
        default="",
        description="HMAC key signing the Manage page session cookie: at least 32 characters when set.",
    )

    @field_validator("session_secret")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        # A short HMAC key can be guessed offline from one signed cookie.
        if value and len(value) < 32:
            raise ValueError("SESSION_SECRET must be at least 32 characters")
        return value

    # --- Public address of this app (webhook URLs, OAuth redirect URIs) ---
    public_base_url: str = Field(
        default="http://127.0.0.1:7071",
        description="Base URL at which Graph, Zoho and browsers reach this app.",
    )

    # --- Microsoft Graph and identity ---
    graph_api_base_url: str = Field(default="https://graph.microsoft.com/v1.0", description="Graph API root.")
    microsoft_authority_host: str = Field(
        default="login.microsoftonline.com", description="Microsoft identity host (host[:port], https)."
    )
    microsoft_ca_file: str = Field(
        default="", description="CA bundle for the identity host; empty means the system CAs (Azure)."
    )
    microsoft_client_id: str = Field(default="", description="Entra app registration (client) id.")
    microsoft_client_secret: str = Field(default="", description="Entra app client secret.")
    microsoft_extended_property_id: str = Field(
        default="String {4f1d3c52-8a0e-4b8e-9d7c-2f6a1e5b9c31} Name ZohoRecruitId",
        description="The one named extended property that tags every item the product creates.",
    )

    # --- Zoho Recruit ---
    zoho_accounts_url: str = Field(default="https://accounts.zoho.com", description="Zoho accounts server.")
    zoho_api_base_url: str = Field(
        default="https://recruit.zoho.com/recruit/v2", description="Default Recruit API root (data centre)."
    )
    zoho_client_id: str = Field(default="", description="Zoho API client id.")
    zoho_client_secret: str = Field(default="", description="Zoho API client secret.")
    zoho_scopes: str = Field(
        default=(
            "ZohoRecruit.modules.event.ALL,ZohoRecruit.modules.interview.ALL,ZohoRecruit.modules.contact.ALL,"
            "ZohoRecruit.settings.READ,ZohoRecruit.users.READ,ZohoRecruit.search.READ,ZohoRecruit.org.READ"
        ),
        description="Scopes asked at Sign in with Zoho: modules synced, field metadata, users, search, org.",
    )
    zoho_notifications_scope: str = Field(
        default=(
            "ZohoRecruit.notifications.READ,ZohoRecruit.notifications.CREATE,"
            "ZohoRecruit.notifications.UPDATE,ZohoRecruit.notifications.DELETE"
        ),
        description="Scope(s) for watch channels, comma-separated (exact form unconfirmed).",
    )
    zoho_local_data_centres: str = Field(
        default="",
        description="Local stacks only: `accounts_url=api_base` pairs, comma-separated, trusted like Zoho's "
        "data centres (the Recruit emulator plays one per port).",
    )

    # --- Product rules ---
    calendar_name: str = Field(default="Zoho Recruit", description="Name of the dedicated Outlook calendar.")
    contact_folder_name: str = Field(
        default="Zoho Recruit Contacts", description="Name of the dedicated Outlook contact folder."
    )
    initial_events_cap: int = Field(default=5000, ge=0, description="Most events copied by an initial sync.")
    initial_contacts_cap: int = Field(
        default=10000, ge=0, description="Most contacts copied by an initial sync."
    )
    delta_window_past_days: int = Field(default=365, ge=1, description="Calendar delta window, days back.")
    delta_window_future_days: int = Field(
        default=1095, ge=1, description="Calendar delta window, days ahead."
    )
    import_batch_min: int = Field(
        default=20,
        ge=2,
        description="A record made in the same second by the same creator as this many others is an import.",
    )
    sso_tenants: str = Field(
        default="",
        description="`recruit_org_id=tenant_id` pairs, comma-separated: orgs whose tenant gave admin consent",
    )
    import_sources: str = Field(
        default="Import,Migration", description="Comma-separated `Source` values that mark imported records."
    )
    participants_as_attendees: bool = Field(
        default=False, description="Write Recruit participants as Graph attendees (sends invitations!)."
    )

    # --- Telemetry ---
    applicationinsights_connection_string: str = Field(
        default="",
        description="Application Insights connection string: sync pass spans and counters; empty sends none.",
    )

    # --- Engine tuning ---
    subscription_lifetime_minutes: int = Field(
        default=4230, ge=45, le=4230, description="Graph subscription life."
    )
    channel_lifetime_hours: int = Field(default=24, ge=1, le=24, description="Recruit watch channel life.")
    renew_before_minutes: int = Field(
        default=720, ge=5, description="Renew subscriptions/channels this early."
    )
    lease_seconds: int = Field(
        default=300, ge=10, description="How long a sync pass lease lasts unless renewed."
    )
    graph_max_concurrency: int = Field(
        default=4, ge=1, le=4, description="Graph requests in flight per mailbox."
    )
    initial_sync_chunk: int = Field(
        default=200, ge=1, description="Items one initial-sync invocation copies."
    )
    recruit_sweep_minutes: int = Field(
        default=15,
        ge=1,
        description="Most minutes between Recruit modified-since and deleted sweeps per connection: a lost "
        "callback is caught within this (plus the 5-minute timer); passes in between read only named ids.",
    )
    recruit_daily_credit_budget: int = Field(
        default=5000,
        ge=0,
        description="Recruit API credits the product may spend per org per UTC day; from 80 % of it sweeps "
        "come 4 times less often. 0: no budget.",
    )

    def sso_tenant_of(self, org_id: str) -> str | None:
        """The Microsoft tenant an organisation connected with admin consent, if any."""
        for item in self.sso_tenants.split(","):
            org, sep, tenant = item.strip().partition("=")
            if sep and org == org_id and tenant:
                return tenant
        return None

    def encryption_keys(self) -> list[tuple[str, str]]:
        """The configured keys as (key id, base64 key) pairs, the encrypting key first."""
        pairs: list[tuple[str, str]] = []
        for item in self.token_encryption_keys.split(","):
            item = item.strip()
            if not item:
                continue
            key_id, sep, key = item.partition(":")
            if not sep or not key_id or not key:
                raise ValueError("TOKEN_ENCRYPTION_KEYS entries must look like `key_id:base64key`")
            pairs.append((key_id, key))
        return pairs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
