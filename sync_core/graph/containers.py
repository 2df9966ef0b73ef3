"""The dedicated calendar and contact folder: find or create by name, check they still exist, delete.

Container ids never change; a 404 on one means the user deleted it (`calendar_exists` answers False).
"""

from __future__ import annotations

from sync_core.graph.client import GraphClient
from sync_core.graph.errors import Conflict, ItemNotFound
from sync_core.graph.paths import ItemKind, container_path, user_path

# Calendars are named by `name`, contact folders by `displayName`.
_COLLECTION = {"event": "calendars", "contact": "contactFolders"}
_NAME_FIELD = {"event": "name", "contact": "displayName"}


async def _find(graph: GraphClient, mailbox: str, kind: ItemKind, name: str) -> str | None:
    containers = await graph.get_all(f"{user_path(mailbox)}/{_COLLECTION[kind]}", mailbox=mailbox)
    for container in containers:
        if str(container.get(_NAME_FIELD[kind], "")).casefold() == name.casefold():
            return str(container["id"])
    return None


async def _find_or_create(graph: GraphClient, mailbox: str, kind: ItemKind, name: str) -> str:
    found = await _find(graph, mailbox, kind, name)
    if found is not None:
        return found
    try:
        created = await graph.request(
            "POST",
            f"{user_path(mailbox)}/{_COLLECTION[kind]}",
            mailbox=mailbox,
            body={_NAME_FIELD[kind]: name},
        )
    except Conflict:
        # Created meanwhile (another pass, or a retried POST that had succeeded): adopt it.
        found = await _find(graph, mailbox, kind, name)
        if found is None:
            raise
        return found
    return str(created.body["id"])


async def _exists(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> bool:
    try:
        await graph.request(
            "GET", container_path(mailbox, kind, container_id), mailbox=mailbox, container=True
        )
    except ItemNotFound:
        return False
    return True


async def _delete(graph: GraphClient, mailbox: str, kind: ItemKind, container_id: str) -> None:
    try:
        await graph.request(
            "DELETE", container_path(mailbox, kind, container_id), mailbox=mailbox, container=True
        )
    except ItemNotFound:
        return  # already gone is what we wanted


async def find_or_create_calendar(graph: GraphClient, mailbox: str, name: str) -> str:
    """Id of the calendar called `name`, created when missing; calling it twice gives one calendar."""
    return await _find_or_create(graph, mailbox, "event", name)


async def calendar_exists(graph: GraphClient, mailbox: str, calendar_id: str) -> bool:
    return await _exists(graph, mailbox, "event", calendar_id)


async def delete_calendar(graph: GraphClient, mailbox: str, calendar_id: str) -> None:
    await _delete(graph, mailbox, "event", calendar_id)


async def find_or_create_contact_folder(graph: GraphClient, mailbox: str, name: str) -> str:
    """Id of the contact folder called `name`, created when missing (409 ErrorFolderExists adopts it)."""
    return await _find_or_create(graph, mailbox, "contact", name)


async def contact_folder_exists(graph: GraphClient, mailbox: str, folder_id: str) -> bool:
    return await _exists(graph, mailbox, "contact", folder_id)


async def delete_contact_folder(graph: GraphClient, mailbox: str, folder_id: str) -> None:
    await _delete(graph, mailbox, "contact", folder_id)
