"""In Azure there is no storage connection string: StorageContext reaches the account named by
AzureWebJobsStorage__accountName with DefaultAzureCredential (the managed identity). No call reaches Azure."""

from __future__ import annotations

import pytest
from azure.identity.aio import DefaultAzureCredential

from sync_core.config import Settings
from sync_core.store.clients import StorageContext

AZURITE = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
)


async def test_an_account_name_alone_uses_the_managed_identity_on_the_accounts_endpoints() -> None:
    async with StorageContext(
        Settings(storage_connection_string="", storage_account_name="stzrsync")
    ) as storage:
        assert isinstance(storage.tables.credential, DefaultAzureCredential)
        assert isinstance(storage.queues.credential, DefaultAzureCredential)
        assert storage.tables.url.rstrip("/") == "https://stzrsync.table.core.windows.net"
        assert storage.queues.url.rstrip("/") == "https://stzrsync.queue.core.windows.net"
        # The clients for single tables and queues inherit the identity (no shared key anywhere).
        assert storage.tables.get_table_client("links").credential is storage.tables.credential
        assert storage.queues.get_queue_client("sync-requests").credential is storage.queues.credential


def test_the_account_name_is_read_from_the_setting_azure_functions_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AzureWebJobsStorage", raising=False)
    monkeypatch.setenv("AzureWebJobsStorage__accountName", "stzrsync")
    settings = Settings()
    assert (settings.storage_connection_string, settings.storage_account_name) == ("", "stzrsync")


async def test_a_connection_string_wins_and_needs_no_credential() -> None:
    settings = Settings(storage_connection_string=AZURITE, storage_account_name="stzrsync")
    async with StorageContext(settings) as storage:
        assert not isinstance(storage.tables.credential, DefaultAzureCredential)
        assert storage.tables.url.startswith("http://127.0.0.1:10002/devstoreaccount1")


def test_neither_setting_is_an_error_naming_both() -> None:
    with pytest.raises(ValueError, match="AzureWebJobsStorage__accountName"):
        StorageContext(Settings(storage_connection_string="", storage_account_name=""))
