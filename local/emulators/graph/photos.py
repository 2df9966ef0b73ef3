"""Contact photos: `GET .../contacts/{id}/photo` (metadata), `GET .../photo/$value`, `PUT .../photo/$value`.

Sources: api/profilephoto-get.md (metadata: `@odata.mediaContentType`, `id`, `width`, `height`; "If no
photo exists, the operation returns 404 Not Found", code `ErrorItemNotFound` as issue 12 observed) and
api/profilephoto-update.md (PUT the binary image with its Content-Type; 200 OK; a photo of up to 4 MB).
Width and height are read from PNG, GIF and JPEG headers; other formats report null.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .access import AccessControl
from .errors import GraphError, bad_request, not_found
from .folders_api import Table
from .respond import respond
from .store import CONTACTS, Container, Item, Mailbox, Store

MAX_PHOTO_BYTES = 4 * 1024 * 1024


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG image, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                return None
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2 : index + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return None


def _no_photo() -> GraphError:
    return not_found("The photo wasn't found.")


class PhotosApi:
    def __init__(self, store: Store, access: AccessControl) -> None:
        self.store = store
        self.access = access

    def _contact(self, request: Request, write: bool) -> tuple[Mailbox, Container, Item]:
        mailbox = self.access.check(request, CONTACTS, write=write)
        item_id = request.path_params["item_id"]
        folder_id = request.path_params.get("folder_id")
        if folder_id is not None:
            container = mailbox.container(CONTACTS, folder_id)
            if item_id not in container.items:
                raise not_found()
            return mailbox, container, container.items[item_id]
        container, item = mailbox.find_item(CONTACTS, item_id)
        return mailbox, container, item

    async def metadata(self, request: Request) -> Response:
        mailbox, _, item = self._contact(request, write=False)
        if item.photo is None:
            raise _no_photo()
        content, media_type = item.photo
        size = image_size(content)
        view: dict[str, Any] = {
            "@odata.mediaContentType": media_type,
            "@odata.mediaEtag": f'W/"{hashlib.sha256(content).hexdigest()[:40]}"',
            "id": f"{size[0]}X{size[1]}" if size else "default",
            "width": size[0] if size else None,
            "height": size[1] if size else None,
        }
        return respond(request, mailbox.id, view)

    async def value(self, request: Request) -> Response:
        _, _, item = self._contact(request, write=False)
        if item.photo is None:
            raise _no_photo()
        content, media_type = item.photo
        return Response(content, media_type=media_type)

    async def put(self, request: Request) -> Response:
        mailbox, container, item = self._contact(request, write=True)
        media_type = request.headers.get("content-type", "").split(";")[0].strip()
        content = await request.body()
        if not media_type.startswith("image/"):
            raise bad_request("The photo needs an image Content-Type.", "ErrorInvalidRequest")
        if not content:
            raise bad_request("The photo is empty.", "ErrorInvalidRequest")
        if len(content) > MAX_PHOTO_BYTES:
            raise GraphError(413, "ErrorRequestEntityTooLarge", "The photo is larger than 4 MB.")
        self.store.set_photo(mailbox, container, item, content, media_type)
        return Response(status_code=200)

    def table(self) -> Table:
        table: Table = []
        for base in ("/contacts/{item_id}", "/contactFolders/{folder_id}/contacts/{item_id}"):
            table.append((f"{base}/photo", "GET", self.metadata))
            table.append((f"{base}/photo/$value", "GET", self.value))
            table.append((f"{base}/photo/$value", "PUT", self.put))
            # profilephoto-update.md: "You can use either PATCH or PUT for this operation in version 1.0."
            table.append((f"{base}/photo/$value", "PATCH", self.put))
        return table
