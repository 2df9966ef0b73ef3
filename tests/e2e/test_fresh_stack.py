"""Each end-to-end test starts from empty product storage and seeded emulators."""

import httpx
import pytest
from azure.data.tables import TableServiceClient

from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e


def _rows(stack: Stack) -> int:
    with TableServiceClient.from_connection_string(stack.env["AzureWebJobsStorage"]) as tables:
        prefix = stack.env["TABLE_PREFIX"]
        return sum(
            len(list(tables.get_table_client(t.name).list_entities()))
            for t in tables.list_tables()
            if t.name.startswith(prefix)
        )


def test_fresh_stack_empties_what_the_previous_test_stored(stack: Stack) -> None:
    with TableServiceClient.from_connection_string(stack.env["AzureWebJobsStorage"]) as tables:
        table = tables.create_table_if_not_exists(f"{stack.env['TABLE_PREFIX']}leftover")
        table.upsert_entity({"PartitionKey": "p", "RowKey": "r"})
    assert _rows(stack) >= 1


def test_fresh_stack_starts_empty_and_healthy(fresh_stack: Stack) -> None:
    assert _rows(fresh_stack) == 0
    assert httpx.get(fresh_stack.url("/api/health")).status_code == 200
