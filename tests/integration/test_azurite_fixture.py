"""The session's Azurite answers Table and Queue calls."""

from azure.data.tables.aio import TableServiceClient
from azure.storage.queue.aio import QueueServiceClient


async def test_azurite_serves_tables_and_queues(storage_connection_string: str, table_prefix: str) -> None:
    async with TableServiceClient.from_connection_string(storage_connection_string) as tables:
        table = await tables.create_table(f"{table_prefix}probe")
        await table.upsert_entity({"PartitionKey": "p", "RowKey": "r", "value": 1})
        assert (await table.get_entity("p", "r"))["value"] == 1
    async with QueueServiceClient.from_connection_string(storage_connection_string) as queues:
        queue = queues.get_queue_client(f"{table_prefix}-probe")
        await queue.create_queue()
        await queue.send_message("hello")
        messages = [m async for m in queue.receive_messages()]
        assert [m.content for m in messages] == ["hello"]
