"""A local Zoho Recruit v2 emulator: accounts server (OAuth), records API, metadata and watch channels.

`create_app(seed)` builds the Starlette app; `python -m local.emulators.recruit` serves it.
"""

from .app import create_app

__all__ = ["create_app"]
