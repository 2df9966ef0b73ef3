"""msgraph-sdk against the emulator, authenticated by azure-identity over the https listener: the SDK must
parse every answer (containers, events and contacts with the extended property, both deltas, subscriptions).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from azure.identity.aio import ClientSecretCredential
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_serialization_json.json_parse_node_factory import JsonParseNodeFactory
from msgraph import GraphServiceClient
from msgraph.generated.models.calendar import Calendar
from msgraph.generated.models.contact import Contact
from msgraph.generated.models.contact_folder import ContactFolder
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.event import Event
from msgraph.generated.models.event_collection_response import EventCollectionResponse
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.single_value_legacy_extended_property import SingleValueLegacyExtendedProperty
from msgraph.generated.models.subscription import Subscription
from msgraph.generated.users.item.calendars.item.calendar_view.delta.delta_request_builder import (
    DeltaRequestBuilder as CalendarDelta,
)
from msgraph.generated.users.item.events.events_request_builder import EventsRequestBuilder
from msgraph.generated.users.item.events.item.event_item_request_builder import EventItemRequestBuilder
from msgraph.graph_request_adapter import GraphRequestAdapter

from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.webhook_receiver import Receiver

from .conftest import ALICE, TAG_ID

SCOPES = ["https://graph.microsoft.com/.default"]


@pytest.fixture
async def sdk(graph: GraphEmulatorHandle) -> AsyncIterator[GraphServiceClient]:
    credential = ClientSecretCredential(
        graph.user(ALICE)["tenant_id"], "local-graph-client", "local-graph-secret",
        authority=graph.tls_base_url.removeprefix("https://"),
        disable_instance_discovery=True, connection_verify=str(graph.ca_file),
    )  # fmt: skip
    adapter = GraphRequestAdapter(AzureIdentityAuthenticationProvider(credential, scopes=SCOPES))
    adapter.base_url = f"{graph.base_url}/v1.0"
    yield GraphServiceClient(request_adapter=adapter)
    await credential.close()


def _event(subject: str, day: int, tag: str | None = None) -> Event:
    props = [SingleValueLegacyExtendedProperty(id=TAG_ID, value=tag)] if tag else None
    return Event(
        subject=subject,
        body=ItemBody(content="Candidate: Jo", content_type=None),
        start=DateTimeTimeZone(date_time=f"2026-12-{day:02d}T10:00:00", time_zone="UTC"),
        end=DateTimeTimeZone(date_time=f"2026-12-{day:02d}T11:00:00", time_zone="UTC"),
        transaction_id=f"tx-{subject}",
        single_value_extended_properties=props,
    )


def _user(sdk: GraphServiceClient, graph: GraphEmulatorHandle) -> Any:
    return sdk.users.by_user_id(graph.user(ALICE)["id"])


async def test_sdk_creates_gets_lists_and_deletes_a_calendar(
    sdk: GraphServiceClient, graph: GraphEmulatorHandle
) -> None:
    user = _user(sdk, graph)
    calendar = await user.calendars.post(Calendar(name="Zoho Recruit"))
    assert calendar is not None and calendar.id
    listed = await user.calendars.get()
    assert listed is not None and {c.name for c in listed.value or []} == {"Calendar", "Zoho Recruit"}
    await user.calendars.by_calendar_id(calendar.id).delete()
    with pytest.raises(ODataError) as gone:
        await user.calendars.by_calendar_id(calendar.id).get()
    assert gone.value.response_status_code == 404
    assert gone.value.error is not None and gone.value.error.code == "ErrorItemNotFound"


async def test_sdk_event_crud_with_the_extended_property(
    sdk: GraphServiceClient, graph: GraphEmulatorHandle
) -> None:
    user = _user(sdk, graph)
    created = await user.events.post(_event("Interview", 10, tag="Interviews:7"))
    assert created is not None and created.id and created.type is not None
    expand = RequestConfiguration(
        query_parameters=EventItemRequestBuilder.EventItemRequestBuilderGetQueryParameters(
            expand=[f"singleValueExtendedProperties($filter=id eq '{TAG_ID}')"]
        )
    )
    fetched = await user.events.by_event_id(created.id).get(request_configuration=expand)
    assert fetched is not None and fetched.single_value_extended_properties
    assert fetched.single_value_extended_properties[0].value == "Interviews:7"
    any_tag = f"singleValueExtendedProperties/Any(ep: ep/id eq '{TAG_ID}' and ep/value eq 'Interviews:7')"
    search = RequestConfiguration(
        query_parameters=EventsRequestBuilder.EventsRequestBuilderGetQueryParameters(filter=any_tag)
    )
    found = await user.events.get(request_configuration=search)
    assert found is not None and [e.id for e in found.value or []] == [created.id]
    patched = await user.events.by_event_id(created.id).patch(Event(subject="Interview (moved)"))
    assert (
        patched is not None
        and patched.subject == "Interview (moved)"
        and patched.change_key != created.change_key
    )
    await user.events.by_event_id(created.id).delete()
    with pytest.raises(ODataError):
        await user.events.by_event_id(created.id).get()


async def test_sdk_contact_crud_in_a_folder(sdk: GraphServiceClient, graph: GraphEmulatorHandle) -> None:
    user = _user(sdk, graph)
    folder = await user.contact_folders.post(ContactFolder(display_name="Zoho Recruit Contacts"))
    assert folder is not None and folder.id
    contacts = user.contact_folders.by_contact_folder_id(folder.id).contacts
    created = await contacts.post(
        Contact(given_name="Jo", surname="Jones", email_addresses=[EmailAddress(address="jo@example.com")])
    )
    assert created is not None and created.id and created.display_name == "Jo Jones"
    patched = await user.contacts.by_contact_id(created.id).patch(Contact(job_title="Recruiter"))
    assert patched is not None and patched.job_title == "Recruiter"
    listed = await contacts.get()
    assert listed is not None and [c.id for c in listed.value or []] == [created.id]
    await user.contacts.by_contact_id(created.id).delete()
    emptied = await contacts.get()
    assert emptied is not None and emptied.value == []


async def test_sdk_reads_both_deltas_across_pages_with_removals(
    sdk: GraphServiceClient, graph: GraphEmulatorHandle
) -> None:
    user = _user(sdk, graph)
    calendar = await user.calendars.post(Calendar(name="Zoho Recruit"))
    assert calendar is not None and calendar.id
    cal = user.calendars.by_calendar_id(calendar.id)
    events = [await cal.events.post(_event(f"E{n}", 10 + n)) for n in range(3)]
    config = RequestConfiguration(
        query_parameters=CalendarDelta.DeltaRequestBuilderGetQueryParameters(
            start_date_time="2026-01-01T00:00:00Z", end_date_time="2027-12-31T00:00:00Z"
        )
    )
    config.headers.add("Prefer", "odata.maxpagesize=2")
    page = await cal.calendar_view.delta.get(request_configuration=config)
    assert page is not None and len(page.value or []) == 2 and page.odata_next_link
    paging: RequestConfiguration[Any] = RequestConfiguration()
    paging.headers.add("Prefer", "odata.maxpagesize=2")
    last = await cal.calendar_view.delta.with_url(page.odata_next_link).get(request_configuration=paging)
    assert last is not None and len(last.value or []) == 1 and last.odata_delta_link
    assert events[0] is not None and events[0].id
    await user.events.by_event_id(events[0].id).delete()
    changes = await cal.calendar_view.delta.with_url(last.odata_delta_link).get(request_configuration=paging)
    assert changes is not None and changes.value is not None
    removed = changes.value[0]
    assert removed.id == events[0].id and "@removed" in removed.additional_data

    seeded = await user.contacts.get()  # the default folder's id is the parent of its contacts
    assert seeded is not None and seeded.value
    folder = user.contact_folders.by_contact_folder_id(seeded.value[0].parent_folder_id)
    first = await folder.contacts.delta.get()
    assert first is not None and [c.given_name for c in first.value or []] == ["Dana"]
    assert first.odata_delta_link


async def test_sdk_creates_renews_and_deletes_a_subscription(
    sdk: GraphServiceClient, graph: GraphEmulatorHandle, receiver: Receiver
) -> None:
    user_id = graph.user(ALICE)["id"]
    created = await sdk.subscriptions.post(
        Subscription(
            change_type="created,updated,deleted",
            notification_url=receiver.url,
            lifecycle_notification_url=receiver.url,
            resource=f"/users/{user_id}/contacts",
            expiration_date_time=graph.app.store.now().replace(microsecond=0) + timedelta(hours=1),
            client_state="state",
        )
    )
    assert created is not None and created.id and created.expiration_date_time
    renewed_to = created.expiration_date_time + timedelta(hours=1)
    renewed = await sdk.subscriptions.by_subscription_id(created.id).patch(
        Subscription(expiration_date_time=renewed_to)
    )
    assert renewed is not None and renewed.expiration_date_time == renewed_to
    await sdk.subscriptions.by_subscription_id(created.id).delete()
    with pytest.raises(ODataError) as gone:
        await sdk.subscriptions.by_subscription_id(created.id).get()
    assert gone.value.response_status_code == 404


async def test_sdk_parses_the_bodies_of_a_raw_batch(graph: GraphEmulatorHandle) -> None:
    token = graph.token_for(ALICE)
    requests = [
        {"id": "1", "method": "POST", "url": "/me/events", "body": _event_json("Batched"),
         "headers": {"Content-Type": "application/json"}},
        {"id": "2", "method": "GET", "url": "/me/events?$top=5", "dependsOn": ["1"]},
    ]  # fmt: skip
    async with httpx.AsyncClient(trust_env=False) as client:
        answer = await client.post(
            f"{graph.base_url}/v1.0/$batch",
            json={"requests": requests},
            headers={"Authorization": f"Bearer {token}"},
        )
    by_id = {r["id"]: r for r in answer.json()["responses"]}
    created = _parse(by_id["1"]["body"], Event)
    listed = _parse(by_id["2"]["body"], EventCollectionResponse)
    assert created.subject == "Batched" and created.start is not None
    assert created.id in {e.id for e in listed.value or []}


def _event_json(subject: str) -> dict[str, Any]:
    return {
        "subject": subject,
        "start": {"dateTime": "2026-12-20T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-20T11:00:00", "timeZone": "UTC"},
    }


def _parse(body: dict[str, Any], model: Any) -> Any:
    node = JsonParseNodeFactory().get_root_parse_node("application/json", json.dumps(body).encode())
    return node.get_object_value(model)
